/*
 * Front-end throughput against libpg_query, in the same process on the same
 * statements: the 22 TPC-H queries repeated to at least 10,000 statements.
 *
 *   ours                          baseline (libpg_query 15)
 *   parse (uf_parse_one)          pg_query_parse (parse tree as JSON)
 *   parse + generate (fmt)        pg_query_parse_protobuf + pg_query_deparse_protobuf
 *   parse + fingerprint           pg_query_fingerprint
 *
 * Each figure is the best of `rounds` timed passes (statements/second); the
 * ratio is ours / theirs (higher is better for us). Goals: parse >= 1.0,
 * fingerprint >= 1.0, fmt >= 2.0 against parse+deparse. Statements either
 * side cannot parse are counted and reported, and excluded from neither run
 * (a failing parse costs time too).
 *
 *   bench_frontend [--min N] [--rounds R] [--only parse|fmt|fingerprint]
 *                  [--ours-only]
 * --only and --ours-only help profiling (perf record / callgrind).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pg_query.h>

#include "../tests/integration/harness.h"
#include "bench_common.h"
#include "unifier/sql.h"

/* -- ours ----------------------------------------------------------------- */

static size_t ours_fmt(const workload *w) {
  size_t failed = 0;
  uf_gen_options go = {0};
  for (size_t i = 0; i < w->n; i++) {
    uf_tree *t = NULL;
    uf_error err;
    char *sql = NULL;
    if (uf_parse_one(w->stmts[i], strlen(w->stmts[i]), NULL, &t, &err) != UF_OK ||
        uf_generate(uf_tree_root(t), &go, &sql, NULL, &err) != UF_OK)
      failed++;
    uf_free(sql);
    uf_tree_free(t);
  }
  return failed;
}

static size_t ours_fingerprint(const workload *w) {
  size_t failed = 0;
  for (size_t i = 0; i < w->n; i++) {
    uf_tree *t = NULL;
    uf_error err;
    uint8_t digest[32];
    if (uf_parse_one(w->stmts[i], strlen(w->stmts[i]), NULL, &t, &err) != UF_OK ||
        uf_fingerprint(uf_tree_root(t), NULL, digest, &err) != UF_OK)
      failed++;
    uf_tree_free(t);
  }
  return failed;
}

/* -- libpg_query ------------------------------------------------------------ */

static size_t pg_parse(const workload *w) {
  size_t failed = 0;
  for (size_t i = 0; i < w->n; i++) {
    PgQueryParseResult r = pg_query_parse(w->stmts[i]);
    failed += r.error != NULL;
    pg_query_free_parse_result(r);
  }
  return failed;
}

static size_t pg_parse_protobuf(const workload *w) {
  size_t failed = 0;
  for (size_t i = 0; i < w->n; i++) {
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(w->stmts[i]);
    failed += r.error != NULL;
    pg_query_free_protobuf_parse_result(r);
  }
  return failed;
}

static size_t pg_deparse(const workload *w) {
  size_t failed = 0;
  for (size_t i = 0; i < w->n; i++) {
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(w->stmts[i]);
    if (r.error != NULL) {
      failed++;
    } else {
      PgQueryDeparseResult d = pg_query_deparse_protobuf(r.parse_tree);
      failed += d.error != NULL;
      pg_query_free_deparse_result(d);
    }
    pg_query_free_protobuf_parse_result(r);
  }
  return failed;
}

static size_t pg_fingerprint(const workload *w) {
  size_t failed = 0;
  for (size_t i = 0; i < w->n; i++) {
    PgQueryFingerprintResult r = pg_query_fingerprint(w->stmts[i]);
    failed += r.error != NULL;
    pg_query_free_fingerprint_result(r);
  }
  return failed;
}

/* -- timing ------------------------------------------------------------------ */

static bool compare(const char *name, run_fn ours, run_fn theirs,
                    const char *theirs_name, const workload *w, int rounds,
                    double goal, bool ours_only) {
  figure a = measure(ours, w, rounds);
  printf("%-22s ours   %12.0f stmt/s  (%zu of %zu failed)\n", name, a.per_second,
         a.failed, w->n);
  if (ours_only) return true;
  figure b = measure(theirs, w, rounds);
  double ratio = b.per_second > 0 ? a.per_second / b.per_second : 0;
  printf("%-22s theirs %12.0f stmt/s  (%zu of %zu failed) [%s]\n", name,
         b.per_second, b.failed, w->n, theirs_name);
  printf("%-22s ratio  %12.2f  (goal >= %.1f: %s)\n", name, ratio, goal,
         ratio >= goal && a.failed == 0 ? "met" : "MISSED");
  return ratio >= goal && a.failed == 0;
}

int main(int argc, char **argv) {
  size_t min = 10000;
  int rounds = 3;
  const char *only = NULL;
  bool ours_only = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--min") == 0 && i + 1 < argc) min = strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = atoi(argv[++i]);
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    else if (strcmp(argv[i], "--ours-only") == 0) ours_only = true;
    else {
      fprintf(stderr, "usage: %s [--min N] [--rounds R] [--only parse|fmt|fingerprint] [--ours-only]\n", argv[0]);
      return 2;
    }
  }
  h_strvec q = {0};
  h_load_tpch(&q);
  if (q.n == 0) return 1;
  workload w = {NULL, 0, NULL};
  size_t reps = (min + q.n - 1) / q.n;
  w.n = reps * q.n;
  w.stmts = malloc(w.n * sizeof *w.stmts);
  if (w.stmts == NULL) return 1;
  for (size_t i = 0; i < w.n; i++) w.stmts[i] = q.items[i % q.n];
  printf("bench_frontend: %zu TPC-H queries x %zu = %zu statements, best of %d rounds\n",
         q.n, reps, w.n, rounds);

  /* Which queries each side rejects, once, by name. */
  for (size_t i = 0; i < q.n; i++) {
    uf_tree *t = NULL;
    uf_error err;
    if (uf_parse_one(q.items[i], strlen(q.items[i]), NULL, &t, &err) != UF_OK)
      printf("  ours rejects q%02zu: %s\n", i + 1, err.message);
    uf_tree_free(t);
    PgQueryParseResult r = pg_query_parse(q.items[i]);
    if (r.error) printf("  libpg_query rejects q%02zu: %s\n", i + 1, r.error->message);
    pg_query_free_parse_result(r);
  }

  bool all = true;
  if (!only || strcmp(only, "parse") == 0) {
    all &= compare("parse", run_parse, pg_parse, "pg_query_parse", &w, rounds, 1.0, ours_only);
    if (!ours_only) {
      figure p = measure(pg_parse_protobuf, &w, rounds);
      printf("%-22s info   %12.0f stmt/s  [pg_query_parse_protobuf]\n", "parse", p.per_second);
    }
  }
  if (!only || strcmp(only, "fmt") == 0)
    all &= compare("parse+generate", ours_fmt, pg_deparse,
                   "pg_query_parse_protobuf + pg_query_deparse_protobuf", &w, rounds, 2.0, ours_only);
  if (!only || strcmp(only, "fingerprint") == 0)
    all &= compare("parse+fingerprint", ours_fingerprint, pg_fingerprint,
                   "pg_query_fingerprint", &w, rounds, 1.0, ours_only);
  printf("bench_frontend: goals %s\n", all ? "met" : "missed");
  free(w.stmts);
  h_strvec_free(&q);
  pg_query_exit();
  return 0;
}
