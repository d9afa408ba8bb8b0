/* The IO adapter on real files written by DuckDB in the test (COPY built as
 * ASTs): Parquet and CSV files, hive-partitioned directories (discovered
 * and declared), globs, JSON, Arrow stream and table registration, central
 * deregistration, CREATE SECRET, and remote reading through a small HTTP
 * server with Range support on 127.0.0.1 started by the test. */
#define _GNU_SOURCE /* mkdtemp, kill, fdopen under -std=c11 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "engine/engine.h"
#include "unifier/builder.h"
#include "unifier/diag.h"
#include "unifier/engine.h"
#include "unifier/io.h"
#include "../support/support.h"

typedef struct fx {
  char dir[256];
  uf_engine *e;
  uf_recorder *rec;
  uf_diag_sink *mem;
  uf_io *io;
} fx;

/* ---- helpers ------------------------------------------------------------ */

static void check(uf_status st, const uf_error *err, const char *what) {
  if (st != UF_OK) {
    print_error("%s: %s: %s\n", what, uf_status_name(st), err->message);
    fail();
  }
}

/* COPY (query) TO path (FORMAT fmt, options...) as an AST. */
static void copy_to(fx *f, const char *query, const char *path,
                    const char *fmt, const char *opt_sql) {
  uf_error err;
  uf_tree *t = NULL;
  check(uf_parse_one(query, strlen(query), NULL, &t, &err), &err, query);
  uf_node *opts = uf_b_list(t);
  if (opt_sql) { /* options come from a parsed COPY: "(HEADER, ...)" */
    char buf[512];
    snprintf(buf, sizeof buf, "COPY x TO 'y' %s", opt_sql);
    uf_tree *t2 = NULL;
    check(uf_parse_one(buf, strlen(buf), NULL, &t2, &err), &err, buf);
    uf_node *o = uf_get(uf_tree_root(t2), UF_SLOT_OPTIONS);
    for (uint32_t i = 0; o && i < o->nkids; i++)
      uf_b_list_push(t, opts, uf_node_copy(t, o->kids[i]), NULL);
    uf_node *pb = uf_get(uf_tree_root(t2), UF_SLOT_PARTITIONED_BY);
    uf_node *c = uf_b_copy_to(t, uf_tree_root(t), path, fmt, opts);
    if (pb) uf_set(c, UF_SLOT_PARTITIONED_BY, uf_node_copy(t, pb), NULL);
    check(uf_engine_run(f->e, c, NULL, NULL, NULL, &err), &err, path);
    uf_tree_free(t2);
  } else {
    uf_node *c = uf_b_copy_to(t, uf_tree_root(t), path, fmt, opts);
    check(uf_engine_run(f->e, c, NULL, NULL, NULL, &err), &err, path);
  }
  uf_tree_free(t);
}

/* Runs a query and returns its single cell as text (static buffer), or
 * NULL with the error in *err_out when it fails. */
static const char *scalar(fx *f, const char *query, uf_error *err_out) {
  static char buf[512];
  uf_error err;
  uf_tree *t = NULL;
  check(uf_parse_one(query, strlen(query), NULL, &t, &err), &err, query);
  uf_result_text *r = NULL;
  uf_status st = uf_engine_exec(f->e, uf_tree_root(t), &r, &err);
  uf_tree_free(t);
  if (st != UF_OK) {
    if (err_out) *err_out = err;
    return NULL;
  }
  const char *c = r->nrows ? uf_result_text_cell(r, 0, 0) : NULL;
  snprintf(buf, sizeof buf, "%s", c ? c : "NULL");
  uf_result_text_free(r);
  return buf;
}

static void expect(fx *f, const char *query, const char *want) {
  uf_error err;
  const char *got = scalar(f, query, &err);
  if (!got) {
    print_error("%s failed: %s\n", query, err.message);
    fail();
  }
  if (strcmp(got, want) != 0) {
    print_error("%s: got %s, want %s\n", query, got, want);
    fail();
  }
}

static void register_sql(fx *f, const char *fmt, ...) {
  char sql[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  uf_error err;
  check(uf_io_register_external_sql(f->io, sql, NULL, &err), &err, sql);
}

/* The last registration record for `name`, as a jansson payload. */
static const json_t *last_reg(fx *f, const char *name) {
  const json_t *found = NULL;
  for (size_t i = 0; i < uf_diag_memory_count(f->mem); i++) {
    const char *ty = uf_diag_memory_type(f->mem, i);
    if (ty && strcmp(ty, "registration") == 0 &&
        strcmp(uf_diag_memory_name(f->mem, i), name) == 0)
      found = json_object_get(uf_diag_memory_object(f->mem, i), "payload");
  }
  return found;
}

static const char *jstr(const json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/uf_io_XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  uf_error err;
  uf_runtime_profile p = {0};
  p.threads = 1;
  p.allow_external_access = true;
  if (uf_recorder_new(&f->rec, &err) || uf_diag_memory_sink_new(&f->mem, &err) ||
      uf_recorder_add_sink(f->rec, f->mem, true, &err))
    return -1;
  p.recorder = f->rec; /* execution records too: secrets must not leak there */
  if (uf_engine_open(&p, &f->e, &err) != UF_OK) {
    fprintf(stderr, "engine: %s\n", err.message);
    return -1;
  }
  uf_io_options o = {0};
  o.recorder = f->rec;
  if (uf_io_new(f->e, &o, &f->io, &err) != UF_OK) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  uf_io_free(f->io);
  uf_engine_close(f->e);
  uf_recorder_free(f->rec);
  ut_rm_rf(f->dir);
  free(f);
  return 0;
}

static const char *DATA =
    "SELECT i AS id, i % 3 AS grp, 'n' || i AS name FROM range(10) t(i)";

/* ---- lowering (no engine) ---------------------------------------------------- */

static void test_lowering(void **state) {
  (void)state;
  static const struct { const char *in, *out; } cases[] = {
      {"CREATE EXTERNAL TABLE t STORED AS PARQUET LOCATION '/d/x.parquet'",
       "CREATE VIEW t AS SELECT * FROM read_parquet('/d/x.parquet')"},
      {"CREATE EXTERNAL TABLE t (a INT, b DECIMAL(10,2)) STORED AS PARQUET "
       "LOCATION '/d/*.parquet'",
       "CREATE VIEW t AS SELECT CAST(a AS INT) AS a, CAST(b AS DECIMAL(10, 2)) "
       "AS b FROM read_parquet('/d/*.parquet')"},
      {"CREATE EXTERNAL TABLE IF NOT EXISTS t (a INT, y INT) STORED AS CSV "
       "WITH HEADER ROW DELIMITER '|' PARTITIONED BY (y) LOCATION '/d/x/'",
       "CREATE VIEW IF NOT EXISTS t AS SELECT a, y FROM read_csv('/d/x/**/*.csv', "
       "hive_partitioning = TRUE, hive_types = {'y': 'INT'}, header = TRUE, "
       "delim = '|', columns = {'a': 'INT'})"},
      {"CREATE EXTERNAL TABLE t STORED AS CSV LOCATION '/d/' OPTIONS "
       "('format.compression' 'gzip', 'has_header' 'false', quote '\"')",
       "CREATE VIEW t AS SELECT * FROM read_csv('/d/**/*.csv.gz', compression "
       "= 'gzip', header = FALSE, quote = '\"')"},
      {"CREATE EXTERNAL TABLE t STORED AS CSV WITH HEADER ROW LOCATION "
       "'/d/x.csv' OPTIONS ('format.has_header' 'false')",
       "CREATE VIEW t AS SELECT * FROM read_csv('/d/x.csv', header = FALSE)"},
      {"CREATE EXTERNAL TABLE t STORED AS JSON LOCATION '/d/x.json'",
       "CREATE VIEW t AS SELECT * FROM read_json('/d/x.json', format = "
       "'newline_delimited')"},
      {"CREATE EXTERNAL TABLE t STORED AS PARQUET PARTITIONED BY (y INT, m "
       "VARCHAR) LOCATION '/d/p/'",
       "CREATE VIEW t AS SELECT * FROM read_parquet('/d/p/**/*.parquet', "
       "hive_partitioning = TRUE, hive_types = {'y': 'INT', 'm': 'VARCHAR'})"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uf_error err;
    uf_tree *t = ut_parse_must(cases[i].in, uf_dialect_datafusion());
    uf_node *out = NULL;
    check(uf_io_lower_external(t, uf_tree_root(t), NULL, &out, &err), &err,
          cases[i].in);
    char *sql = NULL;
    check(uf_generate(out, NULL, &sql, NULL, &err), &err, cases[i].in);
    if (strcmp(sql, cases[i].out) != 0) {
      print_error("input: %s\n got: %s\nwant: %s\n", cases[i].in, sql,
                  cases[i].out);
      fail();
    }
    /* the lowered DDL reads back as the same AST */
    uf_tree *t2 = ut_parse_must(sql, NULL);
    assert_true(uf_node_equal(uf_tree_root(t2), out, false));
    uf_tree_free(t2);
    uf_free(sql);
    uf_tree_free(t);
  }
}

static void test_lowering_errors(void **state) {
  (void)state;
  static const struct { const char *in, *needle; uf_status st; } cases[] = {
      {"CREATE EXTERNAL TABLE t STORED AS AVRO LOCATION 'x'", "AVRO",
       UF_UNSUPPORTED},
      {"CREATE EXTERNAL TABLE t STORED AS PARQUET LOCATION 'x' OPTIONS "
       "('pushdown_filters' 'true')", "PUSHDOWN_FILTERS", UF_UNSUPPORTED},
      {"CREATE EXTERNAL TABLE t (a INT NOT NULL) STORED AS CSV LOCATION 'x'",
       "constraint", UF_UNSUPPORTED},
      {"CREATE EXTERNAL TABLE t STORED AS CSV LOCATION 'x' OPTIONS "
       "('format.compression' 'bzip2')", "bzip2", UF_UNSUPPORTED},
      {"CREATE UNBOUNDED EXTERNAL TABLE t STORED AS CSV LOCATION 'x'",
       "UNBOUNDED", UF_UNSUPPORTED},
      {"CREATE EXTERNAL TABLE t STORED AS CSV LOCATION 'x' OPTIONS "
       "('has_header' 'maybe')", "HEADER", UF_INVALID_ARGUMENT},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uf_error err;
    uf_tree *t = ut_parse_must(cases[i].in, uf_dialect_datafusion());
    uf_node *out = NULL;
    uf_status st = uf_io_lower_external(t, uf_tree_root(t), NULL, &out, &err);
    if (st != cases[i].st || !strstr(err.message, cases[i].needle)) {
      print_error("input: %s\n status %s, message %s\n", cases[i].in,
                  uf_status_name(st), err.message);
      fail();
    }
    assert_null(out);
    uf_tree_free(t);
  }
}

/* The builder makes the same AST as the DataFusion parser. */
static void test_builder_external(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  uf_node *cols = uf_b_list(t), *parts = uf_b_list(t), *opts = uf_b_list(t);
  uf_b_list_push(t, cols, uf_b_column_def(t, "a", uf_b_type(t, "BIGINT"), false), NULL);
  uf_b_list_push(t, cols, uf_b_column_def(t, "y", uf_b_type(t, "INT"), false), NULL);
  uf_b_list_push(t, parts, uf_b_ident(t, "y", false), NULL);
  uf_b_list_push(t, opts, uf_b_prop(t, "HEADER", uf_b_string(t, "true")), NULL);
  uf_node *n = uf_b_external_table(t, uf_b_table(t, NULL, "ev"), "csv",
                                   "/data/ev/", cols, parts, opts);
  assert_non_null(n);
  const char *sql = "CREATE EXTERNAL TABLE ev (a BIGINT, y INT) STORED AS CSV "
                    "PARTITIONED BY (y) LOCATION '/data/ev/' OPTIONS "
                    "('format.has_header' 'true')";
  uf_tree *t2 = ut_parse_must(sql, uf_dialect_datafusion());
  uf_error err;
  assert_true(uf_node_equal(uf_tree_root(t2), n, false));
  uf_gen_options go = {0};
  go.dialect = uf_dialect_datafusion();
  char *out = NULL;
  check(uf_generate(n, &go, &out, NULL, &err), &err, "generate");
  assert_non_null(strstr(out, "STORED AS CSV"));
  uf_free(out);
  /* DROP VIEW IF EXISTS through the builder */
  uf_node *d = uf_b_drop(t, "view", uf_b_table(t, "s", "v"), true);
  check(uf_generate(d, NULL, &out, NULL, &err), &err, "drop");
  assert_string_equal(out, "DROP VIEW IF EXISTS s.v");
  uf_free(out);
  uf_tree_free(t2);
  uf_tree_free(t);
}

/* ---- files ------------------------------------------------------------------ */

static void test_parquet_file(void **state) {
  fx *f = *state;
  char path[512];
  snprintf(path, sizeof path, "%s/one.parquet", f->dir);
  copy_to(f, DATA, path, "parquet", NULL);
  register_sql(f, "CREATE EXTERNAL TABLE one STORED AS PARQUET LOCATION '%s'",
               path);
  expect(f, "SELECT count(*) FROM one", "10");
  expect(f, "SELECT sum(id) FROM one", "45");
  assert_true(uf_io_is_registered(f->io, "one"));
  const json_t *p = last_reg(f, "one");
  assert_non_null(p);
  assert_string_equal(jstr(p, "action"), "register");
  assert_string_equal(jstr(p, "source"), "external");
  assert_string_equal(jstr(p, "format"), "parquet");
  assert_true(json_is_true(json_object_get(p, "ok")));
  assert_non_null(strstr(jstr(p, "sql"), "read_parquet"));
  /* registering the same name again replaces it */
  register_sql(f, "CREATE EXTERNAL TABLE one (id INT) STORED AS PARQUET "
                  "LOCATION '%s'", path);
  expect(f, "SELECT typeof(id) FROM one LIMIT 1", "INTEGER");
  assert_int_equal(uf_io_registered_count(f->io), 1);
}

static void test_csv_declared(void **state) {
  fx *f = *state;
  char path[512];
  snprintf(path, sizeof path, "%s/c.csv", f->dir);
  copy_to(f, DATA, path, "csv", "(HEADER, DELIMITER '|')");
  register_sql(f, "CREATE EXTERNAL TABLE c (id BIGINT, grp INT, name VARCHAR) "
                  "STORED AS CSV WITH HEADER ROW DELIMITER '|' LOCATION '%s'",
               path);
  expect(f, "SELECT count(*) FROM c", "10");
  expect(f, "SELECT typeof(grp) FROM c LIMIT 1", "INTEGER");
  expect(f, "SELECT name FROM c WHERE id = 7", "n7");
  const json_t *p = last_reg(f, "c");
  assert_int_equal(json_integer_value(json_object_get(p, "columns")), 3);
}

static void test_glob(void **state) {
  fx *f = *state;
  char path[512];
  for (int i = 1; i <= 3; i++) {
    snprintf(path, sizeof path, "%s/part%d.csv", f->dir, i);
    copy_to(f, DATA, path, "csv", "(HEADER)");
  }
  register_sql(f, "CREATE EXTERNAL TABLE g STORED AS CSV LOCATION '%s/part*.csv'",
               f->dir);
  expect(f, "SELECT count(*) FROM g", "30");
}

static void test_hive_discovered(void **state) {
  fx *f = *state;
  char path[512];
  snprintf(path, sizeof path, "%s/hive", f->dir);
  copy_to(f, DATA, path, "parquet", "(PARTITION_BY (grp))");
  uf_error err;
  /* a directory with key=value subdirectories: partitioning discovered */
  check(uf_io_register_location(f->io, "h", path, UF_IO_FORMAT_AUTO, &err),
        &err, path);
  expect(f, "SELECT count(*) FROM h", "10");
  expect(f, "SELECT count(*) FROM h WHERE grp = 1", "3");
  const json_t *p = last_reg(f, "h");
  assert_true(json_is_true(json_object_get(p, "hive_partitioning")));
  assert_non_null(strstr(jstr(p, "sql"), "hive_partitioning = TRUE"));
}

static void test_hive_declared(void **state) {
  fx *f = *state;
  char path[512];
  snprintf(path, sizeof path, "%s/hive2", f->dir);
  copy_to(f, DATA, path, "parquet", "(PARTITION_BY (grp))");
  register_sql(f, "CREATE EXTERNAL TABLE hd (id BIGINT, name VARCHAR, grp "
                  "SMALLINT) STORED AS PARQUET PARTITIONED BY (grp) LOCATION "
                  "'%s/'", path);
  expect(f, "SELECT typeof(grp) FROM hd LIMIT 1", "SMALLINT");
  expect(f, "SELECT sum(id) FROM hd WHERE grp = 2", "15");
  /* declared with its type in PARTITIONED BY, columns discovered */
  register_sql(f, "CREATE EXTERNAL TABLE hd2 STORED AS PARQUET PARTITIONED BY "
                  "(grp VARCHAR) LOCATION '%s'", path);
  expect(f, "SELECT typeof(grp) FROM hd2 LIMIT 1", "VARCHAR");
  expect(f, "SELECT count(*) FROM hd2", "10");
}

static void test_json(void **state) {
  fx *f = *state;
  char path[512];
  snprintf(path, sizeof path, "%s/x.json", f->dir);
  copy_to(f, DATA, path, "json", NULL);
  uf_error err;
  check(uf_io_register_location(f->io, "js", path, UF_IO_FORMAT_AUTO, &err),
        &err, path);
  expect(f, "SELECT count(*) FROM js", "10");
  register_sql(f, "CREATE EXTERNAL TABLE js2 (id INT, name VARCHAR) STORED AS "
                  "JSON LOCATION '%s'", path);
  expect(f, "SELECT typeof(id) || name FROM js2 WHERE id = 3", "INTEGERn3");
  /* unknown extension without a format is refused */
  assert_int_equal(uf_io_register_location(f->io, "z", "/nope/x.bin",
                                           UF_IO_FORMAT_AUTO, &err),
                   UF_INVALID_ARGUMENT);
}

/* ---- Arrow --------------------------------------------------------------------- */

static void stream_of(fx *f, const char *query, struct ArrowArrayStream *s) {
  uf_error err;
  uf_tree *t = NULL;
  check(uf_parse_one(query, strlen(query), NULL, &t, &err), &err, query);
  check(uf_engine_execute(f->e, uf_tree_root(t), NULL, NULL, s, &err), &err,
        query);
  uf_tree_free(t);
}

static void test_arrow_stream(void **state) {
  fx *f = *state;
  uf_error err;
  struct ArrowArrayStream s = {0};
  uf_arrow_table *tab = NULL;
  stream_of(f, DATA, &s);
  check(uf_engine_to_table(&s, &tab, &err), &err, "to_table");
  /* a stream: registered and scanned once */
  struct ArrowArrayStream s2 = {0};
  check(uf_arrow_table_stream(tab, &s2, &err), &err, "table stream");
  check(uf_io_register_arrow_stream(f->io, "st", &s2, &err), &err, "register");
  assert_null(s2.release);
  expect(f, "SELECT sum(id) FROM st", "45");
  assert_string_equal(jstr(last_reg(f, "st"), "source"), "arrow_stream");
  /* a table: any number of scans */
  check(uf_io_register_arrow_table(f->io, "tb", tab, &err), &err, "table");
  expect(f, "SELECT count(*) FROM tb", "10");
  expect(f, "SELECT max(name) FROM tb", "n9");
  assert_string_equal(jstr(last_reg(f, "tb"), "source"), "arrow_table");
  /* deregistration of both, centrally */
  check(uf_io_deregister(f->io, "st", &err), &err, "dereg st");
  check(uf_io_deregister(f->io, "tb", &err), &err, "dereg tb");
  assert_null(scalar(f, "SELECT count(*) FROM tb", &err));
  assert_null(scalar(f, "SELECT count(*) FROM st", &err));
  assert_string_equal(jstr(last_reg(f, "tb"), "action"), "deregister");
  uf_arrow_table_free(tab);
  /* a released stream is refused */
  struct ArrowArrayStream dead = {0};
  assert_int_equal(uf_io_register_arrow_stream(f->io, "d", &dead, &err),
                   UF_INVALID_ARGUMENT);
}

static void test_deregister(void **state) {
  fx *f = *state;
  char path[512];
  snprintf(path, sizeof path, "%s/d.parquet", f->dir);
  copy_to(f, DATA, path, "parquet", NULL);
  uf_error err;
  check(uf_io_register_location(f->io, "d1", path, UF_IO_FORMAT_AUTO, &err),
        &err, "d1");
  check(uf_io_register_location(f->io, "d2", path, UF_IO_FORMAT_PARQUET, &err),
        &err, "d2");
  assert_int_equal(uf_io_registered_count(f->io), 2);
  check(uf_io_deregister(f->io, "d1", &err), &err, "d1");
  assert_false(uf_io_is_registered(f->io, "d1"));
  assert_null(scalar(f, "SELECT count(*) FROM d1", &err));
  expect(f, "SELECT count(*) FROM d2", "10");
  const json_t *p = last_reg(f, "d1");
  assert_string_equal(jstr(p, "action"), "deregister");
  assert_non_null(strstr(jstr(p, "sql"), "DROP VIEW IF EXISTS d1"));
  assert_int_equal(uf_io_deregister(f->io, "d1", &err), UF_NOT_FOUND);
  check(uf_io_deregister_all(f->io, &err), &err, "all");
  assert_int_equal(uf_io_registered_count(f->io), 0);
  assert_null(scalar(f, "SELECT count(*) FROM d2", &err));
  /* a failed registration is recorded with its error */
  assert_int_not_equal(uf_io_register_external_sql(
                           f->io,
                           "CREATE EXTERNAL TABLE bad STORED AS PARQUET "
                           "LOCATION '/nonexistent/x.parquet'", NULL, &err),
                       UF_OK);
  p = last_reg(f, "bad");
  assert_non_null(p);
  assert_true(json_is_false(json_object_get(p, "ok")));
  assert_non_null(jstr(p, "error"));
  assert_false(uf_io_is_registered(f->io, "bad"));
}

static void test_secret(void **state) {
  fx *f = *state;
  uf_tree *t = uf_tree_new();
  uf_io_secret s = {0};
  s.name = "s3cred";
  s.type = "S3";
  s.key_id = "AKIA";
  s.secret = "shh";
  s.region = "eu-west-1";
  s.scope = "s3://bucket/data";
  s.use_ssl_off = true;
  uf_node *n = NULL;
  uf_error err;
  check(uf_io_secret_statement(t, &s, &n, &err), &err, "secret");
  char *sql = NULL;
  check(uf_generate(n, NULL, &sql, NULL, &err), &err, "gen");
  assert_string_equal(sql, "CREATE TEMPORARY SECRET s3cred (TYPE S3, KEY_ID "
                           "'AKIA', SECRET 'shh', REGION 'eu-west-1', SCOPE "
                           "'s3://bucket/data', USE_SSL FALSE)");
  uf_tree *t2 = NULL;
  check(uf_parse_one(sql, strlen(sql), NULL, &t2, &err), &err, sql);
  assert_true(uf_node_equal(uf_tree_root(t2), n, false));
  uf_tree_free(t2);
  uf_free(sql);
  uf_tree_free(t);
  /* the engine may lack the S3 secret type (no httpfs in this build): the
   * outcome is recorded either way, without the credentials */
  uf_status st = uf_io_create_secret(f->io, &s, &err);
  assert_true(st == UF_OK || st == UF_ENGINE || st == UF_INVALID_ARGUMENT);
  const json_t *p = last_reg(f, "s3cred");
  assert_non_null(p);
  assert_string_equal(jstr(p, "source"), "secret");
  assert_true(json_is_null(json_object_get(p, "sql")));
  if (st != UF_OK) assert_null(strstr(jstr(p, "error"), "shh"));
  s.type = NULL;
  assert_int_equal(uf_io_create_secret(f->io, &s, &err), UF_INVALID_ARGUMENT);
  /* the HTTP secret type is built into the engine: created for real, and
   * dropped by the central deregistration */
  uf_io_secret h = {0};
  h.name = "web";
  h.type = "HTTP";
  h.bearer_token = "tok-c0ffee-credential";
  check(uf_io_create_secret(f->io, &h, &err), &err, "http secret");
  /* the credential appears in no diagnostics record (execution records of
   * CREATE SECRET carry no SQL) */
  for (size_t i = 0; i < uf_diag_memory_count(f->mem); i++)
    if (strstr(uf_diag_memory_json(f->mem, i), "c0ffee"))
      fail_msg("credential leaked into diagnostics: %s", uf_diag_memory_json(f->mem, i));
  assert_true(uf_io_is_registered(f->io, "web"));
  expect(f, "SELECT count(*) FROM duckdb_secrets() WHERE name = 'web'", "1");
  check(uf_io_deregister(f->io, "web", &err), &err, "drop secret");
  expect(f, "SELECT count(*) FROM duckdb_secrets() WHERE name = 'web'", "0");
  assert_non_null(strstr(jstr(last_reg(f, "web"), "sql"),
                         "DROP TEMPORARY SECRET IF EXISTS web"));
}

/* ---- remote: a small HTTP server with Range support ---------------------------- */

typedef struct server {
  pid_t pid;
  int port;
  char log[1024];
} server;

/* Serves files under root: GET with an optional "Range: bytes=a-b". */
static void serve(int ls, const char *root, const char *log) {
  for (;;) {
    int c = accept(ls, NULL, NULL);
    if (c < 0) continue;
    char req[8192];
    size_t n = 0;
    while (n < sizeof req - 1) {
      ssize_t k = recv(c, req + n, sizeof req - 1 - n, 0);
      if (k <= 0) break;
      n += (size_t)k;
      req[n] = '\0';
      if (strstr(req, "\r\n\r\n")) break;
    }
    req[n] = '\0';
    char path[1024] = "", file[2048];
    sscanf(req, "GET %1000s", path);
    snprintf(file, sizeof file, "%s%s", root, path);
    long long a = -1, b = -1;
    const char *rg = strcasestr(req, "\r\nRange: bytes=");
    if (rg) sscanf(rg + 15, "%lld-%lld", &a, &b);
    FILE *lf = fopen(log, "a");
    if (lf) {
      fprintf(lf, "%s %lld %lld\n", path, a, b);
      fclose(lf);
    }
    FILE *fp = strstr(path, "..") ? NULL : fopen(file, "rb");
    char head[512];
    if (!fp) {
      const char *nf = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                       "Connection: close\r\n\r\n";
      send(c, nf, strlen(nf), MSG_NOSIGNAL);
      close(c);
      continue;
    }
    fseek(fp, 0, SEEK_END);
    long long size = ftell(fp);
    if (a < 0) a = 0, b = size - 1;
    if (b >= size) b = size - 1;
    long long len = b - a + 1;
    int hn = rg ? snprintf(head, sizeof head,
                           "HTTP/1.1 206 Partial Content\r\nContent-Length: %lld"
                           "\r\nContent-Range: bytes %lld-%lld/%lld\r\n"
                           "Connection: close\r\n\r\n", len, a, b, size)
                : snprintf(head, sizeof head,
                           "HTTP/1.1 200 OK\r\nContent-Length: %lld\r\n"
                           "Connection: close\r\n\r\n", len);
    send(c, head, (size_t)hn, MSG_NOSIGNAL);
    fseek(fp, a, SEEK_SET);
    char buf[4096];
    while (len > 0) {
      size_t k = fread(buf, 1, len < (long long)sizeof buf ? (size_t)len : sizeof buf, fp);
      if (k == 0) break;
      send(c, buf, k, MSG_NOSIGNAL);
      len -= (long long)k;
    }
    fclose(fp);
    close(c);
  }
}

static void server_start(server *s, const char *root) {
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(ls >= 0);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0; /* a free port */
  assert_int_equal(bind(ls, (struct sockaddr *)&addr, sizeof addr), 0);
  assert_int_equal(listen(ls, 16), 0);
  socklen_t al = sizeof addr;
  getsockname(ls, (struct sockaddr *)&addr, &al);
  s->port = ntohs(addr.sin_port);
  snprintf(s->log, sizeof s->log, "%s/server.log", root);
  s->pid = fork();
  assert_true(s->pid >= 0);
  if (s->pid == 0) {
    serve(ls, root, s->log);
    _exit(0);
  }
  close(ls);
}

static void server_stop(server *s) {
  kill(s->pid, SIGTERM);
  waitpid(s->pid, NULL, 0);
}

static int count_lines(const char *path, const char *needle) {
  FILE *fp = fopen(path, "r");
  char line[2048];
  int n = 0;
  while (fp && fgets(line, sizeof line, fp))
    if (strstr(line, needle)) n++;
  if (fp) fclose(fp);
  return n;
}

static void test_remote_http(void **state) {
  fx *f = *state;
  char path[1024], www[300];
  snprintf(www, sizeof www, "%s/www", f->dir);
  mkdir(www, 0700);
  snprintf(path, sizeof path, "%s/r.parquet", www);
  copy_to(f, "SELECT i AS id, repeat('x', 50) AS pad FROM range(5000) t(i)",
          path, "parquet", NULL);
  server srv;
  server_start(&srv, www);
  uf_error err;
  /* the client alone: small ranges reassemble the file byte for byte */
  char url[256], local[512];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/r.parquet", srv.port);
  snprintf(local, sizeof local, "%s/copy.parquet", f->dir);
  uint64_t got = 0;
  check(uf_io_http_fetch(url, local, 1000, 0, 5000, &got, &err), &err, url);
  struct stat a, b;
  assert_int_equal(stat(path, &a), 0);
  assert_int_equal(stat(local, &b), 0);
  assert_int_equal(a.st_size, b.st_size);
  assert_int_equal(got, (uint64_t)a.st_size);
  assert_true(count_lines(srv.log, "/r.parquet ") >= (int)(a.st_size / 1000));
  size_t la, lb;
  FILE *fa = fopen(path, "rb"), *fb = fopen(local, "rb");
  char *ba = malloc((size_t)a.st_size), *bb = malloc((size_t)b.st_size);
  la = fread(ba, 1, (size_t)a.st_size, fa);
  lb = fread(bb, 1, (size_t)b.st_size, fb);
  fclose(fa);
  fclose(fb);
  assert_int_equal(la, lb);
  assert_memory_equal(ba, bb, la);
  free(ba);
  free(bb);
  /* an external table on the URL: fetched and registered */
  register_sql(f, "CREATE EXTERNAL TABLE remote STORED AS PARQUET LOCATION '%s'",
               url);
  expect(f, "SELECT count(*) FROM remote", "5000");
  expect(f, "SELECT sum(id) FROM remote", "12497500");
  const json_t *p = last_reg(f, "remote");
  assert_string_equal(jstr(p, "source"), "remote");
  assert_string_equal(jstr(p, "location"), url);
  /* errors: 404, https, refused connection */
  char bad[256];
  snprintf(bad, sizeof bad, "http://127.0.0.1:%d/missing.parquet", srv.port);
  assert_int_equal(uf_io_http_fetch(bad, local, 0, 0, 5000, NULL, &err),
                   UF_NOT_FOUND);
  assert_int_not_equal(uf_io_register_location(f->io, "m", bad,
                                                UF_IO_FORMAT_AUTO, &err), UF_OK);
  assert_int_equal(uf_io_http_fetch("https://127.0.0.1/x", local, 0, 0, 1000,
                                    NULL, &err), UF_UNSUPPORTED);
  assert_int_equal(uf_io_http_fetch("http://127.0.0.1:1/x", local, 0, 0, 1000,
                                    NULL, &err), UF_IO);
  assert_int_equal(uf_io_http_fetch("http://h/a b\r\nX: y", local, 0, 0, 1000,
                                    NULL, &err), UF_INVALID_ARGUMENT);
  /* size cap */
  assert_int_equal(uf_io_http_fetch(url, local, 1000, 2000, 5000, NULL, &err),
                   UF_LIMIT_EXCEEDED);
  assert_int_not_equal(access(local, F_OK), 0); /* partial file removed */
  server_stop(&srv);
  /* deregistration removes the downloaded copy */
  check(uf_io_deregister(f->io, "remote", &err), &err, "dereg remote");
  assert_null(scalar(f, "SELECT count(*) FROM remote", &err));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lowering),
      cmocka_unit_test(test_lowering_errors),
      cmocka_unit_test(test_builder_external),
      cmocka_unit_test_setup_teardown(test_parquet_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_csv_declared, setup, teardown),
      cmocka_unit_test_setup_teardown(test_glob, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hive_discovered, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hive_declared, setup, teardown),
      cmocka_unit_test_setup_teardown(test_json, setup, teardown),
      cmocka_unit_test_setup_teardown(test_arrow_stream, setup, teardown),
      cmocka_unit_test_setup_teardown(test_deregister, setup, teardown),
      cmocka_unit_test_setup_teardown(test_secret, setup, teardown),
      cmocka_unit_test_setup_teardown(test_remote_http, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
