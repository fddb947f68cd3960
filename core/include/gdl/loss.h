/* gdl/loss.h: losses on a batch of predictions.
 *
 * value = sum_i w_i * l(pred_i, y_i) and dpred_i = w_i * dl/dpred_i, with w_i = 1/m
 * when w == NULL. pred, y, dpred are m x k row-major.
 *   SQUARED      l = 1/2 |pred - y|^2
 *   CORRELATION  l = -<pred, y>
 *   LOGISTIC     l = softplus(z) - q z per output, q = (1 + y)/2, y in [-1, 1]
 *                (labels +-1; the derivative sigma(z) - q is affine in y)
 *   SOFTMAX_CE   l = -sum_c y_c log softmax(pred)_c, y one-hot (or a distribution)
 * Every loss has a derivative affine in the label, which the exact gradient-variance
 * identities rely on. */
#ifndef GDL_LOSS_H
#define GDL_LOSS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  GDL_LOSS_SQUARED = 0,
  GDL_LOSS_CORRELATION,
  GDL_LOSS_LOGISTIC,
  GDL_LOSS_SOFTMAX_CE
} gdl_loss;

/* value may be NULL; dpred may be NULL. Non-finite predictions return GDL_EDIVERGED. */
int gdl_loss_eval(gdl_loss loss, size_t m, size_t k, const double *pred, const double *y,
                  const double *w, double *value, double *dpred);
const char *gdl_loss_name(gdl_loss loss);
int gdl_loss_parse(const char *name, gdl_loss *loss);

#ifdef __cplusplus
}
#endif
#endif
