/* journal.c - the systemd journal as a source of syslog lines; see irk/outlet.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>

#include "irk/outlet.h"
#include "irk/timefmt.h"

struct irk_journal {
	sd_journal *j;
	char *cursor;
	int pending; /* the current entry is yet to be read */
};

static int open_source(const struct irk_journal_source *src, sd_journal **j, const char **what)
{
	if (src && src->files && src->files[0]) {
		*what = src->files[0];
		return sd_journal_open_files(j, (const char **)src->files, 0);
	}
	if (src && src->dir) {
		*what = src->dir;
		return sd_journal_open_directory(j, src->dir, 0);
	}
	*what = "the systemd journal";
	return sd_journal_open(j, SD_JOURNAL_LOCAL_ONLY);
}

enum irk_code irk_journal_open(const struct irk_journal_source *src, const char *cursor,
			       int64_t since_ms, int from_end, struct irk_journal **out,
			       struct irk_err *err)
{
	struct irk_journal *jj;
	sd_journal *j;
	const char *what;
	int r = open_source(src, &j, &what), pending = 0;

	if (r < 0)
		return irk_fail(err, r == -ENOENT ? IRK_ENOTFOUND : IRK_EIO, "cannot open %s: %s", what,
				strerror(-r));
	if (cursor && *cursor) {
		r = sd_journal_seek_cursor(j, cursor);
		/*
		 * Stand on the cursor's entry, so that the next read is the one
		 * after it; when that entry is gone (rotated away, another file
		 * set), the seek landed on the first entry after its place, which
		 * is the next to read.
		 */
		if (r >= 0 && sd_journal_next(j) > 0 && sd_journal_test_cursor(j, cursor) <= 0)
			pending = 1;
	} else if (since_ms) {
		r = sd_journal_seek_realtime_usec(j, (uint64_t)since_ms * 1000);
	} else if (from_end) {
		r = sd_journal_seek_tail(j);
		if (r >= 0)
			sd_journal_previous(j);
	} else {
		r = sd_journal_seek_head(j);
	}
	if (r < 0) {
		sd_journal_close(j);
		return irk_fail(err, IRK_EINVAL, "cannot position in %s: %s", what, strerror(-r));
	}
	jj = irk_calloc(1, sizeof(*jj));
	jj->j = j;
	jj->pending = pending;
	*out = jj;
	return IRK_OK;
}

static void field(sd_journal *j, const char *name, struct irk_buf *out, const char *dflt)
{
	const void *d;
	size_t n, k = strlen(name) + 1;

	if (sd_journal_get_data(j, name, &d, &n) >= 0 && n >= k) {
		/* one line: newlines inside a message become spaces */
		for (size_t i = k; i < n; i++) {
			char c = ((const char *)d)[i];
			irk_buf_addch(out, c == '\n' || c == '\r' ? ' ' : c);
		}
	} else {
		irk_buf_adds(out, dflt);
	}
}

int irk_journal_next(struct irk_journal *jj, struct irk_buf *line)
{
	uint64_t usec;
	char t[IRK_TIME_MAX], *c = NULL;

	if (jj->pending)
		jj->pending = 0;
	else if (sd_journal_next(jj->j) <= 0)
		return 0;
	if (sd_journal_get_realtime_usec(jj->j, &usec) < 0)
		usec = 0;
	irk_time_utc((int64_t)(usec / 1000), 1, t);
	irk_buf_reset(line);
	irk_buf_addf(line, "%s ", t);
	field(jj->j, "_HOSTNAME", line, "-");
	irk_buf_addch(line, ' ');
	field(jj->j, "SYSLOG_IDENTIFIER", line, "journal");
	irk_buf_addch(line, '[');
	field(jj->j, "_PID", line, "0");
	irk_buf_adds(line, "]: ");
	field(jj->j, "MESSAGE", line, "");
	if (sd_journal_get_cursor(jj->j, &c) >= 0) {
		free(jj->cursor);
		jj->cursor = c;
	}
	return 1;
}

const char *irk_journal_cursor(struct irk_journal *jj)
{
	return jj->cursor;
}

void irk_journal_wait(struct irk_journal *jj, int timeout_ms)
{
	sd_journal_wait(jj->j, (uint64_t)timeout_ms * 1000);
}

void irk_journal_close(struct irk_journal *jj)
{
	if (!jj)
		return;
	sd_journal_close(jj->j);
	free(jj->cursor);
	free(jj);
}
