/* stats.c: means, least-squares fits, two-sample KS, cross-fitted norms, message helper. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include "gdl/error.h"
#include "gdl/stats.h"

int gdl_mean_se(size_t n, const double *x, double *mean, double *se) {
  GDL_CHECK_ARG(x != NULL, "gdl_mean_se: x is NULL");
  GDL_CHECK_ARG(n >= 1, "gdl_mean_se: n = 0");
  GDL_CHECK_ARG(se == NULL || n >= 2, "gdl_mean_se: the standard error needs n >= 2");
  /* Welford, numerically stable. */
  double m = 0.0, s2 = 0.0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i])) return gdl_fail(GDL_EINVAL, "gdl_mean_se: x[%zu] is not finite", i);
    double d = x[i] - m;
    m += d / (double)(i + 1);
    s2 += d * (x[i] - m);
  }
  if (mean) *mean = m;
  if (se) *se = sqrt(s2 / (double)(n - 1) / (double)n);
  return GDL_OK;
}

int gdl_fit_linear(size_t n, const double *x, const double *y, gdl_fit *out) {
  GDL_CHECK_ARG(x != NULL && y != NULL && out != NULL, "gdl_fit_linear: NULL argument");
  GDL_CHECK_ARG(n >= 3, "gdl_fit_linear: need n >= 3 points, got %zu", n);
  double xmin = x[0], xmax = x[0];
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i]))
      return gdl_fail(GDL_EINVAL, "gdl_fit_linear: point %zu is not finite", i);
    if (x[i] < xmin) xmin = x[i];
    if (x[i] > xmax) xmax = x[i];
  }
  GDL_CHECK_ARG(xmax > xmin, "gdl_fit_linear: all x are equal");
  double c0, c1, cov00, cov01, cov11, sumsq;
  if (gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != 0)
    return gdl_fail(GDL_ENUMERIC, "gdl_fit_linear: gsl_fit_linear failed");
  double ym = 0.0;
  for (size_t i = 0; i < n; i++) ym += y[i];
  ym /= (double)n;
  double sst = 0.0;
  for (size_t i = 0; i < n; i++) sst += (y[i] - ym) * (y[i] - ym);
  out->intercept = c0;
  out->slope = c1;
  /* gsl's covariance already includes the residual variance sumsq/(n-2). */
  out->se_intercept = sqrt(cov00);
  out->se_slope = sqrt(cov11);
  out->r2 = sst > 0 ? 1.0 - sumsq / sst : 1.0;
  out->n = n;
  return GDL_OK;
}

int gdl_fit_loglog(size_t n, const double *x, const double *y, gdl_fit *out) {
  GDL_CHECK_ARG(x != NULL && y != NULL && out != NULL, "gdl_fit_loglog: NULL argument");
  GDL_CHECK_ARG(n >= 3, "gdl_fit_loglog: need n >= 3 points, got %zu", n);
  double *lx = malloc(2 * n * sizeof *lx);
  if (!lx) return gdl_fail(GDL_ENOMEM, "gdl_fit_loglog: out of memory");
  double *ly = lx + n;
  for (size_t i = 0; i < n; i++) {
    if (!(x[i] > 0) || !(y[i] > 0) || !isfinite(x[i]) || !isfinite(y[i])) {
      free(lx);
      return gdl_fail(GDL_EINVAL, "gdl_fit_loglog: point %zu (%g, %g) is not positive and finite", i, x[i], y[i]);
    }
    lx[i] = log(x[i]);
    ly[i] = log(y[i]);
  }
  int rc = gdl_fit_linear(n, lx, ly, out);
  free(lx);
  return rc;
}

/* Kolmogorov distribution tail Q_KS(lambda) = 2 sum_{j>=1} (-1)^{j-1} exp(-2 j^2 lambda^2)
 * (Numerical Recipes' probks; returns 1 where the series does not converge, lambda -> 0). */
static double probks(double alam) {
  const double eps1 = 1e-6, eps2 = 1e-16;
  double a2 = -2.0 * alam * alam, fac = 2.0, sum = 0.0, termbf = 0.0;
  if (alam <= 0) return 1.0;
  for (int j = 1; j <= 100; j++) {
    double term = fac * exp(a2 * j * j);
    sum += term;
    if (fabs(term) <= eps1 * termbf || fabs(term) <= eps2 * sum) return sum < 0 ? 0 : (sum > 1 ? 1 : sum);
    fac = -fac;
    termbf = fabs(term);
  }
  return 1.0;
}

int gdl_ks2(size_t n1, const double *x1, size_t n2, const double *x2, double *D, double *p) {
  GDL_CHECK_ARG(x1 != NULL && x2 != NULL, "gdl_ks2: NULL sample");
  GDL_CHECK_ARG(n1 >= 1 && n2 >= 1, "gdl_ks2: empty sample");
  for (size_t i = 0; i < n1; i++)
    if (isnan(x1[i])) return gdl_fail(GDL_EINVAL, "gdl_ks2: x1[%zu] is NaN", i);
  for (size_t i = 0; i < n2; i++)
    if (isnan(x2[i])) return gdl_fail(GDL_EINVAL, "gdl_ks2: x2[%zu] is NaN", i);
  double *a = malloc((n1 + n2) * sizeof *a);
  if (!a) return gdl_fail(GDL_ENOMEM, "gdl_ks2: out of memory");
  double *b = a + n1;
  memcpy(a, x1, n1 * sizeof *a);
  memcpy(b, x2, n2 * sizeof *b);
  gsl_sort(a, 1, n1);
  gsl_sort(b, 1, n2);
  size_t i = 0, j = 0;
  double d = 0.0;
  /* Step through the merged sample; ties are consumed together in both samples. */
  while (i < n1 && j < n2) {
    double v = a[i] < b[j] ? a[i] : b[j];
    while (i < n1 && a[i] == v) i++;
    while (j < n2 && b[j] == v) j++;
    double diff = fabs((double)i / (double)n1 - (double)j / (double)n2);
    if (diff > d) d = diff;
  }
  free(a);
  double ne = (double)n1 * (double)n2 / (double)(n1 + n2);
  double sq = sqrt(ne);
  if (D) *D = d;
  if (p) *p = probks((sq + 0.12 + 0.11 / sq) * d);
  return GDL_OK;
}

double gdl_crossfit_sqnorm(size_t n1, const double *A, size_t n2, const double *B, size_t P) {
  if (!A || !B || n1 == 0 || n2 == 0 || P == 0) return NAN;
  double *ma = calloc(2 * P, sizeof *ma);
  double *ones = malloc((n1 > n2 ? n1 : n2) * sizeof *ones);
  if (!ma || !ones) {
    free(ma);
    free(ones);
    return NAN;
  }
  double *mb = ma + P;
  for (size_t i = 0; i < (n1 > n2 ? n1 : n2); i++) ones[i] = 1.0;
  cblas_dgemv(CblasRowMajor, CblasTrans, (int)n1, (int)P, 1.0 / (double)n1, A, (int)P, ones, 1, 0.0, ma, 1);
  cblas_dgemv(CblasRowMajor, CblasTrans, (int)n2, (int)P, 1.0 / (double)n2, B, (int)P, ones, 1, 0.0, mb, 1);
  double r = cblas_ddot((int)P, ma, 1, mb, 1);
  free(ma);
  free(ones);
  return r;
}

const char *gdl_fmt_check(char *buf, size_t len, const char *what, double measured,
                          const char *rel, double bound) {
  if (!buf || len == 0) return "";
  if (!what) what = "check";
  if (!rel) rel = "?";
  double margin = NAN;
  if (strchr(rel, '<')) margin = bound - measured;
  else if (strchr(rel, '>')) margin = measured - bound;
  if (isnan(margin)) { /* "~=", "==": report the distance instead of a signed margin */
    snprintf(buf, len, "%s: measured=%.10g %s bound=%.10g (|diff| %.4g)", what, measured, rel, bound,
             fabs(measured - bound));
    return buf;
  }
  snprintf(buf, len, "%s: measured=%.10g %s bound=%.10g (margin %.4g%s)", what, measured, rel, bound,
           margin, margin < 0 ? ", VIOLATED" : "");
  return buf;
}
