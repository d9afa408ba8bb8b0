/*
 * Parser entry points and the token/node helpers every grammar file uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/parser.h"

/* ---- tokens ---- */

bool accept_kw(uf_parser *p, uf_keyword kw) {
  if (!at_kw(p, kw)) return false;
  advance(p);
  return true;
}

bool accept_kw2(uf_parser *p, uf_keyword a, uf_keyword b) {
  if (!at_kw(p, a) || !at_kw_at(p, 1, b)) return false;
  advance(p);
  advance(p);
  return true;
}

bool expect_kw(uf_parser *p, uf_keyword kw) {
  if (accept_kw(p, kw)) return true;
  if (!failed(p)) error_expected(p, uf_keyword_text(kw));
  return false;
}

bool accept_op(uf_parser *p, const char *op) {
  if (!at_op(p, op)) return false;
  advance(p);
  return true;
}

bool expect_op(uf_parser *p, const char *op) {
  if (accept_op(p, op)) return true;
  if (!failed(p)) {
    char what[16];
    snprintf(what, sizeof what, "'%s'", op);
    error_expected(p, what);
  }
  return false;
}

bool at_word(const uf_parser *p, const char *w) { return tok_word_is(p, peek(p), w); }

bool accept_word(uf_parser *p, const char *w) {
  if (!at_word(p, w)) return false;
  advance(p);
  return true;
}

/* ---- errors ---- */

void *error_at(uf_parser *p, const uf_token *t, const char *fmt, ...) {
  if (failed(p)) return NULL;
  p->st = UF_SYNTAX;
  if (!p->err) return NULL;
  char msg[UF_ERROR_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  uf_error_set_at(p->err, UF_SYNTAX, p->src, p->len, t->off, t->line, t->col,
                  "%s", msg);
  return NULL;
}

static void describe_token(const uf_parser *p, const uf_token *t, char *buf,
                           size_t size) {
  if (t->type == TK_EOF) {
    snprintf(buf, size, "end of input");
    return;
  }
  int n = t->len > 40 ? 40 : (int)t->len;
  snprintf(buf, size, "'%.*s%s'", n, p->src + t->off, t->len > 40 ? "..." : "");
}

void *error_expected(uf_parser *p, const char *what) {
  char got[64];
  describe_token(p, peek(p), got, sizeof got);
  return error_at(p, peek(p), "unexpected %s, expected %s", got, what);
}

void *error_oom(uf_parser *p) {
  if (failed(p)) return NULL;
  p->st = UF_NOMEM;
  uf_error_set(p->err, UF_NOMEM, "out of memory");
  return NULL;
}

void *error_unsupported(uf_parser *p, const uf_token *t, const char *construct) {
  if (failed(p)) return NULL;
  p->st = UF_UNSUPPORTED;
  uf_error_set_at(p->err, UF_UNSUPPORTED, p->src, p->len, t->off, t->line,
                  t->col, "%s is not supported in the %s dialect", construct,
                  p->d->name);
  return NULL;
}

bool enter(uf_parser *p) {
  if (++p->depth > p->max_depth) {
    if (!failed(p)) {
      p->st = UF_LIMIT_EXCEEDED;
      const uf_token *t = peek(p);
      uf_error_set_at(p->err, UF_LIMIT_EXCEEDED, p->src, p->len, t->off,
                      t->line, t->col, "nesting deeper than %u levels",
                      p->max_depth);
    }
    p->depth--;
    return false;
  }
  return true;
}

/* ---- nodes ---- */

const char *intern(uf_parser *p, const char *s, size_t len) {
  const char *r = uf_intern(p->tree, s, len);
  if (!r) error_oom(p);
  return r;
}

const char *tok_upper(uf_parser *p, const uf_token *t) {
  char buf[64];
  if (t->len >= sizeof buf) return intern(p, p->src + t->off, t->len);
  for (uint32_t i = 0; i < t->len; i++) {
    char c = p->src[t->off + i];
    buf[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
  }
  return intern(p, buf, t->len);
}

static bool claim_comments(uf_parser *p, uf_node *n, uint32_t tok) {
  uf_token *t = &p->toks.tok[tok];
  for (uint32_t i = 0; i < t->ccount; i++) {
    const uf_tok_comment *c = &p->toks.com[t->cfirst + i];
    if (uf_node_add_comment(p->tree, n, p->src + c->off, c->len, c->block,
                            false, NULL) != UF_OK)
      return false;
  }
  t->ccount = 0;
  return true;
}

/* Comments go on nodes the generator renders through gen_node: clauses
 * and lists are often written inline by their parent, so they hold none. */
static bool comment_holder(uf_kind k) {
  uf_category c = uf_kind_category(k);
  return k == UF_SCRIPT || (c != UF_CAT_CLAUSE && c != UF_CAT_LIST);
}

uf_node *mk(uf_parser *p, uf_kind k, uint32_t tok) {
  if (failed(p)) return NULL;
  uf_node *n = uf_node_new(p->tree, k);
  if (!n) return error_oom(p);
  if (tok >= p->toks.n) tok = p->toks.n - 1;
  const uf_token *t = &p->toks.tok[tok];
  n->line = t->line;
  n->col = t->col;
  n->offset = t->off;
  if (t->ccount && comment_holder(k) && !claim_comments(p, n, tok)) return error_oom(p);
  return n;
}

uf_node *mk_text(uf_parser *p, uf_kind k, uint32_t tok, const char *s, size_t len) {
  uf_node *n = mk(p, k, tok);
  if (!n) return NULL;
  n->text = intern(p, s, len);
  return n->text ? n : NULL;
}

uf_node *mk_list(uf_parser *p, uint32_t tok) { return mk(p, UF_LIST, tok); }

bool push(uf_parser *p, uf_node *list, uf_node *item) {
  if (failed(p) || !list) return false;
  if (uf_list_push(p->tree, list, item, NULL) != UF_OK) {
    error_oom(p);
    return false;
  }
  return true;
}

bool set(uf_parser *p, uf_node *n, uf_slot s, uf_node *child) {
  if (failed(p) || !n) return false;
  /* the tree exists, so the position table is filled: read it directly */
  int i = (unsigned)s < UF_SLOT_COUNT ? uf_slot_pos_[n->kind][s] - 1 : -1;
  if (i < 0) {
    p->st = UF_INTERNAL;
    uf_error_set(p->err, UF_INTERNAL, "parser bug: kind %s has no slot %s",
                 uf_kind_name((uf_kind)n->kind), uf_slot_name(s));
    return false;
  }
  n->kids[i] = child;
  return true;
}

void mark_quoted(uf_parser *p, uf_node *id) {
  if (!id) return;
  id->style |= UF_IDENT_WRITTEN_QUOTED;
  if (!uf_dialect_is_folded(p->d, id->text)) id->flags |= UF_F_QUOTED;
}

/* ---- entry points ---- */

static uf_status parser_init(uf_parser *p, const char *sql, size_t len,
                             const uf_parse_options *opts, uf_error *err) {
  memset(p, 0, sizeof *p);
  p->src = sql ? sql : "";
  p->len = sql ? len : 0;
  p->d = (opts && opts->dialect) ? opts->dialect : uf_dialect_duckdb();
  p->err = err;
  p->max_depth = (opts && opts->max_depth) ? opts->max_depth : UF_MAX_DEPTH;
  uf_error_clear(err);
  uf_tokens_init(&p->toks);
  uf_lex_options lo = {(opts && opts->first_line) ? opts->first_line : 1,
                       p->d->backslash_strings};
  uf_status st = uf_tokenize(p->src, p->len, &lo, &p->toks, err);
  if (st != UF_OK) return st;
  p->tree = uf_tree_new();
  if (!p->tree) return uf_error_set(err, UF_NOMEM, "out of memory");
  return UF_OK;
}

/* Loops (operator chains, joins, set operations) build depth without
 * recursion, so the recursion guard alone does not bound the tree. Every
 * consumer (generator, serde, fingerprint) recurses, so the finished tree is
 * measured here, with an explicit stack, and refused past the limit. */
static void check_tree_depth(uf_parser *p, uf_node *root) {
  typedef struct { const uf_node *n; uint32_t d; } item;
  size_t cap = 256, top = 0;
  item *st = malloc(cap * sizeof *st);
  if (!st) { error_oom(p); return; }
  st[top++] = (item){root, 1};
  while (top) {
    item it = st[--top];
    if (it.d > UF_MAX_TREE_DEPTH) {
      p->st = UF_LIMIT_EXCEEDED;
      uf_error_set_at(p->err, UF_LIMIT_EXCEEDED, p->src, p->len, it.n->offset,
                      it.n->line, it.n->col, "statement nested deeper than %d levels",
                      UF_MAX_TREE_DEPTH);
      break;
    }
    for (uint32_t i = 0; i < it.n->nkids; i++) {
      if (!it.n->kids[i]) continue;
      if (top == cap) {
        item *ns = realloc(st, 2 * cap * sizeof *st);
        if (!ns) { error_oom(p); free(st); return; }
        st = ns;
        cap *= 2;
      }
      st[top++] = (item){it.n->kids[i], it.d + 1};
    }
  }
  free(st);
}

/* A comment before a token that starts no node (a clause keyword such as
 * WHERE) is claimed by nobody during parsing. It goes to the first node
 * that starts at or after that token (outermost on ties), so it is
 * generated near where it stood; with no such node, to the root as a
 * trailing comment. Nothing written by the user is dropped. */
typedef struct adopt_ctx {
  uint32_t off;
  uf_node *best;
} adopt_ctx;

static int adopt_cb(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  adopt_ctx *a = ctx;
  if (n->line && comment_holder((uf_kind)n->kind) && n->offset >= a->off &&
      (!a->best || n->offset < a->best->offset))
    a->best = n;
  return 0;
}

static void adopt_orphan_comments(uf_parser *p, uf_node *root) {
  for (uint32_t i = 0; i + 1 < p->toks.n && !failed(p); i++) {
    uf_token *t = &p->toks.tok[i];
    if (!t->ccount) continue;
    adopt_ctx a = {t->off, NULL};
    uf_walk(root, adopt_cb, &a);
    uf_node *target = a.best ? a.best : root;
    for (uint32_t k = 0; k < t->ccount; k++) {
      const uf_tok_comment *c = &p->toks.com[t->cfirst + k];
      if (uf_node_add_comment(p->tree, target, p->src + c->off, c->len, c->block,
                              a.best == NULL, NULL) != UF_OK) {
        error_oom(p);
        return;
      }
    }
    t->ccount = 0;
  }
}

static uf_status parser_finish(uf_parser *p, uf_node *root, uf_tree **out) {
  /* a tree cannot be deeper than the number of nodes it has */
  if (!failed(p) && root && uf_tree_nodes_made_(p->tree) > UF_MAX_TREE_DEPTH)
    check_tree_depth(p, root);
  if (!failed(p) && root) adopt_orphan_comments(p, root);
  /* Comments left after the last token attach to the root as trailing. */
  if (!failed(p) && root) {
    const uf_token *eof = &p->toks.tok[p->toks.n - 1];
    for (uint32_t i = 0; i < eof->ccount; i++) {
      const uf_tok_comment *c = &p->toks.com[eof->cfirst + i];
      if (uf_node_add_comment(p->tree, root, p->src + c->off, c->len, c->block,
                              true, NULL) != UF_OK) {
        error_oom(p);
        break;
      }
    }
  }
  uf_tokens_free(&p->toks);
  if (failed(p) || !root) {
    if (!failed(p)) {
      p->st = UF_INTERNAL;
      uf_error_set(p->err, UF_INTERNAL, "parser returned no tree");
    }
    uf_tree_free(p->tree);
    *out = NULL;
    return p->st;
  }
  uf_tree_set_root(p->tree, root);
  *out = p->tree;
  return UF_OK;
}

static uf_status fail_init(uf_parser *p, uf_status st, uf_tree **out) {
  uf_tokens_free(&p->toks);
  uf_tree_free(p->tree);
  *out = NULL;
  return st;
}

/* Statement boundary: a statement must end at ';' or end of input. */
static bool end_of_statement(uf_parser *p) {
  if (at_op(p, ";") || at_eof(p)) return true;
  error_expected(p, "end of statement");
  return false;
}

/* ';' ending a statement; comments before it no node would claim become
 * trailing comments of `prev` (the statement before, or the script). */
static bool accept_semicolon(uf_parser *p, uf_node *prev) {
  if (!at_op(p, ";")) return false;
  uf_token *t = &p->toks.tok[p->pos];
  for (uint32_t i = 0; i < t->ccount && !failed(p); i++) {
    const uf_tok_comment *c = &p->toks.com[t->cfirst + i];
    if (uf_node_add_comment(p->tree, prev, p->src + c->off, c->len, c->block, true,
                            NULL) != UF_OK)
      error_oom(p);
  }
  t->ccount = 0;
  advance(p);
  return !failed(p);
}

uf_status uf_parse(const char *sql, size_t len, const uf_parse_options *opts,
                   uf_tree **out_tree, uf_error *err) {
  if (!out_tree) return uf_error_set(err, UF_INVALID_ARGUMENT, "out_tree is NULL");
  uf_parser p;
  uf_status st = parser_init(&p, sql, len, opts, err);
  if (st != UF_OK) return fail_init(&p, st, out_tree);
  uf_node *script = mk(&p, UF_SCRIPT, 0);
  uf_node *last = script;
  while (!failed(&p)) {
    while (accept_semicolon(&p, last)) {}
    if (at_eof(&p)) break;
    uf_node *s = parse_statement(&p);
    if (!s || !end_of_statement(&p)) break;
    push(&p, script, s);
    last = s;
  }
  return parser_finish(&p, script, out_tree);
}

uf_status uf_parse_one(const char *sql, size_t len, const uf_parse_options *opts,
                       uf_tree **out_tree, uf_error *err) {
  if (!out_tree) return uf_error_set(err, UF_INVALID_ARGUMENT, "out_tree is NULL");
  uf_parser p;
  uf_status st = parser_init(&p, sql, len, opts, err);
  if (st != UF_OK) return fail_init(&p, st, out_tree);
  uf_node *s = NULL;
  if (at_eof(&p) || at_op(&p, ";")) error_expected(&p, "a statement");
  else s = parse_statement(&p);
  if (s) {
    accept_semicolon(&p, s);
    if (!at_eof(&p)) error_expected(&p, "end of input (one statement only)");
  }
  return parser_finish(&p, s, out_tree);
}

uf_status uf_parse_expr(const char *sql, size_t len, const uf_parse_options *opts,
                        uf_tree **out_tree, uf_error *err) {
  if (!out_tree) return uf_error_set(err, UF_INVALID_ARGUMENT, "out_tree is NULL");
  uf_parser p;
  uf_status st = parser_init(&p, sql, len, opts, err);
  if (st != UF_OK) return fail_init(&p, st, out_tree);
  uint32_t t0 = p.pos;
  uf_node *e = parse_expr(&p);
  /* `expr AS name` is an expression too (an ALIAS), as in sqlglot */
  if (e && at_kw(&p, KW_AS)) e = parse_alias_tail(&p, e, t0, false);
  if (e && !at_eof(&p)) error_expected(&p, "end of expression");
  return parser_finish(&p, e, out_tree);
}
