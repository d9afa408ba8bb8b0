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

#include <stdbool.h>
#include <stdlib.h>
#include <strings.h>

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

/* -- small name lists --------------------------------------------------- */

/* Two identifier texts name the same thing: ASCII case-insensitive (as
 * DuckDB resolves unquoted names); interned texts usually match by
 * pointer. NULL names nothing. */
static inline bool uf_same_name(const char *a, const char *b) {
  if (a == b) return a != NULL;
  if (a == NULL || b == NULL || ((a[0] ^ b[0]) & ~0x20) != 0) return false;
  return strcasecmp(a, b) == 0;
}

/* A short list of borrowed names, no duplicates (uf_same_name), in the
 * order added; v is malloc'd (free it), oom set when adding failed. For
 * the handful of aliases a query scope holds: a scan beats a hash. */
typedef struct uf_name_list {
  const char **v;
  size_t n, cap;
  bool oom;
} uf_name_list;

/* name is one of the n names of v (uf_same_name). */
static inline bool uf_name_in(const char *const *v, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (uf_same_name(v[i], name)) return true;
  return false;
}

static inline bool uf_name_list_has(const uf_name_list *s, const char *name) {
  return uf_name_in(s->v, s->n, name);
}

static inline void uf_name_list_add(uf_name_list *s, const char *name) {
  if (name == NULL || uf_name_list_has(s, name)) return;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    const char **g = realloc(s->v, cap * sizeof *g);
    if (g == NULL) {
      s->oom = true;
      return;
    }
    s->v = g, s->cap = cap;
  }
  s->v[s->n++] = name;
}

#endif
