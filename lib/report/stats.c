/* stats.c - incident metrics by period, real incidents and drills apart; see irk/stats.h. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/incident.h"
#include "irk/markup.h"
#include "irk/postmortem.h"
#include "irk/stats.h"
#include "irk/svg.h"
#include "irk/timefmt.h"

const char *const irk_stats_periods[] = { "month", "quarter", "year", NULL };

static const struct {
	const char *name, *from, *to, *alt_to;
} metrics[] = {
	{ "detect", "occurred", "detected", NULL },
	{ "acknowledge", "detected", "acknowledged", "triage" },
	{ "contain", "detected", "contained", NULL },
	{ "recover", "detected", "recovered", NULL },
};
#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

/* Columns of the query below, by stage name. */
static const char *const stage_cols[] = { "occurred",  "detected", "acknowledged", "triage",
					  "contained", "recovered", NULL };

double irk_stats_median(const int64_t *sorted, size_t n)
{
	if (n == 0)
		return 0;
	if (n % 2)
		return (double)sorted[n / 2];
	return ((double)sorted[n / 2 - 1] + (double)sorted[n / 2]) / 2.0;
}

int64_t irk_stats_p90(const int64_t *sorted, size_t n)
{
	size_t rank = (size_t)ceil(0.9 * (double)n);

	if (n == 0)
		return 0;
	return sorted[(rank ? rank : 1) - 1];
}

static void period_label(int64_t ms, const char *by, char out[16])
{
	char t[IRK_TIME_MAX];

	irk_time_utc(ms, 0, t);
	if (!strcmp(by, "year"))
		snprintf(out, 16, "%.4s", t);
	else if (!strcmp(by, "month"))
		snprintf(out, 16, "%.7s", t);
	else
		snprintf(out, 16, "%.4s-Q%c", t, (char)('1' + (atoi(t + 5) - 1) / 3 % 4));
}

static void bump(json_t *o, const char *key, json_int_t by)
{
	json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + by));
}

static json_t *group_for(json_t *groups, const char *period, int drill)
{
	char key[32];
	json_t *g;

	snprintf(key, sizeof(key), "%s|%d", period, drill);
	if ((g = json_object_get(groups, key)))
		return g;
	g = json_pack("{s:s, s:s, s:i, s:i, s:i, s:{}, s:{}, s:{}, s:{s:i, s:i, s:i, s:i, s:i}, s:{}}",
		      "period", period, "kind", drill ? "drill" : "real", "incidents", 0,
		      "false_positives", 0, "postmortems", 0, "by_category", "by_severity",
		      "principles", "actions", "due", 0, "on_time", 0, "late", 0, "overdue", 0,
		      "open", 0, "_d");
	json_object_set_new(groups, key, g);
	return g;
}

/* "Patch  Management" and "patch management" count as the same factor. */
static void normalise(const char *s, struct irk_buf *out)
{
	int space = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			irk_buf_addch(out, ' ');
		space = 0;
		irk_buf_addch(out, (char)tolower((unsigned char)*s));
	}
	while (out->len && strchr(".;:", out->buf[out->len - 1]))
		irk_buf_setlen(out, out->len - 1);
}

static enum irk_code add_postmortem(struct irk_casebook *cb, const char *inc, json_t *g,
				    json_t *recurring, struct irk_err *err)
{
	json_t *pm, *f, *p;
	struct irk_buf key = IRK_BUF_INIT;
	enum irk_code rc;
	int64_t seq;
	size_t i, k;

	rc = irk_postmortem_get(cb, inc, &pm, &seq, err);
	if (rc == IRK_ENOTFOUND) {
		irk_err_clear(err);
		return IRK_OK;
	}
	if (rc)
		return rc;
	bump(g, "postmortems", 1);
	json_array_foreach(json_object_get(pm, "factors"), i, f) {
		json_t *list;
		json_array_foreach(json_object_get(f, "principles"), k, p)
			bump(json_object_get(g, "principles"), json_string_value(p), 1);
		irk_buf_reset(&key);
		irk_buf_addf(&key, "%s|", json_string_value(json_object_get(g, "kind")));
		normalise(json_string_value(json_object_get(f, "text")), &key);
		if (!(list = json_object_get(recurring, key.buf)))
			json_object_set_new(recurring, key.buf,
					    list = json_pack("{s:O, s:s, s:[]}", "text",
							     json_object_get(f, "text"), "kind",
							     json_string_value(json_object_get(g, "kind")),
							     "incidents"));
		list = json_object_get(list, "incidents");
		if (!json_array_size(list) ||
		    strcmp(json_string_value(json_array_get(list, json_array_size(list) - 1)), inc))
			json_array_append_new(list, json_string(inc));
	}
	irk_buf_release(&key);
	json_decref(pm);
	return IRK_OK;
}

static enum irk_code add_actions(struct irk_casebook *cb, const char *inc, json_t *g,
				 int64_t now_ms, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL, "SELECT due, done FROM pm_actions WHERE inc=?1",
				       err);
	json_t *a = json_object_get(g, "actions");
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int has_due = sqlite3_column_type(st, 0) != SQLITE_NULL;
		int done = sqlite3_column_type(st, 1) != SQLITE_NULL;
		int64_t due = sqlite3_column_int64(st, 0), when = sqlite3_column_int64(st, 1);

		if (!has_due) {
			bump(a, "open", !done);
			continue;
		}
		bump(a, "due", 1);
		if (done)
			bump(a, when <= due ? "on_time" : "late", 1);
		else
			bump(a, due < now_ms ? "overdue" : "open", 1);
	}
	sqlite3_reset(st);
	return r == SQLITE_DONE ? IRK_OK : irk_db_fail(cb->db, err, "reading action items");
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void finish_group(json_t *g)
{
	json_t *d = json_object_get(g, "_d");

	for (size_t m = 0; m < NMETRICS; m++) {
		json_t *arr = json_object_get(d, metrics[m].name);
		size_t n = json_array_size(arr);
		int64_t *v = irk_calloc(n + 1, sizeof(*v));
		json_t *o;

		for (size_t i = 0; i < n; i++)
			v[i] = json_integer_value(json_array_get(arr, i));
		qsort(v, n, sizeof(*v), cmp_i64);
		o = json_pack("{s:I}", "n", (json_int_t)n);
		if (n) {
			json_object_set_new(o, "median_s", json_real(irk_stats_median(v, n)));
			json_object_set_new(o, "p90_s", json_integer(irk_stats_p90(v, n)));
		} else {
			json_object_set_new(o, "median_s", json_null());
			json_object_set_new(o, "p90_s", json_null());
		}
		json_object_set_new(g, metrics[m].name, o);
		free(v);
	}
	json_object_del(g, "_d");
}

static void year_over_year(json_t *groups, json_t *g)
{
	const char *period = json_string_value(json_object_get(g, "period"));
	char key[32];
	json_t *prev, *yoy;

	snprintf(key, sizeof(key), "%04d%s|%d", atoi(period) - 1, period + 4,
		 !strcmp(json_string_value(json_object_get(g, "kind")), "drill"));
	if (!(prev = json_object_get(groups, key))) {
		json_object_set_new(g, "yoy", json_null());
		return;
	}
	yoy = json_pack("{s:s, s:I}", "compared_with", json_string_value(json_object_get(prev, "period")),
			"incidents", json_integer_value(json_object_get(g, "incidents")) -
					     json_integer_value(json_object_get(prev, "incidents")));
	for (size_t m = 0; m < NMETRICS; m++) {
		json_t *a = json_object_get(json_object_get(g, metrics[m].name), "median_s");
		json_t *b = json_object_get(json_object_get(prev, metrics[m].name), "median_s");
		char name[48];

		snprintf(name, sizeof(name), "%s_median_change_pct", metrics[m].name);
		if (json_is_number(a) && json_is_number(b) && json_number_value(b) > 0)
			json_object_set_new(yoy, name,
					    json_real(round(1000 * (json_number_value(a) /
								    json_number_value(b) - 1)) / 10));
		else
			json_object_set_new(yoy, name, json_null());
	}
	json_object_set_new(g, "yoy", yoy);
}

static int by_period(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "period")),
		       json_string_value(json_object_get(y, "period")));
	return c ? c : strcmp(json_string_value(json_object_get(y, "kind")),
			      json_string_value(json_object_get(x, "kind"))); /* real first */
}

enum irk_code irk_stats_compute(struct irk_casebook *cb, const char *by, int64_t now_ms,
				json_t **out, struct irk_err *err)
{
	json_t *groups = json_object(), *recurring = json_object(), *periods, *rec, *g, *v;
	json_t **sorted;
	const char *key;
	sqlite3_stmt *st;
	enum irk_code rc = IRK_OK;
	size_t n = 0;
	int r;

	if (irk_list_index(irk_stats_periods, by) < 0) {
		json_decref(groups);
		json_decref(recurring);
		return irk_fail(err, IRK_EINVAL, "unknown period '%s' (month, quarter or year)", by);
	}
	st = irk_db_stmt(cb->db, NULL,
			 "SELECT id, category, severity, drill, coalesce(resolution, ''),"
			 " coalesce(detected, opened), occurred, detected, acknowledged, triage,"
			 " contained, recovered FROM incidents ORDER BY num",
			 err);
	if (!st) {
		json_decref(groups);
		json_decref(recurring);
		return IRK_EDB;
	}
	while (rc == IRK_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		char period[16], inc[IRK_CHAIN_MAX];
		const char *res = irk_db_text(st, 4);
		json_t *d;

		snprintf(inc, sizeof(inc), "%s", irk_db_text(st, 0));
		period_label(sqlite3_column_int64(st, 5), by, period);
		g = group_for(groups, period, sqlite3_column_int(st, 3));
		bump(g, "incidents", 1);
		bump(json_object_get(g, "by_category"), irk_db_text(st, 1), 1);
		bump(json_object_get(g, "by_severity"), irk_db_text(st, 2), 1);
		if (!strcmp(res, "false-positive") || !strcmp(res, "duplicate")) {
			bump(g, "false_positives", 1);
			continue;
		}
		d = json_object_get(g, "_d");
		for (size_t m = 0; m < NMETRICS; m++) {
			int from = 6 + irk_list_index(stage_cols, metrics[m].from);
			int to = 6 + irk_list_index(stage_cols, metrics[m].to);
			json_t *arr;

			if (sqlite3_column_type(st, to) == SQLITE_NULL && metrics[m].alt_to)
				to = 6 + irk_list_index(stage_cols, metrics[m].alt_to);
			if (sqlite3_column_type(st, from) == SQLITE_NULL ||
			    sqlite3_column_type(st, to) == SQLITE_NULL ||
			    sqlite3_column_int64(st, to) < sqlite3_column_int64(st, from))
				continue;
			if (!(arr = json_object_get(d, metrics[m].name)))
				json_object_set_new(d, metrics[m].name, arr = json_array());
			json_array_append_new(arr, json_integer((sqlite3_column_int64(st, to) -
								 sqlite3_column_int64(st, from)) /
								1000));
		}
		/* The statement is cached: finish reading this row before other queries. */
		rc = add_actions(cb, inc, g, now_ms, err);
		if (rc == IRK_OK)
			rc = add_postmortem(cb, inc, g, recurring, err);
	}
	sqlite3_reset(st);
	if (rc == IRK_OK && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = irk_db_fail(cb->db, err, "reading incidents");
	if (rc) {
		json_decref(groups);
		json_decref(recurring);
		return rc;
	}
	json_object_foreach(groups, key, g)
		finish_group(g);
	sorted = irk_calloc(json_object_size(groups) + 1, sizeof(*sorted));
	json_object_foreach(groups, key, g) {
		year_over_year(groups, g);
		sorted[n++] = g;
	}
	qsort(sorted, n, sizeof(*sorted), by_period);
	periods = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(periods, sorted[i]);
	free(sorted);
	rec = json_array();
	json_object_foreach(recurring, key, v)
		if (json_array_size(json_object_get(v, "incidents")) >= 2)
			json_array_append(rec, v);
	*out = json_pack("{s:s, s:o, s:o}", "by", by, "periods", periods, "recurring_factors", rec);
	json_decref(groups);
	json_decref(recurring);
	return IRK_OK;
}

/* ---- output ---- */

static void duration_or_dash(json_t *v, char out[32])
{
	if (json_is_number(v))
		irk_duration((int64_t)json_number_value(v), out);
	else
		snprintf(out, 32, "-");
}

static void counts(json_t *o, struct irk_buf *out)
{
	const char *k;
	json_t *v;
	int first = 1;

	json_object_foreach(o, k, v) {
		irk_buf_addf(out, "%s%s %lld", first ? "" : ", ", k, (long long)json_integer_value(v));
		first = 0;
	}
	if (first)
		irk_buf_adds(out, "-");
}

void irk_stats_text(json_t *stats, struct irk_buf *out)
{
	size_t i;
	json_t *g;

	json_array_foreach(json_object_get(stats, "periods"), i, g) {
		json_t *a = json_object_get(g, "actions"), *yoy = json_object_get(g, "yoy");
		irk_buf_addf(out, "%s %s: %lld incidents (%lld false positive or duplicate), %lld "
				  "postmortems\n",
			     json_string_value(json_object_get(g, "period")),
			     !strcmp(json_string_value(json_object_get(g, "kind")), "drill") ? "drills"
											    : "real",
			     (long long)json_integer_value(json_object_get(g, "incidents")),
			     (long long)json_integer_value(json_object_get(g, "false_positives")),
			     (long long)json_integer_value(json_object_get(g, "postmortems")));
		irk_buf_adds(out, "  category:   ");
		counts(json_object_get(g, "by_category"), out);
		irk_buf_adds(out, "\n  severity:   ");
		counts(json_object_get(g, "by_severity"), out);
		irk_buf_adds(out, "\n");
		for (size_t m = 0; m < NMETRICS; m++) {
			json_t *o = json_object_get(g, metrics[m].name);
			char med[32], p90[32];
			duration_or_dash(json_object_get(o, "median_s"), med);
			duration_or_dash(json_object_get(o, "p90_s"), p90);
			irk_buf_addf(out, "  time to %-12s median %-8s p90 %-8s (n=%lld)", metrics[m].name,
				     med, p90, (long long)json_integer_value(json_object_get(o, "n")));
			if (json_is_object(yoy)) {
				char key[48];
				json_t *pct;
				snprintf(key, sizeof(key), "%s_median_change_pct", metrics[m].name);
				pct = json_object_get(yoy, key);
				if (json_is_number(pct))
					irk_buf_addf(out, "  %+.1f%% vs %s", json_number_value(pct),
						     json_string_value(json_object_get(yoy, "compared_with")));
			}
			irk_buf_adds(out, "\n");
		}
		irk_buf_addf(out, "  action items: %lld with due date, %lld on time, %lld late, %lld "
				  "overdue, %lld open\n",
			     (long long)json_integer_value(json_object_get(a, "due")),
			     (long long)json_integer_value(json_object_get(a, "on_time")),
			     (long long)json_integer_value(json_object_get(a, "late")),
			     (long long)json_integer_value(json_object_get(a, "overdue")),
			     (long long)json_integer_value(json_object_get(a, "open")));
		irk_buf_adds(out, "  principles: ");
		counts(json_object_get(g, "principles"), out);
		irk_buf_adds(out, "\n");
		if (json_is_object(yoy))
			irk_buf_addf(out, "  vs %s: %+lld incidents\n",
				     json_string_value(json_object_get(yoy, "compared_with")),
				     (long long)json_integer_value(json_object_get(yoy, "incidents")));
	}
	if (!json_array_size(json_object_get(stats, "periods")))
		irk_buf_adds(out, "no incidents yet\n");
	json_array_foreach(json_object_get(stats, "recurring_factors"), i, g) {
		size_t k;
		json_t *x;
		if (i == 0)
			irk_buf_adds(out, "recurring contributing factors:\n");
		irk_buf_addf(out, "  %s (%s):", json_string_value(json_object_get(g, "text")),
			     json_string_value(json_object_get(g, "kind")));
		json_array_foreach(json_object_get(g, "incidents"), k, x)
			irk_buf_addf(out, " %s", json_string_value(x));
		irk_buf_adds(out, "\n");
	}
}

enum irk_code irk_stats_html(json_t *stats, struct irk_buf *out, struct irk_err *err)
{
	static const char *const two[2] = { "median", "p90" }, *const one[2] = { "incidents", NULL };
	json_t *periods = json_object_get(stats, "periods"), *g;
	size_t n = json_array_size(periods), i;
	struct irk_svg_bar *bars = irk_calloc(n + 1, sizeof(*bars));
	struct irk_buf md = IRK_BUF_INIT, text = IRK_BUF_INIT, *labels;
	enum irk_code rc;

	labels = irk_calloc(n + 1, sizeof(*labels));
	irk_buf_addf(&md, "# Incident metrics by %s\n\nReal incidents and drills are counted "
			  "apart; times are from detection unless noted (docs/REPORTS.md).\n",
		     json_string_value(json_object_get(stats, "by")));
	json_array_foreach(periods, i, g) {
		irk_buf_init(&labels[i], 32);
		irk_buf_addf(&labels[i], "%s %s", json_string_value(json_object_get(g, "period")),
			     json_string_value(json_object_get(g, "kind")));
		bars[i].label = labels[i].buf;
		bars[i].value[0] = (double)json_integer_value(json_object_get(g, "incidents"));
		bars[i].value[1] = -1;
	}
	irk_buf_adds(&md, "\n## Incidents\n\n<figure>\n");
	irk_svg_bars("Incidents per period", bars, n, one, "", &md);
	irk_buf_adds(&md, "</figure>\n");
	for (size_t m = 0; m < NMETRICS; m++) {
		char title[64];
		json_array_foreach(periods, i, g) {
			json_t *o = json_object_get(g, metrics[m].name);
			bars[i].value[0] = json_is_number(json_object_get(o, "median_s"))
						   ? json_number_value(json_object_get(o, "median_s")) / 3600
						   : -1;
			bars[i].value[1] = json_is_number(json_object_get(o, "p90_s"))
						   ? json_number_value(json_object_get(o, "p90_s")) / 3600
						   : -1;
		}
		snprintf(title, sizeof(title), "Time to %s (hours)", metrics[m].name);
		irk_buf_addf(&md, "\n## Time to %s\n\n<figure>\n", metrics[m].name);
		irk_svg_bars(title, bars, n, two, "h", &md);
		irk_buf_adds(&md, "</figure>\n");
	}
	irk_stats_text(stats, &text);
	irk_buf_adds(&md, "\n## All figures\n\n<pre>");
	irk_xml_escape(&md, text.buf);
	irk_buf_adds(&md, "</pre>\n");
	rc = irk_md_page("irk incident metrics", md.buf, md.len, out, err);
	for (i = 0; i < n; i++)
		irk_buf_release(&labels[i]);
	free(labels);
	free(bars);
	irk_buf_release(&md);
	irk_buf_release(&text);
	return rc;
}
