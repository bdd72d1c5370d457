/*
 * bundle.c - exporting an incident as a bundle, verifying a bundle offline,
 * importing one; see irk/bundle.h for the format.
 *
 * Verification loads the bundle's entries into a scratch casebook in memory
 * and replays them, in their original commit order, through the same apply
 * functions the casebook uses (so roles are checked as they were), then
 * checks signatures with the members' keys that replay established, the
 * incident's checkpoints with irk_checkpoint_verify(), the evidence objects
 * against their names and the manifest against every file.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/bundle.h"
#include "irk/checkpoint.h"
#include "irk/evidence.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/logbook.h"
#include "irk/member.h"
#include "irk/object.h"
#include "irk/timefmt.h"

#define SMALL_MAX 4096
#define READ_BLOCK 65536

const char irk_imports_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.imports("
	"  num INTEGER PRIMARY KEY,"
	"  book TEXT NOT NULL,"
	"  inc TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  entries INTEGER NOT NULL,"
	"  head TEXT NOT NULL,"
	"  bundle TEXT NOT NULL,"
	"  manifest TEXT NOT NULL UNIQUE,"
	"  exporter TEXT NOT NULL,"
	"  imported_by TEXT NOT NULL,"
	"  imported INTEGER NOT NULL);";

void irk_bundle_result_release(struct irk_bundle_result *res)
{
	json_decref(res->problems);
	res->problems = NULL;
}

static void problem(struct irk_bundle_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(struct irk_bundle_result *res, const char *fmt, ...)
{
	struct irk_buf s = IRK_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	irk_buf_vaddf(&s, fmt, ap);
	va_end(ap);
	json_array_append_new(res->problems, json_string(s.buf));
	irk_buf_release(&s);
}

/* ---- reading the archive ---- */

enum member_kind { M_MANIFEST, M_SIG, M_CHAIN, M_KEY, M_CHECKPOINT, M_OBJECT };

struct loaded {
	struct irk_buf manifest, sig;
	struct irk_buf chain[4]; /* incident.jsonl, incident.sig, casebook.jsonl, casebook.sig */
	json_t *files;           /* path -> {sha256, size}: what the archive holds */
	json_t *keys;            /* path -> text */
	json_t *checkpoints;     /* path -> text */
	json_t *bad_objects;     /* path -> actual hash, for objects whose content differs */
	const char *objdir;      /* when set, objects are stored here as they are read */
};

static const char *const chain_files[] = { "chains/incident.jsonl", "chains/incident.sig",
					   "chains/casebook.jsonl", "chains/casebook.sig" };

static int all_of(const char *s, size_t n, const char *set)
{
	return strlen(s) == n && strspn(s, set) == n;
}

/* Which member of a bundle `path` is; -1 when no bundle holds such a name. */
static int classify(const char *path, int *chain)
{
	if (!strcmp(path, "manifest.json"))
		return M_MANIFEST;
	if (!strcmp(path, "manifest.sig"))
		return M_SIG;
	for (int i = 0; i < 4; i++)
		if (!strcmp(path, chain_files[i])) {
			*chain = i;
			return M_CHAIN;
		}
	if (!strncmp(path, "keys/", 5) && strlen(path) == 5 + 16 + 5 &&
	    !strcmp(path + 21, ".vkey")) {
		char hex[17];
		memcpy(hex, path + 5, 16);
		hex[16] = '\0';
		return all_of(hex, 16, "0123456789abcdef") ? M_KEY : -1;
	}
	if (!strncmp(path, "checkpoints/", 12)) {
		const char *dot = strchr(path + 12, '.');
		size_t n = dot ? (size_t)(dot - path - 12) : 0;
		if (dot && n >= 1 && n <= 12 && strspn(path + 12, "0123456789") == n &&
		    !strcmp(dot, ".note"))
			return M_CHECKPOINT;
		return -1;
	}
	if (!strncmp(path, "objects/", 8) && irk_object_name_ok(path + 8))
		return M_OBJECT;
	return -1;
}

/* Name why a member's path is refused, in words a responder understands. */
static enum irk_code refuse_path(const char *path, struct irk_err *err)
{
	if (path[0] == '/')
		return irk_fail(err, IRK_EINVAL, "bundle member '%s' has an absolute path: refused",
				path);
	if (!strncmp(path, "../", 3) || strstr(path, "/../") ||
	    (strlen(path) >= 3 && !strcmp(path + strlen(path) - 3, "/..")) || !strcmp(path, ".."))
		return irk_fail(err, IRK_EINVAL,
				"bundle member '%s' climbs out of the bundle with '..': refused", path);
	return irk_fail(err, IRK_EINVAL, "bundle member '%s' is not part of an irk bundle: refused",
			path);
}

struct reader {
	struct archive *a;
	struct irk_sha256_ctx *h;
	uint64_t size;
	const char *path;
};

static long archive_source(void *buf, size_t cap, void *arg, struct irk_err *err)
{
	struct reader *r = arg;
	la_ssize_t n = archive_read_data(r->a, buf, cap);

	if (n < 0) {
		irk_fail(err, IRK_EINVAL, "bundle member '%s' cannot be read (the bundle is damaged or truncated): %s",
			 r->path,
			 archive_error_string(r->a));
		return -1;
	}
	if (n > 0) {
		irk_sha256_update(r->h, buf, (size_t)n);
		r->size += (uint64_t)n;
	}
	return (long)n;
}

static enum irk_code read_member(struct loaded *l, struct archive *a, struct archive_entry *ae,
				 struct irk_bundle_result *res, struct irk_err *err)
{
	const char *path = archive_entry_pathname(ae);
	struct reader r = { a, NULL, 0, path };
	struct irk_buf small = IRK_BUF_INIT, *into = &small;
	uint8_t digest[IRK_SHA256_LEN];
	char hex[IRK_SHA256_HEX];
	size_t cap = SMALL_MAX;
	enum irk_code rc = IRK_OK;
	int chain = -1, kind;

	if (!path || !*path)
		return irk_fail(err, IRK_EINVAL, "the bundle holds a member without a name: refused");
	kind = classify(path, &chain);
	if (kind < 0)
		return refuse_path(path, err);
	if (archive_entry_filetype(ae) != AE_IFREG || archive_entry_hardlink(ae) ||
	    archive_entry_symlink(ae))
		return irk_fail(err, IRK_EINVAL,
				"bundle member '%s' is a link, directory or device, not a file: refused",
				path);
	if (json_object_get(l->files, path))
		return irk_fail(err, IRK_EINVAL, "bundle member '%s' appears twice: refused", path);
	if (json_object_size(l->files) >= IRK_BUNDLE_FILES_MAX)
		return irk_fail(err, IRK_EINVAL, "the bundle holds more than %d members",
				IRK_BUNDLE_FILES_MAX);
	r.h = irk_sha256_begin();
	if (kind == M_OBJECT && l->objdir) {
		struct irk_object_info info;
		rc = irk_object_put_source(l->objdir, archive_source, &r, 0, &info, err);
	} else {
		char *block = irk_malloc(READ_BLOCK);
		if (kind == M_MANIFEST)
			into = &l->manifest, cap = IRK_BUNDLE_TEXT_MAX;
		else if (kind == M_SIG)
			into = &l->sig;
		else if (kind == M_CHAIN)
			into = &l->chain[chain], cap = IRK_BUNDLE_TEXT_MAX;
		else if (kind == M_CHECKPOINT)
			cap = IRK_NOTE_MAX;
		for (;;) {
			long n = archive_source(block, READ_BLOCK, &r, err);
			if (n < 0) {
				rc = IRK_EINVAL;
				break;
			}
			if (n == 0)
				break;
			if (kind == M_OBJECT)
				continue;
			if (into->len + (size_t)n > cap) {
				rc = irk_fail(err, IRK_EINVAL, "bundle member '%s' is larger than %zu bytes",
					      path, cap);
				break;
			}
			irk_buf_add(into, block, (size_t)n);
		}
		free(block);
	}
	irk_sha256_end(r.h, digest);
	irk_hex(digest, sizeof(digest), hex);
	if (!rc) {
		json_object_set_new(l->files, path,
				    json_pack("{s:s, s:I}", "sha256", hex, "size", (json_int_t)r.size));
		if (kind == M_KEY)
			json_object_set_new(l->keys, path, json_stringn(small.buf, small.len));
		else if (kind == M_CHECKPOINT)
			json_object_set_new(l->checkpoints, path, json_stringn(small.buf, small.len));
		else if (kind == M_OBJECT && strcmp(hex, path + 8))
			json_object_set_new(l->bad_objects, path, json_string(hex));
	}
	(void)res;
	irk_buf_release(&small);
	return rc;
}

static void loaded_init(struct loaded *l)
{
	memset(l, 0, sizeof(*l));
	irk_buf_init(&l->manifest, 0);
	irk_buf_init(&l->sig, 0);
	for (int i = 0; i < 4; i++)
		irk_buf_init(&l->chain[i], 0);
	l->files = json_object();
	l->keys = json_object();
	l->checkpoints = json_object();
	l->bad_objects = json_object();
}

static void loaded_release(struct loaded *l)
{
	irk_buf_release(&l->manifest);
	irk_buf_release(&l->sig);
	for (int i = 0; i < 4; i++)
		irk_buf_release(&l->chain[i]);
	json_decref(l->files);
	json_decref(l->keys);
	json_decref(l->checkpoints);
	json_decref(l->bad_objects);
}

/* Read every member of an opened archive into `l`. */
static enum irk_code load(struct archive *a, const char *name, struct loaded *l,
			  struct irk_bundle_result *res, struct irk_err *err)
{
	struct archive_entry *ae;
	enum irk_code rc = IRK_OK;
	int r, n = 0;

	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		if ((rc = read_member(l, a, ae, res, err)))
			return rc;
		n++;
	}
	if (r != ARCHIVE_EOF)
		return irk_fail(err, IRK_EINVAL, "%s is %s: %s", name,
				n ? "damaged or truncated" : "not a bundle (not a zstd-compressed tar archive)",
				archive_error_string(a) ? archive_error_string(a) : "unreadable");
	if (!n)
		return irk_fail(err, IRK_EINVAL, "%s is an empty archive, not a bundle", name);
	return IRK_OK;
}

static struct archive *reader_new(void)
{
	struct archive *a = archive_read_new();

	archive_read_support_filter_zstd(a);
	archive_read_support_filter_none(a);
	archive_read_support_format_tar(a);
	return a;
}

/* ---- checking what was read ---- */

struct check {
	struct irk_bundle_result *res;
	struct loaded *l;
	struct irk_casebook *cb; /* scratch */
	json_t *manifest;
	json_t *cbhashes;        /* manifest's list of every casebook-chain hash */
	int replay_failed;
	char first_hash[IRK_SHA256_HEX];
	char recorded_first[IRK_SHA256_HEX];
};

/* One chain file as lines of bytes and their signatures. */
struct lines {
	char **body;
	size_t *len;
	uint8_t (*sig)[IRK_SIG_LEN];
	size_t n;
};

static void lines_release(struct lines *ls)
{
	free(ls->body);
	free(ls->len);
	free(ls->sig);
	memset(ls, 0, sizeof(*ls));
}

/* Split a chain file and its signature file; NUL-terminates lines in place. */
static int split_chain(struct check *c, struct irk_buf *body, struct irk_buf *sigs,
		       const char *what, struct lines *ls)
{
	size_t nb = 0, ns = 0;
	char *p;

	memset(ls, 0, sizeof(*ls));
	for (size_t i = 0; i < body->len; i++)
		nb += body->buf[i] == '\n';
	for (size_t i = 0; i < sigs->len; i++)
		ns += sigs->buf[i] == '\n';
	if ((body->len && body->buf[body->len - 1] != '\n') ||
	    (sigs->len && sigs->buf[sigs->len - 1] != '\n')) {
		problem(c->res, "chains/%s: the last line is not complete", what);
		return -1;
	}
	if (nb != ns) {
		problem(c->res, "chains/%s: %zu entries but %zu signatures", what, nb, ns);
		return -1;
	}
	ls->body = irk_calloc(nb + 1, sizeof(char *));
	ls->len = irk_calloc(nb + 1, sizeof(size_t));
	ls->sig = irk_calloc(nb + 1, IRK_SIG_LEN);
	p = body->buf;
	for (size_t i = 0; i < nb; i++) {
		char *nl = memchr(p, '\n', body->len - (size_t)(p - body->buf));
		ls->body[i] = p;
		ls->len[i] = (size_t)(nl - p);
		*nl = '\0';
		p = nl + 1;
	}
	p = sigs->buf;
	for (size_t i = 0; i < ns; i++) {
		char *nl = memchr(p, '\n', sigs->len - (size_t)(p - sigs->buf));
		if (irk_unb64(p, (size_t)(nl - p), ls->sig[i], IRK_SIG_LEN) != IRK_SIG_LEN) {
			problem(c->res, "chains/%s: signature %zu is not base64 of 64 bytes", what, i + 1);
			lines_release(ls);
			return -1;
		}
		p = nl + 1;
	}
	ls->n = nb;
	return 0;
}

static const char *label(const char *chain)
{
	return *chain ? chain : "casebook chain";
}

/* Check one entry's place in its chain, store it, replay it, check its signature. */
static int check_entry(struct check *c, const char *chain_want, const char *body, size_t len,
		       const uint8_t sig[IRK_SIG_LEN], int64_t seq_want, const char *prev_want,
		       const char *hash_want, char hash_out[IRK_SHA256_HEX])
{
	struct irk_err sub = IRK_ERR_INIT;
	uint8_t digest[IRK_SHA256_LEN];
	struct irk_member m;
	struct irk_entry e;
	sqlite3_stmt *st;
	int bad = -1;

	irk_sha256(body, len, digest);
	irk_hex(digest, sizeof(digest), hash_out);
	if (irk_entry_parse(body, len, &e, &sub)) {
		problem(c->res, "%s entry %lld: %s", label(chain_want), (long long)seq_want, sub.msg);
		return -1;
	}
	if (strcmp(e.chain, chain_want) || e.seq != seq_want) {
		problem(c->res, "%s entry %lld: it says it is entry %lld of %s", label(chain_want),
			(long long)seq_want, (long long)e.seq, label(e.chain));
		goto done;
	}
	if (hash_want && strcmp(hash_out, hash_want)) {
		problem(c->res, "%s entry %lld: its bytes do not match its hash (the entry was altered)",
			label(chain_want), (long long)seq_want);
		goto done;
	}
	if (prev_want && strcmp(e.prev, prev_want)) {
		problem(c->res, "%s entry %lld: its link to the previous entry is broken "
				"(an entry was altered, removed, inserted or swapped)",
			label(chain_want), (long long)seq_want);
		goto done;
	}
	if (strcmp(json_string_value(json_object_get(e.json, "book")), c->res->book)) {
		problem(c->res, "%s entry %lld: it belongs to another casebook", label(chain_want),
			(long long)seq_want);
		goto done;
	}
	st = irk_db_stmt(c->cb->db, NULL,
			 "INSERT INTO entries(chain, seq, hash, body, sig, by, kind, at, rec)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			 &sub);
	if (!st) {
		problem(c->res, "%s entry %lld: %s", label(chain_want), (long long)seq_want, sub.msg);
		goto done;
	}
	sqlite3_bind_text(st, 1, e.chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, e.seq);
	sqlite3_bind_text(st, 3, hash_out, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, body, (int)len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, sig, IRK_SIG_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e.by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, e.kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, e.at_ms);
	sqlite3_bind_int64(st, 9, e.rec_ms);
	if (irk_db_run(c->cb->db, st, &sub)) {
		problem(c->res, "%s entry %lld: %s", label(chain_want), (long long)seq_want, sub.msg);
		goto done;
	}
	e.id = sqlite3_last_insert_rowid(irk_db_handle(c->cb->db));
	strcpy(e.hash, hash_out);
	if (irk_kind_apply(c->cb->db, "main", &e, &sub)) {
		problem(c->res, "%s entry %lld: replaying it fails: %s", label(chain_want),
			(long long)seq_want, sub.msg);
		goto done;
	}
	if (irk_member_find(c->cb->db, "main", e.by, &m, &sub)) {
		problem(c->res, "%s entry %lld: it is signed by key %s, which is not a member",
			label(chain_want), (long long)seq_want, e.by);
		goto done;
	}
	if (irk_sig_check(m.pk, body, len, sig)) {
		problem(c->res, "%s entry %lld: the signature does not verify", label(chain_want),
			(long long)seq_want);
		goto done;
	}
	if (!*e.chain && !strcmp(e.kind, "incident")) {
		const char *inc = json_string_value(json_object_get(e.data, "inc"));
		const char *first = json_string_value(json_object_get(e.data, "first"));
		if (!inc || strcmp(inc, c->res->inc)) {
			problem(c->res, "casebook chain entry %lld records another incident (%s)",
				(long long)e.seq, inc ? inc : "none");
			goto done;
		}
		snprintf(c->recorded_first, sizeof(c->recorded_first), "%s", first ? first : "");
	}
	if (*e.chain && e.seq == 1)
		strcpy(c->first_hash, hash_out);
	bad = 0;
done:
	irk_entry_release(&e);
	return bad;
}

/* Replay both chains' entries in the manifest's commit order. */
static void check_chains(struct check *c)
{
	struct lines inc = { 0 }, book = { 0 };
	json_t *order = json_object_get(c->manifest, "order"), *o;
	size_t next_inc = 0, i;
	char prev_inc[IRK_SHA256_HEX] = IRK_ZERO_HASH, hash[IRK_SHA256_HEX];
	size_t nbook = json_array_size(c->cbhashes);
	json_t *by_seq = json_object(); /* casebook-chain seq -> its line */
	char *used_book;

	if (split_chain(c, &c->l->chain[0], &c->l->chain[1], "incident.jsonl", &inc) ||
	    split_chain(c, &c->l->chain[2], &c->l->chain[3], "casebook.jsonl", &book)) {
		lines_release(&inc);
		lines_release(&book);
		json_decref(by_seq);
		c->replay_failed = 1;
		return;
	}
	c->res->entries = (int64_t)inc.n;
	c->res->casebook_entries = (int64_t)book.n;
	/* Where each included casebook entry sits: its seq, from its own bytes. */
	used_book = irk_calloc(book.n + 1, 1);
	for (i = 0; i < book.n; i++) {
		struct irk_entry e;
		if (irk_entry_parse(book.body[i], book.len[i], &e, NULL) == IRK_OK) {
			char key[24];
			snprintf(key, sizeof(key), "%lld", (long long)e.seq);
			if (!json_object_get(by_seq, key)) /* a repeated seq is left for the replay to miss */
				json_object_set_new(by_seq, key, json_integer((json_int_t)i));
			irk_entry_release(&e);
		}
	}
	if (!json_is_array(order) || json_array_size(order) != inc.n + book.n) {
		problem(c->res, "manifest.json: the commit order does not list every entry once");
		c->replay_failed = 1;
		goto done;
	}
	json_array_foreach(order, i, o) {
		const char *chain = json_string_value(json_array_get(o, 0));
		json_int_t seq = json_integer_value(json_array_get(o, 1));
		int bad;

		if (!chain || seq < 1) {
			problem(c->res, "manifest.json: commit order item %zu is malformed", i + 1);
			c->replay_failed = 1;
			break;
		}
		if (*chain) {
			if (strcmp(chain, c->res->inc) || (size_t)seq != next_inc + 1 || next_inc >= inc.n) {
				problem(c->res, "manifest.json: commit order item %zu names %s entry %lld out of turn",
					i + 1, label(chain), (long long)seq);
				c->replay_failed = 1;
				break;
			}
			bad = check_entry(c, c->res->inc, inc.body[next_inc], inc.len[next_inc],
					  inc.sig[next_inc], seq, prev_inc, NULL, hash);
			strcpy(prev_inc, hash);
			strcpy(c->res->head, hash);
			next_inc++;
		} else {
			size_t k;
			const char *want, *prev;
			char key[24];
			json_t *at;
			snprintf(key, sizeof(key), "%lld", (long long)seq);
			at = json_object_get(by_seq, key);
			k = at ? (size_t)json_integer_value(at) : book.n;
			if (k < book.n && used_book[k])
				k = book.n;
			if (k == book.n || (size_t)seq > nbook) {
				problem(c->res, "manifest.json: commit order item %zu names casebook chain "
						"entry %lld, which the bundle does not hold",
					i + 1, (long long)seq);
				c->replay_failed = 1;
				break;
			}
			used_book[k] = 1;
			want = json_string_value(json_array_get(c->cbhashes, (size_t)seq - 1));
			prev = seq == 1 ? IRK_ZERO_HASH
					: json_string_value(json_array_get(c->cbhashes, (size_t)seq - 2));
			bad = check_entry(c, "", book.body[k], book.len[k], book.sig[k], seq,
					  prev ? prev : "", want ? want : "", hash);
		}
		if (bad) {
			c->replay_failed = 1;
			break;
		}
	}
	if (!c->replay_failed && !c->recorded_first[0])
		problem(c->res, "the bundle lacks the casebook-chain entry that records %s",
			c->res->inc);
	else if (!c->replay_failed && strcmp(c->recorded_first, c->first_hash))
		problem(c->res, "%s's first entry is not the one the casebook chain recorded",
			c->res->inc);
	if (!c->replay_failed && inc.n == 0)
		problem(c->res, "the bundle holds no entries of %s", c->res->inc);
done:
	json_decref(by_seq);
	free(used_book);
	lines_release(&inc);
	lines_release(&book);
}

/* Every file the manifest lists is present with its hash and size, and nothing else. */
static void check_files(struct check *c)
{
	json_t *listed = json_object_get(c->manifest, "files"), *f, *names;
	const char *path;
	size_t i;

	if (!json_is_array(listed)) {
		problem(c->res, "manifest.json lists no files");
		return;
	}
	names = json_object(); /* the listed paths, for the reverse check */
	json_array_foreach(listed, i, f) {
		const char *p = json_string_value(json_object_get(f, "path"));
		const char *sha = json_string_value(json_object_get(f, "sha256"));
		json_t *have = p ? json_object_get(c->l->files, p) : NULL;
		if (!p || !sha) {
			problem(c->res, "manifest.json: file item %zu is malformed", i + 1);
			continue;
		}
		if (!have) {
			problem(c->res, "%s is listed in the manifest but missing from the bundle", p);
			continue;
		}
		if (strcmp(sha, json_string_value(json_object_get(have, "sha256"))) ||
		    json_integer_value(json_object_get(f, "size")) !=
			    json_integer_value(json_object_get(have, "size")))
			problem(c->res, "%s does not match the manifest (its SHA-256 or size differs: "
					"the file was altered)",
				p);
	}
	json_array_foreach(listed, i, f)
		if (json_is_string(json_object_get(f, "path")))
			json_object_set(names, json_string_value(json_object_get(f, "path")), json_true());
	json_object_foreach(c->l->files, path, f)
		if (strcmp(path, "manifest.json") && strcmp(path, "manifest.sig") &&
		    !json_object_get(names, path))
			problem(c->res, "%s is in the bundle but not in the manifest", path);
	json_decref(names);
	json_object_foreach(c->l->bad_objects, path, f)
		problem(c->res, "%s does not match its name: its content hashes to %s (the object was "
				"altered)",
			path, json_string_value(f));
}

static void check_manifest_sig(struct check *c)
{
	const char *key = json_string_value(json_object_get(c->manifest, "exporter"));
	struct irk_err sub = IRK_ERR_INIT;
	uint8_t sig[IRK_SIG_LEN];
	struct irk_member m;
	size_t n = c->l->sig.len;

	while (n && (c->l->sig.buf[n - 1] == '\n'))
		n--;
	if (!key || irk_member_find(c->cb->db, "main", key, &m, &sub) || strcmp(m.keyid, key)) {
		problem(c->res, "manifest.json is signed by key %s, which is not a member of the "
				"bundle's casebook",
			key ? key : "(none)");
		return;
	}
	snprintf(c->res->exporter, sizeof(c->res->exporter), "%s", m.email);
	if (irk_unb64(c->l->sig.buf, n, sig, sizeof(sig)) != IRK_SIG_LEN ||
	    irk_sig_check(m.pk, c->l->manifest.buf, c->l->manifest.len, sig))
		problem(c->res, "manifest.sig: the manifest's signature by %s does not verify "
				"(the manifest was altered)",
			m.email);
}

static void check_keys(struct check *c)
{
	const char *path;
	json_t *v;

	json_object_foreach(c->l->keys, path, v) {
		char name[IRK_NAME_MAX], keyid[IRK_KEYID_HEX];
		struct irk_buf text = IRK_BUF_INIT;
		struct irk_member m;
		uint8_t pk[IRK_PK_LEN];

		irk_buf_adds(&text, json_string_value(v));
		irk_buf_rtrim(&text);
		if (irk_vkey_parse(text.buf, name, pk, NULL)) {
			problem(c->res, "%s is not a verifier key", path);
		} else {
			irk_keyid(pk, keyid);
			if (strncmp(path + 5, keyid, 16) ||
			    irk_member_find(c->cb->db, "main", keyid, &m, NULL) ||
			    memcmp(m.pk, pk, IRK_PK_LEN))
				problem(c->res, "%s is not the key the log book records for that member",
					path);
		}
		irk_buf_release(&text);
		c->res->keys++;
	}
}

static void check_checkpoints(struct check *c)
{
	const char *path;
	json_t *v;

	json_object_foreach(c->l->checkpoints, path, v) {
		struct irk_checkpoint_result cr;
		struct irk_err sub = IRK_ERR_INIT;
		const char *note = json_string_value(v);

		if (irk_checkpoint_verify(c->cb, note, strlen(note), &cr, &sub))
			problem(c->res, "%s: %s", path, sub.msg);
		else if (strcmp(cr.chain, c->res->inc))
			problem(c->res, "%s receipts %s, not %s", path, label(cr.chain), c->res->inc);
		c->res->checkpoints++;
	}
}

/* Every evidence object the log book names is in the bundle. */
static void check_objects(struct check *c)
{
	sqlite3_stmt *st = irk_db_stmt(c->cb->db, NULL,
				       "SELECT num, sha256 FROM evidence ORDER BY num", NULL);

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		char path[80];
		snprintf(path, sizeof(path), "objects/%s", irk_db_text(st, 1));
		if (!json_object_get(c->l->files, path))
			problem(c->res, "evidence E%lld: its object %s is missing from the bundle",
				(long long)sqlite3_column_int64(st, 0), path);
	}
	if (st)
		sqlite3_reset(st);
	c->res->objects = 0;
	{
		const char *p;
		json_t *v;
		json_object_foreach(c->l->files, p, v)
			c->res->objects += !strncmp(p, "objects/", 8);
	}
}

static enum irk_code check(struct loaded *l, struct irk_bundle_result *res, struct irk_err *err)
{
	struct check c = { .res = res, .l = l };
	uint8_t digest[IRK_SHA256_LEN];
	json_error_t jerr;
	const char *s;
	enum irk_code rc;

	if (!l->manifest.len)
		return irk_fail(err, IRK_EINVAL, "the bundle has no manifest.json: it is not an irk bundle");
	irk_sha256(l->manifest.buf, l->manifest.len, digest);
	irk_hex(digest, sizeof(digest), res->manifest_sha256);
	c.manifest = json_loadb(l->manifest.buf, l->manifest.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(c.manifest)) {
		json_decref(c.manifest);
		return irk_fail(err, IRK_ETAMPER, "manifest.json is not a JSON object (%s, line %d)",
				jerr.text, jerr.line);
	}
	if (strcmp(json_string_value(json_object_get(c.manifest, "format")) ?: "", IRK_BUNDLE_FORMAT)) {
		json_decref(c.manifest);
		return irk_fail(err, IRK_EINVAL, "manifest.json does not declare format %s",
				IRK_BUNDLE_FORMAT);
	}
	s = json_string_value(json_object_get(c.manifest, "book"));
	if (!s || !all_of(s, 16, "0123456789abcdef")) {
		json_decref(c.manifest);
		return irk_fail(err, IRK_ETAMPER, "manifest.json names no valid casebook id");
	}
	strcpy(res->book, s);
	s = json_string_value(json_object_get(c.manifest, "inc"));
	if (!s || !*s || strlen(s) >= IRK_CHAIN_MAX) {
		json_decref(c.manifest);
		return irk_fail(err, IRK_ETAMPER, "manifest.json names no incident");
	}
	strcpy(res->inc, s);
	snprintf(res->title, sizeof(res->title), "%s",
		 json_string_value(json_object_get(c.manifest, "title")) ?: "");
	snprintf(res->exported, sizeof(res->exported), "%s",
		 json_string_value(json_object_get(c.manifest, "exported")) ?: "");
	c.cbhashes = json_object_get(c.manifest, "casebook_chain");
	if (!json_is_array(c.cbhashes))
		problem(res, "manifest.json does not list the casebook chain's hashes");
	if ((rc = irk_casebook_scratch(res->book, &c.cb, err))) {
		json_decref(c.manifest);
		return rc;
	}
	check_files(&c);
	check_chains(&c);
	check_manifest_sig(&c);
	if (!c.replay_failed) {
		check_keys(&c);
		check_checkpoints(&c);
		check_objects(&c);
	}
	irk_casebook_close(c.cb);
	json_decref(c.manifest);
	if (json_array_size(res->problems)) {
		irk_fail(err, IRK_ETAMPER, "the bundle does not verify: %s",
			 json_string_value(json_array_get(res->problems, 0)));
		if (json_array_size(res->problems) > 1)
			irk_hint(err, "%zu problems in all; 'irk verify --json' lists them",
				 json_array_size(res->problems));
		return IRK_ETAMPER;
	}
	return IRK_OK;
}

static enum irk_code verify_archive(struct archive *a, int opened, const char *name,
				    const char *objdir, struct irk_bundle_result *res,
				    struct irk_err *err)
{
	struct loaded l;
	enum irk_code rc;

	memset(res, 0, sizeof(*res));
	res->problems = json_array();
	loaded_init(&l);
	l.objdir = objdir;
	if (!opened)
		rc = irk_fail(err, IRK_EINVAL,
			      "%s is not a bundle (not a zstd-compressed tar archive): %s", name,
			      archive_error_string(a) ? archive_error_string(a) : "unreadable");
	else if (!(rc = load(a, name, &l, res, err)))
		rc = check(&l, res, err);
	loaded_release(&l);
	archive_read_free(a);
	return rc;
}

enum irk_code irk_bundle_verify(const char *path, struct irk_bundle_result *res,
				struct irk_err *err)
{
	struct archive *a = reader_new();
	int ok = archive_read_open_filename(a, path, READ_BLOCK) == ARCHIVE_OK;

	if (!ok && access(path, R_OK) != 0) {
		archive_read_free(a);
		memset(res, 0, sizeof(*res));
		return irk_fail(err, errno == ENOENT ? IRK_ENOTFOUND : IRK_EIO, "cannot read %s: %s",
				path, strerror(errno));
	}
	return verify_archive(a, ok, path, NULL, res, err);
}

enum irk_code irk_bundle_verify_mem(const void *data, size_t len, struct irk_bundle_result *res,
				    struct irk_err *err)
{
	struct archive *a = reader_new();
	int ok = archive_read_open_memory(a, data, len) == ARCHIVE_OK;

	return verify_archive(a, ok, "the bundle", NULL, res, err);
}

int irk_bundle_sniff(const char *path)
{
	static const unsigned char zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	unsigned char head[512];
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n >= 4 && !memcmp(head, zstd_magic, 4))
		return 1;
	return n == 512 && !memcmp(head + 257, "ustar", 5);
}

/* ---- export ---- */

struct small_file {
	char path[96];
	struct irk_buf data;
};

struct exporter {
	struct irk_casebook *cb;
	const char *inc;
	struct small_file *files;
	size_t nfiles;
	json_t *listed;  /* manifest "files" */
	json_t *order;   /* manifest "order" */
	json_t *cbhashes;
	json_t *objects; /* array of {sha256, size} */
	struct irk_buf objdir;
};

static struct irk_buf *add_small(struct exporter *x, const char *path)
{
	struct small_file *f;

	x->files = irk_realloc(x->files, (x->nfiles + 1) * sizeof(*x->files));
	f = &x->files[x->nfiles++];
	snprintf(f->path, sizeof(f->path), "%s", path);
	irk_buf_init(&f->data, 0);
	return &f->data;
}

static void list_file(struct exporter *x, const char *path, const void *data, size_t len)
{
	uint8_t digest[IRK_SHA256_LEN];
	char hex[IRK_SHA256_HEX];

	irk_sha256(data, len, digest);
	irk_hex(digest, sizeof(digest), hex);
	json_array_append_new(x->listed, json_pack("{s:s, s:s, s:I}", "path", path, "sha256", hex,
						   "size", (json_int_t)len));
}

/* Does casebook-chain entry `body` concern incident `inc`? init, member, and its incident entry. */
static int concerns(const char *kind, const void *body, size_t len, const char *inc)
{
	struct irk_entry e;
	int yes;

	if (!strcmp(kind, "init") || !strcmp(kind, "member"))
		return 1;
	if (strcmp(kind, "incident") || irk_entry_parse(body, len, &e, NULL))
		return 0;
	yes = !strcmp(json_string_value(json_object_get(e.data, "inc")) ?: "", inc);
	irk_entry_release(&e);
	return yes;
}

/* The entries: both chain files, the commit order, the casebook chain's hashes. */
static enum irk_code export_entries(struct exporter *x, struct irk_err *err)
{
	size_t first = x->nfiles;
	struct irk_buf *ib, *is, *cbb, *cbs;
	sqlite3_stmt *st = NULL;
	int r;

	for (int i = 0; i < 4; i++)
		add_small(x, chain_files[i]);
	/* add_small() may move the array: take the pointers once all four exist. */
	ib = &x->files[first].data;
	is = &x->files[first + 1].data;
	cbb = &x->files[first + 2].data;
	cbs = &x->files[first + 3].data;

	if (sqlite3_prepare_v2(irk_db_handle(x->cb->db),
			       "SELECT chain, seq, hash, body, sig, kind FROM entries"
			       " WHERE chain=?1 OR chain='' ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return irk_db_fail(x->cb->db, err, "reading the log book");
	sqlite3_bind_text(st, 1, x->inc, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *chain = irk_db_text(st, 0);
		const void *body = sqlite3_column_blob(st, 3);
		size_t len = (size_t)sqlite3_column_bytes(st, 3);
		char sig[IRK_SIG_LEN * 2];
		int in_book = !*chain;

		if (sqlite3_column_bytes(st, 4) != IRK_SIG_LEN || memchr(body, '\n', len)) {
			sqlite3_finalize(st);
			return irk_fail(err, IRK_ETAMPER, "%s entry %lld is damaged; run 'irk verify'",
					label(chain), (long long)sqlite3_column_int64(st, 1));
		}
		if (in_book)
			json_array_append_new(x->cbhashes, json_string(irk_db_text(st, 2)));
		if (in_book && !concerns(irk_db_text(st, 5), body, len, x->inc))
			continue;
		irk_b64(sqlite3_column_blob(st, 4), IRK_SIG_LEN, sig);
		irk_buf_add(in_book ? cbb : ib, body, len);
		irk_buf_addch(in_book ? cbb : ib, '\n');
		irk_buf_adds(in_book ? cbs : is, sig);
		irk_buf_addch(in_book ? cbs : is, '\n');
		json_array_append_new(x->order, json_pack("[s, I]", chain,
							  (json_int_t)sqlite3_column_int64(st, 1)));
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return irk_db_fail(x->cb->db, err, "reading the log book");
	return IRK_OK;
}

static enum irk_code export_keys_checkpoints(struct exporter *x, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(x->cb->db, NULL,
				       "SELECT key, email, pubkey FROM members ORDER BY key", err);
	int r;

	if (!st)
		return IRK_EDB;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char path[64];
		uint8_t pk[IRK_PK_LEN];
		const char *pub = irk_db_text(st, 2);
		struct irk_buf *f;

		if (irk_unb64(pub, strlen(pub), pk, sizeof(pk)) != IRK_PK_LEN)
			continue;
		snprintf(path, sizeof(path), "keys/%s.vkey", irk_db_text(st, 0));
		f = add_small(x, path);
		irk_vkey_format(irk_db_text(st, 1), pk, f);
		irk_buf_addch(f, '\n');
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return irk_db_fail(x->cb->db, err, "reading members");
	st = irk_db_stmt(x->cb->db, NULL, "SELECT id, note FROM checkpoints WHERE chain=?1 ORDER BY id",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, x->inc, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char path[64];
		snprintf(path, sizeof(path), "checkpoints/%lld.note",
			 (long long)sqlite3_column_int64(st, 0));
		irk_buf_adds(add_small(x, path), irk_db_text(st, 1));
	}
	sqlite3_reset(st);
	return r == SQLITE_DONE ? IRK_OK : irk_db_fail(x->cb->db, err, "reading checkpoints");
}

/* Re-hash every evidence object of the incident (export verifies what it ships). */
static enum irk_code export_objects(struct exporter *x, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(x->cb->db, NULL,
				       "SELECT DISTINCT sha256 FROM evidence WHERE inc=?1 ORDER BY sha256",
				       err);
	enum irk_code rc = IRK_OK;
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, x->inc, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char sha[IRK_SHA256_HEX], path[80];
		uint64_t size;

		snprintf(sha, sizeof(sha), "%s", irk_db_text(st, 0));
		if ((rc = irk_object_read(x->objdir.buf, sha, NULL, NULL, &size, err))) {
			irk_err_prefix(err, "not exporting %s", x->inc);
			break;
		}
		snprintf(path, sizeof(path), "objects/%s", sha);
		json_array_append_new(x->objects, json_pack("{s:s, s:I}", "sha256", sha, "size",
							    (json_int_t)size));
		json_array_append_new(x->listed, json_pack("{s:s, s:s, s:I}", "path", path, "sha256",
							   sha, "size", (json_int_t)size));
	}
	sqlite3_reset(st);
	if (!rc && r != SQLITE_DONE)
		rc = irk_db_fail(x->cb->db, err, "reading evidence");
	return rc;
}

struct archive_sink {
	struct archive *a;
};

static enum irk_code sink_archive(const void *p, size_t n, void *arg, struct irk_err *err)
{
	struct archive_sink *s = arg;

	if (archive_write_data(s->a, p, n) != (la_ssize_t)n)
		return irk_fail(err, IRK_EIO, "writing the bundle: %s", archive_error_string(s->a));
	return IRK_OK;
}

static enum irk_code write_member(struct archive *a, const char *path, const void *data,
				  size_t len, int64_t mtime, struct irk_err *err)
{
	struct archive_entry *ae = archive_entry_new();
	enum irk_code rc = IRK_OK;

	archive_entry_set_pathname(ae, path);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0444);
	archive_entry_set_size(ae, (la_int64_t)len);
	archive_entry_set_mtime(ae, mtime, 0);
	if (archive_write_header(a, ae) != ARCHIVE_OK ||
	    (data && len && archive_write_data(a, data, len) != (la_ssize_t)len))
		rc = irk_fail(err, IRK_EIO, "writing the bundle: %s", archive_error_string(a));
	archive_entry_free(ae);
	return rc;
}

static enum irk_code write_archive(struct exporter *x, const char *tmp, const struct irk_buf *manifest,
				   const char *sig, int64_t mtime, struct irk_err *err)
{
	struct archive *a = archive_write_new();
	enum irk_code rc = IRK_OK;
	size_t i;
	json_t *o;

	archive_write_add_filter_zstd(a);
	archive_write_set_format_pax_restricted(a);
	if (archive_write_open_filename(a, tmp) != ARCHIVE_OK) {
		rc = irk_fail(err, IRK_EIO, "cannot create %s: %s", tmp, archive_error_string(a));
		archive_write_free(a);
		return rc;
	}
	if ((rc = write_member(a, "manifest.json", manifest->buf, manifest->len, mtime, err)) ||
	    (rc = write_member(a, "manifest.sig", sig, strlen(sig), mtime, err)))
		goto done;
	for (i = 0; i < x->nfiles && !rc; i++)
		rc = write_member(a, x->files[i].path, x->files[i].data.buf, x->files[i].data.len,
				  mtime, err);
	json_array_foreach(x->objects, i, o) {
		const char *sha = json_string_value(json_object_get(o, "sha256"));
		struct archive_sink s = { a };
		char path[80];
		if (rc)
			break;
		snprintf(path, sizeof(path), "objects/%s", sha);
		if ((rc = write_member(a, path, NULL,
				       (size_t)json_integer_value(json_object_get(o, "size")), mtime,
				       err)))
			break;
		rc = irk_object_read(x->objdir.buf, sha, sink_archive, &s, NULL, err);
	}
done:
	if (archive_write_close(a) != ARCHIVE_OK && !rc)
		rc = irk_fail(err, IRK_EIO, "finishing %s: %s", tmp, archive_error_string(a));
	archive_write_free(a);
	return rc;
}

enum irk_code irk_bundle_export(struct irk_casebook *cb, const struct irk_identity *id,
				const char *inc, const char *path, struct irk_bundle_result *res,
				struct irk_err *err)
{
	struct exporter x = { .cb = cb, .inc = inc };
	struct irk_buf manifest = IRK_BUF_INIT, tmp = IRK_BUF_INIT;
	char when[IRK_TIME_MAX], sig_b64[IRK_SIG_LEN * 2];
	uint8_t sig[IRK_SIG_LEN], digest[IRK_SHA256_LEN];
	int64_t now = irk_now_ms();
	json_t *m = NULL, *incident = NULL;
	enum irk_code rc;
	struct stat st;
	char *text;

	memset(res, 0, sizeof(*res));
	res->problems = json_array();
	if (lstat(path, &st) == 0) {
		irk_fail(err, IRK_ESTATE, "%s exists; irk never overwrites a bundle", path);
		irk_hint(err, "choose a new file name");
		return IRK_ESTATE;
	}
	if ((rc = irk_incident_get(cb, inc, &incident, err)))
		return rc;
	x.listed = json_array();
	x.order = json_array();
	x.cbhashes = json_array();
	x.objects = json_array();
	irk_buf_init(&x.objdir, 0);
	irk_evidence_objdir(cb, &x.objdir);
	if ((rc = irk_member_find(cb->db, NULL, id->keyid, &(struct irk_member){ 0 }, err))) {
		irk_err_prefix(err, "the exporter signs the manifest");
		goto done;
	}
	/* entries, keys, checkpoints and objects as of one moment (irk_db_snapshot) */
	if ((rc = irk_db_snapshot(cb->db, err)))
		goto done;
	rc = export_entries(&x, err);
	if (!rc)
		rc = export_keys_checkpoints(&x, err);
	if (!rc)
		rc = export_objects(&x, err);
	irk_db_rollback(cb->db);
	if (rc)
		goto done;
	for (size_t i = 0; i < x.nfiles; i++)
		list_file(&x, x.files[i].path, x.files[i].data.buf, x.files[i].data.len);
	irk_time_utc(now, 1, when);
	m = json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:O, s:O, s:O}", "format", IRK_BUNDLE_FORMAT,
		      "book", cb->book_id, "inc", inc, "title", json_object_get(incident, "title"),
		      "exported", when, "exporter", id->keyid, "casebook_chain", x.cbhashes, "order",
		      x.order, "files", x.listed);
	text = json_dumps(m, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (!text)
		abort();
	irk_buf_adds(&manifest, text);
	irk_buf_addch(&manifest, '\n');
	free(text);
	irk_sign(id, manifest.buf, manifest.len, sig);
	irk_b64(sig, sizeof(sig), sig_b64);
	strcat(sig_b64, "\n");
	irk_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((rc = write_archive(&x, tmp.buf, &manifest, sig_b64, now / 1000, err))) {
		unlink(tmp.buf);
		goto done;
	}
	if (rename(tmp.buf, path) != 0) {
		rc = irk_fail(err, IRK_EIO, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp.buf);
		goto done;
	}
	irk_sha256(manifest.buf, manifest.len, digest);
	irk_hex(digest, sizeof(digest), res->manifest_sha256);
	snprintf(res->book, sizeof(res->book), "%s", cb->book_id);
	snprintf(res->inc, sizeof(res->inc), "%s", inc);
	snprintf(res->exporter, sizeof(res->exporter), "%s", id->email);
	snprintf(res->exported, sizeof(res->exported), "%s", when);
	snprintf(res->title, sizeof(res->title), "%s",
		 json_string_value(json_object_get(incident, "title")));
	res->objects = (int64_t)json_array_size(x.objects);
	for (size_t i = 0; i < json_array_size(x.order); i++)
		if (*json_string_value(json_array_get(json_array_get(x.order, i), 0)))
			res->entries++;
		else
			res->casebook_entries++;
	for (size_t i = 0; i < x.nfiles; i++) {
		res->keys += !strncmp(x.files[i].path, "keys/", 5);
		res->checkpoints += !strncmp(x.files[i].path, "checkpoints/", 12);
	}
done:
	for (size_t i = 0; i < x.nfiles; i++)
		irk_buf_release(&x.files[i].data);
	free(x.files);
	json_decref(m);
	json_decref(incident);
	json_decref(x.listed);
	json_decref(x.order);
	json_decref(x.cbhashes);
	json_decref(x.objects);
	irk_buf_release(&x.objdir);
	irk_buf_release(&manifest);
	irk_buf_release(&tmp);
	return rc;
}

/* ---- import ---- */

enum irk_code irk_apply_import(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const struct irk_entry *e = ctx->e;
	const char *book = json_string_value(json_object_get(e->data, "book"));
	const char *inc = json_string_value(json_object_get(e->data, "inc"));
	const char *title = json_string_value(json_object_get(e->data, "title"));
	const char *head = json_string_value(json_object_get(e->data, "head"));
	const char *bundle = json_string_value(json_object_get(e->data, "bundle"));
	const char *manifest = json_string_value(json_object_get(e->data, "manifest"));
	const char *exporter = json_string_value(json_object_get(e->data, "exporter"));
	json_t *n = json_object_get(e->data, "entries");
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "import a bundle", err)))
		return rc;
	if (!book || !inc || !title || !head || !bundle || !manifest || !exporter ||
	    !json_is_integer(n) || !irk_object_name_ok(bundle) || !irk_object_name_ok(manifest))
		return irk_fail(err, IRK_EINVAL, "import record is incomplete or malformed");
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.imports(book, inc, title, entries, head, bundle, manifest,"
			 " exporter, imported_by, imported) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, book, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, inc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, json_integer_value(n));
	sqlite3_bind_text(st, 5, head, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, bundle, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, manifest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, exporter, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, e->by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, e->at_ms);
	if (irk_db_run(ctx->db, st, err)) {
		irk_err_clear(err);
		return irk_fail(err, IRK_ESTATE, "this bundle of %s was already imported", inc);
	}
	return IRK_OK;
}

enum irk_code irk_bundle_import(struct irk_casebook *cb, const struct irk_identity *id,
				const char *path, struct irk_bundle_result *res,
				struct irk_err *err)
{
	struct irk_buf objdir = IRK_BUF_INIT, text = IRK_BUF_INIT;
	struct irk_bundle_result again;
	struct irk_object_info bundle;
	struct archive *a;
	enum irk_code rc;
	json_t *data;
	int fd, ok;

	if ((rc = irk_bundle_verify(path, res, err)))
		return rc;
	if (!strcmp(res->book, cb->book_id)) {
		irk_fail(err, IRK_ESTATE, "%s came from this casebook; %s is already here", path,
			 res->inc);
		return IRK_ESTATE;
	}
	irk_evidence_objdir(cb, &objdir);
	/* Second pass: the objects go into the store, each under the hash of its content. */
	a = reader_new();
	ok = archive_read_open_filename(a, path, READ_BLOCK) == ARCHIVE_OK;
	if ((rc = verify_archive(a, ok, path, objdir.buf, &again, err))) {
		irk_bundle_result_release(&again);
		goto done;
	}
	irk_bundle_result_release(&again);
	if (strcmp(again.manifest_sha256, res->manifest_sha256)) {
		rc = irk_fail(err, IRK_ESTATE, "%s changed while it was being imported", path);
		goto done;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = irk_fail(err, IRK_EIO, "cannot open %s: %s", path, strerror(errno));
		goto done;
	}
	rc = irk_object_put_fd(objdir.buf, fd, path, 0, &bundle, err);
	close(fd);
	if (rc)
		goto done;
	data = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "book", res->book,
			 "inc", res->inc, "title", res->title, "entries", (json_int_t)res->entries,
			 "head", res->head, "bundle", bundle.sha256, "manifest", res->manifest_sha256,
			 "exporter", res->exporter, "exported", res->exported, "objects",
			 (json_int_t)res->objects);
	irk_buf_addf(&text, "imported %s (\"%s\") from casebook %s: %lld entries, %lld objects",
		     res->inc, res->title, res->book, (long long)res->entries, (long long)res->objects);
	{
		struct irk_append ap = { .chain = "", .kind = "import", .text = text.buf, .data = data };
		rc = irk_logbook_write(cb, id, &ap, NULL, err);
	}
	json_decref(data);
done:
	irk_buf_release(&objdir);
	irk_buf_release(&text);
	return rc;
}

static enum irk_code import_row(sqlite3_stmt *st, json_t *arr, void *arg, struct irk_err *err)
{
	(void)arg;
	(void)err;
	json_array_append_new(
		arr, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "num",
			       (json_int_t)sqlite3_column_int64(st, 0), "book", irk_db_text(st, 1),
			       "inc", irk_db_text(st, 2), "title", irk_db_text(st, 3), "entries",
			       (json_int_t)sqlite3_column_int64(st, 4), "head", irk_db_text(st, 5),
			       "bundle", irk_db_text(st, 6), "manifest", irk_db_text(st, 7),
			       "exporter", irk_db_text(st, 8), "imported_by", irk_db_text(st, 9),
			       "imported", irk_db_time_json(st, 10)));
	return IRK_OK;
}

enum irk_code irk_bundle_imports(struct irk_casebook *cb, json_t **out, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL,
		"SELECT i.num, i.book, i.inc, i.title, i.entries, i.head, i.bundle, i.manifest,"
		" i.exporter, coalesce(m.email, i.imported_by), i.imported"
		" FROM imports i LEFT JOIN members m ON m.key = i.imported_by ORDER BY i.num",
		err);

	return st ? irk_db_rows_json(cb->db, st, import_row, NULL, "reading imports", out, err)
		  : IRK_EDB;
}

enum irk_code irk_bundle_verify_imports(struct irk_casebook *cb, json_t *report,
					struct irk_err *err)
{
	struct irk_buf objdir = IRK_BUF_INIT, path = IRK_BUF_INIT;
	enum irk_code rc, worst = IRK_OK;
	json_t *list, *it;
	size_t i;

	if ((rc = irk_bundle_imports(cb, &list, err)))
		return rc;
	irk_evidence_objdir(cb, &objdir);
	json_array_foreach(list, i, it) {
		const char *bundle = json_string_value(json_object_get(it, "bundle"));
		const char *inc = json_string_value(json_object_get(it, "inc"));
		struct irk_err sub = IRK_ERR_INIT;
		struct irk_bundle_result res = { 0 };
		int z = 0;

		rc = irk_object_read(objdir.buf, bundle, NULL, NULL, NULL, &sub);
		if (!rc && !(rc = irk_object_path(objdir.buf, bundle, &path, &z, &sub)) && z)
			rc = irk_fail(&sub, IRK_ETAMPER, "the stored bundle is compressed; irk never stores it so");
		if (!rc)
			rc = irk_bundle_verify(path.buf, &res, &sub);
		if (!rc && (strcmp(res.manifest_sha256,
				   json_string_value(json_object_get(it, "manifest"))) ||
			    strcmp(res.head, json_string_value(json_object_get(it, "head")))))
			rc = irk_fail(&sub, IRK_ETAMPER,
				      "the stored bundle is not the one the import entry recorded");
		irk_bundle_result_release(&res);
		if (report)
			json_array_append_new(report, json_pack("{s:O, s:s, s:s, s:b, s:s}", "num",
								json_object_get(it, "num"), "inc", inc,
								"book",
								json_string_value(json_object_get(it, "book")),
								"ok", !rc, "problem", rc ? sub.msg : ""));
		if (rc && !worst) {
			worst = IRK_ETAMPER;
			irk_fail(err, IRK_ETAMPER, "imported %s (import %lld): %s", inc,
				 (long long)json_integer_value(json_object_get(it, "num")), sub.msg);
		}
	}
	json_decref(list);
	irk_buf_release(&objdir);
	irk_buf_release(&path);
	return worst;
}
