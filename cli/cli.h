/* cli/cli.h: subcommands of the gdlimits program. Each returns the process exit
 * status: 0 success, 1 runtime failure (library error, divergence), 2 usage error
 * (bad flag or value: one line on stderr naming the flag). */
#ifndef GDL_CLI_H
#define GDL_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "args.h"

int cmd_train(int argc, char **argv);
int cmd_variance(int argc, char **argv);
int cmd_leap(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_claims(int argc, char **argv);
int cmd_check(int argc, char **argv);

/* Message helpers (cli/util.c). Both print ONE line "gdlimits <cmd>: ..." on stderr, with
 * control characters escaped (args.h gdl_args_sanitize). Numbers and flag tables: the
 * shared layer cli/args.h (library gdl_args, also used by benchmarks/bench_cli.c). */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_lib_error(const char *cmd, int status);  /* prints gdl_strerror_last(), returns 1 */

/* gdl_args_collect (args.h) for `gdlimits <cmd>`: -1 when the command goes on, else its exit
 * status: 0 after -h/--help (help(stdout) printed), 2 after a bad flag (cli_usage_error with the
 * hint "try gdlimits <cmd> --help"). */
int cli_collect(const char *cmd, const gdl_args_flag *flags, size_t nflags, int argc, char **argv,
                const char **positional, void (*help)(FILE *));

#endif
