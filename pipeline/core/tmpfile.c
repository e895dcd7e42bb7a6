/* tmpfile.c - temporary file beside its target, renamed into place (see tmpfile.h). */
#include "core/tmpfile.h"
#include "core/fault.h"
#include "core/mem.h"
#include "core/stop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tlf_tmpfile_create(char **tmp_out, const char *path, tlf_err *err)
{
    char *tmp = xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int rc = tlf_err_set(err, TLF_EOUTPUT, "cannot create a file beside '%s': %s", path,
                             strerror(errno));
        free(tmp);
        *tmp_out = NULL;
        return rc;
    }
    /* mkstemp makes the file 0600: give it the mode a new file would get */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    close(fd);
    *tmp_out = tmp;
    return TLF_OK;
}

static void fileset_push(tlf_fileset *fs, char *tmp, char *target)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? 2 * fs->cap : 4;
        fs->tmp = xreallocarray(fs->tmp, fs->cap, sizeof *fs->tmp);
        fs->target = xreallocarray(fs->target, fs->cap, sizeof *fs->target);
    }
    fs->tmp[fs->n] = tmp;
    fs->target[fs->n++] = target;
}

int tlf_fileset_add(tlf_fileset *fs, const char *path, const char **file, tlf_err *err)
{
    struct stat st;
    *file = NULL;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        fileset_push(fs, NULL, xstrdup(path));
        *file = fs->target[fs->n - 1];
        return TLF_OK;
    }
    /* through a symbolic link: the rename must replace its target, not it */
    char *real = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : NULL;
    char *target = real ? xstrdup(real) : xstrdup(path);
    free(real);
    char *tmp = NULL;
    int rc = tlf_tmpfile_create(&tmp, target, err);
    if (rc != TLF_OK) {
        free(target);
        return rc;
    }
    fileset_push(fs, tmp, target);
    *file = tmp;
    return TLF_OK;
}

void tlf_fileset_adopt(tlf_fileset *fs, const char *tmp, const char *path)
{
    fileset_push(fs, xstrdup(tmp), xstrdup(path));
}

static void fileset_clear(tlf_fileset *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->tmp[i]);
        free(fs->target[i]);
    }
    free(fs->tmp);
    free(fs->target);
    memset(fs, 0, sizeof *fs);
}

void tlf_fileset_discard(tlf_fileset *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        if (fs->tmp[i])
            unlink(fs->tmp[i]);
    fileset_clear(fs);
}

int tlf_fileset_commit(tlf_fileset *fs, tlf_err *err)
{
    int rc = tlf_stop_check(err);
    for (size_t i = 0; rc == TLF_OK && i < fs->n; i++) {
        if (!fs->tmp[i])
            continue;
        if (tlf_fault_io() || rename(fs->tmp[i], fs->target[i]) != 0)
            rc = tlf_err_set(err, TLF_EOUTPUT, "cannot rename '%s' to '%s': %s", fs->tmp[i],
                             fs->target[i], strerror(errno));
        else {
            free(fs->tmp[i]);
            fs->tmp[i] = NULL;
        }
    }
    tlf_fileset_discard(fs);
    return rc;
}

int tlf_tmpfile_commit(const char *tmp, const char *path, tlf_err *err)
{
    tlf_fileset fs = TLF_FILESET_INIT;
    tlf_fileset_adopt(&fs, tmp, path);
    return tlf_fileset_commit(&fs, err);
}

int tlf_tmpfile_write(const char *path, tlf_file_writer write, void *user, tlf_err *err)
{
    tlf_fileset fs = TLF_FILESET_INIT;
    const char *file = NULL;
    int rc = tlf_fileset_add(&fs, path, &file, err);
    if (rc == TLF_OK)
        rc = write(file, user, err);
    if (rc == TLF_OK)
        return tlf_fileset_commit(&fs, err);
    tlf_fileset_discard(&fs);
    return rc;
}

typedef struct stream_job {
    const char *path;   /* the target, for messages */
    tlf_stream_writer write;
    void *user;
} stream_job;

static int write_stream(const char *file, void *user, tlf_err *err)
{
    const stream_job *j = user;
    FILE *f = fopen(file, "wb");
    if (!f)
        return tlf_err_set(err, TLF_EOUTPUT, "%s: cannot write: %s", j->path, strerror(errno));
    int rc = j->write(f, j->user, err);
    /* the reason of the first failure: a full disk shows at the flush */
    errno = 0;
    int saved = fflush(f) != 0 || ferror(f) ? (errno ? errno : EIO) : 0;
    if (fclose(f) != 0 && !saved)
        saved = errno ? errno : EIO;
    if (tlf_fault_io() && !saved)   /* counted on every write, failing or not */
        saved = EIO;
    if (saved && rc == TLF_OK)
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot write: %s", j->path, strerror(saved));
    return rc;
}

int tlf_tmpfile_write_stream(const char *path, tlf_stream_writer write, void *user,
                             tlf_err *err)
{
    stream_job j = {path, write, user};
    return tlf_tmpfile_write(path, write_stream, &j, err);
}
