/*
 * fuzz-procnet.c - the /proc/net/{tcp,tcp6,udp,udp6,unix} line parsers.
 * The first byte picks the table; the rest is split into lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irk/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const protos[] = { "tcp", "tcp6", "udp", "udp6", "unix" };
	const char *proto;
	char *text, *save = NULL;

	if (size < 1)
		return 0;
	proto = protos[data[0] % 5];
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct irk_err err = IRK_ERR_INIT;

		if (!strcmp(proto, "unix")) {
			struct irk_unix_sock u;

			if (irk_procnet_parse_unix(line, &u, &err) == IRK_OK && strlen(u.path) >= sizeof(u.path))
				abort();
		} else {
			struct irk_sock s;

			if (irk_procnet_parse_inet(line, proto, &s, &err) == IRK_OK &&
			    (s.lport > 65535 || s.rport > 65535))
				abort();
		}
	}
	free(text);
	return 0;
}
