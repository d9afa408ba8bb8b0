/*
 * Arena: a bump allocator over a chain of blocks. Allocation is a pointer
 * bump; everything is released at once by uf_arena_free. Blocks grow
 * geometrically (4 KiB doubling up to 1 MiB); an allocation larger than a
 * block gets a block of its own.
 *
 * Layout: [block hdr | bytes ...] -> prev block -> ... ; `cur` is the block
 * allocations come from, `used` its fill.
 */
#ifndef UF_CORE_ARENA_H
#define UF_CORE_ARENA_H

#include <stddef.h>
#include <string.h>

typedef struct uf_arena_block uf_arena_block;

typedef struct uf_arena {
  uf_arena_block *cur;
  unsigned char *next; /* first free byte of cur (NULL: no block) */
  size_t left;         /* free bytes from next to the end of cur */
  size_t total;        /* bytes held by all blocks */
  size_t next_size;
} uf_arena;

void uf_arena_init(uf_arena *a);
/* Releases every block; the arena is empty and reusable afterwards. */
void uf_arena_free(uf_arena *a);
/* A new block for an allocation that does not fit (uf_arena_alloc's slow
 * path). */
void *uf_arena_alloc_slow(uf_arena *a, size_t size);

#define UF_ARENA_ALIGN _Alignof(max_align_t)

/* Uninitialized memory aligned to max_align_t; NULL on out of memory.
 * Inline: nodes and strings of every tree come from here. */
static inline void *uf_arena_alloc(uf_arena *a, size_t size) {
  size_t rounded = (size + (UF_ARENA_ALIGN - 1)) & ~(size_t)(UF_ARENA_ALIGN - 1);
  if (size - 1 < a->left && rounded <= a->left) { /* size 0 takes the slow path */
    void *p = a->next;
    a->next += rounded;
    a->left -= rounded;
    return p;
  }
  return uf_arena_alloc_slow(a, size);
}

/* Zeroed memory. */
static inline void *uf_arena_calloc(uf_arena *a, size_t size) {
  void *p = uf_arena_alloc(a, size);
  if (p) memset(p, 0, size);
  return p;
}
/* Copies len bytes and appends a NUL. */
char *uf_arena_strndup(uf_arena *a, const char *s, size_t len);

#endif
