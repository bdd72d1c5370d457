/* fuzz-md5sums.c - dpkg's md5sums lines, conffile lines and status file get arbitrary bytes. */
#include <stdint.h>

#include "irk/pkgverify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum irk_code each(const struct irk_dpkg_pkg *p, void *arg, struct irk_err *err)
{
	struct irk_buf path = IRK_BUF_INIT;
	uint8_t md5[16];
	int obsolete;

	(void)arg;
	(void)err;
	for (const char *s = p->conffiles; *s;) {
		const char *nl = s;
		while (*nl && *nl != '\n')
			nl++;
		irk_dpkg_conffile(s, (size_t)(nl - s), &path, md5, &obsolete);
		s = *nl ? nl + 1 : nl;
	}
	irk_buf_release(&path);
	return IRK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_buf path = IRK_BUF_INIT;
	uint8_t md5[16];

	irk_md5sums_line((const char *)data, size, md5, &path, NULL);
	irk_dpkg_status_parse((const char *)data, size, each, NULL, NULL);
	irk_buf_release(&path);
	return 0;
}
