/* gdlimits leap "POLY": leap complexity and merged-staircase property of a sparse
 * polynomial (exact; --brute also runs the brute force over orderings, <= 9 monomials). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "cli.h"
#include "gdl/boolean.h"
#include "gdl/error.h"
#include "gdl/target.h"

static void print_monomial(const gdl_monomial *t) {
  if (t->deg == 0) { printf("1"); return; }
  for (size_t k = 0; k < t->deg; k++) printf("%sx%zu", k ? "*" : "", t->vars[k] + 1);
}

static void leap_help(FILE *f) {
  fprintf(f, "usage: gdlimits leap [--brute] \"POLY\"     e.g. gdlimits leap \"x1 + x1*x2*x3\"\n"
             "  prints Leap = min over orderings of the monomials of the max number of new variables,\n"
             "  MSP yes/no (Leap <= 1), an optimal order and the coordinates reachable by staircase steps.\n"
             "  --brute   also compute the leap by brute force over all orderings (<= 9 monomials)\n");
}

int cmd_leap(int argc, char **argv) {
  const char *text = NULL, *poly_flag = NULL, *brute_s = NULL;
  const gdl_args_flag defs[] = {{"--poly", &poly_flag, 0}, {"--brute", &brute_s, 1}};
  int st = cli_collect("leap", defs, sizeof defs / sizeof defs[0], argc, argv, &text, leap_help);
  if (st >= 0) return st;
  const int brute = brute_s != NULL;
  if (text && poly_flag)
    return cli_usage_error("leap", "more than one polynomial given ('%s' and --poly '%s'): quote the polynomial", text,
                           poly_flag);
  if (poly_flag) text = poly_flag;
  if (!text) return cli_usage_error("leap", "missing polynomial, e.g. gdlimits leap \"x1 + x1*x2*x3\"");
  gdl_poly *p = NULL;
  int rc = gdl_poly_parse(text, &p);
  if (rc != GDL_OK) return cli_usage_error("leap", "polynomial '%s': %s", text, gdl_strerror_last());
  size_t L = 0, *order = malloc((p->nterms ? p->nterms : 1) * sizeof *order);
  int msp = 0;
  size_t nv = gdl_poly_nvars(p);
  int *reach = malloc((nv ? nv : 1) * sizeof *reach);
  if (!order || !reach) { free(order); free(reach); gdl_poly_free(p); fprintf(stderr, "gdlimits leap: out of memory\n"); return 1; }
  if ((rc = gdl_poly_leap(p, &L, order)) != GDL_OK || (rc = gdl_poly_has_msp(p, &msp)) != GDL_OK ||
      (rc = gdl_poly_reachable(p, nv, reach)) != GDL_OK) {
    free(order); free(reach); gdl_poly_free(p);
    return cli_lib_error("leap", rc);
  }
  char buf[4096];
  if (gdl_poly_format(p, buf, sizeof buf) == GDL_OK) printf("polynomial: %s\n", buf);
  printf("leap: %zu\n", L);
  printf("msp: %s\n", msp ? "yes" : "no");
  printf("order:");
  size_t nshown = 0;
  unsigned char *cov = calloc(nv ? nv : 1, 1);
  for (size_t i = 0; i < p->nterms; i++) {
    const gdl_monomial *t = &p->terms[order[i]];
    if (t->deg == 0 || t->coef == 0) continue;
    size_t nc = 0;
    for (size_t k = 0; k < t->deg; k++) nc += cov ? !cov[t->vars[k]] : 0;
    for (size_t k = 0; k < t->deg; k++) if (cov) cov[t->vars[k]] = 1;
    printf("%s", nshown++ ? " -> " : " ");
    print_monomial(t);
    printf(" (+%zu)", nc);
  }
  printf("%s\n", nshown ? "" : " (no non-constant monomial)");
  free(cov);
  printf("reachable:");
  size_t nr = 0;
  for (size_t j = 0; j < nv; j++)
    if (reach[j]) printf(" x%zu", j + 1), nr++;
  printf("%s\n", nr ? "" : " (none)");
  if (brute) {
    size_t Lb;
    rc = gdl_poly_leap_bruteforce(p, &Lb);
    if (rc != GDL_OK) { free(order); free(reach); gdl_poly_free(p); return cli_lib_error("leap", rc); }
    printf("leap (brute force over orderings): %zu%s\n", Lb, Lb == L ? "" : "  MISMATCH");
    if (Lb != L) rc = GDL_ENUMERIC;
  }
  free(order);
  free(reach);
  gdl_poly_free(p);
  return rc == GDL_OK ? 0 : 1;
}
