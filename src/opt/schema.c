/*
 * The schema model: catalog.db.table -> ordered columns. Strings and type
 * nodes live in a private tree (its arena and interning); the table list
 * and each table's column array are malloc'd and grown by doubling.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "opt/compile_internal.h"
#include "sql/dialect.h"
#include "unifier/opt.h"
#include "unifier/schema.h"

typedef struct tbl {
  uf_schema_table pub; /* first: handles are cast back to tbl */
  uf_schema_column *cols;
  size_t cap;
} tbl;

struct uf_schema {
  const uf_dialect *dialect;
  uf_tree *tree;       /* arena for names, types and type nodes */
  tbl **tables;
  size_t n, cap;
  const char *def_catalog, *def_db;
  /* uf_schema_fingerprint's last result; every change clears fp_valid
   * (compiling hashes the schema per call otherwise). */
  bool fp_valid;
  char fp[UF_FINGERPRINT_HEX];
  /* uf_schema_set_functions: a copy of the catalog, its id (arena) */
  bool has_fns;
  uf_function_catalog fns;
  const char *fns_id;
};

bool uf_schema_fp_get(const uf_schema *s, char out_hex[UF_FINGERPRINT_HEX]) {
  if (!s || !s->fp_valid) return false;
  memcpy(out_hex, s->fp, UF_FINGERPRINT_HEX);
  return true;
}

/* The schema is logically unchanged: the cache is not part of its value. */
void uf_schema_fp_put(const uf_schema *s, const char hex[UF_FINGERPRINT_HEX]) {
  if (!s) return;
  uf_schema *m = (uf_schema *)s;
  memcpy(m->fp, hex, UF_FINGERPRINT_HEX);
  m->fp_valid = true;
}

static uf_status oom(uf_error *err) {
  return uf_error_set(err, UF_NOMEM, "out of memory");
}

uf_status uf_schema_new(const uf_dialect *d, uf_schema **out_schema,
                        uf_error *err) {
  if (!out_schema) return uf_error_set(err, UF_INVALID_ARGUMENT, "no output");
  *out_schema = NULL;
  uf_schema *s = calloc(1, sizeof *s);
  if (!s) return oom(err);
  s->dialect = d ? d : uf_dialect_duckdb();
  s->tree = uf_tree_new();
  if (!s->tree) {
    free(s);
    return oom(err);
  }
  s->def_catalog = s->def_db = "";
  *out_schema = s;
  return UF_OK;
}

void uf_schema_free(uf_schema *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) {
    free(s->tables[i]->cols);
    free(s->tables[i]);
  }
  free(s->tables);
  uf_tree_free(s->tree);
  free(s);
}

uf_status uf_schema_set_functions(uf_schema *s, const uf_function_catalog *fc,
                                  const char *id, uf_error *err) {
  if (!s) return uf_error_set(err, UF_INVALID_ARGUMENT, "no schema");
  const char *kept = "";
  if (fc && id && *id) {
    kept = uf_intern(s->tree, id, strlen(id));
    if (!kept) return oom(err);
  }
  s->has_fns = fc != NULL;
  if (fc) s->fns = *fc;
  s->fns_id = kept;
  s->fp_valid = false;
  return UF_OK;
}

const uf_function_catalog *uf_schema_functions(const uf_schema *s) {
  return s && s->has_fns ? &s->fns : NULL;
}

const char *uf_schema_functions_id(const uf_schema *s) {
  return s && s->fns_id ? s->fns_id : "";
}

const uf_dialect *uf_schema_dialect(const uf_schema *s) {
  return s ? s->dialect : uf_dialect_duckdb();
}

uf_status uf_schema_normalize(const uf_schema *s, const char *name,
                              bool quoted, char *buf, size_t cap,
                              uf_error *err) {
  size_t n = strlen(name);
  if (n + 1 > cap)
    return uf_error_set(err, UF_LIMIT_EXCEEDED, "name too long: %.40s", name);
  if (quoted) memcpy(buf, name, n + 1);
  else uf_dialect_fold(uf_schema_dialect(s), name, buf);
  return UF_OK;
}

/* Interns name normalized (folded unless quoted); NULL on out of memory. */
static const char *norm_intern(uf_schema *s, const char *name, bool quoted) {
  if (!name) name = "";
  size_t n = strlen(name);
  char small[256];
  char *buf = n < sizeof small ? small : malloc(n + 1);
  if (!buf) return NULL;
  if (quoted) memcpy(buf, name, n + 1);
  else uf_dialect_fold(s->dialect, name, buf);
  const char *r = uf_intern(s->tree, buf, n);
  if (buf != small) free(buf);
  return r;
}

uf_status uf_schema_set_default(uf_schema *s, const char *catalog,
                                const char *db, uf_error *err) {
  if (!s) return uf_error_set(err, UF_INVALID_ARGUMENT, "no schema");
  const char *c = norm_intern(s, catalog, false);
  const char *d = norm_intern(s, db, false);
  if (!c || !d) return oom(err);
  s->def_catalog = c;
  s->def_db = d;
  s->fp_valid = false;
  return UF_OK;
}

const char *uf_schema_default_catalog(const uf_schema *s) {
  return s ? s->def_catalog : "";
}
const char *uf_schema_default_db(const uf_schema *s) {
  return s ? s->def_db : "";
}

size_t uf_schema_table_count(const uf_schema *s) { return s ? s->n : 0; }

const uf_schema_table *uf_schema_table_at(const uf_schema *s, size_t i) {
  return s && i < s->n ? &s->tables[i]->pub : NULL;
}

static tbl *find_exact(const uf_schema *s, const char *c, const char *d,
                       const char *name) {
  for (size_t i = 0; i < s->n; i++) {
    const uf_schema_table *t = &s->tables[i]->pub;
    if (!strcmp(t->name, name) && !strcmp(t->db, d) && !strcmp(t->catalog, c))
      return s->tables[i];
  }
  return NULL;
}

uf_status uf_schema_add_table(uf_schema *s, const char *catalog,
                              const char *db, const char *name, bool quoted,
                              const uf_schema_table **out_table,
                              uf_error *err) {
  if (out_table) *out_table = NULL;
  if (!s || !name || !name[0])
    return uf_error_set(err, UF_INVALID_ARGUMENT, "table needs a name");
  const char *c = norm_intern(s, catalog, quoted);
  const char *d = norm_intern(s, db, quoted);
  const char *nm = norm_intern(s, name, quoted);
  if (!c || !d || !nm) return oom(err);
  tbl *t = find_exact(s, c, d, nm);
  if (!t) {
    if (s->n == s->cap) {
      size_t cap = s->cap ? s->cap * 2 : 8;
      tbl **v = realloc(s->tables, cap * sizeof *v);
      if (!v) return oom(err);
      s->tables = v;
      s->cap = cap;
    }
    t = calloc(1, sizeof *t);
    if (!t) return oom(err);
    t->pub.catalog = c;
    t->pub.db = d;
    t->pub.name = nm;
    s->tables[s->n++] = t;
    s->fp_valid = false;
  }
  if (out_table) *out_table = &t->pub;
  return UF_OK;
}

/* -- types ------------------------------------------------------------------ */

/* Aliases DuckDB resolves to one canonical name (as typeof() reports it). */
static const uf_name_map TYPE_CANON[] = {
    {"INT", "INTEGER"},       {"INT4", "INTEGER"},     {"SIGNED", "INTEGER"},
    {"INT8", "BIGINT"},       {"LONG", "BIGINT"},      {"INT2", "SMALLINT"},
    {"SHORT", "SMALLINT"},    {"INT1", "TINYINT"},     {"STRING", "VARCHAR"},
    {"TEXT", "VARCHAR"},      {"CHAR", "VARCHAR"},     {"BPCHAR", "VARCHAR"},
    {"NVARCHAR", "VARCHAR"},  {"DATETIME", "TIMESTAMP"},
    {"FLOAT4", "FLOAT"},      {"REAL", "FLOAT"},       {"FLOAT8", "DOUBLE"},
    {"DOUBLE PRECISION", "DOUBLE"}, {"NUMERIC", "DECIMAL"},
    {"BOOL", "BOOLEAN"},      {"LOGICAL", "BOOLEAN"},  {"BYTEA", "BLOB"},
    {"BINARY", "BLOB"},       {"VARBINARY", "BLOB"},
    {"TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"},
    {"TIMETZ", "TIME WITH TIME ZONE"},
    {NULL, NULL}};

/* Rewrites angle-bracket types (STRUCT<a INT>, ARRAY<T>, MAP<K, V>) into
 * DuckDB's syntax: STRUCT(a INT), T[], MAP(K, V). Recursive over nesting;
 * text outside brackets is copied. */
static const char *angle_type(uf_sbuf *b, const char *p, int depth) {
  while (*p && *p != '>' && !(depth > 0 && *p == ',')) {
    const char *w = p;
    while (*p && *p != '<' && *p != '>' && *p != ',' ) p++;
    if (*p != '<') {
      uf_sbuf_add(b, w, (size_t)(p - w));
      return p;
    }
    /* w..p is the word before '<' (possibly "name ARRAY") */
    size_t wl = (size_t)(p - w);
    while (wl && w[wl - 1] == ' ') wl--;
    size_t ws = wl;
    while (ws && w[ws - 1] != ' ' && w[ws - 1] != '(') ws--;
    bool is_array = wl - ws == 5 && !strncmp(w + ws, "ARRAY", 5);
    bool is_array_ci = wl - ws == 5 && !strncmp(w + ws, "array", 5);
    p++; /* '<' */
    if (is_array || is_array_ci) {
      uf_sbuf_add(b, w, ws);
      p = angle_type(b, p, depth + 1);
      uf_sbuf_adds(b, "[]");
    } else {
      uf_sbuf_add(b, w, wl);
      uf_sbuf_addc(b, '(');
      for (;;) {
        p = angle_type(b, p, depth + 1);
        if (*p != ',') break;
        uf_sbuf_addc(b, ',');
        p++;
      }
      uf_sbuf_addc(b, ')');
    }
    if (*p == '>') p++;
  }
  return p;
}

static int canon_walk(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  uf_tree *t = ctx;
  if (!uf_is(n, UF_TYPE)) return 0;
  const char *to = uf_name_map_find(TYPE_CANON, n->text);
  if (to) n->text = uf_intern(t, to, strlen(to));
  return n->text ? 0 : 2;
}

/* DuckDB writes numeric type arguments without a space: DECIMAL(15,2). */
static void squeeze_numeric_args(char *s) {
  char *w = s;
  for (char *r = s; *r; r++) {
    if (r[0] == ',' && r[1] == ' ' && r[2] >= '0' && r[2] <= '9') {
      *w++ = ',';
      r++;
      continue;
    }
    *w++ = *r;
  }
  *w = '\0';
}

/* Parses type text into a canonical TYPE node in a new tree (*out_tree) and
 * its DuckDB spelling (*out_text, uf_free). */
static uf_status parse_type(const char *type, uf_tree **out_tree,
                            uf_node **out_node, char **out_text,
                            uf_error *err) {
  *out_tree = NULL;
  *out_node = NULL;
  *out_text = NULL;
  uf_sbuf b;
  uf_sbuf_init(&b);
  uf_sbuf_adds(&b, "CAST(NULL AS ");
  if (strchr(type, '<')) angle_type(&b, type, 0);
  else uf_sbuf_adds(&b, type);
  uf_sbuf_addc(&b, ')');
  if (b.oom) {
    uf_sbuf_free(&b);
    return oom(err);
  }
  uf_tree *t = NULL;
  uf_status st = uf_parse_expr(b.data, b.len, NULL, &t, err);
  uf_sbuf_free(&b);
  if (st != UF_OK) return st;
  uf_node *cast = uf_tree_root(t);
  uf_node *ty = uf_get(cast, UF_SLOT_TO);
  if (!uf_is(cast, UF_CAST) || !uf_is(ty, UF_TYPE)) {
    uf_tree_free(t);
    return uf_error_set(err, UF_SYNTAX, "not a type: %.60s", type);
  }
  if (uf_walk(ty, canon_walk, t) == 2) {
    uf_tree_free(t);
    return oom(err);
  }
  char *txt = NULL;
  st = uf_generate(ty, NULL, &txt, NULL, err);
  if (st != UF_OK) {
    uf_tree_free(t);
    return st;
  }
  squeeze_numeric_args(txt);
  *out_tree = t;
  *out_node = ty;
  *out_text = txt;
  return UF_OK;
}

uf_status uf_schema_type_normalize(const char *type, char **out,
                                   uf_error *err) {
  if (!out || !type)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "no type or output");
  *out = NULL;
  uf_tree *t;
  uf_node *n;
  uf_status st = parse_type(type, &t, &n, out, err);
  uf_tree_free(t);
  return st;
}

/* -- columns ---------------------------------------------------------------- */

uf_status uf_schema_find_column(const uf_schema_table *t, const char *name,
                                const uf_schema_column **out_column,
                                uf_error *err) {
  if (out_column) *out_column = NULL;
  if (!t || !name) return uf_error_set(err, UF_INVALID_ARGUMENT, "no table");
  for (size_t i = 0; i < t->ncolumns; i++)
    if (!strcmp(t->columns[i].name, name)) {
      if (out_column) *out_column = &t->columns[i];
      return UF_OK;
    }
  return uf_error_set(err, UF_NOT_FOUND, "column %s not found in table %s",
                      name, t->name);
}

/* Fills c's type from `type`: canonical text and node when it parses, the
 * upper-cased text otherwise (an unknown type is not an error). */
static uf_status set_type(uf_schema *s, uf_schema_column *c,
                          const char *type) {
  c->type = "";
  c->type_node = NULL;
  if (!type || !type[0]) return UF_OK;
  uf_tree *t;
  uf_node *n;
  char *txt;
  if (parse_type(type, &t, &n, &txt, NULL) == UF_OK) {
    c->type = uf_intern(s->tree, txt, strlen(txt));
    c->type_node = uf_node_copy(s->tree, n);
    uf_free(txt);
    uf_tree_free(t);
    return c->type && c->type_node ? UF_OK : UF_NOMEM;
  }
  size_t len = strlen(type);
  char *up = malloc(len + 1);
  if (!up) return UF_NOMEM;
  for (size_t i = 0; i <= len; i++)
    up[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32 : type[i]);
  c->type = uf_intern(s->tree, up, len);
  free(up);
  return c->type ? UF_OK : UF_NOMEM;
}

uf_status uf_schema_add_column(uf_schema *s, const uf_schema_table *table,
                               const char *name, bool quoted,
                               const char *type, bool nullable,
                               uf_error *err) {
  if (!s || !table || !name || !name[0])
    return uf_error_set(err, UF_INVALID_ARGUMENT, "column needs a table and a name");
  tbl *t = (tbl *)table;
  const char *nm = norm_intern(s, name, quoted);
  if (!nm) return oom(err);
  if (uf_schema_find_column(table, nm, NULL, NULL) == UF_OK)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "duplicate column %s in table %s", nm, table->name);
  if (t->pub.ncolumns == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 8;
    uf_schema_column *v = realloc(t->cols, cap * sizeof *v);
    if (!v) return oom(err);
    t->cols = v;
    t->cap = cap;
    t->pub.columns = v;
  }
  uf_schema_column *c = &t->cols[t->pub.ncolumns];
  memset(c, 0, sizeof *c);
  c->name = nm;
  c->nullable = nullable;
  c->index = (uint32_t)t->pub.ncolumns;
  if (set_type(s, c, type) != UF_OK) return oom(err);
  t->pub.ncolumns++;
  s->fp_valid = false;
  return UF_OK;
}

/* -- lookups ---------------------------------------------------------------- */

/* Finds by the given parts; an empty part matches anything. Sets *count. */
static tbl *find_loose(const uf_schema *s, const char *c, const char *d,
                       const char *name, size_t *count) {
  tbl *hit = NULL;
  *count = 0;
  for (size_t i = 0; i < s->n; i++) {
    const uf_schema_table *t = &s->tables[i]->pub;
    if (strcmp(t->name, name)) continue;
    if (d[0] && strcmp(t->db, d)) continue;
    if (c[0] && strcmp(t->catalog, c)) continue;
    if (!hit) hit = s->tables[i];
    (*count)++;
  }
  return hit;
}

uf_status uf_schema_find_table(const uf_schema *s, const char *catalog,
                               const char *db, const char *name,
                               const uf_schema_table **out_table,
                               uf_error *err) {
  if (out_table) *out_table = NULL;
  if (!s || !name) return uf_error_set(err, UF_INVALID_ARGUMENT, "no name");
  const char *c = catalog ? catalog : "";
  const char *d = db ? db : "";
  /* defaults first: db and catalog as the session would fill them */
  const char *dc = c[0] ? c : s->def_catalog;
  const char *dd = d[0] ? d : s->def_db;
  tbl *t = find_exact(s, dc, dd, name);
  if (!t && !c[0]) t = find_exact(s, "", dd, name);
  if (!t && !c[0] && !d[0]) t = find_exact(s, "", "", name);
  if (!t) {
    size_t count;
    t = find_loose(s, c, d, name, &count);
    if (count > 1)
      return uf_error_set(err, UF_ERROR, "table name %s is ambiguous (%zu "
                          "tables match)", name, count);
  }
  if (!t)
    return uf_error_set(err, UF_NOT_FOUND, "table %s%s%s%s%s not found", c,
                        c[0] ? "." : "", d, d[0] ? "." : "", name);
  if (out_table) *out_table = &t->pub;
  return UF_OK;
}

uf_status uf_schema_column_type(const uf_schema *s, const char *catalog,
                                const char *db, const char *table,
                                const char *column, const char **out_type,
                                uf_error *err) {
  if (out_type) *out_type = NULL;
  const uf_schema_table *t;
  uf_status st = uf_schema_find_table(s, catalog, db, table, &t, err);
  if (st != UF_OK) return st;
  const uf_schema_column *c;
  st = uf_schema_find_column(t, column, &c, err);
  if (st != UF_OK) return st;
  if (out_type) *out_type = c->type;
  return UF_OK;
}

/* -- JSON ------------------------------------------------------------------- */

/* Depth of nesting down to a string leaf: 1 for {"col": "type"}. */
static int leaf_depth(json_t *v) {
  int d = 0;
  while (json_is_object(v)) {
    void *it = json_object_iter(v);
    if (!it) return d + 1; /* an empty table */
    v = json_object_iter_value(it);
    d++;
  }
  return json_is_string(v) ? d : -1;
}

static uf_status add_json_table(uf_schema *s, const char *c, const char *d,
                                const char *name, json_t *cols,
                                uf_error *err) {
  if (!json_is_object(cols))
    return uf_error_set(err, UF_SERDE, "schema: table %s is not an object",
                        name);
  const uf_schema_table *t;
  uf_status st = uf_schema_add_table(s, c, d, name, false, &t, err);
  const char *col;
  json_t *ty;
  json_object_foreach(cols, col, ty) {
    if (st != UF_OK) break;
    if (!json_is_string(ty))
      return uf_error_set(err, UF_SERDE,
                          "schema: type of %s.%s is not a string", name, col);
    st = uf_schema_add_column(s, t, col, false, json_string_value(ty), true,
                              err);
  }
  return st;
}

/* Walks `v` whose tables sit `depth` levels down (3 = db, 4 = catalog). */
static uf_status add_json_level(uf_schema *s, json_t *v, int depth,
                                const char *c, const char *d,
                                uf_error *err) {
  const char *key;
  json_t *sub;
  json_object_foreach(v, key, sub) {
    uf_status st;
    if (depth == 2) st = add_json_table(s, c, d, key, sub, err);
    else if (!json_is_object(sub))
      st = uf_error_set(err, UF_SERDE, "schema: %s is not an object", key);
    else if (depth == 3) st = add_json_level(s, sub, 2, c, key, err);
    else st = add_json_level(s, sub, 3, key, d, err);
    if (st != UF_OK) return st;
  }
  return UF_OK;
}

uf_status uf_schema_add_json(uf_schema *s, const char *json, size_t len,
                             uf_error *err) {
  if (!s || !json) return uf_error_set(err, UF_INVALID_ARGUMENT, "no input");
  json_error_t je;
  /* keep key order: jansson objects preserve insertion order */
  json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!doc)
    return uf_error_set(err, UF_SERDE, "schema JSON: %s (line %d)", je.text,
                        je.line);
  uf_status st;
  int depth = json_is_object(doc) ? leaf_depth(doc) : -1;
  if (depth < 1 || depth > 4)
    st = uf_error_set(err, UF_SERDE, "schema JSON: expected {table: {column:"
                      " type}} nested at most catalog.db.table deep");
  else if (depth == 1)
    st = uf_error_set(err, UF_SERDE, "schema JSON: expected tables of "
                      "columns, got a flat object");
  else st = add_json_level(s, doc, depth, "", "", err);
  json_decref(doc);
  return st;
}

uf_status uf_schema_load_json(const char *json, size_t len,
                              const uf_dialect *d, uf_schema **out_schema,
                              uf_error *err) {
  if (!out_schema) return uf_error_set(err, UF_INVALID_ARGUMENT, "no output");
  *out_schema = NULL;
  uf_schema *s;
  uf_status st = uf_schema_new(d, &s, err);
  if (st != UF_OK) return st;
  st = uf_schema_add_json(s, json, len, err);
  if (st != UF_OK) {
    uf_schema_free(s);
    return st;
  }
  *out_schema = s;
  return UF_OK;
}

uf_status uf_schema_load_file(const char *path, const uf_dialect *d,
                              uf_schema **out_schema, uf_error *err) {
  if (!out_schema) return uf_error_set(err, UF_INVALID_ARGUMENT, "no output");
  *out_schema = NULL;
  FILE *f = path ? fopen(path, "rb") : NULL;
  if (!f) return uf_error_set(err, UF_IO, "cannot open %s", path ? path : "");
  uf_sbuf b;
  uf_sbuf_init(&b);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) uf_sbuf_add(&b, chunk, n);
  bool bad = ferror(f) != 0;
  fclose(f);
  uf_status st;
  if (bad) st = uf_error_set(err, UF_IO, "cannot read %s", path);
  else if (b.oom) st = oom(err);
  else st = uf_schema_load_json(b.data ? b.data : "", b.len, d, out_schema,
                                err);
  uf_sbuf_free(&b);
  return st;
}
