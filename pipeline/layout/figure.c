/*
 * figure.c - KM and mean +/- SE figures from ARD records (see figure.h).
 *
 * Stage: layout. Page: the standard output frame (paginate.h
 * tlf_frame_open: header, titles, footnotes, source line); inside the body
 * area, from the bottom up: the count table ("Number at risk" for KM, "n"
 * for line plots) with one row per arm, the x axis label, the tick labels,
 * then the plot. Black-and-white safe: arms differ by line style (solid,
 * dashed, dotted) and, in line plots, by marker shape. KM censor marks are
 * short vertical ticks at the curve's height, one per censored subject
 * (ties draw several ticks at one place, so the plan's mark count equals
 * the ARD's n_censor sum over the axis range). A line plot's x axis is
 * time in weeks when every visit has an ARD record target_day (the study
 * configuration's schedule; visits at their real distance, ticks at the
 * visits labelled with the week), else categorical (visits equally spaced,
 * labelled by name). A visit's name is never read for a time.
 */
#include "layout/figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "layout/format.h"
#include "layout/table.h"

#define LEAD 1.22
#define TICK 3.0            /* tick length, points                          */
#define CENSOR_H 6.0        /* censor tick height, points                   */
#define LINE_W 1.0          /* line plot width                              */
/* KM curves as survminer draws them (ggplot2 size 1, about 2 pt): clearly
 * heavier than the axes (0.75) and ticks (0.5) */
#define KM_LINE_W 2.0

/* One arm's KM curve, as read from the ARD. */
typedef struct curve {
    char *level, *label;
    tlf_dash dash;
    tlf_mark_shape mark;
    double n;                      /* subjects (stat n, no param)           */
    size_t nt, cap;
    char **tkey;                   /* the t= text as in the ARD             */
    double *t, *n_risk, *n_censor, *surv, *lcl, *ucl;   /* NAN when absent */
} curve;

static void curves_free(curve *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++) {
        free(c[i].level);
        free(c[i].label);
        for (size_t k = 0; k < c[i].nt; k++)
            free(c[i].tkey[k]);
        free(c[i].tkey);
        free(c[i].t);
        free(c[i].n_risk);
        free(c[i].n_censor);
        free(c[i].surv);
        free(c[i].lcl);
        free(c[i].ucl);
    }
    free(c);
}

static int opt_eq(const char *want, const char *have)
{
    return !want || strcmp(want, have) == 0;
}

/* r belongs to the figure's analysis (everything but the group level). */
static int in_analysis(const tlf_tpl_select *s, const tlf_ard_row *r)
{
    return opt_eq(s->analysis_id, r->analysis_id) && opt_eq(s->population, r->population) &&
           opt_eq(s->group, r->group) && opt_eq(s->variable, r->variable) &&
           opt_eq(s->variable_level, r->variable_level);
}

/* The arms: the template's list, else every group level with a stat
 * (KM: n without param; line: the mean stat) in ARD order. */
static curve *collect_arms(const tlf_tpl_figure *f, const tlf_ard *ard, size_t *narms)
{
    size_t n = 0, cap = 0;
    curve *c = NULL;
    if (f->narms) {
        c = xcalloc(f->narms, sizeof *c);
        for (size_t i = 0; i < f->narms; i++) {
            c[i].level = xstrdup(f->arms[i].level);
            c[i].label = xstrdup(f->arms[i].label);
            c[i].dash = f->arms[i].line;
            c[i].mark = f->arms[i].mark;
        }
        *narms = f->narms;
        return c;
    }
    const char *stat = f->kind == TLF_FIG_KM ? "n" : f->mean_stat;
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        if (!in_analysis(&f->select, r) || strcmp(r->stat_name, stat) != 0 ||
            (f->kind == TLF_FIG_KM && *r->param))
            continue;
        int seen = 0;
        for (size_t k = 0; k < n; k++)
            if (strcmp(c[k].level, r->group_level) == 0)
                seen = 1;
        if (seen)
            continue;
        XGROW(c, cap, n + 1);
        memset(&c[n], 0, sizeof c[n]);
        c[n].level = xstrdup(r->group_level);
        c[n].label = xstrdup(r->group_level);
        c[n].dash = (tlf_dash)(n % 3);
        c[n].mark = (tlf_mark_shape)(n % 3 + 1);
        n++;
    }
    *narms = n;
    return c;
}

/* Index of time key tk in c (appending a new time when absent). */
static size_t time_slot(curve *c, const char *tk, double t)
{
    if (c->nt && strcmp(c->tkey[c->nt - 1], tk) == 0)
        return c->nt - 1;
    for (size_t k = 0; k < c->nt; k++)
        if (strcmp(c->tkey[k], tk) == 0)
            return k;
    if (c->nt == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->tkey = xrealloc(c->tkey, c->cap * sizeof *c->tkey);
        double **arrs[] = {&c->t, &c->n_risk, &c->n_censor, &c->surv, &c->lcl, &c->ucl};
        for (size_t a = 0; a < 6; a++)
            *arrs[a] = xrealloc(*arrs[a], c->cap * sizeof **arrs[a]);
    }
    size_t k = c->nt++;
    c->tkey[k] = xstrdup(tk);
    c->t[k] = t;
    c->n_risk[k] = c->n_censor[k] = c->surv[k] = c->lcl[k] = c->ucl[k] = NAN;
    return k;
}

static int no_record(const tlf_template *t, tlf_err *err, const char *level, const char *what)
{
    return tlf_err_set(err, TLF_EINTERNAL, "%s: figure: no ARD record %s for analysis_id=%s, "
                       "group_level=%s", t->path, what, t->figure->select.analysis_id, level);
}

/* Read one arm's totals and per-time rows. */
static int read_curve(const tlf_template *t, const tlf_ard *ard, unsigned char *used, curve *c,
                      tlf_err *err)
{
    const tlf_tpl_figure *f = t->figure;
    c->n = NAN;
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        if (!in_analysis(&f->select, r) || strcmp(r->group_level, c->level) != 0)
            continue;
        if (!*r->param) {
            if (strcmp(r->stat_name, "n") == 0 && r->kind != TLF_VAL_MISSING) {
                c->n = r->value;
                if (used)
                    used[i] = 1;
            }
            continue;
        }
        static const char *const stats[] = {"n_risk", "n_censor", "surv", "lcl", "ucl"};
        int which = -1;
        for (int s = 0; s < 5; s++)
            if (strcmp(r->stat_name, stats[s]) == 0)
                which = s;
        char tk[64], ci[32];
        if (which < 0 || tlf_param_get(r->param, "t", tk, sizeof tk) != 0)
            continue;
        int has_ci = tlf_param_get(r->param, "ci", ci, sizeof ci) == 0;
        if (which >= 3 && (!has_ci || strcmp(ci, f->ci) != 0 || strstr(r->param, "level=")))
            continue;
        if (which < 3 && strchr(r->param, ';'))
            continue;
        char *end;
        double tv = strtod(tk, &end);
        if (*end || !isfinite(tv) || tv < 0)
            return tlf_err_set(err, TLF_EDATA, "%s: figure: ARD param '%s' of %s (group_level %s) "
                               "has no time", t->path, r->param, r->stat_name, c->level);
        size_t k = time_slot(c, tk, tv);
        double v = r->kind == TLF_VAL_MISSING ? NAN : r->value;
        double *dst[] = {c->n_risk, c->n_censor, c->surv, c->lcl, c->ucl};
        dst[which][k] = v;
        if (used)
            used[i] = 1;
    }
    if (isnan(c->n))
        return no_record(t, err, c->level, "n (without param)");
    if (c->nt == 0 && c->n != 0)   /* n 0: an arm nobody is in yet, no curve */
        return no_record(t, err, c->level, "per time (param t=...)");
    for (size_t k = 0; k < c->nt; k++) {
        if (k && c->t[k] <= c->t[k - 1])
            return tlf_err_set(err, TLF_EDATA, "%s: figure: ARD times of group_level %s are not "
                               "increasing (t=%s after t=%s)", t->path, c->level, c->tkey[k],
                               c->tkey[k - 1]);
        if (isnan(c->n_risk[k]) || isnan(c->surv[k]) || isnan(c->n_censor[k])) {
            char *what = xasprintf("n_risk, n_censor and surv at t=%s", c->tkey[k]);
            int rc = no_record(t, err, c->level, what);
            free(what);
            return rc;
        }
    }
    return 0;
}

double tlf_km_tick_day(double v, int days)
{
    /* sap.md: day 1 is the first day, so week w ends on day 7w + 1 */
    return days ? v : 7.0 * v + 1.0;
}

double tlf_km_at_risk(const double *times, const double *n_risk, size_t n, double t)
{
    for (size_t k = 0; k < n; k++)
        if (times[k] >= t - 1e-9)
            return n_risk[k];
    return 0;
}

/* ---- drawing helpers ---- */

typedef struct G {
    tlf_page *pg;
    tlf_measurer m;
    double fs, lead;
    double px0, px1, py0, py1;     /* plot area                              */
    double xmax, ymin, ymax;       /* axis ranges (display units)            */
} G;

static double gw(const G *g, const char *s)
{
    return g->m.width(g->m.ctx, s, strlen(s), g->fs);
}

static void text(G *g, double x, double y, const char *s, int col, int row)
{
    tlf_page_text(g->pg, x, y, gw(g, s), g->fs, s, strlen(s), col, row);
}

static void text_c(G *g, double xc, double y, const char *s, int col, int row)
{
    text(g, xc - gw(g, s) / 2, y, s, col, row);
}

static double X(const G *g, double v)
{
    return g->px0 + v / g->xmax * (g->px1 - g->px0);
}

static double Y(const G *g, double v)
{
    return g->py0 + (v - g->ymin) / (g->ymax - g->ymin) * (g->py1 - g->py0);
}

/* A number for an axis label: integers without decimals, else up to 4
 * significant decimals (display only). */
static void axis_num(char *out, size_t n, double v)
{
    if (fabs(v - round(v)) < 1e-9)
        snprintf(out, n, "%.0f", round(v) == 0 ? 0.0 : round(v));
    else
        snprintf(out, n, "%.4g", v);
}

/* Axes, y ticks every ystep with labels, the rotated y label. */
static void draw_y_axis(G *g, double ystep, const char *label)
{
    tlf_page_line(g->pg, g->px0, g->py0, g->px0, g->py1, 0.75, TLF_DASH_SOLID);
    tlf_page_line(g->pg, g->px0, g->py0, g->px1, g->py0, 0.75, TLF_DASH_SOLID);
    double wmax = 0;
    size_t nt = (size_t)llround((g->ymax - g->ymin) / ystep);
    for (size_t i = 0; i <= nt; i++) {
        double v = g->ymin + (double)i * ystep, y = Y(g, v);
        char s[32];
        axis_num(s, sizeof s, v);
        tlf_page_line(g->pg, g->px0 - TICK, y, g->px0, y, 0.5, TLF_DASH_SOLID);
        double w = gw(g, s);
        if (w > wmax)
            wmax = w;
        text(g, g->px0 - TICK - 2 - w, y - 0.35 * g->fs, s, -1, -1);
    }
    double xl = g->px0 - TICK - 4 - wmax - 0.3 * g->fs;
    double lw = gw(g, label);
    tlf_page_text_rot(g->pg, xl, (g->py0 + g->py1) / 2 - lw / 2, lw, g->fs, label, 90);
}

/* Legend: a line sample (and marker) and the label of each arm. Line
 * plots put it in the plot's top-right corner; survival curves fall from
 * the top left, so a KM legend sits in the bottom-left corner, where the
 * curves of a survival figure rarely go. */
static void draw_legend(G *g, const curve *c, size_t n, const char *const *labels, int marks,
                        double line_w)
{
    double wmax = 0;
    for (size_t i = 0; i < n; i++)
        if (gw(g, labels[i]) > wmax)
            wmax = gw(g, labels[i]);
    double sample = 28, x1 = g->px1 - 6, x0 = x1 - wmax - sample - 6;
    double y = g->py1 - g->lead;
    if (!marks) {
        x0 = g->px0 + 10;
        y = g->py0 + (double)n * g->lead + 0.5 * g->lead;
    }
    for (size_t i = 0; i < n; i++, y -= g->lead) {
        double ym = y + 0.3 * g->fs;
        tlf_page_line(g->pg, x0, ym, x0 + sample, ym, line_w, c[i].dash);
        if (marks)
            tlf_page_mark(g->pg, x0 + sample / 2, ym, 4.5, 0.75, c[i].mark);
        text(g, x0 + sample + 6, y, labels[i], -1, -1);
    }
}

/* The count table under the x axis: a title line, then one row per arm
 * with its label at the left margin and values centred at xs. Value
 * items carry col = position index and row = arm index. */
static void draw_counts(G *g, double left, double y, const char *title, const curve *c, size_t n,
                        const double *xs, size_t nx, const double *vals /* n * nx */)
{
    text(g, left, y, title, -1, -1);
    for (size_t a = 0; a < n; a++) {
        y -= g->lead;
        text(g, left, y, c[a].label, -1, -1);
        for (size_t k = 0; k < nx; k++) {
            double v = vals[a * nx + k];
            char s[TLF_FMT_MAX];
            if (isnan(v))
                snprintf(s, sizeof s, "-");
            else if (tlf_fmt_fixed(s, sizeof s, v, v == floor(v) ? 0 : 1, 0) != 0)
                snprintf(s, sizeof s, "-");
            text_c(g, xs[k], y, s, (int)k, (int)a);
        }
    }
}

/* ---- Kaplan-Meier ---- */

static void km_curve(G *g, const curve *c, double unit, int band, int censor)
{
    double tmax = g->xmax * unit;
    size_t cap = 4 * c->nt + 8, np = 0;
    double *xy = xmalloc(2 * cap * sizeof *xy);
#define PT(px, py) (xy[2 * np] = (px), xy[2 * np + 1] = (py), np++)
    if (band) {
        /* upper limit left to right, lower limit back, as steps */
        double *up = xmalloc(2 * cap * sizeof *up);
        size_t nu = 0;
        double prev_u = 100, prev_l = 100, last_t = 0;
        up[nu++] = X(g, 0);
        up[nu++] = Y(g, 100);
        np = 0;
        PT(X(g, 0), Y(g, 100));
        for (size_t k = 0; k < c->nt && c->t[k] <= tmax; k++) {
            if (isnan(c->lcl[k]) || isnan(c->ucl[k]))
                break;
            double xk = X(g, c->t[k] / unit);
            up[nu++] = xk; up[nu++] = Y(g, prev_u);
            up[nu++] = xk; up[nu++] = Y(g, c->ucl[k] * 100);
            PT(xk, Y(g, prev_l));
            PT(xk, Y(g, c->lcl[k] * 100));
            prev_u = c->ucl[k] * 100;
            prev_l = c->lcl[k] * 100;
            last_t = c->t[k];
        }
        double xe = X(g, last_t / unit);
        up[nu++] = xe; up[nu++] = Y(g, prev_u);
        PT(xe, Y(g, prev_l));
        /* polygon = upper path, then the lower path reversed */
        size_t nupts = nu / 2, total = nupts + np;
        double *poly = xmalloc(2 * total * sizeof *poly);
        memcpy(poly, up, nu * sizeof *up);
        for (size_t k = 0; k < np; k++) {
            poly[nu + 2 * k] = xy[2 * (np - 1 - k)];
            poly[nu + 2 * k + 1] = xy[2 * (np - 1 - k) + 1];
        }
        tlf_page_polygon(g->pg, poly, total, 0.5, 0.2);
        free(poly);
        free(up);
    }
    np = 0;
    double s = 100;
    PT(X(g, 0), Y(g, 100));
    size_t k = 0;
    for (; k < c->nt && c->t[k] <= tmax + 1e-9; k++) {
        double xk = X(g, c->t[k] / unit), sk = c->surv[k] * 100;
        if (sk != s) {
            PT(xk, Y(g, s));
            PT(xk, Y(g, sk));
            s = sk;
        }
    }
    /* follow-up continues to the last time (or the axis end) */
    double t_end = k < c->nt ? tmax : (c->nt ? c->t[c->nt - 1] : 0);
    PT(X(g, t_end / unit), Y(g, s));
    tlf_page_polyline(g->pg, xy, np, KM_LINE_W, c->dash);
#undef PT
    free(xy);
    if (!censor)
        return;
    for (size_t j = 0; j < c->nt && c->t[j] <= tmax + 1e-9; j++) {
        long nc = lround(c->n_censor[j]);
        for (long q = 0; q < nc; q++)
            tlf_page_mark(g->pg, X(g, c->t[j] / unit), Y(g, c->surv[j] * 100), CENSOR_H, 1.0,
                          TLF_MARK_TICK);
    }
}

/* Lay out the plot area inside fr leaving rows count-table rows and the
 * axis labels underneath; left_pad = width of the row labels. */
static int plot_area(G *g, const tlf_frame *fr, size_t rows, double left_pad, double legend_w,
                     const tlf_template *t, tlf_err *err)
{
    (void)legend_w;
    double below = (double)(rows + 1) * g->lead   /* count table      */
                   + 2.6 * g->lead;                 /* tick labels, x label, gap */
    g->py0 = fr->bottom + below;
    g->py1 = fr->top - 0.8 * g->lead;
    double ylab = 4 * g->fs + 2 * g->lead;           /* y ticks + rotated label */
    g->px0 = fr->left + (left_pad > ylab ? left_pad : ylab) + 6;
    g->px1 = fr->right - 12;
    if (g->py1 - g->py0 < 72 || g->px1 - g->px0 < 144)
        return tlf_err_set(err, TLF_EUSAGE, "%s: the page leaves no room for the plot (%.0f x "
                           "%.0f pt); use landscape, fewer titles or footnotes", t->path,
                           g->px1 - g->px0, g->py1 - g->py0);
    return 0;
}

static int km_figure(G *g, const tlf_frame *fr, const tlf_template *t, const tlf_ard *ard,
                     unsigned char *used, tlf_err *err)
{
    const tlf_tpl_figure *f = t->figure;
    size_t narms = 0;
    curve *c = collect_arms(f, ard, &narms);
    char **labels = NULL;
    double *xs = NULL, *vals = NULL;
    int rc = 0;
    if (!narms) {
        rc = no_record(t, err, "(any)", "n");
        goto done;
    }
    for (size_t a = 0; a < narms && !rc; a++)
        rc = read_curve(t, ard, used, &c[a], err);
    if (rc)
        goto done;
    double unit = f->days ? 1.0 : 7.0;
    double lpad = 0;
    for (size_t a = 0; a < narms; a++)
        if (gw(g, c[a].label) + 8 > lpad)
            lpad = gw(g, c[a].label) + 8;
    /* The axis reaches the day the last tick stands for: tick w is day
     * 7w + 1 (the landmark, day 365 at week 52), so a censoring on the
     * landmark day is drawn and not clipped at day 364. */
    g->xmax = fmax(f->x_max, tlf_km_tick_day(f->x_max, f->days) / unit);
    g->ymin = 0;
    g->ymax = 100;
    if ((rc = plot_area(g, fr, f->at_risk ? narms + 1 : 0, lpad, 0, t, err)) != 0)
        goto done;
    draw_y_axis(g, 20, f->y_label);
    size_t nticks = (size_t)floor(f->x_max / f->x_tick + 1e-9) + 1;
    xs = xcalloc(nticks, sizeof *xs);
    for (size_t i = 0; i < nticks; i++) {
        double v = (double)i * f->x_tick;
        char s[32];
        axis_num(s, sizeof s, v);
        xs[i] = X(g, v);
        tlf_page_line(g->pg, xs[i], g->py0 - TICK, xs[i], g->py0, 0.5, TLF_DASH_SOLID);
        text_c(g, xs[i], g->py0 - TICK - g->lead, s, -1, -1);
    }
    text_c(g, (g->px0 + g->px1) / 2, g->py0 - TICK - 2.2 * g->lead, f->x_label, -1, -1);
    for (size_t a = 0; a < narms; a++)
        if (c[a].nt)
            km_curve(g, &c[a], unit, f->ci_band, f->censor_marks);
    labels = xcalloc(narms, sizeof *labels);
    for (size_t a = 0; a < narms; a++) {
        char n[TLF_FMT_MAX];
        tlf_fmt_fixed(n, sizeof n, c[a].n, c[a].n == floor(c[a].n) ? 0 : 1, 0);
        labels[a] = xasprintf("%s (N=%s)", c[a].label, n);
    }
    draw_legend(g, c, narms, (const char *const *)labels, 0, KM_LINE_W);
    if (f->at_risk) {
        vals = xcalloc(narms * nticks, sizeof *vals);
        for (size_t a = 0; a < narms; a++)
            for (size_t i = 0; i < nticks; i++)
                vals[a * nticks + i] = tlf_km_at_risk(c[a].t, c[a].n_risk, c[a].nt,
                                                      tlf_km_tick_day(i * f->x_tick, f->days));
        draw_counts(g, fr->left, g->py0 - TICK - 3.6 * g->lead, "Number at risk", c, narms, xs,
                    nticks, vals);
    }
done:
    if (labels)
        for (size_t a = 0; a < narms; a++)
            free(labels[a]);
    free(labels);
    free(xs);
    free(vals);
    curves_free(c, narms);
    return rc;
}

/* ---- mean +/- SE by visit ---- */

/* A "nice" tick step near range / 5: 1, 2, 2.5 or 5 times a power of 10. */
static double nice_step(double range)
{
    if (!(range > 0))
        return 1;
    double raw = range / 5, p = pow(10, floor(log10(raw))), r = raw / p;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10) * p;
}

/* Value of stat for arm level at visit v, NAN when absent or empty. */
static double visit_value(const tlf_tpl_figure *f, const tlf_ard *ard, unsigned char *used,
                          const char *level, const char *visit, const char *stat)
{
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        char v[256];
        if (!in_analysis(&f->select, r) || strcmp(r->group_level, level) != 0 ||
            strcmp(r->stat_name, stat) != 0 ||
            tlf_param_get(r->param, f->visit_key, v, sizeof v) != 0 || strcmp(v, visit) != 0)
            continue;
        if (used)
            used[i] = 1;
        return r->kind == TLF_VAL_MISSING ? NAN : r->value;
    }
    return NAN;
}

/* The week of analysis visit `visit` from its ARD record target_day (the
 * study configuration's visit schedule, written by the analysis: baseline
 * day 1): week w is day 7w + 1 (sap.md), so day 15 is week 2. 0 when the
 * ARD has no such record. */
static int visit_week_ard(const tlf_tpl_figure *f, const tlf_ard *ard, unsigned char *used,
                          const char *visit, double *w)
{
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        char v[256];
        if (!in_analysis(&f->select, r) || strcmp(r->stat_name, "target_day") != 0 ||
            r->kind == TLF_VAL_MISSING || tlf_param_get(r->param, f->visit_key, v, sizeof v) != 0 ||
            strcmp(v, visit) != 0)
            continue;
        if (used)
            used[i] = 1;
        *w = (r->value - 1.0) / 7.0;
        return 1;
    }
    return 0;
}

static int line_figure(G *g, const tlf_frame *fr, const tlf_template *t, const tlf_ard *ard,
                       unsigned char *used, tlf_err *err)
{
    const tlf_tpl_figure *f = t->figure;
    size_t narms = 0, nv = 0, vcap = 0;
    curve *c = collect_arms(f, ard, &narms);
    char **visits = NULL;
    double *mean = NULL, *se = NULL, *nn = NULL, *xs = NULL, *xy = NULL;
    char **labels = NULL;
    int rc = 0;
    if (f->nvisits) {
        visits = xcalloc(f->nvisits, sizeof *visits);
        for (; nv < f->nvisits; nv++)
            visits[nv] = xstrdup(f->visits[nv]);
    } else {
        for (size_t i = 0; i < ard->n; i++) {
            const tlf_ard_row *r = &ard->rows[i];
            char v[256];
            if (!in_analysis(&f->select, r) || strcmp(r->stat_name, f->mean_stat) != 0 ||
                tlf_param_get(r->param, f->visit_key, v, sizeof v) != 0)
                continue;
            int seen = 0;
            for (size_t k = 0; k < nv && !seen; k++)
                seen = strcmp(visits[k], v) == 0;
            if (!seen) {
                XGROW(visits, vcap, nv + 1);
                visits[nv++] = xstrdup(v);
            }
        }
    }
    if (!narms || !nv) {
        rc = tlf_err_set(err, TLF_EDATA, "%s: figure: no ARD record %s with param %s=... for "
                         "analysis_id=%s", t->path, f->mean_stat, f->visit_key,
                         f->select.analysis_id);
        goto done;
    }
    mean = xcalloc(narms * nv, sizeof *mean);
    se = xcalloc(narms * nv, sizeof *se);
    nn = xcalloc(narms * nv, sizeof *nn);
    double lo = INFINITY, hi = -INFINITY;
    int any_n = 0;
    for (size_t a = 0; a < narms; a++)
        for (size_t v = 0; v < nv; v++) {
            size_t k = a * nv + v;
            mean[k] = visit_value(f, ard, used, c[a].level, visits[v], f->mean_stat);
            se[k] = visit_value(f, ard, used, c[a].level, visits[v], f->se_stat);
            nn[k] = visit_value(f, ard, used, c[a].level, visits[v], "n");
            any_n |= !isnan(nn[k]);
            if (isnan(mean[k]))
                continue;
            double e = isnan(se[k]) ? 0 : se[k];
            lo = fmin(lo, mean[k] - e);
            hi = fmax(hi, mean[k] + e);
        }
    if (!isfinite(lo)) {
        /* Nobody with a value at any visit (a DSMB before the first
         * assessment, a result missing everywhere): the axes and the n
         * rows (all 0), no line; the same answer as the tables' n = 0
         * rows (docs/templates.md, "Every cell has an answer"). */
        lo = 0;
        hi = 1;
    }
    double step = f->y_tick;
    if (step > 0) {
        g->ymin = f->y_min;
        g->ymax = f->y_max;
    } else {
        step = nice_step(hi - lo);
        g->ymin = floor(lo / step) * step;
        g->ymax = ceil(hi / step) * step;
        if (g->ymax <= g->ymin)
            g->ymax = g->ymin + step;
    }
    double lpad = 0;
    for (size_t a = 0; a < narms; a++)
        if (gw(g, c[a].label) + 8 > lpad)
            lpad = gw(g, c[a].label) + 8;
    /* A time axis in weeks when every visit has its target day in the
     * ARD (the study configuration's schedule, whatever the visits are
     * called: the analysis writes one for the baseline and every
     * configured visit, and the derivation makes no other visit): visits
     * at their real distance (week 2 near week 4, week 39 far from week
     * 26), tick labels the week numbers; else (an ARD from elsewhere)
     * visits equally spaced, labelled by name. */
    double *wk = xcalloc(nv, sizeof *wk), wmax = 0;
    int timed = 1;
    for (size_t v = 0; v < nv && timed; v++)
        timed = visit_week_ard(f, ard, NULL, visits[v], &wk[v]);
    for (size_t v = 0; v < nv && timed; v++)   /* mark them read */
        (void)visit_week_ard(f, ard, used, visits[v], &wk[v]);
    for (size_t v = 0; v < nv && timed; v++) {
        timed = wk[v] >= 0 && (v == 0 || wk[v] > wk[v - 1]);
        wmax = timed && wk[v] > wmax ? wk[v] : wmax;
    }
    timed = timed && wmax > 0;
    double pad = timed ? wmax * 0.04 : 0.5;
    g->xmax = timed ? wmax + 2 * pad : (double)nv;
    if ((rc = plot_area(g, fr, any_n ? narms + 1 : 0, lpad, 0, t, err)) != 0) {
        free(wk);
        goto done;
    }
    draw_y_axis(g, step, f->y_label);
    xs = xcalloc(nv, sizeof *xs);
    for (size_t v = 0; v < nv; v++) {
        xs[v] = X(g, timed ? wk[v] + pad : (double)v + 0.5);
        tlf_page_line(g->pg, xs[v], g->py0 - TICK, xs[v], g->py0, 0.5, TLF_DASH_SOLID);
        char lab[32];
        if (timed)
            axis_num(lab, sizeof lab, wk[v]);
        text_c(g, xs[v], g->py0 - TICK - g->lead, timed ? lab : visits[v], -1, -1);
    }
    free(wk);
    text_c(g, (g->px0 + g->px1) / 2, g->py0 - TICK - 2.2 * g->lead, f->x_label, -1, -1);
    double slot = (g->px1 - g->px0) / (double)nv;
    for (size_t v = 1; v < nv; v++)   /* the closest two visits bound the dodge */
        slot = fmin(slot, xs[v] - xs[v - 1]);
    double dodge = fmin(6.0, slot / (double)(narms + 2));
    xy = xcalloc(2 * nv, sizeof *xy);
    for (size_t a = 0; a < narms; a++) {
        double off = ((double)a - (double)(narms - 1) / 2) * dodge;
        size_t np = 0;
        for (size_t v = 0; v <= nv; v++) {
            size_t k = a * nv + v;
            if (v == nv || isnan(mean[k])) {   /* a missing visit breaks the line */
                if (np >= 2)
                    tlf_page_polyline(g->pg, xy, np, LINE_W, c[a].dash);
                np = 0;
                continue;
            }
            double x = xs[v] + off, y = Y(g, mean[k]);
            xy[2 * np] = x;
            xy[2 * np + 1] = y;
            np++;
            if (!isnan(se[k]) && se[k] > 0) {
                double y0 = Y(g, mean[k] - se[k]), y1 = Y(g, mean[k] + se[k]);
                tlf_page_line(g->pg, x, y0, x, y1, 0.6, TLF_DASH_SOLID);
                tlf_page_mark(g->pg, x, y0, 4, 0.6, TLF_MARK_HBAR);
                tlf_page_mark(g->pg, x, y1, 4, 0.6, TLF_MARK_HBAR);
            }
            tlf_page_mark(g->pg, x, y, 4.5, 0.75, c[a].mark);
        }
    }
    labels = xcalloc(narms, sizeof *labels);
    for (size_t a = 0; a < narms && !rc; a++) {
        if (!f->has_n_select) {
            labels[a] = xstrdup(c[a].label);
            continue;
        }
        /* the series' N is an ARD record (the population's N), never the
         * baseline n: a subject without a baseline value is still in N */
        const tlf_ard_row *nr = NULL;
        for (size_t i = 0; i < ard->n && !nr; i++) {
            const tlf_ard_row *r = &ard->rows[i];
            if (in_analysis(&f->n_select, r) && strcmp(r->group_level, c[a].level) == 0 &&
                strcmp(r->stat_name, "n") == 0 && r->kind != TLF_VAL_MISSING &&
                strcmp(r->param, f->n_select.param ? f->n_select.param : "") == 0) {
                nr = r;
                if (used)
                    used[i] = 1;
            }
        }
        if (!nr) {
            rc = tlf_err_set(err, TLF_EDATA, "%s: figure.n_select: no ARD record n for "
                             "analysis_id=%s, group_level=%s", t->path,
                             f->n_select.analysis_id ? f->n_select.analysis_id : "(any)",
                             c[a].level);
            break;
        }
        char n[TLF_FMT_MAX];
        tlf_fmt_fixed(n, sizeof n, nr->value, nr->value == floor(nr->value) ? 0 : 1, 0);
        labels[a] = xasprintf("%s (N=%s)", c[a].label, n);
    }
    if (rc)
        goto done;
    draw_legend(g, c, narms, (const char *const *)labels, 1, LINE_W);
    if (any_n)
        draw_counts(g, fr->left, g->py0 - TICK - 3.6 * g->lead, "n", c, narms, xs, nv, nn);
done:
    for (size_t v = 0; v < nv; v++)
        free(visits[v]);
    free(visits);
    free(mean);
    free(se);
    free(nn);
    free(xs);
    free(xy);
    if (labels)
        for (size_t a = 0; a < narms; a++)
            free(labels[a]);
    free(labels);
    curves_free(c, narms);
    return rc;
}

int tlf_figure_plan(tlf_plan **out, const tlf_template *t, const tlf_ard *ard,
                    const tlf_page_setup *ps, const tlf_render_ctx *ctx, tlf_measurer m,
                    tlf_err *err)
{
    return tlf_figure_plan_framed(out, NULL, NULL, t, ard, NULL, ps, ctx, m, err);
}

int tlf_figure_plan_framed(tlf_plan **out, tlf_table **frame, tlf_frame *body,
                           const tlf_template *t, const tlf_ard *ard, unsigned char *used,
                           const tlf_page_setup *ps, const tlf_render_ctx *ctx, tlf_measurer m,
                           tlf_err *err)
{
    *out = NULL;
    if (frame)
        *frame = NULL;
    if (t->kind != TLF_TPL_FIGURE || !t->figure)
        return tlf_err_set(err, TLF_EUSAGE, "%s: is not a figure template", t->path);
    const tlf_tpl_figure *f = t->figure;
    tlf_table *tab = tlf_table_new(t);
    tlf_plan *plan = tlf_plan_new(ps->page_w, ps->page_h);
    int rc = 0;
    /* footnotes with ARD values come after the template's plain ones */
    tab->footnotes = xrealloc(tab->footnotes, (tab->nfootnotes + f->nnotes + 1) * sizeof(char *));
    for (size_t i = 0; i < f->nnotes && !rc; i++) {
        char where[48];
        snprintf(where, sizeof where, "figure.notes[%zu]", i);
        char *s = NULL;
        rc = tlf_table_format(&s, t, ard, f->notes[i].text, &f->notes[i].select, &f->select,
                              where, f->notes[i].missing, used, err);
        if (!rc)
            tab->footnotes[tab->nfootnotes++] = s;
    }
    tlf_frame fr;
    if (!rc)
        rc = tlf_frame_open(&fr, plan, tab, ps, ctx, m, err);
    if (!rc) {
        G g;
        memset(&g, 0, sizeof g);
        g.pg = fr.page;
        g.m = m;
        g.fs = ps->font_size;
        g.lead = LEAD * g.fs;
        rc = f->kind == TLF_FIG_KM ? km_figure(&g, &fr, t, ard, used, err)
                                   : line_figure(&g, &fr, t, ard, used, err);
    }
    if (rc) {
        tlf_table_free(tab);
        tlf_plan_free(plan);
        return rc;
    }
    if (frame)
        *frame = tab;
    else
        tlf_table_free(tab);
    if (body)
        *body = fr;
    *out = plan;
    return 0;
}
