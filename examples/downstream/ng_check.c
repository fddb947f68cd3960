/* ng_check.c: a downstream claim check written against the installed libgdl.
 *
 * The key inequality behind the noisy-GD bound of [AB22] (gdl/alignment.h): for any net
 * f_theta on {-1,1}^n and any target f, with G = B_n the signed permutations,
 *   G(theta) = E_g || E_x[(f o g - fbar)(x) grad_theta f_theta(x)] ||^2
 *            <= lambda_{B_n}(f) * sum_i ||d_i f_theta||^2.
 * We pick our own target (a polynomial of our choosing, GDL_DOWNSTREAM_POLY overrides it),
 * our own net (depth 3, tanh), and check it; as a control, a target concentrated on
 * level 1 has lambda = ||f - fbar||^2 / n, so the same check with lambda divided by 100
 * must fail for it (the inequality is not vacuous). A third test checks that this
 * program's cblas_dgemm is OpenBLAS (the exported link order works downstream). */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <criterion/criterion.h>
#include "gdl/gdl.h"

static void check(int rc, const char *what) { cr_assert(rc == GDL_OK, "%s: %s", what, gdl_strerror_last()); }

/* G(theta) and lambda * sum_i ||d_i f||^2 for the polynomial text on n inputs. */
static void ratio(const char *poly, unsigned n, double *G, double *rhs) {
  gdl_poly *p = NULL;
  check(gdl_poly_parse(poly, &p), "parse");
  gdl_align a;
  check(gdl_align_bn_poly(p, n, &a), "align");
  size_t N = (size_t)1 << n;
  double *X = malloc(N * n * sizeof *X), *y = malloc(N * sizeof *y), *fh = malloc(N * sizeof *fh),
         *W = calloc(n + 1, sizeof *W);
  cr_assert(X && y && fh && W);
  for (size_t i = 0; i < N; i++) /* the cube index convention of gdl/boolean.h */
    for (unsigned k = 0; k < n; k++) X[i * n + k] = (i >> k & 1) ? -1.0 : 1.0;
  check(gdl_poly_eval(p, N, X, n, y), "eval");
  check(gdl_fourier(y, n, fh), "fourier");
  check(gdl_level_weights(fh, n, W), "levels");
  size_t hidden[] = {16, 8};
  gdl_net_spec spec;
  check(gdl_net_spec_mlp(&spec, n, 2, hidden, 1, GDL_ACT_TANH, 1), "spec");
  gdl_net *net = NULL;
  check(gdl_net_create(&spec, &net), "net");
  gsl_rng *r = NULL;
  check(gdl_rng_alloc(20221103, "downstream", 0, &r), "rng");
  check(gdl_net_init_default(net, r), "init");
  double gradsq = 0;
  check(gdl_ng_G(net, n, W, G, &gradsq), "G");
  *rhs = a.lambda * gradsq;
  gsl_rng_free(r);
  gdl_net_free(net);
  gdl_poly_free(p);
  free(X);
  free(y);
  free(fh);
  free(W);
}

Test(downstream, ng_G_below_lambda_times_gradient_norm) {
  const char *poly = getenv("GDL_DOWNSTREAM_POLY");
  if (!poly || !*poly) poly = "x1*x2*x3*x4*x5 + 0.5*x2*x4*x6*x8*x10";
  double G, rhs;
  ratio(poly, 10, &G, &rhs);
  cr_log_info("G = %.6g <= lambda * sum ||d_i f||^2 = %.6g", G, rhs);
  cr_assert(G > 0 && G <= rhs * (1 + 1e-12), "G = %.6g > lambda * gradsq = %.6g", G, rhs);
}

Test(downstream, control_the_inequality_is_not_vacuous) {
  double G, rhs;
  ratio("x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10", 10, &G, &rhs);
  cr_assert(G > rhs / 100, "G = %.6g is far below lambda * gradsq = %.6g: the check could not fail", G, rhs);
}

Test(downstream, cblas_dgemm_is_openblas) {
  Dl_info info;
  memset(&info, 0, sizeof info);
  void *sym = dlsym(RTLD_DEFAULT, "cblas_dgemm");
  cr_assert(sym && dladdr(sym, &info) && info.dli_fname, "cblas_dgemm not found");
  cr_assert(strstr(info.dli_fname, "openblas") && !strstr(info.dli_fname, "gslcblas"),
            "cblas_dgemm binds to %s, not OpenBLAS", info.dli_fname);
}
