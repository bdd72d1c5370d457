/*
 * sigma-cond.c - the condition of a Sigma detection: `and`, `or`, `not`,
 * parentheses, selection names, `1 of PATTERN`, `all of PATTERN`, `1 of
 * them`, `all of them` (which skip names starting with "_").  Precedence:
 * not, then and, then or.  Aggregations after "|" are refused (they are
 * correlation rules now).  See sigma-internal.h.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma-internal.h"

struct parser {
	const char *s;
	const struct irk_sigma_detection *d;
	char tok[128];
	char *why;
	size_t whylen;
	int depth;
};

static void next(struct parser *p)
{
	size_t n = 0;

	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
	if (*p->s == '(' || *p->s == ')' || *p->s == '|') {
		p->tok[0] = *p->s++;
		p->tok[1] = 0;
		return;
	}
	while (*p->s && !strchr(" \t\r\n()|", *p->s)) {
		if (n + 1 < sizeof(p->tok))
			p->tok[n++] = *p->s;
		p->s++;
	}
	p->tok[n] = 0;
}

static struct node *fail(struct parser *p, const char *fmt, const char *arg)
{
	if (!p->why[0])
		snprintf(p->why, p->whylen, fmt, arg);
	return NULL;
}

static struct node *mk(enum node_type t, struct node *a, struct node *b)
{
	struct node *n = irk_calloc(1, sizeof(*n));

	n->t = t;
	n->a = a;
	n->b = b;
	return n;
}

static struct node *parse_or(struct parser *p);

static struct node *parse_of(struct parser *p, int all)
{
	struct node *n;
	int them;

	next(p);
	if (strcmp(p->tok, "of"))
		return fail(p, "expected 'of' after '%s'", all ? "all" : "1");
	next(p);
	if (!p->tok[0] || strchr("()|", p->tok[0]))
		return fail(p, "expected a name pattern or 'them' after 'of'%s", "");
	them = !strcmp(p->tok, "them");
	n = mk(all ? N_ALL_OF : N_ONE_OF, NULL, NULL);
	n->sels = irk_calloc((size_t)p->d->nsel + 1, sizeof(int));
	for (int i = 0; i < p->d->nsel; i++) {
		const char *name = p->d->sels[i].name;
		if (them ? name[0] != '_' : !fnmatch(p->tok, name, 0))
			n->sels[n->nsels++] = i;
	}
	if (!n->nsels) {
		irk_cond_free(n);
		return fail(p, "no selection matches '%s'", p->tok);
	}
	next(p);
	return n;
}

static struct node *parse_primary(struct parser *p)
{
	struct node *n;

	if (++p->depth > 64)
		return fail(p, "the condition is nested too deeply%s", "");
	if (!strcmp(p->tok, "(")) {
		next(p);
		n = parse_or(p);
		if (!n)
			return NULL;
		if (strcmp(p->tok, ")")) {
			irk_cond_free(n);
			return fail(p, "missing ')'%s", "");
		}
		next(p);
		p->depth--;
		return n;
	}
	if (!strcmp(p->tok, "not")) {
		next(p);
		n = parse_primary(p);
		p->depth--;
		return n ? mk(N_NOT, n, NULL) : NULL;
	}
	if (!strcmp(p->tok, "1") || !strcmp(p->tok, "any")) {
		p->depth--;
		return parse_of(p, 0);
	}
	if (!strcmp(p->tok, "all")) {
		p->depth--;
		return parse_of(p, 1);
	}
	if (!p->tok[0])
		return fail(p, "the condition ends too early%s", "");
	if (!strcmp(p->tok, "|"))
		return fail(p, "aggregations ('| count() ...') are not supported%s: write a correlation rule",
			    "");
	if (!strcmp(p->tok, ")") || !strcmp(p->tok, "and") || !strcmp(p->tok, "or"))
		return fail(p, "unexpected '%s'", p->tok);
	for (int i = 0; i < p->d->nsel; i++)
		if (!strcmp(p->d->sels[i].name, p->tok)) {
			n = mk(N_SEL, NULL, NULL);
			n->sel = i;
			next(p);
			p->depth--;
			return n;
		}
	if (strchr(p->tok, '*'))
		return fail(p, "'%s': a pattern needs '1 of' or 'all of'", p->tok);
	return fail(p, "the condition names '%s', which is not a selection", p->tok);
}

static struct node *parse_and(struct parser *p)
{
	struct node *l = parse_primary(p), *r;

	while (l && !strcmp(p->tok, "and")) {
		next(p);
		if (!(r = parse_primary(p))) {
			irk_cond_free(l);
			return NULL;
		}
		l = mk(N_AND, l, r);
	}
	return l;
}

static struct node *parse_or(struct parser *p)
{
	struct node *l = parse_and(p), *r;

	while (l && !strcmp(p->tok, "or")) {
		next(p);
		if (!(r = parse_and(p))) {
			irk_cond_free(l);
			return NULL;
		}
		l = mk(N_OR, l, r);
	}
	return l;
}

struct node *irk_cond_parse(const char *text, const struct irk_sigma_detection *d, char *why,
			    size_t whylen)
{
	struct parser p = { text, d, "", why, whylen, 0 };
	struct node *n;

	why[0] = 0;
	next(&p);
	n = parse_or(&p);
	if (n && p.tok[0]) {
		irk_cond_free(n);
		if (!strcmp(p.tok, "|"))
			return fail(&p, "aggregations ('| count() ...') are not supported%s: write a correlation rule",
				    "");
		return fail(&p, "unexpected '%s' in the condition", p.tok);
	}
	return n;
}

void irk_cond_free(struct node *n)
{
	if (!n)
		return;
	irk_cond_free(n->a);
	irk_cond_free(n->b);
	free(n->sels);
	free(n);
}

int irk_cond_eval(const struct node *n, const char *hits)
{
	switch (n->t) {
	case N_SEL:
		return hits[n->sel];
	case N_AND:
		return irk_cond_eval(n->a, hits) && irk_cond_eval(n->b, hits);
	case N_OR:
		return irk_cond_eval(n->a, hits) || irk_cond_eval(n->b, hits);
	case N_NOT:
		return !irk_cond_eval(n->a, hits);
	case N_ONE_OF:
		for (int i = 0; i < n->nsels; i++)
			if (hits[n->sels[i]])
				return 1;
		return 0;
	case N_ALL_OF:
		for (int i = 0; i < n->nsels; i++)
			if (!hits[n->sels[i]])
				return 0;
		return 1;
	}
	return 0;
}
