/*
 * Text results on DuckDB: every cell as DuckDB's cast to VARCHAR, for the
 * equivalence tests (uf_engine_exec) and the test oracle.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/duckdb_internal.h"

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static const char *simple_type_name(duckdb_type t) {
  switch (t) {
    case DUCKDB_TYPE_BOOLEAN: return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT: return "TINYINT";
    case DUCKDB_TYPE_SMALLINT: return "SMALLINT";
    case DUCKDB_TYPE_INTEGER: return "INTEGER";
    case DUCKDB_TYPE_BIGINT: return "BIGINT";
    case DUCKDB_TYPE_UTINYINT: return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT: return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER: return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT: return "UBIGINT";
    case DUCKDB_TYPE_FLOAT: return "FLOAT";
    case DUCKDB_TYPE_DOUBLE: return "DOUBLE";
    case DUCKDB_TYPE_TIMESTAMP: return "TIMESTAMP";
    case DUCKDB_TYPE_DATE: return "DATE";
    case DUCKDB_TYPE_TIME: return "TIME";
    case DUCKDB_TYPE_INTERVAL: return "INTERVAL";
    case DUCKDB_TYPE_HUGEINT: return "HUGEINT";
    case DUCKDB_TYPE_UHUGEINT: return "UHUGEINT";
    case DUCKDB_TYPE_VARCHAR: return "VARCHAR";
    case DUCKDB_TYPE_BLOB: return "BLOB";
    case DUCKDB_TYPE_TIMESTAMP_S: return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS: return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS: return "TIMESTAMP_NS";
    case DUCKDB_TYPE_ENUM: return "ENUM";
    case DUCKDB_TYPE_LIST: return "LIST";
    case DUCKDB_TYPE_STRUCT: return "STRUCT";
    case DUCKDB_TYPE_MAP: return "MAP";
    case DUCKDB_TYPE_ARRAY: return "ARRAY";
    case DUCKDB_TYPE_UUID: return "UUID";
    case DUCKDB_TYPE_UNION: return "UNION";
    case DUCKDB_TYPE_BIT: return "BIT";
    case DUCKDB_TYPE_TIME_TZ: return "TIME WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP_TZ: return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_SQLNULL: return "NULL";
    default: return "UNKNOWN";
  }
}

/* DECIMAL carries its width and scale: DECIMAL(15,2) and DECIMAL(18,3) are
 * different results even when the digits agree. */
static char *column_type_name(duckdb_result *res, idx_t col) {
  duckdb_type t = duckdb_column_type(res, col);
  if (t != DUCKDB_TYPE_DECIMAL) return dup_str(simple_type_name(t));
  duckdb_logical_type lt = duckdb_column_logical_type(res, col);
  char buf[32];
  snprintf(buf, sizeof buf, "DECIMAL(%u,%u)",
           (unsigned)duckdb_decimal_width(lt),
           (unsigned)duckdb_decimal_scale(lt));
  duckdb_destroy_logical_type(&lt);
  return dup_str(buf);
}

/* Copies a cell's VARCHAR cast into a malloc'd string (NULL for SQL NULL). */
static bool copy_cell(duckdb_result *res, idx_t col, idx_t row, char **out) {
  *out = NULL;
  if (duckdb_value_is_null(res, col, row)) return true;
  char *v = duckdb_value_varchar(res, col, row);
  if (v == NULL) return false;
  *out = dup_str(v);
  duckdb_free(v);
  return *out != NULL;
}

static uf_status materialize(duckdb_result *res, uf_result_text **out,
                             uf_error *err) {
  uf_result_text *r = calloc(1, sizeof *r);
  if (r == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  r->ncols = (uint32_t)duckdb_column_count(res);
  r->nrows = duckdb_row_count(res);
  r->names = calloc(r->ncols ? r->ncols : 1, sizeof *r->names);
  r->types = calloc(r->ncols ? r->ncols : 1, sizeof *r->types);
  uint64_t ncells = r->nrows * r->ncols;
  r->cells = calloc(ncells > 0 ? ncells : 1, sizeof *r->cells);
  bool ok = r->names && r->types && r->cells;
  for (uint32_t c = 0; ok && c < r->ncols; c++) {
    const char *name = duckdb_column_name(res, c);
    r->names[c] = dup_str(name ? name : "");
    r->types[c] = column_type_name(res, c);
    ok = r->names[c] && r->types[c];
  }
  for (uint64_t i = 0; ok && i < r->nrows; i++)
    for (uint32_t c = 0; ok && c < r->ncols; c++)
      ok = copy_cell(res, c, i, &r->cells[i * r->ncols + c]);
  if (!ok) {
    if (!r->names || !r->types) r->ncols = 0;
    if (!r->cells) r->nrows = 0;
    uf_result_text_free(r);
    return uf_error_set(err, UF_NOMEM, "engine: out of memory reading a result");
  }
  *out = r;
  return UF_OK;
}

uf_status uf_duckdb_exec_text(uf_ei_session *s, const char *sql, bool ordered,
                              uf_result_text **out, uf_error *err) {
  duckdb_result res;
  if (duckdb_query(s->con, sql, &res) == DuckDBError) {
    const char *msg = duckdb_result_error(&res);
    uf_status st = uf_error_set(err, UF_ENGINE, "engine: %s\n  in: %.300s",
                                msg ? msg : "query failed", sql);
    duckdb_destroy_result(&res);
    return st;
  }
  uf_status st = UF_OK;
  if (out != NULL) {
    st = materialize(&res, out, err);
    if (st == UF_OK) (*out)->ordered = ordered;
  }
  duckdb_destroy_result(&res);
  return st;
}
