/* The rules merge_subqueries and unnest_subqueries: input -> expected SQL
 * through uf_compile_sql (qualify, normalize_identifiers and the rule) over
 * a small schema, must-not-touch cases for every exclusion (the expected
 * output is then the qualified input), idempotency of each rewrite, the
 * full default policy on the same inputs, and statements the rules must
 * pass over without failing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../support/compile_util.h"
#include "unifier/compile.h"
#include "unifier/unifier.h"
#include "../support/support.h"

static const char SCHEMA[] =
    "{\"x\": {\"a\": \"INT\", \"b\": \"INT\"}, \"y\": {\"b\": \"INT\", \"c\": \"INT\"},"
    " \"z\": {\"b\": \"INT\", \"c\": \"INT\"}, \"w\": {\"d\": \"TEXT\", \"e\": \"TEXT\"},"
    " \"f\": {\"k\": \"INT\", \"v\": \"DOUBLE\"}}";

static uf_schema *schema(void) { return ut_schema_json(SCHEMA); }

/* The compiled SQL (malloc'd) or NULL, printing why. */
static char *compile(const char *sql, const char *rules, const uf_schema *s) {
  return ut_compile_text(rules, s, sql);
}

#define M "qualify,normalize_identifiers,merge_subqueries"
#define U "qualify,normalize_identifiers,unnest_subqueries"
#define Q "qualify,normalize_identifiers"

typedef struct sq_case {
  const char *rules;
  const char *in;
  const char *out; /* NULL: must not touch (the output of qualify alone) */
} sq_case;

static const sq_case CASES[] = {
    /* a CTE with a filter, read by a WHERE that can overflow: DuckDB may
     * run the CTE's filter first; merged, the overflow could come first */
    {M, "WITH c AS (SELECT x.a AS a, x.b AS b FROM x WHERE x.b > 1) SELECT c.a FROM c WHERE c.a * 2 = 4",
     NULL},
    {M, "WITH c AS (SELECT x.a AS a FROM x WHERE x.b > 1) SELECT c.a FROM c WHERE c.a = 4",
     "SELECT x.a AS a FROM x AS x WHERE x.a = 4 AND x.b > 1"},
    /* -- merge_subqueries: merged ------------------------------------------ */
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x WHERE x.b > 1) AS d",
     "SELECT x.a AS a FROM x AS x WHERE x.b > 1"},
    {M, "SELECT d.a FROM (SELECT x.a + 1 AS a FROM x WHERE x.b > 1) AS d WHERE d.a > 3",
     "SELECT x.a + 1 AS a FROM x AS x WHERE x.a + 1 > 3 AND x.b > 1"},
    /* inner WHERE into the ON of the inner join it sits in */
    {M, "SELECT d.a FROM y JOIN (SELECT x.a AS a FROM x WHERE x.b = 1 OR x.a = 2) AS d ON y.b = d.a",
     "SELECT x.a AS a FROM y AS y JOIN x AS x ON y.b = x.a AND (x.b = 1 OR x.a = 2)"},
    /* preserved side of a LEFT JOIN: the filter moves to WHERE */
    {M, "SELECT d.a, y.c FROM (SELECT x.a AS a FROM x WHERE x.b = 1) AS d LEFT JOIN y ON d.a = y.b",
     "SELECT x.a AS a, y.c AS c FROM x AS x LEFT JOIN y AS y ON x.a = y.b WHERE x.b = 1"},
    /* null-supplying side: no WHERE, plain columns only; join kept nested */
    {M, "SELECT d.a FROM y LEFT JOIN (SELECT x.a AS a FROM x JOIN z ON x.b = z.b) AS d ON y.b = d.a",
     "SELECT x.a AS a FROM y AS y LEFT JOIN (x AS x JOIN z AS z ON x.b = z.b) ON y.b = x.a"},
    /* a comma join spliced before a JOIN is spelled CROSS JOIN */
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x, z WHERE x.b = z.b) AS d JOIN y ON y.b = d.a",
     "SELECT x.a AS a FROM x AS x CROSS JOIN z AS z JOIN y AS y ON y.b = x.a AND x.b = z.b"},
    /* preserved: the FULL JOIN is the comma join's right operand */
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x WHERE x.b = 1) AS d, y FULL JOIN z ON z.b = y.b",
     "SELECT x.a AS a FROM x AS x, y AS y FULL JOIN z AS z ON z.b = y.b WHERE x.b = 1"},
    /* either side of a FULL JOIN: plain columns, no WHERE */
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x) AS d FULL JOIN y ON y.b = d.a",
     "SELECT x.a AS a FROM x AS x FULL JOIN y AS y ON y.b = x.a"},
    /* a CTE read once */
    {M, "WITH c AS (SELECT x.a AS a FROM x WHERE x.b = 1) SELECT c.a FROM c",
     "SELECT x.a AS a FROM x AS x WHERE x.b = 1"},
    {M, "WITH c AS (SELECT x.a AS a FROM x), e AS (SELECT y.b AS b FROM y) "
        "SELECT c.a, e.b FROM c JOIN e ON c.a = e.b JOIN e AS e2 ON e2.b = c.a",
     "WITH e AS (SELECT y.b AS b FROM y AS y) SELECT x.a AS a, e.b AS b FROM x AS x JOIN e AS e "
     "ON x.a = e.b JOIN e AS e2 ON e2.b = x.a"},
    /* inner alias taken by the outer query: renamed */
    {M, "SELECT d.a FROM x, (SELECT x.a AS a FROM x WHERE x.b = 1) AS d WHERE d.a = x.a",
     "SELECT x_0.a AS a FROM x AS x, x AS x_0 WHERE x_0.a = x.a AND x_0.b = 1"},
    /* nested derived tables merge bottom-up */
    {M, "SELECT e.a FROM (SELECT d.a AS a FROM (SELECT x.a AS a FROM x WHERE x.b = 1) AS d "
        "WHERE d.a = 2) AS e",
     "SELECT x.a AS a FROM x AS x WHERE x.a = 2 AND x.b = 1"},
    /* outer aggregates over a merged expression */
    {M, "SELECT d.s, count(*) FROM (SELECT x.a * 2 AS s FROM x) AS d GROUP BY d.s",
     "SELECT x.a * 2 AS s, count(*) AS _col_1 FROM x AS x GROUP BY x.a * 2"},

    /* -- merge_subqueries: left alone --------------------------------------- */
    {M, "SELECT d.c FROM y LEFT JOIN (SELECT x.a AS a, 1 AS c FROM x) AS d ON y.b = d.a", NULL},
    {M, "SELECT d.c FROM y LEFT JOIN (SELECT x.a AS a, COALESCE(x.b, 0) AS c FROM x) AS d "
        "ON y.b = d.a", NULL},
    {M, "SELECT d.a FROM y LEFT JOIN (SELECT x.a AS a FROM x WHERE x.b = 1) AS d ON y.b = d.a", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x WHERE x.b = 1) AS d RIGHT JOIN y ON y.b = d.a", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x WHERE x.b = 1) AS d FULL JOIN y ON y.b = d.a", NULL},
    {M, "SELECT d.a FROM y FULL JOIN (SELECT x.a AS a, x.b + 1 AS c FROM x) AS d ON y.b = d.a", NULL},
    {M, "SELECT d.a FROM (SELECT sum(x.a) AS a FROM x) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x GROUP BY x.a) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x GROUP BY x.a HAVING count(*) > 1) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT DISTINCT x.a AS a FROM x) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT DISTINCT ON (x.b) x.a AS a FROM x ORDER BY x.b) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x LIMIT 1) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x OFFSET 1) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x ORDER BY x.b) AS d", NULL},
    {M, "SELECT d.r FROM (SELECT row_number() OVER (ORDER BY x.a) AS r FROM x) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x QUALIFY row_number() OVER () = 1) AS d", NULL},
    {M, "SELECT d.r, d.r FROM (SELECT random() AS r FROM x) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x USING SAMPLE 10) AS d", NULL},
    {M, "SELECT d.u FROM (SELECT unnest([x.a, x.b]) AS u FROM x) AS d", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a FROM x UNION ALL SELECT y.b AS b FROM y) AS d", NULL},
    {M, "SELECT d.a FROM x, LATERAL (SELECT x.a + y.b AS a FROM y) AS d", NULL},
    {M, "WITH c AS (SELECT x.a AS a FROM x) SELECT c.a FROM c JOIN c AS c2 ON c.a = c2.a", NULL},
    {M, "WITH RECURSIVE c AS (SELECT x.a AS a FROM x) SELECT c.a FROM c", NULL},
    /* a constant would read as a position in GROUP BY / ORDER BY */
    {M, "SELECT d.c FROM (SELECT 1 AS c FROM x) AS d GROUP BY d.c", NULL},
    {M, "SELECT d.a FROM (SELECT x.a AS a, 2 AS c FROM x) AS d ORDER BY d.c", NULL},
    /* correlated inner (reads the enclosing query) */
    {M, "SELECT y.b FROM y WHERE EXISTS (SELECT 1 FROM (SELECT x.a AS a FROM x WHERE x.b = y.c) AS d)",
     NULL},

    /* -- unnest_subqueries: unnested ---------------------------------------- */
    {U, "SELECT x.a FROM x WHERE x.a IN (SELECT y.b FROM y WHERE y.c > 1)",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT y.b AS b FROM y AS y WHERE y.c > 1 GROUP BY y.b) "
     "AS _u_0 ON x.a = _u_0.b WHERE _u_0.b IS NOT NULL"},
    {U, "SELECT x.a FROM x WHERE x.a IN (SELECT y.b FROM y GROUP BY y.b HAVING sum(y.c) > 3)",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT y.b AS b FROM y AS y GROUP BY y.b HAVING "
     "sum(y.c) > 3) AS _u_0 ON x.a = _u_0.b WHERE _u_0.b IS NOT NULL"},
    {U, "SELECT x.a FROM x WHERE x.b = 1 AND EXISTS (SELECT 1 FROM y WHERE y.b = x.a AND y.c = 3)",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT y.b AS _u_1 FROM y AS y WHERE y.c = 3 GROUP BY "
     "y.b) AS _u_0 ON x.a = _u_0._u_1 WHERE x.b = 1 AND _u_0._u_1 IS NOT NULL"},
    {U, "SELECT x.a FROM x WHERE NOT EXISTS (SELECT * FROM y WHERE y.b = x.a)",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT y.b AS _u_1 FROM y AS y GROUP BY y.b) AS _u_0 "
     "ON x.a = _u_0._u_1 WHERE _u_0._u_1 IS NULL"},
    {U, "SELECT x.a FROM x WHERE x.b > (SELECT avg(y.c) FROM y WHERE y.b = x.a)",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT avg(y.c) AS _col_0, y.b AS _u_1 FROM y AS y "
     "GROUP BY y.b) AS _u_0 ON x.a = _u_0._u_1 WHERE x.b > _u_0._col_0"},
    {U, "SELECT x.a FROM x WHERE x.b < (SELECT 0.5 * sum(y.c) FROM y WHERE y.b = x.a AND y.c = x.b)",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT 0.5 * sum(y.c) AS _col_0, y.b AS _u_1, y.c AS "
     "_u_2 FROM y AS y GROUP BY y.b, y.c) AS _u_0 ON x.a = _u_0._u_1 AND x.b = _u_0._u_2 "
     "WHERE x.b < _u_0._col_0"},
    /* uncorrelated aggregate: always one row, any aggregate */
    {U, "SELECT x.a FROM x WHERE x.b > (SELECT count(*) FROM y)",
     "SELECT x.a AS a FROM x AS x CROSS JOIN (SELECT count(*) AS _col_0 FROM y AS y) AS _u_0 "
     "WHERE x.b > _u_0._col_0"},
    /* comma joins before the new join are spelled CROSS JOIN */
    {U, "SELECT x.a FROM x, z WHERE x.b = z.b AND x.a IN (SELECT y.b FROM y)",
     "SELECT x.a AS a FROM x AS x CROSS JOIN z AS z LEFT JOIN (SELECT y.b AS b FROM y AS y GROUP BY "
     "y.b) AS _u_0 ON x.a = _u_0.b WHERE x.b = z.b AND _u_0.b IS NOT NULL"},
    /* key types read through a derived table */
    {U, "SELECT d.a FROM (SELECT x.a AS a FROM x) AS d WHERE d.a IN (SELECT e.b FROM (SELECT y.b AS b FROM y) AS e)",
     "SELECT d.a AS a FROM (SELECT x.a AS a FROM x AS x) AS d LEFT JOIN (SELECT e.b AS b FROM "
     "(SELECT y.b AS b FROM y AS y) AS e GROUP BY e.b) AS _u_0 ON d.a = _u_0.b WHERE _u_0.b IS NOT NULL"},
    /* ... and through a CTE (which shadows the schema's table x) */
    {U, "WITH x AS (SELECT w.d AS a FROM w) SELECT x.a FROM x WHERE x.a IN (SELECT w.e FROM w)",
     "WITH x AS (SELECT w.d AS a FROM w AS w) SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT w.e AS e "
     "FROM w AS w GROUP BY w.e) AS _u_0 ON x.a = _u_0.e WHERE _u_0.e IS NOT NULL"},
    /* the outer aggregate is order-free (count, integer sum) */
    {U, "SELECT count(*), sum(x.b) FROM x WHERE x.a IN (SELECT y.b FROM y)",
     "SELECT count(*) AS _col_0, sum(x.b) AS _col_1 FROM x AS x LEFT JOIN (SELECT y.b AS b FROM y AS "
     "y GROUP BY y.b) AS _u_0 ON x.a = _u_0.b WHERE _u_0.b IS NOT NULL"},

    /* -- unnest_subqueries: left alone -------------------------------------- */
    {U, "SELECT x.a FROM x WHERE x.a NOT IN (SELECT y.b FROM y)", NULL},
    {U, "SELECT x.a FROM x WHERE NOT x.a IN (SELECT y.b FROM y)", NULL},
    {U, "SELECT x.a FROM x WHERE x.b = 2 OR x.a IN (SELECT y.b FROM y)", NULL},
    {U, "SELECT x.a FROM x WHERE x.b = 2 OR EXISTS (SELECT 1 FROM y WHERE y.b = x.a)", NULL},
    {U, "SELECT x.a FROM x WHERE x.a IN (SELECT y.b FROM y LIMIT 2)", NULL},
    {U, "SELECT x.a FROM x WHERE x.a IN (SELECT y.b FROM y ORDER BY y.c LIMIT 2)", NULL},
    {U, "SELECT x.a FROM x WHERE x.a IN (SELECT y.b FROM y WHERE y.c = x.b)", NULL},
    {U, "SELECT x.a FROM x WHERE x.a IN (SELECT y.b FROM y UNION SELECT z.b FROM z)", NULL},
    {U, "SELECT x.a FROM x WHERE x.a IN (SELECT row_number() OVER () FROM y)", NULL},
    /* count() of no rows is 0, the join gives NULL */
    {U, "SELECT x.a FROM x WHERE x.b > (SELECT count(*) FROM y WHERE y.b = x.a)", NULL},
    {U, "SELECT x.a FROM x WHERE x.b > (SELECT count(y.c) FROM y WHERE y.b = x.a)", NULL},
    {U, "SELECT x.a FROM x WHERE x.b > (SELECT coalesce(sum(y.c), 0) FROM y WHERE y.b = x.a)", NULL},
    {U, "SELECT x.a FROM x WHERE x.b = (SELECT y.c FROM y WHERE y.b = x.a)", NULL},
    {U, "SELECT x.a FROM x WHERE x.b = (SELECT max(y.c) FROM y WHERE y.b = x.a GROUP BY y.c)", NULL},
    /* correlation other than inner col = outer col */
    {U, "SELECT x.a FROM x WHERE EXISTS (SELECT 1 FROM y WHERE y.b > x.a)", NULL},
    {U, "SELECT x.a FROM x WHERE EXISTS (SELECT 1 FROM y WHERE y.b = x.a OR y.c = 1)", NULL},
    {U, "SELECT x.a FROM x WHERE EXISTS (SELECT 1 FROM y WHERE y.b = x.a + 1)", NULL},
    {U, "SELECT x.a FROM x WHERE EXISTS (SELECT x.b FROM y WHERE y.b = x.a)", NULL},
    /* an aggregate EXISTS is always true */
    {U, "SELECT x.a FROM x WHERE EXISTS (SELECT max(y.c) FROM y WHERE y.b = x.a)", NULL},
    {U, "SELECT x.a FROM x WHERE EXISTS (SELECT 1 FROM y WHERE y.b = x.a LIMIT 1)", NULL},
    /* the key types differ (text against integer) */
    {U, "SELECT w.d FROM w WHERE w.d IN (SELECT x.a FROM x)", NULL},
    /* a float key (grouping and = may disagree on -0.0/NaN) */
    {U, "SELECT f.k FROM f WHERE f.v IN (SELECT f2.v FROM f AS f2)", NULL},
    /* subqueries in the select list, HAVING, ON */
    {U, "SELECT x.a, (SELECT avg(y.c) FROM y WHERE y.b = x.a) AS s FROM x", NULL},
    {U, "SELECT x.a FROM x GROUP BY x.a HAVING sum(x.b) > (SELECT avg(y.c) FROM y)", NULL},
    {U, "SELECT x.a FROM x JOIN z ON z.b = x.a AND z.c IN (SELECT y.c FROM y)", NULL},
    /* the outer query sums a DOUBLE: a new join may change the order */
    {U, "SELECT sum(f.v) FROM f WHERE f.k IN (SELECT y.b FROM y)", NULL},
    {U, "SELECT string_agg(w.d, ',') FROM w, x WHERE x.a IN (SELECT y.b FROM y)", NULL},
    /* correlated to a query further out */
    {U, "SELECT x.a FROM x WHERE EXISTS (SELECT 1 FROM z WHERE z.b = x.a AND "
        "EXISTS (SELECT 1 FROM y WHERE y.b = x.b))", NULL},
    {U, "SELECT x.a FROM x WHERE x.a IN (SELECT random() FROM y)", NULL},
    /* a CTE named like a schema table: its column types are not the schema's */
    {U, "SELECT x.a FROM x WHERE x.a IN (WITH y AS (SELECT w.d AS b FROM w) SELECT y.b FROM y)", NULL},
    {U, "WITH x AS (SELECT w.d AS a FROM w) SELECT x.a FROM x WHERE x.a IN (SELECT y.b FROM y)", NULL},
};

static void test_cases(void **state) {
  (void)state;
  uf_schema *s = schema();
  size_t fails = 0, n = sizeof CASES / sizeof *CASES, untouched = 0;
  for (size_t i = 0; i < n; i++) {
    const sq_case *c = &CASES[i];
    char *want = c->out ? NULL : compile(c->in, Q, s);
    char *got = compile(c->in, c->rules, s);
    const char *expect = c->out ? c->out : want;
    if (c->out == NULL) untouched++;
    if (got == NULL || expect == NULL || strcmp(got, expect) != 0) {
      print_error("[%s] %s\n  expected: %s\n  got:      %s\n", c->rules, c->in,
                  expect ? expect : "(none)", got ? got : "(failed)");
      fails++;
    } else if (c->out) {
      /* idempotent: the rule on its own output changes nothing */
      char *again = compile(got, c->rules, s);
      if (again == NULL || strcmp(again, got) != 0) {
        print_error("[%s] not idempotent: %s\n  then: %s\n", c->rules, got, again ? again : "(failed)");
        fails++;
      }
      free(again);
    }
    free(want);
    free(got);
  }
  printf("subquery rule cases: %zu/%zu (%zu must-not-touch)\n", n - fails, n, untouched);
  uf_schema_free(s);
  assert_true(untouched >= 40);
  assert_int_equal(fails, 0);
}

/* The full default policy compiles every case (and keeps the rewrite
 * shapes: the merged and unnested forms survive the later rules). */
static void test_default_policy(void **state) {
  (void)state;
  uf_schema *s = schema();
  size_t fails = 0;
  for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
    char *got = compile(CASES[i].in, NULL, s);
    if (got == NULL) fails++;
    else {
      char *again = compile(got, NULL, s);
      if (again == NULL || strcmp(again, got) != 0) {
        print_error("default policy not idempotent: %s\n  -> %s\n  -> %s\n", CASES[i].in, got,
                    again ? again : "(failed)");
        fails++;
      }
      free(again);
    }
    free(got);
  }
  char *u = compile("SELECT x.a FROM x WHERE x.a IN (SELECT y.b FROM y)", NULL, s);
  assert_non_null(u);
  assert_non_null(strstr(u, "LEFT JOIN"));
  free(u);
  char *m = compile("SELECT d.a FROM (SELECT x.a AS a FROM x WHERE x.b > 1) AS d", NULL, s);
  assert_non_null(m);
  assert_null(strstr(m, "AS d"));
  free(m);
  uf_schema_free(s);
  assert_int_equal(fails, 0);
}

/* Statements the rules pass over: no failure, no crash, with and without
 * a schema. */
static void test_any_statement(void **state) {
  (void)state;
  static const char *const STMTS[] = {
      "INSERT INTO x SELECT d.a, d.b FROM (SELECT x.a AS a, x.b AS b FROM x) AS d",
      "CREATE TABLE t2 AS SELECT d.a FROM (SELECT x.a AS a FROM x) AS d WHERE d.a IN (SELECT y.b FROM y)",
      "VALUES (1, 2), (3, 4)",
      "SELECT 1",
      "SELECT * FROM (VALUES (1), (2)) AS v(a) WHERE v.a IN (SELECT 1)",
      "SELECT a FROM (SELECT 1 AS a) WHERE EXISTS (SELECT 1)",
      "SELECT q.a FROM (SELECT t.a FROM t) AS q WHERE q.a IN (SELECT u.b FROM u) AND EXISTS "
      "(SELECT 1 FROM v WHERE v.k = q.a)",
      "SELECT * FROM range(10) AS r(i) WHERE r.i > (SELECT avg(x.a) FROM x)",
      "WITH c AS (SELECT 1 AS a) SELECT * FROM c, c AS c2",
      "SELECT d.a FROM (SELECT x.a AS a FROM x) AS d(z)",
      "PIVOT x ON a USING sum(b)",
      "DELETE FROM x WHERE x.a IN (SELECT y.b FROM y)",
      "UPDATE x SET a = 1 WHERE EXISTS (SELECT 1 FROM y WHERE y.b = x.a)",
  };
  uf_schema *s = schema();
  for (size_t i = 0; i < sizeof STMTS / sizeof *STMTS; i++) {
    for (int withs = 0; withs < 2; withs++) {
      const char *rulesets[] = {M, U, NULL};
      for (size_t r = 0; r < 3; r++) {
        uf_policy p;
        ut_policy_rules(&p, rulesets[r]);
        p.validate = false;
        uf_compiled_query *q = NULL;
        uf_error err;
        uf_status st = uf_compile_sql(STMTS[i], strlen(STMTS[i]), &p, withs ? s : NULL, NULL, &q, &err);
        /* a statement may be refused (qualify), never crash the rules */
        if (st == UF_OK) assert_non_null(q->sql);
        uf_compiled_query_free(q);
      }
    }
  }
  uf_schema_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cases),
      cmocka_unit_test(test_default_policy),
      cmocka_unit_test(test_any_statement),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
