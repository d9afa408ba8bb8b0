/*
 * The safety gate: the hostile corpus (tests/safety/hostile.sql) is refused
 * under query-only with the expected rules and allowed under the least
 * preset each case names; classification, presets, roots and symlinks.
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unifier/safety.h"
#include "unifier/sql.h"
#include "../safety/corpus.h"

#ifndef UF_SOURCE_DIR
#define UF_SOURCE_DIR "."
#endif
#define CORPUS UF_SOURCE_DIR "/tests/safety/hostile.sql"

static uf_tree *parse_or_fail(const char *sql) {
  uf_tree *t = NULL;
  uf_error err;
  if (uf_parse(sql, strlen(sql), NULL, &t, &err) != UF_OK) {
    print_error("parse failed: %s\n  input: %s\n", err.message, sql);
    return NULL;
  }
  return t;
}

static void print_violations(const uf_violations *v) {
  for (size_t i = 0; i < uf_violations_count(v); i++) {
    const uf_violation *x = uf_violations_at(v, i);
    print_error("    %s at %u:%u: %s\n", x->rule, x->line, x->column,
                x->message);
  }
}

/* Checks input under p; returns the violations (NULL when allowed). */
static uf_violations *check(const uf_node *root, const uf_exec_policy *p,
                            uf_status *st) {
  uf_violations *v = NULL;
  uf_error err;
  *st = uf_safety_check(root, p, &v, &err);
  return v;
}

static bool has_all_rules(const uf_violations *v, const char *rules) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", rules);
  char *save = NULL;
  for (char *r = strtok_r(buf, " ", &save); r; r = strtok_r(NULL, " ", &save))
    if (!uf_violations_has(v, r)) {
      print_error("  missing rule %s\n", r);
      return false;
    }
  return true;
}

static void test_hostile_corpus(void **state) {
  (void)state;
  hostile_case *cs = NULL;
  long n = hostile_load(CORPUS, &cs);
  assert_true(n >= 150);
  char cwd[PATH_MAX];
  assert_non_null(getcwd(cwd, sizeof cwd));
  const char *roots[] = {cwd};
  int failures = 0, allowed = 0;
  for (long i = 0; i < n; i++) {
    hostile_case *c = &cs[i];
    uf_tree *t = parse_or_fail(c->sql);
    if (!t) {
      failures++;
      continue;
    }
    const uf_node *root = uf_tree_root(t);
    uf_status st;
    /* 1. refused under query-only with the expected rules */
    uf_exec_policy q = uf_policy_preset_get(UF_POLICY_QUERY_ONLY);
    uf_violations *v = check(root, &q, &st);
    if (st != UF_POLICY || !has_all_rules(v, c->rules)) {
      print_error("case at line %d not refused as expected under "
                  "query-only (status %s, want %s):\n  %s\n", c->line,
                  uf_status_name(st), c->rules, c->sql);
      print_violations(v);
      failures++;
    }
    uf_violations_free(v);
    /* 2. allowed under its least preset */
    uf_exec_policy p = uf_policy_preset_get(c->least);
    if (c->needs_root) p.roots = roots, p.nroots = 1;
    v = check(root, &p, &st);
    if (st != UF_OK) {
      print_error("case at line %d refused under %s%s (want allowed):\n  "
                  "%s\n", c->line, uf_policy_preset_name(c->least),
                  c->needs_root ? "+root" : "", c->sql);
      print_violations(v);
      failures++;
    } else {
      allowed++;
    }
    uf_violations_free(v);
    /* 3. refused under the preset below (same roots) */
    if (c->least > UF_POLICY_QUERY_ONLY) {
      uf_exec_policy b = uf_policy_preset_get(c->least - 1);
      if (c->needs_root) b.roots = roots, b.nroots = 1;
      v = check(root, &b, &st);
      if (st != UF_POLICY) {
        print_error("case at line %d allowed under %s, below its least "
                    "preset %s:\n  %s\n", c->line,
                    uf_policy_preset_name(c->least - 1),
                    uf_policy_preset_name(c->least), c->sql);
        failures++;
      }
      uf_violations_free(v);
    }
    uf_tree_free(t);
  }
  print_message("hostile corpus: %ld cases, %d allowed under their preset, "
                "%d failures\n", n, allowed, failures);
  hostile_free(cs, (size_t)n);
  assert_int_equal(failures, 0);
}

/* Safe queries pass query-only. */
static void test_safe_queries_pass(void **state) {
  (void)state;
  static const char *ok[] = {
      "SELECT 1",
      "SELECT * FROM range(10) r WHERE r.range > $n",
      "WITH x AS (SELECT 1 AS a) SELECT a FROM x",
      "SELECT list_transform([1, 2], x -> x + 1)",
      "SELECT * FROM generate_series(1, 3), unnest([1, 2])",
      "SELECT * FROM information_schema.tables",
      "SELECT * FROM duckdb_tables()",
      "SELECT * FROM pragma_table_info('t')",
      "VALUES (1, 'a'), (2, 'b')",
      "SELECT 1 UNION ALL SELECT 2",
      "EXPLAIN SELECT 1",
      "DESCRIBE t",
      "SHOW TABLES",
      "SELECT 'read_csv(''/etc/passwd'')' AS s",
      "SELECT upper('x.csv'), 'a/b' LIKE '%/%'",
      "SELECT * FROM t AS \"x.y\"",
      "SELECT json_extract('{}', '$.a')",
      "SELECT 1;",
  };
  uf_exec_policy q = uf_policy_preset_get(UF_POLICY_QUERY_ONLY);
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    uf_tree *t = parse_or_fail(ok[i]);
    assert_non_null(t);
    uf_status st;
    uf_violations *v = check(uf_tree_root(t), &q, &st);
    if (st != UF_OK) {
      print_error("safe query refused: %s\n", ok[i]);
      print_violations(v);
    }
    assert_int_equal(st, UF_OK);
    uf_violations_free(v);
    uf_tree_free(t);
  }
}

/* Every violation is reported, with positions, in tree order. */
static void test_reports_every_violation(void **state) {
  (void)state;
  const char *sql =
      "SELECT getenv('HOME'), (SELECT 1 FROM read_csv('/etc/passwd'))\n"
      "FROM query('x'), 'https://e.example/x.csv';\nSET threads = 1";
  uf_tree *t = parse_or_fail(sql);
  assert_non_null(t);
  uf_exec_policy q = uf_policy_preset_get(UF_POLICY_QUERY_ONLY);
  uf_violations *v = NULL;
  uf_error err;
  assert_int_equal(uf_safety_check(uf_tree_root(t), &q, &v, &err), UF_POLICY);
  assert_int_equal(err.line, 3); /* statement.multiple comes first */
  assert_true(strstr(err.message, "statement.multiple") != NULL);
  assert_int_equal(uf_violations_count(v), 6);
  const char *want[] = {"statement.multiple", "function.environment",
                        "file.read", "function.sql_exec", "location.remote",
                        "statement.set"};
  for (size_t i = 0; i < 6; i++)
    assert_string_equal(uf_violations_at(v, i)->rule, want[i]);
  const uf_violation *x = uf_violations_at(v, 1);
  assert_int_equal(x->line, 1);
  assert_int_equal(x->column, 8);
  x = uf_violations_at(v, 4);
  assert_int_equal(x->line, 2);
  uf_violations_free(v);
  /* without an out list, still refused */
  assert_int_equal(uf_safety_check(uf_tree_root(t), &q, NULL, NULL),
                   UF_POLICY);
  uf_tree_free(t);
}

static void test_classify(void **state) {
  (void)state;
  static const struct { const char *sql; uf_stmt_class c; } cases[] = {
      {"SELECT 1", UF_STMT_QUERY}, {"VALUES (1)", UF_STMT_QUERY},
      {"EXPLAIN SELECT 1", UF_STMT_QUERY},
      {"EXPLAIN ANALYZE DELETE FROM t", UF_STMT_DML},
      {"CREATE TEMP TABLE x(a INT)", UF_STMT_TEMP_DDL},
      {"CREATE TABLE x(a INT)", UF_STMT_DDL},
      {"DROP TABLE temp.x", UF_STMT_TEMP_DDL},
      {"DROP TABLE x", UF_STMT_DDL},
      {"INSERT INTO x VALUES (1)", UF_STMT_DML},
      {"BEGIN", UF_STMT_TRANSACTION}, {"SET x = 1", UF_STMT_SET},
      {"PRAGMA version", UF_STMT_PRAGMA}, {"USE x", UF_STMT_ATTACH},
      {"LOAD json", UF_STMT_EXTENSION}, {"CHECKPOINT", UF_STMT_MAINTENANCE},
      {"CALL f()", UF_STMT_CALL}, {"COPY t FROM 'x'", UF_STMT_COPY_FROM},
      {"COPY t TO 'x'", UF_STMT_COPY_TO},
      {"EXPORT DATABASE 'd'", UF_STMT_EXPORT},
      {"IMPORT DATABASE 'd'", UF_STMT_IMPORT},
      {"PREPARE p AS SELECT 1", UF_STMT_PREPARED},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    uf_tree *t = NULL;
    assert_int_equal(uf_parse_one(cases[i].sql, strlen(cases[i].sql), NULL,
                                  &t, NULL), UF_OK);
    uf_stmt_class c = uf_classify_statement(uf_tree_root(t));
    if (c != cases[i].c)
      print_error("%s: got %s want %s\n", cases[i].sql, uf_stmt_class_name(c),
                  uf_stmt_class_name(cases[i].c));
    assert_int_equal(c, cases[i].c);
    uf_tree_free(t);
  }
  assert_int_equal(uf_classify_statement(NULL), UF_STMT_UNKNOWN);
  uf_policy_preset p;
  assert_int_equal(uf_policy_preset_parse("QUERY_WITH_TEMP", &p, NULL), UF_OK);
  assert_int_equal(p, UF_POLICY_QUERY_WITH_TEMP);
  assert_int_equal(uf_policy_preset_parse("full-dml", &p, NULL), UF_OK);
  assert_int_equal(p, UF_POLICY_FULL_DML);
  assert_int_not_equal(uf_policy_preset_parse("root", &p, NULL), UF_OK);
  assert_int_not_equal(uf_policy_preset_parse(NULL, &p, NULL), UF_OK);
}

/* Roots: '..' and symlinks resolve before the comparison. */
static void test_roots_and_symlinks(void **state) {
  (void)state;
  char dir[] = "/tmp/uf_safety_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char allowed[PATH_MAX], outside[PATH_MAX], link[PATH_MAX], sql[PATH_MAX * 3];
  snprintf(allowed, sizeof allowed, "%s/allowed", dir);
  snprintf(outside, sizeof outside, "%s/outside", dir);
  snprintf(link, sizeof link, "%s/allowed/escape", dir);
  assert_int_equal(mkdir(allowed, 0700), 0);
  assert_int_equal(mkdir(outside, 0700), 0);
  assert_int_equal(symlink(outside, link), 0);
  const char *roots[] = {allowed, "s3://bucket/data/"};
  uf_exec_policy p = uf_policy_preset_get(UF_POLICY_QUERY_ONLY);
  p.roots = roots;
  p.nroots = 2;
  struct { const char *fmt; bool ok; } cases[] = {
      {"SELECT * FROM read_csv('%s/allowed/x.csv')", true},
      {"SELECT * FROM read_csv('%s/allowed/sub/../x.csv')", true},
      {"SELECT * FROM read_csv('%s/allowed/*.csv')", true},
      {"SELECT * FROM read_csv('file://%s/allowed/x.csv')", true},
      {"SELECT * FROM read_csv('%s/allowed/../outside/x.csv')", false},
      {"SELECT * FROM read_csv('%s/allowed/escape/x.csv')", false},
      /* the kernel resolves escape/.. to the link target's parent */
      {"SELECT * FROM read_csv('%s/allowed/escape/../allowed/x.csv')", true},
      {"SELECT * FROM read_csv('%s/allowed/escape/../outside/x.csv')", false},
      {"SELECT * FROM read_csv('%s/allowed/escape')", false},
      {"SELECT * FROM read_csv('%s/allowed/*/../../outside/x.csv')", false},
      {"SELECT * FROM read_csv('%s/allowedx/x.csv')", false},
      {"SELECT * FROM read_csv('%s')", false},
      {"SELECT * FROM read_parquet('s3://bucket/data/x.parquet')", true},
      {"SELECT * FROM read_parquet('S3://bucket/data/x.parquet')", true},
      {"SELECT * FROM read_parquet('s3://bucket/data/../x.parquet')", false},
      {"SELECT * FROM read_parquet('s3://bucket/database/x.parquet')", false},
      {"SELECT * FROM read_parquet('s3://other/x.parquet')", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    if (strstr(cases[i].fmt, "%s")) snprintf(sql, sizeof sql, cases[i].fmt, dir);
    else snprintf(sql, sizeof sql, "%s", cases[i].fmt);
    uf_tree *t = parse_or_fail(sql);
    assert_non_null(t);
    uf_status st;
    uf_violations *v = check(uf_tree_root(t), &p, &st);
    if ((st == UF_OK) != cases[i].ok) {
      print_error("%s: got %s\n", sql, uf_status_name(st));
      print_violations(v);
    }
    assert_int_equal(st == UF_OK, cases[i].ok);
    if (!cases[i].ok)
      assert_true(uf_violations_has(v, "location.outside_roots") ||
                  uf_violations_has(v, "location.remote"));
    uf_violations_free(v);
    uf_tree_free(t);
  }
  unlink(link);
  rmdir(allowed);
  rmdir(outside);
  rmdir(dir);
}

/* A policy allowing a class still checks the locations it touches. */
static void test_custom_policy(void **state) {
  (void)state;
  uf_exec_policy p = uf_policy_preset_get(UF_POLICY_QUERY_ONLY);
  p.allowed_classes |= UF_STMT_BIT(UF_STMT_COPY_TO);
  const char *roots[] = {"/tmp/uf_out"};
  p.roots = roots;
  p.nroots = 1;
  const char *ok = "COPY (SELECT 1) TO '/tmp/uf_out/x.csv'";
  const char *bad = "COPY (SELECT 1) TO '/tmp/uf_out/../x.csv'";
  uf_tree *t = parse_or_fail(ok);
  uf_status st;
  uf_violations *v = check(uf_tree_root(t), &p, &st);
  assert_int_equal(st, UF_OK);
  uf_tree_free(t);
  t = parse_or_fail(bad);
  v = check(uf_tree_root(t), &p, &st);
  assert_int_equal(st, UF_POLICY);
  assert_true(uf_violations_has(v, "location.outside_roots"));
  uf_violations_free(v);
  uf_tree_free(t);
  /* max_statements 0 lets scripts through; 2 allows two */
  p.max_statements = 2;
  t = parse_or_fail("SELECT 1; SELECT 2; SELECT 3");
  v = check(uf_tree_root(t), &p, &st);
  assert_int_equal(st, UF_POLICY);
  assert_int_equal(uf_violations_count(v), 1);
  assert_int_equal(uf_violations_at(v, 0)->line, 1);
  assert_int_equal(uf_violations_at(v, 0)->column, 21);
  uf_violations_free(v);
  uf_tree_free(t);
  assert_int_equal(uf_safety_check(NULL, &p, &v, NULL), UF_INVALID_ARGUMENT);
  assert_null(v);
}

/* A pathologically deep tree is a limit error, never a pass. */
static void test_deep_tree(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_node *n = uf_node_new_text(t, UF_NUMBER, "1", 1);
  for (int i = 0; i < 5000; i++) {
    uf_node *p = uf_node_new(t, UF_PAREN);
    uf_set(p, UF_SLOT_THIS, n, NULL);
    n = p;
  }
  uf_exec_policy q = uf_policy_preset_get(UF_POLICY_QUERY_ONLY);
  uf_violations *v = NULL;
  assert_int_equal(uf_safety_check(n, &q, &v, NULL), UF_LIMIT_EXCEEDED);
  assert_null(v);
  uf_tree_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hostile_corpus),
      cmocka_unit_test(test_safe_queries_pass),
      cmocka_unit_test(test_reports_every_violation),
      cmocka_unit_test(test_classify),
      cmocka_unit_test(test_roots_and_symlinks),
      cmocka_unit_test(test_custom_policy),
      cmocka_unit_test(test_deep_tree),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
