/*
 * Statements: everything that is not a query. parse_statement dispatches on
 * the first word; queries go to parse_query (parse_query.c). Every statement
 * becomes a typed node (the safety gate classifies statements by kind), so
 * an unknown statement is a syntax error, never opaque text.
 *
 * Options are normalized so that COPY moves between dialects: DuckDB
 * `(FORMAT parquet, HEADER)`, PostgreSQL `WITH (FORMAT csv, HEADER true)` or
 * legacy `CSV HEADER`, and DataFusion `STORED AS PARQUET PARTITIONED BY (a)
 * OPTIONS ('format.has_header' 'true')` all become FORMAT (a VAR, upper
 * case), PARTITIONED_BY (LIST of IDENT) and OPTIONS (LIST of PROP whose key
 * is a VAR holding DuckDB's option name in upper case). The node's style
 * records the written form. An option value written as a bare word
 * (COMPRESSION zstd) is a STRING with style STYLE_BARE_WORD.
 *
 * Words missing from the keyword table are matched by text (at_word), so
 * statements need no keyword-table entries of their own.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql/parser.h"

enum { STYLE_BARE_WORD = 4 }; /* STRING written as a bare word (options) */

/* ---- small helpers ---- */

static bool word_at(const uf_parser *p, uint32_t k, const char *w) {
  const uf_token *t = peek_at(p, k);
  return tok_word_is(p, t, w);
}

static bool is(const uf_parser *p, const char *w) { return word_at(p, 0, w); }

static bool eat(uf_parser *p, const char *w) {
  if (!is(p, w)) return false;
  advance(p);
  return true;
}

static bool eat2(uf_parser *p, const char *a, const char *b) {
  if (!word_at(p, 0, a) || !word_at(p, 1, b)) return false;
  advance(p);
  advance(p);
  return true;
}

static bool eat3(uf_parser *p, const char *a, const char *b, const char *c) {
  if (!word_at(p, 0, a) || !word_at(p, 1, b) || !word_at(p, 2, c)) return false;
  advance(p);
  advance(p);
  advance(p);
  return true;
}

/* A required word; sets the error otherwise. */
static bool need(uf_parser *p, const char *w) {
  if (eat(p, w)) return true;
  error_expected(p, w);
  return false;
}

static bool at_end(const uf_parser *p) { return at_eof(p) || at_op(p, ";"); }

/* Sets slot s and returns n, or NULL when child is NULL or on error: lets
 * a rule end with `return put(p, n, SLOT, parse_x(p));`. */
static uf_node *put(uf_parser *p, uf_node *n, uf_slot s, uf_node *child) {
  if (!child || !set(p, n, s, child)) return NULL;
  return n;
}

static void opt_if_not_exists(uf_parser *p, uf_node *n) {
  if (eat3(p, "IF", "NOT", "EXISTS")) n->flags |= UF_F_IF_NOT_EXISTS;
}

static void opt_if_exists(uf_parser *p, uf_node *n) {
  if (eat2(p, "IF", "EXISTS")) n->flags |= UF_F_IF_EXISTS;
}

/* A VAR node holding s upper-cased (keys, formats, keyword values). */
static uf_node *upper_var(uf_parser *p, uint32_t tok, const char *s, size_t n) {
  char buf[128];
  if (n >= sizeof buf) return error_at(p, &p->toks.tok[tok], "name too long");
  for (size_t i = 0; i < n; i++)
    buf[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
  return mk_text(p, UF_VAR, tok, buf, n);
}

/* word_var: a word, quoted name or string taken as an upper-case VAR */
static uf_node *word_var(uf_parser *p, const char *what) {
  uint32_t t0 = p->pos;
  const uf_token *t = peek(p);
  if (t->type == TK_WORD) {
    advance(p);
    return upper_var(p, t0, tok_src(p, t), t->len);
  }
  uf_node *v = NULL;
  if (t->type == TK_QIDENT) v = ident_from_token(p, t0);
  else if (t->type == TK_STRING || t->type == TK_ESTRING) v = string_from_token(p, t0);
  else return error_expected(p, what);
  if (!v) return NULL;
  advance(p);
  return upper_var(p, t0, v->text, strlen(v->text));
}

/* ident_list: '(' ident {',' ident} ')' */
static uf_node *ident_list(uf_parser *p) {
  uf_node *l = mk_list(p, p->pos);
  if (!l || !expect_op(p, "(")) return NULL;
  do {
    if (!push(p, l, parse_ident(p))) return NULL;
  } while (accept_op(p, ","));
  return expect_op(p, ")") ? l : NULL;
}

/* paren_query: '(' query ')' */
static uf_node *paren_query(uf_parser *p) {
  if (!expect_op(p, "(")) return NULL;
  uf_node *q = parse_query(p);
  if (!q || !expect_op(p, ")")) return NULL;
  return q;
}

/* dotted_name: ident {'.' ident} -- a single IDENT, or a LIST of parts
 * (setting names such as datafusion.execution.batch_size) */
static uf_node *dotted_name(uf_parser *p) {
  uint32_t t0 = p->pos;
  uf_node *first = parse_ident(p);
  if (!first || !at_op(p, ".")) return first;
  uf_node *l = mk_list(p, t0);
  if (!push(p, l, first)) return NULL;
  while (accept_op(p, "."))
    if (!push(p, l, parse_ident(p))) return NULL;
  return l;
}

/* name_or_string: ident | string  (extension names, paths) */
static uf_node *name_or_string(uf_parser *p) {
  const uf_token *t = peek(p);
  if (t->type == TK_STRING || t->type == TK_ESTRING || t->type == TK_DOLLAR)
    return parse_string_lit(p);
  return parse_ident(p);
}

/* returning: RETURNING select_item {',' select_item} */
static uf_node *opt_returning(uf_parser *p, uf_node *n) {
  if (!eat(p, "RETURNING")) return n;
  uf_node *l = mk_list(p, p->pos);
  do {
    if (!push(p, l, parse_select_item(p))) return NULL;
  } while (accept_op(p, ","));
  return put(p, n, UF_SLOT_RETURNING, l);
}

/* ---- options ---- */

/* option_value: bare_word | expr   (a bare word becomes a STRING) */
static uf_node *option_value(uf_parser *p) {
  const uf_token *t = peek(p);
  bool ends = at_op_at(p, 1, ",") || at_op_at(p, 1, ")");
  if (t->type == TK_WORD && ends && !is(p, "TRUE") && !is(p, "FALSE") &&
      !is(p, "NULL")) {
    uf_node *s = mk_text(p, UF_STRING, p->pos, tok_src(p, t), t->len);
    if (!s) return NULL;
    s->style = STYLE_BARE_WORD;
    advance(p);
    return s;
  }
  if (at_op(p, "*")) {
    uf_node *s = mk(p, UF_STAR, p->pos);
    advance(p);
    return s;
  }
  return parse_expr(p);
}

/* partition_cols: '(' ident {',' ident} ')' | ident */
static uf_node *partition_cols(uf_parser *p) {
  if (at_op(p, "(")) return ident_list(p);
  uf_node *l = mk_list(p, p->pos);
  return push(p, l, parse_ident(p)) ? l : NULL;
}

/* option: name [value]. For COPY (copy != NULL) FORMAT and PARTITION_BY go
 * to their own slots; everything else is a PROP pushed on opts. */
static bool option(uf_parser *p, uf_node *copy, uf_node *opts) {
  uint32_t t0 = p->pos;
  uf_node *key = word_var(p, "an option name");
  if (!key) return false;
  if (copy && strcmp(key->text, "FORMAT") == 0)
    return put(p, copy, UF_SLOT_FORMAT, word_var(p, "a format")) != NULL;
  if (copy && strcmp(key->text, "PARTITION_BY") == 0)
    return put(p, copy, UF_SLOT_PARTITIONED_BY, partition_cols(p)) != NULL;
  uf_node *prop = mk(p, UF_PROP, t0);
  if (!put(p, prop, UF_SLOT_KEY, key)) return false;
  if (!at_op(p, ",") && !at_op(p, ")") &&
      !put(p, prop, UF_SLOT_VALUE, option_value(p)))
    return false;
  return push(p, opts, prop);
}

/* options: '(' [option {',' option}] ')' */
static uf_node *option_list(uf_parser *p, uf_node *copy) {
  uf_node *opts = mk_list(p, p->pos);
  if (!opts || !expect_op(p, "(")) return NULL;
  if (accept_op(p, ")")) return opts;
  do {
    if (!option(p, copy, opts)) return NULL;
  } while (accept_op(p, ","));
  return expect_op(p, ")") ? opts : NULL;
}

/* Canonical name of a DataFusion option key: upper case, without the
 * "format." prefix, mapped to DuckDB's name. */
static uf_node *df_key_var(uf_parser *p, uint32_t tok, const char *s, size_t n) {
  if (n > 7 && strncasecmp(s, "format.", 7) == 0) {
    s += 7;
    n -= 7;
  }
  uf_node *v = upper_var(p, tok, s, n);
  if (!v) return NULL;
  const char *canon = uf_name_map_find(uf_dialect_datafusion()->copy_opts_in, v->text);
  if (canon) v->text = intern(p, canon, strlen(canon));
  return v->text ? v : NULL;
}

/* df_key: string | word {'.' word} */
static uf_node *df_key(uf_parser *p) {
  uint32_t t0 = p->pos;
  const uf_token *t = peek(p);
  if (t->type == TK_STRING || t->type == TK_ESTRING) {
    uf_node *s = string_from_token(p, t0);
    if (!s) return NULL;
    advance(p);
    return df_key_var(p, t0, s->text, strlen(s->text));
  }
  if (t->type != TK_WORD) return error_expected(p, "an option name");
  uint32_t start = t->off, end = t->off + t->len;
  advance(p);
  while (at_op(p, ".") && peek_at(p, 1)->type == TK_WORD) {
    advance(p);
    end = peek(p)->off + peek(p)->len;
    advance(p);
  }
  return df_key_var(p, t0, p->src + start, end - start);
}

/* df_options: OPTIONS '(' df_key value {',' df_key value} ')' */
static uf_node *df_options(uf_parser *p) {
  uf_node *opts = mk_list(p, p->pos);
  if (!opts || !expect_op(p, "(")) return NULL;
  if (accept_op(p, ")")) return opts;
  do {
    uf_node *prop = mk(p, UF_PROP, p->pos);
    if (!put(p, prop, UF_SLOT_KEY, df_key(p))) return NULL;
    if (!put(p, prop, UF_SLOT_VALUE, option_value(p)) || !push(p, opts, prop))
      return NULL;
  } while (accept_op(p, ","));
  return expect_op(p, ")") ? opts : NULL;
}

/* ---- column definitions and constraints ---- */

static bool at_column_constraint(const uf_parser *p) {
  static const char *const starts[] = {"NOT", "NULL", "PRIMARY", "UNIQUE",
      "DEFAULT", "CHECK", "REFERENCES", "COLLATE", "GENERATED", "AS",
      "CONSTRAINT", NULL};
  for (const char *const *w = starts; *w; w++)
    if (is(p, *w)) return true;
  return false;
}

static bool at_table_constraint(const uf_parser *p) {
  return is(p, "CONSTRAINT") || is(p, "PRIMARY") || is(p, "UNIQUE") ||
         is(p, "CHECK") || is(p, "FOREIGN");
}

static uf_node *constraint(uf_parser *p, uint32_t t0, const char *text) {
  return mk_text(p, UF_CONSTRAINT, t0, text, strlen(text));
}

/* paren_expr: '(' expr ')' */
static uf_node *paren_expr(uf_parser *p) {
  if (!expect_op(p, "(")) return NULL;
  uf_node *e = parse_expr(p);
  return e && expect_op(p, ")") ? e : NULL;
}

/* ref_action: ON (DELETE | UPDATE) (CASCADE | RESTRICT | NO ACTION |
 *   SET NULL | SET DEFAULT)   -> VAR "ON DELETE CASCADE" */
static uf_node *ref_action(uf_parser *p) {
  static const char *const acts[][2] = {{"CASCADE", NULL}, {"RESTRICT", NULL},
      {"NO", "ACTION"}, {"SET", "NULL"}, {"SET", "DEFAULT"}};
  uint32_t t0 = p->pos;
  char buf[48];
  advance(p); /* ON */
  const char *what = eat(p, "DELETE") ? "DELETE" : eat(p, "UPDATE") ? "UPDATE" : NULL;
  if (!what) return error_expected(p, "DELETE or UPDATE");
  for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
    if (acts[i][1] ? eat2(p, acts[i][0], acts[i][1]) : eat(p, acts[i][0])) {
      snprintf(buf, sizeof buf, "ON %s %s%s%s", what, acts[i][0],
               acts[i][1] ? " " : "", acts[i][1] ? acts[i][1] : "");
      return mk_text(p, UF_VAR, t0, buf, strlen(buf));
    }
  }
  return error_expected(p, "CASCADE, RESTRICT, NO ACTION, SET NULL or SET DEFAULT");
}

static bool constraint_attrs(uf_parser *p, uf_node *c);

/* references: REFERENCES table ['(' cols ')'] {ref_action}  (after REFERENCES) */
static uf_node *references(uf_parser *p, uint32_t t0) {
  uf_node *c = constraint(p, t0, "REFERENCES");
  if (!put(p, c, UF_SLOT_REFERENCES, parse_table_name(p))) return NULL;
  if (at_op(p, "(") && !put(p, c, UF_SLOT_COLUMNS, ident_list(p))) return NULL;
  if (!is(p, "ON")) return constraint_attrs(p, c) ? c : NULL;
  uf_node *acts = mk_list(p, p->pos);
  while (is(p, "ON") && (word_at(p, 1, "DELETE") || word_at(p, 1, "UPDATE")))
    if (!push(p, acts, ref_action(p))) return NULL;
  if (acts->nkids && !put(p, c, UF_SLOT_ACTIONS, acts)) return NULL;
  return constraint_attrs(p, c) ? c : NULL;
}

static bool seq_option(uf_parser *p, uf_node *n);

/* identity: GENERATED (ALWAYS | BY DEFAULT) AS IDENTITY ['(' {seq_option} ')']
 * (after GENERATED; PostgreSQL) -- the sequence options in OPTIONS */
static uf_node *identity(uf_parser *p, uint32_t t0, bool always) {
  const char *text = always ? "GENERATED ALWAYS AS IDENTITY"
                            : "GENERATED BY DEFAULT AS IDENTITY";
  uf_node *c = constraint(p, t0, text);
  if (!c || !need(p, "AS") || !need(p, "IDENTITY")) return NULL;
  if (!accept_op(p, "(")) return c;
  while (!failed(p) && !at_op(p, ")"))
    if (!seq_option(p, c)) return NULL;
  return expect_op(p, ")") ? c : NULL;
}

/* constraint_attrs: {[NOT] DEFERRABLE | INITIALLY (DEFERRED | IMMEDIATE)}
 * appended to the constraint's ACTIONS as VARs */
static bool constraint_attrs(uf_parser *p, uf_node *c) {
  static const char *const attrs[][2] = {{"DEFERRABLE", NULL},
      {"NOT", "DEFERRABLE"}, {"INITIALLY", "DEFERRED"}, {"INITIALLY", "IMMEDIATE"}};
  for (;;) {
    uint32_t t0 = p->pos;
    size_t i = 0, n = sizeof attrs / sizeof attrs[0];
    while (i < n && !(attrs[i][1] ? eat2(p, attrs[i][0], attrs[i][1]) : eat(p, attrs[i][0])))
      i++;
    if (i == n) return true;
    char buf[32];
    snprintf(buf, sizeof buf, "%s%s%s", attrs[i][0], attrs[i][1] ? " " : "",
             attrs[i][1] ? attrs[i][1] : "");
    uf_node *acts = uf_get(c, UF_SLOT_ACTIONS);
    if (!acts && !put(p, c, UF_SLOT_ACTIONS, acts = mk_list(p, t0))) return false;
    if (!push(p, acts, mk_text(p, UF_VAR, t0, buf, strlen(buf)))) return false;
  }
}

/* generated: [GENERATED ALWAYS] AS '(' expr ')' [STORED | VIRTUAL]
 * style bit0 = short form `AS (e)`, bit1 = VIRTUAL written;
 * flag PERSISTENT = STORED */
static uf_node *generated(uf_parser *p, uint32_t t0) {
  uf_node *c = constraint(p, t0, "GENERATED");
  if (!c) return NULL;
  if (eat(p, "GENERATED")) {
    if (eat2(p, "BY", "DEFAULT")) return identity(p, t0, false);
    if (!need(p, "ALWAYS")) return NULL;
    if (is(p, "AS") && word_at(p, 1, "IDENTITY")) return identity(p, t0, true);
  } else {
    c->style |= 1;
  }
  if (!need(p, "AS") || !put(p, c, UF_SLOT_EXPR, paren_expr(p))) return NULL;
  if (eat(p, "STORED")) c->flags |= UF_F_PERSISTENT;
  else if (eat(p, "VIRTUAL")) c->style |= 2;
  return c;
}

/* column_constraint: [CONSTRAINT name] (NOT NULL | NULL | PRIMARY KEY |
 *   UNIQUE | DEFAULT expr | CHECK '(' expr ')' | REFERENCES t ['(' cols ')'] |
 *   COLLATE name | [GENERATED ALWAYS] AS '(' expr ')' [STORED | VIRTUAL]) */
static uf_node *column_constraint(uf_parser *p) {
  uint32_t t0 = p->pos;
  uf_node *name = NULL, *c = NULL;
  if (eat(p, "CONSTRAINT") && !(name = parse_ident(p))) return NULL;
  if (eat2(p, "NOT", "NULL")) c = constraint(p, t0, "NOT NULL");
  else if (eat(p, "NULL")) c = constraint(p, t0, "NULL");
  else if (eat2(p, "PRIMARY", "KEY")) c = constraint(p, t0, "PRIMARY KEY");
  else if (eat(p, "UNIQUE")) c = constraint(p, t0, "UNIQUE");
  else if (eat(p, "DEFAULT"))
    c = put(p, constraint(p, t0, "DEFAULT"), UF_SLOT_EXPR, parse_expr(p));
  else if (eat(p, "CHECK"))
    c = put(p, constraint(p, t0, "CHECK"), UF_SLOT_EXPR, paren_expr(p));
  else if (eat(p, "REFERENCES")) c = references(p, t0);
  else if (eat(p, "COLLATE"))
    c = put(p, constraint(p, t0, "COLLATE"), UF_SLOT_EXPR, parse_ident(p));
  else if (is(p, "GENERATED") || is(p, "AS")) c = generated(p, t0);
  else return error_expected(p, "a column constraint");
  if (c && name && !set(p, c, UF_SLOT_NAME, name)) return NULL;
  return c && constraint_attrs(p, c) ? c : NULL;
}

/* column_def: ident [type] {column_constraint} */
static uf_node *column_def(uf_parser *p) {
  uf_node *c = mk(p, UF_COLUMN_DEF, p->pos);
  if (!put(p, c, UF_SLOT_NAME, parse_ident(p))) return NULL;
  if (!at_column_constraint(p) && !at_op(p, ",") && !at_op(p, ")") &&
      !put(p, c, UF_SLOT_TYPE, parse_type(p)))
    return NULL;
  if (!at_column_constraint(p)) return c;
  uf_node *l = mk_list(p, p->pos);
  while (at_column_constraint(p))
    if (!push(p, l, column_constraint(p))) return NULL;
  return put(p, c, UF_SLOT_CONSTRAINTS, l);
}

/* table_constraint: [CONSTRAINT name] (PRIMARY KEY '(' cols ')' |
 *   UNIQUE '(' cols ')' | CHECK '(' expr ')' |
 *   FOREIGN KEY '(' cols ')' REFERENCES t ['(' cols ')'])
 * FOREIGN KEY keeps its REFERENCES part as a nested REFERENCES constraint. */
static uf_node *table_constraint(uf_parser *p) {
  uint32_t t0 = p->pos;
  uf_node *name = NULL, *c = NULL;
  if (eat(p, "CONSTRAINT") && !(name = parse_ident(p))) return NULL;
  if (eat2(p, "PRIMARY", "KEY"))
    c = put(p, constraint(p, t0, "PRIMARY KEY"), UF_SLOT_COLUMNS, ident_list(p));
  else if (eat(p, "UNIQUE"))
    c = put(p, constraint(p, t0, "UNIQUE"), UF_SLOT_COLUMNS, ident_list(p));
  else if (eat(p, "CHECK"))
    c = put(p, constraint(p, t0, "CHECK"), UF_SLOT_EXPR, paren_expr(p));
  else if (eat2(p, "FOREIGN", "KEY")) {
    c = put(p, constraint(p, t0, "FOREIGN KEY"), UF_SLOT_COLUMNS, ident_list(p));
    uint32_t t1 = p->pos;
    if (!c || !need(p, "REFERENCES")) return NULL;
    c = put(p, c, UF_SLOT_REFERENCES, references(p, t1));
  } else {
    return error_expected(p, "PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY");
  }
  if (c && name && !set(p, c, UF_SLOT_NAME, name)) return NULL;
  return c && constraint_attrs(p, c) ? c : NULL;
}

/* table_elements: '(' (column_def | table_constraint) {',' ...} ')' */
static bool table_elements(uf_parser *p, uf_node *n) {
  uf_node *cols = mk_list(p, p->pos), *cons = NULL;
  if (!cols || !expect_op(p, "(")) return false;
  do {
    if (at_table_constraint(p)) {
      if (!cons && !(cons = mk_list(p, p->pos))) return false;
      if (!push(p, cons, table_constraint(p))) return false;
    } else if (!push(p, cols, column_def(p))) {
      return false;
    }
  } while (accept_op(p, ","));
  if (!expect_op(p, ")") || !set(p, n, UF_SLOT_COLUMNS, cols)) return false;
  return !cons || set(p, n, UF_SLOT_CONSTRAINTS, cons);
}

/* ---- CREATE ---- */

/* storage_param: ident ['=' expr]  -> PROP (KEY IDENT) */
static uf_node *storage_param(uf_parser *p) {
  uf_node *prop = mk(p, UF_PROP, p->pos);
  if (!put(p, prop, UF_SLOT_KEY, parse_ident(p))) return NULL;
  if (!accept_op(p, "=")) return prop;
  return put(p, prop, UF_SLOT_VALUE, parse_expr(p));
}

/* storage_params: WITH '(' storage_param {',' storage_param} ')'
 * (PostgreSQL reloptions) */
static uf_node *storage_params(uf_parser *p) {
  uf_node *l = mk_list(p, p->pos);
  if (!l || !need(p, "WITH") || !expect_op(p, "(")) return NULL;
  do {
    if (!push(p, l, storage_param(p))) return NULL;
  } while (accept_op(p, ","));
  return expect_op(p, ")") ? l : NULL;
}

/* on_commit: ON COMMIT (PRESERVE ROWS | DELETE ROWS | DROP)  -> VAR */
static uf_node *on_commit(uf_parser *p) {
  uint32_t t0 = p->pos;
  advance(p);
  advance(p); /* ON COMMIT */
  const char *w = eat2(p, "PRESERVE", "ROWS") ? "PRESERVE ROWS"
                  : eat2(p, "DELETE", "ROWS") ? "DELETE ROWS"
                  : eat(p, "DROP")            ? "DROP" : NULL;
  if (!w) return error_expected(p, "PRESERVE ROWS, DELETE ROWS or DROP");
  return mk_text(p, UF_VAR, t0, w, strlen(w));
}

/* create_table: TABLE [IF NOT EXISTS] name [table_elements]
 *   [storage_params] [on_commit] [AS query [WITH [NO] DATA]]
 *   (table_elements or AS query required) */
static uf_node *create_table(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CREATE_TABLE, t0);
  if (!n || !need(p, "TABLE")) return NULL;
  opt_if_not_exists(p, n);
  if (!put(p, n, UF_SLOT_NAME, parse_table_name(p))) return NULL;
  if (at_op(p, "(") && !table_elements(p, n)) return NULL;
  if (is(p, "WITH") && at_op_at(p, 1, "(") &&
      !put(p, n, UF_SLOT_OPTIONS, storage_params(p)))
    return NULL;
  if (is(p, "ON") && word_at(p, 1, "COMMIT") && !put(p, n, UF_SLOT_ON, on_commit(p)))
    return NULL;
  if (!uf_get(n, UF_SLOT_COLUMNS) && !is(p, "AS")) return error_expected(p, "'(' or AS");
  if (!eat(p, "AS")) return n;
  if (!put(p, n, UF_SLOT_QUERY, parse_query(p))) return NULL;
  uint32_t t1 = p->pos;
  if (eat2(p, "WITH", "DATA")) return put(p, n, UF_SLOT_EXTRA, mk_text(p, UF_VAR, t1, "WITH DATA", 9));
  if (eat3(p, "WITH", "NO", "DATA"))
    return put(p, n, UF_SLOT_EXTRA, mk_text(p, UF_VAR, t1, "WITH NO DATA", 12));
  return n;
}

/* create_view: [MATERIALIZED] VIEW [IF NOT EXISTS] name ['(' cols ')']
 *   AS query */
static uf_node *create_view(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CREATE_VIEW, t0);
  if (n && eat(p, "MATERIALIZED")) n->flags |= UF_F_MATERIALIZED;
  if (!n || !need(p, "VIEW")) return NULL;
  opt_if_not_exists(p, n);
  if (!put(p, n, UF_SLOT_NAME, parse_table_name(p))) return NULL;
  if (at_op(p, "(") && !put(p, n, UF_SLOT_COLUMNS, ident_list(p))) return NULL;
  if (!need(p, "AS")) return NULL;
  return put(p, n, UF_SLOT_QUERY, parse_query(p));
}

/* partition_defs: '(' ident [type] {',' ident [type]} ')' -- a name alone
 * is an IDENT, a name with a type a COLUMN_DEF (DataFusion allows both) */
static uf_node *partition_defs(uf_parser *p) {
  uf_node *l = mk_list(p, p->pos);
  if (!l || !expect_op(p, "(")) return NULL;
  do {
    uint32_t t0 = p->pos;
    uf_node *id = parse_ident(p);
    if (!id) return NULL;
    if (!at_op(p, ",") && !at_op(p, ")")) {
      uf_node *c = mk(p, UF_COLUMN_DEF, t0);
      if (!put(p, c, UF_SLOT_NAME, id) || !put(p, c, UF_SLOT_TYPE, parse_type(p)))
        return NULL;
      id = c;
    }
    if (!push(p, l, id)) return NULL;
  } while (accept_op(p, ","));
  return expect_op(p, ")") ? l : NULL;
}

/* Adds PROP key=value to the OPTIONS list of n (creating it); style 1
 * marks an option written as its own clause (DELIMITER 'x'). */
static bool add_prop(uf_parser *p, uf_node *n, uint32_t tok, const char *key,
                     uf_node *value, uint8_t style) {
  uf_node *opts = uf_get(n, UF_SLOT_OPTIONS);
  if (!opts && !put(p, n, UF_SLOT_OPTIONS, opts = mk_list(p, tok))) return false;
  uf_node *prop = mk(p, UF_PROP, tok);
  if (!put(p, prop, UF_SLOT_KEY, mk_text(p, UF_VAR, tok, key, strlen(key))))
    return false;
  prop->style = style;
  if (value && !set(p, prop, UF_SLOT_VALUE, value)) return false;
  return push(p, opts, prop);
}

/* Merges the DataFusion OPTIONS list into n's options (after clause-form
 * options already there). */
static bool merge_options(uf_parser *p, uf_node *n, uf_node *opts) {
  uf_node *have = uf_get(n, UF_SLOT_OPTIONS);
  if (!opts) return false;
  if (opts->nkids == 0) return true; /* OPTIONS () is no options */
  if (!have) return set(p, n, UF_SLOT_OPTIONS, opts);
  for (uint32_t i = 0; i < opts->nkids; i++)
    if (!push(p, have, opts->kids[i])) return false;
  return true;
}

/* external_clause: STORED AS fmt | WITH HEADER ROW | DELIMITER string |
 *   PARTITIONED BY partition_defs | LOCATION string | OPTIONS df_options */
static bool external_clause(uf_parser *p, uf_node *n) {
  uint32_t t0 = p->pos;
  if (eat2(p, "STORED", "AS"))
    return put(p, n, UF_SLOT_FORMAT, word_var(p, "a file format")) != NULL;
  if (eat3(p, "WITH", "HEADER", "ROW")) {
    n->flags |= UF_F_WITH_HEADER;
    return true;
  }
  if (eat(p, "DELIMITER"))
    return add_prop(p, n, t0, "DELIMITER", parse_string_lit(p), 1);
  if (eat2(p, "PARTITIONED", "BY"))
    return put(p, n, UF_SLOT_PARTITIONED_BY, partition_defs(p)) != NULL;
  if (eat(p, "LOCATION"))
    return put(p, n, UF_SLOT_LOCATION, parse_string_lit(p)) != NULL;
  if (eat(p, "OPTIONS")) return merge_options(p, n, df_options(p));
  error_expected(p, "STORED AS, LOCATION, PARTITIONED BY or OPTIONS");
  return false;
}

/* create_external: EXTERNAL TABLE [IF NOT EXISTS] name ['(' column_def ...
 *   ')'] external_clause {external_clause}   (STORED AS and LOCATION required) */
static uf_node *create_external(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CREATE_EXTERNAL_TABLE, t0);
  if (!n || !need(p, "EXTERNAL") || !need(p, "TABLE")) return NULL;
  opt_if_not_exists(p, n);
  if (!put(p, n, UF_SLOT_NAME, parse_table_name(p))) return NULL;
  if (at_op(p, "(")) {
    if (!table_elements(p, n)) return NULL;
    if (uf_get(n, UF_SLOT_CONSTRAINTS))
      return error_at(p, &p->toks.tok[t0], "table constraints are not allowed in CREATE EXTERNAL TABLE");
  }
  while (!failed(p) && !at_end(p))
    if (!external_clause(p, n)) return NULL;
  if (!uf_get(n, UF_SLOT_FORMAT)) return error_expected(p, "STORED AS");
  if (!uf_get(n, UF_SLOT_LOCATION)) return error_expected(p, "LOCATION");
  return n;
}

/* create_schema: (SCHEMA | DATABASE) [IF NOT EXISTS] name
 * (text "DATABASE" for CREATE DATABASE) */
static uf_node *create_schema(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CREATE_SCHEMA, t0);
  if (n && eat(p, "DATABASE")) n->text = intern(p, "DATABASE", 8);
  else if (!n || !need(p, "SCHEMA")) return NULL;
  opt_if_not_exists(p, n);
  return put(p, n, UF_SLOT_NAME, parse_table_name(p));
}

/* seq_option: START [WITH] n | INCREMENT [BY] n | MINVALUE n | MAXVALUE n |
 *   NO MINVALUE | NO MAXVALUE | [NO] CYCLE   -> PROP (VAR key, value) */
static bool seq_option(uf_parser *p, uf_node *n) {
  uint32_t t0 = p->pos;
  static const char *const bare[] = {"NO MINVALUE", "NO MAXVALUE", "NO CYCLE",
                                     "CYCLE", NULL};
  if (eat2(p, "NO", "MINVALUE")) return add_prop(p, n, t0, bare[0], NULL, 0);
  if (eat2(p, "NO", "MAXVALUE")) return add_prop(p, n, t0, bare[1], NULL, 0);
  if (eat2(p, "NO", "CYCLE")) return add_prop(p, n, t0, bare[2], NULL, 0);
  if (eat(p, "CYCLE")) return add_prop(p, n, t0, bare[3], NULL, 0);
  const char *key = NULL;
  uint8_t style = 0;
  if (eat(p, "START")) key = "START", style = eat(p, "WITH");
  else if (eat(p, "INCREMENT")) key = "INCREMENT", style = eat(p, "BY");
  else if (eat(p, "MINVALUE")) key = "MINVALUE";
  else if (eat(p, "MAXVALUE")) key = "MAXVALUE";
  else {
    error_expected(p, "a sequence option");
    return false;
  }
  return add_prop(p, n, t0, key, parse_expr(p), style);
}

/* create_sequence: SEQUENCE [IF NOT EXISTS] name {seq_option} */
static uf_node *create_sequence(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CREATE_SEQUENCE, t0);
  if (!n || !need(p, "SEQUENCE")) return NULL;
  opt_if_not_exists(p, n);
  if (!put(p, n, UF_SLOT_NAME, parse_table_name(p))) return NULL;
  while (!failed(p) && !at_end(p))
    if (!seq_option(p, n)) return NULL;
  return n;
}

/* macro_param: ident [':=' expr]   (a default makes it a NAMED_ARG) */
static uf_node *macro_param(uf_parser *p) {
  uint32_t t0 = p->pos;
  uf_node *id = parse_ident(p);
  if (!id || !accept_op(p, ":=")) return id;
  uf_node *a = mk(p, UF_NAMED_ARG, t0);
  if (!put(p, a, UF_SLOT_NAME, id)) return NULL;
  return put(p, a, UF_SLOT_THIS, parse_expr(p));
}

/* create_macro: (MACRO | FUNCTION) [IF NOT EXISTS] name '(' [macro_param
 *   {',' macro_param}] ')' AS (TABLE query | expr)
 * flag TABLE = table macro; style 1 = spelled FUNCTION */
static uf_node *create_macro(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CREATE_MACRO, t0);
  if (!n) return NULL;
  if (eat(p, "FUNCTION")) n->style = 1;
  else if (!need(p, "MACRO")) return NULL;
  opt_if_not_exists(p, n);
  if (!put(p, n, UF_SLOT_NAME, parse_table_name(p))) return NULL;
  uf_node *params = mk_list(p, p->pos);
  if (!put(p, n, UF_SLOT_PARAMS, params) || !expect_op(p, "(")) return NULL;
  if (!at_op(p, ")")) {
    do {
      if (!push(p, params, macro_param(p))) return NULL;
    } while (accept_op(p, ","));
  }
  if (!expect_op(p, ")") || !need(p, "AS")) return NULL;
  if (eat(p, "TABLE")) {
    n->flags |= UF_F_TABLE;
    return put(p, n, UF_SLOT_BODY, parse_query(p));
  }
  return put(p, n, UF_SLOT_BODY, parse_expr(p));
}

/* index_elem: expr [ASC | DESC] [NULLS (FIRST | LAST)]  -- an ORDERED only
 * when an ordering is written */
static uf_node *index_elem(uf_parser *p) {
  uint32_t t0 = p->pos;
  uf_node *e = parse_expr(p);
  if (!e || !(is(p, "ASC") || is(p, "DESC") || is(p, "NULLS"))) return e;
  uf_node *o = mk(p, UF_ORDERED, t0);
  if (!put(p, o, UF_SLOT_THIS, e)) return NULL;
  if (eat(p, "DESC")) o->flags |= UF_F_DESC;
  else if (eat(p, "ASC")) o->style |= 1;
  if (eat2(p, "NULLS", "FIRST")) o->flags |= UF_F_NULLS_FIRST;
  else if (eat2(p, "NULLS", "LAST")) o->flags |= UF_F_NULLS_LAST;
  else if (is(p, "NULLS")) return error_expected(p, "FIRST or LAST");
  return o;
}

/* create_index: [UNIQUE] INDEX [IF NOT EXISTS] [name] ON table
 *   [USING method] '(' index_elem {',' index_elem} ')'
 *   (text "UNIQUE" for a unique index) */
static uf_node *create_index(uf_parser *p, uint32_t t0, bool unique) {
  uf_node *n = mk(p, UF_CREATE_INDEX, t0);
  if (!n || !need(p, "INDEX")) return NULL;
  if (unique) n->text = intern(p, "UNIQUE", 6);
  opt_if_not_exists(p, n);
  if (!is(p, "ON") && !put(p, n, UF_SLOT_NAME, parse_ident(p))) return NULL;
  if (!need(p, "ON") || !put(p, n, UF_SLOT_TABLE, parse_table_name(p)))
    return NULL;
  if (eat(p, "USING") && !put(p, n, UF_SLOT_METHOD, parse_ident(p))) return NULL;
  uf_node *cols = mk_list(p, p->pos);
  if (!put(p, n, UF_SLOT_COLUMNS, cols) || !expect_op(p, "(")) return NULL;
  do {
    if (!push(p, cols, index_elem(p))) return NULL;
  } while (accept_op(p, ","));
  return expect_op(p, ")") ? n : NULL;
}

/* enum_type: ENUM '(' string {',' string} ')'  -> TYPE "ENUM" with ARGS */
static uf_node *enum_type(uf_parser *p) {
  uf_node *t = mk_text(p, UF_TYPE, p->pos, "ENUM", 4);
  uf_node *args = mk_list(p, p->pos);
  if (!t || !need(p, "ENUM") || !expect_op(p, "(")) return NULL;
  if (!at_op(p, ")")) {
    do {
      if (!push(p, args, parse_string_lit(p))) return NULL;
    } while (accept_op(p, ","));
  }
  if (!expect_op(p, ")")) return NULL;
  return put(p, t, UF_SLOT_ARGS, args);
}

/* create_type: TYPE [IF NOT EXISTS] name AS (enum_type | type) */
static uf_node *create_type(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CREATE_TYPE, t0);
  if (!n || !need(p, "TYPE")) return NULL;
  opt_if_not_exists(p, n);
  if (!put(p, n, UF_SLOT_NAME, parse_table_name(p)) || !need(p, "AS"))
    return NULL;
  if (is(p, "ENUM") && at_op_at(p, 1, "("))
    return put(p, n, UF_SLOT_TYPE, enum_type(p));
  return put(p, n, UF_SLOT_TYPE, parse_type(p));
}

/* create_secret: SECRET [IF NOT EXISTS] [name] options
 * (PERSISTENT / TEMPORARY come before SECRET, read by parse_create) */
static uf_node *create_secret(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CREATE_SECRET, t0);
  if (!n || !need(p, "SECRET")) return NULL;
  opt_if_not_exists(p, n);
  if (!at_op(p, "(") && !put(p, n, UF_SLOT_NAME, parse_ident(p))) return NULL;
  return put(p, n, UF_SLOT_OPTIONS, option_list(p, NULL));
}

/* create: CREATE [OR REPLACE] [TEMP | TEMPORARY] [UNBOUNDED] (create_table |
 *   create_view | create_external | create_schema | create_sequence |
 *   create_macro | create_index | create_type) */
static uf_node *parse_create(uf_parser *p) {
  uint32_t t0 = p->pos;
  uint32_t fl = 0;
  advance(p);
  if (eat2(p, "OR", "REPLACE")) fl |= UF_F_OR_REPLACE;
  if (eat(p, "TEMP") || eat(p, "TEMPORARY")) fl |= UF_F_TEMP;
  if (eat(p, "UNBOUNDED")) fl |= UF_F_UNBOUNDED;
  if (!(fl & (UF_F_TEMP | UF_F_UNBOUNDED)) && is(p, "PERSISTENT") &&
      word_at(p, 1, "SECRET")) {
    advance(p);
    fl |= UF_F_PERSISTENT;
  }
  uf_node *n;
  if (is(p, "SECRET") && !(fl & UF_F_UNBOUNDED)) n = create_secret(p, t0);
  else if (is(p, "EXTERNAL")) n = create_external(p, t0);
  else if (fl & UF_F_UNBOUNDED) return error_expected(p, "EXTERNAL");
  else if (is(p, "TABLE")) n = create_table(p, t0);
  else if (is(p, "VIEW") || (is(p, "MATERIALIZED") && word_at(p, 1, "VIEW")))
    n = create_view(p, t0);
  else if (is(p, "SCHEMA") || is(p, "DATABASE")) n = create_schema(p, t0);
  else if (is(p, "SEQUENCE")) n = create_sequence(p, t0);
  else if (is(p, "MACRO") || is(p, "FUNCTION")) n = create_macro(p, t0);
  else if (is(p, "INDEX")) n = create_index(p, t0, false);
  else if (eat(p, "UNIQUE")) n = create_index(p, t0, true);
  else if (is(p, "TYPE")) n = create_type(p, t0);
  else return error_expected(p, "TABLE, VIEW, SCHEMA, DATABASE, SEQUENCE, MACRO, INDEX, TYPE or SECRET");
  if (n) n->flags |= fl;
  return n;
}

/* ---- DML ---- */

/* with_clause: WITH [RECURSIVE] cte {',' cte};
 * cte: name ['(' cols ')'] AS [[NOT] MATERIALIZED] '(' query ')'
 * Built here (the same WITH/CTE nodes queries use) for WITH ... INSERT,
 * UPDATE and DELETE. */
static uf_node *with_clause(uf_parser *p) {
  uf_node *w = mk(p, UF_WITH, p->pos);
  uf_node *ctes = mk_list(p, p->pos);
  if (!w || !need(p, "WITH")) return NULL;
  if (eat(p, "RECURSIVE")) w->flags |= UF_F_RECURSIVE;
  do {
    uf_node *cte = mk(p, UF_CTE, p->pos);
    if (!put(p, cte, UF_SLOT_ALIAS, parse_table_alias(p, false))) {
      if (!failed(p)) error_expected(p, "a CTE name");
      return NULL;
    }
    if (!need(p, "AS")) return NULL;
    if (eat2(p, "NOT", "MATERIALIZED")) cte->flags |= UF_F_NOT_MATERIALIZED;
    else if (eat(p, "MATERIALIZED")) cte->flags |= UF_F_MATERIALIZED;
    if (!put(p, cte, UF_SLOT_THIS, paren_query(p)) || !push(p, ctes, cte))
      return NULL;
  } while (accept_op(p, ","));
  return put(p, w, UF_SLOT_CTES, ctes);
}

/* True when the tokens from here (a WITH) lead, outside parentheses, to
 * INSERT, UPDATE or DELETE before the statement ends. Only the word right
 * after a CTE body's ')' counts: a CTE may be named insert. */
static bool with_leads_to_dml(const uf_parser *p) {
  int depth = 0;
  bool after_body = false;
  for (uint32_t k = 0;; k++) {
    const uf_token *t = peek_at(p, k);
    if (t->type == TK_EOF) return false;
    bool closes = false;
    if (uf_tok_is_op(p->src, t, "(")) depth++;
    else if (uf_tok_is_op(p->src, t, ")")) closes = --depth == 0;
    else if (depth == 0 && uf_tok_is_op(p->src, t, ";")) return false;
    else if (depth == 0 && after_body &&
             (word_at(p, k, "INSERT") || word_at(p, k, "UPDATE") || word_at(p, k, "DELETE")))
      return true;
    else if (depth == 0 && after_body &&
             (word_at(p, k, "SELECT") || word_at(p, k, "VALUES") || word_at(p, k, "FROM")))
      return false;
    after_body = closes;
  }
}

/* An alias after a DML target: AS name, or a plain name that is not the
 * next clause's keyword. */
static bool at_dml_alias(const uf_parser *p) {
  if (is(p, "AS")) return true;
  return at_ident(p) && !is(p, "SET") && !is(p, "USING") && !is(p, "WHERE") &&
         !is(p, "RETURNING");
}

/* dml_table: table [[AS] alias] */
static uf_node *dml_table(uf_parser *p) {
  uf_node *t = parse_table_name(p);
  if (!t || !at_dml_alias(p)) return t;
  return put(p, t, UF_SLOT_ALIAS, parse_table_alias(p, false));
}

/* on_conflict: ON CONFLICT ['(' cols ')'] [WHERE expr] DO (NOTHING |
 *   UPDATE SET set_item {',' set_item} [WHERE expr]) */
static uf_node *set_list(uf_parser *p);
static uf_node *on_conflict(uf_parser *p) {
  uf_node *c = mk(p, UF_ON_CONFLICT, p->pos);
  if (!c || !need(p, "ON") || !need(p, "CONFLICT")) return NULL;
  if (at_op(p, "(") && !put(p, c, UF_SLOT_COLUMNS, ident_list(p))) return NULL;
  if (eat(p, "WHERE") && !put(p, c, UF_SLOT_WHERE, parse_expr(p))) return NULL;
  if (!need(p, "DO")) return NULL;
  if (eat(p, "NOTHING")) {
    c->text = intern(p, "NOTHING", 7);
    return c;
  }
  if (!need(p, "UPDATE") || !need(p, "SET")) return NULL;
  c->text = intern(p, "UPDATE", 6);
  if (!put(p, c, UF_SLOT_SET, set_list(p))) return NULL;
  if (eat(p, "WHERE")) return put(p, c, UF_SLOT_COND, parse_expr(p));
  return c;
}

/* True at '(' opening a column list rather than a query. */
static bool at_insert_columns(const uf_parser *p) {
  return at_op(p, "(") && !word_at(p, 1, "SELECT") && !word_at(p, 1, "WITH") &&
         !word_at(p, 1, "VALUES") && !word_at(p, 1, "FROM") &&
         !at_op_at(p, 1, "(");
}

/* insert: INSERT [OR REPLACE | OR IGNORE] INTO table [AS alias]
 *   ['(' cols ')'] [BY NAME | BY POSITION] (DEFAULT VALUES | query)
 *   [on_conflict] [RETURNING items]
 * | INSERT OVERWRITE [TABLE] table query        (style bit0 TABLE written)
 * BY POSITION: style bit1 */
static uf_node *parse_insert(uf_parser *p, uint32_t t0, uf_node *with) {
  uf_node *n = mk(p, UF_INSERT, t0);
  if (!n || !need(p, "INSERT")) return NULL;
  if (with && !set(p, n, UF_SLOT_WITH, with)) return NULL;
  if (eat(p, "OVERWRITE")) {
    n->flags |= UF_F_OVERWRITE;
    if (eat(p, "TABLE")) n->style |= 1;
    if (!put(p, n, UF_SLOT_TABLE, parse_table_name(p))) return NULL;
    return put(p, n, UF_SLOT_QUERY, parse_query(p));
  }
  if (eat2(p, "OR", "REPLACE")) n->flags |= UF_F_OR_REPLACE;
  else if (eat2(p, "OR", "IGNORE")) n->flags |= UF_F_OR_IGNORE;
  if (!need(p, "INTO") || !put(p, n, UF_SLOT_TABLE, parse_table_name(p)))
    return NULL;
  if (eat(p, "AS") && !put(p, n, UF_SLOT_ALIAS, parse_ident(p))) return NULL;
  if (at_insert_columns(p) && !put(p, n, UF_SLOT_COLUMNS, ident_list(p)))
    return NULL;
  if (eat2(p, "BY", "NAME")) n->flags |= UF_F_BY_NAME;
  else if (eat2(p, "BY", "POSITION")) n->style |= 2;
  if (!eat2(p, "DEFAULT", "VALUES") && !put(p, n, UF_SLOT_QUERY, parse_query(p)))
    return NULL;
  if (is(p, "ON") && !put(p, n, UF_SLOT_CONFLICT, on_conflict(p))) return NULL;
  return opt_returning(p, n);
}

/* set_item: (ident | '(' ident {',' ident} ')') '=' (DEFAULT | expr) */
static uf_node *set_item(uf_parser *p) {
  uf_node *s = mk(p, UF_SET_ITEM, p->pos);
  uf_node *target = at_op(p, "(") ? ident_list(p) : parse_ident(p);
  if (!put(p, s, UF_SLOT_TARGET, target) || !expect_op(p, "=")) return NULL;
  if (is(p, "DEFAULT") && (at_op_at(p, 1, ",") || at_op_at(p, 1, ";") ||
                           peek_at(p, 1)->type == TK_EOF || word_at(p, 1, "WHERE") ||
                           word_at(p, 1, "FROM") || word_at(p, 1, "RETURNING"))) {
    uf_node *d = mk(p, UF_DEFAULT, p->pos);
    advance(p);
    return put(p, s, UF_SLOT_VALUE, d);
  }
  return put(p, s, UF_SLOT_VALUE, parse_expr(p));
}

/* set_list: set_item {',' set_item} */
static uf_node *set_list(uf_parser *p) {
  uf_node *l = mk_list(p, p->pos);
  do {
    if (!push(p, l, set_item(p))) return NULL;
  } while (accept_op(p, ","));
  return l;
}

/* from_list: from_item {',' from_item} */
static uf_node *from_list(uf_parser *p) {
  uf_node *l = mk_list(p, p->pos);
  do {
    if (!push(p, l, parse_from_item(p))) return NULL;
  } while (accept_op(p, ","));
  return l;
}

/* update: UPDATE dml_table SET set_list [FROM from_list] [WHERE expr]
 *   [RETURNING items] */
static uf_node *parse_update(uf_parser *p, uint32_t t0, uf_node *with) {
  uf_node *n = mk(p, UF_UPDATE, t0);
  if (!n || !need(p, "UPDATE")) return NULL;
  if (with && !set(p, n, UF_SLOT_WITH, with)) return NULL;
  if (!put(p, n, UF_SLOT_TABLE, dml_table(p)) || !need(p, "SET")) return NULL;
  if (!put(p, n, UF_SLOT_SET, set_list(p))) return NULL;
  if (eat(p, "FROM") && !put(p, n, UF_SLOT_FROM, from_list(p))) return NULL;
  if (eat(p, "WHERE") && !put(p, n, UF_SLOT_WHERE, parse_expr(p))) return NULL;
  return opt_returning(p, n);
}

/* delete: DELETE FROM dml_table [USING from_list] [WHERE expr]
 *   [RETURNING items] */
static uf_node *parse_delete(uf_parser *p, uint32_t t0, uf_node *with) {
  uf_node *n = mk(p, UF_DELETE, t0);
  if (!n || !need(p, "DELETE") || !need(p, "FROM")) return NULL;
  if (with && !set(p, n, UF_SLOT_WITH, with)) return NULL;
  if (!put(p, n, UF_SLOT_TABLE, dml_table(p))) return NULL;
  if (eat(p, "USING") && !put(p, n, UF_SLOT_USING, from_list(p))) return NULL;
  if (eat(p, "WHERE") && !put(p, n, UF_SLOT_WHERE, parse_expr(p))) return NULL;
  return opt_returning(p, n);
}

/* with_dml: with_clause (insert | update | delete) */
static uf_node *parse_with_dml(uf_parser *p) {
  uint32_t t0 = p->pos;
  uf_node *w = with_clause(p);
  if (!w) return NULL;
  if (is(p, "INSERT")) return parse_insert(p, t0, w);
  if (is(p, "UPDATE")) return parse_update(p, t0, w);
  if (is(p, "DELETE")) return parse_delete(p, t0, w);
  return error_expected(p, "INSERT, UPDATE or DELETE");
}

/* truncate: TRUNCATE [TABLE] table     (style 1 = TABLE written) */
static uf_node *parse_truncate(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_TRUNCATE, t0);
  if (!n) return NULL;
  advance(p);
  if (eat(p, "TABLE")) n->style = 1;
  return put(p, n, UF_SLOT_TABLE, parse_table_name(p));
}

/* ---- DROP / ALTER ---- */

static uf_node *routine_name(uf_parser *p);

/* drop: DROP (TABLE | VIEW | SCHEMA | SEQUENCE | MACRO [TABLE] | FUNCTION |
 *   INDEX | TYPE | [PERSISTENT | TEMPORARY] SECRET | MATERIALIZED VIEW |
 *   DATABASE | PROCEDURE) [IF EXISTS] name {',' name} [CASCADE | RESTRICT]
 * (FUNCTION and PROCEDURE names may carry argument types: routine_name) */
static uf_node *parse_drop(uf_parser *p, uint32_t t0) {
  static const char *const kinds[] = {"TABLE", "VIEW", "SCHEMA", "SEQUENCE",
      "FUNCTION", "INDEX", "TYPE", "SECRET", "DATABASE", "PROCEDURE", NULL};
  uf_node *n = mk(p, UF_DROP, t0);
  if (!n) return NULL;
  advance(p);
  const char *kind = NULL;
  if (eat2(p, "MATERIALIZED", "VIEW")) kind = "MATERIALIZED VIEW";
  else if (eat2(p, "MACRO", "TABLE")) kind = "MACRO TABLE";
  else if (eat(p, "MACRO")) kind = "MACRO";
  else if (eat2(p, "PERSISTENT", "SECRET")) kind = "SECRET", n->flags |= UF_F_PERSISTENT;
  else if (eat2(p, "TEMPORARY", "SECRET")) kind = "SECRET", n->flags |= UF_F_TEMP;
  for (const char *const *k = kinds; !kind && *k; k++)
    if (eat(p, *k)) kind = *k;
  if (!kind) return error_expected(p, "TABLE, VIEW, SCHEMA, SEQUENCE, MACRO, FUNCTION, INDEX, TYPE or SECRET");
  n->text = intern(p, kind, strlen(kind));
  opt_if_exists(p, n);
  bool routine = strcmp(kind, "FUNCTION") == 0 || strcmp(kind, "PROCEDURE") == 0;
  uf_node *l = mk_list(p, p->pos);
  do {
    if (!push(p, l, routine ? routine_name(p) : parse_table_name(p))) return NULL;
  } while (accept_op(p, ","));
  if (eat(p, "CASCADE")) n->flags |= UF_F_CASCADE;
  else if (eat(p, "RESTRICT")) n->flags |= UF_F_RESTRICT;
  return put(p, n, UF_SLOT_LIST, l);
}

/* routine_arg: [ident] type  -> TYPE, or COLUMN_DEF when named. A name
 * is a word followed by another word that does not continue a multi-word
 * type name (DOUBLE PRECISION, CHARACTER VARYING, TIME WITH TIME ZONE). */
static uf_node *routine_arg(uf_parser *p) {
  static const char *const multi[] = {"DOUBLE", "CHARACTER", "CHAR", "TIME",
      "TIMESTAMP", "BIT", "NATIONAL", "INTERVAL", "VARCHAR", NULL};
  uint32_t t0 = p->pos;
  bool named = at_ident(p) && peek_at(p, 1)->type == TK_WORD;
  for (const char *const *w = multi; named && *w; w++)
    if (is(p, *w)) named = false;
  if (!named) return parse_type(p);
  uf_node *id = parse_ident(p);
  if (!id) return NULL;
  uf_node *c = mk(p, UF_COLUMN_DEF, t0);
  if (!put(p, c, UF_SLOT_NAME, id)) return NULL;
  return put(p, c, UF_SLOT_TYPE, parse_type(p));
}

/* routine_name: name ['(' [routine_arg {',' routine_arg}] ')']
 * -> the TABLE name, or a SIGNATURE when argument types are given */
static uf_node *routine_name(uf_parser *p) {
  uint32_t t0 = p->pos;
  uf_node *name = parse_table_name(p);
  if (!name || !at_op(p, "(")) return name;
  uf_node *sig = mk(p, UF_SIGNATURE, t0), *args = mk_list(p, p->pos);
  if (!put(p, sig, UF_SLOT_NAME, name) || !put(p, sig, UF_SLOT_ARGS, args)) return NULL;
  advance(p);
  if (accept_op(p, ")")) return sig;
  do {
    if (!push(p, args, routine_arg(p))) return NULL;
  } while (accept_op(p, ","));
  return expect_op(p, ")") ? sig : NULL;
}

static uf_node *action(uf_parser *p, uint32_t t0, const char *text) {
  return mk_text(p, UF_ALTER_ACTION, t0, text, strlen(text));
}

/* alter_column: ALTER [COLUMN] c ([SET DATA] TYPE type [USING expr] |
 *   SET DEFAULT expr | DROP DEFAULT | SET NOT NULL | DROP NOT NULL)
 * style bit0 = COLUMN written, bit1 = SET DATA written */
static uf_node *alter_column(uf_parser *p, uint32_t t0) {
  uint8_t style = eat(p, "COLUMN") ? 1 : 0;
  uf_node *col = parse_ident(p), *a = NULL;
  if (!col) return NULL;
  if (eat3(p, "SET", "DATA", "TYPE")) style |= 2, a = action(p, t0, "ALTER TYPE");
  else if (eat(p, "TYPE")) a = action(p, t0, "ALTER TYPE");
  else if (eat2(p, "SET", "DEFAULT"))
    a = put(p, action(p, t0, "SET DEFAULT"), UF_SLOT_EXPR, parse_expr(p));
  else if (eat2(p, "DROP", "DEFAULT")) a = action(p, t0, "DROP DEFAULT");
  else if (eat3(p, "SET", "NOT", "NULL")) a = action(p, t0, "SET NOT NULL");
  else if (eat3(p, "DROP", "NOT", "NULL")) a = action(p, t0, "DROP NOT NULL");
  else return error_expected(p, "TYPE, SET or DROP");
  if (!a || !set(p, a, UF_SLOT_NAME, col)) return NULL;
  a->style = style;
  if (strcmp(a->text, "ALTER TYPE") == 0) {
    if (!put(p, a, UF_SLOT_TYPE, parse_type(p))) return NULL;
    if (eat(p, "USING") && !put(p, a, UF_SLOT_EXPR, parse_expr(p))) return NULL;
  }
  return a;
}

/* alter_action: ADD [COLUMN] [IF NOT EXISTS] column_def | ADD table_constraint
 *   | DROP [COLUMN] [IF EXISTS] c [CASCADE | RESTRICT]
 *   | RENAME TO name | RENAME [COLUMN] a TO b | alter_column */
static uf_node *alter_action(uf_parser *p) {
  uint32_t t0 = p->pos;
  uf_node *a;
  if (eat(p, "ADD")) {
    if (at_table_constraint(p))
      return put(p, action(p, t0, "ADD CONSTRAINT"), UF_SLOT_THIS, table_constraint(p));
    if (!(a = action(p, t0, "ADD COLUMN"))) return NULL;
    if (eat(p, "COLUMN")) a->style = 1;
    opt_if_not_exists(p, a);
    return put(p, a, UF_SLOT_THIS, column_def(p));
  }
  if (eat(p, "DROP")) {
    if (!(a = action(p, t0, "DROP COLUMN"))) return NULL;
    if (eat(p, "COLUMN")) a->style = 1;
    opt_if_exists(p, a);
    if (!put(p, a, UF_SLOT_NAME, parse_ident(p))) return NULL;
    if (eat(p, "CASCADE")) a->flags |= UF_F_CASCADE;
    else if (eat(p, "RESTRICT")) a->flags |= UF_F_RESTRICT;
    return a;
  }
  if (eat(p, "RENAME")) {
    if (eat(p, "TO")) return put(p, action(p, t0, "RENAME TO"), UF_SLOT_TARGET, parse_ident(p));
    if (!(a = action(p, t0, "RENAME COLUMN"))) return NULL;
    if (eat(p, "COLUMN")) a->style = 1;
    if (!put(p, a, UF_SLOT_NAME, parse_ident(p)) || !need(p, "TO")) return NULL;
    return put(p, a, UF_SLOT_TARGET, parse_ident(p));
  }
  if (eat(p, "ALTER")) return alter_column(p, t0);
  return error_expected(p, "ADD, DROP, RENAME or ALTER");
}

/* alter: ALTER (TABLE | VIEW) [IF EXISTS] name alter_action {',' alter_action} */
static uf_node *parse_alter(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_ALTER_TABLE, t0);
  if (!n) return NULL;
  advance(p);
  if (eat(p, "TABLE")) n->text = intern(p, "TABLE", 5);
  else if (eat(p, "VIEW")) n->text = intern(p, "VIEW", 4);
  else return error_expected(p, "TABLE or VIEW");
  opt_if_exists(p, n);
  if (!put(p, n, UF_SLOT_NAME, parse_table_name(p))) return NULL;
  uf_node *l = mk_list(p, p->pos);
  do {
    uf_node *a = alter_action(p);
    if (!a) return NULL;
    if (n->text[0] == 'V' && strcmp(a->text, "RENAME TO") != 0)
      return error_at(p, &p->toks.tok[t0], "ALTER VIEW supports only RENAME TO");
    if (!push(p, l, a)) return NULL;
  } while (accept_op(p, ","));
  return put(p, n, UF_SLOT_ACTIONS, l);
}

/* ---- COPY ---- */

/* legacy_copy_option: CSV | BINARY | HEADER | (DELIMITER | NULL | QUOTE |
 *   ESCAPE | ENCODING) [AS] string           (PostgreSQL before 9.0) */
static bool legacy_copy_option(uf_parser *p, uf_node *n) {
  static const char *const with_value[] = {"DELIMITER", "NULL", "QUOTE",
                                           "ESCAPE", "ENCODING", NULL};
  uint32_t t0 = p->pos;
  if (is(p, "CSV") || is(p, "BINARY"))
    return put(p, n, UF_SLOT_FORMAT, word_var(p, "a format")) != NULL;
  if (eat(p, "HEADER")) return add_prop(p, n, t0, "HEADER", NULL, 0);
  for (const char *const *w = with_value; *w; w++) {
    if (!eat(p, *w)) continue;
    eat(p, "AS");
    return add_prop(p, n, t0, *w, parse_string_lit(p), 0);
  }
  error_expected(p, "a COPY option");
  return false;
}

/* df_copy_clause: STORED AS fmt | PARTITIONED BY '(' cols ')' | OPTIONS ... */
static bool df_copy_clause(uf_parser *p, uf_node *n) {
  if (eat2(p, "STORED", "AS"))
    return put(p, n, UF_SLOT_FORMAT, word_var(p, "a file format")) != NULL;
  if (eat2(p, "PARTITIONED", "BY"))
    return put(p, n, UF_SLOT_PARTITIONED_BY, ident_list(p)) != NULL;
  if (eat(p, "OPTIONS")) return merge_options(p, n, df_options(p));
  error_expected(p, "STORED AS, PARTITIONED BY or OPTIONS");
  return false;
}

/* copy_options: options                      (DuckDB; style 0)
 *   | WITH options                            (PostgreSQL; style 1)
 *   | df_copy_clause {df_copy_clause}         (DataFusion; style 2)
 *   | [WITH] legacy_copy_option {...}         (PostgreSQL legacy; style 3) */
static bool copy_options(uf_parser *p, uf_node *n) {
  if (at_end(p)) return true;
  if (at_op(p, "(") || (is(p, "WITH") && at_op_at(p, 1, "("))) {
    n->style = eat(p, "WITH") ? 1 : 0;
    uf_node *opts = option_list(p, n);
    return opts && (opts->nkids == 0 || set(p, n, UF_SLOT_OPTIONS, opts));
  }
  if (is(p, "STORED") || is(p, "PARTITIONED") || is(p, "OPTIONS")) {
    n->style = 2;
    while (!failed(p) && !at_end(p))
      if (!df_copy_clause(p, n)) return false;
    return !failed(p);
  }
  n->style = 3;
  eat(p, "WITH");
  while (!failed(p) && !at_end(p))
    if (!legacy_copy_option(p, n)) return false;
  return !failed(p);
}

/* copy: COPY (table ['(' cols ')'] | '(' query ')') (FROM | TO)
 *   (string | STDIN | STDOUT) copy_options      (text FROM/TO) */
static uf_node *parse_copy(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_COPY, t0);
  if (!n) return NULL;
  advance(p);
  if (at_op(p, "(")) {
    if (!put(p, n, UF_SLOT_THIS, paren_query(p))) return NULL;
  } else {
    if (!put(p, n, UF_SLOT_THIS, parse_table_name(p))) return NULL;
    if (at_op(p, "(") && !put(p, n, UF_SLOT_COLUMNS, ident_list(p))) return NULL;
  }
  if (eat(p, "FROM")) n->text = intern(p, "FROM", 4);
  else if (eat(p, "TO")) n->text = intern(p, "TO", 2);
  else return error_expected(p, "FROM or TO");
  uint32_t tl = p->pos;
  uf_node *loc;
  if (is(p, "STDIN") || is(p, "STDOUT")) loc = word_var(p, "a file");
  else loc = parse_string_lit(p);
  if (!put(p, n, UF_SLOT_LOCATION, loc)) return NULL;
  if (uf_is(loc, UF_VAR) && strcmp(loc->text, n->text[0] == 'F' ? "STDIN" : "STDOUT") != 0)
    return error_at(p, &p->toks.tok[tl], "COPY %s cannot use %s", n->text, loc->text);
  return copy_options(p, n) ? n : NULL;
}

/* ---- session, extensions, utility ---- */

/* scope: SESSION | LOCAL | GLOBAL | VARIABLE -- only when a name follows */
static const char *scope(uf_parser *p) {
  static const char *const scopes[] = {"SESSION", "LOCAL", "GLOBAL", "VARIABLE", NULL};
  for (const char *const *s = scopes; *s; s++) {
    if (is(p, *s) && peek_at(p, 1)->type != TK_OP && !word_at(p, 1, "TO")) {
      advance(p);
      return *s;
    }
  }
  return "";
}

/* set_value: DEFAULT | reserved_word | expr    (ON, OFF stay words) */
static uf_node *set_value(uf_parser *p) {
  const uf_token *t = peek(p);
  bool last = at_op_at(p, 1, ",") || at_op_at(p, 1, ";") ||
              peek_at(p, 1)->type == TK_EOF;
  if (is(p, "DEFAULT") && last) {
    uf_node *d = mk(p, UF_DEFAULT, p->pos);
    advance(p);
    return d;
  }
  if (t->type == TK_WORD && last && t->kw != KW_NONE_ &&
      uf_keyword_class((uf_keyword)t->kw) == KWC_R && !is(p, "TRUE") &&
      !is(p, "FALSE") && !is(p, "NULL"))
    return word_var(p, "a value");
  return parse_expr(p);
}

/* set: SET [scope] dotted_name ('=' | TO) set_value {',' set_value}
 * text = scope; style 1 = TO; several values make VALUE a LIST */
static uf_node *parse_set(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_SET, t0);
  if (!n) return NULL;
  advance(p);
  const char *sc = scope(p);
  n->text = intern(p, sc, strlen(sc));
  if (!put(p, n, UF_SLOT_NAME, dotted_name(p))) return NULL;
  if (eat(p, "TO")) n->style = 1;
  else if (!expect_op(p, "=")) return NULL;
  uf_node *v = set_value(p);
  if (!v || !at_op(p, ",")) return put(p, n, UF_SLOT_VALUE, v);
  uf_node *l = mk_list(p, p->pos);
  if (!push(p, l, v)) return NULL;
  while (accept_op(p, ","))
    if (!push(p, l, set_value(p))) return NULL;
  return put(p, n, UF_SLOT_VALUE, l);
}

/* reset: RESET [scope] (ALL | dotted_name)    (flag ALL) */
static uf_node *parse_reset(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_RESET, t0);
  if (!n) return NULL;
  advance(p);
  const char *sc = scope(p);
  n->text = intern(p, sc, strlen(sc));
  if (eat(p, "ALL")) {
    n->flags |= UF_F_ALL;
    return n;
  }
  return put(p, n, UF_SLOT_NAME, dotted_name(p));
}

/* ['(' [expr {',' expr}] ')'] into n's ARGS slot (PRAGMA, EXECUTE);
 * returns n, or NULL on error. */
static uf_node *opt_paren_args(uf_parser *p, uf_node *n) {
  if (!accept_op(p, "(")) return n;
  uf_node *args = at_op(p, ")") ? mk_list(p, p->pos) : parse_expr_list(p);
  if (!put(p, n, UF_SLOT_ARGS, args)) return NULL;
  return expect_op(p, ")") ? n : NULL;
}

/* pragma: PRAGMA name ['(' [expr {',' expr}] ')' | '=' expr] */
static uf_node *parse_pragma(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_PRAGMA, t0);
  if (!n) return NULL;
  advance(p);
  if (!put(p, n, UF_SLOT_NAME, parse_ident(p))) return NULL;
  if (accept_op(p, "=")) return put(p, n, UF_SLOT_VALUE, set_value(p));
  return opt_paren_args(p, n);
}

/* attach: ATTACH [DATABASE] [IF NOT EXISTS] string [AS ident] [options]
 * style 1 = DATABASE written */
static uf_node *parse_attach(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_ATTACH, t0);
  if (!n) return NULL;
  advance(p);
  if (eat(p, "DATABASE")) n->style = 1;
  opt_if_not_exists(p, n);
  if (!put(p, n, UF_SLOT_LOCATION, parse_string_lit(p))) return NULL;
  if (eat(p, "AS") && !put(p, n, UF_SLOT_ALIAS, parse_ident(p))) return NULL;
  if (!at_op(p, "(")) return n;
  uf_node *opts = option_list(p, NULL);
  if (!opts) return NULL;
  return opts->nkids ? put(p, n, UF_SLOT_OPTIONS, opts) : n;
}

/* detach: DETACH [DATABASE] [IF EXISTS] ident */
static uf_node *parse_detach(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_DETACH, t0);
  if (!n) return NULL;
  advance(p);
  if (eat(p, "DATABASE")) n->style = 1;
  opt_if_exists(p, n);
  return put(p, n, UF_SLOT_NAME, parse_ident(p));
}

/* use: USE name */
static uf_node *parse_use(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_USE, t0);
  if (!n) return NULL;
  advance(p);
  return put(p, n, UF_SLOT_NAME, parse_table_name(p));
}

/* install: [FORCE] INSTALL name_or_string [FROM name_or_string]
 * flag TRY = FORCE */
static uf_node *parse_install(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_INSTALL, t0);
  if (!n) return NULL;
  if (eat(p, "FORCE")) n->flags |= UF_F_TRY;
  if (!need(p, "INSTALL") || !put(p, n, UF_SLOT_NAME, name_or_string(p)))
    return NULL;
  if (eat(p, "FROM")) return put(p, n, UF_SLOT_FROM, name_or_string(p));
  return n;
}

/* load: LOAD name_or_string */
static uf_node *parse_load(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_LOAD, t0);
  if (!n) return NULL;
  advance(p);
  return put(p, n, UF_SLOT_NAME, name_or_string(p));
}

/* call: CALL function_call */
static uf_node *parse_call(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CALL, t0);
  if (!n) return NULL;
  advance(p);
  uint32_t tf = p->pos;
  uf_node *f = parse_expr(p);
  if (f && !uf_is(f, UF_FUNC))
    return error_at(p, &p->toks.tok[tf], "CALL needs a function call");
  return put(p, n, UF_SLOT_THIS, f);
}

/* explain: EXPLAIN [ANALYZE] statement   (flag ANALYZE) */
static uf_node *parse_explain(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_EXPLAIN, t0);
  if (!n) return NULL;
  advance(p);
  if (eat(p, "ANALYZE") || eat(p, "ANALYSE")) n->flags |= UF_F_ANALYZE;
  if (!enter(p)) return NULL;
  uf_node *s = parse_statement(p);
  leave(p);
  return put(p, n, UF_SLOT_STATEMENT, s);
}

/* describe: (DESCRIBE | SUMMARIZE) (query | table)    (text = the word) */
static uf_node *parse_describe(uf_parser *p, uint32_t t0, const char *word) {
  uf_node *n = mk_text(p, UF_DESCRIBE, t0, word, strlen(word));
  if (!n) return NULL;
  advance(p);
  if (at_query_start(p)) return put(p, n, UF_SLOT_THIS, parse_query(p));
  return put(p, n, UF_SLOT_THIS, parse_table_name(p));
}

/* show: SHOW (TABLES [FROM name] | ALL TABLES | ALL | DATABASES |
 *   COLUMNS FROM table | dotted_name)
 * text = what ("" for SHOW name); THIS = the FROM target */
static uf_node *parse_show(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_SHOW, t0);
  if (!n) return NULL;
  advance(p);
  const char *what = "";
  if (eat2(p, "ALL", "TABLES")) what = "ALL TABLES";
  else if (eat(p, "ALL")) what = "ALL";
  else if (eat(p, "TABLES")) what = "TABLES";
  else if (eat(p, "DATABASES")) what = "DATABASES";
  else if (is(p, "COLUMNS") && word_at(p, 1, "FROM")) what = "COLUMNS", advance(p);
  n->text = intern(p, what, strlen(what));
  if (!what[0]) return put(p, n, UF_SLOT_NAME, dotted_name(p));
  if (!strcmp(what, "COLUMNS") && !is(p, "FROM")) return error_expected(p, "FROM");
  if ((!strcmp(what, "TABLES") || !strcmp(what, "COLUMNS")) && eat(p, "FROM"))
    return put(p, n, UF_SLOT_THIS, parse_table_name(p));
  return n;
}

/* transaction: BEGIN [TRANSACTION | WORK] | START TRANSACTION |
 *   COMMIT [TRANSACTION | WORK] | END [TRANSACTION | WORK] |
 *   ROLLBACK [TRANSACTION | WORK] | ABORT [TRANSACTION | WORK]
 * text BEGIN/COMMIT/ROLLBACK; style: 0 bare, 1 with TRANSACTION, 2 START
 * TRANSACTION / END / ABORT spelling, 3 with WORK */
static uf_node *parse_transaction(uf_parser *p, uint32_t t0) {
  const char *text = "BEGIN";
  uint8_t style = 0;
  if (eat2(p, "START", "TRANSACTION")) style = 2;
  else if (eat(p, "BEGIN")) {}
  else if (eat(p, "COMMIT")) text = "COMMIT";
  else if (eat(p, "END")) text = "COMMIT", style = 2;
  else if (eat(p, "ROLLBACK")) text = "ROLLBACK";
  else if (eat(p, "ABORT")) text = "ROLLBACK", style = 2;
  if (style != 2 && eat(p, "TRANSACTION")) style = 1;
  else if (style != 2 && eat(p, "WORK")) style = 3;
  else if (style == 2 && text[0] != 'B' && !eat(p, "TRANSACTION")) eat(p, "WORK");
  uf_node *n = mk_text(p, UF_TRANSACTION, t0, text, strlen(text));
  if (n) n->style = style;
  if (!n || text[0] != 'R' || !eat(p, "TO")) return n;
  /* ROLLBACK ... TO [SAVEPOINT] name; style bit2 = SAVEPOINT written */
  if (eat(p, "SAVEPOINT")) n->style |= 4;
  return put(p, n, UF_SLOT_NAME, parse_ident(p));
}

/* savepoint: SAVEPOINT name | RELEASE [SAVEPOINT] name
 * (TRANSACTION text SAVEPOINT/RELEASE; style bit2 = SAVEPOINT written) */
static uf_node *parse_savepoint(uf_parser *p, uint32_t t0) {
  bool release = eat(p, "RELEASE");
  if (!release) advance(p); /* SAVEPOINT */
  const char *text = release ? "RELEASE" : "SAVEPOINT";
  uf_node *n = mk_text(p, UF_TRANSACTION, t0, text, strlen(text));
  if (n && release && eat(p, "SAVEPOINT")) n->style |= 4;
  return put(p, n, UF_SLOT_NAME, parse_ident(p));
}

/* export: EXPORT DATABASE [ident TO] string [options] */
static uf_node *parse_export(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_EXPORT_DATABASE, t0);
  if (!n) return NULL;
  advance(p);
  if (!need(p, "DATABASE")) return NULL;
  if (!at_op(p, ";") && peek(p)->type != TK_STRING &&
      (!put(p, n, UF_SLOT_NAME, parse_ident(p)) || !need(p, "TO")))
    return NULL;
  if (!put(p, n, UF_SLOT_LOCATION, parse_string_lit(p))) return NULL;
  if (is(p, "WITH") && at_op_at(p, 1, "(")) advance(p);
  if (!at_op(p, "(")) return n;
  uf_node *opts = option_list(p, NULL);
  if (!opts) return NULL;
  return opts->nkids ? put(p, n, UF_SLOT_OPTIONS, opts) : n;
}

/* import: IMPORT DATABASE string */
static uf_node *parse_import(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_IMPORT_DATABASE, t0);
  if (!n) return NULL;
  advance(p);
  if (!need(p, "DATABASE")) return NULL;
  return put(p, n, UF_SLOT_LOCATION, parse_string_lit(p));
}

/* checkpoint: [FORCE] CHECKPOINT [ident]     (flag ALL = FORCE) */
static uf_node *parse_checkpoint(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_CHECKPOINT, t0);
  if (!n) return NULL;
  if (eat(p, "FORCE")) n->flags |= UF_F_ALL;
  if (!need(p, "CHECKPOINT")) return NULL;
  if (at_end(p)) return n;
  return put(p, n, UF_SLOT_NAME, parse_ident(p));
}

/* vacuum: VACUUM [ANALYZE] [table ['(' cols ')']]   (flag ANALYZE) */
static uf_node *parse_vacuum(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_VACUUM, t0);
  if (!n) return NULL;
  advance(p);
  if (eat(p, "ANALYZE") || eat(p, "ANALYSE")) n->flags |= UF_F_ANALYZE;
  if (at_end(p)) return n;
  if (!put(p, n, UF_SLOT_TABLE, parse_table_name(p))) return NULL;
  if (at_op(p, "(")) return put(p, n, UF_SLOT_COLUMNS, ident_list(p));
  return n;
}

/* analyze: (ANALYZE | ANALYSE) [table ['(' cols ')']] */
static uf_node *parse_analyze(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_ANALYZE, t0);
  if (!n) return NULL;
  advance(p);
  if (at_end(p)) return n;
  if (!put(p, n, UF_SLOT_TABLE, parse_table_name(p))) return NULL;
  if (at_op(p, "(")) return put(p, n, UF_SLOT_COLUMNS, ident_list(p));
  return n;
}

/* privileges: ALL [PRIVILEGES] | word {',' word}  -> LIST of VAR */
static uf_node *privileges(uf_parser *p) {
  uf_node *l = mk_list(p, p->pos);
  uint32_t t0 = p->pos;
  if (eat2(p, "ALL", "PRIVILEGES"))
    return push(p, l, mk_text(p, UF_VAR, t0, "ALL PRIVILEGES", 14)) ? l : NULL;
  do {
    const uf_token *t = peek(p);
    if (t->type != TK_WORD || is(p, "ON")) return error_expected(p, "a privilege");
    if (!push(p, l, upper_var(p, p->pos, tok_src(p, t), t->len))) return NULL;
    advance(p);
  } while (accept_op(p, ","));
  return l;
}

/* grant_object_kind: TABLE | SEQUENCE | SCHEMA | DATABASE | FUNCTION |
 *   PROCEDURE | ROUTINE | TYPE | DOMAIN | LANGUAGE | TABLESPACE |
 *   ALL (TABLES | SEQUENCES | FUNCTIONS | PROCEDURES | ROUTINES) IN SCHEMA
 * -> VAR, or NULL when no kind is written */
static uf_node *grant_object_kind(uf_parser *p) {
  static const char *const kinds[] = {"TABLE", "SEQUENCE", "SCHEMA",
      "DATABASE", "FUNCTION", "PROCEDURE", "ROUTINE", "TYPE", "DOMAIN",
      "LANGUAGE", "TABLESPACE", NULL};
  static const char *const all[] = {"TABLES", "SEQUENCES", "FUNCTIONS",
      "PROCEDURES", "ROUTINES", NULL};
  uint32_t t0 = p->pos;
  char buf[48];
  for (const char *const *w = all; *w; w++) {
    if (word_at(p, 0, "ALL") && word_at(p, 1, *w)) {
      advance(p);
      advance(p);
      if (!need(p, "IN") || !need(p, "SCHEMA")) return NULL;
      snprintf(buf, sizeof buf, "ALL %s IN SCHEMA", *w);
      return mk_text(p, UF_VAR, t0, buf, strlen(buf));
    }
  }
  /* a kind word is one when a name follows it (TABLE t, not ON table_t TO) */
  for (const char *const *w = kinds; *w; w++)
    if (is(p, *w) && !word_at(p, 1, "TO") && !word_at(p, 1, "FROM") &&
        !at_op_at(p, 1, ",") && !at_op_at(p, 1, ".")) {
      advance(p);
      return mk_text(p, UF_VAR, t0, *w, strlen(*w));
    }
  return NULL;
}

/* grantee: PUBLIC | CURRENT_USER | SESSION_USER | CURRENT_ROLE (VAR) | ident */
static uf_node *grantee(uf_parser *p) {
  static const char *const vars[] = {"PUBLIC", "CURRENT_USER", "SESSION_USER",
                                     "CURRENT_ROLE", NULL};
  for (const char *const *w = vars; *w; w++) {
    if (is(p, *w)) {
      uf_node *v = mk_text(p, UF_VAR, p->pos, *w, strlen(*w));
      advance(p);
      return v;
    }
  }
  return parse_ident(p);
}

/* grant: GRANT privileges ON [kind] object {',' object} TO grantee
 *   {',' grantee} [WITH GRANT OPTION]
 * revoke: REVOKE [GRANT OPTION FOR] privileges ON [kind] object {',' object}
 *   FROM grantee {',' grantee} [CASCADE | RESTRICT]
 * Objects are table names, or routine_name for routines. */
static uf_node *parse_grant(uf_parser *p, uint32_t t0) {
  bool grant = is(p, "GRANT");
  uf_node *n = mk_text(p, UF_GRANT, t0, grant ? "GRANT" : "REVOKE", grant ? 5 : 6);
  if (!n) return NULL;
  advance(p);
  uint32_t t1 = p->pos;
  if (!grant && eat3(p, "GRANT", "OPTION", "FOR") &&
      !put(p, n, UF_SLOT_EXTRA, mk_text(p, UF_VAR, t1, "GRANT OPTION FOR", 16)))
    return NULL;
  if (!put(p, n, UF_SLOT_ARGS, privileges(p)) || !need(p, "ON")) return NULL;
  uf_node *kind = grant_object_kind(p);
  if (failed(p) || (kind && !set(p, n, UF_SLOT_TYPE, kind))) return NULL;
  bool routine = kind && (strcmp(kind->text, "FUNCTION") == 0 ||
                          strcmp(kind->text, "PROCEDURE") == 0 ||
                          strcmp(kind->text, "ROUTINE") == 0);
  uf_node *objs = mk_list(p, p->pos), *who = NULL;
  do {
    if (!push(p, objs, routine ? routine_name(p) : parse_table_name(p))) return NULL;
  } while (accept_op(p, ","));
  if (!put(p, n, UF_SLOT_LIST, objs) || !need(p, grant ? "TO" : "FROM")) return NULL;
  if (!put(p, n, UF_SLOT_TO, who = mk_list(p, p->pos))) return NULL;
  do {
    if (!push(p, who, grantee(p))) return NULL;
  } while (accept_op(p, ","));
  t1 = p->pos;
  if (grant && eat3(p, "WITH", "GRANT", "OPTION"))
    return put(p, n, UF_SLOT_EXTRA, mk_text(p, UF_VAR, t1, "WITH GRANT OPTION", 17));
  if (!grant && eat(p, "CASCADE")) n->flags |= UF_F_CASCADE;
  else if (!grant && eat(p, "RESTRICT")) n->flags |= UF_F_RESTRICT;
  return n;
}

/* comment_on: COMMENT ON kind name IS (string | NULL)
 * kind: TABLE | COLUMN | VIEW | INDEX | SCHEMA | SEQUENCE | TYPE | MACRO |
 * MACRO TABLE | FUNCTION | DATABASE (text). A COLUMN name t.c is held as a
 * TABLE node whose THIS is the column. */
static uf_node *parse_comment(uf_parser *p, uint32_t t0) {
  static const char *const kinds[] = {"TABLE", "COLUMN", "VIEW", "INDEX",
      "SCHEMA", "SEQUENCE", "TYPE", "FUNCTION", "DATABASE", "PROCEDURE", NULL};
  uf_node *n = mk(p, UF_COMMENT_ON, t0);
  if (!n) return NULL;
  advance(p);
  if (!need(p, "ON")) return NULL;
  const char *kind = NULL;
  if (eat2(p, "MACRO", "TABLE")) kind = "MACRO TABLE";
  else if (eat(p, "MACRO")) kind = "MACRO";
  for (const char *const *k = kinds; !kind && *k; k++)
    if (eat(p, *k)) kind = *k;
  if (!kind) return error_expected(p, "TABLE, COLUMN, VIEW or another object kind");
  n->text = intern(p, kind, strlen(kind));
  bool routine = strcmp(kind, "FUNCTION") == 0 || strcmp(kind, "PROCEDURE") == 0;
  if (!put(p, n, UF_SLOT_NAME, routine ? routine_name(p) : parse_table_name(p)) ||
      !need(p, "IS"))
    return NULL;
  if (is(p, "NULL")) {
    uf_node *v = mk(p, UF_NULL, p->pos);
    advance(p);
    return put(p, n, UF_SLOT_VALUE, v);
  }
  return put(p, n, UF_SLOT_VALUE, parse_string_lit(p));
}

/* prepare: PREPARE ident AS statement */
static uf_node *parse_prepare(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_PREPARE, t0);
  if (!n) return NULL;
  advance(p);
  if (!put(p, n, UF_SLOT_NAME, parse_ident(p)) || !need(p, "AS")) return NULL;
  if (!enter(p)) return NULL;
  uf_node *s = parse_statement(p);
  leave(p);
  return put(p, n, UF_SLOT_STATEMENT, s);
}

/* execute: EXECUTE ident ['(' [expr {',' expr}] ')'] */
static uf_node *parse_execute(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_EXECUTE, t0);
  if (!n) return NULL;
  advance(p);
  if (!put(p, n, UF_SLOT_NAME, parse_ident(p))) return NULL;
  return opt_paren_args(p, n);
}

/* deallocate: DEALLOCATE [PREPARE] ident     (style 1 = PREPARE written) */
static uf_node *parse_deallocate(uf_parser *p, uint32_t t0) {
  uf_node *n = mk(p, UF_DEALLOCATE, t0);
  if (!n) return NULL;
  advance(p);
  if (eat(p, "PREPARE")) n->style = 1;
  return put(p, n, UF_SLOT_NAME, parse_ident(p));
}

/* ---- dispatch ---- */

typedef uf_node *(*stmt_rule)(uf_parser *p, uint32_t t0);

static uf_node *rule_insert(uf_parser *p, uint32_t t0) { return parse_insert(p, t0, NULL); }
static uf_node *rule_update(uf_parser *p, uint32_t t0) { return parse_update(p, t0, NULL); }
static uf_node *rule_delete(uf_parser *p, uint32_t t0) { return parse_delete(p, t0, NULL); }
static uf_node *rule_create(uf_parser *p, uint32_t t0) { (void)t0; return parse_create(p); }
static uf_node *rule_describe(uf_parser *p, uint32_t t0) { return parse_describe(p, t0, "DESCRIBE"); }
static uf_node *rule_summarize(uf_parser *p, uint32_t t0) { return parse_describe(p, t0, "SUMMARIZE"); }

/* The first word of each statement and its rule. FORCE and START are
 * prefixes of two-word starts. */
static const struct {
  const char *word;
  stmt_rule rule;
} RULES[] = {
    {"ABORT", parse_transaction}, {"ALTER", parse_alter},
    {"ANALYSE", parse_analyze},   {"ANALYZE", parse_analyze},
    {"ATTACH", parse_attach},     {"BEGIN", parse_transaction},
    {"CALL", parse_call},         {"CHECKPOINT", parse_checkpoint},
    {"COMMENT", parse_comment},   {"COMMIT", parse_transaction},
    {"COPY", parse_copy},         {"CREATE", rule_create},
    {"DEALLOCATE", parse_deallocate}, {"DELETE", rule_delete},
    {"DESCRIBE", rule_describe},  {"DETACH", parse_detach},
    {"DROP", parse_drop},         {"END", parse_transaction},
    {"EXECUTE", parse_execute},   {"EXPLAIN", parse_explain},
    {"EXPORT", parse_export},     {"GRANT", parse_grant},
    {"IMPORT", parse_import},
    {"INSERT", rule_insert},      {"INSTALL", parse_install},
    {"LOAD", parse_load},         {"PRAGMA", parse_pragma},
    {"PREPARE", parse_prepare},   {"RELEASE", parse_savepoint},
    {"RESET", parse_reset},       {"REVOKE", parse_grant},
    {"ROLLBACK", parse_transaction}, {"SAVEPOINT", parse_savepoint},
    {"SET", parse_set},
    {"SHOW", parse_show},         {"SUMMARIZE", rule_summarize},
    {"TRUNCATE", parse_truncate}, {"UPDATE", rule_update},
    {"USE", parse_use},           {"VACUUM", parse_vacuum},
};

/* statement: with_dml | query | <first word>-dispatched statement
 *   | FORCE (INSTALL ... | CHECKPOINT ...) | START TRANSACTION */
uf_node *parse_statement(uf_parser *p) {
  if (failed(p)) return NULL;
  uint32_t t0 = p->pos;
  if (is(p, "WITH") && with_leads_to_dml(p)) return parse_with_dml(p);
  if (at_query_start(p)) return parse_query(p);
  if (is(p, "FORCE") && word_at(p, 1, "INSTALL")) return parse_install(p, t0);
  if (is(p, "FORCE") && word_at(p, 1, "CHECKPOINT")) return parse_checkpoint(p, t0);
  if (is(p, "START") && word_at(p, 1, "TRANSACTION")) return parse_transaction(p, t0);
  for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++)
    if (is(p, RULES[i].word)) return RULES[i].rule(p, t0);
  return error_expected(p, "a statement");
}
