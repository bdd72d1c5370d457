/*
 * http.h - `irk serve`: the team server (HTTP API, sessions, the web UI).
 *
 * One process, libmicrohttpd with a thread per connection.  Casebook
 * access goes through one SQLite handle guarded by the server's mutex (the
 * long reads of verify and of evidence content go without it: see
 * irk_http_unlock()), so a request sees and writes the casebook exactly as
 * a command would; entries are written with the library functions the
 * commands use, signed with the server's own member key and naming the
 * authenticated member in data.on_behalf_of (docs/SECURITY.md).
 *
 * Adding an endpoint: write a handler in lib/http/api-<resource>.c and add a
 * line to the route table in lib/http/router.c (method, path pattern, the
 * least role, the handler).  Handlers read `req` and fill `res`; they never
 * see libmicrohttpd.
 *
 * Invariants:
 *  - A handler runs with the casebook lock held (req->srv->lock); SSE
 *    streams take it only while they read.  A long read-only part of a
 *    handler (verify, reading an evidence item) runs between
 *    irk_http_unlock() and irk_http_relock(), on a connection or file of its
 *    own; authentication, role checks and every write happen under the lock.
 *  - Every route names its least role; the router refuses before the
 *    handler runs (401 without credentials, 403 below the role, 403 for a
 *    cookie-authenticated write without the CSRF header).
 *  - Errors are JSON: {"error":{"code":irk_code_name,"reason":...,"message":...}}.
 */
#ifndef IRK_HTTP_H
#define IRK_HTTP_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

#include "irk/casebook.h"
#include "irk/error.h"
#include "irk/key.h"
#include "irk/member.h"

#define IRK_HTTP_BODY_MAX (256 * 1024)   /* request body cap */
#define IRK_HTTP_HEADER_MAX (16 * 1024)  /* per-connection header memory */
#define IRK_HTTP_CONN_MAX 256            /* simultaneous connections */
#define IRK_HTTP_TIMEOUT_S 60            /* idle connection timeout */
#define IRK_HTTP_SESSION_S (12 * 3600)   /* default session lifetime */
#define IRK_HTTP_DOWNLOAD_MAX (64 * 1024 * 1024) /* largest evidence item served */

struct irk_http_config {
	const char *listen;        /* "127.0.0.1:8080" */
	const char *irk_dir;       /* the casebook's .irk directory */
	const char *key_path;      /* the server member's identity file */
	const char *tls_cert;      /* PEM files, both or neither */
	const char *tls_key;
	int session_seconds;       /* 0: IRK_HTTP_SESSION_S */
	int login_failures;        /* failed logins per minute before 429; 0: 5 */
	/* Access log sink: one JSON line per request (no newline); may be NULL. */
	void (*log)(const char *line, void *arg);
	void *log_arg;
};

struct irk_http_server;
struct irk_http_route;

/* Open the casebook and the key, bind, start serving. */
enum irk_code irk_http_start(const struct irk_http_config *cfg, struct irk_http_server **out,
			     struct irk_err *err);
/* The port actually bound (useful with port 0). */
int irk_http_port(const struct irk_http_server *srv);
/* Stop accepting, finish the requests in progress (writes included), close. */
void irk_http_stop(struct irk_http_server *srv);

/* --- what handlers see -------------------------------------------------- */

struct irk_http_request {
	struct irk_http_server *srv;
	struct irk_casebook *cb;
	const struct irk_identity *server_id;
	const char *method;
	const char *path;
	const struct irk_http_route *route; /* the route matched */
	const char *params[4];    /* the {x} parts of the route pattern, in order */
	json_t *body;             /* parsed JSON body of a POST, or NULL */
	struct irk_member member; /* the authenticated member (role NONE if anonymous) */
	const char *auth;         /* "session", "token" or "" */
	const char *remote;       /* client address */
	void *conn;               /* for irk_http_query() */
	/* Set by the login handler: a new session to hand out as a cookie. */
	char set_session[128];
	int clear_session;
};

struct irk_http_response {
	int status;
	json_t *json;             /* the body (owned), or NULL */
	/* A streaming body (SSE); the server calls it until it returns < 0. */
	long (*stream)(void *arg, uint64_t pos, char *buf, size_t max);
	void (*stream_free)(void *arg);
	void *stream_arg;
	const char *content_type;   /* of a stream or a raw body */
	/* A body that is not JSON (irk_http_body()): SVG, HTML, Markdown, a file. */
	char *raw;
	size_t raw_len;
	char filename[128];         /* set: Content-Disposition: attachment */
	int document;               /* an HTML page shown in a sandboxed frame (irk_http_body) */
};

typedef void (*irk_http_handler)(struct irk_http_request *req, struct irk_http_response *res);

struct irk_http_route {
	const char *method;
	const char *pattern;      /* "/api/v1/incidents/{id}/entries" */
	enum irk_role least;      /* IRK_ROLE_NONE: no login needed */
	irk_http_handler handler;
	const char *summary;      /* for /api/v1/capabilities and docs/API.md */
};

extern const struct irk_http_route irk_http_routes[]; /* ends with a NULL method */

/* Match `method` and `path` against the table; fills req->params.  NULL if no route. */
const struct irk_http_route *irk_http_route_find(const char *method, const char *path,
						 char params[4][128], int *path_known);

/*
 * Let other requests go on during the long, read-only part of a handler.
 * Until irk_http_relock() the request has no casebook (req->cb and
 * req->server_id are NULL): what it reads then, it opens itself (a
 * connection of its own from irk_casebook_open() on irk_http_casebook_dir(),
 * whose irk_db_snapshot() sees one moment while the server writes).
 * irk_http_relock() takes the lock back and admits the request again (its
 * credentials and role as they are now): 0 with the refusal in `res` when
 * it no longer may; the handler then returns.  A handler always returns
 * with the lock held.
 */
void irk_http_unlock(struct irk_http_request *req);
int irk_http_relock(struct irk_http_request *req, struct irk_http_response *res);
/* The casebook's .irk directory (fixed for the server's life; no lock needed). */
const char *irk_http_casebook_dir(const struct irk_http_request *req);

/* A query-string parameter of the request, or NULL. */
const char *irk_http_query(const struct irk_http_request *req, const char *name);

/* Fill `res` with a JSON error; `reason` is a finer stable word ("csrf", "too-large"). */
void irk_http_error(struct irk_http_response *res, int status, enum irk_code code,
		    const char *reason, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Fill `res` from a library failure (status chosen from the code). */
void irk_http_fail(struct irk_http_response *res, const struct irk_err *err);
int irk_http_status_for(enum irk_code code);
/* 200 with a JSON body (takes ownership). */
void irk_http_ok(struct irk_http_response *res, json_t *json);

/*
 * Answer 200 with a body that is not JSON, taking `body` over.  `type` is a
 * static Content-Type.  An HTML page (type text/html) is served sandboxed:
 * no script runs in it, its own inline style applies, and the web UI may
 * show it in a frame.  irk_http_attachment() makes the browser save it.
 */
void irk_http_body(struct irk_http_response *res, const char *type, struct irk_buf *body);
/* Content-Disposition: attachment with `name` reduced to safe characters. */
void irk_http_attachment(struct irk_http_response *res, const char *name);

/* Record that the member read `what` (incident id or "") : the view log. */
void irk_http_record_view(struct irk_http_request *req, const char *incident, const char *what);

/* Resolve {id} (params[0]) into `inc`; 0 with the error in `res` when it names none. */
int irk_http_incident(struct irk_http_request *req, struct irk_http_response *res,
		      char inc[IRK_CHAIN_MAX]);
/* A log-book sequence number from a query or header: NULL or "" is 0; -1 if malformed. */
int64_t irk_http_seq(const char *s);
/* params[i] as a positive number of a `what` ("task"); 0 with a 400 in `res` otherwise. */
int irk_http_number(struct irk_http_request *req, struct irk_http_response *res, int i,
		    const char *what, int64_t *num);

/* The JSON body of a request: an object, or a 400 in res (returns NULL). */
json_t *irk_http_body_object(struct irk_http_request *req, struct irk_http_response *res);
/* A string field of the body, optional or required; checks UTF-8 and a size cap. */
int irk_http_body_string(struct irk_http_request *req, struct irk_http_response *res,
			 const char *field, int required, size_t max, const char **out);

/*
 * Parse a request body as the API does (size cap, JSON object, UTF-8); used by
 * the server and by the fuzz target.  Returns NULL with err filled.
 */
json_t *irk_http_parse_body(const char *data, size_t len, struct irk_err *err);

/* The handlers, one group per lib/http/api-*.c. */
void irk_api_capabilities(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_login(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_logout(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_whoami(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_incidents_list(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_incidents_open(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_incident_get(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_incident_phase(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_incident_close(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_entries_list(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_entries_append(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_entries_stream(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_members_list(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_members_add(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_verify(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_tasks_list(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_evidence_list(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_messages_list(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_due(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_stats(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_views_list(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_task_add(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_task_ack(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_task_assign(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_task_done(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_task_cancel(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_msg_draft(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_msg_get(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_msg_lint(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_msg_approve(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_msg_publish(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_evidence_show(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_evidence_download(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_timeline(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_report(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_postmortem(struct irk_http_request *req, struct irk_http_response *res);
void irk_api_findings(struct irk_http_request *req, struct irk_http_response *res);

#endif
