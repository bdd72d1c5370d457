/* logread.c - format names, guessing, dispatch, ISO times and the file reader; see irk/logread.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "irk/logread.h"
#include "irk/timefmt.h"

static const char *const format_names[] = { "auto", "syslog", "access", "json" };

int irk_log_format_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, format_names[i]))
			return i;
	return -1;
}

const char *irk_log_format_name(enum irk_log_format f)
{
	return (unsigned)f < 4 ? format_names[f] : "?";
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum irk_log_format irk_log_guess(const char *line, size_t len)
{
	size_t i = 0;

	if (len && line[0] >= 'A' && line[0] <= 'Z')
		return IRK_LOG_SYSLOG; /* the usual line ("Mar  3 ..."): neither JSON nor an address */
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i < len && line[i] == '{')
		return IRK_LOG_JSON;
	/* An access log starts with a client address or name, then " - " or " user " and "[". */
	if (i < len && (is_digit(line[i]) || line[i] == ':' || (line[i] >= 'a' && line[i] <= 'f'))) {
		const char *sp = memchr(line + i, ' ', len - i);
		if (sp && (size_t)(sp - line) < len) {
			const char *br = memchr(sp, '[', len - (size_t)(sp - line));
			/* "1.2.3.4 - - [" : the bracket comes within two short words */
			if (br && br - sp < 80 && memchr(sp, '"', len - (size_t)(sp - line)) &&
			    !(len - i > 4 && is_digit(line[i]) && is_digit(line[i + 1]) &&
			      is_digit(line[i + 2]) && is_digit(line[i + 3]) && line[i + 4] == '-'))
				return IRK_LOG_ACCESS;
		}
	}
	return IRK_LOG_SYSLOG;
}

enum irk_code irk_log_parse(const struct irk_log_opts *o, const char *line, size_t len,
			    struct irk_event *ev, struct irk_err *err)
{
	enum irk_log_format f = o->format ? o->format : irk_log_guess(line, len);

	irk_event_reset(ev);
	ev->raw = line;
	ev->raw_len = len;
	if (len > IRK_LOG_LINE_MAX)
		return irk_fail(err, IRK_EINVAL, "the line is longer than %d bytes", IRK_LOG_LINE_MAX);
	switch (f) {
	case IRK_LOG_ACCESS:
		return irk_log_parse_access(line, len, ev, err);
	case IRK_LOG_JSON:
		return irk_log_parse_json(o, line, len, ev, err);
	default:
		return irk_log_parse_syslog(o, line, len, ev, err);
	}
}

enum irk_field_kind irk_log_field_kind(enum irk_log_format f, int id)
{
	/* Keep in step with the parsers: tests/unit/test-prefilter.c checks every sample line. */
	static const signed char syslog_verbatim[] = {
		IRK_F_HOST, IRK_F_PROGRAM, IRK_F_MODULE, IRK_F_PID, IRK_F_PRIORITY, IRK_F_MSGID,
		IRK_F_MESSAGE, IRK_F_REPEAT, IRK_F_USER, IRK_F_SRC_IP, IRK_F_SRC_PORT, IRK_F_SRC_HOST,
		IRK_F_AUTH_METHOD, IRK_F_TARGET_USER, IRK_F_GROUP, IRK_F_TARGET_GROUP, IRK_F_TTY,
		IRK_F_PWD, IRK_F_COMMAND, IRK_F_REASON, IRK_F_RUSER, IRK_F_LOGNAME, -1
	};
	static const signed char syslog_derived[] = { IRK_F_ACTION, IRK_F_OUTCOME, IRK_F_INVALID_USER,
						      -1 };
	static const signed char access_verbatim[] = {
		IRK_F_SRC_IP, IRK_F_USER, IRK_F_HTTP_METHOD, IRK_F_URL, IRK_F_URL_PATH, IRK_F_URL_QUERY,
		IRK_F_HTTP_VERSION, IRK_F_HTTP_REQUEST, IRK_F_HTTP_STATUS, IRK_F_HTTP_BYTES,
		IRK_F_HTTP_REFERER, IRK_F_USER_AGENT, IRK_F_MESSAGE, -1
	};
	const signed char *verbatim = f == IRK_LOG_SYSLOG ? syslog_verbatim
				      : f == IRK_LOG_ACCESS ? access_verbatim : NULL;

	if (!verbatim)
		return IRK_FIELD_UNKNOWN;
	for (int i = 0; verbatim[i] >= 0; i++)
		if (verbatim[i] == id)
			return IRK_FIELD_VERBATIM;
	for (int i = 0; f == IRK_LOG_SYSLOG && syslog_derived[i] >= 0; i++)
		if (syslog_derived[i] == id)
			return IRK_FIELD_DERIVED;
	return IRK_FIELD_ABSENT;
}

static int num(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int irk_log_parse_iso_time(const char *s, size_t len, int64_t *ms)
{
	int y, mo, d, h, mi, sec, frac = 0, tz = 0;
	size_t i = 19;

	if (len < 19 || num(s, 4, &y) || s[4] != '-' || num(s + 5, 2, &mo) || s[7] != '-' ||
	    num(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') ||
	    num(s + 11, 2, &h) || s[13] != ':' || num(s + 14, 2, &mi) || s[16] != ':' ||
	    num(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		int digits = 0;
		for (i++; i < len && is_digit(s[i]); i++, digits++)
			if (digits < 3)
				frac = frac * 10 + (s[i] - '0');
		if (!digits)
			return -1;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i + 5 <= len && (s[i] == '+' || s[i] == '-')) {
		int th, tm2;
		if (num(s + i + 1, 2, &th))
			return -1;
		if (s[i + 3] == ':') {
			if (i + 6 > len || num(s + i + 4, 2, &tm2))
				return -1;
		} else if (num(s + i + 3, 2, &tm2)) {
			return -1;
		}
		tz = (th * 60 + tm2) * (s[i] == '-' ? -1 : 1);
	}
	*ms = (irk_time_from_civil(y, mo, d, h, mi, sec) - (int64_t)tz * 60) * 1000 + frac;
	return 0;
}

struct irk_log_reader {
	gzFile gz;
	char *path;
};

enum irk_code irk_log_reader_open(const char *path, struct irk_log_reader **out,
				  struct irk_err *err)
{
	struct irk_log_reader *r;
	gzFile gz;

	if (!strcmp(path, "-")) {
		int fd = dup(0);
		gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
	} else {
		gz = gzopen(path, "rb");
	}
	if (!gz) {
		int e = errno;
		irk_fail(err, e == ENOENT ? IRK_ENOTFOUND : IRK_EIO, "cannot open %s: %s",
			 strcmp(path, "-") ? path : "standard input", strerror(e));
		return err ? err->code : IRK_EIO;
	}
	gzbuffer(gz, 256 * 1024);
	r = irk_calloc(1, sizeof(*r));
	r->gz = gz;
	r->path = irk_strdup(path);
	*out = r;
	return IRK_OK;
}

enum irk_code irk_log_reader_read(struct irk_log_reader *r, char *buf, size_t max, size_t *got,
				  struct irk_err *err)
{
	size_t total = 0;

	while (total < max) {
		unsigned want = max - total > (1u << 30) ? (1u << 30) : (unsigned)(max - total);
		int n = gzread(r->gz, buf + total, want);
		if (n < 0) {
			int e;
			const char *m = gzerror(r->gz, &e);
			return irk_fail(err, IRK_EIO, "reading %s: %s", r->path,
					e == Z_ERRNO ? strerror(errno) : m);
		}
		if (n == 0)
			break;
		total += (size_t)n;
	}
	*got = total;
	return IRK_OK;
}

void irk_log_reader_close(struct irk_log_reader *r)
{
	if (!r)
		return;
	gzclose(r->gz);
	free(r->path);
	free(r);
}
