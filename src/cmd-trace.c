/* cmd-trace.c - irk trace: every event of one trace/request id across logs, in time order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/logread.h"
#include "irk/timefmt.h"

#define TRACE_EVENTS_MAX 100000
#define TRACE_BLOCK (1u << 20)

static const char usage[] =
	"usage: irk trace ID [FILE...|-] [--trace-field F] [--time-field F] [--json]\n\n"
	"Show every event that carries the trace or request id ID, from JSON Lines\n"
	"logs (the trace field, by default trace_id, traceId, trace.id,\n"
	"request_id, ...) and from text logs (lines naming ID as a word), sorted\n"
	"by time, each with the service it came from (the JSON service field, the\n"
	"syslog program, or else the file name).\n\n"
	"  --trace-field F  the JSON field holding the id\n"
	"  --time-field F   the JSON field holding the time\n"
	"  --json           one JSON object per event\n";

struct tev {
	int64_t time_ms, seq;
	char *service, *file, *text;
	int64_t line;
};

struct trace {
	const char *id;
	size_t idlen;
	struct irk_log_opts o;
	struct irk_event ev;
	struct tev *v;
	size_t n, cap;
	int64_t seq;
};

static int word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '_';
}

/* The id as a whole word of the line. */
static int names_id(const struct trace *t, const char *s, size_t n)
{
	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), t->id, t->idlen)); p++) {
		size_t end = (size_t)(p - s) + t->idlen;
		if ((p == s || !word_char(p[-1])) && (end >= n || !word_char(s[end])))
			return 1;
	}
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void consider(struct trace *t, const char *file, int64_t line, const char *s, size_t n)
{
	struct irk_err err = IRK_ERR_INIT;
	const char *tid, *svc;
	size_t tl;
	int parsed, match;
	struct tev *e;

	if (!n || !names_id(t, s, n))
		return; /* cheap test first: the id must appear somewhere */
	parsed = irk_log_parse(&t->o, s, n, &t->ev, &err) == IRK_OK;
	tid = parsed ? irk_event_get(&t->ev, "trace_id", &tl) : NULL;
	match = tid ? (tl == t->idlen && !memcmp(tid, t->id, tl)) : 1;
	if (!match || t->n >= TRACE_EVENTS_MAX)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = irk_realloc(t->v, sizeof(*t->v) * t->cap);
	}
	e = &t->v[t->n++];
	e->time_ms = parsed && t->ev.has_time ? t->ev.time_ms : 0;
	e->seq = t->seq++;
	svc = parsed ? irk_event_get(&t->ev, "service", NULL) : NULL;
	if (!svc && parsed)
		svc = irk_event_get(&t->ev, "program", NULL);
	e->service = irk_strdup(svc ? svc : base_name(file));
	e->file = irk_strdup(file);
	e->line = line;
	svc = parsed ? irk_event_get(&t->ev, "message", NULL) : NULL;
	e->text = svc && t->ev.category && !strcmp(t->ev.category, "application")
			  ? irk_strdup(svc) : irk_strndup(s, n);
}

static enum irk_code read_file(struct trace *t, const char *path, struct irk_err *err)
{
	struct irk_log_reader *r;
	struct irk_buf buf = IRK_BUF_INIT;
	enum irk_code rc = irk_log_reader_open(path, &r, err);
	int64_t line = 0;
	int eof = 0;

	while (!rc && !eof) {
		size_t got, start = 0;
		irk_buf_grow(&buf, TRACE_BLOCK);
		if ((rc = irk_log_reader_read(r, buf.buf + buf.len, TRACE_BLOCK, &got, err)))
			break;
		eof = got == 0;
		irk_buf_setlen(&buf, buf.len + got);
		for (size_t i = 0; i < buf.len; i++)
			if (buf.buf[i] == '\n' || (eof && i == buf.len - 1)) {
				size_t end = buf.buf[i] == '\n' ? i : i + 1;
				if (end > start && buf.buf[end - 1] == '\r')
					end--;
				consider(t, path, ++line, buf.buf + start, end - start);
				start = i + 1;
			}
		/* keep the partial line; an over-long one is dropped */
		if (buf.len - start > IRK_LOG_LINE_MAX)
			start = buf.len;
		memmove(buf.buf, buf.buf + start, buf.len - start);
		irk_buf_setlen(&buf, buf.len - start);
	}
	irk_log_reader_close(r);
	irk_buf_release(&buf);
	return rc;
}

static int by_time(const void *a, const void *b)
{
	const struct tev *x = a, *y = b;

	if (x->time_ms != y->time_ms)
		return x->time_ms < y->time_ms ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = { { "trace-field", required_argument, NULL, 'X' },
					      { "time-field", required_argument, NULL, 'T' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct trace t = { 0 };
	int c, json = 0, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'X')
			t.o.trace_field = optarg;
		else if (c == 'T')
			t.o.time_field = optarg;
		else if (c == 'j')
			json = 1;
	}
	if (optind >= argc || !*argv[optind])
		return cli_usage("trace", "give the trace or request id");
	t.id = argv[optind++];
	t.idlen = strlen(t.id);
	t.o.now_ms = irk_now_ms();
	irk_event_init(&t.ev);
	if (optind == argc)
		rc = read_file(&t, "-", &err);
	for (int i = optind; i < argc && !rc; i++)
		rc = read_file(&t, argv[i], &err);
	if (rc) {
		rc = cli_error(&err);
	} else {
		if (t.n)
			qsort(t.v, t.n, sizeof(*t.v), by_time);
		for (size_t i = 0; i < t.n; i++) {
			char ts[IRK_TIME_MAX];
			irk_time_utc(t.v[i].time_ms, 1, ts);
			if (json)
				cli_print_json(json_pack("{s:s, s:s, s:s, s:I, s:s}", "time", ts, "service",
							 t.v[i].service, "file", t.v[i].file, "line",
							 (json_int_t)t.v[i].line, "text", t.v[i].text));
			else
				printf("%s  %-12s %s:%lld  %s\n", ts, t.v[i].service, t.v[i].file,
				       (long long)t.v[i].line, t.v[i].text);
		}
		if (!t.n) {
			fprintf(stderr, "irk trace: no event carries %s\n", t.id);
			rc = IRK_ENOTFOUND;
		}
	}
	for (size_t i = 0; i < t.n; i++) {
		free(t.v[i].service);
		free(t.v[i].file);
		free(t.v[i].text);
	}
	free(t.v);
	irk_event_release(&t.ev);
	return rc;
}
