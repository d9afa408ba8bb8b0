/*
 * unifier compile: every statement through the compile lane (qualify,
 * normalize identifiers, annotate types, ... per the policy) and printed
 * as the SQL rendered for the write dialect, or with --json one object per
 * statement per line: {"sql", "fingerprint", "policy_fingerprint",
 * "lineage", "columns", "errors", "timings"}. A failing statement prints
 * {"sql": null, ..., "errors": [...]} in --json mode so lines stay aligned
 * with statements.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/compile_sources.h"
#include "unifier/compile.h"

const cli_spec CLI_COMPILE = {
    "compile", "compile each statement (qualify, types, lineage) for the engine",
    "compile [--schema FILE.json] [--source NAME=LOCATION]... [--read D]\n"
    "                [--write D] [--policy-file FILE] [--pretty] [--identify]\n"
    "                [--json] [--keep-going] [FILE|-]\n"
    "\n"
    "Compiles each statement under the compile policy and prints the SQL\n"
    "rendered for the write dialect (the engine's: duckdb by default).\n"
    "  --schema FILE       tables and columns as JSON ({\"table\": {\"col\":\n"
    "                      \"type\"}}); unknown columns are then errors\n"
    "  --source NAME=LOC   a Parquet/CSV/JSON file, directory or glob whose\n"
    "                      schema the engine infers (table NAME); repeatable,\n"
    "                      adds to --schema\n"
    "  --read D            input dialect: duckdb (default), postgres, datafusion\n"
    "  --write D           output dialect (default duckdb)\n"
    "  --policy-file FILE  the policy as JSON (rules, identify, validate, ...);\n"
    "                      --read/--write/--pretty/--identify override it\n"
    "  --pretty            indented output\n"
    "  --identify          quote every identifier\n"
    "  --json              one JSON object per statement per line\n"
    "  --keep-going        report a failing statement and continue\n"
    "  --help, --version",
    OPT_READ | OPT_DIALECT | OPT_WRITE | OPT_PRETTY | OPT_IDENTIFY | OPT_KEEP_GOING};

typedef struct compile_ctx {
  uf_schema *schema; /* NULL without --schema */
  uf_policy policy;
  bool json;
  unsigned long written;
} compile_ctx;

static uf_status compile_one(void *vctx, const cli_opts *o, uf_node *stmt,
                             uf_error *err) {
  (void)o;
  compile_ctx *c = vctx;
  uf_compiled_query *q = NULL;
  uf_status st = uf_compile_ast(stmt, &c->policy, c->schema, NULL, &q, err);
  if (st == UF_OK && c->json) {
    char *line = NULL;
    st = uf_compiled_query_json(q, c->schema, &line, NULL, err);
    if (st == UF_OK) printf("%s\n", line);
    uf_free(line);
  } else if (st == UF_OK) {
    if (c->policy.pretty && c->written) fputc('\n', stdout);
    fputs(q->sql, stdout);
    fputs(";\n", stdout);
  }
  if (st == UF_OK) c->written++;
  uf_compiled_query_free(q);
  return st;
}

/* --json: a failed statement still gets its line. */
static void compile_fail(void *vctx, const uf_error *err) {
  compile_ctx *c = vctx;
  if (!c->json) return;
  json_t *e = json_pack("{s:s, s:s, s:I, s:I}", "kind", uf_status_name(err->code),
                        "message", err->message, "line", (json_int_t)err->line,
                        "column", (json_int_t)err->column);
  json_t *j = json_pack("{s:n, s:n, s:n, s:{}, s:[], s:[o]}", "sql", "fingerprint",
                        "policy_fingerprint", "lineage", "columns", "errors", e);
  char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  if (text) printf("%s\n", text);
  free(text);
  json_decref(j);
}

typedef struct own_opts {
  const char *schema, *policy_file, *source;
  const char **sources; /* every --source value, nsources of them */
  size_t nsources;
  bool read_given, write_given;
} own_opts;

/* Takes out the options only this command has; the rest go to
 * cli_parse_args. Returns -1 to continue or an exit code. */
static int own_options(int argc, char **argv, int *out_argc, char **out_argv,
                       own_opts *w, compile_ctx *c) {
  int n = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (cli_is_value_option(a, "--read") || cli_is_value_option(a, "--dialect"))
      w->read_given = true;
    if (cli_is_value_option(a, "--write")) w->write_given = true;
    int r = cli_take_value(&CLI_COMPILE, argc, argv, &i, "--schema", &w->schema);
    if (!r) r = cli_take_value(&CLI_COMPILE, argc, argv, &i, "--policy-file", &w->policy_file);
    if (!r) {
      r = cli_take_value(&CLI_COMPILE, argc, argv, &i, "--source", &w->source);
      if (r == 1) w->sources[w->nsources++] = w->source;
    }
    if (r == CLI_EXIT_USAGE) return r;
    if (r) continue;
    if (!strcmp(a, "--json")) {
      c->json = true;
    } else if (!strcmp(a, "--")) {
      while (i < argc) out_argv[n++] = argv[i++];
      break;
    } else {
      out_argv[n++] = argv[i];
    }
  }
  *out_argc = n;
  return -1;
}

/* The policy: defaults, then --policy-file, then the explicit flags. */
static int make_policy(compile_ctx *c, const own_opts *w, const cli_opts *o) {
  uf_policy_default(&c->policy);
  uf_error err;
  if (w->policy_file && uf_policy_load_file(&c->policy, w->policy_file, &err) != UF_OK) {
    fprintf(stderr, "unifier compile: %s: %s\n", w->policy_file, err.message);
    return CLI_EXIT_USAGE;
  }
  if (w->read_given) c->policy.read = o->read;
  if (w->write_given) c->policy.write = o->write;
  if (o->pretty) c->policy.pretty = true;
  if (o->identify) c->policy.identify = UF_IDENTIFY_ALWAYS;
  return -1;
}

int cmd_compile(int argc, char **argv) {
  compile_ctx c;
  memset(&c, 0, sizeof c);
  const uf_catalog *functions = NULL; /* --source session's signatures */
  own_opts w = {0};
  char **args = calloc((size_t)argc + 1, sizeof *args);
  w.sources = calloc((size_t)argc + 1, sizeof *w.sources);
  if (!args || !w.sources) {
    free(args);
    free(w.sources);
    return CLI_EXIT_FAILED;
  }
  int nargs = 0;
  int rc = own_options(argc, argv, &nargs, args, &w, &c);
  cli_opts o;
  if (rc < 0) rc = cli_parse_args(&CLI_COMPILE, nargs, args, &o);
  if (rc < 0) rc = make_policy(&c, &w, &o);
  if (rc < 0 && w.schema) {
    uf_error err;
    if (uf_schema_load_file(w.schema, c.policy.read, &c.schema, &err) != UF_OK) {
      fprintf(stderr, "unifier compile: %s: %s\n", w.schema, err.message);
      rc = CLI_EXIT_USAGE;
    }
  }
  if (rc < 0 && w.nsources)
    rc = compile_sources_schema(w.sources, w.nsources, c.policy.read, &c.schema, &functions);
  if (rc < 0) {
    /* Parse in the policy's read dialect (a policy file may set it). */
    o.read = c.policy.read;
    rc = cli_run(&o, compile_one, compile_fail, &c);
  }
  uf_schema_free(c.schema);
  uf_catalog_release(functions); /* after the schema that borrows it */
  free(args);
  free(w.sources);
  return rc;
}
