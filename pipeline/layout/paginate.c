/*
 * paginate.c - table model -> page plan (see paginate.h for the contract).
 *
 * Stage: layout. Steps: (1) measure every cell: natural width (longest
 * line), minimum width (longest unbreakable word) and, for decimal
 * columns, the alignment anchors; (2) split columns into panels that fit
 * the page (key columns in every panel) and fit widths within each panel
 * (natural widths when they fit, else the widest columns are narrowed to a
 * common cap, never below their longest word); (3) place groups of rows on
 * pages, repeating headers, marking "(continued)".
 *
 * Decimal alignment: every number in a cell (optional < or >, sign,
 * digits, optional fraction; "NE" counts as a number) has an anchor, its
 * decimal point or its end, except a number after ", " (a Q3, a Max, an
 * upper limit), which follows the one before as text. The k-th anchors of
 * the cells of one alignment set (align_column: one shape, within a row
 * group or down the column) share one x position X_k: the integer part of
 * number k, with an opening bracket before it, is drawn right-aligned at
 * X_k and the text after the anchor (fraction, separator, e.g. ".0 ")
 * left-aligned from it. So "3 (12.0)" and "22 (88.0)" line up both on the
 * count and on the percentage's point, and a bracket never holds padding
 * ("(4.0)", not "( 4.0)"). The first anchors of every set of a column
 * share one x too: one vertical line of decimal points per column, the
 * union of the sets' blocks centred in the column.
 */
#include "layout/paginate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/stop.h"

#define LEAD 1.22          /* line height / font size                        */
#define GAP 1.0            /* gap between columns / font size                */
#define LISTING_GAP 0.6    /* listings: many narrow columns of left-aligned
                              text, where a full em between them would push
                              the last columns to a second panel           */
#define INDENT 1.4         /* one indentation level / font size              */
#define MAXNUM 8           /* anchors tracked per decimal cell               */
#define RULE_TITLE TLF_RULE_TITLE
#define RULE_SPAN TLF_RULE_SPAN
#define RULE_HEAD TLF_RULE_HEAD
#define RULE_FOOT TLF_RULE_FOOT

typedef struct span { size_t s, len; } span;

typedef struct lines {
    span *v;
    size_t n, cap;
} lines;

#define SHAPELEN 96        /* bytes of a cell shape compared                 */

typedef struct dec_cell {
    size_t set;                /* its alignment set (index into P.sets)       */
    int nnum;                  /* numbers found (0: laid out as text)        */
    size_t start[MAXNUM];      /* byte offset where number k's integer part starts */
    size_t anchor[MAXNUM];     /* byte offset of its '.' or its end           */
} dec_cell;

/* Cells of one column that share anchors: one shape, one or more row
 * groups. step[k]: widest text from anchor k-1 (k = 0: the cell start) to
 * anchor k. */
typedef struct dec_set {
    char shape[SHAPELEN];
    int nnum;
    double step[MAXNUM];
    double tail;               /* widest text after the last anchor          */
    double X[MAXNUM];          /* anchor x from the block's left edge        */
    double block;              /* block width                                */
    double off;                /* block's left edge from the column block's:
                                  puts X[0] on the column's common anchor   */
} dec_set;

typedef struct P {
    const tlf_table *tab;
    const tlf_page_setup *ps;
    const tlf_render_ctx *ctx;
    tlf_measurer m;
    double fs, lead, gap, avail;
    double *nat, *minw;        /* per column                                 */
    dec_cell *dec;             /* nrows * ncols                              */
    struct dec_set *sets;      /* alignment sets of every decimal column     */
    size_t nsets, capsets;
    double *block;             /* widest decimal block per column            */
    double cont0;              /* listings: widest "<key> (continued)" of
                                  column 0 (a group continued on a page)     */
    /* current panel */
    size_t *pc;                /* panel columns                              */
    size_t npc;
    double *w, *x;             /* width and left x per panel column          */
    tlf_plan *plan;
    tlf_page *page;
    double y;                  /* next free y (top of next row)              */
    double body_bottom;
    double head_h;             /* header block height (for this panel)       */
    double foot_h;
    int page_in_panel;
    size_t rows_on_page;
    double fresh_h;            /* body height of a page                      */
    int frame_only;            /* figures: no column headers                 */
    int stream;                /* streamed listing: decimal columns centred  */
    size_t panel;              /* index of the current column panel          */
    int count_only;            /* page breaks only, no text (tlf_paginator_count_only) */
    double *hmemo;             /* place_rows: height per row and variant, < 0
                                  not known yet (a row's height is asked for
                                  up to five times: group, widow rule, break,
                                  placing; wrapping is most of a listing's
                                  layout time)                              */
    lines wl;                  /* nlines_of and draw_wrapped: the lines of the
                                  text at hand, its array kept from cell to
                                  cell                                       */
} P;

static double tw(const P *p, const char *s, size_t len)
{
    return len ? p->m.width(p->m.ctx, s, len, p->fs) : 0.0;
}

/* Bytes of the UTF-8 character at s; a lead byte without its continuation
 * bytes (invalid UTF-8 in the data) counts as one byte, so a scan never
 * steps over the terminating NUL. */
static size_t u8len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t l = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 1;
    for (size_t k = 1; k < l; k++)
        if ((u[k] & 0xC0u) != 0x80u)
            return 1;
    return l;
}

static unsigned u8cp(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t l = u8len(s);
    if (l == 1) return u[0];
    if (l == 2) return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    if (l == 3) return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
}

/* Japanese/Chinese characters: a line may break before or after each. */
static int is_cjk(unsigned cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x3000 && cp <= 0x303F);
}

/* Closing punctuation that must not start a line. */
static int no_break_before(unsigned cp)
{
    return cp == 0x3001 || cp == 0x3002 || cp == 0xFF09 || cp == 0x300D || cp == 0xFF0C ||
           cp == 0x30FC || cp == ')' || cp == ',' || cp == '.';
}

/* A space at t[i] that must not break a line: it is followed by a short
 * bracketed annotation ("(34)", "[D]", "(continued)": at most 12 bytes to its closing
 * bracket, itself followed by a space or the end), which stays with the
 * word before it: a listing's "2013-09-12 (34)" is one unit. */
static int glue_space(const char *t, size_t i, size_t end)
{
    if (t[i] != ' ' || i + 1 >= end || (t[i + 1] != '(' && t[i + 1] != '['))
        return 0;
    char close = t[i + 1] == '(' ? ')' : ']';
    for (size_t j = i + 2; j < end && j <= i + 13; j++) {
        if (t[j] == ' ' || t[j] == '\n')
            return 0;
        if (t[j] == close)
            return j + 1 == end || t[j + 1] == ' ' || t[j + 1] == '\n';
    }
    return 0;
}

/* A line may break after the slash at t[i] between two words of letters
 * ("RECOVERED/NOT RESOLVED"), not inside a unit ("mg/kg", "(U/mL)"):
 * at least four letters before it and three after it. */
static int slash_break(const char *t, size_t i, size_t end)
{
    size_t before = 0, after = 0;
    while (before < i && before < 4 && isalpha((unsigned char)t[i - 1 - before]))
        before++;
    while (i + 1 + after < end && after < 3 && isalpha((unsigned char)t[i + 1 + after]))
        after++;
    return before == 4 && after == 3;
}

static void lines_add(lines *L, size_t s, size_t len)
{
    XGROW(L->v, L->cap, L->n + 1);
    L->v[L->n].s = s;
    L->v[L->n].len = len;
    L->n++;
}

/* Wrap text into lines of at most width (a word wider than width breaks
 * between characters). Lines are spans of text. Linear in the text
 * length: each character is measured once per line it is scanned for,
 * widths add up as the line grows, and the scan of a line stops at the
 * first character that no longer fits (character widths are never
 * negative, so no later break can fit either). A quadratic scan here made
 * a 200,000-character word take hours (issue 17). */
static void wrap(const P *p, const char *text, double width, lines *L)
{
    L->n = 0;
    const double lim = width + 1e-6;
    size_t n = 0;
    int plain = 1;      /* ASCII without a line break */
    for (; text[n]; n++)
        if ((unsigned char)text[n] >= 0x80 || text[n] == '\n')
            plain = 0;
    /* Most cells fit their column: when the whole text's width is within
     * it, the scan below would end with the one line, so it is skipped.
     * Measured whole, the width differs from the scan's sum of character
     * widths by rounding only (far below lim's 1e-6 slack); ASCII only,
     * because the scan steps over invalid UTF-8 one byte at a time. */
    if (plain && n && tw(p, text, n) <= width) {
        size_t e = n;
        while (e > 0 && text[e - 1] == ' ')
            e--;
        lines_add(L, 0, e);
        return;
    }
    size_t para = 0;
    while (para <= n) {
        size_t pend = para;
        while (pend < n && text[pend] != '\n')
            pend++;
        size_t s = para;
        if (s == pend)
            lines_add(L, s, 0);
        while (s < pend) {
            /* candidate ends: before a space, or between CJK characters */
            size_t best = 0, i = s, last_fit_char = 0;
            unsigned prev_cp = 0;
            double w = 0;       /* width of text[s, i)                        */
            double w_ink = 0;   /* the same without trailing spaces           */
            while (i < pend) {
                unsigned cp = u8cp(text + i);
                size_t l = u8len(text + i);
                int cand = i > s && ((cp == ' ' && !glue_space(text, i, pend)) ||
                                     (prev_cp == '/' && slash_break(text, i - 1, pend)) ||
                                     ((is_cjk(cp) || is_cjk(prev_cp)) &&
                                                     !no_break_before(cp) && prev_cp != ' '));
                if (cand) {
                    if (w_ink > lim)
                        break;
                    best = i;
                }
                w += tw(p, text + i, l);
                if (cp != ' ')
                    w_ink = w;
                if (w <= lim || i == s)
                    last_fit_char = i + l;
                if (w_ink > lim)
                    break;      /* neither this nor any later break fits */
                if (i + l >= pend)
                    best = pend;   /* the paragraph's rest fits */
                prev_cp = cp;
                i += l;
            }
            if (!best)
                best = last_fit_char ? last_fit_char : pend;   /* break inside a word */
            size_t e = best;
            while (e > s && text[e - 1] == ' ')
                e--;
            lines_add(L, s, e - s);
            s = best;
            while (s < pend && text[s] == ' ')
                s++;
        }
        para = pend + 1;
    }
}

/* Longest line and longest unbreakable piece of text. */
static void text_extent(const P *p, const char *text, double *nat, double *minw)
{
    *nat = *minw = 0;
    size_t n = strlen(text), i = 0, ls = 0, ws = 0;
    while (i <= n) {
        int end_line = i == n || text[i] == '\n';
        unsigned cp = i < n ? u8cp(text + i) : 0;
        int end_word = end_line || (cp == ' ' && !glue_space(text, i, n)) || is_cjk(cp);
        /* a line may also break after a slash ("RECOVERED/ RESOLVED") */
        int after_slash = !end_word && cp == '/' && slash_break(text, i, n);
        if (end_word || after_slash) {
            double w = tw(p, text + ws, i - ws);
            if ((is_cjk(cp) && !end_line) || after_slash)
                w = tw(p, text + ws, i - ws + u8len(text + i));
            if (w > *minw)
                *minw = w;
        }
        if (end_line) {
            double w = tw(p, text + ls, i - ls);
            if (w > *nat)
                *nat = w;
            ls = i + 1;
        }
        if (end_word || after_slash)
            ws = i + (i < n ? u8len(text + i) : 1);
        i += i < n ? u8len(text + i) : 1;
    }
}

static int isdig(char c) { return c >= '0' && c <= '9'; }

/* 1 when t[from, to) is a list separator: a comma and spaces. */
static int list_sep(const char *t, size_t from, size_t to)
{
    if (from >= to || t[from] != ',')
        return 0;
    for (size_t i = from + 1; i < to; i++)
        if (t[i] != ' ')
            return 0;
    return 1;
}

/* Find the numbers of a decimal cell that get an anchor. A number after a
 * list separator (the Q3 of "50.0 (35.0, 55.0)", the Max of "33, 76")
 * follows its predecessor as text: aligning it would pad inside the
 * brackets or after the comma. */
static void scan_numbers(const char *t, dec_cell *d)
{
    d->nnum = 0;
    size_t n = strlen(t), prev_end = 0;
    int seen = 0;
    for (size_t i = 0; i < n && d->nnum < MAXNUM;) {
        size_t s = i, j = i;
        if (t[j] == '<' || t[j] == '>')
            j++;
        if (t[j] == '-' && isdig(t[j + 1]))
            j++;
        if (isdig(t[j]) && (i == 0 || !(isdig(t[i - 1]) || t[i - 1] == '.'))) {
            while (isdig(t[j]))
                j++;
            size_t anchor = j;
            if (t[j] == '.' && isdig(t[j + 1])) {
                j++;
                while (isdig(t[j]))
                    j++;
            }
            if (!(seen && list_sep(t, prev_end, s))) {
                d->start[d->nnum] = s;
                d->anchor[d->nnum] = anchor;
                d->nnum++;
            }
            seen = 1;
            prev_end = i = j;
        } else if (t[i] == 'N' && t[i + 1] == 'E' && (i == 0 || t[i - 1] == ' ' || t[i - 1] == '(') &&
                   !((t[i + 2] >= 'A' && t[i + 2] <= 'Z') || (t[i + 2] >= 'a' && t[i + 2] <= 'z'))) {
            if (!(seen && list_sep(t, prev_end, i))) {
                d->start[d->nnum] = i;
                d->anchor[d->nnum] = i + 2;
                d->nnum++;
            }
            seen = 1;
            prev_end = i += 2;
        } else {
            i += u8len(t + i);
        }
    }
}

/* The cell's shape: each number's integer part (with its sign or < >)
 * replaced by '#' and each fraction digit by '#', the text between kept:
 * "3 (12.0)" -> "# (#.#)", "54.7 (13.80)" -> "#.# (#.##)". Numbers are
 * found as scan_numbers finds them, anchored or not. */
static void shape_of(const char *t, char *out, size_t outsz)
{
    size_t o = 0, i = 0, n = strlen(t);
    while (i < n && o + 2 < outsz) {
        size_t j = i;
        if (t[j] == '<' || t[j] == '>')
            j++;
        if (t[j] == '-' && isdig(t[j + 1]))
            j++;
        if (isdig(t[j]) && (i == 0 || !(isdig(t[i - 1]) || t[i - 1] == '.'))) {
            while (isdig(t[j]))
                j++;
            out[o++] = '#';
            if (t[j] == '.' && isdig(t[j + 1])) {
                out[o++] = t[j++];
                for (; isdig(t[j]); j++)
                    if (o + 2 < outsz)
                        out[o++] = '#';
            }
            i = j;
        } else if (t[i] == 'N' && t[i + 1] == 'E' && (i == 0 || t[i - 1] == ' ' || t[i - 1] == '(') &&
                   !((t[i + 2] >= 'A' && t[i + 2] <= 'Z') || (t[i + 2] >= 'a' && t[i + 2] <= 'z'))) {
            out[o++] = '#';
            i += 2;
        } else {
            out[o++] = t[i++];
        }
    }
    out[o] = '\0';
}

static double indent_w(const P *p, size_t col, int indent)
{
    return col == 0 ? indent * INDENT * p->fs : 0.0;
}

/* Widths of the pieces of a decimal cell: w[k] from anchor k-1 (the cell
 * start for k = 0) to anchor k; *tail after the last anchor. */
static void dec_widths(const P *p, const char *txt, const dec_cell *d, double *w, double *tail)
{
    for (int k = 0; k < d->nnum; k++) {
        size_t from = k ? d->anchor[k - 1] : 0;
        w[k] = tw(p, txt + from, d->anchor[k] - from);
    }
    size_t a = d->anchor[d->nnum - 1];
    *tail = tw(p, txt + a, strlen(txt) - a);
}

/* Fold block g (same shape) into set s: the widest of each piece. */
static void set_take(dec_set *s, const dec_set *g)
{
    for (int k = 0; k < g->nnum; k++)
        if (g->step[k] > s->step[k])
            s->step[k] = g->step[k];
    if (g->tail > s->tail)
        s->tail = g->tail;
}

static int same_shape(const dec_set *a, const dec_set *b)
{
    return a->nnum == b->nnum && strcmp(a->shape, b->shape) == 0;
}

/* Shapes aligned down the whole column: one number (its padding is only in
 * front of it) and a count with a bracket, "# (#.#)", "# (#.#%)", whose
 * count and percentage share one scale (the column's N) in every group. */
static int column_wide(const dec_set *g)
{
    return g->nnum == 1 || strncmp(g->shape, "# (", 3) == 0;
}

/*
 * Alignment sets of decimal column c (cells already scanned): the cells
 * of one shape share anchors within their row group (a parameter, a SOC
 * with its terms), and down the whole column when the shape is
 * column_wide. Other shapes (summary statistics such as "#.# (#.##)",
 * "#.#, #.#", "#, #") are not padded to another parameter's magnitudes.
 * Each cell's d->set is set; the column's widest block goes to p->block.
 */
static void align_column(P *p, size_t c)
{
    const tlf_table *t = p->tab;
    size_t first = p->nsets;
    dec_set *local = xcalloc(t->nrows + 1, sizeof *local);
    for (size_t g0 = 0; g0 < t->nrows;) {
        size_t g1 = g0, nlocal = 0;
        while (g1 < t->nrows && t->rows[g1].group == t->rows[g0].group)
            g1++;
        /* the group's own blocks, one per shape */
        for (size_t r = g0; r < g1; r++) {
            dec_cell *d = &p->dec[r * t->ncols + c];
            if (!d->nnum)
                continue;
            const char *txt = t->rows[r].cells[c];
            dec_set cell;
            memset(&cell, 0, sizeof cell);
            shape_of(txt, cell.shape, sizeof cell.shape);
            cell.nnum = d->nnum;
            dec_widths(p, txt, d, cell.step, &cell.tail);
            size_t l = 0;
            while (l < nlocal && !same_shape(&local[l], &cell))
                l++;
            if (l == nlocal)
                local[nlocal++] = cell;
            else
                set_take(&local[l], &cell);
            d->set = l;
        }
        /* each block joins its column-wide set or opens a set */
        size_t *map = xcalloc(nlocal + 1, sizeof *map);
        for (size_t l = 0; l < nlocal; l++) {
            size_t s = first;
            while (s < p->nsets && !(column_wide(&local[l]) && same_shape(&p->sets[s], &local[l])))
                s++;
            if (s == p->nsets) {
                XGROW(p->sets, p->capsets, p->nsets + 1);
                p->sets[p->nsets++] = local[l];
            } else {
                set_take(&p->sets[s], &local[l]);
            }
            map[l] = s;
        }
        for (size_t r = g0; r < g1; r++) {
            dec_cell *d = &p->dec[r * t->ncols + c];
            if (d->nnum)
                d->set = map[d->set];
        }
        free(map);
        g0 = g1;
    }
    free(local);
    /* every set's first anchor on one x of the column: the first number of
     * each cell (n, a mean, a median, a count) has its decimal point (or
     * its end) in one vertical line; the column's block is their union */
    double lead = 0, trail = 0;
    for (size_t s = first; s < p->nsets; s++) {
        dec_set *ds = &p->sets[s];
        double x = 0;
        for (int k = 0; k < ds->nnum; k++)
            ds->X[k] = x += ds->step[k];
        ds->block = ds->X[ds->nnum - 1] + ds->tail;
        if (ds->X[0] > lead)
            lead = ds->X[0];
        if (ds->block - ds->X[0] > trail)
            trail = ds->block - ds->X[0];
    }
    for (size_t s = first; s < p->nsets; s++)
        p->sets[s].off = lead - p->sets[s].X[0];
    p->block[c] = lead + trail;
}

/* Step 1: natural and minimum widths, decimal anchors. */
static void measure_all(P *p)
{
    const tlf_table *t = p->tab;
    p->nat = xcalloc(t->ncols, sizeof *p->nat);
    p->minw = xcalloc(t->ncols, sizeof *p->minw);
    p->block = xcalloc(t->ncols, sizeof *p->block);
    p->dec = xcalloc(t->nrows * t->ncols + 1, sizeof *p->dec);
    p->cont0 = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        double nat, mn;
        text_extent(p, t->cols[c].header, &nat, &mn);
        /* a fit column's header may wrap at its words: its values set the width */
        p->nat[c] = t->cols[c].fit ? mn : nat;
        p->minw[c] = mn;
        int dec = t->cols[c].align == TLF_ALIGN_DECIMAL && !p->stream;
        for (size_t r = 0; r < t->nrows; r++) {
            const char *txt = t->rows[r].cells[c];
            dec_cell *d = &p->dec[r * t->ncols + c];
            if (dec)
                scan_numbers(txt, d);
            if (dec && d->nnum)
                continue;
            text_extent(p, txt, &nat, &mn);
            /* A word wider than a third of the text area (a 100,000-character
             * term pasted without spaces) does not set the column's minimum:
             * wrap breaks it between characters like any word wider than its
             * column. Taken whole it made a column 500,000 pt wide and one
             * line over libharu's 65,535-byte string limit (issue 17). */
            if (mn > p->avail / 3)
                mn = p->avail / 3;
            double iw = indent_w(p, c, t->rows[r].indent);
            /* a group continued on a new page shows "<key> (continued)"
             * (continued_key): its width, for spare room (share_room), in a
             * listing grouped by subject (bookmark_groups; rows of a
             * listing without groups continue only when taller than a page) */
            if (c == 0 && t->cols[0].key && t->kind == TLF_TPL_LISTING && t->bookmark_groups &&
                *txt && (r == 0 || t->rows[r].group != t->rows[r - 1].group)) {
                char *k = xasprintf("%s (continued)", txt);
                double kn, km;
                text_extent(p, k, &kn, &km);
                if (kn + iw > p->cont0)
                    p->cont0 = kn + iw;
                free(k);
            }
            if (nat + iw > p->nat[c])
                p->nat[c] = nat + iw;
            if (mn + iw > p->minw[c])
                p->minw[c] = mn + iw;
        }
        /* "(continued)" stands whole under a continued group's key */
        if (c == 0 && t->cols[0].key && t->kind == TLF_TPL_LISTING) {
            double cw = tw(p, "(continued)", 11);
            if (cw > p->minw[0])
                p->minw[0] = cw;
        }
        if (!dec)
            continue;
        align_column(p, c);
        if (p->block[c] > p->nat[c])
            p->nat[c] = p->block[c];
        if (p->block[c] > p->minw[c])
            p->minw[c] = p->block[c];
    }
}

/* Step 2: fit widths of panel columns into the page width.
 *
 * A column with a width in % gets it. A "fit" column gets its natural
 * width (its widest value; its header counts by its longest word), up to
 * FIT_CAP of the body width, so a short categorical value ("NOT
 * RECOVERED/NOT RESOLVED", "2013-09-12 (34)") never wraps; the other
 * columns (the free text: verbatim term, preferred term) share the rest as
 * below. When that would leave them less than their longest words, or
 * every column is "fit", all fitted columns share the width as one set:
 * natural widths when they fit, the spare width going 40% to a table's
 * label column and the rest evenly (listings: in proportion to content);
 * else the widest are narrowed to a common cap L (water-filling: the
 * widths max(min, min(nat, L)) add up to the room), never below their
 * longest word. */
#define FIT_CAP 0.3

/* Share room among the panel columns i with flex[i] set (see above). */
static void share_room(P *p, const unsigned char *flex, double room)
{
    size_t n = p->npc, nauto = 0;
    double sum_nat = 0, maxnat = 0, weight = 0;
    for (size_t i = 0; i < n; i++)
        if (flex[i]) {
            size_t c = p->pc[i];
            nauto++;
            sum_nat += p->nat[c];
            weight += p->nat[c];
            if (p->nat[c] > maxnat)
                maxnat = p->nat[c];
        }
    if (sum_nat <= room) {
        double extra = room - sum_nat;
        /* spare width first lets a continued listing group's
         * "<key> (continued)" stand on one line (continued_key) */
        double bump = 0;
        if (flex[0] && p->pc[0] == 0 && p->cont0 > p->nat[0]) {
            bump = p->cont0 - p->nat[0] < extra ? p->cont0 - p->nat[0] : extra;
            extra -= bump;
        }
        for (size_t i = 0; i < n; i++) {
            size_t c = p->pc[i];
            if (!flex[i])
                continue;
            double share;
            if (p->tab->kind == TLF_TPL_TABLE)   /* label column takes 40%, the rest evenly */
                share = nauto == 1 ? 1.0 : (c == 0 ? 0.4 : 0.6 / (double)(nauto - (p->pc[0] == 0)));
            else
                share = weight > 0 ? p->nat[c] / weight : 1.0 / (double)nauto;
            if (p->tab->kind == TLF_TPL_TABLE && p->pc[0] != 0)
                share = 1.0 / (double)nauto;
            p->w[i] = p->nat[c] + extra * share + (i == 0 ? bump : 0);
        }
        return;
    }
    double lo = 0, hi = maxnat;
    for (int it = 0; it < 60; it++) {
        double L = (lo + hi) / 2, s = 0;
        for (size_t i = 0; i < n; i++) {
            size_t c = p->pc[i];
            if (!flex[i])
                continue;
            double v = p->nat[c] < L ? p->nat[c] : L;
            s += v > p->minw[c] ? v : p->minw[c];
        }
        if (s > room)
            hi = L;
        else
            lo = L;
    }
    for (size_t i = 0; i < n; i++) {
        size_t c = p->pc[i];
        if (!flex[i])
            continue;
        double v = p->nat[c] < lo ? p->nat[c] : lo;
        p->w[i] = v > p->minw[c] ? v : p->minw[c];
    }
}

static void fit_widths(P *p)
{
    size_t n = p->npc;
    double avail = p->avail - p->gap * (double)(n ? n - 1 : 0);
    double fixed = 0, fitted = 0, flex_min = 0;
    size_t nflex = 0;
    unsigned char *flex = xcalloc(n + 1, 1);
    for (size_t i = 0; i < n; i++) {
        const tlf_tcol *col = &p->tab->cols[p->pc[i]];
        size_t c = p->pc[i];
        if (col->width_pct > 0) {
            p->w[i] = col->width_pct / 100.0 * p->avail;
            fixed += p->w[i];
        } else if (col->fit) {
            double v = p->nat[c] < FIT_CAP * p->avail ? p->nat[c] : FIT_CAP * p->avail;
            p->w[i] = v > p->minw[c] ? v : p->minw[c];
            fitted += p->w[i];
        } else {
            flex[i] = 1;
            flex_min += p->minw[c];
            nflex++;
        }
    }
    double room = avail - fixed;
    if (nflex > 0 && fitted + flex_min <= room) {
        share_room(p, flex, room - fitted);
    } else {
        for (size_t i = 0; i < n; i++)
            flex[i] = p->tab->cols[p->pc[i]].width_pct <= 0;
        share_room(p, flex, room);
    }
    free(flex);
    double x = p->ps->margin;
    for (size_t i = 0; i < n; i++) {
        p->x[i] = x;
        x += p->w[i] + p->gap;
    }
}

/* ---- drawing ---- */

static void text_at(P *p, double x, double y, const char *s, size_t len, int col, int row)
{
    if (len && !p->count_only)
        tlf_page_text(p->page, x, y, tw(p, s, len), p->fs, s, len, col, row);
}

/* Height of a header cell text wrapped to width. */
static size_t nlines_of(P *p, const char *text, double width)
{
    wrap(p, text, width, &p->wl);
    return p->wl.n;
}

/* Lines from..from+count-1 of L (text wrapped to width), the first at
 * y_top. */
static void draw_lines(P *p, const char *text, const lines *L, size_t from, size_t count,
                       double x, double width, double y_top, tlf_align align, int col, int row)
{
    for (size_t k = 0; k < count && from + k < L->n; k++) {
        const span *sp = &L->v[from + k];
        double dx = 0;   /* left: no width needed */
        if (align != TLF_ALIGN_LEFT) {
            double w = tw(p, text + sp->s, sp->len);
            dx = align == TLF_ALIGN_RIGHT ? width - w : (width - w) / 2;
        }
        text_at(p, x + dx, y_top - p->fs - (double)k * p->lead, text + sp->s, sp->len, col, row);
    }
}

static void draw_wrapped(P *p, const char *text, double x, double width, double y_top,
                         tlf_align align, int col, int row)
{
    if (p->count_only)
        return;
    wrap(p, text, width, &p->wl);
    draw_lines(p, text, &p->wl, 0, p->wl.n, x, width, y_top, align, col, row);
}

/* Column headers: left over a left-aligned column, else centred. */
static tlf_align head_align(const tlf_tcol *c)
{
    return c->align == TLF_ALIGN_LEFT ? TLF_ALIGN_LEFT : TLF_ALIGN_CENTRE;
}

/* A body cell drawn whole (not on decimal anchors): a decimal column's
 * text without numbers is centred. */
static tlf_align body_align(const tlf_tcol *c)
{
    return c->align == TLF_ALIGN_DECIMAL ? TLF_ALIGN_CENTRE : c->align;
}

static double header_height(P *p)
{
    const tlf_table *t = p->tab;
    double h = 0;
    for (size_t r = 0; r < t->nhrows; r++) {
        size_t maxl = 1;
        for (size_t k = 0; k < t->hrows[r].n; k++) {
            const tlf_hspan *s = &t->hrows[r].spans[k];
            double w = 0;
            for (size_t i = 0; i < p->npc; i++)
                if (p->pc[i] >= s->first && p->pc[i] < s->first + s->ncols)
                    w += p->w[i] + p->gap;
            if (w > 0) {
                size_t nl = nlines_of(p, s->text, w - p->gap);
                if (nl > maxl)
                    maxl = nl;
            }
        }
        h += (double)maxl * p->lead + 0.3 * p->fs;
    }
    size_t maxl = 1;
    for (size_t i = 0; i < p->npc; i++) {
        size_t nl = nlines_of(p, t->cols[p->pc[i]].header, p->w[i]);
        if (nl > maxl)
            maxl = nl;
    }
    return h + (double)maxl * p->lead;
}

static void draw_headers(P *p, double y)
{
    const tlf_table *t = p->tab;
    if (p->count_only)
        return;
    for (size_t r = 0; r < t->nhrows; r++) {
        size_t maxl = 1;
        for (size_t k = 0; k < t->hrows[r].n; k++) {
            const tlf_hspan *s = &t->hrows[r].spans[k];
            double x0 = -1, x1 = 0;
            for (size_t i = 0; i < p->npc; i++)
                if (p->pc[i] >= s->first && p->pc[i] < s->first + s->ncols) {
                    if (x0 < 0)
                        x0 = p->x[i];
                    x1 = p->x[i] + p->w[i];
                }
            if (x0 < 0 || !*s->text)
                continue;
            size_t nl = nlines_of(p, s->text, x1 - x0);
            if (nl > maxl)
                maxl = nl;
            draw_wrapped(p, s->text, x0, x1 - x0, y, TLF_ALIGN_CENTRE, -1, -1);
            if (s->ncols > 1)
                tlf_page_rule(p->page, x0, y - (double)nl * p->lead - 0.1 * p->fs, x1 - x0, RULE_SPAN);
        }
        y -= (double)maxl * p->lead + 0.3 * p->fs;
    }
    size_t maxl = 1;
    for (size_t i = 0; i < p->npc; i++) {
        size_t nl = nlines_of(p, t->cols[p->pc[i]].header, p->w[i]);
        if (nl > maxl)
            maxl = nl;
    }
    for (size_t i = 0; i < p->npc; i++) {
        const tlf_tcol *c = &t->cols[p->pc[i]];
        size_t nl = nlines_of(p, c->header, p->w[i]);
        /* headers sit on the rule below them */
        draw_wrapped(p, c->header, p->x[i], p->w[i], y - (double)(maxl - nl) * p->lead,
                     head_align(c), -1, -1);
    }
}

static double footer_height(P *p)
{
    double h = 0.6 * p->fs;
    for (size_t i = 0; i < p->tab->nfootnotes; i++)
        h += (double)nlines_of(p, p->tab->footnotes[i], p->avail) * p->lead;
    if (p->ctx && p->ctx->note)
        h += (double)nlines_of(p, p->ctx->note, p->avail) * p->lead;
    return h + 2.0 * p->lead;   /* source line(s) */
}

static char *source_line(const P *p)
{
    const tlf_render_ctx *c = p->ctx;
#define D(s) ((s) && *(s) ? (s) : "-")
    char sha[9];
    snprintf(sha, sizeof sha, "%s", D(c->db_sha256));
    return xasprintf("Source: run %s | database sha256 %s | cut-off %s | %s | %s", D(c->run_id),
                     sha, D(c->cutoff), D(c->db_status), D(c->program_version));
}

static void new_page(P *p)
{
    const tlf_table *t = p->tab;
    p->page = tlf_plan_add_page(p->plan);
    double top = p->ps->page_h - p->ps->margin;
    double left = p->ps->margin, right = p->ps->page_w - p->ps->margin;
    double y = top - p->fs;
    const tlf_render_ctx *c = p->ctx;
    char *l1 = xasprintf("%s  Protocol %s", D(c->study), D(c->protocol));
    text_at(p, left, y, l1, strlen(l1), -1, -1);
    free(l1);
    if (c->draft)
        text_at(p, (left + right) / 2 - tw(p, "DRAFT", 5) / 2, y, "DRAFT", 5, -1, -1);
    tlf_page_pagenum(p->page, right, y, p->fs);
    y -= p->lead * 1.3;
    char *num = xasprintf("%s%s", t->number, p->page_in_panel > 0 ? " (continued)" : "");
    text_at(p, left, y, num, strlen(num), -1, -1);
    free(num);
    for (size_t i = 0; i < t->ntitles; i++) {
        y -= p->lead;
        draw_wrapped(p, t->titles[i], left, p->avail, y + p->fs, TLF_ALIGN_LEFT, -1, -1);
        y -= (double)(nlines_of(p, t->titles[i], p->avail) - 1) * p->lead;
    }
    if (t->population) {
        y -= p->lead;
        text_at(p, left, y, t->population, strlen(t->population), -1, -1);
    }
    y -= 0.8 * p->lead;
    tlf_page_rule(p->page, left, y, p->avail, RULE_TITLE);
    y -= 0.3 * p->fs;
    p->body_bottom = p->ps->margin + p->foot_h;
    p->page_in_panel++;
    if (p->frame_only) {
        p->y = y;
        return;
    }
    draw_headers(p, y);
    y -= p->head_h + 0.3 * p->fs;
    tlf_page_rule(p->page, left, y, p->avail, RULE_HEAD);
    p->y = y - 0.3 * p->fs;
    p->fresh_h = p->y - p->body_bottom;
    p->rows_on_page = 0;
}

static void close_page(P *p)
{
    if (p->count_only)
        return;   /* the foot is drawn below the body: nothing to count */
    double left = p->ps->margin;
    double y = p->y - 0.2 * p->fs;
    tlf_page_rule(p->page, left, y, p->avail, RULE_FOOT);
    y -= 0.4 * p->fs;
    for (size_t i = 0; i < p->tab->nfootnotes; i++) {
        draw_wrapped(p, p->tab->footnotes[i], left, p->avail, y, TLF_ALIGN_LEFT, -1, -1);
        y -= (double)nlines_of(p, p->tab->footnotes[i], p->avail) * p->lead;
    }
    if (p->ctx && p->ctx->note)
        draw_wrapped(p, p->ctx->note, left, p->avail, y, TLF_ALIGN_LEFT, -1, -1);
    char *src = source_line(p);
    draw_wrapped(p, src, left, p->avail, p->ps->margin + 2.0 * p->lead, TLF_ALIGN_LEFT, -1, -1);
    free(src);
}

/* The first key cell of a listing group continued on a new page:
 * "<key> (continued)" on one line when the column holds it (the glue
 * rule keeps the two together), else "(continued)" on the line under the
 * key: never broken inside a word ("(conti" "nued)"). */
static char *continued_key(const P *p, const char *key)
{
    char *one = xasprintf("%s (continued)", key);
    for (size_t i = 0; i < p->npc; i++)
        if (p->pc[i] == 0) {
            double nat, mn;
            text_extent(p, one, &nat, &mn);
            if (mn > p->w[i] + 1e-6)
                one[strlen(key)] = '\n';
            break;
        }
    return one;
}

/* Cell texts of row r as shown: variant 0 = as is, 1 = listing row that
 * hides its key cells (not the first of its group on the page), 2 = first
 * row on a page of a continued listing group, 3 = repeated table group
 * heading. v[0, ncols) are the texts; a text as it is in the table is
 * the cell itself, not a copy (a listing places each of its rows twice,
 * counting its pages and drawing them), and v[ncols, 2 * ncols) hold the
 * texts made here, for free_texts. */
static const char **row_texts(const P *p, size_t r, int variant)
{
    const tlf_table *t = p->tab;
    const char **v = xcalloc(2 * t->ncols, sizeof *v), **own = v + t->ncols;
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = t->rows[r].cells[c];
        if (variant == 1 && t->cols[c].key)
            v[c] = "";
        else if (variant == 2 && c == 0 && *s)
            v[c] = own[c] = continued_key(p, s);
        else if (variant == 3)
            v[c] = c == 0 ? (own[c] = xasprintf("%s (continued)", s)) : "";
        else
            v[c] = s;
    }
    return v;
}

static void free_texts(const char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)v[n + i]);
    free(v);
}

static double row_height(P *p, size_t r, const char *const *v)
{
    size_t maxl = 1;
    for (size_t i = 0; i < p->npc; i++) {
        size_t c = p->pc[i];
        const dec_cell *d = &p->dec[r * p->tab->ncols + c];
        if (p->tab->cols[c].align == TLF_ALIGN_DECIMAL && d->nnum && strcmp(v[c], p->tab->rows[r].cells[c]) == 0)
            continue;
        double iw = indent_w(p, c, p->tab->rows[r].indent);
        size_t nl = nlines_of(p, v[c], p->w[i] - iw);
        if (nl > maxl)
            maxl = nl;
    }
    return (double)maxl * p->lead;
}

/* A decimal cell's pieces (text s of body row r in panel column i, drawn
 * on its alignment set's anchors): the integer part of number k ends at
 * X_k, the text after an anchor starts at it. Fills up to 2 * MAXNUM
 * pieces (empty ones included); x is from left, the column's left edge
 * (0 for positions within the column). */
static size_t dec_pieces(const P *p, size_t i, double left, const char *s, const dec_cell *d,
                         tlf_piece *out)
{
    const dec_set *ds = &p->sets[d->set];
    const double *X = ds->X;
    double x0 = left + (p->w[i] - p->block[p->pc[i]]) / 2 + ds->off;
    size_t n = 0;
    double w0 = tw(p, s, d->anchor[0]);
    out[n++] = (tlf_piece){0, d->anchor[0], x0 + X[0] - w0, w0};
    for (int k = 1; k < d->nnum; k++) {
        /* an opening bracket travels with its number: "(4.0)", never
         * "( 4.0)"; the padding goes before the bracket */
        size_t a = d->anchor[k - 1], st = d->start[k], open = st;
        while (open > a && (s[open - 1] == '(' || s[open - 1] == '['))
            open--;
        out[n++] = (tlf_piece){a, open - a, x0 + X[k - 1], tw(p, s + a, open - a)};
        double wi = tw(p, s + open, d->anchor[k] - open);
        out[n++] = (tlf_piece){open, d->anchor[k] - open, x0 + X[k] - wi, wi};
    }
    size_t a = d->anchor[d->nnum - 1];
    out[n++] = (tlf_piece){a, strlen(s) - a, x0 + X[d->nnum - 1], tw(p, s + a, strlen(s) - a)};
    return n;
}

static void draw_row(P *p, size_t r, const char *const *v)
{
    const tlf_table *t = p->tab;
    if (p->count_only)
        return;
    for (size_t i = 0; i < p->npc; i++) {
        size_t c = p->pc[i];
        const char *s = v[c];
        const dec_cell *d = &p->dec[r * t->ncols + c];
        if (t->cols[c].align == TLF_ALIGN_DECIMAL && d->nnum && strcmp(s, t->rows[r].cells[c]) == 0) {
            tlf_piece pc[2 * MAXNUM];
            size_t n = dec_pieces(p, i, p->x[i], s, d, pc);
            for (size_t k = 0; k < n; k++)
                text_at(p, pc[k].x, p->y - p->fs, s + pc[k].start, pc[k].len, (int)c,
                        (int)r);
            continue;
        }
        double iw = indent_w(p, c, t->rows[r].indent);
        draw_wrapped(p, s, p->x[i] + iw, p->w[i] - iw, p->y, body_align(&t->cols[c]), (int)c,
                     (int)r);
    }
}

#define NVARIANTS 4

/* Height of row r shown as variant (texts v when the caller has them). */
static double memo_height(P *p, size_t r, int variant, const char *const *v)
{
    double *m = p->hmemo ? &p->hmemo[r * NVARIANTS + (size_t)variant] : NULL;
    if (m && *m >= 0)
        return *m;
    const char **own = v ? NULL : row_texts(p, r, variant);
    double h = row_height(p, r, v ? v : own);
    if (own)
        free_texts(own, p->tab->ncols);
    if (m)
        *m = h;
    return h;
}

/* Place row r (texts v) at the current position. */
static void place(P *p, size_t r, int variant)
{
    const char **v = row_texts(p, r, variant);
    double h = memo_height(p, r, variant, v);
    draw_row(p, r, v);
    p->y -= h;
    p->rows_on_page++;
    free_texts(v, p->tab->ncols);
}

static double height_of(P *p, size_t r, int variant)
{
    return memo_height(p, r, variant, NULL);
}

static int listing(const P *p) { return p->tab->kind == TLF_TPL_LISTING; }

/* Body lines that still fit the open page. */
static size_t lines_left(const P *p)
{
    double n = (p->y - p->body_bottom) / p->lead + 1e-9;
    return n < 1 ? 0 : (size_t)n;
}

/* Place row r (texts of variant) that is taller than a whole page: its
 * lines go down this page and continue on the next ones, nothing cut.
 * Each continuation page repeats what identifies the row: a listing's key
 * cells, the first with "(continued)"; a table's group heading (row head,
 * when the row is not the heading itself). Decimal-aligned numbers are
 * one line and drawn with the first piece. */
static void place_tall(P *p, size_t r, int variant, size_t head)
{
    const tlf_table *t = p->tab;
    const char **v = row_texts(p, r, variant), **cont = NULL;
    lines *L = xcalloc(p->npc, sizeof *L);
    size_t *off = xcalloc(p->npc, sizeof *off);
    int *num = xcalloc(p->npc, sizeof *num);
    for (size_t i = 0; i < p->npc; i++) {
        size_t c = p->pc[i];
        const dec_cell *d = &p->dec[r * t->ncols + c];
        num[i] = t->cols[c].align == TLF_ALIGN_DECIMAL && d->nnum && strcmp(v[c], t->rows[r].cells[c]) == 0;
        if (!num[i])
            wrap(p, v[c], p->w[i] - indent_w(p, c, t->rows[r].indent), &L[i]);
    }
    if (lines_left(p) < 1) {
        close_page(p);
        new_page(p);
    }
    for (int first = 1;; first = 0) {
        size_t avail = lines_left(p), used = 0;
        if (avail < 1)
            avail = 1;   /* never loop without progress */
        if (!first && listing(p)) {
            /* the key cells again, with "(continued)", above the rest */
            if (!cont)
                cont = row_texts(p, r, 2);
            for (size_t i = 0; i < p->npc; i++) {
                size_t c = p->pc[i];
                if (!t->cols[c].key || num[i] || off[i] < L[i].n)
                    continue;
                double iw = indent_w(p, c, t->rows[r].indent);
                lines K = {0};
                wrap(p, cont[c], p->w[i] - iw, &K);
                size_t k = K.n < avail ? K.n : avail;
                draw_lines(p, cont[c], &K, 0, k, p->x[i] + iw, p->w[i] - iw, p->y, t->cols[c].align,
                           (int)c, (int)r);
                if (k > used)
                    used = k;
                free(K.v);
            }
        }
        for (size_t i = 0; i < p->npc; i++) {
            size_t c = p->pc[i];
            if (num[i]) {
                if (first) {
                    /* draw_row's decimal path for this one cell */
                    size_t save = p->npc, pc0 = p->pc[0];
                    double w0 = p->w[0], x0 = p->x[0];
                    p->pc[0] = c;
                    p->w[0] = p->w[i];
                    p->x[0] = p->x[i];
                    p->npc = 1;
                    draw_row(p, r, v);
                    p->npc = save;
                    p->pc[0] = pc0;
                    p->w[0] = w0;
                    p->x[0] = x0;
                    if (used < 1)
                        used = 1;
                }
                continue;
            }
            size_t k = L[i].n - off[i] < avail ? L[i].n - off[i] : avail;
            double iw = indent_w(p, c, t->rows[r].indent);
            tlf_align al = t->cols[c].align == TLF_ALIGN_DECIMAL ? TLF_ALIGN_CENTRE : t->cols[c].align;
            draw_lines(p, v[c], &L[i], off[i], k, p->x[i] + iw, p->w[i] - iw, p->y, al, (int)c,
                       (int)r);
            off[i] += k;
            if (k > used)
                used = k;
        }
        p->y -= (double)(used ? used : 1) * p->lead;
        p->rows_on_page++;
        int more = 0;
        for (size_t i = 0; i < p->npc; i++)
            if (!num[i] && off[i] < L[i].n)
                more = 1;
        if (!more)
            break;
        close_page(p);
        new_page(p);
        if (!listing(p) && head != r && t->rows[head].group_head)
            place(p, head, 3);
    }
    for (size_t i = 0; i < p->npc; i++)
        free(L[i].v);
    free(L);
    free(off);
    free(num);
    free_texts(v, t->ncols);
    if (cont)
        free_texts(cont, t->ncols);
}

/* A bookmark anchor where group r starts (first panel only: the reader
 * looks for a subject or a parameter, not for a column panel): a
 * listing's key cells ("TACIP-01-T0001"), a table's group heading. */
static void anchor_group(P *p, size_t r)
{
    const tlf_table *t = p->tab;
    if (!t->bookmark_groups || p->panel > 0)
        return;
    tlf_buf b = TLF_BUF_INIT;
    if (listing(p)) {
        for (size_t c = 0; c < t->ncols; c++)
            if (t->cols[c].key && *t->rows[r].cells[c])
                tlf_buf_printf(&b, "%s%s", b.len ? " " : "", t->rows[r].cells[c]);
    } else if (t->rows[r].group_head) {
        tlf_buf_puts(&b, t->rows[r].cells[0]);
    }
    if (b.len) {
        for (size_t i = 0; i < b.len; i++)
            if (b.data[i] == '\n')
                b.data[i] = ' ';
        tlf_page_anchor(p->page, p->y, tlf_buf_cstr(&b));
    }
    tlf_buf_free(&b);
}

/* Step 3: the rows of p->tab onto pages of the current panel (a page is
 * open; groups are contiguous rows with one group id). */
/* Keep-with rule for a group split over pages (rows r..g1): the page
 * break falls where the page is full, unless that leaves fewer than
 * KEEP_ROWS of the group to continue alone on the next page; then it
 * comes earlier, so KEEP_ROWS rows continue (and at least KEEP_ROWS stay
 * before it). Returns the row to break before, or g1 for no change. */
#define KEEP_ROWS 3
static size_t widow_break(P *p, size_t r, size_t g1)
{
    double y = p->y;
    size_t brk = g1;
    for (size_t i = r; i < g1; i++) {
        double h = height_of(p, i, listing(p) && i > r ? 1 : 0);
        if (h > p->fresh_h + 1e-6)
            return g1;   /* a row taller than a page: no rule applies */
        if (y - h < p->body_bottom) {
            brk = i;
            break;
        }
        y -= h;
    }
    if (brk == g1 || brk == r || g1 - brk >= KEEP_ROWS || g1 - r < 2 * KEEP_ROWS + 1)
        return g1;
    return g1 - KEEP_ROWS;
}

static void place_rows(P *p)
{
    const tlf_table *t = p->tab;
    size_t r = 0;
    /* the panel's widths are fixed from here to the end: heights keep */
    p->hmemo = xmalloc((t->nrows * NVARIANTS + 1) * sizeof *p->hmemo);
    for (size_t i = 0; i < t->nrows * NVARIANTS; i++)
        p->hmemo[i] = -1;
    while (r < t->nrows) {
        size_t g1 = r;
        while (g1 < t->nrows && t->rows[g1].group == t->rows[r].group)
            g1++;
        double gh = 0;
        for (size_t i = r; i < g1; i++)
            gh += height_of(p, i, listing(p) && i > r ? 1 : 0);
        double room = p->y - p->body_bottom;
        if (gh > room && p->rows_on_page > 0) {
            /* move the whole group to a new page when it fits one; when it
             * does not, still move it if its heading and first member would
             * be alone at the foot of this page */
            double head_next = height_of(p, r, 0) +
                               (g1 > r + 1 ? height_of(p, r + 1, listing(p) ? 1 : 0) : 0);
            if (gh <= p->fresh_h || head_next > room) {
                close_page(p);
                new_page(p);
            }
        }
        size_t forced = widow_break(p, r, g1);
        for (size_t i = r; i < g1; i++) {
            int variant = listing(p) && i > r ? 1 : 0;
            double h = height_of(p, i, variant);
            if (h > p->fresh_h + 1e-6) {
                place_tall(p, i, variant, r);
                continue;
            }
            if (p->y - h < p->body_bottom || i == forced) {
                close_page(p);
                new_page(p);
                if (i > r) {
                    if (listing(p)) {
                        variant = 2;
                    } else if (t->rows[r].group_head) {
                        place(p, r, 3);
                    }
                }
            }
            if (i == r)
                anchor_group(p, r);
            place(p, i, variant);
        }
        r = g1;
        /* a signal ends a long listing between groups: the caller looks at
         * the stop flag after the panel (or chunk) and fails with it */
        if (tlf_stop_signal())
            break;
    }
    free(p->hmemo);
    p->hmemo = NULL;
}

/* TLF_EUSAGE when the page new_page opened has no room for one line of
 * the body between the titles and column headers and the footnotes:
 * every row would be a page of its own, the footnotes drawn over the
 * source line and off the page (a figure refuses likewise,
 * layout/figure.c). */
static int check_room(const P *p, tlf_err *err)
{
    if (p->fresh_h >= p->lead)
        return 0;
    return tlf_err_set(err, TLF_EUSAGE,
                       "%s: the titles, column headers and footnotes leave no room for the body "
                       "(%.0f pt); use landscape, fewer titles or shorter footnotes",
                       p->tab->number, p->fresh_h);
}

/* One panel's pages. */
static int paginate_panel(P *p, tlf_err *err)
{
    p->page_in_panel = 0;
    p->head_h = header_height(p);
    new_page(p);
    int rc = check_room(p, err);
    if (rc)
        return rc;
    place_rows(p);
    close_page(p);
    return 0;
}

int tlf_status_is_final(const char *s)
{
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n == strlen(TLF_FINAL_STATUS) && strncasecmp(s, TLF_FINAL_STATUS, n) == 0;
}

/* Check the page setup and fill the fields every layout shares. */
static void measure_free(P *p);

/* The paginator's scratch arrays (measurements, decimal sets, panel
 * columns), freed by every entry point on its way out; the plan or
 * geometry it built is the caller's. */
static void scratch_free(P *p)
{
    measure_free(p);
    free(p->pc);
    free(p->w);
    free(p->x);
    free(p->wl.v);
    p->wl = (lines){0};
}

static int p_init(P *p, const tlf_table *tab, const tlf_page_setup *ps,
                  const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err)
{
    memset(p, 0, sizeof *p);
    if (ps->margin < TLF_MIN_MARGIN_PT - 1e-6)
        return tlf_err_set(err, TLF_EUSAGE, "margin %.1f pt is under 19 mm (%.1f pt)",
                           ps->margin, TLF_MIN_MARGIN_PT);
    if (ps->font_size < TLF_MIN_FONT_PT || ps->font_size > TLF_MAX_FONT_PT)
        return tlf_err_set(err, TLF_EUSAGE, "font size %.1f pt is outside %g-%g pt",
                           ps->font_size, TLF_MIN_FONT_PT, TLF_MAX_FONT_PT);
    p->tab = tab;
    p->ps = ps;
    p->ctx = ctx;
    p->m = m;
    p->fs = ps->font_size;
    p->lead = LEAD * p->fs;
    p->gap = (tab->kind == TLF_TPL_LISTING ? LISTING_GAP : GAP) * p->fs;
    p->avail = ps->page_w - 2 * ps->margin;
    return 0;
}

int tlf_frame_open(tlf_frame *fr, tlf_plan *plan, const tlf_table *tab,
                   const tlf_page_setup *ps, const tlf_render_ctx *ctx, tlf_measurer m,
                   tlf_err *err)
{
    P p;
    int rc = p_init(&p, tab, ps, ctx, m, err);
    if (rc)
        return rc;
    p.frame_only = 1;
    p.plan = plan;
    p.foot_h = footer_height(&p);
    new_page(&p);
    fr->page = p.page;
    fr->top = p.y;
    fr->bottom = p.body_bottom + 0.6 * p.fs;
    fr->left = ps->margin;
    fr->right = ps->page_w - ps->margin;
    /* footnotes and the source line now, under the body area */
    p.y = p.body_bottom + 0.2 * p.fs;
    close_page(&p);
    scratch_free(&p);
    return 0;
}

/* Panels: the key columns plus as many others as fit at their minimum
 * width. keys_width gives the key columns' share (and their count). */
static double keys_width(const P *p, size_t *nkey)
{
    const tlf_table *tab = p->tab;
    double key_min = 0;
    *nkey = 0;
    for (size_t c = 0; c < tab->ncols; c++)
        if (tab->cols[c].key) {
            key_min += tab->cols[c].width_pct > 0 ? tab->cols[c].width_pct / 100 * p->avail : p->minw[c];
            key_min += p->gap;
            (*nkey)++;
        }
    return key_min;
}

/* The next panel from column *next on: p->pc, p->npc, fitted widths. */
static void next_panel(P *p, double key_min, size_t *next)
{
    const tlf_table *tab = p->tab;
    p->npc = 0;
    double used = key_min;
    size_t added = 0;
    for (size_t c = 0; c < tab->ncols; c++) {
        if (tab->cols[c].key) {
            p->pc[p->npc++] = c;
            continue;
        }
        if (c < *next)
            continue;
        double need = (tab->cols[c].width_pct > 0 ? tab->cols[c].width_pct / 100 * p->avail : p->minw[c]) + p->gap;
        if (added > 0 && used + need > p->avail + p->gap)
            break;
        p->pc[p->npc++] = c;
        used += need;
        added++;
        *next = c + 1;
    }
    if (added == 0)
        *next = tab->ncols;
    fit_widths(p);
}

int tlf_paginate(tlf_plan **out, const tlf_table *tab, const tlf_page_setup *ps,
                 const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err)
{
    *out = NULL;
    P p;
    int rc0 = p_init(&p, tab, ps, ctx, m, err);
    if (rc0)
        return rc0;
    p.plan = tlf_plan_new(ps->page_w, ps->page_h);
    measure_all(&p);
    p.foot_h = footer_height(&p);
    p.pc = xcalloc(tab->ncols, sizeof *p.pc);
    p.w = xcalloc(tab->ncols, sizeof *p.w);
    p.x = xcalloc(tab->ncols, sizeof *p.x);
    /* a signal stops a long listing between the measuring and each panel */
    int rc = tlf_stop_check(err);
    if (rc)
        goto done;

    size_t nkey = 0;
    double key_min = keys_width(&p, &nkey);
    if (key_min > p.avail && nkey < tab->ncols) {
        rc = tlf_err_set(err, TLF_EUSAGE, "%s: the key columns alone are wider than the page",
                         tab->number);
        goto done;
    }
    size_t next = 0;
    while (next < tab->ncols) {
        next_panel(&p, key_min, &next);
        if ((rc = paginate_panel(&p, err)) != 0)
            break;
        p.panel++;
        if (nkey == tab->ncols || (rc = tlf_stop_check(err)) != 0)
            break;
    }
done:
    scratch_free(&p);
    if (rc) {
        tlf_plan_free(p.plan);
        return rc;
    }
    *out = p.plan;
    return 0;
}

int tlf_table_geometry(tlf_table_geom **out, const tlf_table *tab, const tlf_page_setup *ps,
                       tlf_measurer m, tlf_err *err)
{
    *out = NULL;
    P p;
    int rc = p_init(&p, tab, ps, NULL, m, err);
    if (rc)
        return rc;
    measure_all(&p);
    p.pc = xcalloc(tab->ncols + 1, sizeof *p.pc);
    p.w = xcalloc(tab->ncols + 1, sizeof *p.w);
    p.x = xcalloc(tab->ncols + 1, sizeof *p.x);
    tlf_table_geom *g = xcalloc(1, sizeof *g);
    g->font_size = p.fs;
    g->lead = p.lead;
    g->gap = p.gap;
    g->indent = INDENT * p.fs;
    g->body_w = p.avail;
    g->rule_title = RULE_TITLE;
    g->rule_span = RULE_SPAN;
    g->rule_head = RULE_HEAD;
    g->rule_foot = RULE_FOOT;
    size_t nkey = 0;
    double key_min = keys_width(&p, &nkey);
    if (key_min > p.avail && nkey < tab->ncols) {
        rc = tlf_err_set(err, TLF_EUSAGE, "%s: the key columns alone are wider than the page",
                         tab->number);
        goto done;
    }
    for (size_t next = 0; next < tab->ncols;) {
        next_panel(&p, key_min, &next);
        g->panels = xreallocarray(g->panels, g->npanels + 1, sizeof *g->panels);
        tlf_panel_geom *pg = &g->panels[g->npanels++];
        size_t n = p.npc;
        pg->ncols = n;
        pg->nrows = tab->nrows;
        pg->cols = xcalloc(n + 1, sizeof *pg->cols);
        pg->w = xcalloc(n + 1, sizeof *pg->w);
        pg->x = xcalloc(n + 1, sizeof *pg->x);
        pg->head_align = xcalloc(n + 1, sizeof *pg->head_align);
        pg->body_align = xcalloc(n + 1, sizeof *pg->body_align);
        pg->cells = xcalloc(tab->nrows * n + 1, sizeof *pg->cells);
        for (size_t i = 0; i < n; i++) {
            size_t c = p.pc[i];
            pg->cols[i] = c;
            pg->w[i] = p.w[i];
            pg->x[i] = p.x[i] - ps->margin;
            pg->head_align[i] = head_align(&tab->cols[c]);
            pg->body_align[i] = body_align(&tab->cols[c]);
            if (tab->cols[c].align != TLF_ALIGN_DECIMAL)
                continue;
            for (size_t r = 0; r < tab->nrows; r++) {
                const dec_cell *d = &p.dec[r * tab->ncols + c];
                if (!d->nnum)
                    continue;
                tlf_piece pc[2 * MAXNUM];
                size_t np = dec_pieces(&p, i, 0, tab->rows[r].cells[c], d, pc);
                tlf_cell_geom *cg = &pg->cells[r * n + i];
                cg->pieces = xcalloc(np, sizeof *cg->pieces);
                memcpy(cg->pieces, pc, np * sizeof *pc);
                cg->npieces = np;
            }
        }
        if (nkey == tab->ncols)
            break;
    }
done:
    scratch_free(&p);
    if (rc) {
        tlf_table_geom_free(g);
        return rc;
    }
    *out = g;
    return 0;
}

void tlf_table_geom_free(tlf_table_geom *g)
{
    if (!g)
        return;
    for (size_t k = 0; k < g->npanels; k++) {
        tlf_panel_geom *pg = &g->panels[k];
        for (size_t i = 0; i < pg->nrows * pg->ncols; i++)
            free(pg->cells[i].pieces);
        free(pg->cols);
        free(pg->w);
        free(pg->x);
        free(pg->head_align);
        free(pg->body_align);
        free(pg->cells);
    }
    free(g->panels);
    free(g);
}

/* ---- streaming (huge listings split into volumes) ---- */

struct tlf_paginator {
    P p;
    const tlf_table *head;
    double *nat, *minw;        /* widths over every row measured so far      */
    double cont0;              /* and the widest "<key> (continued)"         */
    tlf_plan *plan;
    int open;                  /* a page is open                             */
};

static void measure_free(P *p)
{
    free(p->nat);
    free(p->minw);
    free(p->block);
    free(p->sets);
    free(p->dec);
    p->nat = p->minw = p->block = NULL;
    p->sets = NULL;
    p->nsets = p->capsets = 0;
    p->dec = NULL;
}

int tlf_paginator_new(tlf_paginator **out, const tlf_table *head, const tlf_page_setup *ps,
                      const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err)
{
    *out = NULL;
    tlf_paginator *pg = xcalloc(1, sizeof *pg);
    int rc = p_init(&pg->p, head, ps, ctx, m, err);
    if (rc) {
        free(pg);
        return rc;
    }
    pg->p.stream = 1;
    pg->head = head;
    pg->nat = xcalloc(head->ncols + 1, sizeof *pg->nat);
    pg->minw = xcalloc(head->ncols + 1, sizeof *pg->minw);
    tlf_paginator_measure(pg, head);
    *out = pg;
    return 0;
}

void tlf_paginator_measure(tlf_paginator *pg, const tlf_table *chunk)
{
    P *p = &pg->p;
    p->tab = chunk;
    measure_all(p);
    for (size_t c = 0; c < chunk->ncols; c++) {
        if (p->nat[c] > pg->nat[c])
            pg->nat[c] = p->nat[c];
        if (p->minw[c] > pg->minw[c])
            pg->minw[c] = p->minw[c];
    }
    if (p->cont0 > pg->cont0)
        pg->cont0 = p->cont0;
    measure_free(p);
    p->tab = pg->head;
}

int tlf_paginator_start(tlf_paginator *pg, tlf_plan *plan, tlf_err *err)
{
    P *p = &pg->p;
    const tlf_table *t = pg->head;
    double need = 0;
    for (size_t c = 0; c < t->ncols; c++)
        need += (t->cols[c].width_pct > 0 ? t->cols[c].width_pct / 100 * p->avail : pg->minw[c]) +
                (c ? p->gap : 0);
    /* A few points too wide (a large study's longer numbers): narrower
     * gutters, down to a third of the usual, rather than no listing. A
     * listing that fits keeps its gutters, so its pages do not change. */
    if (need > p->avail + 1e-6 && t->ncols > 1) {
        double cut = (need - p->avail) / (double)(t->ncols - 1);
        if (p->gap - cut >= p->gap / 3) {
            p->gap -= cut;
            need = p->avail;
        }
    }
    if (need > p->avail + 1e-6)
        return tlf_err_set(err, TLF_EUSAGE, "%s: the columns do not fit one page width (%.0f of "
                           "%.0f pt); a listing split into volumes has no column panels",
                           t->number, need, p->avail);
    measure_free(p);
    p->tab = t;
    p->nat = xcalloc(t->ncols + 1, sizeof *p->nat);
    p->minw = xcalloc(t->ncols + 1, sizeof *p->minw);
    memcpy(p->nat, pg->nat, t->ncols * sizeof *p->nat);
    memcpy(p->minw, pg->minw, t->ncols * sizeof *p->minw);
    p->block = xcalloc(t->ncols + 1, sizeof *p->block);
    free(p->pc);
    free(p->w);
    free(p->x);
    p->pc = xcalloc(t->ncols, sizeof *p->pc);
    p->w = xcalloc(t->ncols, sizeof *p->w);
    p->x = xcalloc(t->ncols, sizeof *p->x);
    for (size_t c = 0; c < t->ncols; c++)
        p->pc[c] = c;
    p->npc = t->ncols;
    p->cont0 = pg->cont0;
    fit_widths(p);
    p->foot_h = footer_height(p);
    p->head_h = header_height(p);
    p->plan = pg->plan = plan;
    p->page_in_panel = 0;
    new_page(p);
    pg->open = 1;
    return check_room(p, err);
}

void tlf_paginator_count_only(tlf_paginator *pg, int count_only)
{
    pg->p.count_only = count_only;
}

void tlf_paginator_feed(tlf_paginator *pg, const tlf_table *chunk)
{
    P *p = &pg->p;
    p->tab = chunk;
    p->dec = xcalloc(chunk->nrows * chunk->ncols + 1, sizeof *p->dec);
    place_rows(p);
    free(p->dec);
    p->dec = NULL;
    p->tab = pg->head;
}

void tlf_paginator_finish(tlf_paginator *pg)
{
    if (pg->open)
        close_page(&pg->p);
    pg->open = 0;
}

size_t tlf_paginator_done_pages(const tlf_paginator *pg)
{
    return pg->plan ? pg->plan->npages - (size_t)pg->open : 0;
}

void tlf_paginator_drop_done(tlf_paginator *pg)
{
    tlf_plan_drop_pages(pg->plan, tlf_paginator_done_pages(pg));
    if (pg->open)
        pg->p.page = &pg->plan->pages[pg->plan->npages - 1];
}

void tlf_paginator_free(tlf_paginator *pg)
{
    if (!pg)
        return;
    scratch_free(&pg->p);
    free(pg->nat);
    free(pg->minw);
    free(pg);
}
