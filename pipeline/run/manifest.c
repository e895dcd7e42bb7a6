/* manifest.c - write and verify a run folder's manifest.json (see manifest.h). */
#include "run/manifest.h"
#include "core/fault.h"
#include "core/jsonerr.h"
#include "core/mem.h"
#include "core/sha256.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct file_list {
    char **rel;
    size_t n, cap;
} file_list;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect regular files below root/rel (relative paths), skipping manifest.json. */
static int collect(file_list *fl, const char *root, const char *rel, tlf_err *err)
{
    char *dirpath = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
    DIR *d = opendir(dirpath);
    if (!d) {
        int rc = tlf_err_set(err, TLF_EINPUT, "%s: cannot read: %s", dirpath, strerror(errno));
        free(dirpath);
        return rc;
    }
    struct dirent *e;
    int rc = TLF_OK;
    while (rc == TLF_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *r = rel[0] ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
        char *full = xasprintf("%s/%s", root, r);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = collect(fl, root, r, err);
            free(r);
        } else if (strcmp(r, "manifest.json") == 0) {
            free(r);
        } else {
            XGROW(fl->rel, fl->cap, fl->n + 1);
            fl->rel[fl->n++] = r;
        }
        free(full);
    }
    closedir(d);
    free(dirpath);
    return rc;
}

static void file_list_free(file_list *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        free(fl->rel[i]);
    free(fl->rel);
}

int manifest_write(const char *dir, json_t *meta, tlf_err *err)
{
    file_list fl = {0};
    json_t *doc = json_deep_copy(meta);
    json_t *files = json_array();
    char *path = xasprintf("%s/manifest.json", dir);
    int rc = collect(&fl, dir, "", err);
    if (rc)
        goto done;
    qsort(fl.rel, fl.n, sizeof *fl.rel, cmp_str);
    for (size_t i = 0; i < fl.n; i++) {
        char *full = xasprintf("%s/%s", dir, fl.rel[i]);
        char hex[TLF_SHA256_HEX];
        struct stat st;
        rc = tlf_sha256_file(full, hex, err);
        if (rc == TLF_OK && stat(full, &st) != 0)
            rc = tlf_err_set(err, TLF_EOUTPUT, "%s: %s", full, strerror(errno));
        free(full);
        if (rc)
            goto done;
        json_array_append_new(files, json_pack("{s:s, s:I, s:s}", "path", fl.rel[i],
                                               "size", (json_int_t)st.st_size, "sha256", hex));
    }
    json_object_set(doc, "files", files);
    if (tlf_fault_io() || json_dump_file(doc, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot write", path);
done:
    json_decref(files);
    json_decref(doc);
    file_list_free(&fl);
    free(path);
    return rc;
}

/* One problem found: to the caller's list, and counted; the first one
 * stays in err. */
static void problem(manifest_problem_fn fn, void *user, size_t *n, tlf_err *err, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));
static void problem(manifest_problem_fn fn, void *user, size_t *n, tlf_err *err, const char *fmt,
                    ...)
{
    char msg[TLF_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (fn)
        fn(user, msg);
    if (*n == 0)
        tlf_err_set(err, TLF_EDATA, "%s", msg);
    (*n)++;
}

int manifest_verify(const char *dir, size_t *n_checked, tlf_err *err)
{
    return manifest_verify_all(dir, n_checked, NULL, NULL, err);
}

int manifest_verify_all(const char *dir, size_t *n_checked, manifest_problem_fn fn, void *user,
                        tlf_err *err)
{
    *n_checked = 0;
    size_t nprob = 0;
    char *path = xasprintf("%s/manifest.json", dir);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    file_list fl = {0};
    int rc = TLF_OK;
    if (!doc) {
        char where[64];
        rc = tlf_err_set(err, TLF_EINPUT, "%s: %s%s", path, jerr.text,
                         tlf_json_where(where, sizeof where, &jerr));
        goto done;
    }
    json_t *files = json_object_get(doc, "files");
    if (!json_is_array(files)) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: no \"files\" array", path);
        goto done;
    }
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        const char *rel = json_string_value(json_object_get(f, "path"));
        const char *want = json_string_value(json_object_get(f, "sha256"));
        json_int_t size = json_integer_value(json_object_get(f, "size"));
        if (!rel || !want || strstr(rel, "..")) {
            rc = tlf_err_set(err, TLF_EINPUT, "%s: files[%zu] is malformed", path, i);
            goto done;
        }
        /* every file is checked and every problem reported, not only the first */
        char *full = xasprintf("%s/%s", dir, rel);
        char hex[TLF_SHA256_HEX];
        struct stat st;
        tlf_err herr;
        tlf_err_clear(&herr);
        if (stat(full, &st) != 0) {
            problem(fn, user, &nprob, err, "%s: missing (listed in the manifest)", rel);
        } else if ((json_int_t)st.st_size != size) {
            problem(fn, user, &nprob, err, "%s: size %lld, manifest says %lld", rel,
                    (long long)st.st_size, (long long)size);
        } else if ((rc = tlf_sha256_file(full, hex, &herr)) == TLF_EINTR) {
            *err = herr;   /* stopped by a signal: no verdict */
            free(full);
            goto done;
        } else if (rc != TLF_OK) {
            rc = TLF_OK;
            problem(fn, user, &nprob, err, "%s", herr.msg);
        } else if (strcmp(hex, want) != 0) {
            problem(fn, user, &nprob, err, "%s: SHA-256 %s, manifest says %s", rel, hex, want);
        } else {
            (*n_checked)++;
        }
        free(full);
    }
    rc = collect(&fl, dir, "", err);
    if (rc)
        goto done;
    qsort(fl.rel, fl.n, sizeof *fl.rel, cmp_str);
    if (fl.n != json_array_size(files)) {
        for (size_t k = 0; k < fl.n; k++) {
            int listed = 0;
            json_array_foreach(files, i, f)
                if (strcmp(json_string_value(json_object_get(f, "path")), fl.rel[k]) == 0)
                    listed = 1;
            if (!listed)
                problem(fn, user, &nprob, err, "%s: present but not in the manifest", fl.rel[k]);
        }
    }
    if (nprob > 1) {
        char first[TLF_ERR_MSG_MAX];
        snprintf(first, sizeof first, "%s", err->msg);
        tlf_err_set(err, TLF_EDATA, "%zu problems, the first: %s", nprob, first);
    }
    if (nprob)
        rc = TLF_EDATA;
done:
    file_list_free(&fl);
    json_decref(doc);
    free(path);
    return rc;
}
