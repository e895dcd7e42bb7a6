/*
 * adae.c - ADAE: analysis dates with imputation flags, study days,
 * treatment-emergence, the related/serious/fatal/withdrawal flags, AESI
 * category (config/aesi.json) and worst-grade flags per subject and PT,
 * SOC and overall. Also the first AE pass that gives LSTALVDT its AE
 * start dates and the death-date source "fatal AE end date".
 *
 * Stage: derive. sap.md sections 1 (start/end imputation, cut-off) and 4
 * (TEAE = ASTDT from TRTSDT to TRTEDT + 28; a missing start is
 * treatment-emergent unless the end is before TRTSDT; related = RELATED,
 * POSSIBLY RELATED or missing; fatal = AEOUT FATAL or grade 5).
 */
#include "derive/derive_int.h"
#include "core/mem.h"
#include "core/jsonerr.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

static char *upper_dup(const char *s)
{
    char *u = xstrdup(s);
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

/*
 * AESI config: {"meddra_version": "26.1", "categories": [{"category":
 * "...", "preferred_terms": ["...", ...]}, ...]}. PTs match AEDECOD
 * case-insensitively; a PT listed twice keeps its first category.
 */
int dx_load_aesi(derive_ctx *c, const char *path)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
    {
        char where[64];
        return tlf_err_set(c->err, TLF_EINPUT, "%s: %s%s", path, je.text,
                           tlf_json_where(where, sizeof where, &je));
    }
    int rc = 0;
    size_t cap = 0, capc = 0;
    json_t *ver = json_object_get(root, "meddra_version");
    json_t *cats = json_object_get(root, "categories");
    if (!json_is_string(ver) || !json_is_array(cats)) {
        rc = tlf_err_set(c->err, TLF_EDATA,
                         "%s: needs \"meddra_version\" (string) and \"categories\" (array)", path);
        goto done;
    }
    snprintf(c->st->meddra_version, sizeof c->st->meddra_version, "%s", json_string_value(ver));
    size_t i;
    json_t *cat;
    json_array_foreach(cats, i, cat) {
        json_t *name = json_object_get(cat, "category");
        json_t *pts = json_object_get(cat, "preferred_terms");
        if (!json_is_string(name) || !json_is_array(pts)) {
            rc = tlf_err_set(c->err, TLF_EDATA,
                             "%s: categories[%zu] needs \"category\" and \"preferred_terms\"", path, i);
            goto done;
        }
        const char *cname = dx_intern(c, json_string_value(name));
        size_t j;
        json_t *pt;
        json_array_foreach(pts, j, pt) {
            if (!json_is_string(pt)) {
                rc = tlf_err_set(c->err, TLF_EDATA, "%s: categories[%zu].preferred_terms[%zu] is not a string",
                                 path, i, j);
                goto done;
            }
            XGROW(c->aesi_pt, cap, c->naesi + 1);
            XGROW(c->aesi_cat, capc, c->naesi + 1);
            c->aesi_pt[c->naesi] = upper_dup(json_string_value(pt));
            c->aesi_cat[c->naesi++] = cname;
        }
    }
done:
    json_decref(root);
    return rc;
}

static const char *aesi_of(const derive_ctx *c, const char *pt)
{
    if (!pt)
        return NULL;
    for (size_t i = 0; i < c->naesi; i++)
        if (strcasecmp(c->aesi_pt[i], pt) == 0)
            return c->aesi_cat[i];
    return NULL;
}

/* First pass: AE start dates as contacts; the fatal AE's end date as the
 * third death-date source (the earliest when several). */
int dx_ae_scan(derive_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int rc = dx_prepare(c, c->sdtm, "SELECT USUBJID, AESEQ, AESTDTC, AEENDTC, AEOUT FROM AE", &st,
                        "table AE");
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *u = dx_text(st, 0);
        long seq = (long)sqlite3_column_int64(st, 1);
        subject *s = dx_row_subject(c, u, "AE", seq);
        if (!s)
            continue;
        tlf_pdate ps, pe;
        dx_date(c, dx_text(st, 2), &ps, "AE", u, seq, "AESTDTC");
        dx_date(c, dx_text(st, 3), &pe, "AE", u, seq, "AEENDTC");
        tlf_day first = tlf_pdate_first(&ps);
        if (first != TLF_NODAY && first > c->cutoff)
            continue;   /* counted in the ADAE pass */
        dx_contact(c, s, tlf_pdate_complete(&ps), "AE", seq);
        if (is(dx_text(st, 4), "FATAL") && pe.prec) {
            tlf_pdate old;
            if (!s->ae_dthdtc || (tlf_pdate_parse(s->ae_dthdtc, &old) == 0 &&
                                  tlf_pdate_first(&pe) < tlf_pdate_first(&old))) {
                free(s->ae_dthdtc);
                s->ae_dthdtc = xstrdup(dx_text(st, 3));
                s->ae_dth_seq = seq;
            }
        }
    }
    rc = rc == SQLITE_DONE ? 0 : dx_sqlfail(c, c->sdtm, "table AE");
    sqlite3_finalize(st);
    return rc;
}

typedef struct ae_rec {
    long seq;
    char *spid, *term, *decod, *bodsys, *toxgr, *ser, *rel, *acn, *out, *stdtc, *endtc;
    int grade;              /* 1..5, 0 missing */
    tlf_day ast, aen;
    char astf, aenf;
    int teae, wpt, wsoc, wany;
} ae_rec;

static void ae_clear(ae_rec *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].spid);
        free(r[i].term);
        free(r[i].decod);
        free(r[i].bodsys);
        free(r[i].toxgr);
        free(r[i].ser);
        free(r[i].rel);
        free(r[i].acn);
        free(r[i].out);
        free(r[i].stdtc);
        free(r[i].endtc);
    }
}

/* Whether a beats b as the worst: higher grade, then earlier start, then
 * lower AESEQ. */
static int worse(const ae_rec *a, const ae_rec *b)
{
    if (a->grade != b->grade)
        return a->grade > b->grade;
    if (a->ast != b->ast) {
        if (a->ast == TLF_NODAY)
            return 0;
        if (b->ast == TLF_NODAY)
            return 1;
        return a->ast < b->ast;
    }
    return a->seq < b->seq;
}

static int same(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* One TEAE in a grouping for the worst-grade flags: its group (PT, SOC
 * or none) and where it is. */
typedef struct worst_key {
    const ae_rec *r;
    const char *group;      /* NULL is a group of its own, as same() says */
    size_t i;
} worst_key;

static int cmp_worst(const void *pa, const void *pb)
{
    const worst_key *a = pa, *b = pb;
    if (a->group != b->group) {
        if (!a->group || !b->group)
            return a->group ? 1 : -1;
        int c = strcmp(a->group, b->group);
        if (c)
            return c;
    }
    if (worse(a->r, b->r))
        return -1;
    if (worse(b->r, a->r))
        return 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Flag (through flag_of) every TEAE that no TEAE of its group beats. worse()
 * compares (grade, start, AESEQ) lexicographically, a strict weak order, so
 * "none beats it" means "the group's first in that order does not beat it":
 * sorting by group then worst first answers for all in O(n log n) (the
 * pairwise scan was O(n^2): 100,000 AEs of one subject took minutes, found
 * by the bad-input corpus). */
static void flag_worst(ae_rec *r, size_t n, worst_key *w, int by, int *(*flag_of)(ae_rec *))
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].teae)
            w[m++] = (worst_key){&r[i], by == 0 ? r[i].decod : by == 1 ? r[i].bodsys : NULL, i};
    qsort(w, m, sizeof *w, cmp_worst);
    for (size_t k = 0, first = 0; k < m; k++) {
        if (!same(w[first].group, w[k].group))    /* sorted by group: a new one starts */
            first = k;
        *flag_of(&r[w[k].i]) = !worse(w[first].r, w[k].r);
    }
}

static int *flag_pt(ae_rec *a) { return &a->wpt; }
static int *flag_soc(ae_rec *a) { return &a->wsoc; }
static int *flag_any(ae_rec *a) { return &a->wany; }

/* Worst-grade flags among a subject's TEAEs: per PT, per SOC, overall. */
static void worst_flags(ae_rec *r, size_t n)
{
    worst_key *w = xcalloc(n ? n : 1, sizeof *w);
    flag_worst(r, n, w, 0, flag_pt);
    flag_worst(r, n, w, 1, flag_soc);
    flag_worst(r, n, w, 2, flag_any);
    free(w);
}

static int write_subject(derive_ctx *c, dx_ins *ins, const subject *s, ae_rec *r, size_t n)
{
    worst_flags(r, n);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        ae_rec *a = &r[i];
        int k = 1;
        const char *aesi = aesi_of(c, a->decod);
        dx_bind_text(ins, k++, s->studyid);
        dx_bind_text(ins, k++, s->usubjid);
        dx_bind_text(ins, k++, s->armcd);
        dx_bind_text(ins, k++, s->fas ? "Y" : "N");
        dx_bind_day(ins, k++, s->trtsdt.day);
        dx_bind_day(ins, k++, s->trtedt.day);
        dx_bind_int64(ins, k++, a->seq);
        dx_bind_text(ins, k++, a->spid);
        dx_bind_text(ins, k++, a->term);
        dx_bind_text(ins, k++, a->decod);
        dx_bind_text(ins, k++, a->bodsys);
        dx_bind_text(ins, k++, a->toxgr);
        dx_bind_int(ins, k++, a->grade, a->grade > 0);
        dx_bind_text(ins, k++, a->ser);
        dx_bind_text(ins, k++, a->rel);
        dx_bind_text(ins, k++, a->acn);
        dx_bind_text(ins, k++, a->out);
        dx_bind_text(ins, k++, a->stdtc);
        dx_bind_text(ins, k++, a->endtc);
        dx_bind_day(ins, k++, a->ast);
        dx_bind_flag(ins, k++, a->astf);
        dx_bind_int(ins, k++, tlf_study_day(a->ast, s->day1), 1);
        dx_bind_day(ins, k++, a->aen);
        dx_bind_flag(ins, k++, a->aenf);
        dx_bind_int(ins, k++, tlf_study_day(a->aen, s->day1), 1);
        dx_bind_flag(ins, k++, a->teae ? 'Y' : 0);
        dx_bind_flag(ins, k++, !a->rel || is(a->rel, "RELATED") || is(a->rel, "POSSIBLY RELATED") ? 'Y' : 0);
        dx_bind_flag(ins, k++, is(a->ser, "Y") ? 'Y' : 0);
        dx_bind_flag(ins, k++, is(a->out, "FATAL") || a->grade == 5 ? 'Y' : 0);
        dx_bind_flag(ins, k++, is(a->acn, "DRUG WITHDRAWN") ? 'Y' : 0);
        dx_bind_flag(ins, k++, aesi ? 'Y' : 0);
        dx_bind_text(ins, k++, aesi);
        dx_bind_flag(ins, k++, a->wpt ? 'Y' : 0);
        dx_bind_flag(ins, k++, a->wsoc ? 'Y' : 0);
        dx_bind_flag(ins, k++, a->wany ? 'Y' : 0);
        dx_bind_text(ins, k++, "AE");
        dx_bind_int64(ins, k++, a->seq);
        rc = dx_step_insert(c, ins, "ADAE");
        c->st->n_adae += ins != NULL;
    }
    return rc;
}

int dx_adae(derive_ctx *c)
{
    sqlite3_stmt *st = NULL;
    dx_ins *ins = NULL;
    ae_rec *r = NULL;
    size_t n = 0, cap = 0;
    subject *cur = NULL;
    int rc = dx_create(c, "ADAE",
                       "STUDYID TEXT, USUBJID TEXT, ARMCD TEXT, SAFFL TEXT, TRTSDT TEXT, TRTEDT TEXT,"
                       " AESEQ INTEGER, AESPID TEXT, AETERM TEXT, AEDECOD TEXT, AEBODSYS TEXT,"
                       " AETOXGR TEXT, ATOXGRN INTEGER, AESER TEXT, AEREL TEXT, AEACN TEXT, AEOUT TEXT,"
                       " AESTDTC TEXT, AEENDTC TEXT, ASTDT TEXT, ASTDTF TEXT, ASTDY INTEGER,"
                       " AENDT TEXT, AENDTF TEXT, AENDY INTEGER, TRTEMFL TEXT, AERELFL TEXT,"
                       " AESERFL TEXT, AEFATFL TEXT, AEWDFL TEXT, AESIFL TEXT, AESICAT TEXT,"
                       " WGRPTFL TEXT, WGRSOCFL TEXT, WGRANYFL TEXT, SRCDOM TEXT, SRCSEQ INTEGER",
                       &ins);
    if (!rc)
        rc = dx_prepare(c, c->sdtm,
                        "SELECT USUBJID, AESEQ, AESPID, AETERM, AEDECOD, AEBODSYS, AETOXGR, AESER,"
                        " AEREL, AEACN, AEOUT, AESTDTC, AEENDTC FROM AE ORDER BY USUBJID, AESEQ",
                        &st, "table AE");
    while (!rc) {
        int step = sqlite3_step(st);
        if (step != SQLITE_ROW && step != SQLITE_DONE) {
            rc = dx_sqlfail(c, c->sdtm, "table AE");
            break;
        }
        subject *s = step == SQLITE_ROW && !dx_excluded(c, dx_text(st, 0), "AE")
                         ? dx_find(c, dx_text(st, 0)) : NULL;
        if (cur && (step == SQLITE_DONE || s != cur)) {
            rc = write_subject(c, ins, cur, r, n);
            ae_clear(r, n);
            n = 0;
        }
        cur = s;
        if (step == SQLITE_DONE || rc)
            break;
        if (!s)
            continue;   /* reported in the first pass */
        long seq = (long)sqlite3_column_int64(st, 1);
        tlf_pdate ps, pe;
        /* an invalid date parses as missing; the first pass reported it */
        (void)tlf_pdate_parse(dx_text(st, 11), &ps);
        (void)tlf_pdate_parse(dx_text(st, 12), &pe);
        if (dx_after_cutoff(c, &ps, "AE"))
            continue;
        XGROW(r, cap, n + 1);
        ae_rec *a = &r[n++];
        memset(a, 0, sizeof *a);
        a->seq = seq;
        a->spid = xstrdup(dx_text(st, 2));
        a->term = xstrdup(dx_text(st, 3));
        a->decod = xstrdup(dx_text(st, 4));
        a->bodsys = xstrdup(dx_text(st, 5));
        a->toxgr = xstrdup(dx_text(st, 6));
        a->ser = xstrdup(dx_text(st, 7));
        a->rel = xstrdup(dx_text(st, 8));
        a->acn = xstrdup(dx_text(st, 9));
        a->out = xstrdup(dx_text(st, 10));
        a->stdtc = xstrdup(dx_text(st, 11));
        a->endtc = xstrdup(dx_text(st, 12));
        if (a->toxgr) {
            if (strlen(a->toxgr) == 1 && a->toxgr[0] >= '1' && a->toxgr[0] <= '5')
                a->grade = a->toxgr[0] - '0';
            else
                dx_issue(c, "ERROR", "AE", s->usubjid, seq, "AETOXGR", a->toxgr,
                         "grade is not 1-5; treated as missing");
        }
        a->aen = tlf_impute_end(&pe, s->dead ? s->dth.day : TLF_NODAY, c->cutoff, &a->aenf);
        a->ast = tlf_impute_start(&ps, s->day1, a->aen, &a->astf);
        tlf_day ts = s->trtsdt.day, te = s->trtedt.day;
        if (ts != TLF_NODAY) {
            if (a->ast != TLF_NODAY)
                a->teae = a->ast >= ts && te != TLF_NODAY && a->ast <= te + 28;
            else
                a->teae = !(a->aen != TLF_NODAY && a->aen < ts);
        }
    }
    if (n)
        ae_clear(r, n);
    free(r);
    sqlite3_finalize(st);
    dx_ins_free(ins);
    return rc;
}
