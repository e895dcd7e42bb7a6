/* cmd_version.c - `tlfgen version`: the program version and its git commit. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "version.h"

#include <stdio.h>

int cmd_version(int argc, char **argv)
{
    static const cli_opt opts[] = {{NULL, NULL, NULL, 0}};
    cli_args a;
    int rc = cli_parse(&a, "version", "tlfgen version",
                       "Print the program version and the git commit it was built from.",
                       opts, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    printf("tlfgen %s (commit %s)\n", TLFGEN_VERSION, TLFGEN_GIT_COMMIT);
    cli_args_free(&a);
    return 0;
}
