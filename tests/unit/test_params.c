/*
 * Binding sets: names, typed scalars, table-valued parameters (moves and
 * releases), merge, checks against statements, command-line forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "unifier/params.h"
#include "unifier/sql.h"

static void test_names(void **state) {
  (void)state;
  const char *good[] = {"a", "_", "A_1", "limit", "x9_Y", NULL};
  const char *bad[] = {"", "1a", "a-b", "a b", "a.b", "$a", "é", "a;", NULL};
  for (int i = 0; good[i]; i++) assert_true(uf_param_name_valid(good[i]));
  for (int i = 0; bad[i]; i++) {
    if (uf_param_name_valid(bad[i])) print_error("accepted '%s'\n", bad[i]);
    assert_false(uf_param_name_valid(bad[i]));
  }
  assert_false(uf_param_name_valid(NULL));
  char longname[UF_PARAM_NAME_MAX + 2];
  memset(longname, 'a', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  assert_false(uf_param_name_valid(longname));
  longname[UF_PARAM_NAME_MAX] = '\0';
  assert_true(uf_param_name_valid(longname));
}

static void test_scalars(void **state) {
  (void)state;
  uf_bindings *b = NULL;
  uf_error err;
  assert_int_equal(uf_bindings_new(&b, &err), UF_OK);
  assert_int_equal(uf_bindings_set_int(b, "n", 42, &err), UF_OK);
  assert_int_equal(uf_bindings_set_varchar(b, "s", "a\0b", 3, &err), UF_OK);
  assert_int_equal(uf_bindings_set_date(b, "d", "2024-02-29", &err), UF_OK);
  assert_int_equal(uf_bindings_set_timestamp(b, "ts", "1970-01-02T00:00:01.5",
                                             &err), UF_OK);
  assert_int_equal(uf_bindings_set_time(b, "tm", "23:59:59", &err), UF_OK);
  assert_int_equal(uf_bindings_set_decimal(b, "m", "-12.5", 10, 2, &err),
                   UF_OK);
  assert_int_equal(uf_bindings_set_null(b, "z", &err), UF_OK);
  assert_int_equal(uf_bindings_set_bool(b, "f", false, &err), UF_OK);
  /* duplicates (case-insensitive) and bad values */
  assert_int_equal(uf_bindings_set_int(b, "N", 1, &err), UF_INVALID_ARGUMENT);
  assert_true(strstr(err.message, "already bound") != NULL);
  assert_int_equal(uf_bindings_set_int(b, "1x", 1, &err), UF_INVALID_ARGUMENT);
  assert_int_equal(uf_bindings_set_date(b, "d2", "2023-02-29", &err),
                   UF_INVALID_ARGUMENT);
  assert_int_equal(uf_bindings_set_date(b, "d2", "2023-13-01", &err),
                   UF_INVALID_ARGUMENT);
  assert_int_equal(uf_bindings_set_time(b, "t2", "24:00:00", &err),
                   UF_INVALID_ARGUMENT);
  assert_int_equal(uf_bindings_set_decimal(b, "m2", "1.234", 10, 2, &err),
                   UF_INVALID_ARGUMENT);
  assert_int_equal(uf_bindings_set_decimal(b, "m2", "123456", 5, 0, &err),
                   UF_INVALID_ARGUMENT);
  assert_int_equal(uf_bindings_count(b), 8);
  assert_int_equal(uf_bindings_scalar_count(b), 8);
  const uf_value *v = uf_bindings_value(b, (size_t)uf_bindings_find(b, "S"));
  assert_int_equal(v->type, UF_VALUE_VARCHAR);
  assert_int_equal(v->len, 3);
  assert_memory_equal(v->text, "a\0b", 3);
  v = uf_bindings_value(b, (size_t)uf_bindings_find(b, "d"));
  assert_int_equal(v->i, 19782); /* days from 1970-01-01 to 2024-02-29 */
  v = uf_bindings_value(b, (size_t)uf_bindings_find(b, "ts"));
  assert_int_equal(v->i, 86401500000LL);
  v = uf_bindings_value(b, (size_t)uf_bindings_find(b, "tm"));
  assert_int_equal(v->i, 86399000000LL);
  v = uf_bindings_value(b, (size_t)uf_bindings_find(b, "m"));
  assert_string_equal(v->text, "-12.50");
  assert_int_equal(v->width, 10);
  assert_int_equal(v->scale, 2);
  assert_true(v->decimal_fits);
  assert_int_equal(v->i, -1250);
  assert_string_equal(uf_bindings_name(b, 0), "n");
  assert_null(uf_bindings_name(b, 99));
  assert_null(uf_bindings_value(b, 99));
  assert_string_equal(uf_value_type_name(UF_VALUE_TIMESTAMP), "TIMESTAMP");
  uf_bindings_free(b);
  uf_bindings_free(NULL);
}

/* A tiny producer whose release we can observe. */
static int released;
static void rel_stream(struct ArrowArrayStream *s) {
  released++;
  s->release = NULL;
}
static void rel_schema(struct ArrowSchema *s) {
  released++;
  s->release = NULL;
}
static void rel_array(struct ArrowArray *a) {
  released++;
  a->release = NULL;
}

static void test_tables(void **state) {
  (void)state;
  released = 0;
  uf_bindings *b = NULL;
  assert_int_equal(uf_bindings_new(&b, NULL), UF_OK);
  struct ArrowArrayStream s = {.release = rel_stream};
  assert_int_equal(uf_bindings_set_stream(b, "src", &s, NULL), UF_OK);
  assert_null(s.release); /* moved */
  struct ArrowSchema sc = {.format = "+s", .release = rel_schema};
  struct ArrowArray arr[2] = {{.length = 1, .release = rel_array},
                              {.length = 2, .release = rel_array}};
  assert_int_equal(uf_bindings_set_table(b, "tbl", &sc, arr, 2, NULL), UF_OK);
  assert_null(sc.release);
  assert_null(arr[0].release);
  /* a duplicate name: the stream is still taken and released */
  struct ArrowArrayStream s2 = {.release = rel_stream};
  assert_int_equal(uf_bindings_set_stream(b, "SRC", &s2, NULL),
                   UF_INVALID_ARGUMENT);
  assert_null(s2.release);
  assert_int_equal(released, 1);
  assert_int_equal(uf_bindings_table_count(b), 2);
  assert_int_equal(uf_bindings_kind(b, 0), UF_BINDING_STREAM);
  assert_int_equal(uf_bindings_kind(b, 1), UF_BINDING_TABLE);
  /* the stream moves out once */
  struct ArrowArrayStream out;
  assert_int_equal(uf_bindings_table_stream(b, 0, &out, NULL), UF_OK);
  assert_non_null(out.release);
  out.release(&out);
  assert_int_equal(released, 2);
  assert_int_equal(uf_bindings_table_stream(b, 0, &out, NULL),
                   UF_INVALID_ARGUMENT);
  /* a table streams any number of times, borrowing its batches */
  for (int round = 0; round < 2; round++) {
    assert_int_equal(uf_bindings_table_stream(b, 1, &out, NULL), UF_OK);
    struct ArrowSchema gs;
    assert_int_equal(out.get_schema(&out, &gs), 0);
    assert_string_equal(gs.format, "+s");
    gs.release(&gs);
    int64_t rows = 0;
    for (;;) {
      struct ArrowArray a;
      assert_int_equal(out.get_next(&out, &a), 0);
      if (!a.release) break;
      rows += a.length;
      a.release(&a);
    }
    assert_int_equal(rows, 3);
    out.release(&out);
  }
  assert_int_equal(released, 2); /* borrowed views released nothing */
  assert_int_equal(uf_bindings_table_stream(b, 5, &out, NULL),
                   UF_INVALID_ARGUMENT);
  uf_bindings_free(b);
  assert_int_equal(released, 5); /* schema + 2 arrays */
}

static void test_merge(void **state) {
  (void)state;
  uf_bindings *a = NULL, *b = NULL, *c = NULL;
  uf_error err;
  uf_bindings_new(&a, NULL);
  uf_bindings_new(&b, NULL);
  uf_bindings_new(&c, NULL);
  uf_bindings_set_int(a, "x", 1, NULL);
  uf_bindings_set_int(b, "y", 2, NULL);
  uf_bindings_set_int(c, "X", 3, NULL);
  assert_int_equal(uf_bindings_merge(a, b, &err), UF_OK); /* frees b */
  assert_int_equal(uf_bindings_count(a), 2);
  assert_int_equal(uf_bindings_merge(a, c, &err), UF_INVALID_ARGUMENT);
  assert_true(strstr(err.message, "'X'") != NULL);
  assert_int_equal(uf_bindings_count(a), 2); /* unchanged */
  assert_int_equal(uf_bindings_merge(a, NULL, &err), UF_OK);
  uf_bindings_free(a);
}

static uf_status check_sql(const uf_bindings *b, const char *sql,
                           uf_error *err) {
  uf_tree *t = NULL;
  assert_int_equal(uf_parse(sql, strlen(sql), NULL, &t, NULL), UF_OK);
  uf_status st = uf_bindings_check(b, uf_tree_root(t), err);
  uf_tree_free(t);
  return st;
}

static void test_check(void **state) {
  (void)state;
  uf_bindings *b = NULL;
  uf_error err;
  uf_bindings_new(&b, NULL);
  uf_bindings_set_int(b, "lo", 1, NULL);
  uf_bindings_set_int(b, "hi", 9, NULL);
  struct ArrowArrayStream s = {.release = rel_stream};
  uf_bindings_set_stream(b, "src", &s, NULL);
  assert_int_equal(check_sql(b, "SELECT * FROM src WHERE a BETWEEN $lo AND "
                                "$HI", &err), UF_OK);
  assert_int_equal(check_sql(b, "WITH x AS (SELECT * FROM SRC) SELECT "
                                "(SELECT $lo), list_transform([1], v -> v + "
                                "$hi) FROM x", &err), UF_OK);
  /* missing, with position */
  assert_int_equal(check_sql(b, "SELECT * FROM src\nWHERE a > $lo AND b < "
                                "$hi AND c = $missing", &err),
                   UF_INVALID_ARGUMENT);
  assert_true(strstr(err.message, "missing parameter $missing at 2:35") !=
              NULL);
  assert_int_equal(err.line, 2);
  /* unknown (unused) entries */
  assert_int_equal(check_sql(b, "SELECT $lo, $hi", &err), UF_INVALID_ARGUMENT);
  assert_true(strstr(err.message, "unknown table parameter src") != NULL);
  assert_int_equal(check_sql(b, "SELECT * FROM src WHERE $lo > 0", &err),
                   UF_INVALID_ARGUMENT);
  assert_true(strstr(err.message, "unknown parameter $hi") != NULL);
  /* qualified names are not the parameter */
  assert_int_equal(check_sql(b, "SELECT * FROM main.src WHERE $lo < $hi",
                             &err), UF_INVALID_ARGUMENT);
  /* positional parameters, table used as a scalar */
  assert_int_equal(check_sql(b, "SELECT * FROM src WHERE $1 < $lo AND ? < "
                                "$hi", &err), UF_INVALID_ARGUMENT);
  assert_true(strstr(err.message, "positional parameter $N") != NULL);
  assert_true(strstr(err.message, "positional parameter ?") != NULL);
  assert_int_equal(check_sql(b, "SELECT $src, $lo, $hi FROM src", &err),
                   UF_INVALID_ARGUMENT);
  assert_true(strstr(err.message, "table-valued") != NULL);
  /* an empty set: any $name is missing; a statement without any is fine */
  assert_int_equal(check_sql(NULL, "SELECT 1", &err), UF_OK);
  assert_int_equal(check_sql(NULL, "SELECT $a", &err), UF_INVALID_ARGUMENT);
  uf_bindings_free(b);
}

static void test_parse_arg(void **state) {
  (void)state;
  static const struct {
    const char *arg;
    uf_value_type type;
    const char *text; /* expected text, or NULL */
  } ok[] = {
      {"n=42", UF_VALUE_BIGINT, NULL},
      {"neg=-7", UF_VALUE_BIGINT, NULL},
      {"p=3.50", UF_VALUE_DECIMAL, "3.50"},
      {"e=1e3", UF_VALUE_DOUBLE, NULL},
      {"b=true", UF_VALUE_BOOLEAN, NULL},
      {"z=NULL", UF_VALUE_NULL, NULL},
      {"name=alice", UF_VALUE_VARCHAR, "alice"},
      {"empty=", UF_VALUE_VARCHAR, ""},
      {"eq=a=b", UF_VALUE_VARCHAR, "a=b"},
      {"url=http://x:1/y", UF_VALUE_VARCHAR, "http://x:1/y"},
      {"d:DATE=2024-01-01", UF_VALUE_DATE, "2024-01-01"},
      {"ts:timestamp=2024-01-01 10:00:00", UF_VALUE_TIMESTAMP, NULL},
      {"t:TIME=10:00:00.25", UF_VALUE_TIME, NULL},
      {"s:VARCHAR=42", UF_VALUE_VARCHAR, "42"},
      {"m:DECIMAL(10,2)=3.5", UF_VALUE_DECIMAL, "3.50"},
      {"i:INT=5", UF_VALUE_BIGINT, NULL},
      {"f:DOUBLE=2.5", UF_VALUE_DOUBLE, NULL},
      {"x:BLOB=00ff", UF_VALUE_BLOB, NULL},
      {"q:BOOLEAN=0", UF_VALUE_BOOLEAN, NULL},
      {"nn:NULL=", UF_VALUE_NULL, NULL},
  };
  uf_bindings *b = NULL;
  uf_error err;
  uf_bindings_new(&b, NULL);
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    if (uf_bindings_parse_arg(b, ok[i].arg, &err) != UF_OK)
      print_error("%s: %s\n", ok[i].arg, err.message);
    const uf_value *v = uf_bindings_value(b, i);
    assert_non_null(v);
    if (v->type != ok[i].type)
      print_error("%s: type %s\n", ok[i].arg, uf_value_type_name(v->type));
    assert_int_equal(v->type, ok[i].type);
    if (ok[i].text) assert_string_equal(v->text, ok[i].text);
  }
  assert_int_equal(uf_bindings_value(b, 0)->i, 42);
  assert_true(uf_bindings_value(b, 4)->b);
  assert_int_equal(uf_bindings_value(b, 17)->len, 2);
  static const char *bad[] = {
      "noequals", "=5", "1x=5", "a-b=1", "d:DATE=2024-1-1", "i:INT=abc",
      "i:INT=99999999999999999999", "x:BLOB=0g", "x:BLOB=abc", "t:WHAT=1",
      "b:BOOLEAN=yes", "n=1", /* duplicate of n */ "nl:NULL=x", ":INT=1",
      "m:DECIMAL(2,1)=123",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (uf_bindings_parse_arg(b, bad[i], &err) != UF_INVALID_ARGUMENT)
      print_error("accepted %s\n", bad[i]);
    assert_int_equal(uf_bindings_parse_arg(b, bad[i], &err),
                     UF_INVALID_ARGUMENT);
  }
  assert_int_equal(uf_bindings_count(b), sizeof ok / sizeof *ok);
  uf_bindings_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),   cmocka_unit_test(test_scalars),
      cmocka_unit_test(test_tables),  cmocka_unit_test(test_merge),
      cmocka_unit_test(test_check),   cmocka_unit_test(test_parse_arg),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
