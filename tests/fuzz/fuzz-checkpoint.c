/* fuzz-checkpoint.c - the signed-note checkpoint parser gets arbitrary bytes. */
#include <stdint.h>

#include "irk/checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_checkpoint cp;

	if (irk_checkpoint_parse((const char *)data, size, &cp, NULL) == IRK_OK)
		irk_checkpoint_release(&cp);
	return 0;
}
