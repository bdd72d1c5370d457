/*
 * finding.h - findings in an incident's log book (entry kind "finding").
 *
 * A finding recorded into an incident is one entry whose data is the
 * finding's JSON (irk/detect.h) plus "key" and "observables".  The key is
 * SHA-256 over the rule, the grouped entities and the time window, so the
 * same finding recorded twice is one entry: the projection table
 * `findings` holds (inc, key) once, and the apply function refuses a
 * second.  Observables list the addresses, users and hosts named.
 */
#ifndef IRK_FINDING_H
#define IRK_FINDING_H

#include <jansson.h>

#include "irk/casebook.h"
#include "irk/hash.h"
#include "irk/kind.h"

extern const char irk_findings_ddl[];

enum irk_code irk_apply_finding(const struct irk_apply_ctx *ctx, struct irk_err *err);

/* The deduplication key of a finding's JSON. */
void irk_finding_key(json_t *finding, char key[IRK_SHA256_HEX]);

/*
 * Record a finding (its JSON) in incident `inc` unless it is there already;
 * *added says which.  Runs inside the caller's transaction.
 */
enum irk_code irk_finding_record(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, json_t *finding, int *added,
				 struct irk_err *err);

/*
 * The `limit` most recent findings of open incidents (by their last
 * event), newest first: [{inc, title, seq, rule, level, first, last, count,
 * text}] (times UTC).
 */
enum irk_code irk_finding_recent(struct irk_casebook *cb, int limit, json_t **out,
				 struct irk_err *err);

#endif
