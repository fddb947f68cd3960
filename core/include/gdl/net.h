/* gdl/net.h: fully-connected networks on one contiguous parameter buffer.
 *
 * A net with L weight layers (L >= 1; "depth 2" = one hidden layer) maps a row x of
 * width width[0] to width[L] outputs:
 *     a_{-1} = x,  z_l = a_{l-1} W_l^T + b_l,  a_l = act_l(z_l)  (l < L-1),
 *     f(x) = out_scale * z_{L-1}.
 * W_l is width[l+1] x width[l], row-major (row j = weights of unit j). All
 * parameters live in net->params: layer l's W_l at w_off[l], then its bias at
 * b_off[l] (if present). Gradients have the same layout in net->grad. Saving,
 * comparing or perturbing a net is therefore one memcpy / one loop.
 *
 * Forward and backward run on a batch (row-major m x width) with one cblas_dgemm
 * per layer and a fused elementwise pass; workspaces are sized by gdl_net_reserve
 * (or grown on first use), so a training step allocates nothing. */
#ifndef GDL_NET_H
#define GDL_NET_H

#include <stddef.h>
#include <stdio.h>
#include <gsl/gsl_rng.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GDL_MAX_LAYERS 8

typedef enum {
  GDL_ACT_IDENTITY = 0,
  GDL_ACT_RELU,
  GDL_ACT_TANH,
  GDL_ACT_SIGMOID,
  GDL_ACT_QUADRATIC   /* z^2 */
} gdl_act;

typedef struct {
  size_t nlayers;                     /* L, number of weight layers */
  size_t width[GDL_MAX_LAYERS + 1];   /* width[0] input, width[L] output */
  gdl_act act[GDL_MAX_LAYERS];        /* activation after layer l, l < L-1 */
  int bias[GDL_MAX_LAYERS];           /* layer l has a bias */
  double out_scale;                   /* f = out_scale * z_{L-1}; 1 standard, 1/N mean-field */
} gdl_net_spec;

/* spec for in -> hidden[0] -> ... -> hidden[nh-1] -> out, one activation for all hidden
 * layers, bias on every layer iff `bias`, out_scale 1. */
int gdl_net_spec_mlp(gdl_net_spec *spec, size_t in, size_t nh, const size_t *hidden,
                     size_t out, gdl_act act, int bias);

typedef struct gdl_net {
  gdl_net_spec spec;
  size_t nparams;
  double *params;                     /* all parameters */
  double *grad;                       /* d loss / d params, same layout */
  size_t w_off[GDL_MAX_LAYERS], b_off[GDL_MAX_LAYERS]; /* b_off = (size_t)-1 without bias */
  /* workspaces (batch capacity `cap`) */
  size_t cap;
  double *z[GDL_MAX_LAYERS];          /* pre-activations, cap x width[l+1] */
  double *a[GDL_MAX_LAYERS];          /* activations, cap x width[l+1] (a[L-1] = output) */
  double *delta[GDL_MAX_LAYERS];      /* d/dz_l, cap x width[l+1] */
  const double *x_in;                 /* input of the last forward (not copied) */
  size_t m_fwd;                       /* batch size of the last forward, 0 if none */
  double *gtmp;                       /* scratch for a transposed weight gradient (may be NULL) */
} gdl_net;

int gdl_net_create(const gdl_net_spec *spec, gdl_net **out);
void gdl_net_free(gdl_net *net);
/* Make the workspaces hold batches of up to `cap` rows. */
int gdl_net_reserve(gdl_net *net, size_t cap);
/* Same spec, copy of the parameters (workspaces fresh). */
int gdl_net_clone(const gdl_net *src, gdl_net **out);
/* dst->params = src->params (same spec required). */
int gdl_net_copy_params(gdl_net *dst, const gdl_net *src);

static inline double *gdl_net_weight(gdl_net *n, size_t l) { return n->params + n->w_off[l]; }
static inline double *gdl_net_bias(gdl_net *n, size_t l) {
  return n->b_off[l] == (size_t)-1 ? NULL : n->params + n->b_off[l];
}
/* Number of parameters of layer l (weights + bias) and its first offset. */
size_t gdl_net_layer_size(const gdl_net *n, size_t l);

/* ---- initialisation ---- */
typedef enum {
  GDL_INIT_ZERO = 0,
  GDL_INIT_GAUSSIAN,    /* N(0, scale^2) */
  GDL_INIT_RADEMACHER,  /* +-scale */
  GDL_INIT_UNIFORM,     /* U[lo, hi] */
  GDL_INIT_CONST        /* all = scale */
} gdl_init_kind;

typedef struct {
  gdl_init_kind kind;
  double scale, lo, hi;
} gdl_init;

/* Initialise W_l and b_l independently from the given laws. */
int gdl_net_init_layer(gdl_net *net, size_t l, gdl_init w, gdl_init b, gsl_rng *r);
/* Standard init: every W_l ~ N(0, 1/fan_in), biases 0. */
int gdl_net_init_default(gdl_net *net, gsl_rng *r);
/* Hand-placed first layer supported on the coordinates `coords` (0-based): those entries
 * N(0, scale^2), all others 0. */
int gdl_net_init_first_layer_on(gdl_net *net, size_t ncoords, const size_t *coords,
                                double scale, gsl_rng *r);
/* First layer along a direction: row j of W_0 = s[j] * u (u of length width[0]). */
int gdl_net_init_first_layer_along(gdl_net *net, const double *u, const double *s);

/* ---- evaluation ---- */
/* out (m x width[L]) = f(X). X must stay valid until gdl_net_backward. out may be NULL
 * (the output stays in net->a[L-1], which holds f including out_scale). */
int gdl_net_forward(gdl_net *net, size_t m, const double *X, double *out);
/* After gdl_net_forward on m rows: dout (m x width[L]) = dLoss/df per row (already
 * weighted). Writes the full gradient into net->grad (overwrites). */
int gdl_net_backward(gdl_net *net, const double *dout);
/* gdl_net_backward followed by the plain GD update params_l += alpha[l] * grad_l of every
 * layer l (weights and bias). With a batch of one row the update is fused into the pass
 * that writes each weight gradient (one pass over the weights instead of two); otherwise
 * it is one cblas_daxpy over the whole parameter buffer (one per layer if the alpha[l]
 * differ). Each parameter gets fma(alpha, g, theta), the operation of OpenBLAS's daxpy on
 * CPUs with FMA, so the result is that of gdl_net_backward + cblas_daxpy there.
 * net->grad holds the gradient as after gdl_net_backward. */
int gdl_net_backward_update(gdl_net *net, const double *dout, const double *alpha);
/* The same update, for a caller that does not read the gradient (the trainer's plain-GD
 * step): with a batch of 1 the weight gradients are not stored (net->grad's weight entries
 * are left as they were; bias entries are written), and the rows of an exactly zero delta
 * (inactive ReLU units) are skipped. Parameters as gdl_net_backward_update, up to the sign
 * of a zero weight. With a batch > 1 it is gdl_net_backward_update. */
int gdl_net_backward_step(gdl_net *net, const double *dout, const double *alpha);
/* Per-example gradients of output `o`: G (m x nparams), row i = grad_theta f_o(x_i).
 * Runs its own forward. m may exceed the capacity (handled in chunks). */
int gdl_net_per_example_grad(gdl_net *net, size_t m, const double *X, size_t o, double *G);

/* ---- storage ----
 * File format (documented in README): one text line
 *   "GDLNET 1 L w0 w1 ... wL act0 ... act_{L-2} bias0 ... bias_{L-1} out_scale nparams\n"
 * (out_scale printed with %.17g) followed by nparams IEEE-754 binary64 values in
 * little-endian order. Saving is atomic (temp file + rename). */
int gdl_net_save(const gdl_net *net, const char *path);
int gdl_net_load(const char *path, gdl_net **out);

const char *gdl_act_name(gdl_act a);
int gdl_act_parse(const char *name, gdl_act *a);

#ifdef __cplusplus
}
#endif
#endif
