/* cmd-watch.c - irk watch: follow logs and raise findings as they happen. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "cli-detect.h"
#include "cli.h"
#include "commands.h"
#include "irk/casebook.h"
#include "irk/follow.h"
#include "irk/fs.h"
#include "irk/outlet.h"
#include "irk/scan.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk watch [--rules DIR]... [options] [FILE...]\n\n"
	"Follow log files (and with --journal the systemd journal, or journal\n"
	"files with --journal-file and --journal-dir) and report\n"
	"findings as they happen.  Files are followed across rotation and\n"
	"truncation; the position is kept in a state file, so a restarted watch\n"
	"goes on where it stopped: no line is read twice or skipped.  Journal\n"
	"entries are named journal:N, N the entry's sequence number (its cursor\n"
	"has N in hex: i=).  SIGINT and SIGTERM stop the watch after the batch at\n"
	"hand, its position saved.\n\n"
	"  --rules PATH      a rule file or directory (repeatable; default: bundled)\n"
	"  --journal         also follow the local systemd journal\n"
	"  --journal-file F  follow the journal file F instead (repeatable)\n"
	"  --journal-dir D   follow the journal files in directory D instead, new\n"
	"                    and rotated files included (--journal-file follows\n"
	"                    only the files named)\n"
	"  --since TIME      journal: start at TIME when there is no saved cursor\n"
	"                    (without either, a first watch starts at the end)\n"
	"  --state FILE      where to keep positions (default: .irk/watch-state.json\n"
	"                    in the casebook, else ./irk-watch-state.json)\n"
	"  --json            findings as JSON Lines on standard output\n"
	"  --syslog          also send findings to syslog (facility auth)\n"
	"  --webhook URL     also POST each finding as JSON to URL (http://)\n"
	"  --attach INC      record findings in incident INC\n"
	"  --open            open an incident at the first finding, then add to it\n"
	"  --interval SEC    seconds between polls (default 1)\n"
	"  --once            read what is there now, then stop\n"
	"  --format, --year, --time-field, --trace-field, --skip-refused,\n"
	"  --no-prefilter, --prefilter-info: as in irk scan (the prefilter's\n"
	"                    information is given when the watch stops)\n\n"
	"Correlation windows are not kept across restarts: a burst that began\n"
	"before a restart is counted from the restart on.\n";

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/*
 * SIGINT and SIGTERM stop the watch, but only between batches: they stay
 * blocked while a batch is read, reported and its position saved, and are
 * let in only while waiting (*waitmask), which they then end at once.
 */
static void stop_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t stop;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, waitmask);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

struct watch {
	struct irk_ruleset rs;
	struct irk_scan_opts so;
	struct irk_scan_stats st;
	struct irk_detector *det;
	struct irk_block_scanner *scanner; /* one for every block: the prefilter learns as it goes */
	struct cli_findings pending;
	int json, use_syslog, open_new;
	const char *webhook, *attach;
	char incident[IRK_CHAIN_MAX];
};

static void on_finding(const struct irk_finding *f, void *arg)
{
	struct watch *w = arg;

	cli_findings_keep(&w->pending, f);
}

/* Send what the last block raised to every outlet. */
static int dispatch(struct watch *w)
{
	struct irk_err err = IRK_ERR_INIT;
	int rc = 0;

	for (size_t i = 0; i < w->pending.n; i++) {
		const struct irk_finding *f = w->pending.v[i];
		struct irk_buf s = IRK_BUF_INIT;
		irk_finding_write_json(f, &s);
		cli_print_finding(f, w->json);
		if (w->use_syslog)
			syslog(LOG_AUTH | LOG_WARNING, "%s", s.buf);
		if (w->webhook && irk_webhook_post(w->webhook, s.buf, s.len, 5000, &err)) {
			cli_error(&err);
			irk_err_clear(&err);
		}
		irk_buf_release(&s);
	}
	fflush(stdout);
	if (w->pending.n && (w->attach || w->open_new || w->incident[0])) {
		int open_now = w->open_new && !w->incident[0];
		if (cli_findings_attach(&w->pending, w->incident[0] ? w->incident : w->attach, open_now,
					w->incident, &err))
			rc = cli_error(&err);
	}
	cli_findings_clear(&w->pending);
	return rc;
}

static enum irk_code on_block(const char *name, int64_t line0, const char *data, size_t len,
			      void *arg, struct irk_err *err)
{
	struct watch *w = arg;
	enum irk_code rc = irk_block_scan(w->scanner, name, line0, data, len, w->det, &w->st, err);

	if (!rc && dispatch(w))
		return irk_fail(err, IRK_EIO, "findings could not be recorded");
	return rc;
}

static enum irk_code state_path(const char *opt, struct irk_buf *out)
{
	struct irk_err err = IRK_ERR_INIT;

	if (opt) {
		irk_buf_adds(out, opt);
		return IRK_OK;
	}
	if (irk_casebook_find(out, &err) == IRK_OK) {
		irk_buf_adds(out, "/watch-state.json");
		return IRK_OK;
	}
	irk_buf_reset(out);
	irk_buf_adds(out, "irk-watch-state.json");
	return IRK_OK;
}

/*
 * The journal's place: the cursor of the last entry read, or `head` when
 * the journal was empty at the first start (a restart then reads it from
 * its start: what came in while irk was stopped is not skipped).
 */
struct journal_place {
	char *cursor;
	int head;
};

static void state_load(const char *path, struct irk_follow *fs, int n, struct journal_place *jp,
		       char incident[IRK_CHAIN_MAX])
{
	json_t *st = json_load_file(path, 0, NULL), *files = json_object_get(st, "files");

	for (int i = 0; i < n; i++) {
		json_t *o = json_object_get(files, fs[i].path);
		if (!o)
			continue;
		fs[i].dev = (dev_t)json_integer_value(json_object_get(o, "dev"));
		fs[i].ino = (ino_t)json_integer_value(json_object_get(o, "ino"));
		fs[i].offset = json_integer_value(json_object_get(o, "offset"));
		fs[i].line = json_integer_value(json_object_get(o, "line"));
		fs[i].known = 1;
	}
	if (json_string_value(json_object_get(st, "journal")))
		jp->cursor = strdup(json_string_value(json_object_get(st, "journal")));
	jp->head = json_is_true(json_object_get(st, "journal_head"));
	if (json_string_value(json_object_get(st, "incident")))
		snprintf(incident, IRK_CHAIN_MAX, "%s", json_string_value(json_object_get(st, "incident")));
	json_decref(st);
}

static enum irk_code state_save(const char *path, struct irk_follow *fs, int n,
				const struct journal_place *jp, const char *incident,
				struct irk_err *err)
{
	json_t *st = json_object(), *files = json_object();
	char *s;
	enum irk_code rc;

	for (int i = 0; i < n; i++)
		if (fs[i].known)
			json_object_set_new(files, fs[i].path,
					    json_pack("{s:I, s:I, s:I, s:I}", "dev", (json_int_t)fs[i].dev,
						      "ino", (json_int_t)fs[i].ino, "offset",
						      (json_int_t)fs[i].offset, "line", (json_int_t)fs[i].line));
	json_object_set_new(st, "files", files);
	if (jp->cursor)
		json_object_set_new(st, "journal", json_string(jp->cursor));
	else if (jp->head)
		json_object_set_new(st, "journal_head", json_true());
	if (incident && *incident)
		json_object_set_new(st, "incident", json_string(incident));
	s = json_dumps(st, JSON_INDENT(1) | JSON_SORT_KEYS);
	rc = irk_write_file(path, s, strlen(s), 0600, err);
	free(s);
	json_decref(st);
	return rc;
}

int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = { { "rules", required_argument, NULL, 'r' },
					      { "journal", no_argument, NULL, 'J' },
					      { "since", required_argument, NULL, 'S' },
					      { "journal-file", required_argument, NULL, 'F' },
					      { "journal-dir", required_argument, NULL, 'D' },
					      { "no-prefilter", no_argument, NULL, 'P' },
					      { "state", required_argument, NULL, 's' },
					      { "json", no_argument, NULL, 'j' },
					      { "syslog", no_argument, NULL, 'L' },
					      { "webhook", required_argument, NULL, 'w' },
					      { "attach", required_argument, NULL, 'a' },
					      { "open", no_argument, NULL, 'o' },
					      { "interval", required_argument, NULL, 'i' },
					      { "once", no_argument, NULL, '1' },
					      { "prefilter-info", no_argument, NULL, 'N' },
					      { "format", required_argument, NULL, 'f' },
					      { "year", required_argument, NULL, 'y' },
					      { "time-field", required_argument, NULL, 'T' },
					      { "trace-field", required_argument, NULL, 'X' },
					      { "skip-refused", no_argument, NULL, 'K' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct watch w = { 0 };
	struct irk_follow *fs = NULL;
	struct irk_journal *jr = NULL;
	struct irk_buf spath = IRK_BUF_INIT, jblock = IRK_BUF_INIT;
	struct journal_place jp = { NULL, 0 };
	char **rules = NULL;
	const char *state_opt = NULL, *since = NULL;
	int nrules = 0, nfiles, c, rc = 0, journal = 0, once = 0, skip = 0, interval = 1, loaded = 0;
	int pf_info = 0;
	int njfiles = 0, no_prefilter = 0;
	int64_t jfirst;
	sigset_t waitmask;
	char **jfiles = NULL;
	struct irk_journal_source jsrc = { NULL, NULL };
	struct irk_prefilter *pf = NULL;

	w.so.threads = 1;
	w.so.log.now_ms = irk_now_ms();
	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'r':
			cli_args_push(&rules, &nrules, optarg);
			break;
		case 'J': journal = 1; break;
		case 'F':
			cli_args_push(&jfiles, &njfiles, optarg);
			journal = 1;
			break;
		case 'D': jsrc.dir = optarg; journal = 1; break;
		case 'P': no_prefilter = 1; break;
		case 'S': since = optarg; break;
		case 's': state_opt = optarg; break;
		case 'j': w.json = 1; break;
		case 'L': w.use_syslog = 1; break;
		case 'w': w.webhook = optarg; break;
		case 'a': w.attach = optarg; break;
		case 'o': w.open_new = 1; break;
		case 'i': interval = atoi(optarg); break;
		case '1': once = 1; break;
		case 'N': pf_info = 1; break;
		case 'K': skip = 1; break;
		case 'T': w.so.log.time_field = optarg; break;
		case 'X': w.so.log.trace_field = optarg; break;
		case 'y': w.so.log.year = atoi(optarg); break;
		case 'f':
			if (irk_log_format_parse(optarg) < 0) {
				free(rules);
				free(jfiles);
				return cli_usage("watch", "unknown format '%s'", optarg);
			}
			w.so.log.format = (enum irk_log_format)irk_log_format_parse(optarg);
			break;
		}
	}
	nfiles = argc - optind;
	jsrc.files = (const char *const *)jfiles;
	if (interval < 1 || interval > 3600 || (!nfiles && !journal) || (w.attach && w.open_new)) {
		free(rules);
		free(jfiles);
		return cli_usage("watch", !nfiles && !journal ? "name files to follow, or --journal"
							    : "check --interval (1-3600) and --attach/--open");
	}
	if (w.webhook && strncmp(w.webhook, "http://", 7)) {
		free(rules);
		free(jfiles);
		return cli_usage("watch", "--webhook takes an http:// URL");
	}
	if (cli_rules_load(rules, nrules, &w.rs, &err) || (loaded = 1, 0) ||
	    cli_rules_refusals(&w.rs, skip, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (cli_prefilter(&w.rs, no_prefilter, &pf, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	w.so.prefilter = pf;
	w.det = irk_detector_new(&w.rs, 1, on_finding, &w);
	w.scanner = irk_block_scanner_new(&w.rs, &w.so);
	fs = calloc((size_t)nfiles + 1, sizeof(*fs));
	for (int i = 0; i < nfiles; i++)
		irk_follow_init(&fs[i], argv[optind + i]);
	state_path(state_opt, &spath);
	state_load(spath.buf, fs, nfiles, &jp, w.incident);
	if (journal) {
		int64_t since_ms = 0;
		int tz;
		if (since && irk_time_parse(since, irk_now_ms(), &since_ms, &tz, &err)) {
			rc = cli_error(&err);
			goto done;
		}
		if (irk_journal_open(&jsrc, jp.cursor, since_ms, !jp.head, &jr, &err)) {
			rc = cli_error(&err);
			goto done;
		}
		if (!jp.cursor && !since_ms && !jp.head) {
			/* started at the end: its last entry, or the head of an empty journal */
			jp.cursor = irk_journal_cursor(jr) ? strdup(irk_journal_cursor(jr)) : NULL;
			jp.head = !jp.cursor;
		}
	}
	if (w.use_syslog)
		openlog("irk", LOG_PID, LOG_AUTH);
	stop_signals(&waitmask);
	while (!stopping) {
		for (int i = 0; i < nfiles && !rc; i++)
			if (irk_follow_poll(&fs[i], on_block, &w, &err))
				rc = cli_error(&err);
		/* journal findings name the entry by its sequence number (irk/outlet.h) */
		while (!rc && jr && irk_journal_block(jr, IRK_JOURNAL_BLOCK, &jblock, &jfirst)) {
			if (on_block("journal", jfirst - 1, jblock.buf, jblock.len, &w, &err))
				rc = cli_error(&err);
			free(jp.cursor);
			jp.cursor = irk_journal_cursor(jr) ? strdup(irk_journal_cursor(jr)) : NULL;
		}
		if (!rc && state_save(spath.buf, fs, nfiles, &jp, w.incident, &err))
			rc = cli_error(&err);
		if (rc || once)
			break;
		if (jr) {
			irk_journal_wait(jr, interval * 1000, &waitmask);
		} else {
			struct timespec ts = { interval, 0 };
			ppoll(NULL, 0, &ts, &waitmask);
		}
	}
done:
	for (int i = 0; fs && i < nfiles; i++)
		irk_follow_release(&fs[i]);
	free(fs);
	irk_journal_close(jr);
	if (pf_info && w.scanner)
		cli_prefilter_info("watch", pf);
	irk_detector_free(w.det);
	irk_block_scanner_free(w.scanner);
	irk_prefilter_free(pf);
	free(jfiles);
	if (loaded)
		irk_ruleset_release(&w.rs);
	cli_findings_clear(&w.pending);
	irk_buf_release(&spath);
	irk_buf_release(&jblock);
	free(jp.cursor);
	free(rules);
	return rc;
}
