/* Builder API: each built tree renders to the expected SQL and re-parses
 * to an equal AST (the builder makes the parser's shapes); misuse is an
 * error, not a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unifier/unifier.h"

static char *json_of(const uf_node *n) {
  char *j = NULL;
  uf_serde_dump(n, &j, NULL, NULL);
  return j;
}

/* Renders n in d, compares with want, re-parses and compares ASTs. */
static void check_sql(const uf_node *n, const uf_dialect *d, const char *want,
                      bool is_expr) {
  if (!n) fail_msg("builder returned NULL for: %s", want);
  uf_gen_options go = {.dialect = d};
  char *sql = NULL;
  uf_error err;
  if (uf_generate(n, &go, &sql, NULL, &err) != UF_OK)
    fail_msg("generate failed for %s: %s", want, err.message);
  if (strcmp(sql, want) != 0) fail_msg("rendered\n  %s\nwant\n  %s", sql, want);
  uf_parse_options po = {.dialect = d};
  uf_tree *t = NULL;
  uf_status st = is_expr ? uf_parse_expr(sql, strlen(sql), &po, &t, &err)
                         : uf_parse_one(sql, strlen(sql), &po, &t, &err);
  if (st != UF_OK) fail_msg("re-parse of %s failed: %s", sql, err.message);
  if (!uf_node_equal(n, uf_tree_root(t), false)) {
    char *a = json_of(n), *b = json_of(uf_tree_root(t));
    fail_msg("%s: built and parsed ASTs differ\nbuilt:  %s\nparsed: %s", sql, a, b);
  }
  uf_tree_free(t);
  uf_free(sql);
}

#define EXPR(n, want) check_sql((n), NULL, (want), true)
#define STMT(n, want) check_sql((n), NULL, (want), false)

static void test_atoms(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  char *sql = NULL;
  assert_int_equal(uf_generate(uf_b_ident(t, "Abc", true), NULL, &sql, NULL, NULL), UF_OK);
  assert_string_equal(sql, "\"Abc\"");
  uf_free(sql);
  EXPR(uf_b_column(t, NULL, "Abc"), "Abc");
  EXPR(uf_b_column(t, "t", "a"), "t.a");
  EXPR(uf_b_column(t, NULL, "select"), "\"select\"");
  EXPR(uf_b_column(t, NULL, "two words"), "\"two words\"");
  EXPR(uf_b_int(t, 42), "42");
  EXPR(uf_b_int(t, -7), "-7");
  EXPR(uf_b_int(t, INT64_MIN), "-9223372036854775808");
  EXPR(uf_b_number(t, "1.5e3"), "1.5e3");
  EXPR(uf_b_string(t, "it's"), "'it''s'");
  EXPR(uf_b_bool(t, true), "TRUE");
  EXPR(uf_b_bool(t, false), "FALSE");
  EXPR(uf_b_null(t), "NULL");
  EXPR(uf_b_param(t, "1"), "$1");
  EXPR(uf_b_param(t, "name"), "$name");
  EXPR(uf_b_param(t, NULL), "?");
  uf_tree_free(t);
}

static void test_expressions(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_node *a = uf_b_column(t, NULL, "a"), *b = uf_b_column(t, NULL, "b");
  EXPR(uf_b_eq(t, a, uf_b_int(t, 1)), "a = 1");
  EXPR(uf_b_neq(t, a, b), "a <> b");
  EXPR(uf_b_and(t, uf_b_lt(t, a, b), uf_b_gte(t, a, uf_b_int(t, 0))), "a < b AND a >= 0");
  EXPR(uf_b_or(t, uf_b_lte(t, a, b), uf_b_gt(t, a, b)), "a <= b OR a > b");
  EXPR(uf_b_binary(t, "and", a, b), "a AND b");
  EXPR(uf_b_binary(t, "||", a, uf_b_string(t, "x")), "a || 'x'");
  EXPR(uf_b_binary(t, "+", a, uf_b_binary(t, "*", b, uf_b_int(t, 2))), "a + b * 2");
  EXPR(uf_b_binary(t, "*", uf_b_paren(t, uf_b_binary(t, "+", a, b)), uf_b_int(t, 2)),
       "(a + b) * 2");
  EXPR(uf_b_not(t, a), "NOT a");
  EXPR(uf_b_is_null(t, a, false), "a IS NULL");
  EXPR(uf_b_is_null(t, a, true), "a IS NOT NULL");
  EXPR(uf_b_func(t, "coalesce", 2, a, uf_b_int(t, 0)), "coalesce(a, 0)");
  uf_node *args[] = {a, b, uf_b_string(t, "-")};
  EXPR(uf_b_func_v(t, "concat_ws", 3, args), "concat_ws(a, b, '-')");
  EXPR(uf_b_func(t, "now", 0), "now()");
  EXPR(uf_b_cast(t, a, "bigint"), "CAST(a AS BIGINT)");
  EXPR(uf_b_cast_to(t, a, uf_b_type_params(t, "decimal", 2, (int64_t[]){18, 3})),
       "CAST(a AS DECIMAL(18, 3))");
  uf_node *ty = NULL;
  uf_error err;
  assert_int_equal(uf_b_parse_type(t, "INTEGER[]", NULL, &ty, &err), UF_OK);
  EXPR(uf_b_cast_to(t, a, ty), "CAST(a AS INTEGER[])");
  assert_int_equal(uf_b_parse_type(t, "NOT A TYPE ((", NULL, &ty, &err), UF_SYNTAX);
  assert_null(ty);
  uf_node *e = NULL;
  assert_int_equal(uf_b_parse_expr(t, "x BETWEEN 1 AND 2", NULL, &e, &err), UF_OK);
  EXPR(uf_b_and(t, e, a), "x BETWEEN 1 AND 2 AND a");
  assert_int_equal(uf_b_parse_expr(t, "1 +", NULL, &e, &err), UF_SYNTAX);
  assert_true(err.line == 1 && err.column > 0);
  uf_tree_free(t);
}

static void test_select(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_error err;
  uf_node *sel = uf_b_select(t);
  assert_int_equal(uf_b_select_add(t, sel, uf_b_column(t, "t", "a"), &err), UF_OK);
  assert_int_equal(uf_b_select_add(t, sel, uf_b_alias(t, uf_b_func(t, "sum", 1,
                   uf_b_column(t, NULL, "x")), "s"), &err), UF_OK);
  assert_int_equal(uf_b_select_from(t, sel, uf_b_table(t, "main", "t"), &err), UF_OK);
  assert_int_equal(uf_b_select_where(t, sel, uf_b_gt(t, uf_b_column(t, NULL, "a"),
                   uf_b_int(t, 1)), &err), UF_OK);
  assert_int_equal(uf_b_select_where(t, sel, uf_b_is_null(t, uf_b_column(t, NULL, "b"),
                   true), &err), UF_OK);
  assert_int_equal(uf_b_select_group_by(t, sel, uf_b_column(t, "t", "a"), &err), UF_OK);
  assert_int_equal(uf_b_order_by(t, sel, uf_b_ordered(t, uf_b_column(t, NULL, "s"), true),
                   &err), UF_OK);
  assert_int_equal(uf_b_order_by(t, sel, uf_b_column(t, "t", "a"), &err), UF_OK);
  assert_int_equal(uf_b_limit(t, sel, 10, &err), UF_OK);
  assert_int_equal(uf_b_offset(t, sel, 5, &err), UF_OK);
  STMT(sel, "SELECT t.a, sum(x) AS s FROM main.t WHERE a > 1 AND b IS NOT NULL "
            "GROUP BY t.a ORDER BY s DESC, t.a LIMIT 10 OFFSET 5");

  uf_node *s2 = uf_b_select(t);
  uf_b_select_add(t, s2, uf_b_star(t), &err);
  uf_b_select_from(t, s2, uf_b_table(t, NULL, "a"), &err);
  uf_b_select_from(t, s2, uf_b_table(t, NULL, "b"), &err);
  STMT(s2, "SELECT * FROM a, b");

  uf_node *s3 = uf_b_select(t);
  uf_b_select_add(t, s3, uf_b_column(t, "u", "*"), &err);
  uf_node *u = uf_b_table(t, NULL, "users");
  assert_int_equal(uf_b_table_alias(t, u, "u", &err), UF_OK);
  uf_node *o = uf_b_table(t, NULL, "orders");
  uf_b_table_alias(t, o, "o", &err);
  uf_node *on = uf_b_eq(t, uf_b_column(t, "u", "id"), uf_b_column(t, "o", "user_id"));
  uf_b_select_from(t, s3, uf_b_join(t, "left", u, o, on), &err);
  STMT(s3, "SELECT u.* FROM users AS u LEFT JOIN orders AS o ON u.id = o.user_id");

  uf_node *s4 = uf_b_select(t);
  uf_b_select_add(t, s4, uf_b_column(t, NULL, "n"), &err);
  uf_node *inner = uf_b_select(t);
  uf_b_select_add(t, inner, uf_b_alias(t, uf_b_int(t, 1), "n"), &err);
  uf_b_select_from(t, s4, uf_b_join(t, "INNER", uf_b_derived(t, inner, "d"),
                   uf_b_table(t, NULL, "e"), uf_b_bool(t, true)), &err);
  STMT(s4, "SELECT n FROM (SELECT 1 AS n) AS d JOIN e ON TRUE");

  uf_node *s5 = uf_b_select(t);
  uf_b_select_add(t, s5, uf_b_int(t, 1), &err);
  uf_node *s6 = uf_b_select(t);
  uf_b_select_add(t, s6, uf_b_int(t, 2), &err);
  STMT(uf_b_set_op(t, "union", true, s5, s6), "SELECT 1 UNION ALL SELECT 2");
  uf_tree_free(t);
}

static void test_statements(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_error err;
  uf_node *q = uf_b_select(t);
  uf_b_select_add(t, q, uf_b_star(t), &err);
  uf_b_select_from(t, q, uf_b_table(t, NULL, "src"), &err);

  STMT(uf_b_create_table_as(t, uf_b_table(t, "s", "dst"), q, false),
       "CREATE TABLE s.dst AS SELECT * FROM src");
  STMT(uf_b_create_table_as(t, uf_b_table(t, NULL, "dst"), q, true),
       "CREATE OR REPLACE TABLE dst AS SELECT * FROM src");
  STMT(uf_b_create_view(t, uf_b_table(t, NULL, "v"), q, true),
       "CREATE OR REPLACE VIEW v AS SELECT * FROM src");
  uf_node *cols = uf_b_list(t);
  uf_b_list_push(t, cols, uf_b_column_def(t, "id", uf_b_type(t, "bigint"), true), &err);
  uf_b_list_push(t, cols, uf_b_column_def(t, "name", uf_b_type(t, "VARCHAR"), false), &err);
  uf_b_list_push(t, cols, uf_b_column_def(t, "price", uf_b_type_params(t, "DECIMAL", 2,
                 (int64_t[]){18, 3}), false), &err);
  STMT(uf_b_create_table(t, uf_b_table(t, NULL, "items"), cols),
       "CREATE TABLE items (id BIGINT NOT NULL, name VARCHAR, price DECIMAL(18, 3))");
  STMT(uf_b_insert(t, uf_b_table(t, NULL, "dst"), q), "INSERT INTO dst SELECT * FROM src");

  STMT(uf_b_copy_to(t, q, "out.parquet", "parquet", NULL),
       "COPY (SELECT * FROM src) TO 'out.parquet' (FORMAT PARQUET)");
  uf_node *opts = uf_b_list(t);
  uf_b_list_push(t, opts, uf_b_prop(t, "compression", uf_b_string(t, "zstd")), &err);
  uf_b_list_push(t, opts, uf_b_prop(t, "row_group_size", uf_b_int(t, 100000)), &err);
  STMT(uf_b_copy_to(t, uf_b_table(t, NULL, "src"), "out.parquet", "parquet", opts),
       "COPY src TO 'out.parquet' (FORMAT PARQUET, COMPRESSION 'zstd', "
       "ROW_GROUP_SIZE 100000)");
  STMT(uf_b_copy_to(t, uf_b_table(t, NULL, "src"), "out.csv", NULL, NULL),
       "COPY src TO 'out.csv'");
  uf_tree_free(t);
}

/* Out of memory and bad inputs: NULL propagates, statuses report. */
static void test_misuse(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_error err;
  assert_null(uf_b_ident(t, NULL, false));
  assert_null(uf_b_eq(t, NULL, uf_b_int(t, 1)));
  assert_null(uf_b_func(t, "f", 2, uf_b_int(t, 1), NULL));
  assert_null(uf_b_cast(t, NULL, "INT"));
  assert_null(uf_b_alias(t, uf_b_int(t, 1), NULL));
  assert_null(uf_b_ident(NULL, "a", false));
  assert_null(uf_b_copy_to(t, uf_b_table(t, NULL, "x"), NULL, NULL, NULL));
  uf_node *notsel = uf_b_int(t, 1);
  assert_int_equal(uf_b_select_add(t, notsel, uf_b_int(t, 1), &err), UF_INVALID_ARGUMENT);
  assert_non_null(strstr(err.message, "expected select"));
  uf_node *sel = uf_b_select(t);
  assert_int_equal(uf_b_select_add(t, sel, NULL, &err), UF_INVALID_ARGUMENT);
  assert_non_null(strstr(err.message, "NULL"));
  assert_int_equal(uf_b_select_where(t, NULL, uf_b_int(t, 1), &err), UF_INVALID_ARGUMENT);
  assert_int_equal(uf_b_limit(t, notsel, 1, &err), UF_INVALID_ARGUMENT);
  assert_int_equal(uf_b_order_by(t, sel, NULL, &err), UF_INVALID_ARGUMENT);
  assert_int_equal(uf_b_list_push(t, notsel, sel, &err), UF_INVALID_ARGUMENT);
  assert_int_equal(uf_b_table_alias(t, notsel, "x", &err), UF_INVALID_ARGUMENT);
  assert_int_equal(uf_b_parse_expr(t, NULL, NULL, &notsel, &err), UF_INVALID_ARGUMENT);
  assert_null(notsel);
  uf_tree_free(t);
}

/* Builders leave parsed trees' invariants intact: serde and fingerprints
 * of a built tree equal those of its parse. */
static void test_fingerprint_matches_parse(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_error err;
  uf_node *sel = uf_b_select(t);
  uf_b_select_add(t, sel, uf_b_func(t, "count", 1, uf_b_star(t)), &err);
  uf_b_select_from(t, sel, uf_b_table(t, NULL, "lineitem"), &err);
  uf_b_select_where(t, sel, uf_b_lt(t, uf_b_column(t, NULL, "l_shipdate"),
                    uf_b_cast(t, uf_b_string(t, "1998-09-02"), "DATE")), &err);
  const char *sql = "select COUNT(*) from LINEITEM where l_shipdate < cast('1998-09-02' as date)";
  uf_tree *p = NULL;
  assert_int_equal(uf_parse_one(sql, strlen(sql), NULL, &p, &err), UF_OK);
  char h1[UF_FINGERPRINT_HEX], h2[UF_FINGERPRINT_HEX];
  assert_int_equal(uf_fingerprint_hex(sel, NULL, h1, &err), UF_OK);
  assert_int_equal(uf_fingerprint_hex(uf_tree_root(p), NULL, h2, &err), UF_OK);
  if (strcmp(h1, h2) != 0) {
    char *a = json_of(sel), *b = json_of(uf_tree_root(p));
    fail_msg("fingerprints differ\nbuilt:  %s\nparsed: %s", a, b);
  }
  uf_tree_free(p);
  uf_tree_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_atoms),
      cmocka_unit_test(test_expressions),
      cmocka_unit_test(test_select),
      cmocka_unit_test(test_statements),
      cmocka_unit_test(test_misuse),
      cmocka_unit_test(test_fingerprint_matches_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
