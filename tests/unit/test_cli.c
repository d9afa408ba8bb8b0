/* The unifier command: exit codes, --help/--version everywhere, output of
 * parse/fmt/fingerprint checked against the library, error format with
 * line:col and caret, --keep-going, and usage errors. Runs the built binary
 * (UF_CLI_PATH) with posix_spawn on temporary files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "unifier/unifier.h"
#include "../support/support.h"

static char tmpdir[256];

/* Writes text to tmpdir/name; returns the path. */
static const char *write_file(const char *name, const char *text) {
  const char *p = ut_path(tmpdir, name);
  ut_write_file(p, text);
  return p;
}

/* Runs unifier with args (NULL-terminated) and `input` on stdin. */
static ut_result run(const char *input, const char *const *args) {
  return ut_run_cli(tmpdir, write_file("stdin.txt", input ? input : ""), args);
}

static void test_usage(void **state) {
  (void)state;
  ut_result r = run(NULL, UT_ARGS(NULL));
  ut_expect_exit(&r, 2, "no arguments");
  assert_non_null(strstr(r.err, "usage: unifier"));
  ut_result_free(&r);
  r = run(NULL, UT_ARGS("frobnicate"));
  ut_expect_exit(&r, 2, "unknown command");
  assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
  ut_result_free(&r);
  r = run(NULL, UT_ARGS("--help"));
  ut_expect_exit(&r, 0, "--help");
  assert_non_null(strstr(r.out, "fingerprint"));
  ut_result_free(&r);
  r = run(NULL, UT_ARGS("--version"));
  ut_expect_exit(&r, 0, "--version");
  assert_string_equal(r.out, "unifier " UF_VERSION "\n");
  ut_result_free(&r);
  const char *cmds[] = {"parse", "fmt", "fingerprint"};
  for (int i = 0; i < 3; i++) {
    r = run(NULL, UT_ARGS(cmds[i], "--help"));
    ut_expect_exit(&r, 0, cmds[i]);
    char want[64];
    snprintf(want, sizeof want, "usage: unifier %s", cmds[i]);
    assert_non_null(strstr(r.out, want));
    ut_result_free(&r);
    r = run(NULL, UT_ARGS(cmds[i], "--version"));
    ut_expect_exit(&r, 0, cmds[i]);
    assert_string_equal(r.out, "unifier " UF_VERSION "\n");
    ut_result_free(&r);
    r = run(NULL, UT_ARGS(cmds[i], "--bogus"));
    ut_expect_exit(&r, 2, "unknown option");
    assert_non_null(strstr(r.err, "unknown option '--bogus'"));
    ut_result_free(&r);
    r = run(NULL, UT_ARGS(cmds[i], "/nonexistent/file.sql"));
    ut_expect_exit(&r, 2, "missing file");
    assert_non_null(strstr(r.err, "cannot open /nonexistent/file.sql"));
    ut_result_free(&r);
    r = run(NULL, UT_ARGS(cmds[i], "a.sql", "b.sql"));
    ut_expect_exit(&r, 2, "two files");
    ut_result_free(&r);
  }
  r = run(NULL, UT_ARGS("parse", "--dialect", "oracle"));
  ut_expect_exit(&r, 2, "unknown dialect");
  assert_non_null(strstr(r.err, "unknown dialect 'oracle'"));
  ut_result_free(&r);
  r = run(NULL, UT_ARGS("fmt", "--write=mysql"));
  ut_expect_exit(&r, 2, "unknown write dialect");
  ut_result_free(&r);
  r = run(NULL, UT_ARGS("parse", "--dialect"));
  ut_expect_exit(&r, 2, "missing dialect value");
  ut_result_free(&r);
  r = run(NULL, UT_ARGS("parse", "--pretty"));
  ut_expect_exit(&r, 2, "fmt option on parse");
  ut_result_free(&r);
}

/* Each output line is the library's dump of the statement. */
static void test_parse(void **state) {
  (void)state;
  const char *sql = "select a from t;\n-- note\nSELECT 'x;y' AS s;;\n";
  ut_result r = run(sql, UT_ARGS("parse"));
  ut_expect_exit(&r, 0, "parse");
  char *line2 = strchr(r.out, '\n');
  assert_non_null(line2);
  *line2++ = '\0';
  assert_int_equal(strlen(line2) > 0 && line2[strlen(line2) - 1] == '\n', 1);
  line2[strlen(line2) - 1] = '\0';
  assert_null(strchr(line2, '\n'));
  uf_tree *a = NULL, *b = NULL;
  assert_int_equal(uf_serde_load(r.out, strlen(r.out), &a, NULL), UF_OK);
  assert_int_equal(uf_serde_load(line2, strlen(line2), &b, NULL), UF_OK);
  uf_tree *pa = NULL, *pb = NULL;
  assert_int_equal(uf_parse_one("select a from t", 15, NULL, &pa, NULL), UF_OK);
  uf_parse_options o = {.first_line = 2};
  const char *s2 = "-- note\nSELECT 'x;y' AS s";
  assert_int_equal(uf_parse_one(s2, strlen(s2), &o, &pb, NULL), UF_OK);
  assert_true(uf_node_equal(uf_tree_root(a), uf_tree_root(pa), true));
  assert_true(uf_node_equal(uf_tree_root(b), uf_tree_root(pb), true));
  assert_int_equal(uf_tree_root(b)->line, 3); /* SELECT is on line 3 */
  uf_tree_free(a);
  uf_tree_free(b);
  uf_tree_free(pa);
  uf_tree_free(pb);
  ut_result_free(&r);

  const char *path = write_file("in.sql", "SELECT 1");
  r = run(NULL, UT_ARGS("parse", "--dialect=postgres", path));
  ut_expect_exit(&r, 0, "parse file");
  assert_non_null(strstr(r.out, "\"kind\":\"select\""));
  ut_result_free(&r);
}

static void test_fmt(void **state) {
  (void)state;
  ut_result r = run("select a,b from t where x=1;select 1\n", UT_ARGS("fmt"));
  ut_expect_exit(&r, 0, "fmt");
  assert_string_equal(r.out, "SELECT a, b FROM t WHERE x = 1;\nSELECT 1;\n");
  ut_result again = run(r.out, UT_ARGS("fmt"));
  ut_expect_exit(&again, 0, "fmt again");
  assert_string_equal(again.out, r.out); /* idempotent */
  ut_result_free(&again);
  ut_result_free(&r);

  r = run("select a from t; select 2", UT_ARGS("fmt", "--pretty"));
  ut_expect_exit(&r, 0, "fmt --pretty");
  assert_non_null(strstr(r.out, ";\n\nSELECT"));
  assert_int_equal(r.out[strlen(r.out) - 2], ';');
  again = run(r.out, UT_ARGS("fmt", "--pretty"));
  assert_string_equal(again.out, r.out);
  ut_result_free(&again);
  ut_result_free(&r);

  r = run("select a from t", UT_ARGS("fmt", "--identify"));
  ut_expect_exit(&r, 0, "fmt --identify");
  assert_string_equal(r.out, "SELECT \"a\" FROM \"t\";\n");
  ut_result_free(&r);

  r = run("select x::double from t", UT_ARGS("fmt", "--read", "duckdb", "--write", "postgres"));
  ut_expect_exit(&r, 0, "fmt --write postgres");
  assert_non_null(strstr(r.out, "DOUBLE PRECISION"));
  ut_result_free(&r);

  /* a construct the target cannot express fails with a message */
  r = run("SELECT a FROM t QUALIFY row_number() OVER () = 1", UT_ARGS("fmt", "--write", "postgres"));
  ut_expect_exit(&r, 1, "unsupported in postgres");
  assert_non_null(strstr(r.err, "<stdin>:1:1:"));
  assert_non_null(strstr(r.err, "postgres"));
  ut_result_free(&r);
}

static void test_fingerprint(void **state) {
  (void)state;
  const char *sql = "SELECT a FROM t;\nselect \"a\" from T -- same\n;SELECT 2";
  ut_result r = run(sql, UT_ARGS("fingerprint"));
  ut_expect_exit(&r, 0, "fingerprint");
  assert_int_equal(strlen(r.out), 3 * 65);
  assert_memory_equal(r.out, r.out + 65, 64);
  assert_memory_not_equal(r.out, r.out + 130, 64);
  uf_tree *t = NULL;
  assert_int_equal(uf_parse_one("SELECT 2", 8, NULL, &t, NULL), UF_OK);
  char hex[UF_FINGERPRINT_HEX];
  assert_int_equal(uf_fingerprint_hex(uf_tree_root(t), NULL, hex, NULL), UF_OK);
  assert_memory_equal(r.out + 130, hex, 64);
  uf_tree_free(t);
  ut_result_free(&r);
}

/* Errors: FILE:LINE:COL: message + caret; stop at the first failure
 * unless --keep-going; exit 1. */
static void test_errors(void **state) {
  (void)state;
  const char *path = write_file("bad.sql", "SELECT 1;\nSELECT 1 +;\nSELECT 3;\n");
  ut_result r = run(NULL, UT_ARGS("fingerprint", path));
  ut_expect_exit(&r, 1, "error");
  assert_int_equal(strlen(r.out), 65); /* stopped after the first */
  char want[600];
  snprintf(want, sizeof want, "%s:2:11: ", path);
  if (strncmp(r.err, want, strlen(want)) != 0) fail_msg("stderr: %s\nwant prefix %s", r.err, want);
  assert_non_null(strstr(r.err, "\nSELECT 1 +\n          ^"));
  ut_result_free(&r);

  r = run(NULL, UT_ARGS("fingerprint", "--keep-going", path));
  ut_expect_exit(&r, 1, "keep going");
  char *l2 = strchr(r.out, '\n') + 1;
  if (strncmp(l2, "error 2:11 ", 11) != 0) fail_msg("stdout: %s", r.out);
  char *l3 = strchr(l2, '\n') + 1;
  assert_int_equal(strlen(l3), 65);
  ut_result_free(&r);

  r = run("SELECT 1;  SELECT (1;\nSELECT 2", UT_ARGS("parse", "--keep-going"));
  ut_expect_exit(&r, 1, "parse keep going");
  assert_non_null(strstr(r.err, "<stdin>:1:"));
  unsigned line = 0, col = 0;
  assert_int_equal(sscanf(r.err, "<stdin>:%u:%u:", &line, &col), 2);
  assert_int_equal(line, 1);
  assert_true(col >= 19); /* the column in the file, not in the statement */
  int lines = 0;
  for (char *c = r.out; *c; c++) lines += *c == '\n';
  assert_int_equal(lines, 2);
  ut_result_free(&r);

  r = run("SELECT 'unterminated", UT_ARGS("fmt"));
  ut_expect_exit(&r, 1, "unterminated string");
  assert_non_null(strstr(r.err, "<stdin>:1:8: "));
  ut_result_free(&r);

  r = run("", UT_ARGS("fmt"));
  ut_expect_exit(&r, 0, "empty input");
  assert_string_equal(r.out, "");
  ut_result_free(&r);
}

static int setup(void **state) {
  (void)state;
  return ut_mkdtemp(tmpdir, sizeof tmpdir, "uf_test_cli") ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  ut_rm_rf(tmpdir);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_usage),
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_fmt),
      cmocka_unit_test(test_fingerprint),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
