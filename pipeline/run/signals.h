/*
 * signals.h - SIGINT/SIGTERM stop a run cleanly.
 *
 * Stage: batch operations. The handler only records the signal (in
 * core/stop.h, so every stage can see it); the run checks it between
 * stages, long loops check it between steps (analyses, outputs, pages,
 * listing chunks) and every SQLite statement is interrupted by it, then
 * the run unwinds: the hidden temporary folder is removed, nothing is
 * published, `latest` is untouched, exit status 130. A stage that fails
 * after a signal (an interrupted statement) is reported as the signal.
 */
#ifndef TLFGEN_RUN_SIGNALS_H
#define TLFGEN_RUN_SIGNALS_H

/* Install the handlers and the SQLite statement watch (idempotent). */
void run_signals_install(void);
/* The signal number received, or 0. */
int run_interrupted(void);

#endif
