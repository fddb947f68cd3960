/* experiments/sgd_hardness.c: the experiment of claim SH (see sgd_hardness.h). */
#include "experiments/sgd_hardness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h> /* cblas_* symbols bind to OpenBLAS (link order, see DESIGN.md) */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_gegenbauer.h>

static const char *const KIND_NAMES[SH_NKINDS] = {"FCN-SGD", "FCN-Adam", "coord-Adam", "coord-ridge", "rand-ridge"};
static const char *const LAW_NAMES[3] = {"fcn", "e1", "rand"};

const char *sh_kind_name(sh_kind k) { return (unsigned)k < SH_NKINDS ? KIND_NAMES[k] : "?"; }

void sh_config_default(sh_config *c, sh_kind k, double gamma) {
  *c = (sh_config){.kind = k, .d = 16, .gamma = gamma,
                   .e1_scale = 10.0, .kink_range = 3.0,
                   .batch = 32, .samples = 200000, .ridge = 1e-8, .ntest = 20000,
                   .purpose_init = "sh.init", .purpose_dirs = "sh.dirs", .purpose_train = "sh.train",
                   .purpose_test = "sh.test"};
  switch (k) {
    case SH_FCN_SGD:
    case SH_FCN_ADAM:
      c->law = SH_NET_FCN;
      c->fit = SH_FIT_ONLINE;
      c->N = 128;
      c->opt = k == SH_FCN_ADAM ? GDL_OPT_ADAM : GDL_OPT_GD;
      c->lr = k == SH_FCN_ADAM ? 3e-3 : 0.01;
      break;
    case SH_E1_ADAM:
      c->law = SH_NET_E1;
      c->fit = SH_FIT_ONLINE;
      c->N = 512;
      c->opt = GDL_OPT_ADAM;
      c->lr = 0.01;
      c->linear_decay = 1;
      break;
    default: /* SH_E1_RIDGE, SH_RAND_RIDGE */
      c->law = k == SH_RAND_RIDGE ? SH_NET_RAND : SH_NET_E1;
      c->fit = SH_FIT_RIDGE;
      c->N = 256;
      c->samples = 100000;
      break;
  }
}

int sh_config_json(const void *cfg, gdl_json *j) {
  const sh_config *c = cfg;
  GDL_TRY(gdl_json_str(j, "kind", sh_kind_name(c->kind)));
  GDL_TRY(gdl_json_str(j, "first_layer", (unsigned)c->law < 3 ? LAW_NAMES[c->law] : "?"));
  GDL_TRY(gdl_json_str(j, "fit", c->fit == SH_FIT_RIDGE ? "ridge" : "online"));
  GDL_TRY(gdl_json_int(j, "d", (long long)c->d));
  GDL_TRY(gdl_json_int(j, "N", (long long)c->N));
  GDL_TRY(gdl_json_num(j, "gamma", c->gamma));
  if (c->law != SH_NET_FCN) {
    GDL_TRY(gdl_json_num(j, "e1_scale", c->e1_scale));
    GDL_TRY(gdl_json_num(j, "kink_range", c->kink_range));
  }
  if (c->fit == SH_FIT_ONLINE) {
    GDL_TRY(gdl_json_str(j, "optimizer", gdl_optimizer_name(c->opt)));
    GDL_TRY(gdl_json_num(j, "lr", c->lr));
    GDL_TRY(gdl_json_str(j, "schedule", c->linear_decay ? "linear" : "const"));
    GDL_TRY(gdl_json_int(j, "batch", (long long)c->batch));
  } else {
    GDL_TRY(gdl_json_num(j, "ridge", c->ridge));
  }
  GDL_TRY(gdl_json_int(j, "samples", (long long)c->samples));
  GDL_TRY(gdl_json_int(j, "ntest", (long long)c->ntest));
  if (c->ckpt > 0) {
    GDL_TRY(gdl_json_int(j, "checkpoints", (long long)c->ckpt));
    GDL_TRY(gdl_json_nums(j, "orbit_gamma", c->norbit, c->orbit_gamma));
  }
  GDL_TRY(gdl_json_str(j, "purpose_init", c->purpose_init));
  if (c->law == SH_NET_RAND) GDL_TRY(gdl_json_str(j, "purpose_dirs", c->purpose_dirs));
  GDL_TRY(gdl_json_str(j, "purpose_train", c->purpose_train));
  GDL_TRY(gdl_json_str(j, "purpose_test", c->purpose_test));
  return gdl_json_int(j, "index", (long long)c->index);
}

/* ---------------- nets ---------------- */
/* SH_NET_E1 / SH_NET_RAND: w_j = s_j u_j, b_j = -s_j k_j. s and k come from r_init in the
 * same order for both laws; the twin's directions from r_dirs afterwards. */
static int sh_init_kinked(const sh_config *c, gdl_net *net, gsl_rng *r_init, gsl_rng *r_dirs) {
  int rc = GDL_OK;
  double *u = calloc(c->d, sizeof *u), *s = malloc(c->N * sizeof *s);
  if (!u || !s) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "sh_net_create: out of memory"));
  u[0] = 1.0;
  gdl_rng_gaussian(r_init, c->e1_scale, c->N, s);
  GDL_TRY_CLEANUP(gdl_net_init_first_layer_along(net, u, s));
  double *b = gdl_net_bias(net, 0);
  for (size_t j = 0; j < c->N; j++) b[j] = -s[j] * gsl_ran_flat(r_init, -c->kink_range, c->kink_range);
  if (c->law == SH_NET_RAND) {
    if (!r_dirs) GDL_TRY_CLEANUP(gdl_fail(GDL_EINVAL, "sh_net_create: the random twin needs a direction stream"));
    double *W = gdl_net_weight(net, 0);
    for (size_t j = 0; j < c->N; j++) {
      gsl_ran_dir_nd(r_dirs, c->d, u); /* uniform on S^{d-1} */
      for (size_t k = 0; k < c->d; k++) W[j * c->d + k] = s[j] * u[k];
    }
  }
cleanup:
  GDL_FREE_ALL(u, s);
  return rc;
}

int sh_net_create(const sh_config *c, gsl_rng *r_init, gsl_rng *r_dirs, gdl_net **out) {
  GDL_CHECK_ARG(c && r_init && out, "sh_net_create: NULL argument");
  *out = NULL;
  gdl_net_spec sp;
  GDL_TRY(gdl_net_spec_mlp(&sp, c->d, 1, &c->N, 1, GDL_ACT_RELU, 1));
  gdl_net *net = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_net_create(&sp, &net));
  gdl_init zero = {GDL_INIT_ZERO, 0, 0, 0};
  if (c->law == SH_NET_FCN) {
    gdl_init w0 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)c->d), 0, 0}, b0 = {GDL_INIT_GAUSSIAN, 1.0, 0, 0};
    gdl_init w1 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)c->N), 0, 0};
    GDL_TRY_CLEANUP(gdl_net_init_layer(net, 0, w0, b0, r_init));
    GDL_TRY_CLEANUP(gdl_net_init_layer(net, 1, w1, zero, r_init));
  } else {
    GDL_TRY_CLEANUP(sh_init_kinked(c, net, r_init, r_dirs));
    GDL_TRY_CLEANUP(gdl_net_init_layer(net, 1, zero, zero, r_init));
  }
  *out = net;
  net = NULL;
cleanup:
  gdl_net_free(net);
  return rc;
}

int sh_net_new(const sh_config *c, uint64_t seed, gdl_net **out) {
  GDL_CHECK_ARG(c && out, "sh_net_new: NULL argument");
  gsl_rng *ri = NULL, *rd = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_init, c->index, &ri));
  if (c->law == SH_NET_RAND) GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_dirs, c->index, &rd));
  GDL_TRY_CLEANUP(sh_net_create(c, ri, rd, out));
cleanup:
  gdl_rng_free(ri);
  gdl_rng_free(rd);
  return rc;
}

/* ---------------- runs ---------------- */
/* FVU of the net on ntest fresh points from r (empirical variance of y). */
static int sh_fvu(gdl_net *net, const sh_config *c, gsl_rng *r, double *fvu) {
  gdl_domain dom;
  GDL_TRY(gdl_domain_gaussian(c->d, &dom));
  double *X = malloc(c->ntest * (c->d + 1) * sizeof *X);
  if (!X) return gdl_fail(GDL_ENOMEM, "sh_fvu: out of memory");
  double *y = X + c->ntest * c->d;
  int rc = gdl_domain_sample(&dom, r, c->ntest, X, NULL);
  for (size_t i = 0; i < c->ntest && rc == GDL_OK; i++) y[i] = cos(2 * M_PI * c->gamma * X[i * c->d]);
  gdl_metrics m;
  if (rc == GDL_OK) rc = gdl_net_metrics(net, c->ntest, X, y, NULL, &m);
  free(X);
  GDL_TRY(rc);
  *fvu = m.fvu;
  return GDL_OK;
}

typedef struct {
  const sh_config *c;
  sh_result *out;
  size_t every;
} sh_ckpt_ctx;

static int sh_ckpt_cb(void *ctx, gdl_trainer *tr, size_t step, double loss) {
  (void)loss;
  sh_ckpt_ctx *k = ctx;
  size_t i = step / k->every - 1;
  if (i >= k->c->ckpt) return GDL_OK;
  for (size_t g = 0; g < k->c->norbit; g++) {
    gdl_orbit_var v;
    GDL_TRY(gdl_orbit_variance(gdl_trainer_net(tr), k->c->orbit_gamma[g], 1, &v));
    k->out->ckpt_var[i][g] = v.var_norm;
  }
  return GDL_OK;
}

/* Online SGD / Adam on fresh batches from rt. */
static int sh_train(const sh_config *c, gdl_net *net, gsl_rng *rt, sh_result *out) {
  gdl_trainer *tr = NULL;
  gdl_target *tgt = NULL;
  gdl_domain dom;
  int rc = GDL_OK;
  double *e1 = calloc(c->d, sizeof *e1);
  if (!e1) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "sh_train: out of memory"));
  e1[0] = 1.0;
  GDL_TRY_CLEANUP(gdl_domain_gaussian(c->d, &dom));
  GDL_TRY_CLEANUP(gdl_target_neuron(c->d, e1, c->gamma, &tgt));
  gdl_domain_sampler smp = {&dom, tgt, 0.0};
  gdl_train_config tc = gdl_exp_train_config(c->opt, c->lr, GDL_DATA_ONLINE, c->batch, c->samples / c->batch);
  tc.schedule = c->linear_decay ? GDL_SCHED_LINEAR : GDL_SCHED_CONST;
  sh_ckpt_ctx kc = {c, out, c->ckpt > 0 ? tc.steps / c->ckpt : 0};
  if (c->ckpt > 0) {
    tc.callback = sh_ckpt_cb;
    tc.callback_ctx = &kc;
    tc.callback_every = kc.every;
  }
  gdl_data data = {0};
  data.sample = gdl_sampler_domain_target;
  data.sample_ctx = &smp;
  GDL_TRY_CLEANUP(gdl_trainer_create(net, &tc, &data, rt, &tr));
  GDL_TRY_CLEANUP(gdl_trainer_run(tr));
cleanup:
  gdl_trainer_free(tr);
  gdl_target_free(tgt);
  free(e1);
  return rc;
}

/* Last layer (weights + bias) by ridge least squares on c->samples fresh draws from rt:
 * features F = [relu(X W^T + b), 1] by one GEMM per chunk, A += F^T F, rhs += F^T y, ridge
 * lambda = c->ridge * mean diagonal of A, Cholesky. */
static int sh_ridge(const sh_config *c, gdl_net *net, gsl_rng *rt) {
  size_t N = c->N, P1 = N + 1, M = c->samples, chunk = 4096;
  double *F = malloc(chunk * P1 * sizeof *F), *A = calloc(P1 * P1, sizeof *A), *rhs = calloc(P1, sizeof *rhs);
  double *X = malloc(chunk * c->d * sizeof *X), *y = malloc(chunk * sizeof *y);
  gdl_domain dom;
  int rc = GDL_OK;
  if (!F || !A || !rhs || !X || !y) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "sh_ridge: out of memory"));
  GDL_TRY_CLEANUP(gdl_domain_gaussian(c->d, &dom));
  const double *W = gdl_net_weight(net, 0), *b = gdl_net_bias(net, 0);
  for (size_t done = 0; done < M; done += chunk) {
    size_t m = M - done < chunk ? M - done : chunk;
    GDL_TRY_CLEANUP(gdl_domain_sample(&dom, rt, m, X, NULL));
    gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, m, c->d);
    gsl_matrix_const_view Wv = gsl_matrix_const_view_array(W, N, c->d);
    gsl_matrix_view Fz = gsl_matrix_view_array_with_tda(F, m, N, P1);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &Xv.matrix, &Wv.matrix, 0.0, &Fz.matrix);
    for (size_t i = 0; i < m; i++) {
      y[i] = cos(2 * M_PI * c->gamma * X[i * c->d]);
      for (size_t j = 0; j < N; j++) {
        double z = F[i * P1 + j] + b[j];
        F[i * P1 + j] = z > 0 ? z : 0.0;
      }
      F[i * P1 + N] = 1.0;
    }
    gsl_matrix_const_view Fv = gsl_matrix_const_view_array(F, m, P1);
    gsl_matrix_view Av = gsl_matrix_view_array(A, P1, P1);
    gsl_vector_const_view yv = gsl_vector_const_view_array(y, m);
    gsl_vector_view rv = gsl_vector_view_array(rhs, P1);
    gsl_blas_dsyrk(CblasUpper, CblasTrans, 1.0, &Fv.matrix, 1.0, &Av.matrix);
    gsl_blas_dgemv(CblasTrans, 1.0, &Fv.matrix, &yv.vector, 1.0, &rv.vector);
  }
  double tr = 0;
  for (size_t j = 0; j < P1; j++) tr += A[j * P1 + j];
  for (size_t j = 0; j < P1; j++) {
    A[j * P1 + j] += c->ridge * tr / (double)P1;
    for (size_t k = 0; k < j; k++) A[j * P1 + k] = A[k * P1 + j];
  }
  gsl_matrix_view Am = gsl_matrix_view_array(A, P1, P1);
  gsl_vector_view bv = gsl_vector_view_array(rhs, P1);
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int st = gsl_linalg_cholesky_decomp1(&Am.matrix);
  if (st == 0) st = gsl_linalg_cholesky_svx(&Am.matrix, &bv.vector);
  gsl_set_error_handler(old);
  if (st != 0) GDL_TRY_CLEANUP(gdl_fail(GDL_ENUMERIC, "sh_ridge: Cholesky failed (%d)", st));
  double *a = gdl_net_weight(net, 1), *c0 = gdl_net_bias(net, 1);
  for (size_t j = 0; j < N; j++) a[j] = rhs[j];
  c0[0] = rhs[N];
cleanup:
  GDL_FREE_ALL(F, A, rhs, X, y);
  return rc;
}

int sh_run(const sh_config *c, uint64_t seed, sh_result *out) {
  GDL_CHECK_ARG(c && out, "sh_run: NULL argument");
  GDL_CHECK_ARG(c->d >= 3 && c->N >= 1 && c->ntest >= 2 && c->samples >= c->batch && c->batch >= 1,
                "sh_run: bad sizes (d %zu, N %zu, ntest %zu, samples %zu, batch %zu)", c->d, c->N, c->ntest,
                c->samples, c->batch);
  GDL_CHECK_ARG(c->ckpt <= SH_MAX_CKPT && c->norbit <= SH_MAX_GAMMA, "sh_run: too many checkpoints or gammas");
  memset(out, 0, sizeof *out);
  out->fvu = NAN;
  gsl_rng *ri = NULL, *rd = NULL, *rt = NULL, *rs = NULL;
  gdl_net *net = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_init, c->index, &ri));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_train, c->index, &rt));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_test, c->index, &rs));
  if (c->law == SH_NET_RAND) GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_dirs, c->index, &rd));
  GDL_TRY_CLEANUP(sh_net_create(c, ri, rd, &net));
  if (c->fit == SH_FIT_RIDGE) GDL_TRY_CLEANUP(sh_ridge(c, net, rt));
  else GDL_TRY_CLEANUP(sh_train(c, net, rt, out));
  GDL_TRY_CLEANUP(sh_fvu(net, c, rs, &out->fvu));
cleanup:
  gdl_net_free(net);
  gdl_rng_free(ri);
  gdl_rng_free(rd);
  gdl_rng_free(rt);
  gdl_rng_free(rs);
  return rc;
}

/* ---------------- SH2 cases and the figure's grid ---------------- */
typedef struct { sh_kind k; double gamma; } sh2_case;
static const sh2_case SH2_CASES[] = {
  {SH_FCN_SGD, 0.25}, {SH_FCN_ADAM, 0.25}, {SH_FCN_SGD, 1.0},    {SH_FCN_ADAM, 1.0},
  {SH_FCN_SGD, 2.0},  {SH_FCN_ADAM, 2.0},  {SH_E1_ADAM, 1.0},    {SH_E1_ADAM, 1.5},
  {SH_E1_RIDGE, 1.5}, {SH_E1_RIDGE, 2.0},  {SH_E1_RIDGE, 3.0},   {SH_RAND_RIDGE, 1.5},
  {SH_RAND_RIDGE, 2.0}, {SH_RAND_RIDGE, 3.0},
};
#define SH2_NCASES (sizeof SH2_CASES / sizeof SH2_CASES[0])

size_t sh2_ncases(void) { return SH2_NCASES; }

int sh2_case_config(size_t i, size_t rep, sh_config *c) {
  GDL_CHECK_ARG(c && i < SH2_NCASES && rep < 100, "sh2_case_config: case %zu / repetition %zu out of range", i, rep);
  sh_config_default(c, SH2_CASES[i].k, SH2_CASES[i].gamma);
  size_t pair = i;
  if (SH2_CASES[i].k == SH_RAND_RIDGE) /* the index of the e_1 twin at the same gamma */
    for (size_t j = 0; j < SH2_NCASES; j++)
      if (SH2_CASES[j].k == SH_E1_RIDGE && SH2_CASES[j].gamma == SH2_CASES[i].gamma) pair = j;
  c->index = 100 * (uint64_t)pair + rep;
  return GDL_OK;
}

int sh_grid_config(sh_kind k, size_t d, double gamma, size_t gi, size_t rep, sh_config *c) {
  GDL_CHECK_ARG(c && (unsigned)k < SH_NKINDS && d >= 3 && d < 1000 && gi < 100 && rep < 10,
                "sh_grid_config: bad grid point");
  sh_config_default(c, k, gamma);
  c->d = d;
  uint64_t l = k == SH_RAND_RIDGE ? SH_E1_RIDGE : (uint64_t)k;
  c->index = 100000 * l + 1000 * (uint64_t)d + 10 * (uint64_t)gi + rep;
  return GDL_OK;
}

static const char *const FVU_COLS[5] = {"learner", "d", "gamma", "seed", "fvu"};

int sh_fvu_point_write(const sh_config *c, uint64_t seed, size_t rep, const char *path) {
  GDL_CHECK_ARG(c && path, "sh_fvu_point_write: NULL argument");
  sh_result r;
  int rc = sh_run(c, seed, &r);
  if (rc == GDL_EDIVERGED) { /* recorded as a diverged run */
    r.fvu = NAN;
    rc = GDL_OK;
  }
  GDL_TRY(rc);
  double row[5] = {(double)c->kind, (double)c->d, c->gamma, (double)rep, r.fvu};
  return gdl_csv_write(path, 5, FVU_COLS, 1, row);
}

int sh_fvu_point_read(const char *path, double *fvu) {
  GDL_CHECK_ARG(path && fvu, "sh_fvu_point_read: NULL argument");
  gdl_table t;
  GDL_TRY(gdl_csv_read(path, &t));
  int col = gdl_table_col(&t, "fvu");
  int rc = GDL_OK;
  if (col < 0 || t.nrows != 1) rc = gdl_fail(GDL_EPARSE, "%s: expected one row with a column fvu", path);
  else *fvu = t.v[col];
  gdl_table_free(&t);
  return rc;
}

/* ---------------- SH1 ---------------- */
void sh_orbit_config_default(sh_orbit_config *c, double gamma, uint64_t net_index) {
  memset(c, 0, sizeof *c);
  sh_config_default(&c->net, SH_FCN_SGD, 1.0);
  c->net.purpose_init = "sh1.init";
  c->net.index = net_index;
  c->gamma = gamma;
  c->purpose_sampling = "sh.bench.dirs";
}

int sh_orbit_config_json(const void *cfg, gdl_json *j) {
  const sh_orbit_config *c = cfg;
  GDL_TRY(gdl_json_str(j, "net", "fcn at init"));
  GDL_TRY(gdl_json_int(j, "d", (long long)c->net.d));
  GDL_TRY(gdl_json_int(j, "N", (long long)c->net.N));
  GDL_TRY(gdl_json_str(j, "purpose_init", c->net.purpose_init));
  GDL_TRY(gdl_json_int(j, "nsampled", (long long)c->nsampled));
  if (c->nsampled > 0) GDL_TRY(gdl_json_str(j, "purpose_sampling", c->purpose_sampling));
  return GDL_OK;
}

int sh_orbit_run(const sh_orbit_config *c, uint64_t seed, sh_orbit_result *out) {
  GDL_CHECK_ARG(c && out, "sh_orbit_run: NULL argument");
  gdl_net *net = NULL;
  gsl_rng *rs = NULL;
  int rc = GDL_OK;
  out->gamma = c->gamma;
  out->is = out->is_se = out->unif = out->unif_se = NAN;
  GDL_TRY_CLEANUP(gdl_orbit_schur_bound(c->gamma, c->net.d, 1, &out->B));
  GDL_TRY_CLEANUP(sh_kernel_eigenvalue(c->gamma, c->net.d, 2, &out->lambda2));
  GDL_TRY_CLEANUP(sh_net_new(&c->net, seed, &net));
  gdl_orbit_var v;
  GDL_TRY_CLEANUP(gdl_orbit_variance(net, c->gamma, 1, &v));
  out->var_norm = v.var_norm;
  out->egrad2 = v.egrad2;
  if (c->nsampled > 0) {
    GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_sampling, c->sampling_index, &rs));
    GDL_TRY_CLEANUP(gdl_orbit_variance_sampled(net, c->gamma, c->nsampled, GDL_ORBIT_IMPORTANCE, rs, &out->is,
                                               &out->is_se));
    GDL_TRY_CLEANUP(gdl_orbit_variance_sampled(net, c->gamma, c->nsampled, GDL_ORBIT_UNIFORM, rs, &out->unif,
                                               &out->unif_se));
  }
cleanup:
  gdl_net_free(net);
  gdl_rng_free(rs);
  return rc;
}

/* ---------------- Funk-Hecke eigenvalues of the Schur kernel ---------------- */
typedef struct { double gamma, ex, lognorm, lam; unsigned l; } fh_ctx;

static double fh_f(double t, void *p) {
  const fh_ctx *c = p;
  double omt2 = (1.0 - t) * (1.0 + t);
  if (omt2 <= 0) return 0.0;
  double Pl = gsl_sf_gegenpoly_n((int)c->l, c->lam, t) / gsl_sf_gegenpoly_n((int)c->l, c->lam, 1.0);
  /* factor 2: the integrand is even for even l (t -> -t) */
  return 2.0 * exp(c->ex * log(omt2) - c->lognorm) * gdl_orbit_kernel(c->gamma, t) * Pl;
}

int sh_kernel_eigenvalue(double gamma, size_t d, unsigned l, double *lambda) {
  GDL_CHECK_ARG(lambda != NULL, "sh_kernel_eigenvalue: NULL output");
  GDL_CHECK_ARG(isfinite(gamma) && gamma >= 0 && d >= 3 && d <= 10000 && l <= 64,
                "sh_kernel_eigenvalue: gamma %g, d %zu, l %u out of range", gamma, d, l);
  if (l % 2 == 1) { /* K is even in t: odd harmonics have eigenvalue 0 */
    *lambda = 0.0;
    return GDL_OK;
  }
  /* lambda_l for large l is tiny against the integrand: tolerance relative to lambda_0 = B */
  double epsabs = 0.0;
  if (l > 0) {
    double l0;
    GDL_TRY(sh_kernel_eigenvalue(gamma, d, 0, &l0));
    epsabs = 1e-12 * l0;
  }
  fh_ctx c = {gamma, 0.5 * ((double)d - 3.0), gsl_sf_lnbeta(0.5, 0.5 * (double)(d - 1)), 0.5 * ((double)d - 2.0), l};
  gsl_function F = {fh_f, &c};
  gsl_integration_workspace *ws = gsl_integration_workspace_alloc(2000);
  if (!ws) return gdl_fail(GDL_ENOMEM, "sh_kernel_eigenvalue: out of memory");
  double a = 4.0 * M_PI * M_PI * gamma * gamma;
  double split = a > 100 ? 1.0 - 100.0 / a : 0.0; /* K lives in the cap t > 1 - O(1/a) */
  double tot = 0, r, e;
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int st = GSL_SUCCESS;
  if (split > 0) {
    st = gsl_integration_qags(&F, 0.0, split, epsabs, 1e-11, 2000, ws, &r, &e);
    tot += r;
  }
  if (st == GSL_SUCCESS) {
    st = gsl_integration_qags(&F, split, 1.0, epsabs, 1e-11, 2000, ws, &r, &e);
    tot += r;
  }
  gsl_set_error_handler(old);
  gsl_integration_workspace_free(ws);
  if (st != GSL_SUCCESS) return gdl_fail(GDL_ENUMERIC, "sh_kernel_eigenvalue: QAGS failed (%d)", st);
  *lambda = tot;
  return GDL_OK;
}
