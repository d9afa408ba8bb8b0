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

typedef struct uf_arena_block uf_arena_block;

typedef struct uf_arena {
  uf_arena_block *cur;
  size_t used;     /* bytes used in cur */
  size_t total;    /* bytes held by all blocks */
  size_t next_size;
} uf_arena;

void uf_arena_init(uf_arena *a);
/* Releases every block; the arena is empty and reusable afterwards. */
void uf_arena_free(uf_arena *a);
/* Uninitialized memory aligned to max_align_t; NULL on out of memory. */
void *uf_arena_alloc(uf_arena *a, size_t size);
/* Zeroed memory. */
void *uf_arena_calloc(uf_arena *a, size_t size);
/* Copies len bytes and appends a NUL. */
char *uf_arena_strndup(uf_arena *a, const char *s, size_t len);

#endif
