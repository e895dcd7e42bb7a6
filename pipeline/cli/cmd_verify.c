/* cmd_verify.c - `tlfgen verify RUNDIR`: re-hash a run folder against its manifest. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "run/manifest.h"

#include <stdio.h>

/* Every problem on its own line (a folder may have several). */
static void print_problem(void *user, const char *problem)
{
    (*(size_t *)user)++;
    fprintf(stderr, "tlfgen verify: %s\n", problem);
}

int cmd_verify(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"quiet", NULL, "print nothing on success", 0},
        {NULL, NULL, NULL, 0}};
    cli_args a;
    int rc = cli_parse(&a, "verify", "tlfgen verify [--quiet] RUNDIR",
                       "Re-hash every file of a run folder against its manifest.json:\n"
                       "any missing, changed or unlisted file fails (exit 2).",
                       opts, 1, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    if (a.npos != 1) {
        cli_args_free(&a);
        return cli_usage_error("verify", "missing RUNDIR");
    }
    tlf_err err;
    tlf_err_clear(&err);
    size_t n = 0;
    size_t nprob = 0;
    rc = manifest_verify_all(a.pos[0], &n, print_problem, &nprob, &err);
    if (rc == TLF_OK && !cli_get(&a, opts, "quiet"))
        printf("tlfgen verify: %s: %zu files match the manifest\n", a.pos[0], n);
    int status = 0;
    if (rc != TLF_OK && nprob && rc != TLF_EINTR) {
        fprintf(stderr, "tlfgen verify: %s: %zu problem(s) above; %zu files match the manifest\n",
                a.pos[0], nprob, n);
        status = tlf_exit_code(rc);
    } else if (rc != TLF_OK) {
        status = cli_fail("verify", &err);
    }
    cli_args_free(&a);
    return status;
}
