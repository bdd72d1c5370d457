/*
 * kinds.c - the one place that lists every entry kind and every projection
 * table of every module (see irk/kind.h).  A module adds its kinds and tables
 * here; lib/book/ sees them only through these two arrays.
 */
#include <stddef.h>

#include "irk/bundle.h"
#include "irk/evidence.h"
#include "irk/finding.h"
#include "irk/collect.h"
#include "irk/incident.h"
#include "irk/kind.h"
#include "irk/member.h"
#include "irk/assess.h"
#include "irk/contact.h"
#include "irk/crew.h"
#include "irk/drill.h"
#include "irk/duty.h"
#include "irk/task.h"
#include "irk/postmortem.h"
#include "irk/message.h"
#include "irk/share.h"
#include "irk/baseline.h"
#include "irk/pkgverify.h"

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
	{ "ack", IRK_CHAIN_INCIDENT, irk_apply_ack },
	{ "close", IRK_CHAIN_INCIDENT, irk_apply_close },
	{ "reopen", IRK_CHAIN_INCIDENT, irk_apply_reopen },
	/* handling: roles, tasks, contacts, notifications, duties, assessment */
	{ "role", IRK_CHAIN_INCIDENT, irk_apply_role },
	{ "task.add", IRK_CHAIN_INCIDENT, irk_apply_task_add },
	{ "task.ack", IRK_CHAIN_INCIDENT, irk_apply_task_ack },
	{ "task.done", IRK_CHAIN_INCIDENT, irk_apply_task_done },
	{ "task.cancel", IRK_CHAIN_INCIDENT, irk_apply_task_cancel },
	{ "contact", IRK_CHAIN_CASEBOOK, irk_apply_contact },
	{ "contact.verify", IRK_CHAIN_CASEBOOK, irk_apply_contact_verify },
	{ "notify", IRK_CHAIN_INCIDENT, irk_apply_notify },
	{ "notify.ack", IRK_CHAIN_INCIDENT, irk_apply_notify_ack },
	{ "duty", IRK_CHAIN_INCIDENT, irk_apply_duty },
	{ "assess", IRK_CHAIN_INCIDENT, irk_apply_assess },
	{ "drill.start", IRK_CHAIN_INCIDENT, irk_apply_drill_start },
	{ "drill.inject", IRK_CHAIN_INCIDENT, irk_apply_drill_inject },
	/* incident chains: evidence */
	{ "evidence", IRK_CHAIN_INCIDENT, irk_apply_evidence },
	{ "custody-offer", IRK_CHAIN_INCIDENT, irk_apply_custody_offer },
	{ "custody-accept", IRK_CHAIN_INCIDENT, irk_apply_custody_accept },
	{ "evidence-access", IRK_CHAIN_INCIDENT, irk_apply_evidence_access },
	/* casebook chain: bundles */
	{ "import", IRK_CHAIN_CASEBOOK, irk_apply_import },
	{ "postmortem", IRK_CHAIN_INCIDENT, irk_apply_postmortem },
	{ "action-done", IRK_CHAIN_INCIDENT, irk_apply_action_done },
	{ "msg.draft", IRK_CHAIN_INCIDENT, irk_apply_msg_draft },
	{ "msg.edit", IRK_CHAIN_INCIDENT, irk_apply_msg_edit },
	{ "msg.approve", IRK_CHAIN_INCIDENT, irk_apply_msg_approve },
	{ "msg.publish", IRK_CHAIN_INCIDENT, irk_apply_msg_publish },
	{ "share", IRK_CHAIN_INCIDENT, irk_apply_share },
	{ "task.assign", IRK_CHAIN_INCIDENT, irk_apply_task_assign },
	/* detection (lib/detect/finding.c) */
	{ "finding", IRK_CHAIN_INCIDENT, irk_apply_finding },
	/* host integrity (lib/host/integrity-kinds.c) */
	{ "baseline.check", IRK_CHAIN_INCIDENT, irk_apply_baseline_check },
	{ "packages.verify", IRK_CHAIN_INCIDENT, irk_apply_packages_verify },
	{ "collection", IRK_CHAIN_INCIDENT, irk_apply_collection },
	/* host integrity (lib/host/integrity-kinds.c) */
	{ "baseline.check", IRK_CHAIN_INCIDENT, irk_apply_baseline_check },
	{ "packages.verify", IRK_CHAIN_INCIDENT, irk_apply_packages_verify },
	{ NULL, 0, NULL },
};

const struct irk_table irk_tables[] = {
	{ "members", irk_members_ddl },
	{ "incidents", irk_incidents_ddl },
	{ "crew", irk_crew_ddl },
	{ "tasks", irk_tasks_ddl },
	{ "contacts", irk_contacts_ddl },
	{ "notifications", irk_notifications_ddl },
	{ "duties", irk_duties_ddl },
	{ "assessments", irk_assessments_ddl },
	{ "drills", irk_drills_ddl },
	{ "evidence", irk_evidence_ddl },
	{ "custody", irk_custody_ddl },
	{ "imports", irk_imports_ddl },
	{ "postmortems", irk_postmortems_ddl },
	{ "messages", irk_messages_ddl },
	{ "shares", irk_shares_ddl },
	{ "findings", irk_findings_ddl },
	{ NULL, NULL },
};
