/*
 * optimize_joins: join kinds spelled one way, cross joins given the
 * conditions that join them, and inner joins ordered after the sources
 * their conditions read (SQLGlot's optimize_joins.py).
 *
 * Spelling (every join): INNER and OUTER are presentation (style bits);
 * an inner JOIN ... ON TRUE is a CROSS JOIN.
 *
 * Reordering (a SELECT whose whole FROM is inner and cross joins over
 * tables and derived tables): the sources are flattened in order, the ON
 * conditions split into conjuncts, each conjunct at home with the source
 * its join brought in. As SQLGlot does, a conjunct of a join reading two
 * or more other sources moves home to a cross-joined source it reads (the
 * cross join gets its condition). Then the sources are put in a stable
 * topological order (a source after every source its conjuncts read; the
 * written order wherever it is valid) and rebuilt as a left-deep chain,
 * each conjunct in the ON of its home or of the last source it reads.
 * For inner joins this is the same filter over the same product, so the
 * rows are the same; the columns are too because the select list names
 * them (a remaining * would change order: then nothing moves).
 *
 * Left alone: outer/semi/anti/asof/positional joins anywhere in the FROM,
 * USING/NATURAL, table functions and LATERAL (or implicitly lateral)
 * sources, unqualified columns in a condition, volatile calls, and queries
 * whose row order could show the join order (LIMIT/OFFSET/SAMPLE in the
 * query or around it, windows, order-sensitive aggregates).
 */
#include <string.h>
#include <strings.h>

#include "opt/fn_class.h"
#include "opt/rewrite.h"
#include "opt/names.h"
#include "unifier/opt.h"

#define MAXSRC 64
#define MAXCJ 256

enum { JS_OUTER = 1, JS_INNER = 2, JS_COMMA = 4, JS_PAREN = 8 };

typedef struct oj {
  uf_tree *t;
  uf_status st;
} oj;

typedef struct chain {
  uf_node *src[MAXSRC];
  const char *name[MAXSRC];
  size_t n;
  uf_node *cj[MAXCJ];
  int home[MAXCJ];      /* source index the conjunct came with */
  uint64_t deps[MAXCJ]; /* sources it reads */
  bool cross[MAXSRC];   /* brought in without a condition */
  size_t ncj;
  bool ok;
} chain;

static bool is_true(const uf_node *n) {
  return uf_is(n, UF_BOOLEAN) && strcasecmp(n->text, "TRUE") == 0;
}

/* -- spelling ------------------------------------------------------------------ */

static void spell(oj *o, uf_node *n) {
  n->style &= (uint8_t) ~(JS_OUTER | JS_INNER);
  uf_node *on = uf_get(n, UF_SLOT_ON);
  if (n->text[0] == 0 && is_true(on) && !uf_get(n, UF_SLOT_USING) && !(n->flags & UF_F_NATURAL) &&
      on->comments == NULL) {
    const char *cross = uf_intern(o->t, "CROSS", 5);
    uf_error e;
    if (cross == NULL) o->st = UF_NOMEM;
    else if (uf_set(n, UF_SLOT_ON, NULL, &e) == UF_OK) n->text = cross;
  }
}

/* -- reading a chain ------------------------------------------------------------- */

static bool inner_join(const uf_node *j) {
  if (uf_get(j, UF_SLOT_USING) || (j->flags & UF_F_NATURAL)) return false;
  if (j->text[0] == 0) return uf_get(j, UF_SLOT_ON) != NULL;
  return strcmp(j->text, "CROSS") == 0 && uf_get(j, UF_SLOT_ON) == NULL;
}

static const char *source_name(const uf_node *s) {
  uf_node *al = uf_get(s, UF_SLOT_ALIAS);
  uf_node *nm = uf_get(al, UF_SLOT_NAME);
  if (uf_is(nm, UF_IDENT)) return nm->text;
  if (uf_is(s, UF_TABLE) && !uf_get(s, UF_SLOT_DB) && !uf_get(s, UF_SLOT_CATALOG) &&
      uf_is(uf_get(s, UF_SLOT_THIS), UF_IDENT))
    return uf_get(s, UF_SLOT_THIS)->text;
  return NULL;
}

static void add_conjuncts(chain *c, uf_node *on, int home) {
  on = uf_rw_unparen(on);
  if (uf_is(on, UF_AND)) {
    add_conjuncts(c, on->kids[0], home);
    add_conjuncts(c, on->kids[1], home);
    return;
  }
  if (c->ncj == MAXCJ) {
    c->ok = false;
    return;
  }
  c->cj[c->ncj] = on;
  c->home[c->ncj++] = home;
}

/* In-order leaves of an inner/cross join tree; conjuncts go home to the
 * last source of their join's right side. */
static void flatten(chain *c, uf_node *n) {
  if (!c->ok) return;
  if (uf_is(n, UF_JOIN)) {
    if (!inner_join(n)) {
      c->ok = false;
      return;
    }
    flatten(c, uf_get(n, UF_SLOT_LEFT));
    flatten(c, uf_get(n, UF_SLOT_RIGHT));
    if (!c->ok || c->n == 0) return;
    uf_node *on = uf_get(n, UF_SLOT_ON);
    if (on) add_conjuncts(c, on, (int)c->n - 1);
    else if (uf_is(uf_rw_unparen(uf_get(n, UF_SLOT_RIGHT)), UF_JOIN) == false)
      c->cross[c->n - 1] = true;
    return;
  }
  bool table = uf_is(n, UF_TABLE), derived = uf_is(n, UF_DERIVED) && !(n->flags & UF_F_LATERAL);
  const char *name = source_name(n);
  if ((!table && !derived) || name == NULL || c->n == MAXSRC) {
    c->ok = false;
    return;
  }
  if (uf_name_in(c->name, c->n, name)) c->ok = false;
  c->src[c->n] = n;
  c->cross[c->n] = false;
  c->name[c->n++] = name;
}

typedef struct dep_ctx {
  const chain *c;
  uint64_t deps;
  bool bad;
} dep_ctx;

static bool volatile_name(const char *f) { return uf_fn_volatile(f); }

static int source_of(const chain *c, const uf_node *id) {
  if (!uf_is(id, UF_IDENT)) return -1;
  for (size_t i = 0; i < c->n; i++)
    if (uf_same_name(c->name[i], id->text)) return (int)i;
  return -1;
}

/* Sources a conjunct reads (inner scopes' names counted too: only ever
 * more dependencies than needed). */
static int read_deps(uf_node *n, uf_node *parent, void *vctx) {
  (void)parent;
  dep_ctx *d = vctx;
  if (uf_is(n, UF_COLUMN)) {
    uf_node *tb = uf_get(n, UF_SLOT_TABLE);
    if (tb == NULL) {
      int s = source_of(d->c, uf_get(n, UF_SLOT_THIS));
      if (s >= 0) d->deps |= (uint64_t)1 << s;
      /* an unqualified column inside a subquery is its own scope's */
      return 1;
    }
    int s = source_of(d->c, tb);
    if (s >= 0) d->deps |= (uint64_t)1 << s;
    return 1;
  }
  if (uf_is(n, UF_STAR) || uf_is(n, UF_COLUMNS_EXPR) ||
      (uf_is(n, UF_FUNC) && volatile_name(n->text))) {
    d->bad = true;
    return 2;
  }
  return 0;
}

/* An unqualified column at the conjunct's own level (not in a subquery). */
static bool unqualified(uf_node *n) {
  if (n == NULL) return false;
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) return false;
  if (uf_is(n, UF_COLUMN) && uf_get(n, UF_SLOT_TABLE) == NULL) return true;
  if (uf_is(n, UF_LAMBDA)) return false; /* its parameters read as columns */
  for (uint32_t i = 0; i < n->nkids; i++)
    if (unqualified(n->kids[i])) return true;
  return false;
}

static int outer_ref(uf_node *n, uf_node *parent, void *vctx) {
  (void)parent;
  const chain *c = vctx;
  if (!uf_is(n, UF_COLUMN)) return 0;
  uf_node *tb = uf_get(n, UF_SLOT_TABLE);
  return tb == NULL || source_of(c, tb) >= 0 ? 2 : 1;
}

/* A derived table that may read another source of the chain (implicitly
 * lateral in DuckDB): a column qualified with a chain name, or one left
 * unqualified. */
static bool reads_chain(const chain *c, uf_node *derived) {
  return uf_walk(uf_get(derived, UF_SLOT_THIS), outer_ref, (void *)c) == 2;
}

/* -- the query may show its join order --------------------------------------------- */

static bool order_sensitive_call(const uf_node *f) {
  static const char *const A[] = {"list", "array_agg", "string_agg", "group_concat", "listagg",
                                  "first", "last", "any_value", "arbitrary", "arg_min",
                                  "arg_max", "argmin", "argmax", "min_by", "max_by",
                                  "first_value", "last_value", "nth_value", "histogram",
                                  "bitstring_agg", "reservoir_quantile", NULL};
  if (uf_get(f, UF_SLOT_OVER)) return true;
  /* the lower-case first letter rules out most names before strcasecmp */
  char first = (char)(f->text[0] | 0x20);
  for (int i = 0; A[i]; i++)
    if (A[i][0] == first && strcasecmp(f->text, A[i]) == 0) return true;
  return false;
}

static int sensitive(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) return 1; /* own scope */
  if (uf_is(n, UF_FUNC) && order_sensitive_call(n)) return 2;
  return 0;
}

static int star_item(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) return 1;
  if (uf_is(n, UF_FUNC)) { /* count(*) names no column */
    uf_node *a = uf_get(n, UF_SLOT_ARGS);
    if (uf_is(a, UF_LIST) && a->nkids == 1 && uf_is(a->kids[0], UF_STAR) &&
        !uf_get(a->kids[0], UF_SLOT_QUALIFIER))
      return 1;
  }
  return uf_is(n, UF_STAR) || uf_is(n, UF_COLUMNS_EXPR) ? 2 : 0;
}

/* A star left in the select list: its columns follow the FROM order. */
static bool has_star(uf_node *s) {
  uf_node *e = uf_get(s, UF_SLOT_EXPRS);
  for (uint32_t j = 0; e && j < e->nkids; j++)
    if (e->kids[j] && uf_walk(e->kids[j], star_item, NULL)) return true;
  return false;
}

static bool shows_order(uf_node *s) {
  if (uf_get(s, UF_SLOT_LIMIT) || uf_get(s, UF_SLOT_OFFSET) || uf_get(s, UF_SLOT_SAMPLE) ||
      uf_get(s, UF_SLOT_WINDOW))
    return true;
  static const uf_slot SL[] = {UF_SLOT_EXPRS, UF_SLOT_HAVING, UF_SLOT_QUALIFY, UF_SLOT_ORDER,
                               UF_SLOT_DISTINCT_ON};
  for (size_t i = 0; i < sizeof SL / sizeof *SL; i++) {
    uf_node *k = uf_get(s, SL[i]);
    if (!k) continue;
    /* the list itself is no scope boundary: walk its items */
    for (uint32_t j = 0; j < (uf_is(k, UF_LIST) ? k->nkids : 1); j++) {
      uf_node *it = uf_is(k, UF_LIST) ? k->kids[j] : k;
      if (it && uf_kind_category((uf_kind)it->kind) != UF_CAT_QUERY && uf_walk(it, sensitive, NULL))
        return true;
    }
  }
  return false;
}

/* -- ordering ------------------------------------------------------------------------ */

static uf_node *mk(oj *o, uf_kind k) {
  uf_node *n = uf_node_new(o->t, k);
  if (n == NULL) o->st = UF_NOMEM;
  return n;
}

/* Enclosing SELECTs, their order visibility computed when first needed. */
typedef struct anc {
  uf_node *sel;
  int state; /* 0 not known yet, 1 shows its rows' order, 2 does not */
  struct anc *up;
} anc;

static bool ancestors_show(anc *a) {
  for (; a; a = a->up) {
    if (a->state == 0) a->state = shows_order(a->sel) ? 1 : 2;
    if (a->state == 1) return true;
  }
  return false;
}

static void reorder(oj *o, uf_node *s, anc *up) {
  int fi = uf_kind_slot_index(UF_SELECT, UF_SLOT_FROM);
  uf_node *from = s->kids[fi];
  chain cbuf, *c = &cbuf;
  c->n = c->ncj = 0;
  c->ok = true;
  flatten(c, from);
  if (!c->ok || c->n < 3) return;
  if (shows_order(s) || has_star(s) || ancestors_show(up)) return;
  for (size_t i = 0; i < c->n; i++)
    if (uf_is(c->src[i], UF_DERIVED) && reads_chain(c, c->src[i])) return;
  for (size_t k = 0; k < c->ncj; k++) {
    dep_ctx d = {c, 0, false};
    uf_walk(c->cj[k], read_deps, &d);
    if (d.bad || unqualified(c->cj[k])) return;
    c->deps[k] = d.deps;
  }
  /* cross joins get the conditions that read them (SQLGlot: from joins
   * whose condition reads two or more other sources) */
  bool moved = false;
  for (size_t x = 1; x < c->n; x++) {
    if (!c->cross[x]) continue;
    for (size_t k = 0; k < c->ncj; k++) {
      int h = c->home[k];
      if (h == (int)x || !(c->deps[k] & ((uint64_t)1 << x))) continue;
      uint64_t others = 0;
      for (size_t q = 0; q < c->ncj; q++)
        if (c->home[q] == h) others |= c->deps[q];
      others &= ~((uint64_t)1 << h);
      if (__builtin_popcountll(others) < 2) continue;
      c->home[k] = (int)x;
      moved = true;
    }
  }
  /* stable topological order: the written one wherever valid */
  uint64_t need[MAXSRC] = {0};
  for (size_t k = 0; k < c->ncj; k++) need[c->home[k]] |= c->deps[k];
  size_t order[MAXSRC], pos[MAXSRC];
  bool placed[MAXSRC] = {false};
  uint64_t have = 1;
  order[0] = 0, placed[0] = true, pos[0] = 0;
  bool changed = false;
  for (size_t m = 1; m < c->n; m++) {
    size_t pick = c->n;
    for (size_t i = 1; i < c->n && pick == c->n; i++)
      if (!placed[i] && (need[i] & ~have & ~((uint64_t)1 << i)) == 0) pick = i;
    if (pick == c->n) return; /* a cycle: leave it */
    if (pick != m) changed = true;
    order[m] = pick, placed[pick] = true, pos[pick] = m;
    have |= (uint64_t)1 << pick;
  }
  if (!changed && !moved) return;
  /* each conjunct at its home or after the last source it reads */
  size_t at[MAXCJ];
  for (size_t k = 0; k < c->ncj; k++) {
    size_t p = pos[c->home[k]];
    for (size_t i = 0; i < c->n; i++)
      if ((c->deps[k] & ((uint64_t)1 << i)) && pos[i] > p) p = pos[i];
    at[k] = p ? p : 1;
  }
  uf_node *acc = c->src[order[0]];
  for (size_t m = 1; m < c->n && o->st == UF_OK; m++) {
    uf_node *j = mk(o, UF_JOIN), *on = NULL;
    if (j == NULL) break;
    for (size_t k = 0; k < c->ncj; k++) {
      if (at[k] != m) continue;
      if (on == NULL) {
        on = c->cj[k];
        continue;
      }
      uf_node *a = mk(o, UF_AND);
      if (a == NULL) break;
      a->kids[0] = on, a->kids[1] = c->cj[k];
      on = a;
    }
    uf_error e;
    if (uf_set(j, UF_SLOT_LEFT, acc, &e) != UF_OK || uf_set(j, UF_SLOT_RIGHT, c->src[order[m]], &e) != UF_OK ||
        uf_set(j, UF_SLOT_ON, on, &e) != UF_OK) {
      o->st = UF_ERROR;
      break;
    }
    j->text = uf_intern(o->t, on ? "" : "CROSS", on ? 0 : 5);
    if (j->text == NULL) {
      o->st = UF_NOMEM;
      break;
    }
    acc = j;
  }
  if (o->st == UF_OK) s->kids[fi] = acc;
}

/* Post-order; `shown`: an enclosing query's row order or count (LIMIT,
 * a scalar or ARRAY subquery) could reveal this one's join order; `up`:
 * the enclosing SELECTs (an order-sensitive aggregate or window there
 * would too). */
static void walk(oj *o, uf_node *n, bool shown, anc *up, int depth) {
  if (o->st != UF_OK || depth > UF_MAX_TREE_DEPTH) return;
  bool sel = false;
  switch ((uf_kind)n->kind) {
  case UF_JOIN: spell(o, n); break;
  case UF_SELECT: sel = true; /* fall through */
  case UF_SET_OP: case UF_VALUES: case UF_QUERY_PAREN:
    shown = shown || uf_get(n, UF_SLOT_LIMIT) || uf_get(n, UF_SLOT_OFFSET);
    break;
  case UF_SUBQUERY: case UF_ARRAY: shown = true; break;
  default: break;
  }
  anc me = {n, 0, up};
  for (uint32_t i = 0; i < n->nkids; i++) {
    uf_node *k = n->kids[i];
    if (uf_rw_structural(k)) walk(o, k, shown, sel ? &me : up, depth + 1);
  }
  if (sel && !shown && uf_is(uf_get(n, UF_SLOT_FROM), UF_JOIN)) reorder(o, n, up);
}

uf_status uf_optimize_joins(uf_tree *t, uf_node *root, const uf_rewrite_options *opts,
                            uf_node **out_root, uf_error *err) {
  (void)opts;
  oj o = {t, UF_OK};
  if (root) walk(&o, root, false, NULL, 0);
  if (o.st != UF_OK) return uf_error_set(err, o.st, "optimize_joins: %s", uf_status_message(o.st));
  *out_root = root;
  return UF_OK;
}
