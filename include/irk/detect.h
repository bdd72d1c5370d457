/*
 * detect.h - turning rule matches into findings: aggregation of detection
 * rules, and the correlation engine (event_count, value_count, temporal,
 * temporal_ordered; group-by; sliding timespans; chains of correlations).
 *
 * The caller feeds hits (one matching event of one detection rule) in input
 * order; the detector calls back with findings.  In aggregate mode (scan) a
 * detection rule's hits with the same entities make one finding, reported
 * at the end; in immediate mode (watch) each hit is a finding at once.  A
 * correlation's finding opens when its condition is first met, grows while
 * more events keep it met within the timespan, and is reported when it
 * closes (immediate mode: when it opens).  Memory is bounded: groups idle
 * for longer than their timespan are closed and freed, and at most
 * IRK_DETECT_GROUPS_MAX groups are kept per rule (more are merged into one
 * "(other)" group and counted).
 *
 * Correlations with lt/lte conditions are not supported (they need the end
 * of a window that never comes in a stream); the loader refuses them.
 */
#ifndef IRK_DETECT_H
#define IRK_DETECT_H

#include <jansson.h>
#include <stdint.h>

#include "irk/event.h"
#include "irk/sigma.h"

#define IRK_DETECT_GROUPS_MAX 100000
#define IRK_DETECT_ENTITIES_MAX 20

/*
 * Where one field value of a hit is: at irk_hit.base + off (NUL-terminated),
 * or absent (off IRK_HIT_ABSENT, len 0).
 */
#define IRK_HIT_ABSENT ((size_t)-1)
struct irk_hit_value {
	size_t off, len;
	uint32_t hash; /* irk_detect_hash() of the value; of "" when absent */
};

/* One matching event, as the detector needs it (all pointers borrowed for the call). */
struct irk_hit {
	int rule;            /* index in the rule set */
	int64_t time_ms;
	int has_time;
	int64_t weight;      /* 1, or N for "message repeated N times" */
	const char *file;
	int64_t line;
	const char *text;    /* the line */
	size_t text_len;
	const char *base;    /* the bytes the values point into */
	const struct irk_hit_value *values; /* one per irk_detect_fields() name, in its order */
};

/*
 * The fields every hit carries (the entities, then every correlation's
 * group-by and counted fields), in a fixed order: the detector finds a value
 * by its place, not its name.  *names is allocated (free it); the strings
 * are borrowed from rs.  Returns how many.
 */
int irk_detect_fields(const struct irk_ruleset *rs, const char ***names);

/* The hash of a field value that struct irk_hit_value carries. */
uint32_t irk_detect_hash(const char *s, size_t len);

/*
 * Copy the fields `names` (from irk_detect_fields; ids[i] = irk_field_id(names[i]))
 * of `ev` to the end of `out`, and say in values[0..n) where each went.
 */
void irk_detect_pack(const char *const *names, const int *ids, int n, const struct irk_event *ev,
		     struct irk_buf *out, struct irk_hit_value *values);

struct irk_finding_event {
	const char *file;
	int64_t line;
	int64_t time_ms;
	const char *text;
};

/* A named list of values a finding reports (borrowed for the callback). */
struct irk_finding_values {
	const char *name;
	const char *const *v;
	int n;
};

#define IRK_FINDING_ENTITY_KINDS 4

/*
 * A finding, as the detector reports it: every string is borrowed for the
 * callback, and is log content (not necessarily valid UTF-8).
 */
struct irk_finding {
	const struct irk_sigma_rule *rule;
	int64_t first_ms, last_ms, count;
	const char *const *group_values; /* a correlation's group: rule->group_by[k] = [k] */
	int ngroup;                      /* 0 when not a correlation's */
	/* src_ip, user, target_user, host: those seen, in the order first seen */
	struct irk_finding_values entities[IRK_FINDING_ENTITY_KINDS];
	int nentities;
	struct irk_finding_event first, last;
};

/*
 * The finding in the documented JSON Lines form, appended to `out` (no
 * newline).  Text that is not valid UTF-8 has its non-ASCII bytes written
 * as '?'.
 */
void irk_finding_write_json(const struct irk_finding *f, struct irk_buf *out);

/* The same, as a JSON object (NULL only when memory runs out). */
json_t *irk_finding_json(const struct irk_finding *f);

/* A copy of a finding that owns all its strings (the rule is still borrowed). */
struct irk_finding *irk_finding_dup(const struct irk_finding *f);
void irk_finding_free(struct irk_finding *f);

typedef void (*irk_finding_fn)(const struct irk_finding *f, void *arg);

struct irk_detector;
struct irk_detector *irk_detector_new(const struct irk_ruleset *rs, int immediate,
				      irk_finding_fn fn, void *arg);
void irk_detector_hit(struct irk_detector *d, const struct irk_hit *h);
/* Close and report everything still open. */
void irk_detector_flush(struct irk_detector *d);
void irk_detector_free(struct irk_detector *d);
/* Groups merged into "(other)" because of the cap. */
int64_t irk_detector_overflow(const struct irk_detector *d);

#endif
