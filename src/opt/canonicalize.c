/*
 * canonicalize: one spelling per construct, so that spellings of the same
 * query differing only in form compile to one AST and one fingerprint.
 *
 * Every rewrite here keeps DuckDB's results exactly:
 *   CAST style (::, typed literal) cleared      presentation only
 *   NOT (x IS [NOT] NULL/TRUE/..)  -> flag      same three-valued result
 *   NOT (x [NOT] IN/LIKE/BETWEEN/IS DISTINCT)   idem: x NOT IN is NOT (x IN)
 *   NOT (a op b), op a comparison -> a op' b    NULL in, NULL out on both
 *   (x) where precedence makes it redundant     the generator re-adds
 *                                               parentheses where needed
 *   CAST(CAST(x AS T) AS T) -> CAST(x AS T)     the outer cast is a no-op
 *   CAST(x AS T), x already of type T -> x      (with the annotation)
 *   type aliases (INT, INT8, TEXT, ...)         DuckDB's name for the type
 *   ORDER BY <an output column's expression>    ORDER BY its output name
 *   date_col < '1995-03-15'                     date_col < DATE '1995-03-15'
 *                                               (DuckDB's own implicit cast)
 *   x = 1 OR x = 2, x <> 1 AND x <> 2           x [NOT] IN (1, 2) (integer or
 *                                               string literals); x IN (1) -> x = 1
 *   COUNT(<integer or string literal>)          COUNT(*)   (opt/respell.h)
 * Constant GROUP BY / ORDER BY items are left alone (opt/rewrite.h).
 * `||` and concat() stay distinct (concat skips NULLs, || does not).
 * Options: BETWEEN expanded to two comparisons (only over a column or a
 * literal, which can be evaluated twice), commutative operands ordered by
 * structural hash.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opt/fn_class.h"
#include "opt/respell.h"
#include "opt/rewrite.h"
#include "unifier/opt.h"

typedef struct canon {
  uf_tree *t;
  const uf_rewrite_options *o;
  uf_status st;
} canon;

static const char *intern(canon *c, const char *s) {
  const char *r = uf_intern(c->t, s, strlen(s));
  if (r == NULL) c->st = UF_NOMEM;
  return r;
}

/* The comparison NOT (a op b) equals: a negated op b. */
static const char *negated_cmp(const char *op) {
  static const char *const PAIRS[][2] = {{"=", "<>"}, {"<>", "="}, {"<", ">="},
                                         {">=", "<"}, {">", "<="}, {"<=", ">"}};
  for (size_t i = 0; i < sizeof PAIRS / sizeof *PAIRS; i++)
    if (strcmp(op, PAIRS[i][0]) == 0) return PAIRS[i][1];
  return NULL;
}

static bool is_predicate(const uf_node *n) {
  if (n == NULL) return false;
  switch ((uf_kind)n->kind) {
  case UF_IS: case UF_IS_DISTINCT: case UF_BETWEEN: case UF_IN: case UF_LIKE:
    return true;
  case UF_BINARY: return uf_rw_is_cmp_op(n->text);
  default: return false;
  }
}

/* A parenthesized expression the parent can hold without the parentheses.
 * Kept: under a prefix/postfix operator ("- -x" would read as a comment,
 * "(t).x" as a column), and a predicate inside a predicate (comparisons do
 * not associate in DuckDB's grammar). */
static bool paren_redundant(const uf_node *parent, const uf_node *p) {
  const uf_node *x = p->kids[0];
  if (x == NULL) return false;
  uf_category cat = uf_kind_category((uf_kind)x->kind);
  if (cat != UF_CAT_EXPR && cat != UF_CAT_ATOM) return false;
  switch ((uf_kind)parent->kind) {
  case UF_UNARY: case UF_DOT: case UF_SUBSCRIPT: case UF_SLICE: case UF_COLLATE:
  case UF_EXTRACT: case UF_INTERVAL: case UF_LAMBDA:
    return false;
  default: break;
  }
  if (uf_is(parent, UF_PAREN)) return true; /* ((x)) */
  if (is_predicate(parent) && is_predicate(x)) return false;
  return true;
}

static void unwrap_parens(uf_node *n) {
  uint32_t first = 0; /* most nodes have no parenthesized child: done */
  while (first < n->nkids && !uf_is(n->kids[first], UF_PAREN)) first++;
  if (first == n->nkids || uf_kind_category((uf_kind)n->kind) == UF_CAT_TABLE) return;
  /* A list may be a GROUP BY: a constant item keeps its parentheses
   * (GROUP BY (- -5) is an expression, GROUP BY - -5 a position). */
  bool lst = uf_is(n, UF_LIST) || uf_is(n, UF_ORDERED);
  for (uint32_t i = first; i < n->nkids; i++) {
    uf_node *k = n->kids[i];
    if (lst && uf_is(k, UF_PAREN) && uf_rw_constant(k)) continue;
    while (uf_is(k, UF_PAREN) && paren_redundant(n, k)) {
      uf_node *x = k->kids[0];
      if (x->comments == NULL) x->comments = k->comments;
      n->kids[i] = k = x;
    }
  }
}

/* Type names in DuckDB's canonical spelling (aliases DuckDB resolves to
 * the same type). */
static const char *canonical_type(const char *name) {
  static const char *const MAP[][2] = {
      {"INT", "INTEGER"},   {"INT4", "INTEGER"},  {"SIGNED", "INTEGER"},
      {"INT8", "BIGINT"},   {"LONG", "BIGINT"},   {"INT2", "SMALLINT"},
      {"SHORT", "SMALLINT"}, {"INT1", "TINYINT"}, {"FLOAT4", "FLOAT"},
      {"REAL", "FLOAT"},    {"FLOAT8", "DOUBLE"}, {"DOUBLE PRECISION", "DOUBLE"},
      {"BOOL", "BOOLEAN"},  {"LOGICAL", "BOOLEAN"}, {"STRING", "VARCHAR"},
      {"TEXT", "VARCHAR"},  {"BYTEA", "BLOB"},    {"VARBINARY", "BLOB"},
      {"BINARY", "BLOB"}};
  for (size_t i = 0; i < sizeof MAP / sizeof *MAP; i++)
    if (strcmp(name, MAP[i][0]) == 0) return MAP[i][1];
  return NULL;
}

/* NOT x folded into x where x has a NOT flag or a negated comparison. */
static uf_node *fold_not(canon *c, uf_node *n) {
  uf_node *x = uf_get(n, UF_SLOT_THIS);
  if (x == NULL) return n;
  switch ((uf_kind)x->kind) {
  case UF_IS: case UF_IS_DISTINCT: case UF_IN: case UF_LIKE: case UF_BETWEEN:
    x->flags ^= (uint32_t)UF_F_NOT;
    return x;
  case UF_BINARY: {
    /* x <> ALL (q) negates to x = ANY (q), not x = ALL (q): left alone */
    const char *neg = negated_cmp(x->text);
    if (neg == NULL || uf_is(x->kids[0], UF_QUANTIFIED) || uf_is(x->kids[1], UF_QUANTIFIED))
      return n;
    x->text = intern(c, neg);
    x->style = 0;
    return x;
  }
  default: return n;
  }
}

static uf_node *mk_cmp(canon *c, const char *op, uf_node *l, uf_node *r) {
  uf_node *b = uf_node_new_text(c->t, UF_BINARY, op, strlen(op));
  if (b == NULL) { c->st = UF_NOMEM; return NULL; }
  b->kids[0] = l;
  b->kids[1] = r;
  return b;
}

/* x BETWEEN a AND b -> x >= a AND x <= b; NOT: x < a OR x > b. Only when x
 * is a column or literal (evaluated twice) and not SYMMETRIC. */
static uf_node *expand_between(canon *c, uf_node *n) {
  uf_node *x = uf_get(n, UF_SLOT_THIS);
  uf_node *lo = uf_get(n, UF_SLOT_LOW), *hi = uf_get(n, UF_SLOT_HIGH);
  if (!x || !lo || !hi || (n->flags & UF_F_SYMMETRIC)) return n;
  uf_category cat = uf_kind_category((uf_kind)x->kind);
  if (!uf_is(x, UF_COLUMN) && cat != UF_CAT_ATOM) return n;
  if (uf_is(x, UF_PARAM)) return n; /* would change the parameter count */
  bool neg = (n->flags & UF_F_NOT) != 0;
  uf_node *x2 = uf_node_copy(c->t, x);
  uf_node *a = mk_cmp(c, neg ? "<" : ">=", x, lo);
  uf_node *b = mk_cmp(c, neg ? ">" : "<=", x2, hi);
  uf_node *j = uf_node_new(c->t, neg ? UF_OR : UF_AND);
  if (!x2 || !a || !b || !j) { c->st = UF_NOMEM; return n; }
  j->kids[0] = a;
  j->kids[1] = b;
  return j;
}

static bool commutative(const uf_node *n) {
  if (uf_is(n, UF_AND) || uf_is(n, UF_OR)) return true;
  if (!uf_is(n, UF_BINARY)) return false;
  /* + and * swap their two operands only: a chain is never reassociated
   * (integer overflow and float rounding depend on the grouping). */
  static const char *const OPS[] = {"=", "<>", "*", "+", NULL};
  for (int i = 0; OPS[i]; i++)
    if (strcmp(n->text, OPS[i]) == 0) return true;
  return false;
}

/* Operands ordered by structural hash (then kind): a deterministic order
 * that does not depend on how the query was written. */
static void sort_operands(uf_node *n) {
  uf_node *l = n->kids[0], *r = n->kids[1];
  if (!l || !r) return;
  uint64_t hl = uf_node_hash(l), hr = uf_node_hash(r);
  if (hl > hr) {
    n->kids[0] = r;
    n->kids[1] = l;
  }
}

/* AND and OR associate in three-valued logic, so a whole chain is one
 * operand list: flattened, ordered by hash, rebuilt left-deep on the same
 * connector nodes (a chain of k operands has k - 1 of them). */
#define CHAIN_MAX 256

static void chain_collect(uf_node *n, uf_kind k, uf_node **ops, uf_node **links, size_t *nops,
                          size_t *nlinks, bool *full) {
  if (uf_is(n, k) && n->comments == NULL && *nlinks < CHAIN_MAX) {
    links[(*nlinks)++] = n;
    chain_collect(n->kids[0], k, ops, links, nops, nlinks, full);
    chain_collect(n->kids[1], k, ops, links, nops, nlinks, full);
    return;
  }
  if (*nops < CHAIN_MAX + 1) ops[(*nops)++] = n;
  else *full = true;
}

static uf_node *sort_chain(uf_node *n) {
  uf_node *ops[CHAIN_MAX + 1], *links[CHAIN_MAX];
  size_t nops = 0, nlinks = 0;
  bool full = false;
  chain_collect(n, (uf_kind)n->kind, ops, links, &nops, &nlinks, &full);
  if (full || nops != nlinks + 1 || nops < 2) {
    sort_operands(n);
    return n;
  }
  qsort(ops, nops, sizeof *ops, uf_rw_cmp_hash);
  /* links[0] (n) stays the root: ((o0 op o1) op o2) ... */
  uf_node *acc = ops[0];
  for (size_t i = 1; i < nops; i++) {
    uf_node *l = links[nops - 1 - i];
    l->kids[0] = acc;
    l->kids[1] = ops[i];
    acc = l;
  }
  return acc;
}

/* A string literal compared with a DATE, TIME or TIMESTAMP operand is
 * written as the typed literal DuckDB casts it to anyway (the one implicit
 * cast a string constant gets), so o_orderdate < '1995-03-15' and
 * o_orderdate < DATE '1995-03-15' are one spelling. Needs the annotation. */
static const char *temporal_type_name(const uf_type *ty) {
  if (ty == NULL) return NULL;
  switch (ty->id) {
  case UF_T_DATE: return "DATE";
  case UF_T_TIME: return "TIME";
  case UF_T_TIMESTAMP: return "TIMESTAMP";
  case UF_T_TIMESTAMP_TZ: return "TIMESTAMP WITH TIME ZONE";
  default: return NULL;
  }
}

static uf_node *typed_string(canon *c, uf_node *lit, const uf_node *other) {
  if (!uf_is(lit, UF_STRING) || c->o->types == NULL) return lit;
  const char *tn = temporal_type_name(uf_node_type(c->o->types, other));
  if (tn == NULL) return lit;
  uf_node *cast = uf_node_new(c->t, UF_CAST), *ty = uf_node_new_text(c->t, UF_TYPE, tn, strlen(tn));
  if (!cast || !ty) {
    c->st = UF_NOMEM;
    return lit;
  }
  cast->kids[0] = lit;
  cast->kids[1] = ty;
  return cast;
}

static void type_compared_strings(canon *c, uf_node *n) {
  if (uf_is(n, UF_BINARY) && uf_rw_is_cmp_op(n->text) && n->kids[0] && n->kids[1]) {
    uf_node *l = n->kids[0], *r = n->kids[1];
    n->kids[0] = typed_string(c, l, r);
    n->kids[1] = typed_string(c, r, l);
  } else if (uf_is(n, UF_BETWEEN) && n->kids[0]) {
    n->kids[1] = typed_string(c, n->kids[1], n->kids[0]);
    n->kids[2] = typed_string(c, n->kids[2], n->kids[0]);
  }
}

/* ORDER BY a key that is exactly one output column's expression names
 * that column instead: DuckDB binds a bare ORDER BY name to the select
 * list first, so `SELECT t.a AS x ... ORDER BY t.a` and `... ORDER BY x`
 * sort alike and get one spelling. Not for volatile expressions (the key
 * and the column would be two draws) nor names two columns share. */
static const uf_node *unique_output(const uf_node *exprs, const uf_node *key) {
  const uf_node *hit = NULL;
  for (uint32_t i = 0; i < exprs->nkids; i++) {
    const uf_node *a = exprs->kids[i];
    if (!uf_is(a, UF_ALIAS) || !uf_node_equal(uf_get(a, UF_SLOT_THIS), key, false)) continue;
    if (hit) return NULL;
    hit = a;
  }
  if (hit == NULL) return NULL;
  const uf_node *name = uf_get(hit, UF_SLOT_ALIAS);
  if (!uf_is(name, UF_IDENT)) return NULL;
  for (uint32_t i = 0; i < exprs->nkids; i++) {
    const uf_node *a = exprs->kids[i];
    const uf_node *other = uf_is(a, UF_ALIAS) ? uf_get(a, UF_SLOT_ALIAS) : NULL;
    if (a != hit && uf_is(other, UF_IDENT) && strcasecmp(other->text, name->text) == 0)
      return NULL;
  }
  return name;
}

static void order_by_output_names(canon *c, uf_node *sel) {
  uf_node *exprs = uf_get(sel, UF_SLOT_EXPRS), *ob = uf_get(sel, UF_SLOT_ORDER);
  uf_node *keys = ob ? uf_get(ob, UF_SLOT_EXPRS) : NULL;
  if (!exprs || !keys || !uf_is(keys, UF_LIST)) return;
  for (uint32_t i = 0; i < keys->nkids; i++) {
    uf_node *o = keys->kids[i];
    uf_node *k = uf_is(o, UF_ORDERED) ? uf_get(o, UF_SLOT_THIS) : NULL;
    if (k == NULL || (uf_is(k, UF_COLUMN) && uf_get(k, UF_SLOT_TABLE) == NULL)) continue;
    if (uf_rw_constant(k) || uf_rw_volatile(k)) continue;
    const uf_node *name = unique_output(exprs, k);
    if (name == NULL) continue;
    uf_node *col = uf_node_new(c->t, UF_COLUMN);
    uf_node *id = uf_node_copy(c->t, name);
    if (!col || !id) {
      c->st = UF_NOMEM;
      return;
    }
    if (uf_set(col, UF_SLOT_THIS, id, NULL) != UF_OK) return;
    col->comments = k->comments;
    o->kids[0] = col;
  }
}

static uf_node *canon_node(uf_node *n, void *vctx, uf_status *st) {
  canon *c = vctx;
  unwrap_parens(n);
  uf_node *r = n;
  switch ((uf_kind)n->kind) {
  case UF_CAST: {
    n->style = 0;
    /* a cast to the type its operand already has is the identity */
    if (c->o->types) {
      const uf_type *to = uf_node_type(c->o->types, n);
      const uf_type *from = uf_node_type(c->o->types, uf_get(n, UF_SLOT_THIS));
      if (to && from && to->id != UF_T_UNKNOWN && to->id != UF_T_OTHER &&
          uf_type_equal(to, from)) {
        r = uf_get(n, UF_SLOT_THIS);
        break;
      }
    }
    /* CAST(CAST(x AS T) AS T): the outer cast is a no-op */
    uf_node *in = uf_get(n, UF_SLOT_THIS);
    if (uf_is(in, UF_CAST) && uf_node_equal(uf_get(in, UF_SLOT_TO), uf_get(n, UF_SLOT_TO), false))
      r = in;
    break;
  }
  case UF_TYPE: {
    const char *ct = canonical_type(n->text);
    if (ct && uf_get(n, UF_SLOT_ARGS) == NULL) n->text = intern(c, ct);
    break;
  }
  case UF_BINARY: { /* != and == are spellings of <> and = */
    const char *op = n->text;
    bool eq = op[0] == '=' && op[1] == 0, eqeq = op[0] == '=' && op[1] == '=' && op[2] == 0;
    if (eqeq) n->text = intern(c, "=");
    if (eq || eqeq || (op[0] == '<' && op[1] == '>' && op[2] == 0)) n->style = 0;
    type_compared_strings(c, n);
    break;
  }
  case UF_NOT: r = fold_not(c, n); break;
  case UF_AND: case UF_OR: case UF_IN: case UF_FUNC:
    r = uf_respell(c->t, c->o->types, c->o->sort_commutative, n, &c->st);
    break;
  case UF_SELECT: order_by_output_names(c, n); break;
  case UF_BETWEEN:
    type_compared_strings(c, n);
    if (c->o->expand_between) r = expand_between(c, n);
    break;
  default: break;
  }
  if (c->o->sort_commutative && (uf_is(r, UF_AND) || uf_is(r, UF_OR))) r = sort_chain(r);
  else if (c->o->sort_commutative && commutative(r)) sort_operands(r);
  if (c->st != UF_OK) *st = c->st;
  return r;
}

uf_status uf_canonicalize(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                          uf_node **out_root, uf_error *err) {
  uf_rewrite_options defaults;
  if (o == NULL) {
    memset(&defaults, 0, sizeof defaults);
    o = &defaults;
  }
  canon c = {t, o, UF_OK};
  uf_node *r = NULL;
  uf_status st = uf_rw_transform(root, canon_node, &c, &r, err);
  if (st != UF_OK) return st;
  /* A parenthesized root expression (a builder tree) loses them too. */
  *out_root = uf_rw_unparen(r);
  return UF_OK;
}
