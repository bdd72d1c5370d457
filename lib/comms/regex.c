/* regex.c - constant PCRE2 patterns over text; see irk/regex.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>

#include "irk/regex.h"

static pcre2_code *compile(const char *pattern, int flags)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK |
					       ((flags & IRK_RE_CASELESS) ? PCRE2_CASELESS : 0),
				       &errcode, &erroff, NULL);
	if (!re)
		abort(); /* see regex.h: the patterns are constants */
	return re;
}

void irk_re_each(const char *pattern, int flags, const char *text, size_t len, irk_re_fn fn,
		 void *arg)
{
	pcre2_code *re = compile(pattern, flags);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	PCRE2_SIZE off = 0;
	int n;

	while (off <= len && (n = pcre2_match(re, (PCRE2_SPTR)text, len, off, 0, md, NULL)) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		size_t s = ov[0], e = ov[1], gs = s, ge = e;

		if (n > 1 && ov[2] != PCRE2_UNSET) {
			gs = ov[2];
			ge = ov[3];
		}
		if (fn(arg, s, e, gs, ge))
			break;
		off = e > s ? e : e + 1;
		while (off < len && (((unsigned char)text[off]) & 0xc0) == 0x80)
			off++;
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
}

int irk_re_find(const char *pattern, int flags, const char *text, size_t len)
{
	pcre2_code *re = compile(pattern, flags);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int r = pcre2_match(re, (PCRE2_SPTR)text, len, 0, 0, md, NULL);

	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return r > 0;
}
