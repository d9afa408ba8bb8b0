#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct uf_arena_block {
  uf_arena_block *prev;
  size_t size;
  alignas(max_align_t) unsigned char data[];
};

#define ALIGN_UP(n) (((n) + (alignof(max_align_t) - 1)) & ~(alignof(max_align_t) - 1))
#define FIRST_BLOCK 4096
#define MAX_BLOCK (1u << 20)

void uf_arena_init(uf_arena *a) {
  a->cur = NULL;
  a->next = NULL;
  a->left = 0;
  a->total = 0;
  a->next_size = FIRST_BLOCK;
}

void uf_arena_free(uf_arena *a) {
  uf_arena_block *b = a->cur;
  while (b) {
    uf_arena_block *prev = b->prev;
    free(b);
    b = prev;
  }
  uf_arena_init(a);
}

static int grow(uf_arena *a, size_t need) {
  size_t size = a->next_size;
  if (size < need) size = need;
  if (size > SIZE_MAX - sizeof(uf_arena_block)) return 0;
  uf_arena_block *b = malloc(sizeof(uf_arena_block) + size);
  if (!b) return 0;
  b->size = size;
  b->prev = a->cur;
  a->cur = b;
  a->next = b->data;
  a->left = size;
  a->total += size;
  if (a->next_size < MAX_BLOCK) a->next_size *= 2;
  return 1;
}

void *uf_arena_alloc_slow(uf_arena *a, size_t size) {
  if (size > SIZE_MAX / 2) return NULL;
  size = ALIGN_UP(size ? size : 1);
  if (a->left < size && !grow(a, size)) return NULL;
  void *p = a->next;
  a->next += size;
  a->left -= size;
  return p;
}

char *uf_arena_strndup(uf_arena *a, const char *s, size_t len) {
  if (len == SIZE_MAX) return NULL;
  char *p = uf_arena_alloc(a, len + 1);
  if (!p) return NULL;
  if (len) memcpy(p, s, len);
  p[len] = '\0';
  return p;
}
