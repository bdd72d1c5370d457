/* scan.c - chunked, multi-threaded scanning of log files; see irk/scan.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irk/outlet.h"
#include "irk/prefilter.h"
#include "irk/scan.h"

struct jhit {
	int rule;
	int has_time;
	int64_t time_ms, weight, line;
	size_t text_off, text_len, fields_off;
	int nfields;
};

/* The fields each rule's hits carry (irk_detect_needed), worked out once per scan. */
struct packing {
	int nrules;
	int *n;
	const char ***names;
	int **ids;
};

struct job {
	const struct irk_ruleset *rs;
	const struct irk_scan_opts *o;
	const struct packing *pk;
	struct irk_prefilter_state *pf;
	const char *data;
	size_t len;
	/* results */
	struct jhit *hits;
	size_t nhits, cap;
	struct irk_buf fields;
	int64_t lines, events, malformed, bad_line;
	char bad_msg[200];
};

static void packing_init(struct packing *pk, const struct irk_ruleset *rs)
{
	pk->nrules = rs->nrules;
	pk->n = irk_calloc((size_t)rs->nrules + 1, sizeof(int));
	pk->names = irk_calloc((size_t)rs->nrules + 1, sizeof(char **));
	pk->ids = irk_calloc((size_t)rs->nrules + 1, sizeof(int *));
	for (int r = 0; r < rs->nrules; r++) {
		if (!rs->rules[r]->det)
			continue;
		pk->n[r] = irk_detect_needed(rs, r, &pk->names[r]);
		pk->ids[r] = irk_calloc((size_t)pk->n[r] + 1, sizeof(int));
		for (int i = 0; i < pk->n[r]; i++)
			pk->ids[r][i] = irk_field_id(pk->names[r][i]);
	}
}

static void packing_release(struct packing *pk)
{
	for (int r = 0; r < pk->nrules; r++) {
		free(pk->names[r]);
		free(pk->ids[r]);
	}
	free(pk->names);
	free(pk->ids);
	free(pk->n);
}

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
	rep = irk_event_get_id(ev, IRK_F_REPEAT, NULL);
	h->weight = rep ? atoll(rep) : 1;
	if (h->weight < 1)
		h->weight = 1;
	h->line = line;
	h->text_off = off;
	h->text_len = len;
	h->fields_off = j->fields.len;
	h->nfields = irk_detect_pack(j->pk->names[rule], j->pk->ids[rule], j->pk->n[rule], ev,
				     &j->fields);
}

static void run_job(struct job *j)
{
	const struct irk_prefilter *pf = j->o->prefilter;
	struct irk_event ev;
	struct irk_sigma_scratch scratch = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_log_opts lo = j->o->log;
	const char *p = j->data, *end = j->data + j->len;
	int64_t line = 0;

	irk_event_init(&ev);
	if (pf)
		irk_prefilter_scan(pf, j->pf, j->data, j->len);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const uint64_t *cand = NULL;
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		if (n) {
			lo.format = j->o->log.format ? j->o->log.format : irk_log_guess(p, n);
			if (pf)
				cand = irk_prefilter_line(pf, j->pf, (size_t)(p - j->data),
							  (size_t)((nl ? nl : end) - j->data), lo.format);
			/* a line no rule can match is only checked, so that the counts stay true */
			ev.check_only = pf && !cand;
			irk_err_clear(&err);
			if (irk_log_parse(&lo, p, n, &ev, &err)) {
				if (!j->malformed++) {
					j->bad_line = line;
					snprintf(j->bad_msg, sizeof(j->bad_msg), "%.190s", err.msg);
				}
			} else {
				j->events++;
				for (int r = 0; !ev.check_only && r < j->rs->nrules; r++)
					if (j->rs->rules[r]->det &&
					    (!cand || (cand[r / 64] >> (r % 64) & 1)) &&
					    irk_sigma_match(j->rs->rules[r], &ev, &scratch))
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
	struct packing pk;
	struct job j = { rs, o, &pk, NULL, data, len, NULL, 0, 0, IRK_BUF_INIT, 0, 0, 0, 0, "" };
	enum irk_code rc;

	packing_init(&pk, rs);
	if (o->prefilter)
		j.pf = irk_prefilter_state_new(o->prefilter);
	run_job(&j);
	rc = consume(&j, file, &line0, det, st, o->strict, err);
	free(j.hits);
	irk_buf_release(&j.fields);
	irk_prefilter_state_free(j.pf);
	packing_release(&pk);
	return rc;
}

static int thread_count(const struct irk_scan_opts *o)
{
	long n = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n > IRK_SCAN_THREADS_MAX ? IRK_SCAN_THREADS_MAX : (int)n;
}

struct batch {
	struct job *jobs;
	char **bufs;
	pthread_t tid[IRK_SCAN_THREADS_MAX];
	int started[IRK_SCAN_THREADS_MAX];
	int n;
};

/* Fill up to nt chunks of a batch, each ending at a line end (the rest is carried over in spill). */
static enum irk_code fill(struct batch *b, int nt, size_t chunk, struct irk_log_reader *r,
			  char *spill, size_t *carry, int *eof, struct irk_scan_stats *st,
			  struct irk_err *err)
{
	enum irk_code rc = IRK_OK;

	b->n = 0;
	while (b->n < nt && !*eof) {
		char *buf = b->bufs[b->n];
		size_t got = 0, len, cut;
		memcpy(buf, spill, *carry);
		if ((rc = irk_log_reader_read(r, buf + *carry, chunk - *carry, &got, err)))
			break;
		len = *carry + got;
		st->bytes += (int64_t)got;
		if (got < chunk - *carry)
			*eof = 1;
		cut = len;
		if (!*eof) {
			while (cut > 0 && buf[cut - 1] != '\n')
				cut--;
			if (cut == 0)
				cut = len; /* a line longer than a chunk: cut it (it will be malformed) */
		}
		*carry = len - cut;
		memcpy(spill, buf + cut, *carry);
		job_reset(&b->jobs[b->n]);
		b->jobs[b->n].data = buf;
		b->jobs[b->n].len = cut;
		if (cut)
			b->n++;
	}
	return rc;
}

static void batch_start(struct batch *b, int threaded)
{
	for (int i = 0; i < b->n; i++)
		b->started[i] = threaded && !pthread_create(&b->tid[i], NULL, job_thread, &b->jobs[i]);
}

static void batch_finish(struct batch *b)
{
	for (int i = 0; i < b->n; i++) {
		if (b->started[i])
			pthread_join(b->tid[i], NULL);
		else
			run_job(&b->jobs[i]);
		b->started[i] = 0;
	}
}

/*
 * Two batches take turns: while the threads parse and match one, this
 * thread feeds the other's hits to the detector, in input order.
 */
static enum irk_code scan_one(const struct irk_scan_opts *o, const char *file,
			      struct batch *batches, int nt, size_t chunk,
			      struct irk_detector *det, struct irk_scan_stats *st, struct irk_err *err)
{
	struct irk_log_reader *r;
	enum irk_code rc;
	size_t carry = 0;
	int64_t line0 = 0;
	int eof = 0, cur = 0, threaded = nt > 1;
	char *spill = irk_malloc(chunk);
	struct batch *prev = NULL;

	if ((rc = irk_log_reader_open(file, &r, err))) {
		free(spill);
		return rc;
	}
	while (!rc && (!eof || prev)) {
		struct batch *b = &batches[cur];
		b->n = 0;
		if (!eof && (rc = fill(b, nt, chunk, r, spill, &carry, &eof, st, err)))
			break;
		batch_start(b, threaded);
		for (int i = 0; prev && i < prev->n && !rc; i++)
			rc = consume(&prev->jobs[i], file, &line0, det, st, o->strict, err);
		batch_finish(b);
		prev = b->n ? b : NULL;
		cur ^= 1;
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
	struct job jobs[2][IRK_SCAN_THREADS_MAX];
	char *bufs[2][IRK_SCAN_THREADS_MAX];
	struct batch batches[2];
	struct packing pk;
	enum irk_code rc = IRK_OK;

	if (chunk < 2 * IRK_LOG_LINE_MAX)
		chunk = 2 * IRK_LOG_LINE_MAX;
	packing_init(&pk, rs);
	memset(batches, 0, sizeof(batches));
	for (int b = 0; b < 2; b++) {
		batches[b].jobs = jobs[b];
		batches[b].bufs = bufs[b];
		for (int i = 0; i < nt; i++) {
			memset(&jobs[b][i], 0, sizeof(jobs[b][i]));
			jobs[b][i].rs = rs;
			jobs[b][i].o = o;
			jobs[b][i].pk = &pk;
			if (o->prefilter)
				jobs[b][i].pf = irk_prefilter_state_new(o->prefilter);
			irk_buf_init(&jobs[b][i].fields, 0);
			bufs[b][i] = irk_malloc(chunk);
		}
	}
	for (int f = 0; f < nfiles && !rc; f++) {
		rc = scan_one(o, files[f], batches, nt, chunk, det, st, err);
		st->files++;
	}
	for (int b = 0; b < 2; b++)
		for (int i = 0; i < nt; i++) {
			free(jobs[b][i].hits);
			irk_buf_release(&jobs[b][i].fields);
			irk_prefilter_state_free(jobs[b][i].pf);
			free(bufs[b][i]);
		}
	packing_release(&pk);
	return rc;
}

#define JOURNAL_BLOCK (1u << 20)

enum irk_code irk_scan_journal(const struct irk_ruleset *rs, const struct irk_scan_opts *o,
			       struct irk_journal *j, struct irk_detector *det,
			       struct irk_scan_stats *st, struct irk_err *err)
{
	struct irk_buf block = IRK_BUF_INIT;
	enum irk_code rc = IRK_OK;
	int64_t first;

	/* line numbers are the entries' sequence numbers (irk_journal_block) */
	while (!rc && irk_journal_block(j, JOURNAL_BLOCK, &block, &first)) {
		st->bytes += (int64_t)block.len;
		rc = irk_scan_block(rs, o, "journal", first - 1, block.buf, block.len, det, st, err);
	}
	st->files++;
	irk_buf_release(&block);
	return rc;
}
