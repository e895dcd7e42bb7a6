/*
 * adtte.c - ADTTE: overall survival (OS), progression-free survival (PFS)
 * and time to treatment failure (TFF) per FAS and HC subject, in the
 * 52-week analysis period, with the data cut-off applied.
 *
 * Stage: derive. sap.md section 3: AVAL = ADT - day 1 + 1; CNSR 0 event,
 * 1 event-free through the landmark day (censored there; week 52 in the
 * demo), 2 last known alive before it, 3 last IP assessment without
 * progression before it (PFS), 4 no post-baseline IP assessment (PFS, day
 * 1). An event after the landmark day is no event. Also reads CM for the
 * TFF component "additional immunosuppressant" (the configured CMCAT).
 */
#include "derive/derive_int.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Event descriptions written here (derive_tte_event_levels lists them). */
#define TTE_DEATH "DEATH"
#define TTE_PROG "IP PROGRESSION"

int dx_cm_scan(derive_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int rc = dx_prepare(c, c->sdtm,
                        "SELECT USUBJID, CMSEQ, CMCAT, CMSTDTC, CMENDTC FROM CM", &st, "table CM");
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *u = dx_text(st, 0);
        long seq = (long)sqlite3_column_int64(st, 1);
        subject *s = dx_row_subject(c, u, "CM", seq);
        if (!s)
            continue;
        tlf_pdate ps, pe;
        dx_date(c, dx_text(st, 3), &ps, "CM", u, seq, "CMSTDTC");
        dx_date(c, dx_text(st, 4), &pe, "CM", u, seq, "CMENDTC");
        if (dx_after_cutoff(c, &ps, "CM"))
            continue;
        const char *cat = dx_text(st, 2);
        if (!cat || strcmp(cat, c->study->ev_addl_immuno) != 0 || s->day1 == TLF_NODAY)
            continue;
        char fe, fs;
        tlf_day end = tlf_impute_end(&pe, TLF_NODAY, c->cutoff, &fe);
        tlf_day start = tlf_impute_start(&ps, s->day1, end, &fs);
        if (start == TLF_NODAY || start < s->day1)
            continue;
        if (s->cm_is.day == TLF_NODAY || start < s->cm_is.day) {
            src_day v = {start, "CM", seq, fs, c->txt_cm_started};
            s->cm_is = v;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : dx_sqlfail(c, c->sdtm, "table CM");
    sqlite3_finalize(st);
    return rc;
}

/* One analysis record: the date, its source, and the reason. */
typedef struct tte {
    src_day adt;
    int cnsr;
    const char *evntdesc, *cnsdtdsc;
} tte;

/* The earliest of the candidate events (ties: the first in the list). */
static src_day first_event(const src_day *const *cand, int n)
{
    src_day best = {TLF_NODAY, NULL, -1, 0, NULL};
    for (int i = 0; i < n; i++)
        if (cand[i]->day != TLF_NODAY && (best.day == TLF_NODAY || cand[i]->day < best.day))
            best = *cand[i];
    return best;
}

/* Censoring at the last known alive date capped at the landmark day (OS,
 * TFF); d365 is that day's date. */
static tte censor_alive(const derive_ctx *c, const subject *s, tlf_day d365, int event_after_365)
{
    tte t = {s->lstalv, 2, NULL, "LAST KNOWN ALIVE DATE"};
    if (event_after_365 || s->lstalv.day == TLF_NODAY || s->lstalv.day >= d365) {
        src_day v = {d365, s->lstalv.dom, s->lstalv.seq, 0, NULL};
        if (s->lstalv.day == TLF_NODAY && !event_after_365) {
            /* no contact at all: day 1 (DM RFSTDTC) */
            v.day = s->day1;
            v.dom = "DM";
            v.seq = -1;
            t.adt = v;
            t.cnsdtdsc = "NO CONTACT AFTER DAY 1";
            return t;
        }
        t.adt = v;
        t.cnsr = 1;
        t.cnsdtdsc = event_after_365 ? c->txt_efree_after : c->txt_efree;
    }
    return t;
}

static tte derive_os(const derive_ctx *c, const subject *s, tlf_day d365)
{
    if (s->dead && s->dth.day <= d365) {
        tte t = {s->dth, 0, TTE_DEATH, NULL};
        return t;
    }
    if (s->dead) {
        tte t = censor_alive(c, s, d365, 1);
        t.adt.dom = s->dth.dom;
        t.adt.seq = s->dth.seq;
        t.cnsdtdsc = c->txt_alive_after;
        return t;
    }
    return censor_alive(c, s, d365, 0);
}

static tte derive_pfs(const derive_ctx *c, const subject *s, tlf_day d365)
{
    const src_day *cand[2] = {&s->prog, &s->dth};
    src_day ev = first_event(cand, 2);
    if (ev.day != TLF_NODAY && ev.day <= d365) {
        tte t = {ev, 0, s->prog.day == ev.day ? TTE_PROG : TTE_DEATH, NULL};
        return t;
    }
    if (s->last_nonprog.day == TLF_NODAY) {
        src_day v = {s->day1, "DM", -1, 0, NULL};
        tte t = {v, 4, NULL, "NO POST-BASELINE IP ASSESSMENT (CENSORED AT DAY 1)"};
        return t;
    }
    if (s->last_nonprog.day >= d365) {
        src_day v = s->last_nonprog;
        v.day = d365;
        tte t = {v, 1, NULL, c->txt_efree};
        return t;
    }
    tte t = {s->last_nonprog, 3, NULL, "LAST IP ASSESSMENT WITHOUT PROGRESSION"};
    return t;
}

static tte derive_tff(const derive_ctx *c, subject *s, tlf_day d365)
{
    src_day dth = s->dth, none = {TLF_NODAY, NULL, -1, 0, NULL};
    dth.desc = TTE_DEATH;
    /* ties: progression, immunosuppressant, tacrolimus stop, death; the
     * tacrolimus component does not apply to historical controls */
    const src_day *cand[4] = {&s->prog, &s->cm_is, s->hc ? &none : &s->tac_stop, &dth};
    s->tff = first_event(cand, 4);
    if (s->tff.day != TLF_NODAY && s->tff.day <= d365) {
        tte t = {s->tff, 0, s->tff.desc, NULL};
        return t;
    }
    return censor_alive(c, s, d365, s->tff.day != TLF_NODAY);
}

int dx_adtte(derive_ctx *c)
{
    dx_ins *ins = NULL;
    int rc = dx_create(c, "ADTTE",
                       "STUDYID TEXT, USUBJID TEXT, ARMCD TEXT, FASFL TEXT, PPSFL TEXT, HCFL TEXT,"
                       " PARAMCD TEXT, PARAM TEXT, STARTDT TEXT, ADT TEXT, ADTF TEXT, ADY INTEGER,"
                       " AVAL REAL, AVALU TEXT, CNSR INTEGER, EVNTDESC TEXT, CNSDTDSC TEXT,"
                       " SRCDOM TEXT, SRCSEQ INTEGER",
                       &ins);
    static const char *paramcd[3] = {"OS", "PFS", "TFF"};
    static const char *param[3] = {"Overall survival (days)", "Progression-free survival (days)",
                                   "Time to treatment failure (days)"};
    const char *yn[2] = {"N", "Y"};
    for (size_t i = 0; i < c->nsubj && !rc; i++) {
        subject *s = &c->subj[i];
        if (!(s->fas || s->hc))
            continue;
        if (dx_excluded(c, s->usubjid, "RS") || dx_excluded(c, s->usubjid, "CM"))
            continue;   /* its endpoints are unknown, not event-free */
        if (s->day1 == TLF_NODAY) {
            dx_issue(c, "ERROR", "DM", s->usubjid, -1, "RFSTDTC", NULL,
                     "no day 1: left out of the time-to-event analyses");
            continue;
        }
        tlf_day d365 = tlf_day_of_study_day(c->study->landmark_day, s->day1);
        tte t[3] = {derive_os(c, s, d365), derive_pfs(c, s, d365), derive_tff(c, s, d365)};
        for (int p = 0; p < 3 && !rc; p++) {
            int k = 1;
            dx_bind_text(ins, k++, s->studyid);
            dx_bind_text(ins, k++, s->usubjid);
            dx_bind_text(ins, k++, s->armcd);
            dx_bind_text(ins, k++, yn[s->fas]);
            dx_bind_text(ins, k++, yn[s->pps]);
            dx_bind_text(ins, k++, yn[s->hc]);
            dx_bind_text(ins, k++, paramcd[p]);
            dx_bind_text(ins, k++, param[p]);
            dx_bind_day(ins, k++, s->day1);
            dx_bind_day(ins, k++, t[p].adt.day);
            dx_bind_flag(ins, k++, t[p].cnsr == 0 ? t[p].adt.flag : 0);
            int ady = tlf_study_day(t[p].adt.day, s->day1);
            dx_bind_int(ins, k++, ady, 1);
            /* AVAL = ADT - day 1 + 1 (sap.md section 3) */
            dx_bind_real(ins, k++, (double)(t[p].adt.day - s->day1 + 1), t[p].adt.day != TLF_NODAY);
            dx_bind_text(ins, k++, "DAYS");
            dx_bind_int(ins, k++, t[p].cnsr, 1);
            dx_bind_text(ins, k++, t[p].evntdesc);
            dx_bind_text(ins, k++, t[p].cnsdtdsc);
            dx_bind_text(ins, k++, t[p].adt.dom);
            dx_bind_int(ins, k++, (int)t[p].adt.seq, t[p].adt.dom && t[p].adt.seq >= 0);
            rc = dx_step_insert(c, ins, "ADTTE");
            c->st->n_adtte += ins != NULL;
        }
    }
    dx_ins_free(ins);
    return rc;
}

char **derive_tte_event_levels(const tlf_study *st, const char *paramcd, size_t *n)
{
    *n = 0;
    int os = strcmp(paramcd, "OS") == 0, pfs = strcmp(paramcd, "PFS") == 0;
    int tff = strcmp(paramcd, "TFF") == 0;
    if (!os && !pfs && !tff)
        return NULL;
    /* the same texts as derive_os / derive_pfs / derive_tff write */
    char **v = xmalloc((3 + st->n_ev_failure_reasons) * sizeof *v);
    v[(*n)++] = xstrdup(TTE_DEATH);
    if (pfs || tff)
        v[(*n)++] = xstrdup(TTE_PROG);
    if (tff) {
        v[(*n)++] = xasprintf("%s STARTED", st->ev_addl_immuno);
        for (size_t k = 0; k < st->n_ev_failure_reasons; k++)
            v[(*n)++] = xasprintf("%s STOPPED FOR %s", st->drug_extrt, st->ev_failure_reasons[k]);
    }
    return v;
}
