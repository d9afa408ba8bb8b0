/*
 * What a tree holds, in the terms the restructuring rules care about: the
 * compile lane skips a rule whose constructs are absent (a query without
 * derived tables or CTEs has nothing to merge or prune). One walk.
 */
#ifndef UF_OPT_TREE_FEATURES_H
#define UF_OPT_TREE_FEATURES_H

#include "unifier/ast.h"

enum {
  UF_TF_DERIVED = 1,   /* a derived table (subquery in FROM) */
  UF_TF_WITH = 2,      /* a WITH clause */
  UF_TF_JOIN = 4,      /* a join of any kind, comma joins included */
  UF_TF_LEFT_JOIN = 8, /* a LEFT join */
  UF_TF_SUBQUERY = 16  /* a scalar, EXISTS, IN or ANY/ALL subquery */
};

/* The UF_TF_* flags of the constructs anywhere under root. */
unsigned uf_tree_features_of(const uf_node *root);

#endif
