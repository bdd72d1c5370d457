/* kind.c - dispatching entries to their apply functions; see irk/kind.h. */
#include <string.h>

#include "irk/kind.h"

const struct irk_kind *irk_kind_find(const char *name)
{
	for (const struct irk_kind *k = irk_kinds; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

enum irk_code irk_kind_apply(struct irk_db *db, const char *schema, const struct irk_entry *e,
			     struct irk_err *err)
{
	const struct irk_kind *k = irk_kind_find(e->kind);
	struct irk_apply_ctx ctx = { db, schema, e };

	if (!k)
		return irk_fail(err, IRK_ETAMPER, "unknown entry kind '%s'", e->kind);
	if ((k->chain == IRK_CHAIN_CASEBOOK) != (e->chain[0] == '\0'))
		return irk_fail(err, IRK_ETAMPER, "entry kind '%s' does not belong in this chain",
				e->kind);
	return k->apply ? k->apply(&ctx, err) : IRK_OK;
}
