/*
 * unifier — the introspection snapshot: a point-in-time picture of an
 * engine session's tables and views, their columns (type, nullability,
 * ordinal), functions with their signatures, and settings. Taken from
 * information_schema, duckdb_functions() and duckdb_settings(), queried as
 * ASTs through the engine.
 *
 * A snapshot is immutable and reference counted: uf_catalog_snapshot and
 * uf_catalog_cache_get return a new reference, uf_catalog_release drops it.
 * Every string in a snapshot lives as long as the snapshot.
 *
 * The cache returns the same snapshot (same pointer, same version) until
 * the session's catalog generation moves: every DDL that runs through the
 * lane (uf_engine_run / uf_engine_execute, IO registrations) bumps it, so
 * invalidation is central and nobody needs to call the cache.
 */
#ifndef UNIFIER_CATALOG_H
#define UNIFIER_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/diag.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct uf_engine uf_engine;

typedef struct uf_catalog_column {
  const char *name;
  const char *type;     /* DuckDB spelling: "BIGINT", "DECIMAL(15,2)" */
  bool nullable;
  uint32_t ordinal;     /* 1-based position in the table */
} uf_catalog_column;

typedef struct uf_catalog_table {
  const char *catalog;  /* database: "memory", "temp", ... */
  const char *schema;   /* "main", ... */
  const char *name;
  const char *table_type; /* "BASE TABLE", "VIEW", "LOCAL TEMPORARY" */
  bool is_view;
  bool temporary;
  const uf_catalog_column *columns; /* ncolumns, by ordinal */
  size_t ncolumns;
} uf_catalog_table;

typedef struct uf_catalog_function {
  const char *schema;
  const char *name;
  const char *kind;        /* "scalar", "aggregate", "table", "macro",
                              "table_macro", "pragma" */
  const char *return_type; /* NULL for table functions and macros */
  const char *const *param_names; /* nparams (names may be "col0"...) */
  const char *const *param_types; /* nparams ("ANY" when untyped) */
  size_t nparams;
  const char *varargs;     /* type of variadic arguments or NULL */
} uf_catalog_function;

typedef struct uf_catalog_setting {
  const char *name;
  const char *value;       /* current value as text (NULL if unset) */
  const char *type;        /* input type: "BOOLEAN", "VARCHAR", ... */
  const char *scope;       /* "GLOBAL", "LOCAL" */
  const char *description;
} uf_catalog_setting;

/* An immutable snapshot (fields readable directly). */
typedef struct uf_catalog {
  uint64_t generation;     /* engine catalog generation it reflects */
  uint64_t version;        /* unique per snapshot taken in this process */
  const uf_catalog_table *tables;   /* sorted by schema, name */
  size_t ntables;
  const uf_catalog_function *functions; /* sorted by name (overloads kept) */
  size_t nfunctions;
  const uf_catalog_setting *settings;   /* sorted by name */
  size_t nsettings;
} uf_catalog;

/* What to include; NULL options = everything. */
typedef struct uf_catalog_options {
  bool skip_functions;     /* functions are the bulk of a snapshot */
  bool skip_settings;
  bool include_internal;   /* system schemas (information_schema, pg_catalog) */
} uf_catalog_options;

/* Takes a new snapshot of e (borrowed). Release with uf_catalog_release. */
uf_status uf_catalog_snapshot(uf_engine *e, const uf_catalog_options *opts,
                              const uf_catalog **out, uf_error *err);
/* Adds / drops a reference; dropping the last frees it. NULL is a no-op. */
const uf_catalog *uf_catalog_retain(const uf_catalog *c);
void uf_catalog_release(const uf_catalog *c);

/* Table by name: schema NULL = the first match in "main", then any schema.
 * Unquoted-style lookup: case-insensitive. NULL if absent. */
const uf_catalog_table *uf_catalog_find_table(const uf_catalog *c,
                                              const char *schema,
                                              const char *name);
/* Column of a table by name (case-insensitive), or NULL. */
const uf_catalog_column *uf_catalog_find_column(const uf_catalog_table *t,
                                                const char *name);
/* First overload of function `name` (case-insensitive) and the number of
 * overloads (consecutive from the returned one); NULL if none. */
const uf_catalog_function *uf_catalog_find_function(const uf_catalog *c,
                                                    const char *name,
                                                    size_t *out_count);
/* Setting by name, or NULL. */
const uf_catalog_setting *uf_catalog_find_setting(const uf_catalog *c,
                                                  const char *name);

/* -- function signatures for the compile lane ------------------------------ */

/* A function catalog (include/unifier/opt.h) over c's functions, for
 * annotate_types to type functions its own table does not know: the
 * return type of name(args) is the one of the overload DuckDB would bind:
 * exact parameter types first, else the cheapest implicit casts as DuckDB
 * ranks them (integer widths upward, integers to DECIMAL/DOUBLE, DATE to
 * TIMESTAMP, NULL and unknown arguments to anything, VARCHAR to other
 * types last, as a string literal would). Several cheapest overloads with
 * different return types, a generic return type (ANY, templates, DECIMAL
 * without width), a macro or no match give NULL (UNKNOWN). c is borrowed:
 * it must outlive every use of *out. */
typedef struct uf_function_catalog uf_function_catalog;
typedef struct uf_type uf_type;
void uf_catalog_function_catalog(const uf_catalog *c, uf_function_catalog *out);
/* The same resolution, called directly; the text is c's (NULL = unknown). */
const char *uf_catalog_function_return_type(const uf_catalog *c,
                                            const char *name,
                                            const uf_type *const *args,
                                            size_t nargs);
/* A digest of c's function signatures (names, kinds, parameter and return
 * types): "functions:" + 16 hex digits, the id to give
 * uf_schema_set_functions. */
#define UF_CATALOG_FUNCTIONS_ID 32
void uf_catalog_functions_id(const uf_catalog *c,
                             char out[UF_CATALOG_FUNCTIONS_ID]);

/* -- the schema map: table -> column -> type ----------------------------- */

/* JSON form: {"table": {"column": "type", ...}, ...}, columns in ordinal
 * order, the same nesting as ../shared/corpora/tpch/schema.json. Tables of
 * the "main" schema are keyed by name, others by "schema.name". */
typedef struct uf_schema_map uf_schema_map;

/* Type spelling in a schema map. */
typedef enum uf_schema_types {
  UF_SCHEMA_TYPES_DUCKDB = 0, /* "BIGINT", "VARCHAR", "DECIMAL(15,2)" */
  UF_SCHEMA_TYPES_LOWER = 1   /* "bigint", "string", "double" (the corpus
                                 schema.json spelling: VARCHAR -> string,
                                 INTEGER -> int) */
} uf_schema_types;

/* A new schema map of c's tables and views; free with uf_schema_map_free. */
uf_status uf_catalog_schema_map(const uf_catalog *c, uf_schema_types types,
                                uf_schema_map **out, uf_error *err);
/* Loads the JSON form (e.g. the corpus schema.json). */
uf_status uf_schema_map_from_json(const char *json, size_t len,
                                  uf_schema_map **out, uf_error *err);
/* Writes the JSON form; free *out_json with uf_free. */
uf_status uf_schema_map_to_json(const uf_schema_map *m, bool pretty,
                                char **out_json, size_t *out_len,
                                uf_error *err);
void uf_schema_map_free(uf_schema_map *m);
size_t uf_schema_map_table_count(const uf_schema_map *m);
const char *uf_schema_map_table(const uf_schema_map *m, size_t i);
size_t uf_schema_map_column_count(const uf_schema_map *m, size_t i);
/* Column j of table i: name and type (borrowed from m). */
const char *uf_schema_map_column(const uf_schema_map *m, size_t i, size_t j,
                                 const char **out_type);
/* Type of table.column (case-insensitive names), or NULL. */
const char *uf_schema_map_type(const uf_schema_map *m, const char *table,
                               const char *column);

/* -- the cache ---------------------------------------------------------- */
typedef struct uf_catalog_cache uf_catalog_cache;

/* A cache over e (borrowed; must outlive the cache); recorder (borrowed,
 * may be NULL) gets a "cache" record per lookup. Free with
 * uf_catalog_cache_free. */
uf_status uf_catalog_cache_new(uf_engine *e, const uf_catalog_options *opts,
                               uf_recorder *recorder,
                               uf_catalog_cache **out, uf_error *err);
void uf_catalog_cache_free(uf_catalog_cache *cc);
/* The current snapshot: the cached one while the session's catalog
 * generation is unchanged, else a fresh one. Returns a new reference
 * (uf_catalog_release it). */
uf_status uf_catalog_cache_get(uf_catalog_cache *cc, const uf_catalog **out,
                               uf_error *err);
/* Drops the cached snapshot so the next get rebuilds (for DDL that did not
 * go through the lane). */
void uf_catalog_cache_invalidate(uf_catalog_cache *cc);
/* Lookups served from the cache and rebuilds done. */
uint64_t uf_catalog_cache_hits(const uf_catalog_cache *cc);
uint64_t uf_catalog_cache_misses(const uf_catalog_cache *cc);

#ifdef __cplusplus
}
#endif
#endif
