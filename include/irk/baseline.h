/*
 * baseline.h - signed file baselines: the record of a tree's files, the
 * streaming walk that produces it, and the comparison that checks a tree
 * against it.
 *
 * File format (text, one record per line; docs/INTEGRITY.md has the details):
 *
 *     irk-baseline 1
 *     created 2026-11-21T22:10:00Z
 *     host <name>
 *     policy <one line of the canonical policy>          (repeated)
 *     records
 *     <path> TAB <type> TAB <mode> TAB <uid> TAB <gid> TAB <size> TAB <mtime>
 *            TAB <ctime> TAB <inode> TAB <nlink> TAB <sha256> TAB <target>
 *     ...
 *     end <record count> <SHA-256 of the record lines>
 *     signature <key id> <base64 public key> <base64 Ed25519 signature>
 *
 * Paths and targets are percent-encoded (bytes below 0x21, 0x7f and '%').
 * Records are sorted in walk order (irk_path_cmp: byte order with '/' lowest),
 * so a check merges two sorted streams and never holds the baseline in memory.
 * The signature covers SHA-256 of every byte before the signature line.
 *
 * Invariants: a reader yields records only after the whole file has been
 * checked (format, order, count, digest, signature and signer), and a second
 * read that differs from the first is refused.
 */
#ifndef IRK_BASELINE_H
#define IRK_BASELINE_H

#include <stdint.h>
#include <stdio.h>

#include "irk/buf.h"
#include "irk/error.h"
#include "irk/hash.h"
#include "irk/key.h"
#include "irk/policy.h"

#define IRK_BASELINE_MAGIC "irk-baseline 1"
#define IRK_BASELINE_LINE_MAX (48 * 1024) /* bytes of one line, newline included */

enum irk_hash_state {
	IRK_HASH_NONE = 0,   /* not a regular file */
	IRK_HASH_OK,         /* sha256 holds the content's digest */
	IRK_HASH_UNREADABLE, /* could not be opened or read (errnum says why) */
	IRK_HASH_CHANGING,   /* the file changed while it was being hashed */
};

/* One file system object. */
struct irk_fentry {
	char *path;   /* absolute, owned */
	char type;    /* f d l c b p s */
	unsigned mode; /* permission bits with set-id and sticky (07777) */
	unsigned uid, gid;
	uint64_t size, inode, nlink;
	int64_t mtime_s, ctime_s;
	long mtime_ns, ctime_ns;
	char *target; /* symlink target, owned, or NULL */
	enum irk_hash_state hash;
	uint8_t sha256[IRK_SHA256_LEN];
	int errnum;   /* why it is unreadable (also for a directory that could not be listed) */
	int unlisted; /* a directory whose content could not be read */
	/* Walk-internal. */
	uint64_t dev;
	int state;
};

void irk_fentry_free(struct irk_fentry *e);

/* Walk order: bytewise, with '/' before every other byte. */
int irk_path_cmp(const char *a, const char *b);

/* Append the record line of `e` (with newline) to `out`. */
void irk_fentry_format(const struct irk_fentry *e, struct irk_buf *out);
/* Parse one record line (without newline); fills `e` (free with irk_fentry_free). Fuzzed. */
enum irk_code irk_fentry_parse(const char *line, size_t len, struct irk_fentry *e,
			       struct irk_err *err);

/* Percent-encoding used for paths and targets. */
void irk_pct_encode(const char *s, struct irk_buf *out);
enum irk_code irk_pct_decode(const char *s, size_t len, struct irk_buf *out, struct irk_err *err);

/* ---- the walk ---- */

struct irk_walk_opts {
	int threads; /* hashing threads; 0 = one per online CPU */
	/* Called from the consuming thread every few thousand files. */
	void (*progress)(uint64_t files, uint64_t bytes, const char *path, void *arg);
	void *progress_arg;
};

typedef enum irk_code (*irk_fentry_fn)(struct irk_fentry *e, void *arg, struct irk_err *err);

/*
 * Walk the policy's roots in walk order, hashing regular files on a pool of
 * threads while the walk goes on, and call `fn` (in the calling thread) for
 * each entry in order.  Never follows symlinks; stays on each root's file
 * system and out of /proc, /sys, /dev unless the policy says otherwise.
 * Unreadable files and directories are delivered with their flags set.
 */
enum irk_code irk_walk(const struct irk_policy *p, const struct irk_walk_opts *o,
		       irk_fentry_fn fn, void *arg, struct irk_err *err);

/* ---- writing ---- */

struct irk_baseline_writer;

/* Start a baseline at `path` (written to a temporary file, renamed on finish). */
enum irk_code irk_baseline_begin(const char *path, const struct irk_policy *p, const char *host,
				 int64_t created_ms, struct irk_baseline_writer **out,
				 struct irk_err *err);
enum irk_code irk_baseline_add(struct irk_baseline_writer *w, const struct irk_fentry *e,
			       struct irk_err *err);
/* Write the trailer and the signature, and put the file in place. */
enum irk_code irk_baseline_finish(struct irk_baseline_writer *w, const struct irk_identity *id,
				  uint64_t *count, struct irk_err *err);
/* Drop an unfinished baseline (removes the temporary file). */
void irk_baseline_abort(struct irk_baseline_writer *w);

/* ---- reading ---- */

struct irk_baseline_info {
	char created[32];
	char host[256];
	char signer[IRK_KEYID_HEX];
	uint8_t signer_pk[IRK_PK_LEN];
	uint64_t count;
	char digest[IRK_SHA256_HEX]; /* SHA-256 of everything before the signature line */
	struct irk_buf policy;       /* the canonical policy text */
};

struct irk_baseline_reader;

/*
 * Open and check a baseline: format, order, trailer, signature.  The signer
 * must be one of `trusted` (n keys); with n == 0 the signature is checked but
 * any signer is accepted (the fuzz target uses that).  Fills `info`.
 */
enum irk_code irk_baseline_open(const char *path, const uint8_t (*trusted)[IRK_PK_LEN], size_t n,
				struct irk_baseline_reader **out, struct irk_baseline_info *info,
				struct irk_err *err);
/* The same on an open file descriptor (taken over: closed by irk_baseline_close). */
enum irk_code irk_baseline_open_fd(int fd, const char *name, const uint8_t (*trusted)[IRK_PK_LEN],
				   size_t n, struct irk_baseline_reader **out,
				   struct irk_baseline_info *info, struct irk_err *err);
/* Next record into `e` (owned by the reader until the next call); IRK_ENOTFOUND at the end. */
enum irk_code irk_baseline_next(struct irk_baseline_reader *r, const struct irk_fentry **e,
				struct irk_err *err);
void irk_baseline_close(struct irk_baseline_reader *r);
void irk_baseline_info_release(struct irk_baseline_info *info);

/* ---- checking ---- */

enum irk_change_kind { IRK_CHANGE_ADDED, IRK_CHANGE_REMOVED, IRK_CHANGE_CHANGED, IRK_CHANGE_SKIPPED };

/* What a change means (see docs/INTEGRITY.md "What is flagged"). */
enum irk_flag {
	IRK_FLAG_SHRANK = 1u << 0,     /* a "grow" file got smaller */
	IRK_FLAG_SETID = 1u << 1,      /* a new set-user-id or set-group-id file, or one that became so */
	IRK_FLAG_SYSTEM = 1u << 2,     /* content of a file under a "system" path changed or appeared */
	IRK_FLAG_OWNER = 1u << 3,      /* uid or gid changed */
	IRK_FLAG_MODE = 1u << 4,       /* permissions changed */
	IRK_FLAG_ODDNAME = 1u << 5,    /* a new hidden or strangely named file */
	IRK_FLAG_CHANGING = 1u << 6,   /* the file changed while it was being hashed */
	IRK_FLAG_UNREADABLE = 1u << 7, /* could not be read now: content not compared */
};
#define IRK_FLAG_COUNT 8
extern const char *const irk_flag_names[IRK_FLAG_COUNT];

struct irk_change {
	enum irk_change_kind kind;
	const struct irk_fentry *old; /* NULL when added */
	const struct irk_fentry *cur; /* NULL when removed */
	unsigned attrs;               /* IRK_ATTR_* that differ (changed) */
	unsigned flags;               /* IRK_FLAG_* */
};

typedef enum irk_code (*irk_change_fn)(const struct irk_change *c, void *arg, struct irk_err *err);

struct irk_check_stats {
	uint64_t files, added, removed, changed, skipped, flagged;
	unsigned flags; /* union of all flags */
};

/* Walk the tree the baseline's policy names and report each difference once. */
enum irk_code irk_baseline_check(struct irk_baseline_reader *r, const struct irk_policy *p,
				 const struct irk_walk_opts *o, irk_change_fn fn, void *arg,
				 struct irk_check_stats *stats, struct irk_err *err);

/* The attribute `bit` of `e` as text ("0644", "1000", a hex digest). */
void irk_attr_value(const struct irk_fentry *e, unsigned bit, struct irk_buf *out);

/* A change as a JSON object (one line of the report). */
#include <jansson.h>
json_t *irk_change_json(const struct irk_change *c);

/*
 * Log-book kind "baseline.check" (incident chain): the summary of a check and
 * the SHA-256 of its report.  data: {"baseline": hex, "report_sha256": hex,
 * "added": n, "removed": n, "changed": n, "skipped": n, "flagged": n,
 * "flags": [names]}.
 */
struct irk_apply_ctx;
enum irk_code irk_apply_baseline_check(const struct irk_apply_ctx *ctx, struct irk_err *err);

/* True for names a person would not expect: hidden, control bytes, blanks, not UTF-8. */
int irk_name_is_odd(const char *name);

#endif
