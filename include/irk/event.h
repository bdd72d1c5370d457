/*
 * event.h - one log line turned into named fields, the thing rules match.
 *
 * A parser (irk/logread.h) fills an event with normalised fields (the names
 * are listed in docs/DETECTION.md): "time", "host", "program", "pid",
 * "message", and what the parser could extract ("src_ip", "user",
 * "outcome", "action", "http.status", ...).  JSON Lines events carry every
 * leaf of the object under its dotted path ("http.request.method").
 *
 * Invariants:
 *  - Names and values live in the event's arena; a value is NUL-terminated
 *    and valid until the next irk_event_reset().
 *  - At most IRK_EVENT_FIELDS_MAX fields; setting more is ignored (counted in
 *    `dropped`).  Setting a name twice replaces the value.
 *  - An event is reused line after line: reset it, never free it per line.
 */
#ifndef IRK_EVENT_H
#define IRK_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "irk/buf.h"

#define IRK_EVENT_FIELDS_MAX 256

struct irk_field {
	size_t name;  /* offset of the name in the arena */
	size_t value; /* offset of the value in the arena */
	size_t len;   /* value length */
};

struct irk_event {
	int64_t time_ms; /* 0 when the line had no time */
	int has_time;
	const char *file; /* borrowed: where the line came from */
	int64_t line;     /* 1-based line number in that file */
	const char *raw;  /* borrowed: the line itself (without newline) */
	size_t raw_len;
	/* logsource tags for rules: "linux"/"sshd"/"webserver"... or NULL */
	const char *product, *service, *category;
	int nfields, dropped;
	struct irk_field f[IRK_EVENT_FIELDS_MAX];
	struct irk_buf arena;
};

void irk_event_init(struct irk_event *ev);
void irk_event_release(struct irk_event *ev);
void irk_event_reset(struct irk_event *ev);

/* Set (or replace) a field; the value is copied. */
void irk_event_set(struct irk_event *ev, const char *name, const char *value, size_t len);
static inline void irk_event_sets(struct irk_event *ev, const char *name, const char *value)
{
	size_t n = 0;

	while (value[n])
		n++;
	irk_event_set(ev, name, value, n);
}

/* A field's value (NUL-terminated) and its length, or NULL when absent. */
const char *irk_event_get(const struct irk_event *ev, const char *name, size_t *len);

/* The i-th field's name and value. */
static inline const char *irk_event_name(const struct irk_event *ev, int i)
{
	return ev->arena.buf + ev->f[i].name;
}
static inline const char *irk_event_value(const struct irk_event *ev, int i)
{
	return ev->arena.buf + ev->f[i].value;
}

#endif
