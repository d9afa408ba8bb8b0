/*
 * Lowering CREATE EXTERNAL TABLE (the DataFusion form) to the DuckDB DDL
 * that registers it, as an AST:
 *
 *   CREATE [OR REPLACE] VIEW name AS
 *     SELECT <declared columns | *> FROM read_<fmt>('<path>', opt = v, ...)
 *
 * Declared columns become read_csv/read_json's columns = {...} (so the
 * reader parses with the declared types) or casts in the select list for
 * Parquet; declared partition columns become hive_partitioning = true plus
 * hive_types = {...}. Every option maps to a reader parameter or fails with
 * UF_UNSUPPORTED naming it: nothing is dropped silently.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "io/io_internal.h"
#include "unifier/builder.h"

const char *uf_io_format_name(uf_io_format f) {
  switch (f) {
    case UF_IO_FORMAT_PARQUET: return "parquet";
    case UF_IO_FORMAT_CSV: return "csv";
    case UF_IO_FORMAT_JSON: return "json";
    case UF_IO_FORMAT_AUTO: break;
  }
  return "auto";
}

uf_io_format uf_io_format_from_name(const char *name) {
  static const struct { const char *name; uf_io_format f; } names[] = {
      {"parquet", UF_IO_FORMAT_PARQUET}, {"csv", UF_IO_FORMAT_CSV},
      {"tsv", UF_IO_FORMAT_CSV},         {"json", UF_IO_FORMAT_JSON},
      {"ndjson", UF_IO_FORMAT_JSON},     {"jsonl", UF_IO_FORMAT_JSON}};
  if (!name) return UF_IO_FORMAT_AUTO;
  if (*name == '.') name++;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp(name, names[i].name) == 0) return names[i].f;
  return UF_IO_FORMAT_AUTO;
}

/* Format from a path's extension, looking through a compression suffix
 * (x.csv.gz is CSV). */
uf_io_format uf_io_format_of_path(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", base);
  for (int round = 0; round < 2; round++) {
    char *dot = strrchr(buf, '.');
    if (!dot) break;
    uf_io_format f = uf_io_format_from_name(dot + 1);
    if (f != UF_IO_FORMAT_AUTO) return f;
    if (strcasecmp(dot, ".gz") && strcasecmp(dot, ".zst") &&
        strcasecmp(dot, ".gzip"))
      break;
    *dot = '\0';
  }
  return UF_IO_FORMAT_AUTO;
}

bool uf_io_is_remote(const char *loc) {
  return strstr(loc, "://") != NULL;
}

static bool has_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

bool uf_io_is_local_dir(const char *loc) {
  struct stat st;
  return !uf_io_is_remote(loc) && stat(loc, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A directory holding key=value subdirectories is hive-partitioned. */
bool uf_io_discover_hive(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return false;
  bool found = false;
  struct dirent *e;
  while (!found && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || !strchr(e->d_name + 1, '=')) continue;
    char sub[4096];
    struct stat st;
    snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
    found = stat(sub, &st) == 0 && S_ISDIR(st.st_mode);
  }
  closedir(d);
  return found;
}

/* ---- lowering context ---------------------------------------------------- */

typedef struct lower {
  uf_tree *t;
  const uf_node *src;
  uf_io_format fmt;
  const char *fmt_word;   /* STORED AS word, for messages */
  uf_node *args;          /* reader arguments */
  uf_error *err;
  uf_status st;
} lower;

static uf_status fail(lower *l, uf_status code, const char *fmt,
                      const char *a, const char *b) {
  if (l->st == UF_OK) l->st = uf_error_set(l->err, code, fmt, a, b);
  return l->st;
}

static void oom_check(lower *l, const void *p) {
  if (!p) fail(l, UF_NOMEM, "%s%s", "out of memory", "");
}

/* name = value, as the parser reads a table function's named parameter. */
static void named(lower *l, const char *name, uf_node *value) {
  if (l->st != UF_OK) return;
  uf_node *arg = uf_b_binary(l->t, "=", uf_b_column(l->t, NULL, name), value);
  oom_check(l, arg);
  if (arg && uf_b_list_push(l->t, l->args, arg, l->err) != UF_OK)
    fail(l, UF_NOMEM, "%s%s", "out of memory", "");
}

/* Text of an option value: a string, a number or a boolean. */
static const char *value_text(const uf_node *v) {
  if (!v) return NULL;
  if (uf_is(v, UF_STRING) || uf_is(v, UF_NUMBER) || uf_is(v, UF_BOOLEAN) ||
      uf_is(v, UF_IDENT) || uf_is(v, UF_VAR))
    return v->text;
  if (uf_is(v, UF_COLUMN)) return value_text(uf_get(v, UF_SLOT_THIS));
  return NULL;
}

static void opt_bool(lower *l, const char *param, const uf_node *v,
                     const char *key) {
  const char *s = value_text(v);
  bool b;
  if (s && (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0)) b = true;
  else if (s && (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0)) b = false;
  else {
    fail(l, UF_INVALID_ARGUMENT, "option %s needs true or false%s", key, "");
    return;
  }
  named(l, param, uf_b_bool(l->t, b));
}

static void opt_string(lower *l, const char *param, const uf_node *v,
                       const char *key) {
  const char *s = value_text(v);
  if (!s) {
    fail(l, UF_INVALID_ARGUMENT, "option %s needs a string value%s", key, "");
    return;
  }
  named(l, param, uf_b_string(l->t, s));
}

static void opt_int(lower *l, const char *param, const uf_node *v,
                    const char *key) {
  const char *s = value_text(v);
  char *end = NULL;
  long long n = s ? strtoll(s, &end, 10) : 0;
  if (!s || !*s || *end || n < 0) {
    fail(l, UF_INVALID_ARGUMENT, "option %s needs a non-negative integer%s",
         key, "");
    return;
  }
  named(l, param, uf_b_int(l->t, n));
}

/* DataFusion compression names to DuckDB's. */
static void opt_compression(lower *l, const uf_node *v, const char *key) {
  const char *s = value_text(v);
  const char *to = NULL;
  if (!s) to = NULL;
  else if (strcasecmp(s, "gzip") == 0) to = "gzip";
  else if (strcasecmp(s, "zstd") == 0) to = "zstd";
  else if (strcasecmp(s, "uncompressed") == 0 || strcasecmp(s, "none") == 0)
    to = "none";
  else if (strcasecmp(s, "auto") == 0) to = "auto";
  if (!to) {
    fail(l, UF_UNSUPPORTED, "compression %s (option %s) is not supported",
         s ? s : "?", key);
    return;
  }
  named(l, "compression", uf_b_string(l->t, to));
}

/* One OPTIONS entry to a reader parameter, per format. */
static void option(lower *l, const uf_node *prop) {
  const uf_node *k = uf_get(prop, UF_SLOT_KEY), *v = uf_get(prop, UF_SLOT_VALUE);
  const char *key = k ? k->text : "";
  bool csv = l->fmt == UF_IO_FORMAT_CSV, json = l->fmt == UF_IO_FORMAT_JSON;
  bool pq = l->fmt == UF_IO_FORMAT_PARQUET;
  if (csv && strcmp(key, "HEADER") == 0) opt_bool(l, "header", v, key);
  else if (csv && strcmp(key, "DELIMITER") == 0) opt_string(l, "delim", v, key);
  else if (csv && strcmp(key, "QUOTE") == 0) opt_string(l, "quote", v, key);
  else if (csv && strcmp(key, "ESCAPE") == 0) opt_string(l, "escape", v, key);
  else if (csv && strcmp(key, "NULLSTR") == 0) opt_string(l, "nullstr", v, key);
  else if (csv && strcmp(key, "COMMENT") == 0) opt_string(l, "comment", v, key);
  else if ((csv || json) && strcmp(key, "DATEFORMAT") == 0)
    opt_string(l, "dateformat", v, key);
  else if ((csv || json) && strcmp(key, "TIMESTAMPFORMAT") == 0)
    opt_string(l, "timestampformat", v, key);
  else if ((csv || json) && strcmp(key, "COMPRESSION") == 0)
    opt_compression(l, v, key);
  else if ((csv || json) && strcmp(key, "SCHEMA_INFER_MAX_REC") == 0)
    opt_int(l, "sample_size", v, key);
  else if (pq && strcmp(key, "BINARY_AS_STRING") == 0)
    opt_bool(l, "binary_as_string", v, key);
  else
    fail(l, UF_UNSUPPORTED, "option %s is not supported for STORED AS %s", key,
         l->fmt_word);
}

/* ---- columns and partitions ------------------------------------------------ */

static const char *ident_text(const uf_node *n) {
  if (uf_is(n, UF_COLUMN_DEF)) n = uf_get(n, UF_SLOT_NAME);
  return uf_is(n, UF_IDENT) ? n->text : NULL;
}

/* Type of a declared column as DuckDB spells it; NULL (and l->st set) on
 * failure. The string is interned in l->t. */
static const char *type_text(lower *l, const uf_node *type) {
  char *s = NULL;
  size_t n = 0;
  if (l->st != UF_OK) return NULL;
  uf_status st = uf_generate(type, NULL, &s, &n, l->err);
  if (st != UF_OK) {
    l->st = st;
    return NULL;
  }
  const char *r = uf_intern(l->t, s, n);
  uf_free(s);
  oom_check(l, r);
  return r;
}

static const uf_node *find_def(const uf_node *cols, const char *name) {
  for (uint32_t i = 0; cols && i < cols->nkids; i++) {
    const char *c = ident_text(cols->kids[i]);
    if (c && strcasecmp(c, name) == 0) return cols->kids[i];
  }
  return NULL;
}

static bool is_partition(const uf_node *parts, const char *name) {
  for (uint32_t i = 0; parts && i < parts->nkids; i++) {
    const char *p = ident_text(parts->kids[i]);
    if (p && strcasecmp(p, name) == 0) return true;
  }
  return false;
}

/* Column definitions must be a name and a type: a constraint would not be
 * enforced by a view, so it is refused rather than dropped. */
static void check_defs(lower *l, const uf_node *cols) {
  for (uint32_t i = 0; cols && i < cols->nkids && l->st == UF_OK; i++) {
    const uf_node *c = cols->kids[i];
    if (!uf_is(c, UF_COLUMN_DEF) || !uf_get(c, UF_SLOT_TYPE))
      fail(l, UF_INVALID_ARGUMENT, "column %s has no type%s",
           ident_text(c) ? ident_text(c) : "?", "");
    else if (uf_get(c, UF_SLOT_CONSTRAINTS) &&
             uf_get(c, UF_SLOT_CONSTRAINTS)->nkids > 0)
      fail(l, UF_UNSUPPORTED,
           "constraint on column %s of an external table%s", ident_text(c),
           " (not enforceable on a file)");
  }
}

/* {'name': 'TYPE', ...} for the given column defs; partition columns
 * included or excluded. */
static uf_node *type_struct(lower *l, const uf_node *cols,
                            const uf_node *parts, bool partitions) {
  uf_node *s = uf_node_new(l->t, UF_STRUCT), *items = uf_b_list(l->t);
  oom_check(l, s && items ? s : NULL);
  if (l->st != UF_OK) return NULL;
  for (uint32_t i = 0; cols && i < cols->nkids && l->st == UF_OK; i++) {
    const uf_node *c = cols->kids[i];
    const char *name = ident_text(c);
    if (!uf_is(c, UF_COLUMN_DEF) || is_partition(parts, name) != partitions)
      continue;
    const char *ty = type_text(l, uf_get(c, UF_SLOT_TYPE));
    uf_node *p = uf_node_new(l->t, UF_PROP);
    oom_check(l, p);
    if (l->st != UF_OK) break;
    uf_set(p, UF_SLOT_KEY, uf_b_string(l->t, name), NULL);
    uf_set(p, UF_SLOT_VALUE, uf_b_string(l->t, ty), NULL);
    oom_check(l, uf_get(p, UF_SLOT_KEY) && uf_get(p, UF_SLOT_VALUE) ? p : NULL);
    if (l->st == UF_OK) uf_b_list_push(l->t, items, p, NULL);
  }
  if (l->st != UF_OK || items->nkids == 0) return NULL;
  uf_set(s, UF_SLOT_ARGS, items, NULL);
  return s;
}

/* hive_types = {...} from partition columns with a type, declared either in
 * PARTITIONED BY (name type) or in the column list. */
static uf_node *hive_types(lower *l, const uf_node *cols, const uf_node *parts) {
  uf_node *defs = uf_b_list(l->t);
  oom_check(l, defs);
  for (uint32_t i = 0; parts && i < parts->nkids && l->st == UF_OK; i++) {
    const uf_node *p = parts->kids[i];
    const uf_node *def = uf_is(p, UF_COLUMN_DEF) ? p
                                                 : find_def(cols, ident_text(p));
    if (def) uf_b_list_push(l->t, defs, (uf_node *)def, NULL);
  }
  if (l->st != UF_OK) return NULL;
  return type_struct(l, defs, parts, true);
}

/* A column reference keeping the declared identifier (and its quoting). */
static uf_node *col_ref(lower *l, const uf_node *ident) {
  uf_node *c = uf_node_new(l->t, UF_COLUMN);
  uf_node *id = uf_node_copy(l->t, ident);
  if (!c || !id) return NULL;
  uf_set(c, UF_SLOT_THIS, id, NULL);
  return c;
}

/* The select list: every declared column in order (Parquet casts file
 * columns to their declared type), then undeclared partition columns. */
static uf_node *select_list(lower *l, uf_node *sel, const uf_node *cols,
                            const uf_node *parts) {
  for (uint32_t i = 0; cols && i < cols->nkids && l->st == UF_OK; i++) {
    const char *name = ident_text(cols->kids[i]);
    uf_node *e = col_ref(l, uf_get(cols->kids[i], UF_SLOT_NAME));
    if (l->fmt == UF_IO_FORMAT_PARQUET && !is_partition(parts, name)) {
      uf_node *ty = uf_node_copy(l->t, uf_get(cols->kids[i], UF_SLOT_TYPE));
      e = uf_b_alias(l->t, uf_b_cast_to(l->t, e, ty), name);
    }
    oom_check(l, e);
    if (l->st == UF_OK) uf_b_select_add(l->t, sel, e, NULL);
  }
  for (uint32_t i = 0; parts && i < parts->nkids && l->st == UF_OK; i++) {
    const char *name = ident_text(parts->kids[i]);
    if (find_def(cols, name)) continue;
    uf_node *e = uf_b_column(l->t, NULL, name);
    oom_check(l, e);
    if (l->st == UF_OK) uf_b_select_add(l->t, sel, e, NULL);
  }
  return sel;
}

/* ---- the path ------------------------------------------------------------ */

static const char *extension(lower *l) {
  switch (l->fmt) {
    case UF_IO_FORMAT_PARQUET: return "parquet";
    case UF_IO_FORMAT_CSV: return "csv";
    case UF_IO_FORMAT_JSON: return "json";
    case UF_IO_FORMAT_AUTO: break;
  }
  return "*";
}

/* A directory becomes a recursive glob over files of the format (with the
 * compression suffix DataFusion would expect); a file or glob stays. */
static const char *read_path(lower *l, const char *loc, const char *comp) {
  size_t n = strlen(loc);
  bool dir = (n > 0 && loc[n - 1] == '/') ||
             (!has_glob(loc) && uf_io_is_local_dir(loc));
  if (!dir) return loc;
  while (n > 1 && loc[n - 1] == '/') n--;
  const char *suffix = "";
  if (comp && strcasecmp(comp, "gzip") == 0) suffix = ".gz";
  else if (comp && strcasecmp(comp, "zstd") == 0) suffix = ".zst";
  char *buf = uf_tree_alloc(l->t, n + 32 + strlen(suffix));
  oom_check(l, buf);
  if (!buf) return NULL;
  memcpy(buf, loc, n);
  sprintf(buf + n, "/**/*.%s%s", extension(l), suffix);
  return buf;
}

static const char *option_value(const uf_node *opts, const char *key) {
  for (uint32_t i = 0; opts && i < opts->nkids; i++) {
    const uf_node *k = uf_get(opts->kids[i], UF_SLOT_KEY);
    if (k && strcmp(k->text, key) == 0)
      return value_text(uf_get(opts->kids[i], UF_SLOT_VALUE));
  }
  return NULL;
}

/* ---- the statement --------------------------------------------------------- */

static const char *reader_name(uf_io_format f) {
  return f == UF_IO_FORMAT_PARQUET ? "read_parquet"
         : f == UF_IO_FORMAT_CSV   ? "read_csv"
                                   : "read_json";
}

static void reader_args(lower *l, const char *path, const uf_node *cols,
                        const uf_node *parts, const uf_node *opts, bool hive) {
  uf_b_list_push(l->t, l->args, uf_b_string(l->t, path), NULL);
  if (hive) {
    named(l, "hive_partitioning", uf_b_bool(l->t, true));
    uf_node *ht = parts ? hive_types(l, cols, parts) : NULL;
    if (ht) named(l, "hive_types", ht);
  }
  if (l->fmt == UF_IO_FORMAT_JSON) /* DataFusion's JSON is line-delimited */
    named(l, "format", uf_b_string(l->t, "newline_delimited"));
  /* WITH HEADER ROW, unless OPTIONS says it again (one header = ...) */
  if (l->fmt == UF_IO_FORMAT_CSV && (l->src->flags & UF_F_WITH_HEADER) &&
      !option_value(opts, "HEADER"))
    named(l, "header", uf_b_bool(l->t, true));
  for (uint32_t i = 0; opts && i < opts->nkids && l->st == UF_OK; i++)
    option(l, opts->kids[i]);
  if (cols && l->fmt != UF_IO_FORMAT_PARQUET) {
    uf_node *cs = type_struct(l, cols, parts, false);
    if (cs) named(l, "columns", cs);
  }
}

static uf_io_format format_of(lower *l, const char *loc) {
  const uf_node *f = uf_get(l->src, UF_SLOT_FORMAT);
  l->fmt_word = f ? f->text : "?";
  uf_io_format fmt = uf_io_format_from_name(f ? f->text : NULL);
  if (fmt == UF_IO_FORMAT_AUTO && f && strcasecmp(f->text, "AUTO") == 0)
    fmt = uf_io_format_of_path(loc);
  if (fmt == UF_IO_FORMAT_AUTO)
    fail(l, UF_UNSUPPORTED, "STORED AS %s is not supported%s", l->fmt_word,
         " (PARQUET, CSV, JSON)");
  return fmt;
}

uf_status uf_io_lower_external(uf_tree *t, const uf_node *cet,
                               const char *location_override,
                               uf_node **out_stmt, uf_error *err) {
  if (!out_stmt) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out_stmt = NULL;
  if (!t || !uf_is(cet, UF_CREATE_EXTERNAL_TABLE))
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "expected a CREATE EXTERNAL TABLE statement");
  const uf_node *locn = uf_get(cet, UF_SLOT_LOCATION);
  const char *loc = location_override ? location_override
                                      : (locn ? locn->text : NULL);
  if (!loc || !*loc || !uf_get(cet, UF_SLOT_NAME))
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "CREATE EXTERNAL TABLE needs a name and a LOCATION");
  lower l = {t, cet, UF_IO_FORMAT_AUTO, "?", uf_b_list(t), err, UF_OK};
  oom_check(&l, l.args);
  l.fmt = format_of(&l, loc);
  if (l.st == UF_OK && (cet->flags & UF_F_UNBOUNDED))
    fail(&l, UF_UNSUPPORTED, "UNBOUNDED external tables%s%s",
         " (streaming sources)", " are not supported");
  const uf_node *cols = uf_get(cet, UF_SLOT_COLUMNS);
  const uf_node *parts = uf_get(cet, UF_SLOT_PARTITIONED_BY);
  const uf_node *opts = uf_get(cet, UF_SLOT_OPTIONS);
  check_defs(&l, cols);
  if (parts && parts->nkids == 0) parts = NULL;
  if (cols && cols->nkids == 0) cols = NULL;
  bool hive = parts != NULL ||
              (uf_io_is_local_dir(loc) && uf_io_discover_hive(loc));
  const char *path = l.st == UF_OK
                         ? read_path(&l, loc, option_value(opts, "COMPRESSION"))
                         : NULL;
  if (l.st == UF_OK) reader_args(&l, path, cols, parts, opts, hive);
  uf_node *sel = uf_b_select(t);
  oom_check(&l, sel);
  if (l.st == UF_OK && cols) select_list(&l, sel, cols, parts);
  else if (l.st == UF_OK) uf_b_select_add(t, sel, uf_b_star(t), NULL);
  if (l.st != UF_OK) return l.st;
  uf_node *fn = uf_b_func_v(t, reader_name(l.fmt), 0, NULL);
  uf_node *tf = uf_node_new(t, UF_TABLE_FUNC);
  oom_check(&l, fn && tf ? fn : NULL);
  if (l.st != UF_OK) return l.st;
  uf_set(fn, UF_SLOT_ARGS, l.args, NULL);
  uf_set(tf, UF_SLOT_THIS, fn, NULL);
  if (uf_b_select_from(t, sel, tf, err) != UF_OK) return UF_NOMEM;
  uf_node *view = uf_b_create_view(t, uf_node_copy(t, uf_get(cet, UF_SLOT_NAME)),
                                   sel, (cet->flags & UF_F_OR_REPLACE) != 0);
  if (!view) return uf_error_set(err, UF_NOMEM, "out of memory");
  view->flags |= cet->flags & UF_F_IF_NOT_EXISTS;
  *out_stmt = view;
  return UF_OK;
}
