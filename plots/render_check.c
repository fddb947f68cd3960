/* render_check: the rendering test of one gnuplot script (ctest plots.render.<script>).
 *
 *   render_check GNUPLOT SCRIPT.gp DATADIR WORKDIR
 *
 * Runs  GNUPLOT -e "resdir='DATADIR'; figdir='WORKDIR/fig'" SCRIPT.gp  (exactly as the
 * figure targets do, on the small test data plots/testdata/<family>/ instead of the real
 * results) and checks: exit status 0; no "no valid points" warning (the script would plot
 * nothing from data shaped like the sweep's); at least one figure written; every .png
 * starts with the PNG signature \x89PNG\r\n\x1a\n, every .svg holds "<svg" in its first
 * 4 KiB, and every figure exists as both PNG and SVG. Image bytes are never compared
 * (they differ between gnuplot versions).
 * Exit: 0 pass, 1 fail, 77 skipped (gnuplot not installed, or no test data for this
 * script); ctest maps 77 to "Skipped" (SKIP_RETURN_CODE), and the reason is printed. */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gdl/error.h"
#include "gdl/report.h"

#define SKIP 77

static int is_exec(const char *p) {
  struct stat st;
  return p && *p && stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}
static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* rm -rf of a directory holding only files (the figure dir), then mkdir -p. */
static int fresh_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char p[8192];
      snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
      if (remove(p) != 0) {
        closedir(d);
        return -1;
      }
    }
    closedir(d);
    return 0;
  }
  return gdl_mkdir_p(dir) == GDL_OK ? 0 : -1;
}

static int has_suffix(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && !strcmp(s + a - b, suf);
}

static int file_starts(const char *path, const unsigned char *magic, size_t n) {
  unsigned char buf[16];
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t k = fread(buf, 1, n, f);
  fclose(f);
  return k == n && memcmp(buf, magic, n) == 0;
}

static int file_contains_head(const char *path, const char *needle, size_t head) {
  char *buf = malloc(head + 1);
  if (!buf) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    free(buf);
    return 0;
  }
  size_t k = fread(buf, 1, head, f);
  fclose(f);
  buf[k] = 0;
  for (size_t i = 0; i < k; i++)
    if (!buf[i]) buf[i] = ' ';
  int ok = strstr(buf, needle) != NULL;
  free(buf);
  return ok;
}

/* One file nm of figdir: a .png must start with the PNG signature, an .svg hold "<svg" in its
 * first 4 KiB, and each have its twin in the other format (*nfig counts them); other files are
 * noted. Returns the number of problems. */
static int check_figure(const char *figdir, const char *nm, int *nfig) {
  static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  static const struct { const char *ext, *twin_ext, *twin, *ok, *bad; } kinds[2] = {
      {".png", "svg", "SVG", "PNG signature ok", "NOT a PNG (bad signature)"},
      {".svg", "png", "PNG", "<svg found", "NOT an SVG (no <svg in the first 4 KiB)"},
  };
  int k = has_suffix(nm, kinds[0].ext) ? 0 : has_suffix(nm, kinds[1].ext) ? 1 : -1;
  if (k < 0) {
    printf("note: %s is neither PNG nor SVG (not checked)\n", nm);
    return 0;
  }
  (*nfig)++;
  char p[8400], twin[8400];
  snprintf(p, sizeof p, "%s/%s", figdir, nm);
  int ok = k == 0 ? file_starts(p, png_magic, sizeof png_magic) : file_contains_head(p, "<svg", 4096);
  printf("%s: %s\n", nm, ok ? kinds[k].ok : kinds[k].bad);
  int fails = !ok;
  snprintf(twin, sizeof twin, "%.*s.%s", (int)(strlen(p) - 4), p, kinds[k].twin_ext);
  if (access(twin, F_OK) != 0) {
    printf("FAIL: %s has no %s twin (each figure is written as PNG and SVG)\n", nm, kinds[k].twin);
    fails++;
  }
  return fails;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: render_check GNUPLOT SCRIPT.gp DATADIR WORKDIR\n");
    return 2;
  }
  const char *gnuplot = argv[1], *script = argv[2], *data = argv[3], *work = argv[4];
  if (!is_exec(gnuplot)) {
    printf("SKIP: gnuplot not found (install the Debian package gnuplot-nox); %s not rendered\n",
           script);
    return SKIP;
  }
  if (!is_dir(data)) {
    printf("SKIP: no test data for %s: create %s/ with small files shaped like the sweep's "
           "results (see README, \"How to add a claim\")\n", script, data);
    return SKIP;
  }
  char figdir[4096], logpath[4200];
  snprintf(figdir, sizeof figdir, "%s/fig", work);
  snprintf(logpath, sizeof logpath, "%s/gnuplot.log", work);
  if (fresh_dir(figdir) != 0) {
    printf("FAIL: cannot prepare %s: %s\n", figdir, strerror(errno));
    return 1;
  }
  char expr[12288];
  snprintf(expr, sizeof expr, "resdir='%s'; figdir='%s'", data, figdir);
  printf("running: %s -e \"%s\" %s\n", gnuplot, expr, script);
  fflush(stdout);

  pid_t pid = fork();
  if (pid < 0) {
    printf("FAIL: fork: %s\n", strerror(errno));
    return 1;
  }
  if (pid == 0) {
    FILE *lf = freopen(logpath, "w", stderr);
    (void)lf;
    FILE *nf = freopen("/dev/null", "r", stdin);
    (void)nf;
    dup2(2, 1);
    execl(gnuplot, gnuplot, "-e", expr, script, (char *)NULL);
    fprintf(stderr, "exec %s: %s\n", gnuplot, strerror(errno));
    _exit(127);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  int fails = 0;

  /* gnuplot's messages */
  FILE *lf = fopen(logpath, "r");
  if (lf) {
    char line[2048];
    int first = 1;
    while (fgets(line, sizeof line, lf)) {
      if (first) {
        printf("gnuplot said:\n");
        first = 0;
      }
      printf("  %s", line);
      if (strstr(line, "no valid points")) {
        printf("FAIL: gnuplot found no valid points in a data file (the script does not match "
               "the data's columns or file names)\n");
        fails++;
      }
    }
    fclose(lf);
  }
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    printf("FAIL: gnuplot exited with %s %d\n", WIFEXITED(st) ? "status" : "signal",
           WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    fails++;
  }

  DIR *d = opendir(figdir);
  int nfig = 0;
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)))
      if (e->d_name[0] != '.') fails += check_figure(figdir, e->d_name, &nfig);
    closedir(d);
  }
  if (nfig == 0) {
    printf("FAIL: %s wrote no PNG or SVG into figdir\n", script);
    fails++;
  }
  printf("%s: %d figure file(s), %d problem(s)\n", fails ? "FAIL" : "PASS", nfig, fails);
  return fails ? 1 : 0;
}
