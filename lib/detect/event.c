/* event.c - the field store of a parsed log line; see irk/event.h. */
#include <string.h>

#include "irk/event.h"

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
	irk_buf_reset(&ev->arena);
}

static int find(const struct irk_event *ev, const char *name)
{
	for (int i = 0; i < ev->nfields; i++)
		if (!strcmp(ev->arena.buf + ev->f[i].name, name))
			return i;
	return -1;
}

void irk_event_set(struct irk_event *ev, const char *name, const char *value, size_t len)
{
	int i = find(ev, name);
	size_t off;

	if (i < 0) {
		if (ev->nfields >= IRK_EVENT_FIELDS_MAX) {
			ev->dropped++;
			return;
		}
		i = ev->nfields++;
		ev->f[i].name = ev->arena.len;
		irk_buf_add(&ev->arena, name, strlen(name) + 1);
	}
	off = ev->arena.len;
	irk_buf_add(&ev->arena, value, len);
	irk_buf_addch(&ev->arena, '\0');
	ev->f[i].value = off;
	ev->f[i].len = len;
}

const char *irk_event_get(const struct irk_event *ev, const char *name, size_t *len)
{
	int i = find(ev, name);

	if (i < 0)
		return NULL;
	if (len)
		*len = ev->f[i].len;
	return ev->arena.buf + ev->f[i].value;
}
