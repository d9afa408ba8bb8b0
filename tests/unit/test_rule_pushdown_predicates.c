/* pushdown_predicates (src/opt/pushdown_predicates.c): input -> expected
 * SQL under qualify,normalize_identifiers,pushdown_predicates; must-not-push
 * cases (each exclusion of the rule) compiled with and without the rule
 * must render the same; the rule's output fed back is unchanged
 * (idempotence); statements the rule does not understand compile. */
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

#define QN "qualify,normalize_identifiers"
#define PD QN ",pushdown_predicates"

static const char SCHEMA[] =
    "{\"x\": {\"a\": \"INT\", \"b\": \"INT\"}, \"y\": {\"b\": \"INT\", \"c\": \"INT\"},"
    " \"z\": {\"b\": \"INT\", \"c\": \"INT\"}, \"w\": {\"d\": \"INT[]\", \"e\": \"TEXT\"}}";

static uf_schema *schema(void) { return ut_schema_json(SCHEMA); }

/* -- pushes ---------------------------------------------------------------- */

static const char *const PUSH[][2] = {
    /* into a derived table, the outer column replaced by its expression */
    {"SELECT s.a FROM (SELECT x.a AS a, x.b * 2 AS c FROM x) AS s WHERE s.c = 4",
     "SELECT s.a AS a FROM (SELECT x.a AS a, x.b * 2 AS c FROM x AS x WHERE x.b * 2 = 4) AS s"},
    /* an OR over one source moves whole; a conjunct over two stays */
    {"SELECT s.a FROM (SELECT a, b FROM x) AS s WHERE (s.a = 1 OR s.b = 2) AND s.a < s.b + 5",
     "SELECT s.a AS a FROM (SELECT x.a AS a, x.b AS b FROM x AS x WHERE (x.a = 1 OR x.b = 2) AND "
     "x.a < x.b + 5) AS s"},
    /* appended to an existing WHERE */
    {"SELECT s.a FROM (SELECT a, b FROM x WHERE b > 0) AS s WHERE s.a = 1",
     "SELECT s.a AS a FROM (SELECT x.a AS a, x.b AS b FROM x AS x WHERE x.b > 0 AND x.a = 1) AS s"},
    /* a CTE read once */
    {"WITH c AS (SELECT b, c FROM y) SELECT c.b FROM c WHERE c.c = 3",
     "WITH c AS (SELECT y.b AS b, y.c AS c FROM y AS y WHERE y.c = 3) SELECT c.b AS b FROM c AS c"},
    /* a CTE with a column list */
    {"WITH c(p, q) AS (SELECT b, c FROM y) SELECT c.p FROM c WHERE c.q = 3",
     "WITH c AS (SELECT y.b AS p, y.c AS q FROM y AS y WHERE y.c = 3) SELECT c.p AS p FROM c AS c"},
    /* aggregated: into HAVING (GROUP BY key and aggregate alike) */
    {"SELECT s.n FROM (SELECT b, COUNT(*) AS n FROM y GROUP BY b) AS s WHERE s.n > 1 AND s.b = 2",
     "SELECT s.n AS n FROM (SELECT y.b AS b, COUNT(*) AS n FROM y AS y GROUP BY y.b HAVING "
     "COUNT(*) > 1 AND y.b = 2) AS s"},
    /* a global aggregate: HAVING filters its one row, as the outer WHERE did */
    {"SELECT s.n FROM (SELECT COUNT(1) AS n FROM x) AS s WHERE s.n > 0",
     "SELECT s.n AS n FROM (SELECT COUNT(1) AS n FROM x AS x HAVING COUNT(1) > 0) AS s"},
    /* a join condition into the ON of the inner join, comma joins become JOINs */
    {"SELECT x.a FROM x, y, z WHERE x.a = z.b AND y.c = 1",
     "SELECT x.a AS a FROM x AS x JOIN y AS y ON y.c = 1 JOIN z AS z ON x.a = z.b"},
    {"SELECT x.a FROM x CROSS JOIN y WHERE x.a = y.b",
     "SELECT x.a AS a FROM x AS x JOIN y AS y ON x.a = y.b"},
    /* the FROM table itself keeps its filter in WHERE */
    {"SELECT x.a FROM x JOIN y ON x.a = y.b WHERE x.b = 1 AND y.c = 2",
     "SELECT x.a AS a FROM x AS x JOIN y AS y ON x.a = y.b AND y.c = 2 WHERE x.b = 1"},
    /* the preserved side of a LEFT join: into its derived table */
    {"SELECT s.a FROM (SELECT a FROM x) AS s LEFT JOIN y ON s.a = y.b WHERE s.a = 1",
     "SELECT s.a AS a FROM (SELECT x.a AS a FROM x AS x WHERE x.a = 1) AS s LEFT JOIN y AS y ON "
     "s.a = y.b"},
    /* ON of a LEFT join over its right side: into that derived table */
    {"SELECT x.a FROM x LEFT JOIN (SELECT b, c FROM y) AS s ON x.a = s.b AND s.c = 1",
     "SELECT x.a AS a FROM x AS x LEFT JOIN (SELECT y.b AS b, y.c AS c FROM y AS y WHERE y.c = 1) "
     "AS s ON x.a = s.b"},
    /* ON of an inner join over a derived table: into it, ON TRUE left */
    {"SELECT x.a FROM x JOIN (SELECT b FROM y) AS s ON s.b = 1",
     "SELECT x.a AS a FROM x AS x JOIN (SELECT y.b AS b FROM y AS y WHERE y.b = 1) AS s ON TRUE"},
    /* the preserved side of a RIGHT join: into its derived table */
    {"SELECT x.a FROM x RIGHT JOIN (SELECT b FROM y) AS s ON x.a = s.b WHERE s.b = 3",
     "SELECT x.a AS a FROM x AS x RIGHT JOIN (SELECT y.b AS b FROM y AS y WHERE y.b = 3) AS s ON "
     "x.a = s.b"},
    /* nested: pushed twice */
    {"SELECT s.a FROM (SELECT t.a AS a FROM (SELECT a FROM x) AS t) AS s WHERE s.a = 1",
     "SELECT s.a AS a FROM (SELECT t.a AS a FROM (SELECT x.a AS a FROM x AS x WHERE x.a = 1) AS t) "
     "AS s"},
    /* a DISTINCT query: filtering its output values first is the same */
    {"SELECT s.a FROM (SELECT DISTINCT a FROM x) AS s WHERE s.a = 1",
     "SELECT s.a AS a FROM (SELECT DISTINCT x.a AS a FROM x AS x WHERE x.a = 1) AS s"},
    /* a subquery in an expression is rewritten too */
    {"SELECT (SELECT MAX(s.a) FROM (SELECT a FROM x) AS s WHERE s.a > 1) AS m",
     "SELECT (SELECT MAX(s.a) AS _col_0 FROM (SELECT x.a AS a FROM x AS x WHERE x.a > 1) AS s) AS m"},
    /* inside INSERT ... SELECT */
    {"INSERT INTO z SELECT s.b, s.c FROM (SELECT b, c FROM y) AS s WHERE s.b = 1",
     "INSERT INTO z SELECT s.b AS b, s.c AS c FROM (SELECT y.b AS b, y.c AS c FROM y AS y WHERE "
     "y.b = 1) AS s"},
};

static void test_pushes(void **state) {
  (void)state;
  uf_schema *s = schema();
  size_t fails = 0, n = sizeof PUSH / sizeof *PUSH;
  for (size_t i = 0; i < n; i++) {
    char *got = ut_compile_text(PD, s, PUSH[i][0]);
    if (got == NULL || strcmp(got, PUSH[i][1]) != 0) {
      print_error("%s\n  expected: %s\n  got:      %s\n", PUSH[i][0], PUSH[i][1],
                  got ? got : "(failed)");
      fails++;
    }
    free(got);
  }
  uf_schema_free(s);
  printf("pushdown_predicates: %zu/%zu push cases\n", n - fails, n);
  assert_int_equal(fails, 0);
}

/* -- must not push ---------------------------------------------------------- */

static const char *const KEEP[] = {
    /* can fail on some rows (integer arithmetic over columns, a CAST):
     * not into an aggregate's HAVING */
    "SELECT s.m FROM (SELECT MAX(a) AS m, MAX(b) AS n FROM x) AS s WHERE s.m * 2 = 4",
    "SELECT s.m FROM (SELECT a, MAX(b) AS m FROM x GROUP BY a) AS s WHERE CAST(s.m AS INTEGER) = 4",
    "SELECT s.m FROM (SELECT MAX(a) AS m FROM x) AS s WHERE - s.m = 4",
    /* LIMIT / OFFSET / ORDER BY .. LIMIT decide which rows exist */
    "SELECT s.a FROM (SELECT a, b FROM x ORDER BY a LIMIT 10) AS s WHERE s.b = 1",
    "SELECT s.a FROM (SELECT a, b FROM x ORDER BY a OFFSET 3) AS s WHERE s.b = 1",
    /* windows, QUALIFY, DISTINCT ON */
    "SELECT s.a FROM (SELECT a, ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) AS rn FROM x) AS s "
    "WHERE s.rn = 1",
    "SELECT s.a FROM (SELECT a, SUM(b) OVER () AS t FROM x) AS s WHERE s.a = 1",
    "SELECT s.a FROM (SELECT a, b FROM x QUALIFY ROW_NUMBER() OVER (ORDER BY a) <= 10) AS s "
    "WHERE s.b = 1",
    "SELECT s.a FROM (SELECT DISTINCT ON (a) a, b FROM x ORDER BY a, b) AS s WHERE s.b = 1",
    /* set operations */
    "SELECT s.a FROM (SELECT a FROM x UNION ALL SELECT b FROM y) AS s WHERE s.a = 1",
    "SELECT s.a FROM (SELECT a FROM x EXCEPT SELECT b FROM y) AS s WHERE s.a = 1",
    /* GROUPING SETS / ROLLUP / CUBE, GROUP BY ALL */
    "SELECT s.b FROM (SELECT b, c, COUNT(*) AS n FROM y GROUP BY ROLLUP (b, c)) AS s WHERE s.b = 1",
    "SELECT s.b FROM (SELECT b, COUNT(*) AS n FROM y GROUP BY CUBE (b)) AS s WHERE s.b = 1",
    "SELECT s.b FROM (SELECT b, COUNT(*) AS n FROM y GROUP BY GROUPING SETS ((b), ())) AS s "
    "WHERE s.b = 1",
    /* a recursive CTE */
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) "
    "SELECT r.n FROM r WHERE r.n > 2",
    "WITH RECURSIVE c AS (SELECT a FROM x) SELECT c.a FROM c WHERE c.a = 1",
    /* a CTE read twice */
    "WITH c AS (SELECT a, b FROM x) SELECT c.a FROM c JOIN c AS d ON c.a = d.b WHERE c.b = 1",
    /* LATERAL derived tables */
    "SELECT s.z FROM x, LATERAL (SELECT x.a + 1 AS z) AS s WHERE s.z = 2",
    /* non-deterministic output expression, non-deterministic predicate */
    "SELECT s.a FROM (SELECT a, random() AS r FROM x) AS s WHERE s.r < 0.5",
    "SELECT s.a FROM (SELECT a FROM x) AS s WHERE s.a > random()",
    "SELECT s.a FROM (SELECT a, nextval('q') AS v FROM x) AS s WHERE s.v = 1",
    /* subqueries in the predicate */
    "SELECT s.a FROM (SELECT a FROM x) AS s WHERE s.a IN (SELECT b FROM y)",
    "SELECT s.a FROM (SELECT a FROM x) AS s WHERE EXISTS (SELECT 1 FROM y WHERE y.b = s.a)",
    "SELECT s.a FROM (SELECT a FROM x) AS s WHERE s.a = (SELECT MAX(b) FROM y)",
    /* a subquery as the output expression */
    "SELECT s.a FROM (SELECT a, (SELECT MAX(b) FROM y) AS m FROM x) AS s WHERE s.m = 1",
    /* the null-supplying side of outer joins */
    "SELECT x.a FROM x LEFT JOIN y ON x.a = y.b WHERE y.c = 1",
    "SELECT x.a FROM x LEFT JOIN (SELECT b, c FROM y) AS s ON x.a = s.b WHERE s.c = 1",
    "SELECT x.a FROM x LEFT JOIN y ON x.a = y.b WHERE y.c IS NULL",
    "SELECT x.a FROM x LEFT JOIN y ON x.a = y.b WHERE x.b = y.c",
    "SELECT x.a FROM (SELECT b FROM y) AS s RIGHT JOIN x ON x.a = s.b WHERE s.b = 1",
    /* a LEFT join's preserved side in ON stays: it does not filter rows */
    "SELECT x.a FROM (SELECT a FROM x) AS x LEFT JOIN y ON x.a = y.b AND x.a = 1",
    /* FULL joins: both sides preserved */
    "SELECT x.a FROM x FULL JOIN y ON x.a = y.b WHERE y.b = 3",
    "SELECT x.a FROM (SELECT a FROM x) AS x FULL JOIN y ON x.a = y.b WHERE x.a = 3",
    "SELECT x.a FROM x FULL JOIN (SELECT b FROM y) AS s ON x.a = s.b AND s.b = 3",
    /* the preserved side of a RIGHT join in its ON */
    "SELECT x.a FROM x RIGHT JOIN (SELECT b FROM y) AS s ON x.a = s.b AND s.b = 3",
    "SELECT x.a FROM x RIGHT JOIN y ON x.a = y.b WHERE y.b = 3",
    /* SEMI / ANTI / ASOF / POSITIONAL */
    "SELECT s.a FROM (SELECT a FROM x) AS s SEMI JOIN y ON s.a = y.b WHERE s.a = 1",
    "SELECT s.a FROM (SELECT a FROM x) AS s ANTI JOIN y ON s.a = y.b WHERE s.a = 1",
    "SELECT x.a FROM x ASOF JOIN y ON x.a >= y.b WHERE y.c = 1",
    "SELECT x.a FROM x POSITIONAL JOIN y WHERE y.c = 1",
    /* table functions reading the tables beside them (UNNEST of a column) */
    "SELECT u.v FROM w, UNNEST(w.d) AS u(v) WHERE u.v = w.d[1]",
    "SELECT s.a FROM (SELECT unnest(w.d) AS a FROM w) AS s WHERE s.a = 1",
    /* a sampled derived table */
    "SELECT s.a FROM (SELECT a FROM x) AS s TABLESAMPLE 50% WHERE s.a = 1",
    /* a column the predicate reads from an outer query */
    "SELECT x.a FROM x WHERE EXISTS (SELECT 1 FROM (SELECT b FROM y) AS s WHERE s.b = x.a)",
    /* no source to move to */
    "SELECT x.a FROM x WHERE x.a = 1",
    "SELECT x.a FROM x WHERE 1 = 1",
    /* not understood: left alone */
    "SELECT 1 AS one WHERE 1 = 1",
    "VALUES (1), (2)",
    "CREATE TABLE t2 AS SELECT s.a FROM (SELECT a FROM x ORDER BY a LIMIT 1) AS s WHERE s.a = 1",
    "UPDATE x SET a = 1 WHERE b = 2",
    "DELETE FROM x WHERE b = 2",
};

static void test_keeps(void **state) {
  (void)state;
  uf_schema *s = schema();
  size_t fails = 0, n = sizeof KEEP / sizeof *KEEP;
  for (size_t i = 0; i < n; i++) {
    char *want = ut_compile_text(QN, s, KEEP[i]);
    char *got = ut_compile_text(PD, s, KEEP[i]);
    if (want == NULL || got == NULL || strcmp(got, want) != 0) {
      print_error("must not push: %s\n  without the rule: %s\n  with it:          %s\n", KEEP[i],
                  want ? want : "(failed)", got ? got : "(failed)");
      fails++;
    }
    free(want);
    free(got);
  }
  uf_schema_free(s);
  printf("pushdown_predicates: %zu/%zu must-not-push cases unchanged\n", n - fails, n);
  assert_int_equal(fails, 0);
}

/* The rule's output compiled again is unchanged; without a schema nothing
 * moves. (Under the full default policy a second pass may still differ:
 * pushdown_projections runs before this rule and only then sees the
 * columns a pushed filter no longer needs.) */
static void test_idempotent(void **state) {
  (void)state;
  uf_schema *s = schema();
  size_t fails = 0, n = sizeof PUSH / sizeof *PUSH;
  for (size_t i = 0; i < n; i++) {
    {
      const char *rules = PD;
      char *once = ut_compile_text(rules, s, PUSH[i][0]);
      char *twice = once ? ut_compile_text(rules, s, once) : NULL;
      if (twice == NULL || strcmp(once, twice) != 0) {
        print_error("[%s] not idempotent: %s\n  once:  %s\n  twice: %s\n", PD,
                    PUSH[i][0], once ? once : "(failed)", twice ? twice : "(failed)");
        fails++;
      }
      free(once);
      free(twice);
    }
  }
  /* without a schema: columns qualify cannot place stay where they are */
  static const char NOSCHEMA[] = "SELECT a FROM t, (SELECT * FROM u) AS s WHERE a = 1 AND b = 2";
  char *a = ut_compile_text(PD, NULL, NOSCHEMA), *b = ut_compile_text(QN, NULL, NOSCHEMA);
  if (a == NULL || b == NULL || strcmp(a, b) != 0) {
    print_error("no schema: %s\n  without the rule: %s\n  with it:          %s\n", NOSCHEMA,
                b ? b : "(failed)", a ? a : "(failed)");
    fails++;
  }
  free(a);
  free(b);
  uf_schema_free(s);
  assert_int_equal(fails, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pushes),
      cmocka_unit_test(test_keeps),
      cmocka_unit_test(test_idempotent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
