/* embedded.c - looking up bundled files; see irk/embedded.h. */
#include <string.h>

#include "irk/embedded.h"

const struct irk_embedded *irk_embedded_find(const char *path)
{
	for (const struct irk_embedded *f = irk_embedded_files; f->path; f++)
		if (!strcmp(f->path, path))
			return f;
	return NULL;
}
