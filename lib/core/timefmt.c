/* timefmt.c - parsing and formatting times; see irk/timefmt.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "irk/timefmt.h"

int64_t irk_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t days_from_civil(int64_t y, int m, int d);

/* Write v as n decimal digits at p. */
static char *put_digits(char *p, int64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/* The civil date of a day count since 1970-01-01 (the inverse of days_from_civil). */
static void civil_from_days(int64_t days, int64_t *y, int64_t *m, int64_t *d)
{
	int64_t z = days + 719468, era = floor_div(z, 146097), doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* UTC text without the time zone machinery (this is on the path of every finding). */
static int utc_fast(int64_t ms, int with_ms, char *out)
{
	int64_t secs = floor_div(ms, 1000), frac = ms - secs * 1000;
	int64_t days = floor_div(secs, 86400), sod = secs - days * 86400;
	int64_t y, m, d;
	char *p = out;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return -1;
	p = put_digits(p, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p++ = 'T';
	p = put_digits(p, sod / 3600, 2);
	*p++ = ':';
	p = put_digits(p, sod / 60 % 60, 2);
	*p++ = ':';
	p = put_digits(p, sod % 60, 2);
	if (with_ms) {
		*p++ = '.';
		p = put_digits(p, frac, 3);
	}
	*p++ = 'Z';
	*p = '\0';
	return 0;
}

void irk_time_utc(int64_t ms, int with_ms, char out[IRK_TIME_MAX])
{
	time_t secs = (time_t)floor_div(ms, 1000);
	int frac = (int)(ms - (int64_t)secs * 1000);
	struct tm tm;

	if (!utc_fast(ms, with_ms, out))
		return;
	if (!gmtime_r(&secs, &tm)) {
		snprintf(out, IRK_TIME_MAX, "invalid-time");
		return;
	}
	if (with_ms)
		snprintf(out, IRK_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	else
		snprintf(out, IRK_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void irk_tz_format(int tz, char out[8])
{
	int a = tz < 0 ? -tz : tz;
	snprintf(out, 8, "%c%02d:%02d", tz < 0 ? '-' : '+', (a / 60) % 100, a % 60);
}

void irk_time_local(int64_t ms, int tz, char out[IRK_TIME_MAX])
{
	time_t secs = (time_t)floor_div(ms + (int64_t)tz * 60000, 1000);
	struct tm tm;
	char z[8];

	if (!gmtime_r(&secs, &tm)) {
		snprintf(out, IRK_TIME_MAX, "invalid-time");
		return;
	}
	irk_tz_format(tz, z);
	snprintf(out, IRK_TIME_MAX, "%04d-%02d-%02d %02d:%02d:%02d %s", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, z);
}

int irk_local_offset(int64_t ms)
{
	time_t secs = (time_t)floor_div(ms, 1000);
	struct tm tm;

	if (!localtime_r(&secs, &tm))
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t irk_time_from_civil(int64_t y, int mon, int64_t d, int64_t h, int64_t mi, int64_t s)
{
	return (days_from_civil(y, mon, 1) + d - 1) * 86400 + h * 3600 + mi * 60 + s;
}

int irk_time_year(int64_t ms)
{
	int64_t y, m, d;

	civil_from_days(floor_div(floor_div(ms, 1000), 86400), &y, &m, &d);
	return (int)y;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Read exactly n digits. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

enum irk_code irk_tz_parse(const char *s, int *tz, struct irk_err *err)
{
	const char *p = s;
	int sign, h, m;

	if (!strcmp(s, "Z") || !strcmp(s, "z") || !strcmp(s, "UTC")) {
		*tz = 0;
		return IRK_OK;
	}
	if (*p != '+' && *p != '-')
		goto bad;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &h))
		goto bad;
	if (*p == ':')
		p++;
	if (digits(&p, 2, &m) || *p || h > 23 || m > 59)
		goto bad;
	*tz = sign * (h * 60 + m);
	return IRK_OK;
bad:
	return irk_fail(err, IRK_EINVAL, "'%s' is not a UTC offset (write it like +01:00, -0500 or Z)",
			s);
}

struct parsed {
	int have_date, y, mo, d;
	int h, mi, sec, ms;
	int have_tz, tz;
};

/* Parse "HH:MM[:SS[.fff]]". */
static int parse_clock(const char **pp, struct parsed *t)
{
	const char *p = *pp;

	if (digits(&p, 2, &t->h) || *p++ != ':' || digits(&p, 2, &t->mi))
		return -1;
	t->sec = t->ms = 0;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &t->sec))
			return -1;
		if (*p == '.' || *p == ',') {
			int n = 0, scale = 100;
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			while (isdigit((unsigned char)*p)) {
				if (n < 3)
					t->ms += (*p - '0') * scale, scale /= 10;
				n++;
				p++;
			}
		}
	}
	if (t->h > 23 || t->mi > 59 || t->sec > 60)
		return -1;
	if (t->sec == 60)
		t->sec = 59; /* a leap second is kept at :59.999 */
	*pp = p;
	return 0;
}

static int parse_form(const char *s, struct parsed *t)
{
	const char *p = s;

	memset(t, 0, sizeof(*t));
	if (strlen(s) >= 10 && s[4] == '-') {
		if (digits(&p, 4, &t->y) || *p++ != '-' || digits(&p, 2, &t->mo) || *p++ != '-' ||
		    digits(&p, 2, &t->d))
			return -1;
		if (t->mo < 1 || t->mo > 12 || t->d < 1 || t->d > days_in_month(t->y, t->mo))
			return -1;
		t->have_date = 1;
		if (!*p)
			return 0;
		if (*p != 'T' && *p != 't' && *p != ' ')
			return -1;
		p++;
	}
	if (parse_clock(&p, t))
		return -1;
	while (*p == ' ')
		p++;
	if (*p) {
		if (irk_tz_parse(p, &t->tz, NULL) != IRK_OK)
			return -1;
		t->have_tz = 1;
	}
	return 0;
}

static int64_t instant(const struct parsed *t, int tz)
{
	int64_t days = days_from_civil(t->y, t->mo, t->d);
	int64_t secs = days * 86400 + t->h * 3600 + t->mi * 60 + t->sec - (int64_t)tz * 60;
	return secs * 1000 + t->ms;
}

/* The instant for a local wall-clock time: the offset depends on the instant. */
static int64_t local_instant(const struct parsed *t, int *tz)
{
	int guess = irk_local_offset(instant(t, 0));
	int64_t ms = instant(t, guess);
	*tz = irk_local_offset(ms);
	if (*tz != guess)
		ms = instant(t, *tz);
	return ms;
}

enum irk_code irk_time_parse(const char *s, int64_t now_ms, int64_t *ms, int *tz_minutes,
			     struct irk_err *err)
{
	struct parsed t;
	int tz;

	if (parse_form(s, &t))
		return irk_fail(err, IRK_EINVAL,
				"'%s' is not a time irk understands (try 2026-11-21T14:05:00Z, "
				"'2026-11-21 14:05 +0100' or 14:05)",
				s);
	if (!t.have_date) {
		/* Today in the stated zone (or the local one). */
		int zone = t.have_tz ? t.tz : irk_local_offset(now_ms);
		time_t secs = (time_t)floor_div(now_ms + (int64_t)zone * 60000, 1000);
		struct tm tm;
		gmtime_r(&secs, &tm);
		t.y = tm.tm_year + 1900;
		t.mo = tm.tm_mon + 1;
		t.d = tm.tm_mday;
	}
	if (t.have_tz) {
		tz = t.tz;
		*ms = instant(&t, tz);
	} else {
		*ms = local_instant(&t, &tz);
	}
	if (!t.have_date && *ms > now_ms + 60000) {
		/* A bare time later than now: the responder means yesterday. */
		*ms -= 86400000;
		if (!t.have_tz)
			tz = irk_local_offset(*ms);
	}
	*tz_minutes = tz;
	return IRK_OK;
}

enum irk_code irk_time_parse_utc(const char *s, int64_t *ms, struct irk_err *err)
{
	struct parsed t;
	size_t n = strlen(s);

	if (n < 20 || s[10] != 'T' || s[n - 1] != 'Z' || parse_form(s, &t) || !t.have_date ||
	    !t.have_tz || t.tz != 0)
		return irk_fail(err, IRK_EINVAL, "'%s' is not an RFC 3339 UTC time", s);
	*ms = instant(&t, 0);
	return IRK_OK;
}

void irk_duration(int64_t s, char out[32])
{
	const char *sign = s < 0 ? "-" : "";
	if (s < 0)
		s = -s;
	if (s >= 86400)
		snprintf(out, 32, "%s%lldd %lldh", sign, (long long)(s / 86400),
			 (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(out, 32, "%s%lldh %02lldm", sign, (long long)(s / 3600),
			 (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(out, 32, "%s%lldm", sign, (long long)(s / 60));
	else
		snprintf(out, 32, "%s%llds", sign, (long long)s);
}
