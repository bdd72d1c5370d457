/*
 * regex.h - running a constant PCRE2 pattern over text: the one place the
 * communication checks (linter, sharing) touch PCRE2.  Patterns are UTF-8
 * with Unicode properties; they are constants of irk, so a pattern that
 * does not compile is a bug and aborts (every test would catch it).
 */
#ifndef IRK_REGEX_H
#define IRK_REGEX_H

#include <stddef.h>

#define IRK_RE_CASELESS 1

/*
 * Call fn(arg, start, end, gstart, gend) for each match; gstart/gend is the
 * span of capture group 1 (or of the whole match when the pattern has none
 * or the group did not take part).  Stops when fn returns non-zero.
 */
typedef int (*irk_re_fn)(void *arg, size_t start, size_t end, size_t gstart, size_t gend);
void irk_re_each(const char *pattern, int flags, const char *text, size_t len, irk_re_fn fn,
		 void *arg);

/* Does the pattern match anywhere in the text? */
int irk_re_find(const char *pattern, int flags, const char *text, size_t len);

/* Patterns shared by several checks. */
#define IRK_RE_IPV4                                                                        \
	"\\b(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\b"
#define IRK_RE_IPV6                                                                        \
	"(?<![\\w:])(?:(?=[0-9a-f:]*[a-f])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}"            \
	"|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)(?![\\w:])"

#endif
