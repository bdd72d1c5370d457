/*
 * test-delegation.c - entries a team server signs on behalf of a member
 * (data.on_behalf_of): who may sign them, whose role and identity the
 * casebook's checks use, and that verify replays them to the same state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "irk/incident.h"
#include "irk/member.h"
#include "irk/task.h"
#include "irk/verify.h"
#include "unit.h"

static char dir[64];
static struct irk_casebook *cb;
static struct irk_identity admin, alice, bob, viewer, server, rogue;
static char inc[IRK_CHAIN_MAX];

static void make_identity(struct irk_identity *id, const char *name, const char *email)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	if (irk_identity_create(path, name, email, id, NULL) != IRK_OK)
		abort();
}

static enum irk_code add(const struct irk_identity *id, enum irk_role role, int is_server)
{
	struct irk_buf vkey = IRK_BUF_INIT;
	enum irk_code rc;

	irk_vkey_format(id->email, id->pk, &vkey);
	rc = irk_member_add(cb, &admin, vkey.buf, NULL, role, is_server, NULL, NULL);
	irk_buf_release(&vkey);
	return rc;
}

/* A copy of `signer` acting for `who`. */
static struct irk_identity acting(const struct irk_identity *signer, const struct irk_identity *who)
{
	struct irk_identity id = *signer;

	irk_identity_act_for(&id, who->keyid, who->email, "token");
	return id;
}

TEST(setup)
{
	struct irk_incident_new n = { .title = "delegation test" };

	make_identity(&admin, "admin", "admin@example.org");
	make_identity(&alice, "alice", "alice@example.org");
	make_identity(&bob, "bob", "bob@example.org");
	make_identity(&viewer, "viewer", "viewer@example.org");
	make_identity(&server, "server", "server@example.org");
	make_identity(&rogue, "rogue", "rogue@example.org");
	CHECK(irk_casebook_create(dir, &admin, &cb, NULL) == IRK_OK);
	CHECK(add(&alice, IRK_ROLE_RESPONDER, 0) == IRK_OK);
	CHECK(add(&bob, IRK_ROLE_RESPONDER, 0) == IRK_OK);
	CHECK(add(&viewer, IRK_ROLE_VIEWER, 0) == IRK_OK);
	CHECK(add(&server, IRK_ROLE_LEAD, 1) == IRK_OK);
	CHECK(add(&rogue, IRK_ROLE_LEAD, 0) == IRK_OK);
	CHECK(irk_incident_open(cb, &admin, &n, inc, NULL) == IRK_OK);
}

TEST(member_records_the_server_mark)
{
	struct irk_member m;

	CHECK(irk_member_find(cb->db, NULL, server.keyid, &m, NULL) == IRK_OK);
	CHECK(m.server == 1);
	CHECK(irk_member_find(cb->db, NULL, rogue.keyid, &m, NULL) == IRK_OK);
	CHECK(m.server == 0);
}

TEST(only_a_server_key_may_sign_for_someone_else)
{
	struct irk_identity id = acting(&rogue, &alice);
	struct irk_append a = { .chain = inc, .kind = "note", .text = "forged for alice" };
	struct irk_err err = IRK_ERR_INIT;

	CHECK(irk_logbook_write(cb, &id, &a, NULL, &err) == IRK_EPERM);
	CHECK(strstr(err.msg, "not a team server") != NULL);
	irk_identity_wipe(&id);
}

TEST(a_server_entry_names_the_member_it_acts_for)
{
	struct irk_identity id = acting(&server, &alice);
	struct irk_append a = { .chain = inc, .kind = "note", .text = "through the server" };
	struct irk_entry e;
	json_t *obo;

	CHECK(irk_logbook_write(cb, &id, &a, &e, NULL) == IRK_OK);
	obo = json_object_get(e.data, "on_behalf_of");
	CHECK_STR(e.by, server.keyid);
	CHECK_STR(json_string_value(json_object_get(obo, "key")), alice.keyid);
	CHECK_STR(json_string_value(json_object_get(obo, "auth")), "token");
	irk_entry_release(&e);
	irk_identity_wipe(&id);
}

TEST(the_actors_role_is_checked)
{
	struct irk_identity id = acting(&server, &viewer);
	struct irk_append a = { .chain = inc, .kind = "note", .text = "a viewer writes" };
	struct irk_err err = IRK_ERR_INIT;

	CHECK(irk_logbook_write(cb, &id, &a, NULL, &err) == IRK_EPERM);
	CHECK(strstr(err.msg, "viewer@example.org") != NULL);
	irk_identity_wipe(&id);
}

TEST(the_servers_role_is_a_ceiling)
{
	struct irk_identity id = acting(&server, &admin);
	struct irk_buf vkey = IRK_BUF_INIT;
	struct irk_err err = IRK_ERR_INIT;

	/* An admin cannot manage members through a server that is only a lead. */
	irk_vkey_format(bob.email, bob.pk, &vkey);
	CHECK(irk_member_add(cb, &id, vkey.buf, NULL, IRK_ROLE_ADMIN, 0, NULL, &err) == IRK_EPERM);
	irk_buf_release(&vkey);
	irk_identity_wipe(&id);
}

TEST(a_member_unknown_to_the_casebook_cannot_act)
{
	struct irk_identity id = server;
	struct irk_append a = { .chain = inc, .kind = "note", .text = "ghost" };
	struct irk_err err = IRK_ERR_INIT;

	irk_identity_act_for(&id, "0123456789abcdef", "ghost@example.org", "session");
	CHECK(irk_logbook_write(cb, &id, &a, NULL, &err) == IRK_EKEY);
	irk_identity_wipe(&id);
}

TEST(ownership_checks_compare_the_member_acted_for)
{
	struct irk_task_new t = { .title = "image the disk", .owner = "bob@example.org" };
	struct irk_identity as_alice = acting(&server, &alice), as_bob = acting(&server, &bob);
	int64_t num = 0;

	CHECK(irk_task_add(cb, &admin, inc, &t, &num, NULL) == IRK_OK);
	/* Signed by the server either way: only the one for the owner counts. */
	CHECK(irk_task_ack(cb, &as_alice, inc, num, 600, NULL, NULL) == IRK_ESTATE);
	CHECK(irk_task_ack(cb, &as_bob, inc, num, 600, NULL, NULL) == IRK_OK);
	irk_identity_wipe(&as_alice);
	irk_identity_wipe(&as_bob);
}

TEST(taking_the_mark_away_stops_the_server)
{
	struct irk_identity id = acting(&server, &alice);
	struct irk_append a = { .chain = inc, .kind = "note", .text = "after revocation" };

	CHECK(add(&server, IRK_ROLE_LEAD, 0) == IRK_OK);
	CHECK(irk_logbook_write(cb, &id, &a, NULL, NULL) == IRK_EPERM);
	CHECK(add(&server, IRK_ROLE_LEAD, 1) == IRK_OK);
	CHECK(irk_logbook_write(cb, &id, &a, NULL, NULL) == IRK_OK);
	irk_identity_wipe(&id);
}

TEST(verify_replays_delegated_entries)
{
	struct irk_verify_result res;

	CHECK(irk_verify(cb, 2, &res, NULL) == IRK_OK);
	CHECK(res.entries > 10);
}

int main(void)
{
	int rc;
	char cmd[160];

	snprintf(dir, sizeof(dir), "/tmp/irk-unit-delegation.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(setup);
	RUN(member_records_the_server_mark);
	RUN(only_a_server_key_may_sign_for_someone_else);
	RUN(a_server_entry_names_the_member_it_acts_for);
	RUN(the_actors_role_is_checked);
	RUN(the_servers_role_is_a_ceiling);
	RUN(a_member_unknown_to_the_casebook_cannot_act);
	RUN(ownership_checks_compare_the_member_acted_for);
	RUN(taking_the_mark_away_stops_the_server);
	RUN(verify_replays_delegated_entries);
	irk_casebook_close(cb);
	irk_identity_wipe(&admin);
	irk_identity_wipe(&alice);
	irk_identity_wipe(&bob);
	irk_identity_wipe(&viewer);
	irk_identity_wipe(&server);
	irk_identity_wipe(&rogue);
	rc = unit_done();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
