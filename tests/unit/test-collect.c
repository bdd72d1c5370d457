/*
 * test-collect.c - the parsers of live collection, on known lines: what
 * /proc/net and utmp hold, decoded to the values ss(8) and last(1) show.
 */
#include <arpa/inet.h>
#include <string.h>
#include <utmp.h>

#include "irk/collect.h"
#include "unit.h"

TEST(tcp_listen_v4)
{
	struct irk_sock s;

	CHECK(irk_procnet_parse_inet("   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 "
				     "00:00000000 00000000     0        0 12345 1 0000000000000000 "
				     "100 0 0 10 0", "tcp", &s, NULL) == IRK_OK);
	CHECK_STR(s.local, "127.0.0.1");
	CHECK(s.lport == 631);
	CHECK_STR(s.state, "LISTEN");
	CHECK(s.uid == 0);
	CHECK(s.inode == 12345);
}

TEST(tcp6_and_udp)
{
	struct irk_sock s;

	CHECK(irk_procnet_parse_inet("   0: 00000000000000000000000001000000:0016 "
				     "00000000000000000000000000000000:0000 0A 00000000:00000000 "
				     "00:00000000 00000000  1000        0 34567 1", "tcp6", &s,
				     NULL) == IRK_OK);
	CHECK_STR(s.local, "::1");
	CHECK(s.lport == 22 && s.uid == 1000 && s.inode == 34567);
	CHECK(irk_procnet_parse_inet("  5: 3500007F:0035 00000000:0000 07 00000000:00000000 "
				     "00:00000000 00000000   101        0 45678 2", "udp", &s,
				     NULL) == IRK_OK);
	CHECK_STR(s.local, "127.0.0.53");
	CHECK_STR(s.state, "UNCONN");
}

TEST(malformed_lines_are_refused)
{
	struct irk_sock s;
	struct irk_unix_sock u;

	CHECK(irk_procnet_parse_inet("", "tcp", &s, NULL) == IRK_EINVAL);
	CHECK(irk_procnet_parse_inet("  sl  local_address rem_address", "tcp", &s, NULL) == IRK_EINVAL);
	CHECK(irk_procnet_parse_inet("   0: 0100007F:FFFFF 00000000:0000 0A", "tcp", &s, NULL) == IRK_EINVAL);
	CHECK(irk_procnet_parse_inet("   0: 0100007F:0016 00000000:0000 0A 0:0 0:0 0", "tcp", &s,
				     NULL) == IRK_EINVAL);
	CHECK(irk_procnet_parse_unix("Num RefCount Protocol Flags Type St Inode Path", &u, NULL) ==
	      IRK_EINVAL);
}

TEST(unix_sockets)
{
	struct irk_unix_sock u;

	CHECK(irk_procnet_parse_unix("0000000000000000: 00000002 00000000 00010000 0001 01 56789 "
				     "/run/systemd/private", &u, NULL) == IRK_OK);
	CHECK(u.listening && u.inode == 56789);
	CHECK_STR(u.type, "stream");
	CHECK_STR(u.path, "/run/systemd/private");
	CHECK(irk_procnet_parse_unix("0000000000000000: 00000003 00000000 00000000 0002 03 7", &u,
				     NULL) == IRK_OK);
	CHECK(!u.listening && u.path[0] == '\0');
	CHECK_STR(u.type, "dgram");
	CHECK_STR(u.state, "connected");
}

static void keep(const struct irk_utmp_rec *r, void *arg)
{
	memcpy(arg, r, sizeof(*r));
}

TEST(utmp_records)
{
	struct utmp u[2];
	struct irk_utmp_rec r;
	char buf[sizeof(u) + 3];

	memset(u, 0, sizeof(u));
	u[0].ut_type = USER_PROCESS;
	u[0].ut_pid = 4242;
	memcpy(u[0].ut_user, "alice-has-a-name-of-exactly-32ch", 32); /* no NUL: the field is full */
	strcpy(u[0].ut_line, "pts/0");
	strcpy(u[0].ut_host, "203.0.113.7");
	u[0].ut_tv.tv_sec = 1790000000;
	inet_pton(AF_INET, "203.0.113.7", &u[0].ut_addr_v6[0]);
	u[1] = u[0];
	u[1].ut_type = LOGIN_PROCESS;
	inet_pton(AF_INET6, "2001:db8::1", u[1].ut_addr_v6);
	memset(&r, 0, sizeof(r));
	CHECK(irk_utmp_parse(u, sizeof(u[0]), keep, &r, NULL) == IRK_OK);
	CHECK_STR(r.user, "alice-has-a-name-of-exactly-32ch");
	CHECK_STR(r.type_name, "user");
	CHECK_STR(r.addr, "203.0.113.7");
	CHECK(r.pid == 4242 && r.time_us == 1790000000LL * 1000000);
	memcpy(buf, u, sizeof(u));
	CHECK(irk_utmp_parse(buf, sizeof(buf), keep, &r, NULL) == IRK_EINVAL);
	CHECK_STR(r.addr, "2001:db8::1"); /* the whole records were still delivered */
	CHECK_STR(r.type_name, "login");
}

TEST(json_bytes_escapes_what_is_not_utf8)
{
	json_t *j = irk_json_bytes("ok \xc3\xa9 \xff\xfe", 8);

	CHECK_STR(json_string_value(j), "ok \xc3\xa9 \\xff\\xfe");
	json_decref(j);
	j = irk_json_bytes("a\0b", 3);
	CHECK_STR(json_string_value(j), "a\\x00b");
	json_decref(j);
	j = irk_json_bytes("\xed\xa0\x80", 3); /* a surrogate */
	CHECK_STR(json_string_value(j), "\\xed\\xa0\\x80");
	json_decref(j);
}

int main(void)
{
	RUN(tcp_listen_v4);
	RUN(tcp6_and_udp);
	RUN(malformed_lines_are_refused);
	RUN(unix_sockets);
	RUN(utmp_records);
	RUN(json_bytes_escapes_what_is_not_utf8);
	return unit_done();
}
