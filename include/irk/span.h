/*
 * span.h - lengths of time as people write them in playbooks and on the
 * command line: "90s", "45m", "2h", "3d", "1h30m".
 *
 * A span is a sum of <number><unit> parts (s, m, h, d), positive and at most
 * IRK_SPAN_MAX seconds.  Used for task due times, ETAs and notification
 * deadlines.
 */
#ifndef IRK_SPAN_H
#define IRK_SPAN_H

#include <stdint.h>

#include "irk/error.h"

#define IRK_SPAN_MAX (366LL * 24 * 3600)

/* Parse a span into seconds; IRK_EINVAL with a message quoting `s` otherwise. */
enum irk_code irk_span_parse(const char *s, int64_t *seconds, struct irk_err *err);

/*
 * A moment given either as a span from `now_ms` ("30m", "+2h") or as a time
 * irk_time_parse() accepts ("14:30", "2026-11-21T14:30:00Z").
 */
enum irk_code irk_moment_parse(const char *s, int64_t now_ms, int64_t *ms, struct irk_err *err);

#endif
