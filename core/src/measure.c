/* measure.c: basic metrics of predictions against targets.
 * (Alignment, equivariance error, hitting time and the noisy-GD bound live in
 * alignment.c and friends.) */
#include <math.h>
#include <stdlib.h>
#include "gdl/error.h"
#include "gdl/measure.h"

int gdl_metrics_eval(size_t m, const double *f, const double *y, const double *w, gdl_metrics *out) {
  GDL_CHECK_ARG(out != NULL, "gdl_metrics_eval: out is NULL");
  GDL_CHECK_ARG(m >= 1, "gdl_metrics_eval: m must be >= 1");
  GDL_CHECK_ARG(f != NULL, "gdl_metrics_eval: predictions f are NULL");
  GDL_CHECK_ARG(y != NULL, "gdl_metrics_eval: targets y are NULL");
  double wsum = 0.0;
  for (size_t i = 0; i < m; i++) {
    if (!isfinite(f[i])) return gdl_fail(GDL_EINVAL, "gdl_metrics_eval: prediction f[%zu] = %g is not finite", i, f[i]);
    if (!isfinite(y[i])) return gdl_fail(GDL_EINVAL, "gdl_metrics_eval: target y[%zu] = %g is not finite", i, y[i]);
    if (w) {
      if (!isfinite(w[i]) || w[i] < 0.0)
        return gdl_fail(GDL_EINVAL, "gdl_metrics_eval: weight w[%zu] = %g is negative or not finite", i, w[i]);
      wsum += w[i];
    }
  }
  if (w && !(wsum > 0.0)) return gdl_fail(GDL_EINVAL, "gdl_metrics_eval: weights sum to %g (need > 0)", wsum);
  const double u = 1.0 / (double)m;
  /* first pass: means */
  double mf = 0.0, my = 0.0;
  for (size_t i = 0; i < m; i++) {
    double wi = w ? w[i] / wsum : u;
    mf += wi * f[i];
    my += wi * y[i];
  }
  /* second pass: centred moments (numerically stable) */
  double mse = 0.0, corr = 0.0, vf = 0.0, vy = 0.0, cfy = 0.0;
  for (size_t i = 0; i < m; i++) {
    double wi = w ? w[i] / wsum : u;
    double e = f[i] - y[i];
    mse += wi * e * e;
    corr += wi * f[i] * y[i];
    double df = f[i] - mf, dy = y[i] - my;
    vf += wi * df * df;
    vy += wi * dy * dy;
    cfy += wi * df * dy;
  }
  out->mse = mse;
  out->corr = corr;
  out->mean_y = my;
  out->var_y = vy;
  out->fvu = vy > 0.0 ? mse / vy : NAN;
  out->pearson = (vf > 0.0 && vy > 0.0) ? cfy / sqrt(vf * vy) : NAN;
  return GDL_OK;
}

int gdl_net_metrics(gdl_net *net, size_t m, const double *X, const double *y, const double *w,
                    gdl_metrics *out) {
  GDL_CHECK_ARG(net != NULL, "gdl_net_metrics: net is NULL");
  GDL_CHECK_ARG(out != NULL, "gdl_net_metrics: out is NULL");
  GDL_CHECK_ARG(X != NULL, "gdl_net_metrics: X is NULL");
  GDL_CHECK_ARG(y != NULL, "gdl_net_metrics: y is NULL");
  GDL_CHECK_ARG(m >= 1, "gdl_net_metrics: m must be >= 1");
  const size_t L = net->spec.nlayers;
  GDL_CHECK_ARG(L >= 1 && L <= GDL_MAX_LAYERS, "gdl_net_metrics: net has %zu layers", L);
  GDL_CHECK_ARG(net->spec.width[L] == 1, "gdl_net_metrics: net has %zu outputs (needs a scalar output)",
                net->spec.width[L]);
  const size_t din = net->spec.width[0];
  double *f = malloc(m * sizeof *f);
  if (!f) return gdl_fail(GDL_ENOMEM, "gdl_net_metrics: out of memory (%zu predictions)", m);
  /* forward in chunks no larger than the workspace (grown to 256 rows if smaller) */
  size_t chunk = net->cap;
  if (chunk < 256 && m > chunk) {
    size_t want = m < 256 ? m : 256;
    int rc = gdl_net_reserve(net, want);
    if (rc != GDL_OK) {
      free(f);
      return rc;
    }
    chunk = want;
  }
  if (chunk == 0) chunk = m;
  for (size_t i0 = 0; i0 < m; i0 += chunk) {
    size_t c = m - i0 < chunk ? m - i0 : chunk;
    int rc = gdl_net_forward(net, c, X + i0 * din, f + i0);
    if (rc != GDL_OK) {
      free(f);
      return rc;
    }
  }
  for (size_t i = 0; i < m; i++)
    if (!isfinite(f[i])) {
      free(f);
      return gdl_fail(GDL_EDIVERGED, "gdl_net_metrics: the net's output at row %zu is not finite", i);
    }
  int rc = gdl_metrics_eval(m, f, y, w, out);
  free(f);
  return rc;
}
