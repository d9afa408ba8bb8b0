/*
 * Respellings of literal lists that canonicalize makes and simplify makes
 * again after its folds (a folded operand can complete a list: x = 1 OR
 * x = 1 + 1), so one compile leaves nothing for a second one to respell:
 *
 *   x = a OR x = b OR ...        x IN (a, b, ...)   integer or string
 *                                                   literals, one x
 *   x <> a AND x <> b AND ...    x NOT IN (a, b, ...)
 *   x [NOT] IN (a)               x = a  (x <> a)
 *   x IN (literals)              items ordered by hash when `sort`
 *   COUNT(<integer or string>)   COUNT(*)
 *
 * Each keeps DuckDB's results: see respell.c for the conditions.
 */
#ifndef UF_OPT_RESPELL_H
#define UF_OPT_RESPELL_H

#include <stdbool.h>

#include "unifier/ast.h"
#include "unifier/opt.h"

/* n's respelling (n itself if none applies; n may be changed in place).
 * types (may be NULL: list rewrites then need it and are skipped) is the
 * annotation of the tree n belongs to. Out of memory sets *st. */
uf_node *uf_respell(uf_tree *t, const uf_types *types, bool sort, uf_node *n, uf_status *st);

#endif
