/*
 * Shared by the rewrite rules (canonicalize.c, simplify.c): a post-order
 * rewrite like uf_transform that leaves constant GROUP BY and ORDER BY
 * items alone. DuckDB reads an integer constant there as a position
 * (GROUP BY 2), and also a constant expression it folds while parsing
 * (GROUP BY - -5, GROUP BY -0), so turning (2 * 6) or (- -5) into 12 or
 * - -5 would change which column the clause names; nor is an item there
 * rewritten into a constant.
 */
#ifndef UF_OPT_REWRITE_H
#define UF_OPT_REWRITE_H

#include <string.h>

#include "unifier/ast.h"

/* A column reference or star under n (both kinds have slots, so atoms are
 * not descended into). */
static inline bool uf_rw_has_column_(const uf_node *n) {
  if (n->kind == UF_COLUMN || n->kind == UF_STAR) return true;
  for (uint32_t i = 0; i < n->nkids; i++) {
    const uf_node *k = n->kids[i];
    if (k && k->nkids && uf_rw_has_column_(k)) return true;
  }
  return false;
}

/* An item without any column reference: evaluated as a constant. */
static inline bool uf_rw_constant(uf_node *n) {
  return n && !uf_rw_has_column_(n);
}

/* A child of parent (under grand) sits where a constant reads as a
 * position: a GROUP BY item or an ORDER BY key. */
static inline bool uf_rw_position_slot(const uf_node *parent, const uf_node *grand) {
  return uf_is(parent, UF_ORDERED) ||
         (uf_is(parent, UF_LIST) && (uf_is(grand, UF_GROUP_BY) || uf_is(grand, UF_GROUPING)));
}

/* A GROUP BY item or an ORDER BY key that is constant: not rewritten. */
static inline bool uf_rw_protected(const uf_node *parent, uf_node *n, const uf_node *grand) {
  return uf_rw_position_slot(parent, grand) && uf_rw_constant(n);
}

/* Operators that bind tighter than anything a rewrite could leave in
 * their operand's place. */
static inline bool uf_rw_tight(const uf_node *n) {
  switch ((uf_kind)n->kind) {
  case UF_UNARY: case UF_DOT: case UF_SUBSCRIPT: case UF_SLICE: case UF_COLLATE:
  case UF_EXTRACT: case UF_INTERVAL: case UF_LAMBDA:
    return true;
  default: return false;
  }
}

/* n without the parentheses around an expression; parentheses around a
 * query are its syntax and stay. */
static inline uf_node *uf_rw_unparen(uf_node *n) {
  while (uf_is(n, UF_PAREN) && n->kids[0] &&
         uf_kind_category((uf_kind)n->kids[0]->kind) != UF_CAT_QUERY)
    n = n->kids[0];
  return n;
}

/* qsort order of node pointers by structural hash (uf_node_hash): a
 * deterministic order that does not depend on how the query was written. */
static inline int uf_rw_cmp_hash(const void *a, const void *b) {
  uint64_t ha = uf_node_hash(*(uf_node *const *)a), hb = uf_node_hash(*(uf_node *const *)b);
  return ha < hb ? -1 : ha > hb;
}

/* A child with children (not NULL, an atom or an empty list): walks that
 * look for nodes with slots enter only these. */
static inline bool uf_rw_has_kids(const uf_node *k) { return k && k->nkids; }

/* A child that may hold more than names: one with children that is not a
 * column reference (a COLUMN's parts are identifiers). Walks that look for
 * queries, joins or operators enter only these; atoms and columns are most
 * of a tree. */
static inline bool uf_rw_structural(const uf_node *k) {
  return uf_rw_has_kids(k) && k->kind != UF_COLUMN;
}

/* Only structural children (uf_rw_structural) are descended into and
 * passed to fn: no rewrite of canonicalize or simplify applies to others. */
static inline uf_node *uf_rw_rec(uf_node *n, const uf_node *parent, uf_transform_fn fn,
                                 void *ctx, uf_status *st) {
  for (uint32_t i = 0; i < n->nkids && *st == UF_OK; i++) {
    uf_node *k = n->kids[i];
    if (!uf_rw_structural(k) || uf_rw_protected(n, k, parent)) continue;
    uf_node *r = uf_rw_rec(k, n, fn, ctx, st);
    /* a table function's call stays a call (FROM COALESCE(0, 1) is no
     * FROM 0); its arguments may still fold */
    if (uf_is(n, UF_TABLE_FUNC) && r != k && !uf_is(r, UF_FUNC)) r = k;
    /* parentheses under a prefix/postfix operator stay: (0).f is not 0.f,
     * - (-1) not - -1 (a comment) */
    if (uf_is(k, UF_PAREN) && r != k && !uf_is(r, UF_PAREN) && uf_rw_tight(n)) r = k;
    /* nor does an item there become a constant (GROUP BY COALESCE(5, x)
     * folded to GROUP BY 5 names the fifth column) */
    if (r && r != k && uf_rw_position_slot(n, parent) && uf_rw_constant(r)) r = k;
    n->kids[i] = r;
  }
  if (*st != UF_OK) return n;
  if (uf_is(n, UF_LIST) || uf_is(n, UF_SCRIPT)) { /* dropped items leave no hole */
    uint32_t w = 0;
    for (uint32_t i = 0; i < n->nkids; i++)
      if (n->kids[i]) n->kids[w++] = n->kids[i];
    n->nkids = w;
  }
  return fn(n, ctx, st);
}

/* Post-order rewrite of root (uf_transform's contract), protected items
 * and nodes that are not structural below root excepted. */
static inline uf_status uf_rw_transform(uf_node *root, uf_transform_fn fn, void *ctx,
                                        uf_node **out_root, uf_error *err) {
  uf_status st = UF_OK;
  uf_node *r = root ? uf_rw_rec(root, NULL, fn, ctx, &st) : NULL;
  if (st != UF_OK) return uf_error_set(err, st, "rewrite failed: %s", uf_status_message(st));
  *out_root = r;
  return UF_OK;
}

/* The six comparison operators in their canonical spelling (canonicalize
 * respells `!=` and `==`). */
static inline bool uf_rw_is_cmp_op(const char *op) {
  switch (op[0]) {
  case '=': return op[1] == 0;
  case '<': return op[1] == 0 || ((op[1] == '>' || op[1] == '=') && op[2] == 0);
  case '>': return op[1] == 0 || (op[1] == '=' && op[2] == 0);
  default: return false;
  }
}

/* Grows a tree-arena array of n elements of sz bytes to hold one more:
 * old when it has room, else a copy twice the size (the old block stays in
 * the arena until the tree goes). NULL on out of memory. */
static inline void *uf_rw_grow(uf_tree *t, void *old, size_t *cap, size_t n, size_t sz) {
  if (n < *cap) return old;
  size_t nc = *cap ? *cap * 2 : 16;
  void *p = uf_tree_alloc(t, nc * sz);
  if (p == NULL) return NULL;
  if (old && n) memcpy(p, old, n * sz);
  *cap = nc;
  return p;
}

#endif
