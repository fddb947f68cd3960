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
