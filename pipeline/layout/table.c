/*
 * table.c - ARD records -> table model, driven by a table template.
 *
 * Stage: layout. Reads records only (ard.md); a number is looked up,
 * rounded for display (format.h) and placed, never derived. Expanding rows
 * list the distinct variable levels of the matching records (SOCs), in ARD
 * order or sorted by a statistic, each followed by its children (PTs whose
 * param names the parent); a parent and its children form one group.
 */
#include "layout/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "layout/format.h"
#include "layout/studyvars.h"

tlf_table *tlf_table_new(const tlf_template *t)
{
    tlf_table *tab = xcalloc(1, sizeof *tab);
    tab->kind = t->kind;
    tab->number = xasprintf("%s %s", t->kind == TLF_TPL_TABLE     ? "Table"
                                     : t->kind == TLF_TPL_LISTING ? "Listing"
                                                                  : "Figure",
                            t->number);
    tab->ntitles = t->ntitles;
    tab->titles = xcalloc(t->ntitles + 1, sizeof *tab->titles);
    for (size_t i = 0; i < t->ntitles; i++)
        tab->titles[i] = xstrdup(t->titles[i]);
    tab->population = xstrdup(t->population);
    tab->nfootnotes = t->nfootnotes;
    tab->footnotes = xcalloc(t->nfootnotes + 1, sizeof *tab->footnotes);
    for (size_t i = 0; i < t->nfootnotes; i++)
        tab->footnotes[i] = xstrdup(t->footnotes[i]);
    tab->font_size = t->font_size;
    tab->bookmark_groups = t->kind == TLF_TPL_TABLE || (t->kind == TLF_TPL_LISTING && t->ngroup_by > 0);
    tab->landscape = t->landscape;
    tab->paper = xstrdup(t->paper);
    tab->ncols = t->ncols;
    tab->cols = xcalloc(t->ncols, sizeof *tab->cols);
    for (size_t i = 0; i < t->ncols; i++) {
        tab->cols[i].header = xstrdup(t->cols[i].header);
        tab->cols[i].align = t->cols[i].align;
        tab->cols[i].width_pct = t->cols[i].width_pct;
        tab->cols[i].fit = t->cols[i].fit;
        tab->cols[i].key = t->cols[i].key;
    }
    tab->nhrows = t->nhrows;
    tab->hrows = xcalloc(t->nhrows + 1, sizeof *tab->hrows);
    for (size_t i = 0; i < t->nhrows; i++) {
        tab->hrows[i].n = t->hrows[i].n;
        tab->hrows[i].spans = xcalloc(t->hrows[i].n + 1, sizeof(tlf_hspan));
        for (size_t k = 0; k < t->hrows[i].n; k++) {
            tab->hrows[i].spans[k].text = xstrdup(t->hrows[i].spans[k].text);
            tab->hrows[i].spans[k].first = t->hrows[i].spans[k].first;
            tab->hrows[i].spans[k].ncols = t->hrows[i].spans[k].ncols;
        }
    }
    return tab;
}

void tlf_table_free(tlf_table *tab)
{
    if (!tab)
        return;
    free(tab->number);
    for (size_t i = 0; i < tab->ntitles; i++)
        free(tab->titles[i]);
    free(tab->titles);
    free(tab->population);
    for (size_t i = 0; i < tab->nfootnotes; i++)
        free(tab->footnotes[i]);
    free(tab->footnotes);
    free(tab->paper);
    for (size_t i = 0; i < tab->ncols; i++)
        free(tab->cols[i].header);
    free(tab->cols);
    for (size_t i = 0; i < tab->nhrows; i++) {
        for (size_t k = 0; k < tab->hrows[i].n; k++)
            free(tab->hrows[i].spans[k].text);
        free(tab->hrows[i].spans);
    }
    free(tab->hrows);
    for (size_t i = 0; i < tab->nrows; i++) {
        for (size_t c = 0; !tab->packed && c < tab->ncols; c++)
            free(tab->rows[i].cells[c]);
        free(tab->rows[i].cells);
    }
    free(tab->rows);
    free(tab);
}

char **tlf_cells_pack(const char *texts, size_t len, size_t n)
{
    char **v = xmalloc(n * sizeof *v + len);
    char *s = (char *)(v + n);
    memcpy(s, texts, len);
    for (size_t c = 0; c < n; c++) {
        v[c] = s;
        s += strlen(s) + 1;
    }
    return v;
}

void tlf_table_add_row(tlf_table *tab, char **cells, int indent, size_t group, int group_head)
{
    XGROW(tab->rows, tab->cap, tab->nrows + 1);
    tlf_trow *r = &tab->rows[tab->nrows++];
    r->cells = cells;
    r->indent = indent;
    r->group = group;
    r->group_head = group_head;
}

/* ---- ARD lookups ---- */

/* q = primary overlaid on fallback (primary's non-NULL fields win). */
static tlf_ard_query merge(const tlf_tpl_select *primary, const tlf_tpl_select *fallback)
{
    tlf_ard_query q;
    memset(&q, 0, sizeof q);
#define PICK(f) q.f = primary && primary->f ? primary->f : (fallback ? fallback->f : NULL)
    PICK(analysis_id);
    PICK(population);
    PICK(group);
    PICK(group_level);
    PICK(variable);
    PICK(variable_level);
    PICK(param);
#undef PICK
    return q;
}

static void describe_query(tlf_buf *b, const tlf_ard_query *q)
{
    const char *names[] = {"analysis_id", "population", "group", "group_level",
                           "variable", "variable_level", "stat_name", "param"};
    const char *vals[] = {q->analysis_id, q->population, q->group, q->group_level,
                          q->variable, q->variable_level, q->stat_name, q->param};
    int first = 1;
    for (size_t i = 0; i < 8; i++)
        if (vals[i]) {
            tlf_buf_printf(b, "%s%s=%s", first ? "" : ", ", names[i], vals[i]);
            first = 0;
        }
}

/* tlf_ard_find, and when used is not NULL the found record is marked in
 * it: the output read it (record coverage, docs/ard.md "output_id"). */
static const tlf_ard_row *find_mark(const tlf_ard *ard, unsigned char *used,
                                    const tlf_ard_query *q)
{
    const tlf_ard_row *r = tlf_ard_find(ard, q);
    if (r && used)
        used[r - ard->rows] = 1;
    return r;
}

/* Where a cell is, for messages. */
typedef struct cell_ctx {
    const tlf_template *t;
    const tlf_ard *ard;
    const char *row_label;
    const char *col_id;
    const char *missing;        /* text for a missing value, or NULL */
    tlf_err *err;
    unsigned char *used;        /* records read (ard->n bytes), or NULL */
} cell_ctx;

/* Format one record's value by spec into out. */
static int format_value(const cell_ctx *cc, const tlf_ard_row *r, const char *stat,
                        const char *spec, char *out)
{
    int rc;
    if (!*spec) {
        if (r->kind == TLF_VAL_REAL && r->value != floor(r->value))
            return tlf_err_set(cc->err, TLF_EDATA,
                               "%s: row '%s', column '%s': {%s} is %.17g, not a count; give "
                               "decimals as {%s:N}", cc->t->path, cc->row_label, cc->col_id,
                               stat, r->value, stat);
        rc = tlf_fmt_fixed(out, TLF_FMT_MAX, r->value, 0, 0);
    } else if (strcmp(spec, "p") == 0) {
        rc = tlf_fmt_pvalue(out, TLF_FMT_MAX, r->value);
    } else {
        char *end;
        long d = strtol(spec, &end, 10);
        int pct = *end == '%';
        if (end == spec || (*end && !(pct && end[1] == '\0')) || d < 0 || d > 15)
            return tlf_err_set(cc->err, TLF_EUSAGE,
                               "%s: row '%s', column '%s': format spec '{%s:%s}' is not N, N%% "
                               "or p", cc->t->path, cc->row_label, cc->col_id, stat, spec);
        rc = tlf_fmt_fixed(out, TLF_FMT_MAX, r->value, (int)d, pct ? 2 : 0);
    }
    if (rc)
        return tlf_err_set(cc->err, TLF_EDATA,
                           "%s: row '%s', column '%s': value %.17g of %s cannot be shown as '%s'",
                           cc->t->path, cc->row_label, cc->col_id, r->value, stat, spec);
    return 0;
}

/*
 * Resolve a "dp" or "dp+N" spec of {stat:spec} under query q into decimals
 * (out, as "%d"): the value of the integer record `dp` of the cell's
 * selector (q with stat dp), plus N. A parameter-level dp serves every
 * sub-parameter: when no record matches the cell's param exactly, its last
 * `;key=value` is dropped, again until one matches (a dp under
 * `PARAMCD=CK` serves `PARAMCD=CK;visit=WEEK 2`; an empty param serves
 * `visit=WEEK 2`). Fails with TLF_EUSAGE for a malformed spec and TLF_EDATA
 * naming template, row, column and the query when no dp record (or a
 * non-integer one) is found.
 */
static int resolve_dp(const cell_ctx *cc, const char *stat, const char *spec, tlf_ard_query q,
                      char *out, size_t outsz)
{
    long plus = 0;
    if (spec[2] == '+') {
        char *end;
        plus = strtol(spec + 3, &end, 10);
        if (end == spec + 3 || *end || plus < 0 || plus > 9)
            plus = -1;
    } else if (spec[2]) {
        plus = -1;
    }
    if (plus < 0)
        return tlf_err_set(cc->err, TLF_EUSAGE,
                           "%s: row '%s', column '%s': format spec '{%s:%s}' is not dp or dp+N "
                           "(N 0-9)", cc->t->path, cc->row_label, cc->col_id, stat, spec);
    q.stat_name = "dp";
    const char *cell_param = q.param;
    char *param = xstrdup(q.param ? q.param : "");
    const tlf_ard_row *r = NULL;
    for (;;) {
        q.param = param;
        if ((r = find_mark(cc->ard, cc->used, &q)) != NULL || !*param)
            break;
        char *semi = strrchr(param, ';');
        *(semi ? semi : param) = '\0';
    }
    int rc = 0;
    if (!r || r->kind == TLF_VAL_MISSING || r->value != floor(r->value) || r->value < 0 ||
        r->value > 12) {
        tlf_buf d = TLF_BUF_INIT;
        q.param = cell_param;
        describe_query(&d, &q);
        rc = tlf_err_set(cc->err, TLF_EINTERNAL,
                         "%s: row '%s', column '%s': {%s:%s} needs the decimals of the data, "
                         "%s ARD record for %s (param the cell's or a prefix of it)",
                         cc->t->path, cc->row_label, cc->col_id, stat, spec,
                         r ? "a non-integer or out-of-range (0-12) value in the" : "no",
                         tlf_buf_cstr(&d));
        tlf_buf_free(&d);
    } else {
        snprintf(out, outsz, "%d", (int)r->value + (int)plus);
    }
    free(param);
    return rc;
}

/* Expand "{stat[:spec]}" placeholders of fmt with records matching base. */
static int expand_format(const cell_ctx *cc, const char *fmt, tlf_ard_query base, char **out)
{
    tlf_buf b = TLF_BUF_INIT;
    int rc = 0;
    for (const char *p = fmt; *p;) {
        if (*p != '{') {
            tlf_buf_putc(&b, *p++);
            continue;
        }
        const char *close = strchr(p, '}');
        if (!close) {
            rc = tlf_err_set(cc->err, TLF_EUSAGE, "%s: row '%s', column '%s': format '%s' has "
                             "an unclosed '{'", cc->t->path, cc->row_label, cc->col_id, fmt);
            goto done;
        }
        char name[128] = "", spec[32] = "";
        size_t len = (size_t)(close - p - 1);
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, p + 1, len);
        name[len] = '\0';
        char *colon = strchr(name, ':');
        if (colon) {
            snprintf(spec, sizeof spec, "%s", colon + 1);
            *colon = '\0';
        }
        tlf_ard_query q = base;
        q.stat_name = name;
        /* {stat;k=v:spec}: ";k=v" is appended to the selector's param, e.g.
         * {lcl_at;ci=loglog:1%} next to {surv_at:1%} under param t=364 */
        char *semi = strchr(name, ';'), *param = NULL;
        if (semi) {
            *semi = '\0';
            param = base.param && *base.param ? xasprintf("%s;%s", base.param, semi + 1)
                                              : xstrdup(semi + 1);
            q.param = param;
        }
        const tlf_ard_row *r = find_mark(cc->ard, cc->used, &q);
        if (r && r->kind != TLF_VAL_MISSING) {
            char val[TLF_FMT_MAX], dspec[16];
            int is_dp = strncmp(spec, "dp", 2) == 0;
            if (is_dp && (rc = resolve_dp(cc, name, spec, q, dspec, sizeof dspec)) != 0) {
                free(param);
                goto done;
            }
            if ((rc = format_value(cc, r, name, is_dp ? dspec : spec, val)) != 0) {
                free(param);
                goto done;
            }
            tlf_buf_puts(&b, val);
            free(param);
        } else if (cc->missing) {
            tlf_buf_puts(&b, cc->missing);
            if (cc->used && strncmp(spec, "dp", 2) == 0) {
                /* the decimals this cell would use are the output's too */
                tlf_err ignore;
                cell_ctx dry = *cc;
                char dspec[16];
                dry.err = &ignore;
                (void)resolve_dp(&dry, name, spec, q, dspec, sizeof dspec);
            }
            free(param);
        } else {
            tlf_buf d = TLF_BUF_INIT;
            describe_query(&d, &q);
            /* every cell an output shows has its record (docs/templates.md):
             * a missing one is a defect of the analysis, not bad input */
            rc = tlf_err_set(cc->err, TLF_EINTERNAL,
                             "%s: row '%s', column '%s': %s ARD record for %s and the template "
                             "gives no \"missing\" text or not_estimable note",
                             cc->t->path, cc->row_label, cc->col_id,
                             r ? "an empty value in the" : "no", tlf_buf_cstr(&d));
            tlf_buf_free(&d);
            free(param);
            goto done;
        }
        p = close + 1;
    }
    *out = tlf_buf_detach(&b);
    if (!*out)
        *out = xstrdup("");
done:
    tlf_buf_free(&b);
    return rc;
}

/* 1 when the cell is to be empty: the row's blank_if_zero stat is 0 under
 * the cell's selector and the cell's format does not show that stat. */
static int blank_for_zero(const cell_ctx *cc, const char *stat, const char *fmt,
                          tlf_ard_query base)
{
    if (!stat)
        return 0;
    char want[136];
    snprintf(want, sizeof want, "{%s", stat);
    for (const char *p = strstr(fmt, want); p; p = strstr(p + 1, want))
        if (p[strlen(want)] == '}' || p[strlen(want)] == ':')
            return 0;
    base.stat_name = stat;
    const tlf_ard_row *r = find_mark(cc->ard, cc->used, &base);
    return r && r->kind != TLF_VAL_MISSING && r->value == 0.0;
}

/* The not-estimable note for a cell, or NULL when the analysis is estimable
 * (or no note is configured). */
static char *note_for(const cell_ctx *cc, const tlf_tpl_note *note, tlf_ard_query base)
{
    if (!note->present)
        return NULL;
    tlf_ard_query q = base;
    const tlf_tpl_select *s = &note->select;
#define OVER(f) if (s->f) q.f = s->f
    OVER(analysis_id);
    OVER(population);
    OVER(group);
    OVER(group_level);
    OVER(variable);
    OVER(variable_level);
    OVER(param);
#undef OVER
    if (!s->param)
        q.param = NULL;    /* the reason lives in the param: match any */
    q.stat_name = note->stat;
    const tlf_ard_row *r = find_mark(cc->ard, cc->used, &q);
    if (!r || r->kind == TLF_VAL_MISSING || r->value != 0.0)
        return NULL;
    char reason[512];
    if (tlf_param_get(r->param, "reason", reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "reason not recorded");
    tlf_buf b = TLF_BUF_INIT;
    for (const char *p = note->text; *p;) {
        if (strncmp(p, "{reason}", 8) == 0) {
            tlf_buf_puts(&b, reason);
            p += 8;
        } else {
            tlf_buf_putc(&b, *p++);
        }
    }
    char *s_out = tlf_buf_detach(&b);
    return s_out ? s_out : xstrdup("");
}

int tlf_table_format(char **out, const tlf_template *t, const tlf_ard *ard, const char *fmt,
                     const tlf_tpl_select *sel, const tlf_tpl_select *fallback,
                     const char *where, const char *missing, unsigned char *used, tlf_err *err)
{
    cell_ctx cc = {t, ard, where, "-", missing, err, used};
    return expand_format(&cc, fmt, merge(sel, fallback), out);
}

/* Resolve header placeholders ({stat}) against select. */
static int resolve_header(const tlf_template *t, const tlf_ard *ard, unsigned char *used,
                          const char *where, const tlf_tpl_select *sel,
                          const tlf_tpl_select *col_sel, char **text, tlf_err *err)
{
    if (!strchr(*text, '{'))
        return 0;
    cell_ctx cc = {t, ard, "(header)", where, NULL, err, used};
    char *res = NULL;
    int rc = expand_format(&cc, *text, merge(sel, col_sel), &res);
    if (rc)
        return rc;
    free(*text);
    *text = res;
    return 0;
}

/* A cell shown blank (its n is 0) or as a not-estimable note stands for
 * its records (empty statistics): mark them read, as if printed. */
static void mark_cell(const cell_ctx *cc, const char *fmt, tlf_ard_query base)
{
    if (!cc->used)
        return;
    tlf_err ignore;
    cell_ctx dry = *cc;
    dry.missing = "";
    dry.err = &ignore;
    char *discard = NULL;
    tlf_err_clear(&ignore);
    if (expand_format(&dry, fmt, base, &discard) == 0)
        free(discard);
}

/* Build every cell of one row; select is the row's selector. */
static int build_row(tlf_table *tab, const tlf_template *t, const tlf_ard *ard,
                     unsigned char *used, const tlf_tpl_row *spec, const char *label, const tlf_tpl_select *sel,
                     int has_select, size_t group, int group_head, tlf_err *err)
{
    char **cells = xcalloc(tab->ncols, sizeof *cells);
    int rc = 0;
    cells[0] = xstrdup(label);
    for (size_t c = 1; c < tab->ncols; c++) {
        const tlf_tpl_col *col = &t->cols[c];
        const char *fmt = spec->format ? spec->format : col->format;
        int shown = !spec->only_cols;
        for (size_t k = 0; k < spec->nonly_cols && !shown; k++)
            shown = strcmp(spec->only_cols[k], col->id) == 0;
        if (!has_select || !fmt || !shown) {
            cells[c] = xstrdup("");   /* heading row, or a column the row leaves out */
            continue;
        }
        cell_ctx cc = {t, ard, label, col->id, spec->missing ? spec->missing : col->missing, err,
                       used};
        tlf_ard_query base = merge(sel, &col->select);
        /* a column's non-empty param qualifies a row's non-empty param:
         * "AEBODSYS=X" + "AETOXGR=3" -> "AEBODSYS=X;AETOXGR=3" */
        char *joined = NULL;
        if (sel->param && *sel->param && col->select.param && *col->select.param)
            base.param = joined = xasprintf("%s;%s", sel->param, col->select.param);
        if (blank_for_zero(&cc, spec->blank_if_zero, fmt, base)) {
            cells[c] = xstrdup("");
            mark_cell(&cc, fmt, base);
        }
        else if ((cells[c] = note_for(&cc, &spec->not_estimable, base)) != NULL)
            mark_cell(&cc, fmt, base);
        else
            rc = expand_format(&cc, fmt, base, &cells[c]);
        free(joined);
        if (rc)
            goto done;
    }
    tlf_table_add_row(tab, cells, spec->indent, group, group_head);
    cells = NULL;
done:
    if (cells) {
        for (size_t c = 0; c < tab->ncols; c++)
            free(cells[c]);
        free(cells);
    }
    return rc;
}

static int row_matches(const tlf_ard_row *r, const tlf_tpl_select *s)
{
#define M(f) (!s->f || strcmp(s->f, r->f) == 0)
    return M(analysis_id) && M(population) && M(group) && M(group_level) && M(variable) &&
           M(variable_level) && M(param);
#undef M
}

static int row_matches_noparam(const tlf_ard_row *r, const tlf_tpl_select *s)
{
    tlf_tpl_select ns = *s;
    ns.param = NULL;
    return row_matches(r, &ns);
}

typedef struct level {
    const char *name;     /* variable_level */
    const char *param;    /* children: the record's param */
    double key;
    int has_key;
    size_t order;
} level;

static int cmp_level(const void *a, const void *b, int desc)
{
    const level *x = a, *y = b;
    if (x->has_key != y->has_key)
        return x->has_key ? -1 : 1;
    if (x->has_key && x->key != y->key)
        return (x->key < y->key) == !desc ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->order < y->order ? -1 : 1);
}
static int cmp_asc(const void *a, const void *b) { return cmp_level(a, b, 0); }
static int cmp_desc(const void *a, const void *b) { return cmp_level(a, b, 1); }

/* Distinct levels of records matching sel (and parent_param == parent). */
static level *collect_levels(const tlf_ard *ard, unsigned char *used, const tlf_tpl_row *spec,
                             const char *parent, size_t *n)
{
    level *lv = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        if (!row_matches(r, &spec->select) || !*r->variable_level)
            continue;
        if (parent) {
            char pv[512];
            if (tlf_param_get(r->param, spec->parent_param, pv, sizeof pv) != 0 ||
                strcmp(pv, parent) != 0)
                continue;
        }
        /* a child level is one per name under its parent; when several
         * records qualify it further (e.g. AETOXGR=3 after AEBODSYS=...),
         * the level keeps the shortest param, the unqualified record's */
        int seen = 0;
        for (size_t k = 0; k < *n && !seen; k++)
            if (strcmp(lv[k].name, r->variable_level) == 0) {
                seen = 1;
                if (parent && strlen(r->param) < strlen(lv[k].param))
                    lv[k].param = r->param;
            }
        if (seen)
            continue;
        XGROW(lv, cap, *n + 1);
        level *l = &lv[(*n)++];
        memset(l, 0, sizeof *l);
        l->name = r->variable_level;
        l->param = r->param;
        l->order = *n;
        if (spec->sort.stat) {
            tlf_tpl_select s = spec->select;
            s.variable_level = (char *)r->variable_level;
            if (parent)
                s.param = (char *)r->param;
            if (spec->sort.group_level)
                s.group_level = spec->sort.group_level;
            tlf_ard_query q = merge(&s, NULL);
            q.stat_name = spec->sort.stat;
            const tlf_ard_row *kr = find_mark(ard, used, &q);
            if (kr && kr->kind != TLF_VAL_MISSING) {
                l->key = kr->value;
                l->has_key = 1;
            }
        }
    }
    if (spec->sort.stat && *n > 1)
        qsort(lv, *n, sizeof *lv, spec->sort.descending ? cmp_desc : cmp_asc);
    /* the template's "last" levels go to the end, in its order */
    for (size_t k = 0; k < spec->nlast; k++)
        for (size_t i = 0; i < *n; i++)
            if (strcmp(lv[i].name, spec->last[k]) == 0) {
                level keep = lv[i];
                memmove(&lv[i], &lv[i + 1], (*n - i - 1) * sizeof *lv);
                lv[*n - 1] = keep;
                break;
            }
    return lv;
}

/* The study configuration's values of a levels kind (the template's
 * copy), NULL for the data's own. */
static const tlf_tpl_levels *levels_of(const tlf_template *t, tlf_levels_kind k)
{
    return k == TLF_LEVELS_DATA ? NULL : &t->levels[k];
}

/* Position of value v among the configured levels lv, or -1 (also for lv
 * NULL). */
static long level_index(const tlf_tpl_levels *lv, const char *v)
{
    for (size_t i = 0; lv && i < lv->n; i++)
        if (strcmp(lv->name[i], v) == 0)
            return (long)i;
    return -1;
}

/* The label an expanded row shows: the template's display label for the
 * level; for configured levels (lv: visits) the study configuration's
 * label; else the level itself (the ARD keeps the data's value, and a
 * visit the configuration does not name shows under that name). */
static const char *level_label(const tlf_tpl_row *spec, const tlf_tpl_levels *lv,
                               const char *lvl)
{
    for (size_t i = 0; i < spec->nlabels; i++)
        if (strcmp(spec->label_from[i], lvl) == 0)
            return spec->label_to[i];
    long k = level_index(lv, lvl);
    return k >= 0 ? lv->label[k] : lvl;
}

/* ---- blocks (a block of rows per parameter) and expand_param rows ---- */

/* A block keyed by an ARD column (variable_level: 14.2.5.1's PARAMCD;
 * variable: 14.1.4's baseline parameters) rather than a param key? */
static int by_column(const char *by)
{
    return by && (strcmp(by, "variable_level") == 0 || strcmp(by, "variable") == 0);
}

/* The block key of a record: its variable_level or variable when by names
 * that column, else the value of param key `by` (0), or -1. */
static int block_value(const tlf_ard_row *r, const char *by, char *out, size_t outsz)
{
    if (by_column(by)) {
        const char *v = strcmp(by, "variable") == 0 ? r->variable : r->variable_level;
        if (!*v)
            return -1;
        snprintf(out, outsz, "%s", v);
        return 0;
    }
    return tlf_param_get(r->param, by, out, outsz);
}

/* s with the block's column (by_column) set to value. */
static void set_by_column(tlf_tpl_select *s, const char *by, const char *value)
{
    if (strcmp(by, "variable_level") == 0)
        s->variable_level = (char *)value;
    else
        s->variable = (char *)value;
}

/* sel with the block's value applied: variable_level (variable) = value,
 * or the param prefixed by `by=value` (the row's own param, if any, after
 * it). */
static tlf_tpl_select block_select(const tlf_tpl_select *sel, const char *by, const char *value,
                                   const char *param_tail, char **param_buf)
{
    tlf_tpl_select s = *sel;
    *param_buf = NULL;
    const char *tail = param_tail ? param_tail : sel->param;
    if (by_column(by)) {
        set_by_column(&s, by, value);
        s.param = (char *)tail;
    } else if (by) {
        tlf_buf b = TLF_BUF_INIT;
        tlf_param_add(&b, by, value);
        if (tail && *tail)
            tlf_buf_printf(&b, ";%s", tail);
        s.param = *param_buf = tlf_buf_detach(&b);
    } else {
        s.param = (char *)tail;
    }
    return s;
}

/* Does record r belong to select s, ignoring param, and (when by) to the
 * block value? */
static int in_block(const tlf_ard_row *r, const tlf_tpl_select *s, const char *by,
                    const char *value)
{
    tlf_tpl_select ns = *s;
    ns.param = NULL;
    if (by_column(by))
        set_by_column(&ns, by, value);
    if (!row_matches(r, &ns))
        return 0;
    if (by && !by_column(by)) {
        char v[512];
        if (tlf_param_get(r->param, by, v, sizeof v) != 0 || strcmp(v, value) != 0)
            return 0;
    }
    return 1;
}

/* Distinct strings in first-seen order. */
typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

static void strlist_add(strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return;
    XGROW(l->v, l->cap, l->n + 1);
    l->v[l->n++] = xstrdup(s);
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* Configured values in the study configuration's order (visits: the
 * baseline, then the schedule), then, for visits, those it does not name
 * in the order the ARD holds them (issue 15: shown, never dropped, after
 * the configured ones). Characteristics: a value that is not one is no
 * characteristic parameter (AGE beside %VC in 14.1.4) and is left out.
 * A model's terms are the configuration's, every one of them: a term
 * without a record (the model was not fitted) keeps its row, which then
 * says why, and other records of the model (the intercept) make none.
 * kind TLF_LEVELS_DATA leaves l as it is. */
static void order_levels(const tlf_template *t, tlf_levels_kind kind, strlist *l)
{
    const tlf_tpl_levels *lv = levels_of(t, kind);
    if (!lv)
        return;
    int model = kind == TLF_LEVELS_COX_ADJUSTED || kind == TLF_LEVELS_PROPENSITY;
    char **v = xcalloc(l->n + lv->n + 1, sizeof *v);
    size_t n = 0;
    for (size_t k = 0; k < lv->n; k++) {
        size_t before = n;
        for (size_t i = 0; i < l->n; i++)
            if (l->v[i] && strcmp(l->v[i], lv->name[k]) == 0) {
                v[n++] = l->v[i];
                l->v[i] = NULL;
            }
        if (model && n == before)
            v[n++] = xstrdup(lv->name[k]);
    }
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i] && kind == TLF_LEVELS_VISITS)
            v[n++] = l->v[i];
        else
            free(l->v[i]);
    }
    free(l->v);
    l->v = v;
    l->n = n;
    l->cap = n ? n : 1;
}

/* One row per value of spec->expand_param among the records of the block
 * (block select, block value, the row's select without its param): a
 * param key, or the ARD column variable / variable_level (a model's terms,
 * 14.2.1.3), as a block's `by`. */
static int build_param_rows(tlf_table *tab, const tlf_template *t, const tlf_ard *ard,
                            unsigned char *used, const tlf_tpl_row *spec, const tlf_tpl_block *blk,
                            const char *value, size_t group, tlf_err *err)
{
    strlist vals = {0};
    const char *by = blk ? blk->by : NULL;
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        char w[512];
        if ((blk && !in_block(r, &blk->select, by, value)) || !in_block(r, &spec->select, by, value) ||
            block_value(r, spec->expand_param, w, sizeof w) != 0)
            continue;
        int skip = 0;
        for (size_t k = 0; k < spec->nexclude && !skip; k++)
            skip = strcmp(spec->exclude[k], w) == 0;
        if (!skip)
            strlist_add(&vals, w);
    }
    order_levels(t, spec->levels, &vals);
    int rc = 0;
    for (size_t k = 0; k < vals.n && !rc; k++) {
        /* the value goes into its column, or after the row's own param */
        int col = by_column(spec->expand_param);
        tlf_buf tail = TLF_BUF_INIT;
        if (!col) {
            if (spec->select.param && *spec->select.param)
                tlf_buf_printf(&tail, "%s;", spec->select.param);
            tlf_param_add(&tail, spec->expand_param, vals.v[k]);
        }
        char *pbuf = NULL;
        tlf_tpl_select s = block_select(&spec->select, by, value,
                                        col ? NULL : tlf_buf_cstr(&tail), &pbuf);
        if (col)
            set_by_column(&s, spec->expand_param, vals.v[k]);
        rc = build_row(tab, t, ard, used, spec,
                       level_label(spec, levels_of(t, spec->levels), vals.v[k]), &s, 1, group, 0,
                       err);
        free(pbuf);
        tlf_buf_free(&tail);
    }
    strlist_free(&vals);
    return rc;
}

/* The head label of a block: blk->label with {value}, {label} and {unit}
 * from the block's label record (stat label_stat); without one, the study
 * configuration's label and unit of a visits or characteristics block,
 * else the value. A filter after a bar changes the case ({label|lower}:
 * "Week 2" in a sentence). */
static char *block_label(const tlf_template *t, const tlf_ard *ard, unsigned char *used,
                         const tlf_tpl_block *blk, const char *value)
{
    char label[512] = "", unit[256] = "";
    int found = 0;
    for (size_t i = 0; blk->label_stat && i < ard->n && !found; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        if (strcmp(r->stat_name, blk->label_stat) != 0 || !in_block(r, &blk->select, blk->by, value))
            continue;
        found = 1;
        if (used)
            used[i] = 1;
        if (tlf_param_get(r->param, "label", label, sizeof label) != 0)
            label[0] = '\0';
        if (tlf_param_get(r->param, "unit", unit, sizeof unit) != 0)
            unit[0] = '\0';
    }
    if (!found) {   /* configured levels: the configuration's label and unit */
        const tlf_tpl_levels *lv = levels_of(t, blk->levels);
        long k = level_index(lv, value);
        if (k >= 0) {
            snprintf(label, sizeof label, "%s", lv->label[k]);
            snprintf(unit, sizeof unit, "%s", lv->unit[k]);
        }
    }
    if (!*label)
        snprintf(label, sizeof label, "%s", value);
    return tlf_studyvar_level_text(blk->label ? blk->label : "{label}", value, label, unit);
}

/* Every block of a block row: head, then its rows. */
static int build_blocks(tlf_table *tab, const tlf_template *t, const tlf_ard *ard,
                        unsigned char *used, const tlf_tpl_block *blk, size_t *group, tlf_err *err)
{
    strlist vals = {0};
    for (size_t i = 0; i < ard->n; i++) {
        char v[512];
        if (row_matches_noparam(&ard->rows[i], &blk->select) &&
            block_value(&ard->rows[i], blk->by, v, sizeof v) == 0)
            strlist_add(&vals, v);
    }
    order_levels(t, blk->levels, &vals);
    int rc = 0;
    for (size_t k = 0; k < vals.n && !rc; k++) {
        (*group)++;
        char *label = block_label(t, ard, used, blk, vals.v[k]);
        tlf_tpl_row head;
        memset(&head, 0, sizeof head);
        rc = build_row(tab, t, ard, used, &head, label, &head.select, 0, *group, 1, err);
        free(label);
        for (size_t r = 0; r < blk->nrows && !rc; r++) {
            const tlf_tpl_row *spec = &blk->rows[r];
            if (spec->expand_param) {
                rc = build_param_rows(tab, t, ard, used, spec, blk, vals.v[k], *group, err);
                continue;
            }
            char *pbuf = NULL;
            tlf_tpl_select s = block_select(&spec->select, blk->by, vals.v[k], NULL, &pbuf);
            rc = build_row(tab, t, ard, used, spec, spec->label, &s, spec->has_select, *group, 0, err);
            free(pbuf);
        }
    }
    strlist_free(&vals);
    return rc;
}

int tlf_table_from_ard(tlf_table **out, const tlf_template *t, const tlf_ard *ard, tlf_err *err)
{
    return tlf_table_from_ard_used(out, t, ard, NULL, err);
}

int tlf_table_from_ard_used(tlf_table **out, const tlf_template *t, const tlf_ard *ard,
                            unsigned char *used, tlf_err *err)
{
    *out = NULL;
    if (t->kind != TLF_TPL_TABLE)
        return tlf_err_set(err, TLF_EUSAGE, "%s: is a listing template, not a table", t->path);
    tlf_table *tab = tlf_table_new(t);
    int rc = 0;
    for (size_t c = 0; c < t->ncols && !rc; c++)
        if (t->cols[c].has_header_select)
            rc = resolve_header(t, ard, used, t->cols[c].id, &t->cols[c].header_select,
                                &t->cols[c].select, &tab->cols[c].header, err);
    for (size_t i = 0; i < t->nhrows && !rc; i++)
        for (size_t k = 0; k < t->hrows[i].n && !rc; k++)
            if (t->hrows[i].spans[k].has_select)
                rc = resolve_header(t, ard, used, "header_rows", &t->hrows[i].spans[k].select, NULL,
                                    &tab->hrows[i].spans[k].text, err);
    size_t group = 0;
    int in_head = 0;
    for (size_t i = 0; i < t->nrows && !rc; i++) {
        const tlf_tpl_row *spec = &t->rows[i];
        if (spec->block) {
            in_head = 0;
            rc = build_blocks(tab, t, ard, used, spec->block, &group, err);
            continue;
        }
        if (spec->expand_param) {
            if (spec->group_head || !in_head)
                group++;
            rc = build_param_rows(tab, t, ard, used, spec, NULL, NULL, group, err);
            continue;
        }
        if (!spec->expand) {
            /* a plain row joins the group of the last group head above it
             * (up to an expanding row or an unindented row); otherwise it
             * is a group of its own, so an unindented summary line after a
             * block (a cumulative dose) shares no alignment with it */
            if (spec->indent == 0 && !spec->group_head)
                in_head = 0;
            if (spec->group_head || !in_head)
                group++;
            in_head = in_head || spec->group_head;
            rc = build_row(tab, t, ard, used, spec, spec->label, &spec->select, spec->has_select,
                           group, spec->group_head, err);
            continue;
        }
        in_head = 0;
        size_t nlv = 0;
        level *lv = collect_levels(ard, used, spec, NULL, &nlv);
        for (size_t k = 0; k < nlv && !rc; k++) {
            group++;
            tlf_tpl_select s = spec->select;
            s.variable_level = (char *)lv[k].name;
            rc = build_row(tab, t, ard, used, spec, level_label(spec, NULL, lv[k].name), &s, 1,
                           group, spec->children != NULL, err);
            if (rc || !spec->children)
                continue;
            size_t nch = 0;
            level *ch = collect_levels(ard, used, spec->children, lv[k].name, &nch);
            for (size_t m = 0; m < nch && !rc; m++) {
                tlf_tpl_select cs = spec->children->select;
                cs.variable_level = (char *)ch[m].name;
                cs.param = (char *)ch[m].param;
                rc = build_row(tab, t, ard, used, spec->children,
                               level_label(spec->children, NULL, ch[m].name), &cs, 1, group, 0,
                               err);
            }
            free(ch);
        }
        free(lv);
    }
    if (rc) {
        tlf_table_free(tab);
        return rc;
    }
    *out = tab;
    return 0;
}
