/* yamldoc.c - loading and walking small YAML documents; see irk/yamldoc.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "irk/buf.h"
#include "irk/text.h"
#include "irk/yamldoc.h"

/*
 * A first pass over the events: refuse deep nesting before libyaml's loader
 * (whose time grows badly with depth) sees it, and count the nodes.
 */
static enum irk_code check_shape(const char *text, size_t len, const char *source,
				 struct irk_err *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	enum irk_code rc = IRK_OK;
	int depth = 0, done = 0;
	size_t nodes = 0;

	if (!yaml_parser_initialize(&p))
		return irk_fail(err, IRK_EINTERNAL, "%s: cannot start the YAML parser", source);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && !rc) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = irk_fail(err, IRK_EINVAL, "%s:%zu: %s%s%s", source,
				      (p.problem_mark.line ? p.problem_mark.line : p.context_mark.line) + 1,
				      p.problem ? p.problem : "malformed YAML", p.context ? " " : "",
				      p.context ? p.context : "");
			break;
		}
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > IRK_YAML_DEPTH_MAX)
				rc = irk_fail(err, IRK_EINVAL, "%s:%zu: nested more than %d levels deep",
					      source, ev.start_mark.line + 1, IRK_YAML_DEPTH_MAX);
			/* fall through */
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (!rc && ++nodes > IRK_YAML_NODES_MAX)
				rc = irk_fail(err, IRK_EINVAL, "%s: more than %d YAML nodes", source,
					      IRK_YAML_NODES_MAX);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

enum irk_code irk_yaml_load(const char *text, size_t len, const char *source,
			    struct irk_yamldoc *y, struct irk_err *err)
{
	yaml_parser_t p;
	yaml_node_t *root;
	enum irk_code rc;
	size_t bad;

	memset(y, 0, sizeof(*y));
	y->source = source;
	if (len > IRK_YAML_MAX)
		return irk_fail(err, IRK_EINVAL, "%s: larger than %d bytes", source, IRK_YAML_MAX);
	if ((bad = irk_utf8_check(text, len)) != 0)
		return irk_fail(err, IRK_EINVAL, "%s: byte %zu: not valid UTF-8 text", source, bad);
	if ((rc = check_shape(text, len, source, err)))
		return rc;
	if (!yaml_parser_initialize(&p))
		return irk_fail(err, IRK_EINTERNAL, "%s: cannot start the YAML parser", source);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		irk_fail(err, IRK_EINVAL, "%s:%zu: %s%s%s", source,
			 (p.problem_mark.line ? p.problem_mark.line : p.context_mark.line) + 1,
			 p.problem ? p.problem : "malformed YAML", p.context ? " " : "",
			 p.context ? p.context : "");
		yaml_parser_delete(&p);
		return IRK_EINVAL;
	}
	yaml_parser_delete(&p);
	y->loaded = 1;
	root = yaml_document_get_root_node(&y->doc);
	if (!root)
		return irk_fail(err, IRK_EINVAL, "%s: the file is empty", source);
	if (root->type != YAML_MAPPING_NODE)
		return irk_yaml_fail(y, root, err, "the file must be a mapping of keys to values");
	return IRK_OK;
}

void irk_yaml_release(struct irk_yamldoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
}

yaml_node_t *irk_yaml_root(struct irk_yamldoc *y)
{
	return yaml_document_get_root_node(&y->doc);
}

const char *irk_yaml_text(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

yaml_node_t *irk_yaml_get(struct irk_yamldoc *y, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = irk_yaml_text(yaml_document_get_node(&y->doc, p->key));
		if (k && !strcmp(k, key))
			return yaml_document_get_node(&y->doc, p->value);
	}
	return NULL;
}

size_t irk_yaml_count(yaml_node_t *seq)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *irk_yaml_item(struct irk_yamldoc *y, yaml_node_t *seq, size_t i)
{
	if (i >= irk_yaml_count(seq))
		return NULL;
	return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

int irk_yaml_line(yaml_node_t *n)
{
	return n ? (int)n->start_mark.line + 1 : 0;
}

enum irk_code irk_yaml_fail(struct irk_yamldoc *y, yaml_node_t *n, struct irk_err *err,
			    const char *fmt, ...)
{
	struct irk_buf msg = IRK_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	irk_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	irk_fail(err, IRK_EINVAL, "%s:%d: %s", y->source, irk_yaml_line(n), msg.buf);
	irk_buf_release(&msg);
	return IRK_EINVAL;
}

enum irk_code irk_yaml_known_keys(struct irk_yamldoc *y, yaml_node_t *map,
				  const char *const *known, struct irk_err *err)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return irk_yaml_fail(y, map, err, "expected a mapping (key: value lines)");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&y->doc, p->key);
		const char *k = irk_yaml_text(kn);
		int found = 0;
		if (!k)
			return irk_yaml_fail(y, kn, err, "a key must be plain text");
		for (size_t i = 0; known[i]; i++)
			found |= !strcmp(known[i], k);
		if (!found)
			return irk_yaml_fail(y, kn, err, "unknown key '%s'", k);
	}
	return IRK_OK;
}

enum irk_code irk_yaml_string(struct irk_yamldoc *y, yaml_node_t *map, const char *key,
			      int required, size_t max, const char **out, struct irk_err *err)
{
	yaml_node_t *n = irk_yaml_get(y, map, key);
	const char *s = irk_yaml_text(n);

	*out = NULL;
	if (!n) {
		if (required)
			return irk_yaml_fail(y, map, err, "'%s' is missing", key);
		return IRK_OK;
	}
	if (!s)
		return irk_yaml_fail(y, n, err, "'%s' must be text, not a list or mapping", key);
	if (!*s || strlen(s) > max)
		return irk_yaml_fail(y, n, err, "'%s' must be between 1 and %zu bytes", key, max);
	*out = s;
	return IRK_OK;
}

enum irk_code irk_yaml_one_of(struct irk_yamldoc *y, yaml_node_t *map, const char *key,
			      const char *value, const char *const *list, struct irk_err *err)
{
	struct irk_buf s = IRK_BUF_INIT;
	size_t i;

	if (!value)
		return IRK_OK;
	for (i = 0; list[i]; i++)
		if (!strcmp(list[i], value))
			return IRK_OK;
	for (i = 0; list[i]; i++)
		irk_buf_addf(&s, "%s%s", i ? (list[i + 1] ? ", " : " or ") : "", list[i]);
	irk_yaml_fail(y, irk_yaml_get(y, map, key), err, "%s '%s' is not %s", key, value, s.buf);
	irk_buf_release(&s);
	return IRK_EINVAL;
}
