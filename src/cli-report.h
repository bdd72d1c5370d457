/*
 * cli-report.h - what the host-check commands (baseline, verify-packages)
 * share: a JSON Lines report whose SHA-256 is computed as it is written, a
 * progress bar on a terminal, and attaching the outcome to an incident.
 */
#ifndef IRK_CLI_REPORT_H
#define IRK_CLI_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "irk/hash.h"

struct cli_report {
	FILE *file;          /* --report FILE, or NULL */
	int to_stdout;       /* --json: the report is the output */
	struct irk_sha256_ctx *sha;
	char sha256[IRK_SHA256_HEX];
};

enum irk_code cli_report_begin(struct cli_report *r, const char *path, int to_stdout,
			       struct irk_err *err);
/* Write one line of the report (and release j). */
void cli_report_line(struct cli_report *r, json_t *j);
/* Finish: fills r->sha256 and closes the file. */
enum irk_code cli_report_end(struct cli_report *r, struct irk_err *err);

/* A progress bar on stderr, only when it is a terminal and not quieted. */
struct cli_progress {
	int on;
	uint64_t total; /* 0 when unknown */
	const char *what;
};
void cli_progress_init(struct cli_progress *p, int quiet, uint64_t total, const char *what);
/* The irk_walk_opts progress callback; files/bytes so far, path NULL at the end. */
void cli_progress_show(uint64_t files, uint64_t bytes, const char *path, void *arg);

/*
 * Record a machine entry of `kind` in incident `inc_arg` (resolved as any
 * INC argument) with `text` and `data`, and say so (on stderr when the
 * output is JSON).
 */
enum irk_code cli_attach(const char *inc_arg, const char *kind, const char *text, json_t *data,
			 int json, struct irk_err *err);

#endif
