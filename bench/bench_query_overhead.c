/*
 * bench_query_overhead: `unifier query` against DuckDB's C API doing the
 * same work, both as fresh processes (the baseline is this program
 * re-executed in a baseline mode, so both sides pay process start and
 * database open), measured in the same run, alternating, several times:
 *
 *  (a) parquet   unifier query --format parquet -o X 'SELECT ... FROM range'
 *                vs COPY (same query) TO 'Y' (FORMAT parquet) on the C API
 *  (b) aggregate unifier query 'SELECT k, count, sum, avg ... GROUP BY k'
 *                (CSV to /dev/null) vs the C API running the same SQL and
 *                fetching every chunk of the result
 *  (c) streaming unifier query 'SELECT * FROM range(500000000)' --format csv
 *                > /dev/null: rows/s and peak RSS (must stay < 256 MB),
 *                beside DuckDB's own COPY ... TO '/dev/stdout' (FORMAT csv)
 *
 * Prints the median (and best) of each side and their ratio; the goal for
 * (a) and (b) is a ratio <= 1.03. Environment: UF_BENCH_RUNS (default 3),
 * UF_BENCH_STREAM_ROWS (default 500000000), UF_BENCH_QUICK=1 (small sizes).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <duckdb.h>

#ifndef UF_CLI_PATH
#define UF_CLI_PATH "build/unifier"
#endif

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
char *mkdtemp(char *tmpl);
extern char **environ;

/* -- baseline modes (run in a child process) ------------------------------- */

static int baseline(const char *mode, const char *sql) {
  duckdb_database db;
  duckdb_connection con;
  if (duckdb_open(NULL, &db) != DuckDBSuccess) return 1;
  if (duckdb_connect(db, &con) != DuckDBSuccess) return 1;
  duckdb_result res;
  int rc = 0;
  if (duckdb_query(con, sql, &res) != DuckDBSuccess) {
    fprintf(stderr, "baseline: %s\n", duckdb_result_error(&res));
    rc = 1;
  } else if (strcmp(mode, "--baseline-query") == 0) {
    /* fetch the whole result, touching every chunk */
    uint64_t rows = 0;
    for (;;) {
      duckdb_data_chunk ch = duckdb_fetch_chunk(res);
      if (!ch) break;
      rows += duckdb_data_chunk_get_size(ch);
      duckdb_destroy_data_chunk(&ch);
    }
    if (rows == 0) rc = 1;
  }
  duckdb_destroy_result(&res);
  duckdb_disconnect(&con);
  duckdb_close(&db);
  return rc;
}

/* -- timing a child ---------------------------------------------------------- */

typedef struct sample {
  double secs;
  long maxrss_kb;
  int status;
} sample;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs argv with stdout to /dev/null; wall time and peak RSS. */
static sample spawn_timed(char *const *argv) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  sample s = {0, 0, -1};
  double t0 = now_s();
  pid_t pid;
  if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    posix_spawn_file_actions_destroy(&fa);
    return s;
  }
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  wait4(pid, &status, 0, &ru);
  s.secs = now_s() - t0;
  s.maxrss_kb = ru.ru_maxrss;
  s.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return s;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define MAX_RUNS 32

/* Runs both sides `runs` times, alternating; prints medians and the ratio.
 * Returns the median ratio (or -1 on failure). */
static double compare(const char *title, char *const *cli, char *const *base,
                      int runs) {
  double a[MAX_RUNS], b[MAX_RUNS];
  for (int i = 0; i < runs; i++) {
    sample x = spawn_timed(cli), y = spawn_timed(base);
    if (x.status != 0 || y.status != 0) {
      fprintf(stderr, "%s: run failed (unifier exit %d, baseline exit %d)\n",
              title, x.status, y.status);
      return -1;
    }
    a[i] = x.secs;
    b[i] = y.secs;
  }
  double ma = median(a, runs), mb = median(b, runs);
  printf("%-10s unifier query  median %7.3f s  best %7.3f s\n", title, ma, a[0]);
  printf("%-10s C API baseline median %7.3f s  best %7.3f s\n", "", mb, b[0]);
  printf("%-10s ratio (median) %.3f   ratio (best) %.3f   goal <= 1.03: %s\n",
         "", ma / mb, a[0] / b[0], ma / mb <= 1.03 ? "met" : "NOT met");
  return ma / mb;
}

static long env_long(const char *name, long dflt) {
  const char *v = getenv(name);
  return v && *v ? atol(v) : dflt;
}

int main(int argc, char **argv) {
  if (argc == 3 && strncmp(argv[1], "--baseline-", 11) == 0)
    return baseline(argv[1], argv[2]);

  bool quick = env_long("UF_BENCH_QUICK", 0) != 0;
  int runs = (int)env_long("UF_BENCH_RUNS", 3);
  if (runs < 1) runs = 1;
  if (runs > MAX_RUNS) runs = MAX_RUNS;
  long prows = quick ? 2000000 : 10000000;
  long arows = quick ? 10000000 : 50000000;
  long srows = env_long("UF_BENCH_STREAM_ROWS", quick ? 20000000 : 500000000);

  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return 1;
  self[n] = '\0';
  char dir[] = "/tmp/uf_bench_query_XXXXXX";
  if (!mkdtemp(dir)) return 1;
  char px[256], py[256];
  snprintf(px, sizeof px, "%s/unifier.parquet", dir);
  snprintf(py, sizeof py, "%s/duckdb.parquet", dir);

  printf("bench_query_overhead: %d runs each, both sides fresh processes\n", runs);

  /* (a) parquet output */
  char q[512], copy[1024];
  snprintf(q, sizeof q,
           "SELECT i, i * 2 AS j, i %% 97 AS k, 'v' || (i %% 1000) AS s, "
           "i * 1.5 AS d FROM range(%ld) t(i)", prows);
  snprintf(copy, sizeof copy, "COPY (%s) TO '%s' (FORMAT parquet)", q, py);
  char *cli_a[] = {(char *)UF_CLI_PATH, (char *)"query", (char *)"--format",
                   (char *)"parquet", (char *)"-o", px, q, NULL};
  char *base_a[] = {self, (char *)"--baseline-copy", copy, NULL};
  printf("(a) parquet: %ld rows x 5 columns to a Parquet file\n", prows);
  double ra = compare("parquet", cli_a, base_a, runs);
  struct stat sx, sy;
  if (stat(px, &sx) == 0 && stat(py, &sy) == 0)
    printf("           file sizes: unifier %lld bytes, DuckDB %lld bytes\n",
           (long long)sx.st_size, (long long)sy.st_size);
  unlink(px);
  unlink(py);

  /* (b) aggregation */
  char agg[512];
  snprintf(agg, sizeof agg,
           "SELECT i %% 1000 AS k, count(*) AS n, sum(i) AS s, avg(i * 1.5) AS a "
           "FROM range(%ld) t(i) GROUP BY k", arows);
  char *cli_b[] = {(char *)UF_CLI_PATH, (char *)"query", (char *)"--format",
                   (char *)"csv", agg, NULL};
  char *base_b[] = {self, (char *)"--baseline-query", agg, NULL};
  printf("(b) aggregate: GROUP BY over %ld generated rows, 1000 groups\n", arows);
  double rb = compare("aggregate", cli_b, base_b, runs);

  /* (c) streaming a large result as CSV */
  char sq[128], scopy[256];
  snprintf(sq, sizeof sq, "SELECT * FROM range(%ld)", srows);
  snprintf(scopy, sizeof scopy, "COPY (%s) TO '/dev/stdout' (FORMAT csv)", sq);
  char *cli_c[] = {(char *)UF_CLI_PATH, (char *)"query", sq, (char *)"--format",
                   (char *)"csv", NULL};
  char *base_c[] = {self, (char *)"--baseline-copy", scopy, NULL};
  printf("(c) streaming: %s as CSV to /dev/null\n", sq);
  sample c = spawn_timed(cli_c);
  sample d = spawn_timed(base_c);
  if (c.status != 0 || d.status != 0) {
    fprintf(stderr, "streaming: run failed (unifier %d, baseline %d)\n",
            c.status, d.status);
    rmdir(dir);
    return 1;
  }
  printf("streaming  unifier query  %7.2f s  %6.1f M rows/s  peak RSS %ld MB "
         "(limit 256 MB: %s)\n",
         c.secs, (double)srows / c.secs / 1e6, c.maxrss_kb / 1024,
         c.maxrss_kb < 256 * 1024 ? "met" : "NOT met");
  printf("           DuckDB COPY csv %7.2f s  %6.1f M rows/s  peak RSS %ld MB\n",
         d.secs, (double)srows / d.secs / 1e6, d.maxrss_kb / 1024);
  printf("           ratio %.3f (unifier / DuckDB's own CSV writer)\n",
         c.secs / d.secs);
  rmdir(dir);
  return ra < 0 || rb < 0 ? 1 : 0;
}
