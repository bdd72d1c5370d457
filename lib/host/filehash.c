/* filehash.c - hashing one file's content with libcrypto; see irk/filehash.h. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <string.h>
#include <unistd.h>

#include "irk/filehash.h"

static int same_times(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec && a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

enum irk_hash_state irk_file_hash(const char *path, enum irk_digest algo, const struct stat *seen,
				  uint8_t *out, void *buf, size_t bufsize, int *errnum)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOATIME | O_NONBLOCK | O_CLOEXEC);
	struct stat before, after;
	enum irk_hash_state state = IRK_HASH_OK;
	EVP_MD_CTX *md;
	uint64_t total = 0;

	*errnum = 0;
	if (fd < 0 && errno == EPERM) /* O_NOATIME needs ownership or CAP_FOWNER */
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*errnum = errno;
		/* Gone or turned into a symlink since the walk saw it. */
		return errno == ENOENT || errno == ELOOP ? IRK_HASH_CHANGING : IRK_HASH_UNREADABLE;
	}
	if (fstat(fd, &before) != 0) {
		*errnum = errno;
		close(fd);
		return IRK_HASH_UNREADABLE;
	}
	if (!S_ISREG(before.st_mode) ||
	    (seen && (before.st_ino != seen->st_ino || before.st_dev != seen->st_dev ||
		      !same_times(&before, seen)))) {
		close(fd);
		return IRK_HASH_CHANGING;
	}
	if (before.st_size > (off_t)(4 * bufsize)) /* read-ahead matters for big files only */
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, algo == IRK_DIGEST_MD5 ? EVP_md5() : EVP_sha256(), NULL) != 1)
		abort();
	for (;;) {
		ssize_t n = read(fd, buf, bufsize);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*errnum = errno;
			state = IRK_HASH_UNREADABLE;
			break;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(md, buf, (size_t)n);
		total += (uint64_t)n;
	}
	if (state == IRK_HASH_OK &&
	    (fstat(fd, &after) != 0 || !same_times(&before, &after) ||
	     total != (uint64_t)before.st_size))
		state = IRK_HASH_CHANGING;
	EVP_DigestFinal_ex(md, out, NULL);
	EVP_MD_CTX_free(md);
	close(fd);
	return state;
}
