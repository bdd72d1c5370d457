/* evidence.c - the evidence locker and its chain of custody; see irk/evidence.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/evidence.h"
#include "irk/fs.h"
#include "irk/incident.h"
#include "irk/logbook.h"
#include "irk/member.h"
#include "irk/text.h"
#include "irk/timefmt.h"

/* Deepest directory nesting followed by a recursive add. */
#define MAX_DEPTH 64

const char irk_evidence_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.evidence("
	"  num INTEGER PRIMARY KEY,"
	"  inc TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  type TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  host TEXT NOT NULL,"
	"  acquired_by TEXT NOT NULL,"
	"  acquired INTEGER NOT NULL,"
	"  custodian TEXT NOT NULL,"
	"  offered_to TEXT,"
	"  offer TEXT);"
	"CREATE INDEX IF NOT EXISTS {db}.evidence_inc ON evidence(inc, num);";

/* Every custody event: acquire, offer, accept, access. */
const char irk_custody_ddl[] =
	"CREATE TABLE IF NOT EXISTS {db}.custody("
	"  evidence INTEGER NOT NULL,"
	"  inc TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  event TEXT NOT NULL,"
	"  by TEXT NOT NULL,"
	"  to_key TEXT,"
	"  at INTEGER NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  PRIMARY KEY(inc, seq));";

void irk_evidence_objdir(const struct irk_casebook *cb, struct irk_buf *out)
{
	irk_path_join(out, cb->dir, "objects");
}

static const char *data_str(const struct irk_entry *e, const char *key)
{
	return json_string_value(json_object_get(e->data, key));
}

static int64_t data_num(const struct irk_entry *e, const char *key)
{
	json_t *v = json_object_get(e->data, key);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static enum irk_code custody_event(const struct irk_apply_ctx *ctx, int64_t num, const char *event,
				   const char *to, struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(ctx->db, ctx->schema,
				       "INSERT INTO {db}.custody(evidence, inc, seq, event, by, to_key, at, hash)"
				       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
				       err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, num);
	sqlite3_bind_text(st, 2, ctx->e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ctx->e->seq);
	sqlite3_bind_text(st, 4, event, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ctx->actor, -1, SQLITE_STATIC);
	if (to)
		sqlite3_bind_text(st, 6, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, ctx->e->at_ms);
	sqlite3_bind_text(st, 8, ctx->e->hash, -1, SQLITE_STATIC);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_apply_evidence(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const struct irk_entry *e = ctx->e;
	const char *sha = data_str(e, "sha256"), *type = data_str(e, "type");
	const char *name = data_str(e, "name"), *path = data_str(e, "path");
	const char *host = data_str(e, "host");
	int64_t num = data_num(e, "num"), size = data_num(e, "size");
	sqlite3_stmt *st;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 1, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_RESPONDER, "add evidence", err)))
		return rc;
	if (num < 1 || size < 0 || !sha || !irk_object_name_ok(sha) || !type || !name || !path ||
	    !host)
		return irk_fail(err, IRK_EINVAL, "evidence record is incomplete or malformed");
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "INSERT INTO {db}.evidence(num, inc, seq, sha256, size, type, name, path, host,"
			 " acquired_by, acquired, custodian) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			 " ?10, ?11, ?10)",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, num);
	sqlite3_bind_text(st, 2, e->chain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, e->seq);
	sqlite3_bind_text(st, 4, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, size);
	sqlite3_bind_text(st, 6, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, ctx->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, e->at_ms);
	if (irk_db_run(ctx->db, st, err)) {
		irk_err_clear(err);
		return irk_fail(err, IRK_ESTATE, "evidence E%lld is already recorded", (long long)num);
	}
	return custody_event(ctx, num, "acquire", NULL, err);
}

/* The item an entry names, which must belong to the entry's incident. */
struct item {
	int64_t num;
	char custodian[IRK_KEYID_HEX];
	char offered_to[IRK_KEYID_HEX];
	char offer[IRK_SHA256_HEX];
	char sha256[IRK_SHA256_HEX];
};

static enum irk_code find_item(const struct irk_apply_ctx *ctx, struct item *it,
			       struct irk_err *err)
{
	sqlite3_stmt *st;
	int r;

	memset(it, 0, sizeof(*it));
	it->num = data_num(ctx->e, "evidence");
	st = irk_db_stmt(ctx->db, ctx->schema,
			 "SELECT custodian, offered_to, offer, sha256 FROM {db}.evidence"
			 " WHERE num=?1 AND inc=?2",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, it->num);
	sqlite3_bind_text(st, 2, ctx->e->chain, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		snprintf(it->custodian, sizeof(it->custodian), "%s", irk_db_text(st, 0));
		snprintf(it->offered_to, sizeof(it->offered_to), "%s", irk_db_text(st, 1));
		snprintf(it->offer, sizeof(it->offer), "%s", irk_db_text(st, 2));
		snprintf(it->sha256, sizeof(it->sha256), "%s", irk_db_text(st, 3));
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return irk_fail(err, IRK_ENOTFOUND, "%s has no evidence E%lld", ctx->e->chain,
				(long long)it->num);
	return IRK_OK;
}

static enum irk_code set_custody(const struct irk_apply_ctx *ctx, int64_t num,
				 const char *custodian, const char *offered_to, const char *offer,
				 struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(ctx->db, ctx->schema,
				       "UPDATE {db}.evidence SET custodian=?2, offered_to=?3, offer=?4"
				       " WHERE num=?1",
				       err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, num);
	sqlite3_bind_text(st, 2, custodian, -1, SQLITE_STATIC);
	if (offered_to)
		sqlite3_bind_text(st, 3, offered_to, -1, SQLITE_STATIC);
	if (offer)
		sqlite3_bind_text(st, 4, offer, -1, SQLITE_STATIC);
	return irk_db_run(ctx->db, st, err);
}

enum irk_code irk_apply_custody_offer(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *to = data_str(ctx->e, "to");
	struct irk_member m;
	struct item it;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_VIEWER, "hand over evidence", err)) ||
	    (rc = find_item(ctx, &it, err)))
		return rc;
	if (strcmp(it.custodian, ctx->actor))
		return irk_fail(err, IRK_EPERM, "only the custodian of E%lld (key %s) can hand it over",
				(long long)it.num, it.custodian);
	if (!to || irk_member_find(ctx->db, ctx->schema, to, &m, NULL) || strcmp(m.keyid, to))
		return irk_fail(err, IRK_EINVAL, "a custody offer must name a member's key");
	if (!strcmp(to, ctx->actor))
		return irk_fail(err, IRK_EINVAL, "E%lld is already in the custody of %s",
				(long long)it.num, m.email);
	if ((rc = set_custody(ctx, it.num, it.custodian, to, ctx->e->hash, err)))
		return rc;
	return custody_event(ctx, it.num, "offer", to, err);
}

enum irk_code irk_apply_custody_accept(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *offer = data_str(ctx->e, "offer");
	struct item it;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_VIEWER, "take custody of evidence", err)) ||
	    (rc = find_item(ctx, &it, err)))
		return rc;
	if (strcmp(it.offered_to, ctx->actor))
		return irk_fail(err, IRK_ESTATE, "E%lld has not been offered to key %s",
				(long long)it.num, ctx->actor);
	if (!offer || strcmp(offer, it.offer))
		return irk_fail(err, IRK_EINVAL, "the acceptance of E%lld names another offer",
				(long long)it.num);
	if ((rc = set_custody(ctx, it.num, ctx->actor, NULL, NULL, err)))
		return rc;
	return custody_event(ctx, it.num, "accept", it.custodian, err);
}

enum irk_code irk_apply_evidence_access(const struct irk_apply_ctx *ctx, struct irk_err *err)
{
	const char *sha = data_str(ctx->e, "sha256");
	struct item it;
	enum irk_code rc;

	if ((rc = irk_incident_require(ctx, 0, err)) ||
	    (rc = irk_member_require(ctx, IRK_ROLE_VIEWER, "access evidence", err)) ||
	    (rc = find_item(ctx, &it, err)))
		return rc;
	if (!sha || strcmp(sha, it.sha256))
		return irk_fail(err, IRK_EINVAL, "the access record of E%lld names another object",
				(long long)it.num);
	return custody_event(ctx, it.num, "access", NULL, err);
}

/* ---- acquisition ---- */

struct acquire {
	struct irk_casebook *cb;
	const struct irk_identity *id;
	const char *inc;
	const struct irk_evidence_opts *o;
	json_t *added;
	struct irk_buf objdir;
	char host[256];
};

static void acquire_init(struct acquire *a, struct irk_casebook *cb, const struct irk_identity *id,
			 const char *inc, const struct irk_evidence_opts *o, json_t *added)
{
	memset(a, 0, sizeof(*a));
	a->cb = cb;
	a->id = id;
	a->inc = inc;
	a->o = o;
	a->added = added;
	irk_buf_init(&a->objdir, 0);
	irk_evidence_objdir(cb, &a->objdir);
	if (gethostname(a->host, sizeof(a->host) - 1) != 0 || !a->host[0])
		strcpy(a->host, "unknown");
}

/* A file time as RFC 3339 UTC with nanoseconds. */
static json_t *file_time(const struct timespec *ts)
{
	char t[IRK_TIME_MAX], out[IRK_TIME_MAX + 16];

	irk_time_utc((int64_t)ts->tv_sec * 1000, 0, t);
	t[strlen(t) - 1] = '\0'; /* drop the Z */
	snprintf(out, sizeof(out), "%s.%09ldZ", t, (long)ts->tv_nsec);
	return json_string(out);
}

static void stat_record(json_t *rec, const struct stat *st)
{
	struct passwd *pw = getpwuid(st->st_uid);
	struct group *gr = getgrgid(st->st_gid);
	char mode[16];

	snprintf(mode, sizeof(mode), "%04o", (unsigned)(st->st_mode & 07777));
	json_object_set_new(rec, "uid", json_integer(st->st_uid));
	if (pw)
		json_object_set_new(rec, "user", json_string(pw->pw_name));
	json_object_set_new(rec, "gid", json_integer(st->st_gid));
	if (gr)
		json_object_set_new(rec, "group", json_string(gr->gr_name));
	json_object_set_new(rec, "mode", json_string(mode));
	json_object_set_new(rec, "mtime", file_time(&st->st_mtim));
	json_object_set_new(rec, "ctime", file_time(&st->st_ctim));
	json_object_set_new(rec, "atime", file_time(&st->st_atim));
	json_object_set_new(rec, "device", json_integer((json_int_t)st->st_dev));
	json_object_set_new(rec, "inode", json_integer((json_int_t)st->st_ino));
	json_object_set_new(rec, "nlink", json_integer((json_int_t)st->st_nlink));
}

/* Record one acquired object: assign its number and append the entry. */
static enum irk_code record(struct acquire *a, const char *path, const char *type,
			    const struct irk_object_info *obj, json_t *rec, int64_t *num_out,
			    struct irk_err *err)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash && slash[1] ? slash + 1 : path;
	struct irk_buf text = IRK_BUF_INIT;
	sqlite3_stmt *st;
	enum irk_code rc;
	json_t *data;
	int64_t num;

	st = irk_db_stmt(a->cb->db, NULL, "SELECT coalesce(max(num), 0) + 1 FROM evidence", err);
	if (!st)
		return IRK_EDB;
	sqlite3_step(st);
	num = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	/* What it is and where it came from first; then what was found (stat, link, extra). */
	data = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s}", "num", (json_int_t)num, "sha256",
			 obj->sha256, "size", (json_int_t)obj->size, "type", type, "name", name,
			 "path", path, "host", a->host);
	json_object_update_missing(data, rec);
	rec = data;
	json_object_set_new(rec, "how", json_string(a->o && a->o->how ? a->o->how
					: "copied into the casebook by irk evidence add"));
	if (a->o && a->o->why)
		json_object_set_new(rec, "why", json_string(a->o->why));
	json_object_set_new(rec, "stored", json_string(obj->compressed ? "zstd" : "plain"));
	irk_buf_addf(&text, "evidence E%lld acquired: %s (%llu bytes, sha256 %.16s…)", (long long)num,
		     path, (unsigned long long)obj->size, obj->sha256);
	{
		struct irk_append ap = { .chain = a->inc, .kind = "evidence", .text = text.buf,
					 .data = rec };
		rc = irk_logbook_append(a->cb, a->id, &ap, NULL, err);
	}
	irk_buf_release(&text);
	if (rc) {
		json_decref(data);
		return rc;
	}
	if (num_out)
		*num_out = num;
	if (a->added) {
		char id[32];
		json_t *o = json_deep_copy(rec);
		snprintf(id, sizeof(id), "E%lld", (long long)num);
		json_object_set_new(o, "id", json_string(id));
		json_object_set_new(o, "inc", json_string(a->inc));
		json_array_append_new(a->added, o);
	}
	json_decref(data);
	return IRK_OK;
}

static enum irk_code add_path(struct acquire *a, const char *path, int depth, struct irk_err *err);

static enum irk_code add_dir(struct acquire *a, const char *path, int depth, struct irk_err *err)
{
	struct dirent **names = NULL;
	enum irk_code rc = IRK_OK;
	int n;

	if (depth >= MAX_DEPTH)
		return irk_fail(err, IRK_EINVAL, "%s is nested more than %d directories deep", path,
				MAX_DEPTH);
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0)
		return irk_fail(err, IRK_EIO, "cannot list %s: %s", path, strerror(errno));
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		if (!rc && strcmp(d, ".") && strcmp(d, "..")) {
			struct irk_buf sub = IRK_BUF_INIT;
			irk_path_join(&sub, path, d);
			rc = add_path(a, sub.buf, depth + 1, err);
			irk_buf_release(&sub);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static enum irk_code add_link(struct acquire *a, const char *path, const struct stat *lst,
			      struct irk_err *err)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	struct irk_object_info obj;
	enum irk_code rc;
	json_t *rec;

	if (n < 0)
		return irk_fail(err, IRK_EIO, "cannot read the link %s: %s", path, strerror(errno));
	target[n] = '\0';
	if (!a->o || !a->o->links) {
		irk_fail(err, IRK_EINVAL, "%s is a symbolic link (to %s); irk does not follow links",
			 path, target);
		irk_hint(err, "add the file it points to by its own path, or give --links to record "
			      "the link itself");
		return IRK_EINVAL;
	}
	if ((rc = irk_object_put_buf(a->objdir.buf, target, (size_t)n, 0, &obj, err)))
		return rc;
	rec = json_object();
	stat_record(rec, lst);
	json_object_set_new(rec, "target", json_string(target));
	rc = record(a, path, "symlink", &obj, rec, NULL, err);
	json_decref(rec);
	return rc;
}

static enum irk_code add_file(struct acquire *a, const char *path, const struct stat *lst,
			      struct irk_err *err)
{
	struct irk_object_info obj;
	struct stat st, after;
	enum irk_code rc;
	json_t *rec;
	int fd;

	/* O_NOATIME keeps the access time as found, where the kernel allows it. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return irk_fail(err, errno == EACCES ? IRK_EIO : IRK_EIO, "cannot open %s: %s", path,
				strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != lst->st_dev ||
	    st.st_ino != lst->st_ino) {
		close(fd);
		return irk_fail(err, IRK_ESTATE, "%s was replaced while irk was opening it", path);
	}
	rc = irk_object_put_fd(a->objdir.buf, fd, path, a->o && a->o->compress, &obj, err);
	if (!rc && fstat(fd, &after) != 0)
		after = st;
	close(fd);
	if (rc)
		return rc;
	rec = json_object();
	stat_record(rec, lst);
	if (after.st_size != st.st_size || after.st_mtim.tv_sec != st.st_mtim.tv_sec ||
	    after.st_mtim.tv_nsec != st.st_mtim.tv_nsec || obj.size != (uint64_t)st.st_size)
		json_object_set_new(rec, "changed_while_copied", json_true());
	rc = record(a, path, "file", &obj, rec, NULL, err);
	json_decref(rec);
	return rc;
}

static enum irk_code add_path(struct acquire *a, const char *path, int depth, struct irk_err *err)
{
	struct stat lst;

	if (lstat(path, &lst) != 0)
		return irk_fail(err, errno == ENOENT ? IRK_ENOTFOUND : IRK_EIO, "cannot read %s: %s",
				path, strerror(errno));
	if (S_ISLNK(lst.st_mode))
		return add_link(a, path, &lst, err);
	if (S_ISDIR(lst.st_mode)) {
		if (!a->o || !a->o->recursive) {
			irk_fail(err, IRK_EINVAL, "%s is a directory", path);
			irk_hint(err, "give -r to add every file below it");
			return IRK_EINVAL;
		}
		return add_dir(a, path, depth, err);
	}
	if (!S_ISREG(lst.st_mode))
		return irk_fail(err, IRK_EINVAL,
				"%s is not a regular file (a device, pipe or socket); irk copies files only",
				path);
	return add_file(a, path, &lst, err);
}

/* The path as the acquisition record states it: absolute, last component unresolved. */
static void absolute(const char *path, struct irk_buf *out)
{
	char cwd[PATH_MAX];

	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)))
		irk_path_join(out, cwd, path);
	else
		irk_buf_adds(out, path);
	while (out->len > 1 && out->buf[out->len - 1] == '/')
		irk_buf_setlen(out, out->len - 1);
}

static enum irk_code check_opts(const struct irk_evidence_opts *o, struct irk_err *err)
{
	enum irk_code rc;

	if (o && o->how && (rc = irk_text_check("--how", o->how, 1024, err)))
		return rc;
	if (o && o->why && (rc = irk_text_check("--why", o->why, 4096, err)))
		return rc;
	return IRK_OK;
}

enum irk_code irk_evidence_add_paths(struct irk_casebook *cb, const struct irk_identity *id,
				     const char *inc, char *const *paths, int n,
				     const struct irk_evidence_opts *o, json_t *added,
				     struct irk_err *err)
{
	struct acquire a;
	enum irk_code rc;

	if ((rc = check_opts(o, err)))
		return rc;
	acquire_init(&a, cb, id, inc, o, added);
	if ((rc = irk_db_begin(cb->db, err)))
		goto done;
	for (int i = 0; i < n && !rc; i++) {
		struct irk_buf abs = IRK_BUF_INIT;
		absolute(paths[i], &abs);
		rc = add_path(&a, abs.buf, 0, err);
		irk_buf_release(&abs);
	}
	if (rc)
		irk_db_rollback(cb->db);
	else
		rc = irk_db_commit(cb->db, err);
done:
	irk_buf_release(&a.objdir);
	return rc;
}

enum irk_code irk_evidence_add_buf(struct irk_casebook *cb, const struct irk_identity *id,
				   const char *inc, const char *name, const void *data, size_t len,
				   const struct irk_evidence_opts *o, json_t *extra, int64_t *num,
				   struct irk_err *err)
{
	struct irk_object_info obj;
	struct acquire a;
	enum irk_code rc;
	json_t *rec;

	if ((rc = check_opts(o, err)) || (rc = irk_text_check_name(name, err)))
		return rc;
	if (strchr(name, '/'))
		return irk_fail(err, IRK_EINVAL, "an evidence name may not contain '/': %s", name);
	if (extra && !json_is_object(extra))
		return irk_fail(err, IRK_EINTERNAL, "extra evidence data must be a JSON object");
	acquire_init(&a, cb, id, inc, o, NULL);
	rec = extra ? json_deep_copy(extra) : json_object();
	if ((rc = irk_object_put_buf(a.objdir.buf, data, len, o && o->compress, &obj, err)) ||
	    (rc = irk_db_begin(cb->db, err)))
		goto done;
	if ((rc = record(&a, name, "buffer", &obj, rec, num, err)))
		irk_db_rollback(cb->db);
	else
		rc = irk_db_commit(cb->db, err);
done:
	json_decref(rec);
	irk_buf_release(&a.objdir);
	return rc;
}

/* ---- reading ---- */

enum irk_code irk_evidence_resolve(struct irk_casebook *cb, const char *arg, int64_t *num,
				   struct irk_err *err)
{
	const char *p = (arg[0] == 'E' || arg[0] == 'e') ? arg + 1 : arg;
	size_t n = strlen(p);
	sqlite3_stmt *st;
	int r, found = 0, digits = n > 0 && n < 10 && strspn(p, "0123456789") == n;

	if (!digits && !(strlen(arg) >= 8 && strlen(arg) <= 64 &&
			 strspn(arg, "0123456789abcdef") == strlen(arg))) {
		irk_fail(err, IRK_EUSAGE, "'%s' is not an evidence id", arg);
		irk_hint(err, "use E7, 7, or at least 8 hex digits of the object's SHA-256");
		return IRK_EUSAGE;
	}
	st = irk_db_stmt(cb->db, NULL,
			 "SELECT num FROM evidence WHERE (?1 AND num=?2) OR (NOT ?1 AND substr(sha256, 1, ?3)=?4)"
			 " LIMIT 2",
			 err);
	if (!st)
		return IRK_EDB;
	sqlite3_bind_int(st, 1, digits);
	sqlite3_bind_int64(st, 2, digits ? atoll(p) : -1);
	sqlite3_bind_int(st, 3, (int)strlen(arg));
	sqlite3_bind_text(st, 4, arg, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		*num = sqlite3_column_int64(st, 0);
		found++;
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return irk_db_fail(cb->db, err, "finding evidence");
	if (found == 1)
		return IRK_OK;
	if (found > 1)
		return irk_fail(err, IRK_EUSAGE, "'%s' matches more than one item of evidence", arg);
	irk_fail(err, IRK_ENOTFOUND, "no evidence '%s' in this casebook", arg);
	irk_hint(err, "'irk evidence list' shows every item");
	return IRK_ENOTFOUND;
}

#define ITEM_SELECT \
	"SELECT e.num, e.inc, e.sha256, e.size, e.type, e.name, e.path, e.host," \
	" coalesce(a.email, e.acquired_by), e.acquired, coalesce(c.email, e.custodian)," \
	" coalesce(o.email, e.offered_to), e.seq" \
	" FROM evidence e LEFT JOIN members a ON a.key = e.acquired_by" \
	" LEFT JOIN members c ON c.key = e.custodian LEFT JOIN members o ON o.key = e.offered_to"

static json_t *row_item(sqlite3_stmt *st)
{
	char id[32], when[IRK_TIME_MAX];
	json_t *o;

	snprintf(id, sizeof(id), "E%lld", (long long)sqlite3_column_int64(st, 0));
	irk_time_utc(sqlite3_column_int64(st, 9), 1, when);
	o = json_pack("{s:s, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
		      "num", (json_int_t)sqlite3_column_int64(st, 0), "inc", irk_db_text(st, 1),
		      "sha256", irk_db_text(st, 2), "size", (json_int_t)sqlite3_column_int64(st, 3),
		      "type", irk_db_text(st, 4), "name", irk_db_text(st, 5), "path",
		      irk_db_text(st, 6), "host", irk_db_text(st, 7), "acquired_by",
		      irk_db_text(st, 8), "acquired", when, "custodian", irk_db_text(st, 10));
	json_object_set_new(o, "offered_to", sqlite3_column_type(st, 11) == SQLITE_NULL
						     ? json_null()
						     : json_string(irk_db_text(st, 11)));
	return o;
}

enum irk_code irk_evidence_list(struct irk_casebook *cb, const char *inc, json_t **out,
				struct irk_err *err)
{
	json_t *arr = json_array();
	sqlite3_stmt *st;
	int r;

	if (!(st = irk_db_stmt(cb->db, NULL, ITEM_SELECT " WHERE ?1 IS NULL OR e.inc=?1 ORDER BY e.num",
			       err))) {
		json_decref(arr);
		return IRK_EDB;
	}
	if (inc)
		sqlite3_bind_text(st, 1, inc, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, row_item(st));
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return irk_db_fail(cb->db, err, "listing evidence");
	}
	*out = arr;
	return IRK_OK;
}

static enum irk_code custody_history(struct irk_casebook *cb, int64_t num, json_t *arr,
				     struct irk_err *err)
{
	sqlite3_stmt *st = irk_db_stmt(
		cb->db, NULL,
		"SELECT c.event, coalesce(b.email, c.by), coalesce(t.email, c.to_key), c.at, c.seq, c.hash"
		" FROM custody c LEFT JOIN members b ON b.key = c.by LEFT JOIN members t ON t.key = c.to_key"
		" WHERE c.evidence=?1 ORDER BY c.seq",
		err);
	int r;

	if (!st)
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, num);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char when[IRK_TIME_MAX];
		json_t *o;
		irk_time_utc(sqlite3_column_int64(st, 3), 1, when);
		o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "event", irk_db_text(st, 0), "by",
			      irk_db_text(st, 1), "at", when, "seq",
			      (json_int_t)sqlite3_column_int64(st, 4), "entry", irk_db_text(st, 5));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			json_object_set_new(o, "other", json_string(irk_db_text(st, 2)));
		json_array_append_new(arr, o);
	}
	sqlite3_reset(st);
	return r == SQLITE_DONE ? IRK_OK : irk_db_fail(cb->db, err, "reading custody");
}

static enum irk_code item_get(struct irk_casebook *cb, int64_t num, json_t **out,
			      struct irk_err *err)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = irk_db_stmt(cb->db, NULL, ITEM_SELECT " WHERE e.num=?1", err)))
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, num);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*out = row_item(st);
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return IRK_OK;
	if (r != SQLITE_DONE)
		return irk_db_fail(cb->db, err, "reading evidence");
	return irk_fail(err, IRK_ENOTFOUND, "no evidence E%lld in this casebook", (long long)num);
}

enum irk_code irk_evidence_show(struct irk_casebook *cb, int64_t num, json_t **out,
				struct irk_err *err)
{
	struct irk_entry e;
	enum irk_code rc;
	json_t *o, *hist = json_array();
	sqlite3_stmt *st;
	int64_t seq = 0;

	if ((rc = item_get(cb, num, &o, err))) {
		json_decref(hist);
		return rc;
	}
	if (!(st = irk_db_stmt(cb->db, NULL, "SELECT seq FROM evidence WHERE num=?1", err))) {
		rc = IRK_EDB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, num);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((rc = irk_logbook_get(cb, json_string_value(json_object_get(o, "inc")), seq, &e, err)))
		goto fail;
	json_object_set(o, "record", e.data);
	json_object_set_new(o, "entry", json_string(e.hash));
	irk_entry_release(&e);
	if ((rc = custody_history(cb, num, hist, err)))
		goto fail;
	json_object_set_new(o, "custody", hist);
	*out = o;
	return IRK_OK;
fail:
	json_decref(o);
	json_decref(hist);
	return rc;
}

/* ---- custody and access ---- */

static enum irk_code item_inc_sha(struct irk_casebook *cb, int64_t num, char inc[IRK_CHAIN_MAX],
				  char sha[IRK_SHA256_HEX], struct irk_err *err)
{
	json_t *o;
	enum irk_code rc = item_get(cb, num, &o, err);

	if (rc)
		return rc;
	snprintf(inc, IRK_CHAIN_MAX, "%s", json_string_value(json_object_get(o, "inc")));
	snprintf(sha, IRK_SHA256_HEX, "%s", json_string_value(json_object_get(o, "sha256")));
	json_decref(o);
	return IRK_OK;
}

enum irk_code irk_evidence_offer(struct irk_casebook *cb, const struct irk_identity *id,
				 int64_t num, const char *to, const char *why, struct irk_err *err)
{
	char inc[IRK_CHAIN_MAX], sha[IRK_SHA256_HEX];
	struct irk_buf text = IRK_BUF_INIT;
	struct irk_member m;
	enum irk_code rc;
	json_t *data;

	if ((rc = item_inc_sha(cb, num, inc, sha, err)) ||
	    (rc = irk_member_find(cb->db, NULL, to, &m, err)))
		return rc;
	if (why && (rc = irk_text_check("--why", why, 4096, err)))
		return rc;
	data = json_pack("{s:I, s:s, s:s}", "evidence", (json_int_t)num, "sha256", sha, "to",
			 m.keyid);
	if (why)
		json_object_set_new(data, "why", json_string(why));
	irk_buf_addf(&text, "custody of E%lld offered to %s", (long long)num, m.email);
	{
		struct irk_append a = { .chain = inc, .kind = "custody-offer", .text = text.buf,
					.data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	if (rc == IRK_EPERM)
		irk_hint(err, "'irk evidence show E%lld' names the custodian", (long long)num);
	json_decref(data);
	irk_buf_release(&text);
	return rc;
}

enum irk_code irk_evidence_accept(struct irk_casebook *cb, const struct irk_identity *id,
				  int64_t num, struct irk_err *err)
{
	char inc[IRK_CHAIN_MAX], sha[IRK_SHA256_HEX], offer[IRK_SHA256_HEX] = "";
	struct irk_buf text = IRK_BUF_INIT;
	sqlite3_stmt *st;
	enum irk_code rc;
	json_t *data;

	if ((rc = item_inc_sha(cb, num, inc, sha, err)))
		return rc;
	if (!(st = irk_db_stmt(cb->db, NULL, "SELECT offer FROM evidence WHERE num=?1", err)))
		return IRK_EDB;
	sqlite3_bind_int64(st, 1, num);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(offer, sizeof(offer), "%s", irk_db_text(st, 0));
	sqlite3_reset(st);
	if (!offer[0]) {
		irk_fail(err, IRK_ESTATE, "nobody has offered E%lld to anyone", (long long)num);
		irk_hint(err, "the custodian offers it first with 'irk evidence transfer E%lld --to YOU'",
			 (long long)num);
		return IRK_ESTATE;
	}
	data = json_pack("{s:I, s:s, s:s}", "evidence", (json_int_t)num, "sha256", sha, "offer",
			 offer);
	irk_buf_addf(&text, "custody of E%lld accepted", (long long)num);
	{
		struct irk_append a = { .chain = inc, .kind = "custody-accept", .text = text.buf,
					.data = data };
		rc = irk_logbook_write(cb, id, &a, NULL, err);
	}
	json_decref(data);
	irk_buf_release(&text);
	return rc;
}

static enum irk_code sink_fd(const void *p, size_t n, void *arg, struct irk_err *err)
{
	int fd = *(int *)arg;
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return irk_fail(err, IRK_EIO, "cannot write the copy: %s", strerror(errno));
		c += w;
		n -= (size_t)w;
	}
	return IRK_OK;
}

/* Record one access to item `num` (object `sha`): data {evidence, sha256, <key>: where, why}. */
static enum irk_code record_access(struct irk_casebook *cb, const struct irk_identity *id,
				   const char *inc, int64_t num, const char *sha, const char *key,
				   const char *where, const char *why, const char *text,
				   struct irk_err *err)
{
	json_t *data = json_pack("{s:I, s:s, s:s}", "evidence", (json_int_t)num, "sha256", sha,
				 key, where);
	struct irk_append a = { .chain = inc, .kind = "evidence-access", .text = text, .data = data };
	enum irk_code rc;

	if (why)
		json_object_set_new(data, "why", json_string(why));
	rc = irk_logbook_write(cb, id, &a, NULL, err);
	json_decref(data);
	return rc;
}

enum irk_code irk_evidence_get(struct irk_casebook *cb, const struct irk_identity *id,
			       int64_t num, const char *out_path, const char *why,
			       struct irk_err *err)
{
	char inc[IRK_CHAIN_MAX], sha[IRK_SHA256_HEX];
	struct irk_buf objdir = IRK_BUF_INIT, text = IRK_BUF_INIT, abs = IRK_BUF_INIT;
	enum irk_code rc;
	int fd = -1;

	if ((rc = item_inc_sha(cb, num, inc, sha, err)))
		return rc;
	if (why && (rc = irk_text_check("--why", why, 4096, err)))
		return rc;
	irk_evidence_objdir(cb, &objdir);
	/* Check before creating anything, so a damaged object leaves no file behind. */
	if ((rc = irk_object_read(objdir.buf, sha, NULL, NULL, NULL, err)))
		goto done;
	fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = irk_fail(err, errno == EEXIST ? IRK_ESTATE : IRK_EIO, "cannot create %s: %s",
			      out_path, strerror(errno));
		if (errno == EEXIST)
			irk_hint(err, "irk never overwrites a file: choose a new name");
		goto done;
	}
	if ((rc = irk_object_read(objdir.buf, sha, sink_fd, &fd, NULL, err)) ||
	    (fsync(fd) != 0 && (rc = irk_fail(err, IRK_EIO, "cannot sync %s: %s", out_path,
					      strerror(errno)))))
		goto done;
	absolute(out_path, &abs);
	irk_buf_addf(&text, "evidence E%lld verified and copied to %s", (long long)num, abs.buf);
	rc = record_access(cb, id, inc, num, sha, "copy", abs.buf, why, text.buf, err);
done:
	if (fd >= 0) {
		close(fd);
		if (rc)
			unlink(out_path);
	}
	irk_buf_release(&objdir);
	irk_buf_release(&text);
	irk_buf_release(&abs);
	return rc;
}

struct capped {
	struct irk_buf *out;
	size_t max;
};

static enum irk_code sink_buf(const void *p, size_t n, void *arg, struct irk_err *err)
{
	struct capped *c = arg;

	if (c->out->len + n > c->max)
		return irk_fail(err, IRK_ESTATE, "the object is larger than %zu bytes", c->max);
	irk_buf_add(c->out, p, n);
	return IRK_OK;
}

enum irk_code irk_evidence_send_check(struct irk_casebook *cb, int64_t num, size_t max,
				      const char *to, const char *why,
				      struct irk_evidence_send *send, struct irk_err *err)
{
	json_t *item = NULL;
	json_int_t size;
	enum irk_code rc;

	if ((why && (rc = irk_text_check("why", why, 4096, err))) ||
	    (rc = irk_text_check("to", to, 200, err)) || (rc = item_get(cb, num, &item, err)))
		return rc;
	size = json_integer_value(json_object_get(item, "size"));
	send->num = num;
	send->max = max;
	snprintf(send->inc, sizeof(send->inc), "%s", json_string_value(json_object_get(item, "inc")));
	snprintf(send->sha256, sizeof(send->sha256), "%s",
		 json_string_value(json_object_get(item, "sha256")));
	json_decref(item);
	if ((json_int_t)max < size) {
		irk_fail(err, IRK_ESTATE, "E%lld is %lld bytes, over the limit of %zu for %s",
			 (long long)num, (long long)size, max, to);
		irk_hint(err, "copy it on the casebook's host: irk evidence get E%lld -o FILE",
			 (long long)num);
		return IRK_ESTATE;
	}
	return IRK_OK;
}

enum irk_code irk_evidence_send_read(const struct irk_evidence_send *send, const char *objdir,
				     struct irk_buf *out, struct irk_err *err)
{
	struct capped c = { out, send->max };
	enum irk_code rc;

	irk_buf_reset(out);
	if ((rc = irk_object_read(objdir, send->sha256, sink_buf, &c, NULL, err)))
		irk_buf_reset(out);
	return rc;
}

enum irk_code irk_evidence_send_record(struct irk_casebook *cb, const struct irk_identity *id,
				       const struct irk_evidence_send *send, const char *to,
				       const char *why, struct irk_err *err)
{
	struct irk_buf text = IRK_BUF_INIT;
	enum irk_code rc;

	irk_buf_addf(&text, "evidence E%lld verified and sent: %s", (long long)send->num, to);
	rc = record_access(cb, id, send->inc, send->num, send->sha256, "sent", to, why, text.buf,
			   err);
	irk_buf_release(&text);
	return rc;
}

enum irk_code irk_evidence_verify(struct irk_casebook *cb, const char *inc, json_t *report,
				  struct irk_err *err)
{
	struct irk_buf objdir = IRK_BUF_INIT;
	enum irk_code rc, worst = IRK_OK;
	json_t *items;
	size_t i, bad = 0;
	json_t *it;

	if ((rc = irk_evidence_list(cb, inc, &items, err)))
		return rc;
	irk_evidence_objdir(cb, &objdir);
	json_array_foreach(items, i, it) {
		const char *sha = json_string_value(json_object_get(it, "sha256"));
		struct irk_err sub = IRK_ERR_INIT;
		uint64_t size = 0;
		json_t *o = json_pack("{s:O, s:O, s:s}", "id", json_object_get(it, "id"), "inc",
				      json_object_get(it, "inc"), "sha256", sha);

		rc = irk_object_read(objdir.buf, sha, NULL, NULL, &size, &sub);
		if (!rc && (json_int_t)size != json_integer_value(json_object_get(it, "size")))
			rc = irk_fail(&sub, IRK_ETAMPER, "object %s holds %llu bytes, not the %lld recorded",
				      sha, (unsigned long long)size,
				      (long long)json_integer_value(json_object_get(it, "size")));
		json_object_set_new(o, "ok", json_boolean(!rc));
		if (rc) {
			json_object_set_new(o, "problem", json_string(sub.msg));
			if (!bad++) {
				worst = rc == IRK_ENOTFOUND ? IRK_ETAMPER : rc;
				irk_fail(err, worst, "evidence %s: %s",
					 json_string_value(json_object_get(it, "id")), sub.msg);
			}
		}
		if (report)
			json_array_append_new(report, o);
		else
			json_decref(o);
	}
	if (bad > 1)
		irk_hint(err, "%zu items fail; 'irk evidence verify --json' lists them all", bad);
	json_decref(items);
	irk_buf_release(&objdir);
	return worst;
}
