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

int cli_lib_error(const char *cmd, int status) {
  char msg[1024];
  gdl_args_sanitize(msg, sizeof msg, gdl_strerror_last());
  fprintf(stderr, "gdlimits %s: %s (%s)\n", cmd, msg, gdl_status_name(status));
  return 1;
}
