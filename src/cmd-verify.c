/* cmd-verify.c - irk verify: prove the casebook's record is intact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "irk/bundle.h"
#include "irk/checkpoint.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/verify.h"

static const char usage[] =
	"usage: irk verify [INC] [--checkpoint FILE]... [--json] [--threads N]\n"
	"       irk verify BUNDLE [--json]\n\n"
	"Check every log-book entry of the casebook: its hash, its link to the\n"
	"previous entry, its signature by a member's key, that every incident the\n"
	"casebook recorded still has its log book, that stored checkpoints still\n"
	"hold, and that replaying the entries rebuilds the casebook's tables.\n"
	"With --checkpoint, also prove that the log book extends a checkpoint\n"
	"kept elsewhere (no entry removed, none rewritten).  Bundles imported with\n"
	"'irk import' are re-verified from the object store.\n\n"
	"Given a BUNDLE file from 'irk export', verify it alone, offline, with no\n"
	"casebook: the manifest and its signature, every file's hash, every entry's\n"
	"hash, link and signature, a replay of the entries, the checkpoints and\n"
	"the evidence objects.  Every problem found is listed.\n\n"
	"  INC                name an incident to report on (the whole casebook is\n"
	"                     always verified)\n"
	"  --checkpoint FILE  a checkpoint from 'irk checkpoint' (repeatable)\n"
	"  --threads N        signature-checking threads (default: one per CPU)\n"
	"  --json             print the result as one JSON object\n\n"
	"Exit status: 0 when everything verifies, 10 when something does not\n"
	"(the message names the incident and entry of the first fault).\n";

/* An argument naming an existing file is a bundle (an incident id never has a '/', "7" might). */
static int is_file(const char *arg)
{
	struct stat st;

	return irk_bundle_sniff(arg) || (strchr(arg, '/') && stat(arg, &st) == 0) ||
	       (stat(arg, &st) == 0 && S_ISREG(st.st_mode) && strncasecmp(arg, "inc-", 4) &&
		strspn(arg, "0123456789") != strlen(arg));
}

/* A bundle on its own: no casebook needed. */
static int verify_bundle(const char *file, int json)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_bundle_result res;
	enum irk_code rc = irk_bundle_verify(file, &res, &err);
	json_t *it;
	size_t i;

	if (json) {
		json_t *o = json_pack("{s:s, s:b, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:s}",
				      "bundle", file, "ok", !rc, "book", res.book, "inc", res.inc,
				      "title", res.title, "entries", (json_int_t)res.entries,
				      "casebook_entries", (json_int_t)res.casebook_entries, "objects",
				      (json_int_t)res.objects, "keys", (json_int_t)res.keys,
				      "checkpoints", (json_int_t)res.checkpoints, "manifest",
				      res.manifest_sha256, "exporter", res.exporter);
		json_object_set(o, "problems", res.problems ? res.problems : json_array());
		if (rc && !json_array_size(res.problems))
			json_array_append_new(json_object_get(o, "problems"), json_string(err.msg));
		cli_print_json(o);
	} else if (!rc) {
		printf("ok: bundle %s: %s \"%s\" from casebook %s, %lld entries and %lld casebook "
		       "entries (hashes, links, signatures, replay), %lld keys, %lld checkpoints, "
		       "%lld objects verify; manifest signed by %s\n",
		       file, res.inc, res.title, res.book, (long long)res.entries,
		       (long long)res.casebook_entries, (long long)res.keys,
		       (long long)res.checkpoints, (long long)res.objects, res.exporter);
	}
	if (rc) {
		cli_error(&err);
		if (!json && json_array_size(res.problems) > 1)
			json_array_foreach(res.problems, i, it)
				fprintf(stderr, "  %s\n", json_string_value(it));
	}
	irk_bundle_result_release(&res);
	return (int)rc;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = { { "checkpoint", required_argument, NULL, 'c' },
					      { "threads", required_argument, NULL, 't' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_verify_result res;
	const char *files[16];
	char inc[IRK_CHAIN_MAX] = "";
	json_t *out = json_object(), *receipts = json_array(), *imports = NULL;
	int c, json = 0, threads = 0, nfiles = 0, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1) {
			json_decref(out);
			json_decref(receipts);
			return cli_getopt_exit(c);
		}
		if (c == 'c') {
			if (nfiles == 16) {
				json_decref(out);
				json_decref(receipts);
				return cli_usage("verify", "at most 16 checkpoints at once");
			}
			files[nfiles++] = optarg;
		} else if (c == 't')
			threads = atoi(optarg);
		else if (c == 'j')
			json = 1;
	}
	if (argc - optind > 1) {
		json_decref(out);
		json_decref(receipts);
		return cli_usage("verify", "give at most one incident");
	}
	if (optind < argc && is_file(argv[optind])) {
		json_decref(out);
		json_decref(receipts);
		return verify_bundle(argv[optind], json);
	}
	if (cli_casebook(&cb, &err) ||
	    (optind < argc && irk_incident_resolve(cb, argv[optind], inc, &err)))
		goto fail;
	imports = json_array();
	if (irk_verify(cb, threads, &res, &err) || irk_bundle_verify_imports(cb, imports, &err))
		goto fail;
	for (int i = 0; i < nfiles; i++) {
		struct irk_buf note = IRK_BUF_INIT;
		struct irk_checkpoint_result cr;
		enum irk_code r = irk_read_file(files[i], IRK_NOTE_MAX, &note, &err);
		if (!r)
			r = irk_checkpoint_verify(cb, note.buf, note.len, &cr, &err);
		irk_buf_release(&note);
		if (r) {
			irk_err_prefix(&err, "checkpoint %s", files[i]);
			goto fail;
		}
		json_array_append_new(receipts,
				      json_pack("{s:s, s:s, s:I, s:I, s:i, s:i, s:s}", "file", files[i],
						"chain", cr.chain, "size", (json_int_t)cr.size, "current",
						(json_int_t)cr.current, "signers", cr.signers,
						"cosigners", cr.cosigners, "signed_by", cr.names));
		if (!json)
			printf("checkpoint %s: %s extends the %llu receipted entries (now %lld); signed by %s\n",
			       files[i], *cr.chain ? cr.chain : "the casebook chain",
			       (unsigned long long)cr.size, (long long)cr.current, cr.names);
	}
	if (json) {
		json_object_set_new(out, "ok", json_true());
		json_object_set_new(out, "entries", json_integer(res.entries));
		json_object_set_new(out, "chains", json_integer(res.chains));
		json_object_set_new(out, "tables", json_integer(res.tables));
		json_object_set_new(out, "checkpoints", json_integer(res.checkpoints));
		json_object_set_new(out, "unreceipted", json_integer(res.unreceipted));
		json_object_set_new(out, "receipts", receipts);
		json_object_set_new(out, "imports", json_incref(imports));
		if (*inc) {
			char head[IRK_SHA256_HEX];
			int64_t n;
			if (irk_logbook_head(cb, inc, &n, head, &err) == IRK_OK)
				json_object_set_new(out, "incident",
						    json_pack("{s:s, s:I, s:s}", "id", inc, "entries",
							      (json_int_t)n, "head", head));
		}
		cli_print_json(out);
	} else {
		printf("ok: %lld entries in %lld log books: hashes, links and signatures verify; "
		       "%lld tables match a replay; %lld stored checkpoints hold\n",
		       (long long)res.entries, (long long)res.chains, (long long)res.tables,
		       (long long)res.checkpoints);
		if (json_array_size(imports))
			printf("ok: %zu imported bundle(s) still hash to what their import entries "
			       "recorded and verify\n",
			       json_array_size(imports));
		if (res.unreceipted)
			printf("note: %lld entries are newer than any checkpoint (not yet receipted; "
			       "see 'irk checkpoint')\n",
			       (long long)res.unreceipted);
		json_decref(out);
		json_decref(receipts);
	}
	json_decref(imports);
	irk_casebook_close(cb);
	return 0;
fail:
	json_decref(imports);
	if (json) {
		json_object_set_new(out, "ok", json_false());
		json_object_set_new(out, "error",
				    json_pack("{s:s, s:s}", "code", irk_code_name(err.code), "message",
					      err.msg));
		cli_print_json(out);
	} else {
		json_decref(out);
	}
	json_decref(receipts);
	rc = cli_error(&err);
	irk_casebook_close(cb);
	return rc;
}
