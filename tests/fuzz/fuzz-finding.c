/*
 * fuzz-finding.c - arbitrary log lines through the bundled rules, every
 * finding written out: never a crash or a leak, and every finding's JSON
 * line is JSON that jansson reads back (log text is untrusted, the JSON is
 * written by hand).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "irk/detect.h"
#include "irk/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_finding(const struct irk_finding *f, void *arg)
{
	struct irk_buf out = IRK_BUF_INIT;
	json_t *j;

	(void)arg;
	irk_finding_write_json(f, &out);
	j = json_loadb(out.buf, out.len, 0, NULL);
	if (!j || !json_is_object(j) || !json_is_string(json_object_get(j, "rule")))
		abort();
	json_decref(j);
	irk_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct irk_ruleset rs;
	static int loaded;
	struct irk_scan_opts o = { 0 };
	struct irk_scan_stats st = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_detector *d;

	if (size > 1 << 16)
		return 0;
	if (!loaded) {
		irk_ruleset_init(&rs);
		irk_ruleset_load_bundled(&rs);
		irk_ruleset_link(&rs);
		loaded = 1;
	}
	o.log.now_ms = 1763719200000LL;
	/* immediate: each hit of a detection rule is written at once, as irk watch does */
	for (int immediate = 0; immediate < 2; immediate++) {
		struct irk_block_scanner *bs = irk_block_scanner_new(&rs, &o);
		d = irk_detector_new(&rs, immediate, check_finding, NULL);
		irk_block_scan(bs, "fuzz", 0, (const char *)data, size, d, &st, &err);
		irk_detector_flush(d);
		irk_detector_free(d);
		irk_block_scanner_free(bs);
	}
	return 0;
}
