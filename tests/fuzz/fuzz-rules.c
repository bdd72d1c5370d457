/*
 * fuzz-rules.c - the Sigma rule loader on arbitrary YAML, then one match,
 * the needles of each rule and the prefilter built from them.
 */
#include <stdint.h>

#include "irk/prefilter.h"
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
		if (rs.rules[i]->det) {
			(void)irk_sigma_match(rs.rules[i], &ev, &s);
			for (int f = IRK_LOG_SYSLOG; f <= IRK_LOG_JSON; f++) {
				struct irk_needles n;
				irk_sigma_needles(rs.rules[i], f, f != IRK_LOG_JSON, &n);
				irk_needles_release(&n);
			}
		}
	{
		static const char block[] = "Nov 21 10:00:01 gw sshd[1]: Failed password for root from "
					    "192.0.2.1 port 9 ssh2\nraw\n";
		struct irk_prefilter *p;
		struct irk_err err = IRK_ERR_INIT;
		if (irk_prefilter_new(&rs, IRK_PREFILTER_AUTO, &p, &err) == IRK_OK) {
			struct irk_prefilter_state *st = irk_prefilter_state_new(p);
			irk_prefilter_scan(p, st, block, sizeof(block) - 1);
			(void)irk_prefilter_line(p, st, 0, 80, IRK_LOG_SYSLOG);
			irk_prefilter_state_free(st);
			irk_prefilter_free(p);
		}
	}
	irk_event_release(&ev);
	irk_sigma_scratch_release(&s);
	irk_ruleset_release(&rs);
	return 0;
}
