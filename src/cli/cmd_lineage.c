/*
 * unifier lineage: per statement, the column lineage of its query (after
 * qualification against --schema) as a readable tree, or one JSON object
 * per line with --json: {"lineage": {col: [[table, column], ...]},
 * "predicates": {col: [[table, column], ...]}}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "unifier/opt.h"

const cli_spec CLI_LINEAGE = {
    "lineage", "show where each output column comes from",
    "lineage [--schema FILE.json] [--column NAME] [--json] [--read D]\n"
    "                [--keep-going] [FILE|-]\n"
    "\n"
    "Qualifies each query and prints, for every output column, the source\n"
    "columns it derives from and (marked 'filter') the source columns that\n"
    "filter, join or group its rows.\n"
    "  --schema FILE  tables and columns as JSON ({\"table\": {\"col\":\n"
    "                 \"type\"}}); unknown columns are then errors\n"
    "  --column NAME  only the output column NAME\n"
    "  --json         one JSON object per statement per line\n"
    "  --read D       input dialect: duckdb (default), postgres, datafusion\n"
    "  --keep-going   report a failing statement and continue\n"
    "  --help, --version",
    OPT_READ | OPT_DIALECT | OPT_KEEP_GOING};

typedef struct lineage_ctx {
  uf_schema *schema;  /* NULL without --schema */
  const char *column; /* --column */
  bool json;
  unsigned long written;
} lineage_ctx;

/* One output column as a small tree: sources, then predicates marked
 * "filter:". */
static void print_tree(const uf_lineage_column *c) {
  printf("%s\n", c->name);
  size_t total = c->nsources + c->npredicates;
  for (size_t i = 0; i < total; i++) {
    bool pred = i >= c->nsources;
    const uf_lineage_source *v =
        pred ? &c->predicates[i - c->nsources] : &c->sources[i];
    printf("  %s %s%s.%s\n", i + 1 == total ? "`--" : "|--",
           pred ? "filter: " : "", v->table, v->column);
  }
  if (!total) printf("  `-- (no source columns)\n");
}

static uf_status print_json(const lineage_ctx *c, const uf_lineage_result *r,
                            uf_error *err) {
  char *data = NULL, *pred = NULL;
  uf_status st = uf_lineage_json(r, UF_LINEAGE_SOURCES, c->column, &data, NULL, err);
  if (st == UF_OK)
    st = uf_lineage_json(r, UF_LINEAGE_PREDICATES, c->column, &pred, NULL, err);
  if (st == UF_OK) printf("{\"lineage\": %s, \"predicates\": %s}\n", data, pred);
  uf_free(data);
  uf_free(pred);
  return st;
}

static uf_status lineage_one(void *ctx, const cli_opts *o, uf_node *stmt,
                             uf_error *err) {
  lineage_ctx *c = ctx;
  /* qualify rewrites in place and allocates: work on a copy in a new tree */
  uf_tree *t = uf_tree_new();
  uf_node *root = t ? uf_node_copy(t, stmt) : NULL;
  if (!root) {
    uf_tree_free(t);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  uf_qualify_options qo = {.dialect = o->read, .validate = c->schema != NULL,
                           .allow_partial = c->schema == NULL};
  uf_lineage_result *r = NULL;
  uf_status st = uf_qualify(t, root, c->schema, &qo, &root, NULL, err);
  if (st == UF_OK) st = uf_lineage(root, c->schema, &r, err);
  if (st == UF_OK && c->column && !uf_lineage_find(r, c->column))
    st = uf_error_set(err, UF_NOT_FOUND, "no output column %s", c->column);
  if (st == UF_OK && c->json) st = print_json(c, r, err);
  else if (st == UF_OK) {
    if (c->written) fputc('\n', stdout);
    for (size_t i = 0; i < uf_lineage_count(r); i++) {
      const uf_lineage_column *col = uf_lineage_column_at(r, i);
      if (!c->column || !strcmp(col->name, c->column)) print_tree(col);
    }
  }
  if (st == UF_OK) c->written++;
  uf_lineage_free(r);
  uf_tree_free(t);
  return st;
}

/* Takes out the options only this command has; the rest go to
 * cli_parse_args. Returns -1 to continue or an exit code. */
static int own_options(int argc, char **argv, int *out_argc, char **out_argv,
                       const char **schema, lineage_ctx *c) {
  int n = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    int r = cli_take_value(&CLI_LINEAGE, argc, argv, &i, "--schema", schema);
    if (!r) r = cli_take_value(&CLI_LINEAGE, argc, argv, &i, "--column", &c->column);
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

int cmd_lineage(int argc, char **argv) {
  lineage_ctx c = {0};
  const char *schema_path = NULL;
  char **args = calloc((size_t)argc + 1, sizeof *args);
  if (!args) return CLI_EXIT_FAILED;
  int nargs = 0;
  int rc = own_options(argc, argv, &nargs, args, &schema_path, &c);
  cli_opts o;
  if (rc < 0) rc = cli_parse_args(&CLI_LINEAGE, nargs, args, &o);
  if (rc < 0 && schema_path) {
    uf_error err;
    if (uf_schema_load_file(schema_path, o.read, &c.schema, &err) != UF_OK) {
      fprintf(stderr, "unifier lineage: %s: %s\n", schema_path, err.message);
      rc = CLI_EXIT_USAGE;
    }
  }
  if (rc < 0) rc = cli_run(&o, lineage_one, NULL, &c);
  uf_schema_free(c.schema);
  free(args);
  return rc;
}
