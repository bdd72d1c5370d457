/*
 * evidence.h - the evidence locker: acquiring files into the object store
 * with an acquisition record, the chain of custody, accesses and checks.
 *
 * Each item of evidence is an object (irk/object.h) plus an "evidence" entry
 * in its incident's log book holding the acquisition record: the original
 * path and host, size, owner, mode and times as found, who took it (the
 * entry's signer), when (the entry's times), how and why.  Items are
 * numbered across the casebook: E1, E2, ...
 *
 * Symbolic links are never followed.  A link given to irk_evidence_add_path()
 * is refused, unless `links` is set, in which case the link itself is
 * recorded (its target text becomes the object, type "symlink").
 *
 * Custody moves in two signed steps, each an entry by its own author:
 * "custody-offer" by the current custodian names the receiver; then
 * "custody-accept" by the receiver names the offer's entry hash.  Only then
 * does the receiver become the custodian, so every transfer carries the
 * signatures of both the giver and the receiver.
 *
 * Every access (irk_evidence_get) re-hashes the object first and is recorded
 * as an "evidence-access" entry; an object that no longer matches its hash
 * is never handed out.
 */
#ifndef IRK_EVIDENCE_H
#define IRK_EVIDENCE_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/kind.h"
#include "irk/object.h"

/* How and why: recorded in every acquisition record. */
struct irk_evidence_opts {
	const char *how;  /* acquisition method, e.g. "copied from the live host"; default given */
	const char *why;  /* reason; may be NULL */
	int compress;     /* store the object zstd-compressed */
	int links;        /* record symbolic links themselves instead of refusing them */
	int recursive;    /* descend into directories */
};

/* The objects directory of a casebook (.irk/objects). */
void irk_evidence_objdir(const struct irk_casebook *cb, struct irk_buf *out);

/*
 * Acquire each of `paths` (n of them) into incident `inc`, in one
 * transaction: either all are recorded or none.  Appends one JSON object per
 * item ({id, num, sha256, size, path, type, ...}) to `added` when set.
 */
enum irk_code irk_evidence_add_paths(struct irk_casebook *cb, const struct irk_identity *id,
				     const char *inc, char *const *paths, int n,
				     const struct irk_evidence_opts *o, json_t *added,
				     struct irk_err *err);

/*
 * Acquire an in-memory buffer (e.g. a collection's output) as evidence
 * named `name`; `extra` (borrowed, may be NULL) is merged into the
 * acquisition record.  Writes its own transaction.  *num gets the item's number.
 */
enum irk_code irk_evidence_add_buf(struct irk_casebook *cb, const struct irk_identity *id,
				   const char *inc, const char *name, const void *data, size_t len,
				   const struct irk_evidence_opts *o, json_t *extra, int64_t *num,
				   struct irk_err *err);

/* Accept "E7", "e7" or "7" (or 8+ hex digits of the object's hash, if unique). */
enum irk_code irk_evidence_resolve(struct irk_casebook *cb, const char *arg, int64_t *num,
				   struct irk_err *err);

/* Items as a JSON array (of one incident, or all when inc is NULL), in order. */
enum irk_code irk_evidence_list(struct irk_casebook *cb, const char *inc, json_t **out,
				struct irk_err *err);

/* One item: its listing fields, the acquisition record and its custody history. */
enum irk_code irk_evidence_show(struct irk_casebook *cb, int64_t num, json_t **out,
				struct irk_err *err);

/* Offer custody of item `num` to member `to` (key id, e-mail or name). */
enum irk_code irk_evidence_offer(struct irk_casebook *cb, const struct irk_identity *id,
				 int64_t num, const char *to, const char *why, struct irk_err *err);

/* Accept a pending offer of item `num` made to `id`. */
enum irk_code irk_evidence_accept(struct irk_casebook *cb, const struct irk_identity *id,
				  int64_t num, struct irk_err *err);

/* Re-hash the object of item `num` and copy it to a new file `out_path`; record the access. */
enum irk_code irk_evidence_get(struct irk_casebook *cb, const struct irk_identity *id,
			       int64_t num, const char *out_path, const char *why,
			       struct irk_err *err);

/*
 * Handing an item's content out (a download), in three steps, so that a
 * server can let others use the casebook while the content is read:
 *  - irk_evidence_send_check(): the item exists and holds at most `max`
 *    bytes (IRK_ESTATE otherwise), `to` (where the content goes, e.g.
 *    "download over HTTP") and `why` are valid texts; fills `send`;
 *  - irk_evidence_send_read(): re-hash the object into `out` (at most
 *    send->max bytes); it reads the object store under `objdir` only, never
 *    the database; on failure `out` is left empty;
 *  - irk_evidence_send_record(): record the access (data {evidence, sha256,
 *    sent, why}), once the content was read and matched its hash.
 */
struct irk_evidence_send {
	int64_t num;
	size_t max;
	char inc[IRK_CHAIN_MAX];
	char sha256[IRK_SHA256_HEX];
};

enum irk_code irk_evidence_send_check(struct irk_casebook *cb, int64_t num, size_t max,
				      const char *to, const char *why,
				      struct irk_evidence_send *send, struct irk_err *err);
enum irk_code irk_evidence_send_read(const struct irk_evidence_send *send, const char *objdir,
				     struct irk_buf *out, struct irk_err *err);
enum irk_code irk_evidence_send_record(struct irk_casebook *cb, const struct irk_identity *id,
				       const struct irk_evidence_send *send, const char *to,
				       const char *why, struct irk_err *err);

/*
 * Re-hash every object (of `inc`, or all).  `report` gets one object per item
 * ({id, sha256, ok, problem}).  IRK_ETAMPER when any fails; the message names
 * the first.
 */
enum irk_code irk_evidence_verify(struct irk_casebook *cb, const char *inc, json_t *report,
				  struct irk_err *err);

enum irk_code irk_apply_evidence(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_custody_offer(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_custody_accept(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_evidence_access(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_evidence_ddl[];
extern const char irk_custody_ddl[];

#endif
