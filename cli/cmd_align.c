/* gdlimits align --n N --poly "POLY": alignment of the B_n orbit of a sparse polynomial on
 * {-1,+1}^n (CLAIMS.md AL): fbar, lambda = max_j W_j/C(n,j), CP = sum_j W_j^2/C(n,j),
 * ||f - fbar||^2, exact from the coefficients (no enumeration; any n up to 2^20).
 * --check (n <= 12) also evaluates f on all points and runs the brute force over k-subsets. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "cli.h"
#include "gdl/domain.h"
#include "gdl/error.h"
#include "gdl/alignment.h"
#include "gdl/measure.h"
#include "gdl/target.h"

static void align_help(FILE *f) {
  fprintf(f, "usage: gdlimits align --poly \"POLY\" [--n N] [--check]\n"
             "  e.g. gdlimits align --n 12 --poly \"x1*x2*x3\"\n"
             "  --poly P   sparse polynomial in x1..xn (monomials are parities on the cube)\n"
             "  --n N      dimension (default: the largest variable index of P)\n"
             "  --check    n <= 12: also compute by brute force over k-subsets from all 2^n values\n");
}

int cmd_align(int argc, char **argv) {
  const char *text = NULL, *n_s = NULL, *check_s = NULL;
  size_t n = 0;
  const gdl_args_flag defs[] = {{"--poly", &text, 0}, {"--n", &n_s, 0}, {"--check", &check_s, 1}};
  int st = cli_collect("align", defs, sizeof defs / sizeof defs[0], argc, argv, NULL, align_help);
  if (st >= 0) return st;
  const int have_n = n_s != NULL, check = check_s != NULL;
  if (have_n && gdl_args_size(n_s, 1, (size_t)1 << 20, &n))
    return cli_usage_error("align", "--n: '%s' is not an integer in [1, 1048576]", n_s);
  if (!text) return cli_usage_error("align", "--poly is required, e.g. --poly \"x1*x2*x3\"");
  gdl_poly *p = NULL;
  int rc = gdl_poly_parse(text, &p);
  if (rc != GDL_OK) return cli_usage_error("align", "--poly '%s': %s", text, gdl_strerror_last());
  size_t nv = gdl_poly_nvars(p);
  if (!have_n) n = nv ? nv : 1;
  if (n < nv) {
    gdl_poly_free(p);
    return cli_usage_error("align", "--n %zu is smaller than the polynomial's largest variable x%zu", n, nv);
  }
  if (check && n > 12) {
    gdl_poly_free(p);
    return cli_usage_error("align", "--check needs --n <= 12 (got %zu)", n);
  }
  gdl_align a;
  if ((rc = gdl_align_bn_poly(p, n, &a)) != GDL_OK) { gdl_poly_free(p); return cli_lib_error("align", rc); }
  char buf[4096];
  if (gdl_poly_format(p, buf, sizeof buf) == GDL_OK) printf("polynomial: %s\n", buf);
  printf("n: %zu\n", n);
  printf("fbar: %.12g\n", a.fbar);
  printf("lambda: %.12g\n", a.lambda);
  printf("sqrt_lambda: %.12g\n", sqrt(a.lambda));
  printf("lambda_level: %zu\n", a.level);
  printf("CP: %.12g\n", a.cp);
  printf("dist2: %.12g   (||f - fbar||^2)\n", a.dist2);
  if (check) {
    size_t N = (size_t)1 << n;
    gdl_domain d;
    double *X = malloc(N * n * sizeof *X), *f = malloc(N * sizeof *f);
    gdl_align b;
    if (!X || !f) rc = gdl_fail(GDL_ENOMEM, "out of memory");
    if (rc == GDL_OK) rc = gdl_domain_cube(n, &d);
    if (rc == GDL_OK) rc = gdl_domain_enumerate(&d, X, NULL, NULL);
    if (rc == GDL_OK) rc = gdl_poly_eval(p, N, X, n, f);
    if (rc == GDL_OK) rc = gdl_align_bn_bruteforce(f, (unsigned)n, &b);
    free(X);
    free(f);
    if (rc != GDL_OK) { gdl_poly_free(p); return cli_lib_error("align", rc); }
    double e = fmax(fabs(a.lambda - b.lambda) / fmax(b.lambda, 1e-300), fabs(a.cp - b.cp) / fmax(b.cp, 1e-300));
    if (b.lambda == 0 && a.lambda == 0) e = 0;
    printf("bruteforce_lambda: %.12g\nbruteforce_CP: %.12g\nmax_rel_diff: %.3g\n", b.lambda, b.cp, e);
    if (!(e <= 1e-10)) { gdl_poly_free(p); fprintf(stderr, "gdlimits align: formula and brute force disagree (%.3g)\n", e); return 1; }
  }
  gdl_poly_free(p);
  return 0;
}
