/* cmd-init.c - irk init: create a casebook in the working directory. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

static const char usage[] =
	"usage: irk init [--json]\n\n"
	"Create a casebook (.irk/) in the working directory (see 'irk -C DIR').\n"
	"You become its first member, an admin.  Create your identity first\n"
	"with 'irk id'.\n";

int cmd_init(int argc, char **argv)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_identity id;
	struct irk_casebook *cb;
	struct irk_buf path = IRK_BUF_INIT;
	int c, json = 0;

	optind = 0;
	if ((c = cli_json_option(argc, argv, usage, &json)) >= 0)
		return c;
	if (optind < argc)
		return cli_usage("init", "unexpected argument '%s'", argv[optind]);
	if (irk_identity_path(&path, &err)) {
		irk_buf_release(&path);
		return cli_error(&err);
	}
	if (access(path.buf, F_OK) != 0) {
		fprintf(stderr, "irk: you have no identity yet; run 'irk id --name NAME --email EMAIL' first\n");
		irk_buf_release(&path);
		return IRK_EKEY;
	}
	irk_buf_release(&path);
	if (cli_identity(&id, &err) || irk_casebook_create(".", &id, &cb, &err))
		return cli_error(&err);
	if (json)
		cli_print_json(json_pack("{s:s, s:s, s:s}", "dir", cb->dir, "book", cb->book_id,
					 "admin", id.email));
	else
		printf("created casebook %s in %s\n%s is its first admin\n", cb->book_id, cb->dir,
		       id.email);
	irk_identity_wipe(&id);
	irk_casebook_close(cb);
	return 0;
}
