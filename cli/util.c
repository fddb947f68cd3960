/* cli/util.c: the gdlimits message helpers (cli.h), on top of the shared layer (args.h). */
#include <stdarg.h>
#include <stdio.h>
#include "args.h"
#include "cli.h"
#include "gdl/error.h"

int cli_usage_error(const char *cmd, const char *fmt, ...) {
  char prefix[64];
  snprintf(prefix, sizeof prefix, "gdlimits %s", cmd);
  va_list ap;
  va_start(ap, fmt);
  gdl_args_vprint(stderr, prefix, NULL, fmt, ap);
  va_end(ap);
  return 2;
}

int cli_collect(const char *cmd, const gdl_args_flag *flags, size_t nflags, int argc, char **argv,
                const char **positional, void (*help)(FILE *)) {
  char err[512];
  int st = gdl_args_collect(flags, nflags, argc, argv, positional, err, sizeof err);
  if (st == 1) {
    help(stdout);
    return 0;
  }
  if (st < 0) return cli_usage_error(cmd, "%s (try gdlimits %s --help)", err, cmd);
  return -1;
}

int cli_lib_error(const char *cmd, int status) {
  char msg[1024];
  gdl_args_sanitize(msg, sizeof msg, gdl_strerror_last());
  fprintf(stderr, "gdlimits %s: %s (%s)\n", cmd, msg, gdl_status_name(status));
  return 1;
}
