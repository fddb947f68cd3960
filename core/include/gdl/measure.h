/* gdl/measure.h: measurements on nets and runs.
 * Basic metrics (this file's first block) plus alignment, equivariance error,
 * hitting time and the noisy-GD bound (added by the measurement module). The
 * class-gradient-variance engines live in gdl/variance.h. */
#ifndef GDL_MEASURE_H
#define GDL_MEASURE_H

#include <stddef.h>
#include "net.h"

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
