/*
 * commands.h - every subcommand's entry point (one cmd_<name>.c each).
 * The table that dispatches them is in main.c.
 */
#ifndef TLFGEN_COMMANDS_H
#define TLFGEN_COMMANDS_H

int cmd_version(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_demo_db(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_derive(int argc, char **argv);
int cmd_volume(int argc, char **argv);
int cmd_ard_diff(int argc, char **argv);

#endif
