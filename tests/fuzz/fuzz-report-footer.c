/* fuzz-report-footer.c - the report footer reader (irk report --check) gets arbitrary bytes. */
#include <stdint.h>

#include "irk/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_report_footer f;

	irk_report_footer_parse((const char *)data, size, &f, NULL);
	irk_report_footer_release(&f);
	return 0;
}
