/*
 * folder.c - study lock, hidden temporary run folder, atomic publication,
 * retention (see folder.h for the protocol).
 */
#define _XOPEN_SOURCE 700   /* nftw (X/Open), beside the project's POSIX 2008 */
#include "run/folder.h"
#include "core/fault.h"
#include "core/mem.h"
#include "core/stop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int run_mkdirs(const char *path, unsigned mode, tlf_err *err)
{
    char *p = xstrdup(path);
    int rc = TLF_OK;
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, c ? 0755 : (mode_t)mode) != 0 && errno != EEXIST) {
                rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot create folder: %s", p,
                                 strerror(errno));
                break;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return rc;
}

int run_lock_acquire(int *fd_out, const char *out_dir, const char *studyid,
                     double timeout_s, tlf_err *err)
{
    *fd_out = -1;
    char *dir = xasprintf("%s/%s", out_dir, studyid);
    char *path = xasprintf("%s/.tlfgen.lock", dir);
    int rc = run_mkdirs(dir, 0755, err);
    int fd = -1;
    if (rc)
        goto done;
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot open lock file: %s", path, strerror(errno));
        goto done;
    }
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            break;
        if (errno != EWOULDBLOCK && errno != EINTR) {
            rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot lock: %s", path, strerror(errno));
            goto done;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        double waited = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
        if ((rc = tlf_stop_check(err)))
            goto done;
        if (waited >= timeout_s) {
            rc = tlf_err_set(err, TLF_ELOCK,
                             "another tlfgen run of study %s holds %s; gave up after %.0f s "
                             "(--lock-timeout)", studyid, path, timeout_s);
            goto done;
        }
        struct timespec nap = {0, 100 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    *fd_out = fd;
    fd = -1;
done:
    if (fd >= 0)
        close(fd);
    free(path);
    free(dir);
    return rc;
}

void run_lock_release(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(p) : unlink(p)) != 0 ? -1 : 0;
}

/* nftw, not a recursion with xasprintf: the tree of a finished run is
 * removed after publishing, where an allocation failure must not end the
 * process (xmalloc exits) with the run already published (issue 17). */
int run_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 ? -1 : 0;
}

/* Remove .tmp-* folders that killed runs left behind (we hold the lock). */
static void remove_stale(const char *base)
{
    DIR *d = opendir(base);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, ".tmp-", 5) == 0) {
            char *p = xasprintf("%s/%s", base, e->d_name);
            run_rmtree(p);
            free(p);
        }
    }
    closedir(d);
}

/* `latest` must be ours to switch: a symbolic link, or nothing yet. */
static int latest_is_link_or_absent(const char *link, tlf_err *err)
{
    struct stat st;
    if (lstat(link, &st) == 0 && !S_ISLNK(st.st_mode))
        return tlf_err_set(err, TLF_EOUTPUT, "%s is a %s, not the symbolic link tlfgen switches; "
                           "move it away; nothing was published", link,
                           S_ISDIR(st.st_mode) ? "directory" : "file");
    return TLF_OK;
}

int run_folder_begin(run_folder **out, const char *out_dir, const char *studyid,
                     const char *profile, const char *name, tlf_err *err)
{
    *out = NULL;
    run_folder *rf = xcalloc(1, sizeof *rf);
    rf->base = xasprintf("%s/%s/%s", out_dir, studyid, profile);
    rf->name = xstrdup(name);
    rf->tmp_path = xasprintf("%s/.tmp-%s", rf->base, name);
    rf->final_path = xasprintf("%s/%s", rf->base, name);
    int rc = run_mkdirs(rf->base, 0755, err);
    if (rc)
        goto fail;
    remove_stale(rf->base);
    char *link = xasprintf("%s/latest", rf->base);
    rc = latest_is_link_or_absent(link, err);   /* refuse before any work */
    free(link);
    if (rc)
        goto fail;
    if (access(rf->final_path, F_OK) == 0) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s already exists", rf->final_path);
        goto fail;
    }
    if (mkdir(rf->tmp_path, 0755) != 0) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot create folder: %s", rf->tmp_path,
                         strerror(errno));
        goto fail;
    }
    *out = rf;
    return TLF_OK;
fail:
    run_folder_free(rf);
    return rc;
}

char *run_folder_path(const run_folder *rf, const char *file)
{
    return xasprintf("%s/%s", rf->published ? rf->final_path : rf->tmp_path, file);
}

int run_folder_publish(run_folder *rf, tlf_err *err)
{
    int dfd = open(rf->tmp_path, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {               /* the folder's entries reach the disk first */
        fsync(dfd);
        close(dfd);
    }
    /* Publishing is all or nothing: the new link is made first, and when
     * `latest` cannot be switched the folder is renamed back (hidden, then
     * removed by run_folder_abort), so a failed switch publishes nothing
     * and leaves no .latest.tmp. */
    char *tmp_link = xasprintf("%s/.latest.tmp", rf->base);
    char *link = xasprintf("%s/latest", rf->base);
    int rc = latest_is_link_or_absent(link, err);
    unlink(tmp_link);
    if (rc == TLF_OK && (tlf_fault_io() || symlink(rf->name, tmp_link) != 0))
        rc = tlf_err_set(err, TLF_EOUTPUT, "cannot make %s: %s", tmp_link, strerror(errno));
    if (rc == TLF_OK && (tlf_fault_io() || rename(rf->tmp_path, rf->final_path) != 0))
        rc = tlf_err_set(err, TLF_EOUTPUT, "cannot publish %s: %s", rf->final_path,
                         strerror(errno));
    else if (rc == TLF_OK && (tlf_fault_io() || rename(tmp_link, link) != 0)) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "cannot switch %s: %s; nothing was published", link,
                         strerror(errno));
        rename(rf->final_path, rf->tmp_path);
    }
    if (rc != TLF_OK) {
        unlink(tmp_link);
        free(tmp_link);
        free(link);
        return rc;
    }
    rf->published = 1;
    dfd = open(rf->base, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(tmp_link);
    free(link);
    return rc;
}

void run_folder_abort(run_folder *rf)
{
    if (rf && !rf->published)
        run_rmtree(rf->tmp_path);
}

void run_folder_free(run_folder *rf)
{
    if (!rf)
        return;
    free(rf->base);
    free(rf->name);
    free(rf->tmp_path);
    free(rf->final_path);
    free(rf);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **run_folder_retain_plan(const char *base, size_t keep, const char *adding, size_t *n_out)
{
    *n_out = 0;
    DIR *d = opendir(base);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "latest") == 0 ||
            strcmp(e->d_name, adding) == 0)
            continue;
        XGROW(names, cap, n + 1);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n)   /* qsort of NULL is undefined, even for no element */
        qsort(names, n, sizeof *names, cmp_str);
    /* the new run counts as one of the kept */
    size_t drop = keep == 0 ? 0 : (n + 1 > keep ? n + 1 - keep : 0);
    char **paths = xcalloc(drop + 1, sizeof *paths);
    for (size_t i = 0; i < drop; i++)
        paths[i] = xasprintf("%s/%s", base, names[i]);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    *n_out = drop;
    return paths;
}

int run_folder_retain_apply(char *const *paths, size_t n, char *msg, size_t msg_size)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (tlf_fault_io() || run_rmtree(paths[i]) != 0) {
            if (!rc)
                snprintf(msg, msg_size, "%s: cannot remove old run: %s", paths[i],
                         strerror(errno));
            rc = -1;
        }
    return rc;
}

void run_folder_retain_free(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

int run_folder_retain(const char *base, size_t keep, tlf_err *err)
{
    DIR *d = opendir(base);
    if (!d)
        return tlf_err_set(err, TLF_EOUTPUT, "%s: cannot read: %s", base, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "latest") == 0)
            continue;
        XGROW(names, cap, n + 1);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    char *link = xasprintf("%s/latest", base);
    char target[4096];
    ssize_t tl = readlink(link, target, sizeof target - 1);
    target[tl > 0 ? tl : 0] = '\0';
    free(link);
    int rc = TLF_OK;
    for (size_t i = 0; i + keep < n; i++) {
        if (strcmp(names[i], target) == 0)
            continue;
        char *p = xasprintf("%s/%s", base, names[i]);
        if (tlf_fault_io() || run_rmtree(p) != 0)
            rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot remove old run: %s", p,
                             strerror(errno));
        free(p);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

void run_timestamp(char out[17])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}
