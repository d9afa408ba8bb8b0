/*
 * unifier — the engine boundary, internal side: the interface an execution
 * engine implements (a vtable), the lane's internal entry points, and the
 * text results the equivalence tests compare.
 *
 * The public API (include/unifier/engine.h) is implemented once, in
 * engine.c, on top of uf_engine_vtable; src/engine/duckdb.c implements the
 * vtable on the DuckDB C API and is the only file that includes duckdb.h
 * (with duckdb_*.c beside it). A second engine (DataFusion through a C ABI,
 * a PostgreSQL-wire engine) would be a second vtable.
 *
 * The engine takes ASTs, never SQL text: everything here renders the
 * statement with uf_generate for the duckdb dialect and runs exactly that
 * text; only the test oracle (engine_oracle.h) runs text verbatim.
 */
#ifndef UF_ENGINE_INTERNAL_H
#define UF_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "unifier/arrow_abi.h"
#include "unifier/ast.h"
#include "unifier/engine.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The session settings of the first engine API, kept for its callers. */
typedef uf_runtime_profile uf_engine_options;

struct uf_value; /* include/unifier/params.h */

/* -- text results (tests, comparisons) ------------------------------------ */

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

/* Renders stmt (a statement or query node) for duckdb and executes it
 * (no parameters, no statement-type check). On success *out (if non-NULL)
 * is a new result; free with uf_result_text_free. Fails with UF_UNSUPPORTED
 * if the generator cannot render stmt, UF_ENGINE (the engine's message plus
 * the rendered SQL) if execution fails. */
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

/* -- the engine interface ----------------------------------------------------
 * Opaque per-implementation objects: a session, a prepared statement, a
 * result (streaming or materialized). Every call that can fail returns
 * uf_status and fills err; destroy_* accept NULL. */
typedef struct uf_ei_session uf_ei_session;
typedef struct uf_ei_stmt uf_ei_stmt;
typedef struct uf_ei_result uf_ei_result;

typedef struct uf_engine_vtable {
  const char *name; /* "duckdb" */
  /* Opens a session with the profile's settings, safe defaults applied and
   * the configuration locked when it returns. */
  uf_status (*open)(const uf_runtime_profile *p, uf_ei_session **out,
                    uf_error *err);
  void (*close)(uf_ei_session *s);
  /* Prepares one statement's text. */
  uf_status (*prepare)(uf_ei_session *s, const char *sql, uf_ei_stmt **out,
                       uf_error *err);
  /* What the engine says the prepared statement is. */
  uf_stmt_type (*statement_type)(uf_ei_stmt *st);
  /* Result columns the prepared statement will produce: count, and the
   * name of column i as a new malloc'd string (NULL on OOM). */
  uint32_t (*column_count)(uf_ei_stmt *st);
  char *(*column_name)(uf_ei_stmt *st, uint32_t i);
  /* Parameters the statement declares: count, and names 1..count (a
   * borrowed name, "1" for $1 style). */
  uint32_t (*param_count)(uf_ei_stmt *st);
  const char *(*param_name)(uf_ei_stmt *st, uint32_t index);
  /* Binds a value to parameter `index` (1-based). */
  uf_status (*bind)(uf_ei_stmt *st, uint32_t index, const struct uf_value *v,
                    uf_error *err);
  /* Starts execution. With `stream`, results are produced as fetched. The
   * vtable calls `tick` (if non-NULL) while it waits for the statement. */
  uf_status (*execute)(uf_ei_stmt *st, bool stream,
                       void (*tick)(void *ctx), void *tick_ctx,
                       uf_ei_result **out, uf_error *err);
  void (*destroy_stmt)(uf_ei_stmt *st);
  /* The result's schema (a struct, one child per column). */
  uf_status (*result_schema)(uf_ei_result *r, struct ArrowSchema *out,
                             uf_error *err);
  /* Next chunk as a struct array; out->release NULL at the end. Interrupted
   * execution fails with UF_ENGINE and `*interrupted` true. */
  uf_status (*fetch)(uf_ei_result *r, struct ArrowArray *out,
                     bool *interrupted, uf_error *err);
  /* Rows changed by a DML statement (0 otherwise). */
  uint64_t (*rows_changed)(uf_ei_result *r);
  void (*destroy_result)(uf_ei_result *r);
  /* Thread-safe: interrupt the running statement; read its progress. */
  void (*interrupt)(uf_ei_session *s);
  void (*progress)(uf_ei_session *s, uf_progress *out);
  /* Creates a temporary view `name` over an Arrow stream (borrowed: it must
   * stay at its address and alive until the view is dropped). The view is
   * only read in full: see uf_engine_arrow_register. */
  uf_status (*arrow_scan)(uf_ei_session *s, const char *name,
                          struct ArrowArrayStream *stream, uf_error *err);
  /* Runs text and materializes it as text cells (tests and oracle). */
  uf_status (*exec_text)(uf_ei_session *s, const char *sql, bool ordered,
                         uf_result_text **out, uf_error *err);
} uf_engine_vtable;

/* The DuckDB implementation (src/engine/duckdb.c). */
const uf_engine_vtable *uf_engine_duckdb(void);

/* Opens a session on a given implementation (uf_engine_open uses DuckDB). */
uf_status uf_engine_open_with(const uf_engine_vtable *vt,
                              const uf_runtime_profile *profile,
                              uf_engine **out, uf_error *err);

/* -- internal entry points ------------------------------------------------ */

/* Executes already-rendered text as uf_engine_execute does, but with the
 * statement class given by the caller instead of read from an AST
 * (`claimed`: a uf_stmt_class). Test door for the statement-type
 * cross-check, and for callers that hold a rendered statement. */
uf_status uf_engine_execute_rendered(uf_engine *e, const char *sql,
                                     int claimed, bool is_explain,
                                     const uf_bindings *params,
                                     const uf_exec_options *opts,
                                     struct ArrowArrayStream *out,
                                     uf_error *err);

/* Arrow registration primitives for the IO adapter (src/io) and for
 * table-valued parameters: reads `stream` to its end (it is moved into the
 * call: stream->release is NULL afterwards, also on failure) into
 * temporary table `name`, which can then be scanned any number of times.
 * A copy, on purpose: DuckDB's arrow_scan pushes filters and projections
 * into the producer, and a plain stream applies neither, so a view over
 * it would give wrong answers to filtered queries.
 * uf_engine_arrow_unregister drops the table (a DROP TABLE AST).
 * Registering runs statements, so it ends an open result stream. */
uf_status uf_engine_arrow_register(uf_engine *e, const char *name,
                                   struct ArrowArrayStream *stream,
                                   uf_error *err);
uf_status uf_engine_arrow_unregister(uf_engine *e, const char *name,
                                     uf_error *err);
/* Same for a materialized table (borrowed, only read during the call). */
uf_status uf_engine_arrow_register_table(uf_engine *e, const char *name,
                                         const uf_arrow_table *table,
                                         uf_error *err);

/* A counter moved by every DDL statement that ran through the session
 * (catalog caches compare it). */
uint64_t uf_engine_catalog_generation(const uf_engine *e);

/* The profile the session was opened with (strings owned by the session). */
const uf_runtime_profile *uf_engine_profile(const uf_engine *e);

#ifdef __cplusplus
}
#endif
#endif
