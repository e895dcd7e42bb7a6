/*
 * registry.c - the analyses of a run, in execution order (= ard.csv order).
 * Add an analysis by appending a line; its function lives in its own file.
 */
#include "analysis/analysis.h"

const analysis_entry ANALYSES[] = {
    {"disposition", analysis_disposition},
    {"analysis_sets", analysis_analysis_sets},
    {"deviations", analysis_deviations},
    {"demog", analysis_demog},
    {"exposure", analysis_exposure},
    {"time-to-event (OS, PFS, TFF)", analysis_time_to_event},
    {"propensity score (OS sensitivity)", analysis_ps},
    {"IP response at week 52", analysis_ipresp},
    {"change from baseline by visit", analysis_chg_visits},
    {"prednisolone dose by visit", analysis_gcdose},
    {"adverse events", analysis_ae},
    {"deaths", analysis_deaths},
    {"laboratory", analysis_lab},
};
const size_t N_ANALYSES = sizeof ANALYSES / sizeof ANALYSES[0];

int analysis_run_all(const analysis_ctx *ctx, tlf_err *err)
{
    for (size_t i = 0; i < N_ANALYSES; i++) {
        int rc = ANALYSES[i].run(ctx, err);
        if (rc != TLF_OK)
            return tlf_err_prefix(err, "analysis '%s'", ANALYSES[i].name);
    }
    return TLF_OK;
}
