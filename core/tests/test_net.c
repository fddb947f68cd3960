/* core.net: gradients of every activation x loss x depth x bias against central
 * differences; per-example gradients; storage; argument checks. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

Test(net, gradient_check_all) {
  uint64_t s = gdl_test_seed();
  size_t idx = 0;
  for (int act = GDL_ACT_IDENTITY; act <= GDL_ACT_QUADRATIC; act++)
    for (int loss = GDL_LOSS_SQUARED; loss <= GDL_LOSS_SOFTMAX_CE; loss++)
      for (size_t depth = 1; depth <= 4; depth++)
        for (int bias = 0; bias <= 1; bias++) check_gradient((gdl_act)act, (gdl_loss)loss, depth, bias, s, idx++);
}

Test(net, per_example_gradients_sum_to_batch_gradient) {
  gsl_rng *r = gdl_test_rng("perex", 0);
  size_t hidden[2] = {16, 8}, m = 37, in = 6;
  gdl_net_spec spec;
  gdl_net_spec_mlp(&spec, in, 2, hidden, 1, GDL_ACT_TANH, 1);
  gdl_net *net;
  cr_assert(gdl_net_create(&spec, &net) == GDL_OK);
  gdl_net_init_default(net, r);
  gdl_net_reserve(net, 10); /* forces chunking */
  double *X = malloc(m * in * sizeof *X), *c = malloc(m * sizeof *c);
  gdl_rng_gaussian(r, 1, m * in, X);
  gdl_rng_gaussian(r, 1, m, c);
  size_t P = net->nparams;
  double *G = malloc(m * P * sizeof *G);
  cr_assert(gdl_net_per_example_grad(net, m, X, 0, G) == GDL_OK, "%s", gdl_strerror_last());
  /* sum_i c_i grad f(x_i) must equal backward with dout = c */
  cr_assert(gdl_net_forward(net, m, X, NULL) == GDL_OK);
  cr_assert(gdl_net_backward(net, c) == GDL_OK);
  double err = 0, nrm = 0;
  for (size_t j = 0; j < P; j++) {
    double s = 0;
    for (size_t i = 0; i < m; i++) s += c[i] * G[i * P + j];
    err = fmax(err, fabs(s - net->grad[j]));
    nrm = fmax(nrm, fabs(net->grad[j]));
  }
  cr_assert(err <= 1e-12 * fmax(1, nrm), "per-example gradients: max deviation %.3e", err);
  free(G);
  free(X);
  free(c);
  gdl_net_free(net);
  gdl_rng_free(r);
}

Test(net, batch_one_and_readout_paths_match_gemm) {
  /* m = 1 (dgemv path) must agree with the same row inside a larger batch (dgemm path). */
  gsl_rng *r = gdl_test_rng("paths", 0);
  size_t hidden[1] = {32}, in = 20, m = 8;
  gdl_net_spec spec;
  gdl_net_spec_mlp(&spec, in, 1, hidden, 2, GDL_ACT_RELU, 1);
  gdl_net *net;
  cr_assert(gdl_net_create(&spec, &net) == GDL_OK);
  gdl_net_init_default(net, r);
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
