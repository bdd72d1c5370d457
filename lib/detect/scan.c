/* scan.c - chunked, multi-threaded scanning of log files; see irk/scan.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irk/scan.h"

struct jhit {
	int rule;
	int has_time;
	int64_t time_ms, weight, line;
	size_t text_off, text_len, fields_off;
	int nfields;
};

struct job {
	const struct irk_ruleset *rs;
	const struct irk_scan_opts *o;
	const char *data;
	size_t len;
	/* results */
	struct jhit *hits;
	size_t nhits, cap;
	struct irk_buf fields;
	int64_t lines, events, malformed, bad_line;
	char bad_msg[200];
};

static void add_hit(struct job *j, int rule, const struct irk_event *ev, int64_t line,
		    size_t off, size_t len)
{
	struct jhit *h;
	const char *rep;

	if (j->nhits == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 256;
		j->hits = irk_realloc(j->hits, sizeof(*j->hits) * j->cap);
	}
	h = &j->hits[j->nhits++];
	h->rule = rule;
	h->has_time = ev->has_time;
	h->time_ms = ev->time_ms;
	rep = irk_event_get(ev, "repeat", NULL);
	h->weight = rep ? atoll(rep) : 1;
	if (h->weight < 1)
		h->weight = 1;
	h->line = line;
	h->text_off = off;
	h->text_len = len;
	h->fields_off = j->fields.len;
	h->nfields = irk_detect_pack(j->rs, rule, ev, &j->fields);
}

static void run_job(struct job *j)
{
	struct irk_event ev;
	struct irk_sigma_scratch scratch = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	const char *p = j->data, *end = j->data + j->len;
	int64_t line = 0;

	irk_event_init(&ev);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		if (n) {
			irk_err_clear(&err);
			if (irk_log_parse(&j->o->log, p, n, &ev, &err)) {
				if (!j->malformed++) {
					j->bad_line = line;
					snprintf(j->bad_msg, sizeof(j->bad_msg), "%.190s", err.msg);
				}
			} else {
				j->events++;
				for (int r = 0; r < j->rs->nrules; r++)
					if (j->rs->rules[r]->det && irk_sigma_match(j->rs->rules[r], &ev, &scratch))
						add_hit(j, r, &ev, line, (size_t)(p - j->data), n);
			}
		}
		p = nl ? nl + 1 : end;
	}
	j->lines = line;
	irk_event_release(&ev);
	irk_sigma_scratch_release(&scratch);
}

static void *job_thread(void *arg)
{
	run_job(arg);
	return NULL;
}

static void job_reset(struct job *j)
{
	j->nhits = 0;
	irk_buf_reset(&j->fields);
	j->lines = j->events = j->malformed = j->bad_line = 0;
	j->bad_msg[0] = 0;
}

/* Feed a finished job's hits to the detector; returns IRK_EINVAL in strict mode on a bad line. */
static enum irk_code consume(struct job *j, const char *file, int64_t *line0,
			     struct irk_detector *det, struct irk_scan_stats *st, int strict,
			     struct irk_err *err)
{
	if (j->malformed && !st->first_malformed[0])
		snprintf(st->first_malformed, sizeof(st->first_malformed), "%s:%lld: %s", file,
			 (long long)(*line0 + j->bad_line), j->bad_msg);
	if (j->malformed && strict)
		return irk_fail(err, IRK_EINVAL, "%s:%lld: malformed line: %s", file,
				(long long)(*line0 + j->bad_line), j->bad_msg);
	for (size_t i = 0; i < j->nhits; i++) {
		const struct jhit *h = &j->hits[i];
		struct irk_hit hit = { h->rule,	h->time_ms, h->has_time, h->weight, file,
				       *line0 + h->line, j->data + h->text_off, h->text_len,
				       j->fields.buf + h->fields_off, h->nfields };
		irk_detector_hit(det, &hit);
	}
	st->lines += j->lines;
	st->events += j->events;
	st->malformed += j->malformed;
	st->hits += (int64_t)j->nhits;
	*line0 += j->lines;
	return IRK_OK;
}

enum irk_code irk_scan_block(const struct irk_ruleset *rs, const struct irk_scan_opts *o,
			     const char *file, int64_t line0, const char *data, size_t len,
			     struct irk_detector *det, struct irk_scan_stats *st, struct irk_err *err)
{
	struct job j = { rs, o, data, len, NULL, 0, 0, IRK_BUF_INIT, 0, 0, 0, 0, "" };
	enum irk_code rc;

	run_job(&j);
	rc = consume(&j, file, &line0, det, st, o->strict, err);
	free(j.hits);
	irk_buf_release(&j.fields);
	return rc;
}

static int thread_count(const struct irk_scan_opts *o)
{
	long n = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n > IRK_SCAN_THREADS_MAX ? IRK_SCAN_THREADS_MAX : (int)n;
}

static enum irk_code scan_one(const struct irk_scan_opts *o,
			      const char *file, struct job *jobs, char **bufs, int nt,
			      size_t chunk, struct irk_detector *det, struct irk_scan_stats *st,
			      struct irk_err *err)
{
	struct irk_log_reader *r;
	enum irk_code rc;
	size_t carry = 0;
	int64_t line0 = 0;
	int eof = 0;
	char *spill = irk_malloc(chunk);

	if ((rc = irk_log_reader_open(file, &r, err))) {
		free(spill);
		return rc;
	}
	while (!eof && !rc) {
		pthread_t tid[IRK_SCAN_THREADS_MAX];
		int started[IRK_SCAN_THREADS_MAX] = { 0 };
		int n = 0;

		/* fill up to nt chunks, each ending at a line end */
		while (n < nt && !eof) {
			size_t got = 0, len, cut;
			memcpy(bufs[n], spill, carry);
			if ((rc = irk_log_reader_read(r, bufs[n] + carry, chunk - carry, &got, err)))
				break;
			len = carry + got;
			st->bytes += (int64_t)got;
			if (got < chunk - carry)
				eof = 1;
			cut = len;
			if (!eof) {
				while (cut > 0 && bufs[n][cut - 1] != '\n')
					cut--;
				if (cut == 0)
					cut = len; /* a line longer than a chunk: cut it (it will be malformed) */
			}
			carry = len - cut;
			memcpy(spill, bufs[n] + cut, carry);
			job_reset(&jobs[n]);
			jobs[n].data = bufs[n];
			jobs[n].len = cut;
			if (cut)
				n++;
		}
		for (int i = 0; i < n; i++)
			started[i] = n > 1 && !pthread_create(&tid[i], NULL, job_thread, &jobs[i]);
		for (int i = 0; i < n; i++) {
			if (started[i])
				pthread_join(tid[i], NULL);
			else
				run_job(&jobs[i]);
		}
		for (int i = 0; i < n && !rc; i++)
			rc = consume(&jobs[i], file, &line0, det, st, o->strict, err);
	}
	irk_log_reader_close(r);
	free(spill);
	return rc;
}

enum irk_code irk_scan_files(const struct irk_ruleset *rs, const struct irk_scan_opts *o,
			     const char *const *files, int nfiles, struct irk_detector *det,
			     struct irk_scan_stats *st, struct irk_err *err)
{
	int nt = thread_count(o);
	size_t chunk = o->chunk ? o->chunk : IRK_SCAN_CHUNK;
	struct job jobs[IRK_SCAN_THREADS_MAX];
	char *bufs[IRK_SCAN_THREADS_MAX];
	enum irk_code rc = IRK_OK;

	if (chunk < 2 * IRK_LOG_LINE_MAX)
		chunk = 2 * IRK_LOG_LINE_MAX;
	for (int i = 0; i < nt; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].rs = rs;
		jobs[i].o = o;
		irk_buf_init(&jobs[i].fields, 0);
		bufs[i] = irk_malloc(chunk);
	}
	for (int f = 0; f < nfiles && !rc; f++) {
		rc = scan_one(o, files[f], jobs, bufs, nt, chunk, det, st, err);
		st->files++;
	}
	for (int i = 0; i < nt; i++) {
		free(jobs[i].hits);
		irk_buf_release(&jobs[i].fields);
		free(bufs[i]);
	}
	return rc;
}
