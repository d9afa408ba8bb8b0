/*
 * The builder API: small constructors over the generic node, producing
 * exactly the shapes the parser produces (see ast_kinds.h and the layout
 * notes in parse_query.c / parse_stmt.c), so a built tree renders with
 * uf_generate and equals the parse of its own output.
 *
 * NULL in, NULL out: a constructor given a NULL required child returns
 * NULL, so an out-of-memory anywhere in a nested expression surfaces once.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sql/dialect.h"
#include "unifier/builder.h"

/* ---- helpers ------------------------------------------------------------ */

static uf_node *node(uf_tree *t, uf_kind k) { return t ? uf_node_new(t, k) : NULL; }

static uf_node *text_node(uf_tree *t, uf_kind k, const char *s) {
  if (!t || !s) return NULL;
  return uf_node_new_text(t, k, s, strlen(s));
}

/* Sets a slot the kind is known to have. */
static uf_node *with(uf_node *n, uf_slot s, uf_node *child) {
  if (!n) return NULL;
  int i = uf_kind_slot_index((uf_kind)n->kind, s);
  if (i < 0) return NULL; /* a builder bug, not a user error */
  n->kids[i] = child;
  return n;
}

/* Same, but a NULL child makes the result NULL (required child). */
static uf_node *req(uf_node *n, uf_slot s, uf_node *child) {
  return child ? with(n, s, child) : NULL;
}

static uf_node *upper_text(uf_tree *t, uf_kind k, const char *s) {
  if (!t || !s) return NULL;
  size_t n = strlen(s);
  char small[64];
  char *buf = n < sizeof small ? small : uf_tree_alloc(t, n + 1);
  if (!buf) return NULL;
  for (size_t i = 0; i < n; i++)
    buf[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
  return uf_node_new_text(t, k, buf, n);
}

static uf_status need(uf_error *err, const void *p, const char *fn,
                      const char *what) {
  if (p) return UF_OK;
  return uf_error_set(err, UF_INVALID_ARGUMENT,
                      "%s: %s is NULL (did an earlier builder call fail?)", fn,
                      what);
}

static uf_status need_kind(uf_error *err, const uf_node *n, const char *fn,
                           bool ok, const char *expected) {
  if (ok) return UF_OK;
  return uf_error_set(err, UF_INVALID_ARGUMENT, "%s: expected %s, got %s", fn,
                      expected, uf_kind_name((uf_kind)n->kind));
}

static bool is_query_mod(const uf_node *q) {
  return q->kind == UF_SELECT || q->kind == UF_SET_OP || q->kind == UF_QUERY_PAREN;
}

/* ---- atoms -------------------------------------------------------------- */

/* A name that cannot be written bare (a keyword, a space) is marked quoted:
 * that is how the parser reads the rendered SQL back. */
uf_node *uf_b_ident(uf_tree *t, const char *name, bool quoted) {
  uf_node *n = text_node(t, UF_IDENT, name);
  if (n && (quoted || uf_dialect_ident_needs_quotes(uf_dialect_duckdb(), name))) {
    n->style |= UF_IDENT_WRITTEN_QUOTED;
    if (!uf_dialect_is_folded(uf_dialect_duckdb(), name)) n->flags |= UF_F_QUOTED;
  }
  return n;
}

uf_node *uf_b_column(uf_tree *t, const char *table_or_null, const char *name) {
  if (!name) return NULL;
  if (strcmp(name, "*") == 0) {
    uf_node *s = uf_b_star(t);
    if (!table_or_null) return s;
    /* t.* : the qualifier is a column reference, as parsed */
    return req(s, UF_SLOT_QUALIFIER, uf_b_column(t, NULL, table_or_null));
  }
  uf_node *c = req(node(t, UF_COLUMN), UF_SLOT_THIS, uf_b_ident(t, name, false));
  if (table_or_null) c = req(c, UF_SLOT_TABLE, uf_b_ident(t, table_or_null, false));
  return c;
}

uf_node *uf_b_star(uf_tree *t) { return node(t, UF_STAR); }

uf_node *uf_b_number(uf_tree *t, const char *text) {
  return text_node(t, UF_NUMBER, text);
}

/* Negative numbers are a unary minus over the literal, as parsed. */
uf_node *uf_b_int(uf_tree *t, int64_t v) {
  char buf[32];
  uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  snprintf(buf, sizeof buf, "%" PRIu64, mag);
  uf_node *num = uf_b_number(t, buf);
  if (v >= 0) return num;
  uf_node *neg = text_node(t, UF_UNARY, "-");
  return req(neg, UF_SLOT_THIS, num);
}

uf_node *uf_b_string(uf_tree *t, const char *value) {
  return text_node(t, UF_STRING, value);
}

uf_node *uf_b_bool(uf_tree *t, bool v) {
  return text_node(t, UF_BOOLEAN, v ? "TRUE" : "FALSE");
}

uf_node *uf_b_null(uf_tree *t) { return node(t, UF_NULL); }

uf_node *uf_b_param(uf_tree *t, const char *name) {
  return text_node(t, UF_PARAM, name ? name : "");
}

/* ---- lists -------------------------------------------------------------- */

uf_node *uf_b_list(uf_tree *t) { return node(t, UF_LIST); }

uf_status uf_b_list_push(uf_tree *t, uf_node *list, uf_node *item,
                         uf_error *err) {
  uf_status st = need(err, t, "uf_b_list_push", "tree");
  if (st == UF_OK) st = need(err, list, "uf_b_list_push", "list");
  if (st == UF_OK) st = need(err, item, "uf_b_list_push", "item");
  if (st != UF_OK) return st;
  return uf_list_push(t, list, item, err);
}

/* Pushes without an error record; false on OOM or NULL item. */
static bool push(uf_tree *t, uf_node *list, uf_node *item) {
  return list && item && uf_list_push(t, list, item, NULL) == UF_OK;
}

/* ---- expressions -------------------------------------------------------- */

uf_node *uf_b_func_v(uf_tree *t, const char *name, size_t n,
                     uf_node *const *args) {
  uf_node *f = text_node(t, UF_FUNC, name);
  uf_node *list = uf_b_list(t);
  for (size_t i = 0; i < n; i++)
    if (!push(t, list, args[i])) return NULL;
  return req(f, UF_SLOT_ARGS, list);
}

uf_node *uf_b_func(uf_tree *t, const char *name, size_t n, ...) {
  uf_node *f = text_node(t, UF_FUNC, name);
  uf_node *list = uf_b_list(t);
  va_list ap;
  va_start(ap, n);
  bool ok = true;
  for (size_t i = 0; i < n; i++)
    if (!push(t, list, va_arg(ap, uf_node *))) ok = false;
  va_end(ap);
  return ok ? req(f, UF_SLOT_ARGS, list) : NULL;
}

static uf_node *pair(uf_node *n, uf_node *l, uf_node *r) {
  return req(req(n, UF_SLOT_LEFT, l), UF_SLOT_RIGHT, r);
}

static bool word_is(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char c = (*a >= 'a' && *a <= 'z') ? (char)(*a - 32) : *a;
    if (c != *b) return false;
  }
  return *a == *b;
}

uf_node *uf_b_binary(uf_tree *t, const char *op, uf_node *l, uf_node *r) {
  if (!op) return NULL;
  if (word_is(op, "AND")) return uf_b_and(t, l, r);
  if (word_is(op, "OR")) return uf_b_or(t, l, r);
  return pair(text_node(t, UF_BINARY, op), l, r);
}

uf_node *uf_b_and(uf_tree *t, uf_node *l, uf_node *r) {
  return pair(node(t, UF_AND), l, r);
}

uf_node *uf_b_or(uf_tree *t, uf_node *l, uf_node *r) {
  return pair(node(t, UF_OR), l, r);
}

uf_node *uf_b_not(uf_tree *t, uf_node *e) {
  return req(node(t, UF_NOT), UF_SLOT_THIS, e);
}

uf_node *uf_b_eq(uf_tree *t, uf_node *l, uf_node *r) { return uf_b_binary(t, "=", l, r); }
uf_node *uf_b_neq(uf_tree *t, uf_node *l, uf_node *r) { return uf_b_binary(t, "<>", l, r); }
uf_node *uf_b_lt(uf_tree *t, uf_node *l, uf_node *r) { return uf_b_binary(t, "<", l, r); }
uf_node *uf_b_lte(uf_tree *t, uf_node *l, uf_node *r) { return uf_b_binary(t, "<=", l, r); }
uf_node *uf_b_gt(uf_tree *t, uf_node *l, uf_node *r) { return uf_b_binary(t, ">", l, r); }
uf_node *uf_b_gte(uf_tree *t, uf_node *l, uf_node *r) { return uf_b_binary(t, ">=", l, r); }

uf_node *uf_b_is_null(uf_tree *t, uf_node *e, bool negated) {
  uf_node *n = pair(node(t, UF_IS), e, uf_b_null(t));
  if (n && negated) n->flags |= UF_F_NOT;
  return n;
}

uf_node *uf_b_paren(uf_tree *t, uf_node *e) {
  return req(node(t, UF_PAREN), UF_SLOT_THIS, e);
}

uf_node *uf_b_type(uf_tree *t, const char *name) {
  return upper_text(t, UF_TYPE, name);
}

uf_node *uf_b_type_params(uf_tree *t, const char *name, size_t n,
                          const int64_t *params) {
  uf_node *ty = uf_b_type(t, name);
  if (!n) return ty;
  uf_node *args = uf_b_list(t);
  for (size_t i = 0; i < n; i++)
    if (!push(t, args, uf_b_int(t, params[i]))) return NULL;
  return req(ty, UF_SLOT_ARGS, args);
}

/* Parses `sql` with uf_parse_expr and copies the root into t. */
static uf_status parse_into(uf_tree *t, const char *sql, const uf_dialect *d,
                            uf_node **out, uf_error *err) {
  uf_parse_options o = {.dialect = d};
  uf_tree *pt = NULL;
  uf_status st = uf_parse_expr(sql, strlen(sql), &o, &pt, err);
  if (st != UF_OK) return st;
  *out = uf_node_copy(t, uf_tree_root(pt));
  uf_tree_free(pt);
  return *out ? UF_OK : uf_error_set(err, UF_NOMEM, "out of memory");
}

uf_status uf_b_parse_expr(uf_tree *t, const char *sql, const uf_dialect *d,
                          uf_node **out, uf_error *err) {
  if (out) *out = NULL;
  uf_status st = need(err, t, "uf_b_parse_expr", "tree");
  if (st == UF_OK) st = need(err, sql, "uf_b_parse_expr", "sql");
  if (st == UF_OK) st = need(err, out, "uf_b_parse_expr", "out");
  if (st != UF_OK) return st;
  return parse_into(t, sql, d, out, err);
}

/* The type is parsed as the target of CAST(NULL AS type), so it takes the
 * exact shape the parser gives types everywhere. */
uf_status uf_b_parse_type(uf_tree *t, const char *sql, const uf_dialect *d,
                          uf_node **out, uf_error *err) {
  if (out) *out = NULL;
  uf_status st = need(err, t, "uf_b_parse_type", "tree");
  if (st == UF_OK) st = need(err, sql, "uf_b_parse_type", "sql");
  if (st == UF_OK) st = need(err, out, "uf_b_parse_type", "out");
  if (st != UF_OK) return st;
  uf_tree *tmp = uf_tree_new();
  if (!tmp) return uf_error_set(err, UF_NOMEM, "out of memory");
  size_t n = strlen(sql);
  char *text = uf_tree_alloc(tmp, n + 32);
  if (!text) {
    uf_tree_free(tmp);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  snprintf(text, n + 32, "CAST(NULL AS %s)", sql);
  uf_node *cast = NULL;
  st = parse_into(tmp, text, d, &cast, err);
  if (st == UF_OK) {
    const uf_node *ty = uf_get(cast, UF_SLOT_TO);
    if (cast->kind != UF_CAST || !ty)
      st = uf_error_set(err, UF_SYNTAX, "not a type: %s", sql);
    else if (!(*out = uf_node_copy(t, ty)))
      st = uf_error_set(err, UF_NOMEM, "out of memory");
  }
  uf_tree_free(tmp);
  return st;
}

uf_node *uf_b_cast_to(uf_tree *t, uf_node *expr, uf_node *type) {
  return req(req(node(t, UF_CAST), UF_SLOT_THIS, expr), UF_SLOT_TO, type);
}

uf_node *uf_b_cast(uf_tree *t, uf_node *expr, const char *type_name) {
  return uf_b_cast_to(t, expr, uf_b_type(t, type_name));
}

uf_node *uf_b_alias(uf_tree *t, uf_node *expr, const char *name) {
  uf_node *a = req(node(t, UF_ALIAS), UF_SLOT_THIS, expr);
  return req(a, UF_SLOT_ALIAS, uf_b_ident(t, name, false));
}

uf_node *uf_b_ordered(uf_tree *t, uf_node *expr, bool desc) {
  uf_node *o = req(node(t, UF_ORDERED), UF_SLOT_THIS, expr);
  if (o && desc) o->flags |= UF_F_DESC;
  return o;
}

/* ---- FROM items ----------------------------------------------------------- */

uf_node *uf_b_table(uf_tree *t, const char *schema_or_null, const char *name) {
  uf_node *tb = req(node(t, UF_TABLE), UF_SLOT_THIS, uf_b_ident(t, name, false));
  if (schema_or_null)
    tb = req(tb, UF_SLOT_DB, uf_b_ident(t, schema_or_null, false));
  return tb;
}

static uf_node *table_alias(uf_tree *t, const char *alias) {
  return req(node(t, UF_TABLE_ALIAS), UF_SLOT_NAME, uf_b_ident(t, alias, false));
}

uf_status uf_b_table_alias(uf_tree *t, uf_node *table, const char *alias,
                           uf_error *err) {
  uf_status st = need(err, table, "uf_b_table_alias", "table");
  if (st == UF_OK) st = need(err, alias, "uf_b_table_alias", "alias");
  if (st != UF_OK) return st;
  if (uf_kind_slot_index((uf_kind)table->kind, UF_SLOT_ALIAS) < 0 ||
      uf_kind_category((uf_kind)table->kind) != UF_CAT_TABLE)
    return need_kind(err, table, "uf_b_table_alias", false, "a table");
  uf_node *a = table_alias(t, alias);
  if (!a) return uf_error_set(err, UF_NOMEM, "out of memory");
  return uf_set(table, UF_SLOT_ALIAS, a, err);
}

uf_node *uf_b_derived(uf_tree *t, uf_node *query, const char *alias) {
  uf_node *d = req(node(t, UF_DERIVED), UF_SLOT_THIS, query);
  return alias ? req(d, UF_SLOT_ALIAS, table_alias(t, alias)) : d;
}

/* A plain or INNER join has empty text (the parser's form: JOIN). */
uf_node *uf_b_join(uf_tree *t, const char *kind, uf_node *left,
                   uf_node *right, uf_node *on) {
  if (!kind || word_is(kind, "INNER") || word_is(kind, "JOIN")) kind = "";
  uf_node *j = pair(upper_text(t, UF_JOIN, kind), left, right);
  return on ? req(j, UF_SLOT_ON, on) : j;
}

/* ---- queries ---------------------------------------------------------------- */

uf_node *uf_b_select(uf_tree *t) {
  return req(node(t, UF_SELECT), UF_SLOT_EXPRS, uf_b_list(t));
}

static uf_status check_select(uf_error *err, uf_tree *t, uf_node *sel,
                              const void *arg, const char *fn, const char *what) {
  uf_status st = need(err, t, fn, "tree");
  if (st == UF_OK) st = need(err, sel, fn, "select");
  if (st == UF_OK) st = need(err, arg, fn, what);
  if (st == UF_OK) st = need_kind(err, sel, fn, sel->kind == UF_SELECT, "select");
  return st;
}

/* Appends item to the LIST in slot s of n, creating the list. */
static uf_status slot_push(uf_tree *t, uf_node *n, uf_slot s, uf_node *item,
                           uf_error *err) {
  uf_node *list = uf_get(n, s);
  if (!list) {
    list = uf_b_list(t);
    if (!list) return uf_error_set(err, UF_NOMEM, "out of memory");
    uf_status st = uf_set(n, s, list, err);
    if (st != UF_OK) return st;
  }
  return uf_list_push(t, list, item, err);
}

uf_status uf_b_select_add(uf_tree *t, uf_node *sel, uf_node *expr,
                          uf_error *err) {
  uf_status st = check_select(err, t, sel, expr, "uf_b_select_add", "expr");
  return st != UF_OK ? st : slot_push(t, sel, UF_SLOT_EXPRS, expr, err);
}

uf_status uf_b_select_from(uf_tree *t, uf_node *sel, uf_node *from,
                           uf_error *err) {
  uf_status st = check_select(err, t, sel, from, "uf_b_select_from", "from");
  if (st != UF_OK) return st;
  uf_node *old = uf_get(sel, UF_SLOT_FROM);
  if (old) {
    from = uf_b_join(t, "CROSS", old, from, NULL);
    if (!from) return uf_error_set(err, UF_NOMEM, "out of memory");
    from->style |= 4; /* comma join, as the parser marks `FROM a, b` */
  }
  return uf_set(sel, UF_SLOT_FROM, from, err);
}

uf_status uf_b_select_where(uf_tree *t, uf_node *sel, uf_node *pred,
                            uf_error *err) {
  uf_status st = check_select(err, t, sel, pred, "uf_b_select_where", "pred");
  if (st != UF_OK) return st;
  uf_node *old = uf_get(sel, UF_SLOT_WHERE);
  if (old) {
    pred = uf_b_and(t, old, pred);
    if (!pred) return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  return uf_set(sel, UF_SLOT_WHERE, pred, err);
}

uf_status uf_b_select_group_by(uf_tree *t, uf_node *sel, uf_node *expr,
                               uf_error *err) {
  uf_status st = check_select(err, t, sel, expr, "uf_b_select_group_by", "expr");
  if (st != UF_OK) return st;
  uf_node *g = uf_get(sel, UF_SLOT_GROUP);
  if (!g) {
    g = node(t, UF_GROUP_BY);
    if (!g) return uf_error_set(err, UF_NOMEM, "out of memory");
    if ((st = uf_set(sel, UF_SLOT_GROUP, g, err)) != UF_OK) return st;
  }
  return slot_push(t, g, UF_SLOT_EXPRS, expr, err);
}

static uf_status check_query(uf_error *err, uf_tree *t, uf_node *q,
                             const char *fn) {
  uf_status st = need(err, t, fn, "tree");
  if (st == UF_OK) st = need(err, q, fn, "query");
  if (st == UF_OK)
    st = need_kind(err, q, fn, is_query_mod(q), "select, set_op or query_paren");
  return st;
}

uf_status uf_b_order_by(uf_tree *t, uf_node *query, uf_node *item,
                        uf_error *err) {
  uf_status st = check_query(err, t, query, "uf_b_order_by");
  if (st == UF_OK) st = need(err, item, "uf_b_order_by", "item");
  if (st != UF_OK) return st;
  if (item->kind != UF_ORDERED) item = uf_b_ordered(t, item, false);
  uf_node *ob = uf_get(query, UF_SLOT_ORDER);
  if (!ob) {
    ob = node(t, UF_ORDER_BY);
    if (!ob) return uf_error_set(err, UF_NOMEM, "out of memory");
    if ((st = uf_set(query, UF_SLOT_ORDER, ob, err)) != UF_OK) return st;
  }
  if (!item) return uf_error_set(err, UF_NOMEM, "out of memory");
  return slot_push(t, ob, UF_SLOT_EXPRS, item, err);
}

uf_status uf_b_limit(uf_tree *t, uf_node *query, int64_t n, uf_error *err) {
  uf_status st = check_query(err, t, query, "uf_b_limit");
  if (st != UF_OK) return st;
  uf_node *l = req(node(t, UF_LIMIT), UF_SLOT_THIS, uf_b_int(t, n));
  if (!l) return uf_error_set(err, UF_NOMEM, "out of memory");
  return uf_set(query, UF_SLOT_LIMIT, l, err);
}

uf_status uf_b_offset(uf_tree *t, uf_node *query, int64_t n, uf_error *err) {
  uf_status st = check_query(err, t, query, "uf_b_offset");
  if (st != UF_OK) return st;
  uf_node *e = uf_b_int(t, n);
  if (!e) return uf_error_set(err, UF_NOMEM, "out of memory");
  return uf_set(query, UF_SLOT_OFFSET, e, err);
}

uf_node *uf_b_set_op(uf_tree *t, const char *op, bool all, uf_node *left,
                     uf_node *right) {
  uf_node *s = pair(upper_text(t, UF_SET_OP, op), left, right);
  if (s && all) s->flags |= UF_F_ALL;
  return s;
}

/* ---- statements ------------------------------------------------------------ */

/* CREATE [OR REPLACE] <kind> name AS query (tables and views alike). */
static uf_node *create_as(uf_tree *t, uf_kind kind, uf_node *name,
                          uf_node *query, bool or_replace) {
  uf_node *c = req(req(node(t, kind), UF_SLOT_NAME, name), UF_SLOT_QUERY, query);
  if (c && or_replace) c->flags |= UF_F_OR_REPLACE;
  return c;
}

uf_node *uf_b_create_table_as(uf_tree *t, uf_node *name, uf_node *query,
                              bool or_replace) {
  return create_as(t, UF_CREATE_TABLE, name, query, or_replace);
}

uf_node *uf_b_create_view(uf_tree *t, uf_node *name, uf_node *query,
                          bool or_replace) {
  return create_as(t, UF_CREATE_VIEW, name, query, or_replace);
}

uf_node *uf_b_create_table(uf_tree *t, uf_node *name, uf_node *columns) {
  return req(req(node(t, UF_CREATE_TABLE), UF_SLOT_NAME, name),
             UF_SLOT_COLUMNS, columns);
}

uf_node *uf_b_column_def(uf_tree *t, const char *name, uf_node *type,
                         bool not_null) {
  uf_node *c = req(req(node(t, UF_COLUMN_DEF), UF_SLOT_NAME,
                       uf_b_ident(t, name, false)),
                   UF_SLOT_TYPE, type);
  if (!c || !not_null) return c;
  uf_node *cons = uf_b_list(t);
  if (!push(t, cons, text_node(t, UF_CONSTRAINT, "NOT NULL"))) return NULL;
  return req(c, UF_SLOT_CONSTRAINTS, cons);
}

uf_node *uf_b_insert(uf_tree *t, uf_node *table, uf_node *query) {
  return req(req(node(t, UF_INSERT), UF_SLOT_TABLE, table), UF_SLOT_QUERY, query);
}

/* Option keys are VARs holding DuckDB's option name in upper case, the
 * form parse_stmt.c normalizes every dialect's options to. */
uf_node *uf_b_prop(uf_tree *t, const char *key, uf_node *value) {
  uf_node *p = req(node(t, UF_PROP), UF_SLOT_KEY, upper_text(t, UF_VAR, key));
  return value ? req(p, UF_SLOT_VALUE, value) : p;
}

uf_node *uf_b_copy_to(uf_tree *t, uf_node *query_or_table, const char *path,
                      const char *format, uf_node *options) {
  if (!path) return NULL;
  uf_node *c = req(text_node(t, UF_COPY, "TO"), UF_SLOT_THIS, query_or_table);
  c = req(c, UF_SLOT_LOCATION, uf_b_string(t, path));
  if (format) c = req(c, UF_SLOT_FORMAT, upper_text(t, UF_VAR, format));
  if (options) c = req(c, UF_SLOT_OPTIONS, options);
  return c;
}

/* The DataFusion form the parser reads; the IO adapter lowers it. */
uf_node *uf_b_external_table(uf_tree *t, uf_node *name, const char *format,
                             const char *location, uf_node *columns,
                             uf_node *partitioned_by, uf_node *options) {
  if (!format || !location) return NULL;
  uf_node *c = req(node(t, UF_CREATE_EXTERNAL_TABLE), UF_SLOT_NAME, name);
  c = req(c, UF_SLOT_FORMAT, upper_text(t, UF_VAR, format));
  c = req(c, UF_SLOT_LOCATION, uf_b_string(t, location));
  if (columns) c = req(c, UF_SLOT_COLUMNS, columns);
  if (partitioned_by) c = req(c, UF_SLOT_PARTITIONED_BY, partitioned_by);
  if (options) c = req(c, UF_SLOT_OPTIONS, options);
  return c;
}

/* DROP kind [IF EXISTS] name, the shape parse_drop makes. */
uf_node *uf_b_drop(uf_tree *t, const char *kind, uf_node *name,
                   bool if_exists) {
  uf_node *l = uf_b_list(t);
  if (!l || !name || !push(t, l, name)) return NULL;
  uf_node *d = req(upper_text(t, UF_DROP, kind), UF_SLOT_LIST, l);
  if (d && if_exists) d->flags |= UF_F_IF_EXISTS;
  return d;
}
