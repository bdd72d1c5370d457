/*
 * fuzz-syslog.c - the syslog parser on arbitrary bytes: never a crash, never
 * a leak, and a check-only parse (what a scan does to lines no rule can
 * match) judges a line well-formed exactly when a full parse does; the
 * quick check (irk_log_syslog_fine) passes only lines both find well-formed.
 */
#include <stdint.h>
#include <stdlib.h>

#include "irk/logread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_log_opts o = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_event ev;
	enum irk_code full, check;

	if (size > IRK_LOG_LINE_MAX)
		return 0;
	irk_event_init(&ev);
	o.now_ms = 1763719200000LL;
	irk_event_reset(&ev);
	full = irk_log_parse_syslog(&o, (const char *)data, size, &ev, &err);
	ev.check_only = 1;
	irk_event_reset(&ev);
	check = irk_log_parse_syslog(&o, (const char *)data, size, &ev, &err);
	irk_event_release(&ev);
	if ((full == IRK_OK) != (check == IRK_OK))
		abort();
	if (irk_log_syslog_fine((const char *)data, size) && full != IRK_OK)
		abort();
	return 0;
}
