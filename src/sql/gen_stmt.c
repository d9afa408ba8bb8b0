/*
 * Statement generation: every STMT kind plus the clauses only statements
 * use (COLUMN_DEF, CONSTRAINT, ON_CONFLICT, SET_ITEM, ALTER_ACTION).
 *
 * What a target dialect cannot write is listed by name in its
 * stmt_missing table; can() reports it through gen_unsupported, so nothing
 * is silently dropped. COPY is written in the target's own form
 * (dialect copy_style), from the normalized FORMAT / PARTITIONED_BY /
 * OPTIONS slots (see parse_stmt.c), so it transpiles between DuckDB,
 * PostgreSQL and DataFusion.
 *
 * Pretty mode: CREATE TABLE elements one per line; the query inside a
 * statement (CREATE ... AS, INSERT, EXPLAIN ...) starts on its own line.
 */
#include <stdio.h>
#include <string.h>

#include "sql/gen.h"

enum { STYLE_BARE_WORD = 4 }; /* STRING written as a bare word (options) */

/* False (and the error recorded) when the target lists construct as
 * missing. */
static bool can(uf_gen *g, const char *construct) {
  for (const char *const *m = g->d->stmt_missing; m && *m; m++) {
    if (strcmp(*m, construct) == 0) {
      gen_unsupported(g, construct);
      return false;
    }
  }
  return !gen_failed(g);
}

/* can() for "<prefix> <word>" constructs (DROP MACRO, SET GLOBAL ...). */
static bool can2(uf_gen *g, const char *prefix, const char *word) {
  char buf[96];
  snprintf(buf, sizeof buf, "%s %s", prefix, word);
  return can(g, buf);
}

/* " KW" */
static void skw(uf_gen *g, const char *kw) {
  gen_space(g);
  gen_kw(g, kw);
}

/* " child" when present */
static void snode(uf_gen *g, const uf_node *n) {
  if (!n) return;
  gen_space(g);
  gen_node(g, n);
}

/* '(' items ')' */
static void paren_list(uf_gen *g, const uf_node *l) {
  gen_char(g, '(');
  gen_list(g, l, ", ", false);
  gen_char(g, ')');
}

static void gen_query_part(uf_gen *g, const uf_node *q) {
  gen_sep(g);
  gen_node(g, q);
}

/* A name held as one IDENT or a LIST of dotted parts. */
static void dotted(uf_gen *g, const uf_node *n) {
  if (uf_is(n, UF_LIST)) gen_list(g, n, ".", false);
  else gen_node(g, n);
}

/* Writes an upper-case word (VAR text) through gen_kw, or quoted when it is
 * not a plain word. */
static void word(uf_gen *g, const char *s) {
  bool plain = s[0] != '\0';
  for (const char *c = s; *c; c++)
    if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
          (*c >= '0' && *c <= '9') || *c == '_'))
      plain = false;
  if (plain) gen_kw(g, s);
  else gen_ident(g, s, true);
}

/* A value in a statement: DEFAULT, keyword words (VAR), bare-word strings
 * and ordinary expressions. */
static void value(uf_gen *g, const uf_node *v) {
  if (uf_is(v, UF_DEFAULT)) gen_kw(g, "DEFAULT");
  else if (uf_is(v, UF_VAR)) word(g, v->text);
  else if (uf_is(v, UF_STRING) && v->style == STYLE_BARE_WORD &&
           !uf_dialect_ident_needs_quotes(g->d, v->text))
    gen_raw(g, v->text);
  else if (uf_is(v, UF_STRING)) gen_string(g, v->text);
  else gen_node(g, v);
}

/* ---- options (DuckDB / PostgreSQL lists, DataFusion OPTIONS) ---- */

/* key [value] -- a DuckDB/PostgreSQL option */
static void option(uf_gen *g, const uf_node *prop) {
  const uf_node *k = kid(prop, UF_SLOT_KEY), *v = kid(prop, UF_SLOT_VALUE);
  if (!k) {
    gen_malformed(g, prop, "option without a key");
    return;
  }
  if (strchr(k->text, '.')) {
    char what[96];
    snprintf(what, sizeof what, "option '%s'", k->text);
    gen_unsupported(g, what);
    return;
  }
  word(g, k->text);
  if (!v) return;
  gen_space(g);
  value(g, v);
}

/* Writes the items of an option list separated by ", ". */
static void options(uf_gen *g, const uf_node *opts, bool *first) {
  for (uint32_t i = 0; opts && i < opts->nkids && !gen_failed(g); i++) {
    if (!*first) gen_raw(g, ", ");
    *first = false;
    option(g, opts->kids[i]);
  }
}

/* ' (' options ')' when there are any */
static void option_list(uf_gen *g, const uf_node *opts) {
  if (!opts || opts->nkids == 0) return;
  bool first = true;
  gen_raw(g, " (");
  options(g, opts, &first);
  gen_char(g, ')');
}

/* DataFusion option key: dotted keys as they are (lower case), others as
 * "format.<name>" with DuckDB names mapped to DataFusion's. */
static void df_key(uf_gen *g, const char *key) {
  char buf[160];
  const char *mapped = uf_name_map_find(g->d->copy_opts_out, key);
  if (mapped) snprintf(buf, sizeof buf, "format.%s", mapped);
  else if (strchr(key, '.')) snprintf(buf, sizeof buf, "%s", key);
  else snprintf(buf, sizeof buf, "format.%s", key);
  for (char *c = buf; *c; c++)
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
  gen_string(g, buf);
}

/* DataFusion option value: a string or a number (no lists, no expressions) */
static void df_value(uf_gen *g, const uf_node *key, const uf_node *v) {
  if (!v) gen_string(g, "true");
  else if (uf_is(v, UF_STRING)) gen_string(g, v->text);
  else if (uf_is(v, UF_BOOLEAN)) /* a bare word: DataFusion reads it as a string */
    gen_raw(g, strcmp(v->text, "TRUE") == 0 ? "true" : "false");
  else if (uf_is(v, UF_NUMBER) || (uf_is(v, UF_UNARY) && uf_is(kid(v, UF_SLOT_THIS), UF_NUMBER)))
    gen_node(g, v);
  else {
    char what[96];
    snprintf(what, sizeof what, "option %s with a non-literal value",
             key ? key->text : "?");
    gen_unsupported(g, what);
  }
}

/* OPTIONS ('k' 'v', ...) of the props that are not written as clauses */
static void df_options(uf_gen *g, const uf_node *opts) {
  uint32_t n = 0;
  for (uint32_t i = 0; opts && i < opts->nkids; i++)
    if (opts->kids[i]->style != 1) n++;
  if (!n) return;
  gen_sep(g);
  gen_kw(g, "OPTIONS");
  gen_raw(g, " (");
  bool first = true;
  for (uint32_t i = 0; i < opts->nkids && !gen_failed(g); i++) {
    const uf_node *prop = opts->kids[i];
    if (prop->style == 1) continue;
    if (!first) gen_raw(g, ", ");
    first = false;
    const uf_node *k = kid(prop, UF_SLOT_KEY);
    if (!k) {
      gen_malformed(g, prop, "option without a key");
      return;
    }
    df_key(g, k->text);
    gen_space(g);
    df_value(g, k, kid(prop, UF_SLOT_VALUE));
  }
  gen_char(g, ')');
}

/* ---- CREATE ---- */

/* CREATE [OR REPLACE] [TEMP] <what> [IF NOT EXISTS] name */
static void create_head(uf_gen *g, const uf_node *n, const char *what) {
  gen_kw(g, "CREATE");
  if (n->flags & UF_F_OR_REPLACE) skw(g, "OR REPLACE");
  if (n->flags & UF_F_TEMP) skw(g, "TEMP");
  if (n->flags & UF_F_UNBOUNDED) skw(g, "UNBOUNDED");
  skw(g, what);
  if (n->flags & UF_F_IF_NOT_EXISTS) skw(g, "IF NOT EXISTS");
  snode(g, kid(n, UF_SLOT_NAME));
}

/* Checks CREATE [OR REPLACE] [TEMP] <what> against the target. */
static bool create_ok(uf_gen *g, const uf_node *n, const char *what) {
  char buf[64];
  if (n->flags & UF_F_OR_REPLACE) {
    snprintf(buf, sizeof buf, "CREATE OR REPLACE %s", what);
    if (!can(g, buf)) return false;
  }
  if (n->flags & UF_F_TEMP) {
    snprintf(buf, sizeof buf, "CREATE TEMP %s", what);
    if (!can(g, buf)) return false;
  }
  if (n->flags & UF_F_IF_NOT_EXISTS) {
    snprintf(buf, sizeof buf, "CREATE %s IF NOT EXISTS", what);
    if (!can(g, buf)) return false;
  }
  return can2(g, "CREATE", what);
}

/* '(' element {',' element} ')' -- one per line in pretty mode */
static void elements(uf_gen *g, const uf_node *a, const uf_node *b) {
  gen_raw(g, " (");
  gen_indent(g);
  gen_newline(g);
  bool first = true;
  const uf_node *lists[2] = {a, b};
  for (int l = 0; l < 2; l++) {
    for (uint32_t i = 0; lists[l] && i < lists[l]->nkids; i++) {
      if (!first) {
        gen_char(g, ',');
        gen_sep(g);
      }
      first = false;
      gen_node(g, lists[l]->kids[i]);
    }
  }
  gen_dedent(g);
  gen_newline(g);
  gen_char(g, ')');
}

static void gen_create_table(uf_gen *g, const uf_node *n) {
  if (!create_ok(g, n, "TABLE")) return;
  create_head(g, n, "TABLE");
  const uf_node *cols = kid(n, UF_SLOT_COLUMNS), *cons = kid(n, UF_SLOT_CONSTRAINTS);
  if (cols || cons) elements(g, cols, cons);
  const uf_node *params = kid(n, UF_SLOT_OPTIONS);
  if (params) {
    if (!can(g, "CREATE TABLE WITH")) return;
    skw(g, "WITH");
    gen_raw(g, " (");
    for (uint32_t i = 0; i < params->nkids; i++) {
      if (i) gen_raw(g, ", ");
      gen_node(g, kid(params->kids[i], UF_SLOT_KEY));
      if (!kid(params->kids[i], UF_SLOT_VALUE)) continue;
      gen_raw(g, " = ");
      gen_node(g, kid(params->kids[i], UF_SLOT_VALUE));
    }
    gen_char(g, ')');
  }
  if (kid(n, UF_SLOT_ON)) {
    if (!can(g, "ON COMMIT")) return;
    skw(g, "ON COMMIT");
    skw(g, kid(n, UF_SLOT_ON)->text);
  }
  if (!kid(n, UF_SLOT_QUERY)) return;
  skw(g, "AS");
  gen_query_part(g, kid(n, UF_SLOT_QUERY));
  if (kid(n, UF_SLOT_EXTRA)) skw(g, kid(n, UF_SLOT_EXTRA)->text);
}

static void gen_create_view(uf_gen *g, const uf_node *n) {
  const char *what = n->flags & UF_F_MATERIALIZED ? "MATERIALIZED VIEW" : "VIEW";
  if (!create_ok(g, n, what)) return;
  create_head(g, n, what);
  if (kid(n, UF_SLOT_COLUMNS)) {
    gen_space(g);
    paren_list(g, kid(n, UF_SLOT_COLUMNS));
  }
  skw(g, "AS");
  gen_query_part(g, kid(n, UF_SLOT_QUERY));
}

/* DataFusion: ... STORED AS fmt [WITH HEADER ROW] [DELIMITER 'x']
 * [PARTITIONED BY (...)] LOCATION 'path' [OPTIONS (...)] */
static void gen_create_external(uf_gen *g, const uf_node *n) {
  if (!g->d->has_external_table) {
    gen_unsupported(g, "CREATE EXTERNAL TABLE");
    return;
  }
  create_head(g, n, "EXTERNAL TABLE");
  const uf_node *cols = kid(n, UF_SLOT_COLUMNS), *opts = kid(n, UF_SLOT_OPTIONS);
  if (cols) elements(g, cols, NULL);
  gen_sep(g);
  gen_kw(g, "STORED AS ");
  word(g, kid(n, UF_SLOT_FORMAT) ? kid(n, UF_SLOT_FORMAT)->text : "PARQUET");
  if (n->flags & UF_F_WITH_HEADER) {
    gen_sep(g);
    gen_kw(g, "WITH HEADER ROW");
  }
  for (uint32_t i = 0; opts && i < opts->nkids; i++) {
    const uf_node *prop = opts->kids[i];
    if (prop->style != 1) continue;
    gen_sep(g);
    word(g, kid(prop, UF_SLOT_KEY)->text);
    gen_space(g);
    value(g, kid(prop, UF_SLOT_VALUE));
  }
  if (kid(n, UF_SLOT_PARTITIONED_BY)) {
    gen_sep(g);
    gen_kw(g, "PARTITIONED BY ");
    paren_list(g, kid(n, UF_SLOT_PARTITIONED_BY));
  }
  gen_sep(g);
  gen_kw(g, "LOCATION ");
  gen_node(g, kid(n, UF_SLOT_LOCATION));
  df_options(g, opts);
}

/* CREATE [OR REPLACE] [PERSISTENT | TEMPORARY] SECRET [IF NOT EXISTS]
 * [name] (options) -- DuckDB's object-store credentials */
static void gen_create_secret(uf_gen *g, const uf_node *n) {
  if (!can(g, "CREATE SECRET")) return;
  gen_kw(g, "CREATE");
  if (n->flags & UF_F_OR_REPLACE) skw(g, "OR REPLACE");
  if (n->flags & UF_F_PERSISTENT) skw(g, "PERSISTENT");
  else if (n->flags & UF_F_TEMP) skw(g, "TEMPORARY");
  skw(g, "SECRET");
  if (n->flags & UF_F_IF_NOT_EXISTS) skw(g, "IF NOT EXISTS");
  snode(g, kid(n, UF_SLOT_NAME));
  const uf_node *opts = kid(n, UF_SLOT_OPTIONS);
  bool first = true;
  gen_raw(g, " (");
  options(g, opts, &first);
  gen_char(g, ')');
}

static void gen_create_schema(uf_gen *g, const uf_node *n) {
  const char *what = n->text[0] ? n->text : "SCHEMA"; /* DATABASE */
  if (!create_ok(g, n, what)) return;
  create_head(g, n, what);
}

/* name '(' arg types ')' */
static void gen_signature(uf_gen *g, const uf_node *n) {
  gen_node(g, kid(n, UF_SLOT_NAME));
  gen_raw(g, " ");
  paren_list(g, kid(n, UF_SLOT_ARGS));
}

/* " START WITH 1 INCREMENT BY 2 NO CYCLE ..." (sequence / identity options);
 * the first one without its leading space when `lead` is false */
static void seq_options(uf_gen *g, const uf_node *opts, bool lead) {
  for (uint32_t i = 0; opts && i < opts->nkids; i++) {
    const uf_node *k = kid(opts->kids[i], UF_SLOT_KEY), *v = kid(opts->kids[i], UF_SLOT_VALUE);
    if (!k) continue;
    if (lead || i) gen_space(g);
    gen_kw(g, k->text);
    if (strcmp(k->text, "START") == 0) skw(g, "WITH");
    else if (strcmp(k->text, "INCREMENT") == 0) skw(g, "BY");
    snode(g, v);
  }
}

static void gen_create_sequence(uf_gen *g, const uf_node *n) {
  if (!create_ok(g, n, "SEQUENCE")) return;
  create_head(g, n, "SEQUENCE");
  seq_options(g, kid(n, UF_SLOT_OPTIONS), true);
}

static void gen_create_macro(uf_gen *g, const uf_node *n) {
  if (!create_ok(g, n, "MACRO")) return;
  create_head(g, n, n->style == 1 ? "FUNCTION" : "MACRO");
  const uf_node *params = kid(n, UF_SLOT_PARAMS);
  gen_char(g, '(');
  for (uint32_t i = 0; params && i < params->nkids; i++) {
    const uf_node *a = params->kids[i];
    if (i) gen_raw(g, ", ");
    if (uf_is(a, UF_NAMED_ARG)) {
      gen_node(g, kid(a, UF_SLOT_NAME));
      gen_raw(g, " := ");
      gen_node(g, kid(a, UF_SLOT_THIS));
    } else {
      gen_node(g, a);
    }
  }
  gen_char(g, ')');
  skw(g, "AS");
  if (n->flags & UF_F_TABLE) {
    skw(g, "TABLE");
    gen_query_part(g, kid(n, UF_SLOT_BODY));
  } else {
    snode(g, kid(n, UF_SLOT_BODY));
  }
}

static void gen_create_index(uf_gen *g, const uf_node *n) {
  if (!create_ok(g, n, "INDEX")) return;
  gen_kw(g, "CREATE");
  if (n->text[0]) skw(g, n->text);
  skw(g, "INDEX");
  if (n->flags & UF_F_IF_NOT_EXISTS) skw(g, "IF NOT EXISTS");
  snode(g, kid(n, UF_SLOT_NAME));
  skw(g, "ON");
  snode(g, kid(n, UF_SLOT_TABLE));
  if (kid(n, UF_SLOT_METHOD)) {
    if (!can(g, "CREATE INDEX USING")) return;
    skw(g, "USING");
    snode(g, kid(n, UF_SLOT_METHOD));
  }
  gen_space(g);
  paren_list(g, kid(n, UF_SLOT_COLUMNS));
}

static void gen_create_type(uf_gen *g, const uf_node *n) {
  if (!create_ok(g, n, "TYPE")) return;
  create_head(g, n, "TYPE");
  skw(g, "AS");
  snode(g, kid(n, UF_SLOT_TYPE));
}

/* name [type] {constraint} */
static void gen_column_def(uf_gen *g, const uf_node *n) {
  gen_node(g, kid(n, UF_SLOT_NAME));
  snode(g, kid(n, UF_SLOT_TYPE));
  const uf_node *cons = kid(n, UF_SLOT_CONSTRAINTS);
  for (uint32_t i = 0; cons && i < cons->nkids; i++) snode(g, cons->kids[i]);
}

/* GENERATED ALWAYS AS (e) [STORED | VIRTUAL] */
static void gen_generated(uf_gen *g, const uf_node *n) {
  bool stored = (n->flags & UF_F_PERSISTENT) != 0;
  if (!can(g, stored ? "GENERATED STORED" : "GENERATED VIRTUAL")) return;
  gen_kw(g, "GENERATED ALWAYS AS (");
  gen_node(g, kid(n, UF_SLOT_EXPR));
  gen_char(g, ')');
  if (stored) skw(g, "STORED");
  else if (n->style & 2) skw(g, "VIRTUAL");
}

/* [CONSTRAINT name] body -- column or table constraint */
static void gen_constraint(uf_gen *g, const uf_node *n) {
  const char *t = n->text;
  if (!can2(g, t, "constraint")) return;
  if (kid(n, UF_SLOT_NAME)) {
    gen_kw(g, "CONSTRAINT ");
    gen_node(g, kid(n, UF_SLOT_NAME));
    gen_space(g);
  }
  const uf_node *cols = kid(n, UF_SLOT_COLUMNS), *e = kid(n, UF_SLOT_EXPR);
  if (strcmp(t, "GENERATED") == 0) {
    gen_generated(g, n);
  } else if (strcmp(t, "CHECK") == 0) {
    gen_kw(g, "CHECK (");
    gen_node(g, e);
    gen_char(g, ')');
  } else if (strcmp(t, "REFERENCES") == 0) {
    gen_kw(g, "REFERENCES");
    snode(g, kid(n, UF_SLOT_REFERENCES));
  } else {
    gen_kw(g, t); /* NOT NULL, NULL, PRIMARY KEY, UNIQUE, DEFAULT, COLLATE,
                     FOREIGN KEY, GENERATED ... AS IDENTITY */
    if (e) {
      gen_space(g);
      value(g, e);
    }
    if (kid(n, UF_SLOT_OPTIONS)) {
      gen_raw(g, " (");
      seq_options(g, kid(n, UF_SLOT_OPTIONS), false);
      gen_char(g, ')');
    }
  }
  if (cols) {
    gen_space(g);
    paren_list(g, cols);
  }
  const uf_node *acts = kid(n, UF_SLOT_ACTIONS);
  for (uint32_t i = 0; acts && i < acts->nkids; i++) skw(g, acts->kids[i]->text);
  if (strcmp(t, "FOREIGN KEY") == 0) snode(g, kid(n, UF_SLOT_REFERENCES));
}

/* ---- DML ---- */

static void gen_with_prefix(uf_gen *g, const uf_node *n) {
  if (!kid(n, UF_SLOT_WITH)) return;
  gen_node(g, kid(n, UF_SLOT_WITH));
  gen_sep(g);
}

static void gen_returning(uf_gen *g, const uf_node *n) {
  if (!kid(n, UF_SLOT_RETURNING) || !can(g, "RETURNING")) return;
  gen_sep(g);
  gen_kw(g, "RETURNING ");
  gen_list(g, kid(n, UF_SLOT_RETURNING), ", ", false);
}

static void gen_insert(uf_gen *g, const uf_node *n) {
  gen_with_prefix(g, n);
  gen_kw(g, "INSERT");
  if (n->flags & UF_F_OVERWRITE) {
    if (!can(g, "INSERT OVERWRITE")) return;
    skw(g, n->style & 1 ? "OVERWRITE TABLE" : "OVERWRITE");
    snode(g, kid(n, UF_SLOT_TABLE));
    gen_query_part(g, kid(n, UF_SLOT_QUERY));
    return;
  }
  if ((n->flags & UF_F_OR_REPLACE) && can(g, "INSERT OR REPLACE")) skw(g, "OR REPLACE");
  if ((n->flags & UF_F_OR_IGNORE) && can(g, "INSERT OR IGNORE")) skw(g, "OR IGNORE");
  skw(g, "INTO");
  snode(g, kid(n, UF_SLOT_TABLE));
  if (kid(n, UF_SLOT_ALIAS)) {
    skw(g, "AS");
    snode(g, kid(n, UF_SLOT_ALIAS));
  }
  if (kid(n, UF_SLOT_COLUMNS)) {
    gen_space(g);
    paren_list(g, kid(n, UF_SLOT_COLUMNS));
  }
  if ((n->flags & UF_F_BY_NAME) && can(g, "INSERT BY NAME")) skw(g, "BY NAME");
  else if ((n->style & 2) && can(g, "INSERT BY POSITION")) skw(g, "BY POSITION");
  if (kid(n, UF_SLOT_QUERY)) gen_query_part(g, kid(n, UF_SLOT_QUERY));
  else skw(g, "DEFAULT VALUES");
  if (kid(n, UF_SLOT_CONFLICT)) {
    gen_sep(g);
    gen_node(g, kid(n, UF_SLOT_CONFLICT));
  }
  gen_returning(g, n);
}

static void gen_on_conflict(uf_gen *g, const uf_node *n) {
  if (!can(g, "ON CONFLICT")) return;
  gen_kw(g, "ON CONFLICT");
  if (kid(n, UF_SLOT_COLUMNS)) {
    gen_space(g);
    paren_list(g, kid(n, UF_SLOT_COLUMNS));
  }
  if (kid(n, UF_SLOT_WHERE)) {
    skw(g, "WHERE");
    snode(g, kid(n, UF_SLOT_WHERE));
  }
  if (strcmp(n->text, "UPDATE") != 0) {
    skw(g, "DO NOTHING");
    return;
  }
  skw(g, "DO UPDATE SET ");
  gen_list(g, kid(n, UF_SLOT_SET), ", ", false);
  if (kid(n, UF_SLOT_COND)) {
    skw(g, "WHERE");
    snode(g, kid(n, UF_SLOT_COND));
  }
}

static void gen_set_item(uf_gen *g, const uf_node *n) {
  const uf_node *t = kid(n, UF_SLOT_TARGET);
  if (uf_is(t, UF_LIST)) paren_list(g, t);
  else gen_node(g, t);
  gen_raw(g, " = ");
  value(g, kid(n, UF_SLOT_VALUE));
}

static void gen_update(uf_gen *g, const uf_node *n) {
  gen_with_prefix(g, n);
  gen_kw(g, "UPDATE");
  snode(g, kid(n, UF_SLOT_TABLE));
  gen_sep(g);
  gen_kw(g, "SET ");
  gen_list(g, kid(n, UF_SLOT_SET), ", ", false);
  if (kid(n, UF_SLOT_FROM) && can(g, "UPDATE FROM")) {
    gen_sep(g);
    gen_kw(g, "FROM ");
    gen_list(g, kid(n, UF_SLOT_FROM), ", ", false);
  }
  if (kid(n, UF_SLOT_WHERE)) {
    gen_sep(g);
    gen_kw(g, "WHERE ");
    gen_node(g, kid(n, UF_SLOT_WHERE));
  }
  gen_returning(g, n);
}

static void gen_delete(uf_gen *g, const uf_node *n) {
  gen_with_prefix(g, n);
  gen_kw(g, "DELETE FROM");
  snode(g, kid(n, UF_SLOT_TABLE));
  if (kid(n, UF_SLOT_USING) && can(g, "DELETE USING")) {
    gen_sep(g);
    gen_kw(g, "USING ");
    gen_list(g, kid(n, UF_SLOT_USING), ", ", false);
  }
  if (kid(n, UF_SLOT_WHERE)) {
    gen_sep(g);
    gen_kw(g, "WHERE ");
    gen_node(g, kid(n, UF_SLOT_WHERE));
  }
  gen_returning(g, n);
}

static void gen_truncate(uf_gen *g, const uf_node *n) {
  if (!can(g, "TRUNCATE")) return;
  gen_kw(g, n->style == 1 ? "TRUNCATE TABLE" : "TRUNCATE");
  snode(g, kid(n, UF_SLOT_TABLE));
}

/* ---- DROP / ALTER ---- */

static void gen_drop(uf_gen *g, const uf_node *n) {
  if (!can2(g, "DROP", n->text)) return;
  gen_kw(g, "DROP");
  if (n->flags & UF_F_PERSISTENT) skw(g, "PERSISTENT");
  else if ((n->flags & UF_F_TEMP) && strcmp(n->text, "SECRET") == 0) skw(g, "TEMPORARY");
  skw(g, n->text);
  if (n->flags & UF_F_IF_EXISTS) skw(g, "IF EXISTS");
  gen_space(g);
  gen_list(g, kid(n, UF_SLOT_LIST), ", ", false);
  if (n->flags & UF_F_CASCADE) skw(g, "CASCADE");
  else if (n->flags & UF_F_RESTRICT) skw(g, "RESTRICT");
}

static void gen_alter_table(uf_gen *g, const uf_node *n) {
  if (!can2(g, "ALTER", n->text)) return;
  gen_kw(g, "ALTER");
  skw(g, n->text);
  if (n->flags & UF_F_IF_EXISTS) skw(g, "IF EXISTS");
  snode(g, kid(n, UF_SLOT_NAME));
  gen_space(g);
  gen_list(g, kid(n, UF_SLOT_ACTIONS), ", ", false);
}

static void gen_alter_action(uf_gen *g, const uf_node *n) {
  const char *t = n->text;
  const uf_node *name = kid(n, UF_SLOT_NAME);
  if (strcmp(t, "ADD COLUMN") == 0) {
    gen_kw(g, n->style & 1 ? "ADD COLUMN" : "ADD");
    if (n->flags & UF_F_IF_NOT_EXISTS) skw(g, "IF NOT EXISTS");
    snode(g, kid(n, UF_SLOT_THIS));
  } else if (strcmp(t, "ADD CONSTRAINT") == 0) {
    gen_kw(g, "ADD");
    snode(g, kid(n, UF_SLOT_THIS));
  } else if (strcmp(t, "DROP COLUMN") == 0) {
    gen_kw(g, n->style & 1 ? "DROP COLUMN" : "DROP");
    if (n->flags & UF_F_IF_EXISTS) skw(g, "IF EXISTS");
    snode(g, name);
    if (n->flags & UF_F_CASCADE) skw(g, "CASCADE");
    else if (n->flags & UF_F_RESTRICT) skw(g, "RESTRICT");
  } else if (strcmp(t, "RENAME TO") == 0) {
    gen_kw(g, "RENAME TO");
    snode(g, kid(n, UF_SLOT_TARGET));
  } else if (strcmp(t, "RENAME COLUMN") == 0) {
    gen_kw(g, n->style & 1 ? "RENAME COLUMN" : "RENAME");
    snode(g, name);
    skw(g, "TO");
    snode(g, kid(n, UF_SLOT_TARGET));
  } else {
    /* ALTER TYPE, SET DEFAULT, DROP DEFAULT, SET NOT NULL, DROP NOT NULL */
    gen_kw(g, n->style & 1 ? "ALTER COLUMN" : "ALTER");
    snode(g, name);
    if (strcmp(t, "ALTER TYPE") == 0) {
      skw(g, n->style & 2 ? "SET DATA TYPE" : "TYPE");
      snode(g, kid(n, UF_SLOT_TYPE));
      if (kid(n, UF_SLOT_EXPR)) skw(g, "USING");
    } else {
      skw(g, t);
    }
    snode(g, kid(n, UF_SLOT_EXPR));
  }
}

/* ---- COPY ---- */

/* COPY source [(cols)] FROM|TO location */
static void copy_head(uf_gen *g, const uf_node *n) {
  const uf_node *src = kid(n, UF_SLOT_THIS), *loc = kid(n, UF_SLOT_LOCATION);
  gen_kw(g, "COPY ");
  if (src && uf_kind_category((uf_kind)src->kind) == UF_CAT_QUERY) {
    gen_char(g, '(');
    gen_indent(g);
    gen_newline(g);
    gen_node(g, src);
    gen_dedent(g);
    gen_newline(g);
    gen_char(g, ')');
  } else {
    gen_node(g, src);
  }
  if (kid(n, UF_SLOT_COLUMNS) && can(g, "COPY column list")) {
    gen_space(g);
    paren_list(g, kid(n, UF_SLOT_COLUMNS));
  }
  skw(g, n->text[0] == 'F' ? "FROM" : "TO");
  gen_space(g);
  if (uf_is(loc, UF_VAR)) {
    if (can(g, "COPY STDIN/STDOUT")) word(g, loc->text);
  } else {
    gen_node(g, loc);
  }
}

static bool format_ok(uf_gen *g, const uf_node *fmt) {
  if (!fmt || !g->d->copy_formats) return true;
  for (const char *const *f = g->d->copy_formats; *f; f++)
    if (strcmp(*f, fmt->text) == 0) return true;
  char what[96];
  snprintf(what, sizeof what, "COPY FORMAT %s", fmt->text);
  gen_unsupported(g, what);
  return false;
}

/* DuckDB (FORMAT x, PARTITION_BY (..), ...) / PostgreSQL WITH (...) */
static void copy_option_list(uf_gen *g, const uf_node *n, bool with) {
  const uf_node *fmt = kid(n, UF_SLOT_FORMAT), *part = kid(n, UF_SLOT_PARTITIONED_BY),
                *opts = kid(n, UF_SLOT_OPTIONS);
  if (!format_ok(g, fmt)) return;
  if (part && !can(g, "COPY PARTITION_BY")) return;
  if (!fmt && !part && (!opts || !opts->nkids)) return;
  gen_raw(g, " ");
  if (with) gen_kw(g, "WITH ");
  gen_char(g, '(');
  bool first = true;
  if (fmt) {
    gen_kw(g, "FORMAT ");
    word(g, fmt->text);
    first = false;
  }
  if (part) {
    if (!first) gen_raw(g, ", ");
    gen_kw(g, "PARTITION_BY ");
    paren_list(g, part);
    first = false;
  }
  options(g, opts, &first);
  gen_char(g, ')');
}

/* Whether PostgreSQL's legacy form (CSV HEADER DELIMITER ',') can hold all
 * of n's options. */
static bool legacy_ok(const uf_node *n) {
  static const char *const keys[] = {"HEADER", "DELIMITER", "NULL", "QUOTE",
                                     "ESCAPE", "ENCODING", NULL};
  const uf_node *fmt = kid(n, UF_SLOT_FORMAT), *opts = kid(n, UF_SLOT_OPTIONS);
  if (kid(n, UF_SLOT_PARTITIONED_BY)) return false;
  if (fmt && strcmp(fmt->text, "CSV") != 0 && strcmp(fmt->text, "BINARY") != 0)
    return false;
  for (uint32_t i = 0; opts && i < opts->nkids; i++) {
    const uf_node *k = kid(opts->kids[i], UF_SLOT_KEY), *v = kid(opts->kids[i], UF_SLOT_VALUE);
    bool known = false;
    for (const char *const *w = keys; k && *w; w++)
      if (strcmp(*w, k->text) == 0) known = true;
    if (!known) return false;
    if (strcmp(k->text, "HEADER") == 0 ? v != NULL : !uf_is(v, UF_STRING)) return false;
  }
  return true;
}

static void copy_legacy(uf_gen *g, const uf_node *n) {
  const uf_node *fmt = kid(n, UF_SLOT_FORMAT), *opts = kid(n, UF_SLOT_OPTIONS);
  if (fmt) skw(g, fmt->text);
  for (uint32_t i = 0; opts && i < opts->nkids; i++) {
    gen_space(g);
    option(g, opts->kids[i]);
  }
}

/* DataFusion: STORED AS fmt PARTITIONED BY (..) OPTIONS (..) */
static void copy_datafusion(uf_gen *g, const uf_node *n) {
  if (n->text[0] == 'F' && !can(g, "COPY FROM")) return;
  const uf_node *fmt = kid(n, UF_SLOT_FORMAT), *part = kid(n, UF_SLOT_PARTITIONED_BY);
  if (!format_ok(g, fmt)) return;
  if (fmt) {
    gen_sep(g);
    gen_kw(g, "STORED AS ");
    word(g, fmt->text);
  }
  if (part) {
    gen_sep(g);
    gen_kw(g, "PARTITIONED BY ");
    paren_list(g, part);
  }
  df_options(g, kid(n, UF_SLOT_OPTIONS));
}

static void gen_copy(uf_gen *g, const uf_node *n) {
  copy_head(g, n);
  if (gen_failed(g)) return;
  switch (g->d->copy_style) {
  case 2: copy_datafusion(g, n); break;
  case 1:
    if (n->style == 3 && legacy_ok(n)) copy_legacy(g, n);
    else copy_option_list(g, n, true);
    break;
  default: copy_option_list(g, n, false); break;
  }
}

/* ---- session and utility statements ---- */

static void gen_set(uf_gen *g, const uf_node *n) {
  if (n->text[0] && !can2(g, "SET", n->text)) return;
  gen_kw(g, "SET");
  if (n->text[0]) skw(g, n->text);
  gen_space(g);
  dotted(g, kid(n, UF_SLOT_NAME));
  gen_raw(g, " ");
  gen_raw(g, n->style == 1 ? "" : "= ");
  if (n->style == 1) gen_kw(g, "TO ");
  const uf_node *v = kid(n, UF_SLOT_VALUE);
  if (!uf_is(v, UF_LIST)) {
    value(g, v);
    return;
  }
  for (uint32_t i = 0; i < v->nkids; i++) {
    if (i) gen_raw(g, ", ");
    value(g, v->kids[i]);
  }
}

static void gen_reset(uf_gen *g, const uf_node *n) {
  if (!can(g, "RESET") || (n->text[0] && !can2(g, "RESET", n->text))) return;
  gen_kw(g, "RESET");
  if (n->text[0]) skw(g, n->text);
  if (n->flags & UF_F_ALL) {
    skw(g, "ALL");
    return;
  }
  gen_space(g);
  dotted(g, kid(n, UF_SLOT_NAME));
}

static void gen_pragma(uf_gen *g, const uf_node *n) {
  if (!can(g, "PRAGMA")) return;
  gen_kw(g, "PRAGMA");
  snode(g, kid(n, UF_SLOT_NAME));
  if (kid(n, UF_SLOT_ARGS)) paren_list(g, kid(n, UF_SLOT_ARGS));
  if (!kid(n, UF_SLOT_VALUE)) return;
  gen_raw(g, " = ");
  value(g, kid(n, UF_SLOT_VALUE));
}

static void gen_attach(uf_gen *g, const uf_node *n) {
  if (!can(g, "ATTACH")) return;
  gen_kw(g, n->style == 1 ? "ATTACH DATABASE" : "ATTACH");
  if (n->flags & UF_F_IF_NOT_EXISTS) skw(g, "IF NOT EXISTS");
  snode(g, kid(n, UF_SLOT_LOCATION));
  if (kid(n, UF_SLOT_ALIAS)) {
    skw(g, "AS");
    snode(g, kid(n, UF_SLOT_ALIAS));
  }
  option_list(g, kid(n, UF_SLOT_OPTIONS));
}

static void gen_detach(uf_gen *g, const uf_node *n) {
  if (!can(g, "DETACH")) return;
  gen_kw(g, n->style == 1 ? "DETACH DATABASE" : "DETACH");
  if (n->flags & UF_F_IF_EXISTS) skw(g, "IF EXISTS");
  snode(g, kid(n, UF_SLOT_NAME));
}

static void gen_install(uf_gen *g, const uf_node *n) {
  if (!can(g, "INSTALL")) return;
  gen_kw(g, n->flags & UF_F_TRY ? "FORCE INSTALL" : "INSTALL");
  snode(g, kid(n, UF_SLOT_NAME));
  if (!kid(n, UF_SLOT_FROM)) return;
  skw(g, "FROM");
  snode(g, kid(n, UF_SLOT_FROM));
}

/* KW [child] for the one-slot statements */
static void gen_simple(uf_gen *g, const char *kw, const uf_node *child) {
  if (!can(g, kw)) return;
  gen_kw(g, kw);
  snode(g, child);
}

static void gen_explain(uf_gen *g, const uf_node *n) {
  gen_kw(g, n->flags & UF_F_ANALYZE ? "EXPLAIN ANALYZE" : "EXPLAIN");
  gen_query_part(g, kid(n, UF_SLOT_STATEMENT));
}

static void gen_describe(uf_gen *g, const uf_node *n) {
  const char *w = strcmp(n->text, "SUMMARIZE") == 0 ? "SUMMARIZE" : "DESCRIBE";
  const uf_node *t = kid(n, UF_SLOT_THIS);
  if (!can(g, w)) return;
  gen_kw(g, w);
  if (t && uf_kind_category((uf_kind)t->kind) == UF_CAT_QUERY) gen_query_part(g, t);
  else snode(g, t);
}

static void gen_show(uf_gen *g, const uf_node *n) {
  if (n->text[0] && !can2(g, "SHOW", n->text)) return;
  gen_kw(g, "SHOW");
  if (n->text[0]) skw(g, n->text);
  if (kid(n, UF_SLOT_NAME)) {
    gen_space(g);
    dotted(g, kid(n, UF_SLOT_NAME));
  }
  if (!kid(n, UF_SLOT_THIS)) return;
  skw(g, "FROM");
  snode(g, kid(n, UF_SLOT_THIS));
}

static void gen_transaction(uf_gen *g, const uf_node *n) {
  static const char *const spell[3][4] = {
      {"BEGIN", "BEGIN TRANSACTION", "START TRANSACTION", "BEGIN WORK"},
      {"COMMIT", "COMMIT TRANSACTION", "END", "COMMIT WORK"},
      {"ROLLBACK", "ROLLBACK TRANSACTION", "ABORT", "ROLLBACK WORK"}};
  const uf_node *name = kid(n, UF_SLOT_NAME);
  if (strcmp(n->text, "SAVEPOINT") == 0 || strcmp(n->text, "RELEASE") == 0) {
    if (!can(g, "SAVEPOINT")) return;
    gen_kw(g, n->text);
    if (n->style & 4) skw(g, "SAVEPOINT");
    snode(g, name);
    return;
  }
  int row = n->text[0] == 'C' ? 1 : n->text[0] == 'R' ? 2 : 0;
  if (name && !can(g, "SAVEPOINT")) return;
  gen_kw(g, spell[row][n->style & 3]);
  if (!name) return;
  skw(g, "TO");
  if (n->style & 4) skw(g, "SAVEPOINT");
  snode(g, name);
}

static void gen_export(uf_gen *g, const uf_node *n) {
  if (!can(g, "EXPORT DATABASE")) return;
  gen_kw(g, "EXPORT DATABASE");
  if (kid(n, UF_SLOT_NAME)) {
    snode(g, kid(n, UF_SLOT_NAME));
    skw(g, "TO");
  }
  snode(g, kid(n, UF_SLOT_LOCATION));
  option_list(g, kid(n, UF_SLOT_OPTIONS));
}

static void gen_checkpoint(uf_gen *g, const uf_node *n) {
  if (!can(g, "CHECKPOINT")) return;
  if ((n->flags & UF_F_ALL) && !can(g, "FORCE CHECKPOINT")) return;
  if (kid(n, UF_SLOT_NAME) && !can(g, "CHECKPOINT database")) return;
  gen_kw(g, n->flags & UF_F_ALL ? "FORCE CHECKPOINT" : "CHECKPOINT");
  snode(g, kid(n, UF_SLOT_NAME));
}

static void gen_vacuum(uf_gen *g, const uf_node *n) {
  if (!can(g, "VACUUM")) return;
  gen_kw(g, n->flags & UF_F_ANALYZE ? "VACUUM ANALYZE" : "VACUUM");
  snode(g, kid(n, UF_SLOT_TABLE));
  if (!kid(n, UF_SLOT_COLUMNS)) return;
  gen_space(g);
  paren_list(g, kid(n, UF_SLOT_COLUMNS));
}

/* ANALYZE [table ['(' cols ')']] */
static void gen_analyze(uf_gen *g, const uf_node *n) {
  if (!can(g, "ANALYZE")) return;
  gen_kw(g, "ANALYZE");
  snode(g, kid(n, UF_SLOT_TABLE));
  if (!kid(n, UF_SLOT_COLUMNS)) return;
  gen_space(g);
  paren_list(g, kid(n, UF_SLOT_COLUMNS));
}

/* GRANT privs ON [kind] objects TO grantees [WITH GRANT OPTION] |
 * REVOKE [GRANT OPTION FOR] privs ON [kind] objects FROM grantees
 *   [CASCADE | RESTRICT] */
static void gen_grant(uf_gen *g, const uf_node *n) {
  bool grant = strcmp(n->text, "REVOKE") != 0;
  const uf_node *extra = kid(n, UF_SLOT_EXTRA);
  if (!can(g, grant ? "GRANT" : "REVOKE")) return;
  gen_kw(g, grant ? "GRANT" : "REVOKE");
  if (!grant && extra) skw(g, extra->text);
  gen_space(g);
  gen_list(g, kid(n, UF_SLOT_ARGS), ", ", false);
  skw(g, "ON");
  if (kid(n, UF_SLOT_TYPE)) skw(g, kid(n, UF_SLOT_TYPE)->text);
  gen_space(g);
  gen_list(g, kid(n, UF_SLOT_LIST), ", ", false);
  skw(g, grant ? "TO" : "FROM");
  gen_space(g);
  gen_list(g, kid(n, UF_SLOT_TO), ", ", false);
  if (grant && extra) skw(g, extra->text);
  if (n->flags & UF_F_CASCADE) skw(g, "CASCADE");
  else if (n->flags & UF_F_RESTRICT) skw(g, "RESTRICT");
}

static void gen_comment_on(uf_gen *g, const uf_node *n) {
  if (!can(g, "COMMENT ON")) return;
  gen_kw(g, "COMMENT ON");
  skw(g, n->text);
  snode(g, kid(n, UF_SLOT_NAME));
  skw(g, "IS");
  snode(g, kid(n, UF_SLOT_VALUE));
}

static void gen_prepare(uf_gen *g, const uf_node *n) {
  if (!can(g, "PREPARE")) return;
  gen_kw(g, "PREPARE");
  snode(g, kid(n, UF_SLOT_NAME));
  skw(g, "AS");
  gen_query_part(g, kid(n, UF_SLOT_STATEMENT));
}

static void gen_execute(uf_gen *g, const uf_node *n) {
  if (!can(g, "EXECUTE")) return;
  gen_kw(g, "EXECUTE");
  snode(g, kid(n, UF_SLOT_NAME));
  if (kid(n, UF_SLOT_ARGS)) paren_list(g, kid(n, UF_SLOT_ARGS));
}

static void gen_deallocate(uf_gen *g, const uf_node *n) {
  if (!can(g, "DEALLOCATE")) return;
  gen_kw(g, n->style == 1 ? "DEALLOCATE PREPARE" : "DEALLOCATE");
  snode(g, kid(n, UF_SLOT_NAME));
}

bool gen_stmt_node(uf_gen *g, const uf_node *n) {
  switch ((uf_kind)n->kind) {
  case UF_CREATE_TABLE: gen_create_table(g, n); break;
  case UF_CREATE_VIEW: gen_create_view(g, n); break;
  case UF_CREATE_EXTERNAL_TABLE: gen_create_external(g, n); break;
  case UF_CREATE_SCHEMA: gen_create_schema(g, n); break;
  case UF_CREATE_SECRET: gen_create_secret(g, n); break;
  case UF_CREATE_SEQUENCE: gen_create_sequence(g, n); break;
  case UF_CREATE_MACRO: gen_create_macro(g, n); break;
  case UF_CREATE_INDEX: gen_create_index(g, n); break;
  case UF_CREATE_TYPE: gen_create_type(g, n); break;
  case UF_COLUMN_DEF: gen_column_def(g, n); break;
  case UF_CONSTRAINT: gen_constraint(g, n); break;
  case UF_INSERT: gen_insert(g, n); break;
  case UF_ON_CONFLICT: gen_on_conflict(g, n); break;
  case UF_UPDATE: gen_update(g, n); break;
  case UF_SET_ITEM: gen_set_item(g, n); break;
  case UF_DELETE: gen_delete(g, n); break;
  case UF_TRUNCATE: gen_truncate(g, n); break;
  case UF_DROP: gen_drop(g, n); break;
  case UF_ALTER_TABLE: gen_alter_table(g, n); break;
  case UF_ALTER_ACTION: gen_alter_action(g, n); break;
  case UF_COPY: gen_copy(g, n); break;
  case UF_SET: gen_set(g, n); break;
  case UF_RESET: gen_reset(g, n); break;
  case UF_PRAGMA: gen_pragma(g, n); break;
  case UF_ATTACH: gen_attach(g, n); break;
  case UF_DETACH: gen_detach(g, n); break;
  case UF_USE: gen_simple(g, "USE", kid(n, UF_SLOT_NAME)); break;
  case UF_INSTALL: gen_install(g, n); break;
  case UF_LOAD: gen_simple(g, "LOAD", kid(n, UF_SLOT_NAME)); break;
  case UF_CALL: gen_simple(g, "CALL", kid(n, UF_SLOT_THIS)); break;
  case UF_EXPLAIN: gen_explain(g, n); break;
  case UF_DESCRIBE: gen_describe(g, n); break;
  case UF_SHOW: gen_show(g, n); break;
  case UF_TRANSACTION: gen_transaction(g, n); break;
  case UF_EXPORT_DATABASE: gen_export(g, n); break;
  case UF_IMPORT_DATABASE: gen_simple(g, "IMPORT DATABASE", kid(n, UF_SLOT_LOCATION)); break;
  case UF_CHECKPOINT: gen_checkpoint(g, n); break;
  case UF_VACUUM: gen_vacuum(g, n); break;
  case UF_ANALYZE: gen_analyze(g, n); break;
  case UF_GRANT: gen_grant(g, n); break;
  case UF_SIGNATURE: gen_signature(g, n); break;
  case UF_COMMENT_ON: gen_comment_on(g, n); break;
  case UF_PREPARE: gen_prepare(g, n); break;
  case UF_EXECUTE: gen_execute(g, n); break;
  case UF_DEALLOCATE: gen_deallocate(g, n); break;
  default: return false;
  }
  return true;
}
