/* api-auth.c - logging in and out, who am I, and what this server offers. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "irk/auth.h"

void irk_api_capabilities(struct irk_http_request *req, struct irk_http_response *res)
{
	json_t *arr = json_array();

	(void)req;
	for (const struct irk_http_route *r = irk_http_routes; r->method; r++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "method", r->method,
						     "path", r->pattern, "role",
						     r->least ? irk_role_name(r->least) : "anyone",
						     "summary", r->summary));
	irk_http_ok(res, json_pack("{s:s, s:o}", "api", "v1", "endpoints", arr));
}

void irk_api_login(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_http_server *srv = req->srv;
	const char *email, *password;
	char by_ip[160], by_email[160], cookie[65], csrf[65];
	struct irk_member m;
	struct irk_err err = IRK_ERR_INIT;

	if (!irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "email", 1, IRK_NAME_MAX, &email) ||
	    irk_http_body_string(req, res, "password", 1, IRK_PASSWORD_MAX, &password))
		return;
	snprintf(by_ip, sizeof(by_ip), "ip:%s", req->remote);
	snprintf(by_email, sizeof(by_email), "email:%s", email);
	if (irk_http_limited(srv, by_ip) || irk_http_limited(srv, by_email)) {
		irk_http_error(res, 429, IRK_EBUSY, "rate-limited",
			       "too many failed logins; wait a minute and try again");
		return;
	}
	if (irk_auth_check_password(req->cb, email, password, &m, &err) || m.role == IRK_ROLE_NONE) {
		irk_http_limit_fail(srv, by_ip);
		irk_http_limit_fail(srv, by_email);
		irk_http_error(res, 401, IRK_EKEY, "bad-login", "wrong e-mail or password");
		return;
	}
	irk_http_limit_clear(srv, by_email);
	irk_http_session_new(srv, m.keyid, cookie, csrf);
	snprintf(req->set_session, sizeof(req->set_session), "%s", cookie);
	irk_http_ok(res, json_pack("{s:s, s:s, s:s, s:s, s:s}", "key", m.keyid, "email", m.email,
				   "name", m.name, "role", irk_role_name(m.role), "csrf", csrf));
}

void irk_api_logout(struct irk_http_request *req, struct irk_http_response *res)
{
	const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "irk_session");

	if (cookie)
		irk_http_session_drop(req->srv, cookie);
	req->clear_session = 1;
	irk_http_ok(res, json_pack("{s:b}", "ok", 1));
}

void irk_api_whoami(struct irk_http_request *req, struct irk_http_response *res)
{
	const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "irk_session");
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "key", req->member.keyid, "email",
			      req->member.email, "name", req->member.name, "role",
			      irk_role_name(req->member.role), "auth", req->auth);
	int expired;

	if (cookie && !strcmp(req->auth, "session")) {
		const struct irk_http_session *s = irk_http_session_get(req->srv, cookie, &expired);
		if (s)
			json_object_set_new(o, "csrf", json_string(s->csrf));
	}
	irk_http_ok(res, o);
}
