/* Expressions: parse -> generate -> parse round trips, exact outputs,
 * precedence (tree shapes), dialect differences, errors and limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unifier/ast.h"
#include "unifier/sql.h"
#include "../support/support.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

/* ---- helpers ---- */

/* S-expression of a tree: kind[text](children), PAREN kept as paren(...). */
static void sexp(const uf_node *n, char *buf, size_t size) {
  size_t len = strlen(buf);
  if (!n) { snprintf(buf + len, size - len, "_"); return; }
  snprintf(buf + len, size - len, "%s", uf_kind_name((uf_kind)n->kind));
  len = strlen(buf);
  if (n->text[0]) snprintf(buf + len, size - len, "[%s]", n->text);
  bool any = n->kind == UF_LIST && n->nkids;
  for (uint32_t i = 0; i < n->nkids; i++) any |= n->kids[i] != NULL;
  if (!any) return;
  len = strlen(buf);
  snprintf(buf + len, size - len, "(");
  bool first = true;
  for (uint32_t i = 0; i < n->nkids; i++) {
    if (!n->kids[i] && n->kind != UF_LIST) continue;
    len = strlen(buf);
    if (!first) snprintf(buf + len, size - len, ",");
    first = false;
    sexp(n->kids[i], buf, size);
  }
  len = strlen(buf);
  snprintf(buf + len, size - len, ")");
}

/* ---- round trips ---- */

static const char *const EXPRS[] = {
    /* a top-level alias (explicit AS), keyword-ish names after AS */
    "1 AS escape", "INTERVAL '-1' AS CURRENT_DATE", "PRIOR AS x",
    "f1 AT TIME ZONE INTERVAL '-10:00' AS f1", "a + 1 AS \"b c\"",
    /* a parenthesized query continued by a set operation */
    "x IN ((SELECT 1) EXCEPT (SELECT 2))", "((SELECT 0) UNION (SELECT 1) ORDER BY 1 OFFSET 1)",
    "x = ANY((SELECT 1) UNION ALL (SELECT 2))", "((SELECT 1))",
    /* literals */
    "1", "1.", ".5", "1.5e-3", "1E+2", "1E-2", "0x1F", "1_000", "0.2", "-11.023E7 * 3",
    "''", "''''", "'x'", "'it''s'", "E'a\\nb'", "E'\\x41\\u00e9\\t'", "E'\\''",
    "N'abc'", "$$dollar$$", "$tag$has $$ inside$tag$", "B'0101'", "X'ff'",
    "TRUE", "FALSE", "NULL", "$1", "$name", "?", "?2", "'multi\nline'",
    /* names */
    "x", "\"x\"", "\"a\"\"b\"", "\"\"", "a.b", "a.b.c", "a.b.c.d", "a.b.c.d.e",
    "a.b.c.d.e[0]", "a.b.c.d.e[0].f", "a[0][0].b.c[1].d.e.f[1][1]", "a[0].b[1]",
    "a[0].b.c['d']", "a.b.C()", "a['x'].b.C()", "a.B()", "a['x'].C()", "int.x", "map.x",
    "time * 100", "int * 100", "dec + 1", "a.filter", "(x).field", "(x).\"Field\"",
    "*", "t.*", "s.t.*", "* EXCLUDE (a, b)", "* EXCLUDE a", "* REPLACE (a + 1 AS a)",
    "* RENAME (a AS b)", "t.* EXCLUDE (t.a) REPLACE (1 AS b)", "COLUMNS('a.*')",
    "COLUMNS(*)", "COLUMNS(c -> c LIKE 'a%')", "*COLUMNS('x')", "min(COLUMNS(*))",
    /* operators */
    "1 + 2 * 3", "(1 + 2) * 3", "(1 * 2) / (3 - 5)", "((TRUE))", "x % 1", "x < 1",
    "x <= 1", "x > 1", "x >= 1", "x <> 1", "x != 1", "x = y OR x > 1", "x == 1",
    "x & 1", "x | 1", "x ^ 1", "~x", "x << 1", "x >> 1", "x >> 1 | 1 & 1 ^ 1",
    "x || y", "x // 2", "x ** 2", "x # 1", "j -> 'a'", "j ->> 'a'", "a @> b", "a <@ b",
    "a && b", "a ^@ 'x'", "a ~~ 'x'", "a !~~ 'x'", "1 - -1", "- -5", "-x", "+x",
    "-2 ^ 2", "-(2 ^ 2)", "NOT a", "NOT NOT a", "NOT a = b", "NOT (a AND b)",
    "a AND b OR c", "a AND (b OR c)", "a OR b AND c", "a || b = c", "a = b = c",
    "x IS NULL", "x IS NOT NULL", "x ISNULL", "x NOTNULL", "x IS TRUE", "x IS NOT FALSE",
    "x IS UNKNOWN", "x IS TRUE IS TRUE", "NOT x IS NULL", "x LIKE y IS TRUE",
    "x IS DISTINCT FROM y", "x IS NOT DISTINCT FROM y + 1",
    "x BETWEEN 1 AND 2", "x NOT BETWEEN 1 AND 2", "x BETWEEN SYMMETRIC 2 AND 1",
    "x BETWEEN -1 AND 1", "x BETWEEN 'a' || b AND 'c' || d", "x IN (1, 2)",
    "x NOT IN (1, 2)", "x IN (-1, 1)", "x IN ('a', 'a''a')", "x IN ((1))",
    "x LIKE 'a%'", "x NOT LIKE 'a%'", "x ILIKE '%y%'", "x NOT ILIKE 'y'",
    "x LIKE '%y%' ESCAPE '\\'", "x GLOB '?\?-*'", "x NOT GLOB y", "x SIMILAR TO 'a|b'",
    "x NOT SIMILAR TO 'a'", "x = ANY([1, 2])", "x > ALL(arr)", "x LIKE ANY(['a%'])",
    "x COLLATE nocase", "x COLLATE \"de_DE\" = 'a'", "x AT TIME ZONE 'UTC'",
    "CURRENT_DATE AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Tokio'",
    /* casts and special forms */
    "x::INT", "(a + b)::BIGINT", "-x::INT", "x::INT[]", "x::INT[3]", "x::VARCHAR(10)",
    "x::DECIMAL(15, 2)", "x::DOUBLE PRECISION", "x::TIMESTAMP WITH TIME ZONE",
    "x::TIME WITHOUT TIME ZONE", "x::STRUCT(a INT, b VARCHAR)", "x::MAP(VARCHAR, INT)",
    "x::UNION(a INT, b VARCHAR)", "x::ENUM('a', 'b')", "x::INT[][]",
    "CAST(x AS INT)", "CAST(x AS CHARACTER VARYING(3))", "TRY_CAST(x AS DATE)",
    "DATE '2020-01-01'", "TIMESTAMP '2020-01-01 00:00:00'", "TIME '12:00'",
    "INTERVAL '1' DAY", "INTERVAL 1 DAY", "INTERVAL '1 day'", "INTERVAL (1 + 3) DAYS",
    "INTERVAL '1' HOUR TO SECOND", "INTERVAL '1' DAY * 5", "5 * INTERVAL '1' DAY",
    "EXTRACT(year FROM d)", "EXTRACT('month' FROM d)", "POSITION('a' IN b)",
    "SUBSTRING(x FROM 1 FOR 2)", "SUBSTRING(x FROM 2)", "SUBSTRING('abc', 1, 1)",
    "TRIM(x)", "TRIM('a' || 'b')", "TRIM(LEADING 'x' FROM y)", "TRIM(TRAILING FROM y)",
    "TRIM('x' FROM y)", "OVERLAY(x PLACING 'a' FROM 2 FOR 1)",
    "CASE WHEN x > 1 THEN 1 ELSE 0 END", "CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' END",
    "CASE (1) WHEN 1 THEN 1 ELSE 0 END", "CASE WHEN TRUE THEN INTERVAL '15' DAYS END",
    "SUM(CASE WHEN x > 1 THEN 1 ELSE 0 END) / y",
    /* functions */
    "SUM(1)", "count(*)", "count(DISTINCT x)", "count(ALL x)", "f()", "s.f(1)",
    "LEFT(x, 2)", "RIGHT(x, 2)", "REPLACE(x, 'a', 'b')", "IF(a, 1, 2)", "MAP()",
    "GREATEST(x)", "CONCAT_WS('-', 'a', 'b')", "ARRAY(1, 2)", "CURRENT_DATE",
    "CURRENT_TIMESTAMP", "CURRENT_DATE('UTC')", "struct_pack(a := 1, b := 2)",
    "f(a => 1)", "list_transform(l, x -> x + 1)", "list_reduce(l, (x, y) -> x + y)",
    "list_transform(l, lambda x: x * 2)", "lambda x, y: x + y",
    "first(x IGNORE NULLS)", "first_value(x) IGNORE NULLS OVER (ORDER BY y)",
    "count(*) FILTER (WHERE x > 1)", "string_agg(x, ',' ORDER BY y DESC)",
    "percentile_cont(0.5) WITHIN GROUP (ORDER BY x)", "row_number() OVER ()",
    "row_number() OVER w", "sum(x) OVER (w ORDER BY y)",
    "sum(x) OVER (PARTITION BY a, b ORDER BY c ASC NULLS FIRST)",
    "sum(x) OVER (ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
    "sum(x) OVER (ORDER BY y RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW)",
    "sum(x) OVER (ORDER BY y ROWS 2 PRECEDING)",
    "sum(x) OVER (ORDER BY y GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)",
    "sum(x) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE NO OTHERS)",
    "sum(x) FILTER (WHERE y) OVER (PARTITION BY z)",
    /* constructors */
    "[1, 2]", "[]", "[[1], [2, 3]]", "ARRAY[1, 2]", "{'a': 1, b: 2}", "{}",
    "{'a': {'b': [1]}}", "MAP {'k': 1, 'j': 2}", "(a, b)", "ROW(a, b)", "ROW(1)",
    "x[1]", "x[1:2]", "x[:2]", "x[1:]", "x[:]", "x[-4:-1]", "x[1:2:3]", "x[::2]",
    "(x[1])[2]", "[1, 2][1]",
    NULL};

static void test_round_trips(void **state) {
  (void)state;
  int n = 0;
  for (int i = 0; EXPRS[i]; i++, n++) free(ut_round_trip_must(EXPRS[i], NULL, UT_EXPR, false));
  assert_true(n >= 150);
}

static void test_round_trips_pretty(void **state) {
  (void)state;
  for (int i = 0; EXPRS[i]; i++) free(ut_round_trip_must(EXPRS[i], NULL, UT_EXPR, true));
}

/* Every line of sqlglot's identity corpus that is a plain expression. */
static void test_identity_corpus(void **state) {
  (void)state;
  FILE *f = fopen(UF_SHARED_DIR "/corpora/sqlglot/identity.sql", "r");
  if (!f) skip();
  char line[4096];
  int n = 0;
  while (fgets(line, sizeof line, f)) {
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
    if (!len) continue;
    uf_error err;
    uf_status st;
    uf_tree *t = ut_parse_expr(line, NULL, &st, &err);
    if (st != UF_OK) continue; /* a statement, or another dialect's syntax */
    uf_tree_free(t);
    free(ut_round_trip_must(line, NULL, UT_EXPR, false));
    n++;
  }
  fclose(f);
  assert_true(n >= 150);
}

/* ---- exact outputs ---- */

typedef struct { const char *in, *out; } io_case;

static const io_case NORMALIZE[] = {
    {"a::INT", "a::INT"},
    {"x <> 1", "x <> 1"},
    {"x != 1", "x != 1"},
    {"1+2*3", "1 + 2 * 3"},
    {"a   AND\n b", "a AND b"},
    {"x::int", "x::INT"},
    {"x::integer[]", "x::INTEGER[]"},
    {"cast(x as varchar)", "CAST(x AS VARCHAR)"},
    {"x not like 'a'", "x NOT LIKE 'a'"},
    {"x is not null", "x IS NOT NULL"},
    {"count( * )", "count(*)"},
    {"- - 5", "- -5"},
    {"-(-5)", "-(-5)"},
    {"f(a:=1)", "f(a := 1)"},
    {"E'it''s'", "E'it\\'s'"},
    {"'a\\b'", "'a\\b'"},
    {"trim(both 'x' from y)", "TRIM('x' FROM y)"},
    {"interval '1' day", "INTERVAL '1' DAY"},
    {"timestamptz '2020-01-01'", "TIMESTAMPTZ '2020-01-01'"},
    {"case when a then b else c end", "CASE WHEN a THEN b ELSE c END"},
    {"{ 'a' : 1 }", "{'a': 1}"},
    {"x [ 1 : 2 ]", "x[1:2]"},
    {"row(1,2)", "ROW(1, 2)"},
    {"lambda x : x", "LAMBDA x: x"},
    {"f((x) -> x)", "f(x -> x)"},
    {"\"Mixed\".\"select\"", "\"Mixed\".\"select\""},
    {"Mixed.Case", "Mixed.Case"},
    {"sum(x) over (partition by a order by b desc nulls last)",
     "sum(x) OVER (PARTITION BY a ORDER BY b DESC NULLS LAST)"},
    {NULL, NULL}};

static void check_output(const char *in, const uf_dialect *d, const char *want) {
  uf_error err;
  uf_status st;
  uf_tree *t = ut_parse_expr(in, NULL, &st, &err);
  if (st != UF_OK) fail_msg("parse failed: [%s]: %s", in, err.message);
  char *out = ut_gen_st(uf_tree_root(t), d, false, &st, &err);
  if (st != UF_OK) fail_msg("generate failed: [%s]: %s", in, err.message);
  if (strcmp(out, want) != 0) fail_msg("[%s] -> [%s], expected [%s]", in, out, want);
  free(out);
  uf_tree_free(t);
}

static void test_normalize(void **state) {
  (void)state;
  for (int i = 0; NORMALIZE[i].in; i++) check_output(NORMALIZE[i].in, NULL, NORMALIZE[i].out);
}

static void test_pretty_case(void **state) {
  (void)state;
  uf_error err;
  uf_status st;
  uf_tree *t = ut_parse_expr("CASE x WHEN 1 THEN 'a' ELSE 'b' END + f(a, b)", NULL, &st, &err);
  assert_int_equal(st, UF_OK);
  char *out = ut_gen_st(uf_tree_root(t), NULL, true, &st, &err);
  assert_int_equal(st, UF_OK);
  assert_string_equal(out, "CASE x\n  WHEN 1 THEN 'a'\n  ELSE 'b'\nEND + f(a, b)");
  free(out);
  uf_tree_free(t);
}

/* ---- dialects ---- */

static const io_case TO_POSTGRES[] = {
    {"[1, 2]", "ARRAY[1, 2]"},
    {"regexp_matches(a, 'x')", "a ~ 'x'"},
    {"regexp_matches(a || b, 'x') = TRUE", "a || b ~ 'x' = TRUE"},
    {"regexp_matches(a, 'x' || b)", "a ~ ('x' || b)"},
    {"ifnull(a, 1)", "coalesce(a, 1)"},
    {"list_concat(a, b)", "array_cat(a, b)"},
    {"x::DOUBLE", "x::DOUBLE PRECISION"},
    {"CAST(x AS BLOB)", "CAST(x AS BYTEA)"},
    {"N'abc'", "N'abc'"},
    {NULL, NULL}};

static const io_case TO_DATAFUSION[] = {
    {"list_value(1, 2)", "make_array(1, 2)"},
    {"strftime(ts, '%Y')", "to_char(ts, '%Y')"},
    {"regexp_matches(a, 'x')", "regexp_like(a, 'x')"},
    {"{'a': 1, b: 2}", "named_struct('a', 1, 'b', 2)"},
    {"x::UBIGINT", "x::BIGINT UNSIGNED"},
    {"$$x$$", "'x'"},
    {NULL, NULL}};

static void test_dialect_outputs(void **state) {
  (void)state;
  for (int i = 0; TO_POSTGRES[i].in; i++)
    check_output(TO_POSTGRES[i].in, uf_dialect_postgres(), TO_POSTGRES[i].out);
  for (int i = 0; TO_DATAFUSION[i].in; i++)
    check_output(TO_DATAFUSION[i].in, uf_dialect_datafusion(), TO_DATAFUSION[i].out);
}

static void check_unsupported(const char *in, const uf_dialect *d) {
  uf_error err;
  uf_status st;
  uf_tree *t = ut_parse_expr(in, NULL, &st, &err);
  assert_int_equal(st, UF_OK);
  char *out = ut_gen_st(uf_tree_root(t), d, false, &st, &err);
  if (st != UF_UNSUPPORTED) fail_msg("[%s] in %s: expected UNSUPPORTED, got [%s]", in,
                                     uf_dialect_name(d), out ? out : "?");
  assert_null(out);
  uf_tree_free(t);
}

static void test_dialect_unsupported(void **state) {
  (void)state;
  const uf_dialect *pg = uf_dialect_postgres(), *df = uf_dialect_datafusion();
  check_unsupported("list_transform(l, x -> x + 1)", pg);
  check_unsupported("list_transform(l, x -> x + 1)", df);
  check_unsupported("{'a': 1}", pg);
  check_unsupported("MAP {'a': 1}", pg);
  check_unsupported("* EXCLUDE (a)", pg);
  check_unsupported("COLUMNS('a')", df);
  check_unsupported("TRY_CAST(x AS INT)", pg);
  check_unsupported("x GLOB 'a*'", pg);
}

/* Reading another dialect: type and function names map into the AST. */
static void test_dialect_inputs(void **state) {
  (void)state;
  struct { const char *in; const uf_dialect *d; const char *duck; } cases[] = {
      {"x::Utf8", uf_dialect_datafusion(), "x::VARCHAR"},
      {"CAST(x AS Int64)", uf_dialect_datafusion(), "CAST(x AS BIGINT)"},
      {"make_array(1, 2)", uf_dialect_datafusion(), "list_value(1, 2)"},
      {"a ~ 'x'", uf_dialect_postgres(), "regexp_matches(a, 'x')"},
      {"x::float8", uf_dialect_postgres(), "x::DOUBLE"},
      {"x::timestamptz", uf_dialect_postgres(), "x::TIMESTAMP WITH TIME ZONE"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uf_error err;
    uf_status st;
    uf_tree *t = ut_parse_expr(cases[i].in, cases[i].d, &st, &err);
    if (st != UF_OK) fail_msg("parse failed: [%s]: %s", cases[i].in, err.message);
    char *out = ut_gen_st(uf_tree_root(t), NULL, false, &st, &err);
    assert_int_equal(st, UF_OK);
    if (strcmp(out, cases[i].duck) != 0)
      fail_msg("[%s] -> [%s], expected [%s]", cases[i].in, out, cases[i].duck);
    free(out);
    uf_tree_free(t);
  }
  /* PostgreSQL's ~ survives a PostgreSQL round trip */
  free(ut_round_trip_must("a ~ 'x' AND b", uf_dialect_postgres(), UT_EXPR, false));
}

/* ---- precedence ---- */

static const io_case SHAPES[] = {
    {"a OR b AND c", "or(column(ident[a]),and(column(ident[b]),column(ident[c])))"},
    {"a AND b OR c", "or(and(column(ident[a]),column(ident[b])),column(ident[c]))"},
    {"-2 ^ 2", "binary[^](unary[-](number[2]),number[2])"},
    {"NOT a = b", "not(binary[=](column(ident[a]),column(ident[b])))"},
    {"a || b = c", "binary[=](binary[||](column(ident[a]),column(ident[b])),column(ident[c]))"},
    {"1 + 2 * 3", "binary[+](number[1],binary[*](number[2],number[3]))"},
    {"1 - 2 - 3", "binary[-](binary[-](number[1],number[2]),number[3])"},
    {"2 ^ 3 ^ 2", "binary[^](binary[^](number[2],number[3]),number[2])"},
    {"-x::INT", "unary[-](cast(column(ident[x]),type[INT]))"},
    {"NOT x IS NULL", "not(is(column(ident[x]),null))"},
    {"a = 1 IS TRUE", "is(binary[=](column(ident[a]),number[1]),boolean[TRUE])"},
    {"x BETWEEN 1 AND 2 AND y", "and(between(column(ident[x]),number[1],number[2]),column(ident[y]))"},
    {"x + 1 BETWEEN a || b AND c", "between(binary[+](column(ident[x]),number[1]),binary[||](column(ident[a]),column(ident[b])),column(ident[c]))"},
    {"a LIKE b = c", "binary[=](like[LIKE](column(ident[a]),column(ident[b])),column(ident[c]))"},
    {"a = b LIKE c", "binary[=](column(ident[a]),like[LIKE](column(ident[b]),column(ident[c])))"},
    {"x IN (1) = y", "binary[=](in(column(ident[x]),list(number[1])),column(ident[y]))"},
    {"a * b + c % d", "binary[+](binary[*](column(ident[a]),column(ident[b])),binary[%](column(ident[c]),column(ident[d])))"},
    {"a || b + c", "binary[||](column(ident[a]),binary[+](column(ident[b]),column(ident[c])))"},
    {"x COLLATE c || y", "binary[||](collate(column(ident[x]),ident[c]),column(ident[y]))"},
    {"a.b[1].c", "dot(subscript(column(ident[a],ident[b]),number[1]),ident[c])"},
    {"NOT NOT a AND b", "and(not(not(column(ident[a]))),column(ident[b]))"},
    {"x::INT[]", "cast(column(ident[x]),type[LIST](list(type[INT])))"},
    {"- - 5", "unary[-](unary[-](number[5]))"},
    {NULL, NULL}};

static void test_precedence(void **state) {
  (void)state;
  for (int i = 0; SHAPES[i].in; i++) {
    uf_error err;
    uf_status st;
    uf_tree *t = ut_parse_expr(SHAPES[i].in, NULL, &st, &err);
    if (st != UF_OK) fail_msg("parse failed: [%s]: %s", SHAPES[i].in, err.message);
    char buf[1024] = "";
    sexp(uf_tree_root(t), buf, sizeof buf);
    if (strcmp(buf, SHAPES[i].out) != 0)
      fail_msg("[%s] parsed as %s, expected %s", SHAPES[i].in, buf, SHAPES[i].out);
    uf_tree_free(t);
  }
}

/* A tree built in code has no PAREN nodes: the generator adds them. */
static uf_node *num(uf_tree *t, const char *s) { return uf_node_new_text(t, UF_NUMBER, s, strlen(s)); }

static uf_node *bin(uf_tree *t, uf_kind k, const char *op, uf_node *l, uf_node *r) {
  uf_node *n = uf_node_new_text(t, k, op, strlen(op));
  assert_int_equal(uf_set(n, UF_SLOT_LEFT, l, NULL), UF_OK);
  assert_int_equal(uf_set(n, UF_SLOT_RIGHT, r, NULL), UF_OK);
  return n;
}

static void expect_gen(const uf_node *n, const char *want) {
  uf_error err;
  uf_status st;
  char *out = ut_gen_st(n, NULL, false, &st, &err);
  assert_int_equal(st, UF_OK);
  assert_string_equal(out, want);
  free(out);
}

static void test_built_trees(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  expect_gen(bin(t, UF_BINARY, "*", bin(t, UF_BINARY, "+", num(t, "1"), num(t, "2")), num(t, "3")),
             "(1 + 2) * 3");
  expect_gen(bin(t, UF_BINARY, "-", num(t, "1"), bin(t, UF_BINARY, "-", num(t, "2"), num(t, "3"))),
             "1 - (2 - 3)");
  expect_gen(bin(t, UF_AND, "", bin(t, UF_OR, "", num(t, "1"), num(t, "2")), num(t, "3")),
             "(1 OR 2) AND 3");
  uf_node *neg = uf_node_new_text(t, UF_UNARY, "-", 1);
  uf_set(neg, UF_SLOT_THIS, bin(t, UF_BINARY, "^", num(t, "2"), num(t, "2")), NULL);
  expect_gen(neg, "-(2 ^ 2)");
  uf_node *neg2 = uf_node_new_text(t, UF_UNARY, "-", 1);
  uf_set(neg2, UF_SLOT_THIS, num(t, "-1"), NULL);
  expect_gen(neg2, "- -1");
  uf_node *cast = uf_node_new(t, UF_CAST);
  cast->style = 1;
  uf_set(cast, UF_SLOT_THIS, bin(t, UF_BINARY, "+", num(t, "1"), num(t, "2")), NULL);
  uf_set(cast, UF_SLOT_TO, uf_node_new_text(t, UF_TYPE, "INT", 3), NULL);
  expect_gen(cast, "(1 + 2)::INT");
  uf_node *nt = uf_node_new(t, UF_NOT);
  uf_set(nt, UF_SLOT_THIS, bin(t, UF_AND, "", num(t, "1"), num(t, "2")), NULL);
  expect_gen(nt, "NOT (1 AND 2)");
  uf_tree_free(t);
}

/* ---- errors and limits ---- */

typedef struct { const char *sql; uint32_t line, column; } err_case;

static void test_syntax_errors(void **state) {
  (void)state;
  static const err_case CASES[] = {
      {"1 +", 1, 4},         {"(1 + 2", 1, 7},       {"a AND", 1, 6},
      {"f(1,", 1, 5},        {"CASE WHEN a END", 1, 13}, {"x IS 5", 1, 6},
      {"CAST(x AS)", 1, 10}, {"1 +\n  * FROM", 2, 5},  {"x BETWEEN 1", 1, 12},
      {"a b", 1, 3},         {"x IN 1", 1, 6},        {"[1, 2", 1, 6},
      {"{'a' 1}", 1, 6},     {"x::", 1, 4},           {"E'\\u12'", 1, 1},
      {"left", 1, 1},        {"select", 1, 1},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    uf_error err;
    uf_status st;
    uf_tree *t = ut_parse_expr(CASES[i].sql, NULL, &st, &err);
    if (st != UF_SYNTAX) fail_msg("[%s]: expected SYNTAX, got %d", CASES[i].sql, (int)st);
    assert_null(t);
    if (err.line != CASES[i].line || err.column != CASES[i].column)
      fail_msg("[%s]: error at %u:%u, expected %u:%u (%s)", CASES[i].sql, err.line,
               err.column, CASES[i].line, CASES[i].column, err.message);
  }
}

static void test_deep_nesting(void **state) {
  (void)state;
  size_t depth = 100000;
  char *sql = malloc(depth * 2 + 2);
  assert_non_null(sql);
  memset(sql, '(', depth);
  sql[depth] = '1';
  memset(sql + depth + 1, ')', depth);
  sql[2 * depth + 1] = '\0';
  uf_error err;
  uf_status st;
  uf_tree *t = ut_parse_expr(sql, NULL, &st, &err);
  assert_int_equal(st, UF_LIMIT_EXCEEDED);
  assert_null(t);
  /* long prefix chains and subscripts hit the same wall */
  for (size_t i = 0; i < depth; i += 2) { sql[i] = '-'; sql[i + 1] = ' '; }
  sql[depth] = '1';
  sql[depth + 1] = '\0';
  t = ut_parse_expr(sql, NULL, &st, &err);
  assert_int_equal(st, UF_LIMIT_EXCEEDED);
  for (size_t i = 0; i < depth; i += 2) { sql[i] = 'f'; sql[i + 1] = '('; }
  sql[depth] = '\0';
  t = ut_parse_expr(sql, NULL, &st, &err);
  assert_int_equal(st, UF_LIMIT_EXCEEDED);
  free(sql);
  /* nesting under the limit works */
  free(ut_round_trip_must("((((((((((1))))))))))", NULL, UT_EXPR, false));
}

/* Comments stay in the output and formatting them is a fixed point. */
static void test_comments(void **state) {
  (void)state;
  const char *cases[] = {"f(x /* c1 */ + y /* c2 */ + g(5 /* c3 */))",
                         "/* lead */ a IN (/* first */ 1, 2)", "CASE /* w */ WHEN a THEN b END"};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *out = ut_round_trip_must(cases[i], NULL, UT_EXPR, false);
    if (!strstr(out, "/*")) fail_msg("[%s] lost its comments: [%s]", cases[i], out);
    free(out);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trips),       cmocka_unit_test(test_round_trips_pretty),
      cmocka_unit_test(test_identity_corpus),   cmocka_unit_test(test_normalize),
      cmocka_unit_test(test_pretty_case),       cmocka_unit_test(test_dialect_outputs),
      cmocka_unit_test(test_dialect_unsupported), cmocka_unit_test(test_dialect_inputs),
      cmocka_unit_test(test_precedence),        cmocka_unit_test(test_built_trees),
      cmocka_unit_test(test_syntax_errors),     cmocka_unit_test(test_deep_nesting),
      cmocka_unit_test(test_comments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
