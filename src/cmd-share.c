/* cmd-share.c - irk share: log lines about a remote site, pseudonymised, for its team. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/incident.h"
#include "irk/fs.h"
#include "irk/share.h"
#include "irk/text.h"

static const char usage[] =
	"usage: irk share [INC] --site CIDR|HOST [--to WHO] [--format text|json|xarf]\n"
	"                 [--output FILE] [--no-record]\n\n"
	"Gather the log lines and observables of an incident that concern a\n"
	"remote site (an address in CIDR, or a host name), ready to send to\n"
	"that site's security team: the timezone is stated, local user names\n"
	"and internal hosts are replaced by stable pseudonyms, and what was\n"
	"shared with whom (and the SHA-256 of the output) is recorded in the\n"
	"incident's log book.\n\n"
	"  --site S        198.51.100.0/24, 198.51.100.7 or mail.example.net\n"
	"  --to WHO        the recipient, recorded (default: the site)\n"
	"  --format F      text (default), json, or xarf (an XARF-4-shaped JSON report)\n"
	"  --output FILE   write to FILE instead of standard output\n"
	"  --no-record     only show what would be shared; record nothing\n\n"
	"Internal hosts and users come from .irk/config (see 'irk msg config').\n";

int cmd_share(int argc, char **argv)
{
	static const struct option opts[] = { { "site", required_argument, NULL, 's' },
					      { "to", required_argument, NULL, 't' },
					      { "format", required_argument, NULL, 'f' },
					      { "output", required_argument, NULL, 'o' },
					      { "no-record", no_argument, NULL, 'n' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_casebook *cb = NULL;
	struct irk_comms_config cfg = { 0 };
	struct irk_identity id;
	struct irk_share_req req = { .record = 1 };
	struct irk_buf out = IRK_BUF_INIT;
	const char *output = NULL;
	char inc[IRK_CHAIN_MAX];
	int c, f, rc = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		if (c == 's')
			req.site = optarg;
		else if (c == 't')
			req.to = optarg;
		else if (c == 'o')
			output = optarg;
		else if (c == 'n')
			req.record = 0;
		else if (c == 'f') {
			if ((f = irk_list_index(irk_share_formats, optarg)) < 0)
				return cli_usage("share", "unknown format '%s' (use text, json or xarf)",
						 optarg);
			req.format = (enum irk_share_format)f;
		}
	}
	if (!req.site)
		return cli_usage("share", "give the remote site with --site CIDR|HOST");
	if (argc - optind > 1)
		return cli_usage("share", "unexpected argument '%s'", argv[optind + 1]);
	if (req.to && irk_text_check_name(req.to, &err)) {
		irk_err_prefix(&err, "--to");
		return cli_error(&err);
	}
	if (cli_casebook(&cb, &err) || irk_comms_config_load(cb, &cfg, &err) ||
	    cli_incident(cb, optind < argc ? argv[optind] : NULL, inc, &err) ||
	    (req.record && cli_identity(&id, &err))) {
		rc = cli_error(&err);
		goto done;
	}
	req.inc = inc;
	if (irk_share(cb, req.record ? &id : NULL, &req, &cfg, &out, &err) ||
	    (output && irk_write_file(output, out.buf, out.len, 0600, &err))) {
		rc = cli_error(&err);
		goto done;
	}
	if (!output)
		fwrite(out.buf, 1, out.len, stdout);
	if (req.record)
		fprintf(stderr, "recorded in %s: shared with %s\n", inc, req.to ? req.to : req.site);
done:
	irk_comms_config_release(&cfg);
	irk_buf_release(&out);
	irk_casebook_close(cb);
	return rc;
}
