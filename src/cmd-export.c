/* cmd-export.c - irk export: write an incident as a signed, self-verifying bundle. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "irk/bundle.h"

static const char usage[] =
	"usage: irk export [INC] -o FILE [--json]\n\n"
	"Write one archive (tar compressed with zstd) holding the incident's log\n"
	"book exactly as stored and signed, the casebook-chain entries that\n"
	"concern it (the casebook's creation, its members, the incident's\n"
	"record), the members' public keys, its checkpoints, its evidence objects\n"
	"and a manifest of every file's SHA-256 signed with your key.  Every\n"
	"evidence object is re-hashed first: a damaged one stops the export.\n\n"
	"Anyone can check the bundle with 'irk verify FILE', without a casebook;\n"
	"'irk import FILE' adds it to another casebook.\n\n"
	"  -o FILE   the bundle to write (never overwritten)\n"
	"  --json    print what was written as JSON\n";

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = { { "output", required_argument, NULL, 'o' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_bundle_result res = { 0 };
	struct irk_identity id;
	const char *out = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, json = 0, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "ho:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'o')
			out = optarg;
		else if (c == 'j')
			json = 1;
	}
	if (!out)
		return cli_usage("export", "name the bundle to write with -o FILE");
	if (argc - optind > 1)
		return cli_usage("export", "give at most one incident");
	if (cli_casebook(&cb, &err) || cli_incident(cb, optind < argc ? argv[optind] : NULL, inc, &err) ||
	    cli_identity(&id, &err) || irk_bundle_export(cb, &id, inc, out, &res, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (json)
		cli_print_json(json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s}", "file", out,
					 "inc", res.inc, "book", res.book, "entries",
					 (json_int_t)res.entries, "casebook_entries",
					 (json_int_t)res.casebook_entries, "objects",
					 (json_int_t)res.objects, "keys", (json_int_t)res.keys,
					 "checkpoints", (json_int_t)res.checkpoints, "manifest",
					 res.manifest_sha256));
	else
		printf("%s: %s with %lld entries, %lld casebook entries, %lld keys, %lld checkpoints, "
		       "%lld objects\nmanifest sha256 %s, signed by %s\n",
		       out, res.inc, (long long)res.entries, (long long)res.casebook_entries,
		       (long long)res.keys, (long long)res.checkpoints, (long long)res.objects,
		       res.manifest_sha256, res.exporter);
done:
	irk_bundle_result_release(&res);
	irk_casebook_close(cb);
	return rc;
}
