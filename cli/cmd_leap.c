/* placeholder until the owning module lands */
#include <stdio.h>
#include "cli.h"
int cmd_leap(int argc, char **argv) {
  (void)argc; (void)argv;
  fprintf(stderr, "gdlimits leap: not implemented yet\n");
  return 1;
}
