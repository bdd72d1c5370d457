/*
 * baseline.c - the baseline file: record lines, the streaming writer that
 * signs it, and the reader that refuses anything not exactly as signed.
 * The format is described in irk/baseline.h and docs/INTEGRITY.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/baseline.h"
#include "irk/fs.h"
#include "irk/timefmt.h"

#define WRITE_CHUNK (1 << 20)
#define READ_CHUNK (256 * 1024)
#define SIGNED_PREFIX "irk-baseline 1 sha256 "

void irk_fentry_free(struct irk_fentry *e)
{
	if (!e)
		return;
	free(e->path);
	free(e->target);
	free(e);
}

int irk_path_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	if (*x == *y)
		return 0;
	if (!*x)
		return -1;
	if (!*y)
		return 1;
	if (*x == '/')
		return -1;
	if (*y == '/')
		return 1;
	return *x < *y ? -1 : 1;
}

void irk_pct_encode(const char *s, struct irk_buf *out)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f || *p == '%') {
			irk_buf_addch(out, '%');
			irk_buf_addch(out, hex[*p >> 4]);
			irk_buf_addch(out, hex[*p & 15]);
		} else {
			irk_buf_addch(out, *p);
		}
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum irk_code irk_pct_decode(const char *s, size_t len, struct irk_buf *out, struct irk_err *err)
{
	irk_buf_reset(out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < len ? hexval(s[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return irk_fail(err, IRK_EINVAL, "a bad %%-escape");
			c = (unsigned char)(hi * 16 + lo);
			if (c == 0)
				return irk_fail(err, IRK_EINVAL, "an escaped NUL byte");
			i += 2;
		} else if (c <= 0x20 || c == 0x7f) {
			return irk_fail(err, IRK_EINVAL, "an unescaped blank or control byte");
		}
		irk_buf_addch(out, c);
	}
	return IRK_OK;
}

void irk_fentry_format(const struct irk_fentry *e, struct irk_buf *out)
{
	char hex[IRK_SHA256_HEX];

	irk_pct_encode(e->path, out);
	irk_buf_addf(out, "\t%c\t%04o\t%u\t%u\t%" PRIu64 "\t%" PRId64 ".%09ld\t%" PRId64 ".%09ld\t%" PRIu64
			  "\t%" PRIu64 "\t",
		     e->type, e->mode, e->uid, e->gid, e->size, e->mtime_s, e->mtime_ns, e->ctime_s,
		     e->ctime_ns, e->inode, e->nlink);
	switch (e->hash) {
	case IRK_HASH_OK:
		irk_hex(e->sha256, IRK_SHA256_LEN, hex);
		irk_buf_adds(out, hex);
		break;
	case IRK_HASH_UNREADABLE:
		irk_buf_adds(out, "unreadable");
		break;
	case IRK_HASH_CHANGING:
		irk_buf_adds(out, "changing");
		break;
	case IRK_HASH_NONE:
		if (e->type == 'd' && e->unlisted)
			irk_buf_adds(out, "unreadable");
		break;
	}
	irk_buf_addch(out, '\t');
	if (e->target)
		irk_pct_encode(e->target, out);
	irk_buf_addch(out, '\n');
}

/* Parse an unsigned decimal field exactly; -1 on anything else. */
static int parse_u64(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');
		if (s[i] < '0' || s[i] > '9' || x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	if (x > max)
		return -1;
	*v = x;
	return 0;
}

static int parse_frac9(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	for (int i = 0; i < 9; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return 0;
}

static int parse_time_field(const char *s, size_t n, int64_t *sec, long *ns)
{
	const char *dot = memchr(s, '.', n);
	int neg = n > 0 && s[0] == '-';
	uint64_t a, b;

	if (!dot || (size_t)(s + n - dot - 1) != 9 ||
	    parse_u64(s + neg, (size_t)(dot - s) - (size_t)neg, INT64_MAX, &a) ||
	    parse_frac9(dot + 1, &b))
		return -1;
	*sec = neg ? -(int64_t)a : (int64_t)a;
	*ns = (long)b;
	return 0;
}

enum irk_code irk_fentry_parse(const char *line, size_t len, struct irk_fentry *e,
			       struct irk_err *err)
{
	const char *f[12];
	size_t flen[12];
	size_t nf = 0, start = 0;
	uint64_t v;
	struct irk_buf tmp = IRK_BUF_INIT;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i <= len; i++)
		if (i == len || line[i] == '\t') {
			if (nf == 12)
				return irk_fail(err, IRK_EINVAL, "a record has more than 12 fields");
			f[nf] = line + start;
			flen[nf++] = i - start;
			start = i + 1;
		}
	if (nf != 12)
		return irk_fail(err, IRK_EINVAL, "a record has %zu fields, not 12", nf);
	if (flen[0] == 0 || irk_pct_decode(f[0], flen[0], &tmp, err) || tmp.buf[0] != '/') {
		irk_buf_release(&tmp);
		irk_err_clear(err);
		return irk_fail(err, IRK_EINVAL, "a record's path is not a well-formed absolute path");
	}
	e->path = irk_buf_detach(&tmp, NULL);
	if (flen[1] != 1 || !strchr("fdlcbps", f[1][0]) || !f[1][0])
		goto bad;
	e->type = f[1][0];
	if (flen[2] != 4)
		goto bad;
	for (int i = 0; i < 4; i++) {
		if (f[2][i] < '0' || f[2][i] > '7')
			goto bad;
		e->mode = e->mode * 8 + (unsigned)(f[2][i] - '0');
	}
	if (parse_u64(f[3], flen[3], UINT32_MAX, &v))
		goto bad;
	e->uid = (unsigned)v;
	if (parse_u64(f[4], flen[4], UINT32_MAX, &v))
		goto bad;
	e->gid = (unsigned)v;
	if (parse_u64(f[5], flen[5], INT64_MAX, &e->size) ||
	    parse_time_field(f[6], flen[6], &e->mtime_s, &e->mtime_ns) ||
	    parse_time_field(f[7], flen[7], &e->ctime_s, &e->ctime_ns) ||
	    parse_u64(f[8], flen[8], UINT64_MAX, &e->inode) ||
	    parse_u64(f[9], flen[9], UINT64_MAX, &e->nlink))
		goto bad;
	if (flen[10] == 0)
		e->hash = IRK_HASH_NONE;
	else if (flen[10] == 10 && !memcmp(f[10], "unreadable", 10) && e->type == 'd')
		e->unlisted = 1; /* a directory that could not be listed */
	else if (flen[10] == 10 && !memcmp(f[10], "unreadable", 10))
		e->hash = IRK_HASH_UNREADABLE;
	else if (flen[10] == 8 && !memcmp(f[10], "changing", 8))
		e->hash = IRK_HASH_CHANGING;
	else if (flen[10] == 64) {
		char hex[IRK_SHA256_HEX];
		memcpy(hex, f[10], 64);
		hex[64] = '\0';
		for (int i = 0; i < 64; i++)
			if (!strchr("0123456789abcdef", hex[i]) || !hex[i])
				goto bad;
		if (irk_unhex(hex, e->sha256, IRK_SHA256_LEN))
			goto bad;
		e->hash = IRK_HASH_OK;
	} else
		goto bad;
	if ((e->hash != IRK_HASH_NONE) != (e->type == 'f'))
		goto bad;
	if (flen[11]) {
		if (e->type != 'l' || irk_pct_decode(f[11], flen[11], &tmp, err)) {
			irk_err_clear(err);
			goto bad;
		}
		e->target = irk_buf_detach(&tmp, NULL);
	} else if (e->type == 'l') {
		goto bad;
	}
	irk_buf_release(&tmp);
	return IRK_OK;
bad:
	irk_buf_release(&tmp);
	{
		struct irk_buf shown = IRK_BUF_INIT;
		irk_pct_encode(e->path, &shown);
		irk_fail(err, IRK_EINVAL, "the record of %.200s is malformed", shown.buf);
		irk_buf_release(&shown);
	}
	free(e->path);
	free(e->target);
	memset(e, 0, sizeof(*e));
	return IRK_EINVAL;
}

/* ---- writer ---- */

struct irk_baseline_writer {
	int fd;
	char *path, *tmp;
	struct irk_buf out;
	struct irk_sha256_ctx *all, *body;
	uint64_t count;
	char *last;
};

static enum irk_code writer_flush(struct irk_baseline_writer *w, struct irk_err *err)
{
	size_t off = 0;

	while (off < w->out.len) {
		ssize_t n = write(w->fd, w->out.buf + off, w->out.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return irk_fail(err, IRK_EIO, "cannot write %s: %s", w->tmp, strerror(errno));
		off += (size_t)n;
	}
	irk_buf_reset(&w->out);
	return IRK_OK;
}

/* Add text to the output, hashing it into the running digests. */
static enum irk_code writer_put(struct irk_baseline_writer *w, size_t from, int is_body,
				struct irk_err *err)
{
	irk_sha256_update(w->all, w->out.buf + from, w->out.len - from);
	if (is_body)
		irk_sha256_update(w->body, w->out.buf + from, w->out.len - from);
	return w->out.len >= WRITE_CHUNK ? writer_flush(w, err) : IRK_OK;
}

enum irk_code irk_baseline_begin(const char *path, const struct irk_policy *p, const char *host,
				 int64_t created_ms, struct irk_baseline_writer **out,
				 struct irk_err *err)
{
	struct irk_baseline_writer *w = irk_calloc(1, sizeof(*w));
	struct irk_buf pol = IRK_BUF_INIT, tmp = IRK_BUF_INIT;
	char when[IRK_TIME_MAX];

	irk_buf_addf(&tmp, "%s.tmp.XXXXXX", path);
	w->fd = mkstemp(tmp.buf);
	if (w->fd < 0) {
		irk_fail(err, IRK_EIO, "cannot create %s: %s", tmp.buf, strerror(errno));
		irk_buf_release(&tmp);
		free(w);
		return IRK_EIO;
	}
	fchmod(w->fd, 0644);
	w->tmp = irk_buf_detach(&tmp, NULL);
	w->path = irk_strdup(path);
	w->all = irk_sha256_begin();
	w->body = irk_sha256_begin();
	irk_time_utc(created_ms, 0, when);
	irk_buf_addf(&w->out, "%s\ncreated %s\nhost ", IRK_BASELINE_MAGIC, when);
	irk_pct_encode(host, &w->out);
	irk_buf_addch(&w->out, '\n');
	irk_policy_format(p, &pol);
	for (char *s = pol.buf, *nl; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		*nl = '\0';
		irk_buf_adds(&w->out, "policy ");
		irk_pct_encode(s, &w->out);
		irk_buf_addch(&w->out, '\n');
	}
	irk_buf_release(&pol);
	irk_buf_adds(&w->out, "records\n");
	writer_put(w, 0, 0, NULL);
	*out = w;
	return IRK_OK;
}

enum irk_code irk_baseline_add(struct irk_baseline_writer *w, const struct irk_fentry *e,
			       struct irk_err *err)
{
	size_t from = w->out.len;

	if (w->last && irk_path_cmp(w->last, e->path) >= 0)
		return irk_fail(err, IRK_EINTERNAL, "baseline records out of order at %s", e->path);
	free(w->last);
	w->last = irk_strdup(e->path);
	irk_fentry_format(e, &w->out);
	w->count++;
	return writer_put(w, from, 1, err);
}

void irk_baseline_abort(struct irk_baseline_writer *w)
{
	uint8_t d[IRK_SHA256_LEN];

	if (!w)
		return;
	close(w->fd);
	if (*w->tmp) /* empty once renamed into place */
		unlink(w->tmp);
	irk_sha256_end(w->all, d);
	irk_sha256_end(w->body, d);
	irk_buf_release(&w->out);
	free(w->tmp);
	free(w->path);
	free(w->last);
	free(w);
}

static void signed_message(const uint8_t digest[IRK_SHA256_LEN], struct irk_buf *msg)
{
	char hex[IRK_SHA256_HEX];

	irk_hex(digest, IRK_SHA256_LEN, hex);
	irk_buf_addf(msg, SIGNED_PREFIX "%s", hex);
}

enum irk_code irk_baseline_finish(struct irk_baseline_writer *w, const struct irk_identity *id,
				  uint64_t *count, struct irk_err *err)
{
	uint8_t body[IRK_SHA256_LEN], all[IRK_SHA256_LEN], sig[IRK_SIG_LEN];
	char hex[IRK_SHA256_HEX], pk64[64], sig64[128];
	struct irk_buf msg = IRK_BUF_INIT;
	size_t from;
	enum irk_code rc;
	char *dir, *slash;

	irk_sha256_end(w->body, body);
	w->body = irk_sha256_begin();
	irk_hex(body, IRK_SHA256_LEN, hex);
	from = w->out.len;
	irk_buf_addf(&w->out, "end %" PRIu64 " %s\n", w->count, hex);
	writer_put(w, from, 0, NULL);
	irk_sha256_end(w->all, all);
	w->all = irk_sha256_begin();
	signed_message(all, &msg);
	irk_sign(id, msg.buf, msg.len, sig);
	irk_buf_release(&msg);
	irk_b64(id->pk, IRK_PK_LEN, pk64);
	irk_b64(sig, IRK_SIG_LEN, sig64);
	irk_buf_addf(&w->out, "signature %s %s %s\n", id->keyid, pk64, sig64);
	rc = writer_flush(w, err);
	if (!rc && fsync(w->fd) != 0)
		rc = irk_fail(err, IRK_EIO, "cannot sync %s: %s", w->tmp, strerror(errno));
	if (!rc && rename(w->tmp, w->path) != 0)
		rc = irk_fail(err, IRK_EIO, "cannot rename %s to %s: %s", w->tmp, w->path,
			      strerror(errno));
	if (!rc) {
		dir = irk_strdup(w->path);
		slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir ? 1 : 0] = '\0';
		rc = irk_fsync_dir(slash ? dir : ".", err);
		free(dir);
		*w->tmp = '\0';
	}
	if (count)
		*count = w->count;
	irk_baseline_abort(w);
	return rc;
}

/* ---- reader ---- */

struct irk_baseline_reader {
	int fd;
	char *name;
	char *buf;
	size_t len, pos;
	int eof;
	uint64_t lineno;
	struct irk_buf line;
	struct irk_buf prev;
	struct irk_sha256_ctx *all, *body;
	struct irk_fentry cur;
	struct irk_baseline_info info;
	uint64_t seen;
	int at_end;
};

/* Next line without its newline into r->line: 1, or 0 at end of file; -1 with err set. */
static int read_line(struct irk_baseline_reader *r, struct irk_err *err)
{
	irk_buf_reset(&r->line);
	for (;;) {
		if (r->pos < r->len) {
			char *start = r->buf + r->pos;
			char *nl = memchr(start, '\n', r->len - r->pos);
			size_t n = nl ? (size_t)(nl - start) : r->len - r->pos;

			if (r->line.len + n >= IRK_BASELINE_LINE_MAX) {
				irk_fail(err, IRK_EINVAL, "%s: line %" PRIu64 " is longer than %d bytes",
					 r->name, r->lineno + 1, IRK_BASELINE_LINE_MAX);
				return -1;
			}
			irk_buf_add(&r->line, start, n);
			r->pos += n + (nl ? 1 : 0);
			if (nl) {
				r->lineno++;
				if (memchr(r->line.buf, '\0', r->line.len)) {
					irk_fail(err, IRK_EINVAL, "%s: line %" PRIu64 " holds a NUL byte",
						 r->name, r->lineno);
					return -1;
				}
				return 1;
			}
			continue;
		}
		if (r->eof) {
			if (r->line.len) {
				irk_fail(err, IRK_EINVAL, "%s is truncated: its last line is incomplete",
					 r->name);
				return -1;
			}
			return 0;
		}
		{
			ssize_t n = read(r->fd, r->buf, READ_CHUNK);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				irk_fail(err, IRK_EIO, "cannot read %s: %s", r->name, strerror(errno));
				return -1;
			}
			r->len = (size_t)n;
			r->pos = 0;
			r->eof = n == 0;
		}
	}
}

static void hash_line(struct irk_sha256_ctx *c, const struct irk_buf *line)
{
	irk_sha256_update(c, line->buf, line->len);
	irk_sha256_update(c, "\n", 1);
}

static enum irk_code truncated(struct irk_baseline_reader *r, const char *what, struct irk_err *err)
{
	irk_fail(err, IRK_EINVAL, "%s is truncated: it ends before its %s", r->name, what);
	irk_hint(err, "the file is incomplete; use the copy you stored elsewhere");
	return IRK_EINVAL;
}

/* Read and check the header; stops after the "records" line. */
static enum irk_code read_header(struct irk_baseline_reader *r, struct irk_err *err)
{
	struct irk_buf dec = IRK_BUF_INIT;
	int got;

	got = read_line(r, err);
	if (got < 0)
		return err ? err->code : IRK_EINVAL;
	if (got == 0)
		return irk_fail(err, IRK_EINVAL, "%s is empty", r->name);
	if (strcmp(r->line.buf, IRK_BASELINE_MAGIC)) {
		if (!strncmp(r->line.buf, "irk-baseline ", 13))
			irk_fail(err, IRK_EINVAL, "%s is a baseline of format '%.20s', which this "
				 "irk does not read", r->name, r->line.buf + 13);
		else
			irk_fail(err, IRK_EINVAL, "%s is not an irk baseline (it does not begin "
				 "with '" IRK_BASELINE_MAGIC "')", r->name);
		irk_hint(err, "make one with 'irk baseline create'");
		return IRK_EINVAL;
	}
	hash_line(r->all, &r->line);
	irk_buf_reset(&r->info.policy);
	for (;;) {
		char *sp;

		got = read_line(r, err);
		if (got < 0)
			goto fail;
		if (got == 0) {
			irk_buf_release(&dec);
			return truncated(r, "records", err);
		}
		hash_line(r->all, &r->line);
		if (!strcmp(r->line.buf, "records"))
			break;
		sp = strchr(r->line.buf, ' ');
		if (!sp) {
			irk_fail(err, IRK_EINVAL, "%s: line %" PRIu64 " is not a header line",
				 r->name, r->lineno);
			goto fail;
		}
		*sp++ = '\0';
		if (irk_pct_decode(sp, strlen(sp), &dec, err)) {
			irk_err_prefix(err, "%s: line %" PRIu64, r->name, r->lineno);
			goto fail;
		}
		if (!strcmp(r->line.buf, "created"))
			snprintf(r->info.created, sizeof(r->info.created), "%s", dec.buf);
		else if (!strcmp(r->line.buf, "host"))
			snprintf(r->info.host, sizeof(r->info.host), "%s", dec.buf);
		else if (!strcmp(r->line.buf, "policy") && r->info.policy.len + dec.len < IRK_POLICY_MAX)
			irk_buf_addf(&r->info.policy, "%s\n", dec.buf);
		else {
			irk_fail(err, IRK_EINVAL, "%s: line %" PRIu64 ": unknown header '%.40s'",
				 r->name, r->lineno, r->line.buf);
			goto fail;
		}
	}
	irk_buf_release(&dec);
	return IRK_OK;
fail:
	irk_buf_release(&dec);
	return err && err->code ? err->code : IRK_EINVAL;
}

/* Read one record or the "end" line.  1: record in r->cur; 0: end line read and checked. */
static int read_record(struct irk_baseline_reader *r, struct irk_err *err)
{
	int got = read_line(r, err);

	if (got < 0)
		return -1;
	if (got == 0) {
		truncated(r, "end line", err);
		return -1;
	}
	if (!strncmp(r->line.buf, "end ", 4)) {
		uint8_t body[IRK_SHA256_LEN];
		char hex[IRK_SHA256_HEX], want[IRK_SHA256_HEX + 32];

		irk_sha256_end(r->body, body);
		r->body = irk_sha256_begin();
		irk_hex(body, IRK_SHA256_LEN, hex);
		snprintf(want, sizeof(want), "end %" PRIu64 " %s", r->seen, hex);
		if (strcmp(r->line.buf, want)) {
			irk_fail(err, IRK_ETAMPER, "%s does not match its own trailer: records were "
				 "changed, added or removed", r->name);
			irk_hint(err, "do not trust this baseline; use the copy you stored elsewhere");
			return -1;
		}
		hash_line(r->all, &r->line);
		r->info.count = r->seen;
		return 0;
	}
	hash_line(r->all, &r->line);
	hash_line(r->body, &r->line);
	free(r->cur.path);
	free(r->cur.target);
	if (irk_fentry_parse(r->line.buf, r->line.len, &r->cur, err)) {
		irk_err_prefix(err, "%s: line %" PRIu64, r->name, r->lineno);
		return -1;
	}
	if (r->prev.len && irk_path_cmp(r->prev.buf, r->cur.path) >= 0) {
		irk_fail(err, IRK_EINVAL, "%s: line %" PRIu64 " is out of order (records must be "
			 "sorted by path)", r->name, r->lineno);
		return -1;
	}
	irk_buf_reset(&r->prev);
	irk_buf_adds(&r->prev, r->cur.path);
	r->seen++;
	return 1;
}

static enum irk_code read_signature(struct irk_baseline_reader *r, const uint8_t (*trusted)[IRK_PK_LEN],
				    size_t n, struct irk_err *err)
{
	uint8_t all[IRK_SHA256_LEN], sig[IRK_SIG_LEN];
	char keyid[IRK_KEYID_HEX], *w[4];
	struct irk_buf msg = IRK_BUF_INIT;
	int got = read_line(r, err), i = 0, ok;
	char *save = NULL;

	if (got < 0)
		return err && err->code ? err->code : IRK_EINVAL;
	if (got == 0)
		return truncated(r, "signature", err);
	for (char *t = strtok_r(r->line.buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (i == 4)
			break;
		w[i++] = t;
	}
	if (i != 4 || strcmp(w[0], "signature") || strtok_r(NULL, " ", &save) ||
	    irk_unb64(w[2], strlen(w[2]), r->info.signer_pk, IRK_PK_LEN) != IRK_PK_LEN ||
	    irk_unb64(w[3], strlen(w[3]), sig, IRK_SIG_LEN) != IRK_SIG_LEN)
		return irk_fail(err, IRK_EINVAL, "%s: the signature line is malformed", r->name);
	irk_keyid(r->info.signer_pk, keyid);
	if (strcmp(keyid, w[1]))
		return irk_fail(err, IRK_ETAMPER, "%s: the signature's key id does not match its key",
				r->name);
	if (read_line(r, err) != 0)
		return irk_fail(err, IRK_EINVAL, "%s: there is more after the signature line", r->name);
	irk_sha256_end(r->all, all);
	r->all = irk_sha256_begin();
	irk_hex(all, IRK_SHA256_LEN, r->info.digest);
	signed_message(all, &msg);
	ok = irk_sig_check(r->info.signer_pk, msg.buf, msg.len, sig) == 0;
	irk_buf_release(&msg);
	if (!ok) {
		irk_fail(err, IRK_ETAMPER, "%s: the signature does not verify: the baseline was "
			 "changed after it was signed", r->name);
		irk_hint(err, "do not trust this baseline; use the copy you stored elsewhere");
		return IRK_ETAMPER;
	}
	snprintf(r->info.signer, sizeof(r->info.signer), "%s", keyid);
	if (n) {
		for (size_t k = 0; k < n; k++)
			if (!memcmp(trusted[k], r->info.signer_pk, IRK_PK_LEN))
				return IRK_OK;
		irk_fail(err, IRK_ETAMPER, "%s is signed by key %s, which is not yours or one "
			 "you trust", r->name, keyid);
		irk_hint(err, "check it with the key that made it: --trust VKEY");
		return IRK_ETAMPER;
	}
	return IRK_OK;
}

static void reader_rewind(struct irk_baseline_reader *r)
{
	uint8_t d[IRK_SHA256_LEN];

	lseek(r->fd, 0, SEEK_SET);
	r->len = r->pos = 0;
	r->eof = 0;
	r->lineno = 0;
	r->seen = 0;
	r->at_end = 0;
	irk_buf_reset(&r->prev);
	irk_sha256_end(r->all, d);
	irk_sha256_end(r->body, d);
	r->all = irk_sha256_begin();
	r->body = irk_sha256_begin();
}

enum irk_code irk_baseline_open_fd(int fd, const char *name, const uint8_t (*trusted)[IRK_PK_LEN],
				   size_t n, struct irk_baseline_reader **out,
				   struct irk_baseline_info *info, struct irk_err *err)
{
	struct irk_baseline_reader *r = irk_calloc(1, sizeof(*r));
	enum irk_code rc;
	int got;

	r->fd = fd;
	r->name = irk_strdup(name);
	r->buf = irk_malloc(READ_CHUNK);
	irk_buf_init(&r->line, 256);
	r->all = irk_sha256_begin();
	r->body = irk_sha256_begin();
	irk_buf_init(&r->info.policy, 0);
	/* Pass 1: check everything before handing out a single record. */
	rc = read_header(r, err);
	while (!rc && (got = read_record(r, err)) != 0)
		if (got < 0)
			rc = err && err->code ? err->code : IRK_EINVAL;
	if (!rc)
		rc = read_signature(r, trusted, n, err);
	if (!rc) {
		struct irk_buf keep = IRK_BUF_INIT;
		irk_buf_add(&keep, r->info.policy.buf, r->info.policy.len);
		reader_rewind(r);
		/* Pass 2 starts: the header again. */
		rc = read_header(r, err);
		if (!rc && (keep.len != r->info.policy.len ||
			    memcmp(keep.buf, r->info.policy.buf, keep.len)))
			rc = irk_fail(err, IRK_ETAMPER, "%s changed while it was being read", name);
		irk_buf_release(&keep);
	}
	if (rc) {
		irk_baseline_close(r);
		return rc;
	}
	*info = r->info;
	irk_buf_init(&info->policy, 0);
	irk_buf_add(&info->policy, r->info.policy.buf, r->info.policy.len);
	*out = r;
	return IRK_OK;
}

enum irk_code irk_baseline_open(const char *path, const uint8_t (*trusted)[IRK_PK_LEN], size_t n,
				struct irk_baseline_reader **out, struct irk_baseline_info *info,
				struct irk_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		irk_fail(err, errno == ENOENT ? IRK_ENOTFOUND : IRK_EIO, "cannot open baseline %s: %s",
			 path, strerror(errno));
		if (errno == ENOENT)
			irk_hint(err, "make one with 'irk baseline create -o %s'", path);
		return err ? err->code : IRK_EIO;
	}
	return irk_baseline_open_fd(fd, path, trusted, n, out, info, err);
}

enum irk_code irk_baseline_next(struct irk_baseline_reader *r, const struct irk_fentry **e,
				struct irk_err *err)
{
	int got;

	if (r->at_end)
		return IRK_ENOTFOUND;
	got = read_record(r, err);
	if (got < 0)
		return irk_fail(err, IRK_ETAMPER, "%s changed while it was being read", r->name);
	if (got == 0) {
		uint8_t all[IRK_SHA256_LEN];
		char hex[IRK_SHA256_HEX];

		r->at_end = 1;
		irk_sha256_end(r->all, all);
		r->all = irk_sha256_begin();
		irk_hex(all, IRK_SHA256_LEN, hex);
		if (strcmp(hex, r->info.digest))
			return irk_fail(err, IRK_ETAMPER, "%s changed while it was being read", r->name);
		return IRK_ENOTFOUND;
	}
	*e = &r->cur;
	return IRK_OK;
}

void irk_baseline_close(struct irk_baseline_reader *r)
{
	uint8_t d[IRK_SHA256_LEN];

	if (!r)
		return;
	close(r->fd);
	irk_sha256_end(r->all, d);
	irk_sha256_end(r->body, d);
	free(r->name);
	free(r->buf);
	free(r->cur.path);
	free(r->cur.target);
	irk_buf_release(&r->line);
	irk_buf_release(&r->prev);
	irk_buf_release(&r->info.policy);
	free(r);
}

void irk_baseline_info_release(struct irk_baseline_info *info)
{
	irk_buf_release(&info->policy);
}
