/*
 * registry.c - the analyses of a run, in execution order (= ard.csv order),
 * each with the outputs its records feed, and the one loop that runs them:
 * a run computes only what its outputs show (a nightly run no laboratory
 * analysis). Add an analysis by appending a line; its function lives in
 * its own file.
 */
#include "analysis/analysis.h"
#include "core/stop.h"

#include <string.h>
#include <time.h>

const analysis_entry ANALYSES[] = {
    {"disposition", analysis_disposition, "14.1.1", "ADSL"},
    {"analysis_sets", analysis_analysis_sets, "14.1.2", "ADSL"},
    {"deviations", analysis_deviations, "14.1.3", "ADSL;ADDV"},
    {"demog", analysis_demog, "14.1.4", "*"},
    {"exposure", analysis_exposure, "14.1.5", "ADSL;ADEX;ADPC"},
    {"time-to-event (OS, PFS, TFF)", analysis_time_to_event,
     "14.2.1.1;14.2.1.2;14.2.2.1;14.2.3.1;F14.2.1.1;F14.2.2.1", "ADSL;ADTTE"},
    {"propensity score (OS sensitivity)", analysis_ps, "14.2.1.2;14.2.1.3", "ADSL;ADTTE"},
    {"IP response at week 52", analysis_ipresp, "14.2.4.1", "ADSL;ADRS"},
    {"change from baseline by visit", analysis_chg_visits, "14.2.5.1;F14.2.5.1", "*"},
    {"prednisolone dose by visit", analysis_gcdose, "14.2.6.1", "ADSL;ADEX"},
    {"adverse events", analysis_ae, "14.3.1.1;14.3.1.2;14.3.1.3;14.3.1.4;14.3.2.1;14.3.2.3",
     "ADSL;ADAE"},
    {"deaths", analysis_deaths, "14.3.2.2", "ADSL;ADAE"},
    {"laboratory", analysis_lab, "14.3.4.1;14.3.4.2", "ADSL;ADLB"},
};
const size_t N_ANALYSES = sizeof ANALYSES / sizeof ANALYSES[0];

/* 1 when the ';'-separated list has item (n bytes). */
static int list_has(const char *list, const char *item, size_t n)
{
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ';');
        size_t k = end ? (size_t)(end - p) : strlen(p);
        if (k == n && strncmp(p, item, n) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

int analysis_reads(const analysis_entry *e, const char *name)
{
    return strcmp(e->datasets, "*") == 0 || list_has(e->datasets, name, strlen(name));
}

int analysis_feeds(const analysis_entry *e, char *const *outputs, size_t n)
{
    if (n == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (list_has(e->outputs, outputs[i], strlen(outputs[i])))
            return 1;
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int analysis_run(const analysis_ctx *ctx, char *const *outputs, size_t n,
                 const analysis_hooks *hooks, tlf_err *err)
{
    size_t first = ctx->ard->n;
    /* The analyses read the same parameters' records through the indexes
     * again and again (demographics, change from baseline, laboratory:
     * per parameter and visit), scattered over a table stored by subject:
     * with SQLite's default 2 MB page cache the 30k every-visit study's
     * analyses made 5 s of pread calls (issue 16). 128 MB keeps the pages
     * they revisit; the cache grows only as pages are read (the demo's
     * analyses stay a few MB) and RSS at 30k from 150 to 280 MB. */
    sqlite3_exec(ctx->adam, "PRAGMA cache_size = -131072", NULL, NULL, NULL);
    for (size_t i = 0; i < N_ANALYSES; i++) {
        const analysis_entry *e = &ANALYSES[i];
        if (!analysis_feeds(e, outputs, n))
            continue;
        int rc = hooks && hooks->before ? hooks->before(hooks->user, e, err) : TLF_OK;
        if (rc == TLF_OK)
            rc = tlf_stop_check(err);   /* a signal stops between analyses */
        if (rc != TLF_OK)
            return rc;
        double t0 = now_s();
        if ((rc = e->run(ctx, err)) != TLF_OK)
            return tlf_err_prefix(err, "analysis '%s'", e->name);
        if (hooks && hooks->after)
            hooks->after(hooks->user, e, now_s() - t0);
    }
    analysis_untag_unshown(ctx->ard, first);
    return TLF_OK;
}

int analysis_run_all(const analysis_ctx *ctx, tlf_err *err)
{
    return analysis_run(ctx, NULL, 0, NULL, err);
}
