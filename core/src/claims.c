/* claims.c: the table of claims (gdl/claims.h). Depends on libc only, so that the
 * standalone report generator (plots/report.c) compiles it in as well. */
#include <string.h>
#include <strings.h>
#include "gdl/claims.h"

const gdl_claim_family gdl_claim_family_table[GDL_NCLAIM_FAMILIES] = {
    {"EQ", "Training is equivariant (hypothesis of every theorem in [AB22])", "equivariance",
     "theorems.equivariance", "theorems/equivariance.md"},
    {"AL", "Alignment of a target's orbit", "alignment sphere",
     "theorems.alignment theorems.sphere core.sphere", "theorems/alignment.md; AL2: theorems/sphere.md"},
    {"NG", "Noisy GD cannot beat the alignment ([AB22] main theorem, explicit form)", "noisy_gd sphere",
     "theorems.noisy_gd theorems.sphere experiments.sphere.same_as_test", "theorems/noisy_gd.md; NG3: theorems/sphere.md"},
    {"WL", "What FCNs can weak-learn; depth 2 is as powerful as any depth", "weak_learning",
     "theorems.weak_learning theorems.sphere", "theorems/weak_learning.md; WL2 near full degree: theorems/sphere.md"},
    {"MS", "The merged-staircase property is necessary beyond mean field", "staircase",
     "theorems.staircase", "theorems/staircase.md"},
    {"GV", "The gradient carries almost no information about a hard class ([SSS17], [T+23])",
     "gradient_variance variance",
     "theorems.gradient_variance core.variance", "theorems/gradient_variance.md"},
    {"SH", "SGD hardness and the cost of symmetry ([AB22] with [SZB21])", "sgd_hardness",
     "theorems.sgd_hardness core.orbit", "theorems/sgd_hardness.md"},
    {"PF", "Performance (benchmarks, never timed tests)", "trainer blas",
     "core.blas", "README.md (Performance)"},
    {"SQ", "Statistical-query dimension of the hard classes (certified packings; [T+23], [BFJ+94])",
     "sq_dimension", "theorems.sq_dimension experiments.sq_dimension.same_as_test", "theorems/sq_dimension.md"},
    {"SC", "From gradient variance to steps: true vs class-mean gradient GD ([SSS17]'s argument)", "steps",
     "theorems.steps experiments.steps.same_as_test", "theorems/steps.md"},
};

const gdl_claim_info gdl_claim_table[GDL_NCLAIMS] = {
    {"EQ1", "One step of GD / online SGD / noisy GD (l2 clipping) commutes with g in B_n and "
            "O(d): |f_B(Rx) - f_A(x)| <= 1e-9; Adam and coordinatewise clipping break O(d)."},
    {"EQ2", "The initialisation law is G-invariant (KS p > 1e-7, 5000 + 5000 inits); Rademacher "
            "under O(d), uniform[0,1] under B_n and hand-placed layers under S_n are not "
            "(p < 1e-12)."},
    {"EQ3", "The trained predictor's law is equivariant: chi_S and chi_pi(S) give the same "
            "correlation law (sign-symmetry test on 100 pairs, |T| < 5.387, false failure <= 1e-6, "
            "power >= 0.99 against a 0.1 shift); a twin differing only in its first layer's support "
            "prefers chi_S by > 0.5 (the cost of symmetry)."},
    {"AL1", "Alignment lambda_{B_n} by FWHT level weights equals an independent computation by "
            "enumerating B_n (top eigenvalue, Frobenius norm; n <= 6) and exact subset sums; "
            "lambda^2 <= CP <= lambda ||f - fbar||^2 on the independent numbers."},
    {"AL2", "Sphere, G = O(d): exact spherical-harmonic level weights (Funk-Hecke; closed forms, "
            "Parseval to 1e-10); E_g <h, f o g - fbar>^2 = sum_l W_l(f) W_l(h)/N(d,l) within 4 SE of Monte "
            "Carlo over 20000 Haar rotations (exact inner products); lambda(x1..xk) = 1/N(d,k); the "
            "cube's count C(d,l) is rejected (> 4 SE)."},
    {"NG1", "Noisy GD: E|<f_T, f - fbar>| <= sqrt(lambda) + 1/2 ||f - fbar|| (sum_t E G(theta_t) "
            "/ tau^2)^(1/2) at every depth; degree-1 control learns (corr >= 0.5); in a tight regime "
            "(n = 8, k = 1, tau = 0.4) corr > sqrt(lambda) and bound/measured <= 10."},
    {"NG2", "Finite-size 'negligible': for k = n/2 the NG bound decreases with n and the "
            "measured correlation stays under it."},
    {"NG3", "Sphere, noisy GD on a fresh sample of 4096 points per run (d = 8, one tanh unit): "
            "E|<f_T, f>| + 4 SE <= sqrt(lambda) + 1/2 (sum_t E G_X(theta_t)/tau^2)^(1/2) for x1x2x3x4, "
            "G_X exact by the orbit kernel (= Haar Monte Carlo within 4 SE); x1 control learned above "
            "the bound's upper end; tight regime (k = 1): corr > sqrt(lambda), bound/measured <= 12."},
    {"WL1", "Hypercube n = 20, 512 random ReLU features, 5 replicates: parities of degree <= 3 "
            "weak-learned (mean - 4 SE > 10/sqrt(m)), degree 10 not (rms of corr/se0 < 2.68, failure "
            "<= 1e-6) while its twin restricted to S (same pre-activation law) learns it; degrees 19, "
            "20 by a Rademacher first layer only."},
    {"WL2", "Sphere d = 20: products of k <= 2 coordinates learned (corr > 0.5), k >= 5 not "
            "(rms of corr/se0 < 2.68); the k = 5 twin restricted to S learns it. Near full degree "
            "(theorems.sphere): the Rademacher-first-layer learner that learns chi_[19] on the cube "
            "does not learn x1..x19, x1..x20 on the sphere."},
    {"WL3", "Depth 2, 3, 4 weak-learn the same targets (degree 1, a 1+2 staircase, middle and "
            "near-full degree); the NG bound holds on every target, and its G-term is needed "
            "where the target is learned."},
    {"MS1", "Leap / MSP calculator exact on the CLAIMS.md examples and on random supports "
            "(brute force over orderings)."},
    {"MS2", "The leap ladder: slope of log T vs log d near max(Leap - 1, 1): staircase in "
            "[0.75, 1.25] (no run censored), x1 + x1x2x3 (leap 2) in [0.7, 1.3], x1x2x3 in "
            "[1.6, 2.4] (censored runs as lower bounds), x1x2x3x4 (leap 4, step 2/d^2, escape "
            "time) in [2.4, 3.40] (d = 12..32: above leap 3; [2.57, 3.43] on d = 32..128, full); detector "
            "checked against an independent FVU; budget 300d learns the staircase at every d, "
            "not x1x2x3 at d = 256."},
    {"MS3", "Saddle to saddle: on the staircase, coordinate i's first-layer weight takes off "
            "later for larger i."},
    {"MS4", "Beyond mean field: with a linear budget (100d, d = 64, 128, 256), a depth-3 "
            "standard-scaling FCN learns the x1 coefficient of x1 + x1x2x3x4 and leaves the "
            "x1x2x3x4 coefficient ~ 0; its twin hand-placed on x1..x4 (same scale) learns it."},
    {"GV1", "Parities: FWHT class-gradient variance equals brute force and is <= "
            "E||g||^2 / C(n,k) for every k; the bound's constant equals the frame bound of the "
            "explicit Gram matrix."},
    {"GV2", "Modular multiplication: Var <= (sum_k |phi_hat(k)|)^2 E||g - Eg||^2 / (p - 1) (for "
            "cos: an exact identity pins Var and the bound); slope of log(Var/E||g - Eg||^2) vs log p "
            "in -1 +- delta (delta = slope of log ln^2 p over the grid); FFT path = direct path."},
    {"GV3", "High frequency waves psi(a x), a in [A, 2A]: the quadrature bound holds; Var follows "
            "the ReLU jump law to 1/16 for A >= 16, slope vs log A within its predicted interval. Every "
            "wave: triangle and sawtooth, 16 harmonics exactly (all cross terms), truncation tail bounded "
            "(bracket var_hi/var_lo <= 1.25) and under the full bound; jump law to 1/A; two-sided slopes."},
    {"GV4", "Z_p class: lambda_max of the centred Gram <= (sum_{k!=0} |phi_hat(k)|)^2."},
    {"GV5", "Training fails where the variance vanishes: FVU <= 0.1 at low frequency, >= 0.9 "
            "at high frequency / random a mod p; a = 1 control learns."},
    {"GV6", "Modular contrasts: the additive class {cos 2 pi (x + a)/p} keeps Var_add = |G(1)|^2/2 <= "
            "E||g - Eg||^2/4 (no 1/p; slope above the multiplicative interval; >= 10x Var_mul at p = 3203); "
            "24-bit training at p = 2^24 - 3: a x at chance (|Pearson| <= 5/sqrt(m)), x + a learned (>= 0.9)."},
    {"SH1", "Gradient variance over directions of cos(2 pi gamma <w,x>) stays under B(gamma, d) "
            "and decreases in gamma; lambda_2 <= B <= (d+2)/2 lambda_2 (B within 9x of the sharp "
            "constant)."},
    {"SH2", "d = 16: the FCN fails at gamma in {1, 2} (FVU > 0.9), learns gamma = 0.25; the "
            "coordinate-aware learner reaches FVU < 0.2; symmetry-matched twins (same radial law, "
            "kinks, budget; only the directions differ): random directions fail, e1 learns."},
    {"PF", "Trainer steps/s vs PyTorch (same nets, float64) and fraction of the measured dgemm "
           "peak; cblas_dgemm bound to OpenBLAS."},
    {"SQ1", "Certified SQ-dimension packings (pairwise |<h_i,h_j>| <= 1/d, exact Gram): {cos(2 pi a x/p)} "
            "exactly (p-1)/2; {y/p, y mod 2 (a x)} >= the mass guarantee, log-log slope >= 1/3; parities "
            "C(n,k); additive shifts and conjunctions (controls) stay small."},
    {"SC1", "Full-batch GD, true gradient of a random high-frequency cos(2 pi a x/p) vs class-mean gradient, same init: "
            "||theta_t - phi_t|| <= B_t (step by step) and <= BV_t (Chebyshev, Var exact); p >= 509 no "
            "learning (gain <= 0.05); p = 7 control separates and learns (gain >= 0.3)."},
};

const gdl_claim_info *gdl_claim_find(const char *id) {
  if (!id) return NULL;
  for (size_t i = 0; i < GDL_NCLAIMS; i++)
    if (!strcasecmp(gdl_claim_table[i].id, id)) return &gdl_claim_table[i];
  return NULL;
}

const gdl_claim_family *gdl_claim_family_of(const char *id) {
  if (!id || strlen(id) < 2) return NULL;
  for (size_t f = 0; f < GDL_NCLAIM_FAMILIES; f++)
    if (!strncasecmp(gdl_claim_family_table[f].prefix, id, 2)) return &gdl_claim_family_table[f];
  return NULL;
}
