/* fuzz-time.c - time, offset, span ("2h"), moment, network and verifier-key parsers get arbitrary strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irk/commsconf.h"
#include "irk/key.h"
#include "irk/span.h"
#include "irk/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char name[IRK_NAME_MAX];
	uint8_t pk[IRK_PK_LEN];
	struct irk_net net;
	int64_t ms, secs;
	int tz;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	irk_time_parse(s, 1795262400000LL, &ms, &tz, NULL);
	irk_time_parse_utc(s, &ms, NULL);
	irk_tz_parse(s, &tz, NULL);
	irk_vkey_parse(s, name, pk, NULL);
	irk_span_parse(s, &secs, NULL);
	irk_moment_parse(s, 1795262400000LL, &ms, NULL);
	irk_net_parse(s, &net, NULL);
	free(s);
	return 0;
}
