/* test_pool.c - the thread pool (core/pool.h): every job runs once and its
 * rc arrives; with no worker the jobs run on the caller's thread by
 * decreasing cost, ties in the order added; each job sees its own thread's
 * context (the start hook's on a worker, the caller's on the caller's
 * thread), the start hook runs once per worker and the stop hook as often;
 * a worker whose start hook fails takes no job; tlf_pool_claim waits for a
 * live worker and runs the job itself when none is left. */
#include "testutil.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/pool.h"

enum { MAXCTX = 8, MAXJOBS = 64 };

/* One thread's context: which thread it belongs to. */
typedef struct ctx {
    pthread_t thread;
    int stopped;
} ctx;

/* What the hooks and jobs record; shared between the threads of one test. */
typedef struct world {
    pthread_mutex_t mu;
    ctx ctxs[MAXCTX];
    int nstart, nstop;       /* hook calls */
    int fail_first;          /* start hooks to fail, the first ones */
    int block_start;         /* start hooks wait until it is 0 */
    ctx caller;              /* the caller's context */
    int runs[MAXJOBS];       /* times each job ran */
    ctx *seen[MAXJOBS];      /* the context each job got */
    int order[MAXJOBS + 1];  /* jobs in the order they ran (one job twice) */
    int norder;
    int wrong_thread;        /* a hook or job on another thread's context */
} world;

typedef struct job {
    world *w;
    int index;
} job;

static void world_init(world *w)
{
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    w->caller.thread = pthread_self();
}

static void nap(void)
{
    struct timespec ts = {0, 1000000};   /* 1 ms */
    nanosleep(&ts, NULL);
}

static int start_hook(void *arg, void **out)
{
    world *w = arg;
    for (;;) {   /* block_start: the caller's thread must do the jobs */
        pthread_mutex_lock(&w->mu);
        int wait = w->block_start;
        pthread_mutex_unlock(&w->mu);
        if (!wait)
            break;
        nap();
    }
    pthread_mutex_lock(&w->mu);
    int k = w->nstart++;
    int fail = k < w->fail_first;
    if (!fail) {
        w->ctxs[k].thread = pthread_self();
        *out = &w->ctxs[k];
    }
    pthread_mutex_unlock(&w->mu);
    return fail ? -1 : 0;
}

static void stop_hook(void *arg, void *c)
{
    world *w = arg;
    ctx *x = c;
    pthread_mutex_lock(&w->mu);
    w->wrong_thread += !pthread_equal(x->thread, pthread_self());   /* on its own thread */
    w->nstop++;
    x->stopped++;
    pthread_mutex_unlock(&w->mu);
}

/* Records that it ran, where and with which context; returns -index. */
static int record_job(void *c, void *arg)
{
    job *j = arg;
    world *w = j->w;
    ctx *x = c;
    nap();   /* long enough for the other threads to take jobs too */
    pthread_mutex_lock(&w->mu);
    /* its own thread's context (cmocka's asserts belong on the test's
     * thread: the test checks the count) */
    w->wrong_thread += !x || !pthread_equal(x->thread, pthread_self());
    w->runs[j->index]++;
    w->seen[j->index] = x;
    w->order[w->norder++] = j->index;
    if (j->index == 0)
        w->block_start = 0;   /* the blocked workers may start now */
    pthread_mutex_unlock(&w->mu);
    return -j->index;
}

static void test_every_job_once_rc_delivered(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    job jobs[MAXJOBS];
    int rc[MAXJOBS];
    tlf_pool_hooks hooks = {start_hook, stop_hook, &w};
    tlf_pool *p = tlf_pool_new(3, &hooks, &w.caller);
    for (int i = 0; i < MAXJOBS; i++) {
        jobs[i] = (job){&w, i};
        rc[i] = 1;
        assert_int_equal(tlf_pool_add(p, record_job, &jobs[i], (double)(i % 5), &rc[i]), (size_t)i);
    }
    tlf_pool_wait(p);
    for (int i = 0; i < MAXJOBS; i++) {
        assert_int_equal(w.runs[i], 1);
        assert_int_equal(rc[i], -i);
    }
    assert_int_equal(w.norder, MAXJOBS);
    /* jobs added after a wait run too */
    jobs[0] = (job){&w, 0};
    tlf_pool_add(p, record_job, &jobs[0], 1.0, &rc[0]);
    tlf_pool_free(p);
    assert_int_equal(w.runs[0], 2);
    assert_int_equal(w.nstart, 3);
    assert_int_equal(w.nstop, 3);
    for (int k = 0; k < 3; k++)
        assert_int_equal(w.ctxs[k].stopped, 1);
    assert_int_equal(w.caller.stopped, 0);   /* the caller's context is the caller's */
    assert_int_equal(w.wrong_thread, 0);
    pthread_mutex_destroy(&w.mu);
}

static void test_no_worker_order(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    /* costs by index; expected: 3 (cost 5), 1 and 4 (3, added in that
     * order), 2 (2), 0 and 5 (1) */
    const double cost[] = {1, 3, 2, 5, 3, 1};
    const int want[] = {3, 1, 4, 2, 0, 5};
    job jobs[6];
    int rc[6];
    tlf_pool_hooks hooks = {start_hook, stop_hook, &w};
    tlf_pool *p = tlf_pool_new(0, &hooks, &w.caller);
    for (int i = 0; i < 6; i++) {
        jobs[i] = (job){&w, i};
        tlf_pool_add(p, record_job, &jobs[i], cost[i], &rc[i]);
    }
    assert_int_equal(w.norder, 0);   /* nothing runs before the wait */
    tlf_pool_wait(p);
    assert_int_equal(w.norder, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(w.order[i], want[i]);
        assert_ptr_equal(w.seen[i], &w.caller);
        assert_int_equal(rc[i], -i);
    }
    tlf_pool_free(p);
    assert_int_equal(w.nstart, 0);
    assert_int_equal(w.nstop, 0);
    assert_int_equal(w.wrong_thread, 0);
    pthread_mutex_destroy(&w.mu);
}

/* The caller's thread runs jobs while the workers cannot: the workers'
 * start hooks wait until job 0 (the costliest, the first taken) has run,
 * so the caller has taken it. */
static void test_caller_runs_jobs(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    w.block_start = 1;
    job jobs[8];
    tlf_pool_hooks hooks = {start_hook, stop_hook, &w};
    tlf_pool *p = tlf_pool_new(2, &hooks, &w.caller);
    for (int i = 0; i < 8; i++) {
        jobs[i] = (job){&w, i};
        tlf_pool_add(p, record_job, &jobs[i], i == 0 ? 10.0 : 1.0, NULL);
    }
    tlf_pool_wait(p);
    assert_ptr_equal(w.seen[0], &w.caller);
    for (int i = 0; i < 8; i++)
        assert_int_equal(w.runs[i], 1);
    tlf_pool_free(p);
    assert_int_equal(w.nstart, 2);
    assert_int_equal(w.nstop, 2);
    assert_int_equal(w.wrong_thread, 0);
    pthread_mutex_destroy(&w.mu);
}

static void test_failed_start_leaves_jobs_to_others(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    w.fail_first = 1;
    job jobs[MAXJOBS];
    int rc[MAXJOBS];
    tlf_pool_hooks hooks = {start_hook, stop_hook, &w};
    tlf_pool *p = tlf_pool_new(2, &hooks, &w.caller);
    for (int i = 0; i < MAXJOBS; i++) {
        jobs[i] = (job){&w, i};
        tlf_pool_add(p, record_job, &jobs[i], 1.0, &rc[i]);
    }
    tlf_pool_free(p);
    assert_int_equal(w.nstart, 2);
    assert_int_equal(w.nstop, 1);   /* only the worker that started */
    /* the failed worker's slot (the first start) has no thread and no job */
    assert_int_equal(w.ctxs[0].stopped, 0);
    for (int i = 0; i < MAXJOBS; i++) {
        assert_int_equal(w.runs[i], 1);
        assert_int_equal(rc[i], -i);
        assert_true(w.seen[i] == &w.caller || w.seen[i] == &w.ctxs[1]);
    }
    assert_int_equal(w.wrong_thread, 0);
    pthread_mutex_destroy(&w.mu);
}

/* A live worker takes the claimed job (the caller only waits); with every
 * start failed the claim runs it on the caller's thread. */
static void test_claim(void **state)
{
    (void)state;
    for (int fail = 0; fail <= 2; fail += 2) {
        world w;
        world_init(&w);
        w.fail_first = fail;
        job jobs[4];
        int rc[4];
        tlf_pool_hooks hooks = {start_hook, stop_hook, &w};
        tlf_pool *p = tlf_pool_new(fail ? 2 : 1, &hooks, &w.caller);
        size_t id[4];
        for (int i = 0; i < 4; i++) {
            jobs[i] = (job){&w, i};
            rc[i] = 1;
            id[i] = tlf_pool_add(p, record_job, &jobs[i], 1.0, &rc[i]);
        }
        for (int i = 0; i < 4; i++) {
            int here = tlf_pool_claim(p, id[i]);
            assert_int_equal(here, fail ? 1 : 0);
            if (here) {   /* it has run, on this thread */
                assert_int_equal(w.runs[i], 1);
                assert_int_equal(rc[i], -i);
            }
        }
        assert_int_equal(tlf_pool_claim(p, 99), 0);   /* no such job */
        tlf_pool_free(p);
        for (int i = 0; i < 4; i++) {
            assert_int_equal(w.runs[i], 1);
            assert_int_equal(rc[i], -i);
            assert_ptr_equal(w.seen[i], fail ? &w.caller : &w.ctxs[0]);
        }
        assert_int_equal(w.wrong_thread, 0);
    pthread_mutex_destroy(&w.mu);
    }
}

static void test_no_hooks(void **state)
{
    (void)state;
    tlf_pool_free(NULL);
    tlf_pool *p = tlf_pool_new(2, NULL, NULL);
    tlf_pool_free(p);   /* no job: the workers just stop */
    assert_true(tlf_pool_default_jobs() >= 1 && tlf_pool_default_jobs() <= 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_job_once_rc_delivered),
        cmocka_unit_test(test_no_worker_order),
        cmocka_unit_test(test_caller_runs_jobs),
        cmocka_unit_test(test_failed_start_leaves_jobs_to_others),
        cmocka_unit_test(test_claim),
        cmocka_unit_test(test_no_hooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
