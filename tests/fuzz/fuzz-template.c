/* fuzz-template.c - the template renderer gets arbitrary template text. */
#include <jansson.h>
#include <stdint.h>

#include "irk/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *vars = json_pack("{s:s, s:s, s:s}", "id", "INC-2026-0001", "title", "{{title}}",
				 "occurred", "2026-11-21 14:05:00 +01:00");
	struct irk_buf out = IRK_BUF_INIT;

	irk_template_render((const char *)data, size, vars, &out, NULL);
	irk_buf_release(&out);
	json_decref(vars);
	return 0;
}
