/*
 * markup.h - writing text safely into Markdown, HTML, SVG and CSV, and
 * turning Markdown into a complete HTML page (md4c).
 *
 * Every text that comes from the record (entry texts, titles, names) is
 * untrusted: the escapers below make sure it is shown as text and never
 * interpreted as markup.  Raw HTML inside Markdown is therefore only what
 * irk itself writes (the embedded SVG charts, line breaks in tables).
 */
#ifndef IRK_MARKUP_H
#define IRK_MARKUP_H

#include "irk/buf.h"
#include "irk/error.h"

/* & < > " ' as entities (for HTML and SVG text and attribute values). */
void irk_xml_escape(struct irk_buf *out, const char *s);

/*
 * Text for a Markdown paragraph or table cell: markup characters
 * backslash-escaped, < > & as entities; with `inline_only` newlines become
 * "<br/>" (for table cells and list items).
 */
void irk_md_escape(struct irk_buf *out, const char *s, int inline_only);

/* One CSV field (RFC 4180): quoted when it holds a comma, quote or newline. */
void irk_csv_field(struct irk_buf *out, const char *s);

/*
 * A standalone HTML page: <title>, a small print-friendly style sheet, and
 * `markdown` rendered by md4c (tables on, raw HTML passed through).
 */
enum irk_code irk_md_page(const char *title, const char *markdown, size_t len,
			  struct irk_buf *out, struct irk_err *err);

#endif
