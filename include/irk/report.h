/*
 * report.h - reports generated from the casebook: postmortem, executive,
 * technical and disclosure, as Markdown, HTML (md4c) or PDF (headless
 * Chromium), each ending in a footer that ties it to the record.
 *
 * The footer carries one machine-readable line,
 *
 *     irk-record: <INC> entries=<N> head=<hex hash of entry N> root=<base64 Merkle root>
 *
 * and, when the author has an identity, a signed checkpoint (C2SP signed
 * note, the same as `irk checkpoint` writes) of the incident's log book at
 * that moment.  irk_report_check() reads the footer back out of a report
 * (Markdown or HTML) and compares it with the casebook: current, stale
 * (entries were added since), or not matching (the record differs).
 */
#ifndef IRK_REPORT_H
#define IRK_REPORT_H

#include <jansson.h>

#include "irk/buf.h"
#include "irk/casebook.h"
#include "irk/key.h"
#include "irk/logbook.h"

extern const char *const irk_report_kinds[]; /* postmortem, executive, technical, disclosure */

#define IRK_REPORT_MAX (64 * 1024 * 1024) /* largest report file --check reads */

/*
 * The report as Markdown.  `id` may be NULL: the footer then has no signed
 * checkpoint.  With an identity a checkpoint is made and stored (as `irk
 * checkpoint` does).  postmortem and disclosure need a postmortem.
 */
enum irk_code irk_report_markdown(struct irk_casebook *cb, const struct irk_identity *id,
				  const char *inc, const char *kind, struct irk_buf *out,
				  struct irk_err *err);

/* The same as a standalone HTML page (the chart is inline SVG). */
enum irk_code irk_report_html(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const char *kind, struct irk_buf *out,
			      struct irk_err *err);

/*
 * Print `html` to the PDF file `pdf` with headless Chromium ($IRK_CHROMIUM,
 * else chromium, chromium-browser or google-chrome on PATH).  IRK_ENOTFOUND
 * with a hint when no browser is installed.
 */
enum irk_code irk_report_pdf(const char *html, size_t len, const char *pdf, struct irk_err *err);

/* Which browser would be used (a path in `out`), or IRK_ENOTFOUND. */
enum irk_code irk_report_browser(struct irk_buf *out, struct irk_err *err);

/* What a report's footer says (irk_report_footer_parse). */
struct irk_report_footer {
	char inc[IRK_CHAIN_MAX];
	int64_t entries;
	char head[IRK_SHA256_HEX];
	struct irk_buf note; /* the signed checkpoint, empty when the report has none */
};

/*
 * Find and parse the footer of a Markdown or HTML report (untrusted input,
 * fuzzed).  IRK_EINVAL when there is none or it is malformed.  Release with
 * irk_report_footer_release() (also after a failure).
 */
enum irk_code irk_report_footer_parse(const char *text, size_t len, struct irk_report_footer *f,
				      struct irk_err *err);
void irk_report_footer_release(struct irk_report_footer *f);

/*
 * Compare a report's footer with the casebook.  Fills `out` (new reference):
 *   {"inc","entries","head","current_entries","state":"current"|"stale"|"mismatch",
 *    "added":N,"checkpoint":"verified"|"absent"|"invalid"}
 * Returns IRK_OK when current, IRK_EFAIL when stale, IRK_ETAMPER on a
 * mismatch, IRK_EINVAL when the file has no footer.
 */
enum irk_code irk_report_check(struct irk_casebook *cb, const char *text, size_t len,
			       json_t **out, struct irk_err *err);

#endif
