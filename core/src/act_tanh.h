/* act_tanh.h: private to libgdl (core/src): the array tanh of the tanh activation. */
#ifndef GDL_ACT_TANH_H
#define GDL_ACT_TANH_H
#include <stddef.h>
/* a[i] = tanh(z[i]), i < cnt (z and a may be the same array); see act_tanh.c. */
void gdl_act_tanh(size_t cnt, const double *z, double *a);
#endif
