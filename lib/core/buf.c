/* buf.c - the growable buffer and the aborting allocators; see irk/buf.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/buf.h"

char irk_buf_empty[1];

static void out_of_memory(size_t n)
{
	/* The one place libirk writes to stderr: there is nobody left to tell. */
	fprintf(stderr, "irk: out of memory (wanted %zu bytes)\n", n);
	abort();
}

void *irk_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *irk_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *irk_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory(n);
	return q;
}

char *irk_strdup(const char *s)
{
	return irk_strndup(s, strlen(s));
}

char *irk_strndup(const char *s, size_t n)
{
	char *p = irk_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void irk_buf_init(struct irk_buf *sb, size_t hint)
{
	sb->alloc = 0;
	sb->len = 0;
	sb->buf = irk_buf_empty;
	if (hint)
		irk_buf_grow(sb, hint);
}

void irk_buf_release(struct irk_buf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	irk_buf_init(sb, 0);
}

char *irk_buf_detach(struct irk_buf *sb, size_t *len)
{
	char *s;

	if (!sb->alloc)
		irk_buf_grow(sb, 0);
	s = sb->buf;
	if (len)
		*len = sb->len;
	irk_buf_init(sb, 0);
	return s;
}

void irk_buf_grow(struct irk_buf *sb, size_t extra)
{
	size_t want;
	int fresh = !sb->alloc;

	if (extra > (size_t)-1 - sb->len - 1)
		out_of_memory((size_t)-1);
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return;
	if (want < sb->alloc + sb->alloc / 2)
		want = sb->alloc + sb->alloc / 2;
	if (want < 64)
		want = 64;
	sb->buf = irk_realloc(fresh ? NULL : sb->buf, want);
	sb->alloc = want;
	if (fresh)
		sb->buf[0] = '\0';
}

void irk_buf_setlen(struct irk_buf *sb, size_t len)
{
	if (!sb->alloc) {
		if (len == 0)
			return;
		irk_buf_grow(sb, len);
	}
	if (len >= sb->alloc)
		irk_buf_grow(sb, len - sb->len);
	sb->len = len;
	sb->buf[len] = '\0';
}

void irk_buf_vaddf(struct irk_buf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	irk_buf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		irk_buf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void irk_buf_addf(struct irk_buf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	irk_buf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void irk_buf_add_int(struct irk_buf *sb, long long v)
{
	char digits[24];
	int n = 0;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do
		digits[n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		digits[n++] = '-';
	irk_buf_grow(sb, (size_t)n);
	while (n)
		sb->buf[sb->len++] = digits[--n];
	sb->buf[sb->len] = '\0';
}

void irk_buf_rtrim(struct irk_buf *sb)
{
	while (sb->len && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\t' ||
			   sb->buf[sb->len - 1] == '\n' || sb->buf[sb->len - 1] == '\r'))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}
