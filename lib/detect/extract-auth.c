/*
 * extract-auth.c - facts from the messages of sshd, sudo, su, the shadow
 * tools (useradd, groupadd, usermod, gpasswd, passwd, chpasswd, userdel) and
 * pam_unix: who, from where, what, and whether it worked.  The fields set
 * are listed in docs/DETECTION.md; messages not recognised keep only the
 * fields the syslog parser set.
 */
#include <stdlib.h>
#include <string.h>

#include "irk/logread.h"

struct cap {
	const char *s;
	size_t n;
};

/*
 * Match `t` against the start of `m`: literal text must be equal; "%s"
 * takes a run of non-space characters, "%r" the rest of the message, "%t"
 * text up to the next literal piece of the template.  Returns 1 on a match.
 */
static int tmpl(const char *m, size_t n, const char *t, struct cap *c, int max)
{
	size_t i = 0;
	int k = 0;

	while (*t) {
		if (t[0] == '%' && (t[1] == 's' || t[1] == 'r' || t[1] == 't')) {
			size_t st = i;
			if (k >= max)
				return 0;
			if (t[1] == 's') {
				while (i < n && m[i] != ' ')
					i++;
			} else if (t[1] == 'r') {
				i = n;
			} else {
				const char *nx = t + 2;
				size_t ln = strcspn(nx, "%");
				if (!ln) {
					i = n;
				} else {
					const char *f = NULL;
					for (size_t j = i; j + ln <= n; j++)
						if (!memcmp(m + j, nx, ln)) {
							f = m + j;
							break;
						}
					if (!f)
						return 0;
					i = (size_t)(f - m);
				}
			}
			if (i == st && t[1] != 'r')
				return 0;
			c[k].s = m + st;
			c[k].n = i - st;
			k++;
			t += 2;
			continue;
		}
		if (i >= n || m[i] != *t)
			return 0;
		i++;
		t++;
	}
	return 1;
}

static void set(struct irk_event *ev, const char *name, struct cap c)
{
	irk_event_set(ev, name, c.s, c.n);
}

/* key=value pairs of a pam_unix message ("... ruser= rhost=1.2.3.4  user=root"). */
static void pam_pairs(struct irk_event *ev, const char *m, size_t n)
{
	static const char *const keys[][2] = { { "rhost", "src_ip" }, { "user", "user" },
					       { "ruser", "ruser" },  { "tty", "tty" },
					       { "logname", "logname" }, { NULL, NULL } };
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
		for (int k = 0; keys[k][0]; k++)
			if (ke - ks == strlen(keys[k][0]) && !memcmp(m + ks, keys[k][0], ke - ks) &&
			    ve > vs)
				irk_event_set(ev, keys[k][1], m + vs, ve - vs);
	}
}

static void action(struct irk_event *ev, const char *a, const char *outcome)
{
	irk_event_sets(ev, "action", a);
	if (outcome)
		irk_event_sets(ev, "outcome", outcome);
}

static void from_port(struct irk_event *ev, struct cap *c)
{
	set(ev, "src_ip", c[0]);
	set(ev, "src_port", c[1]);
}

static int pam(struct irk_event *ev, const char *m, size_t n)
{
	struct cap c[4];

	if (tmpl(m, n, "pam_unix(%t:auth): authentication failure;", c, 4) ||
	    tmpl(m, n, "PAM %s more authentication failures;", c, 4)) {
		action(ev, "pam_auth", "failure");
		pam_pairs(ev, m, n);
		return 1;
	}
	if (tmpl(m, n, "pam_unix(%t:session): session opened for user %t(uid=%t) by %r", c, 4) ||
	    tmpl(m, n, "pam_unix(%t:session): session opened for user %s by %r", c, 4)) {
		action(ev, "session_open", "success");
		set(ev, "user", c[1]);
		return 1;
	}
	if (tmpl(m, n, "pam_unix(%t:session): session closed for user %s", c, 4)) {
		action(ev, "session_close", NULL);
		set(ev, "user", c[1]);
		return 1;
	}
	if (tmpl(m, n, "pam_unix(%t:chauthtok): password changed for %s", c, 4)) {
		action(ev, "password_change", "success");
		set(ev, "target_user", c[1]);
		return 1;
	}
	if (tmpl(m, n, "pam_unix(%t:auth): check pass; user unknown", c, 4)) {
		action(ev, "pam_unknown_user", "failure");
		return 1;
	}
	return 0;
}

static void sshd(struct irk_event *ev, const char *m, size_t n)
{
	struct cap c[6];

	if (tmpl(m, n, "Failed %s for invalid user %t from %s port %s", c, 6)) {
		action(ev, "login", "failure");
		set(ev, "auth_method", c[0]);
		set(ev, "user", c[1]);
		irk_event_sets(ev, "invalid_user", "true");
		from_port(ev, c + 2);
	} else if (tmpl(m, n, "Failed %s for %t from %s port %s", c, 6)) {
		action(ev, "login", "failure");
		set(ev, "auth_method", c[0]);
		set(ev, "user", c[1]);
		from_port(ev, c + 2);
	} else if (tmpl(m, n, "Accepted %s for %s from %s port %s", c, 6)) {
		action(ev, "login", "success");
		set(ev, "auth_method", c[0]);
		set(ev, "user", c[1]);
		from_port(ev, c + 2);
	} else if (tmpl(m, n, "Invalid user %t from %s port %s", c, 6)) {
		action(ev, "invalid_user", "failure");
		set(ev, "user", c[0]);
		from_port(ev, c + 1);
	} else if (tmpl(m, n, "Invalid user %t from %s", c, 6)) {
		action(ev, "invalid_user", "failure");
		set(ev, "user", c[0]);
		set(ev, "src_ip", c[1]);
	} else if (tmpl(m, n, "Invalid user  from %s", c, 6)) {
		action(ev, "invalid_user", "failure");
		set(ev, "src_ip", c[0]);
	} else if (tmpl(m, n, "error: maximum authentication attempts exceeded for invalid user %t from %s port %s", c, 6) ||
		   tmpl(m, n, "error: maximum authentication attempts exceeded for %t from %s port %s", c, 6)) {
		action(ev, "max_attempts", "failure");
		set(ev, "user", c[0]);
		from_port(ev, c + 1);
	} else if (tmpl(m, n, "Connection closed by authenticating user %s %s port %s", c, 6) ||
		   tmpl(m, n, "Connection closed by invalid user %s %s port %s", c, 6) ||
		   tmpl(m, n, "Disconnected from authenticating user %s %s port %s", c, 6) ||
		   tmpl(m, n, "Disconnected from invalid user %s %s port %s", c, 6) ||
		   tmpl(m, n, "Disconnected from user %s %s port %s", c, 6)) {
		action(ev, "disconnect", NULL);
		set(ev, "user", c[0]);
		from_port(ev, c + 1);
	} else if (tmpl(m, n, "Connection closed by %s port %s", c, 6) ||
		   tmpl(m, n, "Received disconnect from %s port %s:", c, 6) ||
		   tmpl(m, n, "Disconnected from %s port %s", c, 6)) {
		action(ev, "disconnect", NULL);
		from_port(ev, c);
	} else if (tmpl(m, n, "Connection closed by %s", c, 6) ||
		   tmpl(m, n, "Received disconnect from %t:", c, 6) ||
		   tmpl(m, n, "error: Received disconnect from %t:", c, 6)) {
		action(ev, "disconnect", NULL);
		set(ev, "src_ip", c[0]);
	} else if (tmpl(m, n, "Did not receive identification string from %s", c, 6)) {
		action(ev, "no_identification", "failure");
		set(ev, "src_ip", c[0]);
	} else if (tmpl(m, n, "reverse mapping checking getaddrinfo for %s [%t] failed", c, 6)) {
		action(ev, "reverse_mapping_failed", NULL);
		set(ev, "src_host", c[0]);
		set(ev, "src_ip", c[1]);
	} else if (tmpl(m, n, "Address %s maps to %s, but this does not map back to the address", c, 6)) {
		action(ev, "reverse_mapping_failed", NULL);
		set(ev, "src_ip", c[0]);
		set(ev, "src_host", c[1]);
	} else if (tmpl(m, n, "Connection from %s port %s", c, 6)) {
		action(ev, "connect", NULL);
		from_port(ev, c);
	} else if (tmpl(m, n, "input_userauth_request: invalid user %s", c, 6)) {
		action(ev, "invalid_user_request", "failure");
		set(ev, "user", c[0]);
	} else if (tmpl(m, n, "Server listening on %s port %s", c, 6)) {
		action(ev, "listen", NULL);
	} else if (tmpl(m, n, "Received signal %s; terminating", c, 6)) {
		action(ev, "stop", NULL);
	} else {
		pam(ev, m, n);
	}
}

/* "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls" */
static void sudo(struct irk_event *ev, const char *m, size_t n)
{
	struct cap c[2];
	size_t i = 0, us, ue;
	const char *semi;

	if (pam(ev, m, n))
		return;
	while (i < n && m[i] == ' ')
		i++;
	us = i;
	while (i < n && m[i] != ' ')
		i++;
	ue = i;
	if (ue == us || !tmpl(m + i, n - i, " : %r", c, 2))
		return;
	irk_event_set(ev, "user", m + us, ue - us);
	action(ev, "sudo", "success");
	m = c[0].s;
	n = c[0].n;
	/* A first part without '=' is a complaint: "3 incorrect password attempts" */
	semi = memchr(m, ';', n);
	if (!memchr(m, '=', semi ? (size_t)(semi - m) : n) || (semi && !memchr(m, '=', (size_t)(semi - m)))) {
		size_t rn = semi ? (size_t)(semi - m) : n;
		while (rn && m[rn - 1] == ' ')
			rn--;
		irk_event_sets(ev, "outcome", "failure");
		irk_event_set(ev, "reason", m, rn);
	}
	for (i = 0; i < n;) {
		static const char *const keys[][2] = { { "TTY", "tty" }, { "PWD", "pwd" },
						       { "USER", "target_user" }, { "GROUP", "target_group" },
						       { "COMMAND", "command" }, { NULL, NULL } };
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
		for (int k = 0; keys[k][0]; k++)
			if (ke - ks == strlen(keys[k][0]) && !memcmp(m + ks, keys[k][0], ke - ks))
				irk_event_set(ev, keys[k][1], m + vs, ve - vs);
		i = ve < i ? i : ve;
	}
}

static void su(struct irk_event *ev, const char *m, size_t n)
{
	struct cap c[3];

	if (pam(ev, m, n))
		return;
	if (tmpl(m, n, "FAILED SU (to %t) %s on %s", c, 3) ||
	    tmpl(m, n, "FAILED su for %s by %s", c, 3)) {
		action(ev, "su", "failure");
		set(ev, "target_user", c[0]);
		set(ev, "user", c[1]);
	} else if (tmpl(m, n, "(to %t) %s on %s", c, 3) ||
		   tmpl(m, n, "Successful su for %s by %s", c, 3)) {
		action(ev, "su", "success");
		set(ev, "target_user", c[0]);
		set(ev, "user", c[1]);
	}
}

static void shadow_tools(struct irk_event *ev, const char *m, size_t n)
{
	struct cap c[3];

	if (pam(ev, m, n))
		return;
	if (tmpl(m, n, "new user: name=%t,", c, 3)) {
		action(ev, "user_add", "success");
		set(ev, "target_user", c[0]);
	} else if (tmpl(m, n, "new group: name=%t,", c, 3)) {
		action(ev, "group_add", "success");
		set(ev, "group", c[0]);
	} else if (tmpl(m, n, "add '%t' to shadow group '%t'", c, 3) ||
		   tmpl(m, n, "add '%t' to group '%t'", c, 3)) {
		action(ev, "group_member_add", "success");
		set(ev, "target_user", c[0]);
		set(ev, "group", c[1]);
	} else if (tmpl(m, n, "user %s added by %s to group %s", c, 3)) {
		action(ev, "group_member_add", "success");
		set(ev, "target_user", c[0]);
		set(ev, "user", c[1]);
		set(ev, "group", c[2]);
	} else if (tmpl(m, n, "delete user '%t'", c, 3)) {
		action(ev, "user_delete", "success");
		set(ev, "target_user", c[0]);
	} else if (tmpl(m, n, "change user '%t' password", c, 3) ||
		   tmpl(m, n, "password for '%t' changed by '%t'", c, 3) ||
		   tmpl(m, n, "password changed for %s", c, 3)) {
		action(ev, "password_change", "success");
		set(ev, "target_user", c[0]);
	}
}

void irk_log_extract_auth(struct irk_event *ev)
{
	size_t n;
	const char *prog = irk_event_get(ev, "program", NULL);
	const char *svc = ev->service, *m;

	if (!prog || !svc)
		return;
	/* the message is copied: the event's arena may move while fields are set */
	m = irk_event_get(ev, "message", &n);
	if (!m || n > IRK_LOG_LINE_MAX)
		return;
	{
		char small[2048];
		char *copy = n < sizeof(small) ? small : irk_malloc(n + 1);

		memcpy(copy, m, n + 1);
		if (!strcmp(svc, "sshd"))
			sshd(ev, copy, n);
		else if (!strcmp(svc, "sudo"))
			sudo(ev, copy, n);
		else if (!strcmp(svc, "su"))
			su(ev, copy, n);
		else if (!strcmp(svc, "login") || !strcmp(svc, "cron") || !strcmp(svc, "CRON") ||
			 !strcmp(svc, "systemd-logind"))
			pam(ev, copy, n);
		else
			shadow_tools(ev, copy, n);
		if (copy != small)
			free(copy);
	}
}
