/* cli/cli.h: subcommands of the gdlimits program. Each returns the process exit
 * status: 0 success, 1 runtime failure (library error, divergence), 2 usage error
 * (bad flag or value: one line on stderr naming the flag). */
#ifndef GDL_CLI_H
#define GDL_CLI_H

#include <stddef.h>
#include <stdint.h>

int cmd_train(int argc, char **argv);
int cmd_variance(int argc, char **argv);
int cmd_leap(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_claims(int argc, char **argv);

/* Shared helpers (cli/util.c). All print one line "gdlimits <cmd>: ..." on error. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_lib_error(const char *cmd, int status);  /* prints gdl_strerror_last(), returns 1 */
/* Strict number parsing: whole string, finite, within [lo, hi]. 0 ok, -1 bad. */
int cli_parse_double(const char *s, double lo, double hi, double *out);
int cli_parse_size(const char *s, size_t lo, size_t hi, size_t *out);
int cli_parse_u64(const char *s, uint64_t *out);

#endif
