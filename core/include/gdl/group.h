/* gdl/group.h: group elements acting on inputs and on a net's first layer.
 *
 * Every element is stored as an orthogonal map x -> R x on R^n (dense n x n for
 * O(d); signed permutation arrays for S_n / B_n) and acts on the first layer by
 * W_0 -> W_0 R^T, so that f_{g.theta}(g x) = f_theta(x). Z_p^* acts on Z_p by
 * multiplication. */
#ifndef GDL_GROUP_H
#define GDL_GROUP_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { GDL_GROUP_SN = 0, GDL_GROUP_BN, GDL_GROUP_OD } gdl_group_kind;

/* An element g of S_n, B_n or O(n). (g x)_i = sign[i] * x_{perm[i]} for S_n/B_n
 * (sign all +1 for S_n); (g x) = R x for O(n) with R n x n row-major. */
typedef struct {
  gdl_group_kind kind;
  size_t n;
  size_t *perm;   /* S_n, B_n */
  double *sign;   /* S_n, B_n */
  double *R;      /* O(n) */
} gdl_group_elem;

int gdl_group_elem_alloc(gdl_group_kind kind, size_t n, gdl_group_elem **out);
void gdl_group_elem_free(gdl_group_elem *g);
int gdl_group_identity(gdl_group_elem *g);
/* Uniformly random element (Haar for O(n): QR of a Gaussian matrix with the sign fix). */
int gdl_group_random(gdl_group_elem *g, gsl_rng *r);
/* out = a * b (apply b first), inv = a^{-1}. */
int gdl_group_compose(const gdl_group_elem *a, const gdl_group_elem *b, gdl_group_elem *out);
int gdl_group_invert(const gdl_group_elem *a, gdl_group_elem *out);
/* Dense matrix R (n x n) of g. */
int gdl_group_matrix(const gdl_group_elem *g, double *R);
/* Y (m x n) = rows of X mapped by g (Y = X R^T); Y may not alias X. */
int gdl_group_act_inputs(const gdl_group_elem *g, size_t m, const double *X, double *Y);
/* Replace the first layer: W_0 <- W_0 R^T (net->spec.width[0] == n). */
int gdl_group_act_net(const gdl_group_elem *g, gdl_net *net);
/* Apply the parameter action to a vector in the net's parameter layout (e.g. noise or
 * a gradient): first-layer block W_0 -> W_0 R^T, everything else unchanged. */
int gdl_group_act_params(const gdl_group_elem *g, const gdl_net *net, double *v);

/* Z_p^*: a primitive root of prime p (GDL_EINVAL if p is not prime). */
int gdl_zp_primitive_root(uint64_t p, uint64_t *root);
uint64_t gdl_zp_mulmod(uint64_t a, uint64_t b, uint64_t p);
uint64_t gdl_zp_powmod(uint64_t a, uint64_t e, uint64_t p);
int gdl_is_prime(uint64_t p);

#ifdef __cplusplus
}
#endif
#endif
