/*
 * key.h - Ed25519 identities, key ids, and the verifier-key text form.
 *
 * A member's identity is an Ed25519 key pair.  The secret half lives in the
 * user's configuration directory ($XDG_CONFIG_HOME/irk/identity, or the file
 * named by IRK_KEY), mode 0600, never in a casebook.  The file is text:
 *
 *     # irk identity - keep this file private
 *     name: Alice Example
 *     email: alice@example.org
 *     seed: <base64 of the 32-byte Ed25519 seed>
 *
 * Key id: the first 8 bytes of SHA-256(public key), as 16 hex digits; it is
 * the "by" of every log-book entry the key signs.
 *
 * Key name: the e-mail address; it names the key in checkpoint signature
 * lines, so it may hold no spaces and no '+' (C2SP signed-note).
 *
 * Verifier key (C2SP signed-note "vkey"): name+<8 hex of key hash>+base64(0x01
 * || public key).  `irk id` prints it; `irk member add --key` takes it.
 */
#ifndef IRK_KEY_H
#define IRK_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "irk/buf.h"
#include "irk/error.h"

#define IRK_PK_LEN 32
#define IRK_SIG_LEN 64
#define IRK_KEYID_HEX 17 /* 16 hex digits and NUL */
#define IRK_NAME_MAX 128

struct irk_identity {
	char name[IRK_NAME_MAX];
	char email[IRK_NAME_MAX];
	uint8_t pk[IRK_PK_LEN];
	uint8_t sk[64];
	char keyid[IRK_KEYID_HEX];
	/*
	 * Empty, except on a team server's per-request copy of its identity
	 * (irk_identity_act_for): the member the server signs for.  Every entry
	 * written with such a copy carries data.on_behalf_of = {key, email,
	 * auth}; see docs/SECURITY.md.
	 */
	struct {
		char key[IRK_KEYID_HEX];
		char email[IRK_NAME_MAX];
		char auth[16];
	} acting_for;
};

/* Where the identity lives: $IRK_KEY, else <config dir>/identity. */
enum irk_code irk_identity_path(struct irk_buf *out, struct irk_err *err);

/* Load and check (mode 0600 or stricter, well-formed). */
enum irk_code irk_identity_load(const char *path, struct irk_identity *id, struct irk_err *err);

/* Create a new key pair and write it, refusing to overwrite an existing file. */
enum irk_code irk_identity_create(const char *path, const char *name, const char *email,
				  struct irk_identity *id, struct irk_err *err);

/*
 * Make `id` (a copy of a team server's identity) sign for the member `keyid`
 * <`email`>, authenticated by `auth` ("session" or "token").  Wipe the copy
 * with irk_identity_wipe() when the request is done.
 */
void irk_identity_act_for(struct irk_identity *id, const char *keyid, const char *email,
			  const char *auth);

/*
 * The member whose entries `id` writes: the member acted for on a team
 * server, else the key's own member.  Use it wherever "you" means the
 * person (a default owner, an author check), not the signature.
 */
const char *irk_identity_who(const struct irk_identity *id);

/* Erase the secret half from memory. */
void irk_identity_wipe(struct irk_identity *id);

void irk_keyid(const uint8_t pk[IRK_PK_LEN], char out[IRK_KEYID_HEX]);

void irk_sign(const struct irk_identity *id, const void *msg, size_t len, uint8_t sig[IRK_SIG_LEN]);

/* 0 when `sig` is `pk`'s signature over msg, -1 otherwise. */
int irk_sig_check(const uint8_t pk[IRK_PK_LEN], const void *msg, size_t len,
		  const uint8_t sig[IRK_SIG_LEN]);

/* A key name per C2SP signed-note: non-empty, no spaces, no '+'. */
enum irk_code irk_keyname_check(const char *name, struct irk_err *err);

/* First 4 bytes (big-endian) of SHA-256(name || "\n" || type || pk). */
uint32_t irk_note_keyhash(const char *name, uint8_t type, const uint8_t pk[IRK_PK_LEN]);

void irk_vkey_format(const char *name, const uint8_t pk[IRK_PK_LEN], struct irk_buf *out);
enum irk_code irk_vkey_parse(const char *vkey, char name[IRK_NAME_MAX], uint8_t pk[IRK_PK_LEN],
			     struct irk_err *err);

#endif
