/* fuzz-playbook.c - fuzz target: playbook and drill scenario files (YAML, untrusted). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irk/drill.h"
#include "irk/playbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_err err = IRK_ERR_INIT;
	char *text = malloc(size + 1);
	json_t *out = NULL;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (irk_playbook_parse(text, size, "fuzz.yml", NULL, &out, &err) == IRK_OK)
		json_decref(out);
	irk_err_clear(&err);
	if (irk_scenario_parse(text, size, "fuzz.yml", NULL, &out, &err) == IRK_OK)
		json_decref(out);
	free(text);
	return 0;
}
