/*
 * The compiled fingerprint does not depend on the names of table aliases
 * and CTEs: they are never visible in a query's output, so two queries that
 * differ only in them mean the same. Every name a TABLE_ALIAS defines (a
 * table's, derived table's, table function's or CTE's) is numbered in
 * pre-order of its first definition, and the definitions and the
 * references to it (column qualifiers, star qualifiers, a table naming a
 * CTE) are fingerprinted as that number, the text "#<number>" written as a
 * quoted identifier. One walk finds the definitions and the references;
 * the hash walk then substitutes the numbers (uf_fingerprint_renamed), so
 * the tree is not touched and the rendered SQL keeps the user's names.
 *
 * Names compare ASCII case-insensitively (DuckDB resolves them so). One
 * name defined in two scopes gets one number: renaming is a bijection on
 * names, so the structure that tells the scopes apart is kept.
 *
 * Nothing is allocated for ordinary queries: the arrays start on the stack
 * and move to the heap only when they outgrow it.
 */
#include <stdlib.h>
#include <string.h>

#include "opt/compile_internal.h"
#include "opt/names.h"
#include "sql/fingerprint.h"

/* A growable array whose first `cap` items live in a caller's buffer. */
typedef struct vec {
  void *v;
  size_t n, cap;
  bool heap;
} vec;

/* Doubles a full array (moving it to the heap); false on out of memory. */
static bool vec_grow(vec *a, size_t size) {
  size_t cap = a->cap * 2;
  void *p = a->heap ? realloc(a->v, cap * size) : malloc(cap * size);
  if (p == NULL) return false;
  if (!a->heap) memcpy(p, a->v, a->n * size);
  a->v = p;
  a->cap = cap;
  a->heap = true;
  return true;
}

static void vec_free(vec *a) {
  if (a->heap) free(a->v);
}

#define VEC_ON(buf) ((vec){(buf), 0, sizeof(buf) / sizeof(buf)[0], false})
/* Appends item (an lvalue of the array's type); false on out of memory. */
#define VEC_PUSH(a, item) \
  (((a)->n < (a)->cap || vec_grow((a), sizeof(item))) && (memcpy((char *)(a)->v + (a)->n++ * sizeof(item), &(item), sizeof(item)), true))

/* A defined name, its canonical text once numbered. */
typedef struct alias_name {
  const char *text;
  bool cte; /* some CTE defines it */
  uint8_t len;
  char canon[15];
} alias_name;

/* An ident that may name an alias, with whether only a CTE name counts. */
typedef struct cand {
  const uf_node *ident;
  bool cte_only;
} cand;

typedef struct scan {
  vec names; /* alias_name, in pre-order of first definition */
  vec cands; /* cand */
  bool oom;
} scan;

/* Texts are interned per tree, so the same spelling is the same pointer:
 * that is tried first, the case-insensitive compare only after. */
static long name_index(const scan *x, const char *name) {
  const alias_name *v = x->names.v;
  for (size_t i = 0; i < x->names.n; i++)
    if (v[i].text == name) return (long)i;
  for (size_t i = 0; i < x->names.n; i++)
    if (uf_same_name(v[i].text, name)) return (long)i;
  return -1;
}

static const uf_node *name_ident(const uf_node *table_alias) {
  const uf_node *id = uf_get(table_alias, UF_SLOT_NAME);
  return uf_is(id, UF_IDENT) && id->text[0] ? id : NULL;
}

static void define(scan *x, const uf_node *id, bool cte) {
  long i = name_index(x, id->text);
  if (i >= 0) {
    if (cte) ((alias_name *)x->names.v)[i].cte = true;
    return;
  }
  alias_name a = {.text = id->text, .cte = cte};
  if (!VEC_PUSH(&x->names, a)) x->oom = true;
}

static void add_cand(scan *x, const uf_node *id, bool cte_only) {
  if (!uf_is(id, UF_IDENT)) return;
  cand c = {id, cte_only};
  if (!VEC_PUSH(&x->cands, c)) x->oom = true;
}

/* The definitions and the places that may refer to one at node n. A
 * qualifier names an alias when it has no schema/catalog part. */
static void visit(scan *x, const uf_node *n) {
  if (uf_is(n, UF_TABLE_ALIAS)) {
    const uf_node *id = name_ident(n);
    if (id) {
      define(x, id, false);
      add_cand(x, id, false);
    }
  } else if (uf_is(n, UF_CTE)) { /* defined before its body is visited */
    const uf_node *a = uf_get(n, UF_SLOT_ALIAS);
    const uf_node *id = uf_is(a, UF_TABLE_ALIAS) ? name_ident(a) : NULL;
    if (id) define(x, id, true);
  } else if (uf_is(n, UF_COLUMN)) {
    if (uf_get(n, UF_SLOT_DB) == NULL) add_cand(x, uf_get(n, UF_SLOT_TABLE), false);
  } else if (uf_is(n, UF_STAR)) {
    const uf_node *q = uf_get(n, UF_SLOT_QUALIFIER);
    if (uf_is(q, UF_COLUMN) && uf_get(q, UF_SLOT_TABLE) == NULL)
      add_cand(x, uf_get(q, UF_SLOT_THIS), false);
  } else if (uf_is(n, UF_TABLE) && uf_get(n, UF_SLOT_DB) == NULL &&
             uf_get(n, UF_SLOT_CATALOG) == NULL) {
    add_cand(x, uf_get(n, UF_SLOT_THIS), true); /* a CTE by its name */
  }
}

/* Pre-order over the nodes that have children (the only ones visit acts
 * on): a stack of nodes, children pushed last-first. */
static void scan_tree(scan *x, const uf_node *root) {
  const uf_node *buf[128];
  vec stack = VEC_ON(buf);
  if (!VEC_PUSH(&stack, root)) x->oom = true;
  while (stack.n && !x->oom) {
    const uf_node *n = ((const uf_node **)stack.v)[--stack.n];
    visit(x, n);
    for (uint32_t i = n->nkids; i-- > 0 && !x->oom;) {
      const uf_node *c = n->kids[i];
      if (c && c->nkids && !VEC_PUSH(&stack, c)) x->oom = true;
    }
  }
  vec_free(&stack);
}

/* "#<i+1>" for name i. */
static void number(alias_name *a, size_t i) {
  char digits[20];
  size_t k = 0;
  for (size_t v = i + 1; v; v /= 10) digits[k++] = (char)('0' + v % 10);
  a->canon[0] = '#';
  for (size_t j = 0; j < k; j++) a->canon[1 + j] = digits[k - 1 - j];
  a->len = (uint8_t)(k + 1);
}

static void put_rename(uf_fp_renames *r, const uf_node *id, const alias_name *a) {
  size_t j = uf_fp_rename_home(id, r->cap);
  while (r->slot[j].ident && r->slot[j].ident != id) j = (j + 1) & (r->cap - 1);
  r->slot[j] = (uf_fp_rename){id, a->canon, a->len};
}

/* The renames: every candidate that names a defined alias (a CTE's, if
 * only a CTE counts there). */
static uf_status hash_renamed(scan *x, const uf_node *root, const uf_dialect *d,
                              uint8_t dg[32], uf_error *err) {
  alias_name *names = x->names.v;
  for (size_t i = 0; i < x->names.n; i++) number(&names[i], i);
  uf_fp_rename local[256];
  uf_fp_renames r = {local, 16};
  while (r.cap <= 2 * x->cands.n) r.cap *= 2;
  if (r.cap > sizeof local / sizeof local[0]) r.slot = calloc(r.cap, sizeof *r.slot);
  else memset(local, 0, r.cap * sizeof *local);
  if (r.slot == NULL) return uf_error_set(err, UF_NOMEM, "out of memory");
  const cand *c = x->cands.v;
  for (size_t k = 0; k < x->cands.n; k++) {
    long i = name_index(x, c[k].ident->text);
    if (i >= 0 && (!c[k].cte_only || names[i].cte)) put_rename(&r, c[k].ident, &names[i]);
  }
  uf_status st = uf_fingerprint_renamed(root, d, &r, dg, err);
  if (r.slot != local) free(r.slot);
  return st;
}

uf_status uf_fingerprint_alias_free(uf_tree *t, uf_node *root, const uf_dialect *d,
                                    char out[UF_FINGERPRINT_HEX], uf_error *err) {
  (void)t;
  out[0] = '\0';
  alias_name names[32];
  cand cands[128];
  scan x = {VEC_ON(names), VEC_ON(cands), false};
  if (root) scan_tree(&x, root);
  uint8_t dg[32];
  uf_status st;
  if (x.oom) st = uf_error_set(err, UF_NOMEM, "out of memory");
  else if (x.names.n == 0) st = uf_fingerprint(root, d, dg, err);
  else st = hash_renamed(&x, root, d, dg, err);
  if (st == UF_OK) uf_fp_hex(dg, out);
  vec_free(&x.names);
  vec_free(&x.cands);
  return st;
}
