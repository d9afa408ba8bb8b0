/*
 * The schema map: table -> column -> type, the shape a compiler needs to
 * qualify and type a query. Built from a snapshot or loaded from the JSON
 * form ({"table": {"column": "type"}}, as ../shared/corpora/tpch/schema.json
 * writes it). Columns keep their order; lookups ignore case.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "unifier/catalog.h"

typedef struct sm_col {
  const char *name, *type;
} sm_col;

typedef struct sm_table {
  const char *name;
  sm_col *cols;
  size_t ncols;
} sm_table;

struct uf_schema_map {
  uf_arena arena;
  sm_table *tables;
  size_t n;
};

static uf_schema_map *sm_new(size_t ntables) {
  uf_schema_map *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  uf_arena_init(&m->arena);
  m->tables = ntables ? uf_arena_calloc(&m->arena, ntables * sizeof *m->tables)
                      : NULL;
  if (ntables && !m->tables) {
    uf_schema_map_free(m);
    return NULL;
  }
  return m;
}

void uf_schema_map_free(uf_schema_map *m) {
  if (!m) return;
  uf_arena_free(&m->arena);
  free(m);
}

static const char *sdup(uf_schema_map *m, const char *s) {
  return uf_arena_strndup(&m->arena, s, strlen(s));
}

/* The corpus spelling: lower case, VARCHAR as string, INTEGER as int. */
static const char *lower_type(uf_schema_map *m, const char *t) {
  static const struct { const char *from, *to; } map[] = {
      {"VARCHAR", "string"}, {"INTEGER", "int"}, {"BIGINT", "bigint"},
      {"DOUBLE", "double"},  {"BOOLEAN", "boolean"}, {"REAL", "float"},
      {"SMALLINT", "smallint"}, {"TINYINT", "tinyint"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(t, map[i].from) == 0) return map[i].to;
  char *s = (char *)sdup(m, t);
  for (char *p = s; p && *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
  return s;
}

/* "name" in main, "schema.name" elsewhere. */
static const char *table_key(uf_schema_map *m, const uf_catalog_table *t) {
  if (strcmp(t->schema, "main") == 0) return sdup(m, t->name);
  size_t n = strlen(t->schema) + strlen(t->name) + 2;
  char *k = uf_arena_alloc(&m->arena, n);
  if (k) {
    strcpy(k, t->schema);
    strcat(k, ".");
    strcat(k, t->name);
  }
  return k;
}

uf_status uf_catalog_schema_map(const uf_catalog *c, uf_schema_types types,
                                uf_schema_map **out, uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!c) return uf_error_set(err, UF_INVALID_ARGUMENT, "catalog is NULL");
  uf_schema_map *m = sm_new(c->ntables);
  if (!m) return uf_error_set(err, UF_NOMEM, "catalog: out of memory");
  bool ok = true;
  for (size_t i = 0; i < c->ntables && ok; i++) {
    const uf_catalog_table *t = &c->tables[i];
    sm_table *st = &m->tables[m->n++];
    st->name = table_key(m, t);
    st->ncols = t->ncolumns;
    st->cols = t->ncolumns ? uf_arena_calloc(&m->arena,
                                             t->ncolumns * sizeof *st->cols)
                           : NULL;
    ok = st->name && (!t->ncolumns || st->cols);
    for (size_t j = 0; ok && j < t->ncolumns; j++) {
      st->cols[j].name = sdup(m, t->columns[j].name);
      st->cols[j].type = types == UF_SCHEMA_TYPES_LOWER
                             ? lower_type(m, t->columns[j].type)
                             : sdup(m, t->columns[j].type);
      ok = st->cols[j].name && st->cols[j].type;
    }
  }
  if (!ok) {
    uf_schema_map_free(m);
    return uf_error_set(err, UF_NOMEM, "catalog: out of memory");
  }
  *out = m;
  return UF_OK;
}

uf_status uf_schema_map_from_json(const char *json, size_t len,
                                  uf_schema_map **out, uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!json) return uf_error_set(err, UF_INVALID_ARGUMENT, "json is NULL");
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return uf_error_set(err, UF_SERDE, "schema map: %s at line %d", je.text,
                        je.line);
  uf_status st = UF_OK;
  if (!json_is_object(root))
    st = uf_error_set(err, UF_SERDE, "schema map: expected an object");
  uf_schema_map *m = st == UF_OK ? sm_new(json_object_size(root)) : NULL;
  if (st == UF_OK && !m) st = uf_error_set(err, UF_NOMEM, "out of memory");
  const char *tk;
  json_t *tv;
  json_object_foreach(root, tk, tv) {
    if (st != UF_OK) break;
    if (!json_is_object(tv)) {
      st = uf_error_set(err, UF_SERDE, "schema map: %s: expected an object",
                        tk);
      break;
    }
    sm_table *t = &m->tables[m->n++];
    t->name = sdup(m, tk);
    t->ncols = json_object_size(tv);
    t->cols = t->ncols ? uf_arena_calloc(&m->arena, t->ncols * sizeof *t->cols)
                       : NULL;
    if (!t->name || (t->ncols && !t->cols)) {
      st = uf_error_set(err, UF_NOMEM, "out of memory");
      break;
    }
    size_t j = 0;
    const char *ck;
    json_t *cv;
    json_object_foreach(tv, ck, cv) {
      if (!json_is_string(cv)) {
        st = uf_error_set(err, UF_SERDE, "schema map: %s.%s: expected a type "
                          "string", tk, ck);
        break;
      }
      t->cols[j].name = sdup(m, ck);
      t->cols[j].type = sdup(m, json_string_value(cv));
      if (!t->cols[j].name || !t->cols[j].type) {
        st = uf_error_set(err, UF_NOMEM, "out of memory");
        break;
      }
      j++;
    }
  }
  json_decref(root);
  if (st != UF_OK) {
    uf_schema_map_free(m);
    return st;
  }
  *out = m;
  return UF_OK;
}

uf_status uf_schema_map_to_json(const uf_schema_map *m, bool pretty,
                                char **out_json, size_t *out_len,
                                uf_error *err) {
  if (!out_json) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out_json = NULL;
  if (!m) return uf_error_set(err, UF_INVALID_ARGUMENT, "map is NULL");
  json_t *root = json_object();
  bool ok = root != NULL;
  for (size_t i = 0; ok && i < m->n; i++) {
    json_t *t = json_object();
    ok = t && json_object_set_new(root, m->tables[i].name, t) == 0;
    for (size_t j = 0; ok && j < m->tables[i].ncols; j++)
      ok = json_object_set_new(t, m->tables[i].cols[j].name,
                               json_string(m->tables[i].cols[j].type)) == 0;
  }
  size_t flags = JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(1) : JSON_COMPACT);
  char *s = ok ? json_dumps(root, flags) : NULL;
  json_decref(root);
  if (!s) return uf_error_set(err, UF_NOMEM, "out of memory");
  /* hand out memory uf_free releases */
  size_t n = strlen(s);
  char *copy = malloc(n + 1);
  if (copy) memcpy(copy, s, n + 1);
  free(s);
  if (!copy) return uf_error_set(err, UF_NOMEM, "out of memory");
  *out_json = copy;
  if (out_len) *out_len = n;
  return UF_OK;
}

size_t uf_schema_map_table_count(const uf_schema_map *m) { return m ? m->n : 0; }

const char *uf_schema_map_table(const uf_schema_map *m, size_t i) {
  return m && i < m->n ? m->tables[i].name : NULL;
}

size_t uf_schema_map_column_count(const uf_schema_map *m, size_t i) {
  return m && i < m->n ? m->tables[i].ncols : 0;
}

const char *uf_schema_map_column(const uf_schema_map *m, size_t i, size_t j,
                                 const char **out_type) {
  if (out_type) *out_type = NULL;
  if (!m || i >= m->n || j >= m->tables[i].ncols) return NULL;
  if (out_type) *out_type = m->tables[i].cols[j].type;
  return m->tables[i].cols[j].name;
}

const char *uf_schema_map_type(const uf_schema_map *m, const char *table,
                               const char *column) {
  for (size_t i = 0; m && table && column && i < m->n; i++) {
    if (strcasecmp(m->tables[i].name, table) != 0) continue;
    for (size_t j = 0; j < m->tables[i].ncols; j++)
      if (strcasecmp(m->tables[i].cols[j].name, column) == 0)
        return m->tables[i].cols[j].type;
  }
  return NULL;
}
