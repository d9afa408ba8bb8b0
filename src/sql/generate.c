/*
 * Generator entry point, layout primitives and dispatch.
 */
#include <stdlib.h>
#include <string.h>

#include "sql/gen.h"

#define GEN_MAX_DEPTH (UF_MAX_DEPTH * 4)

void gen_rawn(uf_gen *g, const char *s, size_t n) { uf_sbuf_add(&g->out, s, n); }
void gen_raw(uf_gen *g, const char *s) { uf_sbuf_adds(&g->out, s); }
void gen_char(uf_gen *g, char c) { uf_sbuf_addc(&g->out, c); }
void gen_space(uf_gen *g) { uf_sbuf_addc(&g->out, ' '); }

void gen_kw(uf_gen *g, const char *kw) {
  if (!g->o->lowercase_keywords) { gen_raw(g, kw); return; }
  size_t n = strlen(kw);
  if (!uf_sbuf_reserve(&g->out, n)) return;
  for (size_t i = 0; i < n; i++) {
    char c = kw[i];
    g->out.data[g->out.len++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  g->out.data[g->out.len] = '\0';
}

static void newline_indent(uf_gen *g) {
  uf_sbuf_addc(&g->out, '\n');
  uint32_t w = (g->o->indent ? g->o->indent : 2) * g->level;
  for (uint32_t i = 0; i < w; i++) uf_sbuf_addc(&g->out, ' ');
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

static void gen_quoted(uf_gen *g, const char *s) {
  char qc = g->d->ident_quote;
  gen_char(g, qc);
  for (const char *c = s; *c; c++) {
    if (*c == qc) gen_char(g, qc);
    gen_char(g, *c);
  }
  gen_char(g, qc);
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
  for (const char *c = value; *c; c++) {
    if (*c == '\'') gen_char(g, '\'');
    else if (*c == '\\' && g->d->backslash_strings) gen_char(g, '\\');
    gen_char(g, *c);
  }
  gen_char(g, '\'');
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

static void gen_comment(uf_gen *g, const uf_comment *c) {
  bool line_form = !c->block && (strstr(c->text, "*/") || strstr(c->text, "/*"));
  if (line_form) {
    gen_raw(g, "--");
    gen_raw(g, c->text);
    gen_char(g, '\n');
    return;
  }
  gen_raw(g, "/*");
  gen_raw(g, c->text);
  gen_raw(g, "*/");
}

static void gen_leading_comments(uf_gen *g, const uf_node *n) {
  for (const uf_comment *c = n->comments; c; c = c->next) {
    if (c->trailing) continue;
    gen_comment(g, c);
    if (!(!c->block && (strstr(c->text, "*/") || strstr(c->text, "/*"))))
      gen_space(g);
  }
}

static void gen_trailing_comments(uf_gen *g, const uf_node *n) {
  for (const uf_comment *c = n->comments; c; c = c->next) {
    if (!c->trailing) continue;
    gen_space(g);
    gen_comment(g, c);
  }
}

static void gen_script(uf_gen *g, const uf_node *n) {
  for (uint32_t i = 0; i < n->nkids && !gen_failed(g); i++) {
    if (i) gen_raw(g, g->o->pretty ? ";\n\n" : ";\n");
    gen_node(g, n->kids[i]);
  }
}

void gen_node(uf_gen *g, const uf_node *n) {
  if (!n || gen_failed(g)) return;
  if (++g->depth > GEN_MAX_DEPTH) {
    g->st = UF_LIMIT_EXCEEDED;
    uf_error_set(g->err, UF_LIMIT_EXCEEDED, "tree deeper than %d levels",
                 GEN_MAX_DEPTH);
    g->depth--;
    return;
  }
  bool comments = !g->o->strip_comments && n->comments;
  if (comments) gen_leading_comments(g, n);
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
  uf_error_clear(err);
  gen_node(&g, n);
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
