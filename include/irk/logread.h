/*
 * logread.h - reading log files and turning their lines into events.
 *
 * Formats: syslog (RFC 3164 with or without a year, the high-precision
 * RFC 3339 form rsyslog writes, RFC 5424), Apache/nginx access logs (common
 * and combined), and JSON Lines.  IRK_LOG_AUTO guesses per line, cheaply.
 * Syslog messages of sshd, sudo, su, useradd, groupadd, usermod, gpasswd,
 * passwd and pam_unix get their facts extracted into fields (src_ip, user,
 * outcome, action, ...), so that rules can be written once for all of them.
 *
 * Parsers never fail on content they do not know: a line that is not in the
 * expected format is IRK_EINVAL ("malformed"), which callers count and skip
 * (or, with --strict, report).  Lines are capped at IRK_LOG_LINE_MAX bytes.
 *
 * Times without a zone (RFC 3164, access logs always have one) are taken as
 * UTC; RFC 3164 times without a year get `opts->year`, or the year before it
 * when that would put the line more than a day past `opts->now_ms`.
 */
#ifndef IRK_LOGREAD_H
#define IRK_LOGREAD_H

#include <stddef.h>
#include <stdint.h>

#include "irk/error.h"
#include "irk/event.h"

#define IRK_LOG_LINE_MAX (64 * 1024)

enum irk_log_format { IRK_LOG_AUTO = 0, IRK_LOG_SYSLOG, IRK_LOG_ACCESS, IRK_LOG_JSON };

struct irk_log_opts {
	enum irk_log_format format;
	int year;             /* for syslog lines without one; 0 = the year of now_ms */
	int64_t now_ms;       /* anchors the year guess; 0 = no guess */
	const char *time_field;  /* JSON: the field holding the time (NULL = common names) */
	const char *trace_field; /* JSON: the trace/request id field (NULL = common names) */
};

/* "syslog", "access", "json", "auto" <-> the enum; -1 for an unknown name. */
int irk_log_format_parse(const char *name);
const char *irk_log_format_name(enum irk_log_format f);

/* The format a line looks like (never IRK_LOG_AUTO). */
enum irk_log_format irk_log_guess(const char *line, size_t len);

/* Parse one line (no newline) into `ev` (reset first). */
enum irk_code irk_log_parse(const struct irk_log_opts *o, const char *line, size_t len,
			    struct irk_event *ev, struct irk_err *err);

/* The individual parsers (fuzzed separately). */
enum irk_code irk_log_parse_syslog(const struct irk_log_opts *o, const char *line, size_t len,
				   struct irk_event *ev, struct irk_err *err);
enum irk_code irk_log_parse_access(const char *line, size_t len, struct irk_event *ev,
				   struct irk_err *err);
enum irk_code irk_log_parse_json(const struct irk_log_opts *o, const char *line, size_t len,
				 struct irk_event *ev, struct irk_err *err);

/*
 * The quick check of a syslog line that no rule needs: 1 when it is the
 * usual kind (no priority, a BSD timestamp, a host name after it, not over
 * IRK_LOG_LINE_MAX), which irk_log_parse() would find well-formed as
 * syslog; 0 when only that parse can tell (other kinds, and malformed
 * lines, whose error it names).
 */
int irk_log_syslog_fine(const char *line, size_t len);

/* For the tests: how many message templates are too long for the matcher (0). */
int irk_log_auth_unfit(void);

/*
 * Extract the facts of an auth-related syslog message: `msg`/`len` is the
 * message (the event's "message" field), as it stands in the line being
 * parsed, not in the event (the fields set here may move the event's
 * arena); ev->service must be set.
 */
void irk_log_extract_auth(struct irk_event *ev, const char *msg, size_t len);

/*
 * For prefiltering: the texts one of which the line of a syslog event
 * contains whenever the extractor set its derived fields (action, outcome,
 * invalid_user) to values that `accept` says yes to.  `accept` is shown an
 * event holding only the derived fields, once per message the extractor
 * knows.  Fills *out with malloc'ed strings (the caller frees each and the
 * array) and returns their number, or -1 (nothing filled) when `accept`
 * also says yes to an event without them: any line may do.
 */
int irk_log_auth_literals(int (*accept)(const struct irk_event *derived, void *arg), void *arg,
			  const char ***out);

/*
 * For prefiltering: a text the program name of every syslog line that gets
 * ev->service == `service` contains (the program names are compared case
 * sensitively), or NULL when the service is not one syslog lines get.
 */
const char *irk_log_service_literal(const char *service);

/*
 * For prefiltering: how a field of an event parsed from a line of format `f`
 * relates to the line's text.  VERBATIM: when set, its value is a piece of
 * the line; DERIVED: set by irk_log_extract_auth() from a fixed list of
 * values (see irk_log_auth_literals()); ABSENT: the parser never sets it;
 * UNKNOWN: anything may be (JSON values are unescaped, numbers reformatted).
 * `id` is an enum irk_field_id, or -1 for a name without one.
 */
enum irk_field_kind { IRK_FIELD_UNKNOWN, IRK_FIELD_VERBATIM, IRK_FIELD_DERIVED, IRK_FIELD_ABSENT };
enum irk_field_kind irk_log_field_kind(enum irk_log_format f, int id);

/* RFC 3339 / ISO 8601 time ("2026-11-21T14:05:00.123456+01:00", "... 14:05:00Z"). */
int irk_log_parse_iso_time(const char *s, size_t len, int64_t *ms);

/*
 * A sequential reader of a plain or gzip-compressed file ("-" is stdin),
 * delivering bytes in blocks.  Compression is recognised by content.
 */
struct irk_log_reader;
enum irk_code irk_log_reader_open(const char *path, struct irk_log_reader **out,
				  struct irk_err *err);
/* Read up to `max` bytes; *got is 0 at the end. */
enum irk_code irk_log_reader_read(struct irk_log_reader *r, char *buf, size_t max, size_t *got,
				  struct irk_err *err);
void irk_log_reader_close(struct irk_log_reader *r);

#endif
