/*
 * collect-logs.c - the last area: the logs, copied as they are, because
 * they are the longest-lived evidence and an intruder's first target:
 * everything under /var/log (the journal's files included) and the
 * volatile journal in /run/log/journal.
 */
#include <sys/stat.h>

#include "irk/collect.h"

static void copy_one(struct irk_collector *c, const char *path, const struct stat *st, void *arg)
{
	char sha[IRK_SHA256_HEX];
	json_t *o;

	(void)arg;
	if (!S_ISREG(st->st_mode))
		return;
	o = irk_collect_stat_json(c, path, st);
	if (irk_collect_file(c, path, 1, sha) == 0)
		json_object_set_new(o, "sha256", json_string(sha));
	irk_collect_emit(c, "logs", o);
}

void irk_collect_logs(struct irk_collector *c)
{
	irk_collect_walk(c, "/var/log", copy_one, NULL);
	irk_collect_walk(c, "/run/log/journal", copy_one, NULL);
}
