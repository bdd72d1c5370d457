/*
 * router.c - the API's one table: method, path pattern, least role, handler.
 * An endpoint is a line here and a handler in lib/http/api-<resource>.c; the
 * server checks authentication, role and CSRF from this table before the
 * handler runs, and /api/v1/capabilities lists it for the web UI (which
 * shows only the sections whose endpoints exist).
 */
#include <string.h>

#include "irk/http.h"

const struct irk_http_route irk_http_routes[] = {
	{ "GET", "/api/v1/capabilities", IRK_ROLE_NONE, irk_api_capabilities,
	  "the endpoints this server offers" },
	{ "POST", "/api/v1/login", IRK_ROLE_NONE, irk_api_login,
	  "log in with e-mail and password; sets the session cookie" },
	{ "POST", "/api/v1/logout", IRK_ROLE_VIEWER, irk_api_logout, "end the session" },
	{ "GET", "/api/v1/whoami", IRK_ROLE_VIEWER, irk_api_whoami,
	  "the member behind the request (and the session's CSRF token)" },
	{ "GET", "/api/v1/incidents", IRK_ROLE_VIEWER, irk_api_incidents_list, "list incidents" },
	{ "POST", "/api/v1/incidents", IRK_ROLE_RESPONDER, irk_api_incidents_open,
	  "open an incident" },
	{ "GET", "/api/v1/incidents/{id}", IRK_ROLE_VIEWER, irk_api_incident_get,
	  "one incident" },
	{ "POST", "/api/v1/incidents/{id}/phase", IRK_ROLE_LEAD, irk_api_incident_phase,
	  "move an incident to a phase" },
	{ "POST", "/api/v1/incidents/{id}/close", IRK_ROLE_LEAD, irk_api_incident_close,
	  "close an incident with a resolution" },
	{ "GET", "/api/v1/incidents/{id}/entries", IRK_ROLE_VIEWER, irk_api_entries_list,
	  "the log book (?after=SEQ for newer entries only)" },
	{ "POST", "/api/v1/incidents/{id}/entries", IRK_ROLE_RESPONDER, irk_api_entries_append,
	  "write an entry into the log book" },
	{ "GET", "/api/v1/incidents/{id}/stream", IRK_ROLE_VIEWER, irk_api_entries_stream,
	  "new entries as Server-Sent Events" },
	{ "GET", "/api/v1/incidents/{id}/views", IRK_ROLE_LEAD, irk_api_views_list,
	  "who viewed the incident through the server" },
	{ "GET", "/api/v1/members", IRK_ROLE_VIEWER, irk_api_members_list, "list members" },
	{ "POST", "/api/v1/members", IRK_ROLE_ADMIN, irk_api_members_add,
	  "add a member or change a role" },
	{ "GET", "/api/v1/verify", IRK_ROLE_VIEWER, irk_api_verify,
	  "verify hashes, chains, signatures and projections (as irk verify)" },
	{ "GET", "/api/v1/incidents/{id}/tasks", IRK_ROLE_VIEWER, irk_api_tasks_list,
	  "the incident's tasks (as irk task list --all)" },
	{ "GET", "/api/v1/incidents/{id}/evidence", IRK_ROLE_VIEWER, irk_api_evidence_list,
	  "the incident's evidence items (metadata only)" },
	{ "GET", "/api/v1/incidents/{id}/messages", IRK_ROLE_VIEWER, irk_api_messages_list,
	  "the incident's messages, without their text" },
	{ "GET", "/api/v1/due", IRK_ROLE_VIEWER, irk_api_due,
	  "what is due or overdue across open incidents (as irk due)" },
	{ "GET", "/api/v1/stats", IRK_ROLE_VIEWER, irk_api_stats,
	  "the crew's metrics (?by=month, quarter or year; ?format=json or html)" },
	{ "POST", "/api/v1/incidents/{id}/tasks", IRK_ROLE_RESPONDER, irk_api_task_add,
	  "add a task (title; owner, phase, due)" },
	{ "POST", "/api/v1/incidents/{id}/tasks/{num}/ack", IRK_ROLE_RESPONDER, irk_api_task_ack,
	  "acknowledge your task with an ETA (eta: 15m)" },
	{ "POST", "/api/v1/incidents/{id}/tasks/{num}/assign", IRK_ROLE_RESPONDER,
	  irk_api_task_assign, "give a task to another member (its owner or a lead)" },
	{ "POST", "/api/v1/incidents/{id}/tasks/{num}/done", IRK_ROLE_RESPONDER, irk_api_task_done,
	  "mark a task done (its owner or a lead)" },
	{ "POST", "/api/v1/incidents/{id}/tasks/{num}/cancel", IRK_ROLE_RESPONDER,
	  irk_api_task_cancel, "cancel a task (whoever added it or a lead)" },
	{ "POST", "/api/v1/incidents/{id}/messages", IRK_ROLE_RESPONDER, irk_api_msg_draft,
	  "draft a message (audience, text; template); linted" },
	{ "GET", "/api/v1/messages/{num}", IRK_ROLE_VIEWER, irk_api_msg_get,
	  "one message with its text and lint results" },
	{ "GET", "/api/v1/messages/{num}/lint", IRK_ROLE_VIEWER, irk_api_msg_lint,
	  "lint a message's current text (as irk msg lint)" },
	{ "POST", "/api/v1/messages/{num}/approve", IRK_ROLE_RESPONDER, irk_api_msg_approve,
	  "approve a message: not its author or last editor; a lead for public and press" },
	{ "POST", "/api/v1/messages/{num}/publish", IRK_ROLE_RESPONDER, irk_api_msg_publish,
	  "publish an approved message: record it and hand its text back" },
	{ "GET", "/api/v1/evidence/{num}", IRK_ROLE_VIEWER, irk_api_evidence_show,
	  "one evidence item: acquisition record and custody (as irk evidence show)" },
	{ "GET", "/api/v1/evidence/{num}/download", IRK_ROLE_VIEWER, irk_api_evidence_download,
	  "the item's content, re-hashed; the access is recorded in the log book" },
	{ "GET", "/api/v1/incidents/{id}/timeline", IRK_ROLE_VIEWER, irk_api_timeline,
	  "the chronology (?format=json, svg, html, md or csv; ?kind=K,K)" },
	{ "GET", "/api/v1/incidents/{id}/report", IRK_ROLE_VIEWER, irk_api_report,
	  "a report (?kind=postmortem, executive, technical or disclosure; ?format=html or md)" },
	{ "GET", "/api/v1/incidents/{id}/postmortem", IRK_ROLE_VIEWER, irk_api_postmortem,
	  "the postmortem with action items, cost and warnings (as irk postmortem show --json)" },
	{ "GET", "/api/v1/findings", IRK_ROLE_VIEWER, irk_api_findings,
	  "the newest findings recorded in open incidents" },
	{ NULL, NULL, IRK_ROLE_NONE, NULL, NULL },
};

/* Match one pattern; fills params with the {x} segments. */
static int match(const char *pattern, const char *path, char params[4][128])
{
	int n = 0;

	while (*pattern && *path) {
		if (*pattern == '{') {
			size_t len = strcspn(path, "/");
			const char *close = strchr(pattern, '}');
			if (!close || len == 0 || len >= 128 || n >= 4)
				return 0;
			memcpy(params[n], path, len);
			params[n++][len] = '\0';
			path += len;
			pattern = close + 1;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	return !*pattern && !*path;
}

const struct irk_http_route *irk_http_route_find(const char *method, const char *path,
						 char params[4][128], int *path_known)
{
	*path_known = 0;
	for (const struct irk_http_route *r = irk_http_routes; r->method; r++) {
		memset(params, 0, 4 * 128);
		if (!match(r->pattern, path, params))
			continue;
		*path_known = 1;
		if (!strcmp(r->method, method) || (!strcmp(method, "HEAD") && !strcmp(r->method, "GET")))
			return r;
	}
	return NULL;
}
