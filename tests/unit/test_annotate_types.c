/*
 * annotate_types: expression -> type cases checked against what DuckDB
 * 1.4 reports (each expectation below was read from DuckDB's result
 * types), query output rows over a small schema, and the SQLGlot
 * annotate_types corpus where its cases are DuckDB's (no dialect line, or
 * duckdb) with SQLGlot's type names mapped to DuckDB's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "../support/support.h"
#include "unifier/opt.h"
#include "unifier/schema.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

static const char *schema_json =
    "{\"t\": {\"i\": \"INTEGER\", \"b\": \"BIGINT\", \"s\": \"SMALLINT\","
    " \"d\": \"DECIMAL(15,2)\", \"f\": \"DOUBLE\", \"v\": \"VARCHAR\","
    " \"dt\": \"DATE\", \"ts\": \"TIMESTAMP\", \"l\": \"INTEGER[]\","
    " \"st\": \"STRUCT(a INTEGER, b VARCHAR)\"},"
    " \"u\": {\"k\": \"BIGINT\", \"x\": \"DOUBLE\"}}";

static uf_schema *test_schema(void) {
  uf_schema *s = NULL;
  uf_error err;
  if (uf_schema_load_json(schema_json, strlen(schema_json), NULL, &s, &err) != UF_OK)
    fail_msg("schema: %s", err.message);
  return s;
}

/* Type text of expression `sql` evaluated over table t (SELECT sql FROM t),
 * or "" on failure; in a static buffer. */
static const char *type_of_query(const char *sql, const uf_schema *s) {
  static char buf[512];
  buf[0] = '\0';
  uf_error err;
  uf_tree *t = ut_parse(sql, NULL, &err);
  if (t == NULL) {
    snprintf(buf, sizeof buf, "<parse: %.200s>", err.message);
    return buf;
  }
  uf_types *ts = NULL;
  if (uf_annotate_types(uf_tree_root(t), s, NULL, &ts, &err) != UF_OK) {
    snprintf(buf, sizeof buf, "<annotate: %.200s>", err.message);
  } else {
    const uf_type *row = uf_types_output(ts);
    for (size_t i = 0; row && i < row->nfields; i++)
      snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? "|" : "",
               row->fields[i].type->text);
  }
  uf_types_free(ts);
  uf_tree_free(t);
  return buf;
}

/* -- expression table ------------------------------------------------------- */

static const struct {
  const char *expr, *type;
} cases[] = {
    {"1", "INTEGER"}, {"2147483648", "BIGINT"}, {"9223372036854775808", "HUGEINT"},
    {"170141183460469231731687303715884105728", "UHUGEINT"},
    {"5.3", "DECIMAL(2,1)"}, {"0.5", "DECIMAL(2,1)"}, {"123.456", "DECIMAL(6,3)"},
    {".5", "DECIMAL(1,1)"}, {"1e5", "DOUBLE"}, {"1.50", "DECIMAL(3,2)"},
    {"00.10", "DECIMAL(4,2)"}, {"'a'", "VARCHAR"}, {"true", "BOOLEAN"},
    {"-5", "INTEGER"}, {"~5", "INTEGER"}, {"-5.5", "DECIMAL(2,1)"},
    {"-(1::TINYINT)", "TINYINT"},
    {"12345678901234567890123456789012345678901234567.5", "DOUBLE"},
    {"123456789012345678901234567890123.5", "DECIMAL(34,1)"},
    {"99999999999999999999999999999999999999", "HUGEINT"},
    {"1/2", "DOUBLE"}, {"7//2", "INTEGER"}, {"1.5/2", "DOUBLE"},
    {"1.5*2.25", "DECIMAL(5,3)"}, {"1.5+2.25", "DECIMAL(4,2)"},
    {"1 + 1.5", "DECIMAL(12,1)"}, {"1::BIGINT + 1.5", "DECIMAL(21,1)"},
    {"1::SMALLINT + 1", "SMALLINT"}, {"1::SMALLINT + 1::TINYINT", "SMALLINT"},
    {"1::INTEGER + 1::UINTEGER", "BIGINT"}, {"1::UTINYINT + 1", "UTINYINT"},
    {"1::REAL + 1::BIGINT", "FLOAT"}, {"1::HUGEINT + 1.5", "DECIMAL(38,1)"},
    {"1::BIGINT * 1.5::DOUBLE", "DOUBLE"}, {"1.0::FLOAT + 1", "FLOAT"},
    {"1::FLOAT*1.5", "FLOAT"}, {"2 ** 3", "DOUBLE"}, {"2 % 3", "INTEGER"},
    {"2.5 % 2", "DECIMAL(11,1)"},
    {"1.5 - 1", "DECIMAL(12,1)"}, {"1.5::DECIMAL(15,2) + 1", "DECIMAL(16,2)"},
    {"CAST(1 AS DECIMAL(15,2)) + CAST(1 AS INTEGER)", "DECIMAL(16,2)"},
    {"100.00 * 2", "DECIMAL(15,2)"}, {"1.5::DECIMAL(15,2) * 2::BIGINT", "DECIMAL(34,2)"},
    {"1.5::DECIMAL(30,10) * 1.5::DECIMAL(30,10)", "DECIMAL(38,20)"},
    {"1.5::DECIMAL(15,2) * 1.5::DECIMAL(15,2)", "DECIMAL(18,4)"},
    {"1.5::DECIMAL(4,1) * 1.5::DECIMAL(4,1)", "DECIMAL(8,2)"},
    {"(1 - 0.05::DECIMAL(15,2))", "DECIMAL(16,2)"}, {"2.5::DECIMAL(15,2) * 3", "DECIMAL(18,2)"},
    {"DATE '2020-01-01' + 1", "DATE"}, {"DATE '2020-01-01' - DATE '2020-01-01'", "BIGINT"},
    {"DATE '2020-01-01' + INTERVAL 1 DAY", "TIMESTAMP"},
    {"DATE '2020-01-01' - INTERVAL 1 DAY", "TIMESTAMP"},
    {"TIMESTAMP '2020-01-01' - TIMESTAMP '2020-01-01'", "INTERVAL"},
    {"interval '90' day", "INTERVAL"}, {"DATE '2020-01-01' - 1", "DATE"},
    {"sum(1)", "HUGEINT"}, {"sum(1::BIGINT)", "HUGEINT"}, {"sum(1.5)", "DECIMAL(38,1)"},
    {"sum(1.5::DOUBLE)", "DOUBLE"}, {"avg(1)", "DOUBLE"}, {"avg(1.5)", "DOUBLE"},
    {"count(*)", "BIGINT"}, {"min(1.5)", "DECIMAL(2,1)"}, {"max('a')", "VARCHAR"},
    {"sum(1::TINYINT)", "HUGEINT"}, {"count(DISTINCT 1)", "BIGINT"},
    {"string_agg('a', ',')", "VARCHAR"},
    {"extract(year from DATE '2020-01-01')", "BIGINT"}, {"substring('abc', 1, 2)", "VARCHAR"},
    {"'a' || 'b'", "VARCHAR"}, {"1 || 'a'", "VARCHAR"}, {"upper('a')", "VARCHAR"},
    {"length('a')", "BIGINT"}, {"coalesce(1, 2.5)", "DECIMAL(11,1)"},
    {"nullif(1,2)", "INTEGER"}, {"ifnull(NULL, 1)", "INTEGER"},
    {"CASE WHEN true THEN 1 ELSE 2.5 END", "DECIMAL(11,1)"},
    {"CASE WHEN true THEN 1 ELSE 2::BIGINT END", "BIGINT"},
    {"abs(-1)", "INTEGER"}, {"round(1.55, 1)", "DECIMAL(3,1)"},
    {"round(1.5::DOUBLE, 1)", "DOUBLE"}, {"floor(1.5)", "DECIMAL(2,0)"},
    {"ceil(1.5::DOUBLE)", "DOUBLE"}, {"1e400", "DOUBLE"},
    {"date_trunc('month', DATE '2020-01-01')", "DATE"},
    {"date_part('year', DATE '2020-01-01')", "BIGINT"}, {"CURRENT_DATE", "DATE"},
    {"strftime(DATE '2020-01-01', '%Y')", "VARCHAR"}, {"'a' = 'b'", "BOOLEAN"},
    /* columns of t */
    {"i", "INTEGER"}, {"t.d", "DECIMAL(15,2)"}, {"d * (1 - d)", "DECIMAL(18,4)"},
    {"sum(d)", "DECIMAL(38,2)"}, {"avg(d)", "DOUBLE"}, {"d + 1", "DECIMAL(16,2)"},
    {"s + 1", "SMALLINT"}, {"s + 100000", "INTEGER"}, {"i + b", "BIGINT"},
    {"f * i", "DOUBLE"}, {"dt + 3", "DATE"}, {"dt - dt", "BIGINT"},
    {"ts - INTERVAL 1 HOUR", "TIMESTAMP"}, {"l[1]", "INTEGER"}, {"st.a", "INTEGER"},
    {"l", "INTEGER[]"}, {"st", "STRUCT(a INTEGER, b VARCHAR)"},
    {"v LIKE 'a%'", "BOOLEAN"}, {"i BETWEEN 1 AND 2", "BOOLEAN"}, {"i IN (1, 2)", "BOOLEAN"},
    {"row_number() OVER (ORDER BY i)", "BIGINT"}, {"lag(d) OVER (ORDER BY i)", "DECIMAL(15,2)"},
    {"sum(i) OVER ()", "HUGEINT"}, {"rank() OVER (PARTITION BY v ORDER BY f)", "BIGINT"},
    {"(SELECT max(x) FROM u)", "DOUBLE"}, {"EXISTS (SELECT 1 FROM u)", "BOOLEAN"},
    {"CASE WHEN i > 1 THEN d ELSE NULL END", "DECIMAL(15,2)"},
    {"COALESCE(v, 'x')", "VARCHAR"}, {"[1, 2]", "INTEGER[]"}, {"{'a': 1}", "STRUCT(a INTEGER)"},
    {"unknown_fn(i)", "UNKNOWN"}, {"no_such_column", "UNKNOWN"},
};

static void test_expression_table(void **state) {
  (void)state;
  uf_schema *s = test_schema();
  size_t pass = 0, n = sizeof cases / sizeof *cases;
  for (size_t i = 0; i < n; i++) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM t", cases[i].expr);
    const char *got = type_of_query(sql, s);
    if (strcmp(got, cases[i].type) == 0) pass++;
    else printf("[annotate] %s: expected %s, got %s\n", cases[i].expr, cases[i].type, got);
  }
  printf("[annotate] expression table: %zu/%zu\n", pass, n);
  uf_schema_free(s);
  assert_int_equal(pass, n);
}

/* -- queries ----------------------------------------------------------------- */

static const struct {
  const char *sql, *types, *names;
} queries[] = {
    {"SELECT i, d AS dd, i + 1 FROM t", "INTEGER|DECIMAL(15,2)|INTEGER", "i|dd|i + 1"},
    {"SELECT * FROM u", "BIGINT|DOUBLE", "k|x"},
    {"SELECT u.* EXCLUDE (x), t.v FROM t JOIN u ON t.b = u.k", "BIGINT|VARCHAR", "k|v"},
    {"WITH c AS (SELECT k, x * 2 AS y FROM u) SELECT c.y, k FROM c", "DOUBLE|BIGINT", "y|k"},
    {"WITH c(a, b) AS (SELECT k, x FROM u) SELECT a, b FROM c", "BIGINT|DOUBLE", "a|b"},
    {"SELECT q.z FROM (SELECT sum(i) AS z FROM t) AS q", "HUGEINT", "z"},
    {"SELECT i FROM t UNION ALL SELECT b FROM t", "BIGINT", "i"},
    {"SELECT 1 AS a UNION SELECT 2.5", "DECIMAL(11,1)", "a"},
    {"SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)", "INTEGER|VARCHAR", "n|s"},
    {"SELECT x FROM u WHERE k IN (SELECT b FROM t) ORDER BY x", "DOUBLE", "x"},
    {"SELECT (SELECT max(i) FROM t WHERE t.b = u.k) FROM u", "INTEGER", ""},
    {"SELECT a.k, b.k FROM u a, u b", "BIGINT|BIGINT", "k|k"},
};

static void test_query_rows(void **state) {
  (void)state;
  uf_schema *s = test_schema();
  for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
    const char *got = type_of_query(queries[i].sql, s);
    if (strcmp(got, queries[i].types) != 0)
      fail_msg("%s: expected %s, got %s", queries[i].sql, queries[i].types, got);
  }
  /* names of the output columns */
  for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
    if (queries[i].names[0] == '\0') continue;
    uf_tree *t = ut_parse_must(queries[i].sql, NULL);
    uf_types *ts = NULL;
    assert_int_equal(uf_annotate_types(uf_tree_root(t), s, NULL, &ts, NULL), UF_OK);
    char names[256] = "";
    const uf_type *row = uf_types_output(ts);
    for (size_t j = 0; j < row->nfields; j++)
      snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", j ? "|" : "",
               row->fields[j].name);
    if (strcmp(names, queries[i].names) != 0)
      fail_msg("%s: expected names %s, got %s", queries[i].sql, queries[i].names, names);
    uf_types_free(ts);
    uf_tree_free(t);
  }
  uf_schema_free(s);
}

/* Every expression node under a query gets a type. */
static int check_typed(uf_node *n, uf_node *parent, void *vctx) {
  (void)parent;
  const uf_types *ts = vctx;
  uf_category cat = uf_kind_category((uf_kind)n->kind);
  if ((cat == UF_CAT_EXPR || cat == UF_CAT_QUERY) && !uf_is(n, UF_STAR) &&
      uf_node_type(ts, n) == NULL)
    fail_msg("untyped %s node at %u:%u", uf_kind_name((uf_kind)n->kind), n->line, n->col);
  return 0;
}

static void test_every_node_typed(void **state) {
  (void)state;
  uf_schema *s = test_schema();
  uf_tree *t = ut_parse_must(
      "SELECT i + 1, CASE WHEN v = 'a' THEN d END, (SELECT max(x) FROM u) "
      "FROM t WHERE dt > DATE '2020-01-01' AND i IN (SELECT k FROM u) "
      "QUALIFY row_number() OVER (PARTITION BY v || 'x' ORDER BY f + 1) = 1 ORDER BY 1",
      NULL);
  uf_types *ts = NULL;
  assert_int_equal(uf_annotate_types(uf_tree_root(t), s, NULL, &ts, NULL), UF_OK);
  uf_walk(uf_tree_root(t), check_typed, ts);
  uf_types_free(ts);
  uf_tree_free(t);
  uf_schema_free(s);
}

/* Function catalog fallback. */
static const char *catalog_fn(void *ctx, const char *name, const uf_type *const *args,
                              size_t nargs) {
  (void)ctx;
  if (strcmp(name, "my_fn") == 0 && nargs == 1 && args[0]->id == UF_T_INTEGER)
    return "DECIMAL(9,4)";
  return NULL;
}

static void test_function_catalog(void **state) {
  (void)state;
  uf_tree *t = ut_parse_must("SELECT my_fn(1), other_fn(1)", NULL);
  uf_function_catalog fc = {catalog_fn, NULL};
  uf_annotate_options o = {.functions = &fc};
  uf_types *ts = NULL;
  assert_int_equal(uf_annotate_types(uf_tree_root(t), NULL, &o, &ts, NULL), UF_OK);
  const uf_type *row = uf_types_output(ts);
  assert_int_equal(row->nfields, 2);
  assert_string_equal(row->fields[0].type->text, "DECIMAL(9,4)");
  assert_string_equal(row->fields[1].type->text, "UNKNOWN");
  uf_types_free(ts);
  uf_tree_free(t);
}

static void test_type_parse(void **state) {
  (void)state;
  static const char *const in[][2] = {
      {"int", "INTEGER"}, {"string", "VARCHAR"}, {"DECIMAL(15,2)", "DECIMAL(15,2)"},
      {"INTEGER[]", "INTEGER[]"}, {"INT[3]", "INTEGER[3]"},
      {"STRUCT(a INT, \"B c\" VARCHAR)", "STRUCT(a INTEGER, \"B c\" VARCHAR)"},
      {"MAP(VARCHAR, INT)", "MAP(VARCHAR, INTEGER)"}, {"timestamptz", "TIMESTAMP WITH TIME ZONE"},
      {"double precision", "DOUBLE"}, {"numeric", "DECIMAL(18,3)"}, {"JSON", "JSON"}};
  uf_types *ts = NULL;
  uf_tree *t = ut_parse_must("SELECT 1", NULL);
  assert_int_equal(uf_annotate_types(uf_tree_root(t), NULL, NULL, &ts, NULL), UF_OK);
  for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
    const uf_type *ty = NULL;
    uf_error err;
    if (uf_type_parse(ts, in[i][0], &ty, &err) != UF_OK) fail_msg("%s: %s", in[i][0], err.message);
    if (strcmp(ty->text, in[i][1]) != 0) fail_msg("%s: expected %s, got %s", in[i][0], in[i][1], ty->text);
  }
  const uf_type *ty = NULL;
  assert_int_not_equal(uf_type_parse(ts, "not a ( type", &ty, NULL), UF_OK);
  assert_null(ty);
  uf_types_free(ts);
  uf_tree_free(t);
  uf_types_free(NULL);
}

/* -- the SQLGlot corpus -------------------------------------------------------- */

/* SQLGlot's type names as DuckDB spells them. */
static const char *duck_name(const char *sqlglot) {
  static const char *const map[][2] = {{"INT", "INTEGER"}, {"BOOL", "BOOLEAN"},
                                       {"UNKNOWN", "NULL"}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strcasecmp(map[i][0], sqlglot) == 0) return map[i][1];
  return sqlglot;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

/* Cases: "# dialect: d" / "# Note" lines, then `expr;` and `type;`. Only
 * cases without a dialect or for duckdb apply. Decimal literals are
 * DECIMAL in DuckDB where SQLGlot says DOUBLE, and SQLGlot's STRUCT(...) /
 * IF of other engines are not DuckDB's, and a bare ANY/ALL (subquery) is
 * no DuckDB expression: those count as not applicable. */
static void test_sqlglot_corpus(void **state) {
  (void)state;
  char *text = ut_read_file(UF_SHARED_DIR "/corpora/sqlglot/optimizer/annotate_types.sql", NULL);
  if (text == NULL) fail_msg("cannot read annotate_types.sql");
  size_t applicable = 0, pass = 0, total = 0;
  char *p = text, *dialect = NULL;
  char *pending = NULL;
  while (*p) {
    char *eol = strchr(p, '\n');
    if (eol) *eol = '\0';
    char *line = trim(p);
    p = eol ? eol + 1 : p + strlen(p);
    if (line[0] == '#') {
      if (strncmp(line, "# dialect:", 10) == 0) dialect = trim(line + 10);
      continue;
    }
    if (line[0] == '\0' || strncmp(line, "--", 2) == 0) continue;
    size_t n = strlen(line);
    if (line[n - 1] == ';') line[n - 1] = '\0';
    if (pending == NULL) {
      pending = line;
      continue;
    }
    total++;
    const char *expr_sql = pending, *want = duck_name(line);
    pending = NULL;
    bool ours = dialect == NULL || strcmp(dialect, "duckdb") == 0;
    dialect = NULL;
    if (!ours || strstr(want, "STRUCT<") || strstr(want, "ARRAY<") ||
        strcmp(want, "DOUBLE") == 0 || strncasecmp(expr_sql, "IF(", 3) == 0 ||
        strncasecmp(expr_sql, "STRUCT(", 7) == 0 || strncasecmp(expr_sql, "ALL(", 4) == 0 ||
        strncasecmp(expr_sql, "ANY(", 4) == 0)
      continue;
    applicable++;
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT %s", expr_sql);
    const char *got = type_of_query(sql, NULL);
    if (strcasecmp(got, want) == 0) pass++;
    else printf("[annotate] sqlglot: %s: expected %s, got %s\n", expr_sql, want, got);
  }
  free(text);
  printf("[annotate] sqlglot annotate_types.sql: %zu/%zu applicable pass (%zu cases)\n",
         pass, applicable, total);
  assert_true(total >= 60);
  assert_true(pass >= 18); /* floor: only goes up */
  assert_int_equal(pass, applicable);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_expression_table), cmocka_unit_test(test_query_rows),
      cmocka_unit_test(test_every_node_typed), cmocka_unit_test(test_function_catalog),
      cmocka_unit_test(test_type_parse), cmocka_unit_test(test_sqlglot_corpus),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
