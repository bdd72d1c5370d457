/*
 * api-reports.c - what is rendered from the casebook, over HTTP: an
 * incident's timeline (JSON, or the chart and pages `irk timeline` writes),
 * its reports (as `irk report`), its postmortem (as `irk postmortem show
 * --json`), the recent findings of open incidents, the metrics page.
 *
 * All of these only read.  A report from the server carries no signed
 * checkpoint: `irk report` makes and stores one, and a GET must not write
 * (a member signs one from their machine when a report is to be kept).
 */
#include <stdlib.h>
#include <string.h>

#include "irk/finding.h"
#include "irk/incident.h"
#include "irk/http.h"
#include "irk/postmortem.h"
#include "irk/report.h"
#include "irk/stats.h"
#include "irk/svg.h"
#include "irk/timefmt.h"
#include "irk/timeline.h"

/* ?name= among `allowed` (the first is the default); NULL with a 400 in `res`. */
static const char *choice(struct irk_http_request *req, struct irk_http_response *res,
			  const char *name, const char *const allowed[])
{
	const char *v = irk_http_query(req, name);
	struct irk_buf list = IRK_BUF_INIT;

	if (!v)
		return allowed[0];
	if (irk_list_index(allowed, v) >= 0)
		return v;
	for (int i = 0; allowed[i]; i++)
		irk_buf_addf(&list, "%s%s", i ? ", " : "", allowed[i]);
	irk_http_error(res, 400, IRK_EINVAL, "bad-query", "?%s must be one of %s", name, list.buf);
	irk_buf_release(&list);
	return NULL;
}

void irk_api_timeline(struct irk_http_request *req, struct irk_http_response *res)
{
	static const char *const formats[] = { "json", "svg", "html", "md", "csv", NULL };
	struct irk_timeline_filter f = { 0 };
	struct irk_timeline t = { 0 };
	struct irk_buf out = IRK_BUF_INIT;
	struct irk_err err = IRK_ERR_INIT;
	const char *format = choice(req, res, "format", formats), *kinds = irk_http_query(req, "kind");
	char inc[IRK_CHAIN_MAX], *list = NULL;

	if (!format || !irk_http_incident(req, res, inc))
		return;
	if (kinds) {
		list = irk_strdup(kinds);
		if (irk_timeline_filter_kinds(&f, list, &err)) {
			free(list);
			return irk_http_fail(res, &err);
		}
	}
	if (irk_timeline_build(req->cb, inc, &f, &t, &err)) {
		free(list);
		return irk_http_fail(res, &err);
	}
	irk_http_record_view(req, inc, "timeline");
	if (!strcmp(format, "json")) {
		json_t *arr = json_array();
		for (size_t i = 0; i < t.n; i++)
			json_array_append_new(arr, irk_timeline_event_json(&t, &t.ev[i]));
		irk_http_ok(res, json_pack("{s:s, s:o}", "incident", inc, "events", arr));
	} else if (!strcmp(format, "svg")) {
		irk_buf_adds(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		irk_svg_timeline(&t, &out);
		irk_http_body(res, "image/svg+xml", &out);
	} else if (!strcmp(format, "md")) {
		irk_buf_addf(&out, "# %s timeline\n\n", t.inc);
		irk_timeline_markdown(&t, 0, &out);
		irk_http_body(res, "text/markdown; charset=utf-8", &out);
	} else if (!strcmp(format, "csv")) {
		irk_timeline_csv(&t, &out);
		irk_http_body(res, "text/csv; charset=utf-8", &out);
	} else if (irk_timeline_html(&t, &out, &err)) {
		irk_http_fail(res, &err);
	} else {
		irk_http_body(res, "text/html; charset=utf-8", &out);
	}
	irk_buf_release(&out);
	irk_timeline_release(&t);
	free(list);
}

void irk_api_report(struct irk_http_request *req, struct irk_http_response *res)
{
	static const char *const formats[] = { "html", "md", NULL };
	const char *kind = choice(req, res, "kind", irk_report_kinds);
	const char *format = kind ? choice(req, res, "format", formats) : NULL;
	const char *download = irk_http_query(req, "download");
	struct irk_buf out = IRK_BUF_INIT;
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];

	if (!format || !irk_http_incident(req, res, inc))
		return;
	if (!strcmp(format, "md") ? irk_report_markdown(req->cb, NULL, inc, kind, &out, &err)
				  : irk_report_html(req->cb, NULL, inc, kind, &out, &err)) {
		irk_buf_release(&out);
		return irk_http_fail(res, &err);
	}
	irk_http_record_view(req, inc, "report");
	irk_http_body(res, strcmp(format, "md") ? "text/html; charset=utf-8"
						: "text/markdown; charset=utf-8", &out);
	if (download && strcmp(download, "0")) {
		char name[128];
		snprintf(name, sizeof(name), "%s-%s.%s", inc, kind, format);
		irk_http_attachment(res, name);
	}
	irk_buf_release(&out);
}

void irk_api_postmortem(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	char inc[IRK_CHAIN_MAX];
	json_t *pm;

	if (!irk_http_incident(req, res, inc))
		return;
	if (irk_postmortem_show(req->cb, inc, &pm, NULL, &err))
		return irk_http_fail(res, &err);
	irk_http_record_view(req, inc, "postmortem");
	irk_http_ok(res, pm);
}

void irk_api_findings(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr;

	if (irk_finding_recent(req->cb, 20, &arr, &err))
		return irk_http_fail(res, &err);
	irk_http_record_view(req, "", "findings");
	irk_http_ok(res, json_pack("{s:o}", "findings", arr));
}

void irk_api_stats(struct irk_http_request *req, struct irk_http_response *res)
{
	static const char *const formats[] = { "json", "html", NULL };
	const char *by = choice(req, res, "by", irk_stats_periods);
	const char *format = by ? choice(req, res, "format", formats) : NULL;
	struct irk_buf out = IRK_BUF_INIT;
	struct irk_err err = IRK_ERR_INIT;
	json_t *o;

	if (!format)
		return;
	if (irk_stats_compute(req->cb, by, irk_now_ms(), &o, &err))
		return irk_http_fail(res, &err);
	irk_http_record_view(req, "", "stats");
	if (!strcmp(format, "json"))
		return irk_http_ok(res, o);
	if (irk_stats_html(o, &out, &err))
		irk_http_fail(res, &err);
	else
		irk_http_body(res, "text/html; charset=utf-8", &out);
	json_decref(o);
	irk_buf_release(&out);
}
