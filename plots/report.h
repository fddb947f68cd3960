/* report.h: the internal interface of gdl-report (plots/report.c and the files it is split into:
 * report_util.c strings and files, report_json.c the JSON reader, report_read.c the result
 * readers and the report model, report_write.c the Markdown/HTML/JSON writers). Declarations only. */
#ifndef GDL_REPORT_INTERNAL_H
#define GDL_REPORT_INTERNAL_H
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef GDL_GIT_DESCRIBE
#define GDL_GIT_DESCRIBE "unknown"
#endif

#include "gdl/claims.h"

#define CLAIMS gdl_claim_table
#define NCLAIM ((size_t)GDL_NCLAIMS)
#define FAMILIES gdl_claim_family_table
#define NFAM ((size_t)GDL_NCLAIM_FAMILIES)

typedef struct {
  char *s;
  size_t n, cap;
} sbuf;

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;
typedef struct jval {
  jtype t;
  int b;
  double num;
  char *str;
  size_t n;            /* ARR / OBJ element count */
  char **keys;         /* OBJ */
  struct jval **items; /* ARR / OBJ */
} jval;

typedef struct {
  const char *s, *end, *p;
  char err[256];
  int depth;
} jparser;

typedef struct {
  char *source;   /* file it came from (relative to results dir) */
  char *check, *relation, *params, *seed;
  char measured[64], bound[96], margin[64];
  int pass;       /* 1 pass, 0 fail, -1 unknown (missing or malformed field) */
  char *problem;  /* a field is missing or has the wrong type */
  char *utc;
  double m, b, mg;  /* measured, bound, margin as numbers (NAN when not a finite number) */
} row;

typedef struct {
  row *v;
  size_t n, cap;
} rows;

typedef struct {
  char *file, *error, *claim; /* claim: guessed from the file name (may be NULL) */
} problem;

typedef struct {
  char *fault, *test, *result; /* result: killed | survived | stale | build-failed | ... */
} killrow;

typedef struct {
  char *name;        /* family (results subdirectory) */
  char **figs;       /* figure stems (file name without .png/.svg) */
  size_t nfigs;
  char *claim_text;  /* summary.json "claim" */
  char *runtime;     /* from the sidecars or the ctest log */
} famdata;

typedef struct {
  rows claim_rows[NCLAIM];
  rows family_rows[NFAM];
  rows unknown_rows;         /* records naming a claim not in the table */
  problem *problems;
  size_t nproblems;
  famdata *fams;
  size_t nfams;
  char **versions;           /* distinct "git | compiler | blas" strings */
  size_t nversions;
  char **seeds;
  size_t nseeds;
  char **test_times;         /* "theorems.x 12.3 s" from the ctest log */
  size_t ntest_times;
  killrow *kills;            /* RESULTS/power/kill_matrix.csv (fault,test,result,seconds) */
  size_t nkills;
  double dgemm_peak;         /* RESULTS/trainer/trainer.json: the benchmark run's peak, or NAN */
  char *bench_load;          /* the benchmark run's load average, when it recorded one */
  char *bench_utc;
} report_state;
extern report_state R;

typedef struct {
  char **stems;
  size_t n;
  int *used;
} figset;

typedef enum { ST_PASS, ST_FAIL, ST_INCOMPLETE, ST_NONE } status;
extern const char *status_name[];

void sb_puts(sbuf *b, const char *s);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
void sb_putn(sbuf *b, const char *s, size_t n);
void sb_html(sbuf *b, const char *s);
void sb_md(sbuf *b, const char *s);
char *read_file(const char *path, size_t *len, char *err, size_t errlen);
int write_atomic(const char *path, const char *data, size_t len);
int mkdir_p(const char *path);
int cmpstr(const void *a, const void *b);
int list_dir(const char *dir, const char *suffix, char ***out);
void free_list(char **v, int n);
int is_dir(const char *p);
int is_file(const char *p);
void jfree(jval *v);
jval *jparse(const char *text, size_t len, char *err, size_t errlen);
const jval *jget(const jval *o, const char *key);
const char *jgets(const jval *o, const char *key);
void jtext(const jval *v, char *buf, size_t len);
row *rows_add(rows *r);
void add_problem(const char *file, const char *error, const char *claim);
void add_unique(char ***v, size_t *n, const char *s);
int claim_index(const char *id);
int family_index(const char *prefix);
int family_of_claim(size_t ci);
int family_of_name(const char *name);
void add_version(const jval *prov);
void fill_row(row *r, const jval *o, const char *source);
row *row_for(const char *id, const jval *obj);
char *claim_from_filename(const char *name);
void read_claim_records(const char *results);
int claim_tokens(const jval *c, char tok[][16], int maxtok);
famdata *fam_get(const char *name);
void fam_add_fig(famdata *f, const char *stem);
double find_wall(const jval *o);
void read_summaries(const char *results);
void read_figure_map(const char *path);
void read_ctest_log(const char *path);
int fig_exists(const char *figdir, const char *stem, const char *ext);
figset scan_figures(const char *figdir);
int fam_serves(const famdata *fd, const char *claim_id);
status rows_status(const rows *r, int nprob);
int claim_problems(size_t ci);
int family_problems(size_t fi);
void tightness_text(const row *x, char *buf, size_t len);
void rows_table_md(sbuf *b, const rows *r);
void rows_table_html(sbuf *b, const rows *r);
size_t figures_for(const char *figdir, const char *id, int exact_only, char ***out);
void mark_used(figset *fs, char **stems, size_t n);
void figs_md(sbuf *b, const char *figrel, const char *figdir, char **stems, size_t n);
void figs_html(sbuf *b, const char *figrel, const char *figdir, char **stems, size_t n);
void free_strs(char **v, size_t n);
void relpath(const char *from, const char *to, char *out, size_t len);


/* report_read.c */
void read_kill_matrix(const char *results);
void read_bench_context(const char *results);
int is_perf_claim(size_t ci);
double row_tightness(const row *x);
size_t faults_killed_by_family(size_t fi, char ***out, size_t *nrun);

/* report_sections.c: the sections of the report, written to Markdown and HTML at once */
typedef struct {
  sbuf md, h;
  const char *results, *figdir;
  char figrel[4096];
  figset fs;
  status cst[NCLAIM];
  int npass, nfail, ninc, nnone;
  char utc[64];
} report_ctx;
void sb_json(sbuf *b, const char *s);
void section_head(report_ctx *c, int have_results);
void section_versions(report_ctx *c);
void section_overview(report_ctx *c);
void section_family(report_ctx *c, size_t f);
void section_performance(report_ctx *c);
void section_faults(report_ctx *c);
void section_leftovers(report_ctx *c);
void write_claims_json(report_ctx *c, sbuf *j);

#endif
