/* test-object.c - the content-addressed object store: naming, compression, tamper checks. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/buf.h"
#include "irk/object.h"
#include "unit.h"

static char dir[64];

static enum irk_code collect(const void *p, size_t n, void *arg, struct irk_err *err)
{
	(void)err;
	irk_buf_add(arg, p, n);
	return IRK_OK;
}

TEST(plain_object_is_named_by_hash_and_read_only)
{
	struct irk_object_info info;
	struct irk_buf path = IRK_BUF_INIT, back = IRK_BUF_INIT;
	struct stat st;
	uint64_t size = 0;
	int z = -1;

	CHECK(irk_object_put_buf(dir, "abc", 3, 0, &info, NULL) == IRK_OK);
	/* SHA-256("abc") */
	CHECK_STR(info.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK(info.size == 3 && info.stored == 3 && !info.compressed);
	CHECK(irk_object_path(dir, info.sha256, &path, &z, NULL) == IRK_OK && z == 0);
	CHECK(stat(path.buf, &st) == 0 && (st.st_mode & 0777) == 0400);
	CHECK(irk_object_read(dir, info.sha256, collect, &back, &size, NULL) == IRK_OK);
	CHECK(size == 3 && back.len == 3 && !memcmp(back.buf, "abc", 3));
	irk_buf_release(&path);
	irk_buf_release(&back);
}

TEST(compressed_object_keeps_its_name_and_content)
{
	struct irk_object_info info;
	struct irk_buf data = IRK_BUF_INIT, back = IRK_BUF_INIT, path = IRK_BUF_INIT;
	int z = 0;

	for (int i = 0; i < 20000; i++)
		irk_buf_addf(&data, "line %d\n", i % 7);
	CHECK(irk_object_put_buf(dir, data.buf, data.len, 1, &info, NULL) == IRK_OK);
	CHECK(info.compressed && info.stored < info.size / 10 && info.size == data.len);
	CHECK(irk_object_path(dir, info.sha256, &path, &z, NULL) == IRK_OK && z == 1);
	CHECK(irk_object_read(dir, info.sha256, collect, &back, NULL, NULL) == IRK_OK);
	CHECK(back.len == data.len && !memcmp(back.buf, data.buf, data.len));
	irk_buf_release(&data);
	irk_buf_release(&back);
	irk_buf_release(&path);
}

TEST(altered_or_missing_object_is_refused)
{
	struct irk_object_info info;
	struct irk_buf path = IRK_BUF_INIT;
	struct irk_err err = IRK_ERR_INIT;
	FILE *f;

	CHECK(irk_object_put_buf(dir, "evidence", 8, 0, &info, NULL) == IRK_OK);
	CHECK(irk_object_path(dir, info.sha256, &path, NULL, NULL) == IRK_OK);
	chmod(path.buf, 0600);
	f = fopen(path.buf, "w");
	CHECK(f != NULL);
	fputs("evidencE", f);
	fclose(f);
	CHECK(irk_object_read(dir, info.sha256, NULL, NULL, NULL, &err) == IRK_ETAMPER);
	CHECK(strstr(err.msg, "does not match its hash") != NULL);
	unlink(path.buf);
	irk_err_clear(&err);
	CHECK(irk_object_read(dir, info.sha256, NULL, NULL, NULL, &err) == IRK_ENOTFOUND);
	CHECK(irk_object_read(dir, "../../etc/passwd", NULL, NULL, NULL, NULL) == IRK_EINVAL);
	irk_buf_release(&path);
}

TEST(same_content_twice_is_stored_once)
{
	struct irk_object_info a, b;

	CHECK(irk_object_put_buf(dir, "twice", 5, 0, &a, NULL) == IRK_OK);
	CHECK(irk_object_put_buf(dir, "twice", 5, 1, &b, NULL) == IRK_OK);
	CHECK_STR(a.sha256, b.sha256);
	CHECK(!b.compressed); /* the stored copy is kept, in its form */
}

int main(void)
{
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/irk-unit-object.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(plain_object_is_named_by_hash_and_read_only);
	RUN(compressed_object_keeps_its_name_and_content);
	RUN(altered_or_missing_object_is_refused);
	RUN(same_content_twice_is_stored_once);
	rc = unit_done();
	{
		char cmd[256];
		snprintf(cmd, sizeof(cmd), "chmod -R u+w %s && rm -rf %s", dir, dir);
		if (system(cmd) != 0)
			rc = 1;
	}
	return rc;
}
