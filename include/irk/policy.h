/*
 * policy.h - what a file baseline covers and how changes are judged.
 *
 * A policy is a small text file, one directive per line ('#' starts a
 * comment; docs/INTEGRITY.md is the reference):
 *
 *     root PATH            a tree to walk (glob allowed: /lib*); repeatable
 *     exclude PATTERN      leave out a path and everything below it
 *     grow PATTERN         a log: may only grow; growth is expected, shrinking is flagged
 *     system PATTERN       changed or new files here are flagged as system binaries
 *     ignore PATTERN ATTRS changes of these attributes (comma list) are not reported
 *     cross-mounts         descend into other file systems (default: stay on the root's)
 *     special              enter /proc, /sys and /dev (default: never)
 *
 * A PATTERN is an absolute path, optionally with fnmatch(3) wildcards ('*'
 * also matches '/'); it matches the path itself and everything below it.
 *
 * Invariants: a parsed policy has at least one root; every path and pattern
 * is absolute, at most IRK_POLICY_PATH_MAX bytes, free of control characters;
 * irk_policy_format() writes the canonical text, which parses back to the
 * same policy (the baseline file stores it, so a check uses the same rules).
 */
#ifndef IRK_POLICY_H
#define IRK_POLICY_H

#include <stddef.h>

#include "irk/buf.h"
#include "irk/error.h"

#define IRK_POLICY_MAX (64 * 1024)   /* bytes of policy text */
#define IRK_POLICY_RULES_MAX 1024    /* directives */
#define IRK_POLICY_PATH_MAX 1024     /* bytes of one path or pattern */

/* File attributes a baseline records, as bits (ignore masks, change sets). */
enum irk_attr {
	IRK_ATTR_TYPE = 1u << 0,
	IRK_ATTR_MODE = 1u << 1,
	IRK_ATTR_UID = 1u << 2,
	IRK_ATTR_GID = 1u << 3,
	IRK_ATTR_SIZE = 1u << 4,
	IRK_ATTR_MTIME = 1u << 5,
	IRK_ATTR_CTIME = 1u << 6,
	IRK_ATTR_INODE = 1u << 7,
	IRK_ATTR_NLINK = 1u << 8,
	IRK_ATTR_TARGET = 1u << 9,
	IRK_ATTR_SHA256 = 1u << 10,
};
#define IRK_ATTR_COUNT 11
/* The attribute's name ("mtime") for bit number i (0..IRK_ATTR_COUNT-1). */
extern const char *const irk_attr_names[IRK_ATTR_COUNT];

enum irk_rule_type { IRK_RULE_EXCLUDE, IRK_RULE_GROW, IRK_RULE_SYSTEM, IRK_RULE_IGNORE };

struct irk_policy_rule {
	enum irk_rule_type type;
	char *pattern;
	char *below;      /* the pattern with "/" and "*" appended: what lies under it */
	unsigned attrs;   /* IRK_RULE_IGNORE: the attributes not reported */
};

struct irk_policy {
	char **roots;
	size_t nroots;
	struct irk_policy_rule *rules;
	size_t nrules;
	int cross_mounts;
	int special;
};

/* The bundled policy for a Linux host (text). */
extern const char irk_policy_default_text[];

/* Parse `len` bytes of policy text; `what` names it in messages ("policy.txt"). */
enum irk_code irk_policy_parse(const char *text, size_t len, const char *what,
			       struct irk_policy *p, struct irk_err *err);
/* Replace the roots by `paths` (made absolute against the working directory). */
enum irk_code irk_policy_set_roots(struct irk_policy *p, char **paths, size_t n,
				   struct irk_err *err);
void irk_policy_format(const struct irk_policy *p, struct irk_buf *out);
void irk_policy_release(struct irk_policy *p);

/* Does a rule of this type match `path`?  Returns the last matching rule or NULL. */
const struct irk_policy_rule *irk_policy_match(const struct irk_policy *p, enum irk_rule_type t,
					       const char *path);
/* The union of the ignore masks of all ignore rules matching `path`. */
unsigned irk_policy_ignored(const struct irk_policy *p, const char *path);

/* Parse "mode,uid,sha256" into a mask; -1 naming the bad word in err. */
enum irk_code irk_attr_parse_list(const char *s, unsigned *mask, struct irk_err *err);

#endif
