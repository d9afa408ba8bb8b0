/*
 * `unifier compile --source NAME=LOCATION`: the schema of files, as the
 * engine infers it. Each source is registered through the IO adapter in a
 * throwaway session that may read only the sources' directories; the
 * catalog snapshot's tables then become uf_schema tables (names fold as
 * unquoted, types in DuckDB spelling). `unifier query` converts the
 * snapshot of its own session the same way (compile_sources_add_catalog).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/compile_sources.h"
#include "unifier/catalog.h"
#include "unifier/engine.h"
#include "unifier/io.h"
#include "unifier/opt.h"

typedef struct src {
  char name[256];
  char location[PATH_MAX];
  char root[PATH_MAX];
} src;

/* Absolute location and the directory it lives in (the location itself for
 * a directory; the part before a glob's segment for a glob). */
static bool resolve(const char *loc, src *s) {
  char cwd[PATH_MAX];
  int n = loc[0] == '/' ? snprintf(s->location, sizeof s->location, "%s", loc)
          : getcwd(cwd, sizeof cwd) ? snprintf(s->location, sizeof s->location, "%s/%s", cwd, loc)
                                    : -1;
  if (n < 0 || (size_t)n >= sizeof s->location) return false;
  strcpy(s->root, s->location);
  struct stat st;
  bool glob = strpbrk(loc, "*?[") != NULL;
  if (!glob && stat(s->root, &st) == 0 && S_ISDIR(st.st_mode)) return true;
  char *g = strpbrk(s->root, "*?[");
  if (g) *g = '\0';
  char *slash = strrchr(s->root, '/');
  if (slash && slash != s->root) *slash = '\0';
  else if (slash) slash[1] = '\0';
  return true;
}

static bool parse_spec(const char *spec, src *s) {
  const char *eq = strchr(spec, '=');
  if (!eq || eq == spec || !eq[1] || (size_t)(eq - spec) >= sizeof s->name) {
    fprintf(stderr, "unifier compile: --source needs NAME=LOCATION, got '%s'\n", spec);
    return false;
  }
  memcpy(s->name, spec, (size_t)(eq - spec));
  s->name[eq - spec] = '\0';
  if (!resolve(eq + 1, s)) {
    fprintf(stderr, "unifier compile: --source %s: path too long\n", s->name);
    return false;
  }
  struct stat st;
  if (!strpbrk(s->location, "*?[") && stat(s->location, &st) != 0) {
    fprintf(stderr, "unifier compile: --source %s: cannot access %s\n", s->name, eq + 1);
    return false;
  }
  return true;
}

/* Adds the snapshot's user tables to schema. */
uf_status compile_sources_add_catalog(uf_schema *schema, const uf_catalog *c,
                                      uf_error *err) {
  for (size_t i = 0; i < c->ntables; i++) {
    const uf_catalog_table *t = &c->tables[i];
    const uf_schema_table *st = NULL;
    uf_status rc = uf_schema_add_table(schema, NULL, NULL, t->name, false, &st, err);
    for (size_t j = 0; rc == UF_OK && j < t->ncolumns; j++) {
      const uf_catalog_column *col = &t->columns[j];
      rc = uf_schema_add_column(schema, st, col->name, false, col->type, col->nullable, err);
    }
    if (rc != UF_OK) return rc;
  }
  return UF_OK;
}

uf_status compile_sources_add_functions(uf_schema *schema, const uf_catalog *c,
                                        uf_error *err) {
  if (c == NULL || c->nfunctions == 0) return UF_OK;
  uf_function_catalog fc;
  char id[UF_CATALOG_FUNCTIONS_ID];
  uf_catalog_function_catalog(c, &fc);
  uf_catalog_functions_id(c, id);
  return uf_schema_set_functions(schema, &fc, id, err);
}

/* Registers every source in a new session and reads the catalog back
 * (tables into schema; the snapshot, functions included, to *functions). */
static uf_status infer(const src *srcs, size_t n, uf_schema *schema,
                       const uf_catalog **functions, uf_error *err) {
  const char **roots = calloc(n + 1, sizeof *roots);
  if (roots == NULL) return uf_error_set(err, UF_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) roots[i] = srcs[i].root;
  uf_runtime_profile prof;
  memset(&prof, 0, sizeof prof);
  prof.allowed_directories = roots;
  uf_engine *e = NULL;
  uf_io *io = NULL;
  const uf_catalog *cat = NULL;
  uf_status st = uf_engine_open(&prof, &e, err);
  if (st == UF_OK) st = uf_io_new(e, NULL, &io, err);
  for (size_t i = 0; st == UF_OK && i < n; i++) {
    st = uf_io_register_location(io, srcs[i].name, srcs[i].location, UF_IO_FORMAT_AUTO, err);
    if (st != UF_OK) {
      char msg[UF_ERROR_MESSAGE_MAX];
      snprintf(msg, sizeof msg, "%s", err ? err->message : "");
      uf_error_set(err, st, "--source %s: %s", srcs[i].name, msg);
    }
  }
  uf_catalog_options co = {.skip_settings = true};
  if (st == UF_OK) st = uf_catalog_snapshot(e, &co, &cat, err);
  if (st == UF_OK) st = compile_sources_add_catalog(schema, cat, err);
  if (st == UF_OK) st = compile_sources_add_functions(schema, cat, err);
  /* The snapshot outlives the session: it owns its strings. */
  if (st == UF_OK) *functions = uf_catalog_retain(cat);
  uf_catalog_release(cat);
  uf_io_free(io);
  uf_engine_close(e);
  free(roots);
  return st;
}

int compile_sources_schema(const char *const *specs, size_t n,
                           const uf_dialect *d, uf_schema **schema,
                           const uf_catalog **functions) {
  *functions = NULL;
  src *srcs = calloc(n ? n : 1, sizeof *srcs);
  if (srcs == NULL) return CLI_EXIT_FAILED;
  int rc = -1;
  for (size_t i = 0; rc < 0 && i < n; i++)
    if (!parse_spec(specs[i], &srcs[i])) rc = CLI_EXIT_USAGE;
  uf_error err;
  if (rc < 0 && *schema == NULL && uf_schema_new(d, schema, &err) != UF_OK) rc = CLI_EXIT_FAILED;
  if (rc < 0 && infer(srcs, n, *schema, functions, &err) != UF_OK) {
    fprintf(stderr, "unifier compile: %s\n", err.message);
    rc = CLI_EXIT_FAILED;
  }
  free(srcs);
  return rc;
}
