/* cmd-stats.c - irk stats: incident metrics over time, real incidents and drills apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/stats.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk stats [--by month|quarter|year] [--format text|json|html] [-o FILE]\n\n"
	"Metrics over every incident of the casebook, per period of detection:\n"
	"incidents by category and severity; time to detect, acknowledge, contain\n"
	"and recover (median and 90th percentile); action items done on time;\n"
	"the principles behind contributing factors and the factors that recur;\n"
	"the change against the same period a year before.  Drills are counted\n"
	"apart from real incidents.  Definitions: docs/REPORTS.md.\n\n"
	"  --by P          month, quarter or year (default)\n"
	"  --format F      text (default), json or html (with SVG charts)\n"
	"  --json          same as --format json\n"
	"  -o, --output F  write to F instead of standard output\n";

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = { { "by", required_argument, NULL, 'b' },
					      { "format", required_argument, NULL, 'f' },
					      { "json", no_argument, NULL, 'j' },
					      { "output", required_argument, NULL, 'o' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	static const char *const formats[] = { "text", "json", "html", NULL };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_buf out = IRK_BUF_INIT;
	const char *by = "year", *format = "text", *output = NULL;
	json_t *stats = NULL;
	int c, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "ho:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'b': by = optarg; break;
		case 'f': format = optarg; break;
		case 'j': format = "json"; break;
		case 'o': output = optarg; break;
		}
	}
	if (irk_list_index(irk_stats_periods, by) < 0)
		return cli_usage("stats", "--by takes month, quarter or year");
	if (irk_list_index(formats, format) < 0)
		return cli_usage("stats", "unknown format '%s' (text, json or html)", format);
	if (optind != argc)
		return cli_usage("stats", "stats takes no arguments");
	if (cli_casebook(&cb, &err) || irk_stats_compute(cb, by, irk_now_ms(), &stats, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (!strcmp(format, "json")) {
		char *s = json_dumps(stats, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
		irk_buf_adds(&out, s);
		irk_buf_addch(&out, '\n');
		free(s);
	} else if (!strcmp(format, "html")) {
		if (irk_stats_html(stats, &out, &err)) {
			rc = cli_error(&err);
			goto done;
		}
	} else {
		irk_stats_text(stats, &out);
	}
	if (output) {
		if (irk_write_file(output, out.buf, out.len, 0644, &err))
			rc = cli_error(&err);
	} else {
		fwrite(out.buf, 1, out.len, stdout);
	}
done:
	json_decref(stats);
	irk_buf_release(&out);
	irk_casebook_close(cb);
	return rc;
}
