/* fuzz-policy.c - the baseline policy parser gets arbitrary bytes; what parses must format and re-parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irk/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_policy p, q;
	struct irk_buf a = IRK_BUF_INIT, b = IRK_BUF_INIT;

	if (irk_policy_parse((const char *)data, size, "fuzz", &p, NULL) != IRK_OK)
		return 0;
	irk_policy_format(&p, &a);
	if (irk_policy_parse(a.buf, a.len, "formatted", &q, NULL) != IRK_OK)
		abort();
	irk_policy_format(&q, &b);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len))
		abort();
	irk_policy_match(&p, IRK_RULE_EXCLUDE, "/usr/bin/x");
	irk_policy_ignored(&p, "/etc/passwd");
	irk_policy_release(&p);
	irk_policy_release(&q);
	irk_buf_release(&a);
	irk_buf_release(&b);
	return 0;
}
