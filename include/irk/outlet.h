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

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "irk/buf.h"
#include "irk/error.h"

enum irk_code irk_webhook_post(const char *url, const char *body, size_t len, int timeout_ms,
			       struct irk_err *err);

/*
 * The systemd journal, read as syslog lines ("2026-...Z host prog[pid]: message").
 * The source is the local system's journal, or journal files, or the
 * journal files of a directory (as journalctl --file / --directory; files
 * that appear in the directory later, rotated ones included, are followed).
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
/*
 * The next entries as lines ("...\n") into `block` (emptied first), as long
 * as they are numbered one after the other in one writer's sequence (the
 * journal's sequence numbers, __SEQNUM) and the block is under `max` bytes:
 * line k of the block is entry number *first + k - 1.  Returns how many
 * entries were read, 0 when there is none yet.  An entry without a number
 * (*first 0) comes alone.
 */
int irk_journal_block(struct irk_journal *j, size_t max, struct irk_buf *block, int64_t *first);
/* The `max` of a block that scan and watch read. */
#define IRK_JOURNAL_BLOCK (1u << 20)
/*
 * The cursor of the last entry read (a string owned by the journal), or
 * NULL; after opening at the end, the cursor of the last entry there (NULL
 * when the journal was empty).
 */
const char *irk_journal_cursor(struct irk_journal *j);
/*
 * Wait up to timeout_ms for new entries (files that appear in a followed
 * directory, rotated ones included, are taken in), with the signal mask
 * `sigmask` (NULL: the current one) while waiting, as ppoll(2): block the
 * signals that stop the caller, pass the mask without them, and a signal
 * ends the wait at once (returns 1; else 0).
 */
int irk_journal_wait(struct irk_journal *j, int timeout_ms, const sigset_t *sigmask);
void irk_journal_close(struct irk_journal *j);

#endif
