/* template.c - loading and rendering message templates; see irk/template.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "irk/embedded.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/template.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char *const irk_template_names[] = {
	"internal-status", "user-notice", "public-statement", "press",	     "regulator",
	"law-enforcement", "cert",	  "resolved",	      "recap",	     "postmortem",
	NULL
};

static const char *const audience_default[][2] = {
	{ "internal", "internal-status" }, { "users", "user-notice" },
	{ "public", "public-statement" },  { "press", "press" },
	{ "regulator", "regulator" },	   { "law-enforcement", "law-enforcement" },
	{ "cert", "cert" },
};

const char *irk_template_for_audience(const char *audience)
{
	for (size_t i = 0; i < sizeof(audience_default) / sizeof(audience_default[0]); i++)
		if (!strcmp(audience_default[i][0], audience))
			return audience_default[i][1];
	return NULL;
}

static int name_ok(const char *name)
{
	if (!*name || strlen(name) > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
			return 0;
	return 1;
}

enum irk_code irk_template_load(struct irk_casebook *cb, const char *name, struct irk_buf *out,
				struct irk_err *err)
{
	struct irk_buf path = IRK_BUF_INIT, rel = IRK_BUF_INIT;
	const struct irk_embedded *e;
	enum irk_code rc = IRK_OK;
	size_t bad;

	if (!name_ok(name)) {
		irk_fail(err, IRK_EINVAL, "'%s' is not a template name", name);
		irk_hint(err, "names are lower-case letters, digits and '-', e.g. user-notice");
		return IRK_EINVAL;
	}
	irk_buf_addf(&rel, "templates/%s.md", name);
	if (cb) {
		irk_path_join(&path, cb->dir, rel.buf);
		rc = irk_read_file(path.buf, IRK_TEMPLATE_MAX, out, err);
		if (rc == IRK_ENOTFOUND) {
			irk_err_clear(err);
			rc = IRK_OK;
		} else if (rc == IRK_OK) {
			if ((bad = irk_utf8_check(out->buf, out->len)) != 0)
				rc = irk_fail(err, IRK_EINVAL, "%s is not UTF-8 text (byte %zu)",
					      path.buf, bad);
			goto done;
		} else {
			goto done;
		}
	}
	e = irk_embedded_find(rel.buf);
	if (!e) {
		struct irk_buf names = IRK_BUF_INIT;
		irk_list_join(irk_template_names, &names);
		irk_fail(err, IRK_ENOTFOUND, "no template '%s'", name);
		irk_hint(err, "bundled templates: %s; or add .irk/templates/%s.md", names.buf, name);
		irk_buf_release(&names);
		rc = IRK_ENOTFOUND;
		goto done;
	}
	irk_buf_add(out, e->data, e->size);
done:
	irk_buf_release(&path);
	irk_buf_release(&rel);
	return rc;
}

static void position(const char *s, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

enum irk_code irk_template_render(const char *tpl, size_t len, json_t *vars, struct irk_buf *out,
				  struct irk_err *err)
{
	size_t i = 0;
	int line, col;

	if (len > IRK_TEMPLATE_MAX)
		return irk_fail(err, IRK_EINVAL, "the template is over %d bytes", IRK_TEMPLATE_MAX);
	while (i < len) {
		const char *open = NULL;
		size_t j, k;
		char name[65];
		const char *val;

		for (j = i; j + 1 < len; j++)
			if (tpl[j] == '{' && tpl[j + 1] == '{') {
				open = tpl + j;
				break;
			}
		if (!open) {
			irk_buf_add(out, tpl + i, len - i);
			break;
		}
		irk_buf_add(out, tpl + i, j - i);
		for (k = j + 2; k < len && k - j - 2 < sizeof(name) - 1 &&
				(isalnum((unsigned char)tpl[k]) || tpl[k] == '_');
		     k++)
			;
		if (k + 1 >= len || tpl[k] != '}' || tpl[k + 1] != '}' || k == j + 2) {
			position(tpl, j, &line, &col);
			irk_fail(err, IRK_EINVAL, "template line %d column %d: '{{' without a name and '}}'",
				 line, col);
			irk_hint(err, "placeholders look like {{title}}");
			return IRK_EINVAL;
		}
		memcpy(name, tpl + j + 2, k - j - 2);
		name[k - j - 2] = '\0';
		val = json_string_value(json_object_get(vars, name));
		if (!val) {
			position(tpl, j, &line, &col);
			return irk_fail(err, IRK_EINVAL,
					"template line %d column %d: unknown placeholder {{%s}}", line,
					col, name);
		}
		irk_buf_adds(out, val);
		i = k + 2;
	}
	return IRK_OK;
}

/* The incident time `key` shown with offset, or a FILL IN marker. */
static void put_time(json_t *vars, const char *name, json_t *times, const char *key, int tz,
		     int date_only)
{
	const char *utc = json_string_value(json_object_get(times, key));
	char buf[IRK_TIME_MAX + 64];
	int64_t ms;

	if (utc && irk_time_parse_utc(utc, &ms, NULL) == IRK_OK) {
		irk_time_local(ms, tz, buf);
		if (date_only)
			buf[10] = '\0';
	} else {
		snprintf(buf, sizeof(buf), "[FILL IN: %s time]", key);
	}
	json_object_set_new(vars, name, json_string(buf));
}

enum irk_code irk_template_vars(struct irk_casebook *cb, const char *inc,
				const struct irk_comms_config *cfg, int tz_minutes, int64_t now_ms,
				json_t **out, struct irk_err *err)
{
	static const char *const copy[] = { "id", "title", "severity", "category", "tlp", "phase",
					    NULL };
	json_t *incident, *times, *vars;
	char now[IRK_TIME_MAX], tzs[8], tlp[32];
	const char *end_key;
	enum irk_code rc;

	if ((rc = irk_incident_get(cb, inc, &incident, err)))
		return rc;
	vars = json_object();
	for (int i = 0; copy[i]; i++)
		json_object_set(vars, copy[i], json_object_get(incident, copy[i]));
	snprintf(tlp, sizeof(tlp), "%s", json_string_value(json_object_get(incident, "tlp")));
	for (char *p = tlp; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	json_object_set_new(vars, "tlp_upper", json_string(tlp));
	times = json_object_get(incident, "times");
	put_time(vars, "occurred", times,
		 json_is_string(json_object_get(times, "occurred")) ? "occurred" : "detected",
		 tz_minutes, 0);
	put_time(vars, "detected", times, "detected", tz_minutes, 0);
	put_time(vars, "detected_date", times, "detected", tz_minutes, 1);
	put_time(vars, "contained", times, "contained", tz_minutes, 0);
	put_time(vars, "recovered", times, "recovered", tz_minutes, 0);
	end_key = json_is_string(json_object_get(times, "contained")) ? "contained" : "recovered";
	put_time(vars, "window_end", times, end_key, tz_minutes, 0);
	put_time(vars, "resolved_at", times,
		 json_is_string(json_object_get(times, "closed")) ? "closed" : "recovered",
		 tz_minutes, 0);
	irk_time_local(now_ms, tz_minutes, now);
	json_object_set_new(vars, "now", json_string(now));
	irk_tz_format(tz_minutes, tzs);
	if (cfg && cfg->log_timezone)
		json_object_set_new(vars, "log_timezone", json_string(cfg->log_timezone));
	else
		json_object_set_new(vars, "log_timezone", json_string(tz_minutes ? tzs : "UTC"));
	json_object_set_new(vars, "org", json_string(cfg && cfg->org_name ? cfg->org_name
									  : "[FILL IN: organisation]"));
	json_object_set_new(vars, "contact",
			    json_string(cfg && cfg->contact ? cfg->contact
							    : "[FILL IN: contact address]"));
	json_decref(incident);
	*out = vars;
	return IRK_OK;
}
