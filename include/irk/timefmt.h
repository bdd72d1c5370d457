/*
 * timefmt.h - times as irk stores and shows them.
 *
 * Times are kept as milliseconds since the Unix epoch, UTC (int64_t).  Stored
 * text is RFC 3339 in UTC ("2026-11-21T19:34:43.330Z"); shown text carries an
 * offset.  Responders type times in many forms; irk_time_parse() accepts:
 *
 *   2026-11-21T14:05:00Z   2026-11-21T14:05:00.250+01:00   (RFC 3339)
 *   2026-11-21 14:05       2026-11-21 14:05:30 +0100       (local or offset)
 *   14:05  14:05:30                                        (today, local)
 *   2026-11-21                                             (midnight, local)
 *
 * A bare time of day later than now means that time yesterday (a responder at
 * 00:10 logging "call at 23:50").  Local means the TZ environment's zone.
 */
#ifndef IRK_TIMEFMT_H
#define IRK_TIMEFMT_H

#include <stdint.h>

#include "irk/error.h"

#define IRK_TIME_MAX 96

int64_t irk_now_ms(void);

/*
 * Seconds since the epoch of a UTC civil time (month 1-12; the other parts
 * may overflow their range and carry, as with timegm()), and the UTC year of
 * a time: plain arithmetic, no time zone machinery, for parsing logs fast.
 */
int64_t irk_time_from_civil(int64_t y, int mon, int64_t d, int64_t h, int64_t mi, int64_t s);
int irk_time_year(int64_t ms);

/* "2026-11-21T19:34:43.330Z" (with_ms) or "2026-11-21T19:34:43Z". */
void irk_time_utc(int64_t ms, int with_ms, char out[IRK_TIME_MAX]);

/* "2026-11-21 20:34:43 +01:00" in the given offset (minutes east of UTC). */
void irk_time_local(int64_t ms, int tz_minutes, char out[IRK_TIME_MAX]);

/* "+01:00" */
void irk_tz_format(int tz_minutes, char out[8]);
/* Parse "+01:00", "+0100", "Z"; returns IRK_EINVAL on anything else. */
enum irk_code irk_tz_parse(const char *s, int *tz_minutes, struct irk_err *err);

/* Offset of the local zone at instant `ms`, in minutes east of UTC. */
int irk_local_offset(int64_t ms);

/*
 * Parse a time a person typed (forms above).  `now_ms` anchors the bare
 * forms.  On success *ms is the instant and *tz_minutes the offset it was
 * stated in (the local offset for local forms).  Fails with IRK_EINVAL and a
 * message quoting the input otherwise.
 */
enum irk_code irk_time_parse(const char *s, int64_t now_ms, int64_t *ms, int *tz_minutes,
			     struct irk_err *err);

/* Strict parse of the stored UTC form ("...Z", with or without .mmm). */
enum irk_code irk_time_parse_utc(const char *s, int64_t *ms, struct irk_err *err);

/* Format a duration in seconds as "3d 4h", "2h 05m", "45m", "30s". */
void irk_duration(int64_t seconds, char out[32]);

#endif
