/* test-comms.c - unit tests of the communication library: rendering, config, pseudonyms, share. */
#include <jansson.h>
#include <string.h>

#include "irk/share.h"
#include "irk/template.h"
#include "unit.h"

TEST(render_fills_and_refuses)
{
	json_t *vars = json_pack("{s:s}", "title", "Web shell");
	struct irk_buf out = IRK_BUF_INIT;
	struct irk_err err = IRK_ERR_INIT;

	CHECK(irk_template_render("On {{title}}.", 13, vars, &out, &err) == IRK_OK);
	CHECK_STR(out.buf, "On Web shell.");
	irk_buf_reset(&out);
	CHECK(irk_template_render("a\n {{nope}}", 11, vars, &out, &err) == IRK_EINVAL);
	CHECK(strstr(err.msg, "line 2 column 2") != NULL);
	irk_err_clear(&err);
	CHECK(irk_template_render("x {{title", 9, vars, &out, &err) == IRK_EINVAL);
	irk_buf_release(&out);
	json_decref(vars);
}

TEST(config_and_nets)
{
	const char *text = "book: x\ncomms.org-domain: example.org, example.net\n"
			   "comms.internal-net: 10.0.0.0/8\ncomms.internal-host: *.corp.example.org\n";
	struct irk_comms_config c;
	struct irk_net n;

	CHECK(irk_comms_config_parse(text, strlen(text), &c, NULL) == IRK_OK);
	CHECK(c.org_domains.n == 2);
	CHECK(irk_comms_host_own(&c, "www.example.net", 15));
	CHECK(!irk_comms_host_own(&c, "badexample.org", 14));
	CHECK(irk_comms_host_internal(&c, "DB1.Corp.Example.Org", 20));
	CHECK(irk_comms_addr_internal(&c, "10.9.9.9", 8));
	CHECK(!irk_comms_addr_internal(&c, "192.168.1.1", 11)); /* configured nets replace defaults */
	irk_comms_config_release(&c);
	CHECK(irk_net_parse("2001:db8::/32", &n, NULL) == IRK_OK);
	CHECK(irk_net_contains(&n, "2001:db8::5", 11));
	CHECK(!irk_net_contains(&n, "2001:db9::5", 11));
	CHECK(irk_net_parse("10.0.0.0/33", &n, NULL) == IRK_EINVAL);
}

TEST(pseudonyms_are_stable_and_keyed)
{
	uint8_t k1[IRK_SHARE_KEY_LEN] = { 1 }, k2[IRK_SHARE_KEY_LEN] = { 2 };
	char a[32], b[32], c[32];

	irk_pseudonym(k1, "user", "alice", 5, a);
	irk_pseudonym(k1, "user", "ALICE", 5, b);
	irk_pseudonym(k2, "user", "alice", 5, c);
	CHECK_STR(a, b);
	CHECK(strcmp(a, c) != 0);
	CHECK(strncmp(a, "user-", 5) == 0 && strlen(a) == 15);
}

TEST(share_reads_observables)
{
	json_t *entries = json_loads(
		"[{\"seq\":2,\"at\":\"2026-11-21T08:00:00.000Z\",\"tz\":\"+01:00\",\"kind\":\"finding\","
		"\"text\":\"ssh brute force\",\"data\":{\"observables\":[\"198.51.100.9\","
		"{\"type\":\"ip\",\"value\":\"198.51.100.10\"},{\"type\":\"host\",\"value\":\"web01.corp.example.org\"}],"
		"\"host\":\"web01.corp.example.org\",\"lines\":[\"web01.corp.example.org: from 198.51.100.9 user=jdoe\"]}}]",
		0, NULL);
	const char *cfgtext = "comms.internal-host: *.corp.example.org\n";
	struct irk_comms_config cfg;
	struct irk_share_req req = { "INC-2026-0001", "198.51.100.0/24", "them", IRK_SHARE_TEXT, 0 };
	uint8_t key[IRK_SHARE_KEY_LEN] = { 7 };
	struct irk_buf out = IRK_BUF_INIT;
	json_t *summary = NULL;

	CHECK(entries != NULL);
	CHECK(irk_comms_config_parse(cfgtext, strlen(cfgtext), &cfg, NULL) == IRK_OK);
	CHECK(irk_share_build(entries, &req, &cfg, key, 0, &out, &summary, NULL) == IRK_OK);
	CHECK(strstr(out.buf, "ip 198.51.100.10") != NULL);
	CHECK(strstr(out.buf, "observable 198.51.100.9") != NULL);
	CHECK(strstr(out.buf, "jdoe") == NULL);
	CHECK(strstr(out.buf, "web01") == NULL);
	CHECK(strstr(out.buf, "host-") != NULL);
	CHECK(json_integer_value(json_object_get(summary, "observables")) == 2);
	CHECK(json_integer_value(json_object_get(summary, "lines")) == 1);
	json_decref(summary);
	json_decref(entries);
	irk_buf_release(&out);
	irk_comms_config_release(&cfg);
}

int main(void)
{
	RUN(render_fills_and_refuses);
	RUN(config_and_nets);
	RUN(pseudonyms_are_stable_and_keyed);
	RUN(share_reads_observables);
	return unit_done();
}
