/*
 * baseline-check.c - comparing a tree with its baseline: a merge of two
 * streams sorted in walk order (the baseline file and the live walk), so
 * memory does not grow with the tree.  Decides which attribute changes are
 * reported and what they mean (the flags); docs/INTEGRITY.md explains why.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "irk/baseline.h"
#include "irk/text.h"

const char *const irk_flag_names[IRK_FLAG_COUNT] = {
	"shrank", "setid", "system", "owner", "mode", "odd-name", "changing", "unreadable",
};

/* Attributes whose change means the content is different. */
#define CONTENT_ATTRS (IRK_ATTR_TYPE | IRK_ATTR_SIZE | IRK_ATTR_SHA256 | IRK_ATTR_TARGET | IRK_ATTR_INODE)
/* Of a directory only these are compared; its size and times follow its content,
 * which is reported entry by entry. */
#define DIR_ATTRS (IRK_ATTR_TYPE | IRK_ATTR_MODE | IRK_ATTR_UID | IRK_ATTR_GID | IRK_ATTR_INODE)

struct check {
	struct irk_baseline_reader *r;
	const struct irk_fentry *b; /* the current baseline record, NULL at its end */
	const struct irk_policy *p;
	irk_change_fn fn;
	void *arg;
	struct irk_check_stats *stats;
	struct irk_buf unlisted; /* a directory that could not be read now: skip its old content */
};

int irk_name_is_odd(const char *name)
{
	size_t n = strlen(name);
	int only_dots_blanks = 1;

	if (name[0] == '.' || name[0] == ' ' || name[0] == '-' || (n && name[n - 1] == ' '))
		return 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f)
			return 1;
		if (c != '.' && c != ' ')
			only_dots_blanks = 0;
	}
	return only_dots_blanks || irk_utf8_check(name, n) != 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

static int below(const char *path, const struct irk_buf *dir)
{
	return dir->len && !strncmp(path, dir->buf, dir->len) &&
	       (path[dir->len] == '/' || (dir->len == 1 && dir->buf[0] == '/'));
}

static enum irk_code advance(struct check *c, struct irk_err *err)
{
	enum irk_code rc = irk_baseline_next(c->r, &c->b, err);

	if (rc == IRK_ENOTFOUND) {
		c->b = NULL;
		return IRK_OK;
	}
	return rc;
}

static enum irk_code emit(struct check *c, struct irk_change *ch, struct irk_err *err)
{
	switch (ch->kind) {
	case IRK_CHANGE_ADDED:
		c->stats->added++;
		break;
	case IRK_CHANGE_REMOVED:
		c->stats->removed++;
		break;
	case IRK_CHANGE_CHANGED:
		c->stats->changed++;
		break;
	case IRK_CHANGE_SKIPPED:
		c->stats->skipped++;
		break;
	}
	if (ch->flags & ~(IRK_FLAG_UNREADABLE | IRK_FLAG_CHANGING))
		c->stats->flagged++;
	c->stats->flags |= ch->flags;
	return c->fn(ch, c->arg, err);
}

static unsigned differences(const struct irk_fentry *a, const struct irk_fentry *b)
{
	unsigned d = 0;

	d |= a->type != b->type ? IRK_ATTR_TYPE : 0;
	d |= a->mode != b->mode ? IRK_ATTR_MODE : 0;
	d |= a->uid != b->uid ? IRK_ATTR_UID : 0;
	d |= a->gid != b->gid ? IRK_ATTR_GID : 0;
	d |= a->size != b->size ? IRK_ATTR_SIZE : 0;
	d |= a->mtime_s != b->mtime_s || a->mtime_ns != b->mtime_ns ? IRK_ATTR_MTIME : 0;
	d |= a->ctime_s != b->ctime_s || a->ctime_ns != b->ctime_ns ? IRK_ATTR_CTIME : 0;
	d |= a->inode != b->inode ? IRK_ATTR_INODE : 0;
	d |= a->nlink != b->nlink ? IRK_ATTR_NLINK : 0;
	if ((a->target || b->target) && (!a->target || !b->target || strcmp(a->target, b->target)))
		d |= IRK_ATTR_TARGET;
	/* Content: compared when both sides were read; a file that could not be read
	 * before but can now counts as changed. */
	if (b->hash == IRK_HASH_OK && a->hash != IRK_HASH_NONE &&
	    (a->hash != IRK_HASH_OK || memcmp(a->sha256, b->sha256, IRK_SHA256_LEN)))
		d |= IRK_ATTR_SHA256;
	return d;
}

static unsigned read_flags(const struct irk_fentry *e)
{
	unsigned f = 0;

	if (e->hash == IRK_HASH_UNREADABLE || e->unlisted || (e->type == 'l' && e->errnum))
		f |= IRK_FLAG_UNREADABLE;
	if (e->hash == IRK_HASH_CHANGING)
		f |= IRK_FLAG_CHANGING;
	return f;
}

static enum irk_code compare(struct check *c, const struct irk_fentry *old,
			     const struct irk_fentry *cur, struct irk_err *err)
{
	struct irk_change ch = { IRK_CHANGE_CHANGED, old, cur, 0, 0 };
	unsigned attrs = differences(old, cur);

	if (old->type == 'd' && cur->type == 'd')
		attrs &= DIR_ATTRS;
	if (old->type == 'f' && cur->type == 'f' && irk_policy_match(c->p, IRK_RULE_GROW, cur->path)) {
		if (cur->size < old->size)
			ch.flags |= IRK_FLAG_SHRANK;
		else
			attrs &= ~(IRK_ATTR_SIZE | IRK_ATTR_MTIME | IRK_ATTR_CTIME | IRK_ATTR_SHA256);
	}
	attrs &= ~irk_policy_ignored(c->p, cur->path);
	/* A different type is a different object: its mode and owner are news, not changes. */
	if ((attrs & (IRK_ATTR_UID | IRK_ATTR_GID)) && old->type == cur->type)
		ch.flags |= IRK_FLAG_OWNER;
	if ((attrs & IRK_ATTR_MODE) && old->type == cur->type)
		ch.flags |= IRK_FLAG_MODE;
	if (cur->type == 'f' && (cur->mode & 06000 & ~(old->type == 'f' ? old->mode : 0)))
		ch.flags |= IRK_FLAG_SETID;
	if ((attrs & CONTENT_ATTRS) && irk_policy_match(c->p, IRK_RULE_SYSTEM, cur->path))
		ch.flags |= IRK_FLAG_SYSTEM;
	ch.flags |= read_flags(cur);
	/* Unreadable then and now: nothing new to say. */
	if ((old->hash == IRK_HASH_UNREADABLE || old->unlisted) && old->type == cur->type)
		ch.flags &= ~IRK_FLAG_UNREADABLE;
	ch.attrs = attrs;
	if (!attrs && !(ch.flags & (IRK_FLAG_UNREADABLE | IRK_FLAG_CHANGING)))
		return IRK_OK;
	if (!attrs)
		ch.kind = IRK_CHANGE_SKIPPED;
	return emit(c, &ch, err);
}

static enum irk_code added(struct check *c, const struct irk_fentry *cur, struct irk_err *err)
{
	struct irk_change ch = { IRK_CHANGE_ADDED, NULL, cur, 0, 0 };

	if (cur->type == 'f' && (cur->mode & 06000))
		ch.flags |= IRK_FLAG_SETID;
	if (cur->type != 'd' && irk_policy_match(c->p, IRK_RULE_SYSTEM, cur->path))
		ch.flags |= IRK_FLAG_SYSTEM;
	if (irk_name_is_odd(base_name(cur->path)))
		ch.flags |= IRK_FLAG_ODDNAME;
	ch.flags |= read_flags(cur);
	return emit(c, &ch, err);
}

/* Baseline records before `path` are gone from the tree. */
static enum irk_code drain(struct check *c, const char *path, struct irk_err *err)
{
	enum irk_code rc = IRK_OK;

	while (!rc && c->b && (!path || irk_path_cmp(c->b->path, path) < 0)) {
		if (!below(c->b->path, &c->unlisted)) {
			struct irk_change ch = { IRK_CHANGE_REMOVED, c->b, NULL, 0, 0 };
			rc = emit(c, &ch, err);
		}
		if (!rc)
			rc = advance(c, err);
	}
	return rc;
}

static enum irk_code on_entry(struct irk_fentry *e, void *arg, struct irk_err *err)
{
	struct check *c = arg;
	const struct irk_fentry *old = NULL;
	enum irk_code rc;

	c->stats->files++;
	rc = drain(c, e->path, err);
	if (rc)
		return rc;
	if (c->b && !irk_path_cmp(c->b->path, e->path))
		old = c->b;
	if (e->type == '?') {
		struct irk_change ch = { IRK_CHANGE_SKIPPED, old, e, 0, IRK_FLAG_UNREADABLE };
		rc = emit(c, &ch, err);
	} else if (old) {
		rc = compare(c, old, e, err);
	} else {
		rc = added(c, e, err);
	}
	if (!rc && old)
		rc = advance(c, err);
	if (e->unlisted) {
		irk_buf_reset(&c->unlisted);
		irk_buf_adds(&c->unlisted, e->path);
	}
	return rc;
}

enum irk_code irk_baseline_check(struct irk_baseline_reader *r, const struct irk_policy *p,
				 const struct irk_walk_opts *o, irk_change_fn fn, void *arg,
				 struct irk_check_stats *stats, struct irk_err *err)
{
	struct check c = { r, NULL, p, fn, arg, stats, IRK_BUF_INIT };
	enum irk_code rc;

	memset(stats, 0, sizeof(*stats));
	rc = advance(&c, err);
	if (!rc)
		rc = irk_walk(p, o, on_entry, &c, err);
	if (!rc)
		rc = drain(&c, NULL, err);
	irk_buf_release(&c.unlisted);
	return rc;
}

/* ---- presenting a change ---- */

static const char *type_name(char t)
{
	switch (t) {
	case 'f':
		return "file";
	case 'd':
		return "directory";
	case 'l':
		return "symlink";
	case 'c':
		return "char-device";
	case 'b':
		return "block-device";
	case 'p':
		return "fifo";
	case 's':
		return "socket";
	}
	return "unknown";
}

static void time_value(int64_t s, long ns, struct irk_buf *out)
{
	time_t t = (time_t)s;
	struct tm tm;
	char b[64];

	if (!gmtime_r(&t, &tm) || !strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm)) {
		irk_buf_addf(out, "%" PRId64 ".%09ld", s, ns);
		return;
	}
	irk_buf_addf(out, "%s.%09ldZ", b, ns);
}

void irk_attr_value(const struct irk_fentry *e, unsigned bit, struct irk_buf *out)
{
	char hex[IRK_SHA256_HEX];

	switch (bit) {
	case IRK_ATTR_TYPE:
		irk_buf_adds(out, type_name(e->type));
		break;
	case IRK_ATTR_MODE:
		irk_buf_addf(out, "%04o", e->mode);
		break;
	case IRK_ATTR_UID:
		irk_buf_addf(out, "%u", e->uid);
		break;
	case IRK_ATTR_GID:
		irk_buf_addf(out, "%u", e->gid);
		break;
	case IRK_ATTR_SIZE:
		irk_buf_addf(out, "%" PRIu64, e->size);
		break;
	case IRK_ATTR_MTIME:
		time_value(e->mtime_s, e->mtime_ns, out);
		break;
	case IRK_ATTR_CTIME:
		time_value(e->ctime_s, e->ctime_ns, out);
		break;
	case IRK_ATTR_INODE:
		irk_buf_addf(out, "%" PRIu64, e->inode);
		break;
	case IRK_ATTR_NLINK:
		irk_buf_addf(out, "%" PRIu64, e->nlink);
		break;
	case IRK_ATTR_TARGET:
		if (e->target)
			irk_pct_encode(e->target, out);
		else
			irk_buf_adds(out, "(none)");
		break;
	case IRK_ATTR_SHA256:
		if (e->hash == IRK_HASH_OK) {
			irk_hex(e->sha256, IRK_SHA256_LEN, hex);
			irk_buf_adds(out, hex);
		} else {
			irk_buf_adds(out, e->hash == IRK_HASH_NONE ? "(none)"
					  : e->hash == IRK_HASH_CHANGING ? "(changing)" : "(unreadable)");
		}
		break;
	}
}

static json_t *path_json(const char *path)
{
	struct irk_buf enc = IRK_BUF_INIT;
	json_t *j;

	if (!irk_utf8_check(path, strlen(path)))
		return json_string(path);
	irk_pct_encode(path, &enc);
	j = json_string(enc.buf);
	irk_buf_release(&enc);
	return j;
}

json_t *irk_change_json(const struct irk_change *c)
{
	static const char *const kinds[] = { "added", "removed", "changed", "skipped" };
	const struct irk_fentry *e = c->cur ? c->cur : c->old;
	json_t *j = json_object(), *flags = json_array();
	struct irk_buf v = IRK_BUF_INIT;

	json_object_set_new(j, "change", json_string(kinds[c->kind]));
	json_object_set_new(j, "path", path_json(e->path));
	if (irk_utf8_check(e->path, strlen(e->path)))
		json_object_set_new(j, "path_encoded", json_true());
	json_object_set_new(j, "type", json_string(type_name(e->type)));
	if (c->kind == IRK_CHANGE_CHANGED) {
		json_t *attrs = json_object();
		for (int b = 0; b < IRK_ATTR_COUNT; b++) {
			unsigned bit = 1u << b;
			json_t *pair;
			if (!(c->attrs & bit))
				continue;
			pair = json_object();
			irk_buf_reset(&v);
			irk_attr_value(c->old, bit, &v);
			json_object_set_new(pair, "old", path_json(v.buf));
			irk_buf_reset(&v);
			irk_attr_value(c->cur, bit, &v);
			json_object_set_new(pair, "new", path_json(v.buf));
			json_object_set_new(attrs, irk_attr_names[b], pair);
		}
		json_object_set_new(j, "attrs", attrs);
	} else if (e->type != '?') {
		static const unsigned shown[] = { IRK_ATTR_MODE, IRK_ATTR_UID, IRK_ATTR_GID,
						  IRK_ATTR_SIZE, IRK_ATTR_MTIME };
		for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
			int b = __builtin_ctz(shown[i]);
			irk_buf_reset(&v);
			irk_attr_value(e, shown[i], &v);
			json_object_set_new(j, irk_attr_names[b], json_string(v.buf));
		}
		if (e->hash == IRK_HASH_OK) {
			irk_buf_reset(&v);
			irk_attr_value(e, IRK_ATTR_SHA256, &v);
			json_object_set_new(j, "sha256", json_string(v.buf));
		}
		if (e->target)
			json_object_set_new(j, "target", path_json(e->target));
	}
	for (int b = 0; b < IRK_FLAG_COUNT; b++)
		if (c->flags & (1u << b))
			json_array_append_new(flags, json_string(irk_flag_names[b]));
	json_object_set_new(j, "flags", flags);
	if (c->cur && c->cur->errnum)
		json_object_set_new(j, "error", json_string(strerror(c->cur->errnum)));
	irk_buf_release(&v);
	return j;
}
