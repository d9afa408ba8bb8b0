/* Functions annotate_types' own table does not know take their return type
 * from the introspection snapshot (uf_catalog_function_catalog, given to
 * the compile lane through uf_schema_set_functions): the output column
 * types of compiled queries must equal the types DuckDB reports for the
 * same queries; overloads are picked by argument types; an unknown
 * function or a user macro is UNKNOWN without failing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "unifier/catalog.h"
#include "unifier/compile.h"
#include "unifier/engine.h"
#include "unifier/opt.h"
#include "unifier/schema.h"

typedef struct fx {
  uf_engine *e;
  const uf_catalog *cat;
  uf_schema *plain; /* t's columns only */
  uf_schema *typed; /* the same plus the snapshot's functions */
} fx;

static void exec_sql(uf_engine *e, const char *sql) {
  uf_error err;
  uf_tree *t = NULL;
  if (uf_parse_one(sql, strlen(sql), NULL, &t, &err) != UF_OK) fail_msg("%s: %s", sql, err.message);
  if (uf_engine_run(e, uf_tree_root(t), NULL, NULL, NULL, &err) != UF_OK)
    fail_msg("%s: %s", sql, err.message);
  uf_tree_free(t);
}

/* A compile schema of the snapshot's table t. */
static uf_schema *schema_of(const uf_catalog *c) {
  uf_schema *s = NULL;
  uf_error err;
  assert_int_equal(uf_schema_new(NULL, &s, &err), UF_OK);
  const uf_catalog_table *t = uf_catalog_find_table(c, NULL, "t");
  assert_non_null(t);
  const uf_schema_table *st = NULL;
  assert_int_equal(uf_schema_add_table(s, NULL, NULL, t->name, false, &st, &err), UF_OK);
  for (size_t j = 0; j < t->ncolumns; j++)
    assert_int_equal(uf_schema_add_column(s, st, t->columns[j].name, false, t->columns[j].type,
                                          true, &err),
                     UF_OK);
  return s;
}

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  uf_error err;
  uf_runtime_profile p = {0};
  p.threads = 1;
  if (f == NULL || uf_engine_open(&p, &f->e, &err) != UF_OK) return -1;
  exec_sql(f->e,
           "CREATE TABLE t (i INTEGER, b BIGINT, h HUGEINT, si SMALLINT, d DOUBLE, s VARCHAR, "
           "dt DATE, m DECIMAL(10,2), fl FLOAT[], dl DOUBLE[])");
  exec_sql(f->e, "INSERT INTO t VALUES (6, 8, 10, 3, 1.5, 'abd', DATE '2024-01-02', 2.50, "
                 "[1.0, 2.0], [3.0, 4.0])");
  exec_sql(f->e, "CREATE MACRO plus_one(x) AS x + 1");
  uf_catalog_options co = {.skip_settings = true};
  if (uf_catalog_snapshot(f->e, &co, &f->cat, &err) != UF_OK) return -1;
  f->plain = schema_of(f->cat);
  f->typed = schema_of(f->cat);
  uf_function_catalog fc;
  char id[UF_CATALOG_FUNCTIONS_ID];
  uf_catalog_function_catalog(f->cat, &fc);
  uf_catalog_functions_id(f->cat, id);
  if (uf_schema_set_functions(f->typed, &fc, id, &err) != UF_OK) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  uf_schema_free(f->plain);
  uf_schema_free(f->typed);
  uf_catalog_release(f->cat);
  uf_engine_close(f->e);
  free(f);
  return 0;
}

static uf_compiled_query *compile(const char *sql, const uf_schema *s) {
  uf_compiled_query *q = NULL;
  uf_error err;
  if (uf_compile_sql(sql, strlen(sql), NULL, s, NULL, &q, &err) != UF_OK)
    fail_msg("compile %s: %s", sql, err.message);
  return q;
}

/* The query's output types from the compile lane equal DuckDB's; without
 * the function catalog every column is UNKNOWN (the table does not know
 * these functions). */
static void same_as_duckdb(fx *f, const char *sql) {
  uf_compiled_query *q = compile(sql, f->typed);
  uf_compiled_query *bare = compile(sql, f->plain);
  uf_error err;
  uf_tree *t = NULL;
  uf_result_text *r = NULL;
  assert_int_equal(uf_parse_one(sql, strlen(sql), NULL, &t, &err), UF_OK);
  if (uf_engine_exec(f->e, uf_tree_root(t), &r, &err) != UF_OK)
    fail_msg("duckdb %s: %s", sql, err.message);
  if (q->artifacts.ncolumns != r->ncols) fail_msg("%s: %zu columns, duckdb %u", sql,
                                                  q->artifacts.ncolumns, r->ncols);
  for (size_t i = 0; i < r->ncols; i++) {
    if (strcmp(q->artifacts.columns[i].type, r->types[i]) != 0)
      fail_msg("%s: column %zu (%s): ours %s, duckdb %s", sql, i, q->artifacts.columns[i].name,
               q->artifacts.columns[i].type, r->types[i]);
    if (strcmp(bare->artifacts.columns[i].type, "UNKNOWN") != 0)
      fail_msg("%s: column %zu is %s without the catalog: pick a function the table lacks",
               sql, i, bare->artifacts.columns[i].type);
  }
  uf_result_text_free(r);
  uf_tree_free(t);
  uf_compiled_query_free(q);
  uf_compiled_query_free(bare);
}

static void test_unknown_to_table(void **state) {
  fx *f = *state;
  same_as_duckdb(f, "SELECT jaro_similarity(s, 'abc'), jaro_similarity(s, 'abc', 0.5), "
                    "to_base(i, 2), bit_count(si), factorial(5) FROM t");
  same_as_duckdb(f, "SELECT kurtosis(d), approx_count_distinct(s), entropy(i) FROM t");
  same_as_duckdb(f, "SELECT list_distance([1.0, 2.0], [2.0, 3.0]), "
                    "array_cosine_similarity([1.0, 2.0]::DOUBLE[2], [3.0, 4.0]::DOUBLE[2]) ");
}

/* The overload follows the argument types: exact first, then the cheapest
 * implicit cast (INTEGER -> BIGINT before HUGEINT, FLOAT[] -> DOUBLE[]). */
static void test_overloads(void **state) {
  fx *f = *state;
  same_as_duckdb(f, "SELECT xor(i, i), xor(b, b), xor(si, si), xor(h, h), xor(b, i), "
                    "xor(si, i) FROM t");
  same_as_duckdb(f, "SELECT gcd(i, 7), gcd(h, 7), gcd(si, si), gcd(NULL, NULL) FROM t");
  same_as_duckdb(f, "SELECT list_distance(fl, fl), list_distance(dl, dl), "
                    "list_distance(fl, dl) FROM t");
  /* the direct form, with argument types the query cannot show */
  const uf_type *args[2] = {uf_type_scalar(UF_T_UNKNOWN), uf_type_scalar(UF_T_UNKNOWN)};
  assert_null(uf_catalog_function_return_type(f->cat, "xor", args, 2)); /* a tie */
  assert_string_equal(uf_catalog_function_return_type(f->cat, "JARO_SIMILARITY", args, 2),
                      "DOUBLE");
  args[0] = args[1] = uf_type_scalar(UF_T_UTINYINT);
  assert_string_equal(uf_catalog_function_return_type(f->cat, "xor", args, 2), "UTINYINT");
  args[0] = uf_type_scalar(UF_T_BOOLEAN);
  assert_null(uf_catalog_function_return_type(f->cat, "xor", args, 2)); /* no match */
  assert_null(uf_catalog_function_return_type(f->cat, "xor", args, 1)); /* arity */
}

/* An unknown function and a user macro are UNKNOWN; compilation succeeds
 * (the macro query also runs). */
static void test_unknown_and_macro(void **state) {
  fx *f = *state;
  uf_compiled_query *q =
      compile("SELECT no_such_function(i), plus_one(i), bit_count(i) FROM t", f->typed);
  assert_int_equal(q->artifacts.ncolumns, 3);
  assert_string_equal(q->artifacts.columns[0].type, "UNKNOWN");
  assert_string_equal(q->artifacts.columns[1].type, "UNKNOWN");
  assert_string_equal(q->artifacts.columns[2].type, "TINYINT");
  uf_compiled_query_free(q);
  const uf_type *a = uf_type_scalar(UF_T_INTEGER);
  assert_null(uf_catalog_function_return_type(f->cat, "plus_one", &a, 1));
  uf_error err;
  uf_tree *t = NULL;
  uf_result_text *r = NULL;
  const char *sql = "SELECT plus_one(i) FROM t";
  assert_int_equal(uf_parse_one(sql, strlen(sql), NULL, &t, &err), UF_OK);
  assert_int_equal(uf_engine_exec(f->e, uf_tree_root(t), &r, &err), UF_OK);
  uf_result_text_free(r);
  uf_tree_free(t);
}

/* The functions are part of the schema's identity (compile cache keys). */
static void test_fingerprint(void **state) {
  fx *f = *state;
  char a[UF_FINGERPRINT_HEX], b[UF_FINGERPRINT_HEX];
  uf_error err;
  assert_int_equal(uf_schema_fingerprint(f->plain, a, &err), UF_OK);
  assert_int_equal(uf_schema_fingerprint(f->typed, b, &err), UF_OK);
  assert_string_not_equal(a, b);
  assert_non_null(uf_schema_functions(f->typed));
  assert_null(uf_schema_functions(f->plain));
  assert_int_equal(strncmp(uf_schema_functions_id(f->typed), "functions:", 10), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_unknown_to_table),
      cmocka_unit_test(test_overloads),
      cmocka_unit_test(test_unknown_and_macro),
      cmocka_unit_test(test_fingerprint),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
