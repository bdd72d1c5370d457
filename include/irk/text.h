/*
 * text.h - checks on text that people and files hand to irk.
 */
#ifndef IRK_TEXT_H
#define IRK_TEXT_H

#include <stddef.h>

#include "irk/buf.h"
#include "irk/error.h"

/* Longest text of one log-book entry, in bytes (documented in docs/ERRORS.md). */
#define IRK_TEXT_MAX (64 * 1024)

/*
 * Valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF) with no
 * control characters other than tab and newline.  Returns 0 when valid, or
 * the 1-based byte offset of the first bad byte.
 */
size_t irk_utf8_check(const char *s, size_t len);

/*
 * Only the encoding of irk_utf8_check(): control characters are allowed.
 * Returns 0 when valid, or the 1-based offset of the first bad byte.
 */
size_t irk_utf8_invalid(const char *s, size_t len);

/*
 * Append untrusted text (a log line, a value from it): as it is when it is
 * valid UTF-8 (irk_utf8_invalid), else with every byte that is not printable
 * ASCII turned into '?'.
 */
void irk_buf_add_lossy(struct irk_buf *out, const char *s, size_t len);

/*
 * Append a JSON string literal of valid UTF-8 text: quotes, backslashes and
 * control characters escaped, the rest as it is (byte for byte what
 * jansson's json_dumps() writes for the same string).
 */
void irk_buf_add_json_string(struct irk_buf *out, const char *s, size_t len);

/*
 * Check a text meant for the record: non-empty, within `max` bytes, valid
 * UTF-8 without control characters.  `what` names it in the error ("the
 * entry text").
 */
enum irk_code irk_text_check(const char *what, const char *s, size_t max, struct irk_err *err);

/* A one-line name (a person, a title): valid text, no newline, at most 127 bytes. */
enum irk_code irk_text_check_name(const char *s, struct irk_err *err);

#endif
