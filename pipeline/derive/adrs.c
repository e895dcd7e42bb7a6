/*
 * adrs.c - ADRS: the investigator's disease response (RS, the configured
 * response.testcd; IPRESP in the demo) per record with its analysis visit,
 * and per subject the responder record at the response visit (PARAMCD
 * W52RESP) with its reason; also gathers what PFS and TFF need (first
 * progression after day 1, last assessment without progression). The
 * response and progression values and the response visit come from the
 * study configuration.
 *
 * Stage: derive. sap.md sections 1 (windows) and 3 (PFS, IP response at
 * week 52: the record chosen in the week-52 window is IMPROVED and no TFF
 * event falls on or before its date).
 */
#include "derive/bds.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

int dx_adrs_visits(derive_ctx *c)
{
    sqlite3_stmt *st = NULL;
    dx_ins *ins = NULL;
    bds_group g = {.r = NULL};
    char *cols = bds_columns(", RESPREAS TEXT");
    int rc = dx_create(c, "ADRS", cols, &ins);
    free(cols);
    char *where = sqlite3_mprintf("RSTESTCD = %Q", c->study->resp_testcd);
    if (!rc)
        rc = bds_open(c, &g,
                      "USUBJID, RSSEQ, RSTESTCD, NULL, NULL, NULL, RSSTRESC, NULL, NULL, NULL, NULL,"
                      " VISITNUM, VISIT, RSDTC",
                      "RS", "RSTESTCD", where, "table RS", &st);
    sqlite3_free(where);
    while (!rc && (rc = bds_next_group(c, st, "RS", 1, &g)) == 1) {
        rc = 0;
        subject *s = g.s;
        if (!s)
            continue;
        long b = bds_select(c, &g, "RS", 1);
        for (size_t i = 0; i < g.n && !rc; i++) {
            bds_rec *r = &g.r[i];
            /* PFS inputs: post-baseline assessments (after day 1), in date order */
            if (r->has_aval && r->day != TLF_NODAY && s->day1 != TLF_NODAY && r->day > s->day1 &&
                s->prog.day == TLF_NODAY) {
                src_day v = {r->day, "RS", r->seq, 0, NULL};
                if (is(r->orres, c->study->resp_progression)) {
                    v.desc = "IP PROGRESSION";
                    s->prog = v;
                } else {
                    v.desc = "LAST IP ASSESSMENT WITHOUT PROGRESSION";
                    s->last_nonprog = v;
                }
            }
            if (r->anl && r->avisitn == c->study->resp_visit->number) {
                src_day v = {r->day, "RS", r->seq, 0, NULL};
                s->w52 = v;
                s->w52_res = dx_intern(c, r->orres);
            }
            bds_bind(c, ins, s, "RS", r, b >= 0 ? &g.r[b] : NULL, 1);
            rc = dx_step_insert(c, ins, "ADRS");
            c->st->n_adrs += ins != NULL;
        }
    }
    bds_group_free(&g);
    sqlite3_finalize(st);
    dx_ins_free(ins);
    return rc;
}

/* The week-52 responder rows (FAS and HC subjects), after ADTTE has set
 * each subject's first TFF event (any study day). */
int dx_adrs_w52(derive_ctx *c)
{
    dx_ins *ins = NULL;
    if (!dx_wanted(c, "ADRS"))
        return 0;
    int rc = dx_ins_prepare(c,
                        "INSERT INTO ADRS (STUDYID, USUBJID, ARMCD, FASFL, PPSFL, SAFFL, HCFL,"
                        " PARAMCD, PARAM, AVAL, AVALC, ADT, ADY, AVISIT, AVISITN, ANL01FL, SRCDOM,"
                        " SRCSEQ, RESPREAS) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        &ins, "ADRS");
    const char *yn[2] = {"N", "Y"};
    const tlf_study_visit *vis = c->study->resp_visit;
    char param[128];
    snprintf(param, sizeof param, "Responder at %s", vis->name);
    for (size_t i = 0; i < c->nsubj && !rc; i++) {
        subject *s = &c->subj[i];
        if (!(s->fas || s->hc) || s->day1 == TLF_NODAY || dx_excluded(c, s->usubjid, "RS"))
            continue;
        int resp = 0;
        const char *reason;
        char buf[160];
        const src_day *src = &s->w52;
        if (s->w52.day != TLF_NODAY && s->tff.day != TLF_NODAY && s->tff.day <= s->w52.day) {
            snprintf(buf, sizeof buf, "TREATMENT FAILURE ON OR BEFORE THE %s ASSESSMENT (%s)",
                     vis->name, s->tff.desc);
            reason = buf;
            src = &s->tff;
        } else if (s->w52.day == TLF_NODAY) {
            tlf_day wend = tlf_day_of_study_day(vis->hi, s->day1);
            if (s->tff.day != TLF_NODAY && s->tff.day <= wend) {
                snprintf(buf, sizeof buf, "TREATMENT FAILURE, NO %s ASSESSMENT (%s)", vis->name,
                         s->tff.desc);
                reason = buf;
                src = &s->tff;
            } else {
                snprintf(buf, sizeof buf, "NO ASSESSMENT IN THE %s WINDOW", vis->name);
                reason = buf;
            }
        } else if (is(s->w52_res, c->study->resp_responder)) {
            resp = 1;
            snprintf(buf, sizeof buf, "%s AT %s", s->w52_res, vis->name);
            reason = buf;
        } else {
            snprintf(buf, sizeof buf, "%s AT %s", s->w52_res ? s->w52_res : "MISSING", vis->name);
            reason = buf;
        }
        int k = 1;
        dx_bind_text(ins, k++, s->studyid);
        dx_bind_text(ins, k++, s->usubjid);
        dx_bind_text(ins, k++, s->armcd);
        dx_bind_text(ins, k++, yn[s->fas]);
        dx_bind_text(ins, k++, yn[s->pps]);
        dx_bind_text(ins, k++, yn[s->fas]);
        dx_bind_text(ins, k++, yn[s->hc]);
        dx_bind_text(ins, k++, "W52RESP");
        dx_bind_text(ins, k++, param);
        dx_bind_int(ins, k++, resp, 1);
        dx_bind_text(ins, k++, yn[resp]);
        dx_bind_day(ins, k++, s->w52.day);
        dx_bind_int(ins, k++, tlf_study_day(s->w52.day, s->day1), 1);
        dx_bind_text(ins, k++, vis->name);
        dx_bind_int(ins, k++, vis->number, 1);
        dx_bind_text(ins, k++, "Y");
        dx_bind_text(ins, k++, src->dom);
        dx_bind_int(ins, k++, (int)src->seq, src->dom && src->seq >= 0);
        dx_bind_text(ins, k++, reason);
        rc = dx_step_insert(c, ins, "ADRS");
        c->st->n_adrs += ins != NULL;
    }
    dx_ins_free(ins);
    return rc;
}
