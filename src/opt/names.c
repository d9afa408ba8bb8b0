/*
 * A set of used names: open addressing over borrowed texts (the tree's
 * interned identifiers, which outlive the set), compared ASCII
 * case-insensitively, grown at half load.
 */
#include "opt/names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct uf_names {
  const char **slot; /* borrowed names (tree texts), NULL = empty */
  size_t cap;  /* power of two */
  size_t used;
};

static uint64_t name_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL; /* FNV-1a over lower-cased bytes */
  for (; *s; s++) h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211ULL;
  return h;
}

static bool same_name(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
  return *a == *b;
}

static size_t find_slot(const uf_names *n, const char *name) {
  size_t i = (size_t)name_hash(name) & (n->cap - 1);
  while (n->slot[i] && !same_name(n->slot[i], name)) i = (i + 1) & (n->cap - 1);
  return i;
}

static bool has_name(const uf_names *n, const char *name) {
  return n->slot[find_slot(n, name)] != NULL;
}

static bool grow(uf_names *n) {
  size_t cap = n->cap ? 2 * n->cap : 64;
  const char **old = n->slot;
  size_t oldcap = n->cap;
  n->slot = calloc(cap, sizeof *n->slot);
  if (n->slot == NULL) {
    n->slot = old;
    return false;
  }
  n->cap = cap;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i]) n->slot[find_slot(n, old[i])] = old[i];
  free(old);
  return true;
}

uf_status uf_names_add(uf_names *n, const char *name, uf_error *err) {
  if ((n->used + 1) * 2 > n->cap && !grow(n))
    return uf_error_set(err, UF_NOMEM, "out of memory");
  size_t i = find_slot(n, name);
  if (n->slot[i]) return UF_OK;
  n->slot[i] = name;
  n->used++;
  return UF_OK;
}

typedef struct collect {
  uf_names *n;
  uf_status st;
  uf_error *err;
} collect;

static int collect_ident(uf_node *node, uf_node *parent, void *ctx) {
  (void)parent;
  collect *c = ctx;
  if (uf_is(node, UF_IDENT) && node->text[0]) {
    c->st = uf_names_add(c->n, node->text, c->err);
    if (c->st != UF_OK) return 2;
  }
  return 0;
}

uf_status uf_names_open(const uf_node *root, uf_names **out, uf_error *err) {
  *out = NULL;
  uf_names *n = calloc(1, sizeof *n);
  if (n == NULL || !grow(n)) {
    free(n);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  collect c = {n, UF_OK, err};
  /* uf_walk takes a mutable root but the callback only reads. */
  if (root) uf_walk((uf_node *)root, collect_ident, &c);
  if (c.st != UF_OK) {
    uf_names_free(n);
    return c.st;
  }
  *out = n;
  return UF_OK;
}

void uf_names_free(uf_names *n) {
  if (n == NULL) return;
  free(n->slot);
  free(n);
}

uf_status uf_names_fresh(uf_names *n, uf_tree *t, const char *prefix,
                         const char **out, uf_error *err) {
  char buf[128];
  for (unsigned long i = 0;; i++) {
    int len = snprintf(buf, sizeof buf, "%s_%lu", prefix, i);
    if (len < 0 || (size_t)len >= sizeof buf)
      return uf_error_set(err, UF_INVALID_ARGUMENT, "generated name prefix too long");
    if (has_name(n, buf)) continue;
    *out = uf_intern(t, buf, (size_t)len);
    if (*out == NULL) return uf_error_set(err, UF_NOMEM, "out of memory");
    return uf_names_add(n, *out, err);
  }
}
