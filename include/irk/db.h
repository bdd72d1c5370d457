/*
 * db.h - the SQLite handle under a casebook, with a cache of prepared
 * statements and the schema-placeholder convention.
 *
 * Projection SQL is written once and run against two schemas: "main" (the
 * casebook's tables) and "replay" (an in-memory copy that `irk verify`
 * rebuilds from the log book).  Such SQL says `{db}.` where the schema name
 * goes; irk_db_stmt() substitutes it.  Statements are cached per (SQL text,
 * schema) pair for the life of the handle, so a hot loop prepares once.
 *
 * Invariants:
 *  - A statement returned by irk_db_stmt() is reset with bindings cleared;
 *    it belongs to the cache: do not finalize it, and do not hold it across
 *    another irk_db_stmt() call with the same SQL.
 *  - irk_db_begin() takes the write lock at once (BEGIN IMMEDIATE), waiting
 *    up to the busy timeout; every write to a casebook happens inside one.
 *  - A reader that runs several statements and relates their results (verify,
 *    a bundle export) does so inside irk_db_snapshot(): WAL gives it one
 *    moment of the database while others go on committing, and never blocks
 *    them.  It ends with irk_db_rollback().
 */
#ifndef IRK_DB_H
#define IRK_DB_H

#include <jansson.h>
#include <sqlite3.h>

#include "irk/error.h"

#define IRK_DB_APPLICATION_ID 0x69726b31 /* "irk1" */
#define IRK_DB_BUSY_MS 30000

struct irk_db;

/* Open (or with `create`, create) a casebook database file. */
enum irk_code irk_db_open(const char *path, int create, struct irk_db **out, struct irk_err *err);
void irk_db_close(struct irk_db *db);
sqlite3 *irk_db_handle(struct irk_db *db);

/* Run SQL without results; `{db}.` is replaced by `schema.` when schema is set. */
enum irk_code irk_db_exec(struct irk_db *db, const char *schema, const char *sql,
			  struct irk_err *err);

sqlite3_stmt *irk_db_stmt(struct irk_db *db, const char *schema, const char *sql,
			  struct irk_err *err);

/* Step a cached statement that returns no rows (or whose rows are ignored). */
enum irk_code irk_db_run(struct irk_db *db, sqlite3_stmt *st, struct irk_err *err);

/* Record SQLite's current error as an irk error ("what: sqlite message"). */
enum irk_code irk_db_fail(struct irk_db *db, struct irk_err *err, const char *what);

enum irk_code irk_db_begin(struct irk_db *db, struct irk_err *err);
enum irk_code irk_db_commit(struct irk_db *db, struct irk_err *err);
/* A read transaction (see above); its snapshot is taken at its first read. */
enum irk_code irk_db_snapshot(struct irk_db *db, struct irk_err *err);
/* End the open transaction, if any, keeping nothing it wrote. */
void irk_db_rollback(struct irk_db *db);

/* Drop cached statements that name `schema` (before DETACH). */
void irk_db_forget(struct irk_db *db, const char *schema);

/* Convenience: a text column or "" for NULL. */
const char *irk_db_text(sqlite3_stmt *st, int col);

/* A column as JSON: its text, or null for NULL. */
json_t *irk_db_text_json(sqlite3_stmt *st, int col);
/* A column of Unix milliseconds as a JSON RFC 3339 UTC time, or null for NULL. */
json_t *irk_db_time_json(sqlite3_stmt *st, int col);

/*
 * Step a cached statement (bound by the caller) through all its rows, and
 * collect what `row` appends to the array for each row into a new JSON
 * array, *out.  `row` may append nothing, or fail: its code is returned and
 * *out is untouched.  `what` names the reading in a database error
 * ("listing tasks").  The statement is reset either way.
 */
typedef enum irk_code (*irk_db_row_fn)(sqlite3_stmt *st, json_t *arr, void *arg,
				       struct irk_err *err);
enum irk_code irk_db_rows_json(struct irk_db *db, sqlite3_stmt *st, irk_db_row_fn row, void *arg,
			       const char *what, json_t **out, struct irk_err *err);

#endif
