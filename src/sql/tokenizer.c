/*
 * The tokenizer. One pass, one switch on the first byte of each token.
 * Invariant: every token's span lies inside the source, and the array always
 * ends with exactly one TK_EOF whose offset is the source length.
 */
#include <stdlib.h>
#include <string.h>

#include "sql/tokenizer.h"

typedef struct lexer {
  const char *src;
  size_t len, pos;
  uint32_t line;
  size_t line_start; /* offset of the current line's first byte */
  uf_tokens *ts;
  uf_error *err;
  const uf_lex_options *o;
} lexer;

void uf_tokens_init(uf_tokens *ts) { memset(ts, 0, sizeof *ts); }

void uf_tokens_free(uf_tokens *ts) {
  free(ts->tok);
  free(ts->com);
  uf_tokens_init(ts);
}

static uint32_t col_of(const lexer *L, size_t off) {
  return (uint32_t)(off - L->line_start + 1);
}

static uf_status fail(lexer *L, size_t off, const char *msg) {
  /* Recompute the line of `off` (errors are rare; keep the hot path lean). */
  uint32_t line = L->o->first_line;
  size_t ls = 0;
  for (size_t i = 0; i < off && i < L->len; i++)
    if (L->src[i] == '\n') { line++; ls = i + 1; }
  return uf_error_set_at(L->err, UF_SYNTAX, L->src, L->len, off, line,
                         (uint32_t)(off - ls + 1), "%s", msg);
}

/* Validates UTF-8 (no overlongs, no surrogates, max U+10FFFF). */
static uf_status check_utf8(lexer *L) {
  const unsigned char *s = (const unsigned char *)L->src;
  size_t i = 0, n = L->len;
  while (i < n) {
    /* plain ASCII without NUL, eight bytes at a time: most SQL is */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
      if ((w | ((w - ones) & ~w)) & highs) break; /* a high bit or a zero byte */
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) { if (c == 0) return fail(L, i, "NUL byte in input"); i++; continue; }
    size_t k;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
    else return uf_error_set_at(L->err, UF_ENCODING, L->src, L->len, i, 0, 0,
                                "invalid UTF-8 byte 0x%02x at offset %zu", c, i);
    if (i + k >= n)
      return uf_error_set(L->err, UF_ENCODING,
                          "truncated UTF-8 sequence at offset %zu", i);
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xC0) != 0x80)
        return uf_error_set(L->err, UF_ENCODING,
                            "invalid UTF-8 sequence at offset %zu", i);
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return uf_error_set(L->err, UF_ENCODING,
                          "invalid UTF-8 code point at offset %zu", i);
    i += k + 1;
  }
  return UF_OK;
}

static bool push_tok(lexer *L, uf_tok_type type, size_t start, bool spaced,
                     uint32_t line, uint32_t col, uint32_t cfirst) {
  uf_tokens *ts = L->ts;
  if (ts->n == ts->cap) {
    uint32_t ncap = ts->cap ? ts->cap * 2 : 64;
    uf_token *nt = realloc(ts->tok, ncap * sizeof *nt);
    if (!nt) return false;
    ts->tok = nt;
    ts->cap = ncap;
  }
  uf_token *t = &ts->tok[ts->n++];
  t->type = (uint8_t)type;
  t->spaced = spaced;
  t->kw = 0;
  t->off = (uint32_t)start;
  t->len = (uint32_t)(L->pos - start);
  t->line = line;
  t->col = col;
  t->cfirst = cfirst;
  t->ccount = ts->ncom - cfirst;
  if (type == TK_WORD) t->kw = (uint16_t)uf_keyword_lookup(L->src + start, t->len);
  return true;
}

static bool push_comment(lexer *L, size_t off, size_t len, bool block,
                         uint32_t line) {
  uf_tokens *ts = L->ts;
  if (ts->ncom == ts->capcom) {
    uint32_t ncap = ts->capcom ? ts->capcom * 2 : 8;
    uf_tok_comment *nc = realloc(ts->com, ncap * sizeof *nc);
    if (!nc) return false;
    ts->com = nc;
    ts->capcom = ncap;
  }
  ts->com[ts->ncom++] = (uf_tok_comment){(uint32_t)off, (uint32_t)len, block, line};
  return true;
}

/* Byte classes, one table lookup instead of a chain of range tests. */
enum { CC_START = 1, CC_IDENT = 2, CC_SPACE = 4, CC_OP = 8 };
static const unsigned char CCLASS[256] = {
#define R2_(c) [c] = CC_START | CC_IDENT, [c + 1] = CC_START | CC_IDENT
#define R26_(c) R2_(c), R2_(c + 2), R2_(c + 4), R2_(c + 6), R2_(c + 8), \
    R2_(c + 10), R2_(c + 12), R2_(c + 14), R2_(c + 16), R2_(c + 18),   \
    R2_(c + 20), R2_(c + 22), R2_(c + 24)
#define R8_(c) R2_(c), R2_(c + 2), R2_(c + 4), R2_(c + 6)
#define R64_(c) R8_(c), R8_(c + 8), R8_(c + 16), R8_(c + 24), R8_(c + 32), \
    R8_(c + 40), R8_(c + 48), R8_(c + 56)
    R26_('a'), R26_('A'), ['_'] = CC_START | CC_IDENT, R64_(0x80), R64_(0xC0),
    ['0'] = CC_IDENT, ['1'] = CC_IDENT, ['2'] = CC_IDENT, ['3'] = CC_IDENT,
    ['4'] = CC_IDENT, ['5'] = CC_IDENT, ['6'] = CC_IDENT, ['7'] = CC_IDENT,
    ['8'] = CC_IDENT, ['9'] = CC_IDENT, ['$'] = CC_IDENT,
    [' '] = CC_SPACE, ['\t'] = CC_SPACE, ['\r'] = CC_SPACE, ['\f'] = CC_SPACE,
    ['\v'] = CC_SPACE,
    ['('] = CC_OP, [')'] = CC_OP, [','] = CC_OP, [';'] = CC_OP, ['['] = CC_OP,
    [']'] = CC_OP, ['{'] = CC_OP, ['}'] = CC_OP, ['.'] = CC_OP, ['+'] = CC_OP,
    ['-'] = CC_OP, ['*'] = CC_OP, ['/'] = CC_OP, ['%'] = CC_OP, ['<'] = CC_OP,
    ['>'] = CC_OP, ['='] = CC_OP, ['!'] = CC_OP, ['|'] = CC_OP, ['&'] = CC_OP,
    ['^'] = CC_OP, ['~'] = CC_OP, ['#'] = CC_OP, ['@'] = CC_OP, [':'] = CC_OP,
#undef R64_
#undef R8_
#undef R26_
#undef R2_
};

static inline bool is_ident_start(unsigned char c) { return CCLASS[c] & CC_START; }
static inline bool is_ident_char(unsigned char c) { return CCLASS[c] & CC_IDENT; }
size_t uf_tok_word_len(const char *s) {
  const unsigned char *c = (const unsigned char *)s;
  if (!is_ident_start(c[0])) return 0;
  size_t n = 1;
  while (c[n])
    if (!is_ident_char(c[n++])) return 0;
  return n;
}

static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static void newline(lexer *L, size_t at) {
  L->line++;
  L->line_start = at + 1;
}

/* Skips whitespace and comments; returns false on an unterminated comment
 * (error set) or out of memory. */
static bool skip_space(lexer *L, bool *spaced) {
  const char *s = L->src;
  for (;;) {
    if (L->pos >= L->len) return true;
    char c = s[L->pos];
    if (c == '\n') { newline(L, L->pos); L->pos++; *spaced = true; continue; }
    if (CCLASS[(unsigned char)c] & CC_SPACE) {
      size_t i = L->pos + 1;
      while (i < L->len && (CCLASS[(unsigned char)s[i]] & CC_SPACE)) i++;
      L->pos = i;
      *spaced = true;
      continue;
    }
    if (c == '-' && L->pos + 1 < L->len && s[L->pos + 1] == '-') {
      size_t b = L->pos + 2;
      size_t e = b;
      while (e < L->len && s[e] != '\n') e++;
      size_t ee = e;
      if (ee > b && s[ee - 1] == '\r') ee--;
      if (!push_comment(L, b, ee - b, false, L->line)) {
        uf_error_set(L->err, UF_NOMEM, "out of memory");
        return false;
      }
      L->pos = e;
      *spaced = true;
      continue;
    }
    if (c == '/' && L->pos + 1 < L->len && s[L->pos + 1] == '*') {
      size_t start = L->pos;
      uint32_t line = L->line;
      size_t i = L->pos + 2;
      int depth = 1; /* block comments nest, as in PostgreSQL and DuckDB */
      while (i < L->len && depth > 0) {
        if (s[i] == '*' && i + 1 < L->len && s[i + 1] == '/') { depth--; i += 2; continue; }
        if (s[i] == '/' && i + 1 < L->len && s[i + 1] == '*') { depth++; i += 2; continue; }
        if (s[i] == '\n') newline(L, i);
        i++;
      }
      if (depth > 0) {
        fail(L, start, "unterminated block comment");
        return false;
      }
      if (!push_comment(L, start + 2, i - 2 - (start + 2), true, line)) {
        uf_error_set(L->err, UF_NOMEM, "out of memory");
        return false;
      }
      L->pos = i;
      *spaced = true;
      continue;
    }
    return true;
  }
}

/* Scans a quoted run starting at the opening quote q; doubled quotes
 * escape; with `backslash`, a backslash escapes the next byte. */
static bool scan_quoted(lexer *L, char q, bool backslash) {
  const char *s = L->src;
  size_t i = L->pos + 1;
  for (;;) {
    if (i >= L->len) return false;
    char c = s[i];
    if (c == '\n') newline(L, i);
    if (backslash && c == '\\') {
      if (i + 1 < L->len && s[i + 1] == '\n') newline(L, i + 1);
      i += 2;
      continue;
    }
    if (c == q) {
      if (i + 1 < L->len && s[i + 1] == q) { i += 2; continue; }
      L->pos = i + 1;
      return true;
    }
    i++;
  }
}

static bool scan_number(lexer *L) {
  const char *s = L->src;
  size_t i = L->pos;
  if (s[i] == '0' && i + 1 < L->len && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
      i + 2 < L->len && strchr("0123456789abcdefABCDEF", s[i + 2]) && s[i + 2]) {
    i += 2;
    while (i < L->len && s[i] && strchr("0123456789abcdefABCDEF_", s[i])) i++;
    L->pos = i;
    return true;
  }
  while (i < L->len && (is_digit((unsigned char)s[i]) ||
                        (s[i] == '_' && i + 1 < L->len && is_digit((unsigned char)s[i + 1]))))
    i++;
  if (i < L->len && s[i] == '.' && !(i + 1 < L->len && s[i + 1] == '.')) {
    i++;
    while (i < L->len && (is_digit((unsigned char)s[i]) ||
                          (s[i] == '_' && i + 1 < L->len && is_digit((unsigned char)s[i + 1]))))
      i++;
  }
  if (i < L->len && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < L->len && (s[j] == '+' || s[j] == '-')) j++;
    if (j < L->len && is_digit((unsigned char)s[j])) {
      while (j < L->len && is_digit((unsigned char)s[j])) j++;
      i = j;
    }
  }
  L->pos = i;
  return true;
}

/* Operators longer than one byte, longest first within each leading byte;
 * indexed by the leading byte so a lookup tries only its own few. */
static const char *const OPS_BY_BYTE[][6] = {
    ['-'] = {"->>", "->"},          [':'] = {"::", ":="},
    ['<'] = {"<=>", "<<=", "<=", "<>", "<<", "<@"},
    ['>'] = {">>=", ">=", ">>"},    ['!'] = {"!~~*", "!~~", "!~*", "!=", "!~"},
    ['='] = {"==", "=>"},           ['|'] = {"||"},
    ['*'] = {"**"},                 ['/'] = {"//"},
    ['@'] = {"@>", "@@"},           ['&'] = {"&&"},
    ['^'] = {"^@"},                 ['~'] = {"~~*", "~~", "~*"},
    ['#'] = {"#>>", "#>"},          ['.'] = {".."},
};

static size_t match_op(const char *s, size_t avail) {
  unsigned char c = (unsigned char)s[0];
  if (c >= sizeof OPS_BY_BYTE / sizeof OPS_BY_BYTE[0]) return 1;
  for (int i = 0; i < 6 && OPS_BY_BYTE[c][i]; i++) {
    const char *op = OPS_BY_BYTE[c][i];
    size_t n = 1;
    while (op[n] && n < avail && s[n] == op[n]) n++;
    if (!op[n]) return n;
  }
  return 1;
}

bool uf_tok_glues(char a, char b) {
  if ((a == '-' && b == '-') || (a == '/' && b == '*')) return true;
  /* any adjacent pair inside an operator: "!~" then "~*" must not become "!~~*" */
  for (size_t c = 0; c < sizeof OPS_BY_BYTE / sizeof OPS_BY_BYTE[0]; c++)
    for (int i = 0; i < 6 && OPS_BY_BYTE[c][i]; i++)
      for (const char *o = OPS_BY_BYTE[c][i]; o[1]; o++)
        if (o[0] == a && o[1] == b) return true;
  return false;
}

uf_status uf_tokenize(const char *src, size_t len, const uf_lex_options *o,
                      uf_tokens *ts, uf_error *err) {
  uf_lex_options def = {1, false};
  if (!o) o = &def;
  if (len >= UINT32_MAX)
    return uf_error_set(err, UF_LIMIT_EXCEEDED, "input larger than 4 GiB");
  lexer L = {src, len, 0, o->first_line ? o->first_line : 1, 0, ts, err, o};
  ts->n = 0;
  ts->ncom = 0;
  uf_status st = check_utf8(&L);
  if (st != UF_OK) return st;
  const char *s = src;
  for (;;) {
    bool spaced = L.pos == 0;
    uint32_t cfirst = ts->ncom;
    if (!skip_space(&L, &spaced)) return err ? err->code : UF_SYNTAX;
    size_t start = L.pos;
    uint32_t line = L.line, col = col_of(&L, start);
    if (L.pos >= len) {
      if (!push_tok(&L, TK_EOF, start, spaced, line, col, cfirst)) goto oom;
      return UF_OK;
    }
    unsigned char c = (unsigned char)s[L.pos];
    uf_tok_type type;
    char next = L.pos + 1 < len ? s[L.pos + 1] : '\0';
    if ((c == 'e' || c == 'E') && next == '\'') {
      L.pos++;
      if (!scan_quoted(&L, '\'', true)) return fail(&L, start, "unterminated string literal");
      type = TK_ESTRING;
    } else if ((c == 'n' || c == 'N') && next == '\'') {
      L.pos++;
      if (!scan_quoted(&L, '\'', o->backslash_strings)) return fail(&L, start, "unterminated string literal");
      type = TK_NSTRING;
    } else if ((c == 'b' || c == 'B') && next == '\'') {
      L.pos++;
      if (!scan_quoted(&L, '\'', false)) return fail(&L, start, "unterminated bit string literal");
      type = TK_BITSTR;
    } else if ((c == 'x' || c == 'X') && next == '\'') {
      L.pos++;
      if (!scan_quoted(&L, '\'', false)) return fail(&L, start, "unterminated hex string literal");
      type = TK_HEXSTR;
    } else if (is_ident_start(c)) {
      size_t i = L.pos + 1;
      while (i < len && is_ident_char((unsigned char)s[i])) i++;
      L.pos = i;
      type = TK_WORD;
    } else if (is_digit(c) || (c == '.' && is_digit((unsigned char)next))) {
      scan_number(&L); /* "1x" stays two tokens, as DuckDB reads it */
      type = TK_NUMBER;
    } else if (c == '\'') {
      if (!scan_quoted(&L, '\'', o->backslash_strings)) return fail(&L, start, "unterminated string literal");
      type = TK_STRING;
    } else if (c == '"' || c == '`') {
      if (!scan_quoted(&L, (char)c, false)) return fail(&L, start, "unterminated quoted identifier");
      type = TK_QIDENT;
    } else if (c == '$') {
      size_t i = L.pos + 1;
      if (i < len && is_digit((unsigned char)s[i])) {
        while (i < len && is_digit((unsigned char)s[i])) i++;
        L.pos = i;
        type = TK_PARAM;
      } else {
        /* $tag$ ... $tag$ or $$ ... $$, else $name parameter */
        size_t j = i;
        while (j < len && is_ident_char((unsigned char)s[j]) && s[j] != '$') j++;
        if (j < len && s[j] == '$') {
          size_t taglen = j + 1 - L.pos; /* includes both dollars */
          size_t k = j + 1;
          bool found = false;
          while (k + taglen <= len) {
            if (s[k] == '$' && memcmp(s + k, s + L.pos, taglen) == 0) { found = true; break; }
            if (s[k] == '\n') newline(&L, k);
            k++;
          }
          if (!found) return fail(&L, start, "unterminated dollar-quoted string");
          L.pos = k + taglen;
          type = TK_DOLLAR;
        } else if (j > i) {
          L.pos = j;
          type = TK_PARAM;
        } else {
          return fail(&L, start, "unexpected character '$'");
        }
      }
    } else if (c == '?') {
      L.pos++;
      while (L.pos < len && is_digit((unsigned char)s[L.pos])) L.pos++;
      type = TK_PARAM;
    } else if (CCLASS[c] & CC_OP) {
      L.pos += match_op(s + L.pos, len - L.pos);
      type = TK_OP;
    } else {
      return fail(&L, start, "unexpected character");
    }
    if (!push_tok(&L, type, start, spaced, line, col, cfirst)) goto oom;
  }
oom:
  return uf_error_set(err, UF_NOMEM, "out of memory");
}
