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
 *  - A value is NUL-terminated.  It was copied into the event's arena, or
 *    it is a constant that irk_event_set_const_id() was given (whose caller
 *    promises that it outlives the next irk_event_reset()).
 *  - A value or name got from the event is valid until the next
 *    irk_event_reset() or the next set: a set may grow the arena, which
 *    then moves (irk_event_grow_()).  The fields are moved along with it,
 *    and a value may be set from another field's value.
 *  - At most IRK_EVENT_FIELDS_MAX fields; setting more is ignored (counted in
 *    `dropped`).  Setting a name twice replaces the value.
 *  - An event is reused line after line: reset it, never free it per line.
 *
 * Setting a field with an id is inline (a candidate line of a scan sets a
 * dozen): a slot, a copy into room the arena has, a NUL.
 */
#ifndef IRK_EVENT_H
#define IRK_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "irk/buf.h"
#include "irk/bytes.h"

#define IRK_EVENT_FIELDS_MAX 256

/*
 * The field names parsers set on every line get a fixed id, so that looking
 * one up is an array index rather than string comparisons (the hot path of
 * scanning).  Any other name (JSON paths) works too, found by name.
 */
#define IRK_FIELD_IDS(X) \
	X(HOST, "host") X(PROGRAM, "program") X(MODULE, "module") X(PID, "pid") \
	X(PRIORITY, "priority") X(MSGID, "msgid") X(MESSAGE, "message") X(REPEAT, "repeat") \
	X(ACTION, "action") X(OUTCOME, "outcome") X(USER, "user") X(SRC_IP, "src_ip") \
	X(SRC_PORT, "src_port") X(SRC_HOST, "src_host") X(AUTH_METHOD, "auth_method") \
	X(INVALID_USER, "invalid_user") X(TARGET_USER, "target_user") X(GROUP, "group") \
	X(TARGET_GROUP, "target_group") X(TTY, "tty") X(PWD, "pwd") X(COMMAND, "command") \
	X(REASON, "reason") X(RUSER, "ruser") X(LOGNAME, "logname") X(SERVICE, "service") \
	X(TRACE_ID, "trace_id") X(HTTP_METHOD, "http.method") X(URL, "url") \
	X(URL_PATH, "url.path") X(URL_QUERY, "url.query") X(HTTP_VERSION, "http.version") \
	X(HTTP_REQUEST, "http.request") X(HTTP_STATUS, "http.status") \
	X(HTTP_BYTES, "http.bytes") X(HTTP_REFERER, "http.referer") X(USER_AGENT, "user_agent")

#define IRK_FIELD_ID_ENUM(id, name) IRK_F_##id,
enum irk_field_id { IRK_FIELD_IDS(IRK_FIELD_ID_ENUM) IRK_F_COUNT };
#undef IRK_FIELD_ID_ENUM

/* The names of the ids, and the id of a name (-1 for a name without one). */
extern const char *const irk_field_names[IRK_F_COUNT];
int irk_field_id(const char *name);

struct irk_field {
	int id;            /* an enum irk_field_id, or -1: the name is in the arena */
	const char *name;  /* id -1: the name, in the arena */
	const char *value; /* NUL-terminated: in the arena, or a constant (see above) */
	size_t len;        /* value length */
};

struct irk_event {
	int64_t time_ms; /* 0 when the line had no time */
	int has_time;
	int check_only;   /* set by the caller: parse for well-formedness only, keep no fields */
	const char *file; /* borrowed: where the line came from */
	int64_t line;     /* 1-based line number in that file */
	const char *raw;  /* borrowed: the line itself (without newline) */
	size_t raw_len;
	/* logsource tags for rules: "linux"/"sshd"/"webserver"... or NULL */
	const char *product, *service, *category;
	int nfields, dropped;
	short slot[IRK_F_COUNT]; /* 1 + the index in f[] of the field with that id, or 0 */
	/*
	 * The parsers' memo of the last two dates and the "now" year they worked
	 * out (not reset per line; two dates: a year-less line may be tried in
	 * this year and then in the last).
	 */
	int64_t memo_date[2], memo_date_secs[2], memo_now_ms;
	int memo_now_year;
	struct irk_field f[IRK_EVENT_FIELDS_MAX];
	struct irk_buf arena;
};

void irk_event_init(struct irk_event *ev);
void irk_event_release(struct irk_event *ev);
void irk_event_reset(struct irk_event *ev);

/* Set (or replace) a field; the value is copied.  Ignored when ev->check_only. */
void irk_event_set(struct irk_event *ev, const char *name, const char *value, size_t len);
static inline void irk_event_sets(struct irk_event *ev, const char *name, const char *value)
{
	irk_event_set(ev, name, value, strlen(value));
}

/* The out-of-line parts of the setters below: a full event, an arena without room. */
struct irk_field *irk_event_full_(struct irk_event *ev);
void irk_event_grow_(struct irk_event *ev, size_t need, const char **value);

/* The field with that id, made when new; NULL when the event is full. */
static inline struct irk_field *irk_event_field_(struct irk_event *ev, enum irk_field_id id)
{
	struct irk_field *f;
	int i = ev->slot[id] - 1;

	if (i >= 0)
		return &ev->f[i];
	if (ev->nfields >= IRK_EVENT_FIELDS_MAX)
		return irk_event_full_(ev);
	i = ev->nfields++;
	ev->slot[id] = (short)(i + 1);
	f = &ev->f[i];
	f->id = (int)id;
	f->name = NULL;
	return f;
}

static inline void irk_event_set_id(struct irk_event *ev, enum irk_field_id id, const char *value,
				    size_t len)
{
	struct irk_field *f;
	char *dst;

	if (ev->check_only)
		return;
	if (ev->arena.alloc - ev->arena.len <= len)
		irk_event_grow_(ev, len + 1, &value);
	if (!(f = irk_event_field_(ev, id)))
		return;
	dst = ev->arena.buf + ev->arena.len;
	irk_copy_bytes(dst, value, len);
	dst[len] = '\0';
	ev->arena.len += len + 1;
	f->value = dst;
	f->len = len;
}
static inline void irk_event_sets_id(struct irk_event *ev, enum irk_field_id id,
				     const char *value)
{
	irk_event_set_id(ev, id, value, strlen(value));
}

/*
 * Set a field to a value that is not copied: `value` must be NUL-terminated
 * at `len` and stay as it is until the next irk_event_reset() (a string
 * constant).  Ignored when ev->check_only.
 */
static inline void irk_event_set_const_id(struct irk_event *ev, enum irk_field_id id,
					  const char *value, size_t len)
{
	struct irk_field *f;

	if (ev->check_only || !(f = irk_event_field_(ev, id)))
		return;
	f->value = value;
	f->len = len;
}

/* A field's value (NUL-terminated) and its length, or NULL when absent. */
const char *irk_event_get(const struct irk_event *ev, const char *name, size_t *len);
static inline const char *irk_event_get_id(const struct irk_event *ev, enum irk_field_id id,
					   size_t *len)
{
	int i = ev->slot[id] - 1;

	if (i < 0)
		return NULL;
	if (len)
		*len = ev->f[i].len;
	return ev->f[i].value;
}

/* The i-th field's name and value. */
static inline const char *irk_event_name(const struct irk_event *ev, int i)
{
	return ev->f[i].id >= 0 ? irk_field_names[ev->f[i].id] : ev->f[i].name;
}
static inline const char *irk_event_value(const struct irk_event *ev, int i)
{
	return ev->f[i].value;
}

#endif
