/* The introspection snapshot against a real session: tables and views with
 * their columns (type, nullability, ordinal) after registrations, functions
 * and settings, the schema map (and the corpus schema.json form), and the
 * cache: the same snapshot until DDL runs through the lane, a new one after
 * CREATE and DROP. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "unifier/builder.h"
#include "unifier/catalog.h"
#include "unifier/diag.h"
#include "unifier/engine.h"
#include "unifier/io.h"
#include "../support/support.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

typedef struct fx {
  uf_engine *e;
  uf_recorder *rec;
  uf_diag_sink *mem;
} fx;

static void check(uf_status st, const uf_error *err, const char *what) {
  if (st != UF_OK) {
    print_error("%s: %s: %s\n", what, uf_status_name(st), err->message);
    fail();
  }
}

/* DDL through the lane: parsed to an AST, run by uf_engine_run. */
static void run(fx *f, const char *sql) {
  uf_error err;
  uf_tree *t = NULL;
  check(uf_parse_one(sql, strlen(sql), NULL, &t, &err), &err, sql);
  check(uf_engine_run(f->e, uf_tree_root(t), NULL, NULL, NULL, &err), &err,
        sql);
  uf_tree_free(t);
}

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  uf_error err;
  uf_runtime_profile p = {0};
  p.threads = 1;
  if (uf_recorder_new(&f->rec, &err) || uf_diag_memory_sink_new(&f->mem, &err) ||
      uf_recorder_add_sink(f->rec, f->mem, true, &err) ||
      uf_engine_open(&p, &f->e, &err))
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  uf_engine_close(f->e);
  uf_recorder_free(f->rec);
  free(f);
  return 0;
}

static void test_snapshot_tables(void **state) {
  fx *f = *state;
  run(f, "CREATE TABLE orders (id BIGINT NOT NULL, amount DECIMAL(15,2), "
         "note VARCHAR, placed DATE)");
  run(f, "CREATE SCHEMA s");
  run(f, "CREATE TABLE s.items (sku INTEGER PRIMARY KEY, tags VARCHAR[])");
  run(f, "CREATE VIEW big AS SELECT id, amount * 2 AS dbl FROM orders");
  run(f, "CREATE TEMP TABLE scratch (x DOUBLE)");
  const uf_catalog *c = NULL;
  uf_error err;
  check(uf_catalog_snapshot(f->e, NULL, &c, &err), &err, "snapshot");
  const uf_catalog_table *t = uf_catalog_find_table(c, NULL, "ORDERS");
  assert_non_null(t);
  assert_string_equal(t->schema, "main");
  assert_false(t->is_view);
  assert_int_equal(t->ncolumns, 4);
  static const struct { const char *name, *type; bool nullable; } want[] = {
      {"id", "BIGINT", false}, {"amount", "DECIMAL(15,2)", true},
      {"note", "VARCHAR", true}, {"placed", "DATE", true}};
  for (size_t i = 0; i < 4; i++) {
    const uf_catalog_column *col = &t->columns[i];
    if (strcmp(col->name, want[i].name) || strcmp(col->type, want[i].type) ||
        col->nullable != want[i].nullable || col->ordinal != i + 1) {
      print_error("column %zu: %s %s %d #%u\n", i, col->name, col->type,
                  col->nullable, col->ordinal);
      fail();
    }
  }
  assert_ptr_equal(uf_catalog_find_column(t, "AMOUNT"), &t->columns[1]);
  const uf_catalog_table *items = uf_catalog_find_table(c, "s", "items");
  assert_non_null(items);
  assert_string_equal(items->columns[0].type, "INTEGER");
  assert_false(items->columns[0].nullable); /* primary key */
  assert_string_equal(items->columns[1].type, "VARCHAR[]");
  assert_null(uf_catalog_find_table(c, "main", "items"));
  const uf_catalog_table *v = uf_catalog_find_table(c, NULL, "big");
  assert_non_null(v);
  assert_true(v->is_view);
  assert_int_equal(v->ncolumns, 2);
  assert_string_equal(v->columns[1].name, "dbl");
  const uf_catalog_table *tmp = uf_catalog_find_table(c, NULL, "scratch");
  assert_non_null(tmp);
  assert_true(tmp->temporary);
  /* internal schemas only when asked */
  assert_null(uf_catalog_find_table(c, "information_schema", "tables"));
  /* functions with signatures, settings */
  size_t n = 0;
  const uf_catalog_function *fn = uf_catalog_find_function(c, "substring", &n);
  assert_non_null(fn);
  assert_true(n >= 1);
  assert_string_equal(fn->kind, "scalar");
  assert_true(fn->nparams >= 2);
  assert_string_equal(fn->param_types[0], "VARCHAR");
  assert_non_null(fn->return_type);
  fn = uf_catalog_find_function(c, "read_parquet", &n);
  assert_non_null(fn);
  assert_string_equal(fn->kind, "table");
  assert_true(c->nfunctions > 500);
  const uf_catalog_setting *s = uf_catalog_find_setting(c, "threads");
  assert_non_null(s);
  assert_string_equal(s->value, "1");
  assert_true(c->nsettings > 50);
  uf_catalog_release(c);
}

/* Registrations through the IO adapter show up with their columns. */
static void test_snapshot_registrations(void **state) {
  fx *f = *state;
  uf_error err;
  uf_io *io = NULL;
  check(uf_io_new(f->e, NULL, &io, &err), &err, "io");
  struct ArrowArrayStream s = {0};
  uf_tree *t = NULL;
  const char *q = "SELECT i AS k, CAST(i AS VARCHAR) AS v FROM range(3) t(i)";
  check(uf_parse_one(q, strlen(q), NULL, &t, &err), &err, q);
  check(uf_engine_execute(f->e, uf_tree_root(t), NULL, NULL, &s, &err), &err, q);
  uf_tree_free(t);
  uf_arrow_table *tab = NULL;
  check(uf_engine_to_table(&s, &tab, &err), &err, "to_table");
  check(uf_io_register_arrow_table(io, "kv", tab, &err), &err, "register");
  const uf_catalog *c = NULL;
  check(uf_catalog_snapshot(f->e, NULL, &c, &err), &err, "snapshot");
  const uf_catalog_table *kv = uf_catalog_find_table(c, NULL, "kv");
  assert_non_null(kv);
  assert_int_equal(kv->ncolumns, 2);
  assert_string_equal(kv->columns[0].name, "k");
  assert_string_equal(kv->columns[0].type, "BIGINT");
  assert_string_equal(kv->columns[1].type, "VARCHAR");
  uf_catalog_release(c);
  check(uf_io_deregister(io, "kv", &err), &err, "dereg");
  check(uf_catalog_snapshot(f->e, NULL, &c, &err), &err, "snapshot 2");
  assert_null(uf_catalog_find_table(c, NULL, "kv"));
  uf_catalog_release(c);
  uf_io_free(io);
  uf_arrow_table_free(tab);
}

static void test_cache_invalidation(void **state) {
  fx *f = *state;
  uf_error err;
  uf_catalog_options o = {0};
  o.skip_functions = true; /* keeps the test fast: tables are what moves */
  uf_catalog_cache *cc = NULL;
  check(uf_catalog_cache_new(f->e, &o, f->rec, &cc, &err), &err, "cache");
  const uf_catalog *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  check(uf_catalog_cache_get(cc, &a, &err), &err, "get a");
  check(uf_catalog_cache_get(cc, &b, &err), &err, "get b");
  assert_ptr_equal(a, b); /* same snapshot, same version */
  assert_int_equal(a->version, b->version);
  assert_null(uf_catalog_find_table(a, NULL, "fresh"));
  /* queries do not invalidate */
  run(f, "SELECT 42");
  check(uf_catalog_cache_get(cc, &c, &err), &err, "get c");
  assert_ptr_equal(a, c);
  uf_catalog_release(c);
  /* CREATE through the lane invalidates */
  run(f, "CREATE TABLE fresh (a INTEGER)");
  check(uf_catalog_cache_get(cc, &c, &err), &err, "get after create");
  assert_ptr_not_equal(a, c);
  assert_true(c->version > a->version);
  assert_true(c->generation > a->generation);
  assert_non_null(uf_catalog_find_table(c, NULL, "fresh"));
  /* the old snapshot stays valid for its holders */
  assert_null(uf_catalog_find_table(a, NULL, "fresh"));
  /* DROP invalidates too */
  run(f, "DROP TABLE fresh");
  check(uf_catalog_cache_get(cc, &d, &err), &err, "get after drop");
  assert_ptr_not_equal(c, d);
  assert_null(uf_catalog_find_table(d, NULL, "fresh"));
  assert_int_equal(uf_catalog_cache_hits(cc), 2);
  assert_int_equal(uf_catalog_cache_misses(cc), 3);
  /* every lookup is recorded as a cache access */
  size_t hits = 0, misses = 0;
  for (size_t i = 0; i < uf_diag_memory_count(f->mem); i++) {
    const char *ty = uf_diag_memory_type(f->mem, i);
    if (!ty || strcmp(ty, "cache") != 0) continue;
    const json_t *p = json_object_get(uf_diag_memory_object(f->mem, i), "payload");
    if (json_is_true(json_object_get(p, "hit"))) hits++;
    else misses++;
  }
  assert_int_equal(hits, 2);
  assert_int_equal(misses, 3);
  /* explicit invalidation */
  uf_catalog_cache_invalidate(cc);
  const uf_catalog *e2 = NULL;
  check(uf_catalog_cache_get(cc, &e2, &err), &err, "get after invalidate");
  assert_ptr_not_equal(e2, d);
  uf_catalog_release(e2);
  uf_catalog_release(a);
  uf_catalog_release(b);
  uf_catalog_release(c);
  uf_catalog_release(d);
  uf_catalog_cache_free(cc);
}

static void test_schema_map(void **state) {
  fx *f = *state;
  run(f, "CREATE TABLE nation (n_nationkey INTEGER, n_name VARCHAR, "
         "n_regionkey BIGINT, n_share DOUBLE)");
  run(f, "CREATE SCHEMA x");
  run(f, "CREATE TABLE x.t (a DECIMAL(10,2))");
  uf_error err;
  uf_catalog_options o = {true, true, false};
  const uf_catalog *c = NULL;
  check(uf_catalog_snapshot(f->e, &o, &c, &err), &err, "snapshot");
  assert_int_equal(c->nfunctions, 0);
  uf_schema_map *m = NULL;
  check(uf_catalog_schema_map(c, UF_SCHEMA_TYPES_DUCKDB, &m, &err), &err, "map");
  assert_string_equal(uf_schema_map_type(m, "nation", "N_NAME"), "VARCHAR");
  assert_string_equal(uf_schema_map_type(m, "x.t", "a"), "DECIMAL(10,2)");
  assert_null(uf_schema_map_type(m, "nation", "nope"));
  char *json = NULL;
  check(uf_schema_map_to_json(m, false, &json, NULL, &err), &err, "json");
  assert_non_null(strstr(json, "\"nation\":{\"n_nationkey\":\"INTEGER\","
                               "\"n_name\":\"VARCHAR\""));
  uf_free(json);
  uf_schema_map_free(m);
  /* the corpus spelling */
  check(uf_catalog_schema_map(c, UF_SCHEMA_TYPES_LOWER, &m, &err), &err, "lower");
  check(uf_schema_map_to_json(m, false, &json, NULL, &err), &err, "json");
  assert_string_equal(json, "{\"nation\":{\"n_nationkey\":\"int\",\"n_name\":"
                            "\"string\",\"n_regionkey\":\"bigint\",\"n_share\":"
                            "\"double\"},\"x.t\":{\"a\":\"decimal(10,2)\"}}");
  /* and back: the JSON form loads to the same map */
  uf_schema_map *m2 = NULL;
  check(uf_schema_map_from_json(json, strlen(json), &m2, &err), &err, "load");
  assert_int_equal(uf_schema_map_table_count(m2), 2);
  assert_string_equal(uf_schema_map_type(m2, "nation", "n_share"), "double");
  uf_free(json);
  uf_schema_map_free(m2);
  uf_schema_map_free(m);
  uf_catalog_release(c);
}

/* ../shared/corpora/tpch/schema.json loads as a schema map. */
static void test_corpus_schema_json(void **state) {
  (void)state;
  size_t n = 0;
  char *buf = ut_read_file(UF_SHARED_DIR "/corpora/tpch/schema.json", &n);
  if (!buf) skip();
  uf_schema_map *m = NULL;
  uf_error err;
  check(uf_schema_map_from_json(buf, n, &m, &err), &err, "schema.json");
  free(buf);
  assert_int_equal(uf_schema_map_table_count(m), 8);
  assert_string_equal(uf_schema_map_type(m, "lineitem", "l_quantity"), "double");
  const char *type = NULL;
  assert_string_equal(uf_schema_map_column(m, 0, 0, &type), "l_orderkey");
  assert_string_equal(type, "bigint");
  char *json = NULL;
  check(uf_schema_map_to_json(m, false, &json, NULL, &err), &err, "dump");
  uf_schema_map *m2 = NULL;
  check(uf_schema_map_from_json(json, strlen(json), &m2, &err), &err, "reload");
  assert_int_equal(uf_schema_map_column_count(m2, 1),
                   uf_schema_map_column_count(m, 1));
  uf_free(json);
  uf_schema_map_free(m2);
  uf_schema_map_free(m);
  assert_int_equal(uf_schema_map_from_json("[1]", 3, &m, &err), UF_SERDE);
  assert_null(m);
  assert_int_equal(uf_schema_map_from_json("{\"t\":{\"a\":1}}", 13, &m, &err),
                   UF_SERDE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_snapshot_tables, setup, teardown),
      cmocka_unit_test_setup_teardown(test_snapshot_registrations, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cache_invalidation, setup, teardown),
      cmocka_unit_test_setup_teardown(test_schema_map, setup, teardown),
      cmocka_unit_test(test_corpus_schema_json),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
