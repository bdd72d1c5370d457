/* fuzz-assess.c - fuzz target: assessment files (JSON answers, untrusted). */
#include <stdint.h>

#include "irk/assess.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_err err = IRK_ERR_INIT;
	const char *sev, *prio;
	json_t *out = NULL, *reasons = NULL;

	if (irk_assess_parse((const char *)data, size, "fuzz.json", &out, &err) == IRK_OK) {
		irk_assess_rate(out, &sev, &prio, &reasons);
		json_decref(reasons);
		json_decref(out);
	}
	return 0;
}
