/*
 * Tokenizer: turns a statement text into an array of tokens, Lua-llex
 * style (one switch on the first byte). Tokens keep only spans into the
 * source; decoding (escapes, quote doubling) happens in the parser when a
 * node is built. Comments are collected beside the tokens: each token knows
 * the range of comments that stood before it.
 *
 * The whole input is checked to be valid UTF-8 first; identifiers may hold
 * any non-ASCII character.
 */
#ifndef UF_SQL_TOKENIZER_H
#define UF_SQL_TOKENIZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sql/keywords.h"
#include "unifier/status.h"

typedef enum uf_tok_type {
  TK_EOF = 0,
  TK_WORD,         /* identifier or keyword (kw set) */
  TK_QIDENT,       /* "quoted" or `quoted` identifier; span includes quotes */
  TK_STRING,       /* '...'; span includes quotes */
  TK_ESTRING,      /* E'...' with backslash escapes */
  TK_NSTRING,      /* N'...' */
  TK_DOLLAR,       /* $tag$...$tag$ */
  TK_BITSTR,       /* B'0101' */
  TK_HEXSTR,       /* X'ff' */
  TK_NUMBER,
  TK_PARAM,        /* $1, $name, ?, ?1 */
  TK_OP            /* punctuation and operators */
} uf_tok_type;

typedef struct uf_token {
  uint8_t type;      /* uf_tok_type */
  uint8_t spaced;    /* whitespace or a comment stood before the token */
  uint16_t kw;       /* uf_keyword for TK_WORD, else 0 */
  uint32_t off, len; /* span in the source */
  uint32_t line, col;
  uint32_t cfirst, ccount; /* comments before this token */
} uf_token;

typedef struct uf_tok_comment {
  uint32_t off, len; /* body span (without markers) */
  bool block;
  uint32_t line;
} uf_tok_comment;

typedef struct uf_tokens {
  uf_token *tok;
  uint32_t n, cap;
  uf_tok_comment *com;
  uint32_t ncom, capcom;
} uf_tokens;

typedef struct uf_lex_options {
  uint32_t first_line;   /* line number of byte 0 (>= 1) */
  bool backslash_strings; /* '...' strings take backslash escapes */
} uf_lex_options;

void uf_tokens_init(uf_tokens *ts);
void uf_tokens_free(uf_tokens *ts);

/* Tokenizes src[0..len) into ts (reset first); the last token is TK_EOF.
 * Errors (unterminated string or comment, bad UTF-8, stray byte) carry the
 * position. */
uf_status uf_tokenize(const char *src, size_t len, const uf_lex_options *o,
                      uf_tokens *ts, uf_error *err);

/* True if byte a directly followed by byte b would not lex as two separate
 * tokens as it does with a space between: a comment marker (-- or slash-star)
 * or two bytes of one multi-byte operator (->, ~*, <>, ::, ...). The
 * generator asks before it appends text. */
bool uf_tok_glues(char a, char b);

/* Length of s if all of it (NUL-terminated) lexes as one bare word
 * (keyword or identifier), else 0. */
size_t uf_tok_word_len(const char *s);

/* True if the operator token t has text op (e.g. "::"). */
static inline bool uf_tok_is_op(const char *src, const uf_token *t,
                                const char *op) {
  if (t->type != TK_OP || src[t->off] != op[0]) return false;
  for (uint32_t i = 1; i < t->len; i++)
    if (op[i] != src[t->off + i]) return false;
  return op[t->len] == '\0';
}

#endif
