/*
 * derive.c - the derivation driver: cut-off, subject table (DM), the
 * order of the steps, the shared SQLite and issue helpers, and the
 * write-to-temporary-then-rename wrapper.
 *
 * Stage: derive. sap.md sections 1-3; the order of the steps follows the
 * dependencies: LSTALVDT needs every contact domain, the death date needs
 * LSTALVDT (partial dates), ADSL/ADTTE/ADAE need the death date.
 */
#include "derive/derive_int.h"
#include "core/mem.h"
#include "core/stop.h"
#include "core/tmpfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const DERIVE_DATASETS[] = {"ADVS", "ADLB", "ADRE", "ADFT", "ADPC", "ADRS", "ADSL",
                                       "ADTTE", "ADAE", "ADEX", "ADDV"};
const size_t N_DERIVE_DATASETS = sizeof DERIVE_DATASETS / sizeof DERIVE_DATASETS[0];

static void bind_int64(dx_ins *ins, int i, sqlite3_int64 v, int present);

const char *dx_intern(derive_ctx *c, const char *s)
{
    if (!s || !*s)
        return NULL;
    for (size_t i = 0; i < c->npool; i++)
        if (strcmp(c->pool[i], s) == 0)
            return c->pool[i];
    XGROW(c->pool, c->cappool, c->npool + 1);
    c->pool[c->npool] = xstrdup(s);
    return c->pool[c->npool++];
}

static int subj_cmp(const void *k, const void *e)
{
    return strcmp((const char *)k, ((const subject *)e)->usubjid);
}

subject *dx_find(derive_ctx *c, const char *usubjid)
{
    if (!usubjid || !c->nsubj)
        return NULL;
    return bsearch(usubjid, c->subj, c->nsubj, sizeof *c->subj, subj_cmp);
}

int dx_excluded(const derive_ctx *c, const char *u, const char *dom)
{
    const derive_opts *o = c->opts;
    for (size_t i = 0; u && o && i < o->n_exclude; i++)
        if (strcmp(o->exclude[i].usubjid, u) == 0 &&
            (strcmp(o->exclude[i].table, "*") == 0 || strcmp(o->exclude[i].table, dom) == 0))
            return 1;
    return 0;
}

subject *dx_row_subject(derive_ctx *c, const char *u, const char *dom, long seq)
{
    if (dx_excluded(c, u, dom))
        return NULL;   /* left out before derivation; EXCLUSIONS says why */
    subject *s = dx_find(c, u);
    if (!s)
        dx_issue(c, "ERROR", dom, u, seq, "USUBJID", u, "subject not in DM; row left out");
    return s;
}

/* The error code for a failed SQLite call (result sqlite_rc) on db: a
 * statement stopped by a signal is TLF_EINTR; on the datasets being
 * written, a full disk, an I/O error or a file that cannot be written is
 * the output's fault (TLF_EOUTPUT, exit 6), not a bug; on the input
 * snapshot anything is TLF_EINPUT. */
static int sql_code(const derive_ctx *c, sqlite3 *db, int sqlite_rc)
{
    int base = sqlite_rc & 0xff;
    if (base == SQLITE_INTERRUPT)
        return TLF_EINTR;
    if (db == c->sdtm)
        return TLF_EINPUT;
    if (base == SQLITE_FULL || base == SQLITE_IOERR || base == SQLITE_CANTOPEN ||
        base == SQLITE_READONLY || base == SQLITE_PERM)
        return TLF_EOUTPUT;
    return TLF_EINTERNAL;
}

int dx_prepare(derive_ctx *c, sqlite3 *db, const char *sql, sqlite3_stmt **st, const char *what)
{
    int s = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    if (s != SQLITE_OK)
        return tlf_err_set(c->err, sql_code(c, db, s), "%s: %s", what, sqlite3_errmsg(db));
    return 0;
}

int dx_exec(derive_ctx *c, sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int s = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (s != SQLITE_OK) {
        int code = tlf_err_set(c->err, sql_code(c, db, s), "sqlite: %s (%s)", msg ? msg : "error",
                               sql);
        sqlite3_free(msg);
        return code;
    }
    return 0;
}

int dx_sqlfail(derive_ctx *c, sqlite3 *db, const char *what)
{
    return tlf_err_set(c->err, sql_code(c, db, sqlite3_extended_errcode(db)), "%s: %s", what,
                       sqlite3_errmsg(db));
}

const char *dx_text(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return s && *s ? s : NULL;
}

int dx_issue(derive_ctx *c, const char *sev, const char *dom, const char *usubjid, long seq,
             const char *var, const char *value, const char *msg)
{
    dx_ins *st = c->issue_ins;
    dx_bind_text(st, 1, sev);
    dx_bind_text(st, 2, dom);
    dx_bind_text(st, 3, usubjid);
    bind_int64(st, 4, seq, seq >= 0);
    dx_bind_text(st, 5, var);
    dx_bind_text(st, 6, value);
    dx_bind_text(st, 7, msg);
    dx_ins *li = c->listing_ins;
    if (li && !c->summary) {
        char *rowkey = seq >= 0 ? xasprintf("%sSEQ=%ld", dom, seq) : NULL;
        char *m = xasprintf("derivation: %s", msg);
        dx_bind_text(li, 1, sev);
        dx_bind_text(li, 2, dom);
        dx_bind_text(li, 3, usubjid);
        dx_bind_text(li, 4, rowkey);
        dx_bind_text(li, 5, var);
        dx_bind_text(li, 6, value);
        dx_bind_text(li, 7, m);
        int rc = dx_step_insert(c, li, "DATAISSUES");
        free(rowkey);
        free(m);
        if (rc)
            return rc;
    }
    if (strcmp(sev, "ERROR") == 0)
        c->st->n_issues_error++;
    else if (strcmp(sev, "WARNING") == 0)
        c->st->n_issues_warning++;
    else
        c->st->n_issues_info++;
    return dx_step_insert(c, st, "ADISSUE");
}

int dx_num(derive_ctx *c, sqlite3_stmt *st, int col, double *v, const char *dom,
           const char *usubjid, long seq, const char *var)
{
    int t = sqlite3_column_type(st, col);
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
        return dx_num_value(c, t, sqlite3_column_double(st, col), NULL, v, dom, usubjid, seq, var);
    return dx_num_value(c, t, 0, t == SQLITE_NULL ? NULL : dx_text(st, col), v, dom, usubjid, seq,
                        var);
}

int dx_num_value(derive_ctx *c, int type, double num, const char *s, double *v, const char *dom,
                 const char *usubjid, long seq, const char *var)
{
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        *v = num;
        return 1;
    }
    if (type == SQLITE_NULL || !s)
        return 0;
    char *end = NULL;
    double x = strtod(s, &end);
    if (end != s && *end == '\0') {
        *v = x;
        return 1;
    }
    dx_issue(c, "ERROR", dom, usubjid, seq, var, s, "numeric column holds text; treated as missing");
    return 0;
}

int dx_date(derive_ctx *c, const char *s, tlf_pdate *p, const char *dom, const char *usubjid,
            long seq, const char *var)
{
    if (tlf_pdate_parse(s, p) != 0) {
        dx_issue(c, "ERROR", dom, usubjid, seq, var, s,
                 "not an ISO 8601 calendar date; treated as missing");
        return -1;
    }
    return 0;
}

int dx_after_cutoff(derive_ctx *c, const tlf_pdate *p, const char *dom)
{
    tlf_day d = tlf_pdate_first(p);
    if (d == TLF_NODAY || d <= c->cutoff)
        return 0;
    c->st->n_after_cutoff++;
    dx_cut_count(c, dom, 1);
    return 1;
}

void dx_cut_count(derive_ctx *c, const char *dom, long n)
{
    int i = 0;
    while (i < c->ncut && strcmp(c->cut_dom[i], dom) != 0)
        i++;
    if (i == c->ncut && c->ncut < (int)(sizeof c->cut_dom / sizeof c->cut_dom[0])) {
        c->cut_dom[c->ncut] = dom;
        c->cut_n[c->ncut++] = 0;
    }
    if (i < c->ncut)
        c->cut_n[i] += n;
}

/* database.md: data after the cut-off are counted in the data-issues
 * listing as information, one row per table. */
static int report_cutoff_counts(derive_ctx *c)
{
    char cut[11], val[32];
    tlf_day_format(c->cutoff, cut);
    for (int i = 0; i < c->ncut; i++) {
        snprintf(val, sizeof val, "%ld", c->cut_n[i]);
        char *msg = xasprintf("%ld record(s) dated after the data cut-off %s left out", c->cut_n[i], cut);
        c->summary = 1;
        int rc = dx_issue(c, "INFO", c->cut_dom[i], NULL, -1, "records after cut-off", val, msg);
        c->summary = 0;
        free(msg);
        if (rc)
            return rc;
    }
    return 0;
}

void dx_contact(derive_ctx *c, subject *s, tlf_day d, const char *dom, long seq)
{
    if (d == TLF_NODAY || d > c->cutoff)
        return;
    /* a domain job keeps its own latest contact per subject; taking the
     * later day only (ties keep the first) makes joining them in the
     * domains' order give what one pass over every domain gives */
    src_day *l = c->contact ? &c->contact[s - c->subj] : &s->lstalv;
    if (l->day == TLF_NODAY || d > l->day) {
        l->day = d;
        l->dom = dom;
        l->seq = seq;
    }
}

int dx_wanted(const derive_ctx *c, const char *name)
{
    const derive_opts *o = c->opts;
    if (!o->datasets || strcmp(name, "ADISSUE") == 0)
        return 1;
    for (size_t i = 0; i < o->n_datasets; i++)
        if (strcmp(o->datasets[i], name) == 0)
            return 1;
    return 0;
}

static void bind_text(dx_ins *ins, int i, const char *s, sqlite3_destructor_type how)
{
    if (!ins)
        return;
    if (!s || !*s)
        s = NULL;
    if (ins->rec)
        dxw_bind(ins, i, s ? SQLITE_TEXT : SQLITE_NULL, 0, 0, s);
    else if (s)
        sqlite3_bind_text(ins->st, i, s, -1, how);
    else
        sqlite3_bind_null(ins->st, i);
}

void dx_bind_text(dx_ins *ins, int i, const char *s)
{
    bind_text(ins, i, s, SQLITE_TRANSIENT);
}

void dx_bind_text_kept(dx_ins *ins, int i, const char *s)
{
    bind_text(ins, i, s, SQLITE_STATIC);
}

void dx_bind_day(dx_ins *ins, int i, tlf_day d)
{
    char buf[11];
    dx_bind_text(ins, i, d == TLF_NODAY ? NULL : tlf_day_format(d, buf));
}

static void bind_int64(dx_ins *ins, int i, sqlite3_int64 v, int present)
{
    if (!ins)
        return;
    if (ins->rec)
        dxw_bind(ins, i, present ? SQLITE_INTEGER : SQLITE_NULL, v, 0, NULL);
    else if (present)
        sqlite3_bind_int64(ins->st, i, v);
    else
        sqlite3_bind_null(ins->st, i);
}

void dx_bind_int(dx_ins *ins, int i, int v, int present)
{
    bind_int64(ins, i, v, present && v != TLF_NODAY);
}

void dx_bind_real(dx_ins *ins, int i, double v, int present)
{
    if (!ins)
        return;
    if (ins->rec)
        dxw_bind(ins, i, present ? SQLITE_FLOAT : SQLITE_NULL, 0, v, NULL);
    else if (present)
        sqlite3_bind_double(ins->st, i, v);
    else
        sqlite3_bind_null(ins->st, i);
}

void dx_bind_int64(dx_ins *ins, int i, long v)
{
    bind_int64(ins, i, v, 1);
}

void dx_bind_flag(dx_ins *ins, int i, char f)
{
    char s[2] = {f, 0};
    dx_bind_text(ins, i, f ? s : NULL);
}

int dx_step_insert(derive_ctx *c, dx_ins *ins, const char *table)
{
    if (!ins)
        return 0;
    if (ins->rec)
        return dxw_step(c, ins, table);
    sqlite3_stmt *st = ins->st;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        int code = tlf_err_set(c->err, sql_code(c, c->adam, rc), "%s: %s", table,
                               sqlite3_errmsg(c->adam));
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return code;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return 0;
}

int dx_ins_prepare(derive_ctx *c, const char *sql, dx_ins **ins, const char *what)
{
    sqlite3_stmt *st = NULL;
    *ins = NULL;
    int rc = dx_prepare(c, c->adam, sql, &st, what);
    if (rc)
        return rc;
    *ins = xcalloc(1, sizeof **ins);
    (*ins)->st = st;
    return 0;
}

void dx_ins_free(dx_ins *ins)
{
    if (!ins)
        return;
    if (ins->rec) {
        dxw_free(ins);
        return;
    }
    sqlite3_finalize(ins->st);
    free(ins);
}

/* dx_create (create 1) or dx_insert_into (create 0). */
static int make_insert(derive_ctx *c, const char *name, const char *cols, int create, dx_ins **ins)
{
    *ins = NULL;
    if (!dx_wanted(c, name))
        return 0;
    char *sql = create ? xasprintf("CREATE TABLE %s (%s)", name, cols) : xstrdup("");
    size_t n = 1;
    for (const char *p = cols; *p; p++)
        n += *p == ',';
    char *q = xmalloc(2 * n + 64 + strlen(name));
    char *w = q + sprintf(q, "INSERT INTO %s VALUES (", name);
    for (size_t i = 0; i < n; i++) {
        *w++ = i ? ',' : '?';
        if (i)
            *w++ = '?';
    }
    strcpy(w, ")");
    int rc = 0;
    if (c->rec)   /* a domain job: the writer makes the table in its turn */
        *ins = dxw_create(c, sql, q, name);
    else if (!create || (rc = dx_exec(c, c->adam, sql)) == 0)
        rc = dx_ins_prepare(c, q, ins, name);
    free(sql);
    free(q);
    return rc;
}

int dx_create(derive_ctx *c, const char *name, const char *cols, dx_ins **ins)
{
    return make_insert(c, name, cols, 1, ins);
}

int dx_insert_into(derive_ctx *c, const char *name, const char *cols, dx_ins **ins)
{
    return make_insert(c, name, cols, 0, ins);
}

/* --- cut-off --- */
static int load_cutoff(derive_ctx *c)
{
    const char *o = c->opts ? c->opts->cutoff : NULL;
    if (o) {
        c->cutoff = tlf_day_parse_complete(o);
        if (c->cutoff == TLF_NODAY)
            return tlf_err_set(c->err, TLF_EDATA, "--cutoff '%s' is not a complete date YYYY-MM-DD", o);
        return 0;
    }
    sqlite3_stmt *st = NULL;
    int rc = dx_prepare(c, c->sdtm, "SELECT CUTOFFDTC FROM DBSTATUS", &st, "table DBSTATUS");
    if (rc)
        return rc;
    int n = 0;
    char val[64] = "";
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        const char *s = dx_text(st, 0);
        snprintf(val, sizeof val, "%s", s ? s : "");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return dx_sqlfail(c, c->sdtm, "table DBSTATUS");
    if (n != 1)
        return tlf_err_set(c->err, TLF_EDATA, "table DBSTATUS: %d rows, expected one", n);
    c->cutoff = tlf_day_parse_complete(val);
    if (c->cutoff == TLF_NODAY)
        /* a data issue (check's DB019, an error): the same status as check */
        return tlf_err_set(c->err, TLF_EISSUES,
                           "table DBSTATUS: CUTOFFDTC '%s' is not a complete date and no --cutoff "
                           "was given (DB019)", val);
    return 0;
}

/* --- DM: one subject each --- */
int dx_load_dm(derive_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int rc = dx_prepare(c, c->sdtm,
                        "SELECT STUDYID, USUBJID, SUBJID, SITEID, RFSTDTC, DTHDTC, DTHFL, AGE, AGEU,"
                        " SEX, RACE, ARMCD, ARM, ACTARMCD, COUNTRY FROM DM ORDER BY USUBJID",
                        &st, "table DM");
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *u = dx_text(st, 1);
        if (!u) {
            dx_issue(c, "ERROR", "DM", NULL, -1, "USUBJID", NULL, "row without USUBJID; left out");
            continue;
        }
        if (dx_excluded(c, u, "DM"))
            continue;   /* the whole subject is left out */
        if (c->nsubj && strcmp(c->subj[c->nsubj - 1].usubjid, u) == 0) {
            /* The data checks report it as an error (a final run stops); a
             * nightly run goes on with the first row and leaves the subject
             * out of the analyses (run/pipeline.c). */
            dx_issue(c, "ERROR", "DM", u, -1, "USUBJID", u, "duplicate USUBJID; later row left out");
            continue;
        }
        XGROW(c->subj, cap, c->nsubj + 1);
        subject *s = &c->subj[c->nsubj++];
        memset(s, 0, sizeof *s);
        s->usubjid = xstrdup(u);
        s->subjid = xstrdup(dx_text(st, 2));
        s->studyid = dx_intern(c, dx_text(st, 0));
        s->siteid = dx_intern(c, dx_text(st, 3));
        s->ageu = dx_intern(c, dx_text(st, 8));
        s->sex = dx_intern(c, dx_text(st, 9));
        s->race = dx_intern(c, dx_text(st, 10));
        s->armcd = dx_intern(c, dx_text(st, 11));
        s->arm = dx_intern(c, dx_text(st, 12));
        s->actarmcd = dx_intern(c, dx_text(st, 13));
        s->country = dx_intern(c, dx_text(st, 14));
        s->has_age = dx_num(c, st, 7, &s->age, "DM", u, -1, "AGE");
        src_day none = {TLF_NODAY, NULL, -1, 0, NULL};
        s->trtsdt = s->trtedt = s->lstalv = s->dth = s->eos = s->eot = none;
        s->prog = s->last_nonprog = s->cm_is = s->tac_stop = s->tff = s->w52 = none;
        s->ds_dth_seq = s->ae_dth_seq = -1;
        tlf_pdate p;
        const char *rf = dx_text(st, 4);
        if (dx_date(c, rf, &p, "DM", u, -1, "RFSTDTC") == 0) {
            s->day1 = tlf_pdate_complete(&p);
            if (p.prec != TLF_PD_MISSING && s->day1 == TLF_NODAY)
                dx_issue(c, "ERROR", "DM", u, -1, "RFSTDTC", rf, "partial day 1 date; day 1 unknown");
        } else {
            s->day1 = TLF_NODAY;
        }
        const char *dfl = dx_text(st, 6);
        s->dthfl_raw = dfl && strcmp(dfl, "Y") == 0 ? 'Y' : 0;
        s->dm_dthdtc = xstrdup(dx_text(st, 5));
        const tlf_study_arm *arm = tlf_study_arm_by_code(c->study, s->armcd);
        s->enrl = arm && arm->role == TLF_ARM_TREATED;
        s->hc = arm && arm->role == TLF_ARM_CONTROL;
        s->bl = xcalloc(c->nbl ? (size_t)c->nbl : 1, sizeof *s->bl);
        s->has_bl = xcalloc(c->nbl ? (size_t)c->nbl : 1, sizeof *s->has_bl);
        s->sc = xcalloc(c->study->n_chars + 1, sizeof *s->sc);
    }
    if (rc != SQLITE_DONE) {
        rc = dx_sqlfail(c, c->sdtm, "table DM");
        goto done;
    }
    rc = 0;
    c->st->n_subjects = (long)c->nsubj;
    for (size_t i = 0; i < c->nsubj; i++) {
        subject *s = &c->subj[i];
        dx_contact(c, s, s->day1, "DM", -1);
    }
done:
    sqlite3_finalize(st);
    return rc;
}

/* What the derivation takes from the study configuration once: the
 * parameters ADSL carries a baseline of, and the texts naming the landmark
 * day and the configured events. */
static void study_setup(derive_ctx *c)
{
    const tlf_study *st = c->study;
    c->blp = xcalloc(st->n_params ? st->n_params : 1, sizeof *c->blp);
    c->bl_weight = -1;
    for (size_t i = 0; i < st->n_params; i++)
        if (st->params[i].baseline || st->params[i].dosing_weight) {
            if (st->params[i].dosing_weight)
                c->bl_weight = c->nbl;
            c->blp[c->nbl++] = &st->params[i];
        }
    int d = st->landmark_day;
    char buf[192];
    snprintf(buf, sizeof buf, "EVENT-FREE THROUGH DAY %d", d);
    c->txt_efree = dx_intern(c, buf);
    snprintf(buf, sizeof buf, "EVENT-FREE THROUGH DAY %d (FIRST EVENT AFTER DAY %d)", d, d);
    c->txt_efree_after = dx_intern(c, buf);
    snprintf(buf, sizeof buf, "ALIVE THROUGH DAY %d (DEATH AFTER DAY %d)", d, d);
    c->txt_alive_after = dx_intern(c, buf);
    snprintf(buf, sizeof buf, "%s STARTED", st->ev_addl_immuno);
    c->txt_cm_started = dx_intern(c, buf);
}

static void ctx_free(derive_ctx *c)
{
    for (size_t i = 0; i < c->nsubj; i++) {
        free(c->subj[i].usubjid);
        free(c->subj[i].subjid);
        free(c->subj[i].dm_dthdtc);
        free(c->subj[i].ds_dthdtc);
        free(c->subj[i].ae_dthdtc);
        free(c->subj[i].bl);
        free(c->subj[i].has_bl);
        free(c->subj[i].sc);
    }
    free(c->blp);
    free(c->subj);
    for (size_t i = 0; i < c->npool; i++)
        free(c->pool[i]);
    free(c->pool);
    for (size_t i = 0; i < c->naesi; i++)
        free(c->aesi_pt[i]);
    free(c->aesi_pt);
    free(c->aesi_cat);
    dx_ins_free(c->issue_ins);
    dx_ins_free(c->listing_ins);
}

/*
 * Indexes for the searches the analyses and listings make, and only for
 * them: without one, each per-parameter or per-subject query scans the
 * whole table (the analysis step of a 700-subject run fell from 11 s to
 * 2 s), and an index no query uses costs a sort of its table at every
 * derivation. They change no row of any dataset. A BDS table is stored
 * subject by subject, so each row an index finds is a look-up elsewhere
 * in a large file; an index leads with what the searches fix:
 * - the demographics' baselines (PARAMCD with ABLFL = 'Y', a literal in
 *   demog.c's query): partial indexes of the baseline records alone, a
 *   ninth of the rows on the every-visit study. ADLB's index over every
 *   record was 4.6 of the 10 s of index builds there (issue 16). Within a
 *   parameter the order is AVISITN then rowid, as with the earlier
 *   (PARAMCD, ABLFL, AVISITN) indexes, so the values reach each summary
 *   in the same order (the same sums, the same bits);
 * - the trough concentrations per visit (PARAMCD, AVISIT, ANL01FL);
 * - the time-to-event parameters (PARAMCD);
 * - the listings' order by subject (ADAE, and ADLB's abnormal values).
 * The by-visit summaries, exposure, response and laboratory analyses scan
 * their datasets once (NOT INDEXED where SQLite would pick an index).
 */
static int create_indexes(derive_ctx *c)
{
    static const struct { const char *table, *name, *cols, *where; } IX[] = {
        {"ADTTE", "ADTTE_PARAM", "PARAMCD, USUBJID", NULL},
        {"ADAE", "ADAE_SUBJ", "USUBJID", NULL},
        {"ADLB", "ADLB_BASE", "PARAMCD, AVISITN", "ABLFL = 'Y'"},
        {"ADLB", "ADLB_SUBJ", "USUBJID, PARAMCD", NULL},
        {"ADRE", "ADRE_BASE", "PARAMCD, AVISITN", "ABLFL = 'Y'"},
        {"ADFT", "ADFT_BASE", "PARAMCD, AVISITN", "ABLFL = 'Y'"},
        {"ADPC", "ADPC_PARAM", "PARAMCD, AVISIT, ANL01FL, AVISITN", NULL},
    };
    /* SQLite's sorter may use helper threads (PRAGMA threads) for the
     * index builds, the derivation's last step, while nothing else runs
     * (issue 16: `derive --jobs 2` on the 30k every-visit database 20.8 ->
     * 19.1 s wall). An index sorts its keys with their rowids, a total
     * order, and is built from the sorted run as before: the same pages
     * at any number of threads (`cmp`). A larger cache_size for the sorter
     * was slower (23.5-25.1 s) and took 250 MB more. */
    int jobs = c->opts && c->opts->jobs > 1 ? c->opts->jobs : 1;
    char *threads = xasprintf("PRAGMA threads = %d", jobs - 1);
    int rc = dx_exec(c, c->adam, threads);
    free(threads);
    for (size_t i = 0; !rc && i < sizeof IX / sizeof IX[0]; i++) {
        if (!dx_wanted(c, IX[i].table))
            continue;
        char *sql = xasprintf("CREATE INDEX %s ON %s(%s)%s%s", IX[i].name, IX[i].table,
                              IX[i].cols, IX[i].where ? " WHERE " : "",
                              IX[i].where ? IX[i].where : "");
        rc = dx_exec(c, c->adam, sql);
        free(sql);
    }
    return rc;
}

int derive_adam(sqlite3 *sdtm, sqlite3 *adam, const derive_opts *opts, derive_stats *out,
                tlf_err *err)
{
    derive_stats local;
    derive_ctx c;
    memset(&c, 0, sizeof c);
    memset(&local, 0, sizeof local);
    c.sdtm = sdtm;
    c.adam = adam;
    c.opts = opts;
    c.st = &local;
    c.err = err;
    if (!opts || !opts->study)
        return tlf_err_set(err, TLF_EUSAGE, "derive: no study configuration");
    c.study = opts->study;
    study_setup(&c);
    /* One read transaction over every query of the input: without it each
     * statement (one per subject and BDS domain, bds_open) takes and drops
     * the shared lock and re-reads the file header (a fifth of a nightly
     * derivation's CPU at 30,000 subjects); and every step reads the same
     * state of the input. A caller's open transaction is kept as it is. */
    int own_read = sqlite3_get_autocommit(sdtm);
    int rc = own_read ? dx_exec(&c, sdtm, "BEGIN") : 0;
    if (!rc)
        rc = load_cutoff(&c);
    if (rc)
        goto done;
    tlf_day_format(c.cutoff, local.cutoff);
    if (opts && opts->aesi_path && (rc = dx_load_aesi(&c, opts->aesi_path)) != 0)
        goto done;
    if ((rc = dx_exec(&c, adam, "BEGIN")) != 0)
        goto done;
    if ((rc = dx_create(&c, "ADISSUE",
                        "SEVERITY TEXT, DOMAIN TEXT, USUBJID TEXT, SEQ INTEGER, VARIABLE TEXT,"
                        " VALUE TEXT, MESSAGE TEXT",
                        &c.issue_ins)) != 0)
        goto rollback;
    if (opts->listing &&
        (rc = dx_ins_prepare(&c,
                         "INSERT INTO DATAISSUES (SEVERITY, TABLENAME, USUBJID, ROWKEY, COLNAME,"
                         " VALUE, RULE, MESSAGE) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'DERIVE', ?7)",
                         &c.listing_ins, "DATAISSUES")) != 0)
        goto rollback;
    int (*steps[])(derive_ctx *) = {dx_load_dm, dx_load_sc_dv_ds, dx_load_ex, dx_bds_all,
                                    dx_adrs_visits, dx_ae_scan, dx_cm_scan, dx_death,
                                    dx_adsl, dx_adtte, dx_adrs_w52, dx_adae, dx_adex, dx_addv,
                                    report_cutoff_counts, create_indexes};
    size_t nsteps = sizeof steps / sizeof steps[0];
    for (size_t i = 0; i < nsteps; i++) {
        if (opts && opts->progress)
            opts->progress(opts->progress_user, i, nsteps);
        if ((rc = tlf_stop_check(err)) != 0 || (rc = steps[i](&c)) != 0)
            goto rollback;
    }
    if (opts && opts->progress)
        opts->progress(opts->progress_user, nsteps, nsteps);
    dx_ins_free(c.issue_ins);
    c.issue_ins = NULL;
    dx_ins_free(c.listing_ins);
    c.listing_ins = NULL;
    if ((rc = dx_exec(&c, adam, "COMMIT")) != 0)
        goto rollback;
    goto done;
rollback:
    dx_ins_free(c.issue_ins);
    c.issue_ins = NULL;
    dx_ins_free(c.listing_ins);
    c.listing_ins = NULL;
    sqlite3_exec(adam, "ROLLBACK", NULL, NULL, NULL);
done:
    if (own_read && !sqlite3_get_autocommit(sdtm))
        sqlite3_exec(sdtm, "COMMIT", NULL, NULL, NULL);   /* a read: nothing to lose */
    /* SQLite's message for a full disk names no file ("disk I/O error"):
     * say which file could not be written */
    if (rc == TLF_EOUTPUT) {
        const char *file = sqlite3_db_filename(adam, "main");
        tlf_err_prefix(err, "%s: cannot write the derived datasets",
                       file && *file ? file : "(in memory)");
    }
    if (out)
        *out = local;
    ctx_free(&c);
    return rc;
}

/* The settings of a new analysis database, which becomes visible only
 * once complete (renamed into place by derive_adam_file, published with
 * its whole run folder by the run; a failed one is never used):
 * - 16 KB pages instead of SQLite's 4 KB: a BDS record is about 150
 *   bytes and the datasets are written once, appended in rowid order,
 *   and then read whole (the analyses scan them) or a subject's records
 *   at a time. Issue 16, every-visit study, alternating runs: derivation
 *   20.5-25.8 -> 18.6-22.1 s (a quarter of the pwrite calls, fewer b-tree
 *   pages to balance), `analyze` 16.1-17.6 -> 13.1 s; the 16.2.8 listing
 *   the same within noise; the datasets and ard.csv the same.
 * - the journal in memory and nothing synced: a journal file and fsyncs
 *   protect nothing in a file nobody uses until it is complete (the
 *   run's other files are not synced either; run_folder_publish syncs
 *   the folder's entries), and a failed statement's ROLLBACK still works.
 *   The commit of the every-visit derivation waited 1.3 s on fdatasync. */
int derive_adam_setup(sqlite3 *adam, tlf_err *err)
{
    if (sqlite3_exec(adam,
                     "PRAGMA page_size = 16384; PRAGMA journal_mode = MEMORY;"
                     " PRAGMA synchronous = OFF",
                     NULL, NULL, NULL) != SQLITE_OK) {
        const char *file = sqlite3_db_filename(adam, "main");
        return tlf_err_set(err, TLF_EOUTPUT, "%s: %s", file && *file ? file : "(in memory)",
                           sqlite3_errmsg(adam));
    }
    return TLF_OK;
}

int derive_adam_file(const char *sdtm_path, const char *out_path, const derive_opts *opts,
                     derive_stats *out, tlf_err *err)
{
    sqlite3 *in = NULL, *db = NULL;
    char *tmp = NULL;
    int rc = 0, made = 0;
    if (sqlite3_open_v2(sdtm_path, &in, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: cannot open read-only: %s", sdtm_path,
                         in ? sqlite3_errmsg(in) : "out of memory");
        goto done;
    }
    /* another process writing the input: wait for it, as `run` does */
    sqlite3_busy_timeout(in, opts && opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : 0);
    /* a read-only open succeeds lazily: make sure it is a database */
    int s = sqlite3_exec(in, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    if ((s & 0xff) == SQLITE_BUSY || (s & 0xff) == SQLITE_LOCKED) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: database is locked by another process (still busy "
                         "after %d ms; see --busy-timeout)", sdtm_path,
                         opts && opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : 0);
        goto done;
    }
    if (s != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: not an SQLite database: %s", sdtm_path,
                         sqlite3_errmsg(in));
        goto done;
    }
    if ((rc = tlf_tmpfile_create(&tmp, out_path, err)) != 0)
        goto done;
    made = 1;
    if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: %s", tmp, db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    if ((rc = derive_adam_setup(db, err)) != 0 || (rc = derive_adam(in, db, opts, out, err)) != 0)
        goto done;
    if (sqlite3_close(db) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: %s", tmp, sqlite3_errmsg(db));
        goto done;
    }
    db = NULL;
    made = 0;    /* committed, or removed by the commit on failure */
    if ((rc = tlf_tmpfile_commit(tmp, out_path, err)) != 0)
        goto done;
done:
    if (db)
        sqlite3_close(db);
    if (in)
        sqlite3_close(in);
    if (made)
        unlink(tmp);
    free(tmp);
    return rc;
}
