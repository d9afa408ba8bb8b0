/*
 * Classes of functions the rewrite rules must respect: volatile ones
 * (a new value per call: evaluating one twice, or once instead of twice,
 * changes results), aggregates, and set-returning ones (they change the
 * row count where they appear). Names compare ASCII case-insensitively,
 * as DuckDB resolves unquoted function names.
 */
#ifndef UF_OPT_FN_CLASS_H
#define UF_OPT_FN_CLASS_H

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "opt/rewrite.h"
#include "unifier/ast.h"

static inline bool uf_fn_name_in(const char *name, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (strcasecmp(name, list[i]) == 0) return true;
  return false;
}

/* A new value per call, or a side effect. */
static inline bool uf_fn_volatile(const char *name) {
  static const char *const V[] = {"random", "rand", "uuid", "gen_random_uuid", "uuidv4",
                                  "uuidv7", "nextval", "currval", "setseed", NULL};
  return uf_fn_name_in(name, V);
}

static int uf_fn_volatile_walk_(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  return uf_is(n, UF_FUNC) && uf_fn_volatile(n->text) ? 2 : 0;
}

/* Some call under n (subqueries included) is volatile. */
static inline bool uf_rw_volatile(const uf_node *n) {
  return n && uf_walk((uf_node *)n, uf_fn_volatile_walk_, NULL) == 2;
}

/* n itself can raise a data-dependent error (integer overflow of + - *
 * or unary minus, a failing CAST) on some row: a predicate holding one
 * must not move to where it runs in another order relative to the
 * conjuncts that guard it, or a query that ran could fail. Constant
 * subtrees are evaluated once either way and do not count. */
static inline bool uf_rw_fallible_node(const uf_node *n) {
  if (uf_is(n, UF_BINARY))
    return (!strcmp(n->text, "+") || !strcmp(n->text, "-") || !strcmp(n->text, "*")) &&
           !uf_rw_constant((uf_node *)n);
  if (uf_is(n, UF_UNARY)) return !strcmp(n->text, "-") && !uf_rw_constant((uf_node *)n);
  if (uf_is(n, UF_CAST)) return !(n->flags & UF_F_TRY) && !uf_rw_constant((uf_node *)n);
  return false;
}

static int uf_rw_fallible_walk_(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  return uf_rw_fallible_node(n) ? 2 : 0;
}

/* Some node under n can fail on some rows (uf_rw_fallible_node). */
static inline bool uf_rw_fallible(const uf_node *n) {
  return n && uf_walk((uf_node *)n, uf_rw_fallible_walk_, NULL) == 2;
}

#endif
