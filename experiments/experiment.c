/* experiment.c: the sweep key and sidecar head shared by every experiment module, and their small
 * JSON helpers. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "experiments/experiment.h"

int gdl_exp_json_fields(gdl_json *j, size_t n, const gdl_exp_field *f) {
  GDL_CHECK_ARG(j && (n == 0 || f), "gdl_exp_json_fields: NULL argument");
  for (size_t i = 0; i < n; i++) switch (f[i].kind) {
      case GDL_EXP_FIELD_INT: GDL_TRY(gdl_json_int(j, f[i].key, f[i].i)); break;
      case GDL_EXP_FIELD_NUM: GDL_TRY(gdl_json_num(j, f[i].key, f[i].x)); break;
      case GDL_EXP_FIELD_STR: GDL_TRY(gdl_json_str(j, f[i].key, f[i].s)); break;
      case GDL_EXP_FIELD_BOOL: GDL_TRY(gdl_json_bool(j, f[i].key, (int)f[i].i)); break;
      default: return gdl_fail(GDL_EINVAL, "gdl_exp_json_fields: %s: unknown kind", f[i].key);
    }
  return GDL_OK;
}

int gdl_exp_json_u64s(gdl_json *j, const char *key, size_t n, const uint64_t *v) {
  GDL_CHECK_ARG(n == 0 || v != NULL, "gdl_exp_json_u64s: v is NULL");
  double *d = malloc((n ? n : 1) * sizeof *d);
  if (!d) return gdl_fail(GDL_ENOMEM, "gdl_exp_json_u64s: out of memory");
  for (size_t i = 0; i < n; i++) d[i] = (double)v[i];
  int rc = gdl_json_nums(j, key, n, d);
  free(d);
  return rc;
}

int gdl_exp_points_json(gdl_json *j, size_t np, const int *panel, gdl_exp_point_json_fn point_json, const void *grid) {
  GDL_CHECK_ARG(j && (np == 0 || (panel && point_json)), "gdl_exp_points_json: NULL argument");
  GDL_TRY(gdl_json_begin_list(j, "points"));
  for (size_t i = 0; i < np; i++) {
    GDL_TRY(gdl_json_begin(j, NULL));
    GDL_TRY(gdl_json_int(j, "panel", panel[i]));
    GDL_TRY(point_json(grid, i, j));
    GDL_TRY(gdl_json_end(j));
  }
  return gdl_json_end(j);
}

gdl_train_config gdl_exp_train_config(gdl_optimizer opt, double lr, gdl_data_mode data, size_t batch, size_t steps) {
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.loss = GDL_LOSS_SQUARED;
  c.opt = opt;
  c.lr = lr;
  c.data = data;
  c.batch = batch;
  c.steps = steps;
  return c;
}

int gdl_exp_doc(const char *family, const char *mode, uint64_t seed, gdl_exp_config_fn cfg_json, const void *cfg,
                gdl_json **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_exp_doc: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(family && *family && mode && *mode, "gdl_exp_doc: family or mode missing");
  gdl_json *j = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_json_new(&j));
  GDL_TRY_CLEANUP(gdl_json_str(j, "family", family));
  GDL_TRY_CLEANUP(gdl_json_str(j, "mode", mode));
  GDL_TRY_CLEANUP(gdl_json_str(j, "version", gdl_version()));
  /* the commit the library was configured at: a rebuilt tree at another commit recomputes */
  GDL_TRY_CLEANUP(gdl_json_str(j, "git", gdl_git_describe()));
  char num[32];
  snprintf(num, sizeof num, "%llu", (unsigned long long)seed);
  GDL_TRY_CLEANUP(gdl_json_str(j, "seed", num));
  if (cfg_json) {
    GDL_TRY_CLEANUP(gdl_json_begin(j, "config"));
    GDL_TRY_CLEANUP(cfg_json(cfg, j));
    GDL_TRY_CLEANUP(gdl_json_end(j));
  }
  *out = j;
  j = NULL;
cleanup:
  gdl_json_free(j);
  return rc;
}

int gdl_exp_sweep_begin(int *argc, char ***argv, const char *outdir, const char *name, size_t npoints,
                        gdl_json *doc, gdl_sweep **out) {
  GDL_CHECK_ARG(doc != NULL && out != NULL, "gdl_exp_sweep_begin: doc or out is NULL");
  const char *key = gdl_json_text(doc);
  if (!key) return gdl_fail(GDL_ENOMEM, "gdl_exp_sweep_begin: out of memory");
  GDL_TRY(gdl_sweep_begin(argc, argv, outdir, name, npoints, out));
  int rc = gdl_sweep_set_key(*out, key);
  if (rc != GDL_OK) {
    gdl_sweep_end(*out);
    *out = NULL;
  }
  return rc;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

int gdl_exp_sweep_table(const char *family, const char *sweep_name, uint64_t seed, gdl_exp_config_fn cfg_json,
                        const void *cfg, size_t np, gdl_sweep_point_fn fn, void *ctx, const char *table,
                        gdl_table *out) {
  GDL_CHECK_ARG(family && sweep_name && fn && table && out, "gdl_exp_sweep_table: NULL argument");
  memset(out, 0, sizeof *out);
  char dir[] = "/tmp/gdl_same_as_test_XXXXXX";
  if (!mkdtemp(dir)) return gdl_fail(GDL_EIO, "gdl_exp_sweep_table: cannot create a temporary directory");
  gdl_json *doc = NULL;
  gdl_sweep *sw = NULL;
  int rc = GDL_OK;
  char path[4096];
  GDL_TRY_CLEANUP(gdl_exp_doc(family, "same_as_test", seed, cfg_json, cfg, &doc));
  GDL_TRY_CLEANUP(gdl_exp_sweep_begin(NULL, NULL, dir, sweep_name, np, doc, &sw));
  GDL_TRY_CLEANUP(gdl_sweep_run(sw, NULL, fn, ctx, NULL));
  snprintf(path, sizeof path, "%s/%s", dir, table);
  GDL_TRY_CLEANUP(gdl_sweep_assemble(sw, path));
  rc = gdl_csv_read(path, out);
cleanup:
  gdl_sweep_end(sw);
  gdl_json_free(doc);
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  return rc;
}
