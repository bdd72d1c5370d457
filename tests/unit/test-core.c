/* test-core.c - buffers, times, UTF-8 checks, text written out, encodings, verifier keys. */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include "irk/buf.h"
#include "irk/hash.h"
#include "irk/key.h"
#include "irk/text.h"
#include "irk/timefmt.h"
#include "unit.h"

TEST(buf_invariants)
{
	struct irk_buf b = IRK_BUF_INIT;

	CHECK(b.len == 0 && b.buf[0] == '\0');
	irk_buf_addf(&b, "%s-%d", "abc", 42);
	CHECK_STR(b.buf, "abc-42");
	for (int i = 0; i < 1000; i++)
		irk_buf_addch(&b, 'x');
	CHECK(b.len == 1006 && b.buf[b.len] == '\0' && b.len < b.alloc);
	irk_buf_setlen(&b, 3);
	CHECK_STR(b.buf, "abc");
	irk_buf_adds(&b, "  \n");
	irk_buf_rtrim(&b);
	CHECK_STR(b.buf, "abc");
	irk_buf_release(&b);
	CHECK(b.len == 0 && b.alloc == 0 && b.buf[0] == '\0');
}

static int64_t parse(const char *s, int *tz)
{
	int64_t ms;
	/* 2026-11-21T12:00:00Z as "now" */
	if (irk_time_parse(s, 1795262400000LL, &ms, tz, NULL))
		return -1;
	return ms;
}

TEST(time_forms)
{
	int tz;

	CHECK(setenv("TZ", "UTC", 1) == 0);
	CHECK(parse("2026-11-21T14:05:00Z", &tz) == 1795269900000LL && tz == 0);
	CHECK(parse("2026-11-21T14:05:00.250+01:00", &tz) == 1795266300250LL && tz == 60);
	CHECK(parse("2026-11-21 14:05 +0100", &tz) == 1795266300000LL && tz == 60);
	CHECK(parse("2026-11-21 14:05:30 -05:30", &tz) == 1795289730000LL && tz == -330);
	CHECK(parse("11:00", &tz) == 1795258800000LL);       /* today */
	CHECK(parse("13:00", &tz) == 1795266000000LL - 86400000LL); /* later than now: yesterday */
	CHECK(parse("2026-11-21", &tz) == 1795219200000LL);
	CHECK(parse("2026-02-29T00:00:00Z", &tz) == -1);     /* not a leap year */
	CHECK(parse("2028-02-29T00:00:00Z", &tz) > 0);
	CHECK(parse("2026-11-21T24:00:00Z", &tz) == -1);
	CHECK(parse("14h05", &tz) == -1);
	CHECK(parse("2026-11-21T14:05:00+25:00", &tz) == -1);
	CHECK(parse("", &tz) == -1);
}

TEST(time_format_round_trip)
{
	char s[IRK_TIME_MAX];
	int64_t ms;

	irk_time_utc(1795269900123LL, 1, s);
	CHECK_STR(s, "2026-11-21T14:05:00.123Z");
	CHECK(irk_time_parse_utc(s, &ms, NULL) == IRK_OK && ms == 1795269900123LL);
	irk_time_utc(-1, 1, s);
	CHECK_STR(s, "1969-12-31T23:59:59.999Z");
	irk_time_local(1795269900000LL, 60, s);
	CHECK_STR(s, "2026-11-21 15:05:00 +01:00");
	CHECK(irk_time_parse_utc("2026-11-21 14:05:00Z", &ms, NULL) != IRK_OK);
	irk_duration(3 * 3600 + 5 * 60, s);
	CHECK_STR(s, "3h 05m");
}

/* The arithmetic calendar (irk_time_utc's fast path, irk_time_year) agrees with gmtime. */
TEST(calendar_matches_gmtime)
{
	char s[IRK_TIME_MAX], want[IRK_TIME_MAX];
	uint64_t x = 88172645463325252ULL;

	for (int i = 0; i < 200000; i++) {
		/* xorshift over 0001-01-01 .. 9999-12-31, and around the epoch */
		int64_t ms, lo = -62135596800000LL, span = 253402300799999LL - lo;
		time_t secs;
		struct tm tm;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		ms = i % 2 ? lo + (int64_t)(x % (uint64_t)span) : (int64_t)(x % 400000000000ULL) - 200000000000LL;
		secs = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
		CHECK(gmtime_r(&secs, &tm) != NULL);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (int)(ms - (int64_t)secs * 1000));
		irk_time_utc(ms, 1, s);
		CHECK_STR(s, want);
		CHECK(irk_time_year(ms) == tm.tm_year + 1900);
	}
}

TEST(utf8_checks)
{
	CHECK(irk_utf8_check("plain text\twith tab\n", 20) == 0);
	CHECK(irk_utf8_check("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x94\x92", 14) == 0);
	CHECK(irk_utf8_check("\xc0\xaf", 2) == 1);          /* overlong */
	CHECK(irk_utf8_check("ab\xed\xa0\x80", 5) == 3);    /* surrogate */
	CHECK(irk_utf8_check("\xf4\x90\x80\x80", 4) == 1);  /* above U+10FFFF */
	CHECK(irk_utf8_check("abc\xe2\x80", 5) == 4);       /* truncated */
	CHECK(irk_utf8_check("a\x1b[31m", 6) == 2);         /* escape sequence */
	/* long runs of ASCII are taken 8 bytes at a time: what is in them still counts */
	CHECK(irk_utf8_check("0123456789abcdef\t0123456\n", 25) == 0);
	CHECK(irk_utf8_check("0123456789abc\x1b" "efghijkl", 22) == 14);
	CHECK(irk_utf8_check("012345678\x7f" "abcdefghij", 20) == 10);
	CHECK(irk_utf8_check("0123456789abcdef\xc3\xa9", 18) == 0);
	CHECK(irk_utf8_check("0123456789abcdef\xc3(", 18) == 17);
	CHECK(irk_utf8_invalid("0123456\x01" "89abcdef\x7f", 17) == 0);
	CHECK(irk_utf8_invalid("01234567" "89abcde\xff", 16) == 16);
	/* all-ASCII text is passed at once; a byte above 0x7f anywhere is looked at */
	CHECK(irk_utf8_invalid("\xff", 1) == 1 && irk_utf8_invalid("ab\xff", 3) == 3);
	CHECK(irk_utf8_invalid("abcd\xff", 5) == 5 && irk_utf8_invalid("abcdefg\xff", 8) == 8);
	CHECK(irk_utf8_invalid("\xff" "bcdefghij", 10) == 1);
	CHECK(irk_utf8_invalid("caf\xc3\xa9", 5) == 0 && irk_utf8_invalid("ab\xc3", 3) == 3);
	CHECK(irk_utf8_invalid("", 0) == 0 && irk_utf8_invalid("abc", 3) == 0);
	CHECK(irk_text_check("t", "", 10, NULL) == IRK_EINVAL);
	CHECK(irk_text_check("t", "12345678901", 10, NULL) == IRK_EINVAL);
	CHECK(irk_text_check("t", "fine", 10, NULL) == IRK_OK);
}

TEST(buf_add_int)
{
	static const long long v[] = { 0, 7, -7, 10, 1234567890123LL, LLONG_MAX, LLONG_MIN };
	struct irk_buf a = IRK_BUF_INIT, b = IRK_BUF_INIT;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		irk_buf_add_int(&a, v[i]);
		irk_buf_addch(&a, ' ');
		irk_buf_addf(&b, "%lld ", v[i]);
	}
	CHECK_STR(a.buf, b.buf);
	CHECK(a.len == b.len);
	irk_buf_release(&a);
	irk_buf_release(&b);
}

/* Random short strings of bytes that matter to JSON and UTF-8. */
static size_t random_text(char *s, size_t max, unsigned *seed)
{
	static const char *const pieces[] = { "a", "\"", "\\", "/", "\t", "\n", "\r", "\b", "\f",
					      "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x80\x94",
					      "\xf0\x9f\x94\x92", "\xc2\x85", "\xff", "\xc0\xaf",
					      "\xed\xa0\x80", "\xe2\x80", " " };
	size_t n = 0, k = (size_t)(rand_r(seed) % 12);

	for (size_t i = 0; i < k; i++) {
		const char *p = pieces[rand_r(seed) % (sizeof(pieces) / sizeof(pieces[0]))];
		if (n + strlen(p) >= max)
			break;
		memcpy(s + n, p, strlen(p));
		n += strlen(p);
	}
	s[n] = '\0';
	return n;
}

/* What jansson writes for the string, and what irk writes for it with the same rule. */
TEST(json_strings_match_jansson)
{
	unsigned seed = 1;

	for (int i = 0; i < 20000; i++) {
		char s[64];
		size_t n = random_text(s, sizeof(s), &seed);
		json_t *j = json_stringn(s, n);
		struct irk_buf b = IRK_BUF_INIT;
		char *want;
		/* jansson refuses invalid UTF-8; irk_utf8_invalid() says the same */
		CHECK(!j == !!irk_utf8_invalid(s, n));
		if (!j)
			continue;
		want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		irk_text_add_json_string(&b, s, n);
		CHECK_STR(b.buf, want);
		free(want);
		json_decref(j);
		irk_buf_release(&b);
	}
}

TEST(lossy_text)
{
	struct irk_buf b = IRK_BUF_INIT;

	irk_text_add_lossy(&b, "caf\xc3\xa9\t\x1b", 7);
	CHECK_STR(b.buf, "caf\xc3\xa9\t\x1b"); /* valid UTF-8 stays as it is */
	irk_buf_reset(&b);
	irk_text_add_lossy(&b, "caf\xc3\xa9\t\xff!", 8);
	CHECK_STR(b.buf, "caf????" "!"); /* else bytes < 0x20 and > 0x7f are '?' */
	CHECK(irk_utf8_invalid("\xc2\x85\x01", 3) == 0 && irk_utf8_check("\xc2\x85", 2) == 1);
	irk_buf_release(&b);
}

TEST(encodings)
{
	uint8_t bin[4] = { 0xde, 0xad, 0xbe, 0xef }, back[8];
	char hex[9], b64[16];

	irk_hex(bin, 4, hex);
	CHECK_STR(hex, "deadbeef");
	CHECK(irk_unhex("DEADbeef", back, 4) == 0 && !memcmp(back, bin, 4));
	CHECK(irk_unhex("deadbee", back, 4) == -1);
	irk_b64(bin, 4, b64);
	CHECK_STR(b64, "3q2+7w==");
	CHECK(irk_unb64(b64, strlen(b64), back, sizeof(back)) == 4 && !memcmp(back, bin, 4));
	CHECK(irk_unb64("3q2+7w=", 7, back, sizeof(back)) == -1);
	CHECK(irk_unb64("!!!!", 4, back, sizeof(back)) == -1);
}

TEST(verifier_keys)
{
	uint8_t pk[32], pk2[32];
	char name[IRK_NAME_MAX];
	struct irk_buf v = IRK_BUF_INIT;

	for (int i = 0; i < 32; i++)
		pk[i] = (uint8_t)i;
	irk_vkey_format("alice@example.org", pk, &v);
	CHECK(irk_vkey_parse(v.buf, name, pk2, NULL) == IRK_OK);
	CHECK_STR(name, "alice@example.org");
	CHECK(!memcmp(pk, pk2, 32));
	v.buf[v.len - 3] ^= 1; /* damage the key: the hash no longer matches */
	CHECK(irk_vkey_parse(v.buf, name, pk2, NULL) != IRK_OK);
	CHECK(irk_vkey_parse("a+b+c", name, pk2, NULL) != IRK_OK);
	CHECK(irk_keyname_check("has space", NULL) != IRK_OK);
	irk_buf_release(&v);
}

int main(void)
{
	RUN(buf_invariants);
	RUN(time_forms);
	RUN(time_format_round_trip);
	RUN(calendar_matches_gmtime);
	RUN(utf8_checks);
	RUN(buf_add_int);
	RUN(json_strings_match_jansson);
	RUN(lossy_text);
	RUN(encodings);
	RUN(verifier_keys);
	return unit_done();
}
