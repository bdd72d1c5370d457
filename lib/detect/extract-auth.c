/*
 * extract-auth.c - facts from the messages of sshd, sudo, su, the shadow
 * tools (useradd, groupadd, usermod, gpasswd, passwd, chpasswd, userdel) and
 * pam_unix: who, from where, what, and whether it worked.  The fields set
 * are listed in docs/DETECTION.md; messages not recognised keep only the
 * fields the syslog parser set.
 */
#include <endian.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irk/bytes.h"
#include "irk/logread.h"

struct cap {
	const char *s;
	size_t n;
};

/*
 * A template is text to match against the start of a message: literal text
 * must be equal; "%s" takes a run of non-space characters, "%r" the rest of
 * the message, "%t" text up to the next literal piece of the template.
 * Templates are split into pieces once (compile()), so that matching
 * compares whole literal pieces and searches only where "%t" asks.
 */
enum piece_kind { P_LIT, P_WORD, P_REST, P_UNTIL };

struct piece {
	enum piece_kind kind;
	const char *lit; /* P_LIT: the text; P_UNTIL: the next literal piece (len 0: to the end) */
	size_t len;
};

#define PIECES_MAX 16 /* the longest template has 8 */
#define CAPS_MAX 4     /* captures a template may have (struct form's caps) */

struct compiled {
	struct piece p[PIECES_MAX];
	int n;
	int unfit; /* more than PIECES_MAX pieces or CAPS_MAX captures: never matches
		      (irk_log_auth_unfit()) */
	size_t action_len, outcome_len; /* of the form's constants (struct form) */
};

static int is_capture(const char *t)
{
	return t[0] == '%' && (t[1] == 's' || t[1] == 'r' || t[1] == 't');
}

/* The length of the literal text at t (up to the next capture or the end). */
static size_t literal_len(const char *t)
{
	size_t n = 0;

	while (t[n] && !is_capture(t + n))
		n++;
	return n;
}

static void compile(const char *t, struct compiled *c)
{
	int caps = 0;

	c->n = 0;
	while (*t) {
		if (c->n == PIECES_MAX) {
			c->unfit = 1;
			return;
		}
		struct piece *p = &c->p[c->n++];
		if (!is_capture(t)) {
			p->kind = P_LIT;
			p->lit = t;
			p->len = literal_len(t);
			t += p->len;
			continue;
		}
		p->kind = t[1] == 's' ? P_WORD : t[1] == 'r' ? P_REST : P_UNTIL;
		caps++;
		t += 2;
		p->lit = t;
		p->len = p->kind == P_UNTIL ? literal_len(t) : 0;
	}
	c->unfit = caps > CAPS_MAX;
}

/*
 * The pieces are short (a word, " port "): comparing and scanning them a
 * machine word at a time, inline, costs less than calling the C library
 * (irk/bytes.h).
 */
/* The first byte c in m[i..n), or n. */
static inline size_t find_byte(const char *m, size_t i, size_t n, unsigned char c)
{
	const uint64_t ones = 0x0101010101010101ULL, cs = c * ones;

	for (; i + 8 <= n; i += 8) {
		/* m[i] in the low byte, on any machine: the borrows below run upwards */
		uint64_t x = le64toh(irk_load64(m + i)) ^ cs; /* a byte c is now a zero byte */
		uint64_t z = (x - ones) & ~x & (ones << 7); /* exact up to the first zero byte */
		if (z)
			return i + (size_t)(__builtin_ctzll(z) >> 3);
	}
	while (i < n && (unsigned char)m[i] != c)
		i++;
	return i;
}

/* The first place of `lit` in m[i..n), or n + 1 when it does not occur. */
static size_t find(const char *m, size_t i, size_t n, const char *lit, size_t len)
{
	if (len > n)
		return n + 1;
	while ((i = find_byte(m, i, n - len + 1, (unsigned char)lit[0])) <= n - len) {
		if (irk_same_bytes(m + i + 1, lit + 1, len - 1))
			return i;
		i++;
	}
	return n + 1;
}

/*
 * Match a compiled template against the start of m[0..n); returns 1 on a
 * match, with its captures in c[0..CAPS_MAX).
 */
static int tmpl(const char *m, size_t n, const struct compiled *t, struct cap *c)
{
	size_t i = 0;
	int k = 0;

	if (t->unfit)
		return 0;
	for (int x = 0; x < t->n; x++) {
		const struct piece *p = &t->p[x];
		size_t st = i;
		if (p->kind == P_LIT) {
			if (n - i < p->len || !irk_same_bytes(m + i, p->lit, p->len))
				return 0;
			i += p->len;
			continue;
		}
		if (p->kind == P_WORD) {
			i = find_byte(m, i, n, ' ');
		} else if (p->kind == P_REST || !p->len) {
			i = n;
		} else if ((i = find(m, i, n, p->lit, p->len)) > n) {
			return 0;
		}
		if (i == st && p->kind != P_REST)
			return 0;
		c[k].s = m + st;
		c[k].n = i - st;
		k++;
	}
	return 1;
}

/* key=value pairs of a pam_unix message ("... ruser= rhost=1.2.3.4  user=root"). */
static void pam_pairs(struct irk_event *ev, const char *m, size_t n)
{
	static const struct { const char *key; size_t len; enum irk_field_id id; } keys[] = {
		{ "rhost", 5, IRK_F_SRC_IP }, { "user", 4, IRK_F_USER }, { "ruser", 5, IRK_F_RUSER },
		{ "tty", 3, IRK_F_TTY }, { "logname", 7, IRK_F_LOGNAME }, { NULL, 0, 0 }
	};
	for (size_t i = 0; i < n;) {
		size_t ks = i, ke, vs, ve;
		while (i < n && m[i] != '=' && m[i] != ' ')
			i++;
		if (i >= n || m[i] != '=') {
			i++;
			continue;
		}
		ke = i++;
		vs = i;
		while (i < n && m[i] != ' ')
			i++;
		ve = i;
		if (ve == vs)
			continue;
		for (int k = 0; keys[k].key; k++)
			if (ke - ks == keys[k].len && !memcmp(m + ks, keys[k].key, ke - ks))
				irk_event_set_id(ev, keys[k].id, m + vs, ve - vs);
	}
}

/*
 * The messages recognised, as data: a template (see tmpl()), the action and
 * outcome it means, and the field each capture goes to.  The first template
 * of a list that matches wins.  Being data, the same table tells the
 * prefilter (irk_log_auth_literals()) which text a message must contain for
 * an action or outcome to be set.
 */
#define CAP(f) (IRK_F_##f + 1) /* 0: the capture is not kept */
enum { MORE_NONE, MORE_INVALID_USER, MORE_PAM_PAIRS };

struct form {
	const char *tmpl;
	const char *action, *outcome;
	unsigned char caps[CAPS_MAX];
	int more;
};

static const struct form pam_forms[] = {
	{ "pam_unix(%t:auth): authentication failure;", "pam_auth", "failure", { 0 }, MORE_PAM_PAIRS },
	{ "PAM %s more authentication failures;", "pam_auth", "failure", { 0 }, MORE_PAM_PAIRS },
	{ "pam_unix(%t:session): session opened for user %t(uid=%t) by %r", "session_open", "success",
	  { 0, CAP(USER) } },
	{ "pam_unix(%t:session): session opened for user %s by %r", "session_open", "success",
	  { 0, CAP(USER) } },
	{ "pam_unix(%t:session): session closed for user %s", "session_close", NULL, { 0, CAP(USER) } },
	{ "pam_unix(%t:chauthtok): password changed for %s", "password_change", "success",
	  { 0, CAP(TARGET_USER) } },
	{ "pam_unix(%t:auth): check pass; user unknown", "pam_unknown_user", "failure", { 0 } },
	{ NULL, NULL, NULL, { 0 } }
};

#define LOGIN_CAPS { CAP(AUTH_METHOD), CAP(USER), CAP(SRC_IP), CAP(SRC_PORT) }
#define USER_FROM_PORT { CAP(USER), CAP(SRC_IP), CAP(SRC_PORT) }
#define FROM_PORT { CAP(SRC_IP), CAP(SRC_PORT) }

static const struct form sshd_forms[] = {
	{ "Failed %s for invalid user %t from %s port %s", "login", "failure", LOGIN_CAPS,
	  MORE_INVALID_USER },
	{ "Failed %s for %t from %s port %s", "login", "failure", LOGIN_CAPS },
	{ "Accepted %s for %s from %s port %s", "login", "success", LOGIN_CAPS },
	{ "Invalid user %t from %s port %s", "invalid_user", "failure", USER_FROM_PORT },
	{ "Invalid user %t from %s", "invalid_user", "failure", { CAP(USER), CAP(SRC_IP) } },
	{ "Invalid user  from %s", "invalid_user", "failure", { CAP(SRC_IP) } },
	{ "error: maximum authentication attempts exceeded for invalid user %t from %s port %s",
	  "max_attempts", "failure", USER_FROM_PORT },
	{ "error: maximum authentication attempts exceeded for %t from %s port %s", "max_attempts",
	  "failure", USER_FROM_PORT },
	{ "Connection closed by authenticating user %s %s port %s", "disconnect", NULL, USER_FROM_PORT },
	{ "Connection closed by invalid user %s %s port %s", "disconnect", NULL, USER_FROM_PORT },
	{ "Disconnected from authenticating user %s %s port %s", "disconnect", NULL, USER_FROM_PORT },
	{ "Disconnected from invalid user %s %s port %s", "disconnect", NULL, USER_FROM_PORT },
	{ "Disconnected from user %s %s port %s", "disconnect", NULL, USER_FROM_PORT },
	{ "Connection closed by %s port %s", "disconnect", NULL, FROM_PORT },
	{ "Received disconnect from %s port %s:", "disconnect", NULL, FROM_PORT },
	{ "Disconnected from %s port %s", "disconnect", NULL, FROM_PORT },
	{ "Connection closed by %s", "disconnect", NULL, { CAP(SRC_IP) } },
	{ "Received disconnect from %t:", "disconnect", NULL, { CAP(SRC_IP) } },
	{ "error: Received disconnect from %t:", "disconnect", NULL, { CAP(SRC_IP) } },
	{ "Did not receive identification string from %s", "no_identification", "failure",
	  { CAP(SRC_IP) } },
	{ "reverse mapping checking getaddrinfo for %s [%t] failed", "reverse_mapping_failed", NULL,
	  { CAP(SRC_HOST), CAP(SRC_IP) } },
	{ "Address %s maps to %s, but this does not map back to the address",
	  "reverse_mapping_failed", NULL, { CAP(SRC_IP), CAP(SRC_HOST) } },
	{ "Connection from %s port %s", "connect", NULL, FROM_PORT },
	{ "input_userauth_request: invalid user %s", "invalid_user_request", "failure", { CAP(USER) } },
	{ "Server listening on %s port %s", "listen", NULL, { 0 } },
	{ "Received signal %s; terminating", "stop", NULL, { 0 } },
	{ NULL, NULL, NULL, { 0 } }
};

static const struct form su_forms[] = {
	{ "FAILED SU (to %t) %s on %s", "su", "failure", { CAP(TARGET_USER), CAP(USER) } },
	{ "FAILED su for %s by %s", "su", "failure", { CAP(TARGET_USER), CAP(USER) } },
	{ "(to %t) %s on %s", "su", "success", { CAP(TARGET_USER), CAP(USER) } },
	{ "Successful su for %s by %s", "su", "success", { CAP(TARGET_USER), CAP(USER) } },
	{ NULL, NULL, NULL, { 0 } }
};

/* useradd, groupadd, usermod, gpasswd, passwd, chpasswd, userdel, groupdel */
static const struct form shadow_forms[] = {
	{ "new user: name=%t,", "user_add", "success", { CAP(TARGET_USER) } },
	{ "new group: name=%t,", "group_add", "success", { CAP(GROUP) } },
	{ "add '%t' to shadow group '%t'", "group_member_add", "success",
	  { CAP(TARGET_USER), CAP(GROUP) } },
	{ "add '%t' to group '%t'", "group_member_add", "success", { CAP(TARGET_USER), CAP(GROUP) } },
	{ "user %s added by %s to group %s", "group_member_add", "success",
	  { CAP(TARGET_USER), CAP(USER), CAP(GROUP) } },
	{ "delete user '%t'", "user_delete", "success", { CAP(TARGET_USER) } },
	{ "change user '%t' password", "password_change", "success", { CAP(TARGET_USER) } },
	{ "password for '%t' changed by '%t'", "password_change", "success", { CAP(TARGET_USER) } },
	{ "password changed for %s", "password_change", "success", { CAP(TARGET_USER) } },
	{ NULL, NULL, NULL, { 0 } }
};

enum { PAM, SSHD, SU, SHADOW, NLISTS };
static const struct form *const all_forms[NLISTS + 1] = { pam_forms, sshd_forms, su_forms,
							  shadow_forms, NULL };

#define FORMS_MAX 32
#define FITS(list) _Static_assert(sizeof(list) / sizeof(list[0]) <= FORMS_MAX, #list " too long")
FITS(pam_forms);
FITS(sshd_forms);
FITS(su_forms);
FITS(shadow_forms);

/*
 * Worked out once: the split templates, and per list and first byte of a
 * message the forms that can match it (bit i: form i), so that a message is
 * tried only against forms that begin with its first byte or a capture.
 */
static struct compiled compiled[NLISTS][FORMS_MAX];
static uint32_t by_first_byte[NLISTS][256];
static pthread_once_t compiled_once = PTHREAD_ONCE_INIT;

static void compile_forms(void)
{
	for (int l = 0; l < NLISTS; l++)
		for (int i = 0; all_forms[l][i].tmpl; i++) {
			const struct form *f = &all_forms[l][i];
			struct compiled *c = &compiled[l][i];
			compile(f->tmpl, c);
			c->action_len = strlen(f->action);
			c->outcome_len = f->outcome ? strlen(f->outcome) : 0;
			if (c->n && c->p[0].kind == P_LIT) {
				by_first_byte[l][(unsigned char)c->p[0].lit[0]] |= 1u << i;
				continue;
			}
			for (int b = 0; b < 256; b++)
				by_first_byte[l][b] |= 1u << i;
		}
}

int irk_log_auth_unfit(void)
{
	int n = 0;

	pthread_once(&compiled_once, compile_forms);
	for (int l = 0; l < NLISTS; l++)
		for (int i = 0; all_forms[l][i].tmpl; i++)
			n += compiled[l][i].unfit;
	return n;
}

/* Apply the first form of a list that matches; returns 1 when one did. */
static int apply(struct irk_event *ev, int list, const char *m, size_t n)
{
	struct cap c[CAPS_MAX];
	/* most forms differ from the message in their first byte (an empty message: none) */
	uint32_t forms = by_first_byte[list][n ? (unsigned char)m[0] : 0];

	for (; forms; forms &= forms - 1) {
		int i = __builtin_ctz(forms);
		const struct form *f = &all_forms[list][i];
		const struct compiled *t = &compiled[list][i];
		if (!tmpl(m, n, t, c))
			continue;
		/* the constants are not copied: they outlive the event */
		irk_event_set_const_id(ev, IRK_F_ACTION, f->action, t->action_len);
		if (f->outcome)
			irk_event_set_const_id(ev, IRK_F_OUTCOME, f->outcome, t->outcome_len);
		for (int k = 0; k < CAPS_MAX; k++)
			if (f->caps[k])
				irk_event_set_id(ev, (enum irk_field_id)(f->caps[k] - 1), c[k].s, c[k].n);
		if (f->more == MORE_INVALID_USER)
			irk_event_set_const_id(ev, IRK_F_INVALID_USER, "true", 4);
		else if (f->more == MORE_PAM_PAIRS)
			pam_pairs(ev, m, n);
		return 1;
	}
	return 0;
}

/* sudo's own lines are not templates: "USER : key=value ; ..." (see sudo()). */
#define SUDO_LITERAL " : "
#define SUDO_LITERAL_LEN (sizeof(SUDO_LITERAL) - 1)

static void add_literal(const char ***out, int *n, const char *s, size_t len)
{
	char *copy = irk_strndup(s, len);

	for (int i = 0; i < *n; i++)
		if (!strcmp((*out)[i], copy)) {
			free(copy);
			return;
		}
	*out = irk_realloc(*out, sizeof(char *) * (size_t)(*n + 1));
	(*out)[(*n)++] = copy;
}

/* The longest literal piece of a template: every message it matches contains it. */
static void tmpl_literal(const struct compiled *t, const char **lit, size_t *len)
{
	*lit = "";
	*len = 0;
	for (int x = 0; x < t->n; x++)
		if (t->p[x].kind == P_LIT && t->p[x].len > *len) {
			*lit = t->p[x].lit;
			*len = t->p[x].len;
		}
}

/* The derived fields a form (NULL: sudo's own lines, with `outcome`) sets. */
static void derived(struct irk_event *ev, const struct form *f, const char *outcome)
{
	irk_event_reset(ev);
	irk_event_sets_id(ev, IRK_F_ACTION, f ? f->action : "sudo");
	if (f ? f->outcome != NULL : 1)
		irk_event_sets_id(ev, IRK_F_OUTCOME, f ? f->outcome : outcome);
	if (f && f->more == MORE_INVALID_USER)
		irk_event_sets_id(ev, IRK_F_INVALID_USER, "true");
}

int irk_log_auth_literals(int (*accept)(const struct irk_event *derived, void *arg), void *arg,
			  const char ***out)
{
	static const char *const sudo_outcomes[] = { "success", "failure", NULL };
	struct irk_event ev;
	int n = 0;

	*out = NULL;
	irk_event_init(&ev);
	if (accept(&ev, arg)) {
		irk_event_release(&ev);
		return -1;
	}
	pthread_once(&compiled_once, compile_forms);
	for (int l = 0; l < NLISTS; l++)
		for (int i = 0; all_forms[l][i].tmpl; i++) {
			const char *lit;
			size_t len;
			derived(&ev, &all_forms[l][i], NULL);
			if (!accept(&ev, arg))
				continue;
			tmpl_literal(&compiled[l][i], &lit, &len);
			add_literal(out, &n, lit, len);
		}
	for (int i = 0; sudo_outcomes[i]; i++) {
		derived(&ev, NULL, sudo_outcomes[i]);
		if (accept(&ev, arg))
			add_literal(out, &n, SUDO_LITERAL, SUDO_LITERAL_LEN);
	}
	irk_event_release(&ev);
	return n;
}

/* "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls" */
static void sudo(struct irk_event *ev, const char *m, size_t n)
{
	size_t i = 0, us, ue;
	const char *semi;

	if (apply(ev, PAM, m, n))
		return;
	while (i < n && m[i] == ' ')
		i++;
	us = i;
	while (i < n && m[i] != ' ')
		i++;
	ue = i;
	if (ue == us || n - i < SUDO_LITERAL_LEN || memcmp(m + i, SUDO_LITERAL, SUDO_LITERAL_LEN))
		return;
	irk_event_set_id(ev, IRK_F_USER, m + us, ue - us);
	irk_event_set_const_id(ev, IRK_F_ACTION, "sudo", 4);
	irk_event_set_const_id(ev, IRK_F_OUTCOME, "success", 7);
	m += i + SUDO_LITERAL_LEN;
	n -= i + SUDO_LITERAL_LEN;
	/* A first part without '=' is a complaint: "3 incorrect password attempts" */
	semi = memchr(m, ';', n);
	if (!memchr(m, '=', semi ? (size_t)(semi - m) : n) || (semi && !memchr(m, '=', (size_t)(semi - m)))) {
		size_t rn = semi ? (size_t)(semi - m) : n;
		while (rn && m[rn - 1] == ' ')
			rn--;
		irk_event_set_const_id(ev, IRK_F_OUTCOME, "failure", 7);
		irk_event_set_id(ev, IRK_F_REASON, m, rn);
	}
	for (i = 0; i < n;) {
		static const struct { const char *key; size_t len; enum irk_field_id id; } keys[] = {
			{ "TTY", 3, IRK_F_TTY }, { "PWD", 3, IRK_F_PWD },
			{ "USER", 4, IRK_F_TARGET_USER }, { "GROUP", 5, IRK_F_TARGET_GROUP },
			{ "COMMAND", 7, IRK_F_COMMAND }, { NULL, 0, 0 }
		};
		size_t ks, ke, vs, ve;
		while (i < n && (m[i] == ' ' || m[i] == ';'))
			i++;
		ks = i;
		while (i < n && m[i] != '=' && m[i] != ';')
			i++;
		if (i >= n || m[i] != '=')
			continue;
		ke = i++;
		vs = i;
		/* COMMAND runs to the end: commands may hold " ; " */
		if (ke - ks == 7 && !memcmp(m + ks, "COMMAND", 7)) {
			ve = n;
		} else {
			while (i < n && m[i] != ';')
				i++;
			ve = i;
		}
		while (ve > vs && m[ve - 1] == ' ')
			ve--;
		for (int k = 0; keys[k].key; k++)
			if (ke - ks == keys[k].len && !memcmp(m + ks, keys[k].key, ke - ks))
				irk_event_set_id(ev, keys[k].id, m + vs, ve - vs);
		i = ve < i ? i : ve;
	}
}

void irk_log_extract_auth(struct irk_event *ev, const char *m, size_t n)
{
	const char *svc = ev->service;

	if (!svc)
		return;
	pthread_once(&compiled_once, compile_forms);
	if (!strcmp(svc, "sshd"))
		(void)(apply(ev, SSHD, m, n) || apply(ev, PAM, m, n));
	else if (!strcmp(svc, "sudo"))
		sudo(ev, m, n);
	else if (!strcmp(svc, "su"))
		(void)(apply(ev, PAM, m, n) || apply(ev, SU, m, n));
	else if (!strcmp(svc, "login") || !strcmp(svc, "cron") || !strcmp(svc, "CRON") ||
		 !strcmp(svc, "systemd-logind"))
		apply(ev, PAM, m, n);
	else
		(void)(apply(ev, PAM, m, n) || apply(ev, SHADOW, m, n));
}
