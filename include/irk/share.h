/*
 * share.h - sharing an incident's evidence about a remote site with that
 * site's team (RFC 2196 5.4.1: the timezone of the logs, the systems
 * involved, the relevant log lines).
 *
 * irk_share() picks, from the incident's log book, every line of entry text
 * and every string of entry data (including data "observables", a list of
 * strings or {type, value} objects) that names the site (an address within
 * the CIDR, or the host name), states the timezone, and pseudonymises local
 * user names and internal hosts and addresses.  A pseudonym is
 * "user-"/"host-"/"addr-" and 10 hex digits of HMAC-SHA256 under the
 * casebook's share key (.irk/share.key, created on first use, mode 0600),
 * so the same name always maps to the same pseudonym in this casebook and
 * cannot be reversed without the key.  What was shared, with whom, and the
 * SHA-256 of the output are recorded as a "share" entry.
 */
#ifndef IRK_SHARE_H
#define IRK_SHARE_H

#include <jansson.h>
#include <stdint.h>

#include "irk/buf.h"
#include "irk/casebook.h"
#include "irk/commsconf.h"
#include "irk/kind.h"

#define IRK_SHARE_KEY_LEN 32

enum irk_share_format { IRK_SHARE_TEXT, IRK_SHARE_JSON, IRK_SHARE_XARF };
extern const char *const irk_share_formats[]; /* in enum order, NULL-terminated */

struct irk_share_req {
	const char *inc;
	const char *site; /* CIDR, address or host name */
	const char *to;   /* the recipient (a team, an address); default the site */
	enum irk_share_format format;
	int record;       /* write the "share" entry */
};

/* The casebook's pseudonym key, created when missing. */
enum irk_code irk_share_key(struct irk_casebook *cb, uint8_t key[IRK_SHARE_KEY_LEN],
			    struct irk_err *err);

/* "user-" + 10 hex of HMAC-SHA256(key, prefix ":" name). */
void irk_pseudonym(const uint8_t key[IRK_SHARE_KEY_LEN], const char *prefix, const char *name,
		   size_t len, char out[32]);

/*
 * Build the text to share from the incident's `entries` (as from
 * irk_incident_entries) without touching the casebook: the pure part,
 * fuzzed and unit-tested.  `summary` receives {lines, observables, users,
 * hosts}.  IRK_ENOTFOUND when nothing concerns the site.
 */
enum irk_code irk_share_build(json_t *entries, const struct irk_share_req *req,
			      const struct irk_comms_config *cfg,
			      const uint8_t key[IRK_SHARE_KEY_LEN], int64_t now_ms,
			      struct irk_buf *out, json_t **summary, struct irk_err *err);

/* Build and (if req->record) record. */
enum irk_code irk_share(struct irk_casebook *cb, const struct irk_identity *id,
			const struct irk_share_req *req, const struct irk_comms_config *cfg,
			struct irk_buf *out, struct irk_err *err);

enum irk_code irk_apply_share(const struct irk_apply_ctx *ctx, struct irk_err *err);
extern const char irk_shares_ddl[];

#endif
