/*
 * annotate_types: gives every expression and query node a type as DuckDB
 * would bind it. Columns take their types from the schema through the
 * sources in scope (tables, CTEs, derived tables); literals, casts,
 * operators and functions follow DuckDB's binder (see the rule tables
 * below). A query's type is the STRUCT of its output columns.
 *
 * The walk is recursive over the tree (depth is bounded by the parser's
 * UF_MAX_TREE_DEPTH); every result is recorded in the uf_types side table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt/types.h"
#include "unifier/sql.h"

#define T(id) (&ty_scalars[UF_T_##id]) /* uf_type_scalar(UF_T_##id) */

/* -- scopes ------------------------------------------------------------------ */

/* One FROM item visible in a SELECT: a schema table or a row type. A
 * schema table's columns are read from the schema as they are referenced
 * (most queries read few of a table's columns); its row is built only
 * for a star. */
typedef struct source {
  const char *alias;           /* name columns qualify with */
  const uf_schema_table *table;/* when row is NULL */
  const uf_type *row;          /* derived table / CTE / renamed row (STRUCT) */
} source;

/* The row of a source with no known columns. */
static const uf_type empty_row = {UF_T_STRUCT, 0, 0, 0, NULL, NULL, NULL, 0, "STRUCT()"};

typedef struct cte {
  const char *name;
  const uf_type *row;
  const struct cte *next;
} cte;

typedef struct scope {
  const struct scope *parent;
  source *src;                 /* inline_src until it outgrows it */
  size_t n, cap;
  source inline_src[8];
  const uf_type *outputs;      /* the SELECT's row, for alias references */
} scope;

/* A recent column lookup: the type (or NULL) of column `name` among the
 * columns `cols` (a source's row or schema table). Names are the tree's
 * strings and rows and tables outlive the annotation, so a key always
 * gives the same answer; a query reads the same columns again and again. */
typedef struct column_memo {
  const void *cols;
  const char *name;
  const uf_type *type;
} column_memo;

#define COLUMN_MEMO 32 /* a power of two */

/* A recent schema type conversion: a TYPE node without arguments or
 * fields converts by its name alone, and a schema interns its names, so
 * columns of one type share one conversion. */
typedef struct type_memo {
  const char *name;
  const uf_type *type;
} type_memo;

#define TYPE_MEMO 16 /* a power of two */

typedef struct ctx {
  uf_types *ts;
  column_memo memo[COLUMN_MEMO];
  type_memo type_memo[TYPE_MEMO];
  const uf_schema *schema;
  const uf_annotate_options *opts;
  uf_status st;                /* sticky failure (out of memory) */
  uf_error *err;
} ctx;

static const uf_type *expr(ctx *c, const uf_node *n, const scope *sc, const cte *ctes);
static const uf_type *query(ctx *c, const uf_node *q, const scope *outer, const cte *ctes);

static const uf_type *oom(ctx *c) {
  if (c->st == UF_OK) c->st = uf_error_set(c->err, UF_NOMEM, "out of memory annotating types");
  return T(UNKNOWN);
}

static const uf_type *record(ctx *c, const void *n, const uf_type *t) {
  if (t == NULL) return oom(c);
  if (ty_put(c->ts, n, t) != UF_OK) return oom(c);
  return t;
}

/* Case-insensitive name equality. Names in a tree are interned, so equal
 * spellings are usually one pointer; bytes are folded only where they
 * differ. */
static bool name_eq(const char *a, const char *b) {
  if (a == b) return true;
  for (;; a++, b++) {
    char x = *a, y = *b;
    if (x == y) {
      if (x == '\0') return true;
      continue;
    }
    if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
    if (x != y) return false;
  }
}

static const char *ident_text(const uf_node *n) {
  return n ? n->text : "";
}

/* -- columns ------------------------------------------------------------------ */

/* Mixes addresses into bits for a memo slot (Fibonacci hashing). */
static size_t memo_hash(uintptr_t key) {
  uint64_t x = (uint64_t)key * 0x9e3779b97f4a7c15ULL;
  return (size_t)(x >> 32);
}

static const uf_type *schema_type(ctx *c, const uf_schema_column *col) {
  if (col->type_node == NULL) {
    if (col->type == NULL || col->type[0] == '\0') return T(UNKNOWN);
    const uf_type *t = ty_get(c->ts, col);
    if (t) return t;
    if (uf_type_parse(c->ts, col->type, &t, NULL) != UF_OK) t = T(UNKNOWN);
    return record(c, col, t);
  }
  const uf_node *tn = col->type_node;
  if (uf_is(tn, UF_TYPE) && uf_get(tn, UF_SLOT_ARGS) == NULL &&
      uf_get(tn, UF_SLOT_FIELDS) == NULL) {
    type_memo *m = &c->type_memo[memo_hash((uintptr_t)tn->text) & (TYPE_MEMO - 1)];
    if (m->name == tn->text) return m->type;
    const uf_type *t = NULL;
    if (uf_type_from_node(c->ts, tn, &t, NULL) != UF_OK) return oom(c);
    *m = (type_memo){tn->text, t};
    return t;
  }
  const uf_type *t = ty_get(c->ts, tn); /* conversion cache */
  if (t) return t;
  if (uf_type_from_node(c->ts, tn, &t, NULL) != UF_OK) return oom(c);
  return record(c, tn, t);
}

/* Type of column `name` among s's columns, or NULL if s has no such
 * column. */
static const uf_type *scan_columns(ctx *c, const source *s, const char *name) {
  if (s->row) {
    for (size_t i = 0; i < s->row->nfields; i++)
      if (name_eq(s->row->fields[i].name, name)) return s->row->fields[i].type;
    return NULL;
  }
  for (size_t i = 0; i < s->table->ncolumns; i++)
    if (name_eq(s->table->columns[i].name, name)) return schema_type(c, &s->table->columns[i]);
  return NULL;
}

static size_t memo_slot(const void *cols, const char *name) {
  return memo_hash((uintptr_t)cols ^ ((uintptr_t)name << 1)) & (COLUMN_MEMO - 1);
}

/* scan_columns through c->memo. */
static const uf_type *source_column(ctx *c, const source *s, const char *name) {
  const void *cols = s->row ? (const void *)s->row : (const void *)s->table;
  if (cols == NULL) return NULL;
  column_memo *m = &c->memo[memo_slot(cols, name)];
  if (m->cols == cols && m->name == name) return m->type;
  const uf_type *t = scan_columns(c, s, name);
  *m = (column_memo){cols, name, t};
  return t;
}

/* Resolves a column: by its qualifier, else against every source of the
 * innermost scope that has it, then outer scopes (correlation), then the
 * SELECT's output aliases (ORDER BY / HAVING references). */
static const uf_type *column(ctx *c, const uf_node *n, const scope *sc) {
  const char *name = ident_text(uf_get(n, UF_SLOT_THIS));
  const char *qual = ident_text(uf_get(n, UF_SLOT_TABLE));
  for (const scope *s = sc; s; s = s->parent) {
    for (size_t i = 0; i < s->n; i++) {
      if (qual[0] && !name_eq(s->src[i].alias, qual)) continue;
      const uf_type *t = source_column(c, &s->src[i], name);
      if (t) return t;
    }
    if (!qual[0] && s->outputs)
      for (size_t i = 0; i < s->outputs->nfields; i++)
        if (name_eq(s->outputs->fields[i].name, name)) return s->outputs->fields[i].type;
  }
  /* s.a where s is a STRUCT column, not a source: a field access */
  if (qual[0] && uf_get(n, UF_SLOT_DB) == NULL) {
    uf_node id = {.kind = UF_IDENT, .text = qual};
    uf_node *kids[4] = {NULL, NULL, NULL, &id};
    uf_node col = {.kind = UF_COLUMN, .text = "", .nkids = 4, .kids = kids};
    const uf_type *t = column(c, &col, sc);
    if (t->id == UF_T_STRUCT)
      for (size_t i = 0; i < t->nfields; i++)
        if (name_eq(t->fields[i].name, name)) return t->fields[i].type;
  }
  return T(UNKNOWN);
}

/* -- literals --------------------------------------------------------------------- */

/* Compares two digit strings without leading zeros as numbers. */
static int digits_cmp(const char *a, size_t na, const char *b) {
  size_t nb = strlen(b);
  if (na != nb) return na < nb ? -1 : 1;
  return memcmp(a, b, na);
}

/* An integer literal's type by magnitude, as DuckDB's transformer picks
 * it (INTEGER, BIGINT, HUGEINT, UHUGEINT, else DOUBLE). */
static const uf_type *integer_literal(const char *digits, size_t n, bool neg) {
  while (n > 1 && *digits == '0') digits++, n--;
  static const struct { const char *pos, *neg; uf_type_id id; } lim[] = {
      {"2147483647", "2147483648", UF_T_INTEGER},
      {"9223372036854775807", "9223372036854775808", UF_T_BIGINT},
      {"170141183460469231731687303715884105727",
       "170141183460469231731687303715884105728", UF_T_HUGEINT},
      {"340282366920938463463374607431768211455", "", UF_T_UHUGEINT}};
  for (size_t i = 0; i < sizeof lim / sizeof *lim; i++)
    if (digits_cmp(digits, n, neg ? lim[i].neg : lim[i].pos) <= 0 && !(neg && !*lim[i].neg))
      return uf_type_scalar(lim[i].id);
  return T(DOUBLE);
}

/* NUMBER: integers by magnitude; a decimal point gives DECIMAL(digits,
 * fraction digits) (leading zeros count: DuckDB types 0.5 DECIMAL(2,1));
 * an exponent, or more than 38 digits, gives DOUBLE. */
static const uf_type *number(ctx *c, const char *s, bool neg) {
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X' || s[1] == 'b' || s[1] == 'B'))
    return T(INTEGER);
  char digits[128];
  size_t n = 0, frac = 0;
  bool dot = false;
  for (const char *p = s; *p; p++) {
    if (*p >= '0' && *p <= '9') {
      if (n < sizeof digits) digits[n] = *p;
      n++;
      if (dot) frac++;
    } else if (*p == '.') {
      dot = true;
    } else if (*p == 'e' || *p == 'E') {
      return T(DOUBLE);
    } /* '_' separators are skipped */
  }
  if (n > sizeof digits) return T(DOUBLE);
  if (!dot) return integer_literal(digits, n, neg);
  if (n > 38) return T(DOUBLE);
  const uf_type *t = ty_decimal(c->ts, (int)n, (int)frac);
  return t ? t : oom(c);
}

static bool is_int_literal(const uf_node *n) {
  while (uf_is(n, UF_PAREN)) n = uf_get(n, UF_SLOT_THIS);
  if (uf_is(n, UF_UNARY) && strcmp(n->text, "-") == 0) n = uf_get(n, UF_SLOT_THIS);
  return uf_is(n, UF_NUMBER) && strpbrk(n->text, ".eE") == NULL;
}

static bool is_string_literal(const uf_node *n) {
  while (uf_is(n, UF_PAREN)) n = uf_get(n, UF_SLOT_THIS);
  return uf_is(n, UF_STRING);
}

/* Whether integer literal n's value fits integer type t (DuckDB's
 * INTEGER_LITERAL adapts to the other operand's type when it fits). */
static bool literal_fits(const uf_node *n, const uf_type *t) {
  while (uf_is(n, UF_PAREN)) n = uf_get(n, UF_SLOT_THIS);
  bool neg = false;
  if (uf_is(n, UF_UNARY)) {
    neg = true;
    n = uf_get(n, UF_SLOT_THIS);
  }
  if (!uf_is(n, UF_NUMBER) || (n->text[0] == '0' && (n->text[1] == 'x' || n->text[1] == 'b')))
    return false;
  const char *d = n->text;
  while (d[0] == '0' && d[1]) d++;
  static const char *const maxpos[] = {"127", "32767", "2147483647",
      "9223372036854775807", "170141183460469231731687303715884105727",
      "255", "65535", "4294967295", "18446744073709551615",
      "340282366920938463463374607431768211455"};
  static const char *const maxneg[] = {"128", "32768", "2147483648",
      "9223372036854775808", "170141183460469231731687303715884105728",
      "0", "0", "0", "0", "0"};
  size_t i = (size_t)(t->id - UF_T_TINYINT);
  return digits_cmp(d, strlen(d), neg ? maxneg[i] : maxpos[i]) <= 0;
}

/* -- operators --------------------------------------------------------------------- */

static bool is_int_or_null(const uf_type *t) {
  return ty_is_integer(t) || t->id == UF_T_NULL;
}

static bool is_ts(const uf_type *t) {
  return t->id == UF_T_TIMESTAMP || t->id == UF_T_TIMESTAMP_TZ ||
         (t->id >= UF_T_TIMESTAMP_S && t->id <= UF_T_TIMESTAMP_NS);
}

/* Date/time arithmetic (DuckDB's + and - overloads); NULL if none applies. */
static const uf_type *temporal_arith(const char *op, const uf_type *l, const uf_type *r) {
  bool plus = op[0] == '+';
  if (l->id == UF_T_INTERVAL && r->id == UF_T_INTERVAL) return T(INTERVAL);
  if (plus && (ty_is_temporal(r) || r->id == UF_T_INTERVAL) && !ty_is_temporal(l) &&
      l->id != UF_T_INTERVAL) {
    const uf_type *x = l; /* n + date == date + n */
    l = r;
    r = x;
  }
  if (plus && l->id == UF_T_INTERVAL && ty_is_temporal(r)) {
    const uf_type *x = l;
    l = r;
    r = x;
  }
  if (l->id == UF_T_DATE) {
    if (is_int_or_null(r)) return T(DATE);
    if (r->id == UF_T_INTERVAL) return T(TIMESTAMP);
    if (!plus && r->id == UF_T_DATE) return T(BIGINT);
    if (plus && (r->id == UF_T_TIME || r->id == UF_T_TIME_TZ))
      return r->id == UF_T_TIME ? T(TIMESTAMP) : T(TIMESTAMP_TZ);
  }
  if (is_ts(l)) {
    if (r->id == UF_T_INTERVAL) return l;
    if (!plus && (is_ts(r) || r->id == UF_T_DATE)) return T(INTERVAL);
  }
  if ((l->id == UF_T_TIME || l->id == UF_T_TIME_TZ) && r->id == UF_T_INTERVAL) return l;
  if (!plus && l->id == UF_T_TIME && r->id == UF_T_TIME) return T(INTERVAL);
  return NULL;
}

/* Decimal results of + - * % (DuckDB's BindDecimalAddSubtract/Multiply/
 * Modulo): widths beyond 18 are kept at 18 while both inputs fit 18, and
 * nothing grows past 38. */
static const uf_type *decimal_arith(ctx *c, char op, const uf_type *l, const uf_type *r) {
  int wl = l->id == UF_T_DECIMAL ? l->width : ty_integer_width(l);
  int sl = l->id == UF_T_DECIMAL ? l->scale : 0;
  int wr = r->id == UF_T_DECIMAL ? r->width : ty_integer_width(r);
  int sr = r->id == UF_T_DECIMAL ? r->scale : 0;
  int maxw = wl > wr ? wl : wr;
  int width, scale;
  if (op == '*') {
    width = wl + wr;
    scale = sl + sr;
    if (scale > 38) return T(DOUBLE);
    if (width > 18 && maxw <= 18 && scale < 18) width = 18;
  } else {
    scale = sl > sr ? sl : sr;
    int whole = (wl - sl) > (wr - sr) ? wl - sl : wr - sr;
    width = whole + scale > maxw ? whole + scale : maxw;
    if (op != '%') {
      width += 1;
      if (width > 18 && maxw <= 18) width = 18;
    }
  }
  if (width > 38) width = 38;
  const uf_type *t = ty_decimal(c->ts, width, scale);
  return t ? t : oom(c);
}

/* The operand type an integer or string literal takes next to `other`. */
static const uf_type *adapt(const uf_node *n, const uf_type *t, const uf_type *other) {
  if (is_string_literal(n) && other->id != UF_T_VARCHAR && other->id != UF_T_UNKNOWN &&
      other->id != UF_T_NULL)
    return other;
  if (is_int_literal(n) && ty_is_integer(other) && literal_fits(n, other))
    return other;
  return t;
}

static const uf_type *arith(ctx *c, const char *op, const uf_node *ln, const uf_type *l,
                            const uf_node *rn, const uf_type *r) {
  if (l->id == UF_T_UNKNOWN || r->id == UF_T_UNKNOWN) return T(UNKNOWN);
  if (!(is_int_literal(ln) && is_int_literal(rn))) {
    const uf_type *l2 = adapt(ln, l, r), *r2 = adapt(rn, r, l);
    l = l2;
    r = r2;
  }
  if (l->id == UF_T_NULL) l = r;
  if (r->id == UF_T_NULL) r = l;
  if (l->id == UF_T_NULL) return T(INTEGER); /* NULL + NULL */
  if (op[0] == '+' || op[0] == '-') {
    const uf_type *t = temporal_arith(op, l, r);
    if (t) return t;
  }
  if ((op[0] == '*' || op[0] == '/') && (l->id == UF_T_INTERVAL || r->id == UF_T_INTERVAL))
    return T(INTERVAL);
  if (!ty_is_numeric(l) || !ty_is_numeric(r)) return T(UNKNOWN);
  if (strcmp(op, "/") == 0) {
    if (l->id == UF_T_FLOAT && r->id == UF_T_FLOAT) return T(FLOAT);
    return T(DOUBLE);
  }
  if (strcmp(op, "**") == 0 || strcmp(op, "^") == 0) return T(DOUBLE);
  if (l->id == UF_T_DOUBLE || r->id == UF_T_DOUBLE) return T(DOUBLE);
  if (l->id == UF_T_FLOAT || r->id == UF_T_FLOAT) return T(FLOAT);
  if (l->id == UF_T_DECIMAL || r->id == UF_T_DECIMAL) {
    if (strcmp(op, "//") == 0) return T(UNKNOWN);
    return decimal_arith(c, op[0], l, r);
  }
  const uf_type *t = ty_common(c->ts, l, r);
  return t ? t : oom(c);
}

/* What a binary operator computes. */
typedef enum op_class {
  OP_ARITH, OP_COMPARE, OP_CONCAT, OP_JSON_TEXT, OP_JSON, OP_BITWISE
} op_class;

static op_class op_class_of(const char *op) {
  static const struct { const char *op; op_class cls; } ops[] = {
      {"=", OP_COMPARE}, {"==", OP_COMPARE}, {"<>", OP_COMPARE}, {"!=", OP_COMPARE},
      {"<", OP_COMPARE}, {">", OP_COMPARE}, {"<=", OP_COMPARE}, {">=", OP_COMPARE},
      {"<=>", OP_COMPARE}, {"@>", OP_COMPARE}, {"<@", OP_COMPARE}, {"&&", OP_COMPARE},
      {"^@", OP_COMPARE}, {"~", OP_COMPARE}, {"!~", OP_COMPARE}, {"~~", OP_COMPARE},
      {"!~~", OP_COMPARE}, {"~~*", OP_COMPARE}, {"!~~*", OP_COMPARE}, {"~*", OP_COMPARE},
      {"!~*", OP_COMPARE}, {"||", OP_CONCAT}, {"->>", OP_JSON_TEXT}, {"->", OP_JSON},
      {"&", OP_BITWISE}, {"|", OP_BITWISE}, {"<<", OP_BITWISE}, {">>", OP_BITWISE},
      {"#", OP_BITWISE}, {"xor", OP_BITWISE}};
  /* first characters compared inline: most operators differ there */
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (ops[i].op[0] == op[0] && strcmp(ops[i].op + 1, op + 1) == 0) return ops[i].cls;
  return OP_ARITH;
}

static const uf_type *binary(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  const uf_node *ln = uf_get(n, UF_SLOT_LEFT), *rn = uf_get(n, UF_SLOT_RIGHT);
  const uf_type *l = expr(c, ln, sc, ctes), *r = expr(c, rn, sc, ctes);
  const char *op = n->text;
  switch (op_class_of(op)) {
  case OP_COMPARE: return T(BOOLEAN);
  case OP_CONCAT:
    if (l->id == UF_T_LIST) return l;
    if (r->id == UF_T_LIST) return r;
    return T(VARCHAR);
  case OP_JSON_TEXT: return T(VARCHAR);
  case OP_JSON: return ty_other(c->ts, "JSON") ? ty_other(c->ts, "JSON") : oom(c);
  case OP_BITWISE: {
    if (l->id == UF_T_BIT || l->id == UF_T_BLOB) return l;
    if (!(is_int_literal(ln) && is_int_literal(rn))) {
      const uf_type *l2 = adapt(ln, l, r), *r2 = adapt(rn, r, l);
      l = l2;
      r = r2;
    }
    const uf_type *t = ty_common(c->ts, l, r);
    return t ? t : oom(c);
  }
  case OP_ARITH: break;
  }
  return arith(c, op, ln, l, rn, r);
}

/* -- functions ---------------------------------------------------------------------- */

/* How a function's result type follows from its arguments. */
typedef enum rule {
  R_FIXED,   /* always `fixed` */
  R_ARG0,    /* the first argument's type */
  R_ARG1,    /* the second argument's type */
  R_COMMON,  /* common type of all arguments (COALESCE, GREATEST) */
  R_COMMON1, /* common type of arguments 2.. (IF, IIF) */
  R_SUM,     /* integers -> HUGEINT, DECIMAL(p,s) -> DECIMAL(38,s), else DOUBLE */
  R_AVG,     /* DOUBLE; INTERVAL and timestamps keep theirs */
  R_ROUND,   /* DECIMAL(p,s) -> DECIMAL(p, min(s, n)); others keep theirs */
  R_FLOOR,   /* DECIMAL(p,s) -> DECIMAL(p,0); others keep theirs */
  R_LIST,    /* LIST of the first argument (list, array_agg) */
  R_ELEM,    /* element of the first argument (unnest, list_extract) */
  R_STRUCT   /* struct_pack(a := x, ...) / row(x, ...) */
} rule;

typedef struct fn_rule {
  const char *name; /* lower case */
  rule rule;
  uf_type_id fixed;
} fn_rule;

#define F(name, id) {name, R_FIXED, UF_T_##id}
#define R(name, r) {name, r, UF_T_UNKNOWN}

/* Sorted by name (binary search). */
static const fn_rule fn_rules[] = {
    F("abs", UNKNOWN), F("acos", DOUBLE), R("any_value", R_ARG0),
    R("arbitrary", R_ARG0), R("array_agg", R_LIST), F("array_length", BIGINT),
    F("ascii", INTEGER), F("asin", DOUBLE), F("atan", DOUBLE), F("atan2", DOUBLE),
    R("avg", R_AVG), R("bit_and", R_ARG0), R("bit_or", R_ARG0),
    R("bit_xor", R_ARG0), F("bool_and", BOOLEAN), F("bool_or", BOOLEAN),
    F("cardinality", UBIGINT), F("cbrt", DOUBLE), R("ceil", R_FLOOR),
    R("ceiling", R_FLOOR), F("char_length", BIGINT),
    F("character_length", BIGINT), F("chr", VARCHAR), R("coalesce", R_COMMON),
    F("concat", VARCHAR), F("concat_ws", VARCHAR), F("contains", BOOLEAN),
    F("corr", DOUBLE), F("cos", DOUBLE), F("cot", DOUBLE), F("count", BIGINT),
    F("count_star", BIGINT), F("covar_pop", DOUBLE), F("covar_samp", DOUBLE),
    F("cume_dist", DOUBLE), F("current_date", DATE),
    F("current_timestamp", TIMESTAMP_TZ), F("date_diff", BIGINT),
    F("date_part", BIGINT), F("date_sub", BIGINT), R("date_trunc", R_ARG1),
    F("datediff", BIGINT), F("datepart", BIGINT), F("datesub", BIGINT),
    R("datetrunc", R_ARG1), F("day", BIGINT), F("dayname", VARCHAR),
    F("dayofmonth", BIGINT), F("dayofweek", BIGINT), F("dayofyear", BIGINT),
    F("decade", BIGINT), F("degrees", DOUBLE), F("dense_rank", BIGINT),
    F("ends_with", BOOLEAN), F("epoch", DOUBLE), F("epoch_ms", BIGINT),
    F("even", DOUBLE), F("exp", DOUBLE), R("first", R_ARG0),
    R("first_value", R_ARG0), R("floor", R_FLOOR), F("format", VARCHAR),
    F("gamma", DOUBLE), F("gen_random_uuid", UUID), F("get_current_time", TIME_TZ),
    F("get_current_timestamp", TIMESTAMP_TZ), R("greatest", R_COMMON),
    F("group_concat", VARCHAR), F("hash", UBIGINT), F("hour", BIGINT),
    R("if", R_COMMON1), R("ifnull", R_COMMON), R("iif", R_COMMON1),
    F("ilike", BOOLEAN), F("initcap", VARCHAR), F("instr", BIGINT),
    F("isfinite", BOOLEAN), F("isinf", BOOLEAN), F("isnan", BOOLEAN),
    F("isodow", BIGINT), F("isoyear", BIGINT), F("jaccard", DOUBLE),
    R("lag", R_ARG0), R("last", R_ARG0), R("last_value", R_ARG0),
    F("lcase", VARCHAR), R("lead", R_ARG0), R("least", R_COMMON),
    F("left", VARCHAR), F("len", BIGINT), F("length", BIGINT),
    F("levenshtein", BIGINT), F("like", BOOLEAN), R("list", R_LIST),
    R("list_extract", R_ELEM), F("listagg", VARCHAR), F("ln", DOUBLE),
    F("log", DOUBLE), F("log10", DOUBLE), F("log2", DOUBLE), F("lower", VARCHAR),
    F("lpad", VARCHAR), F("ltrim", VARCHAR), F("make_date", DATE),
    F("make_time", TIME), F("make_timestamp", TIMESTAMP), R("max", R_ARG0),
    F("md5", VARCHAR), R("mean", R_AVG), F("microsecond", BIGINT),
    F("millennium", BIGINT), F("millisecond", BIGINT), R("min", R_ARG0),
    F("minute", BIGINT), R("mode", R_ARG0), F("month", BIGINT),
    F("monthname", VARCHAR), F("now", TIMESTAMP_TZ), R("nth_value", R_ARG0),
    F("ntile", BIGINT), R("nullif", R_ARG0), F("octet_length", BIGINT),
    F("percent_rank", DOUBLE), F("pi", DOUBLE), F("position", BIGINT),
    F("pow", DOUBLE), F("power", DOUBLE), F("prefix", BOOLEAN),
    R("product", R_AVG), F("quarter", BIGINT), F("radians", DOUBLE),
    F("random", DOUBLE), F("rank", BIGINT), F("regexp_extract", VARCHAR),
    F("regexp_full_match", BOOLEAN), F("regexp_matches", BOOLEAN),
    F("regexp_replace", VARCHAR), F("repeat", VARCHAR), F("replace", VARCHAR),
    F("reverse", VARCHAR), F("right", VARCHAR), R("round", R_ROUND),
    R("row", R_STRUCT), F("row_number", BIGINT), F("rpad", VARCHAR),
    F("rtrim", VARCHAR), F("second", BIGINT), F("sign", TINYINT),
    F("sin", DOUBLE), F("split_part", VARCHAR), F("sqrt", DOUBLE),
    F("starts_with", BOOLEAN), F("stddev", DOUBLE), F("stddev_pop", DOUBLE),
    F("stddev_samp", DOUBLE), F("strftime", VARCHAR), F("string_agg", VARCHAR),
    F("strip_accents", VARCHAR), F("strlen", BIGINT), F("strpos", BIGINT),
    F("strptime", TIMESTAMP), R("struct_pack", R_STRUCT), F("substr", VARCHAR),
    F("substring", VARCHAR), F("suffix", BOOLEAN), R("sum", R_SUM),
    F("tan", DOUBLE), F("to_timestamp", TIMESTAMP_TZ), F("today", DATE),
    F("trim", VARCHAR), R("trunc", R_FLOOR), F("typeof", VARCHAR),
    F("ucase", VARCHAR), R("unnest", R_ELEM), F("upper", VARCHAR),
    F("uuid", UUID), F("var_pop", DOUBLE), F("var_samp", DOUBLE),
    F("variance", DOUBLE), F("version", VARCHAR), F("week", BIGINT),
    F("weekday", BIGINT), F("weekofyear", BIGINT), F("year", BIGINT),
    F("yearweek", BIGINT),
};

static const fn_rule *find_rule(const char *name) {
  char low[64];
  size_t n = strlen(name);
  if (n >= sizeof low) return NULL;
  for (size_t i = 0; i <= n; i++)
    low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
  size_t lo = 0, hi = sizeof fn_rules / sizeof *fn_rules;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int d = strcmp(fn_rules[mid].name, low);
    if (d == 0) return &fn_rules[mid];
    if (d < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* Integer value of a literal argument (round's precision), or -1. */
static long literal_int(const uf_node *n) {
  if (!uf_is(n, UF_NUMBER) || strpbrk(n->text, ".eE")) return -1;
  return strtol(n->text, NULL, 10);
}

static const uf_type *common_of(ctx *c, const uf_node *args, const uf_type **ts,
                                size_t from, size_t n) {
  const uf_type *t = NULL;
  /* string literals take the other branches' type, as DuckDB casts them */
  for (size_t i = from; i < n; i++)
    if (!is_string_literal(args->kids[i])) t = t ? ty_common(c->ts, t, ts[i]) : ts[i];
  if (t == NULL || t->id == UF_T_NULL)
    for (size_t i = from; i < n; i++) t = t ? ty_common(c->ts, t, ts[i]) : ts[i];
  return t ? t : T(NULL);
}

static const uf_type *struct_of(ctx *c, const uf_node *args, const uf_type **ts, size_t n) {
  uf_type_field *fs = calloc(n + 1, sizeof *fs);
  if (fs == NULL) return oom(c);
  for (size_t i = 0; i < n; i++) {
    const uf_node *a = args->kids[i];
    fs[i].name = uf_is(a, UF_NAMED_ARG) ? ident_text(uf_get(a, UF_SLOT_NAME))
               : uf_is(a, UF_ALIAS)     ? ident_text(uf_get(a, UF_SLOT_ALIAS))
                                        : "";
    fs[i].type = ts[i];
  }
  const uf_type *t = ty_struct(c->ts, UF_T_STRUCT, fs, n);
  free(fs);
  return t ? t : oom(c);
}

static const uf_type *apply_rule(ctx *c, const fn_rule *r, const uf_node *args,
                                 const uf_type **ts, size_t n) {
  const uf_type *a0 = n ? ts[0] : T(UNKNOWN);
  switch (r->rule) {
  case R_FIXED:
    return r->fixed == UF_T_UNKNOWN ? a0 : uf_type_scalar(r->fixed); /* abs */
  case R_ARG0: return a0;
  case R_ARG1: return n > 1 ? ts[1] : T(UNKNOWN);
  case R_COMMON: return common_of(c, args, ts, 0, n);
  case R_COMMON1: return common_of(c, args, ts, 1, n);
  case R_SUM:
    if (ty_is_integer(a0)) return T(HUGEINT);
    if (a0->id == UF_T_DECIMAL) return ty_decimal(c->ts, 38, a0->scale);
    if (a0->id == UF_T_FLOAT || a0->id == UF_T_DOUBLE) return T(DOUBLE);
    return a0->id == UF_T_INTERVAL || a0->id == UF_T_NULL ? a0 : T(UNKNOWN);
  case R_AVG:
    if (ty_is_numeric(a0)) return T(DOUBLE);
    return a0->id == UF_T_INTERVAL || is_ts(a0) ? a0 : T(UNKNOWN);
  case R_ROUND:
    if (a0->id == UF_T_DECIMAL) {
      long d = n > 1 ? literal_int(args->kids[1]) : 0;
      if (d < 0 && n > 1) return T(DOUBLE);
      return ty_decimal(c->ts, a0->width, d < a0->scale ? (int)d : a0->scale);
    }
    return a0;
  case R_FLOOR:
    return a0->id == UF_T_DECIMAL ? ty_decimal(c->ts, a0->width, 0) : a0;
  case R_LIST: return ty_list(c->ts, a0);
  case R_ELEM:
    return (a0->id == UF_T_LIST || a0->id == UF_T_ARRAY) ? a0->child : T(UNKNOWN);
  case R_STRUCT: return struct_of(c, args, ts, n);
  }
  return T(UNKNOWN);
}

/* Asks the function catalog, if any. */
static const uf_type *catalog_type(ctx *c, const char *name, const uf_type **ts, size_t n) {
  const uf_function_catalog *fc = c->opts ? c->opts->functions : NULL;
  if (fc == NULL || fc->return_type == NULL) return T(UNKNOWN);
  const char *text = fc->return_type(fc->ctx, name, ts, n);
  const uf_type *t = NULL;
  if (text == NULL || uf_type_parse(c->ts, text, &t, NULL) != UF_OK) return T(UNKNOWN);
  return t;
}

static const uf_type *func(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  const uf_node *args = uf_get(n, UF_SLOT_ARGS);
  size_t na = args ? args->nkids : 0;
  const uf_type *stack[16], **ts = na <= 16 ? stack : calloc(na, sizeof *ts);
  if (ts == NULL) return oom(c);
  for (size_t i = 0; i < na; i++) ts[i] = expr(c, args->kids[i], sc, ctes);
  static const uf_slot clauses[] = {UF_SLOT_ORDER, UF_SLOT_WITHIN_GROUP, UF_SLOT_FILTER,
                                    UF_SLOT_OVER};
  for (size_t i = 0; i < sizeof clauses / sizeof *clauses; i++)
    expr(c, uf_get(n, clauses[i]), sc, ctes);
  const fn_rule *r = find_rule(n->text);
  const uf_type *t;
  if (r) t = apply_rule(c, r, args, ts, na);
  else t = catalog_type(c, n->text, ts, na);
  if (ts != stack) free(ts);
  return t ? t : oom(c);
}

/* -- expressions ---------------------------------------------------------------------- */

/* Annotates every child of n (clauses, lists) and returns UNKNOWN. */
static const uf_type *children(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  for (uint32_t i = 0; i < n->nkids; i++) expr(c, n->kids[i], sc, ctes);
  return T(UNKNOWN);
}

static const uf_type *case_expr(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  expr(c, uf_get(n, UF_SLOT_OPERAND), sc, ctes);
  const uf_node *whens = uf_get(n, UF_SLOT_WHENS);
  size_t nw = whens ? whens->nkids : 0;
  const uf_node *stack_n[16];
  const uf_type *stack_t[16];
  size_t cap = nw + 1;
  const uf_node **ns = cap <= 16 ? stack_n : calloc(cap, sizeof *ns);
  const uf_type **ts = cap <= 16 ? stack_t : calloc(cap, sizeof *ts);
  if (ns == NULL || ts == NULL) {
    if (ns != stack_n) free(ns);
    if (ts != stack_t) free(ts);
    return oom(c);
  }
  size_t k = 0;
  for (size_t i = 0; i < nw; i++) {
    expr(c, uf_get(whens->kids[i], UF_SLOT_COND), sc, ctes);
    ns[k] = uf_get(whens->kids[i], UF_SLOT_THEN);
    ts[k] = expr(c, ns[k], sc, ctes);
    k++;
  }
  const uf_node *els = uf_get(n, UF_SLOT_ELSE);
  ns[k] = els;
  ts[k++] = els ? expr(c, els, sc, ctes) : T(NULL);
  /* common_of reads literal-ness from a list: view the branches as one */
  uf_node view = {.kind = UF_LIST, .nkids = (uint32_t)k, .kids = (uf_node **)ns};
  const uf_type *t = common_of(c, &view, ts, 0, k);
  if (ns != stack_n) free(ns);
  if (ts != stack_t) free(ts);
  return t;
}

static const uf_type *unary(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  const uf_node *x = uf_get(n, UF_SLOT_THIS);
  if (strcmp(n->text, "-") == 0 && uf_is(x, UF_NUMBER)) {
    const uf_type *t = number(c, x->text, true);
    record(c, x, t);
    return t;
  }
  return expr(c, x, sc, ctes);
}

static const uf_type *extract(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  expr(c, uf_get(n, UF_SLOT_EXPR), sc, ctes);
  const char *part = ident_text(uf_get(n, UF_SLOT_THIS));
  if (name_eq(part, "epoch") || name_eq(part, "julian")) return T(DOUBLE);
  return T(BIGINT);
}

static const uf_type *var(const uf_node *n) {
  if (name_eq(n->text, "CURRENT_DATE")) return T(DATE);
  if (name_eq(n->text, "CURRENT_TIME")) return T(TIME_TZ);
  if (name_eq(n->text, "CURRENT_TIMESTAMP")) return T(TIMESTAMP_TZ);
  if (name_eq(n->text, "LOCALTIME")) return T(TIME);
  if (name_eq(n->text, "LOCALTIMESTAMP")) return T(TIMESTAMP);
  return T(UNKNOWN);
}

static const uf_type *cast(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  expr(c, uf_get(n, UF_SLOT_THIS), sc, ctes);
  const uf_type *t = NULL;
  if (uf_type_from_node(c->ts, uf_get(n, UF_SLOT_TO), &t, NULL) != UF_OK) return oom(c);
  return t;
}

static const uf_type *array(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  const uf_node *q = uf_get(n, UF_SLOT_QUERY);
  if (q) {
    const uf_type *row = query(c, q, sc, ctes);
    return ty_list(c->ts, row->nfields ? row->fields[0].type : T(UNKNOWN));
  }
  const uf_node *args = uf_get(n, UF_SLOT_ARGS);
  const uf_type *t = NULL;
  for (uint32_t i = 0; args && i < args->nkids; i++) {
    const uf_type *e = expr(c, args->kids[i], sc, ctes);
    t = t ? ty_common(c->ts, t, e) : e;
  }
  return ty_list(c->ts, t ? t : T(NULL));
}

static const uf_type *struct_lit(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  const uf_node *args = uf_get(n, UF_SLOT_ARGS);
  size_t na = args ? args->nkids : 0;
  uf_type_field *fs = calloc(na + 1, sizeof *fs);
  if (fs == NULL) return oom(c);
  for (size_t i = 0; i < na; i++) {
    const uf_node *key = uf_get(args->kids[i], UF_SLOT_KEY);
    fs[i].name = key ? key->text : "";
    fs[i].type = expr(c, uf_get(args->kids[i], UF_SLOT_VALUE), sc, ctes);
  }
  const uf_type *t = ty_struct(c->ts, UF_T_STRUCT, fs, na);
  free(fs);
  return t;
}

static const uf_type *map_lit(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  const uf_node *args = uf_get(n, UF_SLOT_ARGS);
  const uf_type *k = NULL, *v = NULL;
  for (uint32_t i = 0; args && i < args->nkids; i++) {
    const uf_type *ki = expr(c, uf_get(args->kids[i], UF_SLOT_KEY), sc, ctes);
    const uf_type *vi = expr(c, uf_get(args->kids[i], UF_SLOT_VALUE), sc, ctes);
    k = k ? ty_common(c->ts, k, ki) : ki;
    v = v ? ty_common(c->ts, v, vi) : vi;
  }
  return ty_map(c->ts, k ? k : T(NULL), v ? v : T(NULL));
}

static const uf_type *subscript(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  const uf_type *t = expr(c, uf_get(n, UF_SLOT_THIS), sc, ctes);
  const uf_node *idx = uf_get(n, UF_SLOT_INDEX);
  expr(c, idx, sc, ctes);
  if (t->id == UF_T_LIST || t->id == UF_T_ARRAY) return t->child;
  if (t->id == UF_T_MAP) return t->value;
  if (t->id == UF_T_VARCHAR) return t;
  if (t->id == UF_T_STRUCT && uf_is(idx, UF_STRING))
    for (size_t i = 0; i < t->nfields; i++)
      if (name_eq(t->fields[i].name, idx->text)) return t->fields[i].type;
  return T(UNKNOWN);
}

static const uf_type *dot(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  const uf_type *t = expr(c, uf_get(n, UF_SLOT_THIS), sc, ctes);
  const char *name = ident_text(uf_get(n, UF_SLOT_NAME));
  if (t->id == UF_T_STRUCT)
    for (size_t i = 0; i < t->nfields; i++)
      if (name_eq(t->fields[i].name, name)) return t->fields[i].type;
  return T(UNKNOWN);
}

static const uf_type *scalar_subquery(ctx *c, const uf_node *q, const scope *sc,
                                      const cte *ctes) {
  const uf_type *row = query(c, q, sc, ctes);
  return row->nfields ? row->fields[0].type : T(UNKNOWN);
}

static const uf_type *predicate(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  children(c, n, sc, ctes);
  return T(BOOLEAN);
}

static const uf_type *expr_kind(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  switch ((uf_kind)n->kind) {
  case UF_NUMBER: return number(c, n->text, false);
  case UF_STRING: return T(VARCHAR);
  case UF_BIT_STRING: return T(BIT);
  case UF_HEX_STRING: return T(BLOB);
  case UF_BOOLEAN: return T(BOOLEAN);
  case UF_NULL: return T(NULL);
  case UF_VAR: return var(n);
  case UF_COLUMN: return column(c, n, sc);
  case UF_BINARY: return binary(c, n, sc, ctes);
  case UF_AND: case UF_OR: case UF_NOT: case UF_LIKE: case UF_IS:
  case UF_IS_DISTINCT: case UF_BETWEEN: case UF_IN: case UF_EXISTS:
  case UF_QUANTIFIED:
    return predicate(c, n, sc, ctes);
  case UF_UNARY: return unary(c, n, sc, ctes);
  case UF_PAREN: case UF_ALIAS: case UF_NAMED_ARG: case UF_COLLATE:
    if (uf_is(n, UF_NAMED_ARG) || uf_is(n, UF_COLLATE) || uf_is(n, UF_ALIAS) ||
        uf_is(n, UF_PAREN))
      return expr(c, uf_get(n, UF_SLOT_THIS), sc, ctes);
    return T(UNKNOWN);
  case UF_SUBQUERY: return scalar_subquery(c, uf_get(n, UF_SLOT_THIS), sc, ctes);
  case UF_CASE: return case_expr(c, n, sc, ctes);
  case UF_CAST: return cast(c, n, sc, ctes);
  case UF_EXTRACT: return extract(c, n, sc, ctes);
  case UF_INTERVAL: children(c, n, sc, ctes); return T(INTERVAL);
  case UF_FUNC: return func(c, n, sc, ctes);
  case UF_ARRAY: return array(c, n, sc, ctes);
  case UF_STRUCT: return struct_lit(c, n, sc, ctes);
  case UF_MAP: return map_lit(c, n, sc, ctes);
  case UF_SUBSCRIPT: return subscript(c, n, sc, ctes);
  case UF_SLICE: children(c, n, sc, ctes); return expr(c, uf_get(n, UF_SLOT_THIS), sc, ctes);
  case UF_DOT: return dot(c, n, sc, ctes);
  default: return children(c, n, sc, ctes);
  }
}

/* Annotates expression n (NULL gives NULL) and records its type; clauses
 * and lists are walked without a type of their own. */
static const uf_type *expr(ctx *c, const uf_node *n, const scope *sc, const cte *ctes) {
  if (n == NULL || c->st != UF_OK) return T(UNKNOWN);
  uf_category cat = uf_kind_category((uf_kind)n->kind);
  if (cat == UF_CAT_QUERY) return query(c, n, sc, ctes);
  if (cat != UF_CAT_EXPR && cat != UF_CAT_ATOM) return children(c, n, sc, ctes);
  if (uf_is(n, UF_STAR) || uf_is(n, UF_LAMBDA) || uf_is(n, UF_GROUPING) ||
      uf_is(n, UF_COLUMNS_EXPR))
    return children(c, n, sc, ctes);
  const uf_type *t = expr_kind(c, n, sc, ctes);
  return record(c, n, t ? t : oom(c));
}

/* -- rows and sources ------------------------------------------------------------------ */

/* A growable field list, inline until it outgrows inline_v; ty_struct
 * copies it into the types' arena. */
typedef struct fields {
  uf_type_field *v;
  size_t n, cap;
  uf_type_field inline_v[16];
  char **owned; /* generated names to free */
  size_t nowned, capowned;
} fields;

static bool fields_push(fields *f, const char *name, const uf_type *t) {
  if (f->v == NULL) {
    f->v = f->inline_v;
    f->cap = sizeof f->inline_v / sizeof *f->inline_v;
  }
  if (f->n == f->cap) {
    size_t cap = f->cap * 2;
    uf_type_field *v = malloc(cap * sizeof *v);
    if (v == NULL) return false;
    memcpy(v, f->v, f->n * sizeof *v);
    if (f->v != f->inline_v) free(f->v);
    f->v = v;
    f->cap = cap;
  }
  f->v[f->n].name = name;
  f->v[f->n++].type = t;
  return true;
}

static const uf_type *fields_finish(ctx *c, fields *f) {
  const uf_type *t = ty_struct(c->ts, UF_T_STRUCT, f->v, f->n);
  if (f->v != f->inline_v) free(f->v);
  for (size_t i = 0; i < f->nowned; i++) free(f->owned[i]);
  free(f->owned);
  memset(f, 0, sizeof *f);
  return t ? t : oom(c);
}

/* The row of a schema table (cached by the table's address). */
static const uf_type *table_row(ctx *c, const uf_schema_table *t) {
  const uf_type *row = ty_get(c->ts, t);
  if (row) return row;
  fields f = {0};
  for (size_t i = 0; i < t->ncolumns; i++)
    if (!fields_push(&f, t->columns[i].name, schema_type(c, &t->columns[i]))) {
      fields_finish(c, &f);
      return oom(c);
    }
  return record(c, t, fields_finish(c, &f));
}

/* row with its columns renamed by a TABLE_ALIAS's column list. */
static const uf_type *rename_row(ctx *c, const uf_type *row, const uf_node *alias) {
  const uf_node *cols = uf_get(alias, UF_SLOT_COLUMNS);
  if (cols == NULL || cols->nkids == 0) return row;
  fields f = {0};
  for (size_t i = 0; i < row->nfields || i < cols->nkids; i++) {
    const char *name = i < cols->nkids ? ident_text(uf_get(cols->kids[i], UF_SLOT_NAME))
                                       : row->fields[i].name;
    if (i < cols->nkids && uf_is(cols->kids[i], UF_IDENT)) name = cols->kids[i]->text;
    const uf_type *t = i < row->nfields ? row->fields[i].type : T(UNKNOWN);
    if (!fields_push(&f, name, t)) {
      fields_finish(c, &f);
      return oom(c);
    }
  }
  return fields_finish(c, &f);
}

static void add_source(ctx *c, scope *sc, source src) {
  if (sc->src == NULL) {
    sc->src = sc->inline_src;
    sc->cap = sizeof sc->inline_src / sizeof *sc->inline_src;
  }
  if (sc->n == sc->cap) {
    size_t cap = sc->cap * 2;
    source *v = malloc(cap * sizeof *v);
    if (v == NULL) {
      oom(c);
      return;
    }
    memcpy(v, sc->src, sc->n * sizeof *v);
    if (sc->src != sc->inline_src) free(sc->src);
    sc->src = v;
    sc->cap = cap;
  }
  sc->src[sc->n++] = src;
}

static void add_row(ctx *c, scope *sc, const char *alias, const uf_type *row) {
  add_source(c, sc, (source){alias, NULL, row});
}

/* The columns of a source: its row, else its schema table's row. */
static const uf_type *source_row(ctx *c, const source *s) {
  if (s->row) return s->row;
  return s->table ? table_row(c, s->table) : NULL;
}

static const uf_schema_table *find_table(ctx *c, const uf_node *t) {
  if (c->schema == NULL) return NULL;
  const uf_node *parts[3] = {uf_get(t, UF_SLOT_CATALOG), uf_get(t, UF_SLOT_DB),
                             uf_get(t, UF_SLOT_THIS)};
  char norm[3][256];
  for (int i = 0; i < 3; i++) {
    norm[i][0] = '\0';
    if (parts[i] == NULL) continue;
    if (uf_schema_normalize(c->schema, parts[i]->text, (parts[i]->flags & UF_F_QUOTED) != 0,
                            norm[i], sizeof norm[i], NULL) != UF_OK)
      return NULL;
  }
  const uf_schema_table *out = NULL;
  if (uf_schema_find_table(c->schema, norm[0], norm[1], norm[2], &out, NULL) != UF_OK)
    return NULL;
  return out;
}

static const uf_type *cte_row(const cte *ctes, const char *name) {
  for (const cte *x = ctes; x; x = x->next)
    if (name_eq(x->name, name)) return x->row;
  return NULL;
}

static void add_from(ctx *c, const uf_node *n, scope *sc, const cte *ctes);

static void add_table(ctx *c, const uf_node *n, scope *sc, const cte *ctes) {
  const uf_node *alias = uf_get(n, UF_SLOT_ALIAS);
  const char *name = ident_text(uf_get(n, UF_SLOT_THIS));
  const char *as = alias ? ident_text(uf_get(alias, UF_SLOT_NAME)) : name;
  const uf_type *row = NULL;
  if (uf_get(n, UF_SLOT_DB) == NULL) row = cte_row(ctes, name);
  if (row == NULL) {
    const uf_schema_table *t = find_table(c, n);
    const uf_node *cols = uf_get(alias, UF_SLOT_COLUMNS);
    if (t && (cols == NULL || cols->nkids == 0)) {
      add_source(c, sc, (source){as, t, NULL});
      return;
    }
    row = t ? table_row(c, t) : &empty_row;
  }
  add_row(c, sc, as, rename_row(c, row, alias));
}

static void add_table_func(ctx *c, const uf_node *n, scope *sc, const cte *ctes) {
  const uf_node *f = uf_get(n, UF_SLOT_THIS);
  const uf_type *t = expr(c, f, sc, ctes);
  const uf_node *alias = uf_get(n, UF_SLOT_ALIAS);
  fields one = {0};
  fields_push(&one, f ? f->text : "", t);
  const uf_type *row = fields_finish(c, &one);
  add_row(c, sc, alias ? ident_text(uf_get(alias, UF_SLOT_NAME)) : (f ? f->text : ""),
          rename_row(c, row, alias));
}

static void add_from(ctx *c, const uf_node *n, scope *sc, const cte *ctes) {
  if (n == NULL || c->st != UF_OK) return;
  switch ((uf_kind)n->kind) {
  case UF_LIST:
    for (uint32_t i = 0; i < n->nkids; i++) add_from(c, n->kids[i], sc, ctes);
    return;
  case UF_TABLE: add_table(c, n, sc, ctes); return;
  case UF_TABLE_FUNC: add_table_func(c, n, sc, ctes); return;
  case UF_JOIN:
    add_from(c, uf_get(n, UF_SLOT_LEFT), sc, ctes);
    add_from(c, uf_get(n, UF_SLOT_RIGHT), sc, ctes);
    expr(c, uf_get(n, UF_SLOT_ON), sc, ctes);
    return;
  case UF_DERIVED: {
    const uf_node *q = uf_get(n, UF_SLOT_THIS);
    const uf_node *alias = uf_get(n, UF_SLOT_ALIAS);
    if (uf_is(q, UF_JOIN)) {
      add_from(c, q, sc, ctes);
      return;
    }
    /* a lateral subquery sees the sources before it */
    const scope *outer = (n->flags & UF_F_LATERAL) ? sc : sc->parent;
    const uf_type *row = query(c, q, outer, ctes);
    add_row(c, sc, alias ? ident_text(uf_get(alias, UF_SLOT_NAME)) : "",
            rename_row(c, row, alias));
    return;
  }
  default: {
    /* PIVOT and others: a source with no known columns */
    const uf_node *alias = uf_get(n, UF_SLOT_ALIAS);
    add_row(c, sc, alias ? ident_text(uf_get(alias, UF_SLOT_NAME)) : "", &empty_row);
    return;
  }
  }
}

/* -- queries ------------------------------------------------------------------------- */

/* Adds the CTEs of a WITH clause in front of `ctes`; the list lives in
 * c->ts's arena. */
static const cte *with_ctes(ctx *c, const uf_node *with, const scope *outer, const cte *ctes) {
  const uf_node *list = uf_get(with, UF_SLOT_CTES);
  for (uint32_t i = 0; list && i < list->nkids; i++) {
    const uf_node *x = list->kids[i];
    const uf_node *alias = uf_get(x, UF_SLOT_ALIAS);
    cte *e = uf_arena_calloc(&c->ts->arena, sizeof *e);
    if (e == NULL) {
      oom(c);
      return ctes;
    }
    e->name = uf_is(alias, UF_IDENT) ? alias->text : ident_text(uf_get(alias, UF_SLOT_NAME));
    e->row = rename_row(c, query(c, uf_get(x, UF_SLOT_THIS), outer, ctes), alias);
    e->next = ctes;
    ctes = e;
  }
  return ctes;
}

/* Name DuckDB gives an unaliased projection: a column's name, else the
 * expression's SQL. */
static const char *output_name(fields *f, const uf_node *n) {
  if (uf_is(n, UF_ALIAS)) return ident_text(uf_get(n, UF_SLOT_ALIAS));
  if (uf_is(n, UF_COLUMN)) return ident_text(uf_get(n, UF_SLOT_THIS));
  char *sql = NULL;
  if (uf_generate(n, NULL, &sql, NULL, NULL) != UF_OK || sql == NULL) return "";
  if (f->nowned == f->capowned) {
    size_t cap = f->capowned ? f->capowned * 2 : 8;
    char **v = realloc(f->owned, cap * sizeof *v);
    if (v == NULL) {
      uf_free(sql);
      return "";
    }
    f->owned = v;
    f->capowned = cap;
  }
  f->owned[f->nowned++] = sql;
  return sql;
}

static bool excluded(const uf_node *star, const char *name) {
  const uf_node *ex = uf_get(star, UF_SLOT_EXCLUDE);
  for (uint32_t i = 0; ex && i < ex->nkids; i++) {
    const uf_node *e = ex->kids[i];
    const uf_node *id = uf_is(e, UF_COLUMN) ? uf_get(e, UF_SLOT_THIS) : e;
    if (id && name_eq(id->text, name)) return true;
  }
  return false;
}

static void expand_star(ctx *c, const uf_node *star, const scope *sc, fields *f) {
  const char *qual = ident_text(uf_get(star, UF_SLOT_QUALIFIER));
  if (uf_is(uf_get(star, UF_SLOT_QUALIFIER), UF_COLUMN))
    qual = ident_text(uf_get(uf_get(star, UF_SLOT_QUALIFIER), UF_SLOT_THIS));
  for (size_t i = 0; i < sc->n; i++) {
    if (qual[0] && !name_eq(sc->src[i].alias, qual)) continue;
    const uf_type *row = source_row(c, &sc->src[i]);
    for (size_t j = 0; row && j < row->nfields; j++)
      if (!excluded(star, row->fields[j].name) &&
          !fields_push(f, row->fields[j].name, row->fields[j].type))
        oom(c);
  }
}

static const uf_type *select_query(ctx *c, const uf_node *q, const scope *outer,
                                   const cte *ctes) {
  ctes = with_ctes(c, uf_get(q, UF_SLOT_WITH), outer, ctes);
  scope sc = {.parent = outer};
  add_from(c, uf_get(q, UF_SLOT_FROM), &sc, ctes);
  const uf_node *exprs = uf_get(q, UF_SLOT_EXPRS);
  fields f = {0};
  for (uint32_t i = 0; exprs && i < exprs->nkids; i++) {
    const uf_node *e = exprs->kids[i];
    if (uf_is(e, UF_STAR)) {
      expand_star(c, e, &sc, &f);
      continue;
    }
    const uf_type *t = expr(c, e, &sc, ctes);
    if (!fields_push(&f, output_name(&f, e), t)) oom(c);
  }
  const uf_type *row = fields_finish(c, &f);
  sc.outputs = row;
  static const uf_slot rest[] = {UF_SLOT_DISTINCT_ON, UF_SLOT_WHERE, UF_SLOT_GROUP,
                                 UF_SLOT_HAVING, UF_SLOT_WINDOW, UF_SLOT_QUALIFY,
                                 UF_SLOT_ORDER, UF_SLOT_LIMIT, UF_SLOT_OFFSET};
  for (size_t i = 0; i < sizeof rest / sizeof *rest; i++) expr(c, uf_get(q, rest[i]), &sc, ctes);
  if (sc.src != sc.inline_src) free(sc.src);
  return row;
}

/* ORDER BY / LIMIT / OFFSET of a set operation or parenthesized query,
 * resolved against its output row. */
static void tail_clauses(ctx *c, const uf_node *q, const uf_type *row, const scope *outer,
                         const cte *ctes) {
  scope sc = {.parent = outer, .outputs = row};
  expr(c, uf_get(q, UF_SLOT_ORDER), &sc, ctes);
  expr(c, uf_get(q, UF_SLOT_LIMIT), &sc, ctes);
  expr(c, uf_get(q, UF_SLOT_OFFSET), &sc, ctes);
}

static const uf_type *set_op(ctx *c, const uf_node *q, const scope *outer, const cte *ctes) {
  ctes = with_ctes(c, uf_get(q, UF_SLOT_WITH), outer, ctes);
  const uf_type *l = query(c, uf_get(q, UF_SLOT_LEFT), outer, ctes);
  const uf_type *r = query(c, uf_get(q, UF_SLOT_RIGHT), outer, ctes);
  fields f = {0};
  bool by_name = (q->flags & UF_F_BY_NAME) != 0;
  for (size_t i = 0; i < l->nfields; i++) {
    const uf_type *rt = NULL;
    if (by_name) {
      for (size_t j = 0; j < r->nfields && rt == NULL; j++)
        if (name_eq(l->fields[i].name, r->fields[j].name)) rt = r->fields[j].type;
    } else if (i < r->nfields) {
      rt = r->fields[i].type;
    }
    if (!fields_push(&f, l->fields[i].name, ty_common(c->ts, l->fields[i].type, rt))) oom(c);
  }
  const uf_type *row = fields_finish(c, &f);
  tail_clauses(c, q, row, outer, ctes);
  return row;
}

static const uf_type *values(ctx *c, const uf_node *q, const scope *outer, const cte *ctes) {
  const uf_node *rows = uf_get(q, UF_SLOT_ROWS);
  size_t ncols = 0;
  const uf_type *cols[64] = {0};
  for (uint32_t i = 0; rows && i < rows->nkids; i++) {
    const uf_node *tuple = rows->kids[i];
    const uf_node *args = uf_is(tuple, UF_TUPLE) ? uf_get(tuple, UF_SLOT_ARGS) : NULL;
    for (uint32_t j = 0; args && j < args->nkids; j++) {
      const uf_type *t = expr(c, args->kids[j], outer, ctes);
      if (j < 64) cols[j] = cols[j] ? ty_common(c->ts, cols[j], t) : t;
      if (j + 1 > ncols) ncols = j + 1;
    }
    if (uf_is(tuple, UF_TUPLE)) record(c, tuple, T(UNKNOWN));
  }
  fields f = {0};
  char names[64][8];
  for (size_t j = 0; j < ncols && j < 64; j++) {
    snprintf(names[j], sizeof names[j], "col%zu", j);
    if (!fields_push(&f, names[j], cols[j] ? cols[j] : T(UNKNOWN))) oom(c);
  }
  return fields_finish(c, &f);
}

/* Annotates a query node; its type (recorded) is the STRUCT of its output
 * columns. Never NULL. */
static const uf_type *query(ctx *c, const uf_node *q, const scope *outer, const cte *ctes) {
  if (q == NULL || c->st != UF_OK) return &empty_row;
  const uf_type *row;
  switch ((uf_kind)q->kind) {
  case UF_SELECT: row = select_query(c, q, outer, ctes); break;
  case UF_SET_OP: row = set_op(c, q, outer, ctes); break;
  case UF_VALUES: row = values(c, q, outer, ctes); break;
  case UF_QUERY_PAREN:
    ctes = with_ctes(c, uf_get(q, UF_SLOT_WITH), outer, ctes);
    row = query(c, uf_get(q, UF_SLOT_THIS), outer, ctes);
    tail_clauses(c, q, row, outer, ctes);
    break;
  default: children(c, q, outer, ctes); return &empty_row;
  }
  if (c->st != UF_OK || row == NULL || row->id != UF_T_STRUCT) return &empty_row;
  record(c, q, row);
  return row;
}

/* -- entry point -------------------------------------------------------------------------- */

uf_status uf_annotate_types(const uf_node *root, const uf_schema *s,
                            const uf_annotate_options *o, uf_types **out,
                            uf_error *err) {
  if (out) *out = NULL;
  if (root == NULL || out == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_annotate_types: NULL argument");
  uf_types *ts = calloc(1, sizeof *ts);
  if (ts == NULL) return uf_error_set(err, UF_NOMEM, "out of memory annotating types");
  uf_arena_init(&ts->arena);
  ctx c = {.ts = ts, .schema = s, .opts = o, .st = UF_OK, .err = err};
  if (uf_kind_category((uf_kind)root->kind) == UF_CAT_QUERY) {
    const uf_type *row = query(&c, root, NULL, NULL);
    ts->output = row;
  } else {
    expr(&c, root, NULL, NULL);
  }
  if (c.st != UF_OK) {
    uf_types_free(ts);
    return c.st;
  }
  *out = ts;
  return UF_OK;
}
