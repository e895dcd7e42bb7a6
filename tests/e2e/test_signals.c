/*
 * test_signals.c - SIGTERM and SIGINT at seeded random moments (issue 17).
 *
 * A run of a study of a few hundred subjects (generated once here) is
 * measured twice (the shorter length taken), then started again and
 * signalled at 20 moments spread by a seeded generator over its length,
 * SIGTERM and SIGINT in turn: each must end within 2 s of the signal with
 * exit 130, publish nothing (the study folder lists what it listed before,
 * hidden work folders gone) and leave `latest` where it was, still
 * verifying. A moment after the end of a faster run is tried again at the
 * same fraction of that run's length (a bounded number of times); a
 * signal during the publishing rename may end in exit 0 with the run
 * published whole. Then every command that writes or reads much - demo-db,
 * check, derive, analyze, render (PDF with RTF and layout dump, and split
 * into volume files), volume, stats, verify - is signalled at 40% of its
 * measured length: exit 130 in time, its folder unchanged (no output, no
 * temporary file, nothing replaced). "In time" is the issue's 2 s of wall
 * clock, or of the process's own CPU time when the shared build machine
 * is loaded (STOP_LIMIT_S, WALL_LIMIT_S). The sanitizer build runs a
 * smaller study and 8 moments (its run is 3-5 times slower) with a looser
 * bound. TLFGEN_SIGNAL_MOMENTS=n runs n moments by hand.
 */
#include "testutil.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* Seconds from the signal to the exit: the issue's 2 s, asserted in the
 * Release build as CPU seconds the process spends after the signal (its
 * own and its threads'), which the machine's load does not stretch; the
 * wall-clock time must be within the same 2 s, or, on a loaded machine,
 * within WALL_LIMIT_S (the build machine is shared by several builds:
 * a load average of 12 on 2 cores makes 0.2 s of work take 1-3 s). The
 * sanitizers make every step 3-5 times slower (and libharu's writing of
 * the combined volume, which cannot be interrupted, took 5-7 s under ASan
 * on the loaded build machine), so there the bound only says "ends". */
#define STOP_LIMIT_S (SANITIZED ? 15.0 : 2.0)
#define WALL_LIMIT_S 30.0

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* One tlfgen process: started with argv (NULL-terminated, argv[0] the
 * command), stdout and stderr to errfile. */
static pid_t start(char *const *argv, const char *errfile)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        char **full = xcalloc(64, sizeof *full);
        full[0] = (char *)TLFGEN_BIN;
        for (int i = 0; argv[i] && i < 62; i++)
            full[i + 1] = argv[i];
        execv(TLFGEN_BIN, full);
        _exit(127);
    }
    return pid;
}

typedef struct outcome {
    int status;        /* exit status, or 128 + signal when killed */
    double after_s;    /* seconds from the signal to the exit (or -1: exited before it) */
    double cpu_after_s;/* CPU seconds (user + system, all threads) after the signal */
    double total_s;    /* seconds from the start to the exit */
} outcome;

static int decode(int ws)
{
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

/* CPU seconds pid has used so far (utime + stime of /proc/PID/stat: the
 * whole process, every thread); -1 when unreadable. */
static double cpu_so_far(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* fields after the command name in parentheses: state is field 3,
     * utime and stime fields 14 and 15 */
    const char *p = strrchr(buf, ')');
    unsigned long long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu", &ut,
                     &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double rusage_s(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

/* 1 when pid catches sig (its handler installed: the SigCgt mask of
 * /proc/PID/status), 0 when not yet, -1 when unreadable (it ended). */
static int catches(pid_t pid, int sig)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int found = -1;
    unsigned long long mask = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "SigCgt: %llx", &mask) == 1) {
            found = (int)((mask >> (sig - 1)) & 1u);
            break;
        }
    fclose(f);
    return found;
}

/* Run argv; at `at` seconds send sig (sig 0: none), or as soon after as
 * the process catches it: on a loaded machine the exec and the loading of
 * the libraries alone can outlast an early moment, and a signal before
 * main installs its handler ends the process as the default action does,
 * which says nothing about tlfgen. A process still alive WALL_LIMIT_S
 * after the signal is killed (and fails the assertion on status). */
static outcome run_signalled(char *const *argv, const char *errfile, double at, int sig)
{
    outcome o = {-1, -1, -1, 0};
    double t0 = now_s();
    pid_t pid = start(argv, errfile);
    int ws = 0;
    struct rusage ru;
    if (sig) {
        double until = t0 + at;
        while (now_s() < until || catches(pid, sig) == 0) {
            if (wait4(pid, &ws, WNOHANG, &ru) == pid) {
                o.status = decode(ws);
                o.total_s = now_s() - t0;
                return o;   /* ended before the signal */
            }
            sleep_s(0.005);
        }
        double cpu0 = cpu_so_far(pid);
        kill(pid, sig);
        double ts = now_s();
        while (wait4(pid, &ws, WNOHANG, &ru) != pid) {
            if (now_s() - ts > WALL_LIMIT_S) {
                kill(pid, SIGKILL);
                wait4(pid, &ws, 0, &ru);
                break;
            }
            sleep_s(0.005);
        }
        o.after_s = now_s() - ts;
        if (cpu0 >= 0)
            o.cpu_after_s = rusage_s(&ru) - cpu0;
    } else {
        wait4(pid, &ws, 0, &ru);
    }
    o.status = decode(ws);
    o.total_s = now_s() - t0;
    return o;
}

/* Did the process end in time after its signal? Within STOP_LIMIT_S of
 * wall-clock time, or, on a loaded machine, within STOP_LIMIT_S of its
 * own CPU time and WALL_LIMIT_S of wall-clock time. */
static int stopped_in_time(const outcome *o)
{
    if (o->after_s <= STOP_LIMIT_S)
        return 1;
    return o->cpu_after_s >= 0 && o->cpu_after_s <= STOP_LIMIT_S && o->after_s < WALL_LIMIT_S;
}

static char *slurp(const char *path)
{
    size_t n = 0;
    char *s = test_read_file(path, &n);
    return s ? s : xstrdup("");
}

static char *link_of(const char *path)
{
    char buf[4096];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    return xstrdup(buf);
}

/* A seeded generator (the moments are the same on every machine). */
static double next_unit(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (double)((*s >> 8) & 0xFFFFu) / 65536.0;
}

/* CPU seconds a run may spend after a signal that came after its last
 * look at the flag, just before the publishing rename: the rename, the
 * `latest` switch, the work folder's removal (and LeakSanitizer's scan of
 * the heap at exit). A run that ignored the signal spends far more. */
#define PUBLISH_CPU_S (SANITIZED ? 1.5 : 0.25)

typedef enum moment_kind { MOMENT_STOPPED, MOMENT_PUBLISHING, MOMENT_AFTER_END } moment_kind;

/* What the moments share: the run's argv, the study folder as it must
 * stay (its listing and `latest`), and whether any moment failed. */
typedef struct moment_state {
    char *const *argv;
    const char *errf, *study, *latest_path;
    char *before, *latest;
    int failed;
} moment_state;

/* One run signalled `at` seconds after its start. A run stopped must say
 * 130 in time and leave the study folder as it was; one that ended before
 * the signal (a faster run than measured; *run_s its length), or that got
 * it while publishing (exit 0, almost no CPU after it), must have
 * published whole. */
static moment_kind one_moment(moment_state *ms, int k, double at, int sig, double length,
                              double *run_s)
{
    outcome o = run_signalled(ms->argv, ms->errf, at, sig);
    char *e = slurp(ms->errf);
    char *now = test_listing(ms->study, 0), *lnk = link_of(ms->latest_path);
    *run_s = o.total_s;
    moment_kind kind = o.after_s < 0 ? MOMENT_AFTER_END
                       : o.status == 0 && o.cpu_after_s >= 0 && o.cpu_after_s <= PUBLISH_CPU_S
                           ? MOMENT_PUBLISHING
                           : MOMENT_STOPPED;
    if (kind != MOMENT_STOPPED) {
        print_message("moment %d (%.2f s): the run %s (exit %d, %.2f s)\n", k, at,
                      kind == MOMENT_AFTER_END ? "had ended" : "was publishing", o.status,
                      o.total_s);
        run_result v = run_tlfgen("verify --quiet '%s'", ms->latest_path);
        if (o.status != 0 || v.status != 0) {
            print_error("moment %d: ended with exit %d, verify %d: %s\n", k, o.status, v.status,
                        e);
            ms->failed = 1;
        }
        run_result_free(&v);
        free(ms->before);
        free(ms->latest);
        ms->before = test_listing(ms->study, 0);
        ms->latest = link_of(ms->latest_path);
    } else {
        if (o.status != 130 || !stopped_in_time(&o)) {
            print_error("moment %d (%s at %.2f s of %.2f s): exit %d after %.2f s (%.2f s of "
                        "CPU): %s\n", k, sig == SIGINT ? "SIGINT" : "SIGTERM", at, length,
                        o.status, o.after_s, o.cpu_after_s, e);
            ms->failed = 1;
        }
        if (strcmp(now, ms->before) != 0 || strcmp(lnk, ms->latest) != 0) {
            print_error("moment %d: the study folder changed:\nbefore:\n%s(latest %s)\n"
                        "after:\n%s(latest %s)\n", k, ms->before, ms->latest, now, lnk);
            ms->failed = 1;
        }
        if (strstr(e, "Sanitizer") || strstr(e, "runtime error:")) {
            print_error("moment %d: sanitizer report:\n%s\n", k, e);
            ms->failed = 1;
        }
    }
    free(e);
    free(now);
    free(lnk);
    return kind;
}

static void test_run_signalled_at_random_moments(void **state)
{
    (void)state;
    char *dir = test_tmpdir("signals-run");
    char *db = xasprintf("%s/study.sqlite", dir);
    char *out = xasprintf("%s/out", dir);
    char *errf = xasprintf("%s/err.txt", dir);
    run_result r = run_tlfgen("demo-db --out '%s' --subjects %d --controls %d", db,
                              SANITIZED ? 26 : 200, SANITIZED ? 16 : 80);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *argv[] = {"run", "--db", db, "--profile", "csr", "--out", out, "--quiet", NULL};
    /* The moments are fractions of the run's length, measured twice and
     * the shorter taken: the machine is shared, and a run measured while
     * others build may take twice as long as the next. */
    double length = 0;
    for (int m = 0; m < 2; m++) {
        outcome whole = run_signalled(argv, errf, 0, 0);
        if (whole.status != 0) {
            char *e = slurp(errf);
            fail_msg("the uninterrupted run: exit %d: %s", whole.status, e);
        }
        length = m == 0 || whole.total_s < length ? whole.total_s : length;
    }
    char *study = xasprintf("%s/TACIP/csr", out);
    char *latest_path = xasprintf("%s/latest", study);
    moment_state ms = {argv, errf, study, latest_path, test_listing(study, 0),
                       link_of(latest_path), 0};
    assert_true(ms.latest[0] != '\0');

    int moments = SANITIZED ? 8 : 20;
    const char *env = getenv("TLFGEN_SIGNAL_MOMENTS");
    if (env && atoi(env) > 0)
        moments = atoi(env);
    /* a moment that falls after the end of a faster run is tried again at
     * the same fraction of that run's length, a bounded number of times */
    int retries = 0, max_retries = moments / 4 + 1;
    unsigned seed = 20261204u;
    int stopped = 0, published = 0;
    for (int k = 0; k < moments; k++) {
        int sig = k % 2 ? SIGINT : SIGTERM;
        /* between 2% and 85% of the run */
        double frac = 0.02 + 0.83 * next_unit(&seed);
        for (;;) {
            double run_s = 0;
            moment_kind kind = one_moment(&ms, k, length * frac, sig, length, &run_s);
            stopped += kind == MOMENT_STOPPED;
            published += kind == MOMENT_PUBLISHING;
            if (kind != MOMENT_AFTER_END || retries == max_retries)
                break;
            retries++;
            if (run_s < length)
                length = run_s;
            print_message("moment %d again at %.0f%% of %.2f s\n", k, 100 * frac, length);
        }
    }
    run_result v = run_tlfgen("verify --quiet '%s'", latest_path);
    assert_int_equal(v.status, 0);
    run_result_free(&v);
    print_message("signals: %d of %d moments stopped the run, %d came while it published, "
                  "%d tried again (run %.2f s)\n", stopped, moments, published, retries, length);
    if (ms.failed)
        fail();
    /* most moments must fall inside the run, or the test tests nothing */
    assert_true(stopped * 4 >= moments * 3);
    free(ms.before);
    free(ms.latest);
    free(study);
    free(latest_path);
    free(errf);
    free(out);
    free(db);
    run_result rm = run_sh("rm -rf '%s'", dir);
    run_result_free(&rm);
    free(dir);
}

/* One command signalled at 40% of its measured length: exit 130 within
 * the limit, "stopped by signal", and its folder as it was (no output
 * file, no temporary file, no file replaced). The uninterrupted run
 * (measured first, its outputs left in place) makes the next command's
 * input. */
static void one_command(const char *what, char *const *argv, const char *folder,
                        const char *errf, int sig)
{
    outcome whole = run_signalled(argv, errf, 0, 0);
    if (whole.status != 0) {
        char *e = slurp(errf);
        fail_msg("%s: exit %d: %s", what, whole.status, e);
    }
    char *before = test_listing(folder, 1);
    outcome o = run_signalled(argv, errf, whole.total_s * 0.4, sig);
    char *e = slurp(errf);
    char *after = test_listing(folder, 1);
    print_message("%s: %.2f s whole; signalled at %.2f s: exit %d after %.2f s (%.2f s of CPU)\n",
                  what, whole.total_s, whole.total_s * 0.4, o.status, o.after_s, o.cpu_after_s);
    if (o.after_s < 0)
        fail_msg("%s ended before the signal (%.2f s)", what, o.total_s);
    if (o.status != 130 || !stopped_in_time(&o))
        fail_msg("%s: exit %d after %.2f s (%.2f s of CPU): %s", what, o.status, o.after_s,
                 o.cpu_after_s, e);
    if (strcmp(before, after) != 0)
        fail_msg("%s: its folder changed:\nbefore:\n%safter:\n%s", what, before, after);
    assert_non_null(strstr(e, "stopped by signal"));
    if (strstr(e, "Sanitizer") || strstr(e, "runtime error:"))
        fail_msg("%s: sanitizer report:\n%s", what, e);
    free(after);
    free(before);
    free(e);
}

/* A survival table for `stats iptw` (seeded: the same on every machine):
 * a time, an event flag, two groups, a numeric and a categorical
 * covariate that shift the group and the time. */
static void write_survival_csv(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    unsigned seed = 17u;
    fputs("time,event,arm,x,cat\n", f);
    for (int i = 0; i < n; i++) {
        double x = 40 + 30 * next_unit(&seed);
        int cat = (int)(3 * next_unit(&seed));
        int treated = next_unit(&seed) < 0.3 + (x - 40) / 100 + 0.1 * cat;
        double t = 1 + 700 * next_unit(&seed) * (treated ? 1.3 : 1.0);
        fprintf(f, "%.1f,%d,%s,%.1f,c%d\n", t, next_unit(&seed) < 0.6, treated ? "B" : "A", x,
                cat);
    }
    assert_int_equal(fclose(f), 0);
}

static void test_commands_signalled(void **state)
{
    (void)state;
    char *dir = test_tmpdir("signals-cmd");
    char *db = xasprintf("%s/study.sqlite", dir);
    char *adam = xasprintf("%s/adam.sqlite", dir);
    char *ard = xasprintf("%s/ard.csv", dir);
    char *issues = xasprintf("%s/issues.csv", dir);
    char *errf = xasprintf("%s/err.txt", dir);
    char subj[16], ctl[16];
    snprintf(subj, sizeof subj, "%d", SANITIZED ? 200 : 800);
    snprintf(ctl, sizeof ctl, "%d", SANITIZED ? 80 : 250);
    char *demo[] = {"demo-db", "--out", db, "--subjects", subj, "--controls", ctl, NULL};
    one_command("demo-db", demo, dir, errf, SIGTERM);
    char *check[] = {"check", "--db", db, "--out", issues, NULL};
    one_command("check", check, dir, errf, SIGINT);
    char *derive[] = {"derive", "--db", db, "--out", adam, NULL};
    one_command("derive", derive, dir, errf, SIGTERM);
    char *analyze[] = {"analyze", "--adam", adam, "--out", ard, NULL};
    one_command("analyze", analyze, dir, errf, SIGINT);

    /* render and volume: the longest listing (a row per lab result), with
     * its RTF and layout dump (written together with the PDF, or none) */
    char *lab = test_source_path("templates/l16_2_8.json");
    char *tsum = test_source_path("templates/t14_1_1.json");
    char *fig = test_source_path("templates/f14_2_1_1.json");
    char *pdf = xasprintf("%s/l.pdf", dir), *rtf = xasprintf("%s/l.rtf", dir);
    char *dump = xasprintf("%s/l.txt", dir), *vol = xasprintf("%s/volume.pdf", dir);
    char *render[] = {"render", "--template", lab, "--adam", adam, "--out", pdf,
                      "--rtf", rtf, "--layout-dump", dump, NULL};
    one_command("render", render, dir, errf, SIGTERM);
    /* split into volume files: none of them after the signal */
    char *vols = xasprintf("%s/vols", dir), *vpdf = xasprintf("%s/vols/l.pdf", dir);
    assert_int_equal(mkdir(vols, 0755), 0);
    char *split[] = {"render", "--template", lab, "--adam", adam, "--out", vpdf,
                     "--volume-pages", SANITIZED ? "10" : "40", NULL};
    one_command("render --volume-pages", split, vols, errf, SIGINT);
    char *volume[] = {"volume", "--template", tsum, "--template", fig, "--template", lab,
                      "--ard", ard, "--adam", adam, "--out", vol, NULL};
    one_command("volume", volume, dir, errf, SIGINT);

    /* stats: iptw's bootstrap on a generated table */
    char *csv = xasprintf("%s/surv.csv", dir), *st = xasprintf("%s/iptw.csv", dir);
    write_survival_csv(csv, SANITIZED ? 500 : 1500);
    char *stats[] = {"stats", "iptw", "--input", csv, "--time", "time", "--event", "event",
                     "--group", "arm", "--treated", "B", "--covariates", "x,cat",
                     "--landmarks", "200", "--boot", "2000", "--out", st, NULL};
    one_command("stats", stats, dir, errf, SIGTERM);

    /* verify: a folder whose manifest lists one large (sparse) file */
    char *run = xasprintf("%s/run", dir);
    run_result r = run_sh("mkdir '%s' && cd '%s' && truncate -s 512M big.bin && "
                          "printf '{\"files\":[{\"path\":\"big.bin\",\"size\":%%d,"
                          "\"sha256\":\"%%s\"}]}\\n' $((512*1024*1024)) "
                          "\"$(sha256sum big.bin | cut -c1-64)\" > manifest.json",
                          run, run);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *verify[] = {"verify", run, NULL};
    one_command("verify", verify, run, errf, SIGINT);

    free(run);
    free(st);
    free(csv);
    free(vpdf);
    free(vols);
    free(vol);
    free(dump);
    free(rtf);
    free(pdf);
    free(fig);
    free(tsum);
    free(lab);
    free(db);
    free(adam);
    free(ard);
    free(issues);
    free(errf);
    run_result rm = run_sh("rm -rf '%s'", dir);
    run_result_free(&rm);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_signalled_at_random_moments),
        cmocka_unit_test(test_commands_signalled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
