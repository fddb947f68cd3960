/* Transitional: the NG engine moved to experiments/noisy_gd.{h,c}. Include that header
 * directly; this file goes once theorems/weak_learning_lib.h includes it. */
#include "experiments/noisy_gd.h"
