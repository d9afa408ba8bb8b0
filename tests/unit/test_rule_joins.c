/* The rules normalize, optimize_joins and eliminate_joins: table-driven
 * input -> expected SQL for each rule after qualify and
 * normalize_identifiers (rewrites that must happen, and traps that must
 * stay as written: three-valued logic, volatile calls, outer joins, used
 * or non-unique join sides, unexpanded stars), the normalization distance
 * gate and its artifacts, and idempotence (compiling the output again
 * gives it back) under each rule alone and under the default policy;
 * rewritten TPC-H queries return what the originals return on DuckDB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/engine.h"
#include "engine/engine_oracle.h"
#include "../support/compile_util.h"
#include "unifier/compile.h"
#include "unifier/unifier.h"
#include "../support/support.h"
#include "../support/tpch.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

#define NORM "qualify,normalize_identifiers,normalize"
#define OJ "qualify,normalize_identifiers,optimize_joins"
#define EJ "qualify,normalize_identifiers,eliminate_joins"

static uf_schema *fixture_schema(void) {
  return ut_schema_shared("corpora/sqlglot/optimizer/schema.json");
}

/* Compiles sql; the SQL as a new string, NULL (error printed) on failure. */
static char *compile(const char *sql, const uf_policy *p, const uf_schema *s,
                     uf_compile_artifacts *out_art) {
  uf_compiled_query *q = NULL;
  uf_error err;
  if (uf_compile_sql(sql, strlen(sql), p, s, NULL, &q, &err) != UF_OK) {
    print_error("%s: compile failed: %s\n", sql, err.message);
    return NULL;
  }
  char *r = strdup(q->sql);
  if (out_art) {
    *out_art = q->artifacts;
    out_art->issues = NULL, out_art->nissues = 0;
    out_art->columns = NULL, out_art->ncolumns = 0;
    out_art->lineage_json = out_art->lineage_predicates_json = NULL;
    out_art->timings = NULL, out_art->ntimings = 0;
  }
  uf_compiled_query_free(q);
  return r;
}

typedef struct rcase {
  const char *rules;
  bool schema; /* the optimizer fixture schema (x, y, z, w), else none */
  const char *in;
  const char *out;
} rcase;

static const rcase CASES[] = {
    /* -- normalize: to CNF --------------------------------------------------- */
    {NORM, false, "SELECT * FROM t WHERE (a AND b) OR c",
     "SELECT * FROM t AS t WHERE (t.a OR t.c) AND (t.b OR t.c)"},
    {NORM, false, "SELECT * FROM t WHERE c OR (a AND b)",
     "SELECT * FROM t AS t WHERE (t.a OR t.c) AND (t.b OR t.c)"},
    {NORM, false, "SELECT * FROM t WHERE (a AND b) OR (c AND d)",
     "SELECT * FROM t AS t WHERE (t.a OR t.c) AND (t.a OR t.d) AND (t.b OR t.c) AND (t.b OR t.d)"},
    {NORM, false, "SELECT * FROM t WHERE (A AND E) OR (B AND C) OR (D AND (E OR F))",
     "SELECT * FROM t AS t WHERE (t.a OR t.b OR t.d) AND (t.a OR t.c OR t.d) AND "
     "(t.b OR t.d OR t.e) AND (t.b OR t.e OR t.f) AND (t.c OR t.d OR t.e) AND (t.c OR t.e OR t.f)"},
    {NORM, false, "SELECT * FROM t WHERE A OR ((((B OR C) AND (B OR D)) OR C) AND (((B OR C) AND (B OR D)) OR D))",
     "SELECT * FROM t AS t WHERE (t.a OR t.b OR t.c) AND (t.a OR t.b OR t.d)"},
    /* flattening and De Morgan (valid under Kleene logic) */
    {NORM, false, "SELECT * FROM t WHERE a AND (b AND c)", "SELECT * FROM t AS t WHERE t.a AND t.b AND t.c"},
    {NORM, false, "SELECT * FROM t WHERE a OR (b OR c)", "SELECT * FROM t AS t WHERE t.a OR t.b OR t.c"},
    {NORM, false, "SELECT * FROM t WHERE NOT NOT NOT (a OR b)",
     "SELECT * FROM t AS t WHERE NOT t.a AND NOT t.b"},
    {NORM, false, "SELECT * FROM t WHERE NOT (a AND NOT b)", "SELECT * FROM t AS t WHERE NOT t.a OR t.b"},
    {NORM, false, "SELECT * FROM t WHERE NOT (x = 1 OR y IS NULL)",
     "SELECT * FROM t AS t WHERE NOT t.x = 1 AND NOT t.y IS NULL"},
    /* already CNF: left as written */
    {NORM, false, "SELECT * FROM t WHERE (a OR b) AND (b OR c) AND (e OR f)",
     "SELECT * FROM t AS t WHERE (t.a OR t.b) AND (t.b OR t.c) AND (t.e OR t.f)"},
    {NORM, false, "SELECT * FROM t WHERE NOT a OR NOT b", "SELECT * FROM t AS t WHERE NOT t.a OR NOT t.b"},
    /* every clause of a distributed tree, BETWEEN expanded as SQLGlot does */
    {NORM, false,
     "SELECT * FROM t WHERE dt BETWEEN '2022-01-01' AND '2022-12-31' AND dt >= '2022-05-01' OR dt = '2021-06-01'",
     "SELECT * FROM t AS t WHERE (t.dt <= '2022-12-31' OR t.dt = '2021-06-01') AND "
     "(t.dt = '2021-06-01' OR t.dt >= '2022-01-01') AND (t.dt = '2021-06-01' OR t.dt >= '2022-05-01')"},
    /* everywhere: ON, HAVING, CASE, select list, nested trees */
    {NORM, false, "SELECT * FROM t JOIN u ON (t.a = u.a AND t.b = 1) OR u.c = 2",
     "SELECT * FROM t AS t JOIN u AS u ON (t.a = u.a OR u.c = 2) AND (t.b = 1 OR u.c = 2)"},
    {NORM, false, "SELECT CASE WHEN (a AND b) OR c THEN 1 END FROM t",
     "SELECT CASE WHEN (t.a OR t.c) AND (t.b OR t.c) THEN 1 END AS _col_0 FROM t AS t"},
    {NORM, false, "SELECT a FROM t GROUP BY a, b, c HAVING (a AND b) OR c",
     "SELECT t.a AS a FROM t AS t GROUP BY t.a, t.b, t.c HAVING (t.a OR t.c) AND (t.b OR t.c)"},
    /* a tree inside an operand of a distributed tree: every copy normalized */
    {NORM, false, "SELECT * FROM t WHERE (x = 1 AND COALESCE((a AND b) OR c, FALSE)) OR z = 3",
     "SELECT * FROM t AS t WHERE (COALESCE((t.a OR t.c) AND (t.b OR t.c), FALSE) OR t.z = 3) AND "
     "(t.x = 1 OR t.z = 3)"},
    /* operands that may fail are not distributed: DuckDB evaluates an OR
     * operand only where the ones before it are not TRUE, and CNF would run
     * -4 - y (an overflow) on rows the query as written never computes it
     * on; the inner tree is still normalized */
    {NORM, false, "SELECT * FROM t WHERE (x = 1 AND y = 2) OR -4 - y <> z",
     "SELECT * FROM t AS t WHERE (t.x = 1 AND t.y = 2) OR -4 - t.y <> t.z"},
    {NORM, false, "SELECT * FROM t WHERE (x = 1 AND CASE WHEN (a AND b) OR c THEN y END = 2) OR z = 3",
     "SELECT * FROM t AS t WHERE (t.x = 1 AND CASE WHEN (t.a OR t.c) AND (t.b OR t.c) THEN t.y END = 2) OR t.z = 3"},
    {NORM, false, "SELECT * FROM t WHERE (x = 1 AND CAST(s AS INTEGER) > 2) OR z = 3",
     "SELECT * FROM t AS t WHERE (t.x = 1 AND CAST(t.s AS INTEGER) > 2) OR t.z = 3"},
    /* ... De Morgan and flattening keep the rows each operand sees */
    {NORM, false, "SELECT * FROM t WHERE NOT (x = 1 AND -4 - y <> z)",
     "SELECT * FROM t AS t WHERE NOT t.x = 1 OR NOT -4 - t.y <> t.z"},
    /* three-valued logic: x OR (x AND y) is x (also when x is NULL) */
    {NORM, false, "SELECT * FROM t WHERE (x = 1 AND y = 2) OR x = 1", "SELECT * FROM t AS t WHERE t.x = 1"},
    /* ... but a lone non-boolean operand would change the type: kept */
    {NORM, false, "SELECT (a AND b) OR a AS r FROM t", "SELECT (t.a AND t.b) OR t.a AS r FROM t AS t"},
    /* a OR NOT a is not TRUE under NULLs: kept */
    {NORM, false, "SELECT * FROM t WHERE x = 1 OR NOT x = 1", "SELECT * FROM t AS t WHERE t.x = 1 OR NOT t.x = 1"},
    /* operands that must not be evaluated twice: not distributed */
    {NORM, false, "SELECT * FROM t WHERE (x = 1 AND random() < 0.5) OR y = 2",
     "SELECT * FROM t AS t WHERE (t.x = 1 AND random() < 0.5) OR t.y = 2"},
    {NORM, false, "SELECT * FROM t WHERE (x = 1 AND x IN (SELECT u.a FROM u)) OR y = 2",
     "SELECT * FROM t AS t WHERE (t.x = 1 AND t.x IN (SELECT u.a AS a FROM u AS u)) OR t.y = 2"},
    {NORM, false, "SELECT * FROM t WHERE (x = 1 AND sum(y) OVER () > 2) OR y = 2",
     "SELECT * FROM t AS t WHERE (t.x = 1 AND sum(t.y) OVER () > 2) OR t.y = 2"},
    /* a GROUP BY key holding a connector: select list and HAVING matched
     * by structure, left alone */
    {NORM, false, "SELECT (a AND b) OR c AS k FROM t GROUP BY (a AND b) OR c",
     "SELECT (t.a AND t.b) OR t.c AS k FROM t AS t GROUP BY (t.a AND t.b) OR t.c"},
    /* constants are simplify's */
    {NORM, false, "SELECT (TRUE AND FALSE) OR NULL AS k", "SELECT (TRUE AND FALSE) OR NULL AS k"},

    /* -- optimize_joins ------------------------------------------------------ */
    {OJ, true, "SELECT x.a FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.b = z.b",
     "SELECT x.a AS a FROM x AS x JOIN z AS z ON x.b = z.b JOIN y AS y ON y.b = z.b"},
    {OJ, true, "SELECT x.a FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.c = z.c AND x.a = y.b",
     "SELECT x.a AS a FROM x AS x JOIN z AS z ON x.b = z.b JOIN y AS y ON y.c = z.c AND x.a = y.b"},
    /* the condition reads one other source only: the cross join stays */
    {OJ, true, "SELECT x.a FROM x CROSS JOIN y JOIN z ON x.b = z.b",
     "SELECT x.a AS a FROM x AS x CROSS JOIN y AS y JOIN z AS z ON x.b = z.b"},
    {OJ, true, "SELECT x.a FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.c = z.c JOIN w ON w.d = y.c",
     "SELECT x.a AS a FROM x AS x JOIN z AS z ON x.b = z.b JOIN y AS y ON y.c = z.c JOIN w AS w ON w.d = y.c"},
    {OJ, true, "SELECT x.a FROM x CROSS JOIN (SELECT y.b, y.c FROM y) AS d JOIN z ON x.b = z.b AND d.c = z.c",
     "SELECT x.a AS a FROM x AS x JOIN z AS z ON x.b = z.b JOIN (SELECT y.b AS b, y.c AS c FROM y AS y) AS d "
     "ON d.c = z.c"},
    /* a volatile condition stays where it is evaluated */
    {OJ, true, "SELECT x.a FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.c = z.c AND random() > 0.5",
     "SELECT x.a AS a FROM x AS x CROSS JOIN y AS y JOIN z AS z ON x.b = z.b AND y.c = z.c AND random() > 0.5"},
    /* stars expanded by qualify: the select list keeps the column order */
    {OJ, true, "SELECT * FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.b = z.b",
     "SELECT x.a AS a, x.b AS b, y.b AS b, y.c AS c, z.b AS b, z.c AS c FROM x AS x JOIN z AS z ON x.b = z.b "
     "JOIN y AS y ON y.b = z.b"},
    /* spellings */
    {OJ, true, "SELECT x.a FROM x INNER JOIN y ON x.b = y.b", "SELECT x.a AS a FROM x AS x JOIN y AS y ON x.b = y.b"},
    {OJ, true, "SELECT x.a FROM x LEFT OUTER JOIN y ON x.b = y.b",
     "SELECT x.a AS a FROM x AS x LEFT JOIN y AS y ON x.b = y.b"},
    {OJ, true, "SELECT x.a FROM x JOIN y ON TRUE", "SELECT x.a AS a FROM x AS x CROSS JOIN y AS y"},
    {OJ, true, "SELECT x.a FROM x LEFT JOIN y ON TRUE", "SELECT x.a AS a FROM x AS x LEFT JOIN y AS y ON TRUE"},
    /* in order already: unchanged */
    {OJ, true, "SELECT x.a FROM x JOIN y ON x.b = y.b JOIN z ON y.c = z.c",
     "SELECT x.a AS a FROM x AS x JOIN y AS y ON x.b = y.b JOIN z AS z ON y.c = z.c"},
    /* not moved: outer joins, LIMIT, unexpanded star, order-sensitive aggregate */
    {OJ, true, "SELECT x.a FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.b = z.b LEFT JOIN w ON w.d = y.c",
     "SELECT x.a AS a FROM x AS x CROSS JOIN y AS y JOIN z AS z ON x.b = z.b AND y.b = z.b LEFT JOIN w AS w "
     "ON w.d = y.c"},
    {OJ, true, "SELECT x.a FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.b = z.b LIMIT 3",
     "SELECT x.a AS a FROM x AS x CROSS JOIN y AS y JOIN z AS z ON x.b = z.b AND y.b = z.b LIMIT 3"},
    {OJ, false, "SELECT * FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.b = z.b",
     "SELECT * FROM x AS x CROSS JOIN y AS y JOIN z AS z ON x.b = z.b AND y.b = z.b"},
    {OJ, true, "SELECT list(x.a) FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.b = z.b",
     "SELECT list(x.a) AS _col_0 FROM x AS x CROSS JOIN y AS y JOIN z AS z ON x.b = z.b AND y.b = z.b"},
    {OJ, true, "SELECT s.a FROM (SELECT x.a FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.b = z.b) AS s LIMIT 1",
     "SELECT s.a AS a FROM (SELECT x.a AS a FROM x AS x CROSS JOIN y AS y JOIN z AS z ON x.b = z.b AND "
     "y.b = z.b) AS s LIMIT 1"},

    /* -- eliminate_joins ----------------------------------------------------- */
    {EJ, true, "SELECT x.a FROM x LEFT JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b = y.b",
     "SELECT x.a AS a FROM x AS x"},
    {EJ, true, "SELECT x.a FROM x LEFT JOIN (SELECT y.b, y.c FROM y GROUP BY y.b, y.c) AS y ON x.b = y.b AND x.a = y.c",
     "SELECT x.a AS a FROM x AS x"},
    {EJ, true, "WITH c AS (SELECT y.b, count(*) AS n FROM y GROUP BY y.b) SELECT x.a FROM x LEFT JOIN c ON c.b = x.b",
     "WITH c AS (SELECT y.b AS b, count(*) AS n FROM y AS y GROUP BY y.b) SELECT x.a AS a FROM x AS x"},
    {EJ, true, "SELECT x.a FROM x LEFT JOIN (SELECT max(y.b) AS m FROM y) AS y ON TRUE", "SELECT x.a AS a FROM x AS x"},
    {EJ, true,
     "SELECT x.a FROM x LEFT JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b = y.b LEFT JOIN (SELECT DISTINCT z.b FROM z) "
     "AS z ON z.b = y.b",
     "SELECT x.a AS a FROM x AS x"},
    /* kept: the side is read, not unique on the keys, not a LEFT JOIN */
    {EJ, true, "SELECT x.a, y.b FROM x LEFT JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b = y.b",
     "SELECT x.a AS a, y.b AS b FROM x AS x LEFT JOIN (SELECT DISTINCT y.b AS b FROM y AS y) AS y ON x.b = y.b"},
    {EJ, true, "SELECT x.a FROM x LEFT JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b = y.b WHERE y.b IS NULL",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT DISTINCT y.b AS b FROM y AS y) AS y ON x.b = y.b WHERE "
     "y.b IS NULL"},
    {EJ, true, "SELECT x.a FROM x LEFT JOIN (SELECT y.b, y.c FROM y GROUP BY y.b, y.c) AS y ON x.b = y.b",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT y.b AS b, y.c AS c FROM y AS y GROUP BY y.b, y.c) AS y ON "
     "x.b = y.b"},
    {EJ, true, "SELECT x.a FROM x LEFT JOIN (SELECT y.b FROM y) AS y ON x.b = y.b",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT y.b AS b FROM y AS y) AS y ON x.b = y.b"},
    {EJ, true, "SELECT x.a FROM x LEFT JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b > y.b",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT DISTINCT y.b AS b FROM y AS y) AS y ON x.b > y.b"},
    {EJ, true, "SELECT x.a FROM x LEFT JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b = y.b OR x.a = 1",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT DISTINCT y.b AS b FROM y AS y) AS y ON x.b = y.b OR x.a = 1"},
    {EJ, true, "SELECT x.a FROM x JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b = y.b",
     "SELECT x.a AS a FROM x AS x JOIN (SELECT DISTINCT y.b AS b FROM y AS y) AS y ON x.b = y.b"},
    {EJ, true, "SELECT x.a FROM x FULL JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b = y.b",
     "SELECT x.a AS a FROM x AS x FULL JOIN (SELECT DISTINCT y.b AS b FROM y AS y) AS y ON x.b = y.b"},
    {EJ, true, "SELECT x.a FROM x LEFT JOIN y ON x.b = y.b", "SELECT x.a AS a FROM x AS x LEFT JOIN y AS y ON x.b = y.b"},
    {EJ, true, "SELECT x.a FROM x LEFT JOIN (SELECT y.b FROM y GROUP BY ROLLUP (y.b)) AS y ON x.b = y.b",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT y.b AS b FROM y AS y GROUP BY ROLLUP (y.b)) AS y ON x.b = y.b"},
    {EJ, false, "SELECT * FROM x LEFT JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b = y.b",
     "SELECT * FROM x AS x LEFT JOIN (SELECT DISTINCT y.b AS b FROM y AS y) AS y ON x.b = y.b"},
};

static void test_rule_cases(void **state) {
  (void)state;
  uf_schema *s = fixture_schema();
  size_t fails = 0, n = sizeof CASES / sizeof *CASES;
  for (size_t i = 0; i < n; i++) {
    const rcase *c = &CASES[i];
    uf_policy p;
    ut_policy_rules(&p, c->rules);
    char *got = compile(c->in, &p, c->schema ? s : NULL, NULL);
    if (got == NULL) {
      fails++;
      continue;
    }
    if (strcmp(got, c->out) != 0) {
      print_error("[%s] %s\n  expected: %s\n  got:      %s\n", c->rules, c->in, c->out, got);
      fails++;
    }
    /* idempotent: the output compiles to itself */
    char *again = compile(got, &p, c->schema ? s : NULL, NULL);
    if (again == NULL || strcmp(again, got) != 0) {
      print_error("[%s] not idempotent: %s\n  once:  %s\n  twice: %s\n", c->rules, c->in, got,
                  again ? again : "(failed)");
      fails++;
    }
    free(again);
    free(got);
  }
  printf("join/normalize rule cases: %zu/%zu\n", n - fails, n);
  uf_schema_free(s);
  assert_int_equal(fails, 0);
}

/* The distance gate: above the limit nothing is rewritten, and the
 * artifacts say so. */
static void test_normalize_distance(void **state) {
  (void)state;
  uf_policy p;
  ut_policy_rules(&p, NORM);
  const char *big = "SELECT * FROM t WHERE (a AND b AND c AND d AND e AND f AND g) OR "
                    "(h AND i AND j AND k AND l AND m AND n) OR (o AND p AND q)";
  uf_compile_artifacts a;
  char *got = compile(big, &p, NULL, &a);
  assert_non_null(got);
  /* 7 * 7 * 3 clauses of 3 literals, minus 16 connectors and one */
  assert_int_equal(a.normalize_distance, 7 * 7 * 3 * 3 - 17);
  assert_true(a.normalize_skipped);
  assert_string_equal(got, "SELECT * FROM t AS t WHERE (t.a AND t.b AND t.c AND t.d AND t.e AND t.f AND t.g) OR "
                           "(t.h AND t.i AND t.j AND t.k AND t.l AND t.m AND t.n) OR (t.o AND t.p AND t.q)");
  free(got);
  /* one tree above the limit: the others are not rewritten either */
  p.normalize_max_distance = 3;
  got = compile("SELECT * FROM t WHERE ((a AND b) OR (c AND d)) AND (NOT (e OR f))", &p, NULL, &a);
  assert_non_null(got);
  assert_int_equal(a.normalize_distance, 4);
  assert_true(a.normalize_skipped);
  assert_string_equal(got, "SELECT * FROM t AS t WHERE ((t.a AND t.b) OR (t.c AND t.d)) AND (NOT (t.e OR t.f))");
  free(got);
  /* at the limit: rewritten */
  p.normalize_max_distance = 4;
  got = compile("SELECT * FROM t WHERE (a AND b) OR (c AND d)", &p, NULL, &a);
  assert_non_null(got);
  assert_int_equal(a.normalize_distance, 4);
  assert_false(a.normalize_skipped);
  assert_string_equal(got, "SELECT * FROM t AS t WHERE (t.a OR t.c) AND (t.a OR t.d) AND (t.b OR t.c) AND (t.b OR t.d)");
  free(got);
  /* CNF already: distance 0 */
  ut_policy_rules(&p, NORM);
  got = compile("SELECT * FROM t WHERE (a OR b) AND c", &p, NULL, &a);
  assert_non_null(got);
  assert_int_equal(a.normalize_distance, 0);
  assert_false(a.normalize_skipped);
  free(got);
}

/* The default policy: the rules together compile, and the output compiles
 * to itself. */
static void test_default_policy(void **state) {
  (void)state;
  uf_schema *s = fixture_schema();
  uf_policy p;
  ut_policy_rules(&p, NULL);
  static const char *const SQL[] = {
      "SELECT x.a FROM x WHERE (x.a = 1 AND x.b = 2) OR x.b = 3",
      "SELECT x.a FROM x CROSS JOIN y JOIN z ON x.b = z.b AND y.b = z.b",
      "SELECT x.a FROM x LEFT JOIN (SELECT DISTINCT y.b FROM y) AS y ON x.b = y.b",
      "SELECT x.a FROM x JOIN y ON TRUE WHERE NOT (x.a = 1 OR y.b = 2)",
      "SELECT x.a FROM x JOIN y ON (x.a = y.b AND y.c > 1) OR x.b = 2",
  };
  size_t fails = 0;
  for (size_t i = 0; i < sizeof SQL / sizeof *SQL; i++) {
    char *once = compile(SQL[i], &p, s, NULL);
    char *twice = once ? compile(once, &p, s, NULL) : NULL;
    if (!once || !twice || strcmp(once, twice) != 0) {
      print_error("default policy not idempotent: %s\n  once:  %s\n  twice: %s\n", SQL[i],
                  once ? once : "(failed)", twice ? twice : "(failed)");
      fails++;
    }
    free(once);
    free(twice);
  }
  uf_schema_free(s);
  assert_int_equal(fails, 0);
}

/* Queries each rule rewrites, run as written and compiled (each rule
 * alone and the default policy) over the tiny TPC-H data: the same rows. */
static const char *const EXEC[] = {
    /* normalize */
    "SELECT o.o_orderkey FROM orders o WHERE (o.o_orderstatus = 'F' AND o.o_totalprice > 100000) "
    "OR o.o_orderpriority = '1-URGENT'",
    "SELECT o.o_orderkey FROM orders o WHERE NOT (o.o_orderstatus = 'F' OR o.o_totalprice < 50000)",
    "SELECT count(*) FROM nation n1 JOIN nation n2 ON (n1.n_name = 'FRANCE' AND n2.n_name = 'GERMANY') "
    "OR (n1.n_name = 'GERMANY' AND n2.n_name = 'FRANCE')",
    "SELECT o.o_orderkey, (o.o_orderstatus = 'F' AND o.o_totalprice > 100000) OR o.o_shippriority = 0 "
    "AS flag FROM orders o",
    "SELECT o.o_orderstatus, count(*) FROM orders o GROUP BY o.o_orderstatus "
    "HAVING (count(*) > 10 AND o.o_orderstatus = 'F') OR o.o_orderstatus = 'O'",
    "SELECT o.o_orderkey FROM orders o WHERE o.o_orderdate BETWEEN '1995-01-01' AND '1995-12-31' "
    "AND o.o_totalprice > 1000 OR o.o_orderpriority = '5-LOW'",
    /* optimize_joins */
    "SELECT o.o_orderkey, c.c_name, l.l_quantity FROM orders o CROSS JOIN customer c JOIN lineitem l "
    "ON l.l_orderkey = o.o_orderkey AND c.c_custkey = o.o_custkey AND l.l_quantity > 45",
    "SELECT r.r_name, n.n_name, s.s_name FROM region r CROSS JOIN supplier s JOIN nation n "
    "ON s.s_nationkey = n.n_nationkey AND n.n_regionkey = r.r_regionkey",
    "SELECT * FROM region r CROSS JOIN supplier s JOIN nation n "
    "ON s.s_nationkey = n.n_nationkey AND n.n_regionkey = r.r_regionkey",
    "SELECT n.n_name, count(*) FROM customer c CROSS JOIN nation n JOIN orders o ON o.o_custkey = c.c_custkey "
    "AND n.n_nationkey = c.c_nationkey GROUP BY n.n_name",
    "SELECT r.r_name FROM region r INNER JOIN nation n ON TRUE WHERE n.n_regionkey = r.r_regionkey",
    /* eliminate_joins */
    "SELECT o.o_orderkey, o.o_totalprice FROM orders o LEFT JOIN (SELECT DISTINCT c.c_custkey FROM customer c) "
    "AS d ON d.c_custkey = o.o_custkey",
    "SELECT o.o_orderkey FROM orders o LEFT JOIN (SELECT l.l_orderkey, sum(l.l_quantity) AS q FROM lineitem l "
    "GROUP BY l.l_orderkey) AS x ON x.l_orderkey = o.o_orderkey AND o.o_totalprice > 1000",
    "SELECT n.n_name FROM nation n LEFT JOIN (SELECT count(*) AS k FROM region) AS r ON TRUE",
    "WITH d AS (SELECT DISTINCT s.s_nationkey FROM supplier s) SELECT n.n_name FROM nation n "
    "LEFT JOIN d ON d.s_nationkey = n.n_nationkey",
    "SELECT o.o_orderkey FROM orders o LEFT JOIN (SELECT l.l_orderkey FROM lineitem l) AS x "
    "ON x.l_orderkey = o.o_orderkey",
};

static void test_exec_tpch(void **state) {
  (void)state;
  uf_engine_options eo = {0};
  eo.threads = 1;
  eo.allow_external_access = true;
  uf_engine *e = NULL;
  uf_error err;
  assert_int_equal(uf_engine_open(&eo, &e, &err), UF_OK);
  assert_true(ut_load_tpch(e));
  uf_schema *s = NULL;
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/tpch/schema.json", UF_SHARED_DIR);
  assert_int_equal(uf_schema_load_file(path, NULL, &s, &err), UF_OK);
  static const char *const POLICIES[] = {NORM, OJ, EJ, NULL};
  size_t fails = 0, runs = 0;
  for (size_t i = 0; i < sizeof EXEC / sizeof *EXEC; i++) {
    uf_result_text *ref = NULL;
    if (uf_engine_oracle_exec_text(e, EXEC[i], false, &ref, &err) != UF_OK) {
      print_error("original fails: %s\n  %s\n", EXEC[i], err.message);
      fails++;
      continue;
    }
    for (size_t k = 0; k < sizeof POLICIES / sizeof *POLICIES; k++) {
      uf_policy p;
      ut_policy_rules(&p, POLICIES[k]);
      uf_compiled_query *q = NULL;
      uf_result_text *got = NULL;
      runs++;
      if (uf_compile_sql(EXEC[i], strlen(EXEC[i]), &p, s, NULL, &q, &err) != UF_OK ||
          uf_engine_exec(e, q->ast, &got, &err) != UF_OK) {
        print_error("[%s] %s: %s\n", POLICIES[k] ? POLICIES[k] : "default", EXEC[i], err.message);
        fails++;
      } else if (!uf_result_text_equal(ref, got)) {
        print_error("[%s] results differ: %s\n  compiled: %s\n", POLICIES[k] ? POLICIES[k] : "default",
                    EXEC[i], q->sql);
        fails++;
      }
      uf_result_text_free(got);
      uf_compiled_query_free(q);
    }
    uf_result_text_free(ref);
  }
  printf("executed: %zu compilations, %zu failures\n", runs, fails);
  uf_schema_free(s);
  uf_engine_close(e);
  assert_int_equal(fails, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rule_cases),
      cmocka_unit_test(test_normalize_distance),
      cmocka_unit_test(test_default_policy),
      cmocka_unit_test(test_exec_tpch),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
