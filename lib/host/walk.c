/*
 * walk.c - the tree walk behind baselines: walk order, policy exclusions,
 * no symlinks followed, no mounts crossed, and content hashing on a pool of
 * threads that runs while the walk goes on.
 *
 * Threads: one walker lists directories and stats entries, pushing them in
 * walk order into a bounded ring; N hashers take the regular files from the
 * ring and hash them; the calling thread takes finished entries from the
 * head of the ring, in order, and hands them to the caller.  Memory is
 * bounded by the ring (QUEUE entries) plus the names of the directories on
 * the current path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/baseline.h"
#include "irk/filehash.h"

#define QUEUE 8192
#define MAX_DEPTH 256
#define MAX_THREADS 16
#define BATCH 256

enum { ST_DONE, ST_NEED_HASH, ST_HASHING };

struct walk {
	const struct irk_policy *p;
	pthread_mutex_t mu;
	pthread_cond_t not_full, work, ready;
	struct irk_fentry *q[QUEUE];
	uint64_t head, tail, dispatch;
	int walk_done, abort;
	int idle_hashers, consumer_waiting, walker_waiting; /* wake only who waits */
	/* The walker's entries not yet in the ring: handed over in batches, one lock each. */
	struct irk_fentry *pending[64];
	size_t npending;
};

static const char *const special_dirs[] = { "/proc", "/sys", "/dev", NULL };

static void flush(struct walk *w)
{
	size_t i = 0;
	int need = 0;

	pthread_mutex_lock(&w->mu);
	while (i < w->npending) {
		struct irk_fentry *e = w->pending[i];

		while (w->tail - w->head >= QUEUE && !w->abort) {
			if (w->consumer_waiting)
				pthread_cond_signal(&w->ready);
			w->walker_waiting = 1;
			pthread_cond_wait(&w->not_full, &w->mu);
			w->walker_waiting = 0;
		}
		if (w->abort)
			break;
		w->q[w->tail++ % QUEUE] = e;
		need |= e->state == ST_NEED_HASH;
		i++;
	}
	if (need && w->idle_hashers)
		pthread_cond_broadcast(&w->work);
	if (w->consumer_waiting)
		pthread_cond_signal(&w->ready);
	pthread_mutex_unlock(&w->mu);
	for (; i < w->npending; i++) /* after an abort */
		irk_fentry_free(w->pending[i]);
	w->npending = 0;
}

static void push(struct walk *w, struct irk_fentry *e)
{
	w->pending[w->npending++] = e;
	if (w->npending == sizeof(w->pending) / sizeof(w->pending[0]))
		flush(w);
}

static char type_of(mode_t m)
{
	if (S_ISREG(m))
		return 'f';
	if (S_ISDIR(m))
		return 'd';
	if (S_ISLNK(m))
		return 'l';
	if (S_ISCHR(m))
		return 'c';
	if (S_ISBLK(m))
		return 'b';
	if (S_ISFIFO(m))
		return 'p';
	return 's';
}

static struct irk_fentry *entry_from_stat(const char *path, const struct stat *st)
{
	struct irk_fentry *e = irk_calloc(1, sizeof(*e));

	e->path = irk_strdup(path);
	e->type = type_of(st->st_mode);
	e->mode = st->st_mode & 07777;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	e->size = (uint64_t)st->st_size;
	e->inode = st->st_ino;
	e->nlink = st->st_nlink;
	e->dev = st->st_dev;
	e->mtime_s = st->st_mtim.tv_sec;
	e->mtime_ns = st->st_mtim.tv_nsec;
	e->ctime_s = st->st_ctim.tv_sec;
	e->ctime_ns = st->st_ctim.tv_nsec;
	return e;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in directory `fd` (closed here); NULL with errno on failure. */
static char **list_dir(int fd, size_t *n)
{
	DIR *d = fdopendir(fd);
	char **names = NULL;
	size_t alloc = 0;
	struct dirent *de;

	*n = 0;
	if (!d) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			names = irk_realloc(names, alloc * sizeof(*names));
		}
		names[(*n)++] = irk_strdup(de->d_name);
		errno = 0;
	}
	if (errno) {
		int e = errno;
		for (size_t i = 0; i < *n; i++)
			free(names[i]);
		free(names);
		closedir(d);
		errno = e;
		return NULL;
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), name_cmp);
	else
		names = irk_malloc(sizeof(*names));
	return names;
}

static int is_special(const char *path)
{
	for (int i = 0; special_dirs[i]; i++)
		if (!strcmp(path, special_dirs[i]))
			return 1;
	return 0;
}

/* Visit `name` in directory `dirfd`; `path` holds its full path (restored on return). */
static void visit(struct walk *w, int dirfd, const char *name, struct irk_buf *path,
		  dev_t root_dev, int depth)
{
	struct stat st;
	struct irk_fentry *e;
	char **names = NULL;
	size_t n = 0;
	int fd = -1;

	if (__atomic_load_n(&w->abort, __ATOMIC_RELAXED) ||
	    irk_policy_match(w->p, IRK_RULE_EXCLUDE, path->buf))
		return;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return; /* gone since the directory was listed */
		e = irk_calloc(1, sizeof(*e));
		e->path = irk_strdup(path->buf);
		e->type = '?';
		e->errnum = errno;
		push(w, e);
		return;
	}
	e = entry_from_stat(path->buf, &st);
	if (S_ISLNK(st.st_mode)) {
		struct irk_buf t = IRK_BUF_INIT;
		ssize_t got;

		irk_buf_grow(&t, (size_t)st.st_size + 2);
		got = readlinkat(dirfd, name, t.buf, t.alloc - 1);
		if (got > 0 && (size_t)got < t.alloc - 1) {
			irk_buf_setlen(&t, (size_t)got);
			e->target = irk_buf_detach(&t, NULL);
		} else {
			e->target = irk_strdup("?");
			e->errnum = got < 0 ? errno : EOVERFLOW;
		}
		irk_buf_release(&t);
	} else if (S_ISREG(st.st_mode)) {
		e->hash = IRK_HASH_OK;
		if (st.st_size == 0)
			irk_sha256("", 0, e->sha256);
		else
			e->state = ST_NEED_HASH;
	} else if (S_ISDIR(st.st_mode) && (st.st_dev == root_dev || w->p->cross_mounts) &&
		   (depth == 0 || w->p->special || !is_special(path->buf))) {
		if (depth >= MAX_DEPTH) {
			e->unlisted = 1;
			e->errnum = ELOOP;
		} else {
			fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC);
			if (fd < 0 && errno == EPERM)
				fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0) {
				struct stat now;
				if (fstat(fd, &now) != 0 || now.st_ino != st.st_ino || now.st_dev != st.st_dev) {
					close(fd);
					fd = -1;
					errno = ESTALE;
				}
			}
			/* list_dir closes its descriptor; keep one for the children. */
			if (fd >= 0) {
				int listfd = dup(fd);
				names = listfd >= 0 ? list_dir(listfd, &n) : NULL;
				if (!names) {
					int keep = errno;
					close(fd);
					fd = -1;
					errno = keep;
				}
			}
			if (fd < 0) {
				e->unlisted = 1;
				e->errnum = errno;
			}
		}
	}
	push(w, e);
	if (fd < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t keep = path->len;

		if (!(path->len == 1 && path->buf[0] == '/'))
			irk_buf_addch(path, '/');
		irk_buf_adds(path, names[i]);
		visit(w, fd, names[i], path, root_dev, depth + 1);
		irk_buf_setlen(path, keep);
		free(names[i]);
	}
	free(names);
	close(fd);
}

static int root_cmp(const void *a, const void *b)
{
	return irk_path_cmp(*(char *const *)a, *(char *const *)b);
}

/* A root inside another one is walked once, as part of the outer one. */
static int is_below(const char *inner, const char *outer)
{
	size_t n = strlen(outer);

	if (!strcmp(outer, "/"))
		return 1;
	return !strncmp(inner, outer, n) && (inner[n] == '/' || inner[n] == '\0');
}

static void *walker(void *arg)
{
	struct walk *w = arg;
	char **roots = NULL;
	size_t nroots = 0, alloc = 0;
	struct irk_buf path = IRK_BUF_INIT;

	for (size_t i = 0; i < w->p->nroots; i++) {
		const char *r = w->p->roots[i];
		glob_t g;

		if (strpbrk(r, "*?[")) {
			if (glob(r, GLOB_NOSORT, NULL, &g) != 0)
				continue;
			for (size_t k = 0; k < g.gl_pathc; k++) {
				if (nroots == alloc)
					roots = irk_realloc(roots, (alloc = alloc * 2 + 8) * sizeof(*roots));
				roots[nroots++] = irk_strdup(g.gl_pathv[k]);
			}
			globfree(&g);
		} else {
			if (nroots == alloc)
				roots = irk_realloc(roots, (alloc = alloc * 2 + 8) * sizeof(*roots));
			roots[nroots++] = irk_strdup(r);
		}
	}
	if (nroots)
		qsort(roots, nroots, sizeof(*roots), root_cmp);
	for (size_t i = 0, kept = (size_t)-1; i < nroots; i++) {
		struct stat st;

		if (kept != (size_t)-1 && is_below(roots[i], roots[kept]))
			continue;
		kept = i;
		if (lstat(roots[i], &st) != 0)
			continue; /* a missing root: its old files show up as removed */
		irk_buf_reset(&path);
		irk_buf_adds(&path, roots[i]);
		visit(w, AT_FDCWD, roots[i], &path, st.st_dev, 0);
	}
	for (size_t i = 0; i < nroots; i++)
		free(roots[i]);
	free(roots);
	irk_buf_release(&path);
	flush(w);
	pthread_mutex_lock(&w->mu);
	w->walk_done = 1;
	pthread_cond_broadcast(&w->work);
	pthread_cond_broadcast(&w->ready);
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void hash_entry(struct irk_fentry *e, void *buf)
{
	struct stat seen;

	memset(&seen, 0, sizeof(seen));
	seen.st_ino = e->inode;
	seen.st_dev = e->dev;
	seen.st_size = (off_t)e->size;
	seen.st_mtim.tv_sec = e->mtime_s;
	seen.st_mtim.tv_nsec = e->mtime_ns;
	seen.st_ctim.tv_sec = e->ctime_s;
	seen.st_ctim.tv_nsec = e->ctime_ns;
	e->hash = irk_file_hash(e->path, IRK_DIGEST_SHA256, &seen, e->sha256, buf, IRK_FILEHASH_BUF,
				&e->errnum);
	if (e->hash != IRK_HASH_OK)
		memset(e->sha256, 0, sizeof(e->sha256));
}

static void *hasher(void *arg)
{
	struct walk *w = arg;
	void *buf = irk_malloc(IRK_FILEHASH_BUF);

	pthread_mutex_lock(&w->mu);
	for (;;) {
		if (w->dispatch < w->head)
			w->dispatch = w->head;
		while (w->dispatch < w->tail && w->q[w->dispatch % QUEUE]->state != ST_NEED_HASH)
			w->dispatch++;
		if (w->dispatch < w->tail && !w->abort) {
			struct irk_fentry *e = w->q[w->dispatch++ % QUEUE];

			e->state = ST_HASHING;
			pthread_mutex_unlock(&w->mu);
			hash_entry(e, buf);
			pthread_mutex_lock(&w->mu);
			e->state = ST_DONE;
			if (w->consumer_waiting && w->q[w->head % QUEUE] == e)
				pthread_cond_signal(&w->ready);
			continue;
		}
		if (w->walk_done || w->abort)
			break;
		w->idle_hashers++;
		pthread_cond_wait(&w->work, &w->mu);
		w->idle_hashers--;
	}
	pthread_mutex_unlock(&w->mu);
	free(buf);
	return NULL;
}

enum irk_code irk_walk(const struct irk_policy *p, const struct irk_walk_opts *o,
		       irk_fentry_fn fn, void *arg, struct irk_err *err)
{
	struct walk *w = irk_calloc(1, sizeof(*w));
	pthread_t walk_thread, hash_threads[MAX_THREADS];
	struct irk_fentry *batch[BATCH];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int nthreads = o && o->threads > 0 ? o->threads : (int)(cpus > 0 ? cpus : 1);
	uint64_t files = 0, bytes = 0, next_progress = 2048;
	enum irk_code rc = IRK_OK;

	if (nthreads > MAX_THREADS)
		nthreads = MAX_THREADS;
	w->p = p;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->not_full, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->ready, NULL);
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&hash_threads[i], NULL, hasher, w) != 0)
			abort();
	if (pthread_create(&walk_thread, NULL, walker, w) != 0)
		abort();
	pthread_mutex_lock(&w->mu);
	for (;;) {
		size_t k = 0;

		while (k < BATCH && w->head < w->tail && w->q[w->head % QUEUE]->state == ST_DONE)
			batch[k++] = w->q[w->head++ % QUEUE];
		if (k) {
			if (w->walker_waiting)
				pthread_cond_signal(&w->not_full);
			pthread_mutex_unlock(&w->mu);
			for (size_t i = 0; i < k; i++) {
				if (!rc) {
					files++;
					bytes += batch[i]->type == 'f' ? batch[i]->size : 0;
					rc = fn(batch[i], arg, err);
					if (o && o->progress && files >= next_progress) {
						o->progress(files, bytes, batch[i]->path, o->progress_arg);
						next_progress = files + 2048;
					}
				}
				irk_fentry_free(batch[i]);
			}
			pthread_mutex_lock(&w->mu);
			if (rc) {
				__atomic_store_n(&w->abort, 1, __ATOMIC_RELAXED);
				pthread_cond_broadcast(&w->not_full);
				pthread_cond_broadcast(&w->work);
				break;
			}
			continue;
		}
		if (w->walk_done && w->head == w->tail)
			break;
		w->consumer_waiting = 1;
		pthread_cond_wait(&w->ready, &w->mu);
		w->consumer_waiting = 0;
	}
	pthread_mutex_unlock(&w->mu);
	pthread_join(walk_thread, NULL);
	for (int i = 0; i < nthreads; i++)
		pthread_join(hash_threads[i], NULL);
	/* After an abort the ring may still hold entries. */
	while (w->head < w->tail)
		irk_fentry_free(w->q[w->head++ % QUEUE]);
	if (o && o->progress)
		o->progress(files, bytes, NULL, o->progress_arg);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->not_full);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->ready);
	free(w);
	return rc;
}
