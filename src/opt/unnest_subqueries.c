/*
 * unnest_subqueries (declared in unifier/opt.h): subqueries in top-level
 * WHERE conjuncts turned into joins (SQLGlot's unnest_subqueries), where
 * the join provably gives every outer row exactly the value or the
 * existence answer the subquery gave:
 *
 *   x IN (SELECT v FROM ...)            uncorrelated
 *     -> LEFT JOIN (SELECT v AS a FROM ... GROUP BY v) AS _u_0 ON x = _u_0.a,
 *        the conjunct -> _u_0.a IS NOT NULL
 *   [NOT] EXISTS (SELECT ... FROM ... WHERE y.k = x.k AND rest)
 *     -> LEFT JOIN (SELECT y.k AS _u_1 FROM ... WHERE rest GROUP BY y.k)
 *        AS _u_0 ON x.k = _u_0._u_1, the conjunct -> _u_0._u_1 IS [NOT] NULL
 *   x op (SELECT agg-expr FROM ... [WHERE y.k = x.k AND rest])
 *     uncorrelated: CROSS JOIN (the subquery) AS _u_0 (an aggregate without
 *     GROUP BY is one row); correlated: LEFT JOIN (SELECT agg-expr AS v,
 *     y.k AS _u_1 ... GROUP BY y.k) AS _u_0 ON x.k = _u_0._u_1, only when
 *     every aggregate gives NULL on no rows (SUM, MIN, MAX, AVG,
 *     ANY_VALUE; not COUNT) and the expression around them keeps NULL;
 *     the subquery -> _u_0.v
 *
 * Validity: the grouped side has at most one row per outer row because an
 * equality key pairs two columns of one schema type (no implicit cast can
 * make two groups equal to one value; floating types are left alone), so
 * the LEFT JOIN neither drops nor repeats outer rows; a NULL key matches
 * nothing on both sides. Left alone: NOT IN (NULL semantics), anything
 * under OR/NOT (other than NOT EXISTS), HAVING, ON, select lists, LIMIT/
 * OFFSET, windows, correlation other than `inner col = outer col` conjuncts
 * of the subquery's WHERE, a correlation to a query further out, columns
 * whose type the schema does not give (followed through derived tables
 * and the CTEs in scope), an unexpanded star in the outer select list,
 * non-deterministic calls, and an outer query whose aggregates or windows
 * depend on the order rows reach them (a new join may change that order:
 * SUM/AVG over DOUBLE, string_agg, list, first, windows; COUNT, MIN, MAX
 * and integer or DECIMAL sums are order-free) -- DuckDB sums doubles in
 * arrival order, so the last bits would differ.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opt/names.h"
#include "opt/rewrite.h"
#include "sql/query_style.h"
#include "opt/fn_class.h"
#include "unifier/opt.h"

typedef uf_name_list names_set;

#define MAX_SCOPE 64

typedef struct U {
  uf_tree *t;
  uf_node *root;
  const uf_schema *schema;
  uf_names *names; /* opened on the first rewrite */
  /* the CTEs in scope where the visit is (innermost last); a table of
   * that name reads the CTE, not the schema */
  struct scope_cte { uf_node *cte; bool recursive; } scope[MAX_SCOPE];
  size_t nscope;
  bool scope_full;
  uf_status st;
} U;

static uf_node *kid(const uf_node *n, uf_slot s) { return uf_get(n, s); }

static int slot(uf_kind k, uf_slot s) { return uf_kind_slot_index(k, s); }

static const char *ident_text(const uf_node *n) {
  return uf_is(n, UF_IDENT) ? n->text : NULL;
}

/* Names compare as DuckDB binds them: ASCII case-insensitively. Interned
 * texts make the common equal case a pointer compare. */
static const char *alias_name(const uf_node *item) {
  uf_node *a = kid(item, UF_SLOT_ALIAS);
  return uf_is(a, UF_TABLE_ALIAS) ? ident_text(kid(a, UF_SLOT_NAME)) : NULL;
}

/* uf_fn_name_in, with the first character compared case-insensitively
 * before strcasecmp: most names fail there. */
static bool name_in(const char *name, const char *const *list) {
  int first = name[0] | 0x20;
  for (size_t i = 0; list[i]; i++)
    if ((list[i][0] | 0x20) == first && strcasecmp(name, list[i]) == 0) return true;
  return false;
}

static bool is_agg_fn(const uf_node *n) {
  return uf_is(n, UF_FUNC) && !kid(n, UF_SLOT_OVER) && uf_fn_aggregate(n->text);
}

/* Aggregates whose value over no rows is NULL. */
static bool null_on_empty(const uf_node *n) {
  static const char *const A[] = {"sum", "min", "max", "avg", "any_value", NULL};
  return uf_is(n, UF_FUNC) && !kid(n, UF_SLOT_OVER) && name_in(n->text, A);
}

/* A window, a volatile call or a sample (random rows) under n. */
static bool unsafe(const uf_node *n) {
  if (n == NULL) return false;
  if (uf_is(n, UF_FUNC) && (kid(n, UF_SLOT_OVER) || uf_fn_volatile(n->text))) return true;
  if (uf_is(n, UF_SAMPLE)) return true;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (unsafe(n->kids[i])) return true;
  return false;
}

static int has_agg_cb(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) return 1;
  return is_agg_fn(n) || uf_is(n, UF_GROUPING) ? 2 : 0;
}

static bool has_agg(uf_node *n) { return n && uf_walk(n, has_agg_cb, NULL) == 2; }

/* -- name sets ------------------------------------------------------------------ */

/* Collects into `out` the qualifiers n reads from outside itself: a
 * SELECT resolves the aliases of its FROM items, for its own columns and
 * those of the queries nested in it. *bad on an unqualified column. */
static void leaf_aliases(uf_node *n, names_set *own);

static void ext_of(uf_node *n, names_set *out, bool *bad) {
  if (n == NULL || *bad) return;
  if (uf_is(n, UF_COLUMN)) {
    const char *q = ident_text(kid(n, UF_SLOT_TABLE));
    if (q == NULL || kid(n, UF_SLOT_DB) || kid(n, UF_SLOT_CATALOG)) *bad = true;
    else uf_name_list_add(out, q);
    return;
  }
  if (uf_is(n, UF_LAMBDA)) {
    *bad = true; /* parameters read as unqualified columns */
    return;
  }
  if (!uf_is(n, UF_SELECT)) {
    for (uint32_t i = 0; i < n->nkids; i++) ext_of(n->kids[i], out, bad);
    return;
  }
  names_set own = {0}, inner = {0};
  leaf_aliases(kid(n, UF_SLOT_FROM), &own);
  for (uint32_t i = 0; i < n->nkids; i++) ext_of(n->kids[i], &inner, bad);
  for (size_t i = 0; i < inner.n; i++)
    if (!uf_name_list_has(&own, inner.v[i])) uf_name_list_add(out, inner.v[i]);
  if (own.oom || inner.oom) *bad = true;
  free(own.v), free(inner.v);
}

/* Qualifiers read under n that are not in `defined`. */
static bool reads_any_of(uf_node *n, const names_set *names) {
  if (n == NULL) return false;
  if (uf_is(n, UF_COLUMN)) return uf_name_list_has(names, ident_text(kid(n, UF_SLOT_TABLE)));
  for (uint32_t i = 0; i < n->nkids; i++)
    if (reads_any_of(n->kids[i], names)) return true;
  return false;
}

/* -- sources and types ------------------------------------------------------------ */

/* The leaves of a FROM join tree (NULL when the tree has other shapes). */
#define MAX_LEAVES 64
typedef struct leaves {
  uf_node *v[MAX_LEAVES];
  size_t n;
  bool bad;
} leaves;

static void collect_leaves(leaves *l, uf_node *n) {
  if (n == NULL) return;
  if (uf_is(n, UF_JOIN)) {
    collect_leaves(l, kid(n, UF_SLOT_LEFT));
    collect_leaves(l, kid(n, UF_SLOT_RIGHT));
    return;
  }
  if (l->n == MAX_LEAVES) l->bad = true;
  else l->v[l->n++] = n;
}

static void leaf_aliases(uf_node *n, names_set *own) {
  if (uf_is(n, UF_JOIN)) {
    leaf_aliases(kid(n, UF_SLOT_LEFT), own);
    leaf_aliases(kid(n, UF_SLOT_RIGHT), own);
  } else if (n) {
    uf_name_list_add(own, alias_name(n));
  }
}

static uf_node *leaf_named(const leaves *l, const char *alias) {
  for (size_t i = 0; i < l->n; i++)
    if (uf_same_name(alias_name(l->v[i]), alias)) return l->v[i];
  return NULL;
}

/* The schema type of column c read from the sources `l`, or NULL: a
 * schema table's column, or through a derived table a plain column of its
 * select list (a few levels). A name some CTE defines is not looked up. */
static const char *column_type_at(U *u, const leaves *l, const uf_node *c, int depth);

/* The type of output `col` of query q (a plain column item of a SELECT). */
static const char *output_type(U *u, const uf_node *q, const uf_node *alias, const char *col,
                               int depth) {
  uf_node *ex = kid(q, UF_SLOT_EXPRS);
  /* its own CTEs are not in the visit's scope: not followed */
  if (!uf_is(q, UF_SELECT) || !uf_is(ex, UF_LIST) || kid(alias, UF_SLOT_COLUMNS) ||
      kid(q, UF_SLOT_WITH))
    return NULL;
  for (uint32_t i = 0; i < ex->nkids; i++) {
    uf_node *a = ex->kids[i];
    if (!uf_is(a, UF_ALIAS) || !uf_same_name(ident_text(kid(a, UF_SLOT_ALIAS)), col)) continue;
    leaves inner = {.n = 0};
    collect_leaves(&inner, kid(q, UF_SLOT_FROM));
    return inner.bad ? NULL : column_type_at(u, &inner, kid(a, UF_SLOT_THIS), depth + 1);
  }
  return NULL;
}

static const char *column_type_at(U *u, const leaves *l, const uf_node *c, int depth) {
  if (u->schema == NULL || !uf_is(c, UF_COLUMN) || depth > 4) return NULL;
  uf_node *src = leaf_named(l, ident_text(kid(c, UF_SLOT_TABLE)));
  const char *col = ident_text(kid(c, UF_SLOT_THIS));
  if (col == NULL) return NULL;
  if (uf_is(src, UF_DERIVED))
    return output_type(u, kid(src, UF_SLOT_THIS), kid(src, UF_SLOT_ALIAS), col, depth);
  if (!uf_is(src, UF_TABLE)) return NULL;
  const char *cat = ident_text(kid(src, UF_SLOT_CATALOG));
  const char *db = ident_text(kid(src, UF_SLOT_DB));
  const char *name = ident_text(kid(src, UF_SLOT_THIS));
  if (name == NULL) return NULL;
  if (!db && !cat) {
    if (u->scope_full) return NULL;
    for (size_t i = u->nscope; i-- > 0;) {
      if (!uf_same_name(alias_name(u->scope[i].cte), name)) continue;
      if (u->scope[i].recursive) return NULL;
      uf_node *cte = u->scope[i].cte;
      return output_type(u, kid(cte, UF_SLOT_THIS), kid(cte, UF_SLOT_ALIAS), col, depth);
    }
  }
  const char *ty = NULL;
  if (uf_schema_column_type(u->schema, cat, db, name, col, &ty, NULL) != UF_OK) return NULL;
  return ty && ty[0] ? ty : NULL;
}

static const char *column_type(U *u, const leaves *l, const uf_node *c) {
  return column_type_at(u, l, c, 0);
}

static bool is_int_type(const char *t) {
  static const char *const I[] = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                                  "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
                                  NULL};
  return name_in(t, I);
}

/* Two columns whose equality is the grouping equivalence of each side:
 * one exact non-floating schema type, or two integer types (widening is
 * injective, so no two groups equal one value). */
static bool same_key_type(const char *a, const char *b) {
  if (a == NULL || b == NULL) return false;
  if (is_int_type(a) && is_int_type(b)) return true;
  if (strcmp(a, b) != 0) return false;
  static const char *const FLOATS[] = {"FLOAT", "DOUBLE", "REAL", NULL};
  for (size_t i = 0; FLOATS[i]; i++)
    if (strstr(a, FLOATS[i])) return false;
  return true;
}

/* -- node builders -------------------------------------------------------------------- */

static uf_node *mk(U *u, uf_kind k) {
  uf_node *n = uf_node_new(u->t, k);
  if (n == NULL) u->st = UF_NOMEM;
  return n;
}

static uf_node *mk_ident(U *u, const char *text) {
  uf_node *n = uf_node_new_text(u->t, UF_IDENT, text, strlen(text));
  if (n == NULL) u->st = UF_NOMEM;
  return n;
}

static uf_node *mk_column(U *u, const char *table, const char *name) {
  uf_node *c = mk(u, UF_COLUMN), *ti = mk_ident(u, table), *ni = mk_ident(u, name);
  if (u->st) return NULL;
  c->kids[slot(UF_COLUMN, UF_SLOT_TABLE)] = ti;
  c->kids[slot(UF_COLUMN, UF_SLOT_THIS)] = ni;
  return c;
}

static uf_node *mk_binary(U *u, uf_kind k, const char *op, uf_node *l, uf_node *r) {
  uf_node *n = op ? uf_node_new_text(u->t, k, op, strlen(op)) : uf_node_new(u->t, k);
  if (n == NULL) {
    u->st = UF_NOMEM;
    return NULL;
  }
  n->kids[slot(k, UF_SLOT_LEFT)] = l;
  n->kids[slot(k, UF_SLOT_RIGHT)] = r;
  return n;
}

static uf_node *mk_and(U *u, uf_node *a, uf_node *b) {
  if (a == NULL) return b;
  if (b == NULL) return a;
  return mk_binary(u, UF_AND, NULL, a, b);
}

static uf_node *mk_alias(U *u, uf_node *e, const char *name) {
  uf_node *a = mk(u, UF_ALIAS), *id = mk_ident(u, name);
  if (u->st) return NULL;
  a->kids[slot(UF_ALIAS, UF_SLOT_THIS)] = e;
  a->kids[slot(UF_ALIAS, UF_SLOT_ALIAS)] = id;
  return a;
}

/* `col IS [NOT] NULL`. */
static uf_node *mk_is_null(U *u, uf_node *col, bool not) {
  uf_node *n = mk_binary(u, UF_IS, NULL, col, mk(u, UF_NULL));
  if (n && not) n->flags |= UF_F_NOT;
  return n;
}

/* An identifier a fresh "_u_<N>" could spell (case-insensitively). */
static bool u_spelled(const char *s) {
  return s[0] == '_' && (s[1] == 'u' || s[1] == 'U') && s[2] == '_';
}

/* Adds the identifiers under n that fresh names could collide with: only
 * those decide which names are free, so the set stays tiny. */
static void add_u_names(U *u, const uf_node *n) {
  if (uf_is(n, UF_IDENT)) {
    uf_error e;
    if (u_spelled(n->text) && uf_names_add(u->names, n->text, &e) != UF_OK) u->st = UF_NOMEM;
    return;
  }
  for (uint32_t i = 0; i < n->nkids && u->st == UF_OK; i++)
    if (n->kids[i]) add_u_names(u, n->kids[i]);
}

static const char *fresh(U *u) {
  uf_error e;
  if (u->names == NULL) {
    if (uf_names_open(NULL, &u->names, &e) != UF_OK) {
      u->st = UF_NOMEM;
      return NULL;
    }
    add_u_names(u, u->root);
    if (u->st) return NULL;
  }
  const char *s = NULL;
  if (uf_names_fresh(u->names, u->t, "_u", &s, &e) != UF_OK) {
    u->st = e.code ? e.code : UF_ERROR;
    return NULL;
  }
  return s;
}

/* S.FROM <- S.FROM <kind> JOIN (q) AS alias [ON on]. */
static void add_join(U *u, uf_node *sel, const char *kind, uf_node *q, const char *alias,
                     uf_node *on) {
  uf_node *d = mk(u, UF_DERIVED), *ta = mk(u, UF_TABLE_ALIAS), *id = mk_ident(u, alias);
  uf_node *j = uf_node_new_text(u->t, UF_JOIN, kind, strlen(kind));
  if (u->st || j == NULL) {
    u->st = UF_NOMEM;
    return;
  }
  ta->kids[slot(UF_TABLE_ALIAS, UF_SLOT_NAME)] = id;
  d->kids[slot(UF_DERIVED, UF_SLOT_THIS)] = q;
  d->kids[slot(UF_DERIVED, UF_SLOT_ALIAS)] = ta;
  int fi = slot(UF_SELECT, UF_SLOT_FROM);
  /* commas bind loosest: "a, b LEFT JOIN q" would join q to b alone, so
   * the comma joins of the left spine are spelled CROSS JOIN */
  for (uf_node *l = sel->kids[fi]; uf_is(l, UF_JOIN); l = kid(l, UF_SLOT_LEFT))
    l->style &= (uint8_t)~JS_COMMA;
  j->kids[slot(UF_JOIN, UF_SLOT_LEFT)] = sel->kids[fi];
  j->kids[slot(UF_JOIN, UF_SLOT_RIGHT)] = d;
  j->kids[slot(UF_JOIN, UF_SLOT_ON)] = on;
  sel->kids[fi] = j;
}

static uf_node *list_of(U *u, uf_node **items, size_t n) {
  uf_node *l = mk(u, UF_LIST);
  for (size_t i = 0; l && i < n && u->st == UF_OK; i++)
    if (uf_list_push(u->t, l, items[i], NULL) != UF_OK) u->st = UF_NOMEM;
  return l;
}

/* -- the subquery ------------------------------------------------------------------------ */

/* A SELECT with one ALIAS output and none of the clauses the rewrites
 * cannot carry: WITH (its CTEs would leave the type lookup's scope),
 * LIMIT/OFFSET, ORDER BY, windows, QUALIFY, DISTINCT ON, SAMPLE, INTO; no
 * window, sample or volatile call anywhere. */
static bool sub_shape_ok(uf_node *q) {
  static const uf_slot NONE[] = {UF_SLOT_WITH, UF_SLOT_DISTINCT_ON, UF_SLOT_INTO,
                                 UF_SLOT_WINDOW, UF_SLOT_QUALIFY, UF_SLOT_ORDER,
                                 UF_SLOT_LIMIT, UF_SLOT_OFFSET, UF_SLOT_SAMPLE};
  if (!uf_is(q, UF_SELECT) || !kid(q, UF_SLOT_FROM)) return false;
  for (size_t i = 0; i < sizeof NONE / sizeof *NONE; i++)
    if (kid(q, NONE[i])) return false;
  uf_node *ex = kid(q, UF_SLOT_EXPRS);
  if (!uf_is(ex, UF_LIST) || ex->nkids != 1 || !uf_is(ex->kids[0], UF_ALIAS) ||
      !ident_text(kid(ex->kids[0], UF_SLOT_ALIAS)) || !kid(ex->kids[0], UF_SLOT_THIS))
    return false;
  return !unsafe(q);
}

static void flatten_and(uf_node *n, uf_node **out, size_t *k, size_t cap, bool *bad) {
  while (uf_is(n, UF_PAREN)) n = kid(n, UF_SLOT_THIS);
  if (uf_is(n, UF_AND)) {
    flatten_and(kid(n, UF_SLOT_LEFT), out, k, cap, bad);
    flatten_and(kid(n, UF_SLOT_RIGHT), out, k, cap, bad);
    return;
  }
  if (*k == cap) *bad = true;
  else out[(*k)++] = n;
}

#define MAX_KEYS 16
#define MAX_CONJ 64

/* The correlation of subquery q with the outer SELECT's sources: its
 * WHERE's `inner col = outer col` conjuncts become keys (inner, outer
 * pairs of columns), the other conjuncts `rest`. False when q reads the
 * outer scope any other way or a key's types differ. */
typedef struct corr {
  uf_node *inner[MAX_KEYS], *outer[MAX_KEYS];
  size_t nkeys;
  uf_node *rest; /* AND of the other conjuncts, or NULL */
} corr;

static bool correlation(U *u, uf_node *q, const leaves *outer_src, corr *c) {
  c->nkeys = 0, c->rest = NULL;
  names_set ext = {0};
  bool bad_ext = false;
  ext_of(q, &ext, &bad_ext);
  bool ok = !bad_ext && !ext.oom;
  for (size_t i = 0; ok && i < ext.n; i++)
    if (!leaf_named(outer_src, ext.v[i])) ok = false; /* a scope further out */
  if (!ok) {
    free(ext.v);
    return false;
  }
  if (ext.n == 0) {
    free(ext.v);
    return true;
  }
  /* nothing but WHERE may read the outer scope */
  int wi = slot(UF_SELECT, UF_SLOT_WHERE);
  for (uint32_t i = 0; ok && i < q->nkids; i++)
    if ((int)i != wi && reads_any_of(q->kids[i], &ext)) ok = false;
  uf_node *conj[MAX_CONJ];
  size_t nc = 0;
  bool bad = false;
  if (ok) flatten_and(q->kids[wi], conj, &nc, MAX_CONJ, &bad);
  leaves inner_src = {.n = 0};
  collect_leaves(&inner_src, kid(q, UF_SLOT_FROM));
  if (bad || inner_src.bad) ok = false;
  for (size_t i = 0; ok && i < nc; i++) {
    uf_node *p = conj[i];
    if (!reads_any_of(p, &ext)) {
      c->rest = mk_and(u, c->rest, p);
      continue;
    }
    uf_node *l = kid(p, UF_SLOT_LEFT), *r = kid(p, UF_SLOT_RIGHT);
    if (!uf_is(p, UF_BINARY) || strcmp(p->text, "=") != 0 || !uf_is(l, UF_COLUMN) ||
        !uf_is(r, UF_COLUMN) || c->nkeys == MAX_KEYS) {
      ok = false;
      break;
    }
    if (reads_any_of(l, &ext)) { uf_node *x = l; l = r, r = x; }
    if (reads_any_of(l, &ext) || !reads_any_of(r, &ext) ||
        !same_key_type(column_type(u, &inner_src, l), column_type(u, outer_src, r))) {
      ok = false;
      break;
    }
    c->inner[c->nkeys] = l, c->outer[c->nkeys] = r, c->nkeys++;
  }
  free(ext.v);
  return ok && c->nkeys > 0 && u->st == UF_OK;
}

/* q becomes SELECT [value AS v,] inner_i AS key_i ... FROM .. WHERE rest
 * GROUP BY inner_i; the ON condition outer_i = alias.key_i goes to *on,
 * the first key's column to *first. */
static bool regroup(U *u, uf_node *q, corr *c, uf_node *value, const char *alias,
                    uf_node **on, uf_node **first) {
  uf_node *items[MAX_KEYS + 1], *groups[MAX_KEYS];
  size_t ni = 0;
  if (value) items[ni++] = value;
  *on = NULL, *first = NULL;
  for (size_t i = 0; i < c->nkeys && u->st == UF_OK; i++) {
    const char *k = fresh(u);
    if (k == NULL) return false;
    groups[i] = uf_node_copy(u->t, c->inner[i]);
    items[ni++] = mk_alias(u, c->inner[i], k);
    uf_node *col = mk_column(u, alias, k);
    if (i == 0) *first = mk_column(u, alias, k);
    *on = mk_and(u, *on, mk_binary(u, UF_BINARY, "=", c->outer[i], col));
    if (groups[i] == NULL) u->st = UF_NOMEM;
  }
  if (u->st) return false;
  uf_node *gb = mk(u, UF_GROUP_BY), *gl = list_of(u, groups, c->nkeys);
  uf_node *ex = list_of(u, items, ni);
  if (u->st) return false;
  gb->kids[slot(UF_GROUP_BY, UF_SLOT_EXPRS)] = gl;
  q->kids[slot(UF_SELECT, UF_SLOT_EXPRS)] = ex;
  q->kids[slot(UF_SELECT, UF_SLOT_WHERE)] = c->rest;
  q->kids[slot(UF_SELECT, UF_SLOT_GROUP)] = gb;
  q->flags &= ~(uint32_t)UF_F_DISTINCT;
  return true;
}

/* -- the three rewrites ------------------------------------------------------------------ */

/* x IN (SELECT v ...), uncorrelated. */
/* Arithmetic with a decimal or float literal operand (0.2 * avg(x)) is
 * DECIMAL or DOUBLE arithmetic, which does not overflow on our values. */
static bool decimal_arith(const uf_node *n) {
  if (!uf_is(n, UF_BINARY)) return false;
  for (int i = 0; i < 2; i++) {
    const uf_node *o = n->kids[i];
    if (uf_is(o, UF_NUMBER) && strpbrk(o->text, ".eE")) return true;
  }
  return false;
}

/* Something under n can fail on some rows (uf_rw_fallible_node: integer
 * arithmetic, a CAST), decimal arithmetic aside. A correlated subquery
 * grouped into a join is evaluated for every key of its rows, also those
 * no outer row has, where DuckDB evaluates the original only for the
 * outer rows' keys: the harness found an overflow the original never
 * reached. */
static bool may_fail(const uf_node *n) {
  if (!uf_rw_structural(n)) return false;
  if (uf_rw_fallible_node(n) && !decimal_arith(n)) return true;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (may_fail(n->kids[i])) return true;
  return false;
}

static uf_node *unnest_in(U *u, uf_node *sel, const leaves *src, uf_node *p) {
  uf_node *q = kid(p, UF_SLOT_QUERY), *x = kid(p, UF_SLOT_THIS);
  if ((p->flags & UF_F_NOT) || kid(p, UF_SLOT_LIST) || !uf_is(x, UF_COLUMN) ||
      !sub_shape_ok(q))
    return NULL;
  uf_node *item = kid(q, UF_SLOT_EXPRS)->kids[0];
  uf_node *v = kid(item, UF_SLOT_THIS);
  const char *vname = ident_text(kid(item, UF_SLOT_ALIAS));
  if (!uf_is(v, UF_COLUMN)) return NULL;
  corr c;
  if (!correlation(u, q, src, &c) || c.nkeys) return NULL; /* correlated: left alone */
  leaves inner_src = {.n = 0};
  collect_leaves(&inner_src, kid(q, UF_SLOT_FROM));
  if (inner_src.bad || !same_key_type(column_type(u, src, x), column_type(u, &inner_src, v)))
    return NULL;
  uf_node *g = kid(q, UF_SLOT_GROUP);
  if (g) {
    uf_node *gl = kid(g, UF_SLOT_EXPRS);
    if ((g->flags & UF_F_ALL) || !uf_is(gl, UF_LIST) || gl->nkids != 1 ||
        !uf_node_equal(gl->kids[0], v, false))
      return NULL;
  } else if (kid(q, UF_SLOT_HAVING) || has_agg(kid(q, UF_SLOT_EXPRS))) {
    return NULL;
  } else {
    uf_node *gv = uf_node_copy(u->t, v);
    uf_node *gb = mk(u, UF_GROUP_BY), *gl = gv ? list_of(u, &gv, 1) : NULL;
    if (u->st || gl == NULL) return NULL;
    gb->kids[slot(UF_GROUP_BY, UF_SLOT_EXPRS)] = gl;
    q->kids[slot(UF_SELECT, UF_SLOT_GROUP)] = gb;
  }
  const char *alias = fresh(u);
  if (alias == NULL) return NULL;
  uf_node *on = mk_binary(u, UF_BINARY, "=", x, mk_column(u, alias, vname));
  add_join(u, sel, "LEFT", q, alias, on);
  return u->st ? NULL : mk_is_null(u, mk_column(u, alias, vname), true);
}

/* [NOT] EXISTS (SELECT ... WHERE inner = outer AND ...). */
static uf_node *unnest_exists(U *u, uf_node *sel, const leaves *src, uf_node *e, bool not) {
  uf_node *q = kid(e, UF_SLOT_THIS);
  if (!uf_is(q, UF_SELECT) || kid(q, UF_SLOT_WITH) || kid(q, UF_SLOT_GROUP) ||
      kid(q, UF_SLOT_HAVING))
    return NULL;
  /* EXISTS ignores the select list: give it one plain item for the check */
  uf_node *ex = kid(q, UF_SLOT_EXPRS);
  if (!uf_is(ex, UF_LIST) || ex->nkids == 0 || has_agg(ex)) return NULL;
  for (uint32_t i = 0; i < ex->nkids; i++)
    if (unsafe(ex->kids[i])) return NULL;
  static const uf_slot NONE[] = {UF_SLOT_DISTINCT_ON, UF_SLOT_INTO, UF_SLOT_WINDOW,
                                 UF_SLOT_QUALIFY, UF_SLOT_ORDER, UF_SLOT_LIMIT,
                                 UF_SLOT_OFFSET, UF_SLOT_SAMPLE};
  for (size_t i = 0; i < sizeof NONE / sizeof *NONE; i++)
    if (kid(q, NONE[i])) return NULL;
  if (!kid(q, UF_SLOT_FROM)) return NULL;
  int ei = slot(UF_SELECT, UF_SLOT_EXPRS);
  for (uint32_t i = 0; i < q->nkids; i++)
    if ((int)i != ei && unsafe(q->kids[i])) return NULL;
  corr c;
  if (!correlation(u, q, src, &c) || c.nkeys == 0 || may_fail(q)) return NULL;
  const char *alias = fresh(u);
  uf_node *on = NULL, *first = NULL;
  if (alias == NULL || !regroup(u, q, &c, NULL, alias, &on, &first)) return NULL;
  add_join(u, sel, "LEFT", q, alias, on);
  return u->st ? NULL : mk_is_null(u, first, !not);
}

/* NULL-keeping shape around the aggregates: arithmetic, casts, numbers.
 * `correlated` also requires every aggregate to give NULL on no rows. */
static bool agg_expr_ok(const uf_node *n, bool correlated, bool *saw_agg) {
  if (n == NULL) return false;
  if (is_agg_fn(n)) {
    *saw_agg = true;
    return !correlated || null_on_empty(n);
  }
  switch ((uf_kind)n->kind) {
  case UF_NUMBER: return true;
  case UF_PAREN: case UF_CAST: return agg_expr_ok(kid(n, UF_SLOT_THIS), correlated, saw_agg);
  case UF_UNARY: return !strcmp(n->text, "-") && agg_expr_ok(kid(n, UF_SLOT_THIS), correlated, saw_agg);
  case UF_BINARY: {
    static const char *const OPS[] = {"+", "-", "*", "/", NULL};
    return name_in(n->text, OPS) && agg_expr_ok(kid(n, UF_SLOT_LEFT), correlated, saw_agg) &&
           agg_expr_ok(kid(n, UF_SLOT_RIGHT), correlated, saw_agg);
  }
  default: return false;
  }
}

/* x op (SELECT agg-expr ...): the SUBQUERY node at *slotp. */
static bool unnest_scalar(U *u, uf_node *sel, const leaves *src, uf_node **slotp) {
  uf_node *q = kid(*slotp, UF_SLOT_THIS);
  if (!sub_shape_ok(q) || kid(q, UF_SLOT_GROUP) || kid(q, UF_SLOT_HAVING) ||
      (q->flags & UF_F_DISTINCT))
    return false;
  uf_node *item = kid(q, UF_SLOT_EXPRS)->kids[0];
  const char *vname = ident_text(kid(item, UF_SLOT_ALIAS));
  corr c;
  if (!correlation(u, q, src, &c)) return false;
  bool saw = false;
  if (!agg_expr_ok(kid(item, UF_SLOT_THIS), c.nkeys > 0, &saw) || !saw) return false;
  if (c.nkeys > 0 && may_fail(q)) return false;
  const char *alias = fresh(u);
  if (alias == NULL) return false;
  if (c.nkeys == 0) {
    add_join(u, sel, "CROSS", q, alias, NULL);
  } else {
    uf_node *on = NULL, *first = NULL;
    if (!regroup(u, q, &c, item, alias, &on, &first)) return false;
    add_join(u, sel, "LEFT", q, alias, on);
  }
  uf_node *col = mk_column(u, alias, vname);
  if (u->st) return false;
  *slotp = col;
  return true;
}

static bool is_cmp(const uf_node *n) {
  static const char *const OPS[] = {"=", "<>", "!=", "<", ">", "<=", ">=", NULL};
  return uf_is(n, UF_BINARY) && name_in(n->text, OPS);
}

/* Rewrites the WHERE conjunct at *cp of SELECT sel; true when done. */
static bool unnest_conjunct(U *u, uf_node *sel, const leaves *src, uf_node **cp) {
  uf_node *p = *cp;
  while (uf_is(p, UF_PAREN)) p = kid(p, UF_SLOT_THIS);
  uf_node *r = NULL;
  if (uf_is(p, UF_IN) && kid(p, UF_SLOT_QUERY)) {
    r = unnest_in(u, sel, src, p);
  } else if (uf_is(p, UF_EXISTS)) {
    r = unnest_exists(u, sel, src, p, false);
  } else if (uf_is(p, UF_NOT)) {
    uf_node *e = kid(p, UF_SLOT_THIS);
    while (uf_is(e, UF_PAREN)) e = kid(e, UF_SLOT_THIS);
    if (uf_is(e, UF_EXISTS)) r = unnest_exists(u, sel, src, e, true);
  } else if (is_cmp(p)) {
    for (int side = 0; side < 2; side++) {
      int i = slot(UF_BINARY, side ? UF_SLOT_RIGHT : UF_SLOT_LEFT);
      if (uf_is(p->kids[i], UF_SUBQUERY) && !uf_is(p->kids[i ^ 1], UF_SUBQUERY) &&
          !unsafe(p->kids[side ? 0 : 1]))
        return unnest_scalar(u, sel, src, &p->kids[i]);
    }
  }
  if (r) *cp = r;
  return r != NULL;
}

/* The slots holding the top-level conjuncts of a WHERE (through ANDs). */
static void conjunct_slots(uf_node **slotp, uf_node ***out, size_t *k, size_t cap) {
  uf_node *n = *slotp;
  if (uf_is(n, UF_AND)) {
    conjunct_slots(&n->kids[0], out, k, cap);
    conjunct_slots(&n->kids[1], out, k, cap);
    return;
  }
  if (uf_is(n, UF_PAREN) && uf_is(kid(n, UF_SLOT_THIS), UF_AND)) {
    conjunct_slots(&n->kids[0], out, k, cap);
    return;
  }
  if (*k < cap) out[(*k)++] = slotp;
}

/* A star anywhere but as count(*)'s argument, outside nested queries. */
static bool has_star(const uf_node *n, const uf_node *parent, const uf_node *grand) {
  if (n == NULL) return false;
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) return false;
  if (uf_is(n, UF_STAR) || uf_is(n, UF_COLUMNS_EXPR))
    return !(uf_is(parent, UF_LIST) && uf_is(grand, UF_FUNC));
  for (uint32_t i = 0; i < n->nkids; i++)
    if (has_star(n->kids[i], n, parent)) return true;
  return false;
}

/* The select list would see the new join through a star. */
static bool select_list_ok(uf_node *sel) {
  return !has_star(kid(sel, UF_SLOT_EXPRS), sel, NULL);
}

/* An exact type: summing it gives the same value in any row order. */
static bool exact_type(const char *t) {
  return t && (is_int_type(t) || strncmp(t, "DECIMAL", 7) == 0);
}

/* Aggregates and windows whose value does not depend on the order rows
 * reach them (a new join may change that order): count, min, max, ...,
 * and sum/avg over a column of an exact type. Nested queries not entered. */
static bool order_free(U *u, const leaves *src, const uf_node *n) {
  if (n == NULL || uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) return true;
  if (uf_is(n, UF_FUNC) && kid(n, UF_SLOT_OVER)) return false;
  if (is_agg_fn(n)) {
    static const char *const FREE[] = {"count", "count_star", "min", "max", "bool_and",
                                       "bool_or", "bit_and", "bit_or", "bit_xor",
                                       "count_if", "countif", NULL};
    static const char *const EXACT[] = {"sum", "avg", "mean", NULL};
    if (!name_in(n->text, FREE)) {
      uf_node *args = kid(n, UF_SLOT_ARGS);
      if (!name_in(n->text, EXACT) || !uf_is(args, UF_LIST) || args->nkids != 1 ||
          !exact_type(column_type(u, src, args->kids[0])))
        return false;
    }
  }
  for (uint32_t i = 0; i < n->nkids; i++)
    if (!order_free(u, src, n->kids[i])) return false;
  return true;
}

/* The outer query's aggregates and windows give the same values whatever
 * order its rows come in. */
static bool outer_order_free(U *u, uf_node *sel) {
  leaves src = {.n = 0};
  collect_leaves(&src, kid(sel, UF_SLOT_FROM));
  static const uf_slot S[] = {UF_SLOT_EXPRS, UF_SLOT_HAVING, UF_SLOT_QUALIFY,
                              UF_SLOT_ORDER, UF_SLOT_WINDOW, UF_SLOT_DISTINCT_ON};
  for (size_t i = 0; i < sizeof S / sizeof *S; i++)
    if (!order_free(u, &src, kid(sel, S[i]))) return false;
  return !src.bad;
}

/* A conjunct of a shape the rule rewrites (cheap, syntactic). */
static bool candidate(const uf_node *p) {
  while (uf_is(p, UF_PAREN)) p = kid(p, UF_SLOT_THIS);
  if (uf_is(p, UF_NOT)) {
    p = kid(p, UF_SLOT_THIS);
    while (uf_is(p, UF_PAREN)) p = kid(p, UF_SLOT_THIS);
  }
  if (uf_is(p, UF_IN)) return kid(p, UF_SLOT_QUERY) != NULL;
  if (uf_is(p, UF_EXISTS)) return true;
  return is_cmp(p) && (uf_is(kid(p, UF_SLOT_LEFT), UF_SUBQUERY) ||
                       uf_is(kid(p, UF_SLOT_RIGHT), UF_SUBQUERY));
}

static void unnest_select(U *u, uf_node *sel) {
  int wi = slot(UF_SELECT, UF_SLOT_WHERE);
  if (!kid(sel, UF_SLOT_FROM) || !sel->kids[wi]) return;
  uf_node **slots[MAX_CONJ];
  size_t n = 0;
  bool any = false;
  conjunct_slots(&sel->kids[wi], slots, &n, MAX_CONJ);
  for (size_t i = 0; i < n && !any; i++) any = candidate(*slots[i]);
  if (!any || !select_list_ok(sel) || !outer_order_free(u, sel)) return;
  for (size_t i = 0; i < n && u->st == UF_OK; i++) {
    if (!candidate(*slots[i])) continue;
    leaves src = {.n = 0}; /* the FROM grows with each rewrite */
    collect_leaves(&src, kid(sel, UF_SLOT_FROM));
    if (src.bad) return;
    unnest_conjunct(u, sel, &src, slots[i]);
  }
}

/* Post-order over the tree; a WITH's CTEs come into scope one by one (a
 * CTE's body sees the earlier ones) and stay until its query is done. */
static void visit(U *u, uf_node *n) {
  if (n == NULL || u->st || uf_kind_category((uf_kind)n->kind) == UF_CAT_ATOM) return;
  if (uf_is(n, UF_WITH)) {
    uf_node *list = kid(n, UF_SLOT_CTES);
    bool rec = (n->flags & UF_F_RECURSIVE) != 0;
    for (uint32_t i = 0; list && i < list->nkids; i++) {
      if (rec && u->nscope < MAX_SCOPE) u->scope[u->nscope++] = (struct scope_cte){list->kids[i], true};
      visit(u, list->kids[i]);
      if (!rec && u->nscope < MAX_SCOPE) u->scope[u->nscope++] = (struct scope_cte){list->kids[i], false};
      else if (!rec) u->scope_full = true;
    }
    return;
  }
  size_t saved = u->nscope;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) visit(u, n->kids[i]);
  if (uf_is(n, UF_SELECT)) unnest_select(u, n);
  u->nscope = saved;
}

uf_status uf_unnest_subqueries(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                               uf_node **out_root, uf_error *err) {
  *out_root = root;
  if (root == NULL) return UF_OK;
  U u = {.t = t, .root = root, .schema = o ? o->schema : NULL};
  visit(&u, root);
  uf_names_free(u.names);
  if (u.st != UF_OK)
    return uf_error_set(err, u.st, "unnest_subqueries: %s", uf_status_message(u.st));
  return UF_OK;
}
