/* fuzz-utmp.c - the utmp/wtmp/btmp record parser, over arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irk/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct irk_utmp_rec *r, void *arg)
{
	size_t *n = arg;

	if (strlen(r->user) > 32 || strlen(r->line) > 32 || strlen(r->host) > 256 || !r->type_name)
		abort();
	json_decref(irk_json_bytes(r->host, strlen(r->host)));
	(*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;

	irk_utmp_parse(data, size, check, &n, NULL);
	return 0;
}
