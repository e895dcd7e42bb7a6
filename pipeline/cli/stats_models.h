/*
 * stats_models.h - the model and small-sample methods of `tlfgen stats`
 * (cox, logit, iptw, binom, fisher, paired, describe), run from
 * cmd_stats.c's method sub-table. Stage: CLI.
 */
#ifndef TLFGEN_CLI_STATS_MODELS_H
#define TLFGEN_CLI_STATS_MODELS_H

/* Run METHOD (argv[0] is the method name). Returns the exit status. */
int stats_run_model(const char *method, int argc, char **argv);

/* The records to out (under a temporary name, renamed when whole) or to
 * stdout; after SIGINT/SIGTERM to neither (TLF_EINTR). */
struct tlf_ard;
struct tlf_err;
int stats_write_ard(const struct tlf_ard *ard, const char *out, struct tlf_err *err);

#endif
