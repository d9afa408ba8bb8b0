/*
 * Private to the DuckDB implementation (src/engine/duckdb*.c): the session
 * struct and the helpers its files share. Includes duckdb.h, so nothing
 * outside src/engine/duckdb*.c may include this header.
 */
#ifndef UF_ENGINE_DUCKDB_INTERNAL_H
#define UF_ENGINE_DUCKDB_INTERNAL_H

/* duckdb.h declares a few `f()` functions; it is a system header in the
 * CMake build, and this keeps a by-hand -I build quiet too. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <duckdb.h>
#pragma GCC diagnostic pop

#include "engine/engine.h"

struct uf_ei_session {
  duckdb_database db;
  duckdb_connection con;
};

/* Applies the profile's file-access settings and locks the configuration
 * (SET statements built as ASTs, rendered by the generator). */
uf_status uf_duckdb_lock_down(uf_ei_session *s, const uf_runtime_profile *p,
                              uf_error *err);

/* Runs text and materializes every cell as text (duckdb_text.c). */
uf_status uf_duckdb_exec_text(uf_ei_session *s, const char *sql, bool ordered,
                              uf_result_text **out, uf_error *err);

#endif
