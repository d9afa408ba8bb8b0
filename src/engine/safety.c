/*
 * The safety gate: classifies statements, walks the whole AST and reports
 * every construct the execution policy does not allow. Engine-agnostic.
 *
 * The walk sees every node (subqueries, CTEs, lambdas, arguments, macro and
 * view bodies, nested statements), so a file read cannot hide under any
 * wrapper the parser accepts. Functions are matched by name,
 * case-insensitively and whatever their schema qualification, against a
 * table built from DuckDB 1.4's function catalog plus name patterns for
 * extension functions (read_*, *_scan, ...).
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath */
#endif
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/grow.h"
#include "unifier/safety.h"
#include "unifier/sql.h"

/* -- classification ------------------------------------------------------- */

static const char *const class_names[UF_STMT_CLASS_COUNT] = {
#define NAME_(name, rule) rule,
    UF_STMT_CLASS_MAP(NAME_)
#undef NAME_
};

static const char *const class_rules[UF_STMT_CLASS_COUNT] = {
#define RULE_(name, rule) "statement." rule,
    UF_STMT_CLASS_MAP(RULE_)
#undef RULE_
};

const char *uf_stmt_class_name(uf_stmt_class c) {
  return (unsigned)c < UF_STMT_CLASS_COUNT ? class_names[c] : "unknown";
}

static bool ident_is(const uf_node *n, const char *s) {
  return uf_is(n, UF_IDENT) && strcasecmp(n->text, s) == 0;
}

/* A TABLE name qualified with the temp catalog or schema (temp.x,
 * temp.main.x). */
static bool name_is_temp(const uf_node *name) {
  if (uf_is(name, UF_SIGNATURE)) name = uf_get(name, UF_SLOT_NAME);
  if (!uf_is(name, UF_TABLE)) return false;
  return ident_is(uf_get(name, UF_SLOT_DB), "temp") ||
         ident_is(uf_get(name, UF_SLOT_CATALOG), "temp");
}

static uf_stmt_class create_class(const uf_node *n) {
  if ((n->flags & UF_F_TEMP) || name_is_temp(uf_get(n, UF_SLOT_NAME)))
    return UF_STMT_TEMP_DDL;
  return UF_STMT_DDL;
}

/* DROP of temp-qualified objects only is temporary DDL; DROP SECRET is
 * configuration. */
static uf_stmt_class drop_class(const uf_node *n) {
  if (strcasecmp(n->text, "SECRET") == 0) return UF_STMT_SET;
  const uf_node *l = uf_get(n, UF_SLOT_LIST);
  if (!l || l->nkids == 0) return UF_STMT_DDL;
  for (uint32_t i = 0; i < l->nkids; i++)
    if (!name_is_temp(l->kids[i])) return UF_STMT_DDL;
  return UF_STMT_TEMP_DDL;
}

uf_stmt_class uf_classify_statement(const uf_node *n) {
  if (!n) return UF_STMT_UNKNOWN;
  switch ((uf_kind)n->kind) {
  case UF_SELECT:
    return uf_get(n, UF_SLOT_INTO) ? UF_STMT_DDL : UF_STMT_QUERY;
  case UF_SET_OP: case UF_VALUES: case UF_QUERY_PAREN:
  case UF_DESCRIBE: case UF_SHOW:
    return UF_STMT_QUERY;
  case UF_EXPLAIN: {
    const uf_node *inner = uf_get(n, UF_SLOT_STATEMENT);
    if ((n->flags & UF_F_ANALYZE) && inner) return uf_classify_statement(inner);
    return UF_STMT_QUERY;
  }
  case UF_CREATE_TABLE: case UF_CREATE_VIEW: case UF_CREATE_SEQUENCE:
  case UF_CREATE_MACRO: case UF_CREATE_TYPE:
    return create_class(n);
  case UF_CREATE_INDEX: case UF_CREATE_SCHEMA: case UF_CREATE_EXTERNAL_TABLE:
  case UF_COMMENT_ON:
    return UF_STMT_DDL;
  case UF_ALTER_TABLE:
    return name_is_temp(uf_get(n, UF_SLOT_NAME)) ? UF_STMT_TEMP_DDL
                                                 : UF_STMT_DDL;
  case UF_DROP: return drop_class(n);
  case UF_INSERT: case UF_UPDATE: case UF_DELETE: case UF_TRUNCATE:
    return UF_STMT_DML;
  case UF_TRANSACTION: return UF_STMT_TRANSACTION;
  case UF_SET: case UF_RESET: return UF_STMT_SET;
  case UF_CREATE_SECRET: return UF_STMT_SET; /* credentials, like DROP SECRET */
  case UF_PRAGMA: return UF_STMT_PRAGMA;
  case UF_ATTACH: case UF_DETACH: case UF_USE: return UF_STMT_ATTACH;
  case UF_INSTALL: case UF_LOAD: return UF_STMT_EXTENSION;
  case UF_EXPORT_DATABASE: return UF_STMT_EXPORT;
  case UF_IMPORT_DATABASE: return UF_STMT_IMPORT;
  case UF_CHECKPOINT: case UF_VACUUM: case UF_ANALYZE:
    return UF_STMT_MAINTENANCE;
  case UF_CALL: return UF_STMT_CALL;
  case UF_COPY:
    return strcasecmp(n->text, "FROM") == 0 ? UF_STMT_COPY_FROM
                                            : UF_STMT_COPY_TO;
  case UF_PREPARE: case UF_EXECUTE: case UF_DEALLOCATE:
    return UF_STMT_PREPARED;
  case UF_GRANT: return UF_STMT_GRANT;
  default:
    return UF_STMT_UNKNOWN;
  }
}

/* -- presets -------------------------------------------------------------- */

static const char *const preset_names[UF_POLICY_PRESET_COUNT] = {
    "query-only", "query-with-temp", "full-ddl", "full-dml", "admin"};

const char *uf_policy_preset_name(uf_policy_preset p) {
  return (unsigned)p < UF_POLICY_PRESET_COUNT ? preset_names[p] : "unknown";
}

uf_exec_policy uf_policy_preset_get(uf_policy_preset p) {
  uf_exec_policy x = {0};
  x.max_statements = 1;
  x.allowed_classes = UF_STMT_BIT(UF_STMT_QUERY);
  if (p >= UF_POLICY_QUERY_WITH_TEMP)
    x.allowed_classes |= UF_STMT_BIT(UF_STMT_TEMP_DDL);
  if (p >= UF_POLICY_FULL_DDL) x.allowed_classes |= UF_STMT_BIT(UF_STMT_DDL);
  if (p >= UF_POLICY_FULL_DML) {
    x.allowed_classes |=
        UF_STMT_BIT(UF_STMT_DML) | UF_STMT_BIT(UF_STMT_TRANSACTION);
    x.allow_side_effects = true;
  }
  if (p >= UF_POLICY_ADMIN) {
    x.allowed_classes = (1u << UF_STMT_CLASS_COUNT) - 1u;
    x.max_statements = 0;
    x.any_location = x.allow_remote = true;
    x.allow_environment = x.allow_system = x.allow_sql_exec = true;
  }
  return x;
}

uf_status uf_policy_preset_parse(const char *name, uf_policy_preset *out,
                                 uf_error *err) {
  char buf[32];
  size_t n = 0;
  for (; name && name[n] && n + 1 < sizeof buf; n++)
    buf[n] = name[n] == '_' ? '-' : (char)tolower((unsigned char)name[n]);
  buf[n] = '\0';
  for (int i = 0; name && !name[n] && i < UF_POLICY_PRESET_COUNT; i++) {
    if (strcmp(buf, preset_names[i]) == 0) {
      if (out) *out = (uf_policy_preset)i;
      return UF_OK;
    }
  }
  return uf_error_set(err, UF_INVALID_ARGUMENT,
                      "unknown policy '%.32s' (query-only, query-with-temp, "
                      "full-ddl, full-dml, admin)", name ? name : "(null)");
}

/* -- violations ----------------------------------------------------------- */

struct uf_violations {
  uf_violation *v;
  size_t n, cap;
};

size_t uf_violations_count(const uf_violations *v) { return v ? v->n : 0; }

const uf_violation *uf_violations_at(const uf_violations *v, size_t i) {
  return v && i < v->n ? &v->v[i] : NULL;
}

bool uf_violations_has(const uf_violations *v, const char *rule) {
  for (size_t i = 0; v && rule && i < v->n; i++)
    if (strcmp(v->v[i].rule, rule) == 0) return true;
  return false;
}

void uf_violations_free(uf_violations *v) {
  if (!v) return;
  free(v->v);
  free(v);
}

/* -- the walk's context --------------------------------------------------- */

#define MAX_ROOTS 64

typedef struct root {
  char path[PATH_MAX]; /* resolved local directory, or a remote prefix */
  bool remote;
} root;

typedef struct gate {
  const uf_exec_policy *p;
  uf_violations *out;
  bool oom;
  root *roots;
  size_t nroots;
  char cwd[PATH_MAX];
} gate;

static void violate(gate *g, const uf_node *n, const char *rule,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void violate(gate *g, const uf_node *n, const char *rule,
                    const char *fmt, ...) {
  uf_violations *o = g->out;
  uf_violation *grown = uf_grow(o->v, o->n, &o->cap, sizeof *grown, 8);
  if (!grown) {
    g->oom = true;
    return;
  }
  o->v = grown;
  uf_violation *v = &o->v[o->n++];
  memset(v, 0, sizeof *v);
  v->rule = rule;
  v->line = n ? n->line : 0;
  v->column = n ? n->col : 0;
  v->offset = n ? n->offset : 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(v->message, sizeof v->message, fmt, ap);
  va_end(ap);
}

/* -- locations ------------------------------------------------------------ */

/* Length of a URL scheme ("s3" in "s3://x", "md" in "md:db"), 0 if none.
 * A single letter followed by ':' is a drive, not a scheme. */
static size_t scheme_len(const char *s) {
  size_t i = 0;
  if (!isalpha((unsigned char)s[0])) return 0;
  while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
         s[i] == '.')
    i++;
  if (s[i] != ':' || i < 2) return 0;
  return i;
}

static bool has_dotdot_segment(const char *s) {
  for (const char *p = s; (p = strstr(p, "..")) != NULL; p += 2) {
    bool start = p == s || p[-1] == '/' || p[-1] == '\\';
    bool end = p[2] == '\0' || p[2] == '/' || p[2] == '\\';
    if (start && end) return true;
  }
  return false;
}

/* Resolves `path` component by component: every existing prefix through
 * realpath (so symlinks and '..' after them resolve as the kernel would),
 * the rest lexically. A component with glob characters ends resolution;
 * what follows it must not climb with '..'. Returns false if the result
 * cannot be trusted (too long, '..' after a glob). */
static bool resolve_path(const gate *g, const char *path, char *out) {
  char full[PATH_MAX * 2];
  const char *home = getenv("HOME");
  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0')) {
    if (!home) return false;
    snprintf(full, sizeof full, "%s/%s", home, path + 1);
  } else if (path[0] == '/') {
    snprintf(full, sizeof full, "%s", path);
  } else {
    snprintf(full, sizeof full, "%s/%s", g->cwd, path);
  }
  if (strlen(full) >= PATH_MAX) return false;
  char cur[PATH_MAX] = "";
  bool exists = true;
  char *save = NULL;
  for (char *c = strtok_r(full, "/\\", &save); c;
       c = strtok_r(NULL, "/\\", &save)) {
    if (strcmp(c, ".") == 0) continue;
    if (strcmp(c, "..") == 0) {
      char *slash = strrchr(cur, '/');
      if (slash) *slash = '\0';
      continue;
    }
    if (strpbrk(c, "*?[{")) { /* a glob: stop here, nothing may climb */
      if (save && has_dotdot_segment(save)) return false;
      break;
    }
    size_t len = strlen(cur);
    if (len + 1 + strlen(c) >= PATH_MAX) return false;
    snprintf(cur + len, PATH_MAX - len, "/%s", c);
    if (exists) {
      char real[PATH_MAX];
      if (realpath(cur, real)) snprintf(cur, PATH_MAX, "%s", real);
      else exists = false;
    }
  }
  snprintf(out, PATH_MAX, "%s", cur[0] ? cur : "/");
  return true;
}

static bool under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  if (n == 1 && dir[0] == '/') return true;
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool remote_allowed(const gate *g, const char *loc) {
  if (g->p->allow_remote) return true;
  if (has_dotdot_segment(loc)) return false;
  for (size_t i = 0; i < g->nroots; i++) {
    const root *r = &g->roots[i];
    size_t n = strlen(r->path);
    if (!r->remote || strncasecmp(loc, r->path, n) != 0) continue;
    if (r->path[n - 1] == '/' || loc[n] == '\0' || loc[n] == '/') return true;
  }
  return false;
}

static void prepare_roots(gate *g) {
  g->nroots = 0;
  for (size_t i = 0; i < g->p->nroots && g->nroots < MAX_ROOTS; i++) {
    const char *r = g->p->roots ? g->p->roots[i] : NULL;
    if (!r || !r[0]) continue;
    root *x = &g->roots[g->nroots];
    size_t sl = scheme_len(r);
    if (sl && strncasecmp(r, "file:", 5) != 0) {
      x->remote = true;
      snprintf(x->path, sizeof x->path, "%s", r);
    } else {
      if (sl) r += 5 + (strncmp(r + 5, "//", 2) == 0 ? 2 : 0);
      x->remote = false;
      if (!resolve_path(g, r, x->path)) continue;
    }
    g->nroots++;
  }
}

/* Checks one constant location; `what` is "read" or "write". */
static void check_location(gate *g, const uf_node *n, const char *loc,
                           const char *what) {
  if (g->p->any_location && g->p->allow_remote) return;
  size_t sl = scheme_len(loc);
  if (sl && strncasecmp(loc, "file:", 5) != 0) {
    if (!remote_allowed(g, loc))
      violate(g, n, "location.remote", "%s of remote location '%.80s'",
              what, loc);
    return;
  }
  if (sl) loc += 5 + (strncmp(loc + 5, "//", 2) == 0 ? 2 : 0);
  if (g->p->any_location) return;
  bool local_roots = false;
  for (size_t i = 0; i < g->nroots; i++) local_roots |= !g->roots[i].remote;
  if (!local_roots) {
    violate(g, n, what[0] == 'w' ? "file.write" : "file.read",
            "%s of file '%.80s' (the policy allows no local location)",
            what, loc);
    return;
  }
  char real[PATH_MAX];
  if (resolve_path(g, loc, real)) {
    for (size_t i = 0; i < g->nroots; i++)
      if (!g->roots[i].remote && under(real, g->roots[i].path)) return;
  } else {
    snprintf(real, sizeof real, "(unresolvable)");
  }
  violate(g, n, "location.outside_roots",
          "%s of '%.80s' (resolves to '%.80s') outside the allowed roots",
          what, loc, real);
}

/* A location node: a constant string, a list of them, or something the gate
 * cannot evaluate (a column, a parameter, an expression). */
static void check_location_node(gate *g, const uf_node *at, const uf_node *n,
                                const char *what) {
  while (uf_is(n, UF_PAREN)) n = uf_get(n, UF_SLOT_THIS);
  if (uf_is(n, UF_STRING)) {
    check_location(g, n, n->text, what);
    return;
  }
  if (uf_is(n, UF_ARRAY) && uf_get(n, UF_SLOT_ARGS) && !uf_get(n, UF_SLOT_QUERY)) {
    const uf_node *l = uf_get(n, UF_SLOT_ARGS);
    for (uint32_t i = 0; i < l->nkids; i++)
      check_location_node(g, at, l->kids[i], what);
    return;
  }
  if (g->p->any_location && g->p->allow_remote) return;
  violate(g, n ? n : at, "location.dynamic",
          "%s of a location that is not a constant string", what);
}

/* -- functions ------------------------------------------------------------ */

typedef enum fclass {
  F_NONE, F_READ, F_SQL, F_ENV, F_SYSTEM, F_PRAGMA, F_SIDE, F_NET
} fclass;

typedef struct fentry {
  const char *name;
  fclass c;
} fentry;

/* From DuckDB 1.4's duckdb_functions() plus well-known extensions. Sorted
 * only for reading; looked up linearly (the list is short). */
static const fentry functions[] = {
    /* reading files (first argument: a location or a list of them) */
    {"glob", F_READ}, {"sniff_csv", F_READ}, {"parquet_scan", F_READ},
    {"parquet_metadata", F_READ}, {"parquet_schema", F_READ},
    {"parquet_file_metadata", F_READ}, {"parquet_kv_metadata", F_READ},
    {"parquet_bloom_probe", F_READ}, {"iceberg_scan", F_READ},
    {"iceberg_metadata", F_READ}, {"iceberg_snapshots", F_READ},
    {"delta_scan", F_READ}, {"st_read", F_READ}, {"st_read_meta", F_READ},
    {"sqlite_scan", F_READ}, {"sqlite_attach", F_READ},
    {"excel_scan", F_READ},
    /* network databases: a connection string, not a file */
    {"postgres_scan", F_NET}, {"postgres_attach", F_NET},
    {"postgres_scan_pushdown", F_NET}, {"mysql_scan", F_NET},
    /* running SQL text */
    {"query", F_SQL}, {"query_table", F_SQL},
    {"json_execute_serialized_sql", F_SQL}, {"json_serialize_plan", F_SQL},
    {"postgres_query", F_SQL}, {"postgres_execute", F_SQL},
    {"mysql_query", F_SQL}, {"mysql_execute", F_SQL},
    /* the environment, configuration, secrets, paths */
    {"getenv", F_ENV}, {"current_setting", F_ENV}, {"duckdb_settings", F_ENV},
    {"duckdb_secrets", F_ENV}, {"which_secret", F_ENV},
    {"duckdb_extensions", F_ENV}, {"duckdb_temporary_files", F_ENV},
    {"duckdb_databases", F_ENV}, {"duckdb_external_file_cache", F_ENV},
    {"duckdb_logs", F_ENV}, {"duckdb_logs_parsed", F_ENV},
    {"duckdb_log_contexts", F_ENV}, {"load_aws_credentials", F_ENV},
    {"pg_conf_load_time", F_ENV},
    /* changing engine state, raw memory */
    {"checkpoint", F_SYSTEM}, {"force_checkpoint", F_SYSTEM},
    {"enable_logging", F_SYSTEM}, {"disable_logging", F_SYSTEM},
    {"truncate_duckdb_logs", F_SYSTEM}, {"write_log", F_SYSTEM},
    {"arrow_scan", F_SYSTEM}, {"arrow_scan_dumb", F_SYSTEM},
    {"seq_scan", F_SYSTEM}, {"system", F_SYSTEM}, {"shell", F_SYSTEM},
    {"set_config", F_SYSTEM},
    /* network */
    {"http_get", F_NET}, {"http_post", F_NET}, {"http_head", F_NET},
    /* side effects */
    {"nextval", F_SIDE}, {"setval", F_SIDE},
};

/* pragma_* table functions that only read the catalog. */
static const char *const safe_pragmas[] = {
    "pragma_table_info", "pragma_show", "pragma_version", "pragma_collations",
};

static bool starts(const char *s, const char *p) {
  return strncmp(s, p, strlen(p)) == 0;
}

static bool ends(const char *s, const char *p) {
  size_t n = strlen(s), m = strlen(p);
  return n >= m && strcmp(s + n - m, p) == 0;
}

/* Name patterns catch extension functions the table does not list. */
static fclass classify_by_pattern(const char *name) {
  static const char *const read_prefixes[] = {
      "read_", "parquet_", "iceberg_", "delta_", "sqlite_", "st_read", "excel", "sniff_", "ducklake_", "scan_", "lance_",
      "vortex_", "avro_", "gsheet", "odbc_", "ftp_"};
  for (size_t i = 0; i < sizeof read_prefixes / sizeof *read_prefixes; i++)
    if (starts(name, read_prefixes[i])) return F_READ;
  if (ends(name, "_scan") || ends(name, "_attach")) return F_READ;
  if (starts(name, "write_") || starts(name, "copy_") ||
      starts(name, "export_") || starts(name, "import_"))
    return F_SYSTEM;
  if (starts(name, "http_") || starts(name, "url_") ||
      starts(name, "postgres_") || starts(name, "mysql_"))
    return F_NET;
  if (starts(name, "pragma_")) {
    for (size_t i = 0; i < sizeof safe_pragmas / sizeof *safe_pragmas; i++)
      if (strcmp(name, safe_pragmas[i]) == 0) return F_NONE;
    return F_PRAGMA;
  }
  if (strstr(name, "secret") || strstr(name, "getenv") ||
      strstr(name, "setting"))
    return F_ENV;
  return F_NONE;
}

static fclass classify_function(const char *name) {
  for (size_t i = 0; i < sizeof functions / sizeof *functions; i++)
    if (strcmp(name, functions[i].name) == 0) return functions[i].c;
  return classify_by_pattern(name);
}

/* The first positional argument of f. In a method call x.f() it is the
 * receiver x, unless x is a plain name and f has arguments of its own:
 * then the "receiver" is a qualification (system.main.read_text('p')). */
static const uf_node *first_arg(const uf_node *f, const uf_node *parent) {
  const uf_node *args = uf_get(f, UF_SLOT_ARGS);
  bool own = args && args->nkids > 0;
  if (uf_is(parent, UF_DOT) && uf_get(parent, UF_SLOT_NAME) == f) {
    const uf_node *recv = uf_get(parent, UF_SLOT_THIS);
    if (!(own && uf_is(recv, UF_COLUMN))) return recv;
  }
  if (!own) return NULL;
  const uf_node *a = args->kids[0];
  if (uf_is(a, UF_NAMED_ARG)) return NULL;
  return a;
}

static void check_function(gate *g, const uf_node *f, const uf_node *parent) {
  char name[128];
  size_t n = 0;
  bool odd = false;
  for (const char *s = f->text; *s && n + 1 < sizeof name; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 0x80 || c < 0x20) odd = true;
    name[n++] = (char)tolower(c);
  }
  name[n] = '\0';
  if (odd && !g->p->allow_system)
    violate(g, f, "function.suspicious_name",
            "function name '%.60s' has non-ASCII or control characters",
            f->text);
  switch (classify_function(name)) {
  case F_NONE: return;
  case F_READ: {
    const uf_node *a = first_arg(f, parent);
    if (!a) {
      if (!(g->p->any_location && g->p->allow_remote))
        violate(g, f, "location.dynamic",
                "%s() reads files from a location the gate cannot see",
                name);
      return;
    }
    check_location_node(g, f, a, "read");
    return;
  }
  case F_SQL:
    if (!g->p->allow_sql_exec)
      violate(g, f, "function.sql_exec", "%s() executes SQL text", name);
    return;
  case F_ENV:
    if (!g->p->allow_environment)
      violate(g, f, "function.environment",
              "%s() reveals the environment or configuration", name);
    return;
  case F_SYSTEM:
    if (!g->p->allow_system)
      violate(g, f, "function.system", "%s() changes engine state", name);
    return;
  case F_PRAGMA:
    if (!g->p->allow_system)
      violate(g, f, "function.pragma", "pragma function %s()", name);
    return;
  case F_SIDE:
    if (!g->p->allow_side_effects)
      violate(g, f, "function.side_effect", "%s() modifies a sequence", name);
    return;
  case F_NET:
    if (!g->p->allow_remote)
      violate(g, f, "location.remote", "%s() reaches the network", name);
    return;
  }
}

/* -- tables named like files ---------------------------------------------- */

/* DuckDB's replacement scans read a file named as a table: FROM 'x.csv',
 * FROM "x.parquet", FROM "s3://b/k". Names that are only targets (CREATE,
 * DROP, INSERT INTO ...) are not reads. */
static bool is_target_slot(const uf_node *parent, uf_slot slot) {
  if (!parent || uf_kind_category((uf_kind)parent->kind) != UF_CAT_STMT)
    return false;
  if (parent->kind == UF_COPY || parent->kind == UF_DESCRIBE ||
      parent->kind == UF_SHOW)
    return false;
  return slot == UF_SLOT_NAME || slot == UF_SLOT_TABLE;
}

static bool looks_like_file(const char *s) {
  return strpbrk(s, "./\\:~") != NULL;
}

/* Last parts of a qualified name that DuckDB's replacement scans (and
 * extensions') treat as a file extension: FROM data.csv reads data.csv. */
static bool is_file_extension(const char *s) {
  static const char *const exts[] = {
      "csv", "tsv", "txt", "tbl", "dat", "parquet", "json", "jsonl", "ndjson",
      "gz", "gzip", "zst", "zstd", "bz2", "xz", "lz4", "snappy", "xlsx", "xls",
      "avro", "arrow", "feather", "ipc", "orc", "db", "duckdb", "ddb",
      "sqlite", "sqlite3", "shp", "geojson", "gpkg", "fgb", "kml", "gpx",
      "vortex", "lance", "iceberg", "delta", "blob", "bin"};
  for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
    if (strcasecmp(s, exts[i]) == 0) return true;
  return false;
}

static void check_table(gate *g, const uf_node *t, const uf_node *parent,
                        uf_slot slot) {
  const uf_node *x = uf_get(t, UF_SLOT_THIS);
  if (uf_is(x, UF_STRING)) {
    check_location(g, x, x->text, "read");
    return;
  }
  if (!uf_is(x, UF_IDENT)) return;
  if (is_target_slot(parent, slot) || (parent && parent->kind == UF_DROP))
    return;
  const uf_node *parts[3] = {uf_get(t, UF_SLOT_CATALOG), uf_get(t, UF_SLOT_DB),
                             x};
  /* the engine joins the parts with '.' to name the file */
  char joined[PATH_MAX];
  size_t n = 0;
  bool filey = false, qualified = false;
  for (int i = 0; i < 3; i++) {
    if (!uf_is(parts[i], UF_IDENT)) continue;
    if (i < 2) qualified = true;
    filey |= looks_like_file(parts[i]->text);
    int w = snprintf(joined + n, sizeof joined - n, "%s%s", n ? "." : "",
                     parts[i]->text);
    if (w < 0 || (size_t)w >= sizeof joined - n) {
      violate(g, t, "location.dynamic", "table name too long to check");
      return;
    }
    n += (size_t)w;
  }
  if (qualified && is_file_extension(x->text)) filey = true;
  if (filey) check_location(g, t, joined, "read");
}

/* -- statements ----------------------------------------------------------- */

static void check_statement_class(gate *g, const uf_node *n) {
  uf_stmt_class c = uf_classify_statement(n);
  if (c == UF_STMT_UNKNOWN) return;
  if (g->p->allowed_classes & UF_STMT_BIT(c)) return;
  violate(g, n, class_rules[c], "%s statement (%s) is not allowed",
          uf_kind_name((uf_kind)n->kind), class_names[c]);
}

/* Locations a statement reads or writes by itself. */
static void check_statement_locations(gate *g, const uf_node *n) {
  const uf_node *loc = uf_get(n, UF_SLOT_LOCATION);
  switch ((uf_kind)n->kind) {
  case UF_COPY:
    if (uf_is(loc, UF_VAR)) return; /* STDIN / STDOUT */
    check_location_node(g, n, loc,
                        strcasecmp(n->text, "FROM") == 0 ? "read" : "write");
    return;
  case UF_EXPORT_DATABASE: check_location_node(g, n, loc, "write"); return;
  case UF_IMPORT_DATABASE:
  case UF_CREATE_EXTERNAL_TABLE:
    check_location_node(g, n, loc, "read");
    return;
  case UF_ATTACH:
    /* ':memory:' and '' attach nothing on disk */
    if (uf_is(loc, UF_STRING) &&
        (loc->text[0] == '\0' || strcmp(loc->text, ":memory:") == 0))
      return;
    check_location_node(g, n, loc, "write");
    return;
  case UF_LOAD: {
    const uf_node *name = uf_get(n, UF_SLOT_NAME);
    if (uf_is(name, UF_STRING) && looks_like_file(name->text))
      check_location(g, name, name->text, "read");
    return;
  }
  case UF_INSTALL: {
    const uf_node *from = uf_get(n, UF_SLOT_FROM);
    const uf_node *name = uf_get(n, UF_SLOT_NAME);
    if (uf_is(from, UF_STRING)) check_location(g, from, from->text, "read");
    else if (from && !uf_is(from, UF_IDENT) && !uf_is(from, UF_VAR))
      check_location_node(g, n, from, "read");
    if (uf_is(name, UF_STRING) && looks_like_file(name->text))
      check_location(g, name, name->text, "read");
    return;
  }
  default:
    return;
  }
}

/* -- the walk ------------------------------------------------------------- */

#define MAX_WALK_DEPTH (UF_MAX_TREE_DEPTH + 64)

static bool walk(gate *g, const uf_node *n, const uf_node *parent,
                 uf_slot slot, uint32_t depth) {
  if (!n) return true;
  if (depth > MAX_WALK_DEPTH) return false;
  uf_category cat = uf_kind_category((uf_kind)n->kind);
  if (cat == UF_CAT_STMT || (cat == UF_CAT_QUERY && uf_get(n, UF_SLOT_INTO))) {
    check_statement_class(g, n);
    check_statement_locations(g, n);
  }
  if (n->kind == UF_FUNC) check_function(g, n, parent);
  else if (n->kind == UF_TABLE) check_table(g, n, parent, slot);
  bool list = n->kind == UF_LIST || n->kind == UF_SCRIPT;
  for (uint32_t i = 0; i < n->nkids; i++) {
    uf_slot s = list ? slot : uf_kind_slot_at((uf_kind)n->kind, i);
    const uf_node *p = list ? parent : n;
    if (!walk(g, n->kids[i], p, s, depth + 1)) return false;
  }
  return true;
}

uf_status uf_safety_check(const uf_node *input, const uf_exec_policy *p,
                          uf_violations **out, uf_error *err) {
  if (out) *out = NULL;
  if (!input || !p)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "input or policy is NULL");
  gate g = {.p = p};
  g.out = calloc(1, sizeof *g.out);
  g.roots = calloc(MAX_ROOTS, sizeof *g.roots);
  if (!g.out || !g.roots) {
    free(g.out);
    free(g.roots);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  if (!getcwd(g.cwd, sizeof g.cwd)) snprintf(g.cwd, sizeof g.cwd, "/");
  prepare_roots(&g);

  bool script = input->kind == UF_SCRIPT;
  if (script && p->max_statements && input->nkids > p->max_statements) {
    for (uint32_t i = p->max_statements; i < input->nkids; i++)
      violate(&g, input->kids[i], "statement.multiple",
              "statement %u of %u: at most %u statement%s allowed", i + 1,
              input->nkids, p->max_statements,
              p->max_statements == 1 ? " is" : "s are");
  }
  bool depth_ok = walk(&g, input, NULL, UF_SLOT_COUNT, 0);
  free(g.roots);
  uf_status st = UF_OK;
  if (!depth_ok) {
    st = uf_error_set(err, UF_LIMIT_EXCEEDED,
                      "safety check: tree deeper than %d", MAX_WALK_DEPTH);
  } else if (g.oom) {
    st = uf_error_set(err, UF_NOMEM, "out of memory");
  } else if (g.out->n) {
    const uf_violation *v = &g.out->v[0];
    st = uf_error_set(err, UF_POLICY,
                      "policy violation: %s at %u:%u: %s (%zu violation%s)",
                      v->rule, v->line, v->column, v->message, g.out->n,
                      g.out->n == 1 ? "" : "s");
    if (err) {
      err->line = v->line;
      err->column = v->column;
    }
    if (out) {
      *out = g.out;
      return st;
    }
  }
  uf_violations_free(g.out);
  return st;
}
