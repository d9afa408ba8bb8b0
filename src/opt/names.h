/*
 * Names the rewrite rules generate (aliases of new derived tables, CTE
 * names, column aliases): "<prefix>_<N>" with the smallest N such that no
 * identifier of the tree and no name handed out before spells it (ASCII
 * case-insensitive, as DuckDB compares unquoted names). The names depend
 * only on the tree and the order of requests, never on addresses, so a
 * compilation is deterministic.
 */
#ifndef UF_OPT_NAMES_H
#define UF_OPT_NAMES_H

#include "unifier/ast.h"
#include "unifier/status.h"

typedef struct uf_names uf_names;

/* The identifiers used under root. *out is new: free with uf_names_free. */
uf_status uf_names_open(const uf_node *root, uf_names **out, uf_error *err);
void uf_names_free(uf_names *n);

/* Marks `name` as used (a name a rule introduces some other way); name is
 * borrowed and must stay valid while n is used (a tree text does). */
uf_status uf_names_add(uf_names *n, const char *name, uf_error *err);

/* A fresh name "<prefix>_<N>" interned in t (borrowed from t), now used. */
uf_status uf_names_fresh(uf_names *n, uf_tree *t, const char *prefix,
                         const char **out, uf_error *err);

#endif
