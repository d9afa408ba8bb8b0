/*
 * lineage: column lineage of a qualified query (see uf_lineage in opt.h).
 *
 * A query is evaluated bottom-up into its outputs, each carrying two sets
 * of (table, column) pairs: data (what the value derives from) and pred
 * (what decides its rows). A SELECT's scope lists its FROM sources by
 * alias: a base table (the pair is (table, column)), a query (CTE or
 * derived table: the pair sets of its output of that name) or a table
 * function (the sets of its arguments). Columns are resolved by their
 * qualifier through the scope chain (correlated subqueries see the outer
 * scopes). CTEs are evaluated once, on first reference.
 *
 * Everything is built in a scratch arena, then copied, sorted and
 * deduplicated into the result's own arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/sbuf.h"
#include "unifier/opt.h"

enum { MAX_DEPTH = 512 };

typedef struct pair {
  const char *t, *c;
} pair;

typedef struct pset {
  pair *v;
  size_t n, cap;
} pset;

typedef struct lcol {
  const char *name;
  pset data, pred;
} lcol;

typedef struct lout {
  lcol *v;
  size_t n, cap;
} lout;

typedef enum { SRC_TABLE, SRC_QUERY, SRC_FUNC } src_kind;

typedef struct lsrc {
  src_kind kind;
  const char *alias;
  const char *table;  /* SRC_TABLE */
  const lout *q;      /* SRC_QUERY */
  pset fdata, fpred;  /* SRC_FUNC: lineage of each of its columns */
} lsrc;

typedef struct lscope {
  struct lscope *parent;
  lsrc *v;
  size_t n, cap;
  pset pred; /* WHERE, ON, GROUP BY, HAVING, QUALIFY, DISTINCT ON */
} lscope;

typedef struct lcte {
  const char *name;
  const uf_node *cte;      /* CTE node */
  struct lcte *env;        /* CTEs visible to its body */
  lscope *parent;
  lout *out;               /* NULL until evaluated */
  bool busy;               /* being evaluated (a recursive reference) */
  struct lcte *next;
} lcte;

typedef struct L {
  uf_arena a;
  bool oom;
  int depth;
  uf_status st;
  uf_error *err;
} L;

struct uf_lineage_result {
  uf_arena a;
  uf_lineage_column *cols;
  size_t n;
};

/* -- small helpers --------------------------------------------------------- */

static void *lalloc(L *l, size_t n) {
  void *p = uf_arena_calloc(&l->a, n ? n : 1);
  if (!p) l->oom = true;
  return p;
}

static uf_node *kid(const uf_node *n, uf_slot s) { return uf_get(n, s); }

static const char *ident(const uf_node *n) {
  return uf_is(n, UF_IDENT) ? n->text : NULL;
}

static bool is_query(const uf_node *n) {
  return n && uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY;
}

/* Names are mostly interned (equal pointers); the column is compared first
 * since it differs more often than the table. */
static bool same_name(const char *a, const char *b) {
  return a == b || (a[0] == b[0] && !strcmp(a, b));
}

static void pset_add(L *l, pset *s, const char *t, const char *c) {
  for (size_t i = 0; i < s->n; i++)
    if (same_name(s->v[i].c, c) && same_name(s->v[i].t, t)) return;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    pair *v = lalloc(l, cap * sizeof *v);
    if (!v) return;
    if (s->n) memcpy(v, s->v, s->n * sizeof *v);
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n++] = (pair){t, c};
}

static void pset_union(L *l, pset *dst, const pset *src) {
  if (dst == src) return;
  for (size_t i = 0; i < src->n; i++) pset_add(l, dst, src->v[i].t, src->v[i].c);
}

static lcol *lout_push(L *l, lout *o, const char *name) {
  if (o->n == o->cap) {
    size_t cap = o->cap ? o->cap * 2 : 8;
    lcol *v = lalloc(l, cap * sizeof *v);
    if (!v) return NULL;
    if (o->n) memcpy(v, o->v, o->n * sizeof *v);
    o->v = v;
    o->cap = cap;
  }
  lcol *c = &o->v[o->n++];
  memset(c, 0, sizeof *c);
  c->name = name;
  return c;
}

static const lcol *lout_find(const lout *o, const char *name) {
  for (size_t i = 0; o && i < o->n; i++)
    if (!strcmp(o->v[i].name, name)) return &o->v[i];
  return NULL;
}

static lsrc *add_src(L *l, lscope *sc, src_kind k, const char *alias) {
  if (sc->n == sc->cap) {
    size_t cap = sc->cap ? sc->cap * 2 : 8;
    lsrc *v = lalloc(l, cap * sizeof *v);
    if (!v) return NULL;
    if (sc->n) memcpy(v, sc->v, sc->n * sizeof *v);
    sc->v = v;
    sc->cap = cap;
  }
  lsrc *s = &sc->v[sc->n++];
  memset(s, 0, sizeof *s);
  s->kind = k;
  s->alias = alias ? alias : "";
  return s;
}

/* A FROM item's alias name (TABLE_ALIAS or bare IDENT), or NULL. */
static const char *alias_of(const uf_node *item) {
  uf_node *a = kid(item, UF_SLOT_ALIAS);
  if (uf_is(a, UF_TABLE_ALIAS)) return ident(kid(a, UF_SLOT_NAME));
  return ident(a);
}

/* The alias's column list t(a, b), or NULL. */
static const uf_node *alias_cols(const uf_node *item) {
  uf_node *a = kid(item, UF_SLOT_ALIAS);
  uf_node *cols = uf_is(a, UF_TABLE_ALIAS) ? kid(a, UF_SLOT_COLUMNS) : NULL;
  return uf_is(cols, UF_LIST) ? cols : NULL;
}

/* Renames outputs positionally per an alias column list. */
static void rename_outputs(lout *o, const uf_node *cols) {
  for (uint32_t i = 0; cols && i < cols->nkids && i < o->n; i++) {
    const uf_node *c = cols->kids[i];
    const char *name = ident(c);
    if (!name && uf_is(c, UF_COLUMN_DEF)) name = ident(kid(c, UF_SLOT_NAME));
    if (name) o->v[i].name = name;
  }
}

/* "catalog.db.table" of a TABLE node, parts that are present. */
static const char *table_name(L *l, const uf_node *t) {
  const char *parts[3] = {ident(kid(t, UF_SLOT_CATALOG)),
                          ident(kid(t, UF_SLOT_DB)),
                          ident(kid(t, UF_SLOT_THIS))};
  size_t len = 0, np = 0;
  for (int i = 0; i < 3; i++)
    if (parts[i]) len += strlen(parts[i]) + 1, np++;
  if (np == 1) return parts[2] ? parts[2] : "";
  char *s = lalloc(l, len + 1);
  if (!s) return "";
  size_t w = 0;
  for (int i = 0; i < 3; i++) {
    if (!parts[i]) continue;
    if (w) s[w++] = '.';
    size_t k = strlen(parts[i]);
    memcpy(s + w, parts[i], k);
    w += k;
  }
  s[w] = '\0';
  return s;
}

/* -- expressions ------------------------------------------------------------ */

static void query_out(L *l, const uf_node *q, lscope *parent, lcte *env,
                      lout *out);

typedef struct ectx {
  L *l;
  lscope *sc;
  lcte *env;
  pset *data, *pred;
} ectx;

/* Every column of source s (a star over it). */
static void src_all(L *l, const lsrc *s, pset *data, pset *pred) {
  switch (s->kind) {
  case SRC_TABLE: pset_add(l, data, s->table, "*"); break;
  case SRC_QUERY:
    for (size_t i = 0; s->q && i < s->q->n; i++) {
      pset_union(l, data, &s->q->v[i].data);
      pset_union(l, pred, &s->q->v[i].pred);
    }
    break;
  case SRC_FUNC:
    pset_union(l, data, &s->fdata);
    pset_union(l, pred, &s->fpred);
    break;
  }
}

/* Column c of source s. */
static void src_col(L *l, const lsrc *s, const char *c, pset *data,
                    pset *pred) {
  switch (s->kind) {
  case SRC_TABLE: pset_add(l, data, s->table, c); break;
  case SRC_QUERY: {
    const lcol *col = lout_find(s->q, c);
    if (!col) col = lout_find(s->q, "*"); /* an unexpanded star inside */
    if (col && !strcmp(col->name, "*")) src_all(l, s, data, pred);
    else if (col) {
      pset_union(l, data, &col->data);
      pset_union(l, pred, &col->pred);
    }
    break;
  }
  case SRC_FUNC: src_all(l, s, data, pred); break;
  }
}

static const lsrc *find_src(const lscope *sc, const char *alias) {
  for (; sc; sc = sc->parent)
    for (size_t i = 0; i < sc->n; i++)
      if (!strcmp(sc->v[i].alias, alias)) return &sc->v[i];
  return NULL;
}

static void column_ref(ectx *x, const uf_node *col) {
  const char *c = ident(kid(col, UF_SLOT_THIS));
  const char *t = ident(kid(col, UF_SLOT_TABLE));
  if (!c) return;
  if (!t) {
    /* unqualified (qualify could not resolve it): a lone source takes it */
    if (x->sc && x->sc->n == 1) src_col(x->l, &x->sc->v[0], c, x->data, x->pred);
    return;
  }
  const lsrc *s = find_src(x->sc, t);
  if (s) src_col(x->l, s, c, x->data, x->pred);
}

static void star_ref(ectx *x, const uf_node *star) {
  const uf_node *q = kid(star, UF_SLOT_QUALIFIER);
  const char *qn = uf_is(q, UF_COLUMN) ? ident(kid(q, UF_SLOT_THIS)) : ident(q);
  for (size_t i = 0; x->sc && i < x->sc->n; i++)
    if (!qn || !strcmp(x->sc->v[i].alias, qn))
      src_all(x->l, &x->sc->v[i], x->data, x->pred);
}

/* A subquery inside an expression: every output's sets. EXISTS reads no
 * value of its subquery, only whether rows exist: its predicates alone. */
static void subquery(ectx *x, const uf_node *q, bool exists) {
  lout o = {0};
  query_out(x->l, q, x->sc, x->env, &o);
  for (size_t i = 0; i < o.n; i++) {
    if (!exists) pset_union(x->l, x->data, &o.v[i].data);
    pset_union(x->l, x->pred, &o.v[i].pred);
  }
}

static void walk(ectx *x, const uf_node *n) {
  if (!n || x->l->oom || x->l->st != UF_OK) return;
  if (++x->l->depth > MAX_DEPTH) {
    x->l->st = uf_error_set(x->l->err, UF_LIMIT_EXCEEDED,
                            "lineage: expression nested too deeply");
    return;
  }
  if (uf_is(n, UF_COLUMN)) column_ref(x, n);
  else if (uf_is(n, UF_STAR)) {
    /* count(*): no column; the predicates decide what it counts */
  } else if (is_query(n)) subquery(x, n, false);
  else if (uf_is(n, UF_EXISTS) && is_query(kid(n, UF_SLOT_THIS)))
    subquery(x, kid(n, UF_SLOT_THIS), true);
  else
    for (uint32_t i = 0; i < n->nkids; i++) walk(x, n->kids[i]);
  x->l->depth--;
}

static void expr_sets(L *l, lscope *sc, lcte *env, const uf_node *e,
                      pset *data, pset *pred) {
  ectx x = {l, sc, env, data, pred};
  walk(&x, e);
}

/* -- FROM ------------------------------------------------------------------------ */

static lcte *find_cte(lcte *env, const char *name) {
  for (; env; env = env->next)
    if (!strcmp(env->name, name)) return env;
  return NULL;
}

/* A CTE's outputs, evaluated on first use; a reference from inside its own
 * body (WITH RECURSIVE) sees no columns yet. */
static const lout *cte_out(L *l, lcte *c) {
  if (c->out) return c->out;
  static const lout empty = {0};
  if (c->busy) return &empty;
  c->busy = true;
  lout *o = lalloc(l, sizeof *o);
  if (o) {
    query_out(l, kid(c->cte, UF_SLOT_THIS), c->parent, c->env, o);
    rename_outputs(o, alias_cols(c->cte));
  }
  c->busy = false;
  c->out = o;
  return o ? o : &empty;
}

static void add_from(L *l, lscope *sc, lcte *env, const uf_node *n);

static void add_table(L *l, lscope *sc, lcte *env, const uf_node *n) {
  const char *name = ident(kid(n, UF_SLOT_THIS));
  if (!name) return;
  const char *alias = alias_of(n);
  lcte *c = !kid(n, UF_SLOT_DB) ? find_cte(env, name) : NULL;
  lsrc *s = add_src(l, sc, c ? SRC_QUERY : SRC_TABLE, alias ? alias : name);
  if (!s) return;
  if (c) {
    const lout *o = cte_out(l, c);
    const uf_node *cols = alias_cols(n);
    if (cols && o) { /* FROM cte AS x(a, b): a renamed copy */
      lout *r = lalloc(l, sizeof *r);
      if (r) {
        for (size_t i = 0; i < o->n; i++) {
          lcol *nc = lout_push(l, r, o->v[i].name);
          if (nc) *nc = o->v[i];
        }
        rename_outputs(r, cols);
        o = r;
      }
    }
    s->q = o;
  } else s->table = table_name(l, n);
}

static void add_derived(L *l, lscope *sc, lcte *env, const uf_node *n) {
  const uf_node *inner = kid(n, UF_SLOT_THIS);
  if (uf_is(inner, UF_JOIN)) {
    add_from(l, sc, env, inner);
    return;
  }
  lout *o = lalloc(l, sizeof *o);
  if (!o) return;
  /* LATERAL sees the sources so far; otherwise only enclosing scopes */
  lscope *outer = (n->flags & UF_F_LATERAL) ? sc : sc->parent;
  query_out(l, inner, outer, env, o);
  rename_outputs(o, alias_cols(n));
  lsrc *s = add_src(l, sc, SRC_QUERY, alias_of(n));
  if (s) s->q = o;
}

/* Generated SQL of a table function that reads no columns: its name as a
 * source ("range(10)", "read_csv('f.csv')"). */
static const char *func_name(L *l, const uf_node *f) {
  char *sql = NULL;
  size_t len = 0;
  if (uf_generate(f, NULL, &sql, &len, NULL) != UF_OK || !sql) {
    uf_free(sql);
    return f ? f->text : "";
  }
  char *s = uf_arena_strndup(&l->a, sql, len);
  uf_free(sql);
  if (!s) l->oom = true;
  return s ? s : "";
}

static void add_table_func(L *l, lscope *sc, lcte *env, const uf_node *n) {
  const uf_node *f = kid(n, UF_SLOT_THIS);
  pset data = {0}, pred = {0};
  expr_sets(l, sc, env, f, &data, &pred);
  const char *alias = alias_of(n);
  lsrc *s = add_src(l, sc, SRC_FUNC, alias ? alias : (f ? f->text : ""));
  if (!s) return;
  if (!data.n && !pred.n) {
    /* reads nothing: the function is the source, columns by name */
    s->kind = SRC_TABLE;
    s->table = func_name(l, f);
    return;
  }
  s->fdata = data;
  s->fpred = pred;
}

static void add_from(L *l, lscope *sc, lcte *env, const uf_node *n) {
  if (!n || l->oom) return;
  switch ((uf_kind)n->kind) {
  case UF_TABLE: add_table(l, sc, env, n); break;
  case UF_DERIVED: add_derived(l, sc, env, n); break;
  case UF_TABLE_FUNC: add_table_func(l, sc, env, n); break;
  case UF_JOIN:
    add_from(l, sc, env, kid(n, UF_SLOT_LEFT));
    add_from(l, sc, env, kid(n, UF_SLOT_RIGHT));
    break;
  case UF_PIVOT: {
    /* a pivoted source: every column derives from the whole input */
    lscope inner = {.parent = sc->parent};
    add_from(l, &inner, env, kid(n, UF_SLOT_THIS));
    lsrc *s = add_src(l, sc, SRC_FUNC, alias_of(n));
    for (size_t i = 0; s && i < inner.n; i++) src_all(l, &inner.v[i], &s->fdata, &s->fpred);
    break;
  }
  default: break;
  }
}

/* JOIN ... ON conditions, once every source of the FROM is known. */
static void join_preds(L *l, lscope *sc, lcte *env, const uf_node *n) {
  if (uf_is(n, UF_DERIVED) && uf_is(kid(n, UF_SLOT_THIS), UF_JOIN))
    n = kid(n, UF_SLOT_THIS);
  if (!uf_is(n, UF_JOIN)) return;
  join_preds(l, sc, env, kid(n, UF_SLOT_LEFT));
  join_preds(l, sc, env, kid(n, UF_SLOT_RIGHT));
  expr_sets(l, sc, env, kid(n, UF_SLOT_ON), &sc->pred, &sc->pred);
  expr_sets(l, sc, env, kid(n, UF_SLOT_USING), &sc->pred, &sc->pred);
}

/* -- queries ---------------------------------------------------------------------- */

/* The name of a projection (its alias after qualification). */
static const char *proj_name(const uf_node *e, uint32_t i, L *l) {
  if (uf_is(e, UF_ALIAS) && ident(kid(e, UF_SLOT_ALIAS)))
    return ident(kid(e, UF_SLOT_ALIAS));
  if (uf_is(e, UF_COLUMN) && ident(kid(e, UF_SLOT_THIS)))
    return ident(kid(e, UF_SLOT_THIS));
  if (uf_is(e, UF_STAR)) return "*";
  char buf[32];
  int k = snprintf(buf, sizeof buf, "_col_%u", i);
  char *s = uf_arena_strndup(&l->a, buf, (size_t)k);
  if (!s) l->oom = true;
  return s ? s : "";
}

static void select_out(L *l, const uf_node *sel, lscope *parent, lcte *env,
                       lout *out) {
  lscope sc = {.parent = parent};
  const uf_node *from = kid(sel, UF_SLOT_FROM);
  add_from(l, &sc, env, from);
  join_preds(l, &sc, env, from);
  static const uf_slot filters[] = {UF_SLOT_WHERE, UF_SLOT_GROUP,
                                    UF_SLOT_HAVING, UF_SLOT_QUALIFY,
                                    UF_SLOT_DISTINCT_ON};
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
    expr_sets(l, &sc, env, kid(sel, filters[i]), &sc.pred, &sc.pred);
  const uf_node *exprs = kid(sel, UF_SLOT_EXPRS);
  for (uint32_t i = 0; exprs && i < exprs->nkids; i++) {
    const uf_node *e = exprs->kids[i];
    lcol *c = lout_push(l, out, proj_name(e, i, l));
    if (!c) return;
    if (uf_is(e, UF_STAR)) { /* not expanded (unknown schema) */
      ectx x = {l, &sc, env, &c->data, &c->pred};
      star_ref(&x, e);
    } else
      expr_sets(l, &sc, env, uf_is(e, UF_ALIAS) ? kid(e, UF_SLOT_THIS) : e,
              &c->data, &c->pred);
    pset_union(l, &c->pred, &sc.pred);
  }
}

/* Set operations: column i of the result derives from column i of both
 * branches (by name under BY NAME). */
static void setop_out(L *l, const uf_node *n, lscope *parent, lcte *env,
                      lout *out) {
  lout r = {0};
  query_out(l, kid(n, UF_SLOT_LEFT), parent, env, out);
  query_out(l, kid(n, UF_SLOT_RIGHT), parent, env, &r);
  bool by_name = (n->flags & UF_F_BY_NAME) != 0;
  for (size_t i = 0; i < r.n; i++) {
    lcol *c = NULL;
    if (by_name) {
      for (size_t k = 0; k < out->n && !c; k++)
        if (!strcmp(out->v[k].name, r.v[i].name)) c = &out->v[k];
      if (!c) c = lout_push(l, out, r.v[i].name);
    } else if (i < out->n) c = &out->v[i];
    if (!c) continue;
    pset_union(l, &c->data, &r.v[i].data);
    pset_union(l, &c->pred, &r.v[i].pred);
  }
}

static lcte *with_env(L *l, const uf_node *with, lscope *parent, lcte *env) {
  const uf_node *ctes = kid(with, UF_SLOT_CTES);
  bool recursive = (with->flags & UF_F_RECURSIVE) != 0;
  for (uint32_t i = 0; ctes && i < ctes->nkids; i++) {
    const uf_node *cte = ctes->kids[i];
    const char *name = alias_of(cte);
    if (!name) continue;
    lcte *c = lalloc(l, sizeof *c);
    if (!c) return env;
    c->name = name;
    c->cte = cte;
    c->parent = parent;
    c->next = env;
    c->env = recursive ? c : env;
    env = c;
  }
  return env;
}

static void query_out(L *l, const uf_node *q, lscope *parent, lcte *env,
                      lout *out) {
  if (!q || l->oom || l->st != UF_OK) return;
  if (++l->depth > MAX_DEPTH) {
    l->st = uf_error_set(l->err, UF_LIMIT_EXCEEDED,
                         "lineage: query nested too deeply");
    return;
  }
  const uf_node *with = kid(q, UF_SLOT_WITH);
  if (with) env = with_env(l, with, parent, env);
  switch ((uf_kind)q->kind) {
  case UF_SELECT: select_out(l, q, parent, env, out); break;
  case UF_SET_OP: setop_out(l, q, parent, env, out); break;
  case UF_QUERY_PAREN: query_out(l, kid(q, UF_SLOT_THIS), parent, env, out); break;
  case UF_VALUES: {
    const uf_node *rows = kid(q, UF_SLOT_ROWS);
    const uf_node *first = rows && rows->nkids ? rows->kids[0] : NULL;
    const uf_node *args = uf_is(first, UF_TUPLE) ? kid(first, UF_SLOT_ARGS) : NULL;
    for (uint32_t i = 0; args && i < args->nkids; i++) {
      lcol *c = lout_push(l, out, proj_name(NULL, i, l));
      /* a VALUES row may hold scalar subqueries */
      for (uint32_t r = 0; c && r < rows->nkids; r++) {
        const uf_node *ra = kid(rows->kids[r], UF_SLOT_ARGS);
        if (ra && i < ra->nkids)
          expr_sets(l, parent, env, ra->kids[i], &c->data, &c->pred);
      }
    }
    break;
  }
  default: break;
  }
  l->depth--;
}

/* -- result ------------------------------------------------------------------------- */

static int pair_cmp(const void *a, const void *b) {
  const uf_lineage_source *x = a, *y = b;
  int r = strcmp(x->table, y->table);
  return r ? r : strcmp(x->column, y->column);
}

static char *rdup(uf_lineage_result *r, const char *s, bool *oom) {
  char *d = uf_arena_strndup(&r->a, s, strlen(s));
  if (!d) *oom = true;
  return d ? d : "";
}

/* Copies a set into the result, sorted (sets hold no duplicates). */
static const uf_lineage_source *copy_set(uf_lineage_result *r, const pset *s,
                                         bool *oom) {
  if (!s->n) return NULL;
  uf_lineage_source *v = uf_arena_calloc(&r->a, s->n * sizeof *v);
  if (!v) {
    *oom = true;
    return NULL;
  }
  for (size_t i = 0; i < s->n; i++) {
    v[i].table = rdup(r, s->v[i].t, oom);
    v[i].column = rdup(r, s->v[i].c, oom);
  }
  qsort(v, s->n, sizeof *v, pair_cmp);
  return v;
}

/* The query a statement holds (CREATE ... AS, INSERT ...), or NULL. */
static const uf_node *root_query(const uf_node *n) {
  if (is_query(n)) return n;
  if (uf_is(n, UF_SCRIPT) && n->nkids == 1) return root_query(n->kids[0]);
  const uf_node *q = kid(n, UF_SLOT_QUERY);
  return is_query(q) ? q : NULL;
}

uf_status uf_lineage(const uf_node *qualified_root, const uf_schema *s,
                     uf_lineage_result **out, uf_error *err) {
  (void)s;
  if (out) *out = NULL;
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "lineage: no output");
  const uf_node *q = root_query(qualified_root);
  if (!q)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "lineage: the statement is not a query");
  L l;
  memset(&l, 0, sizeof l);
  uf_arena_init(&l.a);
  l.err = err;
  lout o = {0};
  query_out(&l, q, NULL, NULL, &o);
  uf_status st = l.st;
  if (st == UF_OK && l.oom) st = uf_error_set(err, UF_NOMEM, "out of memory in lineage");
  uf_lineage_result *r = NULL;
  if (st == UF_OK) {
    r = calloc(1, sizeof *r);
    if (!r) st = uf_error_set(err, UF_NOMEM, "out of memory in lineage");
  }
  if (r) {
    bool oom = false;
    uf_arena_init(&r->a);
    r->n = o.n;
    r->cols = o.n ? uf_arena_calloc(&r->a, o.n * sizeof *r->cols) : NULL;
    if (o.n && !r->cols) oom = true;
    for (size_t i = 0; !oom && i < o.n; i++) {
      uf_lineage_column *c = &r->cols[i];
      c->name = rdup(r, o.v[i].name, &oom);
      c->sources = copy_set(r, &o.v[i].data, &oom);
      c->nsources = o.v[i].data.n;
      c->predicates = copy_set(r, &o.v[i].pred, &oom);
      c->npredicates = o.v[i].pred.n;
    }
    if (oom) {
      uf_lineage_free(r);
      r = NULL;
      st = uf_error_set(err, UF_NOMEM, "out of memory in lineage");
    }
  }
  uf_arena_free(&l.a);
  *out = r;
  return st;
}

void uf_lineage_free(uf_lineage_result *r) {
  if (!r) return;
  uf_arena_free(&r->a);
  free(r);
}

size_t uf_lineage_count(const uf_lineage_result *r) { return r ? r->n : 0; }

const uf_lineage_column *uf_lineage_column_at(const uf_lineage_result *r,
                                              size_t i) {
  return r && i < r->n ? &r->cols[i] : NULL;
}

const uf_lineage_column *uf_lineage_find(const uf_lineage_result *r,
                                         const char *name) {
  for (size_t i = 0; r && name && i < r->n; i++)
    if (!strcmp(r->cols[i].name, name)) return &r->cols[i];
  return NULL;
}

/* A JSON string, written straight into b after one reserve for the worst
 * case (every byte escaped as \u00XX). */
static void json_str(uf_sbuf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  size_t n = strlen(s);
  if (!uf_sbuf_reserve(b, 6 * n + 2)) return;
  char *o = b->data + b->len;
  *o++ = '"';
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p >= 0x20 && *p != '"' && *p != '\\') {
      *o++ = (char)*p;
    } else if (*p == '"' || *p == '\\') {
      *o++ = '\\';
      *o++ = (char)*p;
    } else {
      memcpy(o, "\\u00", 4);
      o[4] = hex[*p >> 4];
      o[5] = hex[*p & 15];
      o += 6;
    }
  }
  *o++ = '"';
  *o = '\0';
  b->len = (size_t)(o - b->data);
}

uf_status uf_lineage_json(const uf_lineage_result *r, uf_lineage_part part,
                          const char *column, char **out_json,
                          size_t *out_len, uf_error *err) {
  if (out_json) *out_json = NULL;
  if (out_len) *out_len = 0;
  if (!r || !out_json)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "lineage_json: no result");
  uf_sbuf b;
  uf_sbuf_init(&b);
  uf_sbuf_addc(&b, '{');
  bool first = true;
  for (size_t i = 0; i < r->n; i++) {
    const uf_lineage_column *c = &r->cols[i];
    if (column && strcmp(c->name, column)) continue;
    const uf_lineage_source *v = part == UF_LINEAGE_SOURCES ? c->sources : c->predicates;
    size_t n = part == UF_LINEAGE_SOURCES ? c->nsources : c->npredicates;
    if (!first) uf_sbuf_adds(&b, ", ");
    first = false;
    json_str(&b, c->name);
    uf_sbuf_adds(&b, ": [");
    for (size_t k = 0; k < n; k++) {
      if (k) uf_sbuf_adds(&b, ", ");
      uf_sbuf_addc(&b, '[');
      json_str(&b, v[k].table);
      uf_sbuf_adds(&b, ", ");
      json_str(&b, v[k].column);
      uf_sbuf_addc(&b, ']');
    }
    uf_sbuf_addc(&b, ']');
  }
  uf_sbuf_addc(&b, '}');
  if (b.oom) {
    uf_sbuf_free(&b);
    return uf_error_set(err, UF_NOMEM, "out of memory in lineage_json");
  }
  *out_json = uf_sbuf_take(&b, out_len);
  return UF_OK;
}
