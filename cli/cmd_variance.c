/* placeholder until the owning module lands */
#include <stdio.h>
#include "cli.h"
int cmd_variance(int argc, char **argv) {
  (void)argc; (void)argv;
  fprintf(stderr, "gdlimits variance: not implemented yet\n");
  return 1;
}
