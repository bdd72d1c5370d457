/*
 * fuzz-postmortem.c - the postmortem text parser gets arbitrary bytes; what
 * it accepts must format and parse again to the same document, and the
 * checks and Markdown escaping must cope with whatever text it holds.
 */
#include <stdint.h>
#include <stdlib.h>

#include "irk/markup.h"
#include "irk/postmortem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_buf text = IRK_BUF_INIT, md = IRK_BUF_INIT;
	json_t *pm, *again = NULL, *w;

	if (irk_postmortem_parse((const char *)data, size, &pm, NULL) != IRK_OK)
		return 0;
	w = irk_postmortem_warnings(pm);
	irk_postmortem_format("INC-2026-0001", NULL, pm, &text);
	/* What irk writes, irk must read (unless the guidance lines made it too long). */
	if (text.len <= IRK_POSTMORTEM_MAX &&
	    irk_postmortem_parse(text.buf, text.len, &again, NULL) != IRK_OK)
		abort();
	irk_md_escape(&md, json_string_value(json_object_get(pm, "summary")), 0);
	json_decref(again);
	json_decref(w);
	json_decref(pm);
	irk_buf_release(&text);
	irk_buf_release(&md);
	return 0;
}
