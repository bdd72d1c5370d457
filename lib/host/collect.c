/*
 * collect.c - the collector: runs the areas in order of volatility and owns
 * the output (a directory or a tar.zst archive), the collection log, the
 * manifest and its signature.  The areas live in collect-<area>.c and reach
 * the output only through the functions declared in irk/collect.h.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "irk/collect.h"
#include "irk/fs.h"
#include "irk/timefmt.h"

const char *const irk_collect_count_names[IRK_CC_N] = {
	"processes", "sockets",     "sessions", "logins", "accounts", "persistence",
	"tempfiles", "suid",        "packages", "copied", "skipped",
};

const struct irk_collect_area irk_collect_areas[] = {
	{ "clock", irk_collect_clock, 1 },
	{ "network", irk_collect_network, 1 },
	{ "processes", irk_collect_processes, 1 },
	{ "sessions", irk_collect_sessions, 1 },
	{ "kernel", irk_collect_kernel, 1 },
	{ "logins", irk_collect_logins, 0 },
	{ "accounts", irk_collect_accounts, 0 },
	{ "persistence", irk_collect_persistence, 0 },
	{ "tempdirs", irk_collect_tempdirs, 0 },
	{ "suid", irk_collect_suid, 0 },
	{ "packages", irk_collect_packages, 0 },
	{ "logs", irk_collect_logs, 0 },
	{ NULL, NULL, 0 },
};
#define N_AREAS (sizeof(irk_collect_areas) / sizeof(irk_collect_areas[0]) - 1)

/* Trees listed or copied wholesale, by the area that does it: the output must not be inside one. */
static const struct {
	const char *tree, *area;
} collected_trees[] = { { "/tmp", "tempdirs" },    { "/var/tmp", "tempdirs" },
			{ "/dev/shm", "tempdirs" }, { "/var/log", "logs" },
			{ "/run/log/journal", "logs" } };

struct area_buf {
	char name[48];
	struct irk_buf jsonl;
};

struct irk_collector {
	const struct irk_collect_opts *opts;
	struct irk_collect_result *res;
	int root_fd; /* the tree files are read from, or -1 for this host's "/" */
	char run[N_AREAS]; /* 1 for each area of irk_collect_areas that is collected */
	uint64_t copy_max, copy_total, copied; /* copied: bytes of copies so far */
	/* output: a directory (dir != NULL) or an archive (ar != NULL) */
	char *dir;
	struct archive *ar;
	dev_t out_dev;
	ino_t out_ino;
	int out_known;
	enum irk_code werr; /* first failure to write: stops all further writing */
	struct irk_err *err;
	struct irk_buf manifest, log;
	struct area_buf bufs[16];
	int nbufs;
	/* /etc/passwd of the host, loaded on first use */
	struct irk_collect_account *accounts;
	size_t naccounts;
	int accounts_loaded;
	const char **homes;
};

/* ---- JSON from untrusted bytes ---- */

/* Length of the well-formed UTF-8 sequence at s (controls included), or 0. */
static size_t utf8_seq_len(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

json_t *irk_json_bytes(const char *s, size_t len)
{
	struct irk_buf b = IRK_BUF_INIT;
	size_t i = 0;
	json_t *j;

	while (i < len) {
		size_t n = utf8_seq_len(s + i, len - i);

		if (n == 0 || s[i] == '\0') {
			irk_buf_addf(&b, "\\x%02x", (unsigned char)s[i]);
			i++;
		} else {
			irk_buf_add(&b, s + i, n);
			i += n;
		}
	}
	j = json_stringn(b.buf, b.len);
	irk_buf_release(&b);
	return j ? j : json_string("");
}

/* ---- writing the output ---- */

static void manifest_add(struct irk_collector *c, const char *name, const char *sha)
{
	int esc = strchr(name, '\\') || strchr(name, '\n');

	if (esc)
		irk_buf_addch(&c->manifest, '\\');
	irk_buf_addf(&c->manifest, "%s  ", sha);
	if (!esc) {
		irk_buf_adds(&c->manifest, name);
	} else {
		for (const char *p = name; *p; p++) {
			if (*p == '\\')
				irk_buf_adds(&c->manifest, "\\\\");
			else if (*p == '\n')
				irk_buf_adds(&c->manifest, "\\n");
			else
				irk_buf_addch(&c->manifest, *p);
		}
	}
	irk_buf_addch(&c->manifest, '\n');
}

static int write_failed(struct irk_collector *c, const char *name, const char *why)
{
	if (!c->werr)
		c->werr = irk_fail(c->err, IRK_EIO, "cannot write %s into the collection: %s", name,
				   why);
	return -1;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Open a new file `name` under the output directory (creating its parents). */
static int dir_create(struct irk_collector *c, const char *name)
{
	struct irk_buf path = IRK_BUF_INIT;
	char *slash;
	int fd;

	irk_path_join(&path, c->dir, name);
	slash = strrchr(path.buf, '/');
	*slash = '\0';
	if (irk_mkdirs(path.buf, 0700, NULL) != IRK_OK) {
		irk_buf_release(&path);
		return write_failed(c, name, strerror(errno));
	}
	*slash = '/';
	fd = open(path.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	irk_buf_release(&path);
	if (fd < 0)
		return write_failed(c, name, strerror(errno));
	return fd;
}

static int ar_header(struct irk_collector *c, const char *name, uint64_t size)
{
	struct archive_entry *ae = archive_entry_new();
	int r;

	archive_entry_set_pathname(ae, name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0400);
	archive_entry_set_size(ae, (la_int64_t)size);
	archive_entry_set_mtime(ae, (time_t)(c->res->started_ms / 1000), 0);
	r = archive_write_header(c->ar, ae);
	archive_entry_free(ae);
	if (r != ARCHIVE_OK)
		return write_failed(c, name, archive_error_string(c->ar));
	return 0;
}

static int ar_data(struct irk_collector *c, const char *name, const void *data, size_t len)
{
	if (len && archive_write_data(c->ar, data, len) != (la_ssize_t)len)
		return write_failed(c, name, archive_error_string(c->ar));
	return 0;
}

/* Write a file made in memory, and list it in the manifest (unless it is the manifest). */
static int put(struct irk_collector *c, const char *name, const void *data, size_t len,
	       int in_manifest)
{
	uint8_t sum[IRK_SHA256_LEN];
	char hex[IRK_SHA256_HEX];
	int fd;

	if (c->werr)
		return -1;
	if (c->ar) {
		if (ar_header(c, name, len) || ar_data(c, name, data, len))
			return -1;
	} else {
		if ((fd = dir_create(c, name)) < 0)
			return -1;
		if (write_all(fd, data, len)) {
			close(fd);
			return write_failed(c, name, strerror(errno));
		}
		close(fd);
	}
	c->res->bytes += len;
	if (in_manifest) {
		irk_sha256(data, len, sum);
		irk_hex(sum, sizeof(sum), hex);
		manifest_add(c, name, hex);
	}
	return 0;
}

/* ---- the collection log and the area files ---- */

void irk_collect_log(struct irk_collector *c, const char *what, const char *path,
		     const char *fmt, ...)
{
	char at[IRK_TIME_MAX];
	struct irk_buf why = IRK_BUF_INIT;
	json_t *o;
	char *line;
	va_list ap;

	va_start(ap, fmt);
	irk_buf_vaddf(&why, fmt, ap);
	va_end(ap);
	irk_time_utc(irk_now_ms(), 1, at);
	o = json_pack("{s:s, s:s, s:o, s:o}", "at", at, "what", what, "path",
		      irk_json_bytes(path, strlen(path)), "why", irk_json_bytes(why.buf, why.len));
	line = json_dumps(o, JSON_COMPACT);
	irk_buf_adds(&c->log, line);
	irk_buf_addch(&c->log, '\n');
	free(line);
	json_decref(o);
	irk_buf_release(&why);
	if (!strcmp(what, "skip") || !strcmp(what, "gone"))
		c->res->counts[IRK_CC_SKIPPED]++;
}

void irk_collect_log_errno(struct irk_collector *c, const char *path, int errnum)
{
	const char *what = errnum == ENOENT || errnum == ESRCH ? "gone" : "skip";

	if (errnum == EACCES || errnum == EPERM)
		irk_collect_log(c, what, path, "permission denied");
	else if (errnum == ESRCH)
		irk_collect_log(c, what, path, "the process exited while it was read");
	else if (errnum == ENOENT)
		irk_collect_log(c, what, path, "not there (absent, or gone while collecting)");
	else
		irk_collect_log(c, what, path, "%s", strerror(errnum));
}

void irk_collect_count(struct irk_collector *c, enum irk_collect_count which, uint64_t n)
{
	c->res->counts[which] += n;
}

void irk_collect_emit(struct irk_collector *c, const char *area, json_t *obj)
{
	struct area_buf *b = NULL;
	char *line;

	for (int i = 0; i < c->nbufs; i++)
		if (!strcmp(c->bufs[i].name, area))
			b = &c->bufs[i];
	if (!b) {
		if (c->nbufs == (int)(sizeof(c->bufs) / sizeof(c->bufs[0]))) {
			json_decref(obj);
			return; /* a bug in an area; never reached with the areas as written */
		}
		b = &c->bufs[c->nbufs++];
		snprintf(b->name, sizeof(b->name), "%s", area);
		irk_buf_init(&b->jsonl, 4096);
	}
	line = json_dumps(obj, JSON_COMPACT);
	if (line) {
		irk_buf_adds(&b->jsonl, line);
		irk_buf_addch(&b->jsonl, '\n');
		free(line);
	}
	json_decref(obj);
}

/* Write the JSON Lines gathered by an area. */
static void flush_areas(struct irk_collector *c)
{
	struct irk_buf name = IRK_BUF_INIT;

	for (int i = 0; i < c->nbufs; i++) {
		irk_buf_reset(&name);
		irk_buf_addf(&name, "%s.jsonl", c->bufs[i].name);
		put(c, name.buf, c->bufs[i].jsonl.buf, c->bufs[i].jsonl.len, 1);
		irk_buf_release(&c->bufs[i].jsonl);
	}
	c->nbufs = 0;
	irk_buf_release(&name);
}

/* ---- reading host files ---- */

static int is_under(const char *path, const char *tree)
{
	size_t n = strlen(tree);

	return !strncmp(path, tree, n) && (path[n] == '/' || path[n] == '\0');
}

/* Whether `path` is read from the tree under --root: all but the running kernel's. */
static int in_tree(const struct irk_collector *c, const char *path)
{
	return c->root_fd >= 0 && !is_under(path, "/proc") && !is_under(path, "/sys");
}

static int open_in_root(int root_fd, const char *path, int flags)
{
	struct open_how how = { .flags = (uint64_t)flags,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };

	while (*path == '/')
		path++;
	return (int)syscall(SYS_openat2, root_fd, *path ? path : ".", &how, sizeof(how));
}

int irk_collect_open(struct irk_collector *c, const char *path, int flags)
{
	return in_tree(c, path) ? open_in_root(c->root_fd, path, flags) : open(path, flags);
}

int irk_collect_lstat(struct irk_collector *c, const char *path, struct stat *st)
{
	int fd, rc, e;

	if (!in_tree(c, path))
		return lstat(path, st);
	if ((fd = open_in_root(c->root_fd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	rc = fstat(fd, st);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

ssize_t irk_collect_readlink(struct irk_collector *c, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, e;

	if (!in_tree(c, path))
		return readlink(path, buf, size);
	if ((fd = open_in_root(c->root_fd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	n = readlinkat(fd, "", buf, size);
	e = errno;
	close(fd);
	errno = e;
	return n;
}

int irk_collect_read(struct irk_collector *c, const char *path, struct irk_buf *out)
{
	int fd = irk_collect_open(c, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	irk_buf_reset(out);
	if (fd < 0) {
		irk_collect_log_errno(c, path, errno);
		return -1;
	}
	for (;;) {
		ssize_t n;

		irk_buf_grow(out, 65536);
		n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			irk_collect_log_errno(c, path, e);
			return -1;
		}
		if (n == 0)
			break;
		irk_buf_setlen(out, out->len + (size_t)n);
		if (out->len > IRK_COLLECT_SMALL_MAX) {
			close(fd);
			irk_collect_log(c, "skip", path, "larger than the limit of %u bytes",
					IRK_COLLECT_SMALL_MAX);
			return -1;
		}
	}
	close(fd);
	return 0;
}

static int open_nofollow(struct irk_collector *c, const char *path)
{
	int fl = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	int fd = irk_collect_open(c, path, fl | O_NOATIME); /* keep access times as evidence */

	if (fd < 0 && errno == EPERM)
		fd = irk_collect_open(c, path, fl);
	return fd;
}

int irk_collect_file_fd(struct irk_collector *c, int fd, const char *path, const char *name,
			int copy, char sha[IRK_SHA256_HEX])
{
	struct irk_sha256_ctx *h;
	struct irk_buf dest = IRK_BUF_INIT;
	uint8_t sum[IRK_SHA256_LEN];
	static const size_t chunk = 1 << 18;
	char *buf;
	struct stat st;
	uint64_t want, got = 0;
	int out = -1, rc = 0;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		irk_collect_log(c, "skip", path, "not a regular file");
		return -1;
	}
	if (copy && (uint64_t)st.st_size > c->copy_max) {
		irk_collect_log(c, "skip", path, "%lld bytes is over the copy limit of %llu; hashed only",
				(long long)st.st_size, (unsigned long long)c->copy_max);
		copy = 0;
	}
	if (copy && (uint64_t)st.st_size > c->copy_total - c->copied) {
		irk_collect_log(c, "skip", path,
				"copies have reached the total limit of %llu bytes; hashed only",
				(unsigned long long)c->copy_total);
		copy = 0;
	}
	if (copy && c->werr)
		copy = 0;
	want = (uint64_t)st.st_size;
	if (copy)
		c->copied += want; /* what the copy will hold, padded or cut to `want` */
	irk_buf_adds(&dest, "files");
	if (name && *name != '/')
		irk_buf_addch(&dest, '/');
	irk_buf_adds(&dest, name ? name : path);
	if (copy) {
		if (c->ar)
			rc = ar_header(c, dest.buf, want);
		else
			rc = (out = dir_create(c, dest.buf)) < 0 ? -1 : 0;
		if (rc) {
			irk_buf_release(&dest);
			return -1;
		}
	}
	h = irk_sha256_begin();
	buf = irk_malloc(chunk);
	for (;;) {
		size_t room = chunk;
		ssize_t n;

		if (copy && c->ar) {
			if (got >= want)
				break;
			if (want - got < room)
				room = (size_t)(want - got);
		}
		n = read(fd, buf, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			irk_collect_log_errno(c, path, errno);
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		irk_sha256_update(h, buf, (size_t)n);
		if (copy && (c->ar ? ar_data(c, dest.buf, buf, (size_t)n)
				   : write_all(out, buf, (size_t)n) ? write_failed(c, dest.buf, strerror(errno)) : 0)) {
			rc = -1;
			break;
		}
		got += (uint64_t)n;
	}
	if (copy && c->ar && !c->werr && got < want) {
		/* the file shrank while read: the archive's header promised `want` bytes */
		memset(buf, 0, chunk);
		irk_collect_log(c, "race", path, "shrank from %llu to %llu bytes while copied; padded with zeros",
				(unsigned long long)want, (unsigned long long)got);
		while (got < want) {
			size_t n = want - got < chunk ? (size_t)(want - got) : chunk;

			irk_sha256_update(h, buf, n);
			if (ar_data(c, dest.buf, buf, n))
				break;
			got += n;
		}
	} else if (copy && c->ar && got == want) {
		char probe;

		if (read(fd, &probe, 1) == 1)
			irk_collect_log(c, "race", path, "grew while copied; the first %llu bytes were kept",
					(unsigned long long)want);
	}
	free(buf);
	irk_sha256_end(h, sum);
	irk_hex(sum, sizeof(sum), sha);
	if (out >= 0 && close(out) != 0)
		rc = write_failed(c, dest.buf, strerror(errno));
	if (copy && !c->werr) {
		/* even a copy cut short by a read error is listed: it is what could be read */
		manifest_add(c, dest.buf, sha);
		c->res->bytes += got;
		c->res->counts[IRK_CC_COPIED]++;
		irk_collect_log(c, "copy", path, "%llu bytes%s", (unsigned long long)got,
				rc ? " (incomplete: see the entry before)" : "");
	}
	irk_buf_release(&dest);
	return rc;
}

int irk_collect_file(struct irk_collector *c, const char *path, int copy, char sha[IRK_SHA256_HEX])
{
	int fd = open_nofollow(c, path), rc;
	struct stat st;

	if (fd < 0) {
		if (errno == ELOOP)
			irk_collect_log(c, "skip", path, "a symbolic link; not followed");
		else
			irk_collect_log_errno(c, path, errno);
		return -1;
	}
	if (fstat(fd, &st) == 0 && st.st_dev == c->out_dev && st.st_ino == c->out_ino && c->out_known) {
		close(fd);
		return -1;
	}
	rc = irk_collect_file_fd(c, fd, path, NULL, copy, sha);
	close(fd);
	return rc;
}

/* ---- accounts of the host ---- */

static void load_accounts(struct irk_collector *c)
{
	struct irk_buf b = IRK_BUF_INIT;
	char *save = NULL;

	c->accounts_loaded = 1;
	if (irk_collect_read(c, "/etc/passwd", &b) != 0) {
		irk_buf_release(&b);
		return;
	}
	for (char *line = strtok_r(b.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[7];
		int n = 0;
		char *p = line;

		if (*line == '#' || *line == '+' || *line == '-')
			continue;
		f[n++] = p;
		while (n < 7 && (p = strchr(p, ':'))) {
			*p++ = '\0';
			f[n++] = p;
		}
		if (n != 7)
			continue;
		c->accounts = irk_realloc(c->accounts, (c->naccounts + 1) * sizeof(*c->accounts));
		c->accounts[c->naccounts++] = (struct irk_collect_account){
			irk_strdup(f[0]), strtoul(f[2], NULL, 10), strtoul(f[3], NULL, 10),
			irk_strdup(f[4]), irk_strdup(f[5]), irk_strdup(f[6]),
		};
	}
	irk_buf_release(&b);
}

const struct irk_collect_account *irk_collect_account_list(struct irk_collector *c, size_t *n)
{
	if (!c->accounts_loaded)
		load_accounts(c);
	*n = c->naccounts;
	return c->accounts;
}

const char *irk_collect_user(struct irk_collector *c, unsigned long uid)
{
	size_t n;
	const struct irk_collect_account *a = irk_collect_account_list(c, &n);

	for (size_t i = 0; i < n; i++)
		if (a[i].uid == uid)
			return a[i].name;
	return NULL;
}

const char *const *irk_collect_homes(struct irk_collector *c)
{
	size_t n, k = 0;
	const struct irk_collect_account *a = irk_collect_account_list(c, &n);

	if (c->homes)
		return c->homes;
	c->homes = irk_calloc(n + 2, sizeof(char *));
	c->homes[k++] = "/root";
	for (size_t i = 0; i < n; i++) {
		int seen = 0;

		if (a[i].home[0] != '/' || !strcmp(a[i].home, "/") || !strcmp(a[i].home, "/nonexistent"))
			continue;
		for (size_t j = 0; j < k; j++)
			seen |= !strcmp(c->homes[j], a[i].home);
		if (!seen)
			c->homes[k++] = a[i].home;
	}
	return c->homes;
}

json_t *irk_collect_stat_json(struct irk_collector *c, const char *path, const struct stat *st)
{
	const char *type = S_ISREG(st->st_mode) ? "file" : S_ISDIR(st->st_mode) ? "dir"
			 : S_ISLNK(st->st_mode) ? "symlink" : S_ISFIFO(st->st_mode) ? "fifo"
			 : S_ISSOCK(st->st_mode) ? "socket" : S_ISCHR(st->st_mode) ? "char"
			 : S_ISBLK(st->st_mode) ? "block" : "other";
	const char *user = irk_collect_user(c, st->st_uid);
	char mode[8], mt[IRK_TIME_MAX], ct[IRK_TIME_MAX], at[IRK_TIME_MAX];

	snprintf(mode, sizeof(mode), "%04o", (unsigned)(st->st_mode & 07777));
	irk_time_utc((int64_t)st->st_mtim.tv_sec * 1000 + st->st_mtim.tv_nsec / 1000000, 1, mt);
	irk_time_utc((int64_t)st->st_ctim.tv_sec * 1000 + st->st_ctim.tv_nsec / 1000000, 1, ct);
	irk_time_utc((int64_t)st->st_atim.tv_sec * 1000 + st->st_atim.tv_nsec / 1000000, 1, at);
	return json_pack("{s:o, s:s, s:I, s:s, s:I, s:I, s:o, s:s, s:s, s:s, s:I}", "path",
			 irk_json_bytes(path, strlen(path)), "type", type, "size",
			 (json_int_t)st->st_size, "mode", mode, "uid", (json_int_t)st->st_uid, "gid",
			 (json_int_t)st->st_gid, "user", user ? json_string(user) : json_null(),
			 "mtime", mt, "ctime", ct, "atime", at, "inode", (json_int_t)st->st_ino);
}

/* ---- walking trees ---- */

struct walk {
	struct irk_collector *c;
	irk_collect_walk_fn fn;
	void *arg;
	dev_t dev;
	long entries;
	int capped;
};

static void walk_dir(struct walk *w, int dfd, struct irk_buf *path, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	size_t base = path->len;

	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (w->entries >= IRK_COLLECT_WALK_MAX) {
			if (!w->capped)
				irk_collect_log(w->c, "skip", path->buf,
						"more than %d entries; the rest of the tree is not listed",
						IRK_COLLECT_WALK_MAX);
			w->capped = 1;
			break;
		}
		irk_buf_setlen(path, base);
		if (base && path->buf[base - 1] != '/')
			irk_buf_addch(path, '/');
		irk_buf_adds(path, de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			irk_collect_log_errno(w->c, path->buf, errno);
			continue;
		}
		if (w->c->out_known && st.st_dev == w->c->out_dev && st.st_ino == w->c->out_ino) {
			irk_collect_log(w->c, "skip", path->buf, "the collection's own output");
			continue;
		}
		w->entries++;
		w->fn(w->c, path->buf, &st, w->arg);
		if (S_ISDIR(st.st_mode) && st.st_dev == w->dev) {
			int sub;

			if (depth >= 64) {
				irk_collect_log(w->c, "skip", path->buf, "nested deeper than 64 levels");
				continue;
			}
			sub = openat(dirfd(d), de->d_name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME);
			if (sub < 0 && errno == EPERM)
				sub = openat(dirfd(d), de->d_name,
					     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				irk_collect_log_errno(w->c, path->buf, errno);
			else
				walk_dir(w, sub, path, depth + 1);
		}
	}
	irk_buf_setlen(path, base);
	closedir(d);
}

void irk_collect_walk(struct irk_collector *c, const char *root, irk_collect_walk_fn fn, void *arg)
{
	struct walk w = { c, fn, arg, 0, 0, 0 };
	struct irk_buf path = IRK_BUF_INIT;
	struct stat st;
	int fd = irk_collect_open(c, root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			irk_collect_log(c, "skip", root, "not a directory (or a symbolic link); not followed");
		else
			irk_collect_log_errno(c, root, errno);
		return;
	}
	if (fstat(fd, &st) != 0) {
		close(fd);
		return;
	}
	w.dev = st.st_dev;
	irk_buf_adds(&path, root);
	walk_dir(&w, fd, &path, 0);
	irk_buf_release(&path);
}

/* ---- setting up and finishing ---- */

/* `path` made absolute, with its deepest existing ancestor resolved (symlinks, ".."). */
static void resolve_out(const char *path, struct irk_buf *out)
{
	struct irk_buf abs = IRK_BUF_INIT;
	char real[PATH_MAX];
	size_t keep;

	if (path[0] != '/' && getcwd(real, sizeof(real)))
		irk_path_join(&abs, real, path);
	else
		irk_buf_adds(&abs, path);
	while (abs.len > 1 && abs.buf[abs.len - 1] == '/')
		irk_buf_setlen(&abs, abs.len - 1);
	keep = abs.len;
	for (;;) {
		char saved = abs.buf[keep];
		char *slash;

		abs.buf[keep] = '\0';
		if (realpath(abs.buf, real)) {
			abs.buf[keep] = saved;
			irk_buf_adds(out, real);
			if (strcmp(real, "/") == 0 && abs.buf[keep] == '/')
				irk_buf_adds(out, abs.buf + keep + 1);
			else
				irk_buf_adds(out, abs.buf + keep);
			break;
		}
		abs.buf[keep] = saved;
		slash = memrchr(abs.buf, '/', keep);
		if (!slash || slash == abs.buf) {
			irk_buf_adds(out, abs.buf);
			break;
		}
		keep = (size_t)(slash - abs.buf);
	}
	irk_buf_release(&abs);
}

static int is_archive_name(const char *out)
{
	size_t n = strlen(out);

	return (n > 8 && !strcmp(out + n - 8, ".tar.zst")) || (n > 5 && !strcmp(out + n - 5, ".tzst"));
}

static enum irk_code open_output(struct irk_collector *c, const char *abs, struct irk_err *err)
{
	struct stat st;

	if (is_archive_name(abs)) {
		int fd;

		c->ar = archive_write_new();
		if (archive_write_set_format_pax_restricted(c->ar) != ARCHIVE_OK ||
		    archive_write_add_filter_zstd(c->ar) != ARCHIVE_OK)
			return irk_fail(err, IRK_EIO, "cannot set up a tar.zst archive: %s",
					archive_error_string(c->ar));
		fd = open(abs, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			irk_fail(err, errno == EEXIST ? IRK_ESTATE : IRK_EIO, "cannot create %s: %s",
				 abs, strerror(errno));
			if (errno == EEXIST)
				irk_hint(err, "a collection is never overwritten: choose a new name");
			return err ? err->code : IRK_EIO;
		}
		fstat(fd, &st);
		c->out_dev = st.st_dev;
		c->out_ino = st.st_ino;
		c->out_known = 1;
		if (archive_write_open_fd(c->ar, fd) != ARCHIVE_OK) {
			close(fd);
			return irk_fail(err, IRK_EIO, "cannot write %s: %s", abs,
					archive_error_string(c->ar));
		}
		return IRK_OK;
	}
	if (lstat(abs, &st) == 0) {
		DIR *d = S_ISDIR(st.st_mode) ? opendir(abs) : NULL;
		int empty = 1;
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				empty = 0;
		if (d)
			closedir(d);
		if (!S_ISDIR(st.st_mode) || !empty) {
			irk_fail(err, IRK_ESTATE, "%s already exists and is not an empty directory", abs);
			irk_hint(err, "a collection is never written over another: choose a new directory");
			return IRK_ESTATE;
		}
	} else if (irk_mkdirs(abs, 0700, err)) {
		return err ? err->code : IRK_EIO;
	}
	if (stat(abs, &st) != 0)
		return irk_fail(err, IRK_EIO, "cannot use %s: %s", abs, strerror(errno));
	c->dir = irk_strdup(abs);
	c->out_dev = st.st_dev;
	c->out_ino = st.st_ino;
	c->out_known = 1;
	return IRK_OK;
}

static void write_summary(struct irk_collector *c, const char *abs)
{
	struct utsname u;
	char started[IRK_TIME_MAX], finished[IRK_TIME_MAX];
	json_t *counts = json_object();
	json_t *areas = json_array();
	json_t *o;
	char *text;

	for (int i = 0; i < IRK_CC_N; i++)
		json_object_set_new(counts, irk_collect_count_names[i],
				    json_integer((json_int_t)c->res->counts[i]));
	for (size_t i = 0; i < N_AREAS; i++)
		if (c->run[i])
			json_array_append_new(areas, json_string(irk_collect_areas[i].name));
	uname(&u);
	irk_time_utc(c->res->started_ms, 1, started);
	irk_time_utc(c->res->finished_ms, 1, finished);
	o = json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:o, s:o, s:o, s:s}",
		      "format", "irk-collection-1", "host", irk_json_bytes(c->res->host, strlen(c->res->host)),
		      "kernel", u.release, "machine", u.machine, "started", started, "finished",
		      finished, "output", abs, "uid", (json_int_t)getuid(), "euid",
		      (json_int_t)geteuid(), "root", geteuid() == 0, "areas", areas, "counts",
		      counts, "signed_by", c->opts->signer ? json_string(c->opts->signer->keyid) : json_null(), "tool",
		      "irk collect");
	if (c->root_fd >= 0) {
		char here[256] = "unknown";

		gethostname(here, sizeof(here) - 1);
		json_object_set_new(o, "tree", irk_json_bytes(c->res->root, strlen(c->res->root)));
		json_object_set_new(o, "collected_on", irk_json_bytes(here, strlen(here)));
	}
	text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
	put(c, "collection.json", text, strlen(text), 1);
	free(text);
	json_decref(o);
}

static void write_manifest(struct irk_collector *c)
{
	uint8_t sum[IRK_SHA256_LEN];
	struct irk_buf sig = IRK_BUF_INIT;

	irk_sha256(c->manifest.buf, c->manifest.len, sum);
	irk_hex(sum, sizeof(sum), c->res->manifest_sha256);
	if (put(c, "MANIFEST", c->manifest.buf, c->manifest.len, 0))
		return;
	if (c->opts->signer) {
		const struct irk_identity *id = c->opts->signer;
		uint8_t s[IRK_SIG_LEN];
		char b64[128];
		struct irk_buf vkey = IRK_BUF_INIT;

		irk_sign(id, c->manifest.buf, c->manifest.len, s);
		irk_b64(s, sizeof(s), b64);
		irk_vkey_format(id->email, id->pk, &vkey);
		irk_buf_addf(&sig,
			     "# irk collection: Ed25519 signature over the bytes of MANIFEST\n"
			     "key: %s\nname: %s\nvkey: %s\nmanifest-sha256: %s\nsignature: %s\n",
			     id->keyid, id->email, vkey.buf, c->res->manifest_sha256, b64);
		irk_buf_release(&vkey);
		if (put(c, "MANIFEST.sig", sig.buf, sig.len, 0) == 0) {
			c->res->signed_by_key = 1;
			snprintf(c->res->keyid, sizeof(c->res->keyid), "%s", id->keyid);
		}
	}
	irk_buf_release(&sig);
}

/* One syncfs() of the output's file system at the end, rather than an fsync per file. */
static void sync_output(struct irk_collector *c, const char *abs)
{
	int fd = open(c->dir ? c->dir : abs, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || syncfs(fd) != 0)
		write_failed(c, abs, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void free_collector(struct irk_collector *c)
{
	for (size_t i = 0; i < c->naccounts; i++) {
		free(c->accounts[i].name);
		free(c->accounts[i].gecos);
		free(c->accounts[i].home);
		free(c->accounts[i].shell);
	}
	free(c->accounts);
	free(c->homes);
	for (int i = 0; i < c->nbufs; i++)
		irk_buf_release(&c->bufs[i].jsonl);
	irk_buf_release(&c->manifest);
	irk_buf_release(&c->log);
	free(c->dir);
	if (c->ar)
		archive_write_free(c->ar);
	if (c->root_fd >= 0)
		close(c->root_fd);
}

static int area_index(const char *name)
{
	for (size_t i = 0; i < N_AREAS; i++)
		if (!strcmp(name, irk_collect_areas[i].name))
			return (int)i;
	return -1;
}

/* Mark the areas to run from opts->areas (NULL: all, or the tree's areas under a root). */
static enum irk_code choose_areas(struct irk_collector *c, const char *list, struct irk_err *err)
{
	struct irk_buf names = IRK_BUF_INIT, copy = IRK_BUF_INIT;
	char *save = NULL;
	size_t i;

	for (i = 0; i < N_AREAS; i++)
		c->run[i] = !list && !(c->root_fd >= 0 && irk_collect_areas[i].live);
	if (!list)
		return IRK_OK;
	irk_buf_adds(&copy, list);
	for (char *n = strtok_r(copy.buf, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < N_AREAS; i++)
			if (!strcmp(n, "all") || !strcmp(n, irk_collect_areas[i].name))
				c->run[i] = 1;
		if (strcmp(n, "all") && area_index(n) < 0) {
			for (i = 0; i < N_AREAS; i++)
				irk_buf_addf(&names, "%s%s", i ? ", " : "", irk_collect_areas[i].name);
			irk_fail(err, IRK_EUSAGE, "'%s' is not an area of a collection", n);
			irk_hint(err, "name areas among: %s (or all), separated by commas", names.buf);
			irk_buf_release(&names);
			irk_buf_release(&copy);
			return IRK_EUSAGE;
		}
	}
	irk_buf_release(&copy);
	for (i = 0; i < N_AREAS && !c->run[i]; i++)
		;
	if (i == N_AREAS)
		return irk_fail(err, IRK_EUSAGE, "--areas names no area");
	return IRK_OK;
}

/* Open opts->root (unless it is "/"), and check that paths can be resolved inside it. */
static enum irk_code open_root(struct irk_collector *c, const char *root, struct irk_err *err)
{
	char real[PATH_MAX];
	int probe;

	c->root_fd = -1;
	if (!root || !*root)
		return IRK_OK;
	if (!realpath(root, real) || (c->root_fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		irk_fail(err, errno == ENOENT ? IRK_ENOTFOUND : IRK_EIO,
			 "cannot collect from %s: %s", root, strerror(errno));
		irk_hint(err, "--root names the directory a suspect system's disk is mounted at");
		return err ? err->code : IRK_EIO;
	}
	if (!strcmp(real, "/")) {
		close(c->root_fd);
		c->root_fd = -1;
		return IRK_OK;
	}
	if ((probe = open_in_root(c->root_fd, "/", O_PATH | O_CLOEXEC)) < 0) {
		irk_fail(err, IRK_EIO, "cannot resolve paths inside %s: %s", real, strerror(errno));
		if (errno == ENOSYS)
			irk_hint(err, "--root needs Linux 5.6 or later (openat2), so that no link in "
				      "the tree can lead out of it");
		return err ? err->code : IRK_EIO;
	}
	close(probe);
	snprintf(c->res->root, sizeof(c->res->root), "%s", real);
	return IRK_OK;
}

/* The host's name: this machine's, or under a root the tree's /etc/hostname. */
static void host_name(struct irk_collector *c)
{
	char *h = c->res->host;
	size_t max = sizeof(c->res->host) - 1;
	ssize_t n = 0;
	int fd;

	if (c->root_fd < 0) {
		if (gethostname(h, max) != 0)
			snprintf(h, max, "unknown");
		return;
	}
	fd = open_in_root(c->root_fd, "/etc/hostname", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, h, max);
		close(fd);
	}
	h[n > 0 ? n : 0] = '\0';
	h[strcspn(h, "\n\r")] = '\0';
	for (char *p = h; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (!*h)
		snprintf(h, max, "unknown");
}

/* Refuse an output inside a tree this collection walks (unless forced): it would list itself. */
static enum irk_code check_inside(struct irk_collector *c, const char *abs, struct irk_err *err)
{
	struct irk_buf up = IRK_BUF_INIT;
	enum irk_code rc = IRK_OK;

	for (size_t k = 0; k < sizeof(collected_trees) / sizeof(collected_trees[0]) && !rc; k++) {
		const char *t = collected_trees[k].tree;
		struct stat tree, st;
		int fd;

		if (!c->run[area_index(collected_trees[k].area)])
			continue;
		if ((fd = irk_collect_open(c, t, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		if (fstat(fd, &tree) != 0) {
			close(fd);
			continue;
		}
		close(fd);
		/* the output, then each of its parents: is one of them the tree? */
		irk_buf_reset(&up);
		irk_buf_adds(&up, abs);
		for (;;) {
			char *slash;

			if (stat(up.buf, &st) == 0 && st.st_dev == tree.st_dev && st.st_ino == tree.st_ino) {
				irk_fail(err, IRK_EUSAGE, "%s is inside %s%s, which is collected", abs,
					 c->res->root, t);
				irk_hint(err, "write the collection elsewhere (ideally to other media), or "
					      "pass --force-inside: the output is then left out of the listing");
				rc = IRK_EUSAGE;
				break;
			}
			if (!(slash = strrchr(up.buf, '/')) || up.len <= 1)
				break;
			irk_buf_setlen(&up, slash == up.buf ? 1 : (size_t)(slash - up.buf));
		}
	}
	irk_buf_release(&up);
	return rc;
}

enum irk_code irk_collect_run(const struct irk_collect_opts *opts, struct irk_collect_result *res,
			      struct irk_err *err)
{
	struct irk_collector c = { .root_fd = -1 };
	struct irk_buf abs = IRK_BUF_INIT;
	enum irk_code rc;
	int total = 0, i = 0;

	memset(res, 0, sizeof(*res));
	if (!opts->out || !*opts->out)
		return irk_fail(err, IRK_EUSAGE, "no output named");
	c.opts = opts;
	c.res = res;
	c.err = err;
	if ((rc = open_root(&c, opts->root, err)) || (rc = choose_areas(&c, opts->areas, err)))
		goto fail;
	resolve_out(opts->out, &abs);
	if (!opts->force_inside && (rc = check_inside(&c, abs.buf, err)))
		goto fail;
	c.copy_max = opts->copy_max ? opts->copy_max : IRK_COLLECT_COPY_MAX;
	c.copy_total = opts->copy_total ? opts->copy_total : IRK_COLLECT_COPY_TOTAL;
	res->started_ms = irk_now_ms();
	host_name(&c);
	snprintf(res->out, sizeof(res->out), "%s", abs.buf);
	if ((rc = open_output(&c, abs.buf, err)))
		goto fail;
	for (size_t k = 0; k < N_AREAS; k++)
		total += c.run[k];
	for (size_t k = 0; k < N_AREAS && !c.werr; k++) {
		const struct irk_collect_area *a = &irk_collect_areas[k];

		if (!c.run[k]) {
			irk_collect_log(&c, "area", a->name,
					opts->areas ? "left out: not named in --areas"
						    : "left out: it describes the running host, not the tree "
						      "under --root (name it in --areas to take it)");
			continue;
		}
		if (opts->progress)
			opts->progress(a->name, ++i, total, opts->progress_arg);
		irk_collect_log(&c, "area", a->name, "started");
		a->run(&c);
		flush_areas(&c);
	}
	res->finished_ms = irk_now_ms();
	if (!opts->signer)
		irk_collect_log(&c, "unsigned", "MANIFEST", "no identity: the manifest is not signed");
	put(&c, "collect.log.jsonl", c.log.buf, c.log.len, 1);
	write_summary(&c, abs.buf);
	write_manifest(&c);
	if (c.ar && !c.werr && archive_write_close(c.ar) != ARCHIVE_OK)
		write_failed(&c, abs.buf, archive_error_string(c.ar));
	if (!c.werr)
		sync_output(&c, abs.buf);
	rc = c.werr;
fail:
	free_collector(&c);
	irk_buf_release(&abs);
	return rc;
}
