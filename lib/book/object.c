/* object.c - the content-addressed object store; see irk/object.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "irk/fs.h"
#include "irk/object.h"

#define CHUNK (128 * 1024)

int irk_object_name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

/* objects/ab/cdef...[.zst] */
static void object_file(const char *objdir, const char *sha256, int compressed,
			struct irk_buf *out)
{
	irk_buf_reset(out);
	irk_buf_addf(out, "%s/%.2s/%s%s", objdir, sha256, sha256 + 2, compressed ? ".zst" : "");
}

enum irk_code irk_object_path(const char *objdir, const char *sha256, struct irk_buf *path,
			      int *compressed, struct irk_err *err)
{
	struct stat st;

	if (!irk_object_name_ok(sha256))
		return irk_fail(err, IRK_EINVAL, "'%s' is not an object name (64 hex digits)", sha256);
	for (int z = 0; z < 2; z++) {
		object_file(objdir, sha256, z, path);
		if (lstat(path->buf, &st) == 0) {
			if (!S_ISREG(st.st_mode))
				return irk_fail(err, IRK_ETAMPER, "object %s is not a regular file",
						path->buf);
			if (compressed)
				*compressed = z;
			return IRK_OK;
		}
	}
	return irk_fail(err, IRK_ENOTFOUND, "object %s is missing from %s", sha256, objdir);
}

/* The writer side: hash, maybe compress, write to a temporary file. */
struct writer {
	int fd;
	const char *tmp;
	struct irk_sha256_ctx *hash;
	ZSTD_CCtx *zc;
	uint64_t size, stored;
	char *zbuf;
	size_t zcap;
};

static enum irk_code write_all(struct writer *w, const void *data, size_t len, struct irk_err *err)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(w->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return irk_fail(err, IRK_EIO, "cannot write %s: %s", w->tmp, strerror(errno));
		p += n;
		len -= (size_t)n;
		w->stored += (uint64_t)n;
	}
	return IRK_OK;
}

static enum irk_code writer_feed(struct writer *w, const void *data, size_t len, int last,
				 struct irk_err *err)
{
	ZSTD_inBuffer in = { data, len, 0 };

	if (len)
		irk_sha256_update(w->hash, data, len);
	w->size += len;
	if (!w->zc)
		return write_all(w, data, len, err);
	for (;;) {
		ZSTD_outBuffer out = { w->zbuf, w->zcap, 0 };
		size_t left = ZSTD_compressStream2(w->zc, &out, &in, last ? ZSTD_e_end : ZSTD_e_continue);
		enum irk_code rc;

		if (ZSTD_isError(left))
			return irk_fail(err, IRK_EIO, "compressing %s: %s", w->tmp,
					ZSTD_getErrorName(left));
		if ((rc = write_all(w, w->zbuf, out.pos, err)))
			return rc;
		if (last ? left == 0 : in.pos == in.size)
			return IRK_OK;
	}
}

typedef enum irk_code (*fill_fn)(struct writer *w, void *arg, struct irk_err *err);

static enum irk_code put(const char *objdir, int compress, fill_fn fill, void *arg,
			 struct irk_object_info *out, struct irk_err *err)
{
	struct irk_buf tmp = IRK_BUF_INIT, final = IRK_BUF_INIT, dir = IRK_BUF_INIT;
	struct writer w = { .fd = -1 };
	uint8_t digest[IRK_SHA256_LEN];
	enum irk_code rc;
	int existing_z;

	memset(out, 0, sizeof(*out));
	if ((rc = irk_mkdirs(objdir, 0700, err)))
		return rc;
	irk_buf_addf(&tmp, "%s/incoming-XXXXXX", objdir);
	w.fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (w.fd < 0) {
		rc = irk_fail(err, IRK_EIO, "cannot create a file in %s: %s", objdir, strerror(errno));
		goto done;
	}
	w.tmp = tmp.buf;
	w.hash = irk_sha256_begin();
	if (compress) {
		w.zc = ZSTD_createCCtx();
		w.zcap = ZSTD_CStreamOutSize();
		w.zbuf = irk_malloc(w.zcap);
		if (!w.zc)
			abort();
		ZSTD_CCtx_setParameter(w.zc, ZSTD_c_compressionLevel, 3);
		ZSTD_CCtx_setParameter(w.zc, ZSTD_c_checksumFlag, 1);
	}
	if ((rc = fill(&w, arg, err)) || (rc = writer_feed(&w, NULL, 0, 1, err)))
		goto done;
	irk_sha256_end(w.hash, digest);
	w.hash = NULL;
	irk_hex(digest, sizeof(digest), out->sha256);
	out->size = w.size;
	out->stored = w.stored;
	out->compressed = compress;
	if (fchmod(w.fd, 0400) != 0 || fsync(w.fd) != 0) {
		rc = irk_fail(err, IRK_EIO, "cannot sync %s: %s", tmp.buf, strerror(errno));
		goto done;
	}
	close(w.fd);
	w.fd = -1;
	if (irk_object_path(objdir, out->sha256, &final, &existing_z, NULL) == IRK_OK) {
		/* Already stored: keep the existing copy (and its form). */
		struct stat st;
		out->compressed = existing_z;
		if (stat(final.buf, &st) == 0)
			out->stored = (uint64_t)st.st_size;
		unlink(tmp.buf);
		goto done;
	}
	irk_buf_addf(&dir, "%s/%.2s", objdir, out->sha256);
	if ((rc = irk_mkdirs(dir.buf, 0700, err)))
		goto done;
	object_file(objdir, out->sha256, compress, &final);
	if (rename(tmp.buf, final.buf) != 0) {
		rc = irk_fail(err, IRK_EIO, "cannot store %s: %s", final.buf, strerror(errno));
		goto done;
	}
	rc = irk_fsync_dir(dir.buf, err);
done:
	if (w.hash)
		irk_sha256_end(w.hash, digest);
	if (w.fd >= 0) {
		close(w.fd);
		unlink(tmp.buf);
	}
	if (rc && tmp.len)
		unlink(tmp.buf);
	ZSTD_freeCCtx(w.zc);
	free(w.zbuf);
	irk_buf_release(&tmp);
	irk_buf_release(&final);
	irk_buf_release(&dir);
	return rc;
}

struct fd_source {
	int fd;
	const char *what;
};

static enum irk_code fill_fd(struct writer *w, void *arg, struct irk_err *err)
{
	struct fd_source *src = arg;
	char *chunk = irk_malloc(CHUNK);
	enum irk_code rc = IRK_OK;

	for (;;) {
		ssize_t n = read(src->fd, chunk, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = irk_fail(err, IRK_EIO, "cannot read %s: %s", src->what, strerror(errno));
			break;
		}
		if (n == 0 || (rc = writer_feed(w, chunk, (size_t)n, 0, err)))
			break;
	}
	free(chunk);
	return rc;
}

enum irk_code irk_object_put_fd(const char *objdir, int fd, const char *what, int compress,
				struct irk_object_info *out, struct irk_err *err)
{
	struct fd_source src = { fd, what };
	return put(objdir, compress, fill_fd, &src, out, err);
}

struct src_source {
	irk_object_source fn;
	void *arg;
};

static enum irk_code fill_source(struct writer *w, void *arg, struct irk_err *err)
{
	struct src_source *src = arg;
	char *chunk = irk_malloc(CHUNK);
	enum irk_code rc = IRK_OK;

	for (;;) {
		long n = src->fn(chunk, CHUNK, src->arg, err);
		if (n < 0) {
			rc = err && err->code ? err->code : IRK_EIO;
			break;
		}
		if (n == 0 || (rc = writer_feed(w, chunk, (size_t)n, 0, err)))
			break;
	}
	free(chunk);
	return rc;
}

enum irk_code irk_object_put_source(const char *objdir, irk_object_source source, void *arg,
				    int compress, struct irk_object_info *out, struct irk_err *err)
{
	struct src_source src = { source, arg };
	return put(objdir, compress, fill_source, &src, out, err);
}

struct buf_source {
	const void *data;
	size_t len;
};

static enum irk_code fill_buf(struct writer *w, void *arg, struct irk_err *err)
{
	struct buf_source *src = arg;
	return src->len ? writer_feed(w, src->data, src->len, 0, err) : IRK_OK;
}

enum irk_code irk_object_put_buf(const char *objdir, const void *data, size_t len, int compress,
				 struct irk_object_info *out, struct irk_err *err)
{
	struct buf_source src = { data, len };
	return put(objdir, compress, fill_buf, &src, out, err);
}

/* Hash what is read and pass it on. */
static enum irk_code deliver(struct irk_sha256_ctx *h, irk_object_sink sink, void *arg,
			     const void *p, size_t n, uint64_t *size, struct irk_err *err)
{
	irk_sha256_update(h, p, n);
	*size += n;
	return sink && n ? sink(p, n, arg, err) : IRK_OK;
}

enum irk_code irk_object_read(const char *objdir, const char *sha256, irk_object_sink sink,
			      void *arg, uint64_t *size, struct irk_err *err)
{
	struct irk_buf path = IRK_BUF_INIT;
	struct irk_sha256_ctx *h = NULL;
	ZSTD_DCtx *zd = NULL;
	uint8_t digest[IRK_SHA256_LEN];
	char hex[IRK_SHA256_HEX];
	char *chunk = NULL, *plain = NULL;
	size_t plain_cap = 0, zret = 1;
	uint64_t total = 0;
	enum irk_code rc;
	int fd = -1, compressed = 0;

	if ((rc = irk_object_path(objdir, sha256, &path, &compressed, err)))
		goto done;
	fd = open(path.buf, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		rc = irk_fail(err, IRK_EIO, "cannot open %s: %s", path.buf, strerror(errno));
		goto done;
	}
	h = irk_sha256_begin();
	chunk = irk_malloc(CHUNK);
	if (compressed) {
		zd = ZSTD_createDCtx();
		plain_cap = ZSTD_DStreamOutSize();
		plain = irk_malloc(plain_cap);
		if (!zd)
			abort();
	}
	for (;;) {
		ssize_t n = read(fd, chunk, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = irk_fail(err, IRK_EIO, "cannot read %s: %s", path.buf, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		if (!compressed) {
			if ((rc = deliver(h, sink, arg, chunk, (size_t)n, &total, err)))
				goto done;
			continue;
		}
		ZSTD_inBuffer in = { chunk, (size_t)n, 0 };
		while (in.pos < in.size) {
			ZSTD_outBuffer out = { plain, plain_cap, 0 };
			zret = ZSTD_decompressStream(zd, &out, &in);
			if (ZSTD_isError(zret)) {
				rc = irk_fail(err, IRK_ETAMPER, "object %s is damaged: %s", sha256,
					      ZSTD_getErrorName(zret));
				goto done;
			}
			if ((rc = deliver(h, sink, arg, plain, out.pos, &total, err)))
				goto done;
		}
	}
	if (compressed && zret != 0) {
		rc = irk_fail(err, IRK_ETAMPER, "object %s is damaged: its compressed data is truncated",
			      sha256);
		goto done;
	}
	irk_sha256_end(h, digest);
	h = NULL;
	irk_hex(digest, sizeof(digest), hex);
	if (strcmp(hex, sha256)) {
		irk_fail(err, IRK_ETAMPER, "object %s does not match its hash (its content now hashes to %s)",
			 sha256, hex);
		irk_hint(err, "the stored copy was altered or damaged; restore %s from a bundle or backup",
			 path.buf);
		rc = IRK_ETAMPER;
		goto done;
	}
	if (size)
		*size = total;
done:
	if (h)
		irk_sha256_end(h, digest);
	if (fd >= 0)
		close(fd);
	ZSTD_freeDCtx(zd);
	free(chunk);
	free(plain);
	irk_buf_release(&path);
	return rc;
}
