/* api-members.c - members over HTTP: list (everyone), add or change a role (admins). */
#include <string.h>

#include "irk/http.h"
#include "irk/member.h"

void irk_api_members_list(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr;

	if (irk_member_list(req->cb, &arr, &err))
		return irk_http_fail(res, &err);
	irk_http_ok(res, json_pack("{s:o}", "members", arr));
}

void irk_api_members_add(struct irk_http_request *req, struct irk_http_response *res)
{
	struct irk_err err = IRK_ERR_INIT;
	struct irk_member m;
	const char *vkey, *name, *role;

	if (!irk_http_body_object(req, res) ||
	    irk_http_body_string(req, res, "key", 1, 512, &vkey) ||
	    irk_http_body_string(req, res, "name", 0, IRK_NAME_MAX - 1, &name) ||
	    irk_http_body_string(req, res, "role", 0, 32, &role))
		return;
	if (!role)
		role = "responder";
	if (irk_role_parse(role) == IRK_ROLE_NONE)
		return irk_http_error(res, 400, IRK_EINVAL, "bad-role",
				      "unknown role '%s' (use viewer, responder, lead or admin)", role);
	/* Member entries are signed by the server's key: it must itself be an admin. */
	if (irk_member_add(req->cb, req->server_id, vkey, name, irk_role_parse(role), 0, &m, &err))
		return irk_http_fail(res, &err);
	res->status = 201;
	res->json = json_pack("{s:s, s:s, s:s, s:s}", "key", m.keyid, "name", m.name, "email",
			      m.email, "role", irk_role_name(m.role));
}
