/*
 * server.c - the HTTP server behind `irk serve`: libmicrohttpd with a thread
 * per connection, request limits, authentication, CSRF and role checks
 * before any handler runs, security headers on every response, the web UI
 * files, and one JSON line of access log per request.  See irk/http.h.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "irk/auth.h"
#include "irk/embedded.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/text.h"
#include "irk/timefmt.h"

#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;" \
	    " connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none';" \
	    " form-action 'self'; frame-src 'self'"

/* Generated pages (reports, charts) shown in a sandboxed frame of the web UI. */
#define DOC_CSP "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:;" \
		" frame-ancestors 'self'"

/* One request in flight (MHD's con_cls). */
struct conn_req {
	struct irk_buf body;
	int too_large;
	int status;
	int64_t start_ms;
	char member[IRK_NAME_MAX];
	char auth[16];
	char reason[32];
	char method[16];
	char path[256];
};

/* --- JSON helpers for handlers ------------------------------------------ */

int irk_http_status_for(enum irk_code code)
{
	switch (code) {
	case IRK_OK: return 200;
	case IRK_EFAIL: return 422; /* a check found something: lint errors */
	case IRK_EUSAGE: case IRK_EINVAL: return 400;
	case IRK_EKEY: return 401;
	case IRK_EPERM: return 403;
	case IRK_ENOTFOUND: return 404;
	case IRK_ESTATE: return 409;
	case IRK_EBUSY: return 503;
	default: return 500;
	}
}

static void error_json(struct irk_http_response *res, int status, enum irk_code code,
		       const char *reason, const char *msg, const char *hint)
{
	json_t *e = json_pack("{s:s, s:s, s:s}", "code", irk_code_name(code), "reason", reason,
			      "message", msg);

	if (hint && *hint)
		json_object_set_new(e, "hint", json_string(hint));
	json_decref(res->json);
	res->json = json_pack("{s:o}", "error", e);
	res->status = status;
}

void irk_http_error(struct irk_http_response *res, int status, enum irk_code code,
		    const char *reason, const char *fmt, ...)
{
	char msg[IRK_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error_json(res, status, code, reason, msg, NULL);
}

void irk_http_fail(struct irk_http_response *res, const struct irk_err *err)
{
	error_json(res, irk_http_status_for(err->code), err->code, irk_code_name(err->code),
		   err->msg, err->hint);
}

void irk_http_body(struct irk_http_response *res, const char *type, struct irk_buf *body)
{
	json_decref(res->json);
	res->json = NULL;
	free(res->raw);
	res->status = 200;
	res->content_type = type;
	res->document = !strncmp(type, "text/html", 9);
	res->raw = irk_buf_detach(body, &res->raw_len);
}

void irk_http_attachment(struct irk_http_response *res, const char *name)
{
	size_t n = 0;

	for (const char *p = name; *p && n < sizeof(res->filename) - 1; p++)
		res->filename[n++] = (isalnum((unsigned char)*p) || strchr(".-_", *p)) ? *p : '_';
	res->filename[n] = '\0';
	if (!n || res->filename[0] == '.')
		res->filename[0] = '_';
	if (!n)
		res->filename[1] = '\0';
}

void irk_http_ok(struct irk_http_response *res, json_t *json)
{
	json_decref(res->json);
	res->status = 200;
	res->json = json;
}

json_t *irk_http_parse_body(const char *data, size_t len, struct irk_err *err)
{
	json_error_t je;
	json_t *j;

	if (len > IRK_HTTP_BODY_MAX) {
		irk_fail(err, IRK_EINVAL, "the request body is over the limit of %d bytes",
			 IRK_HTTP_BODY_MAX);
		return NULL;
	}
	/* jansson refuses invalid UTF-8 and \u0000; fields are checked as texts later. */
	j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		irk_fail(err, IRK_EINVAL, "the request body is not JSON: %s (line %d, column %d)",
			 je.text, je.line, je.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		irk_fail(err, IRK_EINVAL, "the request body must be a JSON object");
		return NULL;
	}
	return j;
}

json_t *irk_http_body_object(struct irk_http_request *req, struct irk_http_response *res)
{
	if (!req->body) {
		irk_http_error(res, 400, IRK_EINVAL, "json", "this request needs a JSON object body");
		return NULL;
	}
	return req->body;
}

int irk_http_body_string(struct irk_http_request *req, struct irk_http_response *res,
			 const char *field, int required, size_t max, const char **out)
{
	json_t *v = req->body ? json_object_get(req->body, field) : NULL;
	struct irk_err err = IRK_ERR_INIT;

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required) {
			irk_http_error(res, 400, IRK_EINVAL, "missing-field",
				       "the field \"%s\" is required", field);
			return -1;
		}
		return 0;
	}
	if (!json_is_string(v)) {
		irk_http_error(res, 400, IRK_EINVAL, "bad-field", "the field \"%s\" must be a string",
			       field);
		return -1;
	}
	if (irk_text_check(field, json_string_value(v), max, &err)) {
		irk_http_fail(res, &err);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int irk_http_incident(struct irk_http_request *req, struct irk_http_response *res,
		      char inc[IRK_CHAIN_MAX])
{
	struct irk_err err = IRK_ERR_INIT;

	if (irk_incident_resolve(req->cb, req->params[0], inc, &err)) {
		irk_http_fail(res, &err);
		return 0;
	}
	return 1;
}

int64_t irk_http_seq(const char *s)
{
	char *end;
	long long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	return *end || errno || v < 0 ? -1 : v;
}

int irk_http_number(struct irk_http_request *req, struct irk_http_response *res, int i,
		    const char *what, int64_t *num)
{
	const char *s = req->params[i];
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v < 1) {
		irk_http_error(res, 400, IRK_EINVAL, "bad-path", "'%s' is not a %s number", s, what);
		return 0;
	}
	*num = v;
	return 1;
}

static const char views_ddl[] =
	"CREATE TABLE IF NOT EXISTS http_views("
	"  at INTEGER NOT NULL,"
	"  member TEXT NOT NULL,"
	"  incident TEXT NOT NULL,"
	"  what TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS http_views_incident ON http_views(incident, at);";

void irk_http_views_flush(struct irk_http_server *srv)
{
	sqlite3_stmt *st;
	struct irk_err err = IRK_ERR_INIT;

	srv->views_flushed_ms = irk_now_ms();
	if (!srv->nviews || irk_db_begin(srv->cb->db, &err))
		return;
	for (size_t i = 0; i < srv->nviews; i++) {
		const struct irk_http_view *v = &srv->views[i];
		st = irk_db_stmt(srv->cb->db, NULL,
				 "INSERT INTO http_views(at, member, incident, what) VALUES(?1, ?2, ?3, ?4)",
				 &err);
		if (!st)
			break;
		sqlite3_bind_int64(st, 1, v->at_ms);
		sqlite3_bind_text(st, 2, v->member, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, v->incident, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, v->what, -1, SQLITE_STATIC);
		if (irk_db_run(srv->cb->db, st, &err))
			break;
	}
	srv->nviews = 0;
	if (err.code)
		irk_db_rollback(srv->cb->db);
	else
		irk_db_commit(srv->cb->db, &err);
}

/*
 * Views are kept in memory and written in batches (at most 256 or 1 s
 * apart, and at shutdown), so that reading costs no disk sync each time.
 */
void irk_http_record_view(struct irk_http_request *req, const char *incident, const char *what)
{
	struct irk_http_server *srv = req->srv;
	struct irk_http_view *v;

	if (srv->nviews == IRK_HTTP_VIEWS_BATCH)
		irk_http_views_flush(srv);
	v = &srv->views[srv->nviews++];
	v->at_ms = irk_now_ms();
	snprintf(v->member, sizeof(v->member), "%s", req->member.keyid);
	snprintf(v->incident, sizeof(v->incident), "%s", incident);
	snprintf(v->what, sizeof(v->what), "%s", what);
}

const char *irk_http_casebook_dir(const struct irk_http_request *req)
{
	return req->srv->cb->dir; /* set at start, freed at stop: read without the lock */
}

const char *irk_http_query(const struct irk_http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* --- responses ------------------------------------------------------------ */

static void add_security_headers(struct irk_http_server *srv, struct MHD_Response *r, int api,
				 int document)
{
	MHD_add_response_header(r, "Content-Security-Policy", document ? DOC_CSP : CSP);
	MHD_add_response_header(r, "X-Frame-Options", document ? "SAMEORIGIN" : "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	MHD_add_response_header(r, "Cache-Control", api ? "no-store" : "no-cache");
	if (srv->tls)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result send_buffer(struct MHD_Connection *c, struct conn_req *cr,
				   struct irk_http_server *srv, int status, const char *type,
				   const void *data, size_t len, enum MHD_ResponseMemoryMode mode, int api,
				   const struct irk_http_request *req,
				   const struct irk_http_response *res)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, (void *)data, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	add_security_headers(srv, r, api, res && res->document);
	if (res && res->filename[0]) {
		char disp[200];
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", res->filename);
		MHD_add_response_header(r, "Content-Disposition", disp);
	}
	if (req && req->set_session[0]) {
		char cookie[256];
		int secs = srv->cfg.session_seconds > 0 ? srv->cfg.session_seconds
							: IRK_HTTP_SESSION_S;
		snprintf(cookie, sizeof(cookie),
			 "irk_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
			 req->set_session, secs, srv->tls ? "; Secure" : "");
		MHD_add_response_header(r, "Set-Cookie", cookie);
	} else if (req && req->clear_session) {
		MHD_add_response_header(r, "Set-Cookie",
					srv->tls ? "irk_session=; Path=/; HttpOnly; SameSite=Strict;"
						   " Max-Age=0; Secure"
						 : "irk_session=; Path=/; HttpOnly; SameSite=Strict;"
						   " Max-Age=0");
	}
	if (status == 429)
		MHD_add_response_header(r, "Retry-After", "60");
	if (status == 401)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"irk\"");
	cr->status = status;
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, struct conn_req *cr,
				 struct irk_http_server *srv, struct irk_http_response *res,
				 const struct irk_http_request *req)
{
	char *s = json_dumps(res->json ? res->json : json_object(),
			     JSON_COMPACT | JSON_PRESERVE_ORDER);
	enum MHD_Result ret;
	json_t *err = res->json ? json_object_get(res->json, "error") : NULL;

	if (err)
		snprintf(cr->reason, sizeof(cr->reason), "%s",
			 json_string_value(json_object_get(err, "reason")) ?: "");
	ret = send_buffer(c, cr, srv, res->status ? res->status : 200,
			  "application/json; charset=utf-8", s ? s : "{}", s ? strlen(s) : 2, MHD_RESPMEM_MUST_COPY, 1,
			  req, NULL);
	free(s);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, struct conn_req *cr,
				  struct irk_http_server *srv, int status, enum irk_code code,
				  const char *reason, const char *msg)
{
	struct irk_http_response res = { 0 };
	enum MHD_Result ret;

	irk_http_error(&res, status, code, reason, "%s", msg);
	ret = send_json(c, cr, srv, &res, NULL);
	json_decref(res.json);
	return ret;
}

/* --- static files of the web UI ------------------------------------------- */

static const char *mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".html"))
		return "text/html; charset=utf-8";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	return "application/octet-stream";
}

static enum MHD_Result serve_static(struct MHD_Connection *c, struct conn_req *cr,
				    struct irk_http_server *srv, const char *url)
{
	const struct irk_embedded *f;
	char path[256];

	if (!strcmp(url, "/"))
		url = "/index.html";
	if (strlen(url) > 200 || strstr(url, ".."))
		return send_error(c, cr, srv, 404, IRK_ENOTFOUND, "no-such-path", "no such page");
	snprintf(path, sizeof(path), "web%s", url);
	if (!strchr(url + 1, '.')) /* "/incident" -> web/incident.html */
		snprintf(path, sizeof(path), "web%s.html", url);
	f = irk_embedded_find(path);
	if (!f)
		return send_error(c, cr, srv, 404, IRK_ENOTFOUND, "no-such-path", "no such page");
	return send_buffer(c, cr, srv, 200, mime_type(path), f->data, f->size, MHD_RESPMEM_PERSISTENT, 0,
			   NULL, NULL);
}

/* --- authentication and dispatch -------------------------------------------- */

static const char *cookie_value(struct MHD_Connection *c)
{
	return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "irk_session");
}

/*
 * Who is asking: a bearer token, else a session cookie.  Returns 0 with
 * req->member filled (role NONE when anonymous), or an HTTP status with res set.
 */
static int authenticate(struct irk_http_server *srv, struct MHD_Connection *c,
			struct irk_http_request *req, struct irk_http_response *res,
			const char **csrf)
{
	const char *authz = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *cookie = cookie_value(c);
	struct irk_err err = IRK_ERR_INIT;

	*csrf = NULL;
	req->auth = "";
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7)) {
			irk_http_error(res, 401, IRK_EKEY, "bad-authorization",
				       "the Authorization header must be 'Bearer <token>'");
			return 401;
		}
		if (irk_auth_token_check(req->cb, authz + 7, &req->member, &err)) {
			error_json(res, 401, IRK_EKEY,
				   strstr(err.msg, "revoked")   ? "token-revoked"
				   : strstr(err.msg, "expired") ? "token-expired"
								: "bad-token",
				   err.msg, "create a new one with 'irk token create'");
			return 401;
		}
		req->auth = "token";
		return 0;
	}
	if (cookie) {
		int expired;
		const struct irk_http_session *s = irk_http_session_get(srv, cookie, &expired);

		if (!s) {
			error_json(res, 401, IRK_EKEY, expired ? "session-expired" : "bad-session",
				   expired ? "the session has expired" : "the session is not known",
				   "log in again");
			req->clear_session = 1;
			return 401;
		}
		if (irk_member_find(req->cb->db, NULL, s->member, &req->member, &err)) {
			irk_http_error(res, 401, IRK_EKEY, "former-member",
				       "the session's member is no longer in the casebook");
			return 401;
		}
		*csrf = s->csrf;
		req->auth = "session";
	}
	return 0;
}

/*
 * May the authenticated member run the request's route (lock held)?  Checks
 * the route's least role and, for a browser's write, the CSRF header.
 * Returns 0, or non-zero with the refusal in `res`.
 */
static int permitted(struct irk_http_request *req, struct irk_http_response *res,
		     const char *csrf)
{
	const struct irk_http_route *route = req->route;
	int write = strcmp(req->method, "GET") && strcmp(req->method, "HEAD");

	if (route->least != IRK_ROLE_NONE && req->member.role == IRK_ROLE_NONE) {
		irk_http_error(res, 401, IRK_EKEY, "unauthenticated",
			       "log in or send 'Authorization: Bearer <token>'");
		return 1;
	}
	if (req->member.role < route->least) {
		irk_http_error(res, 403, IRK_EPERM, "role",
			       "%s is a %s; this needs %s or above", req->member.email,
			       irk_role_name(req->member.role), irk_role_name(route->least));
		return 1;
	}
	if (write && csrf) {
		const char *sent = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
							       "X-CSRF-Token");
		if (!sent || strlen(sent) != 64 || sodium_memcmp(sent, csrf, 64)) {
			irk_http_error(res, 403, IRK_EPERM, "csrf",
				       "a state-changing request from a browser session needs"
				       " the X-CSRF-Token header");
			return 1;
		}
	}
	return 0;
}

void irk_http_unlock(struct irk_http_request *req)
{
	struct irk_http_server *srv = req->srv;

	irk_identity_act_for(&srv->id, "", "", "");
	req->cb = NULL;
	req->server_id = NULL;
	pthread_mutex_unlock(&srv->lock);
}

int irk_http_relock(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_http_server *srv = req->srv;
	const char *csrf;

	pthread_mutex_lock(&srv->lock);
	req->cb = srv->cb;
	req->server_id = &srv->id;
	/* Admitted again (the same credentials name the same member): a token
	   revoked or a role lowered meanwhile counts now. */
	if (authenticate(srv, req->conn, req, res, &csrf) || permitted(req, res, csrf))
		return 0;
	irk_identity_act_for(&srv->id, req->member.keyid, req->member.email, req->auth);
	return 1;
}

static enum MHD_Result dispatch(struct irk_http_server *srv, struct MHD_Connection *c,
				struct conn_req *cr, const char *url, const char *method)
{
	struct irk_http_request req = { 0 };
	struct irk_http_response res = { 0 };
	char params[4][128];
	const struct irk_http_route *route;
	const char *csrf = NULL;
	int known = 0, write = strcmp(method, "GET") && strcmp(method, "HEAD");
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char remote[INET6_ADDRSTRLEN] = "";
	enum MHD_Result ret;
	struct irk_err err = IRK_ERR_INIT;

	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, remote,
				  sizeof(remote));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, remote,
				  sizeof(remote));
	}
	route = irk_http_route_find(method, url, params, &known);
	if (!route) {
		if (known)
			return send_error(c, cr, srv, 405, IRK_EUSAGE, "method",
					  "this method is not allowed on this path");
		return send_error(c, cr, srv, 404, IRK_ENOTFOUND, "no-such-path",
				  "no such API endpoint; see /api/v1/capabilities");
	}
	req.srv = srv;
	req.method = method;
	req.path = url;
	req.remote = remote;
	req.conn = c;
	req.server_id = &srv->id;
	for (int i = 0; i < 4; i++)
		req.params[i] = params[i];
	if (write && cr->body.len) {
		req.body = irk_http_parse_body(cr->body.buf, cr->body.len, &err);
		if (!req.body) {
			error_json(&res, 400, IRK_EINVAL, "json", err.msg, NULL);
			ret = send_json(c, cr, srv, &res, NULL);
			json_decref(res.json);
			return ret;
		}
	}

	pthread_mutex_lock(&srv->lock);
	req.cb = srv->cb;
	req.route = route;
	if (authenticate(srv, c, &req, &res, &csrf))
		goto reply;
	snprintf(cr->member, sizeof(cr->member), "%s", req.member.email);
	snprintf(cr->auth, sizeof(cr->auth), "%s", req.auth);
	if (permitted(&req, &res, csrf))
		goto reply;
	/* Under the lock: what the handler writes is signed for this member. */
	irk_identity_act_for(&srv->id, req.member.keyid, req.member.email, req.auth);
	route->handler(&req, &res);
	irk_identity_act_for(&srv->id, "", "", "");
	if (srv->nviews && irk_now_ms() - srv->views_flushed_ms >= IRK_HTTP_VIEWS_FLUSH_MS)
		irk_http_views_flush(srv);
reply:
	pthread_mutex_unlock(&srv->lock);
	if (res.stream) {
		struct MHD_Response *r = MHD_create_response_from_callback(
			MHD_SIZE_UNKNOWN, 4096, res.stream, res.stream_arg, res.stream_free);
		if (!r) {
			res.stream_free(res.stream_arg);
			ret = MHD_NO;
		} else {
			MHD_add_response_header(r, "Content-Type", res.content_type);
			add_security_headers(srv, r, 1, 0);
			MHD_add_response_header(r, "X-Accel-Buffering", "no");
			cr->status = 200;
			ret = MHD_queue_response(c, 200, r);
			MHD_destroy_response(r);
		}
	} else if (res.raw && res.status == 200) {
		/* MHD frees the body once sent: a download is not copied again. */
		char *raw = res.raw;
		res.raw = NULL;
		ret = send_buffer(c, cr, srv, 200, res.content_type, raw, res.raw_len,
				  MHD_RESPMEM_MUST_FREE, 1, &req, &res);
	} else {
		ret = send_json(c, cr, srv, &res, &req);
	}
	free(res.raw);
	json_decref(res.json);
	json_decref(req.body);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct irk_http_server *srv = cls;
	struct conn_req *cr = *con_cls;

	(void)version;
	if (!cr) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		cr = irk_calloc(1, sizeof(*cr));
		irk_buf_init(&cr->body, 0);
		cr->start_ms = irk_now_ms();
		snprintf(cr->method, sizeof(cr->method), "%s", method);
		snprintf(cr->path, sizeof(cr->path), "%s", url);
		*con_cls = cr;
		if (cl && strtoull(cl, NULL, 10) > IRK_HTTP_BODY_MAX)
			return send_error(c, cr, srv, 413, IRK_EINVAL, "too-large",
					  "the request body is over the limit");
		return MHD_YES;
	}
	if (*upload_size) {
		if (cr->body.len + *upload_size > IRK_HTTP_BODY_MAX)
			cr->too_large = 1;
		else
			irk_buf_add(&cr->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (cr->status) /* already answered (413 on Content-Length) */
		return MHD_YES;
	if (cr->too_large)
		return send_error(c, cr, srv, 413, IRK_EINVAL, "too-large",
				  "the request body is over the limit");
	if (__atomic_load_n(&srv->stopping, __ATOMIC_SEQ_CST))
		return send_error(c, cr, srv, 503, IRK_EBUSY, "stopping", "the server is stopping");
	if (!strncmp(url, "/api/", 5)) {
		enum MHD_Result ret;
		__atomic_add_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST);
		ret = dispatch(srv, c, cr, url, method);
		__atomic_sub_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST);
		return ret;
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return send_error(c, cr, srv, 405, IRK_EUSAGE, "method", "pages are read-only");
	return serve_static(c, cr, srv, url);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct irk_http_server *srv = cls;
	struct conn_req *cr = *con_cls;
	const union MHD_ConnectionInfo *ci;
	char ts[IRK_TIME_MAX], remote[INET6_ADDRSTRLEN] = "";
	json_t *line;
	char *s;

	if (!cr)
		return;
	if (srv->cfg.log) {
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
				  remote, sizeof(remote));
		else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
				  remote, sizeof(remote));
		irk_time_utc(cr->start_ms, 1, ts);
		line = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:s, s:s, s:s, s:b}", "ts", ts,
				 "remote", remote, "method", cr->method, "path", cr->path,
				 "status", cr->status, "ms",
				 (json_int_t)(irk_now_ms() - cr->start_ms), "member", cr->member,
				 "auth", cr->auth, "reason", cr->reason, "completed",
				 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
		s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s) {
			pthread_mutex_lock(&srv->lock);
			srv->cfg.log(s, srv->cfg.log_arg);
			pthread_mutex_unlock(&srv->lock);
		}
		free(s);
		json_decref(line);
	}
	irk_buf_release(&cr->body);
	free(cr);
	*con_cls = NULL;
}

/* --- start and stop --------------------------------------------------------- */

static enum irk_code parse_listen(const char *listen, struct sockaddr_storage *ss,
				  struct irk_err *err)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	char *end;
	long port;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (!colon || colon == listen)
		goto bad;
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		goto bad;
	hl = (size_t)(colon - listen);
	if (listen[0] == '[' && hl >= 2 && listen[hl - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		if (hl - 2 >= sizeof(host))
			goto bad;
		memcpy(host, listen + 1, hl - 2);
		host[hl - 2] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			goto bad;
		return IRK_OK;
	}
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	{
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			goto bad;
	}
	return IRK_OK;
bad:
	irk_fail(err, IRK_EUSAGE, "cannot use '%s' as a listening address", listen);
	irk_hint(err, "give ADDR:PORT, such as 127.0.0.1:8080 or [::1]:8080");
	return IRK_EUSAGE;
}

static enum irk_code load_server(struct irk_http_server *srv, struct irk_err *err)
{
	struct irk_member m;
	struct irk_err sub = IRK_ERR_INIT;
	struct irk_buf b = IRK_BUF_INIT;
	enum irk_code rc;

	if ((rc = irk_identity_load(srv->cfg.key_path, &srv->id, err)) ||
	    (rc = irk_casebook_open(srv->cfg.irk_dir, &srv->cb, err)) ||
	    (rc = irk_auth_schema(srv->cb->db, err)) ||
	    (rc = irk_db_exec(srv->cb->db, NULL, views_ddl, err)))
		return rc;
	if (irk_member_find(srv->cb->db, NULL, srv->id.keyid, &m, &sub) || !m.server) {
		irk_vkey_format(srv->id.email, srv->id.pk, &b);
		irk_fail(err, IRK_EKEY, "the server's key %s (%s) is not %s of this casebook",
			 srv->id.keyid, srv->id.email,
			 sub.code ? "a member" : "marked as a team server");
		irk_hint(err, "an admin adds it: irk member add --key %s --role lead --server", b.buf);
		irk_buf_release(&b);
		return IRK_EKEY;
	}
	if (srv->cfg.tls_cert || srv->cfg.tls_key) {
		struct irk_buf cert = IRK_BUF_INIT, key = IRK_BUF_INIT;
		if (!srv->cfg.tls_cert || !srv->cfg.tls_key)
			return irk_fail(err, IRK_EUSAGE, "--tls-cert and --tls-key go together");
		if ((rc = irk_read_file(srv->cfg.tls_cert, 1 << 20, &cert, err)) ||
		    (rc = irk_read_file(srv->cfg.tls_key, 1 << 20, &key, err))) {
			irk_buf_release(&cert);
			irk_buf_release(&key);
			return rc;
		}
		srv->tls_cert = irk_buf_detach(&cert, NULL);
		srv->tls_key = irk_buf_detach(&key, NULL);
		srv->tls = 1;
	}
	return IRK_OK;
}

static void free_server(struct irk_http_server *srv)
{
	irk_casebook_close(srv->cb);
	irk_identity_wipe(&srv->id);
	if (srv->tls_key) {
		sodium_memzero(srv->tls_key, strlen(srv->tls_key));
		free(srv->tls_key);
	}
	free(srv->tls_cert);
	irk_http_sessions_free(srv);
	pthread_mutex_destroy(&srv->lock);
	pthread_mutex_destroy(&srv->verify);
	free(srv);
}

enum irk_code irk_http_start(const struct irk_http_config *cfg, struct irk_http_server **out,
			     struct irk_err *err)
{
	struct irk_http_server *srv = irk_calloc(1, sizeof(*srv));
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC;
	enum irk_code rc;

	srv->cfg = *cfg;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_mutex_init(&srv->verify, NULL);
	if (sodium_init() < 0) {
		free_server(srv);
		return irk_fail(err, IRK_EINTERNAL, "libsodium failed to start");
	}
	if ((rc = parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:8080", &ss, err)) ||
	    (rc = load_server(srv, err))) {
		free_server(srv);
		return rc;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (srv->tls)
		flags |= MHD_USE_TLS;
	if (srv->tls)
		srv->daemon = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, &ss,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
			MHD_OPTION_CONNECTION_LIMIT, (unsigned)IRK_HTTP_CONN_MAX,
			MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IRK_HTTP_TIMEOUT_S,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)IRK_HTTP_HEADER_MAX,
			MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)IRK_HTTP_CONN_MAX,
			MHD_OPTION_HTTPS_MEM_CERT, srv->tls_cert, MHD_OPTION_HTTPS_MEM_KEY,
			srv->tls_key, MHD_OPTION_END);
	else
		srv->daemon = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, &ss,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
			MHD_OPTION_CONNECTION_LIMIT, (unsigned)IRK_HTTP_CONN_MAX,
			MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IRK_HTTP_TIMEOUT_S,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)IRK_HTTP_HEADER_MAX,
			MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)IRK_HTTP_CONN_MAX,
			MHD_OPTION_END);
	if (!srv->daemon) {
		free_server(srv);
		irk_fail(err, IRK_EIO, "cannot listen on %s (in use, or not an address of this host?)",
			 cfg->listen ? cfg->listen : "127.0.0.1:8080");
		irk_hint(err, "pick another with --listen ADDR:PORT");
		return IRK_EIO;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : 0;
	*out = srv;
	return IRK_OK;
}

int irk_http_port(const struct irk_http_server *srv)
{
	return srv->port;
}

void irk_http_stop(struct irk_http_server *srv)
{
	if (!srv)
		return;
	__atomic_store_n(&srv->stopping, 1, __ATOMIC_SEQ_CST);
	/* Stop accepting; MHD_stop_daemon then lets each connection finish its request. */
	MHD_quiesce_daemon(srv->daemon);
	/* Requests already inside a handler finish and are answered (up to 30 s). */
	for (int i = 0; i < 3000 && __atomic_load_n(&srv->inflight, __ATOMIC_SEQ_CST); i++)
		usleep(10000);
	MHD_stop_daemon(srv->daemon);
	irk_http_views_flush(srv);
	free_server(srv);
}
