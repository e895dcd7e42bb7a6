/* signals.c - record SIGINT/SIGTERM for a clean stop (see signals.h). */
#include "run/signals.h"

#include <signal.h>
#include <string.h>

#include "core/stop.h"

static void on_signal(int sig)
{
    tlf_stop_request(sig);
}

void run_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    tlf_stop_watch_sqlite();
}

int run_interrupted(void)
{
    return tlf_stop_signal();
}
