/*
 * Session lock-down: the profile's file-access settings and the final
 * configuration lock, applied as SET statements built as ASTs and rendered
 * by the generator (DuckDB takes allowed_directories and temp_directory
 * only as settings, not as open-time config).
 *
 * Order matters: allowed_directories can only be widened while external
 * access is on, so it comes first; then external access goes off; then the
 * configuration is locked, after which no SET can loosen any of it.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/duckdb_internal.h"
#include "unifier/builder.h"
#include "unifier/sql.h"

/* SET name = value, with value built in t. */
static uf_node *set_stmt(uf_tree *t, const char *name, uf_node *value) {
  uf_node *n = uf_node_new(t, UF_SET);
  uf_node *id = uf_b_ident(t, name, false);
  if (n == NULL || id == NULL || value == NULL) return NULL;
  if (uf_set(n, UF_SLOT_NAME, id, NULL) != UF_OK) return NULL;
  if (uf_set(n, UF_SLOT_VALUE, value, NULL) != UF_OK) return NULL;
  return n;
}

/* ['a', 'b', ...] */
static uf_node *string_array(uf_tree *t, const char *const *items, size_t n) {
  uf_node *arr = uf_node_new(t, UF_ARRAY), *list = uf_b_list(t);
  if (arr == NULL || list == NULL) return NULL;
  for (size_t i = 0; i < n; i++)
    if (uf_b_list_push(t, list, uf_b_string(t, items[i]), NULL) != UF_OK) return NULL;
  if (uf_set(arr, UF_SLOT_ARGS, list, NULL) != UF_OK) return NULL;
  return arr;
}

static uf_status run_ast(uf_ei_session *s, const uf_node *stmt, uf_error *err) {
  if (stmt == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  uf_gen_options go = {0};
  go.dialect = uf_dialect_duckdb();
  char *sql = NULL;
  uf_status st = uf_generate(stmt, &go, &sql, NULL, err);
  if (st != UF_OK) return st;
  duckdb_result res;
  if (duckdb_query(s->con, sql, &res) == DuckDBError) {
    const char *msg = duckdb_result_error(&res);
    st = uf_error_set(err, UF_ENGINE, "engine: setting up the session: %s\n  in: %.300s",
                      msg ? msg : "failed", sql);
  }
  duckdb_destroy_result(&res);
  uf_free(sql);
  return st;
}

/* Allowed prefixes: the profile's directories, plus the remote schemes
 * when remote access is on. */
static const char **allowed_list(const uf_runtime_profile *p, size_t *out_n) {
  static const char *const remote[] = {"http://", "https://", "s3://", "gcs://",
                                       "gs://", "r2://", "az://", "abfss://"};
  size_t nr = p->allow_remote ? sizeof remote / sizeof *remote : 0, n = 0;
  for (const char *const *d = p->allowed_directories; d && *d; d++) n++;
  const char **list = calloc(n + nr + 1, sizeof *list);
  if (list == NULL) return NULL;
  size_t k = 0;
  for (const char *const *d = p->allowed_directories; d && *d; d++) list[k++] = *d;
  for (size_t i = 0; i < nr; i++) list[k++] = remote[i];
  *out_n = k;
  return list;
}

uf_status uf_duckdb_lock_down(uf_ei_session *s, const uf_runtime_profile *p,
                              uf_error *err) {
  uf_tree *t = uf_tree_new();
  if (t == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  /* DuckDB computes query progress only with its progress bar enabled;
   * it is never printed (the CLI draws its own). */
  uf_status st = run_ast(s, set_stmt(t, "enable_progress_bar", uf_b_bool(t, true)), err);
  if (st == UF_OK)
    st = run_ast(s, set_stmt(t, "enable_progress_bar_print", uf_b_bool(t, false)), err);
  if (st == UF_OK && p->temp_directory)
    st = run_ast(s, set_stmt(t, "temp_directory", uf_b_string(t, p->temp_directory)), err);
  if (st == UF_OK && !p->allow_external_access) {
    size_t n = 0;
    const char **list = allowed_list(p, &n);
    if (list == NULL) st = uf_error_set(err, UF_NOMEM, "engine: out of memory");
    if (st == UF_OK && n > 0)
      st = run_ast(s, set_stmt(t, "allowed_directories", string_array(t, list, n)), err);
    free(list);
    if (st == UF_OK)
      st = run_ast(s, set_stmt(t, "enable_external_access", uf_b_bool(t, false)), err);
  }
  if (st == UF_OK)
    st = run_ast(s, set_stmt(t, "lock_configuration", uf_b_bool(t, true)), err);
  uf_tree_free(t);
  return st;
}
