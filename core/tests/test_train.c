/* core.train: determinism, divergence, freezing, clipping, projection, bad configs. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/gdl.h"
#include "gdl_test.h"

#define IN 6
#define M 64

/* y = x0 * x1 + sin(x2) on Gaussian inputs */
static int toy_sampler(void *ctx, gsl_rng *r, size_t m, double *X, double *Y) {
  (void)ctx;
  gdl_rng_gaussian(r, 1.0, m * IN, X);
  for (size_t i = 0; i < m; i++) Y[i] = X[i * IN] * X[i * IN + 1] + sin(X[i * IN + 2]);
  return GDL_OK;
}

typedef struct {
  gdl_net *net;
  gsl_rng *r;
  double X[M * IN], Y[M];
} toy;

static void toy_make(toy *t, uint64_t s, gdl_act act) {
  cr_assert(gdl_rng_alloc(s, "toy", 0, &t->r) == GDL_OK);
  size_t hidden[2] = {16, 8};
  gdl_net_spec spec;
  gdl_net_spec_mlp(&spec, IN, 2, hidden, 1, act, 1);
  cr_assert(gdl_net_create(&spec, &t->net) == GDL_OK);
  cr_assert(gdl_net_init_default(t->net, t->r) == GDL_OK);
  toy_sampler(NULL, t->r, M, t->X, t->Y);
}

static void toy_free(toy *t) {
  gdl_net_free(t->net);
  gdl_rng_free(t->r);
}

static int run(uint64_t s, gdl_optimizer opt, gdl_data_mode mode, double tau, gdl_clip clip, size_t steps,
               double **params_out, size_t *P) {
  toy t;
  toy_make(&t, s, GDL_ACT_TANH);
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.opt = opt;
  c.lr = opt == GDL_OPT_ADAM ? 1e-3 : (opt == GDL_OPT_SIGN ? 1e-3 : 0.05);
  c.data = mode;
  c.batch = 8;
  c.noise_tau = tau;
  c.clip = clip;
  c.clip_value = 0.5;
  c.steps = steps;
  gdl_data d = {M, t.X, t.Y, NULL, toy_sampler, NULL};
  gdl_trainer *tr;
  int rc = gdl_trainer_create(t.net, &c, &d, t.r, &tr);
  if (rc == GDL_OK) rc = gdl_trainer_run(tr);
  *P = t.net->nparams;
  *params_out = malloc(*P * sizeof(double));
  memcpy(*params_out, t.net->params, *P * sizeof(double));
  gdl_trainer_free(tr);
  toy_free(&t);
  return rc;
}

Test(train, same_seed_bit_identical_different_seed_differs) {
  uint64_t s = gdl_test_seed();
  struct { gdl_optimizer o; gdl_data_mode d; double tau; gdl_clip c; const char *name; } cases[] = {
    {GDL_OPT_GD, GDL_DATA_POPULATION, 0, GDL_CLIP_NONE, "population GD"},
    {GDL_OPT_GD, GDL_DATA_SAMPLE, 0, GDL_CLIP_NONE, "minibatch SGD"},
    {GDL_OPT_GD, GDL_DATA_ONLINE, 0, GDL_CLIP_NONE, "online SGD"},
    {GDL_OPT_GD, GDL_DATA_POPULATION, 0.01, GDL_CLIP_L2, "noisy GD l2 clip"},
    {GDL_OPT_GD, GDL_DATA_POPULATION, 0.01, GDL_CLIP_COORD, "noisy GD coord clip"},
    {GDL_OPT_ADAM, GDL_DATA_ONLINE, 0, GDL_CLIP_NONE, "Adam"},
    {GDL_OPT_SIGN, GDL_DATA_SAMPLE, 0, GDL_CLIP_NONE, "sign GD"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    double *a, *b, *c;
    size_t P;
    cr_assert(run(s, cases[k].o, cases[k].d, cases[k].tau, cases[k].c, 100, &a, &P) == GDL_OK, "%s: %s",
              cases[k].name, gdl_strerror_last());
    cr_assert(run(s, cases[k].o, cases[k].d, cases[k].tau, cases[k].c, 100, &b, &P) == GDL_OK);
    cr_assert(run(s + 1, cases[k].o, cases[k].d, cases[k].tau, cases[k].c, 100, &c, &P) == GDL_OK);
    cr_assert(memcmp(a, b, P * sizeof(double)) == 0, "%s: same seed, different parameters", cases[k].name);
    cr_assert(memcmp(a, c, P * sizeof(double)) != 0, "%s: different seeds, same parameters", cases[k].name);
    free(a);
    free(b);
    free(c);
  }
}

Test(train, training_reduces_the_loss) {
  /* control for the tests above: the trainer does learn */
  toy t;
  toy_make(&t, gdl_test_seed(), GDL_ACT_TANH);
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.lr = 0.1;
  gdl_data d = {M, t.X, t.Y, NULL, NULL, NULL};
  gdl_trainer *tr;
  cr_assert(gdl_trainer_create(t.net, &c, &d, t.r, &tr) == GDL_OK);
  double l0, l;
  cr_assert(gdl_trainer_step(tr, &l0) == GDL_OK);
  for (int i = 0; i < 2000; i++) cr_assert(gdl_trainer_step(tr, &l) == GDL_OK);
  cr_assert(l < 0.5 * l0, "population GD did not halve the loss: %g -> %g", l0, l);
  gdl_trainer_free(tr);
  toy_free(&t);
}

Test(train, divergence_is_an_error_not_a_crash) {
  toy t;
  toy_make(&t, gdl_test_seed(), GDL_ACT_RELU);
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.lr = 1e6;
  c.steps = 200;
  gdl_data d = {M, t.X, t.Y, NULL, NULL, NULL};
  gdl_trainer *tr;
  cr_assert(gdl_trainer_create(t.net, &c, &d, t.r, &tr) == GDL_OK);
  int rc = gdl_trainer_run(tr);
  cr_assert(rc == GDL_EDIVERGED, "expected GDL_EDIVERGED, got %s", gdl_status_name(rc));
  cr_assert(strstr(gdl_strerror_last(), "finite") != NULL, "message: %s", gdl_strerror_last());
  gdl_trainer_free(tr);
  toy_free(&t);
}

Test(train, frozen_layers_clip_and_box) {
  toy t;
  toy_make(&t, gdl_test_seed(), GDL_ACT_TANH);
  size_t P = t.net->nparams;
  double *before = malloc(P * sizeof *before);
  memcpy(before, t.net->params, P * sizeof *before);
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.frozen[0] = c.frozen[1] = 1; /* train only the last layer */
  c.clip = GDL_CLIP_L2;
  c.clip_value = 1e-3;
  c.lr = 1.0;
  c.out_box = 0.05;
  c.noise_tau = 0.5;
  gdl_data d = {M, t.X, t.Y, NULL, NULL, NULL};
  gdl_trainer *tr;
  cr_assert(gdl_trainer_create(t.net, &c, &d, t.r, &tr) == GDL_OK);
  cr_assert(gdl_trainer_step(tr, NULL) == GDL_OK);
  size_t last = t.net->w_off[2];
  cr_assert(memcmp(before, t.net->params, last * sizeof(double)) == 0, "a frozen layer moved");
  int moved = 0;
  for (size_t i = last; i < P; i++) {
    cr_assert(fabs(t.net->params[i]) <= 0.05 + 1e-15, "box violated: %g", t.net->params[i]);
    moved |= t.net->params[i] != before[i];
  }
  cr_assert(moved, "the last layer did not move");
  gdl_trainer_free(tr);
  /* without noise, an l2-clipped GD step moves theta by at most lr * clip */
  memcpy(t.net->params, before, P * sizeof *before);
  c.noise_tau = 0;
  c.out_box = 0;
  c.frozen[0] = c.frozen[1] = 0;
  cr_assert(gdl_trainer_create(t.net, &c, &d, t.r, &tr) == GDL_OK);
  cr_assert(gdl_trainer_step(tr, NULL) == GDL_OK);
  double mv = 0;
  for (size_t i = 0; i < P; i++) mv += (t.net->params[i] - before[i]) * (t.net->params[i] - before[i]);
  cr_assert(sqrt(mv) <= 1e-3 * (1 + 1e-12), "clipped step moved %g > 1e-3", sqrt(mv));
  gdl_trainer_free(tr);
  free(before);
  toy_free(&t);
}

Test(train, rejects_bad_configurations) {
  toy t;
  toy_make(&t, gdl_test_seed(), GDL_ACT_TANH);
  gdl_data d = {M, t.X, t.Y, NULL, NULL, NULL};
  gdl_trainer *tr = NULL;
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.lr = NAN;
  cr_assert(gdl_trainer_create(t.net, &c, &d, t.r, &tr) == GDL_EINVAL && tr == NULL);
  cr_assert(strstr(gdl_strerror_last(), "learning rate") != NULL, "message: %s", gdl_strerror_last());
  gdl_train_config_default(&c);
  c.data = GDL_DATA_SAMPLE;
  c.batch = M + 1;
  cr_assert(gdl_trainer_create(t.net, &c, &d, t.r, &tr) == GDL_EINVAL);
  gdl_train_config_default(&c);
  c.data = GDL_DATA_ONLINE;
  cr_assert(gdl_trainer_create(t.net, &c, &d, t.r, &tr) == GDL_EINVAL, "online without sampler accepted");
  gdl_train_config_default(&c);
  c.clip = GDL_CLIP_L2;
  c.clip_value = 0;
  cr_assert(gdl_trainer_create(t.net, &c, &d, t.r, &tr) == GDL_EINVAL);
  gdl_train_config_default(&c);
  t.X[3] = NAN;
  cr_assert(gdl_trainer_create(t.net, &c, &d, t.r, &tr) == GDL_EINVAL, "NaN input accepted");
  cr_assert(gdl_trainer_create(NULL, &c, &d, t.r, &tr) == GDL_EINVAL);
  cr_assert(gdl_trainer_step(NULL, NULL) == GDL_EINVAL);
  gdl_optimizer o;
  cr_assert(gdl_optimizer_parse("lbfgs", &o) == GDL_EINVAL);
  gdl_loss l;
  cr_assert(gdl_loss_parse("hinge", &l) == GDL_EINVAL);
  toy_free(&t);
}

/* ------------------------------------------------------------------------------------------
 * Killers of trainer faults (faults/core-*.fault): the size of one step against a hand-computed
 * update, the freshness of online samples, and the law of the injected noise.
 * ------------------------------------------------------------------------------------------ */
#define H1 5

/* a 2-layer tanh net in -> H1 -> 1 with biases (layout of gdl_net: W0 row-major H1 x IN, b0,
 * W1 1 x H1, b1), its parameters drawn by the test */
static gdl_net *small_net(gsl_rng *r) {
  size_t hidden[1] = {H1};
  gdl_net_spec spec;
  gdl_net *net = NULL;
  cr_assert(gdl_net_spec_mlp(&spec, IN, 1, hidden, 1, GDL_ACT_TANH, 1) == GDL_OK);
  cr_assert(gdl_net_create(&spec, &net) == GDL_OK);
  cr_assert(net->nparams == IN * H1 + H1 + H1 + 1, "layout: %zu parameters", net->nparams);
  gdl_rng_gaussian(r, 0.7, net->nparams, net->params);
  return net;
}

/* the setting of the step tests: a sample of the toy target and small_net, both drawn from the
 * test stream (purpose, idx), and a trainer over them */
typedef struct {
  gsl_rng *r;
  double X[M * IN], Y[M];
  gdl_net *net;
  size_t P;
  gdl_data d;
  gdl_trainer *tr;
} step_case;

static void step_case_make(step_case *s, const char *purpose, uint64_t idx) {
  s->r = gdl_test_rng(purpose, idx);
  toy_sampler(NULL, s->r, M, s->X, s->Y);
  s->net = small_net(s->r);
  s->P = s->net->nparams;
  s->d = (gdl_data){M, s->X, s->Y, NULL, toy_sampler, NULL};
  s->tr = NULL;
}

/* a new trainer under c (the previous one freed) */
static void step_case_train(step_case *s, const gdl_train_config *c) {
  gdl_trainer_free(s->tr);
  s->tr = NULL;
  cr_assert(gdl_trainer_create(s->net, c, &s->d, s->r, &s->tr) == GDL_OK, "%s", gdl_strerror_last());
}

static void step_case_free(step_case *s) {
  gdl_trainer_free(s->tr);
  gdl_net_free(s->net);
  gdl_rng_free(s->r);
}

/* the gradient of L = (1/m) sum_i 1/2 (f(x_i) - y_i)^2 for f(x) = sum_j a_j tanh(w_j.x + b_j) + c,
 * written out by hand (no call into gdl_net) */
static void hand_grad(const gdl_net *net, size_t m, const double *X, const double *Y, double *g) {
  const double *th = net->params;
  const double *W0 = th + net->w_off[0], *b0 = th + net->b_off[0];
  const double *W1 = th + net->w_off[1], *b1 = th + net->b_off[1];
  double *gW0 = g + net->w_off[0], *gb0 = g + net->b_off[0];
  double *gW1 = g + net->w_off[1], *gb1 = g + net->b_off[1];
  memset(g, 0, net->nparams * sizeof *g);
  for (size_t i = 0; i < m; i++) {
    const double *x = X + i * IN;
    double h[H1], f = b1[0];
    for (size_t j = 0; j < H1; j++) {
      double z = b0[j];
      for (size_t k = 0; k < IN; k++) z += W0[j * IN + k] * x[k];
      h[j] = tanh(z);
      f += W1[j] * h[j];
    }
    double r = (f - Y[i]) / (double)m;
    gb1[0] += r;
    for (size_t j = 0; j < H1; j++) {
      gW1[j] += r * h[j];
      double dz = r * W1[j] * (1.0 - h[j] * h[j]);
      gb0[j] += dz;
      for (size_t k = 0; k < IN; k++) gW0[j * IN + k] += dz * x[k];
    }
  }
}

/* one trainer step from theta0 equals theta0 - lr * (hand gradient on the step's batch), for
 * population GD, minibatch SGD and online SGD; a halved step, a wrong backward term or a
 * missing bias gradient moves some coordinate by a relative 1e-1 or more, the tolerance is 1e-9 */
Test(train, step_size_matches_a_hand_computed_update) {
  /* batch 1 takes the fused outer-product + update path of gdl_net_backward_update */
  gdl_data_mode modes[5] = {GDL_DATA_POPULATION, GDL_DATA_SAMPLE, GDL_DATA_ONLINE, GDL_DATA_SAMPLE,
                            GDL_DATA_ONLINE};
  const char *names[5] = {"population GD", "minibatch SGD", "online SGD", "SGD batch 1",
                          "online SGD batch 1"};
  for (int k = 0; k < 5; k++) {
    step_case sc;
    step_case_make(&sc, "test_train.step", (uint64_t)k);
    size_t P = sc.P;
    double *th0 = malloc(P * sizeof *th0), *th1 = malloc(P * sizeof *th1), *g = malloc(P * sizeof *g);
    memcpy(th0, sc.net->params, P * sizeof *th0);
    gdl_train_config c;
    gdl_train_config_default(&c);
    c.lr = 0.07;
    c.data = modes[k];
    c.batch = k < 3 ? 8 : 1;
    step_case_train(&sc, &c);
    cr_assert(gdl_trainer_step(sc.tr, NULL) == GDL_OK, "%s", gdl_strerror_last());
    size_t mb = 0;
    const double *Xb = NULL, *Yb = NULL;
    gdl_trainer_last_batch(sc.tr, &mb, &Xb, &Yb);
    cr_assert(mb == (k == 0 ? (size_t)M : c.batch), "%s: batch of %zu rows", names[k], mb);
    memcpy(th1, sc.net->params, P * sizeof *th1);
    memcpy(sc.net->params, th0, P * sizeof *th0);
    hand_grad(sc.net, mb, Xb, Yb, g);
    double gmax = 0;
    for (size_t i = 0; i < P; i++) {
      double want = th0[i] - c.lr * g[i];
      double tol = 1e-9 * (fabs(c.lr * g[i]) + 1e-12);
      cr_assert(fabs(th1[i] - want) <= tol, "%s: parameter %zu moved by %.12g, the hand update is %.12g",
                names[k], i, th1[i] - th0[i], -c.lr * g[i]);
      if (fabs(g[i]) > gmax) gmax = fabs(g[i]);
    }
    cr_assert(gmax > 1e-3, "%s: the gradient vanishes (%g): the check would be empty", names[k], gmax);
    step_case_free(&sc);
    free(th0);
    free(th1);
    free(g);
  }
}

/* online SGD draws a fresh batch at every step: consecutive batches differ; minibatch SGD visits
 * every example once per epoch and reshuffles between epochs */
Test(train, step_samples_are_fresh) {
  step_case sc;
  step_case_make(&sc, "test_train.fresh", 0);
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.lr = 0.01;
  c.data = GDL_DATA_ONLINE;
  c.batch = 4;
  step_case_train(&sc, &c);
  double prev[4 * IN];
  size_t mb;
  const double *Xb;
  for (int t = 0; t < 20; t++) {
    cr_assert(gdl_trainer_step(sc.tr, NULL) == GDL_OK);
    gdl_trainer_last_batch(sc.tr, &mb, &Xb, NULL);
    if (t > 0) cr_assert(memcmp(prev, Xb, sizeof prev) != 0, "online step %d reused the batch of step %d", t + 1, t);
    memcpy(prev, Xb, sizeof prev);
  }
  /* minibatch SGD: batch 8 of 64 rows, 3 epochs; each epoch a permutation, epochs differ */
  c.data = GDL_DATA_SAMPLE;
  c.batch = 8;
  step_case_train(&sc, &c);
  size_t order[3][M];
  for (int e = 0; e < 3; e++) {
    int seen[M] = {0};
    for (int s = 0; s < M / 8; s++) {
      cr_assert(gdl_trainer_step(sc.tr, NULL) == GDL_OK);
      gdl_trainer_last_batch(sc.tr, &mb, &Xb, NULL);
      for (size_t i = 0; i < mb; i++) {
        size_t row = M;
        for (size_t q = 0; q < M; q++)
          if (!memcmp(Xb + i * IN, sc.X + q * IN, IN * sizeof(double))) { row = q; break; }
        cr_assert(row < M, "a minibatch row is not a sample row");
        cr_assert(!seen[row], "epoch %d visits row %zu twice", e, row);
        seen[row] = 1;
        order[e][s * 8 + i] = row;
      }
    }
  }
  /* two epochs in the same order: probability 1/64! per pair under a fresh shuffle */
  cr_assert(memcmp(order[0], order[1], sizeof order[0]) && memcmp(order[1], order[2], sizeof order[0]),
            "minibatch SGD repeats the order of an epoch (no reshuffle)");
  step_case_free(&sc);
}

/* The injected noise of noisy GD: xi_t = (theta_t - theta_{t+1}) / lr - g(theta_t), recovered
 * exactly step by step (g by hand_grad), must be i.i.d. N(0, tau^2) in every coordinate.
 * N = T * P values (T = 600, P = 41: N = 24600). Checks, each at 6 standard errors (two-sided
 * normal tail 2e-9 each; N is large enough for the normal approximation of every statistic):
 *   mean/tau within 6/sqrt(N); s^2/tau^2 - 1 within 6 sqrt(2/N) = 0.054;
 *   P(|xi| < tau) = 0.682689 within 6 sqrt(p(1-p)/N) = 0.018; lag-1 correlation within 6/sqrt(N).
 * Power: a noise never added gives s^2 = 0, std tau^2 (tau = 0.1) gives s^2/tau^2 = 0.01, a
 * halved step gives a law mixed with -g/2; a 10% error in the std (s^2/tau^2 = 1.21) is detected
 * with probability 1 - Phi(-(0.21 - 0.054) / 0.009) > 1 - 1e-60. */
Test(train, noise_law_is_gaussian_tau) {
  step_case sc;
  step_case_make(&sc, "test_train.noise", 0);
  gdl_net *net = sc.net;
  size_t P = sc.P;
  const size_t T = 600;
  const double tau = 0.1, lr = 0.01;
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.lr = lr;
  c.noise_tau = tau;
  c.steps = T;
  step_case_train(&sc, &c);
  double *th = malloc(P * sizeof *th), *g = malloc(P * sizeof *g), *xi = malloc(T * P * sizeof *xi);
  for (size_t t = 0; t < T; t++) {
    memcpy(th, net->params, P * sizeof *th);
    hand_grad(net, M, sc.X, sc.Y, g);
    cr_assert(gdl_trainer_step(sc.tr, NULL) == GDL_OK);
    for (size_t i = 0; i < P; i++) xi[t * P + i] = (th[i] - net->params[i]) / lr - g[i];
  }
  double N = (double)(T * P), s1 = 0, s2 = 0, in1 = 0, lag = 0;
  for (size_t k = 0; k < T * P; k++) {
    s1 += xi[k];
    s2 += xi[k] * xi[k];
    in1 += fabs(xi[k]) < tau;
    if (k >= P) lag += xi[k] * xi[k - P];
  }
  double mean = s1 / N, var = s2 / N - mean * mean, frac = in1 / N, p1 = 0.682689492137086;
  double corr = lag / (N - (double)P) / (tau * tau), sef = sqrt(p1 * (1 - p1) / N);
  cr_log_info("noise: mean/tau %.3g, var/tau^2 %.5f, P(|xi|<tau) %.5f, lag-1 corr %.3g (N = %.0f)", mean / tau,
              var / (tau * tau), frac, corr, N);
  cr_assert(fabs(mean) / tau <= 6 / sqrt(N), "noise mean/tau = %g, bound %g", mean / tau, 6 / sqrt(N));
  cr_assert(fabs(var / (tau * tau) - 1) <= 6 * sqrt(2 / N), "noise var/tau^2 = %g, expected 1 +- %g", var / (tau * tau),
            6 * sqrt(2 / N));
  cr_assert(fabs(frac - p1) <= 6 * sef, "P(|noise| < tau) = %g, expected %g +- %g", frac, p1, 6 * sef);
  cr_assert(fabs(corr) <= 6 / sqrt(N), "lag-1 noise correlation %g, bound %g", corr, 6 / sqrt(N));
  free(th);
  free(g);
  free(xi);
  step_case_free(&sc);
}

/* Adam's first step with bias correction: m^ = g, v^ = g^2, so theta moves by
 * -lr g / (|g| + eps) in every coordinate (without the correction: about 3.16 lr sign(g)) */
Test(train, step_adam_first_step_is_bias_corrected) {
  step_case sc;
  step_case_make(&sc, "test_train.adam", 0);
  gdl_net *net = sc.net;
  size_t P = sc.P;
  double *th0 = malloc(P * sizeof *th0), *g = malloc(P * sizeof *g);
  memcpy(th0, net->params, P * sizeof *th0);
  hand_grad(net, M, sc.X, sc.Y, g);
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.opt = GDL_OPT_ADAM;
  c.lr = 1e-3;
  step_case_train(&sc, &c);
  cr_assert(gdl_trainer_step(sc.tr, NULL) == GDL_OK);
  for (size_t i = 0; i < P; i++) {
    double want = -c.lr * g[i] / (fabs(g[i]) + c.adam_eps);
    cr_assert(fabs((net->params[i] - th0[i]) - want) <= 1e-9 * c.lr,
              "Adam step 1, parameter %zu: moved %.12g, expected %.12g", i, net->params[i] - th0[i], want);
  }
  step_case_free(&sc);
  free(th0);
  free(g);
}

/* The default initialisation is N(0, 1/fan_in) per weight, biases 0: over a 200 -> 400 -> 1
 * net (N = 80400 weights), at 6 standard errors: the fraction of negative weights is 1/2 within
 * 6 sqrt(1/(4N)) = 0.011, mean/s within 6/sqrt(N), E[w^2]/s^2 within 1 +- 6 sqrt(2/N). A half-normal
 * (sign-asymmetric) init has fraction 0 and mean/s = 0.80; a wrong scale by 10% moves E[w^2]/s^2 by 0.2. */
Test(train, init_default_is_symmetric_gaussian) {
  gsl_rng *r = gdl_test_rng("test_train.init", 0);
  size_t hidden[1] = {400};
  gdl_net_spec spec;
  gdl_net *net = NULL;
  cr_assert(gdl_net_spec_mlp(&spec, 200, 1, hidden, 1, GDL_ACT_RELU, 1) == GDL_OK);
  cr_assert(gdl_net_create(&spec, &net) == GDL_OK);
  cr_assert(gdl_net_init_default(net, r) == GDL_OK);
  double N = 0, neg = 0, s1 = 0, s2 = 0;
  for (size_t l = 0; l < 2; l++) {
    double s = 1.0 / sqrt((double)spec.width[l]);
    size_t cnt = spec.width[l] * spec.width[l + 1];
    const double *w = net->params + net->w_off[l];
    for (size_t i = 0; i < cnt; i++) {
      N += 1;
      neg += w[i] < 0;
      s1 += w[i] / s;
      s2 += (w[i] / s) * (w[i] / s);
    }
    const double *b = net->params + net->b_off[l];
    for (size_t j = 0; j < spec.width[l + 1]; j++) cr_assert(b[j] == 0.0, "bias %zu of layer %zu is %g", j, l, b[j]);
  }
  cr_assert(fabs(neg / N - 0.5) <= 6 * sqrt(0.25 / N), "fraction of negative weights %g", neg / N);
  cr_assert(fabs(s1 / N) <= 6 / sqrt(N), "mean weight / scale %g", s1 / N);
  cr_assert(fabs(s2 / N - 1) <= 6 * sqrt(2 / N), "E[w^2] / scale^2 = %g", s2 / N);
  gdl_net_free(net);
  gdl_rng_free(r);
}
