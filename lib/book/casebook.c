/* casebook.c - finding, creating and opening casebooks; see irk/casebook.h. */
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/casebook.h"
#include "irk/fs.h"
#include "irk/hash.h"
#include "irk/kind.h"
#include "irk/logbook.h"

static const char core_schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS entries("
	"  id INTEGER PRIMARY KEY,"
	"  chain TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  body BLOB NOT NULL,"
	"  sig BLOB NOT NULL,"
	"  by TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  rec INTEGER NOT NULL,"
	"  UNIQUE(chain, seq));"
	"CREATE INDEX IF NOT EXISTS entries_hash ON entries(hash);"
	"CREATE INDEX IF NOT EXISTS entries_kind ON entries(kind, chain);"
	"CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries"
	"  BEGIN SELECT RAISE(ABORT, 'log-book entries are append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries"
	"  BEGIN SELECT RAISE(ABORT, 'log-book entries are append-only'); END;"
	"CREATE TABLE IF NOT EXISTS checkpoints("
	"  id INTEGER PRIMARY KEY,"
	"  chain TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  root TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  note TEXT NOT NULL);";

enum irk_code irk_casebook_schema(struct irk_db *db, const char *schema, struct irk_err *err)
{
	for (const struct irk_table *t = irk_tables; t->name; t++) {
		enum irk_code rc = irk_db_exec(db, schema, t->ddl, err);
		if (rc) {
			irk_err_prefix(err, "creating table %s", t->name);
			return rc;
		}
	}
	return IRK_OK;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

enum irk_code irk_casebook_find(struct irk_buf *out, struct irk_err *err)
{
	const char *env = getenv("IRK_DIR");
	char cwd[PATH_MAX], try[PATH_MAX + 8];

	if (env && *env) {
		char real[PATH_MAX];
		if (!realpath(env, real) || !is_dir(real)) {
			irk_fail(err, IRK_ENOTFOUND, "IRK_DIR names %s, which is not a casebook directory",
				 env);
			irk_hint(err, "create one with 'irk init', or unset IRK_DIR");
			return IRK_ENOTFOUND;
		}
		irk_buf_adds(out, real);
		return IRK_OK;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return irk_fail(err, IRK_EIO, "cannot tell the working directory: %s", strerror(errno));
	for (;;) {
		char *slash;

		snprintf(try, sizeof(try), "%s/.irk", strcmp(cwd, "/") ? cwd : "");
		if (is_dir(try)) {
			irk_buf_adds(out, try);
			return IRK_OK;
		}
		slash = strrchr(cwd, '/');
		if (!slash || slash == cwd) {
			if (strcmp(cwd, "/") == 0)
				break;
			strcpy(cwd, "/");
			continue;
		}
		*slash = '\0';
	}
	irk_fail(err, IRK_ENOTFOUND, "no casebook here or in any parent directory");
	irk_hint(err, "run 'irk init' to create one, or point IRK_DIR or -C at one");
	return IRK_ENOTFOUND;
}

static enum irk_code read_book_id(struct irk_casebook *cb, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL, "SELECT value FROM meta WHERE key='book'", err);
	int rc;

	if (!st)
		return IRK_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(cb->book_id, sizeof(cb->book_id), "%s", irk_db_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW || strlen(cb->book_id) != 16)
		return irk_fail(err, IRK_EDB, "the casebook in %s has no valid id", cb->dir);
	return IRK_OK;
}

enum irk_code irk_casebook_open(const char *irk_dir, struct irk_casebook **out,
				struct irk_err *err)
{
	struct irk_casebook *cb = irk_calloc(1, sizeof(*cb));
	struct irk_buf path = IRK_BUF_INIT;
	enum irk_code rc;

	*out = NULL;
	cb->dir = irk_strdup(irk_dir);
	irk_path_join(&path, irk_dir, "irk.db");
	rc = irk_db_open(path.buf, 0, &cb->db, err);
	if (rc == IRK_ENOTFOUND) {
		irk_err_clear(err);
		irk_fail(err, IRK_ENOTFOUND, "%s has no irk.db: it is not a casebook", irk_dir);
	}
	irk_buf_release(&path);
	if (rc)
		goto fail;
	/* Tables added by newer modules appear on open; the statements are idempotent. */
	if ((rc = irk_db_exec(cb->db, NULL, core_schema, err)) ||
	    (rc = irk_casebook_schema(cb->db, "main", err)) || (rc = read_book_id(cb, err)))
		goto fail;
	*out = cb;
	return IRK_OK;
fail:
	irk_casebook_close(cb);
	return rc;
}

void irk_casebook_close(struct irk_casebook *cb)
{
	if (!cb)
		return;
	irk_db_close(cb->db);
	free(cb->dir);
	free(cb);
}

enum irk_code irk_casebook_create(const char *parent, const struct irk_identity *creator,
				  struct irk_casebook **out, struct irk_err *err)
{
	struct irk_buf dir = IRK_BUF_INIT, sub = IRK_BUF_INIT, cfg = IRK_BUF_INIT;
	struct irk_casebook *cb = irk_calloc(1, sizeof(*cb));
	char real[PATH_MAX], pk_b64[64];
	uint8_t rnd[8];
	sqlite3_stmt *st;
	enum irk_code rc;
	json_t *data = NULL;

	*out = NULL;
	if (!realpath(parent, real)) {
		rc = irk_fail(err, IRK_ENOTFOUND, "cannot use directory %s: %s", parent,
			      strerror(errno));
		goto done;
	}
	irk_path_join(&dir, real, ".irk");
	if (access(dir.buf, F_OK) == 0) {
		rc = irk_fail(err, IRK_ESTATE, "%s already exists", dir.buf);
		irk_hint(err, "a casebook is never re-initialised; use it, or choose another directory");
		goto done;
	}
	if ((rc = irk_mkdirs(dir.buf, 0700, err)))
		goto done;
	irk_path_join(&sub, dir.buf, "objects");
	if ((rc = irk_mkdirs(sub.buf, 0700, err)))
		goto done;
	cb->dir = irk_strdup(dir.buf);
	randombytes_buf(rnd, sizeof(rnd));
	irk_hex(rnd, sizeof(rnd), cb->book_id);
	irk_path_join(&cfg, dir.buf, "config");
	{
		struct irk_buf text = IRK_BUF_INIT;
		irk_buf_addf(&text, "# irk casebook configuration\nbook: %s\n", cb->book_id);
		rc = irk_write_file(cfg.buf, text.buf, text.len, 0600, err);
		irk_buf_release(&text);
		if (rc)
			goto done;
	}
	irk_buf_reset(&sub);
	irk_path_join(&sub, dir.buf, "irk.db");
	if ((rc = irk_db_open(sub.buf, 1, &cb->db, err)) ||
	    (rc = irk_db_exec(cb->db, NULL, core_schema, err)) ||
	    (rc = irk_casebook_schema(cb->db, "main", err)))
		goto done;
	if ((rc = irk_db_begin(cb->db, err)))
		goto done;
	st = irk_db_stmt(cb->db, NULL, "INSERT INTO meta(key, value) VALUES('book', ?1), ('schema', '1')",
			 err);
	if (!st) {
		rc = IRK_EDB;
		irk_db_rollback(cb->db);
		goto done;
	}
	sqlite3_bind_text(st, 1, cb->book_id, -1, SQLITE_STATIC);
	if ((rc = irk_db_run(cb->db, st, err))) {
		irk_db_rollback(cb->db);
		goto done;
	}
	irk_b64(creator->pk, IRK_PK_LEN, pk_b64);
	data = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "book", cb->book_id, "member", "key",
			 creator->keyid, "name", creator->name, "email", creator->email, "role",
			 "admin", "pubkey", pk_b64);
	{
		struct irk_append a = { .chain = "", .kind = "init", .text = "casebook created",
					.data = data };
		rc = irk_logbook_append(cb, creator, &a, NULL, err);
	}
	if (rc) {
		irk_db_rollback(cb->db);
		goto done;
	}
	rc = irk_db_commit(cb->db, err);
done:
	json_decref(data);
	irk_buf_release(&dir);
	irk_buf_release(&sub);
	irk_buf_release(&cfg);
	if (rc) {
		irk_casebook_close(cb);
		return rc;
	}
	*out = cb;
	return IRK_OK;
}

enum irk_code irk_casebook_scratch(const char *book_id, struct irk_casebook **out,
				   struct irk_err *err)
{
	struct irk_casebook *cb = irk_calloc(1, sizeof(*cb));
	enum irk_code rc;

	*out = NULL;
	cb->dir = irk_strdup(":memory:");
	snprintf(cb->book_id, sizeof(cb->book_id), "%s", book_id);
	if ((rc = irk_db_open(":memory:", 1, &cb->db, err)) ||
	    (rc = irk_db_exec(cb->db, NULL, core_schema, err)) ||
	    (rc = irk_casebook_schema(cb->db, "main", err))) {
		irk_casebook_close(cb);
		return rc;
	}
	*out = cb;
	return IRK_OK;
}
