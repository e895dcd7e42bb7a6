/* test_figure.c - figures, volumes, watermarks and split listings, checked
 * on the PDFs (poppler, qpdf) and on the page plan (--layout-dump):
 * - KM figure from a real ARD (`tlfgen stats km` on a generated trial CSV):
 *   arm labels and N, the number at risk under each tick equal to the
 *   subjects whose time is >= the tick (counted from the CSV itself),
 *   one censor mark per censored subject, footnote values from the ARD;
 * - mean +/- SE line plot: a marker and an error bar per visit and arm;
 * - combined volume: bookmarks open the right pages, the contents' page
 *   numbers match them and the pages where each output starts, "Page x
 *   of y" runs over the volume, DRAFT watermark on every page of a SOFT
 *   LOCK volume and on none of a HARD LOCK one, byte-identical renders;
 * - a listing split into volumes gives the same pages as the whole. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ard/ard.h"
#include "layout/format.h"

#define NSUBJ 40
#define CTXH "--study IMPPACT --protocol IMP-TAC-01 --run-id 3f9a1c2b7d10 " \
             "--db-sha256 9b1e02c4d00d --cutoff 2014-12-31 --profile csr --date 2015-01-02"

static void must(run_result *r, const char *what)
{
    if (r->status)
        fail_msg("%s failed (%d): %s", what, r->status, r->err);
}

/* The generated trial: subject i, arm, day, censored. */
static void subject(int i, const char **arm, int *day, int *cnsr)
{
    *arm = i % 2 == 0 ? "TAC" : "HC";
    *day = 20 + (i * 37) % 340;
    *cnsr = (i % 5 == 0 || *day > 330) ? 1 : 0;
    if (i >= NSUBJ - 2) {   /* event-free through the landmark, day 365 (one per arm:
                               an arm nobody follows to it has no estimate) */
        *day = 365;
        *cnsr = 1;
    }
}

/* Write the trial CSV and its ARD (km + logrank) into dir; returns the
 * ARD's path (caller frees). */
static char *make_km_ard(const char *dir)
{
    char csv[512], *ard = malloc(512);
    snprintf(csv, sizeof csv, "%s/os.csv", dir);
    snprintf(ard, 512, "%s/ard.csv", dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("USUBJID,ARMCD,AVAL,CNSR\n", f);
    for (int i = 0; i < NSUBJ; i++) {
        const char *arm;
        int day, c;
        subject(i, &arm, &day, &c);
        fprintf(f, "S%03d,%s,%d,%d\n", i, arm, day, c);
    }
    fclose(f);
    run_result r = run_sh("%s stats km --input '%s' --time AVAL --cnsr CNSR --group ARMCD "
                          "--landmarks 364 --analysis-id os_km --out '%s/km.csv' && "
                          "%s stats logrank --input '%s' --time AVAL --cnsr CNSR --group ARMCD "
                          "--analysis-id os_logrank --out '%s/lr.csv' && "
                          "(cat '%s/km.csv'; tail -n +2 '%s/lr.csv') > '%s'",
                          TLFGEN_BIN, csv, dir, TLFGEN_BIN, csv, dir, dir, dir, ard);
    must(&r, "stats km/logrank");
    run_result_free(&r);
    return ard;
}


static int count_lines(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static double ard_value(const tlf_ard *ard, const char *aid, const char *level, const char *stat,
                        const char *param)
{
    tlf_ard_query q = {aid, NULL, NULL, level, NULL, NULL, stat, param};
    const tlf_ard_row *r = tlf_ard_find(ard, &q);
    if (!r)
        fail_msg("ARD has no %s %s %s %s", aid, level, stat, param ? param : "");
    return r->value;
}

static void test_km_figure(void **state)
{
    (void)state;
    char *dir = test_tmpdir("fig_km");
    char *ardp = make_km_ard(dir), *tpl = test_source_path("tests/fixtures/figure/km.json");
    char out[512], out2[512], dump[512];
    snprintf(out, sizeof out, "%s/km.pdf", dir);
    snprintf(out2, sizeof out2, "%s/km2.pdf", dir);
    snprintf(dump, sizeof dump, "%s/km.dump", dir);
    run_result r = run_tlfgen("render --template '%s' --ard '%s' " CTXH " --db-status 'HARD LOCK' "
                              "--out '%s' --layout-dump '%s'", tpl, ardp, out, dump);
    must(&r, "render km");
    run_result_free(&r);
    test_check_pdf(out);
    r = run_tlfgen("render --template '%s' --ard '%s' " CTXH " --db-status 'HARD LOCK' --out '%s'",
                   tpl, ardp, out2);
    must(&r, "second render");
    run_result_free(&r);
    r = run_sh("cmp '%s' '%s'", out, out2);
    must(&r, "two renders byte-identical");
    run_result_free(&r);

    /* expected numbers straight from the generated data */
    int ntac = 0, nhc = 0, ncens = 0;
    int at_risk[2][14];
    memset(at_risk, 0, sizeof at_risk);
    for (int i = 0; i < NSUBJ; i++) {
        const char *arm;
        int day, c;
        subject(i, &arm, &day, &c);
        int a = strcmp(arm, "TAC") == 0 ? 0 : 1;
        *(a == 0 ? &ntac : &nhc) += 1;
        if (c && day <= 365)   /* the axis reaches day 365, week 52's day */
            ncens++;
        for (int k = 0; k <= 13; k++)
            if (day >= k * 4 * 7 + 1)   /* week w = day 7w + 1, as the tables */
                at_risk[a][k]++;
    }
    run_result t = run_sh("pdftotext -layout '%s' -", out);
    must(&t, "pdftotext");
    char want[512];
    snprintf(want, sizeof want, "TAC (N=%d)", ntac);
    assert_non_null(strstr(t.out, want));
    snprintf(want, sizeof want, "HC (N=%d)", nhc);
    assert_non_null(strstr(t.out, want));
    assert_non_null(strstr(t.out, "Figure 14.2.1.1"));
    assert_non_null(strstr(t.out, "Weeks since start of treatment"));
    assert_non_null(strstr(t.out, "Number at risk"));
    assert_null(strstr(t.out, "DRAFT"));
    /* the at-risk rows as printed: label then one number per 4-week tick */
    const char *labels[2] = {"TAC", "HC"};
    for (int a = 0; a < 2; a++) {
        char row[256];
        snprintf(row, sizeof row, "\n%s ", labels[a]);
        const char *line = strstr(t.out, row);
        assert_non_null(line);
        line += strlen(row);
        for (int k = 0; k <= 13; k++) {
            char *end;
            long v = strtol(line, &end, 10);
            if (end == line || v != at_risk[a][k])
                fail_msg("%s at risk at week %d: printed '%.20s', want %d", labels[a], 4 * k,
                         line, at_risk[a][k]);
            line = end;
        }
    }
    /* footnotes: 52-week estimates and the log-rank p from the ARD */
    tlf_ard *ard = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_ard_read(&ard, ardp, &err))
        fail_msg("%s", err.msg);
    char s[TLF_FMT_MAX], l[TLF_FMT_MAX], u[TLF_FMT_MAX], p[TLF_FMT_MAX];
    tlf_fmt_fixed(s, sizeof s, ard_value(ard, "os_km", "TAC", "surv_at", "t=364"), 1, 2);
    tlf_fmt_fixed(l, sizeof l, ard_value(ard, "os_km", "TAC", "lcl_at", "t=364;ci=loglog"), 1, 2);
    tlf_fmt_fixed(u, sizeof u, ard_value(ard, "os_km", "TAC", "ucl_at", "t=364;ci=loglog"), 1, 2);
    tlf_fmt_pvalue(p, sizeof p, ard_value(ard, "os_logrank", "", "p", NULL));
    snprintf(want, sizeof want, "TAC %s (%s, %s)", s, l, u);
    assert_non_null(strstr(t.out, want));
    snprintf(want, sizeof want, "Log-rank test p = %s", p);
    assert_non_null(strstr(t.out, want));
    run_result_free(&t);
    /* the plan: one censor tick per censored subject (ARD n_censor sum
     * agrees), two curves (solid and dashed), at-risk items per tick */
    double ard_cens = 0;
    for (size_t i = 0; i < ard->n; i++)
        if (strcmp(ard->rows[i].stat_name, "n_censor") == 0 && *ard->rows[i].param)
            ard_cens += ard->rows[i].value;
    assert_int_equal((int)ard_cens, ncens);
    char *d = test_read_file(dump, NULL);
    assert_non_null(d);
    int marks = 0, solid = 0, dashed = 0, axes = 0;
    double curve_w = 1e9;
    for (char *line = strtok(d, "\n"); line; line = strtok(NULL, "\n")) {
        int pg, col, row;
        double x, y, w, size;
        char kind[16];
        /* line weights as survminer: curves (polylines of more than two
         * points) at least 2 pt, the axes 0.75 pt */
        if (sscanf(line, "%d %15s %lf %lf %lf %lf %d %d", &pg, kind, &x, &y, &w, &size, &col,
                   &row) == 8 && strcmp(kind, "polyline") == 0) {
            if (!strstr(line, "npts=2 "))
                curve_w = size < curve_w ? size : curve_w;
            else if (fabs(size - 0.75) < 1e-9)
                axes++;
        }
        if (strstr(line, " mark ") && strstr(line, "style=0"))
            marks++;
        if (strstr(line, " polyline ") && strstr(line, "style=0") && !strstr(line, "npts=2 "))
            solid++;
        if (strstr(line, " polyline ") && strstr(line, "style=1") && !strstr(line, "npts=2 "))
            dashed++;
    }
    assert_int_equal(marks, ncens);
    assert_int_equal(axes, 2);
    assert_true(curve_w >= 2.0 && curve_w < 1e9);
    assert_int_equal(solid, 1);
    assert_int_equal(dashed, 1);
    free(d);
    tlf_ard_free(ard);
    free(tpl);
    free(ardp);
    free(dir);
}

/* The visits on a time axis in weeks: tick labels 0, 12, 24, 52 on one
 * line, at their real distances (week 12 a quarter of the way from
 * baseline to week 52). d: a --layout-dump. */
static void check_week_ticks(const char *d)
{
    double cx[4] = {NAN, NAN, NAN, NAN}, ty = NAN;
    static const char *const ticks[4] = {"0", "12", "24", "52"};
    for (int pass = 0; pass < 2; pass++) {   /* the axis row: the lowest "0"; then the others on it */
        char *copy = strdup(d);
        for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
            int pg, col, row;
            double x, y, w, size;
            char kind[16], txt[64];
            if (sscanf(line, "%d %15s %lf %lf %lf %lf %d %d %63[^\n]", &pg, kind, &x, &y, &w,
                       &size, &col, &row, txt) != 9 || strcmp(kind, "text") != 0)
                continue;
            if (pass == 0 && strcmp(txt, "0") == 0 && (isnan(ty) || y < ty)) {
                ty = y;
                cx[0] = x + w / 2;
            }
            for (int k = 1; pass == 1 && k < 4; k++)
                if (strcmp(txt, ticks[k]) == 0 && fabs(y - ty) < 0.01)
                    cx[k] = x + w / 2;
        }
        free(copy);
    }
    for (int k = 0; k < 4; k++)
        assert_false(isnan(cx[k]));
    for (int k = 1; k < 3; k++) {
        double frac = (cx[k] - cx[0]) / (cx[3] - cx[0]);
        if (fabs(frac - atof(ticks[k]) / 52.0) > 0.002)
            fail_msg("week %s at %.3f of the axis, want %.3f", ticks[k], frac, atof(ticks[k]) / 52.0);
    }
}

static void test_line_figure(void **state)
{
    (void)state;
    char *dir = test_tmpdir("fig_line");
    char *tpl = test_source_path("tests/fixtures/figure/line.json");
    char *ardp = test_source_path("tests/fixtures/figure/ard_line.csv");
    char out[512], dump[512];
    snprintf(out, sizeof out, "%s/line.pdf", dir);
    snprintf(dump, sizeof dump, "%s/line.dump", dir);
    run_result r = run_tlfgen("render --template '%s' --ard '%s' " CTXH " --db-status 'HARD LOCK' "
                              "--out '%s' --layout-dump '%s'", tpl, ardp, out, dump);
    must(&r, "render line");
    run_result_free(&r);
    test_check_pdf(out);
    run_result t = run_sh("pdftotext -layout '%s' -", out);
    const char *want[] = {"Figure 14.2.5.1", "TAC", "HC"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(t.out, want[i]))
            fail_msg("'%s' missing:\n%s", want[i], t.out);
    assert_non_null(strstr(t.out, "25"));     /* n at baseline, TAC */
    run_result_free(&t);
    char *d = test_read_file(dump, NULL);
    /* the visits BASELINE, WEEK 12, WEEK 24, WEEK 52 on a time axis in weeks
     * (their target_day records: day 1, 85, 169, 365) */
    check_week_ticks(d);
    /* 4 visits x 2 arms: a marker each (+2 in the legend), two caps each */
    int circles = 0, squares = 0, caps = 0;
    for (char *line = strtok(d, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strstr(line, " mark "))
            continue;
        circles += strstr(line, "style=1") != NULL;
        squares += strstr(line, "style=2") != NULL;
        caps += strstr(line, "style=4") != NULL;
    }
    assert_int_equal(circles, 4 + 1);
    assert_int_equal(squares, 4 + 1);
    assert_int_equal(caps, 2 * 8);
    free(d);

    /* legend with N (n_select): each series' N is the ARD's n of its
     * level, not the baseline n (25); without such a record it stops */
    char tpl_n[512], ard_n[512];
    snprintf(tpl_n, sizeof tpl_n, "%s/line_n.json", dir);
    snprintf(ard_n, sizeof ard_n, "%s/ard_n.csv", dir);
    r = run_sh("sed 's/\"kind\": \"line\",/\"kind\": \"line\", \"n_select\": "
               "{\"analysis_id\": \"vcpp_aval\", \"param\": \"\"},/' '%s' > '%s' && "
               "(cat '%s'; echo 'F14.2.5.1,vcpp_aval,FAS,ARMCD,TAC,AVAL,,n,,27'; "
               "echo 'F14.2.5.1,vcpp_aval,FAS,ARMCD,HC,AVAL,,n,,18') > '%s'",
               tpl, tpl_n, ardp, ard_n);
    must(&r, "n_select fixture");
    run_result_free(&r);
    r = run_tlfgen("render --template '%s' --ard '%s' " CTXH " --db-status 'HARD LOCK' --out '%s'",
                   tpl_n, ard_n, out);
    must(&r, "render line with N");
    run_result_free(&r);
    t = run_sh("pdftotext -layout '%s' -", out);
    if (!strstr(t.out, "TAC (N=27)") || !strstr(t.out, "HC (N=18)"))
        fail_msg("legend without the ARD's N:\n%s", t.out);
    run_result_free(&t);
    r = run_tlfgen("render --template '%s' --ard '%s' " CTXH " --db-status 'HARD LOCK' --out '%s'",
                   tpl_n, ardp, out);
    assert_int_not_equal(r.status, 0);
    assert_non_null(strstr(r.err, "figure.n_select: no ARD record n"));
    run_result_free(&r);
    free(tpl);
    free(ardp);
    free(dir);
}

/* Render the fixture volume with status into dir/name; returns the path. */
static char *volume(const char *dir, const char *ardp, const char *status, const char *name)
{
    char *km = test_source_path("tests/fixtures/figure/km.json");
    char *sum = test_source_path("tests/fixtures/layout/t_summary.json");
    char *ae = test_source_path("tests/fixtures/layout/t_ae_soc_pt.json");
    char *out = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(out, "%s/%s", dir, name);
    run_result r = run_tlfgen("volume --template '%s' --template '%s' --template '%s' --ard '%s' "
                              CTXH " --db-status '%s' --out '%s'", sum, km, ae, ardp, status, out);
    must(&r, "volume");
    run_result_free(&r);
    test_check_pdf(out);
    free(km);
    free(sum);
    free(ae);
    return out;
}


/* Count watermark drawings per page in the uncompressed content streams
 * (the grey fill 0.9 and the diagonal text matrix). */
static void watermarks(const char *dir, const char *pdf, int *per_page, int n)
{
    run_result r = run_sh("qpdf --qdf --object-streams=disable '%s' '%s/q.pdf'", pdf, dir);
    must(&r, "qpdf --qdf");
    run_result_free(&r);
    char path[512];
    snprintf(path, sizeof path, "%s/q.pdf", dir);
    size_t len;
    char *q = test_read_file(path, &len);
    for (int p = 0; p < n; p++) {
        char mark[64], next[64];
        snprintf(mark, sizeof mark, "%%%% Contents for page %d\n", p + 1);
        snprintf(next, sizeof next, "%%%% Contents for page %d\n", p + 2);
        char *a = strstr(q, mark), *b = strstr(q, next);
        assert_non_null(a);
        if (b)
            *b = '\0';
        per_page[p] = strstr(a, "0.9 g") && strstr(a, "0.81651 0.57733 -0.57733 0.81651") ? 1 : 0;
        if (b)
            *b = '%';
    }
    free(q);
}

static void test_volume(void **state)
{
    (void)state;
    char *dir = test_tmpdir("fig_volume");
    char *kmard = make_km_ard(dir), *fx = test_source_path("tests/fixtures/layout/ard.csv");
    char ardp[512];
    snprintf(ardp, sizeof ardp, "%s/all.csv", dir);
    run_result r = run_sh("(cat '%s'; tail -n +2 '%s') > '%s'", fx, kmard, ardp);
    must(&r, "merge ARDs");
    run_result_free(&r);
    char *fin = volume(dir, ardp, "HARD LOCK", "final.pdf");
    char *fin2 = volume(dir, ardp, "HARD LOCK", "final2.pdf");
    r = run_sh("cmp '%s' '%s'", fin, fin2);
    must(&r, "two volumes byte-identical");
    run_result_free(&r);
    int n = test_pdf_pages(fin);
    assert_true(n >= 6);
    /* outline: Cover, contents, then the ICH E3 sections (14.2, 14.3)
     * with their outputs beneath, each at its page (depth first) */
    r = run_sh("qpdf --json --json-key=outlines '%s' | python3 -c \"import json,sys\n"
               "def walk(os, d):\n"
               "    for o in os:\n"
               "        print(d, o['destpageposfrom1'], o['title'])\n"
               "        walk(o['kids'], d + 1)\n"
               "walk(json.load(sys.stdin)['outlines'], 0)\"",
               fin);
    must(&r, "qpdf --json outlines");
    int depth[16] = {0}, opg[16] = {0};
    char otitle[16][160];
    int k = 0;
    for (char *line = strtok(r.out, "\n"); line && k < 16; line = strtok(NULL, "\n")) {
        if (sscanf(line, "%d %d %159[^\n]", &depth[k], &opg[k], otitle[k]) != 3)
            fail_msg("outline line '%s'", line);
        if (depth[k] <= 1)   /* deeper: subjects or parameters of a long output */
            k++;
    }
    assert_int_equal(k, 7);
    run_result_free(&r);
    static const int want_depth[7] = {0, 0, 0, 1, 1, 0, 1};
    for (int i = 0; i < 7; i++)
        assert_int_equal(depth[i], want_depth[i]);
    assert_string_equal(otitle[2], "14.2 Efficacy data");
    assert_int_equal(opg[2], opg[3]);
    assert_string_equal(otitle[5], "14.3 Safety data");
    assert_int_equal(opg[5], opg[6]);
    static const int out_at[3] = {3, 4, 6};
    int pg[5] = {0};
    char title[5][160];
    for (int i = 0; i < 5; i++) {
        int j = i < 2 ? i : out_at[i - 2];
        pg[i] = opg[j];
        snprintf(title[i], sizeof title[i], "%s", otitle[j]);
    }
    assert_string_equal(title[0], "Cover");
    assert_int_equal(pg[0], 1);
    assert_string_equal(title[1], "Table of contents");
    assert_int_equal(pg[1], 2);
    const char *numbers[3] = {"Table 14.2.1.1", "Figure 14.2.1.1", "Table 14.3.1.2"};
    run_result toc = run_sh("pdftotext -layout -f 2 -l 2 '%s' -", fin);
    for (int i = 0; i < 3; i++) {
        assert_memory_equal(title[2 + i], numbers[i], strlen(numbers[i]));
        /* the contents line of this output ends with the bookmark's page */
        char *line = strstr(toc.out, numbers[i]);
        assert_non_null(line);
        char *eol = strchr(line, '\n');
        *eol = '\0';
        char *last = strrchr(line, ' ');
        assert_int_equal(atoi(last + 1), pg[2 + i]);
        *eol = '\n';
        /* and the output starts on that page, continuing from the one before */
        run_result pt = run_sh("pdftotext -layout -f %d -l %d '%s' -", pg[2 + i], pg[2 + i], fin);
        char head[64];
        snprintf(head, sizeof head, "Page %d of %d", pg[2 + i], n);
        assert_non_null(strstr(pt.out, head));
        assert_non_null(strstr(pt.out, numbers[i]));
        assert_null(strstr(pt.out, "(continued)"));
        run_result_free(&pt);
    }
    run_result_free(&toc);
    for (int p = 1; p <= n; p++) {
        run_result pt = run_sh("pdftotext -raw -f %d -l %d '%s' -", p, p, fin);
        char head[64];
        snprintf(head, sizeof head, "Page %d of %d", p, n);
        assert_non_null(strstr(pt.out, head));
        assert_null(strstr(pt.out, "DRAFT"));
        run_result_free(&pt);
    }
    int wm[64];
    watermarks(dir, fin, wm, n);
    for (int p = 0; p < n; p++)
        assert_int_equal(wm[p], 0);
    r = run_sh("pdfinfo '%s'", fin);
    assert_non_null(strstr(r.out, "Author:          IMPPACT"));
    assert_non_null(strstr(r.out, "Title:           IMPPACT Tables, Figures and Listings"));
    run_result_free(&r);

    char *draft = volume(dir, ardp, "SOFT LOCK", "draft.pdf");
    assert_int_equal(test_pdf_pages(draft), n);
    watermarks(dir, draft, wm, n);
    for (int p = 1; p <= n; p++) {
        assert_int_equal(wm[p - 1], 1);
        run_result pt = run_sh("pdftotext -raw -f %d -l %d '%s' -", p, p, draft);
        /* the header's DRAFT and the watermark's */
        if (count_lines(pt.out, "DRAFT") < 2)
            fail_msg("page %d of the draft volume: DRAFT %d times", p, count_lines(pt.out, "DRAFT"));
        run_result_free(&pt);
    }
    free(draft);
    free(fin);
    free(fin2);
    free(kmard);
    free(fx);
    free(dir);
}

static void test_listing_volumes(void **state)
{
    (void)state;
    char *dir = test_tmpdir("fig_listvol");
    char *sql = test_source_path("tests/fixtures/layout/adae.sql");
    char *tpl = test_source_path("tests/fixtures/layout/t_ae_listing.json");
    run_result r = run_sh("sqlite3 '%s/adam.sqlite' < '%s'", dir, sql);
    must(&r, "sqlite3");
    run_result_free(&r);
    r = run_tlfgen("render --template '%s' --adam '%s/adam.sqlite' " CTXH
                   " --db-status 'HARD LOCK' --out '%s/whole.pdf'", tpl, dir, dir);
    must(&r, "whole listing");
    run_result_free(&r);
    r = run_tlfgen("render --template '%s' --adam '%s/adam.sqlite' " CTXH
                   " --db-status 'HARD LOCK' --out '%s/split.pdf' --volume-pages 10", tpl, dir, dir);
    must(&r, "split listing");
    char path[512];
    snprintf(path, sizeof path, "%s/whole.pdf", dir);
    int total = test_pdf_pages(path);
    int nvol = (total + 9) / 10;
    char want[64];
    snprintf(want, sizeof want, "%d pages in %d volumes", total, nvol);
    assert_non_null(strstr(r.out, want));
    run_result_free(&r);
    assert_true(nvol >= 3);
    /* every volume: at most 10 pages, "Volume k of n Page x of total"
     * continuing; the body text of all volumes is the whole listing's */
    int page = 0;
    for (int v = 1; v <= nvol; v++) {
        snprintf(path, sizeof path, "%s/split_vol%02d.pdf", dir, v);
        test_check_pdf(path);
        int np = test_pdf_pages(path);
        assert_true(np == 10 || (v == nvol && np <= 10));
        for (int p = 1; p <= np; p++) {
            page++;
            /* reading order, not -layout: poppler's layout mode spaces a
             * page's columns by everything on it, the longer header too */
            run_result a = run_sh("pdftotext -f %d -l %d '%s' - | grep -v 'Page [0-9]* of'", p, p,
                                  path);
            run_result b = run_sh("pdftotext -f %d -l %d '%s/whole.pdf' - | grep -v 'Page [0-9]* of'",
                                  page, page, dir);
            assert_string_equal(a.out, b.out);
            run_result_free(&a);
            run_result_free(&b);
            run_result h = run_sh("pdftotext -layout -f %d -l %d '%s' - | head -1", p, p, path);
            snprintf(want, sizeof want, "Volume %d of %d Page %d of %d", v, nvol, page, total);
            if (!strstr(h.out, want))
                fail_msg("header '%s' lacks '%s'", h.out, want);
            run_result_free(&h);
        }
    }
    assert_int_equal(page, total);
    free(sql);
    free(tpl);
    free(dir);
}

/* The visit axis from the study configuration: visits named V1..V4 with
 * ARD target_day records (day 1, 85, 169, 365: weeks 0, 12, 24, 52) are
 * placed on the time axis; without the records the axis is categorical,
 * whatever the visits are called (a name such as "WEEK 12" is not read
 * for a time: the schedule is the study configuration's). */
static void test_line_figure_target_days(void **state)
{
    (void)state;
    char *dir = test_tmpdir("fig_line_v");
    char *tpl = test_source_path("tests/fixtures/figure/line.json");
    char *ardp = test_source_path("tests/fixtures/figure/ard_line.csv");
    char ard_v[512], ard_names[512], out[512], dump[512];
    snprintf(ard_v, sizeof ard_v, "%s/ard_v.csv", dir);
    snprintf(ard_names, sizeof ard_names, "%s/ard_names.csv", dir);
    snprintf(out, sizeof out, "%s/line.pdf", dir);
    snprintf(dump, sizeof dump, "%s/line.dump", dir);
    run_result r = run_sh(
        "sed -e 's/visit=BASELINE/visit=V1/' -e 's/visit=WEEK 12/visit=V2/' "
        "-e 's/visit=WEEK 24/visit=V3/' -e 's/visit=WEEK 52/visit=V4/' '%s' > '%s' && "
        "grep -q 'target_day,visit=V2,85' '%s' && grep -v ',target_day,' '%s' > '%s'",
        ardp, ard_v, ard_v, ardp, ard_names);
    must(&r, "V1..V4 fixture");
    run_result_free(&r);
    r = run_tlfgen("render --template '%s' --ard '%s' " CTXH " --db-status 'HARD LOCK' "
                   "--out '%s' --layout-dump '%s'", tpl, ard_v, out, dump);
    must(&r, "render V1..V4 with target days");
    run_result_free(&r);
    char *d = test_read_file(dump, NULL);
    check_week_ticks(d);
    assert_null(strstr(d, " V2"));
    free(d);
    r = run_tlfgen("render --template '%s' --ard '%s' " CTXH " --db-status 'HARD LOCK' "
                   "--out '%s' --layout-dump '%s'", tpl, ard_names, out, dump);
    must(&r, "render WEEK n visits without target days");
    run_result_free(&r);
    d = test_read_file(dump, NULL);
    assert_non_null(strstr(d, " WEEK 12\n"));   /* categorical: labelled by name */
    assert_non_null(strstr(d, " BASELINE\n"));
    free(d);
    free(tpl);
    free(ardp);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_km_figure),
        cmocka_unit_test(test_line_figure),
        cmocka_unit_test(test_line_figure_target_days),
        cmocka_unit_test(test_volume),
        cmocka_unit_test(test_listing_volumes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
