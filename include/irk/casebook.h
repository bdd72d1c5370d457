/*
 * casebook.h - finding, creating and opening a casebook.
 *
 * A casebook is a directory, `.irk/`, holding `irk.db` (SQLite, WAL),
 * `objects/` (content-addressed evidence) and `config`.  It is found like
 * git finds `.git`: the IRK_DIR environment variable names the `.irk`
 * directory itself; otherwise irk looks in the working directory and each
 * parent.  (`irk -C DIR` changes the working directory first, as git's does.)
 *
 * The casebook id (16 hex digits, random at `irk init`) is written into every
 * log-book entry and checkpoint, so entries cannot be moved between books.
 */
#ifndef IRK_CASEBOOK_H
#define IRK_CASEBOOK_H

#include "irk/buf.h"
#include "irk/db.h"
#include "irk/error.h"
#include "irk/key.h"

#define IRK_BOOK_ID_HEX 17

struct irk_casebook {
	char *dir; /* the .irk directory, absolute */
	char book_id[IRK_BOOK_ID_HEX];
	struct irk_db *db;
};

/* Locate the .irk directory (see above) into `out`. */
enum irk_code irk_casebook_find(struct irk_buf *out, struct irk_err *err);

/*
 * Create `<parent>/.irk` and its database, write the casebook chain's first
 * entry ("init", signed by `creator`, who becomes its first admin).
 */
enum irk_code irk_casebook_create(const char *parent, const struct irk_identity *creator,
				  struct irk_casebook **out, struct irk_err *err);

enum irk_code irk_casebook_open(const char *irk_dir, struct irk_casebook **out,
				struct irk_err *err);
void irk_casebook_close(struct irk_casebook *cb);

/* Create the projection tables (all modules') in `schema` ("main" or "replay"). */
enum irk_code irk_casebook_schema(struct irk_db *db, const char *schema, struct irk_err *err);

/*
 * An empty casebook in memory with the id `book_id`: no directory, no
 * entries, every table created.  A place to load and replay entries from
 * elsewhere (a bundle) with the same apply functions, then throw away.
 */
enum irk_code irk_casebook_scratch(const char *book_id, struct irk_casebook **out,
				   struct irk_err *err);

#endif
