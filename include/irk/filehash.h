/*
 * filehash.h - hashing one file's content safely: no symlinks followed, the
 * access time left alone where the kernel allows it, a bounded read buffer,
 * and a check that the file did not change while it was read.
 */
#ifndef IRK_FILEHASH_H
#define IRK_FILEHASH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "irk/baseline.h"

enum irk_digest { IRK_DIGEST_SHA256, IRK_DIGEST_MD5 };

#define IRK_FILEHASH_BUF (256 * 1024) /* a good size for the caller's read buffer */

/*
 * Hash `path` into `out` (32 bytes for SHA-256, 16 for MD5) using `buf` of
 * `bufsize` bytes.  When `seen` is given (an earlier lstat), a file that is
 * no longer the same object or whose size or times differ is CHANGING; a
 * file whose size or times move during the read is CHANGING in any case.
 * Returns IRK_HASH_OK, IRK_HASH_UNREADABLE (errnum set) or IRK_HASH_CHANGING.
 */
enum irk_hash_state irk_file_hash(const char *path, enum irk_digest algo, const struct stat *seen,
				  uint8_t *out, void *buf, size_t bufsize, int *errnum);

#endif
