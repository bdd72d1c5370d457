/*
 * collect-packages.c - the installed packages, read from dpkg's own database
 * (/var/lib/dpkg/status) rather than by running dpkg; the file is also
 * copied, since a later `dpkg -l` on another machine can read the copy.
 */
#include <string.h>

#include "irk/collect.h"

/* The value of "Field: value" in one stanza (`s` .. `end`), or NULL. */
static json_t *field(const char *s, const char *end, const char *name)
{
	size_t n = strlen(name);

	for (const char *l = s; l && l < end;) {
		const char *eol = memchr(l, '\n', (size_t)(end - l));

		if (!eol)
			eol = end;
		if ((size_t)(eol - l) > n + 1 && !strncmp(l, name, n) && l[n] == ':') {
			const char *v = l + n + 1;

			while (v < eol && *v == ' ')
				v++;
			return irk_json_bytes(v, (size_t)(eol - v));
		}
		l = eol < end ? eol + 1 : NULL;
	}
	return json_null();
}

void irk_collect_packages(struct irk_collector *c)
{
	static const char status[] = "/var/lib/dpkg/status";
	struct irk_buf b = IRK_BUF_INIT;
	char sha[IRK_SHA256_HEX];
	const char *p, *end;

	if (irk_collect_read(c, status, &b) != 0) {
		irk_buf_release(&b);
		return;
	}
	irk_collect_file(c, status, 1, sha);
	for (p = b.buf; p < b.buf + b.len; p = end) {
		const char *next = strstr(p, "\n\n");
		json_t *name;

		end = next ? next + 2 : b.buf + b.len;
		name = field(p, end, "Package");
		if (json_is_null(name))
			continue;
		irk_collect_emit(c, "packages",
				 json_pack("{s:o, s:o, s:o, s:o, s:o}", "package", name, "status",
					   field(p, end, "Status"), "version", field(p, end, "Version"),
					   "architecture", field(p, end, "Architecture"), "source",
					   field(p, end, "Source")));
		irk_collect_count(c, IRK_CC_PACKAGES, 1);
	}
	irk_buf_release(&b);
}
