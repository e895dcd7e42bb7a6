/* stop.c - the process-wide stop request (see stop.h). */
#include "core/stop.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>

#include "core/err.h"

/* Set by a signal handler on one thread and read by every thread (the
 * pool's workers, SQLite's progress handler on each connection): a
 * volatile sig_atomic_t is safe only between a handler and the thread it
 * interrupted, so the flag is a C11 atomic, which a handler may store to
 * when it is lock-free (C11 7.14.1.1). ThreadSanitizer found the race
 * (tools/test.sh's thread half). Relaxed order: the flag carries no other
 * data, and each reader only needs to see it eventually. */
static atomic_int requested;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop flag must be lock-free to be set in a handler");

void tlf_stop_request(int sig)
{
    atomic_store_explicit(&requested, sig ? sig : SIGTERM, memory_order_relaxed);
}

int tlf_stop_signal(void)
{
    return atomic_load_explicit(&requested, memory_order_relaxed);
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
    return tlf_stop_signal() != 0;
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
