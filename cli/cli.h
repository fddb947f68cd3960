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
int cmd_check(int argc, char **argv);

/* Message helpers (cli/util.c). Both print ONE line "gdlimits <cmd>: ..." on stderr, with
 * control characters escaped (args.h gdl_args_sanitize). Numbers and flag tables: the
 * shared layer cli/args.h (library gdl_args, also used by benchmarks/bench_cli.c). */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_lib_error(const char *cmd, int status);  /* prints gdl_strerror_last(), returns 1 */

#endif
