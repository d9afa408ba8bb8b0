/*
 * Generator rules for expressions, names, literals, types and the clauses
 * that live inside expressions (WHEN, window specs, frames, ORDERED items,
 * PROP, NAMED_ARG, ALIAS).
 *
 * Parentheses: PAREN nodes print the user's own; besides, a child whose
 * precedence is below what its position needs (a tree built in code) is
 * wrapped, using the levels the parser binds by (expr_prec.h).
 */
#include <string.h>

#include "sql/expr_prec.h"
#include "sql/gen.h"
#include "sql/keywords.h"
#include "sql/tokenizer.h"

/* ---- identifiers ---- */

/* Where a name stands decides which keywords it may be unquoted:
 * NAME_ANY after '.' or AS (any word), NAME_QUALIFIER first part of a
 * dotted name (not reserved), NAME_ALONE a bare name (no R or T word). */
typedef enum { NAME_ANY, NAME_QUALIFIER, NAME_ALONE } name_pos;

static void gen_name(uf_gen *g, const uf_node *id, name_pos pos) {
  if (!id) return;
  if (id->kind != UF_IDENT) { gen_node(g, id); return; }
  const char *s = id->text;
  bool exact = (id->flags & UF_F_QUOTED) != 0;
  /* plain: the length of a name that lexes as one bare word, else 0 */
  size_t plain = exact || (id->style & UF_IDENT_WRITTEN_QUOTED) ||
                         g->o->identify == UF_IDENTIFY_ALWAYS
                     ? 0
                     : uf_tok_word_len(s);
  bool q = plain == 0;
  if (!q && pos != NAME_ANY) {
    uf_kw_class c = uf_keyword_class(uf_keyword_lookup(s, plain));
    q = c == KWC_R || (pos == NAME_ALONE && c == KWC_T);
  }
  if (q) gen_ident_as(g, s, exact, true);
  else gen_rawn(g, s, plain);
}

/* A dotted name's later part, for other files: after '.', any word. */
void gen_name_after_dot(uf_gen *g, const uf_node *id) { gen_name(g, id, NAME_ANY); }

/* ---- precedence ---- */

static const char *func_out_name(const uf_gen *g, const uf_node *fn);

/* An operator's name, not a word: identifiers may also start with a
 * non-ASCII byte ("ܶN(-1, 1)" is a call). */
/* A name made only of operator characters ("+", "->>", "@>"): a call of
 * it is written infix. Anything else (" x", "a+") is a function name. */
static bool is_op_name(const char *s) {
  if (s == NULL || *s == '\0') return false;
  for (; *s; s++)
    if (strchr("+-*/<>=~!@#%^&|`?:", *s) == NULL) return false;
  return true;
}

static int binary_prec(const char *op) {
  static const char *const CMP[] = {"=", "<>", "<", ">", "<=", ">=", NULL};
  for (int i = 0; CMP[i]; i++)
    if (!strcmp(op, CMP[i])) return PREC_CMP;
  if (!strcmp(op, "+") || !strcmp(op, "-")) return PREC_ADD;
  if (!strcmp(op, "*") || !strcmp(op, "/") || !strcmp(op, "//") || !strcmp(op, "%"))
    return PREC_MUL;
  if (!strcmp(op, "^") || !strcmp(op, "**")) return PREC_POW;
  if (!strcmp(op, "AT TIME ZONE")) return PREC_AT;
  return PREC_OTHER;
}

static bool cast_as_colons(const uf_gen *g, const uf_node *n) {
  return n->style == 1 && g->d->has_double_colon && !(n->flags & UF_F_TRY);
}

/* A FUNC written as a binary operator in the target dialect (funcs_out
 * maps regexp_matches to ~ for PostgreSQL). */
static bool func_as_operator(const uf_gen *g, const uf_node *n) {
  const uf_node *args = kid(n, UF_SLOT_ARGS);
  return n->style == 0 && is_op_name(func_out_name(g, n)) && args && args->nkids == 2 &&
         !kid(n, UF_SLOT_OVER) && !kid(n, UF_SLOT_FILTER) && !kid(n, UF_SLOT_ORDER) &&
         !(n->flags & UF_F_DISTINCT);
}

static int prec_of(const uf_gen *g, const uf_node *n) {
  switch ((uf_kind)n->kind) {
  case UF_OR: return PREC_OR;
  case UF_AND: return PREC_AND;
  case UF_NOT: return PREC_NOT;
  case UF_IS: case UF_IS_DISTINCT: return PREC_IS;
  case UF_BINARY: return binary_prec(n->text);
  case UF_BETWEEN: case UF_IN: case UF_LIKE: return PREC_PRED;
  case UF_UNARY: return PREC_UNARY;
  case UF_COLLATE: return PREC_COLLATE;
  case UF_CAST: return cast_as_colons(g, n) ? PREC_CAST : PREC_ATOM;
  case UF_SUBSCRIPT: case UF_SLICE: case UF_DOT: return PREC_POSTFIX;
  case UF_NUMBER: return (n->text[0] == '-' || n->text[0] == '+') ? PREC_UNARY : PREC_ATOM;
  case UF_LAMBDA: case UF_ALIAS: return PREC_LOWEST;
  case UF_FUNC: return func_as_operator(g, n) ? PREC_OTHER : PREC_ATOM;
  default: return PREC_ATOM;
  }
}

/* A prefix form's operand runs right over every operator that binds
 * tighter than this level (NOT over "b = c" in "a - NOT b = c"; LAMBDA x:
 * over everything); below any follow level for other nodes. */
static int prefix_reach(const uf_node *n) {
  switch ((uf_kind)n->kind) {
  case UF_NOT: return PREC_NOT;
  case UF_UNARY: return PREC_UNARY;
  case UF_LAMBDA: return n->style == 1 ? PREC_LOWEST : GEN_FOLLOW_NONE - 1;
  default: return GEN_FOLLOW_NONE - 1;
  }
}

/* A child that binds looser than `min` gets parentheses, unless it is a
 * prefix form whose operand would stop where the child ends anyway:
 * `follow` is what the output has right after the child (the precedence
 * of the next operator, GEN_FOLLOW_NONE if nothing binds), so "a - NOT b"
 * stays as the parser read it while "(NOT b) = c" keeps its parentheses. */
static void gen_child(uf_gen *g, const uf_node *n, int min, int follow) {
  if (!n) return;
  if (prec_of(g, n) >= min || follow <= prefix_reach(n)) {
    gen_at(g, n, follow);
    return;
  }
  gen_char(g, '(');
  gen_at(g, n, GEN_FOLLOW_NONE);
  gen_char(g, ')');
}

/* A right operand: what follows it is what follows its parent. */
static void gen_right(uf_gen *g, const uf_node *n, int min) {
  gen_child(g, n, min, g->follow);
}

/* Left operand, followed by its parent's operator at level `min`: a
 * postfix form (x IS NULL, x IN (...)) re-associates to the left on
 * re-parse, so it needs no parentheses there. */
static void gen_left(uf_gen *g, const uf_node *n, int min) {
  if (n && (n->kind == UF_IS || n->kind == UF_IN || n->kind == UF_COLLATE)) gen_at(g, n, min);
  else gen_child(g, n, min, min);
}

static void gen_wrapped(uf_gen *g, const char *open, const uf_node *n, const char *close) {
  gen_raw(g, open);
  gen_node(g, n);
  gen_raw(g, close);
}

static void need(uf_gen *g, bool ok, const char *construct) {
  if (!ok) gen_unsupported(g, construct);
}

/* ---- literals ---- */

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s) {
  size_t k;
  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) k = 1;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF) k = 2;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4) k = 3;
  else return 0;
  for (size_t i = 1; i <= k; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return k + 1;
}

static bool valid_utf8(const char *s) {
  for (const unsigned char *c = (const unsigned char *)s; *c;) {
    size_t n = utf8_len(c);
    if (!n) return false;
    c += n;
  }
  return true;
}

/* E'...' with backslash escapes for quotes, backslashes, control
 * characters and bytes that are not UTF-8. */
static void gen_estring(uf_gen *g, const char *v) {
  static const char HEX[] = "0123456789abcdef";
  gen_raw(g, "E'");
  for (const unsigned char *c = (const unsigned char *)v; *c;) {
    size_t n = utf8_len(c);
    char buf[4] = {'\\', (char)*c, 0, 0};
    size_t k = 2;
    if (*c == '\\' || *c == '\'') {
    } else if (*c == '\n') { buf[1] = 'n';
    } else if (*c == '\t') { buf[1] = 't';
    } else if (*c == '\r') { buf[1] = 'r';
    } else if (n == 0 || *c < 0x20 || *c == 0x7f) {
      buf[1] = 'x', buf[2] = HEX[*c >> 4], buf[3] = HEX[*c & 15], k = 4;
    } else {
      gen_verbatim(g, (const char *)c, n);
      c += n;
      continue;
    }
    gen_verbatim(g, buf, k);
    c++;
  }
  gen_verbatim(g, "'", 1);
}

static bool dollar_ok(const uf_gen *g, const char *v) {
  size_t n = strlen(v);
  return g->d->id != UF_DIALECT_DATAFUSION && !strstr(v, "$$") && (n == 0 || v[n - 1] != '$');
}

static void gen_string_node(uf_gen *g, const uf_node *n) {
  const char *v = n->text;
  if (n->style == 1 || !valid_utf8(v)) { gen_estring(g, v); return; }
  if (n->style == 2 && dollar_ok(g, v)) {
    gen_raw(g, "$$");
    gen_verbatim(g, v, strlen(v));
    gen_verbatim(g, "$$", 2);
    return;
  }
  if (n->style == 3 && g->d->id == UF_DIALECT_POSTGRES) gen_char(g, 'N');
  gen_string(g, v);
}

static void gen_based_string(uf_gen *g, const char *open, const char *v) {
  gen_raw(g, open);
  gen_verbatim(g, v, strlen(v));
  gen_verbatim(g, "'", 1);
}

static void gen_param(uf_gen *g, const uf_node *n) {
  gen_char(g, n->style == 1 || !n->text[0] ? '?' : '$');
  gen_verbatim(g, n->text, strlen(n->text));
}

/* ---- names ---- */

/* `qualifier` when a '.' follows (t.*): every part is then a qualifier. */
static void gen_column(uf_gen *g, const uf_node *n, bool qualifier) {
  static const uf_slot SLOTS[4] = {UF_SLOT_CATALOG, UF_SLOT_DB, UF_SLOT_TABLE, UF_SLOT_THIS};
  int parts = 0;
  for (int i = 0; i < 4; i++) parts += kid(n, SLOTS[i]) != NULL;
  if (qualifier) parts++;
  int k = 0;
  for (int i = 0; i < 4; i++) {
    const uf_node *p = kid(n, SLOTS[i]);
    if (!p) continue;
    if (k) gen_char(g, '.');
    gen_name(g, p, k ? NAME_ANY : parts == 1 ? NAME_ALONE : NAME_QUALIFIER);
    k++;
  }
  if (!k) gen_malformed(g, n, "column without a name");
}

/* EXCLUDE / REPLACE / RENAME lists; style 1 = one item written bare */
static void gen_star_list(uf_gen *g, const char *kw, const uf_node *l) {
  if (!l) return;
  gen_space(g);
  gen_kw(g, kw);
  gen_space(g);
  bool bare = l->kind == UF_LIST && l->style == 1 && l->nkids == 1;
  if (bare) gen_node(g, l);
  else gen_wrapped(g, "(", l, ")");
}

static void gen_star(uf_gen *g, const uf_node *n) {
  const uf_node *q = kid(n, UF_SLOT_QUALIFIER);
  if (uf_is(q, UF_COLUMN)) gen_column(g, q, true);
  else gen_node(g, q);
  if (q) gen_char(g, '.');
  gen_char(g, '*');
  const uf_node *ex = kid(n, UF_SLOT_EXCLUDE), *re = kid(n, UF_SLOT_REPLACE),
                *rn = kid(n, UF_SLOT_RENAME);
  if (ex || re || rn) need(g, g->d->has_star_modifiers, "* EXCLUDE/REPLACE/RENAME");
  gen_star_list(g, "EXCLUDE", ex);
  gen_star_list(g, "REPLACE", re);
  gen_star_list(g, "RENAME", rn);
}

static void gen_dot(uf_gen *g, const uf_node *n) {
  gen_child(g, kid(n, UF_SLOT_THIS), PREC_POSTFIX, PREC_POSTFIX);
  gen_char(g, '.');
  gen_name(g, kid(n, UF_SLOT_NAME), NAME_ANY);
}

/* ---- operators ---- */

static void gen_binary(uf_gen *g, const uf_node *n) {
  int p = prec_of(g, n);
  gen_left(g, kid(n, UF_SLOT_LEFT), p);
  gen_space(g);
  const char *op = n->text;
  if (!strcmp(op, "<>") && n->style == 1) op = "!=";
  else if (!strcmp(op, "=") && n->style == 2 && g->d->id == UF_DIALECT_DUCKDB) op = "==";
  if (is_op_name(op)) gen_raw(g, op);
  else gen_kw(g, op);
  gen_space(g);
  gen_right(g, kid(n, UF_SLOT_RIGHT), p + 1);
}

static void gen_andor(uf_gen *g, const uf_node *n, const char *kw, int p) {
  gen_left(g, kid(n, UF_SLOT_LEFT), p);
  gen_space(g);
  gen_kw(g, kw);
  gen_space(g);
  gen_right(g, kid(n, UF_SLOT_RIGHT), p + 1);
}

static void gen_unary(uf_gen *g, const uf_node *n) {
  const uf_node *e = kid(n, UF_SLOT_THIS);
  gen_raw(g, n->text);
  /* "- -1" and "~ ~x" must not fuse into a comment or another operator */
  if (e && (e->kind == UF_UNARY ||
            (e->kind == UF_NUMBER && (e->text[0] == '-' || e->text[0] == '+'))))
    gen_space(g);
  gen_right(g, e, PREC_UNARY);
}

static void gen_not_kw(uf_gen *g, const uf_node *n, const char *kw) {
  gen_space(g);
  if (n->flags & UF_F_NOT) { gen_kw(g, "NOT"); gen_space(g); }
  gen_kw(g, kw);
  gen_space(g);
}

static void gen_like(uf_gen *g, const uf_node *n) {
  if (!strcmp(n->text, "ILIKE")) need(g, g->d->has_ilike, "ILIKE");
  if (!strcmp(n->text, "GLOB")) need(g, g->d->has_glob, "GLOB");
  gen_left(g, kid(n, UF_SLOT_LEFT), PREC_PRED);
  gen_not_kw(g, n, n->text);
  const uf_node *esc = kid(n, UF_SLOT_ESCAPE);
  /* ESCAPE is no operator: an operand stops before it */
  gen_child(g, kid(n, UF_SLOT_RIGHT), PREC_PRED + 1, esc ? GEN_FOLLOW_NONE : g->follow);
  if (esc) {
    gen_space(g);
    gen_kw(g, "ESCAPE");
    gen_space(g);
    gen_right(g, esc, PREC_PRED + 1);
  }
}

static void gen_is(uf_gen *g, const uf_node *n) {
  const uf_node *r = kid(n, UF_SLOT_RIGHT);
  gen_left(g, kid(n, UF_SLOT_LEFT), PREC_IS);
  if (n->style && uf_is(r, UF_NULL) && g->d->id != UF_DIALECT_DATAFUSION) {
    gen_space(g);
    gen_kw(g, (n->flags & UF_F_NOT) ? "NOTNULL" : "ISNULL");
    return;
  }
  gen_space(g);
  gen_kw(g, "IS");
  gen_space(g);
  if (n->flags & UF_F_NOT) { gen_kw(g, "NOT"); gen_space(g); }
  gen_node(g, r);
}

static void gen_is_distinct(uf_gen *g, const uf_node *n) {
  gen_left(g, kid(n, UF_SLOT_LEFT), PREC_IS);
  gen_space(g);
  gen_kw(g, "IS");
  gen_space(g);
  if (n->flags & UF_F_NOT) { gen_kw(g, "NOT"); gen_space(g); }
  gen_kw(g, "DISTINCT FROM");
  gen_space(g);
  gen_right(g, kid(n, UF_SLOT_RIGHT), PREC_IS + 1);
}

static void gen_between(uf_gen *g, const uf_node *n) {
  gen_left(g, kid(n, UF_SLOT_THIS), PREC_PRED);
  gen_not_kw(g, n, "BETWEEN");
  if (n->flags & UF_F_SYMMETRIC) { gen_kw(g, "SYMMETRIC"); gen_space(g); }
  /* NOT stops before BETWEEN's AND, as before any AND */
  gen_child(g, kid(n, UF_SLOT_LOW), PREC_PRED + 1, PREC_AND);
  gen_space(g);
  gen_kw(g, "AND");
  gen_space(g);
  gen_right(g, kid(n, UF_SLOT_HIGH), PREC_PRED + 1);
}

static void gen_in(uf_gen *g, const uf_node *n) {
  gen_left(g, kid(n, UF_SLOT_THIS), PREC_PRED);
  gen_not_kw(g, n, "IN");
  const uf_node *q = kid(n, UF_SLOT_QUERY);
  gen_wrapped(g, "(", q ? q : kid(n, UF_SLOT_LIST), ")");
}

/* ---- special forms ---- */

static void gen_case(uf_gen *g, const uf_node *n) {
  gen_kw(g, "CASE");
  const uf_node *op = kid(n, UF_SLOT_OPERAND);
  if (op) { gen_space(g); gen_node(g, op); }
  gen_indent(g);
  const uf_node *whens = kid(n, UF_SLOT_WHENS);
  for (uint32_t i = 0; whens && i < whens->nkids; i++) {
    gen_sep(g);
    gen_node(g, whens->kids[i]);
  }
  const uf_node *el = kid(n, UF_SLOT_ELSE);
  if (el) {
    gen_sep(g);
    gen_kw(g, "ELSE");
    gen_space(g);
    gen_node(g, el);
  }
  gen_dedent(g);
  gen_sep(g);
  gen_kw(g, "END");
}

static void gen_when(uf_gen *g, const uf_node *n) {
  gen_kw(g, "WHEN");
  gen_space(g);
  gen_node(g, kid(n, UF_SLOT_COND));
  gen_space(g);
  gen_kw(g, "THEN");
  gen_space(g);
  gen_node(g, kid(n, UF_SLOT_THEN));
}

static const char *type_out_name(const uf_gen *g, const uf_node *t) {
  const char *m = uf_name_map_find(g->d->types_out, t->text);
  return m ? m : t->text;
}

/* TYPE 'literal' works for one-word types without parameters. */
static bool typed_literal_ok(const uf_gen *g, const uf_node *n) {
  const uf_node *t = kid(n, UF_SLOT_TO), *v = kid(n, UF_SLOT_THIS);
  return n->style == 2 && !(n->flags & UF_F_TRY) && uf_is(v, UF_STRING) && uf_is(t, UF_TYPE) &&
         !kid(t, UF_SLOT_ARGS) && !kid(t, UF_SLOT_FIELDS) &&
         uf_tok_word_len(type_out_name(g, t)) != 0;
}

static void gen_cast(uf_gen *g, const uf_node *n) {
  const uf_node *e = kid(n, UF_SLOT_THIS), *t = kid(n, UF_SLOT_TO);
  if (cast_as_colons(g, n)) {
    gen_left(g, e, PREC_CAST);
    gen_raw(g, "::");
    gen_node(g, t);
    return;
  }
  if (typed_literal_ok(g, n)) {
    gen_node(g, t);
    gen_space(g);
    gen_node(g, e);
    return;
  }
  if (n->flags & UF_F_TRY) need(g, g->d->has_try_cast, "TRY_CAST");
  gen_kw(g, (n->flags & UF_F_TRY) ? "TRY_CAST(" : "CAST(");
  gen_node(g, e);
  gen_space(g);
  gen_kw(g, "AS");
  gen_space(g);
  gen_node(g, t);
  gen_char(g, ')');
}

static void gen_type(uf_gen *g, const uf_node *n) {
  const uf_node *args = kid(n, UF_SLOT_ARGS), *fields = kid(n, UF_SLOT_FIELDS);
  /* T[] is LIST(T), T[n] is ARRAY(T, n): written in bracket form */
  if (args && args->nkids >= 1 && uf_is(args->kids[0], UF_TYPE) && (!strcmp(n->text, "LIST") || !strcmp(n->text, "ARRAY")) &&
      (args->nkids == 1 || uf_is(args->kids[1], UF_NUMBER)) && args->nkids <= 2) {
    gen_node(g, args->kids[0]);
    gen_char(g, '[');
    if (args->nkids == 2) gen_node(g, args->kids[1]);
    gen_char(g, ']');
    return;
  }
  const char *name = type_out_name(g, n);
  gen_kw(g, name);
  if (strchr(name, '(')) return; /* the mapping carries its parameters */
  if (fields) {
    gen_char(g, '(');
    for (uint32_t i = 0; i < fields->nkids; i++) {
      const uf_node *f = fields->kids[i];
      if (i) gen_raw(g, ", ");
      gen_name(g, kid(f, UF_SLOT_NAME), NAME_ANY);
      gen_space(g);
      gen_node(g, kid(f, UF_SLOT_TYPE));
    }
    gen_char(g, ')');
  } else if (args) {
    gen_wrapped(g, "(", args, ")");
  }
}

static void gen_interval(uf_gen *g, const uf_node *n) {
  const uf_node *v = kid(n, UF_SLOT_THIS), *u = kid(n, UF_SLOT_UNIT);
  gen_kw(g, "INTERVAL");
  gen_space(g);
  bool direct = v && (v->kind == UF_STRING || v->kind == UF_NUMBER || v->kind == UF_PAREN ||
                      v->kind == UF_UNARY);
  if (direct) gen_node(g, v);
  else gen_wrapped(g, "(", v, ")");
  if (u) { gen_space(g); gen_kw(g, u->text); }
}

static void gen_extract(uf_gen *g, const uf_node *n) {
  gen_kw(g, "EXTRACT(");
  gen_name(g, kid(n, UF_SLOT_THIS), NAME_ANY);
  gen_space(g);
  gen_kw(g, "FROM");
  gen_space(g);
  gen_node(g, kid(n, UF_SLOT_EXPR));
  gen_char(g, ')');
}

/* ---- functions ---- */

static const char *func_out_name(const uf_gen *g, const uf_node *fn) {
  const char *m = fn->style ? NULL : uf_name_map_find(g->d->funcs_out, fn->text);
  return m ? m : fn->text;
}

static const uf_node *arg(const uf_node *fn, uint32_t i) {
  const uf_node *a = kid(fn, UF_SLOT_ARGS);
  return a && i < a->nkids ? a->kids[i] : NULL;
}

static uint32_t nargs(const uf_node *fn) {
  const uf_node *a = kid(fn, UF_SLOT_ARGS);
  return a ? a->nkids : 0;
}

static void gen_kw_sp(uf_gen *g, const char *kw) {
  gen_space(g);
  gen_kw(g, kw);
  gen_space(g);
}

/* POSITION(a IN b), SUBSTRING(x FROM a FOR b), TRIM(LEADING c FROM x),
 * OVERLAY(x PLACING y FROM a FOR b); false if the node does not fit. */
static bool gen_special_call(uf_gen *g, const uf_node *n) {
  uint32_t k = nargs(n);
  switch (n->style & 0x0f) {
  case 1:
    if (k != 2) return false;
    gen_kw(g, "POSITION(");
    gen_child(g, arg(n, 0), PREC_PRED + 1, PREC_PRED);
    gen_kw_sp(g, "IN");
    gen_node(g, arg(n, 1));
    break;
  case 2:
    if (k < 2 || k > 3) return false;
    gen_kw(g, "SUBSTRING(");
    gen_node(g, arg(n, 0));
    gen_kw_sp(g, "FROM");
    gen_node(g, arg(n, 1));
    if (k == 3) { gen_kw_sp(g, "FOR"); gen_node(g, arg(n, 2)); }
    break;
  case 3: {
    bool l = !strcmp(n->text, "LTRIM"), r = !strcmp(n->text, "RTRIM");
    if (k < 1 || k > 2 || (!l && !r && strcmp(n->text, "TRIM"))) return false;
    gen_kw(g, "TRIM(");
    if (l || r) { gen_kw(g, l ? "LEADING" : "TRAILING"); gen_space(g); }
    if (k == 2) { gen_node(g, arg(n, 1)); gen_space(g); }
    gen_kw(g, "FROM");
    gen_space(g);
    gen_node(g, arg(n, 0));
    break;
  }
  case 4:
    if (k < 3 || k > 4) return false;
    gen_kw(g, "OVERLAY(");
    gen_node(g, arg(n, 0));
    gen_kw_sp(g, "PLACING");
    gen_node(g, arg(n, 1));
    gen_kw_sp(g, "FROM");
    gen_node(g, arg(n, 2));
    if (k == 4) { gen_kw_sp(g, "FOR"); gen_node(g, arg(n, 3)); }
    break;
  default:
    return false;
  }
  gen_char(g, ')');
  return true;
}

static void gen_nulls_treatment(uf_gen *g, const uf_node *n) {
  if (!(n->flags & (UF_F_IGNORE_NULLS | UF_F_RESPECT_NULLS))) return;
  gen_space(g);
  gen_kw(g, (n->flags & UF_F_IGNORE_NULLS) ? "IGNORE NULLS" : "RESPECT NULLS");
}

static void gen_call_suffix(uf_gen *g, const uf_node *n) {
  if (n->style & 0x10) gen_nulls_treatment(g, n);
  const uf_node *wg = kid(n, UF_SLOT_WITHIN_GROUP), *f = kid(n, UF_SLOT_FILTER),
                *over = kid(n, UF_SLOT_OVER);
  if (wg) {
    gen_kw_sp(g, "WITHIN GROUP");
    gen_kw(g, "(ORDER BY");
    gen_space(g);
    gen_node(g, wg);
    gen_char(g, ')');
  }
  if (f) {
    need(g, g->d->has_filter, "FILTER");
    gen_kw_sp(g, "FILTER");
    gen_kw(g, "(WHERE");
    gen_space(g);
    gen_node(g, f);
    gen_char(g, ')');
  }
  if (over) {
    gen_kw_sp(g, "OVER");
    if (over->kind == UF_IDENT) gen_name(g, over, NAME_ANY);
    else gen_wrapped(g, "(", over, ")");
  }
}

static void gen_func(uf_gen *g, const uf_node *n) {
  if (func_as_operator(g, n)) {
    gen_child(g, arg(n, 0), PREC_OTHER, PREC_OTHER);
    gen_space(g);
    gen_raw(g, func_out_name(g, n));
    gen_space(g);
    gen_right(g, arg(n, 1), PREC_OTHER + 1);
    return;
  }
  if ((n->style & 0x0f) && gen_special_call(g, n)) {
    gen_call_suffix(g, n);
    return;
  }
  const uf_node *db = kid(n, UF_SLOT_DB);
  if (db) { gen_name(g, db, NAME_QUALIFIER); gen_char(g, '.'); }
  if (n->flags & UF_F_QUOTED) gen_ident(g, n->text, true);
  else gen_raw(g, func_out_name(g, n));
  gen_char(g, '(');
  if (n->flags & UF_F_DISTINCT) { gen_kw(g, "DISTINCT"); gen_space(g); }
  else if (n->flags & UF_F_ALL) { gen_kw(g, "ALL"); gen_space(g); }
  gen_list(g, kid(n, UF_SLOT_ARGS), ", ", false);
  const uf_node *ord = kid(n, UF_SLOT_ORDER);
  if (ord) {
    if (nargs(n)) gen_space(g);
    gen_kw(g, "ORDER BY");
    gen_space(g);
    gen_node(g, ord);
  }
  if (!(n->style & 0x10)) gen_nulls_treatment(g, n);
  gen_char(g, ')');
  gen_call_suffix(g, n);
}

static void gen_lambda(uf_gen *g, const uf_node *n) {
  need(g, g->d->has_lambda, "lambda");
  const uf_node *ps = kid(n, UF_SLOT_PARAMS);
  uint32_t k = ps ? ps->nkids : 0;
  if (n->style == 1) {
    gen_kw(g, "LAMBDA");
    gen_space(g);
    for (uint32_t i = 0; i < k; i++) {
      if (i) gen_raw(g, ", ");
      gen_name(g, ps->kids[i], NAME_ANY);
    }
    gen_raw(g, ": ");
  } else {
    if (k != 1) gen_char(g, '(');
    for (uint32_t i = 0; i < k; i++) {
      if (i) gen_raw(g, ", ");
      gen_name(g, ps->kids[i], NAME_ANY);
    }
    if (k != 1) gen_char(g, ')');
    gen_raw(g, " -> ");
  }
  gen_node(g, kid(n, UF_SLOT_BODY));
}

/* ---- windows ---- */

static void gen_window_spec(uf_gen *g, const uf_node *n) {
  bool any = false;
  const uf_node *name = kid(n, UF_SLOT_NAME), *part = kid(n, UF_SLOT_PARTITION),
                *ord = kid(n, UF_SLOT_ORDER), *fr = kid(n, UF_SLOT_FRAME);
  if (name) { gen_name(g, name, NAME_ALONE); any = true; }
  if (part) {
    if (any) gen_space(g);
    gen_kw(g, "PARTITION BY");
    gen_space(g);
    gen_node(g, part);
    any = true;
  }
  if (ord) {
    if (any) gen_space(g);
    gen_kw(g, "ORDER BY");
    gen_space(g);
    gen_node(g, ord);
    any = true;
  }
  if (fr) {
    if (any) gen_space(g);
    gen_node(g, fr);
  }
}

static void gen_frame(uf_gen *g, const uf_node *n) {
  const uf_node *end = kid(n, UF_SLOT_END), *ex = kid(n, UF_SLOT_EXTRA);
  gen_kw(g, n->text);
  gen_space(g);
  if (end) { gen_kw(g, "BETWEEN"); gen_space(g); }
  gen_node(g, kid(n, UF_SLOT_START));
  if (end) { gen_kw_sp(g, "AND"); gen_node(g, end); }
  if (ex) { gen_kw_sp(g, "EXCLUDE"); gen_kw(g, ex->text); }
}

static void gen_frame_bound(uf_gen *g, const uf_node *n) {
  const uf_node *e = kid(n, UF_SLOT_THIS);
  if (e) { gen_node(g, e); gen_space(g); }
  gen_kw(g, n->text);
}

static void gen_ordered(uf_gen *g, const uf_node *n) {
  gen_node(g, kid(n, UF_SLOT_THIS));
  if (n->flags & UF_F_DESC) { gen_space(g); gen_kw(g, "DESC"); }
  else if (n->style & 1) { gen_space(g); gen_kw(g, "ASC"); }
  if (n->flags & UF_F_NULLS_FIRST) { gen_space(g); gen_kw(g, "NULLS FIRST"); }
  else if (n->flags & UF_F_NULLS_LAST) { gen_space(g); gen_kw(g, "NULLS LAST"); }
}

/* ---- constructors ---- */

static void gen_props(uf_gen *g, const uf_node *args) {
  for (uint32_t i = 0; args && i < args->nkids && !gen_failed(g); i++) {
    if (i) gen_raw(g, ", ");
    gen_node(g, args->kids[i]);
  }
}

static void gen_prop(uf_gen *g, const uf_node *n) {
  const uf_node *k = kid(n, UF_SLOT_KEY);
  if (uf_is(k, UF_IDENT)) gen_name(g, k, NAME_ANY);
  else gen_node(g, k);
  gen_raw(g, ": ");
  gen_node(g, kid(n, UF_SLOT_VALUE));
}

/* DataFusion has no struct literal: named_struct('k', v, ...) */
static void gen_named_struct(uf_gen *g, const uf_node *args) {
  gen_raw(g, "named_struct(");
  for (uint32_t i = 0; args && i < args->nkids; i++) {
    const uf_node *p = args->kids[i], *k = kid(p, UF_SLOT_KEY);
    if (i) gen_raw(g, ", ");
    if (uf_is(k, UF_IDENT) || uf_is(k, UF_STRING)) gen_string(g, k->text);
    else gen_node(g, k);
    gen_raw(g, ", ");
    gen_node(g, kid(p, UF_SLOT_VALUE));
  }
  gen_char(g, ')');
}

static void gen_struct(uf_gen *g, const uf_node *n) {
  const uf_node *args = kid(n, UF_SLOT_ARGS);
  if (!g->d->has_struct_literal && g->d->id == UF_DIALECT_DATAFUSION) {
    gen_named_struct(g, args);
    return;
  }
  need(g, g->d->has_struct_literal, "struct literal");
  gen_char(g, '{');
  gen_props(g, args);
  gen_char(g, '}');
}

static void gen_map(uf_gen *g, const uf_node *n) {
  need(g, g->d->has_map_literal, "MAP literal");
  gen_kw(g, "MAP");
  gen_raw(g, " {");
  gen_props(g, kid(n, UF_SLOT_ARGS));
  gen_char(g, '}');
}

static void gen_array(uf_gen *g, const uf_node *n) {
  const uf_node *q = kid(n, UF_SLOT_QUERY);
  if (q) {
    gen_kw(g, "ARRAY");
    gen_wrapped(g, "(", q, ")");
    return;
  }
  if (n->style == 1 || !g->d->has_list_literal) gen_kw(g, "ARRAY");
  gen_wrapped(g, "[", kid(n, UF_SLOT_ARGS), "]");
}

static void gen_tuple(uf_gen *g, const uf_node *n) {
  const uf_node *args = kid(n, UF_SLOT_ARGS);
  if (n->style == 1 || !args || args->nkids < 2) gen_kw(g, "ROW");
  gen_wrapped(g, "(", args, ")");
}

static void gen_slice(uf_gen *g, const uf_node *n) {
  const uf_node *lo = kid(n, UF_SLOT_LOW), *hi = kid(n, UF_SLOT_HIGH),
                *st = kid(n, UF_SLOT_STEP);
  gen_child(g, kid(n, UF_SLOT_THIS), PREC_POSTFIX, PREC_POSTFIX);
  gen_char(g, '[');
  gen_node(g, lo);
  gen_char(g, ':');
  gen_node(g, hi);
  if (st) {
    if (!hi) gen_space(g); /* "::" would read as a cast */
    gen_char(g, ':');
    gen_node(g, st);
  }
  gen_char(g, ']');
}

static void gen_alias(uf_gen *g, const uf_node *n) {
  const uf_node *a = kid(n, UF_SLOT_ALIAS);
  gen_node(g, kid(n, UF_SLOT_THIS));
  gen_kw_sp(g, "AS");
  if (uf_is(a, UF_LIST)) {
    gen_char(g, '(');
    for (uint32_t i = 0; i < a->nkids; i++) {
      if (i) gen_raw(g, ", ");
      gen_name(g, a->kids[i], NAME_ANY);
    }
    gen_char(g, ')');
  } else {
    gen_name(g, a, NAME_ANY);
  }
}

static void gen_named_arg(uf_gen *g, const uf_node *n) {
  gen_name(g, kid(n, UF_SLOT_NAME), NAME_ANY);
  bool walrus = n->style == 0 && g->d->has_named_args_walrus;
  gen_raw(g, walrus ? " := " : " => ");
  gen_node(g, kid(n, UF_SLOT_THIS));
}

static void gen_columns_expr(uf_gen *g, const uf_node *n) {
  need(g, g->d->has_star_modifiers, "COLUMNS(...)");
  if (n->flags & UF_F_ALL) gen_char(g, '*');
  gen_kw(g, "COLUMNS");
  gen_wrapped(g, "(", kid(n, UF_SLOT_THIS), ")");
}

static void gen_kw_child(uf_gen *g, const char *kw, const uf_node *n, const char *open,
                         const char *close) {
  gen_kw(g, kw);
  gen_wrapped(g, open, n, close);
}

/* ---- dispatch ---- */

bool gen_expr_node(uf_gen *g, const uf_node *n) {
  switch ((uf_kind)n->kind) {
  case UF_IDENT: gen_name(g, n, NAME_ALONE); break;
  case UF_NUMBER: gen_raw(g, n->text); break;
  case UF_STRING: gen_string_node(g, n); break;
  case UF_BIT_STRING: gen_based_string(g, "B'", n->text); break;
  case UF_HEX_STRING: gen_based_string(g, "X'", n->text); break;
  case UF_BOOLEAN: case UF_VAR: gen_kw(g, n->text); break;
  case UF_NULL: gen_kw(g, "NULL"); break;
  case UF_DEFAULT: gen_kw(g, "DEFAULT"); break;
  case UF_PARAM: gen_param(g, n); break;
  case UF_COLUMN: gen_column(g, n, false); break;
  case UF_STAR: gen_star(g, n); break;
  case UF_COLUMNS_EXPR: gen_columns_expr(g, n); break;
  case UF_DOT: gen_dot(g, n); break;
  case UF_BINARY: gen_binary(g, n); break;
  case UF_AND: gen_andor(g, n, "AND", PREC_AND); break;
  case UF_OR: gen_andor(g, n, "OR", PREC_OR); break;
  case UF_NOT:
    gen_kw(g, "NOT");
    gen_space(g);
    gen_right(g, kid(n, UF_SLOT_THIS), PREC_NOT);
    break;
  case UF_UNARY: gen_unary(g, n); break;
  case UF_PAREN: gen_wrapped(g, "(", kid(n, UF_SLOT_THIS), ")"); break;
  case UF_LIKE: gen_like(g, n); break;
  case UF_IS: gen_is(g, n); break;
  case UF_IS_DISTINCT: gen_is_distinct(g, n); break;
  case UF_BETWEEN: gen_between(g, n); break;
  case UF_IN: gen_in(g, n); break;
  case UF_QUANTIFIED: gen_kw_child(g, n->text, kid(n, UF_SLOT_THIS), "(", ")"); break;
  case UF_EXISTS: gen_kw_child(g, "EXISTS", kid(n, UF_SLOT_THIS), " (", ")"); break;
  case UF_SUBQUERY: gen_wrapped(g, "(", kid(n, UF_SLOT_THIS), ")"); break;
  case UF_CASE: gen_case(g, n); break;
  case UF_WHEN: gen_when(g, n); break;
  case UF_CAST: gen_cast(g, n); break;
  case UF_TYPE: gen_type(g, n); break;
  case UF_EXTRACT: gen_extract(g, n); break;
  case UF_INTERVAL: gen_interval(g, n); break;
  case UF_COLLATE:
    gen_left(g, kid(n, UF_SLOT_THIS), PREC_COLLATE);
    gen_kw_sp(g, "COLLATE");
    gen_name(g, kid(n, UF_SLOT_NAME), NAME_ANY);
    break;
  case UF_FUNC: gen_func(g, n); break;
  case UF_NAMED_ARG: gen_named_arg(g, n); break;
  case UF_LAMBDA: gen_lambda(g, n); break;
  case UF_WINDOW_SPEC: gen_window_spec(g, n); break;
  case UF_FRAME: gen_frame(g, n); break;
  case UF_FRAME_BOUND: gen_frame_bound(g, n); break;
  case UF_ORDERED: gen_ordered(g, n); break;
  case UF_ALIAS: gen_alias(g, n); break;
  case UF_ARRAY: gen_array(g, n); break;
  case UF_STRUCT: gen_struct(g, n); break;
  case UF_MAP: gen_map(g, n); break;
  case UF_PROP: gen_prop(g, n); break;
  case UF_TUPLE: gen_tuple(g, n); break;
  case UF_SUBSCRIPT:
    gen_child(g, kid(n, UF_SLOT_THIS), PREC_POSTFIX, PREC_POSTFIX);
    gen_wrapped(g, "[", kid(n, UF_SLOT_INDEX), "]");
    break;
  case UF_SLICE: gen_slice(g, n); break;
  default: return false;
  }
  return true;
}
