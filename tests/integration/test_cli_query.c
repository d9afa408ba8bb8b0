/* `unifier query` end to end: the built CLI (UF_CLI_PATH) run with
 * posix_spawn on real Parquet/CSV files it writes itself in a temp dir
 * (DuckDB's COPY through the lane): every output format checked byte for
 * byte, value text equal to DuckDB's CAST(x AS VARCHAR) for every type of
 * test_all_types(), --source of Parquet, CSV and hive directories,
 * --param of several types, exit codes 0/1/2/3, policy violations named
 * with rule and position, the --diagnostics execution record, and the
 * peak RSS of a 5-million-row CSV stream read through a pipe. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../support/support.h"

#ifndef UF_CLI_PATH
#define UF_CLI_PATH "build/unifier"
#endif

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
extern char **environ;

static char tmpdir[256];

static const char *tpath(const char *name) { return ut_path(tmpdir, name); }

/* Runs `unifier query args...` with stdout and stderr in files. */
static ut_result run(const char *const *args) {
  const char *argv[40];
  int n = 0;
  argv[n++] = "query";
  for (int i = 0; args[i] && n < 39; i++) argv[n++] = args[i];
  argv[n] = NULL;
  return ut_run_cli(tmpdir, NULL, argv);
}

static void expect_out(const ut_result *r, const char *want, const char *what) {
  if (strcmp(r->out, want) != 0)
    fail_msg("%s: output\n%s\nwant\n%s\nstderr: %s", what, r->out, want, r->err);
}

/* Runs and expects success with exactly `want` on stdout. */
static void check(const char *const *args, const char *want, const char *what) {
  ut_result r = run(args);
  ut_expect_exit(&r, 0, what);
  if (want) expect_out(&r, want, what);
  ut_result_free(&r);
}

/* -- fixtures: files written through the CLI (DuckDB's COPY) ------------- */

static int setup(void **state) {
  (void)state;
  if (!ut_mkdtemp(tmpdir, sizeof tmpdir, "uf_cli_query")) return -1;
  /* t.parquet: 100 rows i, i*2, 'v'||i, i%3 */
  ut_result r = run(UT_ARGS("--format", "parquet", "-o", tpath("t.parquet"),
                      "SELECT i, i * 2 AS j, 'v' || i AS s, i % 3 AS g "
                      "FROM range(100) t(i)"));
  int rc = r.code;
  ut_result_free(&r);
  /* t.csv through the CSV writer */
  r = run(UT_ARGS("-o", tpath("t.csv"),
               "SELECT i, 'name ' || i AS name FROM range(10) t(i)"));
  rc |= r.code;
  ut_result_free(&r);
  /* a hive-partitioned directory: year=2020 and year=2021 */
  char dir[512];
  snprintf(dir, sizeof dir, "%s/hive", tmpdir);
  mkdir(dir, 0755);
  for (int y = 2020; y <= 2021; y++) {
    char sub[600], file[700], sql[200];
    snprintf(sub, sizeof sub, "%s/year=%d", dir, y);
    mkdir(sub, 0755);
    snprintf(file, sizeof file, "%s/part0.parquet", sub);
    snprintf(sql, sizeof sql, "SELECT i AS v FROM range(%d) t(i)",
             y == 2020 ? 5 : 7);
    r = run(UT_ARGS("--format", "parquet", "-o", file, sql));
    rc |= r.code;
    ut_result_free(&r);
  }
  return rc;
}

static int teardown(void **state) {
  (void)state;
  ut_rm_rf(tmpdir);
  return 0;
}

/* -- formats ------------------------------------------------------------- */

static void test_csv(void **state) {
  (void)state;
  check(UT_ARGS("--format", "csv",
             "SELECT 1 AS a, 'x,y' AS b, NULL AS c, '' AS d, 'say \"hi\"' AS e, "
             "'l1' || chr(10) || 'l2' AS f"),
        "a,b,c,d,e,f\n1,\"x,y\",,\"\",\"say \"\"hi\"\"\",\"l1\nl2\"\n",
        "csv quoting");
  /* not a terminal: CSV is the default */
  check(UT_ARGS("SELECT 42 AS answer"), "answer\n42\n", "default csv");
  check(UT_ARGS("SELECT * FROM range(0) t(i)"), "i\n", "empty ut_result");
}

/* Compiling names every output column; the user still sees the engine's
 * own names for the columns they left unnamed. */
static void test_engine_column_names(void **state) {
  (void)state;
  check(UT_ARGS("--format", "csv",
             "SELECT count(*), 1 + 2, max(i) AS m, i FROM range(3) t(i) "
             "GROUP BY i ORDER BY i LIMIT 1"),
        "count_star(),(1 + 2),m,i\n1,3,0,0\n", "engine names kept");
  check(UT_ARGS("--format", "csv", "SELECT i + 1 FROM range(2) t(i) UNION ALL SELECT 7"),
        "(i + 1)\n1\n2\n7\n", "engine names through a set operation");
}

static void test_json(void **state) {
  (void)state;
  check(UT_ARGS("--format", "json",
             "SELECT 1 AS a, 'q\"\\' AS b, NULL AS c, [1, 2] AS l, "
             "{'k': 'v', 'n': 1.5} AS s, true AS t, 2.50::DECIMAL(5,2) AS d, "
             "DATE '2024-01-02' AS dt, 'inf'::DOUBLE AS f"),
        "{\"a\":1,\"b\":\"q\\\"\\\\\",\"c\":null,\"l\":[1,2],"
        "\"s\":{\"k\":\"v\",\"n\":1.5},\"t\":true,\"d\":2.50,"
        "\"dt\":\"2024-01-02\",\"f\":\"inf\"}\n",
        "json lines");
  check(UT_ARGS("--format", "json", "SELECT i FROM range(3) t(i)"),
        "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n", "json rows");
}

static void test_table(void **state) {
  (void)state;
  check(UT_ARGS("--format", "table",
             "SELECT 1 AS n, 'abc' AS s UNION ALL SELECT 22, NULL ORDER BY n"),
        "┌──────┬──────┐\n"
        "│ n    │ s    │\n"
        "├──────┼──────┤\n"
        "│    1 │ abc  │\n"
        "│   22 │ NULL │\n"
        "└──────┴──────┘\n"
        "(2 rows)\n",
        "table");
  /* a long cell is cut at 40 columns with an ellipsis */
  ut_result r = run(UT_ARGS("--format", "table", "SELECT repeat('x', 100) AS s"));
  ut_expect_exit(&r, 0, "table truncation");
  assert_non_null(strstr(r.out, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"));
  assert_null(strstr(r.out, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
  ut_result_free(&r);
}

static void test_parquet(void **state) {
  (void)state;
  const char *p = tpath("out.parquet");
  ut_result r = run(UT_ARGS("--format", "parquet", "-o", p,
                      "SELECT i, i::VARCHAR AS s FROM range(1000) t(i)"));
  ut_expect_exit(&r, 0, "parquet write");
  assert_string_equal(r.out, "");
  ut_result_free(&r);
  struct stat st;
  assert_int_equal(stat(p, &st), 0);
  char *bytes = ut_read_text(p);
  assert_memory_equal(bytes, "PAR1", 4);
  free(bytes);
  char src[600];
  snprintf(src, sizeof src, "o=%s", p);
  check(UT_ARGS("--source", src, "SELECT count(*) AS n, sum(i) AS s, max(s) AS m FROM o"),
        "n,s,m\n1000,499500,999\n", "parquet read back");
  /* the format follows -o's extension */
  const char *p2 = tpath("ext.parquet");
  check(UT_ARGS("-o", p2, "SELECT 7 AS seven"), "", "parquet by extension");
  snprintf(src, sizeof src, "e=%s", p2);
  check(UT_ARGS("--source", src, "SELECT * FROM e"), "seven\n7\n", "read back");
  /* -o with csv/json writes the file */
  const char *j = tpath("o.json");
  check(UT_ARGS("-o", j, "SELECT 1 AS a"), "", "json file");
  char *txt = ut_read_text(j);
  assert_string_equal(txt, "{\"a\":1}\n");
  free(txt);
}

/* -- value text -------------------------------------------------------------- */

/* Splits one CSV record at *p (RFC 4180) into fields; returns the count. */
static int csv_record(char **p, char **fields, int max) {
  int n = 0;
  char *s = *p, *w;
  for (;;) {
    if (n == max) return -1;
    fields[n++] = w = s;
    if (*s == '"') {
      s++;
      for (;;) {
        if (*s == '"' && s[1] == '"') { *w++ = '"'; s += 2; }
        else if (*s == '"') { s++; break; }
        else if (!*s) return -1;
        else *w++ = *s++;
      }
    } else {
      while (*s && *s != ',' && *s != '\n') *w++ = *s++;
    }
    char end = *s;
    *w = '\0';
    if (end == ',') { s++; continue; }
    if (end == '\n') s++;
    *p = s;
    return n;
  }
}

/* Every column of test_all_types() next to its CAST(... AS VARCHAR):
 * the CLI's text must equal DuckDB's. The few types DuckDB's Arrow export
 * itself cannot carry (BIT, TIME WITH TIME ZONE as plain Arrow types, the
 * extreme TIMESTAMPTZ that ICU prints differently) are left out. */
static void test_value_text(void **state) {
  (void)state;
  static const char *const SKIP[] = {"bit", "time_tz", "timestamp_tz", NULL};
  /* the column list, from DuckDB */
  ut_result r = run(UT_ARGS("--format", "csv", "DESCRIBE SELECT * FROM test_all_types()"));
  ut_expect_exit(&r, 0, "describe");
  char sql[16384] = "SELECT ";
  char *line = strchr(r.out, '\n') + 1; /* skip the header */
  int ncols = 0;
  while (*line) {
    char *nl = strchr(line, '\n');
    *nl = '\0';
    *strchr(line, ',') = '\0'; /* the first field: column_name */
    bool skip = false;
    for (int k = 0; SKIP[k]; k++) skip |= strcmp(line, SKIP[k]) == 0;
    if (!skip) {
      size_t n = strlen(sql);
      snprintf(sql + n, sizeof sql - n, "%s\"%s\", CAST(\"%s\" AS VARCHAR)",
               ncols ? ", " : "", line, line);
      ncols++;
    }
    line = nl + 1;
  }
  ut_result_free(&r);
  assert_true(ncols > 40);
  strcat(sql, " FROM test_all_types()");
  r = run(UT_ARGS("--format", "csv", sql));
  ut_expect_exit(&r, 0, "test_all_types");
  char *p = strchr(r.out, '\n') + 1;
  int rows = 0, compared = 0, bad = 0;
  char *f[256];
  while (*p) {
    int n = csv_record(&p, f, 256);
    assert_int_equal(n, 2 * ncols);
    for (int k = 0; k < n; k += 2, compared++)
      if (strcmp(f[k], f[k + 1]) != 0 && bad++ < 10)
        print_message("row %d column %d: CLI [%s] DuckDB [%s]\n", rows, k / 2,
                      f[k], f[k + 1]);
    rows++;
  }
  ut_result_free(&r);
  assert_int_equal(rows, 3);
  print_message("value text: %d values compared with DuckDB's CAST, %d differ\n",
                compared, bad);
  assert_int_equal(bad, 0);
}

/* Nested values, floats and temporal edge cases beside DuckDB's text. */
static void test_value_text_nested(void **state) {
  (void)state;
  static const char *const EXPRS[] = {
      "[1, NULL, 3]", "['a b', 'c,d', '', 'NULL', 'it''s', ' x', NULL]",
      "{'k': 'v w', 'n': [1, 2], 'e': ''}", "MAP {'a': 1, 'b c': 2}",
      "[{'x': 'y:z'}]", "[[1], [], NULL]", "[DATE '2020-01-01']",
      "[TIMESTAMP '2020-01-01 10:00:00']", "[1.5::DOUBLE, 1e20]",
      "['\\x00a'::BLOB]", "0.1::DOUBLE", "1e-7::DOUBLE", "1e16::DOUBLE",
      "123456789.125::DOUBLE", "0.1::FLOAT", "(1/3)::FLOAT", "-0.05::DECIMAL(4,2)",
      "123.4::DECIMAL(38,10)", "INTERVAL '1 year 2 months 3 days 04:05:06.7'",
      "INTERVAL '-3 days'", "INTERVAL 0 SECOND", "TIME '01:02:03.25'",
      "TIMESTAMP_NS '2020-01-01 00:00:00.123456789'",
      "TIMESTAMP_MS '1969-12-31 23:59:59.5'", "DATE '0044-03-15 (BC)'",
      "'infinity'::DATE", "'-infinity'::TIMESTAMP",
      "TIMESTAMPTZ '2020-06-01 12:00:00.5+00'", "'a,b'::ENUM('a,b', 'c')",
      "uuid '00000000-0000-0000-0000-00000000002a'", "'\\xff'::BLOB", NULL};
  for (int i = 0; EXPRS[i]; i++) {
    char q[512];
    snprintf(q, sizeof q, "SELECT %s AS v, CAST(%s AS VARCHAR) AS t", EXPRS[i],
             EXPRS[i]);
    ut_result r = run(UT_ARGS("--format", "csv", q));
    ut_expect_exit(&r, 0, EXPRS[i]);
    char *p = strchr(r.out, '\n') + 1;
    char *f[4];
    int n = csv_record(&p, f, 4);
    if (n != 2 || strcmp(f[0], f[1]) != 0)
      fail_msg("%s: CLI [%s] DuckDB [%s]", EXPRS[i], n > 0 ? f[0] : "",
               n > 1 ? f[1] : "");
    ut_result_free(&r);
  }
}

/* -- sources and parameters -------------------------------------------------- */

static void test_sources(void **state) {
  (void)state;
  char pq[600], csv[600], hive[600], glob[600];
  snprintf(pq, sizeof pq, "t=%s", tpath("t.parquet"));
  snprintf(csv, sizeof csv, "c=%s", tpath("t.csv"));
  snprintf(hive, sizeof hive, "h=%s", tpath("hive"));
  snprintf(glob, sizeof glob, "gl=%s", tpath("hive/*/*.parquet"));
  check(UT_ARGS("--source", pq,
             "SELECT g, count(*) AS n, sum(j) AS sj FROM t GROUP BY g ORDER BY g"),
        "g,n,sj\n0,34,3366\n1,33,3234\n2,33,3300\n", "parquet source");
  check(UT_ARGS("--source", csv, "SELECT count(*) AS n, max(name) AS m FROM c"),
        "n,m\n10,name 9\n", "csv source");
  check(UT_ARGS("--source", hive,
             "SELECT year, count(*) AS n FROM h GROUP BY year ORDER BY year"),
        "year,n\n2020,5\n2021,7\n", "hive directory");
  check(UT_ARGS("--source", glob, "SELECT count(*) AS n FROM gl"), "n\n12\n",
        "glob source");
  /* several sources joined */
  check(UT_ARGS("--source", pq, "--source", csv,
             "SELECT count(*) AS n FROM t JOIN c ON t.i = c.i"),
        "n\n10\n", "two sources");
  /* a missing location is a usage error */
  ut_result r = run(UT_ARGS("--source", "x=/nonexistent/file.parquet", "SELECT 1"));
  ut_expect_exit(&r, 2, "missing source");
  assert_non_null(strstr(r.err, "/nonexistent/file.parquet"));
  ut_result_free(&r);
}

static void test_params(void **state) {
  (void)state;
  check(UT_ARGS("--param", "n=41", "--param", "s=hello", "--param",
             "d:DATE=2024-01-31", "--param", "x=1.25", "--param", "b=true",
             "--param", "f:DOUBLE=0.5", "--param", "v:VARCHAR=007",
             "SELECT $n + 1 AS n, $s || '!' AS s, $d + 1 AS d, $x * 2 AS x, "
             "NOT $b AS b, $f * 4 AS f, $v AS v"),
        "n,s,d,x,b,f,v\n42,hello!,2024-02-01,2.50,false,2.0,007\n",
        "typed params");
  char pq[600];
  snprintf(pq, sizeof pq, "t=%s", tpath("t.parquet"));
  check(UT_ARGS("--source", pq, "--param", "lo=10", "--param", "hi=12",
             "SELECT i FROM t WHERE i BETWEEN $lo AND $hi ORDER BY i"),
        "i\n10\n11\n12\n", "params in a filter");
  /* a parameter the query does not use, and one it lacks */
  ut_result r = run(UT_ARGS("--param", "zz=1", "SELECT 1"));
  ut_expect_exit(&r, 1, "unknown param");
  assert_non_null(strstr(r.err, "zz"));
  ut_result_free(&r);
  r = run(UT_ARGS("SELECT $missing"));
  ut_expect_exit(&r, 1, "missing param");
  assert_non_null(strstr(r.err, "missing"));
  ut_result_free(&r);
  r = run(UT_ARGS("--param", "d:DATE=notadate", "SELECT $d"));
  ut_expect_exit(&r, 2, "bad param value");
  ut_result_free(&r);
}

/* -- exit codes and the gate ------------------------------------------------- */

static void test_exit_codes(void **state) {
  (void)state;
  ut_result r = run(UT_ARGS("SELECT * FROM no_such_table"));
  ut_expect_exit(&r, 1, "engine error");
  assert_non_null(strstr(r.err, "no_such_table"));
  ut_result_free(&r);
  r = run(UT_ARGS("SELEC 1"));
  ut_expect_exit(&r, 1, "syntax error");
  assert_non_null(strstr(r.err, "<query>:1:1:"));
  ut_result_free(&r);
  r = run(UT_ARGS("SELECT 1/0::INTEGER AS x, 'a'::INTEGER"));
  ut_expect_exit(&r, 1, "conversion error");
  ut_result_free(&r);
  const char *const *usage[] = {
      UT_ARGS("--bogus", "SELECT 1"), UT_ARGS("--format", "xml", "SELECT 1"),
      UT_ARGS("--format", "parquet", "SELECT 1"), UT_ARGS("--policy", "root", "SELECT 1"),
      UT_ARGS("SELECT 1", "SELECT 2"), UT_ARGS("--source", "nameonly", "SELECT 1"),
      UT_ARGS("-f", "/nonexistent.sql"), UT_ARGS("--param", "1bad=2", "SELECT 1")};
  for (size_t i = 0; i < sizeof usage / sizeof *usage; i++) {
    r = run(usage[i]);
    ut_expect_exit(&r, 2, usage[i][0]);
    ut_result_free(&r);
  }
  r = run((const char *const[]){NULL});
  ut_expect_exit(&r, 2, "no SQL");
  ut_result_free(&r);
  r = run(UT_ARGS("--help"));
  ut_expect_exit(&r, 0, "--help");
  assert_non_null(strstr(r.out, "--source NAME=LOCATION"));
  ut_result_free(&r);
  r = run(UT_ARGS("--version"));
  ut_expect_exit(&r, 0, "--version");
  assert_non_null(strstr(r.out, "unifier "));
  ut_result_free(&r);
}

static void test_policy(void **state) {
  (void)state;
  ut_result r = run(UT_ARGS("CREATE TABLE t (a INT)"));
  ut_expect_exit(&r, 3, "ddl under query-only");
  assert_non_null(strstr(r.err, "<query>:1:1: statement.ddl:"));
  ut_result_free(&r);
  /* a second statement hidden after the first */
  r = run(UT_ARGS("SELECT 1;\n  DROP TABLE x"));
  ut_expect_exit(&r, 3, "stacked");
  assert_non_null(strstr(r.err, "<query>:2:3: statement.multiple:"));
  assert_string_equal(r.out, "");
  ut_result_free(&r);
  /* a file read names its position; nothing is read */
  r = run(UT_ARGS("SELECT * FROM\n read_csv('/etc/passwd')"));
  ut_expect_exit(&r, 3, "file read");
  assert_non_null(strstr(r.err, "<query>:2:"));
  assert_non_null(strstr(r.err, "file.read"));
  assert_string_equal(r.out, "");
  ut_result_free(&r);
  /* every violation is listed */
  r = run(UT_ARGS("SELECT getenv('HOME'), * FROM read_parquet('s3://b/x.parquet')"));
  ut_expect_exit(&r, 3, "two violations");
  assert_non_null(strstr(r.err, "function.environment"));
  assert_non_null(strstr(r.err, "location.remote"));
  ut_result_free(&r);
  /* from a file: positions name the file */
  const char *f = tpath("bad.sql");
  FILE *fp = fopen(f, "w");
  fputs("-- comment\nSELECT 1;\nINSERT INTO t VALUES (1);\n", fp);
  fclose(fp);
  r = run(UT_ARGS("-f", f));
  ut_expect_exit(&r, 3, "file input");
  char want[700];
  snprintf(want, sizeof want, "%s:3:1: ", f);
  assert_non_null(strstr(r.err, want));
  ut_result_free(&r);
  /* allowed again under the preset that allows it */
  check(UT_ARGS("--policy", "query-with-temp",
             "CREATE TEMP TABLE t AS SELECT 1 AS a"), NULL, "temp ddl");
  check(UT_ARGS("--policy", "admin", "CREATE TABLE t (a INT); INSERT INTO t VALUES (5); "
             "SELECT a * 2 AS a2 FROM t"),
        "a2\n10\n", "admin script");
}

static void test_diagnostics(void **state) {
  (void)state;
  const char *d = tpath("diag.jsonl");
  char pq[600];
  snprintf(pq, sizeof pq, "t=%s", tpath("t.parquet"));
  check(UT_ARGS("--diagnostics", d, "--source", pq,
             "SELECT count(*) AS n FROM t"), "n\n100\n", "diagnostics run");
  char *txt = ut_read_text(d);
  const char *x = strstr(txt, "\"type\":\"execution\",\"name\":\"query\"");
  if (!x) fail_msg("no execution record in\n%s", txt);
  assert_non_null(strstr(x, "\"statement_type\":\"SELECT\""));
  assert_non_null(strstr(x, "\"rows\":1"));
  /* the engine runs the compiled query (tables aliased by qualify) */
  assert_non_null(strstr(x, "\"sql\":\"SELECT count(*) AS n FROM t AS t\""));
  assert_non_null(strstr(txt, "\"type\":\"registration\""));
  assert_non_null(strstr(txt, "\"type\":\"compilation\""));
  assert_non_null(strstr(txt, "\"type\":\"write\""));
  /* every line is one JSON object */
  for (char *p = txt; *p;) {
    assert_int_equal(*p, '{');
    char *nl = strchr(p, '\n');
    assert_non_null(nl);
    assert_int_equal(nl[-1], '}');
    p = nl + 1;
  }
  free(txt);
  /* a failing query records its error */
  ut_result r = run(UT_ARGS("--diagnostics", d, "SELECT * FROM nope"));
  ut_expect_exit(&r, 1, "failing diagnostics");
  ut_result_free(&r);
  txt = ut_read_text(d);
  assert_non_null(strstr(txt, "\"error_code\":\"ENGINE\""));
  free(txt);
}

/* -- the compile lane --------------------------------------------------------- */

/* The string value of "key" in the first record of txt that contains
 * `marker` (searched on that record's line only), copied into out. */
static bool record_field(const char *txt, const char *marker, const char *key,
                         char *out, size_t cap) {
  const char *m = strstr(txt, marker);
  if (!m) return false;
  const char *eol = strchr(m, '\n');
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":\"", key);
  const char *v = strstr(m, pat);
  if (!v || (eol && v > eol)) return false;
  v += strlen(pat);
  const char *end = strchr(v, '"');
  if (!end || (size_t)(end - v) >= cap) return false;
  memcpy(out, v, (size_t)(end - v));
  out[end - v] = '\0';
  return true;
}

static size_t count_of(const char *txt, const char *needle) {
  size_t n = 0;
  for (const char *p = txt; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

/* A query goes through compile first: the compilation record carries the
 * fingerprint of the compiled AST, which is what the engine executes (the
 * execution and write records carry the same fingerprint). */
static void test_compiled_diagnostics(void **state) {
  (void)state;
  const char *d = tpath("compiled.jsonl");
  unlink(d);
  char pq[600];
  snprintf(pq, sizeof pq, "t=%s", tpath("t.parquet"));
  check(UT_ARGS("--diagnostics", d, "--source", pq,
             "SELECT G, count(*) AS n FROM t WHERE i < 10 GROUP BY G ORDER BY G"),
        "g,n\n0,4\n1,3\n2,3\n", "compiled query");
  char *txt = ut_read_text(d);
  char cfp[80], xfp[80], wfp[80], csql[400], xsql[400];
  const char *C = "\"type\":\"compilation\",\"name\":\"query\"";
  const char *X = "\"type\":\"execution\",\"name\":\"query\"";
  if (!record_field(txt, C, "fingerprint", cfp, sizeof cfp))
    fail_msg("no compilation record with a fingerprint in\n%s", txt);
  if (!record_field(txt, X, "fingerprint", xfp, sizeof xfp))
    fail_msg("no execution record with a fingerprint in\n%s", txt);
  assert_true(record_field(txt, "\"type\":\"write\"", "fingerprint", wfp, sizeof wfp));
  assert_int_equal(strlen(cfp), 64);
  assert_string_equal(cfp, xfp);
  assert_string_equal(cfp, wfp);
  /* the SQL the compile lane rendered is the SQL the engine ran: qualified */
  assert_true(record_field(txt, C, "sql", csql, sizeof csql));
  assert_true(record_field(txt, X, "sql", xsql, sizeof xsql));
  assert_string_equal(csql, xsql);
  assert_non_null(strstr(xsql, "t.g"));
  assert_non_null(strstr(txt, "\"policy_fingerprint\":\""));
  assert_int_equal(count_of(txt, C), 1);
  free(txt);
  /* an admin script: every statement is compiled, against the tables the
   * statements before it created */
  unlink(d);
  check(UT_ARGS("--diagnostics", d, "--policy", "admin",
             "CREATE TABLE u AS SELECT 3 AS a; INSERT INTO u VALUES (4); "
             "SELECT sum(a) AS s FROM u"),
        "s\n7\n", "admin script compiled");
  txt = ut_read_text(d);
  assert_int_equal(count_of(txt, C), 3);
  assert_non_null(strstr(txt, "SELECT sum(u.a) AS s FROM u AS u"));
  free(txt);
  /* Parquet output: the COPY wraps the compiled query */
  unlink(d);
  const char *out = tpath("compiled.parquet");
  check(UT_ARGS("--diagnostics", d, "-o", out, "SELECT i FROM range(4) r(i)"), "",
        "compiled parquet");
  txt = ut_read_text(d);
  assert_non_null(strstr(txt, "COPY (SELECT r.i AS i FROM range(4) AS r(i)) TO"));
  free(txt);
  char src[700];
  snprintf(src, sizeof src, "o=%s", out);
  check(UT_ARGS("--source", src, "SELECT sum(i) AS s FROM o"), "s\n6\n",
        "compiled parquet read back");
}

/* Validation is off: what the schema does not know (table functions,
 * generated data) still runs; a qualification issue is an event. */
static void test_compiled_params_and_sources(void **state) {
  (void)state;
  char pq[600];
  snprintf(pq, sizeof pq, "t=%s", tpath("t.parquet"));
  check(UT_ARGS("--source", pq, "--param", "lo=95", "--param", "g:BIGINT=1",
             "SELECT s, j FROM t WHERE i >= $lo AND g = $g ORDER BY i"),
        "s,j\nv97,194\n", "param over a source");
  check(UT_ARGS("--param", "n=5",
             "SELECT count(*) AS c, sum(range) AS s FROM range($n)"),
        "c,s\n5,10\n", "param in a table function");
  check(UT_ARGS("--source", pq, "--param", "k=2",
             "SELECT count(*) AS n FROM t JOIN generate_series(0, 3) AS x(v) "
             "ON t.i = x.v * $k"),
        "n\n4\n", "source joined with generated data");
  const char *d = tpath("issues.jsonl");
  unlink(d);
  check(UT_ARGS("--diagnostics", d, "SELECT a FROM (SELECT 1 AS a) s, range(2)"),
        "a\n1\n1\n", "unknown table function columns");
}

/* An unknown table still fails in the engine, with the engine's message. */
static void test_compiled_unknown_table(void **state) {
  (void)state;
  const char *d = tpath("unknown.jsonl");
  unlink(d);
  ut_result r = run(UT_ARGS("--diagnostics", d, "SELECT x, y FROM no_such_tbl WHERE x > 1"));
  ut_expect_exit(&r, 1, "unknown table");
  assert_non_null(strstr(r.err, "Table with name no_such_tbl does not exist"));
  assert_string_equal(r.out, "");
  ut_result_free(&r);
  char *txt = ut_read_text(d);
  /* compiled (the issue recorded, not fatal), then refused by the engine */
  assert_non_null(strstr(txt, "\"type\":\"compilation\",\"name\":\"query\""));
  assert_non_null(strstr(txt, "\"error_code\":\"ENGINE\""));
  free(txt);
}

/* -- streaming -------------------------------------------------------------- */

/* 5 million rows as CSV into a pipe the test drains: every row arrives and
 * the child's peak RSS stays far below the ut_result size. */
static void test_streaming_rss(void **state) {
  (void)state;
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  char *argv[] = {(char *)UF_CLI_PATH, (char *)"query", (char *)"--format",
                  (char *)"csv", (char *)"SELECT * FROM range(5000000)", NULL};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  pid_t pid;
  assert_int_equal(posix_spawn(&pid, UF_CLI_PATH, &fa, NULL, argv, environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  static char buf[1 << 16];
  uint64_t lines = 0;
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    for (ssize_t i = 0; i < n; i++) lines += buf[i] == '\n';
  close(fds[0]);
  int status = 0;
  struct rusage ru;
  wait4(pid, &status, 0, &ru);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  assert_int_equal(lines, 5000001);
  print_message("streaming 5M rows as CSV through a pipe: peak RSS %ld MB\n",
                ru.ru_maxrss / 1024);
  /* the CSV text alone is ~39 MB and DuckDB's ut_result ~40 MB; a streaming
   * consumer holds a batch or two. ASan's shadow memory and quarantine
   * inflate RSS, so the bound is checked in the plain build only. */
#if !defined(__SANITIZE_ADDRESS__)
  assert_true(ru.ru_maxrss < 200 * 1024);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv),         cmocka_unit_test(test_json),
      cmocka_unit_test(test_table),       cmocka_unit_test(test_parquet),
      cmocka_unit_test(test_value_text),  cmocka_unit_test(test_value_text_nested),
      cmocka_unit_test(test_sources),     cmocka_unit_test(test_params),
      cmocka_unit_test(test_exit_codes),  cmocka_unit_test(test_policy),
      cmocka_unit_test(test_diagnostics), cmocka_unit_test(test_streaming_rss),
      cmocka_unit_test(test_compiled_diagnostics),
      cmocka_unit_test(test_compiled_params_and_sources),
      cmocka_unit_test(test_compiled_unknown_table),
      cmocka_unit_test(test_engine_column_names),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
