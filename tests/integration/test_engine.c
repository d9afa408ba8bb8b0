/*
 * The engine on DuckDB: streaming Arrow results checked cell by cell
 * against DuckDB's own text for every type family, batch coalescing,
 * half-read streams, interrupts from another thread, scalar and
 * table-valued parameters, the statement-type cross-check, to_table,
 * session lock-down (allowed directories, locked configuration) and
 * execution records.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../support/support.h"

#include "engine/engine.h"
#include "engine/engine_oracle.h"
#include "unifier/diag.h"
#include "unifier/params.h"
#include "unifier/safety.h"
#include "unifier/sql.h"

/* -- helpers ------------------------------------------------------------------ */

static uf_tree *parse(const char *sql) {
  uf_tree *t = NULL;
  uf_error err;
  if (uf_parse_one(sql, strlen(sql), NULL, &t, &err) != UF_OK)
    fail_msg("parse failed: %s\n  in: %s", err.message, sql);
  return t;
}

static uf_engine *open_engine(const uf_runtime_profile *p) {
  uf_engine *e = NULL;
  uf_error err;
  if (uf_engine_open(p, &e, &err) != UF_OK) fail_msg("open: %s", err.message);
  return e;
}

/* Executes sql; the stream is the caller's. */
static void execute(uf_engine *e, const char *sql, const uf_bindings *b,
                    uint64_t batch_rows, struct ArrowArrayStream *out) {
  uf_tree *t = parse(sql);
  uf_exec_options o = {.batch_rows = batch_rows, .label = "test"};
  uf_error err;
  uf_status st = uf_engine_execute(e, uf_tree_root(t), b, &o, out, &err);
  uf_tree_free(t);
  if (st != UF_OK) fail_msg("execute failed: %s\n  in: %s", err.message, sql);
}

static uf_status run(uf_engine *e, const char *sql, uint64_t *rows, uf_error *err) {
  uf_tree *t = parse(sql);
  uf_status st = uf_engine_run(e, uf_tree_root(t), NULL, NULL, rows, err);
  uf_tree_free(t);
  return st;
}

static uf_arrow_table *table_of(uf_engine *e, const char *sql, const uf_bindings *b) {
  struct ArrowArrayStream s;
  execute(e, sql, b, 0, &s);
  uf_arrow_table *t = NULL;
  uf_error err;
  if (uf_engine_to_table(&s, &t, &err) != UF_OK) fail_msg("to_table: %s\n  in: %s", err.message, sql);
  return t;
}

/* -- Arrow values as DuckDB writes them ---------------------------------------- */

typedef struct buf {
  char s[4096];
  size_t n;
} buf;

static void put(buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
  va_end(ap);
  if (k > 0) b->n += (size_t)k;
  if (b->n >= sizeof b->s) b->n = sizeof b->s - 1;
}

static bool is_valid(const struct ArrowArray *a, int64_t i) {
  const uint8_t *v = a->n_buffers > 0 ? a->buffers[0] : NULL;
  return v == NULL || ((v[(a->offset + i) >> 3] >> ((a->offset + i) & 7)) & 1);
}

static void civil(int64_t days, int *y, unsigned *m, unsigned *d) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  unsigned doe = (unsigned)(days - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void put_date(buf *b, int64_t days) {
  int y;
  unsigned m, d;
  civil(days, &y, &m, &d);
  put(b, "%04d-%02u-%02u", y, m, d);
}

static void put_decimal(buf *b, const char *fmt, const uint8_t *p) {
  int scale = atoi(strchr(fmt, ',') + 1);
  __int128 v;
  memcpy(&v, p, 16);
  bool neg = v < 0;
  unsigned __int128 u = neg ? (unsigned __int128)-v : (unsigned __int128)v;
  char digits[64];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u > 0 || n <= scale);
  if (neg) put(b, "-");
  for (int i = n - 1; i >= 0; i--) {
    put(b, "%c", digits[i]);
    if (i == scale && scale > 0) put(b, ".");
  }
}

static void put_value(buf *b, const struct ArrowSchema *s, const struct ArrowArray *a,
                      int64_t i, bool nested);

static void put_string(buf *b, const struct ArrowArray *a, int64_t k) {
  const int32_t *o = a->buffers[1];
  put(b, "%.*s", (int)(o[k + 1] - o[k]), (const char *)a->buffers[2] + o[k]);
}

static void put_value(buf *b, const struct ArrowSchema *s, const struct ArrowArray *a,
                      int64_t i, bool nested) {
  if (!is_valid(a, i)) {
    put(b, "NULL");
    return;
  }
  int64_t k = a->offset + i;
  const char *f = s->format;
  if (strcmp(f, "l") == 0) put(b, "%lld", (long long)((const int64_t *)a->buffers[1])[k]);
  else if (strcmp(f, "i") == 0) put(b, "%d", ((const int32_t *)a->buffers[1])[k]);
  else if (strcmp(f, "b") == 0)
    put(b, "%s", ((((const uint8_t *)a->buffers[1])[k >> 3] >> (k & 7)) & 1) ? "true" : "false");
  else if (strcmp(f, "g") == 0) put(b, "%.17g", ((const double *)a->buffers[1])[k]);
  else if (strcmp(f, "u") == 0) put_string(b, a, k);
  else if (strcmp(f, "tdD") == 0) put_date(b, ((const int32_t *)a->buffers[1])[k]);
  else if (strncmp(f, "tsu:", 4) == 0) {
    int64_t us = ((const int64_t *)a->buffers[1])[k];
    int64_t days = us / 86400000000LL, rem = us % 86400000000LL;
    if (rem < 0) rem += 86400000000LL, days--;
    put_date(b, days);
    put(b, " %02d:%02d:%02d", (int)(rem / 3600000000LL), (int)(rem / 60000000LL % 60),
        (int)(rem / 1000000 % 60));
    if (rem % 1000000) {
      char frac[8];
      snprintf(frac, sizeof frac, "%06d", (int)(rem % 1000000));
      for (int z = 5; z > 0 && frac[z] == '0'; z--) frac[z] = '\0';
      put(b, ".%s", frac);
    }
  } else if (strncmp(f, "d:", 2) == 0) put_decimal(b, f, (const uint8_t *)a->buffers[1] + k * 16);
  else if (strcmp(f, "+l") == 0) {
    const int32_t *o = a->buffers[1];
    put(b, "[");
    for (int32_t j = o[k]; j < o[k + 1]; j++) {
      if (j > o[k]) put(b, ", ");
      put_value(b, s->children[0], a->children[0], j, true);
    }
    put(b, "]");
  } else if (strcmp(f, "+s") == 0) {
    put(b, "{");
    for (int64_t c = 0; c < s->n_children; c++) {
      put(b, "%s'%s': ", c ? ", " : "", s->children[c]->name);
      put_value(b, s->children[c], a->children[c], k, true);
    }
    put(b, "}");
  } else {
    put(b, "<%s>", f);
  }
  (void)nested;
}

/* -- streaming every type, cell by cell ---------------------------------------- */

/* The stream runs the AST of base + ORDER BY; the reference is DuckDB's
 * own VARCHAR cast of every column, run verbatim through the test oracle. */
static const char *types_base =
    "SELECT i, (i % 7)::INTEGER AS small, "
    "CASE WHEN i % 5 = 0 THEN NULL ELSE i END AS maybe, "
    "(i * 1.25 - 300)::DECIMAL(18,2) AS dec18, (i / 8)::DECIMAL(38,4) AS dec38, "
    "CASE WHEN i % 11 = 0 THEN NULL ELSE repeat('ab', (i % 9)::INTEGER) || i END AS s, "
    "DATE '2020-01-01' + (i % 1000)::INTEGER AS d, "
    "TIMESTAMP '1999-12-31 23:59:00' + to_microseconds(i * 1234567) AS ts, "
    "CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN [i, NULL, i + 1] "
    "ELSE range(i % 3) END AS l, "
    "{'a': i, 'b': 'v' || (i % 13)} AS st, i % 2 = 0 AS flag, i / 3 AS dbl "
    "FROM range(5000) t(i)";

static void test_types_cell_by_cell(void **state) {
  (void)state;
  uf_engine *e = open_engine(NULL);
  uf_error err;
  char types_query[2048], ref_query[2048];
  snprintf(types_query, sizeof types_query, "%s ORDER BY i", types_base);
  snprintf(ref_query, sizeof ref_query,
           "SELECT COLUMNS(*)::VARCHAR FROM (%s) q ORDER BY q.i", types_base);
  uf_result_text *ref = NULL;
  if (uf_engine_oracle_exec_text(e, ref_query, true, &ref, &err) != UF_OK)
    fail_msg("reference: %s", err.message);
  assert_int_equal(ref->nrows, 5000);

  struct ArrowArrayStream s;
  execute(e, types_query, NULL, 777, &s); /* batches cut across chunks */
  struct ArrowSchema schema;
  assert_int_equal(s.get_schema(&s, &schema), 0);
  assert_int_equal(schema.n_children, (int64_t)ref->ncols);
  uint64_t row = 0, cells = 0;
  for (;;) {
    struct ArrowArray a;
    assert_int_equal(s.get_next(&s, &a), 0);
    if (a.release == NULL) break;
    assert_true(a.length == 777 || row + (uint64_t)a.length == 5000);
    for (int64_t i = 0; i < a.length; i++, row++) {
      for (int64_t c = 0; c < schema.n_children; c++, cells++) {
        buf b = {.n = 0};
        b.s[0] = '\0';
        put_value(&b, schema.children[c], a.children[c], i, false);
        const char *want = uf_result_text_cell(ref, row, (uint32_t)c);
        if (strcmp(schema.children[c]->format, "g") == 0 && want) {
          if (strtod(want, NULL) != strtod(b.s, NULL))
            fail_msg("row %llu col %s: want %s got %s", (unsigned long long)row,
                     ref->names[c], want, b.s);
          continue;
        }
        if (strcmp(want ? want : "NULL", b.s) != 0)
          fail_msg("row %llu col %s (%s): want %s got %s", (unsigned long long)row,
                   ref->names[c], schema.children[c]->format, want ? want : "NULL", b.s);
      }
    }
    a.release(&a);
  }
  assert_int_equal(row, 5000);
  assert_int_equal(cells, 5000 * 12);
  schema.release(&schema);
  s.release(&s);
  uf_result_text_free(ref);
  uf_engine_close(e);
}

/* -- coalescing ----------------------------------------------------------------- */

static void check_batches(uf_engine *e, const char *sql, uint64_t batch_rows,
                          uint64_t want_rows, long double want_sum) {
  struct ArrowArrayStream s;
  execute(e, sql, NULL, batch_rows, &s);
  uint64_t rows = 0, n = 0;
  long double sum = 0;
  bool last_seen = false;
  for (;;) {
    struct ArrowArray a;
    assert_int_equal(s.get_next(&s, &a), 0);
    if (a.release == NULL) break;
    if (last_seen) fail_msg("%s: a short batch before the end", sql);
    if ((uint64_t)a.length != batch_rows) last_seen = true;
    const int64_t *v = a.children[0]->buffers[1];
    for (int64_t i = 0; i < a.length; i++) sum += v[a.children[0]->offset + i];
    rows += (uint64_t)a.length;
    n++;
    a.release(&a);
  }
  s.release(&s);
  assert_int_equal(rows, want_rows);
  assert_int_equal(n, (want_rows + batch_rows - 1) / batch_rows);
  assert_true(sum == want_sum);
}

static void test_coalescing(void **state) {
  (void)state;
  uf_runtime_profile p = {0};
  p.threads = 2;
  uf_engine *e = open_engine(&p);
  /* 200000 rows: 65536 x 3 + 3392 */
  check_batches(e, "SELECT * FROM range(200000)", 65536, 200000, 199999.0L * 200000 / 2);
  /* a filter leaves irregular chunks; batches stay exact */
  long double s3 = 0;
  for (int64_t i = 0; i < 300000; i += 3) s3 += i;
  check_batches(e, "SELECT i FROM range(300000) t(i) WHERE i % 3 = 0", 1000, 100000, s3);
  check_batches(e, "SELECT * FROM range(10)", 3, 10, 45);
  check_batches(e, "SELECT * FROM range(0)", 100, 0, 0);
  uf_engine_close(e);
}

/* -- lifetimes ------------------------------------------------------------------- */

static void test_half_read_and_lifetimes(void **state) {
  (void)state;
  uf_engine *e = open_engine(NULL);
  struct ArrowArrayStream s;
  /* read two batches of a huge result, then let go */
  execute(e, "SELECT * FROM range(1000000000)", NULL, 0, &s);
  for (int k = 0; k < 2; k++) {
    struct ArrowArray a;
    assert_int_equal(s.get_next(&s, &a), 0);
    assert_int_equal(a.length, 65536);
    a.release(&a);
  }
  s.release(&s);
  assert_null(s.release);
  /* released before reading anything */
  execute(e, "SELECT * FROM range(1000000000)", NULL, 0, &s);
  s.release(&s);
  /* a batch may outlive its stream */
  execute(e, "SELECT 'kept' AS v", NULL, 0, &s);
  struct ArrowArray kept;
  assert_int_equal(s.get_next(&s, &kept), 0);
  s.release(&s);
  assert_int_equal(kept.length, 1);
  kept.release(&kept);
  /* a new statement ends the open stream cleanly */
  struct ArrowArrayStream s2;
  execute(e, "SELECT * FROM range(1000000000)", NULL, 0, &s);
  execute(e, "SELECT 42 AS x", NULL, 0, &s2);
  struct ArrowArray a;
  assert_int_equal(s.get_next(&s, &a), ECANCELED);
  assert_non_null(strstr(s.get_last_error(&s), "another statement"));
  s.release(&s);
  assert_int_equal(s2.get_next(&s2, &a), 0);
  assert_int_equal(((const int32_t *)a.children[0]->buffers[1])[0], 42);
  a.release(&a);
  /* the stream keeps the session alive past uf_engine_close */
  uf_engine_close(e);
  assert_int_equal(s2.get_next(&s2, &a), 0);
  assert_null(a.release);
  s2.release(&s2);
}

/* -- interrupt -------------------------------------------------------------------- */

typedef struct interrupter {
  uf_engine *e;
  int delay_ms;
  uf_progress seen;
} interrupter;

static void *interrupt_later(void *arg) {
  interrupter *it = arg;
  struct timespec ts = {it->delay_ms / 1000, (long)(it->delay_ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
  uf_engine_progress(it->e, &it->seen, NULL);
  uf_engine_interrupt(it->e, NULL);
  return NULL;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int progress_calls;
static void on_progress(void *ctx, const uf_progress *p) {
  (void)ctx;
  (void)p;
  progress_calls++;
}

static void test_interrupt_from_thread(void **state) {
  (void)state;
  uf_runtime_profile p = {0};
  p.progress = on_progress;
  p.progress_interval_ms = 20;
  uf_engine *e = open_engine(&p);
  /* an interrupt while nothing runs does not hit the next statement */
  assert_int_equal(uf_engine_interrupt(e, NULL), UF_OK);
  uf_arrow_table *one = table_of(e, "SELECT 1 AS x", NULL);
  assert_int_equal(one->nrows, 1);
  uf_arrow_table_free(one);
  /* an aggregation over 10^12 rows would run for hours */
  struct ArrowArrayStream s;
  double t0 = now_s();
  interrupter it = {.e = e, .delay_ms = 300};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, interrupt_later, &it), 0);
  uf_tree *q = parse("SELECT sum(i) FROM range(1000000000000) t(i)");
  uf_error err;
  /* the aggregate runs before its first row: the interrupt lands either
   * while execute waits or while the stream is read */
  uf_status st = uf_engine_execute(e, uf_tree_root(q), NULL, NULL, &s, &err);
  uf_tree_free(q);
  if (st == UF_OK) {
    struct ArrowArray a;
    int rc = s.get_next(&s, &a);
    assert_int_equal(rc, ECANCELED);
    assert_null(a.release);
    assert_non_null(strstr(s.get_last_error(&s), "nterrupt"));
    s.release(&s);
  } else {
    assert_int_equal(st, UF_ENGINE);
    assert_non_null(strstr(err.message, "nterrupt"));
    assert_null(s.release);
  }
  pthread_join(th, NULL);
  double took = now_s() - t0;
  assert_true(took < 10.0);
  assert_true(progress_calls > 0);
  /* the session still works */
  uf_arrow_table *t = table_of(e, "SELECT 7 AS x", NULL);
  assert_int_equal(t->nrows, 1);
  uf_arrow_table_free(t);
  uf_engine_close(e);
}

/* -- parameters ------------------------------------------------------------------- */

static void test_scalar_params(void **state) {
  (void)state;
  uf_engine *e = open_engine(NULL);
  uf_bindings *b;
  uf_error err;
  assert_int_equal(uf_bindings_new(&b, &err), UF_OK);
  assert_int_equal(uf_bindings_set_int(b, "n", 41, &err), UF_OK);
  assert_int_equal(uf_bindings_set_varchar(b, "s", "it's", 4, &err), UF_OK);
  assert_int_equal(uf_bindings_set_date(b, "d", "2024-02-28", &err), UF_OK);
  assert_int_equal(uf_bindings_set_decimal(b, "p", "12.50", 10, 2, &err), UF_OK);
  assert_int_equal(uf_bindings_set_null(b, "z", &err), UF_OK);
  assert_int_equal(uf_bindings_set_bool(b, "flag", true, &err), UF_OK);
  assert_int_equal(uf_bindings_set_timestamp(b, "ts", "2024-01-02 03:04:05.5", &err), UF_OK);
  assert_int_equal(uf_bindings_set_double(b, "x", 0.25, &err), UF_OK);
  const char *sql =
      "SELECT $n + 1 AS n1, $s || '!' AS s1, $d + 1 AS d1, $p * 2 AS p2, "
      "$z IS NULL AS zn, NOT $flag AS nf, $ts::VARCHAR AS ts1, $x * 4 AS x4, "
      "typeof($n) AS tn, typeof($p) AS tp";
  uf_arrow_table *t = table_of(e, sql, b);
  assert_int_equal(t->nrows, 1);
  const struct ArrowArray *row = &t->batches[0];
  buf v[10];
  for (int c = 0; c < 10; c++) {
    v[c].n = 0;
    v[c].s[0] = '\0';
    put_value(&v[c], t->schema.children[c], row->children[c], 0, false);
  }
  assert_string_equal(v[0].s, "42");
  assert_string_equal(v[1].s, "it's!");
  assert_string_equal(v[2].s, "2024-02-29");
  assert_string_equal(v[3].s, "25.00");
  assert_string_equal(v[4].s, "true");
  assert_string_equal(v[5].s, "false");
  assert_string_equal(v[6].s, "2024-01-02 03:04:05.5");
  assert_string_equal(v[7].s, "1");
  assert_string_equal(v[8].s, "BIGINT");
  assert_string_equal(v[9].s, "DECIMAL(10,2)");
  uf_arrow_table_free(t);

  /* a missing parameter and an unused one fail before execution */
  struct ArrowArrayStream s;
  uf_tree *q = parse("SELECT $n + $missing AS x");
  assert_int_equal(uf_engine_execute(e, uf_tree_root(q), b, NULL, &s, &err), UF_INVALID_ARGUMENT);
  assert_null(s.release);
  assert_non_null(strstr(err.message, "missing"));
  uf_tree_free(q);
  uf_bindings_free(b);
  uf_engine_close(e);
}

static void test_table_params(void **state) {
  (void)state;
  uf_engine *e = open_engine(NULL);
  uf_error err;
  uf_bindings *b;
  assert_int_equal(uf_bindings_new(&b, &err), UF_OK);
  /* a table (from a query), a stream (from a query), and a scalar */
  uf_arrow_table *src = table_of(e, "SELECT i AS x, 'k' || (i % 3) AS k FROM range(100000) t(i)", NULL);
  assert_int_equal(uf_bindings_set_table(b, "tab", &src->schema, src->batches, src->nbatches, &err), UF_OK);
  free(src->batches);
  src->batches = NULL;
  src->nbatches = 0;
  uf_arrow_table_free(src);
  /* a stream from another session (this one runs one statement at a time) */
  uf_engine *other = open_engine(NULL);
  struct ArrowArrayStream in;
  execute(other, "SELECT i AS y, i * 10 AS z FROM range(10) t(i)", NULL, 0, &in);
  assert_int_equal(uf_bindings_set_stream(b, "strm", &in, &err), UF_OK);
  assert_int_equal(uf_bindings_set_int(b, "lim", 5, &err), UF_OK);
  uf_arrow_table *t = table_of(
      e, "SELECT (SELECT sum(x) FROM tab) AS sx, (SELECT count(*) FROM tab WHERE k = 'k1') AS c1, "
         "(SELECT sum(z) FROM strm WHERE y < $lim) AS sz, (SELECT count(*) FROM strm) AS n", b);
  assert_int_equal(t->nrows, 1);
  const struct ArrowArray *r = &t->batches[0];
  buf v[4];
  for (int c = 0; c < 4; c++) {
    v[c].n = 0;
    put_value(&v[c], t->schema.children[c], r->children[c], 0, false);
  }
  assert_string_equal(v[0].s, "4999950000");
  assert_string_equal(v[1].s, "33333");
  assert_string_equal(v[2].s, "100"); /* filtered: pushdown must not drop it */
  assert_string_equal(v[3].s, "10");  /* a second scan sees every row */
  uf_arrow_table_free(t);
  /* deregistered after the execution; no helper view is left behind */
  uint64_t rows;
  assert_int_equal(run(e, "SELECT * FROM __uf_copy_tab", &rows, &err), UF_ENGINE);
  assert_int_equal(run(e, "SELECT * FROM __uf_copy_strm", &rows, &err), UF_ENGINE);
  uf_arrow_table *views = table_of(e, "SELECT count(*) AS n FROM duckdb_views() WHERE NOT internal", NULL);
  assert_int_equal(((const int64_t *)views->batches[0].children[0]->buffers[1])[0], 0);
  uf_arrow_table_free(views);
  assert_int_equal(run(e, "SELECT * FROM tab", &rows, &err), UF_ENGINE);
  assert_int_equal(run(e, "SELECT * FROM strm", &rows, &err), UF_ENGINE);
  /* and after a failing one: the table is streamed again, the query fails */
  uf_bindings *b2;
  assert_int_equal(uf_bindings_new(&b2, &err), UF_OK);
  struct ArrowArrayStream in2;
  execute(other, "SELECT 1 AS y", NULL, 0, &in2);
  assert_int_equal(uf_bindings_set_stream(b2, "bad", &in2, &err), UF_OK);
  uf_tree *q = parse("SELECT no_such_column FROM bad");
  struct ArrowArrayStream s;
  assert_int_equal(uf_engine_execute(e, uf_tree_root(q), b2, NULL, &s, &err), UF_ENGINE);
  uf_tree_free(q);
  assert_int_equal(run(e, "SELECT * FROM bad", &rows, &err), UF_ENGINE);
  assert_non_null(strstr(err.message, "bad"));
  uf_bindings_free(b2);
  uf_bindings_free(b);
  uf_engine_close(e);
  uf_engine_close(other);
}

/* -- statement types --------------------------------------------------------------- */

static void test_statement_type_refusal(void **state) {
  (void)state;
  uf_engine *e = open_engine(NULL);
  uf_error err;
  struct ArrowArrayStream s;
  /* claimed to be a query, DuckDB says CREATE: refused, nothing created */
  assert_int_equal(uf_engine_execute_rendered(e, "CREATE TABLE sneaky AS SELECT 1 AS a",
                                              UF_STMT_QUERY, false, NULL, NULL, &s, &err),
                   UF_POLICY);
  assert_null(s.release);
  assert_non_null(strstr(err.message, "CREATE"));
  uint64_t rows;
  assert_int_equal(run(e, "SELECT * FROM sneaky", &rows, &err), UF_ENGINE);
  /* claimed DML, DuckDB says SELECT; claimed EXPLAIN of a plain query */
  assert_int_equal(uf_engine_execute_rendered(e, "SELECT 1", UF_STMT_DML, false, NULL, NULL, &s, &err),
                   UF_POLICY);
  assert_int_equal(uf_engine_execute_rendered(e, "SELECT 1", UF_STMT_QUERY, true, NULL, NULL, &s, &err),
                   UF_POLICY);
  /* a claim that matches runs */
  assert_int_equal(uf_engine_execute_rendered(e, "SELECT 1 AS one", UF_STMT_QUERY, false, NULL, NULL, &s, &err),
                   UF_OK);
  uf_arrow_table *t;
  assert_int_equal(uf_engine_to_table(&s, &t, &err), UF_OK);
  assert_int_equal(t->nrows, 1);
  uf_arrow_table_free(t);
  uf_engine_close(e);
}

/* Every statement kind DuckDB can prepare: our class agrees with its type. */
static void test_statement_type_mapping(void **state) {
  (void)state;
  char dir[] = "/tmp/uf_engine_XXXXXX";
  assert_non_null(mkdtemp(dir));
  uf_runtime_profile p = {0};
  p.allow_external_access = true;
  uf_engine *e = open_engine(&p);
  uf_error err;
  uint64_t rows;
  const char *setup[] = {"CREATE TABLE t (a INTEGER)", "CREATE SEQUENCE seq",
                         "CREATE VIEW v AS SELECT 1 AS x", "PREPARE p AS SELECT 1"};
  for (size_t i = 0; i < sizeof setup / sizeof *setup; i++)
    if (run(e, setup[i], &rows, &err) != UF_OK) fail_msg("%s: %s", setup[i], err.message);
  const char *stmts[] = {
      "SELECT 1", "VALUES (1)", "SELECT 1 UNION SELECT 2", "FROM t",
      "WITH x AS (SELECT 1) SELECT * FROM x", "INSERT INTO t VALUES (1)",
      "INSERT INTO t SELECT 1 RETURNING *", "UPDATE t SET a = 1", "DELETE FROM t",
      "TRUNCATE t", "CREATE TABLE u (a INTEGER)", "CREATE TEMP TABLE tt (a INTEGER)",
      "CREATE VIEW v2 AS SELECT 1", "CREATE SCHEMA sc", "CREATE SEQUENCE s2",
      "CREATE MACRO m2(x) AS x", "CREATE INDEX i ON t(a)", "CREATE TYPE ty AS ENUM ('a')",
      "CREATE TABLE u2 AS SELECT 1 AS a", "DROP TABLE IF EXISTS zz", "DROP VIEW v",
      "ALTER TABLE t ADD COLUMN b INTEGER", "COMMENT ON TABLE t IS 'x'",
      "COPY t TO 'x.csv'", "SET threads = 1", "RESET threads", "PRAGMA version",
      "ATTACH ':memory:' AS x", "DETACH x", "USE memory", "LOAD json",
      "CALL pragma_version()", "EXPLAIN SELECT 1", "DESCRIBE t", "SUMMARIZE t",
      "SHOW TABLES", "BEGIN", "COMMIT", "CHECKPOINT", "VACUUM", "ANALYZE",
      "PREPARE p2 AS SELECT 1", "EXECUTE p", "DEALLOCATE p", "SET VARIABLE x = 1",
      "EXPORT DATABASE 'exp'"};
  size_t checked = 0;
  for (size_t i = 0; i < sizeof stmts / sizeof *stmts; i++) {
    uf_tree *t = parse(stmts[i]);
    uf_stmt_type ty;
    if (uf_engine_statement_type(e, uf_tree_root(t), &ty, &err) != UF_OK)
      fail_msg("%s: %s", stmts[i], err.message);
    if (!uf_stmt_type_agrees(uf_tree_root(t), ty))
      fail_msg("%s: DuckDB says %s, classified as %s", stmts[i], uf_stmt_type_name(ty),
               uf_stmt_class_name(uf_classify_statement(uf_tree_root(t))));
    checked++;
    uf_tree_free(t);
  }
  assert_int_equal(checked, sizeof stmts / sizeof *stmts);
  uf_engine_close(e);
  rmdir(dir);
}

/* -- lock-down ------------------------------------------------------------------- */

static void test_lock_down(void **state) {
  (void)state;
  char ok[] = "/tmp/uf_engine_ok_XXXXXX", no[] = "/tmp/uf_engine_no_XXXXXX";
  assert_non_null(mkdtemp(ok));
  assert_non_null(mkdtemp(no));
  char fok[256], fno[256], sql[600];
  snprintf(fok, sizeof fok, "%s/a.csv", ok);
  snprintf(fno, sizeof fno, "%s/a.csv", no);
  ut_write_file(fok, "x,y\n1,2\n3,4\n");
  ut_write_file(fno, "x,y\n1,2\n");
  const char *dirs[] = {ok, NULL};
  uf_runtime_profile p = {0};
  p.allowed_directories = dirs;
  p.threads = 1;
  p.memory_limit = "512MB";
  uf_engine *e = open_engine(&p);
  uf_error err;
  uint64_t rows = 0;
  snprintf(sql, sizeof sql, "SELECT * FROM read_csv('%s')", fok);
  assert_int_equal(run(e, sql, &rows, &err), UF_OK);
  assert_int_equal(rows, 2);
  snprintf(sql, sizeof sql, "SELECT * FROM read_csv('%s')", fno);
  assert_int_equal(run(e, sql, &rows, &err), UF_ENGINE);
  assert_non_null(strstr(err.message, "Permission"));
  snprintf(sql, sizeof sql, "SELECT * FROM read_csv('%s/../%s/a.csv')", ok, no + 5);
  assert_int_equal(run(e, sql, &rows, &err), UF_ENGINE);
  assert_int_equal(run(e, "SET enable_external_access = true", &rows, &err), UF_ENGINE);
  assert_non_null(strstr(err.message, "locked"));
  assert_int_equal(run(e, "SET autoload_known_extensions = true", &rows, &err), UF_ENGINE);
  assert_int_equal(run(e, "LOAD httpfs", &rows, &err), UF_ENGINE);
  uf_engine_close(e);
  /* a bad setting fails the open, leaving nothing behind */
  uf_runtime_profile bad = {0};
  bad.memory_limit = "plenty";
  uf_engine *none = (uf_engine *)&bad;
  assert_int_equal(uf_engine_open(&bad, &none, &err), UF_ENGINE);
  assert_null(none);
  assert_non_null(strstr(err.message, "memory_limit"));
  /* the default profile reaches no file at all */
  e = open_engine(NULL);
  snprintf(sql, sizeof sql, "SELECT * FROM read_csv('%s')", fok);
  assert_int_equal(run(e, sql, &rows, &err), UF_ENGINE);
  uf_engine_close(e);
  unlink(fok);
  unlink(fno);
  rmdir(ok);
  rmdir(no);
}

/* -- run, to_table, records --------------------------------------------------------- */

static void test_run_and_records(void **state) {
  (void)state;
  uf_error err;
  uf_recorder *rec;
  uf_diag_sink *mem;
  assert_int_equal(uf_recorder_new(&rec, &err), UF_OK);
  assert_int_equal(uf_diag_memory_sink_new(&mem, &err), UF_OK);
  assert_int_equal(uf_recorder_add_sink(rec, mem, true, &err), UF_OK);
  uf_runtime_profile p = {0};
  p.recorder = rec;
  uf_engine *e = open_engine(&p);
  uint64_t rows = 0, gen0 = uf_engine_catalog_generation(e);
  assert_int_equal(run(e, "CREATE TABLE t AS SELECT * FROM range(1000) r(i)", &rows, &err), UF_OK);
  assert_true(uf_engine_catalog_generation(e) > gen0);
  assert_int_equal(run(e, "INSERT INTO t SELECT * FROM range(5)", &rows, &err), UF_OK);
  assert_int_equal(rows, 5);
  assert_int_equal(run(e, "DELETE FROM t WHERE i < 10", &rows, &err), UF_OK);
  assert_int_equal(rows, 15);
  assert_int_equal(run(e, "SELECT * FROM t", &rows, &err), UF_OK);
  assert_int_equal(rows, 990);
  uf_arrow_table *t = table_of(e, "SELECT i, i * 2 AS j FROM t WHERE i < 100 ORDER BY i", NULL);
  assert_int_equal(t->nrows, 90);
  assert_int_equal(t->schema.n_children, 2);
  assert_string_equal(t->schema.children[1]->name, "j");
  uf_arrow_table_free(t);
  assert_int_equal(run(e, "SELECT * FROM nowhere", &rows, &err), UF_ENGINE);
  size_t n = 0, first = (size_t)-1, failed = 0;
  for (size_t i = uf_diag_memory_find(mem, 0, UF_DIAG_ARTIFACT, "execution"); i != (size_t)-1;
       i = uf_diag_memory_find(mem, i + 1, UF_DIAG_ARTIFACT, "execution")) {
    if (first == (size_t)-1) first = i;
    if (strstr(uf_diag_memory_json(mem, i), "\"error\":null") == NULL) failed++;
    n++;
  }
  assert_int_equal(n, 6);
  assert_int_equal(failed, 1);
  const char *j = uf_diag_memory_json(mem, first);
  assert_non_null(strstr(j, "\"statement_type\":\"CREATE\""));
  assert_non_null(strstr(j, "\"fingerprint\":\""));
  size_t sel = uf_diag_memory_find(mem, first + 4, UF_DIAG_ARTIFACT, "execution");
  j = uf_diag_memory_json(mem, sel);
  if (strstr(j, "\"rows\":90") == NULL || strstr(j, "\"batches\":1") == NULL)
    fail_msg("record: %s", j);
  uf_engine_close(e);
  uf_recorder_free(rec);
}

/* The gate in the lane: with a policy in the options, a statement the
 * policy refuses never reaches the engine (the table is not created), a
 * hidden second statement is refused, and the allowed preset lets it run. */
static void test_policy_in_lane(void **state) {
  (void)state;
  uf_engine *e = open_engine(NULL);
  uf_exec_policy q = uf_policy_preset_get(UF_POLICY_QUERY_ONLY);
  uf_exec_policy ddl = uf_policy_preset_get(UF_POLICY_FULL_DDL);
  static const char *const refused[] = {
      "CREATE TABLE gate_t (a INTEGER)",
      "SELECT 1; CREATE TABLE gate_t (a INTEGER)",
      "SELECT * FROM read_csv('/etc/passwd')",
      "COPY (SELECT 1) TO 'gate.csv'",
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    uf_tree *t = NULL;
    uf_error err;
    assert_int_equal(uf_parse(refused[i], strlen(refused[i]), NULL, &t, &err), UF_OK);
    uf_exec_options o = {.label = "gate", .policy = &q};
    uf_status st = uf_engine_run(e, uf_tree_root(t), NULL, &o, NULL, &err);
    if (st != UF_POLICY) fail_msg("%s: status %d, want UF_POLICY (%s)", refused[i], st, err.message);
    assert_true(err.line >= 1);
    uf_tree_free(t);
  }
  /* nothing was created: the table does not exist */
  uf_error err;
  uint64_t rows = 0;
  assert_int_equal(run(e, "SELECT * FROM gate_t", &rows, &err), UF_ENGINE);
  uf_tree *t = parse("CREATE TABLE gate_t (a INTEGER)");
  uf_exec_options o = {.label = "gate", .policy = &ddl};
  assert_int_equal(uf_engine_run(e, uf_tree_root(t), NULL, &o, NULL, &err), UF_OK);
  uf_tree_free(t);
  assert_int_equal(run(e, "SELECT * FROM gate_t", &rows, &err), UF_OK);
  uf_engine_close(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_types_cell_by_cell),
      cmocka_unit_test(test_coalescing),
      cmocka_unit_test(test_half_read_and_lifetimes),
      cmocka_unit_test(test_interrupt_from_thread),
      cmocka_unit_test(test_scalar_params),
      cmocka_unit_test(test_table_params),
      cmocka_unit_test(test_statement_type_refusal),
      cmocka_unit_test(test_statement_type_mapping),
      cmocka_unit_test(test_lock_down),
      cmocka_unit_test(test_run_and_records),
      cmocka_unit_test(test_policy_in_lane),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
