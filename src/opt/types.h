/*
 * Internal side of the type model (src/opt/types.c) shared with the
 * annotator: the uf_types side table, composite type construction, and
 * DuckDB's implicit-cast rules (the common type of two types).
 */
#ifndef UF_OPT_TYPES_H
#define UF_OPT_TYPES_H

#include "core/arena.h"
#include "core/sbuf.h"
#include "unifier/opt.h"

/* Side table: open addressing from a key pointer (a node, or a schema's
 * TYPE node for the conversion cache) to a type. */
typedef struct ty_slot {
  const void *key;
  const uf_type *type;
} ty_slot;

#define UF_DECIMAL_MEMO 8

struct uf_types {
  uf_arena arena;        /* composite types, field arrays, texts */
  ty_slot *slots;        /* cap entries (power of two) */
  size_t n, cap;
  const uf_type *output; /* root query's row */
  uf_sbuf scratch;       /* reused by type-text rendering (zeroed = empty) */
  const uf_type *decimals[UF_DECIMAL_MEMO]; /* recent DECIMALs by (width, scale) */
};

/* The scalar singletons indexed by id (UNKNOWN .. INTERVAL): what
 * uf_type_scalar returns, for constant ids without the call. */
extern const uf_type ty_scalars[];

uf_status ty_put(uf_types *ts, const void *key, const uf_type *t);
const uf_type *ty_get(const uf_types *ts, const void *key);

/* Constructors; NULL on out of memory. `text` is computed. */
const uf_type *ty_decimal(uf_types *ts, int width, int scale);
const uf_type *ty_list(uf_types *ts, const uf_type *child);
const uf_type *ty_array(uf_types *ts, const uf_type *child, uint32_t size);
const uf_type *ty_map(uf_types *ts, const uf_type *k, const uf_type *v);
/* fields are copied (names interned in ts). */
const uf_type *ty_struct(uf_types *ts, uf_type_id id,
                         const uf_type_field *fields, size_t n);
const uf_type *ty_other(uf_types *ts, const char *name);

bool ty_is_integer(const uf_type *t);
bool ty_is_unsigned(const uf_type *t);
bool ty_is_numeric(const uf_type *t); /* integers, FLOAT, DOUBLE, DECIMAL */
bool ty_is_temporal(const uf_type *t);
/* Decimal width an integer type converts to (TINYINT 3 ... HUGEINT 38);
 * 0 for other types. */
int ty_integer_width(const uf_type *t);
/* DuckDB's common type of a and b (CASE branches, COALESCE, UNION
 * columns): NULL yields the other, UNKNOWN wins. NULL on out of memory. */
const uf_type *ty_common(uf_types *ts, const uf_type *a, const uf_type *b);

#endif
