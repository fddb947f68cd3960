/* act_tanh.c: a[i] = tanh(z[i]) over an array (the tanh activation of net.c).
 *
 * On x86-64 with glibc >= 2.35, the vector variants of tanh from libmvec (the vector function
 * ABI: _ZGVdN4v_tanh, 4 doubles in an AVX register; _ZGVbN2v_tanh, 2 doubles in an SSE
 * register; libm.so pulls libmvec in, so -lm links them) replace the scalar loop. glibc
 * documents them at <= 4 ulp; against the scalar tanh on [-3, 3] the largest relative
 * difference seen was 5.3e-16. They are 3-6x faster than the scalar loop, which took ~60% of
 * the CPU time of an exact-population noisy-GD run (a width-8 tanh net on 2^16 points).
 *
 * Every element goes through the same vector function (the tail of the array is padded into a
 * full vector), and a lane's result depends only on its own input, so the value of tanh(z[i])
 * does not depend on the array's length, the element's position or the thread count: a chunked
 * and an unchunked forward pass give the same bits. The variant (AVX2 or SSE) is chosen by the
 * CPU, as OpenBLAS chooses its kernels. Elsewhere (other libcs, other architectures) the scalar
 * loop. */
#include <math.h>
#include <stddef.h>
#include "act_tanh.h"

#if defined(__x86_64__) && defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
#include <immintrin.h>
#define GDL_TANH_MVEC 1

__m128d _ZGVbN2v_tanh(__m128d x); /* libmvec, baseline x86-64 (SSE2 registers) */

static void tanh_sse(size_t cnt, const double *z, double *a) {
  size_t i = 0;
  for (; i + 2 <= cnt; i += 2) _mm_storeu_pd(a + i, _ZGVbN2v_tanh(_mm_loadu_pd(z + i)));
  if (i < cnt) {
    double t[2] = {z[i], 0.0};
    _mm_storeu_pd(t, _ZGVbN2v_tanh(_mm_loadu_pd(t)));
    a[i] = t[0];
  }
}

/* target attributes, not a pragma: GCC and clang (the fuzz build) both take them */
__attribute__((target("avx2"))) __m256d _ZGVdN4v_tanh(__m256d x); /* libmvec, AVX2 registers */

__attribute__((target("avx2"))) static void tanh_avx2(size_t cnt, const double *z, double *a) {
  size_t i = 0;
  for (; i + 4 <= cnt; i += 4) _mm256_storeu_pd(a + i, _ZGVdN4v_tanh(_mm256_loadu_pd(z + i)));
  if (i < cnt) {
    double t[4] = {0.0, 0.0, 0.0, 0.0};
    for (size_t k = 0; i + k < cnt; k++) t[k] = z[i + k];
    _mm256_storeu_pd(t, _ZGVdN4v_tanh(_mm256_loadu_pd(t)));
    for (size_t k = 0; i + k < cnt; k++) a[i + k] = t[k];
  }
}
#endif

void gdl_act_tanh(size_t cnt, const double *z, double *a) {
#ifdef GDL_TANH_MVEC
  if (__builtin_cpu_supports("avx2"))
    tanh_avx2(cnt, z, a);
  else
    tanh_sse(cnt, z, a);
#else
  for (size_t i = 0; i < cnt; i++) a[i] = tanh(z[i]);
#endif
}
