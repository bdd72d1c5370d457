/* db.c - the SQLite handle and its statement cache; see irk/db.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irk/buf.h"
#include "irk/db.h"
#include "irk/timefmt.h"

#define CACHE_SIZE 128

struct cached {
	const char *sql; /* identity of the template: the pointer, then the text */
	char schema[16];
	sqlite3_stmt *st;
};

struct irk_db {
	sqlite3 *h;
	struct cached cache[CACHE_SIZE];
	int ncache;
};

sqlite3 *irk_db_handle(struct irk_db *db)
{
	return db->h;
}

enum irk_code irk_db_fail(struct irk_db *db, struct irk_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db->h);
	int prim = rc & 0xff;

	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return irk_fail(err, IRK_EBUSY, "%s: the casebook stayed locked by another irk for %d s",
				what, IRK_DB_BUSY_MS / 1000);
	if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT)
		return irk_fail(err, IRK_EDB, "%s: the casebook database is damaged (%s)", what,
				sqlite3_errmsg(db->h));
	if (prim == SQLITE_CONSTRAINT && strstr(sqlite3_errmsg(db->h), "append-only"))
		return irk_fail(err, IRK_ETAMPER, "%s: %s", what, sqlite3_errmsg(db->h));
	if (prim == SQLITE_IOERR || prim == SQLITE_FULL || prim == SQLITE_CANTOPEN ||
	    prim == SQLITE_READONLY)
		return irk_fail(err, IRK_EIO, "%s: %s", what, sqlite3_errmsg(db->h));
	return irk_fail(err, IRK_EDB, "%s: %s", what, sqlite3_errmsg(db->h));
}

static void expand(struct irk_buf *out, const char *schema, const char *sql)
{
	const char *p = sql, *q;

	while ((q = strstr(p, "{db}."))) {
		irk_buf_add(out, p, (size_t)(q - p));
		if (schema) {
			irk_buf_adds(out, schema);
			irk_buf_addch(out, '.');
		}
		p = q + 5;
	}
	irk_buf_adds(out, p);
}

enum irk_code irk_db_exec(struct irk_db *db, const char *schema, const char *sql,
			  struct irk_err *err)
{
	struct irk_buf s = IRK_BUF_INIT;
	char *msg = NULL;
	int rc;

	expand(&s, schema, sql);
	rc = sqlite3_exec(db->h, s.buf, NULL, NULL, &msg);
	irk_buf_release(&s);
	if (rc != SQLITE_OK) {
		sqlite3_free(msg);
		return irk_db_fail(db, err, "database");
	}
	return IRK_OK;
}

sqlite3_stmt *irk_db_stmt(struct irk_db *db, const char *schema, const char *sql,
			  struct irk_err *err)
{
	const char *sch = schema ? schema : "";
	struct irk_buf s = IRK_BUF_INIT;
	sqlite3_stmt *st = NULL;
	struct cached *c;

	for (int i = 0; i < db->ncache; i++) {
		c = &db->cache[i];
		if (c->sql == sql && !strcmp(c->schema, sch)) {
			sqlite3_reset(c->st);
			sqlite3_clear_bindings(c->st);
			return c->st;
		}
	}
	expand(&s, schema, sql);
	if (sqlite3_prepare_v3(db->h, s.buf, (int)s.len + 1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
	    SQLITE_OK) {
		irk_db_fail(db, err, "preparing a query");
		irk_buf_release(&s);
		return NULL;
	}
	irk_buf_release(&s);
	if (db->ncache == CACHE_SIZE) {
		/* Full: evict the oldest.  A larger cache is a one-line change. */
		sqlite3_finalize(db->cache[0].st);
		memmove(db->cache, db->cache + 1, sizeof(db->cache[0]) * (CACHE_SIZE - 1));
		db->ncache--;
	}
	c = &db->cache[db->ncache++];
	c->sql = sql;
	snprintf(c->schema, sizeof(c->schema), "%s", sch);
	c->st = st;
	return st;
}

void irk_db_forget(struct irk_db *db, const char *schema)
{
	int kept = 0;

	for (int i = 0; i < db->ncache; i++) {
		if (!strcmp(db->cache[i].schema, schema))
			sqlite3_finalize(db->cache[i].st);
		else
			db->cache[kept++] = db->cache[i];
	}
	db->ncache = kept;
}

enum irk_code irk_db_run(struct irk_db *db, sqlite3_stmt *st, struct irk_err *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		enum irk_code code = irk_db_fail(db, err, "database");
		sqlite3_reset(st);
		return code;
	}
	sqlite3_reset(st);
	return IRK_OK;
}

const char *irk_db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : "";
}

enum irk_code irk_db_open(const char *path, int create, struct irk_db **out, struct irk_err *err)
{
	struct irk_db *db = irk_calloc(1, sizeof(*db));
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
		    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE;
	sqlite3_stmt *st = NULL;
	enum irk_code rc = IRK_OK;
	int app_id = 0;

	*out = NULL;
	if (!create && access(path, F_OK) != 0) {
		free(db);
		return irk_fail(err, IRK_ENOTFOUND, "no database at %s", path);
	}
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		rc = irk_fail(err, IRK_EDB, "cannot open %s: %s", path,
			      db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db->h, IRK_DB_BUSY_MS);
	sqlite3_extended_result_codes(db->h, 1);
	if (sqlite3_prepare_v2(db->h, "PRAGMA application_id", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = irk_fail(err, IRK_EDB, "%s is not a casebook database (%s)", path,
			      sqlite3_errmsg(db->h));
		goto fail;
	}
	app_id = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (create && app_id == 0) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA application_id=%d", IRK_DB_APPLICATION_ID);
		if ((rc = irk_db_exec(db, NULL, sql, err)))
			goto fail;
	} else if (app_id != IRK_DB_APPLICATION_ID) {
		rc = irk_fail(err, IRK_EDB, "%s is a database, but not an irk casebook", path);
		goto fail;
	}
	/* WAL for concurrent readers; FULL so that a reported append survives power loss. */
	if ((rc = irk_db_exec(db, NULL,
			      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			      "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;",
			      err)))
		goto fail;
	*out = db;
	return IRK_OK;
fail:
	if (st)
		sqlite3_finalize(st);
	sqlite3_close(db->h);
	free(db);
	return rc;
}

void irk_db_close(struct irk_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	sqlite3_close(db->h);
	free(db);
}

enum irk_code irk_db_begin(struct irk_db *db, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(db, NULL, "BEGIN IMMEDIATE", err);
	return st ? irk_db_run(db, st, err) : IRK_EDB;
}

enum irk_code irk_db_snapshot(struct irk_db *db, struct irk_err *err)
{
	sqlite3_stmt *st;

	/* inside the caller's transaction, the caller's view would be read (and ended) */
	if (!sqlite3_get_autocommit(db->h))
		return irk_fail(err, IRK_ESTATE, "a consistent read cannot start inside a transaction");
	st = irk_db_stmt(db, NULL, "BEGIN DEFERRED", err);
	return st ? irk_db_run(db, st, err) : IRK_EDB;
}

enum irk_code irk_db_commit(struct irk_db *db, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(db, NULL, "COMMIT", err);
	enum irk_code rc = st ? irk_db_run(db, st, err) : IRK_EDB;
	if (rc)
		irk_db_rollback(db);
	return rc;
}

void irk_db_rollback(struct irk_db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

json_t *irk_db_text_json(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
							     : json_string(irk_db_text(st, col));
}

json_t *irk_db_time_json(sqlite3_stmt *st, int col)
{
	char t[IRK_TIME_MAX];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	irk_time_utc(sqlite3_column_int64(st, col), 1, t);
	return json_string(t);
}

enum irk_code irk_db_rows_json(struct irk_db *db, sqlite3_stmt *st, irk_db_row_fn row, void *arg,
			       const char *what, json_t **out, struct irk_err *err)
{
	json_t *arr = json_array();
	enum irk_code rc = IRK_OK;
	int r;

	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = row(st, arr, arg, err)))
			break;
	if (!rc && r != SQLITE_DONE)
		rc = irk_db_fail(db, err, what);
	sqlite3_reset(st);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return IRK_OK;
}
