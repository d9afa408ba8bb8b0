/* Serde: lossless JSON round trips (every kind of the kinds table, every
 * corpus statement), strict validation of hostile JSON, depth limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unifier/unifier.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

/* Exact equality plus positions, which uf_node_equal does not compare. */
static bool same_positions(const uf_node *a, const uf_node *b) {
  if (!a || !b) return a == b;
  if (a->line != b->line || a->col != b->col || a->offset != b->offset) return false;
  if (a->nkids != b->nkids) return false;
  for (uint32_t i = 0; i < a->nkids; i++)
    if (!same_positions(a->kids[i], b->kids[i])) return false;
  return true;
}

/* dump -> load -> equal (exact, with positions) -> dump again identical. */
static void check_round_trip(const uf_node *n, const char *what) {
  char *json = NULL, *json2 = NULL;
  size_t len = 0, len2 = 0;
  uf_error err;
  if (uf_serde_dump(n, &json, &len, &err) != UF_OK)
    fail_msg("%s: dump failed: %s", what, err.message);
  assert_int_equal(strlen(json), len);
  uf_tree *t = NULL;
  if (uf_serde_load(json, len, &t, &err) != UF_OK)
    fail_msg("%s: load failed: %s\njson: %s", what, err.message, json);
  if (!uf_node_equal(n, uf_tree_root(t), true))
    fail_msg("%s: loaded tree differs\njson: %s", what, json);
  if (!same_positions(n, uf_tree_root(t)))
    fail_msg("%s: positions differ\njson: %s", what, json);
  assert_int_equal(uf_serde_dump(uf_tree_root(t), &json2, &len2, &err), UF_OK);
  if (len != len2 || memcmp(json, json2, len) != 0)
    fail_msg("%s: second dump differs\n%s\n%s", what, json, json2);
  uf_free(json);
  uf_free(json2);
  uf_tree_free(t);
}

static uf_node *leaf(uf_tree *t, const char *text, uint32_t pos) {
  uf_node *n = uf_node_new_text(t, UF_IDENT, text, strlen(text));
  n->line = pos;
  n->col = pos + 1;
  n->offset = pos * 10;
  return n;
}

/* One node of every kind, every slot filled, flags/style/comments varied:
 * the kinds table drives the test, so new kinds are covered automatically. */
static void test_every_kind(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_node *root = uf_node_new(t, UF_LIST);
  for (int k = 0; k < UF_KIND_COUNT; k++) {
    char text[64];
    snprintf(text, sizeof text, "text of %s \"q\" \\ \n\t\x01 é", uf_kind_name((uf_kind)k));
    uf_node *n = uf_node_new_text(t, (uf_kind)k, text, strlen(text));
    n->flags = (uint32_t)k * 2654435761u;
    n->style = (uint8_t)k;
    n->line = (uint32_t)k + 1;
    n->col = (uint32_t)k * 3;
    n->offset = (uint32_t)k * 1000;
    if (k % 3 == 0)
      uf_node_add_comment(t, n, "c1 \"x\"", 6, k % 2, k % 4 == 0, NULL);
    if (k % 5 == 0) uf_node_add_comment(t, n, " two ", 5, true, true, NULL);
    if (k == UF_LIST || k == UF_SCRIPT) {
      uf_list_push(t, n, leaf(t, "a", 1), NULL);
      uf_list_push(t, n, NULL, NULL);
      uf_list_push(t, n, leaf(t, "b", 2), NULL);
    } else {
      for (uint32_t i = 0; i < n->nkids; i++)
        if ((i + (uint32_t)k) % 4 != 3) n->kids[i] = leaf(t, uf_slot_name(uf_kind_slot_at((uf_kind)k, i)), i);
    }
    uf_list_push(t, root, n, NULL);
    check_round_trip(n, uf_kind_name((uf_kind)k));
  }
  check_round_trip(root, "all kinds");
  uf_tree_free(t);
}

static void test_empty_fields_omitted(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_node *n = uf_node_new(t, UF_STAR);
  char *json;
  size_t len;
  assert_int_equal(uf_serde_dump(n, &json, &len, NULL), UF_OK);
  assert_string_equal(json, "{\"unifier_ast\":1,\"root\":{\"kind\":\"star\"}}");
  uf_free(json);
  uf_node *i = uf_b_ident(t, "Abc", true);
  assert_int_equal(uf_serde_dump(i, &json, &len, NULL), UF_OK);
  assert_string_equal(json,
                      "{\"unifier_ast\":1,\"root\":{\"kind\":\"ident\",\"text\":\"Abc\","
                      "\"flags\":[\"quoted\"],\"style\":1}}");
  uf_free(json);
  uf_tree_free(t);
}

/* Text that is not UTF-8 (a decoded E'\xff') survives through text_hex. */
static void test_non_utf8_text(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_node *s = uf_node_new_text(t, UF_STRING, "a\xff\xc3(b", 5);
  uf_node_add_comment(t, s, "\xfe", 1, false, false, NULL);
  char *json;
  size_t len;
  assert_int_equal(uf_serde_dump(s, &json, &len, NULL), UF_OK);
  assert_non_null(strstr(json, "\"text_hex\":\"61ffc32862\""));
  uf_free(json);
  check_round_trip(s, "non-utf8");
  uf_tree_free(t);
}

typedef struct bad_case {
  const char *json;
  const char *msg; /* substring of the error message */
} bad_case;

#define ENV(x) "{\"unifier_ast\":1,\"root\":" x "}"
static const bad_case BAD[] = {
    {"", "invalid JSON"},
    {"[]", "expected an object"},
    {"{\"root\":{\"kind\":\"star\"}}", "version"},
    {"{\"unifier_ast\":2,\"root\":{\"kind\":\"star\"}}", "unsupported version"},
    {"{\"unifier_ast\":\"1\",\"root\":{\"kind\":\"star\"}}", "unsupported version"},
    {"{\"unifier_ast\":1}", "missing \"root\""},
    {"{\"unifier_ast\":1,\"root\":{\"kind\":\"star\"},\"x\":1}", "unknown field"},
    {ENV("null"), "expected a node object"},
    {ENV("{}"), "node without kind"},
    {ENV("{\"kind\":7}"), "expected a kind name"},
    {ENV("{\"kind\":\"selectt\"}"), "unknown kind 'selectt'"},
    {ENV("{\"kind\":\"star\",\"txt\":\"x\"}"), "unknown node field"},
    {ENV("{\"kind\":\"ident\",\"text\":1}"), "expected a string"},
    {ENV("{\"kind\":\"ident\",\"text\":\"a\",\"text_hex\":\"61\"}"), "both text"},
    {ENV("{\"kind\":\"ident\",\"text_hex\":\"6\"}"), "odd number"},
    {ENV("{\"kind\":\"ident\",\"text_hex\":\"zz\"}"), "invalid hex"},
    {ENV("{\"kind\":\"ident\",\"text_hex\":\"0061\"}"), "NUL"},
    {ENV("{\"kind\":\"ident\",\"text\":\"a\\u0000b\"}"), "invalid JSON"},
    {ENV("{\"kind\":\"ident\",\"flags\":\"quoted\"}"), "array of flag names"},
    {ENV("{\"kind\":\"ident\",\"flags\":[\"quoted\",\"bogus\"]}"), "unknown flag 'bogus'"},
    {ENV("{\"kind\":\"ident\",\"flags\":[32]}"), "expected a flag name"},
    {ENV("{\"kind\":\"ident\",\"flags\":[true]}"), "expected a flag name"},
    {ENV("{\"kind\":\"ident\",\"style\":256}"), "out of range"},
    {ENV("{\"kind\":\"ident\",\"style\":-1}"), "out of range"},
    {ENV("{\"kind\":\"ident\",\"style\":1.5}"), "expected an integer"},
    {ENV("{\"kind\":\"ident\",\"line\":4294967296}"), "out of range"},
    {ENV("{\"kind\":\"ident\",\"col\":\"3\"}"), "expected an integer"},
    {ENV("{\"kind\":\"ident\",\"comments\":{}}"), "array of comments"},
    {ENV("{\"kind\":\"ident\",\"comments\":[1]}"), "comment object"},
    {ENV("{\"kind\":\"ident\",\"comments\":[{}]}"), "comment without text"},
    {ENV("{\"kind\":\"ident\",\"comments\":[{\"text\":\"a\",\"block\":1}]}"), "true or false"},
    {ENV("{\"kind\":\"ident\",\"comments\":[{\"text\":\"a\",\"x\":1}]}"), "unknown comment field"},
    {ENV("{\"kind\":\"select\",\"slots\":[]}"), "object of slots"},
    {ENV("{\"kind\":\"select\",\"slots\":{\"bogus\":null}}"), "unknown slot 'bogus'"},
    {ENV("{\"kind\":\"select\",\"slots\":{\"left\":{\"kind\":\"star\"}}}"), "has no slot left"},
    {ENV("{\"kind\":\"select\",\"slots\":{\"where\":{\"kind\":\"nope\"}}}"), "$.root.slots.where.kind"},
    {ENV("{\"kind\":\"select\",\"slots\":{\"where\":[]}}"), "expected a node object"},
    {ENV("{\"kind\":\"select\",\"items\":[]}"), "has no items"},
    {ENV("{\"kind\":\"list\",\"slots\":{}}"), "items, not slots"},
    {ENV("{\"kind\":\"list\",\"items\":{}}"), "expected an array"},
    {ENV("{\"kind\":\"list\",\"items\":[null,{\"kind\":\"list\",\"items\":[1]}]}"),
     "$.root.items[1].items[0]"},
    {ENV("{\"kind\":\"star\",\"kind\":\"star\"}"), "invalid JSON"}, /* duplicate key */
    {ENV("{\"kind\":\"star\"} trailing"), "invalid JSON"},
};

static void test_invalid_json(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    uf_tree *t = (uf_tree *)1;
    uf_error err;
    uf_status st = uf_serde_load(BAD[i].json, strlen(BAD[i].json), &t, &err);
    if (st != UF_SERDE) fail_msg("%s: status %s, want SERDE", BAD[i].json, uf_status_name(st));
    assert_null(t);
    assert_int_equal(err.code, UF_SERDE);
    if (!strstr(err.message, BAD[i].msg))
      fail_msg("%s: message '%s' lacks '%s'", BAD[i].json, err.message, BAD[i].msg);
  }
}

static void test_null_arguments(void **state) {
  (void)state;
  uf_error err;
  char *json = (char *)1;
  assert_int_equal(uf_serde_dump(NULL, &json, NULL, &err), UF_INVALID_ARGUMENT);
  assert_null(json);
  assert_int_equal(uf_serde_load(NULL, 0, NULL, &err), UF_INVALID_ARGUMENT);
}

/* A chain of NOT nodes: dump refuses beyond its limit instead of recursing
 * without bound; load refuses JSON nested deeper than the limit. */
static void test_depth_limits(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_node *n = uf_b_star(t);
  for (int i = 0; i < 1018; i++) n = uf_b_not(t, n);
  uf_node_add_comment(t, uf_get(uf_get(n, UF_SLOT_THIS), UF_SLOT_THIS), "deep", 4, true, false, NULL);
  n = uf_b_not(t, n); /* 1020 levels: the limit */
  check_round_trip(n, "1020 levels");
  for (int i = 0; i < 200000; i++) n = uf_b_not(t, n);
  char *json = NULL;
  uf_error err;
  assert_int_equal(uf_serde_dump(n, &json, NULL, &err), UF_LIMIT_EXCEEDED);
  assert_null(json);
  uf_tree_free(t);

  /* 1100 nested nodes written by hand */
  size_t cap = 1100 * 64 + 64, len = 0;
  char *doc = malloc(cap);
  len += (size_t)sprintf(doc + len, "{\"unifier_ast\":1,\"root\":");
  for (int i = 0; i < 1100; i++)
    len += (size_t)sprintf(doc + len, "{\"kind\":\"not\",\"slots\":{\"this\":");
  len += (size_t)sprintf(doc + len, "{\"kind\":\"star\"}");
  for (int i = 0; i < 1100; i++) len += (size_t)sprintf(doc + len, "}}");
  len += (size_t)sprintf(doc + len, "}");
  uf_tree *out = NULL;
  assert_int_equal(uf_serde_load(doc, len, &out, &err), UF_SERDE);
  assert_null(out);
  free(doc);
}

/* Mutated dumps: every single-byte change must load or fail cleanly. */
static void test_mutations(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_node *sel = uf_b_select(t);
  uf_b_select_add(t, sel, uf_b_alias(t, uf_b_func(t, "sum", 1, uf_b_column(t, "t", "x")), "s"), NULL);
  uf_b_select_from(t, sel, uf_b_table(t, "main", "t"), NULL);
  uf_b_select_where(t, sel, uf_b_eq(t, uf_b_column(t, NULL, "y"), uf_b_string(t, "it's")), NULL);
  char *json;
  size_t len;
  assert_int_equal(uf_serde_dump(sel, &json, &len, NULL), UF_OK);
  static const char repl[] = "{}[]\",:0a\\ -";
  char *m = malloc(len + 1);
  size_t ok = 0, bad = 0;
  for (size_t i = 0; i < len; i++) {
    for (size_t r = 0; r < sizeof repl - 1; r++) {
      memcpy(m, json, len + 1);
      m[i] = repl[r];
      uf_tree *out = NULL;
      uf_error err;
      uf_status st = uf_serde_load(m, len, &out, &err);
      if (st == UF_OK) ok++, uf_tree_free(out);
      else if (st == UF_SERDE) bad++, assert_null(out);
      else fail_msg("mutation %zu/%c: status %s", i, repl[r], uf_status_name(st));
    }
  }
  printf("[serde] mutations: %zu loaded, %zu rejected\n", ok, bad);
  assert_true(bad > ok);
  free(m);
  uf_free(json);
  uf_tree_free(t);
}

/* Every statement of the shared corpora the parser accepts round-trips. */
static void corpus_file(const char *path, const uf_dialect *d, size_t *n_ok,
                        size_t *n_skipped) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  uf_stmt_reader *r;
  assert_int_equal(uf_stmt_reader_open(f, d, &r, NULL), UF_OK);
  const char *sql;
  size_t len;
  uint32_t line;
  while (uf_stmt_reader_next(r, &sql, &len, &line, NULL) == UF_OK) {
    uf_parse_options o = {.dialect = d, .first_line = line};
    uf_tree *t = NULL;
    if (uf_parse_one(sql, len, &o, &t, NULL) != UF_OK &&
        uf_parse_expr(sql, len, &o, &t, NULL) != UF_OK) {
      (*n_skipped)++;
      continue;
    }
    char what[256];
    snprintf(what, sizeof what, "%s:%u: %.*s", path, line, len > 120 ? 120 : (int)len, sql);
    check_round_trip(uf_tree_root(t), what);
    uf_tree_free(t);
    (*n_ok)++;
  }
  uf_stmt_reader_free(r);
  fclose(f);
}

static void test_corpora(void **state) {
  (void)state;
  size_t ok = 0, skipped = 0;
  char path[512];
  for (int q = 1; q <= 22; q++) {
    snprintf(path, sizeof path, "%s/corpora/tpch/queries/q%02d.sql", UF_SHARED_DIR, q);
    corpus_file(path, NULL, &ok, &skipped);
  }
  snprintf(path, sizeof path, "%s/corpora/sqlglot/pretty.sql", UF_SHARED_DIR);
  corpus_file(path, NULL, &ok, &skipped);
  printf("[serde] corpus: %zu statements round-tripped (%zu not parsed)\n", ok, skipped);
}

/* identity.sql has one statement or expression per line (not ';'-split). */
static void test_identity_lines(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s/corpora/sqlglot/identity.sql", UF_SHARED_DIR);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  char line[8192];
  size_t ok = 0, skipped = 0;
  uint32_t no = 0;
  while (fgets(line, sizeof line, f)) {
    no++;
    size_t len = strcspn(line, "\r\n");
    uf_tree *t = NULL;
    if (uf_parse_one(line, len, NULL, &t, NULL) != UF_OK &&
        uf_parse_expr(line, len, NULL, &t, NULL) != UF_OK) {
      skipped++;
      continue;
    }
    char what[256];
    snprintf(what, sizeof what, "identity.sql:%u: %.*s", no, len > 120 ? 120 : (int)len, line);
    check_round_trip(uf_tree_root(t), what);
    uf_tree_free(t);
    ok++;
  }
  fclose(f);
  printf("[serde] identity.sql: %zu lines round-tripped (%zu not parsed)\n", ok, skipped);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_kind),
      cmocka_unit_test(test_empty_fields_omitted),
      cmocka_unit_test(test_non_utf8_text),
      cmocka_unit_test(test_invalid_json),
      cmocka_unit_test(test_null_arguments),
      cmocka_unit_test(test_depth_limits),
      cmocka_unit_test(test_mutations),
      cmocka_unit_test(test_corpora),
      cmocka_unit_test(test_identity_lines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
