/*
 * demo_subjects.c - what each demo subject's records say.
 *
 * Stage: demo data. A subject is first planned (dates of day 1, visits,
 * death, last contact, end of tacrolimus and of participation, adverse
 * events), then written domain by domain through demo_put(). The first
 * 26 TAC subjects have fixed roles that give the published trial's
 * numbers by sap.md sections 1-4 (docs/demo-db.md):
 *   - FAS 25 (subject 6 registered, never dosed);
 *   - deaths on days 58, ~120 (month only) and 230; one subject lost to
 *     follow-up on day 300; everyone else followed past day 365, so KM OS
 *     at day 365 is 22/25 = 88.0%;
 *   - progressions at weeks 4, 8, 12, 26 and an unscheduled one on day
 *     363 after nine subjects were censored at week-52 visits before it,
 *     so KM PFS at day 365 is 21/25 x 10/11 = 76.4%;
 *   - 11 subjects with a serious TEAE (4 opportunistic infections), and
 *     two serious AEs that are not treatment-emergent (before day 1; more
 *     than 28 days after the last tacrolimus dose).
 * Further subjects get generic roles drawn from their own PRNG stream.
 */
#include "demo/demo_plan.h"
#include "demo/demo_util.h"
#include "core/mem.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schedule and code lists ------------------------------------------ */

enum { NVIS = 10, V_SCR = 0, V_BL = 1, V_W52 = 9 };

static const struct { double num; const char *name; int target; } VISITS[NVIS] = {
    {1, "SCREENING", -10}, {2, "BASELINE", 1},  {3, "WEEK 2", 15},   {4, "WEEK 4", 29},
    {5, "WEEK 8", 57},     {6, "WEEK 12", 85},  {7, "WEEK 16", 113}, {8, "WEEK 26", 183},
    {9, "WEEK 39", 274},   {10, "WEEK 52", 365},
};

enum { L_KL6, L_CK, L_CREAT, L_GLUC, L_HBA1C, L_K, L_MG, L_ALT, L_AST, L_WBC, L_LYMPH,
       L_CRP, L_FERRITIN, NLAB };

static const struct {
    const char *cd, *name, *cat, *unit;
    double lo, hi;
    int dec;
    int core;      /* measured at every visit, not only at the full-panel ones */
} LABS[NLAB] = {
    {"KL6", "KL-6", "IMMUNOLOGY", "U/mL", 0, 500, 0, 1},
    {"CK", "Creatine Kinase", "CHEMISTRY", "U/L", 59, 248, 0, 1},
    {"CREAT", "Creatinine", "CHEMISTRY", "mg/dL", 0.46, 0.79, 2, 1},
    {"GLUC", "Glucose", "CHEMISTRY", "mg/dL", 73, 109, 0, 1},
    {"HBA1C", "Hemoglobin A1C", "CHEMISTRY", "%", 4.9, 6.0, 1, 0},
    {"K", "Potassium", "CHEMISTRY", "mmol/L", 3.6, 4.8, 1, 0},
    {"MG", "Magnesium", "CHEMISTRY", "mg/dL", 1.8, 2.4, 1, 1},
    {"ALT", "Alanine Aminotransferase", "CHEMISTRY", "U/L", 7, 23, 0, 0},
    {"AST", "Aspartate Aminotransferase", "CHEMISTRY", "U/L", 13, 30, 0, 0},
    {"WBC", "Leukocytes", "HEMATOLOGY", "10^9/L", 3.3, 8.6, 1, 0},
    {"LYMPH", "Lymphocytes", "HEMATOLOGY", "10^9/L", 1.0, 3.5, 2, 0},
    {"CRP", "C Reactive Protein", "CHEMISTRY", "mg/dL", 0, 0.14, 2, 0},
    {"FERRITIN", "Ferritin", "CHEMISTRY", "ng/mL", 6, 138, 0, 0},
};
#define CRP_LOQ 0.05

/* Full laboratory panel at these visits, the core tests at the others. */
static int full_panel(int v)
{
    return v == V_BL || v == 5 || v == 7 || v == V_W52;
}

typedef struct ae_def {
    const char *term_ja, *term_en, *decod, *soc;
    double p;       /* background incidence in TAC (0 for planted-only terms) */
} ae_def;

static const char SOC_INF[] = "Infections and infestations";
static const char SOC_RESP[] = "Respiratory, thoracic and mediastinal disorders";
static const char SOC_META[] = "Metabolism and nutrition disorders";
static const char SOC_NERV[] = "Nervous system disorders";

static const ae_def BACKGROUND[] = {
    {"腎機能障害", "Renal impairment (Cr 1.3 mg/dL)", "Renal impairment", "Renal and urinary disorders", 0.28},
    {"高血糖", "Steroid-induced hyperglycaemia", "Hyperglycaemia", SOC_META, 0.36},
    {"低マグネシウム血症", "Hypomagnesemia (Mg 1.5)", "Hypomagnesaemia", SOC_META, 0.24},
    {"手指振戦", "Tremor (hands) \\ mild", "Tremor", SOC_NERV, 0.20},
    {"高血圧", "Hypertension \\ BP 162/98", "Hypertension", "Vascular disorders", 0.24},
    {"鼻咽頭炎", "Common cold", "Nasopharyngitis", SOC_INF, 0.32},
    {"不眠症", "Insomnia", "Insomnia", "Psychiatric disorders", 0.24},
    {"便秘", "Constipation", "Constipation", "Gastrointestinal disorders", 0.20},
    {"下痢", "Diarrhea", "Diarrhoea", "Gastrointestinal disorders", 0.12},
    {"満月様顔貌", "Moon face (Cushingoid)", "Cushingoid", "Endocrine disorders", 0.20},
    {"骨粗鬆症", "Osteoporosis", "Osteoporosis", "Musculoskeletal and connective tissue disorders", 0.12},
    {"肝機能障害", "Liver dysfunction (ALT 85)", "Hepatic function abnormal", "Hepatobiliary disorders", 0.16},
    {"頭痛", "Headache", "Headache", SOC_NERV, 0.12},
    {"口腔カンジダ症", "Oral candidiasis", "Oral candidiasis", SOC_INF, 0.10},
};
#define NBACK (sizeof BACKGROUND / sizeof BACKGROUND[0])

/* Serious terms drawn for generic subjects. */
static const ae_def SERIOUS[] = {
    {"サイトメガロウイルス感染", "CMV antigenemia (C7-HRP positive)", "Cytomegalovirus infection", SOC_INF, 0},
    {"ニューモシスチス肺炎", "PCP", "Pneumocystis jirovecii pneumonia", SOC_INF, 0},
    {"帯状疱疹", "Herpes zoster (Th4-5)", "Herpes zoster", SOC_INF, 0},
    {"肺アスペルギルス症", "Pulmonary aspergillosis (suspected)", "Aspergillus infection", SOC_INF, 0},
    {"細菌性肺炎", "Bacterial pneumonia", "Pneumonia bacterial", SOC_INF, 0},
    {"腎機能障害", "Renal impairment (Cr 2.1 mg/dL)", "Renal impairment", "Renal and urinary disorders", 0},
    {"腰椎圧迫骨折", "L1 compression fracture", "Spinal compression fracture",
     "Injury, poisoning and procedural complications", 0},
};
#define NSERIOUS (sizeof SERIOUS / sizeof SERIOUS[0])

/* ---- the plan of one subject ------------------------------------------ */

enum { MAXAE = 40 };

typedef struct ae_rec {
    int st, en;               /* study days; en 0 = ongoing                   */
    int st_month, en_month;   /* 1 = only YYYY-MM is recorded                 */
    const char *term, *decod, *soc, *rel, *acn, *out;
    int grade, serious, spid;
    long st_abs;              /* absolute start day (post-cut-off AEs)        */
} ae_rec;

typedef struct plan {
    int arm;
    long index;
    char usubjid[40], subjid[24], siteid[24];
    long ic, d1;              /* day numbers: consent, day 1 (0: never dosed) */
    int vday[NVIS];           /* study day of each visit                      */
    int last_visit;           /* no scheduled visit after this study day      */
    int trt_end;              /* last tacrolimus day (0: none)                */
    const char *trt_reason, *trt_term;
    int end_day;              /* leaving the study (STUDY PARTICIPATION)      */
    const char *end_reason, *end_term;
    int death_day, death_month;
    int lka_day;              /* DS LAST KNOWN ALIVE                          */
    int gc_stop;              /* last glucocorticoid day, 0 = ongoing         */
    int prog_vis;             /* visit with the first PROGRESSED, -1 none     */
    int unsched_prog;         /* study day of an unscheduled PROGRESSED       */
    int post_cutoff;          /* has records dated after the cut-off          */
    const char *addl_drug;    /* additional immunosuppressant                 */
    int addl_start, addl_end;
    int dv;                   /* protocol deviation kind, 0 none              */
    int age, female, pulse;
    double weight, height, psl_mgkg, resp;
    double lb0[NLAB];
    ae_rec ae[MAXAE];
    int nae;
} plan;

static long dn(const plan *p, int sd)
{
    return p->d1 + (sd >= 1 ? sd - 1 : sd);
}

static int sday(const plan *p, long day)
{
    return day >= p->d1 ? (int)(day - p->d1 + 1) : (int)(day - p->d1);
}

void demo_usubjid(char *out, size_t n, const demo_names *names, int arm, long index)
{
    if (arm == DEMO_ARM_TAC)
        snprintf(out, n, "%s-%02ld-T%04ld", names->studyid, 1 + index % 5, index + 1);
    else if (arm == DEMO_ARM_HC)
        snprintf(out, n, "%s-%02ld-H%04ld", names->studyid, 1 + index % 5, index + 1);
    else
        snprintf(out, n, "%s-%02ld-S%04ld", names->studyid, 1 + index % 5, index + 1);
}

static ae_rec *add_ae(plan *p, const char *term, const char *decod, const char *soc, int st,
                      int en, int grade, int serious, const char *rel, const char *acn,
                      const char *out)
{
    if (p->nae >= MAXAE)
        return NULL;
    ae_rec *a = &p->ae[p->nae++];
    memset(a, 0, sizeof *a);
    *a = (ae_rec){st, en, 0, 0, term, decod, soc, rel, acn, out, grade, serious, p->nae, 0};
    return a;
}

static const char *pick_term(demo_rng *r, const ae_def *d)
{
    return demo_rng_chance(r, 0.5) ? d->term_ja : d->term_en;
}

static void common_baseline(plan *p, demo_rng *r)
{
    p->age = demo_rng_int(r, 32, 76);
    p->female = demo_rng_chance(r, 0.62);
    p->height = round(demo_rng_norm(r, p->female ? 155 : 167, 6) * 10) / 10;
    p->weight = round(demo_rng_norm(r, p->female ? 52 : 63, 8) * 10) / 10;
    if (p->weight < 38)
        p->weight = 38;
    p->pulse = demo_rng_chance(r, p->arm == DEMO_ARM_HC ? 0.5 : 0.35);
    p->psl_mgkg = 0.6 + 0.4 * demo_rng_unif(r);
    p->resp = 0.4 + 0.6 * demo_rng_unif(r);
    p->lb0[L_KL6] = exp(demo_rng_norm(r, log(1100), 0.45));
    p->lb0[L_CK] = exp(demo_rng_norm(r, log(500), 1.1));
    p->lb0[L_CREAT] = demo_rng_norm(r, 0.6, 0.1);
    p->lb0[L_GLUC] = demo_rng_norm(r, 96, 10);
    p->lb0[L_HBA1C] = demo_rng_norm(r, 5.7, 0.35);
    p->lb0[L_K] = 4.1;
    p->lb0[L_MG] = demo_rng_norm(r, 2.1, 0.12);
    p->lb0[L_ALT] = exp(demo_rng_norm(r, log(35), 0.5));
    p->lb0[L_AST] = exp(demo_rng_norm(r, log(45), 0.5));
    p->lb0[L_WBC] = demo_rng_norm(r, 6.8, 1.8);
    p->lb0[L_LYMPH] = demo_rng_norm(r, 1.0, 0.35);
    p->lb0[L_CRP] = exp(demo_rng_norm(r, log(0.6), 0.9));
    p->lb0[L_FERRITIN] = exp(demo_rng_norm(r, log(350), 0.9));
    for (int v = 0; v < NVIS; v++)
        p->vday[v] = VISITS[v].target + (v > V_BL ? demo_rng_int(r, -3, 3) : 0);
    p->vday[V_SCR] = -demo_rng_int(r, 7, 14);
    p->prog_vis = -1;
}

/* A completer: tacrolimus and participation end at the week-52 visit,
 * last contact 10-35 days later but before the cut-off. */
static void complete(plan *p, demo_rng *r, int w52, long cutoff)
{
    p->vday[V_W52] = w52;
    p->last_visit = w52;
    p->trt_end = p->arm == DEMO_ARM_TAC ? w52 : 0;
    p->trt_reason = "COMPLETED";
    p->trt_term = "Completed 52 weeks of tacrolimus";
    p->end_day = w52;
    p->end_reason = "COMPLETED";
    p->end_term = "Completed the 52-week study";
    int lka = (w52 > 365 ? w52 : 365) + demo_rng_int(r, 10, 35);
    int cut = sday(p, cutoff);
    p->lka_day = lka < cut ? lka : cut;
}

static void die(plan *p, int day, int last_visit)
{
    p->death_day = day;
    p->last_visit = last_visit;
    p->lka_day = day - 1;
    p->gc_stop = day - 1;
    if (p->arm == DEMO_ARM_TAC) {
        p->trt_end = day - 1;
        p->trt_reason = "DEATH";
        p->trt_term = "Died";
    }
    p->end_day = day;
    p->end_reason = "DEATH";
    p->end_term = "Died";
}

static void stop_tac(plan *p, int day, const char *reason, const char *term)
{
    p->trt_end = day;
    p->trt_reason = reason;
    p->trt_term = term;
}

/* The published-trial roles of TAC subjects 0..25 (see the file comment). */
static void plan_default_tac(plan *p, demo_rng *r, long cutoff)
{
    const long i = p->index;
    const int c_w52 = 365 - demo_rng_int(r, 3, 18);   /* censored before day 363 for PFS */
    const int f_w52 = 364 + demo_rng_int(r, 0, 8);    /* at risk on day 363           */
    static const char C_ROLE[26] = "FCDFCNPCFDCFLCDPFCFCFCFCFF";
    const char role = C_ROLE[i];
    if (role == 'C' || role == 'P')
        complete(p, r, c_w52, cutoff);
    else if (role == 'F')
        complete(p, r, f_w52, cutoff);
    switch (i) {
    case 0:
        add_ae(p, "肺アスペルギルス症 (疑い)", "Aspergillus infection", SOC_INF, 120, 175, 3, 1,
               "POSSIBLY RELATED", "DRUG INTERRUPTED", "RECOVERED/RESOLVED");
        break;
    case 1:
        add_ae(p, "サイトメガロウイルス感染", "Cytomegalovirus infection", SOC_INF, 45, 70, 3, 1,
               "POSSIBLY RELATED", "DOSE REDUCED", "RECOVERED/RESOLVED");
        break;
    case 2:                                   /* death 1: ILD progression */
        p->prog_vis = 3;
        die(p, 58, 45);
        add_ae(p, "間質性肺炎の急性増悪 (rapidly progressive)", "Interstitial lung disease",
               SOC_RESP, 38, 58, 5, 1, "NOT RELATED", "DRUG WITHDRAWN", "FATAL");
        break;
    case 3:
        add_ae(p, "Pneumonia (bacterial, RLL)", "Pneumonia", SOC_INF, 210, 225, 3, 1,
               "POSSIBLY RELATED", "DRUG INTERRUPTED", "RECOVERED/RESOLVED");
        break;
    case 4:
        add_ae(p, "帯状疱疹 (Th5-6)", "Herpes zoster", SOC_INF, 150, 180, 3, 1, "RELATED",
               "DOSE NOT CHANGED", "RECOVERED/RESOLVED");
        break;
    case 5:                                   /* registered, never dosed */
        p->d1 = 0;
        p->last_visit = p->vday[V_SCR];
        p->end_day = p->vday[V_SCR] + 5;
        p->end_reason = "WITHDRAWAL BY SUBJECT";
        p->end_term = "Withdrew consent before the first dose";
        p->lka_day = p->end_day;
        break;
    case 6:                                   /* progression at week 12, switched */
        p->prog_vis = 6 - 1;
        stop_tac(p, 90, "LACK OF EFFICACY", "Tacrolimus stopped: IP progression");
        p->addl_drug = "CYCLOSPORINE";
        p->addl_start = 92;
        add_ae(p, "Bacterial pneumonia \\ after switch to cyclosporine", "Pneumonia", SOC_INF,
               150, 166, 3, 1, "NOT RELATED", "NOT APPLICABLE", "RECOVERED/RESOLVED");
        break;
    case 7:
        add_ae(p, "腎機能障害 (Cre 2.1 mg/dL)", "Renal impairment", "Renal and urinary disorders",
               195, 240, 3, 1, "RELATED", "DRUG WITHDRAWN", "RECOVERING/RESOLVING");
        stop_tac(p, 200, "ADVERSE EVENT", "Tacrolimus stopped for renal impairment");
        break;
    case 8:
        add_ae(p, "腰椎圧迫骨折 (L1)", "Spinal compression fracture",
               "Injury, poisoning and procedural complications", 260, 300, 3, 1, "NOT RELATED",
               "DOSE NOT CHANGED", "RECOVERED/RESOLVED WITH SEQUELAE");
        break;
    case 9: {                                 /* death 2: date known to the month */
        p->prog_vis = 4;
        p->addl_drug = "CYCLOPHOSPHAMIDE";
        p->addl_start = 62;
        p->addl_end = 88;
        long lk = dn(p, 90);
        int y, m, d;
        demo_civil(lk + 10, &y, &m, &d);
        long first = demo_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
        die(p, sday(p, first + 9), 88);
        p->death_month = 1;
        p->lka_day = 90;
        p->gc_stop = 90;
        stop_tac(p, 82, "ADVERSE EVENT", "Tacrolimus stopped for Pneumocystis pneumonia");
        ae_rec *a = add_ae(p, "ニューモシスチス肺炎", "Pneumocystis jirovecii pneumonia", SOC_INF, 80,
                           p->death_day, 5, 1, "POSSIBLY RELATED", "DRUG WITHDRAWN", "FATAL");
        a->en_month = 1;
        break;
    }
    case 10:                                  /* AE before day 1; AE in day 1's month */
        add_ae(p, "Cellulitis (left leg)", "Cellulitis", SOC_INF, -6, -2, 3, 1, "NOT RELATED",
               "NOT APPLICABLE", "RECOVERED/RESOLVED");
        add_ae(p, "不眠", "Insomnia", "Psychiatric disorders", 1, 40, 1, 0, "NOT RELATED",
               "DOSE NOT CHANGED", "RECOVERED/RESOLVED")->st_month = 1;
        break;
    case 11:
        p->dv = 2;
        add_ae(p, "低Mg血症", "Hypomagnesaemia", SOC_META, 70, 120, 1, 0, "RELATED",
               "DOSE NOT CHANGED", "RECOVERED/RESOLVED")->st_month = 1;
        break;
    case 12: {                                /* lost to follow-up on day 300 */
        p->last_visit = 280;
        p->trt_end = 300;
        p->trt_reason = "LOST TO FOLLOW-UP";
        p->trt_term = "Lost to follow-up";
        p->end_day = 300;
        p->end_reason = "LOST TO FOLLOW-UP";
        p->end_term = "Lost to follow-up after the week 39 visit";
        p->lka_day = 300;
        p->gc_stop = 300;
        add_ae(p, "細菌性肺炎", "Pneumonia bacterial", SOC_INF, 200, 215, 3, 1, "POSSIBLY RELATED",
               "DRUG INTERRUPTED", "RECOVERED/RESOLVED");
        break;
    }
    case 13:
        add_ae(p, "ステロイド糖尿病", "Diabetes mellitus", SOC_META, 35, 0, 3, 1, "POSSIBLY RELATED",
               "DOSE NOT CHANGED", "NOT RECOVERED/NOT RESOLVED");
        break;
    case 14:                                  /* death 3 */
        p->prog_vis = 7;
        die(p, 230, 200);
        add_ae(p, "呼吸不全 (ILD progression)", "Respiratory failure", SOC_RESP, 215, 230, 5, 1,
               "NOT RELATED", "DRUG WITHDRAWN", "FATAL");
        break;
    case 15:                                  /* unscheduled progression, day 363 */
        complete(p, r, 352, cutoff);
        p->unsched_prog = 363;
        p->end_day = 363;
        break;
    default:
        break;
    }
    if (i == 0 || i == 16 || i == 21)
        p->dv = 1;
    if (i >= 23)
        p->post_cutoff = 1;
}

/* Generic roles for TAC subjects beyond the published 26. */
static void plan_generic_tac(plan *p, demo_rng *r, long cutoff)
{
    double u = demo_rng_unif(r);
    complete(p, r, 365 + demo_rng_int(r, -10, 7), cutoff);
    if (u < 0.02) {
        p->d1 = 0;
        p->last_visit = p->vday[V_SCR];
        p->end_day = p->vday[V_SCR] + 5;
        p->end_reason = "WITHDRAWAL BY SUBJECT";
        p->end_term = "Withdrew consent before the first dose";
        p->lka_day = p->end_day;
    } else if (u < 0.08) {
        int day = demo_rng_int(r, 40, 360);
        int v = 3;
        while (v + 1 < V_W52 && VISITS[v + 1].target + 3 < day - 10)
            v++;
        p->prog_vis = v;
        die(p, day, day - 10);
    } else if (u < 0.12) {
        int day = demo_rng_int(r, 100, 340);
        p->last_visit = day - 20;
        p->trt_end = day;
        p->trt_reason = "LOST TO FOLLOW-UP";
        p->trt_term = "Lost to follow-up";
        p->end_day = day;
        p->end_reason = "LOST TO FOLLOW-UP";
        p->end_term = "Lost to follow-up";
        p->lka_day = day;
        p->gc_stop = day;
    } else if (u < 0.25) {
        p->prog_vis = demo_rng_int(r, 3, 8);
    } else if (u < 0.32) {
        stop_tac(p, demo_rng_int(r, 60, 300), "ADVERSE EVENT", "Tacrolimus stopped for an adverse event");
    }
    if (p->d1 && demo_rng_chance(r, 0.3)) {
        const ae_def *d = &SERIOUS[demo_rng_int(r, 0, NSERIOUS - 1)];
        int hi = p->trt_end + 20 < p->lka_day ? p->trt_end + 20 : p->lka_day;
        if (hi > 20) {
            int st = demo_rng_int(r, 10, hi);
            add_ae(p, pick_term(r, d), d->decod, d->soc, st, st + demo_rng_int(r, 7, 40), 3, 1,
                   "POSSIBLY RELATED", "DRUG INTERRUPTED", "RECOVERED/RESOLVED");
        }
    }
    if (p->d1 && demo_rng_chance(r, 0.08)) {
        p->addl_drug = demo_rng_chance(r, 0.5) ? "CYCLOPHOSPHAMIDE" : "RITUXIMAB";
        p->addl_start = demo_rng_int(r, 30, 300);
    }
    if (p->d1 && demo_rng_chance(r, 0.1))
        p->dv = demo_rng_chance(r, 0.2) ? 2 : 1;
}

static void plan_hc(plan *p, demo_rng *r)
{
    long j = p->index;
    complete(p, r, 365 + demo_rng_int(r, -10, 7), p->d1 + 2000);
    p->vday[V_SCR] = 0;                                   /* retrospective: no screening */
    for (int v = 2; v < V_W52; v++)
        if ((v == 2 || v == 6 || v == 8) && demo_rng_chance(r, 0.5))
            p->vday[v] = 0;                               /* visit not in the charts */
    if (j == 5) {
        p->prog_vis = 5;
        die(p, 150, 120);
    } else if (j >= 16 && demo_rng_chance(r, 0.08)) {
        p->prog_vis = 4;
        die(p, demo_rng_int(r, 70, 360), 60);
    } else if (j == 2 || j == 11 || (j >= 16 && demo_rng_chance(r, 0.15))) {
        p->prog_vis = demo_rng_int(r, 4, 7);
    }
    if (j == 1 || j == 4 || j == 9 || j == 12 || j == 15 || (j >= 16 && demo_rng_chance(r, 0.3))) {
        p->addl_drug = j % 2 ? "CYCLOPHOSPHAMIDE" : "CYCLOSPORINE";
        p->addl_start = demo_rng_int(r, 30, 200);
    }
}

/* Background (non-serious) AEs of a dosed TAC subject, then the order and
 * the sponsor ids: AESPID follows generation order, so it is the same in
 * every as-of view; rows are written by start day. */
static void plan_background_aes(plan *p, demo_rng *r)
{
    int hi = p->trt_end + 20;
    int alive = p->lka_day;
    if (hi > alive)
        hi = alive;
    for (size_t k = 0; k < NBACK && hi > 5; k++) {
        const ae_def *d = &BACKGROUND[k];
        if (!demo_rng_chance(r, d->p))
            continue;
        int st = demo_rng_int(r, 3, hi);
        int ongoing = demo_rng_chance(r, 0.12);
        int en = ongoing ? 0 : st + demo_rng_int(r, 3, 60);
        if (en && en > alive)
            en = alive;
        int typical = k < 5;
        add_ae(p, pick_term(r, d), d->decod, d->soc, st, en, demo_rng_chance(r, 0.25) ? 2 : 1, 0,
               typical ? (demo_rng_chance(r, 0.6) ? "RELATED" : "POSSIBLY RELATED")
                       : (demo_rng_chance(r, 0.8) ? "NOT RELATED" : "POSSIBLY RELATED"),
               typical && demo_rng_chance(r, 0.4) ? "DOSE REDUCED" : "DOSE NOT CHANGED",
               ongoing ? "NOT RECOVERED/NOT RESOLVED" : "RECOVERED/RESOLVED");
    }
    for (int k = 1; k < p->nae; k++)                       /* stable insertion sort */
        for (int m = k; m > 0 && p->ae[m - 1].st > p->ae[m].st; m--) {
            ae_rec t = p->ae[m];
            p->ae[m] = p->ae[m - 1];
            p->ae[m - 1] = t;
        }
}

static void plan_subject(plan *p, demo_rng *r, const demo_study *s, int arm, long index)
{
    memset(p, 0, sizeof *p);
    p->arm = arm;
    p->index = index;
    demo_usubjid(p->usubjid, sizeof p->usubjid, s->names, arm, index);
    snprintf(p->subjid, sizeof p->subjid, "%c%04ld", "THS"[arm], index + 1);
    snprintf(p->siteid, sizeof p->siteid, "%02ld", 1 + index % 5);
    common_baseline(p, r);
    if (arm == DEMO_ARM_TAC) {
        /* Enrolment April 2013 - May 2014: every subject can reach day 365
         * and a contact after it before the cut-off. */
        long start = demo_days(2013, 4, 8);
        p->d1 = index < 26 ? start + index * 15 + demo_rng_int(r, 0, 4)
                           : start + demo_rng_int(r, 0, 400);
        int y, m, d;
        demo_civil(p->d1, &y, &m, &d);
        if (d < 4)
            p->d1 += 4;                       /* day 1 is never the 1st of its month */
        p->ic = p->d1 + p->vday[V_SCR] - 1;
        if (index < 26)
            plan_default_tac(p, r, s->cutoff);
        else
            plan_generic_tac(p, r, s->cutoff);
        if (p->d1)
            plan_background_aes(p, r);
    } else if (arm == DEMO_ARM_HC) {
        p->d1 = demo_days(2005, 3, 1) + (index < 16 ? index * 140 : demo_rng_int(r, 0, 2500)) +
                demo_rng_int(r, 0, 60);
        p->ic = demo_days(2013, 6, 3) + (index < 16 ? index * 15 : demo_rng_int(r, 0, 300));
        plan_hc(p, r);
    } else {
        p->d1 = 0;
        p->ic = demo_days(2013, 5, 10) + index * 190;
    }
}

/* ---- writing a planned subject ------------------------------------------ */

typedef struct wctx {
    demo_writer *w;
    const plan *p;
    demo_rng *r;
    long cutoff;
    const demo_names *names;
} wctx;

/* End date text: blank when the record is still open on the as-of day. */
static void end_text(const wctx *c, char *out, long day, int month_only)
{
    out[0] = '\0';
    if (day == DEMO_NODATE || !demo_keep(c->w, day))
        return;
    if (month_only)
        demo_fmt_month(out, day);
    else
        demo_fmt_date(out, day);
}

static long first_of_month(long day)
{
    int y, m, d;
    demo_civil(day, &y, &m, &d);
    return demo_days(y, m, 1);
}

static void write_dm(const wctx *c)
{
    const plan *p = c->p;
    char ic[11], st[11] = "", en[11] = "", dth[11] = "";
    demo_fmt_date(ic, p->ic);
    int treated = p->d1 && demo_keep(c->w, p->d1) && p->arm != DEMO_ARM_SCRNFAIL;
    if (treated)
        demo_fmt_date(st, p->d1);
    if (p->end_day && p->arm != DEMO_ARM_SCRNFAIL) {
        int month = p->death_month && p->end_day == p->death_day;
        long ed = p->d1 ? dn(p, p->end_day) : p->ic + 5;
        end_text(c, en, month ? first_of_month(ed) : ed, 0);
        if (en[0] && month)
            demo_fmt_month(en, ed);
    }
    if (p->death_day) {
        long dd = dn(p, p->death_day);
        if (demo_keep(c->w, p->death_month ? first_of_month(dd) : dd))
            (p->death_month ? demo_fmt_month : demo_fmt_date)(dth, dd);
    }
    const char *const *ARMCD = c->names->armcd, *const *ARM = c->names->arm;
    const char *act = ARMCD[p->arm], *actarm = ARM[p->arm];
    if (p->arm == DEMO_ARM_TAC && !treated) {
        act = "NOTTRT";
        actarm = "Not Treated";
    }
    demo_put(c->w, T_DM, p->ic, c->names->studyid, p->subjid, p->siteid, ic, st, en, dth,
             dth[0] ? "Y" : "", p->age, "YEARS", p->female ? "F" : "M", "ASIAN", ARMCD[p->arm],
             ARM[p->arm], act, actarm, "JPN");
}

static void write_sc(const wctx *c)
{
    demo_rng *r = c->r;
    int lv[DEMO_NSC];   /* each characteristic's level (demo_sc.value) */
    double u = demo_rng_unif(r);
    lv[DEMO_SC_MYO] = u < 0.3 ? 0 : u < 0.7 ? 1 : 2;                 /* PM, DM, CADM */
    lv[DEMO_SC_ONSET] = demo_rng_chance(r, 0.8) ? 0 : 1;              /* NEW, RELAPSE */
    lv[DEMO_SC_COURSE] = demo_rng_chance(r, c->p->arm == DEMO_ARM_HC ? 0.3 : 0.45) ? 0 : 1;
    /* POSITIVE, NEGATIVE, NOT DONE; anti-MDA5 is rare in PM */
    lv[DEMO_SC_ARS] = demo_rng_chance(r, 0.05) ? 2 : demo_rng_chance(r, 0.35) ? 0 : 1;
    lv[DEMO_SC_MDA5] = demo_rng_chance(r, 0.1) ? 2
                       : demo_rng_chance(r, lv[DEMO_SC_MYO] ? 0.45 : 0.05) ? 0 : 1;
    double s = demo_rng_unif(r);
    lv[DEMO_SC_SMOKER] = s < 0.55 ? 0 : s < 0.85 ? 1 : 2;             /* NEVER, FORMER, CURRENT */
    /* the rows in the demo's order of old (the database stays the same) */
    static const int ORDER[DEMO_NSC] = {DEMO_SC_MYO, DEMO_SC_ONSET, DEMO_SC_COURSE, DEMO_SC_ARS,
                                        DEMO_SC_MDA5, DEMO_SC_SMOKER};
    for (int k = 0; k < DEMO_NSC; k++) {
        const demo_sc *sc = &c->names->sc[ORDER[k]];
        const char *v = sc->value[lv[ORDER[k]]];
        demo_put(c->w, T_SC, c->p->ic, sc->testcd, sc->test, v, v);
    }
}

static int prog_before(const plan *p, int v)
{
    return p->prog_vis >= 0 && v > p->prog_vis;
}

static double lab_value(const wctx *c, int k, int sd, int v)
{
    const plan *p = c->p;
    demo_rng *r = c->r;
    double b = p->lb0[k], t = sd > 1 ? sd : 0;
    double on_tac = p->arm == DEMO_ARM_TAC && p->d1 && sd > 1 && sd <= p->trt_end + 14;
    double noise = exp(demo_rng_norm(r, 0, 0.08));
    double x;
    switch (k) {
    case L_KL6:
        x = b * (1 - p->resp * 0.5 * (1 - exp(-t / 100))) * (prog_before(p, v) ? 1.4 : 1);
        break;
    case L_CK:
        x = 90 + (b - 90) * exp(-t / 25);
        break;
    case L_CREAT:
        x = b * (on_tac ? 1.25 : 1);
        break;
    case L_GLUC:
        x = b + (t > 0 ? 40 * exp(-t / 200) : 0);
        break;
    case L_HBA1C:
        x = b + (t > 0 ? 0.5 : 0);
        noise = exp(demo_rng_norm(r, 0, 0.03));
        break;
    case L_K:
        x = b + (on_tac ? 0.2 : 0);
        noise = exp(demo_rng_norm(r, 0, 0.06));
        break;
    case L_MG:
        x = b - (on_tac ? 0.3 : 0);
        break;
    case L_ALT:
    case L_AST:
        x = b * (t > 0 ? 0.6 : 1);
        noise = exp(demo_rng_norm(r, 0, 0.25));
        break;
    case L_WBC:
        x = b + (t > 0 ? 2.5 : 0);
        noise = exp(demo_rng_norm(r, 0, 0.15));
        break;
    case L_LYMPH:
        x = b * (t > 0 ? 0.7 : 1);
        noise = exp(demo_rng_norm(r, 0, 0.15));
        break;
    case L_CRP:
        x = t > 0 ? 0.15 : b;
        noise = exp(demo_rng_norm(r, 0, 0.7));
        break;
    default:
        x = b * (t > 0 ? 0.5 + 0.5 * exp(-t / 60) : 1);
        break;
    }
    return x * noise;
}

static void write_lb(const wctx *c, int v, int sd, long day, double vnum, const char *vname,
                     const char *date, int only_core)
{
    for (int k = 0; k < NLAB; k++) {
        if (only_core && !LABS[k].core)
            continue;
        if (only_core == 2 && k != L_CREAT)
            continue;
        double x = lab_value(c, k, sd, v);
        char orres[32];
        double num;
        const char *ind;
        if (k == L_CRP && x < CRP_LOQ) {
            snprintf(orres, sizeof orres, "<%.2f", CRP_LOQ);
            num = NAN;
            ind = CRP_LOQ < LABS[k].lo ? "LOW" : "NORMAL";
        } else {
            snprintf(orres, sizeof orres, "%.*f", LABS[k].dec, x);
            num = strtod(orres, NULL);
            ind = num < LABS[k].lo ? "LOW" : num > LABS[k].hi ? "HIGH" : "NORMAL";
        }
        demo_put(c->w, T_LB, day, LABS[k].cd, LABS[k].name, LABS[k].cat, orres, LABS[k].unit, num,
                 LABS[k].unit, LABS[k].lo, LABS[k].hi, ind, v == V_BL ? "Y" : "", vnum, vname, date);
    }
}

static void write_visits(const wctx *c)
{
    const plan *p = c->p;
    demo_rng *r = c->r;
    double vc0 = demo_rng_norm(r, 72, 12), dl0 = demo_rng_norm(r, 52, 10);
    int mmt0 = demo_rng_int(r, 52, 76);
    for (int v = 0; v < NVIS; v++) {
        int sd = p->vday[v];
        if (sd == 0 || (sd > p->last_visit && v != V_SCR) || (!p->d1 && v != V_SCR))
            continue;
        long day = p->d1 ? dn(p, sd) : p->ic;
        char date[11];
        demo_fmt_date(date, day);
        double vnum = VISITS[v].num;
        const char *vname = VISITS[v].name;
        const char *bl = v == V_BL ? "Y" : "";
        double t = sd > 1 ? sd : 0;
        double wt = p->weight + 3 * (1 - exp(-t / 60)) + demo_rng_norm(r, 0, 0.4);
        demo_put(c->w, T_VS, day, "WEIGHT", round(wt * 10) / 10, "kg", bl, vnum, vname, date);
        if (v == V_SCR || (p->arm == DEMO_ARM_HC && v == V_BL))
            demo_put(c->w, T_VS, day, "HEIGHT", p->height, "cm", "Y", vnum, vname, date);
        write_lb(c, v, sd, day, vnum, vname, date, !full_panel(v));
        double dec = prog_before(p, v) || p->prog_vis == v ? -8 : 0;
        double vc = vc0 + p->resp * 12 * (1 - exp(-t / 80)) + dec + demo_rng_norm(r, 0, 2.5);
        double fvc = vc + demo_rng_norm(r, -1.5, 1.5);
        double dl = dl0 + p->resp * 10 * (1 - exp(-t / 90)) + dec + demo_rng_norm(r, 0, 3);
        demo_put(c->w, T_RE, day, "VCPP", "Vital Capacity % Predicted", round(vc * 10) / 10, "%", bl, vnum, vname, date);
        demo_put(c->w, T_RE, day, "FVCPP", "Forced Vital Capacity % Predicted", round(fvc * 10) / 10, "%", bl, vnum, vname, date);
        demo_put(c->w, T_RE, day, "DLCOPP", "DLCO % Predicted", round(dl * 10) / 10, "%", bl, vnum, vname, date);
        double mmt = mmt0 + p->resp * (80 - mmt0) * (1 - exp(-t / 60)) + demo_rng_norm(r, 0, 1.5);
        demo_put(c->w, T_FT, day, "MMT8", (double)(mmt > 80 ? 80 : round(mmt)), bl, vnum, vname, date);
        if (v > V_BL) {
            const char *resp;
            if (v == p->prog_vis)
                resp = "PROGRESSED";
            else if (prog_before(p, v))
                resp = demo_rng_chance(r, 0.5) ? "PROGRESSED" : "STABLE";
            else
                resp = demo_rng_chance(r, sd < 60 ? 0.35 : 0.5 + 0.4 * p->resp) ? "IMPROVED" : "STABLE";
            demo_put(c->w, T_RS, day, "IPRESP", resp, date, vnum, vname);
        }
        if (p->arm == DEMO_ARM_TAC && v > V_BL && sd <= p->trt_end) {
            double tr = exp(demo_rng_norm(r, log(7.0), 0.28));
            demo_put(c->w, T_PC, day, c->names->pc_testcd, round(tr * 10) / 10, "ng/mL", vnum, vname, date);
        }
    }
    if (p->unsched_prog) {
        long day = dn(p, p->unsched_prog);
        char date[11];
        demo_fmt_date(date, day);
        demo_put(c->w, T_RS, day, "IPRESP", "PROGRESSED", date, 10.1, "UNSCHEDULED");
        write_lb(c, V_W52, p->unsched_prog, day, 10.1, "UNSCHEDULED", date, 1);
    }
    if (p->post_cutoff) {                     /* a follow-up visit after the cut-off */
        long day = c->cutoff + 8 + p->index % 10;
        char date[11];
        demo_fmt_date(date, day);
        int sd = sday(p, day);
        demo_put(c->w, T_VS, day, "WEIGHT", round((p->weight + 2.5) * 10) / 10, "kg", "", 10.1, "UNSCHEDULED", date);
        write_lb(c, V_W52, sd, day, 10.1, "UNSCHEDULED", date, 2);
    }
}

static void write_ex_row(const wctx *c, const char *trt, double dose, const char *frq, int st,
                         int en, int ongoing)
{
    const plan *p = c->p;
    char sdt[11], edt[11];
    demo_fmt_date(sdt, dn(p, st));
    end_text(c, edt, ongoing ? DEMO_NODATE : dn(p, en), 0);
    demo_put(c->w, T_EX, dn(p, st), trt, dose, "mg", frq, sdt, edt);
}

static void write_ex(const wctx *c)
{
    const plan *p = c->p;
    if (!p->d1)
        return;
    if (p->arm == DEMO_ARM_TAC && p->trt_end >= 1) {
        double d0 = round(0.075 * p->weight * 2) / 2;
        static const int starts[] = {1, 15, 57, 183};
        double doses[4] = {d0, d0 + 0.5 * demo_rng_int(c->r, -1, 1), 0, 0};
        doses[2] = doses[1] + 0.5 * demo_rng_int(c->r, -1, 1);
        doses[3] = doses[2] - 0.5 * demo_rng_int(c->r, 0, 1);
        for (int k = 0; k < 4 && starts[k] <= p->trt_end; k++) {
            int en = k < 3 && starts[k + 1] - 1 < p->trt_end ? starts[k + 1] - 1 : p->trt_end;
            write_ex_row(c, c->names->drug, doses[k] < 0.5 ? 0.5 : doses[k], "BID", starts[k], en, 0);
            if (en == p->trt_end)
                break;
        }
    }
    /* Glucocorticoids: optional methylprednisolone pulse (1000 mg/day for 3
     * days), then prednisolone 0.6-1.0 mg/kg/day for 4 weeks, tapered by
     * 10% every 2 weeks (2.5 mg steps) down to 10 mg/day. */
    int st = 1;
    if (p->pulse) {
        write_ex_row(c, c->names->gc_pulse, 1000, "QD", 1, 3, 0);
        st = 4;
    }
    double dose = round(p->psl_mgkg * p->weight / 5) * 5;
    int en = 28;
    int stop = p->gc_stop ? p->gc_stop : 0;
    for (;;) {
        int last = dose <= 10;
        if (stop && st > stop)
            break;
        int this_end = last ? 0 : en;
        if (stop && (last || this_end >= stop)) {
            write_ex_row(c, c->names->gc_daily, dose, "QD", st, stop, 0);
            break;
        }
        write_ex_row(c, c->names->gc_daily, dose, "QD", st, this_end, last);
        if (last)
            break;
        st = en + 1;
        en += 14;
        double next = floor(dose * 0.9 / 2.5) * 2.5;
        dose = next < 10 ? 10 : next;
    }
}

static void write_cm(const wctx *c)
{
    const plan *p = c->p;
    if (!p->d1)
        return;
    char sdt[11], edt[11];
    demo_fmt_date(sdt, dn(p, 1));
    if (p->arm == DEMO_ARM_TAC) {
        end_text(c, edt, p->gc_stop ? dn(p, p->gc_stop) : DEMO_NODATE, 0);
        demo_put(c->w, T_CM, dn(p, 1), "バクタ配合錠", "SULFAMETHOXAZOLE;TRIMETHOPRIM", "PROPHYLAXIS", sdt, edt);
    }
    if (p->addl_drug) {
        demo_fmt_date(sdt, dn(p, p->addl_start));
        end_text(c, edt, p->addl_end ? dn(p, p->addl_end) : DEMO_NODATE, 0);
        const char *trt = strcmp(p->addl_drug, "CYCLOPHOSPHAMIDE") == 0 ? "Endoxan IV (IVCY)"
                          : strcmp(p->addl_drug, "CYCLOSPORINE") == 0 ? "ネオーラル"
                                                                      : "Rituximab";
        demo_put(c->w, T_CM, dn(p, p->addl_start), trt, p->addl_drug, "ADDITIONAL IMMUNOSUPPRESSANT", sdt, edt);
    }
}

static void write_ae(const wctx *c)
{
    const plan *p = c->p;
    for (int k = 0; k < p->nae; k++) {
        const ae_rec *a = &p->ae[k];
        long st = a->st_abs ? a->st_abs : dn(p, a->st);
        char sdt[11], edt[11], grade[2], spid[16];
        long fday = a->st_month ? first_of_month(st) : st;
        if (!demo_keep(c->w, fday))
            continue;
        (a->st_month ? demo_fmt_month : demo_fmt_date)(sdt, st);
        long en = a->en ? dn(p, a->en) : DEMO_NODATE;
        end_text(c, edt, en == DEMO_NODATE ? en : (a->en_month ? first_of_month(en) : en), 0);
        const char *out = a->out;
        int g = a->grade;
        if (edt[0] && a->en_month)
            demo_fmt_month(edt, en);
        if (!edt[0] && a->en) {                   /* still going on the as-of day */
            out = "NOT RECOVERED/NOT RESOLVED";
            if (g == 5)
                g = 4;
        }
        snprintf(grade, sizeof grade, "%d", g);
        snprintf(spid, sizeof spid, "AE%03d", a->spid);
        demo_put(c->w, T_AE, fday, a->term, a->decod, a->soc, grade, a->serious ? "Y" : "N",
                 a->rel, a->acn, out, sdt, edt, spid);
    }
}

static void write_ds_row(const wctx *c, const char *cat, const char *scat, const char *term,
                         const char *decod, long day, int month_only, const char *epoch)
{
    char d[11];
    (month_only ? demo_fmt_month : demo_fmt_date)(d, day);
    /* the planned terms name the demo's drug; another study's name its own
     * (same case of the first letter) */
    char *own = NULL;
    static const char DRUG[] = "acrolimus";   /* after a 'T' or 't' */
    const char *hit = term ? strstr(term, DRUG) : NULL;
    if (hit && hit > term && (hit[-1] == 'T' || hit[-1] == 't') &&
        strcmp(c->names->drug, "TACROLIMUS") != 0) {
        char *label = xstrdup(c->names->drug_label);
        if (hit[-1] == 't')
            for (char *q = label; *q; q++)
                *q = (char)tolower((unsigned char)*q);
        own = xasprintf("%.*s%s%s", (int)(hit - 1 - term), term, label, hit + sizeof DRUG - 1);
        free(label);
        term = own;
    }
    demo_put(c->w, T_DS, month_only ? first_of_month(day) : day, cat, scat, term, decod, d, epoch);
    free(own);
}

static void write_ds(const wctx *c)
{
    const plan *p = c->p;
    const char *ev = "DISPOSITION EVENT";
    if (!p->d1) {
        long day = p->ic + 5;
        write_ds_row(c, ev, "STUDY PARTICIPATION", p->end_term, p->end_reason, day, 0, "SCREENING");
        write_ds_row(c, "OTHER EVENT", "", "Last contact", "LAST KNOWN ALIVE", day, 0, "SCREENING");
        return;
    }
    int dm = p->death_month;
    if (p->arm == DEMO_ARM_TAC && p->trt_end >= 1) {
        int is_death = strcmp(p->trt_reason, "DEATH") == 0;
        write_ds_row(c, ev, "STUDY TREATMENT", p->trt_term, p->trt_reason,
                     dn(p, is_death ? p->death_day : p->trt_end), is_death && dm, "TREATMENT");
    }
    int died = p->death_day > 0;
    write_ds_row(c, ev, "STUDY PARTICIPATION", p->end_term, p->end_reason, dn(p, p->end_day),
                 died && dm, "TREATMENT");
    write_ds_row(c, "OTHER EVENT", "", "Last contact", "LAST KNOWN ALIVE", dn(p, p->lka_day), 0,
                 "FOLLOW-UP");
}

static void write_dv(const wctx *c)
{
    const plan *p = c->p;
    char d[11];
    if (!p->dv || !p->d1)
        return;
    if (p->dv == 2) {
        long day = dn(p, 40);
        demo_fmt_date(d, day);
        demo_put(c->w, T_DV, day, "Received IVIG (prohibited) for refractory myositis",
                 "PROHIBITED MEDICATION", "MAJOR", d);
    } else {
        long day = dn(p, p->vday[4] + 1);
        demo_fmt_date(d, day);
        demo_put(c->w, T_DV, day, "Week 8 visit outside the window (+10 days)",
                 "VISIT OUT OF WINDOW", "MINOR", d);
    }
}

static int write_subject(demo_writer *w, const demo_study *s, int arm, long index)
{
    demo_rng r;
    demo_rng_seed(&r, s->seed, (uint64_t)arm << 40 | (uint64_t)index);
    plan *p = xmalloc(sizeof *p);
    plan_subject(p, &r, s, arm, index);
    if (index == 25 && arm == DEMO_ARM_TAC) {           /* an AE reported after the cut-off */
        ae_rec *a = add_ae(p, "鼻咽頭炎", "Nasopharyngitis", SOC_INF, 0, 0, 1, 0, "NOT RELATED",
                           "NOT APPLICABLE", "RECOVERING/RESOLVING");
        a->st_abs = s->cutoff + 12;
        a->st = sday(p, a->st_abs);
    }
    int rc = 0;
    if (demo_keep(w, p->ic)) {
        demo_subject(w, p->usubjid);
        wctx c = {w, p, &r, s->cutoff, s->names};
        write_dm(&c);
        if (arm != DEMO_ARM_SCRNFAIL) {
            write_sc(&c);
            write_visits(&c);
            write_ds(&c);
            write_ex(&c);
            write_cm(&c);
            if (arm == DEMO_ARM_TAC) {
                write_ae(&c);
                write_dv(&c);
            }
        }
        rc = demo_failed(w) ? -1 : 0;
    }
    free(p);
    return rc;
}

int demo_write_subjects(demo_writer *w, const demo_study *s)
{
    for (long i = 0; i < s->n_subjects; i++)
        if (write_subject(w, s, DEMO_ARM_TAC, i))
            return -1;
    for (long j = 0; j < s->n_controls; j++)
        if (write_subject(w, s, DEMO_ARM_HC, j))
            return -1;
    for (long k = 0; k < 2; k++)
        if (write_subject(w, s, DEMO_ARM_SCRNFAIL, k))
            return -1;
    return 0;
}
