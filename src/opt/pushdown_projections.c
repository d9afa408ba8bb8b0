/*
 * pushdown_projections: output columns of derived tables and CTEs that
 * nothing above reads are removed (SQLGlot's pushdown_projections).
 *
 * Walk from the statement's query inward. A query is visited with the set
 * of its output names its readers use (NULL = all): it is pruned first,
 * then each of its SELECT scopes computes, per source (derived table or CTE
 * reference), the names read through `alias.col` anywhere under the scope
 * (correlated subqueries, ON, ORDER BY, windows ...), and visits the
 * source's query with them. A CTE collects the names of all its readers
 * and is visited after the query body (and after the CTEs that follow it).
 *
 * Over-approximations keep this safe: a column counts as read when its
 * qualifier names a source and no nested query in between defines that
 * name; an unqualified column anywhere under a scope (unless it names a
 * nested query's own output) counts as read from every source (it may be
 * an unresolved correlated reference); `alias.*`, a bare `*`, COLUMNS(...),
 * NATURAL joins, PIVOT and FROM items not understood keep every column. A
 * reader's column list `AS t(p, q)` keeps the first outputs (positional).
 * A query is never pruned under DISTINCT / DISTINCT ON, ORDER BY ALL, INTO,
 * duplicate or unnamed outputs, a set operation other than UNION ALL
 * (positions removed from every branch; BY NAME: names), a RECURSIVE WITH
 * or a column list on the CTE itself. An item is never removed when it
 * holds a set-returning or side-effecting function or a subquery, when a
 * GROUP BY/ORDER BY position or an unqualified reference names it, or,
 * under GROUP BY ALL, when it holds no aggregate (positions are renumbered
 * after removal). Removing the last aggregate of a query without GROUP BY
 * would make it a per-row query: one is kept, or the list becomes
 * MAX(1) AS _ (1 AS _ when nothing aggregates), as SQLGlot does. Aggregates
 * are recognised by name (known_agg).
 *
 * Only the statement's query is pruned into: SELECT, set operations,
 * CREATE TABLE/VIEW ... AS and INSERT ... query without a WITH of its own;
 * other statements pass through. The top level's columns never change.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "opt/fn_class.h"
#include "opt/names.h"
#include "opt/rewrite.h"
#include "unifier/opt.h"

typedef struct names {
  const char **v;
  size_t n, cap;
  size_t npos; /* as a set of wanted outputs: the first npos stay (a
                  reader's column list `AS t(p, q)` names them by position) */
} names;

typedef struct cte_ent {
  uf_node *cte;
  const char *name;
  bool visible, all, referenced;
  names refs;
} cte_ent;

typedef struct pp {
  uf_tree *t;
  uf_status st;
  cte_ent *ents;
  size_t nents, capents;
} pp;

typedef struct src {
  const char *alias;
  uf_node *query; /* derived table's query, or NULL */
  size_t cte;     /* 1 + index of the CTE entry read, 0 = none */
  bool all;
  names refs;
} src;

typedef struct scope {
  src *v;
  size_t n, cap;
  bool all;    /* every source keeps every column */
  names extra; /* names read from every source (unqualified, USING) */
} scope;

static void *grow(pp *c, void *old, size_t *cap, size_t n, size_t sz) {
  void *p = uf_rw_grow(c->t, old, cap, n, sz);
  if (p == NULL) c->st = UF_NOMEM;
  return p;
}

static bool has_name(const names *s, const char *x) { return uf_name_in(s->v, s->n, x); }

static void add_name(pp *c, names *s, const char *x) {
  if (x == NULL || has_name(s, x)) return;
  const char **v = grow(c, s->v, &s->cap, s->n, sizeof *v);
  if (v == NULL) return;
  s->v = v;
  s->v[s->n++] = x;
}

static const char *ident(const uf_node *n) { return uf_is(n, UF_IDENT) ? n->text : NULL; }

static bool is_query(const uf_node *n) {
  return n && uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY;
}

/* Aggregates DuckDB knows (a call outside this list may still be one). */
static bool known_agg(const uf_node *n) {
  return uf_is(n, UF_FUNC) && uf_get(n, UF_SLOT_OVER) == NULL && uf_fn_aggregate(n->text);
}

/* Calls whose removal changes the row count or has effects. */
static bool keep_func(const uf_node *n) {
  return uf_is(n, UF_FUNC) && (uf_fn_set_returning(n->text) || uf_fn_volatile(n->text));
}

/* What an item holds: flags below. Nested queries count as a subquery and
 * are not looked into for aggregates. */
enum { H_AGG = 1, H_KEEP = 2 };

static int holds(const uf_node *n, bool top) {
  if (n == NULL) return 0;
  if (!top && is_query(n)) return H_KEEP;
  int h = 0;
  if (uf_is(n, UF_SUBQUERY) || uf_is(n, UF_EXISTS) || keep_func(n)) h |= H_KEEP;
  if (known_agg(n)) h |= H_AGG;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) h |= holds(n->kids[i], false);
  return h;
}

/* -- CTE entries ----------------------------------------------------------- */

/* 1 + the index of the visible CTE a table reference reads, 0 = none.
 * Indices, not pointers: the entry array moves as it grows. */
static size_t lookup_cte(pp *c, const uf_node *table) {
  if (!uf_is(table, UF_TABLE) || uf_get(table, UF_SLOT_DB) || uf_get(table, UF_SLOT_CATALOG))
    return 0;
  const char *name = ident(uf_get(table, UF_SLOT_THIS));
  if (name == NULL) return 0;
  for (size_t i = c->nents; i-- > 0;)
    if (c->ents[i].visible && strcasecmp(c->ents[i].name, name) == 0) return i + 1;
  return 0;
}

static void mark_all(pp *c, size_t e) {
  if (e) c->ents[e - 1].all = c->ents[e - 1].referenced = true;
}

/* Every CTE read by a FROM item we do not model keeps all its columns;
 * nested queries are visited on their own. */
static void mark_refs_all(pp *c, uf_node *n) {
  if (n == NULL || is_query(n)) return;
  if (uf_is(n, UF_TABLE)) mark_all(c, lookup_cte(c, n));
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) mark_refs_all(c, n->kids[i]);
}

/* -- pruning a query's outputs --------------------------------------------- */

static const char *item_name(const uf_node *it) {
  return uf_is(it, UF_ALIAS) ? ident(uf_get(it, UF_SLOT_ALIAS)) : NULL;
}

static const char *alias_of(const uf_node *item, size_t *ncols) {
  uf_node *a = uf_get(item, UF_SLOT_ALIAS);
  uf_node *cols = a ? uf_get(a, UF_SLOT_COLUMNS) : NULL;
  *ncols = uf_is(cols, UF_LIST) ? cols->nkids : 0;
  return a ? ident(uf_get(a, UF_SLOT_NAME)) : NULL;
}

/* Names a nested query (or lambda) defines: a column qualified by one of
 * its sources, or an unqualified one naming its outputs, is its own. */
typedef struct shadow {
  names aliases, outputs;
  const struct shadow *up;
} shadow;

static bool shadowed(const shadow *sh, const char *name, bool unqualified) {
  for (; name && sh; sh = sh->up)
    if (has_name(&sh->aliases, name) || (unqualified && has_name(&sh->outputs, name)))
      return true;
  return false;
}

static void from_aliases(pp *c, const uf_node *f, names *out) {
  if (f == NULL) return;
  if (uf_is(f, UF_JOIN)) {
    from_aliases(c, uf_get(f, UF_SLOT_LEFT), out);
    from_aliases(c, uf_get(f, UF_SLOT_RIGHT), out);
    return;
  }
  size_t cols;
  const char *al = alias_of(f, &cols);
  if (al == NULL && uf_is(f, UF_TABLE)) al = ident(uf_get(f, UF_SLOT_THIS));
  add_name(c, out, al);
  if (uf_is(f, UF_PIVOT)) from_aliases(c, uf_get(f, UF_SLOT_THIS), out);
}

static void outputs(pp *c, const uf_node *q, names *out) {
  if (uf_is(q, UF_SELECT)) {
    uf_node *items = uf_get(q, UF_SLOT_EXPRS);
    for (uint32_t i = 0; uf_is(items, UF_LIST) && i < items->nkids; i++)
      add_name(c, out, item_name(items->kids[i]));
  } else if (uf_is(q, UF_SET_OP)) {
    outputs(c, uf_get(q, UF_SLOT_LEFT), out);
    outputs(c, uf_get(q, UF_SLOT_RIGHT), out);
  } else if (uf_is(q, UF_QUERY_PAREN)) {
    outputs(c, uf_get(q, UF_SLOT_THIS), out);
  }
}

static void unqualified_kids(pp *c, uf_node *n, names *out, const shadow *sh);

/* Unqualified column names under n, WITH excepted; in nested queries
 * only those that do not name the nested query's own outputs or sources. */
static void unqualified_in(pp *c, uf_node *n, names *out, const shadow *sh, bool top) {
  if (n == NULL || uf_is(n, UF_WITH)) return;
  if (uf_is(n, UF_COLUMN) && uf_get(n, UF_SLOT_TABLE) == NULL) {
    const char *th = ident(uf_get(n, UF_SLOT_THIS));
    if (!shadowed(sh, th, true)) add_name(c, out, th);
  }
  if (!top && is_query(n)) {
    shadow inner = {{0}, {0}, sh};
    from_aliases(c, uf_get(n, UF_SLOT_FROM), &inner.aliases);
    outputs(c, n, &inner.outputs);
    unqualified_kids(c, n, out, &inner);
  } else {
    unqualified_kids(c, n, out, sh);
  }
}

static void unqualified_kids(pp *c, uf_node *n, names *out, const shadow *sh) {
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_has_kids(n->kids[i])) unqualified_in(c, n->kids[i], out, sh, false);
}

static void unqualified(pp *c, uf_node *n, names *out) { unqualified_in(c, n, out, NULL, true); }

/* A positive integer literal's value, 0 if n is another constant, -1 if n is
 * no literal. */
static long ordinal(const uf_node *n) {
  if (!uf_is(n, UF_NUMBER)) return -1;
  long v = 0;
  for (const char *p = n->text; *p; p++) {
    if (*p < '0' || *p > '9' || v > 100000) return 0;
    v = v * 10 + (*p - '0');
  }
  return v;
}

typedef struct ords {
  uf_node **slot[64]; /* where each positional reference sits */
  size_t n;
  bool bad;
} ords;

static void note_ord(uf_node **where, ords *o, size_t nitems) {
  long v = ordinal(*where);
  if (v < 0) return;
  if (v == 0 || (size_t)v > nitems || o->n == 64) {
    o->bad = true;
    return;
  }
  o->slot[o->n++] = where;
}

/* GROUP BY items (ROLLUP/CUBE/GROUPING SETS arguments, tuples) and ORDER
 * BY keys that are positions. */
static void group_ords(uf_node **where, ords *o, size_t nitems) {
  uf_node *n = *where;
  if (uf_is(n, UF_GROUPING) || uf_is(n, UF_TUPLE) || uf_is(n, UF_LIST)) {
    uf_node *l = uf_is(n, UF_LIST) ? n : uf_get(n, UF_SLOT_ARGS);
    for (uint32_t i = 0; l && i < l->nkids; i++) group_ords(&l->kids[i], o, nitems);
    return;
  }
  note_ord(where, o, nitems);
}

static void find_ords(uf_node *sel, ords *o, size_t nitems) {
  uf_node *g = uf_get(sel, UF_SLOT_GROUP);
  uf_node *ge = g ? uf_get(g, UF_SLOT_EXPRS) : NULL;
  if (ge) group_ords(&ge, o, nitems);
  uf_node *ob = uf_get(sel, UF_SLOT_ORDER);
  uf_node *oe = ob ? uf_get(ob, UF_SLOT_EXPRS) : NULL;
  for (uint32_t i = 0; oe && i < oe->nkids; i++)
    if (uf_is(oe->kids[i], UF_ORDERED) && oe->kids[i]->nkids > 0)
      note_ord(&oe->kids[i]->kids[0], o, nitems);
}

/* Which items of SELECT s must stay when its readers use `want` (NULL =
 * all). keep[] gets one flag per item; false if s cannot be pruned. */
static bool select_keep(pp *c, uf_node *s, const names *want, bool *keep, size_t n,
                        ords *o) {
  if (!uf_is(s, UF_SELECT) || (s->flags & UF_F_DISTINCT) || uf_get(s, UF_SLOT_DISTINCT_ON) ||
      uf_get(s, UF_SLOT_INTO))
    return false;
  uf_node *ob = uf_get(s, UF_SLOT_ORDER);
  if (ob && (ob->flags & UF_F_ALL)) return false;
  uf_node *items = uf_get(s, UF_SLOT_EXPRS);
  for (size_t i = 0; i < n; i++) {
    const char *nm = item_name(items->kids[i]);
    if (nm == NULL) return false;
    for (size_t j = 0; j < i; j++)
      if (strcasecmp(nm, item_name(items->kids[j])) == 0) return false;
  }
  names unq = {0};
  unqualified(c, s, &unq);
  o->n = 0;
  o->bad = false;
  find_ords(s, o, n);
  if (o->bad || c->st != UF_OK) return false;
  uf_node *g = uf_get(s, UF_SLOT_GROUP);
  bool group_all = g && (g->flags & UF_F_ALL) &&
                   (uf_get(g, UF_SLOT_EXPRS) == NULL || uf_get(g, UF_SLOT_EXPRS)->nkids == 0);
  for (size_t i = 0; i < n; i++) {
    uf_node *it = items->kids[i];
    const char *nm = item_name(it);
    int h = holds(uf_get(it, UF_SLOT_THIS), true);
    keep[i] = want == NULL || i < want->npos || has_name(want, nm) || has_name(&unq, nm) || (h & H_KEEP) ||
              (group_all && !(h & H_AGG));
  }
  for (size_t k = 0; k < o->n; k++) keep[ordinal(*o->slot[k]) - 1] = true;
  return true;
}

/* A query without GROUP BY whose removed items held all its aggregates
 * would return one row per input row instead of one: the first of them is
 * kept back, or, when nothing else stays, the list becomes MAX(1) AS _.
 * Returns true when keep[] changed; *maxone: an emptied list is MAX(1). */
static bool agg_fixup(uf_node *s, bool *keep, size_t n, bool *maxone) {
  uf_node *items = uf_get(s, UF_SLOT_EXPRS);
  bool kept_any = false, kept_agg = false;
  long first_agg = -1;
  for (size_t i = 0; i < n; i++) {
    int h = holds(uf_get(items->kids[i], UF_SLOT_THIS), true);
    if (keep[i]) kept_any = true, kept_agg |= (h & H_AGG) != 0;
    else if ((h & H_AGG) && first_agg < 0) first_agg = (long)i;
  }
  *maxone = first_agg >= 0;
  if (first_agg < 0 || kept_agg || !kept_any || uf_get(s, UF_SLOT_GROUP)) return false;
  keep[first_agg] = true;
  return true;
}

static uf_node *mk(pp *c, uf_kind k, const char *text) {
  uf_node *n = text ? uf_node_new_text(c->t, k, text, strlen(text)) : uf_node_new(c->t, k);
  if (n == NULL) c->st = UF_NOMEM;
  return n;
}

/* `1 AS _` or `MAX(1) AS _`. */
static uf_node *default_item(pp *c, bool agg) {
  uf_node *one = mk(c, UF_NUMBER, "1"), *a = mk(c, UF_ALIAS, NULL), *nm = mk(c, UF_IDENT, "_");
  if (c->st != UF_OK) return NULL;
  uf_node *v = one;
  if (agg) {
    uf_node *f = mk(c, UF_FUNC, "MAX"), *args = mk(c, UF_LIST, NULL);
    if (c->st != UF_OK || uf_list_push(c->t, args, one, NULL) != UF_OK ||
        uf_set(f, UF_SLOT_ARGS, args, NULL) != UF_OK) {
      c->st = UF_NOMEM;
      return NULL;
    }
    v = f;
  }
  if (uf_set(a, UF_SLOT_THIS, v, NULL) != UF_OK || uf_set(a, UF_SLOT_ALIAS, nm, NULL) != UF_OK) {
    c->st = UF_NOMEM;
    return NULL;
  }
  return a;
}

/* Drops the items of s not in keep[], renumbers positions (o as found by
 * select_keep on s). */
static void apply_keep(pp *c, uf_node *s, const bool *keep, size_t n, const ords *o,
                       bool maxone) {
  uf_node *items = uf_get(s, UF_SLOT_EXPRS);
  long newpos[n ? n : 1];
  uint32_t w = 0;
  for (size_t i = 0; i < n; i++) {
    newpos[i] = keep[i] ? (long)w + 1 : 0;
    if (keep[i]) items->kids[w++] = items->kids[i];
  }
  if (w == n) return;
  items->nkids = w;
  if (w == 0) {
    uf_node *d = default_item(c, maxone);
    if (d) items->kids[items->nkids++] = d; /* capacity >= n >= 1 */
  }
  for (size_t k = 0; k < o->n; k++) {
    long v = newpos[ordinal(*o->slot[k]) - 1];
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", v);
    uf_node *num = mk(c, UF_NUMBER, buf);
    if (num) {
      num->comments = (*o->slot[k])->comments;
      *o->slot[k] = num;
    }
  }
}

static void prune(pp *c, uf_node *q, const names *want);

static void prune_select(pp *c, uf_node *s, const names *want) {
  uf_node *items = uf_get(s, UF_SLOT_EXPRS);
  if (want == NULL || !uf_is(items, UF_LIST) || items->nkids == 0 || items->nkids > 4096) return;
  size_t n = items->nkids;
  bool keep[n];
  ords o;
  bool maxone = false;
  if (!select_keep(c, s, want, keep, n, &o)) return;
  agg_fixup(s, keep, n, &maxone);
  apply_keep(c, s, keep, n, &o, maxone);
}

/* The leaves of a tree of UNION ALL; false if it is anything else. */
static bool union_leaves(uf_node *q, bool root, bool by_name, uf_node **leaves, size_t *n,
                         size_t cap) {
  if (uf_is(q, UF_SELECT)) {
    if (*n == cap) return false;
    leaves[(*n)++] = q;
    return true;
  }
  if (!uf_is(q, UF_SET_OP) || strcasecmp(q->text, "UNION") != 0 || !(q->flags & UF_F_ALL) ||
      (q->flags & UF_F_DISTINCT) || ((q->flags & UF_F_BY_NAME) != 0) != by_name)
    return false;
  if (!root && (uf_get(q, UF_SLOT_WITH) || uf_get(q, UF_SLOT_ORDER) ||
                uf_get(q, UF_SLOT_LIMIT) || uf_get(q, UF_SLOT_OFFSET)))
    return false;
  return union_leaves(uf_get(q, UF_SLOT_LEFT), false, by_name, leaves, n, cap) &&
         union_leaves(uf_get(q, UF_SLOT_RIGHT), false, by_name, leaves, n, cap);
}

static bool qualified(const uf_node *n) {
  if (n == NULL) return false;
  if (uf_is(n, UF_COLUMN) && uf_get(n, UF_SLOT_TABLE)) return true;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_has_kids(n->kids[i]) && qualified(n->kids[i])) return true;
  return false;
}

/* Names an ORDER BY of a set operation or parenthesized query reads; false
 * if it orders by position or by ALL. */
static bool order_names(pp *c, uf_node *q, names *want) {
  uf_node *ob = uf_get(q, UF_SLOT_ORDER);
  if (ob == NULL) return true;
  if (ob->flags & UF_F_ALL) return false;
  uf_node *oe = uf_get(ob, UF_SLOT_EXPRS);
  for (uint32_t i = 0; oe && i < oe->nkids; i++) {
    uf_node *k = uf_is(oe->kids[i], UF_ORDERED) ? oe->kids[i]->kids[0] : oe->kids[i];
    if (ordinal(k) >= 0 || qualified(k)) return false;
  }
  unqualified(c, ob, want);
  return true;
}

static names *copy_names(pp *c, const names *w) {
  names *r = uf_tree_alloc(c->t, sizeof *r);
  if (r == NULL) {
    c->st = UF_NOMEM;
    return NULL;
  }
  for (size_t i = 0; i < w->n; i++) add_name(c, r, w->v[i]);
  r->npos = w->npos;
  return r;
}

#define MAX_LEAVES 64
#define MAX_ITEMS 256

static void prune_union(pp *c, uf_node *q, const names *want) {
  uf_node *leaves[MAX_LEAVES];
  size_t nl = 0;
  bool by_name = (q->flags & UF_F_BY_NAME) != 0;
  if (!union_leaves(q, true, by_name, leaves, &nl, MAX_LEAVES)) return;
  names *w = copy_names(c, want);
  if (w == NULL || !order_names(c, q, w) || (by_name && w->npos > 0)) return;
  size_t n[MAX_LEAVES];
  bool *keep[MAX_LEAVES];
  ords *o = uf_tree_alloc(c->t, nl * sizeof *o);
  names none = {0}, must = {0};
  if (o == NULL) {
    c->st = UF_NOMEM;
    return;
  }
  /* each leaf's own needs (positions, unqualified references, ...) */
  for (size_t l = 0; l < nl; l++) {
    uf_node *items = uf_get(leaves[l], UF_SLOT_EXPRS);
    n[l] = uf_is(items, UF_LIST) ? items->nkids : 0;
    if (n[l] == 0 || n[l] > MAX_ITEMS || (!by_name && n[l] != n[0])) return;
    keep[l] = uf_tree_alloc(c->t, n[l] * sizeof(bool));
    if (keep[l] == NULL) {
      c->st = UF_NOMEM;
      return;
    }
    if (!select_keep(c, leaves[l], &none, keep[l], n[l], &o[l])) return;
  }
  if (by_name) { /* a name stays in every leaf if one leaf needs it */
    for (size_t i = 0; i < w->n; i++) add_name(c, &must, w->v[i]);
    for (size_t l = 0; l < nl; l++)
      for (size_t i = 0; i < n[l]; i++)
        if (keep[l][i]) add_name(c, &must, item_name(uf_get(leaves[l], UF_SLOT_EXPRS)->kids[i]));
    for (size_t l = 0; l < nl; l++) {
      for (size_t i = 0; i < n[l]; i++)
        keep[l][i] = has_name(&must, item_name(uf_get(leaves[l], UF_SLOT_EXPRS)->kids[i]));
      bool mo;
      agg_fixup(leaves[l], keep[l], n[l], &mo);
    }
  } else { /* positions: leaf 0 names them, every leaf's needs apply */
    bool k0[MAX_ITEMS];
    uf_node *items0 = uf_get(leaves[0], UF_SLOT_EXPRS);
    for (size_t i = 0; i < n[0]; i++) {
      k0[i] = i < w->npos || has_name(w, item_name(items0->kids[i]));
      for (size_t l = 0; l < nl; l++) k0[i] |= keep[l][i];
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t l = 0; l < nl; l++) {
        bool mo;
        memcpy(keep[l], k0, n[0] * sizeof(bool));
        if (agg_fixup(leaves[l], keep[l], n[l], &mo)) {
          memcpy(k0, keep[l], n[0] * sizeof(bool));
          changed = true;
        }
      }
    }
    for (size_t l = 0; l < nl; l++) memcpy(keep[l], k0, n[0] * sizeof(bool));
  }
  if (c->st != UF_OK) return;
  for (size_t l = 0; l < nl; l++) {
    bool mo, tmp[MAX_ITEMS];
    memcpy(tmp, keep[l], n[l] * sizeof(bool));
    agg_fixup(leaves[l], tmp, n[l], &mo);
    apply_keep(c, leaves[l], keep[l], n[l], &o[l], mo);
  }
}

static void prune(pp *c, uf_node *q, const names *want) {
  if (want == NULL || c->st != UF_OK) return;
  if (uf_is(q, UF_SELECT)) prune_select(c, q, want);
  else if (uf_is(q, UF_SET_OP)) prune_union(c, q, want);
  else if (uf_is(q, UF_QUERY_PAREN)) {
    names *w = copy_names(c, want);
    if (w && order_names(c, q, w)) prune(c, uf_get(q, UF_SLOT_THIS), w);
  }
}

/* -- scopes ---------------------------------------------------------------- */

static void visit_query(pp *c, uf_node *q, const names *want);

static src *add_src(pp *c, scope *sc, const char *alias) {
  src *v = grow(c, sc->v, &sc->cap, sc->n, sizeof *v);
  if (v == NULL) return NULL;
  sc->v = v;
  src *s = &sc->v[sc->n++];
  memset(s, 0, sizeof *s);
  s->alias = alias;
  if (alias == NULL) s->all = true;
  return s;
}

static void collect_sources(pp *c, scope *sc, uf_node *f) {
  if (f == NULL || c->st != UF_OK) return;
  size_t cols = 0;
  if (uf_is(f, UF_JOIN)) {
    if (f->flags & UF_F_NATURAL) sc->all = true;
    uf_node *u = uf_get(f, UF_SLOT_USING);
    for (uint32_t i = 0; uf_is(u, UF_LIST) && i < u->nkids; i++) {
      const char *nm = ident(u->kids[i]);
      if (nm) add_name(c, &sc->extra, nm);
      else sc->all = true;
    }
    collect_sources(c, sc, uf_get(f, UF_SLOT_LEFT));
    collect_sources(c, sc, uf_get(f, UF_SLOT_RIGHT));
  } else if (uf_is(f, UF_DERIVED) && is_query(uf_get(f, UF_SLOT_THIS))) {
    src *s = add_src(c, sc, alias_of(f, &cols));
    if (s) {
      s->query = uf_get(f, UF_SLOT_THIS);
      s->refs.npos = cols;
    }
  } else if (uf_is(f, UF_TABLE)) {
    size_t e = lookup_cte(c, f);
    if (e == 0) return;
    const char *al = alias_of(f, &cols);
    src *s = add_src(c, sc, al ? al : ident(uf_get(f, UF_SLOT_THIS)));
    if (s) {
      s->cte = e;
      s->refs.npos = cols;
    }
  } else if (!uf_is(f, UF_TABLE_FUNC)) {
    sc->all = true; /* PIVOT, a derived join, ... */
    mark_refs_all(c, f);
  }
}

static src *find_src(scope *sc, const char *alias) {
  if (alias == NULL) return NULL;
  for (size_t i = 0; i < sc->n; i++)
    if (sc->v[i].alias && strcasecmp(sc->v[i].alias, alias) == 0) return &sc->v[i];
  return NULL;
}

static void refs_kids(pp *c, scope *sc, uf_node *n, int depth, const shadow *sh);

/* References to the scope's sources under n; depth 0 = the scope's own
 * SELECT. */
static void refs(pp *c, scope *sc, uf_node *n, const uf_node *parent, int depth,
                 const shadow *sh) {
  if (n == NULL || c->st != UF_OK || (depth == 0 && uf_is(n, UF_WITH))) return;
  if (uf_is(n, UF_COLUMN)) {
    const char *cat = ident(uf_get(n, UF_SLOT_CATALOG)), *db = ident(uf_get(n, UF_SLOT_DB));
    const char *tb = ident(uf_get(n, UF_SLOT_TABLE)), *th = ident(uf_get(n, UF_SLOT_THIS));
    src *s;
    if (uf_get(n, UF_SLOT_TABLE) == NULL) {
      if (shadowed(sh, th, true)) return;
      add_name(c, &sc->extra, th);
      if ((s = find_src(sc, th))) s->all = true; /* the row as a struct */
      if (th == NULL) sc->all = true;
      return;
    }
    if (!shadowed(sh, tb, false) && (s = find_src(sc, tb))) add_name(c, &s->refs, th);
    if (!shadowed(sh, db, false) && (s = find_src(sc, db))) add_name(c, &s->refs, tb);
    if (!shadowed(sh, cat, false) && (s = find_src(sc, cat))) add_name(c, &s->refs, db);
    return;
  }
  /* a bare star reads every source, except in count(*) and a select
   * list (visit_select looks at its own list) */
  if (uf_is(n, UF_STAR) && uf_get(n, UF_SLOT_QUALIFIER) == NULL && depth == 0 &&
      !uf_is(parent, UF_LIST))
    sc->all = true;
  if (uf_is(n, UF_FUNC) && depth == 0 && strcasecmp(n->text, "count") != 0) {
    uf_node *args = uf_get(n, UF_SLOT_ARGS);
    for (uint32_t i = 0; uf_is(args, UF_LIST) && i < args->nkids; i++)
      if (uf_is(args->kids[i], UF_STAR) && uf_get(args->kids[i], UF_SLOT_QUALIFIER) == NULL)
        sc->all = true;
  }
  if (uf_is(n, UF_COLUMNS_EXPR)) sc->all = true;
  if (is_query(n)) {
    shadow inner = {{0}, {0}, sh};
    from_aliases(c, uf_get(n, UF_SLOT_FROM), &inner.aliases);
    outputs(c, n, &inner.outputs);
    refs_kids(c, sc, n, depth + 1, &inner);
  } else if (uf_is(n, UF_LAMBDA)) {
    shadow inner = {{0}, {0}, sh};
    uf_node *p = uf_get(n, UF_SLOT_PARAMS);
    if (uf_is(p, UF_IDENT)) add_name(c, &inner.outputs, p->text);
    for (uint32_t i = 0; uf_is(p, UF_LIST) && i < p->nkids; i++)
      add_name(c, &inner.outputs, ident(p->kids[i]));
    refs_kids(c, sc, n, depth, &inner);
  } else {
    refs_kids(c, sc, n, depth, sh);
  }
}

static void refs_kids(pp *c, scope *sc, uf_node *n, int depth, const shadow *sh) {
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_has_kids(n->kids[i])) refs(c, sc, n->kids[i], n, depth, sh);
}

/* Visits the queries under n that are not sources of the scope. */
static void visit_nested(pp *c, uf_node *n, const scope *sc) {
  for (uint32_t i = 0; n && i < n->nkids && c->st == UF_OK; i++) {
    uf_node *k = n->kids[i];
    if (!uf_rw_structural(k) || uf_is(k, UF_WITH)) continue;
    if (is_query(k)) {
      bool source = false;
      for (size_t j = 0; sc && j < sc->n; j++) source |= sc->v[j].query == k;
      if (!source) visit_query(c, k, NULL);
      continue;
    }
    visit_nested(c, k, sc);
  }
}

static void visit_select(pp *c, uf_node *s) {
  scope sc = {0};
  collect_sources(c, &sc, uf_get(s, UF_SLOT_FROM));
  if (c->st != UF_OK) return;
  if (sc.n > 0) {
    uf_node *items = uf_get(s, UF_SLOT_EXPRS);
    for (uint32_t i = 0; uf_is(items, UF_LIST) && i < items->nkids; i++)
      if (uf_is(items->kids[i], UF_STAR) && !uf_get(items->kids[i], UF_SLOT_QUALIFIER))
        sc.all = true;
    for (uint32_t i = 0; i < s->nkids; i++) refs(c, &sc, s->kids[i], s, 0, NULL);
  }
  for (size_t i = 0; i < sc.n && c->st == UF_OK; i++) {
    src *x = &sc.v[i];
    bool all = x->all || sc.all;
    if (!all)
      for (size_t j = 0; j < sc.extra.n; j++) add_name(c, &x->refs, sc.extra.v[j]);
    if (x->query) visit_query(c, x->query, all ? NULL : &x->refs);
    else if (x->cte) {
      cte_ent *e = &c->ents[x->cte - 1];
      e->referenced = true;
      if (all) e->all = true;
      else
        for (size_t j = 0; j < x->refs.n; j++) add_name(c, &e->refs, x->refs.v[j]);
      if (x->refs.npos > e->refs.npos) e->refs.npos = x->refs.npos;
    }
  }
  visit_nested(c, s, &sc);
}

/* Prunes q for `want`, visits its scopes, then its CTEs (last first). */
static void visit_query(pp *c, uf_node *q, const names *want) {
  if (c->st != UF_OK || !is_query(q)) return;
  uf_node *w = uf_get(q, UF_SLOT_WITH);
  uf_node *ctes = w ? uf_get(w, UF_SLOT_CTES) : NULL;
  size_t base = c->nents, nc = uf_is(ctes, UF_LIST) ? ctes->nkids : 0;
  for (size_t i = 0; i < nc; i++) {
    cte_ent *v = grow(c, c->ents, &c->capents, c->nents, sizeof *v);
    if (v == NULL) return;
    c->ents = v;
    cte_ent *e = &c->ents[c->nents++];
    memset(e, 0, sizeof *e);
    e->cte = ctes->kids[i];
    size_t cols = 0;
    e->name = alias_of(e->cte, &cols);
    e->visible = e->name != NULL;
    e->all = cols || (w->flags & UF_F_RECURSIVE);
  }
  prune(c, q, want);
  if (uf_is(q, UF_SELECT)) visit_select(c, q);
  else visit_nested(c, q, NULL);
  for (size_t i = nc; i-- > 0 && c->st == UF_OK;) {
    cte_ent *e = &c->ents[base + i];
    e->visible = false;
    /* copy: visiting may grow the entry array */
    bool all = e->all || !e->referenced;
    names refs = e->refs;
    uf_node *body = uf_get(e->cte, UF_SLOT_THIS);
    visit_query(c, body, all ? NULL : &refs);
  }
  c->nents = base;
}

uf_status uf_pushdown_projections(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                                  uf_node **out_root, uf_error *err) {
  (void)o;
  *out_root = root;
  pp c = {.t = t, .st = UF_OK};
  uf_node *stmts[1] = {root};
  uf_node **list = stmts;
  size_t n = 1;
  if (uf_is(root, UF_SCRIPT)) {
    list = root->kids;
    n = root->nkids;
  }
  for (size_t i = 0; i < n && c.st == UF_OK; i++) {
    uf_node *s = list[i];
    if (is_query(s)) visit_query(&c, s, NULL);
    else if ((uf_is(s, UF_CREATE_TABLE) || uf_is(s, UF_CREATE_VIEW)) ||
             (uf_is(s, UF_INSERT) && uf_get(s, UF_SLOT_WITH) == NULL))
      visit_query(&c, uf_get(s, UF_SLOT_QUERY), NULL);
  }
  if (c.st != UF_OK)
    return uf_error_set(err, c.st, "pushdown_projections: %s", uf_status_message(c.st));
  return UF_OK;
}
