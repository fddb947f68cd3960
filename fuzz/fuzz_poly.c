/* fuzz_poly: the polynomial parser and everything that consumes its result (formatter with a
 * read-back check, leap, reachability, alignment), plus the target-spec parser. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/alignment.h"
#include "gdl/boolean.h"
#include "gdl/error.h"
#include "gdl/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 16) return 0;
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  gdl_poly *p = NULL;
  if (gdl_poly_parse(text, &p) == GDL_OK) {
    if (!p || p->nterms == 0) abort();
    size_t nv = gdl_poly_nvars(p);
    size_t *order = malloc(p->nterms * sizeof *order);
    int *reach = malloc((nv ? nv : 1) * sizeof *reach);
    size_t L;
    if (order && reach && gdl_poly_leap(p, &L, order) == GDL_OK) {
      /* order is a permutation */
      unsigned char *seen = calloc(p->nterms, 1);
      for (size_t i = 0; seen && i < p->nterms; i++) {
        if (order[i] >= p->nterms || seen[order[i]]) abort();
        seen[order[i]] = 1;
      }
      free(seen);
      size_t Lb;
      if (p->nterms <= 7 && nv <= 64 && gdl_poly_leap_bruteforce(p, &Lb) == GDL_OK && Lb != L) abort();
    }
    if (reach) gdl_poly_reachable(p, nv, reach);
    free(order);
    free(reach);
    /* format, then parse the text back: the same polynomial */
    char buf[1 << 17];
    if (gdl_poly_format(p, buf, sizeof buf) == GDL_OK) {
      gdl_poly *q = NULL;
      if (gdl_poly_parse(buf, &q) != GDL_OK || q->nterms != p->nterms) abort();
      for (size_t i = 0; i < p->nterms; i++)
        if (q->terms[i].deg != p->terms[i].deg || q->terms[i].coef != p->terms[i].coef) abort();
      gdl_poly_free(q);
    }
    if (nv >= 1 && nv <= 4096) { /* larger n: O(n) lgamma calls per input, too slow to fuzz */
      gdl_align a;
      if (gdl_align_bn_poly(p, nv, &a) == GDL_OK && (!isfinite(a.cp) || !isfinite(a.lambda))) abort();
    }
    gdl_poly_free(p);
  } else if (p) {
    abort(); /* failure must leave *out NULL */
  }
  /* the same bytes as a target spec */
  gdl_target *t = NULL;
  if (gdl_target_parse(text, 16, &t) == GDL_OK) gdl_target_free(t);
  else if (t) abort();
  free(text);
  return 0;
}
