/*
 * test_rtf.c - the demo csr run's RTF files read back with a real RTF
 * reader (unrtf, a Debian package from tools/deps.sh): every table and
 * listing is a real table whose cell texts are the PDF's (the paper's
 * 88.0 (67.3, 96.0); the Japanese verbatim terms of the AE listing), each
 * figure its titles and footnotes as text around a PNG picture, the
 * landscape outputs are landscape sections, and a second run gives the
 * same bytes.
 */
#include "testutil.h"

#include "core/mem.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append code point cp as UTF-8. */
static void put_utf8(char **o, unsigned cp)
{
    unsigned char *u = (unsigned char *)*o;
    if (cp < 0x80) {
        *u++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *u++ = (unsigned char)(0xC0 | (cp >> 6));
        *u++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *u++ = (unsigned char)(0xE0 | (cp >> 12));
        *u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *u++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *u++ = (unsigned char)(0xF0 | (cp >> 18));
        *u++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        *u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *u++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    *o = (char *)u;
}

/* HTML cell content as plain text: tags dropped, entities decoded,
 * whitespace runs (tabs, line breaks, &nbsp;) collapsed to one space. */
static char *cell_text(const char *s, size_t n)
{
    char *out = xmalloc(4 * n + 1), *o = out;
    int space = 1;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        int entity = 0;
        if (s[i] == '<') {
            while (i < n && s[i] != '>')
                i++;
            i++;
            continue;
        }
        if (s[i] == '&') {
            const char *semi = memchr(s + i, ';', n - i);
            size_t len = semi ? (size_t)(semi - (s + i)) + 1 : 1;
            if (s[i + 1] == '#')
                cp = (unsigned)strtoul(s + i + 2, NULL, 10);
            else if (strncmp(s + i, "&amp;", 5) == 0)
                cp = '&';
            else if (strncmp(s + i, "&lt;", 4) == 0)
                cp = '<';
            else if (strncmp(s + i, "&gt;", 4) == 0)
                cp = '>';
            else if (strncmp(s + i, "&quot;", 6) == 0)
                cp = '"';
            else
                cp = ' ';            /* &nbsp; */
            i += len;
            entity = 1;
        } else {
            cp = (unsigned char)s[i++];   /* raw bytes (UTF-8) pass through */
        }
        if (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r') {
            if (!space)
                *o++ = ' ';
            space = 1;
            continue;
        }
        space = 0;
        if (entity)
            put_utf8(&o, cp);
        else
            *o++ = (char)cp;
    }
    while (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
    return out;
}

typedef struct cells {
    char **v;
    size_t n, cap;
    size_t rows;
} cells;

/* Every <td> of unrtf's HTML rendering of rtf, and the number of <tr>. */
static cells read_cells(const char *rtf)
{
    /* from the scratch folder: unrtf writes any picture it meets to the cwd */
    run_result r = run_sh("cd '%s' && unrtf --html '%s' 2>/dev/null", TLFGEN_TEST_TMP, rtf);
    assert_int_equal(r.status, 0);
    cells c = {0};
    for (const char *p = r.out; (p = strstr(p, "<tr>")) != NULL; p += 4)
        c.rows++;
    for (const char *p = r.out; (p = strstr(p, "<td>")) != NULL;) {
        p += 4;
        const char *e = strstr(p, "</td>");
        assert_non_null(e);
        XGROW(c.v, c.cap, c.n + 1);
        c.v[c.n++] = cell_text(p, (size_t)(e - p));
        p = e + 5;
    }
    run_result_free(&r);
    return c;
}

static void cells_free(cells *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
}

static int has_cell(const cells *c, const char *text)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i], text) == 0)
            return 1;
    return 0;
}

/* The PDF's text, whitespace collapsed, with spaces around it. */
static char *pdf_text(const char *pdf)
{
    run_result r = run_sh("pdftotext -enc UTF-8 '%s' - | tr -s ' \\n\\t\\f' '    '", pdf);
    assert_int_equal(r.status, 0);
    char *s = xasprintf(" %s ", r.out);
    run_result_free(&r);
    return s;
}

static int ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* Every character of word w (UTF-8) occurs in text. */
static int chars_in(const char *w, const char *text)
{
    while (*w) {
        unsigned char c = (unsigned char)*w;
        size_t l = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        char ch[5] = {0};
        memcpy(ch, w, l);
        if (!strstr(text, ch))
            return 0;
        w += l;
    }
    return 1;
}

/* Every '/'-separated piece of word w occurs in text. */
static int pieces_in(const char *w, const char *text)
{
    char *copy = xstrdup(w);
    int ok = 1;
    for (char *save = NULL, *p = strtok_r(copy, "/", &save); p && ok; p = strtok_r(NULL, "/", &save))
        ok = strstr(text, p) != NULL;
    free(copy);
    return ok;
}

/* Each word of each RTF cell is a word of the PDF (the PDF wraps long
 * cells over lines, so words, not whole cells, are compared, a word with a
 * slash in pieces, as lines may break after a slash; a Japanese
 * word may be broken between any two characters, so its characters are). */
static void check_words_in_pdf(const cells *c, const char *pdf_txt, const char *name)
{
    for (size_t i = 0; i < c->n; i++) {
        char *copy = xstrdup(c->v[i]);
        int after_hyphen = 0;
        for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            size_t wl = strlen(w);
            int hyphen = wl > 1 && w[wl - 1] == '-';
            if (hyphen)
                w[wl - 1] = '\0';   /* pdftotext joins a line-end hyphen to the next word */
            char *needle = xasprintf(" %s", w);
            int found = strstr(pdf_txt, after_hyphen ? w : needle) != NULL;
            if (!found && strchr(w, '/'))
                found = pieces_in(w, pdf_txt);  /* a line may break after a slash */
            if (!found && !ascii(w))
                found = chars_in(w, pdf_txt);   /* Japanese wraps between any characters */
            after_hyphen = hyphen;
            if (!found)
                fail_msg("%s: cell '%s': '%s' is not in the PDF", name, c->v[i], w);
            free(needle);
        }
        free(copy);
    }
}

static void test_csr_rtf_read_back(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rtf-csr");
    run_result r = run_tlfgen("demo-db --out '%s/demo.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("run --db '%s/demo.sqlite' --profile csr --out '%s/a' --quiet", dir, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *latest = xasprintf("%s/a/TACIP/csr/latest", dir);

    /* every table and listing PDF has its RTF, and each reads back as a
     * table whose words are the PDF's */
    DIR *d = opendir(latest);
    assert_non_null(d);
    struct dirent *e;
    size_t n_rtf = 0, n_fig = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".pdf") != 0 || strcmp(e->d_name, "volume.pdf") == 0)
            continue;
        char *pdf = xasprintf("%s/%s", latest, e->d_name);
        char *rtf = xasprintf("%s/%.*s.rtf", latest, (int)(len - 4), e->d_name);
        if (e->d_name[0] == 'F') {
            /* a figure: its number and titles as text, the plot as a PNG */
            char *doc = test_read_file(rtf, NULL);
            assert_non_null(doc);
            assert_non_null(strstr(doc, "{\\pict\\pngblip\\picw"));
            run_result u = run_sh("cd '%s' && unrtf --text '%s' 2>/dev/null", TLFGEN_TEST_TMP, rtf);
            char *num = xasprintf("Figure %.*s", (int)(len - 5), e->d_name + 1);
            if (!strstr(u.out, num))
                fail_msg("%s: no '%s' in the text", rtf, num);
            if (strcmp(e->d_name, "F14.2.1.1.pdf") == 0)
                assert_non_null(strstr(u.out, "TAC 88.0 (67.3, 96.0)"));
            free(num);
            run_result_free(&u);
            free(doc);
            free(pdf);
            free(rtf);
            n_fig++;
            n_rtf++;
            continue;
        }
        cells c = read_cells(rtf);
        assert_true(c.rows >= 2);
        assert_true(c.n >= 2 * c.rows - 1);
        char *txt = pdf_text(pdf);
        check_words_in_pdf(&c, txt, e->d_name);
        /* landscape PDF pages <=> landscape RTF sections */
        run_result pi = run_sh("pdfinfo '%s' | awk '/^Page size/ {print ($3 > $5)}'", pdf);
        char *doc = test_read_file(rtf, NULL);
        assert_non_null(doc);
        assert_int_equal(atoi(pi.out), strstr(doc, "\\lndscpsxn") != NULL);
        assert_non_null(strstr(doc, "\\trhdr"));
        run_result_free(&pi);
        free(doc);
        free(txt);
        cells_free(&c);
        free(pdf);
        free(rtf);
        n_rtf++;
    }
    closedir(d);
    assert_true(n_rtf >= 25);
    assert_int_equal(n_fig, 3);

    /* the paper's number as one cell of 14.2.1.1 */
    char *path = xasprintf("%s/14.2.1.1.rtf", latest);
    cells c = read_cells(path);
    assert_true(has_cell(&c, "88.0 (67.3, 96.0)"));
    cells_free(&c);
    free(path);

    /* every Japanese verbatim AE term of the demo is a cell of 16.2.7.1 */
    r = run_sh("sqlite3 '%s/adam.sqlite' \"SELECT DISTINCT AETERM FROM ADAE WHERE AETERM GLOB "
               "'*[^ -~]*' ORDER BY 1\"", latest);
    assert_int_equal(r.status, 0);
    path = xasprintf("%s/16.2.7.1.rtf", latest);
    c = read_cells(path);
    size_t n_jp = 0;
    for (char *save = NULL, *t = strtok_r(r.out, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
        int found = 0;
        for (size_t i = 0; i < c.n && !found; i++)
            found = strstr(c.v[i], t) != NULL;
        if (!found)
            fail_msg("16.2.7.1.rtf: no cell holds the verbatim term '%s'", t);
        n_jp++;
    }
    assert_true(n_jp >= 3);
    cells_free(&c);
    free(path);
    run_result_free(&r);

    /* a second run writes the same bytes */
    r = run_tlfgen("run --db '%s/demo.sqlite' --profile csr --out '%s/b' --quiet", dir, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_sh("cd '%s' && n=0; for f in *.rtf; do cmp \"$f\" '%s/b/TACIP/csr/latest/'\"$f\" || exit 1; "
               "n=$((n+1)); done; echo $n", latest, dir);
    assert_int_equal(r.status, 0);
    assert_int_equal((size_t)atoi(r.out), n_rtf);
    run_result_free(&r);
    free(latest);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csr_rtf_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
