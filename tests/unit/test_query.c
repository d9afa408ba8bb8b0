/* Queries and FROM items: parse, generate (compact and pretty), re-parse
 * to an equal AST, generation is a fixed point; TPC-H; AST shapes; dialect
 * checks; error positions; hostile nesting. */
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

/* Compact output of sql (parsed and generated in dialect d); caller frees. */
static char *compact(const char *sql, const uf_dialect *d) {
  uf_error err;
  uf_tree *t = ut_parse(sql, d, &err);
  if (!t) {
    print_error("input: %s\nparse failed: %s\n", sql, err.message);
    return NULL;
  }
  char *out = ut_gen(uf_tree_root(t), d, false, &err);
  uf_tree_free(t);
  return out;
}

/* ---- TPC-H ---- */

static void test_tpch(void **state) {
  (void)state;
  int failures = 0;
  for (int q = 1; q <= 22; q++) {
    char path[512];
    snprintf(path, sizeof path, "%s/corpora/tpch/queries/q%02d.sql", UF_SHARED_DIR, q);
    char *sql = ut_read_file(path, NULL);
    if (!sql) fail_msg("cannot read %s", path);
    if (!ut_round_trips(sql, NULL, UT_STMT)) {
      print_error("(TPC-H q%02d)\n", q);
      failures++;
    }
    free(sql);
  }
  assert_int_equal(failures, 0);
}

/* ---- round trips of every construct ---- */

static const char *const CASES[] = {
    /* keywords as qualified name parts, set ops in parenthesized operands */
    "SELECT * FROM schema.case",
    "SELECT * FROM a.b.\"select\"",
    "SELECT * FROM x WHERE y IN ((SELECT 1) UNION (SELECT 2) OFFSET 2)",
    /* SELECT basics */
    "SELECT 1",
    "SELECT a, b FROM t",
    "SELECT DISTINCT a FROM t",
    "SELECT ALL a FROM t",
    "SELECT DISTINCT ON (a, b) a, b, c FROM t ORDER BY a, b",
    "SELECT a, b, FROM t",
    "SELECT a AS x, b y FROM t AS u",
    "SELECT * FROM t WHERE a = 1 AND b > 2",
    "SELECT a INTO new_t FROM t",
    "select a from t where x like 'a%' order by a desc nulls last limit 5",
    /* GROUP BY and friends */
    "SELECT a, sum(b) FROM t GROUP BY a HAVING sum(b) > 1",
    "SELECT a, sum(b) FROM t GROUP BY ALL",
    "SELECT a, b, sum(c) FROM t GROUP BY ROLLUP (a, b)",
    "SELECT a, b, sum(c) FROM t GROUP BY CUBE (a, b)",
    "SELECT a, b, sum(c) FROM t GROUP BY GROUPING SETS ((a, b), (a), ())",
    "SELECT a, b, sum(c) FROM t GROUP BY a, ROLLUP (b, c)",
    "SELECT a, rank() OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b)",
    "SELECT a FROM t WINDOW w1 AS (ORDER BY a), w2 AS (PARTITION BY b)",
    "SELECT a, row_number() OVER (PARTITION BY a ORDER BY b) AS rn FROM t QUALIFY rn = 1",
    /* ORDER BY / LIMIT / OFFSET / FETCH */
    "SELECT a FROM t ORDER BY ALL",
    "SELECT a FROM t ORDER BY ALL DESC",
    "SELECT a FROM t ORDER BY a ASC NULLS FIRST, b DESC",
    "SELECT a FROM t LIMIT 10 OFFSET 5",
    "SELECT a FROM t OFFSET 5 LIMIT 10",
    "SELECT a FROM t LIMIT ALL",
    "SELECT a FROM t LIMIT 10%",
    "SELECT a FROM t LIMIT 10 PERCENT",
    "SELECT a FROM t OFFSET 3 ROWS",
    "SELECT a FROM t ORDER BY a FETCH FIRST 5 ROWS ONLY",
    "SELECT a FROM t ORDER BY a OFFSET 2 ROWS FETCH NEXT 1 ROW ONLY",
    "SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES",
    /* WITH */
    "WITH x AS (SELECT 1 AS a) SELECT a FROM x",
    "WITH x(a, b) AS (SELECT 1, 2), y AS (SELECT a FROM x) SELECT * FROM y",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r",
    "WITH x AS MATERIALIZED (SELECT 1) SELECT * FROM x",
    "WITH x AS NOT MATERIALIZED (SELECT 1) SELECT * FROM x",
    "SELECT * FROM (WITH y AS (SELECT 1 AS z) SELECT z FROM y) AS x",
    "WITH a AS ((SELECT 1 AS b) UNION ALL (SELECT 2 AS b)) SELECT * FROM a",
    /* FROM-first */
    "FROM t",
    "FROM t SELECT a, b",
    "FROM t WHERE a > 1",
    "FROM t AS x JOIN u ON x.a = u.a SELECT x.a WHERE u.b = 2 ORDER BY 1",
    "FROM (FROM t) AS s",
    /* set operations */
    "SELECT 1 UNION SELECT 2",
    "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3",
    "SELECT 1 UNION DISTINCT SELECT 2",
    "SELECT a FROM t INTERSECT SELECT a FROM u",
    "SELECT a FROM t EXCEPT ALL SELECT a FROM u",
    "SELECT 1 UNION SELECT 2 INTERSECT SELECT 3",
    "SELECT a, b FROM t UNION BY NAME SELECT b, a FROM u",
    "SELECT a FROM t UNION ALL BY NAME SELECT a FROM u",
    "SELECT a FROM t UNION SELECT a FROM u ORDER BY a LIMIT 3",
    "(SELECT a FROM t) UNION (SELECT a FROM u)",
    "(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT a FROM u)",
    "(SELECT 1) ORDER BY 1",
    "((SELECT 1) UNION (SELECT 2)) ORDER BY 1 LIMIT 1",
    "SELECT 1 UNION (SELECT 2 UNION SELECT 3)",
    /* VALUES */
    "VALUES (1, 2), (3, 4)",
    "VALUES (1)",
    "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)",
    "SELECT * FROM (VALUES (1)) v",
    "SELECT 1 UNION ALL VALUES (2)",
    /* FROM items */
    "SELECT * FROM db.t",
    "SELECT * FROM cat.db.t AS x",
    "SELECT * FROM \"My Table\" AS \"T\"",
    "SELECT * FROM t AS x(a, b)",
    "SELECT * FROM read_parquet('x.parquet')",
    "SELECT * FROM 'data/x.parquet' AS x",
    "FROM 'x.csv'",
    "SELECT * FROM range(10) AS r(i)",
    "SELECT * FROM unnest([1, 2]) AS u(x)",
    "SELECT * FROM generate_series(1, 3) WITH ORDINALITY AS g(v, n)",
    "SELECT * FROM (SELECT 1 AS a) AS t(c1)",
    "SELECT * FROM (SELECT a FROM t) sub",
    "SELECT * FROM t, LATERAL (SELECT t.a + 1 AS b) AS l",
    "SELECT * FROM t, LATERAL unnest(t.arr) AS u(x)",
    /* joins */
    "SELECT * FROM a JOIN b ON a.id = b.id",
    "SELECT * FROM a INNER JOIN b ON a.id = b.id",
    "SELECT * FROM a LEFT JOIN b ON a.id = b.id",
    "SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id",
    "SELECT * FROM a RIGHT JOIN b USING (id)",
    "SELECT * FROM a FULL OUTER JOIN b USING (id, k)",
    "SELECT * FROM a CROSS JOIN b",
    "SELECT * FROM a NATURAL JOIN b",
    "SELECT * FROM a NATURAL LEFT JOIN b",
    "SELECT * FROM a SEMI JOIN b ON a.id = b.id",
    "SELECT * FROM a ANTI JOIN b ON a.id = b.id",
    "SELECT * FROM a ASOF JOIN b ON a.id = b.id AND a.ts >= b.ts",
    "SELECT * FROM a ASOF LEFT JOIN b USING (id, ts)",
    "SELECT * FROM a POSITIONAL JOIN b",
    "SELECT * FROM a, b, c WHERE a.x = b.x",
    "SELECT * FROM a, b JOIN c ON b.id = c.id",
    "SELECT * FROM a JOIN b ON a.id = b.id LEFT JOIN c ON b.id = c.id CROSS JOIN d",
    "SELECT * FROM (a JOIN b ON a.id = b.id)",
    "SELECT * FROM a JOIN (b JOIN c ON b.id = c.id) ON a.id = b.id",
    "SELECT * FROM a JOIN b JOIN c ON b.id = c.id ON a.id = b.id",
    "SELECT * FROM (a JOIN b USING (id)) AS j",
    "SELECT * FROM a LEFT JOIN (SELECT id FROM b) AS s ON a.id = s.id",
    /* PIVOT / UNPIVOT */
    "PIVOT cities ON year USING sum(population)",
    "PIVOT cities ON year USING sum(population) GROUP BY country",
    "PIVOT cities ON year IN (2000, 2010) USING sum(population) AS total GROUP BY country",
    "UNPIVOT monthly ON jan, feb, mar INTO NAME month VALUE sales",
    "UNPIVOT INCLUDE NULLS monthly ON jan, feb INTO NAME month VALUE sales",
    "SELECT * FROM (PIVOT cities ON year USING sum(population))",
    "SELECT * FROM cities PIVOT (sum(population) FOR year IN (2000, 2010))",
    "SELECT * FROM cities PIVOT (sum(population) AS total FOR year IN (2000 AS y2000, 2010) GROUP BY country) AS p",
    "SELECT * FROM t PIVOT (sum(x) FOR col IN ('a', 'b'))",
    "SELECT * FROM monthly UNPIVOT (sales FOR month IN (jan, feb, mar))",
    "SELECT * FROM monthly UNPIVOT INCLUDE NULLS (sales FOR month IN (jan, feb)) AS u",
    /* SAMPLE */
    "SELECT * FROM t USING SAMPLE 10%",
    "SELECT * FROM t USING SAMPLE 10 PERCENT (bernoulli)",
    "SELECT * FROM t USING SAMPLE 50 ROWS",
    "SELECT * FROM t USING SAMPLE 10% (system, 377)",
    "SELECT * FROM t USING SAMPLE reservoir(50 ROWS) REPEATABLE (100)",
    "SELECT * FROM t TABLESAMPLE reservoir(10 ROWS) REPEATABLE (42)",
    "SELECT * FROM t AS x TABLESAMPLE 5%",
    "SELECT a FROM test TABLESAMPLE (100 ROWS)",
    "SELECT a FROM test TABLESAMPLE (0.1 PERCENT)",
    "SELECT * FROM monthly UNPIVOT ((c3) FOR c4 IN (a, b))",
    "SELECT * FROM monthly UNPIVOT ((v1, v2) FOR c IN ((a, b), (c, d)))",
    "SELECT a FROM t WHERE a > 1 USING SAMPLE 5 ORDER BY a",
    /* nesting */
    "SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT 1) AS a) AS b) AS c",
    "SELECT a FROM t WHERE a IN (SELECT a FROM u WHERE b IN (SELECT b FROM v))",
    "SELECT (SELECT max(a) FROM u) AS m FROM t",
    NULL,
};

static void test_roundtrip_cases(void **state) {
  (void)state;
  int failures = 0, n = 0;
  for (const char *const *c = CASES; *c; c++, n++)
    if (!ut_round_trips(*c, NULL, UT_STMT)) failures++;
  print_message("%d query cases\n", n);
  assert_true(n >= 60);
  assert_int_equal(failures, 0);
}

/* Postgres and DataFusion parse the standard forms too. */
static void test_roundtrip_other_dialects(void **state) {
  (void)state;
  static const char *const pg[] = {
      "SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b DESC",
      "SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH FIRST 10 ROWS ONLY",
      "SELECT * FROM t TABLESAMPLE bernoulli(10) REPEATABLE (1)",
      "SELECT * FROM a LEFT JOIN LATERAL (SELECT * FROM b WHERE b.id = a.id) AS s ON TRUE",
      "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r) SELECT * FROM r",
      "SELECT * FROM generate_series(1, 3) WITH ORDINALITY AS g(v, n)",
      NULL};
  static const char *const df[] = {
      "SELECT a, count(*) FROM t GROUP BY a ORDER BY a LIMIT 10",
      "SELECT a FROM t QUALIFY row_number() OVER (ORDER BY a) = 1",
      "SELECT * FROM a FULL JOIN b ON a.id = b.id",
      NULL};
  int failures = 0;
  for (const char *const *c = pg; *c; c++)
    if (!ut_round_trips(*c, uf_dialect_postgres(), UT_STMT)) failures++;
  for (const char *const *c = df; *c; c++)
    if (!ut_round_trips(*c, uf_dialect_datafusion(), UT_STMT)) failures++;
  assert_int_equal(failures, 0);
}

/* ---- exact output ---- */

typedef struct out_case {
  const char *sql, *compact;
} out_case;

static void test_compact_output(void **state) {
  (void)state;
  static const out_case cases[] = {
      {"select a,b from t", "SELECT a, b FROM t"},
      {"from t", "FROM t"},
      {"from t select a", "FROM t SELECT a"},
      {"select * from a inner join b on a.x=b.x", "SELECT * FROM a INNER JOIN b ON a.x = b.x"},
      {"select * from a left outer join b using(x)", "SELECT * FROM a LEFT OUTER JOIN b USING (x)"},
      {"select * from t x", "SELECT * FROM t AS x"},
      {"select 1 union all select 2 order by 1 limit 1",
       "SELECT 1 UNION ALL SELECT 2 ORDER BY 1 LIMIT 1"},
      {"select * from t using sample 10 percent (bernoulli)",
       "SELECT * FROM t USING SAMPLE 10 PERCENT (BERNOULLI)"},
      {"with recursive x as (select 1) select * from x",
       "WITH RECURSIVE x AS (SELECT 1) SELECT * FROM x"},
      {"select a from t group by grouping sets ((a), ())",
       "SELECT a FROM t GROUP BY GROUPING SETS ((a), ())"},
      {NULL, NULL}};
  int failures = 0;
  for (const out_case *c = cases; c->sql; c++) {
    char *out = compact(c->sql, NULL);
    if (!out || strcmp(out, c->compact) != 0) {
      print_error("input: %s\nexpected: %s\ngot:      %s\n", c->sql, c->compact,
                  out ? out : "(error)");
      failures++;
    }
    uf_free(out);
  }
  assert_int_equal(failures, 0);
}

static void test_pretty_output(void **state) {
  (void)state;
  const char *sql =
      "with x as (select a, b from t where a > 1) select a, sum(b) as s "
      "from x left join u on x.a = u.a where b > 0 group by a "
      "order by a limit 10";
  const char *want =
      "WITH x AS (\n"
      "  SELECT\n"
      "    a,\n"
      "    b\n"
      "  FROM t\n"
      "  WHERE\n"
      "    a > 1\n"
      ")\n"
      "SELECT\n"
      "  a,\n"
      "  sum(b) AS s\n"
      "FROM x\n"
      "LEFT JOIN u\n"
      "  ON x.a = u.a\n"
      "WHERE\n"
      "  b > 0\n"
      "GROUP BY\n"
      "  a\n"
      "ORDER BY\n"
      "  a\n"
      "LIMIT 10";
  uf_error err;
  uf_tree *t = ut_parse(sql, NULL, &err);
  assert_non_null(t);
  char *out = ut_gen(uf_tree_root(t), NULL, true, &err);
  assert_non_null(out);
  if (strcmp(out, want) != 0) print_error("input: %s\ngot:\n%s\n", sql, out);
  assert_string_equal(out, want);
  uf_free(out);
  uf_tree_free(t);

  sql = "select * from (select 1 union all select 2) as s";
  want = "SELECT\n  *\nFROM (\n  SELECT\n    1\n  UNION ALL\n  SELECT\n    2\n) AS s";
  t = ut_parse(sql, NULL, &err);
  assert_non_null(t);
  out = ut_gen(uf_tree_root(t), NULL, true, &err);
  assert_non_null(out);
  if (strcmp(out, want) != 0) print_error("input: %s\ngot:\n%s\n", sql, out);
  assert_string_equal(out, want);
  uf_free(out);
  uf_tree_free(t);
}

/* ---- AST shapes ---- */


static void test_shapes(void **state) {
  (void)state;
  /* INTERSECT binds tighter than UNION */
  uf_tree *t = ut_parse_must("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3", NULL);
  uf_node *r = uf_tree_root(t);
  assert_int_equal(r->kind, UF_SET_OP);
  assert_string_equal(r->text, "UNION");
  assert_int_equal(uf_get(r, UF_SLOT_LEFT)->kind, UF_SELECT);
  assert_string_equal(uf_get(r, UF_SLOT_RIGHT)->text, "INTERSECT");
  uf_tree_free(t);

  /* ORDER BY / LIMIT belong to the whole set operation */
  t = ut_parse_must("SELECT 1 UNION ALL SELECT 2 ORDER BY 1 LIMIT 1", NULL);
  r = uf_tree_root(t);
  assert_int_equal(r->kind, UF_SET_OP);
  assert_true(r->flags & UF_F_ALL);
  assert_non_null(uf_get(r, UF_SLOT_ORDER));
  assert_non_null(uf_get(r, UF_SLOT_LIMIT));
  assert_null(uf_get(uf_get(r, UF_SLOT_RIGHT), UF_SLOT_ORDER));
  uf_tree_free(t);

  /* FROM t equals SELECT * FROM t */
  uf_tree *a = ut_parse_must("FROM t", NULL);
  uf_tree *b = ut_parse_must("SELECT * FROM t", NULL);
  assert_true(uf_node_equal(uf_tree_root(a), uf_tree_root(b), false));
  assert_false(uf_node_equal(uf_tree_root(a), uf_tree_root(b), true));
  uf_tree_free(a);
  uf_tree_free(b);

  /* joins are a left-deep binary tree; comma binds loosest */
  t = ut_parse_must("SELECT * FROM a, b LEFT OUTER JOIN c ON b.x = c.x", NULL);
  uf_node *from = uf_get(uf_tree_root(t), UF_SLOT_FROM);
  assert_int_equal(from->kind, UF_JOIN);
  assert_string_equal(from->text, "CROSS");
  uf_node *right = uf_get(from, UF_SLOT_RIGHT);
  assert_int_equal(right->kind, UF_JOIN);
  assert_string_equal(right->text, "LEFT");
  assert_non_null(uf_get(right, UF_SLOT_ON));
  uf_tree_free(t);

  /* plain JOIN and INNER JOIN are the same join */
  a = ut_parse_must("SELECT * FROM a JOIN b ON TRUE", NULL);
  b = ut_parse_must("SELECT * FROM a INNER JOIN b ON TRUE", NULL);
  assert_true(uf_node_equal(uf_tree_root(a), uf_tree_root(b), false));
  uf_tree_free(a);
  uf_tree_free(b);

  /* table name parts */
  t = ut_parse_must("SELECT * FROM c.d.t AS x(p, q)", NULL);
  uf_node *tbl = uf_get(uf_tree_root(t), UF_SLOT_FROM);
  assert_int_equal(tbl->kind, UF_TABLE);
  assert_string_equal(uf_get(tbl, UF_SLOT_CATALOG)->text, "c");
  assert_string_equal(uf_get(tbl, UF_SLOT_DB)->text, "d");
  assert_string_equal(uf_get(tbl, UF_SLOT_THIS)->text, "t");
  uf_node *alias = uf_get(tbl, UF_SLOT_ALIAS);
  assert_int_equal(alias->kind, UF_TABLE_ALIAS);
  assert_int_equal(uf_get(alias, UF_SLOT_COLUMNS)->nkids, 2);
  uf_tree_free(t);

  /* percent sample */
  t = ut_parse_must("SELECT * FROM t USING SAMPLE 10%", NULL);
  uf_node *s = uf_get(uf_tree_root(t), UF_SLOT_SAMPLE);
  assert_int_equal(s->kind, UF_SAMPLE);
  assert_true(s->flags & UF_F_PERCENT);
  assert_string_equal(uf_get(s, UF_SLOT_SIZE)->text, "10");
  uf_tree_free(t);
}

/* ---- dialect checks ---- */

typedef struct dialect_case {
  const char *sql;
  const char *construct; /* expected in the error message */
} dialect_case;

static void test_unsupported_in_dialects(void **state) {
  (void)state;
  static const dialect_case pg[] = {
      {"SELECT a FROM t QUALIFY a = 1", "QUALIFY"},
      {"PIVOT t ON a USING sum(b)", "PIVOT"},
      {"SELECT * FROM t PIVOT (sum(b) FOR a IN (1, 2))", "PIVOT"},
      {"SELECT * FROM a POSITIONAL JOIN b", "POSITIONAL JOIN"},
      {"SELECT * FROM a ASOF JOIN b ON a.t >= b.t", "ASOF JOIN"},
      {"SELECT * FROM a SEMI JOIN b ON a.x = b.x", "SEMI JOIN"},
      {"SELECT * FROM a ANTI JOIN b ON a.x = b.x", "ANTI JOIN"},
      {"SELECT a FROM t GROUP BY ALL", "GROUP BY ALL"},
      {"SELECT a FROM t UNION BY NAME SELECT a FROM u", "BY NAME"},
      {NULL, NULL}};
  static const dialect_case df[] = {
      {"SELECT * FROM t USING SAMPLE 10%", "SAMPLE"},
      {"PIVOT t ON a USING sum(b)", "PIVOT"},
      {"SELECT a FROM t ORDER BY a FETCH FIRST 2 ROWS WITH TIES", "FETCH"},
      {NULL, NULL}};
  int failures = 0;
  for (int which = 0; which < 2; which++) {
    const dialect_case *cs = which ? df : pg;
    const uf_dialect *d = which ? uf_dialect_datafusion() : uf_dialect_postgres();
    for (const dialect_case *c = cs; c->sql; c++) {
      uf_error err;
      uf_tree *t = ut_parse(c->sql, NULL, &err);
      if (!t) {
        print_error("input: %s\nparse failed: %s\n", c->sql, err.message);
        failures++;
        continue;
      }
      char *out = ut_gen(uf_tree_root(t), d, false, &err);
      if (out || err.code != UF_UNSUPPORTED || !strstr(err.message, c->construct)) {
        print_error("input: %s (to %s)\nexpected UNSUPPORTED naming %s, got: %s\n",
                    c->sql, uf_dialect_name(d), c->construct,
                    out ? out : err.message);
        failures++;
      }
      uf_free(out);
      uf_tree_free(t);
    }
  }
  assert_int_equal(failures, 0);

  /* FROM-first is presentation only: other dialects get the standard form;
   * FETCH becomes LIMIT where FETCH is missing */
  char *out = NULL;
  uf_error err;
  uf_tree *t = ut_parse("FROM t", NULL, &err);
  assert_non_null(t);
  out = ut_gen(uf_tree_root(t), uf_dialect_postgres(), false, &err);
  assert_non_null(out);
  assert_string_equal(out, "SELECT * FROM t");
  uf_free(out);
  uf_tree_free(t);
  t = ut_parse("SELECT a FROM t FETCH FIRST 3 ROWS ONLY", NULL, &err);
  assert_non_null(t);
  out = ut_gen(uf_tree_root(t), uf_dialect_datafusion(), false, &err);
  assert_non_null(out);
  assert_string_equal(out, "SELECT a FROM t LIMIT 3");
  uf_free(out);
  uf_tree_free(t);
}

/* ---- errors ---- */

typedef struct err_case {
  const char *sql;
  uint32_t line, col;
} err_case;

static void test_errors(void **state) {
  (void)state;
  static const err_case cases[] = {
      {"SELECT a FROM", 1, 14},
      {"SELECT a FROM t WHERE", 1, 22},
      {"SELECT a FROM t JOIN u", 1, 23},
      {"SELECT a FROM t LEFT u ON TRUE", 1, 22},
      {"SELECT a\nFROM t\nGROUP a", 3, 7},
      {"SELECT a FROM t ORDER a", 1, 23},
      {"SELECT * FROM (SELECT 1", 1, 24},
      {"WITH x AS SELECT 1 SELECT 2", 1, 11},
      {"SELECT 1 UNION", 1, 15},
      {"SELECT a FROM t LIMIT", 1, 22},
      {"VALUES (1), ", 1, 13},
      {"SELECT * FROM t USING SAMPLE", 1, 29},
      {"SELECT a FROM t FETCH FIRST 3 ROWS", 1, 35},
      {"SELECT * FROM t PIVOT (sum(x) col IN (1))", 1, 35},
      {"SELECT * FROM a.b.c.d", 1, 21},
      {NULL, 0, 0}};
  int failures = 0;
  for (const err_case *c = cases; c->sql; c++) {
    uf_error err;
    uf_tree *t = ut_parse(c->sql, NULL, &err);
    if (t || err.code != UF_SYNTAX || err.line != c->line || err.column != c->col) {
      print_error("input: %s\nexpected syntax error at %u:%u, got %s at %u:%u: %s\n",
                  c->sql, c->line, c->col, t ? "success" : uf_status_name(err.code),
                  err.line, err.column, err.message);
      failures++;
    }
    uf_tree_free(t);
  }
  assert_int_equal(failures, 0);
}

/* ---- hostile nesting ---- */

static char *repeat_wrap(const char *open, const char *mid, const char *close, int n) {
  size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
  char *s = malloc(lo * (size_t)n + lm + lc * (size_t)n + 1);
  if (!s) return NULL;
  char *w = s;
  for (int i = 0; i < n; i++, w += lo) memcpy(w, open, lo);
  memcpy(w, mid, lm);
  w += lm;
  for (int i = 0; i < n; i++, w += lc) memcpy(w, close, lc);
  *w = '\0';
  return s;
}

static void test_deep_nesting(void **state) {
  (void)state;
  static const struct { const char *open, *mid, *close; } shapes[] = {
      {"SELECT * FROM (", "SELECT 1", ")"},
      {"(", "SELECT 1", ")"},
      {"SELECT * FROM (", "t", ")"},
      {"WITH x AS (", "SELECT 1", ") SELECT 1"},
      {"SELECT 1 UNION (", "SELECT 1", ")"},
      {"SELECT * FROM a JOIN (", "b", ") ON TRUE"},
  };
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
    char *sql = repeat_wrap(shapes[i].open, shapes[i].mid, shapes[i].close, 100000);
    assert_non_null(sql);
    uf_error err;
    uf_tree *t = ut_parse(sql, NULL, &err);
    if (t || err.code != UF_LIMIT_EXCEEDED)
      print_error("input: %s... x100000\nexpected LIMIT_EXCEEDED, got %s: %s\n",
                  shapes[i].open, t ? "success" : uf_status_name(err.code),
                  err.message);
    assert_null(t);
    assert_int_equal(err.code, UF_LIMIT_EXCEEDED);
    free(sql);
  }
  /* moderate nesting still works and round-trips */
  char *sql = repeat_wrap("SELECT * FROM (", "SELECT 1", ") AS x", 40);
  assert_true(ut_round_trips(sql, NULL, UT_STMT));
  free(sql);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tpch),
      cmocka_unit_test(test_roundtrip_cases),
      cmocka_unit_test(test_roundtrip_other_dialects),
      cmocka_unit_test(test_compact_output),
      cmocka_unit_test(test_pretty_output),
      cmocka_unit_test(test_shapes),
      cmocka_unit_test(test_unsupported_in_dialects),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_deep_nesting),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
