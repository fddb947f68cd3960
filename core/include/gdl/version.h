/* gdl/version.h: what was compiled in (core/src/version.c). Every result file records these
 * through gdl_json_provenance (report.h). */
#ifndef GDL_VERSION_H
#define GDL_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

/* Library version ("0.1.0"), git description of the source tree, OpenBLAS's configuration. */
const char *gdl_version(void);
const char *gdl_git_describe(void);
const char *gdl_blas_config(void);

#ifdef __cplusplus
}
#endif
#endif
