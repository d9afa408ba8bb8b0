/* Diagnostics: the sink vtable, the memory and JSON Lines sinks, and every
 * typed record's payload shape (exact field set and JSON types), as
 * documented in docs/diagnostics.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "unifier/diag.h"
#include "../support/support.h"

/* One expected field: name and JSON type ('s' string, 'S' string or null,
 * 'i' integer, 'I' integer or null, 'r' real, 'R' real or null, 'b' bool,
 * 'o' object). */
typedef struct field { const char *name; char type; } field;

static bool type_ok(const json_t *v, char t) {
  switch (t) {
    case 's': return json_is_string(v);
    case 'S': return json_is_string(v) || json_is_null(v);
    case 'i': return json_is_integer(v);
    case 'I': return json_is_integer(v) || json_is_null(v);
    case 'r': return json_is_real(v);
    case 'R': return json_is_real(v) || json_is_null(v);
    case 'b': return json_is_boolean(v);
    case 'o': return json_is_object(v);
  }
  return false;
}

/* Checks that obj has exactly the fields listed, with their types; prints
 * the record on failure. */
static void check_shape(const json_t *obj, const field *f, size_t n,
                        const char *line) {
  size_t have = json_object_size(obj);
  if (have != n) {
    print_error("record %s: %zu fields, expected %zu\n", line, have, n);
    fail();
  }
  for (size_t i = 0; i < n; i++) {
    const json_t *v = json_object_get(obj, f[i].name);
    if (!v || !type_ok(v, f[i].type)) {
      print_error("record %s: field %s missing or not of type %c\n", line,
                  f[i].name, f[i].type);
      fail();
    }
  }
}

static const field ENVELOPE[] = {{"v", 'i'}, {"ts", 's'}, {"channel", 's'},
                                 {"type", 's'}, {"name", 's'},
                                 {"payload", 'o'}};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const json_t *payload_of(const uf_diag_sink *s, size_t i) {
  const json_t *o = uf_diag_memory_object(s, i);
  assert_non_null(o);
  check_shape(o, ENVELOPE, N(ENVELOPE), uf_diag_memory_json(s, i));
  assert_int_equal(json_integer_value(json_object_get(o, "v")), UF_DIAG_VERSION);
  return json_object_get(o, "payload");
}

typedef struct fixture {
  uf_recorder *rec;
  uf_diag_sink *mem;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  uf_error err;
  if (!f || uf_recorder_new(&f->rec, &err) != UF_OK) return -1;
  if (uf_diag_memory_sink_new(&f->mem, &err) != UF_OK) return -1;
  if (uf_recorder_add_sink(f->rec, f->mem, true, &err) != UF_OK) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  uf_recorder_free(f->rec);
  free(f);
  return 0;
}

static void test_compilation_shape(void **state) {
  fixture *f = *state;
  uf_error err;
  uf_diag_compilation c = {"model_a", "duckdb", "ab12", NULL, "SELECT 1", 1,
                           1.5, NULL, NULL};
  assert_int_equal(uf_record_compilation(f->rec, &c, &err), UF_OK);
  c.fingerprint = NULL;
  c.statements = -1;
  c.error = "syntax error at 1:8";
  c.error_code = "SYNTAX";
  assert_int_equal(uf_record_compilation(f->rec, &c, &err), UF_OK);
  static const field P[] = {{"name", 'S'}, {"dialect", 'S'},
      {"fingerprint", 'S'}, {"policy_fingerprint", 'S'}, {"sql", 'S'},
      {"statements", 'I'}, {"duration_ms", 'R'}, {"ok", 'b'}, {"error", 'S'},
      {"error_code", 'S'}};
  for (size_t i = 0; i < 2; i++) {
    const json_t *p = payload_of(f->mem, i);
    check_shape(p, P, N(P), uf_diag_memory_json(f->mem, i));
    assert_string_equal(uf_diag_memory_type(f->mem, i), "compilation");
    assert_int_equal(json_is_true(json_object_get(p, "ok")), i == 0);
  }
  const json_t *p1 = payload_of(f->mem, 1);
  assert_true(json_is_null(json_object_get(p1, "statements")));
  assert_string_equal(json_string_value(json_object_get(p1, "error_code")),
                      "SYNTAX");
}

static void test_execution_shape(void **state) {
  fixture *f = *state;
  uf_error err;
  uf_diag_execution x = {"query", "0123abcd", "SELECT 42", "SELECT", 12.25,
                         1, 8, 1, NULL, NULL};
  assert_int_equal(uf_record_execution(f->rec, &x, &err), UF_OK);
  static const field P[] = {{"name", 'S'}, {"fingerprint", 'S'}, {"sql", 'S'},
      {"statement_type", 'S'}, {"duration_ms", 'R'}, {"rows", 'I'},
      {"bytes", 'I'}, {"batches", 'I'}, {"ok", 'b'}, {"error", 'S'},
      {"error_code", 'S'}};
  const json_t *p = payload_of(f->mem, 0);
  check_shape(p, P, N(P), uf_diag_memory_json(f->mem, 0));
  assert_string_equal(json_string_value(json_object_get(p, "sql")), "SELECT 42");
  assert_int_equal(json_integer_value(json_object_get(p, "rows")), 1);
  assert_true(json_real_value(json_object_get(p, "duration_ms")) == 12.25);
  assert_int_equal(uf_diag_memory_find(f->mem, 0, UF_DIAG_ARTIFACT,
                                       "execution"), 0);
  assert_int_equal(uf_diag_memory_find(f->mem, 0, UF_DIAG_ARTIFACT, "write"),
                   (size_t)-1);
}

static void test_write_shape(void **state) {
  fixture *f = *state;
  uf_error err;
  uf_diag_write w = {"/tmp/x.parquet", "parquet", "overwrite", NULL, 10, 2048,
                     1, 3.0, NULL, NULL};
  assert_int_equal(uf_record_write(f->rec, &w, &err), UF_OK);
  static const field P[] = {{"destination", 'S'}, {"format", 'S'},
      {"mode", 'S'}, {"fingerprint", 'S'}, {"rows", 'I'}, {"bytes", 'I'},
      {"files", 'I'}, {"duration_ms", 'R'}, {"ok", 'b'}, {"error", 'S'},
      {"error_code", 'S'}};
  check_shape(payload_of(f->mem, 0), P, N(P), uf_diag_memory_json(f->mem, 0));
}

static void test_registration_shape(void **state) {
  fixture *f = *state;
  uf_error err;
  uf_diag_registration g = {"sales", "register", "external", "/d/*.parquet",
                            "parquet", "CREATE VIEW sales AS SELECT 1", -1,
                            true, 0.5, NULL, NULL};
  assert_int_equal(uf_record_registration(f->rec, &g, &err), UF_OK);
  static const field P[] = {{"name", 'S'}, {"action", 'S'}, {"source", 'S'},
      {"location", 'S'}, {"format", 'S'}, {"sql", 'S'}, {"columns", 'I'},
      {"hive_partitioning", 'b'}, {"duration_ms", 'R'}, {"ok", 'b'},
      {"error", 'S'}, {"error_code", 'S'}};
  const json_t *p = payload_of(f->mem, 0);
  check_shape(p, P, N(P), uf_diag_memory_json(f->mem, 0));
  assert_true(json_is_true(json_object_get(p, "hive_partitioning")));
  assert_string_equal(uf_diag_memory_name(f->mem, 0), "sales");
}

static void test_cache_shape(void **state) {
  fixture *f = *state;
  uf_error err;
  uf_diag_cache c = {"catalog", NULL, true, 7, 0.01};
  assert_int_equal(uf_record_cache(f->rec, &c, &err), UF_OK);
  static const field P[] = {{"cache", 'S'}, {"key", 'S'}, {"hit", 'b'},
                            {"generation", 'i'}, {"duration_ms", 'R'}};
  const json_t *p = payload_of(f->mem, 0);
  check_shape(p, P, N(P), uf_diag_memory_json(f->mem, 0));
  assert_int_equal(json_integer_value(json_object_get(p, "generation")), 7);
}

static void test_metric_event_shape(void **state) {
  fixture *f = *state;
  uf_error err;
  const char *labels[] = {"lane", "query"};
  assert_int_equal(uf_record_metric(f->rec, "engine.rows", 42, "rows", 1,
                                    labels, &err), UF_OK);
  const char *fields[] = {"reason", "user", "extra", NULL};
  assert_int_equal(uf_record_event(f->rec, "engine.interrupt", "stopped", 2,
                                   fields, &err), UF_OK);
  static const field M[] = {{"value", 'r'}, {"unit", 'S'}, {"labels", 'o'}};
  static const field E[] = {{"message", 'S'}, {"fields", 'o'}};
  assert_int_equal(uf_diag_memory_channel(f->mem, 0), UF_DIAG_METRIC);
  check_shape(payload_of(f->mem, 0), M, N(M), uf_diag_memory_json(f->mem, 0));
  assert_int_equal(uf_diag_memory_channel(f->mem, 1), UF_DIAG_EVENT);
  const json_t *e = payload_of(f->mem, 1);
  check_shape(e, E, N(E), uf_diag_memory_json(f->mem, 1));
  assert_true(json_is_null(json_object_get(json_object_get(e, "fields"),
                                           "extra")));
  assert_string_equal(uf_diag_memory_name(f->mem, 1), "engine.interrupt");
  assert_int_equal(uf_recorder_count(f->rec), 2);
}

/* Odd bytes in user SQL must not lose the record. */
static void test_invalid_utf8(void **state) {
  fixture *f = *state;
  uf_error err;
  uf_diag_execution x = {NULL, NULL, "SELECT '\xff\xfe'", NULL, 0, -1, -1, -1,
                         "bad", "ENGINE"};
  assert_int_equal(uf_record_execution(f->rec, &x, &err), UF_OK);
  assert_non_null(strstr(uf_diag_memory_json(f->mem, 0), "SELECT '?" "?'"));
  uf_diag_memory_clear(f->mem);
  assert_int_equal(uf_diag_memory_count(f->mem), 0);
}

static void test_null_recorder(void **state) {
  (void)state;
  uf_diag_execution x = {0};
  assert_int_equal(uf_record_execution(NULL, &x, NULL), UF_OK);
  assert_int_equal(uf_record_metric(NULL, "m", 1, NULL, 0, NULL, NULL), UF_OK);
  uf_recorder_free(NULL);
  assert_int_equal(uf_diag_sink_close(NULL, NULL), UF_OK);
}

/* Two sinks: the JSONL file holds exactly the memory sink's lines. */
static void test_jsonl_file(void **state) {
  (void)state;
  char dir[] = "/tmp/uf_diag_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/diag.jsonl", dir);
  uf_error err;
  uf_recorder *rec;
  uf_diag_sink *mem, *file;
  assert_int_equal(uf_recorder_new(&rec, &err), UF_OK);
  assert_int_equal(uf_diag_memory_sink_new(&mem, &err), UF_OK);
  assert_int_equal(uf_diag_jsonl_sink_open(path, true, &file, &err), UF_OK);
  assert_int_equal(uf_recorder_add_sink(rec, mem, false, &err), UF_OK);
  assert_int_equal(uf_recorder_add_sink(rec, file, true, &err), UF_OK);
  uf_diag_execution x = {"q", "ff", "SELECT\n1", "SELECT", 1, 1, 8, 1, NULL,
                         NULL};
  uf_diag_cache c = {"catalog", NULL, false, 1, 2};
  assert_int_equal(uf_record_execution(rec, &x, &err), UF_OK);
  assert_int_equal(uf_record_cache(rec, &c, &err), UF_OK);
  assert_int_equal(uf_record_event(rec, "done", NULL, 0, NULL, &err), UF_OK);
  /* flushed after every line: the file is complete before closing */
  char expect[8192] = "";
  for (size_t i = 0; i < uf_diag_memory_count(mem); i++) {
    strcat(expect, uf_diag_memory_json(mem, i));
    strcat(expect, "\n");
  }
  char *got = ut_read_file(path, NULL);
  assert_non_null(got);
  assert_string_equal(got, expect);
  /* each line parses back to an object with the envelope */
  const char *line = got;
  int lines = 0;
  while (*line) {
    const char *nl = strchr(line, '\n');
    assert_non_null(nl);
    json_error_t je;
    json_t *o = json_loadb(line, (size_t)(nl - line), 0, &je);
    assert_non_null(o);
    check_shape(o, ENVELOPE, N(ENVELOPE), line);
    json_decref(o);
    lines++;
    line = nl + 1;
  }
  assert_int_equal(lines, 3);
  uf_recorder_free(rec);
  uf_diag_sink_close(mem, NULL);
  /* append mode keeps earlier lines */
  assert_int_equal(uf_diag_jsonl_sink_open(path, false, &file, &err), UF_OK);
  assert_int_equal(uf_recorder_new(&rec, &err), UF_OK);
  assert_int_equal(uf_recorder_add_sink(rec, file, true, &err), UF_OK);
  assert_int_equal(uf_record_event(rec, "again", NULL, 0, NULL, &err), UF_OK);
  uf_recorder_free(rec);
  free(got);
  got = ut_read_file(path, NULL);
  assert_non_null(got);
  int n = 0;
  for (const char *p = got; *p; p++) n += *p == '\n';
  assert_int_equal(n, 4);
  free(got);
  unlink(path);
  rmdir(dir);
}

/* Write errors come back from the record call, and the other sinks still
 * get the record. */
static void test_jsonl_write_error(void **state) {
  (void)state;
  if (access("/dev/full", W_OK) != 0) skip();
  uf_error err;
  uf_recorder *rec;
  uf_diag_sink *mem, *full;
  assert_int_equal(uf_recorder_new(&rec, &err), UF_OK);
  assert_int_equal(uf_diag_jsonl_sink_open("/dev/full", false, &full, &err),
                   UF_OK);
  assert_int_equal(uf_diag_memory_sink_new(&mem, &err), UF_OK);
  assert_int_equal(uf_recorder_add_sink(rec, full, true, &err), UF_OK);
  assert_int_equal(uf_recorder_add_sink(rec, mem, true, &err), UF_OK);
  uf_status st = uf_record_event(rec, "x", "y", 0, NULL, &err);
  assert_int_equal(st, UF_IO);
  assert_non_null(strstr(err.message, "/dev/full"));
  assert_int_equal(uf_diag_memory_count(mem), 1);
  assert_int_equal(uf_recorder_failures(rec), 1);
  uf_recorder_free(rec);
  assert_int_equal(uf_diag_jsonl_sink_open("/nonexistent/dir/x.jsonl", true,
                                           &full, &err), UF_IO);
  assert_null(full);
}

/* A custom sink through the vtable: counts per channel. */
typedef struct counting { uf_diag_sink base; int a, m, e, closed; } counting;
static uf_status c_art(uf_diag_sink *s, const uf_diag_record *r, uf_error *e) {
  (void)r; (void)e; ((counting *)s)->a++; return UF_OK;
}
static uf_status c_met(uf_diag_sink *s, const uf_diag_record *r, uf_error *e) {
  (void)e; assert_string_equal(r->type, "metric"); ((counting *)s)->m++;
  return UF_OK;
}
static uf_status c_evt(uf_diag_sink *s, const uf_diag_record *r, uf_error *e) {
  (void)r; (void)e; ((counting *)s)->e++; return UF_OK;
}
static uf_status c_close(uf_diag_sink *s, uf_error *e) {
  (void)e; ((counting *)s)->closed++; return UF_OK;
}

static void test_custom_sink(void **state) {
  (void)state;
  static const uf_diag_sink_vtable VT = {c_art, c_met, c_evt, c_close};
  counting c = {{&VT, NULL}, 0, 0, 0, 0};
  uf_recorder *rec;
  assert_int_equal(uf_recorder_new(&rec, NULL), UF_OK);
  assert_int_equal(uf_recorder_add_sink(rec, &c.base, true, NULL), UF_OK);
  uf_diag_cache cc = {"c", "k", true, 0, 0};
  uf_record_cache(rec, &cc, NULL);
  uf_record_metric(rec, "m", 1, NULL, 0, NULL, NULL);
  uf_record_metric(rec, "m", 2, NULL, 0, NULL, NULL);
  uf_record_event(rec, "e", NULL, 0, NULL, NULL);
  uf_recorder_free(rec);
  assert_int_equal(c.a, 1);
  assert_int_equal(c.m, 2);
  assert_int_equal(c.e, 1);
  assert_int_equal(c.closed, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_compilation_shape, setup, teardown),
      cmocka_unit_test_setup_teardown(test_execution_shape, setup, teardown),
      cmocka_unit_test_setup_teardown(test_write_shape, setup, teardown),
      cmocka_unit_test_setup_teardown(test_registration_shape, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cache_shape, setup, teardown),
      cmocka_unit_test_setup_teardown(test_metric_event_shape, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
      cmocka_unit_test(test_null_recorder),
      cmocka_unit_test(test_jsonl_file),
      cmocka_unit_test(test_jsonl_write_error),
      cmocka_unit_test(test_custom_sink),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
