/* cmd-evidence.c - irk evidence: the evidence locker (add, list, show, transfer, accept, get, verify). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/evidence.h"
#include "irk/incident.h"

static const char usage[] =
	"usage: irk evidence add [INC] PATH... [--how TEXT] [--why TEXT] [-z] [-r] [--links] [--json]\n"
	"       irk evidence list [INC] [--json]\n"
	"       irk evidence show ID [--json]\n"
	"       irk evidence transfer ID --to MEMBER [--why TEXT]\n"
	"       irk evidence accept ID\n"
	"       irk evidence get ID -o FILE [--why TEXT]\n"
	"       irk evidence verify [INC] [--json]\n\n"
	"The evidence locker.  'add' copies each file into the casebook's object\n"
	"store (named by its SHA-256, read-only) and records where it came from:\n"
	"path, host, size, owner, mode, times, who, when, how and why.  Symbolic\n"
	"links are never followed: a link is refused, or with --links the link\n"
	"itself is recorded.  The first argument is taken as the incident when it\n"
	"names one and more arguments follow.\n\n"
	"Custody changes hands in two signed steps: the custodian runs 'transfer',\n"
	"the receiver runs 'accept' with their own identity.  'get' re-hashes the\n"
	"object, copies it to a new FILE and records the access.  'verify'\n"
	"re-hashes every object and exits 10 when one does not match.\n\n"
	"  --how TEXT    how it was acquired (default: copied by irk evidence add)\n"
	"  --why TEXT    why it was taken, handed over or accessed\n"
	"  -z, --compress  store the object zstd-compressed\n"
	"  -r, --recursive add every file below a directory\n"
	"  --links       record symbolic links themselves instead of refusing them\n"
	"  --to MEMBER   the receiver (key id, e-mail or name)\n"
	"  -o FILE       where 'get' writes the copy (never overwritten)\n"
	"  --json        JSON output (JSON Lines for lists)\n\n"
	"ID is E7, 7, or 8+ hex digits of the object's SHA-256.\n";

struct args {
	struct irk_evidence_opts o;
	const char *to, *out;
	int json;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = { { "how", required_argument, NULL, 'H' },
					      { "why", required_argument, NULL, 'W' },
					      { "compress", no_argument, NULL, 'z' },
					      { "recursive", no_argument, NULL, 'r' },
					      { "links", no_argument, NULL, 'L' },
					      { "to", required_argument, NULL, 't' },
					      { "output", required_argument, NULL, 'o' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0;
	while ((c = cli_getopt(argc, argv, "hzro:", opts, usage)) != -1) {
		if (c < -1)
			return c;
		switch (c) {
		case 'H': a->o.how = optarg; break;
		case 'W': a->o.why = optarg; break;
		case 'z': a->o.compress = 1; break;
		case 'r': a->o.recursive = 1; break;
		case 'L': a->o.links = 1; break;
		case 't': a->to = optarg; break;
		case 'o': a->out = optarg; break;
		case 'j': a->json = 1; break;
		}
	}
	return 0;
}

static void print_item(json_t *it, int json)
{
	if (json) {
		cli_print_json(json_incref(it));
		return;
	}
	printf("%-5s %s  %12lld  %-10s %s\n", json_string_value(json_object_get(it, "id")),
	       json_string_value(json_object_get(it, "sha256")),
	       (long long)json_integer_value(json_object_get(it, "size")),
	       json_string_value(json_object_get(it, "custodian")),
	       json_string_value(json_object_get(it, "path")));
}

static int do_add(struct irk_casebook *cb, int argc, char **argv, struct args *a)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_identity id;
	char inc[IRK_CHAIN_MAX];
	const char *inc_arg = NULL;
	json_t *added = json_array(), *it;
	size_t i;
	int rc = 0;

	if (argc < 1) {
		json_decref(added);
		return cli_usage("evidence", "add needs at least one PATH");
	}
	/* INC first when it names an incident and paths follow. */
	if (argc > 1 && irk_incident_resolve(cb, argv[0], inc, NULL) == IRK_OK) {
		inc_arg = argv[0];
		argv++;
		argc--;
	}
	if (cli_incident(cb, inc_arg, inc, &err) || cli_identity(&id, &err) ||
	    irk_evidence_add_paths(cb, &id, inc, argv, argc, &a->o, added, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	json_array_foreach(added, i, it) {
		if (a->json) {
			cli_print_json(json_incref(it));
			continue;
		}
		printf("%s %s %s %s%s\n", json_string_value(json_object_get(it, "id")), inc,
		       json_string_value(json_object_get(it, "sha256")),
		       json_string_value(json_object_get(it, "path")),
		       strcmp(json_string_value(json_object_get(it, "type")), "symlink")
			       ? ""
			       : " (the link itself, not followed)");
	}
done:
	json_decref(added);
	return rc;
}

static void print_show(json_t *o)
{
	json_t *rec = json_object_get(o, "record"), *ev;
	const char *k;
	json_t *v;
	size_t i;

	printf("%s  %s  %s\n", json_string_value(json_object_get(o, "id")),
	       json_string_value(json_object_get(o, "inc")),
	       json_string_value(json_object_get(o, "name")));
	printf("  sha256     %s\n", json_string_value(json_object_get(o, "sha256")));
	printf("  custodian  %s\n", json_string_value(json_object_get(o, "custodian")));
	if (json_is_string(json_object_get(o, "offered_to")))
		printf("  offered to %s (awaiting acceptance)\n",
		       json_string_value(json_object_get(o, "offered_to")));
	printf("  acquired   %s by %s\n", json_string_value(json_object_get(o, "acquired")),
	       json_string_value(json_object_get(o, "acquired_by")));
	printf("acquisition record:\n");
	json_object_foreach(rec, k, v) {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		printf("  %-10s %s\n", k, json_is_string(v) ? json_string_value(v) : s);
		free(s);
	}
	printf("custody:\n");
	json_array_foreach(json_object_get(o, "custody"), i, ev) {
		const char *other = json_string_value(json_object_get(ev, "other"));
		printf("  #%-4lld %s  %-7s by %s%s%s\n",
		       (long long)json_integer_value(json_object_get(ev, "seq")),
		       json_string_value(json_object_get(ev, "at")),
		       json_string_value(json_object_get(ev, "event")),
		       json_string_value(json_object_get(ev, "by")),
		       other ? (strcmp(json_string_value(json_object_get(ev, "event")), "offer")
					? " from " : " to ")
			     : "",
		       other ? other : "");
	}
}

int cmd_evidence(int argc, char **argv)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct args a;
	const char *sub;
	char inc[IRK_CHAIN_MAX];
	int64_t num;
	json_t *out = NULL, *it;
	size_t i;
	int c, rc = 0, nargs;
	char **args;

	if ((c = parse(argc, argv, &a)))
		return cli_getopt_exit(c);
	if (optind >= argc)
		return cli_usage("evidence", "give a subcommand: add, list, show, transfer, accept, get or verify");
	sub = argv[optind];
	args = argv + optind + 1;
	nargs = argc - optind - 1;
	if (cli_casebook(&cb, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (!strcmp(sub, "add")) {
		rc = do_add(cb, nargs, args, &a);
	} else if (!strcmp(sub, "list") || !strcmp(sub, "verify")) {
		const char *inc_arg = nargs > 0 ? args[0] : NULL;
		int verify = !strcmp(sub, "verify");
		if (nargs > 1) {
			rc = cli_usage("evidence", "%s takes at most one incident", sub);
			goto done;
		}
		if (inc_arg && cli_incident(cb, inc_arg, inc, &err)) {
			rc = cli_error(&err);
			goto done;
		}
		if (verify) {
			out = json_array();
			rc = irk_evidence_verify(cb, inc_arg ? inc : NULL, out, &err);
			json_array_foreach(out, i, it) {
				if (a.json)
					cli_print_json(json_incref(it));
				else
					printf("%-5s %s  %s\n", json_string_value(json_object_get(it, "id")),
					       json_is_true(json_object_get(it, "ok")) ? "ok " : "BAD",
					       json_is_true(json_object_get(it, "ok"))
						       ? json_string_value(json_object_get(it, "sha256"))
						       : json_string_value(json_object_get(it, "problem")));
			}
			if (rc)
				rc = cli_error(&err);
			else if (!a.json && !fflush(stdout))
				fprintf(stderr, "%zu object(s) verified\n", json_array_size(out));
		} else if ((rc = irk_evidence_list(cb, inc_arg ? inc : NULL, &out, &err))) {
			rc = cli_error(&err);
		} else {
			json_array_foreach(out, i, it)
				print_item(it, a.json);
		}
	} else if (!strcmp(sub, "show") || !strcmp(sub, "transfer") || !strcmp(sub, "accept") ||
		   !strcmp(sub, "get")) {
		if (nargs != 1) {
			rc = cli_usage("evidence", "%s takes one evidence ID", sub);
			goto done;
		}
		if (!strcmp(sub, "transfer") && !a.to) {
			rc = cli_usage("evidence", "transfer needs --to MEMBER");
			goto done;
		}
		if (!strcmp(sub, "get") && !a.out) {
			rc = cli_usage("evidence", "get needs -o FILE");
			goto done;
		}
		if (irk_evidence_resolve(cb, args[0], &num, &err) ||
		    (strcmp(sub, "show") && cli_identity(&id, &err))) {
			rc = cli_error(&err);
			goto done;
		}
		if (!strcmp(sub, "show")) {
			if ((rc = irk_evidence_show(cb, num, &out, &err)))
				rc = cli_error(&err);
			else if (a.json)
				cli_print_json(json_incref(out));
			else
				print_show(out);
		} else if (!strcmp(sub, "transfer")) {
			if ((rc = irk_evidence_offer(cb, &id, num, a.to, a.o.why, &err)))
				rc = cli_error(&err);
			else
				printf("E%lld offered to %s; they take custody with 'irk evidence accept E%lld'\n",
				       (long long)num, a.to, (long long)num);
		} else if (!strcmp(sub, "accept")) {
			if ((rc = irk_evidence_accept(cb, &id, num, &err)))
				rc = cli_error(&err);
			else
				printf("E%lld is now in the custody of %s\n", (long long)num, id.email);
		} else {
			if ((rc = irk_evidence_get(cb, &id, num, a.out, a.o.why, &err)))
				rc = cli_error(&err);
			else
				printf("E%lld verified and copied to %s (access recorded)\n",
				       (long long)num, a.out);
		}
	} else {
		rc = cli_usage("evidence", "unknown subcommand '%s'", sub);
	}
done:
	json_decref(out);
	irk_casebook_close(cb);
	return rc;
}
