/* cli-report.c - reports, progress and --attach for host checks; see cli-report.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli-report.h"

enum irk_code cli_report_begin(struct cli_report *r, const char *path, int to_stdout,
			       struct irk_err *err)
{
	memset(r, 0, sizeof(*r));
	r->to_stdout = to_stdout;
	if (path) {
		r->file = fopen(path, "w");
		if (!r->file)
			return irk_fail(err, IRK_EIO, "cannot create report %s: %s", path,
					strerror(errno));
	}
	r->sha = irk_sha256_begin();
	return IRK_OK;
}

void cli_report_line(struct cli_report *r, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s) {
		size_t n = strlen(s);
		irk_sha256_update(r->sha, s, n);
		irk_sha256_update(r->sha, "\n", 1);
		if (r->file) {
			fputs(s, r->file);
			fputc('\n', r->file);
		}
		if (r->to_stdout) {
			fputs(s, stdout);
			fputc('\n', stdout);
		}
		free(s);
	}
	json_decref(j);
}

enum irk_code cli_report_end(struct cli_report *r, struct irk_err *err)
{
	uint8_t d[IRK_SHA256_LEN];
	int bad = 0;

	irk_sha256_end(r->sha, d);
	r->sha = NULL;
	irk_hex(d, IRK_SHA256_LEN, r->sha256);
	if (r->file) {
		bad = fflush(r->file) != 0 || ferror(r->file);
		bad |= fclose(r->file) != 0;
		r->file = NULL;
	}
	return bad ? irk_fail(err, IRK_EIO, "cannot write the report") : IRK_OK;
}

void cli_progress_init(struct cli_progress *p, int quiet, uint64_t total, const char *what)
{
	p->on = !quiet && isatty(STDERR_FILENO);
	p->total = total;
	p->what = what;
}

void cli_progress_show(uint64_t files, uint64_t bytes, const char *path, void *arg)
{
	struct cli_progress *p = arg;
	double mb = (double)bytes / 1e6;

	if (!p->on)
		return;
	if (!path) {
		fputs("\r\033[K", stderr);
		return;
	}
	if (p->total) {
		char bar[31];
		uint64_t done = files > p->total ? p->total : files;
		int fill = (int)(30 * done / p->total);

		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '.', (size_t)(30 - fill));
		bar[30] = '\0';
		fprintf(stderr, "\r\033[K%s [%s] %3d%% %llu/%llu files, %.0f MB", p->what, bar,
			(int)(100 * done / p->total), (unsigned long long)files,
			(unsigned long long)p->total, mb);
	} else {
		fprintf(stderr, "\r\033[K%s %llu files, %.0f MB", p->what, (unsigned long long)files, mb);
	}
	fflush(stderr);
}

enum irk_code cli_attach(const char *inc_arg, const char *kind, const char *text, json_t *data,
			 int json, struct irk_err *err)
{
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_append a = { .kind = kind, .text = text, .data = data };
	struct irk_entry e;
	char inc[IRK_CHAIN_MAX];
	enum irk_code rc = cli_casebook(&cb, err);

	if (!rc)
		rc = cli_incident(cb, inc_arg, inc, err);
	if (!rc)
		rc = cli_identity(&id, err);
	if (!rc) {
		a.chain = inc;
		rc = irk_logbook_write(cb, &id, &a, &e, err);
		irk_identity_wipe(&id);
	}
	if (!rc) {
		fprintf(json ? stderr : stdout, "recorded in %s #%lld %s\n", inc, (long long)e.seq,
			e.hash);
		irk_entry_release(&e);
	}
	irk_casebook_close(cb);
	return rc;
}
