/*
 * Generator entry point, layout primitives and dispatch.
 */
#include <stdlib.h>
#include <string.h>

#include "sql/gen.h"
#include "sql/tokenizer.h"

#define GEN_MAX_DEPTH (UF_MAX_DEPTH * 4)

/* Bytes that may lex together with a neighbour: operator and comment
 * characters, and quotes (two literals written adjacent would merge). */
static const bool GLUE[256] = {
    ['+'] = 1, ['-'] = 1, ['*'] = 1, ['/'] = 1, ['%'] = 1, ['<'] = 1, ['>'] = 1,
    ['='] = 1, ['!'] = 1, ['|'] = 1, ['&'] = 1, ['^'] = 1, ['~'] = 1, ['#'] = 1,
    ['@'] = 1, [':'] = 1, ['.'] = 1, ['\''] = 1, ['"'] = 1, ['`'] = 1};

/* Appends with the capacity check inline: the generator appends a few
 * bytes at a time, and the call into sbuf was a good part of its cost.
 * The slow path (growth, sticky out-of-memory) stays sbuf's. */
static inline void out_add(uf_gen *g, const char *s, size_t n) {
  uf_sbuf *b = &g->out;
  if (b->len + n < b->cap && !b->oom) {
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
  } else {
    uf_sbuf_add(b, s, n);
  }
}

static inline void out_addc(uf_gen *g, char c) {
  uf_sbuf *b = &g->out;
  if (b->len + 1 < b->cap && !b->oom) {
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
  } else {
    uf_sbuf_addc(b, c);
  }
}

static void newline_indent(uf_gen *g) {
  g->pending = 0; /* the line break is the separator a comment owed */
  g->pending_hard = false;
  out_addc(g, '\n');
  uint32_t w = (g->o->indent ? g->o->indent : 2) * g->level;
  for (uint32_t i = 0; i < w; i++) out_addc(g, ' ');
}

static void flush_pending(uf_gen *g) {
  char c = g->pending;
  g->pending = 0;
  g->pending_hard = false;
  if (c == '\n' && g->o->pretty) newline_indent(g);
  else out_addc(g, c);
}

/* Before a new piece of text starting with byte c: the separator a comment
 * owes, then a space if c would fuse with the last byte written. */
static inline void begin(uf_gen *g, char c) {
  if (g->pending) flush_pending(g);
  g->stmt_start = false;
  unsigned char b = (unsigned char)c;
  if (!g->out.len || !GLUE[b]) return;
  unsigned char a = (unsigned char)g->out.data[g->out.len - 1];
  if (!GLUE[a]) return;
  bool quote = b == '\'' || b == '"' || b == '`';
  if (quote ? a == b : uf_tok_glues((char)a, c)) out_addc(g, ' ');
}

void gen_rawn(uf_gen *g, const char *s, size_t n) {
  if (!n) return;
  begin(g, s[0]);
  out_add(g, s, n);
}
void gen_char(uf_gen *g, char c) {
  begin(g, c);
  out_addc(g, c);
}
void gen_verbatim(uf_gen *g, const char *s, size_t n) {
  if (g->pending) flush_pending(g);
  out_add(g, s, n);
}
/* A comment's pending separator already separates. */
void gen_space(uf_gen *g) {
  if (!g->pending) out_addc(g, ' ');
}

void gen_kw_lower_(uf_gen *g, const char *kw) {
  size_t n = strlen(kw);
  if (!n) return;
  begin(g, kw[0]);
  if (!uf_sbuf_reserve(&g->out, n)) return;
  for (size_t i = 0; i < n; i++) {
    char c = kw[i];
    g->out.data[g->out.len++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  g->out.data[g->out.len] = '\0';
}

void gen_sep(uf_gen *g) {
  if (g->o->pretty) newline_indent(g);
  else gen_space(g);
}

void gen_newline(uf_gen *g) {
  if (g->o->pretty) newline_indent(g);
}

void gen_indent(uf_gen *g) { g->level++; }
void gen_dedent(uf_gen *g) { if (g->level) g->level--; }

void gen_list(uf_gen *g, const uf_node *list, const char *sep, bool break_lines) {
  if (!list) return;
  if (list->kind != UF_LIST && list->kind != UF_SCRIPT) { gen_node(g, list); return; }
  bool lines = break_lines && g->o->pretty;
  for (uint32_t i = 0; i < list->nkids && !gen_failed(g); i++) {
    if (i) {
      if (lines) {
        /* trim the separator's trailing space before the line break */
        size_t n = strlen(sep);
        while (n && sep[n - 1] == ' ') n--;
        gen_rawn(g, sep, n);
        newline_indent(g);
      } else {
        gen_raw(g, sep);
      }
    }
    gen_node(g, list->kids[i]);
  }
}

/* The body is written in runs between doubled quotes: one sbuf call per
 * run, not per byte. */
static void gen_quoted_body(uf_gen *g, const char *s, char qc, char esc) {
  const char *run = s;
  for (const char *c = s; *c; c++) {
    if (*c != qc && !(esc && *c == esc)) continue;
    gen_verbatim(g, run, (size_t)(c - run) + 1);
    gen_verbatim(g, c, 1); /* the doubling */
    run = c + 1;
  }
  gen_verbatim(g, run, strlen(run));
  gen_verbatim(g, &qc, 1);
}

static void gen_quoted(uf_gen *g, const char *s) {
  char qc = g->d->ident_quote;
  gen_char(g, qc);
  gen_quoted_body(g, s, qc, 0);
}

void gen_ident(uf_gen *g, const char *s, bool quoted) {
  bool q = quoted || g->o->identify == UF_IDENTIFY_ALWAYS ||
           uf_dialect_ident_needs_quotes(g->d, s);
  if (!q) gen_raw(g, s);
  else gen_quoted(g, s);
}

/* An unquoted identifier that must be written quoted is written in its
 * folded case, so that quoting does not make it case-significant. */
void gen_ident_as(uf_gen *g, const char *s, bool case_significant, bool quote) {
  if (!quote) { gen_raw(g, s); return; }
  if (case_significant || uf_dialect_is_folded(g->d, s)) { gen_quoted(g, s); return; }
  size_t n = strlen(s);
  char small[128];
  char *buf = n < sizeof small ? small : malloc(n + 1);
  if (!buf) { g->st = UF_NOMEM; uf_error_set(g->err, UF_NOMEM, "out of memory"); return; }
  uf_dialect_fold(g->d, s, buf);
  gen_quoted(g, buf);
  if (buf != small) free(buf);
}

/* Strings are always written in the standard form with doubled quotes;
 * control characters that standard strings cannot hold visibly stay as
 * they are (SQL strings may contain raw newlines). In dialects where
 * backslash escapes strings, backslashes are doubled. */
void gen_string(uf_gen *g, const char *value) {
  gen_char(g, '\'');
  gen_quoted_body(g, value, '\'', g->d->backslash_strings ? '\\' : 0);
}

void gen_unsupported(uf_gen *g, const char *construct) {
  if (gen_failed(g)) return;
  g->st = UF_UNSUPPORTED;
  uf_error_set(g->err, UF_UNSUPPORTED, "%s cannot be written in the %s dialect",
               construct, g->d->name);
}

void gen_malformed(uf_gen *g, const uf_node *n, const char *why) {
  if (gen_failed(g)) return;
  g->st = UF_INVALID_ARGUMENT;
  uf_error_set(g->err, UF_INVALID_ARGUMENT, "malformed %s node: %s",
               uf_kind_name((uf_kind)n->kind), why);
}

/* Comments. The tokenizer strips the markers, so a comment is written
 * back in a form that re-lexes to the same body: a block comment only if
 * its body nests properly (a line comment holding slash-star, star-slash,
 * or ending in '/' would open or close one), a line comment only if its
 * body has no line break. */

/* "/" "*" body "*" "/" lexes as one block comment with exactly this body. */
static bool block_form_ok(const char *s) {
  size_t n = strlen(s);
  int depth = 1;
  for (size_t i = 0; i < n + 2;) {
    char c = i < n ? s[i] : "*/"[i - n];
    char d = i + 1 < n ? s[i + 1] : i + 1 < n + 2 ? "*/"[i + 1 - n] : '\0';
    if (c == '*' && d == '/') {
      if (--depth == 0) return i + 2 == n + 2;
      i += 2;
    } else if (c == '/' && d == '*') {
      depth++;
      i += 2;
    } else {
      i++;
    }
  }
  return false;
}

static bool line_form_ok(const char *s) {
  size_t n = strlen(s);
  return !strchr(s, '\n') && !(n && s[n - 1] == '\r');
}

/* One comment; `own_line` (pretty, before a statement) keeps a line
 * comment a line comment. Block form otherwise keeps compact output on
 * one line. What follows is owed as g->pending. */
static void gen_comment(uf_gen *g, const uf_comment *c, bool own_line) {
  bool start = g->stmt_start;
  bool block_ok = block_form_ok(c->text);
  bool line = !block_ok || (!c->block && own_line);
  if (line && !line_form_ok(c->text)) {
    if (!block_ok) {
      if (!gen_failed(g)) {
        g->st = UF_INVALID_ARGUMENT;
        uf_error_set(g->err, UF_INVALID_ARGUMENT,
                     "comment that can be written neither as a line nor as a block comment");
      }
      return;
    }
    line = false;
  }
  gen_raw(g, line ? "--" : "/*");
  g->stmt_start = start; /* a comment is not the statement's text */
  gen_verbatim(g, c->text, strlen(c->text));
  if (line) {
    /* the line break ends the comment: owed even at the end of the output,
     * or a ';' written after it would join the comment */
    g->pending = '\n';
    g->pending_hard = true;
    return;
  }
  gen_verbatim(g, "*/", 2);
  g->pending = own_line ? '\n' : ' ';
}

/* In pretty mode, comments before a statement's first text stand on their
 * own lines, whichever node holds them (a node made at a later token holds
 * the comments before that token but is written from its first child). */
static void leading_comments(uf_gen *g, const uf_node *n) {
  for (const uf_comment *c = n->comments; c; c = c->next)
    if (!c->trailing) gen_comment(g, c, g->o->pretty && g->stmt_start);
}

void gen_leading_comments(uf_gen *g, const uf_node *n) {
  if (!g->o->strip_comments) leading_comments(g, n);
}

static void gen_trailing_comments(uf_gen *g, const uf_node *n) {
  for (const uf_comment *c = n->comments; c; c = c->next) {
    if (!c->trailing) continue;
    /* nothing of the statement written yet (an empty script): the comment
     * reads back as a leading one, so it is written as one */
    if (g->o->pretty && g->stmt_start) {
      gen_comment(g, c, true);
      continue;
    }
    if (!g->pending && g->out.len) gen_space(g);
    gen_comment(g, c, false);
    /* nothing of this node follows: a block comment owes no space */
    if (g->pending == ' ') g->pending = 0;
  }
}

static void gen_script(uf_gen *g, const uf_node *n) {
  for (uint32_t i = 0; i < n->nkids && !gen_failed(g); i++) {
    if (i) gen_raw(g, g->o->pretty ? ";\n\n" : ";\n");
    g->stmt_start = true;
    gen_node(g, n->kids[i]);
  }
}

void gen_at(uf_gen *g, const uf_node *n, int follow) {
  g->follow_next = follow;
  gen_node(g, n);
}

void gen_node(uf_gen *g, const uf_node *n) {
  int follow = g->follow_next;
  g->follow_next = GEN_FOLLOW_NONE;
  if (!n || gen_failed(g)) return;
  if (++g->depth > GEN_MAX_DEPTH) {
    g->st = UF_LIMIT_EXCEEDED;
    uf_error_set(g->err, UF_LIMIT_EXCEEDED, "tree deeper than %d levels",
                 GEN_MAX_DEPTH);
    g->depth--;
    return;
  }
  int saved_follow = g->follow;
  g->follow = follow;
  bool comments = !g->o->strip_comments && n->comments;
  if (comments) leading_comments(g, n);
  if (n->kind == UF_SCRIPT) gen_script(g, n);
  else if (n->kind == UF_LIST) gen_list(g, n, ", ", false);
  else if (!gen_expr_node(g, n) && !gen_query_node(g, n) && !gen_stmt_node(g, n)) {
    if (!gen_failed(g)) {
      g->st = UF_UNSUPPORTED;
      uf_error_set(g->err, UF_UNSUPPORTED, "no generator for node kind %s",
                   uf_kind_name((uf_kind)n->kind));
    }
  }
  if (comments) gen_trailing_comments(g, n);
  g->follow = saved_follow;
  g->depth--;
}

uf_status uf_generate(const uf_node *n, const uf_gen_options *opts,
                      char **out_sql, size_t *out_len, uf_error *err) {
  if (out_sql) *out_sql = NULL;
  if (out_len) *out_len = 0;
  if (!n || !out_sql)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_generate: NULL argument");
  uf_gen_options def;
  memset(&def, 0, sizeof def);
  if (!opts) opts = &def;
  uf_gen g;
  memset(&g, 0, sizeof g);
  uf_sbuf_init(&g.out);
  g.o = opts;
  g.d = opts->dialect ? opts->dialect : uf_dialect_duckdb();
  g.err = err;
  g.follow = g.follow_next = GEN_FOLLOW_NONE;
  g.stmt_start = true;
  uf_error_clear(err);
  gen_node(&g, n);
  if (g.pending_hard) flush_pending(&g);
  if (g.st == UF_OK && g.out.oom) {
    g.st = UF_NOMEM;
    uf_error_set(err, UF_NOMEM, "out of memory");
  }
  if (g.st != UF_OK) {
    uf_sbuf_free(&g.out);
    return g.st;
  }
  char *s = uf_sbuf_take(&g.out, out_len);
  if (!s) return uf_error_set(err, UF_NOMEM, "out of memory");
  *out_sql = s;
  return UF_OK;
}
