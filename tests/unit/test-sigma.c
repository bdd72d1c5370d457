/* test-sigma.c - every Sigma modifier, condition form and correlation type. */
#include <stdarg.h>
#include <stdlib.h>

#include "irk/detect.h"
#include "irk/hash.h"
#include "irk/sigma.h"
#include "unit.h"

static struct irk_ruleset rs;
static struct irk_event ev;
static struct irk_sigma_scratch scratch;

/* Load a detection (the YAML under "detection:") for product linux; 1 when it loads. */
static int load(const char *detection)
{
	struct irk_buf y = IRK_BUF_INIT;

	irk_ruleset_release(&rs);
	irk_ruleset_init(&rs);
	irk_buf_addf(&y, "title: t\nlogsource:\n  product: linux\ndetection:\n%s", detection);
	irk_ruleset_load_text(&rs, "t.yml", y.buf, y.len);
	irk_ruleset_link(&rs);
	irk_buf_release(&y);
	return rs.nrefused == 0 && rs.nrules == 1;
}

static const char *refusal(void)
{
	return rs.nstatus && !rs.status[0].ok ? rs.status[0].reason : "";
}

/* Does the loaded rule match an event with these name, value pairs (NULL-terminated)? */
static int match(const char *name, ...)
{
	va_list ap;

	irk_event_reset(&ev);
	ev.product = "linux";
	ev.raw = "raw line with Keyword inside";
	ev.raw_len = strlen(ev.raw);
	va_start(ap, name);
	for (const char *n = name; n; n = va_arg(ap, const char *))
		irk_event_sets(&ev, n, va_arg(ap, const char *));
	va_end(ap);
	return irk_sigma_match(rs.rules[0], &ev, &scratch);
}

TEST(plain_value_is_case_insensitive_equality)
{
	CHECK(load("  s:\n    user: Root\n  condition: s\n"));
	CHECK(match("user", "root", NULL));
	CHECK(match("user", "ROOT", NULL));
	CHECK(!match("user", "rooty", NULL));
	CHECK(!match("other", "root", NULL));
}

TEST(contains_startswith_endswith)
{
	CHECK(load("  a:\n    m|contains: fail\n  b:\n    m|startswith: Acc\n  c:\n    m|endswith: ssh2\n"
		   "  condition: a or b or c\n"));
	CHECK(match("m", "Login FAILED here", NULL));
	CHECK(match("m", "accepted x", NULL));
	CHECK(match("m", "port 22 ssh2", NULL));
	CHECK(!match("m", "nothing", NULL));
}

TEST(wildcards_and_escapes)
{
	CHECK(load("  s:\n    p: 'a*b?c'\n  condition: s\n"));
	CHECK(match("p", "aXXbYc", NULL));
	CHECK(match("p", "abYc", NULL));
	CHECK(!match("p", "abc", NULL));
	CHECK(load("  s:\n    p: 'a\\*b\\?c\\\\'\n  condition: s\n"));
	CHECK(match("p", "a*b?c\\", NULL));
	CHECK(!match("p", "aXb?c\\", NULL));
	CHECK(load("  s:\n    p|contains: '\\*'\n  condition: s\n"));
	CHECK(match("p", "x*y", NULL));
	CHECK(!match("p", "xy", NULL));
}

TEST(cased)
{
	CHECK(load("  s:\n    p|cased: Root\n  condition: s\n"));
	CHECK(match("p", "Root", NULL));
	CHECK(!match("p", "root", NULL));
	CHECK(load("  s:\n    p|contains|cased: Ab\n  condition: s\n"));
	CHECK(match("p", "xAby", NULL));
	CHECK(!match("p", "xaby", NULL));
}

TEST(lists_or_and_all)
{
	CHECK(load("  s:\n    p:\n      - a\n      - b\n  condition: s\n"));
	CHECK(match("p", "b", NULL));
	CHECK(!match("p", "c", NULL));
	CHECK(load("  s:\n    p|contains|all:\n      - a\n      - b\n  condition: s\n"));
	CHECK(match("p", "xaxbx", NULL));
	CHECK(!match("p", "xax", NULL));
}

TEST(list_of_maps_is_or_of_ands)
{
	CHECK(load("  s:\n    - p: a\n      q: b\n    - p: c\n  condition: s\n"));
	CHECK(match("p", "a", "q", "b", NULL));
	CHECK(!match("p", "a", "q", "x", NULL));
	CHECK(match("p", "c", NULL));
}

TEST(keywords_match_anywhere_in_the_line)
{
	CHECK(load("  k:\n    - keyword\n    - other\n  condition: k\n"));
	CHECK(match(NULL));
	CHECK(load("  k:\n    - absent\n  condition: k\n"));
	CHECK(!match(NULL));
}

TEST(re_with_flags)
{
	CHECK(load("  s:\n    p|re: '^fail(ed)? \\d+$'\n  condition: s\n"));
	CHECK(match("p", "failed 12", NULL));
	CHECK(!match("p", "FAILED 12", NULL));
	CHECK(load("  s:\n    p|re|i: '^fail'\n  condition: s\n"));
	CHECK(match("p", "FAIL", NULL));
	CHECK(load("  s:\n    p|re|m: '^b$'\n  condition: s\n"));
	CHECK(match("p", "a\nb\nc", NULL));
	CHECK(load("  s:\n    p|re|s: 'a.c'\n  condition: s\n"));
	CHECK(match("p", "a\nc", NULL));
	CHECK(load("  s:\n    p|re: 'a.c'\n  condition: s\n"));
	CHECK(!match("p", "a\nc", NULL));
	CHECK(!load("  s:\n    p|re: 'a(('\n  condition: s\n"));
	CHECK(strstr(refusal(), "bad regular expression"));
}

TEST(cidr)
{
	CHECK(load("  s:\n    ip|cidr:\n      - 10.0.0.0/8\n      - 2001:db8::/32\n  condition: s\n"));
	CHECK(match("ip", "10.1.2.3", NULL));
	CHECK(!match("ip", "11.1.2.3", NULL));
	CHECK(match("ip", "2001:db8::1", NULL));
	CHECK(!match("ip", "2001:db9::1", NULL));
	CHECK(!match("ip", "not an ip", NULL));
	CHECK(!load("  s:\n    ip|cidr: 10.0.0.0/33\n  condition: s\n"));
}

TEST(windash)
{
	CHECK(load("  s:\n    cmd|windash|contains: ' -enc '\n  condition: s\n"));
	CHECK(match("cmd", "powershell -enc AAA", NULL));
	CHECK(match("cmd", "powershell /enc AAA", NULL));
	CHECK(match("cmd", "powershell \xe2\x80\x93" "enc AAA", NULL));
	CHECK(!match("cmd", "powershell enc AAA", NULL));
}

static char *b64(const char *s, size_t n)
{
	char *out = malloc(irk_b64_len(n) + 1);
	irk_b64((const uint8_t *)s, n, out);
	return out;
}

TEST(base64_and_base64offset)
{
	char *a = b64("hello", 5), *b = b64("Xhello there", 12), *c = b64("XYhello", 7),
	     *d = b64("hello", 5);
	int ok;

	CHECK(load("  s:\n    p|base64: hello\n  condition: s\n"));
	ok = match("p", a, NULL) && !match("p", "hello", NULL);
	CHECK(load("  s:\n    p|base64offset|contains: hello\n  condition: s\n"));
	ok = ok && match("p", b, NULL) && match("p", c, NULL) && match("p", d, NULL) &&
	     !match("p", "bm90aGluZw==", NULL);
	free(a);
	free(b);
	free(c);
	free(d);
	CHECK(ok);
}

TEST(utf16_encodings)
{
	CHECK(load("  s:\n    p|wide|base64: ab\n  condition: s\n"));
	CHECK(match("p", "YQBiAA==", NULL));
	CHECK(load("  s:\n    p|utf16le|base64: ab\n  condition: s\n"));
	CHECK(match("p", "YQBiAA==", NULL));
	CHECK(load("  s:\n    p|utf16be|base64: ab\n  condition: s\n"));
	CHECK(match("p", "AGEAYg==", NULL));
	CHECK(load("  s:\n    p|utf16|base64: ab\n  condition: s\n"));
	CHECK(match("p", "//5hAGIA", NULL));
}

TEST(exists_null_and_empty)
{
	CHECK(load("  s:\n    p|exists: true\n  condition: s\n"));
	CHECK(match("p", "", NULL));
	CHECK(!match("q", "x", NULL));
	CHECK(load("  s:\n    p|exists: false\n  condition: s\n"));
	CHECK(match("q", "x", NULL));
	CHECK(load("  s:\n    p: null\n  condition: s\n"));
	CHECK(match("q", "x", NULL));
	CHECK(!match("p", "", NULL));
	CHECK(load("  s:\n    p: ''\n  condition: s\n"));
	CHECK(match("p", "", NULL));
	CHECK(!match("q", "x", NULL));
	CHECK(!match("p", "x", NULL));
	CHECK(load("  s:\n    p: '*'\n  condition: s\n"));
	CHECK(match("p", "anything", NULL));
	CHECK(!match("q", "x", NULL));
}

TEST(numeric_comparisons)
{
	CHECK(load("  a:\n    n|gt: 10\n  b:\n    n|lte: 2\n  condition: a or b\n"));
	CHECK(match("n", "11", NULL));
	CHECK(!match("n", "10", NULL));
	CHECK(match("n", "2", NULL));
	CHECK(match("n", "-5.5", NULL));
	CHECK(!match("n", "5", NULL));
	CHECK(!match("n", "abc", NULL));
	CHECK(load("  a:\n    n|gte: 10\n    n|lt: 20\n  condition: a\n"));
	CHECK(match("n", "10", NULL));
	CHECK(!match("n", "20", NULL));
	CHECK(!load("  a:\n    n|gt: ten\n  condition: a\n"));
}

TEST(neq)
{
	CHECK(load("  s:\n    user|neq:\n      - root\n      - admin\n  condition: s\n"));
	CHECK(match("user", "bob", NULL));
	CHECK(!match("user", "root", NULL));
	CHECK(!match("user", "ADMIN", NULL));
	CHECK(!match("other", "bob", NULL));
}

TEST(fieldref)
{
	CHECK(load("  s:\n    user|fieldref: target_user\n  condition: s\n"));
	CHECK(match("user", "bob", "target_user", "Bob", NULL));
	CHECK(!match("user", "bob", "target_user", "root", NULL));
	CHECK(!match("user", "bob", NULL));
	CHECK(load("  s:\n    cmd|fieldref|contains: user\n  condition: s\n"));
	CHECK(match("cmd", "rm -rf /home/bob", "user", "bob", NULL));
}

TEST(unknown_and_unsupported_modifiers_are_refused)
{
	CHECK(!load("  s:\n    p|sparkle: x\n  condition: s\n"));
	CHECK(strstr(refusal(), "unknown modifier"));
	CHECK(!load("  s:\n    p|expand: '%x%'\n  condition: s\n"));
	CHECK(strstr(refusal(), "placeholders"));
	CHECK(!load("  s:\n    p|contains|startswith: x\n  condition: s\n"));
	CHECK(!load("  s:\n    p|base64: 'a*'\n  condition: s\n"));
	CHECK(rs.status[0].line == 6);
}

TEST(condition_grammar)
{
	const char *sels = "  a:\n    p: a\n  b:\n    q: b\n  c:\n    r: c\n";
	char y[512];

	snprintf(y, sizeof(y), "%s  condition: a and not b or c\n", sels);
	CHECK(load(y));
	CHECK(match("p", "a", NULL));
	CHECK(!match("p", "a", "q", "b", NULL));
	CHECK(match("p", "a", "q", "b", "r", "c", NULL));
	snprintf(y, sizeof(y), "%s  condition: a and not (b or c)\n", sels);
	CHECK(load(y));
	CHECK(!match("p", "a", "r", "c", NULL));
	CHECK(match("p", "a", NULL));
	snprintf(y, sizeof(y), "%s  condition: not a\n", sels);
	CHECK(load(y));
	CHECK(match("q", "b", NULL));
	CHECK(!match("p", "a", NULL));
	snprintf(y, sizeof(y), "%s  condition:\n    - a and b\n    - c\n", sels);
	CHECK(load(y));
	CHECK(match("r", "c", NULL));
	CHECK(!match("p", "a", NULL));
}

TEST(one_of_all_of_and_them)
{
	CHECK(load("  sel_a:\n    p: a\n  sel_b:\n    q: b\n  _filter:\n    r: x\n  condition: all of them\n"));
	/* them skips _filter, so r need not match */
	CHECK(match("p", "a", "q", "b", NULL));
	CHECK(!match("p", "a", NULL));
	CHECK(load("  sel_a:\n    p: a\n  sel_b:\n    q: b\n  _filter:\n    r: x\n  condition: 1 of them\n"));
	CHECK(match("q", "b", NULL));
	CHECK(!match("r", "x", NULL));
	CHECK(load("  sel_a:\n    p: a\n  sel_b:\n    q: b\n  other:\n    r: x\n  condition: all of sel_* and not other\n"));
	CHECK(match("p", "a", "q", "b", NULL));
	CHECK(!match("p", "a", "q", "b", "r", "x", NULL));
	CHECK(load("  sel_a:\n    p: a\n  sel_b:\n    q: b\n  condition: 1 of sel_*\n"));
	CHECK(match("q", "b", NULL));
	CHECK(!load("  sel_a:\n    p: a\n  condition: 1 of nomatch*\n"));
	CHECK(!load("  sel_a:\n    p: a\n  condition: sel_a and (sel_a\n"));
	CHECK(!load("  sel_a:\n    p: a\n  condition: sel_a | count() > 4\n"));
	CHECK(strstr(refusal(), "correlation"));
}

TEST(logsource_mapping)
{
	static const char y[] = "title: t\nlogsource:\n  product: linux\n  service: sshd\n"
				"detection:\n  s:\n    user: root\n  condition: s\n";

	irk_ruleset_release(&rs);
	irk_ruleset_init(&rs);
	irk_ruleset_load_text(&rs, "t.yml", y, strlen(y));
	irk_ruleset_link(&rs);
	CHECK(rs.nrules == 1);
	irk_event_reset(&ev);
	irk_event_sets(&ev, "user", "root");
	ev.product = "linux";
	ev.service = "sudo";
	CHECK(!irk_sigma_match(rs.rules[0], &ev, &scratch));
	ev.service = "sshd";
	CHECK(irk_sigma_match(rs.rules[0], &ev, &scratch));
	ev.product = NULL;
	ev.category = "webserver";
	CHECK(!irk_sigma_match(rs.rules[0], &ev, &scratch));
}

/* --- correlations: hits fed straight into a detector --- */

static json_t *found;

static void on_finding(const struct irk_finding *f, void *arg)
{
	(void)arg;
	json_array_append_new(found, irk_finding_json(f));
}

static int rule_index(const char *name)
{
	for (int i = 0; i < rs.nrules; i++)
		if (rs.rules[i]->name && !strcmp(rs.rules[i]->name, name))
			return i;
	return -1;
}

/* A hit of weight w (a line "message repeated w times"). */
static void hit_w(struct irk_detector *d, const char *rule, int64_t sec, const char *ip,
		  const char *user, int64_t w)
{
	struct irk_buf f = IRK_BUF_INIT;
	struct irk_hit h = { 0 };
	struct irk_event e;
	const char **names;
	int n = irk_detect_fields(&rs, &names);
	int *ids = calloc((size_t)n + 1, sizeof(int));
	struct irk_hit_value *values = calloc((size_t)n + 1, sizeof(*values));

	irk_event_init(&e);
	irk_event_sets(&e, "src_ip", ip);
	if (user)
		irk_event_sets(&e, "user", user);
	for (int i = 0; i < n; i++)
		ids[i] = irk_field_id(names[i]);
	irk_detect_pack(names, ids, n, &e, &f, values);
	h.rule = rule_index(rule);
	h.time_ms = sec * 1000;
	h.has_time = 1;
	h.weight = w;
	h.file = "f";
	h.line = sec;
	h.text = "x";
	h.text_len = 1;
	h.base = f.buf;
	h.values = values;
	irk_detector_hit(d, &h);
	irk_event_release(&e);
	irk_buf_release(&f);
	free(names);
	free(ids);
	free(values);
}

static void hit(struct irk_detector *d, const char *rule, int64_t sec, const char *ip,
		const char *user)
{
	hit_w(d, rule, sec, ip, user, 1);
}

static const char base_rules[] =
	"title: A\nname: a\nlogsource:\n  product: linux\ndetection:\n  s:\n    x: a\n  condition: s\n---\n"
	"title: B\nname: b\nlogsource:\n  product: linux\ndetection:\n  s:\n    x: b\n  condition: s\n---\n";

static struct irk_detector *corr(const char *yaml)
{
	struct irk_buf y = IRK_BUF_INIT;

	irk_ruleset_release(&rs);
	irk_ruleset_init(&rs);
	irk_buf_adds(&y, base_rules);
	irk_buf_adds(&y, yaml);
	irk_ruleset_load_text(&rs, "c.yml", y.buf, y.len);
	irk_ruleset_link(&rs);
	irk_buf_release(&y);
	json_decref(found);
	found = json_array();
	return rs.nrefused ? NULL : irk_detector_new(&rs, 0, on_finding, NULL);
}

static int64_t count_of(size_t i)
{
	return json_integer_value(json_object_get(json_array_get(found, i), "count"));
}

TEST(event_count_sliding_window_across_boundaries)
{
	struct irk_detector *d = corr("title: C\nname: c\ncorrelation:\n  type: event_count\n"
				      "  rules: [a]\n  group-by: [src_ip]\n  timespan: 10s\n"
				      "  condition: {gte: 3}\n");
	CHECK(d);
	/* fixed 10 s buckets would see 2 + 2; the window [5, 14] holds 3 */
	hit(d, "a", 0, "1.1.1.1", NULL);
	hit(d, "a", 5, "1.1.1.1", NULL);
	hit(d, "a", 11, "1.1.1.1", NULL);
	hit(d, "a", 14, "1.1.1.1", NULL);
	hit(d, "a", 1, "2.2.2.2", NULL);
	hit(d, "a", 12, "2.2.2.2", NULL);
	hit(d, "a", 30, "2.2.2.2", NULL);
	irk_detector_flush(d);
	irk_detector_free(d);
	CHECK(json_array_size(found) == 1);
	CHECK(count_of(0) == 3);
	CHECK_STR(json_string_value(json_object_get(json_array_get(found, 0), "first")),
		  "1970-01-01T00:00:05.000Z");
	CHECK_STR(json_string_value(json_object_get(json_object_get(json_array_get(found, 0), "group"), "src_ip")),
		  "1.1.1.1");
}

/* Past IRK_DETECT_GROUPS_MAX groups a rule's hits share one "(other)" group, and are counted. */
TEST(groups_beyond_the_cap_share_one)
{
	struct irk_detector *d = corr("title: C\nname: c\ncorrelation:\n  type: event_count\n"
				      "  rules: [a]\n  group-by: [src_ip]\n  timespan: 1h\n"
				      "  condition: {gte: 2}\n");
	char ip[32];
	json_t *f;

	CHECK(d);
	for (int i = 0; i < IRK_DETECT_GROUPS_MAX + 50; i++) {
		snprintf(ip, sizeof(ip), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
		hit(d, "a", 0, ip, NULL);
		if (i >= IRK_DETECT_GROUPS_MAX) /* each of the last 50 twice */
			hit(d, "a", 1, ip, NULL);
	}
	CHECK(irk_detector_overflow(d) == 100);
	irk_detector_flush(d);
	irk_detector_free(d);
	CHECK(json_array_size(found) == 1);
	f = json_array_get(found, 0);
	CHECK(count_of(0) == 100);
	CHECK_STR(json_string_value(json_object_get(json_object_get(f, "group"), "src_ip")),
		  "(other)");
	CHECK(json_array_size(json_object_get(json_object_get(f, "entities"), "src_ip")) ==
	      IRK_DETECT_ENTITIES_MAX);
}

/* No group-by: one group for every event (and its key made of no values). */
TEST(correlation_without_group_by)
{
	struct irk_detector *d = corr("title: C\nname: c\ncorrelation:\n  type: event_count\n"
				      "  rules: [a]\n  timespan: 10s\n  condition: {gte: 2}\n");
	CHECK(d);
	hit(d, "a", 0, "1.1.1.1", "alice");
	hit(d, "a", 1, "2.2.2.2", "bob");
	irk_detector_flush(d);
	irk_detector_free(d);
	CHECK(json_array_size(found) == 1);
	CHECK(count_of(0) == 2);
	CHECK(!json_object_get(json_array_get(found, 0), "group"));
	CHECK(json_array_size(json_object_get(json_object_get(json_array_get(found, 0), "entities"),
					      "src_ip")) == 2);
}

TEST(event_count_extends_then_closes)
{
	struct irk_detector *d = corr("title: C\nname: c\ncorrelation:\n  type: event_count\n"
				      "  rules: [a]\n  group-by: [src_ip]\n  timespan: 10s\n"
				      "  condition: {gte: 2}\n");
	CHECK(d);
	hit(d, "a", 0, "1.1.1.1", NULL);
	hit(d, "a", 1, "1.1.1.1", NULL);
	hit(d, "a", 2, "1.1.1.1", NULL);
	hit(d, "a", 100, "1.1.1.1", NULL);
	hit(d, "a", 101, "1.1.1.1", NULL);
	irk_detector_flush(d);
	irk_detector_free(d);
	CHECK(json_array_size(found) == 2);
	CHECK(count_of(0) == 3);
	CHECK(count_of(1) == 2);
}

/*
 * Of the events that meet a threshold, only the newest needed are kept:
 * one of weight 1, then one of weight 2 meet gte 2 with the second alone
 * (count 2, from line 1) but gt 2 only with both (count 3, from line 0).
 */
TEST(event_count_gt_keeps_one_more_than_gte)
{
	static const char *const cmp[] = { "gt", "gte" };

	for (int i = 0; i < 2; i++) {
		char yaml[300];
		struct irk_detector *d;
		snprintf(yaml, sizeof(yaml),
			 "title: C\nname: c\ncorrelation:\n  type: event_count\n"
			 "  rules: [a]\n  group-by: [src_ip]\n  timespan: 10s\n"
			 "  condition: {%s: 2}\n", cmp[i]);
		d = corr(yaml);
		CHECK(d);
		hit_w(d, "a", 0, "1.1.1.1", NULL, 1);
		hit_w(d, "a", 1, "1.1.1.1", NULL, 2);
		irk_detector_flush(d);
		irk_detector_free(d);
		CHECK(json_array_size(found) == 1);
		CHECK(count_of(0) == 3 - i);
		CHECK(json_integer_value(json_object_get(json_object_get(json_array_get(found, 0),
									 "first_event"), "line")) == i);
	}
}

/*
 * Groups idle for longer than the timespan are closed every few thousand
 * hits; the findings closed together come out by first time, then key,
 * not in the order of the detector's hash table.
 */
TEST(idle_groups_reported_by_first_time_then_key)
{
	struct irk_detector *d = corr("title: C\nname: c\ncorrelation:\n  type: event_count\n"
				      "  rules: [a]\n  group-by: [src_ip]\n  timespan: 10s\n"
				      "  condition: {gte: 2}\n");
	char ip[32];
	int sorted = 1, twos = 1;

	CHECK(d);
	/* 3,000 groups, 100 to a second, named against their order of arrival */
	for (int g = 0; g < 3000; g++) {
		snprintf(ip, sizeof(ip), "h%04d", 2999 - g);
		hit(d, "a", g / 100, ip, NULL);
		hit(d, "a", g / 100, ip, NULL);
	}
	/* a sweep with nothing idle: one busy group */
	for (int i = 0; i < 4200; i++)
		hit(d, "a", 100, "busy", NULL);
	irk_detector_flush(d);
	irk_detector_free(d);
	CHECK(json_array_size(found) == 3001);
	for (size_t i = 0; i + 1 < json_array_size(found); i++) {
		json_t *a = json_array_get(found, i), *b = json_array_get(found, i + 1);
		int c = strcmp(json_string_value(json_object_get(a, "first")),
			       json_string_value(json_object_get(b, "first")));
		if (!c)
			c = strcmp(json_string_value(json_object_get(json_object_get(a, "group"), "src_ip")),
				   json_string_value(json_object_get(json_object_get(b, "group"), "src_ip")));
		sorted &= c < 0;
		twos &= count_of(i) == 2;
	}
	CHECK(sorted);
	CHECK(twos);
	CHECK(count_of(3000) == 4200);
}

/* An absent value hashes as an empty one: both key a group the same way. */
TEST(absent_value_hashes_as_empty)
{
	struct irk_buf f = IRK_BUF_INIT;
	struct irk_hit_value v[2];
	static const char *const names[] = { "src_ip", "user" };
	static const int ids[] = { IRK_F_SRC_IP, IRK_F_USER };
	struct irk_event e;

	irk_event_init(&e);
	irk_event_sets(&e, "user", "");
	irk_detect_pack(names, ids, 2, &e, &f, v);
	irk_event_release(&e);
	CHECK(v[0].off == IRK_HIT_ABSENT);
	CHECK(v[1].off != IRK_HIT_ABSENT && v[1].len == 0);
	CHECK(v[0].hash == irk_detect_hash("", 0));
	CHECK(v[1].hash == irk_detect_hash("", 0));
	irk_buf_release(&f);
}

/*
 * The value hash takes words and a tail: values that share their words or
 * their tail's bytes, and differ only in length or one late byte, hash apart,
 * and a value hashes the same wherever it lies in memory.
 */
TEST(value_hash_tells_close_values_apart)
{
	static const char *const v[] = { "", "a", "aa", "aaa", "abab", "ababab", "abababab",
					 "abababa", "abcdefgh", "abcdefghabcdefgh", "abcdefgi",
					 "10.0.0.1", "10.0.0.10", "10.0.0.100", "root", "rooT" };
	size_t n = sizeof(v) / sizeof(v[0]);
	char moved[40];
	int apart = 1, same = 1;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++)
			apart &= irk_detect_hash(v[i], strlen(v[i])) != irk_detect_hash(v[j], strlen(v[j]));
		for (size_t at = 1; at < 8; at++) {
			memcpy(moved + at, v[i], strlen(v[i]) + 1);
			same &= irk_detect_hash(moved + at, strlen(v[i])) ==
				irk_detect_hash(v[i], strlen(v[i]));
		}
	}
	CHECK(apart);
	CHECK(same);
}

/*
 * Group keys and entity values that differ only in a late byte or in length
 * are different groups and different entities (they are compared a word at
 * a time); repeated ones are counted once.
 */
TEST(close_values_are_distinct_groups_and_entities)
{
	static const char *const users[] = { "administrator1", "administrator2", "administrator",
					     "ab", "abb", "ab", "administrator1", "abc" };
	struct irk_detector *d = corr("title: C\nname: c\ncorrelation:\n  type: event_count\n"
				      "  rules: [a]\n  group-by: [src_ip]\n  timespan: 10s\n"
				      "  condition: {gte: 1}\n");
	json_t *u;

	CHECK(d);
	for (int i = 0; i < 8; i++)
		hit(d, "a", i, "10.0.0.100", users[i]);
	hit(d, "a", 8, "10.0.0.10", "x");
	hit(d, "a", 9, "10.0.0.1", "x");
	irk_detector_flush(d);
	irk_detector_free(d);
	CHECK(json_array_size(found) == 3);
	CHECK(count_of(0) == 8);
	u = json_object_get(json_object_get(json_array_get(found, 0), "entities"), "user");
	CHECK(json_array_size(u) == 6);
	CHECK_STR(json_string_value(json_array_get(u, 5)), "abc");
}

TEST(value_count)
{
	struct irk_detector *d = corr("title: C\nname: c\ncorrelation:\n  type: value_count\n"
				      "  rules: [a]\n  group-by: [src_ip]\n  timespan: 1m\n"
				      "  condition: {field: user, gte: 3}\n");
	CHECK(d);
	hit(d, "a", 0, "1.1.1.1", "u1");
	hit(d, "a", 1, "1.1.1.1", "u1");
	hit(d, "a", 2, "1.1.1.1", "u2");
	hit(d, "a", 3, "9.9.9.9", "u3");
	irk_detector_flush(d);
	CHECK(json_array_size(found) == 0);
	hit(d, "a", 4, "1.1.1.1", "u3");
	irk_detector_flush(d);
	irk_detector_free(d);
	CHECK(json_array_size(found) == 1);
}

TEST(temporal_any_order)
{
	struct irk_detector *d = corr("title: C\nname: c\ncorrelation:\n  type: temporal\n"
				      "  rules: [a, b]\n  group-by: [src_ip]\n  timespan: 10s\n");
	CHECK(d);
	hit(d, "b", 0, "1.1.1.1", NULL);
	hit(d, "a", 5, "1.1.1.1", NULL);
	hit(d, "b", 0, "2.2.2.2", NULL);
	hit(d, "a", 50, "2.2.2.2", NULL);
	irk_detector_flush(d);
	irk_detector_free(d);
	CHECK(json_array_size(found) == 1);
	CHECK_STR(json_string_value(json_object_get(json_object_get(json_array_get(found, 0), "group"), "src_ip")),
		  "1.1.1.1");
}

TEST(temporal_ordered_needs_the_order)
{
	struct irk_detector *d = corr("title: C\nname: c\ncorrelation:\n  type: temporal_ordered\n"
				      "  rules: [a, b]\n  group-by: [src_ip]\n  timespan: 10s\n");
	CHECK(d);
	hit(d, "b", 0, "1.1.1.1", NULL);
	hit(d, "a", 1, "1.1.1.1", NULL);
	irk_detector_flush(d);
	CHECK(json_array_size(found) == 0);
	hit(d, "b", 2, "1.1.1.1", NULL);
	irk_detector_flush(d);
	irk_detector_free(d);
	CHECK(json_array_size(found) == 1);
}

TEST(chained_correlations_and_aliases)
{
	struct irk_detector *d = corr(
		"title: Burst\nname: burst\ncorrelation:\n  type: event_count\n  rules: [a]\n"
		"  group-by: [ip]\n  timespan: 10s\n  condition: {gte: 2}\n"
		"  aliases:\n    ip:\n      a: src_ip\n---\n"
		"title: Then\nname: then\ncorrelation:\n  type: temporal_ordered\n  rules: [burst, b]\n"
		"  group-by: [ip]\n  timespan: 1m\n  aliases:\n    ip:\n      burst: ip\n      b: src_ip\n");
	CHECK(d);
	hit(d, "a", 0, "1.1.1.1", NULL);
	hit(d, "b", 1, "1.1.1.1", NULL); /* before the burst: no */
	hit(d, "a", 2, "1.1.1.1", NULL);
	hit(d, "b", 3, "2.2.2.2", NULL); /* another source: no */
	hit(d, "b", 30, "1.1.1.1", NULL);
	irk_detector_flush(d);
	irk_detector_free(d);
	/* the burst is referenced without generate: only the chain reports */
	CHECK(json_array_size(found) == 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(found, 0), "rule")), "Then");
	CHECK_STR(json_string_value(json_object_get(json_object_get(json_array_get(found, 0), "group"), "ip")),
		  "1.1.1.1");
}

TEST(correlation_refusals)
{
	CHECK(!corr("title: C\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: 10s\n"
		    "  condition: {lt: 3}\n"));
	CHECK(!corr("title: C\ncorrelation:\n  type: sometimes\n  rules: [a]\n  timespan: 10s\n"));
	CHECK(!corr("title: C\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: 10 parsecs\n"
		    "  condition: {gte: 3}\n"));
	CHECK(!corr("title: C\ncorrelation:\n  type: value_count\n  rules: [a]\n  timespan: 10s\n"
		    "  condition: {gte: 3}\n"));
	CHECK(!corr("title: C\nname: c\ncorrelation:\n  type: event_count\n  rules: [d]\n  timespan: 10s\n"
		    "  condition: {gte: 3}\n---\ntitle: D\nname: d\ncorrelation:\n  type: event_count\n"
		    "  rules: [c]\n  timespan: 10s\n  condition: {gte: 3}\n"));
	CHECK(!corr("title: C\ncorrelation:\n  type: event_count\n  rules: [a]\n"
		    "  group-by: [src_ip, user, src_ip]\n  timespan: 10s\n"
		    "  condition: {gte: 3}\n"));
	CHECK(strstr(rs.status[rs.nstatus - 1].reason, "group-by names 'src_ip' twice"));
}

TEST(bundled_rules_all_load)
{
	irk_ruleset_release(&rs);
	irk_ruleset_init(&rs);
	irk_ruleset_load_bundled(&rs);
	irk_ruleset_link(&rs);
	CHECK(rs.nrules >= 30);
	CHECK(rs.nrefused == 0);
}

int main(void)
{
	irk_event_init(&ev);
	irk_ruleset_init(&rs);
	RUN(plain_value_is_case_insensitive_equality);
	RUN(contains_startswith_endswith);
	RUN(wildcards_and_escapes);
	RUN(cased);
	RUN(lists_or_and_all);
	RUN(list_of_maps_is_or_of_ands);
	RUN(keywords_match_anywhere_in_the_line);
	RUN(re_with_flags);
	RUN(cidr);
	RUN(windash);
	RUN(base64_and_base64offset);
	RUN(utf16_encodings);
	RUN(exists_null_and_empty);
	RUN(numeric_comparisons);
	RUN(neq);
	RUN(fieldref);
	RUN(unknown_and_unsupported_modifiers_are_refused);
	RUN(condition_grammar);
	RUN(one_of_all_of_and_them);
	RUN(logsource_mapping);
	RUN(event_count_sliding_window_across_boundaries);
	RUN(groups_beyond_the_cap_share_one);
	RUN(correlation_without_group_by);
	RUN(event_count_extends_then_closes);
	RUN(event_count_gt_keeps_one_more_than_gte);
	RUN(idle_groups_reported_by_first_time_then_key);
	RUN(absent_value_hashes_as_empty);
	RUN(value_hash_tells_close_values_apart);
	RUN(close_values_are_distinct_groups_and_entities);
	RUN(value_count);
	RUN(temporal_any_order);
	RUN(temporal_ordered_needs_the_order);
	RUN(chained_correlations_and_aliases);
	RUN(correlation_refusals);
	RUN(bundled_rules_all_load);
	irk_ruleset_release(&rs);
	irk_event_release(&ev);
	irk_sigma_scratch_release(&scratch);
	json_decref(found);
	return unit_done();
}
