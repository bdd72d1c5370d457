/*
 * parse-json.c - JSON Lines: every leaf of the object becomes a field under
 * its dotted path ("http.request.method", "tags.0"); the time comes from
 * the configured field or a common name, the trace id likewise (copied to
 * "trace_id"); see irk/logread.h.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irk/logread.h"

#define JSON_DEPTH_MAX 16

static void flatten(struct irk_event *ev, json_t *v, struct irk_buf *path, int depth)
{
	size_t plen = path->len;
	char num[64];

	if (depth > JSON_DEPTH_MAX)
		return;
	if (json_is_object(v)) {
		const char *k;
		json_t *c;
		json_object_foreach(v, k, c) {
			if (plen)
				irk_buf_addch(path, '.');
			irk_buf_adds(path, k);
			flatten(ev, c, path, depth + 1);
			irk_buf_setlen(path, plen);
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c) {
			irk_buf_addf(path, plen ? ".%zu" : "%zu", i);
			flatten(ev, c, path, depth + 1);
			irk_buf_setlen(path, plen);
		}
	} else if (json_is_string(v)) {
		irk_event_set(ev, path->buf, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		irk_event_sets(ev, path->buf, num);
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		irk_event_sets(ev, path->buf, num);
	} else if (json_is_boolean(v)) {
		irk_event_sets(ev, path->buf, json_is_true(v) ? "true" : "false");
	}
	/* null: the field is absent, as Sigma's null expects */
}

static const char *first_of(struct irk_event *ev, const char *configured,
			    const char *const *names, size_t *len)
{
	const char *v;

	if (configured)
		return irk_event_get(ev, configured, len);
	for (int i = 0; names[i]; i++)
		if ((v = irk_event_get(ev, names[i], len)))
			return v;
	return NULL;
}

static int epoch_time(const char *s, int64_t *ms)
{
	double d;
	char *end;

	d = strtod(s, &end);
	if (end == s || *end || !(d >= 0 && d < 1e14))
		return -1;
	/* seconds, or milliseconds when too large to be seconds */
	*ms = d > 1e11 ? (int64_t)d : (int64_t)(d * 1000.0);
	return 0;
}

enum irk_code irk_log_parse_json(const struct irk_log_opts *o, const char *line, size_t len,
				 struct irk_event *ev, struct irk_err *err)
{
	static const char *const time_names[] = { "@timestamp", "timestamp", "time", "ts",
						  "datetime", "date", NULL };
	static const char *const trace_names[] = { "trace_id", "traceId", "trace.id", "traceid",
						   "request_id", "requestId", "request.id",
						   "correlation_id", "correlationId", NULL };
	static const char *const msg_names[] = { "message", "msg", "log", NULL };
	static const char *const svc_names[] = { "service", "service.name", "app", "application",
						 "logger", NULL };
	static const char *const ip_names[] = { "source.ip", "client.ip", "client_ip", "remote_addr",
						"remote_ip", "ip", NULL };
	static const char *const user_names[] = { "user.name", "username", "user_name", "user.id",
						  NULL };
	struct irk_buf path = IRK_BUF_INIT;
	json_error_t je;
	json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	const char *v;
	size_t n;

	if (!root)
		return irk_fail(err, IRK_EINVAL, "not JSON (column %d): %s", je.column, je.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return irk_fail(err, IRK_EINVAL, "a JSON Lines record must be an object");
	}
	flatten(ev, root, &path, 0);
	irk_buf_release(&path);
	json_decref(root);
	if ((v = first_of(ev, o->time_field, time_names, &n)) &&
	    (!irk_log_parse_iso_time(v, n, &ev->time_ms) || !epoch_time(v, &ev->time_ms)))
		ev->has_time = 1;
	if ((v = first_of(ev, o->trace_field, trace_names, &n))) {
		char *copy = irk_strndup(v, n);
		irk_event_set_id(ev, IRK_F_TRACE_ID, copy, n);
		free(copy);
	}
	if (!irk_event_get_id(ev, IRK_F_MESSAGE, NULL) && (v = first_of(ev, NULL, msg_names, &n))) {
		char *copy = irk_strndup(v, n);
		irk_event_set_id(ev, IRK_F_MESSAGE, copy, n);
		free(copy);
	}
	if (!irk_event_get_id(ev, IRK_F_SERVICE, NULL) && (v = first_of(ev, NULL, svc_names, &n))) {
		char *copy = irk_strndup(v, n);
		irk_event_set_id(ev, IRK_F_SERVICE, copy, n);
		free(copy);
	}
	/* the entity fields rules and findings share with the other formats */
	if (!irk_event_get_id(ev, IRK_F_SRC_IP, NULL) && (v = first_of(ev, NULL, ip_names, &n))) {
		char *copy = irk_strndup(v, n);
		irk_event_set_id(ev, IRK_F_SRC_IP, copy, n);
		free(copy);
	}
	if (!irk_event_get_id(ev, IRK_F_USER, NULL) && (v = first_of(ev, NULL, user_names, &n))) {
		char *copy = irk_strndup(v, n);
		irk_event_set_id(ev, IRK_F_USER, copy, n);
		free(copy);
	}
	ev->category = "application";
	return IRK_OK;
}
