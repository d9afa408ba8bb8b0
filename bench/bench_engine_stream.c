/*
 * The engine's streaming path against the DuckDB C API, in one process.
 *
 * 1. Streaming: SELECT * FROM range(N) (N = 500 million by default) through
 *    uf_engine_execute, every batch read and released; baseline: the same
 *    query through duckdb_pending_prepared_streaming + duckdb_fetch_chunk +
 *    duckdb_data_chunk_to_arrow (DuckDB's chunks, no coalescing). Printed:
 *    rows/s of each, their ratio, and the peak RSS (VmHWM) of each run —
 *    the peak is reset between runs through /proc/self/clear_refs. Goal:
 *    peak RSS flat, well under 256 MB, for a result far larger than memory.
 * 2. Overhead: an aggregation over generated data through uf_engine_execute
 *    (parse + generate + prepare + type check + stream + Arrow) against
 *    duckdb_prepare + duckdb_execute_prepared + chunk reads, best of R
 *    alternating rounds. Goal: ratio ours/raw <= 1.03.
 *
 *   bench_engine_stream [--rows N] [--agg-rows N] [--rounds R]
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <duckdb.h>
#pragma GCC diagnostic pop

#include "unifier/engine.h"
#include "unifier/sql.h"

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Peak resident set (VmHWM) in MiB; -1 if unknown. */
static double peak_rss_mib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (f == NULL) return -1;
  char line[256];
  double kb = -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0) kb = atof(line + 6);
  fclose(f);
  return kb < 0 ? -1 : kb / 1024.0;
}

/* Resets VmHWM to the current RSS (Linux: "5" > /proc/self/clear_refs). */
static void reset_peak(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (f == NULL) return;
  fputs("5", f);
  fclose(f);
}

static uf_tree *parse(const char *sql) {
  uf_tree *t = NULL;
  uf_error err;
  if (uf_parse_one(sql, strlen(sql), NULL, &t, &err) != UF_OK) {
    fprintf(stderr, "parse: %s\n", err.message);
    exit(1);
  }
  return t;
}

/* Reads the first column (BIGINT) of every batch: the data is touched. */
static int64_t consume_array(const struct ArrowArray *a, uint64_t *rows) {
  const struct ArrowArray *c = a->children[0];
  const int64_t *v = c->buffers[1];
  int64_t sum = 0;
  for (int64_t i = 0; i < c->length; i++) sum += v[c->offset + i];
  *rows += (uint64_t)a->length;
  return sum;
}

typedef struct run {
  double seconds, peak_mib;
  uint64_t rows, batches;
  int64_t check;
} run;

/* -- ours ------------------------------------------------------------------ */

static run ours_stream(uf_engine *e, const char *sql) {
  run r = {0};
  uf_tree *t = parse(sql);
  uf_error err;
  struct ArrowArrayStream s;
  reset_peak();
  double t0 = now_seconds();
  if (uf_engine_execute(e, uf_tree_root(t), NULL, NULL, &s, &err) != UF_OK) {
    fprintf(stderr, "execute: %s\n", err.message);
    exit(1);
  }
  for (;;) {
    struct ArrowArray a;
    if (s.get_next(&s, &a) != 0) {
      fprintf(stderr, "get_next: %s\n", s.get_last_error(&s));
      exit(1);
    }
    if (a.release == NULL) break;
    r.check += consume_array(&a, &r.rows);
    r.batches++;
    a.release(&a);
  }
  s.release(&s);
  r.seconds = now_seconds() - t0;
  r.peak_mib = peak_rss_mib();
  uf_tree_free(t);
  return r;
}

/* -- raw DuckDB ------------------------------------------------------------ */

static duckdb_result raw_stream_result(duckdb_connection con, const char *sql,
                                       duckdb_prepared_statement *ps) {
  duckdb_pending_result pending;
  duckdb_result res;
  if (duckdb_prepare(con, sql, ps) == DuckDBError ||
      duckdb_pending_prepared_streaming(*ps, &pending) == DuckDBError) {
    fprintf(stderr, "raw: %s\n", duckdb_prepare_error(*ps));
    exit(1);
  }
  if (duckdb_execute_pending(pending, &res) == DuckDBError) {
    fprintf(stderr, "raw: %s\n", duckdb_result_error(&res));
    exit(1);
  }
  duckdb_destroy_pending(&pending);
  return res;
}

static run raw_stream(duckdb_connection con, const char *sql) {
  run r = {0};
  duckdb_prepared_statement ps;
  reset_peak();
  double t0 = now_seconds();
  duckdb_result res = raw_stream_result(con, sql, &ps);
  duckdb_arrow_options ao = duckdb_result_get_arrow_options(&res);
  for (;;) {
    duckdb_data_chunk chunk = duckdb_fetch_chunk(res);
    if (chunk == NULL) break;
    struct ArrowArray a;
    duckdb_error_data ed = duckdb_data_chunk_to_arrow(ao, chunk, &a);
    if (ed) duckdb_destroy_error_data(&ed);
    duckdb_destroy_data_chunk(&chunk);
    r.check += consume_array(&a, &r.rows);
    r.batches++;
    a.release(&a);
  }
  duckdb_destroy_arrow_options(&ao);
  duckdb_destroy_result(&res);
  duckdb_destroy_prepare(&ps);
  r.seconds = now_seconds() - t0;
  r.peak_mib = peak_rss_mib();
  return r;
}

/* -- the aggregation -------------------------------------------------------- */

static double ours_agg(uf_engine *e, const char *sql, uint64_t *rows) {
  double t0 = now_seconds();
  uf_tree *t = parse(sql);
  uf_error err;
  struct ArrowArrayStream s;
  if (uf_engine_execute(e, uf_tree_root(t), NULL, NULL, &s, &err) != UF_OK) {
    fprintf(stderr, "execute: %s\n", err.message);
    exit(1);
  }
  uf_tree_free(t);
  *rows = 0;
  for (;;) {
    struct ArrowArray a;
    if (s.get_next(&s, &a) != 0 || a.release == NULL) break;
    *rows += (uint64_t)a.length;
    a.release(&a);
  }
  s.release(&s);
  return now_seconds() - t0;
}

static double raw_agg(duckdb_connection con, const char *sql, uint64_t *rows) {
  double t0 = now_seconds();
  duckdb_prepared_statement ps;
  duckdb_result res;
  if (duckdb_prepare(con, sql, &ps) == DuckDBError ||
      duckdb_execute_prepared(ps, &res) == DuckDBError) {
    fprintf(stderr, "raw: failed\n");
    exit(1);
  }
  *rows = 0;
  for (;;) {
    duckdb_data_chunk chunk = duckdb_fetch_chunk(res);
    if (chunk == NULL) break;
    *rows += duckdb_data_chunk_get_size(chunk);
    duckdb_destroy_data_chunk(&chunk);
  }
  duckdb_destroy_result(&res);
  duckdb_destroy_prepare(&ps);
  return now_seconds() - t0;
}

int main(int argc, char **argv) {
  uint64_t rows = 500000000ULL, agg_rows = 100000000ULL;
  int rounds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--rows") == 0) rows = strtoull(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "--agg-rows") == 0) agg_rows = strtoull(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "--rounds") == 0) rounds = atoi(argv[i + 1]);
  }
  uf_engine *e;
  uf_error err;
  if (uf_engine_open(NULL, &e, &err) != UF_OK) {
    fprintf(stderr, "open: %s\n", err.message);
    return 1;
  }
  duckdb_database db;
  duckdb_connection con;
  if (duckdb_open(NULL, &db) == DuckDBError || duckdb_connect(db, &con) == DuckDBError) {
    fprintf(stderr, "raw open failed\n");
    return 1;
  }

  char sql[256];
  snprintf(sql, sizeof sql, "SELECT * FROM range(%llu)", (unsigned long long)rows);
  printf("== streaming: %s\n", sql);
  double base_mib = peak_rss_mib();
  run o = ours_stream(e, sql);
  run b = raw_stream(con, sql);
  printf("ours      %12.0f rows/s  %8.2f s  %llu rows in %llu batches  peak RSS %7.1f MiB\n",
         o.rows / o.seconds, o.seconds, (unsigned long long)o.rows,
         (unsigned long long)o.batches, o.peak_mib);
  printf("raw       %12.0f rows/s  %8.2f s  %llu rows in %llu chunks   peak RSS %7.1f MiB\n",
         b.rows / b.seconds, b.seconds, (unsigned long long)b.rows,
         (unsigned long long)b.batches, b.peak_mib);
  bool same = o.rows == rows && b.rows == rows && o.check == b.check;
  bool flat = o.peak_mib > 0 && o.peak_mib < 256;
  printf("streaming ratio (time ours/raw) %.3f; rows %s; peak RSS %.1f MiB (start %.1f): "
         "goal < 256 MiB %s\n",
         o.seconds / b.seconds, same ? "match" : "DIFFER", o.peak_mib, base_mib,
         flat ? "met" : "MISSED");

  snprintf(sql, sizeof sql,
           "SELECT i %% 1000 AS k, count(*) AS n, sum(i) AS s, avg(i) AS a, "
           "max(i) AS m FROM range(%llu) t(i) GROUP BY k ORDER BY k",
           (unsigned long long)agg_rows);
  printf("== overhead: %s\n", sql);
  double best_o = 1e30, best_b = 1e30;
  uint64_t ro = 0, rb = 0;
  for (int k = 0; k < rounds; k++) {
    double to = ours_agg(e, sql, &ro), tb = raw_agg(con, sql, &rb);
    if (to < best_o) best_o = to;
    if (tb < best_b) best_b = tb;
  }
  double ratio = best_o / best_b;
  printf("ours %.4f s  raw %.4f s  (best of %d; %llu/%llu rows)\n", best_o, best_b,
         rounds, (unsigned long long)ro, (unsigned long long)rb);
  printf("overhead ratio (ours/raw) %.3f  (goal <= 1.03: %s)\n", ratio,
         ratio <= 1.03 && ro == rb ? "met" : "MISSED");

  duckdb_disconnect(&con);
  duckdb_close(&db);
  uf_engine_close(e);
  return same && flat ? 0 : 1;
}
