/*
 * Parser internals shared by parse.c (entry points, helpers),
 * parse_expr.c (expressions, types, names), parse_query.c (queries and FROM
 * items) and parse_stmt.c (every other statement).
 *
 * Error discipline (Lua's lparser, without longjmp): the first error is
 * recorded in p->st / p->err and is sticky; every parse function returns
 * NULL once an error is set, and callers return NULL up the stack. Helpers
 * like expect_kw() set the error themselves. Recursion is bounded by
 * enter()/leave() (max_depth), so hostile nesting is an error, not a crash.
 *
 * Nodes are created with mk(p, kind, tok) where tok is the index of the
 * node's first token: mk records the position and attaches the comments
 * that stood before that token (each comment is attached once).
 */
#ifndef UF_SQL_PARSER_H
#define UF_SQL_PARSER_H

#include <stdbool.h>
#include <stdint.h>

#include "sql/dialect.h"
#include "sql/tokenizer.h"
#include "unifier/ast.h"
#include "unifier/sql.h"

typedef struct uf_parser {
  const char *src;
  size_t len;
  uf_tokens toks;
  uint32_t pos;      /* index of the current token */
  uf_tree *tree;
  const uf_dialect *d;
  uf_error *err;
  uf_status st;      /* sticky: UF_OK until the first error */
  uint32_t depth, max_depth;
} uf_parser;

/* ---- token access ---- */
static inline const uf_token *peek(const uf_parser *p) { return &p->toks.tok[p->pos]; }
static inline const uf_token *peek_at(const uf_parser *p, uint32_t k) {
  uint32_t i = p->pos + k;
  return &p->toks.tok[i < p->toks.n ? i : p->toks.n - 1];
}
static inline void advance(uf_parser *p) { if (p->pos + 1 < p->toks.n) p->pos++; }
static inline bool failed(const uf_parser *p) { return p->st != UF_OK; }
static inline bool at_eof(const uf_parser *p) { return peek(p)->type == TK_EOF; }

/* Token tests are inline: the grammar asks them by the dozen per token,
 * and with a literal operator the test folds to a few compares. */
static inline bool at_kw(const uf_parser *p, uf_keyword kw) {
  const uf_token *t = peek(p);
  return t->type == TK_WORD && t->kw == kw;
}
static inline bool at_kw_at(const uf_parser *p, uint32_t k, uf_keyword kw) { /* k ahead */
  const uf_token *t = peek_at(p, k);
  return t->type == TK_WORD && t->kw == kw;
}
static inline bool at_op(const uf_parser *p, const char *op) {
  return uf_tok_is_op(p->src, peek(p), op);
}
static inline bool at_op_at(const uf_parser *p, uint32_t k, const char *op) {
  return uf_tok_is_op(p->src, peek_at(p, k), op);
}
bool accept_kw(uf_parser *p, uf_keyword kw);
bool accept_kw2(uf_parser *p, uf_keyword a, uf_keyword b); /* both or none */
bool expect_kw(uf_parser *p, uf_keyword kw);
bool accept_op(uf_parser *p, const char *op);
bool expect_op(uf_parser *p, const char *op);
/* A word (any keyword or not) whose text equals w case-insensitively:
 * for words that are not in the keyword table. */
bool at_word(const uf_parser *p, const char *w);
/* Token t is a word equal to w case-insensitively (ASCII). Inline and
 * first byte first: callers try whole lists of words per token. */
static inline bool tok_word_is(const uf_parser *p, const uf_token *t, const char *w) {
  if (t->type != TK_WORD) return false;
  const char *s = p->src + t->off;
  if ((s[0] | 0x20) != (w[0] | 0x20)) return false; /* equal if equal folded */
  for (uint32_t i = 0; i < t->len; i++) {
    char a = s[i], b = w[i];
    if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
    if (b >= 'A' && b <= 'Z') b = (char)(b + 32);
    if (a != b || !b) return false;
  }
  return w[t->len] == '\0';
}
bool accept_word(uf_parser *p, const char *w);

/* ---- errors ---- */
/* Records a syntax error at token t (first error wins); returns NULL. */
void *error_at(uf_parser *p, const uf_token *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* "unexpected X, expected <what>" at the current token. */
void *error_expected(uf_parser *p, const char *what);
/* Out of memory: records UF_NOMEM; returns NULL. */
void *error_oom(uf_parser *p);
/* Records UF_UNSUPPORTED naming the construct and dialect. */
void *error_unsupported(uf_parser *p, const uf_token *t, const char *construct);

bool enter(uf_parser *p); /* false (error set) when too deep */
static inline void leave(uf_parser *p) { p->depth--; }

/* ---- nodes ---- */
/* Nodes made in t so far (ast.c; internal, for the parser's depth check). */
uint32_t uf_tree_nodes_made_(const uf_tree *t);
uf_node *mk(uf_parser *p, uf_kind k, uint32_t tok);
uf_node *mk_text(uf_parser *p, uf_kind k, uint32_t tok, const char *s, size_t len);
uf_node *mk_list(uf_parser *p, uint32_t tok);
bool push(uf_parser *p, uf_node *list, uf_node *item);
/* Sets slot s of n (the kind must have it; a missing slot is an internal
 * error). Returns false on error. */
bool set(uf_parser *p, uf_node *n, uf_slot s, uf_node *child);
const char *intern(uf_parser *p, const char *s, size_t len);
/* Upper-cased interned copy of the token's text. */
const char *tok_upper(uf_parser *p, const uf_token *t);
static inline const char *tok_src(const uf_parser *p, const uf_token *t) { return p->src + t->off; }

/* ---- shared grammar pieces ---- */
/* Statements (parse_stmt.c): one statement, without the trailing ';'. */
uf_node *parse_statement(uf_parser *p);

/* Queries (parse_query.c) */
bool at_query_start(const uf_parser *p);       /* SELECT, WITH, VALUES, FROM, ( query */
uf_node *parse_query(uf_parser *p);            /* full query incl. WITH, set ops, ORDER/LIMIT */
uf_node *parse_from_item(uf_parser *p);        /* one FROM item with its joins */
uf_node *parse_table_name(uf_parser *p);       /* [catalog.][db.]name as a TABLE node */
uf_node *parse_order_by_list(uf_parser *p);    /* after ORDER BY: LIST of ORDERED */
uf_node *parse_table_alias(uf_parser *p, bool require_as); /* [AS] name [(cols)] or NULL */

/* Expressions (parse_expr.c) */
uf_node *parse_expr(uf_parser *p);             /* a full expression */
uf_node *parse_expr_list(uf_parser *p);        /* e1, e2, ... as LIST */
uf_node *parse_ident(uf_parser *p);            /* identifier (word or quoted) */
bool at_ident(const uf_parser *p);             /* a token usable as identifier */
uf_node *parse_type(uf_parser *p);             /* a data type */
uf_node *parse_window_spec(uf_parser *p);      /* after '(' of OVER / WINDOW w AS */
uf_node *parse_string_lit(uf_parser *p);       /* a string literal token -> STRING */
uf_node *parse_select_item(uf_parser *p);      /* expr [[AS] alias] */
/* The alias after expression e (first token tok): [AS] name, the bare name
 * only when implicit; e itself when none follows. */
uf_node *parse_alias_tail(uf_parser *p, uf_node *e, uint32_t tok, bool implicit);
/* Decodes the literal at token t into the tree (quotes, escapes). */
uf_node *string_from_token(uf_parser *p, uint32_t tok);
uf_node *ident_from_token(uf_parser *p, uint32_t tok);
/* Marks an IDENT as written quoted (style UF_IDENT_WRITTEN_QUOTED) and, when
 * quoting changes its meaning (its text is not already in the dialect's
 * folded case), sets UF_F_QUOTED: the flag means "case-significant". */
void mark_quoted(uf_parser *p, uf_node *id);

#endif
