/*
 * bytes.h - unaligned word loads, and the equality and copying of short
 * byte runs, inline.  The scan's hot paths compare and copy values of a few
 * bytes (a user, an address, a template's " port "), for which a call into
 * the C library costs more than the work: whole 8-byte words, the last one
 * overlapping the one before (a copy takes two at most, longer ones go to
 * memcpy), then two overlapping 4-byte words; under 4 bytes a comparison
 * looks at the first, middle and last byte (all of them), a copy goes byte
 * by byte (the copy stays small enough for gcc to inline its callers).
 *
 * Invariant: these read only src/a/b[0..n) and write only dst[0..n).
 */
#ifndef IRK_BYTES_H
#define IRK_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Copies longer than this go to memcpy. */
#define IRK_BYTES_SHORT 16

static inline uint64_t irk_load64(const void *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static inline uint32_t irk_load32(const void *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/* memcmp(a, b, n) == 0 */
static inline int irk_same_bytes(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			if (irk_load64(a + i) != irk_load64(b + i))
				return 0;
		return irk_load64(a + n - 8) == irk_load64(b + n - 8);
	}
	if (n >= 4)
		return irk_load32(a) == irk_load32(b) && irk_load32(a + n - 4) == irk_load32(b + n - 4);
	return !n || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

/* memcpy(dst, src, n) for buffers that do not overlap */
static inline void irk_copy_bytes(char *dst, const char *src, size_t n)
{
	uint64_t w, v;
	uint32_t x, y;

	if (n > IRK_BYTES_SHORT) {
		memcpy(dst, src, n);
	} else if (n >= 8) {
		w = irk_load64(src);
		v = irk_load64(src + n - 8);
		memcpy(dst, &w, sizeof(w));
		memcpy(dst + n - 8, &v, sizeof(v));
	} else if (n >= 4) {
		x = irk_load32(src);
		y = irk_load32(src + n - 4);
		memcpy(dst, &x, sizeof(x));
		memcpy(dst + n - 4, &y, sizeof(y));
	} else {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
	}
}

#endif
