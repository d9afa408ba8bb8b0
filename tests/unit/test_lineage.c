/* Column lineage: every output column of the 22 TPC-H queries against the
 * hand-written tests/golden/tpch_lineage.json (sources and predicates),
 * SQLGlot's lineage behaviours as cases of our own (CTEs, UNION, stars,
 * unnest/table functions, scalar subqueries, windows, CASE, reused aliases,
 * self-joins, join/filter predicates), the result API, and the `unifier
 * lineage` command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "unifier/opt.h"
#include "unifier/schema.h"
#include "unifier/sql.h"
#include "../support/support.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif
#ifndef UF_SOURCE_DIR
#define UF_SOURCE_DIR "."
#endif
#define TPCH_DIR UF_SHARED_DIR "/corpora/tpch"

/* The schema of the behaviour cases. */
static const char *CASE_SCHEMA =
    "{\"t\": {\"a\": \"int\", \"b\": \"int\", \"c\": \"int\"},"
    " \"u\": {\"a\": \"int\", \"d\": \"int\", \"arr\": \"int[]\"}}";

static uf_schema *schema_from(const char *json) {
  uf_schema *s = NULL;
  uf_error err;
  if (uf_schema_load_json(json, strlen(json), NULL, &s, &err) != UF_OK)
    fail_msg("schema: %s", err.message);
  return s;
}

/* Parses, qualifies (partial: unknown tables allowed) and computes the
 * lineage of sql; fails the test naming sql on error. */
static uf_lineage_result *lineage_of(const char *sql, const uf_schema *s) {
  uf_tree *t = ut_parse_must(sql, NULL);
  uf_qualify_options o = {.allow_partial = true, .sql = sql,
                          .sql_len = strlen(sql)};
  uf_node *root = NULL;
  uf_error err;
  if (uf_qualify(t, uf_tree_root(t), s, &o, &root, NULL, &err) != UF_OK)
    fail_msg("qualify: %s\n%s", err.message, sql);
  uf_lineage_result *r = NULL;
  if (uf_lineage(root, s, &r, &err) != UF_OK)
    fail_msg("lineage: %s\n%s", err.message, sql);
  uf_tree_free(t);
  return r;
}

static char *part_json(const uf_lineage_result *r, uf_lineage_part p,
                       const char *col) {
  char *j = NULL;
  uf_error err;
  assert_int_equal(uf_lineage_json(r, p, col, &j, NULL, &err), UF_OK);
  return j;
}

/* -- TPC-H against the hand-written expectation ------------------------------ */

static char *tpch_sql(int q) {
  char path[512];
  snprintf(path, sizeof path, TPCH_DIR "/queries/q%02d.sql", q);
  char *sql = ut_read_file(path, NULL);
  if (!sql) fail_msg("cannot read %s", path);
  return sql;
}

/* The pairs of one column as a JSON array (new reference). */
static json_t *pairs_json(const uf_lineage_source *v, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(a, json_pack("[ss]", v[i].table, v[i].column));
  return a;
}

/* Compares one query; returns the number of mismatching columns. */
static int check_tpch_query(int q, const uf_schema *s, json_t *want) {
  char *sql = tpch_sql(q);
  uf_tree *t = ut_parse_must(sql, NULL);
  uf_qualify_options o = {.validate = true, .sql = sql, .sql_len = strlen(sql)};
  uf_node *root = NULL;
  uf_error err;
  if (uf_qualify(t, uf_tree_root(t), s, &o, &root, NULL, &err) != UF_OK)
    fail_msg("q%02d: qualify: %s\n%s", q, err.message, sql);
  uf_lineage_result *r = NULL;
  if (uf_lineage(root, s, &r, &err) != UF_OK)
    fail_msg("q%02d: lineage: %s", q, err.message);
  json_t *ws = json_object_get(want, "sources");
  json_t *wp = json_object_get(want, "predicates");
  int bad = 0;
  if (uf_lineage_count(r) != json_object_size(ws)) {
    printf("q%02d: %zu output columns, expected %zu\n%s\n", q,
           uf_lineage_count(r), json_object_size(ws), sql);
    bad++;
  }
  /* outputs in order, each with its sources and predicates */
  const char *key;
  json_t *val;
  size_t i = 0;
  json_object_foreach(ws, key, val) {
    const uf_lineage_column *c = uf_lineage_column_at(r, i++);
    if (!c || strcmp(c->name, key)) {
      printf("q%02d: output %zu is %s, expected %s\n", q, i - 1,
             c ? c->name : "(none)", key);
      bad++;
      continue;
    }
    json_t *got_s = pairs_json(c->sources, c->nsources);
    json_t *got_p = pairs_json(c->predicates, c->npredicates);
    json_t *want_p = json_object_get(wp, key);
    if (!want_p) want_p = json_object_get(wp, "*");
    const struct {
      const char *what;
      json_t *got, *want;
    } parts[] = {{"sources", got_s, val}, {"predicates", got_p, want_p}};
    for (int k = 0; k < 2; k++) {
      if (json_equal(parts[k].got, parts[k].want)) continue;
      char *g = json_dumps(parts[k].got, JSON_COMPACT);
      char *w = json_dumps(parts[k].want, JSON_COMPACT);
      printf("q%02d %s %s:\n  got  %s\n  want %s\n", q, key, parts[k].what, g,
             w ? w : "(missing)");
      free(g);
      free(w);
      bad++;
    }
    json_decref(got_s);
    json_decref(got_p);
  }
  if (bad) printf("-- q%02d --\n%s\n", q, sql);
  uf_lineage_free(r);
  uf_tree_free(t);
  free(sql);
  return bad;
}

static void test_tpch(void **state) {
  (void)state;
  uf_schema *s = NULL;
  uf_error err;
  if (uf_schema_load_file(TPCH_DIR "/schema.json", NULL, &s, &err) != UF_OK)
    fail_msg("schema: %s", err.message);
  json_error_t je;
  json_t *golden = json_load_file(UF_SOURCE_DIR "/tests/golden/tpch_lineage.json", 0, &je);
  if (!golden) fail_msg("golden: %s (line %d)", je.text, je.line);
  int bad = 0, columns = 0;
  for (int q = 1; q <= 22; q++) {
    char key[8];
    snprintf(key, sizeof key, "q%02d", q);
    json_t *want = json_object_get(golden, key);
    if (!want) fail_msg("golden file lacks %s", key);
    columns += (int)json_object_size(json_object_get(want, "sources"));
    bad += check_tpch_query(q, s, want);
  }
  printf("# tpch lineage: %d output columns checked, %d mismatches\n", columns, bad);
  json_decref(golden);
  uf_schema_free(s);
  assert_int_equal(bad, 0);
}

/* -- behaviours --------------------------------------------------------------- */

typedef struct lcase {
  const char *title, *sql;
  const char *column;  /* output column checked */
  const char *sources; /* uf_lineage_json of that column */
  const char *preds;   /* NULL: not checked */
} lcase;

static const lcase CASES[] = {
    {"through a CTE", "WITH c AS (SELECT a + b AS s FROM t WHERE c > 0) SELECT s FROM c",
     "s", "{\"s\": [[\"t\", \"a\"], [\"t\", \"b\"]]}", "{\"s\": [[\"t\", \"c\"]]}"},
    {"UNION: both branches per position", "SELECT a FROM t UNION ALL SELECT d FROM u",
     "a", "{\"a\": [[\"t\", \"a\"], [\"u\", \"d\"]]}", "{\"a\": []}"},
    {"UNION inside a CTE", "WITH x AS (SELECT b FROM t UNION SELECT a FROM u WHERE d = 1) SELECT b FROM x",
     "b", "{\"b\": [[\"t\", \"b\"], [\"u\", \"a\"]]}", "{\"b\": [[\"u\", \"d\"]]}"},
    {"UNION BY NAME", "SELECT a, b FROM t UNION BY NAME SELECT d AS b, a FROM u",
     "b", "{\"b\": [[\"t\", \"b\"], [\"u\", \"d\"]]}", NULL},
    {"star expansion", "SELECT * FROM t", "b", "{\"b\": [[\"t\", \"b\"]]}", NULL},
    {"qualified star through a CTE", "WITH x AS (SELECT * FROM u) SELECT x.* FROM x",
     "d", "{\"d\": [[\"u\", \"d\"]]}", NULL},
    {"star over a join", "SELECT * FROM t JOIN u ON t.a = u.a", "d",
     "{\"d\": [[\"u\", \"d\"]]}", "{\"d\": [[\"t\", \"a\"], [\"u\", \"a\"]]}"},
    {"unnest passes its argument on", "SELECT e FROM u, UNNEST(u.arr) AS w(e)",
     "e", "{\"e\": [[\"u\", \"arr\"]]}", NULL},
    {"a table function reading nothing is a source", "SELECT r FROM range(3) AS g(r)",
     "r", "{\"r\": [[\"range(3)\", \"r\"]]}", NULL},
    {"scalar subquery in SELECT",
     "SELECT a, (SELECT max(d) FROM u WHERE u.a = t.a) AS m FROM t", "m",
     "{\"m\": [[\"u\", \"d\"]]}", "{\"m\": [[\"t\", \"a\"], [\"u\", \"a\"]]}"},
    {"IN subquery in SELECT", "SELECT a IN (SELECT d FROM u) AS f FROM t", "f",
     "{\"f\": [[\"t\", \"a\"], [\"u\", \"d\"]]}", NULL},
    {"EXISTS in SELECT reads only predicates",
     "SELECT EXISTS (SELECT d FROM u WHERE u.a = t.b) AS f FROM t", "f",
     "{\"f\": []}", "{\"f\": [[\"t\", \"b\"], [\"u\", \"a\"]]}"},
    {"window function", "SELECT sum(a) OVER (PARTITION BY b ORDER BY c) AS w FROM t",
     "w", "{\"w\": [[\"t\", \"a\"], [\"t\", \"b\"], [\"t\", \"c\"]]}", "{\"w\": []}"},
    {"CASE", "SELECT CASE WHEN a > 0 THEN b ELSE 0 END AS k FROM t", "k",
     "{\"k\": [[\"t\", \"a\"], [\"t\", \"b\"]]}", NULL},
    {"aliases reused (swapped names)",
     "SELECT x.a AS b, x.b AS a FROM (SELECT b AS a, a AS b FROM t) AS x", "b",
     "{\"b\": [[\"t\", \"b\"]]}", NULL},
    {"aliases reused (other column)",
     "SELECT x.a AS b, x.b AS a FROM (SELECT b AS a, a AS b FROM t) AS x", "a",
     "{\"a\": [[\"t\", \"a\"]]}", NULL},
    {"lateral alias reference", "SELECT a + 1 AS z, z * c AS y FROM t", "y",
     "{\"y\": [[\"t\", \"a\"], [\"t\", \"c\"]]}", NULL},
    {"self-join: one source table",
     "SELECT t1.a + t2.b AS s FROM t AS t1 JOIN t AS t2 ON t1.a = t2.c", "s",
     "{\"s\": [[\"t\", \"a\"], [\"t\", \"b\"]]}", "{\"s\": [[\"t\", \"a\"], [\"t\", \"c\"]]}"},
    {"predicates of joins, filters, grouping",
     "SELECT t.b FROM t LEFT JOIN u ON t.a = u.a WHERE u.d > 1 GROUP BY t.b "
     "HAVING count(*) > 1",
     "b", "{\"b\": [[\"t\", \"b\"]]}",
     "{\"b\": [[\"t\", \"a\"], [\"t\", \"b\"], [\"u\", \"a\"], [\"u\", \"d\"]]}"},
    {"USING join", "SELECT a, d FROM t JOIN u USING (a)", "a",
     "{\"a\": [[\"t\", \"a\"], [\"u\", \"a\"]]}", "{\"a\": [[\"t\", \"a\"], [\"u\", \"a\"]]}"},
    {"derived table column list", "SELECT z.p FROM (SELECT a, b FROM t) AS z(p, q)",
     "p", "{\"p\": [[\"t\", \"a\"]]}", NULL},
    {"predicates of the scopes the data flows through",
     "SELECT z.p FROM (SELECT a AS p FROM t WHERE b = 1) AS z WHERE z.p > 0",
     "p", "{\"p\": [[\"t\", \"a\"]]}", "{\"p\": [[\"t\", \"a\"], [\"t\", \"b\"]]}"},
    {"unknown table (view, external table) is a source",
     "SELECT v.x FROM ext_view AS v", "x", "{\"x\": [[\"ext_view\", \"x\"]]}", NULL},
    {"source named with its db", "SELECT w.x FROM db1.w AS w", "x",
     "{\"x\": [[\"db1.w\", \"x\"]]}", NULL},
    {"unexpanded star of an unknown table", "SELECT * FROM ext_view", "*",
     "{\"*\": [[\"ext_view\", \"*\"]]}", NULL},
    {"recursive CTE", "WITH RECURSIVE r(n) AS (SELECT a FROM t UNION ALL "
     "SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r", "n",
     "{\"n\": [[\"t\", \"a\"]]}", NULL},
    {"count(*) reads no column", "SELECT count(*) AS n FROM t WHERE a > 1", "n",
     "{\"n\": []}", "{\"n\": [[\"t\", \"a\"]]}"},
    {"CREATE TABLE AS holds a query", "CREATE TABLE x AS SELECT b FROM t", "b",
     "{\"b\": [[\"t\", \"b\"]]}", NULL},
};

static void test_behaviours(void **state) {
  (void)state;
  uf_schema *s = schema_from(CASE_SCHEMA);
  int bad = 0;
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    const lcase *c = &CASES[i];
    uf_lineage_result *r = lineage_of(c->sql, s);
    char *got = part_json(r, UF_LINEAGE_SOURCES, c->column);
    char *gotp = part_json(r, UF_LINEAGE_PREDICATES, c->column);
    if (strcmp(got, c->sources) || (c->preds && strcmp(gotp, c->preds))) {
      printf("FAIL %s\n  %s\n  sources    got %s want %s\n  predicates got %s want %s\n",
             c->title, c->sql, got, c->sources, gotp, c->preds ? c->preds : "-");
      bad++;
    }
    uf_free(got);
    uf_free(gotp);
    uf_lineage_free(r);
  }
  uf_schema_free(s);
  assert_int_equal(bad, 0);
}

/* -- API ---------------------------------------------------------------------------- */

static void test_api(void **state) {
  (void)state;
  uf_schema *s = schema_from(CASE_SCHEMA);
  uf_lineage_result *r = lineage_of("SELECT b, a + c AS \"x\"\"y\" FROM t WHERE a > 0", s);
  assert_int_equal(uf_lineage_count(r), 2);
  const uf_lineage_column *c = uf_lineage_column_at(r, 1);
  assert_string_equal(c->name, "x\"y");
  assert_int_equal(c->nsources, 2);
  assert_string_equal(c->sources[0].column, "a");
  assert_string_equal(c->sources[1].column, "c");
  assert_int_equal(c->npredicates, 1);
  assert_ptr_equal(uf_lineage_find(r, "b"), uf_lineage_column_at(r, 0));
  assert_null(uf_lineage_find(r, "nope"));
  assert_null(uf_lineage_column_at(r, 2));
  char *j = part_json(r, UF_LINEAGE_SOURCES, NULL);
  assert_string_equal(j, "{\"b\": [[\"t\", \"b\"]], \"x\\\"y\": [[\"t\", \"a\"], [\"t\", \"c\"]]}");
  uf_free(j);
  j = part_json(r, UF_LINEAGE_PREDICATES, NULL);
  assert_string_equal(j, "{\"b\": [[\"t\", \"a\"]], \"x\\\"y\": [[\"t\", \"a\"]]}");
  uf_free(j);
  uf_lineage_free(r);
  uf_lineage_free(NULL);

  /* a statement without a query */
  uf_tree *t = ut_parse_must("CREATE TABLE z (a INT)", NULL);
  uf_error err;
  assert_int_equal(uf_lineage(uf_tree_root(t), s, &r, &err), UF_INVALID_ARGUMENT);
  assert_null(r);
  uf_tree_free(t);
  uf_schema_free(s);
}

/* -- CLI -------------------------------------------------------------------------------- */

static char tmpdir[256];

static const char *write_file(const char *name, const char *text) {
  const char *p = ut_path(tmpdir, name);
  ut_write_file(p, text);
  return p;
}

static void test_cli(void **state) {
  (void)state;
  if (!ut_mkdtemp(tmpdir, sizeof tmpdir, "uf_lineage")) fail_msg("mkdtemp");
  char schema[512];
  snprintf(schema, sizeof schema, "%s", write_file("schema.json", CASE_SCHEMA));
  const char *sql = write_file("q.sql",
                               "SELECT t.b, u.d AS dd FROM t JOIN u ON t.a = u.a;\n"
                               "SELECT count(*) AS n FROM t WHERE c > 2;\n");
  ut_result r = ut_run_cli(tmpdir, NULL, UT_ARGS("lineage", "--schema", schema, "--json", sql));
  ut_expect_exit(&r, 0, "lineage --json");
  assert_string_equal(
      r.out,
      "{\"lineage\": {\"b\": [[\"t\", \"b\"]], \"dd\": [[\"u\", \"d\"]]}, "
      "\"predicates\": {\"b\": [[\"t\", \"a\"], [\"u\", \"a\"]], \"dd\": "
      "[[\"t\", \"a\"], [\"u\", \"a\"]]}}\n"
      "{\"lineage\": {\"n\": []}, \"predicates\": {\"n\": [[\"t\", \"c\"]]}}\n");
  ut_result_free(&r);

  /* the tree, one column, from standard input */
  const char *one = write_file("one.sql", "SELECT t.b, u.d AS dd FROM t JOIN u ON t.a = u.a");
  r = ut_run_cli(tmpdir, one, UT_ARGS("lineage", "--schema=", "--column", "dd", "-"));
  ut_expect_exit(&r, 2, "empty --schema path");
  ut_result_free(&r);
  char sopt[600];
  snprintf(sopt, sizeof sopt, "--schema=%s", schema);
  r = ut_run_cli(tmpdir, one, UT_ARGS("lineage", sopt, "--column", "dd", "-"));
  ut_expect_exit(&r, 0, "lineage --column");
  assert_string_equal(r.out,
                      "dd\n"
                      "  |-- u.d\n"
                      "  |-- filter: t.a\n"
                      "  `-- filter: u.a\n");
  ut_result_free(&r);

  /* without a schema: columns resolve where they can */
  r = ut_run_cli(tmpdir, one, UT_ARGS("lineage", "--json"));
  ut_expect_exit(&r, 0, "lineage without schema");
  assert_non_null(strstr(r.out, "\"dd\": [[\"u\", \"d\"]]"));
  ut_result_free(&r);

  /* an unknown column is an error with its position */
  const char *badq = write_file("bad.sql", "SELECT t.b,\n  zz FROM t");
  r = ut_run_cli(tmpdir, NULL, UT_ARGS("lineage", "--schema", schema, badq));
  ut_expect_exit(&r, 1, "unknown column");
  assert_non_null(strstr(r.err, ":2:3:"));
  ut_result_free(&r);

  r = ut_run_cli(tmpdir, one, UT_ARGS("lineage", "--schema", schema, "--column", "nope"));
  ut_expect_exit(&r, 1, "unknown output column");
  assert_non_null(strstr(r.err, "no output column nope"));
  ut_result_free(&r);

  r = ut_run_cli(tmpdir, NULL, UT_ARGS("lineage", "--help"));
  ut_expect_exit(&r, 0, "lineage --help");
  assert_non_null(strstr(r.out, "usage: unifier lineage"));
  ut_result_free(&r);
  r = ut_run_cli(tmpdir, NULL, UT_ARGS("lineage", "--schema"));
  ut_expect_exit(&r, 2, "--schema without a value");
  ut_result_free(&r);
  r = ut_run_cli(tmpdir, NULL, UT_ARGS("lineage", "--bogus"));
  ut_expect_exit(&r, 2, "unknown option");
  ut_result_free(&r);
  ut_rm_rf(tmpdir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_api),
      cmocka_unit_test(test_behaviours),
      cmocka_unit_test(test_tpch),
      cmocka_unit_test(test_cli),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
