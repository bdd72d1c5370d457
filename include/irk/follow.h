/*
 * follow.h - following a growing log file across rotation and truncation,
 * with a position that survives restarts.
 *
 * A follower remembers the file's device, inode, byte offset and line
 * number.  Each poll reads the complete lines added since (a partial last
 * line waits for its newline).  Rotation (the path now names another
 * inode) is handled by draining the old file to its end before starting
 * the new one at offset 0; when irk was not running at rotation time, the
 * old file is looked for as PATH.1.  Truncation (same inode, smaller than
 * the offset) starts again at 0.
 */
#ifndef IRK_FOLLOW_H
#define IRK_FOLLOW_H

#include <stdint.h>
#include <sys/types.h>

#include "irk/buf.h"
#include "irk/error.h"

struct irk_follow {
	char *path;
	int fd;          /* -1 when not open */
	dev_t dev;
	ino_t ino;
	int64_t offset;  /* bytes consumed (complete lines) */
	int64_t line;    /* lines consumed */
	int known;       /* dev/ino/offset come from a saved state */
	int skipping;    /* passing over the rest of a line longer than a block */
};

void irk_follow_init(struct irk_follow *f, const char *path);
void irk_follow_release(struct irk_follow *f);

/*
 * Called with each block of complete lines: `name` is the file they are
 * from (PATH or PATH.1), `line0` the number of the line before the first.
 */
typedef enum irk_code (*irk_follow_fn)(const char *name, int64_t line0, const char *data,
				       size_t len, void *arg, struct irk_err *err);

/* Read what was added since the last poll (a missing file is not an error). */
enum irk_code irk_follow_poll(struct irk_follow *f, irk_follow_fn fn, void *arg,
			      struct irk_err *err);

#endif
