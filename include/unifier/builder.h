/*
 * unifier — the builder API: ASTs made in code, rendered by uf_generate.
 *
 * Every node is allocated in the tree `t` passed in (and freed with it).
 * Constructors return the new node, or NULL when memory runs out. A NULL
 * argument where a child node is required also yields NULL, so calls can be
 * nested and checked once at the end:
 *
 *   uf_node *sel = uf_b_select(t);
 *   uf_b_select_add(t, sel, uf_b_column(t, NULL, "a"), &err);
 *   uf_b_select_from(t, sel, uf_b_table(t, NULL, "t"), &err);
 *   uf_b_select_where(t, sel, uf_b_gt(t, uf_b_column(t, NULL, "a"),
 *                                        uf_b_int(t, 1)), &err);
 *
 * Functions that can fail for a reason other than memory (a wrong node
 * kind, a NULL argument, an unparsable type) return uf_status and fill err.
 * Identifiers are stored as given: pass quoted=true to keep their case; a
 * name that cannot be written bare (a keyword, a space) is marked quoted,
 * since that is how the rendered SQL reads back.
 */
#ifndef UNIFIER_BUILDER_H
#define UNIFIER_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/ast.h"
#include "unifier/sql.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -- atoms ------------------------------------------------------------ */
uf_node *uf_b_ident(uf_tree *t, const char *name, bool quoted);
/* table_or_NULL.name; "*" as name makes a qualified star (t.*). */
uf_node *uf_b_column(uf_tree *t, const char *table_or_null, const char *name);
uf_node *uf_b_star(uf_tree *t);
uf_node *uf_b_int(uf_tree *t, int64_t v);
/* A numeric literal written as `text` ("1.5", "1e3"); not validated. */
uf_node *uf_b_number(uf_tree *t, const char *text);
uf_node *uf_b_string(uf_tree *t, const char *value);
uf_node *uf_b_bool(uf_tree *t, bool v);
uf_node *uf_b_null(uf_tree *t);
/* $name, $1 ("1"), or ? (NULL or ""). */
uf_node *uf_b_param(uf_tree *t, const char *name);

/* -- lists -------------------------------------------------------------- */
uf_node *uf_b_list(uf_tree *t);
uf_status uf_b_list_push(uf_tree *t, uf_node *list, uf_node *item,
                         uf_error *err);

/* -- expressions -------------------------------------------------------- */
/* name(args...): `n` node arguments follow (variadic) or come in an array.
 * A name with a dot ("schema.f") keeps it in the function name. */
uf_node *uf_b_func(uf_tree *t, const char *name, size_t n, ...);
uf_node *uf_b_func_v(uf_tree *t, const char *name, size_t n,
                     uf_node *const *args);
/* l op r for a binary operator such as "=", "<", "+", "||"; "AND"/"OR"
 * (any case) make AND/OR nodes. */
uf_node *uf_b_binary(uf_tree *t, const char *op, uf_node *l, uf_node *r);
uf_node *uf_b_and(uf_tree *t, uf_node *l, uf_node *r);
uf_node *uf_b_or(uf_tree *t, uf_node *l, uf_node *r);
uf_node *uf_b_not(uf_tree *t, uf_node *e);
uf_node *uf_b_eq(uf_tree *t, uf_node *l, uf_node *r);
uf_node *uf_b_neq(uf_tree *t, uf_node *l, uf_node *r);
uf_node *uf_b_lt(uf_tree *t, uf_node *l, uf_node *r);
uf_node *uf_b_lte(uf_tree *t, uf_node *l, uf_node *r);
uf_node *uf_b_gt(uf_tree *t, uf_node *l, uf_node *r);
uf_node *uf_b_gte(uf_tree *t, uf_node *l, uf_node *r);
uf_node *uf_b_is_null(uf_tree *t, uf_node *e, bool negated);
uf_node *uf_b_paren(uf_tree *t, uf_node *e);
/* A type by its (DuckDB) name, upper-cased: "BIGINT", "VARCHAR". */
uf_node *uf_b_type(uf_tree *t, const char *name);
/* A type with integer parameters: DECIMAL(18, 3), VARCHAR(20). */
uf_node *uf_b_type_params(uf_tree *t, const char *name, size_t n,
                          const int64_t *params);
/* Any type the parser accepts ("INTEGER[]", "STRUCT(a INT)", ...), parsed
 * in dialect d (NULL = duckdb). */
uf_status uf_b_parse_type(uf_tree *t, const char *sql, const uf_dialect *d,
                          uf_node **out, uf_error *err);
/* Any expression the parser accepts, parsed in d and copied into t. */
uf_status uf_b_parse_expr(uf_tree *t, const char *sql, const uf_dialect *d,
                          uf_node **out, uf_error *err);
/* CAST(expr AS type_name) with type_name as for uf_b_type. */
uf_node *uf_b_cast(uf_tree *t, uf_node *expr, const char *type_name);
uf_node *uf_b_cast_to(uf_tree *t, uf_node *expr, uf_node *type);
/* expr AS name */
uf_node *uf_b_alias(uf_tree *t, uf_node *expr, const char *name);
/* expr [DESC] */
uf_node *uf_b_ordered(uf_tree *t, uf_node *expr, bool desc);

/* -- FROM items ----------------------------------------------------------- */
uf_node *uf_b_table(uf_tree *t, const char *schema_or_null, const char *name);
/* Sets the alias of a TABLE, DERIVED or TABLE_FUNC node. */
uf_status uf_b_table_alias(uf_tree *t, uf_node *table, const char *alias,
                           uf_error *err);
/* (query) as a FROM item, with alias (NULL for none). */
uf_node *uf_b_derived(uf_tree *t, uf_node *query, const char *alias);
/* left <kind> JOIN right ON on; kind "INNER" (or "" / NULL), "LEFT",
 * "RIGHT", "FULL", "CROSS" (on NULL), "SEMI", "ANTI", ... */
uf_node *uf_b_join(uf_tree *t, const char *kind, uf_node *left,
                   uf_node *right, uf_node *on);

/* -- queries -------------------------------------------------------------- */
uf_node *uf_b_select(uf_tree *t);
/* Appends a select-list item. */
uf_status uf_b_select_add(uf_tree *t, uf_node *sel, uf_node *expr,
                          uf_error *err);
/* Sets FROM; a second call cross-joins with the existing FROM. */
uf_status uf_b_select_from(uf_tree *t, uf_node *sel, uf_node *from,
                           uf_error *err);
/* Adds a predicate, ANDed with an existing WHERE. */
uf_status uf_b_select_where(uf_tree *t, uf_node *sel, uf_node *pred,
                            uf_error *err);
uf_status uf_b_select_group_by(uf_tree *t, uf_node *sel, uf_node *expr,
                               uf_error *err);
/* Appends an ORDER BY item to a SELECT/SET_OP/QUERY_PAREN (an ORDERED node
 * or any expression, ascending). */
uf_status uf_b_order_by(uf_tree *t, uf_node *query, uf_node *item,
                        uf_error *err);
/* LIMIT n on a SELECT/SET_OP/QUERY_PAREN. */
uf_status uf_b_limit(uf_tree *t, uf_node *query, int64_t n, uf_error *err);
uf_status uf_b_offset(uf_tree *t, uf_node *query, int64_t n, uf_error *err);
/* left UNION [ALL] right (op "UNION", "INTERSECT", "EXCEPT"). */
uf_node *uf_b_set_op(uf_tree *t, const char *op, bool all, uf_node *left,
                     uf_node *right);

/* -- statements ------------------------------------------------------------ */
/* CREATE [OR REPLACE] TABLE name AS query; name is a TABLE node. */
uf_node *uf_b_create_table_as(uf_tree *t, uf_node *name, uf_node *query,
                              bool or_replace);
/* CREATE [OR REPLACE] VIEW name AS query. */
uf_node *uf_b_create_view(uf_tree *t, uf_node *name, uf_node *query,
                          bool or_replace);
/* CREATE TABLE name (columns) with a LIST of uf_b_column_def nodes. */
uf_node *uf_b_create_table(uf_tree *t, uf_node *name, uf_node *columns);
/* name type [NOT NULL]; type from uf_b_type and friends. */
uf_node *uf_b_column_def(uf_tree *t, const char *name, uf_node *type,
                         bool not_null);
/* INSERT INTO table query. */
uf_node *uf_b_insert(uf_tree *t, uf_node *table, uf_node *query);
/* COPY query_or_table TO 'path' (FORMAT format, options...); format may be
 * NULL, options a LIST of uf_b_prop nodes or NULL. */
uf_node *uf_b_copy_to(uf_tree *t, uf_node *query_or_table, const char *path,
                      const char *format, uf_node *options);
/* key value, for option lists (value: any expression). */
uf_node *uf_b_prop(uf_tree *t, const char *key, uf_node *value);
/* CREATE EXTERNAL TABLE name [(columns)] STORED AS format [PARTITIONED BY
 * (partitioned_by)] LOCATION 'location' [OPTIONS (options)] -- the
 * DataFusion form, lowered to the engine by the IO adapter (io.h). name is
 * a TABLE node; format "PARQUET", "CSV", "JSON"; columns a LIST of
 * uf_b_column_def or NULL; partitioned_by a LIST of IDENT (columns declared
 * in `columns`) or of uf_b_column_def, or NULL; options a LIST of uf_b_prop
 * with DuckDB option names (HEADER, DELIMITER, COMPRESSION, ...) or NULL. */
uf_node *uf_b_external_table(uf_tree *t, uf_node *name, const char *format,
                             const char *location, uf_node *columns,
                             uf_node *partitioned_by, uf_node *options);
/* DROP kind [IF EXISTS] name: kind "TABLE", "VIEW", "SECRET", ...; name a
 * TABLE node (uf_b_table). */
uf_node *uf_b_drop(uf_tree *t, const char *kind, uf_node *name,
                   bool if_exists);

#ifdef __cplusplus
}
#endif
#endif
