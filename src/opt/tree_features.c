#include "opt/tree_features.h"

#include <string.h>

#include "opt/rewrite.h"

#define ALL_FEATURES \
  (UF_TF_DERIVED | UF_TF_WITH | UF_TF_JOIN | UF_TF_LEFT_JOIN | UF_TF_SUBQUERY)

static unsigned own_features(const uf_node *n) {
  switch ((uf_kind)n->kind) {
  case UF_DERIVED: return UF_TF_DERIVED;
  case UF_WITH: return UF_TF_WITH;
  case UF_JOIN: return strcmp(n->text, "LEFT") == 0 ? UF_TF_JOIN | UF_TF_LEFT_JOIN : UF_TF_JOIN;
  case UF_SUBQUERY: case UF_EXISTS: case UF_QUANTIFIED: return UF_TF_SUBQUERY;
  case UF_IN: return uf_get(n, UF_SLOT_QUERY) ? UF_TF_SUBQUERY : 0;
  default: return 0;
  }
}

/* Pre-order over the nodes with children (every flagged kind has slots, so
 * atoms and empty lists hold nothing) but column references (names only);
 * stops once every flag is set. Returns f with the flags under n added. */
static unsigned scan(const uf_node *n, unsigned f) {
  f |= own_features(n);
  for (uint32_t i = 0; i < n->nkids; i++) {
    const uf_node *k = n->kids[i];
    if (!uf_rw_structural(k)) continue;
    f = scan(k, f);
    if (f == ALL_FEATURES) break;
  }
  return f;
}

unsigned uf_tree_features_of(const uf_node *root) {
  return root ? scan(root, 0) : 0;
}
