/*
 * eliminate_ctes: CTEs nothing reads are removed (SQLGlot's eliminate_ctes),
 * and a WITH left empty goes too.
 *
 * One walk records every CTE of the tree and every table reference that
 * may name one: a reference counts for every CTE of that name in the WITHs
 * around it (over-counting only keeps more), except the CTE whose body
 * holds it (a recursive CTE reading itself is not read by that). A
 * reference outside any CTE body makes its CTE live; a reference inside
 * the body of CTE A makes its CTE live if A is. Everything not live is
 * removed in one pass, which is what removing unread CTEs until none is
 * left would reach. A CTE whose body is not a query is always kept.

 */
#include <string.h>
#include <strings.h>

#include "opt/rewrite.h"
#include "unifier/opt.h"

typedef struct ent {
  uf_node *cte;
  const char *name;
  bool live;
} ent;

typedef struct edge {
  size_t from, to; /* entry indices; from = SIZE_MAX: not inside a CTE */
} edge;

typedef struct ec {
  uf_tree *t;
  uf_status st;
  ent *ents;
  size_t nents, capents;
  size_t *stack; /* indices of the CTEs in scope, innermost last */
  size_t nstack, capstack;
  edge *edges;
  size_t nedges, capedges;
} ec;

#define NONE ((size_t)-1)

static void *grow(ec *c, void *old, size_t *cap, size_t n, size_t sz) {
  void *p = uf_rw_grow(c->t, old, cap, n, sz);
  if (p == NULL) c->st = UF_NOMEM;
  return p;
}

static const char *cte_name(const uf_node *cte) {
  uf_node *a = uf_get(cte, UF_SLOT_ALIAS);
  uf_node *nm = a ? uf_get(a, UF_SLOT_NAME) : NULL;
  return uf_is(nm, UF_IDENT) ? nm->text : NULL;
}

static void reference(ec *c, const uf_node *table, size_t from) {
  if (uf_get(table, UF_SLOT_DB) || uf_get(table, UF_SLOT_CATALOG)) return;
  uf_node *th = uf_get(table, UF_SLOT_THIS);
  if (!uf_is(th, UF_IDENT)) return;
  for (size_t i = 0; i < c->nstack; i++) {
    size_t e = c->stack[i];
    if (e == from || c->ents[e].name == NULL || strcasecmp(c->ents[e].name, th->text) != 0)
      continue;
    edge *v = grow(c, c->edges, &c->capedges, c->nedges, sizeof *v);
    if (v == NULL) return;
    c->edges = v;
    c->edges[c->nedges++] = (edge){from, e};
  }
}

static void walk(ec *c, uf_node *n, size_t from) {
  if (n == NULL || c->st != UF_OK) return;
  if (uf_is(n, UF_TABLE)) reference(c, n, from);
  uf_node *w = uf_get(n, UF_SLOT_WITH); /* inline: cheap on every node */
  int wi = w ? uf_kind_slot_index((uf_kind)n->kind, UF_SLOT_WITH) : -1;
  uf_node *ctes = uf_is(w, UF_WITH) ? uf_get(w, UF_SLOT_CTES) : NULL;
  size_t base = c->nents, mark = c->nstack, nc = uf_is(ctes, UF_LIST) ? ctes->nkids : 0;
  for (size_t i = 0; i < nc; i++) {
    ent *v = grow(c, c->ents, &c->capents, c->nents, sizeof *v);
    size_t *s = v ? grow(c, c->stack, &c->capstack, c->nstack, sizeof *s) : NULL;
    if (s == NULL) return;
    c->ents = v;
    c->stack = s;
    uf_node *q = uf_get(ctes->kids[i], UF_SLOT_THIS);
    bool query = q && uf_kind_category((uf_kind)q->kind) == UF_CAT_QUERY;
    c->ents[c->nents] = (ent){ctes->kids[i], cte_name(ctes->kids[i]), !query};
    c->stack[c->nstack++] = c->nents++;
  }
  for (size_t i = 0; i < nc; i++) walk(c, ctes->kids[i], base + i);
  for (uint32_t i = 0; i < n->nkids; i++)
    if ((int)i != wi) walk(c, n->kids[i], from);
  c->nstack = mark;
}

/* Drops the dead CTEs of every WITH under n. */
static void sweep(ec *c, uf_node *n, size_t *next) {
  if (n == NULL) return;
  uf_node *w = uf_get(n, UF_SLOT_WITH); /* inline: cheap on every node */
  int wi = w ? uf_kind_slot_index((uf_kind)n->kind, UF_SLOT_WITH) : -1;
  uf_node *ctes = uf_is(w, UF_WITH) ? uf_get(w, UF_SLOT_CTES) : NULL;
  size_t base = *next, nc = uf_is(ctes, UF_LIST) ? ctes->nkids : 0;
  *next += nc;
  for (size_t i = 0; i < nc; i++) sweep(c, ctes->kids[i], next);
  for (uint32_t i = 0; i < n->nkids; i++)
    if ((int)i != wi) sweep(c, n->kids[i], next);
  if (nc == 0) return;
  uint32_t k = 0;
  for (size_t i = 0; i < nc; i++)
    if (c->ents[base + i].live) ctes->kids[k++] = ctes->kids[i];
  ctes->nkids = k;
  if (k == 0) n->kids[wi] = NULL;
}

uf_status uf_eliminate_ctes(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                            uf_node **out_root, uf_error *err) {
  (void)o;
  *out_root = root;
  if (uf_find(root, UF_WITH) == NULL) return UF_OK;
  ec c = {.t = t, .st = UF_OK};
  walk(&c, root, NONE);
  if (c.st != UF_OK)
    return uf_error_set(err, c.st, "eliminate_ctes: %s", uf_status_message(c.st));
  if (c.nents == 0) return UF_OK;
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < c.nedges; i++) {
      edge e = c.edges[i];
      if (!c.ents[e.to].live && (e.from == NONE || c.ents[e.from].live)) {
        c.ents[e.to].live = true;
        changed = true;
      }
    }
  }
  bool dead = false;
  for (size_t i = 0; i < c.nents; i++) dead |= !c.ents[i].live;
  if (dead) {
    size_t next = 0;
    sweep(&c, root, &next);
  }
  return UF_OK;
}
