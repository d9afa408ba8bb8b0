/* Generator primitives: tokens never fuse in the output, prefix operators
 * at the right edge round-trip without parentheses, comments re-lex to the
 * same comments and fmt of comment-only input is a fixed point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unifier/ast.h"
#include "unifier/sql.h"
#include "../support/support.h"

/* ---- helpers ---- */

typedef struct { const char *in, *out; } pair;

static void expect_outputs(const pair *cases, bool expr, bool pretty) {
  for (int i = 0; cases[i].in; i++) {
    char *out = ut_round_trip_must(cases[i].in, NULL,
                                   expr ? UT_EXPR : UT_SCRIPT, pretty);
    if (strcmp(out, cases[i].out) != 0)
      fail_msg("[%s] -> [%s], expected [%s]", cases[i].in, out, cases[i].out);
    free(out);
  }
}

/* ---- tokens that would fuse ---- */

static void test_no_fused_tokens(void **state) {
  (void)state;
  static const pair EXPRS[] = {
      {"~ *", "~ *"},           {"- -x", "- -x"},         {"~ ~x", "~ ~x"},
      {"@ @x", "@ @x"},         {"- - - 1", "- - -1"},    {"x - -1", "x - -1"},
      {"+ -x", "+ -x"},          {"- +x", "- +x"},          {"~ * + 1", "~ * + 1"},
      {"- ~x", "- ~x"},          {"@ -x", "@ -x"},
      {NULL, NULL}};
  expect_outputs(EXPRS, true, false);
  static const pair STMTS[] = {
      {"SELECT~ *, 1 FROM test", "SELECT ~ *, 1 FROM test"},
      {"SELECT - - 1", "SELECT - -1"},
      {"SELECT ~ *", "SELECT ~ *"},
      {NULL, NULL}};
  expect_outputs(STMTS, false, false);
}

/* ---- prefix operators at the right edge ---- */

static void test_prefix_right_edge(void **state) {
  (void)state;
  static const pair EXPRS[] = {
      {"+NOT \"\"", "+NOT \"\""},
      {"NO- NOT+ 1", "NO - NOT +1"},
      {"a - NOT b = c", "a - NOT b = c"},       /* NOT takes "b = c" */
      {"a - NOT b AND c", "a - NOT b AND c"},   /* ... but not AND */
      {"a * - NOT b OR c", "a * -NOT b OR c"},
      {"x BETWEEN NOT a AND b", "x BETWEEN NOT a AND b"},
      {"x LIKE NOT a ESCAPE NOT b", "x LIKE NOT a ESCAPE NOT b"},
      {"x IS DISTINCT FROM NOT y", "x IS DISTINCT FROM NOT y"},
      {"1 + LAMBDA x: x + 1", "1 + LAMBDA x: x + 1"},
      {"(a - NOT b) = c", "(a - NOT b) = c"},
      {"a - (NOT b) = c", "a - (NOT b) = c"},
      {NULL, NULL}};
  expect_outputs(EXPRS, true, false);
  expect_outputs((const pair[]){{"SELECT NOT NO+ NOT NOT o3", "SELECT NOT NO + NOT NOT o3"},
                                {"SELECT 1 - NOT a, NOT b", "SELECT 1 - NOT a, NOT b"},
                                {NULL, NULL}},
                 false, false);
}

static uf_node *leaf(uf_tree *t, const char *name) {
  return uf_node_new_text(t, UF_NUMBER, name, strlen(name));
}

static uf_node *op2(uf_tree *t, const char *op, uf_node *l, uf_node *r) {
  uf_node *n = uf_node_new_text(t, UF_BINARY, op, strlen(op));
  assert_int_equal(uf_set(n, UF_SLOT_LEFT, l, NULL), UF_OK);
  assert_int_equal(uf_set(n, UF_SLOT_RIGHT, r, NULL), UF_OK);
  return n;
}

static uf_node *not1(uf_tree *t, uf_node *e) {
  uf_node *n = uf_node_new(t, UF_NOT);
  assert_int_equal(uf_set(n, UF_SLOT_THIS, e, NULL), UF_OK);
  return n;
}

static void expect_built(const uf_node *n, const char *want) {
  uf_error err;
  uf_status st;
  char *out = ut_gen_st(n, NULL, false, &st, &err);
  assert_int_equal(st, UF_OK);
  if (strcmp(out, want) != 0) fail_msg("built tree -> [%s], expected [%s]", out, want);
  free(out);
}

/* Trees built in code: NOT is bare only where its operand would stop. */
static void test_prefix_built_trees(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  expect_built(op2(t, "-", leaf(t, "1"), not1(t, leaf(t, "2"))), "1 - NOT 2");
  expect_built(op2(t, "=", op2(t, "-", leaf(t, "1"), not1(t, leaf(t, "2"))), leaf(t, "3")),
               "1 - (NOT 2) = 3");
  expect_built(op2(t, "+", not1(t, leaf(t, "1")), leaf(t, "2")), "(NOT 1) + 2");
  expect_built(op2(t, "-", op2(t, "-", leaf(t, "1"), not1(t, leaf(t, "2"))), leaf(t, "3")),
               "1 - (NOT 2) - 3");
  uf_node *and = uf_node_new(t, UF_AND);
  uf_set(and, UF_SLOT_LEFT, op2(t, "-", leaf(t, "1"), not1(t, leaf(t, "2"))), NULL);
  uf_set(and, UF_SLOT_RIGHT, leaf(t, "3"), NULL);
  expect_built(and, "1 - NOT 2 AND 3");
  uf_tree_free(t);
}

/* ---- comments ---- */

static void test_comment_forms(void **state) {
  (void)state;
  static const pair SCRIPTS[] = {
      {"--1//", "--1//\n"},                 /* as a block comment it would nest */
      {"--*/", "--*/\n"},
      {"--/*", "--/*\n"},
      {";--", "/**/"},
      {"/**/", "/**/"},
      {"--a\n--b", "/*a*/ /*b*/"},
      {"SELECT 1 --x */ y", "SELECT 1 --x */ y\n"},
      {"SELECT 1 --x */ y\n", "SELECT 1 --x */ y\n"},
      {"--c\nSELECT 1", "/*c*/ SELECT 1"},
      {"SELECT 1; /* c */ SELECT 2", "SELECT 1;\n/* c */ SELECT 2"},
      {"SELECT 1 /* a /* nested */ b */", "SELECT 1 /* a /* nested */ b */"},
      {"SELECT /* x */ 1 -- end", "SELECT /* x */ 1 /* end*/"},
      {"SELECT --x/*\n1", "SELECT --x/*\n1"},
      {NULL, NULL}};
  expect_outputs(SCRIPTS, false, false);
  for (int i = 0; SCRIPTS[i].in; i++)
    free(ut_round_trip_must(SCRIPTS[i].in, NULL, UT_SCRIPT, true));
}

/* Pretty: a statement's leading comments stand on their own lines. */
static void test_pretty_leading_comments(void **state) {
  (void)state;
  static const pair SCRIPTS[] = {
      {"--c\nSELECT 1", "--c\nSELECT\n  1"},
      {"/* c */ SELECT 1", "/* c */\nSELECT\n  1"},
      {"SELECT 1; -- two\nSELECT 2", "SELECT\n  1;\n\n-- two\nSELECT\n  2"},
      {";--", "--\n"}, /* an empty script's trailing comment reads back leading */
      {"--", "--\n"},
      {"--a\n; --b\n; --c*/", "--a\n--b\n--c*/\n"},
      {NULL, NULL}};
  expect_outputs(SCRIPTS, false, true);
}

/* Comments before clause keywords (which start no node of their own) are
 * kept, next to the first node after them, and stay put under fmt. */
static void test_comments_never_dropped(void **state) {
  (void)state;
  static const char *const SCRIPTS[] = {
      "SELECT a -- c1\nFROM t -- c2\nWHERE x = 1 /* c3 */ ORDER /* c4 */ BY a",
      "SELECT a FROM t /* c1 */ GROUP BY a /* c2 */ HAVING count(*) > 1 /* c3 */ LIMIT 1",
      "WITH /* c1 */ w AS (SELECT 1) SELECT * FROM w /* c2 */ UNION /* c3 */ ALL SELECT 2",
      "CREATE /* c1 */ TABLE t (a INT /* c2 */, b INT) -- c3",
      "SELECT CASE /* c1 */ WHEN a THEN 1 /* c2 */ ELSE 2 END FROM t",
      NULL};
  for (int i = 0; SCRIPTS[i]; i++) {
    for (int pretty = 0; pretty < 2; pretty++) {
      char *out = ut_round_trip_must(SCRIPTS[i], NULL, UT_SCRIPT, pretty);
      for (int c = 1; c <= 4; c++) {
        char tag[8];
        snprintf(tag, sizeof tag, "c%d", c);
        if (strstr(SCRIPTS[i], tag) && !strstr(out, tag))
          fail_msg("comment %s dropped:\n  in:  %s\n  out: %s", tag, SCRIPTS[i], out);
      }
      free(out);
    }
  }
}

/* A rule that adds a join after a comma list builds (a, b) LEFT JOIN c:
 * written `a, b LEFT JOIN c` it would read as a, (b LEFT JOIN c), so the
 * comma is written CROSS JOIN, and the text re-parses to the same tree. */
static void test_comma_join_on_left_spine(void **state) {
  (void)state;
  const char *sql = "SELECT * FROM a, b, d LEFT JOIN c ON b.x = c.x";
  uf_tree *t = ut_parse_must(sql, NULL);
  uf_node *sel = uf_tree_root(t);
  /* FROM is ((a, b), (d LEFT JOIN c)); rebuild as ((a, b), d) LEFT JOIN c */
  uf_node *outer = uf_get(sel, UF_SLOT_FROM), *lj = uf_get(outer, UF_SLOT_RIGHT);
  assert_true(uf_is(lj, UF_JOIN) && strcmp(lj->text, "LEFT") == 0);
  assert_int_equal(uf_set(outer, UF_SLOT_RIGHT, uf_get(lj, UF_SLOT_LEFT), NULL), UF_OK);
  assert_int_equal(uf_set(lj, UF_SLOT_LEFT, outer, NULL), UF_OK);
  assert_int_equal(uf_set(sel, UF_SLOT_FROM, lj, NULL), UF_OK);
  char *out = ut_gen(sel, NULL, false, NULL);
  assert_non_null(out);
  assert_string_equal(out, "SELECT * FROM a CROSS JOIN b CROSS JOIN d LEFT JOIN c ON b.x = c.x");
  uf_tree *back = ut_parse_must(out, NULL);
  assert_true(uf_node_equal(sel, uf_tree_root(back), false));
  free(out);
  uf_tree_free(back);
  uf_tree_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_no_fused_tokens),   cmocka_unit_test(test_prefix_right_edge),
      cmocka_unit_test(test_prefix_built_trees), cmocka_unit_test(test_comment_forms),
      cmocka_unit_test(test_pretty_leading_comments),
      cmocka_unit_test(test_comments_never_dropped),
      cmocka_unit_test(test_comma_join_on_left_spine),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
