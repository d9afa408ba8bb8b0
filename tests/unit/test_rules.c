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

/* A policy running only `rules` (comma-separated), with options. */
static void policy_of(uf_policy *p, const char *rules) {
  uf_policy_default(p);
  const char *names[8];
  char buf[256];
  size_t n = 0;
  snprintf(buf, sizeof buf, "%s", rules);
  for (char *tok = strtok(buf, ","); tok && n < 8; tok = strtok(NULL, ",")) names[n++] = tok;
  uf_error err;
  if (uf_policy_set_rules(p, names, n, &err) != UF_OK) fail_msg("%s", err.message);
}

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
    {S, "SELECT NOT NULL", "SELECT NULL AND TRUE"},
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
    policy_of(&p, c->rules);
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
  policy_of(&p, C);
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
  policy_of(&p, C);
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

static const char *const SAME[][2] = {
    {"SELECT l_orderkey FROM lineitem", "select L_ORDERKEY from LINEITEM"},
    {"SELECT l_orderkey FROM lineitem", "SELECT\n  l_orderkey\nFROM   lineitem"},
    {"SELECT l_orderkey FROM lineitem", "SELECT /* c */ l_orderkey -- x\nFROM lineitem"},
    {"SELECT l_orderkey FROM lineitem", "SELECT l_orderkey AS l_orderkey FROM lineitem"},
    {"SELECT l_orderkey FROM lineitem", "SELECT lineitem.l_orderkey FROM lineitem"},
    {"SELECT CAST(l_quantity AS INT) FROM lineitem", "SELECT l_quantity::INT FROM lineitem"},
    {"SELECT CAST('1998-12-01' AS DATE)", "SELECT DATE '1998-12-01'"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE ((l_quantity > 3))"},
    {"SELECT l_quantity * (l_tax + 1) FROM lineitem", "SELECT (l_quantity * ((l_tax) + 1)) FROM lineitem"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE NOT NOT l_quantity > 3"},
    {"SELECT * FROM lineitem WHERE l_quantity <> 3", "SELECT * FROM lineitem WHERE l_quantity != 3"},
    {"SELECT * FROM lineitem WHERE l_quantity <> 3", "SELECT * FROM lineitem WHERE NOT l_quantity = 3"},
    {"SELECT * FROM lineitem WHERE l_quantity >= 3", "SELECT * FROM lineitem WHERE NOT (l_quantity < 3)"},
    {"SELECT * FROM lineitem WHERE l_tax IS NOT NULL", "SELECT * FROM lineitem WHERE NOT l_tax IS NULL"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE l_quantity > 1 + 2"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE l_quantity > 3 AND TRUE"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3", "SELECT * FROM lineitem WHERE l_quantity > 3 AND 1 = 1"},
    {"SELECT * FROM lineitem", "SELECT * FROM lineitem WHERE TRUE"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3",
     "SELECT * FROM lineitem WHERE l_quantity > 3 AND l_quantity > 3"},
    {"SELECT * FROM lineitem WHERE l_quantity > 3",
     "SELECT * FROM lineitem WHERE l_quantity > 3 OR FALSE"},
    {"SELECT 6 AS x", "SELECT 2 * 3 AS x"},
    {"SELECT 'x' AS c", "SELECT CASE WHEN TRUE THEN 'x' ELSE 'y' END AS c"},
    {"SELECT 1 AS c", "SELECT COALESCE(1, 2) AS c"},
    {"SELECT l_tax AS t FROM lineitem", "SELECT ((l_tax)) AS t FROM lineitem"},
    {"SELECT * FROM lineitem WHERE l_tax IS NOT DISTINCT FROM 1",
     "SELECT * FROM lineitem WHERE NOT l_tax IS DISTINCT FROM 1"},
    {"SELECT * FROM lineitem WHERE l_tax NOT IN (1, 2)", "SELECT * FROM lineitem WHERE NOT (l_tax IN (1, 2))"},
};

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
};

static void fp_compile(const char *sql, const uf_schema *s, char out[UF_FINGERPRINT_HEX]) {
  uf_compiled_query *q = NULL;
  uf_error err;
  if (uf_compile_sql(sql, strlen(sql), NULL, s, NULL, &q, &err) != UF_OK)
    fail_msg("compile failed: %s\n%s", err.message, sql);
  memcpy(out, q->artifacts.fingerprint, UF_FINGERPRINT_HEX);
  uf_compiled_query_free(q);
}

static void test_fingerprint_equivalence(void **state) {
  (void)state;
  uf_schema *s = tpch_schema();
  char a[UF_FINGERPRINT_HEX], b[UF_FINGERPRINT_HEX];
  size_t fails = 0;
  for (size_t i = 0; i < sizeof SAME / sizeof *SAME; i++) {
    fp_compile(SAME[i][0], s, a);
    fp_compile(SAME[i][1], s, b);
    if (strcmp(a, b) != 0) {
      print_error("same meaning, different fingerprints:\n  %s\n  %s\n", SAME[i][0], SAME[i][1]);
      fails++;
    }
  }
  for (size_t i = 0; i < sizeof DIFFERENT / sizeof *DIFFERENT; i++) {
    fp_compile(DIFFERENT[i][0], s, a);
    fp_compile(DIFFERENT[i][1], s, b);
    if (strcmp(a, b) == 0) {
      print_error("different meaning, same fingerprint:\n  %s\n  %s\n", DIFFERENT[i][0],
                  DIFFERENT[i][1]);
      fails++;
    }
  }
  printf("fingerprint pairs: same %zu, different %zu, failures %zu\n", sizeof SAME / sizeof *SAME,
         sizeof DIFFERENT / sizeof *DIFFERENT, fails);
  uf_schema_free(s);
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

/* An expression fixture becomes a query: SELECT <expr>. */
static char *as_query(const char *s) {
  size_t n = strlen(s) + 16;
  char *q = malloc(n);
  const char *p = s;
  while (*p == '(') p++;
  bool query = strncasecmp(p, "SELECT", 6) == 0 || strncasecmp(p, "WITH", 4) == 0 ||
               strncasecmp(p, "FROM", 4) == 0 || strncasecmp(p, "VALUES", 6) == 0;
  snprintf(q, n, query ? "%s" : "SELECT %s", s);
  return q;
}

static uf_schema *fixture_schema; /* optimizer/schema.json, or NULL */

static bool compile_fp(const char *sql, char out[UF_FINGERPRINT_HEX]) {
  char *q = as_query(sql);
  uf_policy p;
  uf_policy_default(&p);
  p.validate = false;
  uf_compiled_query *c = NULL;
  uf_status st = uf_compile_sql(q, strlen(q), &p, fixture_schema, NULL, &c, NULL);
  free(q);
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
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/sqlglot/optimizer/schema.json", UF_SHARED_DIR);
  uf_error err;
  if (uf_schema_load_file(path, NULL, &fixture_schema, &err) != UF_OK) {
    printf("fixture schema not loaded (%s): compiling without one\n", err.message);
    fixture_schema = NULL;
  }
  static const struct {
    const char *file;
    size_t floor;
  } FIX[] = {{"simplify.sql", 173}, {"canonicalize.sql", 11}};
  for (size_t i = 0; i < sizeof FIX / sizeof *FIX; i++) {
    size_t total = 0, pass = fixture_pass(FIX[i].file, &total, verbose);
    printf("%s: %zu/%zu pairs compile to one fingerprint (floor %zu)\n", FIX[i].file, pass, total,
           FIX[i].floor);
    if (pass < FIX[i].floor) fail_msg("%s: %zu below the floor %zu", FIX[i].file, pass, FIX[i].floor);
  }
  uf_schema_free(fixture_schema);
  fixture_schema = NULL;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rule_cases),
      cmocka_unit_test(test_rule_options),
      cmocka_unit_test(test_fingerprint_equivalence),
      cmocka_unit_test(test_sqlglot_fixtures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
