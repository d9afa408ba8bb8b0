/*
 * Loading the tiny TPC-H data set (../shared/corpora/tpch/data) into an
 * engine session, one table per schema.json entry, through a CREATE TABLE
 * AS SELECT * FROM read_csv(...) AST (a fixed statement parsed once per
 * table, its placeholders replaced): no SQL is pasted together.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "tpch.h"
#include "engine/engine.h"
#include "engine/engine_oracle.h"
#include "unifier/sql.h"

static const char *load_template =
    "CREATE TABLE t AS SELECT * FROM read_csv('p', delim = '|', "
    "header = true, columns = {'c': 'T'})";

static const char *duckdb_type(const char *schema_type) {
  static const char *const map[][2] = {
      {"bigint", "BIGINT"}, {"int", "INTEGER"}, {"integer", "INTEGER"},
      {"double", "DOUBLE"}, {"string", "VARCHAR"}, {"varchar", "VARCHAR"},
      {"date", "DATE"},     {"decimal", "DECIMAL"}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strcmp(map[i][0], schema_type) == 0) return map[i][1];
  return "VARCHAR";
}

static void set_text(uf_tree *t, uf_node *n, const char *s) {
  n->text = uf_intern(t, s, strlen(s));
}

typedef struct replace_ctx {
  uf_tree *tree;
  const char *table, *path;
} replace_ctx;

/* Swaps the template's placeholders: identifier t, string 'p'. */
static int replace_placeholders(uf_node *n, uf_node *parent, void *vctx) {
  (void)parent;
  replace_ctx *c = vctx;
  if (uf_is(n, UF_IDENT) && strcmp(n->text, "t") == 0) set_text(c->tree, n, c->table);
  if (uf_is(n, UF_STRING) && strcmp(n->text, "p") == 0) set_text(c->tree, n, c->path);
  return 0;
}

/* Replaces the struct's one PROP by one PROP per column of `cols`. */
static bool set_columns(uf_tree *t, uf_node *root, json_t *cols) {
  uf_node *st = uf_find(root, UF_STRUCT);
  uf_node *args = st ? uf_get(st, UF_SLOT_ARGS) : NULL;
  if (args == NULL || args->nkids != 1) return false;
  uf_node *proto = args->kids[0];
  if (uf_get(proto, UF_SLOT_KEY) == NULL || uf_get(proto, UF_SLOT_VALUE) == NULL)
    return false;
  args->nkids = 0;
  const char *name;
  json_t *type;
  json_object_foreach(cols, name, type) {
    uf_node *prop = uf_node_copy(t, proto);
    if (prop == NULL) return false;
    set_text(t, uf_get(prop, UF_SLOT_KEY), name);
    set_text(t, uf_get(prop, UF_SLOT_VALUE), duckdb_type(json_string_value(type)));
    if (uf_list_push(t, args, prop, NULL) != UF_OK) return false;
  }
  return true;
}

static bool load_table(uf_engine *e, const char *table, json_t *cols) {
  uf_tree *t = NULL;
  uf_error err;
  if (uf_parse_one(load_template, strlen(load_template), NULL, &t, &err) != UF_OK) {
    fprintf(stderr, "[exec] load template does not parse: %s\n", err.message);
    return false;
  }
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/tpch/data/%s.csv.gz", UF_SHARED_DIR, table);
  replace_ctx ctx = {t, table, path};
  uf_walk(uf_tree_root(t), replace_placeholders, &ctx);
  if (!set_columns(t, uf_tree_root(t), cols)) {
    fprintf(stderr, "[exec] load template: no struct literal with one key/value\n");
    uf_tree_free(t);
    return false;
  }
  uf_result_text *r = NULL;
  uf_status st = uf_engine_exec(e, uf_tree_root(t), &r, &err);
  uf_tree_free(t);
  if (st != UF_OK) {
    fprintf(stderr, "[exec] loading %s: %s\n", table, err.message);
    return false;
  }
    uf_result_text_free(r);
  return true;
}

bool ut_load_tpch(uf_engine *e) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/tpch/schema.json", UF_SHARED_DIR);
  json_error_t jerr;
  json_t *schema = json_load_file(path, 0, &jerr);
  if (schema == NULL) {
    fprintf(stderr, "%s: %s\n", path, jerr.text);
    return false;
  }
  const char *table;
  json_t *cols;
  bool loaded = true;
  json_object_foreach(schema, table, cols) loaded = loaded && load_table(e, table, cols);
  json_decref(schema);
  return loaded;
}

uf_result_text *ut_tpch_reference(uf_engine *e, const char *sql, size_t qno) {
  uf_tree *t = NULL;
  uf_error err;
  bool ordered = false;
  if (uf_parse_one(sql, strlen(sql), NULL, &t, &err) == UF_OK)
    ordered = uf_query_is_ordered(uf_tree_root(t));
  uf_tree_free(t);
  uf_result_text *ref = NULL;
  if (uf_engine_oracle_exec_text(e, sql, ordered, &ref, &err) != UF_OK)
    fprintf(stderr, "oracle q%02zu: %s\n", qno, err.message);
  return ref;
}
