/*
 * yamldoc.h - reading a small YAML document (playbooks, drill scenarios)
 * with libyaml, so that every complaint can name the file and the line.
 *
 * The whole document is loaded (at most IRK_YAML_MAX bytes, IRK_YAML_NODES_MAX
 * nodes, nested at most IRK_YAML_DEPTH_MAX deep), then walked by schema-specific code with the
 * accessors below.  Errors read "<source>:<line>: <reason>".
 */
#ifndef IRK_YAMLDOC_H
#define IRK_YAMLDOC_H

#include <stddef.h>
#include <yaml.h>

#include "irk/error.h"

#define IRK_YAML_MAX (256 * 1024)
#define IRK_YAML_NODES_MAX 20000
#define IRK_YAML_DEPTH_MAX 32

struct irk_yamldoc {
	yaml_document_t doc;
	const char *source; /* borrowed; names the file in errors */
	int loaded;
};

/* Load one document; an empty or non-mapping document is refused. */
enum irk_code irk_yaml_load(const char *text, size_t len, const char *source,
			    struct irk_yamldoc *y, struct irk_err *err);
void irk_yaml_release(struct irk_yamldoc *y);

yaml_node_t *irk_yaml_root(struct irk_yamldoc *y);
/* The value under `key` in mapping `map`, or NULL. */
yaml_node_t *irk_yaml_get(struct irk_yamldoc *y, yaml_node_t *map, const char *key);
/* A scalar's text, or NULL when `n` is not a scalar. */
const char *irk_yaml_text(yaml_node_t *n);
/* Number of items of a sequence (0 if not one) and the i-th item. */
size_t irk_yaml_count(yaml_node_t *seq);
yaml_node_t *irk_yaml_item(struct irk_yamldoc *y, yaml_node_t *seq, size_t i);
/* 1-based line of a node. */
int irk_yaml_line(yaml_node_t *n);

/* Fail with "<source>:<line of n>: <message>" (IRK_EINVAL). */
enum irk_code irk_yaml_fail(struct irk_yamldoc *y, yaml_node_t *n, struct irk_err *err,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Refuse keys of `map` not in `known` (NULL-terminated), and non-scalar
 * keys, naming the first offender.
 */
enum irk_code irk_yaml_known_keys(struct irk_yamldoc *y, yaml_node_t *map,
				  const char *const *known, struct irk_err *err);

/*
 * A required (or optional, when `required` is 0) one-line scalar under
 * `key`: *out is NULL when absent and optional.
 */
enum irk_code irk_yaml_string(struct irk_yamldoc *y, yaml_node_t *map, const char *key,
			      int required, size_t max, const char **out, struct irk_err *err);

/*
 * When `value` (the text under `key`) is set, it must be one of `list`
 * (NULL-terminated): otherwise fail naming the line and the choices.
 */
enum irk_code irk_yaml_one_of(struct irk_yamldoc *y, yaml_node_t *map, const char *key,
			      const char *value, const char *const *list, struct irk_err *err);

#endif
