/*
 * finding-json.c - a finding written out in its JSON Lines form, and
 * findings copied to be kept; see irk/detect.h.
 *
 * The JSON is written straight into a buffer: scan reports tens of thousands
 * of findings, and building each as a jansson object first cost more than
 * finding them.  irk_finding_json() parses that same text back, so there is
 * one definition of the form.
 */
#include <stdlib.h>
#include <string.h>

#include "irk/detect.h"
#include "irk/text.h"
#include "irk/timefmt.h"

/* A JSON string of text that may not be valid UTF-8 (see irk_buf_add_lossy). */
static void add_text(struct irk_buf *out, struct irk_buf *scratch, const char *s)
{
	size_t len = strlen(s);

	if (!irk_utf8_invalid(s, len)) {
		irk_buf_add_json_string(out, s, len);
		return;
	}
	irk_buf_reset(scratch);
	irk_buf_add_lossy(scratch, s, len);
	irk_buf_add_json_string(out, scratch->buf, scratch->len);
}

static void add_key(struct irk_buf *out, struct irk_buf *scratch, const char *key, int first)
{
	if (!first)
		irk_buf_addch(out, ',');
	add_text(out, scratch, key);
	irk_buf_addch(out, ':');
}

static void add_time(struct irk_buf *out, int64_t ms)
{
	char t[IRK_TIME_MAX];

	irk_time_utc(ms, 1, t);
	irk_buf_addch(out, '"');
	irk_buf_adds(out, t);
	irk_buf_addch(out, '"');
}

static void add_event(struct irk_buf *out, struct irk_buf *scratch,
		      const struct irk_finding_event *e)
{
	irk_buf_adds(out, "{\"file\":");
	add_text(out, scratch, e->file ? e->file : "-");
	irk_buf_adds(out, ",\"line\":");
	irk_buf_add_int(out, (long long)e->line);
	irk_buf_adds(out, ",\"time\":");
	add_time(out, e->time_ms);
	irk_buf_adds(out, ",\"text\":");
	add_text(out, scratch, e->text ? e->text : "");
	irk_buf_addch(out, '}');
}

void irk_finding_write_json(const struct irk_finding *f, struct irk_buf *out)
{
	struct irk_buf scratch = IRK_BUF_INIT;

	irk_buf_adds(out, "{\"rule\":");
	add_text(out, &scratch, f->rule->title);
	irk_buf_adds(out, ",\"rule_id\":");
	add_text(out, &scratch, f->rule->id ? f->rule->id : "");
	irk_buf_adds(out, ",\"level\":");
	add_text(out, &scratch, f->rule->level);
	irk_buf_adds(out, ",\"first\":");
	add_time(out, f->first_ms);
	irk_buf_adds(out, ",\"last\":");
	add_time(out, f->last_ms);
	irk_buf_adds(out, ",\"count\":");
	irk_buf_add_int(out, (long long)f->count);
	if (f->ngroup) {
		irk_buf_adds(out, ",\"group\":{");
		for (int k = 0; k < f->ngroup; k++) { /* the loader refuses a name given twice */
			add_key(out, &scratch, f->rule->group_by[k], k == 0);
			add_text(out, &scratch, f->group_values[k]);
		}
		irk_buf_addch(out, '}');
	}
	irk_buf_adds(out, ",\"entities\":{");
	for (int i = 0; i < f->nentities; i++) {
		add_key(out, &scratch, f->entities[i].name, i == 0);
		irk_buf_addch(out, '[');
		for (int k = 0; k < f->entities[i].n; k++) {
			if (k)
				irk_buf_addch(out, ',');
			add_text(out, &scratch, f->entities[i].v[k]);
		}
		irk_buf_addch(out, ']');
	}
	irk_buf_adds(out, "},\"first_event\":");
	add_event(out, &scratch, &f->first);
	irk_buf_adds(out, ",\"last_event\":");
	add_event(out, &scratch, &f->last);
	irk_buf_addch(out, '}');
	irk_buf_release(&scratch);
}

json_t *irk_finding_json(const struct irk_finding *f)
{
	struct irk_buf b = IRK_BUF_INIT;
	json_t *j;

	irk_finding_write_json(f, &b);
	j = json_loadb(b.buf, b.len, 0, NULL);
	irk_buf_release(&b);
	return j;
}

static char *dup_or_null(const char *s)
{
	return s ? irk_strdup(s) : NULL;
}

static const char *const *dup_list(const char *const *v, int n)
{
	char **copy = irk_calloc((size_t)n + 1, sizeof(char *));

	for (int i = 0; i < n; i++)
		copy[i] = irk_strdup(v[i]);
	return (const char *const *)copy;
}

static void free_list(const char *const *v, int n)
{
	for (int i = 0; i < n; i++)
		free((char *)v[i]);
	free((void *)v);
}

struct irk_finding *irk_finding_dup(const struct irk_finding *f)
{
	struct irk_finding *c = irk_malloc(sizeof(*c));

	*c = *f;
	c->group_values = dup_list(f->group_values, f->ngroup);
	for (int i = 0; i < f->nentities; i++)
		c->entities[i].v = dup_list(f->entities[i].v, f->entities[i].n);
	c->first.file = dup_or_null(f->first.file);
	c->first.text = dup_or_null(f->first.text);
	c->last.file = dup_or_null(f->last.file);
	c->last.text = dup_or_null(f->last.text);
	return c;
}

void irk_finding_free(struct irk_finding *f)
{
	if (!f)
		return;
	free_list(f->group_values, f->ngroup);
	for (int i = 0; i < f->nentities; i++)
		free_list(f->entities[i].v, f->entities[i].n);
	free((char *)f->first.file);
	free((char *)f->first.text);
	free((char *)f->last.file);
	free((char *)f->last.text);
	free(f);
}
