/*
 * Small text results for introspection queries: the catalog's queries cast
 * every column to VARCHAR, so reading them is reading Arrow utf8 arrays.
 */
#ifndef UF_CATALOG_ROWS_H
#define UF_CATALOG_ROWS_H

#include <stddef.h>

#include "core/arena.h"
#include "unifier/ast.h"
#include "unifier/status.h"

typedef struct uf_engine uf_engine;

typedef struct cat_rows {
  size_t ncols, nrows;
  const char **cells; /* nrows * ncols, row-major; NULL = SQL NULL */
} cat_rows;

/* Parses `sql` (a fixed query, duckdb dialect) into an AST, runs it
 * through uf_engine_execute and reads every cell (utf8 or large utf8
 * columns only) into `a`. */
uf_status cat_query(uf_engine *e, const char *sql, uf_arena *a, cat_rows *out,
                    uf_error *err);

static inline const char *cat_cell(const cat_rows *r, size_t row, size_t col) {
  return r->cells[row * r->ncols + col];
}

#endif
