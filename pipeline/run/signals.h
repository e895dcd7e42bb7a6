/*
 * signals.h - SIGINT/SIGTERM stop a run cleanly.
 *
 * Stage: batch operations. The handler only records the signal; the run
 * checks run_interrupted() between stages (and long loops between pages)
 * and unwinds: the hidden temporary folder is removed, nothing is
 * published, `latest` is untouched, exit status 130. This is the one piece
 * of process-wide state in tlfgen, as a signal handler cannot be given a
 * context.
 */
#ifndef TLFGEN_RUN_SIGNALS_H
#define TLFGEN_RUN_SIGNALS_H

/* Install the handlers (idempotent). */
void run_signals_install(void);
/* The signal number received, or 0. */
int run_interrupted(void);

#endif
