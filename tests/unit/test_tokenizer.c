/* Tokenizer and keyword table: token kinds, spans, positions, comments,
 * and the errors hostile input must produce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sql/keywords.h"
#include "sql/tokenizer.h"

static void test_keywords_sorted(void **state) {
  (void)state;
  for (int k = 2; k < KW_COUNT_; k++) {
    const char *a = uf_keyword_text((uf_keyword)(k - 1));
    const char *b = uf_keyword_text((uf_keyword)k);
    if (strcmp(a, b) >= 0) fail_msg("keywords out of order: %s >= %s", a, b);
  }
  for (int k = 1; k < KW_COUNT_; k++) {
    const char *t = uf_keyword_text((uf_keyword)k);
    assert_int_equal(uf_keyword_lookup(t, strlen(t)), k);
  }
  assert_int_equal(uf_keyword_lookup("select", 6), KW_SELECT);
  assert_int_equal(uf_keyword_lookup("SeLeCt", 6), KW_SELECT);
  assert_int_equal(uf_keyword_lookup("selects", 7), KW_NONE_);
  assert_int_equal(uf_keyword_class(KW_FROM), KWC_R);
}

typedef struct tok_case {
  const char *sql;
  int n;                 /* tokens before EOF */
  uf_tok_type types[8];
} tok_case;

static const tok_case CASES[] = {
    {"SELECT 1", 2, {TK_WORD, TK_NUMBER}},
    {"a.b::int", 5, {TK_WORD, TK_OP, TK_WORD, TK_OP, TK_WORD}},
    {"'it''s' E'\\n' $$x$$ $t$y$t$", 4, {TK_STRING, TK_ESTRING, TK_DOLLAR, TK_DOLLAR}},
    {"\"Quoted \"\" id\" `bq`", 2, {TK_QIDENT, TK_QIDENT}},
    {"1.5e-3 .5 1. 0x1F 1_000", 5, {TK_NUMBER, TK_NUMBER, TK_NUMBER, TK_NUMBER, TK_NUMBER}},
    {"$1 $name ? ?2", 4, {TK_PARAM, TK_PARAM, TK_PARAM, TK_PARAM}},
    {"a->>'k' b<>c d!=e f||g", 12, {TK_WORD, TK_OP, TK_STRING, TK_WORD, TK_OP, TK_WORD, TK_WORD, TK_OP}},
    {"B'0101' X'ff' N'n'", 3, {TK_BITSTR, TK_HEXSTR, TK_NSTRING}},
    {"-- line\n/* block /* nested */ */ x", 1, {TK_WORD}},
    {"x := 1; y => 2", 7, {TK_WORD, TK_OP, TK_NUMBER, TK_OP, TK_WORD, TK_OP, TK_NUMBER}},
    {"héllo wörld", 2, {TK_WORD, TK_WORD}},
};

static void test_token_kinds(void **state) {
  (void)state;
  uf_tokens ts;
  uf_tokens_init(&ts);
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    uf_error err;
    const tok_case *c = &CASES[i];
    uf_status st = uf_tokenize(c->sql, strlen(c->sql), NULL, &ts, &err);
    if (st != UF_OK) fail_msg("%s: %s", c->sql, err.message);
    if ((int)ts.n - 1 != c->n) fail_msg("%s: %u tokens, want %d", c->sql, ts.n - 1, c->n);
    for (int k = 0; k < c->n && k < 8 && c->types[k]; k++)
      if (ts.tok[k].type != c->types[k])
        fail_msg("%s: token %d type %d, want %d", c->sql, k, ts.tok[k].type, c->types[k]);
    assert_int_equal(ts.tok[ts.n - 1].type, TK_EOF);
  }
  uf_tokens_free(&ts);
}

static void test_positions_and_comments(void **state) {
  (void)state;
  const char *sql = "SELECT\n  -- why\n  a /* c2 */ , b\nFROM t";
  uf_tokens ts;
  uf_tokens_init(&ts);
  uf_error err;
  assert_int_equal(uf_tokenize(sql, strlen(sql), NULL, &ts, &err), UF_OK);
  assert_int_equal(ts.tok[1].line, 3);
  assert_int_equal(ts.tok[1].col, 3);
  assert_int_equal(ts.tok[1].ccount, 1);
  assert_int_equal(ts.ncom, 2);
  assert_memory_equal(sql + ts.com[0].off, " why", 4);
  assert_int_equal(ts.tok[2].ccount, 1); /* the comma carries c2 */
  assert_int_equal(ts.tok[4].line, 4);
  uf_tokens_free(&ts);
}

typedef struct bad_case {
  const char *sql;
  size_t len; /* 0 = strlen */
  uf_status code;
  uint32_t line, col;
} bad_case;

static const bad_case BAD[] = {
    {"SELECT 'abc", 0, UF_SYNTAX, 1, 8},
    {"SELECT\n  \"abc", 0, UF_SYNTAX, 2, 3},
    {"x /* never closed", 0, UF_SYNTAX, 1, 3},
    {"x /* /* */", 0, UF_SYNTAX, 1, 3},
    {"$$ open", 0, UF_SYNTAX, 1, 1},
    {"a \x80 b", 0, UF_ENCODING, 0, 0},
    {"a \xC3", 0, UF_ENCODING, 0, 0},
    {"\xED\xA0\x80", 0, UF_ENCODING, 0, 0}, /* surrogate */
    {"\xC0\x80", 0, UF_ENCODING, 0, 0},     /* overlong NUL */
    {"a\0b", 3, UF_SYNTAX, 1, 2},
    {"SELECT \x01", 0, UF_SYNTAX, 1, 8},
};

static void test_errors(void **state) {
  (void)state;
  uf_tokens ts;
  uf_tokens_init(&ts);
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    const bad_case *c = &BAD[i];
    uf_error err;
    uf_error_clear(&err);
    size_t len = c->len ? c->len : strlen(c->sql);
    uf_status st = uf_tokenize(c->sql, len, NULL, &ts, &err);
    if (st != c->code) fail_msg("case %zu: status %d, want %d (%s)", i, st, c->code, err.message);
    if (c->line && (err.line != c->line || err.column != c->col))
      fail_msg("case %zu: at %u:%u, want %u:%u", i, err.line, err.column, c->line, c->col);
    assert_true(err.message[0] != '\0');
  }
  uf_tokens_free(&ts);
}

static void test_first_line_offset(void **state) {
  (void)state;
  uf_lex_options o = {100, false};
  uf_tokens ts;
  uf_tokens_init(&ts);
  uf_error err;
  assert_int_equal(uf_tokenize("a\nb 'x", 6, &o, &ts, &err), UF_SYNTAX);
  assert_int_equal(err.line, 101);
  assert_int_equal(err.column, 3);
  assert_non_null(strstr(err.snippet, "^"));
  uf_tokens_free(&ts);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keywords_sorted),
      cmocka_unit_test(test_token_kinds),
      cmocka_unit_test(test_positions_and_comments),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_first_line_offset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
