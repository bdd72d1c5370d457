/* key.c - identities, signing and verifier keys; see irk/key.h. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/fs.h"
#include "irk/hash.h"
#include "irk/key.h"

static void crypto_ready(void)
{
	if (sodium_init() < 0)
		abort(); /* no usable randomness source: refuse to run rather than sign weakly */
}

void irk_keyid(const uint8_t pk[IRK_PK_LEN], char out[IRK_KEYID_HEX])
{
	uint8_t d[IRK_SHA256_LEN];

	irk_sha256(pk, IRK_PK_LEN, d);
	irk_hex(d, 8, out);
}

enum irk_code irk_identity_path(struct irk_buf *out, struct irk_err *err)
{
	const char *env = getenv("IRK_KEY");
	enum irk_code rc;

	if (env && *env) {
		irk_buf_adds(out, env);
		return IRK_OK;
	}
	rc = irk_config_dir(out, err);
	if (rc)
		return rc;
	irk_buf_adds(out, "/identity");
	return IRK_OK;
}

enum irk_code irk_keyname_check(const char *name, struct irk_err *err)
{
	if (!*name)
		return irk_fail(err, IRK_EINVAL, "a key name cannot be empty");
	if (strlen(name) >= IRK_NAME_MAX)
		return irk_fail(err, IRK_EINVAL, "key name '%.40s...' is too long", name);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p <= ' ' || *p == '+' || *p == 0x7f)
			return irk_fail(err, IRK_EINVAL,
					"'%s' cannot name a key: no spaces, control characters or '+' allowed",
					name);
	return IRK_OK;
}

static int field(const char *line, const char *key, char *out, size_t size)
{
	size_t k = strlen(key);

	if (strncmp(line, key, k) || line[k] != ':')
		return 0;
	line += k + 1;
	while (*line == ' ')
		line++;
	snprintf(out, size, "%s", line);
	return 1;
}

enum irk_code irk_identity_load(const char *path, struct irk_identity *id, struct irk_err *err)
{
	struct irk_buf file = IRK_BUF_INIT;
	struct stat st;
	char seed_b64[128] = "";
	uint8_t seed[32];
	enum irk_code rc;
	char *save = NULL;

	crypto_ready();
	memset(id, 0, sizeof(*id));
	if (stat(path, &st) != 0) {
		if (errno == ENOENT) {
			irk_fail(err, IRK_EKEY, "no identity at %s", path);
			irk_hint(err, "create one with 'irk id --name NAME --email EMAIL'");
		} else {
			irk_fail(err, IRK_EKEY, "cannot read identity %s: %s", path, strerror(errno));
		}
		return IRK_EKEY;
	}
	if (st.st_mode & 077) {
		irk_fail(err, IRK_EKEY, "identity %s is readable by others (mode %04o)", path,
			 (unsigned)(st.st_mode & 07777));
		irk_hint(err, "run 'chmod 600 %s'", path);
		return IRK_EKEY;
	}
	rc = irk_read_file(path, 16384, &file, err);
	if (rc) {
		irk_buf_release(&file);
		return IRK_EKEY;
	}
	for (char *line = strtok_r(file.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (field(line, "name", id->name, sizeof(id->name)) ||
		    field(line, "email", id->email, sizeof(id->email)) ||
		    field(line, "seed", seed_b64, sizeof(seed_b64)))
			continue;
	}
	sodium_memzero(file.buf, file.len);
	irk_buf_release(&file);
	if (irk_unb64(seed_b64, strlen(seed_b64), seed, sizeof(seed)) != 32 || !id->email[0]) {
		sodium_memzero(seed_b64, sizeof(seed_b64));
		return irk_fail(err, IRK_EKEY, "identity %s is damaged (no valid seed or email line)",
				path);
	}
	crypto_sign_seed_keypair(id->pk, id->sk, seed);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(seed_b64, sizeof(seed_b64));
	irk_keyid(id->pk, id->keyid);
	return IRK_OK;
}

enum irk_code irk_identity_create(const char *path, const char *name, const char *email,
				  struct irk_identity *id, struct irk_err *err)
{
	struct irk_buf text = IRK_BUF_INIT, dir = IRK_BUF_INIT;
	uint8_t seed[32];
	char b64[64];
	enum irk_code rc;
	const char *slash;

	crypto_ready();
	if ((rc = irk_keyname_check(email, err)))
		return rc;
	if (!*name || strlen(name) >= IRK_NAME_MAX || strchr(name, '\n'))
		return irk_fail(err, IRK_EINVAL, "the name must be one line of at most %d bytes",
				IRK_NAME_MAX - 1);
	if (access(path, F_OK) == 0) {
		irk_fail(err, IRK_ESTATE, "an identity already exists at %s", path);
		irk_hint(err, "irk never overwrites a key; set IRK_KEY to use another file");
		return IRK_ESTATE;
	}
	slash = strrchr(path, '/');
	if (slash && slash != path) {
		irk_buf_add(&dir, path, (size_t)(slash - path));
		rc = irk_mkdirs(dir.buf, 0700, err);
		irk_buf_release(&dir);
		if (rc)
			return rc;
	}
	memset(id, 0, sizeof(*id));
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(id->pk, id->sk, seed);
	irk_b64(seed, sizeof(seed), b64);
	irk_buf_addf(&text, "# irk identity - keep this file private\nname: %s\nemail: %s\nseed: %s\n",
		     name, email, b64);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(b64, sizeof(b64));
	rc = irk_write_file(path, text.buf, text.len, 0600, err);
	sodium_memzero(text.buf, text.len);
	irk_buf_release(&text);
	if (rc)
		return rc;
	snprintf(id->name, sizeof(id->name), "%s", name);
	snprintf(id->email, sizeof(id->email), "%s", email);
	irk_keyid(id->pk, id->keyid);
	return IRK_OK;
}

void irk_identity_act_for(struct irk_identity *id, const char *keyid, const char *email,
			  const char *auth)
{
	snprintf(id->acting_for.key, sizeof(id->acting_for.key), "%s", keyid);
	snprintf(id->acting_for.email, sizeof(id->acting_for.email), "%s", email);
	snprintf(id->acting_for.auth, sizeof(id->acting_for.auth), "%s", auth);
}

const char *irk_identity_who(const struct irk_identity *id)
{
	return id->acting_for.key[0] ? id->acting_for.key : id->keyid;
}

void irk_identity_wipe(struct irk_identity *id)
{
	sodium_memzero(id->sk, sizeof(id->sk));
}

void irk_sign(const struct irk_identity *id, const void *msg, size_t len, uint8_t sig[IRK_SIG_LEN])
{
	crypto_sign_detached(sig, NULL, msg, len, id->sk);
}

int irk_sig_check(const uint8_t pk[IRK_PK_LEN], const void *msg, size_t len,
		  const uint8_t sig[IRK_SIG_LEN])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 : -1;
}

uint32_t irk_note_keyhash(const char *name, uint8_t type, const uint8_t pk[IRK_PK_LEN])
{
	struct irk_buf b = IRK_BUF_INIT;
	uint8_t d[IRK_SHA256_LEN];

	irk_buf_adds(&b, name);
	irk_buf_addch(&b, '\n');
	irk_buf_addch(&b, type);
	irk_buf_add(&b, pk, IRK_PK_LEN);
	irk_sha256(b.buf, b.len, d);
	irk_buf_release(&b);
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
}

void irk_vkey_format(const char *name, const uint8_t pk[IRK_PK_LEN], struct irk_buf *out)
{
	uint8_t raw[1 + IRK_PK_LEN];
	char b64[64];

	raw[0] = 0x01;
	memcpy(raw + 1, pk, IRK_PK_LEN);
	irk_b64(raw, sizeof(raw), b64);
	irk_buf_addf(out, "%s+%08x+%s", name, irk_note_keyhash(name, 0x01, pk), b64);
}

enum irk_code irk_vkey_parse(const char *vkey, char name[IRK_NAME_MAX], uint8_t pk[IRK_PK_LEN],
			     struct irk_err *err)
{
	const char *p1 = strchr(vkey, '+'), *p2 = p1 ? strchr(p1 + 1, '+') : NULL;
	uint8_t raw[1 + IRK_PK_LEN + 8];
	char hash[9];
	unsigned long want;
	char *end;

	if (!p1 || !p2 || p1 == vkey || p2 - p1 != 9 || (size_t)(p1 - vkey) >= IRK_NAME_MAX)
		goto bad;
	memcpy(name, vkey, (size_t)(p1 - vkey));
	name[p1 - vkey] = '\0';
	memcpy(hash, p1 + 1, 8);
	hash[8] = '\0';
	want = strtoul(hash, &end, 16);
	if (*end || irk_unb64(p2 + 1, strlen(p2 + 1), raw, sizeof(raw)) != 1 + IRK_PK_LEN ||
	    raw[0] != 0x01)
		goto bad;
	memcpy(pk, raw + 1, IRK_PK_LEN);
	if (irk_keyname_check(name, NULL) || irk_note_keyhash(name, 0x01, pk) != want)
		goto bad;
	return IRK_OK;
bad:
	irk_fail(err, IRK_EINVAL, "'%.80s' is not an Ed25519 verifier key", vkey);
	irk_hint(err, "ask the member to run 'irk id' and copy the line after 'key:'");
	return IRK_EINVAL;
}
