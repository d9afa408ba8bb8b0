/*
 * Fuzz target for the compile lane: every statement that parses is
 * compiled under the default policy (every rule; validation off, so
 * unknown tables and columns compile too), against no schema, the TPC-H
 * schema or SQLGlot's optimizer schema (chosen by the input's length).
 * Input: as fuzz_sql (an optional control byte below 0x10 picks the read
 * dialect in bits 0-1, then SQL).
 *
 * Invariants, a violation aborts with the input on stderr:
 *   - compiling never crashes, leaks or trips a sanitizer;
 *   - a compiled query's SQL parses again (the rules build valid trees);
 *   - its lineage and JSON artifacts can be made (or fail cleanly).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unifier/compile.h"
#include "unifier/sql.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

static uf_schema *schemas[3]; /* none, TPC-H, optimizer fixtures */

static void load_schemas(void) {
  static int loaded;
  if (loaded++) return;
  static const char *const rel[] = {"corpora/tpch/schema.json",
                                    "corpora/sqlglot/optimizer/schema.json"};
  for (int i = 0; i < 2; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", UF_SHARED_DIR, rel[i]);
    if (uf_schema_load_file(path, NULL, &schemas[i + 1], NULL) != UF_OK) schemas[i + 1] = NULL;
  }
}

static const uf_dialect *dialect_of(unsigned bits) {
  switch (bits & 3u) {
    case 1: return uf_dialect_postgres();
    case 2: return uf_dialect_datafusion();
    default: return uf_dialect_duckdb();
  }
}

static void violated(const char *what, const char *in, size_t len, const char *detail) {
  fprintf(stderr, "fuzz_compile: invariant broken: %s\n  input (%zu bytes): %.*s\n", what, len,
          (int)(len > 2000 ? 2000 : len), in);
  if (detail) fprintf(stderr, "  %.2000s\n", detail);
  abort();
}

static void compile_one(const uf_node *stmt, const uf_dialect *d, const uf_schema *s,
                        const char *in, size_t len) {
  uf_policy p;
  uf_policy_default(&p);
  p.read = d;
  p.validate = false;
  uf_compiled_query *q = NULL;
  uf_error err;
  if (uf_compile_ast(stmt, &p, s, NULL, &q, &err) != UF_OK) return; /* errors are fine */
  uf_tree *t = NULL;
  if (uf_parse_one(q->sql, q->sql_len, NULL, &t, &err) != UF_OK)
    violated("compiled SQL does not parse", in, len, q->sql);
  uf_tree_free(t);
  const char *lj = NULL;
  (void)uf_compiled_query_lineage(q, s, &lj, NULL, &err);
  char *json = NULL;
  if (uf_compiled_query_json(q, s, &json, NULL, &err) == UF_OK) uf_free(json);
  uf_compiled_query_free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  load_schemas();
  const char *in = (const char *)data;
  size_t len = size;
  const uf_dialect *d = uf_dialect_duckdb();
  if (data[0] < 0x10) {
    d = dialect_of(data[0]);
    in++;
    len--;
  }
  uf_parse_options po = {0};
  po.dialect = d;
  uf_tree *t = NULL;
  uf_error err;
  if (uf_parse(in, len, &po, &t, &err) == UF_OK) {
    const uf_node *root = uf_tree_root(t);
    const uf_schema *s = schemas[size % 3];
    if (uf_is(root, UF_SCRIPT)) {
      for (uint32_t i = 0; i < root->nkids && i < 8; i++)
        if (root->kids[i]) compile_one(root->kids[i], d, s, in, len);
    } else if (root) {
      compile_one(root, d, s, in, len);
    }
  }
  uf_tree_free(t);
  return 0;
}
