/*
 * text.c - UTF-8 and size checks on incoming text, and text made safe to
 * write out; see irk/text.h.
 */
#include <stdint.h>
#include <string.h>

#include "irk/buf.h"
#include "irk/bytes.h"
#include "irk/text.h"

#define BYTES(b) (0x0101010101010101ULL * (b))

/*
 * Whether the 8 bytes at p are all ASCII that utf8_scan() lets through one by
 * one: any byte below 0x80, and when `strict` none below 0x20 (not even tab
 * or newline: those few words take the byte path) and no 0x7f.  A byte below
 * n (n <= 0x80) is found by (w - BYTES(n)) & ~w & BYTES(0x80), which is
 * nonzero exactly when there is one; 0x7f as a zero byte of w ^ BYTES(0x7f).
 */
static inline int plain_word(const unsigned char *p, int strict)
{
	uint64_t w = irk_load64(p), x;

	if (w & BYTES(0x80))
		return 0;
	x = w ^ BYTES(0x7f);
	return !strict || !(((w - BYTES(0x20)) & ~w & BYTES(0x80)) |
			    ((x - BYTES(0x01)) & ~x & BYTES(0x80)));
}

/* The check of irk_utf8_check(), and with `strict` zero only the encoding's. */
static size_t utf8_scan(const char *s, size_t len, int strict)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t n;
		uint32_t cp;

		if (i + 8 <= len && plain_word(p + i, strict)) {
			i += 8;
			continue;
		}
		if (c < 0x80) {
			if (strict && ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f))
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
		    (cp >= 0xd800 && cp <= 0xdfff) || (strict && cp >= 0x80 && cp < 0xa0))
			return i + 1;
		i += n + 1;
	}
	return 0;
}

size_t irk_utf8_check(const char *s, size_t len)
{
	return utf8_scan(s, len, 1);
}

/* Whether s[0..n) is all ASCII: its words or'ed together (the last one overlapping), high bits clear. */
static int all_ascii(const char *s, size_t n)
{
	uint64_t acc = 0;

	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			acc |= irk_load64(s + i);
		return !((acc | irk_load64(s + n - 8)) & BYTES(0x80));
	}
	if (n >= 4)
		return !((irk_load32(s) | irk_load32(s + n - 4)) & 0x80808080u);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

size_t irk_utf8_invalid(const char *s, size_t len)
{
	return all_ascii(s, len) ? 0 : utf8_scan(s, len, 0); /* ASCII is well-formed UTF-8 */
}

void irk_text_add_lossy(struct irk_buf *out, const char *s, size_t len)
{
	size_t at = out->len;

	irk_buf_add(out, s, len);
	if (!irk_utf8_invalid(s, len))
		return;
	for (char *p = out->buf + at; p < out->buf + out->len; p++)
		if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
			*p = '?';
}

void irk_text_add_json_string(struct irk_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0;

	irk_buf_addch(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		irk_buf_add(out, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': case '\\': esc[1] = (char)c; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default: irk_buf_add(out, esc, 6); continue;
		}
		irk_buf_add(out, esc, 2);
	}
	irk_buf_add(out, s + run, len - run);
	irk_buf_addch(out, '"');
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
