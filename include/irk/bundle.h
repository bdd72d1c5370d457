/*
 * bundle.h - portable, self-verifying bundles of one incident: export,
 * offline verification, import into another casebook.
 *
 * A bundle is a tar archive compressed with zstd holding only these files
 * (any other name, a link, a directory or a device makes it invalid):
 *
 *   manifest.json          what the bundle is and the SHA-256 and size of
 *                          every other file; signed
 *   manifest.sig           base64 Ed25519 signature of manifest.json's bytes
 *                          by the exporter (a member of the exporting casebook)
 *   chains/incident.jsonl  the incident's log book: each line is one entry's
 *                          bytes exactly as stored and signed
 *   chains/incident.sig    one base64 signature per line of the above
 *   chains/casebook.jsonl  the casebook-chain entries that concern the
 *                          incident: "init", every "member", and its
 *                          "incident" entry (same form)
 *   chains/casebook.sig
 *   keys/<key id>.vkey     each member's verifier key
 *   checkpoints/<n>.note   the incident's stored checkpoints
 *   objects/<sha256>       the incident's evidence objects, uncompressed
 *
 * The manifest also lists the hash of every casebook-chain entry (so the
 * included ones are proven to sit at their places without disclosing the
 * others) and the order the entries were committed in (so that replaying
 * them through the apply functions reproduces the roles they were checked
 * against).
 *
 * Reading is strict and bounded: sizes are capped, nothing is extracted by
 * its archive name, and objects are only ever stored under the hash of their
 * content, so no bundle can write outside the casebook.
 */
#ifndef IRK_BUNDLE_H
#define IRK_BUNDLE_H

#include <jansson.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/kind.h"

#define IRK_BUNDLE_FORMAT "irk-bundle/1"
#define IRK_BUNDLE_TEXT_MAX (64u << 20)   /* a chain file or the manifest */
#define IRK_BUNDLE_FILES_MAX 100000       /* archive members */

struct irk_bundle_result {
	char book[IRK_BOOK_ID_HEX];
	char inc[IRK_CHAIN_MAX];
	char title[257];
	char exporter[IRK_NAME_MAX]; /* e-mail of the member who signed the manifest */
	char exported[96];
	char manifest_sha256[IRK_SHA256_HEX];
	char head[IRK_SHA256_HEX];   /* hash of the incident's last entry */
	int64_t entries;             /* incident entries */
	int64_t casebook_entries;    /* casebook-chain entries included */
	int64_t objects, checkpoints, keys;
	json_t *problems;            /* array of strings: every fault found (owned) */
};

void irk_bundle_result_release(struct irk_bundle_result *res);

/* Write incident `inc` to a new file `path`, re-hashing every object first. */
enum irk_code irk_bundle_export(struct irk_casebook *cb, const struct irk_identity *id,
				const char *inc, const char *path, struct irk_bundle_result *res,
				struct irk_err *err);

/*
 * Verify a bundle with nothing but its own content.  IRK_EINVAL when it is
 * not a readable bundle (truncated, not an archive, a forbidden member);
 * IRK_ETAMPER when something in it does not verify: the message names the
 * first fault, res->problems lists all.  Fuzzed (the _mem form).
 */
enum irk_code irk_bundle_verify(const char *path, struct irk_bundle_result *res,
				struct irk_err *err);
enum irk_code irk_bundle_verify_mem(const void *data, size_t len, struct irk_bundle_result *res,
				    struct irk_err *err);

/* Is `path` a bundle (starts with a zstd frame or a tar header)?  For dispatch only. */
int irk_bundle_sniff(const char *path);

/*
 * Verify, then import into `cb`: the bundle file itself and its evidence
 * objects go into the object store, and an "import" entry in the casebook
 * chain records the bundle's hash, its manifest's hash and the incident.
 */
enum irk_code irk_bundle_import(struct irk_casebook *cb, const struct irk_identity *id,
				const char *path, struct irk_bundle_result *res,
				struct irk_err *err);

/* The imported incidents as a JSON array. */
enum irk_code irk_bundle_imports(struct irk_casebook *cb, json_t **out, struct irk_err *err);

/*
 * Re-verify every imported bundle from the object store: the stored bundle
 * must still hash to what the import entry recorded and verify as a bundle
 * with the recorded manifest.  `report` (may be NULL) gets one object each.
 */
enum irk_code irk_bundle_verify_imports(struct irk_casebook *cb, json_t *report,
					struct irk_err *err);

enum irk_code irk_apply_import(const struct irk_apply_ctx *ctx, struct irk_err *err);
extern const char irk_imports_ddl[];

#endif
