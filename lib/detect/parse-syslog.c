/*
 * parse-syslog.c - syslog lines (RFC 3164 with and without a year, RFC 3339
 * timestamps, RFC 5424) into time, host, program, pid and message; see
 * irk/logread.h.  "message repeated N times: [ ... ]" is unwrapped, with
 * the count in the field "repeat".
 */
#include <endian.h>
#include <stdint.h>
#include <string.h>
#include "irk/bytes.h"
#include "irk/logread.h"
#include "irk/timefmt.h"

static int is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* The month (0-11) named by the three letters at s, or -1; every line asks, so no search. */
static int month_of(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int m;

	switch (s[0]) {
	case 'J': m = s[1] == 'a' ? 0 : s[2] == 'n' ? 5 : 6; break;
	case 'F': m = 1; break;
	case 'M': m = s[2] == 'r' ? 2 : 4; break;
	case 'A': m = s[1] == 'p' ? 3 : 7; break;
	case 'S': m = 8; break;
	case 'O': m = 9; break;
	case 'N': m = 10; break;
	case 'D': m = 11; break;
	default: return -1;
	}
	return s[1] == months[3 * m + 1] && s[2] == months[3 * m + 2] ? m : -1;
}

static int two(const char *s, int *v)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/*
 * "hh:mm:ss" at s (eight bytes are there): the seconds since midnight, or
 * -1.  Every line asks, so the eight bytes are checked as one word: a digit
 * is 0x30-0x39 (high nibble 3, and adding 6 keeps it so), a colon is 0x3a.
 */
static int clock_at(const char *s)
{
	const uint64_t digits = 0xf0f000f0f000f0f0ULL, threes = 0x3030003030003030ULL;
	const uint64_t colons = 0x0000ff0000ff0000ULL, colon = 0x00003a00003a0000ULL;
	uint64_t x;
	int h, mi, sec;

	x = le64toh(irk_load64(s)); /* byte 0 (s[0]) in the low bits */
	if ((x & digits) != threes || ((x + 0x0606000606000606ULL) & digits) != threes ||
	    (x & colons) != colon)
		return -1;
	h = (int)(x & 15) * 10 + (int)(x >> 8 & 15);
	mi = (int)(x >> 24 & 15) * 10 + (int)(x >> 32 & 15);
	sec = (int)(x >> 48 & 15) * 10 + (int)(x >> 56 & 15);
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	return h * 3600 + mi * 60 + sec;
}

/* The epoch seconds of a UTC date, remembered in the event: consecutive lines share their date. */
static int64_t date_secs(struct irk_event *ev, int year, int mon, int day)
{
	int64_t key = ((int64_t)year * 16 + mon) * 32 + day + 1;

	if (ev->memo_date[0] == key)
		return ev->memo_date_secs[0];
	if (ev->memo_date[1] == key)
		return ev->memo_date_secs[1];
	ev->memo_date[1] = ev->memo_date[0]; /* the older one goes */
	ev->memo_date_secs[1] = ev->memo_date_secs[0];
	ev->memo_date[0] = key;
	ev->memo_date_secs[0] = irk_time_from_civil(year, mon, day, 0, 0, 0);
	return ev->memo_date_secs[0];
}

static int now_year(struct irk_event *ev, int64_t now_ms)
{
	if (ev->memo_now_ms != now_ms || !ev->memo_now_year) {
		ev->memo_now_ms = now_ms;
		ev->memo_now_year = irk_time_year(now_ms);
	}
	return ev->memo_now_year;
}

/* The parts of a BSD timestamp: month 0-11, day, year (0: none), seconds of the day, ms. */
struct bsd_stamp {
	int mon, day, year, clock, frac;
};

/* "Mmm dd hh:mm:ss" or "Mmm dd yyyy hh:mm:ss" (with optional .frac) at s; returns bytes used. */
static inline size_t bsd_stamp(const char *s, size_t len, struct bsd_stamp *t)
{
	size_t i;

	t->year = t->frac = 0;
	if (len < 15 || (t->mon = month_of(s)) < 0 || s[3] != ' ')
		return 0;
	if (s[4] == ' ' && is_digit(s[5]))
		t->day = s[5] - '0';
	else if (two(s + 4, &t->day))
		return 0;
	i = 6;
	if (s[i] != ' ')
		return 0;
	i++;
	/* a year ("2025 ") or the hours ("07:"): the third byte tells them apart */
	if (len >= i + 13 && is_digit(s[i + 2]) && is_digit(s[i]) && is_digit(s[i + 1]) &&
	    is_digit(s[i + 3]) && s[i + 4] == ' ') {
		t->year = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 +
			  (s[i + 3] - '0');
		i += 5;
	}
	if (len < i + 8 || (t->clock = clock_at(s + i)) < 0 || t->day < 1 || t->day > 31)
		return 0;
	i += 8;
	if (i < len && s[i] == '.') {
		int d = 0;
		for (i++; i < len && is_digit(s[i]); i++, d++)
			if (d < 3)
				t->frac = t->frac * 10 + (s[i] - '0');
		for (; d < 3; d++)
			t->frac *= 10;
	}
	return i;
}

/* A BSD timestamp at s, and its time in *ms (0 when only checking); returns bytes used. */
static size_t bsd_time(const struct irk_log_opts *o, struct irk_event *ev, const char *s,
		       size_t len, int64_t *ms)
{
	struct bsd_stamp t;
	size_t used = bsd_stamp(s, len, &t);
	int year = t.year;

	*ms = 0;
	if (!used || ev->check_only)
		return used; /* well-formed or not; its value is not wanted */
	if (!year)
		year = o->year ? o->year : (o->now_ms ? now_year(ev, o->now_ms) : 1970);
	*ms = (date_secs(ev, year, t.mon + 1, t.day) + t.clock) * 1000LL + t.frac;
	/* A year-less line dated after tomorrow was written last year. */
	if (!t.year && !o->year && o->now_ms && *ms > o->now_ms + 86400000LL)
		*ms = (date_secs(ev, year - 1, t.mon + 1, t.day) + t.clock) * 1000LL + t.frac;
	return used;
}

static inline size_t word(const char *s, size_t len, size_t i, size_t *end)
{
	while (i < len && s[i] == ' ')
		i++;
	*end = i;
	while (*end < len && s[*end] != ' ')
		(*end)++;
	return i;
}

/* "prog[pid]:", "prog(module)[pid]:", "prog:" at the start of s; returns bytes used or 0. */
static size_t tag(struct irk_event *ev, const char *s, size_t len)
{
	size_t i = 0, pstart, pend, mstart = 0, mend = 0, pidstart = 0, pidend = 0;

	while (i < len && i < 64 && s[i] != ':' && s[i] != '[' && s[i] != '(' && s[i] != ' ')
		i++;
	if (i == 0 || i >= len)
		return 0;
	pstart = 0;
	pend = i;
	if (s[i] == '(') {
		mstart = i + 1;
		while (i < len && s[i] != ')' && s[i] != ' ')
			i++;
		if (i >= len || s[i] != ')')
			return 0;
		mend = i++;
	}
	if (i < len && s[i] == '[') {
		pidstart = i + 1;
		while (i < len && s[i] != ']')
			i++;
		if (i >= len)
			return 0;
		pidend = i++;
	}
	if (i >= len || s[i] != ':')
		return 0;
	i++;
	irk_event_set_id(ev, IRK_F_PROGRAM, s + pstart, pend - pstart);
	if (mend > mstart)
		irk_event_set_id(ev, IRK_F_MODULE, s + mstart, mend - mstart);
	if (pidend > pidstart)
		irk_event_set_id(ev, IRK_F_PID, s + pidstart, pidend - pidstart);
	if (i < len && s[i] == ' ')
		i++;
	return i;
}

/* Set the message (unwrapped, trimmed); *msg and *msg_len: where it is in the line. */
static void set_message(struct irk_event *ev, const char *m, size_t n, const char **msg,
			size_t *msg_len)
{
	static const char rep[] = "message repeated ";
	size_t k = sizeof(rep) - 1;

	while (n && (m[n - 1] == ' ' || m[n - 1] == '\r'))
		n--;
	if (n > k && !memcmp(m, rep, k) && is_digit(m[k])) {
		size_t i = k, d = k;
		while (i < n && is_digit(m[i]))
			i++;
		if (i + 10 <= n && !memcmp(m + i, " times: [ ", 10) && m[n - 1] == ']') {
			irk_event_set_id(ev, IRK_F_REPEAT, m + d, i - d);
			m += i + 10;
			n -= i + 10 + 1;
			while (n && m[n - 1] == ' ')
				n--;
		}
	}
	irk_event_set_id(ev, IRK_F_MESSAGE, m, n);
	*msg = m;
	*msg_len = n;
}

#define SERVICE(name) { name, sizeof(name) - 1 }
static const struct service {
	const char *name;
	size_t len;
} known_services[] = { SERVICE("sshd"), SERVICE("sudo"), SERVICE("su"), SERVICE("useradd"),
		       SERVICE("groupadd"), SERVICE("usermod"), SERVICE("userdel"),
		       SERVICE("groupdel"), SERVICE("gpasswd"), SERVICE("passwd"),
		       SERVICE("chpasswd"), SERVICE("cron"), SERVICE("CRON"),
		       SERVICE("systemd-logind"), SERVICE("login"), { NULL, 0 } };

static int is(const char *s, size_t len, const struct service *svc)
{
	return len == svc->len && s[0] == svc->name[0] && !memcmp(s, svc->name, len);
}

/* The service of a program: its name, or "sshd" for the split sshd programs (names containing "sshd"). */
static const char *service_of(const char *prog, size_t len)
{
	static const struct service split_sshd[] = { SERVICE("sshd-session"), SERVICE("sshd-auth") };

	if (is(prog, len, &split_sshd[0]) || is(prog, len, &split_sshd[1]))
		return known_services[0].name;
	for (int i = 0; known_services[i].name; i++)
		if (is(prog, len, &known_services[i]))
			return known_services[i].name;
	return NULL;
}

const char *irk_log_service_literal(const char *service)
{
	/* service_of() gives a service only to programs whose name contains it */
	for (int i = 0; known_services[i].name; i++)
		if (!strcmp(service, known_services[i].name))
			return known_services[i].name;
	return NULL;
}

int irk_log_syslog_fine(const char *s, size_t len)
{
	struct bsd_stamp t;
	size_t i;

	/* what irk_log_parse() checks of a line without a priority and with a BSD time */
	if (!len || len > IRK_LOG_LINE_MAX || s[0] == '<' || !(i = bsd_stamp(s, len, &t)))
		return 0;
	while (i < len && s[i] == ' ')
		i++;
	return i < len; /* a host name: a word after the spaces */
}

enum irk_code irk_log_parse_syslog(const struct irk_log_opts *o, const char *s, size_t len,
				   struct irk_event *ev, struct irk_err *err)
{
	size_t i = 0, e, used;
	int64_t ms;
	int rfc5424 = 0;
	const char *prog, *msg;
	size_t prog_len, msg_len;

	if (len && s[0] == '<') {
		size_t j = 1;
		while (j < len && j < 5 && is_digit(s[j]))
			j++;
		if (j == 1 || j >= len || s[j] != '>')
			return irk_fail(err, IRK_EINVAL, "a syslog priority is not closed");
		irk_event_set_id(ev, IRK_F_PRIORITY, s + 1, j - 1);
		i = j + 1;
		if (i + 1 < len && s[i] == '1' && s[i + 1] == ' ') {
			rfc5424 = 1;
			i += 2;
		}
	}
	if ((used = bsd_time(o, ev, s + i, len - i, &ms))) {
		i += used;
	} else {
		i = word(s, len, i, &e);
		if (rfc5424 && e - i == 1 && s[i] == '-') {
			ms = 0;
		} else if (irk_log_parse_iso_time(s + i, e - i, &ms)) {
			return irk_fail(err, IRK_EINVAL, "no syslog timestamp at the start of the line");
		}
		i = e;
	}
	if (ms || !rfc5424) {
		ev->time_ms = ms;
		ev->has_time = 1;
	}
	i = word(s, len, i, &e);
	if (e == i)
		return irk_fail(err, IRK_EINVAL, "no host name after the timestamp");
	if (ev->check_only && !rfc5424)
		return IRK_OK; /* nothing after the host can make a BSD line malformed */
	if (!(e - i == 1 && s[i] == '-'))
		irk_event_set_id(ev, IRK_F_HOST, s + i, e - i);
	i = e < len ? e + 1 : e;
	if (rfc5424) {
		size_t a, b;
		/* APP-NAME PROCID MSGID STRUCTURED-DATA MSG */
		a = word(s, len, i, &b);
		if (b > a && !(b - a == 1 && s[a] == '-'))
			irk_event_set_id(ev, IRK_F_PROGRAM, s + a, b - a);
		a = word(s, len, b, &b);
		if (b > a && !(b - a == 1 && s[a] == '-'))
			irk_event_set_id(ev, IRK_F_PID, s + a, b - a);
		a = word(s, len, b, &b);
		if (b > a && !(b - a == 1 && s[a] == '-'))
			irk_event_set_id(ev, IRK_F_MSGID, s + a, b - a);
		while (b < len && s[b] == ' ')
			b++;
		if (b < len && s[b] == '[') {
			/* structured data: skip bracketed elements, honouring \] escapes */
			while (b < len && s[b] == '[') {
				for (b++; b < len && s[b] != ']'; b++)
					if (s[b] == '\\' && b + 1 < len)
						b++;
				if (b >= len)
					return irk_fail(err, IRK_EINVAL, "structured data is not closed");
				b++;
			}
		} else if (b < len && s[b] == '-') {
			b++;
		}
		if (b < len && s[b] == ' ')
			b++;
		if (ev->check_only)
			return IRK_OK; /* the structured data was the last thing that could be malformed */
		if (len - b >= 3 && !memcmp(s + b, "\xef\xbb\xbf", 3))
			b += 3;
		set_message(ev, s + b, len - b, &msg, &msg_len);
	} else {
		used = tag(ev, s + i, len - i);
		set_message(ev, s + i + used, len - i - used, &msg, &msg_len);
	}
	ev->product = "linux";
	prog = irk_event_get_id(ev, IRK_F_PROGRAM, &prog_len);
	if (prog && (ev->service = service_of(prog, prog_len)))
		irk_log_extract_auth(ev, msg, msg_len);
	return IRK_OK;
}
