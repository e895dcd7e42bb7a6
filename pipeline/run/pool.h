/*
 * pool.h - a few worker threads that run independent jobs, largest first.
 *
 * Stage: batch operations (issue 16). A run's outputs are independent
 * documents: each job writes its own file from inputs nobody changes while
 * it runs (the finished analysis datasets, the complete ARD), so running
 * them on both cores gives the same bytes as running them one by one.
 * Jobs are taken in order of decreasing cost (ties: the order they were
 * added), so the longest listing starts first and the short tables fill
 * the gaps. The thread that waits runs jobs too; with no worker threads
 * every job runs inside run_pool_wait, in that same order, on the caller's
 * thread.
 */
#ifndef TLFGEN_RUN_POOL_H
#define TLFGEN_RUN_POOL_H

#include <stddef.h>

/* A job: returns a TLF_* code, which run_pool_add's rc receives. */
typedef int (*run_job_fn)(void *arg);

typedef struct run_pool run_pool;

/* A pool with `threads` worker threads (0 or more). Aborts (as an
 * allocation failure does) when the system cannot start a thread. */
run_pool *run_pool_new(int threads);

/* Queue fn(arg); cost orders the queue (larger first); *rc receives the
 * job's return value when it has run. */
void run_pool_add(run_pool *p, run_job_fn fn, void *arg, double cost, int *rc);

/* Run queued jobs on this thread as well, until every job added so far
 * has finished. */
void run_pool_wait(run_pool *p);

/* Wait for every job, stop the threads, free. Accepts NULL. */
void run_pool_free(run_pool *p);

/* The number of workers a run uses by default: the processors online,
 * at least 1 and at most 8. */
int run_pool_default_jobs(void);

#endif
