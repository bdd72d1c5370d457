/*
 * outlet.h - where irk watch sends findings besides stdout: a webhook (an
 * HTTP JSON POST) and the systemd journal as a source of lines.
 *
 * The webhook client speaks plain HTTP/1.1 to http:// URLs (a local relay
 * can add TLS); it waits at most `timeout_ms` and treats any 2xx answer as
 * delivered.
 */
#ifndef IRK_OUTLET_H
#define IRK_OUTLET_H

#include <stddef.h>
#include <stdint.h>

#include "irk/buf.h"
#include "irk/error.h"

enum irk_code irk_webhook_post(const char *url, const char *body, size_t len, int timeout_ms,
			       struct irk_err *err);

/*
 * The systemd journal, read as syslog lines ("2026-...Z host prog[pid]: message").
 * The source is the local system's journal, or journal files, or the
 * journal files of a directory (as journalctl --file / --directory).
 */
struct irk_journal;
struct irk_journal_source {
	const char *const *files; /* NULL-terminated list of .journal files, or NULL */
	const char *dir;          /* a directory of journal files, or NULL */
};
/*
 * Start after `cursor` if given (when that entry is gone, at the first
 * entry after where it was: none is skipped), else at `since_ms` if
 * non-zero, else at the start (`from_end` 0) or the end (`from_end` 1).
 * src NULL or empty: the local journal.
 */
enum irk_code irk_journal_open(const struct irk_journal_source *src, const char *cursor,
			       int64_t since_ms, int from_end, struct irk_journal **out,
			       struct irk_err *err);
/* The next entry as a line into `line` (1), or 0 when there is none yet. */
int irk_journal_next(struct irk_journal *j, struct irk_buf *line);
/* The cursor of the last entry read (a string owned by the journal), or NULL. */
const char *irk_journal_cursor(struct irk_journal *j);
/* Wait up to timeout_ms for new entries. */
void irk_journal_wait(struct irk_journal *j, int timeout_ms);
void irk_journal_close(struct irk_journal *j);

#endif
