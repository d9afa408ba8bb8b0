/*
 * The generic AST: kinds-table lookups, trees with an arena and an intern
 * table, and the table-driven operations (walk, transform, copy, equality,
 * hashing). No code here knows a particular kind beyond LIST/SCRIPT.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "unifier/ast.h"

/* ---- the kinds table, expanded ---------------------------------------- */

#define UF_S(s) UF_SLOT_##s,
#define SLOTS_(name, json, cat, ...) \
  static const uint8_t slots_##name[] = {__VA_ARGS__ UF_SLOT_COUNT};
UF_KIND_MAP(SLOTS_)
#undef SLOTS_
#undef UF_S

typedef struct kind_info {
  const char *name;
  uf_category cat;
  const uint8_t *slots;
  uint32_t nslots;
} kind_info;

static const kind_info KINDS[UF_KIND_COUNT] = {
#define INFO_(name, json, cat, ...) \
  {json, UF_CAT_##cat, slots_##name, sizeof(slots_##name) - 1},
    UF_KIND_MAP(INFO_)
#undef INFO_
};

static const char *const SLOT_NAMES[UF_SLOT_COUNT] = {
#define SN_(name, json) json,
    UF_SLOT_MAP(SN_)
#undef SN_
};

static const char *const FLAG_NAMES[32] = {
#define FN_(name, bit, json) [bit] = json,
    UF_FLAG_MAP(FN_)
#undef FN_
};

const char *uf_kind_name(uf_kind k) {
  return (unsigned)k < UF_KIND_COUNT ? KINDS[k].name : "?";
}

uf_kind uf_kind_from_name(const char *name) {
  for (int k = 0; k < UF_KIND_COUNT; k++)
    if (strcmp(KINDS[k].name, name) == 0) return (uf_kind)k;
  return UF_KIND_COUNT;
}

const uint8_t uf_kind_cat_[UF_KIND_COUNT] = {
#define CAT_(name, json, cat, ...) UF_CAT_##cat,
    UF_KIND_MAP(CAT_)
#undef CAT_
};

uint32_t uf_kind_slot_count(uf_kind k) {
  return (unsigned)k < UF_KIND_COUNT ? KINDS[k].nslots : 0;
}

uf_slot uf_kind_slot_at(uf_kind k, uint32_t i) {
  if ((unsigned)k >= UF_KIND_COUNT || i >= KINDS[k].nslots) return UF_SLOT_COUNT;
  return (uf_slot)KINDS[k].slots[i];
}

/* Slot positions by (kind, slot), index + 1 (0 = no such slot): every
 * uf_get/uf_set goes through them. Filled once, by the first uf_tree_new
 * (or uf_kind_slot_index) of the process; a thread that finds another
 * filling waits the few microseconds it takes, so no node is ever read
 * through a half-filled table (state 0 -> 1 -> 2). */
int8_t uf_slot_pos_[UF_KIND_COUNT][UF_SLOT_COUNT];
static atomic_int slot_pos_state;

static void slot_pos_ready(void) {
  if (atomic_load_explicit(&slot_pos_state, memory_order_acquire) == 2) return;
  int expected = 0;
  if (atomic_compare_exchange_strong(&slot_pos_state, &expected, 1)) {
    for (int k = 0; k < UF_KIND_COUNT; k++)
      for (uint32_t i = 0; i < KINDS[k].nslots; i++)
        uf_slot_pos_[k][KINDS[k].slots[i]] = (int8_t)(i + 1);
    atomic_store_explicit(&slot_pos_state, 2, memory_order_release);
    return;
  }
  while (atomic_load_explicit(&slot_pos_state, memory_order_acquire) != 2) {
  }
}

int uf_kind_slot_index(uf_kind k, uf_slot s) {
  if ((unsigned)k >= UF_KIND_COUNT || (unsigned)s >= UF_SLOT_COUNT) return -1;
  slot_pos_ready();
  return uf_slot_pos_[k][s] - 1;
}

static inline int slot_pos(uf_kind k, uf_slot s) {
  return (unsigned)k < UF_KIND_COUNT && (unsigned)s < UF_SLOT_COUNT ? uf_slot_pos_[k][s] - 1
                                                                    : -1;
}

const char *uf_slot_name(uf_slot s) {
  return (unsigned)s < UF_SLOT_COUNT ? SLOT_NAMES[s] : "?";
}

uf_slot uf_slot_from_name(const char *name) {
  for (int s = 0; s < UF_SLOT_COUNT; s++)
    if (strcmp(SLOT_NAMES[s], name) == 0) return (uf_slot)s;
  return UF_SLOT_COUNT;
}

const char *uf_flag_name(uint32_t bit) { return bit < 32 ? FLAG_NAMES[bit] : NULL; }

/* ---- trees and interning ---------------------------------------------- */

/* Intern table: open addressing, power-of-two capacity, load <= 1/2.
 * Entries point at arena strings whose length is stored before the text. */
typedef struct intern_entry {
  const char *s;
  uint32_t len;
  uint32_t hash;
} intern_entry;

struct uf_tree {
  uf_arena arena;
  uf_node *root;
  intern_entry *tab;
  uint32_t cap, count;
  uint32_t nodes; /* made by uf_node_new/uf_node_copy: bounds the depth */
};

uf_tree *uf_tree_new(void) {
  slot_pos_ready(); /* before any node exists: uf_get reads the table */
  uf_tree *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  uf_arena_init(&t->arena);
  return t;
}

void uf_tree_free(uf_tree *t) {
  if (!t) return;
  uf_arena_free(&t->arena);
  free(t->tab);
  free(t);
}

uf_node *uf_tree_root(const uf_tree *t) { return t ? t->root : NULL; }
uint32_t uf_tree_nodes_made_(const uf_tree *t) { return t->nodes; }
void uf_tree_set_root(uf_tree *t, uf_node *root) { t->root = root; }
size_t uf_tree_memory(const uf_tree *t) {
  return t->arena.total + (size_t)t->cap * sizeof(intern_entry);
}

void *uf_tree_alloc(uf_tree *t, size_t size) {
  return uf_arena_calloc(&t->arena, size);
}

static uint32_t fnv1a(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static int intern_grow(uf_tree *t) {
  uint32_t ncap = t->cap ? t->cap * 2 : 64;
  intern_entry *nt = calloc(ncap, sizeof *nt);
  if (!nt) return 0;
  for (uint32_t i = 0; i < t->cap; i++) {
    if (!t->tab[i].s) continue;
    uint32_t j = t->tab[i].hash & (ncap - 1);
    while (nt[j].s) j = (j + 1) & (ncap - 1);
    nt[j] = t->tab[i];
  }
  free(t->tab);
  t->tab = nt;
  t->cap = ncap;
  return 1;
}

/* The intern table's hash: eight bytes per step, not one (every name the
 * parser and the rules make goes through it). Only the table sees it. */
static uint32_t intern_hash(const char *s, size_t len) {
  const uint64_t m = 0xff51afd7ed558ccdull;
  uint64_t h = (uint64_t)len * 0x9e3779b97f4a7c15ull;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * m;
    h ^= h >> 32;
  }
  if (i < len) { /* the tail, read as overlapping words */
    uint64_t w;
    if (len >= 8) {
      memcpy(&w, s + len - 8, 8);
    } else if (len >= 4) {
      uint32_t a, b;
      memcpy(&a, s, 4);
      memcpy(&b, s + len - 4, 4);
      w = (uint64_t)a << 32 | b;
    } else {
      w = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[len / 2] << 8 |
          (uint64_t)(unsigned char)s[len - 1] << 16;
    }
    h = (h ^ w) * m;
  }
  h ^= h >> 29;
  return (uint32_t)(h ^ (h >> 32));
}

const char *uf_intern(uf_tree *t, const char *s, size_t len) {
  if (len == 0) return "";
  if (len > UINT32_MAX) return NULL;
  if ((t->count + 1) * 2 > t->cap && !intern_grow(t)) return NULL;
  uint32_t h = intern_hash(s, len);
  uint32_t j = h & (t->cap - 1);
  while (t->tab[j].s) {
    if (t->tab[j].hash == h && t->tab[j].len == len &&
        memcmp(t->tab[j].s, s, len) == 0)
      return t->tab[j].s;
    j = (j + 1) & (t->cap - 1);
  }
  char *copy = uf_arena_strndup(&t->arena, s, len);
  if (!copy) return NULL;
  t->tab[j].s = copy;
  t->tab[j].len = (uint32_t)len;
  t->tab[j].hash = h;
  t->count++;
  return copy;
}

/* ---- nodes -------------------------------------------------------------- */

uf_node *uf_node_new(uf_tree *t, uf_kind k) {
  if ((unsigned)k >= UF_KIND_COUNT) return NULL;
  /* the slots right behind the node: one allocation, one clear */
  uint32_t ns = KINDS[k].nslots;
  uf_node *n = uf_arena_calloc(&t->arena, sizeof *n + ns * sizeof(uf_node *));
  if (!n) return NULL;
  t->nodes++;
  n->kind = (uint16_t)k;
  n->text = "";
  if (ns) {
    n->kids = (uf_node **)(n + 1);
    n->nkids = n->cap = ns;
  }
  return n;
}

uf_node *uf_node_new_text(uf_tree *t, uf_kind k, const char *text, size_t len) {
  uf_node *n = uf_node_new(t, k);
  if (!n) return NULL;
  n->text = uf_intern(t, text, len);
  return n->text ? n : NULL;
}

static bool is_list(const uf_node *n) {
  return n->kind == UF_LIST || n->kind == UF_SCRIPT;
}


uf_status uf_set(uf_node *n, uf_slot s, uf_node *child, uf_error *err) {
  if (!n) return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_set on NULL node");
  int i = is_list(n) ? -1 : slot_pos((uf_kind)n->kind, s);
  if (i < 0)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "kind %s has no slot %s",
                        uf_kind_name((uf_kind)n->kind), uf_slot_name(s));
  n->kids[i] = child;
  return UF_OK;
}

uf_status uf_list_push(uf_tree *t, uf_node *list, uf_node *item, uf_error *err) {
  if (!list || !is_list(list))
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_list_push on a non-list");
  if (list->nkids == list->cap) {
    uint32_t ncap = list->cap ? list->cap * 2 : 4;
    uf_node **nk = uf_arena_alloc(&t->arena, ncap * sizeof *nk);
    if (!nk) return uf_error_set(err, UF_NOMEM, "out of memory");
    if (list->nkids) memcpy(nk, list->kids, list->nkids * sizeof *nk);
    list->kids = nk;
    list->cap = ncap;
  }
  list->kids[list->nkids++] = item;
  return UF_OK;
}

uf_status uf_node_add_comment(uf_tree *t, uf_node *n, const char *text,
                              size_t len, bool block, bool trailing,
                              uf_error *err) {
  uf_comment *c = uf_arena_calloc(&t->arena, sizeof *c);
  const char *s = c ? uf_arena_strndup(&t->arena, text, len) : NULL;
  if (!s) return uf_error_set(err, UF_NOMEM, "out of memory");
  c->text = s;
  c->block = block;
  c->trailing = trailing;
  uf_comment **tail = &n->comments;
  while (*tail) tail = &(*tail)->next;
  *tail = c;
  return UF_OK;
}

/* ---- walk, find, transform ---------------------------------------------- */

/* Visits the children of n (n itself already visited). The callback runs
 * here, in the loop, and a child without children is never recursed into:
 * half the nodes of a tree are leaves, and the call per node was most of
 * the walk's cost. kids and nkids are re-read after each callback, which
 * may edit the node it is given. */
static int walk_kids(uf_node *n, uf_walk_fn fn, void *ctx) {
  for (uint32_t i = 0; i < n->nkids; i++) {
    uf_node *k = n->kids[i];
    if (!k) continue;
    int r = fn(k, n, ctx);
    if (r == 2) return 2;
    if (r == 0 && k->nkids && walk_kids(k, fn, ctx) == 2) return 2;
  }
  return 0;
}

int uf_walk(uf_node *root, uf_walk_fn fn, void *ctx) {
  if (!root) return 0;
  int r = fn(root, NULL, ctx);
  if (r == 2) return 2;
  return r == 1 ? 0 : walk_kids(root, fn, ctx);
}

typedef struct find_ctx { uf_kind k; uf_node *found; } find_ctx;
static int find_cb(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  find_ctx *f = ctx;
  if (n->kind == f->k) { f->found = n; return 2; }
  return 0;
}

uf_node *uf_find(uf_node *root, uf_kind k) {
  find_ctx f = {k, NULL};
  uf_walk(root, find_cb, &f);
  return f.found;
}

static uf_node *transform_rec(uf_node *n, uf_transform_fn fn, void *ctx,
                              uf_status *st) {
  for (uint32_t i = 0; i < n->nkids && *st == UF_OK; i++) {
    if (!n->kids[i]) continue;
    n->kids[i] = transform_rec(n->kids[i], fn, ctx, st);
  }
  if (*st != UF_OK) return n;
  if (is_list(n)) { /* dropped items leave no hole */
    uint32_t w = 0;
    for (uint32_t i = 0; i < n->nkids; i++)
      if (n->kids[i]) n->kids[w++] = n->kids[i];
    n->nkids = w;
  }
  return fn(n, ctx, st);
}

uf_status uf_transform(uf_node *root, uf_transform_fn fn, void *ctx,
                       uf_node **out_root, uf_error *err) {
  uf_status st = UF_OK;
  uf_node *r = root ? transform_rec(root, fn, ctx, &st) : NULL;
  if (st != UF_OK) {
    if (out_root) *out_root = NULL;
    if (err && err->code == UF_OK)
      uf_error_set(err, st, "transform failed: %s", uf_status_message(st));
    return st;
  }
  if (out_root) *out_root = r;
  return UF_OK;
}

/* ---- copy, equality, hash ----------------------------------------------- */

uf_node *uf_node_copy(uf_tree *t, const uf_node *src) {
  if (!src) return NULL;
  uf_node *n = uf_arena_alloc(&t->arena, sizeof *n + src->nkids * sizeof(uf_node *));
  if (!n) return NULL;
  t->nodes++;
  *n = *src;
  n->comments = NULL;
  n->text = src->text[0] ? uf_intern(t, src->text, strlen(src->text)) : "";
  if (!n->text) return NULL;
  if (src->nkids) {
    n->kids = (uf_node **)(n + 1); /* every slot is written below */
    n->cap = src->nkids;
    for (uint32_t i = 0; i < src->nkids; i++) {
      n->kids[i] = NULL;
      if (!src->kids[i]) continue;
      n->kids[i] = uf_node_copy(t, src->kids[i]);
      if (!n->kids[i]) return NULL;
    }
  } else {
    n->kids = NULL;
    n->cap = 0;
  }
  for (const uf_comment *c = src->comments; c; c = c->next)
    if (uf_node_add_comment(t, n, c->text, strlen(c->text), c->block,
                            c->trailing, NULL) != UF_OK)
      return NULL;
  return n;
}

static bool comments_equal(const uf_comment *a, const uf_comment *b) {
  for (; a && b; a = a->next, b = b->next)
    if (a->block != b->block || a->trailing != b->trailing ||
        strcmp(a->text, b->text) != 0)
      return false;
  return a == b;
}

bool uf_node_equal(const uf_node *a, const uf_node *b, bool exact) {
  if (a == b) return true;
  if (!a || !b) return false;
  if (a->kind != b->kind || a->flags != b->flags || a->nkids != b->nkids)
    return false;
  if (a->text != b->text && strcmp(a->text, b->text) != 0) return false;
  if (exact && (a->style != b->style || !comments_equal(a->comments, b->comments)))
    return false;
  for (uint32_t i = 0; i < a->nkids; i++)
    if (!uf_node_equal(a->kids[i], b->kids[i], exact)) return false;
  return true;
}

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

uint64_t uf_node_hash(const uf_node *n) {
  if (!n) return 0x51ed27ull;
  uint64_t h = mix(n->kind, n->flags);
  h = mix(h, fnv1a(n->text, strlen(n->text)));
  h = mix(h, n->nkids);
  for (uint32_t i = 0; i < n->nkids; i++) h = mix(h, uf_node_hash(n->kids[i]));
  return h;
}
