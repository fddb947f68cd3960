/* gdlimits: command-line front end of libgdl. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "gdl/report.h"

typedef struct { const char *name; int (*fn)(int, char **); const char *help; } subcmd;

static const subcmd cmds[] = {
  {"train", cmd_train, "one training run from flags; writes the learning curve (CSV + JSON)"},
  {"variance", cmd_variance, "exact class-gradient variance of a hard class and its bound"},
  {"leap", cmd_leap, "leap and merged-staircase property of a sparse polynomial"},
  {"align", cmd_align, "alignment lambda and cross-predictability of a polynomial on B_n"},
  {"check", cmd_check, "run one claim's experiment at your parameters: measured vs predicted, PASS/FAIL"},
  {"claims", cmd_claims, "the claims checked, with their tests, figures and documents"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: gdlimits <command> [flags]   (gdlimits <command> --help)\n\ncommands:\n");
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
  fprintf(f, "\ngdlimits %s (%s)\n", gdl_version(), gdl_git_describe());
}

/* A command's output that could not be written (a full disk, a closed pipe, /dev/full) is a
 * failure: exit 1 with a message, never 0. */
static int finish(const char *cmd, int status) {
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "gdlimits %s: writing the output to stdout failed: %s\n", cmd, strerror(errno));
    return status ? status : 1;
  }
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2) { usage(stderr); return 2; }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return finish("help", 0);
  }
  if (!strcmp(argv[1], "--version")) {
    printf("gdlimits %s (%s)\n", gdl_version(), gdl_git_describe());
    return finish("--version", 0);
  }
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    if (!strcmp(argv[1], cmds[i].name)) return finish(cmds[i].name, cmds[i].fn(argc - 1, argv + 1));
  fprintf(stderr, "gdlimits: unknown command '%s' (try gdlimits --help)\n", argv[1]);
  return 2;
}
