/* cmd_version.c - `tlfgen version`: the program version, its git commit and
 * the data folder it uses (so an installation can be checked at a glance). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "version.h"

#include <stdio.h>

int cmd_version(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_DATA_DIR_OPT, {NULL, NULL, NULL, 0}};
    cli_args a;
    int rc = cli_parse(&a, "version", "tlfgen version [--data-dir DIR]",
                       "Print the program version, the git commit it was built from and the\n"
                       "data folder (templates, fonts, config) with how it was found. Exit\n"
                       "status 3 when no data folder is found.",
                       opts, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    printf("tlfgen %s (commit %s)\n", TLFGEN_VERSION, TLFGEN_GIT_COMMIT);
    fflush(stdout);
    tlf_datadir dd;
    int status = cli_data_dir(&dd, "version", cli_get(&a, opts, "data-dir"));
    if (status == 0)
        printf("data: %s (%s)\n", dd.path, dd.how);
    tlf_datadir_free(&dd);
    cli_args_free(&a);
    return status;
}
