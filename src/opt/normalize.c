/*
 * normalize: boolean connector trees (every maximal AND/OR/NOT subtree:
 * WHERE, HAVING, QUALIFY, ON, and any boolean expression elsewhere) to
 * conjunctive normal form, as SQLGlot's optimizer/normalize.py does.
 *
 * Two passes. The first walks the statement once, finds the connector
 * trees and measures each: its normalization distance (SQLGlot's: the sum
 * of the lengths of the clauses CNF would produce minus the connectors and
 * one; 0 for a tree already in CNF) and whether its shape needs a rewrite.
 * If any distance exceeds the limit nothing changes. The second rewrites
 * the recorded trees, innermost first:
 *   - NOT over AND/OR pushed inward (De Morgan, valid under Kleene logic);
 *     NOT NOT x inside a tree is x (an AND/OR operand is read as BOOLEAN)
 *   - nested AND/AND and OR/OR chains flattened, left-deep
 *   - OR over AND distributed (clauses of the cross product), a BETWEEN of
 *     such a tree expanded first (as SQLGlot does), clause literals and
 *     clauses sorted by their SQL text (SQLGlot's uniq_sort), duplicates
 *     and subsumed clauses (C1 AND (C1 OR x) is C1, also with NULLs) removed
 * OR clauses under AND get the PAREN node the parser would give them, so
 * the rendered SQL parses back to the same tree.
 *
 * Distribution copies operands and changes which rows each one is
 * evaluated on (DuckDB evaluates AND/OR operands lazily): a tree whose
 * atoms hold a volatile call (random(), nextval ...), a window, a subquery
 * or a parameter, or anything that can fail (arithmetic, casts, function
 * calls but COALESCE) is not distributed. Flattening and De Morgan keep
 * the rows every operand sees, so they apply to any tree. Trees without
 * any column (constants, GROUP BY positions) are left to simplify; one
 * whose CNF is a lone non-boolean operand keeps its type as written. In a
 * SELECT whose GROUP BY holds a connector, DuckDB matches select/HAVING
 * expressions to the keys by structure: there only FROM and WHERE are
 * normalized.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opt/fn_class.h"
#include "opt/rewrite.h"
#include "unifier/opt.h"
#include "unifier/sql.h"

#define CAP ((uint64_t)1 << 40) /* saturation of clause counts and sums */

typedef struct atom {
  uf_node *n;
  const char *txt; /* SQL text (sorting), made on demand */
  bool used;       /* placed once already: later uses are copies */
} atom;

typedef struct lit {
  atom *a;
  bool neg;
  const char *txt; /* sort key: text of the literal as rendered */
} lit;

typedef struct clause {
  lit *v;
  uint32_t n;
  const char *key;
} clause;

typedef struct cnf {
  clause *v;
  uint32_t n;
} cnf;

typedef struct tinfo {
  uint32_t conn;  /* AND/OR nodes (virtual ones of expanded BETWEENs too) */
  bool dist;      /* an AND under an OR (after NOTs are pushed) */
  bool rebuild;   /* the shape is not the canonical CNF spelling */
  bool column;    /* a column reference somewhere */
  bool copyable;  /* every atom may be evaluated more than once */
  bool safe;      /* no atom can fail */
} tinfo;

typedef struct nz {
  uf_tree *t;
  uf_status st;
  bool expand; /* BETWEEN read as two comparisons (distributed trees) */
  uf_node ***roots; /* slots holding a connector tree, pre-order */
  size_t nroots, cap;
  uint64_t distance;
} nz;

typedef struct cs {
  uint64_t c, s; /* clauses CNF gives, sum of their lengths */
} cs;

/* Through parentheses and NOTs, an AND or OR. */
static bool reaches_conn(uf_node *n) {
  for (n = uf_rw_unparen(n); uf_is(n, UF_NOT); n = uf_rw_unparen(n->kids[0]))
    ;
  return uf_is(n, UF_AND) || uf_is(n, UF_OR);
}

static bool is_digits(const char *s) {
  if (*s == 0) return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

/* x BETWEEN lo AND hi read as x >= lo AND x <= hi: x a column, the bounds
 * two string or two integer literals (then both forms compare in one
 * type, and x may be read twice). */
static bool expandable(const uf_node *n) {
  if (!uf_is(n, UF_BETWEEN) || (n->flags & UF_F_SYMMETRIC)) return false;
  const uf_node *x = n->kids[0], *lo = n->kids[1], *hi = n->kids[2];
  if (!uf_is(x, UF_COLUMN) || !lo || !hi) return false;
  if (uf_is(lo, UF_STRING) && uf_is(hi, UF_STRING)) return true;
  return uf_is(lo, UF_NUMBER) && uf_is(hi, UF_NUMBER) && is_digits(lo->text) &&
         is_digits(hi->text) && strlen(lo->text) < 10 && strlen(hi->text) < 10;
}

static bool volatile_name(const char *f) { return uf_fn_volatile(f); }

/* What a subtree holds (visit's result). */
enum {
  F_COLUMN = 1,
  F_NOCOPY = 2, /* must not be evaluated twice */
  F_RISKY = 4   /* may raise an error (overflow, conversion ...) */
};

/* = <> != == < > <= >= (read for every binary operator: no string
 * compares). */
static bool is_cmp(const char *op) {
  switch (op[0]) {
  case '=': return op[1] == 0 || (op[1] == '=' && op[2] == 0);
  case '<': return op[1] == 0 || ((op[1] == '>' || op[1] == '=') && op[2] == 0);
  case '>': return op[1] == 0 || (op[1] == '=' && op[2] == 0);
  case '!': return op[1] == '=' && op[2] == 0;
  default: return false;
  }
}

/* The flags of node n itself. DuckDB evaluates AND/OR operands lazily (an
 * operand runs only on the rows its predecessors leave undecided), so
 * distributing changes which rows an operand sees: only trees of operands
 * that cannot fail are distributed. */
static unsigned self_flags(const uf_node *n) {
  switch ((uf_kind)n->kind) {
  case UF_COLUMN: return F_COLUMN;
  case UF_NUMBER: case UF_STRING: case UF_BOOLEAN: case UF_NULL: case UF_PAREN: case UF_NOT:
  case UF_AND: case UF_OR: case UF_IS: case UF_IS_DISTINCT: case UF_BETWEEN: case UF_IN:
  case UF_LIST: case UF_TYPE: case UF_IDENT:
    return 0;
  case UF_LIKE: return uf_get(n, UF_SLOT_ESCAPE) ? F_RISKY : 0;
  case UF_BINARY: return is_cmp(n->text) ? 0 : F_RISKY;
  case UF_CAST: return n->flags & UF_F_TRY ? 0 : F_RISKY;
  case UF_FUNC: {
    unsigned f = uf_get(n, UF_SLOT_OVER) || volatile_name(n->text) ? F_NOCOPY : 0;
    char first = (char)(n->text[0] | 0x20); /* rules out most names cheaply */
    bool plain = !uf_get(n, UF_SLOT_FILTER) && !uf_get(n, UF_SLOT_ORDER) && !uf_get(n, UF_SLOT_DB) &&
                 ((first == 'c' && strcasecmp(n->text, "coalesce") == 0) ||
                  (first == 'i' && strcasecmp(n->text, "ifnull") == 0));
    return f | (plain ? 0 : F_RISKY);
  }
  case UF_SUBQUERY: case UF_EXISTS: case UF_QUANTIFIED: case UF_PARAM:
  case UF_SELECT: case UF_SET_OP: case UF_VALUES: case UF_QUERY_PAREN:
    return F_NOCOPY | F_RISKY;
  default:
    return F_RISKY;
  }
}

static unsigned visit(nz *z, uf_node *n, int depth);
static void conjuncts_at(nz *z, uf_node *and);

/* Context of an operand: the effective connector above it. */
enum { TOP, UNDER_AND, UNDER_OR };

/* Measures the tree at x (polarity neg: under an odd number of NOTs).
 * `wrapped`: x had parentheses; `left`: x is its parent's left operand.
 * With `collect`, atoms are visited for nested trees. */
static cs measure(nz *z, uf_node *x, bool neg, int ctx, bool left, tinfo *ti, bool collect) {
  uf_node *y = uf_rw_unparen(x);
  bool wrapped = y != x;
  if (uf_is(y, UF_NOT) && reaches_conn(y->kids[0])) {
    ti->rebuild = true;
    return measure(z, y->kids[0], !neg, ctx, left, ti, collect);
  }
  bool is_and = uf_is(y, UF_AND), is_or = uf_is(y, UF_OR);
  bool virt = !is_and && !is_or && z->expand && expandable(y);
  if (!is_and && !is_or && !virt) { /* an atom */
    if (collect) {
      unsigned f = visit(z, y, 0);
      if (f & F_NOCOPY) ti->copyable = false;
      if (f & F_RISKY) ti->safe = false;
      if (f & F_COLUMN) ti->column = true;
    }
    return (cs){1, 1};
  }
  ti->conn++;
  bool eff_and;
  cs l, r;
  if (virt) {
    bool n2 = neg != ((y->flags & UF_F_NOT) != 0);
    eff_and = !n2;
    ti->rebuild = true;
    l = r = (cs){1, 1};
  } else {
    eff_and = is_and != neg;
    if (ctx == UNDER_OR && eff_and) ti->dist = ti->rebuild = true;
    /* canonical: chains left-deep without parentheses, an OR clause under
     * AND in exactly one PAREN */
    if ((ctx == UNDER_AND && eff_and) || (ctx == UNDER_OR && !eff_and))
      if (!left || wrapped) ti->rebuild = true;
    if (ctx == UNDER_AND && !eff_and && (!uf_is(x, UF_PAREN) || x->kids[0] != y))
      ti->rebuild = true;
    int sub = eff_and ? UNDER_AND : UNDER_OR;
    l = measure(z, y->kids[0], neg, sub, true, ti, collect);
    r = measure(z, y->kids[1], neg, sub, false, ti, collect);
  }
  if (eff_and) {
    uint64_t c = l.c + r.c, s = l.s + r.s;
    return (cs){c > CAP ? CAP : c, s > CAP ? CAP : s};
  }
  /* OR: every clause of one side with every clause of the other */
  uint64_t c = l.c > CAP / (r.c ? r.c : 1) ? CAP : l.c * r.c;
  uint64_t s1 = l.s > CAP / (r.c ? r.c : 1) ? CAP : l.s * r.c;
  uint64_t s2 = r.s > CAP / (l.c ? l.c : 1) ? CAP : r.s * l.c;
  uint64_t s = s1 + s2 > CAP ? CAP : s1 + s2;
  return (cs){c, s};
}

static uint64_t distance_of(cs m, const tinfo *ti) {
  uint64_t base = (uint64_t)ti->conn + 1;
  return m.s > base ? m.s - base : 0;
}

static void record(nz *z, uf_node **slot) {
  if (z->nroots == z->cap) {
    size_t cap = z->cap ? 2 * z->cap : 16;
    uf_node ***r = realloc(z->roots, cap * sizeof *r);
    if (r == NULL) {
      z->st = UF_NOMEM;
      return;
    }
    z->roots = r;
    z->cap = cap;
  }
  z->roots[z->nroots++] = slot;
}

/* The tree in *slot: measured, recorded when it may need a rewrite.
 * Returns the flags of its atoms. */
static unsigned tree_at(nz *z, uf_node **slot) {
  tinfo ti = {0, false, false, false, true, true};
  cs m = measure(z, *slot, false, TOP, true, &ti, true);
  unsigned flags = (ti.column ? F_COLUMN : 0) | (ti.copyable ? 0 : F_NOCOPY) | (ti.safe ? 0 : F_RISKY);
  if (!ti.column) return flags;
  uint64_t d = distance_of(m, &ti);
  if (ti.dist) { /* SQLGlot expands BETWEEN before measuring */
    tinfo t2 = {0, false, false, false, true, true};
    z->expand = true;
    d = distance_of(measure(z, *slot, false, TOP, true, &t2, false), &t2);
    z->expand = false;
  }
  if (d > z->distance) z->distance = d;
  if (ti.rebuild && (!ti.dist || (ti.copyable && ti.safe))) record(z, slot);
  else if (ti.dist && uf_is(uf_rw_unparen(*slot), UF_AND)) conjuncts_at(z, uf_rw_unparen(*slot));
  return flags;
}

static int subtree_flags(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  *(unsigned *)ctx |= self_flags(n);
  return 0;
}

/* A tree that cannot be distributed as a whole (an operand could fail or
 * must not be copied) may still hold conjuncts that can: distributing
 * inside one conjunct copies only its own operands. Each is normalized on
 * its own, so a safe conjunct gets one form wherever it sits (in a WHERE
 * beside a CAST, or moved alone into a join's ON). */
static void conjuncts_at(nz *z, uf_node *and) {
  for (int i = 0; i < 2 && z->st == UF_OK; i++) {
    uf_node **slot = &and->kids[i];
    if (uf_is(uf_rw_unparen(*slot), UF_AND)) {
      conjuncts_at(z, uf_rw_unparen(*slot));
      continue;
    }
    if (!reaches_conn(*slot)) continue;
    tinfo ti = {0, false, false, false, true, true};
    measure(z, *slot, false, TOP, true, &ti, false);
    unsigned f = 0;
    uf_walk(*slot, subtree_flags, &f);
    if (ti.dist && ti.rebuild && !(f & (F_NOCOPY | F_RISKY)) && (f & F_COLUMN)) record(z, slot);
  }
}

static int has_connector(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  return uf_is(n, UF_AND) || uf_is(n, UF_OR) || uf_is(n, UF_NOT) || uf_is(n, UF_BETWEEN) ? 2 : 0;
}

static bool skipped_kind(const uf_node *n) {
  return uf_is(n, UF_COLUMN_DEF) || uf_is(n, UF_CONSTRAINT) || uf_is(n, UF_CREATE_MACRO);
}

/* A SELECT grouping by a connector expression: only its WITH, FROM and
 * WHERE are searched (the others may repeat the grouped expression). */
static bool grouped_connector(const uf_node *n) {
  uf_node *g = uf_is(n, UF_SELECT) ? uf_get(n, UF_SLOT_GROUP) : NULL;
  return g && uf_walk(g, has_connector, NULL);
}

static bool searched_slot(bool grouped_conn, uint32_t i) {
  if (!grouped_conn) return true;
  uf_slot s = uf_kind_slot_at(UF_SELECT, i);
  return s == UF_SLOT_WITH || s == UF_SLOT_FROM || s == UF_SLOT_WHERE;
}

/* k is the top of a connector tree. */
static bool connector_top(uf_node *k) {
  switch ((uf_kind)k->kind) {
  case UF_AND: case UF_OR: case UF_NOT: case UF_PAREN: return reaches_conn(k);
  default: return false;
  }
}

/* Finds the connector trees under n; returns n's flags (F_*). */
static unsigned visit(nz *z, uf_node *n, int depth) {
  if (n == NULL || z->st != UF_OK) return 0;
  unsigned flags = self_flags(n);
  if (skipped_kind(n) || depth > UF_MAX_TREE_DEPTH) return flags | F_NOCOPY;
  bool grouped_conn = grouped_connector(n);
  for (uint32_t i = 0; i < n->nkids; i++) {
    uf_node *k = n->kids[i];
    if (k == NULL || !searched_slot(grouped_conn, i)) continue;
    if (connector_top(k)) {
      flags |= tree_at(z, &n->kids[i]);
      continue;
    }
    /* a column's parts are names: its flags are its own (visit's depth
     * limit would add F_NOCOPY) */
    bool plain_column = uf_is(k, UF_COLUMN) && depth < UF_MAX_TREE_DEPTH;
    flags |= k->nkids && !plain_column ? visit(z, k, depth + 1) : self_flags(k);
  }
  return flags;
}

/* visit without the flags, which nobody reads outside a connector tree's
 * atoms: finds the connector trees under n. */
static void scan(nz *z, uf_node *n, int depth) {
  if (z->st != UF_OK || skipped_kind(n) || depth > UF_MAX_TREE_DEPTH) return;
  bool grouped_conn = grouped_connector(n);
  for (uint32_t i = 0; i < n->nkids; i++) {
    uf_node *k = n->kids[i];
    /* no connector tree in a leaf or a column (its parts are names) */
    if (!uf_rw_structural(k) || !searched_slot(grouped_conn, i)) continue;
    if (connector_top(k)) tree_at(z, &n->kids[i]);
    else scan(z, k, depth + 1);
  }
}

/* -- the rewrite -------------------------------------------------------------- */

static void *arena(nz *z, size_t size) {
  void *p = uf_tree_alloc(z->t, size ? size : 1);
  if (p == NULL) z->st = UF_NOMEM;
  return p;
}

static uf_node *mk(nz *z, uf_kind k, const char *text) {
  uf_node *n = text ? uf_node_new_text(z->t, k, text, strlen(text)) : uf_node_new(z->t, k);
  if (n == NULL) z->st = UF_NOMEM;
  return n;
}

static atom *new_atom(nz *z, uf_node *n) {
  atom *a = arena(z, sizeof *a);
  if (a) a->n = n;
  return a;
}

static cnf single(nz *z, atom *a, bool neg) {
  cnf r = {arena(z, sizeof(clause)), 1};
  lit *l = arena(z, sizeof(lit));
  if (!r.v || !l) return (cnf){NULL, 0};
  /* NOT x under negation is x */
  uf_node *y = uf_rw_unparen(a->n);
  if (neg && uf_is(y, UF_NOT) && y->kids[0]) {
    a->n = y->kids[0];
    neg = false;
  }
  *l = (lit){a, neg, NULL};
  r.v[0] = (clause){l, 1, NULL};
  return r;
}

static uf_node *cmp(nz *z, const char *op, uf_node *a, uf_node *b) {
  uf_node *c = mk(z, UF_BINARY, op);
  if (c) c->kids[0] = a, c->kids[1] = b;
  return c;
}

static cnf to_cnf(nz *z, uf_node *x, bool neg);

static cnf combine(nz *z, cnf l, cnf r, bool eff_and) {
  if (z->st != UF_OK) return (cnf){NULL, 0};
  if (eff_and) {
    cnf o = {arena(z, (l.n + r.n) * sizeof(clause)), l.n + r.n};
    if (!o.v) return o;
    memcpy(o.v, l.v, l.n * sizeof(clause));
    memcpy(o.v + l.n, r.v, r.n * sizeof(clause));
    return o;
  }
  cnf o = {arena(z, (size_t)l.n * r.n * sizeof(clause)), l.n * r.n};
  if (!o.v) return o;
  uint32_t w = 0;
  for (uint32_t i = 0; i < l.n; i++)
    for (uint32_t j = 0; j < r.n; j++) {
      clause c = {arena(z, (l.v[i].n + r.v[j].n) * sizeof(lit)), l.v[i].n + r.v[j].n, NULL};
      if (!c.v) return (cnf){NULL, 0};
      memcpy(c.v, l.v[i].v, l.v[i].n * sizeof(lit));
      memcpy(c.v + l.v[i].n, r.v[j].v, r.v[j].n * sizeof(lit));
      o.v[w++] = c;
    }
  return o;
}

static cnf to_cnf(nz *z, uf_node *x, bool neg) {
  uf_node *y = uf_rw_unparen(x);
  if (uf_is(y, UF_NOT) && reaches_conn(y->kids[0])) return to_cnf(z, y->kids[0], !neg);
  if (uf_is(y, UF_AND) || uf_is(y, UF_OR)) {
    bool eff_and = uf_is(y, UF_AND) != neg;
    cnf l = to_cnf(z, y->kids[0], neg), r = to_cnf(z, y->kids[1], neg);
    return combine(z, l, r, eff_and);
  }
  if (z->expand && expandable(y)) {
    bool n2 = neg != ((y->flags & UF_F_NOT) != 0);
    uf_node *x2 = uf_node_copy(z->t, y->kids[0]);
    uf_node *ge = cmp(z, ">=", y->kids[0], y->kids[1]), *le = cmp(z, "<=", x2, y->kids[2]);
    atom *a = new_atom(z, ge), *b = new_atom(z, le);
    if (!x2 || !a || !b) {
      z->st = UF_NOMEM;
      return (cnf){NULL, 0};
    }
    return combine(z, single(z, a, n2), single(z, b, n2), !n2);
  }
  atom *a = new_atom(z, x);
  return a ? single(z, a, neg) : (cnf){NULL, 0};
}

/* -- sorting (distributed trees) -------------------------------------------- */

static const char *atom_text(nz *z, atom *a) {
  if (a->txt) return a->txt;
  char *s = NULL;
  size_t len = 0;
  uf_gen_options o;
  memset(&o, 0, sizeof o);
  o.strip_comments = true;
  if (uf_generate(a->n, &o, &s, &len, NULL) != UF_OK) {
    a->txt = "";
    return a->txt;
  }
  char *c = arena(z, len + 1);
  if (c) memcpy(c, s, len + 1);
  uf_free(s);
  a->txt = c ? c : "";
  return a->txt;
}

static char *concat(nz *z, const char *const *parts, size_t n) {
  size_t len = 0;
  for (size_t i = 0; i < n; i++) len += strlen(parts[i]);
  char *s = arena(z, len + 1);
  if (s == NULL) return NULL;
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(parts[i]);
    memcpy(s + w, parts[i], l);
    w += l;
  }
  s[w] = 0;
  return s;
}

static int lit_cmp(const void *a, const void *b) {
  const lit *x = a, *y = b;
  return strcmp(x->txt, y->txt);
}

static int clause_cmp(const void *a, const void *b) {
  const clause *x = a, *y = b;
  return strcmp(x->key, y->key);
}

static bool lit_equal(const lit *a, const lit *b) {
  return a->neg == b->neg && (a->a == b->a || uf_node_equal(a->a->n, b->a->n, false));
}

/* Every literal of c is in d. */
static bool subset(const clause *c, const clause *d) {
  for (uint32_t i = 0; i < c->n; i++) {
    bool found = false;
    for (uint32_t j = 0; j < d->n && !found; j++) found = lit_equal(&c->v[i], &d->v[j]);
    if (!found) return false;
  }
  return true;
}

/* Literals and clauses sorted by text, duplicates and subsumed clauses
 * dropped (all atoms are copyable here). */
static void tidy(nz *z, cnf *f) {
  for (uint32_t i = 0; i < f->n && z->st == UF_OK; i++) {
    clause *c = &f->v[i];
    for (uint32_t j = 0; j < c->n; j++) {
      const char *t = atom_text(z, c->v[j].a);
      const char *parts[2] = {"NOT ", t};
      c->v[j].txt = c->v[j].neg ? concat(z, parts, 2) : t;
      if (c->v[j].txt == NULL) return;
    }
    qsort(c->v, c->n, sizeof(lit), lit_cmp);
    uint32_t w = 0;
    for (uint32_t j = 0; j < c->n; j++)
      if (w == 0 || !lit_equal(&c->v[w - 1], &c->v[j])) c->v[w++] = c->v[j];
    c->n = w;
    const char **parts = arena(z, (2 * (size_t)w + 1) * sizeof *parts);
    if (parts == NULL) return;
    size_t k = 0;
    if (w > 1) parts[k++] = "(";
    for (uint32_t j = 0; j < w; j++) {
      if (j) parts[k++] = " OR ";
      parts[k++] = c->v[j].txt;
    }
    if (w > 1) parts[k++] = ")";
    c->key = concat(z, parts, k);
    if (c->key == NULL) return;
  }
  if (z->st != UF_OK) return;
  qsort(f->v, f->n, sizeof(clause), clause_cmp);
  bool *drop = calloc(f->n ? f->n : 1, sizeof *drop);
  if (drop == NULL) {
    z->st = UF_NOMEM;
    return;
  }
  for (uint32_t i = 0; i < f->n; i++)
    for (uint32_t j = 0; j < f->n && !drop[i]; j++) {
      if (i == j || drop[j] || !subset(&f->v[j], &f->v[i])) continue;
      /* equal clauses: the first stays */
      if (f->v[j].n == f->v[i].n && j > i) continue;
      drop[i] = true;
    }
  uint32_t w = 0;
  for (uint32_t i = 0; i < f->n; i++)
    if (!drop[i]) f->v[w++] = f->v[i];
  f->n = w;
  free(drop);
}

/* -- building ------------------------------------------------------------------ */

static uf_node *lit_node(nz *z, const lit *l) {
  uf_node *n = l->a->used ? uf_node_copy(z->t, l->a->n) : l->a->n;
  if (n == NULL) {
    z->st = UF_NOMEM;
    return NULL;
  }
  l->a->used = true;
  if (!l->neg) return n;
  uf_node *no = mk(z, UF_NOT, NULL);
  if (no) no->kids[0] = n;
  return no;
}

/* acc <k> x, left-deep (x alone when acc is NULL); NULL out of memory. */
static uf_node *connect(nz *z, uf_kind k, uf_node *acc, uf_node *x) {
  if (acc == NULL) return x;
  uf_node *c = mk(z, k, NULL);
  if (c == NULL) return NULL;
  c->kids[0] = acc, c->kids[1] = x;
  return c;
}

static uf_node *build(nz *z, const cnf *f) {
  uf_node *acc = NULL;
  for (uint32_t i = 0; i < f->n && z->st == UF_OK; i++) {
    const clause *c = &f->v[i];
    uf_node *cl = NULL;
    for (uint32_t j = 0; j < c->n && z->st == UF_OK; j++)
      cl = connect(z, UF_OR, cl, lit_node(z, &c->v[j]));
    if (z->st == UF_OK && f->n > 1 && c->n > 1) {
      uf_node *p = mk(z, UF_PAREN, NULL);
      if (p == NULL) return NULL;
      p->kids[0] = cl;
      cl = p;
    }
    acc = connect(z, UF_AND, acc, cl);
  }
  return z->st == UF_OK ? acc : NULL;
}

static bool boolish(const uf_node *n) {
  n = uf_rw_unparen((uf_node *)n);
  switch ((uf_kind)n->kind) {
  case UF_IS: case UF_IS_DISTINCT: case UF_BETWEEN: case UF_IN: case UF_LIKE: case UF_EXISTS:
  case UF_BOOLEAN: case UF_NOT:
    return true;
  case UF_BINARY: return is_cmp(n->text);
  default: return false;
  }
}

static void rewrite(nz *z, uf_node **slot) {
  tinfo ti = {0, false, false, false, true, true};
  measure(z, *slot, false, TOP, true, &ti, false);
  z->expand = ti.dist;
  cnf f = to_cnf(z, *slot, false);
  z->expand = false;
  if (z->st != UF_OK || f.v == NULL) return;
  if (ti.dist) tidy(z, &f);
  if (z->st != UF_OK || f.n == 0) return;
  /* a lone non-boolean operand would change the expression's type */
  if (f.n == 1 && f.v[0].n == 1 && !f.v[0].v[0].neg && !boolish(f.v[0].v[0].a->n)) return;
  uf_node *out = build(z, &f);
  if (out == NULL) return;
  /* the root keeps its own parentheses */
  uf_node **target = slot;
  while (uf_is(*target, UF_PAREN) && (*target)->kids[0] &&
         uf_kind_category((uf_kind)(*target)->kids[0]->kind) != UF_CAT_QUERY)
    target = &(*target)->kids[0];
  *target = out;
}

uf_status uf_normalize(uf_tree *t, uf_node *root, uint32_t max_distance,
                       uf_node **out_root, uf_normalize_result *res, uf_error *err) {
  nz z;
  memset(&z, 0, sizeof z);
  z.t = t;
  uf_node *holder = root;
  if (root && reaches_conn(root)) tree_at(&z, &holder);
  else if (root) scan(&z, root, 0);
  bool over = z.distance > max_distance;
  if (res) {
    res->distance = z.distance > UINT32_MAX ? UINT32_MAX : (uint32_t)z.distance;
    res->skipped = over;
  }
  /* recorded innermost first (a tree after the trees in its atoms): an
   * outer rewrite may copy them */
  for (size_t i = 0; !over && i < z.nroots && z.st == UF_OK; i++) rewrite(&z, z.roots[i]);
  free(z.roots);
  if (z.st != UF_OK) return uf_error_set(err, z.st, "normalize: %s", uf_status_message(z.st));
  *out_root = holder;
  return UF_OK;
}
