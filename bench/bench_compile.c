/*
 * Compile-lane throughput, in one run on the same statements: the 22 TPC-H
 * queries repeated to at least 10,000 statements, against the TPC-H schema
 * (../shared/corpora/tpch/schema.json).
 *
 *   parse     uf_parse_one (the baseline)
 *   compile   uf_compile_sql under the default policy (every rule of the
 *             registry: qualification, the restructuring rules, types,
 *             canonicalize, simplify), render, fingerprints. No
 *             compiled-query cache: every call does the whole work. The
 *             share of each step (the queries' own timings) is printed.
 *
 * Each figure is the best of `rounds` timed passes (statements/second).
 * Printed: both rates, compile/parse, and the compile rate over SQLGlot's
 * `optimize` with the TPC-H schema on this machine, about 83 queries/second
 * (a constant quoted from issue 4, not measured here); the goal is >= 100x.
 *
 *   bench_compile [--min N] [--rounds R] [--only parse|compile] [--per-query]
 * --only helps profiling (valgrind --tool=callgrind, perf record);
 * --per-query prints each query's compile time and its costliest steps.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/integration/harness.h"
#include "bench_common.h"
#include "unifier/compile.h"
#include "unifier/schema.h"
#include "unifier/sql.h"

/* SQLGlot optimize() on TPC-H with the schema, queries/second (issue 4). */
#define SQLGLOT_OPTIMIZE_QPS 83.0
#define GOAL_TIMES_SQLGLOT 100.0

/* What run_compile needs besides the statements (workload.extra). */
typedef struct compile_env {
  const uf_schema *schema;
  uf_policy policy;
} compile_env;

static size_t run_compile(const workload *w) {
  const compile_env *env = w->extra;
  size_t failed = 0;
  for (size_t i = 0; i < w->n; i++) {
    uf_compiled_query *q = NULL;
    uf_error err;
    if (uf_compile_sql(w->stmts[i], strlen(w->stmts[i]), &env->policy, env->schema, NULL, &q,
                       &err) != UF_OK)
      failed++;
    uf_compiled_query_free(q);
  }
  return failed;
}

/* Compile time by step (parse, each rule, render, artifacts), summed over
 * compilations from their own timings. */
enum { MAXSTEP = UF_POLICY_MAX_RULES + 8 };
typedef struct step_sums {
  const char *name[MAXSTEP];
  double ms[MAXSTEP];
  size_t n;
  double total;
} step_sums;

/* Compiles sql once and adds its step timings to s. */
static void add_compile(step_sums *s, const char *sql, const compile_env *env) {
  uf_compiled_query *q = NULL;
  if (uf_compile_sql(sql, strlen(sql), &env->policy, env->schema, NULL, &q, NULL) != UF_OK)
    return;
  const uf_compile_artifacts *a = &q->artifacts;
  for (size_t k = 0; k < a->ntimings; k++) {
    size_t j = 0;
    while (j < s->n && strcmp(s->name[j], a->timings[k].rule) != 0) j++;
    if (j == s->n && s->n < MAXSTEP) s->name[s->n] = a->timings[k].rule, s->ms[s->n++] = 0;
    if (j < s->n) s->ms[j] += a->timings[k].ms;
  }
  s->total += a->total_ms;
  uf_compiled_query_free(q);
}

/* Where compile time goes over one pass, as shares of the total. */
static void print_steps(const workload *w, const compile_env *env) {
  step_sums s = {.n = 0};
  for (size_t i = 0; i < w->n; i++) add_compile(&s, w->stmts[i], env);
  printf("steps (share of compile time, one pass):");
  for (size_t j = 0; j < s.n; j++)
    printf("%s %s %.1f%%", j ? "," : "", s.name[j], s.total > 0 ? 100.0 * s.ms[j] / s.total : 0.0);
  printf("\n");
}

/* Each query compiled `reps` times: microseconds per compile and the
 * steps that took most of it. */
static void print_per_query(const h_strvec *q, const compile_env *env, int reps) {
  enum { TOP = 5 };
  for (size_t i = 0; i < q->n; i++) {
    step_sums s = {.n = 0};
    for (int r = 0; r < reps; r++) add_compile(&s, q->items[i], env);
    printf("q%02zu %7.1f us:", i + 1, 1000.0 * s.total / reps);
    for (int t = 0; t < TOP && s.n; t++) {
      size_t best = 0;
      for (size_t j = 1; j < s.n; j++)
        if (s.ms[j] > s.ms[best]) best = j;
      printf(" %s %.1f", s.name[best], 1000.0 * s.ms[best] / reps);
      s.ms[best] = -1;
    }
    printf("\n");
  }
}

int main(int argc, char **argv) {
  size_t min = 10000;
  int rounds = 3;
  const char *only = NULL;
  bool per_query = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--min") == 0 && i + 1 < argc) min = strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = atoi(argv[++i]);
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    else if (strcmp(argv[i], "--per-query") == 0) per_query = true;
    else {
      fprintf(stderr, "usage: %s [--min N] [--rounds R] [--only parse|compile] [--per-query]\n",
              argv[0]);
      return 2;
    }
  }
  uf_schema *schema = NULL;
  uf_error err;
  if (uf_schema_load_file(UF_SHARED_DIR "/corpora/tpch/schema.json", NULL, &schema, &err) !=
      UF_OK) {
    fprintf(stderr, "bench_compile: schema: %s\n", err.message);
    return 1;
  }
  h_strvec q = {0};
  h_load_tpch(&q);
  if (q.n == 0) return 1;
  compile_env env = {schema, {0}};
  uf_policy_default(&env.policy);
  workload w = {NULL, 0, &env};
  size_t reps = (min + q.n - 1) / q.n;
  w.n = reps * q.n;
  w.stmts = malloc(w.n * sizeof *w.stmts);
  if (w.stmts == NULL) return 1;
  for (size_t i = 0; i < w.n; i++) w.stmts[i] = q.items[i % q.n];
  printf("bench_compile: %zu TPC-H queries x %zu = %zu statements, best of %d rounds\n", q.n,
         reps, w.n, rounds);

  /* Which queries fail to compile, once, by name. */
  for (size_t i = 0; i < q.n; i++) {
    uf_compiled_query *cq = NULL;
    if (uf_compile_sql(q.items[i], strlen(q.items[i]), &env.policy, schema, NULL, &cq, &err) !=
        UF_OK)
      printf("  compile fails q%02zu: %s\n", i + 1, err.message);
    uf_compiled_query_free(cq);
  }

  if (per_query) print_per_query(&q, &env, 200);
  figure p = {0, 0}, c = {0, 0};
  if (!only || strcmp(only, "parse") == 0) {
    p = measure(run_parse, &w, rounds);
    printf("%-10s %12.0f stmt/s  (%zu of %zu failed)\n", "parse", p.per_second, p.failed, w.n);
  }
  if (!only || strcmp(only, "compile") == 0) {
    c = measure(run_compile, &w, rounds);
    printf("%-10s %12.0f stmt/s  (%zu of %zu failed)\n", "compile", c.per_second, c.failed,
           w.n);
  }
  if (!only) print_steps(&w, &env);
  if (!only) {
    double ratio = p.per_second > 0 ? c.per_second / p.per_second : 0;
    double times = c.per_second / SQLGLOT_OPTIMIZE_QPS;
    bool met = times >= GOAL_TIMES_SQLGLOT && c.failed == 0;
    printf("%-10s %12.3f  (compile / parse, same run)\n", "ratio", ratio);
    printf("%-10s %12.1fx  SQLGlot optimize (%.0f q/s, quoted from issue 4, not measured)\n",
           "vs sqlglot", times, SQLGLOT_OPTIMIZE_QPS);
    printf("bench_compile: goal >= %.0fx SQLGlot (%.0f compiles/s): %s\n", GOAL_TIMES_SQLGLOT,
           GOAL_TIMES_SQLGLOT * SQLGLOT_OPTIMIZE_QPS, met ? "met" : "MISSED");
  }
  free(w.stmts);
  h_strvec_free(&q);
  uf_schema_free(schema);
  return 0;
}
