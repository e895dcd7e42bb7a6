/*
 * adex.c - ADEX: study drug exposure (duration, total and mean daily
 * dose) and glucocorticoid dose as the reference-glucocorticoid equivalent
 * (mg/day and mg/kg/day by baseline weight on the target day of each
 * analysis visit, and cumulative to the landmark day including pulses).
 * Which EXTRT is the study drug and each glucocorticoid's factor come from
 * the study configuration.
 *
 * Stage: derive. sap.md section 3 ("GC dose": methylprednisolone x 1.25)
 * and section 1 (start/end imputation; an empty EXENDTC is ongoing at the
 * cut-off). EX is streamed ORDER BY USUBJID, EXSEQ.
 */
#include "derive/derive_int.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ex_rec {
    long seq;
    int drug;               /* 1: the study drug                      */
    double factor;          /* glucocorticoid equivalence factor, 0 other */
    double dose;
    tlf_day start, end;
} ex_rec;

/* Days of [a, b] inside [lo, hi] (0 when disjoint). */
static long overlap(tlf_day a, tlf_day b, tlf_day lo, tlf_day hi)
{
    tlf_day x = a > lo ? a : lo, y = b < hi ? b : hi;
    return y >= x ? (long)(y - x + 1) : 0;
}

typedef struct ex_out {
    derive_ctx *c;
    dx_ins *ins;
    const subject *s;
} ex_out;

static int put(ex_out *o, const char *paramcd, const char *param, double aval, const char *unit,
               int avisitn, tlf_day adt, long seq)
{
    const subject *s = o->s;
    const char *yn[2] = {"N", "Y"};
    dx_ins *ins = o->ins;
    int k = 1;
    dx_bind_text(ins, k++, s->studyid);
    dx_bind_text(ins, k++, s->usubjid);
    dx_bind_text(ins, k++, s->armcd);
    dx_bind_text(ins, k++, yn[s->fas]);
    dx_bind_text(ins, k++, yn[s->fas]);
    dx_bind_text(ins, k++, yn[s->hc]);
    dx_bind_text(ins, k++, paramcd);
    dx_bind_text(ins, k++, param);
    dx_bind_real(ins, k++, aval, 1);
    dx_bind_text(ins, k++, unit);
    dx_bind_text(ins, k++, avisitn >= 0 ? dx_avisit_name(o->c, avisitn) : NULL);
    dx_bind_int(ins, k++, avisitn, avisitn >= 0);
    dx_bind_day(ins, k++, adt);
    dx_bind_int(ins, k++, tlf_study_day(adt, s->day1), 1);
    dx_bind_text(ins, k++, "EX");
    dx_bind_int(ins, k++, (int)seq, seq >= 0);
    o->c->st->n_adex++;
    return dx_step_insert(o->c, ins, "ADEX");
}

static int write_subject(ex_out *o, const ex_rec *r, size_t n)
{
    const subject *s = o->s;
    const tlf_study *st = o->c->study;
    const derive_ctx *c = o->c;
    int rc = 0;
    char lab[160];
    if (s->day1 == TLF_NODAY)
        return 0;
    tlf_day ts = s->trtsdt.day, te = s->trtedt.day;
    if (s->fas && ts != TLF_NODAY && te != TLF_NODAY) {
        int dur = te - ts + 1;
        double total = 0;
        for (size_t i = 0; i < n; i++)
            if (r[i].drug && r[i].dose > 0)
                total += r[i].dose * (double)overlap(r[i].start, r[i].end, ts, te);
        snprintf(lab, sizeof lab, "%s exposure duration (days)", st->drug_label);
        rc = put(o, "TRTDURD", lab, dur, "DAYS", -1, te, s->trtedt.seq);
        snprintf(lab, sizeof lab, "%s total dose (mg)", st->drug_label);
        if (!rc)
            rc = put(o, "TACTOT", lab, total, "mg", -1, te, -1);
        snprintf(lab, sizeof lab, "%s mean daily dose (mg/day)", st->drug_label);
        if (!rc)
            rc = put(o, "TACMDD", lab, total / dur, "mg/day", -1, te, -1);
    }
    /* GC dose on the target day of each analysis visit, within follow-up */
    tlf_day follow = s->lstalv.day;
    if (s->dead && (follow == TLF_NODAY || s->dth.day > follow))
        follow = s->dth.day;
    const double wt = c->bl_weight >= 0 && s->has_bl[c->bl_weight] ? s->bl[c->bl_weight] : 0;
    for (int v = -1; v < (int)st->n_visits && !rc; v++) {
        int avn = v < 0 ? 0 : st->visits[v].number;
        tlf_day day = v < 0 ? s->day1 : tlf_day_of_study_day(st->visits[v].target_day, s->day1);
        if (follow == TLF_NODAY || day > follow || day > o->c->cutoff)
            break;
        double mg = 0;
        long seq = -1;
        for (size_t i = 0; i < n; i++)
            if (r[i].factor > 0 && overlap(r[i].start, r[i].end, day, day)) {
                mg += r[i].factor * r[i].dose;
                if (seq < 0)
                    seq = r[i].seq;
            }
        snprintf(lab, sizeof lab, "Glucocorticoid dose, %s equivalent (mg/day)", st->gc_equivalent);
        rc = put(o, "PREDDOSE", lab, mg, "mg/day", avn, day, seq);
        snprintf(lab, sizeof lab, "Glucocorticoid dose, %s equivalent (mg/kg/day)", st->gc_equivalent);
        if (!rc && wt > 0)
            rc = put(o, "PREDDKG", lab, mg / wt, "mg/kg/day", avn, day, seq);
    }
    if (rc)
        return rc;
    /* cumulative to the landmark day (not past the cut-off or death),
     * pulses included */
    tlf_day hi = tlf_day_of_study_day(st->landmark_day, s->day1);
    if (hi > o->c->cutoff)
        hi = o->c->cutoff;
    if (s->dead && s->dth.day < hi)
        hi = s->dth.day;
    double cum = 0;
    int any = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].factor > 0) {
            any = 1;
            cum += r[i].factor * r[i].dose * (double)overlap(r[i].start, r[i].end, s->day1, hi);
        }
    if (!any)
        return 0;
    snprintf(lab, sizeof lab, "Cumulative glucocorticoid dose, %s equivalent, to day %d (mg)",
             st->gc_equivalent, st->landmark_day);
    rc = put(o, "CUMPRED", lab, cum, "mg", -1, hi, -1);
    snprintf(lab, sizeof lab, "Cumulative glucocorticoid dose, %s equivalent, to day %d (mg/kg)",
             st->gc_equivalent, st->landmark_day);
    if (!rc && wt > 0)
        rc = put(o, "CUMPRDKG", lab, cum / wt, "mg/kg", -1, hi, -1);
    return rc;
}

static int adex_job(derive_ctx *c, size_t i)
{
    (void)i;
    sqlite3_stmt *st = NULL;
    dx_ins *ins = NULL;
    ex_rec *r = NULL;
    size_t n = 0, cap = 0;
    subject *cur = NULL;
    int rc = dx_create(c, "ADEX",
                       "STUDYID TEXT, USUBJID TEXT, ARMCD TEXT, FASFL TEXT, SAFFL TEXT, HCFL TEXT,"
                       " PARAMCD TEXT, PARAM TEXT, AVAL REAL, AVALU TEXT, AVISIT TEXT, AVISITN INTEGER,"
                       " ADT TEXT, ADY INTEGER, SRCDOM TEXT, SRCSEQ INTEGER",
                       &ins);
    if (!rc)
        rc = dx_prepare(c, c->sdtm,
                        "SELECT USUBJID, EXSEQ, EXTRT, EXDOSE, EXSTDTC, EXENDTC FROM EX"
                        " ORDER BY USUBJID, EXSEQ",
                        &st, "table EX");
    while (!rc) {
        int step = sqlite3_step(st);
        if (step != SQLITE_ROW && step != SQLITE_DONE) {
            rc = dx_sqlfail(c, c->sdtm, "table EX");
            break;
        }
        subject *s = step == SQLITE_ROW ? dx_find(c, dx_text(st, 0)) : NULL;
        if (cur && (step == SQLITE_DONE || s != cur)) {
            ex_out o = {c, ins, cur};
            rc = write_subject(&o, r, n);
            n = 0;
        }
        cur = s;
        if (step == SQLITE_DONE || rc)
            break;
        if (!s)
            continue;   /* reported in the first pass */
        tlf_pdate ps, pe;
        /* an invalid date parses as missing; the first pass reported it */
        (void)tlf_pdate_parse(dx_text(st, 4), &ps);
        (void)tlf_pdate_parse(dx_text(st, 5), &pe);
        tlf_day first = tlf_pdate_first(&ps);
        if (first == TLF_NODAY || first > c->cutoff)
            continue;   /* no start: no exposure period; after the cut-off: left out */
        const char *trt = dx_text(st, 2);
        double dose = 0;
        if (sqlite3_column_type(st, 3) != SQLITE_INTEGER && sqlite3_column_type(st, 3) != SQLITE_FLOAT)
            continue;   /* missing or text dose: reported in the first pass */
        dose = sqlite3_column_double(st, 3);
        XGROW(r, cap, n + 1);
        ex_rec *e = &r[n++];
        e->seq = (long)sqlite3_column_int64(st, 1);
        const tlf_study_gc *gc = tlf_study_gc_find(c->study, trt);
        e->drug = trt && strcmp(trt, c->study->drug_extrt) == 0;
        e->factor = gc ? gc->factor : 0;
        e->dose = dose;
        char f;
        tlf_day death = s->dead ? s->dth.day : TLF_NODAY;
        e->end = pe.prec ? tlf_impute_end(&pe, death, c->cutoff, &f) : c->cutoff;
        if (death != TLF_NODAY && e->end > death)
            e->end = death;
        e->start = tlf_impute_start(&ps, s->day1, e->end, &f);
    }
    free(r);
    sqlite3_finalize(st);
    dx_ins_free(ins);
    return rc;
}

/* On a thread of its own (dx_domain_jobs), reading EX on its own
 * connection, while this thread writes the rows it records: ADEX is the
 * one large dataset written after ADSL (2.6 million records, 14 s of the
 * 120k study's derivation with the other core idle, issue 16). It reads
 * the subjects and changes none of them. */
int dx_adex(derive_ctx *c)
{
    if (!dx_wanted(c, "ADEX"))
        return 0;   /* nothing else depends on it and it finds no issue */
    return dx_domain_jobs(c, 1, adex_job);
}
