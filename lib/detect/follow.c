/* follow.c - following log files across rotation and truncation; see irk/follow.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/follow.h"
#include "irk/logread.h"

#define READ_BLOCK (4u << 20)

void irk_follow_init(struct irk_follow *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->path = irk_strdup(path);
	f->fd = -1;
}

void irk_follow_release(struct irk_follow *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	f->path = NULL;
	f->fd = -1;
}

/* Read complete lines from fd at f->offset to its end. */
static enum irk_code drain(struct irk_follow *f, int fd, const char *name, irk_follow_fn fn,
			   void *arg, struct irk_err *err)
{
	char *buf = irk_malloc(READ_BLOCK);
	enum irk_code rc = IRK_OK;

	for (;;) {
		ssize_t n = pread(fd, buf, READ_BLOCK, (off_t)f->offset);
		size_t cut, lines = 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = irk_fail(err, IRK_EIO, "reading %s: %s", name, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (f->skipping) {
			/* the rest of a line longer than a block, given on as that block: up to its newline */
			const char *nl = memchr(buf, '\n', (size_t)n);
			f->offset += nl ? (int64_t)(nl + 1 - buf) : (int64_t)n;
			if (nl) {
				f->skipping = 0;
				f->line++;
			}
			continue;
		}
		cut = (size_t)n;
		while (cut > 0 && buf[cut - 1] != '\n')
			cut--;
		if (cut == 0) {
			if ((size_t)n < READ_BLOCK)
				break; /* a partial line: wait for its end */
			/* a line longer than a block: the block is that line (malformed), the rest is passed over */
			cut = (size_t)n;
			f->skipping = 1;
		}
		for (size_t i = 0; i < cut; i++)
			lines += buf[i] == '\n';
		if ((rc = fn(name, f->line, buf, cut, arg, err)))
			break;
		f->offset += (int64_t)cut;
		f->line += (int64_t)lines;
	}
	free(buf);
	return rc;
}

static int open_at(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && fstat(fd, st)) {
		close(fd);
		return -1;
	}
	return fd;
}

enum irk_code irk_follow_poll(struct irk_follow *f, irk_follow_fn fn, void *arg,
			      struct irk_err *err)
{
	struct stat st;
	enum irk_code rc;

	if (f->fd < 0) {
		int fd = open_at(f->path, &st);
		if (fd < 0)
			return IRK_OK; /* not there (yet): try again next time */
		if (f->known && (st.st_dev != f->dev || st.st_ino != f->ino)) {
			/* rotated while we were away: finish the old file if it is PATH.1 */
			struct irk_buf old = IRK_BUF_INIT;
			struct stat ost;
			int ofd;
			irk_buf_addf(&old, "%s.1", f->path);
			ofd = open_at(old.buf, &ost);
			if (ofd >= 0 && ost.st_dev == f->dev && ost.st_ino == f->ino) {
				rc = drain(f, ofd, old.buf, fn, arg, err);
				if (rc) {
					close(ofd);
					close(fd);
					irk_buf_release(&old);
					return rc;
				}
			}
			if (ofd >= 0)
				close(ofd);
			irk_buf_release(&old);
			f->offset = f->line = 0;
			f->skipping = 0;
		}
		f->fd = fd;
		f->dev = st.st_dev;
		f->ino = st.st_ino;
		f->known = 1;
	}
	if ((rc = drain(f, f->fd, f->path, fn, arg, err)))
		return rc;
	/* rotation or truncation since the last look? */
	if (stat(f->path, &st) == 0) {
		if (st.st_dev != f->dev || st.st_ino != f->ino) {
			/* the old file was read to its end above: start the new one */
			close(f->fd);
			f->fd = -1;
			f->offset = f->line = 0;
			f->skipping = 0;
			f->known = 0;
			return irk_follow_poll(f, fn, arg, err);
		}
		if ((int64_t)st.st_size < f->offset) {
			f->offset = f->line = 0;
			f->skipping = 0;
			return drain(f, f->fd, f->path, fn, arg, err);
		}
	}
	return IRK_OK;
}
