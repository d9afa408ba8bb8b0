/*
 * unifier — the execution engine: sessions, statement execution, streaming
 * Arrow results.
 *
 * A session (uf_engine) is opened from a runtime profile with safe
 * defaults: extension auto-install and auto-load off, community extensions
 * off, external file access off unless the profile allows directories (then
 * limited to them), configuration locked once the session is set up, so no
 * statement can loosen it later.
 *
 * Statements arrive as ASTs, never as text: uf_engine_execute renders the
 * node with uf_generate (duckdb dialect), prepares it, checks that the
 * statement type the engine reports agrees with our classification of the
 * node (uf_stmt_type_agrees; disagreement refuses execution), binds the scalar
 * parameters by name, registers the table-valued parameters for the
 * execution, and returns a streaming struct ArrowArrayStream whose batches
 * are coalesced to the target batch size (every batch has exactly
 * batch_rows rows except the last).
 *
 * Threads: a session and its streams are used from one thread at a time;
 * uf_engine_interrupt and uf_engine_progress may be called from any thread.
 * One statement runs per session at a time: executing a new statement while
 * a stream is still open ends that stream (its get_next then fails with
 * ECANCELED and a message; releasing it stays valid).
 *
 * Lifetime: a stream keeps its session alive. uf_engine_close with streams
 * still open closes the session once the last of them is released.
 */
#ifndef UNIFIER_ENGINE_H
#define UNIFIER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/arrow_abi.h"
#include "unifier/ast.h"
#include "unifier/diag.h"
#include "unifier/safety.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default target rows per result batch. */
#define UF_ENGINE_BATCH_ROWS 65536

/* An engine session (opaque). */
typedef struct uf_engine uf_engine;
/* A binding set (include/unifier/params.h): scalar values and table-valued
 * parameters by name. */
typedef struct uf_bindings uf_bindings;

/* Query progress, as the engine estimates it. */
typedef struct uf_progress {
  double percentage;        /* 0..100; -1 when no query runs / unknown */
  uint64_t rows_processed;
  uint64_t total_rows_to_process;
} uf_progress;

/* Called during execution at most every progress_interval_ms (from the
 * thread that executes or fetches). */
typedef void (*uf_progress_fn)(void *ctx, const uf_progress *p);

/* Session settings. A zeroed struct (or NULL) gives the safe defaults: no
 * extension auto-install or auto-load, no file or network access, engine
 * default threads and memory limit, configuration locked after open.
 * Strings and arrays are copied by uf_engine_open. */
typedef struct uf_runtime_profile {
  const char *memory_limit;   /* "2GB", "512MiB"; NULL = engine default */
  uint32_t threads;           /* 0 = engine default; 1 = deterministic */
  const char *temp_directory; /* spill directory; NULL = engine default */
  /* NULL-terminated list of directories (or file prefixes) that statements
   * may read and write; everything else stays unreachable. NULL = none. */
  const char *const *allowed_directories;
  /* Unrestricted local file access (tests, admin tools). Overrides
   * allowed_directories. */
  bool allow_external_access;
  /* Remote locations (http://, https://, s3://) are reachable as well as
   * the allowed directories (needs the engine's HTTP support). */
  bool allow_remote;
  uint64_t batch_rows;        /* advisory target rows per batch; 0 = 65536 */
  uf_progress_fn progress;    /* NULL = no callback */
  void *progress_ctx;
  uint32_t progress_interval_ms; /* 0 = 1000 */
  /* Diagnostics: every execution records an execution record here.
   * Borrowed; must outlive the session (NULL = none). */
  uf_recorder *recorder;
} uf_runtime_profile;

/* Opens a new in-memory session; close with uf_engine_close. On failure
 * *out is NULL and err says why. */
uf_status uf_engine_open(const uf_runtime_profile *profile, uf_engine **out,
                         uf_error *err);
/* Closes the session (deferred until open streams are released). NULL is a
 * no-op. */
void uf_engine_close(uf_engine *e);
/* Attaches (or with NULL detaches) a recorder; borrowed, must outlive the
 * session or be detached first. */
uf_status uf_engine_set_recorder(uf_engine *e, uf_recorder *r, uf_error *err);

/* -- statement types -------------------------------------------------------
 * What a statement does, as the engine reports it for a prepared statement
 * (values equal DuckDB's duckdb_statement_type). Before anything runs, the
 * reported type must agree with our classification of the AST
 * (uf_classify_statement of include/unifier/safety.h, the one the safety
 * gate uses); disagreement refuses execution. */
#define UF_STMT_TYPE_MAP(X)                                                \
  X(INVALID, 0) X(SELECT, 1) X(INSERT, 2) X(UPDATE, 3) X(EXPLAIN, 4)       \
  X(DELETE, 5) X(PREPARE, 6) X(CREATE, 7) X(EXECUTE, 8) X(ALTER, 9)        \
  X(TRANSACTION, 10) X(COPY, 11) X(ANALYZE, 12) X(VARIABLE_SET, 13)        \
  X(CREATE_FUNC, 14) X(DROP, 15) X(EXPORT, 16) X(PRAGMA, 17) X(VACUUM, 18) \
  X(CALL, 19) X(SET, 20) X(LOAD, 21) X(RELATION, 22) X(EXTENSION, 23)      \
  X(LOGICAL_PLAN, 24) X(ATTACH, 25) X(DETACH, 26) X(MULTI, 27)

typedef enum uf_stmt_type {
#define UF_STMT_TYPE_ENUM_(name, value) UF_STMT_TYPE_##name = value,
  UF_STMT_TYPE_MAP(UF_STMT_TYPE_ENUM_)
#undef UF_STMT_TYPE_ENUM_
  UF_STMT_TYPE_COUNT
} uf_stmt_type;

/* "SELECT", "CREATE", ...; "INVALID" for out-of-range values. */
const char *uf_stmt_type_name(uf_stmt_type t);
/* The statement classes (UF_STMT_BIT(uf_stmt_class) mask) a statement the
 * engine reports as `t` may belong to: SELECT covers queries (and PRAGMAs
 * and SHOW/DESCRIBE, which run as SELECT), CALL covers CALL and
 * CHECKPOINT, DROP covers DROP and DEALLOCATE, ... 0 for INVALID, MULTI,
 * RELATION, LOGICAL_PLAN. */
uint32_t uf_stmt_type_classes(uf_stmt_type t);
/* True if the engine reporting `reported` for stmt (a statement node, or a
 * SCRIPT of exactly one) agrees with uf_classify_statement(stmt); EXPLAIN
 * must be reported as EXPLAIN and only for an EXPLAIN node. */
bool uf_stmt_type_agrees(const uf_node *stmt, uf_stmt_type reported);
/* Prepares stmt without running it and gives the type the engine reports. */
uf_status uf_engine_statement_type(uf_engine *e, const uf_node *stmt,
                                   uf_stmt_type *out, uf_error *err);

/* The names the engine gives the result columns of stmt (a query), found
 * by preparing it without running it. On success *out_names is a new array
 * of *out_n new strings; free with uf_engine_names_free(names, n). */
uf_status uf_engine_output_names(uf_engine *e, const uf_node *stmt,
                                 char ***out_names, size_t *out_n,
                                 uf_error *err);
void uf_engine_names_free(char **names, size_t n);

/* -- execution ------------------------------------------------------------ */
typedef struct uf_exec_options {
  uint64_t batch_rows; /* 0 = the profile's batch_rows */
  const char *label;   /* name in the execution record ("query", a model) */
  /* The safety gate (include/unifier/safety.h) run on the AST before
   * anything is rendered; a violation fails with UF_POLICY naming the first
   * one. NULL = a trusted caller inside the lane (registration DDL, the
   * project build): no AST gate, the engine's own settings still apply. */
  const struct uf_exec_policy *policy;
  /* The fingerprint the execution record carries (64 hex digits; borrowed,
   * read during the call). NULL = the fingerprint of stmt as given. A
   * compiled query passes its own (uf_engine_execute_compiled), so the
   * compilation and execution records of one query share it. */
  const char *fingerprint;
} uf_exec_options;

/* Executes stmt (a query or statement node, or a SCRIPT of one; borrowed,
 * only used during the call) with `params` (may be NULL; borrowed; checked
 * with uf_bindings_check first; its table-valued entries are read into
 * temporary tables under their names before the statement runs, and
 * dropped when the stream ends, also on failure) and fills
 * *out with a new stream the caller releases (out->release(out)); on
 * failure out->release is NULL. opts may be NULL. Errors: UF_UNSUPPORTED
 * (cannot be rendered), UF_INVALID_ARGUMENT (missing/unknown parameter,
 * uf_bindings_check), UF_POLICY (the engine's statement type disagrees
 * with the AST's class), UF_ENGINE (the engine's message). */
uf_status uf_engine_execute(uf_engine *e, const uf_node *stmt,
                            const uf_bindings *params,
                            const uf_exec_options *opts,
                            struct ArrowArrayStream *out, uf_error *err);

/* Executes a statement whose result is a row count (DDL, DML, SET, ...)
 * to completion. *out_rows (may be NULL) gets the rows changed (0 for DDL).
 * A query's result is read and discarded; out_rows then counts its rows. */
uf_status uf_engine_run(uf_engine *e, const uf_node *stmt,
                        const uf_bindings *params, const uf_exec_options *opts,
                        uint64_t *out_rows, uf_error *err);

/* Interrupts the statement running (or streaming) in e; safe from any
 * thread. The interrupted stream's get_next fails with ECANCELED. */
uf_status uf_engine_interrupt(uf_engine *e, uf_error *err);
/* Progress of the statement running in e; safe from any thread. */
uf_status uf_engine_progress(uf_engine *e, uf_progress *out, uf_error *err);

/* -- materialized tables -------------------------------------------------- */

/* A materialized Arrow table: a schema and its batches (struct arrays,
 * one child per column). Owns everything; free with uf_arrow_table_free. */
typedef struct uf_arrow_table {
  struct ArrowSchema schema;
  struct ArrowArray *batches; /* nbatches arrays, each owned */
  size_t nbatches;
  uint64_t nrows;
} uf_arrow_table;

/* Reads `stream` to its end into a new table and releases the stream
 * (also on failure). Free the table with uf_arrow_table_free. */
uf_status uf_engine_to_table(struct ArrowArrayStream *stream,
                             uf_arrow_table **out, uf_error *err);
void uf_arrow_table_free(uf_arrow_table *t);
/* A stream over t's batches. The stream borrows t (t must outlive it and
 * stays unchanged); batches it yields are zero-copy views released by the
 * consumer as usual. */
uf_status uf_arrow_table_stream(const uf_arrow_table *t,
                                struct ArrowArrayStream *out, uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
