/*
 * qualify: SQLGlot's qualify (qualify_tables + qualify_columns + identifier
 * normalization) over our AST, in place.
 *
 * A query is processed scope by scope: a SELECT's scope holds its FROM
 * sources (alias -> ordered column names, or "unknown" for a table the
 * schema lacks), the USING groups of its joins and a link to the enclosing
 * scope (correlated subqueries, LATERAL). qualify_query returns a query's
 * output column names, which become the columns of a CTE or derived table
 * that selects from it.
 *
 * Everything allocated here lives in the tree's arena; issues are collected
 * in a malloc'd vector and copied into the arena at the end.
 *
 * Every name qualify keeps (sources, their columns, USING columns, output
 * names, aliases) is interned in the tree, so two names are equal iff their
 * pointers are: lookups compare pointers, and identifiers are made without
 * re-interning. The one exception: a schema table's columns keep the
 * schema's spellings (with a key per name for cheap searches) until they
 * are needed as tree names (src_cols), as most are only searched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/dialect.h"
#include "unifier/opt.h"

typedef struct strv {
  const char **v;
  size_t n, cap;
} strv;

typedef struct src {
  const char *name;  /* alias, normalized */
  strv cols;         /* output columns in order (read with src_cols) */
  /* non-NULL while cols are a schema table's own spellings: their
   * name_key, and a filter of key_bit of them all, for src_has */
  const uint64_t *raw_keys;
  uint64_t raw_filter;
  bool known;        /* false: a table the schema lacks (any column) */
  bool hidden;       /* right side of SEMI/ANTI: not part of the output */
  const char *tname, *tdb, *tcat; /* a schema table: its qualified name */
} src;

/* A USING column shared by several sources: unqualified refs coalesce. */
typedef struct ugroup {
  const char *col;
  strv members; /* source names in join order */
} ugroup;

typedef struct scope {
  struct scope *parent;
  src *srcs;
  size_t nsrc, capsrc;
  ugroup *groups;
  size_t ngroups, capgroups;
  /* for each join: the number of sources once its right side is added
   * (its ON sees only those) */
  const uf_node **joins;
  size_t *join_nsrc;
  size_t njoins, capjoins;
} scope;

typedef struct cte_env {
  const char *name;
  strv cols;
  struct cte_env *next;
} cte_env;

/* Slots of the cache of uf_dialect_is_folded answers (a power of two). */
enum { FOLD_CACHE = 64 };

typedef struct Q {
  uf_tree *t;
  const uf_schema *s;
  uf_qualify_options o;
  const uf_dialect *d;
  uf_qualify_issue *issues;
  size_t nissues, capissues;
  bool oom;
  uint32_t nq; /* counter for generated derived-table aliases */
  const char *star;  /* "*", interned: an output whose star stays unexpanded */
  const char *empty; /* "", as the tree spells it */
  /* the columns (schema spellings, name_key) of the schema tables met so
   * far: a table read twice (a subquery over it) shares them */
  struct {
    const uf_schema_table *table;
    const char **names;
    const uint64_t *keys;
    uint64_t filter;
  } tables[16];
  size_t ntables;
  /* per interned name: whether it reads the same folded (names recur) */
  struct {
    const char *name;
    bool folded;
  } fold[FOLD_CACHE];
} Q;

/* -- small helpers ------------------------------------------------------------ */

static void *qalloc(Q *q, size_t n) {
  void *p = uf_tree_alloc(q->t, n ? n : 1);
  if (!p) q->oom = true;
  return p;
}

static const char *qintern(Q *q, const char *s) {
  const char *r = uf_intern(q->t, s, strlen(s));
  if (!r) q->oom = true;
  return r ? r : "";
}

static void strv_push(Q *q, strv *v, const char *s) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 8;
    const char **nv = qalloc(q, cap * sizeof *nv);
    if (!nv) return;
    if (v->n) memcpy(nv, v->v, v->n * sizeof *nv);
    v->v = nv;
    v->cap = cap;
  }
  v->v[v->n++] = s;
}

/* s and the names of v are interned: equal names are the same pointer. */
static bool strv_has(const strv *v, const char *s) {
  for (size_t i = 0; i < v->n; i++)
    if (v->v[i] == s) return true;
  return false;
}

static const char *ident_text(const uf_node *n) {
  return uf_is(n, UF_IDENT) ? n->text : NULL;
}

static uf_node *kid(const uf_node *n, uf_slot s) { return uf_get(n, s); }

/* uf_set, inlined as uf_get reads (n is a node of the tree, so the
 * position table is filled): qualify attaches many identifiers. */
static void setk(Q *q, uf_node *n, uf_slot s, uf_node *c) {
  int i = n ? uf_slot_pos_[n->kind][s] : 0;
  if (i) n->kids[i - 1] = c;
  else q->oom = true;
}

static uf_node *mk(Q *q, uf_kind k) {
  uf_node *n = uf_node_new(q->t, k);
  if (!n) q->oom = true;
  return n;
}

/* uf_dialect_is_folded(name) for an interned name, remembered: the same
 * few names (sources, columns) are made into identifiers again and again. */
static bool is_folded(Q *q, const char *name) {
  uintptr_t p = (uintptr_t)name;
  size_t h = (size_t)((p ^ (p >> 6)) & (FOLD_CACHE - 1));
  if (q->fold[h].name != name) {
    q->fold[h].name = name;
    q->fold[h].folded = uf_dialect_is_folded(q->d, name);
  }
  return q->fold[h].folded;
}

/* An identifier for an already-normalized name, interned in the tree (as
 * every name qualify keeps is): case-significant text is marked QUOTED so
 * it survives re-folding. */
static uf_node *mk_ident(Q *q, const char *name) {
  uf_node *n = mk(q, UF_IDENT);
  if (!n) return NULL;
  n->text = name && name[0] ? name : q->empty;
  if (!is_folded(q, n->text)) n->flags |= UF_F_QUOTED;
  return n;
}

static uf_node *mk_col(Q *q, const char *tbl, const char *name,
                       const uf_node *pos) {
  uf_node *c = mk(q, UF_COLUMN);
  if (!c) return NULL;
  if (tbl) setk(q, c, UF_SLOT_TABLE, mk_ident(q, tbl));
  setk(q, c, UF_SLOT_THIS, mk_ident(q, name));
  if (pos) {
    c->line = pos->line;
    c->col = pos->col;
    c->offset = pos->offset;
  }
  return c;
}

static uf_node *mk_alias(Q *q, uf_node *e, const char *name) {
  uf_node *a = mk(q, UF_ALIAS);
  if (!a) return NULL;
  setk(q, a, UF_SLOT_THIS, e);
  setk(q, a, UF_SLOT_ALIAS, mk_ident(q, name));
  a->line = e ? e->line : 0;
  a->col = e ? e->col : 0;
  a->offset = e ? e->offset : 0;
  return a;
}

static uf_node *mk_list(Q *q) { return mk(q, UF_LIST); }

static void push(Q *q, uf_node *list, uf_node *item) {
  if (uf_list_push(q->t, list, item, NULL) != UF_OK) q->oom = true;
}

static uf_node *mk_bin(Q *q, uf_kind k, const char *op, uf_node *l,
                       uf_node *r) {
  uf_node *n = op ? uf_node_new_text(q->t, k, op, strlen(op)) : mk(q, k);
  if (!n) {
    q->oom = true;
    return NULL;
  }
  setk(q, n, UF_SLOT_LEFT, l);
  setk(q, n, UF_SLOT_RIGHT, r);
  return n;
}

/* -- issues ------------------------------------------------------------------- */

static void issue(Q *q, uf_qualify_issue_kind kind, const uf_node *at,
                  const char *name, const strv *cands, const char *fmt,
                  const char *arg) {
  if (q->nissues == q->capissues) {
    size_t cap = q->capissues ? q->capissues * 2 : 4;
    uf_qualify_issue *v = realloc(q->issues, cap * sizeof *v);
    if (!v) {
      q->oom = true;
      return;
    }
    q->issues = v;
    q->capissues = cap;
  }
  uf_qualify_issue *is = &q->issues[q->nissues++];
  memset(is, 0, sizeof *is);
  is->kind = kind;
  is->name = qintern(q, name ? name : "");
  char msg[UF_ERROR_MESSAGE_MAX - 160];
  snprintf(msg, sizeof msg, fmt, arg);
  char list[150] = "";
  if (cands && cands->n) {
    size_t len = 0;
    for (size_t i = 0; i < cands->n && len + 4 < sizeof list; i++)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                              i ? ", " : "", cands->v[i]);
    if (len >= sizeof list) memcpy(list + sizeof list - 4, "...", 4);
  }
  const char *sep = list[0] ? " (candidates: " : "";
  const char *end = list[0] ? ")" : "";
  if (q->o.sql && at && at->line)
    uf_error_set_at(&is->error, UF_SEMANTIC, q->o.sql, q->o.sql_len,
                    at->offset, at->line, at->col, "%s%s%s%s", msg, sep, list,
                    end);
  else {
    uf_error_set(&is->error, UF_SEMANTIC, "%s%s%s%s", msg, sep, list, end);
    if (at) {
      is->error.line = at->line;
      is->error.column = at->col;
    }
  }
  if (cands && cands->n) {
    const char **c = qalloc(q, cands->n * sizeof *c);
    if (c) {
      memcpy(c, cands->v, cands->n * sizeof *c);
      is->candidates = c;
      is->ncandidates = cands->n;
    }
  }
}

/* -- normalization -------------------------------------------------------------- */

/* Folds the text of identifier n as the dialect does. */
static void fold_ident(Q *q, uf_node *n) {
  size_t len = strlen(n->text);
  char small[128];
  char *buf = len < sizeof small ? small : malloc(len + 1);
  if (!buf) {
    q->oom = true;
    return;
  }
  uf_dialect_fold(q->d, n->text, buf);
  n->text = qintern(q, buf);
  if (buf != small) free(buf);
}

/* Folds an unquoted identifier as the dialect does (most need nothing). */
static inline void normalize_ident(Q *q, uf_node *n) {
  if (!(n->flags & UF_F_QUOTED) && !is_folded(q, n->text)) fold_ident(q, n);
}

/* -- scopes and sources ------------------------------------------------------------ */

/* A summary of a name (its length and first 8 bytes): names with different
 * keys differ, so a search compares the strings only when keys match. */
static uint64_t name_key(const char *s) {
  size_t len = strlen(s);
  uint64_t k = 0;
  if (len >= sizeof k) memcpy(&k, s, sizeof k); /* one load, the usual case */
  else memcpy(&k, s, len);
  return k ^ (uint64_t)len * 0x9E3779B97F4A7C15u;
}

/* One of 64 bits picked by a key: a source whose filter (the OR of its
 * columns' bits) lacks c's bit has no column c. */
static uint64_t key_bit(uint64_t key) {
  return (uint64_t)1 << ((key * 0x9E3779B97F4A7C15u) >> 58);
}

/* Whether source s has a column named c (interned; ckey = name_key(c)). */
static inline bool src_has(const src *s, const char *c, uint64_t ckey) {
  if (!s->raw_keys) return strv_has(&s->cols, c);
  if (!(s->raw_filter & key_bit(ckey))) return false;
  for (size_t i = 0; i < s->cols.n; i++)
    if (s->raw_keys[i] == ckey && !strcmp(s->cols.v[i], c)) return true;
  return false;
}

/* The columns of s as tree names: a schema table's are interned now. */
static const strv *src_cols(Q *q, src *s) {
  if (!s->raw_keys) return &s->cols;
  const char **v = qalloc(q, (s->cols.n + 1) * sizeof *v);
  if (!v) return &s->cols;
  for (size_t i = 0; i < s->cols.n; i++) v[i] = qintern(q, s->cols.v[i]);
  s->cols.v = v;
  s->raw_keys = NULL;
  return &s->cols;
}

static src *add_src(Q *q, scope *sc, const char *name, bool known) {
  if (sc->nsrc == sc->capsrc) {
    size_t cap = sc->capsrc ? sc->capsrc * 2 : 4;
    src *v = qalloc(q, cap * sizeof *v);
    if (!v) return NULL;
    if (sc->nsrc) memcpy(v, sc->srcs, sc->nsrc * sizeof *v);
    sc->srcs = v;
    sc->capsrc = cap;
  }
  src *s = &sc->srcs[sc->nsrc++];
  memset(s, 0, sizeof *s);
  s->name = name;
  s->known = known;
  return s;
}

static src *find_src(scope *sc, const char *name) {
  for (size_t i = 0; i < sc->nsrc; i++)
    if (sc->srcs[i].name == name) return &sc->srcs[i];
  return NULL;
}

static ugroup *find_group(scope *sc, const char *col) {
  for (size_t i = 0; i < sc->ngroups; i++)
    if (sc->groups[i].col == col) return &sc->groups[i];
  return NULL;
}

static ugroup *add_group(Q *q, scope *sc, const char *col) {
  if (sc->ngroups == sc->capgroups) {
    size_t cap = sc->capgroups ? sc->capgroups * 2 : 4;
    ugroup *v = qalloc(q, cap * sizeof *v);
    if (!v) return NULL;
    if (sc->ngroups) memcpy(v, sc->groups, sc->ngroups * sizeof *v);
    sc->groups = v;
    sc->capgroups = cap;
  }
  ugroup *g = &sc->groups[sc->ngroups++];
  memset(g, 0, sizeof *g);
  g->col = col;
  return g;
}

/* COALESCE(s1.col, s2.col, ...) of a USING group, or s1.col alone. */
static uf_node *group_expr(Q *q, const ugroup *g, const uf_node *pos) {
  if (g->members.n == 1) return mk_col(q, g->members.v[0], g->col, pos);
  uf_node *f = uf_node_new_text(q->t, UF_FUNC, "COALESCE", 8);
  uf_node *args = mk_list(q);
  if (!f || !args) {
    q->oom = true;
    return NULL;
  }
  for (size_t i = 0; i < g->members.n; i++)
    push(q, args, mk_col(q, g->members.v[i], g->col, pos));
  setk(q, f, UF_SLOT_ARGS, args);
  return f;
}

/* -- queries ---------------------------------------------------------------------- */

static void qualify_query(Q *q, uf_node *n, scope *parent, cte_env *env,
                          strv *out);
static void qualify_expr(Q *q, scope *sc, cte_env *env, uf_node **slot);

static cte_env *find_cte(cte_env *env, const char *name) {
  for (; env; env = env->next)
    if (env->name == name) return env;
  return NULL;
}

/* Renames the columns of a source per an alias column list t(a, b). */
static void apply_alias_cols(Q *q, src *s, const uf_node *alias) {
  uf_node *cols = kid(alias, UF_SLOT_COLUMNS);
  if (!uf_is(cols, UF_LIST)) return;
  src_cols(q, s);
  strv nv = {0};
  for (uint32_t i = 0; i < cols->nkids; i++) {
    const char *c = ident_text(cols->kids[i]);
    if (!c) {
      uf_node *cd = cols->kids[i];
      c = uf_is(cd, UF_COLUMN_DEF) ? ident_text(kid(cd, UF_SLOT_NAME)) : NULL;
    }
    strv_push(q, &nv, c ? c : q->empty);
  }
  /* columns past the alias list keep their names */
  for (size_t i = nv.n; i < s->cols.n; i++) strv_push(q, &nv, s->cols.v[i]);
  s->cols = nv;
  s->known = true;
}

static const char *alias_name(const uf_node *item) {
  uf_node *a = kid(item, UF_SLOT_ALIAS);
  if (uf_is(a, UF_TABLE_ALIAS)) return ident_text(kid(a, UF_SLOT_NAME));
  return ident_text(a);
}

static void set_table_alias(Q *q, uf_node *item, const char *name) {
  uf_node *a = mk(q, UF_TABLE_ALIAS);
  if (!a) return;
  setk(q, a, UF_SLOT_NAME, mk_ident(q, name));
  setk(q, item, UF_SLOT_ALIAS, a);
}

/* Adds the default db and catalog to a table name. */
static void qualify_table_name(Q *q, uf_node *n) {
  uf_node *db = kid(n, UF_SLOT_DB), *cat = kid(n, UF_SLOT_CATALOG);
  const char *dd = q->o.db ? q->o.db : uf_schema_default_db(q->s);
  const char *dc = q->o.catalog ? q->o.catalog : uf_schema_default_catalog(q->s);
  if (!db && dd && dd[0]) setk(q, n, UF_SLOT_DB, db = mk_ident(q, qintern(q, dd)));
  if (db && !cat && dc && dc[0])
    setk(q, n, UF_SLOT_CATALOG, mk_ident(q, qintern(q, dc)));
}

/* The columns of schema table st, in the schema's spellings (src_cols
 * interns them when needed); the arrays are shared by every source of st
 * and never written after. */
static void schema_cols(Q *q, src *s, const uf_schema_table *st) {
  size_t n = st->ncolumns, t = 0;
  while (t < q->ntables && q->tables[t].table != st) t++;
  if (t == q->ntables) {
    const char **v = qalloc(q, (n + 1) * sizeof *v);
    uint64_t *keys = qalloc(q, (n + 1) * sizeof *keys);
    if (!v || !keys) return;
    uint64_t filter = 0;
    for (size_t i = 0; i < n; i++) {
      v[i] = st->columns[i].name;
      keys[i] = name_key(v[i]);
      filter |= key_bit(keys[i]);
    }
    if (t == sizeof q->tables / sizeof q->tables[0]) t = 0; /* reuse a slot */
    else q->ntables++;
    q->tables[t].table = st;
    q->tables[t].names = v;
    q->tables[t].keys = keys;
    q->tables[t].filter = filter;
  }
  s->cols.v = q->tables[t].names;
  s->cols.n = s->cols.cap = n;
  s->raw_keys = q->tables[t].keys;
  s->raw_filter = q->tables[t].filter;
}

/* TABLE: a CTE reference or a schema table. */
static void add_table(Q *q, scope *sc, cte_env *env, uf_node *n) {
  const char *name = ident_text(kid(n, UF_SLOT_THIS));
  if (!name) return;
  uf_node *db = kid(n, UF_SLOT_DB), *cat = kid(n, UF_SLOT_CATALOG);
  const char *alias = alias_name(n);
  cte_env *cte = !db ? find_cte(env, name) : NULL;
  if (!alias) {
    /* the same table twice (t JOIN db2.t): later ones take t_2, t_3 ...
     * (CTE references keep the CTE's name, as SQLGlot does) */
    alias = name;
    for (unsigned k = 2; !cte && find_src(sc, alias) && k < 1000; k++) {
      char buf[512];
      snprintf(buf, sizeof buf, "%s_%u", name, k);
      alias = qintern(q, buf);
    }
    if (!q->o.no_alias_tables) set_table_alias(q, n, alias);
  }
  src *s;
  if (cte) {
    s = add_src(q, sc, alias, !strv_has(&cte->cols, q->star)); /* as derived tables */
    if (s) s->cols = cte->cols;
  } else {
    if (!q->o.no_qualify_tables) {
      qualify_table_name(q, n);
      db = kid(n, UF_SLOT_DB);
      cat = kid(n, UF_SLOT_CATALOG);
    }
    const uf_schema_table *st = NULL;
    if (q->s)
      uf_schema_find_table(q->s, cat ? ident_text(cat) : NULL,
                           db ? ident_text(db) : NULL, name, &st, NULL);
    if (!st && q->s && (db || cat))
      uf_schema_find_table(q->s, NULL, NULL, name, &st, NULL);
    s = add_src(q, sc, alias, st != NULL);
    if (s) {
      s->tname = name;
      s->tdb = db ? ident_text(db) : NULL;
      s->tcat = cat ? ident_text(cat) : NULL;
    }
    if (s && st) schema_cols(q, s, st);
  }
  if (s) apply_alias_cols(q, s, kid(n, UF_SLOT_ALIAS));
}

/* Whether every SELECT of query n can take the names nv as its first
 * projection aliases (a lone * over a table of unknown schema counts: it
 * becomes those columns). */
static bool can_push_names(const uf_node *n, size_t count) {
  if (uf_is(n, UF_QUERY_PAREN)) return can_push_names(kid(n, UF_SLOT_THIS), count);
  if (uf_is(n, UF_SET_OP))
    return can_push_names(kid(n, UF_SLOT_LEFT), count) &&
           can_push_names(kid(n, UF_SLOT_RIGHT), count);
  if (!uf_is(n, UF_SELECT)) return false;
  uf_node *exprs = kid(n, UF_SLOT_EXPRS);
  if (!exprs) return false;
  if (exprs->nkids == 1 && uf_is(exprs->kids[0], UF_STAR)) {
    uf_node *st = exprs->kids[0];
    uf_node *from = kid(n, UF_SLOT_FROM);
    return !kid(st, UF_SLOT_QUALIFIER) && !kid(st, UF_SLOT_EXCLUDE) &&
           !kid(st, UF_SLOT_REPLACE) && !kid(st, UF_SLOT_RENAME) &&
           uf_is(from, UF_TABLE) && alias_name(from);
  }
  if (exprs->nkids < count) return false;
  for (uint32_t i = 0; i < count; i++)
    if (!uf_is(exprs->kids[i], UF_ALIAS)) return false;
  return true;
}

/* Renames the first projections of every SELECT of n to nv (after
 * can_push_names). */
static void push_names(Q *q, uf_node *n, const strv *nv) {
  if (uf_is(n, UF_QUERY_PAREN)) {
    push_names(q, kid(n, UF_SLOT_THIS), nv);
    return;
  }
  if (uf_is(n, UF_SET_OP)) {
    push_names(q, kid(n, UF_SLOT_LEFT), nv);
    push_names(q, kid(n, UF_SLOT_RIGHT), nv);
    return;
  }
  uf_node *exprs = kid(n, UF_SLOT_EXPRS);
  if (exprs->nkids == 1 && uf_is(exprs->kids[0], UF_STAR)) {
    const char *t = alias_name(kid(n, UF_SLOT_FROM));
    uf_node *l = mk_list(q);
    for (size_t i = 0; l && i < nv->n; i++)
      push(q, l, mk_alias(q, mk_col(q, t, nv->v[i], exprs->kids[0]), nv->v[i]));
    if (l) setk(q, n, UF_SLOT_EXPRS, l);
    return;
  }
  for (size_t i = 0; i < nv->n; i++)
    setk(q, exprs->kids[i], UF_SLOT_ALIAS, mk_ident(q, nv->v[i]));
}

/* The names of an alias column list t(a, b). */
static void alias_col_names(Q *q, const uf_node *alias, strv *nv) {
  uf_node *cols = kid(alias, UF_SLOT_COLUMNS);
  for (uint32_t i = 0; cols && i < cols->nkids; i++) {
    const char *c = ident_text(cols->kids[i]);
    strv_push(q, nv, c ? c : q->empty);
  }
}

/* The index of c among keys (case-insensitively), or -1. */
static long key_index(const strv *keys, const char *c) {
  for (size_t i = 0; i < keys->n; i++)
    if (!strcasecmp(keys->v[i], c)) return (long)i;
  return -1;
}

/* DuckDB's column names for a derived table or CTE: a repeated name
 * (compared case-insensitively) takes _1, _2 ... as QueryResult::
 * DeduplicateColumns does, so the outer query can tell the columns apart.
 * Returns false (nv untouched) when nothing repeats or a name is unknown. */
static bool dedup_names(Q *q, const strv *in, strv *nv) {
  bool dup = false;
  for (size_t i = 0; i < in->n && !dup; i++) {
    if (!in->v[i][0] || !strcmp(in->v[i], "*")) return false;
    for (size_t k = 0; k < i && !dup; k++) dup = !strcasecmp(in->v[i], in->v[k]);
  }
  if (!dup) return false;
  strv keys = {0};
  size_t *cnt = qalloc(q, 2 * in->n * sizeof *cnt);
  if (!cnt) return false;
  for (size_t i = 0; i < in->n; i++) {
    const char *c = in->v[i];
    long ki = key_index(&keys, c);
    if (ki < 0) {
      cnt[keys.n] = 1;
      strv_push(q, &keys, c);
      strv_push(q, nv, c);
      continue;
    }
    char buf[600];
    for (;;) {
      snprintf(buf, sizeof buf, "%s_%zu", c, cnt[ki]);
      if (key_index(&keys, buf) < 0) break;
      cnt[ki]++;
    }
    const char *nn = qintern(q, buf);
    cnt[keys.n] = 1;
    strv_push(q, &keys, nn);
    strv_push(q, nv, nn);
  }
  return nv->n == in->n && !q->oom;
}

/* Renames output i of query n: the alias of its leftmost SELECT's i-th
 * projection (false when that is not a plain alias after expanded stars). */
static bool rename_output(Q *q, uf_node *n, size_t i, const char *name) {
  if (uf_is(n, UF_QUERY_PAREN)) return rename_output(q, kid(n, UF_SLOT_THIS), i, name);
  if (uf_is(n, UF_SET_OP))
    return !(n->flags & UF_F_BY_NAME) && rename_output(q, kid(n, UF_SLOT_LEFT), i, name);
  if (!uf_is(n, UF_SELECT)) return false;
  uf_node *exprs = kid(n, UF_SLOT_EXPRS);
  if (!exprs || i >= exprs->nkids) return false;
  for (size_t k = 0; k <= i; k++)
    if (!uf_is(exprs->kids[k], UF_ALIAS)) return false;
  setk(q, exprs->kids[i], UF_SLOT_ALIAS, mk_ident(q, name));
  return true;
}

/* Makes the repeated output names of query n (a derived table or CTE
 * body) distinct, as DuckDB names them, in cols and in n's projections:
 * SELECT * FROM (SELECT x.b, y.b ...) AS s then reads s.b and s.b_1. */
static void dedup_outputs(Q *q, uf_node *n, strv *cols) {
  strv nv = {0};
  if (q->o.only_tables || !dedup_names(q, cols, &nv)) return;
  for (size_t i = 0; i < nv.n; i++)
    if (strcmp(nv.v[i], cols->v[i])) rename_output(q, n, i, nv.v[i]);
  *cols = nv;
}

/* (query) with nothing but the query inside: redundant where parentheses
 * are already written (a derived table, another (query)). */
static bool bare_paren(const uf_node *n) {
  if (!uf_is(n, UF_QUERY_PAREN)) return false;
  int ti = uf_kind_slot_index(UF_QUERY_PAREN, UF_SLOT_THIS);
  for (uint32_t i = 0; i < n->nkids; i++)
    if ((int)i != ti && n->kids[i]) return false;
  return kid(n, UF_SLOT_THIS) != NULL;
}

/* (t1 JOIN t2) AS t, (tbl AS tbl) AS t: an aliased parenthesized source
 * becomes (SELECT * FROM ...) AS t, as SQLGlot's qualify_tables does. */
static void wrap_in_select(Q *q, uf_node *n) {
  uf_node *inner = kid(n, UF_SLOT_THIS);
  uf_node *sel = mk(q, UF_SELECT), *l = mk_list(q), *star = mk(q, UF_STAR);
  if (!sel || !l || !star) return;
  if (uf_is(inner, UF_JOIN)) inner->style &= ~(uint32_t)8; /* the SELECT's parens */
  push(q, l, star);
  setk(q, sel, UF_SLOT_EXPRS, l);
  setk(q, sel, UF_SLOT_FROM, inner);
  setk(q, n, UF_SLOT_THIS, sel);
}

/* A query used as a FROM item: DERIVED (LATERAL sees the scope so far). */
static void add_derived(Q *q, scope *sc, cte_env *env, uf_node *n) {
  while (bare_paren(kid(n, UF_SLOT_THIS)))
    setk(q, n, UF_SLOT_THIS, kid(kid(n, UF_SLOT_THIS), UF_SLOT_THIS));
  uf_node *in0 = kid(n, UF_SLOT_THIS);
  if (alias_name(n) && (uf_is(in0, UF_JOIN) || uf_is(in0, UF_TABLE) ||
                        uf_is(in0, UF_TABLE_FUNC) || uf_is(in0, UF_PIVOT)))
    wrap_in_select(q, n);
  uf_node *inner = kid(n, UF_SLOT_THIS);
  strv out = {0};
  scope *outer = (n->flags & UF_F_LATERAL) ? sc : sc->parent;
  if (uf_kind_category(inner->kind) == UF_CAT_QUERY)
    qualify_query(q, inner, outer, env, &out);
  /* generated after the inner query, so inner names number first (_0) */
  const char *alias = alias_name(n);
  if (!alias) {
    char buf[32];
    snprintf(buf, sizeof buf, "_%u", q->nq++);
    alias = qintern(q, buf);
    set_table_alias(q, n, alias);
  }
  /* outputs holding a star it could not expand ("*"): its columns are
   * unknown too, so no star above expands over it */
  src *s = add_src(q, sc, alias,
                   uf_kind_category(inner->kind) == UF_CAT_QUERY && !strv_has(&out, q->star));
  if (!s) return;
  s->cols = out;
  uf_node *a = kid(n, UF_SLOT_ALIAS);
  uf_node *vals = inner;
  while (uf_is(vals, UF_QUERY_PAREN)) vals = kid(vals, UF_SLOT_THIS);
  if (uf_is(vals, UF_VALUES) && uf_is(a, UF_TABLE_ALIAS) &&
      !kid(a, UF_SLOT_COLUMNS) && out.n && !q->o.only_tables) {
    /* VALUES: name its columns in the alias, as their references do */
    uf_node *l = mk_list(q);
    for (size_t i = 0; l && i < out.n; i++) push(q, l, mk_ident(q, out.v[i]));
    if (l) setk(q, a, UF_SLOT_COLUMNS, l);
  }
  apply_alias_cols(q, s, a);
  if (!q->o.only_tables && uf_is(a, UF_TABLE_ALIAS) &&
      uf_is(kid(a, UF_SLOT_COLUMNS), UF_LIST) && !uf_is(vals, UF_VALUES)) {
    /* AS s(a, b) over a query: push the names into its projections */
    strv nv = {0};
    alias_col_names(q, a, &nv);
    if (nv.n && can_push_names(inner, nv.n)) {
      push_names(q, inner, &nv);
      setk(q, a, UF_SLOT_COLUMNS, NULL);
    }
  }
  if (uf_kind_category(inner->kind) == UF_CAT_QUERY && !uf_is(vals, UF_VALUES))
    dedup_outputs(q, inner, &s->cols);
}

/* Set-returning functions whose rows are a single base-type value, in a
 * dialect (Postgres) where a table alias then also names the column. */
static bool scalar_set_func(const Q *q, const uf_node *f) {
  static const char *const names[] = {"generate_series", "generate_subscripts"};
  if (!uf_is(f, UF_FUNC) || q->d != uf_dialect_by_name("postgres")) return false;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcasecmp(f->text, names[i])) return true;
  return false;
}

/* UNNEST / table functions: columns only from the alias list. */
static void add_table_func(Q *q, scope *sc, cte_env *env, uf_node *n) {
  uf_node *f = kid(n, UF_SLOT_THIS);
  uf_node **args = NULL;
  if (f && uf_get(f, UF_SLOT_ARGS)) {
    int i = uf_kind_slot_index((uf_kind)f->kind, UF_SLOT_ARGS);
    if (i >= 0) args = &f->kids[i];
  }
  if (args && *args && !q->o.only_tables) {
    /* arguments: name = value options are not columns, and a name that
     * resolves nowhere is left as written (a function's own keyword) */
    bool partial = q->o.allow_partial;
    q->o.allow_partial = true;
    uf_node *l = *args;
    for (uint32_t i = 0; uf_is(l, UF_LIST) && i < l->nkids; i++) {
      uf_node *arg = l->kids[i];
      if (uf_is(arg, UF_BINARY) && !strcmp(arg->text, "=") &&
          uf_is(kid(arg, UF_SLOT_LEFT), UF_COLUMN) &&
          !kid(kid(arg, UF_SLOT_LEFT), UF_SLOT_TABLE)) {
        int ri = uf_kind_slot_index(UF_BINARY, UF_SLOT_RIGHT);
        qualify_expr(q, sc, env, &arg->kids[ri]);
      } else qualify_expr(q, sc, env, &l->kids[i]);
    }
    q->o.allow_partial = partial;
  }
  const char *alias = alias_name(n);
  uf_node *a = kid(n, UF_SLOT_ALIAS);
  bool has_cols = a && uf_is(kid(a, UF_SLOT_COLUMNS), UF_LIST);
  if (!has_cols && scalar_set_func(q, f) && !q->o.no_alias_tables) {
    /* Postgres: a function returning a base type has one column, named
     * by the table alias (or after the function); written out as
     * _N(column) so the name is explicit */
    char lower[128];
    size_t k = 0;
    for (; f->text[k] && k + 1 < sizeof lower; k++)
      lower[k] = (char)(f->text[k] >= 'A' && f->text[k] <= 'Z' ? f->text[k] + 32
                                                              : f->text[k]);
    lower[k] = '\0';
    const char *col = alias ? alias : qintern(q, lower);
    char buf[32];
    snprintf(buf, sizeof buf, "_%u", q->nq++);
    alias = qintern(q, buf);
    set_table_alias(q, n, alias);
    a = kid(n, UF_SLOT_ALIAS);
    uf_node *l = mk_list(q);
    push(q, l, mk_ident(q, col));
    if (a && l) setk(q, a, UF_SLOT_COLUMNS, l);
    has_cols = a && l;
  }
  if (!alias) {
    char buf[32];
    snprintf(buf, sizeof buf, "_%u", q->nq++);
    alias = qintern(q, buf);
    if (!q->o.no_alias_tables) set_table_alias(q, n, alias);
  }
  src *s = add_src(q, sc, alias, has_cols);
  if (s && has_cols) apply_alias_cols(q, s, a);
}

static void add_from(Q *q, scope *sc, cte_env *env, uf_node *n);

/* USING (c, ...) -> ON left.c = right.c AND ...; records the groups. */
static void using_to_on(Q *q, scope *sc, uf_node *join, size_t first_right,
                        bool semi, bool coalesce) {
  uf_node *using = kid(join, UF_SLOT_USING);
  uf_node *on = NULL;
  for (uint32_t i = 0; i < using->nkids; i++) {
    const char *c = ident_text(using->kids[i]);
    if (!c && uf_is(using->kids[i], UF_COLUMN))
      c = ident_text(kid(using->kids[i], UF_SLOT_THIS));
    if (!c) continue;
    uint64_t ckey = name_key(c);
    const char *right = NULL;
    for (size_t k = first_right; k < sc->nsrc && !right; k++)
      if (!sc->srcs[k].known || src_has(&sc->srcs[k], c, ckey))
        right = sc->srcs[k].name;
    ugroup *g = find_group(sc, c);
    uf_node *l = NULL;
    /* a later join on the same column compares with its first source;
     * a FULL or NATURAL one with the coalesced value (as SQLGlot does) */
    if (g) l = coalesce ? group_expr(q, g, using->kids[i])
                        : mk_col(q, g->members.v[0], c, using->kids[i]);
    else {
      for (size_t k = 0; k < first_right && !l; k++)
        if (!sc->srcs[k].hidden && sc->srcs[k].known &&
            src_has(&sc->srcs[k], c, ckey)) {
          g = add_group(q, sc, c);
          if (g) strv_push(q, &g->members, sc->srcs[k].name);
          l = mk_col(q, sc->srcs[k].name, c, using->kids[i]);
        }
      for (size_t k = 0; k < first_right && !l; k++)
        if (!sc->srcs[k].hidden && !sc->srcs[k].known) {
          g = add_group(q, sc, c);
          if (g) strv_push(q, &g->members, sc->srcs[k].name);
          l = mk_col(q, sc->srcs[k].name, c, using->kids[i]);
        }
    }
    if (!l || !right) {
      issue(q, UF_ISSUE_UNKNOWN_COLUMN, using->kids[i], c, NULL,
            "cannot resolve USING column %s", c);
      continue;
    }
    if (!semi) strv_push(q, &g->members, right);
    uf_node *eq = mk_bin(q, UF_BINARY, "=", l, mk_col(q, right, c, NULL));
    on = on ? mk_bin(q, UF_AND, NULL, on, eq) : eq;
  }
  if (on) {
    setk(q, join, UF_SLOT_USING, NULL);
    setk(q, join, UF_SLOT_ON, on);
  }
}

static void add_join(Q *q, scope *sc, cte_env *env, uf_node *n) {
  add_from(q, sc, env, kid(n, UF_SLOT_LEFT));
  size_t first_right = sc->nsrc;
  add_from(q, sc, env, kid(n, UF_SLOT_RIGHT));
  bool coalesce = (n->flags & UF_F_NATURAL) || !strcmp(n->text, "FULL");
  if (n->flags & UF_F_NATURAL) {
    /* NATURAL: USING every column the two sides share */
    uf_node *u = mk_list(q);
    for (size_t k = first_right; k < sc->nsrc; k++)
      for (size_t i = 0; i < src_cols(q, &sc->srcs[k])->n; i++) {
        const char *c = sc->srcs[k].cols.v[i];
        bool left = false;
        for (size_t j = 0; j < first_right; j++)
          left |= strv_has(src_cols(q, &sc->srcs[j]), c);
        if (left) push(q, u, mk_ident(q, c));
      }
    if (u && u->nkids) {
      setk(q, n, UF_SLOT_USING, u);
      n->flags &= ~(uint32_t)UF_F_NATURAL;
    }
  }
  if (sc->njoins == sc->capjoins) {
    size_t cap = sc->capjoins ? sc->capjoins * 2 : 4;
    const uf_node **jv = qalloc(q, cap * sizeof *jv);
    size_t *nv = qalloc(q, cap * sizeof *nv);
    if (jv && nv) {
      if (sc->njoins) {
        memcpy(jv, sc->joins, sc->njoins * sizeof *jv);
        memcpy(nv, sc->join_nsrc, sc->njoins * sizeof *nv);
      }
      sc->joins = jv;
      sc->join_nsrc = nv;
      sc->capjoins = cap;
    }
  }
  if (sc->njoins < sc->capjoins) {
    sc->joins[sc->njoins] = n;
    sc->join_nsrc[sc->njoins++] = sc->nsrc;
  }
  bool semi = !strcmp(n->text, "SEMI") || !strcmp(n->text, "ANTI");
  if (uf_is(kid(n, UF_SLOT_USING), UF_LIST))
    using_to_on(q, sc, n, first_right, semi, coalesce);
  /* SEMI/ANTI JOIN: the right side only filters */
  for (size_t k = first_right; semi && k < sc->nsrc; k++) sc->srcs[k].hidden = true;
}

/* The names of the columns referenced under n. */
static void collect_cols(Q *q, const uf_node *n, strv *v) {
  if (!n) return;
  if (uf_is(n, UF_COLUMN)) {
    const char *c = ident_text(kid(n, UF_SLOT_THIS));
    if (c) strv_push(q, v, c);
    return;
  }
  if (uf_is(n, UF_IDENT)) {
    strv_push(q, v, n->text);
    return;
  }
  for (uint32_t i = 0; i < n->nkids; i++) collect_cols(q, n->kids[i], v);
}

/* The name a PIVOT IN value gives its columns: its alias, else its text. */
static const char *pivot_value_name(const uf_node *v) {
  if (uf_is(v, UF_ALIAS)) return ident_text(kid(v, UF_SLOT_ALIAS));
  if (uf_is(v, UF_COLUMN)) return ident_text(kid(v, UF_SLOT_THIS));
  if (uf_is(v, UF_STRING) || uf_is(v, UF_NUMBER) || uf_is(v, UF_IDENT))
    return v->text;
  return NULL;
}

/* PIVOT output names: one per combination of the IN values (in order) and
 * aggregate, "v1_v2[_aggalias]". */
static bool pivot_names(Q *q, const uf_node *ins, uint32_t k, const char *prefix,
                        const uf_node *aggs, strv *out) {
  if (k == ins->nkids) {
    for (uint32_t a = 0; a < aggs->nkids; a++) {
      const uf_node *agg = aggs->kids[a];
      const char *an = uf_is(agg, UF_ALIAS) ? ident_text(kid(agg, UF_SLOT_ALIAS)) : NULL;
      if (!an && aggs->nkids > 1) return false;
      char buf[512];
      snprintf(buf, sizeof buf, "%s%s%s", prefix, an ? "_" : "", an ? an : "");
      strv_push(q, out, qintern(q, buf));
    }
    return true;
  }
  const uf_node *in = ins->kids[k];
  const uf_node *vals = uf_is(in, UF_PIVOT_IN) ? kid(in, UF_SLOT_LIST) : NULL;
  if (!uf_is(vals, UF_LIST)) return false;
  for (uint32_t i = 0; i < vals->nkids; i++) {
    const char *vn = pivot_value_name(vals->kids[i]);
    if (!vn) return false;
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s%s", prefix, k ? "_" : "", vn);
    if (!pivot_names(q, ins, k + 1, qintern(q, buf), aggs, out)) return false;
  }
  return true;
}

/* Output columns of one standard-form PIVOT/UNPIVOT over columns cols. */
static bool pivot_cols(Q *q, const uf_node *p, strv *cols) {
  const uf_node *ins = kid(p, UF_SLOT_PIVOT_ON), *use = kid(p, UF_SLOT_PIVOT_USING);
  if (p->style == 1 || !uf_is(ins, UF_LIST) || !uf_is(use, UF_LIST)) return false;
  strv drop = {0}, out = {0};
  bool unpivot = !strcmp(p->text, "UNPIVOT");
  for (uint32_t i = 0; i < ins->nkids; i++) {
    if (!uf_is(ins->kids[i], UF_PIVOT_IN)) return false;
    if (unpivot) collect_cols(q, kid(ins->kids[i], UF_SLOT_LIST), &drop);
    else collect_cols(q, kid(ins->kids[i], UF_SLOT_THIS), &drop);
  }
  if (!unpivot) collect_cols(q, use, &drop);
  for (size_t i = 0; i < cols->n; i++)
    if (!strv_has(&drop, cols->v[i])) strv_push(q, &out, cols->v[i]);
  if (unpivot) {
    for (uint32_t i = 0; i < ins->nkids; i++)
      collect_cols(q, kid(ins->kids[i], UF_SLOT_THIS), &out);
    collect_cols(q, use, &out);
  } else if (!pivot_names(q, ins, 0, "", use, &out)) return false;
  *cols = out;
  return true;
}

/* t PIVOT (...) [UNPIVOT (...)]... [AS a]: the source is qualified on its
 * own; the chain's columns follow from it. Without an alias the chain is
 * named after its source (UNPIVOT) or a generated name (PIVOT). */
static void add_pivot(Q *q, scope *sc, cte_env *env, uf_node *n) {
  uf_node *chain[64];
  size_t depth = 0;
  uf_node *base = n;
  while (uf_is(base, UF_PIVOT) && depth < 64) {
    chain[depth++] = base;
    base = kid(base, UF_SLOT_THIS);
  }
  scope tmp = {0};
  tmp.parent = sc->parent;
  add_from(q, &tmp, env, base);
  src *b = tmp.nsrc == 1 ? &tmp.srcs[0] : NULL;
  strv cols = {0};
  bool known = b && b->known && !uf_is(base, UF_PIVOT);
  if (b) cols = *src_cols(q, b);
  for (size_t k = depth; known && k-- > 0;) known = pivot_cols(q, chain[k], &cols);
  const char *alias = alias_name(n);
  if (!alias) {
    if (!strcmp(n->text, "UNPIVOT") && b && b->name[0]) alias = b->name;
    else {
      char buf[32];
      snprintf(buf, sizeof buf, "_%u", q->nq++);
      alias = qintern(q, buf);
    }
    if (!q->o.no_alias_tables) set_table_alias(q, n, alias);
  }
  src *s = add_src(q, sc, alias, known);
  if (s && known) s->cols = cols;
}

static void add_from(Q *q, scope *sc, cte_env *env, uf_node *n) {
  if (!n || q->oom) return;
  switch ((uf_kind)n->kind) {
  case UF_TABLE: add_table(q, sc, env, n); break;
  case UF_DERIVED:
    if (uf_is(kid(n, UF_SLOT_THIS), UF_JOIN) && !alias_name(n))
      add_join(q, sc, env, kid(n, UF_SLOT_THIS));
    else add_derived(q, sc, env, n);
    break;
  case UF_TABLE_FUNC: add_table_func(q, sc, env, n); break;
  case UF_JOIN: add_join(q, sc, env, n); break;
  case UF_PIVOT: add_pivot(q, sc, env, n); break;
  default: {
    const char *alias = alias_name(n);
    src *s = add_src(q, sc, alias ? alias : q->empty, false);
    (void)s;
  }
  }
}

/* Qualifies the ON conditions of joins once all sources are known. */
static void qualify_joins(Q *q, scope *sc, cte_env *env, uf_node *n) {
  if (!n) return;
  if (uf_is(n, UF_DERIVED) && uf_is(kid(n, UF_SLOT_THIS), UF_JOIN))
    n = kid(n, UF_SLOT_THIS);
  if (!uf_is(n, UF_JOIN)) return;
  qualify_joins(q, sc, env, kid(n, UF_SLOT_LEFT));
  qualify_joins(q, sc, env, kid(n, UF_SLOT_RIGHT));
  int i = uf_kind_slot_index(UF_JOIN, UF_SLOT_ON);
  if (!n->kids[i]) return;
  size_t all = sc->nsrc;
  for (size_t k = 0; k < sc->njoins; k++)
    if (sc->joins[k] == n) sc->nsrc = sc->join_nsrc[k];
  qualify_expr(q, sc, env, &n->kids[i]);
  sc->nsrc = all;
}

/* -- columns ---------------------------------------------------------------------- */

typedef struct ectx {
  Q *q;
  scope *sc;
  cte_env *env;
  /* alias expansion: output alias -> qualified expression */
  const strv *anames;
  uf_node **aexprs;
  bool alias_first; /* HAVING/QUALIFY: an alias wins over a source column */
  bool alias_keep;  /* ORDER BY: an alias reference stays a bare name */
  bool literal_index; /* GROUP BY: an alias of a constant becomes its ordinal */
  int in_agg;         /* depth of aggregate calls around the current node */
  uf_node *parent;    /* parent of the node being walked (for parentheses) */
  bool expanded;      /* set when an alias reference was expanded */
  strv lparams;       /* parameters of the enclosing lambdas */
} ectx;

/* A constant expression: no column, no query (-0, - -5, 'a' || 'b',
 * NULL). In GROUP BY it must stay a position: DuckDB folds it to a
 * literal, which GROUP BY reads as another position (or rejects). */
static bool is_const(const uf_node *n) {
  if (!n) return true;
  if (uf_is(n, UF_COLUMN) || uf_is(n, UF_STAR) ||
      uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY)
    return false;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (!is_const(n->kids[i])) return false;
  return true;
}

/* Aggregate functions: a column inside one never expands to an output alias
 * whose expression is itself an aggregate (SUM(a) with a = SUM(x.a)). */
static bool is_agg_func(const uf_node *n) {
  static const char *const names[] = {
      "any_value", "approx_count_distinct", "approx_quantile", "arg_max",
      "arg_min", "array_agg", "avg", "bit_and", "bit_or", "bit_xor",
      "bool_and", "bool_or", "count", "count_if", "first", "group_concat",
      "last", "list", "max", "max_by", "median", "min", "min_by", "mode",
      "product", "quantile", "quantile_cont", "quantile_disc", "stddev",
      "stddev_pop", "stddev_samp", "string_agg", "sum", "var_pop",
      "var_samp", "variance"};
  if (!uf_is(n, UF_FUNC) || kid(n, UF_SLOT_OVER)) return false;
  /* the first letter, case-folded, rules out most names cheaply */
  char first = (char)(n->text[0] | 0x20);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i][0] == first && !strcasecmp(n->text, names[i])) return true;
  return false;
}

static bool contains_agg(const uf_node *n) {
  if (!n) return false;
  if (is_agg_func(n)) return true;
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) return false;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (contains_agg(n->kids[i])) return true;
  return false;
}

/* An expanded alias keeps parentheses only where precedence needs them
 * (as SQLGlot's simplify_parens decides): a binary operation under a
 * binary operation, unless both are + (or both *), or * under + / -. */
static bool is_predicate(const uf_node *n) {
  if (uf_is(n, UF_BINARY)) {
    const char *o = n->text;
    return !strcmp(o, "=") || !strcmp(o, "<>") || !strcmp(o, "!=") ||
           !strcmp(o, "<") || !strcmp(o, ">") || !strcmp(o, "<=") ||
           !strcmp(o, ">=") || !strcmp(o, "==");
  }
  return uf_is(n, UF_LIKE) || uf_is(n, UF_IS) || uf_is(n, UF_IS_DISTINCT) ||
         uf_is(n, UF_BETWEEN) || uf_is(n, UF_IN);
}

static bool is_binaryish(const uf_node *n) {
  return uf_is(n, UF_BINARY) || uf_is(n, UF_AND) || uf_is(n, UF_OR) ||
         uf_is(n, UF_LIKE) || uf_is(n, UF_IS) || uf_is(n, UF_IS_DISTINCT);
}

static bool needs_paren(const uf_node *e, const uf_node *parent) {
  if (!parent || !e) return false;
  bool ppred = is_predicate(parent);
  if (!(is_binaryish(parent) || uf_is(parent, UF_NOT) || ppred)) return false;
  if (!is_binaryish(e) && !((uf_is(e, UF_NOT) || uf_is(e, UF_IS)) && ppred))
    return false;
  if (is_predicate(e) && !ppred) return false;
  if (uf_is(e, UF_BINARY) && uf_is(parent, UF_BINARY)) {
    const char *a = e->text, *b = parent->text;
    if (!strcmp(a, "+") && !strcmp(b, "+")) return false;
    if (!strcmp(a, "*") && !strcmp(b, "*")) return false;
    if (!strcmp(a, "*") && (!strcmp(b, "+") || !strcmp(b, "-"))) return false;
  }
  return true;
}

static void all_candidates(Q *q, scope *sc, strv *out) {
  for (size_t i = 0; i < sc->nsrc; i++) {
    const strv *cols = src_cols(q, &sc->srcs[i]);
    for (size_t k = 0; k < cols->n; k++)
      if (!strv_has(out, cols->v[k])) strv_push(q, out, cols->v[k]);
  }
}

/* Finds the single source of column c in sc; *amb set when several. */
static src *resolve_in(scope *sc, const char *c, int *count) {
  src *hit = NULL;
  uint64_t ckey = name_key(c);
  *count = 0;
  for (size_t i = 0; i < sc->nsrc; i++)
    if (sc->srcs[i].known && src_has(&sc->srcs[i], c, ckey)) {
      if (!hit) hit = &sc->srcs[i];
      (*count)++;
    }
  return hit;
}

static uf_node *alias_ref(ectx *x, const char *c, size_t *index) {
  if (!x->anames) return NULL;
  for (size_t i = 0; i < x->anames->n; i++)
    if (x->aexprs[i] && x->anames->v[i] == c) {
      /* inside an aggregate, an aggregate alias is not expanded */
      if (x->in_agg && contains_agg(x->aexprs[i])) return NULL;
      if (index) *index = i;
      return x->aexprs[i];
    }
  return NULL;
}

/* The expansion of an alias reference: a copy of its expression, in
 * parentheses where the context needs them; in GROUP BY a literal becomes
 * the projection's ordinal. */
static uf_node *expand_alias(ectx *x, uf_node *ae, size_t index) {
  Q *q = x->q;
  x->expanded = true;
  /* the whole GROUP BY item (perhaps in parentheses) names a constant */
  if (x->literal_index && is_const(ae) &&
      (uf_is(x->parent, UF_LIST) || uf_is(x->parent, UF_PAREN))) {
    uf_node *num = mk(q, UF_NUMBER);
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", index + 1);
    if (num) num->text = qintern(q, buf);
    return num;
  }
  uf_node *c = uf_node_copy(q->t, ae);
  if (c && needs_paren(c, x->parent)) {
    uf_node *p = mk(q, UF_PAREN);
    if (!p) return c;
    setk(q, p, UF_SLOT_THIS, c);
    return p;
  }
  return c;
}

/* Returns the replacement for an unqualified column reference. */
static uf_node *resolve_bare(ectx *x, uf_node *col, const char *c) {
  Q *q = x->q;
  size_t ai = 0;
  uf_node *ae = alias_ref(x, c, &ai);
  if (ae && (x->alias_first || x->alias_keep)) {
    if (x->alias_keep) return col;
    return expand_alias(x, ae, ai);
  }
  for (scope *sc = x->sc; sc; sc = sc->parent) {
    ugroup *g = find_group(sc, c);
    if (g) return group_expr(q, g, col);
    int count;
    src *s = resolve_in(sc, c, &count);
    if (count > 1) {
      strv cands = {0};
      for (size_t i = 0; i < sc->nsrc; i++)
        if (src_has(&sc->srcs[i], c, name_key(c)))
          strv_push(q, &cands, sc->srcs[i].name);
      issue(q, UF_ISSUE_AMBIGUOUS_COLUMN, col, c, &cands,
            "ambiguous column %s", c);
      return col;
    }
    if (s) {
      setk(q, col, UF_SLOT_TABLE, mk_ident(q, s->name));
      return col;
    }
    if (ae) return expand_alias(x, ae, ai);
    ae = NULL;
    /* a lone source without a known schema takes the column */
    if (sc == x->sc) {
      size_t unknown = 0;
      src *u = NULL;
      for (size_t i = 0; i < sc->nsrc; i++)
        if (!sc->srcs[i].known) {
          unknown++;
          u = &sc->srcs[i];
        }
      if (unknown == 1 && u->name[0]) {
        setk(q, col, UF_SLOT_TABLE, mk_ident(q, u->name));
        return col;
      }
      if (unknown > 1) {
        if (!q->o.allow_partial)
          issue(q, UF_ISSUE_AMBIGUOUS_COLUMN, col, c, NULL,
                "column %s could belong to several tables of unknown schema",
                c);
        return col;
      }
    }
  }
  /* a bare source name is the source's whole row (SELECT t FROM t) */
  for (scope *sc = x->sc; sc; sc = sc->parent) {
    src *ts = find_src(sc, c);
    if (ts && !ts->tname) return col; /* CTEs and derived tables only */
  }
  if (!q->o.allow_partial) {
    strv cands = {0};
    all_candidates(q, x->sc, &cands);
    issue(q, UF_ISSUE_UNKNOWN_COLUMN, col, c, &cands,
          "column %s could not be resolved", c);
  }
  return col;
}

/* db.t.c / cat.db.t.c naming a table in scope: becomes alias.c. */
static bool db_qualified_ref(Q *q, scope *sc0, uf_node *col) {
  const char *t = ident_text(kid(col, UF_SLOT_TABLE));
  const char *db = ident_text(kid(col, UF_SLOT_DB));
  const char *cat = ident_text(kid(col, UF_SLOT_CATALOG));
  if (!t || !db) return false;
  for (scope *sc = sc0; sc; sc = sc->parent)
    for (size_t i = 0; i < sc->nsrc; i++) {
      src *s = &sc->srcs[i];
      if (!s->tname || strcmp(s->tname, t) || !s->tdb || strcmp(s->tdb, db))
        continue;
      if (cat && (!s->tcat || strcmp(s->tcat, cat))) continue;
      setk(q, col, UF_SLOT_CATALOG, NULL);
      setk(q, col, UF_SLOT_DB, NULL);
      setk(q, col, UF_SLOT_TABLE, mk_ident(q, s->name));
      return true;
    }
  return false;
}

/* Rewrites db-qualified column references under n (qualify_tables). */
static void db_refs_walk(Q *q, scope *sc, uf_node *n) {
  if (!n || uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) return;
  if (uf_is(n, UF_COLUMN)) {
    if (kid(n, UF_SLOT_DB)) db_qualified_ref(q, sc, n);
    return;
  }
  for (uint32_t i = 0; i < n->nkids; i++) db_refs_walk(q, sc, n->kids[i]);
}

/* t.c: t must be a source in scope (or an outer one). */
static uf_node *resolve_qualified(ectx *x, uf_node *col, const char *t,
                                  const char *c) {
  Q *q = x->q;
  if (kid(col, UF_SLOT_DB) && db_qualified_ref(q, x->sc, col)) return col;
  for (scope *sc = x->sc; sc; sc = sc->parent) {
    src *s = find_src(sc, t);
    if (!s) continue;
    if (s->known && !src_has(s, c, name_key(c)))
      issue(q, UF_ISSUE_UNKNOWN_COLUMN, col, c, src_cols(q, s),
            "column %s not found in its table", c);
    return col;
  }
  /* a.b.c where a is a column (of a known source, or of the lone source
   * of unknown schema): struct field access a.b.c on that source */
  uf_node *parts[4];
  size_t np = 0;
  static const uf_slot order[4] = {UF_SLOT_CATALOG, UF_SLOT_DB, UF_SLOT_TABLE,
                                   UF_SLOT_THIS};
  for (size_t i = 0; i < 4; i++)
    if (kid(col, order[i])) parts[np++] = kid(col, order[i]);
  const char *first = ident_text(parts[0]);
  /* src.a.b...: already qualified, a is the column of source src */
  for (scope *sc = x->sc; first && np >= 3 && sc; sc = sc->parent)
    if (find_src(sc, first)) {
      uf_node *e = mk_col(q, first, ident_text(parts[1]), col);
      for (size_t i = 2; e && i < np; i++) {
        uf_node *dot = mk(q, UF_DOT);
        if (!dot) return col;
        setk(q, dot, UF_SLOT_THIS, e);
        setk(q, dot, UF_SLOT_NAME, parts[i]);
        e = dot;
      }
      return e ? e : col;
    }
  int count;
  src *s = first ? resolve_in(x->sc, first, &count) : NULL;
  if (s && count != 1) s = NULL;
  if (!s && first) {
    src *u = NULL;
    size_t unknown = 0;
    for (size_t i = 0; i < x->sc->nsrc; i++)
      if (!x->sc->srcs[i].known) {
        unknown++;
        u = &x->sc->srcs[i];
      }
    if (unknown == 1 && u->name[0]) s = u;
  }
  if (s && np >= 2) {
    uf_node *e = mk_col(q, s->name, first, col);
    for (size_t i = 1; e && i < np; i++) {
      uf_node *dot = mk(q, UF_DOT);
      if (!dot) return col;
      setk(q, dot, UF_SLOT_THIS, e);
      setk(q, dot, UF_SLOT_NAME, parts[i]);
      e = dot;
    }
    return e ? e : col;
  }
  strv cands = {0};
  for (scope *sc = x->sc; sc; sc = sc->parent)
    for (size_t i = 0; i < sc->nsrc; i++) strv_push(q, &cands, sc->srcs[i].name);
  issue(q, UF_ISSUE_UNKNOWN_TABLE, col, t, &cands, "unknown table %s", t);
  return col;
}

static void walk_expr(ectx *x, uf_node **slot);

static void walk_kids(ectx *x, uf_node *n) {
  uf_node *saved = x->parent;
  bool agg = is_agg_func(n);
  x->in_agg += agg;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (n->kids[i]) {
      x->parent = n;
      walk_expr(x, &n->kids[i]);
    }
  x->parent = saved;
  x->in_agg -= agg;
}

static void walk_expr(ectx *x, uf_node **slot) {
  uf_node *n = *slot;
  Q *q = x->q;
  if (!n || q->oom) return;
  if (uf_is(n, UF_COLUMN)) {
    const char *c = ident_text(kid(n, UF_SLOT_THIS));
    const char *t = ident_text(kid(n, UF_SLOT_TABLE));
    if (!c) return;
    /* a lambda parameter (or a field of one) is not a column */
    if (strv_has(&x->lparams, t ? t : c) && !kid(n, UF_SLOT_DB)) return;
    *slot = t ? resolve_qualified(x, n, t, c) : resolve_bare(x, n, c);
    return;
  }
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) {
    /* a subquery: its own scope, correlated to this one */
    strv out = {0};
    qualify_query(q, n, x->sc, x->env, &out);
    return;
  }
  if (uf_is(n, UF_LAMBDA)) {
    /* the body sees the parameters, and the columns of the scope */
    uf_node *ps = kid(n, UF_SLOT_PARAMS);
    size_t saved = x->lparams.n;
    for (uint32_t i = 0; ps && i < ps->nkids; i++) {
      const char *pn = ident_text(ps->kids[i]);
      if (pn) strv_push(q, &x->lparams, pn);
    }
    int bi = uf_kind_slot_index(UF_LAMBDA, UF_SLOT_BODY);
    if (bi >= 0 && n->kids[bi]) {
      uf_node *sp = x->parent;
      x->parent = n;
      walk_expr(x, &n->kids[bi]);
      x->parent = sp;
    }
    x->lparams.n = saved;
    return;
  }
  if (uf_is(n, UF_STAR)) return;
  walk_kids(x, n);
}

static void qualify_expr(Q *q, scope *sc, cte_env *env, uf_node **slot) {
  ectx x = {q, sc, env, NULL, NULL, false, false, false, 0, NULL, false, {0}};
  walk_expr(&x, slot);
}

/* -- stars -------------------------------------------------------------------------- */

static bool star_excluded(const uf_node *star, const char *c) {
  uf_node *ex = kid(star, UF_SLOT_EXCLUDE);
  if (!ex) return false;
  for (uint32_t i = 0; i < ex->nkids; i++) {
    const uf_node *e = ex->kids[i];
    const char *name = uf_is(e, UF_COLUMN) ? ident_text(kid(e, UF_SLOT_THIS))
                                           : ident_text(e);
    if (name && !strcmp(name, c)) return true;
  }
  return false;
}

static uf_node *star_replaced(const uf_node *star, const char *c) {
  uf_node *re = kid(star, UF_SLOT_REPLACE);
  if (!re) return NULL;
  for (uint32_t i = 0; i < re->nkids; i++) {
    uf_node *a = re->kids[i];
    if (uf_is(a, UF_ALIAS) && !strcmp(ident_text(kid(a, UF_SLOT_ALIAS)) ?
                                          ident_text(kid(a, UF_SLOT_ALIAS)) : "",
                                      c))
      return a;
  }
  return NULL;
}

/* * RENAME (c AS n): the new output name of column c, or NULL. */
static const char *star_renamed(const uf_node *star, const char *c) {
  uf_node *rn = kid(star, UF_SLOT_RENAME);
  for (uint32_t i = 0; rn && i < rn->nkids; i++) {
    uf_node *a = rn->kids[i];
    if (!uf_is(a, UF_ALIAS)) continue;
    uf_node *from = kid(a, UF_SLOT_THIS);
    const char *name = uf_is(from, UF_COLUMN) ? ident_text(kid(from, UF_SLOT_THIS))
                                              : ident_text(from);
    if (name && !strcmp(name, c)) return ident_text(kid(a, UF_SLOT_ALIAS));
  }
  return NULL;
}

/* Renames the last item of list per the star's RENAME. */
static void rename_last(Q *q, const uf_node *star, uf_node *list,
                        const char *c) {
  const char *nn = star_renamed(star, c);
  if (!nn || !list || !list->nkids) return;
  uf_node *last = list->kids[list->nkids - 1];
  if (uf_is(last, UF_ALIAS)) setk(q, last, UF_SLOT_ALIAS, mk_ident(q, nn));
}

/* Appends the columns of source s (or of every source) to list. */
static bool expand_star(Q *q, scope *sc, uf_node *star, uf_node *list,
                        strv *done_groups) {
  const uf_node *qual = kid(star, UF_SLOT_QUALIFIER);
  const char *qname = NULL;
  if (qual) {
    qname = uf_is(qual, UF_COLUMN) ? ident_text(kid(qual, UF_SLOT_THIS))
                                   : ident_text(qual);
    if (uf_is(qual, UF_COLUMN) && kid(qual, UF_SLOT_TABLE)) return false;
    if (!qname) return false;
  }
  bool any = false;
  for (size_t i = 0; i < sc->nsrc; i++) {
    src *s = &sc->srcs[i];
    if (qname && strcmp(s->name, qname)) continue;
    if (!qname && s->hidden) continue;
    any = true;
    if (!s->known) return false;
    src_cols(q, s);
    for (size_t k = 0; k < s->cols.n; k++) {
      const char *c = s->cols.v[k];
      if (star_excluded(star, c)) continue;
      uf_node *r = star_replaced(star, c);
      if (r) {
        push(q, list, uf_node_copy(q->t, r));
        rename_last(q, star, list, c);
        continue;
      }
      ugroup *g = find_group(sc, c);
      if (g && strv_has(&g->members, s->name)) {
        if (strv_has(done_groups, c)) continue;
        strv_push(q, done_groups, c);
        push(q, list, mk_alias(q, group_expr(q, g, star), c));
        rename_last(q, star, list, c);
        continue;
      }
      push(q, list, mk_alias(q, mk_col(q, s->name, c, star), c));
      rename_last(q, star, list, c);
    }
  }
  /* SELECT * without sources, or a star every column of which is
   * excluded: left as written (an empty select list is no SQL). */
  if (!qname && !any) return false;
  if (qname && !any) {
    strv cands = {0};
    for (size_t i = 0; i < sc->nsrc; i++) strv_push(q, &cands, sc->srcs[i].name);
    issue(q, UF_ISSUE_UNKNOWN_TABLE, star, qname, &cands, "unknown table %s",
          qname);
    return false;
  }
  return true;
}

/* Expands the stars of sel's projections; returns, per projection of the
 * new list, whether it came from a star (NULL when none did). */
static bool *expand_stars(Q *q, scope *sc, uf_node *sel) {
  uf_node *exprs = kid(sel, UF_SLOT_EXPRS);
  if (!exprs || q->o.no_expand_stars) return NULL;
  bool has = false;
  for (uint32_t i = 0; i < exprs->nkids; i++) has |= uf_is(exprs->kids[i], UF_STAR);
  if (!has) return NULL;
  uf_node *nl = mk_list(q);
  if (!nl) return NULL;
  nl->line = exprs->line;
  nl->col = exprs->col;
  strv done = {0};
  for (uint32_t i = 0; i < exprs->nkids; i++) {
    uf_node *e = exprs->kids[i];
    if (!uf_is(e, UF_STAR)) {
      push(q, nl, e);
      continue;
    }
    uint32_t before = nl->nkids;
    if (!expand_star(q, sc, e, nl, &done)) {
      nl->nkids = before;
      push(q, nl, e);
    }
  }
  setk(q, sel, UF_SLOT_EXPRS, nl);
  /* a second pass marks what the stars produced */
  bool *starred = qalloc(q, (nl->nkids + 1) * sizeof *starred);
  if (!starred) return NULL;
  memset(starred, 0, (nl->nkids + 1) * sizeof *starred);
  uint32_t k = 0;
  for (uint32_t i = 0; i < exprs->nkids && k < nl->nkids; i++) {
    if (nl->kids[k] == exprs->kids[i]) {
      k++;
      continue;
    }
    /* nodes up to the next original projection came from this star */
    while (k < nl->nkids &&
           (i + 1 >= exprs->nkids || nl->kids[k] != exprs->kids[i + 1]))
      starred[k++] = true;
  }
  return starred;
}

/* -- projections -------------------------------------------------------------------- */

/* The name a projection outputs without an alias ("" if none). */
static const char *output_name(const uf_node *e) {
  switch ((uf_kind)e->kind) {
  case UF_ALIAS: return ident_text(kid(e, UF_SLOT_ALIAS));
  case UF_COLUMN: return ident_text(kid(e, UF_SLOT_THIS));
  case UF_DOT: return ident_text(kid(e, UF_SLOT_NAME));
  case UF_CAST: return kid(e, UF_SLOT_THIS) ? output_name(kid(e, UF_SLOT_THIS)) : NULL;
  case UF_NUMBER: case UF_STRING: return e->text;
  default: return NULL;
  }
}

static void alias_projections(Q *q, uf_node *sel, strv *out) {
  uf_node *exprs = kid(sel, UF_SLOT_EXPRS);
  if (!exprs) return;
  for (uint32_t i = 0; i < exprs->nkids; i++) {
    uf_node *e = exprs->kids[i];
    if (uf_is(e, UF_STAR)) {
      strv_push(q, out, q->star);
      continue;
    }
    const char *name = output_name(e);
    char buf[32];
    if (!name || !name[0]) {
      snprintf(buf, sizeof buf, "_col_%u", i);
      name = qintern(q, buf);
    }
    if (!uf_is(e, UF_ALIAS)) exprs->kids[i] = mk_alias(q, e, name);
    strv_push(q, out, name);
  }
}


static uint32_t ordinal(const uf_node *n) {
  if (!uf_is(n, UF_NUMBER)) return 0;
  uint32_t v = 0;
  for (const char *p = n->text; *p; p++) {
    if (*p < '0' || *p > '9' || v > 100000) return 0;
    v = v * 10 + (uint32_t)(*p - '0');
  }
  return v;
}

/* GROUP BY k -> the k-th projection's expression, unless a constant
 * (is_const) or a subquery. */
static void group_ordinals(Q *q, uf_node *sel, uf_node *list) {
  uf_node *exprs = kid(sel, UF_SLOT_EXPRS);
  for (uint32_t i = 0; list && exprs && i < list->nkids; i++) {
    uint32_t k = ordinal(list->kids[i]);
    if (!k) continue;
    if (k > exprs->nkids) {
      issue(q, UF_ISSUE_INVALID, list->kids[i], list->kids[i]->text, NULL,
            "GROUP BY position %s is out of range", list->kids[i]->text);
      continue;
    }
    uf_node *e = exprs->kids[k - 1];
    if (uf_is(e, UF_ALIAS)) e = kid(e, UF_SLOT_THIS);
    /* a constant or a subquery stays a position (no duplicated query) */
    if (!is_const(e) && !uf_is(e, UF_SUBQUERY))
      list->kids[i] = uf_node_copy(q->t, e);
  }
}

/* How many outputs are named c (as DuckDB compares: case-insensitively). */
static size_t name_count(const strv *out, const char *c) {
  size_t n = 0;
  for (size_t i = 0; i < out->n; i++) n += !strcasecmp(out->v[i], c);
  return n;
}

/* ORDER BY k -> the k-th output name, when no other output has that name
 * (SELECT x.b, y.b ... ORDER BY 2 keeps its position). */
static void order_ordinals(Q *q, const strv *out, uf_node *list) {
  for (uint32_t i = 0; list && i < list->nkids; i++) {
    uf_node *o = list->kids[i];
    uf_node **slot = uf_is(o, UF_ORDERED) ? &o->kids[0] : &list->kids[i];
    uint32_t k = ordinal(*slot);
    if (!k) continue;
    if (k > out->n) {
      issue(q, UF_ISSUE_INVALID, *slot, (*slot)->text, NULL,
            "ORDER BY position %s is out of range", (*slot)->text);
      continue;
    }
    if (name_count(out, out->v[k - 1]) != 1) continue;
    *slot = mk_col(q, NULL, out->v[k - 1], *slot);
  }
}

/* Processes WITH: each CTE qualified in turn; column lists pushed into the
 * CTE query's projection aliases. */
static cte_env *qualify_with(Q *q, uf_node *with, scope *parent,
                             cte_env *env) {
  uf_node *ctes = kid(with, UF_SLOT_CTES);
  bool recursive = (with->flags & UF_F_RECURSIVE) != 0;
  for (uint32_t i = 0; ctes && i < ctes->nkids; i++) {
    uf_node *cte = ctes->kids[i];
    uf_node *a = kid(cte, UF_SLOT_ALIAS);
    const char *name = uf_is(a, UF_TABLE_ALIAS) ? ident_text(kid(a, UF_SLOT_NAME))
                                                : ident_text(a);
    if (!name) continue;
    cte_env *e = qalloc(q, sizeof *e);
    if (!e) return env;
    e->name = name;
    e->next = env;
    uf_node *cols = uf_is(a, UF_TABLE_ALIAS) ? kid(a, UF_SLOT_COLUMNS) : NULL;
    if (recursive && cols)
      for (uint32_t k = 0; k < cols->nkids; k++)
        strv_push(q, &e->cols, ident_text(cols->kids[k]) ? ident_text(cols->kids[k]) : q->empty);
    strv out = {0};
    uf_node *body = kid(cte, UF_SLOT_THIS);
    if (recursive && !cols && uf_is(body, UF_SET_OP) && !kid(body, UF_SLOT_WITH) &&
        !kid(body, UF_SLOT_ORDER)) {
      /* a recursive CTE without a column list: the anchor (left) part
       * names the columns the recursive part sees */
      qualify_query(q, kid(body, UF_SLOT_LEFT), parent, env, &out);
      e->cols = out;
      strv r = {0};
      qualify_query(q, kid(body, UF_SLOT_RIGHT), parent, e, &r);
    } else qualify_query(q, body, parent, recursive ? e : env, &out);
    if (cols && uf_is(cols, UF_LIST) && !q->o.only_tables) {
      /* push the column list into the projections; a recursive CTE keeps
       * its list (its recursive part refers to those names) */
      strv nv = {0};
      for (uint32_t k = 0; k < cols->nkids; k++)
        strv_push(q, &nv, ident_text(cols->kids[k]) ? ident_text(cols->kids[k]) : q->empty);
      if (nv.n && can_push_names(body, nv.n)) {
        push_names(q, body, &nv);
        if (!recursive) setk(q, a, UF_SLOT_COLUMNS, NULL);
      }
      for (size_t k = nv.n; k < out.n; k++) strv_push(q, &nv, out.v[k]);
      out = nv;
    }
    dedup_outputs(q, body, &out);
    e->cols = out;
    env = e;
  }
  return env;
}

/* Qualifies every query under n (subqueries of expressions). */
static void find_queries(Q *q, uf_node *n, scope *sc, cte_env *env) {
  if (!n || q->oom) return;
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) {
    strv dummy = {0};
    qualify_query(q, n, sc, env, &dummy);
    return;
  }
  for (uint32_t i = 0; i < n->nkids; i++) find_queries(q, n->kids[i], sc, env);
}

static void qualify_select(Q *q, uf_node *sel, scope *parent, cte_env *env,
                           strv *out) {
  scope sc = {0};
  sc.parent = parent;
  uf_node *from = kid(sel, UF_SLOT_FROM);
  add_from(q, &sc, env, from);
  if (q->o.only_tables) {
    /* still descend into subqueries in expressions */
    for (uint32_t i = 0; i < sel->nkids; i++) {
      uf_node *k = sel->kids[i];
      if (!k || uf_is(k, UF_WITH)) continue;
      db_refs_walk(q, &sc, k);
      if (k != from) find_queries(q, k, &sc, env);
    }
    return;
  }
  qualify_joins(q, &sc, env, from);
  bool *starred = expand_stars(q, &sc, sel);
  /* projections: qualify, then alias */
  uf_node *exprs = kid(sel, UF_SLOT_EXPRS);
  strv anames = {0};
  uf_node **aexprs = NULL;
  if (exprs) {
    aexprs = qalloc(q, (exprs->nkids + 1) * sizeof *aexprs);
    ectx x = {q, &sc, env, &anames, aexprs, false, false, false, 0, NULL, false, {0}};
    for (uint32_t i = 0; aexprs && i < exprs->nkids; i++) {
      uf_node *e = exprs->kids[i];
      if (uf_is(e, UF_ALIAS)) {
        int si = uf_kind_slot_index(UF_ALIAS, UF_SLOT_THIS);
        walk_expr(&x, &e->kids[si]);
      } else {
        /* a USING column becomes COALESCE(...): keep its name as alias */
        const char *orig = uf_is(e, UF_COLUMN) ? ident_text(kid(e, UF_SLOT_THIS)) : NULL;
        x.expanded = false;
        walk_expr(&x, &exprs->kids[i]);
        if (orig && !x.expanded && !uf_is(exprs->kids[i], UF_COLUMN))
          exprs->kids[i] = mk_alias(q, exprs->kids[i], orig);
      }
      /* later projections may reference earlier aliases (lateral refs) */
      if (uf_is(exprs->kids[i], UF_ALIAS)) {
        strv_push(q, &anames, ident_text(kid(exprs->kids[i], UF_SLOT_ALIAS)));
        aexprs[anames.n - 1] = kid(exprs->kids[i], UF_SLOT_THIS);
      }
    }
  }
  alias_projections(q, sel, out);
  if (q->oom) return;
  ectx x = {q, &sc, env, &anames, aexprs, false, false, false, 0, NULL, false, {0}};
  int si;
  si = uf_kind_slot_index(UF_SELECT, UF_SLOT_WHERE);
  walk_expr(&x, &sel->kids[si]);
  uf_node *group = kid(sel, UF_SLOT_GROUP);
  if (group) {
    uf_node *gl = kid(group, UF_SLOT_EXPRS);
    group_ordinals(q, sel, gl);
    x.literal_index = true;
    for (uint32_t i = 0; gl && i < gl->nkids; i++) {
      x.parent = gl;
      walk_expr(&x, &gl->kids[i]);
    }
    x.literal_index = false;
  }
  x.alias_first = true;
  si = uf_kind_slot_index(UF_SELECT, UF_SLOT_HAVING);
  walk_expr(&x, &sel->kids[si]);
  si = uf_kind_slot_index(UF_SELECT, UF_SLOT_QUALIFY);
  walk_expr(&x, &sel->kids[si]);
  x.alias_first = false;
  si = uf_kind_slot_index(UF_SELECT, UF_SLOT_WINDOW);
  walk_expr(&x, &sel->kids[si]);
  uf_node *order = kid(sel, UF_SLOT_ORDER);
  uf_node *don = kid(sel, UF_SLOT_DISTINCT_ON);
  if (order || don) {
    uf_node *ol = order ? kid(order, UF_SLOT_EXPRS) : NULL;
    order_ordinals(q, out, ol);
    /* DISTINCT ON is read like ORDER BY: ordinals name outputs */
    if (uf_is(don, UF_LIST)) order_ordinals(q, out, don);
    /* every output (aliased now) can be referenced by name */
    strv on = {0};
    uf_node **oe = exprs ? qalloc(q, (exprs->nkids + 1) * sizeof *oe) : NULL;
    for (uint32_t i = 0; oe && i < exprs->nkids; i++)
      if (uf_is(exprs->kids[i], UF_ALIAS)) {
        const char *an = ident_text(kid(exprs->kids[i], UF_SLOT_ALIAS));
        uf_node *ae = kid(exprs->kids[i], UF_SLOT_THIS);
        /* a source column a star passed through unchanged is referenced
         * as that column (SQLGlot qualifies ORDER BY before expanding) */
        if (starred && starred[i] && uf_is(ae, UF_COLUMN) &&
            !strcmp(ident_text(kid(ae, UF_SLOT_THIS)) ? ident_text(kid(ae, UF_SLOT_THIS)) : "",
                    an ? an : ""))
          continue;
        strv_push(q, &on, an);
        oe[on.n - 1] = ae;
      }
    x.anames = &on;
    x.aexprs = oe;
    x.alias_keep = true;
    for (uint32_t i = 0; ol && i < ol->nkids; i++) walk_expr(&x, &ol->kids[i]);
    si = uf_kind_slot_index(UF_SELECT, UF_SLOT_DISTINCT_ON);
    walk_expr(&x, &sel->kids[si]);
  }
}

static void qualify_query(Q *q, uf_node *n, scope *parent, cte_env *env,
                          strv *out) {
  if (!n || q->oom) return;
  uf_node *with = kid(n, UF_SLOT_WITH);
  if (with) env = qualify_with(q, with, parent, env);
  switch ((uf_kind)n->kind) {
  case UF_SELECT: qualify_select(q, n, parent, env, out); break;
  case UF_SET_OP: {
    strv r = {0};
    qualify_query(q, kid(n, UF_SLOT_LEFT), parent, env, out);
    qualify_query(q, kid(n, UF_SLOT_RIGHT), parent, env, &r);
    /* BY NAME: the left's columns, then the right's new ones */
    if (n->flags & UF_F_BY_NAME)
      for (size_t i = 0; i < r.n; i++)
        if (!strv_has(out, r.v[i])) strv_push(q, out, r.v[i]);
    uf_node *order = kid(n, UF_SLOT_ORDER);
    if (order && !q->o.only_tables) order_ordinals(q, out, kid(order, UF_SLOT_EXPRS));
    break;
  }
  case UF_QUERY_PAREN:
    while (bare_paren(kid(n, UF_SLOT_THIS)))
      setk(q, n, UF_SLOT_THIS, kid(kid(n, UF_SLOT_THIS), UF_SLOT_THIS));
    qualify_query(q, kid(n, UF_SLOT_THIS), parent, env, out);
    break;
  case UF_VALUES: {
    uf_node *rows = kid(n, UF_SLOT_ROWS);
    uf_node *first = rows && rows->nkids ? rows->kids[0] : NULL;
    uf_node *args = uf_is(first, UF_TUPLE) ? kid(first, UF_SLOT_ARGS) : NULL;
    for (uint32_t i = 0; args && i < args->nkids; i++) {
      char buf[32];
      snprintf(buf, sizeof buf, "_col_%u", i);
      strv_push(q, out, qintern(q, buf));
    }
    break;
  }
  default: break;
  }
}

/* Gives unaliased derived tables (funcs: table functions) of a FROM tree
 * their generated names. */
static void name_from(Q *q, uf_node *n, bool funcs) {
  if (!n || q->oom) return;
  switch ((uf_kind)n->kind) {
  case UF_JOIN:
    name_from(q, kid(n, UF_SLOT_LEFT), funcs);
    name_from(q, kid(n, UF_SLOT_RIGHT), funcs);
    break;
  case UF_PIVOT: name_from(q, kid(n, UF_SLOT_THIS), funcs); break;
  case UF_DERIVED: {
    uf_node *in = kid(n, UF_SLOT_THIS);
    if (uf_is(in, UF_JOIN) && !alias_name(n)) name_from(q, in, funcs);
    else if (!funcs && !alias_name(n) && in &&
             uf_kind_category((uf_kind)in->kind) == UF_CAT_QUERY) {
      char buf[32];
      snprintf(buf, sizeof buf, "_%u", q->nq++);
      set_table_alias(q, n, qintern(q, buf));
    }
    break;
  }
  case UF_TABLE_FUNC:
    if (funcs && !alias_name(n) && !q->o.no_alias_tables &&
        !scalar_set_func(q, kid(n, UF_SLOT_THIS))) {
      char buf[32];
      snprintf(buf, sizeof buf, "_%u", q->nq++);
      set_table_alias(q, n, qintern(q, buf));
    }
    break;
  default: break;
  }
}

/* Names generated sources in SQLGlot's order (its scope traversal): the
 * nested queries of a SELECT first (CTEs, FROM, then the rest), then the
 * SELECT's own derived tables, then its table functions. The same walk
 * normalizes the identifiers (unless no_normalize): this visits every node,
 * and the generated names need no folding. */
static void prename(Q *q, uf_node *n);

/* prename of node n, whose leaves (identifiers, literals) need no call. */
static inline void prename_node(Q *q, uf_node *n) {
  if (!n) return;
  if (n->kind == UF_IDENT) {
    if (!q->o.no_normalize) normalize_ident(q, n);
  } else if (n->nkids) prename(q, n);
}

static void prename(Q *q, uf_node *n) {
  if (q->oom) return;
  if (n->kind == UF_SELECT) {
    uf_node *with = kid(n, UF_SLOT_WITH), *from = kid(n, UF_SLOT_FROM);
    prename_node(q, with);
    prename_node(q, from);
    for (uint32_t i = 0; i < n->nkids; i++)
      if (n->kids[i] != with && n->kids[i] != from) prename_node(q, n->kids[i]);
    name_from(q, from, false);
    name_from(q, from, true);
    return;
  }
  for (uint32_t i = 0; i < n->nkids; i++) prename_node(q, n->kids[i]);
}

/* Statements: queries inside INSERT/CREATE ... AS/... are qualified. */
static void qualify_stmt(Q *q, uf_node *n) {
  if (!n) return;
  strv out = {0};
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) {
    qualify_query(q, n, NULL, NULL, &out);
    return;
  }
  if (uf_is(n, UF_SCRIPT)) {
    for (uint32_t i = 0; i < n->nkids; i++) qualify_stmt(q, n->kids[i]);
    return;
  }
  if (q->o.only_tables) {
    /* qualify_tables over a statement: its target table takes the default
     * db/catalog, the queries anywhere inside are qualified; an UPDATE's
     * FROM is left as written */
    cte_env *env = NULL;
    uf_node *with = kid(n, UF_SLOT_WITH);
    if (with) env = qualify_with(q, with, NULL, NULL);
    uf_node *target = kid(n, UF_SLOT_TABLE);
    if (!target && (uf_is(n, UF_CREATE_TABLE) || uf_is(n, UF_CREATE_VIEW)))
      target = kid(n, UF_SLOT_NAME);
    if (uf_is(target, UF_TABLE) && !q->o.no_qualify_tables) {
      const char *name = ident_text(kid(target, UF_SLOT_THIS));
      if (name && !(kid(target, UF_SLOT_DB) == NULL && find_cte(env, name)))
        qualify_table_name(q, target);
    }
    for (uint32_t i = 0; i < n->nkids; i++) {
      uf_node *k = n->kids[i];
      if (!k || k == with || k == target) continue;
      if (uf_is(n, UF_UPDATE) && k == kid(n, UF_SLOT_FROM)) continue;
      find_queries(q, k, NULL, env);
    }
    return;
  }
  uf_node *qn = kid(n, UF_SLOT_QUERY);
  if (qn) qualify_query(q, qn, NULL, NULL, &out);
}

static int quote_walk(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  Q *q = ctx;
  if (uf_is(n, UF_IDENT) &&
      (q->o.identify == UF_IDENTIFY_ALWAYS ||
       uf_dialect_ident_needs_quotes(q->d, n->text)))
    n->style |= UF_IDENT_WRITTEN_QUOTED;
  return 0;
}

uf_status uf_qualify(uf_tree *t, uf_node *root, const uf_schema *s,
                     const uf_qualify_options *opts, uf_node **out_root,
                     uf_qualify_result *out, uf_error *err) {
  if (out_root) *out_root = root;
  if (out) {
    out->issues = NULL;
    out->nissues = 0;
  }
  if (!t || !root)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "qualify needs a tree");
  Q q;
  memset(&q, 0, sizeof q);
  q.t = t;
  q.s = s;
  if (opts) q.o = *opts;
  q.d = q.o.dialect ? q.o.dialect : uf_schema_dialect(s);
  q.star = qintern(&q, "*");
  q.empty = uf_intern(t, "", 0);
  prename_node(&q, root);
  qualify_stmt(&q, root);
  if (q.o.quote_identifiers && !q.oom) uf_walk(root, quote_walk, &q);
  uf_status st = UF_OK;
  if (q.oom) st = uf_error_set(err, UF_NOMEM, "out of memory in qualify");
  else if (q.nissues) {
    uf_qualify_issue *v = qalloc(&q, q.nissues * sizeof *v);
    if (v) {
      memcpy(v, q.issues, q.nissues * sizeof *v);
      if (out) {
        out->issues = v;
        out->nissues = q.nissues;
      }
      if (q.o.validate) {
        if (err) *err = v[0].error;
        st = UF_SEMANTIC;
      }
    } else st = uf_error_set(err, UF_NOMEM, "out of memory in qualify");
  }
  free(q.issues);
  return st;
}
