/*
 * pool.c - worker threads over a cost-ordered job queue (see pool.h).
 */
#include "run/pool.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct pool_job {
    run_job_fn fn;
    void *arg;
    double cost;
    size_t seq;
    int *rc;
} pool_job;

struct run_pool {
    pthread_mutex_t mu;
    pthread_cond_t more;      /* a job was queued, or the pool stops      */
    pthread_cond_t idle;      /* a job finished                            */
    pool_job *queue;
    size_t n, cap, added;
    size_t running;
    int stop;
    pthread_t *threads;
    int nthreads;
};

/* Take the costliest queued job (the earliest added among equals); the
 * caller holds the lock and the queue is not empty. */
static pool_job take(run_pool *p)
{
    size_t best = 0;
    for (size_t i = 1; i < p->n; i++)
        if (p->queue[i].cost > p->queue[best].cost ||
            (p->queue[i].cost == p->queue[best].cost && p->queue[i].seq < p->queue[best].seq))
            best = i;
    pool_job j = p->queue[best];
    p->queue[best] = p->queue[--p->n];
    p->running++;
    return j;
}

/* Run j without the lock, then account for it (lock held on return). */
static void run_one(run_pool *p, pool_job j)
{
    pthread_mutex_unlock(&p->mu);
    int rc = j.fn(j.arg);
    pthread_mutex_lock(&p->mu);
    *j.rc = rc;
    p->running--;
    pthread_cond_broadcast(&p->idle);
}

static void *worker(void *arg)
{
    run_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->n && !p->stop)
            pthread_cond_wait(&p->more, &p->mu);
        if (!p->n)
            break;
        run_one(p, take(p));
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

run_pool *run_pool_new(int threads)
{
    run_pool *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->more, NULL);
    pthread_cond_init(&p->idle, NULL);
    p->threads = xcalloc((size_t)(threads > 0 ? threads : 1), sizeof *p->threads);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
            fprintf(stderr, "tlfgen: cannot start a worker thread\n");
            abort();
        }
        p->nthreads++;
    }
    return p;
}

void run_pool_add(run_pool *p, run_job_fn fn, void *arg, double cost, int *rc)
{
    pthread_mutex_lock(&p->mu);
    XGROW(p->queue, p->cap, p->n + 1);
    p->queue[p->n++] = (pool_job){fn, arg, cost, p->added++, rc};
    pthread_cond_signal(&p->more);
    pthread_mutex_unlock(&p->mu);
}

void run_pool_wait(run_pool *p)
{
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (p->n)
            run_one(p, take(p));
        else if (p->running)
            pthread_cond_wait(&p->idle, &p->mu);
        else
            break;
    }
    pthread_mutex_unlock(&p->mu);
}

void run_pool_free(run_pool *p)
{
    if (!p)
        return;
    run_pool_wait(p);
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->more);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->more);
    pthread_cond_destroy(&p->idle);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p->queue);
    free(p);
}

int run_pool_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}
