/* scan.c - chunked, multi-threaded scanning of log files; see irk/scan.h. */
#include <pthread.h>
#include <sched.h>
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
	size_t text_off, text_len; /* the line, in the job's `texts` */
};

/* The fields every hit carries (irk_detect_fields), worked out once per scan. */
struct packing {
	int n;
	const char **names;
	int *ids;
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
	/*
	 * The lines of the hits, one after another: the worker copies a line
	 * while it is in its cache, and the thread feeding the detector then
	 * reads them in order instead of all over the chunk (most lines not in
	 * its cache).  At most the chunk's size: a line with several hits is
	 * copied once.
	 */
	struct irk_buf texts;
	struct irk_buf fields;
	struct irk_hit_value *values; /* [nhits * pk->n]: where each hit's fields are */
	int64_t lines, events, malformed, bad_line;
	char bad_msg[200];
};

static void packing_init(struct packing *pk, const struct irk_ruleset *rs)
{
	pk->n = irk_detect_fields(rs, &pk->names);
	pk->ids = irk_calloc((size_t)pk->n + 1, sizeof(int));
	for (int i = 0; i < pk->n; i++)
		pk->ids[i] = irk_field_id(pk->names[i]);
}

static void packing_release(struct packing *pk)
{
	free(pk->names);
	free(pk->ids);
}

static void add_hit(struct job *j, int rule, const struct irk_event *ev, int64_t line,
		    size_t off, size_t len)
{
	struct jhit *h;
	const char *rep;

	if (j->nhits == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 256;
		j->hits = irk_realloc(j->hits, sizeof(*j->hits) * j->cap);
		j->values = irk_realloc(j->values, sizeof(*j->values) * j->cap * (size_t)(j->pk->n + 1));
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
	if (j->nhits > 1 && h[-1].line == line) {
		h->text_off = h[-1].text_off;
	} else {
		h->text_off = j->texts.len;
		irk_buf_add(&j->texts, j->data + off, len);
	}
	h->text_len = len;
	irk_detect_pack(j->pk->names, j->pk->ids, j->pk->n, ev, &j->fields,
			j->values + (j->nhits - 1) * (size_t)j->pk->n);
}

/* Try the rules a line may match (all, or those set in `cand`) and keep its hits. */
static void match_rules(struct job *j, const uint64_t *cand, struct irk_event *ev,
			struct irk_sigma_scratch *scratch, int64_t line, size_t off, size_t n)
{
	int nr = j->rs->nrules;

	for (int w = 0; w * 64 < nr; w++) {
		uint64_t bits = cand ? cand[w] : ~0ULL;
		while (bits) {
			int r = w * 64 + __builtin_ctzll(bits);
			bits &= bits - 1;
			if (r >= nr)
				break;
			if (j->rs->rules[r]->det && irk_sigma_match(j->rs->rules[r], ev, scratch))
				add_hit(j, r, ev, line, off, n);
		}
	}
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
			if (ev.check_only && lo.format == IRK_LOG_SYSLOG && irk_log_syslog_fine(p, n)) {
				j->events++; /* the usual line, checked without a parse */
			} else if (irk_log_parse(&lo, p, n, &ev, &err)) {
				if (!j->malformed++) {
					j->bad_line = line;
					snprintf(j->bad_msg, sizeof(j->bad_msg), "%.190s", err.msg);
				}
				irk_err_clear(&err);
			} else {
				j->events++;
				if (!ev.check_only)
					match_rules(j, cand, &ev, &scratch, line,
						    (size_t)(p - j->data), n);
			}
		}
		p = nl ? nl + 1 : end;
	}
	j->lines = line;
	irk_event_release(&ev);
	irk_sigma_scratch_release(&scratch);
}

static void job_init(struct job *j, const struct irk_ruleset *rs, const struct irk_scan_opts *o,
		     const struct packing *pk)
{
	memset(j, 0, sizeof(*j));
	j->rs = rs;
	j->o = o;
	j->pk = pk;
	if (o->prefilter)
		j->pf = irk_prefilter_state_new(o->prefilter);
	irk_buf_init(&j->fields, 0);
	irk_buf_init(&j->texts, 0);
}

static void job_release(struct job *j)
{
	free(j->hits);
	free(j->values);
	irk_buf_release(&j->fields);
	irk_buf_release(&j->texts);
	irk_prefilter_state_free(j->pf);
}

static void job_reset(struct job *j)
{
	j->nhits = 0;
	irk_buf_reset(&j->fields);
	irk_buf_reset(&j->texts);
	j->lines = j->events = j->malformed = j->bad_line = 0;
	j->bad_msg[0] = 0;
}

/* Feed a finished job's hits to the detector; returns IRK_EINVAL in strict mode on a bad line. */
static enum irk_code consume(struct job *j, const char *file, int64_t *line0,
			     struct irk_detector *det, struct irk_scan_stats *st, int strict,
			     struct irk_err *err)
{
	int stop = j->malformed && strict;
	size_t n = j->nhits;

	if (j->malformed && !st->first_malformed[0])
		snprintf(st->first_malformed, sizeof(st->first_malformed), "%s:%lld: %s", file,
			 (long long)(*line0 + j->bad_line), j->bad_msg);
	/* strict: the hits before the bad line are fed, wherever chunks end (hits are in line order) */
	while (stop && n && j->hits[n - 1].line > j->bad_line)
		n--;
	for (size_t i = 0; i < n; i++) {
		const struct jhit *h = &j->hits[i];
		struct irk_hit hit = { h->rule,	h->time_ms, h->has_time, h->weight, file,
				       *line0 + h->line, j->texts.buf + h->text_off, h->text_len,
				       j->fields.buf, j->values + i * (size_t)j->pk->n };
		irk_detector_hit(det, &hit);
	}
	st->hits += (int64_t)n;
	if (stop)
		return irk_fail(err, IRK_EINVAL, "%s:%lld: malformed line: %s", file,
				(long long)(*line0 + j->bad_line), j->bad_msg);
	st->lines += j->lines;
	st->events += j->events;
	st->malformed += j->malformed;
	*line0 += j->lines;
	return IRK_OK;
}

/* Parse, match and feed one block of whole lines with a job kept from block to block. */
static enum irk_code scan_with(struct job *j, const char *file, int64_t line0, const char *data,
			       size_t len, struct irk_detector *det, struct irk_scan_stats *st,
			       struct irk_err *err)
{
	job_reset(j);
	j->data = data;
	j->len = len;
	run_job(j);
	return consume(j, file, &line0, det, st, j->o->strict, err);
}

struct irk_scan_blocks {
	struct packing pk;
	struct job job;
};

struct irk_scan_blocks *irk_scan_blocks_new(const struct irk_ruleset *rs,
						 const struct irk_scan_opts *o)
{
	struct irk_scan_blocks *bs = irk_malloc(sizeof(*bs));

	packing_init(&bs->pk, rs);
	job_init(&bs->job, rs, o, &bs->pk);
	return bs;
}

enum irk_code irk_scan_block(struct irk_scan_blocks *bs, const char *file, int64_t line0,
			     const char *data, size_t len, struct irk_detector *det,
			     struct irk_scan_stats *st, struct irk_err *err)
{
	return scan_with(&bs->job, file, line0, data, len, det, st, err);
}

void irk_scan_blocks_free(struct irk_scan_blocks *bs)
{
	if (!bs)
		return;
	job_release(&bs->job);
	packing_release(&bs->pk);
	free(bs);
}

static int thread_count(const struct irk_scan_opts *o)
{
	long n = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n > IRK_SCAN_THREADS_MAX ? IRK_SCAN_THREADS_MAX : (int)n;
}

/*
 * The pipeline: a ring of slots, each a chunk of input and the hits found
 * in it.  The workers read chunks into free slots, one worker at a time and
 * in input order, and parse and match filled slots, any of them in any
 * order (a worker that has just read a chunk parses it while it is in its
 * cache); this thread only feeds the parsed slots' hits to the detector,
 * strictly in input order, and frees them.  Feeding is the one step that
 * cannot be shared out, so it is not given the reading as well: with as
 * many workers as cores, the three share the cores evenly and the feeder
 * must not fall behind.  No step waits for a whole batch: a slow chunk
 * holds back only the feeding, while the workers go on with later ones.
 * Without workers (one thread) this thread reads, parses and feeds in turn.
 */
struct slot {
	struct job job;
	char *buf;
	int parsed; /* under the lock: set by the worker, cleared when the slot is filled */
};

/*
 * The file being read, and how its reading stands.  Under the lock; the
 * reading fields (r to err) also by the one worker that is reading.
 */
struct source {
	struct irk_log_reader *r;
	size_t chunk;
	char *spill;  /* the start of a line cut at a chunk's end, carried into the next */
	size_t carry;
	int skipping; /* the rest of a line longer than a chunk is still to be passed over */
	int eof;
	int stop;     /* set by this thread: read no more (an error while feeding) */
	int64_t bytes;
	enum irk_code rc; /* a read failed: its code and message */
	struct irk_err err;
};

struct pipeline {
	pthread_mutex_t lock;
	pthread_cond_t work;   /* to the workers: a slot was filled or freed, or closing */
	pthread_cond_t parsed; /* to this thread: a slot was parsed or read, or reading ended */
	struct slot *slots;
	int nslots;
	uint64_t filled, taken, fed; /* counts since the start: slot i % nslots */
	struct source *src;	     /* the file the workers read from, or NULL */
	int reading;		     /* a worker is reading into slot `filled` */
	int closing;
	pthread_t tid[IRK_SCAN_THREADS_MAX];
	int nthreads;
};

/*
 * Read the next chunk into slot sl, cut at its last line end (the rest is
 * carried over in spill).  A read fills the chunk, but at the end of the
 * input.  A line longer than a chunk (and so than IRK_LOG_LINE_MAX) is one
 * line: its first chunk's worth is passed on as the line, which is
 * malformed, and the rest of it up to its newline is passed over, so that
 * no part of it is read as lines of its own.
 */
static enum irk_code fill(struct slot *sl, struct source *src, struct irk_err *err)
{
	char *buf = sl->buf;
	size_t got = 0, len, cut;
	enum irk_code rc;

	for (;;) {
		const char *nl;
		memcpy(buf, src->spill, src->carry);
		rc = irk_log_reader_read(src->r, buf + src->carry, src->chunk - src->carry, &got, err);
		if (rc)
			return rc;
		len = src->carry + got;
		src->bytes += (int64_t)got;
		if (got < src->chunk - src->carry)
			src->eof = 1;
		if (!src->skipping)
			break;
		/* still inside the overlong line: it ends at the first newline */
		nl = memchr(buf, '\n', len);
		src->carry = 0;
		if (nl) {
			src->skipping = 0;
			src->carry = len - (size_t)(nl + 1 - buf);
			memmove(src->spill, nl + 1, src->carry);
		} else if (src->eof) {
			len = 0;
			break;
		}
	}
	cut = len;
	if (!src->eof) {
		while (cut > 0 && buf[cut - 1] != '\n')
			cut--;
		if (cut == 0) {
			cut = len; /* a full chunk without a newline: a line longer than a chunk */
			src->skipping = 1;
		}
	}
	src->carry = len - cut;
	memcpy(src->spill, buf + cut, src->carry);
	job_reset(&sl->job);
	sl->job.data = buf;
	sl->job.len = cut;
	return IRK_OK;
}

/* May a worker read the next chunk now?  (Under the lock.) */
static int can_read(const struct pipeline *p)
{
	const struct source *src = p->src;

	return src && !p->reading && !src->eof && !src->rc && !src->stop &&
	       p->filled - p->fed < (uint64_t)p->nslots;
}

/* Read the next chunk into the next free slot; called and returns with the lock held. */
static void read_ahead(struct pipeline *p)
{
	struct source *src = p->src;
	struct slot *sl = &p->slots[p->filled % (uint64_t)p->nslots];
	enum irk_code rc;

	p->reading = 1;
	pthread_mutex_unlock(&p->lock);
	rc = fill(sl, src, &src->err);
	pthread_mutex_lock(&p->lock);
	p->reading = 0;
	if (rc) {
		src->rc = rc;
	} else if (sl->job.len) {
		sl->parsed = 0;
		p->filled++;
	}
	pthread_cond_broadcast(&p->work); /* the other workers: a slot to parse, or to read into */
	pthread_cond_signal(&p->parsed);  /* this thread: the reading may have ended */
}

static void *worker(void *arg)
{
	struct pipeline *p = arg;
	struct sched_param batch = { 0 };

	/*
	 * The workers are batch work, and can run ahead of the feeding; the
	 * feeding cannot be shared out, and must not wait behind them for a
	 * processor.  Batch threads (Linux's SCHED_BATCH) get the same share of
	 * the processors, but do not preempt others when they wake: on two cores
	 * a scan of 1 GB takes 10% less time (docs/PERFORMANCE.md).  Best effort.
	 */
	(void)pthread_setschedparam(pthread_self(), SCHED_BATCH, &batch);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct slot *sl;
		if (p->taken < p->filled) {
			sl = &p->slots[p->taken++ % (uint64_t)p->nslots];
			pthread_mutex_unlock(&p->lock);
			run_job(&sl->job);
			pthread_mutex_lock(&p->lock);
			sl->parsed = 1;
			pthread_cond_signal(&p->parsed);
		} else if (can_read(p)) {
			read_ahead(p);
		} else if (p->closing) {
			break;
		} else {
			pthread_cond_wait(&p->work, &p->lock);
		}
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* One thread: read, parse and feed chunk after chunk. */
static enum irk_code scan_alone(struct pipeline *p, struct source *src, const char *file,
				struct irk_detector *det, struct irk_scan_stats *st, int strict,
				struct irk_err *err)
{
	struct slot *sl = &p->slots[0];
	int64_t line0 = 0;
	enum irk_code rc = IRK_OK;

	while (!rc && !src->eof) {
		if ((rc = fill(sl, src, err)) || !sl->job.len)
			break;
		run_job(&sl->job);
		rc = consume(&sl->job, file, &line0, det, st, strict, err);
	}
	return rc;
}

/* Feed the workers' slots of one file in input order, until the reading has ended. */
static enum irk_code feed(struct pipeline *p, struct source *src, const char *file,
			  struct irk_detector *det, struct irk_scan_stats *st, int strict,
			  struct irk_err *err)
{
	int64_t line0 = 0;
	enum irk_code rc = IRK_OK;

	pthread_mutex_lock(&p->lock);
	p->src = src;
	pthread_cond_broadcast(&p->work);
	for (;;) {
		struct slot *sl = &p->slots[p->fed % (uint64_t)p->nslots];
		/* reading has ended when no worker reads and none will */
		while (p->fed == p->filled && (p->reading || can_read(p)))
			pthread_cond_wait(&p->parsed, &p->lock);
		if (p->fed == p->filled)
			break;
		while (!sl->parsed)
			pthread_cond_wait(&p->parsed, &p->lock);
		pthread_mutex_unlock(&p->lock);
		if (!rc)
			rc = consume(&sl->job, file, &line0, det, st, strict, err);
		pthread_mutex_lock(&p->lock);
		p->fed++; /* the slot is free */
		if (rc)
			src->stop = 1;
		pthread_cond_broadcast(&p->work);
	}
	p->src = NULL;
	pthread_mutex_unlock(&p->lock);
	return rc;
}

static enum irk_code scan_one(struct pipeline *p, const struct irk_scan_opts *o, const char *file,
			      size_t chunk, struct irk_detector *det, struct irk_scan_stats *st,
			      struct irk_err *err)
{
	struct source src = { 0 };
	enum irk_code rc;

	if ((rc = irk_log_reader_open(file, &src.r, err)))
		return rc;
	src.chunk = chunk;
	src.spill = irk_malloc(chunk);
	src.err = (struct irk_err)IRK_ERR_INIT;
	if (p->nthreads)
		rc = feed(p, &src, file, det, st, o->strict, err);
	else
		rc = scan_alone(p, &src, file, det, st, o->strict, err);
	if (!rc && src.rc) {
		rc = src.rc;
		if (err)
			*err = src.err;
	}
	st->bytes += src.bytes;
	irk_log_reader_close(src.r);
	free(src.spill);
	return rc;
}

enum irk_code irk_scan_files(const struct irk_ruleset *rs, const struct irk_scan_opts *o,
			     const char *const *files, int nfiles, struct irk_detector *det,
			     struct irk_scan_stats *st, struct irk_err *err)
{
	int nt = thread_count(o);
	size_t chunk = o->chunk ? o->chunk : IRK_SCAN_CHUNK;
	struct pipeline p;
	struct packing pk;
	enum irk_code rc = IRK_OK;

	if (chunk < 2 * IRK_LOG_LINE_MAX)
		chunk = 2 * IRK_LOG_LINE_MAX;
	packing_init(&pk, rs);
	memset(&p, 0, sizeof(p));
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.parsed, NULL);
	p.nslots = IRK_SCAN_SLOTS_PER_THREAD * nt;
	p.slots = irk_calloc((size_t)p.nslots, sizeof(*p.slots));
	for (int i = 0; i < p.nslots; i++) {
		job_init(&p.slots[i].job, rs, o, &pk);
		p.slots[i].buf = irk_malloc(chunk);
	}
	/* one thread: this one parses too, between reading and feeding */
	for (int i = 0; nt > 1 && i < nt; i++)
		if (!pthread_create(&p.tid[p.nthreads], NULL, worker, &p))
			p.nthreads++;
	for (int f = 0; f < nfiles && !rc; f++) {
		rc = scan_one(&p, o, files[f], chunk, det, st, err);
		st->files++;
	}
	pthread_mutex_lock(&p.lock);
	p.closing = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.lock);
	for (int i = 0; i < p.nthreads; i++)
		pthread_join(p.tid[i], NULL);
	for (int i = 0; i < p.nslots; i++) {
		job_release(&p.slots[i].job);
		free(p.slots[i].buf);
	}
	free(p.slots);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.parsed);
	pthread_mutex_destroy(&p.lock);
	packing_release(&pk);
	return rc;
}

enum irk_code irk_scan_journal(const struct irk_ruleset *rs, const struct irk_scan_opts *o,
			       struct irk_journal *j, struct irk_detector *det,
			       struct irk_scan_stats *st, struct irk_err *err)
{
	struct irk_buf block = IRK_BUF_INIT;
	struct irk_scan_blocks *bs = irk_scan_blocks_new(rs, o);
	enum irk_code rc = IRK_OK;
	int64_t first;

	/* line numbers are the entries' sequence numbers (irk_journal_block) */
	while (!rc && irk_journal_block(j, IRK_JOURNAL_BLOCK, &block, &first)) {
		st->bytes += (int64_t)block.len;
		rc = irk_scan_block(bs, "journal", first - 1, block.buf, block.len, det, st, err);
	}
	st->files++;
	irk_scan_blocks_free(bs);
	irk_buf_release(&block);
	return rc;
}
