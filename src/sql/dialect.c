/*
 * The built-in dialects: duckdb (default and the engine's write dialect),
 * postgres and datafusion. Each is a constant table; see dialect.h.
 */
#include <string.h>
#include <strings.h>

#include "sql/dialect.h"
#include "sql/keywords.h"

const char *uf_name_map_find(const uf_name_map *m, const char *name) {
  if (!m || !name) return NULL;
  for (; m->from; m++)
    if (strcasecmp(m->from, name) == 0) return m->to;
  return NULL;
}

bool uf_dialect_ident_needs_quotes(const uf_dialect *d, const char *s) {
  (void)d;
  if (!s[0]) return true;
  const unsigned char *c = (const unsigned char *)s;
  if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' ||
        *c >= 0x80))
    return true;
  size_t n = 0;
  for (; *c; c++, n++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
          (*c >= '0' && *c <= '9') || *c == '_' || *c >= 0x80))
      return true;
  uf_keyword kw = uf_keyword_lookup(s, n);
  if (kw == KW_NONE_) return false;
  uf_kw_class cls = uf_keyword_class(kw);
  return cls == KWC_R || cls == KWC_T || cls == KWC_C;
}

/* DataFusion (Arrow) type names in; DuckDB spelling held in the AST. */
static const uf_name_map DF_TYPES_IN[] = {
    {"Utf8", "VARCHAR"},      {"LargeUtf8", "VARCHAR"}, {"Utf8View", "VARCHAR"},
    {"Int8", "TINYINT"},      {"Int16", "SMALLINT"},    {"Int32", "INTEGER"},
    {"Int64", "BIGINT"},      {"UInt8", "UTINYINT"},    {"UInt16", "USMALLINT"},
    {"UInt32", "UINTEGER"},   {"UInt64", "UBIGINT"},    {"Float16", "FLOAT"},
    {"Float32", "FLOAT"},     {"Float64", "DOUBLE"},    {"Boolean", "BOOLEAN"},
    {"Date32", "DATE"},       {"Date64", "DATE"},       {"Binary", "BLOB"},
    {"LargeBinary", "BLOB"},  {"Decimal128", "DECIMAL"},{"STRING", "VARCHAR"},
    {NULL, NULL}};

static const uf_name_map DF_TYPES_OUT[] = {
    {"UTINYINT", "TINYINT UNSIGNED"}, {"USMALLINT", "SMALLINT UNSIGNED"},
    {"UINTEGER", "INT UNSIGNED"},     {"UBIGINT", "BIGINT UNSIGNED"},
    {"BLOB", "BYTEA"},                {"HUGEINT", "DECIMAL(38, 0)"},
    {NULL, NULL}};

static const uf_name_map PG_TYPES_IN[] = {
    {"INT2", "SMALLINT"},  {"INT4", "INTEGER"},   {"INT8", "BIGINT"},
    {"FLOAT4", "FLOAT"},   {"FLOAT8", "DOUBLE"},  {"BYTEA", "BLOB"},
    {"BOOL", "BOOLEAN"},   {"DOUBLE PRECISION", "DOUBLE"},
    {"TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"},
    {NULL, NULL}};

static const uf_name_map PG_TYPES_OUT[] = {
    {"DOUBLE", "DOUBLE PRECISION"}, {"FLOAT", "REAL"}, {"TINYINT", "SMALLINT"},
    {"BLOB", "BYTEA"},              {"HUGEINT", "NUMERIC(38, 0)"},
    {"UTINYINT", "SMALLINT"},       {"USMALLINT", "INTEGER"},
    {"UINTEGER", "BIGINT"},         {"UBIGINT", "NUMERIC(20, 0)"},
    {NULL, NULL}};

static const uf_dialect DUCKDB = {
    .name = "duckdb", .id = UF_DIALECT_DUCKDB, .ident_quote = '"',
    .fold = UF_FOLD_LOWER, .backslash_strings = false,
    .has_qualify = true, .has_pivot = true, .has_lambda = true,
    .has_struct_literal = true, .has_list_literal = true,
    .has_map_literal = true, .has_star_modifiers = true,
    .has_from_first = true, .has_positional_join = true,
    .has_asof_join = true, .has_semi_anti_join = true, .has_macro = true,
    .has_external_table = false, .has_double_colon = true, .has_ilike = true,
    .has_glob = true, .has_named_args_walrus = true, .has_group_by_all = true,
    .has_union_by_name = true, .has_sample = true, .has_try_cast = true,
    .has_fetch = true, .has_distinct_on = true, .has_filter = true,
};

static const uf_dialect POSTGRES = {
    .name = "postgres", .id = UF_DIALECT_POSTGRES, .ident_quote = '"',
    .fold = UF_FOLD_LOWER, .backslash_strings = false,
    .has_double_colon = true, .has_ilike = true, .has_fetch = true,
    .has_distinct_on = true, .has_filter = true, .has_list_literal = false,
    .has_sample = true, .has_named_args_walrus = true,
    .types_in = PG_TYPES_IN, .types_out = PG_TYPES_OUT,
};

static const uf_dialect DATAFUSION = {
    .name = "datafusion", .id = UF_DIALECT_DATAFUSION, .ident_quote = '"',
    .fold = UF_FOLD_LOWER, .backslash_strings = false,
    .has_external_table = true, .has_double_colon = true, .has_ilike = true,
    .has_try_cast = true, .has_list_literal = true, .has_filter = true,
    .has_distinct_on = true, .has_qualify = true, .has_group_by_all = false,
    .types_in = DF_TYPES_IN, .types_out = DF_TYPES_OUT,
};

const uf_dialect *uf_dialect_duckdb(void) { return &DUCKDB; }
const uf_dialect *uf_dialect_postgres(void) { return &POSTGRES; }
const uf_dialect *uf_dialect_datafusion(void) { return &DATAFUSION; }

const uf_dialect *uf_dialect_by_name(const char *name) {
  if (!name) return NULL;
  if (strcasecmp(name, "duckdb") == 0) return &DUCKDB;
  if (strcasecmp(name, "postgres") == 0 || strcasecmp(name, "postgresql") == 0)
    return &POSTGRES;
  if (strcasecmp(name, "datafusion") == 0) return &DATAFUSION;
  return NULL;
}

const char *uf_dialect_name(const uf_dialect *d) { return d ? d->name : "duckdb"; }
