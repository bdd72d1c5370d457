/*
 * bench-logbook.c - measures the log book: durable appends per second from
 * one process, and entries verified per second, next to the floor set by
 * SQLite itself (the same number of equally sized rows, each committed
 * durably in WAL mode with synchronous=FULL, no hashing or signing).
 *
 *   build/bench/bench-logbook DIR N     (DIR must not exist)
 *
 * Prints one JSON object.  bench/logbook.sh runs it and formats the result.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "irk/casebook.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/logbook.h"
#include "irk/verify.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int die(const struct irk_err *err)
{
	fprintf(stderr, "bench-logbook: %s\n", err->msg);
	return 1;
}

/* The floor: plain durable inserts of rows the size of an entry. */
static double raw_sqlite(const char *dir, long n)
{
	struct irk_buf path = IRK_BUF_INIT;
	sqlite3 *db;
	sqlite3_stmt *st;
	char body[420];
	double t0;

	memset(body, 'x', sizeof(body));
	irk_path_join(&path, dir, "raw.db");
	sqlite3_open(path.buf, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB, sig BLOB)",
		     NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t(body, sig) VALUES(?1, ?2)", -1, &st, NULL);
	t0 = now();
	for (long i = 0; i < n; i++) {
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_blob(st, 1, body, sizeof(body), SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, body, 64, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	t0 = now() - t0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	irk_buf_release(&path);
	return (double)n / t0;
}

/* Bare Ed25519 verifications of an entry-sized message on one thread. */
struct raw_job {
	const struct irk_identity *id;
	int n, ok;
};

static void *raw_verify_thread(void *arg)
{
	struct raw_job *j = arg;
	uint8_t msg[420] = { 0 }, sig[IRK_SIG_LEN];

	irk_sign(j->id, msg, sizeof(msg), sig);
	j->ok = 1;
	for (int i = 0; i < j->n; i++)
		if (irk_sig_check(j->id->pk, msg, sizeof(msg), sig))
			j->ok = 0;
	return NULL;
}

/*
 * The ceiling: bare Ed25519 verifications per second on `threads` threads
 * at once (1: one core; nproc: the whole machine).  0 on failure.
 */
static double raw_verify(const struct irk_identity *id, int threads)
{
	struct raw_job jobs[16];
	pthread_t tids[16];
	double t0;
	int n = 20000, ok = 1;

	if (threads < 1 || threads > 16)
		return 0;
	t0 = now();
	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct raw_job){ id, n, 0 };
		if (pthread_create(&tids[i], NULL, raw_verify_thread, &jobs[i]))
			return 0;
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(tids[i], NULL);
		ok &= jobs[i].ok;
	}
	return ok ? (double)n * threads / (now() - t0) : 0;
}

int main(int argc, char **argv)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_identity id;
	struct irk_casebook *cb;
	struct irk_incident_new inc = { .title = "benchmark" };
	struct irk_verify_result res;
	struct irk_buf key = IRK_BUF_INIT;
	char chain[IRK_CHAIN_MAX], text[256];
	double t0, append_s, verify_s, verify1_s;
	long n;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: bench-logbook DIR N\n");
		return 2;
	}
	if (mkdir(argv[1], 0700) != 0) {
		perror(argv[1]);
		return 1;
	}
	irk_path_join(&key, argv[1], "identity");
	if (irk_identity_create(key.buf, "Bench", "bench@example.org", &id, &err) ||
	    irk_casebook_create(argv[1], &id, &cb, &err) ||
	    irk_incident_open(cb, &id, &inc, chain, &err))
		return die(&err);
	t0 = now();
	for (long i = 0; i < n; i++) {
		struct irk_append a = { .chain = chain, .kind = "note", .text = text };
		snprintf(text, sizeof(text),
			 "observation %ld: 203.0.113.%ld tried user admin on ssh, blocked at the edge", i,
			 i % 250);
		if (irk_logbook_write(cb, &id, &a, NULL, &err))
			return die(&err);
	}
	append_s = now() - t0;
	t0 = now();
	if (irk_verify(cb, 0, &res, &err))
		return die(&err);
	verify_s = now() - t0;
	t0 = now();
	if (irk_verify(cb, 1, &res, &err))
		return die(&err);
	verify1_s = now() - t0;
	printf("{\"entries\":%lld,\"appends_per_s\":%.0f,\"append_s\":%.2f,"
	       "\"verify_per_s\":%.0f,\"verify_s\":%.2f,\"verify_1thread_per_s\":%.0f,"
	       "\"raw_sqlite_commits_per_s\":%.0f,\"raw_ed25519_verify_per_s_one_core\":%.0f,"
	       "\"raw_ed25519_verify_per_s_all_cores\":%.0f,\"cores\":%ld}\n",
	       (long long)res.entries, (double)n / append_s, append_s,
	       (double)res.entries / verify_s, verify_s, (double)res.entries / verify1_s,
	       raw_sqlite(argv[1], n < 20000 ? n : 20000), raw_verify(&id, 1),
	       raw_verify(&id, (int)sysconf(_SC_NPROCESSORS_ONLN)), sysconf(_SC_NPROCESSORS_ONLN));
	irk_casebook_close(cb);
	irk_identity_wipe(&id);
	irk_buf_release(&key);
	return 0;
}
