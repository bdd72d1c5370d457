/*
 * fuzz-bundle.c - the bundle reader and verifier on arbitrary bytes: it must
 * return an error, never crash, leak or touch the file system.
 */
#include <stddef.h>
#include <stdint.h>

#include "irk/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_bundle_result res;
	struct irk_err err = IRK_ERR_INIT;

	irk_bundle_verify_mem(data, size, &res, &err);
	irk_bundle_result_release(&res);
	return 0;
}
