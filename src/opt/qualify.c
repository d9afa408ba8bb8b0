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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/dialect.h"
#include "unifier/opt.h"

typedef struct strv {
  const char **v;
  size_t n, cap;
} strv;

typedef struct src {
  const char *name;  /* alias, normalized */
  strv cols;         /* output columns in order */
  bool known;        /* false: a table the schema lacks (any column) */
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
} scope;

typedef struct cte_env {
  const char *name;
  strv cols;
  struct cte_env *next;
} cte_env;

typedef struct Q {
  uf_tree *t;
  const uf_schema *s;
  uf_qualify_options o;
  const uf_dialect *d;
  uf_qualify_issue *issues;
  size_t nissues, capissues;
  bool oom;
  uint32_t nq; /* counter for generated derived-table aliases */
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

static bool strv_has(const strv *v, const char *s) {
  for (size_t i = 0; i < v->n; i++)
    if (!strcmp(v->v[i], s)) return true;
  return false;
}

static const char *ident_text(const uf_node *n) {
  return uf_is(n, UF_IDENT) ? n->text : NULL;
}

static uf_node *kid(const uf_node *n, uf_slot s) { return uf_get(n, s); }

static void setk(Q *q, uf_node *n, uf_slot s, uf_node *c) {
  if (uf_set(n, s, c, NULL) != UF_OK) q->oom = true;
}

static uf_node *mk(Q *q, uf_kind k) {
  uf_node *n = uf_node_new(q->t, k);
  if (!n) q->oom = true;
  return n;
}

/* An identifier for an already-normalized name: case-significant text is
 * marked QUOTED so it survives re-folding. */
static uf_node *mk_ident(Q *q, const char *name) {
  uf_node *n = uf_node_new_text(q->t, UF_IDENT, name, strlen(name));
  if (!n) {
    q->oom = true;
    return NULL;
  }
  if (!uf_dialect_is_folded(q->d, name)) n->flags |= UF_F_QUOTED;
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

static int norm_walk(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  Q *q = ctx;
  if (!uf_is(n, UF_IDENT) || (n->flags & UF_F_QUOTED)) return 0;
  if (uf_dialect_is_folded(q->d, n->text)) return 0;
  size_t len = strlen(n->text);
  char small[128];
  char *buf = len < sizeof small ? small : malloc(len + 1);
  if (!buf) {
    q->oom = true;
    return 2;
  }
  uf_dialect_fold(q->d, n->text, buf);
  n->text = qintern(q, buf);
  if (buf != small) free(buf);
  return 0;
}

/* -- scopes and sources ------------------------------------------------------------ */

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
    if (!strcmp(sc->srcs[i].name, name)) return &sc->srcs[i];
  return NULL;
}

static ugroup *find_group(scope *sc, const char *col) {
  for (size_t i = 0; i < sc->ngroups; i++)
    if (!strcmp(sc->groups[i].col, col)) return &sc->groups[i];
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
    if (!strcmp(env->name, name)) return env;
  return NULL;
}

/* Renames the columns of a source per an alias column list t(a, b). */
static void apply_alias_cols(Q *q, src *s, const uf_node *alias) {
  uf_node *cols = kid(alias, UF_SLOT_COLUMNS);
  if (!uf_is(cols, UF_LIST)) return;
  strv nv = {0};
  for (uint32_t i = 0; i < cols->nkids; i++) {
    const char *c = ident_text(cols->kids[i]);
    if (!c) {
      uf_node *cd = cols->kids[i];
      c = uf_is(cd, UF_COLUMN_DEF) ? ident_text(kid(cd, UF_SLOT_NAME)) : NULL;
    }
    strv_push(q, &nv, c ? c : "");
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

/* TABLE: a CTE reference or a schema table. */
static void add_table(Q *q, scope *sc, cte_env *env, uf_node *n) {
  const char *name = ident_text(kid(n, UF_SLOT_THIS));
  if (!name) return;
  uf_node *db = kid(n, UF_SLOT_DB), *cat = kid(n, UF_SLOT_CATALOG);
  const char *alias = alias_name(n);
  cte_env *cte = !db ? find_cte(env, name) : NULL;
  if (!alias) {
    alias = name;
    if (!q->o.no_alias_tables) set_table_alias(q, n, name);
  }
  src *s;
  if (cte) {
    s = add_src(q, sc, alias, true);
    if (s) s->cols = cte->cols;
  } else {
    if (!q->o.no_qualify_tables) {
      const char *dd = q->o.db ? q->o.db : uf_schema_default_db(q->s);
      const char *dc = q->o.catalog ? q->o.catalog
                                    : uf_schema_default_catalog(q->s);
      if (!db && dd && dd[0]) setk(q, n, UF_SLOT_DB, db = mk_ident(q, dd));
      if (db && !cat && dc && dc[0])
        setk(q, n, UF_SLOT_CATALOG, cat = mk_ident(q, dc));
    }
    const uf_schema_table *st = NULL;
    if (q->s)
      uf_schema_find_table(q->s, cat ? ident_text(cat) : NULL,
                           db ? ident_text(db) : NULL, name, &st, NULL);
    if (!st && q->s && (db || cat))
      uf_schema_find_table(q->s, NULL, NULL, name, &st, NULL);
    s = add_src(q, sc, alias, st != NULL);
    if (s && st)
      for (size_t i = 0; i < st->ncolumns; i++)
        strv_push(q, &s->cols, st->columns[i].name);
  }
  if (s) apply_alias_cols(q, s, kid(n, UF_SLOT_ALIAS));
}

/* A query used as a FROM item: DERIVED (LATERAL sees the scope so far). */
static void add_derived(Q *q, scope *sc, cte_env *env, uf_node *n) {
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
  src *s = add_src(q, sc, alias, uf_kind_category(inner->kind) == UF_CAT_QUERY);
  if (!s) return;
  s->cols = out;
  apply_alias_cols(q, s, kid(n, UF_SLOT_ALIAS));
}

/* UNNEST / table functions: columns only from the alias list. */
static void add_table_func(Q *q, scope *sc, cte_env *env, uf_node *n) {
  uf_node *f = kid(n, UF_SLOT_THIS);
  uf_node **args = NULL;
  if (f && uf_get(f, UF_SLOT_ARGS)) {
    int i = uf_kind_slot_index((uf_kind)f->kind, UF_SLOT_ARGS);
    if (i >= 0) args = &f->kids[i];
  }
  if (args) qualify_expr(q, sc, env, args);
  const char *alias = alias_name(n);
  uf_node *a = kid(n, UF_SLOT_ALIAS);
  bool has_cols = a && uf_is(kid(a, UF_SLOT_COLUMNS), UF_LIST);
  if (!alias) {
    char buf[32];
    snprintf(buf, sizeof buf, "_%u", q->nq++);
    alias = qintern(q, buf);
  }
  src *s = add_src(q, sc, alias, has_cols);
  if (s && has_cols) apply_alias_cols(q, s, a);
}

static void add_from(Q *q, scope *sc, cte_env *env, uf_node *n);

/* USING (c, ...) -> ON left.c = right.c AND ...; records the groups. */
static void using_to_on(Q *q, scope *sc, uf_node *join, size_t first_right) {
  uf_node *using = kid(join, UF_SLOT_USING);
  uf_node *on = NULL;
  for (uint32_t i = 0; i < using->nkids; i++) {
    const char *c = ident_text(using->kids[i]);
    if (!c && uf_is(using->kids[i], UF_COLUMN))
      c = ident_text(kid(using->kids[i], UF_SLOT_THIS));
    if (!c) continue;
    const char *right = NULL;
    for (size_t k = first_right; k < sc->nsrc && !right; k++)
      if (!sc->srcs[k].known || strv_has(&sc->srcs[k].cols, c))
        right = sc->srcs[k].name;
    ugroup *g = find_group(sc, c);
    uf_node *l = NULL;
    if (g) l = group_expr(q, g, using->kids[i]);
    else {
      for (size_t k = 0; k < first_right && !l; k++)
        if (sc->srcs[k].known && strv_has(&sc->srcs[k].cols, c)) {
          g = add_group(q, sc, c);
          if (g) strv_push(q, &g->members, sc->srcs[k].name);
          l = mk_col(q, sc->srcs[k].name, c, using->kids[i]);
        }
      for (size_t k = 0; k < first_right && !l; k++)
        if (!sc->srcs[k].known) {
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
    strv_push(q, &g->members, right);
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
  if (n->flags & UF_F_NATURAL) {
    /* NATURAL: USING every column the two sides share */
    uf_node *u = mk_list(q);
    for (size_t k = first_right; k < sc->nsrc; k++)
      for (size_t i = 0; i < sc->srcs[k].cols.n; i++) {
        const char *c = sc->srcs[k].cols.v[i];
        bool left = false;
        for (size_t j = 0; j < first_right; j++)
          left |= strv_has(&sc->srcs[j].cols, c);
        if (left) push(q, u, mk_ident(q, c));
      }
    if (u && u->nkids) {
      setk(q, n, UF_SLOT_USING, u);
      n->flags &= ~(uint32_t)UF_F_NATURAL;
    }
  }
  if (uf_is(kid(n, UF_SLOT_USING), UF_LIST)) using_to_on(q, sc, n, first_right);
}

static void add_from(Q *q, scope *sc, cte_env *env, uf_node *n) {
  if (!n || q->oom) return;
  switch ((uf_kind)n->kind) {
  case UF_TABLE: add_table(q, sc, env, n); break;
  case UF_DERIVED:
    if (uf_is(kid(n, UF_SLOT_THIS), UF_JOIN)) add_join(q, sc, env, kid(n, UF_SLOT_THIS));
    else add_derived(q, sc, env, n);
    break;
  case UF_TABLE_FUNC: add_table_func(q, sc, env, n); break;
  case UF_JOIN: add_join(q, sc, env, n); break;
  default: {
    const char *alias = alias_name(n);
    src *s = add_src(q, sc, alias ? alias : "", false);
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
  if (n->kids[i]) qualify_expr(q, sc, env, &n->kids[i]);
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
} ectx;

static void all_candidates(Q *q, scope *sc, strv *out) {
  for (size_t i = 0; i < sc->nsrc; i++)
    for (size_t k = 0; k < sc->srcs[i].cols.n; k++)
      if (!strv_has(out, sc->srcs[i].cols.v[k]))
        strv_push(q, out, sc->srcs[i].cols.v[k]);
}

/* Finds the single source of column c in sc; *amb set when several. */
static src *resolve_in(scope *sc, const char *c, int *count) {
  src *hit = NULL;
  *count = 0;
  for (size_t i = 0; i < sc->nsrc; i++)
    if (sc->srcs[i].known && strv_has(&sc->srcs[i].cols, c)) {
      if (!hit) hit = &sc->srcs[i];
      (*count)++;
    }
  return hit;
}

static uf_node *alias_ref(ectx *x, const char *c) {
  if (!x->anames) return NULL;
  for (size_t i = 0; i < x->anames->n; i++)
    if (x->aexprs[i] && !strcmp(x->anames->v[i], c)) return x->aexprs[i];
  return NULL;
}

/* Returns the replacement for an unqualified column reference. */
static uf_node *resolve_bare(ectx *x, uf_node *col, const char *c) {
  Q *q = x->q;
  uf_node *ae = alias_ref(x, c);
  if (ae && (x->alias_first || x->alias_keep)) {
    if (x->alias_keep) return col;
    return uf_node_copy(q->t, ae);
  }
  for (scope *sc = x->sc; sc; sc = sc->parent) {
    ugroup *g = find_group(sc, c);
    if (g) return group_expr(q, g, col);
    int count;
    src *s = resolve_in(sc, c, &count);
    if (count > 1) {
      strv cands = {0};
      for (size_t i = 0; i < sc->nsrc; i++)
        if (strv_has(&sc->srcs[i].cols, c)) strv_push(q, &cands, sc->srcs[i].name);
      issue(q, UF_ISSUE_AMBIGUOUS_COLUMN, col, c, &cands,
            "ambiguous column %s", c);
      return col;
    }
    if (s) {
      setk(q, col, UF_SLOT_TABLE, mk_ident(q, s->name));
      return col;
    }
    if (ae) return uf_node_copy(q->t, ae);
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
  if (!q->o.allow_partial) {
    strv cands = {0};
    all_candidates(q, x->sc, &cands);
    issue(q, UF_ISSUE_UNKNOWN_COLUMN, col, c, &cands,
          "column %s could not be resolved", c);
  }
  return col;
}

/* t.c: t must be a source in scope (or an outer one). */
static uf_node *resolve_qualified(ectx *x, uf_node *col, const char *t,
                                  const char *c) {
  Q *q = x->q;
  for (scope *sc = x->sc; sc; sc = sc->parent) {
    src *s = find_src(sc, t);
    if (!s) continue;
    if (s->known && !strv_has(&s->cols, c))
      issue(q, UF_ISSUE_UNKNOWN_COLUMN, col, c, &s->cols,
            "column %s not found in its table", c);
    return col;
  }
  /* t.c where t is a column: struct field access */
  int count;
  src *s = resolve_in(x->sc, t, &count);
  if (s && count == 1 && !kid(col, UF_SLOT_DB)) {
    uf_node *dot = mk(q, UF_DOT);
    if (!dot) return col;
    setk(q, dot, UF_SLOT_THIS, mk_col(q, s->name, t, col));
    setk(q, dot, UF_SLOT_NAME, kid(col, UF_SLOT_THIS));
    return dot;
  }
  strv cands = {0};
  for (scope *sc = x->sc; sc; sc = sc->parent)
    for (size_t i = 0; i < sc->nsrc; i++) strv_push(q, &cands, sc->srcs[i].name);
  issue(q, UF_ISSUE_UNKNOWN_TABLE, col, t, &cands, "unknown table %s", t);
  return col;
}

static void walk_expr(ectx *x, uf_node **slot);

static void walk_kids(ectx *x, uf_node *n) {
  for (uint32_t i = 0; i < n->nkids; i++)
    if (n->kids[i]) walk_expr(x, &n->kids[i]);
}

static void walk_expr(ectx *x, uf_node **slot) {
  uf_node *n = *slot;
  Q *q = x->q;
  if (!n || q->oom) return;
  if (uf_is(n, UF_COLUMN)) {
    const char *c = ident_text(kid(n, UF_SLOT_THIS));
    const char *t = ident_text(kid(n, UF_SLOT_TABLE));
    if (!c) return;
    *slot = t ? resolve_qualified(x, n, t, c) : resolve_bare(x, n, c);
    return;
  }
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) {
    /* a subquery: its own scope, correlated to this one */
    strv out = {0};
    qualify_query(q, n, x->sc, x->env, &out);
    return;
  }
  if (uf_is(n, UF_LAMBDA)) return; /* lambda parameters are not columns */
  if (uf_is(n, UF_STAR)) return;
  walk_kids(x, n);
}

static void qualify_expr(Q *q, scope *sc, cte_env *env, uf_node **slot) {
  ectx x = {q, sc, env, NULL, NULL, false, false};
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
    any = true;
    if (!s->known) return false;
    for (size_t k = 0; k < s->cols.n; k++) {
      const char *c = s->cols.v[k];
      if (star_excluded(star, c)) continue;
      uf_node *r = star_replaced(star, c);
      if (r) {
        push(q, list, uf_node_copy(q->t, r));
        continue;
      }
      ugroup *g = find_group(sc, c);
      if (g && strv_has(&g->members, s->name)) {
        if (strv_has(done_groups, c)) continue;
        strv_push(q, done_groups, c);
        push(q, list, mk_alias(q, group_expr(q, g, star), c));
        continue;
      }
      push(q, list, mk_alias(q, mk_col(q, s->name, c, star), c));
    }
  }
  if (qname && !any) {
    strv cands = {0};
    for (size_t i = 0; i < sc->nsrc; i++) strv_push(q, &cands, sc->srcs[i].name);
    issue(q, UF_ISSUE_UNKNOWN_TABLE, star, qname, &cands, "unknown table %s",
          qname);
    return false;
  }
  return true;
}

static void expand_stars(Q *q, scope *sc, uf_node *sel) {
  uf_node *exprs = kid(sel, UF_SLOT_EXPRS);
  if (!exprs || q->o.no_expand_stars) return;
  bool has = false;
  for (uint32_t i = 0; i < exprs->nkids; i++) has |= uf_is(exprs->kids[i], UF_STAR);
  if (!has) return;
  uf_node *nl = mk_list(q);
  if (!nl) return;
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
      strv_push(q, out, "*");
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

static bool is_literal(const uf_node *n) {
  return uf_is(n, UF_NUMBER) || uf_is(n, UF_STRING) || uf_is(n, UF_NULL) ||
         uf_is(n, UF_BOOLEAN);
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

/* GROUP BY k -> the k-th projection's expression (not a literal). */
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
    if (!is_literal(e)) list->kids[i] = uf_node_copy(q->t, e);
  }
}

/* ORDER BY k -> the k-th output name. */
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
        strv_push(q, &e->cols, ident_text(cols->kids[k]) ? ident_text(cols->kids[k]) : "");
    strv out = {0};
    qualify_query(q, kid(cte, UF_SLOT_THIS), parent, recursive ? e : env, &out);
    if (cols && uf_is(cols, UF_LIST)) {
      /* push the column list into the projections when it is a SELECT */
      uf_node *body = kid(cte, UF_SLOT_THIS);
      uf_node *exprs = uf_is(body, UF_SELECT) ? kid(body, UF_SLOT_EXPRS) : NULL;
      strv nv = {0};
      for (uint32_t k = 0; k < cols->nkids; k++)
        strv_push(q, &nv, ident_text(cols->kids[k]) ? ident_text(cols->kids[k]) : "");
      for (size_t k = nv.n; k < out.n; k++) strv_push(q, &nv, out.v[k]);
      if (exprs && exprs->nkids >= cols->nkids && !recursive) {
        for (uint32_t k = 0; k < cols->nkids; k++) {
          uf_node *p = exprs->kids[k];
          if (uf_is(p, UF_ALIAS)) setk(q, p, UF_SLOT_ALIAS, mk_ident(q, nv.v[k]));
        }
        setk(q, a, UF_SLOT_COLUMNS, NULL);
      }
      out = nv;
    }
    e->cols = out;
    env = e;
  }
  return env;
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
      if (!k || k == from || uf_is(k, UF_WITH)) continue;
      strv dummy = {0};
      if (uf_kind_category((uf_kind)k->kind) == UF_CAT_QUERY)
        qualify_query(q, k, &sc, env, &dummy);
    }
    return;
  }
  qualify_joins(q, &sc, env, from);
  expand_stars(q, &sc, sel);
  /* projections: qualify, then alias */
  uf_node *exprs = kid(sel, UF_SLOT_EXPRS);
  strv anames = {0};
  uf_node **aexprs = NULL;
  if (exprs) {
    aexprs = qalloc(q, (exprs->nkids + 1) * sizeof *aexprs);
    ectx x = {q, &sc, env, &anames, aexprs, false, false};
    for (uint32_t i = 0; aexprs && i < exprs->nkids; i++) {
      uf_node *e = exprs->kids[i];
      if (uf_is(e, UF_ALIAS)) {
        int si = uf_kind_slot_index(UF_ALIAS, UF_SLOT_THIS);
        walk_expr(&x, &e->kids[si]);
      } else {
        /* a USING column becomes COALESCE(...): keep its name as alias */
        const char *orig = uf_is(e, UF_COLUMN) ? ident_text(kid(e, UF_SLOT_THIS)) : NULL;
        walk_expr(&x, &exprs->kids[i]);
        if (orig && !uf_is(exprs->kids[i], UF_COLUMN))
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
  ectx x = {q, &sc, env, &anames, aexprs, false, false};
  int si;
  si = uf_kind_slot_index(UF_SELECT, UF_SLOT_WHERE);
  walk_expr(&x, &sel->kids[si]);
  uf_node *group = kid(sel, UF_SLOT_GROUP);
  if (group) {
    uf_node *gl = kid(group, UF_SLOT_EXPRS);
    group_ordinals(q, sel, gl);
    for (uint32_t i = 0; gl && i < gl->nkids; i++) walk_expr(&x, &gl->kids[i]);
  }
  x.alias_first = true;
  si = uf_kind_slot_index(UF_SELECT, UF_SLOT_HAVING);
  walk_expr(&x, &sel->kids[si]);
  si = uf_kind_slot_index(UF_SELECT, UF_SLOT_QUALIFY);
  walk_expr(&x, &sel->kids[si]);
  x.alias_first = false;
  si = uf_kind_slot_index(UF_SELECT, UF_SLOT_WINDOW);
  walk_expr(&x, &sel->kids[si]);
  si = uf_kind_slot_index(UF_SELECT, UF_SLOT_DISTINCT_ON);
  walk_expr(&x, &sel->kids[si]);
  uf_node *order = kid(sel, UF_SLOT_ORDER);
  if (order) {
    uf_node *ol = kid(order, UF_SLOT_EXPRS);
    order_ordinals(q, out, ol);
    /* every output (aliased now) can be referenced by name */
    strv on = {0};
    uf_node **oe = exprs ? qalloc(q, (exprs->nkids + 1) * sizeof *oe) : NULL;
    for (uint32_t i = 0; oe && i < exprs->nkids; i++)
      if (uf_is(exprs->kids[i], UF_ALIAS)) {
        strv_push(q, &on, ident_text(kid(exprs->kids[i], UF_SLOT_ALIAS)));
        oe[on.n - 1] = kid(exprs->kids[i], UF_SLOT_THIS);
      }
    x.anames = &on;
    x.aexprs = oe;
    x.alias_keep = true;
    for (uint32_t i = 0; ol && i < ol->nkids; i++) walk_expr(&x, &ol->kids[i]);
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
    uf_node *order = kid(n, UF_SLOT_ORDER);
    if (order && !q->o.only_tables) order_ordinals(q, out, kid(order, UF_SLOT_EXPRS));
    break;
  }
  case UF_QUERY_PAREN: qualify_query(q, kid(n, UF_SLOT_THIS), parent, env, out); break;
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
  if (!q.o.no_normalize) uf_walk(root, norm_walk, &q);
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
