/*
 * commsconf.h - the casebook settings that communication checks depend on.
 *
 * They live in the casebook's `.irk/config` (one "key: value" a line, '#'
 * starts a comment); list keys may be repeated or hold a comma-separated
 * list.  `irk msg config` shows them; docs/COMMS.md describes each:
 *
 *   comms.org-domain:    example.org          the organisation's own domains
 *   comms.internal-host: *.corp.example.org   host name globs that are internal
 *   comms.internal-net:  10.0.0.0/8           address ranges that are internal
 *   comms.local-user:    alice                user names that never leave the house
 *   comms.log-timezone:  +01:00               offset of the hosts' log lines
 *   comms.org-name:      Example Ltd          used by the templates
 *   comms.contact:       security@example.org used by the templates
 *
 * When no comms.internal-net is given, the private and loopback ranges
 * (RFC 1918, RFC 4193, 127/8, ::1) are internal.
 */
#ifndef IRK_COMMSCONF_H
#define IRK_COMMSCONF_H

#include <stddef.h>

#include "irk/casebook.h"
#include "irk/error.h"

struct irk_strlist {
	char **v;
	size_t n;
};

struct irk_comms_config {
	struct irk_strlist org_domains, internal_hosts, internal_nets, local_users;
	char *log_timezone; /* NULL when not set */
	char *org_name;
	char *contact;
};

/* Largest config file read, in bytes. */
#define IRK_COMMS_CONFIG_MAX (256 * 1024)

void irk_strlist_add(struct irk_strlist *l, const char *s, size_t len);
void irk_strlist_release(struct irk_strlist *l);

/* Parse config text (the format above; other keys are ignored). */
enum irk_code irk_comms_config_parse(const char *text, size_t len, struct irk_comms_config *c,
				     struct irk_err *err);
/* Load `<casebook>/config`; a missing file is an empty configuration. */
enum irk_code irk_comms_config_load(struct irk_casebook *cb, struct irk_comms_config *c,
				    struct irk_err *err);
void irk_comms_config_release(struct irk_comms_config *c);

/* Does `host` (case-insensitive) match one of the internal host globs? */
int irk_comms_host_internal(const struct irk_comms_config *c, const char *host, size_t len);
/* Is `host` one of the organisation's domains or a name under one? */
int irk_comms_host_own(const struct irk_comms_config *c, const char *host, size_t len);

/*
 * Address ranges: parse "10.0.0.0/8", "2001:db8::/32" or a bare address
 * (a /32 or /128).  irk_net_contains() tests an address given as text.
 */
struct irk_net {
	int family; /* 4 or 6 */
	unsigned char addr[16];
	int bits;
};
enum irk_code irk_net_parse(const char *s, struct irk_net *n, struct irk_err *err);
int irk_net_contains(const struct irk_net *n, const char *addr, size_t len);
/* Is the address text in one of the internal ranges? */
int irk_comms_addr_internal(const struct irk_comms_config *c, const char *addr, size_t len);

#endif
