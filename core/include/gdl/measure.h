/* gdl/measure.h: metrics of a net's predictions (core/src/measure.c). Alignment, the noisy-GD
 * bound, the equivariance error and hitting times are in gdl/alignment.h; the
 * class-gradient-variance engines in gdl/variance.h. */
#ifndef GDL_MEASURE_H
#define GDL_MEASURE_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "net.h"
#include "group.h"
#include "target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Weighted metrics of predictions f against targets y (length m; w NULL = uniform):
 * mse = E[(f-y)^2]; corr = E[f y] (uncentred correlation, the papers' <f, y>);
 * pearson = centred, normalised correlation; fvu = mse / Var(y). Weights are normalised by
 * their sum; fvu is NaN when Var(y) = 0 and pearson NaN when f or y is constant; non-finite
 * f, y or w are GDL_EINVAL. */
typedef struct { double mse, corr, pearson, fvu, var_y, mean_y; } gdl_metrics;
int gdl_metrics_eval(size_t m, const double *f, const double *y, const double *w, gdl_metrics *out);
/* Forward the net (scalar output) on X and compute the metrics against y. */
int gdl_net_metrics(gdl_net *net, size_t m, const double *X, const double *y, const double *w,
                    gdl_metrics *out);


#ifdef __cplusplus
}
#endif
#endif
