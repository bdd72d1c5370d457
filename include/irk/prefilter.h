/*
 * prefilter.h - which lines of a block can a rule match at all, found for
 * the whole block at once.
 *
 * At build time every detection rule gives, per log format, the texts one
 * of which a line must contain before the rule can match it
 * (irk_sigma_needles()), or "always".  The texts are searched for in the
 * whole block at once, per format and only for the formats the block's
 * lines are read as (the first line of a format starts its search): with
 * Hyperscan on x86-64 (one multi-literal search of the format's texts), or
 * elsewhere and when asked with PCRE2's JIT (one search per one or two
 * groups of texts that share a rare pair of neighbouring bytes: the pair
 * first, the rest of each text as lookarounds, a mark naming the text).  Then,
 * line by line, irk_prefilter_line() says which rules to try: those whose
 * text the line holds (with PCRE2 also those whose text may be hidden at the
 * same place behind another), plus the "always" rules of the line's format.
 * A line no rule needs is only checked for well-formedness.  The findings
 * are the same as without a prefilter: only lines and rules that cannot
 * match are skipped.  A PCRE2 prefilter that, on the first block it
 * searched for a format, let through nearly every rule on nearly every line
 * switches itself off for that format (irk_prefilter_switched_off()).
 *
 * Invariants: the prefilter is read-only once built (but for the PCRE2
 * switch-off, written atomically) and may be shared by threads; each thread
 * has its own irk_prefilter_state.  Memory per state is
 * bounded (IRK_PREFILTER_HITS_MAX places per block; past that, every later
 * line of the block is treated as holding every text).
 */
#ifndef IRK_PREFILTER_H
#define IRK_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "irk/error.h"
#include "irk/logread.h"
#include "irk/sigma.h"

#define IRK_PREFILTER_HITS_MAX (1u << 20)

enum irk_prefilter_engine {
	IRK_PREFILTER_AUTO = 0, /* Hyperscan when built in and the processor has it, else PCRE2 */
	IRK_PREFILTER_HYPERSCAN,
	IRK_PREFILTER_PCRE2,
};

struct irk_prefilter;
struct irk_prefilter_state;

/* Build the prefilter of a linked rule set. */
enum irk_code irk_prefilter_new(const struct irk_ruleset *rs, enum irk_prefilter_engine engine,
				struct irk_prefilter **out, struct irk_err *err);
void irk_prefilter_free(struct irk_prefilter *p);
/* "hyperscan" or "pcre2" */
const char *irk_prefilter_engine_name(const struct irk_prefilter *p);
/* Texts searched for, and rules tried on every line of some format. */
int irk_prefilter_needles(const struct irk_prefilter *p);
int irk_prefilter_always(const struct irk_prefilter *p);
/*
 * The searches one block takes for lines of format f (PCRE2: one per anchor
 * pair; Hyperscan: 1, or 0 when f has no texts).
 */
int irk_prefilter_searches(const struct irk_prefilter *p, enum irk_log_format f);
/*
 * PCRE2: nonzero once the prefilter has switched itself off for lines of
 * format f (because on the first block it searched it let through nearly
 * all the rules it could have on every line: the percentage), else 0.
 */
int irk_prefilter_switched_off(const struct irk_prefilter *p, enum irk_log_format f);

struct irk_prefilter_state *irk_prefilter_state_new(const struct irk_prefilter *p);
void irk_prefilter_state_free(struct irk_prefilter_state *st);

/*
 * Take a block; then call irk_prefilter_line() for its lines in order (the
 * block is searched for a format's texts when its first line of it asks).
 */
void irk_prefilter_scan(const struct irk_prefilter *p, struct irk_prefilter_state *st,
			const char *data, size_t len);

/*
 * The rules to try on the line that starts at `off` and ends at `end` (the
 * offset of its newline, or of the block's end), read as format `f`: a
 * bitset over rule indices (bit r of word r / 64), valid until the next
 * call, or NULL when there are none.
 */
const uint64_t *irk_prefilter_line(const struct irk_prefilter *p, struct irk_prefilter_state *st,
				   size_t off, size_t end, enum irk_log_format f);

#endif
