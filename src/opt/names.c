/*
 * A set of used names: open addressing over borrowed texts (the tree's
 * interned identifiers, which outlive the set), compared ASCII
 * case-insensitively, grown at half load. Only asked about fresh names,
 * so it holds only the tree's names that could be one.
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

static size_t find_slot(const uf_names *n, const char *name) {
  size_t i = (size_t)name_hash(name) & (n->cap - 1);
  while (n->slot[i] && !uf_same_name(n->slot[i], name)) i = (i + 1) & (n->cap - 1);
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

/* Only a name ending in "_<digits>" can spell a fresh name, so only those
 * of the tree are kept: most identifiers cost a strlen, not a hash. */
static bool could_be_fresh(const char *name) {
  size_t len = strlen(name), i = len;
  while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') i--;
  return i < len && i > 0 && name[i - 1] == '_';
}

static uf_status collect(uf_names *n, const uf_node *node, uf_error *err) {
  for (uint32_t i = 0; i < node->nkids; i++) {
    const uf_node *k = node->kids[i];
    if (k == NULL) continue;
    uf_status st = UF_OK;
    if (k->nkids) st = collect(n, k, err);
    else if (uf_is(k, UF_IDENT) && could_be_fresh(k->text)) st = uf_names_add(n, k->text, err);
    if (st != UF_OK) return st;
  }
  return UF_OK;
}

uf_status uf_names_open(const uf_node *root, uf_names **out, uf_error *err) {
  *out = NULL;
  uf_names *n = calloc(1, sizeof *n);
  if (n == NULL || !grow(n)) {
    free(n);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  uf_status st = UF_OK;
  if (root && root->nkids) st = collect(n, root, err);
  else if (uf_is(root, UF_IDENT) && could_be_fresh(root->text)) st = uf_names_add(n, root->text, err);
  if (st != UF_OK) {
    uf_names_free(n);
    return st;
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
