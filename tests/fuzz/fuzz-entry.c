/* fuzz-entry.c - the log-book entry parser gets arbitrary bytes (bodies are untrusted). */
#include <stdint.h>

#include "irk/logbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_entry e;

	if (irk_entry_parse((const char *)data, size, &e, NULL) == IRK_OK)
		irk_entry_release(&e);
	return 0;
}
