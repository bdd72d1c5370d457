/*
 * hash.h - SHA-256 (OpenSSL libcrypto, which uses the CPU's SHA extensions)
 * and the encodings irk writes digests and keys in.
 */
#ifndef IRK_HASH_H
#define IRK_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "irk/error.h"

#define IRK_SHA256_LEN 32
#define IRK_SHA256_HEX (2 * IRK_SHA256_LEN + 1)

void irk_sha256(const void *data, size_t len, uint8_t out[IRK_SHA256_LEN]);

/* Incremental hashing for files and streams. */
struct irk_sha256_ctx;
struct irk_sha256_ctx *irk_sha256_begin(void);
void irk_sha256_update(struct irk_sha256_ctx *c, const void *data, size_t len);
/* Writes the digest and frees the context. */
void irk_sha256_end(struct irk_sha256_ctx *c, uint8_t out[IRK_SHA256_LEN]);

/* Lower-case hex; `out` holds 2*len+1 bytes. */
void irk_hex(const uint8_t *bin, size_t len, char *out);
/* Decode exactly `len` bytes of hex; -1 on anything else. */
int irk_unhex(const char *hex, uint8_t *bin, size_t len);

/* Standard base64 (RFC 4648 §4) with padding.  `out` needs irk_b64_len(n). */
size_t irk_b64_len(size_t n);
void irk_b64(const uint8_t *bin, size_t len, char *out);
/* Decode into at most `max` bytes; returns the length or -1 if invalid. */
long irk_unb64(const char *b64, size_t b64len, uint8_t *bin, size_t max);

#endif
