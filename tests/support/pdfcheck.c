/* pdfcheck.c - checks every rendered PDF must pass (testutil.h):
 * qpdf --check clean, fonts embedded + subset + ToUnicode, poppler
 * silent, PDF 1.7, not encrypted; and its page count. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static void must_ok(run_result *r, const char *what)
{
    if (r->status)
        fail_msg("%s failed (%d): %s", what, r->status, r->err);
}

void test_check_pdf(const char *pdf)
{
    run_result q = run_sh("qpdf --check '%s'", pdf);
    must_ok(&q, "qpdf --check");
    assert_non_null(strstr(q.out, "No syntax or stream encoding errors"));
    run_result_free(&q);
    run_result f = run_sh("pdffonts '%s' | tail -n +3", pdf);
    must_ok(&f, "pdffonts");
    int nfonts = 0;
    for (char *line = strtok(f.out, "\n"); line; line = strtok(NULL, "\n")) {
        nfonts++;
        /* columns: name type... encoding emb sub uni object ID */
        if (!strstr(line, " yes yes yes "))
            fail_msg("font not embedded+subset+ToUnicode: %s", line);
    }
    assert_true(nfonts >= 1);
    run_result_free(&f);
    run_result t = run_sh("pdftotext '%s' /dev/null", pdf);
    must_ok(&t, "pdftotext");
    if (strstr(t.err, "Warning") || strstr(t.err, "Error"))
        fail_msg("poppler complained: %s", t.err);
    run_result_free(&t);
    char *bytes = test_read_file(pdf, NULL);
    assert_non_null(bytes);
    assert_memory_equal(bytes, "%PDF-1.7", 8);
    free(bytes);
    run_result i = run_sh("pdfinfo '%s'", pdf);
    assert_non_null(strstr(i.out, "Encrypted:       no"));
    run_result_free(&i);
}

int test_pdf_pages(const char *pdf)
{
    run_result r = run_sh("pdfinfo '%s' | sed -n 's/^Pages: *//p'", pdf);
    must_ok(&r, "pdfinfo");
    int n = atoi(r.out);
    run_result_free(&r);
    return n;
}
