/*
 * error.h - error codes and the message buffer every libirk call fills in.
 *
 * The library never prints and never exits.  A function that can fail takes a
 * `struct irk_err *` as its last argument and returns an `enum irk_code`
 * (IRK_OK on success).  On failure it writes a one-line message naming the
 * thing that failed and, where one is known, a hint naming the fix.  The
 * program (src/) decides how to show it and which exit status to use: the exit
 * status of `irk` is the code itself, so the numbers below are stable and are
 * documented in docs/ERRORS.md.
 *
 * Invariants:
 *  - `err` may be NULL: the failure is then only returned.
 *  - After a failure `err->code` equals the returned code and `err->msg` is a
 *    NUL-terminated sentence without a trailing newline.
 *  - The first failure wins: irk_fail() on an error that already holds a
 *    message keeps the original message (use irk_err_clear() to reuse one).
 */
#ifndef IRK_ERROR_H
#define IRK_ERROR_H

#include <stddef.h>

enum irk_code {
	IRK_OK = 0,
	IRK_EFAIL = 1,      /* a check ran and found something (changes, overdue, lint errors) */
	IRK_EUSAGE = 2,     /* the command line is wrong */
	IRK_ENOTFOUND = 3,  /* no casebook, unknown incident, member, entry or file */
	IRK_EINVAL = 4,     /* malformed input: a time, a text, a file, a request */
	IRK_EKEY = 5,       /* identity missing, unreadable, unsafe, or not a member's */
	IRK_EDB = 6,        /* the database is corrupt, foreign, or failed */
	IRK_EIO = 7,        /* reading or writing a file failed */
	IRK_ESTATE = 8,     /* not allowed now: closed incident, wrong owner, duplicate */
	IRK_EPERM = 9,      /* the member's role does not allow it */
	IRK_ETAMPER = 10,   /* the record does not verify: a hash, link or signature is wrong */
	IRK_EBUSY = 11,     /* the casebook stayed locked longer than the busy timeout */
	IRK_EINTERNAL = 12, /* a bug in irk: please report it */
};

#define IRK_ERR_MSG_MAX 1024
#define IRK_ERR_HINT_MAX 512

struct irk_err {
	enum irk_code code;
	char msg[IRK_ERR_MSG_MAX];
	char hint[IRK_ERR_HINT_MAX];
};

#define IRK_ERR_INIT { IRK_OK, "", "" }

/* Record a failure (printf-style message) and return `code`. */
enum irk_code irk_fail(struct irk_err *err, enum irk_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Attach a hint ("run 'irk init' first") to the current failure. */
void irk_hint(struct irk_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the current message with context: "reading x: <old message>". */
void irk_err_prefix(struct irk_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void irk_err_clear(struct irk_err *err);

/* The short stable name of a code ("not-found"), used in JSON errors. */
const char *irk_code_name(enum irk_code code);

#endif
