/* event.c - the field store of a parsed log line; see irk/event.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irk/event.h"

#define IRK_FIELD_ID_NAME(id, name) name,
const char *const irk_field_names[IRK_F_COUNT] = { IRK_FIELD_IDS(IRK_FIELD_ID_NAME) };
#undef IRK_FIELD_ID_NAME

int irk_field_id(const char *name)
{
	for (int i = 0; i < IRK_F_COUNT; i++)
		if (irk_field_names[i][0] == name[0] && !strcmp(irk_field_names[i], name))
			return i;
	return -1;
}

void irk_event_init(struct irk_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	irk_buf_init(&ev->arena, 4096);
}

void irk_event_release(struct irk_event *ev)
{
	irk_buf_release(&ev->arena);
}

void irk_event_reset(struct irk_event *ev)
{
	ev->time_ms = 0;
	ev->has_time = 0;
	ev->nfields = 0;
	ev->dropped = 0;
	ev->product = ev->service = ev->category = NULL;
	memset(ev->slot, 0, sizeof(ev->slot));
	ev->arena.len = 0; /* the arena keeps its room: values are overwritten line after line */
}

struct irk_field *irk_event_full_(struct irk_event *ev)
{
	ev->dropped++;
	return NULL;
}

/* p moved along with the arena's bytes from `old` (`used` of them) to `now`, if it was there. */
static const char *moved(const char *p, uintptr_t old, size_t used, char *now)
{
	uintptr_t u = (uintptr_t)p;

	return p && u - old < used ? now + (u - old) : p;
}

/*
 * Make room for `need` more bytes.  The arena is copied to a new block
 * (not realloc'd, so that the old one can still be compared against) and
 * every pointer into it is moved along: the fields' values and names, and
 * *value, the text about to be copied, which may be another field's value.
 */
void irk_event_grow_(struct irk_event *ev, size_t need, const char **value)
{
	struct irk_buf *a = &ev->arena;
	size_t alloc = a->alloc ? a->alloc : 64;
	uintptr_t old = (uintptr_t)a->buf;
	char *now;

	while (alloc - a->len <= need)
		alloc *= 2;
	now = irk_malloc(alloc);
	memcpy(now, a->buf, a->len);
	now[a->len] = '\0';
	for (int i = 0; i < ev->nfields; i++) {
		ev->f[i].value = moved(ev->f[i].value, old, a->len, now);
		ev->f[i].name = moved(ev->f[i].name, old, a->len, now);
	}
	if (value)
		*value = moved(*value, old, a->len, now);
	if (a->alloc)
		free(a->buf);
	a->buf = now;
	a->alloc = alloc;
}

/* The index of the field without an id called `name`, or -1. */
static int find_named(const struct irk_event *ev, const char *name)
{
	for (int i = 0; i < ev->nfields; i++)
		if (ev->f[i].id < 0 && !strcmp(ev->f[i].name, name))
			return i;
	return -1;
}

/* Copy text + NUL into the arena; returns where it went. */
static const char *arena_add(struct irk_event *ev, const char *text, size_t len)
{
	struct irk_buf *a = &ev->arena;
	char *dst;

	if (a->alloc - a->len <= len)
		irk_event_grow_(ev, len + 1, &text);
	dst = a->buf + a->len;
	memcpy(dst, text, len);
	dst[len] = '\0';
	a->len += len + 1;
	return dst;
}

void irk_event_set(struct irk_event *ev, const char *name, const char *value, size_t len)
{
	int id = irk_field_id(name), i;
	const char *copy;

	if (id >= 0) {
		irk_event_set_id(ev, (enum irk_field_id)id, value, len);
		return;
	}
	if (ev->check_only)
		return;
	/* the value is copied first: naming a new field may move the arena under it */
	copy = arena_add(ev, value, len);
	if ((i = find_named(ev, name)) < 0) {
		if (ev->nfields >= IRK_EVENT_FIELDS_MAX) {
			irk_event_full_(ev);
			return;
		}
		i = ev->nfields++;
		ev->f[i].id = -1;
		ev->f[i].name = NULL;
		ev->f[i].value = copy; /* moved along if the name's copy grows the arena */
		ev->f[i].len = len;
		ev->f[i].name = arena_add(ev, name, strlen(name));
		return;
	}
	ev->f[i].value = copy;
	ev->f[i].len = len;
}

const char *irk_event_get(const struct irk_event *ev, const char *name, size_t *len)
{
	int id = irk_field_id(name), i;

	if (id >= 0)
		return irk_event_get_id(ev, (enum irk_field_id)id, len);
	if ((i = find_named(ev, name)) < 0)
		return NULL;
	if (len)
		*len = ev->f[i].len;
	return ev->f[i].value;
}
