/*
 * unifier — the AST: one generic node type, kinds from ast_kinds.h.
 *
 * Memory: every node, every interned string and every comment of a tree lives
 * in the tree's arena. uf_tree_free releases all of it at once; there is no
 * per-node free. Nodes of one tree must not be linked into another tree:
 * use uf_node_copy to move a subtree across trees.
 *
 * Invariants: `text` is never NULL (empty string when unused) and is
 * interned in the tree, so two texts of one tree are equal iff the pointers
 * are equal. A LIST or SCRIPT node has `nkids` items in `kids`; any other
 * kind has exactly uf_kind_slot_count(kind) entries in `kids`, in the order
 * of its UF_S list, each possibly NULL.
 */
#ifndef UNIFIER_AST_H
#define UNIFIER_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/ast_kinds.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum uf_kind {
#define UF_KIND_ENUM_(name, json, cat, ...) UF_##name,
  UF_KIND_MAP(UF_KIND_ENUM_)
#undef UF_KIND_ENUM_
  UF_KIND_COUNT
} uf_kind;

typedef enum uf_slot {
#define UF_SLOT_ENUM_(name, json) UF_SLOT_##name,
  UF_SLOT_MAP(UF_SLOT_ENUM_)
#undef UF_SLOT_ENUM_
  UF_SLOT_COUNT
} uf_slot;

enum {
#define UF_FLAG_ENUM_(name, bit, json) UF_F_##name = (int32_t)(1u << (bit)),
  UF_FLAG_MAP(UF_FLAG_ENUM_)
#undef UF_FLAG_ENUM_
};

/* IDENT style bit: the identifier was written in quotes. The UF_F_QUOTED
 * flag is set only where quoting changes meaning (case-significant text). */
#define UF_IDENT_WRITTEN_QUOTED 1

typedef enum uf_category {
  UF_CAT_ATOM, UF_CAT_EXPR, UF_CAT_QUERY, UF_CAT_TABLE,
  UF_CAT_CLAUSE, UF_CAT_STMT, UF_CAT_LIST
} uf_category;

typedef struct uf_comment {
  const char *text;         /* comment body without -- or slash-star markers */
  struct uf_comment *next;
  bool block;               /* written as a block comment */
  bool trailing;            /* stood after the node rather than before it */
} uf_comment;

typedef struct uf_node uf_node;
struct uf_node {
  uint16_t kind;        /* uf_kind */
  uint8_t style;        /* presentation variant; never fingerprinted */
  uint8_t pad_;
  uint32_t flags;       /* UF_F_* bits */
  const char *text;     /* interned; "" when unused */
  uint32_t nkids;       /* slot count, or item count for LIST/SCRIPT */
  uint32_t cap;         /* capacity of kids (LIST growth) */
  uf_node **kids;
  uint32_t line, col;   /* 1-based source position; 0 when built in code */
  uint32_t offset;      /* byte offset in the source */
  uf_comment *comments;
};

typedef struct uf_tree uf_tree;

/* -- the kinds table ---------------------------------------------------- */
const char *uf_kind_name(uf_kind k);            /* "select"; never NULL */
uf_kind uf_kind_from_name(const char *name);    /* UF_KIND_COUNT if unknown */
/* Implementation details of the inline accessors below (uf_get,
 * uf_kind_category): each kind's category, and where each slot sits in a
 * kind's children (index + 1; 0 = the kind has no such slot), which
 * ast.c fills before the first tree exists. Read through the accessors. */
extern const uint8_t uf_kind_cat_[UF_KIND_COUNT];
extern int8_t uf_slot_pos_[UF_KIND_COUNT][UF_SLOT_COUNT];

static inline uf_category uf_kind_category(uf_kind k) {
  return (unsigned)k < UF_KIND_COUNT ? (uf_category)uf_kind_cat_[k] : UF_CAT_CLAUSE;
}
uint32_t uf_kind_slot_count(uf_kind k);
uf_slot uf_kind_slot_at(uf_kind k, uint32_t i);  /* i < slot count */
int uf_kind_slot_index(uf_kind k, uf_slot s);    /* -1 if k has no slot s */
const char *uf_slot_name(uf_slot s);
uf_slot uf_slot_from_name(const char *name);     /* UF_SLOT_COUNT if unknown */
const char *uf_flag_name(uint32_t bit_index);    /* NULL if unnamed */

/* -- trees ---------------------------------------------------------------- */
/* Returns a new empty tree; free with uf_tree_free. NULL on out of memory. */
uf_tree *uf_tree_new(void);
void uf_tree_free(uf_tree *t);
uf_node *uf_tree_root(const uf_tree *t);
void uf_tree_set_root(uf_tree *t, uf_node *root);
/* Bytes the tree's arena holds (for memory accounting). */
size_t uf_tree_memory(const uf_tree *t);

/* Interns `len` bytes of s in the tree; returns the shared copy or NULL on
 * out of memory. */
const char *uf_intern(uf_tree *t, const char *s, size_t len);
/* Allocates zeroed memory in the tree's arena (freed with the tree). */
void *uf_tree_alloc(uf_tree *t, size_t size);

/* -- nodes ---------------------------------------------------------------- */
/* New node of kind k with all slots NULL and text "" (NULL on OOM). */
uf_node *uf_node_new(uf_tree *t, uf_kind k);
/* New node with interned text. */
uf_node *uf_node_new_text(uf_tree *t, uf_kind k, const char *text, size_t len);
/* Slot access by name; get returns NULL for a missing slot or kind (n
 * belongs to a tree, so the position table is filled). */
static inline uf_node *uf_get(const uf_node *n, uf_slot s) {
  if (n == NULL || n->kind >= UF_KIND_COUNT || (unsigned)s >= UF_SLOT_COUNT) return NULL;
  int i = uf_slot_pos_[n->kind][s];
  return i ? n->kids[i - 1] : NULL;
}
/* Sets slot s; fails with UF_INVALID_ARGUMENT if the kind lacks it. */
uf_status uf_set(uf_node *n, uf_slot s, uf_node *child, uf_error *err);
/* Appends to a LIST/SCRIPT node. */
uf_status uf_list_push(uf_tree *t, uf_node *list, uf_node *item, uf_error *err);
/* Attaches a comment to n (text copied into the tree). */
uf_status uf_node_add_comment(uf_tree *t, uf_node *n, const char *text,
                              size_t len, bool block, bool trailing,
                              uf_error *err);

static inline bool uf_is(const uf_node *n, uf_kind k) {
  return n != NULL && n->kind == (uint16_t)k;
}

/* Walk: pre-order; callback returns 0 to continue, 1 to skip the node's
 * children, 2 to stop the walk. Returns 2 if stopped, else 0. */
typedef int (*uf_walk_fn)(uf_node *n, uf_node *parent, void *ctx);
int uf_walk(uf_node *root, uf_walk_fn fn, void *ctx);

/* First node of kind k under root (pre-order), or NULL. */
uf_node *uf_find(uf_node *root, uf_kind k);

/* Transform: post-order; fn returns the replacement for n (n itself to keep
 * it, NULL to drop it from a list or clear the slot). Parents are rebuilt in
 * place. Returns the new root via out_root. fn may fail by returning
 * UF_ERROR through *status. */
typedef uf_node *(*uf_transform_fn)(uf_node *n, void *ctx, uf_status *status);
uf_status uf_transform(uf_node *root, uf_transform_fn fn, void *ctx,
                       uf_node **out_root, uf_error *err);

/* Deep copy of src (from any tree) into tree t, comments included. */
uf_node *uf_node_copy(uf_tree *t, const uf_node *src);

/* Structural equality: kinds, flags, texts and children; positions,
 * comments and style are ignored unless `exact` is true (then style and
 * comments must match too). */
bool uf_node_equal(const uf_node *a, const uf_node *b, bool exact);
/* Structural hash consistent with uf_node_equal(a, b, false). */
uint64_t uf_node_hash(const uf_node *n);

#ifdef __cplusplus
}
#endif
#endif
