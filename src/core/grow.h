/*
 * grow: room for one more item in a malloc'd array that doubles, the
 * pattern every list in the library (sinks, bindings, registrations,
 * violations, batches ...) repeated by hand.
 *
 *   item *v = uf_grow(list->items, list->n, &list->cap, sizeof *v, 8);
 *   if (!v) return out_of_memory;   (list->items is unchanged and still owned)
 *   list->items = v;
 *   list->items[list->n++] = x;
 */
#ifndef UF_CORE_GROW_H
#define UF_CORE_GROW_H

#include <stddef.h>

/* Returns items when n < *cap; otherwise items reallocated to twice *cap
 * (`first` items when *cap is 0) with *cap updated. NULL when out of memory
 * (or the size overflows); items and *cap are then unchanged. */
void *uf_grow(void *items, size_t n, size_t *cap, size_t elem, size_t first);

#endif
