/*
 * kinds.c - the one place that lists every entry kind and every projection
 * table of every module (see irk/kind.h).  A module adds its kinds and tables
 * here; lib/book/ sees them only through these two arrays.
 */
#include <stddef.h>

#include "irk/collect.h"
#include "irk/incident.h"
#include "irk/kind.h"
#include "irk/member.h"

const struct irk_kind irk_kinds[] = {
	/* casebook chain */
	{ "init", IRK_CHAIN_CASEBOOK, irk_apply_init },
	{ "member", IRK_CHAIN_CASEBOOK, irk_apply_member },
	{ "incident", IRK_CHAIN_CASEBOOK, irk_apply_incident_ref },
	/* incident chains: written by people */
	{ "note", IRK_CHAIN_INCIDENT, irk_apply_human },
	{ "action", IRK_CHAIN_INCIDENT, irk_apply_human },
	{ "call", IRK_CHAIN_INCIDENT, irk_apply_human },
	{ "decision", IRK_CHAIN_INCIDENT, irk_apply_human },
	{ "observation", IRK_CHAIN_INCIDENT, irk_apply_human },
	{ "amend", IRK_CHAIN_INCIDENT, irk_apply_amend },
	/* incident chains: state changes */
	{ "open", IRK_CHAIN_INCIDENT, irk_apply_open },
	{ "phase", IRK_CHAIN_INCIDENT, irk_apply_phase },
	{ "close", IRK_CHAIN_INCIDENT, irk_apply_close },
	{ "reopen", IRK_CHAIN_INCIDENT, irk_apply_reopen },
	{ "collection", IRK_CHAIN_INCIDENT, irk_apply_collection },
	{ NULL, 0, NULL },
};

const struct irk_table irk_tables[] = {
	{ "members", irk_members_ddl },
	{ "incidents", irk_incidents_ddl },
	{ NULL, NULL },
};
