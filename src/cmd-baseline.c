/* cmd-baseline.c - irk baseline: record a tree's files in a signed baseline, and check it later. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli-report.h"
#include "commands.h"
#include "irk/baseline.h"
#include "irk/fs.h"
#include "irk/timefmt.h"

#define DEFAULT_FILE "host.baseline"

static const char usage[] =
	"usage: irk baseline create [--policy FILE] [-o FILE] [--threads N] [-q] [--json] [PATH...]\n"
	"       irk baseline check [--baseline FILE] [--trust VKEY]... [--attach INC]\n"
	"                          [--report FILE] [--threads N] [-q] [--json]\n"
	"       irk baseline policy\n\n"
	"create  walks the policy's roots (or the PATHs given) and writes a baseline\n"
	"        signed with your key: per file its type, mode, owner, size, times,\n"
	"        inode, link count, link target and SHA-256.  Symlinks are never\n"
	"        followed; other file systems, /proc, /sys and /dev are not entered\n"
	"        unless the policy says 'cross-mounts' or 'special'.\n"
	"check   walks the same tree with the baseline's own policy and reports what\n"
	"        was added, removed or changed (old -> new), with flags for what\n"
	"        matters.  Exit status 0: no change; 1: changes; 10: the baseline\n"
	"        does not verify.\n"
	"policy  prints the bundled policy for a Linux host, to copy and edit.\n\n"
	"  --policy FILE    the policy to use (default: the bundled one)\n"
	"  -o FILE          where to write the baseline (default " DEFAULT_FILE ")\n"
	"  --baseline FILE  the baseline to check against (default " DEFAULT_FILE ")\n"
	"  --trust VKEY     also accept baselines signed by this key (from 'irk id')\n"
	"  --attach INC     record the outcome in incident INC's log book\n"
	"  --report FILE    also write the JSON Lines report to FILE\n"
	"  --threads N      hashing threads (default: one per CPU)\n"
	"  -q, --quiet      no progress bar, no warnings\n"
	"  --json           JSON output (check: the JSON Lines report)\n\n"
	"Format, policy directives and flags: docs/INTEGRITY.md.\n";

struct opts {
	const char *policy, *output, *baseline, *attach, *report;
	const char *trust[16];
	size_t ntrust;
	int threads, quiet, json;
};

static enum irk_code load_policy(const char *file, struct irk_policy *p, struct irk_err *err)
{
	struct irk_buf text = IRK_BUF_INIT;
	enum irk_code rc;

	if (!file)
		return irk_policy_parse(irk_policy_default_text, strlen(irk_policy_default_text),
					"the bundled policy", p, err);
	rc = irk_read_file(file, IRK_POLICY_MAX, &text, err);
	if (!rc)
		rc = irk_policy_parse(text.buf, text.len, file, p, err);
	irk_buf_release(&text);
	return rc;
}

static void warn_entry(const struct opts *o, const struct irk_fentry *e)
{
	struct irk_buf shown = IRK_BUF_INIT;
	const char *why = e->errnum ? strerror(e->errnum) : "";

	if (o->quiet)
		return;
	irk_pct_encode(e->path, &shown);
	if (e->type == '?')
		fprintf(stderr, "irk: warning: skipped %s: cannot stat it: %s\n", shown.buf, why);
	else if (e->unlisted)
		fprintf(stderr, "irk: warning: cannot read directory %s: %s; its content is not "
			"recorded\n", shown.buf, why);
	else if (e->hash == IRK_HASH_UNREADABLE)
		fprintf(stderr, "irk: warning: cannot read %s: %s; its content is not recorded\n",
			shown.buf, why);
	else if (e->hash == IRK_HASH_CHANGING)
		fprintf(stderr, "irk: warning: %s changed while it was being hashed\n", shown.buf);
	irk_buf_release(&shown);
}

struct create_ctx {
	const struct opts *o;
	struct irk_baseline_writer *w;
	uint64_t warnings;
};

static enum irk_code create_entry(struct irk_fentry *e, void *arg, struct irk_err *err)
{
	struct create_ctx *c = arg;

	if (e->type == '?' || e->unlisted || e->hash == IRK_HASH_UNREADABLE ||
	    e->hash == IRK_HASH_CHANGING) {
		c->warnings++;
		warn_entry(c->o, e);
		if (e->type == '?')
			return IRK_OK;
	}
	return irk_baseline_add(c->w, e, err);
}

static int do_create(const struct opts *o, char **paths, int npaths)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_policy p;
	struct irk_identity id;
	struct create_ctx c = { o, NULL, 0 };
	struct cli_progress prog;
	struct irk_walk_opts wo = { o->threads, cli_progress_show, &prog };
	char host[256] = "unknown";
	uint64_t count = 0;
	enum irk_code rc;

	if (load_policy(o->policy, &p, &err))
		return cli_error(&err);
	if (npaths && irk_policy_set_roots(&p, paths, (size_t)npaths, &err)) {
		irk_policy_release(&p);
		return cli_error(&err);
	}
	if (cli_identity(&id, &err)) {
		irk_policy_release(&p);
		return cli_error(&err);
	}
	gethostname(host, sizeof(host) - 1);
	cli_progress_init(&prog, o->quiet, 0, "baseline");
	rc = irk_baseline_begin(o->output, &p, host, irk_now_ms(), &c.w, &err);
	if (!rc)
		rc = irk_walk(&p, &wo, create_entry, &c, &err);
	if (!rc)
		rc = irk_baseline_finish(c.w, &id, &count, &err);
	else
		irk_baseline_abort(c.w);
	if (!rc) {
		if (o->json)
			cli_print_json(json_pack("{s:s, s:I, s:I, s:s}", "baseline", o->output,
						 "entries", (json_int_t)count, "warnings",
						 (json_int_t)c.warnings, "signer", id.keyid));
		else
			printf("%s: %llu entries, signed by %s%s\n", o->output,
			       (unsigned long long)count, id.keyid,
			       c.warnings ? " (with warnings, see above)" : "");
	}
	irk_identity_wipe(&id);
	irk_policy_release(&p);
	return rc ? cli_error(&err) : 0;
}

/* ---- check ---- */

struct check_ctx {
	const struct opts *o;
	struct cli_report rep;
};

static void print_change_text(const struct irk_change *c)
{
	static const char *const kinds[] = { "added", "removed", "changed", "skipped" };
	const struct irk_fentry *e = c->cur ? c->cur : c->old;
	struct irk_buf line = IRK_BUF_INIT, v = IRK_BUF_INIT;
	const char *sep = " [";

	irk_buf_addf(&line, "%-8s ", kinds[c->kind]);
	irk_pct_encode(e->path, &line);
	for (int b = 0; b < IRK_FLAG_COUNT; b++)
		if (c->flags & (1u << b)) {
			irk_buf_addf(&line, "%s%s", sep, irk_flag_names[b]);
			sep = ", ";
		}
	if (*sep == ',')
		irk_buf_addch(&line, ']');
	if (c->cur && c->cur->errnum)
		irk_buf_addf(&line, " (%s)", strerror(c->cur->errnum));
	irk_buf_addch(&line, '\n');
	if (c->kind == IRK_CHANGE_CHANGED) {
		for (int b = 0; b < IRK_ATTR_COUNT; b++) {
			if (!(c->attrs & (1u << b)))
				continue;
			irk_buf_addf(&line, "         %s: ", irk_attr_names[b]);
			irk_attr_value(c->old, 1u << b, &line);
			irk_buf_adds(&line, " -> ");
			irk_attr_value(c->cur, 1u << b, &line);
			irk_buf_addch(&line, '\n');
		}
	} else if (c->kind == IRK_CHANGE_ADDED) {
		irk_buf_adds(&line, "         ");
		irk_attr_value(e, IRK_ATTR_TYPE, &line);
		irk_buf_addch(&line, ' ');
		irk_attr_value(e, IRK_ATTR_MODE, &line);
		irk_buf_addf(&line, " %u:%u", e->uid, e->gid);
		if (e->type == 'f') {
			irk_buf_addf(&line, " %llu bytes sha256 ", (unsigned long long)e->size);
			irk_attr_value(e, IRK_ATTR_SHA256, &line);
		} else if (e->target) {
			irk_buf_adds(&line, " -> ");
			irk_pct_encode(e->target, &line);
		}
		irk_buf_addch(&line, '\n');
	}
	fputs(line.buf, stdout);
	irk_buf_release(&line);
	irk_buf_release(&v);
}

static enum irk_code check_change(const struct irk_change *c, void *arg, struct irk_err *err)
{
	struct check_ctx *ctx = arg;

	(void)err;
	cli_report_line(&ctx->rep, irk_change_json(c));
	if (!ctx->o->json)
		print_change_text(c);
	return IRK_OK;
}

static json_t *flags_json(unsigned flags)
{
	json_t *a = json_array();

	for (int b = 0; b < IRK_FLAG_COUNT; b++)
		if (flags & (1u << b))
			json_array_append_new(a, json_string(irk_flag_names[b]));
	return a;
}

static enum irk_code trusted_keys(const struct opts *o, uint8_t (*keys)[IRK_PK_LEN], size_t *n,
				  struct irk_err *err)
{
	struct irk_identity id;
	char name[IRK_NAME_MAX];

	*n = 0;
	for (size_t i = 0; i < o->ntrust; i++) {
		if (irk_vkey_parse(o->trust[i], name, keys[*n], err)) {
			irk_err_prefix(err, "--trust");
			return IRK_EUSAGE;
		}
		(*n)++;
	}
	if (cli_identity(&id, err)) {
		if (*n) {
			irk_err_clear(err);
			return IRK_OK;
		}
		irk_hint(err, "a baseline is checked against your key; or name the signer with --trust");
		return err->code;
	}
	memcpy(keys[(*n)++], id.pk, IRK_PK_LEN);
	irk_identity_wipe(&id);
	return IRK_OK;
}

static int do_check(const struct opts *o)
{
	struct irk_err err = IRK_ERR_INIT;
	uint8_t keys[17][IRK_PK_LEN];
	size_t nkeys;
	struct irk_baseline_reader *r = NULL;
	struct irk_baseline_info info;
	struct irk_policy p;
	struct check_ctx ctx = { o, { 0 } };
	struct cli_progress prog;
	struct irk_walk_opts wo = { o->threads, cli_progress_show, &prog };
	struct irk_check_stats st;
	enum irk_code rc;
	uint64_t total;
	json_t *summary;

	if (trusted_keys(o, keys, &nkeys, &err) ||
	    irk_baseline_open(o->baseline, (const uint8_t(*)[IRK_PK_LEN])keys, nkeys, &r, &info, &err))
		return cli_error(&err);
	if (irk_policy_parse(info.policy.buf, info.policy.len, "the baseline's policy", &p, &err)) {
		irk_baseline_close(r);
		irk_baseline_info_release(&info);
		return cli_error(&err);
	}
	if (cli_report_begin(&ctx.rep, o->report, o->json, &err)) {
		rc = err.code;
		goto done;
	}
	cli_report_line(&ctx.rep, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "report",
					    "baseline.check", "baseline", info.digest, "created",
					    info.created, "host", info.host, "entries",
					    (json_int_t)info.count, "signer", info.signer));
	total = info.count;
	cli_progress_init(&prog, o->quiet, total, "check");
	rc = irk_baseline_check(r, &p, &wo, check_change, &ctx, &st, &err);
	summary = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "files", (json_int_t)st.files,
			    "added", (json_int_t)st.added, "removed", (json_int_t)st.removed,
			    "changed", (json_int_t)st.changed, "skipped", (json_int_t)st.skipped,
			    "flagged", (json_int_t)st.flagged, "flags", flags_json(st.flags));
	if (!rc)
		cli_report_line(&ctx.rep, json_pack("{s:O}", "summary", summary));
	{
		struct irk_err err2 = IRK_ERR_INIT;
		if (cli_report_end(&ctx.rep, rc ? &err2 : &err) && !rc)
			rc = err.code;
	}
	if (rc) {
		json_decref(summary);
		goto done;
	}
	if (!o->json) {
		struct irk_buf fl = IRK_BUF_INIT;
		const char *sep = "";

		for (int b = 0; b < IRK_FLAG_COUNT; b++)
			if (st.flags & (1u << b)) {
				irk_buf_addf(&fl, "%s%s", sep, irk_flag_names[b]);
				sep = ", ";
			}
		printf("%llu added, %llu removed, %llu changed, %llu skipped (%llu entries checked "
		       "against the baseline of %s)%s%s\n",
		       (unsigned long long)st.added, (unsigned long long)st.removed,
		       (unsigned long long)st.changed, (unsigned long long)st.skipped,
		       (unsigned long long)st.files, info.created, fl.len ? "; flagged: " : "", fl.buf);
		irk_buf_release(&fl);
	}
	if (o->attach) {
		struct irk_buf text = IRK_BUF_INIT;
		json_t *data = json_deep_copy(summary);

		json_object_set_new(data, "baseline", json_string(info.digest));
		json_object_set_new(data, "report_sha256", json_string(ctx.rep.sha256));
		json_object_set_new(data, "host", json_string(info.host));
		json_object_set_new(data, "baseline_created", json_string(info.created));
		irk_buf_addf(&text, "Baseline check of %s against the baseline of %s: %llu added, "
			     "%llu removed, %llu changed, %llu skipped; report sha256 %s",
			     info.host, info.created, (unsigned long long)st.added,
			     (unsigned long long)st.removed, (unsigned long long)st.changed,
			     (unsigned long long)st.skipped, ctx.rep.sha256);
		rc = cli_attach(o->attach, "baseline.check", text.buf, data, o->json, &err);
		json_decref(data);
		irk_buf_release(&text);
	}
	json_decref(summary);
	if (!rc && st.added + st.removed + st.changed + st.skipped)
		rc = IRK_EFAIL;
done:
	irk_policy_release(&p);
	irk_baseline_close(r);
	irk_baseline_info_release(&info);
	if (rc && rc != IRK_EFAIL)
		return cli_error(&err);
	return (int)rc;
}

int cmd_baseline(int argc, char **argv)
{
	static const struct option opts[] = { { "policy", required_argument, NULL, 'p' },
					      { "output", required_argument, NULL, 'o' },
					      { "baseline", required_argument, NULL, 'b' },
					      { "trust", required_argument, NULL, 't' },
					      { "attach", required_argument, NULL, 'a' },
					      { "report", required_argument, NULL, 'r' },
					      { "threads", required_argument, NULL, 'T' },
					      { "quiet", no_argument, NULL, 'q' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct opts o = { .output = DEFAULT_FILE, .baseline = DEFAULT_FILE };
	const char *sub;
	int c;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			fputs(usage, stdout);
			return 0;
		}
		return cli_usage("baseline", "say create, check or policy");
	}
	sub = argv[1];
	argc--;
	argv++;
	optind = 0;
	while ((c = cli_getopt(argc, argv, "ho:q", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'p':
			o.policy = optarg;
			break;
		case 'o':
			o.output = optarg;
			break;
		case 'b':
			o.baseline = optarg;
			break;
		case 't':
			if (o.ntrust == 16)
				return cli_usage("baseline", "at most 16 --trust keys");
			o.trust[o.ntrust++] = optarg;
			break;
		case 'a':
			o.attach = optarg;
			break;
		case 'r':
			o.report = optarg;
			break;
		case 'T':
			o.threads = atoi(optarg);
			if (o.threads < 1 || o.threads > 16)
				return cli_usage("baseline", "--threads takes 1 to 16");
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'j':
			o.json = 1;
			break;
		}
	}
	if (!strcmp(sub, "create")) {
		if (o.attach || o.report || o.ntrust)
			return cli_usage("baseline", "--attach, --report and --trust go with 'check'");
		return do_create(&o, argv + optind, argc - optind);
	}
	if (!strcmp(sub, "check")) {
		if (optind < argc)
			return cli_usage("baseline", "check takes no paths: it walks what the baseline "
					 "covers");
		if (o.policy)
			return cli_usage("baseline", "check uses the policy stored in the baseline");
		return do_check(&o);
	}
	if (!strcmp(sub, "policy")) {
		fputs(irk_policy_default_text, stdout);
		return 0;
	}
	return cli_usage("baseline", "unknown subcommand '%s' (create, check or policy)", sub);
}
