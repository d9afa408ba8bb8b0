/*
 * The compile lane on DuckDB: every TPC-H query is compiled against
 * schema.json (qualify, normalize identifiers, annotate types) and the
 * compiled query must give exactly the result of the query as written
 * (the oracle), run both through the text comparison and through
 * uf_engine_execute_compiled (the lane's execution entry, streaming Arrow).
 * Compiling the compiled SQL must give the same fingerprint and the same
 * result. The loading code is test_tpch_exec.c's (tables typed per
 * schema.json, loaded from ASTs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "engine/engine.h"
#include "engine/engine_oracle.h"
#include "harness.h"
#include "../support/tpch.h"
#include "unifier/compile.h"

#define NQ 22

typedef struct exec_state {
  uf_engine *engine;
  uf_schema *schema;
  h_strvec queries;
  uf_result_text *ref[NQ]; /* oracle results */
} exec_state;

/* -- loading ------------------------------------------------------------ */

static int setup(void **state) {
  exec_state *s = calloc(1, sizeof *s);
  uf_engine_options o = {0};
  o.threads = 1; /* one thread: floating-point sums in a fixed order */
  o.allow_external_access = true;
  uf_error err;
  if (uf_engine_open(&o, &s->engine, &err) != UF_OK) {
    fprintf(stderr, "engine: %s\n", err.message);
    free(s);
    return -1;
  }
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/tpch/schema.json", UF_SHARED_DIR);
  bool loaded = uf_schema_load_file(path, NULL, &s->schema, &err) == UF_OK &&
                ut_load_tpch(s->engine);
  if (!loaded) {
    fprintf(stderr, "%s: cannot load\n", path);
    uf_schema_free(s->schema);
    uf_engine_close(s->engine);
    free(s);
    return -1;
  }
  h_load_tpch(&s->queries);
  for (size_t i = 0; i < NQ && i < s->queries.n; i++)
    s->ref[i] = ut_tpch_reference(s->engine, s->queries.items[i], i + 1);
  *state = s;
  return 0;
}

static int teardown(void **state) {
  exec_state *s = *state;
  for (size_t i = 0; i < NQ; i++) uf_result_text_free(s->ref[i]);
  h_strvec_free(&s->queries);
  uf_schema_free(s->schema);
  uf_engine_close(s->engine);
  free(s);
  return 0;
}

/* Runs the compiled AST and compares with the reference. */
static bool same_as_reference(exec_state *s, size_t i, const uf_compiled_query *q,
                              const char *how) {
  uf_result_text *got = NULL;
  uf_error err;
  if (s->ref[i] == NULL) {
    printf("[compile-exec] q%02zu %s: no reference result\n", i + 1, how);
    return false;
  }
  if (uf_engine_exec(s->engine, q->ast, &got, &err) != UF_OK) {
    printf("[compile-exec] q%02zu %s: %s\n  sql: %s\n", i + 1, how, err.message, q->sql);
    return false;
  }
  bool eq = uf_result_text_equal(s->ref[i], got);
  if (!eq) {
    printf("[compile-exec] q%02zu %s: results differ (- as written, + compiled)\n  sql: %.2000s\n",
           i + 1, how, q->sql);
    uf_result_text_diff(stdout, s->ref[i], got, 10);
  }
  uf_result_text_free(got);
  return eq;
}

static uf_compiled_query *compile_query(exec_state *s, size_t i, const char *sql) {
  uf_compiled_query *q = NULL;
  uf_error err;
  if (uf_compile_sql(sql, strlen(sql), NULL, s->schema, NULL, &q, &err) != UF_OK)
    printf("[compile-exec] q%02zu: does not compile: %s\n%s\n", i + 1, err.message, err.snippet);
  return q;
}

static void test_compiled_results(void **state) {
  exec_state *s = *state;
  size_t same = 0, again = 0;
  for (size_t i = 0; i < NQ; i++) {
    uf_compiled_query *q = compile_query(s, i, s->queries.items[i]);
    if (q == NULL) continue;
    same += same_as_reference(s, i, q, "compiled");
    /* The compiled SQL compiles to itself and runs the same. */
    uf_compiled_query *q2 = compile_query(s, i, q->sql);
    if (q2 && strcmp(q2->artifacts.fingerprint, q->artifacts.fingerprint) == 0 &&
        same_as_reference(s, i, q2, "recompiled"))
      again++;
    uf_compiled_query_free(q2);
    uf_compiled_query_free(q);
  }
  printf("[compile-exec] compiled: %zu/%d identical results; recompiled: %zu/%d\n", same, NQ,
         again, NQ);
  assert_int_equal(same, NQ);
  assert_int_equal(again, NQ);
}

/* The lane's entry: uf_engine_execute_compiled streams the same rows. */
static void test_execute_compiled(void **state) {
  exec_state *s = *state;
  size_t same = 0;
  for (size_t i = 0; i < NQ; i++) {
    uf_compiled_query *q = compile_query(s, i, s->queries.items[i]);
    if (q == NULL || s->ref[i] == NULL) {
      uf_compiled_query_free(q);
      continue;
    }
    struct ArrowArrayStream stream;
    uf_arrow_table *t = NULL;
    uf_error err;
    uf_exec_options eo = {0};
    eo.label = "compiled";
    if (uf_engine_execute_compiled(s->engine, q, NULL, &eo, &stream, &err) != UF_OK ||
        uf_engine_to_table(&stream, &t, &err) != UF_OK)
      printf("[compile-exec] q%02zu execute_compiled: %s\n", i + 1, err.message);
    else if (t->nrows != s->ref[i]->nrows ||
             (uint64_t)t->schema.n_children != s->ref[i]->ncols)
      printf("[compile-exec] q%02zu execute_compiled: %llu rows x %lld cols, want %llu x %u\n",
             i + 1, (unsigned long long)t->nrows, (long long)t->schema.n_children,
             (unsigned long long)s->ref[i]->nrows, s->ref[i]->ncols);
    else
      same++;
    uf_arrow_table_free(t);
    uf_compiled_query_free(q);
  }
  printf("[compile-exec] uf_engine_execute_compiled: %zu/%d same shape\n", same, NQ);
  assert_int_equal(same, NQ);
  /* No compiled query: an argument error, and the stream stays unset. */
  struct ArrowArrayStream stream;
  uf_error err;
  assert_int_equal(uf_engine_execute_compiled(s->engine, NULL, NULL, NULL, &stream, &err),
                   UF_INVALID_ARGUMENT);
  assert_null(stream.release);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_compiled_results),
      cmocka_unit_test(test_execute_compiled),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
