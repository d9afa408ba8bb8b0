/*
 * Output column types against DuckDB: the TPC-H schema is created as empty
 * tables (CREATE TABLE ASTs built from schema.json), then for each of the
 * 22 queries the types uf_annotate_types computes must equal the result
 * types DuckDB reports for the same query. A mismatch prints the query
 * number and both type lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "harness.h"
#include "unifier/opt.h"
#include "unifier/schema.h"

#define NQ 22

/* Creates every table of s, empty, from a template CREATE TABLE whose
 * column definition is copied once per column. */
static void create_tables(uf_engine *e, const uf_schema *s) {
  static const char *tmpl = "CREATE TABLE t (c INTEGER)";
  for (size_t i = 0; i < uf_schema_table_count(s); i++) {
    const uf_schema_table *tab = uf_schema_table_at(s, i);
    uf_tree *t = NULL;
    uf_error err;
    assert_int_equal(uf_parse_one(tmpl, strlen(tmpl), NULL, &t, &err), UF_OK);
    uf_node *root = uf_tree_root(t);
    uf_node *name = uf_find(uf_get(root, UF_SLOT_NAME), UF_IDENT);
    uf_node *cols = uf_get(root, UF_SLOT_COLUMNS);
    assert_non_null(name);
    assert_true(cols != NULL && cols->nkids == 1);
    name->text = uf_intern(t, tab->name, strlen(tab->name));
    uf_node *proto = cols->kids[0];
    cols->nkids = 0;
    for (size_t j = 0; j < tab->ncolumns; j++) {
      uf_node *def = uf_node_copy(t, proto);
      assert_non_null(def);
      uf_node *id = uf_get(def, UF_SLOT_NAME);
      id->text = uf_intern(t, tab->columns[j].name, strlen(tab->columns[j].name));
      assert_non_null(tab->columns[j].type_node);
      uf_node *ty = uf_node_copy(t, tab->columns[j].type_node);
      assert_int_equal(uf_set(def, UF_SLOT_TYPE, ty, NULL), UF_OK);
      assert_int_equal(uf_list_push(t, cols, def, NULL), UF_OK);
    }
    if (uf_engine_exec(e, root, NULL, &err) != UF_OK)
      fail_msg("creating %s: %s", tab->name, err.message);
    uf_tree_free(t);
  }
}

/* Runs the 22 queries over schema s; returns how many agree. */
static int run_tpch(uf_schema *s, const char *label) {
  uf_error err;
  uf_engine *e = NULL;
  if (uf_engine_open(NULL, &e, &err) != UF_OK) fail_msg("engine: %s", err.message);
  create_tables(e, s);
  int pass = 0;
  for (int q = 1; q <= NQ; q++) {
    char path[512];
    snprintf(path, sizeof path, "%s/corpora/tpch/queries/q%02d.sql", UF_SHARED_DIR, q);
    size_t len = 0;
    char *sql = h_read_file(path, &len);
    assert_non_null(sql);
    uf_tree *t = NULL;
    if (uf_parse_one(sql, len, NULL, &t, &err) != UF_OK) fail_msg("q%02d: %s", q, err.message);
    uf_types *ts = NULL;
    if (uf_annotate_types(uf_tree_root(t), s, NULL, &ts, &err) != UF_OK)
      fail_msg("q%02d annotate: %s", q, err.message);
    uf_result_text *r = NULL;
    if (uf_engine_exec(e, uf_tree_root(t), &r, &err) != UF_OK)
      fail_msg("q%02d run: %s", q, err.message);
    const uf_type *row = uf_types_output(ts);
    bool same = row != NULL && row->nfields == r->ncols;
    for (uint32_t i = 0; same && i < r->ncols; i++)
      same = strcmp(row->fields[i].type->text, r->types[i]) == 0;
    if (same) {
      pass++;
    } else {
      printf("[types] q%02d differs:\n  ours:  ", q);
      for (size_t i = 0; row && i < row->nfields; i++) printf(" %s", row->fields[i].type->text);
      printf("\n  duckdb:");
      for (uint32_t i = 0; i < r->ncols; i++) printf(" %s", r->types[i]);
      printf("\n");
    }
    uf_result_text_free(r);
    uf_types_free(ts);
    uf_tree_free(t);
    free(sql);
  }
  printf("[types] TPC-H (%s) output types equal to DuckDB's: %d/%d\n", label, pass, NQ);
  uf_engine_close(e);
  uf_schema_free(s);
  return pass;
}

static void test_tpch_output_types(void **state) {
  (void)state;
  uf_schema *s = NULL;
  uf_error err;
  if (uf_schema_load_file(UF_SHARED_DIR "/corpora/tpch/schema.json", NULL, &s, &err) != UF_OK)
    fail_msg("schema.json: %s", err.message);
  assert_true(run_tpch(s, "schema.json") >= 22); /* floor: only goes up */
}

/* The same schema with the standard TPC-H DECIMAL(15,2) money columns and
 * DATE dates, so decimal arithmetic and date rules are exercised. */
static void test_tpch_decimal_types(void **state) {
  (void)state;
  size_t len = 0;
  char *json = h_read_file(UF_SHARED_DIR "/corpora/tpch/schema.json", &len);
  assert_non_null(json);
  char *buf = malloc(len * 2 + 1);
  assert_non_null(buf);
  size_t n = 0;
  for (const char *p = json; *p;) {
    if (strncmp(p, "\"double\"", 8) == 0) {
      memcpy(buf + n, "\"DECIMAL(15,2)\"", 15);
      n += 15;
      p += 8;
    } else {
      buf[n++] = *p++;
    }
  }
  buf[n] = '\0';
  uf_schema *s = NULL;
  uf_error err;
  if (uf_schema_load_json(buf, n, NULL, &s, &err) != UF_OK) fail_msg("schema: %s", err.message);
  free(buf);
  free(json);
  assert_true(run_tpch(s, "DECIMAL(15,2)") >= 22); /* floor: only goes up */
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_tpch_output_types),
                                     cmocka_unit_test(test_tpch_decimal_types)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
