/*
 * test_run.c - `tlfgen run` end to end on generated study databases:
 * status gate and exit codes, atomic publication under SIGKILL, the study
 * lock, byte-identical reruns, verify, DSMB closed-packet permissions,
 * nightly changes between two as-of extractions.
 */
#include "testutil.h"
#include "core/mem.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

static char *demo(const char *dir, const char *name, const char *opts)
{
    char *path = xasprintf("%s/%s", dir, name);
    run_result r = run_tlfgen("demo-db --out '%s' %s", path, opts);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    return path;
}

/* Visible (non-hidden) entries of a folder, one per line, sorted. */
static char *visible(const char *dir)
{
    run_result r = run_sh("ls '%s' 2>/dev/null | sort", dir);
    char *s = xstrdup(r.out);
    run_result_free(&r);
    return s;
}

static void test_csr_refuses_soft_lock(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-soft");
    char *db = demo(dir, "soft.sqlite", "--status 'SOFT LOCK'");
    run_result r = run_tlfgen("run --db '%s' --profile csr --out '%s/out' --quiet", db, dir);
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.err, "needs database status HARD LOCK"));
    assert_non_null(strstr(r.err, "SOFT LOCK"));
    assert_null(strchr(strchr(r.err, '\n') + 1, '\n'));    /* one line */
    run_result_free(&r);
    char *study = xasprintf("%s/out/TACIP", dir);
    char *v = visible(study);
    assert_string_equal(v, "");                            /* nothing published */
    free(v);
    char *top = xasprintf("%s/out", dir);
    v = visible(top);
    assert_string_equal(v, "");
    free(v);
    free(top);
    free(study);
    free(db);
    free(dir);
}

static void test_studyid_cannot_escape_the_output_folder(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-evil");
    char *db = demo(dir, "evil.sqlite", "");
    run_result r = run_sh("sqlite3 '%s' \"UPDATE DBSTATUS SET STUDYID = '../../escape'\"", db);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("run --db '%s' --out '%s/out/deep' --quiet", db, dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "column STUDYID cannot name a folder"));
    assert_non_null(strstr(r.err, "'../../escape'"));
    run_result_free(&r);
    char *escaped = xasprintf("%s/escape", dir);
    assert_int_not_equal(access(escaped, F_OK), 0);
    free(escaped);
    free(db);
    free(dir);
}

static void test_site_profile_with_unknown_output(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-site");
    char *db = demo(dir, "demo.sqlite", "");
    char *prof = xasprintf("%s/site.json", dir);
    FILE *f = fopen(prof, "w");
    fputs("{\"name\": \"site\", \"allowed_status\": [\"HARD LOCK\"], \"stop_on_error\": true,"
          " \"outputs\": [\"14.1.1\", \"14.9.9\"], \"paper\": \"letter\","
          " \"ci_transform\": \"log\", \"cox_ties\": \"breslow\"}", f);
    fclose(f);
    run_result r = run_tlfgen("run --db '%s' --profile '%s' --out '%s/out' --quiet", db, prof, dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "outputs: '14.9.9' is not in the catalog"));
    run_result_free(&r);
    char *site = xasprintf("%s/out/TACIP/site", dir);
    assert_int_not_equal(access(site, F_OK), 0);    /* nothing published */
    free(site);
    /* the same profile without the unknown output runs, in its own paper and CI */
    f = fopen(prof, "w");
    fputs("{\"name\": \"site\", \"allowed_status\": [\"HARD LOCK\"], \"stop_on_error\": true,"
          " \"outputs\": [\"14.2.1.1\", \"14.1.1\"], \"paper\": \"letter\","
          " \"ci_transform\": \"log\", \"cox_ties\": \"breslow\"}", f);
    fclose(f);
    r = run_tlfgen("run --db '%s' --profile '%s' --out '%s/out' --quiet", db, prof, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_sh("cd '%s/out/TACIP/site/latest' && ls *.pdf | tr '\\n' ' ' && "
               "grep -c ',os_km,FAS,ARMCD,TAC,AVAL,,lcl_at,t=365;ci=log,' ard.csv && "
               "pdfinfo 14.1.1.pdf | grep -c '612 x 792'", dir);
    assert_string_equal(r.out, "14.1.1.pdf 14.2.1.1.pdf volume.pdf 1\n1\n");
    run_result_free(&r);
    free(prof);
    free(db);
    free(dir);
}

static void test_long_listing_split_into_volumes(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-split");
    char *db = demo(dir, "demo.sqlite", "");
    char *prof = xasprintf("%s/split.json", dir);
    FILE *f = fopen(prof, "w");
    fputs("{\"name\": \"split\", \"allowed_status\": [\"HARD LOCK\"], \"stop_on_error\": true,"
          " \"outputs\": [\"14.1.1\", \"16.2.7.1\"], \"paper\": \"A4\", \"ci_transform\": \"loglog\","
          " \"cox_ties\": \"efron\", \"listing_split_rows\": 10, \"listing_volume_pages\": 2}", f);
    fclose(f);
    run_result r = run_tlfgen("run --db '%s' --profile '%s' --out '%s/out' --quiet", db, prof, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    /* volumes of at most 2 pages, "Volume k of n" in their headers; the
     * combined volume holds only the table */
    r = run_sh("cd '%s/out/TACIP/split/latest' && ls | grep -c '^16.2.7.1_vol0[0-9].pdf$'; "
               "ls 16.2.7.1.pdf 2>/dev/null | wc -l; pdfinfo 16.2.7.1_vol01.pdf | grep Pages; "
               "pdftotext 16.2.7.1_vol02.pdf - | grep -q 'Volume 2 of' && echo 1; "
               "pdfinfo volume.pdf | grep -c 'Pages: *3$'", dir);
    int nvol = atoi(r.out);
    assert_true(nvol >= 2);
    const char *rest = strchr(r.out, '\n') + 1;
    assert_string_equal(rest, "0\nPages:           2\n1\n1\n");
    run_result_free(&r);
    r = run_tlfgen("verify --quiet '%s/out/TACIP/split/latest'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(prof);
    free(db);
    free(dir);
}

static void test_csr_stops_on_data_errors(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-issues");
    char *db = demo(dir, "bad.sqlite", "--with-issues");
    run_result r = run_tlfgen("run --db '%s' --profile csr --out '%s/out' --quiet", db, dir);
    assert_int_equal(r.status, 5);
    assert_non_null(strstr(r.err, "error-severity data issue(s) stop the csr run"));
    run_result_free(&r);
    char *csr = xasprintf("%s/out/TACIP/csr", dir);
    char *v = visible(csr);
    assert_string_equal(v, "");
    free(v);
    /* nightly reports and goes on, leaving the affected subjects out */
    r = run_tlfgen("run --db '%s' --profile nightly --out '%s/out' --quiet", db, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_sh("sqlite3 '%s/out/TACIP/nightly/latest/adam.sqlite' "
               "'SELECT COUNT(*) > 0 FROM EXCLUSIONS; SELECT COUNT(*) > 0 FROM DATAISSUES "
               "WHERE SEVERITY = \"error\" OR SEVERITY = \"ERROR\"'", dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "1\n1\n");
    run_result_free(&r);
    /* nightly derives what its outputs read (issue 16): ADSL and ADAE, no
     * laboratory, vital signs or exposure rows */
    r = run_sh("sqlite3 '%s/out/TACIP/nightly/latest/adam.sqlite' \"SELECT group_concat(name, ' ') "
               "FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'AD%%' "
               "ORDER BY name)\"", dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "ADAE ADISSUE ADSL\n");
    run_result_free(&r);
    /* and the outputs say so */
    r = run_sh("pdftotext -layout '%s/out/TACIP/nightly/latest/14.1.1.pdf' - | tr -s ' \n' ' '", dir);
    assert_non_null(strstr(r.out, "with error-severity findings are left out of the analyses"));
    assert_non_null(strstr(r.out, "TACIP-04-T0004 (DM)"));
    run_result_free(&r);
    free(csr);
    free(db);
    free(dir);
}

/* The data checks spread over connections in threads (--jobs, issue 16)
 * answer as one after the other: a csr run stops with the same message,
 * nightly's DATAISSUES and EXCLUSIONS (adam.sqlite) and check's
 * issues.csv are byte for byte the same. */
static void test_checks_in_threads_same_as_serial(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-check-jobs");
    char *db = demo(dir, "bad.sqlite", "--with-issues");
    char *csr_err[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        int jobs = k ? 3 : 1;
        run_result r = run_tlfgen("run --db '%s' --profile csr --out '%s/out' --quiet --jobs %d",
                                  db, dir, jobs);
        assert_int_equal(r.status, 5);
        csr_err[k] = xstrdup(r.err);
        run_result_free(&r);
        r = run_tlfgen("run --db '%s' --profile nightly --out '%s/n%d' --quiet --jobs %d", db,
                       dir, jobs, jobs);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        r = run_tlfgen("check --db '%s' --out '%s/i%d.csv' --jobs %d", db, dir, jobs, jobs);
        assert_int_equal(r.status, 5);
        run_result_free(&r);
    }
    assert_non_null(strstr(csr_err[0], "error-severity data issue(s) stop the csr run"));
    assert_string_equal(csr_err[0], csr_err[1]);
    run_result r = run_sh("cmp '%s/n1/TACIP/nightly/latest/adam.sqlite' "
                          "'%s/n3/TACIP/nightly/latest/adam.sqlite' && cmp '%s/i1.csv' "
                          "'%s/i3.csv' && sqlite3 '%s/n3/TACIP/nightly/latest/adam.sqlite' "
                          "'SELECT COUNT(*) > 10 FROM DATAISSUES' && wc -l < '%s/i1.csv'",
                          dir, dir, dir, dir, dir, dir);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(r.out, "1\n", 2) == 0);
    assert_true(atoi(r.out + 2) > 10);
    run_result_free(&r);
    free(csr_err[0]);
    free(csr_err[1]);
    free(db);
    free(dir);
}

/* A corrupt database with a readable DBSTATUS (the lab table's root page
 * overwritten): the run copies it, learns its status, and its quick_check,
 * which runs beside the data checks and the derivation (with --jobs 3) or
 * before them (1), refuses it with exit 3 as `check` does; nothing is
 * published. */
static void test_corrupt_database_refused_beside_the_checks(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-corrupt");
    char *db = demo(dir, "corrupt.sqlite", "");
    run_result r = run_sh("p=$(sqlite3 '%s' \"SELECT rootpage FROM sqlite_schema WHERE name = 'LB'\") "
                          "&& test \"$p\" -gt 1 && printf '\\377' | dd of='%s' bs=1 "
                          "seek=$(( (p - 1) * $(sqlite3 '%s' 'PRAGMA page_size') )) "
                          "conv=notrunc 2>/dev/null && sqlite3 '%s' 'SELECT STATUS FROM DBSTATUS'",
                          db, db, db, db);
    assert_int_equal(r.status, 0);
    assert_true(strlen(r.out) > 1);   /* DBSTATUS still reads */
    run_result_free(&r);
    for (int jobs = 1; jobs <= 3; jobs += 2) {
        r = run_tlfgen("run --db '%s' --profile nightly --out '%s/out' --quiet --jobs %d", db,
                       dir, jobs);
        assert_int_equal(r.status, 3);
        assert_non_null(strstr(r.err, "corrupt or truncated SQLite database"));
        run_result_free(&r);
    }
    char *out = xasprintf("%s/out/TACIP/nightly", dir);
    char *v = visible(out);
    assert_string_equal(v, "");
    free(v);
    free(out);
    r = run_tlfgen("check --db '%s'", db);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "corrupt or truncated SQLite database"));
    run_result_free(&r);
    free(db);
    free(dir);
}

static void test_two_runs_identical_and_verified(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-repro");
    char *db = demo(dir, "demo.sqlite", "");
    /* one run renders on two threads, the other on one (issue 16) */
    run_result r = run_tlfgen("run --db '%s' --out '%s/a' --quiet --jobs 2", db, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("run --db '%s' --out '%s/b' --quiet --jobs 1", db, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    /* every file but the run's own log and manifest (timestamps) is identical */
    r = run_sh("cd '%s/a/TACIP/csr/latest' && for f in $(ls | grep -v -e run.log -e manifest.json); do "
               "cmp \"$f\" '%s/b/TACIP/csr/latest/'\"$f\" || exit 1; done; ls | wc -l", dir, dir);
    assert_int_equal(r.status, 0);
    assert_true(atoi(r.out) >= 4);
    run_result_free(&r);
    /* the run id comes from the content: both folders end in the same id */
    r = run_sh("basename $(readlink '%s/a/TACIP/csr/latest') | cut -d- -f2; "
               "basename $(readlink '%s/b/TACIP/csr/latest') | cut -d- -f2", dir, dir);
    char *nl = strchr(r.out, '\n');
    assert_non_null(nl);
    assert_memory_equal(r.out, nl + 1, (size_t)(nl - r.out));
    run_result_free(&r);
    r = run_tlfgen("verify '%s/a/TACIP/csr/latest'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    /* the manifest names the input by the digest sha256sum prints, the
     * program, the status row and every stage's time */
    r = run_sh("sha256sum '%s' | cut -c1-64", db);
    char sha[65];
    memcpy(sha, r.out, 64);
    sha[64] = '\0';
    run_result_free(&r);
    char *man_path = xasprintf("%s/a/TACIP/csr/latest/manifest.json", dir);
    char *man = test_read_file(man_path, NULL);
    assert_non_null(man);
    assert_non_null(strstr(man, sha));
    assert_non_null(strstr(man, "\"STATUS\": \"HARD LOCK\""));
    assert_non_null(strstr(man, "\"commit\""));
    assert_non_null(strstr(man, "\"path\": \"ard.csv\""));
    assert_non_null(strstr(man, "\"render\""));
    free(man);
    free(man_path);
    r = run_sh("printf 'x' >> '%s/a/TACIP/csr/latest/ard.csv'", dir);
    run_result_free(&r);
    r = run_tlfgen("verify '%s/a/TACIP/csr/latest'", dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "ard.csv"));
    run_result_free(&r);
    /* the headline number: 52-week OS in TAC */
    r = run_sh("grep -F ',os_km,FAS,ARMCD,TAC,AVAL,,surv_at,t=365,' '%s/b/TACIP/csr/latest/ard.csv'", dir);
    assert_int_equal(r.status, 0);
    double v = atof(strrchr(r.out, ',') + 1);
    assert_true(v > 0.88 - 1e-12 && v < 0.88 + 1e-12);
    run_result_free(&r);
    free(db);
    free(dir);
}

/* Split listings, listings beside the analyses and the combined volume on
 * three threads give the same files as one thread; without --quiet and
 * not on a terminal, stderr has one line per stage and no in-place
 * progress; --quiet prints nothing. */
static void test_parallel_render_same_bytes_and_progress(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-jobs");
    char *db = demo(dir, "demo.sqlite", "");
    char *prof = xasprintf("%s/split.json", dir);
    FILE *f = fopen(prof, "w");
    fputs("{\"name\": \"split\", \"allowed_status\": [\"HARD LOCK\"], \"stop_on_error\": true,"
          " \"outputs\": [\"all\"], \"paper\": \"A4\", \"ci_transform\": \"loglog\","
          " \"cox_ties\": \"efron\", \"listing_split_rows\": 60, \"listing_volume_pages\": 3}", f);
    fclose(f);
    run_result r = run_tlfgen("run --db '%s' --profile '%s' --out '%s/one' --jobs 1", db, prof, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "tlfgen run: data checks\n"));
    assert_non_null(strstr(r.err, "tlfgen run: deriving the analysis datasets\n"));
    assert_non_null(strstr(r.err, "with 1 thread(s)"));
    assert_null(strchr(r.err, '\r'));               /* no in-place lines off a terminal */
    run_result_free(&r);
    r = run_tlfgen("run --db '%s' --profile '%s' --out '%s/three' --jobs 3 --quiet", db, prof, dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    run_result_free(&r);
    r = run_sh("cd '%s/one/TACIP/split/latest' && n=0; for f in $(ls | grep -v -e run.log -e "
               "manifest.json); do cmp \"$f\" '%s/three/TACIP/split/latest/'\"$f\" || exit 1; "
               "n=$((n+1)); done; echo $n; ls | grep -c '_vol'; "
               "ls '%s/three/TACIP/split/latest' | wc -l; ls | wc -l", dir, dir, dir);
    assert_int_equal(r.status, 0);
    int same = 0, vols = 0, n3 = 0, n1 = 0;
    assert_int_equal(sscanf(r.out, "%d %d %d %d", &same, &vols, &n3, &n1), 4);
    assert_true(vols >= 2);                          /* some listings were split */
    assert_true(same >= 30);
    assert_int_equal(n1, n3);
    assert_int_equal(same + 2, n1);                  /* all but run.log, manifest.json */
    run_result_free(&r);
    r = run_tlfgen("run --db /nonexistent.sqlite --out '%s/x' --jobs 0", dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--jobs '0'"));
    run_result_free(&r);
    free(prof);
    free(db);
    free(dir);
}

/* Start `tlfgen run` (csr) on db into outdir, send sig after delay_ms and
 * return its wait status. */
static int run_and_signal(const char *db, const char *outdir, int delay_ms, int sig)
{
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(TLFGEN_BIN, "tlfgen", "run", "--db", db, "--out", outdir, "--quiet", (char *)NULL);
        _exit(127);
    }
    usleep((useconds_t)delay_ms * 1000);
    kill(pid, sig);
    int st = 0;
    waitpid(pid, &st, 0);
    return st;
}

static void test_sigkill_never_leaves_partial_folder(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-kill");
    char *db = demo(dir, "demo.sqlite", "");
    run_result r = run_tlfgen("run --db '%s' --out '%s/out' --quiet", db, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *base = xasprintf("%s/out/TACIP/csr", dir);
    char *before = visible(base);
    const int delays_ms[] = {5, 20, 40, 80, 120};
    for (size_t i = 0; i < sizeof delays_ms / sizeof delays_ms[0]; i++) {
        char *outdir = xasprintf("%s/out", dir);
        int st = run_and_signal(db, outdir, delays_ms[i], SIGKILL);
        free(outdir);
        char *now = visible(base);
        /* either the kill came first (nothing new) or the run completed */
        if (strcmp(now, before) != 0) {
            assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
            free(before);
            before = xstrdup(now);
        }
        free(now);
        r = run_tlfgen("verify --quiet '%s/latest'", base);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
    }
    /* the next run cleans up what the killed ones left hidden */
    r = run_tlfgen("run --db '%s' --out '%s/out' --quiet", db, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_sh("ls -A '%s' | grep -c '^\\.tmp-' ; ls -A '%s/out' | grep -c '^\\.tlfgen-work-'", base, dir);
    assert_string_equal(r.out, "0\n0\n");
    run_result_free(&r);
    free(before);
    free(base);
    free(db);
    free(dir);
}

static void test_sigterm_stops_cleanly(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-term");
    char *db = demo(dir, "demo.sqlite", "");
    char *outdir = xasprintf("%s/out", dir);
    const int delays_ms[] = {300, 600};
    int stopped = 0;
    for (size_t i = 0; i < sizeof delays_ms / sizeof delays_ms[0]; i++) {
        int st = run_and_signal(db, outdir, delays_ms[i], SIGTERM);
        /* killed before main installed its handlers, or finished before the
         * signal: neither is the case under test */
        if (!WIFEXITED(st) || WEXITSTATUS(st) == 0)
            continue;
        assert_int_equal(WEXITSTATUS(st), 130);
        stopped++;
        /* nothing published, nothing left behind, not even hidden */
        run_result r = run_sh("ls -A '%s/TACIP/csr' 2>/dev/null | grep -v -x latest; "
                              "ls -A '%s' | grep -c tlfgen-work", outdir, outdir);
        assert_string_equal(r.out, "0\n");
        run_result_free(&r);
    }
    assert_true(stopped > 0);   /* rendering alone takes longer than 600 ms */
    free(outdir);
    free(db);
    free(dir);
}

static void test_concurrent_runs_serialise(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-lock");
    char *db = demo(dir, "demo.sqlite", "");
    run_result r = run_sh("'%s' run --db '%s' --out '%s/out' --quiet & "
                          "'%s' run --db '%s' --out '%s/out' --quiet; s2=$?; wait $!; s1=$?; "
                          "echo $s1 $s2; ls '%s/out/TACIP/csr' | grep -vc latest",
                          TLFGEN_BIN, db, dir, TLFGEN_BIN, db, dir, dir);
    assert_string_equal(r.out, "0 0\n2\n");
    run_result_free(&r);
    /* a run that cannot get the lock in time says so and exits 7 */
    r = run_sh("cd '%s/out/TACIP' && flock .tlfgen.lock sleep 3 & sleep 0.5; "
               "'%s' run --db '%s' --out '%s/out' --lock-timeout 0.5 --quiet; echo $?; wait",
               dir, TLFGEN_BIN, db, dir);
    assert_non_null(strstr(r.out, "7\n"));
    assert_non_null(strstr(r.err, "another tlfgen run of study TACIP"));
    run_result_free(&r);
    free(db);
    free(dir);
}

static void test_dsmb_closed_packet_is_private(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-dsmb");
    char *db = demo(dir, "soft.sqlite", "--status 'SOFT LOCK'");
    run_result r = run_tlfgen("run --db '%s' --profile dsmb --out '%s/out' --quiet", db, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *closed = xasprintf("%s/out/TACIP/dsmb/latest/closed", dir);
    struct stat st;
    assert_int_equal(stat(closed, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    r = run_sh("find '%s' -type f ! -perm 600 | wc -l; ls '%s' | grep -c ard.csv", closed, closed);
    assert_string_equal(r.out, "0\n1\n");
    run_result_free(&r);
    free(closed);
    free(db);
    free(dir);
}

/* Expected changes between two as-of extractions, from the SDTM files. */
static long count_sql(const char *db, const char *sql)
{
    run_result r = run_sh("sqlite3 '%s' \"%s\"", db, sql);
    assert_int_equal(r.status, 0);
    long n = atol(r.out);
    run_result_free(&r);
    return n;
}

static void test_nightly_lists_new_deaths_and_saes(void **state)
{
    (void)state;
    char *dir = test_tmpdir("run-nightly");
    char *a = demo(dir, "a.sqlite", "--as-of 2013-09-30");
    char *b = demo(dir, "b.sqlite", "--as-of 2014-03-31");
    run_result r = run_tlfgen("run --db '%s' --profile nightly --out '%s/out' --quiet", a, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("run --db '%s' --profile nightly --out '%s/out' --quiet", b, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *sql = xasprintf("ATTACH '%s' AS a; SELECT COUNT(*) FROM AE WHERE AESER = 'Y' AND "
                          "NOT EXISTS (SELECT 1 FROM a.AE p WHERE p.USUBJID = AE.USUBJID AND "
                          "p.AESPID = AE.AESPID AND p.AESER = 'Y')", a);
    long new_sae = count_sql(b, sql);
    free(sql);
    sql = xasprintf("ATTACH '%s' AS a; SELECT COUNT(*) FROM DM WHERE COALESCE(DTHDTC, '') <> '' "
                    "AND USUBJID NOT IN (SELECT USUBJID FROM a.DM WHERE COALESCE(DTHDTC, '') <> '')", a);
    long new_death = count_sql(b, sql);
    free(sql);
    assert_true(new_sae > 0);
    assert_true(new_death > 0);
    r = run_sh("cd '%s/out/TACIP/nightly/latest' && grep -c '^NEW SAE,' changes.csv; "
               "grep -c '^NEW DEATH,' changes.csv", dir);
    char expect[64];
    snprintf(expect, sizeof expect, "%ld\n%ld\n", new_sae, new_death);
    assert_string_equal(r.out, expect);
    run_result_free(&r);
    free(a);
    free(b);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csr_refuses_soft_lock),
        cmocka_unit_test(test_studyid_cannot_escape_the_output_folder),
        cmocka_unit_test(test_site_profile_with_unknown_output),
        cmocka_unit_test(test_long_listing_split_into_volumes),
        cmocka_unit_test(test_csr_stops_on_data_errors),
        cmocka_unit_test(test_checks_in_threads_same_as_serial),
        cmocka_unit_test(test_corrupt_database_refused_beside_the_checks),
        cmocka_unit_test(test_two_runs_identical_and_verified),
        cmocka_unit_test(test_parallel_render_same_bytes_and_progress),
        cmocka_unit_test(test_sigkill_never_leaves_partial_folder),
        cmocka_unit_test(test_sigterm_stops_cleanly),
        cmocka_unit_test(test_concurrent_runs_serialise),
        cmocka_unit_test(test_dsmb_closed_packet_is_private),
        cmocka_unit_test(test_nightly_lists_new_deaths_and_saes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
