/* gdl/train.h: the trainer.
 *
 * One step:  draw the batch (population / minibatch of a fixed sample / fresh online
 * sample) -> forward -> loss -> backward -> zero frozen layers -> clip (global l2 or
 * coordinatewise) -> add noise Z ~ N(0, tau^2 I) (noisy GD) -> update (GD, Adam or
 * sign-GD) with per-layer step sizes -> project the last layer onto a box.
 *     theta <- theta - lr * lr_layer[l] * (clip(grad) + Z)          (GD / noisy GD)
 * A non-finite loss, gradient or parameter stops the run with GDL_EDIVERGED.
 * Workspaces (batch buffers, optimiser state, noise) are allocated by
 * gdl_trainer_create; gdl_trainer_step allocates nothing. The net's gradient buffer is the
 * trainer's scratch: a plain-GD step (no decay, clipping, noise or frozen layer) with a batch
 * of 1 updates the weights without storing their gradient (gdl_net_backward_step), so read
 * net->grad only after your own gdl_net_backward. */
#ifndef GDL_TRAIN_H
#define GDL_TRAIN_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "net.h"
#include "loss.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { GDL_OPT_GD = 0, GDL_OPT_ADAM, GDL_OPT_SIGN } gdl_optimizer;
typedef enum { GDL_CLIP_NONE = 0, GDL_CLIP_L2, GDL_CLIP_COORD } gdl_clip;
typedef enum {
  GDL_DATA_POPULATION = 0,  /* every step uses all m rows with weights w (exact population GD) */
  GDL_DATA_SAMPLE,          /* minibatches of `batch` rows of a fixed sample, reshuffled each epoch */
  GDL_DATA_ONLINE           /* `batch` fresh rows from the sampler every step */
} gdl_data_mode;
typedef enum { GDL_SCHED_CONST = 0, GDL_SCHED_LINEAR } gdl_schedule; /* LINEAR: lr*(1 - t/steps) */

struct gdl_trainer;
/* Online sampler: fill X (m x din) and Y (m x dout). Return GDL_OK or an error status. */
typedef int (*gdl_sampler_fn)(void *ctx, gsl_rng *r, size_t m, double *X, double *Y);
/* Noise source: write the raw noise vector z (length P) for `step`; it is added to the
 * clipped gradient unscaled (so include tau yourself). NULL: tau * N(0, I) from the
 * trainer's own stream. */
typedef int (*gdl_noise_fn)(void *ctx, size_t step, size_t P, double *z);
/* Called after step `step` (1-based count of steps done) every callback_every steps.
 * Return 0 to continue, > 0 to stop early (not an error), < 0 to abort with that status. */
typedef int (*gdl_step_cb)(void *ctx, struct gdl_trainer *tr, size_t step, double loss);

typedef struct {
  gdl_loss loss;
  gdl_optimizer opt;
  double lr;
  double lr_layer[GDL_MAX_LAYERS];   /* per-layer multipliers (default 1) */
  int frozen[GDL_MAX_LAYERS];        /* 1: layer not updated */
  gdl_schedule schedule;
  gdl_clip clip;
  double clip_value;                 /* l2 radius or coordinate bound */
  double noise_tau;                  /* > 0: noisy GD */
  double adam_beta1, adam_beta2, adam_eps;
  double weight_decay;               /* added to the gradient: wd * theta */
  double out_box;                    /* > 0: clamp last-layer weights and bias to [-out_box, out_box] */
  gdl_data_mode data;
  size_t batch;                      /* SAMPLE / ONLINE batch size */
  size_t steps;                      /* for gdl_trainer_run and the LINEAR schedule */
  size_t callback_every;             /* 0: never */
  gdl_step_cb callback; void *callback_ctx;
  gdl_noise_fn noise; void *noise_ctx;
} gdl_train_config;

/* Defaults: squared loss, GD, lr 0.1, multipliers 1, nothing frozen, no clip, no noise,
 * Adam (0.9, 0.999, 1e-8), population data, batch 32, 1000 steps. */
void gdl_train_config_default(gdl_train_config *c);

typedef struct {
  size_t m;            /* rows (POPULATION / SAMPLE) */
  const double *X;     /* m x din */
  const double *Y;     /* m x dout */
  const double *w;     /* POPULATION weights (sum 1); NULL = uniform */
  gdl_sampler_fn sample; void *sample_ctx;  /* ONLINE */
} gdl_data;

typedef struct gdl_trainer gdl_trainer;

/* The trainer keeps pointers to net, data arrays and rng (not copies); cfg is copied. */
int gdl_trainer_create(gdl_net *net, const gdl_train_config *cfg, const gdl_data *data,
                       gsl_rng *r, gdl_trainer **out);
void gdl_trainer_free(gdl_trainer *tr);
/* One step; *loss (may be NULL) gets the batch loss before the update. */
int gdl_trainer_step(gdl_trainer *tr, double *loss);
/* cfg.steps steps with callbacks. */
int gdl_trainer_run(gdl_trainer *tr);
size_t gdl_trainer_steps_done(const gdl_trainer *tr);
gdl_net *gdl_trainer_net(gdl_trainer *tr);
const gdl_train_config *gdl_trainer_config(const gdl_trainer *tr);
/* The last batch drawn (ONLINE / SAMPLE): pointers valid until the next step. */
void gdl_trainer_last_batch(const gdl_trainer *tr, size_t *m, const double **X, const double **Y);

/* Ready-made online sampler: x from a domain, y = target(x) (+ optional N(0, noise^2)). */
struct gdl_target;
typedef struct {
  const void *domain;  /* const gdl_domain * */
  const void *target;  /* const gdl_target * */
  double label_noise;
} gdl_domain_sampler;
int gdl_sampler_domain_target(void *ctx, gsl_rng *r, size_t m, double *X, double *Y);

const char *gdl_optimizer_name(gdl_optimizer o);
int gdl_optimizer_parse(const char *name, gdl_optimizer *o);

#ifdef __cplusplus
}
#endif
#endif
