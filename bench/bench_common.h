/*
 * What the front-end benchmarks share: a workload of statements (the 22
 * TPC-H queries repeated), a monotonic clock, the parse-only pass, and the
 * best-of-N measurement after a warm-up pass that also counts failures.
 */
#ifndef UF_BENCH_COMMON_H
#define UF_BENCH_COMMON_H

#include <string.h>
#include <time.h>

#include "unifier/sql.h"

typedef struct workload {
  char **stmts;      /* borrowed from the query set, repeated */
  size_t n;
  const void *extra; /* what a bench's run functions need besides the text */
} workload;

typedef size_t (*run_fn)(const workload *w); /* returns failures */

typedef struct figure {
  double per_second;
  size_t failed;
} figure;

static inline double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parses every statement (the baseline both benches report). */
static inline size_t run_parse(const workload *w) {
  size_t failed = 0;
  for (size_t i = 0; i < w->n; i++) {
    uf_tree *t = NULL;
    uf_error err;
    if (uf_parse_one(w->stmts[i], strlen(w->stmts[i]), NULL, &t, &err) != UF_OK)
      failed++;
    uf_tree_free(t);
  }
  return failed;
}

/* Best statements/second over `rounds` runs, after one warm-up run. */
static inline figure measure(run_fn fn, const workload *w, int rounds) {
  figure f = {0, 0};
  f.failed = fn(w); /* warm-up pass, also counts failures */
  for (int r = 0; r < rounds; r++) {
    double t0 = now_seconds();
    fn(w);
    double dt = now_seconds() - t0;
    double rate = dt > 0 ? (double)w->n / dt : 0;
    if (rate > f.per_second) f.per_second = rate;
  }
  return f;
}

#endif
