/*
 * pipeline.c - one whole run, stage by stage (see pipeline.h).
 *
 * Stage: batch operations (issue 12, sap.md section 7). The order and the
 * reasons for it:
 *   1. Snapshot the input into a private work folder: every later stage
 *      reads the copy, and its digest names the run.
 *   2. Gate on DBSTATUS (the profile's allowed statuses) before any work.
 *   3. The run id is a SHA-256 prefix over the input digest, the profile,
 *      the configuration, the templates and the program version, so the
 *      same inputs give the same pages; the wall clock appears only in the
 *      folder name, run.log and manifest.json.
 *   4. Under the study lock, build the run folder hidden; check, derive,
 *      analyse, render into it; write run.log and the manifest last; then
 *      publish with a rename and switch `latest`.
 */
#include "run/pipeline.h"
#include "analysis/analysis.h"
#include "analysis/changes.h"
#include "core/buf.h"
#include "core/jsonerr.h"
#include "core/fault.h"
#include "core/mem.h"
#include "core/pool.h"
#include "core/sha256.h"
#include "core/stop.h"
#include "db/db.h"
#include "derive/derive.h"
#include "layout/catalog.h"
#include "layout/table.h"
#include "layout/template.h"
#include "render/output.h"
#include "render/pdf.h"
#include "render/volume.h"
#include "run/folder.h"
#include "run/manifest.h"
#include "run/profile.h"
#include "run/signals.h"
#include "study/study.h"
#include "version.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <jansson.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A nightly's exclusion footnote names the subjects up to this many, else
 * counts them per table (record_exclusions). */
#define EXCL_NOTE_SUBJECTS 10

/* Everything one run holds; freed in one place. */
typedef struct verify_job {
    const db_snapshot *snap;
    const char *name;
    tlf_err err;
    int rc;
} verify_job;

typedef struct run_state {
    const run_request *req;
    tlf_buf log;               /* run.log, written when the folder is complete */
    struct timespec t0;
    char *workdir;
    db_snapshot *snap;
    run_profile *profile;
    tlf_study *study;          /* the study configuration                */
    tlf_catalog cat;
    const tlf_catalog_item **order;  /* the outputs to make, in order (output_order) */
    size_t n_order;
    char run_id[13];
    char timestamp[17];
    int lock_fd;
    run_folder *folder;
    sqlite3 *sdtm, *adam;
    db_findings findings;
    db_layout layout;          /* the checks' subject blocks, for the derivation */
    tlf_ard *ard;
    json_t *meta;              /* manifest's descriptive part */
    char *exclusion_note;      /* footnote on every output when subjects were left out */
    derive_exclusion *excl;    /* nightly: records left out before derivation */
    size_t n_excl;
    json_t *timings;           /* seconds per stage, for the manifest */
    double mark;               /* elapsed() at the end of the previous stage */
    double cpu_mark;           /* process CPU seconds at the end of the previous stage */
    pthread_mutex_t meter_mu;  /* render jobs report progress from worker threads */
    void *render;              /* the render_set while jobs run */
    /* the snapshot's quick_check (verify_now, or verify_start on a thread
     * beside the derivation and verify_wait) */
    verify_job verify;
    pthread_t verify_thread;
    int verifying, verified;
} run_state;

static double elapsed(const run_state *s)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - s->t0.tv_sec) + (now.tv_nsec - s->t0.tv_nsec) / 1e9;
}

/* CPU seconds (user + system) of the process or of the calling thread:
 * on a shared machine the wall clock says more about the other users than
 * about the run, so run.log gives both (bench/scale.sh, README). */
static double cpu_seconds(clockid_t which)
{
    struct timespec t;
    clock_gettime(which, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Record the time since the previous stage ended under name; run.log
 * (not the terminal) gets its wall and CPU seconds (CPU of every thread:
 * the listings run beside the analyses). */
static void stage_done(run_state *s, const char *name)
{
    double now = elapsed(s), cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
    json_object_set_new(s->timings, name, json_real(now - s->mark));
    tlf_buf_printf(&s->log, "[%8.3f s] stage %s: %.3f s wall, %.3f s CPU\n", now, name,
                   now - s->mark, cpu - s->cpu_mark);
    s->mark = now;
    s->cpu_mark = cpu;
}

static void say(run_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(run_state *s, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    tlf_buf_printf(&s->log, "[%8.3f s] %s\n", elapsed(s), line);
    if (s->req->progress)
        s->req->progress(s->req->progress_user, line);
}

/* Progress of a long stage (done of total); any thread may call it, the
 * request's callback sees one call at a time. */
static void meter(run_state *s, const char *what, size_t done, size_t total)
{
    if (!s->req->meter)
        return;
    pthread_mutex_lock(&s->meter_mu);
    s->req->meter(s->req->progress_user, what, done, total, elapsed(s));
    pthread_mutex_unlock(&s->meter_mu);
}

static int interrupted(tlf_err *err)
{
    int sig = run_interrupted();
    return sig ? tlf_err_set(err, TLF_EINTR, "stopped by signal %d; nothing was published", sig)
               : TLF_OK;
}

/* ---- run id ---- */

static void hash_file_into(tlf_sha256_ctx *h, const char *label, const char *path)
{
    char hex[TLF_SHA256_HEX];
    tlf_err ignored;
    if (tlf_sha256_file(path, hex, &ignored) != TLF_OK)
        strcpy(hex, "absent");
    tlf_sha256_update(h, label, strlen(label) + 1);
    tlf_sha256_update(h, hex, strlen(hex) + 1);
}

static json_t *digest_entry(const char *path)
{
    char hex[TLF_SHA256_HEX];
    tlf_err ignored;
    if (tlf_sha256_file(path, hex, &ignored) != TLF_OK)
        return json_pack("{s:s, s:n}", "path", path, "sha256");
    return json_pack("{s:s, s:s}", "path", path, "sha256", hex);
}

/* Run id and the manifest's record of what the run was made from. */
static void make_run_id(run_state *s)
{
    const run_request *req = s->req;
    tlf_sha256_ctx *h = tlf_sha256_begin();
    json_t *config = json_array(), *templates = json_array();
    const char *aesi = s->study->aesi_path ? s->study->aesi_path : "";
    char *cat = xasprintf("%s/catalog.json", req->templates_dir);
    tlf_sha256_update(h, s->snap->input_sha256, strlen(s->snap->input_sha256) + 1);
    tlf_sha256_update(h, TLFGEN_VERSION, sizeof TLFGEN_VERSION);
    tlf_sha256_update(h, req->cutoff ? req->cutoff : "", strlen(req->cutoff ? req->cutoff : "") + 1);
    hash_file_into(h, "profile", s->profile->path);
    hash_file_into(h, "study", s->study->path);
    hash_file_into(h, "aesi", aesi);
    hash_file_into(h, "catalog", cat);
    json_array_append_new(config, digest_entry(s->profile->path));
    json_array_append_new(config, digest_entry(s->study->path));
    if (*aesi)
        json_array_append_new(config, digest_entry(aesi));
    json_array_append_new(templates, digest_entry(cat));
    for (size_t i = 0; i < s->cat.n; i++) {
        hash_file_into(h, s->cat.items[i].number, s->cat.items[i].template_path);
        json_array_append_new(templates, digest_entry(s->cat.items[i].template_path));
    }
    char hex[TLF_SHA256_HEX];
    tlf_sha256_end(h, hex);
    memcpy(s->run_id, hex, 12);
    s->run_id[12] = '\0';
    json_object_set_new(s->meta, "config", config);
    json_object_set_new(s->meta, "templates", templates);
    free(cat);
}

/* ---- stages ---- */

/* A name that becomes one folder of the run path: letters, digits, '.',
 * '-', '_', not starting with '.' (no way out of the output folder). */
static int safe_path_part(const char *name)
{
    if (!name || !*name || *name == '.' || strlen(name) > 64)
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '-' || *c == '_'))
            return 0;
    return 1;
}

/* Remove work folders of runs that were killed (their process is gone). */
static void remove_stale_work(const char *out_dir)
{
    DIR *d = opendir(out_dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, ".tlfgen-work-", 13) != 0)
            continue;
        long pid = strtol(e->d_name + 13, NULL, 10);
        if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
            char *p = xasprintf("%s/%s", out_dir, e->d_name);
            run_rmtree(p);
            free(p);
        }
    }
    closedir(d);
}

/* A refusal read from the snapshot before its quick_check (DBSTATUS, the
 * status gate) gives way to the corruption when quick_check finds one:
 * the answer the run gave when quick_check came first, and the one
 * `tlfgen check` gives. */
static int unless_corrupt(run_state *s, int rc, tlf_err *err)
{
    tlf_err e = {0, ""};
    int v = db_snapshot_verify(s->snap, s->req->db_path, &e);
    if (v) {
        *err = e;
        return v;
    }
    return rc;
}

static int stage_snapshot(run_state *s, tlf_err *err)
{
    const run_request *req = s->req;
    char pid[32];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    s->workdir = xasprintf("%s/.tlfgen-work-%s", req->out_dir, pid);
    int rc = run_mkdirs(s->workdir, 0700, err);
    if (rc)
        return rc;
    remove_stale_work(req->out_dir);
    say(s, "snapshot of %s", req->db_path);
    /* quick_check of the copy runs beside the data checks (stage_check) */
    rc = db_snapshot_copy(&s->snap, req->db_path, s->workdir, req->busy_timeout_ms, err);
    if (rc)
        return rc;
    if ((rc = db_snapshot_usable(s->snap, req->db_path, err)))
        return unless_corrupt(s, rc, err);
    if (!safe_path_part(s->profile->name))
        return unless_corrupt(s, tlf_err_set(err, TLF_EUSAGE, "%s: profile name '%s' cannot name "
                                             "a folder (letters, digits, '.', '-', '_' only)",
                                             s->profile->path, s->profile->name), err);
    say(s, "input sha256 %s, study %s, status %s, cut-off %s", s->snap->input_sha256,
        s->snap->studyid, s->snap->status,
        req->cutoff ? req->cutoff : (s->snap->cutoffdtc ? s->snap->cutoffdtc : "(none)"));
    return TLF_OK;
}

static int stage_gate(run_state *s, tlf_err *err)
{
    if (!run_profile_allows_status(s->profile, s->snap->status)) {
        tlf_buf allowed = TLF_BUF_INIT;
        for (size_t i = 0; i < s->profile->n_allowed_status; i++)
            tlf_buf_printf(&allowed, "%s%s", i ? ", " : "", s->profile->allowed_status[i]);
        int rc = tlf_err_set(err, TLF_ESTATUS,
                             "profile %s needs database status %s; %s has STATUS '%s'; nothing "
                             "was published", s->profile->name, tlf_buf_cstr(&allowed),
                             s->req->db_path, s->snap->status);
        tlf_buf_free(&allowed);
        return unless_corrupt(s, rc, err);
    }
    return TLF_OK;
}

static int stage_folder(run_state *s, tlf_err *err)
{
    const run_request *req = s->req;
    /* say so only when another run holds the lock and this one waits */
    int rc = run_lock_acquire(&s->lock_fd, req->out_dir, s->snap->studyid, 0, err);
    if (rc == TLF_ELOCK && req->lock_timeout_s > 0) {
        say(s, "waiting for the lock of study %s (another run holds it; up to %.0f s)",
            s->snap->studyid, req->lock_timeout_s);
        rc = run_lock_acquire(&s->lock_fd, req->out_dir, s->snap->studyid, req->lock_timeout_s,
                              err);
    }
    if (rc)
        return rc;
    /* The timestamp is taken under the lock; a run that follows another
     * within the same second waits for the next one, so names never clash. */
    char name[64];
    for (;;) {
        run_timestamp(s->timestamp);
        snprintf(name, sizeof name, "%s-%s", s->timestamp, s->run_id);
        char *final = xasprintf("%s/%s/%s/%s", req->out_dir, s->snap->studyid, s->profile->name, name);
        int taken = access(final, F_OK) == 0;
        free(final);
        if (!taken)
            break;
        struct timespec nap = {0, 200 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    rc = run_folder_begin(&s->folder, req->out_dir, s->snap->studyid, s->profile->name, name, err);
    if (rc == TLF_OK)
        say(s, "run %s in %s", s->run_id, s->folder->tmp_path);
    return rc;
}

static void *verify_main(void *arg)
{
    verify_job *v = arg;
#ifdef __linux__
    /* The lowest priority for this thread alone (Linux keeps the nice
     * value per thread, setpriority(2)): quick_check takes the core the
     * derivation leaves idle instead of a third of both from the reader
     * the derivation waits for; it still runs on a busy machine. */
    (void)setpriority(PRIO_PROCESS, 0, 19);
#endif
    v->rc = db_snapshot_verify(v->snap, v->name, &v->err);
    return NULL;
}

/* The snapshot's quick_check, once per run. A corrupt snapshot is the
 * error, whatever the stage that read it (its result rc) found or failed
 * on: quick_check runs before that result counts (verify_now, or
 * verify_wait after verify_start). */
static int verify_now(run_state *s, int rc, tlf_err *err)
{
    if (s->verified)
        return rc;
    s->verified = 1;
    tlf_err e = {0, ""};
    int vrc = db_snapshot_verify(s->snap, s->req->db_path, &e);
    if (vrc) {
        *err = e;
        return vrc;
    }
    return rc;
}

/* quick_check on a thread of its own beside the derivation, which leaves
 * the second core half idle while it reads the largest domain (issue 16:
 * on the 30k every-visit study quick_check's 1.2 s of CPU beside the
 * checks, which keep both cores busy, made them 0.6 s longer). */
static void verify_start(run_state *s)
{
    if (s->verified)
        return;
    s->verify = (verify_job){s->snap, s->req->db_path, {0, ""}, 0};
    if (pthread_create(&s->verify_thread, NULL, verify_main, &s->verify) == 0)
        s->verifying = s->verified = 1;
}

static int verify_wait(run_state *s, int rc, tlf_err *err)
{
    if (!s->verifying)
        return verify_now(s, rc, err);
    pthread_join(s->verify_thread, NULL);
    s->verifying = 0;
    if (s->verify.rc) {
        *err = s->verify.err;
        return s->verify.rc;
    }
    return rc;
}

static int stage_check(run_state *s, int jobs, tlf_err *err)
{
    const char *cutoff = s->req->cutoff;
    int rc = db_open_snapshot(&s->sdtm, s->snap->snapshot_path, err);
    if (rc)
        return rc;
    say(s, "data checks");
    /* The snapshot's quick_check: first on one thread; with more, beside
     * the derivation (verify_start), or now when the checks fail or stop
     * the run, which a corrupt snapshot may be the cause of. Nothing
     * after the derivation reads the snapshot. */
    if (jobs == 1 && (rc = verify_now(s, TLF_OK, err)))
        return rc;
    /* the tables' checks on `jobs` connections: the same findings in the
     * same order as one after the other (db.h) */
    rc = db_check_layout(&s->findings, s->sdtm, cutoff, s->study, jobs, &s->layout, err);
    if (rc)
        return verify_now(s, rc, err);
    size_t ne, nw, ni;
    db_findings_count(&s->findings, &ne, &nw, &ni);
    say(s, "data checks: %zu error, %zu warning, %zu info", ne, nw, ni);
    /* a missing table or column: exit 3 for every profile, as `check` says */
    if ((rc = db_findings_structural(&s->findings, s->req->db_path, err)))
        return verify_now(s, rc, err);
    if (ne && s->profile->stop_on_error) {
        const db_finding *f = &s->findings.items[0];   /* sorted: errors first */
        rc = tlf_err_set(err, TLF_EISSUES,
                         "%zu error-severity data issue(s) stop the %s run (first: %s %s %s %s "
                         "'%s': %s); run 'tlfgen check --db %s' for the list; nothing was "
                         "published", ne, s->profile->name, f->rule, f->table,
                         f->usubjid ? f->usubjid : "", f->rowkey ? f->rowkey : "",
                         f->value ? f->value : "", f->message, s->req->db_path);
        return verify_now(s, rc, err);
    }
    return TLF_OK;
}

/* The code for a failed write to the run's datasets: a full disk or an
 * I/O error is the output's fault (exit 6), a signal is a signal. */
static int write_error_code(sqlite3 *db)
{
    int base = sqlite3_errcode(db) & 0xff;
    if (base == SQLITE_INTERRUPT)
        return TLF_EINTR;
    if (base == SQLITE_FULL || base == SQLITE_IOERR || base == SQLITE_CANTOPEN ||
        base == SQLITE_READONLY || base == SQLITE_PERM)
        return TLF_EOUTPUT;
    return TLF_EINTERNAL;
}

static void derive_progress(void *user, size_t done, size_t total)
{
    meter(user, "derivation steps", done, total);
}

static int wants_changes(const run_state *s);

/* 1 when SQL text names table as a word (a listing's condition may read
 * another dataset: 16.2.7.2's deaths come from ADSL). */
static int names_table(const char *sql, const char *table)
{
    size_t n = strlen(table);
    for (const char *p = sql; p && (p = strstr(p, table)) != NULL; p += n) {
        int before = p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
        int after = isalnum((unsigned char)p[n]) || p[n] == '_';
        if (!before && !after)
            return 1;
    }
    return 0;
}

/*
 * The datasets the run's outputs read: those of the analyses feeding them
 * (analysis/registry.c), the listings' datasets and the tables their
 * conditions name, ADSL and ADAE for the changes listing, and ADSL always
 * (the run's counts and the no-FAS refusal come from it). A nightly run
 * derives no laboratory, vital signs or exposure rows (issue 16: 17 of
 * its 33 s at 30,000 subjects). Sets sets[0..*n); *n = N_DERIVE_DATASETS
 * (every one) when a template cannot be read: rendering reports that.
 */
static void plan_datasets(const run_state *s, const char **sets, size_t *n)
{
    unsigned char want[64] = {0};
    char **outs = xcalloc(s->n_order + 1, sizeof *outs);
    for (size_t i = 0; i < s->n_order; i++)
        outs[i] = s->order[i]->number;
    int all = 0;
    for (size_t d = 0; d < N_DERIVE_DATASETS; d++) {
        const char *name = DERIVE_DATASETS[d];
        want[d] = strcmp(name, "ADSL") == 0 ||
                  (wants_changes(s) && strcmp(name, "ADAE") == 0);
        for (size_t a = 0; s->n_order && a < N_ANALYSES && !want[d]; a++)
            want[d] = analysis_feeds(&ANALYSES[a], outs, s->n_order) &&
                      analysis_reads(&ANALYSES[a], name);
    }
    free(outs);
    for (size_t i = 0; i < s->n_order && !all; i++) {
        tlf_template *t = NULL;
        tlf_err e;
        tlf_err_clear(&e);
        if (tlf_template_load_study(&t, s->order[i]->template_path, s->study, &e) != TLF_OK) {
            all = 1;
        } else if (t->dataset) {
            for (size_t d = 0; d < N_DERIVE_DATASETS; d++)
                want[d] |= strcmp(t->dataset, DERIVE_DATASETS[d]) == 0 ||
                           (t->where && names_table(t->where, DERIVE_DATASETS[d]));
        }
        tlf_template_free(t);
    }
    *n = 0;
    for (size_t d = 0; d < N_DERIVE_DATASETS; d++)
        if (all || want[d])
            sets[(*n)++] = DERIVE_DATASETS[d];
}

static int stage_derive(run_state *s, const char *path, int jobs, derive_stats *ds, tlf_err *err)
{
    int rc = TLF_OK;
    if (sqlite3_open_v2(path, &s->adam, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: %s", path, sqlite3_errmsg(s->adam));
        goto done;
    }
    if ((rc = derive_adam_setup(s->adam, err)) != TLF_OK)
        goto done;
    say(s, "deriving the analysis datasets");
    /* the checks' findings first; the derivation appends its own after
     * them (derive_opts.listing) */
    rc = db_findings_write_sqlite(&s->findings, s->adam, err);
    const char *sets[64];
    size_t n_sets = 0;
    plan_datasets(s, sets, &n_sets);
    if (n_sets < N_DERIVE_DATASETS) {
        tlf_buf names = TLF_BUF_INIT;
        for (size_t i = 0; i < n_sets; i++)
            tlf_buf_printf(&names, "%s%s", i ? " " : "", sets[i]);
        say(s, "datasets the outputs read: %s (and ADISSUE)", tlf_buf_cstr(&names));
        tlf_buf_free(&names);
    }
    derive_opts opts = {.cutoff = s->req->cutoff, .aesi_path = s->study->aesi_path,
                        .study = s->study, .exclude = s->excl, .n_exclude = s->n_excl,
                        .progress = derive_progress, .progress_user = s, .listing = 1,
                        .datasets = sets, .n_datasets = n_sets, .jobs = jobs,
                        .layout = &s->layout};
    if (rc == TLF_OK)
        rc = derive_adam(s->sdtm, s->adam, &opts, ds, err);
    db_layout_free(&s->layout);   /* nothing after the derivation reads the snapshot */
    if (rc == TLF_OK)
        say(s, "derived: %ld subjects, %ld FAS, %ld SAF, %ld HC, cut-off %s", ds->n_subjects,
            ds->n_fas, ds->n_saf, ds->n_hc, ds->cutoff);
done:
    return rc;
}

/*
 * Nightly runs go on past error-severity data issues: a subject with such
 * an issue has the records of the table it was found in left out BEFORE
 * the derivation reads them (the whole subject for DM, DS, EX and the
 * other subject-level tables, which every analysis uses), so nothing
 * derived from them survives anywhere (derive.h, opts->exclude). What the
 * datasets lose is listed per table for the EXCLUSIONS table and the
 * outputs' footnote.
 */
static const struct { const char *table; const char *datasets; } EXCL_MAP[] = {
    {"AE", "ADAE"}, {"LB", "ADLB"}, {"VS", "ADVS"}, {"RE", "ADRE"}, {"FT", "ADFT"},
    {"PC", "ADPC"}, {"RS", "ADRS ADTTE"}, {"CM", "ADTTE"},
};
#define EXCL_ALL "ADSL ADTTE ADAE ADLB ADVS ADRE ADFT ADPC ADEX ADRS"

static const char *excl_datasets(const char *table)
{
    for (size_t m = 0; m < sizeof EXCL_MAP / sizeof EXCL_MAP[0]; m++)
        if (strcmp(EXCL_MAP[m].table, table) == 0)
            return EXCL_MAP[m].datasets;
    return NULL;
}

/* The derivation's exclusion list from the error findings (one entry per
 * finding; duplicates do no harm). */
static void plan_exclusions(run_state *s)
{
    for (size_t i = 0; i < s->findings.n; i++) {
        const db_finding *f = &s->findings.items[i];
        if (f->severity != DI_ERROR || !f->usubjid || !*f->usubjid)
            continue;
        s->excl = xreallocarray(s->excl, s->n_excl + 1, sizeof *s->excl);
        s->excl[s->n_excl].usubjid = f->usubjid;
        s->excl[s->n_excl++].table = excl_datasets(f->table) ? f->table : "*";
    }
}

/* Table EXCLUSIONS (who, which table, which datasets lost what, why) and
 * the footnote of every output. */
static int record_exclusions(run_state *s, size_t *n_excluded, tlf_err *err)
{
    *n_excluded = 0;
    /* One transaction for the whole stage: one per statement meant an
     * fsync per finding, and a nightly run with thousands of findings
     * crawled for hours (issue 17). */
    if (sqlite3_exec(s->adam,
                     "BEGIN; CREATE TABLE EXCLUSIONS(USUBJID TEXT, TABLENAME TEXT, DATASETS TEXT,"
                     " RULE TEXT, MESSAGE TEXT)", NULL, NULL, NULL) != SQLITE_OK) {
        int code = tlf_err_set(err, write_error_code(s->adam), "EXCLUSIONS: %s",
                               sqlite3_errmsg(s->adam));
        sqlite3_exec(s->adam, "ROLLBACK", NULL, NULL, NULL);
        return code;
    }
    int rc = TLF_OK;
    for (size_t i = 0; i < s->findings.n && rc == TLF_OK; i++) {
        const db_finding *f = &s->findings.items[i];
        if (f->severity != DI_ERROR || !f->usubjid || !*f->usubjid)
            continue;
        const char *sets = excl_datasets(f->table);
        char *ins = sqlite3_mprintf("INSERT INTO EXCLUSIONS VALUES(%Q, %Q, %Q, %Q, %Q)",
                                    f->usubjid, f->table, sets ? sets : EXCL_ALL, f->rule,
                                    f->message);
        if (sqlite3_exec(s->adam, ins, NULL, NULL, NULL) != SQLITE_OK)
            rc = tlf_err_set(err, write_error_code(s->adam), "EXCLUSIONS: %s",
                             sqlite3_errmsg(s->adam));
        sqlite3_free(ins);
    }
    if (rc == TLF_OK && sqlite3_exec(s->adam, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = tlf_err_set(err, write_error_code(s->adam), "EXCLUSIONS: %s", sqlite3_errmsg(s->adam));
    if (rc) {
        sqlite3_exec(s->adam, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->adam, "SELECT COUNT(DISTINCT USUBJID) FROM EXCLUSIONS", -1, &st,
                           NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        *n_excluded = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (*n_excluded) {
        say(s, "%zu subject(s) with error-severity data issues left out of the affected "
               "analyses before derivation (table EXCLUSIONS)", *n_excluded);
        /* The footnote of every output: the subjects themselves while they
         * are few (an identifier cut at 40 characters), else how many per
         * table, so that it stays a few lines (300 subjects' names took
         * every page of a table and ran off it); the data-issues listing
         * and EXCLUSIONS name them all. */
        static const struct {
            const char *open, *sql, *item, *close;
        } NOTE[2] = {
            {" (subjects per table:",
             "SELECT TABLENAME, COUNT(DISTINCT USUBJID) FROM EXCLUSIONS GROUP BY TABLENAME "
             "ORDER BY TABLENAME",
             "%s %s %s", "). The data-issues listing names them."},
            {":",
             "SELECT CASE WHEN length(USUBJID) > 40 THEN substr(USUBJID, 1, 40) || '...' ELSE "
             "USUBJID END, group_concat(DISTINCT TABLENAME) FROM EXCLUSIONS GROUP BY USUBJID "
             "ORDER BY USUBJID",
             "%s %s (%s)", ". See the data-issues listing."},
        };
        const int few = *n_excluded <= EXCL_NOTE_SUBJECTS;
        tlf_buf note = TLF_BUF_INIT;
        tlf_buf_printf(&note, "Data issues: %zu subject(s) with error-severity findings are left "
                              "out of the analyses that read the affected tables%s",
                       *n_excluded, NOTE[few].open);
        if (sqlite3_prepare_v2(s->adam, NOTE[few].sql, -1, &st, NULL) == SQLITE_OK)
            for (int k = 0; sqlite3_step(st) == SQLITE_ROW; k++)
                tlf_buf_printf(&note, NOTE[few].item, k ? ";" : "", sqlite3_column_text(st, 0),
                               sqlite3_column_text(st, 1));
        sqlite3_finalize(st);
        tlf_buf_puts(&note, NOTE[few].close);
        s->exclusion_note = tlf_buf_detach(&note);
    }
    return TLF_OK;
}

/* Progress of the analysis loop: how many of the selected ones are done. */
typedef struct analyse_progress {
    run_state *s;
    size_t done, total;
    double cpu0;               /* this thread's CPU seconds when the analysis began */
} analyse_progress;

static int analyse_before(void *user, const analysis_entry *e, tlf_err *err)
{
    analyse_progress *p = user;
    (void)e;
    meter(p->s, "analyses", p->done, p->total);
    p->cpu0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    return interrupted(err);
}

static void analyse_after(void *user, const analysis_entry *e, double seconds)
{
    analyse_progress *p = user;
    p->done++;
    say(p->s, "analysis %s: %.3f s (CPU %.3f s)", e->name, seconds,
        cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - p->cpu0);
}

/* The analyses the run's outputs need (analysis/registry.c), one loop. */
static int stage_analyse(run_state *s, const char *ard_path, tlf_err *err)
{
    s->ard = tlf_ard_new();
    analysis_ctx ctx = {s->adam, s->ard, s->study, s->profile->ci_transform,
                        s->profile->cox_ties, s->profile->cox_min_events,
                        s->profile->bootstrap_resamples, s->profile->bootstrap_seed};
    char **wanted = xcalloc(s->n_order + 1, sizeof *wanted);
    for (size_t i = 0; i < s->n_order; i++)
        wanted[i] = s->order[i]->number;
    analyse_progress prog = {s, 0, 0, 0};
    for (size_t i = 0; s->n_order && i < N_ANALYSES; i++)
        prog.total += (size_t)analysis_feeds(&ANALYSES[i], wanted, s->n_order);
    say(s, "analyses: %zu of %zu needed by the outputs", prog.total, N_ANALYSES);
    analysis_hooks hooks = {analyse_before, analyse_after, &prog};
    /* no output at all is no analysis, not every analysis */
    int rc = s->n_order ? analysis_run(&ctx, wanted, s->n_order, &hooks, err) : TLF_OK;
    free(wanted);
    if (rc)
        return rc;
    meter(s, "analyses", prog.total, prog.total);
    say(s, "analyses: %zu ARD records", s->ard->n);
    /* complete now: the tables and figures look records up through the
     * index (the same first record as a scan; read-only from the render
     * threads), not by scanning the ARD per cell */
    tlf_ard_build_index(s->ard);
    return tlf_ard_write_file(s->ard, ard_path, err);
}

/* The PDFs' document date: the database status date (never the clock). */
static const char *document_date(const run_state *s)
{
    return s->snap->statusdtc && *s->snap->statusdtc ? s->snap->statusdtc : NULL;
}

static void render_ctx_fill(const run_state *s, tlf_render_ctx *ctx, char *version, size_t vsz)
{
    snprintf(version, vsz, "tlfgen %s", TLFGEN_VERSION);
    memset(ctx, 0, sizeof *ctx);
    ctx->study = s->study->name;
    ctx->protocol = s->study->protocol;
    ctx->run_id = s->run_id;
    ctx->db_sha256 = s->snap->input_sha256;
    ctx->cutoff = s->req->cutoff ? s->req->cutoff : s->snap->cutoffdtc;
    ctx->db_status = s->snap->status;
    ctx->program_version = version;
    ctx->draft = !tlf_status_is_final(s->snap->status);
    ctx->note = s->exclusion_note;
}

/* One output's PDF (and RTF). *keep (when not NULL) receives its plan on
 * success, for the combined volume to draw again without laying it out. */
static int render_one(run_state *s, const tlf_template *t, const char *adam_path,
                      const char *pdf_path, unsigned char *used, tlf_plan **keep, tlf_err *err)
{
    tlf_pdf *pdf = NULL;
    tlf_plan *plan = NULL;
    char version[64];
    tlf_render_ctx ctx;
    render_ctx_fill(s, &ctx, version, sizeof version);
    tlf_output_opts oo = {s->profile->paper, 0, used};
    /* the profile's "rtf" format: the same layout as <number>.rtf beside the PDF */
    tlf_buf rtf = TLF_BUF_INIT;
    tlf_rtf_info rinfo = {t->ntitles ? t->titles[0] : t->number, t->number, s->study->name,
                          version, document_date(s)};
    /* A listing reads the datasets alone, and is drawn on a worker while
     * the run's own thread sets s->ard for the analyses: its job does not
     * read even the pointer (helgrind: a data race). */
    const tlf_ard *ard = t->kind == TLF_TPL_LISTING ? NULL : s->ard;
    int rc = tlf_pdf_new(&pdf, s->req->fonts_dir, err);
    if (rc == TLF_OK)
        rc = tlf_output_plan_rtf(&plan, s->profile->format_rtf ? &rtf : NULL, &rinfo, pdf, t,
                                 ard, adam_path, &ctx, &oo, err);
    if (rc == TLF_OK) {
        char *subject = tlf_output_subject(t);
        tlf_pdf_info info = {t->ntitles ? t->titles[0] : t->number, subject, s->study->name,
                             version, document_date(s)};
        rc = tlf_pdf_set_info(pdf, &info, err);
        free(subject);
    }
    if (rc == TLF_OK)
        rc = tlf_pdf_draw_plan(pdf, plan, 0, 0, err);
    if (rc == TLF_OK)
        rc = tlf_output_bookmarks(pdf, t, plan, 0, 0, NULL, err);
    if (rc == TLF_OK)
        rc = tlf_pdf_save(pdf, pdf_path, err);
    if (rc == TLF_OK && rtf.len) {
        char *rtf_path = xasprintf("%.*s.rtf", (int)(strlen(pdf_path) - 4), pdf_path);
        rc = tlf_rtf_save(&rtf, rtf_path, err);
        free(rtf_path);
    }
    tlf_buf_free(&rtf);
    if (rc == TLF_OK && keep) {
        *keep = plan;
        plan = NULL;
    }
    tlf_plan_free(plan);
    tlf_pdf_free(pdf);
    return rc;
}

/* A DSMB closed-packet file readable by its owner only: a failed chmod
 * fails the run (the closed results must not be left readable). */
static int owner_only(const char *path, tlf_err *err)
{
    if (tlf_fault_io() || chmod(path, 0600) != 0)
        return tlf_err_set(err, TLF_EOUTPUT, "%s: cannot restrict to its owner (chmod 0600): %s",
                           path, strerror(errno));
    return TLF_OK;
}

/*
 * A listing too long for one document: volumes of the profile's page count
 * (`<number>_vol01.pdf`, ...), drawn and freed one at a time so memory is
 * bounded by a volume, not the listing (render/volume.h). Such a listing
 * stays out of the combined volume, which holds every page in memory.
 */
typedef struct listing_meter {
    run_state *s;
    char what[80];
} listing_meter;

static void listing_progress(void *user, size_t done, size_t total)
{
    listing_meter *lm = user;
    meter(lm->s, lm->what, done, total);
}

static int render_split_listing(run_state *s, const tlf_template *t, const char *adam_path,
                                const char *pdf_path, int private_files, long long rows,
                                size_t *pages, char *msg, size_t msgsz, tlf_err *err)
{
    char version[64];
    tlf_render_ctx ctx;
    render_ctx_fill(s, &ctx, version, sizeof version);
    listing_meter lm = {s, ""};
    snprintf(lm.what, sizeof lm.what, "listing %s pages", t->number);
    tlf_volume_opts vo = {NULL, s->profile->name, document_date(s), s->profile->paper,
                          s->req->fonts_dir, listing_progress, &lm, NULL};
    size_t nvol = 0, npages = 0;
    int rc = tlf_listing_volumes(pdf_path, t, adam_path, &ctx, &vo,
                                 (size_t)s->profile->listing_volume_pages, &nvol, &npages, err);
    for (size_t k = 1; rc == TLF_OK && private_files && k <= nvol; k++) {
        char *v = tlf_volume_path(pdf_path, k, nvol);
        rc = owner_only(v, err);
        free(v);
    }
    if (rc == TLF_OK)
        snprintf(msg, msgsz, "listing %s: %lld rows, %zu pages in %zu volume(s) of at most %d "
                 "pages; kept out of the combined volume", t->number, rows, npages, nvol,
                 s->profile->listing_volume_pages);
    *pages = npages;
    return rc;
}

/* Does the profile select this output? */
static int selected(const run_profile *p, const tlf_catalog_item *item)
{
    if (!item->explicit_only)
        return run_profile_selects(p, item->number);
    for (size_t i = 0; i < p->n_outputs; i++)
        if (strcmp(p->outputs[i], item->number) == 0)
            return 1;
    return 0;
}

/*
 * The outputs a run makes, in the order of its PDFs and volume: a profile
 * that lists its outputs gets them in its own order (nightly: changes and
 * data issues first); "all" gets the catalog's (ICH E3) order. An output
 * the catalog does not have is a profile error (TLF_EUSAGE).
 */
static int output_order(const run_state *s, const tlf_catalog_item ***out, size_t *n, tlf_err *err)
{
    const run_profile *p = s->profile;
    const tlf_catalog_item **order = xcalloc(s->cat.n + p->n_outputs + 1, sizeof *order);
    int all = 0;
    *n = 0;
    for (size_t k = 0; k < p->n_outputs; k++)
        all = all || strcmp(p->outputs[k], "all") == 0;
    if (all) {
        for (size_t i = 0; i < s->cat.n; i++)
            if (selected(p, &s->cat.items[i]))
                order[(*n)++] = &s->cat.items[i];
    }
    for (size_t k = 0; k < p->n_outputs && !all; k++) {
        const tlf_catalog_item *item = tlf_catalog_find(&s->cat, p->outputs[k]);
        if (!item) {
            free(order);
            return tlf_err_set(err, TLF_EUSAGE, "%s: outputs: '%s' is not in the catalog "
                               "(templates/catalog.json)", p->path, p->outputs[k]);
        }
        order[(*n)++] = item;
    }
    *out = order;
    return TLF_OK;
}

/* A combined volume of the given outputs (cover, contents, bookmarks);
 * plans: NULL, or the plans their own PDFs were drawn from (NULL entries
 * are laid out again). */
static int write_volume(run_state *s, const char *file, const char *title,
                        tlf_template *const *tpls, size_t n, const tlf_plan *const *plans,
                        const char *adam_path, char *msg, size_t msgsz, tlf_err *err)
{
    if (n == 0)
        return TLF_OK;
    char version[64];
    tlf_render_ctx ctx;
    render_ctx_fill(s, &ctx, version, sizeof version);
    tlf_volume_opts vo = {title, s->profile->name, document_date(s), s->profile->paper,
                          s->req->fonts_dir, NULL, NULL, plans};
    char *path = run_folder_path(s->folder, file);
    int rc = tlf_volume_write(path, tpls, n, s->ard, adam_path, &ctx, &vo, err);
    if (rc == TLF_OK)
        snprintf(msg, msgsz, "combined volume %s: %zu outputs", file, n);
    free(path);
    return rc;
}

/*
 * Rendering jobs. Every PDF of a run is an independent document, so they
 * are made by a pool of threads (core/pool.h): listings, which read only
 * the finished analysis datasets, start as soon as the datasets are
 * complete and run beside the analyses; tables, figures and the combined
 * volume(s) follow once the ARD is complete. Jobs write only their own
 * files and their own result slot; run.log gets their lines afterwards in
 * output order, and the first failure in output order is the run's error,
 * so a run with one worker and a run with several give the same files and
 * the same messages.
 */
typedef struct render_job {
    run_state *s;
    const char *adam_path;
    const tlf_catalog_item *item;  /* NULL for a combined volume */
    tlf_template *t;
    char *file, *path;
    int is_split, is_open;
    long long rows;
    unsigned char *used;       /* tables, figures: the ARD records they read */
    /* a combined volume */
    const char *vol_file, *vol_title;
    tlf_template **vol_tpls;
    size_t vol_n;
    int rc;
    tlf_err err;
    char msg[512];
    size_t pages;              /* a listing in volumes: its pages */
    double cpu;                /* CPU seconds of the thread that ran the job */
    /* An output of a combined volume keeps the plan its PDF was drawn from
     * (render_set.plan_mu): the volume draws it again instead of laying
     * the output out a second time (a listing's query and pagination). */
    tlf_plan *plan;
    int plan_state;            /* PLAN_NONE, PLAN_MAKING, PLAN_READY */
} render_job;

enum { PLAN_NONE, PLAN_MAKING, PLAN_READY };

typedef struct render_set {
    render_job *jobs;          /* outputs in order, then the volume(s) */
    size_t n;
    tlf_template **all, **open;
    size_t n_all, n_open;
    int cancel;                /* set after a failure elsewhere: skip what has not started */
    pthread_mutex_t plan_mu;   /* the jobs' plan and plan_state */
    pthread_cond_t plan_cv;    /* a plan_state left PLAN_MAKING */
    int plan_sync;             /* plan_mu and plan_cv initialised */
} render_set;

/*
 * The plans of the outputs tpls[0..n) that their own jobs have drawn, for
 * the volume; NULL where a job has not started or failed (the volume lays
 * that one out itself). A job still making its plan is waited for: it is
 * running on another thread and waits for nothing, so the wait ends.
 */
static const tlf_plan **volume_plans(render_set *rs, tlf_template *const *tpls, size_t n)
{
    const tlf_plan **plans = xcalloc(n + 1, sizeof *plans);
    pthread_mutex_lock(&rs->plan_mu);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < rs->n; k++) {
            render_job *j = &rs->jobs[k];
            if (!j->item || j->t != tpls[i])
                continue;
            while (j->plan_state == PLAN_MAKING)
                pthread_cond_wait(&rs->plan_cv, &rs->plan_mu);
            plans[i] = j->plan_state == PLAN_READY ? j->plan : NULL;
            break;
        }
    pthread_mutex_unlock(&rs->plan_mu);
    return plans;
}

/* A job's plan and plan_state, announced to a volume waiting for it. */
static void plan_state_set(render_set *rs, render_job *j, int state, tlf_plan *plan)
{
    pthread_mutex_lock(&rs->plan_mu);
    j->plan = plan;
    j->plan_state = state;
    pthread_cond_broadcast(&rs->plan_cv);
    pthread_mutex_unlock(&rs->plan_mu);
}

static int render_job_exec(render_job *j)
{
    run_state *s = j->s;
    tlf_err_clear(&j->err);
    if (__atomic_load_n(&((render_set *)s->render)->cancel, __ATOMIC_ACQUIRE))
        return tlf_err_set(&j->err, TLF_EINTR, "not started: the run stopped");
    int rc = interrupted(&j->err);
    if (rc)
        return rc;
    render_set *rs = s->render;
    if (!j->item) {
        const tlf_plan **plans = volume_plans(rs, j->vol_tpls, j->vol_n);
        rc = write_volume(s, j->vol_file, j->vol_title, j->vol_tpls, j->vol_n, plans,
                          j->adam_path, j->msg, sizeof j->msg, &j->err);
        free(plans);
        if (rc == TLF_OK && strncmp(j->vol_file, "closed/", 7) == 0) {
            char *cp = run_folder_path(s->folder, j->vol_file);
            rc = owner_only(cp, &j->err);
            free(cp);
        }
        return rc;
    }
    int dsmb = s->profile->n_open_packet > 0;
    if (j->is_split) {
        rc = render_split_listing(s, j->t, j->adam_path, j->path, dsmb && !j->is_open, j->rows,
                                  &j->pages, j->msg, sizeof j->msg, &j->err);
    } else {
        tlf_plan *plan = NULL;
        plan_state_set(rs, j, PLAN_MAKING, NULL);
        rc = render_one(s, j->t, j->adam_path, j->path, j->used, &plan, &j->err);
        plan_state_set(rs, j, plan ? PLAN_READY : PLAN_NONE, plan);
    }
    if (rc == TLF_OK && dsmb && !j->is_open && !j->is_split) {
        rc = owner_only(j->path, &j->err);
        char *rtf = xasprintf("%.*s.rtf", (int)(strlen(j->path) - 4), j->path);
        if (rc == TLF_OK && access(rtf, F_OK) == 0)   /* when the profile makes one */
            rc = owner_only(rtf, &j->err);
        free(rtf);
    }
    if (rc)
        tlf_err_prefix(&j->err, "output %s", j->item->number);
    return rc;
}

static int render_job_run(void *ctx, void *arg)
{
    (void)ctx;   /* no per-thread state: each job has its own document */
    render_job *j = arg;
    double cpu0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    int rc = render_job_exec(j);
    j->cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    return rc;
}

/* Work estimate for the queue order: a listing by its rows, a table or
 * figure as a few hundred rows, a volume as the sum of its parts. */
static double job_cost(const render_job *j)
{
    if (j->item)
        return j->t->kind == TLF_TPL_LISTING && j->rows > 0 ? (double)j->rows : 300.0;
    double c = 0;
    for (size_t i = 0; i < j->vol_n; i++)
        c += j->vol_tpls[i]->kind == TLF_TPL_LISTING ? 5000.0 : 300.0;
    return c;
}

static void render_set_free(render_set *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        tlf_template_free(rs->jobs[i].t);
        free(rs->jobs[i].used);
        free(rs->jobs[i].file);
        free(rs->jobs[i].path);
        tlf_plan_free(rs->jobs[i].plan);
    }
    if (rs->plan_sync) {
        pthread_mutex_destroy(&rs->plan_mu);
        pthread_cond_destroy(&rs->plan_cv);
    }
    free(rs->jobs);
    free(rs->all);
    free(rs->open);
    memset(rs, 0, sizeof *rs);
}

/*
 * The jobs of a run: one PDF per selected output (a listing longer than
 * the profile's listing_split_rows in volume files, outside the combined
 * volume), then the combined volume(s): csr and nightly one volume of
 * everything; dsmb an open packet (its open list) beside a closed packet
 * (everything) in the owner-only closed/ folder.
 */
static int render_prepare(run_state *s, const char *adam_path, render_set *rs, tlf_err *err)
{
    const run_profile *p = s->profile;
    int dsmb = p->n_open_packet > 0;
    int rc = TLF_OK;
    memset(rs, 0, sizeof *rs);
    pthread_mutex_init(&rs->plan_mu, NULL);
    pthread_cond_init(&rs->plan_cv, NULL);
    rs->plan_sync = 1;
    rs->jobs = xcalloc(s->n_order + 3, sizeof *rs->jobs);
    rs->all = xcalloc(s->n_order + 1, sizeof *rs->all);
    rs->open = xcalloc(s->n_order + 1, sizeof *rs->open);
    sqlite3 *adam = NULL;       /* read only here: to count listing rows */
    if (sqlite3_open_v2(adam_path, &adam, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s: %s", adam_path, sqlite3_errmsg(adam));
    for (size_t i = 0; i < s->n_order && rc == TLF_OK; i++) {
        const tlf_catalog_item *item = s->order[i];
        if (access(item->template_path, R_OK) != 0) {
            /* an output the profile asks for is never silently left out */
            rc = tlf_err_set(err, TLF_EUSAGE, "output %s: template %s cannot be read: %s",
                             item->number, item->template_path, strerror(errno));
            break;
        }
        tlf_template *t = NULL;
        if ((rc = tlf_template_load_study(&t, item->template_path, s->study, err)))
            break;
        render_job *j = &rs->jobs[rs->n++];
        j->s = s;
        j->adam_path = adam_path;
        j->item = item;
        j->t = t;
        j->is_open = dsmb && run_profile_list_has(p->open_packet, p->n_open_packet, item->number);
        j->rows = t->kind == TLF_TPL_LISTING ? tlf_listing_count_rows(adam, t) : -1;
        j->is_split = j->rows > p->listing_split_rows && p->listing_split_rows > 0;
        if (!j->is_split)
            rs->all[rs->n_all++] = t;
        if (j->is_open && !j->is_split)
            rs->open[rs->n_open++] = t;
        j->file = xasprintf("%s%s.pdf", dsmb && !j->is_open ? "closed/" : "", item->number);
        j->path = run_folder_path(s->folder, j->file);
    }
    sqlite3_close(adam);
    struct { int want; const char *file, *title; tlf_template **tpls; size_t n; } vols[] = {
        {!dsmb, "volume.pdf", "Tables, listings and figures", rs->all, rs->n_all},
        {dsmb, "open_packet.pdf", "DSMB open packet", rs->open, rs->n_open},
        {dsmb, "closed/closed_packet.pdf", "DSMB closed packet", rs->all, rs->n_all},
    };
    for (size_t v = 0; v < sizeof vols / sizeof vols[0] && rc == TLF_OK; v++) {
        if (!vols[v].want || vols[v].n == 0)
            continue;
        render_job *j = &rs->jobs[rs->n++];
        j->s = s;
        j->adam_path = adam_path;
        j->vol_file = vols[v].file;
        j->vol_title = vols[v].title;
        j->vol_tpls = vols[v].tpls;
        j->vol_n = vols[v].n;
    }
    return rc;
}

/* Queue the listings (ard_ready 0: they need only the datasets) or the
 * rest (ard_ready 1: tables, figures, volumes). */
static void render_submit(render_set *rs, tlf_pool *pool, int ard_ready)
{
    for (size_t i = 0; i < rs->n; i++) {
        render_job *j = &rs->jobs[i];
        int listing = j->item && j->t->kind == TLF_TPL_LISTING;
        if (listing != !ard_ready)
            continue;
        if (j->item && !listing)   /* record coverage: what the output read */
            j->used = xcalloc(j->s->ard->n + 1, 1);
        tlf_pool_add(pool, render_job_run, j, job_cost(j), &j->rc);
    }
}

/* 1 when output_id (";"-joined) names output id. */
static int tagged_with(const char *output_id, const char *id)
{
    size_t len = strlen(id);
    for (const char *p = output_id; (p = strstr(p, id)) != NULL; p += len)
        if ((p == output_id || p[-1] == ';') && (p[len] == ';' || p[len] == '\0'))
            return 1;
    return 0;
}

/* 1 when output id (as its catalog number, "14.2.1.1" or "F14.2.1.1")
 * has no data: no ARD record tagged with it holds a non-zero number. */
static int ard_output_empty(const tlf_ard *ard, const char *id)
{
    for (size_t i = 0; ard && i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        if (r->kind != TLF_VAL_MISSING && r->value != 0.0 && tagged_with(r->output_id, id))
            return 0;
    }
    return 1;
}

/*
 * Record coverage (issue 15): every ARD record tagged with an output must
 * be read by that output (docs/ard.md, output_id). A record tagged but not
 * shown is a defect of the tag or of the template, not of the data: the
 * run still publishes, names each such output with its count and first
 * record in run.log, and counts them in the manifest
 * (ard_records_not_shown), which tests/e2e/test_interims.c keeps at 0.
 */
static size_t coverage_check(run_state *s, const render_job *j)
{
    size_t n = 0, first = 0;
    for (size_t i = 0; i < s->ard->n; i++)
        if (!j->used[i] && tagged_with(s->ard->rows[i].output_id, j->item->number) && !n++)
            first = i;
    if (n) {
        const tlf_ard_row *r = &s->ard->rows[first];
        say(s, "output %s: %zu ARD record(s) tagged with it are not on it (a program defect), "
            "first: analysis_id=%s, group_level=%s, variable_level=%s, stat_name=%s, param=%s",
            j->item->number, n, r->analysis_id, r->group_level, r->variable_level, r->stat_name,
            r->param);
    }
    return n;
}

/* After every job ran: their lines into run.log in output order; the
 * first failure in that order is the error. */
static int render_collect(run_state *s, render_set *rs, run_report *rep, tlf_err *err)
{
    int rc = TLF_OK;
    double cpu_split = 0, cpu_other = 0, cpu_vol = 0;
    size_t pages = 0;
    for (size_t i = 0; i < rs->n; i++) {
        render_job *j = &rs->jobs[i];
        if (!j->item)
            cpu_vol += j->cpu;
        else if (j->is_split)
            cpu_split += j->cpu;
        else
            cpu_other += j->cpu;
        pages += j->pages;
        if (j->rc != TLF_OK) {
            if (rc == TLF_OK) {
                rc = j->rc;
                *err = j->err;
            }
            continue;
        }
        if (j->msg[0])
            say(s, "%s", j->msg);
        if (j->item) {
            rep->n_outputs++;
            if (j->used)
                rep->n_unshown += coverage_check(s, j);
            /* outputs with no data are named in the summary (issue 15) */
            int empty = j->t->kind == TLF_TPL_LISTING ? j->rows == 0
                                                      : ard_output_empty(s->ard, j->item->number);
            if (empty) {
                char *prev = rep->no_data;
                rep->no_data = prev ? xasprintf("%s, %s", prev, j->item->number)
                                    : xstrdup(j->item->number);
                free(prev);
            }
        }
        else if (!rep->volume_pdf && strncmp(j->vol_file, "closed/", 7) != 0)
            rep->volume_pdf = xstrdup(j->vol_file);
    }
    if (rc == TLF_OK)
        say(s, "%zu outputs rendered; outputs with no data: %s", rep->n_outputs,
            rep->no_data ? rep->no_data : "none");
    /* for the benchmarks (README): run.log only */
    tlf_buf_printf(&s->log, "[%8.3f s] rendering CPU: listings in volumes %.3f s (%zu pages, "
                   "%.0f pages/s per core), other outputs %.3f s, combined volume(s) %.3f s\n",
                   elapsed(s), cpu_split, pages, cpu_split > 0 ? (double)pages / cpu_split : 0.0,
                   cpu_other, cpu_vol);
    return rc;
}

static int stage_changes(run_state *s, size_t *n_changes, tlf_err *err)
{
    char *prev = xasprintf("%s/%s/%s/latest/adam.sqlite", s->req->out_dir, s->snap->studyid,
                           s->profile->name);
    int rc = changes_build(s->adam, prev, n_changes, err);
    if (rc == TLF_OK) {
        char *csv = run_folder_path(s->folder, "changes.csv");
        rc = changes_write_csv(s->adam, csv, err);
        free(csv);
        say(s, "changes since the previous %s run: %zu", s->profile->name, *n_changes);
    }
    free(prev);
    return rc;
}

/* The changes listing (catalog number CHG) needs table CHANGES. */
static int wants_changes(const run_state *s)
{
    for (size_t i = 0; i < s->cat.n; i++)
        if (strcmp(s->cat.items[i].number, "CHG") == 0)
            return selected(s->profile, &s->cat.items[i]);
    return 0;
}

static void fill_meta(run_state *s, const derive_stats *ds, const run_report *rep)
{
    const db_snapshot *sn = s->snap;
    json_object_set_new(s->meta, "program",
                        json_pack("{s:s, s:s, s:s}", "name", "tlfgen", "version", TLFGEN_VERSION,
                                  "commit", TLFGEN_GIT_COMMIT));
    json_object_set_new(s->meta, "run_id", json_string(s->run_id));
    json_object_set_new(s->meta, "timestamp", json_string(s->timestamp));
    json_object_set_new(s->meta, "profile",
                        json_pack("{s:s, s:s}", "name", s->profile->name, "path", s->profile->path));
    json_object_set_new(s->meta, "input",
                        json_pack("{s:s, s:s, s:s, s:s}", "path", s->req->db_path, "sha256",
                                  sn->input_sha256, "sha256_of",
                                  sn->digest_of_snapshot ? "snapshot" : "file",
                                  "snapshot_sha256", sn->snapshot_sha256));
    json_object_set_new(s->meta, "dbstatus",
                        json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "STUDYID", sn->studyid,
                                  "STATUS", sn->status, "STATUSDTC", sn->statusdtc, "CUTOFFDTC",
                                  sn->cutoffdtc, "LOCKBY", sn->lockby));
    json_object_set_new(s->meta, "cutoff", json_string(ds->cutoff));
    json_object_set_new(s->meta, "counts",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
                                  "subjects", (json_int_t)ds->n_subjects,
                                  "enrolled", (json_int_t)ds->n_enrolled,
                                  "fas", (json_int_t)ds->n_fas, "saf", (json_int_t)ds->n_saf,
                                  "hc", (json_int_t)ds->n_hc,
                                  "issues_error", (json_int_t)rep->n_error,
                                  "issues_warning", (json_int_t)rep->n_warning,
                                  "issues_info", (json_int_t)rep->n_info,
                                  "excluded_subjects", (json_int_t)rep->n_excluded,
                                  "outputs", (json_int_t)rep->n_outputs));
    json_object_set_new(s->meta, "outputs_no_data",
                        json_string(rep->no_data ? rep->no_data : ""));
    json_object_set_new(s->meta, "ard_records_not_shown", json_integer((json_int_t)rep->n_unshown));
    json_object_set_new(s->timings, "total", json_real(elapsed(s)));
    json_object_set(s->meta, "timings_seconds", s->timings);
}

static void state_free(run_state *s)
{
    sqlite3_close(s->sdtm);
    sqlite3_close(s->adam);
    db_findings_free(&s->findings);
    db_layout_free(&s->layout);
    tlf_ard_free(s->ard);
    if (s->folder) {
        run_folder_abort(s->folder);       /* no-op once published */
        run_folder_free(s->folder);
    }
    run_lock_release(s->lock_fd);
    db_snapshot_free(s->snap);
    tlf_study_free(s->study);
    if (s->workdir) {
        run_rmtree(s->workdir);
        free(s->workdir);
    }
    run_profile_free(s->profile);
    free(s->order);
    tlf_catalog_free(&s->cat);
    json_decref(s->meta);
    json_decref(s->timings);
    free(s->exclusion_note);
    free(s->excl);
    tlf_buf_free(&s->log);
}

void run_report_free(run_report *rep)
{
    if (!rep)
        return;
    free(rep->run_dir);
    free(rep->volume_pdf);
    free(rep->run_id);
    free(rep->warning);
    free(rep->no_data);
    memset(rep, 0, sizeof *rep);
}

int run_execute(const run_request *req, run_report *rep, tlf_err *err)
{
    memset(rep, 0, sizeof *rep);
    run_state s;
    memset(&s, 0, sizeof s);
    s.req = req;
    s.lock_fd = -1;
    s.findings = (db_findings)DB_FINDINGS_INIT;
    s.meta = json_object();
    s.timings = json_object();
    clock_gettime(CLOCK_MONOTONIC, &s.t0);
    pthread_mutex_init(&s.meter_mu, NULL);
    run_signals_install();
    struct stat out_st;
    int created_out = stat(req->out_dir, &out_st) != 0;
    derive_stats ds;
    memset(&ds, 0, sizeof ds);
    char *adam_path = NULL, *ard_path = NULL, *log_path = NULL;
    render_set rs;
    memset(&rs, 0, sizeof rs);
    tlf_pool *pool = NULL;
    /* Injected faults count calls in one thread (core/fault.h): serial then. */
    int jobs = tlf_fault_enabled() ? 1 : req->jobs > 0 ? req->jobs : tlf_pool_default_jobs();
    int rc;

    char *study_path = req->study_path ? NULL : tlf_study_default_path(req->config_dir);
    rc = tlf_study_load(&s.study, req->study_path ? req->study_path : study_path, err);
    free(study_path);
    if (rc || (rc = run_profile_load(&s.profile, req->config_dir, req->profile, err)) ||
        (rc = tlf_catalog_load(&s.cat, req->templates_dir, err)) ||
        (rc = output_order(&s, &s.order, &s.n_order, err)) ||
        (rc = stage_snapshot(&s, err)) || (rc = stage_gate(&s, err)) || (rc = interrupted(err)))
        goto done;
    stage_done(&s, "snapshot");
    make_run_id(&s);
    if ((rc = stage_folder(&s, err)))
        goto done;
    stage_done(&s, "lock");
    if ((rc = stage_check(&s, jobs, err)) || (rc = interrupted(err)))
        goto done;
    stage_done(&s, "checks");
    db_findings_count(&s.findings, &rep->n_error, &rep->n_warning, &rep->n_info);
    int dsmb = s.profile->n_open_packet > 0;
    if (dsmb) {
        char *closed = run_folder_path(s.folder, "closed");
        if (mkdir(closed, 0700) != 0)
            rc = tlf_err_set(err, TLF_EOUTPUT, "%s: %s", closed, strerror(errno));
        free(closed);
        if (rc)
            goto done;
    }
    adam_path = run_folder_path(s.folder, dsmb ? "closed/adam.sqlite" : "adam.sqlite");
    ard_path = run_folder_path(s.folder, dsmb ? "closed/ard.csv" : "ard.csv");
    int excluding = !s.profile->stop_on_error && rep->n_error;
    if (excluding)
        plan_exclusions(&s);
    verify_start(&s);
    rc = stage_derive(&s, adam_path, jobs, &ds, err);
    if ((rc = verify_wait(&s, rc, err)) || (rc = interrupted(err)))
        goto done;
    if (ds.n_fas == 0 && s.profile->stop_on_error && !dsmb) {
        /* A final run (csr) of nobody is a data problem (or a wrong
         * --cutoff): say why instead of publishing empty tables. A DSMB
         * packet at the first enrolment and nightly runs go on: their
         * outputs say n = 0 (docs/reliability.md, "No subject in the FAS"). */
        rc = tlf_err_set(err, req->cutoff ? TLF_EUSAGE : TLF_EISSUES,
                         "cut-off %s (%s) leaves no subject in the full analysis set (no first "
                         "dose on or before it): nothing for the %s outputs; nothing was "
                         "published", ds.cutoff, req->cutoff ? "--cutoff" : "DBSTATUS.CUTOFFDTC",
                         s.profile->name);
        goto done;
    }
    stage_done(&s, "derive");
    if (excluding && (rc = record_exclusions(&s, &rep->n_excluded, err)))
        goto done;
    if (wants_changes(&s) && (rc = stage_changes(&s, &rep->n_changes, err)))
        goto done;
    /* The datasets are complete: the listings start beside the analyses. */
    if ((rc = render_prepare(&s, adam_path, &rs, err)))
        goto done;
    s.render = &rs;
    say(&s, "rendering %zu documents with %d thread(s)%s", rs.n, jobs,
        jobs > 1 ? "; listings beside the analyses" : "");
    pool = tlf_pool_new(jobs - 1, NULL, NULL);
    if (jobs > 1)
        render_submit(&rs, pool, 0);
    if ((rc = stage_analyse(&s, ard_path, err)))
        goto done;
    stage_done(&s, "analyses");
    sqlite3_close(s.adam);
    s.adam = NULL;
    if (dsmb && ((rc = owner_only(adam_path, err)) || (rc = owner_only(ard_path, err))))
        goto done;
    if (jobs == 1)
        render_submit(&rs, pool, 0);
    render_submit(&rs, pool, 1);
    tlf_pool_wait(pool);
    if ((rc = render_collect(&s, &rs, rep, err)))
        goto done;
    stage_done(&s, "render");
    fill_meta(&s, &ds, rep);
    say(&s, "writing run.log and manifest.json; publishing");
    log_path = run_folder_path(s.folder, "run.log");
    FILE *lf = tlf_fault_io() ? NULL : fopen(log_path, "w");
    if (!lf || fputs(tlf_buf_cstr(&s.log), lf) < 0 || fclose(lf) != 0) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot write", log_path);
        goto done;
    }
    if ((rc = manifest_write(s.folder->tmp_path, s.meta, err)) || (rc = interrupted(err)))
        goto done;
    /* Everything that allocates is done before `latest` switches: xmalloc
     * ends the process on failure (exit 1), which after the switch would
     * say "failed" of a published run (issue 17). The snapshot's work
     * folder goes now, the report's strings and the pruning's paths are
     * made now; after the switch only files are removed (nftw) and
     * pointers moved. */
    sqlite3_close(s.sdtm);
    s.sdtm = NULL;
    if (s.workdir) {
        run_rmtree(s.workdir);
        free(s.workdir);
        s.workdir = NULL;
    }
    char *run_dir = xstrdup(s.folder->final_path), *run_id = xstrdup(s.run_id);
    char *volume = rep->volume_pdf ? xasprintf("%s/%s", s.folder->final_path, rep->volume_pdf)
                                   : NULL;
    size_t n_prune = 0;
    char **prune = s.profile->keep_runs > 0
                       ? run_folder_retain_plan(s.folder->base, (size_t)s.profile->keep_runs,
                                                s.folder->name, &n_prune)
                       : NULL;
    const size_t warn_size = 1024;
    char *warning = xmalloc(warn_size);
    int n_chars = snprintf(warning, warn_size, "published, but old runs were not pruned to the "
                           "last %d: ", s.profile->keep_runs);
    /* The last look at the signal flag: from here on the run is published
     * whole (a rename), so a signal that arrives later lets it finish and
     * exit 0 rather than leave a published run that says "stopped". */
    if ((rc = interrupted(err)) || (rc = run_folder_publish(s.folder, err))) {
        free(run_dir);
        free(run_id);
        free(volume);
        free(warning);
        run_folder_retain_free(prune, n_prune);
        goto done;
    }
    /* published: a failed pruning is said, not hidden */
    if (run_folder_retain_apply(prune, n_prune, warning + n_chars, warn_size - (size_t)n_chars) == 0) {
        free(warning);
        warning = NULL;
    }
    run_folder_retain_free(prune, n_prune);
    rep->warning = warning;
    rep->run_dir = run_dir;
    free(rep->volume_pdf);
    rep->volume_pdf = volume;
    rep->run_id = run_id;
done:
    __atomic_store_n(&rs.cancel, 1, __ATOMIC_RELEASE);   /* a failed run skips the rest */
    tlf_pool_free(pool);
    render_set_free(&rs);
    /* a stage that failed because a signal interrupted it reports the signal */
    if (rc != TLF_OK && tlf_stop_signal())
        rc = tlf_stop_check(err);
    free(adam_path);
    free(ard_path);
    free(log_path);
    int before_lock = s.lock_fd < 0 && !s.folder;
    state_free(&s);
    if (rc != TLF_OK && before_lock && created_out) {
        /* refused before any output (status, input, profile): leave no folder it made */
        rmdir(req->out_dir);
    }
    pthread_mutex_destroy(&s.meter_mu);
    return rc;
}
