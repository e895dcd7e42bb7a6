/*
 * writer.c - the BDS domains read on threads of their own while the
 * calling thread writes adam (derive_opts.jobs).
 *
 * Stage: derive. Issue 16: reading and selecting the BDS domains and
 * inserting their rows were half of a 30,000-subject derivation, on one
 * core. adam has one writer, and the order of its statements decides its
 * pages, so a domain job (its own read-only connection, its own copy of
 * the context) does not write: each insert's bindings and steps, and the
 * CREATE TABLE of its dataset, go to the job's stream, and the calling
 * thread replays the streams one after the other in the domains' order.
 * adam gets the statements of a one-thread derivation in the same order:
 * the same file, byte for byte. A stream holds at most MAX_WAITING chunks
 * the writer has not taken (memory stays bounded whatever the domain's
 * size); its job waits for the writer beyond that.
 *
 * What a job changes besides its stream stays in its copy: the issue
 * counts and the records after the cut-off (its derive_stats and cut
 * table) and the latest contact per subject (jc->contact); they join the
 * main context after each job's stream is written, in the domains' order,
 * as one pass would have made them. The only subject fields a job writes
 * are the baselines of its own domain's parameters (adbds.c): distinct
 * elements for distinct domains.
 *
 * The threads are core/pool.h's, each with its own read-only connection
 * (its start hook). The calling thread is the writer, so it runs a domain
 * only when no worker is left to take it (tlf_pool_claim): then on the
 * main context itself, as one thread would.
 */
#include "derive/derive_int.h"
#include "core/mem.h"
#include "core/pool.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum { OP_BIND, OP_STEP, OP_CREATE, OP_FREE };

/* One recorded call; its text (NUL-terminated, len bytes with the NUL)
 * follows it in the chunk. */
typedef struct op {
    dx_ins *target;
    size_t len;
    sqlite3_int64 iv;
    double dv;
    int idx;
    unsigned char kind, type;
} op;

#define CHUNK_BYTES ((size_t)256 * 1024)
#define MAX_WAITING 32   /* chunks a stream holds for the writer: 8 MB */
#define OP_ALIGN 16

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    unsigned char *data;
    unsigned long seq;       /* the writer's: replayed n-th, from 1 */
} chunk;

/* The writer's side of a stream being replayed. A text is bound where it
 * lies in its chunk (SQLITE_STATIC), not copied: SQLite reads it at the
 * statement's step, so a chunk is freed only once every statement with a
 * text bound from it has stepped (dx_step_insert clears the bindings).
 * A row's binds and its step may lie in two chunks, and another
 * statement's row may come in between (a data issue recorded while a row
 * is bound), so the chunks replayed are held until then. Without the
 * copy of each text (SQLITE_TRANSIENT: a malloc, a copy and a free) the
 * writer's thread runs 16 % fewer instructions over a whole derivation
 * (callgrind, --jobs 2), and it is the derivation's critical path when
 * it writes ADLB (issue 16). */
typedef struct pending {
    dx_ins *target;          /* a statement with a text bound, not stepped */
    unsigned long from;      /* the chunk of its first such text */
} pending;

typedef struct replayer {
    unsigned long seq;       /* chunks replayed */
    chunk *held, *held_tail; /* replayed, not yet freed, in order */
    pending *pend;           /* a few at most: a row and a data issue */
    size_t npend, cappend;
} replayer;

typedef struct dx_pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int abort;               /* the writer or a job failed: stop */
} dx_pipe;

typedef struct dx_stream dx_stream;

struct dx_stream {
    dx_pipe *pipe;
    chunk *head, *tail;      /* handed to the writer, not yet taken */
    size_t nwait;
    int done, rc;            /* the job has finished, with rc */
    /* the job's side */
    chunk *cur;              /* being filled */
    int failed;              /* the pipe was aborted: record nothing more */
    dx_ins **targets;        /* the inserts its dx_create made (freed at the end) */
    size_t ntargets, captargets;
};

static void chunk_free(chunk *k)
{
    while (k) {
        chunk *n = k->next;
        free(k->data);
        free(k);
        k = n;
    }
}

/* Append chunk k to the list head..tail. */
static void chunk_push(chunk **head, chunk **tail, chunk *k)
{
    k->next = NULL;
    if (*tail)
        (*tail)->next = k;
    else
        *head = k;
    *tail = k;
}

/* Give chunk k to the writer; wait while the stream holds MAX_WAITING
 * unless this is the job's last (wait 0). */
static void hand(dx_stream *s, chunk *k, int wait)
{
    dx_pipe *p = s->pipe;
    pthread_mutex_lock(&p->mu);
    while (wait && s->nwait >= MAX_WAITING && !p->abort)
        pthread_cond_wait(&p->cv, &p->mu);
    if (p->abort) {
        s->failed = 1;
        pthread_mutex_unlock(&p->mu);
        chunk_free(k);
        return;
    }
    chunk_push(&s->head, &s->tail, k);
    s->nwait++;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* Room for an op of kind with len bytes of text after it; NULL once the
 * pipe was aborted. */
static op *append(dx_stream *s, int kind, dx_ins *target, size_t len)
{
    size_t need = (sizeof(op) + len + OP_ALIGN - 1) / OP_ALIGN * OP_ALIGN;
    if (s->failed)
        return NULL;
    if (s->cur && s->cur->used + need > s->cur->cap) {
        hand(s, s->cur, 1);
        s->cur = NULL;
        if (s->failed)
            return NULL;
    }
    if (!s->cur) {
        s->cur = xcalloc(1, sizeof *s->cur);
        s->cur->cap = need > CHUNK_BYTES ? need : CHUNK_BYTES;
        s->cur->data = xmalloc(s->cur->cap);
    }
    op *o = (op *)(void *)(s->cur->data + s->cur->used);
    s->cur->used += need;
    memset(o, 0, sizeof *o);
    o->kind = (unsigned char)kind;
    o->target = target;
    o->len = len;
    return o;
}

static char *op_text(op *o)
{
    return (char *)(o + 1);
}

void dxw_bind(dx_ins *ins, int i, int type, sqlite3_int64 iv, double dv, const char *text)
{
    size_t len = type == SQLITE_TEXT ? strlen(text) + 1 : 0;
    op *o = append(ins->rec, OP_BIND, ins->target, len);
    if (!o)
        return;
    o->idx = i;
    o->type = (unsigned char)type;
    o->iv = iv;
    o->dv = dv;
    if (len)
        memcpy(op_text(o), text, len);
}

int dxw_step(derive_ctx *c, dx_ins *ins, const char *table)
{
    size_t len = strlen(table) + 1;
    op *o = append(ins->rec, OP_STEP, ins->target, len);
    if (!o)   /* the writer's error is the one reported */
        return tlf_err_set(c->err, TLF_EINTERNAL, "%s: the derivation stopped", table);
    memcpy(op_text(o), table, len);
    return 0;
}

dx_ins *dxw_create(derive_ctx *c, const char *create_sql, const char *insert_sql, const char *name)
{
    dx_stream *s = c->rec;
    dx_ins *target = xcalloc(1, sizeof *target);
    XGROW(s->targets, s->captargets, s->ntargets + 1);
    s->targets[s->ntargets++] = target;
    size_t a = strlen(create_sql) + 1, b = strlen(insert_sql) + 1, n = strlen(name) + 1;
    op *o = append(s, OP_CREATE, target, a + b + n);
    if (o) {
        memcpy(op_text(o), create_sql, a);
        memcpy(op_text(o) + a, insert_sql, b);
        memcpy(op_text(o) + a + b, name, n);
    }
    dx_ins *ins = xcalloc(1, sizeof *ins);
    ins->rec = s;
    ins->target = target;
    ins->owns_target = 1;
    return ins;
}

void dxw_free(dx_ins *ins)
{
    if (ins->owns_target)
        append(ins->rec, OP_FREE, ins->target, 0);
    free(ins);
}

/* Index of t in w->pend, or w->npend. */
static size_t pend_find(const replayer *w, const dx_ins *t)
{
    size_t i = 0;
    while (i < w->npend && w->pend[i].target != t)
        i++;
    return i;
}

/* t has stepped or is finalized: its texts are no longer read. */
static void unpend(replayer *w, const dx_ins *t)
{
    size_t i = pend_find(w, t);
    if (i < w->npend)
        w->pend[i] = w->pend[--w->npend];
}

/* Free the held chunks no bound text points into. */
static void release(replayer *w)
{
    unsigned long keep = w->seq + 1;
    for (size_t i = 0; i < w->npend; i++)
        if (w->pend[i].from < keep)
            keep = w->pend[i].from;
    while (w->held && w->held->seq < keep) {
        chunk *k = w->held;
        w->held = k->next;
        k->next = NULL;
        chunk_free(k);
    }
    if (!w->held)
        w->held_tail = NULL;
}

/* The end of a replay, whole or stopped: no statement keeps a binding
 * into the chunks, which are freed. */
static void replayer_end(replayer *w)
{
    for (size_t i = 0; i < w->npend; i++)
        if (w->pend[i].target->st)
            sqlite3_clear_bindings(w->pend[i].target->st);
    w->npend = 0;
    release(w);
    free(w->pend);
}

/* The writer: run the ops of chunk k on adam; k is held by w. */
static int replay(derive_ctx *c, replayer *w, chunk *k)
{
    int rc = 0;
    k->seq = ++w->seq;
    chunk_push(&w->held, &w->held_tail, k);
    for (size_t at = 0; at < k->used && !rc;) {
        op *o = (op *)(void *)(k->data + at);
        at += (sizeof(op) + o->len + OP_ALIGN - 1) / OP_ALIGN * OP_ALIGN;
        sqlite3_stmt *st = o->target->st;
        switch (o->kind) {
        case OP_BIND:
            if (o->type == SQLITE_TEXT) {
                if (pend_find(w, o->target) == w->npend) {
                    XGROW(w->pend, w->cappend, w->npend + 1);
                    w->pend[w->npend++] = (pending){o->target, k->seq};
                }
                sqlite3_bind_text(st, o->idx, op_text(o), (int)o->len - 1, SQLITE_STATIC);
            } else if (o->type == SQLITE_INTEGER)
                sqlite3_bind_int64(st, o->idx, o->iv);
            else if (o->type == SQLITE_FLOAT)
                sqlite3_bind_double(st, o->idx, o->dv);
            else
                sqlite3_bind_null(st, o->idx);
            break;
        case OP_STEP:
            rc = dx_step_insert(c, o->target, op_text(o));
            unpend(w, o->target);
            break;
        case OP_CREATE: {
            const char *create = op_text(o), *insert = create + strlen(create) + 1;
            rc = *create ? dx_exec(c, c->adam, create) : 0;   /* "": the table exists */
            if (!rc)
                rc = dx_prepare(c, c->adam, insert, &o->target->st, insert + strlen(insert) + 1);
            break;
        }
        default:   /* OP_FREE */
            unpend(w, o->target);
            sqlite3_finalize(st);
            o->target->st = NULL;
            break;
        }
    }
    release(w);
    return rc;
}

static void abort_all(dx_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->abort = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* The writer: replay stream s until its job is done; then the job's own
 * failure, if any, becomes c's. */
static int drain(derive_ctx *c, dx_stream *s, const tlf_err *job_err)
{
    dx_pipe *p = s->pipe;
    int rc = 0, done = 0;
    replayer w = {0};
    while (!rc && !done) {
        pthread_mutex_lock(&p->mu);
        while (!s->head && !s->done && !p->abort)
            pthread_cond_wait(&p->cv, &p->mu);
        chunk *list = s->head;
        s->head = s->tail = NULL;
        s->nwait = 0;
        done = s->done || p->abort;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        while (list) {
            chunk *k = list;
            list = list->next;
            k->next = NULL;
            if (!rc)
                rc = replay(c, &w, k);
            else
                chunk_free(k);
        }
    }
    replayer_end(&w);
    if (!rc && s->rc) {
        *c->err = *job_err;
        rc = s->rc;
    }
    return rc;
}

typedef struct dx_jobset dx_jobset;

typedef struct dx_job {
    dx_stream s;
    derive_ctx jc;
    derive_stats st;
    tlf_err err;
    dx_ins issue, listing;
    dx_jobset *set;
    size_t i;                /* the domain */
    size_t id;               /* its pool job (tlf_pool_claim) */
} dx_job;

struct dx_jobset {
    derive_ctx *c;
    int (*fn)(derive_ctx *jc, size_t i);
    dx_pipe pipe;
    dx_job *jobs;
    const char *path;
};

/* Pool start hook: the worker's own read-only connection, in a read
 * transaction. The main connection holds its read transaction (a shared
 * lock): nothing can be committed in between, so this one reads the same
 * state. A worker that cannot open it takes no job (the others, or the
 * writer, do them). */
static int reader_start(void *arg, void **ctx)
{
    dx_jobset *js = arg;
    const derive_opts *o = js->c->opts;
    sqlite3 *db = NULL;
    int orc = sqlite3_open_v2(js->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (orc == SQLITE_OK) {
        sqlite3_busy_timeout(db, o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 0);
        orc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    }
    if (orc != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    *ctx = db;
    return 0;
}

static void reader_stop(void *arg, void *ctx)
{
    sqlite3 *db = ctx;
    (void)arg;
    if (sqlite3_get_autocommit(db) == 0)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
}

/* Pool job: domain j->i. On a worker (ctx its connection) the job reads
 * with its copy of the context and records; on the writer's thread (ctx
 * NULL: no worker was left to take it, tlf_pool_claim) every earlier
 * domain has been written and joined, so it runs on c itself and writes
 * adam directly, as one thread would. */
static int domain_job(void *ctx, void *arg)
{
    dx_job *j = arg;
    dx_jobset *js = j->set;
    dx_pipe *p = &js->pipe;
    pthread_mutex_lock(&p->mu);
    int stop = p->abort;
    pthread_mutex_unlock(&p->mu);
    if (stop)   /* the writer stopped at a failure and drains no more */
        return 0;
    if (!ctx)
        return j->s.rc = js->fn(js->c, j->i);
    j->jc.sdtm = ctx;
    int rc = js->fn(&j->jc, j->i);
    if (j->s.cur)
        hand(&j->s, j->s.cur, 0);
    j->s.cur = NULL;
    pthread_mutex_lock(&p->mu);
    j->s.done = 1;
    j->s.rc = rc;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* 1 when the input can be read by more connections in the same state: a
 * file (not in memory) in a rollback-journal mode, whose read transaction
 * keeps writers out (in WAL mode another connection could see a later
 * commit). */
static int can_share(derive_ctx *c, const char **path)
{
    *path = sqlite3_db_filename(c->sdtm, "main");
    if (!*path || !**path)
        return 0;
    sqlite3_stmt *st = NULL;
    int wal = 1;
    if (sqlite3_prepare_v2(c->sdtm, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        wal = !m || strcmp(m, "wal") == 0;
    }
    sqlite3_finalize(st);
    return !wal;
}

static void stats_add(derive_stats *to, const derive_stats *from)
{
    to->n_after_cutoff += from->n_after_cutoff;
    to->n_issues_error += from->n_issues_error;
    to->n_issues_warning += from->n_issues_warning;
    to->n_issues_info += from->n_issues_info;
    to->n_adae += from->n_adae;
    to->n_adtte += from->n_adtte;
    to->n_adlb += from->n_adlb;
    to->n_adre += from->n_adre;
    to->n_adft += from->n_adft;
    to->n_advs += from->n_advs;
    to->n_adpc += from->n_adpc;
    to->n_adex += from->n_adex;
    to->n_adrs += from->n_adrs;
}

/* What job j found besides its rows joins c, as if c had read it. */
static void join_job(derive_ctx *c, const dx_job *j)
{
    stats_add(c->st, &j->st);
    for (int k = 0; k < j->jc.ncut; k++)
        dx_cut_count(c, j->jc.cut_dom[k], j->jc.cut_n[k]);
    for (size_t i = 0; i < c->nsubj; i++) {
        const src_day *d = &j->jc.contact[i];
        dx_contact(c, &c->subj[i], d->day, d->dom, d->seq);
    }
}

int dx_domain_jobs(derive_ctx *c, size_t n, int (*fn)(derive_ctx *jc, size_t i))
{
    const char *path = NULL;
    /* one job is worth a thread too: it reads while this one writes */
    int threads = c->opts->jobs < (int)n ? c->opts->jobs : (int)n;
    if (c->opts->jobs < 2 || n == 0 || c->rec || !can_share(c, &path)) {
        int rc = 0;
        for (size_t i = 0; i < n && !rc; i++)
            rc = fn(c, i);
        return rc;
    }
    dx_jobset js = {.c = c, .fn = fn, .path = path};
    pthread_mutex_init(&js.pipe.mu, NULL);
    pthread_cond_init(&js.pipe.cv, NULL);
    js.jobs = xcalloc(n, sizeof *js.jobs);
    src_day none = {TLF_NODAY, NULL, -1, 0, NULL};
    for (size_t i = 0; i < n; i++) {
        dx_job *j = &js.jobs[i];
        j->set = &js;
        j->i = i;
        j->s.pipe = &js.pipe;
        j->jc = *c;
        j->jc.st = &j->st;
        j->jc.err = &j->err;
        tlf_err_clear(&j->err);
        j->jc.ncut = 0;
        j->jc.summary = 0;
        j->jc.rec = &j->s;
        j->jc.contact = xmalloc((c->nsubj ? c->nsubj : 1) * sizeof *j->jc.contact);
        for (size_t k = 0; k < c->nsubj; k++)
            j->jc.contact[k] = none;
        j->issue = (dx_ins){.rec = &j->s, .target = c->issue_ins};
        j->listing = (dx_ins){.rec = &j->s, .target = c->listing_ins};
        j->jc.issue_ins = c->issue_ins ? &j->issue : NULL;
        j->jc.listing_ins = c->listing_ins ? &j->listing : NULL;
    }
    /* This thread writes; the workers read. All jobs cost the same, so the
     * pool hands them out in the domains' order, the order they are
     * replayed in: a job whose stream is full waits for the writer, which
     * is then at an earlier domain that was taken before it. */
    tlf_pool_hooks hooks = {reader_start, reader_stop, &js};
    tlf_pool *pool = tlf_pool_new(threads, &hooks, NULL);
    for (size_t i = 0; i < n; i++)
        js.jobs[i].id = tlf_pool_add(pool, domain_job, &js.jobs[i], 1.0, NULL);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        dx_job *j = &js.jobs[i];
        if (tlf_pool_claim(pool, j->id))
            rc = j->s.rc;   /* no worker left: it ran here, on c */
        else if ((rc = drain(c, &j->s, &j->err)) == 0)
            join_job(c, j);   /* before a later domain may run on c */
        if (rc)
            abort_all(&js.pipe);
    }
    tlf_pool_free(pool);   /* the jobs not run return at once after a failure */
    for (size_t i = 0; i < n; i++) {
        dx_job *j = &js.jobs[i];
        chunk_free(j->s.head);
        chunk_free(j->s.cur);
        for (size_t k = 0; k < j->s.ntargets; k++) {
            sqlite3_finalize(j->s.targets[k]->st);
            free(j->s.targets[k]);
        }
        free(j->s.targets);
        free(j->jc.contact);
    }
    free(js.jobs);
    pthread_cond_destroy(&js.pipe.cv);
    pthread_mutex_destroy(&js.pipe.mu);
    return rc;
}
