/* stop.c - the process-wide stop request (see stop.h). */
#include "core/stop.h"

#include <signal.h>
#include <sqlite3.h>

#include "core/err.h"

static volatile sig_atomic_t requested;

void tlf_stop_request(int sig)
{
    requested = sig ? sig : SIGTERM;
}

int tlf_stop_signal(void)
{
    return (int)requested;
}

int tlf_stop_check(tlf_err *err)
{
    int sig = tlf_stop_signal();
    return sig ? tlf_err_set(err, TLF_EINTR, "stopped by signal %d; nothing was published", sig)
               : TLF_OK;
}

/* Called by SQLite every few thousand virtual-machine steps: non-zero
 * makes the running statement fail with SQLITE_INTERRUPT. */
static int progress(void *unused)
{
    (void)unused;
    return requested != 0;
}

static int on_open(sqlite3 *db, char **errmsg, const void *api)
{
    (void)errmsg;
    (void)api;
    sqlite3_progress_handler(db, 4000, progress, NULL);
    return SQLITE_OK;
}

void tlf_stop_watch_sqlite(void)
{
    /* sqlite3_auto_extension ignores a second registration of one entry point */
    sqlite3_auto_extension((void (*)(void))on_open);
}
