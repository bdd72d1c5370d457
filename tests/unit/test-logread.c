/* test-logread.c - the log parsers and the auth field extraction. */
#include "irk/logread.h"
#include "irk/timefmt.h"
#include "unit.h"

static struct irk_event ev;

static int parse(enum irk_log_format f, const char *line)
{
	struct irk_log_opts o = { 0 };
	struct irk_err err = IRK_ERR_INIT;

	o.format = f;
	o.year = 2026;
	return irk_log_parse(&o, line, strlen(line), &ev, &err) == IRK_OK;
}

static const char *get(const char *name)
{
	return irk_event_get(&ev, name, NULL);
}

static const char *when(void)
{
	static char t[IRK_TIME_MAX];
	irk_time_utc(ev.time_ms, 1, t);
	return t;
}

TEST(rfc3164_without_and_with_year)
{
	CHECK(parse(IRK_LOG_AUTO, "Nov  2 03:04:05 host1 sshd[42]: Server listening on 0.0.0.0 port 22."));
	CHECK_STR(when(), "2026-11-02T03:04:05.000Z");
	CHECK_STR(get("host"), "host1");
	CHECK_STR(get("program"), "sshd");
	CHECK_STR(get("pid"), "42");
	CHECK_STR(get("message"), "Server listening on 0.0.0.0 port 22.");
	CHECK(parse(IRK_LOG_SYSLOG, "Nov 21 2024 10:11:12 h cron: job"));
	CHECK_STR(when(), "2024-11-21T10:11:12.000Z");
	CHECK_STR(get("program"), "cron");
	CHECK(get("pid") == NULL);
}

TEST(year_guess_uses_last_year_for_future_dates)
{
	struct irk_log_opts o = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	const char *l = "Dec 10 06:55:46 LabSZ sshd[24200]: x";
	int64_t now;

	CHECK(irk_time_parse_utc("2026-11-21T00:00:00Z", &now, NULL) == IRK_OK);
	o.now_ms = now;
	CHECK(irk_log_parse(&o, l, strlen(l), &ev, &err) == IRK_OK);
	CHECK_STR(when(), "2025-12-10T06:55:46.000Z");
}

TEST(high_precision_and_rfc5424)
{
	CHECK(parse(IRK_LOG_AUTO, "2026-11-21T10:00:00.123456+01:00 web sshd-session[7]: Accepted publickey for bob from 192.0.2.1 port 5000 ssh2: ED25519 SHA256:x"));
	CHECK_STR(when(), "2026-11-21T09:00:00.123Z");
	CHECK_STR(get("program"), "sshd-session");
	CHECK(ev.service && !strcmp(ev.service, "sshd"));
	CHECK_STR(get("action"), "login");
	CHECK_STR(get("outcome"), "success");
	CHECK_STR(get("auth_method"), "publickey");
	CHECK(parse(IRK_LOG_AUTO, "<34>1 2026-11-21T10:00:00Z mymachine su 77 ID47 [exampleSDID@32473 iut=\"3\" x=\"a\\]b\"] 'su root' failed for lonvick on /dev/pts/8"));
	CHECK_STR(when(), "2026-11-21T10:00:00.000Z");
	CHECK_STR(get("priority"), "34");
	CHECK_STR(get("host"), "mymachine");
	CHECK_STR(get("program"), "su");
	CHECK_STR(get("pid"), "77");
	CHECK_STR(get("msgid"), "ID47");
	CHECK_STR(get("message"), "'su root' failed for lonvick on /dev/pts/8");
}

TEST(pam_module_tag_and_repeats)
{
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h sshd(pam_unix)[99]: authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root"));
	CHECK_STR(get("program"), "sshd");
	CHECK_STR(get("module"), "pam_unix");
	CHECK_STR(get("pid"), "99");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h sshd[1]: message repeated 4 times: [ Failed password for root from 203.0.113.5 port 1 ssh2]"));
	CHECK_STR(get("repeat"), "4");
	CHECK_STR(get("message"), "Failed password for root from 203.0.113.5 port 1 ssh2");
	CHECK_STR(get("src_ip"), "203.0.113.5");
}

TEST(sshd_extraction)
{
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h sshd[1]: Failed password for invalid user admin from 2001:db8::5 port 22 ssh2"));
	CHECK_STR(get("action"), "login");
	CHECK_STR(get("outcome"), "failure");
	CHECK_STR(get("user"), "admin");
	CHECK_STR(get("invalid_user"), "true");
	CHECK_STR(get("src_ip"), "2001:db8::5");
	CHECK_STR(get("src_port"), "22");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h sshd[1]: Invalid user oracle from 198.51.100.2 port 4444"));
	CHECK_STR(get("action"), "invalid_user");
	CHECK_STR(get("user"), "oracle");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.3  user=root"));
	CHECK_STR(get("action"), "pam_auth");
	CHECK_STR(get("src_ip"), "198.51.100.3");
	CHECK_STR(get("user"), "root");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h sshd[1]: Connection closed by authenticating user root 198.51.100.4 port 5 [preauth]"));
	CHECK_STR(get("action"), "disconnect");
	CHECK_STR(get("src_ip"), "198.51.100.4");
}

/* every message template fits the matcher (a longer one would never match) */
TEST(auth_templates_fit)
{
	CHECK(irk_log_auth_unfit() == 0);
}

TEST(sudo_su_and_account_tools)
{
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/vi /etc/ssh/sshd_config"));
	CHECK_STR(get("action"), "sudo");
	CHECK_STR(get("outcome"), "success");
	CHECK_STR(get("user"), "alice");
	CHECK_STR(get("target_user"), "root");
	CHECK_STR(get("command"), "/usr/bin/vi /etc/ssh/sshd_config");
	CHECK_STR(get("pwd"), "/home/alice");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h sudo:    mallory : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh"));
	CHECK_STR(get("outcome"), "failure");
	CHECK_STR(get("reason"), "3 incorrect password attempts");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h su[5]: FAILED SU (to root) bob on pts/2"));
	CHECK_STR(get("action"), "su");
	CHECK_STR(get("outcome"), "failure");
	CHECK_STR(get("user"), "bob");
	CHECK_STR(get("target_user"), "root");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h su[5]: (to root) bob on pts/2"));
	CHECK_STR(get("outcome"), "success");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h useradd[6]: new user: name=eve, UID=1002, GID=1002, home=/home/eve, shell=/bin/bash, from=/dev/pts/0"));
	CHECK_STR(get("action"), "user_add");
	CHECK_STR(get("target_user"), "eve");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h groupadd[6]: new group: name=ops, GID=1003"));
	CHECK_STR(get("action"), "group_add");
	CHECK_STR(get("group"), "ops");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h usermod[7]: add 'eve' to group 'sudo'"));
	CHECK_STR(get("action"), "group_member_add");
	CHECK_STR(get("group"), "sudo");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h gpasswd[8]: user eve added by root to group docker"));
	CHECK_STR(get("group"), "docker");
	CHECK(parse(IRK_LOG_AUTO, "Nov 21 10:00:00 h passwd[9]: pam_unix(passwd:chauthtok): password changed for eve"));
	CHECK_STR(get("action"), "password_change");
	CHECK_STR(get("target_user"), "eve");
}

TEST(access_logs)
{
	CHECK(parse(IRK_LOG_AUTO, "192.0.2.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a.gif?x=1 HTTP/1.0\" 200 2326"));
	CHECK_STR(when(), "2000-10-10T20:55:36.000Z");
	CHECK_STR(get("src_ip"), "192.0.2.1");
	CHECK_STR(get("user"), "frank");
	CHECK_STR(get("http.method"), "GET");
	CHECK_STR(get("url"), "/a.gif?x=1");
	CHECK_STR(get("url.path"), "/a.gif");
	CHECK_STR(get("url.query"), "x=1");
	CHECK_STR(get("http.status"), "200");
	CHECK_STR(get("http.bytes"), "2326");
	CHECK(ev.category && !strcmp(ev.category, "webserver"));
	CHECK(parse(IRK_LOG_AUTO, "2001:db8::1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 404 - \"http://r/\" \"curl/8 \\\"q\\\"\""));
	CHECK_STR(get("http.referer"), "http://r/");
	CHECK_STR(get("user_agent"), "curl/8 \\\"q\\\"");
	CHECK(!parse(IRK_LOG_ACCESS, "192.0.2.1 - - [bad time] \"GET / HTTP/1.1\" 200 1"));
}

TEST(json_lines)
{
	CHECK(parse(IRK_LOG_AUTO, "{\"@timestamp\":\"2026-11-21T10:00:00Z\",\"http\":{\"request\":{\"method\":\"POST\"},\"response\":{\"status_code\":503}},\"tags\":[\"a\",\"b\"],\"n\":null,\"ok\":true,\"trace\":{\"id\":\"abc\"},\"source\":{\"ip\":\"192.0.2.9\"}}"));
	CHECK_STR(when(), "2026-11-21T10:00:00.000Z");
	CHECK_STR(get("http.request.method"), "POST");
	CHECK_STR(get("http.response.status_code"), "503");
	CHECK_STR(get("tags.1"), "b");
	CHECK(get("n") == NULL);
	CHECK_STR(get("ok"), "true");
	CHECK_STR(get("trace_id"), "abc");
	CHECK_STR(get("src_ip"), "192.0.2.9");
	CHECK(parse(IRK_LOG_JSON, "{\"ts\":1763719200,\"msg\":\"hi\"}"));
	CHECK_STR(when(), "2025-11-21T10:00:00.000Z");
	CHECK_STR(get("message"), "hi");
	CHECK(!parse(IRK_LOG_JSON, "{\"a\":"));
	CHECK(!parse(IRK_LOG_JSON, "[1,2]"));
}

TEST(configured_time_and_trace_fields)
{
	struct irk_log_opts o = { 0 };
	struct irk_err err = IRK_ERR_INIT;
	const char *l = "{\"when\":\"2026-01-02T03:04:05Z\",\"time\":\"1999-01-01T00:00:00Z\",\"rid\":\"r-1\"}";

	o.time_field = "when";
	o.trace_field = "rid";
	CHECK(irk_log_parse(&o, l, strlen(l), &ev, &err) == IRK_OK);
	CHECK_STR(when(), "2026-01-02T03:04:05.000Z");
	CHECK_STR(get("trace_id"), "r-1");
}

TEST(event_values_survive_the_arena_growing)
{
	struct irk_event e;
	char big[9000];
	const char *v, *host;
	size_t n;

	irk_event_init(&e);
	memset(big, 'x', sizeof(big));
	irk_event_sets_id(&e, IRK_F_HOST, "h1");
	irk_event_sets(&e, "a.b", "named");
	irk_event_set_const_id(&e, IRK_F_ACTION, "login", 5);
	host = irk_event_get_id(&e, IRK_F_HOST, NULL);
	/* far more than the arena's first room: it moves, the values with it */
	irk_event_set_id(&e, IRK_F_MESSAGE, big, sizeof(big));
	CHECK_STR(irk_event_get_id(&e, IRK_F_HOST, NULL), "h1");
	CHECK_STR(irk_event_get(&e, "a.b", NULL), "named");
	CHECK_STR(irk_event_get_id(&e, IRK_F_ACTION, NULL), "login");
	CHECK(irk_event_get_id(&e, IRK_F_HOST, NULL) != host || e.arena.alloc == 0);
	/* a value set from another field's value, while the arena moves again */
	for (int i = 0; i < 8; i++) {
		v = irk_event_get_id(&e, IRK_F_MESSAGE, &n);
		irk_event_set_id(&e, IRK_F_COMMAND, v, n);
		CHECK(irk_event_get_id(&e, IRK_F_COMMAND, &n) && n == sizeof(big));
	}
	v = irk_event_get_id(&e, IRK_F_COMMAND, &n);
	CHECK(v && v[0] == 'x' && v[n - 1] == 'x' && v[n] == '\0');
	/* a named field whose name's copy moves the arena keeps its value */
	irk_event_release(&e);
	irk_event_init(&e);
	n = e.arena.alloc - 2; /* the value fills the room; the name needs more */
	CHECK(n < sizeof(big));
	irk_event_set(&e, "some.name", big, n);
	v = irk_event_get(&e, "some.name", &n);
	CHECK(v && n == e.arena.alloc / 2 - 2 && v[0] == 'x' && v[n - 1] == 'x' && !v[n]);
	CHECK_STR(irk_event_name(&e, 0), "some.name");
	irk_event_release(&e);
}

TEST(garbage_is_malformed_not_fatal)
{
	CHECK(!parse(IRK_LOG_SYSLOG, "hello world"));
	CHECK(!parse(IRK_LOG_SYSLOG, "<12"));
	CHECK(!parse(IRK_LOG_SYSLOG, ""));
	CHECK(!parse(IRK_LOG_ACCESS, "1.2.3.4"));
}

/* The quick check never passes a line the parser finds malformed: every one-byte change of good lines. */
TEST(quick_syslog_check_agrees_with_the_parser)
{
	static const char *const good[] = {
		"Dec 10 07:07:38 LabSZ sshd[24206]: Failed password for root from 1.2.3.4 port 22 ssh2",
		"Mar  3 23:59:60 h x", "Jan 31 2025 00:00:00 host su: ok", "Jul  9 12:34:56.789123 h m",
	};
	static const char bytes[] = " :.0123456789-<>JanDecx\t";
	int passed = 0;

	for (size_t g = 0; g < sizeof(good) / sizeof(good[0]); g++) {
		char line[128];
		size_t n = strlen(good[g]);
		CHECK(irk_log_syslog_fine(good[g], n));
		CHECK(parse(IRK_LOG_SYSLOG, good[g]));
		for (size_t at = 0; at < n && at < 40; at++)
			for (size_t b = 0; b < sizeof(bytes) - 1; b++) {
				memcpy(line, good[g], n + 1);
				line[at] = bytes[b];
				for (size_t cut = n; cut >= n - 2 && cut > 0; cut--) {
					line[cut] = '\0';
					if (irk_log_syslog_fine(line, cut)) {
						passed++;
						CHECK(parse(IRK_LOG_SYSLOG, line));
					}
				}
			}
	}
	CHECK(passed > 100);
	/* lines it leaves to the parser: a priority, an ISO time, no host, a bad clock */
	CHECK(!irk_log_syslog_fine("<13>Dec 10 07:07:38 h m", 23));
	CHECK(!irk_log_syslog_fine("2025-12-10T07:07:38Z h m", 24));
	CHECK(!irk_log_syslog_fine("Dec 10 07:07:38   ", 18));
	CHECK(!irk_log_syslog_fine("Dec 10 24:07:38 h m", 19));
	CHECK(!irk_log_syslog_fine("Dec 32 07:07:38 h m", 19));
}

int main(void)
{
	irk_event_init(&ev);
	RUN(rfc3164_without_and_with_year);
	RUN(quick_syslog_check_agrees_with_the_parser);
	RUN(year_guess_uses_last_year_for_future_dates);
	RUN(high_precision_and_rfc5424);
	RUN(pam_module_tag_and_repeats);
	RUN(sshd_extraction);
	RUN(auth_templates_fit);
	RUN(sudo_su_and_account_tools);
	RUN(access_logs);
	RUN(json_lines);
	RUN(configured_time_and_trace_fields);
	RUN(garbage_is_malformed_not_fatal);
	RUN(event_values_survive_the_arena_growing);
	irk_event_release(&ev);
	return unit_done();
}
