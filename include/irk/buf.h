/*
 * buf.h - a growable byte buffer (in the manner of git's strbuf).
 *
 * Invariants:
 *  - `buf` is never NULL and is always NUL-terminated at `buf[len]`, so it
 *    can be passed to any function that wants a C string.  A buffer that has
 *    never allocated points at a shared empty string; never write to it.
 *  - `len < alloc` whenever alloc > 0; `alloc == 0` means nothing is owned.
 *  - The buffer may contain NUL bytes; `len` is authoritative.
 *
 * Initialise with IRK_BUF_INIT (or irk_buf_init()), release with
 * irk_buf_release().  Allocation failure aborts the process: libirk treats
 * running out of memory as unrecoverable, as git and tmux do; this is the only
 * way libirk ends a process.
 */
#ifndef IRK_BUF_H
#define IRK_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct irk_buf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char irk_buf_empty[];
#define IRK_BUF_INIT { 0, 0, irk_buf_empty }

void irk_buf_init(struct irk_buf *sb, size_t hint);
void irk_buf_release(struct irk_buf *sb);
/* Hand the string to the caller (who frees it); the buffer is reset. */
char *irk_buf_detach(struct irk_buf *sb, size_t *len);
/* Make room for `extra` more bytes beyond len. */
void irk_buf_grow(struct irk_buf *sb, size_t extra);
void irk_buf_setlen(struct irk_buf *sb, size_t len);
static inline void irk_buf_reset(struct irk_buf *sb) { irk_buf_setlen(sb, 0); }

/*
 * Appending is inline: the scan fills buffers a few bytes at a time in its
 * inner loops.  A buffer that owns nothing (alloc == 0) always grows first.
 */
static inline void irk_buf_add(struct irk_buf *sb, const void *data, size_t len)
{
	if (sb->alloc - sb->len <= len)
		irk_buf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static inline void irk_buf_adds(struct irk_buf *sb, const char *s)
{
	irk_buf_add(sb, s, strlen(s));
}

static inline void irk_buf_addch(struct irk_buf *sb, int c)
{
	if (sb->alloc - sb->len <= 1)
		irk_buf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void irk_buf_addf(struct irk_buf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void irk_buf_vaddf(struct irk_buf *sb, const char *fmt, va_list ap);
/* A whole number in decimal, as "%lld" writes it (without printf's cost). */
void irk_buf_add_int(struct irk_buf *sb, long long v);

/* Remove trailing whitespace. */
void irk_buf_rtrim(struct irk_buf *sb);

/* Allocation helpers that abort on failure (see above). */
void *irk_malloc(size_t n);
void *irk_calloc(size_t n, size_t size);
void *irk_realloc(void *p, size_t n);
char *irk_strdup(const char *s);
char *irk_strndup(const char *s, size_t n);

#endif
