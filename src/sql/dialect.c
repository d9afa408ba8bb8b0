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

bool uf_dialect_is_folded(const uf_dialect *d, const char *s) {
  /* the fold is decided once, not per byte: this runs for every name */
  uf_fold f = d ? d->fold : UF_FOLD_LOWER;
  const unsigned char *c = (const unsigned char *)s;
  if (f == UF_FOLD_LOWER) {
    for (; *c; c++)
      if ((unsigned)(*c - 'A') < 26u) return false;
  } else if (f == UF_FOLD_UPPER) {
    for (; *c; c++)
      if ((unsigned)(*c - 'a') < 26u) return false;
  }
  return true;
}

void uf_dialect_fold(const uf_dialect *d, const char *s, char *buf) {
  uf_fold f = d ? d->fold : UF_FOLD_LOWER;
  for (; *s; s++, buf++) {
    char c = *s;
    if (f == UF_FOLD_LOWER && c >= 'A' && c <= 'Z') c = (char)(c + 32);
    else if (f == UF_FOLD_UPPER && c >= 'a' && c <= 'z') c = (char)(c - 32);
    *buf = c;
  }
  *buf = '\0';
}

/* Bytes of a bare identifier: 1 may start one, 2 may follow. */
static const unsigned char IDENT_BYTE[256] = {
#define L2_(c) [c] = 3, [c + 1] = 3
#define L26_(c) L2_(c), L2_(c + 2), L2_(c + 4), L2_(c + 6), L2_(c + 8), \
    L2_(c + 10), L2_(c + 12), L2_(c + 14), L2_(c + 16), L2_(c + 18),   \
    L2_(c + 20), L2_(c + 22), L2_(c + 24)
    L26_('a'), L26_('A'), ['_'] = 3,
    ['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2,
    ['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
#define H8_(c) [c] = 3, [c + 1] = 3, [c + 2] = 3, [c + 3] = 3, \
    [c + 4] = 3, [c + 5] = 3, [c + 6] = 3, [c + 7] = 3
#define H64_(c) H8_(c), H8_(c + 8), H8_(c + 16), H8_(c + 24), H8_(c + 32), \
    H8_(c + 40), H8_(c + 48), H8_(c + 56)
    H64_(0x80), H64_(0xC0),
#undef H64_
#undef H8_
#undef L26_
#undef L2_
};

bool uf_dialect_ident_needs_quotes(const uf_dialect *d, const char *s) {
  (void)d;
  const unsigned char *c = (const unsigned char *)s;
  if (!(IDENT_BYTE[*c] & 1)) return true; /* also the empty name */
  size_t n = 1;
  for (; c[n]; n++)
    if (!IDENT_BYTE[c[n]]) return true;
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

/* Statement constructs each dialect cannot write (gen_stmt.c reports them
 * by these names). */
static const char *const DUCKDB_STMT_MISSING[] = {
    "INSERT OVERWRITE", "COPY STDIN/STDOUT", "GENERATED STORED", NULL};

static const char *const PG_STMT_MISSING[] = {
    "PRAGMA", "ATTACH", "DETACH", "INSTALL", "LOAD", "SUMMARIZE", "DESCRIBE",
    "SHOW TABLES", "SHOW ALL TABLES", "SHOW DATABASES", "USE",
    "EXPORT DATABASE", "IMPORT DATABASE", "CREATE MACRO", "DROP MACRO",
    "DROP MACRO TABLE", "DROP SECRET", "CREATE SECRET", "INSERT OR REPLACE",
    "INSERT OR IGNORE", "INSERT BY NAME", "INSERT BY POSITION", "INSERT OVERWRITE",
    "SET VARIABLE", "SET GLOBAL", "RESET GLOBAL", "RESET VARIABLE",
    "FORCE CHECKPOINT", "CHECKPOINT database", "CREATE OR REPLACE TABLE",
    "CREATE VIEW IF NOT EXISTS", "COPY PARTITION_BY", "GENERATED VIRTUAL",
    NULL};

static const char *const DF_STMT_MISSING[] = {
    "PRAGMA", "ATTACH", "DETACH", "INSTALL", "LOAD", "SUMMARIZE", "USE",
    "EXPORT DATABASE", "IMPORT DATABASE", "CHECKPOINT", "FORCE CHECKPOINT",
    "VACUUM", "CREATE MACRO", "DROP MACRO", "DROP MACRO TABLE",
    "CREATE SEQUENCE", "DROP SEQUENCE", "CREATE INDEX", "DROP INDEX",
    "CREATE TYPE", "DROP TYPE", "DROP SECRET", "CREATE SECRET", "ALTER TABLE", "ALTER VIEW",
    "COMMENT ON", "TRUNCATE", "INSERT OR REPLACE", "INSERT OR IGNORE",
    "INSERT BY NAME", "INSERT BY POSITION", "ON CONFLICT", "RETURNING",
    "SET VARIABLE", "SET GLOBAL", "SET LOCAL", "RESET", "CALL", "COPY FROM",
    "COPY column list", "COPY STDIN/STDOUT", "SHOW DATABASES",
    "SHOW ALL TABLES", "CREATE TEMP TABLE", "CREATE TEMP VIEW",
    "CREATE OR REPLACE TABLE", "CHECK constraint", "REFERENCES constraint",
    "FOREIGN KEY constraint", "GENERATED constraint", "COLLATE constraint",
    "DELETE USING", "UPDATE FROM", "DEALLOCATE", NULL};

/* COPY formats PostgreSQL can write. */
static const char *const PG_COPY_FORMATS[] = {"CSV", "TEXT", "BINARY", NULL};

/* DataFusion's format option names (after the "format." prefix) <->
 * DuckDB's option names, which the AST holds. */
static const uf_name_map DF_COPY_OPTS_IN[] = {
    {"HAS_HEADER", "HEADER"},         {"NULL_VALUE", "NULLSTR"},
    {"MAX_ROW_GROUP_SIZE", "ROW_GROUP_SIZE"},
    {"DATE_FORMAT", "DATEFORMAT"},    {"TIMESTAMP_FORMAT", "TIMESTAMPFORMAT"},
    {NULL, NULL}};

static const uf_name_map DF_COPY_OPTS_OUT[] = {
    {"HEADER", "has_header"},         {"NULLSTR", "null_value"},
    {"NULL", "null_value"},           {"ROW_GROUP_SIZE", "max_row_group_size"},
    {"DATEFORMAT", "date_format"},    {"TIMESTAMPFORMAT", "timestamp_format"},
    {NULL, NULL}};

/* Function names: the AST holds DuckDB's names. An operator name (~)
 * maps a binary operator to a function on input and back on output. */
static const uf_name_map PG_FUNCS_IN[] = {
    {"~", "regexp_matches"},        {"regexp_like", "regexp_matches"},
    {"array_cat", "list_concat"},   {"string_to_array", "string_split"},
    {NULL, NULL}};

static const uf_name_map PG_FUNCS_OUT[] = {
    {"regexp_matches", "~"},        {"list_concat", "array_cat"},
    {"string_split", "string_to_array"}, {"ifnull", "coalesce"},
    {"len", "length"},              {"instr", "strpos"},
    {"list", "array_agg"},          {"group_concat", "string_agg"},
    {"arbitrary", "any_value"},     {NULL, NULL}};

static const uf_name_map DF_FUNCS_IN[] = {
    {"~", "regexp_matches"},        {"regexp_like", "regexp_matches"},
    {"make_array", "list_value"},   {"to_char", "strftime"},
    {"array_concat", "list_concat"},{"nvl", "ifnull"},
    {"array_element", "list_extract"}, {NULL, NULL}};

static const uf_name_map DF_FUNCS_OUT[] = {
    {"regexp_matches", "regexp_like"}, {"list_value", "make_array"},
    {"strftime", "to_char"},        {"list_concat", "array_concat"},
    {"list_extract", "array_element"}, {"len", "length"},
    {"string_split", "string_to_array"}, {"list", "array_agg"},
    {"group_concat", "string_agg"}, {NULL, NULL}};

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
    .copy_style = 0, .stmt_missing = DUCKDB_STMT_MISSING,
};

static const uf_dialect POSTGRES = {
    .name = "postgres", .id = UF_DIALECT_POSTGRES, .ident_quote = '"',
    .fold = UF_FOLD_LOWER, .backslash_strings = false,
    .has_double_colon = true, .has_ilike = true, .has_fetch = true,
    .has_distinct_on = true, .has_filter = true, .has_list_literal = false,
    .has_sample = true, .has_named_args_walrus = true,
    .types_in = PG_TYPES_IN, .types_out = PG_TYPES_OUT,
    .funcs_in = PG_FUNCS_IN, .funcs_out = PG_FUNCS_OUT,
    .copy_style = 1, .copy_formats = PG_COPY_FORMATS,
    .stmt_missing = PG_STMT_MISSING,
};

static const uf_dialect DATAFUSION = {
    .name = "datafusion", .id = UF_DIALECT_DATAFUSION, .ident_quote = '"',
    .fold = UF_FOLD_LOWER, .backslash_strings = false,
    .has_external_table = true, .has_double_colon = true, .has_ilike = true,
    .has_try_cast = true, .has_list_literal = true, .has_filter = true,
    .has_distinct_on = true, .has_qualify = true, .has_group_by_all = false,
    .types_in = DF_TYPES_IN, .types_out = DF_TYPES_OUT,
    .funcs_in = DF_FUNCS_IN, .funcs_out = DF_FUNCS_OUT,
    .copy_style = 2, .copy_opts_in = DF_COPY_OPTS_IN,
    .copy_opts_out = DF_COPY_OPTS_OUT, .stmt_missing = DF_STMT_MISSING,
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
