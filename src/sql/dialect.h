/*
 * Dialects: a table of settings plus small hooks. Parser and generator ask
 * the dialect; they never test a dialect's name.
 *
 * Type names are held in the AST in DuckDB's spelling (the engine's write
 * dialect); a dialect maps its own names in (parse) and out (generate).
 */
#ifndef UF_SQL_DIALECT_H
#define UF_SQL_DIALECT_H

#include <stdbool.h>
#include <stdint.h>

#include "unifier/sql.h"

typedef enum uf_fold { UF_FOLD_LOWER, UF_FOLD_UPPER, UF_FOLD_NONE } uf_fold;

typedef struct uf_name_map {
  const char *from, *to;
} uf_name_map;

typedef enum uf_dialect_id {
  UF_DIALECT_DUCKDB, UF_DIALECT_POSTGRES, UF_DIALECT_DATAFUSION
} uf_dialect_id;

struct uf_dialect {
  const char *name;
  uf_dialect_id id;
  char ident_quote;           /* quote for identifiers on output */
  uf_fold fold;               /* how unquoted identifiers fold */
  bool backslash_strings;     /* '...' strings take backslash escapes */
  /* constructs the dialect can write; the generator errors on the others */
  bool has_qualify, has_pivot, has_lambda, has_struct_literal,
      has_list_literal, has_map_literal, has_star_modifiers,
      has_from_first, has_positional_join, has_asof_join, has_semi_anti_join,
      has_macro, has_external_table, has_double_colon, has_ilike,
      has_glob, has_named_args_walrus, has_group_by_all, has_union_by_name,
      has_sample, has_try_cast, has_fetch, has_distinct_on, has_filter;
  /* type names: input alias -> DuckDB name; DuckDB name -> output name */
  const uf_name_map *types_in, *types_out;
  /* function names: input alias -> canonical; canonical -> output */
  const uf_name_map *funcs_in, *funcs_out;
  /* statements (parse_stmt.c, gen_stmt.c) */
  uint8_t copy_style;         /* COPY options written as: 0 DuckDB (opts),
                                 1 PostgreSQL WITH (...), 2 DataFusion
                                 STORED AS ... OPTIONS (...) */
  const char *const *copy_formats; /* COPY formats it can write (NULL = any) */
  /* COPY/external-table option names of this dialect's own form <->
     DuckDB's (canonical) names; used for the DataFusion OPTIONS form */
  const uf_name_map *copy_opts_in, *copy_opts_out;
  /* statement constructs it cannot write, by the name the error reports
     ("PRAGMA", "INSERT OR REPLACE", ...); NULL-terminated */
  const char *const *stmt_missing;
};

/* Maps name through a NULL-terminated table (case-insensitive); returns the
 * mapped name or NULL. */
const char *uf_name_map_find(const uf_name_map *m, const char *name);

/* Whether an identifier must be quoted in dialect d (not a plain
 * lower-case-or-folding-safe word, or a reserved keyword). */
bool uf_dialect_ident_needs_quotes(const uf_dialect *d, const char *s);

/* True if s is unchanged by d's folding of unquoted identifiers. */
bool uf_dialect_is_folded(const uf_dialect *d, const char *s);
/* Appends s folded per d into buf (size >= strlen(s)+1). */
void uf_dialect_fold(const uf_dialect *d, const char *s, char *buf);

#endif
