/* cmd-timeline.c - irk timeline: an incident's chronology in several formats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/svg.h"
#include "irk/timefmt.h"
#include "irk/timeline.h"

static const char usage[] =
	"usage: irk timeline [INC] [options]\n\n"
	"Every log-book entry of the incident, in the order things happened\n"
	"(the entry's time, not when it was written).  Entries written more than\n"
	"30 minutes after the event are marked late ('!' in text).\n\n"
	"  --format F       text (default), json (JSON Lines), csv, md, html or svg\n"
	"  --json           same as --format json\n"
	"  --kind K[,K...]  only these kinds (note, call, phase, task, evidence, ...)\n"
	"  --since TIME     only entries that happened at or after TIME\n"
	"  --until TIME     only entries that happened at or before TIME\n"
	"  --late MINUTES   the lateness threshold (default 30)\n"
	"  -o, --output F   write to file F instead of standard output\n\n"
	"svg is a chart: the incident's phases as bands, entries as marks, one\n"
	"row per kind; html and md are printable pages with the chart and a table.\n";

static const char *const formats[] = { "text", "json", "csv", "md", "html", "svg", NULL };

static enum irk_code parse_time_opt(const char *opt, const char *s, int64_t *ms,
				    struct irk_err *err)
{
	int tz;
	enum irk_code rc = irk_time_parse(s, irk_now_ms(), ms, &tz, err);

	if (rc)
		irk_err_prefix(err, "%s", opt);
	return rc;
}

int cmd_timeline(int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, NULL, 'f' },
					      { "json", no_argument, NULL, 'j' },
					      { "kind", required_argument, NULL, 'k' },
					      { "since", required_argument, NULL, 's' },
					      { "until", required_argument, NULL, 'u' },
					      { "late", required_argument, NULL, 'l' },
					      { "output", required_argument, NULL, 'o' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_timeline_filter f = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_timeline t = { 0 };
	struct irk_buf out = IRK_BUF_INIT;
	const char *format = "text", *output = NULL;
	char inc[IRK_CHAIN_MAX], *end;
	int c, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "ho:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'f': format = optarg; break;
		case 'j': format = "json"; break;
		case 'o': output = optarg; break;
		case 'k':
			if (irk_timeline_filter_kinds(&f, optarg, &err))
				return cli_error(&err);
			break;
		case 's':
			if (parse_time_opt("--since", optarg, &f.since_ms, &err))
				return cli_error(&err);
			f.has_since = 1;
			break;
		case 'u':
			if (parse_time_opt("--until", optarg, &f.until_ms, &err))
				return cli_error(&err);
			f.has_until = 1;
			break;
		case 'l':
			f.late_ms = strtoll(optarg, &end, 10) * 60000;
			if (*end || f.late_ms <= 0 || f.late_ms > 100LL * 366 * 86400000)
				return cli_usage("timeline", "--late takes a number of minutes (1 or more)");
			break;
		}
	}
	if (irk_list_index(formats, format) < 0)
		return cli_usage("timeline", "unknown format '%s' (text, json, csv, md, html or svg)",
				 format);
	if (argc - optind > 1)
		return cli_usage("timeline", "give at most one incident");
	if (cli_casebook(&cb, &err) || cli_incident(cb, argc > optind ? argv[optind] : NULL, inc, &err) ||
	    irk_timeline_build(cb, inc, &f, &t, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (!strcmp(format, "text")) {
		irk_timeline_text(&t, &out);
	} else if (!strcmp(format, "csv")) {
		irk_timeline_csv(&t, &out);
	} else if (!strcmp(format, "svg")) {
		irk_buf_adds(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		irk_svg_timeline(&t, &out);
	} else if (!strcmp(format, "md")) {
		irk_buf_addf(&out, "# %s timeline\n\n", t.inc);
		irk_timeline_markdown(&t, 0, &out);
	} else if (!strcmp(format, "html")) {
		if (irk_timeline_html(&t, &out, &err)) {
			rc = cli_error(&err);
			goto done;
		}
	} else {
		for (size_t i = 0; i < t.n; i++) {
			json_t *o = irk_timeline_event_json(&t, &t.ev[i]);
			char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

			irk_buf_adds(&out, s);
			irk_buf_addch(&out, '\n');
			free(s);
			json_decref(o);
		}
	}
	if (output) {
		if (irk_write_file(output, out.buf, out.len, 0644, &err))
			rc = cli_error(&err);
	} else {
		fwrite(out.buf, 1, out.len, stdout);
	}
done:
	irk_buf_release(&out);
	irk_timeline_release(&t);
	irk_casebook_close(cb);
	return rc;
}
