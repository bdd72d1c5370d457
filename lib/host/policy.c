/* policy.c - parsing, formatting and matching baseline policies; see irk/policy.h. */
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irk/policy.h"

const char *const irk_attr_names[IRK_ATTR_COUNT] = {
	"type", "mode", "uid", "gid", "size", "mtime", "ctime", "inode", "nlink", "target", "sha256",
};

const char irk_policy_default_text[] =
	"# irk baseline policy for a Linux host (edit a copy: irk baseline policy > my.policy)\n"
	"root /bin\n"
	"root /sbin\n"
	"root /usr\n"
	"root /lib*\n"
	"root /etc\n"
	"root /boot\n"
	"root /root\n"
	"# volatile: rewritten in normal operation\n"
	"exclude /etc/mtab\n"
	"exclude /etc/adjtime\n"
	"exclude /etc/ld.so.cache\n"
	"exclude /usr/lib/*/__pycache__\n"
	"exclude /usr/share/*/__pycache__\n"
	"exclude /root/.cache\n"
	"exclude /root/.bash_history\n"
	"exclude /root/.lesshst\n"
	"exclude /root/.viminfo\n"
	"# logs kept under the covered trees may only grow\n"
	"grow /root/*.log\n"
	"grow /var/log\n"
	"# binaries and libraries: any change is flagged\n"
	"system /bin\n"
	"system /sbin\n"
	"system /usr/bin\n"
	"system /usr/sbin\n"
	"system /usr/libexec\n"
	"system /lib*\n"
	"system /usr/lib*\n"
	"system /boot\n";

static const char *const rule_words[] = { "exclude", "grow", "system", "ignore" };

void irk_policy_release(struct irk_policy *p)
{
	for (size_t i = 0; i < p->nroots; i++)
		free(p->roots[i]);
	for (size_t i = 0; i < p->nrules; i++) {
		free(p->rules[i].pattern);
		free(p->rules[i].below);
	}
	free(p->roots);
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

enum irk_code irk_attr_parse_list(const char *s, unsigned *mask, struct irk_err *err)
{
	*mask = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		int found = 0;

		for (int i = 0; i < IRK_ATTR_COUNT; i++)
			if (strlen(irk_attr_names[i]) == n && !strncmp(s, irk_attr_names[i], n)) {
				*mask |= 1u << i;
				found = 1;
			}
		if (!found) {
			irk_fail(err, IRK_EINVAL, "unknown attribute '%.*s'", (int)(n > 40 ? 40 : n), s);
			irk_hint(err, "attributes: type, mode, uid, gid, size, mtime, ctime, inode, "
				      "nlink, target, sha256");
			return IRK_EINVAL;
		}
		s += n;
		if (*s == ',')
			s++;
	}
	if (!*mask)
		return irk_fail(err, IRK_EINVAL, "no attributes named");
	return IRK_OK;
}

/* An absolute path without control characters, "//", or a trailing slash (except "/"). */
static enum irk_code check_path(const char *s, struct irk_err *err)
{
	size_t n = strlen(s);

	if (s[0] != '/')
		return irk_fail(err, IRK_EINVAL, "'%.60s' is not an absolute path", s);
	if (n > IRK_POLICY_PATH_MAX)
		return irk_fail(err, IRK_EINVAL, "a path is longer than %d bytes", IRK_POLICY_PATH_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return irk_fail(err, IRK_EINVAL, "a path holds a control character");
	if (strstr(s, "//") || (n > 1 && s[n - 1] == '/'))
		return irk_fail(err, IRK_EINVAL, "'%.60s': write paths without '//' or a final '/'", s);
	return IRK_OK;
}

static void add_root(struct irk_policy *p, const char *path)
{
	p->roots = irk_realloc(p->roots, (p->nroots + 1) * sizeof(*p->roots));
	p->roots[p->nroots++] = irk_strdup(path);
}

static void add_rule(struct irk_policy *p, enum irk_rule_type t, const char *pat, unsigned attrs)
{
	struct irk_policy_rule *r;
	struct irk_buf below = IRK_BUF_INIT;

	p->rules = irk_realloc(p->rules, (p->nrules + 1) * sizeof(*p->rules));
	r = &p->rules[p->nrules++];
	r->type = t;
	r->pattern = irk_strdup(pat);
	irk_buf_addf(&below, "%s/*", strcmp(pat, "/") ? pat : "");
	r->below = irk_buf_detach(&below, NULL);
	r->attrs = attrs;
}

/* Split one line into at most 3 words separated by blanks; returns the count or -1 if more. */
static int split_words(char *line, char *w[3])
{
	int n = 0;
	char *s = line;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == 3)
			return -1;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static enum irk_code parse_line(struct irk_policy *p, char *line, struct irk_err *err)
{
	char *w[3] = { NULL, NULL, NULL };
	int n = split_words(line, w);
	unsigned attrs = 0;
	int t;

	if (n == 0)
		return IRK_OK;
	if (n < 0)
		return irk_fail(err, IRK_EINVAL, "too many words");
	if (!strcmp(w[0], "cross-mounts") || !strcmp(w[0], "special")) {
		if (n != 1)
			return irk_fail(err, IRK_EINVAL, "'%s' takes no argument", w[0]);
		*(!strcmp(w[0], "special") ? &p->special : &p->cross_mounts) = 1;
		return IRK_OK;
	}
	if (!strcmp(w[0], "root")) {
		if (n != 2)
			return irk_fail(err, IRK_EINVAL, "'root' takes one path");
		if (check_path(w[1], err))
			return IRK_EINVAL;
		add_root(p, w[1]);
		return IRK_OK;
	}
	for (t = 0; t < 4; t++)
		if (!strcmp(w[0], rule_words[t]))
			break;
	if (t == 4) {
		irk_fail(err, IRK_EINVAL, "unknown directive '%.40s'", w[0]);
		irk_hint(err, "directives: root, exclude, grow, system, ignore, cross-mounts, special");
		return IRK_EINVAL;
	}
	if (n != (t == IRK_RULE_IGNORE ? 3 : 2))
		return irk_fail(err, IRK_EINVAL, t == IRK_RULE_IGNORE ? "'ignore' takes a pattern and attributes"
								     : "'%s' takes one pattern", w[0]);
	if (check_path(w[1], err) || (t == IRK_RULE_IGNORE && irk_attr_parse_list(w[2], &attrs, err)))
		return IRK_EINVAL;
	if (p->nrules >= IRK_POLICY_RULES_MAX)
		return irk_fail(err, IRK_EINVAL, "more than %d rules", IRK_POLICY_RULES_MAX);
	add_rule(p, (enum irk_rule_type)t, w[1], attrs);
	return IRK_OK;
}

enum irk_code irk_policy_parse(const char *text, size_t len, const char *what,
			       struct irk_policy *p, struct irk_err *err)
{
	size_t lineno = 0, off = 0;

	memset(p, 0, sizeof(*p));
	if (len > IRK_POLICY_MAX)
		return irk_fail(err, IRK_EINVAL, "%s is larger than %d bytes", what, IRK_POLICY_MAX);
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - text - off) : len - off;
		char *line = irk_strndup(text + off, n);
		char *hash = strchr(line, '#');
		enum irk_code rc;

		lineno++;
		off += n + 1;
		if (strlen(line) != n) {
			free(line);
			irk_policy_release(p);
			return irk_fail(err, IRK_EINVAL, "%s:%zu: a NUL byte in the text", what, lineno);
		}
		if (hash)
			*hash = '\0';
		rc = parse_line(p, line, err);
		free(line);
		if (rc) {
			irk_err_prefix(err, "%s:%zu", what, lineno);
			irk_policy_release(p);
			return rc;
		}
	}
	if (!p->nroots) {
		irk_policy_release(p);
		irk_fail(err, IRK_EINVAL, "%s names no root to walk", what);
		irk_hint(err, "add a line 'root /path'");
		return IRK_EINVAL;
	}
	return IRK_OK;
}

enum irk_code irk_policy_set_roots(struct irk_policy *p, char **paths, size_t n, struct irk_err *err)
{
	char cwd[PATH_MAX];
	struct irk_buf abs = IRK_BUF_INIT;

	if (!getcwd(cwd, sizeof(cwd)))
		return irk_fail(err, IRK_EIO, "cannot find the working directory");
	for (size_t i = 0; i < p->nroots; i++)
		free(p->roots[i]);
	p->nroots = 0;
	for (size_t i = 0; i < n; i++) {
		irk_buf_reset(&abs);
		if (paths[i][0] != '/')
			irk_buf_addf(&abs, "%s/", strcmp(cwd, "/") ? cwd : "");
		irk_buf_adds(&abs, paths[i]);
		/* Tidy: drop "//", "/./" and a final slash. */
		for (char *s; (s = strstr(abs.buf, "//")) || (s = strstr(abs.buf, "/./"));)
			memmove(s, s + (s[1] == '/' ? 1 : 2), strlen(s + (s[1] == '/' ? 1 : 2)) + 1);
		abs.len = strlen(abs.buf);
		if (abs.len > 2 && !strcmp(abs.buf + abs.len - 2, "/."))
			irk_buf_setlen(&abs, abs.len - 2);
		while (abs.len > 1 && abs.buf[abs.len - 1] == '/')
			irk_buf_setlen(&abs, abs.len - 1);
		if (check_path(abs.buf, err)) {
			irk_buf_release(&abs);
			return IRK_EINVAL;
		}
		add_root(p, abs.buf);
	}
	irk_buf_release(&abs);
	return IRK_OK;
}

void irk_policy_format(const struct irk_policy *p, struct irk_buf *out)
{
	for (size_t i = 0; i < p->nroots; i++)
		irk_buf_addf(out, "root %s\n", p->roots[i]);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct irk_policy_rule *r = &p->rules[i];

		irk_buf_addf(out, "%s %s", rule_words[r->type], r->pattern);
		if (r->type == IRK_RULE_IGNORE) {
			const char *sep = " ";
			for (int b = 0; b < IRK_ATTR_COUNT; b++)
				if (r->attrs & (1u << b)) {
					irk_buf_addf(out, "%s%s", sep, irk_attr_names[b]);
					sep = ",";
				}
		}
		irk_buf_addch(out, '\n');
	}
	if (p->cross_mounts)
		irk_buf_adds(out, "cross-mounts\n");
	if (p->special)
		irk_buf_adds(out, "special\n");
}

static int rule_matches(const struct irk_policy_rule *r, const char *path)
{
	return !fnmatch(r->pattern, path, 0) || !fnmatch(r->below, path, 0);
}

const struct irk_policy_rule *irk_policy_match(const struct irk_policy *p, enum irk_rule_type t,
					       const char *path)
{
	const struct irk_policy_rule *found = NULL;

	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].type == t && rule_matches(&p->rules[i], path))
			found = &p->rules[i];
	return found;
}

unsigned irk_policy_ignored(const struct irk_policy *p, const char *path)
{
	unsigned mask = 0;

	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].type == IRK_RULE_IGNORE && rule_matches(&p->rules[i], path))
			mask |= p->rules[i].attrs;
	return mask;
}
