/* The rewrite rules canonicalize and simplify: table-driven input ->
 * expected SQL for each rule alone (NULL-semantics traps that must stay as
 * written included), fingerprint equivalence of spellings of one query
 * (and difference of queries that mean different things) under the
 * default policy, and SQLGlot's simplify.sql / canonicalize.sql fixtures
 * compared by meaning (both sides compile to one fingerprint), with pass
 * floors that may only go up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "../support/compile_util.h"
#include "opt/fn_class.h"
#include "unifier/compile.h"
#include "unifier/unifier.h"
#include "../support/support.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

static uf_schema *tpch_schema(void) { return ut_schema_shared("corpora/tpch/schema.json"); }

/* -- table-driven rule cases ---------------------------------------------- */

typedef struct rule_case {
  const char *rules; /* policy rule list */
  const char *in;
  const char *out;   /* expected rendered SQL */
} rule_case;

#define C "canonicalize"
#define S "simplify"
#define CS "canonicalize,simplify"

static const rule_case CASES[] = {
    /* canonicalize: casts */
    {C, "SELECT x::INT FROM t", "SELECT CAST(x AS INTEGER) FROM t"},
    {C, "SELECT DATE '2020-01-01'", "SELECT CAST('2020-01-01' AS DATE)"},
    {C, "SELECT TIMESTAMP '2020-01-01 10:00:00'", "SELECT CAST('2020-01-01 10:00:00' AS TIMESTAMP)"},
    {C, "SELECT CAST(x AS VARCHAR) FROM t", "SELECT CAST(x AS VARCHAR) FROM t"},
    {C, "SELECT TRY_CAST(x AS INT) FROM t", "SELECT TRY_CAST(x AS INTEGER) FROM t"},
    {C, "SELECT (a + b)::BIGINT FROM t", "SELECT CAST(a + b AS BIGINT) FROM t"},
    {C, "SELECT x::INT::INTEGER FROM t", "SELECT CAST(x AS INTEGER) FROM t"},
    {C, "SELECT x::INT::BIGINT FROM t", "SELECT CAST(CAST(x AS INTEGER) AS BIGINT) FROM t"},
    {C, "SELECT x::TEXT, x::INT8, x::BOOL FROM t",
     "SELECT CAST(x AS VARCHAR), CAST(x AS BIGINT), CAST(x AS BOOLEAN) FROM t"},
    /* canonicalize: negations folded into flags / comparisons */
    {C, "SELECT * FROM t WHERE NOT x IS NULL", "SELECT * FROM t WHERE x IS NOT NULL"},
    {C, "SELECT * FROM t WHERE NOT (x IS NOT NULL)", "SELECT * FROM t WHERE x IS NULL"},
    {C, "SELECT * FROM t WHERE NOT (a = b)", "SELECT * FROM t WHERE a <> b"},
    {C, "SELECT * FROM t WHERE NOT a <> b", "SELECT * FROM t WHERE a = b"},
    {C, "SELECT * FROM t WHERE NOT (a < b)", "SELECT * FROM t WHERE a >= b"},
    {C, "SELECT * FROM t WHERE NOT (a >= b)", "SELECT * FROM t WHERE a < b"},
    {C, "SELECT * FROM t WHERE NOT (a > b)", "SELECT * FROM t WHERE a <= b"},
    {C, "SELECT * FROM t WHERE NOT (a <= b)", "SELECT * FROM t WHERE a > b"},
    {C, "SELECT * FROM t WHERE a != b", "SELECT * FROM t WHERE a <> b"},
    {C, "SELECT * FROM t WHERE a == b", "SELECT * FROM t WHERE a = b"},
    {C, "SELECT * FROM t WHERE NOT x IN (1, 2)", "SELECT * FROM t WHERE x NOT IN (1, 2)"},
    {C, "SELECT * FROM t WHERE NOT (x IN (1, 2))", "SELECT * FROM t WHERE x NOT IN (1, 2)"},
    {C, "SELECT * FROM t WHERE NOT (x LIKE 'a%')", "SELECT * FROM t WHERE x NOT LIKE 'a%'"},
    {C, "SELECT * FROM t WHERE NOT (x BETWEEN 1 AND 2)", "SELECT * FROM t WHERE x NOT BETWEEN 1 AND 2"},
    {C, "SELECT * FROM t WHERE NOT (a IS DISTINCT FROM b)",
     "SELECT * FROM t WHERE a IS NOT DISTINCT FROM b"},
    {C, "SELECT * FROM t WHERE NOT (a IS NOT DISTINCT FROM b)",
     "SELECT * FROM t WHERE a IS DISTINCT FROM b"},
    /* traps: NOT over AND/OR and over arithmetic stays (no De Morgan here) */
    {C, "SELECT * FROM t WHERE NOT (a = 1 AND b = 2)", "SELECT * FROM t WHERE NOT (a = 1 AND b = 2)"},
    {C, "SELECT NOT x FROM t", "SELECT NOT x FROM t"},
    /* trap: || and concat() differ on NULL */
    {C, "SELECT a || b, concat(a, b) FROM t", "SELECT a || b, concat(a, b) FROM t"},
    /* parentheses */
    {C, "SELECT (a + b) * c FROM t", "SELECT (a + b) * c FROM t"},
    {C, "SELECT a + (b * c) FROM t", "SELECT a + b * c FROM t"},
    {C, "SELECT ((a)) FROM t", "SELECT a FROM t"},
    {C, "SELECT * FROM t WHERE (a = 1) AND ((b = 2))", "SELECT * FROM t WHERE a = 1 AND b = 2"},
    {C, "SELECT * FROM t WHERE (a = 1 OR b = 2) AND c = 3",
     "SELECT * FROM t WHERE (a = 1 OR b = 2) AND c = 3"},
    {C, "SELECT a - (b - c) FROM t", "SELECT a - (b - c) FROM t"},
    {C, "SELECT -(-a) FROM t", "SELECT -(-a) FROM t"},
    {C, "SELECT f((a)) FROM t", "SELECT f(a) FROM t"},
    {C, "SELECT (a = b) = c FROM t", "SELECT (a = b) = c FROM t"},
    /* traps: quantified comparisons, constant GROUP BY / ORDER BY items
     * (DuckDB reads folded integer constants there as positions) */
    {C, "SELECT NOT (2 <> ALL (SELECT 2))", "SELECT NOT 2 <> ALL(SELECT 2)"},
    {CS, "SELECT a FROM t GROUP BY (1 + 1), a", "SELECT a FROM t GROUP BY (1 + 1), a"},
    {CS, "SELECT a FROM t GROUP BY (- -5), a", "SELECT a FROM t GROUP BY (- -5), a"},
    {CS, "SELECT a FROM t ORDER BY (1 + 1)", "SELECT a FROM t ORDER BY (1 + 1)"},
    {CS, "SELECT a FROM t ORDER BY (a + (1 + 1))", "SELECT a FROM t ORDER BY a + 2"},
    /* an item there is not folded into a constant either */
    {CS, "SELECT COALESCE(5, CAST(a AS INTEGER)) AS k FROM t GROUP BY COALESCE(5, CAST(a AS INTEGER))",
     "SELECT 5 AS k FROM t GROUP BY COALESCE(5, CAST(a AS INTEGER))"},
    {CS, "SELECT a FROM t ORDER BY COALESCE(2, CAST(a AS INTEGER)) DESC, COALESCE(2, 3) + 1",
     "SELECT a FROM t ORDER BY COALESCE(2, CAST(a AS INTEGER)) DESC, COALESCE(2, 3) + 1"},
    /* BETWEEN kept by default */
    {C, "SELECT * FROM t WHERE x BETWEEN 1 AND 2", "SELECT * FROM t WHERE x BETWEEN 1 AND 2"},
    /* simplify: integer arithmetic */
    {S, "SELECT 1 + 2", "SELECT 3"},
    {S, "SELECT 2 * 3 + 4", "SELECT 10"},
    {S, "SELECT 1 - 5", "SELECT -4"},
    {S, "SELECT 7 // 2, 7 % 3", "SELECT 3, 1"},
    {S, "SELECT x + (1 + 1) FROM t", "SELECT x + 2 FROM t"},
    /* traps: not folded */
    {S, "SELECT 7 / 2", "SELECT 7 / 2"},                         /* DOUBLE */
    {S, "SELECT 1 // 0", "SELECT 1 // 0"},                       /* by zero */
    {S, "SELECT 1 % 0", "SELECT 1 % 0"},
    {S, "SELECT -7 // 2", "SELECT -7 // 2"},                     /* sign rules */
    {S, "SELECT 2147483647 + 1", "SELECT 2147483647 + 1"},       /* overflow */
    {S, "SELECT 65536 * 65536", "SELECT 65536 * 65536"},
    {S, "SELECT 3000000000 - 2999999999", "SELECT 3000000000 - 2999999999"}, /* BIGINT */
    {S, "SELECT 1.5 + 2.25", "SELECT 1.5 + 2.25"},               /* DECIMAL type */
    {S, "SELECT 1 + NULL", "SELECT 1 + NULL"},
    /* comparisons of constants */
    {S, "SELECT 1 < 2, 2 = 2.0, 0.1 = 0.10, 3 <> 3", "SELECT TRUE, TRUE, TRUE, FALSE"},
    {S, "SELECT 'a' = 'a', 'a' <> 'b'", "SELECT TRUE, TRUE"},
    {S, "SELECT 'a' < 'b'", "SELECT 'a' < 'b'"},                 /* collation */
    {S, "SELECT * FROM t WHERE x = NULL", "SELECT * FROM t WHERE CAST(NULL AS BOOLEAN)"},
    {S, "SELECT NULL IS NULL, 1 IS NULL, 1 IS NOT NULL", "SELECT TRUE, FALSE, TRUE"},
    /* boolean algebra, Kleene logic */
    {S, "SELECT * FROM t WHERE TRUE AND x = 1", "SELECT * FROM t WHERE x = 1"},
    {S, "SELECT * FROM t WHERE FALSE AND x = 1", "SELECT * FROM t WHERE FALSE"},
    {S, "SELECT * FROM t WHERE TRUE OR x = 1", "SELECT * FROM t"},
    {S, "SELECT * FROM t WHERE FALSE OR x = 1", "SELECT * FROM t WHERE x = 1"},
    {S, "SELECT NULL AND FALSE", "SELECT FALSE"},
    {S, "SELECT NULL OR TRUE", "SELECT TRUE"},
    {S, "SELECT NULL AND TRUE", "SELECT NULL AND TRUE"},         /* NULL, typed */
    {S, "SELECT TRUE AND x FROM t", "SELECT x AND TRUE FROM t"}, /* x not boolean */
    {S, "SELECT x AND x FROM t", "SELECT x AND TRUE FROM t"},
    {S, "SELECT x OR x FROM t", "SELECT x AND TRUE FROM t"},
    {S, "SELECT x AND TRUE FROM t", "SELECT x AND TRUE FROM t"},
    {S, "SELECT 1 AND TRUE, 0 OR FALSE, 0 AND NULL", "SELECT TRUE, FALSE, FALSE"},
    {S, "SELECT NOT NULL", "SELECT CAST(NULL AS BOOLEAN)"},
    {S, "SELECT * FROM t WHERE a = 1 AND (b = 2 AND (c = 3 AND d = 4))",
     "SELECT * FROM t WHERE a = 1 AND b = 2 AND c = 3 AND d = 4"},
    {S, "SELECT * FROM t WHERE a = 1 OR (b = 2 AND c = 3)",
     "SELECT * FROM t WHERE a = 1 OR b = 2 AND c = 3"},
    {S, "SELECT * FROM t WHERE x = 1 AND x = 1", "SELECT * FROM t WHERE x = 1"},
    {S, "SELECT * FROM t WHERE x = 1 AND y = 2 AND x = 1", "SELECT * FROM t WHERE x = 1 AND y = 2"},
    {S, "SELECT * FROM t WHERE x = 1 OR x = 1", "SELECT * FROM t WHERE x = 1"},
    {S, "SELECT * FROM t WHERE x = 1 AND (x = 1 OR y = 2)", "SELECT * FROM t WHERE x = 1"},
    {S, "SELECT * FROM t WHERE x = 1 OR (x = 1 AND y = 2)", "SELECT * FROM t WHERE x = 1"},
    {S, "SELECT * FROM t WHERE x = 1 AND NOT x = 1", "SELECT * FROM t WHERE x = 1 AND NOT x = 1"},
    {S, "SELECT * FROM t WHERE x = 1 OR NOT x = 1", "SELECT * FROM t WHERE x = 1 OR NOT x = 1"},
    {S, "SELECT * FROM t WHERE random() < 0.5 AND random() < 0.5",
     "SELECT * FROM t WHERE random() < 0.5 AND random() < 0.5"},     /* volatile */
    {S, "SELECT FALSE AND count(*) > 0 FROM t", "SELECT FALSE AND count(*) > 0 FROM t"},
    {S, "SELECT * FROM t WHERE FALSE AND x = ?", "SELECT * FROM t WHERE FALSE AND x = ?"},
    {S, "SELECT NOT TRUE, NOT FALSE", "SELECT FALSE, TRUE"},
    {S, "SELECT * FROM t WHERE NOT NOT x = 1", "SELECT * FROM t WHERE x = 1"},
    {S, "SELECT NOT NOT x FROM t", "SELECT NOT NOT x FROM t"},   /* x not boolean */
    /* CASE / COALESCE */
    {S, "SELECT CASE WHEN TRUE THEN 1 ELSE 2 END", "SELECT 1"},
    {S, "SELECT CASE WHEN FALSE THEN 1 WHEN NULL THEN 3 ELSE 2 END", "SELECT 2"},
    {S, "SELECT CASE WHEN 1 = 1 THEN 'a' ELSE 'b' END", "SELECT 'a'"},
    {S, "SELECT CASE WHEN TRUE THEN 1 ELSE 2.5 END", "SELECT CASE WHEN TRUE THEN 1 ELSE 2.5 END"},
    {S, "SELECT CASE WHEN FALSE THEN 1 END", "SELECT CASE WHEN FALSE THEN 1 END"},
    {S, "SELECT CASE WHEN x = 1 THEN 1 ELSE 2 END FROM t",
     "SELECT CASE WHEN x = 1 THEN 1 ELSE 2 END FROM t"},
    {S, "SELECT CASE WHEN TRUE THEN 1 ELSE sum(x) END FROM t",
     "SELECT CASE WHEN TRUE THEN 1 ELSE sum(x) END FROM t"},
    {S, "SELECT COALESCE(1, 2)", "SELECT 1"},
    {S, "SELECT COALESCE('a', 'b', 'c')", "SELECT 'a'"},
    {S, "SELECT COALESCE(1, 2.5)", "SELECT COALESCE(1, 2.5)"},
    {S, "SELECT COALESCE(NULL, 2)", "SELECT COALESCE(NULL, 2)"},
    {S, "SELECT COALESCE(1, sum(x)) FROM t", "SELECT COALESCE(1, sum(x)) FROM t"},
    /* WHERE TRUE, HAVING TRUE kept (it makes the query aggregate) */
    {S, "SELECT * FROM t WHERE TRUE", "SELECT * FROM t"},
    {S, "SELECT * FROM t WHERE 1 = 1", "SELECT * FROM t"},
    {S, "SELECT 1 FROM t HAVING TRUE", "SELECT 1 FROM t HAVING TRUE"},
    /* both rules */
    {CS, "SELECT * FROM t WHERE NOT (NOT (a = b))", "SELECT * FROM t WHERE a = b"},
    {CS, "SELECT * FROM t WHERE (1 + 1 = 2) AND (x::INT > 3)",
     "SELECT * FROM t WHERE CAST(x AS INTEGER) > 3"},
    {CS, "SELECT * FROM t WHERE NOT (x IS NULL) AND TRUE", "SELECT * FROM t WHERE x IS NOT NULL"},
};

static void test_rule_cases(void **state) {
  (void)state;
  size_t fails = 0, n = sizeof CASES / sizeof *CASES;
  for (size_t i = 0; i < n; i++) {
    const rule_case *c = &CASES[i];
    uf_policy p;
    ut_policy_rules(&p, c->rules);
    uf_compiled_query *q = NULL;
    uf_error err;
    if (uf_compile_sql(c->in, strlen(c->in), &p, NULL, NULL, &q, &err) != UF_OK) {
      print_error("[%s] %s: compile failed: %s\n", c->rules, c->in, err.message);
      fails++;
      continue;
    }
    if (strcmp(q->sql, c->out) != 0) {
      print_error("[%s] %s\n  expected: %s\n  got:      %s\n", c->rules, c->in, c->out, q->sql);
      fails++;
    }
    uf_compiled_query_free(q);
  }
  printf("rule cases: %zu/%zu\n", n - fails, n);
  assert_true(n >= 60);
  assert_int_equal(fails, 0);
}

/* BETWEEN expansion and operand ordering are policy options. */
static void test_rule_options(void **state) {
  (void)state;
  uf_policy p;
  ut_policy_rules(&p, C);
  p.expand_between = true;
  static const char *const IO[][2] = {
      {"SELECT * FROM t WHERE x BETWEEN 1 AND 2", "SELECT * FROM t WHERE x >= 1 AND x <= 2"},
      {"SELECT * FROM t WHERE x NOT BETWEEN 1 AND 2", "SELECT * FROM t WHERE x < 1 OR x > 2"},
      {"SELECT * FROM t WHERE f(x) BETWEEN 1 AND 2", "SELECT * FROM t WHERE f(x) BETWEEN 1 AND 2"},
  };
  for (size_t i = 0; i < sizeof IO / sizeof *IO; i++) {
    uf_compiled_query *q = NULL;
    assert_int_equal(uf_compile_sql(IO[i][0], strlen(IO[i][0]), &p, NULL, NULL, &q, NULL), UF_OK);
    if (strcmp(q->sql, IO[i][1]) != 0) fail_msg("%s\n  expected %s\n  got %s", IO[i][0], IO[i][1], q->sql);
    uf_compiled_query_free(q);
  }
  /* ordering: a = b and b = a, x AND y and y AND x compile alike */
  ut_policy_rules(&p, C);
  p.sort_commutative = true;
  static const char *const PAIRS[][2] = {
      {"SELECT * FROM t WHERE a = b", "SELECT * FROM t WHERE b = a"},
      {"SELECT * FROM t WHERE a = 1 AND b = 2", "SELECT * FROM t WHERE b = 2 AND a = 1"},
      {"SELECT a * 2 FROM t", "SELECT 2 * a FROM t"},
  };
  for (size_t i = 0; i < sizeof PAIRS / sizeof *PAIRS; i++) {
    uf_compiled_query *a = NULL, *b = NULL;
    assert_int_equal(uf_compile_sql(PAIRS[i][0], strlen(PAIRS[i][0]), &p, NULL, NULL, &a, NULL), UF_OK);
    assert_int_equal(uf_compile_sql(PAIRS[i][1], strlen(PAIRS[i][1]), &p, NULL, NULL, &b, NULL), UF_OK);
    if (strcmp(a->artifacts.fingerprint, b->artifacts.fingerprint) != 0)
      fail_msg("sorted operands differ: %s | %s", a->sql, b->sql);
    uf_compiled_query_free(a);
    uf_compiled_query_free(b);
  }
}

/* -- fingerprint equivalence ------------------------------------------------ */

/* TPC-H-like base queries; pairs spell them differently (SAME) or change
 * their meaning (DIFFERENT). */
#define Q1                                                                                  \
  "SELECT l_returnflag, l_linestatus, SUM(l_quantity) AS sum_qty, "                        \
  "SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price FROM lineitem "               \
  "WHERE l_shipdate <= '1998-09-02' GROUP BY l_returnflag, l_linestatus "                  \
  "ORDER BY l_returnflag, l_linestatus"
#define Q3                                                                                  \
  "SELECT l_orderkey, SUM(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, "   \
  "o_shippriority FROM customer, orders, lineitem WHERE c_mktsegment = 'BUILDING' AND "    \
  "c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate < '1995-03-15' AND "  \
  "l_shipdate > '1995-03-15' GROUP BY l_orderkey, o_orderdate, o_shippriority "            \
  "ORDER BY revenue DESC, o_orderdate LIMIT 10"
#define Q6                                                                                  \
  "SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem "                     \
  "WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' "                        \
  "AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24"
#define Q10J                                                                                \
  "SELECT c_custkey, c_name, SUM(l_extendedprice) AS revenue FROM customer "               \
  "JOIN orders ON c_custkey = o_custkey JOIN lineitem ON l_orderkey = o_orderkey "         \
  "WHERE l_returnflag = 'R' GROUP BY c_custkey, c_name ORDER BY revenue DESC LIMIT 20"
#define Q13                                                                                 \
  "SELECT c_custkey, COUNT(o_orderkey) AS c_count FROM customer LEFT JOIN orders "         \
  "ON c_custkey = o_custkey AND o_comment NOT LIKE '%special%requests%' GROUP BY c_custkey"
#define QN                                                                                  \
  "SELECT n_name, r_name FROM nation JOIN region ON n_regionkey = r_regionkey "            \
  "WHERE r_name = 'ASIA' ORDER BY n_name"
#define QP                                                                                  \
  "SELECT p_brand, p_type, p_size, COUNT(DISTINCT ps_suppkey) AS supplier_cnt "            \
  "FROM partsupp, part WHERE p_partkey = ps_partkey AND p_brand <> 'Brand#45' "            \
  "AND p_size IN (49, 14, 23) GROUP BY p_brand, p_type, p_size"
#define QO                                                                                  \
  "SELECT o_orderpriority, COUNT(*) AS order_count FROM orders "                           \
  "WHERE o_orderdate >= '1993-07-01' AND o_orderdate < '1993-10-01' "                      \
  "GROUP BY o_orderpriority ORDER BY o_orderpriority"

/* Same meaning, different spelling: must compile (default policy) to one
 * fingerprint. Conjunct order and BETWEEN are not here: the default policy
 * keeps them as written (sort_commutative/expand_between off); they are
 * tested with those options set below. */
static const char *const SAME[][2] = {
    /* keyword and identifier case */
    {"SELECT l_orderkey FROM lineitem", "select L_ORDERKEY from LINEITEM"},
    {Q1, "select l_returnflag, l_linestatus, sum(l_quantity) as sum_qty, "
         "sum(l_extendedprice * (1 - l_discount)) as sum_disc_price from lineitem "
         "where l_shipdate <= '1998-09-02' group by l_returnflag, l_linestatus "
         "order by l_returnflag, l_linestatus"},
    {Q3, "Select l_orderkey, Sum(l_extendedprice * (1 - l_discount)) As revenue, o_orderdate, "
         "o_shippriority From customer, orders, lineitem Where c_mktsegment = 'BUILDING' And "
         "c_custkey = o_custkey And l_orderkey = o_orderkey And o_orderdate < '1995-03-15' And "
         "l_shipdate > '1995-03-15' Group By l_orderkey, o_orderdate, o_shippriority "
         "Order By revenue Desc, o_orderdate Limit 10"},
    {Q6, "select sum(L_EXTENDEDPRICE * L_DISCOUNT) as revenue from LINEITEM "
         "where L_SHIPDATE >= '1994-01-01' and L_SHIPDATE < '1995-01-01' "
         "and L_DISCOUNT between 0.05 and 0.07 and L_QUANTITY < 24"},
    {Q10J, "select c_custkey, c_name, sum(l_extendedprice) as revenue from customer "
           "join orders on c_custkey = o_custkey join lineitem on l_orderkey = o_orderkey "
           "where l_returnflag = 'R' group by c_custkey, c_name order by revenue desc limit 20"},
    {Q13, "select c_custkey, count(o_orderkey) as c_count from customer left join orders "
          "on c_custkey = o_custkey and o_comment not like '%special%requests%' group by c_custkey"},
    {QN, "SELECT N_NAME, R_NAME FROM NATION JOIN REGION ON N_REGIONKEY = R_REGIONKEY "
         "WHERE R_NAME = 'ASIA' ORDER BY N_NAME"},
    {QP, "select p_brand, p_type, p_size, count(distinct ps_suppkey) as supplier_cnt "
         "from partsupp, part where p_partkey = ps_partkey and p_brand <> 'Brand#45' "
         "and p_size in (49, 14, 23) group by p_brand, p_type, p_size"},
    {QO, "select O_ORDERPRIORITY, count(*) as order_count from ORDERS "
         "where O_ORDERDATE >= '1993-07-01' and O_ORDERDATE < '1993-10-01' "
         "group by O_ORDERPRIORITY order by O_ORDERPRIORITY"},
    {"SELECT * FROM orders WHERE o_comment IS NULL", "select * from orders where o_comment is null"},
    {"SELECT DISTINCT o_orderstatus FROM orders", "SeLeCt DiStInCt o_orderstatus FrOm orders"},
    {"SELECT COUNT(*) AS n FROM lineitem WHERE l_shipmode IN ('MAIL', 'SHIP')",
     "select count(*) as n from lineitem where l_shipmode in ('MAIL', 'SHIP')"},
    {"SELECT CASE WHEN o_totalprice > 1000 THEN 'big' ELSE 'small' END AS sz FROM orders",
     "select case when o_totalprice > 1000 then 'big' else 'small' end as sz from orders"},
    /* whitespace */
    {"SELECT l_orderkey FROM lineitem", "SELECT\n  l_orderkey\nFROM   lineitem"},
    {Q1, "SELECT\n  l_returnflag,\n  l_linestatus,\n  SUM(l_quantity) AS sum_qty,\n"
         "  SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price\nFROM\n  lineitem\n"
         "WHERE\n  l_shipdate <= '1998-09-02'\nGROUP BY\n  l_returnflag,\n  l_linestatus\n"
         "ORDER BY\n  l_returnflag,\n  l_linestatus"},
    {Q6, "SELECT SUM(l_extendedprice*l_discount) AS revenue FROM lineitem "
         "WHERE l_shipdate>='1994-01-01' AND l_shipdate<'1995-01-01' "
         "AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity<24"},
    {QN, "\t SELECT n_name ,r_name\r\nFROM nation\tJOIN region ON n_regionkey=r_regionkey\n\n"
         "WHERE r_name='ASIA'   ORDER   BY n_name  "},
    {QO, "SELECT o_orderpriority,COUNT( * ) AS order_count FROM orders "
         "WHERE o_orderdate >= '1993-07-01'\n  AND o_orderdate < '1993-10-01'\n"
         "GROUP BY o_orderpriority ORDER BY o_orderpriority"},
    {"SELECT l_orderkey FROM lineitem", "SELECT l_orderkey FROM lineitem;"},
    {"SELECT l_quantity + 1 AS q FROM lineitem", "SELECT l_quantity+1 AS q FROM lineitem"},
    {QP, "SELECT p_brand,p_type,p_size,COUNT(DISTINCT ps_suppkey) AS supplier_cnt "
         "FROM partsupp,part WHERE p_partkey=ps_partkey AND p_brand<>'Brand#45' "
         "AND p_size IN (49,14,23) GROUP BY p_brand,p_type,p_size"},
    /* comments */
    {"SELECT l_orderkey FROM lineitem", "SELECT /* c */ l_orderkey -- x\nFROM lineitem"},
    {Q6, "-- TPC-H Q6\n" Q6},
    {Q6, Q6 " -- forecast revenue change"},
    {Q3, "/* shipping priority */ " Q3},
    {QN, "SELECT n_name, /* region */ r_name FROM nation JOIN region ON n_regionkey = r_regionkey "
         "WHERE r_name = 'ASIA' -- asia only\nORDER BY n_name"},
    {QO, "SELECT o_orderpriority, COUNT(*) AS order_count FROM orders /* q4 */ "
         "WHERE o_orderdate >= '1993-07-01' /* from */ AND o_orderdate < '1993-10-01' /* to */ "
         "GROUP BY o_orderpriority ORDER BY o_orderpriority"},
    {"SELECT * FROM region", "SELECT * /* all */ FROM /* the */ region -- end"},
    {"SELECT COUNT(*) AS n FROM part", "SELECT COUNT(/* star */ *) AS n FROM part"},
    /* casts: CAST, ::, typed literals, type synonyms */
    {"SELECT CAST(l_quantity AS INT) FROM lineitem", "SELECT l_quantity::INT FROM lineitem"},
    {"SELECT CAST('1998-12-01' AS DATE)", "SELECT DATE '1998-12-01'"},
    {"SELECT CAST('1998-12-01' AS DATE)", "SELECT '1998-12-01'::DATE"},
    {"SELECT CAST(l_quantity AS INTEGER) AS q FROM lineitem", "SELECT l_quantity::INT AS q FROM lineitem"},
    {"SELECT CAST(l_quantity AS INTEGER) AS q FROM lineitem", "SELECT CAST(l_quantity AS INT4) AS q FROM lineitem"},
    {"SELECT CAST(o_orderkey AS BIGINT) AS k FROM orders", "SELECT o_orderkey::INT8 AS k FROM orders"},
    {"SELECT CAST(o_totalprice AS VARCHAR) AS p FROM orders", "SELECT o_totalprice::TEXT AS p FROM orders"},
    {"SELECT * FROM orders WHERE CAST(o_orderdate AS DATE) < DATE '1995-03-15'",
     "SELECT * FROM orders WHERE o_orderdate::DATE < CAST('1995-03-15' AS DATE)"},
    {"SELECT * FROM orders WHERE CAST(o_orderdate AS DATE) >= DATE '1993-07-01'",
     "SELECT * FROM orders WHERE o_orderdate::DATE >= '1993-07-01'::DATE"},
    {"SELECT CAST('1995-01-01 00:00:00' AS TIMESTAMP) AS t", "SELECT TIMESTAMP '1995-01-01 00:00:00' AS t"},
    {"SELECT CAST(l_quantity AS INTEGER) AS q FROM lineitem", "SELECT l_quantity::INT::INTEGER AS q FROM lineitem"},
    {"SELECT SUM(CAST(l_quantity AS BIGINT)) AS s FROM lineitem", "SELECT SUM(l_quantity::BIGINT) AS s FROM lineitem"},
    /* redundant parentheses */
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE ((l_quantity > 3))"},
    {"SELECT l_quantity * (l_tax + 1) FROM lineitem", "SELECT (l_quantity * ((l_tax) + 1)) FROM lineitem"},
    {"SELECT l_tax AS t FROM lineitem", "SELECT ((l_tax)) AS t FROM lineitem"},
    {Q6, "SELECT SUM((l_extendedprice) * (l_discount)) AS revenue FROM lineitem "
         "WHERE (l_shipdate >= '1994-01-01') AND (l_shipdate < '1995-01-01') "
         "AND (l_discount BETWEEN 0.05 AND 0.07) AND (l_quantity < 24)"},
    {Q1, "SELECT l_returnflag, l_linestatus, SUM((l_quantity)) AS sum_qty, "
         "SUM((l_extendedprice * (1 - l_discount))) AS sum_disc_price FROM lineitem "
         "WHERE ((l_shipdate <= '1998-09-02')) GROUP BY l_returnflag, l_linestatus "
         "ORDER BY l_returnflag, l_linestatus"},
    {"SELECT * FROM orders WHERE o_totalprice > 100 AND o_orderstatus = 'F' AND o_shippriority = 0",
     "SELECT * FROM orders WHERE (o_totalprice > 100 AND o_orderstatus = 'F') AND o_shippriority = 0"},
    {"SELECT * FROM orders WHERE o_totalprice > 100 AND o_orderstatus = 'F' AND o_shippriority = 0",
     "SELECT * FROM orders WHERE o_totalprice > 100 AND (o_orderstatus = 'F' AND o_shippriority = 0)"},
    {"SELECT * FROM orders WHERE o_orderstatus = 'F' OR o_orderstatus = 'O' OR o_orderstatus = 'P'",
     "SELECT * FROM orders WHERE (o_orderstatus = 'F' OR o_orderstatus = 'O') OR o_orderstatus = 'P'"},
    {"SELECT l_extendedprice * (1 - l_discount) * (1 + l_tax) AS c FROM lineitem",
     "SELECT ((l_extendedprice * (1 - l_discount)) * (1 + l_tax)) AS c FROM lineitem"},
    {"SELECT o_totalprice + 1 + 2 AS c FROM orders", "SELECT ((o_totalprice + 1) + 2) AS c FROM orders"},
    {"SELECT * FROM customer WHERE c_acctbal > 0 OR c_mktsegment = 'BUILDING' AND c_nationkey = 1",
     "SELECT * FROM customer WHERE c_acctbal > 0 OR (c_mktsegment = 'BUILDING' AND c_nationkey = 1)"},
    /* NOT NOT and negations folded into comparisons */
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE NOT NOT l_quantity > 3"},
    {"SELECT * FROM lineitem WHERE l_quantity <> 3", "SELECT * FROM lineitem WHERE NOT l_quantity = 3"},
    {"SELECT * FROM lineitem WHERE l_quantity >= 3", "SELECT * FROM lineitem WHERE NOT (l_quantity < 3)"},
    {"SELECT * FROM lineitem WHERE l_tax IS NOT NULL", "SELECT * FROM lineitem WHERE NOT l_tax IS NULL"},
    {"SELECT * FROM orders WHERE o_orderstatus = 'F'", "SELECT * FROM orders WHERE NOT (NOT (o_orderstatus = 'F'))"},
    {"SELECT * FROM orders WHERE o_comment IS NULL", "SELECT * FROM orders WHERE NOT NOT o_comment IS NULL"},
    {"SELECT * FROM part WHERE p_size < 10", "SELECT * FROM part WHERE NOT p_size >= 10"},
    {"SELECT * FROM part WHERE p_size <= 10", "SELECT * FROM part WHERE NOT (p_size > 10)"},
    {"SELECT * FROM part WHERE p_size > 10", "SELECT * FROM part WHERE NOT (p_size <= 10)"},
    {"SELECT * FROM part WHERE p_size = 10", "SELECT * FROM part WHERE NOT (p_size <> 10)"},
    {"SELECT * FROM lineitem WHERE l_tax IS NOT DISTINCT FROM 1",
     "SELECT * FROM lineitem WHERE NOT l_tax IS DISTINCT FROM 1"},
    {"SELECT * FROM lineitem WHERE l_tax NOT IN (1, 2)", "SELECT * FROM lineitem WHERE NOT (l_tax IN (1, 2))"},
    {"SELECT * FROM part WHERE p_type NOT LIKE '%BRASS'", "SELECT * FROM part WHERE NOT p_type LIKE '%BRASS'"},
    {"SELECT * FROM part WHERE p_size NOT BETWEEN 1 AND 5", "SELECT * FROM part WHERE NOT p_size BETWEEN 1 AND 5"},
    /* constant expressions and always-true / duplicate predicates */
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE l_quantity > 1 + 2"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE l_quantity > 3 AND TRUE"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE l_quantity > 3 AND 1 = 1"},
    {"SELECT * FROM lineitem", "SELECT * FROM lineitem WHERE TRUE"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3",
     "SELECT * FROM lineitem WHERE l_quantity > 3 AND l_quantity > 3"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE l_quantity > 3 OR FALSE"},
    {"SELECT 6 AS x", "SELECT 2 * 3 AS x"},
    {"SELECT 'x' AS c", "SELECT CASE WHEN TRUE THEN 'x' ELSE 'y' END AS c"},
    {"SELECT 1 AS c", "SELECT COALESCE(1, 2) AS c"},
    {Q6, "SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem "
         "WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' "
         "AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 20 + 4"},
    {"SELECT * FROM orders WHERE o_shippriority = 0", "SELECT * FROM orders WHERE o_shippriority = 1 - 1"},
    {"SELECT * FROM orders WHERE o_totalprice > 100", "SELECT * FROM orders WHERE 1 = 1 AND o_totalprice > 100"},
    {"SELECT * FROM orders WHERE o_totalprice > 100",
     "SELECT * FROM orders WHERE o_totalprice > 100 AND (2 > 1)"},
    {"SELECT * FROM part WHERE p_size = 15", "SELECT * FROM part WHERE p_size = 3 * 5"},
    {"SELECT * FROM part WHERE p_size = 15", "SELECT * FROM part WHERE p_size = (10 + 5)"},
    {"SELECT o_orderkey FROM orders LIMIT 10", "SELECT o_orderkey FROM orders LIMIT 5 + 5"},
    {"SELECT * FROM customer WHERE c_mktsegment = 'BUILDING'",
     "SELECT * FROM customer WHERE c_mktsegment = 'BUILDING' AND NOT FALSE"},
    {"SELECT * FROM customer WHERE c_acctbal > 0",
     "SELECT * FROM customer WHERE c_acctbal > 0 OR c_acctbal > 0"},
    {"SELECT 'BUILDING' AS s", "SELECT CASE WHEN 1 = 1 THEN 'BUILDING' END AS s"},
    /* <> vs != */
    {"SELECT * FROM lineitem WHERE l_quantity <> 3", "SELECT * FROM lineitem WHERE l_quantity != 3"},
    {QP, "SELECT p_brand, p_type, p_size, COUNT(DISTINCT ps_suppkey) AS supplier_cnt "
         "FROM partsupp, part WHERE p_partkey = ps_partkey AND p_brand != 'Brand#45' "
         "AND p_size IN (49, 14, 23) GROUP BY p_brand, p_type, p_size"},
    {"SELECT * FROM orders WHERE o_orderstatus <> 'F' AND o_orderpriority <> '1-URGENT'",
     "SELECT * FROM orders WHERE o_orderstatus != 'F' AND o_orderpriority != '1-URGENT'"},
    {"SELECT COUNT(*) AS n FROM lineitem WHERE l_returnflag <> l_linestatus",
     "SELECT COUNT(*) AS n FROM lineitem WHERE l_returnflag != l_linestatus"},
    {"SELECT CASE WHEN c_nationkey <> 0 THEN 1 ELSE 0 END AS k FROM customer",
     "SELECT CASE WHEN c_nationkey != 0 THEN 1 ELSE 0 END AS k FROM customer"},
    /* qualification and aliases that are not visible in the output */
    {"SELECT l_orderkey FROM lineitem", "SELECT l_orderkey AS l_orderkey FROM lineitem"},
    {"SELECT l_orderkey FROM lineitem", "SELECT lineitem.l_orderkey FROM lineitem"},
    {"SELECT o_orderkey, o_totalprice FROM orders WHERE o_totalprice > 1000",
     "SELECT o_orderkey AS o_orderkey, o_totalprice AS o_totalprice FROM orders WHERE o_totalprice > 1000"},
    {"SELECT c_name FROM customer ORDER BY c_acctbal", "SELECT c_name FROM customer ORDER BY customer.c_acctbal"},
    {"SELECT c_name FROM customer WHERE c_acctbal > 0", "SELECT customer.c_name FROM customer WHERE customer.c_acctbal > 0"},
    /* quoting of identifiers that need none */
    {"SELECT l_orderkey FROM lineitem", "SELECT \"l_orderkey\" FROM \"lineitem\""},
    {QN, "SELECT \"n_name\", \"r_name\" FROM \"nation\" JOIN \"region\" ON \"n_regionkey\" = \"r_regionkey\" "
         "WHERE \"r_name\" = 'ASIA' ORDER BY \"n_name\""},
    {"SELECT SUM(l_quantity) AS sum_qty FROM lineitem", "SELECT SUM(\"l_quantity\") AS \"sum_qty\" FROM lineitem"},
    {"SELECT o_orderkey FROM orders WHERE o_orderstatus = 'F'",
     "SELECT \"orders\".\"o_orderkey\" FROM \"orders\" WHERE \"orders\".\"o_orderstatus\" = 'F'"},
    {"SELECT c_name FROM customer ORDER BY c_acctbal DESC LIMIT 5",
     "SELECT \"c_name\" FROM customer ORDER BY \"c_acctbal\" DESC LIMIT 5"},
    {QO, "SELECT \"o_orderpriority\", COUNT(*) AS \"order_count\" FROM \"orders\" "
         "WHERE \"o_orderdate\" >= '1993-07-01' AND \"o_orderdate\" < '1993-10-01' "
         "GROUP BY \"o_orderpriority\" ORDER BY \"o_orderpriority\""},
    /* several spellings at once */
    {Q6, "select /* q6 */ sum((l_extendedprice * l_discount)) as \"revenue\" from lineitem\n"
         "where l_shipdate >= '1994-01-01' and l_shipdate < '1995-01-01'\n"
         "and l_discount between 0.05 and 0.07 and not not l_quantity < 24"},
    {"SELECT * FROM lineitem WHERE l_quantity <> 3 AND CAST(l_tax AS INTEGER) = 0",
     "select * from LINEITEM where not (l_quantity = 3) and (l_tax::INT = 0)"},
    /* table, derived-table and CTE aliases are not visible in the output:
     * the compiled fingerprint numbers them by definition order */
    {"SELECT l.l_orderkey FROM lineitem l WHERE l.l_quantity > 3",
     "SELECT li.l_orderkey FROM lineitem AS li WHERE li.l_quantity > 3"},
    {"SELECT o.o_orderkey, c.c_name FROM orders o JOIN customer c ON o.o_custkey = c.c_custkey",
     "SELECT x.o_orderkey, y.c_name FROM orders AS x JOIN customer AS y ON x.o_custkey = y.c_custkey"},
    {"SELECT l_orderkey FROM lineitem WHERE l_quantity > 3",
     "SELECT t.l_orderkey FROM lineitem t WHERE t.l_quantity > 3"},
    {"SELECT d.k FROM (SELECT o_orderkey AS k FROM orders) AS d",
     "SELECT e.k FROM (SELECT o_orderkey AS k FROM orders) AS e"},
    {"WITH big AS (SELECT o_orderkey FROM orders WHERE o_totalprice > 1000) SELECT o_orderkey FROM big",
     "WITH large AS (SELECT o_orderkey FROM orders WHERE o_totalprice > 1000) SELECT o_orderkey FROM large"},
    {"SELECT a.n_name FROM nation a JOIN nation b ON a.n_regionkey = b.n_regionkey",
     "SELECT p.n_name FROM nation p JOIN nation q ON p.n_regionkey = q.n_regionkey"},
    {"SELECT n.n_name FROM nation n WHERE EXISTS (SELECT 1 FROM region r WHERE r.r_regionkey = n.n_regionkey)",
     "SELECT x.n_name FROM nation x WHERE EXISTS (SELECT 1 FROM region y WHERE y.r_regionkey = x.n_regionkey)"},
    {"SELECT x.* FROM (SELECT n_name FROM nation) AS x", "SELECT y.* FROM (SELECT n_name FROM nation) AS y"},
    /* ORDER BY an output column's expression or its output name */
    {QN, "SELECT nation.n_name, region.r_name FROM nation JOIN region "
         "ON nation.n_regionkey = region.r_regionkey WHERE region.r_name = 'ASIA' "
         "ORDER BY nation.n_name"},
    {Q3, "SELECT lineitem.l_orderkey, SUM(lineitem.l_extendedprice * (1 - lineitem.l_discount)) AS revenue, "
         "orders.o_orderdate, orders.o_shippriority FROM customer, orders, lineitem "
         "WHERE customer.c_mktsegment = 'BUILDING' AND customer.c_custkey = orders.o_custkey "
         "AND lineitem.l_orderkey = orders.o_orderkey AND orders.o_orderdate < '1995-03-15' "
         "AND lineitem.l_shipdate > '1995-03-15' GROUP BY lineitem.l_orderkey, orders.o_orderdate, "
         "orders.o_shippriority ORDER BY revenue DESC, orders.o_orderdate LIMIT 10"},
    {"SELECT o_orderstatus AS s, COUNT(*) AS n FROM orders GROUP BY o_orderstatus ORDER BY COUNT(*) DESC",
     "SELECT o_orderstatus AS s, COUNT(*) AS n FROM orders GROUP BY o_orderstatus ORDER BY n DESC"},
    /* exact decimal constants compared with a numeric column */
    {Q6, "SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem "
         "WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' "
         "AND l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01 AND l_quantity < 24"},
    {"SELECT 1 AS one FROM lineitem WHERE l_tax < 0.5 + 0.25",
     "SELECT 1 AS one FROM lineitem WHERE l_tax < 0.75"},
    /* a string compared with a DATE/TIMESTAMP is the typed literal */
    {"SELECT o_orderkey FROM orders WHERE CAST(o_orderdate AS DATE) < '1995-03-15'",
     "SELECT o_orderkey FROM orders WHERE CAST(o_orderdate AS DATE) < DATE '1995-03-15'"},
    {"SELECT o_orderkey FROM orders WHERE CAST(o_orderdate AS TIMESTAMP) BETWEEN '1995-01-01' AND '1995-12-31 23:00:00'",
     "SELECT o_orderkey FROM orders WHERE CAST(o_orderdate AS TIMESTAMP) BETWEEN TIMESTAMP '1995-01-01' "
     "AND CAST('1995-12-31 23:00:00' AS TIMESTAMP)"},
    /* date literal arithmetic compared with a DATE: the shifted day */
    {"SELECT COUNT(*) AS n FROM lineitem WHERE CAST(l_shipdate AS DATE) <= DATE '1998-12-01' - INTERVAL '90' DAY",
     "SELECT COUNT(*) AS n FROM lineitem WHERE CAST(l_shipdate AS DATE) <= DATE '1998-09-02'"},
    {"SELECT COUNT(*) AS n FROM orders WHERE CAST(o_orderdate AS DATE) < DATE '1993-07-01' + INTERVAL '3' MONTH",
     "SELECT COUNT(*) AS n FROM orders WHERE CAST(o_orderdate AS DATE) < '1993-10-01'"},
    /* a cast to the type the operand has */
    {"SELECT CAST(o_comment AS VARCHAR) AS c FROM orders", "SELECT o_comment AS c FROM orders"},
    /* literal lists and COUNT of a literal (opt/respell.h) */
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1, 2)",
     "SELECT n_name FROM nation WHERE n_regionkey = 1 OR n_regionkey = 2"},
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1, 2)",
     "SELECT n_name FROM nation WHERE 1 = n_regionkey OR (n_regionkey = 2)"},
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1, 2, 3)",
     "SELECT n_name FROM nation WHERE n_regionkey IN (1, 2) OR n_regionkey = 3"},
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1, 2, 3)",
     "SELECT n_name FROM nation WHERE n_regionkey = 1 OR n_regionkey = 2 OR n_regionkey = 1 + 2"},
    {"SELECT n_name FROM nation WHERE n_name IN ('ALGERIA', 'BRAZIL')",
     "SELECT n_name FROM nation WHERE n_name = 'ALGERIA' OR n_name = 'BRAZIL'"},
    {"SELECT n_name FROM nation WHERE n_regionkey NOT IN (1, 2)",
     "SELECT n_name FROM nation WHERE n_regionkey <> 1 AND n_regionkey != 2"},
    {"SELECT n_name FROM nation WHERE n_regionkey NOT IN (1, 2)",
     "SELECT n_name FROM nation WHERE NOT (n_regionkey = 1 OR n_regionkey = 2)"},
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1)", "SELECT n_name FROM nation WHERE n_regionkey = 1"},
    {"SELECT n_name FROM nation WHERE n_regionkey NOT IN (1)",
     "SELECT n_name FROM nation WHERE n_regionkey <> 1"},
    {"SELECT COUNT(1) AS n FROM nation", "SELECT COUNT(*) AS n FROM nation"},
    {"SELECT COUNT('x') AS n FROM nation", "SELECT count(*) AS n FROM nation"},
    {"SELECT n_regionkey, COUNT(1) FILTER (WHERE n_nationkey > 3) AS n FROM nation GROUP BY n_regionkey",
     "SELECT n_regionkey, COUNT(*) FILTER (WHERE n_nationkey > 3) AS n FROM nation GROUP BY n_regionkey"},
};

/* Different meaning: must compile (default policy) to different
 * fingerprints. */
static const char *const DIFFERENT[][2] = {
    {"SELECT l_orderkey FROM lineitem", "SELECT l_partkey FROM lineitem"},
    {"SELECT l_orderkey AS a FROM lineitem", "SELECT l_orderkey AS b FROM lineitem"},
    {"SELECT a || b FROM (SELECT 'x' AS a, NULL AS b)", "SELECT concat(a, b) FROM (SELECT 'x' AS a, NULL AS b)"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE l_quantity >= 3"},
    {"SELECT * FROM lineitem WHERE NOT (l_quantity > 3 AND l_tax > 1)",
     "SELECT * FROM lineitem WHERE l_quantity <= 3 AND l_tax <= 1"},
    {"SELECT 7 / 2 AS c", "SELECT 7 // 2 AS c"},
    {"SELECT 1 AS c", "SELECT 1.0 AS c"},
    {"SELECT NULL AND TRUE AS c", "SELECT TRUE AS c"},
    {"SELECT * FROM lineitem WHERE l_tax = NULL", "SELECT * FROM lineitem WHERE l_tax IS NULL"},
    {"SELECT CASE WHEN TRUE THEN 1 ELSE 2.5 END AS c", "SELECT 1 AS c"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3 OR l_tax > 1",
     "SELECT * FROM lineitem WHERE l_quantity > 3 AND l_tax > 1"},
    {"SELECT l_quantity - 1 FROM lineitem", "SELECT 1 - l_quantity FROM lineitem"},
    /* a literal changed */
    {Q1, "SELECT l_returnflag, l_linestatus, SUM(l_quantity) AS sum_qty, "
         "SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price FROM lineitem "
         "WHERE l_shipdate <= '1998-09-03' GROUP BY l_returnflag, l_linestatus "
         "ORDER BY l_returnflag, l_linestatus"},
    {Q6, "SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem "
         "WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' "
         "AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 25"},
    {Q6, "SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem "
         "WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' "
         "AND l_discount BETWEEN 0.04 AND 0.07 AND l_quantity < 24"},
    {"SELECT * FROM customer WHERE c_mktsegment = 'BUILDING'",
     "SELECT * FROM customer WHERE c_mktsegment = 'building'"},
    {"SELECT * FROM customer WHERE c_mktsegment = 'BUILDING'",
     "SELECT * FROM customer WHERE c_mktsegment = 'BUILDING '"},
    {"SELECT * FROM part WHERE p_size IN (49, 14, 23)", "SELECT * FROM part WHERE p_size IN (49, 14, 24)"},
    {"SELECT * FROM part WHERE p_type LIKE '%BRASS'", "SELECT * FROM part WHERE p_type LIKE 'BRASS%'"},
    {"SELECT * FROM orders WHERE o_totalprice > 100", "SELECT * FROM orders WHERE o_totalprice > 100.5"},
    {"SELECT * FROM orders WHERE o_shippriority = 0", "SELECT * FROM orders WHERE o_shippriority = -0.5"},
    /* a column swapped */
    {Q3, "SELECT l_orderkey, SUM(l_extendedprice * (1 - l_tax)) AS revenue, o_orderdate, "
         "o_shippriority FROM customer, orders, lineitem WHERE c_mktsegment = 'BUILDING' AND "
         "c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate < '1995-03-15' AND "
         "l_shipdate > '1995-03-15' GROUP BY l_orderkey, o_orderdate, o_shippriority "
         "ORDER BY revenue DESC, o_orderdate LIMIT 10"},
    {Q3, "SELECT l_orderkey, SUM(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, "
         "o_shippriority FROM customer, orders, lineitem WHERE c_mktsegment = 'BUILDING' AND "
         "c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate < '1995-03-15' AND "
         "l_commitdate > '1995-03-15' GROUP BY l_orderkey, o_orderdate, o_shippriority "
         "ORDER BY revenue DESC, o_orderdate LIMIT 10"},
    {"SELECT l_quantity, l_tax FROM lineitem", "SELECT l_tax, l_quantity FROM lineitem"},
    {"SELECT * FROM orders WHERE o_custkey = 1", "SELECT * FROM orders WHERE o_orderkey = 1"},
    {"SELECT l_returnflag, COUNT(*) AS n FROM lineitem GROUP BY l_returnflag",
     "SELECT l_linestatus, COUNT(*) AS n FROM lineitem GROUP BY l_linestatus"},
    {"SELECT SUM(l_quantity) AS s FROM lineitem", "SELECT SUM(l_extendedprice) AS s FROM lineitem"},
    /* comparison operators */
    {"SELECT * FROM part WHERE p_size < 10", "SELECT * FROM part WHERE p_size <= 10"},
    {"SELECT * FROM part WHERE p_size = 10", "SELECT * FROM part WHERE p_size <> 10"},
    {"SELECT * FROM part WHERE p_size > 10", "SELECT * FROM part WHERE p_size < 10"},
    {"SELECT * FROM part WHERE p_size BETWEEN 1 AND 5", "SELECT * FROM part WHERE p_size NOT BETWEEN 1 AND 5"},
    {"SELECT * FROM part WHERE p_type LIKE '%BRASS'", "SELECT * FROM part WHERE p_type NOT LIKE '%BRASS'"},
    {"SELECT * FROM part WHERE p_type LIKE '%BRASS'", "SELECT * FROM part WHERE p_type ILIKE '%BRASS'"},
    {"SELECT * FROM part WHERE p_size IN (1, 2)", "SELECT * FROM part WHERE p_size NOT IN (1, 2)"},
    /* AND vs OR */
    {QO, "SELECT o_orderpriority, COUNT(*) AS order_count FROM orders "
         "WHERE o_orderdate >= '1993-07-01' OR o_orderdate < '1993-10-01' "
         "GROUP BY o_orderpriority ORDER BY o_orderpriority"},
    {"SELECT * FROM customer WHERE (c_acctbal > 0 OR c_mktsegment = 'BUILDING') AND c_nationkey = 1",
     "SELECT * FROM customer WHERE c_acctbal > 0 OR c_mktsegment = 'BUILDING' AND c_nationkey = 1"},
    /* NULL vs 0, NULL tests */
    {"SELECT COALESCE(o_comment, '') AS c FROM orders", "SELECT COALESCE(o_comment, NULL) AS c FROM orders"},
    {"SELECT * FROM orders WHERE o_totalprice = 0", "SELECT * FROM orders WHERE o_totalprice IS NULL"},
    {"SELECT NULL AS c", "SELECT 0 AS c"},
    {"SELECT * FROM orders WHERE o_comment IS NULL", "SELECT * FROM orders WHERE o_comment IS NOT NULL"},
    {"SELECT * FROM lineitem WHERE l_tax IS DISTINCT FROM 0", "SELECT * FROM lineitem WHERE l_tax <> 0"},
    {"SELECT COUNT(*) AS n FROM orders", "SELECT COUNT(o_comment) AS n FROM orders"},
    /* ordering and limits */
    {QN, "SELECT n_name, r_name FROM nation JOIN region ON n_regionkey = r_regionkey "
         "WHERE r_name = 'ASIA' ORDER BY n_name DESC"},
    {Q10J, "SELECT c_custkey, c_name, SUM(l_extendedprice) AS revenue FROM customer "
           "JOIN orders ON c_custkey = o_custkey JOIN lineitem ON l_orderkey = o_orderkey "
           "WHERE l_returnflag = 'R' GROUP BY c_custkey, c_name ORDER BY revenue ASC LIMIT 20"},
    {"SELECT o_orderkey FROM orders ORDER BY o_orderkey LIMIT 10",
     "SELECT o_orderkey FROM orders ORDER BY o_orderkey LIMIT 11"},
    {"SELECT o_orderkey FROM orders ORDER BY o_orderkey LIMIT 10",
     "SELECT o_orderkey FROM orders ORDER BY o_orderkey LIMIT 10 OFFSET 1"},
    {"SELECT o_orderkey FROM orders ORDER BY o_orderkey", "SELECT o_orderkey FROM orders"},
    {"SELECT o_orderkey FROM orders ORDER BY o_orderkey, o_custkey",
     "SELECT o_orderkey FROM orders ORDER BY o_custkey, o_orderkey"},
    {"SELECT c_name FROM customer ORDER BY c_acctbal NULLS FIRST",
     "SELECT c_name FROM customer ORDER BY c_acctbal NULLS LAST"},
    /* DISTINCT added */
    {"SELECT o_orderstatus FROM orders", "SELECT DISTINCT o_orderstatus FROM orders"},
    {QP, "SELECT p_brand, p_type, p_size, COUNT(ps_suppkey) AS supplier_cnt "
         "FROM partsupp, part WHERE p_partkey = ps_partkey AND p_brand <> 'Brand#45' "
         "AND p_size IN (49, 14, 23) GROUP BY p_brand, p_type, p_size"},
    /* joins */
    {Q13, "SELECT c_custkey, COUNT(o_orderkey) AS c_count FROM customer JOIN orders "
          "ON c_custkey = o_custkey AND o_comment NOT LIKE '%special%requests%' GROUP BY c_custkey"},
    {Q13, "SELECT c_custkey, COUNT(o_orderkey) AS c_count FROM customer LEFT JOIN orders "
          "ON c_custkey = o_custkey WHERE o_comment NOT LIKE '%special%requests%' GROUP BY c_custkey"},
    {"SELECT n_name FROM nation LEFT JOIN region ON n_regionkey = r_regionkey",
     "SELECT n_name FROM nation FULL JOIN region ON n_regionkey = r_regionkey"},
    {"SELECT n_name FROM nation JOIN region ON n_regionkey = r_regionkey",
     "SELECT n_name FROM nation CROSS JOIN region"},
    /* literal lists and COUNT: only where the meaning is kept */
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1, 2)",
     "SELECT n_name FROM nation WHERE n_regionkey NOT IN (1, 2)"},
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1, 2)",
     "SELECT n_name FROM nation WHERE n_regionkey = 1 OR n_nationkey = 2"},
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1, 2)",
     "SELECT n_name FROM nation WHERE n_regionkey = 1 AND n_regionkey = 2"},
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1, 2)",
     "SELECT n_name FROM nation WHERE n_regionkey IN (1, 2, 3)"},
    {"SELECT COUNT(DISTINCT 1) AS n FROM nation", "SELECT COUNT(*) AS n FROM nation"},
    {"SELECT COUNT(NULL) AS n FROM nation", "SELECT COUNT(*) AS n FROM nation"},
    {"SELECT COUNT(n_name) AS n FROM nation", "SELECT COUNT(*) AS n FROM nation"},
    /* a different table */
    {"SELECT COUNT(*) AS n FROM nation", "SELECT COUNT(*) AS n FROM region"},
    {"SELECT s_name FROM supplier WHERE s_acctbal > 0", "SELECT c_name FROM customer WHERE c_acctbal > 0"},
    /* aggregates, grouping, set operations */
    {"SELECT SUM(l_quantity) AS s FROM lineitem", "SELECT AVG(l_quantity) AS s FROM lineitem"},
    {"SELECT MIN(o_totalprice) AS m FROM orders", "SELECT MAX(o_totalprice) AS m FROM orders"},
    {"SELECT o_orderstatus, COUNT(*) AS n FROM orders GROUP BY o_orderstatus",
     "SELECT o_orderstatus, COUNT(*) AS n FROM orders GROUP BY o_orderstatus HAVING COUNT(*) > 1"},
    {"SELECT n_name FROM nation UNION SELECT r_name FROM region",
     "SELECT n_name FROM nation UNION ALL SELECT r_name FROM region"},
    {"SELECT n_nationkey FROM nation EXCEPT SELECT r_regionkey FROM region",
     "SELECT n_nationkey FROM nation INTERSECT SELECT r_regionkey FROM region"},
    /* casts and arithmetic */
    {"SELECT CAST(o_totalprice AS INTEGER) AS p FROM orders", "SELECT CAST(o_totalprice AS BIGINT) AS p FROM orders"},
    {"SELECT CAST(o_totalprice AS INTEGER) AS p FROM orders", "SELECT TRY_CAST(o_totalprice AS INTEGER) AS p FROM orders"},
    {"SELECT l_extendedprice * (1 - l_discount) AS c FROM lineitem",
     "SELECT l_extendedprice * 1 - l_discount AS c FROM lineitem"},
    {"SELECT o_orderkey FROM orders WHERE o_orderkey IN (SELECT l_orderkey FROM lineitem)",
     "SELECT o_orderkey FROM orders WHERE o_orderkey NOT IN (SELECT l_orderkey FROM lineitem)"},
    {"SELECT o_orderkey FROM orders WHERE EXISTS (SELECT 1 FROM lineitem WHERE l_orderkey = o_orderkey)",
     "SELECT o_orderkey FROM orders WHERE NOT EXISTS (SELECT 1 FROM lineitem WHERE l_orderkey = o_orderkey)"},
    /* renaming aliases keeps which source a column comes from */
    {"SELECT a.n_name FROM nation a LEFT JOIN nation b ON a.n_nationkey = b.n_regionkey",
     "SELECT b.n_name FROM nation a LEFT JOIN nation b ON a.n_nationkey = b.n_regionkey"},
    {"SELECT a.n_name FROM nation a LEFT JOIN nation b ON a.n_nationkey = b.n_regionkey",
     "SELECT a.n_name FROM nation a LEFT JOIN nation b ON b.n_nationkey = a.n_regionkey"},
    {"WITH nation AS (SELECT * FROM region) SELECT COUNT(*) AS n FROM nation",
     "SELECT COUNT(*) AS n FROM nation"},
    {"WITH r AS (SELECT r_regionkey AS k FROM region), n AS (SELECT n_nationkey AS k FROM nation) "
     "SELECT COUNT(*) AS c FROM r",
     "WITH r AS (SELECT r_regionkey AS k FROM region), n AS (SELECT n_nationkey AS k FROM nation) "
     "SELECT COUNT(*) AS c FROM n"},
    /* a bare ORDER BY name is the output column, an expression the source's */
    {"SELECT n_nationkey AS n_regionkey, n_regionkey AS n_nationkey FROM nation ORDER BY n_regionkey",
     "SELECT n_nationkey AS n_regionkey, n_regionkey AS n_nationkey FROM nation ORDER BY nation.n_regionkey"},
    {"SELECT random() AS r FROM nation ORDER BY r", "SELECT random() AS r FROM nation ORDER BY random()"},
    /* a decimal sum in the output keeps its wider type: not folded there */
    {"SELECT 0.06 - 0.01 AS x", "SELECT 0.05 AS x"},
    /* a string compared with a string stays a string comparison */
    {"SELECT o_orderkey FROM orders WHERE o_orderdate < '1995-03-15'",
     "SELECT o_orderkey FROM orders WHERE o_orderdate < DATE '1995-03-15'"},
    /* DATE - INTERVAL is a TIMESTAMP: not folded where it is the output */
    {"SELECT DATE '1998-12-01' - INTERVAL '90' DAY AS d", "SELECT DATE '1998-09-02' AS d"},
    {"SELECT COUNT(*) AS n FROM orders WHERE CAST(o_orderdate AS DATE) < DATE '2000-01-31' + INTERVAL 1 MONTH",
     "SELECT COUNT(*) AS n FROM orders WHERE CAST(o_orderdate AS DATE) < DATE '2000-03-02'"},
};

/* Conjunct order: equal only when the policy sorts commutative operands
 * (sort_commutative); compiled with that option set. */
static const char *const SAME_SORTED[][2] = {
    {QO, "SELECT o_orderpriority, COUNT(*) AS order_count FROM orders "
         "WHERE o_orderdate < '1993-10-01' AND o_orderdate >= '1993-07-01' "
         "GROUP BY o_orderpriority ORDER BY o_orderpriority"},
    {"SELECT * FROM orders WHERE o_orderstatus = 'F' AND o_totalprice > 100",
     "SELECT * FROM orders WHERE o_totalprice > 100 AND o_orderstatus = 'F'"},
    {"SELECT * FROM orders WHERE o_orderstatus = 'F' OR o_orderstatus = 'O'",
     "SELECT * FROM orders WHERE o_orderstatus = 'O' OR o_orderstatus = 'F'"},
    {"SELECT * FROM orders JOIN customer ON o_custkey = c_custkey",
     "SELECT * FROM orders JOIN customer ON c_custkey = o_custkey"},
    {"SELECT l_quantity * l_tax AS c FROM lineitem", "SELECT l_tax * l_quantity AS c FROM lineitem"},
    {Q6, "SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem "
         "WHERE l_quantity < 24 AND l_discount BETWEEN 0.05 AND 0.07 "
         "AND l_shipdate < '1995-01-01' AND l_shipdate >= '1994-01-01'"},
    {"SELECT * FROM customer WHERE c_custkey = 1 AND c_nationkey = 2 AND c_acctbal > 0",
     "SELECT * FROM customer WHERE c_acctbal > 0 AND c_custkey = 1 AND c_nationkey = 2"},
    {"SELECT * FROM customer WHERE (c_custkey = 1 OR c_nationkey = 2) OR c_acctbal > 0",
     "SELECT * FROM customer WHERE c_acctbal > 0 OR (c_nationkey = 2 OR c_custkey = 1)"},
    {"SELECT l_quantity + l_tax AS c FROM lineitem", "SELECT l_tax + l_quantity AS c FROM lineitem"},
    {"SELECT n_name FROM nation WHERE n_regionkey IN (2, 1, 3)",
     "SELECT n_name FROM nation WHERE n_regionkey IN (3, 1, 2)"},
    {"SELECT n_name FROM nation WHERE n_regionkey IN (1, 2)",
     "SELECT n_name FROM nation WHERE n_regionkey = 2 OR n_regionkey = 1"},
};

/* BETWEEN vs two comparisons: equal only with expand_between set. */
static const char *const SAME_BETWEEN[][2] = {
    {"SELECT * FROM lineitem WHERE l_discount BETWEEN 0.05 AND 0.07",
     "SELECT * FROM lineitem WHERE l_discount >= 0.05 AND l_discount <= 0.07"},
    {Q6, "SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem "
         "WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' "
         "AND l_discount >= 0.05 AND l_discount <= 0.07 AND l_quantity < 24"},
    {"SELECT * FROM part WHERE p_size NOT BETWEEN 1 AND 5",
     "SELECT * FROM part WHERE p_size < 1 OR p_size > 5"},
    {"SELECT * FROM orders WHERE o_orderdate BETWEEN '1995-01-01' AND '1996-12-31'",
     "SELECT * FROM orders WHERE o_orderdate >= '1995-01-01' AND o_orderdate <= '1996-12-31'"},
    {"SELECT COUNT(*) AS n FROM customer WHERE c_acctbal BETWEEN 0 AND 9999.99",
     "SELECT COUNT(*) AS n FROM customer WHERE c_acctbal >= 0 AND c_acctbal <= 9999.99"},
};

/* Known gaps: same meaning, but today's rules do not give one fingerprint.
 * Counted and printed, never failing; when the missing rule lands, move the
 * pair to SAME (or SAME_SORTED when `sorted`). */
typedef struct fp_gap {
  bool sorted;         /* compiled with sort_commutative set */
  const char *missing; /* the rule that would make them equal */
  const char *a, *b;
} fp_gap;

static const fp_gap GAPS[] = {
    {false, "simplify: x + 0 is x for an integer x",
     "SELECT n_name FROM nation WHERE n_regionkey + 0 = 1",
     "SELECT n_name FROM nation WHERE n_regionkey = 1"},
    {true, "respell: comparisons of one x among other operands of a chain are not grouped",
     "SELECT n_name FROM nation WHERE n_regionkey NOT IN (1, 2) AND n_name <> 'x'",
     "SELECT n_name FROM nation WHERE n_name <> 'x' AND n_regionkey <> 2 AND n_regionkey <> 1"},
};

typedef struct fp_result {
  bool ok;
  char fp[UF_FINGERPRINT_HEX];
  char *sql; /* compiled SQL, or the error message; malloc'd */
} fp_result;

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static fp_result fp_run(const char *sql, const uf_policy *p, const uf_schema *s) {
  fp_result r = {0};
  uf_compiled_query *q = NULL;
  uf_error err;
  if (uf_compile_sql(sql, strlen(sql), p, s, NULL, &q, &err) != UF_OK) {
    r.sql = dup_str(err.message);
    return r;
  }
  r.ok = true;
  memcpy(r.fp, q->artifacts.fingerprint, UF_FINGERPRINT_HEX);
  r.sql = dup_str(q->sql);
  uf_compiled_query_free(q);
  return r;
}

/* Compiles each pair under `p`; returns how many do not match `want_same`
 * (a compile failure counts). Prints each mismatch when `report`. */
static size_t check_pairs(const char *label, const char *const (*pairs)[2], size_t n, const uf_policy *p,
                          const uf_schema *s, bool want_same, bool report) {
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    if (!pairs[i][0]) continue;
    fp_result a = fp_run(pairs[i][0], p, s), b = fp_run(pairs[i][1], p, s);
    bool same = a.ok && b.ok && strcmp(a.fp, b.fp) == 0;
    if (!a.ok || !b.ok || same != want_same) {
      bad++;
      if (report) {
        /* one line per call: print_error truncates long messages */
        print_error("%s #%zu: %s\n", label, i,
                    !a.ok || !b.ok ? "compile failed"
                    : want_same    ? "same meaning, different fingerprints"
                                   : "different meaning, same fingerprint");
        print_error("  query A: %s\n", pairs[i][0]);
        print_error("  query B: %s\n", pairs[i][1]);
        print_error("  %s A: %s\n", a.ok ? "compiled" : "error", a.sql);
        print_error("  %s B: %s\n", b.ok ? "compiled" : "error", b.sql);
      }
    }
    free(a.sql);
    free(b.sql);
  }
  return bad;
}

#define NPAIRS(t) (sizeof t / sizeof *t)

static void test_fingerprint_equivalence(void **state) {
  (void)state;
  uf_schema *s = tpch_schema();
  uf_policy def, sorted, between;
  uf_policy_default(&def);
  uf_policy_default(&sorted);
  sorted.sort_commutative = true;
  uf_policy_default(&between);
  between.expand_between = true;
  size_t fails = 0;
  fails += check_pairs("same", SAME, NPAIRS(SAME), &def, s, true, true);
  fails += check_pairs("different", DIFFERENT, NPAIRS(DIFFERENT), &def, s, false, true);
  fails += check_pairs("same (sort_commutative)", SAME_SORTED, NPAIRS(SAME_SORTED), &sorted, s, true, true);
  fails += check_pairs("same (expand_between)", SAME_BETWEEN, NPAIRS(SAME_BETWEEN), &between, s, true, true);
  size_t ngaps = NPAIRS(GAPS), open = 0;
  for (size_t i = 0; i < ngaps; i++) {
    const char *const pair[1][2] = {{GAPS[i].a, GAPS[i].b}};
    size_t o = check_pairs("known gap", pair, 1, GAPS[i].sorted ? &sorted : &def, s, true, false);
    if (!o) printf("  known gap #%zu now passes (%s): move it to SAME\n", i, GAPS[i].missing);
    open += o;
  }
  printf("fingerprint pairs: same %zu (+%zu sort_commutative, +%zu expand_between), different %zu, "
         "failures %zu; known gaps %zu/%zu still differ\n",
         NPAIRS(SAME), NPAIRS(SAME_SORTED), NPAIRS(SAME_BETWEEN), NPAIRS(DIFFERENT), fails, open, ngaps);
  uf_schema_free(s);
  assert_true(NPAIRS(SAME) >= 100);
  assert_true(NPAIRS(DIFFERENT) >= 40);
  assert_int_equal(fails, 0);
}

/* -- SQLGlot fixtures ---------------------------------------------------------- */

/* The fixture's statements: "--" and "#" lines dropped, split on ';'. A
 * pair whose block carries a "# dialect:" other than duckdb is skipped (it
 * means another dialect's semantics). */
typedef struct stmts {
  char **s;
  bool *skip;
  size_t n, cap;
} stmts;

static void push_stmt(stmts *v, const char *b, size_t len, bool skip) {
  while (len && (b[0] == ' ' || b[0] == '\n' || b[0] == '\t' || b[0] == '\r')) b++, len--;
  while (len && (b[len - 1] == ' ' || b[len - 1] == '\n' || b[len - 1] == '\t')) len--;
  if (len == 0) return;
  if (v->n == v->cap) {
    v->cap = v->cap ? 2 * v->cap : 256;
    v->s = realloc(v->s, v->cap * sizeof *v->s);
    v->skip = realloc(v->skip, v->cap * sizeof *v->skip);
  }
  v->s[v->n] = strndup(b, len);
  v->skip[v->n++] = skip;
}

static stmts read_fixture(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/sqlglot/optimizer/%s", UF_SHARED_DIR, name);
  char *text = ut_read_file(path, NULL);
  if (text == NULL) fail_msg("cannot read %s", path);
  stmts v = {0};
  char *cur = malloc(strlen(text) + 1);
  size_t w = 0;
  bool skip = false;
  for (char *line = text; *line;) {
    char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    const char *l = line;
    while (*l == ' ' || *l == '\t') l++;
    if (strncmp(l, "--", 2) == 0) {
    } else if (*l == '#') {
      if (strstr(l, "dialect") && !strstr(l, "duckdb")) skip = true;
    } else {
      for (size_t i = 0; i < len; i++) {
        if (line[i] == ';') {
          push_stmt(&v, cur, w, skip);
          w = 0;
          if (v.n % 2 == 0) skip = false; /* a pair ends */
        } else {
          cur[w++] = line[i];
        }
      }
      cur[w++] = '\n';
    }
    line += len + (eol ? 1 : 0);
  }
  push_stmt(&v, cur, w, skip);
  free(cur);
  free(text);
  return v;
}

static void free_stmts(stmts *v) {
  for (size_t i = 0; i < v->n; i++) free(v->s[i]);
  free(v->s);
  free(v->skip);
}

/* An expression fixture becomes a query: SELECT <expr> AS e when that
 * parses (the output name of an unnamed expression is its own text, which
 * would make every folding differ), else SELECT <expr> (it has an alias). */
static char *as_query(const char *s, bool named) {
  size_t n = strlen(s) + 24;
  char *q = malloc(n);
  const char *p = s;
  while (*p == '(') p++;
  bool query = strncasecmp(p, "SELECT", 6) == 0 || strncasecmp(p, "WITH", 4) == 0 ||
               strncasecmp(p, "FROM", 4) == 0 || strncasecmp(p, "VALUES", 6) == 0;
  snprintf(q, n, query ? "%s" : named ? "SELECT %s AS e" : "SELECT %s", s);
  return q;
}

static const uf_schema *fixture_schema; /* the current fixture file's */

static bool compile_fp(const char *sql, char out[UF_FINGERPRINT_HEX]) {
  uf_policy p;
  uf_policy_default(&p);
  p.validate = false;
  /* SQLGlot's expected outputs order operands and expand BETWEEN: with
   * our options for both, same meaning gives one fingerprint */
  p.sort_commutative = getenv("UF_RULES_UNSORTED") == NULL;
  p.expand_between = p.sort_commutative;
  uf_compiled_query *c = NULL;
  uf_status st = UF_SYNTAX;
  for (int named = 1; named >= 0 && st != UF_OK; named--) {
    char *q = as_query(sql, named);
    uf_tree *t = NULL;
    bool parses = uf_parse(q, strlen(q), NULL, &t, NULL) == UF_OK;
    uf_tree_free(t);
    if (parses || !named) st = uf_compile_sql(q, strlen(q), &p, fixture_schema, NULL, &c, NULL);
    free(q);
  }
  if (st != UF_OK) return false;
  memcpy(out, c->artifacts.fingerprint, UF_FINGERPRINT_HEX);
  uf_compiled_query_free(c);
  return true;
}

static size_t fixture_pass(const char *name, size_t *total, bool verbose) {
  stmts v = read_fixture(name);
  size_t pass = 0;
  *total = 0;
  for (size_t i = 0; i + 1 < v.n; i += 2) {
    if (v.skip[i] || v.skip[i + 1]) continue;
    (*total)++;
    char a[UF_FINGERPRINT_HEX], b[UF_FINGERPRINT_HEX];
    if (compile_fp(v.s[i], a) && compile_fp(v.s[i + 1], b) && strcmp(a, b) == 0) pass++;
    else if (verbose) printf("  FAIL %s\n    => %s\n", v.s[i], v.s[i + 1]);
  }
  free_stmts(&v);
  return pass;
}

static void test_sqlglot_fixtures(void **state) {
  (void)state;
  bool verbose = getenv("UF_RULES_VERBOSE") != NULL;
  const char *only = getenv("UF_RULES_FIXTURE"); /* one file, for debugging */
  /* tpc-h.sql reads the TPC-H tables, the others optimizer/schema.json's */
  uf_schema *optimizer = ut_schema_shared("corpora/sqlglot/optimizer/schema.json");
  uf_schema *tpch = ut_schema_shared("corpora/tpch/schema.json");
  static const struct {
    const char *file;
    size_t floor;
  } FIX[] = {{"simplify.sql", 212}, {"canonicalize.sql", 14}, {"normalize.sql", 17},
             {"pushdown_predicates.sql", 17}, {"pushdown_projections.sql", 49},
             {"tpc-h.sql", 6}};
  for (size_t i = 0; i < sizeof FIX / sizeof *FIX; i++) {
    if (only && strcmp(only, FIX[i].file) != 0) continue;
    fixture_schema = strcmp(FIX[i].file, "tpc-h.sql") == 0 ? tpch : optimizer;
    size_t total = 0, pass = fixture_pass(FIX[i].file, &total, verbose);
    printf("%s: %zu/%zu pairs compile to one fingerprint (floor %zu)\n", FIX[i].file, pass, total,
           FIX[i].floor);
    if (pass < FIX[i].floor) fail_msg("%s: %zu below the floor %zu", FIX[i].file, pass, FIX[i].floor);
  }
  fixture_schema = NULL;
  uf_schema_free(optimizer);
  uf_schema_free(tpch);
}

/* opt/fn_class.h's lists are searched by bisection: every name each list
 * holds (read from the header itself) must be found, in any case. */
static void test_function_classes(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/src/opt/fn_class.h", UF_SOURCE_DIR);
  char *text = ut_read_file(path, NULL);
  assert_non_null(text);
  static const struct {
    const char *marker;
    bool (*fn)(const char *);
  } L[] = {{"uf_fn_volatile(const char", uf_fn_volatile},
           {"uf_fn_aggregate(const char", uf_fn_aggregate},
           {"uf_fn_set_returning(const char", uf_fn_set_returning}};
  size_t checked = 0;
  for (size_t i = 0; i < sizeof L / sizeof *L; i++) {
    const char *p = strstr(text, L[i].marker);
    assert_non_null(p);
    const char *end = strstr(p, "return ");
    size_t n = 0;
    for (p = strchr(p, '"'); p && p < end; p = strchr(p + 1, '"')) {
      const char *q = strchr(p + 1, '"');
      char name[64], upper[64];
      size_t len = (size_t)(q - p - 1);
      assert_true(len < sizeof name);
      memcpy(name, p + 1, len);
      name[len] = 0;
      for (size_t k = 0; k <= len; k++)
        upper[k] = (char)(name[k] >= 'a' && name[k] <= 'z' ? name[k] - 32 : name[k]);
      if (!L[i].fn(name) || !L[i].fn(upper)) fail_msg("%s: '%s' not found", L[i].marker, name);
      n++;
      p = q;
    }
    assert_true(n >= 10);
    checked += n;
  }
  assert_false(uf_fn_aggregate("upper"));
  assert_false(uf_fn_volatile("now"));
  assert_false(uf_fn_set_returning("sum"));
  printf("function classes: %zu names found by bisection\n", checked);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rule_cases),
      cmocka_unit_test(test_rule_options),
      cmocka_unit_test(test_fingerprint_equivalence),
      cmocka_unit_test(test_sqlglot_fixtures),
      cmocka_unit_test(test_function_classes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
