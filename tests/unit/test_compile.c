/* The compile lane: policy defaults, JSON loading and fingerprint (every
 * field counts), compile of all 22 TPC-H queries against their schema
 * (columns, lineage, idempotence: compiling the compiled SQL gives the
 * same fingerprint), builder trees, scripts, validation on/off, the
 * compilation record, the compiled-query cache, the artifacts JSON shape,
 * and `unifier compile`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "unifier/compile.h"
#include "unifier/unifier.h"
#include "../support/support.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

static uf_schema *tpch_schema(void) {
  uf_schema *s = NULL;
  uf_error err;
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/tpch/schema.json", UF_SHARED_DIR);
  if (uf_schema_load_file(path, NULL, &s, &err) != UF_OK) fail_msg("%s: %s", path, err.message);
  return s;
}

static char *tpch_query(int i) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/tpch/queries/q%02d.sql", UF_SHARED_DIR, i);
  char *q = ut_read_file(path, NULL);
  if (q == NULL) fail_msg("cannot read %s", path);
  /* The fixture ends with ';' (and a newline): one statement. */
  return q;
}

static uf_compiled_query *compile_must(const char *sql, const uf_policy *p,
                                       const uf_schema *s) {
  uf_compiled_query *q = NULL;
  uf_error err;
  if (uf_compile_sql(sql, strlen(sql), p, s, NULL, &q, &err) != UF_OK)
    fail_msg("compile failed: %s\n%s\n%s", err.message, err.snippet, sql);
  return q;
}

/* -- policy ----------------------------------------------------------------- */

static void fp_of(const uf_policy *p, char out[UF_FINGERPRINT_HEX]) {
  assert_int_equal(uf_policy_fingerprint(p, out, NULL), UF_OK);
  assert_int_equal(strlen(out), 64);
}

static void test_policy_defaults(void **state) {
  (void)state;
  uf_policy p;
  uf_policy_default(&p);
  assert_ptr_equal(p.read, uf_dialect_duckdb());
  assert_ptr_equal(p.write, uf_dialect_duckdb());
  static const char *const pinned[] = {
      "qualify",           "normalize_identifiers", "normalize",
      "unnest_subqueries", "pushdown_predicates",   "optimize_joins",
      "eliminate_joins",   "eliminate_ctes",        "pushdown_projections",
      "eliminate_subqueries", "merge_subqueries",   "annotate_types",
      "canonicalize",      "simplify"};
  assert_int_equal(p.nrules, sizeof pinned / sizeof *pinned);
  for (size_t i = 0; i < p.nrules; i++) assert_string_equal(p.rules[i], pinned[i]);
  assert_true(p.validate);
  char *text = NULL;
  assert_int_equal(uf_policy_canonical(&p, &text, NULL), UF_OK);
  assert_non_null(strstr(text, "fingerprint_version=2\n"));
  assert_non_null(strstr(text, "rules=qualify,normalize_identifiers,normalize,"
                               "unnest_subqueries,pushdown_predicates,optimize_joins,"
                               "eliminate_joins,eliminate_ctes,pushdown_projections,"
                               "eliminate_subqueries,merge_subqueries,annotate_types,"
                               "canonicalize,simplify\n"));
  uf_free(text);
  char a[UF_FINGERPRINT_HEX], b[UF_FINGERPRINT_HEX];
  fp_of(&p, a);
  uf_policy q;
  uf_policy_default(&q);
  fp_of(&q, b);
  assert_string_equal(a, b); /* deterministic */
}

/* Each mutation of one field must change the fingerprint, and all the
 * fingerprints must differ from each other. */
static void test_policy_fingerprint_fields(void **state) {
  (void)state;
  enum { N = 12 };
  char fps[N][UF_FINGERPRINT_HEX];
  for (int i = 0; i < N; i++) {
    uf_policy p;
    uf_policy_default(&p);
    switch (i) {
      case 0: break;
      case 1: p.read = uf_dialect_postgres(); break;
      case 2: p.write = uf_dialect_postgres(); break;
      case 3: p.identify = UF_IDENTIFY_ALWAYS; break;
      case 4: p.validate = false; break;
      case 5: p.normalize_max_distance = 64; break;
      case 6: p.pushdown_predicates = false; break;
      case 7: p.pushdown_projections = false; break;
      case 8: p.pretty = true; break;
      case 9: p.nrules = 2; break; /* annotate_types dropped */
      case 10: {                   /* same rules, another order */
        const char *r[] = {"normalize_identifiers", "qualify", "annotate_types"};
        assert_int_equal(uf_policy_set_rules(&p, r, 3, NULL), UF_OK);
        break;
      }
      case 11: p.nrules = 0; break;
    }
    fp_of(&p, fps[i]);
    for (int j = 0; j < i; j++)
      if (strcmp(fps[i], fps[j]) == 0) fail_msg("policy variants %d and %d share a fingerprint", i, j);
  }
}

static void test_policy_json(void **state) {
  (void)state;
  uf_policy p;
  uf_policy_default(&p);
  const char *doc =
      "{\"read\": \"postgres\", \"write\": \"duckdb\", \"rules\": [\"qualify\", "
      "\"annotate_types\"], \"identify\": \"always\", \"validate\": false, "
      "\"normalize_max_distance\": 7, \"pushdown_predicates\": false, "
      "\"pushdown_projections\": true, \"pretty\": true}";
  uf_error err;
  assert_int_equal(uf_policy_load_json(&p, doc, strlen(doc), &err), UF_OK);
  assert_ptr_equal(p.read, uf_dialect_postgres());
  assert_int_equal(p.nrules, 2);
  assert_string_equal(p.rules[1], "annotate_types");
  assert_int_equal(p.identify, UF_IDENTIFY_ALWAYS);
  assert_false(p.validate);
  assert_int_equal(p.normalize_max_distance, 7);
  assert_false(p.pushdown_predicates);
  assert_true(p.pretty);
  /* Failures leave the policy unchanged and say what is wrong. */
  static const char *const bad[][2] = {
      {"{\"rules\": [\"qualify\", \"frobnicate\"]}", "frobnicate"},
      {"{\"rules\": [\"qualify\", \"qualify\"]}", "twice"},
      {"{\"colour\": 1}", "colour"},
      {"{\"validate\": 1}", "validate"},
      {"{\"read\": \"oracle\"}", "read"},
      {"{\"normalize_max_distance\": -1}", "normalize_max_distance"},
      {"[1]", "object"},
      {"{", "policy"}};
  uf_policy before = p;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    uf_status st = uf_policy_load_json(&p, bad[i][0], strlen(bad[i][0]), &err);
    if (st != UF_INVALID_ARGUMENT || !strstr(err.message, bad[i][1]))
      fail_msg("policy %s: status %s, message %s", bad[i][0], uf_status_name(st), err.message);
    assert_memory_equal(&p, &before, sizeof p);
  }
}

/* -- TPC-H ---------------------------------------------------------------- */

static void test_tpch_compile_idempotent(void **state) {
  (void)state;
  uf_schema *s = tpch_schema();
  size_t ok = 0;
  for (int i = 1; i <= 22; i++) {
    char *sql = tpch_query(i);
    uf_compiled_query *q = compile_must(sql, NULL, s);
    uf_compiled_query *q2 = compile_must(q->sql, NULL, s);
    if (strcmp(q->artifacts.fingerprint, q2->artifacts.fingerprint) != 0 ||
        strcmp(q->sql, q2->sql) != 0)
      printf("q%02d not idempotent:\n  %s\n  %s\n", i, q->sql, q2->sql);
    else ok++;
    /* Every query has typed output columns and lineage for each. */
    assert_true(q->artifacts.typed);
    assert_true(q->artifacts.ncolumns > 0);
    assert_null(q->artifacts.lineage_json); /* made on first use */
    const char *lj = NULL, *pj = NULL;
    assert_int_equal(uf_compiled_query_lineage(q, s, &lj, &pj, NULL), UF_OK);
    assert_non_null(lj);
    assert_non_null(pj);
    assert_ptr_equal(lj, q->artifacts.lineage_json);
    json_t *l = json_loads(lj, 0, NULL);
    assert_non_null(l);
    assert_int_equal(json_object_size(l), q->artifacts.ncolumns);
    json_decref(l);
    assert_int_equal(q->artifacts.nissues, 0);
    /* The input fingerprint of SQL text is made on demand from the kept
     * source: the same as fingerprinting the parsed input at once. */
    assert_string_equal(q->artifacts.input_fingerprint, "");
    const char *in_fp = NULL, *key = NULL;
    assert_int_equal(uf_compiled_query_input_fingerprint(q, &in_fp, NULL), UF_OK);
    assert_ptr_equal(in_fp, q->artifacts.input_fingerprint);
    assert_string_not_equal(in_fp, q->artifacts.fingerprint);
    uf_tree *parsed = ut_parse_must(sql, NULL);
    char direct[UF_FINGERPRINT_HEX];
    assert_int_equal(uf_fingerprint_hex(uf_tree_root(parsed), NULL, direct, NULL), UF_OK);
    assert_string_equal(in_fp, direct);
    uf_compiled_query *from_tree = NULL;
    assert_int_equal(uf_compile_ast(uf_tree_root(parsed), NULL, s, NULL, &from_tree, NULL), UF_OK);
    assert_string_equal(from_tree->artifacts.input_fingerprint, direct);
    assert_int_equal(uf_compiled_query_cache_key(q, &key, NULL), UF_OK);
    assert_string_equal(key, from_tree->artifacts.cache_key);
    assert_int_equal(strlen(key), 64);
    uf_compiled_query_free(from_tree);
    uf_tree_free(parsed);
    uf_compiled_query_free(q);
    uf_compiled_query_free(q2);
    free(sql);
  }
  printf("[compile] TPC-H idempotent: %zu/22\n", ok);
  assert_int_equal(ok, 22);
  uf_schema_free(s);
}

/* q01's output columns as DuckDB types them (schema: decimal -> DOUBLE
 * here since schema.json says double). */
static void test_tpch_columns(void **state) {
  (void)state;
  uf_schema *s = tpch_schema();
  char *sql = tpch_query(1);
  uf_compiled_query *q = compile_must(sql, NULL, s);
  static const char *const names[] = {"l_returnflag", "l_linestatus", "sum_qty",
                                      "sum_base_price", "sum_disc_price", "sum_charge",
                                      "avg_qty", "avg_price", "avg_disc", "count_order"};
  assert_int_equal(q->artifacts.ncolumns, 10);
  for (size_t i = 0; i < 10; i++) assert_string_equal(q->artifacts.columns[i].name, names[i]);
  assert_string_equal(q->artifacts.columns[9].type, "BIGINT");
  assert_string_equal(q->artifacts.columns[0].type, "VARCHAR");
  uf_compiled_query_free(q);
  free(sql);
  uf_schema_free(s);
}

/* -- other inputs -------------------------------------------------------------- */

static void test_compile_ast_copies(void **state) {
  (void)state;
  uf_tree *t = ut_parse_must("SELECT A, b FROM T WHERE c > 1", NULL);
  const uf_node *root = uf_tree_root(t);
  char before[UF_FINGERPRINT_HEX];
  assert_int_equal(uf_fingerprint_hex(root, NULL, before, NULL), UF_OK);
  uf_compiled_query *q = NULL;
  assert_int_equal(uf_compile_ast(root, NULL, NULL, NULL, &q, NULL), UF_OK);
  assert_string_equal(q->sql, "SELECT t.a AS a, t.b AS b FROM t AS t WHERE t.c > 1");
  assert_string_equal(q->artifacts.input_fingerprint, before);
  char after[UF_FINGERPRINT_HEX];
  assert_int_equal(uf_fingerprint_hex(root, NULL, after, NULL), UF_OK);
  assert_string_equal(before, after); /* the source tree is untouched */
  uf_tree_free(t);                     /* q owns its own copy */
  assert_null(q->artifacts.ast_json); /* made on first use */
  const char *json = NULL;
  assert_int_equal(uf_compiled_query_ast_json(q, &json, NULL, NULL), UF_OK);
  assert_ptr_equal(json, q->artifacts.ast_json);
  assert_non_null(strstr(json, "\"select\""));
  uf_compiled_query_free(q);
}

static void test_compile_script(void **state) {
  (void)state;
  const char *sql = "SELECT 1 AS x; SELECT y FROM t; CREATE TABLE u AS SELECT 2 AS z";
  uf_compiled_query **qs = NULL;
  size_t n = 0;
  uf_error err;
  assert_int_equal(uf_compile_script(sql, strlen(sql), NULL, NULL, NULL, &qs, &n, &err), UF_OK);
  assert_int_equal(n, 3);
  assert_string_equal(qs[0]->sql, "SELECT 1 AS x");
  assert_string_equal(qs[1]->sql, "SELECT t.y AS y FROM t AS t");
  assert_string_equal(qs[2]->sql, "CREATE TABLE u AS SELECT 2 AS z");
  uf_compiled_queries_free(qs, n);
  /* A failing statement fails the script, nothing is returned. */
  const char *bad = "SELECT 1; SELECT FROM FROM";
  assert_int_equal(uf_compile_script(bad, strlen(bad), NULL, NULL, NULL, &qs, &n, &err), UF_SYNTAX);
  assert_null(qs);
  assert_int_equal(n, 0);
}

static void test_validation(void **state) {
  (void)state;
  uf_schema *s = tpch_schema();
  const char *sql = "SELECT nope, l_orderkey FROM lineitem";
  uf_compiled_query *q = NULL;
  uf_error err;
  assert_int_equal(uf_compile_sql(sql, strlen(sql), NULL, s, NULL, &q, &err), UF_SEMANTIC);
  assert_null(q);
  assert_int_equal(err.line, 1);
  assert_int_equal(err.column, 8);
  assert_non_null(strstr(err.message, "nope"));
  /* Validation off: compiled, with the issue as an artifact. */
  uf_policy p;
  uf_policy_default(&p);
  p.validate = false;
  assert_int_equal(uf_compile_sql(sql, strlen(sql), &p, s, NULL, &q, &err), UF_OK);
  assert_int_equal(q->artifacts.nissues, 1);
  assert_int_equal(q->artifacts.issues[0].kind, UF_ISSUE_UNKNOWN_COLUMN);
  assert_string_equal(q->artifacts.issues[0].name, "nope");
  char *json = NULL;
  assert_int_equal(uf_compiled_query_json(q, s, &json, NULL, &err), UF_OK);
  json_t *j = json_loads(json, 0, NULL);
  json_t *errors = json_object_get(j, "errors");
  assert_int_equal(json_array_size(errors), 1);
  assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "kind")),
                      "unknown_column");
  json_decref(j);
  uf_free(json);
  uf_compiled_query_free(q);
  uf_schema_free(s);
}

static void test_policy_shapes_output(void **state) {
  (void)state;
  uf_policy p;
  uf_policy_default(&p);
  p.identify = UF_IDENTIFY_ALWAYS;
  uf_compiled_query *q = compile_must("SELECT a FROM t", &p, NULL);
  assert_string_equal(q->sql, "SELECT \"t\".\"a\" AS \"a\" FROM \"t\" AS \"t\"");
  uf_compiled_query_free(q);
  /* Without qualify, the query is only normalized. */
  const char *only[] = {"normalize_identifiers"};
  uf_policy_default(&p);
  assert_int_equal(uf_policy_set_rules(&p, only, 1, NULL), UF_OK);
  q = compile_must("SELECT A FROM T", &p, NULL);
  assert_string_equal(q->sql, "SELECT a FROM t");
  assert_false(q->artifacts.typed);
  assert_int_equal(q->artifacts.ntimings, 4);
  static const char *const steps[] = {"parse", "normalize_identifiers", "render", "artifacts"};
  for (size_t i = 0; i < 4; i++) {
    assert_string_equal(q->artifacts.timings[i].rule, steps[i]);
    assert_true(q->artifacts.timings[i].ms >= 0);
  }
  uf_compiled_query_free(q);
}

/* -- artifacts, diagnostics, cache ----------------------------------------------- */

static void test_artifacts_json_shape(void **state) {
  (void)state;
  uf_schema *s = tpch_schema();
  uf_compiled_query *q = compile_must(
      "SELECT n_name, count(*) AS c FROM nation JOIN region ON n_regionkey = r_regionkey "
      "WHERE r_name = 'ASIA' GROUP BY n_name", NULL, s);
  char *text = NULL;
  size_t len = 0;
  assert_int_equal(uf_compiled_query_json(q, s, &text, &len, NULL), UF_OK);
  assert_int_equal(strlen(text), len);
  assert_null(strchr(text, '\n'));
  json_error_t jerr;
  json_t *j = json_loads(text, 0, &jerr);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(j, "sql")), q->sql);
  assert_string_equal(json_string_value(json_object_get(j, "fingerprint")), q->artifacts.fingerprint);
  assert_string_equal(json_string_value(json_object_get(j, "policy_fingerprint")),
                      q->artifacts.policy_fingerprint);
  json_t *cols = json_object_get(j, "columns");
  assert_int_equal(json_array_size(cols), 2);
  assert_string_equal(json_string_value(json_array_get(json_array_get(cols, 0), 0)), "n_name");
  assert_string_equal(json_string_value(json_array_get(json_array_get(cols, 1), 1)), "BIGINT");
  json_t *lin = json_object_get(j, "lineage");
  json_t *n = json_object_get(lin, "n_name");
  assert_int_equal(json_array_size(n), 1);
  assert_string_equal(json_string_value(json_array_get(json_array_get(n, 0), 0)), "nation");
  assert_string_equal(json_string_value(json_array_get(json_array_get(n, 0), 1)), "n_name");
  assert_true(json_is_array(json_object_get(j, "errors")));
  json_t *tm = json_object_get(j, "timings");
  assert_non_null(json_object_get(tm, "qualify"));
  assert_non_null(json_object_get(tm, "annotate_types"));
  assert_non_null(json_object_get(tm, "render"));
  json_decref(j);
  uf_free(text);
  /* The serde artifact loads back into the final AST. */
  uf_tree *back = NULL;
  const char *json = NULL;
  size_t json_len = 0;
  assert_int_equal(uf_compiled_query_ast_json(q, &json, &json_len, NULL), UF_OK);
  assert_int_equal(json_len, q->artifacts.ast_json_len);
  assert_int_equal(uf_serde_load(json, json_len, &back, NULL), UF_OK);
  assert_true(uf_node_equal(uf_tree_root(back), q->ast, true));
  uf_tree_free(back);
  uf_compiled_query_free(q);
  uf_schema_free(s);
}

static void test_compilation_record(void **state) {
  (void)state;
  uf_recorder *r = NULL;
  uf_diag_sink *sink = NULL;
  assert_int_equal(uf_recorder_new(&r, NULL), UF_OK);
  assert_int_equal(uf_diag_memory_sink_new(&sink, NULL), UF_OK);
  assert_int_equal(uf_recorder_add_sink(r, sink, true, NULL), UF_OK);
  uf_compiled_query *q = NULL;
  assert_int_equal(uf_compile_sql("SELECT 1 AS one", 15, NULL, NULL, r, &q, NULL), UF_OK);
  uf_compiled_query_free(q);
  uf_error err;
  assert_int_equal(uf_compile_sql("SELECT FROM", 11, NULL, NULL, r, &q, &err), UF_SYNTAX);
  assert_int_equal(uf_diag_memory_count(sink), 2);
  const char *ok = uf_diag_memory_json(sink, 0);
  assert_string_equal(uf_diag_memory_type(sink, 0), "compilation");
  assert_non_null(strstr(ok, "\"sql\":\"SELECT 1 AS one\""));
  assert_non_null(strstr(ok, "\"dialect\":\"duckdb\""));
  char pfp[UF_FINGERPRINT_HEX];
  uf_policy p;
  uf_policy_default(&p);
  fp_of(&p, pfp);
  assert_non_null(strstr(ok, pfp));
  const char *bad = uf_diag_memory_json(sink, 1);
  assert_non_null(strstr(bad, "\"error_code\":\"SYNTAX\""));
  uf_recorder_free(r);
}

static void test_cache(void **state) {
  (void)state;
  uf_schema *s = tpch_schema();
  uf_compile_cache *c = NULL;
  assert_int_equal(uf_compile_cache_new(4, &c, NULL), UF_OK);
  const uf_compiled_query *a = NULL, *b = NULL;
  bool hit = true;
  const char *q1 = "SELECT n_name FROM nation";
  assert_int_equal(uf_compile_cache_sql(c, q1, strlen(q1), NULL, s, NULL, &a, &hit, NULL), UF_OK);
  assert_false(hit);
  /* Same meaning, other spelling: same input fingerprint, a hit. */
  const char *q1b = "select  N_NAME\nfrom nation -- c";
  assert_int_equal(uf_compile_cache_sql(c, q1b, strlen(q1b), NULL, s, NULL, &b, &hit, NULL), UF_OK);
  assert_true(hit);
  assert_ptr_equal(a, b);
  /* Another policy: a miss. */
  uf_policy p;
  uf_policy_default(&p);
  p.pretty = true;
  assert_int_equal(uf_compile_cache_sql(c, q1, strlen(q1), &p, s, NULL, &b, &hit, NULL), UF_OK);
  assert_false(hit);
  assert_string_not_equal(a->artifacts.cache_key, b->artifacts.cache_key);
  /* Another schema: a miss. */
  uf_schema *s2 = NULL;
  const char *doc = "{\"nation\": {\"n_name\": \"varchar\"}}";
  assert_int_equal(uf_schema_load_json(doc, strlen(doc), NULL, &s2, NULL), UF_OK);
  assert_int_equal(uf_compile_cache_sql(c, q1, strlen(q1), NULL, s2, NULL, &b, &hit, NULL), UF_OK);
  assert_false(hit);
  /* No schema: a miss too. */
  assert_int_equal(uf_compile_cache_sql(c, q1, strlen(q1), NULL, NULL, NULL, &b, &hit, NULL), UF_OK);
  assert_false(hit);
  assert_int_equal(uf_compile_cache_hits(c), 1);
  assert_int_equal(uf_compile_cache_misses(c), 4);
  /* Capacity 4: the first entry was evicted by now. */
  assert_int_equal(uf_compile_cache_sql(c, "SELECT 1", 8, NULL, NULL, NULL, &b, &hit, NULL), UF_OK);
  assert_int_equal(uf_compile_cache_sql(c, q1, strlen(q1), NULL, s, NULL, &b, &hit, NULL), UF_OK);
  assert_false(hit);
  /* The cache records its accesses. */
  uf_recorder *r = NULL;
  uf_diag_sink *sink = NULL;
  assert_int_equal(uf_recorder_new(&r, NULL), UF_OK);
  assert_int_equal(uf_diag_memory_sink_new(&sink, NULL), UF_OK);
  assert_int_equal(uf_recorder_add_sink(r, sink, true, NULL), UF_OK);
  assert_int_equal(uf_compile_cache_sql(c, q1, strlen(q1), NULL, s, r, &b, &hit, NULL), UF_OK);
  assert_true(hit);
  size_t i = uf_diag_memory_find(sink, 0, UF_DIAG_ARTIFACT, "cache");
  assert_true(i != (size_t)-1);
  assert_non_null(strstr(uf_diag_memory_json(sink, i), "\"hit\":true"));
  uf_recorder_free(r);
  uf_compile_cache_free(c);
  uf_schema_free(s2);
  uf_schema_free(s);
}

/* The schema fingerprint is kept in the schema; every change drops it. */
static void test_schema_fingerprint_cached(void **state) {
  (void)state;
  uf_schema *s = NULL;
  const char *doc = "{\"nation\": {\"n_name\": \"varchar\"}}";
  assert_int_equal(uf_schema_load_json(doc, strlen(doc), NULL, &s, NULL), UF_OK);
  char a[UF_FINGERPRINT_HEX], b[UF_FINGERPRINT_HEX], c[UF_FINGERPRINT_HEX];
  assert_int_equal(uf_schema_fingerprint(s, a, NULL), UF_OK);
  assert_int_equal(uf_schema_fingerprint(s, b, NULL), UF_OK);
  assert_string_equal(a, b);
  const uf_schema_table *t = NULL;
  assert_int_equal(uf_schema_find_table(s, NULL, NULL, "nation", &t, NULL), UF_OK);
  assert_int_equal(uf_schema_add_column(s, t, "n_comment", false, "varchar", true, NULL), UF_OK);
  assert_int_equal(uf_schema_fingerprint(s, b, NULL), UF_OK);
  assert_string_not_equal(a, b);
  assert_int_equal(uf_schema_add_table(s, NULL, NULL, "region", false, NULL, NULL), UF_OK);
  assert_int_equal(uf_schema_fingerprint(s, c, NULL), UF_OK);
  assert_string_not_equal(b, c);
  assert_int_equal(uf_schema_set_default(s, "memory", "main", NULL), UF_OK);
  assert_int_equal(uf_schema_fingerprint(s, b, NULL), UF_OK);
  assert_string_not_equal(b, c);
  /* A fresh schema of the same content hashes alike (nothing stale). */
  uf_schema *s2 = NULL;
  const char *doc2 = "{\"nation\": {\"n_name\": \"varchar\", \"n_comment\": \"varchar\"},"
                     " \"region\": {}}";
  assert_int_equal(uf_schema_load_json(doc2, strlen(doc2), NULL, &s2, NULL), UF_OK);
  assert_int_equal(uf_schema_set_default(s2, "memory", "main", NULL), UF_OK);
  assert_int_equal(uf_schema_fingerprint(s2, c, NULL), UF_OK);
  assert_string_equal(b, c);
  uf_schema_free(s2);
  uf_schema_free(s);
}

/* -- the CLI ------------------------------------------------------------------ */

static void test_cli_compile(void **state) {
  (void)state;
  char dir[256];
  assert_true(ut_mkdtemp(dir, sizeof dir, "uf_compile"));
  char schema[1024];
  snprintf(schema, sizeof schema, "%s/corpora/tpch/schema.json", UF_SHARED_DIR);
  const char *in = ut_path(dir, "in.sql");
  ut_write_file(in, "SELECT N_NAME FROM nation;\nSELECT r_name, 1 AS one FROM region");
  ut_result r = ut_run_cli(dir, NULL, UT_ARGS("compile", "--schema", schema, in));
  ut_expect_exit(&r, 0, "compile");
  assert_string_equal(r.out,
                      "SELECT nation.n_name AS n_name FROM nation AS nation;\n"
                      "SELECT region.r_name AS r_name, 1 AS one FROM region AS region;\n");
  ut_result_free(&r);
  r = ut_run_cli(dir, NULL, UT_ARGS("compile", "--json", "--schema", schema, in));
  ut_expect_exit(&r, 0, "compile --json");
  char *line2 = strchr(r.out, '\n');
  assert_non_null(line2);
  *line2++ = '\0';
  json_t *j = json_loads(line2, 0, NULL);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(j, "sql")),
                      "SELECT region.r_name AS r_name, 1 AS one FROM region AS region");
  json_t *cols = json_object_get(j, "columns");
  assert_string_equal(json_string_value(json_array_get(json_array_get(cols, 1), 1)), "INTEGER");
  assert_int_equal(json_array_size(json_object_get(json_object_get(j, "lineage"), "r_name")), 1);
  json_decref(j);
  ut_result_free(&r);
  /* A policy file (pretty, always quote) and an unknown column. */
  const char *pol = ut_path(dir, "policy.json");
  ut_write_file(pol, "{\"identify\": \"always\"}");
  ut_write_file(in, "SELECT n_name FROM nation");
  r = ut_run_cli(dir, NULL, UT_ARGS("compile", "--policy-file", pol, in));
  ut_expect_exit(&r, 0, "compile --policy-file");
  assert_string_equal(r.out, "SELECT \"nation\".\"n_name\" AS \"n_name\" FROM \"nation\" AS \"nation\";\n");
  ut_result_free(&r);
  ut_write_file(pol, "{\"rules\": [\"nope\"]}");
  r = ut_run_cli(dir, NULL, UT_ARGS("compile", "--policy-file", pol, in));
  ut_expect_exit(&r, 2, "bad policy file");
  assert_non_null(strstr(r.err, "unknown rule 'nope'"));
  ut_result_free(&r);
  ut_write_file(in, "SELECT nope FROM nation;\nSELECT 1");
  r = ut_run_cli(dir, NULL, UT_ARGS("compile", "--json", "--keep-going", "--schema", schema, in));
  ut_expect_exit(&r, 1, "unknown column");
  assert_non_null(strstr(r.out, "\"sql\":null"));
  assert_non_null(strstr(r.out, "\"kind\":\"SEMANTIC\""));
  assert_non_null(strstr(r.out, "\"sql\":\"SELECT 1"));
  assert_non_null(strstr(r.err, ":1:8:"));
  ut_result_free(&r);
  /* --source: the engine infers the schema of a file. */
  char source[1200];
  snprintf(source, sizeof source, "nation=%s/corpora/tpch/data/nation.csv.gz", UF_SHARED_DIR);
  ut_write_file(in, "SELECT * FROM nation WHERE n_regionkey = 1");
  r = ut_run_cli(dir, NULL, UT_ARGS("compile", "--json", "--source", source, in));
  ut_expect_exit(&r, 0, "compile --source");
  j = json_loads(r.out, 0, NULL);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(j, "sql")),
                      "SELECT nation.n_nationkey AS n_nationkey, nation.n_name AS n_name, "
                      "nation.n_regionkey AS n_regionkey, nation.n_comment AS n_comment "
                      "FROM nation AS nation WHERE nation.n_regionkey = 1");
  cols = json_object_get(j, "columns");
  assert_string_equal(json_string_value(json_array_get(json_array_get(cols, 0), 1)), "BIGINT");
  json_decref(j);
  ut_result_free(&r);
  r = ut_run_cli(dir, NULL, UT_ARGS("compile", "--source", "nation=/nonexistent/n.csv", in));
  ut_expect_exit(&r, 2, "missing --source file");
  ut_result_free(&r);
  ut_rm_rf(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_policy_defaults),
      cmocka_unit_test(test_policy_fingerprint_fields),
      cmocka_unit_test(test_policy_json),
      cmocka_unit_test(test_tpch_compile_idempotent),
      cmocka_unit_test(test_tpch_columns),
      cmocka_unit_test(test_compile_ast_copies),
      cmocka_unit_test(test_compile_script),
      cmocka_unit_test(test_validation),
      cmocka_unit_test(test_policy_shapes_output),
      cmocka_unit_test(test_artifacts_json_shape),
      cmocka_unit_test(test_compilation_record),
      cmocka_unit_test(test_cache),
      cmocka_unit_test(test_schema_fingerprint_cached),
      cmocka_unit_test(test_cli_compile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
