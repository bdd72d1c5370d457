/* test-evidence.c - the library API other commands use to attach evidence (irk collect --attach). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irk/evidence.h"
#include "irk/incident.h"
#include "unit.h"

static char dir[64];
static struct irk_identity me;
static struct irk_casebook *cb;
static char inc[IRK_CHAIN_MAX];

TEST(setup)
{
	char key[128];
	struct irk_incident_new n = { .title = "collection test" };

	snprintf(key, sizeof(key), "%s/identity", dir);
	CHECK(irk_identity_create(key, "Unit Test", "unit@example.org", &me, NULL) == IRK_OK);
	CHECK(irk_casebook_create(dir, &me, &cb, NULL) == IRK_OK);
	CHECK(irk_incident_open(cb, &me, &n, inc, NULL) == IRK_OK);
}

TEST(add_buf_records_a_buffer_with_extra_data)
{
	struct irk_evidence_opts o = { .how = "irk collect", .why = "live response", .compress = 1 };
	json_t *extra = json_pack("{s:s}", "collection", "host-snapshot");
	json_t *show = NULL, *rec;
	int64_t num = 0;

	CHECK(irk_evidence_add_buf(cb, &me, inc, "snapshot.tar.zst", "0123456789", 10, &o, extra,
				   &num, NULL) == IRK_OK);
	json_decref(extra);
	CHECK(num == 1);
	CHECK(irk_evidence_show(cb, num, &show, NULL) == IRK_OK);
	rec = json_object_get(show, "record");
	CHECK_STR(json_string_value(json_object_get(rec, "type")), "buffer");
	CHECK_STR(json_string_value(json_object_get(rec, "collection")), "host-snapshot");
	CHECK_STR(json_string_value(json_object_get(rec, "how")), "irk collect");
	CHECK_STR(json_string_value(json_object_get(rec, "stored")), "zstd");
	CHECK(json_integer_value(json_object_get(rec, "size")) == 10);
	json_decref(show);
}

TEST(add_buf_refuses_names_with_slashes_and_bad_extra)
{
	struct irk_err err = IRK_ERR_INIT;
	json_t *arr = json_array();

	CHECK(irk_evidence_add_buf(cb, &me, inc, "../x", "a", 1, NULL, NULL, NULL, &err) == IRK_EINVAL);
	CHECK(irk_evidence_add_buf(cb, &me, inc, "x", "a", 1, NULL, arr, NULL, NULL) == IRK_EINTERNAL);
	json_decref(arr);
}

TEST(add_paths_adds_a_directory_tree_in_one_transaction)
{
	struct irk_evidence_opts o = { .recursive = 1 };
	char sub[96], f[128];
	char *paths[1];
	json_t *added = json_array();
	FILE *fp;

	snprintf(sub, sizeof(sub), "%s/out", dir);
	CHECK(mkdir(sub, 0700) == 0);
	for (int i = 0; i < 3; i++) {
		snprintf(f, sizeof(f), "%s/f%d.jsonl", sub, i);
		fp = fopen(f, "w");
		CHECK(fp != NULL);
		fprintf(fp, "{\"n\":%d}\n", i);
		fclose(fp);
	}
	paths[0] = sub;
	CHECK(irk_evidence_add_paths(cb, &me, inc, paths, 1, &o, added, NULL) == IRK_OK);
	CHECK(json_array_size(added) == 3);
	CHECK_STR(json_string_value(json_object_get(json_array_get(added, 0), "name")), "f0.jsonl");
	json_decref(added);
	CHECK(irk_evidence_verify(cb, inc, NULL, NULL) == IRK_OK);
}

int main(void)
{
	int rc;
	char cmd[160];

	snprintf(dir, sizeof(dir), "/tmp/irk-unit-evidence.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(setup);
	RUN(add_buf_records_a_buffer_with_extra_data);
	RUN(add_buf_refuses_names_with_slashes_and_bad_extra);
	RUN(add_paths_adds_a_directory_tree_in_one_transaction);
	irk_casebook_close(cb);
	irk_identity_wipe(&me);
	rc = unit_done();
	snprintf(cmd, sizeof(cmd), "chmod -R u+w %s && rm -rf %s", dir, dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
