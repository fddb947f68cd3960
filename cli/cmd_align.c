/* placeholder until the owning module lands */
#include <stdio.h>
#include "cli.h"
int cmd_align(int argc, char **argv) {
  (void)argc; (void)argv;
  fprintf(stderr, "gdlimits align: not implemented yet\n");
  return 1;
}
