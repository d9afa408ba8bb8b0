/*
 * unifier — the schema model the compiler qualifies and types queries
 * against: catalog.db.table -> ordered columns (name, type, nullability).
 *
 * Names are stored normalized for the schema's dialect: a name given as
 * unquoted folds as the dialect folds unquoted identifiers (DuckDB and
 * PostgreSQL: lower case); a quoted name is kept exactly. Lookups take
 * names already normalized the same way (see uf_schema_normalize).
 *
 * Types are held as text in DuckDB spelling ("INTEGER", "VARCHAR",
 * "DECIMAL(15,2)", "STRUCT(a INTEGER)", "INTEGER[]"), normalized from the
 * spelling given ("int", "string", "STRUCT<a INT>", "DATETIME" ...), and,
 * when that text parses, also as a TYPE node owned by the schema.
 *
 * Memory: a schema owns everything reachable from it (names, types, type
 * nodes). Pointers returned by lookups are borrowed and stay valid until
 * uf_schema_free, except that a table's `columns` array may move when a
 * column is added to that table.
 */
#ifndef UNIFIER_SCHEMA_H
#define UNIFIER_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/ast.h"
#include "unifier/sql.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct uf_schema uf_schema;

typedef struct uf_schema_column {
  const char *name;        /* normalized */
  const char *type;        /* DuckDB spelling; "" when unknown */
  const uf_node *type_node;/* TYPE node of `type`, or NULL if unknown or
                              unparseable; owned by the schema, read only */
  bool nullable;
  uint32_t index;          /* 0-based position in the table */
} uf_schema_column;

typedef struct uf_schema_table {
  const char *catalog;     /* normalized; "" when not given */
  const char *db;          /* normalized; "" when not given */
  const char *name;        /* normalized */
  const uf_schema_column *columns; /* ncolumns, in declaration order */
  size_t ncolumns;
} uf_schema_table;

/* -- building ------------------------------------------------------------ */

/* Returns a new empty schema whose names fold per dialect `d` (NULL =
 * duckdb); free with uf_schema_free. */
uf_status uf_schema_new(const uf_dialect *d, uf_schema **out_schema,
                        uf_error *err);
/* Frees the schema and everything it owns; NULL is a no-op. */
void uf_schema_free(uf_schema *s);

const uf_dialect *uf_schema_dialect(const uf_schema *s);

/* Sets the default catalog and db used by lookups that omit them (either
 * may be NULL or "" for none). Names are normalized as unquoted. */
uf_status uf_schema_set_default(uf_schema *s, const char *catalog,
                                const char *db, uf_error *err);
/* Default catalog and db ("" when unset); borrowed. */
const char *uf_schema_default_catalog(const uf_schema *s);
const char *uf_schema_default_db(const uf_schema *s);

/* Adds table catalog.db.name (catalog/db may be NULL or ""); names are
 * normalized unless `quoted`. Adding an existing table returns it. The
 * handle (borrowed, valid until uf_schema_free) goes to *out_table if
 * out_table is non-NULL. */
uf_status uf_schema_add_table(uf_schema *s, const char *catalog,
                              const char *db, const char *name, bool quoted,
                              const uf_schema_table **out_table,
                              uf_error *err);
/* Appends a column to table t (a handle from this schema). `type` in any
 * spelling the duckdb dialect parses (NULL or "" = unknown); normalized to
 * DuckDB spelling. A duplicate column name is UF_INVALID_ARGUMENT. */
uf_status uf_schema_add_column(uf_schema *s, const uf_schema_table *t,
                               const char *name, bool quoted,
                               const char *type, bool nullable,
                               uf_error *err);

/* Adds the tables of a JSON document: {"table": {"column": "type", ...}},
 * or nested by db ({"db": {"table": {...}}}) or catalog.db ({"cat": {"db":
 * {"table": {...}}}}). Column order is the document's order. Names are
 * treated as unquoted (they fold). */
uf_status uf_schema_add_json(uf_schema *s, const char *json, size_t len,
                             uf_error *err);
/* New schema from a JSON document / a JSON file (as uf_schema_add_json);
 * free with uf_schema_free. */
uf_status uf_schema_load_json(const char *json, size_t len,
                              const uf_dialect *d, uf_schema **out_schema,
                              uf_error *err);
uf_status uf_schema_load_file(const char *path, const uf_dialect *d,
                              uf_schema **out_schema, uf_error *err);

/* -- functions ------------------------------------------------------------ */

/* Function signatures the annotator's own table does not know (e.g. the
 * engine's catalog snapshot, uf_catalog_function_catalog): the schema keeps
 * a copy of *fc (its ctx stays borrowed: it must outlive the schema's use)
 * and `id` (copied), a text naming the signatures' content that goes into
 * the schema fingerprint, so compiled-query cache keys change with it.
 * fc NULL removes them. */
typedef struct uf_function_catalog uf_function_catalog;
uf_status uf_schema_set_functions(uf_schema *s, const uf_function_catalog *fc,
                                  const char *id, uf_error *err);
/* The function catalog set on s, or NULL; its id ("" when none). */
const uf_function_catalog *uf_schema_functions(const uf_schema *s);
const char *uf_schema_functions_id(const uf_schema *s);

/* -- names --------------------------------------------------------------- */

/* Normalizes `name` as the schema's dialect would an identifier (fold
 * unless quoted) into buf (cap bytes, NUL-terminated). UF_LIMIT_EXCEEDED if
 * it does not fit. */
uf_status uf_schema_normalize(const uf_schema *s, const char *name,
                              bool quoted, char *buf, size_t cap,
                              uf_error *err);

/* -- lookups (names normalized) --------------------------------------------- */

size_t uf_schema_table_count(const uf_schema *s);
/* i-th table in insertion order (NULL if out of range); borrowed. */
const uf_schema_table *uf_schema_table_at(const uf_schema *s, size_t i);

/* Finds a table by a 1-3 part name (catalog and db may be NULL/""). A
 * missing db (catalog) is first taken from the defaults; failing that, a
 * table whose name (and given parts) match uniquely is found. UF_NOT_FOUND
 * if none matches, UF_ERROR if several match ("ambiguous"). */
uf_status uf_schema_find_table(const uf_schema *s, const char *catalog,
                               const char *db, const char *name,
                               const uf_schema_table **out_table,
                               uf_error *err);
/* Column `name` of t, or UF_NOT_FOUND. */
uf_status uf_schema_find_column(const uf_schema_table *t, const char *name,
                                const uf_schema_column **out_column,
                                uf_error *err);
/* Type text (DuckDB spelling, "" if unknown; borrowed) of column `column`
 * of the table found as uf_schema_find_table finds it. */
uf_status uf_schema_column_type(const uf_schema *s, const char *catalog,
                                const char *db, const char *table,
                                const char *column, const char **out_type,
                                uf_error *err);

/* Normalizes a type spelling into DuckDB's ("int" -> "INTEGER", "string" ->
 * "VARCHAR", "STRUCT<a INT>" -> "STRUCT(a INTEGER)"); *out is a new string,
 * free with uf_free. UF_SYNTAX if it does not parse as a type. */
uf_status uf_schema_type_normalize(const char *type, char **out,
                                   uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
