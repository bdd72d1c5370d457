/*
 * collect-processes.c - the third area: every process in /proc with its
 * command line, executable (path and SHA-256, hashed through /proc/PID/exe
 * so that what runs is hashed, even when the file was deleted or replaced;
 * a deleted executable is also copied), working and root directories, user,
 * parent, start time, preload variables and open files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/collect.h"
#include "irk/timefmt.h"

struct exe_hash {
	dev_t dev;
	ino_t ino;
	char sha[IRK_SHA256_HEX];
};

struct procs {
	struct exe_hash *hashes;
	size_t nhashes;
	long long btime;
	long ticks;
	struct irk_buf b, link;
};

static const char *read_link(const char *path, struct irk_buf *out)
{
	ssize_t n;

	irk_buf_reset(out);
	irk_buf_grow(out, 4096);
	n = readlink(path, out->buf, out->alloc - 1);
	if (n < 0)
		return NULL;
	irk_buf_setlen(out, (size_t)n);
	return out->buf;
}

/* "pid (comm) S ppid ..." : the state, parent and start time (fields 3, 4, 22). */
static int parse_stat(const char *s, char *state, long *ppid, unsigned long long *start)
{
	const char *p = strrchr(s, ')');
	int field = 3;

	if (!p || p[1] != ' ')
		return -1;
	p += 2;
	*state = *p;
	while (*p && field < 22) {
		if (field == 4)
			*ppid = strtol(p, NULL, 10);
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
		field++;
	}
	*start = strtoull(p, NULL, 10);
	return 0;
}

/* The "Uid:" or "Gid:" line of /proc/PID/status as [real, effective, saved, fs]. */
static json_t *ids(const char *status, const char *key)
{
	const char *p = strstr(status, key);
	json_t *a = json_array();

	if (!p)
		return a;
	p += strlen(key);
	for (int i = 0; i < 4; i++) {
		char *end;
		unsigned long v = strtoul(p, &end, 10);

		if (end == p)
			break;
		json_array_append_new(a, json_integer((json_int_t)v));
		p = end;
	}
	return a;
}

static json_t *exe_json(struct irk_collector *c, struct procs *ps, int pid)
{
	char path[64], name[64];
	const char *target;
	size_t n;
	int deleted, fd;
	struct stat st;
	json_t *o;

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	if (!(target = read_link(path, &ps->link))) {
		if (errno != ENOENT) /* ENOENT: a kernel thread, which has none */
			irk_collect_log_errno(c, path, errno);
		return json_null();
	}
	n = ps->link.len;
	deleted = n > 10 && !strcmp(target + n - 10, " (deleted)");
	o = json_pack("{s:o, s:b}", "path", irk_json_bytes(target, deleted ? n - 10 : n), "deleted",
		      deleted);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		irk_collect_log_errno(c, path, errno);
		return o;
	}
	if (fstat(fd, &st) == 0) {
		for (size_t i = 0; i < ps->nhashes; i++)
			if (ps->hashes[i].dev == st.st_dev && ps->hashes[i].ino == st.st_ino) {
				json_object_set_new(o, "sha256", json_string(ps->hashes[i].sha));
				if (!deleted) {
					close(fd);
					return o;
				}
			}
		json_object_set_new(o, "size", json_integer((json_int_t)st.st_size));
		json_object_set_new(o, "inode", json_integer((json_int_t)st.st_ino));
	}
	if (!json_object_get(o, "sha256") || deleted) {
		char sha[IRK_SHA256_HEX];

		/* a deleted executable survives only as this process's mapping: keep a copy */
		snprintf(name, sizeof(name), "/proc/%d/exe", pid);
		if (irk_collect_file_fd(c, fd, path, name, deleted, sha) == 0) {
			json_object_set_new(o, "sha256", json_string(sha));
			if (deleted) {
				char as[80];

				snprintf(as, sizeof(as), "files%s", name);
				json_object_set_new(o, "copied_as", json_string(as));
			}
			ps->hashes = irk_realloc(ps->hashes, (ps->nhashes + 1) * sizeof(*ps->hashes));
			ps->hashes[ps->nhashes].dev = st.st_dev;
			ps->hashes[ps->nhashes].ino = st.st_ino;
			memcpy(ps->hashes[ps->nhashes++].sha, sha, IRK_SHA256_HEX);
		}
	}
	close(fd);
	return o;
}

static json_t *open_files(struct irk_collector *c, struct procs *ps, int pid)
{
	char path[64], fdpath[320];
	json_t *a = json_array();
	DIR *d;
	struct dirent *de;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (!(d = opendir(path))) {
		irk_collect_log_errno(c, path, errno);
		return json_null();
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n++ == IRK_COLLECT_FDS_MAX) {
			irk_collect_log(c, "skip", path, "more than %d open files; the rest not listed",
					IRK_COLLECT_FDS_MAX);
			break;
		}
		snprintf(fdpath, sizeof(fdpath), "%s/%s", path, de->d_name);
		if (read_link(fdpath, &ps->link))
			json_array_append_new(a, json_pack("{s:i, s:o}", "fd", atoi(de->d_name),
							   "target", irk_json_bytes(ps->link.buf,
										    ps->link.len)));
	}
	closedir(d);
	return a;
}

/* LD_PRELOAD and LD_LIBRARY_PATH from the environment, the usual hooks of user-land rootkits. */
static json_t *preload(struct irk_collector *c, struct procs *ps, int pid)
{
	char path[64];
	json_t *o = json_object();

	snprintf(path, sizeof(path), "/proc/%d/environ", pid);
	if (irk_collect_read(c, path, &ps->b) != 0)
		return o;
	for (size_t i = 0; i < ps->b.len; i += strlen(ps->b.buf + i) + 1) {
		const char *v = ps->b.buf + i;

		if (!strncmp(v, "LD_PRELOAD=", 11) || !strncmp(v, "LD_LIBRARY_PATH=", 16) ||
		    !strncmp(v, "LD_AUDIT=", 9)) {
			size_t eq = strcspn(v, "=");
			char key[20];

			snprintf(key, sizeof(key), "%.*s", (int)eq, v);
			json_object_set_new(o, key, irk_json_bytes(v + eq + 1, strlen(v + eq + 1)));
		}
	}
	return o;
}

static void one_process(struct irk_collector *c, struct procs *ps, int pid)
{
	char path[64], state = '?', started[IRK_TIME_MAX];
	long ppid = 0;
	unsigned long long start = 0;
	json_t *o, *argv, *uids;
	const char *user;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (irk_collect_read(c, path, &ps->b) != 0)
		return; /* it exited: logged as gone */
	if (parse_stat(ps->b.buf, &state, &ppid, &start) != 0) {
		irk_collect_log(c, "skip", path, "unexpected format");
		return;
	}
	irk_time_utc((ps->btime * 1000) + (int64_t)(start * 1000 / (unsigned long long)ps->ticks), 1,
		     started);
	o = json_pack("{s:i, s:i, s:s#, s:s}", "pid", pid, "ppid", (int)ppid, "state", &state, 1,
		      "started", started);
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (irk_collect_read(c, path, &ps->b) == 0) {
		irk_buf_rtrim(&ps->b);
		json_object_set_new(o, "comm", irk_json_bytes(ps->b.buf, ps->b.len));
	}
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (irk_collect_read(c, path, &ps->b) == 0) {
		uids = ids(ps->b.buf, "\nUid:");
		json_object_set_new(o, "uids", uids);
		json_object_set_new(o, "gids", ids(ps->b.buf, "\nGid:"));
		if (json_array_size(uids)) {
			user = irk_collect_user(c, (unsigned long)json_integer_value(json_array_get(uids, 0)));
			json_object_set_new(o, "user", user ? json_string(user) : json_null());
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	argv = json_array();
	if (irk_collect_read(c, path, &ps->b) == 0)
		for (size_t i = 0; i < ps->b.len; i += strlen(ps->b.buf + i) + 1)
			json_array_append_new(argv, irk_json_bytes(ps->b.buf + i, strlen(ps->b.buf + i)));
	json_object_set_new(o, "cmdline", argv);
	json_object_set_new(o, "exe", exe_json(c, ps, pid));
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	json_object_set_new(o, "cwd", read_link(path, &ps->link) ? irk_json_bytes(ps->link.buf, ps->link.len)
							   : json_null());
	snprintf(path, sizeof(path), "/proc/%d/root", pid);
	json_object_set_new(o, "root", read_link(path, &ps->link) ? irk_json_bytes(ps->link.buf, ps->link.len)
							    : json_null());
	json_object_set_new(o, "env", preload(c, ps, pid));
	json_object_set_new(o, "open_files", open_files(c, ps, pid));
	irk_collect_emit(c, "processes", o);
	irk_collect_count(c, IRK_CC_PROCESSES, 1);
}

void irk_collect_processes(struct irk_collector *c)
{
	struct procs ps = { .b = IRK_BUF_INIT, .link = IRK_BUF_INIT };
	DIR *proc = opendir("/proc");
	struct dirent *de;
	char *p;

	ps.ticks = sysconf(_SC_CLK_TCK);
	if (ps.ticks <= 0)
		ps.ticks = 100;
	if (irk_collect_read(c, "/proc/stat", &ps.b) == 0 && (p = strstr(ps.b.buf, "\nbtime ")))
		ps.btime = strtoll(p + 7, NULL, 10);
	if (!proc) {
		irk_collect_log_errno(c, "/proc", errno);
		return;
	}
	while ((de = readdir(proc))) {
		int pid = atoi(de->d_name);

		if (pid > 0)
			one_process(c, &ps, pid);
	}
	closedir(proc);
	free(ps.hashes);
	irk_buf_release(&ps.b);
	irk_buf_release(&ps.link);
}
