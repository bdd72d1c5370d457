/*
 * collect.h - live collection: a snapshot of the local Linux host, taken in
 * order of volatility (RFC 3227) without running any program of the host.
 *
 * Everything is read from /proc, /sys and files directly; nothing is
 * executed.  The result is a directory (or a tar.zst archive) holding
 *
 *   collection.json        who collected what, where, when, with which counts
 *   <area>.jsonl           structured results, one JSON object per line
 *   files/<original path>  copied files, byte for byte as read
 *   collect.log.jsonl      every read, skip and race, with the reason
 *   MANIFEST               "<sha256>  <name>" for every file above
 *                          (the format of sha256sum, so `sha256sum -c` works)
 *   MANIFEST.sig           Ed25519 signature over MANIFEST, when signed
 *
 * Areas, most volatile first: clock, network, processes, sessions, kernel
 * (modules, mounts), logins, accounts, persistence, tempdirs, suid,
 * packages, logs.  docs/COLLECT.md says what each holds and why.
 *
 * With opts->root, the files are read from a tree mounted there (an image
 * of a suspect disk, a container's root) rather than from "/": every path
 * is resolved inside it as if it were "/", symbolic links included, and is
 * recorded and copied under its name on the collected system
 * ("/etc/passwd", files/etc/passwd).  /proc and /sys always belong to the
 * running kernel, so the live areas (clock, network, processes, sessions,
 * kernel) describe this host, not the tree: with a root they run only when
 * named in opts->areas.
 *
 * Invariants:
 *  - A file that cannot be read (permissions, a process that exited, a file
 *    that vanished) is logged and skipped; it never ends the collection.
 *    Only failing to write the output is fatal.
 *  - Reads of host files are size-capped (IRK_COLLECT_SMALL_MAX for files
 *    parsed in memory, opts->copy_max for copied files).
 *  - The parsers below take untrusted bytes and are fuzzed.
 */
#ifndef IRK_COLLECT_H
#define IRK_COLLECT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "irk/buf.h"
#include "irk/casebook.h"
#include "irk/error.h"
#include "irk/hash.h"
#include "irk/key.h"
#include "irk/kind.h"

#define IRK_COLLECT_SMALL_MAX (16u << 20)     /* a /proc or /etc file parsed in memory */
#define IRK_COLLECT_COPY_MAX (1024ull << 20)  /* default cap for one copied file */
#define IRK_COLLECT_COPY_TOTAL (4096ull << 20) /* default cap for all copied files */
#define IRK_COLLECT_WALK_MAX 200000           /* entries listed per walked tree */
#define IRK_COLLECT_FDS_MAX 4096              /* open files listed per process */

enum irk_collect_count {
	IRK_CC_PROCESSES,
	IRK_CC_SOCKETS,
	IRK_CC_SESSIONS,
	IRK_CC_LOGINS,
	IRK_CC_ACCOUNTS,
	IRK_CC_PERSISTENCE,
	IRK_CC_TEMPFILES,
	IRK_CC_SUID,
	IRK_CC_PACKAGES,
	IRK_CC_COPIED,
	IRK_CC_SKIPPED,
	IRK_CC_N
};
extern const char *const irk_collect_count_names[IRK_CC_N];

struct irk_collect_opts {
	const char *out;          /* a new directory, or FILE.tar.zst */
	int force_inside;         /* allow `out` inside a collected tree (it is then skipped) */
	uint64_t copy_max;        /* largest file copied; 0 = IRK_COLLECT_COPY_MAX */
	/* All copies together; 0 = IRK_COLLECT_COPY_TOTAL.  Past it, files are
	   hashed only: a snapshot must not fill the disk it is written to. */
	uint64_t copy_total;
	const struct irk_identity *signer; /* NULL: the manifest is left unsigned */
	/* The tree to collect files from; NULL or "/" = this host's own. */
	const char *root;
	/* Comma-separated area names, or "all"; NULL = every area, or every
	   area that reads files when `root` is set.  Checked by irk_collect_run. */
	const char *areas;
	/* Called at the start of each area (for a progress line); may be NULL. */
	void (*progress)(const char *area, int index, int total, void *arg);
	void *progress_arg;
};

struct irk_collect_result {
	char host[256];
	int64_t started_ms, finished_ms;
	char manifest_sha256[IRK_SHA256_HEX]; /* SHA-256 of the MANIFEST bytes */
	int signed_by_key;                    /* 1 when MANIFEST.sig was written */
	char keyid[IRK_KEYID_HEX];
	uint64_t bytes;                       /* bytes written into the collection */
	uint64_t counts[IRK_CC_N];
	char out[4096];                       /* absolute path of the result */
	char root[4096];                      /* the tree collected from; "" = this host */
};

/* Take the snapshot.  Fails only for bad options or when the output cannot be written. */
enum irk_code irk_collect_run(const struct irk_collect_opts *opts, struct irk_collect_result *res,
			      struct irk_err *err);

/*
 * Record a finished collection in an incident's log book (entry kind
 * "collection": manifest hash, host, times, counts, where it was written).
 * `extra` (borrowed, may be NULL) is merged into the entry's data, e.g. the
 * evidence items the collection was stored as.
 */
enum irk_code irk_collect_attach(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, const struct irk_collect_result *res,
				 json_t *extra, struct irk_err *err);
enum irk_code irk_apply_collection(const struct irk_apply_ctx *ctx, struct irk_err *err);

/* ---- parsers of untrusted host data (fuzzed) ---- */

struct irk_sock {
	char proto[8];      /* tcp, tcp6, udp, udp6 */
	char local[48], remote[48];
	unsigned lport, rport;
	char state[16];
	unsigned long uid;
	unsigned long long inode;
};

/* One data line of /proc/net/{tcp,tcp6,udp,udp6}.  IRK_EINVAL when malformed. */
enum irk_code irk_procnet_parse_inet(const char *line, const char *proto, struct irk_sock *out,
				     struct irk_err *err);

struct irk_unix_sock {
	unsigned long long inode;
	char type[12];      /* stream, dgram, seqpacket */
	char state[16];
	int listening;
	char path[256];     /* "" when unnamed; "@name" for the abstract namespace */
};

/* One data line of /proc/net/unix. */
enum irk_code irk_procnet_parse_unix(const char *line, struct irk_unix_sock *out,
				     struct irk_err *err);

struct irk_utmp_rec {
	int type;           /* ut_type */
	const char *type_name;
	int pid;
	char line[33], id[5], user[33], host[257];
	int64_t time_us;
	char addr[48];      /* "" when none */
};

/*
 * Walk utmp/wtmp/btmp bytes record by record.  A trailing partial record
 * makes it return IRK_EINVAL after the whole records were delivered.
 */
typedef void (*irk_utmp_fn)(const struct irk_utmp_rec *r, void *arg);
enum irk_code irk_utmp_parse(const void *data, size_t len, irk_utmp_fn fn, void *arg,
			     struct irk_err *err);

/* A JSON string for bytes that may not be UTF-8: invalid bytes become "\xNN". */
json_t *irk_json_bytes(const char *s, size_t len);

/* ---- for the area files of lib/host/collect*.c ---- */

struct irk_collector;

/* The areas, in the order they run. */
struct irk_collect_area {
	const char *name;
	void (*run)(struct irk_collector *c);
	int live; /* reads the running kernel's state (/proc, /sys), not a tree's files */
};
extern const struct irk_collect_area irk_collect_areas[];

void irk_collect_clock(struct irk_collector *c);
void irk_collect_network(struct irk_collector *c);
void irk_collect_processes(struct irk_collector *c);
void irk_collect_sessions(struct irk_collector *c);
void irk_collect_kernel(struct irk_collector *c);
void irk_collect_logins(struct irk_collector *c);
void irk_collect_accounts(struct irk_collector *c);
void irk_collect_persistence(struct irk_collector *c);
void irk_collect_tempdirs(struct irk_collector *c);
void irk_collect_suid(struct irk_collector *c);
void irk_collect_packages(struct irk_collector *c);
void irk_collect_logs(struct irk_collector *c);

/* Append one object (stolen) to <area>.jsonl. */
void irk_collect_emit(struct irk_collector *c, const char *area, json_t *obj);
/* Log what happened to `path` ("read", "skip", "copy", "gone", "race") and why. */
void irk_collect_log(struct irk_collector *c, const char *what, const char *path,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Log a failed open/read from errno: "gone" for ENOENT/ESRCH, else "skip". */
void irk_collect_log_errno(struct irk_collector *c, const char *path, int errnum);
void irk_collect_count(struct irk_collector *c, enum irk_collect_count which, uint64_t n);

/*
 * Open, lstat or readlink a path of the collected system ("/etc/passwd"):
 * under opts->root it is resolved inside the tree (openat2 with
 * RESOLVE_IN_ROOT, so no link leads out of it), except for /proc and /sys.
 * They return what open(2), lstat(2) and readlink(2) do, errno included.
 */
int irk_collect_open(struct irk_collector *c, const char *path, int flags);
int irk_collect_lstat(struct irk_collector *c, const char *path, struct stat *st);
ssize_t irk_collect_readlink(struct irk_collector *c, const char *path, char *buf, size_t size);

/*
 * Read a small host file into `out` (capped at IRK_COLLECT_SMALL_MAX); on
 * failure log it and return -1.
 */
int irk_collect_read(struct irk_collector *c, const char *path, struct irk_buf *out);

/*
 * Hash (and with `copy`, copy into files/<path>) the file open on `fd`,
 * which was opened from `path` (`name`, when not NULL, is the name in the
 * collection instead).  Fills sha (hex) and returns 0, or logs and returns -1.
 */
int irk_collect_file_fd(struct irk_collector *c, int fd, const char *path, const char *name,
			int copy, char sha[IRK_SHA256_HEX]);
/* Open `path` without following a final symlink, then as above. */
int irk_collect_file(struct irk_collector *c, const char *path, int copy, char sha[IRK_SHA256_HEX]);

/* The usual metadata of a file as JSON: path, type, size, mode, uid, gid, user, times. */
json_t *irk_collect_stat_json(struct irk_collector *c, const char *path, const struct stat *st);
/* The host's /etc/passwd, parsed once (an empty list when unreadable). */
struct irk_collect_account {
	char *name;
	unsigned long uid, gid;
	char *gecos, *home, *shell;
};
const struct irk_collect_account *irk_collect_account_list(struct irk_collector *c, size_t *n);
/* A user name for a uid, from the host's /etc/passwd (NULL if unknown). */
const char *irk_collect_user(struct irk_collector *c, unsigned long uid);

/*
 * Walk a tree without following symlinks or crossing file systems, calling
 * fn for each entry (not the root).  Skips the collection's own output.
 * Stops after IRK_COLLECT_WALK_MAX entries (logged).
 */
typedef void (*irk_collect_walk_fn)(struct irk_collector *c, const char *path,
				    const struct stat *st, void *arg);
void irk_collect_walk(struct irk_collector *c, const char *root, irk_collect_walk_fn fn,
		      void *arg);

/* Home directories of the accounts in /etc/passwd (and /root), each once. */
const char *const *irk_collect_homes(struct irk_collector *c);

#endif
