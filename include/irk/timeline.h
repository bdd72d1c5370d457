/*
 * timeline.h - an incident's chronology: every log-book entry of every kind
 * (notes, calls, phases, tasks, evidence, findings, notifications, messages,
 * postmortems ...) in the order things happened (`at`), not the order they
 * were written (`rec`).
 *
 * An entry is "late" when it was recorded more than the late threshold after
 * the moment it describes (rec - at > threshold; default IRK_LATE_MS, 30
 * minutes: long enough that ordinary note-taking lag is not flagged, short
 * enough that a call written up after the shift is).  Late entries are marked
 * in every format, because a chronology reconstructed afterwards deserves
 * less trust than one kept as it happened.
 *
 * Entries with the same `at` keep their log-book order (seq).
 */
#ifndef IRK_TIMELINE_H
#define IRK_TIMELINE_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/logbook.h"

#define IRK_LATE_MS (30 * 60 * 1000)
#define IRK_TIMELINE_KINDS_MAX 32

struct irk_timeline_filter {
	const char *kinds[IRK_TIMELINE_KINDS_MAX + 1]; /* NULL-terminated; empty = all kinds */
	int has_since, has_until;
	int64_t since_ms, until_ms; /* on `at`, inclusive */
	int64_t late_ms;            /* 0 means IRK_LATE_MS */
};

struct irk_tl_event {
	int64_t seq, at_ms, rec_ms;
	int tz;
	int late;
	const char *kind, *text, *author, *hash; /* borrowed from `entry` */
	json_t *entry;                           /* borrowed from the timeline's entries */
};

struct irk_timeline {
	char inc[IRK_CHAIN_MAX];
	json_t *incident; /* owned: irk_incident_get() */
	json_t *entries;  /* owned: irk_incident_entries() */
	struct irk_tl_event *ev;
	size_t n;
	int64_t late_ms;
};

/* Parse "note,call" (or one kind) into the filter; IRK_EINVAL on too many or empty kinds. */
enum irk_code irk_timeline_filter_kinds(struct irk_timeline_filter *f, char *list,
					struct irk_err *err);

enum irk_code irk_timeline_build(struct irk_casebook *cb, const char *inc,
				 const struct irk_timeline_filter *f, struct irk_timeline *out,
				 struct irk_err *err);
void irk_timeline_release(struct irk_timeline *t);

/* One line describing an event: kind-aware ("phase → contained", "call with ISP: ..."). */
void irk_timeline_describe(const struct irk_tl_event *ev, struct irk_buf *out);

/* Renderings.  Text and CSV use UTC-offset times as the responder stated them. */
void irk_timeline_text(const struct irk_timeline *t, struct irk_buf *out);
void irk_timeline_csv(const struct irk_timeline *t, struct irk_buf *out);
json_t *irk_timeline_event_json(const struct irk_timeline *t, const struct irk_tl_event *ev);
/* The chronology as Markdown (a table, with the chart when `chart`), for reports and print. */
void irk_timeline_markdown(const struct irk_timeline *t, int chart, struct irk_buf *out);
enum irk_code irk_timeline_html(const struct irk_timeline *t, struct irk_buf *out,
				struct irk_err *err);

#endif
