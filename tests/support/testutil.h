/*
 * testutil.h - helpers shared by the cmocka tests: run the tlfgen binary
 * (or any shell command) and capture what it prints, scratch folders,
 * whole-file reads.
 */
#ifndef TLFGEN_TESTUTIL_H
#define TLFGEN_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

typedef struct run_result {
    int status;      /* exit status, or 128 + signal */
    char *out;       /* captured stdout (NUL-terminated) */
    char *err;       /* captured stderr */
} run_result;

/* Run a shell command line (sh -c), capturing stdout and stderr. */
run_result run_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run "<tlfgen binary> ARGS" with ARGS a shell-quoted string. */
run_result run_tlfgen(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void run_result_free(run_result *r);

/* A fresh empty folder under the build's testtmp, named after tag. The
 * returned string is owned by the caller. */
char *test_tmpdir(const char *tag);
/* `tlfgen demo-db opts` (opts may be "") into file name of a fresh
 * test_tmpdir(tag); the test fails when it fails. Returns the file's path
 * and, in *dir, the folder. Caller frees both. */
char *test_demo_db(const char *tag, const char *opts, const char *name, char **dir);
/* Whole file as a NUL-terminated string (NULL when unreadable); *len may be NULL. */
char *test_read_file(const char *path, size_t *len);
/* Every entry of dir (hidden ones too) one per line, sorted by name ("" for
 * a folder that does not exist); with inodes each after its inode number,
 * so that a file replaced by a rename shows. Caller frees. */
char *test_listing(const char *dir, int inodes);
/* Path of a file or folder in the source tree; the test fails naming it
 * when it does not exist. Caller frees. */
char *test_source_path(const char *rel);
/* The shipped study configuration (config/study.json); fails the test
 * when it does not load. Free with tlf_study_free. */
struct tlf_study *test_study(void);

/* Fail unless pdf passes qpdf --check, has every font embedded, subset
 * and with ToUnicode, makes poppler print no warning, is PDF 1.7 and not
 * encrypted (tests/support/pdfcheck.c). */
void test_check_pdf(const char *pdf);
/* Page count of pdf (pdfinfo). */
int test_pdf_pages(const char *pdf);

#endif
