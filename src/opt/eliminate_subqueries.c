/*
 * eliminate_subqueries: derived tables become CTEs of the statement's
 * query (SQLGlot's eliminate_subqueries). `FROM (SELECT ...) AS t` turns
 * into `WITH t AS (SELECT ...) ... FROM t AS t`; a derived table whose
 * query equals one already in that WITH (uf_node_equal, deterministic: no
 * random()/uuid()/nextval, TABLESAMPLE, LIMIT or parameter) reads that CTE
 * instead of adding a copy, and a top-level CTE equal to an earlier one is
 * dropped, its readers reading the earlier one (keeping their alias). A
 * query that reads a CTE from the earlier one's position on is never
 * matched (the name would mean something else there).
 *
 * Order in the WITH (dependencies first): for each existing CTE, the
 * derived tables inside it, then the CTE; then the derived tables of the
 * query itself; inner derived tables before the ones holding them.
 *
 * Names: the derived table's alias, or a fresh name (src/opt/names.h)
 * when a table, a CTE or an earlier new CTE already spells it; the
 * reference keeps the alias, so no column reference changes.
 *
 * Left in place: LATERAL derived tables, correlated ones (a column whose
 * qualifier is not defined inside, an unqualified column that is not an
 * output alias, a lambda parameter or an alias inside), derived tables with
 * TABLESAMPLE, under PIVOT, aliased joins, anything below a query with a
 * WITH of its own (its names would not be visible from the top; unlike
 * SQLGlot, inner WITHs are not lifted either), everything when the top
 * WITH is RECURSIVE, and statements other than a query or CREATE
 * TABLE/VIEW ... AS (INSERT keeps its derived tables).
 */
#include <string.h>
#include <strings.h>

#include "opt/names.h"
#include "opt/fn_class.h"
#include "opt/rewrite.h"
#include "unifier/opt.h"

typedef struct strs {
  const char **v;
  size_t n, cap;
} strs;

typedef struct es {
  uf_tree *t;
  uf_status st;
  uf_error *err;
  uf_node *root;
  uf_names *names; /* identifiers of the tree, for fresh names; lazy */
  strs taken;   /* table and CTE names the new CTEs must not spell */
  strs inner_ctes; /* names of CTEs outside the top WITH */
  bool changed;
  uf_node **out; /* the new WITH's CTEs, in order */
  size_t nout, capout;
} es;

static void *grow(es *c, void *old, size_t *cap, size_t n, size_t sz) {
  void *p = uf_rw_grow(c->t, old, cap, n, sz);
  if (p == NULL) c->st = UF_NOMEM;
  return p;
}

static bool has(const strs *s, const char *x) { return uf_name_in(s->v, s->n, x); }

static void add(es *c, strs *s, const char *x) {
  if (x == NULL || has(s, x)) return;
  const char **v = grow(c, s->v, &s->cap, s->n, sizeof *v);
  if (v == NULL) return;
  s->v = v;
  s->v[s->n++] = x;
}

static const char *ident(const uf_node *n) { return uf_is(n, UF_IDENT) ? n->text : NULL; }

static bool is_query(const uf_node *n) {
  return n && uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY;
}

static const char *alias_name(const uf_node *n) {
  uf_node *a = uf_get(n, UF_SLOT_ALIAS);
  return uf_is(a, UF_TABLE_ALIAS) ? ident(uf_get(a, UF_SLOT_NAME)) : NULL;
}

/* Table names and CTE names anywhere under n; the names of CTEs outside
 * the top WITH (list `top`) also in inner_ctes. */
static void collect_taken(es *c, const uf_node *n, const uf_node *top) {
  if (n == NULL) return;
  if (uf_is(n, UF_TABLE)) add(c, &c->taken, ident(uf_get(n, UF_SLOT_THIS)));
  if (uf_is(n, UF_CTE)) add(c, &c->taken, alias_name(n));
  if (uf_is(n, UF_LIST) && n != top)
    for (uint32_t i = 0; i < n->nkids; i++)
      if (uf_is(n->kids[i], UF_CTE)) add(c, &c->inner_ctes, alias_name(n->kids[i]));
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) collect_taken(c, n->kids[i], top);
}

/* A top CTE that may be replaced by an equal earlier one: plain name, no
 * column list, no MATERIALIZED hint, no inner CTE of its name. */
static bool mergeable(es *c, const uf_node *cte) {
  uf_node *a = uf_get(cte, UF_SLOT_ALIAS), *cols = a ? uf_get(a, UF_SLOT_COLUMNS) : NULL;
  const char *nm = alias_name(cte);
  return nm && !(cols && cols->nkids) &&
         !(cte->flags & (UF_F_MATERIALIZED | UF_F_NOT_MATERIALIZED)) && !has(&c->inner_ctes, nm);
}

/* Table references to `from` under n read `to`, keeping `from` as alias. */
static void rename_refs(es *c, uf_node *n, const char *from, const char *to) {
  if (n == NULL || c->st != UF_OK) return;
  if (uf_is(n, UF_TABLE) && !uf_get(n, UF_SLOT_DB) && !uf_get(n, UF_SLOT_CATALOG)) {
    const char *th = ident(uf_get(n, UF_SLOT_THIS));
    if (th && strcasecmp(th, from) == 0) {
      uf_node *id = uf_node_new_text(c->t, UF_IDENT, to, strlen(to));
      if (id == NULL || uf_set(n, UF_SLOT_THIS, id, NULL) != UF_OK) {
        c->st = UF_NOMEM;
        return;
      }
      if (uf_get(n, UF_SLOT_ALIAS) == NULL) {
        uf_node *ta = uf_node_new(c->t, UF_TABLE_ALIAS);
        uf_node *al = uf_node_new_text(c->t, UF_IDENT, th, strlen(th));
        if (!ta || !al || uf_set(ta, UF_SLOT_NAME, al, NULL) != UF_OK ||
            uf_set(n, UF_SLOT_ALIAS, ta, NULL) != UF_OK)
          c->st = UF_NOMEM;
      }
      return;
    }
  }
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) rename_refs(c, n->kids[i], from, to);
}

/* -- correlation ------------------------------------------------------------ */

typedef struct inner {
  strs aliases; /* sources and CTEs defined inside */
  strs outputs; /* output aliases and lambda parameters inside */
} inner;

static void collect_inner(es *c, inner *in, const uf_node *n) {
  if (n == NULL) return;
  if (uf_is(n, UF_TABLE_ALIAS)) add(c, &in->aliases, ident(uf_get(n, UF_SLOT_NAME)));
  if (uf_is(n, UF_TABLE) && uf_get(n, UF_SLOT_ALIAS) == NULL)
    add(c, &in->aliases, ident(uf_get(n, UF_SLOT_THIS)));
  if (uf_is(n, UF_ALIAS)) add(c, &in->outputs, ident(uf_get(n, UF_SLOT_ALIAS)));
  if (uf_is(n, UF_LAMBDA)) {
    uf_node *p = uf_get(n, UF_SLOT_PARAMS);
    if (uf_is(p, UF_IDENT)) add(c, &in->outputs, p->text);
    for (uint32_t i = 0; uf_is(p, UF_LIST) && i < p->nkids; i++)
      add(c, &in->outputs, ident(p->kids[i]));
  }
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) collect_inner(c, in, n->kids[i]);
}

/* A reference under n to something not defined under the derived table. */
static bool outer_ref(const inner *in, const uf_node *n) {
  if (n == NULL) return false;
  if (uf_is(n, UF_STAR)) {
    uf_node *q = uf_get(n, UF_SLOT_QUALIFIER);
    if (q) {
      const char *nm = uf_get(q, UF_SLOT_TABLE) ? NULL : ident(uf_get(q, UF_SLOT_THIS));
      if (!has(&in->aliases, nm)) return true;
    }
    for (uint32_t i = 1; i < n->nkids; i++)
      if (outer_ref(in, n->kids[i])) return true;
    return false;
  }
  if (uf_is(n, UF_COLUMN)) {
    const char *db = ident(uf_get(n, UF_SLOT_DB)), *tb = ident(uf_get(n, UF_SLOT_TABLE));
    const char *th = ident(uf_get(n, UF_SLOT_THIS));
    if (uf_get(n, UF_SLOT_CATALOG)) return true;
    if (uf_get(n, UF_SLOT_TABLE) == NULL)
      return !(has(&in->outputs, th) || has(&in->aliases, th));
    return !(has(&in->aliases, tb) || (db && has(&in->aliases, db)));
  }
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_has_kids(n->kids[i]) && outer_ref(in, n->kids[i])) return true;
  return false;
}

static bool correlated(es *c, const uf_node *q) {
  inner in = {0};
  collect_inner(c, &in, q);
  return c->st != UF_OK || outer_ref(&in, q);
}

/* Evaluating q twice may give different rows. */
static bool volatile_query(const uf_node *n) {
  if (n == NULL) return false;
  if (uf_is(n, UF_SAMPLE) || uf_is(n, UF_LIMIT) || uf_is(n, UF_PARAM)) return true;
  if (uf_is(n, UF_FUNC) && uf_fn_volatile(n->text)) return true;
  for (uint32_t i = 0; i < n->nkids; i++) {
    const uf_node *k = n->kids[i];
    if (k && (k->nkids ? volatile_query(k) : uf_is(k, UF_PARAM))) return true;
  }
  return false;
}

/* -- conversion -------------------------------------------------------------- */

static uf_node *mk(es *c, uf_kind k, const char *text) {
  uf_node *n = text ? uf_node_new_text(c->t, k, text, strlen(text)) : uf_node_new(c->t, k);
  if (n == NULL) c->st = UF_NOMEM;
  return n;
}

static void push_cte(es *c, uf_node *cte) {
  uf_node **v = grow(c, c->out, &c->capout, c->nout, sizeof *v);
  if (v == NULL) return;
  c->out = v;
  c->out[c->nout++] = cte;
}

static void table_names(es *c, const uf_node *n, strs *out) {
  if (n == NULL) return;
  if (uf_is(n, UF_TABLE) && !uf_get(n, UF_SLOT_DB) && !uf_get(n, UF_SLOT_CATALOG))
    add(c, out, ident(uf_get(n, UF_SLOT_THIS)));
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) table_names(c, n->kids[i], out);
}

/* An earlier CTE with the same deterministic query, or NULL. The query
 * must read none of the CTEs from that one on: at the earlier position the
 * same name would mean something else. */
static const char *same_cte(es *c, const uf_node *q) {
  if (c->nout == 0 || volatile_query(q)) return NULL;
  strs reads = {0};
  table_names(c, q, &reads);
  bool clash = false;
  for (size_t i = c->nout; i-- > 0 && !clash;) {
    uf_node *cte = c->out[i], *a = uf_get(cte, UF_SLOT_ALIAS);
    uf_node *cols = a ? uf_get(a, UF_SLOT_COLUMNS) : NULL;
    clash = has(&reads, alias_name(cte)); /* q reads out[i]: not before it */
    if (clash || (cols && cols->nkids) ||
        (cte->flags & (UF_F_MATERIALIZED | UF_F_NOT_MATERIALIZED)))
      continue;
    if (uf_node_equal(uf_get(cte, UF_SLOT_THIS), q, false)) return alias_name(cte);
  }
  return NULL;
}

static bool convertible(es *c, const uf_node *d, const uf_node *parent) {
  return uf_is(d, UF_DERIVED) && !uf_is(parent, UF_PIVOT) && is_query(uf_get(d, UF_SLOT_THIS)) &&
         !(d->flags & UF_F_LATERAL) && uf_get(d, UF_SLOT_SAMPLE) == NULL &&
         alias_name(d) != NULL && !correlated(c, uf_get(d, UF_SLOT_THIS));
}

/* An identifier for `name`, quoted as the derived table's alias was when
 * it is that alias (a keyword alias such as "insert" stays quoted where it
 * becomes a CTE and table name). */
static uf_node *name_like(es *c, const char *name, const uf_node *d) {
  uf_node *id = mk(c, UF_IDENT, name);
  const uf_node *ta = uf_get(d, UF_SLOT_ALIAS);
  const uf_node *al = uf_is(ta, UF_TABLE_ALIAS) ? uf_get(ta, UF_SLOT_NAME) : NULL;
  if (id && uf_is(al, UF_IDENT) && strcmp(al->text, name) == 0) {
    id->flags = al->flags;
    id->style = al->style;
  }
  return id;
}

/* The table reference that replaces derived table d. */
static uf_node *convert(es *c, uf_node *d) {
  uf_node *q = uf_get(d, UF_SLOT_THIS);
  const char *name = same_cte(c, q);
  if (name == NULL) {
    name = alias_name(d);
    if (has(&c->taken, name)) {
      /* opened on first need: most statements never rename */
      uf_status st = c->names ? UF_OK : uf_names_open(c->root, &c->names, c->err);
      if (st == UF_OK) st = uf_names_fresh(c->names, c->t, name, &name, c->err);
      if (st != UF_OK) {
        c->st = st;
        return d;
      }
    }
    add(c, &c->taken, name);
    uf_node *cte = mk(c, UF_CTE, NULL), *ta = mk(c, UF_TABLE_ALIAS, NULL);
    uf_node *id = name_like(c, name, d);
    if (c->st != UF_OK || uf_set(ta, UF_SLOT_NAME, id, NULL) != UF_OK ||
        uf_set(cte, UF_SLOT_ALIAS, ta, NULL) != UF_OK || uf_set(cte, UF_SLOT_THIS, q, NULL) != UF_OK) {
      c->st = UF_NOMEM;
      return d;
    }
    push_cte(c, cte);
  }
  c->changed = true;
  uf_node *tb = mk(c, UF_TABLE, NULL), *id = name_like(c, name, d);
  if (c->st != UF_OK || uf_set(tb, UF_SLOT_THIS, id, NULL) != UF_OK ||
      uf_set(tb, UF_SLOT_ALIAS, uf_get(d, UF_SLOT_ALIAS), NULL) != UF_OK) {
    c->st = UF_NOMEM;
    return d;
  }
  tb->comments = d->comments;
  return tb;
}

/* Post-order: derived tables under n (inner first) become CTEs. */
static void walk(es *c, uf_node *n) {
  if (n == NULL || c->st != UF_OK) return;
  if (is_query(n) && uf_get(n, UF_SLOT_WITH)) return; /* a WITH of its own */
  for (uint32_t i = 0; i < n->nkids && c->st == UF_OK; i++) {
    uf_node *k = n->kids[i];
    if (!uf_rw_structural(k)) continue;
    walk(c, k);
    if (c->st == UF_OK && convertible(c, k, n)) n->kids[i] = convert(c, k);
  }
}

static bool has_derived(const uf_node *n) {
  if (uf_is(n, UF_DERIVED)) return true;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i]) && has_derived(n->kids[i])) return true;
  return false;
}

/* The query of a statement whose WITH the new CTEs join. */
static uf_node *top_query(uf_node *root) {
  if (is_query(root)) return root;
  if (uf_is(root, UF_CREATE_TABLE) || uf_is(root, UF_CREATE_VIEW)) {
    uf_node *q = uf_get(root, UF_SLOT_QUERY);
    return is_query(q) ? q : NULL;
  }
  return NULL;
}

uf_status uf_eliminate_subqueries(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                                  uf_node **out_root, uf_error *err) {
  (void)o;
  *out_root = root;
  uf_node *q = top_query(root);
  if (q == NULL) return UF_OK;
  uf_node *w = uf_get(q, UF_SLOT_WITH);
  uf_node *top = w ? uf_get(w, UF_SLOT_CTES) : NULL;
  if (!has_derived(q) && !(uf_is(top, UF_LIST) && top->nkids > 1)) return UF_OK;
  if (w && (w->flags & UF_F_RECURSIVE)) return UF_OK;
  es c = {.t = t, .st = UF_OK, .err = err, .root = root};
  collect_taken(&c, root, top);
  uf_node *ctes = w ? uf_get(w, UF_SLOT_CTES) : NULL;
  for (uint32_t i = 0; uf_is(ctes, UF_LIST) && i < ctes->nkids && c.st == UF_OK; i++) {
    uf_node *cte = ctes->kids[i];
    /* a CTE's own query is never a derived table: only its insides */
    for (uint32_t j = 0; j < cte->nkids && c.st == UF_OK; j++) walk(&c, cte->kids[j]);
    const char *same = mergeable(&c, cte) ? same_cte(&c, uf_get(cte, UF_SLOT_THIS)) : NULL;
    if (same && !has(&c.inner_ctes, same)) {
      /* a copy of an earlier CTE: later readers read that one */
      const char *from = alias_name(cte);
      for (uint32_t j = i + 1; j < ctes->nkids; j++) rename_refs(&c, ctes->kids[j], from, same);
      for (uint32_t j = 0; j < q->nkids; j++)
        if (q->kids[j] != w) rename_refs(&c, q->kids[j], from, same);
      c.changed = true;
      continue;
    }
    push_cte(&c, cte);
  }
  int wi = uf_kind_slot_index((uf_kind)q->kind, UF_SLOT_WITH);
  for (uint32_t i = 0; i < q->nkids && c.st == UF_OK; i++) {
    uf_node *k = q->kids[i];
    if ((int)i == wi || k == NULL) continue;
    walk(&c, k);
    if (c.st == UF_OK && convertible(&c, k, q)) q->kids[i] = convert(&c, k);
  }
  uf_names_free(c.names);
  if (c.st != UF_OK) {
    return c.err && c.err->code == c.st
               ? c.st
               : uf_error_set(err, c.st, "eliminate_subqueries: %s", uf_status_message(c.st));
  }
  if (!c.changed) return UF_OK;
  uf_node *list = mk(&c, UF_LIST, NULL);
  if (w == NULL) w = mk(&c, UF_WITH, NULL);
  for (size_t i = 0; c.st == UF_OK && i < c.nout; i++)
    if (uf_list_push(t, list, c.out[i], err) != UF_OK) return UF_NOMEM;
  if (c.st != UF_OK || uf_set(w, UF_SLOT_CTES, list, err) != UF_OK ||
      uf_set(q, UF_SLOT_WITH, w, err) != UF_OK)
    return uf_error_set(err, UF_NOMEM, "eliminate_subqueries: out of memory");
  return UF_OK;
}
