/*
 * The compile pipeline: parse (or copy) one statement into a tree the
 * compiled query owns, run the policy's rules in order (each timed), render
 * for the write dialect, then the artifacts: fingerprints, serde JSON,
 * lineage, cache key. Every compilation, failed or not, is recorded through
 * the recorder as one compilation record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt/compile_internal.h"
#include "opt/tree_features.h"
#include "sql/dialect.h"
#include "unifier/compile.h"

#define MAX_STEPS (UF_POLICY_MAX_RULES + 5)

/* One compilation in progress. */
typedef struct C {
  uf_compiled_query *q;
  const uf_schema *s;
  const char *sql; /* source text for caret snippets, or NULL */
  size_t len;
  uf_node *root;
  uf_rule_timing *timings;
  size_t ntimings;
  /* annotate_types' result, kept for simplify (which would otherwise
   * annotate again); dropped by any rule that restructures the tree. */
  uf_types *types;
  unsigned features; /* UF_TF_* of the tree, when features_valid */
  bool features_valid;
} C;

static void timed(C *c, const char *step, double start) {
  if (c->timings && c->ntimings < MAX_STEPS)
    c->timings[c->ntimings++] = (uf_rule_timing){step, uf_diag_now_ms() - start};
}

/* -- rules ------------------------------------------------------------------ */

/* qualify: against the schema; without one, unknown columns stay as
 * written (there is nothing to validate them against). Folding happens here
 * when normalize_identifiers is in the policy, since resolution compares
 * normalized names. */
static uf_status rule_qualify(C *c, uf_error *err) {
  const uf_policy *p = &c->q->policy;
  uf_qualify_options o;
  memset(&o, 0, sizeof o);
  o.dialect = uf_policy_read(p);
  o.no_normalize = !uf_policy_has_rule(p, "normalize_identifiers");
  o.allow_partial = c->s == NULL;
  o.validate = p->validate;
  o.sql = c->sql;
  o.sql_len = c->len;
  uf_qualify_result r = {0};
  uf_status st = uf_qualify(c->q->tree, c->root, c->s, &o, &c->root, &r, err);
  c->q->artifacts.issues = r.issues;
  c->q->artifacts.nissues = r.nissues;
  return st;
}

/* What normalize_identifiers decided for one text (texts are interned:
 * one pointer per spelling, so a query's repeated names are decided once). */
typedef struct norm_memo {
  const char *text;   /* NULL: empty slot */
  const char *folded; /* text as an unquoted identifier folds */
  bool quote;         /* the folded text needs quotes */
} norm_memo;

#define NORM_MEMO 256 /* power of two; when full, names are decided afresh */

typedef struct norm_ctx {
  uf_tree *t;
  const uf_dialect *d;
  uf_identify identify;
  bool oom;
  size_t nmemo;
  norm_memo memo[NORM_MEMO];
} norm_ctx;

static norm_memo *norm_slot(norm_ctx *x, const char *text) {
  size_t h = ((uintptr_t)text >> 3) * 0x9E3779B97F4A7C15u;
  for (size_t j = (h >> 8) & (NORM_MEMO - 1);; j = (j + 1) & (NORM_MEMO - 1))
    if (x->memo[j].text == text || x->memo[j].text == NULL) return &x->memo[j];
}

/* The folded spelling of an unquoted identifier's text; NULL out of memory. */
static const char *norm_fold(norm_ctx *x, const char *text) {
  if (uf_dialect_is_folded(x->d, text)) return text;
  size_t len = strlen(text);
  char small[128];
  char *buf = len < sizeof small ? small : malloc(len + 1);
  if (buf == NULL) return NULL;
  uf_dialect_fold(x->d, text, buf);
  const char *folded = uf_intern(x->t, buf, len);
  if (buf != small) free(buf);
  return folded;
}

/* Unquoted identifiers fold as the dialect folds them; quoted ones stay
 * exact. Identifiers that need quotes (or all, identify ALWAYS) are marked
 * as written quoted, so every renderer quotes them alike. */
static void norm_ident(norm_ctx *x, uf_node *n) {
  bool quote;
  if (n->flags & UF_F_QUOTED) {
    quote = uf_dialect_ident_needs_quotes(x->d, n->text);
  } else {
    norm_memo *m = norm_slot(x, n->text);
    if (m->text == NULL) {
      const char *folded = norm_fold(x, n->text);
      if (folded == NULL) {
        x->oom = true;
        return;
      }
      quote = uf_dialect_ident_needs_quotes(x->d, folded);
      if (x->nmemo + 1 < NORM_MEMO) { /* one slot stays empty: probes end */
        *m = (norm_memo){n->text, folded, quote};
        x->nmemo++;
      }
      n->text = folded;
    } else {
      n->text = m->folded;
      quote = m->quote;
    }
  }
  /* keywords are quoted wherever they stand: names the rules move into
   * another position (an alias becoming a CTE name) must still read back */
  if (x->identify == UF_IDENTIFY_ALWAYS || quote) n->style |= UF_IDENT_WRITTEN_QUOTED;
}

/* Every identifier below n (identifiers are leaves). */
static void norm_below(norm_ctx *x, uf_node *n) {
  for (uint32_t i = 0; i < n->nkids && !x->oom; i++) {
    uf_node *k = n->kids[i];
    if (k == NULL) continue;
    if (k->kind == UF_IDENT) norm_ident(x, k);
    else if (k->nkids) norm_below(x, k);
  }
}

static uf_status rule_normalize_identifiers(C *c, uf_error *err) {
  norm_ctx x = {c->q->tree, uf_policy_read(&c->q->policy), c->q->policy.identify, false, 0,
                {{NULL, NULL, false}}};
  if (c->root && c->root->kind == UF_IDENT) norm_ident(&x, c->root);
  else if (c->root) norm_below(&x, c->root);
  return x.oom ? uf_error_set(err, UF_NOMEM, "out of memory") : UF_OK;
}

static const char *arena_str(uf_tree *t, const char *s) {
  return uf_intern(t, s ? s : "", s ? strlen(s) : 0);
}

/* annotate_types: keeps the output columns (name, type) of a query. */
static uf_status rule_annotate_types(C *c, uf_error *err) {
  /* Functions the annotator's table does not know: the schema's catalog. */
  uf_annotate_options o = {uf_policy_read(&c->q->policy), uf_schema_functions(c->s)};
  uf_types *ts = NULL;
  uf_status st = uf_annotate_types(c->root, c->s, &o, &ts, err);
  if (st != UF_OK) return st;
  uf_types_free(c->types);
  c->types = NULL;
  const uf_type *row = uf_types_output(ts);
  uf_compile_artifacts *a = &c->q->artifacts;
  a->typed = true;
  if (row && row->nfields) {
    uf_output_column *cols = uf_tree_alloc(c->q->tree, row->nfields * sizeof *cols);
    if (cols == NULL) st = uf_error_set(err, UF_NOMEM, "out of memory");
    for (size_t i = 0; cols && i < row->nfields; i++) {
      const uf_type *ty = row->fields[i].type;
      cols[i].name = arena_str(c->q->tree, row->fields[i].name);
      cols[i].type = arena_str(c->q->tree, ty && ty->text ? ty->text : "UNKNOWN");
    }
    a->columns = cols;
    a->ncolumns = cols ? row->nfields : 0;
  }
  c->types = ts;
  return st;
}

/* The rewrite rules: options from the policy, types from the schema. */
static uf_rewrite_options rewrite_options(const C *c) {
  const uf_policy *p = &c->q->policy;
  uf_rewrite_options o = {p->expand_between, p->sort_commutative, c->s, uf_policy_read(p),
                          uf_schema_functions(c->s), c->types};
  return o;
}

/* canonicalize rewrites in place and keeps every expression's type (a
 * negated comparison is still BOOLEAN, a respelled cast the same type),
 * so the annotation stays valid for simplify. */
static uf_status rule_canonicalize(C *c, uf_error *err) {
  uf_rewrite_options o = rewrite_options(c);
  return uf_canonicalize(c->q->tree, c->root, &o, &c->root, err);
}

static uf_status rule_simplify(C *c, uf_error *err) {
  uf_rewrite_options o = rewrite_options(c);
  return uf_simplify(c->q->tree, c->root, &o, &c->root, err);
}

/* normalize: the distance and whether it was skipped are artifacts. */
static uf_status rule_normalize(C *c, uf_error *err) {
  uf_normalize_result r = {0, true};
  uf_status st = uf_normalize(c->q->tree, c->root, c->q->policy.normalize_max_distance,
                              &c->root, &r, err);
  c->q->artifacts.normalize_distance = r.distance;
  c->q->artifacts.normalize_skipped = r.skipped;
  return st;
}

/* The restructuring rules share one signature; the pushdowns also need
 * their policy switch. Types given before one of them no longer hold.
 * A rule is not run at all when the tree lacks what it rewrites (`any`:
 * one of these constructs, `all`: each of them; opt/tree_features.h): the
 * features are scanned once and again only after a rule that ran. */
typedef uf_status (*restructure_fn)(uf_tree *, uf_node *, const uf_rewrite_options *,
                                    uf_node **, uf_error *);

static uf_status restructure(C *c, restructure_fn fn, unsigned any, unsigned all,
                             uf_error *err) {
  if (!c->features_valid) {
    c->features = uf_tree_features_of(c->root);
    c->features_valid = true;
  }
  if ((c->features & any) == 0 || (c->features & all) != all) return UF_OK;
  uf_types_free(c->types);
  c->types = NULL;
  c->features_valid = false;
  uf_rewrite_options o = rewrite_options(c);
  return fn(c->q->tree, c->root, &o, &c->root, err);
}

#define SOURCES (UF_TF_DERIVED | UF_TF_WITH)

static uf_status rule_pushdown_projections(C *c, uf_error *err) {
  return c->q->policy.pushdown_projections
             ? restructure(c, uf_pushdown_projections, SOURCES, 0, err)
             : UF_OK;
}
static uf_status rule_pushdown_predicates(C *c, uf_error *err) {
  return c->q->policy.pushdown_predicates
             ? restructure(c, uf_pushdown_predicates, SOURCES | UF_TF_JOIN, 0, err)
             : UF_OK;
}
static uf_status rule_unnest_subqueries(C *c, uf_error *err) {
  return restructure(c, uf_unnest_subqueries, UF_TF_SUBQUERY, 0, err);
}
static uf_status rule_optimize_joins(C *c, uf_error *err) {
  return restructure(c, uf_optimize_joins, UF_TF_JOIN, 0, err);
}
static uf_status rule_eliminate_subqueries(C *c, uf_error *err) {
  return restructure(c, uf_eliminate_subqueries, SOURCES, 0, err);
}
static uf_status rule_merge_subqueries(C *c, uf_error *err) {
  return restructure(c, uf_merge_subqueries, SOURCES, 0, err);
}
static uf_status rule_eliminate_joins(C *c, uf_error *err) {
  return restructure(c, uf_eliminate_joins, SOURCES, UF_TF_LEFT_JOIN, err);
}
static uf_status rule_eliminate_ctes(C *c, uf_error *err) {
  return restructure(c, uf_eliminate_ctes, UF_TF_WITH, 0, err);
}

typedef uf_status (*rule_fn)(C *c, uf_error *err);

/* Every rule of the registry (policy.c) and the function that runs it. */
static rule_fn rule_by_name(const char *name) {
  static const struct {
    const char *name;
    rule_fn fn;
  } RULE_FNS[] = {{"qualify", rule_qualify},
                  {"normalize_identifiers", rule_normalize_identifiers},
                  {"normalize", rule_normalize},
                  {"unnest_subqueries", rule_unnest_subqueries},
                  {"pushdown_predicates", rule_pushdown_predicates},
                  {"optimize_joins", rule_optimize_joins},
                  {"eliminate_joins", rule_eliminate_joins},
                  {"eliminate_ctes", rule_eliminate_ctes},
                  {"pushdown_projections", rule_pushdown_projections},
                  {"eliminate_subqueries", rule_eliminate_subqueries},
                  {"merge_subqueries", rule_merge_subqueries},
                  {"annotate_types", rule_annotate_types},
                  {"canonicalize", rule_canonicalize},
                  {"simplify", rule_simplify}};
  for (size_t i = 0; i < sizeof RULE_FNS / sizeof *RULE_FNS; i++) /* first letter: cheap */
    if (name[0] == RULE_FNS[i].name[0] && strcmp(name, RULE_FNS[i].name) == 0)
      return RULE_FNS[i].fn;
  return NULL;
}

static uf_status run_rules(C *c, uf_error *err) {
  const uf_policy *p = &c->q->policy;
  for (size_t i = 0; i < p->nrules; i++) {
    rule_fn fn = rule_by_name(p->rules[i]);
    if (fn == NULL)
      return uf_error_set(err, UF_INVALID_ARGUMENT, "unknown rule '%s'", p->rules[i]);
    double t0 = uf_diag_now_ms();
    uf_status st = fn(c, err);
    timed(c, p->rules[i], t0);
    if (st != UF_OK) return st;
  }
  return UF_OK;
}

/* -- artifacts ---------------------------------------------------------------- */

/* Lineage of the final (qualified) AST, made on first use
 * (uf_compiled_query_lineage): sources and predicate columns per output
 * column, as JSON. A statement without a query has none (both NULL). */
uf_status uf_compiled_query_lineage(const uf_compiled_query *q, const uf_schema *s,
                                    const char **sources_json, const char **predicates_json,
                                    uf_error *err) {
  if (sources_json) *sources_json = NULL;
  if (predicates_json) *predicates_json = NULL;
  if (q == NULL || q->ast == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_compiled_query_lineage: no query");
  /* The query was malloc'd mutable; only these cached artifacts change. */
  uf_compile_artifacts *a = (uf_compile_artifacts *)&q->artifacts;
  if (a->lineage_json == NULL) {
    uf_lineage_result *r = NULL;
    uf_error local;
    bool query = uf_kind_category((uf_kind)q->ast->kind) == UF_CAT_QUERY;
    uf_error *e = query ? err : &local;
    uf_status st = uf_lineage(q->ast, s, &r, e);
    if (st == UF_OK) st = uf_lineage_json(r, UF_LINEAGE_SOURCES, NULL, &a->lineage_json, NULL, e);
    if (st == UF_OK)
      st = uf_lineage_json(r, UF_LINEAGE_PREDICATES, NULL, &a->lineage_predicates_json, NULL, e);
    uf_lineage_free(r);
    if (st != UF_OK) {
      uf_free(a->lineage_json);
      uf_free(a->lineage_predicates_json);
      a->lineage_json = a->lineage_predicates_json = NULL;
      return query ? st : UF_OK;
    }
  }
  if (sources_json) *sources_json = a->lineage_json;
  if (predicates_json) *predicates_json = a->lineage_predicates_json;
  return UF_OK;
}

uf_status uf_compile_cache_key(const char *input_fp, const char *policy_fp,
                              const char *schema_fp,
                              char out[UF_FINGERPRINT_HEX], uf_error *err) {
  char buf[16 + 3 * UF_FINGERPRINT_HEX];
  int n = snprintf(buf, sizeof buf, "uf-compile:1\n%s\n%s\n%s", input_fp, policy_fp,
                   schema_fp);
  return uf_sha256_hex(buf, (size_t)n, out, err);
}

static uf_status render(C *c, uf_error *err) {
  const uf_policy *p = &c->q->policy;
  uf_gen_options g;
  memset(&g, 0, sizeof g);
  g.dialect = uf_policy_write(p);
  g.pretty = p->pretty;
  g.identify = p->identify;
  double t0 = uf_diag_now_ms();
  uf_status st = uf_generate(c->root, &g, &c->q->sql, &c->q->sql_len, err);
  timed(c, "render", t0);
  return st;
}

static uf_status artifacts(C *c, uf_error *err) {
  uf_compile_artifacts *a = &c->q->artifacts;
  double t0 = uf_diag_now_ms();
  /* The serde JSON and the lineage are left to their accessors (on
   * demand: most compilations never need them). */
  uf_status st = uf_fingerprint_alias_free(c->q->tree, c->root, uf_policy_read(&c->q->policy),
                                           a->fingerprint, err);
  timed(c, "artifacts", t0);
  return st;
}

static uf_status input_fingerprint(uf_compiled_query *q, const uf_node *root,
                                   const char *given, uf_error *err);

uf_status uf_compiled_query_input_fingerprint(const uf_compiled_query *q,
                                              const char **out_hex, uf_error *err) {
  if (out_hex) *out_hex = NULL;
  if (q == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_compiled_query_input_fingerprint: no query");
  /* The query was malloc'd mutable; only these cached artifacts change. */
  uf_compiled_query *w = (uf_compiled_query *)q;
  if (q->artifacts.input_fingerprint[0] == '\0') {
    if (q->source == NULL)
      return uf_error_set(err, UF_INTERNAL, "compiled query has neither input fingerprint nor source");
    uf_tree *t = NULL;
    uf_parse_options po = {uf_policy_read(&q->policy), 0, 0};
    uf_status st = uf_parse_one(q->source, q->source_len, &po, &t, err);
    if (st == UF_OK) st = input_fingerprint(w, uf_tree_root(t), NULL, err);
    uf_tree_free(t);
    if (st != UF_OK) {
      w->artifacts.input_fingerprint[0] = w->artifacts.cache_key[0] = '\0';
      return st;
    }
  }
  if (out_hex) *out_hex = q->artifacts.input_fingerprint;
  return UF_OK;
}

uf_status uf_compiled_query_cache_key(const uf_compiled_query *q, const char **out_hex,
                                      uf_error *err) {
  if (out_hex) *out_hex = NULL;
  uf_status st = uf_compiled_query_input_fingerprint(q, NULL, err);
  if (st == UF_OK && out_hex) *out_hex = q->artifacts.cache_key;
  return st;
}

uf_status uf_compiled_query_ast_json(const uf_compiled_query *q,
                                     const char **out_json, size_t *out_len,
                                     uf_error *err) {
  if (out_json) *out_json = NULL;
  if (out_len) *out_len = 0;
  if (q == NULL || q->ast == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_compiled_query_ast_json: no query");
  /* The query was malloc'd mutable; only this cached artifact changes. */
  uf_compile_artifacts *a = (uf_compile_artifacts *)&q->artifacts;
  if (a->ast_json == NULL) {
    uf_status st = uf_serde_dump(q->ast, &a->ast_json, &a->ast_json_len, err);
    if (st != UF_OK) return st;
  }
  if (out_json) *out_json = a->ast_json;
  if (out_len) *out_len = a->ast_json_len;
  return UF_OK;
}

/* -- the pipeline -------------------------------------------------------------- */

void uf_compiled_query_free(uf_compiled_query *q) {
  if (q == NULL) return;
  uf_free(q->sql);
  uf_free(q->artifacts.ast_json);
  uf_free(q->artifacts.lineage_json);
  uf_free(q->artifacts.lineage_predicates_json);
  uf_tree_free(q->tree);
  free(q);
}

void uf_compiled_queries_free(uf_compiled_query **qs, size_t n) {
  if (qs == NULL) return;
  for (size_t i = 0; i < n; i++) uf_compiled_query_free(qs[i]);
  free(qs);
}

/* A new compiled query with its policy, fingerprints of policy and schema,
 * and an empty tree (none if the caller brings a parsed one). */
static uf_status begin(const uf_policy *p, const uf_schema *s, bool with_tree,
                       uf_compiled_query **out, uf_error *err) {
  uf_compiled_query *q = calloc(1, sizeof *q);
  if (q && with_tree) q->tree = uf_tree_new();
  if (q == NULL || (with_tree && q->tree == NULL)) {
    free(q);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  if (p) q->policy = *p;
  else uf_policy_default(&q->policy);
  uf_compile_artifacts *a = &q->artifacts;
  a->normalize_skipped = true; /* until normalize runs */
  uf_status st = uf_policy_fingerprint(&q->policy, a->policy_fingerprint, err);
  if (st == UF_OK) st = uf_schema_fingerprint(s, a->schema_fingerprint, err);
  if (st != UF_OK) {
    uf_compiled_query_free(q);
    return st;
  }
  *out = q;
  return UF_OK;
}

/* The input fingerprint (given, or of the tree before the rules change
 * it) and the cache key. */
static uf_status input_fingerprint(uf_compiled_query *q, const uf_node *root,
                                   const char *given, uf_error *err) {
  uf_compile_artifacts *a = &q->artifacts;
  uf_status st = UF_OK;
  if (given) memcpy(a->input_fingerprint, given, UF_FINGERPRINT_HEX);
  else st = uf_fingerprint_hex(root, uf_policy_read(&q->policy), a->input_fingerprint, err);
  if (st == UF_OK)
    st = uf_compile_cache_key(a->input_fingerprint, a->policy_fingerprint,
                              a->schema_fingerprint, a->cache_key, err);
  return st;
}

/* Runs everything after the input tree is in place (c->root set). The
 * input fingerprint of a tree input is taken now (the rules change the
 * tree); SQL text keeps its source and is fingerprinted on demand. */
static uf_status finish(C *c, const char *input_fp, double t_start, uf_error *err) {
  uf_compile_artifacts *a = &c->q->artifacts;
  uf_status st = UF_OK;
  if (input_fp || c->q->source == NULL) st = input_fingerprint(c->q, c->root, input_fp, err);
  if (st == UF_OK) st = run_rules(c, err);
  uf_types_free(c->types);
  c->types = NULL;
  if (st == UF_OK) st = render(c, err);
  if (st == UF_OK) st = artifacts(c, err);
  if (st == UF_OK) {
    uf_tree_set_root(c->q->tree, c->root);
    c->q->ast = c->root;
  }
  a->timings = c->timings;
  a->ntimings = c->ntimings;
  a->total_ms = uf_diag_now_ms() - t_start;
  return st;
}

/* The compilation record: input dialect, fingerprints, output, duration. */
static void record(uf_recorder *rec, const uf_policy *p, const uf_compiled_query *q,
                   uf_status st, const uf_error *e, double ms) {
  if (rec == NULL) return;
  uf_diag_compilation d;
  memset(&d, 0, sizeof d);
  uf_policy defaults;
  if (p == NULL) uf_policy_default(&defaults);
  d.name = "query";
  d.dialect = uf_dialect_name(uf_policy_read(p ? p : &defaults));
  d.fingerprint = st == UF_OK ? q->artifacts.fingerprint : NULL;
  d.policy_fingerprint = q ? q->artifacts.policy_fingerprint : NULL;
  d.sql = st == UF_OK ? q->sql : NULL;
  d.statements = 1;
  d.duration_ms = ms;
  d.error = st == UF_OK ? NULL : e->message;
  d.error_code = st == UF_OK ? NULL : uf_status_name(st);
  uf_record_compilation(rec, &d, NULL);
}

/* Compiles the statement `src` (from any tree; sql is then its source text
 * for carets, or NULL) or, if src is NULL, the one statement of sql. */
uf_status uf_compile_internal(const uf_node *src, const char *sql, size_t len,
                              const char *input_fp, const uf_policy *p, const uf_schema *s,
                              uf_recorder *rec, uf_compiled_query **out, uf_error *err) {
  double t0 = uf_diag_now_ms();
  uf_error local;
  if (err == NULL) err = &local;
  *out = NULL;
  uf_compiled_query *q = NULL;
  uf_status st = begin(p, s, src != NULL, &q, err);
  C c = {q, s, sql, len, NULL, NULL, 0, NULL, 0, false};
  if (st == UF_OK && src) {
    c.timings = uf_tree_alloc(q->tree, MAX_STEPS * sizeof *c.timings);
    c.root = uf_node_copy(q->tree, src);
    if (c.timings == NULL || c.root == NULL) st = uf_error_set(err, UF_NOMEM, "out of memory");
  } else if (st == UF_OK) {
    uf_tree *parsed = NULL;
    double tp = uf_diag_now_ms(); /* after begin: policy/schema hashing is not parsing */
    uf_parse_options po = {uf_policy_read(&q->policy), 0, 0};
    st = uf_parse_one(sql, len, &po, &parsed, err);
    /* The parsed tree becomes the compiled query's tree; it keeps the
     * source for the input fingerprint. */
    if (st == UF_OK) {
      q->tree = parsed;
      c.root = uf_tree_root(parsed);
      c.timings = uf_tree_alloc(parsed, MAX_STEPS * sizeof *c.timings);
      char *copy = uf_tree_alloc(parsed, len + 1);
      if (c.timings == NULL || copy == NULL) st = uf_error_set(err, UF_NOMEM, "out of memory");
      if (copy) {
        memcpy(copy, sql, len);
        copy[len] = '\0';
        q->source = copy;
        q->source_len = len;
      }
      timed(&c, "parse", tp);
    }
  }
  if (st == UF_OK) st = finish(&c, input_fp, t0, err);
  record(rec, p, q, st, err, uf_diag_now_ms() - t0);
  if (st != UF_OK) {
    uf_compiled_query_free(q);
    return st;
  }
  *out = q;
  return UF_OK;
}

uf_status uf_compile_sql(const char *sql, size_t len, const uf_policy *p,
                         const uf_schema *s, uf_recorder *rec,
                         uf_compiled_query **out, uf_error *err) {
  if (out == NULL || (sql == NULL && len))
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_compile_sql: no input or output");
  return uf_compile_internal(NULL, sql ? sql : "", len, NULL, p, s, rec, out, err);
}

uf_status uf_compile_ast(const uf_node *stmt, const uf_policy *p,
                         const uf_schema *s, uf_recorder *rec,
                         uf_compiled_query **out, uf_error *err) {
  if (out == NULL || stmt == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_compile_ast: no tree or output");
  return uf_compile_internal(stmt, NULL, 0, NULL, p, s, rec, out, err);
}

uf_status uf_compile_script(const char *sql, size_t len, const uf_policy *p,
                            const uf_schema *s, uf_recorder *rec,
                            uf_compiled_query ***out, size_t *out_n,
                            uf_error *err) {
  *out = NULL;
  *out_n = 0;
  uf_policy defaults;
  if (p == NULL) uf_policy_default(&defaults);
  uf_parse_options po = {uf_policy_read(p ? p : &defaults), 0, 0};
  uf_tree *t = NULL;
  uf_status st = uf_parse(sql, len, &po, &t, err);
  if (st != UF_OK) return st;
  uf_node *script = uf_tree_root(t);
  size_t n = script ? script->nkids : 0;
  uf_compiled_query **qs = calloc(n ? n : 1, sizeof *qs);
  if (qs == NULL) st = uf_error_set(err, UF_NOMEM, "out of memory");
  size_t done = 0;
  for (; st == UF_OK && done < n; done++) {
    /* The whole text: statement nodes keep offsets into it (carets). */
    double t0 = uf_diag_now_ms();
    uf_compiled_query *q = NULL;
    st = begin(p, s, true, &q, err);
    C c = {q, s, sql, len, NULL, NULL, 0, NULL, 0, false};
    if (st == UF_OK) {
      c.timings = uf_tree_alloc(q->tree, MAX_STEPS * sizeof *c.timings);
      c.root = uf_node_copy(q->tree, script->kids[done]);
      if (c.timings == NULL || c.root == NULL) st = uf_error_set(err, UF_NOMEM, "out of memory");
    }
    if (st == UF_OK) st = finish(&c, NULL, t0, err);
    record(rec, p, q, st, err, uf_diag_now_ms() - t0);
    if (st != UF_OK) uf_compiled_query_free(q);
    else qs[done] = q;
  }
  uf_tree_free(t);
  if (st != UF_OK) {
    uf_compiled_queries_free(qs, n);
    return st;
  }
  *out = qs;
  *out_n = n;
  return UF_OK;
}
