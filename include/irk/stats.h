/*
 * stats.h - metrics over time, so a team can show it is getting better.
 *
 * Incidents are grouped by period (month, quarter or year of their
 * detection time) and kept apart by kind: real incidents and drills never
 * share a figure.  Incidents closed as false-positive or duplicate are
 * counted but left out of the time metrics.  Definitions (docs/REPORTS.md):
 *
 *   time to detect       occurred → detected (only when occurred is known)
 *   time to acknowledge  detected → acknowledged, or → triage when no
 *                        acknowledgement time is recorded (moving to triage
 *                        is the team taking it on)
 *   time to contain      detected → contained
 *   time to recover      detected → recovered
 *
 * Each as n, median (the middle value; the mean of the two middle values
 * when n is even) and p90 (nearest rank: the ceil(0.9 n)-th smallest), in
 * seconds.  Action items (postmortem) are counted per incident period: done
 * on or before their due date, done late, open and overdue (due before
 * `now`), open and not yet due.  Principles are counted over the contributing
 * factors of each incident's newest postmortem; a factor is recurring when
 * the same text (case and spacing ignored) appears in two or more incidents.
 * Year over year compares each period with the same period a year before.
 */
#ifndef IRK_STATS_H
#define IRK_STATS_H

#include <jansson.h>
#include <stdint.h>

#include "irk/buf.h"
#include "irk/casebook.h"

extern const char *const irk_stats_periods[]; /* month, quarter, year */

/* The metrics as one JSON object (new reference); shape in docs/REPORTS.md. */
enum irk_code irk_stats_compute(struct irk_casebook *cb, const char *by, int64_t now_ms,
				json_t **out, struct irk_err *err);

/* Nearest-rank / middle-value statistics over `n` sorted values (exposed for tests). */
double irk_stats_median(const int64_t *sorted, size_t n);
int64_t irk_stats_p90(const int64_t *sorted, size_t n);

void irk_stats_text(json_t *stats, struct irk_buf *out);
enum irk_code irk_stats_html(json_t *stats, struct irk_buf *out, struct irk_err *err);

#endif
