/* merkle.c - the incremental RFC 6962 tree hash; see irk/merkle.h. */
#include <string.h>

#include "irk/merkle.h"

static void node(const uint8_t l[IRK_SHA256_LEN], const uint8_t r[IRK_SHA256_LEN],
		 uint8_t out[IRK_SHA256_LEN])
{
	uint8_t buf[1 + 2 * IRK_SHA256_LEN];

	buf[0] = 0x01;
	memcpy(buf + 1, l, IRK_SHA256_LEN);
	memcpy(buf + 1 + IRK_SHA256_LEN, r, IRK_SHA256_LEN);
	irk_sha256(buf, sizeof(buf), out);
}

void irk_merkle_init(struct irk_merkle *m)
{
	m->size = 0;
	m->depth = 0;
}

void irk_merkle_add(struct irk_merkle *m, const void *data, size_t len)
{
	struct irk_sha256_ctx *c = irk_sha256_begin();
	uint8_t zero = 0x00;
	uint64_t n;

	irk_sha256_update(c, &zero, 1);
	irk_sha256_update(c, data, len);
	irk_sha256_end(c, m->stack[m->depth++]);
	/* Each trailing 1 bit of the old size is a full subtree to merge with. */
	for (n = m->size; n & 1; n >>= 1) {
		node(m->stack[m->depth - 2], m->stack[m->depth - 1], m->stack[m->depth - 2]);
		m->depth--;
	}
	m->size++;
}

void irk_merkle_root(const struct irk_merkle *m, uint8_t root[IRK_SHA256_LEN])
{
	uint8_t acc[IRK_SHA256_LEN];

	if (m->depth == 0) {
		irk_sha256("", 0, root);
		return;
	}
	/* MTH splits at the largest power of two: fold the subtrees from the right. */
	memcpy(acc, m->stack[m->depth - 1], IRK_SHA256_LEN);
	for (int i = m->depth - 2; i >= 0; i--)
		node(m->stack[i], acc, acc);
	memcpy(root, acc, IRK_SHA256_LEN);
}
