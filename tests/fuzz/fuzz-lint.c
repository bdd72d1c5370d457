/*
 * fuzz-lint.c - the message linter, for every audience, and the settings
 * parser get arbitrary bytes.  The first line of the input is used as
 * casebook configuration, the rest as the message.
 */
#include <stdint.h>
#include <string.h>

#include "irk/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nl = memchr(text, '\n', size);
	size_t cfglen = nl ? (size_t)(nl - text) : 0;
	struct irk_comms_config cfg;
	struct irk_lint_incident inc = { "red", { NULL, 0 } };
	json_t *entries = json_pack("[{s:s, s:s, s:{s:[s]}}]", "kind", "note", "text",
				    "seen 198.51.100.7 and evil.example.net", "data", "observables",
				    "44d88612fea8a8f36de82e1278abb02f");

	if (irk_comms_config_parse(text, cfglen, &cfg, NULL) != IRK_OK)
		memset(&cfg, 0, sizeof(cfg));
	irk_lint_incident_terms(&inc, entries, &cfg);
	for (int i = 0; irk_audiences[i]; i++) {
		struct irk_lint_result r;

		if (irk_lint(text, size, 1 << i, &cfg, (i & 1) ? &inc : NULL, &r, NULL) == IRK_OK) {
			for (size_t k = 0; k < r.n; k++)
				if (r.f[k].end < r.f[k].start || r.f[k].end > size)
					__builtin_trap();
			irk_lint_result_release(&r);
		}
	}
	irk_comms_config_release(&cfg);
	irk_lint_incident_release(&inc);
	json_decref(entries);
	return 0;
}
