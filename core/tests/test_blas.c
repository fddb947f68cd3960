/* core.blas: cblas_dgemm must come from OpenBLAS, not from GSL's reference gslcblas.
 *
 * libgsl.so depends on libgslcblas.so, and `pkg-config --libs gsl` names it: with the
 * wrong link order every cblas_* call of gdlimits binds to the reference BLAS, about
 * 13x slower. Two checks guard the link order (DESIGN.md, "Pitfalls"):
 *   1. binding: the shared object that defines the cblas_dgemm this executable calls
 *      (dladdr on its address and on the global lookup dlsym(RTLD_DEFAULT)) has
 *      "openblas" in its path and not "gslcblas";
 *   2. throughput: at n = 512 (single thread) our cblas_dgemm runs at least
 *      GDL_BLAS_MIN_RATIO times faster than the reference dgemm measured in the same
 *      process (gslcblas's own cblas_dgemm, found with dlopen; a plain triple loop if
 *      gslcblas cannot be loaded). Ratios, not GFLOP/s, so the check is machine
 *      independent; best of several repetitions, so a busy machine slows both sides.
 * Controls: the same classifier applied to gslcblas's cblas_dgemm says "not OpenBLAS"
 * (so check 1 can fail), and both products agree to rounding (the timings compare the
 * same computation). */
#define _GNU_SOURCE 1 /* dladdr, RTLD_DEFAULT */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <criterion/criterion.h>

#include "gdl/error.h"
#include "gdl/report.h"

#include "gdl/rng.h"
#include "gdl_test.h"

#define GDL_BLAS_N 512
/* OpenBLAS single-threaded is ~13x gslcblas on this class of machine (DESIGN.md);
 * 4x leaves room for load noise and older CPUs while a wrong binding gives ~1x. */
#define GDL_BLAS_MIN_RATIO 4.0

typedef void (*dgemm_fn)(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE,
                         const enum CBLAS_TRANSPOSE, const blasint, const blasint,
                         const blasint, const double, const double *, const blasint,
                         const double *, const blasint, const double, double *,
                         const blasint);

/* Path of the shared object that defines the function at address p ("" if unknown). */
static const char *object_of(const void *p) {
  Dl_info info;
  memset(&info, 0, sizeof info);
  if (!p || !dladdr(p, &info) || !info.dli_fname) return "";
  return info.dli_fname;
}

/* 1 iff the path names OpenBLAS and not GSL's reference CBLAS. */
static int is_openblas(const char *path) {
  return strstr(path, "openblas") != NULL && strstr(path, "gslcblas") == NULL;
}

/* GSL's reference cblas_dgemm (already mapped: libgsl.so depends on it). */
static dgemm_fn reference_dgemm(const char **path) {
  static const char *names[] = {"libgslcblas.so.0", "libgslcblas.so"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) continue;
    void *sym = dlsym(h, "cblas_dgemm");
    if (sym) {
      *path = object_of(sym);
      dgemm_fn f;
      memcpy(&f, &sym, sizeof f);
      return f;
    }
  }
  *path = NULL;
  return NULL;
}

/* C = A B, row-major n x n, the plain i-k-j loop (used only without gslcblas). */
static void naive_dgemm(size_t n, const double *A, const double *B, double *C) {
  for (size_t i = 0; i < n * n; i++) C[i] = 0.0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < n; k++) {
      const double a = A[i * n + k];
      for (size_t j = 0; j < n; j++) C[i * n + j] += a * B[k * n + j];
    }
}

static double time_dgemm(dgemm_fn f, size_t n, const double *A, const double *B, double *C) {
  const double t0 = gdl_clock_seconds(GDL_CLOCK_WALL);
  if (f)
    f(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)n, (blasint)n, (blasint)n, 1.0, A,
      (blasint)n, B, (blasint)n, 0.0, C, (blasint)n);
  else
    naive_dgemm(n, A, B, C);
  return gdl_clock_seconds(GDL_CLOCK_WALL) - t0;
}

Test(blas, cblas_dgemm_binds_to_openblas) {
  const char *by_addr = object_of((const void *)&cblas_dgemm);
  const char *by_lookup = object_of(dlsym(RTLD_DEFAULT, "cblas_dgemm"));
  int pass = is_openblas(by_addr) && is_openblas(by_lookup);
  char params[512];
  snprintf(params, sizeof params, "dladdr(&cblas_dgemm)=%s; dlsym(RTLD_DEFAULT)=%s", by_addr,
           by_lookup);
  gdl_claim_record("PF", "blas_binding_openblas", pass ? 1.0 : 0.0, ">=", 1.0, pass, gdl_test_seed(),
                   params);
  cr_assert(is_openblas(by_addr),
            "cblas_dgemm (address) is defined in '%s', not in OpenBLAS: fix the link order "
            "(OpenBLAS before GSL, never -lgslcblas)", by_addr);
  cr_assert(is_openblas(by_lookup),
            "cblas_dgemm (global lookup) is defined in '%s', not in OpenBLAS", by_lookup);
  /* BLAS config string names OpenBLAS too */
  const char *cfg = openblas_get_config();
  cr_assert(cfg && strstr(cfg, "OpenBLAS"), "openblas_get_config() = '%s'", cfg ? cfg : "(null)");
}

/* Control of the binding check: it does reject gslcblas. */
Test(blas, binding_check_rejects_reference_blas) {
  const char *path = NULL;
  dgemm_fn ref = reference_dgemm(&path);
  if (!ref) cr_skip_test("libgslcblas.so.0 cannot be loaded: no reference BLAS to classify");
  cr_assert(!is_openblas(path) && strstr(path, "gslcblas"),
            "classifier accepted gslcblas's cblas_dgemm (%s) as OpenBLAS", path);
}

/* Under valgrind, code runs emulated (and OpenBLAS may pick a generic kernel): timings
 * say nothing about the binding. valgrind preloads its vgpreload_*.so. */
static int under_valgrind(void) {
  const char *p = getenv("LD_PRELOAD");
  return p && strstr(p, "vgpreload") != NULL;
}

Test(blas, dgemm_throughput_vs_reference) {
  if (under_valgrind())
    cr_skip_test("running under valgrind: throughput ratios are meaningless there (the binding "
                 "test still runs)");
  const size_t n = GDL_BLAS_N;
  const uint64_t s = gdl_test_seed();
  double *A = malloc(n * n * sizeof *A), *B = malloc(n * n * sizeof *B);
  double *C1 = malloc(n * n * sizeof *C1), *C2 = malloc(n * n * sizeof *C2);
  cr_assert(A && B && C1 && C2, "out of memory");
  gsl_rng *r = NULL;
  cr_assert(gdl_rng_alloc(s, "test_blas", 0, &r) == GDL_OK, "%s", gdl_strerror_last());
  gdl_rng_gaussian(r, 1.0, n * n, A);
  gdl_rng_gaussian(r, 1.0, n * n, B);
  gdl_rng_free(r);

  const char *refpath = NULL;
  dgemm_fn ref = reference_dgemm(&refpath);
  const char *refname = ref ? refpath : "naive i-k-j loop";

  /* Warm-up (OpenBLAS thread/buffer set-up, page faults), then interleaved best-of. */
  time_dgemm(cblas_dgemm, n, A, B, C1);
  double best_ob = INFINITY, best_ref = INFINITY;
  for (int rep = 0; rep < 3; rep++) {
    double t = time_dgemm(cblas_dgemm, n, A, B, C1);
    if (t < best_ob) best_ob = t;
    t = time_dgemm(ref, n, A, B, C2);
    if (t < best_ref) best_ref = t;
  }
  for (int rep = 0; rep < 4; rep++) {  /* OpenBLAS is cheap: a few more tries */
    double t = time_dgemm(cblas_dgemm, n, A, B, C1);
    if (t < best_ob) best_ob = t;
  }

  /* Same product (control: the two timings measure the same computation). */
  double maxdiff = 0.0, maxabs = 0.0;
  for (size_t i = 0; i < n * n; i++) {
    const double d = fabs(C1[i] - C2[i]);
    if (!(d <= maxdiff)) maxdiff = d;
    if (fabs(C2[i]) > maxabs) maxabs = fabs(C2[i]);
  }
  const double flop = 2.0 * (double)n * (double)n * (double)n;
  const double gf_ob = flop / best_ob * 1e-9, gf_ref = flop / best_ref * 1e-9;
  const double ratio = best_ref / best_ob;
  cr_log_info("dgemm n=%zu: cblas_dgemm (%s) %.2f GFLOP/s, reference (%s) %.2f GFLOP/s, "
              "ratio %.2f (bound >= %.1f)",
              n, object_of((const void *)&cblas_dgemm), gf_ob, refname, gf_ref, ratio,
              GDL_BLAS_MIN_RATIO);
  printf("dgemm n=%zu: ours %.2f GFLOP/s, reference %.2f GFLOP/s (%s), ratio %.2f\n", n, gf_ob,
         gf_ref, refname, ratio);
  fflush(stdout);

  cr_assert(isfinite(maxdiff) && maxdiff <= 1e-10 * (maxabs > 1 ? maxabs : 1),
            "cblas_dgemm and the reference disagree: max |diff| = %.3g (max |C| = %.3g)",
            maxdiff, maxabs);
  char params[256];
  snprintf(params, sizeof params, "n=%zu, single thread, best of 7 vs best of 3; ours %.2f GF/s, "
           "reference %.2f GF/s (%s)", n, gf_ob, gf_ref, refname);
  const int pass = ratio >= GDL_BLAS_MIN_RATIO;
  gdl_claim_record("PF", "dgemm_speedup_over_reference", ratio, ">=", GDL_BLAS_MIN_RATIO, pass,
                   s, params);
  cr_assert(pass,
            "dgemm throughput ratio (OpenBLAS / reference) at n=%zu: measured %.3f, bound >= %.1f, "
            "margin %.3f; ours %.2f GFLOP/s vs reference %.2f GFLOP/s: is cblas_dgemm bound "
            "to a reference BLAS?",
            n, ratio, GDL_BLAS_MIN_RATIO, ratio - GDL_BLAS_MIN_RATIO, gf_ob, gf_ref);
  free(A); free(B); free(C1); free(C2);
}
