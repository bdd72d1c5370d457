/* playbook.c - loading, checking and instantiating playbooks; see irk/playbook.h. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "irk/contact.h"
#include "irk/crew.h"
#include "irk/duty.h"
#include "irk/embedded.h"
#include "irk/fs.h"
#include "irk/playbook.h"
#include "irk/span.h"
#include "irk/task.h"
#include "irk/text.h"
#include "irk/timefmt.h"
#include "irk/yamldoc.h"

static const char *const audiences[] = { "internal", "customers", "partners", "press",
					 "regulator", "law-enforcement", NULL };

/* Playbook names are file names: a-z, 0-9 and '-', at most 48. */
static int good_name(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!islower((unsigned char)s[n]) && !isdigit((unsigned char)s[n]) && s[n] != '-')
			return 0;
	return n > 0 && n <= 48;
}

static enum irk_code span_of(struct irk_yamldoc *y, yaml_node_t *map, const char *key,
			     const char *value, json_t *o, const char *field, struct irk_err *err)
{
	int64_t s;

	if (!value)
		return IRK_OK;
	if (irk_span_parse(value, &s, NULL))
		return irk_yaml_fail(y, irk_yaml_get(y, map, key), err,
				     "%s '%s' is not a length of time (e.g. 30m, 4h, 3d)", key, value);
	json_object_set_new(o, field, json_integer(s));
	return IRK_OK;
}

/* A list under `key` of at most `max` mappings, each checked by `fn` into `arr`. */
typedef enum irk_code (*item_fn)(struct irk_yamldoc *y, yaml_node_t *item, json_t *arr,
				 struct irk_err *err);

static enum irk_code each_item(struct irk_yamldoc *y, yaml_node_t *root, const char *key,
			       size_t max, item_fn fn, json_t *arr, struct irk_err *err)
{
	yaml_node_t *seq = irk_yaml_get(y, root, key);
	enum irk_code rc;

	if (!seq)
		return IRK_OK;
	if (seq->type != YAML_SEQUENCE_NODE)
		return irk_yaml_fail(y, seq, err, "'%s' must be a list ('- ' items)", key);
	if (irk_yaml_count(seq) > max)
		return irk_yaml_fail(y, seq, err, "more than %zu %s", max, key);
	for (size_t i = 0; i < irk_yaml_count(seq); i++)
		if ((rc = fn(y, irk_yaml_item(y, seq, i), arr, err)))
			return rc;
	return IRK_OK;
}

static enum irk_code task_item(struct irk_yamldoc *y, yaml_node_t *m, json_t *arr,
			       struct irk_err *err)
{
	static const char *const keys[] = { "title", "phase", "role", "due", NULL };
	const char *title, *phase, *role, *due;
	enum irk_code rc;
	json_t *o;

	if ((rc = irk_yaml_known_keys(y, m, keys, err)) ||
	    (rc = irk_yaml_string(y, m, "title", 1, 200, &title, err)) ||
	    (rc = irk_yaml_string(y, m, "phase", 1, 16, &phase, err)) ||
	    (rc = irk_yaml_string(y, m, "role", 0, 16, &role, err)) ||
	    (rc = irk_yaml_string(y, m, "due", 0, 16, &due, err)))
		return rc;
	if (strchr(title, '\n') || strlen(title) > 127)
		return irk_yaml_fail(y, irk_yaml_get(y, m, "title"), err,
					     "a task title is one line of at most 127 bytes");
	if (!strcmp(phase, "closed"))
		return irk_yaml_fail(y, irk_yaml_get(y, m, "phase"), err,
				     "tasks belong to a phase before closed");
	if ((rc = irk_yaml_one_of(y, m, "phase", phase, irk_phases, err)) ||
	    (rc = irk_yaml_one_of(y, m, "role", role, irk_crew_roles, err)))
		return rc;
	o = json_pack("{s:s, s:s, s:s}", "title", title, "phase", phase, "role", role ? role : "lead");
	if ((rc = span_of(y, m, "due", due, o, "due_s", err))) {
		json_decref(o);
		return rc;
	}
	json_array_append_new(arr, o);
	return IRK_OK;
}

static enum irk_code duty_item(struct irk_yamldoc *y, yaml_node_t *m, json_t *arr,
			       struct irk_err *err)
{
	static const char *const keys[] = { "notify", "within", "clock", "why", NULL };
	const char *notify, *within, *clock, *why;
	enum irk_code rc;
	json_t *o;

	if ((rc = irk_yaml_known_keys(y, m, keys, err)) ||
	    (rc = irk_yaml_string(y, m, "notify", 1, 32, &notify, err)) ||
	    (rc = irk_yaml_string(y, m, "within", 1, 16, &within, err)) ||
	    (rc = irk_yaml_string(y, m, "clock", 0, 16, &clock, err)) ||
	    (rc = irk_yaml_string(y, m, "why", 1, 512, &why, err)) ||
	    (rc = irk_yaml_one_of(y, m, "notify", notify, irk_contact_roles, err)) ||
	    (rc = irk_yaml_one_of(y, m, "clock", clock, irk_duty_clocks, err)))
		return rc;
	o = json_pack("{s:s, s:s, s:s}", "notify", notify, "clock", clock ? clock : "detected", "why",
		      why);
	if ((rc = span_of(y, m, "within", within, o, "within_s", err))) {
		json_decref(o);
		return rc;
	}
	json_array_append_new(arr, o);
	return IRK_OK;
}

static enum irk_code message_item(struct irk_yamldoc *y, yaml_node_t *m, json_t *arr,
				  struct irk_err *err)
{
	static const char *const keys[] = { "name", "audience", "subject", "text", NULL };
	const char *name, *audience, *subject, *text;
	enum irk_code rc;
	json_t *o;

	if ((rc = irk_yaml_known_keys(y, m, keys, err)) ||
	    (rc = irk_yaml_string(y, m, "name", 1, 48, &name, err)) ||
	    (rc = irk_yaml_string(y, m, "audience", 1, 32, &audience, err)) ||
	    (rc = irk_yaml_string(y, m, "subject", 0, 200, &subject, err)) ||
	    (rc = irk_yaml_string(y, m, "text", 1, 16384, &text, err)) ||
	    (rc = irk_yaml_one_of(y, m, "audience", audience, audiences, err)))
		return rc;
	if (!good_name(name))
		return irk_yaml_fail(y, irk_yaml_get(y, m, "name"), err,
				     "a message name uses a-z, 0-9 and '-' only");
	o = json_pack("{s:s, s:s, s:s}", "name", name, "audience", audience, "text", text);
	json_object_set_new(o, "subject", subject ? json_string(subject) : json_null());
	json_array_append_new(arr, o);
	return IRK_OK;
}

enum irk_code irk_playbook_head(struct irk_yamldoc *y, yaml_node_t *root, const char *file_name,
				struct irk_playbook_head *h, struct irk_err *err)
{
	enum irk_code rc;

	if ((rc = irk_yaml_string(y, root, "name", 1, 48, &h->name, err)) ||
	    (rc = irk_yaml_string(y, root, "title", 1, 127, &h->title, err)) ||
	    (rc = irk_yaml_string(y, root, "category", 1, 32, &h->category, err)) ||
	    (rc = irk_yaml_string(y, root, "severity", 1, 16, &h->severity, err)) ||
	    (rc = irk_yaml_one_of(y, root, "category", h->category, irk_categories, err)) ||
	    (rc = irk_yaml_one_of(y, root, "severity", h->severity, irk_severities, err)))
		return rc;
	if (file_name && strcmp(file_name, h->name))
		return irk_yaml_fail(y, irk_yaml_get(y, root, "name"), err,
				     "the name '%s' does not match the file name '%s'", h->name,
				     file_name);
	return IRK_OK;
}

enum irk_code irk_playbook_parse(const char *text, size_t len, const char *source,
				 const char *name, json_t **out, struct irk_err *err)
{
	static const char *const keys[] = { "name",    "title", "category", "severity", "summary",
					    "tasks",   "duties", "messages", NULL };
	struct irk_yamldoc y;
	struct irk_playbook_head h;
	const char *summary;
	json_t *pb = NULL, *tasks = json_array(), *duties = json_array(), *msgs = json_array();
	yaml_node_t *root;
	enum irk_code rc;

	if ((rc = irk_yaml_load(text, len, source, &y, err)))
		goto done;
	root = irk_yaml_root(&y);
	if ((rc = irk_yaml_known_keys(&y, root, keys, err)) ||
	    (rc = irk_playbook_head(&y, root, name, &h, err)) ||
	    (rc = irk_yaml_string(&y, root, "summary", 1, 4096, &summary, err)))
		goto done;
	if (!good_name(h.name)) {
		rc = irk_yaml_fail(&y, irk_yaml_get(&y, root, "name"), err,
				   "a playbook name uses a-z, 0-9 and '-' only (at most 48)");
		goto done;
	}
	if ((rc = each_item(&y, root, "tasks", IRK_PLAYBOOK_TASKS_MAX, task_item, tasks, err)) ||
	    (rc = each_item(&y, root, "duties", IRK_PLAYBOOK_DUTIES_MAX, duty_item, duties, err)) ||
	    (rc = each_item(&y, root, "messages", IRK_PLAYBOOK_MESSAGES_MAX, message_item, msgs, err)))
		goto done;
	if (json_array_size(tasks) == 0) {
		rc = irk_yaml_fail(&y, root, err, "a playbook needs at least one task");
		goto done;
	}
	pb = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:O}", "name", h.name, "title",
		       h.title, "category", h.category, "severity", h.severity, "summary", summary, "source", source,
		       "tasks", tasks, "duties", duties, "messages", msgs);
	*out = pb;
done:
	irk_yaml_release(&y);
	json_decref(tasks);
	json_decref(duties);
	json_decref(msgs);
	return rc;
}

/* The casebook's own file for `name`, into path. */
static void casebook_path(struct irk_casebook *cb, const char *name, struct irk_buf *path)
{
	irk_path_join(path, cb->dir, "playbooks");
	irk_buf_addf(path, "/%s.yml", name);
}

enum irk_code irk_playbook_load(struct irk_casebook *cb, const char *name, json_t **out,
				struct irk_err *err)
{
	struct irk_buf path = IRK_BUF_INIT, text = IRK_BUF_INIT;
	const struct irk_embedded *e;
	enum irk_code rc;

	if (!good_name(name)) {
		irk_fail(err, IRK_EINVAL, "'%s' is not a playbook name", name);
		irk_hint(err, "'irk playbook list' shows them");
		return IRK_EINVAL;
	}
	if (cb) {
		casebook_path(cb, name, &path);
		rc = irk_read_file(path.buf, IRK_YAML_MAX + 1, &text, err);
		if (rc == IRK_OK)
			rc = irk_playbook_parse(text.buf, text.len, path.buf, name, out, err);
		if (rc != IRK_ENOTFOUND)
			goto done;
		irk_err_clear(err);
	}
	irk_buf_reset(&path);
	irk_buf_addf(&path, "playbooks/%s.yml", name);
	e = irk_embedded_find(path.buf);
	if (!e) {
		irk_fail(err, IRK_ENOTFOUND, "no playbook '%s'", name);
		irk_hint(err, "'irk playbook list' shows them");
		rc = IRK_ENOTFOUND;
		goto done;
	}
	rc = irk_playbook_parse((const char *)e->data, e->size, e->path, name, out, err);
done:
	irk_buf_release(&path);
	irk_buf_release(&text);
	return rc;
}

static void list_one(struct irk_casebook *cb, json_t *arr, const char *name)
{
	struct irk_err sub = IRK_ERR_INIT;
	json_t *pb, *o;
	size_t i;

	json_array_foreach(arr, i, o)
		if (!strcmp(json_string_value(json_object_get(o, "name")), name))
			return;
	if (irk_playbook_load(cb, name, &pb, &sub)) {
		json_array_append_new(arr, json_pack("{s:s, s:n, s:n, s:n, s:n, s:s}", "name", name,
						     "title", "category", "severity", "source", "error",
						     sub.msg));
		return;
	}
	json_array_append_new(arr, json_pack("{s:s, s:O, s:O, s:O, s:O, s:n}", "name", name, "title",
					     json_object_get(pb, "title"), "category",
					     json_object_get(pb, "category"), "severity",
					     json_object_get(pb, "severity"), "source",
					     json_object_get(pb, "source"), "error"));
	json_decref(pb);
}

enum irk_code irk_playbook_list(struct irk_casebook *cb, json_t **out, struct irk_err *err)
{
	json_t *arr = json_array();
	char name[64];

	(void)err;
	if (cb) {
		struct irk_buf dir = IRK_BUF_INIT;
		DIR *d;
		struct dirent *de;
		irk_path_join(&dir, cb->dir, "playbooks");
		d = opendir(dir.buf);
		while (d && (de = readdir(d))) {
			size_t n = strlen(de->d_name);
			if (n > 4 && n < sizeof(name) && !strcmp(de->d_name + n - 4, ".yml")) {
				snprintf(name, sizeof(name), "%.*s", (int)(n - 4), de->d_name);
				if (good_name(name))
					list_one(cb, arr, name);
			}
		}
		if (d)
			closedir(d);
		irk_buf_release(&dir);
	}
	for (const struct irk_embedded *e = irk_embedded_files; e->path; e++) {
		const char *base = e->path + strlen("playbooks/");
		size_t n;
		if (strncmp(e->path, "playbooks/", 10) || strchr(base, '/'))
			continue;
		n = strlen(base);
		if (n > 4 && n < sizeof(name) && !strcmp(base + n - 4, ".yml")) {
			snprintf(name, sizeof(name), "%.*s", (int)(n - 4), base);
			list_one(cb, arr, name);
		}
	}
	*out = arr;
	return IRK_OK;
}

static enum irk_code instantiate(struct irk_casebook *cb, const struct irk_identity *id,
				 const char *inc, json_t *pb, struct irk_err *err)
{
	const char *name = json_string_value(json_object_get(pb, "name"));
	int64_t now = irk_now_ms(), num;
	struct irk_buf from = IRK_BUF_INIT, title = IRK_BUF_INIT;
	enum irk_code rc;
	json_t *t, *d;
	size_t i;

	irk_buf_addf(&from, "playbook %s", name);
	rc = irk_crew_append(cb, id, inc, "lead", irk_identity_who(id), NULL, err);
	json_array_foreach(json_object_get(pb, "tasks"), i, t) {
		const char *role = json_string_value(json_object_get(t, "role"));
		struct irk_task_new tn = { .phase = json_string_value(json_object_get(t, "phase")),
					   .from = from.buf };
		if (rc)
			break;
		irk_buf_reset(&title);
		irk_buf_adds(&title, json_string_value(json_object_get(t, "title")));
		if (strcmp(role, "lead"))
			irk_buf_addf(&title, " [%s]", role);
		tn.title = title.buf;
		if (json_is_integer(json_object_get(t, "due_s"))) {
			tn.has_due = 1;
			tn.due_ms = now + json_integer_value(json_object_get(t, "due_s")) * 1000;
		}
		rc = irk_task_append(cb, id, inc, &tn, &num, err);
	}
	json_array_foreach(json_object_get(pb, "duties"), i, d) {
		if (rc)
			break;
		rc = irk_duty_append(cb, id, inc, json_string_value(json_object_get(d, "notify")),
				     json_integer_value(json_object_get(d, "within_s")),
				     json_string_value(json_object_get(d, "clock")),
				     json_string_value(json_object_get(d, "why")), from.buf, err);
	}
	irk_buf_release(&from);
	irk_buf_release(&title);
	return rc;
}

enum irk_code irk_playbook_open(struct irk_casebook *cb, const struct irk_identity *id,
				const char *name, const struct irk_incident_new *n,
				char inc[IRK_CHAIN_MAX], struct irk_err *err)
{
	struct irk_incident_new with = *n;
	enum irk_code rc;
	json_t *pb;

	if ((rc = irk_playbook_load(cb, name, &pb, err)))
		return rc;
	if (!with.category)
		with.category = json_string_value(json_object_get(pb, "category"));
	if (!with.severity)
		with.severity = json_string_value(json_object_get(pb, "severity"));
	with.playbook = json_string_value(json_object_get(pb, "name"));
	if ((rc = irk_incident_open(cb, id, &with, inc, err)))
		goto done;
	if ((rc = irk_db_begin(cb->db, err)))
		goto done;
	if ((rc = instantiate(cb, id, inc, pb, err))) {
		irk_db_rollback(cb->db);
		irk_err_prefix(err, "%s was opened, but its playbook tasks were not recorded", inc);
		goto done;
	}
	rc = irk_db_commit(cb->db, err);
done:
	json_decref(pb);
	return rc;
}

static void fill(struct irk_buf *out, const char *tmpl, json_t *vars)
{
	const char *p = tmpl;

	while (*p) {
		const char *open = strstr(p, "{{"), *close;
		char key[32];
		json_t *v;
		if (!open || !(close = strstr(open, "}}"))) {
			irk_buf_adds(out, p);
			return;
		}
		irk_buf_add(out, p, (size_t)(open - p));
		snprintf(key, sizeof(key), "%.*s", (int)(close - open - 2), open + 2);
		v = json_object_get(vars, key);
		if (json_is_string(v))
			irk_buf_adds(out, json_string_value(v));
		else
			irk_buf_add(out, open, (size_t)(close + 2 - open));
		p = close + 2;
	}
}

enum irk_code irk_playbook_draft(struct irk_casebook *cb, const char *inc, const char *message,
				 struct irk_buf *out, struct irk_err *err)
{
	json_t *o = NULL, *pb = NULL, *m, *vars = NULL, *crew = NULL, *r;
	const char *name;
	enum irk_code rc;
	size_t i;

	if ((rc = irk_incident_get(cb, inc, &o, err)))
		return rc;
	name = json_string_value(json_object_get(o, "playbook"));
	if (!name) {
		irk_fail(err, IRK_ESTATE, "%s was not opened from a playbook", inc);
		rc = IRK_ESTATE;
		goto done;
	}
	if ((rc = irk_playbook_load(cb, name, &pb, err)) || (rc = irk_crew_list(cb, inc, &crew, err)))
		goto done;
	vars = json_pack("{s:O, s:O, s:O, s:O, s:O}", "incident", json_object_get(o, "id"), "title",
			 json_object_get(o, "title"), "severity", json_object_get(o, "severity"),
			 "category", json_object_get(o, "category"), "opened",
			 json_object_get(json_object_get(o, "times"), "opened"));
	json_array_foreach(crew, i, r)
		json_object_set(vars, json_string_value(json_object_get(r, "role")),
				json_object_get(r, "email"));
	json_array_foreach(json_object_get(pb, "messages"), i, m) {
		if (strcmp(json_string_value(json_object_get(m, "name")), message))
			continue;
		if (json_is_string(json_object_get(m, "subject"))) {
			irk_buf_adds(out, "Subject: ");
			fill(out, json_string_value(json_object_get(m, "subject")), vars);
			irk_buf_adds(out, "\n\n");
		}
		fill(out, json_string_value(json_object_get(m, "text")), vars);
		goto done;
	}
	irk_fail(err, IRK_ENOTFOUND, "playbook %s has no message '%s'", name, message);
	irk_hint(err, "'irk playbook show %s' lists its messages", name);
	rc = IRK_ENOTFOUND;
done:
	json_decref(o);
	json_decref(pb);
	json_decref(vars);
	json_decref(crew);
	return rc;
}
