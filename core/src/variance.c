/* variance.c: exact class-gradient variance engines (claim GV); see gdl/variance.h and
 * theorems/gradient_variance.md for the identities and the bounds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <gsl/gsl_fft_complex.h>
#include <gsl/gsl_fft_real.h>
#include <gsl/gsl_sf_zeta.h>
#include "gdl/boolean.h"
#include "gdl/error.h"
#include "gdl/group.h"
#include "gdl/variance.h"

/* LAPACK symmetric eigensolver (OpenBLAS ships LAPACK; GSL's eigen header would pull
 * gsl_cblas.h, which clashes with OpenBLAS's cblas.h). Trailing hidden string lengths
 * per the gfortran ABI. */
extern void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
                   double *w, double *work, const int *lwork, int *info, size_t ljobz, size_t luplo);

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Memory budget (doubles) of one block of per-example-gradient columns. */
#define GV_BLOCK_BUDGET ((size_t)16 << 20)
#define GV_ROW_CHUNK ((size_t)2048)

double gdl_loss_label_slope(gdl_loss loss) {
  switch (loss) {
    case GDL_LOSS_SQUARED: return -1.0;
    case GDL_LOSS_CORRELATION: return -1.0;
    case GDL_LOSS_LOGISTIC: return -0.5;
    default: return NAN;
  }
}

/* ------------------------------------------------------------------------ */
/* per-example gradient columns in blocks                                     */

typedef struct {
  gdl_net *net;
  size_t m, din, P;
  const double *X;     /* m x din, or NULL with cube_n > 0 (rows generated) */
  unsigned cube_n;
  size_t *lay, *jj, *ii;  /* column c: layer, unit j, input i ((size_t)-1 for a bias) */
  double *ones, *xbuf;
} gsrc;

static void gsrc_free(gsrc *s) {
  free(s->lay); free(s->jj); free(s->ii); free(s->ones); free(s->xbuf);
  memset(s, 0, sizeof *s);
}

static int gsrc_init(gsrc *s, gdl_net *net, size_t m, const double *X, unsigned cube_n) {
  memset(s, 0, sizeof *s);
  GDL_CHECK_ARG(net != NULL, "variance: net is NULL");
  const gdl_net_spec *sp = &net->spec;
  GDL_CHECK_ARG(sp->width[sp->nlayers] == 1, "variance: the net must have one output (has %zu)",
                sp->width[sp->nlayers]);
  GDL_CHECK_ARG(m >= 1, "variance: no input points");
  GDL_CHECK_ARG(X != NULL || cube_n > 0, "variance: X is NULL");
  s->net = net; s->m = m; s->X = X; s->cube_n = cube_n;
  s->din = sp->width[0]; s->P = net->nparams;
  size_t P = s->P;
  size_t H0 = sp->width[1];  /* virtual columns P..P+H0-1: delta_0j = d f / d z_0j */
  s->lay = malloc((P + H0) * sizeof *s->lay);
  s->jj = malloc((P + H0) * sizeof *s->jj);
  s->ii = malloc((P + H0) * sizeof *s->ii);
  s->ones = malloc(GV_ROW_CHUNK * sizeof *s->ones);
  if (cube_n) s->xbuf = malloc(GV_ROW_CHUNK * s->din * sizeof *s->xbuf);
  if (!s->lay || !s->jj || !s->ii || !s->ones || (cube_n && !s->xbuf)) {
    gsrc_free(s);
    return gdl_fail(GDL_ENOMEM, "variance: out of memory (column map)");
  }
  for (size_t i = 0; i < GV_ROW_CHUNK; i++) s->ones[i] = 1.0;
  for (size_t l = 0; l < sp->nlayers; l++) {
    size_t in = sp->width[l], o = sp->width[l + 1];
    for (size_t j = 0; j < o; j++)
      for (size_t i = 0; i < in; i++) {
        size_t c = net->w_off[l] + j * in + i;
        s->lay[c] = l; s->jj[c] = j; s->ii[c] = i;
      }
    if (net->b_off[l] != (size_t)-1)
      for (size_t j = 0; j < o; j++) {
        size_t c = net->b_off[l] + j;
        s->lay[c] = l; s->jj[c] = j; s->ii[c] = (size_t)-1;
      }
  }
  for (size_t j = 0; j < H0; j++) { s->lay[P + j] = 0; s->jj[P + j] = j; s->ii[P + j] = (size_t)-1; }
  size_t cap = m < GV_ROW_CHUNK ? m : GV_ROW_CHUNK;
  int rc = gdl_net_reserve(net, cap > net->cap ? cap : net->cap);
  if (rc) { gsrc_free(s); return rc; }
  return GDL_OK;
}

/* Number of columns per block for m rows. */
static size_t gsrc_nb(const gsrc *s) {
  size_t nb = GV_BLOCK_BUDGET / s->m;
  if (nb < 1) nb = 1;
  if (nb > s->P) nb = s->P;
  return nb;
}

/* Gb (m x nb, row-major) = columns idx[0..nb) (or c0..c0+nb-1 when idx is NULL) of the
 * per-example gradient matrix; index P + j is the virtual column delta_0j. */
static int gsrc_block_idx(gsrc *s, const size_t *idx, size_t c0, size_t nb, double *Gb);
static int gsrc_block(gsrc *s, size_t c0, size_t nb, double *Gb) { return gsrc_block_idx(s, NULL, c0, nb, Gb); }
static int gsrc_block_idx(gsrc *s, const size_t *idx, size_t c0, size_t nb, double *Gb) {
  gdl_net *net = s->net;
  const gdl_net_spec *sp = &net->spec;
  for (size_t r0 = 0; r0 < s->m; r0 += GV_ROW_CHUNK) {
    size_t mc = s->m - r0 < GV_ROW_CHUNK ? s->m - r0 : GV_ROW_CHUNK;
    const double *Xc;
    if (s->cube_n) {
      for (size_t r = 0; r < mc; r++) {
        size_t i = r0 + r;
        for (size_t j = 0; j < s->din; j++) s->xbuf[r * s->din + j] = ((i >> j) & 1u) ? -1.0 : 1.0;
      }
      Xc = s->xbuf;
    } else {
      Xc = s->X + r0 * s->din;
    }
    GDL_TRY(gdl_net_forward(net, mc, Xc, NULL));
    GDL_TRY(gdl_net_backward(net, s->ones));
    for (size_t r = 0; r < mc; r++) {
      double *row = Gb + (r0 + r) * nb;
      for (size_t t = 0; t < nb; t++) {
        size_t c = idx ? idx[t] : c0 + t, l = s->lay[c], j = s->jj[c], i = s->ii[c];
        size_t o = sp->width[l + 1], in = sp->width[l];
        double d = net->delta[l][r * o + j];
        if (i == (size_t)-1) row[t] = d;
        else row[t] = d * (l == 0 ? Xc[r * in + i] : net->a[l - 1][r * in + i]);
      }
    }
  }
  return GDL_OK;
}

/* Moments of one column block (weights w or uniform). */
static void block_moments(size_t m, size_t nb, const double *Gb, const double *w, double *eg2,
                          double *egc2) {
  double uw = 1.0 / (double)m;
  for (size_t t = 0; t < nb; t++) {
    double mu = 0.0, s2 = 0.0;
    for (size_t r = 0; r < m; r++) {
      double wr = w ? w[r] : uw, g = Gb[r * nb + t];
      mu += wr * g;
      s2 += wr * g * g;
    }
    double sc = 0.0;
    for (size_t r = 0; r < m; r++) {
      double wr = w ? w[r] : uw, g = Gb[r * nb + t] - mu;
      sc += wr * g * g;
    }
    *eg2 += s2;
    *egc2 += sc;
  }
}

/* GT (nb x m, column c contiguous) = transpose of Gb (m x nb, row-major), in tiles. */
static void transpose_block(size_t m, size_t nb, const double *Gb, double *GT) {
  enum { TILE = 32 };
  for (size_t r0 = 0; r0 < m; r0 += TILE) {
    size_t r1 = r0 + TILE < m ? r0 + TILE : m;
    for (size_t c0 = 0; c0 < nb; c0 += TILE) {
      size_t c1 = c0 + TILE < nb ? c0 + TILE : nb;
      for (size_t r = r0; r < r1; r++)
        for (size_t c = c0; c < c1; c++) GT[c * m + r] = Gb[r * nb + c];
    }
  }
}

/* block_moments (uniform weights) on contiguous columns: GT is nb x m. */
static void col_moments(size_t m, size_t nb, const double *GT, double *eg2, double *egc2) {
  double uw = 1.0 / (double)m;
  for (size_t t = 0; t < nb; t++) {
    const double *g = GT + t * m;
    double mu = 0.0, s2 = 0.0, sc = 0.0;
    for (size_t r = 0; r < m; r++) {
      mu += uw * g[r];
      s2 += uw * g[r] * g[r];
    }
    for (size_t r = 0; r < m; r++) sc += uw * (g[r] - mu) * (g[r] - mu);
    *eg2 += s2;
    *egc2 += sc;
  }
}

int gdl_grad_moments(gdl_net *net, size_t m, const double *X, const double *w, double *eg2,
                     double *egc2) {
  gsrc s;
  GDL_TRY(gsrc_init(&s, net, m, X, 0));
  size_t nb = gsrc_nb(&s);
  double *Gb = malloc(m * nb * sizeof *Gb);
  if (!Gb) { gsrc_free(&s); return gdl_fail(GDL_ENOMEM, "gdl_grad_moments: out of memory"); }
  double a = 0.0, b = 0.0;
  int rc = GDL_OK;
  for (size_t c0 = 0; c0 < s.P && rc == GDL_OK; c0 += nb) {
    size_t k = s.P - c0 < nb ? s.P - c0 : nb;
    rc = gsrc_block(&s, c0, k, Gb);
    if (rc == GDL_OK) block_moments(m, k, Gb, w, &a, &b);
  }
  free(Gb);
  gsrc_free(&s);
  if (rc) return rc;
  if (eg2) *eg2 = a;
  if (egc2) *egc2 = b;
  return GDL_OK;
}

static void result_init(gdl_var_result *out) {
  out->var = out->eg2 = out->egc2 = 0.0;
  out->gmu2 = out->bound_const = out->bound = NAN;
  out->nclass = 0;
}

/* ------------------------------------------------------------------------ */
/* classes                                                                    */

static uint64_t binom_u64(unsigned n, unsigned k) {
  if (k > n) return 0;
  if (k > n - k) k = n - k;
  uint64_t r = 1;
  for (unsigned i = 1; i <= k; i++) r = r * (n - k + i) / i;  /* exact: r*C stays integral */
  return r;
}

static int parity_eval(void *ctx, size_t h, size_t m, const double *X, size_t dim, double *y) {
  const gdl_class_parity_ctx *c = ctx;
  GDL_CHECK_ARG(dim >= c->n, "parity class: rows of width %zu < n = %u", dim, c->n);
  unsigned vars[64];
  uint64_t rem = h;
  for (unsigned i = c->k; i >= 1; i--) {  /* colex unranking */
    unsigned v = i - 1;
    while (binom_u64(v + 1, i) <= rem) v++;
    vars[i - 1] = v;
    rem -= binom_u64(v, i);
  }
  for (size_t r = 0; r < m; r++) {
    double p = 1.0;
    for (unsigned i = 0; i < c->k; i++) p *= X[r * dim + vars[i]];
    y[r] = p;
  }
  return GDL_OK;
}

int gdl_class_parity(unsigned n, unsigned k, gdl_class_parity_ctx *ctx, gdl_class *out) {
  GDL_CHECK_ARG(ctx && out, "gdl_class_parity: NULL argument");
  GDL_CHECK_ARG(n >= 1 && n <= 60 && k <= n, "gdl_class_parity: need k <= n <= 60 (n = %u, k = %u)", n, k);
  *ctx = (gdl_class_parity_ctx){.n = n, .k = k};
  *out = (gdl_class){.nclass = (size_t)binom_u64(n, k), .eval = parity_eval, .ctx = ctx, .prior = NULL};
  return GDL_OK;
}

static int modmul_eval(void *ctx, size_t h, size_t m, const double *X, size_t dim, double *y) {
  const gdl_class_modmul_ctx *c = ctx;
  uint64_t a = (uint64_t)h + 1;
  if (c->ints) {
    for (size_t r = 0; r < m; r++) y[r] = c->phi[gdl_zp_mulmod(a, c->ints[r], c->p)];
    return GDL_OK;
  }
  GDL_CHECK_ARG(c->dom != NULL, "modmul class: neither ints nor a domain to decode X");
  (void)dim;
  uint64_t *ints = malloc(m * sizeof *ints);
  if (!ints) return gdl_fail(GDL_ENOMEM, "modmul class: out of memory");
  int rc = gdl_domain_zp_decode(c->dom, m, X, ints);
  if (rc == GDL_OK)
    for (size_t r = 0; r < m; r++) y[r] = c->phi[gdl_zp_mulmod(a, ints[r], c->p)];
  free(ints);
  return rc;
}

int gdl_class_modmul(uint64_t p, const double *phi, const uint64_t *ints, const gdl_domain *dom,
                     gdl_class_modmul_ctx *ctx, gdl_class *out) {
  GDL_CHECK_ARG(ctx && out && phi, "gdl_class_modmul: NULL argument");
  GDL_CHECK_ARG(p >= 3, "gdl_class_modmul: p = %llu < 3", (unsigned long long)p);
  *ctx = (gdl_class_modmul_ctx){.p = p, .phi = phi, .ints = ints, .dom = dom};
  *out = (gdl_class){.nclass = (size_t)(p - 1), .eval = modmul_eval, .ctx = ctx, .prior = NULL};
  return GDL_OK;
}

static int wave_eval(void *ctx, size_t h, size_t m, const double *X, size_t dim, double *y) {
  const gdl_class_wave_ctx *c = ctx;
  double a = c->A * (1.0 + ((double)h + 0.5) / (double)c->na);
  for (size_t r = 0; r < m; r++) {
    double t;
    if (c->dir) {
      t = 0.0;
      for (size_t j = 0; j < dim; j++) t += c->dir[j] * X[r * dim + j];
    } else {
      t = X[r * dim];
    }
    y[r] = gdl_psi_eval(c->psi, a * t);
  }
  return GDL_OK;
}

int gdl_class_wave(double A, size_t na, gdl_psi psi, const double *dir, gdl_class_wave_ctx *ctx,
                   gdl_class *out) {
  GDL_CHECK_ARG(ctx && out, "gdl_class_wave: NULL argument");
  GDL_CHECK_ARG(isfinite(A) && A > 0 && na >= 1, "gdl_class_wave: need A > 0 and na >= 1");
  *ctx = (gdl_class_wave_ctx){.A = A, .na = na, .psi = psi, .dir = dir};
  *out = (gdl_class){.nclass = na, .eval = wave_eval, .ctx = ctx, .prior = NULL};
  return GDL_OK;
}

int gdl_phi_table(gdl_phi phi, uint64_t p, double *tab) {
  GDL_CHECK_ARG(tab != NULL && p >= 2, "gdl_phi_table: bad argument");
  for (uint64_t y = 0; y < p; y++) tab[y] = gdl_phi_eval(phi, y, p);
  return GDL_OK;
}

static int check_prior(const gdl_class *H) {
  GDL_CHECK_ARG(H && H->eval && H->nclass >= 1, "variance: empty or NULL class");
  if (H->prior) {
    double s = 0.0;
    for (size_t h = 0; h < H->nclass; h++) {
      GDL_CHECK_ARG(isfinite(H->prior[h]) && H->prior[h] >= 0, "variance: prior[%zu] invalid", h);
      s += H->prior[h];
    }
    GDL_CHECK_ARG(fabs(s - 1.0) < 1e-9, "variance: prior sums to %.17g, not 1", s);
  }
  return GDL_OK;
}

static double prior_of(const gdl_class *H, size_t h) {
  return H->prior ? H->prior[h] : 1.0 / (double)H->nclass;
}

/* ------------------------------------------------------------------------ */
/* engine 1: direct                                                           */

int gdl_variance_direct(gdl_net *net, gdl_loss loss, size_t m, const double *X, const double *w,
                        const gdl_class *H, gdl_var_result *out) {
  GDL_CHECK_ARG(net && X && out, "gdl_variance_direct: NULL argument");
  GDL_TRY(check_prior(H));
  GDL_CHECK_ARG(isfinite(gdl_loss_label_slope(loss)), "gdl_variance_direct: loss %s not supported",
                gdl_loss_name(loss));
  const gdl_net_spec *sp = &net->spec;
  GDL_CHECK_ARG(sp->width[sp->nlayers] == 1, "gdl_variance_direct: the net must have one output");
  size_t P = net->nparams, din = sp->width[0];
  result_init(out);
  double *y = malloc(m * sizeof *y), *pred = malloc(m * sizeof *pred), *dp = malloc(m * sizeof *dp);
  double *M = calloc(P, sizeof *M);
  int rc = GDL_OK;
  if (!y || !pred || !dp || !M) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_direct: out of memory"); goto done; }
  if ((rc = gdl_net_reserve(net, m > net->cap ? m : net->cap))) goto done;
  double W = 0.0, S = 0.0;
  for (size_t h = 0; h < H->nclass; h++) {
    if ((rc = H->eval(H->ctx, h, m, X, din, y))) goto done;
    if ((rc = gdl_net_forward(net, m, X, pred))) goto done;
    if ((rc = gdl_loss_eval(loss, m, 1, pred, y, w, NULL, dp))) goto done;
    if ((rc = gdl_net_backward(net, dp))) goto done;
    double pw = prior_of(H, h);
    if (pw <= 0) continue;
    W += pw;
    double f = pw / W, s = 0.0;
    for (size_t c = 0; c < P; c++) {
      double d = net->grad[c] - M[c];
      M[c] += f * d;
      s += d * (net->grad[c] - M[c]);
    }
    S += pw * s;
  }
  out->var = S / W;
  out->nclass = H->nclass;
  rc = gdl_grad_moments(net, m, X, w, &out->eg2, &out->egc2);
done:
  free(y); free(pred); free(dp); free(M);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* engine 2: GEMM                                                             */

/* Y (nclass x m) = centred class values (class mean under the prior, per point). */
static int centred_targets(const gdl_class *H, size_t m, const double *X, size_t dim, double **Yout) {
  size_t K = H->nclass;
  double *Y = malloc(K * m * sizeof *Y), *mean = calloc(m, sizeof *mean);
  if (!Y || !mean) { free(Y); free(mean); return gdl_fail(GDL_ENOMEM, "variance: out of memory (%zu x %zu targets)", K, m); }
  for (size_t h = 0; h < K; h++) {
    int rc = H->eval(H->ctx, h, m, X, dim, Y + h * m);
    if (rc) { free(Y); free(mean); return rc; }
    double pw = prior_of(H, h);
    for (size_t r = 0; r < m; r++) mean[r] += pw * Y[h * m + r];
  }
  for (size_t h = 0; h < K; h++)
    for (size_t r = 0; r < m; r++) Y[h * m + r] -= mean[r];
  free(mean);
  *Yout = Y;
  return GDL_OK;
}

/* V (K x P) = Yw G with Yw = Y diag(w); moments on the side. */
static int class_gradients(gdl_net *net, size_t m, const double *X, const double *w, const double *Y,
                           size_t K, double *V, double *eg2, double *egc2) {
  gsrc s;
  GDL_TRY(gsrc_init(&s, net, m, X, 0));
  size_t P = s.P, nb = gsrc_nb(&s);
  double *Gb = malloc(m * nb * sizeof *Gb), *Yw = malloc(K * m * sizeof *Yw), *Vb = malloc(K * nb * sizeof *Vb);
  int rc = GDL_OK;
  if (!Gb || !Yw || !Vb) { rc = gdl_fail(GDL_ENOMEM, "variance: out of memory (GEMM engine)"); goto done; }
  double uw = 1.0 / (double)m;
  for (size_t h = 0; h < K; h++)
    for (size_t r = 0; r < m; r++) Yw[h * m + r] = Y[h * m + r] * (w ? w[r] : uw);
  *eg2 = *egc2 = 0.0;
  for (size_t c0 = 0; c0 < P; c0 += nb) {
    size_t k = P - c0 < nb ? P - c0 : nb;
    if ((rc = gsrc_block(&s, c0, k, Gb))) goto done;
    block_moments(m, k, Gb, w, eg2, egc2);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)K, (int)k, (int)m, 1.0, Yw, (int)m, Gb,
                (int)k, 0.0, Vb, (int)k);
    for (size_t h = 0; h < K; h++) memcpy(V + h * P + c0, Vb + h * k, k * sizeof *V);
  }
done:
  free(Gb); free(Yw); free(Vb);
  gsrc_free(&s);
  return rc;
}

int gdl_variance_gemm(gdl_net *net, size_t m, const double *X, const double *w, const gdl_class *H,
                      int frame, gdl_var_result *out) {
  GDL_CHECK_ARG(net && X && out, "gdl_variance_gemm: NULL argument");
  GDL_TRY(check_prior(H));
  size_t K = H->nclass, P = net->nparams, din = net->spec.width[0];
  GDL_CHECK_ARG((double)K * (double)m <= 4e8 && (double)K * (double)P <= 4e8,
                "gdl_variance_gemm: class too large (%zu members x %zu points)", K, m);
  GDL_CHECK_ARG(!frame || K <= 3000, "gdl_variance_gemm: frame bound needs |H| <= 3000 (got %zu)", K);
  result_init(out);
  double *Y = NULL, *V = malloc(K * P * sizeof *V);
  if (!V) return gdl_fail(GDL_ENOMEM, "gdl_variance_gemm: out of memory");
  int rc = centred_targets(H, m, X, din, &Y);
  if (rc == GDL_OK) rc = class_gradients(net, m, X, w, Y, K, V, &out->eg2, &out->egc2);
  if (rc == GDL_OK) {
    double var = 0.0;
    for (size_t h = 0; h < K; h++) {
      double s = 0.0;
      for (size_t c = 0; c < P; c++) s += V[h * P + c] * V[h * P + c];
      var += prior_of(H, h) * s;
    }
    out->var = var;
    out->nclass = K;
  }
  if (rc == GDL_OK && frame) {
    /* G_pi = D Y W Y^T D, D = diag(sqrt(pi)); Var <= lambda_max(G_pi) E||g||^2. */
    double *Yw = malloc(K * m * sizeof *Yw), *Gm = malloc(K * K * sizeof *Gm);
    if (!Yw || !Gm) rc = gdl_fail(GDL_ENOMEM, "gdl_variance_gemm: out of memory (Gram)");
    else {
      double uw = 1.0 / (double)m;
      for (size_t h = 0; h < K; h++) {
        double sq = sqrt(prior_of(H, h));
        for (size_t r = 0; r < m; r++) Yw[h * m + r] = sq * Y[h * m + r] * sqrt(w ? w[r] : uw);
      }
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)K, (int)K, (int)m, 1.0, Yw, (int)m, Yw,
                  (int)m, 0.0, Gm, (int)K);
      int nn = (int)K, lwork = -1, info = 0;
      double wq = 0.0;
      double *ev = malloc(K * sizeof *ev);
      dsyev_("N", "U", &nn, Gm, &nn, ev, &wq, &lwork, &info, 1, 1);
      lwork = (int)wq + 1;
      double *work = malloc((size_t)lwork * sizeof *work);
      if (!ev || !work) rc = gdl_fail(GDL_ENOMEM, "gdl_variance_gemm: out of memory (eigen)");
      else {
        dsyev_("N", "U", &nn, Gm, &nn, ev, work, &lwork, &info, 1, 1);
        if (info != 0) rc = gdl_fail(GDL_ENUMERIC, "gdl_variance_gemm: dsyev failed (info %d)", info);
        else {
          double lm = ev[K - 1];  /* ascending */
          out->bound_const = lm;
          out->bound = lm * out->eg2;
        }
      }
      free(ev); free(work);
    }
    free(Yw); free(Gm);
  }
  free(Y); free(V);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* engine 3: parity levels by FWHT                                            */

/* First-layer weights need no transform of their own: the column of W_0[j,i] is
 * delta_0j(x) x_i = delta_0j(x) chi_{e_i}(x), whose Walsh coefficients are those of delta_0j
 * shifted by e_i: ghat(S) = dhat_j(S xor e_i). So only the H columns delta_0j and the
 * parameters after the first layer are transformed; the level sums of the n shifted copies
 * come from per-coordinate partial sums (a level-k set S = T xor e_i has |T| = k - 1 with
 * i not in T, or |T| = k + 1 with i in T). Moments: E[(delta x_i)^2] = E[delta^2],
 * E[delta x_i] = dhat(e_i). */
int gdl_variance_parity(gdl_net *net, gdl_var_result *out) {
  GDL_CHECK_ARG(net && out, "gdl_variance_parity: NULL argument");
  size_t n = net->spec.width[0];
  GDL_CHECK_ARG(n >= 1 && n <= 24, "gdl_variance_parity: input width n = %zu not in [1, 24]", n);
  size_t m = (size_t)1 << n;
  gsrc s;
  GDL_TRY(gsrc_init(&s, net, m, NULL, (unsigned)n));
  size_t P = s.P, H0 = net->spec.width[1], wo = net->w_off[0], bo = net->b_off[0];
  int has_b0 = bo != (size_t)-1;
  /* columns to transform: delta_0j (as b_0 if present), then every parameter outside W_0, b_0 */
  size_t ncol = 0;
  size_t *cols = malloc((P + H0) * sizeof *cols);
  unsigned char *isdelta = malloc(P + H0);
  double *Gb = NULL, *var = calloc(n + 1, sizeof *var), *cnt = malloc((n + 1) * sizeof *cnt);
  double *lsum = malloc((n + 2) * sizeof *lsum), *lsq = malloc((n + 2) * sizeof *lsq);
  double *isum = malloc(n * (n + 2) * sizeof *isum), *isq = malloc(n * (n + 2) * sizeof *isq);
  unsigned char *pc = malloc(m);
  int rc = GDL_OK;
  if (!cols || !isdelta || !var || !cnt || !lsum || !lsq || !isum || !isq || !pc) {
    rc = gdl_fail(GDL_ENOMEM, "gdl_variance_parity: out of memory");
    goto done;
  }
  for (size_t j = 0; j < H0; j++) { cols[ncol] = has_b0 ? bo + j : P + j; isdelta[ncol++] = 1; }
  for (size_t c = 0; c < P; c++) {
    int in_w0 = c >= wo && c < wo + H0 * n, in_b0 = has_b0 && c >= bo && c < bo + H0;
    if (!in_w0 && !in_b0) { cols[ncol] = c; isdelta[ncol++] = 0; }
  }
  size_t nb = GV_BLOCK_BUDGET / m;
  if (nb < 1) nb = 1;
  if (nb > ncol) nb = ncol;
  Gb = malloc(m * nb * sizeof *Gb);
  if (!Gb) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_parity: out of memory"); goto done; }
  for (size_t S = 0; S < m; S++) pc[S] = (unsigned char)__builtin_popcountll((unsigned long long)S);
  for (size_t k = 0; k <= n; k++) cnt[k] = (double)binom_u64((unsigned)n, (unsigned)k);
  double eg2 = 0.0, egc2 = 0.0, inv = 1.0 / (double)m;
  for (size_t c0 = 0; c0 < ncol; c0 += nb) {
    size_t kb = ncol - c0 < nb ? ncol - c0 : nb;
    if ((rc = gsrc_block_idx(&s, cols + c0, 0, kb, Gb))) goto done;
    /* moments column by column */
    double *dsq = malloc(kb * sizeof *dsq);
    if (!dsq) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_parity: out of memory"); goto done; }
    for (size_t t = 0; t < kb; t++) {
      double mu = 0.0, s2 = 0.0;
      for (size_t r = 0; r < m; r++) { double g = Gb[r * kb + t]; mu += g; s2 += g * g; }
      mu *= inv; s2 *= inv;
      double sc = 0.0;
      for (size_t r = 0; r < m; r++) { double g = Gb[r * kb + t] - mu; sc += g * g; }
      sc *= inv;
      dsq[t] = s2;
      int param = !isdelta[c0 + t] || has_b0;
      if (param) { eg2 += s2; egc2 += sc; }
    }
    if ((rc = gdl_fwht_cols(Gb, (unsigned)n, kb))) { free(dsq); goto done; }
    for (size_t t = 0; t < kb; t++) {
      int param = !isdelta[c0 + t] || has_b0;
      for (size_t k = 0; k <= n + 1; k++) lsum[k] = lsq[k] = 0.0;
      if (isdelta[c0 + t]) memset(isum, 0, n * (n + 2) * sizeof *isum), memset(isq, 0, n * (n + 2) * sizeof *isq);
      for (size_t S = 0; S < m; S++) {
        double v = Gb[S * kb + t] * inv;
        unsigned l = pc[S];
        lsum[l] += v;
        lsq[l] += v * v;
        if (isdelta[c0 + t])
          for (size_t bits = S; bits; bits &= bits - 1) {
            unsigned i = (unsigned)__builtin_ctzll((unsigned long long)bits);
            isum[i * (n + 2) + l] += v;
            isq[i * (n + 2) + l] += v * v;
          }
      }
      if (param) {  /* the column itself */
        for (size_t S = 0; S < m; S++) {
          double d = Gb[S * kb + t] * inv - lsum[pc[S]] / cnt[pc[S]];
          var[pc[S]] += d * d;
        }
      }
      if (isdelta[c0 + t]) {
        for (size_t i = 0; i < n; i++) {
          /* W_0[j,i]: moments E[delta^2], E[delta x_i] = dhat(e_i) */
          double di = Gb[((size_t)1 << i) * kb + t] * inv;
          eg2 += dsq[t];
          egc2 += dsq[t] - di * di;
          for (size_t k = 1; k <= n; k++) {
            /* level-k sets S = T xor e_i: |T| = k-1 (i not in T) or k+1 (i in T) */
            double s1 = (lsum[k - 1] - isum[i * (n + 2) + k - 1]) + (k + 1 <= n ? isum[i * (n + 2) + k + 1] : 0.0);
            double s2 = (lsq[k - 1] - isq[i * (n + 2) + k - 1]) + (k + 1 <= n ? isq[i * (n + 2) + k + 1] : 0.0);
            double v = s2 - s1 * s1 / cnt[k];
            var[k] += v > 0 ? v : 0.0;
          }
        }
      }
    }
    free(dsq);
  }
  for (size_t k = 0; k <= n; k++) {
    result_init(&out[k]);
    out[k].var = cnt[k] > 1 ? var[k] / cnt[k] : 0.0;  /* a one-member class has no variance */
    out[k].eg2 = eg2;
    out[k].egc2 = egc2;
    out[k].nclass = (size_t)cnt[k];
    out[k].bound_const = 1.0 / cnt[k];
    out[k].bound = eg2 / cnt[k];
  }
done:
  free(cols); free(isdelta); free(Gb); free(var); free(cnt); free(lsum); free(lsq); free(isum); free(isq); free(pc);
  gsrc_free(&s);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* power spectra |DFT_N(x)|^2 of real sequences, any N                         */

typedef struct {
  size_t N, M;
  int blue;
  gsl_fft_real_wavetable *wt;
  gsl_fft_real_workspace *ws;
  double *tmp;    /* N */
  double *chirp;  /* 2N: conj-free b_n = e^{i pi n^2/N} */
  double *bf;     /* 2M: FFT of the circular chirp */
  double *buf;    /* 2M */
  double *pw;     /* N (pair runs) */
  gsl_fft_complex_wavetable *cwt;  /* Bluestein: mixed-radix complex plan of length M */
  gsl_fft_complex_workspace *cws;
} pspec;

static size_t largest_prime_factor(size_t n) {
  size_t lp = 1;
  for (size_t f = 2; f * f <= n; f++)
    while (n % f == 0) { lp = f; n /= f; }
  if (n > 1) lp = n;
  return lp;
}

static void pspec_free(pspec *s) {
  if (s->wt) gsl_fft_real_wavetable_free(s->wt);
  if (s->ws) gsl_fft_real_workspace_free(s->ws);
  if (s->cwt) gsl_fft_complex_wavetable_free(s->cwt);
  if (s->cws) gsl_fft_complex_workspace_free(s->cws);
  free(s->tmp); free(s->chirp); free(s->bf); free(s->buf); free(s->pw);
  memset(s, 0, sizeof *s);
}

static int pspec_init(pspec *s, size_t N, gdl_fft_path path) {
  memset(s, 0, sizeof *s);
  s->N = N;
  s->blue = path == GDL_FFT_BLUESTEIN || (path == GDL_FFT_AUTO && largest_prime_factor(N) > 64);
  s->tmp = malloc(N * sizeof *s->tmp);
  s->pw = malloc(N * sizeof *s->pw);
  if (!s->tmp || !s->pw) { pspec_free(s); return gdl_fail(GDL_ENOMEM, "FFT: out of memory"); }
  if (!s->blue) {
    s->wt = gsl_fft_real_wavetable_alloc(N);
    s->ws = gsl_fft_real_workspace_alloc(N);
    if (!s->wt || !s->ws) { pspec_free(s); return gdl_fail(GDL_ENUMERIC, "FFT: GSL plan of length %zu failed", N); }
    return GDL_OK;
  }
  size_t M = 1;
  while (M < 2 * N - 1) M <<= 1;
  s->M = M;
  s->chirp = malloc(2 * N * sizeof *s->chirp);
  s->bf = calloc(2 * M, sizeof *s->bf);
  s->buf = malloc(2 * M * sizeof *s->buf);
  s->cwt = gsl_fft_complex_wavetable_alloc(M);
  s->cws = gsl_fft_complex_workspace_alloc(M);
  if (!s->chirp || !s->bf || !s->buf || !s->cwt || !s->cws) { pspec_free(s); return gdl_fail(GDL_ENOMEM, "FFT: out of memory"); }
  for (size_t n = 0; n < N; n++) {
    unsigned long long q = ((unsigned long long)n * n) % (2ull * N);
    double ang = M_PI * (double)q / (double)N;
    s->chirp[2 * n] = cos(ang);
    s->chirp[2 * n + 1] = sin(ang);
  }
  for (size_t n = 0; n < N; n++) {
    s->bf[2 * n] = s->chirp[2 * n];
    s->bf[2 * n + 1] = s->chirp[2 * n + 1];
    if (n > 0) {
      s->bf[2 * (M - n)] = s->chirp[2 * n];
      s->bf[2 * (M - n) + 1] = s->chirp[2 * n + 1];
    }
  }
  if (gsl_fft_complex_forward(s->bf, 1, M, s->cwt, s->cws) != 0) {
    pspec_free(s);
    return gdl_fail(GDL_ENUMERIC, "FFT: radix-2 transform of length %zu failed", M);
  }
  return GDL_OK;
}

static int bluestein(pspec *s, const double *x1, const double *x2, double *pw);

/* pw[k] = |sum_n x_n e^{-2 pi i n k/N}|^2, k = 0..N-1. */
static int pspec_run(pspec *s, const double *x, double *pw) {
  size_t N = s->N;
  if (!s->blue) {
    memcpy(s->tmp, x, N * sizeof *x);
    if (gsl_fft_real_transform(s->tmp, 1, N, s->wt, s->ws) != 0)
      return gdl_fail(GDL_ENUMERIC, "FFT: mixed-radix transform of length %zu failed", N);
    pw[0] = s->tmp[0] * s->tmp[0];
    for (size_t k = 1; 2 * k < N; k++) {
      double re = s->tmp[2 * k - 1], im = s->tmp[2 * k];
      pw[k] = pw[N - k] = re * re + im * im;
    }
    if (N % 2 == 0) pw[N / 2] = s->tmp[N - 1] * s->tmp[N - 1];
    return GDL_OK;
  }
  return bluestein(s, x, NULL, pw);
}

/* Bluestein on the complex sequence x1 + i x2 (x2 may be NULL): pw[k] = |X_k|^2. */
static int bluestein(pspec *s, const double *x1, const double *x2, double *pw) {
  size_t N = s->N, M = s->M;
  double *b = s->buf;
  for (size_t n = 0; n < N; n++) {  /* x_n conj(b_n) */
    double xr = x1[n], xi = x2 ? x2[n] : 0.0, cr = s->chirp[2 * n], ci = -s->chirp[2 * n + 1];
    b[2 * n] = xr * cr - xi * ci;
    b[2 * n + 1] = xr * ci + xi * cr;
  }
  memset(b + 2 * N, 0, 2 * (M - N) * sizeof *b);
  if (gsl_fft_complex_forward(b, 1, M, s->cwt, s->cws) != 0) return gdl_fail(GDL_ENUMERIC, "FFT: Bluestein failed");
  for (size_t k = 0; k < M; k++) {
    double re = b[2 * k] * s->bf[2 * k] - b[2 * k + 1] * s->bf[2 * k + 1];
    double im = b[2 * k] * s->bf[2 * k + 1] + b[2 * k + 1] * s->bf[2 * k];
    b[2 * k] = re;
    b[2 * k + 1] = im;
  }
  if (gsl_fft_complex_inverse(b, 1, M, s->cwt, s->cws) != 0) return gdl_fail(GDL_ENUMERIC, "FFT: Bluestein failed");
  for (size_t k = 0; k < N; k++) pw[k] = b[2 * k] * b[2 * k] + b[2 * k + 1] * b[2 * k + 1];
  return GDL_OK;
}

/* acc[k] += |DFT(x1)_k|^2 + |DFT(x2)_k|^2 (x2 may be NULL). Bluestein packs the pair into
 * one complex transform: with X = DFT(x1 + i x2), |A_k|^2 + |B_k|^2 = (|X_k|^2 + |X_{-k}|^2)/2. */
static int pspec_acc_pair(pspec *s, const double *x1, const double *x2, double *acc) {
  size_t N = s->N;
  if (!s->blue) {
    GDL_TRY(pspec_run(s, x1, s->pw));
    for (size_t k = 0; k < N; k++) acc[k] += s->pw[k];
    if (x2) {
      GDL_TRY(pspec_run(s, x2, s->pw));
      for (size_t k = 0; k < N; k++) acc[k] += s->pw[k];
    }
    return GDL_OK;
  }
  GDL_TRY(bluestein(s, x1, x2, s->pw));
  for (size_t k = 0; k < N; k++) acc[k] += 0.5 * (s->pw[k] + s->pw[(N - k) % N]);
  return GDL_OK;
}

int gdl_zp_fourier_l1(uint64_t p, const double *phi, double *fsum) {
  GDL_CHECK_ARG(phi && fsum && p >= 3, "gdl_zp_fourier_l1: bad argument");
  pspec s;
  GDL_TRY(pspec_init(&s, (size_t)p, GDL_FFT_AUTO));
  double *pw = malloc(p * sizeof *pw);
  if (!pw) { pspec_free(&s); return gdl_fail(GDL_ENOMEM, "gdl_zp_fourier_l1: out of memory"); }
  int rc = pspec_run(&s, phi, pw);
  if (rc == GDL_OK) {
    double t = 0.0;
    for (size_t k = 1; k < p; k++) t += sqrt(pw[k]);
    *fsum = t / (double)p;
  }
  free(pw);
  pspec_free(&s);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* engine 4: Z_p by FFT                                                       */

int gdl_variance_zp(gdl_net *net, const gdl_domain *d, const double *phi, gdl_fft_path path,
                    gdl_var_result *out, double *lmax, double *fsum_out) {
  GDL_CHECK_ARG(net && d && phi && out, "gdl_variance_zp: NULL argument");
  GDL_CHECK_ARG(d->kind == GDL_DOMAIN_ZP_BITS || d->kind == GDL_DOMAIN_ZP_SCALAR,
                "gdl_variance_zp: the domain is not Z_p");
  uint64_t p = d->p;
  GDL_CHECK_ARG(p >= 5 && p <= ((uint64_t)1 << 31), "gdl_variance_zp: p = %llu not in [5, 2^31]",
                (unsigned long long)p);
  GDL_CHECK_ARG(gdl_is_prime(p), "gdl_variance_zp: p = %llu is not prime", (unsigned long long)p);
  GDL_CHECK_ARG(net->spec.width[0] == gdl_domain_dim(d), "gdl_variance_zp: net input width %zu != encoding width %zu",
                net->spec.width[0], gdl_domain_dim(d));
  for (uint64_t y = 0; y < p; y++)
    GDL_CHECK_ARG(isfinite(phi[y]), "gdl_variance_zp: phi[%llu] is not finite", (unsigned long long)y);
  result_init(out);
  uint64_t r;
  GDL_TRY(gdl_zp_primitive_root(p, &r));
  size_t m = (size_t)p, N = m - 1, dim = gdl_domain_dim(d);
  double *X = malloc(m * dim * sizeof *X), *u = malloc(N * sizeof *u), *pwU = malloc(N * sizeof *pwU);
  double *S = calloc(N, sizeof *S);
  size_t *pos = malloc(N * sizeof *pos);
  double *Gb = NULL, *GT = NULL, *Xp = NULL;
  pspec ps;
  memset(&ps, 0, sizeof ps);
  gsrc s;
  memset(&s, 0, sizeof s);
  int rc = GDL_OK;
  if (!X || !u || !pwU || !S || !pos) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_zp: out of memory"); goto done; }
  if ((rc = gdl_domain_enumerate(d, X, NULL, NULL))) goto done;
  uint64_t y = 1;
  for (size_t t = 0; t < N; t++) { pos[t] = (size_t)y; y = gdl_zp_mulmod(y, r, p); }
  /* u[t] = phi(r^t) - c with c the mean of phi over Z_p^* (the class mean for x != 0). */
  double cbar = 0.0;
  for (size_t t = 0; t < N; t++) cbar += phi[pos[t]];
  cbar /= (double)N;
  for (size_t t = 0; t < N; t++) u[t] = phi[pos[t]] - cbar;
  if ((rc = pspec_init(&ps, N, path))) goto done;
  if ((rc = pspec_run(&ps, u, pwU))) goto done;
  /* The inputs in primitive-root order (row t = r^t, t < N; row N = x = 0, which drops out of
   * the class sum but counts in the moments), so that each gradient column, transposed into
   * GT, is the FFT input itself: no gather through pos[] with a stride (which cost ~15% of
   * the run at p = 100801), and the moments read contiguous columns. */
  Xp = malloc(m * dim * sizeof *Xp);
  if (!Xp) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_zp: out of memory"); goto done; }
  for (size_t t = 0; t < N; t++) memcpy(Xp + t * dim, X + pos[t] * dim, dim * sizeof *Xp);
  memcpy(Xp + N * dim, X, dim * sizeof *Xp);
  if ((rc = gsrc_init(&s, net, m, Xp, 0))) goto done;
  size_t P = s.P, nb = gsrc_nb(&s);
  Gb = malloc(m * nb * sizeof *Gb);
  GT = malloc(m * nb * sizeof *GT);
  if (!Gb || !GT) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_zp: out of memory"); goto done; }
  double eg2 = 0.0, egc2 = 0.0;
  for (size_t c0 = 0; c0 < P; c0 += nb) {
    size_t kb = P - c0 < nb ? P - c0 : nb;
    if ((rc = gsrc_block(&s, c0, kb, Gb))) goto done;
    transpose_block(m, kb, Gb, GT);
    col_moments(m, kb, GT, &eg2, &egc2);
    for (size_t t = 0; t < kb; t += 2) {
      int two = t + 1 < kb;
      if ((rc = pspec_acc_pair(&ps, GT + t * m, two ? GT + (t + 1) * m : NULL, S))) goto done;
    }
  }
  /* Var = (1/N) sum_i ||V_i||^2, V_i = (1/p) sum_j u[i+j] G[j]; Parseval:
   * = sum_k |U_k|^2 sum_c |Ghat_c,k|^2 / (N^2 p^2). */
  double acc = 0.0, lm = 0.0;
  for (size_t k = 0; k < N; k++) {
    acc += pwU[k] * S[k];
    if (pwU[k] > lm) lm = pwU[k];
  }
  out->var = acc / ((double)N * (double)N * (double)p * (double)p);
  out->eg2 = eg2;
  out->egc2 = egc2;
  out->nclass = N;
  double fs;
  if ((rc = gdl_zp_fourier_l1(p, phi, &fs))) goto done;
  out->bound_const = fs * fs / (double)N;
  out->bound = out->bound_const * egc2;
  if (lmax) *lmax = lm / (double)p;
  if (fsum_out) *fsum_out = fs;
done:
  free(X); free(u); free(pwU); free(S); free(pos); free(Gb); free(GT); free(Xp);
  pspec_free(&ps);
  if (s.net) gsrc_free(&s);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* engine 5: waves                                                            */

int gdl_wave_grid(double A, double step, size_t *m, double *X, double *w) {
  GDL_CHECK_ARG(m != NULL, "gdl_wave_grid: m is NULL");
  GDL_CHECK_ARG(isfinite(A) && A > 0, "gdl_wave_grid: A must be > 0");
  double h = step > 0 ? step : 1.0 / (64.0 * A);
  GDL_CHECK_ARG(h <= 1.0 / (4.0 * A) * (1 + 1e-12), "gdl_wave_grid: step %g > 1/(4A) = %g", h, 1.0 / (4 * A));
  double Jd = floor(8.0 / h + 1e-9);
  GDL_CHECK_ARG(Jd >= 1 && Jd <= 1e8, "gdl_wave_grid: grid too large (A = %g)", A);
  size_t J = (size_t)Jd, mm = 2 * J + 1;
  *m = mm;
  if (!X && !w) return GDL_OK;
  double s = 0.0;
  for (size_t j = 0; j < mm; j++) {
    double x = ((double)j - (double)J) * h;
    if (X) X[j] = x;
    double v = exp(-0.5 * x * x);
    if (w) w[j] = v;
    s += v;
  }
  if (w)
    for (size_t j = 0; j < mm; j++) w[j] /= s;
  return GDL_OK;
}

double gdl_psi_bound_factor(gdl_psi psi) {
  switch (psi) {
    case GDL_PSI_SIN:
    case GDL_PSI_COS: return 1.0;
    case GDL_PSI_TRIANGLE: {
      double f = 8.0 / (M_PI * M_PI) * (1.0 - pow(2.0, -2.5)) * gsl_sf_zeta(2.5);
      return f * f;
    }
    case GDL_PSI_SAWTOOTH: {
      double f = 2.0 / M_PI * gsl_sf_zeta(1.5);
      return f * f;
    }
  }
  return NAN;
}

/* kappa(om) = E_{a ~ U[A,2A]} cos(2 pi a om). */
static double wave_kappa(double A, double om) {
  double t = 2.0 * M_PI * A * om;
  if (fabs(t) < 1e-6) return 1.0 - 7.0 / 6.0 * t * t;  /* (sin 2t - sin t)/t, series */
  return (sin(2.0 * t) - sin(t)) / t;
}

/* E_{a ~ U[A,2A]} trig(2 pi a x), trig = cos or sin. */
static double wave_mean_trig(double A, gdl_psi psi, double x) {
  if (psi == GDL_PSI_COS) return wave_kappa(A, x);
  double t = 2.0 * M_PI * A * x;
  return fabs(t) < 1e-8 ? 1.5 * t : (cos(t) - cos(2.0 * t)) / t;
}

/* The FFT path for the class {psi_K(a x)}, psi_K(t) = sum_{k=1}^K coef[k-1] trig(2 pi k t)
 * (trig = psi, sin or cos). Harmonic k of the grid point x_j = (j - J) h is the pure trig
 * wave at the virtual point k x_j = (k (j - J)) h of the same step h, so
 *   v_a = sum_j w_j g_j psi_K(a x_j) = sum_s U[s] trig(2 pi a s' h),
 *   U[K J + k (j - J)] += coef[k-1] w_j g_j        (s' = s - K J),
 * i.e. the single-frequency class on a virtual grid K times wider whose sequence U collects
 * every harmonic: the Toeplitz + Hankel sums below then carry all cross terms between
 * harmonics exactly (theorems/gradient_variance.md, "Every wave"). K = 1, coef = {1} is the
 * plain sin/cos engine. bound_factor: the (sum |psihat_k| |k|^{-1/2})^2 of psi_K. */
static int wave_fft_series(gdl_net *net, double A, gdl_psi psi, double step, size_t K, const double *coef,
                           double bound_factor, gdl_var_result *out) {
  size_t m;
  GDL_TRY(gdl_wave_grid(A, step, &m, NULL, NULL));
  double h = step > 0 ? step : 1.0 / (64.0 * A);
  size_t J = (m - 1) / 2, KJ = K * J, mv = 2 * KJ + 1;
  size_t L = 1;
  while (L < 2 * mv - 1) L <<= 1;
  double *X = malloc(m * sizeof *X), *w = malloc(m * sizeof *w), *mu = malloc(m * sizeof *mu);
  double *Z = malloc(2 * L * sizeof *Z), *S1 = calloc(2 * L, sizeof *S1), *S2 = calloc(2 * L, sizeof *S2);
  double *Gb = NULL;
  gsl_fft_complex_wavetable *cwt = gsl_fft_complex_wavetable_alloc(L);
  gsl_fft_complex_workspace *cws = gsl_fft_complex_workspace_alloc(L);
  gsrc s;
  memset(&s, 0, sizeof s);
  int rc = GDL_OK;
  if (!X || !w || !mu || !Z || !S1 || !S2 || !cwt || !cws) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_wave: out of memory"); goto done; }
  if ((rc = gdl_wave_grid(A, step, &m, X, w))) goto done;
  for (size_t j = 0; j < m; j++) {  /* E_a psi_K(a x_j) */
    double acc = 0.0;
    for (size_t k = 1; k <= K; k++)
      if (coef[k - 1] != 0.0) acc += coef[k - 1] * wave_mean_trig(A, psi, (double)k * X[j]);
    mu[j] = acc;
  }
  if ((rc = gsrc_init(&s, net, m, X, 0))) goto done;
  size_t P = s.P, nb = gsrc_nb(&s);
  if (nb > 1 && nb % 2) nb--;
  Gb = malloc(m * nb * sizeof *Gb);
  if (!Gb) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_wave: out of memory"); goto done; }
  double eg2 = 0.0, egc2 = 0.0, gmu2 = 0.0, mean2 = 0.0;
  for (size_t c0 = 0; c0 < P; c0 += nb) {
    size_t kb = P - c0 < nb ? P - c0 : nb;
    if ((rc = gsrc_block(&s, c0, kb, Gb))) goto done;
    block_moments(m, kb, Gb, w, &eg2, &egc2);
    for (size_t t = 0; t < kb; t++) {
      double mv0 = 0.0;
      for (size_t j = 0; j < m; j++) {
        double c = w[j] * Gb[j * kb + t];
        mv0 += c * mu[j];
        gmu2 += c * c;
      }
      mean2 += mv0 * mv0;
    }
    /* two real columns per complex FFT: z = U_t + i U_{t+1} */
    for (size_t t = 0; t < kb; t += 2) {
      int two = t + 1 < kb;
      memset(Z, 0, 2 * L * sizeof *Z);
      for (size_t k = 1; k <= K; k++) {
        double ck = coef[k - 1];
        if (ck == 0.0) continue;
        for (size_t j = 0; j < m; j++) {
          size_t sv = KJ + k * j - k * J;
          Z[2 * sv] += ck * (w[j] * Gb[j * kb + t]);
          Z[2 * sv + 1] += two ? ck * (w[j] * Gb[j * kb + t + 1]) : 0.0;
        }
      }
      if (gsl_fft_complex_forward(Z, 1, L, cwt, cws) != 0) { rc = gdl_fail(GDL_ENUMERIC, "gdl_variance_wave: FFT failed"); goto done; }
      for (size_t f = 0; f < L; f++) {
        size_t g = (L - f) % L;
        double zr = Z[2 * f], zi = Z[2 * f + 1], cr = Z[2 * g], ci = -Z[2 * g + 1];  /* conj Z(-f) */
        double ar = 0.5 * (zr + cr), ai = 0.5 * (zi + ci);          /* A = (Z + conj Z(-f))/2 */
        double br = 0.5 * (zi - ci), bi = -0.5 * (zr - cr);         /* B = (Z - conj Z(-f))/(2i) */
        S1[2 * f] += ar * ar + ai * ai + br * br + bi * bi;
        S2[2 * f] += ar * ar - ai * ai + br * br - bi * bi;
        S2[2 * f + 1] += 2.0 * (ar * ai + br * bi);
      }
    }
  }
  if (gsl_fft_complex_inverse(S1, 1, L, cwt, cws) != 0 || gsl_fft_complex_inverse(S2, 1, L, cwt, cws) != 0) {
    rc = gdl_fail(GDL_ENUMERIC, "gdl_variance_wave: inverse FFT failed");
    goto done;
  }
  /* E_a ||v_a||^2 = 1/2 [ sum_d kappa(d h) R(d) -/+ sum_s kappa((s - 2KJ) h) Q(s) ] */
  double T = S1[0] * wave_kappa(A, 0.0);
  for (size_t dd = 1; dd < mv; dd++) T += wave_kappa(A, (double)dd * h) * (S1[2 * dd] + S1[2 * (L - dd)]);
  double Kh = 0.0;
  for (size_t ss = 0; ss + 1 < 2 * mv; ss++) Kh += wave_kappa(A, ((double)ss - 2.0 * (double)KJ) * h) * S2[2 * ss];
  double e2 = 0.5 * (T + (psi == GDL_PSI_COS ? Kh : -Kh));
  out->var = e2 - mean2;
  out->eg2 = eg2;
  out->egc2 = egc2;
  out->gmu2 = gmu2 / h;
  out->bound_const = bound_factor / (2.0 * A);
  out->bound = out->bound_const * out->gmu2;
  out->nclass = 0;
done:
  free(X); free(w); free(mu); free(Z); free(S1); free(S2); free(Gb);
  if (cwt) gsl_fft_complex_wavetable_free(cwt);
  if (cws) gsl_fft_complex_workspace_free(cws);
  if (s.net) gsrc_free(&s);
  return rc;
}

static int wave_fft(gdl_net *net, double A, gdl_psi psi, double step, gdl_var_result *out) {
  static const double one = 1.0;
  return wave_fft_series(net, A, psi, step, 1, &one, gdl_psi_bound_factor(psi), out);
}

int gdl_psi_series(gdl_psi psi, size_t K, gdl_psi *trig, double *coef) {
  GDL_CHECK_ARG(trig && coef && K >= 1, "gdl_psi_series: bad arguments");
  for (size_t k = 1; k <= K; k++) {
    double kk = (double)k;
    switch (psi) {
      case GDL_PSI_SIN:
      case GDL_PSI_COS: coef[k - 1] = k == 1 ? 1.0 : 0.0; break;
      case GDL_PSI_TRIANGLE: coef[k - 1] = (k & 1) ? 8.0 / (M_PI * M_PI * kk * kk) : 0.0; break;
      case GDL_PSI_SAWTOOTH: coef[k - 1] = ((k & 1) ? 2.0 : -2.0) / (M_PI * kk); break;
      default: return gdl_fail(GDL_EINVAL, "gdl_psi_series: unknown profile %d", (int)psi);
    }
  }
  *trig = psi == GDL_PSI_TRIANGLE || psi == GDL_PSI_COS ? GDL_PSI_COS : GDL_PSI_SIN;
  return GDL_OK;
}

double gdl_psi_series_tail(gdl_psi psi, size_t K) {
  switch (psi) {
    case GDL_PSI_SIN:
    case GDL_PSI_COS: return K >= 1 ? 0.0 : 1.0;
    case GDL_PSI_TRIANGLE: {  /* (8/pi^2) sum_{odd k > K} k^-3 = (8/pi^2) ((7/8) zeta(3) - sum_{odd k <= K} k^-3) */
      double s = 0.0;
      for (size_t k = 1; k <= K; k += 2) s += 1.0 / ((double)k * (double)k * (double)k);
      return 8.0 / (M_PI * M_PI) * fmax(0.875 * gsl_sf_zeta(3.0) - s, 0.0);
    }
    case GDL_PSI_SAWTOOTH: {  /* (2/pi) sum_{k > K} k^-2 = (2/pi) (zeta(2) - sum_{k <= K} k^-2) */
      double s = 0.0;
      for (size_t k = 1; k <= K; k++) s += 1.0 / ((double)k * (double)k);
      return 2.0 / M_PI * fmax(M_PI * M_PI / 6.0 - s, 0.0);
    }
  }
  return NAN;
}

int gdl_variance_wave_series(gdl_net *net, double A, gdl_psi psi, double step, size_t K, gdl_var_result *out) {
  GDL_CHECK_ARG(net && out, "gdl_variance_wave_series: NULL argument");
  GDL_CHECK_ARG(net->spec.width[0] == 1, "gdl_variance_wave_series: net input width must be 1");
  GDL_CHECK_ARG(K >= 1 && K <= 64, "gdl_variance_wave_series: K = %zu not in 1..64", K);
  GDL_CHECK_ARG(isfinite(A) && A > 0, "gdl_variance_wave_series: A must be > 0");
  double h = step > 0 ? step : 1.0 / (64.0 * A);
  GDL_CHECK_ARG(4.0 * (double)K * A * h <= 1.0 + 1e-12,
                "gdl_variance_wave_series: 4 K A h = %g > 1 (harmonic K not resolved by the grid)", 4.0 * (double)K * A * h);
  double coef[64];
  gdl_psi trig;
  GDL_TRY(gdl_psi_series(psi, K, &trig, coef));
  double f = 0.0;
  for (size_t k = 1; k <= K; k++) f += fabs(coef[k - 1]) / sqrt((double)k);
  result_init(out);
  return wave_fft_series(net, A, trig, step, K, coef, f * f, out);
}

/* ------------------------------------------------------------------------ */
/* cross-fitted Monte Carlo                                                   */

int gdl_variance_crossfit(gdl_net *net, size_t mA, const double *XA, size_t mB, const double *XB,
                          const gdl_class *H, gdl_var_result *out) {
  GDL_CHECK_ARG(net && XA && XB && out, "gdl_variance_crossfit: NULL argument");
  GDL_TRY(check_prior(H));
  size_t K = H->nclass, P = net->nparams, din = net->spec.width[0];
  GDL_CHECK_ARG((double)K * (double)P <= 2e8, "gdl_variance_crossfit: class too large");
  result_init(out);
  double *YA = NULL, *YB = NULL, *VA = malloc(K * P * sizeof *VA), *VB = malloc(K * P * sizeof *VB);
  double e2b, ec2b;
  int rc = GDL_OK;
  if (!VA || !VB) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_crossfit: out of memory"); goto done; }
  if ((rc = centred_targets(H, mA, XA, din, &YA))) goto done;
  if ((rc = centred_targets(H, mB, XB, din, &YB))) goto done;
  if ((rc = class_gradients(net, mA, XA, NULL, YA, K, VA, &out->eg2, &out->egc2))) goto done;
  if ((rc = class_gradients(net, mB, XB, NULL, YB, K, VB, &e2b, &ec2b))) goto done;
  double v = 0.0;
  for (size_t h = 0; h < K; h++) v += prior_of(H, h) * cblas_ddot((int)P, VA + h * P, 1, VB + h * P, 1);
  out->var = v;
  out->nclass = K;
done:
  free(YA); free(YB); free(VA); free(VB);
  return rc;
}

/* Legendre path: with a = A (3 + t)/2, t ~ U[-1, 1], the plane-wave expansion
 * e^{i z t} = sum_n (2n+1) i^n j_n(z) P_n(t) gives v_a = sum_n b_n P_n(t) with
 * b_n = (2n+1) sum_j c_j j_n(pi A x_j) trig(3 pi A x_j + n pi/2) (trig = sin for psi = sin,
 * cos for cos), so E_a v_a = b_0 and Var = sum_{n>=1} ||b_n||^2/(2n+1) exactly: the mean
 * never has to be subtracted (no cancellation). Cost O(N m P), N ~ 8 pi A. */
/* j_0..j_N at z > 0 by Miller's downward recurrence (stable for every n; values below
 * the double range flush to 0), normalised with whichever of j_0, j_1 is larger. */
static void sph_bessel_array(size_t N, double z, double *j) {
  size_t start = N + 30 + (size_t)z + (size_t)(10.0 * cbrt(z + 1.0));
  double jp1 = 0.0, jn = 1e-300;
  for (size_t k = 0; k <= N; k++) j[k] = 0.0;
  if (start <= N) j[start] = jn;
  for (size_t n = start; n > 0; n--) {
    double jm1 = (2.0 * (double)n + 1.0) / z * jn - jp1;
    if (n - 1 <= N) j[n - 1] = jm1;
    if (fabs(jm1) > 1e250) {
      for (size_t k = n - 1; k <= N; k++) j[k] *= 1e-250;
      jm1 *= 1e-250;
      jn *= 1e-250;
    }
    jp1 = jn;
    jn = jm1;
  }
  double t0 = sin(z) / z, t1 = sin(z) / (z * z) - cos(z) / z;
  double sc = (fabs(t0) >= fabs(t1) || N == 0) ? t0 / j[0] : t1 / j[1];
  for (size_t k = 0; k <= N; k++) j[k] *= sc;
}

static int wave_legendre(gdl_net *net, double A, gdl_psi psi, double step, gdl_var_result *out) {
  size_t m;
  GDL_TRY(gdl_wave_grid(A, step, &m, NULL, NULL));
  double h = step > 0 ? step : 1.0 / (64.0 * A);
  double zmax = M_PI * A * 8.0 + 1.0;
  size_t N = (size_t)ceil(zmax + 12.0 * cbrt(zmax) + 30.0);
  size_t P = net->nparams, CH = 512;
  double *X = malloc(m * sizeof *X), *w = malloc(m * sizeof *w), *G = malloc(m * P * sizeof *G);
  double *Sm = malloc((N + 1) * CH * sizeof *Sm), *B = calloc((N + 1) * P, sizeof *B), *jl = malloc((N + 1) * sizeof *jl);
  gsrc s;
  memset(&s, 0, sizeof s);
  int rc = GDL_OK;
  if (!X || !w || !G || !Sm || !B || !jl) { rc = gdl_fail(GDL_ENOMEM, "gdl_variance_wave: out of memory"); goto done; }
  if ((rc = gdl_wave_grid(A, step, &m, X, w))) goto done;
  if ((rc = gsrc_init(&s, net, m, X, 0))) goto done;
  if ((rc = gsrc_block(&s, 0, P, G))) goto done;
  double eg2 = 0.0, egc2 = 0.0, gmu2 = 0.0;
  block_moments(m, P, G, w, &eg2, &egc2);
  for (size_t j = 0; j < m; j++)
    for (size_t c = 0; c < P; c++) {
      G[j * P + c] *= w[j];
      gmu2 += G[j * P + c] * G[j * P + c];
    }
  for (size_t j0 = 0; j0 < m; j0 += CH) {
    size_t mc = m - j0 < CH ? m - j0 : CH;
    for (size_t r = 0; r < mc; r++) {
      double x = X[j0 + r], z = M_PI * A * fabs(x), th = 3.0 * M_PI * A * x;
      if (z == 0.0) { jl[0] = 1.0; for (size_t n = 1; n <= N; n++) jl[n] = 0.0; }
      else sph_bessel_array(N, z, jl);
      for (size_t n = 0; n <= N; n++) {
        double jn = (x < 0 && (n & 1)) ? -jl[n] : jl[n];
        double ph = th + 0.5 * M_PI * (double)(n & 3);
        Sm[n * CH + r] = jn * (psi == GDL_PSI_SIN ? sin(ph) : cos(ph));
      }
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)(N + 1), (int)P, (int)mc, 1.0, Sm, (int)CH,
                G + j0 * P, (int)P, 1.0, B, (int)P);
  }
  double var = 0.0;
  for (size_t n = 1; n <= N; n++) {
    double nn = 0.0;
    for (size_t c = 0; c < P; c++) nn += B[n * P + c] * B[n * P + c];
    var += (2.0 * (double)n + 1.0) * nn;  /* ||(2n+1) b'_n||^2/(2n+1) */
  }
  out->var = var;
  out->eg2 = eg2;
  out->egc2 = egc2;
  out->gmu2 = gmu2 / h;
  out->bound_const = gdl_psi_bound_factor(psi) / (2.0 * A);
  out->bound = out->bound_const * out->gmu2;
  out->nclass = 0;
done:
  free(X); free(w); free(G); free(Sm); free(B); free(jl);
  if (s.net) gsrc_free(&s);
  return rc;
}

int gdl_variance_wave_method(gdl_net *net, double A, gdl_psi psi, double step, int method, gdl_var_result *out) {
  GDL_CHECK_ARG(net && out, "gdl_variance_wave: NULL argument");
  GDL_CHECK_ARG(psi == GDL_PSI_SIN || psi == GDL_PSI_COS,
                "gdl_variance_wave: the exact engine supports psi = sin or cos only");
  GDL_CHECK_ARG(net->spec.width[0] == 1, "gdl_variance_wave: net input width must be 1");
  GDL_CHECK_ARG(method >= 0 && method <= 2, "gdl_variance_wave: method %d not in 0..2", method);
  size_t m;
  GDL_TRY(gdl_wave_grid(A, step, &m, NULL, NULL));
  double zmax = M_PI * A * 8.0 + 1.0;
  double work = (zmax + 12.0 * cbrt(zmax) + 30.0) * (double)m * (double)net->nparams;
  int leg = method == 1 || (method == 0 && work <= 1e9 && (double)m * (double)net->nparams <= 3e7);
  result_init(out);
  return leg ? wave_legendre(net, A, psi, step, out) : wave_fft(net, A, psi, step, out);
}

int gdl_variance_wave(gdl_net *net, double A, gdl_psi psi, double step, gdl_var_result *out) {
  return gdl_variance_wave_method(net, A, psi, step, 0, out);
}
