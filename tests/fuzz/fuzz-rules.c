/* fuzz-rules.c - the Sigma rule loader on arbitrary YAML, then one match. */
#include <stdint.h>

#include "irk/sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_ruleset rs;
	struct irk_event ev;
	struct irk_sigma_scratch s = { 0 };

	if (size > IRK_RULE_FILE_MAX)
		return 0;
	irk_ruleset_init(&rs);
	irk_ruleset_load_text(&rs, "fuzz.yml", (const char *)data, size);
	irk_ruleset_link(&rs);
	irk_event_init(&ev);
	ev.product = "linux";
	ev.raw = "raw";
	ev.raw_len = 3;
	irk_event_sets(&ev, "user", "root");
	for (int i = 0; i < rs.nrules; i++)
		if (rs.rules[i]->det)
			(void)irk_sigma_match(rs.rules[i], &ev, &s);
	irk_event_release(&ev);
	irk_sigma_scratch_release(&s);
	irk_ruleset_release(&rs);
	return 0;
}
