/*
 * Generator internals shared by generate.c (entry, primitives, dispatch),
 * gen_expr.c, gen_query.c and gen_stmt.c. Each of those files has one
 * dispatcher that renders the kinds it owns and returns false for others.
 *
 * Layout primitives make pretty and compact output share one code path:
 * gen_sep() is a space in compact mode and a newline at the current indent
 * in pretty mode; indent()/dedent() change the level. Errors are sticky
 * (g->st), like the parser's.
 */
#ifndef UF_SQL_GEN_H
#define UF_SQL_GEN_H

#include <stdbool.h>
#include <string.h>

#include "core/sbuf.h"
#include "sql/dialect.h"
#include "unifier/ast.h"
#include "unifier/sql.h"

typedef struct uf_gen {
  uf_sbuf out;
  const uf_gen_options *o;
  const uf_dialect *d;
  uf_error *err;
  uf_status st;
  uint32_t level; /* indent level (pretty) */
  uint32_t depth; /* recursion guard */
  char pending;    /* ' ' or '\n' owed before the next text (after a leading
                      comment); dropped if nothing follows, unless
                      pending_hard (the end of a line comment) */
  bool pending_hard;
  bool stmt_start; /* nothing of the current statement written yet */
  int follow_next; /* what follows the next gen_node's output (gen_at) */
  int follow;      /* what follows the current node's output: the precedence
                      of the operator written next, or GEN_FOLLOW_NONE */
} uf_gen;

/* Nothing that binds follows (end, ')', ',', a clause keyword). */
#define GEN_FOLLOW_NONE (-1)

void gen_node(uf_gen *g, const uf_node *n);
bool gen_expr_node(uf_gen *g, const uf_node *n);  /* gen_expr.c */
bool gen_query_node(uf_gen *g, const uf_node *n); /* gen_query.c */
bool gen_stmt_node(uf_gen *g, const uf_node *n);  /* gen_stmt.c */
/* '(' query ')', the query indented on its own lines in pretty mode
 * (gen_query.c); for subqueries inside expressions. */
void gen_subquery(uf_gen *g, const uf_node *q);

/* Text primitives. gen_kw, gen_raw, gen_rawn and gen_char start a new
 * piece of text: if its first byte would lex together with the last byte
 * written (- -, / *, ~ *, < >, ' ' ...), a space goes between them.
 * gen_verbatim continues the piece (literal and comment bodies). */
void gen_rawn(uf_gen *g, const char *s, size_t n);
/* Inline so that the length of a literal text is known at compile time. */
static inline void gen_raw(uf_gen *g, const char *s) { gen_rawn(g, s, strlen(s)); }
void gen_kw_lower_(uf_gen *g, const char *kw); /* gen_kw's lower-case form */
/* keyword in the configured case */
static inline void gen_kw(uf_gen *g, const char *kw) {
  if (g->o->lowercase_keywords) gen_kw_lower_(g, kw);
  else gen_raw(g, kw);
}
void gen_char(uf_gen *g, char c);
void gen_verbatim(uf_gen *g, const char *s, size_t n);
/* n with what follows its output: the precedence of the operator written
 * right after it, or GEN_FOLLOW_NONE (gen_node uses GEN_FOLLOW_NONE). */
void gen_at(uf_gen *g, const uf_node *n, int follow);
/* Leading comments of n, for nodes rendered without gen_node. */
void gen_leading_comments(uf_gen *g, const uf_node *n);
void gen_space(uf_gen *g);
void gen_sep(uf_gen *g);      /* ' ' or newline + indent */
void gen_newline(uf_gen *g);  /* newline + indent in pretty mode, else nothing */
void gen_indent(uf_gen *g);
void gen_dedent(uf_gen *g);
/* Items of a LIST separated by sep (e.g. ", "); in pretty mode with
 * `break_lines`, each item goes on its own line at the current indent. */
void gen_list(uf_gen *g, const uf_node *list, const char *sep, bool break_lines);
/* Identifier text, quoted if quoted is set, if needed, or if identify. */
void gen_ident(uf_gen *g, const char *s, bool quoted);
/* Identifier text; `quote` decides quoting; a quoted identifier that is not
 * case-significant is written folded (see UF_IDENT_WRITTEN_QUOTED). */
void gen_ident_as(uf_gen *g, const char *s, bool case_significant, bool quote);
/* A part of a dotted name after the '.' (any keyword goes unquoted). */
void gen_name_after_dot(uf_gen *g, const uf_node *id);
/* A string literal holding `value`, escaped for the dialect. */
void gen_string(uf_gen *g, const char *value);
/* Records UF_UNSUPPORTED naming the construct and the target dialect. */
void gen_unsupported(uf_gen *g, const char *construct);
/* Records an internal error about a malformed node (missing slot...). */
void gen_malformed(uf_gen *g, const uf_node *n, const char *why);
static inline bool gen_failed(const uf_gen *g) { return g->st != UF_OK; }
static inline bool gen_pretty(const uf_gen *g) { return g->o->pretty; }

/* Slot shorthand: the child of n in slot s, or NULL. */
static inline const uf_node *kid(const uf_node *n, uf_slot s) { return uf_get(n, s); }

#endif
