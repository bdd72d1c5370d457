/* fs.c - careful file operations; see irk/fs.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/fs.h"

enum irk_code irk_read_file(const char *path, size_t max, struct irk_buf *out, struct irk_err *err)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	const char *name = strcmp(path, "-") ? path : "standard input";

	if (fd < 0)
		return irk_fail(err, errno == ENOENT ? IRK_ENOTFOUND : IRK_EIO, "cannot open %s: %s",
				name, strerror(errno));
	for (;;) {
		ssize_t n;

		irk_buf_grow(out, 65536);
		n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			if (fd != STDIN_FILENO)
				close(fd);
			return irk_fail(err, IRK_EIO, "cannot read %s: %s", name, strerror(e));
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->buf[out->len] = '\0';
		if (out->len > max) {
			if (fd != STDIN_FILENO)
				close(fd);
			return irk_fail(err, IRK_EINVAL, "%s is larger than the limit of %zu bytes",
					name, max);
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return IRK_OK;
}

static void dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == path)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

enum irk_code irk_fsync_dir(const char *dir, struct irk_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return irk_fail(err, IRK_EIO, "cannot open directory %s: %s", dir, strerror(errno));
	if (fsync(fd) != 0 && errno != EINVAL) {
		int e = errno;
		close(fd);
		return irk_fail(err, IRK_EIO, "cannot sync directory %s: %s", dir, strerror(e));
	}
	close(fd);
	return IRK_OK;
}

enum irk_code irk_write_file(const char *path, const void *data, size_t len, mode_t mode,
			     struct irk_err *err)
{
	char dir[PATH_MAX];
	struct irk_buf tmp = IRK_BUF_INIT;
	const char *p = data;
	int fd;

	dir_of(path, dir, sizeof(dir));
	irk_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		irk_fail(err, IRK_EIO, "cannot create %s: %s", tmp.buf, strerror(errno));
		irk_buf_release(&tmp);
		return IRK_EIO;
	}
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, mode) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp.buf, path) != 0)
		goto fail;
	irk_buf_release(&tmp);
	return irk_fsync_dir(dir, err);
fail:
	irk_fail(err, IRK_EIO, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp.buf);
	irk_buf_release(&tmp);
	return IRK_EIO;
}

enum irk_code irk_mkdirs(const char *path, mode_t mode, struct irk_err *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return irk_fail(err, IRK_EINVAL, "bad directory path '%s'", path);
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) != 0 && errno != EEXIST)
			return irk_fail(err, IRK_EIO, "cannot create directory %s: %s", buf,
					strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, mode) != 0 && errno != EEXIST)
		return irk_fail(err, IRK_EIO, "cannot create directory %s: %s", buf, strerror(errno));
	return IRK_OK;
}

enum irk_code irk_config_dir(struct irk_buf *out, struct irk_err *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (xdg && *xdg == '/') {
		irk_path_join(out, xdg, "irk");
		return IRK_OK;
	}
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || !*home)
		return irk_fail(err, IRK_EKEY,
				"cannot find the configuration directory: neither XDG_CONFIG_HOME nor HOME is set");
	irk_buf_adds(out, home);
	irk_buf_adds(out, "/.config/irk");
	return IRK_OK;
}

void irk_path_join(struct irk_buf *out, const char *a, const char *b)
{
	irk_buf_adds(out, a);
	if (out->len && out->buf[out->len - 1] != '/')
		irk_buf_addch(out, '/');
	irk_buf_adds(out, b);
}
