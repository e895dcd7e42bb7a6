/*
 * adsl.c - ADSL, one row per subject: analysis sets (sap.md section 2),
 * subject characteristics (SC), disposition (DS), exposure dates TRTSDT /
 * TRTEDT (EX), last known alive date and death date (sap.md section 1),
 * and the baseline values of the parameters the study configuration gives
 * a `baseline` variable (the ABLFL record's AVAL, kept by adbds.c).
 *
 * Stage: derive. Reads DM (through derive.c), SC, DV, DS, EX; writes ADSL.
 */
#include "derive/derive_int.h"
#include "core/buf.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

static int eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int load_sc(derive_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int rc = dx_prepare(c, c->sdtm, "SELECT USUBJID, SCTESTCD, SCSTRESC, SCORRES FROM SC", &st,
                        "table SC");
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        subject *s = dx_row_subject(c, dx_text(st, 0), "SC", -1);
        if (!s)
            continue;
        const char *t = dx_text(st, 1);
        const char *v = dx_text(st, 2) ? dx_text(st, 2) : dx_text(st, 3);
        const tlf_study_char *ch = tlf_study_char_find(c->study, t);
        if (ch)
            s->sc[ch - c->study->chars] = dx_intern(c, v);
    }
    rc = rc == SQLITE_DONE ? 0 : dx_sqlfail(c, c->sdtm, "table SC");
    sqlite3_finalize(st);
    return rc;
}

static int load_dv(derive_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int rc = dx_prepare(c, c->sdtm, "SELECT USUBJID, DVSEQ, DVCAT, DVSTDTC FROM DV", &st, "table DV");
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *u = dx_text(st, 0);
        long seq = (long)sqlite3_column_int64(st, 1);
        subject *s = dx_row_subject(c, u, "DV", seq);
        if (!s)
            continue;
        tlf_pdate p;
        dx_date(c, dx_text(st, 3), &p, "DV", u, seq, "DVSTDTC");
        if (dx_after_cutoff(c, &p, "DV"))
            continue;
        if (eq(dx_text(st, 2), "MAJOR"))
            s->major_dv = 1;
    }
    rc = rc == SQLITE_DONE ? 0 : dx_sqlfail(c, c->sdtm, "table DV");
    sqlite3_finalize(st);
    return rc;
}

static int load_ds(derive_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int rc = dx_prepare(c, c->sdtm,
                        "SELECT USUBJID, DSSEQ, DSCAT, DSSCAT, DSDECOD, DSSTDTC FROM DS"
                        " ORDER BY USUBJID, DSSEQ",
                        &st, "table DS");
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *u = dx_text(st, 0);
        long seq = (long)sqlite3_column_int64(st, 1);
        subject *s = dx_row_subject(c, u, "DS", seq);
        if (!s)
            continue;
        const char *cat = dx_text(st, 2), *scat = dx_text(st, 3), *decod = dx_text(st, 4);
        const char *dtc = dx_text(st, 5);
        tlf_pdate p;
        dx_date(c, dtc, &p, "DS", u, seq, "DSSTDTC");
        if (dx_after_cutoff(c, &p, "DS")) {
            if (eq(decod, "DEATH"))
                dx_issue(c, "INFO", "DS", u, seq, "DSSTDTC", dtc, "death after the data cut-off ignored");
            continue;
        }
        char f;
        tlf_day d = tlf_impute_start(&p, s->day1, TLF_NODAY, &f);
        src_day sd = {d, "DS", seq, f, NULL};
        if (eq(cat, "OTHER EVENT") && eq(decod, "LAST KNOWN ALIVE")) {
            dx_contact(c, s, tlf_pdate_complete(&p), "DS", seq);
            continue;
        }
        if (!eq(cat, "DISPOSITION EVENT"))
            continue;
        if (eq(decod, "COMPLETED"))
            dx_contact(c, s, tlf_pdate_complete(&p), "DS", seq);
        if (eq(decod, "DEATH") && !s->ds_dthdtc) {
            s->ds_dthdtc = xstrdup(p.prec ? dtc : NULL);
            s->ds_dth_seq = seq;
        }
        if (eq(scat, "STUDY PARTICIPATION") && !s->eos_decod) {
            s->eos_decod = dx_intern(c, decod);
            s->eos = sd;
        } else if (eq(scat, "STUDY TREATMENT") && !s->eot_decod) {
            s->eot_decod = dx_intern(c, decod);
            s->eot = sd;
            /* stopping the study drug for a configured reason is a TFF
             * event, described "<EXTRT> STOPPED FOR <DSDECOD>" */
            const tlf_study *sty = c->study;
            for (size_t k = 0; k < sty->n_ev_failure_reasons && d != TLF_NODAY; k++)
                if (eq(decod, sty->ev_failure_reasons[k])) {
                    s->tac_stop = sd;
                    char *desc = xasprintf("%s STOPPED FOR %s", sty->drug_extrt, decod);
                    s->tac_stop.desc = dx_intern(c, desc);
                    free(desc);
                    break;
                }
        }
    }
    rc = rc == SQLITE_DONE ? 0 : dx_sqlfail(c, c->sdtm, "table DS");
    sqlite3_finalize(st);
    return rc;
}

int dx_load_sc_dv_ds(derive_ctx *c)
{
    int rc = load_sc(c);
    if (!rc)
        rc = load_dv(c);
    if (!rc)
        rc = load_ds(c);
    return rc;
}

/* EX, first pass: the FAS, TRTSDT/TRTEDT (capped at the cut-off; the
 * death cap follows in dx_death) and EX dates as contacts. */
int dx_load_ex(derive_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int rc = dx_prepare(c, c->sdtm,
                        "SELECT USUBJID, EXSEQ, EXTRT, EXDOSE, EXSTDTC, EXENDTC FROM EX", &st,
                        "table EX");
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *u = dx_text(st, 0);
        long seq = (long)sqlite3_column_int64(st, 1);
        subject *s = dx_row_subject(c, u, "EX", seq);
        if (!s)
            continue;
        tlf_pdate ps, pe;
        dx_date(c, dx_text(st, 4), &ps, "EX", u, seq, "EXSTDTC");
        dx_date(c, dx_text(st, 5), &pe, "EX", u, seq, "EXENDTC");
        if (dx_after_cutoff(c, &ps, "EX"))
            continue;
        dx_contact(c, s, tlf_pdate_complete(&ps), "EX", seq);
        tlf_day ce = tlf_pdate_complete(&pe);
        dx_contact(c, s, ce != TLF_NODAY && ce > c->cutoff ? c->cutoff : ce, "EX", seq);
        double dose = 0;
        int has_dose = dx_num(c, st, 3, &dose, "EX", u, seq, "EXDOSE");
        if (!eq(dx_text(st, 2), c->study->drug_extrt) || !has_dose || !(dose > 0) || !s->enrl)
            continue;
        s->fas = 1;
        char fe, fs;
        tlf_day end = pe.prec ? tlf_impute_end(&pe, TLF_NODAY, c->cutoff, &fe) : c->cutoff;
        if (!pe.prec)
            fe = 0;
        tlf_day start = tlf_impute_start(&ps, s->day1, end, &fs);
        if (start != TLF_NODAY && (s->trtsdt.day == TLF_NODAY || start < s->trtsdt.day)) {
            src_day v = {start, "EX", seq, fs, NULL};
            s->trtsdt = v;
        }
        if (s->trtedt.day == TLF_NODAY || end > s->trtedt.day) {
            src_day v = {end, "EX", seq, fe, NULL};
            s->trtedt = v;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : dx_sqlfail(c, c->sdtm, "table EX");
    sqlite3_finalize(st);
    for (size_t i = 0; i < c->nsubj; i++) {
        subject *s = &c->subj[i];
        s->pps = s->fas && !s->major_dv;
    }
    return rc;
}

/* Death date by source precedence DM > DS DEATH > AE FATAL end; a partial
 * date is completed by a later source that agrees with it, else imputed
 * (sap.md section 1). Deaths after the cut-off are ignored. */
int dx_death(derive_ctx *c)
{
    for (size_t i = 0; i < c->nsubj; i++) {
        subject *s = &c->subj[i];
        const char *raw[3] = {s->dm_dthdtc, s->ds_dthdtc, s->ae_dthdtc};
        const char *dom[3] = {"DM", "DS", "AE"};
        const char *var[3] = {"DTHDTC", "DSSTDTC", "AEENDTC"};
        long seq[3] = {-1, s->ds_dth_seq, s->ae_dth_seq};
        tlf_pdate p[3];
        int first = -1;
        for (int k = 0; k < 3; k++) {
            if (k == 0)
                dx_date(c, raw[k], &p[k], dom[k], s->usubjid, seq[k], var[k]);
            else   /* an invalid date parses as missing; reported when read */
                (void)tlf_pdate_parse(raw[k], &p[k]);
            if (p[k].prec && first < 0)
                first = k;
        }
        for (int k = 0; first >= 0 && k < 3; k++)
            if (k != first && p[k].prec && !tlf_pdate_agree(&p[first], &p[k]))
                dx_issue(c, "WARNING", dom[k], s->usubjid, seq[k], var[k], raw[k],
                         "death date disagrees with the preferred source; preferred source used");
        int use = first;
        if (use >= 0 && p[use].prec != TLF_PD_DAY)
            for (int k = use + 1; k < 3; k++)
                if (p[k].prec == TLF_PD_DAY && tlf_pdate_agree(&p[first], &p[k])) {
                    use = k;
                    break;
                }
        if (use < 0) {
            if (s->dthfl_raw != 'Y')
                continue;
            if (s->lstalv.day == TLF_NODAY) {
                dx_issue(c, "ERROR", "DM", s->usubjid, -1, "DTHFL", "Y",
                         "death without a date and no last known alive date: death date unknown");
                continue;
            }
            tlf_day d = s->lstalv.day + 1;
            if (d > c->cutoff)
                d = c->cutoff;
            src_day v = {d, "DM", -1, 'Y', "DEATH (DATE IMPUTED: DAY AFTER LAST KNOWN ALIVE)"};
            s->dth = v;
            s->dead = 1;
            dx_issue(c, "WARNING", "DM", s->usubjid, -1, "DTHFL", "Y",
                     "DTHFL=Y without a death date: death imputed the day after the last known alive date");
        } else {
            if (dx_after_cutoff(c, &p[use], dom[use])) {
                dx_issue(c, "INFO", dom[use], s->usubjid, seq[use], var[use], raw[use],
                         "death after the data cut-off ignored; subject counted alive");
                continue;
            }
            char f;
            int issue;
            tlf_day d = tlf_impute_death(&p[use], s->lstalv.day, &f, &issue);
            if (issue)
                dx_issue(c, "WARNING", dom[use], s->usubjid, seq[use], var[use], raw[use],
                         "imputed death date passes the end of the known period; end of it used");
            if (d > c->cutoff)
                d = c->cutoff;
            src_day v = {d, dom[use], seq[use], f, "DEATH"};
            s->dth = v;
            s->dead = 1;
            if (s->dthfl_raw != 'Y')
                dx_issue(c, "WARNING", dom[use], s->usubjid, seq[use], var[use], raw[use],
                         "death recorded but DM.DTHFL is not Y; subject counted dead");
        }
        if (s->day1 != TLF_NODAY && s->dth.day < s->day1)
            dx_issue(c, "ERROR", s->dth.dom, s->usubjid, s->dth.seq, "DTHDT", NULL,
                     "death date before day 1");
        if (s->trtedt.day != TLF_NODAY && s->trtedt.day > s->dth.day)
            s->trtedt.day = s->dth.day;
        c->st->n_deaths++;
    }
    return 0;
}

static const char *status_of(const char *decod, int started)
{
    if (decod)
        return strcmp(decod, "COMPLETED") == 0 ? "COMPLETED" : "DISCONTINUED";
    return started ? "ONGOING" : NULL;
}

int dx_adsl(derive_ctx *c)
{
    dx_ins *ins = NULL;
    tlf_buf bl = TLF_BUF_INIT;
    for (int b = 0; b < c->nbl; b++)
        tlf_buf_printf(&bl, " %s REAL,", c->blp[b]->baseline);
    /* one column per subject characteristic of the study (SC) */
    tlf_buf scc = TLF_BUF_INIT;
    for (size_t i = 0; i < c->study->n_chars; i++)
        tlf_buf_printf(&scc, " %s TEXT,", c->study->chars[i].code);
    char *cols = xasprintf("STUDYID TEXT, USUBJID TEXT PRIMARY KEY, SUBJID TEXT, SITEID TEXT, COUNTRY TEXT,"
                           " ARM TEXT, ARMCD TEXT, ACTARMCD TEXT, AGE REAL, AGEU TEXT, SEX TEXT, RACE TEXT,"
                           "%s"
                           " ENRLFL TEXT, FASFL TEXT, PPSFL TEXT, SAFFL TEXT, HCFL TEXT,"
                           " DAY1DT TEXT, TRTSDT TEXT, TRTSDTF TEXT, TRTEDT TEXT, TRTEDTF TEXT, TRTDURD INTEGER,"
                           "%s"
                           " DTHFL TEXT, DTHDT TEXT, DTHDTF TEXT, DTHDY INTEGER, DTHSRC TEXT, DTHSEQ INTEGER,"
                           " LSTALVDT TEXT, LSTALVDY INTEGER, LSTALSRC TEXT, LSTALSEQ INTEGER,"
                           " EOSSTT TEXT, DCSREAS TEXT, EOSDT TEXT, EOTSTT TEXT, DCTREAS TEXT, EOTDT TEXT,"
                           " CUTOFFDT TEXT",
                           tlf_buf_cstr(&scc), tlf_buf_cstr(&bl));
    int rc = dx_create(c, "ADSL", cols, &ins);
    free(cols);
    tlf_buf_free(&bl);
    tlf_buf_free(&scc);
    if (rc)
        return rc;
    for (size_t i = 0; i < c->nsubj && !rc; i++) {
        subject *s = &c->subj[i];
        int k = 1;
        const char *yn[2] = {"N", "Y"};
        dx_bind_text(ins, k++, s->studyid);
        dx_bind_text(ins, k++, s->usubjid);
        dx_bind_text(ins, k++, s->subjid);
        dx_bind_text(ins, k++, s->siteid);
        dx_bind_text(ins, k++, s->country);
        dx_bind_text(ins, k++, s->arm);
        dx_bind_text(ins, k++, s->armcd);
        dx_bind_text(ins, k++, s->actarmcd);
        dx_bind_real(ins, k++, s->age, s->has_age);
        dx_bind_text(ins, k++, s->ageu);
        dx_bind_text(ins, k++, s->sex);
        dx_bind_text(ins, k++, s->race);
        for (size_t j = 0; j < c->study->n_chars; j++)
            dx_bind_text(ins, k++, s->sc[j]);
        dx_bind_text(ins, k++, yn[s->enrl]);
        dx_bind_text(ins, k++, yn[s->fas]);
        dx_bind_text(ins, k++, yn[s->pps]);
        dx_bind_text(ins, k++, yn[s->fas]);
        dx_bind_text(ins, k++, yn[s->hc]);
        dx_bind_day(ins, k++, s->day1);
        dx_bind_day(ins, k++, s->trtsdt.day);
        dx_bind_flag(ins, k++, s->trtsdt.flag);
        dx_bind_day(ins, k++, s->trtedt.day);
        dx_bind_flag(ins, k++, s->trtedt.flag);
        int dur = s->trtsdt.day != TLF_NODAY && s->trtedt.day != TLF_NODAY
                      ? s->trtedt.day - s->trtsdt.day + 1 : TLF_NODAY;
        dx_bind_int(ins, k++, dur, 1);
        for (int b = 0; b < c->nbl; b++)
            dx_bind_real(ins, k++, s->bl[b], s->has_bl[b]);
        dx_bind_text(ins, k++, yn[s->dead]);
        dx_bind_day(ins, k++, s->dth.day);
        dx_bind_flag(ins, k++, s->dth.flag);
        dx_bind_int(ins, k++, tlf_study_day(s->dth.day, s->day1), 1);
        dx_bind_text(ins, k++, s->dth.dom);
        dx_bind_int(ins, k++, (int)s->dth.seq, s->dth.seq >= 0);
        dx_bind_day(ins, k++, s->lstalv.day);
        dx_bind_int(ins, k++, tlf_study_day(s->lstalv.day, s->day1), 1);
        dx_bind_text(ins, k++, s->lstalv.dom);
        dx_bind_int(ins, k++, (int)s->lstalv.seq, s->lstalv.seq >= 0);
        dx_bind_text(ins, k++, status_of(s->eos_decod, s->day1 != TLF_NODAY && s->day1 <= c->cutoff));
        dx_bind_text(ins, k++, s->eos_decod && strcmp(s->eos_decod, "COMPLETED") ? s->eos_decod : NULL);
        dx_bind_day(ins, k++, s->eos.day);
        dx_bind_text(ins, k++, s->fas ? status_of(s->eot_decod, 1) : NULL);
        dx_bind_text(ins, k++, s->fas && s->eot_decod && strcmp(s->eot_decod, "COMPLETED") ? s->eot_decod : NULL);
        dx_bind_day(ins, k++, s->fas ? s->eot.day : TLF_NODAY);
        dx_bind_day(ins, k++, c->cutoff);
        rc = dx_step_insert(c, ins, "ADSL");
        c->st->n_enrolled += s->enrl;
        c->st->n_fas += s->fas;
        c->st->n_pps += s->pps;
        c->st->n_saf += s->fas;
        c->st->n_hc += s->hc;
    }
    dx_ins_free(ins);
    return rc;
}
