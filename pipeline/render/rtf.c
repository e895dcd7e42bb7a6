/*
 * rtf.c - RTF 1.9 writer for one laid-out output (see rtf.h).
 *
 * Stage: render. Units: RTF measures in twips (1/20 pt), the layout in
 * points. Each table column is a cell from x - gap/2 to x + w + gap/2
 * (\trgaph is half the layout's column gap, \trleft minus that), so cell
 * text starts exactly where the PDF draws it. Decimal-aligned cells use
 * the layout's anchor positions as left tab stops in front of each
 * number's integer part; the text between numbers flows from the anchor
 * as in the PDF. Rules become cell borders of the PDF's line widths: the
 * title rule over the first header row, the rule under spanning headers,
 * under the column headers and under the last body row.
 */
#include "render/rtf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/stop.h"

#include <errno.h>

#define F_LATIN 0
#define F_JAPANESE 1

static long twips(double pt)
{
    return lround(pt * 20.0);
}

/* Japanese (and other CJK) text is set in the Japanese font: CJK
 * radicals, kana, ideographs, compatibility and full-width forms. The
 * Latin font (Liberation Sans) has no glyph there; below U+2E80 it has
 * the characters tlfgen outputs use. */
static int japanese(unsigned cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

static size_t utf8_next(const unsigned char *u, size_t n, unsigned *cp)
{
    unsigned c = u[0];
    if (c >= 0xF0 && n >= 4) {
        *cp = ((c & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
        return 4;
    }
    if (c >= 0xE0 && n >= 3) {
        *cp = ((c & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
        return 3;
    }
    if (c >= 0xC0 && n >= 2) {
        *cp = ((c & 0x1Fu) << 6) | (u[1] & 0x3Fu);
        return 2;
    }
    *cp = c >= 0x80 ? 0xFFFD : c;    /* a stray byte shows as the replacement */
    return 1;
}

/* \uN takes a signed 16-bit number; '?' is the fallback for old readers. */
static void put_unit(tlf_buf *out, unsigned u)
{
    tlf_buf_printf(out, "\\u%d?", u > 32767 ? (int)u - 65536 : (int)u);
}

void tlf_rtf_text(tlf_buf *out, const char *utf8, size_t len)
{
    const unsigned char *u = (const unsigned char *)utf8;
    int in_jp = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_next(u + i, len - i, &cp);
        int jp = japanese(cp);
        if (jp != in_jp) {
            /* a group in the Japanese font, as Word writes East Asian runs */
            tlf_buf_puts(out, jp ? "{\\f1\\hich\\af1\\dbch\\af1\\loch\\f1 " : "}");
            in_jp = jp;
        }
        if (cp == '\\' || cp == '{' || cp == '}') {
            tlf_buf_putc(out, '\\');
            tlf_buf_putc(out, (char)cp);
        } else if (cp == '\n') {
            tlf_buf_puts(out, "\\line ");
        } else if (cp == '\t') {
            tlf_buf_puts(out, "\\tab ");
        } else if (cp < 0x20) {
            continue;                /* other control characters: nothing to show */
        } else if (cp < 0x80) {
            tlf_buf_putc(out, (char)cp);
        } else if (cp <= 0xFFFF) {
            put_unit(out, cp);
        } else {                     /* beyond the BMP: a UTF-16 surrogate pair */
            unsigned v = cp - 0x10000;
            put_unit(out, 0xD800 + (v >> 10));
            put_unit(out, 0xDC00 + (v & 0x3FF));
        }
    }
    if (in_jp)
        tlf_buf_putc(out, '}');
}

static void text0(tlf_buf *out, const char *s)
{
    if (s)
        tlf_rtf_text(out, s, strlen(s));
}

static const char *align_word(tlf_align a)
{
    return a == TLF_ALIGN_CENTRE ? "\\qc" : a == TLF_ALIGN_RIGHT ? "\\qr" : "\\ql";
}

/* "YYYY-MM-DD[THH:MM...]" as \yr\mo\dy\hr\min; nothing when unparsable. */
static void put_time(tlf_buf *out, const char *kw, const char *date)
{
    int y, mo, d, h = 0, mi = 0;
    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &mo, &d) != 3)
        return;
    if (strlen(date) >= 16)
        sscanf(date + 11, "%2d:%2d", &h, &mi);
    tlf_buf_printf(out, "{\\%s\\yr%d\\mo%d\\dy%d\\hr%d\\min%d}", kw, y, mo, d, h, mi);
}

typedef struct W {
    tlf_buf *out;
    const tlf_table *tab;
    const tlf_table_geom *g;
    const tlf_page_setup *ps;
    long fs;                     /* half-points */
    long line;                   /* line height, twips ("at least") */
} W;

/* Paragraph start inside a table cell or in the body. */
static void para(W *w, int in_table, const char *extra)
{
    tlf_buf_printf(w->out, "\\pard\\plain%s\\f0\\fs%ld\\sl%ld\\slmult0%s ", in_table ? "\\intbl" : "",
                   w->fs, w->line, extra ? extra : "");
}

/* Row definition: cells with right edges right[] (twips from the left
 * margin) and per cell the borders (top, bottom widths in points, 0 none). */
typedef struct cell_def {
    long right;
    double top, bottom;
    int valign_bottom;
} cell_def;

static void row_def(W *w, const cell_def *c, size_t n, int header, int keep)
{
    long half = twips(w->g->gap / 2);
    /* cell padding = \trgaph: readers that use padding (Word 2000+,
     * LibreOffice) and those that use the gap agree */
    tlf_buf_printf(w->out, "\\trowd\\trgaph%ld\\trleft%ld\\trql%s%s\\trpaddl%ld\\trpaddr%ld"
                           "\\trpaddfl3\\trpaddfr3",
                   half, -half, header ? "\\trhdr" : "", keep ? "\\trkeep" : "", half, half);
    for (size_t i = 0; i < n; i++) {
        if (c[i].top > 0)
            tlf_buf_printf(w->out, "\\clbrdrt\\brdrs\\brdrw%ld", twips(c[i].top));
        if (c[i].bottom > 0)
            tlf_buf_printf(w->out, "\\clbrdrb\\brdrs\\brdrw%ld", twips(c[i].bottom));
        tlf_buf_printf(w->out, "%s\\cellx%ld", c[i].valign_bottom ? "\\clvertalb" : "\\clvertalt",
                       c[i].right);
    }
    tlf_buf_putc(w->out, '\n');
}

static long cell_right(const W *w, const tlf_panel_geom *pg, size_t i)
{
    return twips(pg->x[i] + pg->w[i] + w->g->gap / 2);
}

/* Spanning header rows and the column header row of one panel. */
static void header_rows(W *w, const tlf_panel_geom *pg)
{
    const tlf_table *t = w->tab;
    cell_def *c = xcalloc(pg->ncols + 1, sizeof *c);
    for (size_t r = 0; r < t->nhrows; r++) {
        /* panel columns covered by one span make one cell; others are empty cells */
        size_t n = 0;
        const tlf_hspan **span = xcalloc(pg->ncols + 1, sizeof *span);
        for (size_t i = 0; i < pg->ncols;) {
            const tlf_hspan *s = NULL;
            for (size_t k = 0; k < t->hrows[r].n; k++) {
                const tlf_hspan *h = &t->hrows[r].spans[k];
                if (pg->cols[i] >= h->first && pg->cols[i] < h->first + h->ncols)
                    s = h;
            }
            size_t j = i + 1;
            while (s && j < pg->ncols && pg->cols[j] >= s->first && pg->cols[j] < s->first + s->ncols)
                j++;
            c[n] = (cell_def){cell_right(w, pg, j - 1), r == 0 ? w->g->rule_title : 0,
                              s && s->ncols > 1 && *s->text ? w->g->rule_span : 0, 1};
            span[n++] = s;
            i = j;
        }
        row_def(w, c, n, 1, 1);
        for (size_t k = 0; k < n; k++) {
            para(w, 1, "\\qc\\keepn");
            if (span[k])
                text0(w->out, span[k]->text);
            tlf_buf_puts(w->out, "\\cell\n");
        }
        tlf_buf_puts(w->out, "\\row\n");
        free(span);
    }
    for (size_t i = 0; i < pg->ncols; i++)
        c[i] = (cell_def){cell_right(w, pg, i), t->nhrows ? 0 : w->g->rule_title,
                          t->nrows ? w->g->rule_head : w->g->rule_foot, 1};
    row_def(w, c, pg->ncols, 1, 1);
    for (size_t i = 0; i < pg->ncols; i++) {
        char al[16];
        snprintf(al, sizeof al, "%s\\keepn", align_word(pg->head_align[i]));
        para(w, 1, al);
        text0(w->out, t->cols[pg->cols[i]].header);
        tlf_buf_puts(w->out, "\\cell\n");
    }
    tlf_buf_puts(w->out, "\\row\n");
    free(c);
}

/* A decimal-aligned cell: a left tab stop in front of each number's
 * integer part where the layout leaves room before it; the text between
 * numbers follows on directly, as the PDF draws it. */
static void decimal_cell(W *w, const char *s, const tlf_cell_geom *cg, int keepn)
{
    tlf_buf stops = TLF_BUF_INIT;
    unsigned char tab_before[64] = {0};
    double cur = 0;
    for (size_t k = 0; k < cg->npieces && k < sizeof tab_before; k++) {
        const tlf_piece *p = &cg->pieces[k];
        if (!p->len)
            continue;
        if (p->x > cur + 0.5) {      /* half a point: below that it just flows */
            tlf_buf_printf(&stops, "\\tx%ld", twips(p->x));
            tab_before[k] = 1;
        }
        cur = (p->x > cur ? p->x : cur) + p->w;
    }
    tlf_buf_printf(&stops, "\\ql%s", keepn ? "\\keepn" : "");
    para(w, 1, tlf_buf_cstr(&stops));
    tlf_buf_free(&stops);
    for (size_t k = 0; k < cg->npieces && k < sizeof tab_before; k++) {
        const tlf_piece *p = &cg->pieces[k];
        if (!p->len)
            continue;
        if (tab_before[k])
            tlf_buf_puts(w->out, "\\tab ");
        tlf_rtf_text(w->out, s + p->start, p->len);
    }
    tlf_buf_puts(w->out, "\\cell\n");
}

/* The body rows of one panel. In a listing the key cells of a group's
 * later rows are left blank, as on the PDF page (layout/paginate.c). */
static void body_rows(W *w, const tlf_panel_geom *pg)
{
    const tlf_table *t = w->tab;
    cell_def *c = xcalloc(pg->ncols + 1, sizeof *c);
    for (size_t r = 0; r < t->nrows; r++) {
        const tlf_trow *row = &t->rows[r];
        int last = r + 1 == t->nrows;
        int group_start = r == 0 || t->rows[r - 1].group != row->group;
        int keepn = !last && t->rows[r + 1].group == row->group;
        for (size_t i = 0; i < pg->ncols; i++)
            c[i] = (cell_def){cell_right(w, pg, i), 0, last ? w->g->rule_foot : 0, 0};
        row_def(w, c, pg->ncols, 0, 1);
        for (size_t i = 0; i < pg->ncols; i++) {
            size_t col = pg->cols[i];
            const char *s = row->cells[col];
            if (t->kind == TLF_TPL_LISTING && t->cols[col].key && !group_start)
                s = "";
            const tlf_cell_geom *cg = &pg->cells[r * pg->ncols + i];
            if (cg->npieces) {
                decimal_cell(w, s, cg, keepn);
                continue;
            }
            char extra[64];
            long li = col == 0 ? twips(w->g->indent * row->indent) : 0;
            snprintf(extra, sizeof extra, "%s\\li%ld%s", align_word(pg->body_align[i]), li,
                     keepn ? "\\keepn" : "");
            para(w, 1, extra);
            text0(w->out, s);
            tlf_buf_puts(w->out, "\\cell\n");
        }
        tlf_buf_puts(w->out, "\\row\n");
        if (tlf_stop_signal())   /* a long listing stops at a signal (tlf_rtf_write says so) */
            break;
    }
    free(c);
}

/* Number, titles and population: body paragraphs kept with the table. */
static void titles(W *w, int continued, int rule)
{
    const tlf_table *t = w->tab;
    para(w, 0, continued ? "\\keepn\\pagebb" : "\\keepn");
    text0(w->out, t->number);
    if (continued)
        tlf_buf_puts(w->out, " (continued)");
    tlf_buf_puts(w->out, "\\par\n");
    for (size_t i = 0; i < t->ntitles; i++) {
        para(w, 0, "\\keepn");
        text0(w->out, t->titles[i]);
        tlf_buf_puts(w->out, "\\par\n");
    }
    if (t->population) {
        para(w, 0, "\\keepn");
        text0(w->out, t->population);
        tlf_buf_puts(w->out, "\\par\n");
    }
    /* the PDF's space above the title rule; a table draws the rule as the
     * top border of its first header row, a figure under this paragraph */
    char extra[96] = "\\keepn\\sb0\\sa0\\fs8\\sl-80";
    if (rule)
        snprintf(extra, sizeof extra, "\\keepn\\sb0\\sa0\\fs8\\sl-80\\brdrb\\brdrs\\brdrw%ld",
                 twips(w->g->rule_title));
    para(w, 0, extra);
    tlf_buf_puts(w->out, "\\par\n");
}

static void footnotes(W *w, const tlf_render_ctx *ctx)
{
    const tlf_table *t = w->tab;
    for (size_t i = 0; i < t->nfootnotes; i++) {
        para(w, 0, i == 0 ? "\\sb60" : NULL);
        text0(w->out, t->footnotes[i]);
        tlf_buf_puts(w->out, "\\par\n");
    }
    if (ctx && ctx->note) {
        para(w, 0, t->nfootnotes ? NULL : "\\sb60");
        text0(w->out, ctx->note);
        tlf_buf_puts(w->out, "\\par\n");
    }
}

#define D(s) ((s) && *(s) ? (s) : "-")

/* Page header (study, protocol, DRAFT, "Page x of y" fields) and footer
 * (the source line), as on every PDF page. */
static void header_footer(W *w, const tlf_render_ctx *ctx)
{
    long body = twips(w->g->body_w);
    tlf_buf_puts(w->out, "{\\header ");
    char stops[96];
    snprintf(stops, sizeof stops, "\\tqc\\tx%ld\\tqr\\tx%ld", body / 2, body);
    para(w, 0, stops);
    text0(w->out, D(ctx->study));
    tlf_buf_puts(w->out, "  Protocol ");
    text0(w->out, D(ctx->protocol));
    tlf_buf_puts(w->out, "\\tab ");
    if (ctx->draft)
        tlf_buf_puts(w->out, TLF_DRAFT_TEXT);
    tlf_buf_puts(w->out, "\\tab Page {\\field{\\*\\fldinst PAGE }{\\fldrslt 1}} of "
                         "{\\field{\\*\\fldinst NUMPAGES }{\\fldrslt 1}}\\par}\n");
    tlf_buf_puts(w->out, "{\\footer ");
    para(w, 0, NULL);
    char sha[9];
    snprintf(sha, sizeof sha, "%s", D(ctx->db_sha256));
    char *src = xasprintf("Source: run %s | database sha256 %s | cut-off %s | %s | %s",
                          D(ctx->run_id), sha, D(ctx->cutoff), D(ctx->db_status),
                          D(ctx->program_version));
    text0(w->out, src);
    free(src);
    tlf_buf_puts(w->out, "\\par}\n");
}

static void info_group(tlf_buf *out, const char *kw, const char *s)
{
    if (!s)
        return;
    tlf_buf_printf(out, "{\\%s ", kw);
    text0(out, s);
    tlf_buf_putc(out, '}');
}

static void picture(W *w, const tlf_rtf_picture *pic)
{
    /* pixel size from the PNG header (IHDR width and height, big-endian) */
    unsigned long pw = 0, ph = 0;
    if (pic->len >= 24) {
        const unsigned char *b = pic->png + 16;
        pw = ((unsigned long)b[0] << 24) | ((unsigned long)b[1] << 16) | ((unsigned long)b[2] << 8) | b[3];
        ph = ((unsigned long)b[4] << 24) | ((unsigned long)b[5] << 16) | ((unsigned long)b[6] << 8) | b[7];
    }
    /* shown 4 lines lower than the PDF's plot area (same aspect): the
     * word processor's own line spacing around titles and footnotes must
     * not push the last footnote onto a second page */
    double h = pic->h - 4 * w->g->lead;
    if (h < pic->h / 2)
        h = pic->h / 2;
    double wd = pic->w * h / pic->h;
    para(w, 0, "\\qc\\keepn");
    tlf_buf_printf(w->out, "{\\pict\\pngblip\\picw%lu\\pich%lu\\picwgoal%ld\\pichgoal%ld\n", pw, ph,
                   twips(wd), twips(h));
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < pic->len; i++) {
        tlf_buf_putc(w->out, hex[pic->png[i] >> 4]);
        tlf_buf_putc(w->out, hex[pic->png[i] & 15]);
        if (i % 64 == 63 || i + 1 == pic->len)
            tlf_buf_putc(w->out, '\n');
    }
    tlf_buf_puts(w->out, "}\\par\n");
}

int tlf_rtf_write(tlf_buf *out, const tlf_table *tab, const tlf_table_geom *g,
                  const tlf_rtf_picture *pic, const tlf_page_setup *ps,
                  const tlf_render_ctx *ctx, const tlf_rtf_info *info, tlf_err *err)
{
    if (!g && !pic)
        return tlf_err_set(err, TLF_EUSAGE, "%s: an RTF output needs a table layout or a picture",
                           tab->number);
    /* a figure has no table geometry: the frame's measurements stand in */
    tlf_table_geom frame;
    if (!g) {
        memset(&frame, 0, sizeof frame);
        frame.font_size = ps->font_size;
        frame.lead = 1.22 * ps->font_size;
        frame.body_w = ps->page_w - 2 * ps->margin;
        frame.rule_title = TLF_RULE_TITLE;
        frame.rule_foot = TLF_RULE_FOOT;
        g = &frame;
    }
    W w = {out, tab, g, ps, lround(2 * g->font_size), twips(g->lead)};
    int landscape = ps->page_w > ps->page_h;
    long pw = twips(ps->page_w), ph = twips(ps->page_h), m = twips(ps->margin);
    long head = twips(2.5 * g->lead);  /* room for the header line above the body */

    tlf_buf_puts(out, "{\\rtf1\\ansi\\ansicpg1252\\uc1\\deff0\\deflang1033\\deflangfe1041\n"
                      "{\\fonttbl{\\f0\\fswiss\\fprq2\\fcharset0 Liberation Sans{\\*\\falt Arial};}"
                      "{\\f1\\fmodern\\fprq1\\fcharset128 IPAexGothic{\\*\\falt MS Gothic};}}\n"
                      "{\\colortbl;\\red0\\green0\\blue0;}\n");
    if (info) {
        tlf_buf_puts(out, "{\\*\\generator ");
        text0(out, info->creator ? info->creator : "tlfgen");
        tlf_buf_puts(out, ";}\n{\\info");
        info_group(out, "title", info->title);
        info_group(out, "subject", info->subject);
        info_group(out, "author", info->author);
        put_time(out, "creatim", info->date);
        put_time(out, "revtim", info->date);
        tlf_buf_puts(out, "}\n");
    }
    tlf_buf_printf(out, "\\paperw%ld\\paperh%ld\\margl%ld\\margr%ld\\margt%ld\\margb%ld%s"
                        "\\widowctrl\\deftab720\n",
                   pw, ph, m, m, m + head, m + head, landscape ? "\\landscape" : "");
    tlf_buf_printf(out, "\\sectd%s\\pgwsxn%ld\\pghsxn%ld\\marglsxn%ld\\margrsxn%ld\\margtsxn%ld"
                        "\\margbsxn%ld\\headery%ld\\footery%ld\n",
                   landscape ? "\\lndscpsxn" : "", pw, ph, m, m, m + head, m + head, m, m);
    header_footer(&w, ctx);
    if (pic) {
        titles(&w, 0, 1);
        picture(&w, pic);
        char rule[64];         /* the foot rule over the footnotes */
        snprintf(rule, sizeof rule, "\\sb0\\sa0\\fs8\\sl-80\\brdrt\\brdrs\\brdrw%ld",
                 twips(g->rule_foot));
        para(&w, 0, rule);
        tlf_buf_puts(out, "\\par\n");
    } else {
        for (size_t k = 0; k < g->npanels; k++) {
            titles(&w, k > 0, 0);
            header_rows(&w, &g->panels[k]);
            body_rows(&w, &g->panels[k]);
        }
    }
    footnotes(&w, ctx);
    tlf_buf_puts(out, "}\n");
    return tlf_stop_check(err);
}

int tlf_rtf_save(const tlf_buf *doc, const char *path, tlf_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return tlf_err_set(err, TLF_EOUTPUT, "%s: cannot create: %s", path, strerror(errno));
    fwrite(tlf_buf_cstr(doc), 1, doc->len, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return tlf_err_set(err, TLF_EOUTPUT, "%s: cannot write: %s", path, strerror(errno));
    return TLF_OK;
}
