/*
 * parse-access.c - Apache/nginx access logs, common and combined:
 *   HOST IDENT USER [dd/Mon/yyyy:hh:mm:ss +zzzz] "METHOD TARGET PROTO" STATUS BYTES ["REFERER" "AGENT"]
 * into src_ip, user, http.method, url, url.path, url.query, http.version,
 * http.status, http.bytes, http.referer, user_agent; see irk/logread.h.
 */
#include <string.h>

#include "irk/logread.h"
#include "irk/timefmt.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "17/May/2015:10:05:03 +0000" (26 bytes) */
static int clf_time(const char *s, size_t n, int64_t *ms)
{
	int d, y, h, mi, sec, tzh, tzm, mon = -1;

	if (n < 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' ||
	    s[20] != ' ' || (s[21] != '+' && s[21] != '-'))
		return -1;
	for (int i = 0; i < 12; i++)
		if (!memcmp(s + 3, months + 3 * i, 3))
			mon = i;
	if (mon < 0 || digits(s, 2, &d) || digits(s + 7, 4, &y) || digits(s + 12, 2, &h) ||
	    digits(s + 15, 2, &mi) || digits(s + 18, 2, &sec) || digits(s + 22, 2, &tzh) ||
	    digits(s + 24, 2, &tzm) || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	*ms = (irk_time_from_civil(y, mon + 1, d, h, mi, sec) -
	       (int64_t)(tzh * 60 + tzm) * (s[21] == '-' ? -60 : 60)) * 1000;
	return 0;
}

/* A quoted field at s[*i] ('"' ... '"', with \" escapes); sets [a, b) to its inside. */
static int quoted(const char *s, size_t n, size_t *i, size_t *a, size_t *b)
{
	if (*i >= n || s[*i] != '"')
		return -1;
	*a = ++*i;
	while (*i < n && s[*i] != '"') {
		if (s[*i] == '\\' && *i + 1 < n)
			++*i;
		++*i;
	}
	if (*i >= n)
		return -1;
	*b = (*i)++;
	return 0;
}

static size_t token(const char *s, size_t n, size_t *i)
{
	size_t a = *i;

	while (*i < n && s[*i] != ' ')
		++*i;
	return a;
}

static void skip_spaces(const char *s, size_t n, size_t *i)
{
	while (*i < n && s[*i] == ' ')
		++*i;
}

enum irk_code irk_log_parse_access(const char *s, size_t n, struct irk_event *ev,
				   struct irk_err *err)
{
	size_t i = 0, a, b, ra, rb, sp1, sp2;
	int64_t ms;

	a = token(s, n, &i);
	if (i == a || i >= n)
		return irk_fail(err, IRK_EINVAL, "no client address at the start of the access-log line");
	irk_event_set_id(ev, IRK_F_SRC_IP, s + a, i - a);
	skip_spaces(s, n, &i);
	token(s, n, &i); /* ident */
	skip_spaces(s, n, &i);
	a = token(s, n, &i);
	if (i - a && !(i - a == 1 && s[a] == '-'))
		irk_event_set_id(ev, IRK_F_USER, s + a, i - a);
	skip_spaces(s, n, &i);
	if (i >= n || s[i] != '[' || clf_time(s + i + 1, n - i - 1, &ms) || i + 27 >= n ||
	    s[i + 27] != ']')
		return irk_fail(err, IRK_EINVAL, "no [dd/Mon/yyyy:hh:mm:ss +zzzz] time in the access-log line");
	ev->time_ms = ms;
	ev->has_time = 1;
	i += 28;
	skip_spaces(s, n, &i);
	if (quoted(s, n, &i, &ra, &rb))
		return irk_fail(err, IRK_EINVAL, "no quoted request in the access-log line");
	/* "METHOD TARGET PROTO"; a garbage request ("\x16\x03...") keeps only the url */
	sp1 = ra;
	while (sp1 < rb && s[sp1] != ' ')
		sp1++;
	sp2 = rb;
	while (sp2 > sp1 && s[sp2 - 1] != ' ')
		sp2--;
	if (sp1 < rb && sp2 > sp1 + 1) {
		size_t q;
		irk_event_set_id(ev, IRK_F_HTTP_METHOD, s + ra, sp1 - ra);
		irk_event_set_id(ev, IRK_F_URL, s + sp1 + 1, sp2 - 1 - (sp1 + 1));
		for (q = sp1 + 1; q < sp2 - 1 && s[q] != '?'; q++)
			;
		irk_event_set_id(ev, IRK_F_URL_PATH, s + sp1 + 1, q - (sp1 + 1));
		if (q < sp2 - 1)
			irk_event_set_id(ev, IRK_F_URL_QUERY, s + q + 1, sp2 - 1 - (q + 1));
		irk_event_set_id(ev, IRK_F_HTTP_VERSION, s + sp2, rb - sp2);
	} else {
		irk_event_set_id(ev, IRK_F_URL, s + ra, rb - ra);
	}
	irk_event_set_id(ev, IRK_F_HTTP_REQUEST, s + ra, rb - ra);
	skip_spaces(s, n, &i);
	a = token(s, n, &i);
	if (i - a != 3 || s[a] < '1' || s[a] > '5')
		return irk_fail(err, IRK_EINVAL, "no three-digit status in the access-log line");
	irk_event_set_id(ev, IRK_F_HTTP_STATUS, s + a, 3);
	skip_spaces(s, n, &i);
	a = token(s, n, &i);
	if (i > a)
		irk_event_set_id(ev, IRK_F_HTTP_BYTES, s + a, i - a);
	skip_spaces(s, n, &i);
	if (!quoted(s, n, &i, &a, &b)) {
		if (!(b - a == 1 && s[a] == '-'))
			irk_event_set_id(ev, IRK_F_HTTP_REFERER, s + a, b - a);
		skip_spaces(s, n, &i);
		if (!quoted(s, n, &i, &a, &b))
			irk_event_set_id(ev, IRK_F_USER_AGENT, s + a, b - a);
	}
	irk_event_set_id(ev, IRK_F_MESSAGE, s + ra, rb - ra);
	ev->category = "webserver";
	return IRK_OK;
}
