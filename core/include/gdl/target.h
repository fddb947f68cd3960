/* gdl/target.h: target functions and sparse polynomials.
 *
 * Sparse polynomials are written in text with 1-based variables, e.g.
 * "x1 + x1*x2 - 0.5*x3*x7"; internally variables are 0-based column indices.
 * On the hypercube a monomial is a parity chi_S; on the sphere it is a product of
 * coordinates. */
#ifndef GDL_TARGET_H
#define GDL_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include "domain.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  double coef;
  size_t deg;     /* number of variables (0 = constant term) */
  size_t *vars;   /* sorted, distinct, 0-based */
} gdl_monomial;

typedef struct {
  size_t nterms;
  gdl_monomial *terms;
} gdl_poly;

/* Parse text. Grammar: ["+"|"-"] term { ("+"|"-") term }, term = [number ["*"]] [ "x"k {"*" "x"k} ],
 * k >= 1. Repeated variables in a monomial (x1*x1) and duplicate monomials are
 * rejected. A bad string returns GDL_EPARSE with a message naming the 1-based
 * character position. */
int gdl_poly_parse(const char *text, gdl_poly **out);
/* Canonical text (round-trips through gdl_poly_parse). */
int gdl_poly_format(const gdl_poly *p, char *buf, size_t len);
/* Build from explicit monomials: sets[i] has sizes[i] 0-based variables. */
int gdl_poly_from_sets(size_t nterms, const double *coefs, const size_t *const *sets,
                       const size_t *sizes, gdl_poly **out);
/* chi_S with S = {vars[0..k-1]} (0-based). */
int gdl_poly_parity(size_t k, const size_t *vars, gdl_poly **out);
/* Staircase of degree k: x1 + x1x2 + ... + x1..xk. */
int gdl_poly_staircase(size_t k, gdl_poly **out);
void gdl_poly_free(gdl_poly *p);
/* 1 + largest 0-based variable (0 for a constant). */
size_t gdl_poly_nvars(const gdl_poly *p);
/* y[i] = p(X[i,:]) for rows of width dim (dim >= nvars). */
int gdl_poly_eval(const gdl_poly *p, size_t m, const double *X, size_t dim, double *y);

/* Periodic profiles. */
typedef enum { GDL_PHI_LINEAR = 0, GDL_PHI_PARITY, GDL_PHI_COS } gdl_phi;   /* y/p, y mod 2, cos(2 pi y/p) */
typedef enum { GDL_PSI_SIN = 0, GDL_PSI_COS, GDL_PSI_TRIANGLE, GDL_PSI_SAWTOOTH } gdl_psi; /* 1-periodic */
double gdl_phi_eval(gdl_phi phi, uint64_t y, uint64_t p);
/* sin(2 pi t), cos(2 pi t), triangle (peak 1 at t=0, -1 at t=1/2), sawtooth 2(t - round(t)). */
double gdl_psi_eval(gdl_psi psi, double t);

typedef enum {
  GDL_TARGET_POLY = 0,  /* sparse polynomial of the coordinates */
  GDL_TARGET_MODMUL,    /* phi(a x mod p) on a Z_p domain */
  GDL_TARGET_WAVE,      /* psi(<a, x>) */
  GDL_TARGET_NEURON     /* cos(2 pi gamma <w, x>) */
} gdl_target_kind;

typedef struct {
  gdl_target_kind kind;
  gdl_poly *poly;       /* POLY (owned) */
  uint64_t a, p;        /* MODMUL */
  gdl_phi phi;          /* MODMUL */
  gdl_psi psi;          /* WAVE */
  size_t dim;           /* WAVE / NEURON: length of vec */
  double *vec;          /* WAVE: a; NEURON: w (owned) */
  double gamma;         /* NEURON */
} gdl_target;

int gdl_target_poly(const char *text, gdl_target **out);
int gdl_target_from_poly(gdl_poly *p /* ownership taken */, gdl_target **out);
int gdl_target_modmul(uint64_t a, uint64_t p, gdl_phi phi, gdl_target **out);
int gdl_target_wave(size_t dim, const double *a, gdl_psi psi, gdl_target **out);
int gdl_target_neuron(size_t dim, const double *w, double gamma, gdl_target **out);
/* Parse a CLI spec: "poly:x1+x1*x2", "parity:K" (x1..xK), "staircase:K", "modmul:A:PHI"
 * (PHI in linear|parity|cos), "wave:A:PSI" (1-D, PSI in sin|cos|triangle|sawtooth),
 * "neuron:GAMMA" (direction e1). */
int gdl_target_parse(const char *spec, size_t dim, gdl_target **out);
/* The modulus of "modmul:A:PHI" is not in the spec: gdl_target_parse then leaves p = 0,
 * meaning "the modulus of the Z_p domain passed to gdl_target_eval" (an optional 4th
 * field "modmul:A:PHI:P" sets it). gdl_target_parse_domain takes dim and p from the
 * domain and rejects modmul on a non-Z_p domain (preferred by the CLI). */
int gdl_target_parse_domain(const char *spec, const gdl_domain *d, gdl_target **out);
void gdl_target_free(gdl_target *t);

/* y[i] = f(x_i). For MODMUL the integer x is decoded from X with the domain's encoding
 * unless ints != NULL. */
int gdl_target_eval(const gdl_target *t, const gdl_domain *d, size_t m, const double *X,
                    const uint64_t *ints, double *y);

#ifdef __cplusplus
}
#endif
#endif
