/*
 * The compiled fingerprint does not depend on the names of table aliases
 * and CTEs: they are never visible in a query's output, so two queries that
 * differ only in them mean the same. Every name a TABLE_ALIAS defines (a
 * table's, derived table's, table function's or CTE's) is numbered in
 * pre-order of its first definition, and the definitions and the
 * references to it (column qualifiers, star qualifiers, a table naming a
 * CTE) are fingerprinted as that number. The tree is renamed in place for
 * the hash and restored after, so the rendered SQL keeps the user's names.
 *
 * Names compare ASCII case-insensitively (DuckDB resolves them so). One
 * name defined in two scopes gets one number: renaming is a bijection on
 * names, so the structure that tells the scopes apart is kept.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "opt/compile_internal.h"
#include "opt/rewrite.h"

typedef struct renamed {
  uf_node *ident;
  const char *text;
  uint32_t flags;
} renamed;

typedef struct canon {
  uf_tree *t;
  const char **names; /* defined names, in pre-order of first definition */
  bool *cte;          /* per name: some CTE defines it */
  const char **canon; /* per name: its numbered text, once made */
  size_t n, cap, capcte, capcanon;
  renamed *undo;
  size_t nundo, capundo;
  bool oom;
} canon;

static bool same_name(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
  return *a == *b;
}

/* Texts are interned per tree, so the same spelling is the same pointer:
 * that is tried first, the case-insensitive compare only after. */
static long name_index(const canon *c, const char *name) {
  for (size_t i = 0; i < c->n; i++)
    if (c->names[i] == name) return (long)i;
  for (size_t i = 0; i < c->n; i++)
    if (same_name(c->names[i], name)) return (long)i;
  return -1;
}

static void *grow(canon *c, void *old, size_t *cap, size_t used, size_t size) {
  void *p = uf_rw_grow(c->t, old, cap, used, size);
  if (p == NULL) c->oom = true;
  return p;
}

static int define(uf_node *n, uf_node *parent, void *ctx) {
  canon *c = ctx;
  if (uf_is(n, UF_IDENT) && uf_is(parent, UF_TABLE_ALIAS) && uf_get(parent, UF_SLOT_NAME) == n &&
      n->text[0] && name_index(c, n->text) < 0) {
    size_t cap = c->cap;
    const char **p = grow(c, c->names, &cap, c->n, sizeof *p);
    bool *f = grow(c, c->cte, &c->capcte, c->n, sizeof *f);
    const char **t = grow(c, c->canon, &c->capcanon, c->n, sizeof *t);
    if (p == NULL || f == NULL || t == NULL) return 2;
    c->cap = cap;
    c->names = p;
    c->cte = f;
    c->canon = t;
    c->cte[c->n] = false;
    c->canon[c->n] = NULL;
    c->names[c->n++] = n->text;
  }
  if (uf_is(n, UF_CTE)) { /* its alias is visited next: mark it then */
    uf_node *a = uf_get(n, UF_SLOT_ALIAS);
    uf_node *id = uf_is(a, UF_TABLE_ALIAS) ? uf_get(a, UF_SLOT_NAME) : NULL;
    if (uf_is(id, UF_IDENT) && id->text[0]) {
      define(id, a, c);
      long i = name_index(c, id->text);
      if (i >= 0) c->cte[i] = true;
    }
  }
  return c->oom ? 2 : 0;
}

static void rename_ident(canon *c, uf_node *id, bool cte_only) {
  if (!uf_is(id, UF_IDENT) || c->oom) return;
  long i = name_index(c, id->text);
  if (i < 0 || (cte_only && !c->cte[i])) return;
  renamed *u = grow(c, c->undo, &c->capundo, c->nundo, sizeof *u);
  if (u == NULL) return;
  c->undo = u;
  c->undo[c->nundo++] = (renamed){id, id->text, id->flags};
  if (c->canon[i] == NULL) { /* "#<i+1>", made once per name */
    char buf[32];
    int len = snprintf(buf, sizeof buf, "#%ld", i + 1);
    c->canon[i] = uf_intern(c->t, buf, (size_t)len);
    if (c->canon[i] == NULL) {
      c->oom = true;
      return;
    }
  }
  id->text = c->canon[i];
  id->flags |= UF_F_QUOTED; /* exact text in the hash */
}

/* Idents that may name an alias, with whether only a CTE name counts. */
typedef struct cand {
  uf_node *ident;
  bool cte_only;
} cand;

typedef struct scan {
  canon *c;
  cand *v;
  size_t n, cap;
} scan;

static void add_cand(scan *x, uf_node *id, bool cte_only) {
  if (!uf_is(id, UF_IDENT)) return;
  cand *v = grow(x->c, x->v, &x->cap, x->n, sizeof *v);
  if (v == NULL) return;
  x->v = v;
  x->v[x->n++] = (cand){id, cte_only};
}

/* One walk: the definitions (define) and every place that may refer to
 * one. A qualifier names an alias when it has no schema/catalog part. */
static int scan_walk(uf_node *n, uf_node *parent, void *ctx) {
  scan *x = ctx;
  if (define(n, parent, x->c) == 2) return 2;
  if (uf_is(n, UF_IDENT) && uf_is(parent, UF_TABLE_ALIAS) && uf_get(parent, UF_SLOT_NAME) == n)
    add_cand(x, n, false);
  else if (uf_is(n, UF_COLUMN) && uf_get(n, UF_SLOT_DB) == NULL)
    add_cand(x, uf_get(n, UF_SLOT_TABLE), false);
  else if (uf_is(n, UF_STAR)) {
    uf_node *q = uf_get(n, UF_SLOT_QUALIFIER);
    if (uf_is(q, UF_COLUMN) && uf_get(q, UF_SLOT_TABLE) == NULL)
      add_cand(x, uf_get(q, UF_SLOT_THIS), false);
  } else if (uf_is(n, UF_TABLE) && uf_get(n, UF_SLOT_DB) == NULL &&
             uf_get(n, UF_SLOT_CATALOG) == NULL)
    add_cand(x, uf_get(n, UF_SLOT_THIS), true); /* a CTE by its name */
  return x->c->oom ? 2 : 0;
}

uf_status uf_fingerprint_alias_free(uf_tree *t, uf_node *root, const uf_dialect *d,
                                    char out[UF_FINGERPRINT_HEX], uf_error *err) {
  canon c = {.t = t};
  scan x = {&c, NULL, 0, 0};
  uf_walk(root, scan_walk, &x);
  for (size_t i = 0; i < x.n && !c.oom && c.n; i++) rename_ident(&c, x.v[i].ident, x.v[i].cte_only);
  uf_status st = c.oom ? uf_error_set(err, UF_NOMEM, "out of memory")
                       : uf_fingerprint_hex(root, d, out, err);
  for (size_t i = c.nundo; i-- > 0;) {
    c.undo[i].ident->text = c.undo[i].text;
    c.undo[i].ident->flags = c.undo[i].flags;
  }
  return st;
}
