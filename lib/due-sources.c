/*
 * due-sources.c - the one place that lists what every module has due, for
 * `irk due` (see irk/due.h): lib/case/due.c asks each source in turn and
 * never names another module itself.  A module adds its collector here.
 */
#include "irk/due.h"
#include "irk/message.h"

const struct irk_due_source irk_due_sources[] = {
	{ irk_due_tasks, 0 },
	{ irk_due_duties, 0 },
	{ irk_due_lead, 0 },
	{ irk_msg_due_collect, 1 }, /* communications follow-ups, also of closed incidents */
	{ NULL, 0 },
};
