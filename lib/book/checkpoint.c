/* checkpoint.c - C2SP signed-note checkpoints and cosignatures; see irk/checkpoint.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/checkpoint.h"
#include "irk/member.h"
#include "irk/merkle.h"
#include "irk/text.h"
#include "irk/timefmt.h"

#define SIG_PREFIX "\xe2\x80\x94 " /* U+2014 EM DASH and a space */
#define COSIG_HEADER "cosignature/v1\n"

void irk_checkpoint_release(struct irk_checkpoint *cp)
{
	irk_buf_release(&cp->text);
}

static enum irk_code bad(struct irk_err *err, const char *why)
{
	return irk_fail(err, IRK_EINVAL, "not a valid checkpoint: %s", why);
}

/* Split "irk/<book>/<chain>" into its parts; other origins are kept but not ours. */
static void split_origin(struct irk_checkpoint *cp)
{
	const char *p = cp->origin + 4, *slash;

	if (strncmp(cp->origin, "irk/", 4) || !(slash = strchr(p, '/')) || slash - p != 16)
		return;
	memcpy(cp->book, p, 16);
	cp->book[16] = '\0';
	if (!strcmp(slash + 1, "casebook"))
		cp->chain[0] = '\0';
	else
		snprintf(cp->chain, sizeof(cp->chain), "%s", slash + 1);
}

static enum irk_code parse_sig_line(const char *line, size_t len, struct irk_checkpoint *cp,
				    struct irk_err *err)
{
	struct irk_note_sig *s;
	const char *name = line + strlen(SIG_PREFIX), *space, *end = line + len;
	uint8_t raw[4 + sizeof(s->sig)];
	long n;

	if (len < strlen(SIG_PREFIX) || memcmp(line, SIG_PREFIX, strlen(SIG_PREFIX)))
		return bad(err, "a signature line must start with an em dash and a space");
	space = memchr(name, ' ', (size_t)(end - name));
	if (!space || space == name || (size_t)(space - name) >= IRK_NAME_MAX)
		return bad(err, "a signature line must name its key");
	if (cp->nsigs == IRK_NOTE_SIGS_MAX)
		return bad(err, "too many signature lines");
	s = &cp->sigs[cp->nsigs];
	memcpy(s->name, name, (size_t)(space - name));
	s->name[space - name] = '\0';
	if (irk_keyname_check(s->name, NULL))
		return bad(err, "a key name holds a space or '+'");
	n = irk_unb64(space + 1, (size_t)(end - space - 1), raw, sizeof(raw));
	if (n < 5)
		return bad(err, "a signature is not base64 of a key hash and a signature");
	s->keyhash = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
	s->siglen = (size_t)n - 4;
	memcpy(s->sig, raw + 4, s->siglen);
	cp->nsigs++;
	return IRK_OK;
}

enum irk_code irk_checkpoint_parse(const char *note, size_t len, struct irk_checkpoint *cp,
				   struct irk_err *err)
{
	const char *sep = NULL, *p, *line, *nl;
	enum irk_code rc;
	int lineno = 0;
	size_t text_len;

	memset(cp, 0, sizeof(*cp));
	irk_buf_init(&cp->text, 0);
	cp->time_ms = -1;
	if (len > IRK_NOTE_MAX)
		return bad(err, "larger than 64 KiB");
	if (irk_utf8_check(note, len) || memchr(note, '\t', len) || memchr(note, '\0', len))
		return bad(err, "not UTF-8 text without control characters");
	if (len == 0 || note[len - 1] != '\n')
		return bad(err, "it must end with a newline");
	/* The text ends at the last empty line; signatures follow it. */
	for (p = note; p + 1 < note + len; p++)
		if (p[0] == '\n' && p[1] == '\n')
			sep = p;
	if (!sep)
		return bad(err, "no blank line between the text and the signatures");
	text_len = (size_t)(sep - note) + 1;
	irk_buf_add(&cp->text, note, text_len);
	for (line = sep + 2; line < note + len; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(note + len - line));
		if ((rc = parse_sig_line(line, (size_t)(nl - line), cp, err)))
			goto fail;
	}
	if (cp->nsigs == 0) {
		rc = bad(err, "no signature lines");
		goto fail;
	}
	for (line = cp->text.buf; line < cp->text.buf + text_len; line = nl + 1, lineno++) {
		size_t n;
		nl = memchr(line, '\n', (size_t)(cp->text.buf + text_len - line));
		n = (size_t)(nl - line);
		if (n == 0) {
			rc = bad(err, "empty line inside the checkpoint body");
			goto fail;
		}
		if (lineno == 0) {
			if (n >= sizeof(cp->origin)) {
				rc = bad(err, "origin line too long");
				goto fail;
			}
			memcpy(cp->origin, line, n);
		} else if (lineno == 1) {
			char *end;
			if (!isdigit((unsigned char)line[0]) || (line[0] == '0' && n > 1) || n > 19) {
				rc = bad(err, "the second line must be the tree size");
				goto fail;
			}
			cp->size = strtoull(line, &end, 10);
			if (end != nl) {
				rc = bad(err, "the second line must be the tree size");
				goto fail;
			}
		} else if (lineno == 2) {
			if (irk_unb64(line, n, cp->root, sizeof(cp->root)) != IRK_SHA256_LEN) {
				rc = bad(err, "the third line must be a base64 SHA-256 root");
				goto fail;
			}
		} else if (n > 5 && !memcmp(line, "time ", 5)) {
			char t[64];
			snprintf(t, sizeof(t), "%.*s", (int)(n - 5), line + 5);
			if (irk_time_parse_utc(t, &cp->time_ms, NULL)) {
				rc = bad(err, "the time line is not an RFC 3339 UTC time");
				goto fail;
			}
		}
	}
	if (lineno < 3) {
		rc = bad(err, "it needs an origin, a size and a root");
		goto fail;
	}
	split_origin(cp);
	return IRK_OK;
fail:
	irk_checkpoint_release(cp);
	return rc;
}

enum irk_code irk_chain_root(struct irk_casebook *cb, const char *chain, uint64_t size,
			     uint8_t root[IRK_SHA256_LEN], struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL, "SELECT hash FROM entries WHERE chain=?1 AND seq<=?2 ORDER BY seq", err);
	struct irk_merkle m;
	uint8_t leaf[IRK_SHA256_LEN];
	int r;

	if (!st)
		return IRK_EDB;
	irk_merkle_init(&m);
	sqlite3_bind_text(st, 1, chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)size);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (irk_unhex(irk_db_text(st, 0), leaf, sizeof(leaf))) {
			sqlite3_reset(st);
			return irk_fail(err, IRK_ETAMPER, "%s holds an entry with a malformed hash",
					*chain ? chain : "the casebook chain");
		}
		irk_merkle_add(&m, leaf, sizeof(leaf));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return irk_db_fail(cb->db, err, "reading the log book");
	irk_merkle_root(&m, root);
	return IRK_OK;
}

static void sig_line(struct irk_buf *out, const char *name, const uint8_t *payload, size_t len)
{
	char *b64 = irk_malloc(irk_b64_len(len));

	irk_b64(payload, len, b64);
	irk_buf_addf(out, SIG_PREFIX "%s %s\n", name, b64);
	free(b64);
}

enum irk_code irk_checkpoint_make(struct irk_casebook *cb, const struct irk_identity *id,
				  const char *chain, struct irk_buf *note, struct irk_err *err)
{
	uint8_t root[IRK_SHA256_LEN], payload[4 + IRK_SIG_LEN];
	char root_b64[64], root_hex[IRK_SHA256_HEX], head[IRK_SHA256_HEX], when[IRK_TIME_MAX];
	struct irk_buf text = IRK_BUF_INIT;
	uint32_t kh = irk_note_keyhash(id->email, 0x01, id->pk);
	int64_t count, now = irk_now_ms();
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_db_begin(cb->db, err)))
		return rc;
	if ((rc = irk_logbook_head(cb, chain, &count, head, err)) ||
	    (rc = irk_chain_root(cb, chain, (uint64_t)count, root, err)))
		goto fail;
	if (count == 0) {
		rc = irk_fail(err, IRK_ENOTFOUND, "%s has no entries to receipt",
			      *chain ? chain : "the casebook chain");
		goto fail;
	}
	irk_b64(root, sizeof(root), root_b64);
	irk_time_utc(now - now % 1000, 0, when);
	irk_buf_addf(&text, "irk/%s/%s\n%lld\n%s\ntime %s\n", cb->book_id, *chain ? chain : "casebook",
		     (long long)count, root_b64, when);
	payload[0] = (uint8_t)(kh >> 24);
	payload[1] = (uint8_t)(kh >> 16);
	payload[2] = (uint8_t)(kh >> 8);
	payload[3] = (uint8_t)kh;
	irk_sign(id, text.buf, text.len, payload + 4);
	irk_buf_add(note, text.buf, text.len);
	irk_buf_addch(note, '\n');
	sig_line(note, id->email, payload, sizeof(payload));
	irk_hex(root, sizeof(root), root_hex);
	st = irk_db_stmt(cb->db, NULL,
			 "INSERT INTO checkpoints(chain, size, root, created, note) VALUES(?1, ?2, ?3, ?4, ?5)",
			 err);
	if (!st) {
		rc = IRK_EDB;
		goto fail;
	}
	sqlite3_bind_text(st, 1, chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, count);
	sqlite3_bind_text(st, 3, root_hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_text(st, 5, note->buf, (int)note->len, SQLITE_STATIC);
	if ((rc = irk_db_run(cb->db, st, err)))
		goto fail;
	irk_buf_release(&text);
	return irk_db_commit(cb->db, err);
fail:
	irk_buf_release(&text);
	irk_db_rollback(cb->db);
	return rc;
}

static void cosig_message(struct irk_buf *msg, int64_t ts, const struct irk_buf *text)
{
	irk_buf_addf(msg, COSIG_HEADER "time %lld\n", (long long)ts);
	irk_buf_add(msg, text->buf, text->len);
}

enum irk_code irk_checkpoint_cosign(const char *note, size_t len, const struct irk_identity *id,
				    int64_t now_s, struct irk_buf *out, struct irk_err *err)
{
	struct irk_checkpoint cp;
	struct irk_buf msg = IRK_BUF_INIT;
	uint8_t payload[4 + 8 + IRK_SIG_LEN];
	uint32_t kh = irk_note_keyhash(id->email, 0x04, id->pk);
	enum irk_code rc = irk_checkpoint_parse(note, len, &cp, err);

	if (rc)
		return rc;
	for (size_t i = 0; i < cp.nsigs; i++)
		if (!strcmp(cp.sigs[i].name, id->email) && cp.sigs[i].keyhash == kh) {
			irk_checkpoint_release(&cp);
			return irk_fail(err, IRK_ESTATE, "%s has already countersigned this checkpoint",
					id->email);
		}
	for (int i = 0; i < 4; i++)
		payload[i] = (uint8_t)(kh >> (24 - 8 * i));
	for (int i = 0; i < 8; i++)
		payload[4 + i] = (uint8_t)((uint64_t)now_s >> (56 - 8 * i));
	cosig_message(&msg, now_s, &cp.text);
	irk_sign(id, msg.buf, msg.len, payload + 12);
	irk_buf_add(out, note, len);
	sig_line(out, id->email, payload, sizeof(payload));
	irk_buf_release(&msg);
	irk_checkpoint_release(&cp);
	return IRK_OK;
}

/* Check one signature line against the members; 1 signer, 2 cosigner, 0 unknown, -1 bad. */
static int check_sig(struct irk_casebook *cb, const struct irk_checkpoint *cp,
		     const struct irk_note_sig *s)
{
	struct irk_member m;
	struct irk_buf msg = IRK_BUF_INIT;
	int64_t ts = 0;
	int ok;

	if (irk_member_find(cb->db, NULL, s->name, &m, NULL) || strcmp(m.email, s->name))
		return 0;
	if (s->keyhash == irk_note_keyhash(s->name, 0x01, m.pk) && s->siglen == IRK_SIG_LEN)
		return irk_sig_check(m.pk, cp->text.buf, cp->text.len, s->sig) ? -1 : 1;
	if (s->keyhash != irk_note_keyhash(s->name, 0x04, m.pk) || s->siglen != 8 + IRK_SIG_LEN)
		return 0;
	for (int i = 0; i < 8; i++)
		ts = ts << 8 | s->sig[i];
	if (ts < 0)
		return -1;
	cosig_message(&msg, ts, &cp->text);
	ok = irk_sig_check(m.pk, msg.buf, msg.len, s->sig + 8) == 0;
	irk_buf_release(&msg);
	return ok ? 2 : -1;
}

enum irk_code irk_checkpoint_verify(struct irk_casebook *cb, const char *note, size_t len,
				    struct irk_checkpoint_result *res, struct irk_err *err)
{
	struct irk_checkpoint cp;
	char head[IRK_SHA256_HEX];
	const char *name;
	uint8_t root[IRK_SHA256_LEN];
	enum irk_code rc = irk_checkpoint_parse(note, len, &cp, err);

	memset(res, 0, sizeof(*res));
	if (rc)
		return rc;
	if (strcmp(cp.book, cb->book_id)) {
		rc = irk_fail(err, IRK_ETAMPER, "the checkpoint is for '%s', not for this casebook (%s)",
			      cp.origin, cb->book_id);
		goto done;
	}
	snprintf(res->chain, sizeof(res->chain), "%s", cp.chain);
	name = *cp.chain ? cp.chain : "the casebook chain";
	res->size = cp.size;
	for (size_t i = 0; i < cp.nsigs; i++) {
		int r = check_sig(cb, &cp, &cp.sigs[i]);
		if (r < 0) {
			rc = irk_fail(err, IRK_ETAMPER, "the checkpoint's signature by %s does not verify",
				      cp.sigs[i].name);
			goto done;
		}
		if (r == 0) {
			res->unknown++;
			continue;
		}
		if (r == 1)
			res->signers++;
		else
			res->cosigners++;
		if (strlen(res->names) + strlen(cp.sigs[i].name) + 16 < sizeof(res->names))
			snprintf(res->names + strlen(res->names), sizeof(res->names) - strlen(res->names),
				 "%s%s%s", res->names[0] ? ", " : "", cp.sigs[i].name,
				 r == 2 ? " (countersigned)" : "");
	}
	if (res->signers == 0) {
		rc = irk_fail(err, IRK_ETAMPER, "the checkpoint carries no valid signature by a member");
		goto done;
	}
	if ((rc = irk_logbook_head(cb, cp.chain, &res->current, head, err)))
		goto done;
	if ((uint64_t)res->current < cp.size) {
		rc = irk_fail(err, IRK_ETAMPER,
			      "%s has %lld entries, but the checkpoint receipted %llu: entries %lld to %llu "
			      "were removed",
			      name, (long long)res->current, (unsigned long long)cp.size,
			      (long long)res->current + 1, (unsigned long long)cp.size);
		goto done;
	}
	if ((rc = irk_chain_root(cb, cp.chain, cp.size, root, err)))
		goto done;
	if (memcmp(root, cp.root, sizeof(root)))
		rc = irk_fail(err, IRK_ETAMPER,
			      "the first %llu entries of %s are not the ones the checkpoint receipted: "
			      "the log book was rewritten",
			      (unsigned long long)cp.size, name);
done:
	irk_checkpoint_release(&cp);
	return rc;
}
