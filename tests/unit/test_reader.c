/* Statement reader: splitting at top-level ';' around every quoting and
 * comment form, starting lines and columns, chunk boundaries anywhere, and
 * flat memory over a 1,000,000-statement file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <cmocka.h>

#include "unifier/unifier.h"

#define CHUNK (64 * 1024)

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UF_HAS_ASAN 1
#endif
#endif
#ifndef UF_HAS_ASAN
#define UF_HAS_ASAN 0
#endif

typedef struct stmt {
  uint32_t line, col;
  char *text;
} stmt;

typedef struct stmts {
  stmt s[128];
  int n;
} stmts;

static FILE *file_of(const char *data, size_t len) {
  FILE *f = tmpfile();
  assert_non_null(f);
  if (len) assert_int_equal(fwrite(data, 1, len, f), len);
  rewind(f);
  return f;
}

static void read_all(const char *data, size_t len, const uf_dialect *d, stmts *out) {
  FILE *f = file_of(data, len);
  uf_stmt_reader *r = NULL;
  assert_int_equal(uf_stmt_reader_open(f, d, &r, NULL), UF_OK);
  out->n = 0;
  const char *sql;
  size_t n;
  uint32_t line;
  uf_status st;
  while ((st = uf_stmt_reader_next(r, &sql, &n, &line, NULL)) == UF_OK) {
    assert_true(out->n < 128);
    assert_int_equal(strlen(sql), n); /* NUL-terminated */
    stmt *s = &out->s[out->n++];
    s->line = line;
    s->col = uf_stmt_reader_column(r);
    s->text = strndup(sql, n);
  }
  assert_int_equal(st, UF_DONE);
  assert_int_equal(uf_stmt_reader_next(r, &sql, &n, &line, NULL), UF_DONE);
  uf_stmt_reader_free(r);
  fclose(f);
}

static void free_all(stmts *s) {
  for (int i = 0; i < s->n; i++) free(s->s[i].text);
  s->n = 0;
}

typedef struct rcase {
  const char *in;
  int n;
  struct { uint32_t line; const char *text; } want[6];
} rcase;

static const rcase CASES[] = {
    {"", 0, {{0, NULL}}},
    {"  \n\t ;;; \n", 0, {{0, NULL}}},
    {"-- only a comment\n/* and a block */;\n", 0, {{0, NULL}}},
    {"SELECT 1", 1, {{1, "SELECT 1"}}},
    {"SELECT 1;SELECT 2;", 2, {{1, "SELECT 1"}, {1, "SELECT 2"}}},
    {"\n\n  SELECT 1 ;\n\nSELECT\n2\n", 2, {{3, "SELECT 1"}, {5, "SELECT\n2"}}},
    {"SELECT 'a;b', 'it''s;', '';x", 2, {{1, "SELECT 'a;b', 'it''s;', ''"}, {1, "x"}}},
    {"SELECT E'a\\';b';c", 2, {{1, "SELECT E'a\\';b'"}, {1, "c"}}},
    {"SELECT e'\\\\';c", 2, {{1, "SELECT e'\\\\'"}, {1, "c"}}},
    {"SELECT 'a\\';b", 2, {{1, "SELECT 'a\\'"}, {1, "b"}}}, /* no backslash escapes */
    {"SELECT \"a;\"\"b\", `c;d`;e", 2, {{1, "SELECT \"a;\"\"b\", `c;d`"}, {1, "e"}}},
    {"SELECT $$a;b$$, $t$ $$; $t$;x", 2, {{1, "SELECT $$a;b$$, $t$ $$; $t$"}, {1, "x"}}},
    {"SELECT $1; SELECT a$b$;c", 3, {{1, "SELECT $1"}, {1, "SELECT a$b$"}, {1, "c"}}},
    {"SELECT $name;x", 2, {{1, "SELECT $name"}, {1, "x"}}},
    {"SELECT 1 -- a;b\n;x", 2, {{1, "SELECT 1 -- a;b"}, {2, "x"}}},
    {"SELECT /* a /* ; */ ; */ 1;x", 2, {{1, "SELECT /* a /* ; */ ; */ 1"}, {1, "x"}}},
    {"-- lead\nSELECT 1;", 1, {{1, "-- lead\nSELECT 1"}}},
    {"SELECT 1; -- trailing\n", 1, {{1, "SELECT 1"}}},
    {"SELECT 'multi\nline;\n' ;\nSELECT 3", 2, {{1, "SELECT 'multi\nline;\n'"}, {4, "SELECT 3"}}},
    {"SELECT 'open;", 1, {{1, "SELECT 'open;"}}},
    {"SELECT 1; /* open ;", 2, {{1, "SELECT 1"}, {1, "/* open ;"}}},
    {"SELECT $x$ open;", 1, {{1, "SELECT $x$ open;"}}},
    {"SELECT somee'x;y';z", 2, {{1, "SELECT somee'x;y'"}, {1, "z"}}},
    {"SELECT N'a;b', B'01', X'ff';z", 2, {{1, "SELECT N'a;b', B'01', X'ff'"}, {1, "z"}}},
    {"\xEF\xBB\xBFSELECT 1", 1, {{1, "SELECT 1"}}},
    {"SELECT 1\r\n;\r\nSELECT 2\r\n", 2, {{1, "SELECT 1"}, {3, "SELECT 2"}}},
    {"SELECT '\\';x';y", 2, {{1, "SELECT '\\'"}, {1, "x';y"}}},
};

static void check_case(const rcase *c, const char *data, size_t len, uint32_t line_shift) {
  stmts got;
  read_all(data, len, NULL, &got);
  if (got.n != c->n) fail_msg("%s: %d statements, want %d", c->in, got.n, c->n);
  for (int i = 0; i < c->n; i++) {
    if (strcmp(got.s[i].text, c->want[i].text) != 0)
      fail_msg("%s: statement %d is [%s], want [%s]", c->in, i, got.s[i].text,
               c->want[i].text);
    if (got.s[i].line != c->want[i].line + line_shift)
      fail_msg("%s: statement %d at line %u, want %u", c->in, i, got.s[i].line,
               c->want[i].line + line_shift);
  }
  free_all(&got);
}

static void test_cases(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
    check_case(&CASES[i], CASES[i].in, strlen(CASES[i].in), 0);
}

/* Every case again with the chunk boundary falling on each of its bytes:
 * a padding line pushes the case across the first 64 KiB read. */
static void test_chunk_boundaries(void **state) {
  (void)state;
  size_t maxlen = 0;
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
    if (strlen(CASES[i].in) > maxlen) maxlen = strlen(CASES[i].in);
  char *buf = malloc(CHUNK + maxlen + 8);
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    const rcase *c = &CASES[i];
    if (strncmp(c->in, "\xEF\xBB\xBF", 3) == 0) continue; /* BOM only at the start */
    size_t len = strlen(c->in);
    for (size_t cut = 0; cut <= len; cut++) {
      size_t pad = CHUNK - cut; /* pad bytes, the last one a newline */
      memset(buf, ' ', pad - 1);
      buf[pad - 1] = '\n';
      memcpy(buf + pad, c->in, len);
      check_case(c, buf, pad + len, 1);
    }
  }
  free(buf);
}

/* In the postgres dialect with backslash strings off, and in a dialect
 * where '...' takes backslashes (none built in today): the default rule. */
static void test_dialects(void **state) {
  (void)state;
  stmts got;
  const char *in = "SELECT 'a\\';b";
  read_all(in, strlen(in), uf_dialect_postgres(), &got);
  assert_int_equal(got.n, 2);
  free_all(&got);
}

static void test_columns(void **state) {
  (void)state;
  stmts got;
  const char *in = "SELECT 1;  SELECT 2;\n   SELECT 3; /* c */ SELECT 4";
  read_all(in, strlen(in), NULL, &got);
  assert_int_equal(got.n, 4);
  uint32_t want_col[] = {1, 12, 4, 14};
  uint32_t want_line[] = {1, 1, 2, 2};
  for (int i = 0; i < 4; i++) {
    if (got.s[i].col != want_col[i] || got.s[i].line != want_line[i])
      fail_msg("statement %d [%s] at %u:%u, want %u:%u", i, got.s[i].text,
               got.s[i].line, got.s[i].col, want_line[i], want_col[i]);
  }
  free_all(&got);
}

/* One statement much larger than a chunk comes back whole. */
static void test_large_statement(void **state) {
  (void)state;
  size_t body = 5 * CHUNK + 123;
  char *in = malloc(body + 64);
  size_t n = (size_t)sprintf(in, "SELECT '");
  for (size_t i = 0; i < body; i++) in[n++] = (i % 97 == 0) ? ';' : (i % 89 == 0 ? '\n' : 'x');
  n += (size_t)sprintf(in + n, "' AS big; SELECT 2");
  stmts got;
  read_all(in, n, NULL, &got);
  assert_int_equal(got.n, 2);
  assert_int_equal(strlen(got.s[0].text), n - strlen("; SELECT 2"));
  assert_memory_equal(got.s[0].text, in, n - strlen("; SELECT 2"));
  assert_string_equal(got.s[1].text, "SELECT 2");
  free_all(&got);
  free(in);
}

/* Random text over the reader's special bytes: the same statements come
 * back wherever the chunk boundary falls, and each is a piece of the input. */
static void test_random(void **state) {
  (void)state;
  static const char alphabet[] = "';\"`$-/*\n\\eEtN 1x";
  char *buf = malloc(CHUNK + 256);
  unsigned seed = 12345;
  for (int round = 0; round < 300; round++) {
    char in[200];
    size_t len = (size_t)(rand_r(&seed) % 199) + 1;
    for (size_t i = 0; i < len; i++)
      in[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
    in[len] = '\0';
    stmts base;
    read_all(in, len, NULL, &base);
    for (int i = 0; i < base.n; i++)
      if (!strstr(in, base.s[i].text)) fail_msg("[%s]: [%s] is not in the input", in, base.s[i].text);
    for (size_t cut = 0; cut <= len; cut += 7) {
      size_t pad = CHUNK - cut;
      memset(buf, ' ', pad - 1);
      buf[pad - 1] = '\n';
      memcpy(buf + pad, in, len);
      stmts got;
      read_all(buf, pad + len, NULL, &got);
      if (got.n != base.n) fail_msg("[%s] cut %zu: %d statements, want %d", in, cut, got.n, base.n);
      for (int i = 0; i < base.n; i++)
        if (strcmp(got.s[i].text, base.s[i].text) != 0 || got.s[i].line != base.s[i].line + 1)
          fail_msg("[%s] cut %zu: statement %d differs", in, cut, i);
      free_all(&got);
    }
    free_all(&base);
  }
  free(buf);
}

static void test_null_arguments(void **state) {
  (void)state;
  uf_stmt_reader *r = (uf_stmt_reader *)1;
  uf_error err;
  assert_int_equal(uf_stmt_reader_open(NULL, NULL, &r, &err), UF_INVALID_ARGUMENT);
  assert_null(r);
  assert_int_equal(uf_stmt_reader_next(NULL, NULL, NULL, NULL, &err), UF_INVALID_ARGUMENT);
  uf_stmt_reader_free(NULL);
}

static long max_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

/* 1,000,000 statements stream through in bounded memory, and every one
 * parses (the reader's splits are the parser's statements). */
static void test_million(void **state) {
  (void)state;
  FILE *f = tmpfile();
  assert_non_null(f);
  for (int i = 0; i < 1000000; i++)
    fprintf(f, "SELECT %d AS n, 'a;b' FROM t%d -- ;\n WHERE x = $$;$$;\n", i, i % 7);
  rewind(f);
  long before = max_rss_kb();
  uf_stmt_reader *r;
  assert_int_equal(uf_stmt_reader_open(f, NULL, &r, NULL), UF_OK);
  const char *sql;
  size_t n;
  uint32_t line;
  long count = 0, parsed = 0;
  while (uf_stmt_reader_next(r, &sql, &n, &line, NULL) == UF_OK) {
    if (line != (uint32_t)(2 * count + 1)) fail_msg("statement %ld at line %u", count, line);
    if (count % 1000 == 0) {
      uf_parse_options o = {.first_line = line};
      uf_tree *t = NULL;
      uf_error err;
      if (uf_parse_one(sql, n, &o, &t, &err) != UF_OK)
        fail_msg("line %u: %s\n%s", line, err.message, sql);
      uf_tree_free(t);
      parsed++;
    }
    count++;
  }
  uf_stmt_reader_free(r);
  fclose(f);
  long after = max_rss_kb();
  printf("[reader] %ld statements, %ld parsed; peak RSS %ld KiB (before %ld KiB)\n",
         count, parsed, after, before);
  assert_int_equal(count, 1000000);
#if !defined(__SANITIZE_ADDRESS__) && !UF_HAS_ASAN
  /* ASan's shadow and quarantine, and valgrind's own heap, inflate RSS:
   * the bound is checked in the plain build only. */
  const char *preload = getenv("LD_PRELOAD");
  if (!(preload && strstr(preload, "vgpreload"))) assert_true(after < 64 * 1024);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_million), /* first: a clean peak RSS */
      cmocka_unit_test(test_cases),
      cmocka_unit_test(test_chunk_boundaries),
      cmocka_unit_test(test_dialects),
      cmocka_unit_test(test_columns),
      cmocka_unit_test(test_large_statement),
      cmocka_unit_test(test_random),
      cmocka_unit_test(test_null_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
