/* Fingerprint: what it ignores (whitespace, keyword case, comments, quoting
 * that is not needed), what it depends on (every literal and identifier),
 * pinned values, and speed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "sql/fingerprint.h"
#include "unifier/unifier.h"
#include "../support/support.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

/* Fingerprint of one statement (or expression) of sql in dialect d. */
static void fp_of(const char *sql, const uf_dialect *d, char hex[UF_FINGERPRINT_HEX]) {
  uf_parse_options o = {.dialect = d};
  uf_tree *t = NULL;
  uf_error err;
  if (uf_parse_one(sql, strlen(sql), &o, &t, &err) != UF_OK &&
      uf_parse_expr(sql, strlen(sql), &o, &t, NULL) != UF_OK)
    fail_msg("cannot parse: %s: %s", sql, err.message);
  if (uf_fingerprint_hex(uf_tree_root(t), d, hex, &err) != UF_OK)
    fail_msg("%s: %s", sql, err.message);
  uf_tree_free(t);
}

typedef struct pair {
  const char *a, *b;
} pair;

static const pair SAME[] = {
    {"SELECT a FROM t", "select   a\n  from t"},
    {"SELECT a FROM t", "SELECT a FROM t;"},
    {"SELECT a FROM t", "/* lead */ SELECT a -- trailing\nFROM t"},
    {"SELECT a FROM t", "SELECT \"a\" FROM \"t\""},
    {"SELECT a FROM t", "SELECT A FROM T"},
    {"SELECT abc FROM t", "SELECT \"abc\" FROM t"},
    {"SELECT sum(x) FROM t", "SELECT SUM(x) FROM t"},
    {"SELECT x::INT FROM t", "SELECT CAST(x AS INT) FROM t"},
    {"SELECT * FROM a JOIN b ON a.x = b.x", "SELECT * FROM a INNER JOIN b ON a.x = b.x"},
    {"SELECT * FROM a LEFT JOIN b ON TRUE", "SELECT * FROM a LEFT OUTER JOIN b ON TRUE"},
    {"SELECT 'it''s'", "SELECT E'it\\'s'"},
    {"SELECT a FROM t ORDER BY a", "SELECT a FROM t ORDER BY a ASC"},
};

static const pair DIFFERENT[] = {
    {"SELECT a FROM t", "SELECT b FROM t"},
    {"SELECT a FROM t", "SELECT a FROM u"},
    {"SELECT ABC FROM t", "SELECT \"ABC\" FROM t"},
    {"SELECT 1", "SELECT 2"},
    {"SELECT 1", "SELECT 1.0"},
    {"SELECT 'a'", "SELECT 'A'"},
    {"SELECT 'a'", "SELECT a"},
    {"SELECT a FROM t", "SELECT DISTINCT a FROM t"},
    {"SELECT a FROM t WHERE x", "SELECT a FROM t WHERE NOT x"},
    {"SELECT a FROM t ORDER BY a", "SELECT a FROM t ORDER BY a DESC"},
    {"SELECT * FROM a LEFT JOIN b ON TRUE", "SELECT * FROM a RIGHT JOIN b ON TRUE"},
    {"SELECT a, b FROM t", "SELECT b, a FROM t"},
    {"SELECT f(a, b)", "SELECT f(a), b"},
    {"SELECT 1 + 2 * 3", "SELECT (1 + 2) * 3"},
    {"SELECT a FROM t", "SELECT a FROM t LIMIT 1"},
    {"SELECT x FROM t", "SELECT x AS y FROM t"},
};

static void test_same(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof SAME / sizeof SAME[0]; i++) {
    char a[UF_FINGERPRINT_HEX], b[UF_FINGERPRINT_HEX];
    fp_of(SAME[i].a, NULL, a);
    fp_of(SAME[i].b, NULL, b);
    if (strcmp(a, b) != 0) fail_msg("should be equal:\n  %s\n  %s", SAME[i].a, SAME[i].b);
  }
}

static void test_different(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof DIFFERENT / sizeof DIFFERENT[0]; i++) {
    char a[UF_FINGERPRINT_HEX], b[UF_FINGERPRINT_HEX];
    fp_of(DIFFERENT[i].a, NULL, a);
    fp_of(DIFFERENT[i].b, NULL, b);
    if (strcmp(a, b) == 0)
      fail_msg("should differ:\n  %s\n  %s", DIFFERENT[i].a, DIFFERENT[i].b);
  }
}

/* Built trees: canonical identifier text, flags, NULL slots and list items. */
static void test_built_trees(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  char h1[UF_FINGERPRINT_HEX], h2[UF_FINGERPRINT_HEX];
  const uf_dialect *d = uf_dialect_duckdb();
#define FP(n, h) assert_int_equal(uf_fingerprint_hex((n), d, (h), NULL), UF_OK)
  FP(uf_b_ident(t, "abc", true), h1);
  FP(uf_b_ident(t, "ABC", false), h2);
  assert_string_equal(h1, h2);
  FP(uf_b_ident(t, "ABC", true), h1);
  assert_string_not_equal(h1, h2);
  FP(uf_b_func(t, "Sum", 0), h1);
  FP(uf_b_func(t, "SUM", 0), h2);
  assert_string_equal(h1, h2);
  /* a NULL list item differs from an absent one */
  uf_node *l1 = uf_b_list(t), *l2 = uf_b_list(t);
  uf_list_push(t, l1, uf_b_star(t), NULL);
  uf_list_push(t, l2, uf_b_star(t), NULL);
  uf_list_push(t, l2, NULL, NULL);
  FP(l1, h1);
  FP(l2, h2);
  assert_string_not_equal(h1, h2);
  /* a child in a different slot differs */
  uf_node *j1 = uf_node_new(t, UF_BETWEEN), *j2 = uf_node_new(t, UF_BETWEEN);
  uf_set(j1, UF_SLOT_LOW, uf_b_int(t, 1), NULL);
  uf_set(j2, UF_SLOT_HIGH, uf_b_int(t, 1), NULL);
  FP(j1, h1);
  FP(j2, h2);
  assert_string_not_equal(h1, h2);
  /* style, comments and positions are ignored */
  uf_node *s1 = uf_b_string(t, "x"), *s2 = uf_b_string(t, "x");
  s2->style = 2;
  s2->line = 7;
  uf_node_add_comment(t, s2, "note", 4, true, false, NULL);
  FP(s1, h1);
  FP(s2, h2);
  assert_string_equal(h1, h2);
  /* pinned: an accidental format change must be noticed */
  uf_node *sel = uf_b_select(t);
  uf_b_select_add(t, sel, uf_b_column(t, NULL, "a"), NULL);
  uf_b_select_from(t, sel, uf_b_table(t, NULL, "t"), NULL);
  FP(sel, h1);
  assert_string_equal(h1, "3f716eb80c3018e4d2795424933b80f5cc01a2650e0832a32247714bf17a5893");
  uint8_t raw[32];
  assert_int_equal(uf_fingerprint(sel, NULL, raw, NULL), UF_OK);
  for (int i = 0; i < 32; i++) {
    char two[3];
    snprintf(two, sizeof two, "%02x", raw[i]);
    assert_memory_equal(two, h1 + 2 * i, 2);
  }
  uf_tree_free(t);
}

/* Kinds and slots go into the stream as codes of their names: every kind
 * code and every slot code must be distinct (and nonzero: a zero code marks
 * a NULL list item), or two trees could share a stream. */
static void test_codes_distinct(void **state) {
  (void)state;
  for (int a = 0; a < UF_KIND_COUNT; a++) {
    if (uf_fp_kind_code((uf_kind)a) == 0) fail_msg("kind %s has code 0", uf_kind_name((uf_kind)a));
    for (int b = 0; b < a; b++)
      if (uf_fp_kind_code((uf_kind)a) == uf_fp_kind_code((uf_kind)b))
        fail_msg("kinds %s and %s share a code", uf_kind_name((uf_kind)a), uf_kind_name((uf_kind)b));
  }
  for (int a = 0; a < UF_SLOT_COUNT; a++) {
    if (uf_fp_slot_code((uf_slot)a) == 0) fail_msg("slot %s has code 0", uf_slot_name((uf_slot)a));
    for (int b = 0; b < a; b++)
      if (uf_fp_slot_code((uf_slot)a) == uf_fp_slot_code((uf_slot)b))
        fail_msg("slots %s and %s share a code", uf_slot_name((uf_slot)a), uf_slot_name((uf_slot)b));
  }
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* A node in a slot leads with one code for its slot and kind: per parent
 * kind, every (slot of it, any kind) pair must have its own code. */
static void test_child_codes_distinct(void **state) {
  (void)state;
  uint32_t *codes = malloc(sizeof *codes * UF_SLOT_COUNT * UF_KIND_COUNT);
  assert_non_null(codes);
  for (int parent = 0; parent < UF_KIND_COUNT; parent++) {
    uint32_t nslots = uf_kind_slot_count((uf_kind)parent);
    if (parent == UF_LIST || parent == UF_SCRIPT) continue;
    size_t n = 0;
    for (uint32_t i = 0; i < nslots; i++)
      for (int k = 0; k < UF_KIND_COUNT; k++)
        codes[n++] = uf_fp_child_code(uf_kind_slot_at((uf_kind)parent, i), (uf_kind)k);
    qsort(codes, n, sizeof *codes, cmp_u32);
    for (size_t i = 1; i < n; i++)
      if (codes[i] == codes[i - 1])
        fail_msg("kind %s: two (slot, kind) pairs share a child code", uf_kind_name((uf_kind)parent));
  }
  free(codes);
}

/* A renamed IDENT hashes as a quoted identifier with the new text; other
 * nodes, even of the same spelling, keep theirs. */
static void test_renamed(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uint8_t got[32], want[32], plain[32];
  uf_node *x = uf_b_column(t, "x", "a"), *y = uf_b_column(t, "x", "a");
  uf_node *l = uf_b_list(t);
  uf_list_push(t, l, x, NULL);
  uf_list_push(t, l, y, NULL);
  uf_fp_rename slot[4] = {{0}};
  uf_fp_renames r = {slot, 4};
  const uf_node *qual = uf_get(x, UF_SLOT_TABLE);
  slot[uf_fp_rename_home(qual, r.cap)] = (uf_fp_rename){qual, "#1", 2};
  assert_int_equal(uf_fingerprint_renamed(l, NULL, &r, got, NULL), UF_OK);
  assert_int_equal(uf_fingerprint(l, NULL, plain, NULL), UF_OK);
  assert_memory_not_equal(got, plain, 32);
  uf_node *m = uf_b_list(t);
  uf_list_push(t, m, uf_b_column(t, "#1", "a"), NULL);
  uf_list_push(t, m, uf_b_column(t, "x", "a"), NULL);
  uf_get(m->kids[0], UF_SLOT_TABLE)->flags |= UF_F_QUOTED;
  assert_int_equal(uf_fingerprint(m, NULL, want, NULL), UF_OK);
  assert_memory_equal(got, want, 32);
  uf_tree_free(t);
}

/* Texts around the length where the writer switches from its one-pass
 * short copy to strlen, and longer than the stream buffer: unquoted
 * identifiers fold alike, quoted ones stay exact. */
static void test_long_texts(void **state) {
  (void)state;
  static const size_t lens[] = {126, 127, 128, 129, 5000};
  uf_tree *t = uf_tree_new();
  for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
    char *lo = calloc(lens[k] + 1, 1), *up = calloc(lens[k] + 1, 1);
    assert_non_null(lo);
    assert_non_null(up);
    for (size_t i = 0; i < lens[k]; i++) lo[i] = (char)('a' + i % 26), up[i] = (char)('A' + i % 26);
    char a[UF_FINGERPRINT_HEX], b[UF_FINGERPRINT_HEX], c[UF_FINGERPRINT_HEX];
    assert_int_equal(uf_fingerprint_hex(uf_b_ident(t, lo, false), NULL, a, NULL), UF_OK);
    assert_int_equal(uf_fingerprint_hex(uf_b_ident(t, up, false), NULL, b, NULL), UF_OK);
    assert_int_equal(uf_fingerprint_hex(uf_b_ident(t, up, true), NULL, c, NULL), UF_OK);
    if (strcmp(a, b) != 0) fail_msg("length %zu: case changed the fingerprint", lens[k]);
    if (strcmp(b, c) == 0) fail_msg("length %zu: quoting did not count", lens[k]);
    lo[lens[k] - 1] = '#';
    assert_int_equal(uf_fingerprint_hex(uf_b_ident(t, lo, false), NULL, c, NULL), UF_OK);
    if (strcmp(a, c) == 0) fail_msg("length %zu: last byte did not count", lens[k]);
    free(lo);
    free(up);
  }
  uf_tree_free(t);
}

static void test_errors(void **state) {
  (void)state;
  uf_error err;
  char hex[UF_FINGERPRINT_HEX];
  assert_int_equal(uf_fingerprint_hex(NULL, NULL, hex, &err), UF_INVALID_ARGUMENT);
  assert_string_equal(hex, "");
  uint8_t raw[32];
  assert_int_equal(uf_fingerprint(NULL, NULL, raw, &err), UF_INVALID_ARGUMENT);
}

/* Very deep trees need no recursion: 1,000,000 nested NOTs. */
static void test_deep_tree(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_node *n = uf_b_star(t);
  for (int i = 0; i < 1000000; i++) n = uf_b_not(t, n);
  char hex[UF_FINGERPRINT_HEX];
  assert_int_equal(uf_fingerprint_hex(n, NULL, hex, NULL), UF_OK);
  assert_int_equal(strlen(hex), 64);
  uf_tree_free(t);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* TPC-H: every query parses, fingerprints are distinct, and the rate of
 * parse+fingerprint is reported. */
static void test_tpch(void **state) {
  (void)state;
  char *sql[22];
  size_t len[22];
  char hex[22][UF_FINGERPRINT_HEX];
  for (int q = 0; q < 22; q++) {
    char path[512];
    snprintf(path, sizeof path, "%s/corpora/tpch/queries/q%02d.sql", UF_SHARED_DIR, q + 1);
    sql[q] = ut_read_file(path, &len[q]);
    if (!sql[q]) fail_msg("cannot open %s", path);
    fp_of(sql[q], NULL, hex[q]);
    for (int p = 0; p < q; p++)
      if (strcmp(hex[p], hex[q]) == 0) fail_msg("q%02d and q%02d collide", p + 1, q + 1);
  }
  size_t n = 0;
  double parse_s = 0, fp_s = 0;
  double end = now() + 0.5;
  while (now() < end) {
    for (int q = 0; q < 22; q++) {
      uf_tree *t = NULL;
      double t0 = now();
      assert_int_equal(uf_parse_one(sql[q], len[q], NULL, &t, NULL), UF_OK);
      double t1 = now();
      uint8_t dg[32];
      assert_int_equal(uf_fingerprint(uf_tree_root(t), NULL, dg, NULL), UF_OK);
      fp_s += now() - t1;
      parse_s += t1 - t0;
      uf_tree_free(t);
      n++;
    }
  }
  printf("[fingerprint] TPC-H: %.0f statements/s parse+fingerprint "
         "(fingerprint alone %.0f/s)\n",
         (double)n / (parse_s + fp_s), (double)n / fp_s);
  for (int q = 0; q < 22; q++) free(sql[q]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same),
      cmocka_unit_test(test_different),
      cmocka_unit_test(test_built_trees),
      cmocka_unit_test(test_codes_distinct),
      cmocka_unit_test(test_child_codes_distinct),
      cmocka_unit_test(test_renamed),
      cmocka_unit_test(test_long_texts),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_deep_tree),
      cmocka_unit_test(test_tpch),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
