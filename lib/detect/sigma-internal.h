/*
 * sigma-internal.h - the compiled form of a Sigma detection, shared by the
 * loader (sigma-load.c), the value compiler (sigma-value.c), the condition
 * parser (sigma-cond.c) and the matcher (sigma-match.c).  Not installed.
 */
#ifndef IRK_SIGMA_INTERNAL_H
#define IRK_SIGMA_INTERNAL_H

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "irk/sigma.h"

enum sv_type { SV_PATTERN, SV_RE, SV_CIDR, SV_NUM, SV_EXISTS, SV_NULL, SV_FIELDREF };
enum sv_shape { SHAPE_EXACT, SHAPE_PREFIX, SHAPE_SUFFIX, SHAPE_CONTAINS, SHAPE_GLOB, SHAPE_ANY };
enum { MASK_LIT = 0, MASK_STAR = 1, MASK_ONE = 2 };

/* One value a field is compared with, compiled. */
struct sv {
	enum sv_type type;
	unsigned char *pat;  /* pattern bytes (lower-cased unless cased) */
	unsigned char *mask; /* per byte: MASK_LIT, MASK_STAR, MASK_ONE */
	size_t len;
	enum sv_shape shape;
	size_t lit_off, lit_len; /* the literal part for the fast shapes */
	int cased;
	int unfolded; /* not cased, and tolower() changes a byte of the literal part */
	void *re;          /* pcre2_code */
	unsigned char ip[16];
	int af, prefix;    /* cidr */
	double num;        /* lt/lte/gt/gte */
	enum irk_cmp cmp;
	int exists;        /* exists: true/false */
	char *ref;         /* fieldref: the other field */
	int ref_pos;       /* fieldref: 0 equal, 1 contains, 2 startswith, 3 endswith */
};

/* "field|mods: values" (field NULL: keywords, matched anywhere in the line). */
struct item {
	char *field;
	int fid;   /* the field's enum irk_field_id, or -1 */
	int all;   /* every value must match (|all) */
	int neq;   /* no value may match (|neq) */
	int nvals;
	struct sv *vals;
};

/* A map: all items must match. */
struct smap {
	int nitems;
	struct item *items;
};

/* A named selection: a list of maps, any of which may match. */
struct selection {
	char *name;
	int line;
	int nmaps;
	struct smap *maps;
};

enum node_type { N_SEL, N_AND, N_OR, N_NOT, N_ONE_OF, N_ALL_OF };

struct node {
	enum node_type t;
	struct node *a, *b;
	int sel;
	int nsels;
	int *sels;
};

enum ls_product { LS_ANY, LS_LINUX, LS_APPLICATION };
enum ls_service { LS_SVC_ANY, LS_SVC_SYSLOG, LS_SVC_AUTH, LS_SVC_NAMED };

struct irk_sigma_detection {
	int nsel;
	struct selection *sels;
	struct node *cond;
	/* the rule's logsource, decided at load time (the strings are the rule's) */
	const char *ls_category;
	enum ls_product ls_product;
	enum ls_service ls_service;
	const char *ls_service_name;
	/*
	 * The syslog parser's own copy of that name (irk_log_service_literal()),
	 * or NULL: the service of its events is that very pointer, so equal
	 * pointers spare comparing the text.
	 */
	const char *ls_service_lit;
};

#define IRK_SV_WHY_MAX 200
/*
 * Compile one value with its modifiers into out[0..*nout) (windash and
 * base64offset make several); returns NULL or the reason it cannot be
 * (which may be written into `whybuf`, IRK_SV_WHY_MAX bytes).
 */
const char *irk_sv_compile(const char *value, size_t len, int is_null, const char *const *mods,
			   int nmods, struct sv *out, int *nout, int max_out, char *whybuf);
void irk_sv_release(struct sv *v);
int irk_wild_match(const struct sv *v, const unsigned char *s, size_t n);
/* Does the field value (or NULL when absent) match? */
int irk_sv_match(const struct sv *v, const struct irk_event *ev, const char *val, size_t len,
		 struct irk_sigma_scratch *s);

/*
 * The plain string values (SV_PATTERN) are matched inline by the item
 * matcher: most items of most rules are "field: value", tried on every
 * candidate line of a scan.
 */
int irk_sv_eq_unfolded(const struct sv *v, const unsigned char *s);
int irk_sv_contains(const struct sv *v, const unsigned char *s, size_t n);

/* Is the literal part of v at s (lit_len bytes)? */
static inline int irk_sv_eq_at(const struct sv *v, const unsigned char *s)
{
	const unsigned char *lit = v->pat + v->lit_off;
	size_t n = v->lit_len;

	if (v->cased)
		return !memcmp(lit, s, n);
	if (v->unfolded)
		return irk_sv_eq_unfolded(v, s);
	/* the literal is its own tolower(): bytes equal to it need no folding */
	if (!memcmp(lit, s, n))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (lit[i] != (unsigned char)tolower(s[i]))
			return 0;
	return 1;
}

/* Does the value s[0..n) match the pattern v (SV_PATTERN)? */
static inline int irk_sv_match_pattern(const struct sv *v, const unsigned char *s, size_t n)
{
	if (v->shape == SHAPE_EXACT) /* the most common, ahead of the jump table */
		return n == v->lit_len && irk_sv_eq_at(v, s);
	switch (v->shape) {
	case SHAPE_ANY:
		return 1;
	case SHAPE_PREFIX:
		return n >= v->lit_len && irk_sv_eq_at(v, s);
	case SHAPE_SUFFIX:
		return n >= v->lit_len && irk_sv_eq_at(v, s + n - v->lit_len);
	case SHAPE_CONTAINS:
		return irk_sv_contains(v, s, n);
	default:
		return irk_wild_match(v, s, n);
	}
}
/* Does an item (field and values) match the event? */
int irk_item_match(const struct item *it, const struct irk_event *ev, struct irk_sigma_scratch *s);

/* Parse a condition (or NULL and the reason in `why`). */
struct node *irk_cond_parse(const char *text, const struct irk_sigma_detection *d, char *why,
			    size_t whylen);
void irk_cond_free(struct node *n);
int irk_cond_eval(const struct node *n, const char *hits);

#endif
