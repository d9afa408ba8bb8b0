/*
 * unifier — the optimizer passes of the compile lane (src/opt): qualify,
 * annotate types, ... Each pass rewrites a tree in place; new nodes are
 * allocated in the tree's arena.
 */
#ifndef UNIFIER_OPT_H
#define UNIFIER_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/ast.h"
#include "unifier/schema.h"
#include "unifier/sql.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -- qualify ------------------------------------------------------------- */

typedef struct uf_qualify_options {
  const uf_dialect *dialect; /* folding of unquoted names; NULL = schema's */
  const char *catalog;       /* default catalog; NULL = schema's default */
  const char *db;            /* default db; NULL = schema's default */
  bool no_qualify_tables;    /* do not add default db/catalog to tables */
  bool only_tables;          /* qualify tables only (SQLGlot qualify_tables) */
  bool no_alias_tables;      /* do not give every table reference an alias */
  bool no_expand_stars;      /* keep * and t.* as written */
  bool no_expand_alias_refs; /* keep references to output aliases */
  bool no_normalize;         /* do not fold unquoted identifiers */
  bool allow_partial;        /* leave unresolvable columns unqualified */
  bool validate;             /* issues make uf_qualify fail (UF_SEMANTIC) */
  bool quote_identifiers;    /* mark identifiers quoted where needed */
  uf_identify identify;      /* with quote_identifiers: quote all (ALWAYS) */
  const char *sql;           /* source text for caret snippets (optional) */
  size_t sql_len;
} uf_qualify_options;

typedef enum uf_qualify_issue_kind {
  UF_ISSUE_UNKNOWN_COLUMN,
  UF_ISSUE_AMBIGUOUS_COLUMN,
  UF_ISSUE_UNKNOWN_TABLE,
  UF_ISSUE_INVALID /* any other semantic error (bad star, bad ordinal ...) */
} uf_qualify_issue_kind;

typedef struct uf_qualify_issue {
  uf_qualify_issue_kind kind;
  uf_error error;                /* message, line, column, caret snippet */
  const char *name;              /* the offending name as written */
  const char *const *candidates; /* ncandidates names in scope */
  size_t ncandidates;
} uf_qualify_issue;

/* Issues found by uf_qualify; the array and its strings live in the tree's
 * arena (valid until uf_tree_free). Zero-initialize before the call. */
typedef struct uf_qualify_result {
  const uf_qualify_issue *issues;
  size_t nissues;
} uf_qualify_result;

/* Qualifies the query or statement `root` of tree t in place, as SQLGlot's
 * qualify does: tables qualified and aliased, stars expanded, every column
 * qualified with its source, every projection aliased, identifiers
 * normalized (and quoted per options). *out_root receives the (possibly
 * new) root. Issues (unknown/ambiguous column, unknown table) go to `out`
 * (may be NULL); with options->validate the first one is also returned as
 * UF_SEMANTIC in err. s may be NULL (columns then resolve only against the
 * query's own derived tables). opts may be NULL (defaults). */
uf_status uf_qualify(uf_tree *t, uf_node *root, const uf_schema *s,
                     const uf_qualify_options *opts, uf_node **out_root,
                     uf_qualify_result *out, uf_error *err);


/* -- annotate_types ------------------------------------------------------- */

/* Type ids, one per DuckDB logical type the annotator distinguishes. */
typedef enum uf_type_id {
  UF_T_UNKNOWN, UF_T_NULL, UF_T_BOOLEAN,
  UF_T_TINYINT, UF_T_SMALLINT, UF_T_INTEGER, UF_T_BIGINT, UF_T_HUGEINT,
  UF_T_UTINYINT, UF_T_USMALLINT, UF_T_UINTEGER, UF_T_UBIGINT, UF_T_UHUGEINT,
  UF_T_FLOAT, UF_T_DOUBLE, UF_T_DECIMAL,
  UF_T_VARCHAR, UF_T_BLOB, UF_T_BIT, UF_T_UUID,
  UF_T_DATE, UF_T_TIME, UF_T_TIME_TZ, UF_T_TIMESTAMP, UF_T_TIMESTAMP_TZ,
  UF_T_TIMESTAMP_S, UF_T_TIMESTAMP_MS, UF_T_TIMESTAMP_NS, UF_T_INTERVAL,
  UF_T_LIST, UF_T_ARRAY, UF_T_STRUCT, UF_T_MAP, UF_T_UNION,
  UF_T_OTHER /* a named type we do not model (JSON, ENUM, user types) */
} uf_type_id;

typedef struct uf_type uf_type;

typedef struct uf_type_field {
  const char *name;        /* "" for an unnamed field */
  const uf_type *type;
} uf_type_field;

/* A type value. Immutable; scalar types are static singletons, composite
 * ones live in the uf_types that made them. */
struct uf_type {
  uf_type_id id;
  uint8_t width, scale;          /* DECIMAL */
  uint32_t size;                 /* ARRAY: fixed length */
  const uf_type *child;          /* LIST/ARRAY element, MAP key */
  const uf_type *value;          /* MAP value */
  const uf_type_field *fields;   /* STRUCT/UNION members; a query's row */
  size_t nfields;
  const char *text;              /* as DuckDB prints it: "DECIMAL(15,2)",
                                    "INTEGER[]", "STRUCT(a INTEGER)" */
};

/* The static type for a scalar id (UNKNOWN for composite ids). */
const uf_type *uf_type_scalar(uf_type_id id);
/* Structural equality (DECIMAL width/scale, children, field names). */
bool uf_type_equal(const uf_type *a, const uf_type *b);

/* Types given to a tree: a side table from expression and query nodes to
 * their types, plus the arena holding composite types. */
typedef struct uf_types uf_types;

/* Function signatures the type table does not know (the engine's catalog
 * snapshot supplies them): return_type gives the result type of `name`
 * applied to arguments of types `args` as text in DuckDB spelling, or NULL
 * when unknown; the text is only read during the call. */
typedef struct uf_function_catalog {
  const char *(*return_type)(void *ctx, const char *name,
                             const uf_type *const *args, size_t nargs);
  void *ctx;
} uf_function_catalog;

typedef struct uf_annotate_options {
  const uf_dialect *dialect;            /* identifier folding; NULL = duckdb */
  const uf_function_catalog *functions; /* may be NULL */
} uf_annotate_options;

/* Gives every expression and query node under root a type: columns from
 * the schema (qualified input expected; unqualified columns resolve against
 * the sources in scope), literals, casts, operators and functions as DuckDB
 * types them. A query node's type is a STRUCT of its output columns. s and
 * o may be NULL. On success *out is new (free with uf_types_free); it
 * refers to root's nodes by address and does not own them. */
uf_status uf_annotate_types(const uf_node *root, const uf_schema *s,
                            const uf_annotate_options *o, uf_types **out,
                            uf_error *err);
void uf_types_free(uf_types *ts);

/* The type of node n (an expression or query) or NULL if n was not
 * annotated; borrowed, valid until uf_types_free. */
const uf_type *uf_node_type(const uf_types *ts, const uf_node *n);
/* The output row of the annotated root: a STRUCT whose fields are the
 * output columns (name, type) in order; NULL if root is not a query. */
const uf_type *uf_types_output(const uf_types *ts);

/* Parses a type spelling ("DECIMAL(15,2)", "int", "VARCHAR[]") or converts
 * a TYPE node into a type owned by ts. UF_SYNTAX if text is no type. */
uf_status uf_type_parse(uf_types *ts, const char *text, const uf_type **out,
                        uf_error *err);
uf_status uf_type_from_node(uf_types *ts, const uf_node *type_node,
                            const uf_type **out, uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
