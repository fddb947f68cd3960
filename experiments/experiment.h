/* experiments/experiment.h: what every experiment module shares.
 *
 * An experiment module experiments/<family>.{h,c} owns
 *   - <family>_config: the canonical configuration (sizes, targets, budgets, step sizes, the
 *     random-stream purposes and indices) with <family>_config_default(); the theorem test
 *     and the sweep start from the same defaults and change only documented fields;
 *   - <family>_config_json(const <family>_config *, gdl_json *): the configuration written
 *     from the struct (never as hand-typed prose), used for the sweep key and the sidecar;
 *   - <family>_run(const <family>_config *, uint64_t seed, <family>_result *): one point,
 *     the measured values; it prints nothing and returns a gdl status.
 * A sweep point with the test's configuration and seed gives bit-identical values
 * (ctest experiments.<family>.same_as_test). */
#ifndef GDL_EXPERIMENTS_EXPERIMENT_H
#define GDL_EXPERIMENTS_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>
#include "gdl/gdl.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The number of elements of an array (not a pointer). */
#define GDL_EXP_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Writes a configuration's members into the open object of j. */
typedef int (*gdl_exp_config_fn)(const void *cfg, gdl_json *j);

/* One member of a configuration document: its key and value, written by gdl_exp_json_fields
 * with gdl_json_int, _num, _str or _bool. A config_json function lists its members as a table:
 *   const gdl_exp_field f[] = {GDL_EXP_INT("n", c->n), GDL_EXP_NUM("lr", c->lr), ...};
 *   return gdl_exp_json_fields(j, GDL_EXP_COUNT(f), f); */
typedef enum { GDL_EXP_FIELD_INT, GDL_EXP_FIELD_NUM, GDL_EXP_FIELD_STR, GDL_EXP_FIELD_BOOL } gdl_exp_field_kind;
typedef struct {
  const char *key;
  gdl_exp_field_kind kind;
  long long i; /* INT, BOOL */
  double x;    /* NUM */
  const char *s; /* STR */
} gdl_exp_field;
#define GDL_EXP_INT(key, v) ((gdl_exp_field){(key), GDL_EXP_FIELD_INT, (long long)(v), 0.0, NULL})
#define GDL_EXP_NUM(key, v) ((gdl_exp_field){(key), GDL_EXP_FIELD_NUM, 0, (v), NULL})
#define GDL_EXP_STR(key, v) ((gdl_exp_field){(key), GDL_EXP_FIELD_STR, 0, 0.0, (v)})
#define GDL_EXP_BOOL(key, v) ((gdl_exp_field){(key), GDL_EXP_FIELD_BOOL, (v), 0.0, NULL})
/* The n members f[0..n-1] into the open object of j, in order. */
int gdl_exp_json_fields(gdl_json *j, size_t n, const gdl_exp_field *f);

/* key: [v[0], ..., v[n-1]] as JSON numbers (a grid of moduli or sizes in a config document). */
int gdl_exp_json_u64s(gdl_json *j, const char *key, size_t n, const uint64_t *v);

/* The members of point i of a grid into the open object of j. */
typedef int (*gdl_exp_point_json_fn)(const void *grid, size_t i, gdl_json *j);
/* {"points": [{"panel": panel[i], point_json(grid, i)...} for i < np]} into the open object of
 * j: the configuration of a sweep over np points with a panel number each. */
int gdl_exp_points_json(gdl_json *j, size_t np, const int *panel, gdl_exp_point_json_fn point_json, const void *grid);

/* gdl_train_config_default with the squared loss and the members every experiment sets: the
 * optimizer, step size, data mode, batch and number of steps. */
gdl_train_config gdl_exp_train_config(gdl_optimizer opt, double lr, gdl_data_mode data, size_t batch, size_t steps);

/* A new JSON document {"family", "mode", "version", "git", "seed", "config": {cfg_json(cfg)}}: the
 * key of a sweep (gdl_sweep_set_key(gdl_json_text(doc))) and the head of its sidecar, to
 * which the sweep appends its results and gdl_json_provenance. "git" is gdl_git_describe() (the
 * commit the build was configured at), so points computed by another commit's code are not
 * reused; uncommitted edits ("-dirty") are not told apart. cfg_json may be NULL. */
int gdl_exp_doc(const char *family, const char *mode, uint64_t seed, gdl_exp_config_fn cfg_json, const void *cfg,
                gdl_json **out);

/* gdl_sweep_begin + gdl_sweep_set_key with the document's text: points are reused only by a
 * sweep with the same family, mode, seed, version and configuration. */
int gdl_exp_sweep_begin(int *argc, char ***argv, const char *outdir, const char *name, size_t npoints,
                        gdl_json *doc, gdl_sweep **out);

/* The sweep path of a same-as-test check, in one process: the points 0..np-1 of fn(ctx, ...)
 * written as a keyed sweep `sweep_name` (config document of family, mode "same_as_test",
 * seed, cfg_json(cfg)) into a fresh temporary directory, assembled into its <table> and read
 * into *out; the directory is removed. */
int gdl_exp_sweep_table(const char *family, const char *sweep_name, uint64_t seed, gdl_exp_config_fn cfg_json,
                        const void *cfg, size_t np, gdl_sweep_point_fn fn, void *ctx, const char *table,
                        gdl_table *out);

#ifdef __cplusplus
}
#endif
#endif
