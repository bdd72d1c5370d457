/*
 * cli.h - what every cmd-*.c shares: reporting errors, option parsing help,
 * opening the casebook and the identity, printing JSON.
 *
 * Output rules: results go to stdout (text, or one JSON document / JSON Lines
 * with --json); errors and progress go to stderr.  An error is printed as
 *     irk: <message>
 *     hint: <how to fix it>
 * and the exit status is the irk_code (docs/ERRORS.md).
 */
#ifndef IRK_CLI_H
#define IRK_CLI_H

#include <getopt.h>
#include <jansson.h>

#include "irk/casebook.h"
#include "irk/error.h"
#include "irk/key.h"
#include "irk/logbook.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

extern const struct cmd irk_commands[];

/* Print an error (and its hint) to stderr; returns its code, for `return cli_error(&err);`. */
int cli_error(const struct irk_err *err);

/* A usage mistake: "irk <cmd>: <message>" then "see 'irk <cmd> --help'"; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Parse options with getopt_long; handles --help (prints `usage`, returns
 * -2 meaning "exit 0") and unknown options (returns -3 meaning "exit 2").
 * Otherwise returns the option character, or -1 at the end.
 */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
	       const char *usage);
/* Turn cli_getopt's special returns into an exit status. */
int cli_getopt_exit(int c);

/*
 * For commands whose only option is --json (and --help): parse the options,
 * setting *json.  Returns -1 to go on (optind at the first argument), or
 * the exit status.
 */
int cli_json_option(int argc, char **argv, const char *usage, int *json);

/*
 * For commands with subcommands (`irk task add ...`): without one, or with
 * --help, print `usage` and return the exit status (>= 0); otherwise set
 * *sub, move argc/argv past it (ready for cli_getopt) and return -1.
 */
int cli_subcommand(int *argc, char ***argv, const char *usage, const char **sub);

enum irk_code cli_casebook(struct irk_casebook **cb, struct irk_err *err);
enum irk_code cli_identity(struct irk_identity *id, struct irk_err *err);

/* Resolve an incident argument, or pick the one open incident when arg is NULL. */
enum irk_code cli_incident(struct irk_casebook *cb, const char *arg, char inc[IRK_CHAIN_MAX],
			   struct irk_err *err);

/*
 * The options of a command that records a change made at a time (irk ack,
 * irk phase): --at TIME and -m/--message TEXT, into `when`.  Returns -1
 * when they parsed (optind is then the first operand), else the exit
 * status to return (--help, a usage error, a bad time).
 */
int cli_when_options(int argc, char **argv, const char *usage, struct irk_append *when);

/* Parse --at (stores into a). */
enum irk_code cli_parse_at(const char *s, struct irk_append *a, struct irk_err *err);

/*
 * Append `arg` to the list *v of *n arguments (a repeatable option), keeping
 * it NULL-terminated; the list is freed with free().
 */
void cli_args_push(char ***v, int *n, char *arg);

/* Print a JSON value as one compact line and release it. */
void cli_print_json(json_t *j);

/*
 * The whole of a plain list command (`irk member list`, `irk token list`):
 * takes --json and --help, opens the casebook, asks `list` for a JSON
 * array, and prints each item as a JSON line, or as text with `print_row`.
 */
int cli_list(int argc, char **argv, const char *usage,
	     enum irk_code (*list)(struct irk_casebook *cb, json_t **out, struct irk_err *err),
	     void (*print_row)(json_t *item));

/* Read TEXT: the argument itself, or stdin when it is "-". */
enum irk_code cli_text_arg(const char *arg, struct irk_buf *out, struct irk_err *err);

/*
 * The member `who` names (NULL: the caller), provided the caller is that
 * member or an admin: for commands that manage a member's credentials.
 */
struct irk_member;
enum irk_code cli_self_or_admin(struct irk_casebook *cb, const char *who, struct irk_member *target,
				struct irk_err *err);

#endif
