/* test-report.c - the pieces of lib/report/ that need no casebook: statistics, escaping, postmortem text. */
#include <stdlib.h>

#include "irk/markup.h"
#include "irk/postmortem.h"
#include "irk/report.h"
#include "irk/stats.h"
#include "unit.h"

TEST(median_and_p90)
{
	static const int64_t one[] = { 7 }, two[] = { 1200, 21600 },
			     ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, three[] = { 3600, 7200, 14400 };

	CHECK(irk_stats_median(one, 1) == 7 && irk_stats_p90(one, 1) == 7);
	CHECK(irk_stats_median(two, 2) == 11400 && irk_stats_p90(two, 2) == 21600);
	CHECK(irk_stats_median(three, 3) == 7200 && irk_stats_p90(three, 3) == 14400);
	CHECK(irk_stats_median(ten, 10) == 5.5 && irk_stats_p90(ten, 10) == 9);
	CHECK(irk_stats_median(ten, 0) == 0 && irk_stats_p90(ten, 0) == 0);
}

TEST(escaping)
{
	struct irk_buf b = IRK_BUF_INIT;

	irk_xml_escape(&b, "<a href=\"x\">&'</a>");
	CHECK_STR(b.buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	irk_buf_reset(&b);
	irk_md_escape(&b, "# not a heading | *x* <b>\n- item", 1);
	CHECK_STR(b.buf, "\\# not a heading \\| \\*x\\* &lt;b&gt;<br/>\\- item");
	irk_buf_reset(&b);
	irk_csv_field(&b, "plain");
	irk_buf_addch(&b, ',');
	irk_csv_field(&b, "a \"quoted\", text");
	CHECK_STR(b.buf, "plain,\"a \"\"quoted\"\", text\"");
	irk_buf_release(&b);
}

TEST(postmortem_round_trip)
{
	static const char text[] =
		"## Summary\nOne line.\n\nSecond paragraph.\n"
		"## Contributing factors\n"
		"- Backups untested (entries: 3, #4) (principles: rigor, Fault Tolerance)\n"
		"- Flat network (entries: 2) (principles: compartmentation)\n"
		"## Action items\n- Test restores | owner: a@example.org | due: 2026-12-01T00:00:00Z\n"
		"## Cost\nrate: 80.5\ncurrency: EUR\nother: 1200 new disks\n";
	struct irk_buf out = IRK_BUF_INIT;
	json_t *pm = NULL, *again = NULL, *w;

	CHECK(irk_postmortem_parse(text, sizeof(text) - 1, &pm, NULL) == IRK_OK);
	CHECK_STR(json_string_value(json_object_get(pm, "summary")), "One line.\n\nSecond paragraph.");
	CHECK(json_array_size(json_object_get(pm, "factors")) == 2);
	CHECK(json_integer_value(json_array_get(json_object_get(json_array_get(
		      json_object_get(pm, "factors"), 0), "entries"), 1)) == 4);
	CHECK_STR(json_string_value(json_array_get(json_object_get(json_array_get(
			  json_object_get(pm, "factors"), 0), "principles"), 1)),
		  "fault-tolerance");
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(pm, "actions"), 0),
						    "due")),
		  "2026-12-01T00:00:00Z");
	w = irk_postmortem_warnings(pm);
	CHECK(json_array_size(w) == 0);
	json_decref(w);
	irk_postmortem_format("INC-2026-0001", NULL, pm, &out);
	CHECK(irk_postmortem_parse(out.buf, out.len, &again, NULL) == IRK_OK);
	CHECK(json_equal(pm, again));
	json_decref(pm);
	json_decref(again);
	irk_buf_release(&out);
}

TEST(postmortem_errors_and_warnings)
{
	struct irk_err err = IRK_ERR_INIT;
	json_t *pm = NULL, *w;
	static const char blame[] = "## Summary\nIt was his mistake, plain human error.\n"
				    "## Contributing factors\n- one (entries: 1) (principles: rigor)\n";

	CHECK(irk_postmortem_parse("text first\n## Summary\n", 22, &pm, &err) == IRK_EINVAL);
	CHECK(strstr(err.msg, "line 1"));
	irk_err_clear(&err);
	CHECK(irk_postmortem_parse("## Contributing factors\n- x (principles: speed)\n", 47, &pm,
				   &err) == IRK_EINVAL);
	CHECK(strstr(err.msg, "unknown principle 'speed'"));
	CHECK(irk_postmortem_parse(blame, sizeof(blame) - 1, &pm, NULL) == IRK_OK);
	w = irk_postmortem_warnings(pm);
	CHECK(json_array_size(w) == 3);
	CHECK(strstr(json_string_value(json_array_get(w, 0)), "only one contributing factor"));
	CHECK(strstr(json_string_value(json_array_get(w, 1)), "\"human error\""));
	CHECK(strstr(json_string_value(json_array_get(w, 2)), "\"his mistake\""));
	json_decref(w);
	json_decref(pm);
}

TEST(footer)
{
	static const char md[] = "text\n`irk-record: INC-2026-0003 entries=12 head="
				 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
				 " root=x`\n\n```checkpoint\nirk/b/INC-2026-0003\n12\nr\n\n— a x\n```\n";
	struct irk_report_footer f;

	CHECK(irk_report_footer_parse(md, sizeof(md) - 1, &f, NULL) == IRK_OK);
	CHECK_STR(f.inc, "INC-2026-0003");
	CHECK(f.entries == 12);
	CHECK(f.head[63] == 'f');
	CHECK(!strncmp(f.note.buf, "irk/b/INC-2026-0003\n12\n", 23));
	irk_report_footer_release(&f);
	CHECK(irk_report_footer_parse("irk-record: X entries=0 head=00", 31, &f, NULL) == IRK_EINVAL);
	irk_report_footer_release(&f);
}

int main(void)
{
	RUN(median_and_p90);
	RUN(escaping);
	RUN(postmortem_round_trip);
	RUN(postmortem_errors_and_warnings);
	RUN(footer);
	return unit_done();
}
