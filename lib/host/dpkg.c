/*
 * dpkg.c - verifying installed packages against dpkg's checksums; see
 * irk/pkgverify.h.  Reads the status file, each package's .md5sums (or
 * notes that it has none) and the diversions, and hashes each file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "irk/filehash.h"
#include "irk/fs.h"
#include "irk/hash.h"
#include "irk/pkgverify.h"

const char *const irk_pkg_kind_names[] = {
	"modified", "missing", "replaced", "unreadable", "conffile-modified", "conffile-missing",
	"no-md5sums", NULL,
};

enum irk_code irk_md5sums_line(const char *line, size_t len, uint8_t md5[16], struct irk_buf *path,
			       struct irk_err *err)
{
	char hex[33];

	if (len < 35 || line[32] != ' ' || (line[33] != ' ' && line[33] != '*'))
		return irk_fail(err, IRK_EINVAL, "not an md5sums line ('<32 hex digits>  <path>')");
	for (int i = 0; i < 32; i++) {
		char c = line[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return irk_fail(err, IRK_EINVAL, "the checksum is not 32 hex digits");
		hex[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
	}
	hex[32] = '\0';
	if (irk_unhex(hex, md5, 16))
		return irk_fail(err, IRK_EINVAL, "the checksum is not 32 hex digits");
	line += 34;
	len -= 34;
	if (memchr(line, '\0', len) || (len == 1 && line[0] == '/'))
		return irk_fail(err, IRK_EINVAL, "the path is empty or holds a NUL byte");
	irk_buf_reset(path);
	if (line[0] != '/')
		irk_buf_addch(path, '/');
	irk_buf_add(path, line, len);
	if (strstr(path->buf, "/../") || (path->len >= 3 && !strcmp(path->buf + path->len - 3, "/..")))
		return irk_fail(err, IRK_EINVAL, "the path climbs out with '..'");
	return IRK_OK;
}

int irk_dpkg_conffile(const char *line, size_t len, struct irk_buf *path, uint8_t md5[16],
		      int *obsolete)
{
	char *s = irk_strndup(line, len), *save = NULL, *w[4];
	int n = 0, ok = 0;

	*obsolete = 0;
	for (char *t = strtok_r(s, " \t", &save); t && n < 4; t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	if (n >= 2 && w[0][0] == '/' && strlen(w[1]) == 32 && !irk_unhex(w[1], md5, 16)) {
		irk_buf_reset(path);
		irk_buf_adds(path, w[0]);
		for (int i = 2; i < n; i++)
			if (!strcmp(w[i], "obsolete"))
				*obsolete = 1;
		ok = 1;
	}
	free(s);
	return ok;
}

/* Copy field value into `out`: the first line's rest and, for multi-line fields, continuations. */
enum irk_code irk_dpkg_status_parse(const char *text, size_t len, irk_dpkg_pkg_fn fn, void *arg,
				    struct irk_err *err)
{
	struct irk_buf name = IRK_BUF_INIT, arch = IRK_BUF_INIT, status = IRK_BUF_INIT,
		       conf = IRK_BUF_INIT, multi = IRK_BUF_INIT;
	struct irk_buf *field = NULL;
	size_t off = 0, lineno = 0;
	enum irk_code rc = IRK_OK;

	while (!rc && off <= len) {
		const char *line = text + off;
		const char *nl = off < len ? memchr(line, '\n', len - off) : NULL;
		size_t n = nl ? (size_t)(nl - line) : len - off;
		int end = off >= len;

		lineno++;
		off += n + 1;
		if (memchr(line, '\0', n)) {
			rc = irk_fail(err, IRK_EINVAL, "status line %zu holds a NUL byte", lineno);
			break;
		}
		if (end || n == 0) {
			if (name.len) {
				struct irk_dpkg_pkg p = { name.buf, arch.buf, status.buf, conf.buf,
							  !strcmp(multi.buf, "same") };
				rc = fn(&p, arg, err);
			}
			irk_buf_reset(&name);
			irk_buf_reset(&arch);
			irk_buf_reset(&status);
			irk_buf_reset(&conf);
			irk_buf_reset(&multi);
			field = NULL;
			if (end)
				break;
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			if (field == &conf) {
				irk_buf_add(&conf, line, n);
				irk_buf_addch(&conf, '\n');
			}
			continue;
		}
		{
			const char *colon = memchr(line, ':', n);
			size_t k;
			const char *v;

			if (!colon) {
				rc = irk_fail(err, IRK_EINVAL, "status line %zu is not 'Field: value'",
					      lineno);
				break;
			}
			k = (size_t)(colon - line);
			v = colon + 1;
			while (v < line + n && (*v == ' ' || *v == '\t'))
				v++;
			field = NULL;
			if (k == 7 && !strncasecmp(line, "Package", 7))
				field = &name;
			else if (k == 12 && !strncasecmp(line, "Architecture", 12))
				field = &arch;
			else if (k == 6 && !strncasecmp(line, "Status", 6))
				field = &status;
			else if (k == 9 && !strncasecmp(line, "Conffiles", 9))
				field = &conf;
			else if (k == 10 && !strncasecmp(line, "Multi-Arch", 10))
				field = &multi;
			if (field && field != &conf) {
				irk_buf_reset(field);
				irk_buf_add(field, v, (size_t)(line + n - v));
				irk_buf_rtrim(field);
			}
		}
	}
	irk_buf_release(&name);
	irk_buf_release(&arch);
	irk_buf_release(&status);
	irk_buf_release(&conf);
	irk_buf_release(&multi);
	return rc;
}

/* ---- verification ---- */

struct diversion {
	char *from, *to, *by;
};

struct verify {
	const struct irk_pkg_opts *o;
	irk_pkg_fn fn;
	void *arg;
	struct irk_pkg_stats *st;
	struct diversion *div;
	size_t ndiv;
	void *buf;
	struct irk_buf file, path, where;
};

static int div_cmp(const void *a, const void *b)
{
	return strcmp(((const struct diversion *)a)->from, ((const struct diversion *)b)->from);
}

static enum irk_code load_diversions(struct verify *v, struct irk_err *err)
{
	struct irk_buf text = IRK_BUF_INIT;
	char *lines[3], *s, *save = NULL;
	int k = 0;
	enum irk_code rc;

	irk_buf_reset(&v->file);
	irk_path_join(&v->file, v->o->admindir, "diversions");
	rc = irk_read_file(v->file.buf, IRK_DPKG_LIST_MAX, &text, err);
	if (rc == IRK_ENOTFOUND) {
		irk_err_clear(err);
		irk_buf_release(&text);
		return IRK_OK;
	}
	if (rc) {
		irk_buf_release(&text);
		return rc;
	}
	for (s = strtok_r(text.buf, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		lines[k++] = s;
		if (k < 3)
			continue;
		k = 0;
		v->div = irk_realloc(v->div, (v->ndiv + 1) * sizeof(*v->div));
		v->div[v->ndiv].from = irk_strdup(lines[0]);
		v->div[v->ndiv].to = irk_strdup(lines[1]);
		v->div[v->ndiv].by = irk_strdup(lines[2]);
		v->ndiv++;
	}
	if (v->ndiv)
		qsort(v->div, v->ndiv, sizeof(*v->div), div_cmp);
	irk_buf_release(&text);
	return IRK_OK;
}

/* Where package `pkg`'s copy of `path` lives, after diversions. */
static const char *locate(struct verify *v, const char *pkg, const char *path)
{
	struct diversion key = { (char *)path, NULL, NULL }, *d = NULL;

	if (v->ndiv)
		d = bsearch(&key, v->div, v->ndiv, sizeof(*v->div), div_cmp);
	irk_buf_reset(&v->where);
	if (strcmp(v->o->root, "/"))
		irk_buf_adds(&v->where, v->o->root);
	irk_buf_adds(&v->where, d && strcmp(d->by, pkg) ? d->to : path);
	return v->where.buf;
}

static enum irk_code report(struct verify *v, enum irk_pkg_kind kind, const char *pkg,
			    const char *path, const uint8_t *want, const uint8_t *got, int errnum,
			    struct irk_err *err)
{
	struct irk_pkg_finding f = { kind, pkg, path, "", "", errnum };

	if (want)
		irk_hex(want, 16, f.expected);
	if (got)
		irk_hex(got, 16, f.actual);
	switch (kind) {
	case IRK_PKG_MODIFIED:
		v->st->modified++;
		break;
	case IRK_PKG_MISSING:
		v->st->missing++;
		break;
	case IRK_PKG_REPLACED:
		v->st->replaced++;
		break;
	case IRK_PKG_UNREADABLE:
		v->st->unreadable++;
		break;
	case IRK_PKG_CONF_MODIFIED:
		v->st->conffiles_modified++;
		break;
	case IRK_PKG_CONF_MISSING:
		v->st->conffiles_missing++;
		break;
	case IRK_PKG_NO_MD5SUMS:
		v->st->no_md5sums++;
		break;
	}
	return v->fn(&f, v->arg, err);
}

/* Check one file; `conf` selects the conffile kinds. */
static enum irk_code check_file(struct verify *v, const char *pkg, const char *path,
				const uint8_t want[16], int conf, struct irk_err *err)
{
	const char *where = locate(v, pkg, path);
	struct stat st;
	uint8_t got[16];
	int errnum;
	enum irk_hash_state h;

	if (lstat(where, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return report(v, conf ? IRK_PKG_CONF_MISSING : IRK_PKG_MISSING, pkg, where,
				      want, NULL, 0, err);
		return report(v, IRK_PKG_UNREADABLE, pkg, where, want, NULL, errno, err);
	}
	if (!S_ISREG(st.st_mode))
		return report(v, IRK_PKG_REPLACED, pkg, where, want, NULL, 0, err);
	h = irk_file_hash(where, IRK_DIGEST_MD5, NULL, got, v->buf, IRK_FILEHASH_BUF, &errnum);
	if (h == IRK_HASH_UNREADABLE)
		return report(v, IRK_PKG_UNREADABLE, pkg, where, want, NULL, errnum, err);
	if (h == IRK_HASH_CHANGING || memcmp(got, want, 16))
		return report(v, conf ? IRK_PKG_CONF_MODIFIED : IRK_PKG_MODIFIED, pkg, where, want,
			      h == IRK_HASH_OK ? got : NULL, 0, err);
	return IRK_OK;
}

/* The package's .list names at least one thing that is not a directory. */
static int has_files(struct verify *v, const char *info_name)
{
	struct irk_buf text = IRK_BUF_INIT;
	char *save = NULL;
	int found = 0;

	irk_buf_reset(&v->file);
	irk_buf_addf(&v->file, "%s/info/%s.list", v->o->admindir, info_name);
	if (irk_read_file(v->file.buf, IRK_DPKG_LIST_MAX, &text, NULL) == IRK_OK)
		for (char *s = strtok_r(text.buf, "\n", &save); s && !found;
		     s = strtok_r(NULL, "\n", &save)) {
			struct stat st;
			const char *where = locate(v, "", s);
			found = lstat(where, &st) == 0 && !S_ISDIR(st.st_mode);
		}
	irk_buf_release(&text);
	return found;
}

static enum irk_code verify_package(const struct irk_dpkg_pkg *p, void *arg, struct irk_err *err)
{
	struct verify *v = arg;
	struct irk_buf text = IRK_BUF_INIT, qual = IRK_BUF_INIT;
	const char *status_word = strrchr(p->status, ' ');
	enum irk_code rc = IRK_OK;
	uint8_t md5[16];
	size_t lineno = 0;
	int found = 0;

	if (!status_word || strcmp(status_word + 1, "installed"))
		return IRK_OK;
	if (v->o->n_only) {
		for (size_t i = 0; i < v->o->n_only; i++)
			found |= !strcmp(v->o->only[i], p->name);
		if (!found)
			return IRK_OK;
	}
	v->st->packages++;
	/* Multi-Arch: same packages keep <name>:<arch>.md5sums. */
	irk_buf_addf(&qual, "%s:%s", p->name, p->arch);
	irk_buf_reset(&v->file);
	irk_buf_addf(&v->file, "%s/info/%s.md5sums", v->o->admindir, qual.buf);
	rc = irk_read_file(v->file.buf, IRK_DPKG_LIST_MAX, &text, err);
	if (rc == IRK_ENOTFOUND) {
		irk_err_clear(err);
		irk_buf_reset(&v->file);
		irk_buf_addf(&v->file, "%s/info/%s.md5sums", v->o->admindir, p->name);
		rc = irk_read_file(v->file.buf, IRK_DPKG_LIST_MAX, &text, err);
	}
	if (rc == IRK_ENOTFOUND) {
		irk_err_clear(err);
		rc = IRK_OK;
		if (has_files(v, p->multiarch_same ? qual.buf : p->name))
			rc = report(v, IRK_PKG_NO_MD5SUMS, p->name, NULL, NULL, NULL, 0, err);
	} else if (!rc) {
		for (size_t off = 0; !rc && off < text.len;) {
			const char *line = text.buf + off;
			const char *nl = memchr(line, '\n', text.len - off);
			size_t n = nl ? (size_t)(nl - line) : text.len - off;

			off += n + 1;
			lineno++;
			if (!n)
				continue;
			if (irk_md5sums_line(line, n, md5, &v->path, err)) {
				irk_err_prefix(err, "%s:%zu", v->file.buf, lineno);
				rc = IRK_EINVAL;
				break;
			}
			v->st->files++;
			rc = check_file(v, p->name, v->path.buf, md5, 0, err);
		}
	}
	/* Conffiles: their hashes are in the status file. */
	for (const char *s = p->conffiles; !rc && *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		int obsolete;

		if (irk_dpkg_conffile(s, n, &v->path, md5, &obsolete) && !obsolete) {
			v->st->conffiles++;
			rc = check_file(v, p->name, v->path.buf, md5, 1, err);
		}
		s += n + (nl ? 1 : 0);
	}
	irk_buf_release(&text);
	irk_buf_release(&qual);
	return rc;
}

enum irk_code irk_pkg_verify(const struct irk_pkg_opts *o, irk_pkg_fn fn, void *arg,
			     struct irk_pkg_stats *stats, struct irk_err *err)
{
	struct irk_pkg_opts opts = *o;
	struct verify v = { &opts, fn, arg, stats, NULL, 0, NULL, IRK_BUF_INIT, IRK_BUF_INIT,
			    IRK_BUF_INIT };
	struct irk_buf status = IRK_BUF_INIT;
	enum irk_code rc;

	memset(stats, 0, sizeof(*stats));
	if (!opts.admindir)
		opts.admindir = "/var/lib/dpkg";
	if (!opts.root || !*opts.root)
		opts.root = "/";
	irk_path_join(&v.file, opts.admindir, "status");
	rc = irk_read_file(v.file.buf, IRK_DPKG_STATUS_MAX, &status, err);
	if (rc == IRK_ENOTFOUND)
		irk_hint(err, "this host has no dpkg database; name a copy with --admindir DIR");
	if (!rc)
		rc = load_diversions(&v, err);
	if (!rc) {
		v.buf = irk_malloc(IRK_FILEHASH_BUF);
		rc = irk_dpkg_status_parse(status.buf, status.len, verify_package, &v, err);
	}
	for (size_t i = 0; i < v.ndiv; i++) {
		free(v.div[i].from);
		free(v.div[i].to);
		free(v.div[i].by);
	}
	free(v.div);
	free(v.buf);
	irk_buf_release(&status);
	irk_buf_release(&v.file);
	irk_buf_release(&v.path);
	irk_buf_release(&v.where);
	return rc;
}
