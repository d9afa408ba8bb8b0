/*
 * merge_subqueries (declared in unifier/opt.h): a derived table, or a CTE
 * read exactly once, merged into the SELECT that reads it (SQLGlot's
 * merge_subqueries): the outer references alias.col become copies of the
 * inner expression for col, the inner FROM takes the derived table's place
 * in the join tree (kept as a unit, so the join structure is unchanged),
 * the inner WHERE is ANDed into the ON of the inner join it sits in, or
 * else into the outer WHERE, and inner sources whose alias the outer scope
 * already uses are renamed (src/opt/names.h).
 *
 * Only when the result cannot differ (SQLGlot's _mergeable and more):
 *   inner   a plain SELECT with a FROM: no WITH, DISTINCT [ON], GROUP BY,
 *           HAVING, WINDOW, QUALIFY, ORDER BY, LIMIT/OFFSET, SAMPLE, INTO;
 *           no aggregate, window or set-returning call in its select list;
 *           no non-deterministic call anywhere; not correlated (every
 *           column it reads is one of its own sources); not LATERAL; no
 *           column list on the alias; every output an ALIAS, names unique
 *   place   on the null-supplying side of an outer join only when the
 *           inner has no WHERE and every output is a plain column (a NULL
 *           extension then gives the same NULLs); joins of the outer FROM
 *           plain (no USING/NATURAL, no SEMI/ANTI/ASOF/POSITIONAL), no table
 *           function reading columns, no LATERAL
 *   outer   every column reference qualified (ORDER BY output names
 *           excepted); a reference to the derived table never a bare
 *           select item (the output name would change) and never replaced
 *           by a constant as a GROUP BY / ORDER BY / DISTINCT ON item (it
 *           would read as a position); no unexpanded star; the alias not
 *           redefined in a nested scope
 *   CTE     non-recursive WITH, not MATERIALIZED, name defined once in the
 *           statement and read by exactly one table reference, and no name
 *           the body reads redefined where the reference sits.
 * The walk is post-order, so inner queries are merged before the queries
 * that read them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opt/fn_class.h"
#include "opt/names.h"
#include "opt/rewrite.h"
#include "sql/query_style.h"
#include "unifier/opt.h"

#define MAX_DEPTH 256

typedef struct cte_info {
  uf_node *cte, *with, *owner; /* owner: the query the WITH belongs to */
  uint32_t index; /* position in the WITH list */
  const char *name;
  uint32_t refs;
  bool bad;       /* recursive, materialized, column list, defined twice */
  bool merged;
} cte_info;

typedef struct M {
  uf_tree *t;
  uf_node *root;
  uf_names *names; /* opened on the first rename */
  uf_status st;
  cte_info *ctes;
  size_t nctes, cap;
  size_t nderived; /* derived tables in the tree */
  const char **refs; /* names of unqualified table references */
  size_t nrefs, refcap;
  uf_node *path[MAX_DEPTH]; /* visit: the ancestors of the node visited */
  size_t depth;
} M;

static uf_node *kid(const uf_node *n, uf_slot s) { return uf_get(n, s); }

static const char *ident_text(const uf_node *n) {
  return uf_is(n, UF_IDENT) ? n->text : NULL;
}

/* Names compare as DuckDB binds them: ASCII case-insensitively. Interned
 * texts make the common equal case a pointer compare. */
/* The alias name of a FROM item (TABLE_ALIAS NAME), or NULL. */
static const char *alias_name(const uf_node *item) {
  uf_node *a = kid(item, UF_SLOT_ALIAS);
  return uf_is(a, UF_TABLE_ALIAS) ? ident_text(kid(a, UF_SLOT_NAME)) : NULL;
}

/* -- function classes -------------------------------------------------------- */

static bool is_volatile_fn(const uf_node *n) {
  return uf_is(n, UF_FUNC) && uf_fn_volatile(n->text);
}

static bool is_agg_fn(const uf_node *n) {
  return uf_is(n, UF_FUNC) && uf_fn_aggregate(n->text);
}

static bool is_srf(const uf_node *n) {
  return uf_is(n, UF_FUNC) && uf_fn_set_returning(n->text);
}

/* Anything but a plain per-row expression in a select item (an
 * aggregate, a window, a set-returning call, a star). Nested queries are
 * their own scope and are not entered. */
static bool not_plain_item(const uf_node *n) {
  if (uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY) return false;
  if (uf_is(n, UF_STAR) || uf_is(n, UF_COLUMNS_EXPR) || uf_is(n, UF_GROUPING)) return true;
  if (uf_is(n, UF_FUNC) && (kid(n, UF_SLOT_OVER) || is_agg_fn(n) || is_srf(n))) return true;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i]) && not_plain_item(n->kids[i])) return true;
  return false;
}

/* -- CTE table ------------------------------------------------------------------ */

static cte_info *cte_find(M *m, const char *name) {
  for (size_t i = 0; i < m->nctes; i++)
    if (uf_same_name(m->ctes[i].name, name)) return &m->ctes[i];
  return NULL;
}

static void add_cte(M *m, uf_node *with, uf_node *owner) {
  uf_node *list = kid(with, UF_SLOT_CTES);
  for (uint32_t i = 0; list && i < list->nkids && m->st == UF_OK; i++) {
    uf_node *c = list->kids[i];
    const char *name = uf_is(c, UF_CTE) ? alias_name(c) : NULL;
    if (name == NULL) continue;
    cte_info *prev = cte_find(m, name);
    if (prev) {
      prev->bad = true;
      continue;
    }
    if (m->nctes == m->cap) {
      size_t cap = m->cap ? m->cap * 2 : 8;
      cte_info *g = realloc(m->ctes, cap * sizeof *g);
      if (g == NULL) {
        m->st = UF_NOMEM;
        return;
      }
      m->ctes = g, m->cap = cap;
    }
    uf_node *al = kid(c, UF_SLOT_ALIAS);
    bool bad = (with->flags & UF_F_RECURSIVE) || (c->flags & UF_F_MATERIALIZED) ||
               kid(al, UF_SLOT_COLUMNS) != NULL || !uf_is(kid(c, UF_SLOT_THIS), UF_SELECT);
    m->ctes[m->nctes++] = (cte_info){c, with, owner, i, name, 0, bad, false};
  }
}

/* One pass before the merges: the CTEs (name, place), the names unqualified
 * table references read (counted against the CTEs after), derived tables. */
static void prescan(M *m, uf_node *n, uf_node *parent) {
  if (n == NULL || m->st) return;
  switch ((uf_kind)n->kind) {
  case UF_DERIVED: m->nderived++; break;
  case UF_WITH: add_cte(m, n, parent); break;
  case UF_TABLE:
    if (!kid(n, UF_SLOT_DB) && !kid(n, UF_SLOT_CATALOG) && ident_text(kid(n, UF_SLOT_THIS))) {
      if (m->nrefs == m->refcap) {
        size_t cap = m->refcap ? m->refcap * 2 : 16;
        const char **g = realloc(m->refs, cap * sizeof *g);
        if (g == NULL) {
          m->st = UF_NOMEM;
          return;
        }
        m->refs = g, m->refcap = cap;
      }
      m->refs[m->nrefs++] = ident_text(kid(n, UF_SLOT_THIS));
    }
    break;
  default:
    if (uf_kind_category((uf_kind)n->kind) == UF_CAT_ATOM) return;
    break;
  }
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) prescan(m, n->kids[i], n);
}

static void count_cte_refs(M *m) {
  for (size_t i = 0; i < m->nrefs; i++) {
    cte_info *c = cte_find(m, m->refs[i]);
    if (c) c->refs++;
  }
}

static bool on_path(const M *m, const uf_node *n) {
  for (size_t i = 0; i < m->depth; i++)
    if (m->path[i] == n) return true;
  return false;
}

/* The CTE a FROM item of the SELECT being visited reads when it may be
 * merged, else NULL: the item is in the scope of the WITH (in its query,
 * not in the body of this CTE or of an earlier one of the list, where the
 * name means a table). The visit path holds the item's ancestors. */
static cte_info *mergeable_cte(M *m, uf_node *item) {
  if (!uf_is(item, UF_TABLE) || kid(item, UF_SLOT_DB) || kid(item, UF_SLOT_CATALOG) ||
      kid(item, UF_SLOT_SAMPLE) || m->depth >= MAX_DEPTH)
    return NULL;
  cte_info *c = cte_find(m, ident_text(kid(item, UF_SLOT_THIS)));
  if (c == NULL || c->bad || c->merged || c->refs != 1 || !on_path(m, c->owner)) return NULL;
  uf_node *list = kid(c->with, UF_SLOT_CTES);
  for (uint32_t i = 0; i <= c->index && i < list->nkids; i++)
    if (on_path(m, list->kids[i])) return NULL;
  return c;
}

/* -- the outer FROM tree --------------------------------------------------------- */

typedef struct slot_ref {
  uf_node *parent; /* JOIN or SELECT holding the item */
  uint32_t index;  /* kid index in parent */
  uf_node *item;
  uf_node *join;   /* the JOIN directly above, or NULL */
  bool null_side;  /* on the null-supplying side of an outer join */
} slot_ref;

#define MAX_ITEMS 64

typedef struct from_items {
  slot_ref items[MAX_ITEMS];
  size_t n;
  bool bad; /* a shape the rule does not merge into */
} from_items;

static bool plain_join_kind(const char *k) {
  return k[0] == 0 || !strcasecmp(k, "INNER") || !strcasecmp(k, "CROSS") ||
         !strcasecmp(k, "LEFT") || !strcasecmp(k, "RIGHT") || !strcasecmp(k, "FULL");
}

static int has_column(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  return uf_is(n, UF_COLUMN) ? 2 : 0;
}

static void scan_from(from_items *f, uf_node *parent, uint32_t index, uf_node *join,
                      bool null_side) {
  uf_node *n = parent->kids[index];
  if (uf_is(n, UF_JOIN)) {
    if (!plain_join_kind(n->text) || (n->flags & UF_F_NATURAL) || kid(n, UF_SLOT_USING)) {
      f->bad = true;
      return;
    }
    bool full = !strcasecmp(n->text, "FULL");
    bool left_null = full || !strcasecmp(n->text, "RIGHT");
    bool right_null = full || !strcasecmp(n->text, "LEFT");
    int li = uf_kind_slot_index(UF_JOIN, UF_SLOT_LEFT), ri = uf_kind_slot_index(UF_JOIN, UF_SLOT_RIGHT);
    if (n->kids[li]) scan_from(f, n, (uint32_t)li, n, null_side || left_null);
    if (n->kids[ri]) scan_from(f, n, (uint32_t)ri, n, null_side || right_null);
    return;
  }
  if (n == NULL || (n->flags & UF_F_LATERAL) || uf_is(n, UF_PIVOT) ||
      (uf_is(n, UF_TABLE_FUNC) && uf_walk(n, has_column, NULL)) || f->n == MAX_ITEMS) {
    f->bad = true;
    return;
  }
  f->items[f->n++] = (slot_ref){parent, index, n, join, null_side};
}

/* -- checks on the inner query ------------------------------------------------- */

typedef uf_name_list names_set;

static size_t count_alias(uf_node *n, const char *name) {
  if (n == NULL) return 0;
  size_t c = uf_is(n, UF_TABLE_ALIAS) && uf_same_name(ident_text(kid(n, UF_SLOT_NAME)), name);
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) c += count_alias(n->kids[i], name);
  return c;
}

typedef struct inner_scan {
  names_set defined; /* aliases defined anywhere in the inner query */
  names_set read;    /* qualifiers of its columns */
  names_set tables;  /* unqualified table names it reads */
  bool unqualified; /* or a lambda, or a non-deterministic call */
} inner_scan;

static void inner_rec(inner_scan *s, const uf_node *n) {
  if (uf_is(n, UF_TABLE_ALIAS)) uf_name_list_add(&s->defined, ident_text(kid(n, UF_SLOT_NAME)));
  else if (uf_is(n, UF_COLUMN)) {
    if (kid(n, UF_SLOT_DB) || kid(n, UF_SLOT_CATALOG)) s->unqualified = true;
    const char *q = ident_text(kid(n, UF_SLOT_TABLE));
    if (q == NULL) s->unqualified = true;
    else uf_name_list_add(&s->read, q);
  } else if (uf_is(n, UF_TABLE) && !kid(n, UF_SLOT_DB) && !kid(n, UF_SLOT_CATALOG)) {
    uf_name_list_add(&s->tables, ident_text(kid(n, UF_SLOT_THIS)));
  } else if (uf_is(n, UF_LAMBDA) || is_volatile_fn(n)) {
    s->unqualified = true; /* lambda parameters read as unqualified columns */
  }
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_has_kids(n->kids[i])) inner_rec(s, n->kids[i]);
}

/* The inner SELECT is one the rule merges (clauses, select list). */
static bool inner_shape_ok(const uf_node *in) {
  static const uf_slot NONE[] = {UF_SLOT_WITH, UF_SLOT_DISTINCT_ON, UF_SLOT_INTO,
                                 UF_SLOT_GROUP, UF_SLOT_HAVING, UF_SLOT_WINDOW,
                                 UF_SLOT_QUALIFY, UF_SLOT_ORDER, UF_SLOT_LIMIT,
                                 UF_SLOT_OFFSET, UF_SLOT_SAMPLE};
  if (!uf_is(in, UF_SELECT) || (in->flags & UF_F_DISTINCT) || !kid(in, UF_SLOT_FROM)) return false;
  for (size_t i = 0; i < sizeof NONE / sizeof *NONE; i++)
    if (kid(in, NONE[i])) return false;
  uf_node *ex = kid(in, UF_SLOT_EXPRS);
  if (!uf_is(ex, UF_LIST) || ex->nkids == 0) return false;
  for (uint32_t i = 0; i < ex->nkids; i++) {
    uf_node *a = ex->kids[i];
    const char *nm = uf_is(a, UF_ALIAS) ? ident_text(kid(a, UF_SLOT_ALIAS)) : NULL;
    if (nm == NULL || kid(a, UF_SLOT_THIS) == NULL) return false;
    for (uint32_t j = 0; j < i; j++)
      if (uf_same_name(ident_text(kid(ex->kids[j], UF_SLOT_ALIAS)), nm)) return false;
    if (not_plain_item(kid(a, UF_SLOT_THIS))) return false;
  }
  return true;
}

/* The inner expression for output `name`, or NULL. */
static uf_node *inner_expr(const uf_node *in, const char *name) {
  uf_node *ex = kid(in, UF_SLOT_EXPRS);
  for (uint32_t i = 0; i < ex->nkids; i++)
    if (uf_same_name(ident_text(kid(ex->kids[i], UF_SLOT_ALIAS)), name))
      return kid(ex->kids[i], UF_SLOT_THIS);
  return NULL;
}

/* -- checks on the outer query -------------------------------------------------- */

typedef struct outer_scan {
  const char *alias;      /* the merged source */
  const uf_node *skip, *skip2; /* the FROM item and the CTE being merged */
  const uf_node *inner;
  const uf_node *outer;   /* the outer SELECT */
  names_set taken;        /* names used in the outer query */
  bool bad;
} outer_scan;

static bool is_output_name(const uf_node *outer, const char *name) {
  uf_node *ex = kid(outer, UF_SLOT_EXPRS);
  for (uint32_t i = 0; ex && i < ex->nkids; i++)
    if (uf_is(ex->kids[i], UF_ALIAS) && uf_same_name(ident_text(kid(ex->kids[i], UF_SLOT_ALIAS)), name))
      return true;
  return false;
}

/* An item position that reads a constant as a column position. */
static bool positional(const uf_node *parent, const uf_node *grand) {
  if (uf_is(parent, UF_ORDERED)) return true;
  return uf_is(parent, UF_LIST) &&
         (uf_is(grand, UF_GROUP_BY) || uf_is(grand, UF_GROUPING) || uf_is(grand, UF_SELECT));
}

static void outer_rec(outer_scan *s, uf_node *n, uf_node *parent, uf_node *grand) {
  if (n == NULL || s->bad || n == s->skip || n == s->skip2) return;
  if (uf_is(n, UF_TABLE_ALIAS)) {
    const char *nm = ident_text(kid(n, UF_SLOT_NAME));
    if (uf_same_name(nm, s->alias)) s->bad = true; /* redefined in a nested scope */
    uf_name_list_add(&s->taken, nm);
  } else if (uf_is(n, UF_COLUMN)) {
    const char *q = ident_text(kid(n, UF_SLOT_TABLE));
    if (q == NULL) {
      /* ORDER BY an output name of the outer query */
      if (!(uf_is(parent, UF_ORDERED) && !kid(n, UF_SLOT_DB) &&
            is_output_name(s->outer, ident_text(kid(n, UF_SLOT_THIS)))))
        s->bad = true;
      return;
    }
    if (!uf_same_name(q, s->alias)) {
      uf_name_list_add(&s->taken, q);
      return;
    }
    if (kid(n, UF_SLOT_DB) || kid(n, UF_SLOT_CATALOG)) {
      s->bad = true;
      return;
    }
    uf_node *e = inner_expr(s->inner, ident_text(kid(n, UF_SLOT_THIS)));
    uf_node *outer_exprs = kid(s->outer, UF_SLOT_EXPRS);
    if (e == NULL || parent == outer_exprs ||
        (positional(parent, grand) && uf_rw_constant(e)))
      s->bad = true;
    return;
  } else if (uf_is(n, UF_STAR) || uf_is(n, UF_COLUMNS_EXPR)) {
    if (!(uf_is(parent, UF_LIST) && uf_is(grand, UF_FUNC))) s->bad = true; /* count(*) */
    return;
  } else if (uf_is(n, UF_LAMBDA)) {
    s->bad = true;
    return;
  }
  /* the outer query's CTE bodies cannot see its sources: not walked */
  uf_node *with = n == s->outer ? kid(n, UF_SLOT_WITH) : NULL;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (n->kids[i] != with && uf_rw_has_kids(n->kids[i])) outer_rec(s, n->kids[i], n, parent);
}

/* -- rewriting ---------------------------------------------------------------------- */

static uf_node *new_ident(M *m, const char *text, uint32_t flags) {
  uf_node *id = uf_node_new_text(m->t, UF_IDENT, text, strlen(text));
  if (id == NULL) m->st = UF_NOMEM;
  else id->flags = flags;
  return id;
}

static void rename_columns(M *m, uf_node *n, const char *from, const char *to) {
  if (n == NULL || m->st) return;
  if (uf_is(n, UF_COLUMN)) {
    int ti = uf_kind_slot_index(UF_COLUMN, UF_SLOT_TABLE);
    uf_node *q = n->kids[ti];
    if (uf_is(q, UF_IDENT) && uf_same_name(q->text, from)) n->kids[ti] = new_ident(m, to, q->flags);
    return;
  }
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_has_kids(n->kids[i])) rename_columns(m, n->kids[i], from, to);
}

/* Renames the inner FROM's sources whose alias the outer query uses. */
static bool rename_sources(M *m, uf_node *in, const names_set *taken, const char *alias) {
  /* every alias the inner FROM's top level defines (it moves as a unit) */
  uf_node *stack[MAX_ITEMS];
  size_t sp = 0;
  stack[sp++] = kid(in, UF_SLOT_FROM);
  while (sp) {
    uf_node *x = stack[--sp];
    if (uf_is(x, UF_JOIN)) {
      if (sp + 2 > MAX_ITEMS) return false;
      if (kid(x, UF_SLOT_RIGHT)) stack[sp++] = kid(x, UF_SLOT_RIGHT);
      if (kid(x, UF_SLOT_LEFT)) stack[sp++] = kid(x, UF_SLOT_LEFT);
      continue;
    }
    const char *nm = alias_name(x);
    if (nm == NULL) {
      if (uf_is(x, UF_TABLE) || uf_is(x, UF_DERIVED) || uf_is(x, UF_TABLE_FUNC)) return false;
      continue;
    }
    if (!uf_name_list_has(taken, nm) || uf_same_name(nm, alias)) continue;
    if (count_alias(in, nm) != 1) return false;
    if (m->names == NULL) {
      uf_error e;
      if (uf_names_open(m->root, &m->names, &e) != UF_OK) {
        m->st = UF_NOMEM;
        return false;
      }
    }
    const char *fresh = NULL;
    uf_error e;
    if (uf_names_fresh(m->names, m->t, nm, &fresh, &e) != UF_OK) {
      m->st = e.code ? e.code : UF_ERROR;
      return false;
    }
    uf_node *ta = kid(x, UF_SLOT_ALIAS);
    int ni = uf_kind_slot_index(UF_TABLE_ALIAS, UF_SLOT_NAME);
    uint32_t fl = ta->kids[ni]->flags;
    ta->kids[ni] = new_ident(m, fresh, fl);
    rename_columns(m, in, nm, fresh);
    if (m->st) return false;
  }
  return true;
}

typedef struct subst {
  M *m;
  const uf_node *outer; /* its WITH is not walked */
  const char *alias;
  const uf_node *inner;
  const uf_node *skip, *skip2;
} subst;

static void substitute(subst *s, uf_node *n) {
  for (uint32_t i = 0; i < n->nkids && s->m->st == UF_OK; i++) {
    uf_node *k = n->kids[i];
    if (!uf_rw_has_kids(k) || k == s->skip || k == s->skip2) continue;
    if (n == s->outer && k == kid(n, UF_SLOT_WITH)) continue;
    if (uf_is(k, UF_COLUMN) && uf_same_name(ident_text(kid(k, UF_SLOT_TABLE)), s->alias)) {
      uf_node *e = inner_expr(s->inner, ident_text(kid(k, UF_SLOT_THIS)));
      uf_node *c = e ? uf_node_copy(s->m->t, e) : NULL;
      if (c == NULL) {
        s->m->st = UF_NOMEM;
        return;
      }
      n->kids[i] = c;
      continue;
    }
    substitute(s, k);
  }
}

static uf_node *and_of(M *m, uf_node *a, uf_node *b) {
  if (a == NULL) return b;
  uf_node *n = uf_node_new(m->t, UF_AND);
  if (n == NULL) {
    m->st = UF_NOMEM;
    return a;
  }
  n->kids[0] = a, n->kids[1] = b;
  return n;
}

static bool inner_join_with_on(const uf_node *j) {
  return uf_is(j, UF_JOIN) && kid(j, UF_SLOT_ON) &&
         (j->text[0] == 0 || !strcasecmp(j->text, "INNER"));
}

static bool all_plain_columns(const uf_node *in) {
  uf_node *ex = kid(in, UF_SLOT_EXPRS);
  for (uint32_t i = 0; i < ex->nkids; i++)
    if (!uf_is(kid(ex->kids[i], UF_SLOT_THIS), UF_COLUMN)) return false;
  return true;
}

/* Names a CTE body may read only if they mean the same at the reference:
 * no CTE other than the earlier ones of its own WITH. */
static bool cte_reads_ok(M *m, const cte_info *c, const names_set *tables) {
  for (size_t i = 0; i < m->nctes; i++) {
    const cte_info *o = &m->ctes[i];
    if (o->with == c->with && o->index < c->index) continue;
    if (uf_name_list_has(tables, o->name)) return false;
  }
  return true;
}

/* Commas bind loosest ("x, z JOIN y" joins y to z alone): the spliced
 * FROM's comma joins are spelled CROSS JOIN, which nests as the tree does. */
static void uncomma(uf_node *n) {
  if (!uf_is(n, UF_JOIN)) return;
  n->style &= (uint8_t)~JS_COMMA;
  uncomma(kid(n, UF_SLOT_LEFT));
  uncomma(kid(n, UF_SLOT_RIGHT));
}

/* Merges the item at r (a derived table or a reference to CTE c) into
 * the SELECT `outer`. Returns true when merged. */
static bool try_merge(M *m, uf_node *outer, const slot_ref *r, cte_info *c) {
  uf_node *item = r->item;
  uf_node *in = c ? kid(c->cte, UF_SLOT_THIS) : kid(item, UF_SLOT_THIS);
  const char *alias = alias_name(item);
  uf_node *ta = kid(item, UF_SLOT_ALIAS);
  if (alias == NULL || kid(ta, UF_SLOT_COLUMNS) || kid(item, UF_SLOT_SAMPLE) ||
      !inner_shape_ok(in))
    return false;
  uf_node *where = kid(in, UF_SLOT_WHERE);
  if (r->null_side && (where || !all_plain_columns(in))) return false;
  /* A CTE's filter may run first, apart (DuckDB need not inline it): the
   * outer predicates that can fail then never see the rows it drops.
   * Merged, they would be conjuncts beside it, in any order. */
  if (c && where &&
      (uf_rw_fallible(kid(outer, UF_SLOT_WHERE)) ||
       (inner_join_with_on(r->join) && uf_rw_fallible(kid(r->join, UF_SLOT_ON)))))
    return false;
  /* Likewise an inner filter that can fail, ANDed into a join's ON: apart,
   * DuckDB may drop rows by the join first (UF_EQUIV_SEED=7 #3790: an
   * overflow the original never reached). */
  if (where && inner_join_with_on(r->join) && uf_rw_fallible(where)) return false;

  bool ok = true;
  inner_scan is = {0};
  inner_rec(&is, in);
  if (is.unqualified || is.defined.oom || is.read.oom || is.tables.oom) ok = false;
  for (size_t i = 0; ok && i < is.read.n; i++)
    if (!uf_name_list_has(&is.defined, is.read.v[i])) ok = false; /* correlated */
  if (ok && c && !cte_reads_ok(m, c, &is.tables)) ok = false;
  free(is.defined.v), free(is.read.v), free(is.tables.v);
  if (!ok) return false;

  outer_scan os = {.alias = alias, .skip = item, .skip2 = c ? c->cte : NULL, .inner = in,
                   .outer = outer};
  outer_rec(&os, outer, NULL, NULL);
  bool bad = os.bad || os.taken.oom;
  if (bad) {
    free(os.taken.v);
    return false;
  }
  bool renamed = rename_sources(m, in, &os.taken, alias);
  free(os.taken.v);
  if (!renamed || m->st) return false;

  subst s = {m, outer, alias, in, item, c ? c->cte : NULL};
  substitute(&s, outer);
  if (m->st) return false;

  if (where) {
    int wi = uf_kind_slot_index(UF_SELECT, UF_SLOT_WHERE);
    in->kids[wi] = NULL;
    if (inner_join_with_on(r->join)) {
      int oi = uf_kind_slot_index(UF_JOIN, UF_SLOT_ON);
      r->join->kids[oi] = and_of(m, r->join->kids[oi], where);
    } else {
      outer->kids[wi] = and_of(m, outer->kids[wi], where);
    }
  }
  uncomma(kid(in, UF_SLOT_FROM));
  r->parent->kids[r->index] = kid(in, UF_SLOT_FROM);
  if (c) c->merged = true;
  return m->st == UF_OK;
}

/* Merges what it can of sel's FROM items, again after each merge (the
 * spliced FROM may hold more candidates). A rejected item stays rejected:
 * merging another item changes none of the reasons. */
static void merge_into(M *m, uf_node *sel) {
  int fi = uf_kind_slot_index(UF_SELECT, UF_SLOT_FROM);
  const uf_node *rejected[MAX_ITEMS];
  size_t nrej = 0;
  for (int round = 0; round < 32 && m->st == UF_OK; round++) {
    if (sel->kids[fi] == NULL) return;
    from_items f = {.n = 0};
    scan_from(&f, sel, (uint32_t)fi, NULL, false);
    if (f.bad) return;
    bool merged = false;
    for (size_t i = 0; i < f.n && !merged; i++) {
      uf_node *it = f.items[i].item;
      cte_info *c = NULL;
      if (uf_is(it, UF_DERIVED)) {
        if (!uf_is(kid(it, UF_SLOT_THIS), UF_SELECT)) continue;
      } else if ((c = mergeable_cte(m, it)) == NULL) {
        continue;
      }
      bool seen = false;
      for (size_t j = 0; j < nrej && !seen; j++) seen = rejected[j] == it;
      if (seen) continue;
      merged = try_merge(m, sel, &f.items[i], c);
      if (!merged && nrej < MAX_ITEMS) rejected[nrej++] = it;
    }
    if (!merged) return;
  }
}

static void visit(M *m, uf_node *n) {
  if (n == NULL || m->st || uf_kind_category((uf_kind)n->kind) == UF_CAT_ATOM) return;
  bool pushed = m->depth < MAX_DEPTH;
  if (pushed) m->path[m->depth++] = n;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (uf_rw_structural(n->kids[i])) visit(m, n->kids[i]);
  if (uf_is(n, UF_SELECT) && kid(n, UF_SLOT_FROM)) merge_into(m, n);
  if (pushed) m->depth--;
}

/* Drops merged CTEs from their WITH lists (and empty WITHs). */
static void drop_merged(M *m) {
  for (size_t i = 0; i < m->nctes; i++) {
    cte_info *ci = &m->ctes[i];
    if (!ci->merged) continue;
    uf_node *list = kid(ci->with, UF_SLOT_CTES);
    uint32_t w = 0;
    for (uint32_t j = 0; list && j < list->nkids; j++)
      if (list->kids[j] != ci->cte) list->kids[w++] = list->kids[j];
    if (list) list->nkids = w;
    if (list && w == 0 && ci->owner) {
      for (uint32_t j = 0; j < ci->owner->nkids; j++)
        if (ci->owner->kids[j] == ci->with) ci->owner->kids[j] = NULL;
    }
  }
}

uf_status uf_merge_subqueries(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                              uf_node **out_root, uf_error *err) {
  (void)o;
  *out_root = root;
  if (root == NULL) return UF_OK;
  M m = {.t = t, .root = root};
  prescan(&m, root, NULL);
  if (m.nctes && m.st == UF_OK) count_cte_refs(&m);
  if (m.st == UF_OK && (m.nctes || m.nderived)) visit(&m, root);
  if (m.st == UF_OK) drop_merged(&m);
  free(m.ctes);
  free(m.refs);
  uf_names_free(m.names);
  if (m.st != UF_OK)
    return uf_error_set(err, m.st, "merge_subqueries: %s", uf_status_message(m.st));
  return UF_OK;
}
