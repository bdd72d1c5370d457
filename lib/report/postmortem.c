/*
 * postmortem.c - the blameless postmortem: its text form, checks, storage as
 * log-book entries, action items and the cost estimate; see irk/postmortem.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "irk/incident.h"
#include "irk/member.h"
#include "irk/postmortem.h"
#include "irk/task.h"
#include "irk/text.h"
#include "irk/timefmt.h"

const char *const irk_principles[] = { "comprehensivity", "opportunity",     "rigor",
				       "minimization",	  "compartmentation", "fault-tolerance",
				       "proportionality", NULL };

const char irk_postmortems_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.postmortems("
	"  inc TEXT PRIMARY KEY,"
	"  seq INTEGER NOT NULL,"   /* the entry holding the newest version */
	"  version INTEGER NOT NULL,"
	"  factors INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS {db}.pm_actions("
	"  inc TEXT NOT NULL,"
	"  num INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  owner TEXT,"
	"  due INTEGER,"
	"  done INTEGER,"
	"  task INTEGER," /* the incident's task for this item, if one was made */
	"  PRIMARY KEY(inc, num));";

enum section_type { SEC_TEXT, SEC_IMPACT, SEC_FACTORS, SEC_ACTIONS, SEC_COST };

static const struct section {
	const char *key, *heading;
	enum section_type type;
	const char *guide;
} sections[] = {
	{ "summary", "Summary", SEC_TEXT, "What happened, in a few sentences a newcomer understands." },
	{ "impact", "Impact", SEC_IMPACT,
	  "systems: / data: / people: / duration: lines; anything else is kept as notes." },
	{ "detection", "Detection", SEC_TEXT, "How it was discovered, by whom or by what, and when." },
	{ "response", "Response", SEC_TEXT, "How it was contained, corrected and monitored." },
	{ "factors", "Contributing factors", SEC_FACTORS,
	  "Several, never one root cause: '- text (entries: 3, 7) (principles: rigor, minimization)'.\n"
	  "# Principles: comprehensivity, opportunity, rigor, minimization, compartmentation,\n"
	  "# fault-tolerance, proportionality." },
	{ "went_well", "What went well", SEC_TEXT, NULL },
	{ "lessons", "Lessons", SEC_TEXT, NULL },
	{ "actions", "Action items", SEC_ACTIONS,
	  "'- what to do | owner: member e-mail | due: 2026-12-31', one per line." },
	{ "cost", "Cost", SEC_COST,
	  "rate: 80 (per responder hour)  currency: EUR  hours: 6 people outside the log book\n"
	  "# other: 1200 what it was for.  Log-book hours are added automatically." },
	{ "rec_users", "Recommendations for users", SEC_TEXT, NULL },
	{ "rec_projects", "Recommendations for other projects", SEC_TEXT, NULL },
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

static const char *const impact_keys[] = { "systems", "data", "people", "duration", NULL };

/* ---- parsing the text form ---- */

struct parser {
	json_t *pm;
	const struct section *sec;
	struct irk_buf text; /* the current text section */
	size_t line;
	struct irk_err *err;
};

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

static void finish_text(struct parser *p)
{
	if (p->sec && p->sec->type == SEC_TEXT) {
		irk_buf_rtrim(&p->text);
		{
			size_t i = 0;
			/* Leading blank lines go; leading spaces stay, so that " ## x" stays text. */
			while (i < p->text.len && p->text.buf[i] == '\n')
				i++;
			json_object_set_new(p->pm, p->sec->key, json_string(p->text.buf + i));
		}
	}
	irk_buf_reset(&p->text);
}

static enum irk_code bad_line(struct parser *p, const char *what)
{
	return irk_fail(p->err, IRK_EINVAL, "postmortem line %zu: %s", p->line, what);
}

/* "Fault tolerance" → "fault-tolerance"; British spellings accepted. */
static int principle_index(const char *s)
{
	char norm[40];
	size_t n = 0;

	for (; *s && n < sizeof(norm) - 1; s++)
		norm[n++] = *s == ' ' || *s == '_' ? '-' : (char)tolower((unsigned char)*s);
	norm[n] = '\0';
	if (!strcmp(norm, "minimisation"))
		return 3;
	if (!strcmp(norm, "compartmentalization") || !strcmp(norm, "compartmentalisation"))
		return 4;
	return irk_list_index(irk_principles, norm);
}

/* Take "(name: a, b)" out of `s` (in place); returns the inside, or NULL. */
static char *take_group(char *s, const char *name, char *inside, size_t max)
{
	size_t nl = strlen(name);

	for (char *o = strchr(s, '('); o; o = strchr(o + 1, '(')) {
		char *close;
		if (strncasecmp(o + 1, name, nl) || o[1 + nl] != ':')
			continue;
		close = strpbrk(o + 1, "()");
		if (!close || *close == '(')
			continue; /* not closed before the next group: text, not a link */
		snprintf(inside, max, "%.*s", (int)(close - (o + 2 + nl)), o + 2 + nl);
		memmove(o, close + 1, strlen(close + 1) + 1);
		return inside;
	}
	return NULL;
}

static enum irk_code factor_links(struct parser *p, json_t *f)
{
	char *text = irk_strdup(json_string_value(json_object_get(f, "text")));
	char inside[1024], *save = NULL;
	json_t *entries = json_array(), *princ = json_array();
	enum irk_code rc = IRK_OK;

	/* Errors name the line the factor began on. */
	p->line = (size_t)json_integer_value(json_object_get(f, "_line"));
	json_object_del(f, "_line");
	while (rc == IRK_OK && take_group(text, "entries", inside, sizeof(inside)))
		for (char *t = strtok_r(inside, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
			char *end;
			long long seq = strtoll(t[0] == '#' ? t + 1 : t, &end, 10);
			if (*end || seq < 1 || json_array_size(entries) >= IRK_PM_ITEMS_MAX) {
				rc = bad_line(p, "(entries: ...) takes entry numbers such as 3, 7");
				break;
			}
			json_array_append_new(entries, json_integer(seq));
		}
	while (rc == IRK_OK && take_group(text, "principles", inside, sizeof(inside)))
		for (char *t = strtok_r(inside, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			int i;
			trim(t);
			if ((i = principle_index(t)) < 0) {
				struct irk_buf all = IRK_BUF_INIT;
				irk_list_join(irk_principles, &all);
				irk_fail(p->err, IRK_EINVAL, "postmortem line %zu: unknown principle '%s' (use %s)",
					 p->line, t, all.buf);
				irk_buf_release(&all);
				rc = IRK_EINVAL;
				break;
			}
			json_array_append_new(princ, json_string(irk_principles[i]));
		}
	trim(text);
	/* A group left over was not closed before the next '(': say so, never guess. */
	if (rc == IRK_OK && (strcasestr(text, "(entries:") || strcasestr(text, "(principles:")))
		rc = bad_line(p, "write links as '(entries: 3, 7)' and '(principles: rigor)', each "
				 "closed by ')'");
	if (rc == IRK_OK && !*text)
		rc = bad_line(p, "a contributing factor needs a description");
	json_object_set_new(f, "text", json_string(text));
	json_object_set_new(f, "entries", entries);
	json_object_set_new(f, "principles", princ);
	free(text);
	return rc;
}

static enum irk_code parse_action(struct parser *p, char *line)
{
	json_t *actions = json_object_get(p->pm, "actions");
	json_t *a = json_object();
	char *save = NULL;
	int first = 1;

	if (json_array_size(actions) >= IRK_PM_ITEMS_MAX) {
		json_decref(a);
		return bad_line(p, "too many action items");
	}
	for (char *f = strtok_r(line, "|", &save); f; f = strtok_r(NULL, "|", &save), first = 0) {
		trim(f);
		if (first) {
			json_object_set_new(a, "title", json_string(f));
		} else if (!strncasecmp(f, "owner:", 6)) {
			trim(f += 6);
			json_object_set_new(a, "owner", json_string(f));
		} else if (!strncasecmp(f, "due:", 4)) {
			int64_t ms;
			int tz;
			char when[IRK_TIME_MAX];
			trim(f += 4);
			if (irk_time_parse(f, irk_now_ms(), &ms, &tz, p->err)) {
				json_decref(a);
				irk_err_prefix(p->err, "postmortem line %zu: due date", p->line);
				return IRK_EINVAL;
			}
			irk_time_utc(ms, 0, when);
			json_object_set_new(a, "due", json_string(when));
		} else {
			json_decref(a);
			return bad_line(p, "an action item is '- what | owner: e-mail | due: date'");
		}
	}
	if (!json_string_value(json_object_get(a, "title")) ||
	    !*json_string_value(json_object_get(a, "title"))) {
		json_decref(a);
		return bad_line(p, "an action item needs a description");
	}
	if (strlen(json_string_value(json_object_get(a, "title"))) > IRK_PM_ACTION_MAX) {
		json_decref(a);
		return bad_line(p, "an action item is longer than 400 bytes; put details in Lessons");
	}
	json_object_set_new(a, "num", json_integer((json_int_t)json_array_size(actions) + 1));
	json_array_append_new(actions, a);
	return IRK_OK;
}

static enum irk_code parse_number(struct parser *p, const char *s, double *v, const char **rest)
{
	char *end;

	*v = strtod(s, &end);
	if (end == s || !isfinite(*v) || *v < 0 || *v > 1e12)
		return bad_line(p, "expected a number (0 or more)");
	while (isspace((unsigned char)*end))
		end++;
	*rest = end;
	return IRK_OK;
}

static enum irk_code parse_cost(struct parser *p, char *line)
{
	json_t *cost = json_object_get(p->pm, "cost");
	const char *rest;
	double v;

	if (!strncasecmp(line, "rate:", 5)) {
		if (parse_number(p, line + 5 + strspn(line + 5, " "), &v, &rest))
			return IRK_EINVAL;
		json_object_set_new(cost, "rate", json_real(v));
	} else if (!strncasecmp(line, "currency:", 9)) {
		trim(line += 9);
		json_object_set_new(cost, "currency", json_string(line));
	} else if (!strncasecmp(line, "hours:", 6) || !strncasecmp(line, "other:", 6)) {
		int hours = tolower((unsigned char)line[0]) == 'h';
		json_t *list = json_object_get(cost, hours ? "hours" : "other");
		if (parse_number(p, line + 6 + strspn(line + 6, " "), &v, &rest))
			return IRK_EINVAL;
		if (json_array_size(list) >= IRK_PM_ITEMS_MAX)
			return bad_line(p, "too many cost lines");
		json_array_append_new(list, json_pack("{s:f, s:s}", hours ? "hours" : "amount", v,
						      "what", rest));
	} else {
		return bad_line(p, "cost lines are 'rate: N', 'currency: X', 'hours: N what' or "
				   "'other: N what'");
	}
	return IRK_OK;
}

static enum irk_code parse_line(struct parser *p, char *line)
{
	json_t *list;

	switch (p->sec->type) {
	case SEC_TEXT:
		irk_buf_adds(&p->text, line);
		irk_buf_addch(&p->text, '\n');
		return IRK_OK;
	case SEC_IMPACT: {
		json_t *impact = json_object_get(p->pm, "impact");
		char *colon = strchr(line, ':');
		size_t n = strlen(line);

		while (n && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (!line[strspn(line, " \t")])
			return IRK_OK;
		if (colon) {
			*colon = '\0';
			for (int i = 0; impact_keys[i]; i++)
				if (!strcasecmp(line + strspn(line, " \t"), impact_keys[i])) {
					trim(colon + 1);
					if (colon[1]) /* an empty answer is no answer */
						json_object_set_new(impact, impact_keys[i],
								    json_string(colon + 1));
					return IRK_OK;
				}
			*colon = ':';
		}
		{
			const char *old = json_string_value(json_object_get(impact, "notes"));
			struct irk_buf b = IRK_BUF_INIT;
			irk_buf_addf(&b, "%s%s%s", old ? old : "", old && *old ? "\n" : "", line);
			json_object_set_new(impact, "notes", json_string(b.buf));
			irk_buf_release(&b);
		}
		return IRK_OK;
	}
	case SEC_FACTORS:
		list = json_object_get(p->pm, "factors");
		trim(line);
		if (!*line)
			return IRK_OK;
		if (line[0] == '-' || line[0] == '*') {
			if (json_array_size(list) >= IRK_PM_ITEMS_MAX)
				return bad_line(p, "too many contributing factors");
			trim(++line);
			json_array_append_new(list, json_pack("{s:s, s:I}", "text", line, "_line",
							      (json_int_t)p->line));
		} else if (json_array_size(list)) {
			/* A continuation line of the factor above. */
			json_t *f = json_array_get(list, json_array_size(list) - 1);
			struct irk_buf b = IRK_BUF_INIT;
			irk_buf_addf(&b, "%s %s", json_string_value(json_object_get(f, "text")), line);
			json_object_set_new(f, "text", json_string(b.buf));
			irk_buf_release(&b);
		} else {
			return bad_line(p, "a contributing factor starts with '- '");
		}
		return IRK_OK;
	case SEC_ACTIONS:
		trim(line);
		if (!*line)
			return IRK_OK;
		if (line[0] != '-' && line[0] != '*')
			return bad_line(p, "an action item starts with '- '");
		return parse_action(p, line + 1);
	case SEC_COST:
		trim(line);
		return *line ? parse_cost(p, line) : IRK_OK;
	}
	return IRK_OK;
}

static json_t *empty_pm(void)
{
	json_t *pm = json_pack("{s:i}", "v", 1);

	for (size_t i = 0; i < NSECTIONS; i++) {
		switch (sections[i].type) {
		case SEC_TEXT: json_object_set_new(pm, sections[i].key, json_string("")); break;
		case SEC_IMPACT: json_object_set_new(pm, "impact", json_object()); break;
		case SEC_FACTORS: json_object_set_new(pm, "factors", json_array()); break;
		case SEC_ACTIONS: json_object_set_new(pm, "actions", json_array()); break;
		case SEC_COST:
			json_object_set_new(pm, "cost", json_pack("{s:f, s:s, s:[], s:[]}", "rate", 0.0,
								 "currency", "", "hours", "other"));
			break;
		}
	}
	return pm;
}

enum irk_code irk_postmortem_parse(const char *text, size_t len, json_t **out,
				   struct irk_err *err)
{
	struct parser p = { .pm = empty_pm(), .text = IRK_BUF_INIT, .err = err };
	struct irk_buf line = IRK_BUF_INIT;
	enum irk_code rc = IRK_OK;
	size_t i = 0, bad;
	int any = 0;

	if (len > IRK_POSTMORTEM_MAX) {
		json_decref(p.pm);
		return irk_fail(err, IRK_EINVAL, "the postmortem is longer than %d bytes",
				IRK_POSTMORTEM_MAX);
	}
	while (rc == IRK_OK && i < len) {
		size_t start = i;
		while (i < len && text[i] != '\n')
			i++;
		irk_buf_reset(&line);
		irk_buf_add(&line, text + start, i - start);
		if (i < len)
			i++;
		p.line++;
		if (line.len && line.buf[line.len - 1] == '\r')
			irk_buf_setlen(&line, line.len - 1);
		if ((bad = irk_utf8_check(line.buf, line.len))) {
			irk_fail(err, IRK_EINVAL,
				 "postmortem line %zu: invalid UTF-8 or a control character at byte %zu",
				 p.line, bad);
			rc = IRK_EINVAL;
			break;
		}
		if (!strncmp(line.buf, "## ", 3)) {
			char *h = line.buf + 3;
			size_t s;
			trim(h);
			finish_text(&p);
			for (s = 0; s < NSECTIONS; s++)
				if (!strcasecmp(h, sections[s].heading))
					break;
			if (s == NSECTIONS) {
				irk_fail(err, IRK_EINVAL, "postmortem line %zu: unknown section '%s'",
					 p.line, h);
				irk_hint(err, "'irk postmortem INC template' lists the sections");
				rc = IRK_EINVAL;
				break;
			}
			p.sec = &sections[s];
			any = 1;
			continue;
		}
		if (line.buf[0] == '#')
			continue;
		if (!p.sec) {
			trim(line.buf);
			if (*line.buf)
				rc = bad_line(&p, "text before the first '## ' section");
			continue;
		}
		rc = parse_line(&p, line.buf);
	}
	if (rc == IRK_OK) {
		size_t k;
		json_t *f;
		finish_text(&p);
		json_array_foreach(json_object_get(p.pm, "factors"), k, f)
			if ((rc = factor_links(&p, f)))
				break;
	}
	if (rc == IRK_OK && !any)
		rc = irk_fail(err, IRK_EINVAL, "the postmortem has no '## ' sections");
	irk_buf_release(&line);
	irk_buf_release(&p.text);
	if (rc) {
		json_decref(p.pm);
		return rc;
	}
	*out = p.pm;
	return IRK_OK;
}

/* ---- the text form ---- */

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void format_due(const char *utc, struct irk_buf *out)
{
	size_t n = strlen(utc);

	/* Whole days (UTC midnight) read better as dates. */
	if (n == 20 && !strcmp(utc + 10, "T00:00:00Z"))
		irk_buf_add(out, utc, 10);
	else
		irk_buf_adds(out, utc);
}

void irk_postmortem_format(const char *inc, json_t *incident, json_t *pm, struct irk_buf *out)
{
	size_t i, k;
	json_t *v;

	irk_buf_addf(out,
		     "# Postmortem of %s: %s\n"
		     "# Lines starting with '#' are ignored; keep the '## ' headings.\n"
		     "# Blameless: write what the system, the process and the situation allowed,\n"
		     "# not who is at fault.  Entry numbers are those of 'irk timeline %s'.\n",
		     inc, jstr(incident, "title"), inc);
	for (size_t s = 0; s < NSECTIONS; s++) {
		const struct section *sec = &sections[s];
		irk_buf_addf(out, "\n## %s\n", sec->heading);
		if (!pm && sec->guide)
			irk_buf_addf(out, "# %s\n", sec->guide);
		if (!pm && sec->type != SEC_COST)
			continue;
		switch (sec->type) {
		case SEC_TEXT:
			if (*jstr(pm, sec->key))
				irk_buf_addf(out, "%s\n", jstr(pm, sec->key));
			break;
		case SEC_IMPACT:
			for (int j = 0; impact_keys[j]; j++)
				irk_buf_addf(out, "%s: %s\n", impact_keys[j],
					     jstr(json_object_get(pm, "impact"), impact_keys[j]));
			if (*jstr(json_object_get(pm, "impact"), "notes"))
				irk_buf_addf(out, "%s\n", jstr(json_object_get(pm, "impact"), "notes"));
			break;
		case SEC_FACTORS:
			json_array_foreach(json_object_get(pm, "factors"), i, v) {
				json_t *x;
				irk_buf_addf(out, "- %s", jstr(v, "text"));
				if (json_array_size(json_object_get(v, "entries"))) {
					irk_buf_adds(out, " (entries:");
					json_array_foreach(json_object_get(v, "entries"), k, x)
						irk_buf_addf(out, "%s %lld", k ? "," : "",
							     (long long)json_integer_value(x));
					irk_buf_adds(out, ")");
				}
				if (json_array_size(json_object_get(v, "principles"))) {
					irk_buf_adds(out, " (principles:");
					json_array_foreach(json_object_get(v, "principles"), k, x)
						irk_buf_addf(out, "%s %s", k ? "," : "",
							     json_string_value(x));
					irk_buf_adds(out, ")");
				}
				irk_buf_addch(out, '\n');
			}
			break;
		case SEC_ACTIONS:
			json_array_foreach(json_object_get(pm, "actions"), i, v) {
				irk_buf_addf(out, "- %s", jstr(v, "title"));
				if (*jstr(v, "owner"))
					irk_buf_addf(out, " | owner: %s", jstr(v, "owner"));
				if (*jstr(v, "due")) {
					irk_buf_adds(out, " | due: ");
					format_due(jstr(v, "due"), out);
				}
				irk_buf_addch(out, '\n');
			}
			break;
		case SEC_COST: {
			json_t *cost = json_object_get(pm, "cost");
			irk_buf_addf(out, "rate: %.15g\ncurrency: %s\n",
				     json_number_value(json_object_get(cost, "rate")),
				     pm ? jstr(cost, "currency") : "EUR");
			json_array_foreach(json_object_get(cost, "hours"), i, v)
				irk_buf_addf(out, "hours: %.15g %s\n",
					     json_number_value(json_object_get(v, "hours")), jstr(v, "what"));
			json_array_foreach(json_object_get(cost, "other"), i, v)
				irk_buf_addf(out, "other: %.15g %s\n",
					     json_number_value(json_object_get(v, "amount")), jstr(v, "what"));
			break;
		}
		}
	}
}

/* ---- warnings ---- */

/*
 * Phrases that assign blame to people rather than describing conditions.
 * Matched case-insensitively at the start of a word.
 */
static const char *const blame_phrases[] = {
	"blame",	   "fault of",	   "'s fault",	   "careless",	       "negligen",
	"incompetent",	   "stupid",	   "lazy",	   "idiot",	       "sloppy",
	"human error",	   "should have known", "dropped the ball", "screwed up", "messed up",
	"his mistake",	   "her mistake",  "their mistake", "failed to notice", "didn't bother",
	"did not bother",  "irresponsible", "reckless",	   "ignorant",	       "clueless",
	"should have been fired", NULL
};

static void check_blame(const char *where, const char *text, json_t *warnings)
{
	for (int i = 0; blame_phrases[i]; i++) {
		size_t n = strlen(blame_phrases[i]);
		for (const char *p = text; *p; p++) {
			if (strncasecmp(p, blame_phrases[i], n))
				continue;
			if (p > text && isalpha((unsigned char)p[-1]) && blame_phrases[i][0] != '\'')
				continue;
			json_array_append_new(
				warnings,
				json_sprintf("blame language in %s: \"%.*s\" - describe what the system "
					     "or the process allowed, not who is at fault",
					     where, (int)n, p));
			break;
		}
	}
}

json_t *irk_postmortem_warnings(json_t *pm)
{
	json_t *w = json_array(), *factors = json_object_get(pm, "factors"), *v;
	size_t i;

	if (json_array_size(factors) < 2)
		json_array_append_new(
			w, json_sprintf("%s contributing factor%s: incidents have several; look "
					"again through the seven principles (what made it possible, "
					"what let it spread, what delayed detection)",
					json_array_size(factors) ? "only one" : "no",
					json_array_size(factors) ? "" : "s"));
	for (size_t s = 0; s < NSECTIONS; s++)
		if (sections[s].type == SEC_TEXT)
			check_blame(sections[s].heading, jstr(pm, sections[s].key), w);
	check_blame("Impact", jstr(json_object_get(pm, "impact"), "notes"), w);
	json_array_foreach(factors, i, v) {
		char where[64];
		snprintf(where, sizeof(where), "contributing factor %zu", i + 1);
		check_blame(where, jstr(v, "text"), w);
		if (!json_array_size(json_object_get(v, "principles")))
			json_array_append_new(w, json_sprintf("contributing factor %zu names no principle",
							       i + 1));
		if (!json_array_size(json_object_get(v, "entries")))
			json_array_append_new(
				w, json_sprintf("contributing factor %zu links no log-book entry", i + 1));
	}
	json_array_foreach(json_object_get(pm, "actions"), i, v) {
		char where[64];
		snprintf(where, sizeof(where), "action item %zu", i + 1);
		check_blame(where, jstr(v, "title"), w);
		if (!*jstr(v, "owner") || !*jstr(v, "due"))
			json_array_append_new(w, json_sprintf("action item %zu has no %s", i + 1,
							       *jstr(v, "owner") ? "due date" : "owner"));
	}
	return w;
}

/* ---- storage ---- */

/*
 * Tie each action item to a task of the incident (irk/task.h): an item keeps
 * the task of the same number in the previous version; a new item gets a
 * new task, while the incident is open (tasks belong to open incidents).
 * Runs inside the caller's transaction; *made counts the new tasks.
 */
static enum irk_code link_tasks(struct irk_casebook *cb, const struct irk_identity *id,
				const char *inc, json_t *pm, json_t *prev, int *made,
				struct irk_err *err)
{
	json_t *incident = NULL, *v;
	enum irk_code rc;
	int open;
	size_t i;

	if ((rc = irk_incident_get(cb, inc, &incident, err)))
		return rc;
	open = strcmp(jstr(incident, "phase"), "closed") != 0;
	json_decref(incident);
	json_array_foreach(json_object_get(pm, "actions"), i, v) {
		json_t *old = json_object_get(json_array_get(json_object_get(prev, "actions"), i), "task");
		struct irk_task_new t = { .title = jstr(v, "title"), .from = "postmortem" };
		int64_t num;

		if (json_is_integer(old)) {
			json_object_set(v, "task", old);
			continue;
		}
		if (!open)
			continue;
		if (*jstr(v, "owner"))
			t.owner = jstr(v, "owner");
		if (*jstr(v, "due") && irk_time_parse_utc(jstr(v, "due"), &t.due_ms, NULL) == IRK_OK)
			t.has_due = 1;
		if ((rc = irk_task_append(cb, id, inc, &t, &num, err))) {
			irk_err_prefix(err, "action item %zu", i + 1);
			return rc;
		}
		json_object_set_new(v, "task", json_integer(num));
		(*made)++;
	}
	return IRK_OK;
}

enum irk_code irk_postmortem_save(struct irk_casebook *cb, const struct irk_identity *id,
				  const char *inc, json_t *pm, int *tasks_made,
				  struct irk_entry *out, struct irk_err *err)
{
	char head[IRK_SHA256_HEX], text[64];
	int64_t count, version = 1, old_seq;
	json_t *v, *old = NULL, *x;
	size_t i, k;
	int made = 0;
	enum irk_code rc;

	if ((rc = irk_logbook_head(cb, inc, &count, head, err)))
		return rc;
	json_array_foreach(json_object_get(pm, "factors"), i, v)
		json_array_foreach(json_object_get(v, "entries"), k, x)
			if (json_integer_value(x) > count) {
				irk_fail(err, IRK_EINVAL,
					 "contributing factor %zu links entry %lld, but %s has %lld entries",
					 i + 1, (long long)json_integer_value(x), inc, (long long)count);
				irk_hint(err, "'irk timeline %s' shows the entry numbers", inc);
				return IRK_EINVAL;
			}
	json_array_foreach(json_object_get(pm, "actions"), i, v) {
		struct irk_member m;
		if (!*jstr(v, "owner"))
			continue;
		if ((rc = irk_member_find(cb->db, NULL, jstr(v, "owner"), &m, err))) {
			irk_err_prefix(err, "action item %zu", i + 1);
			return rc;
		}
		json_object_set_new(v, "owner", json_string(m.email));
	}
	if ((rc = irk_db_begin(cb->db, err)))
		return rc;
	if (irk_postmortem_get(cb, inc, &old, &old_seq, NULL) == IRK_OK) {
		sqlite3_stmt *st = irk_db_stmt(cb->db, NULL,
					       "SELECT version FROM postmortems WHERE inc=?1", err);
		if (!st) {
			rc = IRK_EDB;
			goto fail;
		}
		sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			version = sqlite3_column_int64(st, 0) + 1;
		sqlite3_reset(st);
	}
	if ((rc = link_tasks(cb, id, inc, pm, old, &made, err)))
		goto fail;
	json_object_set_new(pm, "version", json_integer(version));
	snprintf(text, sizeof(text), "postmortem version %lld", (long long)version);
	{
		struct irk_append a = { .chain = inc, .kind = "postmortem", .text = text, .data = pm };
		if ((rc = irk_logbook_append(cb, id, &a, out, err)))
			goto fail;
	}
	if ((rc = irk_db_commit(cb->db, err)))
		goto fail;
	json_decref(old);
	if (tasks_made)
		*tasks_made = made;
	return IRK_OK;
fail:
	irk_db_rollback(cb->db);
	json_decref(old);
	return rc;
}

enum irk_code irk_postmortem_get(struct irk_casebook *cb, const char *inc, json_t **pm,
				 int64_t *seq, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL, "SELECT seq FROM postmortems WHERE inc=?1", err);
	struct irk_entry e;
	enum irk_code rc;
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	*seq = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (r != SQLITE_ROW) {
		if (r != SQLITE_DONE)
			return irk_db_fail(cb->db, err, "reading the postmortem");
		irk_fail(err, IRK_ENOTFOUND, "%s has no postmortem yet", inc);
		irk_hint(err, "write one with 'irk postmortem %s edit'", inc);
		return IRK_ENOTFOUND;
	}
	if ((rc = irk_logbook_get(cb, inc, *seq, &e, err)))
		return rc;
	*pm = json_incref(e.data);
	irk_entry_release(&e);
	return IRK_OK;
}

/* Mark each action item of `pm` done (its time, UTC) or not (null), from pm_actions. */
static enum irk_code actions_done(struct irk_casebook *cb, const char *inc, json_t *pm,
				  struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL,
				       "SELECT num, done FROM pm_actions WHERE inc=?1 ORDER BY num", err);
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *a = json_array_get(json_object_get(pm, "actions"),
					   (size_t)sqlite3_column_int64(st, 0) - 1);
		char when[IRK_TIME_MAX];
		if (!a)
			continue;
		if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
			json_object_set_new(a, "done", json_null());
		} else {
			irk_time_utc(sqlite3_column_int64(st, 1), 0, when);
			json_object_set_new(a, "done", json_string(when));
		}
	}
	sqlite3_reset(st);
	return r == SQLITE_DONE ? IRK_OK : irk_db_fail(cb->db, err, "reading the action items");
}

enum irk_code irk_postmortem_show(struct irk_casebook *cb, const char *inc, json_t **out,
				  json_t **incident, struct irk_err *err)
{
	json_t *pm = NULL, *inc_json = NULL, *cost = NULL;
	enum irk_code rc;
	int64_t seq;

	*out = NULL;
	if ((rc = irk_incident_get(cb, inc, &inc_json, err)) ||
	    (rc = irk_postmortem_get(cb, inc, &pm, &seq, err)))
		goto done;
	/* A copy: the entry's data stays as it was signed. */
	*out = json_deep_copy(pm);
	if ((rc = irk_postmortem_cost(cb, inc, *out, &cost, err)) ||
	    (rc = actions_done(cb, inc, *out, err))) {
		json_decref(*out);
		*out = NULL;
		goto done;
	}
	json_object_set_new(*out, "inc", json_string(inc));
	json_object_set_new(*out, "seq", json_integer(seq));
	json_object_set(*out, "cost_estimate", cost);
	json_object_set_new(*out, "warnings", irk_postmortem_warnings(*out));
	json_object_set(*out, "times", json_object_get(inc_json, "times"));
	if (incident)
		*incident = json_incref(inc_json);
done:
	json_decref(pm);
	json_decref(inc_json);
	json_decref(cost);
	return rc;
}

enum irk_code irk_postmortem_action_done(struct irk_casebook *cb, const struct irk_identity *id,
					 const char *inc, int64_t num,
					 const struct irk_append *when, struct irk_err *err)
{
	json_t *data = json_pack("{s:I}", "num", (json_int_t)num);
	char text[64];
	struct irk_append a = { .chain = inc, .kind = "action-done", .text = text, .data = data };
	enum irk_code rc;

	snprintf(text, sizeof(text), "action item %lld done", (long long)num);
	if (when && when->has_at) {
		a.has_at = 1;
		a.at_ms = when->at_ms;
		a.has_tz = when->has_tz;
		a.tz = when->tz;
	}
	rc = irk_logbook_write(cb, id, &a, NULL, err);
	json_decref(data);
	return rc;
}

/* ---- apply functions ---- */

static enum irk_code check_shape(const struct irk_apply_ctx *ctx, json_t *pm, struct irk_err *err)
{
	json_t *factors = json_object_get(pm, "factors"), *actions = json_object_get(pm, "actions");
	json_t *v, *x;
	size_t i, k;

	if (!json_is_array(factors) || !json_is_array(actions) ||
	    json_array_size(factors) > IRK_PM_ITEMS_MAX || json_array_size(actions) > IRK_PM_ITEMS_MAX)
		return irk_fail(err, IRK_EINVAL, "postmortem entry #%lld is malformed",
				(long long)ctx->e->seq);
	json_array_foreach(factors, i, v) {
		if (!json_is_string(json_object_get(v, "text")))
			return irk_fail(err, IRK_EINVAL, "postmortem factor %zu has no text", i + 1);
		json_array_foreach(json_object_get(v, "entries"), k, x)
			if (!json_is_integer(x) || json_integer_value(x) < 1 ||
			    json_integer_value(x) >= ctx->e->seq)
				return irk_fail(err, IRK_EINVAL,
						"postmortem factor %zu links an entry that is not earlier",
						i + 1);
		json_array_foreach(json_object_get(v, "principles"), k, x)
			if (!json_is_string(x) || irk_list_index(irk_principles, json_string_value(x)) < 0)
				return irk_fail(err, IRK_EINVAL,
						"postmortem factor %zu names an unknown principle", i + 1);
	}
	json_array_foreach(actions, i, v) {
		struct irk_member m;
		int64_t ms;
		if (json_integer_value(json_object_get(v, "num")) != (json_int_t)i + 1 ||
		    !json_is_string(json_object_get(v, "title")))
			return irk_fail(err, IRK_EINVAL, "postmortem action item %zu is malformed", i + 1);
		if (*jstr(v, "owner") && irk_member_find(ctx->db, ctx->schema, jstr(v, "owner"), &m, err))
			return IRK_EINVAL;
		if (*jstr(v, "due") && irk_time_parse_utc(jstr(v, "due"), &ms, err))
			return IRK_EINVAL;
		if (json_object_get(v, "task") && !json_is_integer(json_object_get(v, "task")))
			return irk_fail(err, IRK_EINVAL, "postmortem action item %zu names no task", i + 1);
	}
	return IRK_OK;
}

enum irk_code irk_apply_postmortem(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *pm = ctx->e->data, *v;
	enum irk_code rc;
	sqlite3_stmt *st;
	size_t i;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "write a postmortem", err)) ||
	    (rc = check_shape(ctx, pm, err)))
		return rc;
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.postmortems(inc, seq, version, factors) VALUES(?1, ?2, 1, ?3)"
			 " ON CONFLICT(inc) DO UPDATE SET seq=?2, version=version+1, factors=?3",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ctx->e->seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)json_array_size(json_object_get(pm, "factors")));
	if ((rc = irk_db_run(ctx->db, st, err)))
		return rc;
	st = irk_db_stmt(ctx->db, ctx->schema, "DELETE FROM {db}.pm_actions WHERE inc=?1 AND num>?2",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)json_array_size(json_object_get(pm, "actions")));
	if ((rc = irk_db_run(ctx->db, st, err)))
		return rc;
	/* A new version keeps the done time of the item with the same number. */
	json_array_foreach(json_object_get(pm, "actions"), i, v) {
		int64_t due;
		st = irk_db_stmt(ctx->db, ctx->schema,
				 "INSERT INTO {db}.pm_actions(inc, num, title, owner, due, task) VALUES(?1, ?2,"
				 " ?3, ?4, ?5, ?6) ON CONFLICT(inc, num) DO UPDATE SET title=?3, owner=?4,"
				 " due=?5, task=?6",
				 err);
		if (!st)
			return IRK_EDB;
		sqlite3_bind_text(st, 1, ctx->e->chain, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 3, jstr(v, "title"), -1, SQLITE_STATIC);
		if (*jstr(v, "owner"))
			sqlite3_bind_text(st, 4, jstr(v, "owner"), -1, SQLITE_STATIC);
		if (*jstr(v, "due") && irk_time_parse_utc(jstr(v, "due"), &due, NULL) == IRK_OK)
			sqlite3_bind_int64(st, 5, due);
		if (json_is_integer(json_object_get(v, "task")))
			sqlite3_bind_int64(st, 6, json_integer_value(json_object_get(v, "task")));
		if ((rc = irk_db_run(ctx->db, st, err)))
			return rc;
	}
	return IRK_OK;
}

enum irk_code irk_apply_action_done(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	json_t *num = json_object_get(ctx->e->data, "num");
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "close an action item", err)))
		return rc;
	if (!json_is_integer(num))
		return irk_fail(err, IRK_EINVAL, "an action-done entry must name an action item");
	return irk_apply_stamp(ctx,
			       "UPDATE {db}.pm_actions SET done=?3 WHERE inc=?1 AND num=?2 AND done IS NULL",
			       json_integer_value(num), "open action item",
			       "'irk postmortem %s show' lists the action items", err);
}

/* ---- cost ---- */

struct span {
	int64_t from, to;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_span(const void *a, const void *b)
{
	return cmp_i64(&((const struct span *)a)->from, &((const struct span *)b)->from);
}

/* Sessions of entries no more than the gap apart, each from first to last entry plus a minimum. */
static size_t sessions(int64_t *at, size_t n, struct span *out)
{
	size_t k = 0;
	int64_t start;

	qsort(at, n, sizeof(*at), cmp_i64);
	start = at[0];
	for (size_t i = 1; i <= n; i++)
		if (i == n || at[i] - at[i - 1] > IRK_SESSION_GAP_MS) {
			out[k].from = start;
			out[k++].to = at[i - 1] + IRK_SESSION_MIN_MS;
			if (i < n)
				start = at[i];
		}
	return k;
}

/* Hours covered by the union of the spans (so overlapping work counts once). */
static double union_hours(struct span *s, size_t n)
{
	int64_t total = 0, from, to;

	if (!n)
		return 0;
	qsort(s, n, sizeof(*s), cmp_span);
	from = s[0].from;
	to = s[0].to;
	for (size_t i = 1; i < n; i++) {
		if (s[i].from > to) {
			total += to - from;
			from = s[i].from;
		}
		if (s[i].to > to)
			to = s[i].to;
	}
	total += to - from;
	return (double)total / 3600000.0;
}

/* Per responder (key id): {"at":[ms...], "tasks":[[from, to]...]}. */
static json_t *responder(json_t *by, const char *key)
{
	json_t *r = json_object_get(by, key);

	if (!r)
		json_object_set_new(by, key, r = json_pack("{s:[], s:[]}", "at", "tasks"));
	return r;
}

static enum irk_code task_spans(struct irk_casebook *cb, const char *inc, json_t *by,
				struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(cb->db, NULL,
				       "SELECT owner, acked, finished FROM tasks WHERE inc=?1 AND"
				       " state='done' AND acked IS NOT NULL AND finished >= acked",
				       err);
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(json_object_get(responder(by, irk_db_text(st, 0)), "tasks"),
				      json_pack("[I, I]", (json_int_t)sqlite3_column_int64(st, 1),
						(json_int_t)sqlite3_column_int64(st, 2)));
	sqlite3_reset(st);
	return r == SQLITE_DONE ? IRK_OK : irk_db_fail(cb->db, err, "reading tasks");
}

enum irk_code irk_postmortem_cost(struct irk_casebook *cb, const char *inc, json_t *pm,
				  json_t **out, struct irk_err *err)
{
	json_t *entries, *by = json_object(), *responders = json_array(), *v, *cost;
	double logbook = 0, extra = 0, other = 0, rate;
	const char *key;
	enum irk_code rc;
	size_t i;

	if ((rc = irk_incident_entries(cb, inc, &entries, err)) || (rc = task_spans(cb, inc, by, err))) {
		json_decref(by);
		json_decref(responders);
		return rc;
	}
	json_array_foreach(entries, i, v) {
		int64_t ms;
		if (irk_time_parse_utc(jstr(v, "at"), &ms, NULL) == IRK_OK)
			json_array_append_new(json_object_get(responder(by, jstr(v, "actor")), "at"),
					      json_integer(ms));
	}
	json_object_foreach(by, key, v) {
		json_t *at = json_object_get(v, "at"), *tasks = json_object_get(v, "tasks");
		size_t n = json_array_size(at), k = 0;
		int64_t *times = irk_calloc(n + 1, sizeof(*times));
		struct span *spans = irk_calloc(n + json_array_size(tasks) + 1, sizeof(*spans));
		struct irk_member m;
		double h;

		for (size_t j = 0; j < n; j++)
			times[j] = json_integer_value(json_array_get(at, j));
		if (n)
			k = sessions(times, n, spans);
		for (size_t j = 0; j < json_array_size(tasks); j++, k++) {
			spans[k].from = json_integer_value(json_array_get(json_array_get(tasks, j), 0));
			spans[k].to = json_integer_value(json_array_get(json_array_get(tasks, j), 1));
		}
		h = round(union_hours(spans, k) * 100) / 100;
		free(times);
		free(spans);
		logbook += h;
		json_array_append_new(
			responders,
			json_pack("{s:s, s:f}", "who",
				  irk_member_find(cb->db, NULL, key, &m, NULL) == IRK_OK ? m.email : key,
				  "hours", h));
	}
	cost = json_object_get(pm, "cost");
	rate = json_number_value(json_object_get(cost, "rate"));
	json_array_foreach(json_object_get(cost, "hours"), i, v)
		extra += json_number_value(json_object_get(v, "hours"));
	json_array_foreach(json_object_get(cost, "other"), i, v)
		other += json_number_value(json_object_get(v, "amount"));
	logbook = round(logbook * 100) / 100;
	*out = json_pack("{s:o, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:s}", "responders", responders,
			 "logbook_hours", logbook, "extra_hours", extra, "hours", logbook + extra,
			 "rate", rate, "labour", round((logbook + extra) * rate * 100) / 100, "other",
			 other, "total", round(((logbook + extra) * rate + other) * 100) / 100,
			 "currency", jstr(cost, "currency"));
	json_decref(by);
	json_decref(entries);
	return IRK_OK;
}
