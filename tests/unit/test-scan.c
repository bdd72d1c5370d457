/*
 * test-scan.c - the scan pipeline (lib/detect/scan.c): however many threads
 * parse, however small the chunks (so that the ring of slots wraps around
 * many times and lines are cut at chunk ends), and across file boundaries,
 * the detector sees the same hits in the same order: the findings and the
 * counts are identical to one thread reading whole chunks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irk/scan.h"
#include "unit.h"

static char dir[64], path[128];
static struct irk_ruleset rs;
static struct irk_prefilter *pf;

/* A made-up auth log of ~6 MB: failures, probes and logins from a few hundred sources. */
static int write_log(void)
{
	FILE *f = fopen(path, "w");
	uint32_t x = 12345;

	if (!f)
		return -1;
	for (int i = 0; i < 60000; i++) {
		int s = i / 3600, m = i / 60 % 60, sec = i % 60;
		x = x * 1103515245u + 12345u;
		unsigned src = (x >> 16) % 300, kind = (x >> 8) % 10, user = (x >> 4) % 40;
		fprintf(f, "Mar  %d %02d:%02d:%02d host sshd[%d]: ", 1 + s / 24, s % 24, m, sec, 1000 + i);
		if (kind < 5)
			fprintf(f, "Failed password for %suser%u from 10.0.%u.%u port %d ssh2",
				kind == 0 ? "invalid user " : "", user, src / 256, src % 256, 40000 + i % 999);
		else if (kind == 5)
			fprintf(f, "Invalid user guest%u from 10.0.%u.%u port 22", user, src / 256, src % 256);
		else if (kind == 6)
			fprintf(f, "Accepted password for user%u from 10.0.%u.%u port 22 ssh2", user,
				src / 256, src % 256);
		else if (kind == 7)
			fprintf(f, "message repeated 3 times: [ Failed password for root from 10.0.%u.%u port 22 ssh2]",
				src / 256, src % 256);
		else
			fprintf(f, "Connection closed by 10.0.%u.%u port %d [preauth] %*s", src / 256,
				src % 256, i, (int)(x % 200), "");
		fputs(i % 7 ? "\n" : "\r\n", f);
	}
	return fclose(f);
}

static void on_finding(const struct irk_finding *f, void *arg)
{
	json_t *j = irk_finding_json(f);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	irk_buf_adds(arg, s);
	irk_buf_addch(arg, '\n');
	free(s);
	json_decref(j);
}

/* Scan files[0..nfiles) with the bundled rules; the findings go to `out`. */
static enum irk_code scan_files(const char *const *files, int nfiles, int threads, size_t chunk,
				int strict, struct irk_scan_stats *st, struct irk_err *err,
				struct irk_buf *out)
{
	struct irk_scan_opts o = { 0 };
	struct irk_detector *d = irk_detector_new(&rs, 0, on_finding, out);
	enum irk_code rc;

	o.threads = threads;
	o.chunk = chunk;
	o.strict = strict;
	o.prefilter = pf;
	o.log.year = 2026;
	rc = irk_scan_files(&rs, &o, files, nfiles, d, st, err);
	irk_detector_flush(d);
	irk_detector_free(d);
	return rc;
}

/* The findings and counts of a scan of `nfiles` copies of the log. */
static int scan(int threads, size_t chunk, int nfiles, struct irk_buf *out)
{
	const char *files[3] = { path, path, path };
	struct irk_scan_stats st = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	int rc = scan_files(files, nfiles, threads, chunk, 0, &st, &err, out);

	irk_buf_addf(out, "lines %lld events %lld malformed %lld hits %lld bytes %lld\n",
		     (long long)st.lines, (long long)st.events, (long long)st.malformed,
		     (long long)st.hits, (long long)st.bytes);
	return rc;
}

TEST(same_findings_whatever_the_threads_and_chunks)
{
	struct irk_buf want = IRK_BUF_INIT, got = IRK_BUF_INIT;
	static const int threads[] = { 2, 3, 7 };
	static const size_t chunks[] = { 0, 2 * IRK_LOG_LINE_MAX, 2 * IRK_LOG_LINE_MAX + 4093 };

	CHECK(scan(1, 0, 1, &want) == IRK_OK);
	CHECK(strstr(want.buf, "lines 60000 events 60000 malformed 0"));
	CHECK(strstr(want.buf, "\"SSH brute force from one source\""));
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++)
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			irk_buf_reset(&got);
			CHECK(scan(threads[t], chunks[c], 1, &got) == IRK_OK);
			if (strcmp(got.buf, want.buf))
				printf("#   %d threads, chunk %zu: the findings differ\n", threads[t],
				       chunks[c]);
			CHECK(!strcmp(got.buf, want.buf));
		}
	irk_buf_release(&want);
	irk_buf_release(&got);
}

TEST(files_in_a_row_as_with_one_thread)
{
	struct irk_buf want = IRK_BUF_INIT, got = IRK_BUF_INIT;

	CHECK(scan(1, 2 * IRK_LOG_LINE_MAX, 3, &want) == IRK_OK);
	CHECK(strstr(want.buf, "lines 180000 "));
	CHECK(scan(4, 2 * IRK_LOG_LINE_MAX, 3, &got) == IRK_OK);
	CHECK(!strcmp(got.buf, want.buf));
	irk_buf_release(&want);
	irk_buf_release(&got);
}

/*
 * A line longer than a chunk is one malformed line, whatever the chunk
 * size: what follows its first chunk's worth is not read as lines of its
 * own (here a failed login, 5 times: it must not become events).
 */
TEST(a_line_longer_than_a_chunk_is_one_line)
{
	static const char tail[] = "Mar  1 10:00:00 host sshd[9]: Failed password for root from "
				   "6.6.6.6 port 22 ssh2\n";
	static const size_t chunks[] = { 2 * IRK_LOG_LINE_MAX, 2 * IRK_LOG_LINE_MAX + 4093, 0 };
	char long_path[160];
	FILE *f;

	snprintf(long_path, sizeof(long_path), "%s/long.log", dir);
	CHECK((f = fopen(long_path, "w")) != NULL);
	for (int i = 0; i < 5; i++) {
		/* sizes around and over a chunk, the last one twice the default chunk */
		size_t n = i < 4 ? 2 * IRK_LOG_LINE_MAX + (size_t)i * 70000 - 50 : 2 * IRK_SCAN_CHUNK;
		for (size_t k = 0; k < n; k++)
			fputc('x', f);
		fputs(tail, f);
		fputs("Mar  1 10:00:01 host sshd[9]: Connection closed by 1.2.3.4 port 22\n", f);
	}
	fputs("Mar  1 10:00:02 host sshd[9]: Connection closed by 1.2.3.4 port 22", f); /* no newline */
	CHECK(fclose(f) == 0);
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++)
		for (int threads = 1; threads <= 3; threads += 2) {
			const char *files[1] = { long_path };
			struct irk_scan_stats st = { 0 };
			struct irk_err err = IRK_ERR_INIT;
			struct irk_buf out = IRK_BUF_INIT;
			CHECK(scan_files(files, 1, threads, chunks[c], 0, &st, &err, &out) == IRK_OK);
			CHECK(st.lines == 11);
			CHECK(st.malformed == 5);
			CHECK(st.events == 6);
			CHECK(st.hits == 0);
			CHECK(!strstr(out.buf, "6.6.6.6"));
			irk_buf_release(&out);
		}
	unlink(long_path);
}

/*
 * --strict: every hit before the first malformed line reaches the detector,
 * and none after it, whatever the chunk size (a chunk is not fed or dropped
 * whole).
 */
TEST(strict_feeds_exactly_the_lines_before_the_bad_one)
{
	static const size_t chunks[] = { 2 * IRK_LOG_LINE_MAX, 2 * IRK_LOG_LINE_MAX + 4093, 0 };
	char bad_path[160], *want = NULL;
	FILE *f, *in;
	char line[512];
	int n = 0;

	snprintf(bad_path, sizeof(bad_path), "%s/bad.log", dir);
	CHECK((f = fopen(bad_path, "w")) != NULL);
	CHECK((in = fopen(path, "r")) != NULL);
	while (fgets(line, sizeof(line), in) && n < 40000) {
		if (++n == 30001)
			fputs("not a log line\n", f);
		fputs(line, f);
	}
	fclose(in);
	CHECK(fclose(f) == 0);
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		const char *files[1] = { bad_path };
		struct irk_scan_stats st = { 0 };
		struct irk_err err = IRK_ERR_INIT;
		struct irk_buf out = IRK_BUF_INIT;
		CHECK(scan_files(files, 1, 2, chunks[c], 1, &st, &err, &out) == IRK_EINVAL);
		CHECK(strstr(err.msg, "bad.log:30001: malformed line"));
		CHECK(st.hits > 0);
		if (!want)
			want = irk_strdup(out.buf);
		else
			CHECK(!strcmp(out.buf, want));
		irk_buf_release(&out);
	}
	free(want);
	unlink(bad_path);
}

int main(void)
{
	struct irk_err err = IRK_ERR_INIT;
	int failed;

	snprintf(dir, sizeof(dir), "%s/irk-test-scan.XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/auth.log", dir);
	if (write_log())
		return 1;
	irk_ruleset_init(&rs);
	irk_ruleset_load_bundled(&rs);
	irk_ruleset_link(&rs);
	if (irk_prefilter_new(&rs, IRK_PREFILTER_AUTO, &pf, &err))
		return 1;
	RUN(same_findings_whatever_the_threads_and_chunks);
	RUN(files_in_a_row_as_with_one_thread);
	RUN(a_line_longer_than_a_chunk_is_one_line);
	RUN(strict_feeds_exactly_the_lines_before_the_bad_one);
	irk_prefilter_free(pf);
	irk_ruleset_release(&rs);
	unlink(path);
	rmdir(dir);
	failed = unit_done();
	return failed;
}
