/* test_profile.c - run profiles: the shipped ones load, bad ones are named. */
#include "testutil.h"
#include "core/mem.h"
#include "run/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *config_dir(void)
{
    return test_source_path("config");
}

static void test_shipped_profiles_load(void **state)
{
    (void)state;
    char *dir = config_dir();
    run_profile *p = NULL;
    tlf_err err;
    assert_int_equal(run_profile_load(&p, dir, "csr", &err), TLF_OK);
    assert_string_equal(p->name, "csr");
    assert_true(run_profile_allows_status(p, "HARD LOCK"));
    assert_false(run_profile_allows_status(p, "SOFT LOCK"));
    assert_false(run_profile_allows_status(p, "OPEN"));
    assert_true(p->stop_on_error);
    assert_true(run_profile_selects(p, "14.2.1.1"));
    assert_string_equal(p->ci_transform, "loglog");
    assert_int_equal(p->bootstrap_resamples, 2000);
    assert_true(p->format_rtf);            /* csr: PDF and RTF */
    run_profile_free(p);

    assert_int_equal(run_profile_load(&p, dir, "dsmb", &err), TLF_OK);
    assert_true(run_profile_allows_status(p, "SOFT LOCK"));
    assert_false(run_profile_allows_status(p, "OPEN"));
    assert_int_equal(p->n_open_packet, 4);
    run_profile_free(p);

    assert_int_equal(run_profile_load(&p, dir, "nightly", &err), TLF_OK);
    assert_true(run_profile_allows_status(p, "OPEN"));
    assert_false(p->stop_on_error);
    assert_true(run_profile_selects(p, "DI"));
    assert_false(run_profile_selects(p, "14.2.1.1"));
    assert_int_equal(p->keep_runs, 30);
    assert_false(p->format_rtf);           /* no "formats": PDF only */
    run_profile_free(p);
    free(dir);
}

static void expect_error(const char *json, const char *needle)
{
    char *dir = test_tmpdir("profile");
    char *path = xasprintf("%s/site.json", dir);
    FILE *f = fopen(path, "w");
    fputs(json, f);
    fclose(f);
    run_profile *p = NULL;
    tlf_err err;
    assert_int_equal(run_profile_load(&p, "/unused", path, &err), TLF_EUSAGE);
    assert_null(p);
    if (!strstr(err.msg, needle) || !strstr(err.msg, "site.json"))
        fail_msg("message '%s' lacks '%s'", err.msg, needle);
    free(path);
    free(dir);
}

#define BASE "\"name\":\"site\",\"allowed_status\":[\"OPEN\"],\"stop_on_error\":false," \
             "\"outputs\":[\"all\"],\"paper\":\"A4\",\"ci_transform\":\"log\",\"cox_ties\":\"efron\""

static void test_bad_profiles_are_named(void **state)
{
    (void)state;
    expect_error("{" BASE ",\"colour\":1}", "unknown key \"colour\"");
    /* the analysis period is the study's (config/study.json) */
    expect_error("{" BASE ",\"landmark_day\":365}", "belongs in the study configuration");
    expect_error("{" BASE ",\"cox_min_events\":\"5\"}", "\"cox_min_events\": expected an integer");
    expect_error("{\"name\":\"x\",\"allowed_status\":[\"LOCKED\"],\"stop_on_error\":true,"
                 "\"outputs\":[\"all\"],\"paper\":\"A4\",\"ci_transform\":\"log\",\"cox_ties\":\"efron\"}",
                 "\"allowed_status[0]\": \"LOCKED\" is not one of");
    expect_error("{\"name\":\"x\",\"allowed_status\":[\"OPEN\"],\"stop_on_error\":true,"
                 "\"outputs\":[\"all\"],\"paper\":\"A5\",\"ci_transform\":\"log\",\"cox_ties\":\"efron\"}",
                 "\"paper\": \"A5\" is not one of \"A4\", \"letter\"");
    expect_error("{" BASE ",\"packets\":{\"secret\":[\"x\"]}}", "unknown key \"packets.secret\"");
    expect_error("{" BASE, "site.json");   /* malformed JSON */
    expect_error("{" BASE ",\"formats\":[\"pdf\",\"docx\"]}",
                 "\"formats[1]\": \"docx\" is not one of \"pdf\", \"rtf\"");
    expect_error("{" BASE ",\"formats\":[\"rtf\"]}", "\"formats\": must include \"pdf\"");
    expect_error("{" BASE ",\"formats\":[\"pdf\",\"rtf\",\"rtf\"]}", "\"rtf\" given twice");
    expect_error("{" BASE ",\"formats\":\"rtf\"}", "\"formats\": expected a non-empty array");
}

static void test_site_profile_by_path(void **state)
{
    (void)state;
    char *dir = test_tmpdir("profile-site");
    char *path = xasprintf("%s/mysite.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{" BASE ",\"keep_runs\":3,\"formats\":[\"rtf\",\"pdf\"]}", f);
    fclose(f);
    run_profile *p = NULL;
    tlf_err err;
    assert_int_equal(run_profile_load(&p, "/unused", path, &err), TLF_OK);
    assert_string_equal(p->name, "site");
    assert_int_equal(p->keep_runs, 3);
    assert_int_equal(p->cox_min_events, 5);   /* default */
    assert_true(p->format_rtf);
    run_profile_free(p);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_profiles_load),
        cmocka_unit_test(test_bad_profiles_are_named),
        cmocka_unit_test(test_site_profile_by_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
