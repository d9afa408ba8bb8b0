/*
 * The introspection snapshot and its cache. A snapshot is built from four
 * fixed queries (parsed into ASTs and run through the lane like any other
 * statement), held in one arena, and reference counted so that the cache
 * can hand out the same pointer to every caller until the session's
 * catalog generation moves.
 */
#include <jansson.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/rows.h"
#include "engine/engine.h"
#include "unifier/catalog.h"

typedef struct snap {
  uf_catalog pub; /* first: a uf_catalog * is a snap * */
  uf_arena arena;
  atomic_int refs;
} snap;

static atomic_uint_fast64_t next_version = 1;

/* ---- the fixed queries ----------------------------------------------------- */

static const char Q_TABLES[] =
    "SELECT table_catalog, table_schema, table_name, table_type "
    "FROM information_schema.tables "
    "ORDER BY table_schema, table_name, table_catalog";

static const char Q_COLUMNS[] =
    "SELECT table_catalog, table_schema, table_name, column_name, "
    "CAST(ordinal_position AS VARCHAR), data_type, is_nullable "
    "FROM information_schema.columns "
    "ORDER BY table_schema, table_name, table_catalog, ordinal_position";

static const char Q_FUNCTIONS[] =
    "SELECT schema_name, function_name, function_type, return_type, "
    "CAST(to_json(parameters) AS VARCHAR), "
    "CAST(to_json(parameter_types) AS VARCHAR), varargs "
    "FROM duckdb_functions() "
    "ORDER BY lower(function_name), function_name, function_type, "
    "CAST(parameter_types AS VARCHAR)";

static const char Q_SETTINGS[] =
    "SELECT name, value, input_type, scope, description "
    "FROM duckdb_settings() ORDER BY name";

/* ---- building -------------------------------------------------------------- */

static bool internal_schema(const char *s) {
  return s && (strcmp(s, "information_schema") == 0 ||
               strcmp(s, "pg_catalog") == 0);
}

static bool same_table(const uf_catalog_table *t, const cat_rows *r,
                       size_t i) {
  return strcmp(t->catalog, cat_cell(r, i, 0)) == 0 &&
         strcmp(t->schema, cat_cell(r, i, 1)) == 0 &&
         strcmp(t->name, cat_cell(r, i, 2)) == 0;
}

/* n zeroed elements of `size` bytes in the snapshot's arena; NULL for none
 * (and when out of memory: check n && !result). */
static void *arena_array(snap *s, size_t n, size_t size) {
  return n ? uf_arena_calloc(&s->arena, n * size) : NULL;
}

static uf_status out_of_memory(uf_error *err) {
  return uf_error_set(err, UF_NOMEM, "catalog: out of memory");
}

/* A cell that names something: "" for NULL. */
static const char *cat_text(const cat_rows *r, size_t row, size_t col) {
  const char *v = cat_cell(r, row, col);
  return v ? v : "";
}

/* Columns come sorted like the tables (schema, name, catalog), so one merge
 * pass attaches them. */
static uf_status attach_columns(snap *s, uf_catalog_table *tables, size_t nt,
                                const cat_rows *cols, uf_error *err) {
  size_t c = 0;
  for (size_t i = 0; i < nt; i++) {
    uf_catalog_table *t = &tables[i];
    while (c < cols->nrows && !same_table(t, cols, c)) {
      /* skip columns of tables filtered out (internal schemas) */
      int k = strcmp(cat_cell(cols, c, 1), t->schema);
      if (k == 0) k = strcmp(cat_cell(cols, c, 2), t->name);
      if (k == 0) k = strcmp(cat_cell(cols, c, 0), t->catalog);
      if (k > 0) break;
      c++;
    }
    size_t c0 = c;
    while (c < cols->nrows && same_table(t, cols, c)) c++;
    size_t n = c - c0;
    uf_catalog_column *cs = arena_array(s, n, sizeof *cs);
    if (n && !cs) return out_of_memory(err);
    for (size_t j = 0; j < n; j++) {
      const char *nullable = cat_cell(cols, c0 + j, 6);
      cs[j].name = cat_cell(cols, c0 + j, 3);
      cs[j].type = cat_cell(cols, c0 + j, 5);
      cs[j].nullable = !nullable || strcmp(nullable, "NO") != 0;
      cs[j].ordinal = (uint32_t)strtoul(cat_cell(cols, c0 + j, 4), NULL, 10);
    }
    t->columns = cs;
    t->ncolumns = n;
  }
  return UF_OK;
}

static uf_status build_tables(snap *s, uf_engine *e, bool internal,
                              uf_error *err) {
  cat_rows tr, cr;
  uf_status st = cat_query(e, Q_TABLES, &s->arena, &tr, err);
  if (st == UF_OK) st = cat_query(e, Q_COLUMNS, &s->arena, &cr, err);
  if (st != UF_OK) return st;
  uf_catalog_table *ts = arena_array(s, tr.nrows, sizeof *ts);
  if (tr.nrows && !ts) return out_of_memory(err);
  size_t n = 0;
  for (size_t i = 0; i < tr.nrows; i++) {
    const char *schema = cat_cell(&tr, i, 1);
    if (!internal && internal_schema(schema)) continue;
    uf_catalog_table *t = &ts[n++];
    t->catalog = cat_text(&tr, i, 0);
    t->schema = schema ? schema : "";
    t->name = cat_text(&tr, i, 2);
    t->table_type = cat_text(&tr, i, 3);
    t->is_view = strcmp(t->table_type, "VIEW") == 0;
    t->temporary = strcmp(t->table_type, "LOCAL TEMPORARY") == 0 ||
                   strcmp(t->catalog, "temp") == 0;
  }
  for (size_t i = 0; i < cr.nrows * cr.ncols; i++)
    if (!cr.cells[i] && i % cr.ncols != 6)
      cr.cells[i] = ""; /* keys and names are never NULL in practice */
  st = attach_columns(s, ts, n, &cr, err);
  s->pub.tables = ts;
  s->pub.ntables = n;
  return st;
}

/* A JSON array of strings into an arena array; *n its length. */
static const char *const *json_strings(snap *s, const char *json, size_t *n,
                                       bool *oom) {
  *n = 0;
  if (!json) return NULL;
  json_t *a = json_loads(json, 0, NULL);
  if (!json_is_array(a)) {
    json_decref(a);
    return NULL;
  }
  size_t k = json_array_size(a);
  const char **out = k ? uf_arena_alloc(&s->arena, k * sizeof *out) : NULL;
  if (k && !out) *oom = true;
  for (size_t i = 0; out && i < k; i++) {
    const char *v = json_string_value(json_array_get(a, i));
    out[i] = uf_arena_strndup(&s->arena, v ? v : "ANY", strlen(v ? v : "ANY"));
    if (!out[i]) *oom = true;
  }
  json_decref(a);
  if (out) *n = k;
  return out;
}

static uf_status build_functions(snap *s, uf_engine *e, uf_error *err) {
  cat_rows r;
  uf_status st = cat_query(e, Q_FUNCTIONS, &s->arena, &r, err);
  if (st != UF_OK) return st;
  uf_catalog_function *fs = arena_array(s, r.nrows, sizeof *fs);
  if (r.nrows && !fs) return out_of_memory(err);
  bool oom = false;
  for (size_t i = 0; i < r.nrows && !oom; i++) {
    uf_catalog_function *f = &fs[i];
    f->schema = cat_text(&r, i, 0);
    f->name = cat_text(&r, i, 1);
    f->kind = cat_text(&r, i, 2);
    f->return_type = cat_cell(&r, i, 3);
    size_t nn = 0, nt = 0;
    f->param_names = json_strings(s, cat_cell(&r, i, 4), &nn, &oom);
    f->param_types = json_strings(s, cat_cell(&r, i, 5), &nt, &oom);
    f->nparams = nt;
    if (nn != nt) f->param_names = NULL; /* never a mismatched pair */
    if (nn != nt) f->nparams = nt < nn ? nt : nn;
    f->varargs = cat_cell(&r, i, 6);
  }
  if (oom) return out_of_memory(err);
  s->pub.functions = fs;
  s->pub.nfunctions = r.nrows;
  return UF_OK;
}

static uf_status build_settings(snap *s, uf_engine *e, uf_error *err) {
  cat_rows r;
  uf_status st = cat_query(e, Q_SETTINGS, &s->arena, &r, err);
  if (st != UF_OK) return st;
  uf_catalog_setting *ss = arena_array(s, r.nrows, sizeof *ss);
  if (r.nrows && !ss) return out_of_memory(err);
  for (size_t i = 0; i < r.nrows; i++) {
    ss[i].name = cat_text(&r, i, 0);
    ss[i].value = cat_cell(&r, i, 1);
    ss[i].type = cat_cell(&r, i, 2);
    ss[i].scope = cat_cell(&r, i, 3);
    ss[i].description = cat_cell(&r, i, 4);
  }
  s->pub.settings = ss;
  s->pub.nsettings = r.nrows;
  return UF_OK;
}

uf_status uf_catalog_snapshot(uf_engine *e, const uf_catalog_options *opts,
                              const uf_catalog **out, uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!e) return uf_error_set(err, UF_INVALID_ARGUMENT, "catalog: no engine");
  uf_catalog_options o = opts ? *opts : (uf_catalog_options){0};
  snap *s = calloc(1, sizeof *s);
  if (!s) return out_of_memory(err);
  uf_arena_init(&s->arena);
  atomic_init(&s->refs, 1);
  /* read first: DDL racing the queries makes the next lookup rebuild */
  s->pub.generation = uf_engine_catalog_generation(e);
  s->pub.version = atomic_fetch_add(&next_version, 1);
  uf_status st = build_tables(s, e, o.include_internal, err);
  if (st == UF_OK && !o.skip_functions) st = build_functions(s, e, err);
  if (st == UF_OK && !o.skip_settings) st = build_settings(s, e, err);
  if (st != UF_OK) {
    uf_catalog_release(&s->pub);
    return st;
  }
  *out = &s->pub;
  return UF_OK;
}

const uf_catalog *uf_catalog_retain(const uf_catalog *c) {
  if (c) atomic_fetch_add(&((snap *)(uintptr_t)c)->refs, 1);
  return c;
}

void uf_catalog_release(const uf_catalog *c) {
  if (!c) return;
  snap *s = (snap *)(uintptr_t)c;
  if (atomic_fetch_sub(&s->refs, 1) != 1) return;
  uf_arena_free(&s->arena);
  free(s);
}

/* ---- lookups ------------------------------------------------------------------ */

const uf_catalog_table *uf_catalog_find_table(const uf_catalog *c,
                                              const char *schema,
                                              const char *name) {
  if (!c || !name) return NULL;
  const uf_catalog_table *any = NULL;
  for (size_t i = 0; i < c->ntables; i++) {
    const uf_catalog_table *t = &c->tables[i];
    if (strcasecmp(t->name, name) != 0) continue;
    if (schema && strcasecmp(t->schema, schema) == 0) return t;
    if (!schema && strcmp(t->schema, "main") == 0) return t;
    if (!schema && !any) any = t;
  }
  return any;
}

const uf_catalog_column *uf_catalog_find_column(const uf_catalog_table *t,
                                                const char *name) {
  for (size_t i = 0; t && name && i < t->ncolumns; i++)
    if (strcasecmp(t->columns[i].name, name) == 0) return &t->columns[i];
  return NULL;
}

const uf_catalog_function *uf_catalog_find_function(const uf_catalog *c,
                                                    const char *name,
                                                    size_t *out_count) {
  if (out_count) *out_count = 0;
  if (!c || !name) return NULL;
  for (size_t i = 0; i < c->nfunctions; i++) {
    if (strcasecmp(c->functions[i].name, name) != 0) continue;
    size_t j = i;
    while (j < c->nfunctions && strcasecmp(c->functions[j].name, name) == 0) j++;
    if (out_count) *out_count = j - i;
    return &c->functions[i];
  }
  return NULL;
}

const uf_catalog_setting *uf_catalog_find_setting(const uf_catalog *c,
                                                  const char *name) {
  for (size_t i = 0; c && name && i < c->nsettings; i++)
    if (strcasecmp(c->settings[i].name, name) == 0) return &c->settings[i];
  return NULL;
}

/* ---- the cache ------------------------------------------------------------------- */

struct uf_catalog_cache {
  uf_engine *e;
  uf_catalog_options opts;
  uf_recorder *rec;
  const uf_catalog *cur;
  uint64_t hits, misses;
};

uf_status uf_catalog_cache_new(uf_engine *e, const uf_catalog_options *opts,
                               uf_recorder *recorder,
                               uf_catalog_cache **out, uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!e) return uf_error_set(err, UF_INVALID_ARGUMENT, "catalog: no engine");
  uf_catalog_cache *cc = calloc(1, sizeof *cc);
  if (!cc) return out_of_memory(err);
  cc->e = e;
  if (opts) cc->opts = *opts;
  cc->rec = recorder;
  *out = cc;
  return UF_OK;
}

void uf_catalog_cache_free(uf_catalog_cache *cc) {
  if (!cc) return;
  uf_catalog_release(cc->cur);
  free(cc);
}

void uf_catalog_cache_invalidate(uf_catalog_cache *cc) {
  if (!cc) return;
  uf_catalog_release(cc->cur);
  cc->cur = NULL;
}

uf_status uf_catalog_cache_get(uf_catalog_cache *cc, const uf_catalog **out,
                               uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!cc) return uf_error_set(err, UF_INVALID_ARGUMENT, "catalog: no cache");
  double t0 = uf_diag_now_ms();
  uint64_t gen = uf_engine_catalog_generation(cc->e);
  bool hit = cc->cur && cc->cur->generation == gen;
  if (!hit) {
    const uf_catalog *fresh = NULL;
    uf_status st = uf_catalog_snapshot(cc->e, &cc->opts, &fresh, err);
    if (st != UF_OK) return st;
    uf_catalog_release(cc->cur);
    cc->cur = fresh;
    cc->misses++;
  } else {
    cc->hits++;
  }
  uf_diag_cache rec = {"catalog", NULL, hit, cc->cur->generation,
                       uf_diag_now_ms() - t0};
  uf_record_cache(cc->rec, &rec, NULL);
  *out = uf_catalog_retain(cc->cur);
  return UF_OK;
}

uint64_t uf_catalog_cache_hits(const uf_catalog_cache *cc) {
  return cc ? cc->hits : 0;
}

uint64_t uf_catalog_cache_misses(const uf_catalog_cache *cc) {
  return cc ? cc->misses : 0;
}
