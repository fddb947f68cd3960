/* train.c: GD / noisy GD / online & minibatch SGD / Adam on a gdl_net (see gdl/train.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include "gdl/domain.h"
#include "gdl/error.h"
#include "gdl/rng.h"
#include "gdl/target.h"
#include "gdl/train.h"
#include "names.h"

struct gdl_trainer {
  gdl_net *net;
  gdl_train_config cfg;
  gdl_data data;
  gsl_rng *rng;
  size_t din, dout, P, L;
  size_t cap;          /* rows per step */
  double *Xb, *Yb;     /* batch buffers (SAMPLE / ONLINE) */
  double *dpred;       /* cap x dout */
  double *mom, *vel;   /* Adam state */
  double *noise;       /* P */
  size_t *perm, pos;   /* SAMPLE epochs */
  size_t t;            /* steps done */
  size_t last_m;
  const double *last_X, *last_Y;
  size_t lo[GDL_MAX_LAYERS], hi[GDL_MAX_LAYERS]; /* parameter range of layer l */
  int plain_gd;        /* GD without weight decay, frozen layers, clipping or noise */
};

void gdl_train_config_default(gdl_train_config *c) {
  if (!c) return;
  memset(c, 0, sizeof *c);
  c->loss = GDL_LOSS_SQUARED;
  c->opt = GDL_OPT_GD;
  c->lr = 0.1;
  for (int l = 0; l < GDL_MAX_LAYERS; l++) c->lr_layer[l] = 1.0;
  c->adam_beta1 = 0.9;
  c->adam_beta2 = 0.999;
  c->adam_eps = 1e-8;
  c->data = GDL_DATA_POPULATION;
  c->batch = 32;
  c->steps = 1000;
}

static const char *const OPT_NAMES[] = {[GDL_OPT_GD] = "gd", [GDL_OPT_ADAM] = "adam", [GDL_OPT_SIGN] = "sign"};
_Static_assert(GDL_NAMES_LEN(OPT_NAMES) == GDL_OPT_SIGN + 1, "a name for every optimiser");

const char *gdl_optimizer_name(gdl_optimizer o) { return gdl_names_get(OPT_NAMES, GDL_NAMES_LEN(OPT_NAMES), o); }

int gdl_optimizer_parse(const char *name, gdl_optimizer *o) {
  GDL_CHECK_ARG(name && o, "gdl_optimizer_parse: NULL argument");
  unsigned v;
  GDL_TRY(gdl_names_find(OPT_NAMES, GDL_NAMES_LEN(OPT_NAMES), "optimiser", name, &v));
  *o = (gdl_optimizer)v;
  return GDL_OK;
}

static int check_config(const gdl_train_config *c, const gdl_net *net) {
  GDL_CHECK_ARG((unsigned)c->loss <= GDL_LOSS_SOFTMAX_CE, "train config: unknown loss");
  GDL_CHECK_ARG((unsigned)c->opt <= GDL_OPT_SIGN, "train config: unknown optimiser");
  GDL_CHECK_ARG((unsigned)c->clip <= GDL_CLIP_COORD, "train config: unknown clipping");
  GDL_CHECK_ARG((unsigned)c->data <= GDL_DATA_ONLINE, "train config: unknown data mode");
  GDL_CHECK_ARG((unsigned)c->schedule <= GDL_SCHED_LINEAR, "train config: unknown schedule");
  GDL_CHECK_ARG(isfinite(c->lr) && c->lr >= 0, "train config: learning rate %g must be finite and >= 0", c->lr);
  for (size_t l = 0; l < net->spec.nlayers; l++)
    GDL_CHECK_ARG(isfinite(c->lr_layer[l]) && c->lr_layer[l] >= 0,
                  "train config: lr_layer[%zu] = %g must be finite and >= 0", l, c->lr_layer[l]);
  GDL_CHECK_ARG(c->clip == GDL_CLIP_NONE || (isfinite(c->clip_value) && c->clip_value > 0),
                "train config: clip value %g must be > 0", c->clip_value);
  GDL_CHECK_ARG(isfinite(c->noise_tau) && c->noise_tau >= 0, "train config: noise tau %g must be >= 0",
                c->noise_tau);
  GDL_CHECK_ARG(c->opt != GDL_OPT_ADAM || (c->adam_beta1 >= 0 && c->adam_beta1 < 1 && c->adam_beta2 >= 0 &&
                                           c->adam_beta2 < 1 && c->adam_eps > 0),
                "train config: Adam needs 0 <= beta < 1 and eps > 0");
  GDL_CHECK_ARG(isfinite(c->weight_decay) && c->weight_decay >= 0, "train config: weight decay must be >= 0");
  GDL_CHECK_ARG(isfinite(c->out_box) && c->out_box >= 0, "train config: out_box must be >= 0");
  GDL_CHECK_ARG(c->schedule != GDL_SCHED_LINEAR || c->steps >= 1,
                "train config: the linear schedule needs steps >= 1");
  if (c->data != GDL_DATA_POPULATION)
    GDL_CHECK_ARG(c->batch >= 1 && c->batch <= ((size_t)1 << 24), "train config: batch %zu out of range",
                  c->batch);
  return GDL_OK;
}

void gdl_trainer_free(gdl_trainer *tr) {
  if (!tr) return;
  GDL_FREE_ALL(tr->Xb, tr->Yb, tr->dpred, tr->mom, tr->vel, tr->noise, tr->perm, tr);
}

int gdl_trainer_create(gdl_net *net, const gdl_train_config *cfg, const gdl_data *data, gsl_rng *r,
                       gdl_trainer **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_trainer_create: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(net && cfg && data && r, "gdl_trainer_create: NULL argument");
  GDL_TRY(check_config(cfg, net));
  size_t din = net->spec.width[0], dout = net->spec.width[net->spec.nlayers];
  size_t cap;
  if (cfg->data == GDL_DATA_ONLINE) {
    GDL_CHECK_ARG(data->sample != NULL, "gdl_trainer_create: online data needs a sampler");
    cap = cfg->batch;
  } else {
    GDL_CHECK_ARG(data->X && data->Y, "gdl_trainer_create: data X or Y is NULL");
    GDL_CHECK_ARG(data->m >= 1, "gdl_trainer_create: no data rows");
    for (size_t i = 0; i < data->m * din; i++)
      GDL_CHECK_ARG(isfinite(data->X[i]), "gdl_trainer_create: X has a non-finite entry at %zu", i);
    for (size_t i = 0; i < data->m * dout; i++)
      GDL_CHECK_ARG(isfinite(data->Y[i]), "gdl_trainer_create: Y has a non-finite entry at %zu", i);
    if (cfg->data == GDL_DATA_POPULATION) {
      cap = data->m;
      if (data->w) {
        double s = 0;
        for (size_t i = 0; i < data->m; i++) {
          GDL_CHECK_ARG(isfinite(data->w[i]) && data->w[i] >= 0, "gdl_trainer_create: bad weight w[%zu]", i);
          s += data->w[i];
        }
        GDL_CHECK_ARG(s > 0, "gdl_trainer_create: weights sum to 0");
      }
    } else {
      GDL_CHECK_ARG(cfg->batch <= data->m, "gdl_trainer_create: batch %zu exceeds the sample size %zu",
                    cfg->batch, data->m);
      cap = cfg->batch;
    }
  }
  gdl_trainer *tr = calloc(1, sizeof *tr);
  if (!tr) return gdl_fail(GDL_ENOMEM, "gdl_trainer_create: out of memory");
  tr->net = net;
  tr->cfg = *cfg;
  tr->data = *data;
  tr->rng = r;
  tr->din = din;
  tr->dout = dout;
  tr->P = net->nparams;
  tr->L = net->spec.nlayers;
  tr->cap = cap;
  int rc = gdl_net_reserve(net, cap);
  if (rc != GDL_OK) {
    gdl_trainer_free(tr);
    return rc;
  }
  int ok = 1;
  if (cfg->data != GDL_DATA_POPULATION) {
    ok = ok && (tr->Xb = malloc(cap * din * sizeof(double))) && (tr->Yb = malloc(cap * dout * sizeof(double)));
  }
  ok = ok && (tr->dpred = malloc(cap * dout * sizeof(double)));
  if (cfg->opt == GDL_OPT_ADAM)
    ok = ok && (tr->mom = calloc(tr->P, sizeof(double))) && (tr->vel = calloc(tr->P, sizeof(double)));
  if (cfg->noise_tau > 0 || cfg->noise) ok = ok && (tr->noise = malloc(tr->P * sizeof(double)));
  if (cfg->data == GDL_DATA_SAMPLE) ok = ok && (tr->perm = malloc(data->m * sizeof(size_t)));
  if (!ok) {
    gdl_trainer_free(tr);
    return gdl_fail(GDL_ENOMEM, "gdl_trainer_create: out of memory");
  }
  if (tr->perm) {
    gdl_rng_permutation(r, data->m, tr->perm);
    tr->pos = 0;
  }
  for (size_t l = 0; l < tr->L; l++) {
    tr->lo[l] = net->w_off[l];
    tr->hi[l] = net->w_off[l] + gdl_net_layer_size(net, l);
  }
  tr->plain_gd = cfg->opt == GDL_OPT_GD && cfg->weight_decay == 0 && cfg->clip == GDL_CLIP_NONE &&
                 !tr->noise;
  for (size_t l = 0; l < tr->L; l++) tr->plain_gd = tr->plain_gd && !cfg->frozen[l];
  *out = tr;
  return GDL_OK;
}

size_t gdl_trainer_steps_done(const gdl_trainer *tr) { return tr ? tr->t : 0; }
gdl_net *gdl_trainer_net(gdl_trainer *tr) { return tr ? tr->net : NULL; }
const gdl_train_config *gdl_trainer_config(const gdl_trainer *tr) { return tr ? &tr->cfg : NULL; }
void gdl_trainer_last_batch(const gdl_trainer *tr, size_t *m, const double **X, const double **Y) {
  if (!tr) return;
  if (m) *m = tr->last_m;
  if (X) *X = tr->last_X;
  if (Y) *Y = tr->last_Y;
}

static int draw_batch(gdl_trainer *tr, size_t *m, const double **X, const double **Y, const double **w) {
  const gdl_data *d = &tr->data;
  *w = NULL;
  switch (tr->cfg.data) {
    case GDL_DATA_POPULATION:
      *m = d->m;
      *X = d->X;
      *Y = d->Y;
      *w = d->w;
      return GDL_OK;
    case GDL_DATA_SAMPLE: {
      size_t b = tr->cfg.batch;
      for (size_t i = 0; i < b; i++) {
        if (tr->pos == d->m) {
          gdl_rng_permutation(tr->rng, d->m, tr->perm);
          tr->pos = 0;
        }
        size_t k = tr->perm[tr->pos++];
        memcpy(tr->Xb + i * tr->din, d->X + k * tr->din, tr->din * sizeof(double));
        memcpy(tr->Yb + i * tr->dout, d->Y + k * tr->dout, tr->dout * sizeof(double));
      }
      *m = b;
      *X = tr->Xb;
      *Y = tr->Yb;
      return GDL_OK;
    }
    case GDL_DATA_ONLINE: {
      size_t b = tr->cfg.batch;
      int rc = d->sample(d->sample_ctx, tr->rng, b, tr->Xb, tr->Yb);
      if (rc != GDL_OK) return rc;
      for (size_t i = 0; i < b * tr->din; i++)
        if (!isfinite(tr->Xb[i])) return gdl_fail(GDL_EINVAL, "sampler produced a non-finite input");
      *m = b;
      *X = tr->Xb;
      *Y = tr->Yb;
      return GDL_OK;
    }
  }
  return gdl_fail(GDL_EINVAL, "unknown data mode");
}

/* The end of a step: project the last layer onto the box, report the loss. */
static int box_and_finish(gdl_trainer *tr, double loss, double *loss_out) {
  const gdl_train_config *c = &tr->cfg;
  if (c->out_box > 0) {
    double b = c->out_box, *th = tr->net->params;
    size_t L = tr->L;
    for (size_t i = tr->lo[L - 1]; i < tr->hi[L - 1]; i++) th[i] = th[i] > b ? b : (th[i] < -b ? -b : th[i]);
  }
  if (loss_out) *loss_out = loss;
  return GDL_OK;
}

int gdl_trainer_step(gdl_trainer *tr, double *loss_out) {
  GDL_CHECK_ARG(tr != NULL, "gdl_trainer_step: trainer is NULL");
  const gdl_train_config *c = &tr->cfg;
  gdl_net *net = tr->net;
  size_t P = tr->P, L = tr->L;
  size_t m = 0;
  const double *X = NULL, *Y = NULL, *w = NULL;
  GDL_TRY(draw_batch(tr, &m, &X, &Y, &w));
  tr->last_m = m;
  tr->last_X = X;
  tr->last_Y = Y;
  GDL_TRY(gdl_net_forward(net, m, X, NULL));
  const double *pred = net->a[L - 1];
  double loss;
  int rc = gdl_loss_eval(c->loss, m, tr->dout, pred, Y, w, &loss, tr->dpred);
  if (rc != GDL_OK) return rc;
  double lr = c->lr;
  if (c->schedule == GDL_SCHED_LINEAR) lr *= 1.0 - (double)tr->t / (double)c->steps;
  if (tr->plain_gd) { /* nothing between the gradient and the update: fuse them */
    double alpha[GDL_MAX_LAYERS];
    for (size_t l = 0; l < L; l++) alpha[l] = -lr * c->lr_layer[l];
    GDL_TRY(gdl_net_backward_step(net, tr->dpred, alpha));
    tr->t++;
    return box_and_finish(tr, loss, loss_out);
  }
  GDL_TRY(gdl_net_backward(net, tr->dpred));
  double *g = net->grad, *th = net->params;
  if (c->weight_decay > 0) cblas_daxpy((int)P, c->weight_decay, th, 1, g, 1);
  for (size_t l = 0; l < L; l++)
    if (c->frozen[l]) memset(g + tr->lo[l], 0, (tr->hi[l] - tr->lo[l]) * sizeof *g);
  if (c->clip == GDL_CLIP_L2) {
    double nrm = cblas_dnrm2((int)P, g, 1);
    if (!isfinite(nrm)) return gdl_fail(GDL_EDIVERGED, "gradient is not finite at step %zu", tr->t + 1);
    if (nrm > c->clip_value) cblas_dscal((int)P, c->clip_value / nrm, g, 1);
  } else if (c->clip == GDL_CLIP_COORD) {
    double b = c->clip_value;
    for (size_t i = 0; i < P; i++) g[i] = g[i] > b ? b : (g[i] < -b ? -b : g[i]);
  }
  if (tr->noise) {
    if (c->noise) {
      GDL_TRY(c->noise(c->noise_ctx, tr->t, P, tr->noise));
    } else {
      gdl_rng_gaussian(tr->rng, c->noise_tau, P, tr->noise);
    }
    for (size_t l = 0; l < L; l++) {
      if (c->frozen[l]) continue;
      for (size_t i = tr->lo[l]; i < tr->hi[l]; i++) g[i] += tr->noise[i];
    }
  }
  tr->t++;
  if (c->opt == GDL_OPT_ADAM) {
    double b1 = c->adam_beta1, b2 = c->adam_beta2;
    double c1 = 1.0 / (1.0 - pow(b1, (double)tr->t)), c2 = 1.0 / (1.0 - pow(b2, (double)tr->t));
    for (size_t l = 0; l < L; l++) {
      if (c->frozen[l]) continue;
      double step = lr * c->lr_layer[l];
      for (size_t i = tr->lo[l]; i < tr->hi[l]; i++) {
        double gi = g[i];
        tr->mom[i] = b1 * tr->mom[i] + (1 - b1) * gi;
        tr->vel[i] = b2 * tr->vel[i] + (1 - b2) * gi * gi;
        th[i] -= step * (tr->mom[i] * c1) / (sqrt(tr->vel[i] * c2) + c->adam_eps);
      }
    }
  } else if (c->opt == GDL_OPT_SIGN) {
    for (size_t l = 0; l < L; l++) {
      if (c->frozen[l]) continue;
      double step = lr * c->lr_layer[l];
      for (size_t i = tr->lo[l]; i < tr->hi[l]; i++) th[i] -= step * (double)((g[i] > 0) - (g[i] < 0));
    }
  } else {
    for (size_t l = 0; l < L; l++) {
      if (c->frozen[l]) continue;
      cblas_daxpy((int)(tr->hi[l] - tr->lo[l]), -lr * c->lr_layer[l], g + tr->lo[l], 1, th + tr->lo[l], 1);
    }
  }
  return box_and_finish(tr, loss, loss_out);
}

static int params_finite(const gdl_net *net) {
  for (size_t i = 0; i < net->nparams; i++)
    if (!isfinite(net->params[i])) return 0;
  return 1;
}

int gdl_trainer_run(gdl_trainer *tr) {
  GDL_CHECK_ARG(tr != NULL, "gdl_trainer_run: trainer is NULL");
  const gdl_train_config *c = &tr->cfg;
  while (tr->t < c->steps) {
    double loss;
    GDL_TRY(gdl_trainer_step(tr, &loss));
    if (c->callback && c->callback_every && tr->t % c->callback_every == 0) {
      int cb = c->callback(c->callback_ctx, tr, tr->t, loss);
      if (cb < 0) return cb;
      if (cb > 0) break;
    }
  }
  if (!params_finite(tr->net))
    return gdl_fail(GDL_EDIVERGED, "parameters are not finite after %zu steps", tr->t);
  return GDL_OK;
}

int gdl_sampler_domain_target(void *ctx, gsl_rng *r, size_t m, double *X, double *Y) {
  GDL_CHECK_ARG(ctx && r && X && Y, "gdl_sampler_domain_target: NULL argument");
  const gdl_domain_sampler *s = ctx;
  const gdl_domain *d = s->domain;
  const gdl_target *t = s->target;
  GDL_CHECK_ARG(d && t, "gdl_sampler_domain_target: domain or target is NULL");
  GDL_TRY(gdl_domain_sample(d, r, m, X, NULL));
  GDL_TRY(gdl_target_eval(t, d, m, X, NULL, Y));
  if (s->label_noise > 0)
    for (size_t i = 0; i < m; i++) { double e; gdl_rng_gaussian(r, s->label_noise, 1, &e); Y[i] += e; }
  return GDL_OK;
}
