/* event.c - the field store of a parsed log line; see irk/event.h. */
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
	ev->arena.buf[0] = '\0';
}

/* The index of the field without an id called `name`, or -1. */
static int find_named(const struct irk_event *ev, const char *name)
{
	for (int i = 0; i < ev->nfields; i++)
		if (ev->f[i].id < 0 && !strcmp(ev->arena.buf + ev->f[i].name, name))
			return i;
	return -1;
}

/* Append value + NUL to the arena; returns its offset. */
static size_t arena_add(struct irk_event *ev, const char *value, size_t len)
{
	struct irk_buf *a = &ev->arena;
	size_t off = a->len;

	if (a->len + len + 1 >= a->alloc)
		irk_buf_grow(a, len + 1);
	memcpy(a->buf + off, value, len);
	a->buf[off + len] = '\0';
	a->len = off + len + 1;
	return off;
}

/* A new field slot, or -1 when the event is full. */
static int new_field(struct irk_event *ev, int id)
{
	if (ev->nfields >= IRK_EVENT_FIELDS_MAX) {
		ev->dropped++;
		return -1;
	}
	ev->f[ev->nfields].id = id;
	ev->f[ev->nfields].name = 0;
	return ev->nfields++;
}

void irk_event_set_id(struct irk_event *ev, enum irk_field_id id, const char *value, size_t len)
{
	int i;

	if (ev->check_only)
		return;
	i = ev->slot[id] - 1;
	if (i < 0) {
		if ((i = new_field(ev, (int)id)) < 0)
			return;
		ev->slot[id] = (short)(i + 1);
	}
	ev->f[i].value = arena_add(ev, value, len);
	ev->f[i].len = len;
}

void irk_event_set(struct irk_event *ev, const char *name, const char *value, size_t len)
{
	int id = irk_field_id(name), i;

	if (id >= 0) {
		irk_event_set_id(ev, (enum irk_field_id)id, value, len);
		return;
	}
	if (ev->check_only)
		return;
	if ((i = find_named(ev, name)) < 0) {
		if ((i = new_field(ev, -1)) < 0)
			return;
		ev->f[i].name = arena_add(ev, name, strlen(name));
	}
	ev->f[i].value = arena_add(ev, value, len);
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
	return ev->arena.buf + ev->f[i].value;
}
