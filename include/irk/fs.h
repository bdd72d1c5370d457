/*
 * fs.h - small, careful file operations: size-capped reads, atomic writes,
 * private files, directories.
 */
#ifndef IRK_FS_H
#define IRK_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "irk/buf.h"
#include "irk/error.h"

/* Read a whole file (or "-" for stdin) into `out`, refusing more than `max` bytes. */
enum irk_code irk_read_file(const char *path, size_t max, struct irk_buf *out, struct irk_err *err);

/*
 * Write `len` bytes to `path` atomically: a temporary file in the same
 * directory, fsync, rename, fsync of the directory.  `mode` is the new
 * file's permission bits.
 */
enum irk_code irk_write_file(const char *path, const void *data, size_t len, mode_t mode,
			     struct irk_err *err);

/* mkdir -p with the given mode for created directories. */
enum irk_code irk_mkdirs(const char *path, mode_t mode, struct irk_err *err);

/* fsync a directory so that a rename or creation inside it is durable. */
enum irk_code irk_fsync_dir(const char *dir, struct irk_err *err);

/* The user's irk configuration directory: $XDG_CONFIG_HOME/irk or ~/.config/irk. */
enum irk_code irk_config_dir(struct irk_buf *out, struct irk_err *err);

/* Join two path parts with one slash. */
void irk_path_join(struct irk_buf *out, const char *a, const char *b);

#endif
