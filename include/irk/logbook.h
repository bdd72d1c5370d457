/*
 * logbook.h - appending to and reading the log book.
 *
 * An entry is one line of JSON, stored as exactly the bytes that were hashed
 * and signed and never re-serialised (docs/ARCHITECTURE.md has the format):
 *
 *   {"v":1,"book":B,"inc":I,"seq":N,"prev":H,"rec":T,"at":T,"tz":Z,
 *    "by":K,"kind":S,"text":S,"data":{...}}
 *
 * Each incident has its own chain ("inc" is its id); the casebook has one
 * more (`"inc":""`) recording members, incident creation and imports.  The
 * entry's hash is SHA-256 of its bytes; "prev" is the previous entry's hash
 * in the same chain (64 zeros for seq 1); the signature is the author's
 * Ed25519 signature over the same bytes.
 *
 * Appending applies the entry to the projection tables (incidents, members,
 * tasks, ...) in the same transaction, through the kind's apply function
 * (irk/kind.h); `irk verify` later replays the same functions and compares.
 */
#ifndef IRK_LOGBOOK_H
#define IRK_LOGBOOK_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/error.h"
#include "irk/hash.h"
#include "irk/key.h"

#define IRK_CHAIN_MAX 32
#define IRK_KIND_MAX 32
#define IRK_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* What the caller wants to record. */
struct irk_append {
	const char *chain;  /* incident id, or "" for the casebook chain */
	const char *kind;   /* must have an apply function (irk/kind.h) */
	const char *text;   /* may be "" for machine entries */
	json_t *data;       /* borrowed; NULL means {} */
	int has_at;         /* when it happened, if not now */
	int64_t at_ms;
	int has_tz;         /* the responder's offset, if not the local one */
	int tz;
};

/* A stored entry, parsed. */
struct irk_entry {
	int64_t id;
	char chain[IRK_CHAIN_MAX];
	int64_t seq;
	char hash[IRK_SHA256_HEX];
	char prev[IRK_SHA256_HEX];
	int64_t rec_ms, at_ms;
	int tz;
	char by[IRK_KEYID_HEX];
	char kind[IRK_KIND_MAX];
	const char *text; /* points into `json` */
	json_t *data;     /* borrowed from `json` */
	json_t *json;     /* owned: the parsed body */
};

/*
 * Parse and check the shape of an entry body (every field present, of the
 * right type, the times well-formed).  Fills `e` (release with
 * irk_entry_release()).  Fuzzed: body bytes are untrusted.
 */
enum irk_code irk_entry_parse(const char *body, size_t len, struct irk_entry *e,
			      struct irk_err *err);
void irk_entry_release(struct irk_entry *e);

/* Append inside an open transaction (irk_db_begin); fills `out` if set. */
enum irk_code irk_logbook_append(struct irk_casebook *cb, const struct irk_identity *id,
				 const struct irk_append *a, struct irk_entry *out,
				 struct irk_err *err);

/* Begin, append, commit: one durable entry. */
enum irk_code irk_logbook_write(struct irk_casebook *cb, const struct irk_identity *id,
				const struct irk_append *a, struct irk_entry *out,
				struct irk_err *err);

/* Read one entry of a chain (IRK_ENOTFOUND if there is none). */
enum irk_code irk_logbook_get(struct irk_casebook *cb, const char *chain, int64_t seq,
			      struct irk_entry *e, struct irk_err *err);

/* Number of entries in a chain and its head hash (IRK_ZERO_HASH when empty). */
enum irk_code irk_logbook_head(struct irk_casebook *cb, const char *chain, int64_t *count,
			       char head[IRK_SHA256_HEX], struct irk_err *err);

/*
 * Call `fn` for each entry of `chain` with seq > after, in seq order; stop
 * early (returning its code) when fn returns non-zero.
 */
typedef enum irk_code (*irk_entry_fn)(const struct irk_entry *e, void *arg, struct irk_err *err);
enum irk_code irk_logbook_each(struct irk_casebook *cb, const char *chain, int64_t after,
			       irk_entry_fn fn, void *arg, struct irk_err *err);

#endif
