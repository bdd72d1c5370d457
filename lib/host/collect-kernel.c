/*
 * collect-kernel.c - the kernel's state: loaded modules (/proc/modules, a
 * place rootkits hide in), the taint flags, and the mount table of the
 * collecting process's namespace (/proc/self/mountinfo).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/collect.h"

/* Undo the octal escapes (\040 for a space) of /proc mount fields, in place. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

void irk_collect_kernel(struct irk_collector *c)
{
	struct irk_buf b = IRK_BUF_INIT;
	char *save = NULL, *line;

	if (irk_collect_read(c, "/proc/modules", &b) == 0) {
		for (line = strtok_r(b.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char name[64], deps[1024], state[16], taint[16] = "";
			unsigned long size;
			int refs;

			if (sscanf(line, "%63s %lu %d %1023s %15s %*s %15s", name, &size, &refs, deps,
				   state, taint) < 5)
				continue;
			irk_collect_emit(c, "modules",
					 json_pack("{s:o, s:I, s:i, s:o, s:s, s:s}", "name",
						   irk_json_bytes(name, strlen(name)), "size",
						   (json_int_t)size, "refs", refs, "used_by",
						   irk_json_bytes(deps, strlen(deps)), "state", state,
						   "taint", taint[0] == '(' ? taint : ""));
		}
	}
	save = NULL;
	if (irk_collect_read(c, "/proc/self/mountinfo", &b) == 0) {
		for (line = strtok_r(b.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char root[1024], point[1024], opts[512], fstype[64], source[1024], super[512];
			char *dash = strstr(line, " - ");

			if (!dash || sscanf(line, "%*d %*d %*s %1023s %1023s %511s", root, point, opts) != 3 ||
			    sscanf(dash + 3, "%63s %1023s %511s", fstype, source, super) != 3)
				continue;
			unescape_octal(root);
			unescape_octal(point);
			unescape_octal(source);
			irk_collect_emit(c, "mounts",
					 json_pack("{s:o, s:o, s:s, s:o, s:s, s:s}", "mountpoint",
						   irk_json_bytes(point, strlen(point)), "root",
						   irk_json_bytes(root, strlen(root)), "fstype", fstype,
						   "source", irk_json_bytes(source, strlen(source)),
						   "options", opts, "super_options", super));
		}
	}
	irk_buf_release(&b);
}
