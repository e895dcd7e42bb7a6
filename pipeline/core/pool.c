/*
 * pool.c - worker threads over a cost-ordered job queue (see pool.h).
 *
 * Stage: core. One mutex guards the queue and the counts; `more` wakes
 * the workers (a job was queued, or the pool stops), `changed` wakes the
 * threads that wait for the others (a job was taken or finished, or a
 * worker gave up). The queue is a plain array searched for its largest
 * job: a run has a few hundred jobs at most, each of them far longer than
 * the search.
 */
#include "core/pool.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct pool_job {
    tlf_pool_job_fn fn;
    void *arg;
    double cost;
    size_t id;                /* the order added: ties and tlf_pool_claim */
    int *rc;
} pool_job;

struct tlf_pool {
    pthread_mutex_t mu;
    pthread_cond_t more;      /* a job was queued, or the pool stops           */
    pthread_cond_t changed;   /* a job was taken or finished, a worker gave up */
    pool_job *queue;
    size_t n, cap, added;
    size_t running;
    int live;                 /* workers started or starting, start not failed */
    int stop;
    tlf_pool_hooks hooks;
    void *caller_ctx;
    pthread_t *threads;
    int nthreads;
};

/* Take queued job i; the caller holds the lock. */
static pool_job take_at(tlf_pool *p, size_t i)
{
    pool_job j = p->queue[i];
    p->queue[i] = p->queue[--p->n];
    p->running++;
    pthread_cond_broadcast(&p->changed);   /* tlf_pool_claim may wait for it */
    return j;
}

/* Take the costliest queued job (the earliest added among equals); the
 * caller holds the lock and the queue is not empty. */
static pool_job take(tlf_pool *p)
{
    size_t best = 0;
    for (size_t i = 1; i < p->n; i++)
        if (p->queue[i].cost > p->queue[best].cost ||
            (p->queue[i].cost == p->queue[best].cost && p->queue[i].id < p->queue[best].id))
            best = i;
    return take_at(p, best);
}

/* Run j with ctx without the lock, then account for it (lock held on
 * return). */
static void run_one(tlf_pool *p, pool_job j, void *ctx)
{
    pthread_mutex_unlock(&p->mu);
    int rc = j.fn(ctx, j.arg);
    pthread_mutex_lock(&p->mu);
    if (j.rc)
        *j.rc = rc;
    p->running--;
    pthread_cond_broadcast(&p->changed);
}

static void *worker(void *arg)
{
    tlf_pool *p = arg;
    void *ctx = NULL;
    /* the hook runs without the lock: opening a connection takes a while,
     * and the caller's thread meanwhile runs jobs */
    int started = !p->hooks.start || p->hooks.start(p->hooks.arg, &ctx) == 0;
    pthread_mutex_lock(&p->mu);
    if (!started) {
        p->live--;
        pthread_cond_broadcast(&p->changed);   /* a claim may have to run it itself */
        pthread_mutex_unlock(&p->mu);
        return NULL;
    }
    for (;;) {
        while (!p->n && !p->stop)
            pthread_cond_wait(&p->more, &p->mu);
        if (!p->n)
            break;
        run_one(p, take(p), ctx);
    }
    pthread_mutex_unlock(&p->mu);
    if (p->hooks.stop)
        p->hooks.stop(p->hooks.arg, ctx);
    return NULL;
}

tlf_pool *tlf_pool_new(int threads, const tlf_pool_hooks *hooks, void *caller_ctx)
{
    tlf_pool *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->more, NULL);
    pthread_cond_init(&p->changed, NULL);
    if (hooks)
        p->hooks = *hooks;
    p->caller_ctx = caller_ctx;
    p->threads = xcalloc((size_t)(threads > 0 ? threads : 1), sizeof *p->threads);
    pthread_mutex_lock(&p->mu);   /* a worker that gives up counts itself out */
    for (int i = 0; i < threads; i++)
        if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) == 0) {
            p->nthreads++;
            p->live++;
        }
    pthread_mutex_unlock(&p->mu);
    return p;
}

size_t tlf_pool_add(tlf_pool *p, tlf_pool_job_fn fn, void *arg, double cost, int *rc)
{
    pthread_mutex_lock(&p->mu);
    size_t id = p->added++;
    XGROW(p->queue, p->cap, p->n + 1);
    p->queue[p->n++] = (pool_job){fn, arg, cost, id, rc};
    pthread_cond_signal(&p->more);
    pthread_mutex_unlock(&p->mu);
    return id;
}

int tlf_pool_claim(tlf_pool *p, size_t id)
{
    int here = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        size_t i = 0;
        while (i < p->n && p->queue[i].id != id)
            i++;
        if (i == p->n)
            break;   /* taken (or never added) */
        if (!p->live) {
            run_one(p, take_at(p, i), p->caller_ctx);
            here = 1;
            break;
        }
        pthread_cond_wait(&p->changed, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return here;
}

void tlf_pool_wait(tlf_pool *p)
{
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (p->n)
            run_one(p, take(p), p->caller_ctx);
        else if (p->running)
            pthread_cond_wait(&p->changed, &p->mu);
        else
            break;
    }
    pthread_mutex_unlock(&p->mu);
}

void tlf_pool_free(tlf_pool *p)
{
    if (!p)
        return;
    tlf_pool_wait(p);
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->more);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->more);
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p->queue);
    free(p);
}

int tlf_pool_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}
