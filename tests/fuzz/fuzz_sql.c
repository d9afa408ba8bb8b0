/*
 * Fuzz target for the whole front end. Input: one control byte, then SQL.
 *
 * A first byte below 0x10 (never the start of SQL text) is a control
 * byte: bits 0-1 pick the read dialect (duckdb, postgres, datafusion,
 * duckdb), bits 2-3 the entry point (a script with uf_parse, one
 * expression with uf_parse_expr, the statement reader, a script again).
 * Any other input is a duckdb script as is, so raw SQL files are seeds too
 * (scripts/fuzz-seeds.sh writes per-statement seeds with control bytes). Whatever parses must then satisfy the front end's
 * invariants, and a violation aborts with the input's story on stderr:
 *   - generate (compact and pretty) for every dialect; output in the read
 *     dialect re-parses, to an equal AST, and generating again gives the
 *     same text (fmt is idempotent);
 *   - serde dump -> load gives an exactly equal tree (style and comments
 *     included) with the same fingerprint;
 *   - fingerprints never fail on a parsed tree.
 * Errors (syntax, unsupported, limits) are fine; crashes, leaks, sanitizer
 * reports and broken invariants are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unifier/sql.h"

static const uf_dialect *dialect_of(unsigned bits) {
  switch (bits & 3u) {
    case 1: return uf_dialect_postgres();
    case 2: return uf_dialect_datafusion();
    default: return uf_dialect_duckdb();
  }
}

/* Reports a broken invariant and aborts, so libFuzzer saves the input. */
static void violated(const char *what, const char *in, size_t len,
                     const char *out1, const char *out2) {
  fprintf(stderr, "fuzz_sql: invariant broken: %s\n  input (%zu bytes): %.*s\n",
          what, len, (int)(len > 2000 ? 2000 : len), in);
  if (out1) fprintf(stderr, "  first:  %.2000s\n", out1);
  if (out2) fprintf(stderr, "  second: %.2000s\n", out2);
  abort();
}

typedef struct subject {
  const char *in;
  size_t len;
  const uf_dialect *d; /* the read dialect */
  int mode;            /* 0 script, 1 expression */
} subject;

static uf_status parse_as(const subject *s, const char *sql, size_t len,
                          const uf_dialect *d, uf_tree **out) {
  uf_parse_options po = {0};
  po.dialect = d;
  uf_error err;
  return s->mode == 1 ? uf_parse_expr(sql, len, &po, out, &err)
                      : uf_parse(sql, len, &po, out, &err);
}

/* Output in the read dialect re-parses to an equal AST and is a fixed
 * point of generate(parse(.)). */
static void check_same_dialect(const subject *s, const uf_node *root,
                               const char *sql, size_t len, bool pretty) {
  uf_tree *t2 = NULL;
  if (parse_as(s, sql, len, s->d, &t2) != UF_OK)
    violated("generated SQL does not re-parse", s->in, s->len, sql, NULL);
  if (!uf_node_equal(root, uf_tree_root(t2), false))
    violated("re-parsed AST differs", s->in, s->len, sql, NULL);
  uf_gen_options go = {0};
  go.dialect = s->d;
  go.pretty = pretty;
  char *again = NULL;
  uf_error err;
  if (uf_generate(uf_tree_root(t2), &go, &again, NULL, &err) != UF_OK)
    violated("re-generation failed", s->in, s->len, sql, err.message);
  if (strcmp(again, sql) != 0)
    violated("fmt is not idempotent", s->in, s->len, sql, again);
  uf_free(again);
  uf_tree_free(t2);
}

static void check_generation(const subject *s, const uf_node *root) {
  static const uf_dialect *(*const dialects[])(void) = {
      uf_dialect_duckdb, uf_dialect_postgres, uf_dialect_datafusion};
  for (size_t k = 0; k < 3; k++) {
    for (int pretty = 0; pretty <= 1; pretty++) {
      uf_gen_options go = {0};
      go.dialect = dialects[k]();
      go.pretty = pretty;
      char *sql = NULL;
      size_t len = 0;
      uf_error err;
      if (uf_generate(root, &go, &sql, &len, &err) != UF_OK) continue;
      if (sql == NULL || strlen(sql) != len)
        violated("generate returned a bad length", s->in, s->len, sql, NULL);
      if (go.dialect == s->d) {
        check_same_dialect(s, root, sql, len, pretty);
      } else {
        uf_tree *t = NULL;
        (void)parse_as(s, sql, len, go.dialect, &t); /* exercised, not judged */
        uf_tree_free(t);
      }
      uf_free(sql);
    }
  }
}

static void check_serde_and_fingerprint(const subject *s, const uf_node *root) {
  char fp[UF_FINGERPRINT_HEX], fp2[UF_FINGERPRINT_HEX];
  uf_error err;
  if (uf_fingerprint_hex(root, s->d, fp, &err) != UF_OK)
    violated("fingerprint failed", s->in, s->len, err.message, NULL);
  char *json = NULL;
  size_t jlen = 0;
  if (uf_serde_dump(root, &json, &jlen, &err) != UF_OK)
    violated("serde dump failed", s->in, s->len, err.message, NULL);
  uf_tree *t = NULL;
  if (uf_serde_load(json, jlen, &t, &err) != UF_OK)
    violated("serde load of a dump failed", s->in, s->len, json, err.message);
  if (!uf_node_equal(root, uf_tree_root(t), true))
    violated("serde round trip is not exactly equal", s->in, s->len, json, NULL);
  if (uf_fingerprint_hex(uf_tree_root(t), s->d, fp2, &err) != UF_OK ||
      strcmp(fp, fp2) != 0)
    violated("fingerprint changed through serde", s->in, s->len, fp, fp2);
  uf_free(json);
  uf_tree_free(t);
}

static void check_tree(const subject *s, uf_tree *t) {
  const uf_node *root = uf_tree_root(t);
  if (root == NULL) violated("parse succeeded without a root", s->in, s->len, NULL, NULL);
  check_generation(s, root);
  check_serde_and_fingerprint(s, root);
}

/* The statement reader over the input, each statement parsed on its own
 * (the path `unifier fingerprint` takes). */
static void run_reader(const subject *s) {
  if (s->len == 0) return;
  FILE *f = fmemopen((void *)s->in, s->len, "rb");
  if (f == NULL) return;
  uf_stmt_reader *r = NULL;
  uf_error err;
  if (uf_stmt_reader_open(f, s->d, &r, &err) == UF_OK) {
    const char *sql;
    size_t len;
    uint32_t line;
    for (int n = 0; n < 64 && uf_stmt_reader_next(r, &sql, &len, &line, &err) == UF_OK; n++) {
      uf_parse_options po = {0};
      po.dialect = s->d;
      po.first_line = line;
      uf_tree *t = NULL;
      char fp[UF_FINGERPRINT_HEX];
      if (uf_parse_one(sql, len, &po, &t, &err) == UF_OK &&
          uf_fingerprint_hex(uf_tree_root(t), s->d, fp, &err) != UF_OK)
        violated("fingerprint failed", sql, len, err.message, NULL);
      uf_tree_free(t);
    }
  }
  uf_stmt_reader_free(r);
  fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  unsigned ctl = 0;
  subject s = {(const char *)data, size, uf_dialect_duckdb(), 0};
  if (data[0] < 0x10) {
    ctl = data[0];
    s.in++;
    s.len--;
    s.d = dialect_of(ctl);
  }
  unsigned entry = (ctl >> 2) & 3u;
  if (entry == 2) {
    run_reader(&s);
    return 0;
  }
  s.mode = entry == 1 ? 1 : 0;
  uf_tree *t = NULL;
  if (parse_as(&s, s.in, s.len, s.d, &t) == UF_OK) check_tree(&s, t);
  uf_tree_free(t);
  return 0;
}
