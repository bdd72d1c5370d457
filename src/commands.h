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
int cmd_close(int argc, char **argv);
int cmd_reopen(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_checkpoint(int argc, char **argv);

int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);

#endif
