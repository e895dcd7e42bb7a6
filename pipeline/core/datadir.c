/* datadir.c - find the program's data folder (see datadir.h for the order). */
#include "core/datadir.h"
#include "core/mem.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int holds_data(const char *dir)
{
    char *p = xasprintf("%s/%s", dir, TLF_DATADIR_SENTINEL);
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return ok;
}

static int take(tlf_datadir *dd, const char *dir, const char *how)
{
    char *abs = realpath(dir, NULL);
    dd->path = abs ? abs : xstrdup(dir);
    dd->how = xstrdup(how);
    return TLF_OK;
}

/* Folder of the running executable, NULL when /proc is not mounted. */
static char *exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return xstrdup(buf[0] ? buf : "/");
}

/* The first line of the build tree's marker file, NULL when absent. */
static char *read_marker(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char line[PATH_MAX + 2];
    char *got = fgets(line, sizeof line, f);
    fclose(f);
    if (!got)
        return NULL;
    line[strcspn(line, "\r\n")] = '\0';
    return line[0] ? xstrdup(line) : NULL;
}

int tlf_datadir_find(tlf_datadir *dd, const char *override, tlf_err *err)
{
    dd->path = dd->how = NULL;
    if (override && *override) {
        if (!holds_data(override))
            return tlf_err_set(err, TLF_EINPUT, "--data-dir %s: no %s there", override,
                               TLF_DATADIR_SENTINEL);
        return take(dd, override, "--data-dir");
    }
    const char *env = getenv(TLF_DATADIR_ENV);
    if (env && *env) {
        if (!holds_data(env))
            return tlf_err_set(err, TLF_EINPUT, "%s=%s: no %s there", TLF_DATADIR_ENV, env,
                               TLF_DATADIR_SENTINEL);
        return take(dd, env, TLF_DATADIR_ENV);
    }
    char *exe = exe_dir();
    if (!exe)
        return tlf_err_set(err, TLF_EINPUT,
                           "cannot read /proc/self/exe to find the data folder: "
                           "give --data-dir or set %s", TLF_DATADIR_ENV);
    int rc = TLF_OK;
    char *installed = xasprintf("%s/../share/tlfgen", exe);
    char *marker = xasprintf("%s/%s", exe, TLF_DATADIR_MARKER);
    char *built = NULL;
    if (holds_data(installed)) {
        rc = take(dd, installed, "beside the program (../share/tlfgen)");
    } else if ((built = read_marker(marker)) != NULL && holds_data(built)) {
        char *how = xasprintf("build tree (%s)", marker);
        rc = take(dd, built, how);
        free(how);
    } else {
        rc = tlf_err_set(err, TLF_EINPUT,
                         "no data folder (templates, fonts, config): looked in %s and the "
                         "build-tree marker %s; give --data-dir or set %s",
                         installed, marker, TLF_DATADIR_ENV);
    }
    free(built);
    free(marker);
    free(installed);
    free(exe);
    return rc;
}

void tlf_datadir_free(tlf_datadir *dd)
{
    if (!dd)
        return;
    free(dd->path);
    free(dd->how);
    dd->path = dd->how = NULL;
}
