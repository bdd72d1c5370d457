/*
 * verify.h - proving that a casebook's record is intact.
 *
 * irk_verify() reads every entry in the order it was committed and checks:
 *  - the body parses, names this casebook, and agrees with its columns;
 *  - the SHA-256 of the body is the stored hash, and the next entry's "prev";
 *  - each chain's seq numbers run 1, 2, 3, ... without a gap (a deleted or
 *    swapped entry breaks this or the links);
 *  - the signature verifies with the key of a member recorded earlier in the
 *    casebook chain (so a forged entry or a replaced signature fails);
 *  - every incident recorded in the casebook chain has its log book, whose
 *    first entry has the recorded hash, and every log book is so recorded
 *    (so a whole incident cannot vanish);
 *  - every stored checkpoint is still extended by its log book;
 *  - replaying all entries into an empty copy of the projection tables
 *    yields exactly the tables the casebook holds.
 * Truncating the tail of a log book is caught only against a checkpoint
 * made before (`irk checkpoint`, kept elsewhere).
 *
 * The first fault found is returned as IRK_ETAMPER with a message naming the
 * chain and seq ("INC-2026-0001 entry 5: the signature does not verify").
 */
#ifndef IRK_VERIFY_H
#define IRK_VERIFY_H

#include <stdint.h>

#include "irk/casebook.h"

struct irk_verify_result {
	int64_t entries;      /* entries checked */
	int64_t chains;       /* log books (incidents + the casebook chain) */
	int64_t checkpoints;  /* stored checkpoints checked */
	int64_t unreceipted;  /* entries newer than their chain's newest checkpoint */
	int64_t tables;       /* projection tables compared */
	char first_fault_chain[32];
	int64_t first_fault_seq; /* 0 when the fault is not one entry's */
};

/* `threads` <= 0 means one per online CPU. */
enum irk_code irk_verify(struct irk_casebook *cb, int threads, struct irk_verify_result *res,
			 struct irk_err *err);

#endif
