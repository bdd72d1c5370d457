/*
 * collect-persistence.c - the places an intruder uses to come back or to
 * gain rights: sudoers, crontabs and at jobs, systemd units and timers,
 * preload and start-up files, SSH authorized keys (each key parsed and
 * fingerprinted as ssh-keygen does) and every account's shell histories and
 * shell start-up files.  Files the administrator writes are copied; the
 * vendor's systemd units are listed with their hashes.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/collect.h"

struct place {
	const char *kind;
	int copy;
};

static void record(struct irk_collector *c, const char *path, const struct stat *st, void *arg)
{
	const struct place *pl = arg;
	char sha[IRK_SHA256_HEX];
	const char *dot = strrchr(path, '.');
	json_t *o;

	if (!S_ISREG(st->st_mode) && !S_ISLNK(st->st_mode))
		return;
	o = irk_collect_stat_json(c, path, st);
	json_object_set_new(o, "kind", json_string(pl->kind));
	if (!strcmp(pl->kind, "systemd") && dot)
		json_object_set_new(o, "unit_type", irk_json_bytes(dot + 1, strlen(dot + 1)));
	if (S_ISLNK(st->st_mode)) {
		char target[4096];
		ssize_t n = irk_collect_readlink(c, path, target, sizeof(target) - 1);

		if (n >= 0)
			json_object_set_new(o, "target", irk_json_bytes(target, (size_t)n));
	} else if (irk_collect_file(c, path, pl->copy, sha) == 0) {
		json_object_set_new(o, "sha256", json_string(sha));
		if (pl->copy) {
			struct irk_buf as = IRK_BUF_INIT;

			irk_buf_addf(&as, "files%s", path);
			json_object_set_new(o, "copied_as", irk_json_bytes(as.buf, as.len));
			irk_buf_release(&as);
		}
	}
	irk_collect_emit(c, "persistence", o);
	irk_collect_count(c, IRK_CC_PERSISTENCE, 1);
}

/* A file or a whole directory, whichever `path` is; silent when it does not exist. */
static void place(struct irk_collector *c, const char *path, const char *kind, int copy)
{
	struct place pl = { kind, copy };
	struct stat st;

	if (irk_collect_lstat(c, path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode))
		irk_collect_walk(c, path, record, &pl);
	else
		record(c, path, &st, &pl);
}

/* Split one authorized_keys line into options, type, key and comment (quotes respected). */
static void parse_key_line(struct irk_collector *c, const char *file, int lineno, char *line)
{
	char *tok[64];
	int n = 0, key = -1;
	char *p = line;
	uint8_t blob[16384], sum[IRK_SHA256_LEN];
	char fp[80];
	long len;
	struct irk_buf opts = IRK_BUF_INIT, comment = IRK_BUF_INIT;

	while (*p && n < 64) {
		int quoted = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		tok[n++] = p;
		while (*p && (quoted || (*p != ' ' && *p != '\t'))) {
			if (*p == '"')
				quoted = !quoted;
			else if (*p == '\\' && p[1])
				p++;
			p++;
		}
		if (*p)
			*p++ = '\0';
	}
	for (int i = 0; i + 1 < n && key < 0; i++)
		if (!strncmp(tok[i], "ssh-", 4) || !strncmp(tok[i], "ecdsa-", 6) ||
		    !strncmp(tok[i], "sk-", 3))
			key = i;
	if (key < 0) {
		irk_collect_log(c, "skip", file, "line %d is not a public key", lineno);
		return;
	}
	for (int i = 0; i < key; i++)
		irk_buf_addf(&opts, "%s%s", i ? " " : "", tok[i]);
	for (int i = key + 2; i < n; i++)
		irk_buf_addf(&comment, "%s%s", i > key + 2 ? " " : "", tok[i]);
	len = irk_unb64(tok[key + 1], strlen(tok[key + 1]), blob, sizeof(blob));
	fp[0] = '\0';
	if (len > 0) {
		char b64[64];

		irk_sha256(blob, (size_t)len, sum);
		irk_b64(sum, sizeof(sum), b64);
		b64[strcspn(b64, "=")] = '\0';
		snprintf(fp, sizeof(fp), "SHA256:%s", b64);
	}
	irk_collect_emit(c, "authorized-keys",
			 json_pack("{s:o, s:i, s:o, s:o, s:o, s:o}", "file",
				   irk_json_bytes(file, strlen(file)), "line", lineno, "type",
				   irk_json_bytes(tok[key], strlen(tok[key])), "options",
				   irk_json_bytes(opts.buf, opts.len), "comment",
				   irk_json_bytes(comment.buf, comment.len), "fingerprint",
				   fp[0] ? json_string(fp) : json_null()));
	irk_buf_release(&opts);
	irk_buf_release(&comment);
}

static void authorized_keys(struct irk_collector *c, const char *path)
{
	struct irk_buf b = IRK_BUF_INIT;
	struct stat st;
	char *save = NULL;
	int lineno = 0;

	if (irk_collect_lstat(c, path, &st) != 0)
		return;
	place(c, path, "ssh-authorized-keys", 1);
	if (!S_ISREG(st.st_mode) || irk_collect_read(c, path, &b) != 0) {
		irk_buf_release(&b);
		return;
	}
	for (char *p = b.buf, *l; (l = strsep(&p, "\n"));) {
		lineno++;
		while (*l == ' ' || *l == '\t')
			l++;
		if (*l && *l != '#')
			parse_key_line(c, path, lineno, l);
	}
	(void)save;
	irk_buf_release(&b);
}

void irk_collect_persistence(struct irk_collector *c)
{
	static const struct { const char *path, *kind; int copy; } system[] = {
		{ "/etc/sudoers", "sudoers", 1 },
		{ "/etc/sudoers.d", "sudoers", 1 },
		{ "/etc/crontab", "cron", 1 },
		{ "/etc/anacrontab", "cron", 1 },
		{ "/etc/cron.d", "cron", 1 },
		{ "/etc/cron.hourly", "cron", 1 },
		{ "/etc/cron.daily", "cron", 1 },
		{ "/etc/cron.weekly", "cron", 1 },
		{ "/etc/cron.monthly", "cron", 1 },
		{ "/var/spool/cron", "cron", 1 },
		{ "/var/spool/at", "cron", 1 },
		{ "/etc/systemd/system", "systemd", 1 },
		{ "/etc/systemd/user", "systemd", 1 },
		{ "/run/systemd/system", "systemd", 1 },
		{ "/usr/local/lib/systemd/system", "systemd", 1 },
		{ "/usr/lib/systemd/system", "systemd", 0 },
		{ "/lib/systemd/system", "systemd", 0 },
		{ "/usr/lib/systemd/user", "systemd", 0 },
		{ "/etc/ld.so.preload", "preload", 1 },
		{ "/etc/ld.so.conf", "preload", 1 },
		{ "/etc/ld.so.conf.d", "preload", 1 },
		{ "/etc/rc.local", "startup", 1 },
		{ "/etc/init.d", "startup", 0 },
		{ "/etc/profile", "startup", 1 },
		{ "/etc/profile.d", "startup", 1 },
		{ "/etc/bash.bashrc", "startup", 1 },
		{ "/etc/environment", "startup", 1 },
		{ "/etc/xdg/autostart", "startup", 1 },
		{ "/etc/ssh/sshd_config", "ssh", 1 },
		{ "/etc/ssh/sshd_config.d", "ssh", 1 },
		{ "/etc/pam.d", "pam", 1 },
		{ "/etc/hosts", "network-config", 1 },
		{ "/etc/resolv.conf", "network-config", 1 },
	};
	static const char *const home_files[] = {
		".bash_history", ".zsh_history", ".sh_history", ".ash_history", ".history",
		".python_history", ".mysql_history", ".psql_history", ".sqlite_history",
		".lesshst", ".viminfo", ".wget-hsts",
	};
	static const char *const home_startup[] = {
		".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc",
		".zprofile", ".zshenv", ".config/autostart", ".config/systemd/user",
	};
	const char *const *homes = irk_collect_homes(c);
	struct irk_buf path = IRK_BUF_INIT;

	for (size_t i = 0; i < sizeof(system) / sizeof(system[0]); i++)
		place(c, system[i].path, system[i].kind, system[i].copy);
	for (const char *const *h = homes; *h; h++) {
		for (size_t i = 0; i < sizeof(home_files) / sizeof(home_files[0]); i++) {
			irk_buf_reset(&path);
			irk_buf_addf(&path, "%s/%s", *h, home_files[i]);
			place(c, path.buf, "shell-history", 1);
		}
		for (size_t i = 0; i < sizeof(home_startup) / sizeof(home_startup[0]); i++) {
			irk_buf_reset(&path);
			irk_buf_addf(&path, "%s/%s", *h, home_startup[i]);
			place(c, path.buf, "startup", 1);
		}
		irk_buf_reset(&path);
		irk_buf_addf(&path, "%s/.ssh/authorized_keys", *h);
		authorized_keys(c, path.buf);
		irk_buf_addch(&path, '2');
		authorized_keys(c, path.buf);
	}
	irk_buf_release(&path);
}
