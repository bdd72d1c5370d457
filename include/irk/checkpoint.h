/*
 * checkpoint.h - signed, dated receipts of a log book (RFC 2196's "signed,
 * dated receipt"), in the transparency-log format: a C2SP signed note whose
 * text is a C2SP tlog checkpoint.
 *
 *     irk/<casebook id>/<INC-2026-0007 | casebook>     origin
 *     42                                               tree size
 *     <base64 RFC 6962 root of the first 42 entries>   root
 *     time 2026-11-21T20:00:00Z                        extension line
 *
 *     — alice@example.org <base64(key hash || Ed25519 signature)>
 *
 * Signature type 0x01 (Ed25519 over the note text) is the member who made
 * the checkpoint; type 0x04 (C2SP tlog-cosignature: "cosignature/v1\ntime
 * <secs>\n" + text, signed, with an 8-byte big-endian timestamp before the
 * signature) is a custodian's countersignature.  Signature lines from
 * unknown keys are kept and ignored.  Checkpoints made here are also stored
 * in the casebook so that `irk verify` checks them every time.
 */
#ifndef IRK_CHECKPOINT_H
#define IRK_CHECKPOINT_H

#include <stdint.h>

#include "irk/buf.h"
#include "irk/casebook.h"
#include "irk/key.h"
#include "irk/logbook.h"

#define IRK_NOTE_MAX (64 * 1024)
#define IRK_NOTE_SIGS_MAX 32

struct irk_note_sig {
	char name[IRK_NAME_MAX];
	uint32_t keyhash;
	uint8_t sig[96]; /* the bytes after the key hash */
	size_t siglen;
};

struct irk_checkpoint {
	char origin[256];
	char chain[IRK_CHAIN_MAX]; /* "" for the casebook chain */
	char book[IRK_BOOK_ID_HEX];
	uint64_t size;
	uint8_t root[IRK_SHA256_LEN];
	int64_t time_ms; /* from the "time" extension line, or -1 */
	struct irk_buf text; /* the signed note text (body), ending in newline */
	struct irk_note_sig sigs[IRK_NOTE_SIGS_MAX];
	size_t nsigs;
};

/* Strict parse (fuzzed): UTF-8, no control characters, the C2SP layout. */
enum irk_code irk_checkpoint_parse(const char *note, size_t len, struct irk_checkpoint *cp,
				   struct irk_err *err);
void irk_checkpoint_release(struct irk_checkpoint *cp);

/* The RFC 6962 root of the first `size` entries of `chain`. */
enum irk_code irk_chain_root(struct irk_casebook *cb, const char *chain, uint64_t size,
			     uint8_t root[IRK_SHA256_LEN], struct irk_err *err);

/* Make, sign, store and return a checkpoint of `chain`'s current log book. */
enum irk_code irk_checkpoint_make(struct irk_casebook *cb, const struct irk_identity *id,
				  const char *chain, struct irk_buf *note, struct irk_err *err);

/* Add `id`'s tlog-cosignature (timestamp `now_s`) to a checkpoint note. */
enum irk_code irk_checkpoint_cosign(const char *note, size_t len, const struct irk_identity *id,
				    int64_t now_s, struct irk_buf *out, struct irk_err *err);

struct irk_checkpoint_result {
	char chain[IRK_CHAIN_MAX];
	uint64_t size;    /* entries the checkpoint covers */
	int64_t current;  /* entries the log book has now */
	int signers;      /* valid Ed25519 signatures by members */
	int cosigners;    /* valid cosignatures by members */
	int unknown;      /* signature lines from keys that are not members */
	char names[512];  /* who signed, comma-separated */
};

/*
 * Check a checkpoint against this casebook: it must name this casebook, carry
 * at least one valid member signature (and no invalid one from a known key),
 * and the log book must extend it: at least `size` entries, the first `size`
 * of which have its root.  IRK_ETAMPER names what does not hold.
 */
enum irk_code irk_checkpoint_verify(struct irk_casebook *cb, const char *note, size_t len,
				    struct irk_checkpoint_result *res, struct irk_err *err);

#endif
