/* cmd-scan.c - irk scan: run Sigma rules over log files and report findings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-detect.h"
#include "cli.h"
#include "commands.h"
#include "irk/outlet.h"
#include "irk/scan.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk scan [--rules DIR]... [options] [FILE...|-]\n"
	"       irk scan [options] --journal | --journal-file FILE... | --journal-dir DIR\n\n"
	"Run Sigma rules (the bundled ones unless --rules is given) over log files\n"
	"and report findings: the rule, its level, the time window, the entities\n"
	"(addresses, users, hosts), the count, and the first and last matching\n"
	"lines.  Files may be plain or gzip-compressed; '-' or no FILE reads\n"
	"standard input.  Formats (syslog, access, json) are recognised per line.\n"
	"The systemd journal (the local one, journal files or a directory of them)\n"
	"is read as syslog lines, after the files; its entries are named\n"
	"journal:N, N the entry's sequence number (its cursor has N in hex: i=).\n"
	"Findings are printed as they close: correlations when their window ends,\n"
	"the others at the end of the input (sorted by time with --attach/--open).\n\n"
	"  --rules PATH      a rule file or directory (repeatable)\n"
	"  --format F        syslog, access, json or auto (default)\n"
	"  --year Y          the year of syslog lines that have none\n"
	"  --time-field F    JSON: the field holding the time\n"
	"  --trace-field F   JSON: the field holding the trace id\n"
	"  --threads N       parse and match on N threads (default: all processors)\n"
	"  --journal         also read the local systemd journal\n"
	"  --journal-file F  also read the journal file F (repeatable)\n"
	"  --journal-dir D   also read the journal files in directory D\n"
	"  --since TIME      journal: only entries from TIME on\n"
	"  --strict          fail on the first malformed line instead of counting it\n"
	"  --skip-refused    run the rules that load even if others are refused\n"
	"  --attach INC      record the findings in incident INC (once each)\n"
	"  --open            open a new incident for the findings\n"
	"  --json            one JSON object per finding (JSON Lines)\n"
	"  --quiet           no summary on standard error\n"
	"  --no-prefilter    parse and try every rule on every line (slower; the\n"
	"                    findings are the same: for checking the prefilter)\n"
	"  --prefilter-info  say on standard error which prefilter ran, and for which\n"
	"                    formats it switched itself off\n";

struct collect {
	struct cli_findings kept; /* only when the findings go into the casebook */
	int keep, json;
	size_t count;
};

/* Print a finding as it closes (memory stays flat), or keep it for --attach/--open. */
static void on_finding(const struct irk_finding *f, void *arg)
{
	struct collect *c = arg;

	c->count++;
	if (c->keep)
		cli_findings_keep(&c->kept, f);
	else
		cli_print_finding(f, c->json);
}

/* Findings in the order they began (then by rule), whatever order they closed in. */
static int by_time(const void *a, const void *b)
{
	const struct irk_finding *x = *(struct irk_finding *const *)a;
	const struct irk_finding *y = *(struct irk_finding *const *)b;

	if (x->first_ms != y->first_ms)
		return x->first_ms < y->first_ms ? -1 : 1;
	return strcmp(x->rule->title, y->rule->title);
}

int cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = { { "rules", required_argument, NULL, 'r' },
					      { "format", required_argument, NULL, 'f' },
					      { "year", required_argument, NULL, 'y' },
					      { "time-field", required_argument, NULL, 'T' },
					      { "trace-field", required_argument, NULL, 'X' },
					      { "threads", required_argument, NULL, 't' },
					      { "strict", no_argument, NULL, 's' },
					      { "skip-refused", no_argument, NULL, 'S' },
					      { "attach", required_argument, NULL, 'a' },
					      { "open", no_argument, NULL, 'o' },
					      { "json", no_argument, NULL, 'j' },
					      { "quiet", no_argument, NULL, 'q' },
					      { "no-prefilter", no_argument, NULL, 'P' },
					      { "prefilter-info", no_argument, NULL, 'N' },
					      { "journal", no_argument, NULL, 'J' },
					      { "journal-file", required_argument, NULL, 'F' },
					      { "journal-dir", required_argument, NULL, 'D' },
					      { "since", required_argument, NULL, 'I' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_scan_opts so = { 0 };
	struct irk_scan_stats st = { 0 };
	struct irk_ruleset rs;
	struct irk_detector *det = NULL;
	struct collect col = { { 0 }, 0, 0, 0 };
	char **rules = NULL;
	const char *attach = NULL, *stdin_only[] = { "-" };
	struct irk_prefilter *pf = NULL;
	int nrules = 0, c, json = 0, open_new = 0, skip = 0, quiet = 0, rc = 0, loaded = 0;
	int no_prefilter = 0, journal = 0, njfiles = 0, pf_info = 0;
	char **jfiles = NULL;
	const char *since = NULL;
	struct irk_journal_source jsrc = { NULL, NULL };
	struct irk_journal *jr = NULL;

	so.log.now_ms = irk_now_ms();
	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1) {
			rc = cli_getopt_exit(c);
			goto done;
		}
		switch (c) {
		case 'r':
			cli_args_push(&rules, &nrules, optarg);
			break;
		case 'f':
			if (irk_log_format_parse(optarg) < 0) {
				rc = cli_usage("scan", "unknown format '%s' (syslog, access, json or auto)", optarg);
				goto done;
			}
			so.log.format = (enum irk_log_format)irk_log_format_parse(optarg);
			break;
		case 'y':
			so.log.year = atoi(optarg);
			if (so.log.year < 1970 || so.log.year > 9999) {
				rc = cli_usage("scan", "--year wants a year such as 2026");
				goto done;
			}
			break;
		case 'T': so.log.time_field = optarg; break;
		case 'X': so.log.trace_field = optarg; break;
		case 't':
			so.threads = atoi(optarg);
			if (so.threads < 1 || so.threads > IRK_SCAN_THREADS_MAX) {
				rc = cli_usage("scan", "--threads wants 1 to %d", IRK_SCAN_THREADS_MAX);
				goto done;
			}
			break;
		case 's': so.strict = 1; break;
		case 'S': skip = 1; break;
		case 'a': attach = optarg; break;
		case 'o': open_new = 1; break;
		case 'j': json = 1; break;
		case 'q': quiet = 1; break;
		case 'P': no_prefilter = 1; break;
		case 'N': pf_info = 1; break;
		case 'J': journal = 1; break;
		case 'F':
			cli_args_push(&jfiles, &njfiles, optarg);
			journal = 1;
			break;
		case 'D': jsrc.dir = optarg; journal = 1; break;
		case 'I': since = optarg; break;
		}
	}
	if (attach && open_new) {
		rc = cli_usage("scan", "--attach and --open exclude each other");
		goto done;
	}
	if (since && !journal) {
		rc = cli_usage("scan", "--since applies to the journal: add --journal, --journal-file or --journal-dir");
		goto done;
	}
	jsrc.files = (const char *const *)jfiles;
	if (journal) {
		int64_t since_ms = 0;
		int tz;
		if ((since && irk_time_parse(since, irk_now_ms(), &since_ms, &tz, &err)) ||
		    irk_journal_open(&jsrc, NULL, since_ms, 0, &jr, &err)) {
			rc = cli_error(&err);
			goto done;
		}
	}
	if (cli_rules_load(rules, nrules, &rs, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	loaded = 1;
	if (cli_rules_refusals(&rs, skip, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (cli_prefilter(&rs, no_prefilter, &pf, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	so.prefilter = pf;
	col.keep = attach || open_new;
	col.json = json;
	det = irk_detector_new(&rs, 0, on_finding, &col);
	/* files (standard input when nothing at all is named), then the journal */
	if (((optind < argc || !journal) &&
	     irk_scan_files(&rs, &so, optind < argc ? (const char *const *)argv + optind : stdin_only,
			    optind < argc ? argc - optind : 1, det, &st, &err)) ||
	    (jr && irk_scan_journal(&rs, &so, jr, det, &st, &err))) {
		rc = cli_error(&err);
		goto done;
	}
	irk_detector_flush(det);
	if (col.kept.n > 1)
		qsort(col.kept.v, col.kept.n, sizeof(*col.kept.v), by_time);
	for (size_t k = 0; k < col.kept.n; k++)
		cli_print_finding(col.kept.v[k], json);
	fflush(stdout);
	if (!quiet) {
		fprintf(stderr, "irk scan: %lld lines in %lld file%s, %lld events, %lld malformed, %d rules, %zu finding%s\n",
			(long long)st.lines, (long long)st.files, st.files == 1 ? "" : "s",
			(long long)st.events, (long long)st.malformed, rs.nrules, col.count,
			col.count == 1 ? "" : "s");
		if (st.malformed)
			fprintf(stderr, "irk scan: first malformed line: %s\n", st.first_malformed);
		if (irk_detector_overflow(det))
			fprintf(stderr, "irk scan: %lld events were grouped as (other): too many groups\n",
				(long long)irk_detector_overflow(det));
	}
	if (pf_info)
		cli_prefilter_info("scan", pf);
	if ((attach || open_new) && cli_findings_attach(&col.kept, attach, open_new, NULL, &err))
		rc = cli_error(&err);
done:
	irk_detector_free(det);
	irk_prefilter_free(pf);
	irk_journal_close(jr);
	free(jfiles);
	if (loaded)
		irk_ruleset_release(&rs);
	cli_findings_clear(&col.kept);
	free(rules);
	return rc;
}
