/* text.c - UTF-8 and size checks on incoming text; see irk/text.h. */
#include <stdint.h>
#include <string.h>

#include "irk/text.h"

size_t irk_utf8_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				return i + 1;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return i + 1;
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
				return i + 1;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return i + 1;
		i += n + 1;
	}
	return 0;
}

enum irk_code irk_text_check(const char *what, const char *s, size_t max, struct irk_err *err)
{
	size_t len = strlen(s), bad;

	if (len == 0)
		return irk_fail(err, IRK_EINVAL, "%s is empty", what);
	if (len > max)
		return irk_fail(err, IRK_EINVAL, "%s is %zu bytes, over the limit of %zu", what, len,
				max);
	bad = irk_utf8_check(s, len);
	if (bad)
		return irk_fail(err, IRK_EINVAL,
				"%s is not valid UTF-8 text (bad byte 0x%02x at offset %zu)", what,
				(unsigned char)s[bad - 1], bad - 1);
	return IRK_OK;
}

enum irk_code irk_text_check_name(const char *s, struct irk_err *err)
{
	enum irk_code rc = irk_text_check("the name", s, 127, err);

	if (rc)
		return rc;
	if (strchr(s, '\n') || strchr(s, '\t'))
		return irk_fail(err, IRK_EINVAL, "the name must be one line");
	return IRK_OK;
}
