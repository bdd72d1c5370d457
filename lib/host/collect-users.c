/*
 * collect-users.c - who is and was on the host: logged-in sessions (utmp,
 * volatile: written on login and logout), then the login history (wtmp),
 * failed logins (btmp), each account's last login (lastlog), and the
 * accounts and groups themselves, with each password's state (never the
 * hash).  Also the utmp record parser (fuzzed).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <lastlog.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmp.h>

#include "irk/collect.h"
#include "irk/timefmt.h"

static const char *const utmp_types[] = {
	"empty", "run-level", "boot", "new-time", "old-time", "init", "login", "user", "dead",
	"accounting",
};

static void fixed_str(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

enum irk_code irk_utmp_parse(const void *data, size_t len, irk_utmp_fn fn, void *arg,
			     struct irk_err *err)
{
	const char *p = data;
	size_t i;

	for (i = 0; i + sizeof(struct utmp) <= len; i += sizeof(struct utmp)) {
		struct utmp u;
		struct irk_utmp_rec r;

		memcpy(&u, p + i, sizeof(u));
		memset(&r, 0, sizeof(r));
		r.type = u.ut_type;
		r.type_name = r.type >= 0 && r.type < (int)(sizeof(utmp_types) / sizeof(utmp_types[0]))
				      ? utmp_types[r.type] : "unknown";
		r.pid = u.ut_pid;
		fixed_str(r.line, u.ut_line, sizeof(u.ut_line));
		fixed_str(r.id, u.ut_id, sizeof(u.ut_id));
		fixed_str(r.user, u.ut_user, sizeof(u.ut_user));
		fixed_str(r.host, u.ut_host, sizeof(u.ut_host));
		r.time_us = (int64_t)u.ut_tv.tv_sec * 1000000 + u.ut_tv.tv_usec;
		if (u.ut_addr_v6[1] || u.ut_addr_v6[2] || u.ut_addr_v6[3])
			inet_ntop(AF_INET6, u.ut_addr_v6, r.addr, sizeof(r.addr));
		else if (u.ut_addr_v6[0])
			inet_ntop(AF_INET, u.ut_addr_v6, r.addr, sizeof(r.addr));
		fn(&r, arg);
	}
	if (i != len)
		return irk_fail(err, IRK_EINVAL, "%zu trailing bytes are not a whole record of %zu",
				len - i, sizeof(struct utmp));
	return IRK_OK;
}

struct utmp_emit {
	struct irk_collector *c;
	const char *area;
	enum irk_collect_count count;
	int only_users;
};

static void emit_utmp(const struct irk_utmp_rec *r, void *arg)
{
	struct utmp_emit *u = arg;
	char at[IRK_TIME_MAX];

	if (r->type == EMPTY || (u->only_users && r->type != USER_PROCESS))
		return;
	irk_time_utc(r->time_us / 1000, 1, at);
	irk_collect_emit(u->c, u->area,
			 json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:s, s:o}", "type", r->type_name,
				   "pid", r->pid, "user", irk_json_bytes(r->user, strlen(r->user)),
				   "line", irk_json_bytes(r->line, strlen(r->line)), "id",
				   irk_json_bytes(r->id, strlen(r->id)), "host",
				   irk_json_bytes(r->host, strlen(r->host)), "time", at, "address",
				   r->addr[0] ? json_string(r->addr) : json_null()));
	irk_collect_count(u->c, u->count, 1);
}

static void utmp_file(struct irk_collector *c, const char *path, const char *area,
		      enum irk_collect_count count, int only_users)
{
	struct irk_buf b = IRK_BUF_INIT;
	struct irk_err e = IRK_ERR_INIT;
	struct utmp_emit u = { c, area, count, only_users };

	if (irk_collect_read(c, path, &b) == 0) {
		if (irk_utmp_parse(b.buf, b.len, emit_utmp, &u, &e))
			irk_collect_log(c, "skip", path, "%s", e.msg);
		else
			irk_collect_log(c, "read", path, "%zu records", b.len / sizeof(struct utmp));
	}
	irk_buf_release(&b);
}

void irk_collect_sessions(struct irk_collector *c)
{
	struct stat st;

	utmp_file(c, irk_collect_lstat(c, "/run/utmp", &st) == 0 ? "/run/utmp" : "/var/run/utmp", "sessions",
		  IRK_CC_SESSIONS, 1);
}

static void lastlog(struct irk_collector *c)
{
	size_t n;
	const struct irk_collect_account *a = irk_collect_account_list(c, &n);
	int fd = irk_collect_open(c, "/var/log/lastlog", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		irk_collect_log_errno(c, "/var/log/lastlog", errno);
		return;
	}
	/* a sparse file indexed by uid: read only the records of existing accounts */
	for (size_t i = 0; i < n; i++) {
		struct lastlog ll;
		char line[sizeof(ll.ll_line) + 1], host[sizeof(ll.ll_host) + 1], at[IRK_TIME_MAX];

		if (pread(fd, &ll, sizeof(ll), (off_t)a[i].uid * (off_t)sizeof(ll)) != sizeof(ll) ||
		    ll.ll_time == 0)
			continue;
		fixed_str(line, ll.ll_line, sizeof(ll.ll_line));
		fixed_str(host, ll.ll_host, sizeof(ll.ll_host));
		irk_time_utc((int64_t)ll.ll_time * 1000, 0, at);
		irk_collect_emit(c, "lastlog",
				 json_pack("{s:s, s:I, s:s, s:o, s:o}", "user", a[i].name, "uid",
					   (json_int_t)a[i].uid, "time", at, "line",
					   irk_json_bytes(line, strlen(line)), "host",
					   irk_json_bytes(host, strlen(host))));
	}
	close(fd);
	irk_collect_log(c, "read", "/var/log/lastlog", "records of %zu accounts", n);
}

void irk_collect_logins(struct irk_collector *c)
{
	utmp_file(c, "/var/log/wtmp", "logins", IRK_CC_LOGINS, 0);
	utmp_file(c, "/var/log/btmp", "failed-logins", IRK_CC_LOGINS, 0);
	lastlog(c);
}

/* What /etc/shadow says of one account's password, without the hash. */
static json_t *password_state(const char *hash)
{
	const char *h = hash;
	int locked = 0;
	char scheme[16] = "";

	while (*h == '!') {
		locked = 1;
		h++;
	}
	if (*h == '$') {
		size_t n = strcspn(h + 1, "$");

		snprintf(scheme, sizeof(scheme), "%.*s", (int)(n < 15 ? n : 15), h + 1);
	}
	if (!*hash)
		return json_pack("{s:s}", "state", "empty: no password needed");
	if (!strcmp(h, "*") || !strcmp(h, "x") || !*h)
		return json_pack("{s:s}", "state", locked ? "locked" : "no login by password");
	return json_pack("{s:s, s:s}", "state", locked ? "locked" : "set", "scheme",
			 scheme[0] ? scheme : "des");
}

void irk_collect_accounts(struct irk_collector *c)
{
	size_t n;
	const struct irk_collect_account *a = irk_collect_account_list(c, &n);
	struct irk_buf shadow = IRK_BUF_INIT, group = IRK_BUF_INIT;
	char *save = NULL, sha[IRK_SHA256_HEX];
	int have_shadow = irk_collect_read(c, "/etc/shadow", &shadow) == 0;

	irk_collect_file(c, "/etc/passwd", 1, sha);
	irk_collect_file(c, "/etc/group", 1, sha);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:o, s:I, s:I, s:o, s:o, s:o}", "user",
				      irk_json_bytes(a[i].name, strlen(a[i].name)), "uid",
				      (json_int_t)a[i].uid, "gid", (json_int_t)a[i].gid, "gecos",
				      irk_json_bytes(a[i].gecos, strlen(a[i].gecos)), "home",
				      irk_json_bytes(a[i].home, strlen(a[i].home)), "shell",
				      irk_json_bytes(a[i].shell, strlen(a[i].shell)));
		size_t len = strlen(a[i].name);

		for (const char *l = have_shadow ? shadow.buf : NULL; l && *l;) {
			const char *end = strchr(l, '\n');
			size_t ll = end ? (size_t)(end - l) : strlen(l);

			if (ll > len && !strncmp(l, a[i].name, len) && l[len] == ':') {
				char *hash = irk_strndup(l + len + 1, ll - len - 1);
				char *fields = strchr(hash, ':');

				if (fields) {
					*fields++ = '\0';
					json_object_set_new(o, "last_change_days",
							    json_integer(strtol(fields, NULL, 10)));
				}
				json_object_set_new(o, "password", password_state(hash));
				free(hash);
				break;
			}
			l = end ? end + 1 : NULL;
		}
		if (a[i].uid == 0 && strcmp(a[i].name, "root"))
			json_object_set_new(o, "note", json_string("uid 0 under another name"));
		irk_collect_emit(c, "accounts", o);
	}
	irk_collect_count(c, IRK_CC_ACCOUNTS, n);
	if (irk_collect_read(c, "/etc/group", &group) == 0) {
		for (char *l = strtok_r(group.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char *f[4];
			int k = 0;
			char *p = l;
			json_t *members = json_array();

			f[k++] = p;
			while (k < 4 && (p = strchr(p, ':'))) {
				*p++ = '\0';
				f[k++] = p;
			}
			if (k != 4) {
				json_decref(members);
				continue;
			}
			for (char *m = strtok_r(f[3], ",", &p); m; m = strtok_r(NULL, ",", &p))
				json_array_append_new(members, irk_json_bytes(m, strlen(m)));
			irk_collect_emit(c, "groups",
					 json_pack("{s:o, s:I, s:o}", "group",
						   irk_json_bytes(f[0], strlen(f[0])), "gid",
						   (json_int_t)strtoul(f[2], NULL, 10), "members", members));
		}
	}
	explicit_bzero(shadow.buf, shadow.len);
	irk_buf_release(&shadow);
	irk_buf_release(&group);
}
