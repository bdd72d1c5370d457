/*
 * merkle.h - the RFC 6962 Merkle tree over a log book's entries.
 *
 * Leaves are the entries' SHA-256 hashes, in seq order.  As RFC 6962 §2.1
 * says: leaf hash = SHA-256(0x00 || leaf data), node = SHA-256(0x01 || left
 * || right), and the tree hash of zero leaves is SHA-256 of the empty string.
 * A checkpoint carries the root of the first N entries; a verifier that has
 * the entries recomputes it, so it can tell whether today's log book extends
 * the one that was receipted (no truncation, no rewrite).
 *
 * The builder is incremental and keeps O(log n) state: it holds the roots of
 * the perfect subtrees that make up the tree so far.
 */
#ifndef IRK_MERKLE_H
#define IRK_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "irk/hash.h"

struct irk_merkle {
	uint64_t size;
	uint8_t stack[64][IRK_SHA256_LEN]; /* subtree roots, largest first */
	int depth;
};

void irk_merkle_init(struct irk_merkle *m);
/* Append a leaf whose data is `data` (for log books: the 32-byte entry hash). */
void irk_merkle_add(struct irk_merkle *m, const void *data, size_t len);
/* The tree hash of everything added so far (the builder is unchanged). */
void irk_merkle_root(const struct irk_merkle *m, uint8_t root[IRK_SHA256_LEN]);

#endif
