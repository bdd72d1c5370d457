/* cmd-import.c - irk import: add a verified bundle from another casebook. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "irk/bundle.h"

static const char usage[] =
	"usage: irk import FILE [--json]\n"
	"       irk import --list [--json]\n\n"
	"Verify a bundle made by 'irk export' in another casebook and add it to\n"
	"this one.  Nothing is added unless the whole bundle verifies.  The\n"
	"bundle itself and its evidence objects go into the object store; an\n"
	"'import' entry in this casebook's chain, signed by you, records the\n"
	"bundle's SHA-256, its manifest's SHA-256 and the incident's last entry.\n"
	"The foreign entries stay in the stored bundle exactly as they were\n"
	"signed, so 'irk verify' re-verifies every import each time it runs.\n\n"
	"  --list    list the imported incidents\n"
	"  --json    JSON output (JSON Lines for --list)\n";

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = { { "list", no_argument, NULL, 'l' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_bundle_result res = { 0 };
	struct irk_identity id;
	json_t *list = NULL, *it;
	size_t i;
	int c, json = 0, rc = 0, do_list = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'l')
			do_list = 1;
		else if (c == 'j')
			json = 1;
	}
	if (do_list ? argc - optind != 0 : argc - optind != 1)
		return cli_usage("import", do_list ? "--list takes no file" : "give one bundle FILE");
	if (cli_casebook(&cb, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (do_list) {
		if ((rc = irk_bundle_imports(cb, &list, &err))) {
			rc = cli_error(&err);
			goto done;
		}
		json_array_foreach(list, i, it) {
			if (json)
				cli_print_json(json_incref(it));
			else
				printf("%lld  %s  %s  %s  (%lld entries, from casebook %s by %s)\n",
				       (long long)json_integer_value(json_object_get(it, "num")),
				       json_string_value(json_object_get(it, "imported")),
				       json_string_value(json_object_get(it, "inc")),
				       json_string_value(json_object_get(it, "title")),
				       (long long)json_integer_value(json_object_get(it, "entries")),
				       json_string_value(json_object_get(it, "book")),
				       json_string_value(json_object_get(it, "exporter")));
		}
		goto done;
	}
	if (cli_identity(&id, &err) || irk_bundle_import(cb, &id, argv[optind], &res, &err)) {
		rc = cli_error(&err);
		if (json_array_size(res.problems) > 1)
			json_array_foreach(res.problems, i, it)
				fprintf(stderr, "  %s\n", json_string_value(it));
		goto done;
	}
	if (json)
		cli_print_json(json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "inc", res.inc, "book",
					 res.book, "title", res.title, "entries",
					 (json_int_t)res.entries, "objects", (json_int_t)res.objects,
					 "manifest", res.manifest_sha256));
	else
		printf("imported %s \"%s\" from casebook %s: %lld entries and %lld objects verified "
		       "(exported by %s)\n",
		       res.inc, res.title, res.book, (long long)res.entries, (long long)res.objects,
		       res.exporter);
done:
	json_decref(list);
	irk_bundle_result_release(&res);
	irk_casebook_close(cb);
	return rc;
}
