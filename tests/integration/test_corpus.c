/*
 * Corpus round trips: TPC-H, sqlglot's identity.sql, the optimizer fixtures
 * and pretty.sql, through parse -> generate -> re-parse, fingerprints and
 * fmt idempotence. Counts are printed; every failure is listed (input,
 * output, reason) in <build>/corpus-report/<corpus>.txt so the engineers of
 * the parser and generator can work from it.
 *
 * Floors: the identity.sql count may only go up. When more lines pass,
 * raise IDENTITY_ROUNDTRIP_FLOOR to the new count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "harness.h"

#ifndef UF_BUILD_DIR
#define UF_BUILD_DIR "."
#endif

/* identity.sql lines that must round-trip (raise as the front end grows). */
#define IDENTITY_ROUNDTRIP_FLOOR 770
/* pretty.sql pairs whose pretty output must mean what the expected means. */
#define PRETTY_MEANING_FLOOR 20

static const char *const optimizer_files[] = {
    "annotate_types.sql", "canonicalize.sql",  "normalize.sql",
    "pushdown_predicates.sql", "pushdown_projections.sql",
    "qualify_columns.sql", "qualify_columns__invalid.sql",
    "qualify_tables.sql", "simplify.sql", "tpc-h.sql"};

/* A failure listing for one corpus, under <build>/corpus-report/. */
static FILE *open_report(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpus-report", UF_BUILD_DIR);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/corpus-report/%s.txt", UF_BUILD_DIR, name);
  FILE *f = fopen(path, "w");
  if (f == NULL) f = fopen("/dev/null", "w");
  return f;
}

static char *read_shared(const char *rel) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", UF_SHARED_DIR, rel);
  char *text = h_read_file(path, NULL);
  if (text == NULL) fail_msg("cannot read %s", path);
  return text;
}

/* A floor check (a function, so a floor of 0 compiles warning-free). */
static bool at_least(size_t got, size_t floor_count) { return got >= floor_count; }

typedef struct rt_counts {
  size_t total, by[H_RT_COUNT], byte_identical;
} rt_counts;

static void count_roundtrips(const h_strvec *v, const uf_dialect *d,
                             rt_counts *c, FILE *report, const char *label) {
  for (size_t i = 0; i < v->n; i++) {
    h_rt_result r = h_roundtrip(v->items[i], d);
    c->total++;
    c->by[r.outcome]++;
    c->byte_identical += r.byte_identical;
    if (r.outcome != H_RT_OK) {
      char where[64];
      snprintf(where, sizeof where, "%s #%zu", label, i + 1);
      h_rt_print(report, where, v->items[i], &r);
    }
    h_rt_free(&r);
  }
}

static void print_counts(const char *name, const rt_counts *c) {
  size_t parsed = c->total - c->by[H_RT_PARSE];
  printf("[corpus] %s: %zu inputs, %zu parse, %zu round-trip, %zu byte-identical"
         " (failures: generate %zu, reparse %zu, not-equal %zu, fingerprint %zu,"
         " fmt %zu)\n",
         name, c->total, parsed, c->by[H_RT_OK], c->byte_identical,
         c->by[H_RT_GENERATE], c->by[H_RT_REPARSE], c->by[H_RT_NOT_EQUAL],
         c->by[H_RT_FINGERPRINT], c->by[H_RT_FMT]);
}

/* All 22 TPC-H queries parse, regenerate to an equal AST with an equal
 * fingerprint, and fmt is idempotent (compact and pretty). */
static void test_tpch_roundtrip(void **state) {
  (void)state;
  h_strvec q = {0};
  h_load_tpch(&q);
  FILE *report = open_report("tpch");
  rt_counts c = {0};
  size_t failed_before = 0;
  for (size_t i = 0; i < q.n; i++) {
    h_rt_result r = h_roundtrip(q.items[i], uf_dialect_duckdb());
    c.total++;
    c.by[r.outcome]++;
    if (r.outcome != H_RT_OK) {
      char where[32];
      snprintf(where, sizeof where, "tpch q%02zu", i + 1);
      h_rt_print(stdout, where, q.items[i], &r);
      h_rt_print(report, where, q.items[i], &r);
      failed_before++;
    }
    h_rt_free(&r);
  }
  print_counts("tpch (duckdb)", &c);
  /* The same queries read and written as postgres and datafusion: for
   * information, the execution test proves the cross-dialect path. */
  const uf_dialect *others[] = {uf_dialect_postgres(), uf_dialect_datafusion()};
  for (size_t k = 0; k < 2; k++) {
    rt_counts o = {0};
    count_roundtrips(&q, others[k], &o, report, uf_dialect_name(others[k]));
    char name[64];
    snprintf(name, sizeof name, "tpch (%s)", uf_dialect_name(others[k]));
    print_counts(name, &o);
  }
  fclose(report);
  h_strvec_free(&q);
  assert_int_equal(c.total, 22);
  assert_int_equal(failed_before, 0);
}

/* identity.sql: a statement or an expression a line. */
static void test_identity(void **state) {
  (void)state;
  char *text = read_shared("corpora/sqlglot/identity.sql");
  h_strvec lines = {0};
  h_split_lines(text, &lines);
  FILE *report = open_report("identity");
  rt_counts c = {0};
  count_roundtrips(&lines, uf_dialect_duckdb(), &c, report, "identity.sql line");
  fclose(report);
  print_counts("identity.sql", &c);
  printf("[corpus] identity.sql floor %d (raise it to %zu when higher)\n",
         IDENTITY_ROUNDTRIP_FLOOR, c.by[H_RT_OK]);
  h_strvec_free(&lines);
  free(text);
  assert_true(c.total >= 900);
  assert_true(at_least(c.by[H_RT_OK], IDENTITY_ROUNDTRIP_FLOOR));
}

/* Adds every statement of every corpus to v. */
static void load_all_corpora(h_strvec *v) {
  char *text = read_shared("corpora/sqlglot/identity.sql");
  h_split_lines(text, v);
  free(text);
  h_load_tpch(v);
  for (size_t i = 0; i < sizeof optimizer_files / sizeof *optimizer_files; i++) {
    char rel[256];
    snprintf(rel, sizeof rel, "corpora/sqlglot/optimizer/%s", optimizer_files[i]);
    text = read_shared(rel);
    h_split_fixture(text, v);
    free(text);
  }
  text = read_shared("corpora/sqlglot/pretty.sql");
  h_split_fixture(text, v);
  free(text);
}

/* fmt is idempotent, compact and pretty, for every input we accept. */
static void test_fmt_idempotent_all(void **state) {
  (void)state;
  h_strvec all = {0};
  load_all_corpora(&all);
  FILE *report = open_report("fmt");
  size_t accepted = 0, idempotent = 0, unsupported = 0;
  for (size_t i = 0; i < all.n; i++) {
    uf_tree *t = NULL;
    uf_error err;
    bool is_expr = false;
    const char *s = all.items[i];
    if (h_parse_any(s, strlen(s), uf_dialect_duckdb(), &t, &is_expr, &err) != UF_OK)
      continue;
    accepted++;
    /* A construct the parser reads but duckdb cannot express (INSERT
     * OVERWRITE...) is an honest UF_UNSUPPORTED, not a fmt failure. */
    char *probe = NULL;
    uf_status gst = h_generate(uf_tree_root(t), uf_dialect_duckdb(), false, &probe, &err);
    uf_free(probe);
    if (gst == UF_UNSUPPORTED) {
      unsupported++;
      fprintf(report, "unsupported by the duckdb writer (not counted): %.400s\n  %s\n", s,
              err.message);
      uf_tree_free(t);
      continue;
    }
    char *detail = NULL;
    bool ok = h_fmt_idempotent(uf_tree_root(t), uf_dialect_duckdb(), is_expr,
                               false, &detail) &&
              h_fmt_idempotent(uf_tree_root(t), uf_dialect_duckdb(), is_expr,
                               true, &detail);
    if (ok) {
      idempotent++;
    } else {
      fprintf(report, "fmt not idempotent:\n  input: %.400s\n  %.800s\n", s,
              detail ? detail : "");
    }
    free(detail);
    uf_tree_free(t);
  }
  fclose(report);
  printf("[corpus] fmt: %zu inputs in all corpora, %zu accepted, %zu idempotent "
         "(compact and pretty), %zu not, %zu unsupported by the duckdb writer\n",
         all.n, accepted, idempotent, accepted - idempotent - unsupported, unsupported);
  h_strvec_free(&all);
  assert_int_equal(idempotent + unsupported, accepted);
}

/* pretty.sql: our pretty output of the input re-parses to the expected's
 * AST (same meaning, spelling aside). */
static void test_pretty(void **state) {
  (void)state;
  char *text = read_shared("corpora/sqlglot/pretty.sql");
  h_strvec pieces = {0};
  h_split_pairs(text, &pieces);
  FILE *report = open_report("pretty");
  size_t pairs = pieces.n / 2, parsed = 0, same_meaning = 0, byte_identical = 0;
  for (size_t i = 0; i + 1 < pieces.n; i += 2) {
    const char *in = pieces.items[i], *want = pieces.items[i + 1];
    uf_tree *ti = NULL, *tw = NULL, *tp = NULL;
    uf_error err;
    memset(&err, 0, sizeof err);
    bool ie = false, we = false;
    char *ours = NULL;
    const char *why = NULL;
    if (h_parse_any(in, strlen(in), uf_dialect_duckdb(), &ti, &ie, &err) != UF_OK)
      why = "input does not parse";
    else if (h_parse_any(want, strlen(want), uf_dialect_duckdb(), &tw, &we, &err) != UF_OK)
      why = "expected does not parse";
    else if (h_generate(uf_tree_root(ti), uf_dialect_duckdb(), true, &ours, &err) != UF_OK)
      why = "generate failed";
    else if (h_parse_as(ours, strlen(ours), uf_dialect_duckdb(), ie, &tp, &err) != UF_OK)
      why = "our pretty output does not parse";
    else if (!uf_node_equal(uf_tree_root(tp), uf_tree_root(tw), false))
      why = "different meaning";
    if (ti && tw) parsed++;
    if (why == NULL) same_meaning++;
    if (ours && strcmp(ours, want) == 0) byte_identical++;
    if (why != NULL)
      fprintf(report, "pair %zu: %s%s%s\n  input:    %.400s\n  ours:     %.600s\n"
              "  expected: %.600s\n", i / 2 + 1, why, err.message[0] ? ": " : "",
              err.message, in, ours ? ours : "", want);
    uf_free(ours);
    uf_tree_free(ti);
    uf_tree_free(tw);
    uf_tree_free(tp);
  }
  fclose(report);
  printf("[corpus] pretty.sql: %zu pairs, %zu both parse, %zu same meaning, "
         "%zu byte-identical\n", pairs, parsed, same_meaning, byte_identical);
  h_strvec_free(&pieces);
  free(text);
  assert_true(pairs > 0);
  assert_true(at_least(same_meaning, PRETTY_MEANING_FLOOR));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tpch_roundtrip),
      cmocka_unit_test(test_identity),
      cmocka_unit_test(test_fmt_idempotent_all),
      cmocka_unit_test(test_pretty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
