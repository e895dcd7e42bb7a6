/*
 * stop.h - the one process-wide stop request (SIGINT/SIGTERM).
 *
 * Stage: core. The signal handler (run/signals.c) records the signal here;
 * every stage's long loops ask tlf_stop_signal() and return TLF_EINTR, and
 * every SQLite connection of the process is given a progress handler that
 * interrupts its statement (tlf_stop_watch_sqlite), so a run ends within a
 * fraction of a second of the signal even inside one long query. This is
 * the one piece of mutable global state in tlfgen: a signal handler cannot
 * be given a context.
 */
#ifndef TLFGEN_CORE_STOP_H
#define TLFGEN_CORE_STOP_H

/* Record a stop request (async-signal-safe: one lock-free atomic store). */
void tlf_stop_request(int sig);
/* The signal number of the stop request, or 0. */
int tlf_stop_signal(void);
/* TLF_EINTR with "stopped by signal N" in err when a stop was requested,
 * else TLF_OK. */
struct tlf_err;
int tlf_stop_check(struct tlf_err *err);
/* From now on every SQLite connection the process opens interrupts its
 * statements (SQLITE_INTERRUPT) once a stop was requested (idempotent). */
void tlf_stop_watch_sqlite(void);

#endif
