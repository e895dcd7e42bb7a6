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

int tlf_tmpfile_commit(const char *tmp, const char *path, tlf_err *err)
{
    /* after SIGINT/SIGTERM nothing is written: the file stays unmade */
    int rc = tlf_stop_check(err);
    if (rc) {
        unlink(tmp);
        return rc;
    }
    if (tlf_fault_io() || rename(tmp, path) != 0) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "cannot rename '%s' to '%s': %s", tmp, path,
                         strerror(errno));
        unlink(tmp);
        return rc;
    }
    return TLF_OK;
}
