/*
 * Generator rules for queries and FROM items (the QUERY and TABLE kinds and
 * their clauses). Layout follows SQLGlot's pretty printer: each clause
 * keyword starts a line at the current indent, list items go one per line
 * one level deeper, subqueries are indented inside their parentheses, and
 * every JOIN starts its own line with its condition indented below it.
 * Compact mode is the same code path with spaces for line breaks.
 */
#include <string.h>

#include "sql/gen.h"
#include "sql/query_style.h"

static void gen_query_body(uf_gen *g, const uf_node *q);
static void gen_from_item(uf_gen *g, const uf_node *t);

/* ---- layout helpers ---- */

/* '(' query ')': in pretty mode the query is indented on its own lines.
 * Declared in gen.h for expression subqueries (IN, EXISTS, scalar). */
void gen_subquery(uf_gen *g, const uf_node *q) {
  gen_char(g, '(');
  if (gen_pretty(g)) {
    gen_indent(g);
    gen_newline(g);
    gen_node(g, q);
    gen_dedent(g);
    gen_newline(g);
  } else {
    gen_node(g, q);
  }
  gen_char(g, ')');
}

/* KW followed by a list: items one per line, indented, in pretty mode. */
static void gen_clause_list(uf_gen *g, const char *kw, const uf_node *list) {
  gen_kw(g, kw);
  if (gen_pretty(g)) {
    gen_indent(g);
    gen_newline(g);
    gen_list(g, list, ", ", true);
    gen_dedent(g);
  } else {
    gen_space(g);
    gen_list(g, list, ", ", false);
  }
}

/* An optional clause on a new line: KW expr (or list), the expression
 * indented below in pretty mode. */
static void gen_clause_expr(uf_gen *g, const char *kw, const uf_node *e) {
  if (!e) return;
  gen_sep(g);
  gen_clause_list(g, kw, e);
}

static bool is_kind(const uf_node *n, uf_kind k) { return n && n->kind == k; }

/* Leading comments of a node this file renders without gen_node (VALUES
 * rows, the empty grouping set), in generate.c's form. */
static void gen_own_comments(uf_gen *g, const uf_node *n) {
  gen_leading_comments(g, n);
}

/* ---- WITH ---- */

/* cte := name [(cols)] AS [[NOT] MATERIALIZED] (query) */
static void gen_cte(uf_gen *g, const uf_node *c) {
  gen_node(g, kid(c, UF_SLOT_ALIAS));
  gen_space(g);
  gen_kw(g, "AS");
  gen_space(g);
  if (c->flags & UF_F_NOT_MATERIALIZED) {
    gen_kw(g, "NOT MATERIALIZED");
    gen_space(g);
  } else if (c->flags & UF_F_MATERIALIZED) {
    gen_kw(g, "MATERIALIZED");
    gen_space(g);
  }
  gen_subquery(g, kid(c, UF_SLOT_THIS));
}

static void gen_with(uf_gen *g, const uf_node *w) {
  gen_kw(g, "WITH");
  gen_space(g);
  if (w->flags & UF_F_RECURSIVE) {
    gen_kw(g, "RECURSIVE");
    gen_space(g);
  }
  gen_list(g, kid(w, UF_SLOT_CTES), ", ", false);
}

/* The WITH clause of a query, followed by a separator. */
static void gen_query_with(uf_gen *g, const uf_node *q) {
  const uf_node *w = kid(q, UF_SLOT_WITH);
  if (!w) return;
  gen_node(g, w);
  gen_sep(g);
}

/* ---- ORDER BY / LIMIT / OFFSET ---- */

static void gen_order_by(uf_gen *g, const uf_node *ob) {
  if (!(ob->flags & UF_F_ALL)) {
    gen_clause_list(g, "ORDER BY", kid(ob, UF_SLOT_EXPRS));
    return;
  }
  if (!g->d->has_group_by_all) { gen_unsupported(g, "ORDER BY ALL"); return; }
  gen_kw(g, "ORDER BY ALL");
  if (ob->flags & UF_F_DESC) { gen_space(g); gen_kw(g, "DESC"); }
  else if (ob->style & 1) { gen_space(g); gen_kw(g, "ASC"); }
  if (ob->flags & UF_F_NULLS_FIRST) { gen_space(g); gen_kw(g, "NULLS FIRST"); }
  else if (ob->flags & UF_F_NULLS_LAST) { gen_space(g); gen_kw(g, "NULLS LAST"); }
}

static void gen_offset(uf_gen *g, const uf_node *q, const uf_node *off) {
  gen_sep(g);
  gen_kw(g, "OFFSET");
  gen_space(g);
  gen_node(g, off);
  if (q->style & QS_OFFSET_ROWS) {
    gen_space(g);
    gen_kw(g, (q->style & QS_OFFSET_ROW) ? "ROW" : "ROWS");
  }
}

/* Whether a LIMIT node is written as FETCH in this dialect. */
static bool limit_as_fetch(const uf_gen *g, const uf_node *l) {
  if (!(l->style & LS_FETCH) && !(l->flags & UF_F_WITH_TIES)) return false;
  return g->d->has_fetch || (l->flags & UF_F_WITH_TIES);
}

/* FETCH (FIRST|NEXT) [n] ROW[S] (ONLY | WITH TIES) */
static void gen_fetch(uf_gen *g, const uf_node *l) {
  if (!g->d->has_fetch) { gen_unsupported(g, "FETCH ... WITH TIES"); return; }
  gen_kw(g, (l->style & LS_NEXT) ? "FETCH NEXT" : "FETCH FIRST");
  gen_space(g);
  if (kid(l, UF_SLOT_THIS)) {
    gen_node(g, kid(l, UF_SLOT_THIS));
    gen_space(g);
    if (l->flags & UF_F_PERCENT) { gen_kw(g, "PERCENT"); gen_space(g); }
  }
  gen_kw(g, (l->style & LS_ROW) ? "ROW" : "ROWS");
  gen_space(g);
  gen_kw(g, (l->flags & UF_F_WITH_TIES) ? "WITH TIES" : "ONLY");
}

/* LIMIT (ALL | n [% | PERCENT]) */
static void gen_limit(uf_gen *g, const uf_node *l) {
  if (limit_as_fetch(g, l)) { gen_fetch(g, l); return; }
  gen_kw(g, "LIMIT");
  gen_space(g);
  if (l->flags & UF_F_ALL) { gen_kw(g, "ALL"); return; }
  gen_node(g, kid(l, UF_SLOT_THIS));
  if (!(l->flags & UF_F_PERCENT)) return;
  if (l->style & LS_PERCENT_WORD) { gen_space(g); gen_kw(g, "PERCENT"); }
  else gen_char(g, '%');
}

/* ORDER BY, then LIMIT and OFFSET in the written order (FETCH always comes
 * after OFFSET, as the standard requires). */
static void gen_modifiers(uf_gen *g, const uf_node *q) {
  const uf_node *ob = kid(q, UF_SLOT_ORDER), *l = kid(q, UF_SLOT_LIMIT),
                *off = kid(q, UF_SLOT_OFFSET);
  if (ob) {
    gen_sep(g);
    gen_order_by(g, ob);
  }
  bool offset_first = off && (!l || (q->style & QS_OFFSET_FIRST) ||
                              limit_as_fetch(g, l));
  if (off && offset_first) gen_offset(g, q, off);
  if (l) {
    gen_sep(g);
    gen_limit(g, l);
  }
  if (off && !offset_first) gen_offset(g, q, off);
}

/* ---- SAMPLE ---- */

static void gen_sample_size(uf_gen *g, const uf_node *s) {
  gen_node(g, kid(s, UF_SLOT_SIZE));
  if (s->flags & UF_F_PERCENT) {
    if (s->style & SS_PERCENT_WORD) { gen_space(g); gen_kw(g, "PERCENT"); }
    else gen_char(g, '%');
  } else if (s->style & SS_ROWS_WORD) {
    gen_space(g);
    gen_kw(g, "ROWS");
  }
}

/* (USING SAMPLE | TABLESAMPLE) (method(size) | size [(method [, seed])])
 * [REPEATABLE (seed)] */
static void gen_sample(uf_gen *g, const uf_node *s) {
  if (!g->d->has_sample) { gen_unsupported(g, "SAMPLE"); return; }
  gen_kw(g, (s->style & SS_TABLESAMPLE) ? "TABLESAMPLE" : "USING SAMPLE");
  gen_space(g);
  const uf_node *seed = kid(s, UF_SLOT_SEED);
  bool method = s->text[0] != '\0';
  bool repeatable = seed && ((s->style & SS_REPEATABLE) || !method ||
                             (s->style & SS_METHOD_FIRST));
  if (!method && (s->style & SS_PAREN_SIZE)) {
    gen_char(g, '(');
    gen_sample_size(g, s);
    gen_char(g, ')');
  } else if (method && (s->style & SS_METHOD_FIRST)) {
    gen_kw(g, s->text);
    gen_char(g, '(');
    gen_sample_size(g, s);
    gen_char(g, ')');
  } else {
    gen_sample_size(g, s);
    if (method) {
      gen_raw(g, " (");
      gen_kw(g, s->text);
      if (seed && !repeatable) {
        gen_raw(g, ", ");
        gen_node(g, seed);
      }
      gen_char(g, ')');
    }
  }
  if (repeatable) {
    gen_space(g);
    gen_kw(g, "REPEATABLE");
    gen_raw(g, " (");
    gen_node(g, seed);
    gen_char(g, ')');
  }
}

/* ---- SELECT ---- */

static void gen_select_items(uf_gen *g, const uf_node *s) {
  gen_kw(g, "SELECT");
  if (s->flags & UF_F_DISTINCT) {
    gen_space(g);
    gen_kw(g, "DISTINCT");
    const uf_node *on = kid(s, UF_SLOT_DISTINCT_ON);
    if (on) {
      if (!g->d->has_distinct_on) { gen_unsupported(g, "DISTINCT ON"); return; }
      gen_space(g);
      gen_kw(g, "ON");
      gen_raw(g, " (");
      gen_list(g, on, ", ", false);
      gen_char(g, ')');
    }
  } else if (s->flags & UF_F_ALL) {
    gen_space(g);
    gen_kw(g, "ALL");
  }
  const uf_node *items = kid(s, UF_SLOT_EXPRS);
  if (!items || (is_kind(items, UF_LIST) && items->nkids == 0)) return;
  if (gen_pretty(g)) {
    gen_indent(g);
    gen_newline(g);
    gen_list(g, items, ", ", true);
    gen_dedent(g);
  } else {
    gen_space(g);
    gen_list(g, items, ", ", false);
  }
  if (kid(s, UF_SLOT_INTO)) {
    gen_sep(g);
    gen_kw(g, "INTO");
    gen_space(g);
    gen_node(g, kid(s, UF_SLOT_INTO));
  }
}

static void gen_from_clause(uf_gen *g, const uf_node *from) {
  gen_kw(g, "FROM");
  gen_space(g);
  gen_from_item(g, from);
}

/* Whether the select list is exactly a plain '*', so FROM t can stand alone. */
static bool is_plain_star_select(const uf_node *s) {
  const uf_node *items = kid(s, UF_SLOT_EXPRS);
  if (!is_kind(items, UF_LIST) || items->nkids != 1) return false;
  const uf_node *st = items->kids[0];
  if (!is_kind(st, UF_STAR) || st->flags) return false;
  for (uint32_t i = 0; i < st->nkids; i++)
    if (st->kids[i]) return false;
  return !(s->flags & (UF_F_DISTINCT | UF_F_ALL)) && !kid(s, UF_SLOT_INTO);
}

static void gen_group_by(uf_gen *g, const uf_node *gb) {
  if (gb->flags & UF_F_ALL) {
    if (!g->d->has_group_by_all) { gen_unsupported(g, "GROUP BY ALL"); return; }
    gen_kw(g, "GROUP BY ALL");
    return;
  }
  gen_clause_list(g, "GROUP BY", kid(gb, UF_SLOT_EXPRS));
}

/* FROM-first is presentation only: where the target lacks it, the same
 * query is written in the standard order. */
static void gen_select(uf_gen *g, const uf_node *s) {
  gen_query_with(g, s);
  const uf_node *from = kid(s, UF_SLOT_FROM);
  bool from_first = from && (s->style & QS_FROM_FIRST) && g->d->has_from_first;
  if (from_first) {
    gen_from_clause(g, from);
    if (!((s->style & QS_BARE_FROM) && is_plain_star_select(s))) {
      gen_sep(g);
      gen_select_items(g, s);
    }
  } else {
    gen_select_items(g, s);
    if (from) {
      gen_sep(g);
      gen_from_clause(g, from);
    }
  }
  gen_clause_expr(g, "WHERE", kid(s, UF_SLOT_WHERE));
  if (kid(s, UF_SLOT_GROUP)) {
    gen_sep(g);
    gen_group_by(g, kid(s, UF_SLOT_GROUP));
  }
  gen_clause_expr(g, "HAVING", kid(s, UF_SLOT_HAVING));
  gen_clause_expr(g, "WINDOW", kid(s, UF_SLOT_WINDOW));
  if (kid(s, UF_SLOT_QUALIFY)) {
    if (!g->d->has_qualify) { gen_unsupported(g, "QUALIFY"); return; }
    gen_clause_expr(g, "QUALIFY", kid(s, UF_SLOT_QUALIFY));
  }
  if (kid(s, UF_SLOT_SAMPLE)) {
    gen_sep(g);
    gen_sample(g, kid(s, UF_SLOT_SAMPLE));
  }
  gen_modifiers(g, s);
}

/* ---- set operations ---- */

static int set_op_prec(const uf_node *n) {
  if (!is_kind(n, UF_SET_OP)) return 3;
  return strcmp(n->text, "INTERSECT") == 0 ? 2 : 1;
}

/* Whether a query node carries clauses that bind to it alone. */
static bool has_own_clauses(const uf_node *q) {
  return kid(q, UF_SLOT_WITH) || kid(q, UF_SLOT_ORDER) ||
         kid(q, UF_SLOT_LIMIT) || kid(q, UF_SLOT_OFFSET);
}

/* A set-operation operand, parenthesized when precedence or its own
 * ORDER/LIMIT would otherwise change the meaning (trees built in code). */
static void gen_set_operand(uf_gen *g, const uf_node *parent, const uf_node *q,
                            bool right) {
  int pp = set_op_prec(parent), qp = set_op_prec(q);
  bool paren = (q->kind == UF_SELECT || q->kind == UF_SET_OP) && has_own_clauses(q);
  if (qp < pp || (right && qp == pp)) paren = true;
  if (paren) gen_subquery(g, q);
  else gen_node(g, q);
}

static void gen_set_op(uf_gen *g, const uf_node *s) {
  gen_query_with(g, s);
  gen_set_operand(g, s, kid(s, UF_SLOT_LEFT), false);
  gen_sep(g);
  gen_kw(g, s->text);
  if (s->flags & UF_F_ALL) { gen_space(g); gen_kw(g, "ALL"); }
  else if (s->flags & UF_F_DISTINCT) { gen_space(g); gen_kw(g, "DISTINCT"); }
  if (s->flags & UF_F_BY_NAME) {
    if (!g->d->has_union_by_name) { gen_unsupported(g, "UNION BY NAME"); return; }
    gen_space(g);
    gen_kw(g, "BY NAME");
  }
  gen_sep(g);
  gen_set_operand(g, s, kid(s, UF_SLOT_RIGHT), true);
  gen_modifiers(g, s);
}

/* ---- VALUES and parenthesized queries ---- */

static void gen_values(uf_gen *g, const uf_node *v) {
  gen_kw(g, "VALUES");
  const uf_node *rows = kid(v, UF_SLOT_ROWS);
  if (!rows) return;
  if (gen_pretty(g)) { gen_indent(g); gen_newline(g); }
  else gen_space(g);
  for (uint32_t i = 0; i < rows->nkids && !gen_failed(g); i++) {
    if (i) {
      gen_char(g, ',');
      if (gen_pretty(g)) gen_newline(g);
      else gen_space(g);
    }
    const uf_node *row = rows->kids[i];
    gen_own_comments(g, row);
    gen_char(g, '(');
    gen_list(g, is_kind(row, UF_TUPLE) ? kid(row, UF_SLOT_ARGS) : row, ", ", false);
    gen_char(g, ')');
  }
  if (gen_pretty(g)) gen_dedent(g);
}

static void gen_query_paren(uf_gen *g, const uf_node *q) {
  gen_query_with(g, q);
  gen_subquery(g, kid(q, UF_SLOT_THIS));
  gen_modifiers(g, q);
}

/* ---- FROM items ---- */

static void gen_alias(uf_gen *g, const uf_node *t) {
  const uf_node *a = kid(t, UF_SLOT_ALIAS);
  if (!a) return;
  gen_space(g);
  gen_kw(g, "AS");
  gen_space(g);
  gen_node(g, a);
}

static void gen_table_alias(uf_gen *g, const uf_node *a) {
  gen_node(g, kid(a, UF_SLOT_NAME));
  const uf_node *cols = kid(a, UF_SLOT_COLUMNS);
  if (cols) {
    gen_char(g, '(');
    gen_list(g, cols, ", ", false);
    gen_char(g, ')');
  }
}

static void gen_table_sample(uf_gen *g, const uf_node *t) {
  if (!kid(t, UF_SLOT_SAMPLE)) return;
  gen_space(g);
  gen_sample(g, kid(t, UF_SLOT_SAMPLE));
}

static void gen_table(uf_gen *g, const uf_node *t) {
  static const uf_slot parts[] = {UF_SLOT_CATALOG, UF_SLOT_DB, UF_SLOT_THIS};
  bool first = true;
  for (int i = 0; i < 3; i++) {
    const uf_node *id = kid(t, parts[i]);
    if (!id) continue;
    if (first) gen_node(g, id);
    else { gen_char(g, '.'); gen_name_after_dot(g, id); }
    first = false;
  }
  gen_alias(g, t);
  gen_table_sample(g, t);
}

static void gen_lateral(uf_gen *g, const uf_node *t) {
  if (t->flags & UF_F_LATERAL) {
    gen_kw(g, "LATERAL");
    gen_space(g);
  }
}

static void gen_table_func(uf_gen *g, const uf_node *t) {
  gen_lateral(g, t);
  gen_node(g, kid(t, UF_SLOT_THIS));
  if (kid(t, UF_SLOT_ORDINALITY)) {
    gen_space(g);
    gen_kw(g, "WITH ORDINALITY");
  }
  gen_alias(g, t);
  gen_table_sample(g, t);
}

static void gen_derived(uf_gen *g, const uf_node *t) {
  gen_lateral(g, t);
  const uf_node *q = kid(t, UF_SLOT_THIS);
  if (is_kind(q, UF_JOIN) && (q->style & JS_PAREN)) {
    gen_from_item(g, q);
  } else if (is_kind(q, UF_JOIN)) {
    gen_char(g, '(');
    gen_from_item(g, q);
    gen_char(g, ')');
  } else {
    gen_subquery(g, q);
  }
  gen_alias(g, t);
  gen_table_sample(g, t);
}

static bool is_comma(const uf_node *j) {
  return is_kind(j, UF_JOIN) && (j->style & JS_COMMA);
}

/* Join keyword: [NATURAL] [type] [OUTER|INNER] JOIN */
static void gen_join_kw(uf_gen *g, const uf_node *j) {
  const char *t = j->text;
  if ((!strcmp(t, "POSITIONAL") && !g->d->has_positional_join) ||
      (!strncmp(t, "ASOF", 4) && !g->d->has_asof_join) ||
      ((!strcmp(t, "SEMI") || !strcmp(t, "ANTI")) && !g->d->has_semi_anti_join)) {
    char what[32];
    strcpy(what, t);
    strcat(what, " JOIN");
    gen_unsupported(g, what);
    return;
  }
  if (j->flags & UF_F_NATURAL) { gen_kw(g, "NATURAL"); gen_space(g); }
  if (t[0]) { gen_kw(g, t); gen_space(g); }
  if (j->style & JS_OUTER) { gen_kw(g, "OUTER"); gen_space(g); }
  else if (!t[0] && (j->style & JS_INNER)) { gen_kw(g, "INNER"); gen_space(g); }
  gen_kw(g, "JOIN");
}

static void gen_join_condition(uf_gen *g, const uf_node *j) {
  const uf_node *on = kid(j, UF_SLOT_ON), *using = kid(j, UF_SLOT_USING);
  if (!on && !using) return;
  gen_indent(g);
  gen_sep(g);
  if (on) {
    gen_kw(g, "ON");
    gen_space(g);
    gen_node(g, on);
  } else {
    gen_kw(g, "USING");
    gen_raw(g, " (");
    gen_list(g, using, ", ", false);
    gen_char(g, ')');
  }
  gen_dedent(g);
}

/* The right side of a join: a join there is parenthesized unless commas
 * (which bind loosest) separate it from the left. */
static void gen_join_right(uf_gen *g, const uf_node *j, bool comma, const uf_node *r) {
  (void)j;
  bool paren = is_kind(r, UF_JOIN) && !(r->style & JS_PAREN) && (!comma || is_comma(r));
  if (!paren) { gen_from_item(g, r); return; }
  gen_char(g, '(');
  gen_indent(g);
  gen_from_item(g, r);
  gen_dedent(g);
  gen_char(g, ')');
}

/* A comma binds looser than JOIN: `a, b LEFT JOIN c` is a, (b LEFT JOIN c).
 * So a comma join on the left spine of a keyword join (which rules build
 * when they add a join after a comma list) is written CROSS JOIN, its
 * meaning: `a CROSS JOIN b LEFT JOIN c`. Presentation only. */
static void gen_join_as(uf_gen *g, const uf_node *j, bool no_comma) {
  bool paren = j->style & JS_PAREN;
  bool comma = is_comma(j) && !(no_comma && !paren);
  if (paren) { gen_char(g, '('); gen_indent(g); }
  const uf_node *l = kid(j, UF_SLOT_LEFT);
  if (is_comma(l) && !(l->style & JS_PAREN) && (!comma || no_comma))
    gen_join_as(g, l, true);
  else
    gen_from_item(g, l);
  if (comma) {
    gen_raw(g, ", ");
  } else if (is_comma(j)) {
    gen_sep(g);
    gen_kw(g, "CROSS JOIN");
    gen_space(g);
  } else {
    gen_sep(g);
    gen_join_kw(g, j);
    gen_space(g);
  }
  gen_join_right(g, j, comma, kid(j, UF_SLOT_RIGHT));
  gen_join_condition(g, j);
  if (paren) { gen_dedent(g); gen_char(g, ')'); }
}

static void gen_join(uf_gen *g, const uf_node *j) { gen_join_as(g, j, false); }

/* ---- PIVOT ---- */

static void gen_pivot_in(uf_gen *g, const uf_node *pi) {
  gen_node(g, kid(pi, UF_SLOT_THIS));
  gen_space(g);
  gen_kw(g, "IN");
  gen_raw(g, " (");
  gen_list(g, kid(pi, UF_SLOT_LIST), ", ", false);
  gen_char(g, ')');
}

static void gen_unpivot_nulls(uf_gen *g, const uf_node *pv) {
  if (pv->flags & UF_F_RESPECT_NULLS) { gen_space(g); gen_kw(g, "INCLUDE NULLS"); }
  else if (pv->style & PS_EXCLUDE_NULLS) { gen_space(g); gen_kw(g, "EXCLUDE NULLS"); }
}

/* DuckDB's statement form: PIVOT src ON .. USING .. GROUP BY ..
 * / UNPIVOT src ON .. INTO NAME n VALUE v, ... */
static void gen_pivot_statement(uf_gen *g, const uf_node *pv) {
  bool unpivot = strcmp(pv->text, "UNPIVOT") == 0;
  gen_kw(g, unpivot ? "UNPIVOT" : "PIVOT");
  if (unpivot) gen_unpivot_nulls(g, pv);
  gen_space(g);
  gen_from_item(g, kid(pv, UF_SLOT_THIS));
  gen_clause_expr(g, "ON", kid(pv, UF_SLOT_PIVOT_ON));
  if (unpivot) {
    const uf_node *names = kid(pv, UF_SLOT_EXPRS);
    if (!is_kind(names, UF_LIST) || names->nkids < 2) {
      gen_malformed(g, pv, "UNPIVOT needs a name and a value column");
      return;
    }
    gen_sep(g);
    gen_kw(g, "INTO NAME");
    gen_space(g);
    gen_node(g, names->kids[0]);
    gen_space(g);
    gen_kw(g, "VALUE");
    gen_space(g);
    for (uint32_t i = 1; i < names->nkids; i++) {
      if (i > 1) gen_raw(g, ", ");
      gen_node(g, names->kids[i]);
    }
    return;
  }
  gen_clause_expr(g, "USING", kid(pv, UF_SLOT_PIVOT_USING));
  gen_clause_expr(g, "GROUP BY", kid(pv, UF_SLOT_GROUP));
}

/* src PIVOT (aggs FOR col IN (..) .. [GROUP BY ..]) [AS alias]
 * src UNPIVOT [INCLUDE NULLS] (val FOR name IN (..)) [AS alias] */
static void gen_pivot_op(uf_gen *g, const uf_node *pv) {
  bool unpivot = strcmp(pv->text, "UNPIVOT") == 0;
  gen_from_item(g, kid(pv, UF_SLOT_THIS));
  gen_space(g);
  gen_kw(g, unpivot ? "UNPIVOT" : "PIVOT");
  if (unpivot) gen_unpivot_nulls(g, pv);
  gen_raw(g, " (");
  const uf_node *vals = kid(pv, UF_SLOT_PIVOT_USING);
  bool multi = unpivot && is_kind(vals, UF_LIST) && vals->nkids > 1;
  if (multi) gen_char(g, '(');
  gen_list(g, vals, ", ", false);
  if (multi) gen_char(g, ')');
  gen_space(g);
  gen_kw(g, "FOR");
  gen_space(g);
  gen_list(g, kid(pv, UF_SLOT_PIVOT_ON), " ", false);
  if (kid(pv, UF_SLOT_GROUP)) {
    gen_space(g);
    gen_kw(g, "GROUP BY");
    gen_space(g);
    gen_list(g, kid(pv, UF_SLOT_GROUP), ", ", false);
  }
  gen_char(g, ')');
  gen_alias(g, pv);
}

static void gen_pivot(uf_gen *g, const uf_node *pv) {
  if (!g->d->has_pivot) {
    gen_unsupported(g, strcmp(pv->text, "UNPIVOT") == 0 ? "UNPIVOT" : "PIVOT");
    return;
  }
  if (pv->style & PS_STATEMENT) gen_pivot_statement(g, pv);
  else gen_pivot_op(g, pv);
}

/* A FROM item: a query node standing there is parenthesized. */
static void gen_from_item(uf_gen *g, const uf_node *t) {
  if (!t || gen_failed(g)) return;
  uf_category c = uf_kind_category((uf_kind)t->kind);
  if (c == UF_CAT_QUERY) gen_subquery(g, t);
  else if (is_kind(t, UF_PIVOT) && (t->style & PS_STATEMENT)) gen_subquery(g, t);
  else gen_node(g, t);
}

/* ---- grouping ---- */

static void gen_grouping(uf_gen *g, const uf_node *n) {
  gen_kw(g, n->text);
  gen_raw(g, " (");
  const uf_node *args = kid(n, UF_SLOT_ARGS);
  for (uint32_t i = 0; args && i < args->nkids && !gen_failed(g); i++) {
    if (i) gen_raw(g, ", ");
    const uf_node *a = args->kids[i];
    const uf_node *targs = is_kind(a, UF_TUPLE) ? kid(a, UF_SLOT_ARGS) : NULL;
    if (is_kind(a, UF_TUPLE) && (!targs || targs->nkids == 0)) {
      gen_own_comments(g, a);
      gen_raw(g, "()");
    }
    else gen_node(g, a);
  }
  gen_char(g, ')');
}

/* ---- dispatch ---- */

static void gen_query_body(uf_gen *g, const uf_node *q) {
  switch (q->kind) {
  case UF_SELECT: gen_select(g, q); break;
  case UF_SET_OP: gen_set_op(g, q); break;
  case UF_VALUES: gen_values(g, q); break;
  case UF_QUERY_PAREN: gen_query_paren(g, q); break;
  default: break;
  }
}

bool gen_query_node(uf_gen *g, const uf_node *n) {
  switch (n->kind) {
  case UF_SELECT: case UF_SET_OP: case UF_VALUES: case UF_QUERY_PAREN:
    gen_query_body(g, n);
    return true;
  case UF_WITH: gen_with(g, n); return true;
  case UF_CTE: gen_cte(g, n); return true;
  case UF_GROUP_BY: gen_group_by(g, n); return true;
  case UF_GROUPING: gen_grouping(g, n); return true;
  case UF_ORDER_BY: gen_order_by(g, n); return true;
  case UF_NAMED_WINDOW:
    gen_node(g, kid(n, UF_SLOT_NAME));
    gen_space(g);
    gen_kw(g, "AS");
    gen_raw(g, " (");
    gen_node(g, kid(n, UF_SLOT_THIS));
    gen_char(g, ')');
    return true;
  case UF_LIMIT: gen_limit(g, n); return true;
  case UF_SAMPLE: gen_sample(g, n); return true;
  case UF_TABLE: gen_table(g, n); return true;
  case UF_TABLE_ALIAS: gen_table_alias(g, n); return true;
  case UF_TABLE_FUNC: gen_table_func(g, n); return true;
  case UF_DERIVED: gen_derived(g, n); return true;
  case UF_JOIN: gen_join(g, n); return true;
  case UF_PIVOT: gen_pivot(g, n); return true;
  case UF_PIVOT_IN: gen_pivot_in(g, n); return true;
  default: return false;
  }
}
