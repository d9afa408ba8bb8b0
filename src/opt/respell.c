/*
 * Literal lists and COUNT of a literal, one spelling each (opt/respell.h).
 */
#include "opt/respell.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opt/fn_class.h"

/* Longest OR chain turned into a list; longer ones stay as written. */
#define CHAIN_MAX 256

typedef struct canon {
  uf_tree *t;
  const uf_types *types;
  uf_status st;
} canon;

/* The operands of the AND or OR chain (kind k) at n, left to right; false
 * if longer than CHAIN_MAX or a link carries a comment (kept, so the chain
 * is left). */
static bool chain_operands(uf_node *n, uf_kind k, uf_node **ops, size_t *nops) {
  if (uf_is(n, k)) {
    if (n->comments) return false;
    return chain_operands(n->kids[0], k, ops, nops) && chain_operands(n->kids[1], k, ops, nops);
  }
  if (n == NULL || *nops == CHAIN_MAX) return false;
  ops[(*nops)++] = n;
  return true;
}

/* An integer or string literal: what an equality list may hold here. */
static bool plain_literal(const uf_node *n) {
  if (n == NULL || n->comments) return false;
  if (uf_is(n, UF_STRING)) return true;
  if (!uf_is(n, UF_NUMBER) || n->text[0] == '\0') return false;
  for (const char *p = n->text; *p; p++)
    if (*p < '0' || *p > '9') return false;
  return true;
}

/* The literal kind x compares with as it would with each literal alone:
 * integer literals with an integer x, strings with a VARCHAR x (needs the
 * annotation); UF_KIND_COUNT for none. */
static uf_kind literal_kind_for(const canon *c, const uf_node *x) {
  const uf_type *t = c->types ? uf_node_type(c->types, x) : NULL;
  if (t == NULL) return UF_KIND_COUNT;
  if (t->id >= UF_T_TINYINT && t->id <= UF_T_UHUGEINT) return UF_NUMBER;
  return t->id == UF_T_VARCHAR ? UF_STRING : UF_KIND_COUNT;
}

static bool has_param(const uf_node *n) {
  if (n == NULL) return false;
  if (uf_is(n, UF_PARAM)) return true;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (has_param(n->kids[i])) return true;
  return false;
}

/* x may be compared in a list as in separate comparisons: not volatile
 * (evaluated once instead of n times), no parameter (the count would
 * change), and it cannot fail (uf_rw_fallible: DuckDB's optimizer removes
 * some comparisons of such an x, as 14 * x = 1, before evaluating it, and
 * not the list; a query that ran could then overflow). */
static bool plain_operand(const uf_node *x) {
  return !uf_rw_volatile(x) && !has_param(x) && !uf_rw_fallible(x);
}

/* The equalities of an OR chain: one expression x, distinct literals. */
typedef struct eq_list {
  uf_node *x;
  uf_kind kind;
  uf_node *items[CHAIN_MAX];
  size_t n;
} eq_list;

static bool eq_add(eq_list *e, uf_node *x, uf_node *lit) {
  if (e->x == NULL) {
    e->x = x;
    e->kind = (uf_kind)lit->kind;
  } else if (lit->kind != e->kind || !uf_node_equal(e->x, x, false)) {
    return false;
  }
  for (size_t i = 0; i < e->n; i++)
    if (uf_node_equal(e->items[i], lit, false)) return true; /* x = 1 OR x = 1 */
  if (e->n == CHAIN_MAX) return false;
  e->items[e->n++] = lit;
  return true;
}

/* op is x = literal (either side), or x IN (literals) (an inner part of the
 * chain already turned into IN, or written so); negated: x <> literal, or
 * x NOT IN (literals). */
static bool eq_take(eq_list *e, uf_node *op, bool negated) {
  if (op->comments) return false;
  const char *cmp = negated ? "<>" : "=";
  if (uf_is(op, UF_BINARY) && strcmp(op->text, cmp) == 0) {
    uf_node *l = op->kids[0], *r = op->kids[1];
    if (plain_literal(r) && l && !plain_literal(l)) return eq_add(e, l, r);
    if (plain_literal(l) && r && !plain_literal(r)) return eq_add(e, r, l);
    return false;
  }
  uf_node *list = uf_get(op, UF_SLOT_LIST), *x = uf_get(op, UF_SLOT_THIS);
  bool not_in = (op->flags & UF_F_NOT) != 0;
  if (!uf_is(op, UF_IN) || not_in != negated || uf_get(op, UF_SLOT_QUERY) || !x ||
      !uf_is(list, UF_LIST) || list->nkids == 0)
    return false;
  for (uint32_t i = 0; i < list->nkids; i++)
    if (!plain_literal(list->kids[i]) || !eq_add(e, x, list->kids[i])) return false;
  return true;
}

/* An OR chain of equalities between one expression and integer or string
 * literals is x IN (a, b, ...), an AND chain of x <> literal is x NOT IN
 * (...): DuckDB's three-valued result is the same (NULL x: NULL), and each
 * literal binds against x as it does alone (literal_kind_for); x must be
 * a plain_operand. */
static uf_node *chain_to_in(canon *c, uf_node *n, bool negated) {
  uf_node *ops[CHAIN_MAX];
  size_t nops = 0;
  if (!chain_operands(n, (uf_kind)n->kind, ops, &nops) || nops < 2) return n;
  eq_list e;
  e.x = NULL;
  e.n = 0;
  for (size_t i = 0; i < nops; i++)
    if (!eq_take(&e, ops[i], negated)) return n;
  if (e.n < 2 || literal_kind_for(c, e.x) != e.kind || !plain_operand(e.x)) return n;
  uf_node *in = uf_node_new(c->t, UF_IN), *list = uf_node_new(c->t, UF_LIST);
  if (in == NULL || list == NULL) {
    c->st = UF_NOMEM;
    return n;
  }
  for (size_t i = 0; i < e.n; i++)
    if (uf_list_push(c->t, list, e.items[i], NULL) != UF_OK) {
      c->st = UF_NOMEM;
      return n;
    }
  if (negated) in->flags |= UF_F_NOT;
  if (uf_set(in, UF_SLOT_THIS, e.x, NULL) != UF_OK || uf_set(in, UF_SLOT_LIST, list, NULL) != UF_OK)
    c->st = UF_INTERNAL;
  return c->st == UF_OK ? in : n;
}

/* x [NOT] IN (a), one literal, is x = a (x <> a): one spelling for both. */
static uf_node *single_in(canon *c, uf_node *n) {
  uf_node *list = uf_get(n, UF_SLOT_LIST), *x = uf_get(n, UF_SLOT_THIS);
  if (n->comments || uf_get(n, UF_SLOT_QUERY) || !x || !uf_is(list, UF_LIST) ||
      list->nkids != 1 || !plain_literal(list->kids[0]) || plain_literal(x) || !plain_operand(x) ||
      literal_kind_for(c, x) != (uf_kind)list->kids[0]->kind)
    return n;
  const char *op = (n->flags & UF_F_NOT) ? "<>" : "=";
  uf_node *r = uf_node_new_text(c->t, UF_BINARY, op, strlen(op));
  if (r == NULL) {
    c->st = UF_NOMEM;
    return n;
  }
  r->kids[0] = x;
  r->kids[1] = list->kids[0];
  return r;
}

/* COUNT(<integer or string literal>) counts rows, as COUNT(*) does (the
 * literal is never NULL); not with DISTINCT (that counts 1 value) nor an
 * ORDER BY / WITHIN GROUP (COUNT(*) takes neither). FILTER and OVER stay. */
static uf_node *count_star(canon *c, uf_node *n) {
  uf_node *args = uf_get(n, UF_SLOT_ARGS);
  if ((n->flags & (UF_F_QUOTED | UF_F_DISTINCT)) || strcasecmp(n->text, "count") != 0 ||
      uf_get(n, UF_SLOT_DB) || uf_get(n, UF_SLOT_ORDER) || uf_get(n, UF_SLOT_WITHIN_GROUP) ||
      !uf_is(args, UF_LIST) || args->nkids != 1 || !plain_literal(args->kids[0]))
    return n;
  uf_node *star = uf_node_new(c->t, UF_STAR);
  if (star == NULL) {
    c->st = UF_NOMEM;
    return n;
  }
  args->kids[0] = star;
  return n;
}

/* The items of an IN list of literals, ordered by hash (sort_commutative):
 * the order of a literal list never changes the result. */
static void sort_in_list(uf_node *n) {
  uf_node *list = uf_get(n, UF_SLOT_LIST);
  if (!uf_is(list, UF_LIST) || list->nkids < 2) return;
  for (uint32_t i = 0; i < list->nkids; i++)
    if (!plain_literal(list->kids[i])) return;
  qsort(list->kids, list->nkids, sizeof *list->kids, uf_rw_cmp_hash);
}

uf_node *uf_respell(uf_tree *t, const uf_types *types, bool sort, uf_node *n, uf_status *st) {
  canon c = {t, types, UF_OK};
  uf_node *r = n;
  if (uf_is(n, UF_OR)) r = chain_to_in(&c, n, false);
  else if (uf_is(n, UF_AND)) r = chain_to_in(&c, n, true);
  else if (uf_is(n, UF_IN)) r = single_in(&c, n);
  else if (uf_is(n, UF_FUNC)) r = count_star(&c, n);
  if (sort && uf_is(r, UF_IN)) sort_in_list(r);
  if (c.st != UF_OK) *st = c.st;
  return r;
}
