/*
 * The engine boundary on the DuckDB C API. The only file that includes
 * duckdb.h. Statements arrive as ASTs and are rendered here with
 * uf_generate (dialect duckdb): no SQL text reaches DuckDB any other way,
 * except the test oracle of engine_oracle.h.
 */
#include <stdlib.h>
#include <string.h>

/* duckdb.h declares a few `f()` functions; it is a system header in the
 * CMake build, and this keeps a by-hand -I build quiet too. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <duckdb.h>
#pragma GCC diagnostic pop

#include "engine/engine.h"
#include "engine/engine_oracle.h"
#include "unifier/sql.h"

struct uf_engine {
  duckdb_database db;
  duckdb_connection con;
};

/* -- sessions ------------------------------------------------------------ */

static uf_status set_config(duckdb_config cfg, const char *name,
                            const char *value, uf_error *err) {
  if (duckdb_set_config(cfg, name, value) == DuckDBError)
    return uf_error_set(err, UF_ENGINE, "engine: cannot set %s=%s", name,
                        value);
  return UF_OK;
}

/* Safe defaults go into the config before the database exists, so no
 * statement ever runs with extensions auto-loading or files reachable
 * unless the caller asked; lock_configuration keeps them that way. */
static uf_status build_config(const uf_engine_options *o, duckdb_config cfg,
                              uf_error *err) {
  char threads[16];
  uf_status st = set_config(cfg, "autoinstall_known_extensions", "false", err);
  if (st == UF_OK)
    st = set_config(cfg, "autoload_known_extensions", "false", err);
  if (st == UF_OK)
    st = set_config(cfg, "enable_external_access",
                    o->allow_external_access ? "true" : "false", err);
  if (st == UF_OK && o->threads > 0) {
    snprintf(threads, sizeof threads, "%u", (unsigned)o->threads);
    st = set_config(cfg, "threads", threads, err);
  }
  if (st == UF_OK && o->memory_limit != NULL)
    st = set_config(cfg, "memory_limit", o->memory_limit, err);
  if (st == UF_OK) st = set_config(cfg, "lock_configuration", "true", err);
  return st;
}

uf_status uf_engine_open(const uf_engine_options *opts, uf_engine **out,
                         uf_error *err) {
  static const uf_engine_options defaults = {0};
  const uf_engine_options *o = opts ? opts : &defaults;
  if (out == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: out is NULL");
  *out = NULL;
  uf_engine *e = calloc(1, sizeof *e);
  if (e == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");

  duckdb_config cfg = NULL;
  char *open_error = NULL;
  uf_status st = UF_OK;
  if (duckdb_create_config(&cfg) == DuckDBError)
    st = uf_error_set(err, UF_ENGINE, "engine: cannot create a config");
  if (st == UF_OK) st = build_config(o, cfg, err);
  if (st == UF_OK &&
      duckdb_open_ext(NULL, &e->db, cfg, &open_error) == DuckDBError)
    st = uf_error_set(err, UF_ENGINE, "engine: cannot open: %s",
                      open_error ? open_error : "unknown error");
  if (open_error) duckdb_free(open_error);
  duckdb_destroy_config(&cfg);
  if (st == UF_OK && duckdb_connect(e->db, &e->con) == DuckDBError)
    st = uf_error_set(err, UF_ENGINE, "engine: cannot connect");
  if (st != UF_OK) {
    uf_engine_close(e);
    return st;
  }
  *out = e;
  return UF_OK;
}

void uf_engine_close(uf_engine *e) {
  if (e == NULL) return;
  if (e->con) duckdb_disconnect(&e->con);
  if (e->db) duckdb_close(&e->db);
  free(e);
}

/* -- results ------------------------------------------------------------- */

void uf_result_text_free(uf_result_text *r) {
  if (r == NULL) return;
  for (uint32_t c = 0; c < r->ncols; c++) {
    if (r->names) free(r->names[c]);
    if (r->types) free(r->types[c]);
  }
  if (r->cells) {
    for (uint64_t i = 0; i < r->nrows * r->ncols; i++) free(r->cells[i]);
  }
  free(r->names);
  free(r->types);
  free(r->cells);
  free(r);
}

const char *uf_result_text_cell(const uf_result_text *r, uint64_t row,
                                uint32_t col) {
  if (r == NULL || row >= r->nrows || col >= r->ncols) return NULL;
  return r->cells[row * r->ncols + col];
}

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

/* -- execution ----------------------------------------------------------- */

/* Runs text that the generator rendered (or the oracle's fixture text). */
static uf_status run_text(uf_engine *e, const char *sql, bool ordered,
                          uf_result_text **out, uf_error *err) {
  duckdb_result res;
  if (duckdb_query(e->con, sql, &res) == DuckDBError) {
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

uf_status uf_engine_exec(uf_engine *e, const uf_node *stmt,
                         uf_result_text **out, uf_error *err) {
  if (out) *out = NULL;
  if (e == NULL || stmt == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session or statement");
  uf_gen_options go = {0};
  go.dialect = uf_dialect_duckdb();
  go.strip_comments = true;
  char *sql = NULL;
  uf_status st = uf_generate(stmt, &go, &sql, NULL, err);
  if (st != UF_OK) return st;
  st = run_text(e, sql, uf_query_is_ordered(stmt), out, err);
  uf_free(sql);
  return st;
}

uf_status uf_engine_oracle_exec_text(uf_engine *e, const char *sql,
                                     bool ordered, uf_result_text **out,
                                     uf_error *err) {
  if (out) *out = NULL;
  if (e == NULL || sql == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session or text");
  return run_text(e, sql, ordered, out, err);
}

bool uf_query_is_ordered(const uf_node *stmt) {
  if (stmt == NULL) return false;
  switch ((uf_kind)stmt->kind) {
    case UF_SELECT:
    case UF_SET_OP:
    case UF_QUERY_PAREN:
      return uf_get(stmt, UF_SLOT_ORDER) != NULL ||
             (uf_is(stmt, UF_QUERY_PAREN) &&
              uf_query_is_ordered(uf_get(stmt, UF_SLOT_THIS)));
    default:
      return false;
  }
}

/* -- comparison ---------------------------------------------------------- */

static int cmp_cell(const char *a, const char *b) {
  if (a == NULL || b == NULL) return (a != NULL) - (b != NULL);
  return strcmp(a, b);
}

static int cmp_row(const uf_result_text *ra, uint64_t i,
                   const uf_result_text *rb, uint64_t j) {
  uint32_t n = ra->ncols < rb->ncols ? ra->ncols : rb->ncols;
  for (uint32_t c = 0; c < n; c++) {
    int d = cmp_cell(ra->cells[i * ra->ncols + c], rb->cells[j * rb->ncols + c]);
    if (d != 0) return d;
  }
  return (ra->ncols > rb->ncols) - (ra->ncols < rb->ncols);
}

/* qsort has no context argument in C11: the result being sorted is passed
 * through this file-local pointer (single-threaded test use). */
static const uf_result_text *sort_subject;

static int cmp_index(const void *x, const void *y) {
  uint64_t i = *(const uint64_t *)x, j = *(const uint64_t *)y;
  return cmp_row(sort_subject, i, sort_subject, j);
}

/* Row visiting order for comparisons: as is when ordered, else sorted. */
static uint64_t *row_order(const uf_result_text *r, bool ordered) {
  uint64_t *idx = malloc((r->nrows ? r->nrows : 1) * sizeof *idx);
  if (idx == NULL) return NULL;
  for (uint64_t i = 0; i < r->nrows; i++) idx[i] = i;
  if (!ordered && r->nrows > 1) {
    sort_subject = r;
    qsort(idx, r->nrows, sizeof *idx, cmp_index);
    sort_subject = NULL;
  }
  return idx;
}

static bool same_shape(const uf_result_text *a, const uf_result_text *b) {
  if (a->ncols != b->ncols || a->nrows != b->nrows) return false;
  for (uint32_t c = 0; c < a->ncols; c++)
    if (strcmp(a->types[c], b->types[c]) != 0) return false;
  return true;
}

bool uf_result_text_equal(const uf_result_text *a, const uf_result_text *b) {
  if (a == NULL || b == NULL) return a == b;
  if (!same_shape(a, b)) return false;
  bool ordered = a->ordered || b->ordered;
  uint64_t *ia = row_order(a, ordered), *ib = row_order(b, ordered);
  bool eq = ia && ib;
  for (uint64_t k = 0; eq && k < a->nrows; k++)
    eq = cmp_row(a, ia[k], b, ib[k]) == 0;
  free(ia);
  free(ib);
  return eq;
}

static void print_row(FILE *out, const char *tag, const uf_result_text *r,
                      uint64_t row) {
  fprintf(out, "%s", tag);
  for (uint32_t c = 0; c < r->ncols; c++) {
    const char *v = r->cells[row * r->ncols + c];
    fprintf(out, "%s%s", c ? "|" : "", v ? v : "NULL");
  }
  fputc('\n', out);
}

static void print_header(FILE *out, const char *tag, const uf_result_text *r) {
  fprintf(out, "%s%u columns, %llu rows:", tag, (unsigned)r->ncols,
          (unsigned long long)r->nrows);
  for (uint32_t c = 0; c < r->ncols; c++)
    fprintf(out, " %s %s", r->names[c], r->types[c]);
  fputc('\n', out);
}

void uf_result_text_diff(FILE *out, const uf_result_text *a,
                         const uf_result_text *b, uint32_t max_rows) {
  if (out == NULL || a == NULL || b == NULL || uf_result_text_equal(a, b))
    return;
  if (!same_shape(a, b)) {
    print_header(out, "- ", a);
    print_header(out, "+ ", b);
  }
  bool ordered = a->ordered || b->ordered;
  uint64_t *ia = row_order(a, ordered), *ib = row_order(b, ordered);
  uint64_t n = a->nrows > b->nrows ? a->nrows : b->nrows;
  uint32_t shown = 0;
  for (uint64_t k = 0; ia && ib && k < n && shown < max_rows; k++) {
    bool has_a = k < a->nrows, has_b = k < b->nrows;
    if (has_a && has_b && cmp_row(a, ia[k], b, ib[k]) == 0) continue;
    fprintf(out, "@ row %llu (%s)\n", (unsigned long long)k,
            ordered ? "in order" : "sorted");
    if (has_a) print_row(out, "- ", a, ia[k]);
    if (has_b) print_row(out, "+ ", b, ib[k]);
    shown++;
  }
  free(ia);
  free(ib);
}

void uf_result_text_print(FILE *out, const uf_result_text *r,
                          uint64_t max_rows) {
  if (out == NULL || r == NULL) return;
  print_header(out, "", r);
  for (uint64_t i = 0; i < r->nrows && i < max_rows; i++) print_row(out, "", r, i);
  if (r->nrows > max_rows)
    fprintf(out, "... %llu more rows\n", (unsigned long long)(r->nrows - max_rows));
}
