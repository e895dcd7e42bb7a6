/*
 * addv.c - ADDV, one row per protocol deviation (DV) of a DM subject:
 * the deviation as recorded (DVTERM, DVDECOD, DVCAT MAJOR/MINOR), its
 * start date and study day, and the subject's arm and analysis-set flags.
 * Feeds output 14.1.3 and listing 16.2.2 (sap.md section 6).
 *
 * Stage: derive. Runs after ADSL (the flags are final). DV was already
 * read for the PPS (adsl.c), which reported rows of unknown subjects,
 * invalid dates and rows after the cut-off; here those rows are left out
 * (unknown subject, start after the cut-off) or kept with an empty DVSTDT
 * (invalid or partial date) without being reported twice.
 */
#include "derive/derive_int.h"

int dx_addv(derive_ctx *c)
{
    if (!dx_wanted(c, "ADDV"))
        return 0;   /* its rows' issues were reported by adsl.c */
    sqlite3_stmt *st = NULL;
    dx_ins *ins = NULL;
    int rc = dx_create(c, "ADDV",
                       "STUDYID TEXT, USUBJID TEXT, ARMCD TEXT, ENRLFL TEXT, FASFL TEXT,"
                       " PPSFL TEXT, DVSEQ INTEGER, DVTERM TEXT, DVDECOD TEXT, DVCAT TEXT,"
                       " DVSTDTC TEXT, DVSTDT TEXT, DVSTDY INTEGER, SRCDOM TEXT, SRCSEQ INTEGER",
                       &ins);
    if (!rc)
        rc = dx_prepare(c, c->sdtm,
                        "SELECT USUBJID, DVSEQ, DVTERM, DVDECOD, DVCAT, DVSTDTC FROM DV"
                        " ORDER BY USUBJID, DVSEQ",
                        &st, "table DV");
    const char *yn[2] = {"N", "Y"};
    while (!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = 0;
        const subject *s = dx_find(c, dx_text(st, 0));
        if (!s)
            continue;
        tlf_pdate p;
        (void)tlf_pdate_parse(dx_text(st, 5), &p);   /* an invalid date parses as missing */
        tlf_day first = tlf_pdate_first(&p);
        if (first != TLF_NODAY && first > c->cutoff)
            continue;
        tlf_day d = tlf_pdate_complete(&p);
        long seq = (long)sqlite3_column_int64(st, 1);
        int k = 1;
        dx_bind_text(ins, k++, s->studyid);
        dx_bind_text(ins, k++, s->usubjid);
        dx_bind_text(ins, k++, s->armcd);
        dx_bind_text(ins, k++, yn[s->enrl]);
        dx_bind_text(ins, k++, yn[s->fas]);
        dx_bind_text(ins, k++, yn[s->pps]);
        dx_bind_int(ins, k++, (int)seq, sqlite3_column_type(st, 1) != SQLITE_NULL);
        for (int col = 2; col <= 5; col++)
            dx_bind_text(ins, k++, dx_text(st, col));
        dx_bind_day(ins, k++, d);
        int dy = tlf_study_day(d, s->day1);
        dx_bind_int(ins, k++, dy, dy != TLF_NODAY);
        dx_bind_text(ins, k++, "DV");
        dx_bind_int(ins, k++, (int)seq, sqlite3_column_type(st, 1) != SQLITE_NULL);
        rc = dx_step_insert(c, ins, "ADDV");
    }
    if (rc == SQLITE_DONE)
        rc = 0;
    else if (rc > 0)
        rc = dx_sqlfail(c, c->sdtm, "table DV");
    sqlite3_finalize(st);
    dx_ins_free(ins);
    return rc;
}
