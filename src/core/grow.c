/* grow: see grow.h. */
#include "core/grow.h"

#include <stdint.h>
#include <stdlib.h>

void *uf_grow(void *items, size_t n, size_t *cap, size_t elem, size_t first) {
  if (n < *cap) return items;
  size_t ncap = *cap ? *cap * 2 : first;
  if (ncap < *cap || elem == 0 || ncap > SIZE_MAX / elem) return NULL;
  void *grown = realloc(items, ncap * elem);
  if (grown) *cap = ncap;
  return grown;
}
