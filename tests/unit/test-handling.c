/* test-handling.c - spans, moments, the assessment rule, playbook parsing. */
#include <stdlib.h>

#include "irk/assess.h"
#include "irk/playbook.h"
#include "irk/span.h"
#include "unit.h"

TEST(span_parse)
{
	int64_t s = 0;

	CHECK(irk_span_parse("90s", &s, NULL) == IRK_OK && s == 90);
	CHECK(irk_span_parse("45m", &s, NULL) == IRK_OK && s == 2700);
	CHECK(irk_span_parse("1h30m", &s, NULL) == IRK_OK && s == 5400);
	CHECK(irk_span_parse("3d", &s, NULL) == IRK_OK && s == 259200);
	CHECK(irk_span_parse("", &s, NULL) == IRK_EINVAL);
	CHECK(irk_span_parse("5", &s, NULL) == IRK_EINVAL);
	CHECK(irk_span_parse("m", &s, NULL) == IRK_EINVAL);
	CHECK(irk_span_parse("0m", &s, NULL) == IRK_EINVAL);
	CHECK(irk_span_parse("400d", &s, NULL) == IRK_EINVAL);
	CHECK(irk_span_parse("999999999d", &s, NULL) == IRK_EINVAL);
	CHECK(irk_span_parse("1h-5m", &s, NULL) == IRK_EINVAL);
}

TEST(moment_parse)
{
	int64_t ms = 0, now = 1700000000000LL;

	CHECK(irk_moment_parse("30m", now, &ms, NULL) == IRK_OK && ms == now + 1800000);
	CHECK(irk_moment_parse("+2h", now, &ms, NULL) == IRK_OK && ms == now + 7200000);
	CHECK(irk_moment_parse("2026-11-21T14:30:00Z", now, &ms, NULL) == IRK_OK &&
	      ms == 1795271400000LL);
	CHECK(irk_moment_parse("whenever", now, &ms, NULL) == IRK_EINVAL);
}

static const char *rate(const char *json)
{
	static char sev[16];
	const char *s, *p;
	json_t *a = json_loads(json, 0, NULL), *r;

	if (!a || irk_assess_check(a, NULL)) {
		json_decref(a);
		return "invalid";
	}
	irk_assess_rate(a, &s, &p, &r);
	snprintf(sev, sizeof(sev), "%s/%s", s, p);
	json_decref(r);
	json_decref(a);
	return sev;
}

TEST(assess_rule)
{
	CHECK_STR(rate("{\"real\":\"no\",\"hosts\":1000,\"press\":true}"), "low/P4");
	CHECK_STR(rate("{\"real\":\"yes\"}"), "low/P4");
	CHECK_STR(rate("{\"real\":\"unknown\",\"hosts\":2}"), "low/P4");
	CHECK_STR(rate("{\"real\":\"yes\",\"hosts\":10}"), "medium/P3");
	CHECK_STR(rate("{\"real\":\"yes\",\"data\":[\"personal\"]}"), "medium/P3");
	CHECK_STR(rate("{\"real\":\"yes\",\"data\":[\"none\"],\"damage\":\"low\"}"), "low/P4");
	CHECK_STR(rate("{\"real\":\"yes\",\"hosts\":100,\"multi_site\":true}"), "high/P2");
	CHECK_STR(rate("{\"real\":\"yes\",\"hosts\":100,\"sensitive\":true,\"press\":true}"),
		  "critical/P1");
	CHECK_STR(rate("{\"real\":\"yes\",\"damage\":\"severe\",\"symptoms\":"
		       "[{\"kind\":\"new-accounts\",\"evidence\":\"x\"}]}"),
		  "high/P2");
	CHECK_STR(rate("{\"real\":\"yes\",\"hosts\":-3}"), "invalid");
	CHECK_STR(rate("{\"real\":\"yes\",\"override\":{\"severity\":\"low\"}}"), "invalid");
	CHECK_STR(rate("{\"hosts\":3}"), "invalid");
}

TEST(playbook_errors_name_the_line)
{
	static const char bad[] = "name: x\ntitle: X\ncategory: ddos\nseverity: low\nsummary: s\n"
				  "tasks:\n  - title: a\n    phase: triage\n    role: boss\n";
	struct irk_err err = IRK_ERR_INIT;
	json_t *pb = NULL;

	CHECK(irk_playbook_parse(bad, sizeof(bad) - 1, "t.yml", NULL, &pb, &err) == IRK_EINVAL);
	CHECK(strstr(err.msg, "t.yml:9: role 'boss'") != NULL);
	irk_err_clear(&err);
	CHECK(irk_playbook_parse(bad, sizeof(bad) - 1, "t.yml", "y", &pb, &err) == IRK_EINVAL);
	irk_err_clear(&err);
	CHECK(irk_playbook_parse("", 0, "e.yml", NULL, &pb, &err) == IRK_EINVAL);
	CHECK(strstr(err.msg, "empty") != NULL);
}

int main(void)
{
	RUN(span_parse);
	RUN(moment_parse);
	RUN(assess_rule);
	RUN(playbook_errors_name_the_line);
	return unit_done();
}
