/* loss.c: losses with derivatives affine in the label (see gdl/loss.h). */
#include <math.h>
#include "gdl/error.h"
#include "gdl/loss.h"
#include "names.h"

static const char *const LOSS_NAMES[] = {[GDL_LOSS_SQUARED] = "squared", [GDL_LOSS_CORRELATION] = "correlation",
                                         [GDL_LOSS_LOGISTIC] = "logistic", [GDL_LOSS_SOFTMAX_CE] = "softmax-ce"};
_Static_assert(GDL_NAMES_LEN(LOSS_NAMES) == GDL_LOSS_SOFTMAX_CE + 1, "a name for every loss");

const char *gdl_loss_name(gdl_loss loss) { return gdl_names_get(LOSS_NAMES, GDL_NAMES_LEN(LOSS_NAMES), loss); }

int gdl_loss_parse(const char *name, gdl_loss *loss) {
  GDL_CHECK_ARG(name && loss, "gdl_loss_parse: NULL argument");
  unsigned v;
  GDL_TRY(gdl_names_find(LOSS_NAMES, GDL_NAMES_LEN(LOSS_NAMES), "loss", name, &v));
  *loss = (gdl_loss)v;
  return GDL_OK;
}

static double softplus(double z) { return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)); }
static double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + exp(-z));
  double e = exp(z);
  return e / (1.0 + e);
}

int gdl_loss_eval(gdl_loss loss, size_t m, size_t k, const double *pred, const double *y,
                  const double *w, double *value, double *dpred) {
  GDL_CHECK_ARG(pred && y, "gdl_loss_eval: NULL pred or y");
  GDL_CHECK_ARG(m >= 1 && k >= 1, "gdl_loss_eval: empty batch (m = %zu, k = %zu)", m, k);
  GDL_CHECK_ARG((unsigned)loss <= GDL_LOSS_SOFTMAX_CE, "gdl_loss_eval: unknown loss %d", (int)loss);
  double total = 0.0, uw = 1.0 / (double)m;
  for (size_t i = 0; i < m; i++) {
    double wi = w ? w[i] : uw;
    const double *p = pred + i * k, *t = y + i * k;
    double *d = dpred ? dpred + i * k : NULL;
    double li = 0.0;
    switch (loss) {
      case GDL_LOSS_SQUARED:
        for (size_t c = 0; c < k; c++) {
          double r = p[c] - t[c];
          li += 0.5 * r * r;
          if (d) d[c] = wi * r;
        }
        break;
      case GDL_LOSS_CORRELATION:
        for (size_t c = 0; c < k; c++) {
          li -= p[c] * t[c];
          if (d) d[c] = -wi * t[c];
        }
        break;
      case GDL_LOSS_LOGISTIC:
        for (size_t c = 0; c < k; c++) {
          double q = 0.5 * (1.0 + t[c]);
          li += softplus(p[c]) - q * p[c];
          if (d) d[c] = wi * (sigmoid(p[c]) - q);
        }
        break;
      case GDL_LOSS_SOFTMAX_CE: {
        double mx = p[0];
        for (size_t c = 1; c < k; c++) mx = p[c] > mx ? p[c] : mx;
        double se = 0.0;
        for (size_t c = 0; c < k; c++) se += exp(p[c] - mx);
        double lse = mx + log(se), ty = 0.0;
        for (size_t c = 0; c < k; c++) {
          li -= t[c] * (p[c] - lse);
          ty += t[c];
        }
        if (d)
          for (size_t c = 0; c < k; c++) d[c] = wi * (ty * exp(p[c] - lse) - t[c]);
        break;
      }
    }
    total += wi * li;
  }
  if (!isfinite(total))
    return gdl_fail(GDL_EDIVERGED, "loss is not finite (%g): the run diverged", total);
  if (value) *value = total;
  return GDL_OK;
}
