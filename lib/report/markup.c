/* markup.c - escaping for Markdown, HTML, SVG and CSV; Markdown pages; see irk/markup.h. */
#include <md4c-html.h>
#include <string.h>

#include "irk/markup.h"

void irk_xml_escape(struct irk_buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': irk_buf_adds(out, "&amp;"); break;
		case '<': irk_buf_adds(out, "&lt;"); break;
		case '>': irk_buf_adds(out, "&gt;"); break;
		case '"': irk_buf_adds(out, "&quot;"); break;
		case '\'': irk_buf_adds(out, "&#39;"); break;
		default: irk_buf_addch(out, *s);
		}
	}
}

void irk_md_escape(struct irk_buf *out, const char *s, int inline_only)
{
	int line_start = 1;

	for (; *s; s++) {
		switch (*s) {
		case '&': irk_buf_adds(out, "&amp;"); break;
		case '<': irk_buf_adds(out, "&lt;"); break;
		case '>': irk_buf_adds(out, "&gt;"); break;
		case '\r': break;
		case '\n':
			if (inline_only)
				irk_buf_adds(out, "<br/>");
			else
				irk_buf_adds(out, "  \n");
			line_start = 1;
			continue;
		case '\\': case '`': case '*': case '_': case '[': case ']': case '|':
		case '#': case '!': case '~': case '{': case '}':
			irk_buf_addch(out, '\\');
			irk_buf_addch(out, *s);
			break;
		case '-': case '+': case '=': case '.': case ')':
			/* Only at the start of a line do these begin a list or a heading. */
			if (line_start)
				irk_buf_addch(out, '\\');
			irk_buf_addch(out, *s);
			break;
		case ' ': case '\t':
			irk_buf_addch(out, ' ');
			continue;
		default:
			irk_buf_addch(out, *s);
		}
		line_start = 0;
	}
}

void irk_csv_field(struct irk_buf *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		irk_buf_adds(out, s);
		return;
	}
	irk_buf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			irk_buf_addch(out, '"');
		irk_buf_addch(out, *s);
	}
	irk_buf_addch(out, '"');
}

static void md_out(const MD_CHAR *text, MD_SIZE size, void *arg)
{
	irk_buf_add(arg, text, size);
}

static const char page_style[] =
	"body{font-family:system-ui,sans-serif;max-width:62em;margin:2em auto;padding:0 1em;"
	"color:#1b1b1b;line-height:1.45}"
	"h1{font-size:1.6em;border-bottom:2px solid #333}h2{font-size:1.25em;margin-top:1.6em}"
	"table{border-collapse:collapse;width:100%;font-size:.9em}"
	"th,td{border:1px solid #bbb;padding:.25em .45em;vertical-align:top;text-align:left}"
	"th{background:#eee}tr.late td{background:#fff4e0}"
	"code{font-size:.85em;word-break:break-all}svg{max-width:100%;height:auto}"
	".footer{margin-top:2.5em;border-top:1px solid #999;font-size:.8em;color:#444}"
	"@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}";

enum irk_code irk_md_page(const char *title, const char *markdown, size_t len,
			  struct irk_buf *out, struct irk_err *err)
{
	irk_buf_adds(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
			  "<meta name=\"generator\" content=\"irk\"/>\n<title>");
	irk_xml_escape(out, title);
	irk_buf_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", page_style);
	if (md_html(markdown, (MD_SIZE)len, md_out, out, MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH,
		    MD_HTML_FLAG_XHTML) != 0)
		return irk_fail(err, IRK_EINTERNAL, "rendering Markdown to HTML failed");
	irk_buf_adds(out, "</body>\n</html>\n");
	return IRK_OK;
}
