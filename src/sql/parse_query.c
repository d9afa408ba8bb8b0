/*
 * Queries and FROM items: WITH, SELECT (and DuckDB's FROM-first form), set
 * operations, VALUES, parenthesized queries, ORDER BY / LIMIT / OFFSET /
 * FETCH, samples, joins, table functions, derived tables and PIVOT.
 *
 * Node layout (see ast_kinds.h):
 * - A query's trailing ORDER BY / LIMIT / OFFSET go into the slots of the
 *   outermost node (SELECT, SET_OP or QUERY_PAREN), and so does WITH.
 * - Query style bits (SELECT, SET_OP, QUERY_PAREN) are in QS_* below.
 * - Comma joins are JOIN "CROSS" with style JS_COMMA; a parenthesized join
 *   keeps JS_PAREN so it regenerates as written.
 */
#include <string.h>

#include "sql/parser.h"
#include "sql/query_style.h"

static uf_node *parse_set_expr(uf_parser *p);
static uf_node *parse_select_core(uf_parser *p);
static uf_node *parse_table_primary(uf_parser *p);
static uf_node *parse_from_list(uf_parser *p);
static uf_node *parse_sample(uf_parser *p, bool table_level);

/* ---- lookahead ---- */

static bool is_query_kw(const uf_token *t) {
  if (t->type != TK_WORD) return false;
  return t->kw == KW_SELECT || t->kw == KW_WITH || t->kw == KW_VALUES ||
         t->kw == KW_FROM || t->kw == KW_PIVOT || t->kw == KW_UNPIVOT;
}

static const uf_token *tok_at(const uf_parser *p, uint32_t i) {
  return &p->toks.tok[i < p->toks.n ? i : p->toks.n - 1];
}

static bool tok_is_op(const uf_parser *p, uint32_t i, const char *op) {
  return uf_tok_is_op(p->src, tok_at(p, i), op);
}

/* Index of the ')' matching the '(' at token i, or the EOF index. */
static uint32_t matching_paren(const uf_parser *p, uint32_t i) {
  uint32_t depth = 0;
  for (; i + 1 < p->toks.n; i++) {
    if (tok_is_op(p, i, "(")) depth++;
    else if (tok_is_op(p, i, ")") && --depth == 0) return i;
  }
  return p->toks.n - 1;
}

/* Whether what follows a closed parenthesized query continues a query. */
static bool continues_query(const uf_parser *p, uint32_t i) {
  const uf_token *t = tok_at(p, i);
  if (tok_is_op(p, i, ")")) return true;
  return t->type == TK_WORD &&
         (t->kw == KW_UNION || t->kw == KW_INTERSECT || t->kw == KW_EXCEPT ||
          t->kw == KW_ORDER || t->kw == KW_LIMIT || t->kw == KW_OFFSET ||
          t->kw == KW_FETCH);
}

/* Whether the '(' at token k opens a parenthesized query: ( SELECT ...,
 * or ((SELECT ...) UNION ...) where every inner group closes into a query
 * continuation. Iterative and bounded, so hostile nesting stays cheap. */
static bool paren_query_at(const uf_parser *p, uint32_t k) {
  uint32_t i = k, opens = 0;
  while (tok_is_op(p, i, "(")) {
    if (++opens > p->max_depth + 1) return true; /* the depth limit reports */
    i++;
  }
  if (!is_query_kw(tok_at(p, i))) return false;
  for (uint32_t j = i - 1; j > k; j--) {
    uint32_t c = matching_paren(p, j);
    if (!continues_query(p, c + 1)) return false;
  }
  return true;
}

/* at_query_start: SELECT | WITH | VALUES | FROM | PIVOT | UNPIVOT | ( query */
bool at_query_start(const uf_parser *p) {
  if (is_query_kw(peek(p))) return true;
  return at_op(p, "(") && paren_query_at(p, p->pos);
}

/* ---- small pieces ---- */

/* A LIST positioned at token tok that leaves the token's comments to the
 * first item: lists are rendered without their own comments. */
static uf_node *new_list(uf_parser *p, uint32_t tok) {
  if (failed(p)) return NULL;
  uf_node *n = uf_node_new(p->tree, UF_LIST);
  if (!n) return error_oom(p);
  const uf_token *t = tok_at(p, tok);
  n->line = t->line;
  n->col = t->col;
  n->offset = t->off;
  return n;
}

/* Words that may not be an implicit (AS-less) alias after a FROM item:
 * they continue the statement around it. */
static bool at_implicit_alias(const uf_parser *p) {
  const uf_token *t = peek(p);
  if (t->type == TK_QIDENT) return true;
  if (t->type != TK_WORD) return false;
  if (t->kw == KW_NONE_) return !at_word(p, "REPEATABLE");
  if (uf_keyword_class((uf_keyword)t->kw) != KWC_U) return false;
  switch (t->kw) {
  case KW_SET: case KW_BY: case KW_SAMPLE: case KW_STORED: case KW_OPTIONS:
  case KW_LOCATION: case KW_PARTITIONED: case KW_OVERWRITE:
    return false;
  default:
    return true;
  }
}

/* ident_list := '(' ident {',' ident} ')' */
static uf_node *parse_paren_ident_list(uf_parser *p) {
  uf_node *list = new_list(p, p->pos);
  if (!expect_op(p, "(")) return NULL;
  do {
    uf_node *id = parse_ident(p);
    if (!id || !push(p, list, id)) return NULL;
  } while (accept_op(p, ","));
  return expect_op(p, ")") ? list : NULL;
}

/* A number literal followed by '%' (LIMIT 10%, USING SAMPLE 5%): the '%'
 * is a unit, not the modulo operator, so the expression parser must not
 * see it. Returns NULL (no error) when the input is not of that shape. */
static uf_node *number_percent(uf_parser *p) {
  const uf_token *t = peek(p);
  if (t->type != TK_NUMBER || !at_op_at(p, 1, "%")) return NULL;
  uf_node *n = mk_text(p, UF_NUMBER, p->pos, tok_src(p, t), t->len);
  advance(p);
  advance(p);
  return n;
}

/* table_alias := [AS] name ['(' col {, col} ')'] */
uf_node *parse_table_alias(uf_parser *p, bool require_as) {
  if (failed(p)) return NULL;
  uint32_t start = p->pos;
  bool as = accept_kw(p, KW_AS);
  if (!as && (require_as || !at_implicit_alias(p))) return NULL;
  uf_node *a = mk(p, UF_TABLE_ALIAS, start);
  uf_node *name = parse_ident(p);
  if (!name || !set(p, a, UF_SLOT_NAME, name)) return NULL;
  if (at_op(p, "(")) {
    uf_node *cols = parse_paren_ident_list(p);
    if (!cols || !set(p, a, UF_SLOT_COLUMNS, cols)) return NULL;
  }
  return a;
}

/* table_name := ident ['.' ident ['.' ident]] */
uf_node *parse_table_name(uf_parser *p) {
  if (failed(p)) return NULL;
  uint32_t start = p->pos;
  uf_node *parts[3];
  int n = 0;
  do {
    if (n == 3) return error_at(p, peek(p), "table name has too many parts");
    /* after a '.', any word is a name (PostgreSQL's ColLabel): s.case */
    const uf_token *w = peek(p);
    if (n > 0 && w->type == TK_WORD) {
      parts[n] = ident_from_token(p, p->pos);
      advance(p);
    } else {
      parts[n] = parse_ident(p);
    }
    if (!parts[n++]) return NULL;
  } while (accept_op(p, "."));
  uf_node *t = mk(p, UF_TABLE, start);
  static const uf_slot order[3][3] = {
      {UF_SLOT_THIS}, {UF_SLOT_DB, UF_SLOT_THIS},
      {UF_SLOT_CATALOG, UF_SLOT_DB, UF_SLOT_THIS}};
  for (int i = 0; i < n; i++)
    if (!set(p, t, order[n - 1][i], parts[i])) return NULL;
  return t;
}

/* ordered := expr [ASC | DESC] [NULLS (FIRST | LAST)] */
static uf_node *parse_ordered(uf_parser *p) {
  uint32_t start = p->pos;
  uf_node *e = parse_expr(p);
  if (!e) return NULL;
  uf_node *o = mk(p, UF_ORDERED, start);
  if (!set(p, o, UF_SLOT_THIS, e)) return NULL;
  if (accept_kw(p, KW_DESC)) o->flags |= UF_F_DESC;
  else if (accept_kw(p, KW_ASC)) o->style |= 1; /* ASC written */
  if (accept_kw(p, KW_NULLS)) {
    if (accept_kw(p, KW_FIRST)) o->flags |= UF_F_NULLS_FIRST;
    else if (expect_kw(p, KW_LAST)) o->flags |= UF_F_NULLS_LAST;
    else return NULL;
  }
  return o;
}

/* order_list := ordered {',' ordered} */
uf_node *parse_order_by_list(uf_parser *p) {
  uf_node *list = new_list(p, p->pos);
  do {
    uf_node *o = parse_ordered(p);
    if (!o || !push(p, list, o)) return NULL;
  } while (accept_op(p, ","));
  return list;
}

/* order_by := ORDER BY (ALL [ASC|DESC] [NULLS FIRST|LAST] | order_list) */
static uf_node *parse_order_by(uf_parser *p) {
  uf_node *ob = mk(p, UF_ORDER_BY, p->pos);
  if (!expect_kw(p, KW_ORDER) || !expect_kw(p, KW_BY)) return NULL;
  if (accept_kw(p, KW_ALL)) {
    /* ORDER BY ALL keeps its modifiers on the ORDER_BY node itself */
    ob->flags |= UF_F_ALL;
    if (accept_kw(p, KW_DESC)) ob->flags |= UF_F_DESC;
    else if (accept_kw(p, KW_ASC)) ob->style |= 1;
    if (accept_kw(p, KW_NULLS)) {
      if (accept_kw(p, KW_FIRST)) ob->flags |= UF_F_NULLS_FIRST;
      else if (expect_kw(p, KW_LAST)) ob->flags |= UF_F_NULLS_LAST;
    }
    return failed(p) ? NULL : ob;
  }
  uf_node *list = parse_order_by_list(p);
  return list && set(p, ob, UF_SLOT_EXPRS, list) ? ob : NULL;
}

/* ---- LIMIT / OFFSET / FETCH ---- */

/* limit := LIMIT (ALL | expr ['%' | PERCENT]) */
static uf_node *parse_limit(uf_parser *p) {
  uf_node *l = mk(p, UF_LIMIT, p->pos);
  advance(p); /* LIMIT */
  if (accept_kw(p, KW_ALL)) {
    l->flags |= UF_F_ALL;
    return l;
  }
  uf_node *e = number_percent(p);
  if (e) l->flags |= UF_F_PERCENT;
  else if (!failed(p)) e = parse_expr(p);
  if (!e || !set(p, l, UF_SLOT_THIS, e)) return NULL;
  if (!(l->flags & UF_F_PERCENT) && accept_kw(p, KW_PERCENT)) {
    l->flags |= UF_F_PERCENT;
    l->style |= LS_PERCENT_WORD;
  }
  return l;
}

/* fetch := FETCH (FIRST | NEXT) [expr] (ROW | ROWS) (ONLY | WITH TIES) */
static uf_node *parse_fetch(uf_parser *p) {
  uf_node *l = mk(p, UF_LIMIT, p->pos);
  advance(p); /* FETCH */
  l->style |= LS_FETCH;
  if (accept_kw(p, KW_NEXT)) l->style |= LS_NEXT;
  else if (!expect_kw(p, KW_FIRST)) return NULL;
  if (!at_kw(p, KW_ROW) && !at_kw(p, KW_ROWS)) {
    uf_node *e = parse_expr(p);
    if (!e || !set(p, l, UF_SLOT_THIS, e)) return NULL;
    if (accept_kw(p, KW_PERCENT)) l->flags |= UF_F_PERCENT;
  }
  if (accept_kw(p, KW_ROW)) l->style |= LS_ROW;
  else if (!expect_kw(p, KW_ROWS)) return NULL;
  if (accept_kw2(p, KW_WITH, KW_TIES)) l->flags |= UF_F_WITH_TIES;
  else if (!expect_kw(p, KW_ONLY)) return NULL;
  return l;
}

/* offset := OFFSET expr [ROW | ROWS] */
static uf_node *parse_offset(uf_parser *p, uf_node *q) {
  advance(p); /* OFFSET */
  uf_node *e = parse_expr(p);
  if (!e) return NULL;
  if (accept_kw(p, KW_ROWS)) q->style |= QS_OFFSET_ROWS;
  else if (accept_kw(p, KW_ROW)) q->style |= QS_OFFSET_ROWS | QS_OFFSET_ROW;
  return e;
}

/* Whether q (SELECT, SET_OP, QUERY_PAREN) has room for trailing clauses. */
static bool takes_modifiers(const uf_node *q) {
  return q->kind == UF_SELECT || q->kind == UF_SET_OP ||
         q->kind == UF_QUERY_PAREN;
}

/* modifiers := [order_by] {limit | offset | fetch} [USING SAMPLE ...]
 * attached to the outermost query node q. */
static bool parse_modifiers(uf_parser *p, uf_node *q) {
  bool any = at_kw(p, KW_ORDER) || at_kw(p, KW_LIMIT) || at_kw(p, KW_OFFSET) ||
             at_kw(p, KW_FETCH);
  if (!any) return true;
  if (!takes_modifiers(q))
    return error_at(p, peek(p), "ORDER BY/LIMIT cannot follow this query"), false;
  if (at_kw(p, KW_ORDER)) {
    uf_node *ob = parse_order_by(p);
    if (!ob || !set(p, q, UF_SLOT_ORDER, ob)) return false;
  }
  bool limit = false, offset = false;
  for (;;) {
    if (!limit && (at_kw(p, KW_LIMIT) || at_kw(p, KW_FETCH))) {
      uf_node *l = at_kw(p, KW_LIMIT) ? parse_limit(p) : parse_fetch(p);
      if (!l || !set(p, q, UF_SLOT_LIMIT, l)) return false;
      limit = true;
    } else if (!offset && at_kw(p, KW_OFFSET)) {
      if (!limit) q->style |= QS_OFFSET_FIRST;
      uf_node *e = parse_offset(p, q);
      if (!e || !set(p, q, UF_SLOT_OFFSET, e)) return false;
      offset = true;
    } else {
      break;
    }
  }
  if (!limit) q->style &= (uint8_t)~QS_OFFSET_FIRST;
  /* DuckDB also accepts USING SAMPLE after LIMIT */
  if (q->kind == UF_SELECT && !uf_get(q, UF_SLOT_SAMPLE) &&
      at_kw(p, KW_USING) && at_kw_at(p, 1, KW_SAMPLE)) {
    uf_node *s = parse_sample(p, false);
    if (!s || !set(p, q, UF_SLOT_SAMPLE, s)) return false;
  }
  return !failed(p);
}

/* ---- WITH ---- */

/* cte := name ['(' cols ')'] AS [[NOT] MATERIALIZED] '(' query ')' */
static uf_node *parse_cte(uf_parser *p) {
  uf_node *c = mk(p, UF_CTE, p->pos);
  uf_node *a = mk(p, UF_TABLE_ALIAS, p->pos);
  uf_node *name = parse_ident(p);
  if (!name || !set(p, a, UF_SLOT_NAME, name)) return NULL;
  if (at_op(p, "(")) {
    uf_node *cols = parse_paren_ident_list(p);
    if (!cols || !set(p, a, UF_SLOT_COLUMNS, cols)) return NULL;
  }
  if (!set(p, c, UF_SLOT_ALIAS, a) || !expect_kw(p, KW_AS)) return NULL;
  if (accept_kw2(p, KW_NOT, KW_MATERIALIZED)) c->flags |= UF_F_NOT_MATERIALIZED;
  else if (accept_kw(p, KW_MATERIALIZED)) c->flags |= UF_F_MATERIALIZED;
  if (!expect_op(p, "(")) return NULL;
  uf_node *q = parse_query(p);
  if (!q || !expect_op(p, ")")) return NULL;
  return set(p, c, UF_SLOT_THIS, q) ? c : NULL;
}

/* with := WITH [RECURSIVE] cte {',' cte} */
static uf_node *parse_with(uf_parser *p) {
  uf_node *w = mk(p, UF_WITH, p->pos);
  advance(p); /* WITH */
  if (accept_kw(p, KW_RECURSIVE)) w->flags |= UF_F_RECURSIVE;
  uf_node *ctes = new_list(p, p->pos);
  do {
    uf_node *c = parse_cte(p);
    if (!c || !push(p, ctes, c)) return NULL;
  } while (accept_op(p, ","));
  return set(p, w, UF_SLOT_CTES, ctes) ? w : NULL;
}

/* ---- queries ---- */

/* query := [with] set_expr modifiers */
uf_node *parse_query(uf_parser *p) {
  if (failed(p) || !enter(p)) return NULL;
  uf_node *w = NULL, *q = NULL;
  if (at_kw(p, KW_WITH)) w = parse_with(p);
  if (!failed(p)) q = parse_set_expr(p);
  if (q && !parse_modifiers(p, q)) q = NULL;
  if (q && w) {
    if (!takes_modifiers(q)) {
      leave(p);
      return error_at(p, peek(p), "WITH cannot precede this query");
    }
    if (!set(p, q, UF_SLOT_WITH, w)) q = NULL;
  }
  leave(p);
  return q;
}

/* values := VALUES '(' exprs ')' {',' '(' exprs ')'} */
static uf_node *parse_values(uf_parser *p) {
  uf_node *v = mk(p, UF_VALUES, p->pos);
  advance(p); /* VALUES */
  uf_node *rows = new_list(p, p->pos);
  do {
    uf_node *row = mk(p, UF_TUPLE, p->pos);
    if (!expect_op(p, "(")) return NULL;
    uf_node *args = parse_expr_list(p);
    if (!args || !expect_op(p, ")")) return NULL;
    if (!set(p, row, UF_SLOT_ARGS, args) || !push(p, rows, row)) return NULL;
  } while (accept_op(p, ","));
  return set(p, v, UF_SLOT_ROWS, rows) ? v : NULL;
}

static uf_node *parse_pivot_statement(uf_parser *p);

/* query_primary := select_core | values | pivot_stmt | '(' query ')' */
static uf_node *parse_query_primary(uf_parser *p) {
  if (at_kw(p, KW_VALUES)) return parse_values(p);
  if (at_kw(p, KW_PIVOT) || at_kw(p, KW_UNPIVOT)) return parse_pivot_statement(p);
  if (at_op(p, "(")) {
    uf_node *qp = mk(p, UF_QUERY_PAREN, p->pos);
    advance(p);
    uf_node *q = parse_query(p);
    if (!q || !expect_op(p, ")")) return NULL;
    return set(p, qp, UF_SLOT_THIS, q) ? qp : NULL;
  }
  if (at_kw(p, KW_SELECT) || at_kw(p, KW_FROM)) return parse_select_core(p);
  return error_expected(p, "a query");
}

/* set_op := (UNION | EXCEPT | INTERSECT) [ALL | DISTINCT] [BY NAME] */
static uf_node *parse_set_op_head(uf_parser *p, uf_node *left) {
  uf_node *s = mk(p, UF_SET_OP, p->pos);
  if (!s) return NULL;
  s->text = tok_upper(p, peek(p));
  advance(p);
  if (accept_kw(p, KW_ALL)) s->flags |= UF_F_ALL;
  else if (accept_kw(p, KW_DISTINCT)) s->flags |= UF_F_DISTINCT;
  if (accept_kw2(p, KW_BY, KW_NAME)) s->flags |= UF_F_BY_NAME;
  return set(p, s, UF_SLOT_LEFT, left) ? s : NULL;
}

/* set_term := query_primary {INTERSECT ... query_primary} */
static uf_node *parse_set_term(uf_parser *p) {
  uf_node *left = parse_query_primary(p);
  while (left && at_kw(p, KW_INTERSECT)) {
    uf_node *s = parse_set_op_head(p, left);
    uf_node *right = s ? parse_query_primary(p) : NULL;
    if (!right || !set(p, s, UF_SLOT_RIGHT, right)) return NULL;
    left = s;
  }
  return left;
}

/* set_expr := set_term {(UNION | EXCEPT) ... set_term}; INTERSECT binds
 * tighter, as in the SQL standard. */
static uf_node *parse_set_expr(uf_parser *p) {
  uf_node *left = parse_set_term(p);
  while (left && (at_kw(p, KW_UNION) || at_kw(p, KW_EXCEPT))) {
    uf_node *s = parse_set_op_head(p, left);
    uf_node *right = s ? parse_set_term(p) : NULL;
    if (!right || !set(p, s, UF_SLOT_RIGHT, right)) return NULL;
    left = s;
  }
  return left;
}

/* ---- SELECT ---- */

/* Whether the token ends a select list (trailing comma support). */
static bool at_select_list_end(const uf_parser *p) {
  const uf_token *t = peek(p);
  if (t->type == TK_EOF || at_op(p, ")") || at_op(p, ";")) return true;
  if (t->type != TK_WORD) return false;
  switch (t->kw) {
  case KW_FROM: case KW_WHERE: case KW_GROUP: case KW_HAVING: case KW_WINDOW:
  case KW_QUALIFY: case KW_ORDER: case KW_LIMIT: case KW_OFFSET:
  case KW_FETCH: case KW_UNION: case KW_INTERSECT: case KW_EXCEPT:
  case KW_INTO:
    return true;
  case KW_USING:
    return at_kw_at(p, 1, KW_SAMPLE);
  default:
    return false;
  }
}

/* select_list := select_item {',' select_item} [','] */
static uf_node *parse_select_list(uf_parser *p) {
  uf_node *list = new_list(p, p->pos);
  do {
    if (list && list->nkids && at_select_list_end(p)) break;
    uf_node *it = parse_select_item(p);
    if (!it || !push(p, list, it)) return NULL;
  } while (accept_op(p, ","));
  return list;
}

/* A group item: ROLLUP (...) | CUBE (...) | GROUPING SETS (...) | () | expr */
static uf_node *parse_group_item(uf_parser *p);

static uf_node *parse_grouping(uf_parser *p, const char *what) {
  uf_node *g = mk(p, UF_GROUPING, p->pos);
  if (!g) return NULL;
  g->text = intern(p, what, strlen(what));
  advance(p);
  if (strcmp(what, "GROUPING SETS") == 0) advance(p);
  uf_node *args = new_list(p, p->pos);
  if (!expect_op(p, "(")) return NULL;
  if (!at_op(p, ")")) {
    do {
      uf_node *it = parse_group_item(p);
      if (!it || !push(p, args, it)) return NULL;
    } while (accept_op(p, ","));
  }
  if (!expect_op(p, ")")) return NULL;
  return set(p, g, UF_SLOT_ARGS, args) ? g : NULL;
}

static uf_node *parse_group_item(uf_parser *p) {
  if (!enter(p)) return NULL;
  uf_node *r;
  if (at_kw(p, KW_ROLLUP) && at_op_at(p, 1, "(")) r = parse_grouping(p, "ROLLUP");
  else if (at_kw(p, KW_CUBE) && at_op_at(p, 1, "(")) r = parse_grouping(p, "CUBE");
  else if (at_kw(p, KW_GROUPING) && at_kw_at(p, 1, KW_SETS))
    r = parse_grouping(p, "GROUPING SETS");
  else if (at_op(p, "(") && at_op_at(p, 1, ")")) {
    /* the empty grouping set () */
    r = mk(p, UF_TUPLE, p->pos);
    uf_node *args = new_list(p, p->pos);
    advance(p);
    advance(p);
    if (!set(p, r, UF_SLOT_ARGS, args)) r = NULL;
  } else {
    r = parse_expr(p);
  }
  leave(p);
  return r;
}

/* group_by := GROUP BY (ALL | group_item {',' group_item}) */
static uf_node *parse_group_by(uf_parser *p) {
  uf_node *g = mk(p, UF_GROUP_BY, p->pos);
  advance(p); /* GROUP */
  if (!expect_kw(p, KW_BY)) return NULL;
  if (accept_kw(p, KW_ALL)) {
    g->flags |= UF_F_ALL;
    return g;
  }
  uf_node *list = new_list(p, p->pos);
  do {
    uf_node *it = parse_group_item(p);
    if (!it || !push(p, list, it)) return NULL;
  } while (accept_op(p, ","));
  return set(p, g, UF_SLOT_EXPRS, list) ? g : NULL;
}

/* named_window := name AS '(' window_spec ')' */
static uf_node *parse_named_window(uf_parser *p) {
  uf_node *w = mk(p, UF_NAMED_WINDOW, p->pos);
  uf_node *name = parse_ident(p);
  if (!name || !set(p, w, UF_SLOT_NAME, name) || !expect_kw(p, KW_AS) ||
      !expect_op(p, "("))
    return NULL;
  uf_node *spec = parse_window_spec(p);
  if (!spec || !expect_op(p, ")")) return NULL;
  return set(p, w, UF_SLOT_THIS, spec) ? w : NULL;
}

/* window := WINDOW named_window {',' named_window} */
static uf_node *parse_window_clause(uf_parser *p) {
  advance(p); /* WINDOW */
  uf_node *list = new_list(p, p->pos);
  do {
    uf_node *w = parse_named_window(p);
    if (!w || !push(p, list, w)) return NULL;
  } while (accept_op(p, ","));
  return list;
}

/* distinct := DISTINCT [ON '(' exprs ')'] | ALL */
static bool parse_distinct(uf_parser *p, uf_node *s) {
  if (accept_kw(p, KW_ALL)) {
    s->flags |= UF_F_ALL;
    return true;
  }
  if (!accept_kw(p, KW_DISTINCT)) return true;
  s->flags |= UF_F_DISTINCT;
  if (!accept_kw(p, KW_ON)) return true;
  if (!expect_op(p, "(")) return false;
  uf_node *on = parse_expr_list(p);
  return on && expect_op(p, ")") && set(p, s, UF_SLOT_DISTINCT_ON, on);
}

/* Parses `KW expr` into slot s when at kw. */
static bool clause_expr(uf_parser *p, uf_node *s, uf_keyword kw, uf_slot slot) {
  if (!at_kw(p, kw)) return true;
  advance(p);
  uf_node *e = parse_expr(p);
  return e && set(p, s, slot, e);
}

/* The clauses after FROM, in order:
 * [WHERE e] [GROUP BY ..] [HAVING e] [WINDOW ..] [QUALIFY e] [USING SAMPLE] */
static bool parse_select_tail(uf_parser *p, uf_node *s) {
  if (!clause_expr(p, s, KW_WHERE, UF_SLOT_WHERE)) return false;
  if (at_kw(p, KW_GROUP)) {
    uf_node *g = parse_group_by(p);
    if (!g || !set(p, s, UF_SLOT_GROUP, g)) return false;
  }
  if (!clause_expr(p, s, KW_HAVING, UF_SLOT_HAVING)) return false;
  if (at_kw(p, KW_WINDOW)) {
    uf_node *w = parse_window_clause(p);
    if (!w || !set(p, s, UF_SLOT_WINDOW, w)) return false;
  }
  if (!clause_expr(p, s, KW_QUALIFY, UF_SLOT_QUALIFY)) return false;
  if (at_kw(p, KW_USING) && at_kw_at(p, 1, KW_SAMPLE)) {
    uf_node *sm = parse_sample(p, false);
    if (!sm || !set(p, s, UF_SLOT_SAMPLE, sm)) return false;
  }
  return !failed(p);
}

/* select_head := SELECT distinct select_list [INTO table_name] */
static bool parse_select_head(uf_parser *p, uf_node *s) {
  advance(p); /* SELECT */
  if (!parse_distinct(p, s)) return false;
  uf_node *items = parse_select_list(p);
  if (!items || !set(p, s, UF_SLOT_EXPRS, items)) return false;
  if (accept_kw(p, KW_INTO)) {
    uf_node *t = parse_table_name(p);
    if (!t || !set(p, s, UF_SLOT_INTO, t)) return false;
  }
  return true;
}

/* select_core := select_head [FROM from_list] tail
 *              | FROM from_list [select_head] tail      (DuckDB FROM-first) */
static uf_node *parse_select_core(uf_parser *p) {
  uf_node *s = mk(p, UF_SELECT, p->pos);
  if (!s) return NULL;
  if (at_kw(p, KW_FROM)) {
    s->style |= QS_FROM_FIRST;
    advance(p);
    uf_node *from = parse_from_list(p);
    if (!from || !set(p, s, UF_SLOT_FROM, from)) return NULL;
    if (at_kw(p, KW_SELECT)) {
      if (!parse_select_head(p, s)) return NULL;
    } else {
      /* bare FROM t means SELECT * FROM t; the style bit keeps the form */
      s->style |= QS_BARE_FROM;
      uf_node *items = new_list(p, p->pos);
      uf_node *star = mk(p, UF_STAR, p->pos);
      if (!push(p, items, star) || !set(p, s, UF_SLOT_EXPRS, items)) return NULL;
    }
  } else {
    if (!parse_select_head(p, s)) return NULL;
    if (accept_kw(p, KW_FROM)) {
      uf_node *from = parse_from_list(p);
      if (!from || !set(p, s, UF_SLOT_FROM, from)) return NULL;
    }
  }
  return parse_select_tail(p, s) ? s : NULL;
}

/* ---- SAMPLE ---- */

/* sample_size := number ('%' | PERCENT | ROWS)? | expr ... */
static bool parse_sample_size(uf_parser *p, uf_node *s) {
  uf_node *e = number_percent(p);
  if (e) s->flags |= UF_F_PERCENT;
  else if (!failed(p)) e = parse_expr(p);
  if (!e || !set(p, s, UF_SLOT_SIZE, e)) return false;
  if (s->flags & UF_F_PERCENT) return true;
  if (accept_kw(p, KW_PERCENT)) {
    s->flags |= UF_F_PERCENT;
    s->style |= SS_PERCENT_WORD;
  } else if (accept_kw(p, KW_ROWS)) {
    s->style |= SS_ROWS_WORD;
  }
  return true;
}

static bool parse_seed(uf_parser *p, uf_node *s) {
  uf_node *seed = parse_expr(p);
  return seed && set(p, s, UF_SLOT_SEED, seed);
}

/* sample := (USING SAMPLE | TABLESAMPLE)
 *           ( '(' size ')' | method '(' size ')' | size ['(' method [',' seed] ')'] )
 *           [REPEATABLE '(' seed ')'] */
static uf_node *parse_sample(uf_parser *p, bool table_level) {
  uf_node *s = mk(p, UF_SAMPLE, p->pos);
  if (!s) return NULL;
  if (table_level) {
    advance(p); /* TABLESAMPLE */
    s->style |= SS_TABLESAMPLE;
  } else {
    advance(p); /* USING */
    advance(p); /* SAMPLE */
  }
  const uf_token *t = peek(p);
  if (at_op(p, "(")) {
    /* size in parentheses: TABLESAMPLE (10 PERCENT) */
    s->style |= SS_PAREN_SIZE;
    advance(p);
    if (!parse_sample_size(p, s) || !expect_op(p, ")")) return NULL;
  } else if (t->type == TK_WORD && at_op_at(p, 1, "(")) {
    /* method first: reservoir(50 ROWS) */
    s->style |= SS_METHOD_FIRST;
    s->text = tok_upper(p, t);
    advance(p);
    advance(p);
    if (!parse_sample_size(p, s) || !expect_op(p, ")")) return NULL;
  } else {
    if (!parse_sample_size(p, s)) return NULL;
    if (accept_op(p, "(")) {
      const uf_token *m = peek(p);
      if (m->type != TK_WORD) return error_expected(p, "a sampling method");
      s->text = tok_upper(p, m);
      advance(p);
      if (accept_op(p, ",") && !parse_seed(p, s)) return NULL;
      if (!expect_op(p, ")")) return NULL;
    }
  }
  if (accept_word(p, "REPEATABLE")) {
    if (uf_get(s, UF_SLOT_SEED)) return error_at(p, peek(p), "sample seed given twice");
    s->style |= SS_REPEATABLE;
    if (!expect_op(p, "(") || !parse_seed(p, s) || !expect_op(p, ")")) return NULL;
  }
  return failed(p) ? NULL : s;
}

/* ---- PIVOT / UNPIVOT ---- */

/* A list of pivot values or columns: item {',' item}, items with aliases. */
static uf_node *parse_item_list(uf_parser *p) {
  uf_node *list = new_list(p, p->pos);
  do {
    uf_node *it = parse_select_item(p);
    if (!it || !push(p, list, it)) return NULL;
  } while (accept_op(p, ","));
  return list;
}

/* pivot_in := expr IN '(' items ')' */
static uf_node *parse_pivot_in(uf_parser *p, uf_node *col, uint32_t start) {
  uf_node *pi = mk(p, UF_PIVOT_IN, start);
  if (!set(p, pi, UF_SLOT_THIS, col) || !expect_kw(p, KW_IN) || !expect_op(p, "("))
    return NULL;
  uf_node *vals = parse_item_list(p);
  if (!vals || !expect_op(p, ")")) return NULL;
  return set(p, pi, UF_SLOT_LIST, vals) ? pi : NULL;
}

/* Statement-form ON list: expr [IN '(' items ')'] {',' ...} */
static uf_node *parse_pivot_on_list(uf_parser *p) {
  uf_node *list = new_list(p, p->pos);
  do {
    uint32_t start = p->pos;
    uf_node *e = parse_expr(p);
    if (e && at_kw(p, KW_IN)) e = parse_pivot_in(p, e, start);
    if (!e || !push(p, list, e)) return NULL;
  } while (accept_op(p, ","));
  return list;
}

/* UNPIVOT's INCLUDE NULLS / EXCLUDE NULLS */
static bool parse_unpivot_nulls(uf_parser *p, uf_node *pv) {
  if (accept_word(p, "INCLUDE")) {
    pv->flags |= UF_F_RESPECT_NULLS;
    return expect_kw(p, KW_NULLS);
  }
  if (accept_kw(p, KW_EXCLUDE)) {
    pv->style |= PS_EXCLUDE_NULLS;
    return expect_kw(p, KW_NULLS);
  }
  return true;
}

/* pivot_stmt := PIVOT source ON on_list [USING items] [GROUP BY exprs]
 *             | UNPIVOT [INCLUDE NULLS] source ON items
 *                 INTO NAME name VALUE value {',' value}
 * The source is a FROM item (a table, a function or a parenthesized query). */
static uf_node *parse_pivot_statement(uf_parser *p) {
  uf_node *pv = mk(p, UF_PIVOT, p->pos);
  if (!pv) return NULL;
  bool unpivot = at_kw(p, KW_UNPIVOT);
  pv->text = intern(p, unpivot ? "UNPIVOT" : "PIVOT", unpivot ? 7 : 5);
  pv->style |= PS_STATEMENT;
  advance(p);
  if (unpivot && !parse_unpivot_nulls(p, pv)) return NULL;
  uf_node *src = parse_table_primary(p);
  if (!src || !set(p, pv, UF_SLOT_THIS, src) || !expect_kw(p, KW_ON)) return NULL;
  uf_node *on = unpivot ? parse_item_list(p) : parse_pivot_on_list(p);
  if (!on || !set(p, pv, UF_SLOT_PIVOT_ON, on)) return NULL;
  if (unpivot) {
    uf_node *names = new_list(p, p->pos);
    if (!expect_kw(p, KW_INTO) || !expect_kw(p, KW_NAME)) return NULL;
    uf_node *n = parse_ident(p);
    if (!n || !push(p, names, n) || !accept_word(p, "VALUE"))
      return failed(p) ? NULL : error_expected(p, "VALUE");
    do {
      uf_node *v = parse_ident(p);
      if (!v || !push(p, names, v)) return NULL;
    } while (accept_op(p, ","));
    return set(p, pv, UF_SLOT_EXPRS, names) ? pv : NULL;
  }
  if (accept_kw(p, KW_USING)) {
    uf_node *aggs = parse_item_list(p);
    if (!aggs || !set(p, pv, UF_SLOT_PIVOT_USING, aggs)) return NULL;
  }
  if (at_kw(p, KW_GROUP)) {
    advance(p);
    if (!expect_kw(p, KW_BY)) return NULL;
    uf_node *g = parse_expr_list(p);
    if (!g || !set(p, pv, UF_SLOT_GROUP, g)) return NULL;
  }
  return pv;
}

/* pivot_op := PIVOT '(' items FOR pivot_in {pivot_in} [GROUP BY exprs] ')'
 *           | UNPIVOT [INCLUDE NULLS] '(' (col | '(' cols ')') FOR pivot_in ')'
 *           followed by [[AS] alias] */
static uf_node *parse_pivot_op(uf_parser *p, uf_node *src) {
  uf_node *pv = mk(p, UF_PIVOT, p->pos);
  if (!pv) return NULL;
  bool unpivot = at_kw(p, KW_UNPIVOT);
  pv->text = intern(p, unpivot ? "UNPIVOT" : "PIVOT", unpivot ? 7 : 5);
  advance(p);
  if (unpivot && !parse_unpivot_nulls(p, pv)) return NULL;
  if (!set(p, pv, UF_SLOT_THIS, src) || !expect_op(p, "(")) return NULL;
  uf_node *vals;
  if (unpivot && at_op(p, "(")) {
    vals = parse_paren_ident_list(p);
  } else if (unpivot) {
    /* value columns are names to create, not expressions */
    vals = new_list(p, p->pos);
    uf_node *v = parse_ident(p);
    if (!v || !push(p, vals, v)) return NULL;
  } else {
    vals = parse_item_list(p);
  }
  if (!vals || !set(p, pv, UF_SLOT_PIVOT_USING, vals) || !expect_kw(p, KW_FOR))
    return NULL;
  uf_node *ins = new_list(p, p->pos);
  do {
    uint32_t start = p->pos;
    uf_node *col;
    if (at_op(p, "(")) {
      col = mk(p, UF_TUPLE, start);
      uf_node *cols = parse_paren_ident_list(p);
      if (!cols || !set(p, col, UF_SLOT_ARGS, cols)) return NULL;
    } else {
      col = parse_ident(p);
    }
    uf_node *pi = col ? parse_pivot_in(p, col, start) : NULL;
    if (!pi || !push(p, ins, pi)) return NULL;
  } while (!unpivot && !at_op(p, ")") && !at_kw(p, KW_GROUP));
  if (!set(p, pv, UF_SLOT_PIVOT_ON, ins)) return NULL;
  if (!unpivot && at_kw(p, KW_GROUP)) {
    advance(p);
    if (!expect_kw(p, KW_BY)) return NULL;
    uf_node *g = parse_expr_list(p);
    if (!g || !set(p, pv, UF_SLOT_GROUP, g)) return NULL;
  }
  if (!expect_op(p, ")")) return NULL;
  uf_node *alias = parse_table_alias(p, false);
  if (failed(p)) return NULL;
  return set(p, pv, UF_SLOT_ALIAS, alias) ? pv : NULL;
}

/* ---- FROM items ---- */

/* Sets the alias and an optional TABLESAMPLE on a FROM item. */
static uf_node *table_suffix(uf_parser *p, uf_node *t) {
  uf_node *alias = parse_table_alias(p, false);
  if (failed(p) || !set(p, t, UF_SLOT_ALIAS, alias)) return NULL;
  if (at_kw(p, KW_TABLESAMPLE)) {
    uf_node *s = parse_sample(p, true);
    if (!s || !set(p, t, UF_SLOT_SAMPLE, s)) return NULL;
  }
  return t;
}

/* table_func := func_call [WITH ORDINALITY] [alias] */
static uf_node *parse_table_func(uf_parser *p) {
  uf_node *tf = mk(p, UF_TABLE_FUNC, p->pos);
  uf_node *f = parse_expr(p);
  if (!f) return NULL;
  if (f->kind != UF_FUNC) return error_at(p, peek(p), "expected a table function call");
  if (!set(p, tf, UF_SLOT_THIS, f)) return NULL;
  if (at_kw(p, KW_WITH) && at_kw_at(p, 1, KW_ORDINALITY)) {
    uf_node *o = mk_text(p, UF_VAR, p->pos, "ORDINALITY", 10);
    advance(p);
    advance(p);
    if (!set(p, tf, UF_SLOT_ORDINALITY, o)) return NULL;
  }
  return table_suffix(p, tf);
}

/* Whether a table function call starts here: name ['.' name]* '(' */
static bool at_table_func(const uf_parser *p) {
  uint32_t i = p->pos;
  for (int parts = 0; parts < 3; parts++) {
    const uf_token *t = tok_at(p, i);
    if (t->type != TK_WORD && t->type != TK_QIDENT) return false;
    if (tok_is_op(p, i + 1, "(")) return true;
    if (!tok_is_op(p, i + 1, ".")) return false;
    i += 2;
  }
  return false;
}

/* derived := '(' query ')' [alias] | VALUES ... [alias]
 * paren_join := '(' from_item ')' [alias] */
static uf_node *parse_paren_item(uf_parser *p) {
  uint32_t start = p->pos;
  if (paren_query_at(p, p->pos)) {
    uf_node *d = mk(p, UF_DERIVED, start);
    advance(p);
    uf_node *q = parse_query(p);
    if (!q || !expect_op(p, ")") || !set(p, d, UF_SLOT_THIS, q)) return NULL;
    return table_suffix(p, d);
  }
  advance(p);
  uf_node *inner = parse_from_list(p);
  if (!inner || !expect_op(p, ")")) return NULL;
  if (inner->kind == UF_JOIN) inner->style |= JS_PAREN;
  uf_node *alias = parse_table_alias(p, false);
  if (failed(p)) return NULL;
  if (!alias) return inner;
  /* an aliased join tree is a derived table over the join */
  uf_node *d = mk(p, UF_DERIVED, start);
  if (!set(p, d, UF_SLOT_THIS, inner) || !set(p, d, UF_SLOT_ALIAS, alias)) return NULL;
  return d;
}

/* table_primary := [LATERAL] (derived | paren_join | table_func | table_name
 *                  | 'file') [alias] [TABLESAMPLE ...] {PIVOT .. | UNPIVOT ..} */
static uf_node *parse_table_primary(uf_parser *p) {
  if (failed(p) || !enter(p)) return NULL;
  bool lateral = accept_kw(p, KW_LATERAL);
  uf_node *t;
  if (at_op(p, "(")) {
    t = parse_paren_item(p);
  } else if (at_kw(p, KW_VALUES)) {
    t = mk(p, UF_DERIVED, p->pos);
    if (t) t->style |= DS_BARE_VALUES;
    uf_node *v = parse_values(p);
    if (!v || !set(p, t, UF_SLOT_THIS, v)) t = NULL;
    else t = table_suffix(p, t);
  } else if (at_table_func(p)) {
    t = parse_table_func(p);
  } else if (peek(p)->type == TK_STRING) {
    /* DuckDB: FROM 'file.parquet' reads the file (a replacement scan) */
    t = mk(p, UF_TABLE, p->pos);
    uf_node *path = parse_string_lit(p);
    if (!path || !set(p, t, UF_SLOT_THIS, path)) t = NULL;
    else t = table_suffix(p, t);
  } else if (at_ident(p) || peek(p)->type == TK_QIDENT) {
    t = parse_table_name(p);
    if (t) t = table_suffix(p, t);
  } else {
    t = error_expected(p, "a table");
  }
  if (t && lateral) {
    if (t->kind != UF_DERIVED && t->kind != UF_TABLE_FUNC)
      t = error_at(p, peek(p), "LATERAL needs a subquery or a table function");
    else t->flags |= UF_F_LATERAL;
  }
  while (t && (at_kw(p, KW_PIVOT) || at_kw(p, KW_UNPIVOT))) t = parse_pivot_op(p, t);
  leave(p);
  return t;
}

/* join_type := [NATURAL] ([INNER] | (LEFT|RIGHT|FULL) [OUTER] | CROSS | SEMI |
 *              ANTI | POSITIONAL | ASOF [LEFT]) JOIN
 * Returns a JOIN node without children, or NULL (no error) when the input
 * is not at a join. */
static uf_node *parse_join_type(uf_parser *p) {
  uint32_t start = p->pos, save = p->pos;
  uint32_t flags = 0;
  uint8_t style = 0;
  const char *text = "";
  if (accept_kw(p, KW_NATURAL)) flags |= UF_F_NATURAL;
  if (accept_kw(p, KW_INNER)) style |= JS_INNER;
  else if (at_kw(p, KW_LEFT) || at_kw(p, KW_RIGHT) || at_kw(p, KW_FULL)) {
    text = at_kw(p, KW_LEFT) ? "LEFT" : at_kw(p, KW_RIGHT) ? "RIGHT" : "FULL";
    advance(p);
    if (accept_kw(p, KW_OUTER)) style |= JS_OUTER;
  } else if (accept_kw(p, KW_CROSS)) text = "CROSS";
  else if (accept_kw(p, KW_SEMI)) text = "SEMI";
  else if (accept_kw(p, KW_ANTI)) text = "ANTI";
  else if (accept_kw(p, KW_POSITIONAL)) text = "POSITIONAL";
  else if (accept_kw(p, KW_ASOF)) {
    text = "ASOF";
    if (accept_kw(p, KW_LEFT)) {
      text = "ASOF LEFT";
      if (accept_kw(p, KW_OUTER)) style |= JS_OUTER;
    }
  }
  if (!accept_kw(p, KW_JOIN)) {
    if (p->pos != save) return error_expected(p, "JOIN");
    return NULL;
  }
  uf_node *j = mk(p, UF_JOIN, start);
  if (!j) return NULL;
  j->text = intern(p, text, strlen(text));
  j->flags |= flags;
  j->style |= style;
  return j;
}

/* Whether a join of this type takes ON / USING. */
static bool join_needs_condition(const uf_node *j) {
  if (j->flags & UF_F_NATURAL) return false;
  return strcmp(j->text, "CROSS") != 0 && strcmp(j->text, "POSITIONAL") != 0;
}

static uf_node *parse_join_chain(uf_parser *p, uf_node *left);

/* join_condition := ON expr | USING '(' cols ')' */
static bool parse_join_condition(uf_parser *p, uf_node *j) {
  if (accept_kw(p, KW_ON)) {
    uf_node *e = parse_expr(p);
    return e && set(p, j, UF_SLOT_ON, e);
  }
  if (accept_kw(p, KW_USING)) {
    uf_node *cols = parse_paren_ident_list(p);
    return cols && set(p, j, UF_SLOT_USING, cols);
  }
  /* DuckDB allows a plain JOIN without condition only for CROSS-like
   * kinds; everything else needs one. */
  error_expected(p, "ON or USING");
  return false;
}

/* join_chain := table_primary {join_type table_ref [join_condition]}
 * where the right side of a qualified join may itself be a join chain that
 * ends before the outer join's ON (a JOIN b JOIN c ON x ON y). */
static uf_node *parse_join_chain(uf_parser *p, uf_node *left) {
  while (left && !failed(p)) {
    uf_node *j = parse_join_type(p);
    if (!j) break;
    if (!enter(p)) return NULL;
    uf_node *right = parse_table_primary(p);
    bool cond = join_needs_condition(j);
    if (right && cond && !at_kw(p, KW_ON) && !at_kw(p, KW_USING))
      right = parse_join_chain(p, right);
    leave(p);
    if (!right || !set(p, j, UF_SLOT_LEFT, left) || !set(p, j, UF_SLOT_RIGHT, right))
      return NULL;
    if (cond && !parse_join_condition(p, j)) return NULL;
    left = j;
  }
  return failed(p) ? NULL : left;
}

/* from_item := table_primary {join} */
uf_node *parse_from_item(uf_parser *p) {
  if (failed(p)) return NULL;
  uf_node *t = parse_table_primary(p);
  return t ? parse_join_chain(p, t) : NULL;
}

/* from_list := from_item {',' from_item}; commas are CROSS joins that
 * bind looser than any JOIN keyword. */
static uf_node *parse_from_list(uf_parser *p) {
  uf_node *left = parse_from_item(p);
  while (left && at_op(p, ",")) {
    uf_node *j = mk_text(p, UF_JOIN, p->pos, "CROSS", 5);
    advance(p);
    if (!j) return NULL;
    j->style |= JS_COMMA;
    uf_node *right = parse_from_item(p);
    if (!right || !set(p, j, UF_SLOT_LEFT, left) || !set(p, j, UF_SLOT_RIGHT, right))
      return NULL;
    left = j;
  }
  return left;
}
