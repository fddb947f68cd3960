/* experiment.c: the sweep key and sidecar head shared by every experiment module. */
#include <stdio.h>
#include "experiments/experiment.h"

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
