/*
 * unifier query: runs SQL on an engine session and streams the result.
 *
 *   parse -> safety gate (policy, on the user's AST) -> session (profile:
 *   only the named locations reachable) -> sources registered through the
 *   IO adapter -> parameters -> compile (uf_compile_ast against the
 *   session's own tables, from its catalog snapshot) ->
 *   uf_engine_execute_compiled (the gate again, on the compiled AST) ->
 *   output written batch by batch.
 *
 * The compile policy reads and writes duckdb with validation off: a table
 * or column the schema does not know (table functions, tables a script
 * creates, generated data) is a qualification issue recorded in the
 * diagnostics, and the engine decides. Under --policy admin every
 * statement is compiled just before it runs, against the tables the
 * statements before it left.
 *
 * Parquet output is a COPY (query) TO 'path' (FORMAT PARQUET) built as an
 * AST around the compiled query and run through the engine; the user's
 * query and the compiled one are checked under the user's policy first.
 *
 * Exit: 0 success, 1 query error, 2 usage error, 3 policy violation,
 * 130 interrupted (Ctrl-C).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/compile_sources.h"
#include "cli/out.h"
#include "cli/query_watch.h"

enum { EXIT_POLICY = 3, EXIT_INTERRUPTED = 130 };

const cli_spec CLI_QUERY = {
    "query", "run SQL on the engine and print or write the result",
    "query [--source NAME=LOCATION]... [--param NAME[:TYPE]=VALUE]...\n"
    "             [--policy query-only|query-with-temp|full-ddl|full-dml|admin]\n"
    "             [--format table|csv|json|parquet] [-o PATH]\n"
    "             [--diagnostics PATH] (SQL | -f FILE)\n"
    "\n"
    "Runs one query (more statements only under --policy admin) and streams\n"
    "its result.\n"
    "  --source NAME=LOCATION  register a Parquet/CSV/JSON file, directory or\n"
    "                          glob as table NAME (format from the extension;\n"
    "                          hive partitions discovered)\n"
    "  --param NAME=VALUE      bind $NAME (type inferred; NAME:TYPE=VALUE to\n"
    "                          force BIGINT, DOUBLE, DECIMAL(W,S), VARCHAR,\n"
    "                          BOOLEAN, DATE, TIME, TIMESTAMP, BLOB, NULL)\n"
    "  --policy P              what the SQL may do (default query-only)\n"
    "  --format F              table (default on a terminal), csv (default\n"
    "                          otherwise), json (JSON Lines), parquet (needs -o)\n"
    "  -o, --output PATH       write the result to PATH (format from its\n"
    "                          extension unless --format is given)\n"
    "  --diagnostics PATH      append diagnostics records (JSON Lines) to PATH\n"
    "  -f, --file FILE         read the SQL from FILE ('-' = standard input)\n"
    "  --help, --version\n"
    "Exit status: 0 success, 1 query error, 2 usage error, 3 policy\n"
    "violation, 130 interrupted.",
    0};

#define MAX_SOURCES 64

typedef struct source {
  const char *name;
  char location[PATH_MAX]; /* absolute */
  char root[PATH_MAX];     /* directory the engine may read */
} source;

typedef struct query_args {
  source sources[MAX_SOURCES];
  size_t nsources;
  const char *params[256];
  size_t nparams;
  uf_policy_preset policy;
  bool have_format;
  out_format format;
  const char *output;       /* -o */
  char output_abs[PATH_MAX];
  char output_dir[PATH_MAX];
  const char *diagnostics;
  const char *file;         /* -f */
  const char *sql;          /* positional */
} query_args;

static int usage(const char *fmt, const char *arg) {
  fprintf(stderr, "unifier query: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  cli_print_usage(&CLI_QUERY, stderr);
  return CLI_EXIT_USAGE;
}

/* -- paths ------------------------------------------------------------------- */

static bool has_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

/* Absolute form of path (which need not exist: only the part before the
 * first glob character or the parent directory is resolved). */
static bool absolute_path(const char *path, char out[PATH_MAX]) {
  if (path[0] == '/') {
    if (strlen(path) >= PATH_MAX) return false;
    strcpy(out, path);
    return true;
  }
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return false;
  int n = snprintf(out, PATH_MAX, "%s/%s", cwd, path);
  return n > 0 && n < PATH_MAX;
}

/* The directory a location lives in (the location itself for a directory;
 * the part before the first glob character's segment for a glob). */
static void location_root(const char *loc, char out[PATH_MAX]) {
  struct stat st;
  strcpy(out, loc);
  if (!has_glob(loc) && stat(loc, &st) == 0 && S_ISDIR(st.st_mode)) return;
  char *g = strpbrk(out, "*?[");
  if (g) *g = '\0';
  char *slash = strrchr(out, '/');
  if (slash && slash != out) *slash = '\0';
  else if (slash) slash[1] = '\0';
}

static int parse_source(query_args *a, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg || !eq[1])
    return usage("--source needs NAME=LOCATION, got '%s'", arg);
  if (a->nsources == MAX_SOURCES) return usage("too many --source options%s", "");
  source *s = &a->sources[a->nsources];
  size_t nl = (size_t)(eq - arg);
  char *name = malloc(nl + 1);
  if (!name) return usage("out of memory%s", "");
  memcpy(name, arg, nl);
  name[nl] = '\0';
  s->name = name;
  a->nsources++;
  if (!uf_param_name_valid(name))
    return usage("--source: invalid table name '%s'", name);
  if (!absolute_path(eq + 1, s->location))
    return usage("--source: path too long: %s", eq + 1);
  struct stat st;
  if (!has_glob(s->location) && stat(s->location, &st) != 0) {
    fprintf(stderr, "unifier query: --source %s: cannot access %s: %s\n", name,
            eq + 1, strerror(errno));
    return CLI_EXIT_USAGE;
  }
  location_root(s->location, s->root);
  return -1;
}

static bool format_from_extension(const char *path, out_format *out) {
  const char *dot = strrchr(path, '.');
  if (!dot || strchr(dot, '/')) return false;
  if (strcmp(dot, ".parquet") == 0) *out = OUT_PARQUET;
  else if (strcmp(dot, ".csv") == 0) *out = OUT_CSV;
  else if (strcmp(dot, ".json") == 0 || strcmp(dot, ".jsonl") == 0 ||
           strcmp(dot, ".ndjson") == 0)
    *out = OUT_JSON;
  else return false;
  return true;
}

/* -- options ------------------------------------------------------------------ */

/* "--name V", "--name=V" or (short) "-o V"; NULL when the value is missing. */
static const char *opt_value(int argc, char **argv, int *i, const char *name) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (a[n] == '=') return a + n + 1;
  if (*i + 1 >= argc) return NULL;
  return argv[++*i];
}

static bool is_opt(const char *a, const char *name) {
  size_t n = strlen(name);
  return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/* One option; -1 to continue or an exit code. */
static int parse_option(query_args *a, int argc, char **argv, int *i) {
  const char *arg = argv[*i], *v;
  if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
    cli_print_usage(&CLI_QUERY, stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(arg, "--version") == 0) {
    cli_print_version(stdout);
    return CLI_EXIT_OK;
  }
  static const char *const WITH_VALUE[] = {
      "--source", "--param", "--policy", "--format", "--output", "-o",
      "--diagnostics", "--file", "-f"};
  const char *which = NULL;
  for (size_t k = 0; k < sizeof WITH_VALUE / sizeof *WITH_VALUE; k++)
    if (is_opt(arg, WITH_VALUE[k])) which = WITH_VALUE[k];
  if (!which) return usage("unknown option '%s'", arg);
  if (!(v = opt_value(argc, argv, i, which)))
    return usage("option %s needs a value", which);
  if (strcmp(which, "--source") == 0) return parse_source(a, v);
  if (strcmp(which, "--param") == 0) {
    if (a->nparams == sizeof a->params / sizeof *a->params)
      return usage("too many --param options%s", "");
    a->params[a->nparams++] = v;
  } else if (strcmp(which, "--policy") == 0) {
    uf_error err;
    if (uf_policy_preset_parse(v, &a->policy, &err) != UF_OK)
      return usage("unknown policy '%s' (query-only, query-with-temp, "
                   "full-ddl, full-dml, admin)", v);
  } else if (strcmp(which, "--format") == 0) {
    if (!out_format_parse(v, &a->format))
      return usage("unknown format '%s' (table, csv, json, parquet)", v);
    a->have_format = true;
  } else if (strcmp(which, "--output") == 0 || strcmp(which, "-o") == 0) {
    a->output = v;
  } else if (strcmp(which, "--diagnostics") == 0) {
    a->diagnostics = v;
  } else {
    a->file = v;
  }
  return -1;
}

static int parse_args(query_args *a, int argc, char **argv) {
  bool options = true;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (options && strcmp(arg, "--") == 0) { options = false; continue; }
    if (options && arg[0] == '-' && arg[1] != '\0') {
      int rc = parse_option(a, argc, argv, &i);
      if (rc >= 0) return rc;
      continue;
    }
    if (a->sql) return usage("unexpected argument '%s' (quote the SQL)", arg);
    a->sql = arg;
  }
  if (!a->sql == !a->file)
    return usage(a->sql ? "give the SQL or -f FILE, not both%s"
                        : "no SQL given (SQL or -f FILE)%s", "");
  if (a->output && !a->have_format &&
      format_from_extension(a->output, &a->format))
    a->have_format = true;
  if (!a->have_format)
    a->format = !a->output && isatty(STDOUT_FILENO) ? OUT_TABLE : OUT_CSV;
  if (a->format == OUT_PARQUET && !a->output)
    return usage("--format parquet needs -o PATH%s", "");
  if (a->output) {
    if (!absolute_path(a->output, a->output_abs))
      return usage("output path too long: %s", a->output);
    strcpy(a->output_dir, a->output_abs);
    *strrchr(a->output_dir, '/') = '\0';
    if (!a->output_dir[0]) strcpy(a->output_dir, "/");
  }
  return -1;
}

/* -- reading the SQL -------------------------------------------------------- */

static char *read_all(FILE *f, size_t *len) {
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n < cap - 1) break;
    char *g = realloc(buf, cap * 2);
    if (!g) { free(buf); buf = NULL; break; }
    buf = g;
    cap *= 2;
  }
  if (buf) buf[n] = '\0';
  *len = n;
  return buf;
}

/* The SQL text (malloc'd) and its display name; NULL + exit code in *rc. */
static char *load_sql(const query_args *a, size_t *len, const char **display,
                      int *rc) {
  if (a->sql) {
    *display = "<query>";
    *len = strlen(a->sql);
    char *s = malloc(*len + 1);
    if (s) memcpy(s, a->sql, *len + 1);
    else *rc = CLI_EXIT_FAILED;
    return s;
  }
  bool std_in = strcmp(a->file, "-") == 0;
  *display = std_in ? "<stdin>" : a->file;
  FILE *f = std_in ? stdin : fopen(a->file, "rb");
  if (!f) {
    fprintf(stderr, "unifier: cannot open %s: %s\n", a->file, strerror(errno));
    *rc = CLI_EXIT_USAGE;
    return NULL;
  }
  char *s = read_all(f, len);
  if (!std_in) fclose(f);
  if (!s) *rc = CLI_EXIT_FAILED;
  return s;
}

/* -- the run ---------------------------------------------------------------- */

typedef struct run {
  const query_args *a;
  const char *display;
  cli_opts shown;          /* for cli_print_error */
  uf_tree *tree;
  uf_recorder *rec;
  uf_engine *e;
  uf_io *io;
  uf_bindings *params;
  query_watch *watch;
  const char *roots[MAX_SOURCES + 2];
  uf_exec_policy pol;                /* the user's policy, --source roots */
  const char *pol_roots[MAX_SOURCES];
  uf_catalog_cache *cat;             /* the session's catalog */
  uf_schema *schema;                 /* compile schema of snapshot ... */
  uint64_t schema_version;           /* ... with this version, */
  const uf_catalog *schema_cat;      /* ... held: its functions type calls */
} run;

static void print_err(run *r, const uf_error *err) {
  fflush(stdout);
  cli_print_error(&r->shown, err);
}

/* Exit code for a failed step. */
static int fail(run *r, const uf_error *err) {
  if (query_watch_interrupted()) {
    query_watch_stop(r->watch);
    r->watch = NULL;
    fprintf(stderr, "unifier query: interrupted\n");
    return EXIT_INTERRUPTED;
  }
  query_watch_quiet(r->watch);
  print_err(r, err);
  return err->code == UF_POLICY ? EXIT_POLICY : CLI_EXIT_FAILED;
}

/* Every violation as FILE:LINE:COL: rule: message. */
static int report_violations(run *r, const uf_violations *v,
                             const uf_error *err) {
  size_t n = uf_violations_count(v);
  if (n == 0) {
    print_err(r, err);
    return EXIT_POLICY;
  }
  for (size_t i = 0; i < n; i++) {
    const uf_violation *x = uf_violations_at(v, i);
    if (x->line)
      fprintf(stderr, "%s:%u:%u: %s: %s\n", r->display, x->line, x->column,
              x->rule, x->message);
    else
      fprintf(stderr, "%s: %s: %s\n", r->display, x->rule, x->message);
  }
  fprintf(stderr, "unifier query: refused by policy %s (%zu violation%s)\n",
          uf_policy_preset_name(r->a->policy), n, n == 1 ? "" : "s");
  return EXIT_POLICY;
}

/* The user's policy; the locations named with --source are allowed roots. */
static void make_policy(run *r) {
  r->pol = uf_policy_preset_get(r->a->policy);
  for (size_t i = 0; i < r->a->nsources; i++)
    r->pol_roots[i] = r->a->sources[i].root;
  if (r->a->nsources) {
    r->pol.roots = r->pol_roots;
    r->pol.nroots = r->a->nsources;
  }
}

static int check_policy(run *r, const uf_node *script) {
  uf_violations *v = NULL;
  uf_error err;
  uf_error_clear(&err);
  uf_status st = uf_safety_check(script, &r->pol, &v, &err);
  int rc = -1;
  if (st == UF_POLICY) rc = report_violations(r, v, &err);
  else if (st != UF_OK) rc = fail(r, &err);
  uf_violations_free(v);
  return rc;
}

static int open_session(run *r) {
  const query_args *a = r->a;
  uf_error err;
  uf_error_clear(&err);
  size_t n = 0;
  for (size_t i = 0; i < a->nsources; i++) r->roots[n++] = a->sources[i].root;
  if (a->output && a->format == OUT_PARQUET) r->roots[n++] = a->output_dir;
  r->roots[n] = NULL;
  if (a->diagnostics) {
    uf_diag_sink *sink = NULL;
    if (uf_recorder_new(&r->rec, &err) != UF_OK ||
        uf_diag_jsonl_sink_open(a->diagnostics, false, &sink, &err) != UF_OK ||
        uf_recorder_add_sink(r->rec, sink, true, &err) != UF_OK) {
      fprintf(stderr, "unifier query: --diagnostics %s: %s\n", a->diagnostics,
              err.message);
      return CLI_EXIT_USAGE;
    }
  }
  uf_runtime_profile prof;
  memset(&prof, 0, sizeof prof);
  prof.allowed_directories = n ? r->roots : NULL;
  /* the engine's own walls mirror the policy (defence in depth) */
  uf_exec_policy pol = uf_policy_preset_get(a->policy);
  prof.allow_external_access = pol.any_location;
  prof.allow_remote = pol.allow_remote;
  prof.recorder = r->rec;
  if (uf_engine_open(&prof, &r->e, &err) != UF_OK) return fail(r, &err);
  uf_io_options io = {.recorder = r->rec};
  if (uf_io_new(r->e, &io, &r->io, &err) != UF_OK) return fail(r, &err);
  return -1;
}

static int register_sources(run *r) {
  for (size_t i = 0; i < r->a->nsources; i++) {
    const source *s = &r->a->sources[i];
    uf_error err;
    uf_error_clear(&err);
    if (uf_io_register_location(r->io, s->name, s->location,
                                UF_IO_FORMAT_AUTO, &err) != UF_OK) {
      if (query_watch_interrupted()) return fail(r, &err);
      fprintf(stderr, "unifier query: --source %s=%s: %s\n", s->name,
              s->location, err.message);
      return err.code == UF_POLICY ? EXIT_POLICY : CLI_EXIT_FAILED;
    }
  }
  return -1;
}

static int bind_params(run *r) {
  uf_error err;
  uf_error_clear(&err);
  if (uf_bindings_new(&r->params, &err) != UF_OK) return fail(r, &err);
  for (size_t i = 0; i < r->a->nparams; i++)
    if (uf_bindings_parse_arg(r->params, r->a->params[i], &err) != UF_OK) {
      fprintf(stderr, "unifier query: --param %s: %s\n", r->a->params[i],
              err.message);
      return CLI_EXIT_USAGE;
    }
  return -1;
}

/* Records the output as a "write" artifact. */
static void record_write(run *r, const char *fp, int64_t rows, int64_t bytes,
                         double ms, const uf_error *err) {
  if (!r->rec) return;
  uf_diag_write w = {
      .destination = r->a->output ? r->a->output_abs : "-",
      .format = out_format_name(r->a->format),
      .mode = "overwrite",
      .fingerprint = fp,
      .rows = rows,
      .bytes = bytes,
      .files = r->a->output ? 1 : 0,
      .duration_ms = ms,
      .error = err ? err->message : NULL,
      .error_code = err ? uf_status_name(err->code) : NULL};
  uf_record_write(r->rec, &w, NULL);
}

/* -- compiling ---------------------------------------------------------------- */

/* The compile schema: the tables and views this session sees now (the
 * sources, what earlier statements of a script created), converted from
 * its catalog snapshot; rebuilt only when the snapshot changes. */
static uf_status session_schema(run *r, uf_error *err) {
  uf_status st = UF_OK;
  if (!r->cat) {
    uf_catalog_options co = {.skip_settings = true};
    st = uf_catalog_cache_new(r->e, &co, NULL, &r->cat, err);
  }
  const uf_catalog *cat = NULL;
  if (st == UF_OK) st = uf_catalog_cache_get(r->cat, &cat, err);
  if (st == UF_OK && (!r->schema || cat->version != r->schema_version)) {
    uf_schema *fresh = NULL;
    st = uf_schema_new(uf_dialect_duckdb(), &fresh, err);
    if (st == UF_OK) st = compile_sources_add_catalog(fresh, cat, err);
    if (st == UF_OK) st = compile_sources_add_functions(fresh, cat, err);
    if (st == UF_OK) {
      uf_schema_free(r->schema);
      uf_catalog_release(r->schema_cat);
      r->schema = fresh;
      r->schema_version = cat->version;
      r->schema_cat = uf_catalog_retain(cat);
    } else {
      uf_schema_free(fresh);
    }
  }
  uf_catalog_release(cat);
  return st;
}

/* Qualification issues do not stop a query (validation is off): each one
 * becomes a "compile.issue" event in the diagnostics. */
static void record_issues(run *r, const uf_compiled_query *q) {
  static const char *const KIND[] = {"unknown_column", "ambiguous_column",
                                     "unknown_table", "invalid"};
  for (size_t i = 0; r->rec && i < q->artifacts.nissues; i++) {
    const uf_qualify_issue *x = &q->artifacts.issues[i];
    char line[24], col[24];
    snprintf(line, sizeof line, "%u", (unsigned)x->error.line);
    snprintf(col, sizeof col, "%u", (unsigned)x->error.column);
    const char *fields[] = {"kind", (unsigned)x->kind < 4 ? KIND[x->kind] : "invalid",
                            "name", x->name ? x->name : "",
                            "line", line, "column", col,
                            "fingerprint", q->artifacts.fingerprint};
    uf_record_event(r->rec, "compile.issue", x->error.message, 5, fields, NULL);
  }
}

/* The SELECT whose items name a query's output columns. */
static uf_node *output_select(uf_node *q) {
  while (q && (q->kind == UF_SET_OP || q->kind == UF_QUERY_PAREN))
    q = uf_get(q, q->kind == UF_SET_OP ? UF_SLOT_LEFT : UF_SLOT_THIS);
  return uf_is(q, UF_SELECT) ? q : NULL;
}

/* Compilation names every output column (`count(*)` becomes `_col_0`); the
 * user expects the engine's own names (`count_star()`). So expressions the
 * user left unnamed get, before compiling, an alias with the name the
 * engine gives them (found by preparing the user's query). Returns a new
 * tree in *out_tree, or NULL when nothing needs naming. Best effort: any
 * failure leaves the query as it is. */
static const uf_node *keep_engine_names(run *r, const uf_node *stmt, uf_tree **out_tree) {
  *out_tree = NULL;
  uf_node *sel = output_select((uf_node *)stmt);
  uf_node *items = sel ? uf_get(sel, UF_SLOT_EXPRS) : NULL;
  if (!items) return stmt;
  bool unnamed = false;
  for (uint32_t i = 0; i < items->nkids; i++) {
    uf_kind k = (uf_kind)items->kids[i]->kind;
    if (k == UF_STAR || k == UF_COLUMNS_EXPR) return stmt; /* positions unknown */
    if (k != UF_ALIAS && k != UF_COLUMN) unnamed = true;
  }
  if (!unnamed) return stmt;
  char **names = NULL;
  size_t n = 0;
  if (uf_engine_output_names(r->e, stmt, &names, &n, NULL) != UF_OK) return stmt;
  uf_tree *t = n == items->nkids ? uf_tree_new() : NULL;
  uf_node *copy = t ? uf_node_copy(t, stmt) : NULL;
  uf_node *csel = copy ? output_select(copy) : NULL;
  uf_node *citems = csel ? uf_get(csel, UF_SLOT_EXPRS) : NULL;
  bool ok = citems != NULL;
  for (uint32_t i = 0; ok && i < citems->nkids; i++) {
    uf_node *it = citems->kids[i];
    if (it->kind == UF_ALIAS || it->kind == UF_COLUMN) continue;
    uf_node *a = uf_node_new(t, UF_ALIAS);
    uf_node *id = uf_node_new_text(t, UF_IDENT, names[i], strlen(names[i]));
    ok = a && id && uf_set(a, UF_SLOT_THIS, it, NULL) == UF_OK &&
         uf_set(a, UF_SLOT_ALIAS, id, NULL) == UF_OK;
    if (ok) {
      id->style |= UF_IDENT_WRITTEN_QUOTED;
      id->flags |= UF_F_QUOTED; /* the engine's exact spelling */
      a->line = it->line, a->col = it->col, a->offset = it->offset;
      citems->kids[i] = a;
    }
  }
  uf_engine_names_free(names, n);
  if (!ok) {
    uf_tree_free(t);
    return stmt;
  }
  uf_tree_set_root(t, copy);
  *out_tree = t;
  return copy;
}

/* Compiles one statement of the user's script through the compile lane
 * (the compilation record goes to the diagnostics); -1 or an exit code. */
static int compile_stmt(run *r, const uf_node *stmt, uf_compiled_query **out) {
  uf_error err;
  uf_error_clear(&err);
  uf_policy pol;
  uf_policy_default(&pol);
  pol.read = uf_dialect_duckdb(); /* the input's dialect */
  pol.write = uf_dialect_duckdb();
  pol.validate = false;
  uf_status st = session_schema(r, &err);
  uf_tree *named = NULL;
  if (st == UF_OK) {
    const uf_node *input = keep_engine_names(r, stmt, &named);
    st = uf_compile_ast(input, &pol, r->schema, r->rec, out, &err);
  }
  uf_tree_free(named);
  if (st != UF_OK) return fail(r, &err);
  record_issues(r, *out);
  return -1;
}

/* A failed compiled query: the error, then the qualification issues the
 * compile lane found (an unknown column or table usually explains the
 * engine's message) as notes at their positions in the user's text. */
static int fail_compiled(run *r, const uf_compiled_query *q,
                         const uf_error *err) {
  int rc = fail(r, err);
  if (rc != CLI_EXIT_FAILED) return rc;
  for (size_t i = 0; i < q->artifacts.nissues; i++) {
    const uf_error *x = &q->artifacts.issues[i].error;
    if (x->line)
      fprintf(stderr, "%s:%u:%u: note: %s\n", r->display, (unsigned)x->line,
              (unsigned)x->column, x->message);
    else
      fprintf(stderr, "%s: note: %s\n", r->display, x->message);
  }
  return rc;
}

/* The compiled query under the user's policy before it is wrapped in the
 * COPY the engine then runs as a trusted statement. */
static int check_compiled(run *r, const uf_compiled_query *q) {
  uf_violations *v = NULL;
  uf_error err;
  uf_error_clear(&err);
  uf_status st = uf_safety_check(q->ast, &r->pol, &v, &err);
  int rc = -1;
  if (st == UF_POLICY) rc = report_violations(r, v, &err);
  else if (st != UF_OK) rc = fail(r, &err);
  uf_violations_free(v);
  return rc;
}

/* COPY (query) TO 'path' (FORMAT PARQUET), built around the compiled
 * query's AST. */
static int run_parquet(run *r, uf_compiled_query *q) {
  const char *fp = q->artifacts.fingerprint;
  int rc = check_compiled(r, q);
  if (rc >= 0) return rc;
  uf_error err;
  uf_error_clear(&err);
  uf_node *copy = uf_b_copy_to(q->tree, (uf_node *)q->ast, r->a->output_abs,
                               "PARQUET", NULL);
  if (!copy) {
    uf_error_set(&err, UF_NOMEM, "cannot build the COPY statement");
    return fail(r, &err);
  }
  uf_exec_options eo = {.label = "query"};
  uint64_t rows = 0;
  double t0 = uf_diag_now_ms();
  uf_status st = uf_engine_run(r->e, copy, r->params, &eo, &rows, &err);
  struct stat sb;
  int64_t bytes = st == UF_OK && stat(r->a->output_abs, &sb) == 0
                      ? (int64_t)sb.st_size : -1;
  record_write(r, fp, st == UF_OK ? (int64_t)rows : -1, bytes,
               uf_diag_now_ms() - t0, st == UF_OK ? NULL : &err);
  return st == UF_OK ? -1 : fail_compiled(r, q, &err);
}

/* Reads the stream to its end through the writer. */
static uf_status pump(run *r, struct ArrowArrayStream *s, int fd,
                      out_writer **wout, uf_error *err) {
  struct ArrowSchema schema;
  memset(&schema, 0, sizeof schema);
  int rc = s->get_schema(s, &schema);
  if (rc != 0) {
    const char *m = s->get_last_error ? s->get_last_error(s) : NULL;
    return uf_error_set(err, UF_ENGINE, "%s", m ? m : strerror(rc));
  }
  out_writer_options wo = {.format = r->a->format, .fd = fd};
  uf_status st = out_writer_new(&wo, &schema, wout, err);
  bool tty = isatty(fd);
  while (st == UF_OK) {
    struct ArrowArray batch;
    memset(&batch, 0, sizeof batch);
    rc = s->get_next(s, &batch);
    if (rc != 0) {
      const char *m = s->get_last_error ? s->get_last_error(s) : NULL;
      st = uf_error_set(err, UF_ENGINE, "%s", m ? m : strerror(rc));
      break;
    }
    if (!batch.release) break;
    if (tty) query_watch_quiet(r->watch);
    st = out_writer_batch(*wout, &batch, err);
    batch.release(&batch);
  }
  if (st == UF_OK) {
    if (tty) query_watch_quiet(r->watch);
    st = out_writer_finish(*wout, err);
  }
  if (schema.release) schema.release(&schema);
  return st;
}

static int open_output(const char *path) {
  return open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

static int run_stream(run *r, const uf_compiled_query *q) {
  const char *fp = q->artifacts.fingerprint;
  uf_error err;
  uf_error_clear(&err);
  int fd = STDOUT_FILENO;
  if (r->a->output) {
    fd = open_output(r->a->output_abs);
    if (fd < 0) {
      fprintf(stderr, "unifier query: cannot write %s: %s\n", r->a->output,
              strerror(errno));
      return CLI_EXIT_FAILED;
    }
  }
  fflush(stdout);
  struct ArrowArrayStream s;
  memset(&s, 0, sizeof s);
  uf_exec_options eo = {.label = "query", .policy = &r->pol};
  double t0 = uf_diag_now_ms();
  out_writer *w = NULL;
  uf_status st = uf_engine_execute_compiled(r->e, q, r->params, &eo, &s, &err);
  if (st == UF_OK) st = pump(r, &s, fd, &w, &err);
  if (s.release) s.release(&s);
  record_write(r, fp, w ? (int64_t)out_writer_rows(w) : -1,
               w ? (int64_t)out_writer_bytes(w) : -1, uf_diag_now_ms() - t0,
               st == UF_OK ? NULL : &err);
  out_writer_free(w);
  if (fd != STDOUT_FILENO && close(fd) != 0 && st == UF_OK)
    st = uf_error_set(&err, UF_IO, "closing %s: %s", r->a->output,
                      strerror(errno));
  return st == UF_OK ? -1 : fail_compiled(r, q, &err);
}

/* Statements before the last one (admin scripts): each compiled against
 * the tables the ones before it left, then run to completion. */
static int run_leading(run *r, const uf_node *script) {
  for (uint32_t i = 0; i + 1 < script->nkids; i++) {
    uf_compiled_query *q = NULL;
    int rc = compile_stmt(r, script->kids[i], &q);
    if (rc >= 0) return rc;
    uf_error err;
    uf_error_clear(&err);
    uf_exec_options eo = {.label = "query", .policy = &r->pol};
    uf_status st = uf_engine_run(r->e, q->ast, r->params, &eo, NULL, &err);
    rc = st == UF_OK ? -1 : fail_compiled(r, q, &err);
    uf_compiled_query_free(q);
    if (rc >= 0) return rc;
  }
  return -1;
}

static int parse_sql(run *r, const char *sql, size_t len) {
  uf_error err;
  uf_error_clear(&err);
  uf_parse_options po = {.dialect = uf_dialect_duckdb()};
  if (uf_parse(sql, len, &po, &r->tree, &err) != UF_OK) {
    print_err(r, &err);
    return CLI_EXIT_FAILED;
  }
  if (uf_tree_root(r->tree)->nkids == 0) {
    fprintf(stderr, "%s: no statement to run\n", r->display);
    return CLI_EXIT_FAILED;
  }
  return -1;
}

/* The last statement: compiled, then streamed or written as Parquet. */
static int run_last(run *r, const uf_node *stmt) {
  uf_compiled_query *q = NULL;
  int rc = compile_stmt(r, stmt, &q);
  if (rc >= 0) return rc;
  rc = r->a->format == OUT_PARQUET ? run_parquet(r, q) : run_stream(r, q);
  uf_compiled_query_free(q);
  return rc;
}

static int query_main(run *r, const char *sql, size_t len) {
  int rc = parse_sql(r, sql, len);
  if (rc >= 0) return rc;
  uf_node *script = uf_tree_root(r->tree);
  make_policy(r);
  /* the gate first, on the user's AST: nothing is opened for a refused
   * query */
  if ((rc = check_policy(r, script)) >= 0) return rc;
  if ((rc = open_session(r)) >= 0) return rc;
  if ((rc = bind_params(r)) >= 0) return rc;
  r->watch = query_watch_start(r->e, isatty(STDERR_FILENO));
  if ((rc = register_sources(r)) >= 0) return rc;
  if ((rc = run_leading(r, script)) >= 0) return rc;
  if ((rc = run_last(r, script->kids[script->nkids - 1])) >= 0) return rc;
  if (query_watch_interrupted()) {
    fprintf(stderr, "unifier query: interrupted\n");
    return EXIT_INTERRUPTED;
  }
  return CLI_EXIT_OK;
}

static void run_free(run *r) {
  query_watch_stop(r->watch);
  uf_schema_free(r->schema);
  uf_catalog_release(r->schema_cat);
  uf_catalog_cache_free(r->cat);
  uf_io_free(r->io);
  uf_bindings_free(r->params);
  uf_engine_close(r->e);
  uf_recorder_free(r->rec);
  uf_tree_free(r->tree);
}

int cmd_query(int argc, char **argv) {
  query_args *a = calloc(1, sizeof *a);
  if (!a) return CLI_EXIT_FAILED;
  a->policy = UF_POLICY_QUERY_ONLY;
  int rc = parse_args(a, argc, argv);
  if (rc < 0) {
    size_t len = 0;
    const char *display = NULL;
    char *sql = load_sql(a, &len, &display, &rc);
    if (sql) {
      run r;
      memset(&r, 0, sizeof r);
      r.a = a;
      r.display = display;
      r.shown.display = display;
      r.shown.read = uf_dialect_duckdb();
      query_watch_install_signal();
      rc = query_main(&r, sql, len);
      run_free(&r);
      free(sql);
    }
  }
  for (size_t i = 0; i < a->nsources; i++) free((char *)a->sources[i].name);
  free(a);
  return rc;
}
