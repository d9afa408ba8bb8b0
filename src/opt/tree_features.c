#include "opt/tree_features.h"

#include <string.h>

static int feature_walk(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  unsigned *f = ctx;
  switch ((uf_kind)n->kind) {
  case UF_DERIVED: *f |= UF_TF_DERIVED; break;
  case UF_WITH: *f |= UF_TF_WITH; break;
  case UF_JOIN:
    *f |= UF_TF_JOIN;
    if (strcmp(n->text, "LEFT") == 0) *f |= UF_TF_LEFT_JOIN;
    break;
  case UF_SUBQUERY: case UF_EXISTS: case UF_QUANTIFIED: *f |= UF_TF_SUBQUERY; break;
  case UF_IN:
    if (uf_get(n, UF_SLOT_QUERY)) *f |= UF_TF_SUBQUERY;
    break;
  default: break;
  }
  return 0;
}

unsigned uf_tree_features_of(const uf_node *root) {
  unsigned f = 0;
  /* uf_walk takes a mutable root; the callback only reads */
  if (root) uf_walk((uf_node *)root, feature_walk, &f);
  return f;
}
