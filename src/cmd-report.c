/* cmd-report.c - irk report: postmortem, executive, technical and disclosure reports. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/report.h"

static const char usage[] =
	"usage: irk report [INC] [--kind K] [--format F] [-o FILE]\n"
	"       irk report --check FILE [--json]\n\n"
	"Generate a report from the casebook, with the timeline chart and a footer\n"
	"that ties it to the record: the log book's entry count, head hash and\n"
	"Merkle root, and a signed checkpoint (made and stored now, as 'irk\n"
	"checkpoint' does, when you have an identity).\n\n"
	"  --kind K         postmortem (default), executive, technical or disclosure\n"
	"  --format F       md (default), html or pdf (through headless Chromium)\n"
	"  -o, --output F   write to F (a PDF needs it; default INC-KIND.pdf)\n"
	"  --check FILE     does this report (md or html) still match the casebook?\n"
	"                   exit 0 current, 1 stale (entries added since), 10 when\n"
	"                   it does not match the record\n"
	"  --json           with --check: the result as JSON\n";

static int check(struct irk_casebook *cb, const char *file, int json)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_buf text = IRK_BUF_INIT;
	json_t *res = NULL;
	enum irk_code rc;

	if (irk_read_file(file, IRK_REPORT_MAX, &text, &err)) {
		irk_buf_release(&text);
		return cli_error(&err);
	}
	rc = irk_report_check(cb, text.buf, text.len, &res, &err);
	irk_buf_release(&text);
	if (!res)
		return cli_error(&err);
	if (json) {
		cli_print_json(res);
		return rc;
	}
	if (rc == IRK_OK)
		printf("current: %s matches %s at entry %lld (head %.16s...)",
		       file, json_string_value(json_object_get(res, "inc")),
		       (long long)json_integer_value(json_object_get(res, "entries")),
		       json_string_value(json_object_get(res, "head")));
	else if (rc == IRK_EFAIL)
		printf("stale: %s covers %s up to entry %lld; entries added since: %lld",
		       file, json_string_value(json_object_get(res, "inc")),
		       (long long)json_integer_value(json_object_get(res, "entries")),
		       (long long)json_integer_value(json_object_get(res, "added")));
	else
		printf("MISMATCH: %s does not match the log book of %s (entry %lld differs, or the "
		       "checkpoint does not verify)",
		       file, json_string_value(json_object_get(res, "inc")),
		       (long long)json_integer_value(json_object_get(res, "entries")));
	printf("; checkpoint %s\n", json_string_value(json_object_get(res, "checkpoint")));
	if (rc == IRK_EFAIL)
		printf("hint: generate it again with 'irk report %s'\n",
		       json_string_value(json_object_get(res, "inc")));
	json_decref(res);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = { { "kind", required_argument, NULL, 'k' },
					      { "format", required_argument, NULL, 'f' },
					      { "output", required_argument, NULL, 'o' },
					      { "check", required_argument, NULL, 'c' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	static const char *const formats[] = { "md", "html", "pdf", NULL };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_buf out = IRK_BUF_INIT, pdf_name = IRK_BUF_INIT;
	const char *kind = "postmortem", *format = "md", *output = NULL, *check_file = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, json = 0, rc = 0, have_id;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "ho:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'k': kind = optarg; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'c': check_file = optarg; break;
		case 'j': json = 1; break;
		}
	}
	if (irk_list_index(irk_report_kinds, kind) < 0)
		return cli_usage("report", "unknown kind '%s' (postmortem, executive, technical or "
					   "disclosure)", kind);
	if (irk_list_index(formats, format) < 0)
		return cli_usage("report", "unknown format '%s' (md, html or pdf)", format);
	if (argc - optind > (check_file ? 0 : 1))
		return cli_usage("report", "too many arguments");
	if (cli_casebook(&cb, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (check_file) {
		rc = check(cb, check_file, json);
		goto done;
	}
	if (cli_incident(cb, argc > optind ? argv[optind] : NULL, inc, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	have_id = cli_identity(&id, &err) == IRK_OK;
	if (!have_id) {
		fprintf(stderr, "note: no identity, so the footer carries no signed checkpoint (%s)\n",
			err.msg);
		irk_err_clear(&err);
	}
	if (!strcmp(format, "md") ? irk_report_markdown(cb, have_id ? &id : NULL, inc, kind, &out, &err)
				  : irk_report_html(cb, have_id ? &id : NULL, inc, kind, &out, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (!strcmp(format, "pdf")) {
		if (!output) {
			irk_buf_addf(&pdf_name, "%s-%s.pdf", inc, kind);
			output = pdf_name.buf;
		}
		if (irk_report_pdf(out.buf, out.len, output, &err))
			rc = cli_error(&err);
		else
			printf("wrote %s\n", output);
	} else if (output) {
		if (irk_write_file(output, out.buf, out.len, 0644, &err))
			rc = cli_error(&err);
	} else {
		fwrite(out.buf, 1, out.len, stdout);
	}
done:
	irk_buf_release(&out);
	irk_buf_release(&pdf_name);
	irk_casebook_close(cb);
	return rc;
}
