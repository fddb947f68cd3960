/* gdlimits claims [ID|FAMILY...]: the claims gdlimits checks (gdl/claims.h), with the ctest
 * entries that assert them, their figure families and where the statements are proved. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "cli.h"
#include "gdl/claims.h"

static int claims_help(FILE *f) {
  fprintf(f, "usage: gdlimits claims [--brief] [ID|FAMILY ...]     e.g. gdlimits claims NG1, gdlimits claims GV\n"
             "  lists every claim (or the named claims / families: EQ AL NG WL MS GV SH PF) with its\n"
             "  one-line statement, the ctest entries that assert it (ctest --test-dir build -R <test>),\n"
             "  the figure family (cmake --build build --target figure-<family>) and its document.\n"
             "  --brief   one line per claim: id and statement\n");
  return f == stdout ? 0 : 2;
}

static void print_family(const gdl_claim_family *f, int brief, const char *only) {
  if (!brief) printf("%s: %s\n  tests: %s\n  figure families: %s\n  document: %s\n", f->prefix, f->title,
                     f->tests, f->families, f->doc);
  for (size_t i = 0; i < GDL_NCLAIMS; i++) {
    const gdl_claim_info *c = &gdl_claim_table[i];
    if (strncasecmp(c->id, f->prefix, 2) || (only && strcasecmp(c->id, only))) continue;
    printf(brief ? "%-4s %s\n" : "  %-4s %s\n", c->id, c->statement);
  }
  if (!brief) printf("\n");
}

int cmd_claims(int argc, char **argv) {
  int brief = 0, nsel = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return claims_help(stdout);
    if (!strcmp(a, "--brief")) { brief = 1; continue; }
    if (a[0] == '-') return cli_usage_error("claims", "unknown flag '%s' (try gdlimits claims --help)", a);
    /* validate every name before printing anything */
    if (!gdl_claim_find(a) && !(strlen(a) == 2 && gdl_claim_family_of(a)))
      return cli_usage_error("claims", "no claim or family '%s' (families: EQ AL NG WL MS GV SH PF)", a);
    nsel++;
  }
  if (nsel == 0) {
    for (size_t f = 0; f < GDL_NCLAIM_FAMILIES; f++) print_family(&gdl_claim_family_table[f], brief, NULL);
    return 0;
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-') continue;
    const gdl_claim_info *c = gdl_claim_find(a);
    print_family(gdl_claim_family_of(a), brief, c ? c->id : NULL);
  }
  return 0;
}
