/*
 * pool.h - the one thread pool of tlfgen: a few worker threads that run
 * independent jobs, largest first.
 *
 * Stage: core (issue 16). The checks (db/check.c), the BDS domains of the
 * derivation (derive/writer.c) and the documents of a run (run/pipeline.c)
 * are each a set of jobs whose results do not depend on which thread ran
 * them, so the same bytes come out whatever the number of threads.
 *
 * - Jobs are taken in order of decreasing cost (ties: the order they were
 *   added), so the longest job starts first and the short ones fill the
 *   gaps.
 * - The thread that waits (tlf_pool_wait) runs jobs too. With no worker
 *   thread every job runs inside tlf_pool_wait, in that same order, on the
 *   caller's thread: what fault injection (core/fault.h) needs, since it
 *   counts calls in one thread.
 * - A job runs with its thread's context. A worker's comes from the start
 *   hook, run once on that thread before its first job (e.g. it opens the
 *   thread's own database connection; SQLite connections are not shared
 *   between threads here), and goes to the stop hook when the pool is
 *   freed. A worker whose start hook fails takes no job: the others and
 *   the caller's thread do them. The caller's thread uses the context
 *   given to tlf_pool_new (e.g. its own connection).
 *
 * The pool does not look at signals: a job that can run long asks
 * tlf_stop_check itself (core/stop.h), and a caller that stops taking
 * work after a failure makes its job function return at once.
 */
#ifndef TLFGEN_CORE_POOL_H
#define TLFGEN_CORE_POOL_H

#include <stddef.h>

/* A job: ctx is its thread's context, arg what tlf_pool_add was given.
 * Returns a TLF_* code, which tlf_pool_add's rc receives. */
typedef int (*tlf_pool_job_fn)(void *ctx, void *arg);

/* Per-worker context. Both hooks may be NULL (the context is then NULL). */
typedef struct tlf_pool_hooks {
    /* On each worker thread, once, before it takes a job: sets *ctx and
     * returns 0, or returns non-zero (after undoing what it did) and that
     * worker takes no job. */
    int (*start)(void *arg, void **ctx);
    /* On each worker thread whose start succeeded, when the pool is freed. */
    void (*stop)(void *arg, void *ctx);
    void *arg;               /* the hooks' first argument */
} tlf_pool_hooks;

typedef struct tlf_pool tlf_pool;

/* A pool with `threads` worker threads (0 or more); hooks (may be NULL) is
 * copied; caller_ctx is the context of the jobs the caller's thread runs.
 * A thread the system cannot start is a worker less (the caller's thread
 * still runs every job that is left). */
tlf_pool *tlf_pool_new(int threads, const tlf_pool_hooks *hooks, void *caller_ctx);

/* Queue fn(ctx, arg); cost orders the queue (larger first); *rc (rc may be
 * NULL) receives the job's return value when it has run. Returns the
 * job's id for tlf_pool_claim: 0, 1, 2, ... in the order added. */
size_t tlf_pool_add(tlf_pool *p, tlf_pool_job_fn fn, void *arg, double cost, int *rc);

/* For a caller with work of its own while the workers run the jobs (the
 * derivation's writer replays what a job records): wait until job id has
 * been taken from the queue. When no worker is left to take it (none
 * started, or every start hook failed), run it now on this thread with
 * the caller's context. Returns 1 when it ran here, 0 when another thread
 * took it (it may still be running). */
int tlf_pool_claim(tlf_pool *p, size_t id);

/* Run queued jobs on this thread as well, until every job added so far
 * has finished. */
void tlf_pool_wait(tlf_pool *p);

/* Wait for every job, stop the threads (their stop hooks run), free.
 * Accepts NULL. */
void tlf_pool_free(tlf_pool *p);

/* The number of threads a command uses by default: the processors
 * online, at least 1 and at most 8. */
int tlf_pool_default_jobs(void);

#endif
