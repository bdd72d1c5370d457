/*
 * collect-tempdirs.c - the world-writable directories where intruders drop
 * their tools (/tmp, /var/tmp, /dev/shm): every entry listed with its
 * metadata and, for regular files, SHA-256; files that can be executed (an
 * execute bit, an ELF header or a "#!" line) are copied.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/collect.h"

/* Only files up to this size are hashed when they are not copied. */
#define TEMP_HASH_MAX (256u << 20)

static int looks_executable(struct irk_collector *c, const char *path, const struct stat *st, char *kind, size_t n)
{
	unsigned char head[4] = { 0 };
	int fd;

	if (st->st_mode & 0111) {
		snprintf(kind, n, "mode");
		return 1;
	}
	fd = irk_collect_open(c, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (read(fd, head, sizeof(head)) >= 2) {
		if (!memcmp(head, "\x7f" "ELF", 4))
			snprintf(kind, n, "elf");
		else if (head[0] == '#' && head[1] == '!')
			snprintf(kind, n, "script");
	}
	close(fd);
	return kind[0] != '\0';
}

static void list_one(struct irk_collector *c, const char *path, const struct stat *st, void *arg)
{
	json_t *o = irk_collect_stat_json(c, path, st);
	char sha[IRK_SHA256_HEX], kind[8] = "";

	(void)arg;
	if (S_ISLNK(st->st_mode)) {
		char target[4096];
		ssize_t n = irk_collect_readlink(c, path, target, sizeof(target) - 1);

		if (n >= 0)
			json_object_set_new(o, "target", irk_json_bytes(target, (size_t)n));
	}
	if (S_ISREG(st->st_mode)) {
		int exec = looks_executable(c, path, st, kind, sizeof(kind));

		json_object_set_new(o, "executable", json_boolean(exec));
		if (exec)
			json_object_set_new(o, "executable_by", json_string(kind));
		if (!exec && (uint64_t)st->st_size > TEMP_HASH_MAX)
			irk_collect_log(c, "skip", path, "larger than %u bytes; not hashed", TEMP_HASH_MAX);
		else if (irk_collect_file(c, path, exec, sha) == 0) {
			json_object_set_new(o, "sha256", json_string(sha));
			if (exec) {
				struct irk_buf as = IRK_BUF_INIT;

				irk_buf_addf(&as, "files%s", path);
				json_object_set_new(o, "copied_as", irk_json_bytes(as.buf, as.len));
				irk_buf_release(&as);
			}
		}
	}
	irk_collect_emit(c, "tempdirs", o);
	irk_collect_count(c, IRK_CC_TEMPFILES, 1);
}

void irk_collect_tempdirs(struct irk_collector *c)
{
	static const char *const dirs[] = { "/tmp", "/var/tmp", "/dev/shm", NULL };

	for (const char *const *d = dirs; *d; d++)
		irk_collect_walk(c, *d, list_one, NULL);
}
