/*
 * Expressions, names, literals and types.
 *
 * Operators are bound by precedence climbing over a {left, right} table
 * (Lua's subexpr): an operator whose left priority is above the caller's
 * limit is taken, and its right operand is parsed with its right priority.
 * Prefix NOT and the unary signs parse their operand at their own level.
 * Postfix [ ] and . are applied to primaries; :: COLLATE IS ISNULL NOTNULL
 * are postfix operators of the table.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/expr_prec.h"
#include "sql/parser.h"

static uf_node *subexpr(uf_parser *p, int limit);
static uf_node *expr_loop(uf_parser *p, uf_node *left, int limit);
static uf_node *parse_primary(uf_parser *p);
static uf_node *parse_fn_arg(uf_parser *p);

/* ---- small helpers ---- */

static uint32_t here(const uf_parser *p) { return p->pos; }

static uf_kw_class kw_class(const uf_token *t) {
  if (t->type != TK_WORD || !t->kw) return KWC_NONE;
  return uf_keyword_class((uf_keyword)t->kw);
}

static bool is_string_tok(const uf_token *t) {
  return t->type == TK_STRING || t->type == TK_ESTRING ||
         t->type == TK_NSTRING || t->type == TK_DOLLAR;
}

static bool word_is(const uf_parser *p, const uf_token *t, const char *w) {
  return tok_word_is(p, t, w);
}

static bool word_in(const uf_parser *p, const uf_token *t, const char *const *set) {
  for (; *set; set++)
    if (word_is(p, t, *set)) return true;
  return false;
}

static uf_node *mk_var(uf_parser *p, uint32_t tok, const char *upper) {
  return mk_text(p, UF_VAR, tok, upper, strlen(upper));
}

/* A LIST that claims no comments: lists are rendered item by item, so a
 * comment attached to the list itself would be lost; its first item's
 * node claims it instead. */
static uf_node *mk_items(uf_parser *p, uint32_t tok) {
  if (failed(p)) return NULL;
  uf_node *n = uf_node_new(p->tree, UF_LIST);
  if (!n) return error_oom(p);
  const uf_token *t = &p->toks.tok[tok < p->toks.n ? tok : p->toks.n - 1];
  n->line = t->line;
  n->col = t->col;
  n->offset = t->off;
  return n;
}

/* Two-slot node helper: n.a = x, n.b = y. */
static uf_node *mk2(uf_parser *p, uf_kind k, uint32_t tok, uf_slot a,
                    uf_node *x, uf_slot b, uf_node *y) {
  uf_node *n = mk(p, k, tok);
  if (!n || !set(p, n, a, x) || !set(p, n, b, y)) return NULL;
  return n;
}

/* ---- identifiers ---- */

bool at_ident(const uf_parser *p) {
  const uf_token *t = peek(p);
  if (t->type == TK_QIDENT) return true;
  if (t->type != TK_WORD) return false;
  uf_kw_class c = kw_class(t);
  return c == KWC_NONE || c == KWC_U || c == KWC_C;
}

/* A quoted identifier loses its quotes and doubled quotes; a word keeps its
 * spelling (case is folded later, by the dialect's rules). */
uf_node *ident_from_token(uf_parser *p, uint32_t tok) {
  if (failed(p)) return NULL;
  const uf_token *t = &p->toks.tok[tok];
  const char *s = p->src + t->off;
  if (t->type != TK_QIDENT) return mk_text(p, UF_IDENT, tok, s, t->len);
  char q = s[0];
  size_t n = t->len - 2;
  char *buf = malloc(n + 1);
  if (!buf) return error_oom(p);
  size_t k = 0;
  for (size_t i = 1; i + 1 < t->len; i++) {
    buf[k++] = s[i];
    if (s[i] == q) i++;
  }
  uf_node *id = mk_text(p, UF_IDENT, tok, buf, k);
  free(buf);
  mark_quoted(p, id);
  return id;
}

/* ident: word | "quoted" */
uf_node *parse_ident(uf_parser *p) {
  if (!at_ident(p)) return error_expected(p, "an identifier");
  uint32_t t = here(p);
  advance(p);
  return ident_from_token(p, t);
}

/* Any word or quoted identifier (after '.' or AS, where keywords are fine). */
static uf_node *parse_any_name(uf_parser *p) {
  const uf_token *t = peek(p);
  if (t->type != TK_WORD && t->type != TK_QIDENT)
    return error_expected(p, "a name");
  uint32_t i = here(p);
  advance(p);
  return ident_from_token(p, i);
}

/* ---- string literals ---- */

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static size_t utf8_put(char *out, uint32_t cp) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Decodes one backslash escape at s[i] (s[i] == '\\') into out; returns
 * the bytes consumed from s, or 0 on a bad escape (msg set). */
static size_t decode_escape(const char *s, size_t n, size_t i, char *out,
                            size_t *outn, const char **msg) {
  *outn = 1;
  if (i + 1 >= n) { *msg = "dangling backslash"; return 0; }
  char c = s[i + 1];
  switch (c) {
  case 'n': out[0] = '\n'; return 2;
  case 't': out[0] = '\t'; return 2;
  case 'r': out[0] = '\r'; return 2;
  case 'b': out[0] = '\b'; return 2;
  case 'f': out[0] = '\f'; return 2;
  case 'x': {
    int v = 0;
    size_t k = i + 2;
    while (k < n && k < i + 4 && hexval(s[k]) >= 0) v = v * 16 + hexval(s[k++]);
    if (k == i + 2) { out[0] = 'x'; return 2; }
    if (v == 0) { *msg = "NUL character in string"; return 0; }
    out[0] = (char)v;
    return k - i;
  }
  case 'u': case 'U': {
    size_t digits = c == 'u' ? 4 : 8;
    uint32_t cp = 0;
    for (size_t k = 0; k < digits; k++) {
      if (i + 2 + k >= n || hexval(s[i + 2 + k]) < 0) {
        *msg = "invalid Unicode escape";
        return 0;
      }
      cp = cp * 16 + (uint32_t)hexval(s[i + 2 + k]);
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      *msg = "invalid Unicode code point";
      return 0;
    }
    *outn = utf8_put(out, cp);
    return 2 + digits;
  }
  default:
    if (c >= '0' && c <= '7') {
      int v = 0;
      size_t k = i + 1;
      while (k < n && k < i + 4 && s[k] >= '0' && s[k] <= '7') v = v * 8 + (s[k++] - '0');
      if (v == 0 || v > 255) { *msg = "invalid octal escape"; return 0; }
      out[0] = (char)v;
      return k - i;
    }
    out[0] = c; /* \\ \' and any other character stand for themselves */
    return 2;
  }
}

/* Body of a quoted literal: undoubles the quote; with `bs`, decodes
 * backslash escapes. */
static uf_node *decode_quoted(uf_parser *p, uint32_t tok, const char *s,
                              size_t n, bool bs, uint8_t style) {
  char *buf = malloc(n * 2 + 4);
  if (!buf) return error_oom(p);
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    if (bs && s[i] == '\\') {
      const char *msg = NULL;
      size_t outn;
      size_t used = decode_escape(s, n, i, buf + k, &outn, &msg);
      if (!used) {
        free(buf);
        return error_at(p, &p->toks.tok[tok], "%s", msg);
      }
      k += outn;
      i += used;
      continue;
    }
    buf[k++] = s[i];
    i += (s[i] == '\'' && i + 1 < n && s[i + 1] == '\'') ? 2 : 1;
  }
  uf_node *str = mk_text(p, UF_STRING, tok, buf, k);
  free(buf);
  if (str) str->style = style;
  return str;
}

/* Decodes the literal at token tok: '..' (0), E'..' (1), $tag$..$tag$ (2),
 * N'..' (3). */
uf_node *string_from_token(uf_parser *p, uint32_t tok) {
  if (failed(p)) return NULL;
  const uf_token *t = &p->toks.tok[tok];
  const char *s = p->src + t->off;
  switch (t->type) {
  case TK_STRING:
    return decode_quoted(p, tok, s + 1, t->len - 2, p->d->backslash_strings, 0);
  case TK_ESTRING:
    return decode_quoted(p, tok, s + 2, t->len - 3, true, 1);
  case TK_NSTRING:
    return decode_quoted(p, tok, s + 2, t->len - 3, p->d->backslash_strings, 3);
  case TK_DOLLAR: {
    size_t tag = 1;
    while (s[tag] != '$') tag++;
    tag++;
    uf_node *str = mk_text(p, UF_STRING, tok, s + tag, t->len - 2 * tag);
    if (str) str->style = 2;
    return str;
  }
  default:
    return error_at(p, t, "expected a string literal");
  }
}

/* string: '..' | E'..' | N'..' | $$..$$ */
uf_node *parse_string_lit(uf_parser *p) {
  if (!is_string_tok(peek(p))) return error_expected(p, "a string");
  uint32_t t = here(p);
  advance(p);
  return string_from_token(p, t);
}

/* ---- types ---- */

static const char *const STRUCT_TYPES[] = {"STRUCT", "ROW", "UNION", NULL};
static const char *const TYPE_ARG_TYPES[] = {"MAP", "LIST", NULL};

/* Multi-word type names: DOUBLE PRECISION, CHARACTER VARYING, BIT VARYING,
 * TIME[STAMP] WITH[OUT] TIME ZONE (after params), X UNSIGNED. */
static void type_name_words(uf_parser *p, char *buf, size_t size) {
  const uf_token *t = peek(p);
  size_t n = t->len < size - 1 ? t->len : size - 1;
  for (size_t i = 0; i < n; i++) {
    char c = p->src[t->off + i];
    buf[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
  }
  buf[n] = '\0';
  advance(p);
  const char *second = NULL;
  if (!strcmp(buf, "DOUBLE") && at_kw(p, KW_PRECISION)) second = " PRECISION";
  else if ((!strcmp(buf, "CHARACTER") || !strcmp(buf, "CHAR") || !strcmp(buf, "BIT")) &&
           at_word(p, "VARYING"))
    second = " VARYING";
  else if (at_word(p, "UNSIGNED")) second = " UNSIGNED";
  if (second && strlen(buf) + strlen(second) < size) {
    strcat(buf, second);
    advance(p);
  }
}

static uf_node *type_with_name(uf_parser *p, uint32_t tok, const char *name) {
  const char *m = uf_name_map_find(p->d->types_in, name);
  return mk_text(p, UF_TYPE, tok, m ? m : name, strlen(m ? m : name));
}

/* fields: '(' name type {',' name type} ')' as COLUMN_DEF items */
static uf_node *parse_type_fields(uf_parser *p) {
  uf_node *list = mk_items(p, here(p));
  do {
    uint32_t t = here(p);
    uf_node *name = parse_any_name(p);
    uf_node *ty = parse_type(p);
    uf_node *f = mk2(p, UF_COLUMN_DEF, t, UF_SLOT_NAME, name, UF_SLOT_TYPE, ty);
    if (!push(p, list, f)) return NULL;
  } while (accept_op(p, ","));
  return failed(p) ? NULL : list;
}

/* args: '(' type {',' type} ')' or '(' expr {',' expr} ')' */
static uf_node *parse_type_args(uf_parser *p, bool types) {
  uf_node *list = mk_items(p, here(p));
  if (at_op(p, ")")) return list;
  do {
    uf_node *a = types ? parse_type(p) : parse_expr(p);
    if (!push(p, list, a)) return NULL;
  } while (accept_op(p, ","));
  return failed(p) ? NULL : list;
}

/* TIME/TIMESTAMP [WITH | WITHOUT] TIME ZONE */
static void type_zone_suffix(uf_parser *p, char *buf, size_t size) {
  if (strcmp(buf, "TIME") != 0 && strcmp(buf, "TIMESTAMP") != 0) return;
  bool with = at_kw(p, KW_WITH), without = at_kw(p, KW_WITHOUT);
  if (!(with || without) || !at_kw_at(p, 1, KW_TIME) || !at_kw_at(p, 2, KW_ZONE)) return;
  advance(p); advance(p); advance(p);
  strncat(buf, with ? " WITH TIME ZONE" : " WITHOUT TIME ZONE", size - strlen(buf) - 1);
}

/* type: name ['(' params | fields ')'] [WITH[OUT] TIME ZONE] {'[' [n] ']'} */
uf_node *parse_type(uf_parser *p) {
  if (failed(p) || !enter(p)) return NULL;
  uint32_t tok = here(p);
  const uf_token *t = peek(p);
  if (t->type != TK_WORD) {
    leave(p);
    return error_expected(p, "a type");
  }
  char name[96];
  type_name_words(p, name, sizeof name);
  uf_node *args = NULL, *fields = NULL;
  bool is_struct = false, type_args = false;
  for (int i = 0; STRUCT_TYPES[i]; i++) is_struct |= !strcmp(name, STRUCT_TYPES[i]);
  for (int i = 0; TYPE_ARG_TYPES[i]; i++) type_args |= !strcmp(name, TYPE_ARG_TYPES[i]);
  if (accept_op(p, "(")) {
    if (is_struct) fields = parse_type_fields(p);
    else args = parse_type_args(p, type_args);
    expect_op(p, ")");
  }
  type_zone_suffix(p, name, sizeof name);
  uf_node *ty = type_with_name(p, tok, name);
  if (ty) { set(p, ty, UF_SLOT_ARGS, args); set(p, ty, UF_SLOT_FIELDS, fields); }
  /* T[] is a LIST of T, T[n] an ARRAY of n T (DuckDB's spelling) */
  while (ty && !failed(p) && at_op(p, "[")) {
    uint32_t bt = here(p);
    advance(p);
    uf_node *outer = mk_text(p, UF_TYPE, bt, at_op(p, "]") ? "LIST" : "ARRAY",
                             at_op(p, "]") ? 4 : 5);
    uf_node *l = mk_items(p, bt);
    push(p, l, ty);
    if (!at_op(p, "]")) {
      if (peek(p)->type != TK_NUMBER) { leave(p); return error_expected(p, "an array size"); }
      uint32_t nt = here(p);
      advance(p);
      push(p, l, mk_text(p, UF_NUMBER, nt, tok_src(p, &p->toks.tok[nt]), p->toks.tok[nt].len));
    }
    expect_op(p, "]");
    set(p, outer, UF_SLOT_ARGS, l);
    ty = outer;
  }
  leave(p);
  return failed(p) ? NULL : ty;
}

/* ---- operator table ---- */

typedef enum binop {
  B_NONE, B_OR, B_AND, B_IS, B_ISNULL, B_NOTNULL, B_CMP, B_BETWEEN, B_IN,
  B_LIKE, B_OTHER, B_ADD, B_MUL, B_POW, B_AT, B_COLLATE, B_CAST
} binop;

static const struct { uint8_t left, right; } PRIORITY[] = {
    [B_NONE] = {0, 0},
    [B_OR] = {PREC_OR, PREC_OR},          [B_AND] = {PREC_AND, PREC_AND},
    [B_IS] = {PREC_IS, PREC_IS},          [B_ISNULL] = {PREC_IS, PREC_IS},
    [B_NOTNULL] = {PREC_IS, PREC_IS},     [B_CMP] = {PREC_CMP, PREC_CMP},
    [B_BETWEEN] = {PREC_PRED, PREC_PRED}, [B_IN] = {PREC_PRED, PREC_PRED},
    [B_LIKE] = {PREC_PRED, PREC_PRED},    [B_OTHER] = {PREC_OTHER, PREC_OTHER},
    [B_ADD] = {PREC_ADD, PREC_ADD},       [B_MUL] = {PREC_MUL, PREC_MUL},
    [B_POW] = {PREC_POW, PREC_POW},       [B_AT] = {PREC_AT, PREC_AT},
    [B_COLLATE] = {PREC_COLLATE, PREC_COLLATE},
    [B_CAST] = {PREC_CAST, PREC_CAST},
};

static const char *const CMP_OPS[] = {"=", "==", "<>", "!=", "<", ">", "<=", ">=", NULL};
static const char *const OTHER_OPS[] = {
    "||", "->>", "->", "@>", "<@", "&&", "^@", "~~*", "!~~*", "~~", "!~~",
    "~*", "!~*", "!~", "~", "<<=", ">>=", "<<", ">>", "&", "|", "#>>", "#>",
    "#", "@@", "<=>", NULL};

static bool op_in(const uf_parser *p, const uf_token *t, const char *const *ops) {
  for (; *ops; ops++)
    if (uf_tok_is_op(p->src, t, *ops)) return true;
  return false;
}

/* The binary/postfix operator at the current token (NOT IN etc. included). */
static binop binop_at(const uf_parser *p) {
  const uf_token *t = peek(p);
  if (t->type == TK_OP) {
    if (op_in(p, t, CMP_OPS)) return B_CMP;
    if (at_op(p, "+") || at_op(p, "-")) return B_ADD;
    if (at_op(p, "*") || at_op(p, "/") || at_op(p, "//") || at_op(p, "%")) return B_MUL;
    if (at_op(p, "^") || at_op(p, "**")) return B_POW;
    if (at_op(p, "::")) return B_CAST;
    if (op_in(p, t, OTHER_OPS)) return B_OTHER;
    return B_NONE;
  }
  if (t->type != TK_WORD) return B_NONE;
  switch (t->kw) {
  case KW_OR: return B_OR;
  case KW_AND: return B_AND;
  case KW_IS: return B_IS;
  case KW_ISNULL: return B_ISNULL;
  case KW_NOTNULL: return B_NOTNULL;
  case KW_BETWEEN: return B_BETWEEN;
  case KW_IN: return B_IN;
  case KW_LIKE: case KW_ILIKE: case KW_GLOB: return B_LIKE;
  case KW_SIMILAR: return at_kw_at(p, 1, KW_TO) ? B_LIKE : B_NONE;
  case KW_COLLATE: return B_COLLATE;
  case KW_AT: return at_kw_at(p, 1, KW_TIME) && at_kw_at(p, 2, KW_ZONE) ? B_AT : B_NONE;
  case KW_NOT:
    if (at_kw_at(p, 1, KW_BETWEEN)) return B_BETWEEN;
    if (at_kw_at(p, 1, KW_IN)) return B_IN;
    if (at_kw_at(p, 1, KW_LIKE) || at_kw_at(p, 1, KW_ILIKE) || at_kw_at(p, 1, KW_GLOB))
      return B_LIKE;
    if (at_kw_at(p, 1, KW_SIMILAR) && at_kw_at(p, 2, KW_TO)) return B_LIKE;
    return B_NONE;
  default: return B_NONE;
  }
}

/* ---- query hooks ---- */

/* A subquery starts here (only keywords: "((" stays an expression). */
static bool query_ahead(const uf_parser *p) {
  return at_kw(p, KW_SELECT) || at_kw(p, KW_WITH) || at_kw(p, KW_VALUES) ||
         at_kw(p, KW_FROM);
}

/* Whether a '(' here opens a parenthesized query that a set operation or
 * ORDER/LIMIT/OFFSET continues: ((SELECT 1) EXCEPT (SELECT 2)). A lone
 * ((SELECT 1)) stays a parenthesized scalar subquery. */
static bool paren_query_continues(const uf_parser *p) {
  if (!at_op(p, "(") || !at_query_start(p)) return false;
  uint32_t depth = 0;
  for (uint32_t i = 0; p->pos + i < p->toks.n; i++) {
    const uf_token *t = peek_at(p, i);
    if (t->type == TK_EOF) return false;
    if (at_op_at(p, i, "(")) depth++;
    else if (at_op_at(p, i, ")") && --depth == 0) {
      const uf_token *n = peek_at(p, i + 1);
      return n->type == TK_WORD &&
             (n->kw == KW_UNION || n->kw == KW_INTERSECT || n->kw == KW_EXCEPT ||
              n->kw == KW_ORDER || n->kw == KW_LIMIT || n->kw == KW_OFFSET ||
              n->kw == KW_FETCH);
    }
  }
  return false;
}

/* A query (not an expression) starts after an opening '(' */
static bool subquery_ahead(const uf_parser *p) {
  return query_ahead(p) || paren_query_continues(p);
}

/* '(' query ')' with the '(' already consumed */
static uf_node *finish_subquery(uf_parser *p) {
  uf_node *q = parse_query(p);
  if (!q || !expect_op(p, ")")) return NULL;
  return q;
}

/* ---- infix rules ---- */

/* quantified: (ANY | ALL | SOME) '(' query | expr ')' */
static uf_node *parse_comparand(uf_parser *p, int prec) {
  const uf_token *t = peek(p);
  if ((t->kw == KW_ANY || t->kw == KW_ALL || t->kw == KW_SOME) &&
      t->type == TK_WORD && at_op_at(p, 1, "(")) {
    uint32_t tok = here(p);
    uf_node *q = mk(p, UF_QUANTIFIED, tok);
    if (!q) return NULL;
    q->text = tok_upper(p, t);
    advance(p);
    advance(p);
    uf_node *body;
    if (subquery_ahead(p)) {
      body = finish_subquery(p);
    } else {
      body = parse_expr(p);
      if (body && !expect_op(p, ")")) return NULL;
    }
    if (!body) return NULL;
    set(p, q, UF_SLOT_THIS, body);
    return expr_loop(p, q, prec);
  }
  return subexpr(p, prec);
}

/* IS [NOT] (NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM expr) */
static uf_node *parse_is(uf_parser *p, uf_node *left, uint32_t tok) {
  advance(p);
  bool neg = accept_kw(p, KW_NOT);
  if (at_word(p, "DISTINCT")) {
    advance(p);
    if (!expect_kw(p, KW_FROM)) return NULL;
    uf_node *r = subexpr(p, PREC_IS);
    uf_node *n = mk2(p, UF_IS_DISTINCT, tok, UF_SLOT_LEFT, left, UF_SLOT_RIGHT, r);
    if (n && neg) n->flags |= UF_F_NOT;
    return r ? n : NULL;
  }
  uint32_t vt = here(p);
  uf_node *v = NULL;
  if (accept_kw(p, KW_NULL)) v = mk(p, UF_NULL, vt);
  else if (accept_kw(p, KW_TRUE)) v = mk_text(p, UF_BOOLEAN, vt, "TRUE", 4);
  else if (accept_kw(p, KW_FALSE)) v = mk_text(p, UF_BOOLEAN, vt, "FALSE", 5);
  else if (accept_word(p, "UNKNOWN")) v = mk_var(p, vt, "UNKNOWN");
  else return error_expected(p, "NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM");
  uf_node *n = mk2(p, UF_IS, tok, UF_SLOT_LEFT, left, UF_SLOT_RIGHT, v);
  if (n && neg) n->flags |= UF_F_NOT;
  return n;
}

/* [NOT] BETWEEN [SYMMETRIC | ASYMMETRIC] low AND high */
static uf_node *parse_between(uf_parser *p, uf_node *left, uint32_t tok, bool neg) {
  advance(p);
  uf_node *n = mk(p, UF_BETWEEN, tok);
  if (!n) return NULL;
  if (accept_kw(p, KW_SYMMETRIC)) n->flags |= UF_F_SYMMETRIC;
  else accept_kw(p, KW_ASYMMETRIC);
  if (neg) n->flags |= UF_F_NOT;
  uf_node *lo = subexpr(p, PREC_PRED);
  if (!lo || !expect_kw(p, KW_AND)) return NULL;
  uf_node *hi = subexpr(p, PREC_PRED);
  set(p, n, UF_SLOT_THIS, left);
  set(p, n, UF_SLOT_LOW, lo);
  set(p, n, UF_SLOT_HIGH, hi);
  return hi ? n : NULL;
}

/* [NOT] IN '(' (query | expr {',' expr}) ')' */
static uf_node *parse_in(uf_parser *p, uf_node *left, uint32_t tok, bool neg) {
  advance(p);
  uf_node *n = mk(p, UF_IN, tok);
  if (!n || !set(p, n, UF_SLOT_THIS, left)) return NULL;
  if (neg) n->flags |= UF_F_NOT;
  if (!expect_op(p, "(")) return NULL;
  if (subquery_ahead(p)) return set(p, n, UF_SLOT_QUERY, finish_subquery(p)) && !failed(p) ? n : NULL;
  uf_node *l = parse_expr_list(p);
  if (!l || !expect_op(p, ")")) return NULL;
  set(p, n, UF_SLOT_LIST, l);
  return n;
}

/* [NOT] (LIKE | ILIKE | GLOB | SIMILAR TO) pattern [ESCAPE e] */
static uf_node *parse_like(uf_parser *p, uf_node *left, uint32_t tok, bool neg) {
  uf_node *n = mk(p, UF_LIKE, tok);
  if (!n) return NULL;
  if (at_kw(p, KW_SIMILAR)) { advance(p); n->text = intern(p, "SIMILAR TO", 10); }
  else n->text = tok_upper(p, peek(p));
  advance(p);
  if (neg) n->flags |= UF_F_NOT;
  uf_node *r = parse_comparand(p, PREC_PRED);
  set(p, n, UF_SLOT_LEFT, left);
  set(p, n, UF_SLOT_RIGHT, r);
  if (r && accept_kw(p, KW_ESCAPE)) set(p, n, UF_SLOT_ESCAPE, subexpr(p, PREC_PRED));
  return failed(p) ? NULL : n;
}

/* Normalized text and style of a generic operator: != is <> (style 1),
 * == is = (style 2). */
static uf_node *parse_binary(uf_parser *p, uf_node *left, uint32_t tok, binop op) {
  const uf_token *t = peek(p);
  uf_node *n = mk(p, UF_BINARY, tok);
  if (!n) return NULL;
  if (op == B_AT) {
    advance(p); advance(p);
    n->text = intern(p, "AT TIME ZONE", 12);
  } else if (uf_tok_is_op(p->src, t, "!=")) {
    n->text = intern(p, "<>", 2);
    n->style = 1;
  } else if (uf_tok_is_op(p->src, t, "==")) {
    n->text = intern(p, "=", 1);
    n->style = 2;
  } else {
    n->text = intern(p, tok_src(p, t), t->len);
  }
  advance(p);
  uf_node *r = op == B_CMP ? parse_comparand(p, PREC_CMP) : subexpr(p, PRIORITY[op].right);
  if (!r) return NULL;
  const char *fname = uf_name_map_find(p->d->funcs_in, n->text);
  if (fname) {
    /* an operator that is a function in the AST (PostgreSQL's ~) */
    uf_node *args = mk_items(p, tok);
    push(p, args, left);
    push(p, args, r);
    uf_node *fn = mk_text(p, UF_FUNC, tok, fname, strlen(fname));
    return set(p, fn, UF_SLOT_ARGS, args) ? fn : NULL;
  }
  set(p, n, UF_SLOT_LEFT, left);
  set(p, n, UF_SLOT_RIGHT, r);
  return n;
}

static uf_node *parse_infix(uf_parser *p, uf_node *left, binop op) {
  uint32_t tok = here(p);
  bool neg = at_kw(p, KW_NOT);
  if (neg) advance(p);
  switch (op) {
  case B_OR: case B_AND: {
    advance(p);
    uf_node *r = subexpr(p, PRIORITY[op].right);
    return r ? mk2(p, op == B_OR ? UF_OR : UF_AND, tok, UF_SLOT_LEFT, left, UF_SLOT_RIGHT, r) : NULL;
  }
  case B_IS: return parse_is(p, left, tok);
  case B_ISNULL: case B_NOTNULL: {
    advance(p);
    uf_node *n = mk2(p, UF_IS, tok, UF_SLOT_LEFT, left, UF_SLOT_RIGHT, mk(p, UF_NULL, tok));
    if (n) {
      n->style = op == B_ISNULL ? 1 : 2;
      if (op == B_NOTNULL) n->flags |= UF_F_NOT;
    }
    return n;
  }
  case B_BETWEEN: return parse_between(p, left, tok, neg);
  case B_IN: return parse_in(p, left, tok, neg);
  case B_LIKE: return parse_like(p, left, tok, neg);
  case B_COLLATE: {
    advance(p);
    uf_node *name = is_string_tok(peek(p)) ? parse_string_lit(p) : parse_any_name(p);
    return name ? mk2(p, UF_COLLATE, tok, UF_SLOT_THIS, left, UF_SLOT_NAME, name) : NULL;
  }
  case B_CAST: {
    advance(p);
    uf_node *ty = parse_type(p);
    uf_node *n = ty ? mk2(p, UF_CAST, tok, UF_SLOT_THIS, left, UF_SLOT_TO, ty) : NULL;
    if (n) n->style = 1;
    return n;
  }
  default: return parse_binary(p, left, tok, op);
  }
}

/* ---- expressions ---- */

static uf_node *expr_loop(uf_parser *p, uf_node *left, int limit) {
  while (left && !failed(p)) {
    binop op = binop_at(p);
    if (op == B_NONE || PRIORITY[op].left <= limit) break;
    left = parse_infix(p, left, op);
  }
  return failed(p) ? NULL : left;
}

/* prefix: NOT subexpr(NOT) | ('-' | '+' | '~' | '@') subexpr(UNARY) | primary */
static uf_node *parse_prefix(uf_parser *p) {
  uint32_t tok = here(p);
  if (at_kw(p, KW_NOT)) {
    advance(p);
    uf_node *e = subexpr(p, PREC_NOT);
    return e ? mk2(p, UF_NOT, tok, UF_SLOT_THIS, e, UF_SLOT_THIS, e) : NULL;
  }
  if (at_op(p, "-") || at_op(p, "+") || at_op(p, "~") || at_op(p, "@")) {
    const uf_token *t = peek(p);
    advance(p);
    uf_node *e = subexpr(p, PREC_UNARY);
    uf_node *n = e ? mk_text(p, UF_UNARY, tok, tok_src(p, t), 1) : NULL;
    return n && set(p, n, UF_SLOT_THIS, e) ? n : NULL;
  }
  return parse_primary(p);
}

/* subexpr: prefix {binop subexpr} where binop binds above limit */
static uf_node *subexpr(uf_parser *p, int limit) {
  if (failed(p) || !enter(p)) return NULL;
  uf_node *e = parse_prefix(p);
  e = expr_loop(p, e, limit);
  leave(p);
  return e;
}

uf_node *parse_expr(uf_parser *p) { return subexpr(p, PREC_LOWEST); }

/* expr_list: expr {',' expr} */
uf_node *parse_expr_list(uf_parser *p) {
  uf_node *l = mk_items(p, here(p));
  do {
    if (!push(p, l, parse_expr(p))) return NULL;
  } while (accept_op(p, ","));
  return failed(p) ? NULL : l;
}

/* ---- primaries ---- */

/* CASE [operand] WHEN c THEN r {WHEN ...} [ELSE e] END */
static uf_node *parse_case(uf_parser *p) {
  uf_node *n = mk(p, UF_CASE, here(p));
  advance(p);
  if (!at_kw(p, KW_WHEN) && !set(p, n, UF_SLOT_OPERAND, parse_expr(p))) return NULL;
  uf_node *whens = mk_items(p, here(p));
  while (!failed(p) && at_kw(p, KW_WHEN)) {
    uint32_t wt = here(p);
    advance(p);
    uf_node *c = parse_expr(p);
    if (!c || !expect_kw(p, KW_THEN)) return NULL;
    uf_node *r = parse_expr(p);
    if (!push(p, whens, mk2(p, UF_WHEN, wt, UF_SLOT_COND, c, UF_SLOT_THEN, r))) return NULL;
  }
  if (!failed(p) && whens->nkids == 0) return error_expected(p, "WHEN");
  set(p, n, UF_SLOT_WHENS, whens);
  if (accept_kw(p, KW_ELSE)) set(p, n, UF_SLOT_ELSE, parse_expr(p));
  if (!expect_kw(p, KW_END)) return NULL;
  return failed(p) ? NULL : n;
}

/* CAST '(' expr AS type ')' | TRY_CAST (...) */
static uf_node *parse_cast(uf_parser *p, bool try_) {
  uf_node *n = mk(p, UF_CAST, here(p));
  advance(p);
  if (!n || !expect_op(p, "(")) return NULL;
  uf_node *e = parse_expr(p);
  if (!e || !expect_kw(p, KW_AS)) return NULL;
  uf_node *ty = parse_type(p);
  if (!ty || !expect_op(p, ")")) return NULL;
  set(p, n, UF_SLOT_THIS, e);
  set(p, n, UF_SLOT_TO, ty);
  if (try_) n->flags |= UF_F_TRY;
  return n;
}

static const char *const INTERVAL_UNITS[] = {
    "YEAR", "YEARS", "MONTH", "MONTHS", "DAY", "DAYS", "HOUR", "HOURS",
    "MINUTE", "MINUTES", "SECOND", "SECONDS", "MILLISECOND", "MILLISECONDS",
    "MICROSECOND", "MICROSECONDS", "WEEK", "WEEKS", "QUARTER", "QUARTERS",
    "DECADE", "DECADES", "CENTURY", "CENTURIES", "MILLENNIUM", "MILLENNIA",
    "MILLENNIUMS", NULL};

/* INTERVAL value [unit [TO unit]] where value is a string, number or (expr) */
static uf_node *parse_interval(uf_parser *p) {
  uf_node *n = mk(p, UF_INTERVAL, here(p));
  advance(p);
  uf_node *v = NULL;
  uint32_t vt = here(p);
  if (is_string_tok(peek(p))) v = parse_string_lit(p);
  else if (peek(p)->type == TK_NUMBER) {
    advance(p);
    v = mk_text(p, UF_NUMBER, vt, tok_src(p, &p->toks.tok[vt]), p->toks.tok[vt].len);
  } else if (at_op(p, "(") || at_op(p, "-")) v = subexpr(p, PREC_UNARY);
  else return error_expected(p, "an interval value");
  if (!v || !set(p, n, UF_SLOT_THIS, v)) return NULL;
  if (word_in(p, peek(p), INTERVAL_UNITS)) {
    uint32_t ut = here(p);
    char unit[64];
    snprintf(unit, sizeof unit, "%s", tok_upper(p, peek(p)));
    advance(p);
    if (at_kw(p, KW_TO) && word_in(p, peek_at(p, 1), INTERVAL_UNITS)) {
      advance(p);
      strncat(unit, " TO ", sizeof unit - strlen(unit) - 1);
      strncat(unit, tok_upper(p, peek(p)), sizeof unit - strlen(unit) - 1);
      advance(p);
    }
    set(p, n, UF_SLOT_UNIT, mk_var(p, ut, unit));
  }
  return failed(p) ? NULL : n;
}

/* EXTRACT '(' part FROM expr ')' */
static uf_node *parse_extract(uf_parser *p) {
  uf_node *n = mk(p, UF_EXTRACT, here(p));
  advance(p);
  advance(p); /* ( */
  uf_node *part = is_string_tok(peek(p)) ? parse_string_lit(p) : parse_any_name(p);
  if (!part || !expect_kw(p, KW_FROM)) return NULL;
  uf_node *e = parse_expr(p);
  if (!e || !expect_op(p, ")")) return NULL;
  set(p, n, UF_SLOT_THIS, part);
  set(p, n, UF_SLOT_EXPR, e);
  return n;
}

/* ---- function calls ---- */

/* A lambda starts here: name -> | '(' name {',' name} ')' -> */
static bool lambda_ahead(const uf_parser *p) {
  if (!p->d->has_lambda) return false;
  const uf_token *t = peek(p);
  if ((t->type == TK_WORD || t->type == TK_QIDENT) && at_op_at(p, 1, "->")) return true;
  if (!at_op(p, "(")) return false;
  for (uint32_t k = 1;; k += 2) {
    const uf_token *a = peek_at(p, k);
    if (a->type != TK_WORD && a->type != TK_QIDENT) return false;
    if (at_op_at(p, k + 1, ")")) return at_op_at(p, k + 2, "->");
    if (!at_op_at(p, k + 1, ",")) return false;
  }
}

/* lambda: params -> expr | LAMBDA name {',' name} ':' expr */
static uf_node *parse_lambda(uf_parser *p) {
  uint32_t tok = here(p);
  uf_node *n = mk(p, UF_LAMBDA, tok);
  uf_node *params = mk_items(p, tok);
  bool kw = accept_kw(p, KW_LAMBDA);
  bool paren = !kw && accept_op(p, "(");
  do {
    if (!push(p, params, parse_any_name(p))) return NULL;
  } while (accept_op(p, ","));
  if (paren && !expect_op(p, ")")) return NULL;
  if (!expect_op(p, kw ? ":" : "->")) return NULL;
  uf_node *body = parse_expr(p);
  if (!body) return NULL;
  n->style = kw ? 1 : 0;
  set(p, n, UF_SLOT_PARAMS, params);
  set(p, n, UF_SLOT_BODY, body);
  return n;
}

/* fn_arg: lambda | name (':=' | '=>') expr | expr */
static uf_node *parse_fn_arg(uf_parser *p) {
  if (lambda_ahead(p)) return parse_lambda(p);
  const uf_token *t = peek(p);
  if ((t->type == TK_WORD || t->type == TK_QIDENT) &&
      (at_op_at(p, 1, ":=") || at_op_at(p, 1, "=>"))) {
    uint32_t tok = here(p);
    uf_node *name = parse_any_name(p);
    uint8_t style = at_op(p, "=>") ? 1 : 0;
    advance(p);
    uf_node *v = parse_expr(p);
    uf_node *n = v ? mk2(p, UF_NAMED_ARG, tok, UF_SLOT_NAME, name, UF_SLOT_THIS, v) : NULL;
    if (n) n->style = style;
    return n;
  }
  return parse_expr(p);
}

/* IGNORE NULLS | RESPECT NULLS */
static bool parse_nulls_treatment(uf_parser *p, uf_node *fn, uint8_t style) {
  bool ignore = at_word(p, "IGNORE");
  if (!(ignore || at_kw(p, KW_RESPECT)) || !at_kw_at(p, 1, KW_NULLS)) return false;
  advance(p);
  advance(p);
  fn->flags |= ignore ? UF_F_IGNORE_NULLS : UF_F_RESPECT_NULLS;
  fn->style |= style;
  return true;
}

/* frame_bound: UNBOUNDED (PRECEDING | FOLLOWING) | CURRENT ROW |
 *              expr (PRECEDING | FOLLOWING) */
static uf_node *parse_frame_bound(uf_parser *p) {
  uint32_t tok = here(p);
  uf_node *b = mk(p, UF_FRAME_BOUND, tok);
  if (!b) return NULL;
  if (accept_kw(p, KW_UNBOUNDED)) {
    if (accept_kw(p, KW_PRECEDING)) b->text = intern(p, "UNBOUNDED PRECEDING", 19);
    else if (expect_kw(p, KW_FOLLOWING)) b->text = intern(p, "UNBOUNDED FOLLOWING", 19);
    return failed(p) ? NULL : b;
  }
  if (accept_kw2(p, KW_CURRENT, KW_ROW)) {
    b->text = intern(p, "CURRENT ROW", 11);
    return failed(p) ? NULL : b;
  }
  if (!set(p, b, UF_SLOT_THIS, parse_expr(p))) return NULL;
  if (accept_kw(p, KW_PRECEDING)) b->text = intern(p, "PRECEDING", 9);
  else if (expect_kw(p, KW_FOLLOWING)) b->text = intern(p, "FOLLOWING", 9);
  return failed(p) ? NULL : b;
}

/* frame: (ROWS | RANGE | GROUPS) (BETWEEN bound AND bound | bound)
 *        [EXCLUDE (CURRENT ROW | GROUP | TIES | NO OTHERS)] */
static uf_node *parse_frame(uf_parser *p) {
  uf_node *f = mk(p, UF_FRAME, here(p));
  if (!f) return NULL;
  f->text = tok_upper(p, peek(p));
  advance(p);
  if (accept_kw(p, KW_BETWEEN)) {
    set(p, f, UF_SLOT_START, parse_frame_bound(p));
    if (!expect_kw(p, KW_AND)) return NULL;
    set(p, f, UF_SLOT_END, parse_frame_bound(p));
  } else {
    set(p, f, UF_SLOT_START, parse_frame_bound(p));
  }
  uint32_t et = here(p);
  if (!failed(p) && accept_kw(p, KW_EXCLUDE)) {
    const char *what = NULL;
    if (accept_kw2(p, KW_CURRENT, KW_ROW)) what = "CURRENT ROW";
    else if (accept_kw(p, KW_GROUP)) what = "GROUP";
    else if (accept_kw(p, KW_TIES)) what = "TIES";
    else if (accept_kw2(p, KW_NO, KW_OTHERS)) what = "NO OTHERS";
    else return error_expected(p, "CURRENT ROW, GROUP, TIES or NO OTHERS");
    set(p, f, UF_SLOT_EXTRA, mk_var(p, et, what));
  }
  return failed(p) ? NULL : f;
}

/* window_spec (after '('; the caller consumes ')'):
 *   [name] [PARTITION BY exprs] [ORDER BY items] [frame] */
uf_node *parse_window_spec(uf_parser *p) {
  uf_node *w = mk(p, UF_WINDOW_SPEC, here(p));
  if (!w) return NULL;
  if (at_ident(p) && !at_kw(p, KW_PARTITION) && !at_kw(p, KW_ROWS) &&
      !at_kw(p, KW_RANGE) && !at_kw(p, KW_GROUPS))
    set(p, w, UF_SLOT_NAME, parse_ident(p));
  if (accept_kw2(p, KW_PARTITION, KW_BY)) set(p, w, UF_SLOT_PARTITION, parse_expr_list(p));
  if (!failed(p) && accept_kw2(p, KW_ORDER, KW_BY)) set(p, w, UF_SLOT_ORDER, parse_order_by_list(p));
  if (!failed(p) && (at_kw(p, KW_ROWS) || at_kw(p, KW_RANGE) || at_kw(p, KW_GROUPS)))
    set(p, w, UF_SLOT_FRAME, parse_frame(p));
  return failed(p) ? NULL : w;
}

/* after ')': [IGNORE|RESPECT NULLS] [WITHIN GROUP '(' ORDER BY ... ')']
 *            [FILTER '(' WHERE expr ')'] [OVER (name | '(' window_spec ')')] */
static uf_node *parse_call_suffix(uf_parser *p, uf_node *fn) {
  parse_nulls_treatment(p, fn, 0x10);
  if (at_kw(p, KW_WITHIN) && at_kw_at(p, 1, KW_GROUP)) {
    advance(p); advance(p);
    if (!expect_op(p, "(") || !expect_kw(p, KW_ORDER) || !expect_kw(p, KW_BY)) return NULL;
    set(p, fn, UF_SLOT_WITHIN_GROUP, parse_order_by_list(p));
    if (!expect_op(p, ")")) return NULL;
  }
  if (at_kw(p, KW_FILTER) && at_op_at(p, 1, "(")) {
    advance(p); advance(p);
    accept_kw(p, KW_WHERE); /* DuckDB allows FILTER (cond) */
    set(p, fn, UF_SLOT_FILTER, parse_expr(p));
    if (!expect_op(p, ")")) return NULL;
  }
  if (at_kw(p, KW_OVER)) {
    advance(p);
    if (accept_op(p, "(")) {
      set(p, fn, UF_SLOT_OVER, parse_window_spec(p));
      if (!expect_op(p, ")")) return NULL;
    } else {
      set(p, fn, UF_SLOT_OVER, parse_ident(p));
    }
  }
  return failed(p) ? NULL : fn;
}

/* call_args (after '('): [DISTINCT | ALL] [arg {',' arg}] [ORDER BY items]
 *   [IGNORE|RESPECT NULLS] ')'; `first` is an already parsed first arg. */
static uf_node *parse_call_args(uf_parser *p, uf_node *fn, uf_node *first) {
  uf_node *args = mk_items(p, here(p));
  if (!args) return NULL;
  if (!first) {
    if (accept_kw(p, KW_DISTINCT)) fn->flags |= UF_F_DISTINCT;
    else if (at_kw(p, KW_ALL) && !at_op_at(p, 1, ")")) { advance(p); fn->flags |= UF_F_ALL; }
  }
  if (first) push(p, args, first);
  if (first ? accept_op(p, ",") : !at_op(p, ")") && !at_kw(p, KW_ORDER)) {
    do {
      if (!push(p, args, parse_fn_arg(p))) return NULL;
    } while (accept_op(p, ","));
  }
  set(p, fn, UF_SLOT_ARGS, args);
  if (!failed(p) && accept_kw2(p, KW_ORDER, KW_BY)) set(p, fn, UF_SLOT_ORDER, parse_order_by_list(p));
  if (!failed(p)) parse_nulls_treatment(p, fn, 0);
  if (!expect_op(p, ")")) return NULL;
  return parse_call_suffix(p, fn);
}

/* FUNC node named by token `name` (mapped through funcs_in). */
static uf_node *mk_func(uf_parser *p, uint32_t name) {
  const uf_token *t = &p->toks.tok[name];
  uf_node *fn;
  if (t->type == TK_QIDENT) {
    uf_node *id = ident_from_token(p, name);
    fn = id ? mk_text(p, UF_FUNC, name, id->text, strlen(id->text)) : NULL;
    if (fn) fn->flags |= UF_F_QUOTED;
    return fn;
  }
  char buf[128];
  size_t n = t->len < sizeof buf - 1 ? t->len : sizeof buf - 1;
  memcpy(buf, tok_src(p, t), n);
  buf[n] = '\0';
  const char *m = uf_name_map_find(p->d->funcs_in, buf);
  if (m) return mk_text(p, UF_FUNC, name, m, strlen(m));
  return mk_text(p, UF_FUNC, name, tok_src(p, t), t->len);
}

static uf_node *special_func(uf_parser *p, uint32_t tok, const char *name, uint8_t style) {
  uf_node *fn = mk_text(p, UF_FUNC, tok, name, strlen(name));
  if (fn) fn->style = style;
  return fn;
}

enum { FN_POSITION = 1, FN_SUBSTRING = 2, FN_TRIM = 3, FN_OVERLAY = 4 };

/* POSITION '(' expr IN expr ')' | ordinary call */
static uf_node *parse_position(uf_parser *p, uint32_t tok) {
  uf_node *a = subexpr(p, PREC_PRED);
  if (!a) return NULL;
  if (!accept_kw(p, KW_IN)) return parse_call_args(p, mk_func(p, tok), expr_loop(p, a, PREC_LOWEST));
  uf_node *b = parse_expr(p);
  uf_node *fn = special_func(p, tok, "POSITION", FN_POSITION);
  uf_node *args = mk_items(p, tok);
  push(p, args, a);
  push(p, args, b);
  set(p, fn, UF_SLOT_ARGS, args);
  return expect_op(p, ")") ? fn : NULL;
}

/* SUBSTRING '(' expr [FROM expr] [FOR expr] ')' | ordinary call */
static uf_node *parse_substring(uf_parser *p, uint32_t tok) {
  uf_node *x = parse_expr(p);
  if (!x) return NULL;
  if (!at_kw(p, KW_FROM) && !at_kw(p, KW_FOR)) return parse_call_args(p, mk_func(p, tok), x);
  uf_node *fn = special_func(p, tok, "SUBSTRING", FN_SUBSTRING);
  uf_node *args = mk_items(p, tok);
  push(p, args, x);
  if (accept_kw(p, KW_FROM)) push(p, args, parse_expr(p));
  else push(p, args, mk_text(p, UF_NUMBER, tok, "1", 1));
  if (accept_kw(p, KW_FOR)) push(p, args, parse_expr(p));
  set(p, fn, UF_SLOT_ARGS, args);
  return expect_op(p, ")") ? fn : NULL;
}

/* TRIM '(' [LEADING | TRAILING | BOTH] [chars] FROM expr ')' | ordinary call;
 * the special form is LTRIM/RTRIM/TRIM(x [, chars]) with style FN_TRIM. */
static uf_node *parse_trim(uf_parser *p, uint32_t tok) {
  const char *name = "TRIM";
  bool spec = true;
  if (accept_kw(p, KW_LEADING)) name = "LTRIM";
  else if (accept_kw(p, KW_TRAILING)) name = "RTRIM";
  else if (!accept_kw(p, KW_BOTH)) spec = false;
  uf_node *chars = NULL, *x = NULL;
  if (!accept_kw(p, KW_FROM)) {
    chars = parse_expr(p);
    if (!chars) return NULL;
    if (!spec && !at_kw(p, KW_FROM)) return parse_call_args(p, mk_func(p, tok), chars);
    if (!expect_kw(p, KW_FROM)) return NULL;
  }
  x = parse_expr(p);
  uf_node *fn = special_func(p, tok, name, FN_TRIM);
  uf_node *args = mk_items(p, tok);
  push(p, args, x);
  if (chars) push(p, args, chars);
  set(p, fn, UF_SLOT_ARGS, args);
  return !failed(p) && expect_op(p, ")") ? fn : NULL;
}

/* OVERLAY '(' expr PLACING expr FROM expr [FOR expr] ')' | ordinary call */
static uf_node *parse_overlay(uf_parser *p, uint32_t tok) {
  uf_node *x = parse_expr(p);
  if (!x) return NULL;
  if (!at_kw(p, KW_PLACING)) return parse_call_args(p, mk_func(p, tok), x);
  advance(p);
  uf_node *fn = special_func(p, tok, "OVERLAY", FN_OVERLAY);
  uf_node *args = mk_items(p, tok);
  push(p, args, x);
  push(p, args, parse_expr(p));
  if (!expect_kw(p, KW_FROM)) return NULL;
  push(p, args, parse_expr(p));
  if (accept_kw(p, KW_FOR)) push(p, args, parse_expr(p));
  set(p, fn, UF_SLOT_ARGS, args);
  return !failed(p) && expect_op(p, ")") ? fn : NULL;
}

/* call: name '(' call_args, dispatching the special syntaxes; the current
 * token is the '('. */
static uf_node *parse_call(uf_parser *p, uint32_t name, bool qualified) {
  advance(p); /* ( */
  const uf_token *t = &p->toks.tok[name];
  if (!qualified && t->type == TK_WORD) {
    if (word_is(p, t, "POSITION")) return parse_position(p, name);
    if (word_is(p, t, "SUBSTRING")) return parse_substring(p, name);
    if (word_is(p, t, "TRIM")) return parse_trim(p, name);
    if (word_is(p, t, "OVERLAY")) return parse_overlay(p, name);
  }
  if (at_op(p, "*") && at_op_at(p, 1, ")")) {
    /* count(*) */
    uf_node *fn = mk_func(p, name);
    uf_node *args = mk_items(p, here(p));
    push(p, args, mk(p, UF_STAR, here(p)));
    advance(p);
    advance(p);
    set(p, fn, UF_SLOT_ARGS, args);
    return failed(p) ? NULL : parse_call_suffix(p, fn);
  }
  return parse_call_args(p, mk_func(p, name), NULL);
}

/* ---- names ---- */

#define MAX_PARTS 64

/* COLUMN from name tokens parts[0..n): up to four parts fill
 * catalog.db.table.this; more become DOT field accesses. */
static uf_node *column_from(uf_parser *p, const uint32_t *parts, uint32_t n) {
  uint32_t base = n < 4 ? n : 4;
  uf_node *c = mk(p, UF_COLUMN, parts[0]);
  static const uf_slot SLOTS[4] = {UF_SLOT_CATALOG, UF_SLOT_DB, UF_SLOT_TABLE, UF_SLOT_THIS};
  for (uint32_t i = 0; i < base; i++)
    set(p, c, SLOTS[4 - base + i], ident_from_token(p, parts[i]));
  for (uint32_t i = base; i < n && c; i++)
    c = mk2(p, UF_DOT, parts[i], UF_SLOT_THIS, c, UF_SLOT_NAME, ident_from_token(p, parts[i]));
  return failed(p) ? NULL : c;
}

/* Parenthesized list of names/columns for EXCLUDE / RENAME targets. */
static uf_node *parse_star_column(uf_parser *p) {
  uint32_t parts[MAX_PARTS];
  uint32_t n = 0;
  do {
    const uf_token *t = peek(p);
    if (t->type != TK_QIDENT && !(t->type == TK_WORD && (n || at_ident(p))))
      return error_expected(p, "a column name");
    if (n == MAX_PARTS) return error_at(p, t, "name has too many parts");
    parts[n++] = here(p);
    advance(p);
  } while (accept_op(p, "."));
  return column_from(p, parts, n);
}

/* star_item: column | expr AS name (REPLACE) | column AS name (RENAME) */
static uf_node *parse_star_items(uf_parser *p, bool with_alias, bool expr_first) {
  bool paren = accept_op(p, "(");
  uf_node *l = mk_items(p, here(p));
  do {
    uint32_t tok = here(p);
    uf_node *e = expr_first ? parse_expr(p) : parse_star_column(p);
    if (with_alias) {
      if (!e || !expect_kw(p, KW_AS)) return NULL;
      e = mk2(p, UF_ALIAS, tok, UF_SLOT_THIS, e, UF_SLOT_ALIAS, parse_any_name(p));
    }
    if (!push(p, l, e)) return NULL;
  } while (paren && accept_op(p, ","));
  if (paren && !expect_op(p, ")")) return NULL;
  if (l && !paren) l->style = 1;
  return failed(p) ? NULL : l;
}

/* star: [qualifier '.'] '*' [EXCLUDE items] [REPLACE items] [RENAME items] */
static uf_node *parse_star_mods(uf_parser *p, uf_node *star) {
  if (accept_kw(p, KW_EXCLUDE)) set(p, star, UF_SLOT_EXCLUDE, parse_star_items(p, false, false));
  if (!failed(p) && at_kw(p, KW_REPLACE) && at_op_at(p, 1, "(")) {
    advance(p);
    set(p, star, UF_SLOT_REPLACE, parse_star_items(p, true, true));
  }
  if (!failed(p) && at_kw(p, KW_RENAME) && at_op_at(p, 1, "(")) {
    advance(p);
    set(p, star, UF_SLOT_RENAME, parse_star_items(p, true, false));
  }
  return failed(p) ? NULL : star;
}

/* COLUMNS '(' (string | * | lambda | expr) ')' ; with '*' before: *COLUMNS */
static uf_node *parse_columns_expr(uf_parser *p, uint32_t tok, bool unpack) {
  uf_node *n = mk(p, UF_COLUMNS_EXPR, tok);
  advance(p); /* COLUMNS */
  advance(p); /* ( */
  if (n && unpack) n->flags |= UF_F_ALL;
  uf_node *arg = parse_fn_arg(p);
  if (!arg || !expect_op(p, ")")) return NULL;
  set(p, n, UF_SLOT_THIS, arg);
  return n;
}

static const char *const VAR_WORDS[] = {
    "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER",
    "SESSION_USER", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_CATALOG",
    "CURRENT_ROLE", NULL};

static const char *const TYPED_LITERALS[] = {
    "DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMETZ", "DATETIME",
    "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "JSON", "UUID", "BLOB",
    "BYTEA", "DECIMAL", "NUMERIC", "INTEGER", "INT", "BIGINT", "SMALLINT",
    "TINYINT", "HUGEINT", "VARCHAR", "TEXT", "BOOLEAN", "BOOL", "DOUBLE",
    "FLOAT", "REAL", "INET", NULL};

/* name_expr: name {'.' name} ['(' call | '.' '*' star] */
static uf_node *parse_name_expr(uf_parser *p) {
  uint32_t parts[MAX_PARTS];
  uint32_t n = 0;
  parts[n++] = here(p);
  advance(p);
  while (at_op(p, ".")) {
    const uf_token *nt = peek_at(p, 1);
    if (nt->type == TK_OP && uf_tok_is_op(p->src, nt, "*")) {
      advance(p);
      uint32_t st = here(p);
      advance(p);
      uf_node *star = mk(p, UF_STAR, st);
      set(p, star, UF_SLOT_QUALIFIER, column_from(p, parts, n));
      return parse_star_mods(p, star);
    }
    if (nt->type != TK_WORD && nt->type != TK_QIDENT) break;
    if (n == MAX_PARTS) return error_at(p, nt, "name has too many parts");
    advance(p);
    parts[n++] = here(p);
    advance(p);
  }
  if (at_op(p, "(")) {
    uint32_t name = parts[n - 1];
    uf_node *fn = parse_call(p, name, n > 1);
    if (!fn || n == 1) return fn;
    if (n == 2) return set(p, fn, UF_SLOT_DB, ident_from_token(p, parts[0])) ? fn : NULL;
    return mk2(p, UF_DOT, parts[0], UF_SLOT_THIS, column_from(p, parts, n - 1), UF_SLOT_NAME, fn);
  }
  const uf_token *t0 = &p->toks.tok[parts[0]];
  if (n == 1 && kw_class(t0) == KWC_T)
    return error_at(p, t0, "unexpected '%.*s', expected an expression", (int)t0->len, tok_src(p, t0));
  return column_from(p, parts, n);
}

/* struct: '{' [key ':' expr {',' key ':' expr}] '}' ; map: MAP '{' ... '}' */
static uf_node *parse_braces(uf_parser *p, uf_kind kind) {
  uf_node *n = mk(p, kind, here(p));
  if (kind == UF_MAP) advance(p);
  advance(p); /* { */
  uf_node *args = mk_items(p, here(p));
  if (!at_op(p, "}")) {
    do {
      uint32_t kt = here(p);
      uf_node *key;
      if (kind == UF_MAP) key = subexpr(p, PREC_LOWEST);
      else if (is_string_tok(peek(p))) key = parse_string_lit(p);
      else key = parse_any_name(p);
      if (!key || !expect_op(p, ":")) return NULL;
      uf_node *v = parse_expr(p);
      if (!push(p, args, mk2(p, UF_PROP, kt, UF_SLOT_KEY, key, UF_SLOT_VALUE, v))) return NULL;
    } while (accept_op(p, ","));
  }
  if (!expect_op(p, "}")) return NULL;
  set(p, n, UF_SLOT_ARGS, args);
  return failed(p) ? NULL : n;
}

/* list: '[' [expr {',' expr}] ']' (ARRAY '[' ... ']' with style 1) */
static uf_node *parse_brackets(uf_parser *p, uint32_t tok, uint8_t style) {
  uf_node *n = mk(p, UF_ARRAY, tok);
  advance(p); /* [ */
  uf_node *args = at_op(p, "]") ? mk_items(p, here(p)) : parse_expr_list(p);
  if (!args || !expect_op(p, "]")) return NULL;
  set(p, n, UF_SLOT_ARGS, args);
  n->style = style;
  return n;
}

/* paren: '(' query ')' | '(' expr ')' | '(' expr ',' expr {',' expr} ')' */
static uf_node *parse_paren(uf_parser *p) {
  uint32_t tok = here(p);
  advance(p);
  if (subquery_ahead(p)) {
    uf_node *q = finish_subquery(p);
    return q ? mk2(p, UF_SUBQUERY, tok, UF_SLOT_THIS, q, UF_SLOT_THIS, q) : NULL;
  }
  uf_node *e = parse_expr(p);
  if (!e) return NULL;
  if (at_op(p, ",")) {
    uf_node *l = mk_items(p, tok);
    push(p, l, e);
    while (accept_op(p, ",")) push(p, l, parse_expr(p));
    if (!expect_op(p, ")")) return NULL;
    return mk2(p, UF_TUPLE, tok, UF_SLOT_ARGS, l, UF_SLOT_ARGS, l);
  }
  if (!expect_op(p, ")")) return NULL;
  return mk2(p, UF_PAREN, tok, UF_SLOT_THIS, e, UF_SLOT_THIS, e);
}

/* Keyword-led primaries; NULL with no error when the keyword is not one. */
static uf_node *parse_keyword_primary(uf_parser *p, bool *handled) {
  uint32_t tok = here(p);
  const uf_token *t = peek(p);
  bool call = at_op_at(p, 1, "(");
  *handled = true;
  switch (t->kw) {
  case KW_NULL: advance(p); return mk(p, UF_NULL, tok);
  case KW_TRUE: advance(p); return mk_text(p, UF_BOOLEAN, tok, "TRUE", 4);
  case KW_FALSE: advance(p); return mk_text(p, UF_BOOLEAN, tok, "FALSE", 5);
  case KW_CASE: return parse_case(p);
  case KW_CAST: return parse_cast(p, false);
  case KW_TRY_CAST: return parse_cast(p, true);
  case KW_LAMBDA: return parse_lambda(p);
  case KW_DEFAULT: advance(p); return mk(p, UF_DEFAULT, tok);
  case KW_EXISTS:
    if (!call) break;
    advance(p); advance(p);
    { uf_node *q = finish_subquery(p); return q ? mk2(p, UF_EXISTS, tok, UF_SLOT_THIS, q, UF_SLOT_THIS, q) : NULL; }
  case KW_INTERVAL: {
    const uf_token *n = peek_at(p, 1);
    if (is_string_tok(n) || n->type == TK_NUMBER || call ||
        uf_tok_is_op(p->src, n, "-"))
      return parse_interval(p);
    break;
  }
  case KW_EXTRACT:
    if (call && at_kw_at(p, 3, KW_FROM)) return parse_extract(p);
    break;
  case KW_ROW:
    if (!call) break;
    advance(p); advance(p);
    {
      uf_node *l = at_op(p, ")") ? mk_items(p, here(p)) : parse_expr_list(p);
      if (!l || !expect_op(p, ")")) return NULL;
      uf_node *n = mk2(p, UF_TUPLE, tok, UF_SLOT_ARGS, l, UF_SLOT_ARGS, l);
      if (n) n->style = 1;
      return n;
    }
  case KW_ARRAY:
    advance(p);
    if (at_op(p, "[")) return parse_brackets(p, tok, 1);
    if (at_op(p, "(") && (at_kw_at(p, 1, KW_SELECT) || at_kw_at(p, 1, KW_WITH) ||
                          at_kw_at(p, 1, KW_VALUES) || at_kw_at(p, 1, KW_FROM))) {
      advance(p);
      return mk2(p, UF_ARRAY, tok, UF_SLOT_QUERY, finish_subquery(p), UF_SLOT_ARGS, NULL);
    }
    if (at_op(p, "(")) return parse_call(p, tok, false);
    return error_expected(p, "'[' or '(' after ARRAY");
  case KW_MAP:
    if (at_op_at(p, 1, "{")) return parse_braces(p, UF_MAP);
    break;
  case KW_COLUMNS:
    if (call) return parse_columns_expr(p, tok, false);
    break;
  default: break;
  }
  *handled = false;
  return NULL;
}

/* Literals and parameters; NULL with *handled false for other tokens. */
static uf_node *parse_literal(uf_parser *p, bool *handled) {
  uint32_t tok = here(p);
  const uf_token *t = peek(p);
  const char *s = tok_src(p, t);
  *handled = true;
  switch (t->type) {
  case TK_NUMBER: advance(p); return mk_text(p, UF_NUMBER, tok, s, t->len);
  case TK_STRING: case TK_ESTRING: case TK_NSTRING: case TK_DOLLAR:
    return parse_string_lit(p);
  case TK_BITSTR: advance(p); return mk_text(p, UF_BIT_STRING, tok, s + 2, t->len - 3);
  case TK_HEXSTR: advance(p); return mk_text(p, UF_HEX_STRING, tok, s + 2, t->len - 3);
  case TK_PARAM: {
    advance(p);
    uf_node *n = mk_text(p, UF_PARAM, tok, s + 1, t->len - 1);
    if (n && s[0] == '?' && t->len > 1) n->style = 1;
    return n;
  }
  default: *handled = false; return NULL;
  }
}

/* A word primary: typed literal, bare keyword value, call or name. */
static uf_node *parse_word_primary(uf_parser *p) {
  uint32_t tok = here(p);
  const uf_token *t = peek(p);
  const uf_token *n = peek_at(p, 1);
  if (t->type == TK_WORD && is_string_tok(n) && word_in(p, t, TYPED_LITERALS)) {
    uf_node *c = mk(p, UF_CAST, tok);
    uf_node *ty = type_with_name(p, tok, tok_upper(p, t));
    advance(p);
    if (!c || !set(p, c, UF_SLOT_TO, ty) || !set(p, c, UF_SLOT_THIS, parse_string_lit(p))) return NULL;
    c->style = 2;
    return failed(p) ? NULL : c;
  }
  if (t->type == TK_WORD && word_in(p, t, VAR_WORDS) && !uf_tok_is_op(p->src, n, "(") &&
      !uf_tok_is_op(p->src, n, ".")) {
    advance(p);
    return mk_var(p, tok, tok_upper(p, t));
  }
  if (kw_class(t) == KWC_R) return error_expected(p, "an expression");
  return parse_name_expr(p);
}

/* Postfix: {'[' index | slice ']' | '.' name ['(' call]} */
static uf_node *parse_postfix(uf_parser *p, uf_node *e) {
  while (e && !failed(p)) {
    uint32_t tok = here(p);
    if (accept_op(p, "[")) {
      uf_node *lo = NULL, *hi = NULL, *step = NULL;
      if (!at_op(p, ":") && !at_op(p, "::")) lo = parse_expr(p);
      if (!failed(p) && accept_op(p, "]")) {
        e = mk2(p, UF_SUBSCRIPT, tok, UF_SLOT_THIS, e, UF_SLOT_INDEX, lo);
        continue;
      }
      if (accept_op(p, "::")) {
        if (!at_op(p, "]")) step = parse_expr(p);
      } else {
        if (!expect_op(p, ":")) return NULL;
        if (!at_op(p, ":") && !at_op(p, "]")) hi = parse_expr(p);
        if (accept_op(p, ":") && !at_op(p, "]")) step = parse_expr(p);
      }
      if (!expect_op(p, "]")) return NULL;
      uf_node *s = mk(p, UF_SLICE, tok);
      set(p, s, UF_SLOT_THIS, e);
      set(p, s, UF_SLOT_LOW, lo);
      set(p, s, UF_SLOT_HIGH, hi);
      set(p, s, UF_SLOT_STEP, step);
      e = s;
    } else if (e->kind != UF_NUMBER && at_op(p, ".") &&
               (peek_at(p, 1)->type == TK_WORD ||
                                 peek_at(p, 1)->type == TK_QIDENT)) {
      advance(p);
      uint32_t nt = here(p);
      advance(p);
      uf_node *name = at_op(p, "(") ? parse_call(p, nt, true) : ident_from_token(p, nt);
      e = mk2(p, UF_DOT, tok, UF_SLOT_THIS, e, UF_SLOT_NAME, name);
    } else {
      break;
    }
  }
  return failed(p) ? NULL : e;
}

/* primary: literal | keyword form | name | '(' ... ')' | '[' ... ']' |
 *          '{' ... '}' | '*' star | then postfix */
static uf_node *parse_primary(uf_parser *p) {
  uint32_t tok = here(p);
  const uf_token *t = peek(p);
  bool handled = false;
  uf_node *e = NULL;
  if (t->type == TK_WORD && t->kw) e = parse_keyword_primary(p, &handled);
  if (!handled) e = parse_literal(p, &handled);
  if (!handled) {
    handled = true;
    if (t->type == TK_WORD || t->type == TK_QIDENT) e = parse_word_primary(p);
    else if (at_op(p, "(")) e = parse_paren(p);
    else if (at_op(p, "[")) e = parse_brackets(p, tok, 0);
    else if (at_op(p, "{")) e = parse_braces(p, UF_STRUCT);
    else if (at_op(p, "*")) {
      advance(p);
      if (at_kw(p, KW_COLUMNS) && at_op_at(p, 1, "(")) e = parse_columns_expr(p, here(p), true);
      else e = parse_star_mods(p, mk(p, UF_STAR, tok));
      return e; /* a star takes no postfix */
    } else {
      return error_expected(p, "an expression");
    }
  }
  return parse_postfix(p, e);
}

/* ---- select items ---- */

/* select_item: name ':' expr | expr [[AS] alias] where alias is any word,
 * a quoted name or a string after AS, and an unreserved word without AS. */
uf_node *parse_select_item(uf_parser *p) {
  uint32_t tok = here(p);
  const uf_token *t = peek(p);
  if ((t->type == TK_QIDENT || (t->type == TK_WORD && kw_class(t) != KWC_R)) &&
      at_op_at(p, 1, ":")) {
    uf_node *alias = parse_any_name(p);
    advance(p);
    uf_node *e = parse_expr(p);
    uf_node *a = e ? mk2(p, UF_ALIAS, tok, UF_SLOT_THIS, e, UF_SLOT_ALIAS, alias) : NULL;
    if (a) a->style = 2;
    return a;
  }
  uf_node *e = parse_expr(p);
  return e ? parse_alias_tail(p, e, tok, true) : NULL;
}

/* alias_tail: [AS] name | AS string | AS '(' names ')'  (the bare form only
 * when `implicit`); returns e itself when no alias follows */
uf_node *parse_alias_tail(uf_parser *p, uf_node *e, uint32_t tok, bool implicit) {
  uf_node *alias = NULL;
  uint8_t style = 0;
  if (accept_kw(p, KW_AS)) {
    const uf_token *at = peek(p);
    if (at->type == TK_STRING) {
      uint32_t st = here(p);
      uf_node *s = parse_string_lit(p);
      alias = s ? mk_text(p, UF_IDENT, st, s->text, strlen(s->text)) : NULL;
      mark_quoted(p, alias);
    } else if (at_op(p, "(")) {
      advance(p);
      alias = mk_items(p, here(p));
      do {
        push(p, alias, parse_any_name(p));
      } while (accept_op(p, ","));
      if (!expect_op(p, ")")) return NULL;
    } else {
      alias = parse_any_name(p);
    }
  } else if (implicit) {
    const uf_token *at = peek(p);
    uf_kw_class c = kw_class(at);
    if (at->type == TK_QIDENT || (at->type == TK_WORD && (c == KWC_NONE || c == KWC_U))) {
      alias = parse_any_name(p);
      style = 1;
    }
  }
  if (failed(p)) return NULL;
  if (!alias) return e;
  uf_node *a = mk2(p, UF_ALIAS, tok, UF_SLOT_THIS, e, UF_SLOT_ALIAS, alias);
  if (a) a->style = style;
  return a;
}
