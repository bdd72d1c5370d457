/* verify.c - checking every hash, link, signature and projection; see irk/verify.h. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irk/checkpoint.h"
#include "irk/kind.h"
#include "irk/logbook.h"
#include "irk/member.h"
#include "irk/verify.h"

#define BATCH 512

/* ---- signature checking on worker threads ---- */

struct sigjob {
	int64_t order;
	char chain[IRK_CHAIN_MAX];
	int64_t seq;
	uint8_t pk[IRK_PK_LEN];
	uint8_t sig[IRK_SIG_LEN];
	size_t off, len; /* the body, inside the batch's buffer */
};

struct batch {
	struct sigjob jobs[BATCH];
	size_t n;
	struct irk_buf bodies;
	struct batch *next;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct batch *head, *tail;
	int closing;
	int64_t fail_order; /* lowest order of a bad signature, or -1 */
	char fail_chain[IRK_CHAIN_MAX];
	int64_t fail_seq;
};

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&p->lock);
		while (!p->head && !p->closing)
			pthread_cond_wait(&p->more, &p->lock);
		b = p->head;
		if (b) {
			p->head = b->next;
			if (!p->head)
				p->tail = NULL;
		}
		pthread_mutex_unlock(&p->lock);
		if (!b)
			return NULL;
		for (size_t i = 0; i < b->n; i++) {
			struct sigjob *j = &b->jobs[i];
			if (irk_sig_check(j->pk, b->bodies.buf + j->off, j->len, j->sig) == 0)
				continue;
			pthread_mutex_lock(&p->lock);
			if (p->fail_order < 0 || j->order < p->fail_order) {
				p->fail_order = j->order;
				memcpy(p->fail_chain, j->chain, sizeof(p->fail_chain));
				p->fail_seq = j->seq;
			}
			pthread_mutex_unlock(&p->lock);
			break; /* later entries of this batch cannot come first */
		}
		irk_buf_release(&b->bodies);
		free(b);
	}
}

static void submit(struct pool *p, struct batch *b)
{
	pthread_mutex_lock(&p->lock);
	if (p->tail)
		p->tail->next = b;
	else
		p->head = b;
	p->tail = b;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->lock);
}

/* ---- per-chain state ---- */

struct chain {
	char name[IRK_CHAIN_MAX];
	int64_t seq;                   /* last seq seen */
	char hash[IRK_SHA256_HEX];     /* last hash seen */
	char first[IRK_SHA256_HEX];    /* hash of seq 1 */
	char recorded[IRK_SHA256_HEX]; /* first hash per the casebook chain's record */
	int64_t recorded_at;           /* casebook seq of that record, 0 if none */
	int64_t receipted;             /* largest size of a stored checkpoint */
	int used;
};

struct chains {
	struct chain *slots;
	size_t cap, n;
};

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static struct chain *chain_get(struct chains *t, const char *name)
{
	size_t i;

	if (t->n * 2 >= t->cap) {
		struct chains bigger = { irk_calloc(t->cap ? t->cap * 2 : 64, sizeof(struct chain)),
					 t->cap ? t->cap * 2 : 64, 0 };
		for (size_t k = 0; k < t->cap; k++) {
			if (!t->slots[k].used)
				continue;
			i = name_hash(t->slots[k].name) & (bigger.cap - 1);
			while (bigger.slots[i].used)
				i = (i + 1) & (bigger.cap - 1);
			bigger.slots[i] = t->slots[k];
			bigger.n++;
		}
		free(t->slots);
		*t = bigger;
	}
	i = name_hash(name) & (t->cap - 1);
	while (t->slots[i].used && strcmp(t->slots[i].name, name))
		i = (i + 1) & (t->cap - 1);
	if (!t->slots[i].used) {
		t->slots[i].used = 1;
		snprintf(t->slots[i].name, sizeof(t->slots[i].name), "%s", name);
		t->n++;
	}
	return &t->slots[i];
}

/* ---- signer keys ----
 *
 * The replay's apply functions already look each entry's signer up (for its
 * role); the signature check then needs only the signer's public key, and a
 * key once found stays valid: members are never removed, and a key id is a
 * hash of its public key (the members table never changes a key's pubkey).
 * So keys found are remembered here, in a small direct-mapped table (a
 * collision only costs a lookup), and each entry costs one member lookup,
 * not two.  Only exact key ids are remembered: an entry naming its signer
 * otherwise is looked up as before.
 */
#define SIGNER_SLOTS 64

struct signer {
	char keyid[IRK_KEYID_HEX]; /* "" when the slot is empty */
	uint8_t pk[IRK_PK_LEN];
};

/* Copy the public key of member `by` (in the replayed members) to pk; -1 when it is none. */
static int signer_key(struct signer *slots, struct irk_db *db, const char *by,
		      uint8_t pk[IRK_PK_LEN])
{
	struct signer *s = &slots[name_hash(by) & (SIGNER_SLOTS - 1)];
	struct irk_err sub = IRK_ERR_INIT;
	struct irk_member m;

	if (!strcmp(s->keyid, by)) {
		memcpy(pk, s->pk, IRK_PK_LEN);
		return 0;
	}
	if (irk_member_find(db, "replay", by, &m, &sub))
		return -1;
	memcpy(pk, m.pk, IRK_PK_LEN);
	if (!strcmp(m.keyid, by)) {
		memcpy(s->keyid, m.keyid, sizeof(s->keyid));
		memcpy(s->pk, m.pk, IRK_PK_LEN);
	}
	return 0;
}

/* ---- the pass ---- */

struct run {
	struct irk_casebook *cb;
	struct irk_verify_result *res;
	struct pool pool;
	struct chains chains;
	struct signer signers[SIGNER_SLOTS];
	struct batch *batch;
	int64_t fault_order;
	struct irk_err fault;
};

static const char *chain_label(const char *chain)
{
	return *chain ? chain : "casebook chain";
}

/* Record a structural fault at this entry; the message names chain and seq. */
static void fault(struct run *r, int64_t order, const char *chain, int64_t seq, const char *fmt,
		  ...) __attribute__((format(printf, 5, 6)));
static void fault(struct run *r, int64_t order, const char *chain, int64_t seq, const char *fmt,
		  ...)
{
	struct irk_buf why = IRK_BUF_INIT;
	va_list ap;

	if (r->fault_order >= 0)
		return;
	va_start(ap, fmt);
	irk_buf_vaddf(&why, fmt, ap);
	va_end(ap);
	r->fault_order = order;
	irk_fail(&r->fault, IRK_ETAMPER, "%s entry %lld: %s", chain_label(chain), (long long)seq,
		 why.buf);
	irk_buf_release(&why);
	snprintf(r->res->first_fault_chain, sizeof(r->res->first_fault_chain), "%s", chain);
	r->res->first_fault_seq = seq;
}

static int check_row(struct run *r, sqlite3_stmt *st, int64_t order)
{
	const char *col_chain = irk_db_text(st, 1), *col_hash = irk_db_text(st, 3);
	int64_t col_seq = sqlite3_column_int64(st, 2);
	const void *body = sqlite3_column_blob(st, 4);
	size_t len = (size_t)sqlite3_column_bytes(st, 4);
	const void *sig = sqlite3_column_blob(st, 5);
	struct irk_err sub = IRK_ERR_INIT;
	uint8_t digest[IRK_SHA256_LEN];
	char hash[IRK_SHA256_HEX];
	uint8_t pk[IRK_PK_LEN];
	struct irk_entry e;
	struct chain *c;
	struct sigjob *j;

	irk_sha256(body ? body : "", len, digest);
	irk_hex(digest, sizeof(digest), hash);
	if (strcmp(hash, col_hash)) {
		fault(r, order, col_chain, col_seq, "its bytes do not match its hash (the entry was altered)");
		return -1;
	}
	if (irk_entry_parse(body ? body : "", len, &e, &sub)) {
		fault(r, order, col_chain, col_seq, "%s", sub.msg);
		return -1;
	}
	c = chain_get(&r->chains, col_chain);
	if (strcmp(e.chain, col_chain) || e.seq != col_seq) {
		fault(r, order, col_chain, col_seq, "it says it is entry %lld of %s (it was moved)",
		      (long long)e.seq, chain_label(e.chain));
		goto bad;
	}
	if (e.seq != c->seq + 1) {
		fault(r, order, col_chain, col_seq, "%s; expected entry %lld",
		      e.seq > c->seq + 1 ? "entries are missing before it" : "it is out of order",
		      (long long)c->seq + 1);
		goto bad;
	}
	if (strcmp(e.prev, c->seq ? c->hash : IRK_ZERO_HASH)) {
		fault(r, order, col_chain, col_seq,
		      "its link to the previous entry is broken (an entry was removed, inserted or swapped)");
		goto bad;
	}
	if (strcmp(json_string_value(json_object_get(e.json, "book")), r->cb->book_id)) {
		fault(r, order, col_chain, col_seq, "it belongs to another casebook");
		goto bad;
	}
	if (strcmp(e.by, irk_db_text(st, 6)) || strcmp(e.kind, irk_db_text(st, 7)) ||
	    e.at_ms != sqlite3_column_int64(st, 8) || e.rec_ms != sqlite3_column_int64(st, 9)) {
		fault(r, order, col_chain, col_seq, "its columns disagree with its bytes");
		goto bad;
	}
	c->seq = e.seq;
	strcpy(c->hash, hash);
	if (e.seq == 1)
		strcpy(c->first, hash);
	if (!strcmp(e.kind, "incident") && !e.chain[0]) {
		const char *inc = json_string_value(json_object_get(e.data, "inc"));
		const char *first = json_string_value(json_object_get(e.data, "first"));
		if (inc && first && strlen(inc) < IRK_CHAIN_MAX) {
			struct chain *ic = chain_get(&r->chains, inc);
			snprintf(ic->recorded, sizeof(ic->recorded), "%s", first);
			ic->recorded_at = e.seq;
		}
	}
	/* Replay into the empty copy; this also proves the author was a member then. */
	e.id = sqlite3_column_int64(st, 0);
	strcpy(e.hash, hash);
	if (irk_kind_apply(r->cb->db, "replay", &e, &sub)) {
		fault(r, order, col_chain, col_seq, "replaying it fails: %s", sub.msg);
		goto bad;
	}
	if (signer_key(r->signers, r->cb->db, e.by, pk)) {
		fault(r, order, col_chain, col_seq, "it is signed by key %s, which is not a member", e.by);
		goto bad;
	}
	if (!sig || sqlite3_column_bytes(st, 5) != IRK_SIG_LEN) {
		fault(r, order, col_chain, col_seq, "its signature is missing or malformed");
		goto bad;
	}
	if (!r->batch)
		r->batch = irk_calloc(1, sizeof(*r->batch));
	j = &r->batch->jobs[r->batch->n++];
	j->order = order;
	memcpy(j->chain, e.chain, sizeof(j->chain));
	j->seq = e.seq;
	memcpy(j->pk, pk, IRK_PK_LEN);
	memcpy(j->sig, sig, IRK_SIG_LEN);
	j->off = r->batch->bodies.len;
	j->len = len;
	irk_buf_add(&r->batch->bodies, body, len);
	if (r->batch->n == BATCH) {
		submit(&r->pool, r->batch);
		r->batch = NULL;
	}
	irk_entry_release(&e);
	return 0;
bad:
	irk_entry_release(&e);
	return -1;
}

static enum irk_code compare_tables(struct run *r, struct irk_err *err)
{
	sqlite3 *h = irk_db_handle(r->cb->db);

	for (const struct irk_table *t = irk_tables; t->name; t++) {
		for (int dir = 0; dir < 2; dir++) {
			char *sql = sqlite3_mprintf("SELECT * FROM %s.\"%w\" EXCEPT SELECT * FROM %s.\"%w\" LIMIT 1",
						    dir ? "replay" : "main", t->name,
						    dir ? "main" : "replay", t->name);
			sqlite3_stmt *st = NULL;
			int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
			sqlite3_free(sql);
			if (rc != SQLITE_OK)
				return irk_db_fail(r->cb->db, err, "comparing projections");
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW) {
				char key[128];
				snprintf(key, sizeof(key), "%s", irk_db_text(st, 0));
				sqlite3_finalize(st);
				return irk_fail(err, IRK_ETAMPER,
						dir ? "table %s lacks row '%s' that the log book implies"
						    : "table %s holds row '%s' that the log book does not support",
						t->name, key);
			}
			sqlite3_finalize(st);
			if (rc != SQLITE_DONE)
				return irk_db_fail(r->cb->db, err, "comparing projections");
		}
		r->res->tables++;
	}
	return IRK_OK;
}

static enum irk_code cross_check(struct run *r, struct irk_err *err)
{
	for (size_t i = 0; i < r->chains.cap; i++) {
		struct chain *c = &r->chains.slots[i];
		if (!c->used || !c->name[0])
			continue;
		if (c->recorded_at && c->seq == 0)
			return irk_fail(err, IRK_ETAMPER,
					"%s is recorded in the casebook chain (entry %lld) but its log book is "
					"gone: the incident was removed",
					c->name, (long long)c->recorded_at);
		if (!c->recorded_at)
			return irk_fail(err, IRK_ETAMPER,
					"%s has a log book that the casebook chain does not record", c->name);
		if (strcmp(c->recorded, c->first))
			return irk_fail(err, IRK_ETAMPER,
					"%s's first entry is not the one the casebook chain recorded", c->name);
		r->res->chains++;
	}
	r->res->chains++; /* the casebook chain itself */
	return IRK_OK;
}

static enum irk_code check_checkpoints(struct run *r, struct irk_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(irk_db_handle(r->cb->db),
			       "SELECT id, chain, note FROM checkpoints ORDER BY id", -1, &st,
			       NULL) != SQLITE_OK)
		return irk_db_fail(r->cb->db, err, "reading checkpoints");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct irk_checkpoint_result res;
		const char *note = irk_db_text(st, 2);
		struct chain *c;
		if (irk_checkpoint_verify(r->cb, note, strlen(note), &res, err)) {
			irk_err_prefix(err, "stored checkpoint %lld", (long long)sqlite3_column_int64(st, 0));
			sqlite3_finalize(st);
			return IRK_ETAMPER;
		}
		c = chain_get(&r->chains, res.chain);
		if ((int64_t)res.size > c->receipted)
			c->receipted = (int64_t)res.size;
		r->res->checkpoints++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? IRK_OK : irk_db_fail(r->cb->db, err, "reading checkpoints");
}

static void count_unreceipted(struct run *r)
{
	for (size_t i = 0; i < r->chains.cap; i++)
		if (r->chains.slots[i].used)
			r->res->unreceipted += r->chains.slots[i].seq - r->chains.slots[i].receipted;
}

/* Read every entry in commit order; stop at the first structural fault. */
static enum irk_code read_entries(struct run *r, struct irk_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t order = 0;
	int rc;

	if (sqlite3_prepare_v2(irk_db_handle(r->cb->db),
			       "SELECT id, chain, seq, hash, body, sig, by, kind, at, rec FROM entries"
			       " ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return irk_db_fail(r->cb->db, err, "reading the log book");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->res->entries++;
		if (check_row(r, st, order++))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return irk_db_fail(r->cb->db, err, "reading the log book");
	return IRK_OK;
}

enum irk_code irk_verify(struct irk_casebook *cb, int threads, struct irk_verify_result *res,
			 struct irk_err *err)
{
	struct run r = { .cb = cb, .res = res, .fault_order = -1, .fault = IRK_ERR_INIT };
	pthread_t tids[16];
	enum irk_code rc;
	int n, snapshot = 0;

	memset(res, 0, sizeof(*res));
	if (threads <= 0)
		threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	if (threads > 16)
		threads = 16;
	if (!sqlite3_get_autocommit(irk_db_handle(cb->db)))
		return irk_fail(err, IRK_ESTATE, "verify cannot run inside a transaction");
	pthread_mutex_init(&r.pool.lock, NULL);
	pthread_cond_init(&r.pool.more, NULL);
	r.pool.fail_order = -1;
	if ((rc = irk_db_exec(cb->db, NULL, "ATTACH ':memory:' AS replay", err)))
		return rc;
	if ((rc = irk_casebook_schema(cb->db, "replay", err)))
		goto detach;
	/*
	 * One read transaction: every check sees the same moment of the casebook,
	 * however many entries others append meanwhile (without it, a table read
	 * after the entries could hold a newer entry's row: a false alarm).
	 */
	if ((rc = irk_db_snapshot(cb->db, err)))
		goto detach;
	snapshot = 1;
	for (n = 0; n < threads; n++)
		if (pthread_create(&tids[n], NULL, worker, &r.pool))
			break;
	/* The chain checks and the replay run here while the workers check signatures. */
	rc = read_entries(&r, err);
	if (r.batch)
		submit(&r.pool, r.batch);
	pthread_mutex_lock(&r.pool.lock);
	r.pool.closing = 1;
	pthread_cond_broadcast(&r.pool.more);
	pthread_mutex_unlock(&r.pool.lock);
	for (int i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	if (n == 0) /* no thread could start: check here */
		worker(&r.pool);
	if (rc)
		goto detach;
	if (r.pool.fail_order >= 0 && (r.fault_order < 0 || r.pool.fail_order < r.fault_order)) {
		rc = irk_fail(err, IRK_ETAMPER, "%s entry %lld: the signature does not verify",
			      chain_label(r.pool.fail_chain), (long long)r.pool.fail_seq);
		snprintf(res->first_fault_chain, sizeof(res->first_fault_chain), "%s", r.pool.fail_chain);
		res->first_fault_seq = r.pool.fail_seq;
		goto detach;
	}
	if (r.fault_order >= 0) {
		rc = irk_fail(err, IRK_ETAMPER, "%s", r.fault.msg);
		goto detach;
	}
	if ((rc = cross_check(&r, err)) || (rc = compare_tables(&r, err)) ||
	    (rc = check_checkpoints(&r, err)))
		goto detach;
	count_unreceipted(&r);
detach:
	if (snapshot)
		irk_db_rollback(cb->db); /* nothing was written but the scratch tables */
	irk_db_forget(cb->db, "replay");
	if (sqlite3_exec(irk_db_handle(cb->db), "DETACH replay", NULL, NULL, NULL) != SQLITE_OK && !rc)
		rc = irk_db_fail(cb->db, err, "verifying");
	free(r.chains.slots);
	pthread_mutex_destroy(&r.pool.lock);
	pthread_cond_destroy(&r.pool.more);
	return rc;
}
