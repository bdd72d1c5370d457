/* test-baseline.c - walk order, escaping, record round trips, policy matching, odd names, md5sums lines. */
#include <stdlib.h>
#include <string.h>

#include "irk/baseline.h"
#include "irk/pkgverify.h"
#include "irk/policy.h"
#include "unit.h"

TEST(walk_order)
{
	CHECK(irk_path_cmp("/a", "/a/b") < 0);
	CHECK(irk_path_cmp("/a/b", "/a.b") < 0);   /* '/' sorts first */
	CHECK(irk_path_cmp("/a/zzz", "/a.b") < 0); /* all of /a's content before /a.b */
	CHECK(irk_path_cmp("/a.b", "/a/b") > 0);
	CHECK(irk_path_cmp("/x", "/x") == 0);
	CHECK(irk_path_cmp("/\xc3\xa9", "/z") > 0); /* bytes compare unsigned */
}

TEST(escaping_round_trip)
{
	const char *name = "/t/a b%c\td\x7f\xc3\xa9";
	struct irk_buf enc = IRK_BUF_INIT, dec = IRK_BUF_INIT;

	irk_pct_encode(name, &enc);
	CHECK_STR(enc.buf, "/t/a%20b%25c%09d%7F\xc3\xa9");
	CHECK(irk_pct_decode(enc.buf, enc.len, &dec, NULL) == IRK_OK);
	CHECK_STR(dec.buf, name);
	CHECK(irk_pct_decode("/a%2", 4, &dec, NULL) == IRK_EINVAL);
	CHECK(irk_pct_decode("/a%00", 5, &dec, NULL) == IRK_EINVAL);
	CHECK(irk_pct_decode("/a b", 4, &dec, NULL) == IRK_EINVAL);
	irk_buf_release(&enc);
	irk_buf_release(&dec);
}

TEST(record_round_trip)
{
	/* A symlink without a target, a file without a digest, a leading zero: refused. */
	static const char *const bad[] = {
		"/a\tl\t0777\t0\t0\t1\t1.000000000\t1.000000000\t1\t1\t\t",
		"/a\tf\t0644\t0\t0\t1\t1.000000000\t1.000000000\t1\t1\t\t",
		"/a\td\t0755\t01\t0\t1\t1.000000000\t1.000000000\t1\t1\t\t",
		"a\td\t0755\t1\t0\t1\t1.000000000\t1.000000000\t1\t1\t\t",
	};
	struct irk_fentry e = { 0 }, back;
	struct irk_buf line = IRK_BUF_INIT, again = IRK_BUF_INIT;

	e.path = "/etc/with space";
	e.type = 'l';
	e.mode = 04755;
	e.uid = 1000;
	e.gid = 4294967295u;
	e.size = 12;
	e.mtime_s = -5;
	e.mtime_ns = 7;
	e.ctime_s = 1795299265;
	e.ctime_ns = 999999999;
	e.inode = 18446744073709551615ull;
	e.nlink = 1;
	e.target = "../x y";
	irk_fentry_format(&e, &line);
	CHECK(line.buf[line.len - 1] == '\n');
	CHECK(irk_fentry_parse(line.buf, line.len - 1, &back, NULL) == IRK_OK);
	irk_fentry_format(&back, &again);
	CHECK_STR(line.buf, again.buf);
	CHECK(back.mode == 04755 && back.gid == 4294967295u && back.mtime_s == -5 &&
	      back.mtime_ns == 7 && !strcmp(back.target, "../x y"));
	free(back.path);
	free(back.target);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(irk_fentry_parse(bad[i], strlen(bad[i]), &back, NULL) == IRK_EINVAL);
	irk_buf_release(&line);
	irk_buf_release(&again);
}

TEST(policy_matching)
{
	const char *text = "root /srv\nexclude /srv/cache\ngrow /var/log\nsystem /usr/lib*\n"
			   "ignore /etc/adjtime mtime,sha256\n";
	struct irk_policy p;
	struct irk_buf out = IRK_BUF_INIT;

	CHECK(irk_policy_parse(text, strlen(text), "t", &p, NULL) == IRK_OK);
	CHECK(irk_policy_match(&p, IRK_RULE_EXCLUDE, "/srv/cache"));
	CHECK(irk_policy_match(&p, IRK_RULE_EXCLUDE, "/srv/cache/a/b"));
	CHECK(!irk_policy_match(&p, IRK_RULE_EXCLUDE, "/srv/cached"));
	CHECK(irk_policy_match(&p, IRK_RULE_GROW, "/var/log/syslog"));
	CHECK(irk_policy_match(&p, IRK_RULE_SYSTEM, "/usr/lib64/x.so"));
	CHECK(!irk_policy_match(&p, IRK_RULE_SYSTEM, "/usr/share/x"));
	CHECK(irk_policy_ignored(&p, "/etc/adjtime") == (IRK_ATTR_MTIME | IRK_ATTR_SHA256));
	irk_policy_format(&p, &out);
	CHECK_STR(out.buf, "root /srv\nexclude /srv/cache\ngrow /var/log\nsystem /usr/lib*\n"
			   "ignore /etc/adjtime mtime,sha256\n");
	irk_policy_release(&p);
	irk_buf_release(&out);
	CHECK(irk_policy_parse("exclude /x\n", 11, "t", &p, NULL) == IRK_EINVAL); /* no root */
	CHECK(irk_policy_parse("root /x/\n", 9, "t", &p, NULL) == IRK_EINVAL);
}

TEST(odd_names)
{
	CHECK(irk_name_is_odd(".hidden"));
	CHECK(irk_name_is_odd("..."));
	CHECK(irk_name_is_odd(" "));
	CHECK(irk_name_is_odd("trailing "));
	CHECK(irk_name_is_odd("tab\there"));
	CHECK(irk_name_is_odd("\xff\xfe"));
	CHECK(irk_name_is_odd("-rf"));
	CHECK(!irk_name_is_odd("libc.so.6"));
	CHECK(!irk_name_is_odd("caf\xc3\xa9"));
}

TEST(md5sums_lines)
{
	struct irk_buf path = IRK_BUF_INIT;
	uint8_t md5[16];
	const char *ok = "d41d8cd98f00b204e9800998ecf8427e  usr/bin/x";

	CHECK(irk_md5sums_line(ok, strlen(ok), md5, &path, NULL) == IRK_OK);
	CHECK_STR(path.buf, "/usr/bin/x");
	CHECK(md5[0] == 0xd4 && md5[15] == 0x7e);
	CHECK(irk_md5sums_line("d41d8cd98f00b204e9800998ecf8427e usr/bin/x", 42, md5, &path, NULL) ==
	      IRK_EINVAL);
	CHECK(irk_md5sums_line("d41d8cd98f00b204e9800998ecf8427e  usr/../etc/shadow", 51, md5, &path,
			       NULL) == IRK_EINVAL);
	irk_buf_release(&path);
}

int main(void)
{
	RUN(walk_order);
	RUN(escaping_round_trip);
	RUN(record_round_trip);
	RUN(policy_matching);
	RUN(odd_names);
	RUN(md5sums_lines);
	return unit_done();
}
