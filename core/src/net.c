/* net.c: fully-connected nets on one contiguous parameter buffer (see gdl/net.h). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cblas.h>
#include "gdl/error.h"
#include "gdl/net.h"
#include "gdl/report.h"
#include "gdl/rng.h"
#include "act_tanh.h"
#include "names.h"

#define NO_BIAS ((size_t)-1)
#define MAX_WIDTH ((size_t)1 << 24)
#define MAX_PARAMS ((size_t)1 << 31)

static double *alloc_doubles(size_t n) {
  if (n == 0) n = 1;
  size_t bytes = ((n * sizeof(double) + 63) / 64) * 64;
  double *p = aligned_alloc(64, bytes);
  if (p) memset(p, 0, bytes);
  return p;
}

static const char *const ACT_NAMES[] = {[GDL_ACT_IDENTITY] = "identity", [GDL_ACT_RELU] = "relu",
                                        [GDL_ACT_TANH] = "tanh", [GDL_ACT_SIGMOID] = "sigmoid",
                                        [GDL_ACT_QUADRATIC] = "quadratic"};
_Static_assert(GDL_NAMES_LEN(ACT_NAMES) == GDL_ACT_QUADRATIC + 1, "a name for every activation");

const char *gdl_act_name(gdl_act a) { return gdl_names_get(ACT_NAMES, GDL_NAMES_LEN(ACT_NAMES), a); }

int gdl_act_parse(const char *name, gdl_act *a) {
  GDL_CHECK_ARG(name && a, "gdl_act_parse: NULL argument");
  unsigned v;
  GDL_TRY(gdl_names_find(ACT_NAMES, GDL_NAMES_LEN(ACT_NAMES), "activation", name, &v));
  *a = (gdl_act)v;
  return GDL_OK;
}

int gdl_net_spec_mlp(gdl_net_spec *spec, size_t in, size_t nh, const size_t *hidden, size_t out,
                     gdl_act act, int bias) {
  GDL_CHECK_ARG(spec != NULL, "gdl_net_spec_mlp: spec is NULL");
  GDL_CHECK_ARG(nh + 1 <= GDL_MAX_LAYERS, "gdl_net_spec_mlp: %zu hidden layers, at most %d", nh,
                GDL_MAX_LAYERS - 1);
  GDL_CHECK_ARG(nh == 0 || hidden != NULL, "gdl_net_spec_mlp: hidden widths are NULL");
  memset(spec, 0, sizeof *spec);
  spec->nlayers = nh + 1;
  spec->width[0] = in;
  for (size_t l = 0; l < nh; l++) spec->width[l + 1] = hidden[l];
  spec->width[nh + 1] = out;
  for (size_t l = 0; l < spec->nlayers; l++) {
    spec->act[l] = l + 1 < spec->nlayers ? act : GDL_ACT_IDENTITY;
    spec->bias[l] = bias ? 1 : 0;
  }
  spec->out_scale = 1.0;
  return GDL_OK;
}

static int check_spec(const gdl_net_spec *s) {
  GDL_CHECK_ARG(s != NULL, "net spec is NULL");
  GDL_CHECK_ARG(s->nlayers >= 1 && s->nlayers <= GDL_MAX_LAYERS,
                "net spec: nlayers = %zu, must be in [1, %d]", s->nlayers, GDL_MAX_LAYERS);
  for (size_t l = 0; l <= s->nlayers; l++)
    GDL_CHECK_ARG(s->width[l] >= 1 && s->width[l] <= MAX_WIDTH,
                  "net spec: width[%zu] = %zu, must be in [1, %zu]", l, s->width[l], MAX_WIDTH);
  for (size_t l = 0; l + 1 < s->nlayers; l++)
    GDL_CHECK_ARG((unsigned)s->act[l] <= GDL_ACT_QUADRATIC, "net spec: bad activation %d at layer %zu",
                  (int)s->act[l], l);
  GDL_CHECK_ARG(isfinite(s->out_scale), "net spec: out_scale is not finite");
  return GDL_OK;
}

int gdl_net_create(const gdl_net_spec *spec, gdl_net **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_net_create: out is NULL");
  *out = NULL;
  GDL_TRY(check_spec(spec));
  gdl_net *n = calloc(1, sizeof *n);
  if (!n) return gdl_fail(GDL_ENOMEM, "gdl_net_create: out of memory");
  n->spec = *spec;
  if (n->spec.out_scale == 0.0) n->spec.out_scale = 1.0;
  size_t off = 0;
  for (size_t l = 0; l < spec->nlayers; l++) {
    size_t in = spec->width[l], o = spec->width[l + 1];
    if ((double)in * (double)o + (double)off > (double)MAX_PARAMS) {
      free(n);
      return gdl_fail(GDL_ERANGE, "gdl_net_create: more than %zu parameters", MAX_PARAMS);
    }
    n->w_off[l] = off;
    off += in * o;
    if (spec->bias[l]) {
      n->b_off[l] = off;
      off += o;
    } else {
      n->b_off[l] = NO_BIAS;
    }
  }
  n->nparams = off;
  n->params = alloc_doubles(off);
  n->grad = alloc_doubles(off);
  if (!n->params || !n->grad) {
    gdl_net_free(n);
    return gdl_fail(GDL_ENOMEM, "gdl_net_create: cannot allocate %zu parameters", off);
  }
  *out = n;
  return GDL_OK;
}

static void free_workspace(gdl_net *n) {
  for (size_t l = 0; l < GDL_MAX_LAYERS; l++) {
    free(n->z[l]);
    free(n->a[l]);
    free(n->delta[l]);
    n->z[l] = n->a[l] = n->delta[l] = NULL;
  }
  free(n->gtmp);
  n->gtmp = NULL;
  n->cap = 0;
  n->m_fwd = 0;
}

void gdl_net_free(gdl_net *n) {
  if (!n) return;
  free_workspace(n);
  free(n->params);
  free(n->grad);
  free(n);
}

/* Weight gradient D^T A (o x in) of a batch of m rows: compute its transpose A^T D and
 * transpose it back when that is faster. Both give the same bits (each entry is the same
 * dot product, summed in the same order by the same kernel); the transposed form avoids
 * OpenBLAS's slow transposed packing of the large m x o operand D and wins when D is large
 * and the fan-in small (measured with OpenBLAS 0.3.21 on AVX-512: 20-30% faster GEMM at
 * m = 256, in = 30, o = 512; 9% at m = 1024, in = 256, o = 1024; slower for small m, o). */
static int grad_transposed(size_t m, size_t in, size_t o) {
  return m * o >= 65536 && o >= 2 * in && m >= 4 * in;
}

int gdl_net_reserve(gdl_net *n, size_t cap) {
  GDL_CHECK_ARG(n != NULL, "gdl_net_reserve: net is NULL");
  GDL_CHECK_ARG(cap >= 1 && cap <= ((size_t)1 << 28), "gdl_net_reserve: batch capacity %zu out of range", cap);
  if (cap <= n->cap) return GDL_OK;
  free_workspace(n);
  for (size_t l = 0; l < n->spec.nlayers; l++) {
    size_t sz = cap * n->spec.width[l + 1];
    n->z[l] = alloc_doubles(sz);
    n->a[l] = alloc_doubles(sz);
    n->delta[l] = alloc_doubles(sz);
    if (!n->z[l] || !n->a[l] || !n->delta[l]) {
      free_workspace(n);
      return gdl_fail(GDL_ENOMEM, "gdl_net_reserve: cannot allocate workspace for batch %zu", cap);
    }
  }
  size_t tmp = 0;
  for (size_t l = 0; l < n->spec.nlayers; l++) {
    size_t in = n->spec.width[l], o = n->spec.width[l + 1];
    if (grad_transposed(cap, in, o) && in * o > tmp) tmp = in * o;
  }
  if (tmp && !(n->gtmp = alloc_doubles(tmp))) {
    free_workspace(n);
    return gdl_fail(GDL_ENOMEM, "gdl_net_reserve: cannot allocate workspace for batch %zu", cap);
  }
  n->cap = cap;
  return GDL_OK;
}

int gdl_net_clone(const gdl_net *src, gdl_net **out) {
  GDL_CHECK_ARG(src && out, "gdl_net_clone: NULL argument");
  GDL_TRY(gdl_net_create(&src->spec, out));
  memcpy((*out)->params, src->params, src->nparams * sizeof(double));
  return GDL_OK;
}

int gdl_net_copy_params(gdl_net *dst, const gdl_net *src) {
  GDL_CHECK_ARG(dst && src, "gdl_net_copy_params: NULL argument");
  GDL_CHECK_ARG(dst->nparams == src->nparams && dst->spec.nlayers == src->spec.nlayers,
                "gdl_net_copy_params: nets have different shapes");
  memcpy(dst->params, src->params, src->nparams * sizeof(double));
  return GDL_OK;
}

size_t gdl_net_layer_size(const gdl_net *n, size_t l) {
  if (!n || l >= n->spec.nlayers) return 0;
  return n->spec.width[l] * n->spec.width[l + 1] + (n->spec.bias[l] ? n->spec.width[l + 1] : 0);
}

/* ---------------- initialisation ---------------- */

static void fill_init(gdl_init in, size_t cnt, double *v, gsl_rng *r) {
  switch (in.kind) {
    case GDL_INIT_ZERO: memset(v, 0, cnt * sizeof *v); break;
    case GDL_INIT_GAUSSIAN: gdl_rng_gaussian(r, in.scale, cnt, v); break;
    case GDL_INIT_RADEMACHER: gdl_rng_rademacher(r, in.scale, cnt, v); break;
    case GDL_INIT_UNIFORM: gdl_rng_uniform(r, in.lo, in.hi, cnt, v); break;
    case GDL_INIT_CONST:
      for (size_t i = 0; i < cnt; i++) v[i] = in.scale;
      break;
  }
}

static int check_init(gdl_init in, const char *what) {
  GDL_CHECK_ARG((unsigned)in.kind <= GDL_INIT_CONST, "init of %s: unknown kind %d", what, (int)in.kind);
  GDL_CHECK_ARG(isfinite(in.scale) && isfinite(in.lo) && isfinite(in.hi),
                "init of %s: non-finite parameter", what);
  GDL_CHECK_ARG(in.kind != GDL_INIT_UNIFORM || in.lo <= in.hi, "init of %s: uniform lo > hi", what);
  GDL_CHECK_ARG(in.kind != GDL_INIT_GAUSSIAN || in.scale >= 0, "init of %s: negative Gaussian scale",
                what);
  return GDL_OK;
}

int gdl_net_init_layer(gdl_net *n, size_t l, gdl_init w, gdl_init b, gsl_rng *r) {
  GDL_CHECK_ARG(n && r, "gdl_net_init_layer: NULL argument");
  GDL_CHECK_ARG(l < n->spec.nlayers, "gdl_net_init_layer: layer %zu of %zu", l, n->spec.nlayers);
  GDL_TRY(check_init(w, "weights"));
  GDL_TRY(check_init(b, "bias"));
  fill_init(w, n->spec.width[l] * n->spec.width[l + 1], n->params + n->w_off[l], r);
  if (n->b_off[l] != NO_BIAS) fill_init(b, n->spec.width[l + 1], n->params + n->b_off[l], r);
  return GDL_OK;
}

int gdl_net_init_default(gdl_net *n, gsl_rng *r) {
  GDL_CHECK_ARG(n && r, "gdl_net_init_default: NULL argument");
  for (size_t l = 0; l < n->spec.nlayers; l++) {
    gdl_init w = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)n->spec.width[l]), 0, 0};
    gdl_init b = {GDL_INIT_ZERO, 0, 0, 0};
    GDL_TRY(gdl_net_init_layer(n, l, w, b, r));
  }
  return GDL_OK;
}

int gdl_net_init_first_layer_on(gdl_net *n, size_t ncoords, const size_t *coords, double scale,
                                gsl_rng *r) {
  GDL_CHECK_ARG(n && r && (ncoords == 0 || coords), "gdl_net_init_first_layer_on: NULL argument");
  GDL_CHECK_ARG(isfinite(scale) && scale >= 0, "gdl_net_init_first_layer_on: bad scale");
  size_t in = n->spec.width[0], o = n->spec.width[1];
  for (size_t c = 0; c < ncoords; c++)
    GDL_CHECK_ARG(coords[c] < in, "gdl_net_init_first_layer_on: coordinate %zu >= input width %zu",
                  coords[c], in);
  double *W = n->params + n->w_off[0];
  memset(W, 0, in * o * sizeof *W);
  for (size_t j = 0; j < o; j++)
    for (size_t c = 0; c < ncoords; c++) gdl_rng_gaussian(r, scale, 1, &W[j * in + coords[c]]);
  return GDL_OK;
}

int gdl_net_init_first_layer_along(gdl_net *n, const double *u, const double *s) {
  GDL_CHECK_ARG(n && u && s, "gdl_net_init_first_layer_along: NULL argument");
  size_t in = n->spec.width[0], o = n->spec.width[1];
  double *W = n->params + n->w_off[0];
  for (size_t j = 0; j < o; j++) {
    GDL_CHECK_ARG(isfinite(s[j]), "gdl_net_init_first_layer_along: s[%zu] not finite", j);
    for (size_t k = 0; k < in; k++) {
      GDL_CHECK_ARG(isfinite(u[k]), "gdl_net_init_first_layer_along: u[%zu] not finite", k);
      W[j * in + k] = s[j] * u[k];
    }
  }
  return GDL_OK;
}

/* ---------------- forward / backward ----------------
 * Where a step's time goes (bench_trainer, README "Performance"): the two GEMMs of each
 * layer (forward z = A W^T, weight gradient D^T A) and, around them, elementwise passes
 * over the m x width activations. Those passes are fused so that each matrix is read and
 * written as few times as possible: forward = GEMM + one pass (bias, activation);
 * backward of a single-output layer = one pass (delta times W, activation mask, bias
 * column sums). Batch-1 steps use dgemv and a plain outer product instead of dgemm.
 * None of the fusions changes a result: they do the same IEEE operations on the same
 * operands in the same order as the unfused passes (checked bit for bit). */

/* The hot ReLU/outer-product passes get AVX2 and AVX-512 copies, picked once at load time
 * by the CPU (GCC function multiversioning). They hold no a * b + c pattern, so the
 * compiler cannot contract to FMA: every copy computes the same bits as the SSE2 one. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__) && \
    !defined(__SANITIZE_ADDRESS__)
#define GDL_HOT __attribute__((target_clones("avx512f", "avx2", "default")))
/* the same, for the fused update, which calls fma(): its AVX2 copy needs the FMA unit */
#define GDL_HOT_FMA __attribute__((target_clones("avx512f", "arch=haswell", "default")))
#else
#define GDL_HOT
#define GDL_HOT_FMA
#endif

/* z (m x o) = A (m x in) W^T + b, W o x in, b (length o) may be NULL. Small shapes avoid
 * dgemm's overhead and add b afterwards (*b_added = 0). The dgemm starts from rows of b
 * (beta = 1, as PyTorch's addmm): that replaces OpenBLAS's zeroing pass over z and the
 * separate bias pass. The bits are those of "product, then + b" whenever the fan-in fits
 * in one K block of the GEMM (384 with OpenBLAS 0.3.21 on AVX-512); beyond, b enters the
 * sum before the first block instead of after the last (a last-bit difference). */
static void affine(size_t m, size_t in, size_t o, const double *A, const double *W, const double *b,
                   double *z, int *b_added) {
  *b_added = 0;
  if (m == 1) {
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)o, (int)in, 1.0, W, (int)in, A, 1, 0.0, z, 1);
  } else if (o == 1) {
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m, (int)in, 1.0, A, (int)in, W, 1, 0.0, z, 1);
  } else {
    if (b)
      for (size_t i = 0; i < m; i++) memcpy(z + i * o, b, o * sizeof *z);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)o, (int)in, 1.0, A, (int)in, W,
                (int)in, b ? 1.0 : 0.0, z, (int)o);
    *b_added = b != NULL;
  }
}

/* z += b (row-wise, b may be NULL), a = relu(z): one pass. 0.5 (z + |z|) is exact,
 * branch-free (vectorised) and propagates NaN. */
GDL_HOT static void bias_relu(size_t m, size_t o, const double *b, double *z, double *a) {
  for (size_t i = 0; i < m; i++) {
    double *zi = z + i * o, *ai = a + i * o;
    if (b)
      for (size_t j = 0; j < o; j++) {
        double v = zi[j] + b[j];
        zi[j] = v;
        ai[j] = 0.5 * (v + fabs(v));
      }
    else
      for (size_t j = 0; j < o; j++) ai[j] = 0.5 * (zi[j] + fabs(zi[j]));
  }
}

/* z += b, a = act(z) for the other activations (and the scaled output layer). */
static void bias_act(gdl_act act, int last, double sc, size_t m, size_t o, const double *b, double *z,
                     double *a) {
  if (!last && act == GDL_ACT_RELU) {
    bias_relu(m, o, b, z, a);
    return;
  }
  if (b)
    for (size_t i = 0; i < m; i++) {
      double *zi = z + i * o;
      for (size_t j = 0; j < o; j++) zi[j] += b[j];
    }
  const size_t cnt = m * o;
  if (last) {
    for (size_t i = 0; i < cnt; i++) a[i] = sc * z[i];
    return;
  }
  switch (act) {
    case GDL_ACT_IDENTITY: memcpy(a, z, cnt * sizeof *a); break;
    case GDL_ACT_RELU: break; /* handled above */
    case GDL_ACT_TANH: gdl_act_tanh(cnt, z, a); break;
    case GDL_ACT_SIGMOID:
      for (size_t i = 0; i < cnt; i++) a[i] = 1.0 / (1.0 + exp(-z[i]));
      break;
    case GDL_ACT_QUADRATIC:
      for (size_t i = 0; i < cnt; i++) a[i] = z[i] * z[i];
      break;
  }
}

/* d *= act'(z) elementwise (a = act(z) given), for one row of length cnt. */
static void act_backward(gdl_act act, size_t cnt, const double *z, const double *a, double *d) {
  switch (act) {
    case GDL_ACT_IDENTITY: break;
    case GDL_ACT_RELU: /* a select, not a branch: vectorised */
      for (size_t i = 0; i < cnt; i++) d[i] = z[i] > 0 ? d[i] : 0.0;
      break;
    case GDL_ACT_TANH:
      for (size_t i = 0; i < cnt; i++) d[i] *= 1.0 - a[i] * a[i];
      break;
    case GDL_ACT_SIGMOID:
      for (size_t i = 0; i < cnt; i++) d[i] *= a[i] * (1.0 - a[i]);
      break;
    case GDL_ACT_QUADRATIC:
      for (size_t i = 0; i < cnt; i++) d[i] *= 2.0 * z[i];
      break;
  }
}

/* gb (length o, may be NULL) = column sums of D (m x o), rows added in order 0, 1, ... */
static void colsum_row(size_t i, size_t o, const double *Di, double *gb) {
  if (!gb) return;
  if (i == 0) {
    memcpy(gb, Di, o * sizeof *gb);
  } else {
    for (size_t j = 0; j < o; j++) gb[j] += Di[j];
  }
}

/* Backward through a single-output layer (weights w, length in) into a ReLU layer, in one
 * pass: Dp[i][k] = D[i] w[k] if z[i][k] > 0 else 0, and gb (may be NULL) = column sums. */
GDL_HOT static void relu_delta_rank1(size_t m, size_t in, const double *D, const double *w,
                                     const double *z, double *Dp, double *gb) {
  for (size_t i = 0; i < m; i++) {
    const double di = D[i];
    const double *zi = z + i * in;
    double *row = Dp + i * in;
    if (!gb) {
      for (size_t k = 0; k < in; k++) row[k] = zi[k] > 0 ? di * w[k] : 0.0;
    } else if (i == 0) {
      for (size_t k = 0; k < in; k++) {
        double v = zi[k] > 0 ? di * w[k] : 0.0;
        row[k] = v;
        gb[k] = v;
      }
    } else {
      for (size_t k = 0; k < in; k++) {
        double v = zi[k] > 0 ? di * w[k] : 0.0;
        row[k] = v;
        gb[k] += v;
      }
    }
  }
}

/* ReLU mask of Dp (m x in) by z, and gb (may be NULL) = column sums, in one pass. */
GDL_HOT static void relu_mask_colsum(size_t m, size_t in, const double *z, double *Dp, double *gb) {
  for (size_t i = 0; i < m; i++) {
    const double *zi = z + i * in;
    double *row = Dp + i * in;
    if (!gb) {
      for (size_t k = 0; k < in; k++) row[k] = zi[k] > 0 ? row[k] : 0.0;
    } else if (i == 0) {
      for (size_t k = 0; k < in; k++) {
        double v = zi[k] > 0 ? row[k] : 0.0;
        row[k] = v;
        gb[k] = v;
      }
    } else {
      for (size_t k = 0; k < in; k++) {
        double v = zi[k] > 0 ? row[k] : 0.0;
        row[k] = v;
        gb[k] += v;
      }
    }
  }
}

/* gW (o x in) = d a^T, the weight gradient of one example (batch 1). */
GDL_HOT static void outer(size_t o, size_t in, const double *d, const double *a, double *gW) {
  for (size_t j = 0; j < o; j++) {
    const double dj = d[j];
    double *row = gW + j * in;
    for (size_t k = 0; k < in; k++) row[k] = dj * a[k];
  }
}

/* B (c x r) = A^T, A r x c: strips of 8 rows, so that each write is 8 contiguous doubles
 * (a 32 x 32 tiling is 4x slower here: its power-of-two strides collide in the cache). */
GDL_HOT static void transpose(size_t r, size_t c, const double *A, double *B) {
  size_t i0 = 0;
  for (; i0 + 8 <= r; i0 += 8)
    for (size_t j = 0; j < c; j++) {
      double *d = B + j * r + i0;
      for (size_t t = 0; t < 8; t++) d[t] = A[(i0 + t) * c + j];
    }
  for (; i0 < r; i0++)
    for (size_t j = 0; j < c; j++) B[j * r + i0] = A[i0 * c + j];
}

/* gW = d a^T (batch 1) and, in the same pass, W += alpha gW (fma, as daxpy with FMA; the
 * AVX2 / AVX-512 clones inline it, elsewhere it is libm's fma: slower, same bits). */
GDL_HOT_FMA static void outer_update(
    size_t o, size_t in, const double *d, const double *a, double alpha, double *gW, double *W) {
  for (size_t j = 0; j < o; j++) {
    const double dj = d[j];
    double *row = gW + j * in, *w = W + j * in;
    for (size_t k = 0; k < in; k++) {
      double g = dj * a[k];
      row[k] = g;
      w[k] = fma(alpha, g, w[k]);
    }
  }
}

/* W += alpha d a^T (batch 1) without storing the gradient: the trainer's plain-GD step.
 * A row whose d_j is exactly 0 (an inactive ReLU unit: about half of them) is left as it is:
 * fma(alpha, 0 * a_k, w) = w for finite a_k (up to the sign of a zero weight). */
GDL_HOT_FMA static void outer_update_nograd(
    size_t o, size_t in, const double *d, const double *a, double alpha, double *W) {
  for (size_t j = 0; j < o; j++) {
    const double dj = d[j];
    if (dj == 0.0) continue;
    double *w = W + j * in;
    for (size_t k = 0; k < in; k++) w[k] = fma(alpha, dj * a[k], w[k]);
  }
}

static int forward_nocheck(gdl_net *n, size_t m, const double *X) {
  const gdl_net_spec *s = &n->spec;
  size_t L = s->nlayers;
  const double *A = X;
  for (size_t l = 0; l < L; l++) {
    size_t in = s->width[l], o = s->width[l + 1];
    double *z = n->z[l];
    const double *b = n->b_off[l] != NO_BIAS ? n->params + n->b_off[l] : NULL;
    int b_added;
    affine(m, in, o, A, n->params + n->w_off[l], b, z, &b_added);
    bias_act(s->act[l], l + 1 == L, s->out_scale, m, o, b_added ? NULL : b, z, n->a[l]);
    A = n->a[l];
  }
  n->x_in = X;
  n->m_fwd = m;
  return GDL_OK;
}

int gdl_net_forward(gdl_net *n, size_t m, const double *X, double *out) {
  GDL_CHECK_ARG(n && X, "gdl_net_forward: NULL argument");
  GDL_CHECK_ARG(m >= 1, "gdl_net_forward: empty batch");
  if (m > n->cap) GDL_TRY(gdl_net_reserve(n, m));
  forward_nocheck(n, m, X);
  size_t L = n->spec.nlayers;
  if (out) memcpy(out, n->a[L - 1], m * n->spec.width[L] * sizeof *out);
  return GDL_OK;
}

/* Given delta[L-1] (d/dz of the last layer), propagate to every delta[l]. With
 * with_bias, the bias gradients of layers 0..L-2 are accumulated in the same passes. */
static void backprop_deltas(gdl_net *n, size_t m, int with_bias) {
  const gdl_net_spec *s = &n->spec;
  for (size_t l = s->nlayers - 1; l >= 1; l--) {
    size_t in = s->width[l], o = s->width[l + 1];
    const double *W = n->params + n->w_off[l];
    const double *D = n->delta[l];
    const double *z = n->z[l - 1];
    double *Dp = n->delta[l - 1];
    double *gb = with_bias && n->b_off[l - 1] != NO_BIAS ? n->grad + n->b_off[l - 1] : NULL;
    const gdl_act act = s->act[l - 1];
    if (m == 1) {
      cblas_dgemv(CblasRowMajor, CblasTrans, (int)o, (int)in, 1.0, W, (int)in, D, 1, 0.0, Dp, 1);
    } else if (o == 1) {
      if (act == GDL_ACT_RELU) {
        relu_delta_rank1(m, in, D, W, z, Dp, gb);
        continue;
      }
      for (size_t i = 0; i < m; i++) {
        double di = D[i];
        double *row = Dp + i * in;
        for (size_t k = 0; k < in; k++) row[k] = di * W[k];
      }
    } else {
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)in, (int)o, 1.0, D, (int)o, W,
                  (int)in, 0.0, Dp, (int)in);
    }
    if (act == GDL_ACT_RELU) {
      relu_mask_colsum(m, in, z, Dp, gb);
    } else {
      for (size_t i = 0; i < m; i++) {
        act_backward(act, in, z + i * in, n->a[l - 1] + i * in, Dp + i * in);
        colsum_row(i, in, Dp + i * in, gb);
      }
    }
  }
}

/* The backward pass; with alpha != NULL, also params_l += alpha[l] * grad_l. With
 * keep_grad == 0 (and alpha, batch 1) the weight gradients are not stored. */
static int backward(gdl_net *n, const double *dout, const double *alpha, int keep_grad) {
  if (n->m_fwd == 0 || !n->x_in) return gdl_fail(GDL_ESTATE, "gdl_net_backward: no forward pass before");
  const gdl_net_spec *s = &n->spec;
  size_t m = n->m_fwd, L = s->nlayers;
  size_t dout_w = s->width[L];
  double sc = s->out_scale;
  double *D = n->delta[L - 1];
  for (size_t i = 0; i < m * dout_w; i++) D[i] = sc * dout[i];
  if (n->b_off[L - 1] != NO_BIAS) /* the other layers' bias gradients: in backprop_deltas */
    for (size_t i = 0; i < m; i++) colsum_row(i, dout_w, D + i * dout_w, n->grad + n->b_off[L - 1]);
  backprop_deltas(n, m, 1);
  int fused = alpha && m == 1;
  for (size_t l = 0; l < L; l++) {
    size_t in = s->width[l], o = s->width[l + 1];
    const double *A = l == 0 ? n->x_in : n->a[l - 1];
    const double *Dl = n->delta[l];
    double *gW = n->grad + n->w_off[l];
    if (fused) {
      if (keep_grad)
        outer_update(o, in, Dl, A, alpha[l], gW, n->params + n->w_off[l]);
      else
        outer_update_nograd(o, in, Dl, A, alpha[l], n->params + n->w_off[l]);
      if (n->b_off[l] != NO_BIAS)
        cblas_daxpy((int)o, alpha[l], n->grad + n->b_off[l], 1, n->params + n->b_off[l], 1);
    } else if (m == 1) {
      outer(o, in, Dl, A, gW);
    } else if (o == 1) {
      cblas_dgemv(CblasRowMajor, CblasTrans, (int)m, (int)in, 1.0, A, (int)in, Dl, 1, 0.0, gW, 1);
    } else if (n->gtmp && grad_transposed(m, in, o)) {
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)in, (int)o, (int)m, 1.0, A, (int)in, Dl,
                  (int)o, 0.0, n->gtmp, (int)o);
      transpose(in, o, n->gtmp, gW);
    } else {
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)o, (int)in, (int)m, 1.0, Dl, (int)o, A,
                  (int)in, 0.0, gW, (int)in);
    }
  }
  if (alpha && !fused) {
    int same = 1;
    for (size_t l = 1; l < L; l++) same = same && alpha[l] == alpha[0];
    if (same) {
      cblas_daxpy((int)n->nparams, alpha[0], n->grad, 1, n->params, 1);
    } else {
      for (size_t l = 0; l < L; l++) {
        size_t cnt = gdl_net_layer_size(n, l);
        cblas_daxpy((int)cnt, alpha[l], n->grad + n->w_off[l], 1, n->params + n->w_off[l], 1);
      }
    }
  }
  return GDL_OK;
}

int gdl_net_backward(gdl_net *n, const double *dout) {
  GDL_CHECK_ARG(n && dout, "gdl_net_backward: NULL argument");
  return backward(n, dout, NULL, 1);
}

/* The checks of the update entry points, then the backward with the update. */
static int backward_alpha(gdl_net *n, const double *dout, const double *alpha, int keep_grad, const char *who) {
  GDL_CHECK_ARG(n && dout && alpha, "%s: NULL argument", who);
  for (size_t l = 0; l < n->spec.nlayers; l++)
    GDL_CHECK_ARG(isfinite(alpha[l]), "%s: alpha[%zu] is not finite", who, l);
  return backward(n, dout, alpha, keep_grad);
}

int gdl_net_backward_update(gdl_net *n, const double *dout, const double *alpha) {
  return backward_alpha(n, dout, alpha, 1, "gdl_net_backward_update");
}

int gdl_net_backward_step(gdl_net *n, const double *dout, const double *alpha) {
  return backward_alpha(n, dout, alpha, 0, "gdl_net_backward_step");
}

int gdl_net_per_example_grad(gdl_net *n, size_t m, const double *X, size_t o_idx, double *G) {
  GDL_CHECK_ARG(n && X && G, "gdl_net_per_example_grad: NULL argument");
  GDL_CHECK_ARG(m >= 1, "gdl_net_per_example_grad: empty batch");
  const gdl_net_spec *s = &n->spec;
  size_t L = s->nlayers, dout_w = s->width[L], din = s->width[0], P = n->nparams;
  GDL_CHECK_ARG(o_idx < dout_w, "gdl_net_per_example_grad: output %zu of %zu", o_idx, dout_w);
  size_t chunk = n->cap;
  if (chunk == 0) {
    chunk = m < 1024 ? m : 1024;
    GDL_TRY(gdl_net_reserve(n, chunk));
  }
  for (size_t c0 = 0; c0 < m; c0 += chunk) {
    size_t mc = m - c0 < chunk ? m - c0 : chunk;
    const double *Xc = X + c0 * din;
    forward_nocheck(n, mc, Xc);
    double *D = n->delta[L - 1];
    memset(D, 0, mc * dout_w * sizeof *D);
    for (size_t i = 0; i < mc; i++) D[i * dout_w + o_idx] = s->out_scale;
    backprop_deltas(n, mc, 0);
    for (size_t i = 0; i < mc; i++) {
      double *Gi = G + (c0 + i) * P;
      for (size_t l = 0; l < L; l++) {
        size_t in = s->width[l], o = s->width[l + 1];
        const double *a = l == 0 ? Xc + i * in : n->a[l - 1] + i * in;
        const double *d = n->delta[l] + i * o;
        double *gw = Gi + n->w_off[l];
        for (size_t j = 0; j < o; j++) {
          double dj = d[j];
          double *row = gw + j * in;
          for (size_t k = 0; k < in; k++) row[k] = dj * a[k];
        }
        if (n->b_off[l] != NO_BIAS) memcpy(Gi + n->b_off[l], d, o * sizeof(double));
      }
    }
  }
  n->m_fwd = 0; /* the stored forward no longer matches a caller's batch */
  return GDL_OK;
}

/* ---------------- storage ---------------- */

int gdl_net_save(const gdl_net *n, const char *path) {
  GDL_CHECK_ARG(n && path && *path, "gdl_net_save: NULL or empty argument");
  const gdl_net_spec *s = &n->spec;
  GDL_TRY(gdl_output_target_check("gdl_net_save", path));
  char tmp[4096];
  int k = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  GDL_CHECK_ARG(k > 0 && (size_t)k < sizeof tmp, "gdl_net_save: path too long");
  gdl_tmp_cleanup(path);
  FILE *f = fopen(tmp, "wb");
  if (!f) return gdl_fail(GDL_EIO, "gdl_net_save: cannot open %s: %s", tmp, strerror(errno));
  int ok = fprintf(f, "GDLNET 1 %zu", s->nlayers) > 0;
  for (size_t l = 0; l <= s->nlayers; l++) ok = ok && fprintf(f, " %zu", s->width[l]) > 0;
  for (size_t l = 0; l + 1 < s->nlayers; l++) ok = ok && fprintf(f, " %s", gdl_act_name(s->act[l])) > 0;
  for (size_t l = 0; l < s->nlayers; l++) ok = ok && fprintf(f, " %d", s->bias[l] ? 1 : 0) > 0;
  ok = ok && fprintf(f, " %.17g %zu\n", s->out_scale, n->nparams) > 0;
  for (size_t i = 0; ok && i < n->nparams; i++) {
    uint64_t u;
    memcpy(&u, &n->params[i], 8);
    unsigned char b[8];
    for (int j = 0; j < 8; j++) b[j] = (unsigned char)(u >> (8 * j));
    ok = fwrite(b, 1, 8, f) == 8;
  }
  ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    remove(tmp);
    return gdl_fail(GDL_EIO, "gdl_net_save: cannot write %s", path);
  }
  return GDL_OK;
}

#define HEADER_MAX 1024

/* One header token: the bytes up to the next ' ' or '\n' (exactly one separator). */
static const char *next_token(char **cur, char *tok, size_t len) {
  char *p = *cur;
  size_t k = 0;
  while (*p && *p != ' ' && *p != '\n') {
    if (k + 1 >= len) return NULL;
    tok[k++] = *p++;
  }
  if (k == 0) return NULL;
  tok[k] = '\0';
  if (*p == ' ') p++;
  *cur = p;
  return tok;
}

/* Strict decimal size_t: digits only, no sign, no leading zero, <= max. */
static int token_size(const char *t, size_t max, size_t *v) {
  if (!t || !*t || (t[0] == '0' && t[1])) return -1;
  size_t x = 0;
  for (const char *p = t; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    size_t d = (size_t)(*p - '0');
    if (d > max || x > (max - d) / 10) return -1; /* d > max: max - d would wrap (fuzz_net) */
    x = x * 10 + d;
  }
  *v = x;
  return 0;
}

/* An activation: its name, or its numeric code 0..4 (GDL_ACT_* order). */
static int token_act(const char *t, gdl_act *a) {
  size_t code;
  if (!t) return -1; /* missing or empty token (found by fuzz_net: "1  0", a double space) */
  if (token_size(t, GDL_ACT_QUADRATIC, &code) == 0) {
    *a = (gdl_act)code;
    return 0;
  }
  static const gdl_act all[] = {GDL_ACT_IDENTITY, GDL_ACT_RELU, GDL_ACT_TANH, GDL_ACT_SIGMOID,
                                GDL_ACT_QUADRATIC};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    if (!strcmp(t, gdl_act_name(all[i]))) { *a = all[i]; return 0; }
  return -1;
}

/* Parameter count of a spec (check_spec passed), without allocating; -1 if too many. */
static int spec_nparams(const gdl_net_spec *s, size_t *np) {
  size_t off = 0;
  for (size_t l = 0; l < s->nlayers; l++) {
    double add = (double)s->width[l] * (double)s->width[l + 1] + (s->bias[l] ? (double)s->width[l + 1] : 0);
    if ((double)off + add > (double)MAX_PARAMS) return -1;
    off += s->width[l] * s->width[l + 1] + (s->bias[l] ? s->width[l + 1] : 0);
  }
  *np = off;
  return 0;
}

/* Parses the header line (NUL-terminated, ending in '\n') into *s and *np. */
static int parse_header(char *line, const char *path, gdl_net_spec *s, size_t *np) {
  char tok[64];
  char *cur = line;
  const char *t;
#define BAD(...) return gdl_fail(GDL_EPARSE, __VA_ARGS__)
  if (!(t = next_token(&cur, tok, sizeof tok)) || strcmp(t, "GDLNET")) BAD("gdl_net_load: %s is not a GDLNET file", path);
  if (!(t = next_token(&cur, tok, sizeof tok)) || strcmp(t, "1")) BAD("gdl_net_load: %s: unsupported version (want 1)", path);
  if (token_size(next_token(&cur, tok, sizeof tok), GDL_MAX_LAYERS, &s->nlayers) || s->nlayers < 1)
    BAD("gdl_net_load: %s: the layer count must be an integer in [1, %d]", path, GDL_MAX_LAYERS);
  for (size_t l = 0; l <= s->nlayers; l++)
    if (token_size(next_token(&cur, tok, sizeof tok), MAX_WIDTH, &s->width[l]) || s->width[l] < 1)
      BAD("gdl_net_load: %s: width %zu must be an integer in [1, %zu]", path, l, MAX_WIDTH);
  for (size_t l = 0; l + 1 < s->nlayers; l++)
    if (token_act(next_token(&cur, tok, sizeof tok), &s->act[l]))
      BAD("gdl_net_load: %s: activation %zu must be identity|relu|tanh|sigmoid|quadratic (or 0..4)", path, l);
  for (size_t l = 0; l < s->nlayers; l++) {
    t = next_token(&cur, tok, sizeof tok);
    if (!t || (strcmp(t, "0") && strcmp(t, "1"))) BAD("gdl_net_load: %s: bias flag %zu must be 0 or 1", path, l);
    s->bias[l] = t[0] == '1';
  }
  t = next_token(&cur, tok, sizeof tok);
  char *end = NULL;
  if (t) {
    errno = 0;
    s->out_scale = strtod(t, &end);
  }
  if (!t || *end || errno || !isfinite(s->out_scale) || s->out_scale == 0.0 || isspace((unsigned char)t[0]))
    BAD("gdl_net_load: %s: out_scale must be a finite non-zero number", path);
  if (token_size(next_token(&cur, tok, sizeof tok), SIZE_MAX, np))
    BAD("gdl_net_load: %s: bad parameter count", path);
  if (strcmp(cur, "\n")) BAD("gdl_net_load: %s: unexpected text at the end of the header line", path);
#undef BAD
  return GDL_OK;
}

int gdl_net_load(const char *path, gdl_net **out) {
  GDL_CHECK_ARG(path && out, "gdl_net_load: NULL argument");
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return gdl_fail(GDL_EIO, "gdl_net_load: cannot open %s: %s", path, strerror(errno));
  int rc = GDL_OK;
  gdl_net *n = NULL;
  char line[HEADER_MAX + 1];
  size_t len = 0;
  int c = 0;
  while (len < HEADER_MAX && (c = fgetc(f)) != EOF) {
    if (c == '\0') break;
    line[len++] = (char)c;
    if (c == '\n') break;
  }
  line[len] = '\0';
  if (len == 0 || line[len - 1] != '\n') {
    rc = gdl_fail(GDL_EPARSE, "gdl_net_load: %s has no GDLNET header line (at most %d bytes)", path, HEADER_MAX);
    goto done;
  }
  gdl_net_spec s;
  memset(&s, 0, sizeof s);
  size_t np = 0, shape_np = 0;
  if ((rc = parse_header(line, path, &s, &np)) != GDL_OK) goto done;
  if ((rc = check_spec(&s)) != GDL_OK) goto done;
  if (spec_nparams(&s, &shape_np)) {
    rc = gdl_fail(GDL_ERANGE, "gdl_net_load: %s: the shape has more than %zu parameters", path, MAX_PARAMS);
    goto done;
  }
  if (np != shape_np) {
    rc = gdl_fail(GDL_EPARSE, "gdl_net_load: %s declares %zu parameters, its shape has %zu", path, np, shape_np);
    goto done;
  }
  /* the file length must match the header before anything is allocated */
  struct stat st;
  long here = ftell(f);
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || here < 0) {
    rc = gdl_fail(GDL_EIO, "gdl_net_load: %s is not a regular file", path);
    goto done;
  }
  uint64_t have = (uint64_t)st.st_size - (uint64_t)here, want = (uint64_t)np * 8u;
  if (have != want) {
    rc = gdl_fail(GDL_EPARSE, "gdl_net_load: %s has %llu bytes of parameters, its header needs %llu (%s)", path,
                  (unsigned long long)have, (unsigned long long)want, have < want ? "truncated" : "trailing bytes");
    goto done;
  }
  if ((rc = gdl_net_create(&s, &n)) != GDL_OK) goto done;
  if (fread(n->params, 8, np, f) != np || fgetc(f) != EOF) {
    rc = gdl_fail(GDL_EPARSE, "gdl_net_load: %s changed size while reading", path);
    goto done;
  }
  for (size_t i = 0; i < np; i++) { /* little-endian bytes -> host double */
    unsigned char b[8];
    memcpy(b, &n->params[i], 8);
    uint64_t u = 0;
    for (int j = 0; j < 8; j++) u |= (uint64_t)b[j] << (8 * j);
    memcpy(&n->params[i], &u, 8);
  }
  *out = n;
  n = NULL;
done:
  gdl_net_free(n);
  fclose(f);
  return rc;
}
