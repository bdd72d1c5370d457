/*
 * object.h - the content-addressed object store under a casebook
 * (`.irk/objects/`), where evidence lives.
 *
 * An object is named by the SHA-256 of its content (64 hex digits) and kept
 * at objects/<first 2 hex>/<other 62 hex>, read-only (mode 0400).  With
 * compression the file holds a zstd frame of the content and its name ends
 * in ".zst"; the name is still the hash of the uncompressed content, so
 * compression never changes an object's identity.
 *
 * Invariants:
 *  - An object file is written under a temporary name, hashed while it is
 *    written, synced, and only then renamed to its hash: a name in the store
 *    always claims content that was hashed on the way in.
 *  - Every read re-hashes the content and fails with IRK_ETAMPER when it no
 *    longer matches its name: nothing handed out by irk_object_read() is
 *    unverified.  (The content is streamed to the sink as it is read, so a
 *    caller writing to a file must discard it on failure.)
 *  - Adding content that is already stored keeps the stored copy.
 */
#ifndef IRK_OBJECT_H
#define IRK_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "irk/buf.h"
#include "irk/error.h"
#include "irk/hash.h"

struct irk_object_info {
	char sha256[IRK_SHA256_HEX];
	uint64_t size;   /* content bytes */
	uint64_t stored; /* bytes on disk (smaller when compressed) */
	int compressed;
};

/* Receives content as it is read; returns non-zero (an irk_code) to stop. */
typedef enum irk_code (*irk_object_sink)(const void *data, size_t len, void *arg,
					 struct irk_err *err);

/* Store everything read from `fd` (until end of file); `what` names it in errors. */
enum irk_code irk_object_put_fd(const char *objdir, int fd, const char *what, int compress,
				struct irk_object_info *out, struct irk_err *err);

/*
 * Gives up to `cap` bytes of content into `buf`: returns how many, 0 at the
 * end, or -1 after filling `err`.
 */
typedef long (*irk_object_source)(void *buf, size_t cap, void *arg, struct irk_err *err);

/* Store what `source` gives until it ends. */
enum irk_code irk_object_put_source(const char *objdir, irk_object_source source, void *arg,
				    int compress, struct irk_object_info *out, struct irk_err *err);

/* Store an in-memory buffer. */
enum irk_code irk_object_put_buf(const char *objdir, const void *data, size_t len, int compress,
				 struct irk_object_info *out, struct irk_err *err);

/* Is `s` 64 lower-case hex digits? */
int irk_object_name_ok(const char *s);

/* The file holding object `sha256` (IRK_ENOTFOUND when absent). */
enum irk_code irk_object_path(const char *objdir, const char *sha256, struct irk_buf *path,
			      int *compressed, struct irk_err *err);

/*
 * Read object `sha256`, re-hashing it; pass its content to `sink` (may be
 * NULL to only check).  Fills *size with the content length.  IRK_ETAMPER
 * when the content does not match the name, IRK_ENOTFOUND when it is gone.
 */
enum irk_code irk_object_read(const char *objdir, const char *sha256, irk_object_sink sink,
			      void *arg, uint64_t *size, struct irk_err *err);

#endif
