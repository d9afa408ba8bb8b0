/*
 * Random TPC-H queries for the equivalence harness (see querygen.h). The
 * query is written as text into a growable buffer, one function per
 * construct; every choice comes from the seeded PRNG.
 */
#include "querygen.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -- schema --------------------------------------------------------------- */

#define C(n, t, k) {n, t, k}
static const qg_column lineitem_cols[] = {
    C("l_orderkey", "BIGINT", QG_INT),      C("l_partkey", "BIGINT", QG_INT),
    C("l_suppkey", "BIGINT", QG_INT),       C("l_linenumber", "BIGINT", QG_INT),
    C("l_quantity", "DOUBLE", QG_DBL),      C("l_extendedprice", "DOUBLE", QG_DBL),
    C("l_discount", "DOUBLE", QG_DBL),      C("l_tax", "DOUBLE", QG_DBL),
    C("l_returnflag", "VARCHAR", QG_STR),   C("l_linestatus", "VARCHAR", QG_STR),
    C("l_shipdate", "VARCHAR", QG_STR),     C("l_commitdate", "VARCHAR", QG_STR),
    C("l_receiptdate", "VARCHAR", QG_STR),  C("l_shipinstruct", "VARCHAR", QG_STR),
    C("l_shipmode", "VARCHAR", QG_STR),     C("l_comment", "VARCHAR", QG_STR)};
static const qg_column orders_cols[] = {
    C("o_orderkey", "BIGINT", QG_INT),      C("o_custkey", "BIGINT", QG_INT),
    C("o_orderstatus", "VARCHAR", QG_STR),  C("o_totalprice", "DOUBLE", QG_DBL),
    C("o_orderdate", "VARCHAR", QG_STR),    C("o_orderpriority", "VARCHAR", QG_STR),
    C("o_clerk", "VARCHAR", QG_STR),        C("o_shippriority", "INTEGER", QG_INT),
    C("o_comment", "VARCHAR", QG_STR)};
static const qg_column customer_cols[] = {
    C("c_custkey", "BIGINT", QG_INT),       C("c_name", "VARCHAR", QG_STR),
    C("c_address", "VARCHAR", QG_STR),      C("c_nationkey", "BIGINT", QG_INT),
    C("c_phone", "VARCHAR", QG_STR),        C("c_acctbal", "DOUBLE", QG_DBL),
    C("c_mktsegment", "VARCHAR", QG_STR),   C("c_comment", "VARCHAR", QG_STR)};
static const qg_column part_cols[] = {
    C("p_partkey", "BIGINT", QG_INT),       C("p_name", "VARCHAR", QG_STR),
    C("p_mfgr", "VARCHAR", QG_STR),         C("p_brand", "VARCHAR", QG_STR),
    C("p_type", "VARCHAR", QG_STR),         C("p_size", "INTEGER", QG_INT),
    C("p_container", "VARCHAR", QG_STR),    C("p_retailprice", "DOUBLE", QG_DBL),
    C("p_comment", "VARCHAR", QG_STR)};
static const qg_column supplier_cols[] = {
    C("s_suppkey", "BIGINT", QG_INT),       C("s_name", "VARCHAR", QG_STR),
    C("s_address", "VARCHAR", QG_STR),      C("s_nationkey", "BIGINT", QG_INT),
    C("s_phone", "VARCHAR", QG_STR),        C("s_acctbal", "DOUBLE", QG_DBL),
    C("s_comment", "VARCHAR", QG_STR)};
static const qg_column partsupp_cols[] = {
    C("ps_partkey", "BIGINT", QG_INT),      C("ps_suppkey", "BIGINT", QG_INT),
    C("ps_availqty", "INTEGER", QG_INT),    C("ps_supplycost", "DOUBLE", QG_DBL),
    C("ps_comment", "VARCHAR", QG_STR)};
static const qg_column nation_cols[] = {
    C("n_nationkey", "BIGINT", QG_INT),     C("n_name", "VARCHAR", QG_STR),
    C("n_regionkey", "BIGINT", QG_INT),     C("n_comment", "VARCHAR", QG_STR)};
static const qg_column region_cols[] = {
    C("r_regionkey", "BIGINT", QG_INT),     C("r_name", "VARCHAR", QG_STR),
    C("r_comment", "VARCHAR", QG_STR)};
#undef C

#define T(n, cols) {n, cols, sizeof cols / sizeof *cols}
static const qg_table tables[] = {
    T("lineitem", lineitem_cols), T("orders", orders_cols),
    T("customer", customer_cols), T("part", part_cols),
    T("supplier", supplier_cols), T("partsupp", partsupp_cols),
    T("nation", nation_cols),     T("region", region_cols)};
#undef T
enum { LINEITEM, ORDERS, CUSTOMER, PART, SUPPLIER, PARTSUPP, NATION, REGION,
       NTABLES };

/* Join relations (foreign keys), usable in both directions. */
typedef struct qg_rel {
  int a;
  const char *ca;
  int b;
  const char *cb;
} qg_rel;
static const qg_rel rels[] = {
    {LINEITEM, "l_orderkey", ORDERS, "o_orderkey"},
    {LINEITEM, "l_partkey", PART, "p_partkey"},
    {LINEITEM, "l_suppkey", SUPPLIER, "s_suppkey"},
    {ORDERS, "o_custkey", CUSTOMER, "c_custkey"},
    {CUSTOMER, "c_nationkey", NATION, "n_nationkey"},
    {SUPPLIER, "s_nationkey", NATION, "n_nationkey"},
    {NATION, "n_regionkey", REGION, "r_regionkey"},
    {PARTSUPP, "ps_partkey", PART, "p_partkey"},
    {PARTSUPP, "ps_suppkey", SUPPLIER, "s_suppkey"},
    {CUSTOMER, "c_custkey", ORDERS, "o_custkey"},
};

size_t qg_table_count(void) { return NTABLES; }
const qg_table *qg_table_at(size_t i) { return i < NTABLES ? &tables[i] : NULL; }

/* -- PRNG ------------------------------------------------------------------ */

uint64_t qg_next(qg_rng *r) {
  uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint32_t qg_below(qg_rng *r, uint32_t n) { return (uint32_t)(qg_next(r) % n); }

uint64_t qg_query_seed(uint64_t seed, uint64_t index) {
  qg_rng r = {seed ^ (index * 0xD1B54A32D192ED03ULL)};
  return qg_next(&r);
}

/* -- output buffer and state ------------------------------------------------ */

#define MAX_SCOPE 8

typedef struct qg_entry {
  char alias[16];
  int table;
} qg_entry;

typedef struct qg {
  qg_rng rng;
  char *buf;
  size_t len, cap;
  bool oom;
  qg_entry scope[MAX_SCOPE]; /* visible tables: outer ones first */
  size_t nscope;
  int subqueries; /* subqueries still allowed */
  unsigned next_alias; /* s1, s2, ... for subqueries and derived tables */
  bool in_agg;    /* inside an aggregate's argument */
  qg_entry saved[MAX_SCOPE]; /* scope saved by only() */
  size_t nsaved;
} qg;

static void put(qg *g, const char *fmt, ...) {
  if (g->oom) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
      g->oom = true;
      return;
    }
    if ((size_t)n < g->cap - g->len) {
      g->len += (size_t)n;
      return;
    }
    size_t cap = (g->cap + (size_t)n + 1) * 2;
    char *grown = realloc(g->buf, cap);
    if (grown == NULL) {
      g->oom = true;
      return;
    }
    g->buf = grown;
    g->cap = cap;
  }
}

static uint32_t rnd(qg *g, uint32_t n) { return qg_below(&g->rng, n); }
static bool chance(qg *g, uint32_t percent) { return rnd(g, 100) < percent; }
#define PICK(g, arr) ((arr)[rnd((g), sizeof(arr) / sizeof *(arr))])

/* -- leaves ------------------------------------------------------------------ */

/* A column of class `type` from a visible table (innermost preferred);
 * false if none has one. */
static bool column(qg *g, qg_type type) {
  if (g->nscope == 0) return false;
  for (int attempt = 0; attempt < 6; attempt++) {
    /* Inner tables twice as likely: subqueries mostly read their own. */
    size_t i = g->nscope - 1;
    if (attempt > 0 || chance(g, 40)) i = rnd(g, (uint32_t)g->nscope);
    const qg_table *t = &tables[g->scope[i].table];
    size_t start = rnd(g, (uint32_t)t->ncolumns);
    for (size_t k = 0; k < t->ncolumns; k++) {
      const qg_column *c = &t->columns[(start + k) % t->ncolumns];
      if (c->type == type) {
        put(g, "%s.%s", g->scope[i].alias, c->name);
        return true;
      }
    }
  }
  return false;
}

static void int_literal(qg *g) {
  static const char *const lits[] = {
      "0", "1", "2", "3", "5", "7", "10", "25", "100", "1000", "-1", "-5",
      "150000", "9223372036854775807", "NULL", "CAST(NULL AS BIGINT)", "(-3)"};
  put(g, "%s", PICK(g, lits));
}

static void dbl_literal(qg *g) {
  static const char *const lits[] = {
      "0.0", "0.05", "0.5", "1.5", "10.0", "24.0", "1000.5", "50000.0",
      "-2.25", "1e300", "-1e300", "12345678901234567890.125",
      "CAST(NULL AS DOUBLE)", "99999999999999999999999999999.99"};
  put(g, "%s", PICK(g, lits));
}

static void str_literal(qg *g) {
  static const char *const lits[] = {
      "''", "'a'", "'A'", "'R'", "'F'", "'N'", "'O'", "'BUILDING'",
      "'ASIA'", "'FRANCE'", "'AIR'", "'MAIL'", "'1995-03-15'",
      "'1994-01-01'", "'1998-12-01'", "'Customer#000000001'", "'ü'",
      "'日本'", "'O''Brien'", "' x '", "NULL", "'Brand#12'", "'1-URGENT'"};
  put(g, "%s", PICK(g, lits));
}

static void like_pattern(qg *g) {
  static const char *const pats[] = {"'%a%'", "'B%'", "'%#1%'", "'_'",
                                     "''",    "'%'",  "'%ü%'",  "'1995%'",
                                     "'%e_'", "'F%'", "'%'' %'", "'A_%'"};
  put(g, "%s", PICK(g, pats));
}

static void literal(qg *g, qg_type type) {
  switch (type) {
    case QG_INT: int_literal(g); break;
    case QG_DBL: dbl_literal(g); break;
    case QG_STR: str_literal(g); break;
    case QG_BOOL: put(g, "%s", chance(g, 40) ? "TRUE" : chance(g, 60) ? "FALSE" : "NULL");
  }
}

static void expr(qg *g, qg_type type, int depth);
static void pred(qg *g, int depth);

static void leaf(qg *g, qg_type type) {
  if (type == QG_BOOL) {
    pred(g, 0);
    return;
  }
  if (!chance(g, 25) && column(g, type)) return;
  literal(g, type);
}

/* A small integer: a column modulo a constant, or a literal; keeps
 * arithmetic on extreme data from overflowing. */
static void small_int(qg *g) {
  if (chance(g, 60)) {
    put(g, "(");
    if (!column(g, QG_INT)) put(g, "7");
    put(g, " %% %d)", 2 + (int)rnd(g, 97));
  } else {
    put(g, "%d", (int)rnd(g, 20) - 5);
  }
}

/* -- scalar expressions ---------------------------------------------------- */

static void case_expr(qg *g, qg_type type, int depth) {
  put(g, "CASE");
  if (chance(g, 25)) { /* simple CASE */
    qg_type op = chance(g, 50) ? QG_INT : QG_STR;
    put(g, " ");
    expr(g, op, depth - 1);
    for (uint32_t i = 0, n = 1 + rnd(g, 2); i < n; i++) {
      put(g, " WHEN ");
      literal(g, op);
      put(g, " THEN ");
      expr(g, type, depth - 1);
    }
  } else {
    for (uint32_t i = 0, n = 1 + rnd(g, 2); i < n; i++) {
      put(g, " WHEN ");
      pred(g, depth - 1);
      put(g, " THEN ");
      expr(g, type, depth - 1);
    }
  }
  if (chance(g, 75)) {
    put(g, " ELSE ");
    expr(g, type, depth - 1);
  }
  put(g, " END");
}

static void coalesce_expr(qg *g, qg_type type, int depth) {
  put(g, "COALESCE(");
  for (uint32_t i = 0, n = 2 + rnd(g, 2); i < n; i++) {
    if (i) put(g, ", ");
    expr(g, type, depth - 1);
  }
  put(g, ")");
}

static void int_expr(qg *g, int depth) {
  uint32_t r = rnd(g, 100);
  if (depth <= 0 || r < 30) {
    leaf(g, QG_INT);
  } else if (r < 45) {
    static const char *const ops[] = {"+", "-", "*"};
    put(g, "(");
    small_int(g);
    put(g, " %s ", PICK(g, ops));
    if (chance(g, 50)) small_int(g); else expr(g, QG_INT, depth - 1);
    put(g, ")");
  } else if (r < 50) { /* raw arithmetic: may overflow on extreme data */
    put(g, "(");
    leaf(g, QG_INT);
    put(g, " %s ", chance(g, 50) ? "+" : "-");
    int_literal(g);
    put(g, ")");
  } else if (r < 55) {
    put(g, "LENGTH(");
    expr(g, QG_STR, depth - 1);
    put(g, ")");
  } else if (r < 65) {
    case_expr(g, QG_INT, depth);
  } else if (r < 72) {
    coalesce_expr(g, QG_INT, depth);
  } else if (r < 78) { /* guarded integer division */
    put(g, "(");
    expr(g, QG_INT, depth - 1);
    put(g, " // NULLIF(");
    small_int(g);
    put(g, ", 0))");
  } else if (r < 83) { /* unguarded: modulo / integer division by zero */
    put(g, "(");
    small_int(g);
    put(g, " %s ", chance(g, 50) ? "%" : "//");
    small_int(g);
    put(g, ")");
  } else if (r < 88) {
    put(g, "NULLIF(");
    expr(g, QG_INT, depth - 1);
    put(g, ", ");
    small_int(g);
    put(g, ")");
  } else if (r < 92) {
    put(g, "ABS(");
    small_int(g);
    put(g, ")");
  } else if (r < 96) {
    put(g, "(- ");
    small_int(g);
    put(g, ")");
  } else {
    put(g, "CAST(");
    expr(g, QG_DBL, depth - 1);
    put(g, " > 100 AS INTEGER)");
  }
}

static void dbl_expr(qg *g, int depth) {
  uint32_t r = rnd(g, 100);
  if (depth <= 0 || r < 35) {
    leaf(g, QG_DBL);
  } else if (r < 50) {
    put(g, "(");
    expr(g, QG_DBL, depth - 1);
    put(g, " %s ", chance(g, 50) ? "+" : chance(g, 50) ? "-" : "*");
    if (chance(g, 60)) small_int(g); else expr(g, QG_DBL, depth - 1);
    put(g, ")");
  } else if (r < 60) { /* division, by zero or not, guarded or not */
    put(g, "(");
    expr(g, QG_DBL, depth - 1);
    if (chance(g, 50)) {
      put(g, " / NULLIF(");
      small_int(g);
      put(g, ", 0))");
    } else {
      put(g, " / ");
      small_int(g);
      put(g, ")");
    }
  } else if (r < 68) {
    put(g, "ROUND(");
    expr(g, QG_DBL, depth - 1);
    put(g, ", %d)", (int)rnd(g, 3));
  } else if (r < 76) {
    put(g, "CAST(");
    expr(g, QG_INT, depth - 1);
    put(g, " AS DOUBLE)");
  } else if (r < 86) {
    case_expr(g, QG_DBL, depth);
  } else if (r < 94) {
    coalesce_expr(g, QG_DBL, depth);
  } else {
    put(g, "ABS(");
    expr(g, QG_DBL, depth - 1);
    put(g, ")");
  }
}

static void str_expr(qg *g, int depth) {
  uint32_t r = rnd(g, 100);
  if (depth <= 0 || r < 35) {
    leaf(g, QG_STR);
  } else if (r < 43) {
    put(g, "%s(", chance(g, 50) ? "UPPER" : "LOWER");
    expr(g, QG_STR, depth - 1);
    put(g, ")");
  } else if (r < 51) {
    put(g, "SUBSTRING(");
    expr(g, QG_STR, depth - 1);
    put(g, ", %d, %d)", (int)rnd(g, 4), (int)rnd(g, 5));
  } else if (r < 59) {
    put(g, "(");
    expr(g, QG_STR, depth - 1);
    put(g, " || ");
    expr(g, QG_STR, depth - 1);
    put(g, ")");
  } else if (r < 64) {
    put(g, "CONCAT(");
    expr(g, QG_STR, depth - 1);
    put(g, ", ");
    expr(g, QG_STR, depth - 1);
    put(g, ")");
  } else if (r < 69) {
    put(g, "TRIM(");
    expr(g, QG_STR, depth - 1);
    put(g, ")");
  } else if (r < 74) {
    put(g, "REPLACE(");
    expr(g, QG_STR, depth - 1);
    put(g, ", 'a', 'b')");
  } else if (r < 78) {
    put(g, "LEFT(");
    expr(g, QG_STR, depth - 1);
    put(g, ", %d)", (int)rnd(g, 4));
  } else if (r < 88) {
    case_expr(g, QG_STR, depth);
  } else if (r < 95) {
    coalesce_expr(g, QG_STR, depth);
  } else {
    put(g, "CAST(");
    expr(g, QG_INT, depth - 1);
    put(g, " AS VARCHAR)");
  }
}

static void expr(qg *g, qg_type type, int depth) {
  switch (type) {
    case QG_INT: int_expr(g, depth); break;
    case QG_DBL: dbl_expr(g, depth); break;
    case QG_STR: str_expr(g, depth); break;
    case QG_BOOL: pred(g, depth); break;
  }
}

/* -- subqueries -------------------------------------------------------------- */

/* Narrows the scope to entry i alone, until restore. */
static void only(qg *g, size_t i) {
  memcpy(g->saved, g->scope, sizeof g->scope);
  g->nsaved = g->nscope;
  g->scope[0] = g->saved[i];
  g->nscope = 1;
}

static void restore(qg *g) {
  memcpy(g->scope, g->saved, sizeof g->scope);
  g->nscope = g->nsaved;
}

/* Opens a new scope entry for a subquery's table; returns its index. */
static size_t push_scope(qg *g, int table) {
  size_t i = g->nscope++;
  snprintf(g->scope[i].alias, sizeof g->scope[i].alias, "s%u", ++g->next_alias % 100000u);
  g->scope[i].table = table;
  return i;
}

/* FROM tbl AS sN WHERE [correlation AND] pred: the subquery's body after
 * its select list; the scope entry stays open for the caller's list. */
static void subquery_from(qg *g, size_t inner, int depth) {
  put(g, " FROM %s AS %s", tables[g->scope[inner].table].name, g->scope[inner].alias);
  bool where = false;
  if (inner > 0 && chance(g, 60)) { /* correlated */
    put(g, " WHERE ");
    where = true;
    /* sN.int = outer.int: an outer entry, one of its integer columns. */
    size_t outer = rnd(g, (uint32_t)inner);
    only(g, inner);
    if (!column(g, QG_INT)) put(g, "1");
    restore(g);
    put(g, " = ");
    only(g, outer);
    if (!column(g, QG_INT)) put(g, "1");
    restore(g);
  }
  if (chance(g, 70)) {
    put(g, where ? " AND " : " WHERE ");
    pred(g, depth - 1);
  }
}

static const char *agg_name(qg *g, qg_type type) {
  if (type == QG_INT) {
    static const char *const a[] = {"MAX", "MIN", "SUM", "COUNT"};
    return PICK(g, a);
  }
  return chance(g, 50) ? "MAX" : "MIN";
}

/* (SELECT agg(sN.col) FROM ...): at most one row. */
static void scalar_subquery(qg *g, qg_type type, int depth) {
  size_t saved = g->nscope;
  size_t inner = push_scope(g, (int)rnd(g, NTABLES));
  put(g, "(SELECT %s(", agg_name(g, type));
  only(g, inner); /* the aggregate reads the inner table only */
  expr(g, type, 1);
  restore(g);
  put(g, ")");
  subquery_from(g, inner, depth);
  put(g, ")");
  g->nscope = saved;
}

static void subquery_pred(qg *g, int depth) {
  g->subqueries--;
  uint32_t r = rnd(g, 3);
  if (r == 0) {
    size_t saved = g->nscope;
    size_t inner = push_scope(g, (int)rnd(g, NTABLES));
    put(g, "%sEXISTS (SELECT 1", chance(g, 30) ? "NOT " : "");
    subquery_from(g, inner, depth);
    put(g, ")");
    g->nscope = saved;
  } else if (r == 1) {
    qg_type type = chance(g, 60) ? QG_INT : QG_STR;
    expr(g, type, 1);
    put(g, "%s IN (SELECT ", chance(g, 30) ? " NOT" : "");
    size_t saved = g->nscope;
    size_t inner = push_scope(g, (int)rnd(g, NTABLES));
    expr(g, type, 1);
    subquery_from(g, inner, depth);
    put(g, ")");
    g->nscope = saved;
  } else {
    qg_type type = chance(g, 50) ? QG_INT : chance(g, 50) ? QG_DBL : QG_STR;
    static const char *const ops[] = {"=", "<", ">", "<=", ">=", "<>"};
    expr(g, type, 1);
    put(g, " %s ", PICK(g, ops));
    scalar_subquery(g, type, depth);
  }
}

/* -- predicates ---------------------------------------------------------- */

static qg_type value_type(qg *g) {
  uint32_t r = rnd(g, 10);
  return r < 4 ? QG_INT : r < 7 ? QG_STR : QG_DBL;
}

static void comparison(qg *g, int depth) {
  static const char *const ops[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
  qg_type type = value_type(g);
  expr(g, type, depth);
  put(g, " %s ", PICK(g, ops));
  if (chance(g, 50)) literal(g, type); else expr(g, type, depth);
}

static void pred(qg *g, int depth) {
  uint32_t r = rnd(g, 100);
  if (depth <= 0) r = rnd(g, 45);
  if (r < 20) {
    comparison(g, depth - 1);
  } else if (r < 27) {
    qg_type type = value_type(g);
    expr(g, type, depth - 1);
    put(g, "%s BETWEEN ", chance(g, 25) ? " NOT" : "");
    literal(g, type);
    put(g, " AND ");
    if (chance(g, 70)) literal(g, type); else expr(g, type, depth - 1);
  } else if (r < 34 && chance(g, 40)) { /* an IN list spelled out */
    qg_type type = value_type(g);
    bool neg = chance(g, 30);
    size_t mark = g->len;
    put(g, "(");
    expr(g, type, depth - 1);
    size_t xlen = g->len - mark - 1;
    char x[256]; /* the operand, repeated; a longer one is compared once */
    uint32_t n = xlen < sizeof x ? 2 + rnd(g, 3) : 1;
    if (xlen >= sizeof x) xlen = 0;
    memcpy(x, g->buf + mark + 1, xlen);
    x[xlen] = '\0';
    for (uint32_t i = 0; i < n; i++) {
      if (i) put(g, neg ? " AND %s" : " OR %s", x);
      put(g, neg ? " <> " : " = ");
      literal(g, type);
    }
    put(g, ")");
  } else if (r < 34) {
    qg_type type = value_type(g);
    expr(g, type, depth - 1);
    put(g, "%s IN (", chance(g, 30) ? " NOT" : "");
    for (uint32_t i = 0, n = 1 + rnd(g, 4); i < n; i++) {
      if (i) put(g, ", ");
      literal(g, type);
    }
    put(g, ")");
  } else if (r < 41) {
    expr(g, value_type(g), depth - 1);
    put(g, " IS %sNULL", chance(g, 50) ? "NOT " : "");
  } else if (r < 45) {
    expr(g, QG_STR, depth - 1);
    put(g, "%s LIKE ", chance(g, 25) ? " NOT" : "");
    like_pattern(g);
  } else if (r < 55) {
    put(g, "NOT (");
    pred(g, depth - 1);
    put(g, ")");
  } else if (r < 70) {
    put(g, "(");
    pred(g, depth - 1);
    put(g, " AND ");
    pred(g, depth - 1);
    put(g, ")");
  } else if (r < 83) {
    put(g, "(");
    pred(g, depth - 1);
    put(g, " OR ");
    pred(g, depth - 1);
    put(g, ")");
  } else if (r < 86) {
    literal(g, QG_BOOL);
  } else if (r < 89) {
    qg_type type = value_type(g);
    expr(g, type, depth - 1);
    put(g, " IS %sDISTINCT FROM ", chance(g, 50) ? "NOT " : "");
    if (chance(g, 50)) literal(g, type); else expr(g, type, depth - 1);
  } else if (r < 92) {
    put(g, "(");
    pred(g, depth - 1);
    put(g, ") IS %s%s", chance(g, 50) ? "NOT " : "", chance(g, 50) ? "TRUE" : "FALSE");
  } else if (r < 94) {
    put(g, "COALESCE(");
    pred(g, depth - 1);
    put(g, ", %s)", chance(g, 50) ? "TRUE" : "FALSE");
  } else if (g->subqueries > 0 && !g->in_agg) {
    subquery_pred(g, depth);
  } else {
    comparison(g, depth - 1);
  }
}

/* -- FROM ------------------------------------------------------------------ */

/* A relation from a scope table to another table; -1 if none. */
static int find_rel(qg *g, size_t *from_entry, bool *forward) {
  int start = (int)rnd(g, sizeof rels / sizeof *rels);
  size_t e0 = rnd(g, (uint32_t)g->nscope);
  for (size_t de = 0; de < g->nscope; de++) {
    size_t e = (e0 + de) % g->nscope;
    for (int k = 0; k < (int)(sizeof rels / sizeof *rels); k++) {
      int i = (start + k) % (int)(sizeof rels / sizeof *rels);
      if (rels[i].a == g->scope[e].table || rels[i].b == g->scope[e].table) {
        *from_entry = e;
        *forward = rels[i].a == g->scope[e].table;
        return i;
      }
    }
  }
  return -1;
}

/* A predicate over one table seen as `alias` only (no correlation, no
 * subquery): the filters inside derived tables. */
static void inner_pred(qg *g, int table, const char *alias) {
  qg_entry saved[MAX_SCOPE];
  size_t nsaved = g->nscope;
  memcpy(saved, g->scope, sizeof saved);
  g->nscope = 1;
  snprintf(g->scope[0].alias, sizeof g->scope[0].alias, "%s", alias);
  g->scope[0].table = table;
  int sub = g->subqueries;
  g->subqueries = 0;
  pred(g, 2);
  g->subqueries = sub;
  memcpy(g->scope, saved, sizeof saved);
  g->nscope = nsaved;
}

/* The select list of a derived table over `table` as `alias`, naming every
 * column as the table does (so outer references stay valid): plain, one
 * column behind COALESCE (not NULL where an outer join supplies NULLs),
 * or aggregated (MAX of every column but the first, which is grouped when
 * `grouped`; all of them otherwise: a global aggregate). */
enum { SL_PLAIN, SL_COALESCE, SL_GROUPED, SL_GLOBAL };

static void select_list(qg *g, int table, const char *alias, int mode) {
  const qg_table *t = &tables[table];
  size_t odd = rnd(g, (uint32_t)t->ncolumns);
  for (size_t i = 0; i < t->ncolumns; i++) {
    const qg_column *c = &t->columns[i];
    if (i) put(g, ", ");
    if (mode == SL_COALESCE && i == odd && c->type != QG_BOOL) {
      put(g, "COALESCE(%s.%s, ", alias, c->name);
      literal(g, c->type);
      put(g, ") AS %s", c->name);
    } else if (mode == SL_GLOBAL || (mode == SL_GROUPED && i > 0)) {
      put(g, "MAX(%s.%s) AS %s", alias, c->name, c->name);
    } else {
      put(g, "%s.%s AS %s", alias, c->name, c->name);
    }
  }
}

/* The query of a derived table or CTE with the columns of `table`, in
 * one of the shapes a
 * rewrite must respect: a filter, ORDER BY ... LIMIT, DISTINCT, a window
 * filter (QUALIFY), UNION [ALL], a computed column, GROUP BY, a global
 * aggregate (one row even when nothing matches). */
static void derived_body(qg *g, int table) {
  char inner[16], other[16];
  snprintf(inner, sizeof inner, "d%u", ++g->next_alias % 100000u);
  const char *tn = tables[table].name;
  const qg_table *t = &tables[table];
  switch (rnd(g, 10)) {
  case 0: case 1: case 2:
    put(g, "(SELECT * FROM %s AS %s WHERE ", tn, inner);
    inner_pred(g, table, inner);
    break;
  case 3:
    put(g, "(SELECT * FROM %s AS %s WHERE ", tn, inner);
    inner_pred(g, table, inner);
    put(g, " ORDER BY ALL LIMIT %u", 1 + rnd(g, 20));
    break;
  case 4:
    put(g, "(SELECT DISTINCT * FROM %s AS %s WHERE ", tn, inner);
    inner_pred(g, table, inner);
    break;
  case 5:
    put(g, "(SELECT * FROM %s AS %s WHERE ", tn, inner);
    inner_pred(g, table, inner);
    put(g, " QUALIFY COUNT(*) OVER (PARTITION BY %s.%s) > 1", inner,
        t->columns[rnd(g, (uint32_t)t->ncolumns)].name);
    break;
  case 6:
    snprintf(other, sizeof other, "d%u", ++g->next_alias % 100000u);
    put(g, "(SELECT * FROM %s AS %s WHERE ", tn, inner);
    inner_pred(g, table, inner);
    put(g, " UNION%s SELECT * FROM %s AS %s WHERE ", chance(g, 50) ? " ALL" : "", tn, other);
    inner_pred(g, table, other);
    break;
  case 7:
    put(g, "(SELECT ");
    select_list(g, table, inner, SL_COALESCE);
    put(g, " FROM %s AS %s WHERE ", tn, inner);
    inner_pred(g, table, inner);
    break;
  case 8:
    put(g, "(SELECT ");
    select_list(g, table, inner, SL_GROUPED);
    put(g, " FROM %s AS %s WHERE ", tn, inner);
    inner_pred(g, table, inner);
    put(g, " GROUP BY %s.%s", inner, t->columns[0].name);
    break;
  default:
    put(g, "(SELECT ");
    select_list(g, table, inner, SL_GLOBAL);
    put(g, " FROM %s AS %s WHERE ", tn, inner);
    inner_pred(g, table, inner);
    break;
  }
  put(g, ")");
}

static void derived_table(qg *g, int table, const char *alias) {
  derived_body(g, table);
  put(g, " AS %s", alias);
}

/* A base table, a derived table, or a CTE reference (cte != 0). */
static void from_item(qg *g, int table, const char *alias, int cte) {
  if (cte) {
    put(g, "c%d AS %s", cte, alias);
    return;
  }
  if (chance(g, 25)) {
    derived_table(g, table, alias);
    return;
  }
  put(g, "%s AS %s", tables[table].name, alias);
}

/* -- the query ---------------------------------------------------------------- */

static void aggregate(qg *g) {
  uint32_t r = rnd(g, 100);
  g->in_agg = true;
  if (r < 15) {
    put(g, chance(g, 25) ? "COUNT(1)" : "COUNT(*)");
  } else if (r < 30) {
    put(g, "COUNT(%s", chance(g, 30) ? "DISTINCT " : "");
    expr(g, value_type(g), 1);
    put(g, ")");
  } else if (r < 55) {
    put(g, "%s(", chance(g, 70) ? "SUM" : "AVG");
    expr(g, QG_INT, 1);
    put(g, ")");
  } else {
    put(g, "%s(", chance(g, 50) ? "MIN" : "MAX");
    expr(g, value_type(g), 1);
    put(g, ")");
  }
  g->in_agg = false;
}

static void order_limit(qg *g, uint32_t ncols) {
  if (chance(g, 40)) return;
  put(g, " ORDER BY ");
  for (uint32_t i = 0; i < ncols; i++) {
    if (i) put(g, ", ");
    put(g, "%u", i + 1);
    if (chance(g, 30)) put(g, " DESC");
    if (chance(g, 20)) put(g, chance(g, 50) ? " NULLS FIRST" : " NULLS LAST");
  }
  if (chance(g, 70)) put(g, " LIMIT %u", 1 + rnd(g, 20));
  if (chance(g, 15)) put(g, " OFFSET %u", rnd(g, 5));
}

static void query(qg *g) {
  int base = (int)rnd(g, NTABLES);
  int cte = 0;
  if (chance(g, 15)) { /* WITH c1 AS (<a derived table's query>) */
    cte = 1;
    put(g, "WITH c1 AS ");
    derived_body(g, base);
    put(g, " ");
    g->nscope = 0;
  }
  put(g, "SELECT ");
  bool distinct = chance(g, 10);
  if (distinct) put(g, "DISTINCT ");
  /* The FROM clause is written into a side buffer first: the select list
   * needs the scope it creates. */
  size_t mark = g->len;
  g->nscope = 1;
  snprintf(g->scope[0].alias, sizeof g->scope[0].alias, "t1");
  g->scope[0].table = base;
  put(g, " FROM ");
  from_item(g, base, "t1", cte);
  for (uint32_t j = 0, nj = rnd(g, 100) < 55 ? 1 + (rnd(g, 3) == 0) : 0; j < nj; j++) {
    size_t e;
    bool fwd;
    int ri = find_rel(g, &e, &fwd);
    if (ri < 0 || g->nscope >= 3) break;
    int other = fwd ? rels[ri].b : rels[ri].a;
    size_t k = g->nscope++;
    snprintf(g->scope[k].alias, sizeof g->scope[k].alias, "t%zu", k + 1);
    g->scope[k].table = other;
    put(g, " %s ", chance(g, 40) ? "LEFT JOIN" : chance(g, 50) ? "JOIN" : "INNER JOIN");
    from_item(g, other, g->scope[k].alias, 0);
    put(g, " ON %s.%s = %s.%s", g->scope[e].alias, fwd ? rels[ri].ca : rels[ri].cb,
        g->scope[k].alias, fwd ? rels[ri].cb : rels[ri].ca);
    if (chance(g, 25)) {
      put(g, " AND ");
      int sub = g->subqueries;
      g->subqueries = 0;
      pred(g, 1);
      g->subqueries = sub;
    }
  }
  if (g->oom) return;
  char *from = malloc(g->len - mark + 1);
  if (from == NULL) {
    g->oom = true;
    return;
  }
  memcpy(from, g->buf + mark, g->len - mark);
  from[g->len - mark] = '\0';
  g->len = mark;

  bool agg = chance(g, 35);
  uint32_t ncols = 0;
  char *keys = NULL;
  if (agg) {
    uint32_t nkeys = rnd(g, 3);
    size_t kmark = g->len;
    for (uint32_t i = 0; i < nkeys; i++) {
      if (i) put(g, ", ");
      qg_type kt = value_type(g);
      if (chance(g, 30) || !column(g, kt)) expr(g, kt, 1);
    }
    if (!g->oom) {
      keys = malloc(g->len - kmark + 1);
      if (keys) {
        memcpy(keys, g->buf + kmark, g->len - kmark);
        keys[g->len - kmark] = '\0';
      }
    }
    ncols = nkeys;
    for (uint32_t i = 0, n = 1 + rnd(g, 3); i < n; i++) {
      put(g, "%s", ncols ? ", " : "");
      aggregate(g);
      put(g, " AS a%u", i + 1);
      ncols++;
    }
    put(g, "%s", from);
    if (chance(g, 60)) {
      put(g, " WHERE ");
      pred(g, 3);
    }
    if (nkeys > 0) {
      if (chance(g, 50)) {
        put(g, " GROUP BY ");
        for (uint32_t i = 0; i < nkeys; i++) put(g, "%s%u", i ? ", " : "", i + 1);
      } else {
        put(g, " GROUP BY %s", keys ? keys : "1");
      }
    }
    if (chance(g, 40)) {
      static const char *const ops[] = {"=", "<", ">", "<=", ">=", "<>"};
      put(g, " HAVING ");
      aggregate(g);
      put(g, " %s ", PICK(g, ops));
      if (chance(g, 60)) put(g, "%d", (int)rnd(g, 10)); else aggregate(g);
      if (chance(g, 30)) {
        put(g, " %s ", chance(g, 50) ? "AND" : "OR");
        put(g, "COUNT(*) > %d", (int)rnd(g, 3));
      }
    }
  } else {
    for (uint32_t i = 0, n = 1 + rnd(g, 4); i < n; i++) {
      put(g, "%s", i ? ", " : "");
      qg_type type = chance(g, 15) ? QG_BOOL : value_type(g);
      if (chance(g, 10) && g->subqueries > 0) {
        g->subqueries--;
        scalar_subquery(g, type == QG_BOOL ? QG_INT : type, 2);
      } else {
        expr(g, type, 3);
      }
      put(g, " AS c%u", i + 1);
      ncols++;
    }
    put(g, "%s", from);
    if (chance(g, 80)) {
      put(g, " WHERE ");
      pred(g, 4);
    }
  }
  free(keys);
  free(from);
  order_limit(g, ncols);
}

char *qg_generate(uint64_t seed) {
  qg g;
  memset(&g, 0, sizeof g);
  g.rng.state = seed;
  g.subqueries = 1 + (int)rnd(&g, 2);
  query(&g);
  if (g.oom || g.buf == NULL) {
    free(g.buf);
    return NULL;
  }
  return g.buf;
}
