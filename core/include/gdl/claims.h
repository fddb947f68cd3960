/* gdl/claims.h: the claims gdlimits checks (../shared/CLAIMS.md), one line each.
 *
 * The one table of claim identifiers and statements: the claims report (plots/report.c)
 * lists every claim from it, and `gdlimits claims` prints it with the test, figure family
 * and document of each. The statements say what the tests assert (thresholds included);
 * the full statements, parameters and proofs are in the documents (theorems/<family>.md). */
#ifndef GDL_CLAIMS_H
#define GDL_CLAIMS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  const char *id;        /* "EQ1", ..., "PF" */
  const char *statement; /* one line: what the tests assert */
} gdl_claim_info;

typedef struct {
  const char *prefix;   /* "EQ": the claims whose id starts with it */
  const char *title;
  const char *families; /* figure / result family names, space-separated ("gradient_variance variance") */
  const char *tests;    /* ctest names that assert the family, space-separated */
  const char *doc;      /* where the statements, parameters and proofs are */
} gdl_claim_family;

#define GDL_NCLAIMS 26
#define GDL_NCLAIM_FAMILIES 10
extern const gdl_claim_info gdl_claim_table[GDL_NCLAIMS];
extern const gdl_claim_family gdl_claim_family_table[GDL_NCLAIM_FAMILIES];

/* The claim with this id (case-insensitive), or NULL. */
const gdl_claim_info *gdl_claim_find(const char *id);
/* The family of a claim id or of a family prefix ("EQ2" or "EQ"), or NULL. */
const gdl_claim_family *gdl_claim_family_of(const char *id);

#ifdef __cplusplus
}
#endif
#endif
