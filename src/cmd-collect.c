/* cmd-collect.c - irk collect: a live snapshot of this host, in order of volatility. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "irk/collect.h"
#include "irk/evidence.h"
#include "irk/fs.h"
#include "irk/timefmt.h"

static const char usage[] =
	"usage: irk collect [-o DIR|FILE.tar.zst] [--attach INC] [--force-inside]\n"
	"                   [--root DIR] [--areas LIST] [--copy-max SIZE]\n"
	"                   [--copy-total SIZE] [--sign] [--json]\n\n"
	"Take a snapshot of this Linux host, most volatile first: clock, network,\n"
	"processes, sessions, kernel modules and mounts, logins, accounts,\n"
	"persistence (sudoers, cron, systemd, SSH keys, histories), temporary\n"
	"directories, set-uid files, packages, logs.  Only /proc, /sys and files\n"
	"are read; no program of the host is run.  Needs no casebook.\n\n"
	"  -o, --output OUT  a new directory, or an archive when OUT ends in .tar.zst\n"
	"                    (default: irk-collect-HOST-TIME in this directory)\n"
	"  --attach INC      record the collection (its manifest's SHA-256, host,\n"
	"                    time and counts) in the incident's log book\n"
	"  --force-inside    allow OUT inside a collected tree (/tmp, /var/tmp,\n"
	"                    /dev/shm, /var/log); OUT itself is then left out\n"
	"  --root DIR        read the files from the system mounted at DIR (a\n"
	"                    suspect disk's image, a container's root) instead of\n"
	"                    from /; paths are resolved inside DIR as if it were /\n"
	"                    and recorded as they are there.  The areas that read\n"
	"                    the running kernel (clock, network, processes,\n"
	"                    sessions, kernel) describe this host, so they are\n"
	"                    left out unless --areas names them\n"
	"  --areas LIST      collect only these areas (comma-separated names from\n"
	"                    the list above, e.g. processes,network; or all)\n"
	"  --copy-max SIZE   largest file copied (default 1G; K, M, G suffixes)\n"
	"  --copy-total SIZE all copies together (default 4G); past it, files are\n"
	"                    hashed only, so a snapshot cannot fill the disk\n"
	"  --sign            refuse to run without an identity to sign with\n"
	"  --json            print the summary as JSON\n\n"
	"The manifest is signed with your identity when there is one, and left\n"
	"unsigned (with a warning) otherwise.  Run as root: an ordinary user sees\n"
	"only part of the host.  docs/COLLECT.md lists what is collected and why.\n";

static void progress(const char *area, int index, int total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r\033[Kcollecting [%d/%d] %s", index, total, area);
	fflush(stderr);
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s)
		return -1;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end || v == 0)
		return -1;
	*out = v;
	return 0;
}

static void default_output(struct irk_buf *out)
{
	char host[256] = "host", stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	for (char *p = host; *p; p++)
		if (*p == '/' || *p == ' ')
			*p = '_';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	irk_buf_addf(out, "irk-collect-%s-%s", host, stamp);
}

static void print_summary(const struct irk_collect_result *res, int json)
{
	char dur[32];

	if (json) {
		json_t *counts = json_object();

		for (int i = 0; i < IRK_CC_N; i++)
			json_object_set_new(counts, irk_collect_count_names[i],
					    json_integer((json_int_t)res->counts[i]));
		cli_print_json(json_pack("{s:s, s:s, s:s, s:o, s:I, s:I, s:o}", "output", res->out,
					 "host", res->host, "manifest_sha256", res->manifest_sha256,
					 "signed_by", res->signed_by_key ? json_string(res->keyid) : json_null(),
					 "bytes", (json_int_t)res->bytes, "ms",
					 (json_int_t)(res->finished_ms - res->started_ms), "counts",
					 counts));
		return;
	}
	irk_duration((res->finished_ms - res->started_ms) / 1000, dur);
	printf("collected %s into %s (%s, %.1f MB)\n", res->host, res->out, dur,
	       (double)res->bytes / 1e6);
	for (int i = 0; i < IRK_CC_N; i++)
		printf("  %-12s %llu\n", irk_collect_count_names[i],
		       (unsigned long long)res->counts[i]);
	printf("manifest sha256 %s (%s%s)\n", res->manifest_sha256,
	       res->signed_by_key ? "signed by " : "NOT SIGNED", res->signed_by_key ? res->keyid : "");
}

/*
 * Store the collection in the evidence locker (the archive as one item, or
 * every file of the directory as its own item, in one transaction), then
 * record the collection itself, naming those items.
 */
static int attach_to(struct irk_casebook *cb, const struct irk_identity *id, const char *inc,
		     const struct irk_collect_result *res, int json)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_evidence_opts eo = { .recursive = 1 };
	struct irk_buf why = IRK_BUF_INIT;
	char *paths[1] = { (char *)res->out };
	json_t *added = json_array(), *extra;
	size_t n;
	int rc = 0;

	if (res->root[0])
		irk_buf_addf(&why, "collection of %s from the tree at %s; MANIFEST sha256 %s", res->host,
			     res->root, res->manifest_sha256);
	else
		irk_buf_addf(&why, "live collection of %s; MANIFEST sha256 %s", res->host,
			     res->manifest_sha256);
	eo.how = res->root[0] ? "irk collect --root: read from the files of a mounted system"
			      : "irk collect: read from /proc, /sys and files of the live host, no host program run";
	eo.why = why.buf;
	if (irk_evidence_add_paths(cb, id, inc, paths, 1, &eo, added, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	n = json_array_size(added);
	extra = json_pack("{s:I, s:O, s:O}", "evidence_items", (json_int_t)n, "evidence_first",
			  n ? json_object_get(json_array_get(added, 0), "id") : json_null(),
			  "evidence_last",
			  n ? json_object_get(json_array_get(added, n - 1), "id") : json_null());
	if (irk_collect_attach(cb, id, inc, res, extra, &err))
		rc = cli_error(&err);
	else if (!json)
		printf("attached to %s: evidence %s..%s (%zu items) and a collection entry\n", inc,
		       n ? json_string_value(json_object_get(json_array_get(added, 0), "id")) : "-",
		       n ? json_string_value(json_object_get(json_array_get(added, n - 1), "id")) : "-",
		       n);
	json_decref(extra);
out:
	json_decref(added);
	irk_buf_release(&why);
	return rc;
}

int cmd_collect(int argc, char **argv)
{
	static const struct option opts[] = { { "output", required_argument, NULL, 'o' },
					      { "attach", required_argument, NULL, 'a' },
					      { "force-inside", no_argument, NULL, 'f' },
					      { "root", required_argument, NULL, 'r' },
					      { "areas", required_argument, NULL, 'A' },
					      { "copy-max", required_argument, NULL, 'm' },
					      { "copy-total", required_argument, NULL, 't' },
					      { "sign", no_argument, NULL, 's' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_collect_opts o = { 0 };
	struct irk_collect_result res;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_buf out = IRK_BUF_INIT;
	const char *attach = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, json = 0, require_sign = 0, have_id = 0, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "ho:", opts, usage)) != -1) {
		if (c < -1) {
			irk_buf_release(&out);
			return cli_getopt_exit(c);
		}
		if (c == 'o')
			irk_buf_adds(&out, optarg);
		else if (c == 'a')
			attach = optarg;
		else if (c == 'f')
			o.force_inside = 1;
		else if (c == 'r')
			o.root = optarg;
		else if (c == 'A')
			o.areas = optarg;
		else if (c == 'm' && parse_size(optarg, &o.copy_max)) {
			irk_buf_release(&out);
			return cli_usage("collect", "--copy-max wants a size such as 512M, not '%s'",
					 optarg);
		}
		else if (c == 't' && parse_size(optarg, &o.copy_total)) {
			irk_buf_release(&out);
			return cli_usage("collect", "--copy-total wants a size such as 2G, not '%s'",
					 optarg);
		}
		else if (c == 's')
			require_sign = 1;
		else if (c == 'j')
			json = 1;
	}
	if (optind != argc) {
		irk_buf_release(&out);
		return cli_usage("collect", "unexpected argument '%s'", argv[optind]);
	}
	if (!out.len)
		default_output(&out);
	o.out = out.buf;
	/* the identity signs the manifest; the casebook is needed only to attach */
	if (cli_identity(&id, &err) == IRK_OK) {
		have_id = 1;
		o.signer = &id;
	} else if (require_sign || attach) {
		rc = cli_error(&err);
		goto done;
	} else {
		irk_err_clear(&err);
	}
	if (attach && (cli_casebook(&cb, &err) || cli_incident(cb, attach, inc, &err))) {
		rc = cli_error(&err);
		goto done;
	}
	if (geteuid() != 0)
		fprintf(stderr, "irk: warning: not running as root: other users' processes, sockets "
				"and files will be missing (each is named in collect.log.jsonl)\n");
	if (!have_id)
		fprintf(stderr, "irk: WARNING: no identity, so the MANIFEST will NOT BE SIGNED\n"
				"hint: create one with 'irk id --name NAME --email EMAIL' (or set IRK_KEY)\n");
	if (isatty(STDERR_FILENO))
		o.progress = progress;
	rc = irk_collect_run(&o, &res, &err);
	if (o.progress)
		fprintf(stderr, "\r\033[K");
	if (rc) {
		rc = cli_error(&err);
		goto done;
	}
	print_summary(&res, json);
	if (attach && (rc = attach_to(cb, &id, inc, &res, json)))
		goto done;
done:
	if (have_id)
		irk_identity_wipe(&id);
	irk_casebook_close(cb);
	irk_buf_release(&out);
	return rc;
}
