/* cmd-checkpoint.c - irk checkpoint: signed receipts of a log book. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "irk/checkpoint.h"
#include "irk/fs.h"

static const char usage[] =
	"usage: irk checkpoint [INC | --casebook] [-o FILE]\n"
	"       irk checkpoint --countersign FILE [-o OUT]\n\n"
	"Write a signed checkpoint of an incident's log book (or of the casebook\n"
	"chain): its size and Merkle root, signed with your key, in the C2SP\n"
	"signed-note / tlog-checkpoint format.  Give it to a custodian to keep\n"
	"outside the casebook; 'irk verify --checkpoint FILE' later proves that\n"
	"the log book still extends it.\n\n"
	"  --casebook            checkpoint the casebook chain instead\n"
	"  -o FILE               write to FILE (default: standard output)\n"
	"  --countersign FILE    add your timestamped cosignature (C2SP\n"
	"                        tlog-cosignature) to FILE, rewriting it in place\n"
	"                        unless -o is given\n";

static int write_out(const char *path, const struct irk_buf *b, struct irk_err *err)
{
	if (!path) {
		fwrite(b->buf, 1, b->len, stdout);
		return 0;
	}
	return irk_write_file(path, b->buf, b->len, 0644, err) ? cli_error(err) : 0;
}

int cmd_checkpoint(int argc, char **argv)
{
	static const struct option opts[] = { { "casebook", no_argument, NULL, 'b' },
					      { "countersign", required_argument, NULL, 'c' },
					      { "output", required_argument, NULL, 'o' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_identity id;
	struct irk_buf note = IRK_BUF_INIT, out = IRK_BUF_INIT;
	const char *output = NULL, *cosign = NULL;
	char inc[IRK_CHAIN_MAX] = "";
	int c, casebook = 0, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "ho:", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 'b')
			casebook = 1;
		else if (c == 'c')
			cosign = optarg;
		else if (c == 'o')
			output = optarg;
	}
	if (argc - optind > 1 || (cosign && (casebook || optind < argc)))
		return cli_usage("checkpoint", "give one incident, --casebook, or --countersign FILE");
	if (cosign) {
		/* A custodian may countersign without a casebook: only the key is needed. */
		if (irk_read_file(cosign, IRK_NOTE_MAX, &note, &err) || cli_identity(&id, &err) ||
		    irk_checkpoint_cosign(note.buf, note.len, &id, (int64_t)time(NULL), &out, &err))
			rc = cli_error(&err);
		else
			rc = write_out(output ? output : cosign, &out, &err);
		if (!rc)
			fprintf(stderr, "countersigned %s as %s\n", output ? output : cosign, id.email);
		goto done;
	}
	if (cli_casebook(&cb, &err) || (!casebook && cli_incident(cb, optind < argc ? argv[optind] : NULL,
								   inc, &err)) ||
	    cli_identity(&id, &err) || irk_checkpoint_make(cb, &id, inc, &out, &err))
		rc = cli_error(&err);
	else
		rc = write_out(output, &out, &err);
done:
	irk_buf_release(&note);
	irk_buf_release(&out);
	irk_casebook_close(cb);
	return rc;
}
