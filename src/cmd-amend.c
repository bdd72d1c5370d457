/* cmd-amend.c - irk amend: correct an entry by appending a correction. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "irk/incident.h"

static const char usage[] =
	"usage: irk amend [INC] SEQ TEXT [--json]\n\n"
	"Record a correction to entry SEQ.  The original stays as it was; the\n"
	"correction is a new entry that points at it, and 'irk show' shows both.\n";

int cmd_amend(int argc, char **argv)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_entry e;
	struct irk_buf text = IRK_BUF_INIT;
	const char *inc_arg = NULL;
	char inc[IRK_CHAIN_MAX], *end;
	long long seq;
	int c, json = 0, rc = 0;

	optind = 0;
	if ((c = cli_json_option(argc, argv, usage, &json)) >= 0)
		return c;
	if (argc - optind == 3)
		inc_arg = argv[optind++];
	else if (argc - optind != 2)
		return cli_usage("amend", "give the entry number and the correction");
	seq = strtoll(argv[optind], &end, 10);
	if (*end || seq < 1)
		return cli_usage("amend", "'%s' is not an entry number", argv[optind]);
	if (cli_text_arg(argv[optind + 1], &text, &err) || cli_casebook(&cb, &err) ||
	    cli_incident(cb, inc_arg, inc, &err) || cli_identity(&id, &err) ||
	    irk_incident_amend(cb, &id, inc, seq, text.buf, &e, &err)) {
		rc = cli_error(&err);
	} else {
		if (json)
			cli_print_json(json_pack("{s:s, s:I, s:s, s:I}", "inc", inc, "seq",
						 (json_int_t)e.seq, "hash", e.hash, "amends",
						 (json_int_t)seq));
		else
			printf("%s #%lld corrects #%lld\n", inc, (long long)e.seq, seq);
		irk_entry_release(&e);
	}
	irk_buf_release(&text);
	irk_casebook_close(cb);
	return rc;
}
