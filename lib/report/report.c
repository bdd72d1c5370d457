/* report.c - reports from the casebook with a footer tying them to the record; see irk/report.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "irk/checkpoint.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/markup.h"
#include "irk/postmortem.h"
#include "irk/report.h"
#include "irk/svg.h"
#include "irk/timefmt.h"
#include "irk/timeline.h"

const char *const irk_report_kinds[] = { "postmortem", "executive", "technical", "disclosure",
					 NULL };

static const char record_tag[] = "irk-record: ";
static const char cp_fence[] = "```checkpoint\n";

struct ctx {
	struct irk_casebook *cb;
	const char *inc;
	json_t *incident, *pm, *cost;
	struct irk_timeline tl;
	struct irk_buf *md;
};

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void heading(struct ctx *c, const char *h)
{
	irk_buf_addf(c->md, "\n## %s\n\n", h);
}

static void para(struct ctx *c, const char *text)
{
	if (*text)
		irk_md_escape(c->md, text, 0);
	else
		irk_buf_adds(c->md, "*(not written)*");
	irk_buf_adds(c->md, "\n");
}

static void pm_section(struct ctx *c, const char *h, const char *key)
{
	heading(c, h);
	para(c, jstr(c->pm, key));
}

static int stage(struct ctx *c, const char *name, int64_t *ms)
{
	const char *s = jstr(json_object_get(c->incident, "times"), name);
	return *s && irk_time_parse_utc(s, ms, NULL) == IRK_OK;
}

static void span_row(struct ctx *c, const char *label, const char *from, const char *to)
{
	int64_t a, b;
	char d[32];

	if (!stage(c, from, &a) || !stage(c, to, &b) || b < a)
		return;
	irk_duration((b - a) / 1000, d);
	irk_buf_addf(c->md, "| %s | %s |\n", label, d);
}

static void facts(struct ctx *c)
{
	static const char *const stages[] = { "occurred",  "detected",	 "reported",  "acknowledged",
					      "triage",	   "contained", "eradicated", "recovered",
					      "closed",	   NULL };
	char when[IRK_TIME_MAX];
	int64_t ms;

	irk_buf_adds(c->md, "| Item | Value |\n|---|---|\n");
	irk_buf_addf(c->md, "| Incident | %s |\n| Category | %s |\n| Severity | %s |\n| TLP | %s |\n",
		     c->inc, jstr(c->incident, "category"), jstr(c->incident, "severity"),
		     jstr(c->incident, "tlp"));
	irk_buf_addf(c->md, "| Phase | %s%s%s |\n", jstr(c->incident, "phase"),
		     json_is_string(json_object_get(c->incident, "resolution")) ? ", " : "",
		     jstr(c->incident, "resolution"));
	if (json_is_true(json_object_get(c->incident, "drill")))
		irk_buf_adds(c->md, "| Drill | yes: an exercise, not a real incident |\n");
	for (int i = 0; stages[i]; i++)
		if (stage(c, stages[i], &ms)) {
			irk_time_utc(ms, 0, when);
			irk_buf_addf(c->md, "| %c%s | %s |\n", toupper((unsigned char)stages[i][0]),
				     stages[i] + 1, when);
		}
	span_row(c, "Time to detect", "occurred", "detected");
	span_row(c, "Time to contain", "detected", "contained");
	span_row(c, "Time to recover", "detected", "recovered");
}

static void impact(struct ctx *c)
{
	json_t *im = json_object_get(c->pm, "impact");
	static const char *const keys[] = { "systems", "data", "people", "duration", NULL };

	heading(c, "Impact");
	irk_buf_adds(c->md, "| Item | Value |\n|---|---|\n");
	for (int i = 0; keys[i]; i++) {
		irk_buf_addf(c->md, "| %c%s | ", toupper((unsigned char)keys[i][0]), keys[i] + 1);
		irk_md_escape(c->md, *jstr(im, keys[i]) ? jstr(im, keys[i]) : "-", 1);
		irk_buf_adds(c->md, " |\n");
	}
	if (*jstr(im, "notes")) {
		irk_buf_adds(c->md, "\n");
		para(c, jstr(im, "notes"));
	}
}

static const struct irk_tl_event *event_by_seq(struct ctx *c, int64_t seq)
{
	for (size_t i = 0; i < c->tl.n; i++)
		if (c->tl.ev[i].seq == seq)
			return &c->tl.ev[i];
	return NULL;
}

static void factors(struct ctx *c, int with_entries)
{
	struct irk_buf desc = IRK_BUF_INIT;
	size_t i, k;
	json_t *f, *x;

	heading(c, "Contributing factors");
	if (!json_array_size(json_object_get(c->pm, "factors")))
		irk_buf_adds(c->md, "*(none recorded)*\n");
	json_array_foreach(json_object_get(c->pm, "factors"), i, f) {
		irk_buf_addf(c->md, "%zu. ", i + 1);
		irk_md_escape(c->md, jstr(f, "text"), 1);
		if (json_array_size(json_object_get(f, "principles"))) {
			irk_buf_adds(c->md, " — *principles:");
			json_array_foreach(json_object_get(f, "principles"), k, x)
				irk_buf_addf(c->md, "%s %s", k ? "," : "", json_string_value(x));
			irk_buf_adds(c->md, "*");
		}
		irk_buf_adds(c->md, "\n");
		if (!with_entries)
			continue;
		json_array_foreach(json_object_get(f, "entries"), k, x) {
			const struct irk_tl_event *ev = event_by_seq(c, json_integer_value(x));
			irk_buf_addf(c->md, "   - entry #%lld", (long long)json_integer_value(x));
			if (ev) {
				char when[IRK_TIME_MAX];
				irk_time_utc(ev->at_ms, 0, when);
				irk_buf_reset(&desc);
				irk_timeline_describe(ev, &desc);
				irk_buf_addf(c->md, " (%s, %s): ", when, ev->kind);
				irk_md_escape(c->md, desc.buf, 1);
			}
			irk_buf_adds(c->md, "\n");
		}
	}
	irk_buf_release(&desc);
}

static void actions(struct ctx *c)
{
	size_t i;
	json_t *a;

	heading(c, "Action items");
	if (!json_array_size(json_object_get(c->pm, "actions"))) {
		irk_buf_adds(c->md, "*(none recorded)*\n");
		return;
	}
	irk_buf_adds(c->md, "| # | Action | Owner | Due |\n|---|---|---|---|\n");
	json_array_foreach(json_object_get(c->pm, "actions"), i, a) {
		irk_buf_addf(c->md, "| %zu | ", i + 1);
		irk_md_escape(c->md, jstr(a, "title"), 1);
		irk_buf_adds(c->md, " | ");
		irk_md_escape(c->md, *jstr(a, "owner") ? jstr(a, "owner") : "-", 1);
		irk_buf_addf(c->md, " | %.10s |\n", *jstr(a, "due") ? jstr(a, "due") : "-");
	}
}

static void cost(struct ctx *c)
{
	json_t *k = c->cost, *v;
	size_t i;

	heading(c, "Cost estimate");
	irk_buf_addf(c->md,
		     "%.2f responder hours from the log book and %.2f further hours, at %.2f per "
		     "hour: %.2f; other losses %.2f; **total %.2f ",
		     json_number_value(json_object_get(k, "logbook_hours")),
		     json_number_value(json_object_get(k, "extra_hours")),
		     json_number_value(json_object_get(k, "rate")),
		     json_number_value(json_object_get(k, "labour")),
		     json_number_value(json_object_get(k, "other")),
		     json_number_value(json_object_get(k, "total")));
	irk_md_escape(c->md, jstr(k, "currency"), 1);
	irk_buf_adds(c->md, "**.\n\n");
	json_array_foreach(json_object_get(json_object_get(c->pm, "cost"), "other"), i, v) {
		irk_buf_addf(c->md, "- %.2f: ", json_number_value(json_object_get(v, "amount")));
		irk_md_escape(c->md, jstr(v, "what"), 1);
		irk_buf_adds(c->md, "\n");
	}
	irk_buf_adds(c->md, "\nMethod: each responder's entries are grouped into sessions (entries "
			    "at most 2 hours apart); a session counts from its first to its last "
			    "entry plus 15 minutes. See docs/REPORTS.md.\n");
}

static enum irk_code footer(struct ctx *c, const struct irk_identity *id, struct irk_err *err)
{
	char head[IRK_SHA256_HEX], when[IRK_TIME_MAX], root_b64[64];
	uint8_t root[IRK_SHA256_LEN];
	struct irk_buf note = IRK_BUF_INIT;
	int64_t count;
	enum irk_code rc;

	if ((rc = irk_logbook_head(c->cb, c->inc, &count, head, err)) ||
	    (rc = irk_chain_root(c->cb, c->inc, (uint64_t)count, root, err)))
		return rc;
	irk_b64(root, sizeof(root), root_b64);
	irk_time_utc(irk_now_ms(), 0, when);
	irk_buf_addf(c->md,
		     "\n---\n\n## Record\n\nGenerated by irk at %s from the log book of %s as it "
		     "stood at entry %lld. Check that it still matches with `irk report --check "
		     "FILE`; check the checkpoint below with `irk verify --checkpoint FILE`.\n\n"
		     "`%s%s entries=%lld head=%s root=%s`\n",
		     when, c->inc, (long long)count, record_tag, c->inc, (long long)count, head,
		     root_b64);
	if (id) {
		if ((rc = irk_checkpoint_make(c->cb, id, c->inc, &note, err))) {
			irk_buf_release(&note);
			return rc;
		}
		irk_buf_addf(c->md, "\n%s%s```\n", cp_fence, note.buf);
	}
	irk_buf_release(&note);
	return IRK_OK;
}

/* Public chronology for a disclosure: phases and closing only, no names. */
static void public_chronology(struct ctx *c)
{
	char when[IRK_TIME_MAX];
	int64_t ms;
	static const char *const stages[] = { "occurred", "detected", "contained", "eradicated",
					      "recovered", "closed", NULL };
	static const char *const words[] = { "the incident began", "we detected it",
					     "we contained it", "the cause was removed",
					     "service was restored", "the investigation was closed" };

	heading(c, "When");
	for (int i = 0; stages[i]; i++)
		if (stage(c, stages[i], &ms)) {
			irk_time_utc(ms, 0, when);
			irk_buf_addf(c->md, "- %s: %s\n", when, words[i]);
		}
}

enum irk_code irk_report_markdown(struct irk_casebook *cb, const struct irk_identity *id,
				  const char *inc, const char *kind, struct irk_buf *out,
				  struct irk_err *err)
{
	struct ctx c = { .cb = cb, .inc = inc, .md = out };
	enum irk_code rc;
	int64_t seq;
	int k = irk_list_index(irk_report_kinds, kind);
	static const char *const titles[] = { "Postmortem", "Executive summary",
					      "Technical report", "Incident disclosure" };

	if (k < 0) {
		irk_fail(err, IRK_EINVAL, "unknown report kind '%s'", kind);
		irk_hint(err, "use postmortem, executive, technical or disclosure");
		return IRK_EINVAL;
	}
	if ((rc = irk_incident_get(cb, inc, &c.incident, err)) ||
	    (rc = irk_timeline_build(cb, inc, NULL, &c.tl, err)))
		goto done;
	rc = irk_postmortem_get(cb, inc, &c.pm, &seq, err);
	if (rc == IRK_ENOTFOUND && (k == 1 || k == 2)) {
		irk_err_clear(err);
		c.pm = NULL;
	} else if (rc) {
		goto done;
	}
	if (c.pm && (rc = irk_postmortem_cost(cb, inc, c.pm, &c.cost, err)))
		goto done;

	irk_buf_addf(out, "# %s: ", titles[k]);
	irk_md_escape(out, jstr(c.incident, "title"), 1);
	irk_buf_addf(out, "\n\n%s%s · %s · %s severity · TLP:", inc,
		     json_is_true(json_object_get(c.incident, "drill")) ? " (drill)" : "",
		     jstr(c.incident, "category"), jstr(c.incident, "severity"));
	irk_md_escape(out, jstr(c.incident, "tlp"), 1);
	irk_buf_adds(out, "\n");
	if (k == 3) { /* disclosure: for people outside the team */
		pm_section(&c, "What happened", "summary");
		public_chronology(&c);
		impact(&c);
		pm_section(&c, "What we have done", "response");
		pm_section(&c, "What you should do", "rec_users");
		pm_section(&c, "For other projects", "rec_projects");
		goto footer;
	}
	if (c.pm)
		pm_section(&c, "Summary", "summary");
	heading(&c, "Key facts");
	facts(&c);
	if (k == 1) { /* executive */
		if (c.pm) {
			impact(&c);
			cost(&c);
			actions(&c);
		}
		heading(&c, "Timeline");
		irk_buf_adds(out, "\n<figure>\n");
		irk_svg_timeline(&c.tl, out);
		irk_buf_adds(out, "</figure>\n");
		goto footer;
	}
	if (c.pm) {
		impact(&c);
		pm_section(&c, "Detection", "detection");
		pm_section(&c, "Response", "response");
	}
	heading(&c, "Timeline");
	irk_timeline_markdown(&c.tl, 1, out);
	if (c.pm) {
		factors(&c, 1);
		pm_section(&c, "What went well", "went_well");
		pm_section(&c, "Lessons", "lessons");
		actions(&c);
		cost(&c);
		if (k == 0) {
			pm_section(&c, "Recommendations for users", "rec_users");
			pm_section(&c, "Recommendations for other projects", "rec_projects");
		}
	}
footer:
	rc = footer(&c, id, err);
done:
	json_decref(c.incident);
	json_decref(c.pm);
	json_decref(c.cost);
	irk_timeline_release(&c.tl);
	return rc;
}

enum irk_code irk_report_html(struct irk_casebook *cb, const struct irk_identity *id,
			      const char *inc, const char *kind, struct irk_buf *out,
			      struct irk_err *err)
{
	struct irk_buf md = IRK_BUF_INIT, title = IRK_BUF_INIT;
	enum irk_code rc = irk_report_markdown(cb, id, inc, kind, &md, err);

	if (rc == IRK_OK) {
		irk_buf_addf(&title, "%s %s report", inc, kind);
		rc = irk_md_page(title.buf, md.buf, md.len, out, err);
	}
	irk_buf_release(&md);
	irk_buf_release(&title);
	return rc;
}

/* ---- PDF ---- */

enum irk_code irk_report_browser(struct irk_buf *out, struct irk_err *err)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome", NULL };
	const char *env = getenv("IRK_CHROMIUM"), *path = getenv("PATH");

	if (env && *env) {
		if (access(env, X_OK) == 0) {
			irk_buf_adds(out, env);
			return IRK_OK;
		}
		return irk_fail(err, IRK_ENOTFOUND, "IRK_CHROMIUM names %s, which is not executable",
				env);
	}
	for (int i = 0; names[i]; i++) {
		const char *p = path ? path : "/usr/bin:/bin";
		while (*p) {
			size_t n = strcspn(p, ":");
			irk_buf_reset(out);
			irk_buf_addf(out, "%.*s/%s", (int)n, p, names[i]);
			if (n && access(out->buf, X_OK) == 0)
				return IRK_OK;
			p += n + (p[n] == ':');
		}
	}
	irk_buf_reset(out);
	irk_fail(err, IRK_ENOTFOUND, "no headless browser to print the PDF with (looked for "
				     "chromium, chromium-browser and google-chrome on PATH)");
	irk_hint(err, "install one (Debian: apt-get install chromium), set IRK_CHROMIUM, or use "
		      "--format html and print that");
	return IRK_ENOTFOUND;
}

enum irk_code irk_report_pdf(const char *html, size_t len, const char *pdf, struct irk_err *err)
{
	struct irk_buf browser = IRK_BUF_INIT, arg = IRK_BUF_INIT, url = IRK_BUF_INIT;
	char dir[] = "/tmp/irk-report-XXXXXX";
	enum irk_code rc;
	struct stat sb;
	int status;
	pid_t pid;

	if ((rc = irk_report_browser(&browser, err)))
		goto done;
	if (!mkdtemp(dir)) {
		rc = irk_fail(err, IRK_EIO, "cannot create a temporary directory in /tmp");
		goto done;
	}
	irk_buf_addf(&url, "%s/report.html", dir);
	if ((rc = irk_write_file(url.buf, html, len, 0600, err)))
		goto clean;
	irk_buf_addf(&arg, "--print-to-pdf=%s", pdf);
	{
		char *file_url = irk_malloc(url.len + 8);
		snprintf(file_url, url.len + 8, "file://%s", url.buf);
		pid = fork();
		if (pid == 0) {
			char profile[sizeof(dir) + 16];
			int null = open("/dev/null", 1);
			snprintf(profile, sizeof(profile), "--user-data-dir=%s", dir);
			if (null >= 0) {
				dup2(null, 1);
				dup2(null, 2);
			}
			execl(browser.buf, browser.buf, "--headless", "--no-sandbox", "--disable-gpu",
			      "--no-pdf-header-footer", profile, arg.buf, file_url, (char *)NULL);
			_exit(127);
		}
		free(file_url);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) ||
	    stat(pdf, &sb) != 0 || sb.st_size == 0)
		rc = irk_fail(err, IRK_EIO, "%s did not print %s", browser.buf, pdf);
clean:
	{
		/* The browser leaves its profile in `dir`; remove it all. */
		pid_t rm = fork();
		if (rm == 0) {
			execl("/bin/rm", "rm", "-rf", dir, (char *)NULL);
			_exit(127);
		}
		if (rm > 0)
			waitpid(rm, &status, 0);
	}
done:
	irk_buf_release(&browser);
	irk_buf_release(&arg);
	irk_buf_release(&url);
	return rc;
}

/* ---- checking a report against the casebook ---- */

static void unescape_html(struct irk_buf *b)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		     { "&#39;", '\'' } };
	size_t w = 0;

	for (size_t r = 0; r < b->len;) {
		size_t i;
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
			if (!strncmp(b->buf + r, ents[i].ent, strlen(ents[i].ent)))
				break;
		if (i < sizeof(ents) / sizeof(ents[0])) {
			b->buf[w++] = ents[i].c;
			r += strlen(ents[i].ent);
		} else {
			b->buf[w++] = b->buf[r++];
		}
	}
	irk_buf_setlen(b, w);
}

/* The checkpoint note in the footer (Markdown fence or its HTML rendering), if any. */
static int find_note(const char *text, size_t len, struct irk_buf *note)
{
	const char *html_open = "<code class=\"language-checkpoint\">";
	const char *p = memmem(text, len, cp_fence, strlen(cp_fence)), *end;

	if (p) {
		p += strlen(cp_fence);
		end = memmem(p, len - (size_t)(p - text), "```", 3);
	} else if ((p = memmem(text, len, html_open, strlen(html_open)))) {
		p += strlen(html_open);
		end = memmem(p, len - (size_t)(p - text), "</code>", 7);
	} else {
		return 0;
	}
	if (!end)
		return 0;
	irk_buf_add(note, p, (size_t)(end - p));
	unescape_html(note);
	return 1;
}

enum irk_code irk_report_footer_parse(const char *text, size_t len, struct irk_report_footer *f,
				      struct irk_err *err)
{
	const char *p = memmem(text, len, record_tag, strlen(record_tag));
	struct irk_buf line = IRK_BUF_INIT;
	long long entries;
	int ok;

	memset(f, 0, sizeof(*f));
	irk_buf_init(&f->note, 0);
	if (!p) {
		irk_fail(err, IRK_EINVAL, "no irk-record footer in this file");
		irk_hint(err, "only Markdown and HTML reports from 'irk report' carry one; for a PDF, "
			      "check the HTML it was printed from");
		return IRK_EINVAL;
	}
	{
		size_t n = 0, rest = len - (size_t)(p - text);
		while (n < rest && n < 400 && p[n] != '\n' && p[n] != '<' && p[n] != '`' && p[n])
			n++;
		irk_buf_add(&line, p, n);
	}
	ok = sscanf(line.buf, "irk-record: %31s entries=%lld head=%64[0-9a-f]", f->inc, &entries,
		    f->head) == 3 &&
	     strlen(f->head) == 64 && entries >= 1;
	irk_buf_release(&line);
	if (!ok)
		return irk_fail(err, IRK_EINVAL, "the irk-record footer is malformed");
	f->entries = entries;
	find_note(text, len, &f->note);
	return IRK_OK;
}

void irk_report_footer_release(struct irk_report_footer *f)
{
	irk_buf_release(&f->note);
}

enum irk_code irk_report_check(struct irk_casebook *cb, const char *text, size_t len,
			       json_t **out, struct irk_err *err)
{
	struct irk_report_footer f;
	char now_head[IRK_SHA256_HEX];
	const char *state, *cp_state = "absent";
	struct irk_entry e;
	enum irk_code rc;
	int64_t count;

	if ((rc = irk_report_footer_parse(text, len, &f, err)))
		goto done;
	if ((rc = irk_logbook_head(cb, f.inc, &count, now_head, err)))
		goto done;
	if (count == 0) {
		rc = irk_fail(err, IRK_ENOTFOUND,
			      "the report is about %s, which this casebook does not hold", f.inc);
		goto done;
	}
	if (f.entries > count) {
		state = "mismatch";
	} else if ((rc = irk_logbook_get(cb, f.inc, f.entries, &e, err))) {
		goto done;
	} else {
		state = strcmp(e.hash, f.head) ? "mismatch" : f.entries == count ? "current" : "stale";
		irk_entry_release(&e);
	}
	if (f.note.len) {
		struct irk_checkpoint_result res;
		struct irk_err sub = IRK_ERR_INIT;
		cp_state = irk_checkpoint_verify(cb, f.note.buf, f.note.len, &res, &sub) == IRK_OK &&
					   res.signers > 0 && res.size == (uint64_t)f.entries &&
					   !strcmp(res.chain, f.inc)
				   ? "verified"
				   : "invalid";
	}
	*out = json_pack("{s:s, s:I, s:s, s:I, s:s, s:I, s:s}", "inc", f.inc, "entries",
			 (json_int_t)f.entries, "head", f.head, "current_entries", (json_int_t)count,
			 "state", state, "added", (json_int_t)(count - f.entries), "checkpoint",
			 cp_state);
	if (!strcmp(state, "mismatch") || !strcmp(cp_state, "invalid"))
		rc = IRK_ETAMPER;
	else
		rc = strcmp(state, "stale") ? IRK_OK : IRK_EFAIL;
done:
	irk_report_footer_release(&f);
	return rc;
}
