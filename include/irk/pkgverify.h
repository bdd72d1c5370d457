/*
 * pkgverify.h - checking installed files against the package manager's own
 * checksums (dpkg: <admindir>/info/<pkg>.md5sums, and the conffile hashes in
 * <admindir>/status), in the manner of debsums.
 *
 * Findings: a file is modified (checksum differs), missing, replaced (no
 * longer a regular file), or unreadable; conffiles are reported under their
 * own kinds, since they are meant to be edited; a package that has files but
 * ships no md5sums is named, so its files are known to be unchecked.
 * Diversions (<admindir>/diversions) are followed.
 */
#ifndef IRK_PKGVERIFY_H
#define IRK_PKGVERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "irk/buf.h"
#include "irk/error.h"

#define IRK_DPKG_STATUS_MAX (512u << 20) /* bytes of the status file */
#define IRK_DPKG_LIST_MAX (64u << 20)    /* bytes of one .md5sums, .list or diversions file */

enum irk_pkg_kind {
	IRK_PKG_MODIFIED,
	IRK_PKG_MISSING,
	IRK_PKG_REPLACED,
	IRK_PKG_UNREADABLE,
	IRK_PKG_CONF_MODIFIED,
	IRK_PKG_CONF_MISSING,
	IRK_PKG_NO_MD5SUMS,
};
extern const char *const irk_pkg_kind_names[];

struct irk_pkg_finding {
	enum irk_pkg_kind kind;
	const char *package;
	const char *path;     /* as installed (root prefix included); NULL for NO_MD5SUMS */
	char expected[33];    /* MD5 in hex, "" when not applicable */
	char actual[33];
	int errnum;
};

struct irk_pkg_stats {
	uint64_t packages, files, conffiles;
	uint64_t modified, missing, replaced, unreadable;
	uint64_t conffiles_modified, conffiles_missing, no_md5sums;
};

struct irk_pkg_opts {
	const char *admindir; /* default /var/lib/dpkg */
	const char *root;     /* where the files are; default / */
	char **only;          /* check only these packages (n_only of them), or all */
	size_t n_only;
};

typedef enum irk_code (*irk_pkg_fn)(const struct irk_pkg_finding *f, void *arg, struct irk_err *err);

enum irk_code irk_pkg_verify(const struct irk_pkg_opts *o, irk_pkg_fn fn, void *arg,
			     struct irk_pkg_stats *stats, struct irk_err *err);

/* ---- the parsers (fuzzed: tests/fuzz/fuzz-md5sums.c) ---- */

/* One md5sums line "<32 hex>  <path>": the digest and the path with a leading '/'. */
enum irk_code irk_md5sums_line(const char *line, size_t len, uint8_t md5[16], struct irk_buf *path,
			       struct irk_err *err);

/* One package stanza of the status file, as far as verification needs it. */
struct irk_dpkg_pkg {
	const char *name, *arch, *status; /* NUL-terminated; "" when absent */
	const char *conffiles;            /* the field's continuation lines, or "" */
	int multiarch_same;
};
typedef enum irk_code (*irk_dpkg_pkg_fn)(const struct irk_dpkg_pkg *p, void *arg, struct irk_err *err);
enum irk_code irk_dpkg_status_parse(const char *text, size_t len, irk_dpkg_pkg_fn fn, void *arg,
				    struct irk_err *err);

/* One conffile line " /etc/x <md5> [obsolete]": 1 with a hash, 0 for no usable hash. */
int irk_dpkg_conffile(const char *line, size_t len, struct irk_buf *path, uint8_t md5[16],
		      int *obsolete);

/* Log-book kind "packages.verify" (incident chain); see lib/host/integrity-kinds.c. */
struct irk_apply_ctx;
enum irk_code irk_apply_packages_verify(const struct irk_apply_ctx *ctx, struct irk_err *err);

#endif
