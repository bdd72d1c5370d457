/*
 * collect-suid.c - set-user-ID and set-group-ID files in the system paths,
 * with their hashes: a shell left set-uid root is a classic back door, and
 * comparing these hashes with the packages' catches a replaced binary.
 */
#include <sys/stat.h>

#include "irk/collect.h"

static void check_one(struct irk_collector *c, const char *path, const struct stat *st, void *arg)
{
	char sha[IRK_SHA256_HEX];
	json_t *o;

	(void)arg;
	if (!S_ISREG(st->st_mode) || !(st->st_mode & (S_ISUID | S_ISGID)))
		return;
	o = irk_collect_stat_json(c, path, st);
	json_object_set_new(o, "setuid", json_boolean(st->st_mode & S_ISUID));
	json_object_set_new(o, "setgid", json_boolean(st->st_mode & S_ISGID));
	if (irk_collect_file(c, path, 0, sha) == 0)
		json_object_set_new(o, "sha256", json_string(sha));
	irk_collect_emit(c, "suid", o);
	irk_collect_count(c, IRK_CC_SUID, 1);
}

void irk_collect_suid(struct irk_collector *c)
{
	/* /bin, /sbin and /lib are often links into /usr: the walk does not follow links */
	static const char *const roots[] = { "/usr", "/bin", "/sbin", "/lib", "/lib64", "/opt",
					     "/etc", "/boot", NULL };
	struct stat st;

	for (const char *const *r = roots; *r; r++)
		if (irk_collect_lstat(c, *r, &st) == 0 && S_ISDIR(st.st_mode))
			irk_collect_walk(c, *r, check_one, NULL);
}
