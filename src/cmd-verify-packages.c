/* cmd-verify-packages.c - irk verify-packages: installed files against dpkg's checksums. */
#include <stdio.h>
#include <string.h>

#include "cli-report.h"
#include "commands.h"
#include "irk/pkgverify.h"

static const char usage[] =
	"usage: irk verify-packages [--admindir DIR] [--root DIR] [--attach INC]\n"
	"                           [--report FILE] [--json] [PACKAGE...]\n\n"
	"Check the files of installed packages (or only the PACKAGEs named)\n"
	"against the checksums dpkg keeps (info/<package>.md5sums, and the\n"
	"conffile hashes in the status file).  Reports files that are modified,\n"
	"missing, replaced (no longer a regular file) or unreadable; conffiles\n"
	"separately, since they are meant to be edited; and the packages that\n"
	"ship no checksums, whose files cannot be checked this way.\n"
	"Exit status 0: all verified; 1: something was found.\n\n"
	"  --admindir DIR  dpkg's database (default /var/lib/dpkg), e.g. a copy\n"
	"  --root DIR      where the files are (default /), e.g. a mounted image\n"
	"  --attach INC    record the outcome in incident INC's log book\n"
	"  --report FILE   also write the JSON Lines report to FILE\n"
	"  --json          print the JSON Lines report\n";

struct ctx {
	struct cli_report rep;
	int json;
	struct irk_buf no_sums;
};

static enum irk_code on_finding(const struct irk_pkg_finding *f, void *arg, struct irk_err *err)
{
	struct ctx *c = arg;
	json_t *j = json_pack("{s:s, s:s}", "finding", irk_pkg_kind_names[f->kind], "package",
			      f->package);

	(void)err;
	if (f->path) {
		json_t *path = json_string(f->path); /* NULL when the name is not UTF-8 */
		json_object_set_new(j, "path", path ? path : json_string("(not UTF-8)"));
	}
	if (f->expected[0])
		json_object_set_new(j, "expected_md5", json_string(f->expected));
	if (f->actual[0])
		json_object_set_new(j, "actual_md5", json_string(f->actual));
	if (f->errnum)
		json_object_set_new(j, "error", json_string(strerror(f->errnum)));
	cli_report_line(&c->rep, j);
	if (c->json)
		return IRK_OK;
	if (f->kind == IRK_PKG_NO_MD5SUMS) {
		irk_buf_addf(&c->no_sums, " %s", f->package);
		return IRK_OK;
	}
	printf("%-17s %-24s %s", irk_pkg_kind_names[f->kind], f->package, f->path);
	if (f->errnum)
		printf(" (%s)", strerror(f->errnum));
	putchar('\n');
	return IRK_OK;
}

int cmd_verify_packages(int argc, char **argv)
{
	static const struct option opts[] = { { "admindir", required_argument, NULL, 'd' },
					      { "root", required_argument, NULL, 'R' },
					      { "attach", required_argument, NULL, 'a' },
					      { "report", required_argument, NULL, 'r' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_pkg_opts po = { NULL, NULL, NULL, 0 };
	struct irk_pkg_stats st;
	struct ctx c = { { 0 }, 0, IRK_BUF_INIT };
	const char *attach = NULL, *report = NULL;
	enum irk_code rc;
	json_t *summary;
	uint64_t found;
	int opt;

	optind = 0;
	while ((opt = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (opt < -1)
			return cli_getopt_exit(opt);
		if (opt == 'd')
			po.admindir = optarg;
		else if (opt == 'R')
			po.root = optarg;
		else if (opt == 'a')
			attach = optarg;
		else if (opt == 'r')
			report = optarg;
		else if (opt == 'j')
			c.json = 1;
	}
	po.only = argv + optind;
	po.n_only = (size_t)(argc - optind);
	if (cli_report_begin(&c.rep, report, c.json, &err))
		return cli_error(&err);
	cli_report_line(&c.rep, json_pack("{s:s, s:s, s:s}", "report", "packages.verify", "admindir",
					  po.admindir ? po.admindir : "/var/lib/dpkg", "root",
					  po.root ? po.root : "/"));
	rc = irk_pkg_verify(&po, on_finding, &c, &st, &err);
	summary = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "packages",
			    (json_int_t)st.packages, "files", (json_int_t)st.files, "conffiles",
			    (json_int_t)st.conffiles, "modified", (json_int_t)st.modified, "missing",
			    (json_int_t)st.missing, "replaced", (json_int_t)st.replaced, "unreadable",
			    (json_int_t)st.unreadable, "conffiles_modified",
			    (json_int_t)st.conffiles_modified, "conffiles_missing",
			    (json_int_t)st.conffiles_missing, "no_md5sums", (json_int_t)st.no_md5sums);
	if (!rc)
		cli_report_line(&c.rep, json_pack("{s:O}", "summary", summary));
	if (!rc)
		rc = cli_report_end(&c.rep, &err);
	else
		cli_report_end(&c.rep, NULL);
	if (!rc && po.n_only && st.packages < po.n_only) {
		irk_fail(&err, IRK_ENOTFOUND, "only %llu of the %zu packages named are installed",
			 (unsigned long long)st.packages, po.n_only);
		rc = IRK_ENOTFOUND;
	}
	if (!rc && !c.json) {
		if (c.no_sums.len)
			printf("no md5sums (files not checked): %llu package%s:%s\n",
			       (unsigned long long)st.no_md5sums, st.no_md5sums == 1 ? "" : "s",
			       c.no_sums.buf);
		printf("%llu packages, %llu files and %llu conffiles checked: %llu modified, %llu "
		       "missing, %llu replaced, %llu unreadable; conffiles: %llu modified, %llu "
		       "missing\n",
		       (unsigned long long)st.packages, (unsigned long long)st.files,
		       (unsigned long long)st.conffiles, (unsigned long long)st.modified,
		       (unsigned long long)st.missing, (unsigned long long)st.replaced,
		       (unsigned long long)st.unreadable, (unsigned long long)st.conffiles_modified,
		       (unsigned long long)st.conffiles_missing);
	}
	if (!rc && attach) {
		struct irk_buf text = IRK_BUF_INIT;
		json_t *data = json_deep_copy(summary);

		json_object_set_new(data, "report_sha256", json_string(c.rep.sha256));
		irk_buf_addf(&text, "Package verification: %llu packages, %llu files; %llu modified, "
			     "%llu missing, %llu replaced; %llu conffiles modified; %llu packages "
			     "without md5sums; report sha256 %s",
			     (unsigned long long)st.packages, (unsigned long long)st.files,
			     (unsigned long long)st.modified, (unsigned long long)st.missing,
			     (unsigned long long)st.replaced, (unsigned long long)st.conffiles_modified,
			     (unsigned long long)st.no_md5sums, c.rep.sha256);
		rc = cli_attach(attach, "packages.verify", text.buf, data, c.json, &err);
		json_decref(data);
		irk_buf_release(&text);
	}
	json_decref(summary);
	irk_buf_release(&c.no_sums);
	if (rc)
		return cli_error(&err);
	found = st.modified + st.missing + st.replaced + st.unreadable + st.conffiles_modified +
		st.conffiles_missing;
	return found ? IRK_EFAIL : 0;
}
