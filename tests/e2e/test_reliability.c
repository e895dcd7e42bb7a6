/*
 * test_reliability.c - the defects of issue 17 (bad input and faults), one
 * test each, through the command line: a FIFO as --db, a WAL database
 * with committed but un-checkpointed rows, a nightly run with thousands of
 * findings (one transaction per stage), a full disk in derivation and in a
 * PDF write, `latest` that is a real directory, check and run answering
 * alike, derive waiting for a writer, a --cutoff before the first dose, a
 * 5,000-character STUDYID, the lock message, a profile that cannot be
 * read, --quiet --verbose, verify reporting every problem, a refused run
 * leaving no folder, a template that cannot be read.
 */
#include "testutil.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *demo(const char *dir, const char *name, const char *opts)
{
    char *path = xasprintf("%s/%s", dir, name);
    run_result r = run_tlfgen("demo-db --out '%s' %s", path, opts);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    return path;
}

static void sh_ok(const char *what, run_result r)
{
    if (r.status)
        fail_msg("%s failed (%d): %s", what, r.status, r.err);
    run_result_free(&r);
}

/* One line on stderr (the message and its newline). */
static void one_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    assert_non_null(nl);
    assert_int_equal(nl[1], '\0');
}

/* A FIFO given as --db is refused at once (exit 3), by run and check;
 * opening it used to block until a signal. */
static void test_fifo_input(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-fifo");
    run_result r = run_sh("mkfifo '%s/in.sqlite'", dir);
    sh_ok("mkfifo", r);
    r = run_sh("timeout 20 '%s' run --db '%s/in.sqlite' --out '%s/out' --quiet", TLFGEN_BIN, dir,
               dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "not a regular file (a FIFO)"));
    one_line(r.err);
    run_result_free(&r);
    r = run_sh("timeout 20 '%s' check --db '%s/in.sqlite'", TLFGEN_BIN, dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "a FIFO"));
    run_result_free(&r);
    r = run_sh("ls -A '%s/out' 2>/dev/null | wc -l", dir);
    assert_string_equal(r.out, "0\n");
    run_result_free(&r);
    free(dir);
}

static char *manifest_field(const char *dir, const char *field)
{
    run_result r = run_sh("grep -h -m1 '\"%s\"' '%s'/out*/TACIP/nightly/latest/manifest.json "
                          "| head -1 | tr -d ' ,'", field, dir);
    char *s = xstrdup(r.out);
    run_result_free(&r);
    return s;
}

/* Two WAL databases with the same main file and different committed rows
 * in their -wal: different run ids (the run id used to hash the main file
 * only); the manifest says the digest is of the snapshot; the same input
 * again gives the same run id; the input files are untouched. */
static void test_wal_rows_change_the_run_id(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-wal");
    char *db = demo(dir, "a.sqlite", "");
    run_result r = run_sh("cd '%s' && sqlite3 a.sqlite 'PRAGMA journal_mode=WAL' >/dev/null && "
                          "mkdir b && cp a.sqlite b/a.sqlite && cd b && "
                          "printf '.dbconfig no_ckpt_on_close on\\nPRAGMA wal_autocheckpoint=0;\\n"
                          "UPDATE AE SET AETERM = AETERM || '\\''x'\\'' WHERE rowid = 1;\\n' "
                          "| sqlite3 a.sqlite >/dev/null && test -s a.sqlite-wal && "
                          "cmp a.sqlite ../a.sqlite && sha256sum a.sqlite a.sqlite-wal > ../sums", dir);
    sh_ok("WAL databases", r);
    r = run_tlfgen("run --db '%s/a.sqlite' --profile nightly --out '%s/outa' --quiet", dir, dir);
    sh_ok("run a", r);
    r = run_tlfgen("run --db '%s/b/a.sqlite' --profile nightly --out '%s/outb' --quiet", dir, dir);
    sh_ok("run b", r);
    r = run_sh("cd '%s' && grep -h '\"run_id\"' outa/TACIP/nightly/latest/manifest.json "
               "outb/TACIP/nightly/latest/manifest.json | sort -u | wc -l && "
               "grep -h '\"sha256_of\"' outa/TACIP/nightly/latest/manifest.json "
               "outb/TACIP/nightly/latest/manifest.json | tr -d ' ,'", dir);
    assert_string_equal(r.out, "2\n\"sha256_of\":\"file\"\n\"sha256_of\":\"snapshot\"\n");
    run_result_free(&r);
    char *id1 = manifest_field(dir, "run_id");
    r = run_tlfgen("run --db '%s/b/a.sqlite' --profile nightly --out '%s/outb2' --quiet", dir, dir);
    sh_ok("run b again", r);
    r = run_sh("cd '%s' && grep -h '\"run_id\"' outb/TACIP/nightly/latest/manifest.json "
               "outb2/TACIP/nightly/latest/manifest.json | sort -u | wc -l && cd b && "
               "sha256sum a.sqlite a.sqlite-wal | cmp - ../sums && echo same", dir);
    assert_string_equal(r.out, "1\nsame\n");
    run_result_free(&r);
    free(id1);
    free(db);
    free(dir);
}

/* The SQLite file change counter (header bytes 24-27): one per write
 * transaction. */
static long change_counter(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char h[28];
    assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
    fclose(f);
    return (long)h[24] << 24 | (long)h[25] << 16 | (long)h[26] << 8 | h[27];
}

/* A nightly run whose DM has every column NULL: thousands of error
 * findings, every subject left out. The exclusions are one transaction
 * (they were one per statement: an fsync each, 15 minutes and more for
 * 250 subjects). */
static void test_nightly_exclusions_one_transaction(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-nulldm");
    char *db = demo(dir, "d.sqlite", "--subjects 10 --controls 5 --status 'SOFT LOCK'");
    run_result r = run_sh("cols=$(sqlite3 '%s' \"SELECT group_concat(name || '=NULL') FROM "
                          "pragma_table_info('DM')\") && sqlite3 '%s' \"UPDATE DM SET $cols\"",
                          db, db);
    sh_ok("NULL DM", r);
    r = run_tlfgen("run --db '%s' --profile nightly --out '%s/out' --quiet", db, dir);
    sh_ok("nightly run", r);
    char *adam = xasprintf("%s/out/TACIP/nightly/latest/adam.sqlite", dir);
    r = run_sh("sqlite3 '%s' 'SELECT count(*) > 1000, count(DISTINCT USUBJID) FROM EXCLUSIONS'",
               adam);
    assert_string_equal(r.out, "1|15\n");
    run_result_free(&r);
    long n = change_counter(adam);
    if (n > 20)
        fail_msg("adam.sqlite was written in %ld transactions (one per stage expected)", n);
    free(adam);
    free(db);
    free(dir);
}

/* A full disk (RLIMIT_FSIZE, SIGXFSZ ignored) while writing the derived
 * datasets is exit 6 naming the file, not exit 1 "internal error". */
static void test_full_disk_in_derive(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-full");
    char *db = demo(dir, "demo.sqlite", "");
    run_result r = run_sh("trap '' XFSZ; ulimit -f 64; exec '%s' derive --db '%s' --out '%s/adam.sqlite'",
                          TLFGEN_BIN, db, dir);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "tlfgen derive: "));
    /* which file (SQLite's own message names none) */
    assert_non_null(strstr(r.err, "adam.sqlite"));
    assert_non_null(strstr(r.err, "cannot write the derived datasets"));
    one_line(r.err);
    run_result_free(&r);
    r = run_sh("ls -A '%s' | grep -v demo.sqlite | wc -l", dir);
    assert_string_equal(r.out, "0\n");   /* no half-written file */
    run_result_free(&r);
    free(db);
    free(dir);
}

/* A PDF that cannot be written says why (errno), and a full device is
 * noticed (libharu ignored fclose's result). */
static void test_pdf_write_errors_say_why(void **state)
{
    (void)state;
    char *tpl = test_source_path("tests/fixtures/layout/t_summary.json");
    char *ard = test_source_path("tests/fixtures/layout/ard.csv");
    run_result r = run_tlfgen("render --template '%s' --ard '%s' --out /dev/full", tpl, ard);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "No space left on device"));
    run_result_free(&r);
    r = run_tlfgen("render --template '%s' --ard '%s' --out /nonexistent-dir/x.pdf", tpl, ard);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "No such file or directory"));
    run_result_free(&r);
    free(tpl);
    free(ard);
}

/* A real directory named `latest` is refused before any work: exit 6,
 * nothing published, no .latest.tmp, the directory untouched. */
static void test_latest_directory(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-latest");
    char *db = demo(dir, "demo.sqlite", "");
    run_result r = run_sh("mkdir -p '%s/out/TACIP/nightly/latest' && touch "
                          "'%s/out/TACIP/nightly/latest/keep'", dir, dir);
    sh_ok("latest dir", r);
    r = run_tlfgen("run --db '%s' --profile nightly --out '%s/out' --quiet", db, dir);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "is a directory, not the symbolic link"));
    one_line(r.err);
    run_result_free(&r);
    r = run_sh("ls -A '%s/out/TACIP/nightly'; ls '%s/out/TACIP/nightly/latest'", dir, dir);
    assert_string_equal(r.out, "latest\nkeep\n");
    run_result_free(&r);
    free(db);
    free(dir);
}

/* check and run answer alike: a STUDYID the run refuses, a missing
 * DBSTATUS and a missing table are exit 3 for both and for every profile
 * (check said 0 and 5; nightly said 3 where csr said 5). */
static void test_check_answers_as_run(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-check");
    char *db = demo(dir, "demo.sqlite", "");
    run_result r = run_sh("cp '%s' '%s/nostatus.sqlite' && sqlite3 '%s/nostatus.sqlite' "
                          "'DROP TABLE DBSTATUS' && sqlite3 '%s' "
                          "\"UPDATE DBSTATUS SET STUDYID = 'A/B'\"", db, dir, dir, db);
    sh_ok("databases", r);
    r = run_tlfgen("check --db '%s'", db);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "column STUDYID cannot name a folder"));
    run_result_free(&r);
    r = run_tlfgen("run --db '%s' --out '%s/out' --quiet", db, dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "column STUDYID cannot name a folder"));
    run_result_free(&r);
    r = run_tlfgen("check --db '%s/nostatus.sqlite'", dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "table DBSTATUS must hold exactly one row"));
    run_result_free(&r);
    r = run_tlfgen("run --db '%s/nostatus.sqlite' --out '%s/out' --quiet", dir, dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "table DBSTATUS must hold exactly one row"));
    run_result_free(&r);
    r = run_sh("cp '%s' '%s/noae.sqlite' && sqlite3 '%s/noae.sqlite' \"UPDATE DBSTATUS SET "
               "STUDYID = 'TACIP'\" 'DROP TABLE AE'", db, dir, dir);
    sh_ok("no AE", r);
    const char *cmds[] = {"check --db '%s/noae.sqlite'",
                          "run --db '%s/noae.sqlite' --out '%s/out' --quiet",
                          "run --db '%s/noae.sqlite' --out '%s/out' --profile nightly --quiet"};
    for (size_t i = 0; i < 3; i++) {
        r = run_tlfgen(cmds[i], dir, dir);
        if (r.status != 3 || !strstr(r.err, "table AE is missing"))
            fail_msg("'%s': exit %d, %s", cmds[i], r.status, r.err);
        run_result_free(&r);
    }
    free(db);
    free(dir);
}

/* No subject in the full analysis set (docs/reliability.md): a DSMB packet
 * at the first enrolment is published with n = 0 (it stopped with exit 2);
 * the csr refuses: from DBSTATUS's cut-off a data issue (exit 5, it said
 * 2), from --cutoff a usage error (exit 2, test_messages). */
static void test_no_fas_subject(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-nofas");
    char *db = demo(dir, "demo.sqlite", "");
    run_result r = run_tlfgen("run --db '%s' --profile dsmb --cutoff 1990-01-01 --out '%s/out' "
                              "--quiet", db, dir);
    if (r.status != 0)
        fail_msg("dsmb without a FAS subject: exit %d, %s", r.status, r.err);
    run_result_free(&r);
    r = run_tlfgen("verify --quiet '%s/out/TACIP/dsmb/latest'", dir);
    sh_ok("verify", r);
    r = run_sh("pdftotext '%s/out/TACIP/dsmb/latest/14.1.4.pdf' - | grep -c -F '(N=0)'", dir);
    if (atoi(r.out) < 1)
        fail_msg("14.1.4 (full analysis set) of the DSMB packet does not say N=0");
    run_result_free(&r);
    r = run_sh("cp '%s' '%s/early.sqlite' && sqlite3 '%s/early.sqlite' "
               "\"UPDATE DBSTATUS SET CUTOFFDTC = '1990-01-01'\"", db, dir, dir);
    sh_ok("early cut-off", r);
    r = run_tlfgen("run --db '%s/early.sqlite' --out '%s/csr' --quiet", dir, dir);
    assert_int_equal(r.status, 5);
    assert_non_null(strstr(r.err, "leaves no subject in the full analysis set"));
    one_line(r.err);
    run_result_free(&r);
    free(db);
    free(dir);
}

/* An allocation failure at the end of a run (xmalloc ends the process
 * with exit 1): it said "failed" with the run already published (the
 * report's strings, the work folder's removal came after `latest`
 * switched). Now every allocation is made before the switch: at each of
 * the last allocations of a csr run either the run failed and `latest`
 * still names the previous run and no new folder is visible, or it
 * succeeded (exit 0) and the new run verifies. */
static void test_alloc_failure_after_publish(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-oom");
    char *db = demo(dir, "demo.sqlite", "");
    run_result r = run_tlfgen("run --db '%s' --out '%s/base' --jobs 1 --quiet", db, dir);
    sh_ok("first run", r);
    r = run_sh("rm -rf '%s/o' && cp -a '%s/base' '%s/o' && sleep 1 && TLFGEN_FAULT=count '%s' run "
               "--db '%s' --out '%s/o' --jobs 1 --quiet", dir, dir, dir, TLFGEN_BIN, db, dir);
    assert_int_equal(r.status, 0);
    const char *p = strstr(r.err, " alloc=");
    assert_non_null(p);
    long total = atol(p + 7);
    run_result_free(&r);
    int points = 0, published = 0;
    /* 14 points in Release; 4 under the sanitizers (a run takes 5-10 s there) */
    long stride = 3;
#if defined(__SANITIZE_ADDRESS__)
    stride = 10;
#endif
    for (long back = 0; back < 40; back += stride) {
        long k = total - back;
        r = run_sh("rm -rf '%s/o' && cp -a '%s/base' '%s/o' && TLFGEN_FAULT=alloc:%ld '%s' "
                   "run --db '%s' --out '%s/o' --jobs 1 --quiet", dir, dir, dir, k, TLFGEN_BIN, db,
                   dir);
        int status = r.status;
        char *err = xstrdup(r.err);
        run_result_free(&r);
        r = run_sh("readlink '%s/o/TACIP/csr/latest'; readlink '%s/base/TACIP/csr/latest'; "
                   "ls '%s/o/TACIP/csr' | wc -l", dir, dir, dir);
        char was[256] = "", now[256] = "";
        int nfolders = 0;
        sscanf(r.out, "%255s %255s %d", now, was, &nfolders);
        run_result_free(&r);
        points++;
        if (status == 0) {
            published++;
            if (strcmp(now, was) == 0)
                fail_msg("alloc:%ld: exit 0 but latest not switched", k);
            r = run_tlfgen("verify --quiet '%s/o/TACIP/csr/latest'", dir);
            if (r.status != 0)
                fail_msg("alloc:%ld: exit 0 and the run does not verify: %s", k, r.err);
            run_result_free(&r);
        } else {
            /* failed: nothing new visible, latest where it was */
            if (status != 1 || strcmp(now, was) != 0 || nfolders != 2)
                fail_msg("alloc:%ld: exit %d, latest %s (was %s), %d entries: %s", k, status, now,
                         was, nfolders, err);
        }
        free(err);
    }
    print_message("alloc failures at the last 40 allocations: %d points, %d absorbed (exit 0)\n",
                  points, published);
    free(db);
    free(dir);
}

/* derive waits --busy-timeout for a writer holding the input (it said
 * "not an SQLite database" at once): a short wait ends in exit 3 saying
 * the database is locked; a long enough one succeeds. */
static void test_derive_waits_for_a_writer(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-busy");
    char *db = demo(dir, "demo.sqlite", "");
    /* a writer holds an exclusive lock for 1.5 s */
    run_result r = run_sh("( (echo 'BEGIN EXCLUSIVE; UPDATE DM SET AGE = AGE;'; sleep 1.5; "
                          "echo 'ROLLBACK;') | sqlite3 '%s' & ) ; sleep 0.3; "
                          "'%s' derive --db '%s' --out '%s/a.sqlite' --busy-timeout 100",
                          db, TLFGEN_BIN, db, dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "locked by another process"));
    assert_null(strstr(r.err, "not an SQLite database"));
    run_result_free(&r);
    r = run_sh("sleep 1.5; ( (echo 'BEGIN EXCLUSIVE; UPDATE DM SET AGE = AGE;'; sleep 1; "
               "echo 'ROLLBACK;') | sqlite3 '%s' & ) ; sleep 0.3; "
               "'%s' derive --db '%s' --out '%s/b.sqlite' --busy-timeout 10000 >/dev/null",
               db, TLFGEN_BIN, db, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(db);
    free(dir);
}

/* Messages: a --cutoff before the first dose says so (it ended in a
 * template's missing-record message); a 5,000-character STUDYID keeps its
 * reason (it was cut before it); a profile that cannot be read has no
 * "(line -1)"; --quiet --verbose is a usage error. */
static void test_messages(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-msg");
    char *db = demo(dir, "demo.sqlite", "");
    run_result r = run_tlfgen("run --db '%s' --out '%s/out' --cutoff 1990-01-01 --quiet", db, dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "cut-off 1990-01-01 (--cutoff) leaves no subject in the full "
                              "analysis set"));
    one_line(r.err);
    run_result_free(&r);
    r = run_sh("cp '%s' '%s/long.sqlite' && sqlite3 '%s/long.sqlite' \"UPDATE DBSTATUS SET "
               "STUDYID = replace(hex(zeroblob(2500)), '00', 'AB')\"", db, dir, dir);
    sh_ok("long STUDYID", r);
    r = run_tlfgen("run --db '%s/long.sqlite' --out '%s/out' --quiet", dir, dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "cannot name a folder"));
    assert_non_null(strstr(r.err, "(5000 characters)"));
    one_line(r.err);
    run_result_free(&r);
    r = run_tlfgen("run --db '%s' --out '%s/out' --profile '%s/none.json' --quiet", db, dir, dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "none.json"));
    assert_null(strstr(r.err, "line -1"));
    run_result_free(&r);
    r = run_tlfgen("run --db '%s' --out '%s/out' --quiet --verbose", db, dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--quiet and --verbose"));
    run_result_free(&r);
    free(db);
    free(dir);
}

/* "waiting for the lock" only when another run holds it. */
static void test_lock_message_only_when_waiting(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-lockmsg");
    char *db = demo(dir, "demo.sqlite", "");
    char *prof = xasprintf("%s/small.json", dir);
    FILE *f = fopen(prof, "w");
    fputs("{\"name\": \"small\", \"allowed_status\": [\"HARD LOCK\"], \"stop_on_error\": true,"
          " \"outputs\": [\"14.1.1\"], \"paper\": \"A4\","
          " \"ci_transform\": \"log\", \"cox_ties\": \"breslow\"}", f);
    fclose(f);
    run_result r = run_tlfgen("run --db '%s' --profile '%s' --out '%s/out' --verbose", db, prof, dir);
    sh_ok("run", r);
    r = run_tlfgen("run --db '%s' --profile '%s' --out '%s/out' --verbose", db, prof, dir);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "waiting for the lock"));
    run_result_free(&r);
    /* another holder of the study lock for 1 s */
    r = run_sh("( flock '%s/out/TACIP/.tlfgen.lock' sleep 1 & ) ; sleep 0.3; "
               "'%s' run --db '%s' --profile '%s' --out '%s/out' --verbose", dir, TLFGEN_BIN,
               db, prof, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "waiting for the lock of study TACIP"));
    run_result_free(&r);
    free(prof);
    free(db);
    free(dir);
}

/* verify reports every problem of a folder, not only the first. */
static void test_verify_reports_all(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-verify");
    char *db = demo(dir, "demo.sqlite", "");
    char *prof = xasprintf("%s/small.json", dir);
    FILE *f = fopen(prof, "w");
    fputs("{\"name\": \"small\", \"allowed_status\": [\"HARD LOCK\"], \"stop_on_error\": true,"
          " \"outputs\": [\"14.1.1\", \"14.1.2\"], \"paper\": \"A4\","
          " \"ci_transform\": \"log\", \"cox_ties\": \"breslow\"}", f);
    fclose(f);
    run_result r = run_tlfgen("run --db '%s' --profile '%s' --out '%s/out' --quiet", db, prof, dir);
    sh_ok("run", r);
    r = run_sh("cd '%s/out/TACIP/small/latest' && printf x >> ard.csv && rm 14.1.2.pdf", dir);
    sh_ok("plant", r);
    r = run_tlfgen("verify '%s/out/TACIP/small/latest'", dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "ard.csv: size"));
    assert_non_null(strstr(r.err, "14.1.2.pdf: missing"));
    assert_non_null(strstr(r.err, "2 problem(s)"));
    run_result_free(&r);
    free(prof);
    free(db);
    free(dir);
}

/* A run refused for its database status (exit 4) leaves no folder it
 * made; a template that cannot be read fails the run (exit 2, nothing
 * published) instead of being skipped. */
static void test_refusals_leave_nothing(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-refuse");
    char *db = demo(dir, "soft.sqlite", "--status 'SOFT LOCK'");
    run_result r = run_tlfgen("run --db '%s' --profile csr --out '%s/new/out' --quiet", db, dir);
    assert_int_equal(r.status, 4);
    run_result_free(&r);
    char *out = xasprintf("%s/new/out", dir);
    assert_int_not_equal(access(out, F_OK), 0);
    free(out);

    char *hard = demo(dir, "hard.sqlite", "");
    char *prof = xasprintf("%s/small.json", dir);
    FILE *f = fopen(prof, "w");
    fputs("{\"name\": \"small\", \"allowed_status\": [\"HARD LOCK\"], \"stop_on_error\": true,"
          " \"outputs\": [\"14.1.2\", \"14.1.1\"], \"paper\": \"A4\","
          " \"ci_transform\": \"log\", \"cox_ties\": \"breslow\"}", f);
    fclose(f);
    char *tpl = test_source_path("templates");
    r = run_sh("cp -r '%s' '%s/tpl' && rm '%s/tpl/t14_1_1.json'", tpl, dir, dir);
    sh_ok("templates", r);
    r = run_tlfgen("run --db '%s' --profile '%s' --templates '%s/tpl' --out '%s/out' --quiet", hard,
                   prof, dir, dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "output 14.1.1: template"));
    assert_non_null(strstr(r.err, "cannot be read"));
    run_result_free(&r);
    r = run_sh("ls -A '%s/out/TACIP/small' | grep -v -x latest | wc -l", dir);
    assert_string_equal(r.out, "0\n");
    run_result_free(&r);
    free(tpl);
    free(prof);
    free(hard);
    free(db);
    free(dir);
}

/* The io call count of a command (TLFGEN_FAULT=count). */
static long io_count(const char *err)
{
    const char *p = strstr(err, " io=");
    assert_non_null(p);
    return atol(p + 4);
}

/* Results that were not checked: a failed pruning of old runs (the last
 * file operation of a run, injected with core/fault.h) is said as a
 * warning after publishing; a failed 0600 chmod of a DSMB closed-packet
 * file fails the run (exit 6, nothing published). */
static void test_unchecked_results(void **state)
{
    (void)state;
    char *dir = test_tmpdir("rel-unchecked");
    char *db = demo(dir, "demo.sqlite", "--status 'SOFT LOCK'");
    char *prof = xasprintf("%s/keep1.json", dir);
    FILE *f = fopen(prof, "w");
    fputs("{\"name\": \"keep1\", \"allowed_status\": [\"SOFT LOCK\"], \"stop_on_error\": true,"
          " \"outputs\": [\"14.1.1\"], \"paper\": \"A4\", \"keep_runs\": 1,"
          " \"ci_transform\": \"log\", \"cox_ties\": \"breslow\"}", f);
    fclose(f);
    run_result r = run_tlfgen("run --db '%s' --profile '%s' --out '%s/out' --quiet", db, prof, dir);
    sh_ok("first run", r);
    r = run_sh("TLFGEN_FAULT=count '%s' run --db '%s' --profile '%s' --out '%s/out2' --quiet "
               "&& TLFGEN_FAULT=count '%s' run --db '%s' --profile '%s' --out '%s/out2' --quiet",
               TLFGEN_BIN, db, prof, dir, TLFGEN_BIN, db, prof, dir);
    assert_int_equal(r.status, 0);
    /* the second run of out2 prunes one old run: its last io call */
    const char *second = strstr(strstr(r.err, "fault counts") + 1, "fault counts");
    assert_non_null(second);
    long n = io_count(second);
    run_result_free(&r);
    r = run_sh("TLFGEN_FAULT=io:%ld '%s' run --db '%s' --profile '%s' --out '%s/out' --quiet",
               n, TLFGEN_BIN, db, prof, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "warning: published, but old runs were not pruned"));
    run_result_free(&r);

    /* dsmb: the first 0600 chmod is the io call after the files it guards;
     * try each io call until one fails a chmod: exit 6, nothing published */
    r = run_sh("TLFGEN_FAULT=count '%s' run --db '%s' --profile dsmb --out '%s/d0' --quiet",
               TLFGEN_BIN, db, dir);
    assert_int_equal(r.status, 0);
    long total = io_count(r.err);
    run_result_free(&r);
    int seen = 0;
    for (long k = 1; k <= total && !seen; k++) {
        r = run_sh("TLFGEN_FAULT=io:%ld '%s' run --db '%s' --profile dsmb --out '%s/d1' --quiet",
                   k, TLFGEN_BIN, db, dir);
        if (strstr(r.err, "cannot restrict to its owner")) {
            seen = 1;
            assert_int_equal(r.status, 6);
            run_result_free(&r);
            r = run_sh("ls -A '%s/d1/TACIP/dsmb' 2>/dev/null | grep -v -x latest | wc -l", dir);
            assert_string_equal(r.out, "0\n");
        }
        run_result_free(&r);
    }
    assert_true(seen);
    free(prof);
    free(db);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_input),
        cmocka_unit_test(test_wal_rows_change_the_run_id),
        cmocka_unit_test(test_nightly_exclusions_one_transaction),
        cmocka_unit_test(test_full_disk_in_derive),
        cmocka_unit_test(test_pdf_write_errors_say_why),
        cmocka_unit_test(test_latest_directory),
        cmocka_unit_test(test_check_answers_as_run),
        cmocka_unit_test(test_derive_waits_for_a_writer),
        cmocka_unit_test(test_no_fas_subject),
        cmocka_unit_test(test_alloc_failure_after_publish),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_lock_message_only_when_waiting),
        cmocka_unit_test(test_verify_reports_all),
        cmocka_unit_test(test_refusals_leave_nothing),
        cmocka_unit_test(test_unchecked_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
