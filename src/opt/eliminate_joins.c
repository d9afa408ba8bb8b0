/*
 * eliminate_joins: a LEFT JOIN removed when nothing reads the joined side
 * and it cannot change the row count (SQLGlot's eliminate_joins.py).
 *
 * A LEFT JOIN keeps every left row; it repeats one only when several
 * right rows match it. The right side here is a derived table or a CTE
 * whose SELECT is unique on some output columns K (SELECT DISTINCT: all
 * of them; GROUP BY: the grouped outputs, when every key is an output;
 * LIMIT 1 or an aggregate-only SELECT without GROUP BY: at most one row,
 * K empty), and the ON is a conjunction holding `right.k = <expression
 * not reading the right side>` for every k in K: then each left row
 * matches at most one right row, and with no column of the right side
 * read anywhere but in that ON, the join is the left side alone.
 *
 * Not removed: other join kinds, USING/NATURAL, LATERAL, set operations,
 * DISTINCT ON, GROUPING SETS/ROLLUP/CUBE/GROUP BY ALL, unexpanded stars
 * (a * may read the side), unqualified columns anywhere in the SELECT (one
 * may be the side's; SQLGlot skips those scopes too), USING/NATURAL joins
 * elsewhere in its FROM (they match the side's columns by name), volatile
 * calls on the right side or in the ON. Keys are compared as DuckDB
 * compares them; a coercion that maps distinct right keys to one value
 * (none between same-family types) would break uniqueness.
 */
#include <string.h>
#include <strings.h>

#include "opt/fn_class.h"
#include "opt/rewrite.h"
#include "unifier/opt.h"

typedef struct cte_scope {
  const uf_node *with; /* WITH clause */
  const struct cte_scope *up;
} cte_scope;

typedef struct ej {
  uf_tree *t;
  uf_status st;
} ej;

static bool same_name(const uf_node *id, const char *name) {
  return uf_is(id, UF_IDENT) && strcasecmp(id->text, name) == 0;
}

static const char *alias_name(const uf_node *src) {
  uf_node *al = uf_get(src, UF_SLOT_ALIAS);
  uf_node *nm = uf_get(al, UF_SLOT_NAME);
  return uf_is(nm, UF_IDENT) ? nm->text : NULL;
}

/* -- does anything read alias `a`? ----------------------------------------- */

typedef struct use_ctx {
  const char *a;
  const uf_node *select; /* the SELECT whose own stars count */
} use_ctx;

static int reads_alias(uf_node *n, uf_node *parent, void *vctx) {
  (void)parent;
  use_ctx *u = vctx;
  switch ((uf_kind)n->kind) {
  case UF_COLUMN: {
    /* an unqualified column might be the side's (SQLGlot skips such
     * scopes too) */
    uf_node *tb = uf_get(n, UF_SLOT_TABLE);
    if (tb == NULL || same_name(tb, u->a)) return 2;
    return 1;
  }
  case UF_JOIN: /* USING/NATURAL match columns of every source by name */
    return uf_get(n, UF_SLOT_USING) || (n->flags & UF_F_NATURAL) ? 2 : 0;
  case UF_STAR: {
    uf_node *q = uf_get(n, UF_SLOT_QUALIFIER);
    if (q) return uf_walk(q, reads_alias, u) == 2 || same_name(q, u->a) ? 2 : 1;
    return 2;
  }
  case UF_COLUMNS_EXPR:
    return 2;
  case UF_FUNC: { /* count(*): the star reads no column; the rest may */
    uf_node *args = uf_get(n, UF_SLOT_ARGS);
    if (!uf_is(args, UF_LIST) || args->nkids != 1 || !uf_is(args->kids[0], UF_STAR) ||
        uf_get(args->kids[0], UF_SLOT_QUALIFIER))
      return 0;
    for (uint32_t i = 0; i < n->nkids; i++)
      if (n->kids[i] && n->kids[i] != args && uf_walk(n->kids[i], reads_alias, u) == 2) return 2;
    return 1;
  }
  default:
    return 0;
  }
}

static bool volatile_name(const char *f) { return uf_fn_volatile(f); }

static int has_volatile(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  return uf_is(n, UF_FUNC) && volatile_name(n->text) ? 2 : 0;
}

/* -- uniqueness of the right side -------------------------------------------- */

#define MAXOUT 64

typedef struct outputs {
  const char *name[MAXOUT];
  uf_node *expr[MAXOUT];
  size_t n;
  bool unique[MAXOUT]; /* the rows are unique on these together */
  bool single;         /* at most one row */
} outputs;

static bool is_aggregate(const uf_node *n) {
  return uf_is(n, UF_FUNC) && !uf_get(n, UF_SLOT_OVER) && !uf_get(n, UF_SLOT_DB) &&
         uf_fn_aggregate(n->text);
}

static bool integer_text(const char *s, size_t *out) {
  size_t v = 0;
  if (*s == 0 || strlen(s) > 6) return false;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return false;
    v = v * 10 + (size_t)(*s - '0');
  }
  *out = v;
  return true;
}

/* Output names and unique columns of q (with the alias's column list
 * `cols`, if any). False when unknown. */
static bool unique_outputs(uf_node *q, const uf_node *cols, outputs *o) {
  memset(o, 0, sizeof *o);
  if (!uf_is(q, UF_SELECT) || uf_get(q, UF_SLOT_DISTINCT_ON)) return false;
  uf_node *exprs = uf_get(q, UF_SLOT_EXPRS);
  if (!uf_is(exprs, UF_LIST) || exprs->nkids == 0 || exprs->nkids > MAXOUT) return false;
  for (uint32_t i = 0; i < exprs->nkids; i++) {
    uf_node *e = exprs->kids[i];
    if (uf_is(e, UF_ALIAS)) {
      uf_node *nm = uf_get(e, UF_SLOT_ALIAS);
      if (!uf_is(nm, UF_IDENT)) return false;
      o->name[i] = nm->text;
      o->expr[i] = uf_get(e, UF_SLOT_THIS);
    } else if (uf_is(e, UF_COLUMN) && uf_is(uf_get(e, UF_SLOT_THIS), UF_IDENT)) {
      o->name[i] = uf_get(e, UF_SLOT_THIS)->text;
      o->expr[i] = e;
    } else {
      return false;
    }
  }
  o->n = exprs->nkids;
  if (cols) { /* AS d(x, y): the list renames the outputs */
    if (!uf_is(cols, UF_LIST) || cols->nkids > o->n) return false;
    for (uint32_t i = 0; i < cols->nkids; i++) {
      uf_node *c = cols->kids[i];
      if (uf_is(c, UF_COLUMN_DEF)) c = uf_get(c, UF_SLOT_NAME);
      if (!uf_is(c, UF_IDENT)) return false;
      o->name[i] = c->text;
    }
  }
  for (size_t i = 0; i < o->n; i++)
    for (size_t j = 0; j < i; j++)
      if (strcasecmp(o->name[i], o->name[j]) == 0) return false;
  if (q->flags & UF_F_DISTINCT) {
    for (size_t i = 0; i < o->n; i++) o->unique[i] = true;
    return true;
  }
  uf_node *g = uf_get(q, UF_SLOT_GROUP);
  if (g) {
    uf_node *keys = uf_get(g, UF_SLOT_EXPRS);
    if (!uf_is(g, UF_GROUP_BY) || (g->flags & UF_F_ALL) || !uf_is(keys, UF_LIST) || keys->nkids == 0)
      return false;
    for (uint32_t k = 0; k < keys->nkids; k++) {
      uf_node *key = keys->kids[k];
      size_t pos;
      if (uf_is(key, UF_GROUPING)) return false;
      if (uf_is(key, UF_NUMBER) && integer_text(key->text, &pos)) { /* GROUP BY 2 */
        if (pos == 0 || pos > o->n) return false;
        o->unique[pos - 1] = true;
        continue;
      }
      size_t i = 0;
      while (i < o->n && !uf_node_equal(uf_rw_unparen(o->expr[i]), uf_rw_unparen(key), false)) i++;
      if (i == o->n) return false; /* a key that is not an output */
      o->unique[i] = true;
    }
    return true;
  }
  uf_node *lim = uf_get(q, UF_SLOT_LIMIT);
  if (lim) {
    uf_node *v = uf_get(lim, UF_SLOT_THIS);
    if (uf_is(lim, UF_LIMIT) && !(lim->flags & (UF_F_PERCENT | UF_F_WITH_TIES)) &&
        uf_is(v, UF_NUMBER) && strcmp(v->text, "1") == 0) {
      o->single = true;
      return true;
    }
  }
  if (uf_get(q, UF_SLOT_QUALIFY) || uf_get(q, UF_SLOT_WINDOW)) return false;
  for (size_t i = 0; i < o->n; i++)
    if (!is_aggregate(uf_rw_unparen(o->expr[i]))) return false;
  o->single = true; /* aggregates without GROUP BY: one row */
  return true;
}

/* -- the ON condition --------------------------------------------------------- */

static size_t conjuncts(uf_node *n, uf_node **out, size_t cap, size_t w) {
  n = uf_rw_unparen(n);
  if (uf_is(n, UF_AND)) {
    w = conjuncts(n->kids[0], out, cap, w);
    return conjuncts(n->kids[1], out, cap, w);
  }
  if (w < cap) out[w] = n;
  return w + 1;
}

/* `side` is a.<name> and `other` does not read a: the name, else NULL. */
static const char *key_of(uf_node *side, uf_node *other, const char *a) {
  side = uf_rw_unparen(side);
  if (!uf_is(side, UF_COLUMN)) return NULL;
  uf_node *tb = uf_get(side, UF_SLOT_TABLE), *th = uf_get(side, UF_SLOT_THIS);
  if (!tb || !same_name(tb, a) || !uf_is(th, UF_IDENT) || uf_get(side, UF_SLOT_DB)) return NULL;
  use_ctx u = {a, NULL};
  if (uf_walk(other, reads_alias, &u) == 2) return NULL;
  return th->text;
}

/* Every unique output of the right side is equated to an expression of
 * the left side by an ON conjunct. */
static bool on_covers(uf_node *on, const char *a, const outputs *o) {
  if (o->single) return true;
  uf_node *cj[64];
  size_t m = conjuncts(on, cj, 64, 0);
  if (m > 64) return false;
  bool covered[MAXOUT] = {false};
  for (size_t i = 0; i < m; i++) {
    uf_node *c = cj[i];
    if (!uf_is(c, UF_BINARY) || strcmp(c->text, "=") != 0 || !c->kids[0] || !c->kids[1]) continue;
    const char *k = key_of(c->kids[0], c->kids[1], a);
    if (!k) k = key_of(c->kids[1], c->kids[0], a);
    for (size_t j = 0; k && j < o->n; j++)
      if (strcasecmp(o->name[j], k) == 0) covered[j] = true;
  }
  for (size_t j = 0; j < o->n; j++)
    if (o->unique[j] && !covered[j]) return false;
  return true;
}

/* -- finding the right side's query -------------------------------------------- */

static const uf_node *find_cte(const cte_scope *sc, const char *name) {
  for (; sc; sc = sc->up) {
    uf_node *ctes = uf_get(sc->with, UF_SLOT_CTES);
    for (uint32_t i = 0; ctes && i < ctes->nkids; i++) {
      uf_node *cte = ctes->kids[i];
      uf_node *al = uf_get(cte, UF_SLOT_ALIAS);
      uf_node *nm = uf_is(al, UF_TABLE_ALIAS) ? uf_get(al, UF_SLOT_NAME) : al;
      if (same_name(nm, name)) return cte;
    }
  }
  return NULL;
}

/* The query the joined source reads and its output renames. */
static uf_node *source_query(uf_node *src, const cte_scope *sc, const uf_node **cols) {
  *cols = NULL;
  uf_node *al = uf_get(src, UF_SLOT_ALIAS);
  if (uf_is(src, UF_DERIVED)) {
    if (src->flags & UF_F_LATERAL || uf_get(src, UF_SLOT_SAMPLE)) return NULL;
    *cols = uf_get(al, UF_SLOT_COLUMNS);
    return uf_get(src, UF_SLOT_THIS);
  }
  if (!uf_is(src, UF_TABLE) || uf_get(src, UF_SLOT_DB) || uf_get(src, UF_SLOT_CATALOG) ||
      uf_get(src, UF_SLOT_SAMPLE))
    return NULL;
  uf_node *nm = uf_get(src, UF_SLOT_THIS);
  if (!uf_is(nm, UF_IDENT)) return NULL;
  const uf_node *cte = find_cte(sc, nm->text);
  if (cte == NULL) return NULL;
  if (uf_get(al, UF_SLOT_COLUMNS)) return NULL;
  uf_node *cal = uf_get(cte, UF_SLOT_ALIAS);
  if (uf_is(cal, UF_TABLE_ALIAS)) *cols = uf_get(cal, UF_SLOT_COLUMNS);
  return uf_get(cte, UF_SLOT_THIS);
}

/* -- the rewrite ------------------------------------------------------------------ */

/* j (a LEFT JOIN of select s) can go. */
static bool removable(uf_node *s, uf_node *j, const cte_scope *sc) {
  if (strcmp(j->text, "LEFT") != 0 || (j->flags & UF_F_NATURAL) || uf_get(j, UF_SLOT_USING))
    return false;
  uf_node *on = uf_get(j, UF_SLOT_ON), *right = uf_get(j, UF_SLOT_RIGHT);
  const char *a = alias_name(right);
  if (!on || !a) return false;
  const uf_node *cols = NULL;
  uf_node *q = source_query(right, sc, &cols);
  outputs o;
  if (!q || !unique_outputs(q, cols, &o)) return false;
  if (uf_walk(q, has_volatile, NULL) || uf_walk(on, has_volatile, NULL)) return false;
  if (!on_covers(on, a, &o)) return false;
  /* nothing but the ON reads the right side */
  int ion = uf_kind_slot_index(UF_JOIN, UF_SLOT_ON), ir = uf_kind_slot_index(UF_JOIN, UF_SLOT_RIGHT);
  j->kids[ion] = NULL;
  j->kids[ir] = NULL;
  use_ctx u = {a, s};
  bool used = uf_walk(s, reads_alias, &u) == 2;
  j->kids[ion] = on;
  j->kids[ir] = right;
  return !used;
}

/* Removes one removable LEFT JOIN under *slot (the FROM tree of s, not
 * entering derived tables); true if one went. */
static bool eliminate_one(uf_node *s, uf_node **slot, const cte_scope *sc) {
  uf_node *n = *slot;
  if (!uf_is(n, UF_JOIN)) return false;
  int il = uf_kind_slot_index(UF_JOIN, UF_SLOT_LEFT), ir = uf_kind_slot_index(UF_JOIN, UF_SLOT_RIGHT);
  if (n->kids[ir] && eliminate_one(s, &n->kids[ir], sc)) return true;
  if (n->kids[il] && eliminate_one(s, &n->kids[il], sc)) return true;
  if (n->kids[il] && removable(s, n, sc)) {
    *slot = n->kids[il];
    return true;
  }
  return false;
}

static void walk(ej *e, uf_node *n, const cte_scope *sc, int depth) {
  if (n == NULL || depth > UF_MAX_TREE_DEPTH) return;
  cte_scope inner = {NULL, sc};
  uf_node *with = NULL;
  switch ((uf_kind)n->kind) {
  case UF_SELECT: case UF_SET_OP: case UF_QUERY_PAREN: case UF_INSERT: case UF_UPDATE: case UF_DELETE:
    with = uf_get(n, UF_SLOT_WITH);
    break;
  default: break;
  }
  if (uf_is(with, UF_WITH)) {
    inner.with = with;
    sc = &inner;
  }
  /* CTE bodies resolve against the outer scope only (conservative: a
   * body's reference to a sibling CTE is then left alone) */
  for (uint32_t i = 0; i < n->nkids; i++) {
    uf_node *k = n->kids[i];
    if (uf_rw_structural(k)) walk(e, k, k == with ? inner.up : sc, depth + 1);
  }
  if (!uf_is(n, UF_SELECT)) return;
  int f = uf_kind_slot_index(UF_SELECT, UF_SLOT_FROM);
  for (int guard = 0; guard < 256 && n->kids[f] && eliminate_one(n, &n->kids[f], sc); guard++)
    ;
}

uf_status uf_eliminate_joins(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                             uf_node **out_root, uf_error *err) {
  (void)o, (void)err;
  ej e = {t, UF_OK};
  walk(&e, root, NULL, 0);
  *out_root = root;
  return UF_OK;
}
