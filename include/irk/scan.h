/*
 * scan.h - running a rule set over log files: read (plain, gzip, stdin) in
 * large chunks cut at line ends, parse and match chunks on several threads,
 * and feed the hits to a detector (irk/detect.h) in input order, so that
 * correlations see events as they were written.
 *
 * Memory is bounded by IRK_SCAN_SLOTS_PER_THREAD x threads x twice the
 * chunk size (chunks being read, parsed, or fed to the detector, and the
 * lines of their hits), one chunk more for the file being read (the start
 * of a line cut at a chunk's end), plus the detector's groups, whatever
 * the input size.  Malformed lines are counted and skipped; with
 * `strict` the first one fails the scan with its file and line.
 */
#ifndef IRK_SCAN_H
#define IRK_SCAN_H

#include <stdint.h>

#include "irk/detect.h"
#include "irk/logread.h"
#include "irk/prefilter.h"
#include "irk/sigma.h"

/* A chunk fits a core's second-level cache while it is read, searched and parsed there. */
#define IRK_SCAN_CHUNK (1u << 20)
#define IRK_SCAN_THREADS_MAX 16
#define IRK_SCAN_SLOTS_PER_THREAD 3

struct irk_scan_opts {
	struct irk_log_opts log;
	int threads;   /* 0 = the number of processors (at most IRK_SCAN_THREADS_MAX) */
	int strict;    /* fail on the first malformed line */
	size_t chunk;  /* 0 = IRK_SCAN_CHUNK */
	/* NULL: every rule is tried on every line; else only where it can match (irk/prefilter.h) */
	const struct irk_prefilter *prefilter;
};

struct irk_scan_stats {
	int64_t files, bytes, lines, events, malformed, hits;
	char first_malformed[256]; /* "file:line: reason" of the first one, or "" */
};

/* Scan `files` ("-" is stdin) in order; hits go to `det`. */
enum irk_code irk_scan_files(const struct irk_ruleset *rs, const struct irk_scan_opts *o,
			     const char *const *files, int nfiles, struct irk_detector *det,
			     struct irk_scan_stats *st, struct irk_err *err);

/*
 * A single-threaded scanner of blocks of whole lines (irk watch scans what
 * each wait brought).  It is kept from block to block, with its buffers and
 * its prefilter's state (irk/prefilter.h), so the prefilter's judgement of
 * each log format carries over.  `rs` and `o` must outlive it.
 */
struct irk_scan_blocks;
struct irk_scan_blocks *irk_scan_blocks_new(const struct irk_ruleset *rs,
						 const struct irk_scan_opts *o);
/* Scan one block of whole lines of `file`, its first line numbered line0 + 1. */
enum irk_code irk_scan_block(struct irk_scan_blocks *bs, const char *file, int64_t line0,
			     const char *data, size_t len, struct irk_detector *det,
			     struct irk_scan_stats *st, struct irk_err *err);
void irk_scan_blocks_free(struct irk_scan_blocks *bs);

/*
 * Scan the entries of an open journal (irk/outlet.h) until there are no
 * more, in blocks of whole entries; findings name the file "journal" and
 * the entry's sequence number (its __SEQNUM, the "i=" of its cursor) as
 * its line.
 */
struct irk_journal;
enum irk_code irk_scan_journal(const struct irk_ruleset *rs, const struct irk_scan_opts *o,
			       struct irk_journal *j, struct irk_detector *det,
			       struct irk_scan_stats *st, struct irk_err *err);

#endif
