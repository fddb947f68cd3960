/* fuzz_net: the net file loader (gdl_net_load) on arbitrary bytes; a file it accepts must
 * survive save + load bit for bit and run a forward pass. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gdl/error.h"
#include "gdl/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64], path2[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!path[0]) {
    snprintf(path, sizeof path, "/tmp/gdl_fuzz_net.%ld", (long)getpid());
    snprintf(path2, sizeof path2, "/tmp/gdl_fuzz_net2.%ld", (long)getpid());
  }
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  if (size) fwrite(data, 1, size, f);
  fclose(f);
  gdl_net *n = NULL;
  int rc = gdl_net_load(path, &n);
  if (rc != GDL_OK) {
    if (n) abort();
  } else {
    if (!n) abort();
    if (n->nparams <= 4096 && n->spec.width[0] <= 256) {
      double *x = calloc(n->spec.width[0], sizeof *x);
      double *y = calloc(n->spec.width[n->spec.nlayers], sizeof *y);
      if (x && y && gdl_net_forward(n, 1, x, y) != GDL_OK) abort();
      free(x);
      free(y);
      gdl_net *m = NULL;
      if (gdl_net_save(n, path2) != GDL_OK || gdl_net_load(path2, &m) != GDL_OK) abort();
      if (m->nparams != n->nparams || memcmp(m->params, n->params, n->nparams * sizeof(double))) abort();
      gdl_net_free(m);
      unlink(path2);
    }
    gdl_net_free(n);
  }
  unlink(path);
  return 0;
}
