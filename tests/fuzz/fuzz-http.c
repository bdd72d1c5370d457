/*
 * fuzz-http.c - what the API does with an untrusted request: the first line
 * is "METHOD PATH" (routed through the table, parameters extracted), the
 * rest is the body (parsed as the API parses JSON bodies, then every string
 * field read as a handler reads it).
 */
#include <stdint.h>
#include <string.h>

#include "irk/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fields[] = { "text", "kind", "title", "email", "password",
					      "phase", "resolution", "key", "role", "at",
					      "owner", "due", "eta", "audience", "template",
					      "via", "duplicate_of", "with", NULL };
	const char *nl = memchr(data, '\n', size);
	size_t line = nl ? (size_t)(nl - (const char *)data) : size;
	char first[512], params[4][128], *sp;
	struct irk_err err = IRK_ERR_INIT;
	int known;

	if (line < sizeof(first)) {
		memcpy(first, data, line);
		first[line] = '\0';
		sp = strchr(first, ' ');
		if (sp) {
			*sp = '\0';
			irk_http_route_find(first, sp + 1, params, &known);
		}
	}
	if (nl) {
		struct irk_http_request req = { 0 };
		struct irk_http_response res = { 0 };
		const char *s;

		req.body = irk_http_parse_body(nl + 1, size - line - 1, &err);
		if (req.body) {
			for (int i = 0; fields[i]; i++) {
				irk_http_body_string(&req, &res, fields[i], i % 2, 4096, &s);
				json_decref(res.json);
				res.json = NULL;
			}
			json_decref(req.body);
		}
	}
	return 0;
}
