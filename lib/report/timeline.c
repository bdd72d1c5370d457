/* timeline.c - an incident's entries in the order things happened; see irk/timeline.h. */
#include <stdlib.h>
#include <string.h>

#include "irk/incident.h"
#include "irk/markup.h"
#include "irk/svg.h"
#include "irk/timefmt.h"
#include "irk/timeline.h"

enum irk_code irk_timeline_filter_kinds(struct irk_timeline_filter *f, char *list,
					struct irk_err *err)
{
	size_t n = 0;
	char *save = NULL;

	while (f->kinds[n])
		n++;
	for (char *k = strtok_r(list, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		if (n >= IRK_TIMELINE_KINDS_MAX)
			return irk_fail(err, IRK_EINVAL, "too many kinds (at most %d)",
					IRK_TIMELINE_KINDS_MAX);
		if (!*k || strlen(k) >= IRK_KIND_MAX)
			return irk_fail(err, IRK_EINVAL, "'%s' is not an entry kind", k);
		f->kinds[n++] = k;
	}
	if (n == 0)
		return irk_fail(err, IRK_EINVAL, "--kind needs at least one kind");
	f->kinds[n] = NULL;
	return IRK_OK;
}

static int kind_wanted(const struct irk_timeline_filter *f, const char *kind)
{
	if (!f || !f->kinds[0])
		return 1;
	for (int i = 0; f->kinds[i]; i++)
		if (!strcmp(f->kinds[i], kind))
			return 1;
	return 0;
}

static int by_at(const void *a, const void *b)
{
	const struct irk_tl_event *x = a, *y = b;

	if (x->at_ms != y->at_ms)
		return x->at_ms < y->at_ms ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

enum irk_code irk_timeline_build(struct irk_casebook *cb, const char *inc,
				 const struct irk_timeline_filter *f, struct irk_timeline *out,
				 struct irk_err *err)
{
	enum irk_code rc;
	size_t i;
	json_t *e;

	memset(out, 0, sizeof(*out));
	snprintf(out->inc, sizeof(out->inc), "%s", inc);
	out->late_ms = f && f->late_ms > 0 ? f->late_ms : IRK_LATE_MS;
	if ((rc = irk_incident_get(cb, inc, &out->incident, err)) ||
	    (rc = irk_incident_entries(cb, inc, &out->entries, err))) {
		irk_timeline_release(out);
		return rc;
	}
	out->ev = irk_calloc(json_array_size(out->entries) + 1, sizeof(*out->ev));
	json_array_foreach(out->entries, i, e) {
		struct irk_tl_event *ev = &out->ev[out->n];

		if (irk_time_parse_utc(str(e, "at"), &ev->at_ms, err) ||
		    irk_time_parse_utc(str(e, "rec"), &ev->rec_ms, err) ||
		    irk_tz_parse(str(e, "tz"), &ev->tz, err)) {
			irk_err_prefix(err, "%s entry %zu", inc, i + 1);
			irk_timeline_release(out);
			return IRK_EDB;
		}
		ev->seq = json_integer_value(json_object_get(e, "seq"));
		ev->kind = str(e, "kind");
		ev->text = str(e, "text");
		ev->hash = str(e, "hash");
		ev->author = json_object_get(e, "author") ? str(e, "author") : str(e, "by");
		ev->entry = e;
		ev->late = ev->rec_ms - ev->at_ms > out->late_ms;
		if (!kind_wanted(f, ev->kind) || (f && f->has_since && ev->at_ms < f->since_ms) ||
		    (f && f->has_until && ev->at_ms > f->until_ms))
			continue;
		out->n++;
	}
	qsort(out->ev, out->n, sizeof(*out->ev), by_at);
	return IRK_OK;
}

void irk_timeline_release(struct irk_timeline *t)
{
	json_decref(t->incident);
	json_decref(t->entries);
	free(t->ev);
	memset(t, 0, sizeof(*t));
}

void irk_timeline_describe(const struct irk_tl_event *ev, struct irk_buf *out)
{
	json_t *d = json_object_get(ev->entry, "data");
	const char *k = ev->kind;

	if (!strcmp(k, "phase") && json_object_get(d, "to") && !strncmp(ev->text, "phase: ", 7)) {
		irk_buf_addf(out, "phase → %s", str(d, "to"));
		return;
	}
	if (!strcmp(k, "call") && *str(d, "with"))
		irk_buf_addf(out, "call with %s: ", str(d, "with"));
	else if (!strcmp(k, "amend") && json_is_integer(json_object_get(d, "amends")))
		irk_buf_addf(out, "correction to #%lld: ",
			     (long long)json_integer_value(json_object_get(d, "amends")));
	else if (!strcmp(k, "close") && *str(d, "resolution") && !strstr(ev->text, "closed"))
		irk_buf_addf(out, "closed (%s): ", str(d, "resolution"));
	else if (!strncmp(k, "evidence", 8) && *str(d, "sha256"))
		irk_buf_addf(out, "[sha256 %.12s] ", str(d, "sha256"));
	else if (!strncmp(k, "notif", 5) && *str(d, "to"))
		irk_buf_addf(out, "to %s: ", str(d, "to"));
	else if (!strncmp(k, "task", 4) && *str(d, "title") && !strstr(ev->text, str(d, "title")))
		irk_buf_addf(out, "%s: ", str(d, "title"));
	if (*ev->text)
		irk_buf_adds(out, ev->text);
	else
		irk_buf_addf(out, "(%s)", k);
}

static void late_note(const struct irk_tl_event *ev, struct irk_buf *out)
{
	char d[32];

	irk_duration((ev->rec_ms - ev->at_ms) / 1000, d);
	irk_buf_addf(out, "recorded %s later", d);
}

void irk_timeline_text(const struct irk_timeline *t, struct irk_buf *out)
{
	char when[IRK_TIME_MAX], d[32];
	struct irk_buf desc = IRK_BUF_INIT;
	size_t late = 0;

	irk_buf_addf(out, "%s  %s\n", t->inc, str(t->incident, "title"));
	for (size_t i = 0; i < t->n; i++) {
		const struct irk_tl_event *ev = &t->ev[i];

		irk_buf_reset(&desc);
		irk_timeline_describe(ev, &desc);
		for (char *p = desc.buf; *p; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		irk_time_local(ev->at_ms, ev->tz, when);
		irk_buf_addf(out, "%s %c #%-4lld %-12s %s", when, ev->late ? '!' : ' ',
			     (long long)ev->seq, ev->kind, desc.buf);
		if (ev->late) {
			irk_buf_adds(out, "  [");
			late_note(ev, out);
			irk_buf_adds(out, "]");
			late++;
		}
		irk_buf_addf(out, "  (%s)\n", ev->author);
	}
	irk_duration(t->late_ms / 1000, d);
	irk_buf_addf(out, "%zu entries, %zu recorded late (! = more than %s after the event)\n",
		     t->n, late, d);
	irk_buf_release(&desc);
}

void irk_timeline_csv(const struct irk_timeline *t, struct irk_buf *out)
{
	char at[IRK_TIME_MAX], rec[IRK_TIME_MAX];
	struct irk_buf desc = IRK_BUF_INIT;

	irk_buf_adds(out, "seq,at,rec,late,kind,author,text\r\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct irk_tl_event *ev = &t->ev[i];

		irk_time_utc(ev->at_ms, 1, at);
		irk_time_utc(ev->rec_ms, 1, rec);
		irk_buf_addf(out, "%lld,%s,%s,%d,", (long long)ev->seq, at, rec, ev->late);
		irk_csv_field(out, ev->kind);
		irk_buf_addch(out, ',');
		irk_csv_field(out, ev->author);
		irk_buf_addch(out, ',');
		irk_buf_reset(&desc);
		irk_timeline_describe(ev, &desc);
		irk_csv_field(out, desc.buf);
		irk_buf_adds(out, "\r\n");
	}
	irk_buf_release(&desc);
}

json_t *irk_timeline_event_json(const struct irk_timeline *t, const struct irk_tl_event *ev)
{
	struct irk_buf desc = IRK_BUF_INIT;
	json_t *o = json_deep_copy(ev->entry);

	irk_timeline_describe(ev, &desc);
	json_object_set_new(o, "inc", json_string(t->inc));
	json_object_set_new(o, "late", json_boolean(ev->late));
	json_object_set_new(o, "delay_s", json_integer((ev->rec_ms - ev->at_ms) / 1000));
	json_object_set_new(o, "summary", json_string(desc.buf));
	irk_buf_release(&desc);
	return o;
}

void irk_timeline_markdown(const struct irk_timeline *t, int chart, struct irk_buf *out)
{
	char when[IRK_TIME_MAX], d[32];
	struct irk_buf desc = IRK_BUF_INIT;

	if (chart && t->n) {
		irk_buf_adds(out, "\n<figure>\n");
		irk_svg_timeline(t, out);
		irk_buf_adds(out, "\n</figure>\n\n");
	}
	irk_duration(t->late_ms / 1000, d);
	irk_buf_addf(out, "Times as the responder stated them. ⚠ marks an entry recorded more "
			  "than %s after the event.\n\n",
		     d);
	irk_buf_adds(out, "| # | When | Kind | What | Who |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct irk_tl_event *ev = &t->ev[i];

		irk_time_local(ev->at_ms, ev->tz, when);
		irk_buf_addf(out, "| %lld | %s%s | ", (long long)ev->seq, when, ev->late ? " ⚠" : "");
		irk_md_escape(out, ev->kind, 1);
		irk_buf_adds(out, " | ");
		irk_buf_reset(&desc);
		irk_timeline_describe(ev, &desc);
		irk_md_escape(out, desc.buf, 1);
		if (ev->late) {
			irk_buf_reset(&desc);
			late_note(ev, &desc);
			irk_buf_adds(out, " *(");
			irk_md_escape(out, desc.buf, 1);
			irk_buf_adds(out, ")*");
		}
		irk_buf_adds(out, " | ");
		irk_md_escape(out, ev->author, 1);
		irk_buf_adds(out, " |\n");
	}
	irk_buf_release(&desc);
}

enum irk_code irk_timeline_html(const struct irk_timeline *t, struct irk_buf *out,
				struct irk_err *err)
{
	struct irk_buf md = IRK_BUF_INIT, title = IRK_BUF_INIT;
	enum irk_code rc;

	irk_buf_addf(&title, "%s timeline: %s", t->inc, str(t->incident, "title"));
	irk_buf_adds(&md, "# ");
	irk_md_escape(&md, title.buf, 1);
	irk_buf_adds(&md, "\n\n");
	irk_timeline_markdown(t, 1, &md);
	rc = irk_md_page(title.buf, md.buf, md.len, out, err);
	irk_buf_release(&md);
	irk_buf_release(&title);
	return rc;
}
