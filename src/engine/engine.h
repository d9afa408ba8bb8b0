/*
 * unifier — the engine boundary: the only way a statement reaches the
 * execution engine. src/engine/duckdb.c implements it on the DuckDB C API and
 * is the only file that includes duckdb.h.
 *
 * The engine takes ASTs, never SQL text: uf_engine_exec renders the statement
 * with uf_generate for the duckdb dialect and runs exactly that text, so
 * nothing reaches the engine except through the generator.
 *
 * This is the seed of the execution lane: results come back as a fully
 * materialized uf_result_text (canonical text per cell) for comparisons and
 * tests; streaming Arrow results, parameters, progress and cancellation come
 * later behind the same uf_engine handle.
 */
#ifndef UNIFIER_ENGINE_H
#define UNIFIER_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "unifier/ast.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Session settings. A zeroed struct (or NULL) gives the safe defaults: no
 * extension auto-install or auto-load, no file or network access, engine
 * default thread count and memory limit, configuration locked after open. */
typedef struct uf_engine_options {
  uint32_t threads;            /* 0 = engine default; 1 = deterministic */
  const char *memory_limit;    /* e.g. "2GB"; NULL = engine default */
  bool allow_external_access;  /* read/write local files (read_csv, COPY) */
} uf_engine_options;

/* An in-memory engine session (opaque). */
typedef struct uf_engine uf_engine;

/* Opens a new in-memory session; close with uf_engine_close. On failure
 * *out is NULL and err says why. */
uf_status uf_engine_open(const uf_engine_options *opts, uf_engine **out,
                         uf_error *err);
/* Closes the session and everything it holds. NULL is a no-op. */
void uf_engine_close(uf_engine *e);

/* A materialized result: every cell as the engine's canonical text (its
 * cast to VARCHAR), SQL NULL as a NULL pointer. Free with
 * uf_result_text_free. */
typedef struct uf_result_text {
  uint32_t ncols;
  uint64_t nrows;
  char **names;   /* ncols column names */
  char **types;   /* ncols type names in DuckDB spelling ("DECIMAL(15,2)") */
  char **cells;   /* nrows * ncols, row-major; NULL = SQL NULL */
  bool ordered;   /* the statement had a top-level ORDER BY */
} uf_result_text;

void uf_result_text_free(uf_result_text *r);
/* Cell (row, col); NULL for SQL NULL. */
const char *uf_result_text_cell(const uf_result_text *r, uint64_t row,
                                uint32_t col);

/* Renders stmt (a statement or query node) for duckdb and executes it. On
 * success *out (if non-NULL) is a new result; free with uf_result_text_free.
 * Fails with UF_UNSUPPORTED if the generator cannot render stmt, UF_ENGINE
 * (the engine's message plus the rendered SQL) if execution fails. */
uf_status uf_engine_exec(uf_engine *e, const uf_node *stmt,
                         uf_result_text **out, uf_error *err);

/* True if stmt is a query whose outermost level has ORDER BY, so that its
 * row order is part of its meaning. */
bool uf_query_is_ordered(const uf_node *stmt);

/* Exact comparison: same column count, same column types, same rows (cell
 * text and NULLs). Order-sensitive when either result is `ordered`, else
 * rows are compared as sorted multisets. Column names are not compared:
 * DuckDB names unaliased columns after their spelling. */
bool uf_result_text_equal(const uf_result_text *a, const uf_result_text *b);

/* Prints to `out` how a and b differ (shape, types, then up to max_rows
 * differing rows side by side, in the order used by uf_result_text_equal).
 * Prints nothing if they are equal. */
void uf_result_text_diff(FILE *out, const uf_result_text *a,
                         const uf_result_text *b, uint32_t max_rows);

/* Prints r as a `|`-separated table (NULL as "NULL"), at most max_rows rows. */
void uf_result_text_print(FILE *out, const uf_result_text *r,
                          uint64_t max_rows);

#ifdef __cplusplus
}
#endif
#endif
