/* cmd-serve.c - irk serve: the team server (HTTP API and web UI) on this casebook. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "irk/http.h"

static const char usage[] =
	"usage: irk serve [--listen ADDR:PORT] [--key FILE] [--tls-cert PEM --tls-key PEM]\n"
	"                 [--access-log FILE] [--session-minutes N] [--ready-file FILE]\n\n"
	"Serve the casebook to the team: the HTTP API under /api/v1/ and the web UI.\n"
	"Entries written through the server are signed with the server's own key\n"
	"(a member marked with 'irk member add --server', role lead or admin) and\n"
	"act for the member who asked, named in data.on_behalf_of (see\n"
	"docs/SECURITY.md).  Members log in with the password set by\n"
	"'irk member passwd' or use a token from 'irk token create'.\n"
	"The web UI has the dashboard (/), each incident (/incident?id=INC) with\n"
	"its tasks, messages, evidence and timeline, its reports (/report?id=INC)\n"
	"and the metrics (/metrics); docs/API.md lists the endpoints.\n"
	"SIGTERM or SIGINT stop it after the requests in progress are answered.\n\n"
	"  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080; port 0 picks one)\n"
	"  --key FILE           the server member's identity (default: IRK_KEY or yours)\n"
	"  --tls-cert PEM       serve HTTPS with this certificate chain ...\n"
	"  --tls-key PEM        ... and this private key\n"
	"  --access-log FILE    JSON Lines access log (default: standard error)\n"
	"  --session-minutes N  how long a login lasts (default 720)\n"
	"  --session-seconds N  the same in seconds (for tests of expiry)\n"
	"  --ready-file FILE    write the bound port into FILE once listening\n";

static void log_line(const char *line, void *arg)
{
	FILE *f = arg;

	fputs(line, f);
	fputc('\n', f);
	fflush(f);
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = { { "listen", required_argument, NULL, 'l' },
					      { "key", required_argument, NULL, 'k' },
					      { "tls-cert", required_argument, NULL, 'c' },
					      { "tls-key", required_argument, NULL, 'K' },
					      { "access-log", required_argument, NULL, 'a' },
					      { "session-minutes", required_argument, NULL, 's' },
					      { "session-seconds", required_argument, NULL, 'S' },
					      { "ready-file", required_argument, NULL, 'r' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct irk_http_config cfg = { .listen = "127.0.0.1:8080" };
	struct irk_err err = IRK_ERR_INIT;
	struct irk_http_server *srv = NULL;
	struct irk_buf dir = IRK_BUF_INIT, key = IRK_BUF_INIT;
	const char *log_path = NULL, *ready = NULL;
	FILE *log = stderr;
	sigset_t set;
	int c, sig, rc = 0;
	long n;
	char *end;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", opts, usage)) != -1) {
		if (c < -1)
			return cli_getopt_exit(c);
		switch (c) {
		case 'l': cfg.listen = optarg; break;
		case 'k': irk_buf_reset(&key); irk_buf_adds(&key, optarg); break;
		case 'c': cfg.tls_cert = optarg; break;
		case 'K': cfg.tls_key = optarg; break;
		case 'a': log_path = optarg; break;
		case 'r': ready = optarg; break;
		case 's':
		case 'S': /* --session-seconds: for tests of expiry */
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 30 * 24 * 60)
				return cli_usage("serve", "--session-minutes takes 1 to 43200");
			cfg.session_seconds = (int)(c == 's' ? n * 60 : n);
			break;
		}
	}
	if (optind < argc)
		return cli_usage("serve", "unexpected argument '%s'", argv[optind]);
	if (!key.len && irk_identity_path(&key, &err))
		return cli_error(&err);
	if (irk_casebook_find(&dir, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	if (log_path && !(log = fopen(log_path, "a"))) {
		irk_fail(&err, IRK_EIO, "cannot open the access log %s", log_path);
		rc = cli_error(&err);
		goto done;
	}
	cfg.irk_dir = dir.buf;
	cfg.key_path = key.buf;
	cfg.log = log_line;
	cfg.log_arg = log;
	/* Block the stop signals in every thread; this one waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (irk_http_start(&cfg, &srv, &err)) {
		rc = cli_error(&err);
		goto done;
	}
	fprintf(stderr, "irk: serving %s on %s://%s (port %d)\n", dir.buf,
		cfg.tls_cert ? "https" : "http", cfg.listen, irk_http_port(srv));
	if (ready) {
		FILE *f = fopen(ready, "w");
		if (f) {
			fprintf(f, "%d\n", irk_http_port(srv));
			fclose(f);
		}
	}
	sigwait(&set, &sig);
	fprintf(stderr, "irk: stopping (signal %d): finishing the requests in progress\n", sig);
	irk_http_stop(srv);
	fprintf(stderr, "irk: stopped\n");
done:
	if (log && log != stderr)
		fclose(log);
	irk_buf_release(&dir);
	irk_buf_release(&key);
	return rc;
}
