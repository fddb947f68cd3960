/* gdl/stats.h: statistics used by the assertions. */
#ifndef GDL_STATS_H
#define GDL_STATS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Mean and standard error of the mean (sample sd / sqrt(n)); n >= 2 for se. */
int gdl_mean_se(size_t n, const double *x, double *mean, double *se);
/* Least squares y = c0 + c1 x with standard errors (gsl_fit_linear); n >= 3. */
typedef struct { double intercept, slope, se_intercept, se_slope, r2; size_t n; } gdl_fit;
int gdl_fit_linear(size_t n, const double *x, const double *y, gdl_fit *out);
/* Same on log(x), log(y) (all positive). */
int gdl_fit_loglog(size_t n, const double *x, const double *y, gdl_fit *out);
/* Two-sample Kolmogorov-Smirnov: statistic D and asymptotic p-value (with the
 * Stephens small-sample correction). Inputs are not modified. */
int gdl_ks2(size_t n1, const double *x1, size_t n2, const double *x2, double *D, double *p);
/* Cross-fitted estimate of ||E v||^2 from two independent batches of per-sample
 * vectors: <mean(A), mean(B)> (unbiased, no finite-sample floor). A: n1 x P, B: n2 x P. */
double gdl_crossfit_sqnorm(size_t n1, const double *A, size_t n2, const double *B, size_t P);
/* "measured=..., bound=..., margin=..." into buf (for assertion messages). */
const char *gdl_fmt_check(char *buf, size_t len, const char *what, double measured,
                          const char *rel, double bound);

#ifdef __cplusplus
}
#endif
#endif
