/*
 * sigma-load.c - reading Sigma rules with libyaml into irk_sigma_rule:
 * metadata, logsource (checked against what irk reads), detection
 * selections (maps, lists of maps, keyword lists, field|modifier keys) and
 * the condition, or a correlation (type, rules, group-by with aliases,
 * timespan, condition, generate).  A rule irk cannot honour is refused with
 * file, line and reason in the set's status list.  See irk/sigma.h.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "irk/embedded.h"
#include "irk/fs.h"
#include "irk/logread.h"
#include "sigma-internal.h"

#define MAX_MODS 16
#define MAX_VALUE_VARIANTS 16

struct ctx {
	const char *file;
	yaml_document_t *doc;
	int line;
	char why[256];
};

static int refuse(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	if (c->why[0])
		return -1;
	if (n)
		c->line = (int)n->start_mark.line + 1;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return -1;
}

static yaml_node_t *node(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

static yaml_node_t *get(struct ctx *c, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key))
			return node(c, p->value);
	}
	return NULL;
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static char *dup_scalar(yaml_node_t *n)
{
	const char *s = scalar(n);
	return s ? irk_strdup(s) : NULL;
}

static int is_null(yaml_node_t *n)
{
	const char *s = scalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return !*s || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL") ||
	       !strcmp(s, "~");
}

static void free_detection(struct irk_sigma_detection *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->nsel; i++) {
		struct selection *s = &d->sels[i];
		for (int m = 0; m < s->nmaps; m++) {
			for (int k = 0; k < s->maps[m].nitems; k++) {
				struct item *it = &s->maps[m].items[k];
				for (int v = 0; v < it->nvals; v++)
					irk_sv_release(&it->vals[v]);
				free(it->vals);
				free(it->field);
			}
			free(s->maps[m].items);
		}
		free(s->maps);
		free(s->name);
	}
	free(d->sels);
	irk_cond_free(d->cond);
	free(d);
}

static void free_rule(struct irk_sigma_rule *r)
{
	if (!r)
		return;
	free(r->file);
	free(r->id);
	free(r->name);
	free(r->title);
	free(r->level);
	free(r->description);
	free(r->product);
	free(r->service);
	free(r->category);
	free_detection(r->det);
	for (int i = 0; i < r->nrefs; i++)
		free(r->ref_names[i]);
	free(r->ref_names);
	free(r->refs);
	for (int g = 0; g < r->ngroup; g++) {
		for (int i = 0; i < r->nrefs && r->group_field; i++)
			free(r->group_field[g][i]);
		if (r->group_field)
			free(r->group_field[g]);
		free(r->group_by[g]);
	}
	free(r->group_field);
	free(r->group_by);
	free(r->count_field);
	free(r);
}

/* Add the compiled forms of one value node to an item. */
static int add_value(struct ctx *c, struct item *it, yaml_node_t *v, const char *const *mods,
		     int nmods)
{
	struct sv out[MAX_VALUE_VARIANTS];
	char whybuf[IRK_SV_WHY_MAX];
	const char *why, *s = scalar(v);
	int n = 0;

	if (!s)
		return refuse(c, v, "a value must be a string, a number, null or a list of them");
	why = irk_sv_compile(s, v->data.scalar.length, is_null(v), mods, nmods, out, &n,
			     MAX_VALUE_VARIANTS, whybuf);
	if (why)
		return refuse(c, v, "%s%s%s", why, it->field ? " in field " : "",
			      it->field ? it->field : "");
	it->vals = irk_realloc(it->vals, sizeof(struct sv) * (size_t)(it->nvals + n));
	memcpy(it->vals + it->nvals, out, sizeof(struct sv) * (size_t)n);
	it->nvals += n;
	return 0;
}

static int split_mods(struct ctx *c, yaml_node_t *k, char *key, char **field, const char **mods,
		      int *nmods, struct item *it)
{
	char *bar = strchr(key, '|');

	*nmods = 0;
	*field = key;
	if (!bar)
		return 0;
	*bar = 0;
	for (char *m = bar + 1; m; ) {
		char *nx = strchr(m, '|');
		if (nx)
			*nx++ = 0;
		if (!*m)
			return refuse(c, k, "an empty modifier in '%s'", scalar(k));
		if (!strcmp(m, "all"))
			it->all = 1;
		else if (!strcmp(m, "neq"))
			it->neq = 1;
		else if (*nmods >= MAX_MODS)
			return refuse(c, k, "too many modifiers");
		else
			mods[(*nmods)++] = m;
		m = nx;
	}
	return 0;
}

static int parse_map(struct ctx *c, yaml_node_t *map, struct smap *sm)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
		struct item it = { 0 };
		const char *mods[MAX_MODS];
		char *key, *field;
		int nmods, rc = 0;

		if (!scalar(k))
			return refuse(c, k, "a field name must be a string");
		key = irk_strdup(scalar(k));
		if (split_mods(c, k, key, &field, mods, &nmods, &it)) {
			free(key);
			return -1;
		}
		it.field = *field ? irk_strdup(field) : NULL;
		it.fid = it.field ? irk_field_id(it.field) : -1;
		if (!it.field && !nmods)
			mods[nmods++] = "contains";
		if (v->type == YAML_SEQUENCE_NODE) {
			if (v->data.sequence.items.start == v->data.sequence.items.top)
				rc = refuse(c, v, "an empty list of values for '%s'", scalar(k));
			for (yaml_node_item_t *i = v->data.sequence.items.start;
			     !rc && i < v->data.sequence.items.top; i++)
				rc = add_value(c, &it, node(c, *i), mods, nmods);
		} else if (v->type == YAML_MAPPING_NODE) {
			rc = refuse(c, v, "'%s' holds a map; Sigma values are strings, numbers, null or lists",
				    scalar(k));
		} else {
			rc = add_value(c, &it, v, mods, nmods);
		}
		free(key);
		sm->items = irk_realloc(sm->items, sizeof(struct item) * (size_t)(sm->nitems + 1));
		sm->items[sm->nitems++] = it;
		if (rc)
			return -1;
	}
	return 0;
}

static int parse_selection(struct ctx *c, const char *name, yaml_node_t *v, struct selection *s)
{
	s->name = irk_strdup(name);
	s->line = (int)v->start_mark.line + 1;
	if (v->type == YAML_MAPPING_NODE) {
		s->maps = irk_calloc(1, sizeof(struct smap));
		s->nmaps = 1;
		return parse_map(c, v, &s->maps[0]);
	}
	if (v->type == YAML_SCALAR_NODE || v->type == YAML_SEQUENCE_NODE) {
		int maps = 0, scalars = 0;
		if (v->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *i = v->data.sequence.items.start;
			     i < v->data.sequence.items.top; i++) {
				yaml_node_t *e = node(c, *i);
				maps += e->type == YAML_MAPPING_NODE;
				scalars += e->type == YAML_SCALAR_NODE;
			}
			if (maps && scalars)
				return refuse(c, v, "selection '%s' mixes keywords and maps", name);
			if (!maps && !scalars)
				return refuse(c, v, "selection '%s' is empty", name);
		}
		if (maps) {
			s->maps = irk_calloc((size_t)maps, sizeof(struct smap));
			for (yaml_node_item_t *i = v->data.sequence.items.start;
			     i < v->data.sequence.items.top; i++)
				if (parse_map(c, node(c, *i), &s->maps[s->nmaps++]))
					return -1;
			return 0;
		}
		/* keywords: anywhere in the line */
		{
			const char *mods[1] = { "contains" };
			struct item it = { 0 };
			int rc = 0;
			it.fid = -1;
			s->maps = irk_calloc(1, sizeof(struct smap));
			s->nmaps = 1;
			if (v->type == YAML_SCALAR_NODE)
				rc = add_value(c, &it, v, mods, 1);
			for (yaml_node_item_t *i = v->type == YAML_SEQUENCE_NODE ? v->data.sequence.items.start : NULL;
			     !rc && i && i < v->data.sequence.items.top; i++)
				rc = add_value(c, &it, node(c, *i), mods, 1);
			s->maps[0].items = irk_calloc(1, sizeof(struct item));
			s->maps[0].items[0] = it;
			s->maps[0].nitems = 1;
			return rc;
		}
	}
	return refuse(c, v, "selection '%s' is neither a map, a list nor a keyword", name);
}

static int parse_detection(struct ctx *c, yaml_node_t *det, struct irk_sigma_rule *r)
{
	struct irk_sigma_detection *d = irk_calloc(1, sizeof(*d));
	yaml_node_t *cond = NULL;
	struct irk_buf text = IRK_BUF_INIT;
	char why[200];

	r->det = d;
	d->ls_category = r->category;
	d->ls_product = !r->product ? LS_ANY : !strcmp(r->product, "linux") ? LS_LINUX : LS_APPLICATION;
	d->ls_service = !r->service ? LS_SVC_ANY : !strcmp(r->service, "syslog") ? LS_SVC_SYSLOG
			: !strcmp(r->service, "auth") ? LS_SVC_AUTH : LS_SVC_NAMED;
	d->ls_service_name = r->service;
	d->ls_service_lit = r->service ? irk_log_service_literal(r->service) : NULL;
	if (det->type != YAML_MAPPING_NODE)
		return refuse(c, det, "detection must be a map");
	for (yaml_node_pair_t *p = det->data.mapping.pairs.start; p < det->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
		const char *name = scalar(k);
		if (!name)
			return refuse(c, k, "a selection name must be a string");
		if (!strcmp(name, "condition")) {
			cond = v;
			continue;
		}
		if (!strcmp(name, "timeframe"))
			return refuse(c, k, "timeframe belongs to correlation rules (correlation: timespan)");
		d->sels = irk_realloc(d->sels, sizeof(struct selection) * (size_t)(d->nsel + 1));
		memset(&d->sels[d->nsel], 0, sizeof(struct selection));
		d->nsel++;
		if (parse_selection(c, name, v, &d->sels[d->nsel - 1]))
			return -1;
	}
	if (!cond)
		return refuse(c, det, "detection has no condition");
	if (scalar(cond)) {
		irk_buf_adds(&text, scalar(cond));
	} else if (cond->type == YAML_SEQUENCE_NODE) {
		/* a list of conditions: any of them */
		for (yaml_node_item_t *i = cond->data.sequence.items.start; i < cond->data.sequence.items.top; i++) {
			if (!scalar(node(c, *i))) {
				irk_buf_release(&text);
				return refuse(c, node(c, *i), "a condition must be a string");
			}
			irk_buf_addf(&text, "%s(%s)", text.len ? " or " : "", scalar(node(c, *i)));
		}
	}
	d->cond = irk_cond_parse(text.buf, d, why, sizeof(why));
	irk_buf_release(&text);
	if (!d->cond)
		return refuse(c, cond, "condition: %s", why);
	return 0;
}

static int parse_logsource(struct ctx *c, yaml_node_t *ls, struct irk_sigma_rule *r)
{
	static const char *const services[] = { "auth",	    "syslog",  "sshd",	   "sudo",
						"su",	    "useradd", "groupadd", "usermod",
						"userdel",  "groupdel", "gpasswd", "passwd",
						"chpasswd", "cron",	"login",   "systemd-logind",
						NULL };
	yaml_node_t *n;
	int ok = 0;

	if (!ls)
		return refuse(c, NULL, "the rule has no logsource");
	if (ls->type != YAML_MAPPING_NODE)
		return refuse(c, ls, "logsource must be a map");
	if ((n = get(c, ls, "product"))) {
		const char *p = scalar(n);
		if (!p || (strcmp(p, "linux") && strcmp(p, "json") && strcmp(p, "application")))
			return refuse(c, n, "logsource product '%s' is not read by irk (linux, json or application)",
				      p ? p : "?");
		r->product = irk_strdup(!strcmp(p, "linux") ? "linux" : "application");
	}
	if ((n = get(c, ls, "category"))) {
		const char *p = scalar(n);
		if (!p || (strcmp(p, "webserver") && strcmp(p, "application")))
			return refuse(c, n, "logsource category '%s' is not read by irk (webserver or application)",
				      p ? p : "?");
		r->category = irk_strdup(p);
	}
	if ((n = get(c, ls, "service"))) {
		const char *p = scalar(n);
		for (int i = 0; p && services[i]; i++)
			ok |= !strcmp(p, services[i]);
		if (!ok)
			return refuse(c, n, "logsource service '%s' is not read by irk (auth, syslog, sshd, sudo, su, the user and group tools, cron, login)",
				      p ? p : "?");
		r->service = irk_strdup(p);
	}
	if (!r->product && !r->category && !r->service)
		return refuse(c, ls, "logsource names no product, category or service");
	return 0;
}

static int parse_timespan(const char *s, int64_t *ms)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	int64_t unit;

	if (end == s || v <= 0 || v > 1000000)
		return -1;
	switch (*end) {
	case 's': unit = 1000; break;
	case 'm': unit = 60000; break;
	case 'h': unit = 3600000; break;
	case 'd': unit = 86400000; break;
	case 'w': unit = 7 * 86400000LL; break;
	default: return -1;
	}
	if (end[1])
		return -1;
	*ms = v * unit;
	return 0;
}

static void add_strings(struct ctx *c, yaml_node_t *n, char ***out, int *count)
{
	if (scalar(n)) {
		*out = irk_realloc(*out, sizeof(char *) * (size_t)(*count + 1));
		(*out)[(*count)++] = dup_scalar(n);
		return;
	}
	if (n && n->type == YAML_SEQUENCE_NODE)
		for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++)
			add_strings(c, node(c, *i), out, count);
}

static int parse_correlation(struct ctx *c, yaml_node_t *co, struct irk_sigma_rule *r)
{
	static const char *const types[] = { "", "event_count", "value_count", "temporal",
					     "temporal_ordered", NULL };
	static const char *const cmps[] = { "gt", "gte", "lt", "lte", "eq", "neq", NULL };
	yaml_node_t *n, *cond, *aliases;
	const char *t;
	int found = 0;

	if (co->type != YAML_MAPPING_NODE)
		return refuse(c, co, "correlation must be a map");
	t = scalar(get(c, co, "type"));
	for (int i = 1; t && types[i]; i++)
		if (!strcmp(t, types[i]))
			r->corr = (enum irk_corr_type)i;
	if (!r->corr)
		return refuse(c, get(c, co, "type") ? get(c, co, "type") : co,
			      "correlation type '%s' is not supported (event_count, value_count, temporal, temporal_ordered)",
			      t ? t : "(none)");
	add_strings(c, get(c, co, "rules"), &r->ref_names, &r->nrefs);
	if (!r->nrefs)
		return refuse(c, co, "a correlation needs 'rules'");
	add_strings(c, get(c, co, "group-by"), &r->group_by, &r->ngroup);
	for (int g = 0; g < r->ngroup; g++)
		for (int k = 0; k < g; k++)
			if (!strcmp(r->group_by[k], r->group_by[g]))
				return refuse(c, get(c, co, "group-by"),
					      "group-by names '%s' twice", r->group_by[g]);
	if (!(n = get(c, co, "timespan")) || !scalar(n) || parse_timespan(scalar(n), &r->timespan_ms))
		return refuse(c, n ? n : co, "a correlation needs a timespan such as 10m, 1h or 2d");
	r->generate = !!scalar(get(c, co, "generate")) && !strcmp(scalar(get(c, co, "generate")), "true");
	cond = get(c, co, "condition");
	if (cond && cond->type == YAML_MAPPING_NODE) {
		for (int i = 0; cmps[i]; i++)
			if ((n = get(c, cond, cmps[i]))) {
				char *end;
				if (!scalar(n) || (r->threshold = strtoll(scalar(n), &end, 10), *end) ||
				    end == scalar(n))
					return refuse(c, n, "the correlation condition needs a whole number");
				r->cmp = (enum irk_cmp)i;
				found++;
			}
		if (found != 1)
			return refuse(c, cond, "the correlation condition needs exactly one of gt, gte, lt, lte, eq, neq");
		r->count_field = dup_scalar(get(c, cond, "field"));
	} else if (cond) {
		return refuse(c, cond, "the correlation condition must be a map such as {gte: 5}");
	} else if (r->corr == IRK_CORR_TEMPORAL || r->corr == IRK_CORR_TEMPORAL_ORDERED) {
		r->cmp = IRK_CMP_GTE;
		r->threshold = r->nrefs;
	} else {
		return refuse(c, co, "this correlation needs a condition such as {gte: 5}");
	}
	if (r->cmp == IRK_CMP_LT || r->cmp == IRK_CMP_LTE)
		return refuse(c, cond, "lt and lte correlation conditions are not supported: a stream never sees a window end");
	if (r->corr == IRK_CORR_VALUE_COUNT && !r->count_field)
		return refuse(c, cond, "value_count needs the field to count: condition: {field: user, gte: 5}");
	/* aliases: name -> {rule: field}; resolved per referenced rule in irk_ruleset_link */
	r->group_field = irk_calloc((size_t)r->ngroup + 1, sizeof(char **));
	aliases = get(c, co, "aliases");
	for (int g = 0; g < r->ngroup; g++) {
		yaml_node_t *al = get(c, aliases, r->group_by[g]);
		r->group_field[g] = irk_calloc((size_t)r->nrefs, sizeof(char *));
		for (int i = 0; i < r->nrefs; i++) {
			const char *f = scalar(get(c, al, r->ref_names[i]));
			if (al && !f)
				return refuse(c, al, "alias '%s' does not name a field for rule '%s'",
					      r->group_by[g], r->ref_names[i]);
			r->group_field[g][i] = irk_strdup(f ? f : r->group_by[g]);
		}
	}
	return 0;
}

static void add_status(struct irk_ruleset *rs, const char *file, int line, const char *title,
		       const char *why)
{
	struct irk_rule_status *st;

	rs->status = irk_realloc(rs->status, sizeof(*st) * (size_t)(rs->nstatus + 1));
	st = &rs->status[rs->nstatus++];
	st->file = irk_strdup(file);
	st->line = line;
	st->title = title ? irk_strdup(title) : NULL;
	st->ok = !why;
	st->reason = why ? irk_strdup(why) : NULL;
	if (why)
		rs->nrefused++;
}

static void load_document(struct irk_ruleset *rs, struct ctx *c, yaml_node_t *root)
{
	struct irk_sigma_rule *r = irk_calloc(1, sizeof(*r));
	yaml_node_t *det, *co;
	int rc = 0;

	c->line = (int)root->start_mark.line + 1;
	c->why[0] = 0;
	r->file = irk_strdup(c->file);
	r->line = c->line;
	if (root->type != YAML_MAPPING_NODE) {
		rc = refuse(c, root, "a rule must be a YAML map");
	} else if (get(c, root, "action")) {
		rc = refuse(c, get(c, root, "action"),
			    "rule collections (action: global, reset, repeat) are not supported: write each rule whole");
	} else {
		r->title = dup_scalar(get(c, root, "title"));
		r->id = dup_scalar(get(c, root, "id"));
		r->name = dup_scalar(get(c, root, "name"));
		r->level = dup_scalar(get(c, root, "level"));
		r->description = dup_scalar(get(c, root, "description"));
		det = get(c, root, "detection");
		co = get(c, root, "correlation");
		if (!r->title)
			rc = refuse(c, root, "the rule has no title");
		else if (det && co)
			rc = refuse(c, co, "a rule has either a detection or a correlation, not both");
		else if (det)
			rc = parse_logsource(c, get(c, root, "logsource"), r) ||
			     parse_detection(c, det, r);
		else if (co)
			rc = parse_correlation(c, co, r);
		else
			rc = refuse(c, root, "the rule has neither a detection nor a correlation");
		for (int i = 0; !rc && i < rs->nrules; i++)
			if (r->id && rs->rules[i]->id && !strcmp(r->id, rs->rules[i]->id))
				rc = refuse(c, get(c, root, "id"), "id %s is already used by %s:%d", r->id,
					    rs->rules[i]->file, rs->rules[i]->line);
	}
	add_status(rs, c->file, c->line, r->title, rc ? c->why : NULL);
	if (rc) {
		free_rule(r);
		return;
	}
	if (!r->level)
		r->level = irk_strdup("medium");
	r->status_index = rs->nstatus - 1;
	rs->rules = irk_realloc(rs->rules, sizeof(*rs->rules) * (size_t)(rs->nrules + 1));
	rs->rules[rs->nrules++] = r;
}

void irk_ruleset_load_text(struct irk_ruleset *rs, const char *file, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct ctx c = { file, &doc, 0, "" };

	if (!yaml_parser_initialize(&parser)) {
		add_status(rs, file, 0, NULL, "the YAML parser could not start");
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		yaml_node_t *root;
		if (!yaml_parser_load(&parser, &doc)) {
			char why[300];
			snprintf(why, sizeof(why), "YAML: %s%s%s", parser.problem ? parser.problem : "error",
				 parser.context ? " " : "", parser.context ? parser.context : "");
			add_status(rs, file, (int)parser.problem_mark.line + 1, NULL, why);
			break;
		}
		root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		load_document(rs, &c, root);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum irk_code load_dir(struct irk_ruleset *rs, const char *path, int depth,
			      struct irk_err *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	int n = 0;
	enum irk_code rc = IRK_OK;

	if (depth > 16)
		return IRK_OK;
	if (!(d = opendir(path)))
		return irk_fail(err, IRK_EIO, "cannot read the rule directory %s", path);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = irk_realloc(names, sizeof(char *) * (size_t)(n + 1));
		names[n++] = irk_strdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, (size_t)n, sizeof(char *), cmp_names);
	for (int i = 0; i < n; i++) {
		struct irk_buf p = IRK_BUF_INIT;
		struct stat st;
		irk_path_join(&p, path, names[i]);
		if (!rc && !stat(p.buf, &st)) {
			if (S_ISDIR(st.st_mode))
				rc = load_dir(rs, p.buf, depth + 1, err);
			else if (ends_with(names[i], ".yml") || ends_with(names[i], ".yaml"))
				rc = irk_ruleset_load_path(rs, p.buf, err);
		}
		irk_buf_release(&p);
		free(names[i]);
	}
	free(names);
	return rc;
}

enum irk_code irk_ruleset_load_path(struct irk_ruleset *rs, const char *path,
				    struct irk_err *err)
{
	struct irk_buf text = IRK_BUF_INIT;
	struct stat st;
	enum irk_code rc;

	if (stat(path, &st))
		return irk_fail(err, IRK_ENOTFOUND, "no rule file or directory %s", path);
	if (S_ISDIR(st.st_mode))
		return load_dir(rs, path, 0, err);
	rc = irk_read_file(path, IRK_RULE_FILE_MAX, &text, err);
	if (rc) {
		irk_err_prefix(err, "rule file %s", path);
		irk_buf_release(&text);
		return rc;
	}
	irk_ruleset_load_text(rs, path, text.buf, text.len);
	irk_buf_release(&text);
	return IRK_OK;
}

void irk_ruleset_load_bundled(struct irk_ruleset *rs)
{
	for (const struct irk_embedded *e = irk_embedded_files; e->path; e++)
		if (!strncmp(e->path, "rules/", 6))
			irk_ruleset_load_text(rs, e->path, (const char *)e->data, e->size);
}

static int find_rule(struct irk_ruleset *rs, const char *ref)
{
	for (int i = 0; i < rs->nrules; i++)
		if ((rs->rules[i]->name && !strcmp(rs->rules[i]->name, ref)) ||
		    (rs->rules[i]->id && !strcmp(rs->rules[i]->id, ref)))
			return i;
	return -1;
}

static void drop_rule(struct irk_ruleset *rs, int i, const char *why)
{
	struct irk_rule_status *st = &rs->status[rs->rules[i]->status_index];

	st->ok = 0;
	free(st->reason);
	st->reason = irk_strdup(why);
	rs->nrefused++;
	free_rule(rs->rules[i]);
	memmove(rs->rules + i, rs->rules + i + 1, sizeof(*rs->rules) * (size_t)(rs->nrules - i - 1));
	rs->nrules--;
}

/* The correlation's depth in a chain (0 for detections), or -1 for a cycle. */
static int chain_depth(struct irk_ruleset *rs, int i, int depth)
{
	struct irk_sigma_rule *r = rs->rules[i];
	int max = 0;

	if (depth > 16)
		return -1;
	if (!r->corr)
		return 0;
	for (int k = 0; k < r->nrefs; k++) {
		int d = r->refs[k] < 0 ? 0 : chain_depth(rs, r->refs[k], depth + 1);
		if (d < 0)
			return -1;
		max = d + 1 > max ? d + 1 : max;
	}
	return max;
}

void irk_ruleset_link(struct irk_ruleset *rs)
{
	int changed = 1;

	while (changed) {
		changed = 0;
		/* resolve every reference first (indices change when a rule is dropped) */
		for (int i = 0; i < rs->nrules && !changed; i++) {
			struct irk_sigma_rule *r = rs->rules[i];
			char why[300];
			if (!r->corr)
				continue;
			free(r->refs);
			r->refs = irk_calloc((size_t)r->nrefs, sizeof(int));
			for (int k = 0; k < r->nrefs; k++) {
				r->refs[k] = find_rule(rs, r->ref_names[k]);
				if (r->refs[k] < 0 || r->refs[k] == i) {
					snprintf(why, sizeof(why), "the correlation refers to '%s', %s",
						 r->ref_names[k],
						 r->refs[k] < 0 ? "which is not a loaded rule (name or id)"
								: "itself");
					drop_rule(rs, i, why);
					changed = 1;
					break;
				}
			}
		}
		for (int i = 0; i < rs->nrules && !changed; i++)
			if (rs->rules[i]->corr && chain_depth(rs, i, 0) < 0) {
				drop_rule(rs, i, "the correlation chain is circular or deeper than 16");
				changed = 1;
			}
	}
	for (int i = 0; i < rs->nrules; i++)
		rs->rules[i]->referenced = 0;
	for (int i = 0; i < rs->nrules; i++) {
		struct irk_sigma_rule *r = rs->rules[i];
		for (int k = 0; r->corr && k < r->nrefs; k++)
			if (!r->generate)
				rs->rules[r->refs[k]]->referenced = 1;
	}
}

void irk_ruleset_init(struct irk_ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
}

void irk_ruleset_release(struct irk_ruleset *rs)
{
	for (int i = 0; i < rs->nrules; i++)
		free_rule(rs->rules[i]);
	for (int i = 0; i < rs->nstatus; i++) {
		free(rs->status[i].file);
		free(rs->status[i].title);
		free(rs->status[i].reason);
	}
	free(rs->rules);
	free(rs->status);
	memset(rs, 0, sizeof(*rs));
}
