/* core.net: gradients of every activation x loss x depth x bias against central
 * differences; per-example gradients; storage; argument checks. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gdl/gdl.h"
#include "gdl_test.h"

static double total_loss(gdl_net *net, gdl_loss loss, size_t m, size_t k, const double *X, const double *Y) {
  double v;
  cr_assert(gdl_net_forward(net, m, X, NULL) == GDL_OK);
  cr_assert(gdl_loss_eval(loss, m, k, net->a[net->spec.nlayers - 1], Y, NULL, &v, NULL) == GDL_OK);
  return v;
}

/* Smallest |pre-activation| over hidden layers (ReLU kinks). */
static double min_abs_hidden_z(gdl_net *net, size_t m) {
  double mn = INFINITY;
  for (size_t l = 0; l + 1 < net->spec.nlayers; l++)
    for (size_t i = 0; i < m * net->spec.width[l + 1]; i++) mn = fmin(mn, fabs(net->z[l][i]));
  return mn;
}

static void fill_labels(gdl_loss loss, size_t m, size_t k, gsl_rng *r, double *Y) {
  for (size_t i = 0; i < m; i++) {
    if (loss == GDL_LOSS_SOFTMAX_CE) {
      for (size_t c = 0; c < k; c++) Y[i * k + c] = 0;
      Y[i * k + gsl_rng_uniform_int(r, k)] = 1;
    } else {
      gdl_rng_uniform(r, -1, 1, k, Y + i * k);
    }
  }
}

static void check_gradient(gdl_act act, gdl_loss loss, size_t depth, int bias, uint64_t s, size_t idx) {
  gsl_rng *r;
  cr_assert(gdl_rng_alloc(s, "gradcheck", idx, &r) == GDL_OK);
  size_t hidden[GDL_MAX_LAYERS] = {7, 6, 5, 4};
  size_t in = 5, k = 3, m = 9;
  gdl_net_spec spec;
  cr_assert(gdl_net_spec_mlp(&spec, in, depth - 1, hidden, k, act, bias) == GDL_OK);
  spec.out_scale = 0.7;
  gdl_net *net;
  cr_assert(gdl_net_create(&spec, &net) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(gdl_net_init_default(net, r) == GDL_OK);
  if (bias)
    for (size_t l = 0; l < depth; l++)
      gdl_rng_gaussian(r, 0.3, spec.width[l + 1], gdl_net_bias(net, l));
  double *X = malloc(m * in * sizeof *X), *Y = malloc(m * k * sizeof *Y), *dY = malloc(m * k * sizeof *dY);
  /* Draw inputs away from ReLU kinks so central differences are valid. */
  for (int tries = 0; tries < 1000; tries++) {
    gdl_rng_gaussian(r, 1.0, m * in, X);
    cr_assert(gdl_net_forward(net, m, X, NULL) == GDL_OK);
    if (act != GDL_ACT_RELU || min_abs_hidden_z(net, m) > 1e-3) break;
  }
  fill_labels(loss, m, k, r, Y);
  cr_assert(gdl_net_forward(net, m, X, NULL) == GDL_OK);
  cr_assert(gdl_loss_eval(loss, m, k, net->a[depth - 1], Y, NULL, NULL, dY) == GDL_OK);
  cr_assert(gdl_net_backward(net, dY) == GDL_OK);
  size_t P = net->nparams;
  double *g = malloc(P * sizeof *g);
  memcpy(g, net->grad, P * sizeof *g);
  double h = 1e-6, num2 = 0, den2 = 0;
  for (size_t i = 0; i < P; i++) {
    double t0 = net->params[i];
    net->params[i] = t0 + h;
    double lp = total_loss(net, loss, m, k, X, Y);
    net->params[i] = t0 - h;
    double lm = total_loss(net, loss, m, k, X, Y);
    net->params[i] = t0;
    double fd = (lp - lm) / (2 * h);
    num2 += (fd - g[i]) * (fd - g[i]);
    den2 += g[i] * g[i];
  }
  double rel = sqrt(num2 / den2);
  cr_assert(den2 > 0, "zero gradient (act %s loss %s depth %zu)", gdl_act_name(act), gdl_loss_name(loss), depth);
  cr_assert(rel <= 1e-6, "gradient check act=%s loss=%s depth=%zu bias=%d: relative error %.3e > 1e-6",
            gdl_act_name(act), gdl_loss_name(loss), depth, bias, rel);
  free(g);
  free(X);
  free(Y);
  free(dY);
  gdl_net_free(net);
  gdl_rng_free(r);
}

/* An MLP in -> hidden[0..nh) -> out with biases, default initialisation; with draw_bias the
 * biases are then drawn N(0, 0.3^2) from r (so that the bias paths carry nonzero values). */
static gdl_net *make_mlp(gsl_rng *r, size_t in, size_t nh, const size_t *hidden, size_t out, gdl_act act,
                         int draw_bias, gdl_net_spec *spec) {
  gdl_net_spec_mlp(spec, in, nh, hidden, out, act, 1);
  gdl_net *net;
  cr_assert(gdl_net_create(spec, &net) == GDL_OK);
  gdl_net_init_default(net, r);
  if (draw_bias)
    for (size_t l = 0; l < spec->nlayers; l++) gdl_rng_gaussian(r, 0.3, spec->width[l + 1], gdl_net_bias(net, l));
  return net;
}

/* The setting of the batch tests: make_mlp(in -> hidden -> 1, act, draw_bias) on the test stream
 * `purpose`, then from the same stream a batch X of m N(0, 1) rows and m N(0, 1) output weights c. */
typedef struct {
  gsl_rng *r;
  gdl_net_spec spec;
  gdl_net *net;
  size_t in, m;
  double *X, *c;
} batch_case;

static void batch_case_make(batch_case *b, const char *purpose, size_t in, size_t nh, const size_t *hidden,
                            gdl_act act, int draw_bias, size_t m) {
  b->r = gdl_test_rng(purpose, 0);
  b->net = make_mlp(b->r, in, nh, hidden, 1, act, draw_bias, &b->spec);
  b->in = in;
  b->m = m;
  b->X = malloc(m * in * sizeof *b->X);
  b->c = malloc(m * sizeof *b->c);
  gdl_rng_gaussian(b->r, 1, m * in, b->X);
  gdl_rng_gaussian(b->r, 1, m, b->c);
}

static void batch_case_free(batch_case *b) {
  free(b->X);
  free(b->c);
  gdl_net_free(b->net);
  gdl_rng_free(b->r);
}

/* sum_i c_i grad f(x_i) (from gdl_net_per_example_grad) against gdl_net_backward with dout = c
 * on the batch X (m rows): *err = the largest deviation, *nrm = the largest |batch gradient|. */
static void per_example_vs_batch(gdl_net *net, size_t m, const double *X, const double *c, double *err, double *nrm) {
  size_t P = net->nparams;
  double *G = malloc(m * P * sizeof *G);
  cr_assert(gdl_net_per_example_grad(net, m, X, 0, G) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(gdl_net_forward(net, m, X, NULL) == GDL_OK);
  cr_assert(gdl_net_backward(net, c) == GDL_OK);
  *err = 0;
  *nrm = 0;
  for (size_t j = 0; j < P; j++) {
    double s = 0;
    for (size_t i = 0; i < m; i++) s += c[i] * G[i * P + j];
    *err = fmax(*err, fabs(s - net->grad[j]));
    *nrm = fmax(*nrm, fabs(net->grad[j]));
  }
  free(G);
}

Test(net, gradient_check_all) {
  uint64_t s = gdl_test_seed();
  size_t idx = 0;
  for (int act = GDL_ACT_IDENTITY; act <= GDL_ACT_QUADRATIC; act++)
    for (int loss = GDL_LOSS_SQUARED; loss <= GDL_LOSS_SOFTMAX_CE; loss++)
      for (size_t depth = 1; depth <= 4; depth++)
        for (int bias = 0; bias <= 1; bias++) check_gradient((gdl_act)act, (gdl_loss)loss, depth, bias, s, idx++);
}

Test(net, per_example_gradients_sum_to_batch_gradient) {
  size_t hidden[2] = {16, 8};
  batch_case bc;
  batch_case_make(&bc, "perex", 6, 2, hidden, GDL_ACT_TANH, 0, 37);
  gdl_net_reserve(bc.net, 10); /* forces chunking */
  /* sum_i c_i grad f(x_i) must equal backward with dout = c */
  double err, nrm;
  per_example_vs_batch(bc.net, bc.m, bc.X, bc.c, &err, &nrm);
  cr_assert(err <= 1e-12 * fmax(1, nrm), "per-example gradients: max deviation %.3e", err);
  batch_case_free(&bc);
}

Test(net, batch_one_and_readout_paths_match_gemm) {
  /* m = 1 (dgemv path) must agree with the same row inside a larger batch (dgemm path). */
  gsl_rng *r = gdl_test_rng("paths", 0);
  size_t hidden[1] = {32}, in = 20, m = 8;
  gdl_net_spec spec;
  gdl_net *net = make_mlp(r, in, 1, hidden, 2, GDL_ACT_RELU, 0, &spec);
  double X[8 * 20], out[16], out1[2];
  gdl_rng_gaussian(r, 1, m * in, X);
  cr_assert(gdl_net_forward(net, m, X, out) == GDL_OK);
  for (size_t i = 0; i < m; i++) {
    cr_assert(gdl_net_forward(net, 1, X + i * in, out1) == GDL_OK);
    for (int o = 0; o < 2; o++)
      cr_assert(fabs(out1[o] - out[i * 2 + o]) <= 1e-13, "row %zu output %d: %.17g vs %.17g", i, o, out1[o], out[i * 2 + o]);
  }
  gdl_net_free(net);
  gdl_rng_free(r);
}

/* Large batches take other paths: the forward dgemm starts from the bias rows (beta = 1),
 * the first layer's weight gradient is computed transposed (A^T D, then transposed back),
 * the hidden-to-hidden delta is a dgemm + fused mask/bias pass. Outputs must match the
 * batch-1 path row by row, and the batch gradient the sum of per-example gradients. */
Test(net, large_batch_paths_match_row_by_row_and_per_example) {
  size_t hidden[2] = {256, 64};
  batch_case bc;
  batch_case_make(&bc, "largebatch", 12, 2, hidden, GDL_ACT_RELU, 1, 300);
  gdl_net *net = bc.net;
  size_t in = bc.in, m = bc.m;
  cr_assert(gdl_net_reserve(net, m) == GDL_OK);
  cr_assert(net->gtmp != NULL, "the transposed weight-gradient path is not taken at m = %zu", m);
  double *f = malloc(m * sizeof *f);
  cr_assert(gdl_net_forward(net, m, bc.X, f) == GDL_OK);
  for (size_t i = 0; i < m; i++) {
    double f1;
    cr_assert(gdl_net_forward(net, 1, bc.X + i * in, &f1) == GDL_OK);
    cr_assert(fabs(f1 - f[i]) <= 1e-12 * fmax(1, fabs(f[i])), "row %zu: %.17g vs %.17g", i, f1, f[i]);
  }
  double err, nrm;
  per_example_vs_batch(net, m, bc.X, bc.c, &err, &nrm);
  cr_assert(nrm > 1e-3, "the gradient vanishes (%g)", nrm);
  cr_assert(err <= 1e-12 * fmax(1, nrm), "batch gradient vs per-example sum: max deviation %.3e", err);
  free(f);
  batch_case_free(&bc);
}

/* gdl_net_backward_update = gdl_net_backward + params += alpha[l] grad_l (up to the FMA of
 * the update: at most one rounding apart), with the same grad; batch 1 (fused pass) and a
 * batch of 7, equal and per-layer step sizes. */
Test(net, backward_update_is_backward_then_axpy) {
  size_t hidden[2] = {40, 9};
  batch_case bc; /* X: 7 rows of 13 inputs, c: dout */
  batch_case_make(&bc, "bwupdate", 13, 2, hidden, GDL_ACT_RELU, 1, 7);
  gdl_net *a = bc.net, *b;
  cr_assert(gdl_net_clone(a, &b) == GDL_OK);
  const double *X = bc.X, *dout = bc.c;
  const size_t mmax = bc.m;
  const double alphas[2][3] = {{-0.1, -0.1, -0.1}, {-0.1, -0.05, -0.2}};
  size_t P = a->nparams;
  for (int ms = 0; ms < 2; ms++)
    for (int k = 0; k < 2; k++) {
      size_t m = ms ? mmax : 1;
      cr_assert(gdl_net_forward(a, m, X, NULL) == GDL_OK);
      cr_assert(gdl_net_backward(a, dout) == GDL_OK);
      for (size_t l = 0; l < bc.spec.nlayers; l++)
        for (size_t i = a->w_off[l]; i < a->w_off[l] + gdl_net_layer_size(a, l); i++)
          a->params[i] += alphas[k][l] * a->grad[i];
      cr_assert(gdl_net_forward(b, m, X, NULL) == GDL_OK);
      cr_assert(gdl_net_backward_update(b, dout, alphas[k]) == GDL_OK, "%s", gdl_strerror_last());
      cr_assert(memcmp(a->grad, b->grad, P * sizeof(double)) == 0, "m = %zu: the gradients differ", m);
      for (size_t i = 0; i < P; i++) {
        double tol = 0x1p-52 * (fabs(a->params[i]) + fabs(a->grad[i]));
        cr_assert(fabs(a->params[i] - b->params[i]) <= tol, "m = %zu, alphas %d, parameter %zu: %.17g vs %.17g",
                  m, k, i, a->params[i], b->params[i]);
      }
      memcpy(b->params, a->params, P * sizeof(double));
    }
  const double bad[3] = {-0.1, NAN, -0.1};
  cr_assert(gdl_net_backward_update(b, dout, bad) != GDL_OK);
  cr_assert(gdl_net_backward_update(b, dout, NULL) != GDL_OK);
  gdl_net_free(b);
  batch_case_free(&bc);
}

Test(net, save_load_roundtrip_bit_exact) {
  gsl_rng *r = gdl_test_rng("save", 0);
  size_t hidden[2] = {5, 4};
  gdl_net_spec spec;
  gdl_net_spec_mlp(&spec, 3, 2, hidden, 1, GDL_ACT_SIGMOID, 1);
  spec.bias[1] = 0;
  spec.out_scale = 0.125;
  gdl_net *a, *b;
  cr_assert(gdl_net_create(&spec, &a) == GDL_OK);
  gdl_net_init_default(a, r);
  char path[] = "/tmp/gdl_net_XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  close(fd);
  cr_assert(gdl_net_save(a, path) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(gdl_net_load(path, &b) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(b->nparams == a->nparams && memcmp(a->params, b->params, a->nparams * sizeof(double)) == 0);
  cr_assert(b->spec.out_scale == 0.125 && b->spec.bias[1] == 0 && b->spec.act[0] == GDL_ACT_SIGMOID);
  /* a truncated file is rejected */
  FILE *f = fopen(path, "r+");
  cr_assert(f != NULL);
  cr_assert(ftruncate(fileno(f), 40) == 0);
  fclose(f);
  gdl_net *c = NULL;
  cr_assert(gdl_net_load(path, &c) != GDL_OK && c == NULL);
  cr_assert(strlen(gdl_strerror_last()) > 0);
  remove(path);
  gdl_net_free(a);
  gdl_net_free(b);
  gdl_rng_free(r);
}

Test(net, rejects_bad_arguments) {
  gdl_net *net = NULL;
  gdl_net_spec spec;
  memset(&spec, 0, sizeof spec);
  cr_assert(gdl_net_create(&spec, &net) == GDL_EINVAL && net == NULL);
  cr_assert(strstr(gdl_strerror_last(), "nlayers") != NULL, "message: %s", gdl_strerror_last());
  cr_assert(gdl_net_create(NULL, &net) == GDL_EINVAL);
  size_t h[1] = {0};
  gdl_net_spec_mlp(&spec, 3, 1, h, 1, GDL_ACT_RELU, 1);
  cr_assert(gdl_net_create(&spec, &net) == GDL_EINVAL, "zero width accepted");
  h[0] = 4;
  gdl_net_spec_mlp(&spec, 3, 1, h, 1, GDL_ACT_RELU, 1);
  cr_assert(gdl_net_create(&spec, &net) == GDL_OK);
  cr_assert(gdl_net_backward(net, (double[]){1}) == GDL_ESTATE, "backward before forward accepted");
  cr_assert(gdl_net_forward(net, 0, (double[]){1, 2, 3}, NULL) == GDL_EINVAL);
  cr_assert(gdl_net_forward(net, 1, NULL, NULL) == GDL_EINVAL);
  gdl_init bad = {GDL_INIT_UNIFORM, 0, 1, 0};
  gdl_init zero = {GDL_INIT_ZERO, 0, 0, 0};
  gsl_rng *r;
  gdl_rng_alloc(1, "x", 0, &r);
  cr_assert(gdl_net_init_layer(net, 0, bad, zero, r) == GDL_EINVAL);
  cr_assert(gdl_net_init_layer(net, 5, zero, zero, r) == GDL_EINVAL);
  size_t coords[1] = {7};
  cr_assert(gdl_net_init_first_layer_on(net, 1, coords, 1.0, r) == GDL_EINVAL);
  gdl_act a;
  cr_assert(gdl_act_parse("swish", &a) == GDL_EINVAL);
  gdl_net *none;
  cr_assert(gdl_net_load("/nonexistent/x", &none) == GDL_EIO && none == NULL);
  gdl_net_free(net);
  gdl_rng_free(r);
}

/* ---- issue 14: loader strictness and hostile files ---- */

static void write_file(const char *path, const char *header, const void *body, size_t blen) {
  FILE *f = fopen(path, "wb");
  cr_assert(f != NULL);
  fputs(header, f);
  if (blen) fwrite(body, 1, blen, f);
  fclose(f);
}

static int load_text(const char *header, size_t nbody_bytes, gdl_net **out) {
  char path[] = "/tmp/gdl_netbad_XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  close(fd);
  unsigned char *body = calloc(nbody_bytes ? nbody_bytes : 1, 1);
  write_file(path, header, body, nbody_bytes);
  free(body);
  int rc = gdl_net_load(path, out);
  remove(path);
  return rc;
}

/* Item 1: the nparams-mismatch path freed the net and then read n->nparams (ASan: heap
 * use-after-free). Now the count is checked before anything is allocated. */
Test(net, load_nparams_mismatch_no_use_after_free) {
  gdl_net *n = NULL;
  cr_assert(load_text("GDLNET 1 1 3 1 1 1 5\n", 40, &n) == GDL_EPARSE && n == NULL);
  cr_assert(strstr(gdl_strerror_last(), "declares 5 parameters, its shape has 4") != NULL, "%s", gdl_strerror_last());
}

/* Item 3: a 40-byte file whose header claims 134 M parameters is refused from its length,
 * before allocating (the old loader allocated 2.1 GB and then said "truncated"). */
Test(net, load_checks_length_before_allocating) {
  gdl_net *n = NULL;
  cr_assert(load_text("GDLNET 1 1 11585 11585 0 1 134212225\n", 0, &n) == GDL_EPARSE && n == NULL);
  cr_assert(strstr(gdl_strerror_last(), "its header needs 1073697800") != NULL, "%s", gdl_strerror_last());
  /* trailing bytes after the parameters are refused too */
  cr_assert(load_text("GDLNET 1 1 3 1 1 1 4\n", 33, &n) == GDL_EPARSE && n == NULL);
  cr_assert(strstr(gdl_strerror_last(), "trailing") != NULL, "%s", gdl_strerror_last());
  cr_assert(load_text("GDLNET 1 1 3 1 1 1 4\n", 32, &n) == GDL_OK && n != NULL);
  gdl_net_free(n);
}

/* Item 8: bias flags other than 0/1, out_scale 0, signs, spaces and extra tokens. */
Test(net, load_header_is_strict) {
  static const char *bad[] = {
      "GDLNET 1 1 3 1 2 1 4\n",      /* bias flag 2 */
      "GDLNET 1 1 3 1 -1 1 4\n",     /* bias flag -1 */
      "GDLNET 1 1 3 1 1 0 4\n",      /* out_scale 0 (was loaded as 1) */
      "GDLNET 1 1 3 1 1 nan 4\n",    /* out_scale nan */
      "GDLNET 1 1 3 1 1 1 4 7\n",    /* extra token */
      "GDLNET 1 1 -3 1 1 1 4\n",     /* signed width */
      "GDLNET 1 1 +3 1 1 1 4\n",     /* signed width */
      "GDLNET 1 1 03 1 1 1 4\n",     /* leading zero */
      "GDLNET 1 1  3 1 1 1 4\n",     /* double space */
      "GDLNET 1 2 2 2 1  1 1 1 9\n",  /* empty activation token (fuzz_net found a NULL strcmp) */
      "GDLNET 1 2 3 4 1 swish 1 1 1 28\n", /* unknown activation */
      "GDLNET 1 2 3 4 1 5 1 1 1 21\n",     /* activation code out of range */
      "GDLNET 2 1 3 1 1 1 4\n",      /* version */
      "GDLNET 1 9 3 1 1 1 4\n",      /* too many layers */
      "GDLNET 1 9 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n", /* 9 layers with enough tokens:
                                                          the width loop wrote width[9] (fuzz_net) */
      "GDLNET 1 1 3 1 1 1 4",        /* no newline */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    gdl_net *n = NULL;
    int rc = load_text(bad[i], 32, &n);
    cr_assert(rc != GDL_OK && n == NULL, "accepted header %zu: %s", i, bad[i]);
    cr_assert(strlen(gdl_strerror_last()) > 0);
  }
}

/* Item 7: a file written from the README's description alone (not by gdl_net_save): text
 * header, activation by name or by numeric code, raw little-endian doubles. Net 2 -> 2 -> 1,
 * tanh, bias on layer 0 only, out_scale 0.5. */
Test(net, loads_file_written_from_the_format_description) {
  const double P[] = {1.0, -2.0, 0.5, 0.25, /* W0 (2 x 2, row = unit) */
                      0.1, -0.3,            /* b0 */
                      3.0, -1.0};           /* W1 (1 x 2), no b1 */
  unsigned char body[sizeof P];
  for (size_t i = 0; i < 8; i++) {
    uint64_t u;
    memcpy(&u, &P[i], 8);
    for (int j = 0; j < 8; j++) body[8 * i + (size_t)j] = (unsigned char)(u >> (8 * j));
  }
  const char *headers[] = {"GDLNET 1 2 2 2 1 tanh 1 0 0.5 8\n", "GDLNET 1 2 2 2 1 2 1 0 0.5 8\n"};
  for (int h = 0; h < 2; h++) {
    char path[] = "/tmp/gdl_netdoc_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    write_file(path, headers[h], body, sizeof body);
    gdl_net *n = NULL;
    cr_assert(gdl_net_load(path, &n) == GDL_OK, "%s: %s", headers[h], gdl_strerror_last());
    remove(path);
    cr_assert(n->spec.act[0] == GDL_ACT_TANH && n->spec.bias[0] == 1 && n->spec.bias[1] == 0);
    const double x[2] = {0.3, -0.7};
    double y;
    cr_assert(gdl_net_forward(n, 1, x, &y) == GDL_OK);
    double h0 = tanh(1.0 * 0.3 - 2.0 * -0.7 + 0.1), h1 = tanh(0.5 * 0.3 + 0.25 * -0.7 - 0.3);
    double want = 0.5 * (3.0 * h0 - 1.0 * h1);
    cr_assert(fabs(y - want) <= 1e-15 * fabs(want) + 1e-300, "f = %.17g, want %.17g", y, want);
    gdl_net_free(n);
  }
}

/* Item 6: saving over a device node is refused (the rename would replace it); item 8:
 * temp files of dead processes are removed, those of live ones kept. */
Test(net, save_refuses_devices_and_cleans_stale_temps) {
  size_t h[1] = {2};
  gdl_net_spec spec;
  gdl_net_spec_mlp(&spec, 2, 1, h, 1, GDL_ACT_RELU, 1);
  gdl_net *n;
  cr_assert(gdl_net_create(&spec, &n) == GDL_OK);
  /* a FIFO stands for the device: never /dev/null itself, which the old code, run as root,
   * would have replaced */
  char dir[] = "/tmp/gdl_netdir_XXXXXX";
  cr_assert(mkdtemp(dir) != NULL);
  char path[256], dead[300], live[300], fifo[300];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  cr_assert(mkfifo(fifo, 0600) == 0);
  cr_assert(gdl_net_save(n, fifo) == GDL_EINVAL, "%s", gdl_strerror_last());
  cr_assert(strstr(gdl_strerror_last(), "not a regular file") != NULL, "%s", gdl_strerror_last());
  struct stat st;
  cr_assert(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
  cr_assert(gdl_net_save(n, dir) == GDL_EINVAL, "a directory target accepted");
  unlink(fifo);
  snprintf(path, sizeof path, "%s/a.net", dir);
  snprintf(dead, sizeof dead, "%s.tmp.999999999", path);       /* above any pid_max */
  snprintf(live, sizeof live, "%s.tmp.%ld", path, (long)getppid());
  write_file(dead, "x", NULL, 0);
  write_file(live, "x", NULL, 0);
  cr_assert(gdl_net_save(n, path) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(access(dead, F_OK) != 0, "stale temp file of a dead process kept");
  cr_assert(access(live, F_OK) == 0, "temp file of a live process removed");
  remove(live);
  remove(path);
  rmdir(dir);
  gdl_net_free(n);
}

/* gdl_net_backward_step (the trainer's plain-GD step: no stored weight gradient, rows of an
 * exactly zero delta skipped) leaves the same parameters as gdl_net_backward_update, equal in
 * value, for ReLU nets (with inactive units) and tanh nets, batch 1 and a batch of 7. */
Test(net, backward_step_is_backward_update) {
  gsl_rng *r = gdl_test_rng("bwstep", 0);
  size_t hidden[2] = {40, 9}, in = 13;
  double X[7 * 13], dout[7];
  const double alpha[3] = {-0.1, -0.05, -0.2};
  for (int act = 0; act < 2; act++)
    for (int ms = 0; ms < 2; ms++) {
      size_t m = ms ? 7 : 1, zero_rows = 0;
      gdl_net_spec spec;
      gdl_net_spec_mlp(&spec, in, 2, hidden, 1, act ? GDL_ACT_TANH : GDL_ACT_RELU, 1);
      gdl_net *a, *b;
      cr_assert(gdl_net_create(&spec, &a) == GDL_OK);
      gdl_net_init_default(a, r);
      cr_assert(gdl_net_clone(a, &b) == GDL_OK);
      gdl_rng_gaussian(r, 1, m * in, X);
      gdl_rng_gaussian(r, 1, m, dout);
      for (int step = 0; step < 3; step++) {
        cr_assert(gdl_net_forward(a, m, X, NULL) == GDL_OK);
        cr_assert(gdl_net_backward_update(a, dout, alpha) == GDL_OK);
        for (size_t j = 0; j < hidden[0]; j++) zero_rows += a->delta[0][j] == 0.0;
        cr_assert(gdl_net_forward(b, m, X, NULL) == GDL_OK);
        cr_assert(gdl_net_backward_step(b, dout, alpha) == GDL_OK, "%s", gdl_strerror_last());
        for (size_t i = 0; i < a->nparams; i++)
          cr_assert(a->params[i] == b->params[i], "act %d, m = %zu, step %d, parameter %zu: %.17g vs %.17g",
                    act, m, step, i, a->params[i], b->params[i]);
      }
      if (!act && m == 1) cr_assert(zero_rows > 0, "the ReLU case must have inactive units");
      gdl_net_free(a);
      gdl_net_free(b);
    }
  gdl_net *c;
  gdl_net_spec spec;
  gdl_net_spec_mlp(&spec, in, 2, hidden, 1, GDL_ACT_RELU, 1);
  cr_assert(gdl_net_create(&spec, &c) == GDL_OK);
  const double bad[3] = {-0.1, NAN, -0.1};
  cr_assert(gdl_net_backward_step(c, dout, bad) != GDL_OK);
  cr_assert(gdl_net_backward_step(c, NULL, alpha) != GDL_OK);
  gdl_net_free(c);
  gdl_rng_free(r);
}
