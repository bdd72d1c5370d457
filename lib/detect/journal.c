/* journal.c - the systemd journal as a source of syslog lines; see irk/outlet.h. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "irk/outlet.h"
#include "irk/timefmt.h"

struct irk_journal {
	sd_journal *j;
	char *cursor; /* of the last entry handed out */
	char *held;   /* of the current entry when it is yet to be handed out */
	int pending;  /* the current entry is yet to be handed out */
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
	char *last = NULL;
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
		/*
		 * Stand on the last entry: it is where a restart goes on from.
		 * The tail itself is no place: it moves, and entries written
		 * before the next read would be skipped.  An empty journal is
		 * read from its head.
		 */
		r = sd_journal_seek_tail(j);
		if (r >= 0 && sd_journal_previous(j) > 0) {
			if (sd_journal_get_cursor(j, &last) < 0)
				last = NULL;
		} else if (r >= 0) {
			r = sd_journal_seek_head(j);
		}
	} else {
		r = sd_journal_seek_head(j);
	}
	if (r < 0) {
		sd_journal_close(j);
		return irk_fail(err, IRK_EINVAL, "cannot position in %s: %s", what, strerror(-r));
	}
	/* watch for changes from now on, not from the first wait: nothing slips between */
	sd_journal_get_fd(j);
	jj = irk_calloc(1, sizeof(*jj));
	jj->j = j;
	jj->pending = pending;
	jj->cursor = last;
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

/* CLOCK_MONOTONIC in microseconds, the clock of sd_journal_get_timeout(). */
static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The current entry as a syslog line, appended to `out` with its newline. */
static void entry_line(sd_journal *j, struct irk_buf *out)
{
	uint64_t usec;
	char t[IRK_TIME_MAX];

	if (sd_journal_get_realtime_usec(j, &usec) < 0)
		usec = 0;
	irk_time_utc((int64_t)(usec / 1000), 1, t);
	irk_buf_addf(out, "%s ", t);
	field(j, "_HOSTNAME", out, "-");
	irk_buf_addch(out, ' ');
	field(j, "SYSLOG_IDENTIFIER", out, "journal");
	irk_buf_addch(out, '[');
	field(j, "_PID", out, "0");
	irk_buf_adds(out, "]: ");
	field(j, "MESSAGE", out, "");
	irk_buf_addch(out, '\n');
}

/*
 * The writer's sequence (the cursor's "s=" part, 32 hex digits) and the
 * entry's number in it ("i=", hex) from a cursor; 0 when it has none.
 * libsystemd before 254 has no sd_journal_get_seqnum(); the cursor's
 * fields are the same ones.
 */
static int64_t cursor_seqnum(const char *cursor, const char **seq_id)
{
	const char *i = cursor ? strstr(cursor, ";i=") : NULL;
	char *end;
	unsigned long long n;

	*seq_id = cursor && !strncmp(cursor, "s=", 2) ? cursor + 2 : "";
	if (!i)
		return 0;
	errno = 0;
	n = strtoull(i + 3, &end, 16);
	if (errno || end == i + 3 || (*end && *end != ';') || n > INT64_MAX)
		return 0;
	return (int64_t)n;
}

/* Step to the next entry to hand out; its cursor into *cursor (owned by the caller). */
static int step(struct irk_journal *jj, char **cursor)
{
	if (jj->pending) {
		jj->pending = 0;
		*cursor = jj->held;
		jj->held = NULL;
	} else if (sd_journal_next(jj->j) > 0) {
		*cursor = NULL;
	} else {
		return 0;
	}
	if (!*cursor && sd_journal_get_cursor(jj->j, cursor) < 0)
		*cursor = NULL;
	return 1;
}

int irk_journal_block(struct irk_journal *jj, size_t max, struct irk_buf *block, int64_t *first)
{
	char *c;
	const char *seq_id = "", *id;
	int64_t next = 0;
	int n = 0;

	irk_buf_reset(block);
	*first = 0;
	while (step(jj, &c)) {
		int64_t num = cursor_seqnum(c, &id);
		/* the block's lines are numbered first, first + 1, ...: one sequence, no gaps */
		if (n && (!num || num != next || strncmp(id, seq_id, 32) || block->len >= max)) {
			jj->pending = 1;
			jj->held = c;
			break;
		}
		if (!n)
			*first = num;
		entry_line(jj->j, block);
		free(jj->cursor);
		jj->cursor = c;
		seq_id = id; /* it points into c, now jj->cursor */
		next = num + 1;
		n++;
	}
	return n;
}

const char *irk_journal_cursor(struct irk_journal *jj)
{
	return jj->cursor;
}

int irk_journal_wait(struct irk_journal *jj, int timeout_ms, const sigset_t *sigmask)
{
	struct pollfd p = { .fd = sd_journal_get_fd(jj->j), .events = 0 };
	uint64_t until, now = now_usec(), wait = (uint64_t)timeout_ms * 1000;
	struct timespec ts;
	int r;

	if (p.fd >= 0)
		p.events = (short)sd_journal_get_events(jj->j);
	/* the journal may want to look again sooner (files it cannot watch) */
	if (sd_journal_get_timeout(jj->j, &until) >= 0 && until != UINT64_MAX)
		wait = until <= now ? 0 : until - now < wait ? until - now : wait;
	ts.tv_sec = (time_t)(wait / 1000000);
	ts.tv_nsec = (long)(wait % 1000000) * 1000;
	r = ppoll(&p, p.fd >= 0 && p.events > 0 ? 1 : 0, &ts, sigmask);
	if (r < 0 && errno == EINTR)
		return 1;
	sd_journal_process(jj->j);
	return 0;
}

void irk_journal_close(struct irk_journal *jj)
{
	if (!jj)
		return;
	sd_journal_close(jj->j);
	free(jj->cursor);
	free(jj->held);
	free(jj);
}
