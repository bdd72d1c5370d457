/* span.c - parsing lengths of time ("45m", "1h30m"); see irk/span.h. */
#include <ctype.h>

#include "irk/span.h"
#include "irk/timefmt.h"

enum irk_code irk_span_parse(const char *s, int64_t *seconds, struct irk_err *err)
{
	const char *p = s;
	int64_t total = 0;

	if (!s || !*s)
		return irk_fail(err, IRK_EINVAL, "an empty length of time (use e.g. 30m, 4h or 3d)");
	while (*p) {
		int64_t n = 0, unit;
		int digits = 0;

		while (isdigit((unsigned char)*p) && digits < 9) {
			n = n * 10 + (*p++ - '0');
			digits++;
		}
		switch (digits ? *p : 0) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default:
			irk_fail(err, IRK_EINVAL, "'%s' is not a length of time", s);
			irk_hint(err, "write a number and a unit: 90s, 45m, 4h, 3d or 1h30m");
			return IRK_EINVAL;
		}
		p++;
		total += n * unit;
		if (total > IRK_SPAN_MAX)
			return irk_fail(err, IRK_EINVAL, "'%s' is longer than a year", s);
	}
	if (total <= 0)
		return irk_fail(err, IRK_EINVAL, "'%s' is not a positive length of time", s);
	*seconds = total;
	return IRK_OK;
}

enum irk_code irk_moment_parse(const char *s, int64_t now_ms, int64_t *ms, struct irk_err *err)
{
	int64_t span;
	int tz;

	if (s && *s == '+')
		s++;
	if (s && irk_span_parse(s, &span, NULL) == IRK_OK) {
		*ms = now_ms + span * 1000;
		return IRK_OK;
	}
	if (s && irk_time_parse(s, now_ms, ms, &tz, NULL) == IRK_OK)
		return IRK_OK;
	irk_fail(err, IRK_EINVAL, "'%s' is neither a length of time nor a time", s ? s : "");
	irk_hint(err, "give e.g. 30m (from now), 14:30 or 2026-11-21T14:30:00Z");
	return IRK_EINVAL;
}
