/* The unifier command: exit codes, --help/--version everywhere, output of
 * parse/fmt/fingerprint checked against the library, error format with
 * line:col and caret, --keep-going, and usage errors. Runs the built binary
 * (UF_CLI_PATH) with posix_spawn on temporary files. */
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "unifier/unifier.h"

#ifndef UF_CLI_PATH
#define UF_CLI_PATH "build/unifier"
#endif

extern char **environ;

static char tmpdir[256];

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap + 1);
  size_t got;
  while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) buf = realloc(buf, (cap *= 2) + 1);
  }
  buf[len] = '\0';
  fclose(f);
  return buf;
}

static const char *write_file(const char *name, const char *text) {
  static char path[8][512];
  static int next;
  char *p = path[next++ % 8];
  snprintf(p, 512, "%s/%s", tmpdir, name);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return p;
}

typedef struct result {
  int code;
  char *out, *err;
} result;

/* Runs unifier with args (NULL-terminated) and `input` on stdin. */
static result run(const char *input, const char *const *args) {
  char *argv[16];
  int n = 0;
  argv[n++] = (char *)UF_CLI_PATH;
  for (; args[n - 1] && n < 15; n++) argv[n] = (char *)args[n - 1];
  argv[n] = NULL;
  const char *in = write_file("stdin.txt", input ? input : "");
  char out[512], err[512];
  snprintf(out, sizeof out, "%s/stdout.txt", tmpdir);
  snprintf(err, sizeof err, "%s/stderr.txt", tmpdir);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  if (posix_spawn(&pid, UF_CLI_PATH, &fa, NULL, argv, environ) != 0)
    fail_msg("cannot run %s", UF_CLI_PATH);
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  waitpid(pid, &status, 0);
  result r = {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
              slurp(out), slurp(err)};
  return r;
}

static void done(result *r) {
  free(r->out);
  free(r->err);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void expect(result *r, int code, const char *what) {
  if (r->code != code)
    fail_msg("%s: exit %d, want %d\nstdout: %s\nstderr: %s", what, r->code, code,
             r->out, r->err);
}

static void test_usage(void **state) {
  (void)state;
  result r = run(NULL, ARGS(NULL));
  expect(&r, 2, "no arguments");
  assert_non_null(strstr(r.err, "usage: unifier"));
  done(&r);
  r = run(NULL, ARGS("frobnicate"));
  expect(&r, 2, "unknown command");
  assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
  done(&r);
  r = run(NULL, ARGS("--help"));
  expect(&r, 0, "--help");
  assert_non_null(strstr(r.out, "fingerprint"));
  done(&r);
  r = run(NULL, ARGS("--version"));
  expect(&r, 0, "--version");
  assert_string_equal(r.out, "unifier " UF_VERSION "\n");
  done(&r);
  const char *cmds[] = {"parse", "fmt", "fingerprint"};
  for (int i = 0; i < 3; i++) {
    r = run(NULL, ARGS(cmds[i], "--help"));
    expect(&r, 0, cmds[i]);
    char want[64];
    snprintf(want, sizeof want, "usage: unifier %s", cmds[i]);
    assert_non_null(strstr(r.out, want));
    done(&r);
    r = run(NULL, ARGS(cmds[i], "--version"));
    expect(&r, 0, cmds[i]);
    assert_string_equal(r.out, "unifier " UF_VERSION "\n");
    done(&r);
    r = run(NULL, ARGS(cmds[i], "--bogus"));
    expect(&r, 2, "unknown option");
    assert_non_null(strstr(r.err, "unknown option '--bogus'"));
    done(&r);
    r = run(NULL, ARGS(cmds[i], "/nonexistent/file.sql"));
    expect(&r, 2, "missing file");
    assert_non_null(strstr(r.err, "cannot open /nonexistent/file.sql"));
    done(&r);
    r = run(NULL, ARGS(cmds[i], "a.sql", "b.sql"));
    expect(&r, 2, "two files");
    done(&r);
  }
  r = run(NULL, ARGS("parse", "--dialect", "oracle"));
  expect(&r, 2, "unknown dialect");
  assert_non_null(strstr(r.err, "unknown dialect 'oracle'"));
  done(&r);
  r = run(NULL, ARGS("fmt", "--write=mysql"));
  expect(&r, 2, "unknown write dialect");
  done(&r);
  r = run(NULL, ARGS("parse", "--dialect"));
  expect(&r, 2, "missing dialect value");
  done(&r);
  r = run(NULL, ARGS("parse", "--pretty"));
  expect(&r, 2, "fmt option on parse");
  done(&r);
}

/* Each output line is the library's dump of the statement. */
static void test_parse(void **state) {
  (void)state;
  const char *sql = "select a from t;\n-- note\nSELECT 'x;y' AS s;;\n";
  result r = run(sql, ARGS("parse"));
  expect(&r, 0, "parse");
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
  done(&r);

  const char *path = write_file("in.sql", "SELECT 1");
  r = run(NULL, ARGS("parse", "--dialect=postgres", path));
  expect(&r, 0, "parse file");
  assert_non_null(strstr(r.out, "\"kind\":\"select\""));
  done(&r);
}

static void test_fmt(void **state) {
  (void)state;
  result r = run("select a,b from t where x=1;select 1\n", ARGS("fmt"));
  expect(&r, 0, "fmt");
  assert_string_equal(r.out, "SELECT a, b FROM t WHERE x = 1;\nSELECT 1;\n");
  result again = run(r.out, ARGS("fmt"));
  expect(&again, 0, "fmt again");
  assert_string_equal(again.out, r.out); /* idempotent */
  done(&again);
  done(&r);

  r = run("select a from t; select 2", ARGS("fmt", "--pretty"));
  expect(&r, 0, "fmt --pretty");
  assert_non_null(strstr(r.out, ";\n\nSELECT"));
  assert_int_equal(r.out[strlen(r.out) - 2], ';');
  again = run(r.out, ARGS("fmt", "--pretty"));
  assert_string_equal(again.out, r.out);
  done(&again);
  done(&r);

  r = run("select a from t", ARGS("fmt", "--identify"));
  expect(&r, 0, "fmt --identify");
  assert_string_equal(r.out, "SELECT \"a\" FROM \"t\";\n");
  done(&r);

  r = run("select x::double from t", ARGS("fmt", "--read", "duckdb", "--write", "postgres"));
  expect(&r, 0, "fmt --write postgres");
  assert_non_null(strstr(r.out, "DOUBLE PRECISION"));
  done(&r);

  /* a construct the target cannot express fails with a message */
  r = run("SELECT a FROM t QUALIFY row_number() OVER () = 1", ARGS("fmt", "--write", "postgres"));
  expect(&r, 1, "unsupported in postgres");
  assert_non_null(strstr(r.err, "<stdin>:1:1:"));
  assert_non_null(strstr(r.err, "postgres"));
  done(&r);
}

static void test_fingerprint(void **state) {
  (void)state;
  const char *sql = "SELECT a FROM t;\nselect \"a\" from T -- same\n;SELECT 2";
  result r = run(sql, ARGS("fingerprint"));
  expect(&r, 0, "fingerprint");
  assert_int_equal(strlen(r.out), 3 * 65);
  assert_memory_equal(r.out, r.out + 65, 64);
  assert_memory_not_equal(r.out, r.out + 130, 64);
  uf_tree *t = NULL;
  assert_int_equal(uf_parse_one("SELECT 2", 8, NULL, &t, NULL), UF_OK);
  char hex[UF_FINGERPRINT_HEX];
  assert_int_equal(uf_fingerprint_hex(uf_tree_root(t), NULL, hex, NULL), UF_OK);
  assert_memory_equal(r.out + 130, hex, 64);
  uf_tree_free(t);
  done(&r);
}

/* Errors: FILE:LINE:COL: message + caret; stop at the first failure
 * unless --keep-going; exit 1. */
static void test_errors(void **state) {
  (void)state;
  const char *path = write_file("bad.sql", "SELECT 1;\nSELECT 1 +;\nSELECT 3;\n");
  result r = run(NULL, ARGS("fingerprint", path));
  expect(&r, 1, "error");
  assert_int_equal(strlen(r.out), 65); /* stopped after the first */
  char want[600];
  snprintf(want, sizeof want, "%s:2:11: ", path);
  if (strncmp(r.err, want, strlen(want)) != 0) fail_msg("stderr: %s\nwant prefix %s", r.err, want);
  assert_non_null(strstr(r.err, "\nSELECT 1 +\n          ^"));
  done(&r);

  r = run(NULL, ARGS("fingerprint", "--keep-going", path));
  expect(&r, 1, "keep going");
  char *l2 = strchr(r.out, '\n') + 1;
  if (strncmp(l2, "error 2:11 ", 11) != 0) fail_msg("stdout: %s", r.out);
  char *l3 = strchr(l2, '\n') + 1;
  assert_int_equal(strlen(l3), 65);
  done(&r);

  r = run("SELECT 1;  SELECT (1;\nSELECT 2", ARGS("parse", "--keep-going"));
  expect(&r, 1, "parse keep going");
  assert_non_null(strstr(r.err, "<stdin>:1:"));
  unsigned line = 0, col = 0;
  assert_int_equal(sscanf(r.err, "<stdin>:%u:%u:", &line, &col), 2);
  assert_int_equal(line, 1);
  assert_true(col >= 19); /* the column in the file, not in the statement */
  int lines = 0;
  for (char *c = r.out; *c; c++) lines += *c == '\n';
  assert_int_equal(lines, 2);
  done(&r);

  r = run("SELECT 'unterminated", ARGS("fmt"));
  expect(&r, 1, "unterminated string");
  assert_non_null(strstr(r.err, "<stdin>:1:8: "));
  done(&r);

  r = run("", ARGS("fmt"));
  expect(&r, 0, "empty input");
  assert_string_equal(r.out, "");
  done(&r);
}

static int setup(void **state) {
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/uf_test_cli_XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
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
