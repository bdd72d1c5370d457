/*
 * message.h - incident messages: drafts, edits, two-person approval,
 * publishing, and the follow-ups that publishing and resolution call for.
 *
 * A message belongs to an incident and is recorded in its log book:
 *   msg.draft    text = the message; data {num, audience, template, sha256, lint}
 *   msg.edit     text = the new text; data {num, sha256}
 *   msg.approve  data {num, sha256 (of the text approved)}
 *   msg.publish  data {num, sha256, audience, channel, target, published}
 * Messages are numbered across the casebook (`irk msg show 3`).
 *
 * Rules the apply functions enforce (so that `irk verify` re-checks them):
 *  - the approver is neither the author nor the last editor; approving a
 *    message for the public or the press needs a lead;
 *  - the approved hash is the hash of the current text;
 *  - publishing needs an approval whose hash is the current text's hash,
 *    so any edit after approval needs a new approval.
 * The library also lints the text before approval and refuses on errors.
 */
#ifndef IRK_MESSAGE_H
#define IRK_MESSAGE_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/commsconf.h"
#include "irk/kind.h"
#include "irk/lint.h"

struct irk_msg_new {
	const char *inc;
	const char *audience;  /* irk_audiences */
	const char *template_name; /* what the text was drafted from (for follow-ups) */
	const char *text;
};

/* Record a draft; lints it first (findings go to `lint`, which the caller releases). */
enum irk_code irk_msg_draft(struct irk_casebook *cb, const struct irk_identity *id,
			    const struct irk_msg_new *m, const struct irk_comms_config *cfg,
			    struct irk_lint_result *lint, int64_t *num, struct irk_err *err);

/* Replace a message's text (before it is published). */
enum irk_code irk_msg_edit(struct irk_casebook *cb, const struct irk_identity *id, int64_t num,
			   const char *text, const struct irk_comms_config *cfg,
			   struct irk_lint_result *lint, struct irk_err *err);

/*
 * Lint `text` for `audience` (a bit) in the context of incident `inc`: its
 * TLP and, when that is red or amber, the terms of its log book.
 */
enum irk_code irk_msg_lint_text(struct irk_casebook *cb, const char *inc, const char *text,
				size_t len, int audience, const struct irk_comms_config *cfg,
				struct irk_lint_result *lint, struct irk_err *err);

/* Lint the message's current text for its audience. */
enum irk_code irk_msg_lint(struct irk_casebook *cb, int64_t num,
			   const struct irk_comms_config *cfg, struct irk_lint_result *lint,
			   struct irk_err *err);

/* Approve as `id`: refuses with IRK_EFAIL when the linter finds errors. */
enum irk_code irk_msg_approve(struct irk_casebook *cb, const struct irk_identity *id, int64_t num,
			      const struct irk_comms_config *cfg, struct irk_lint_result *lint,
			      struct irk_err *err);

/* Parse "3", "M3" or "m3". */
enum irk_code irk_msg_parse_id(const char *s, int64_t *num, struct irk_err *err);

/*
 * A message as JSON: {num, inc, audience, template, author, editor, state,
 * sha256, revision, drafted, approved_by, approved_sha256, approved,
 * published, publications, text}.  state is draft, approved, stale
 * (edited after approval) or published.
 */
enum irk_code irk_msg_get(struct irk_casebook *cb, int64_t num, json_t **out, struct irk_err *err);
/* All messages (of one incident when inc is not NULL), without their text, newest first. */
enum irk_code irk_msg_list(struct irk_casebook *cb, const char *inc, json_t **out,
			   struct irk_err *err);

enum irk_msg_channel { IRK_VIA_STDOUT, IRK_VIA_FILE, IRK_VIA_WEBHOOK, IRK_VIA_SENDMAIL };
extern const char *const irk_msg_channels[]; /* names in enum order, NULL-terminated */

struct irk_msg_delivery {
	enum irk_msg_channel via;
	const char *to;       /* file path, http:// URL, or e-mail recipients */
	const char *sendmail; /* program for IRK_VIA_SENDMAIL */
	const char *subject;  /* for sendmail; default the incident title */
};

/*
 * Publish an approved, unchanged message: deliver it (file, webhook,
 * sendmail; for stdout the caller prints `text` afterwards) and record the
 * msg.publish entry.  `text` receives the published text; `record` (if set)
 * the entry data.
 */
enum irk_code irk_msg_publish(struct irk_casebook *cb, const struct irk_identity *id, int64_t num,
			      const struct irk_msg_delivery *d, struct irk_buf *text,
			      json_t **record, struct irk_err *err);

/*
 * Follow-ups owed, as a JSON array (for `irk due` and `irk msg list`): once
 * an incident has had a message published to an outside audience and has
 * been resolved (recovered or closed), a "resolved" update is due 1-2 h after
 * resolution, a "recap" 8-12 h after the first publication (and not before
 * resolution), a "postmortem" 7-14 days after resolution.  Each item:
 * {inc, kind:"follow-up", what, template, audience, from, by, status}, status
 * being upcoming, due or overdue; a follow-up is done (and left out) once a
 * message drafted from its template is published.  inc NULL = all incidents.
 */
enum irk_code irk_msg_followups(struct irk_casebook *cb, const char *inc, int64_t now_ms,
				json_t **out, struct irk_err *err);

enum irk_code irk_apply_msg_draft(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_msg_edit(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_msg_approve(const struct irk_apply_ctx *ctx, struct irk_err *err);
enum irk_code irk_apply_msg_publish(const struct irk_apply_ctx *ctx, struct irk_err *err);

extern const char irk_messages_ddl[];

#endif
