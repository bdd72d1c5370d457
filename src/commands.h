/* commands.h - the entry point of each command, one per src/cmd-<name>.c. */
#ifndef IRK_COMMANDS_H
#define IRK_COMMANDS_H

int cmd_init(int argc, char **argv);
int cmd_id(int argc, char **argv);
int cmd_member(int argc, char **argv);
int cmd_open(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_amend(int argc, char **argv);
int cmd_phase(int argc, char **argv);
int cmd_ack(int argc, char **argv);
int cmd_close(int argc, char **argv);
int cmd_reopen(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_checkpoint(int argc, char **argv);
int cmd_role(int argc, char **argv);
int cmd_task(int argc, char **argv);
int cmd_due(int argc, char **argv);
int cmd_contact(int argc, char **argv);
int cmd_notify(int argc, char **argv);
int cmd_assess(int argc, char **argv);
int cmd_playbook(int argc, char **argv);
int cmd_drill(int argc, char **argv);
int cmd_evidence(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_postmortem(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_msg(int argc, char **argv);
int cmd_share(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_verify_packages(int argc, char **argv);
int cmd_collect(int argc, char **argv);

int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_verify_packages(int argc, char **argv);

#endif
