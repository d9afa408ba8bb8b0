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

/* -- rewrite rules: canonicalize, simplify ------------------------------- */

typedef struct uf_rewrite_options {
  bool expand_between;   /* canonicalize: x BETWEEN a AND b -> x >= a AND x <= b */
  bool sort_commutative; /* canonicalize: order operands of AND, OR, =, <>, * */
  const uf_schema *schema;                /* simplify: types (may be NULL) */
  const uf_dialect *dialect;              /* NULL = duckdb */
  const uf_function_catalog *functions;   /* may be NULL */
  /* simplify: the types annotate_types gave this tree (borrowed), reused
   * instead of annotating again; nodes made after it have none, and the
   * rewrites that need a type then skip them. NULL = annotate here. */
  const uf_types *types;
} uf_rewrite_options;

/* One spelling per construct (src/opt/canonicalize.c): casts written
 * CAST(x AS T), NOT over IS/IN/LIKE/BETWEEN/IS DISTINCT folded into the
 * node's NOT flag, NOT over a comparison replaced by the negated
 * comparison, redundant parentheses removed; options as above. In place;
 * *out_root gets the (possibly new) root. o may be NULL. */
uf_status uf_canonicalize(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                          uf_node **out_root, uf_error *err);

/* Conservative constant folding and boolean algebra that never changes
 * results under DuckDB semantics (src/opt/simplify.c). o may be NULL. */
uf_status uf_simplify(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                      uf_node **out_root, uf_error *err);

/* -- restructuring rules (the optimizer) --------------------------------- *
 *
 * Each takes a qualified tree (uf_qualify: every table aliased, every
 * column qualified with its source's alias, stars expanded where the
 * schema allows) and rewrites it in place, never changing the rows,
 * columns or column names it returns on DuckDB: where a rewrite cannot be
 * proven valid it is not made. *out_root gets the (possibly new) root.
 * Nodes they create live in t. o may be NULL (defaults). Names they
 * generate come from src/opt/names.h, so they are a function of the tree
 * only. SQLGlot's optimizer rules of the same names are the model. */

/* Conjunctive normal form, gated by the normalization distance. */
typedef struct uf_normalize_result {
  uint32_t distance; /* largest normalization distance of a predicate */
  bool skipped;      /* above max_distance: nothing was rewritten */
} uf_normalize_result;

/* Every WHERE/HAVING/QUALIFY/ON predicate to CNF (src/opt/normalize.c)
 * when the distance (the number of conjuncts CNF would produce) of every
 * one is at most max_distance; otherwise nothing changes and res->skipped
 * is set. res may be NULL. */
uf_status uf_normalize(uf_tree *t, uf_node *root, uint32_t max_distance,
                       uf_node **out_root, uf_normalize_result *res, uf_error *err);

/* Filters moved into derived tables, CTEs and join inputs where valid. */
uf_status uf_pushdown_predicates(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                                 uf_node **out_root, uf_error *err);
/* Columns nothing above uses removed from derived tables and CTEs. */
uf_status uf_pushdown_projections(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                                  uf_node **out_root, uf_error *err);
/* Subqueries in predicates turned into joins where valid. */
uf_status uf_unnest_subqueries(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                               uf_node **out_root, uf_error *err);
/* Derived tables and CTEs merged into the query that reads them. */
uf_status uf_merge_subqueries(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                              uf_node **out_root, uf_error *err);
/* Derived tables turned into CTEs, identical CTEs merged. */
uf_status uf_eliminate_subqueries(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                                  uf_node **out_root, uf_error *err);
/* CTEs nothing reads removed. */
uf_status uf_eliminate_ctes(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                            uf_node **out_root, uf_error *err);
/* Joins whose side nothing reads and that cannot change the row count
 * removed. */
uf_status uf_eliminate_joins(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                             uf_node **out_root, uf_error *err);
/* Cross joins given the predicates that join them; join kinds spelled one
 * way; joins ordered after the sources their conditions read. */
uf_status uf_optimize_joins(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                            uf_node **out_root, uf_error *err);

/* -- column lineage ------------------------------------------------------- */

/* Column lineage of a query: for each output column of the top-level query,
 * the source columns its value derives from ("sources") and, separately,
 * the source columns that decide which rows exist ("predicates").
 *
 * Sources: followed through CTEs, derived tables, set operations (both
 * branches, per position), joins, aggregates, windows (PARTITION BY and
 * ORDER BY of an OVER count as data, as in SQLGlot), CASE, scalar
 * subqueries and expanded stars. A table the query does not define (a
 * schema table, a view, an external table, an unknown name) is a source,
 * named as written after qualification: "table", "db.table" or
 * "catalog.db.table"; two references to one table (self-joins, aliases)
 * are the same source. A table function whose arguments read columns
 * (UNNEST(t.arr)) passes their lineage on; one that reads none
 * (range(10), read_csv('f')) is itself a source, named by its SQL text.
 * An unexpanded star of an unknown table gives the column "*"; count(*)
 * reads no column (its predicates decide what it counts).
 *
 * Predicates: every source column read by WHERE, JOIN ON, GROUP BY,
 * HAVING, QUALIFY and DISTINCT ON (with the subqueries inside them) of
 * every scope the output's data flows through: the output's own SELECT,
 * the derived tables/CTEs whose columns it reads, and the scalar subqueries
 * in its expression. GROUP BY counts because it decides the rows of the
 * output; ORDER BY and LIMIT do not (presentation). A column may be in
 * both lists. EXISTS (subquery) reads only the subquery's predicates.
 *
 * Lists are sorted by (table, column) and free of duplicates. */
typedef struct uf_lineage_source {
  const char *table;  /* qualified table name as written */
  const char *column;
} uf_lineage_source;

typedef struct uf_lineage_column {
  const char *name;                     /* output column name */
  const uf_lineage_source *sources;     /* nsources, sorted */
  size_t nsources;
  const uf_lineage_source *predicates;  /* npredicates, sorted */
  size_t npredicates;
} uf_lineage_column;

typedef struct uf_lineage_result uf_lineage_result;

/* Computes the lineage of `qualified_root` (a query, or a statement holding
 * one: CREATE TABLE/VIEW ... AS, INSERT ... query), which must have been
 * through uf_qualify (columns qualified with their source alias, stars
 * expanded). s may be NULL (it is not needed once qualified). On success
 * *out is new; free with uf_lineage_free. It does not refer to the tree. */
uf_status uf_lineage(const uf_node *qualified_root, const uf_schema *s,
                     uf_lineage_result **out, uf_error *err);
void uf_lineage_free(uf_lineage_result *r);

/* Output columns in order; borrowed, valid until uf_lineage_free. */
size_t uf_lineage_count(const uf_lineage_result *r);
const uf_lineage_column *uf_lineage_column_at(const uf_lineage_result *r,
                                              size_t i);
/* The first output column called `name` (exact match), or NULL. */
const uf_lineage_column *uf_lineage_find(const uf_lineage_result *r,
                                         const char *name);

typedef enum uf_lineage_part {
  UF_LINEAGE_SOURCES,   /* {"col": [["table","column"], ...], ...} */
  UF_LINEAGE_PREDICATES /* the same shape, predicate columns */
} uf_lineage_part;

/* JSON object {output column -> [["table","column"], ...]} of one part, in
 * output order; only the columns called `column` when it is not NULL.
 * *out_json is new (free with uf_free). */
uf_status uf_lineage_json(const uf_lineage_result *r, uf_lineage_part part,
                          const char *column, char **out_json,
                          size_t *out_len, uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
