#include <cblas.h>
#include "gdl/version.h"

#ifndef GDL_VERSION_STRING
#define GDL_VERSION_STRING "0.0.0"
#endif
#ifndef GDL_GIT_DESCRIBE
#define GDL_GIT_DESCRIBE "unknown"
#endif

const char *gdl_version(void) { return GDL_VERSION_STRING; }
const char *gdl_git_describe(void) { return GDL_GIT_DESCRIBE; }
const char *gdl_blas_config(void) { return openblas_get_config(); }
