/*
 * pushdown_predicates (declared in unifier/opt.h): filters moved closer to
 * the rows they filter, after SQLGlot's optimizer rule of the same name.
 *
 * Queries are visited outside in (a predicate pushed into a derived table
 * is pushed further when that table's query is visited; CTE bodies are
 * visited after every query that reads them). In each SELECT the WHERE is
 * split into its AND conjuncts, and a conjunct whose columns all name
 * sources of that SELECT moves:
 *   - one source, a derived table or a CTE read once: into that query, the
 *     outer columns replaced by the expressions the query outputs under
 *     their names (into HAVING when the query aggregates, else WHERE);
 *   - else into the ON of the inner join that joins the last of its
 *     sources (a CROSS JOIN or comma becomes JOIN ... ON), as SQLGlot does.
 * Then the ON of each join: a conjunct over one derived table / CTE on a
 * side the ON only filters (either side of an inner join, the right of a
 * LEFT, the left of a RIGHT join) moves into that query.
 *
 * Validity: a filter moves only along a path of inner joins and preserved
 * sides of outer joins (never into the null-supplying side, never through
 * FULL, SEMI, ANTI, ASOF or POSITIONAL joins), never into a join whose
 * subtree holds a LATERAL or correlated source, and never into a query
 * with LIMIT/OFFSET, DISTINCT ON, QUALIFY, windows, GROUPING SETS/ROLLUP/
 * CUBE, GROUP BY ALL, a sample, set operations, a recursive WITH,
 * set-returning calls in its outputs, or correlated references. A
 * predicate with a subquery, a star, a lambda, an unqualified column or a
 * volatile call (random(), nextval(), ...) stays where it is, as does one
 * whose replacement expression is volatile or holds a subquery or window;
 * one that can fail on some rows (integer + - * over columns, a CAST:
 * opt/fn_class.h) does not move into an aggregate's HAVING or a CTE, where
 * it would run in another order relative to the conjuncts that guard it.
 * A WHERE left empty is removed; an ON left empty becomes ON TRUE.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opt/fn_class.h"
#include "opt/names.h"
#include "opt/rewrite.h"
#include "sql/query_style.h"
#include "unifier/opt.h"

/* -- function classes ------------------------------------------------------ */

static bool kid_star_qualified(const uf_node *star) {
  return uf_get(star, UF_SLOT_QUALIFIER) != NULL;
}

static bool is_agg_name(const char *name) { return uf_fn_aggregate(name); }

/* Calls whose value is not a function of their arguments within a query,
 * and set-returning ones. */
static bool is_volatile_name(const char *name) {
  return uf_fn_volatile(name) || uf_fn_set_returning(name);
}

/* -- expression checks ----------------------------------------------------- */

/* uf_walk's contract, plus the star of count(*) (a call's argument, which
 * reads no column) skipped. */
typedef int (*walk_fn)(uf_node *n, uf_node *parent, void *ctx);

static int walk_rec(uf_node *n, uf_node *parent, uf_node *grand, walk_fn fn, void *ctx) {
  if (uf_is(n, UF_STAR) && (uf_is(parent, UF_FUNC) || (uf_is(parent, UF_LIST) && uf_is(grand, UF_FUNC))) &&
      !kid_star_qualified(n))
    return 0;
  int r = fn(n, parent, ctx);
  if (r) return r == 2 ? 2 : 0;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (n->kids[i] && walk_rec(n->kids[i], n, parent, fn, ctx) == 2) return 2;
  return 0;
}

static int walk(uf_node *n, walk_fn fn, void *ctx) {
  return n ? walk_rec(n, NULL, NULL, fn, ctx) : 0;
}

enum {
  X_AGG = 1,      /* an aggregate call */
  X_UNSAFE = 2,   /* subquery, star, lambda, volatile call, window, unqualified column */
  X_FALLIBLE = 4, /* can fail on some rows (opt/fn_class.h) */
};

/* What node n itself makes of a predicate (X_UNSAFE, X_AGG), and how a
 * walk goes on past it (0 into it, 1 not into it: a column's parts are
 * names, 2 stop: nothing inside can make it safe again). */
static int own_flags(const uf_node *n, int *next) {
  *next = 0;
  switch ((uf_kind)n->kind) {
  case UF_COLUMN:
    *next = 1;
    return uf_get(n, UF_SLOT_TABLE) == NULL || uf_get(n, UF_SLOT_DB) ||
                   uf_get(n, UF_SLOT_CATALOG)
               ? X_UNSAFE
               : 0;
  case UF_FUNC:
    if (uf_get(n, UF_SLOT_OVER) || is_volatile_name(n->text)) return X_UNSAFE;
    return is_agg_name(n->text) ? X_AGG : 0;
  case UF_SUBQUERY: case UF_EXISTS: case UF_QUANTIFIED: case UF_STAR: case UF_COLUMNS_EXPR:
  case UF_LAMBDA:
    *next = 2;
    return X_UNSAFE;
  default:
    if (uf_kind_category((uf_kind)n->kind) != UF_CAT_QUERY) return 0;
    *next = 2;
    return X_UNSAFE;
  }
}

static int expr_walk(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  int *f = ctx, next;
  *f |= own_flags(n, &next);
  if (next == 0 && uf_rw_fallible_node(n)) *f |= X_FALLIBLE;
  return next;
}

static int expr_flags(uf_node *n) {
  int f = 0;
  if (n) walk(n, expr_walk, &f);
  return f;
}

/* -- the rule's state ------------------------------------------------------ */

typedef struct scope {
  uf_node *with;   /* a WITH clause */
  uint32_t limit;  /* its CTEs [0, limit) are visible */
} scope;

typedef struct pd {
  uf_tree *t;
  uf_node *root;
  uf_status st;
  scope *scopes;
  size_t nscopes, capscopes;
  uf_node **leaves; /* the FROM leaves of the SELECT being rewritten, in order */
  size_t nleaves, capleaves;
  const char **lnames; /* their alias names (nleaves of them) */
  size_t caplnames;
  uf_node **conj;   /* scratch: conjuncts */
  size_t nconj, capconj;
} pd;

static bool grow(pd *c, void **arr, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return true;
  size_t n = *cap ? *cap * 2 : 16;
  while (n < need) n *= 2;
  void *p = realloc(*arr, n * elem);
  if (p == NULL) { c->st = UF_NOMEM; return false; }
  *arr = p;
  *cap = n;
  return true;
}

static uf_node *kid(const uf_node *n, uf_slot s) { return uf_get(n, s); }

static const char *alias_name(const uf_node *leaf) {
  uf_node *a = kid(leaf, UF_SLOT_ALIAS);
  if (uf_is(a, UF_TABLE_ALIAS)) a = kid(a, UF_SLOT_NAME);
  if (uf_is(a, UF_IDENT)) return a->text;
  if (uf_is(leaf, UF_TABLE) && kid(leaf, UF_SLOT_ALIAS) == NULL && uf_is(kid(leaf, UF_SLOT_THIS), UF_IDENT))
    return kid(leaf, UF_SLOT_THIS)->text;
  return NULL;
}

static uf_node *mk_and(pd *c, uf_node *a, uf_node *b) {
  if (a == NULL) return b;
  uf_node *n = uf_node_new(c->t, UF_AND);
  if (n == NULL) { c->st = UF_NOMEM; return a; }
  n->kids[0] = a;
  n->kids[1] = b;
  return n;
}

/* Conjuncts of e (AND chains, through parentheses) appended to c->conj. */
static void split_and(pd *c, uf_node *e) {
  while (uf_is(e, UF_PAREN) && uf_is(e->kids[0], UF_AND)) e = e->kids[0];
  if (uf_is(e, UF_AND) && e->kids[0] && e->kids[1]) {
    split_and(c, e->kids[0]);
    split_and(c, e->kids[1]);
    return;
  }
  if (!grow(c, (void **)&c->conj, &c->capconj, c->nconj + 1, sizeof *c->conj)) return;
  c->conj[c->nconj++] = e;
}

/* -- the FROM tree ---------------------------------------------------------- */

static void collect_leaves(pd *c, uf_node *n) {
  if (n == NULL || c->st) return;
  if (uf_is(n, UF_JOIN)) {
    collect_leaves(c, kid(n, UF_SLOT_LEFT));
    collect_leaves(c, kid(n, UF_SLOT_RIGHT));
    return;
  }
  if (!grow(c, (void **)&c->leaves, &c->capleaves, c->nleaves + 1, sizeof *c->leaves)) return;
  c->leaves[c->nleaves++] = n;
}

static int count_leaves(const uf_node *n) {
  if (!uf_is(n, UF_JOIN)) return 1;
  return count_leaves(kid(n, UF_SLOT_LEFT)) + count_leaves(kid(n, UF_SLOT_RIGHT));
}

static bool is_inner(const uf_node *j) {
  return j->text[0] == 0 || strcmp(j->text, "INNER") == 0 || strcmp(j->text, "CROSS") == 0;
}

/* A filter over the `right` (or left) input of join j can be applied to
 * that input instead: the side is not null-supplied. */
static bool preserves(const uf_node *j, bool right) {
  if (is_inner(j)) return true;
  return strcmp(j->text, right ? "RIGHT" : "LEFT") == 0;
}

/* Names the aliases defined under n into *names (realloc'd). */
typedef struct namev {
  const char **v;
  size_t n, cap;
  bool nomem;
} namev;

static int collect_aliases(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  namev *nv = ctx;
  if (uf_is(n, UF_TABLE_ALIAS) && uf_is(kid(n, UF_SLOT_NAME), UF_IDENT)) {
    if (nv->n == nv->cap) {
      size_t cap = nv->cap ? 2 * nv->cap : 16;
      const char **p = realloc(nv->v, cap * sizeof *p);
      if (p == NULL) { nv->nomem = true; return 2; }
      nv->v = p;
      nv->cap = cap;
    }
    nv->v[nv->n++] = kid(n, UF_SLOT_NAME)->text;
  }
  return 0;
}

typedef struct corr_ctx {
  namev *names;
  bool outer;
} corr_ctx;

static int find_outer_ref(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  corr_ctx *cc = ctx;
  if (uf_is(n, UF_COLUMN)) {
    uf_node *q = kid(n, UF_SLOT_TABLE);
    bool local = false;
    if (uf_is(q, UF_IDENT) && !kid(n, UF_SLOT_DB) && !kid(n, UF_SLOT_CATALOG))
      for (size_t i = 0; i < cc->names->n && !local; i++)
        local = strcasecmp(cc->names->v[i], q->text) == 0;
    if (!local) { cc->outer = true; return 2; }
    return 1;
  }
  if (uf_is(n, UF_STAR) || uf_is(n, UF_COLUMNS_EXPR) || uf_is(n, UF_LAMBDA)) {
    cc->outer = true;
    return 2;
  }
  return 0;
}

/* n may read columns of sources outside it (or we cannot tell). */
static bool correlated(pd *c, uf_node *n) {
  namev nv = {0};
  walk(n, collect_aliases, &nv);
  corr_ctx cc = {&nv, nv.nomem};
  if (!cc.outer) walk(n, find_outer_ref, &cc);
  if (nv.nomem) c->st = UF_NOMEM;
  free(nv.v);
  return cc.outer;
}

static int has_column(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  return uf_is(n, UF_COLUMN) || uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY ? 2 : 0;
}

/* A source that reads the sources beside it (LATERAL, correlated). */
static bool lateral_leaf(pd *c, uf_node *leaf) {
  if (leaf->flags & UF_F_LATERAL) return true;
  if (uf_is(leaf, UF_TABLE)) return false;
  if (uf_is(leaf, UF_TABLE_FUNC)) return walk(kid(leaf, UF_SLOT_THIS), has_column, NULL) != 0;
  if (uf_is(leaf, UF_DERIVED)) return correlated(c, kid(leaf, UF_SLOT_THIS));
  return true;
}

static bool subtree_lateral(pd *c, uf_node *n) {
  if (uf_is(n, UF_JOIN))
    return subtree_lateral(c, kid(n, UF_SLOT_LEFT)) || subtree_lateral(c, kid(n, UF_SLOT_RIGHT));
  return n == NULL || lateral_leaf(c, n);
}

/* Where a filter over leaves [lo, hi] of the join tree n (leaves from
 * base, cnt of them under n) lands: the join whose two sides both hold
 * some of them, or the leaf itself (with the join above it). ok: every
 * step down kept a preserved side. */
typedef struct dest {
  uf_node *join, *leaf, *parent;
  bool right, ok;
} dest;

static dest descend(uf_node *n, int base, int cnt, int lo, int hi) {
  dest d = {NULL, NULL, NULL, false, true};
  /* cnt: the leaves under n, kept while descending: the left side holds
   * all but the right side's (one leaf in a left-deep chain), so the left
   * side is never recounted */
  while (uf_is(n, UF_JOIN)) {
    uf_node *l = kid(n, UF_SLOT_LEFT), *r = kid(n, UF_SLOT_RIGHT);
    if (l == NULL || r == NULL) { d.ok = false; return d; }
    int nr = count_leaves(r);
    int mid = base + cnt - nr;
    if (hi < mid) {
      d.ok = d.ok && preserves(n, false);
      d.parent = n, d.right = false, n = l, cnt -= nr;
    } else if (lo >= mid) {
      d.ok = d.ok && preserves(n, true);
      d.parent = n, d.right = true, n = r, base = mid, cnt = nr;
    } else {
      d.join = n;
      return d;
    }
  }
  d.leaf = n;
  return d;
}

/* -- CTEs -------------------------------------------------------------------- */

static uf_node *ctes_of(const uf_node *with) { return kid(with, UF_SLOT_CTES); }

static const char *cte_name(const uf_node *cte) { return alias_name(cte); }

/* The CTE a table reference names, or NULL (a schema table). */
static uf_node *lookup_cte(pd *c, const char *name, const scope **out_scope) {
  for (size_t i = c->nscopes; i-- > 0;) {
    uf_node *l = ctes_of(c->scopes[i].with);
    if (!uf_is(l, UF_LIST)) continue;
    for (uint32_t k = c->scopes[i].limit; k-- > 0;) {
      if (k >= l->nkids) continue;
      const char *cn = cte_name(l->kids[k]);
      if (cn && strcasecmp(cn, name) == 0) {
        *out_scope = &c->scopes[i];
        return l->kids[k];
      }
    }
  }
  return NULL;
}

typedef struct refcount {
  const char *name;
  int n;
} refcount;

static int count_refs(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  refcount *rc = ctx;
  if (uf_is(n, UF_TABLE) && uf_is(kid(n, UF_SLOT_THIS), UF_IDENT) &&
      strcasecmp(kid(n, UF_SLOT_THIS)->text, rc->name) == 0)
    rc->n++;
  return 0;
}

/* -- pushing into a query ------------------------------------------------- */

typedef struct target {
  uf_node *q;        /* the SELECT */
  uf_node *cols[2];  /* column lists renaming its outputs (leaf alias, CTE alias) */
  bool agg;          /* the query aggregates: filters go to HAVING */
  bool cte;          /* a CTE (DuckDB may evaluate it apart: not inlined) */
} target;

static int find_window(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  if (uf_is(n, UF_FUNC) && (kid(n, UF_SLOT_OVER) || is_volatile_name(n->text))) return 2;
  if (uf_is(n, UF_STAR) || uf_is(n, UF_COLUMNS_EXPR)) return 2;
  return uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY ? 1 : 0;
}

static int find_agg(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  if (uf_is(n, UF_FUNC) && !kid(n, UF_SLOT_OVER) && is_agg_name(n->text)) return 2;
  return uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY ? 1 : 0;
}

static bool has_grouping_sets(uf_node *group) {
  return group && ((group->flags & UF_F_ALL) || uf_find(group, UF_GROUPING) != NULL);
}

/* q can take a filter over its output rows. */
static bool pushable_select(pd *c, uf_node *q, bool *agg) {
  if (!uf_is(q, UF_SELECT)) return false;
  static const uf_slot NEVER[] = {UF_SLOT_DISTINCT_ON, UF_SLOT_INTO, UF_SLOT_WINDOW,
                                  UF_SLOT_QUALIFY, UF_SLOT_LIMIT, UF_SLOT_OFFSET,
                                  UF_SLOT_SAMPLE};
  for (size_t i = 0; i < sizeof NEVER / sizeof *NEVER; i++)
    if (kid(q, NEVER[i])) return false;
  uf_node *group = kid(q, UF_SLOT_GROUP);
  if (has_grouping_sets(group)) return false;
  uf_node *exprs = kid(q, UF_SLOT_EXPRS), *order = kid(q, UF_SLOT_ORDER);
  if (!uf_is(exprs, UF_LIST) || walk(exprs, find_window, NULL)) return false;
  if (order && walk(order, find_window, NULL)) return false;
  uf_node *with = kid(q, UF_SLOT_WITH);
  if (with && (with->flags & UF_F_RECURSIVE)) return false;
  if (correlated(c, q)) return false;
  *agg = group || kid(q, UF_SLOT_HAVING) || walk(exprs, find_agg, NULL) ||
         (order && walk(order, find_agg, NULL));
  return true;
}

/* The query a filter over leaf can move into, if any. */
static bool leaf_target(pd *c, uf_node *leaf, target *tg) {
  memset(tg, 0, sizeof *tg);
  if (kid(leaf, UF_SLOT_SAMPLE) || (leaf->flags & UF_F_LATERAL)) return false;
  uf_node *alias = kid(leaf, UF_SLOT_ALIAS);
  tg->cols[0] = uf_is(alias, UF_TABLE_ALIAS) ? kid(alias, UF_SLOT_COLUMNS) : NULL;
  if (uf_is(leaf, UF_DERIVED)) {
    tg->q = kid(leaf, UF_SLOT_THIS);
  } else if (uf_is(leaf, UF_TABLE)) {
    uf_node *name = kid(leaf, UF_SLOT_THIS);
    if (!uf_is(name, UF_IDENT) || kid(leaf, UF_SLOT_DB) || kid(leaf, UF_SLOT_CATALOG))
      return false;
    const scope *sc = NULL;
    uf_node *cte = lookup_cte(c, name->text, &sc);
    if (cte == NULL || (sc->with->flags & UF_F_RECURSIVE)) return false;
    refcount rc = {name->text, 0};
    walk(c->root, count_refs, &rc);
    if (rc.n != 1) return false;
    uf_node *calias = kid(cte, UF_SLOT_ALIAS);
    tg->cols[1] = uf_is(calias, UF_TABLE_ALIAS) ? kid(calias, UF_SLOT_COLUMNS) : NULL;
    tg->q = kid(cte, UF_SLOT_THIS);
    tg->cte = true;
  } else {
    return false;
  }
  return pushable_select(c, tg->q, &tg->agg);
}

static int position_in(const uf_node *cols, const char *name) {
  if (!uf_is(cols, UF_LIST)) return -1;
  int at = -1;
  for (uint32_t i = 0; i < cols->nkids; i++) {
    const uf_node *id = cols->kids[i];
    if (uf_is(id, UF_COLUMN_DEF)) id = kid(id, UF_SLOT_NAME);
    if (!uf_is(id, UF_IDENT)) return -2;
    if (strcasecmp(id->text, name) == 0) {
      if (at >= 0) return -2; /* ambiguous */
      at = (int)i;
    }
  }
  return at;
}

static const char *output_name(const uf_node *e) {
  if (uf_is(e, UF_ALIAS) && uf_is(kid(e, UF_SLOT_ALIAS), UF_IDENT)) return kid(e, UF_SLOT_ALIAS)->text;
  if (uf_is(e, UF_COLUMN) && uf_is(kid(e, UF_SLOT_THIS), UF_IDENT)) return kid(e, UF_SLOT_THIS)->text;
  return NULL;
}

/* The expression tg's query outputs as column `name`, or NULL. */
static uf_node *output_expr(const target *tg, const char *name) {
  uf_node *exprs = kid(tg->q, UF_SLOT_EXPRS);
  int pos = -1;
  for (int k = 0; k < 2 && pos == -1; k++) {
    if (tg->cols[k] == NULL) continue;
    pos = position_in(tg->cols[k], name);
    if (pos == -1) {
      /* not renamed by this list: a later column keeps its own name only if
       * the list is shorter than the outputs */
      uint32_t n = tg->cols[k]->nkids;
      for (uint32_t i = n; i < exprs->nkids; i++) {
        const char *on = output_name(exprs->kids[i]);
        if (on && strcasecmp(on, name) == 0) { pos = (int)i; break; }
      }
      if (pos == -1) return NULL;
    }
  }
  if (pos == -1) {
    for (uint32_t i = 0; i < exprs->nkids; i++) {
      const char *on = output_name(exprs->kids[i]);
      if (on && strcasecmp(on, name) == 0) {
        if (pos >= 0) return NULL; /* two outputs of one name */
        pos = (int)i;
      }
    }
  }
  if (pos < 0 || (uint32_t)pos >= exprs->nkids) return NULL;
  uf_node *e = exprs->kids[pos];
  return uf_is(e, UF_ALIAS) ? kid(e, UF_SLOT_THIS) : e;
}

typedef struct subst {
  pd *c;
  const target *tg;
  bool bad;
} subst;

static int check_cols(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  subst *s = ctx;
  if (!uf_is(n, UF_COLUMN)) return 0;
  uf_node *e = output_expr(s->tg, kid(n, UF_SLOT_THIS)->text);
  int f = e ? expr_flags(e) : X_UNSAFE;
  if ((f & X_UNSAFE) || (!s->tg->agg && (f & X_AGG)) ||
      ((s->tg->agg || s->tg->cte) && (f & X_FALLIBLE))) {
    s->bad = true;
    return 2;
  }
  return 1;
}

static uf_node *replace_col(uf_node *n, void *ctx, uf_status *st) {
  subst *s = ctx;
  if (!uf_is(n, UF_COLUMN)) return n;
  uf_node *r = uf_node_copy(s->c->t, output_expr(s->tg, kid(n, UF_SLOT_THIS)->text));
  if (r == NULL) *st = UF_NOMEM;
  return r ? r : n;
}

/* Moves predicate p (its columns all of one source) into tg's query. */
static bool push_into(pd *c, const target *tg, uf_node *p) {
  /* Into HAVING or a CTE (which DuckDB may evaluate apart, filter
   * first), a predicate that can fail would run in another order relative
   * to the query's own filters than the outer WHERE ran it: an overflow
   * the original never reached. Derived tables DuckDB inlines itself. */
  if ((tg->agg || tg->cte) && (expr_flags(p) & X_FALLIBLE)) return false;
  subst s = {c, tg, false};
  walk(p, check_cols, &s);
  if (s.bad) return false;
  uf_node *copy = uf_node_copy(c->t, p), *out = NULL;
  if (copy == NULL) { c->st = UF_NOMEM; return false; }
  if (uf_transform(copy, replace_col, &s, &out, NULL) != UF_OK) { c->st = UF_NOMEM; return false; }
  uf_slot slot = tg->agg ? UF_SLOT_HAVING : UF_SLOT_WHERE;
  int i = uf_kind_slot_index(UF_SELECT, slot);
  tg->q->kids[i] = mk_and(c, tg->q->kids[i], out);
  return c->st == UF_OK;
}

/* -- pushing into a join --------------------------------------------------- */

/* j can take an extra ON condition equal to filtering its result. */
static bool on_target(pd *c, uf_node *j) {
  if (!is_inner(j) || (j->flags & UF_F_NATURAL) || kid(j, UF_SLOT_USING)) return false;
  uf_node *r = kid(j, UF_SLOT_RIGHT);
  if (uf_is(r, UF_JOIN) && (r->style & JS_COMMA) && !(r->style & JS_PAREN)) return false;
  return !subtree_lateral(c, j);
}

static void push_on(pd *c, uf_node *j, uf_node *p) {
  int i = uf_kind_slot_index(UF_JOIN, UF_SLOT_ON);
  if (strcmp(j->text, "CROSS") == 0) {
    if (j->style & JS_COMMA) /* a, b, c JOIN d ON ..: the commas before become CROSS JOINs */
      for (uf_node *l = kid(j, UF_SLOT_LEFT); uf_is(l, UF_JOIN) && (l->style & JS_COMMA) &&
                                              !(l->style & JS_PAREN);
           l = kid(l, UF_SLOT_LEFT))
        l->style &= (uint8_t)~JS_COMMA;
    j->text = "";
    j->style &= (uint8_t)JS_PAREN;
  }
  j->kids[i] = mk_and(c, j->kids[i], p);
}

/* -- one SELECT ---------------------------------------------------------------- */

typedef struct span {
  int lo, hi;
  bool ok;
} span;

typedef struct span_ctx {
  pd *c;
  span s;
  bool single; /* only a one-leaf span is of use: stop at a second leaf */
  bool bad;
} span_ctx;

static int span_col(span_ctx *x, uf_node *n) {
  const char *q = kid(n, UF_SLOT_TABLE)->text;
  int at = -1;
  for (size_t i = 0; i < x->c->nleaves; i++) {
    if (uf_same_name(x->c->lnames[i], q)) {
      if (at >= 0) { x->bad = true; return 2; } /* two sources of one name */
      at = (int)i;
    }
  }
  if (at < 0) { x->bad = true; return 2; } /* an outer query's column */
  if (x->single && x->s.lo >= 0 && at != x->s.lo) { x->bad = true; return 2; }
  if (x->s.lo < 0 || at < x->s.lo) x->s.lo = at;
  if (at > x->s.hi) x->s.hi = at;
  return 1;
}

/* own_flags' X_UNSAFE and X_AGG (either keeps a predicate where it is)
 * and span_col in one walk: the predicate fails at the first of them. */
static int span_walk(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  span_ctx *x = ctx;
  int next;
  if (own_flags(n, &next)) {
    x->bad = true;
    return 2;
  }
  return uf_is(n, UF_COLUMN) ? span_col(x, n) : next;
}

/* The leaves a predicate reads, if it can move at all (with `single`,
 * only if it reads one leaf). */
static span span_of(pd *c, uf_node *p, bool single) {
  span_ctx x = {c, {-1, -1, false}, single, false};
  walk(p, span_walk, &x);
  x.s.ok = !x.bad && x.s.lo >= 0;
  return x.s;
}

/* The conjuncts of *slot that `move` did not take, as one AND chain. */
typedef bool (*move_fn)(pd *c, uf_node *from, int base, uf_node *p);

static bool rebuild(pd *c, uf_node **slot, size_t first, const bool *moved) {
  uf_node *acc = NULL;
  bool any = false;
  for (size_t i = first; i < c->nconj; i++) {
    if (moved[i - first]) { any = true; continue; }
    acc = mk_and(c, acc, c->conj[i]);
  }
  if (any) *slot = acc;
  return any;
}

/* A WHERE conjunct over leaves s of FROM tree `from`. */
static bool move_where(pd *c, uf_node *from, int nfrom, span s, uf_node *p) {
  dest d = descend(from, 0, nfrom, s.lo, s.hi);
  if (!d.ok) return false;
  if (d.join) {
    if (!on_target(c, d.join)) return false;
    push_on(c, d.join, p);
    return true;
  }
  target tg;
  if (leaf_target(c, d.leaf, &tg) && push_into(c, &tg, p)) return true;
  if (c->st) return false;
  if (d.parent && d.right && on_target(c, d.parent)) {
    push_on(c, d.parent, p);
    return true;
  }
  return false;
}

static void process_where(pd *c, uf_node *sel) {
  int wi = uf_kind_slot_index(UF_SELECT, UF_SLOT_WHERE);
  uf_node *from = kid(sel, UF_SLOT_FROM);
  if (sel->kids[wi] == NULL || from == NULL) return;
  c->nconj = 0;
  split_and(c, sel->kids[wi]);
  size_t n = c->nconj;
  bool *moved = calloc(n ? n : 1, sizeof *moved);
  if (moved == NULL) { c->st = UF_NOMEM; return; }
  int nfrom = count_leaves(from);
  for (size_t i = 0; i < n && c->st == UF_OK; i++) {
    uf_node *p = uf_rw_unparen(c->conj[i]);
    span s = span_of(c, p, false);
    if (s.ok) moved[i] = move_where(c, from, nfrom, s, p);
  }
  if (c->st == UF_OK) rebuild(c, &sel->kids[wi], 0, moved);
  free(moved);
}

/* ON conjuncts of join j over one derived table / CTE on a side the ON
 * only filters move into that query. */
static void process_on(pd *c, uf_node *j, int base) {
  if (!uf_is(j, UF_JOIN) || c->st) return;
  uf_node *l = kid(j, UF_SLOT_LEFT), *r = kid(j, UF_SLOT_RIGHT);
  if (l == NULL || r == NULL) return;
  int nl = count_leaves(l);
  process_on(c, l, base);
  process_on(c, r, base + nl);
  int oi = uf_kind_slot_index(UF_JOIN, UF_SLOT_ON);
  if (j->kids[oi] == NULL || (j->flags & UF_F_NATURAL) || c->st) return;
  uf_node *region;
  int rbase;
  if (is_inner(j)) region = j, rbase = base;
  else if (strcmp(j->text, "LEFT") == 0) region = r, rbase = base + nl;
  else if (strcmp(j->text, "RIGHT") == 0) region = l, rbase = base;
  else return;
  int rcount = count_leaves(region), rend = rbase + rcount;
  c->nconj = 0;
  split_and(c, j->kids[oi]);
  size_t n = c->nconj;
  bool *moved = calloc(n ? n : 1, sizeof *moved);
  if (moved == NULL) { c->st = UF_NOMEM; return; }
  for (size_t i = 0; i < n && c->st == UF_OK; i++) {
    uf_node *p = uf_rw_unparen(c->conj[i]);
    span s = span_of(c, p, true);
    if (!s.ok || s.lo != s.hi || s.lo < rbase || s.hi >= rend) continue;
    dest d = descend(region, rbase, rcount, s.lo, s.hi);
    target tg;
    if (d.ok && d.leaf && leaf_target(c, d.leaf, &tg)) moved[i] = push_into(c, &tg, p);
  }
  if (c->st == UF_OK && rebuild(c, &j->kids[oi], 0, moved) && j->kids[oi] == NULL) {
    j->kids[oi] = uf_node_new_text(c->t, UF_BOOLEAN, "TRUE", 4);
    if (j->kids[oi] == NULL) c->st = UF_NOMEM;
  }
  free(moved);
}

/* A leaf leaf_target might accept (a derived table, or a table that may
 * name a CTE in scope): without one, no ON conjunct can move. */
static bool maybe_target(const pd *c, const uf_node *leaf) {
  return uf_is(leaf, UF_DERIVED) || (uf_is(leaf, UF_TABLE) && c->nscopes > 0);
}

static void process_select(pd *c, uf_node *sel) {
  uf_node *from = kid(sel, UF_SLOT_FROM);
  if (from == NULL) return;
  c->nleaves = 0;
  collect_leaves(c, from);
  if (c->st ||
      !grow(c, (void **)&c->lnames, &c->caplnames, c->nleaves, sizeof *c->lnames))
    return;
  bool targets = false;
  for (size_t i = 0; i < c->nleaves; i++) {
    c->lnames[i] = alias_name(c->leaves[i]);
    targets = targets || maybe_target(c, c->leaves[i]);
  }
  process_where(c, sel);
  if (c->st || !targets) return;
  process_on(c, kid(sel, UF_SLOT_FROM), 0);
}

/* -- the walk -------------------------------------------------------------------- */

static bool push_scope(pd *c, uf_node *with, uint32_t limit) {
  if (!grow(c, (void **)&c->scopes, &c->capscopes, c->nscopes + 1, sizeof *c->scopes))
    return false;
  c->scopes[c->nscopes++] = (scope){with, limit};
  return true;
}

static void visit(pd *c, uf_node *n, int depth) {
  if (n == NULL || c->st || depth > 4096) return;
  uf_node *with = uf_get(n, UF_SLOT_WITH);
  if (!uf_is(with, UF_WITH)) with = NULL;
  uf_node *ctes = with ? ctes_of(with) : NULL;
  uint32_t ncte = uf_is(ctes, UF_LIST) ? ctes->nkids : 0;
  if (with && !push_scope(c, with, ncte)) return;
  if (uf_is(n, UF_SELECT)) process_select(c, n);
  for (uint32_t i = 0; i < n->nkids && c->st == UF_OK; i++) {
    uf_node *k = n->kids[i];
    if (uf_rw_structural(k) && k != with) visit(c, k, depth + 1);
  }
  if (with) {
    /* CTE bodies last, later ones first: a body sees the CTEs before it
     * and may push filters into them */
    for (uint32_t k = ncte; k-- > 0 && c->st == UF_OK;) {
      c->scopes[c->nscopes - 1].limit = (with->flags & UF_F_RECURSIVE) ? ncte : k;
      visit(c, ctes->kids[k], depth + 1);
    }
    c->nscopes--;
  }
}

uf_status uf_pushdown_predicates(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                                 uf_node **out_root, uf_error *err) {
  (void)o;
  pd c = {.t = t, .root = root, .st = UF_OK};
  visit(&c, root, 0);
  free(c.scopes);
  free(c.leaves);
  free(c.lnames);
  free(c.conj);
  if (c.st != UF_OK)
    return uf_error_set(err, c.st, "pushdown_predicates: %s", uf_status_message(c.st));
  *out_root = root;
  return UF_OK;
}
