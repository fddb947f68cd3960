/* gdl/gdl.h: everything. */
#ifndef GDL_GDL_H
#define GDL_GDL_H
#include "error.h"
#include "rng.h"
#include "domain.h"
#include "target.h"
#include "net.h"
#include "loss.h"
#include "train.h"
#include "measure.h"
#include "alignment.h"
#include "version.h"
#include "group.h"
#include "boolean.h"
#include "stats.h"
#include "report.h"
#include "variance.h"
#include "sweep.h"
#include "orbit.h"
#include "claims.h"
#include "sphere.h"
#endif
