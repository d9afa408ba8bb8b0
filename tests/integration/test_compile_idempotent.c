/*
 * Idempotence of the compile lane over every corpus: for each statement
 * that compiles under the default policy (validation off, so statements
 * naming unknown tables still compile), compiling the SQL it rendered gives
 * the same fingerprint: compile(compile(q)) == compile(q). The second
 * compile failing counts as not idempotent. Failures are listed in
 * <build>/corpus-report/compile-idempotence.txt and the first few printed.
 *
 * Schemas: the TPC-H queries and tpc-h.sql use corpora/tpch/schema.json,
 * the other optimizer fixtures corpora/sqlglot/optimizer/schema.json,
 * identity.sql and pretty.sql none. Expression lines run as SELECT expr.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../support/compile_util.h"
#include "harness.h"
#include "unifier/compile.h"

#ifndef UF_BUILD_DIR
#define UF_BUILD_DIR "."
#endif

#define MAX_PRINTED 10

typedef struct idem {
  FILE *report;
  size_t inputs, compiled, idempotent, printed;
} idem;

static void report(idem *st, const char *what, const char *input, const char *first,
                   const char *second) {
  fprintf(st->report, "%s\n  input:  %.600s\n  first:  %.600s\n  second: %.600s\n", what, input,
          first, second);
  if (st->printed++ < MAX_PRINTED)
    printf("NOT IDEMPOTENT (%s)\n  input:  %.400s\n  first:  %.400s\n  second: %.400s\n", what,
           input, first, second);
}

static void check_one(idem *st, const char *sql, const uf_schema *s, const uf_policy *p) {
  st->inputs++;
  uf_tree *t = NULL;
  bool is_expr = false;
  uf_error err;
  if (h_parse_any(sql, strlen(sql), uf_dialect_duckdb(), &t, &is_expr, &err) != UF_OK) return;
  uf_tree_free(t);
  size_t n = strlen(sql) + 8;
  char *q = malloc(n);
  snprintf(q, n, "%s%s", is_expr ? "SELECT " : "", sql);
  uf_compiled_query *a = NULL, *b = NULL;
  if (uf_compile_sql(q, strlen(q), p, s, NULL, &a, &err) == UF_OK) {
    st->compiled++;
    if (uf_compile_sql(a->sql, a->sql_len, p, s, NULL, &b, &err) != UF_OK)
      report(st, err.message, q, a->sql, "(does not compile)");
    else if (strcmp(a->artifacts.fingerprint, b->artifacts.fingerprint) != 0)
      report(st, "fingerprints differ", q, a->sql, b->sql);
    else
      st->idempotent++;
  }
  uf_compiled_query_free(a);
  uf_compiled_query_free(b);
  free(q);
}

static void check_all(idem *st, const h_strvec *v, const char *schema_rel) {
  uf_schema *s = schema_rel ? ut_schema_shared(schema_rel) : NULL;
  uf_policy p;
  uf_policy_default(&p);
  p.validate = false;
  for (size_t i = 0; i < v->n; i++) check_one(st, v->items[i], s, &p);
  uf_schema_free(s);
}

static void check_file(idem *st, const char *rel, bool pairs, const char *schema_rel) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", UF_SHARED_DIR, rel);
  char *text = h_read_file(path, NULL);
  if (text == NULL) fail_msg("cannot read %s", path);
  h_strvec v = {0};
  if (pairs) h_split_fixture(text, &v);
  else h_split_lines(text, &v);
  free(text);
  check_all(st, &v, schema_rel);
  h_strvec_free(&v);
}

static void test_compile_idempotent_all(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/corpus-report", UF_BUILD_DIR);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/corpus-report/compile-idempotence.txt", UF_BUILD_DIR);
  idem st = {0};
  st.report = fopen(path, "w");
  if (st.report == NULL) st.report = fopen("/dev/null", "w");

  h_strvec tpch = {0};
  h_load_tpch(&tpch);
  check_all(&st, &tpch, "corpora/tpch/schema.json");
  h_strvec_free(&tpch);
  static const char *const optimizer[] = {
      "annotate_types.sql", "canonicalize.sql",    "normalize.sql",
      "pushdown_predicates.sql", "pushdown_projections.sql", "qualify_columns.sql",
      "qualify_columns__invalid.sql", "qualify_tables.sql", "simplify.sql"};
  for (size_t i = 0; i < sizeof optimizer / sizeof *optimizer; i++) {
    char rel[256];
    snprintf(rel, sizeof rel, "corpora/sqlglot/optimizer/%s", optimizer[i]);
    check_file(&st, rel, true, "corpora/sqlglot/optimizer/schema.json");
  }
  check_file(&st, "corpora/sqlglot/optimizer/tpc-h.sql", true, "corpora/tpch/schema.json");
  check_file(&st, "corpora/sqlglot/identity.sql", false, NULL);
  check_file(&st, "corpora/sqlglot/pretty.sql", true, NULL);
  fclose(st.report);
  printf("[compile] idempotence over all corpora: %zu statements, %zu compile, "
         "%zu idempotent, %zu not\n",
         st.inputs, st.compiled, st.idempotent, st.compiled - st.idempotent);
  assert_true(st.compiled > 1000); /* the corpora are there and compile */
  assert_int_equal(st.idempotent, st.compiled);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_compile_idempotent_all),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
