/*
 * Classes of functions the rewrite rules must respect: volatile ones
 * (a new value per call: evaluating one twice, or once instead of twice,
 * changes results), aggregates, and set-returning ones (they change the
 * row count where they appear). Names compare ASCII case-insensitively,
 * as DuckDB resolves unquoted function names.
 */
#ifndef UF_OPT_FN_CLASS_H
#define UF_OPT_FN_CLASS_H

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "opt/rewrite.h"
#include "unifier/ast.h"

static inline bool uf_fn_name_in(const char *name, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (strcasecmp(name, list[i]) == 0) return true;
  return false;
}

/* Binary search of a list sorted in lower-case ASCII order (the lists
 * below: keep them sorted; test_rules checks every entry is found). */
static inline bool uf_fn_name_sorted(const char *name, const char *const *list, size_t n) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcasecmp(name, list[mid]);
    if (c == 0) return true;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return false;
}

/* A new value per call, or a side effect (DuckDB's VOLATILE functions and
 * the ones that write or fail on purpose). */
static inline bool uf_fn_volatile(const char *name) {
  static const char *const V[] = {
      "current_connection_id", "current_query", "current_query_id",
      "current_transaction_id", "currval", "error", "gen_random_uuid", "nextval", "rand",
      "random", "setseed", "uuid", "uuidv4", "uuidv7", "write_log",};
  return uf_fn_name_sorted(name, V, sizeof V / sizeof *V);
}

/* DuckDB's aggregates (duckdb_functions(), function_type 'aggregate'), its
 * aggregate macros and GROUPING(). A call outside the list may still be
 * one (a user aggregate): rules use the list only where missing one is
 * safe or where the catalog is not at hand. */
static inline bool uf_fn_aggregate(const char *name) {
  static const char *const A[] = {
      "any_value", "approx_count_distinct", "approx_quantile", "approx_top_k", "arbitrary",
      "arg_max", "arg_max_null", "arg_min", "arg_min_null", "argmax", "argmin", "array_agg",
      "avg", "bit_and", "bit_or", "bit_xor", "bitstring_agg", "bool_and", "bool_or", "corr",
      "count", "count_if", "count_star", "countif", "covar_pop", "covar_samp", "entropy",
      "every", "favg", "first", "fsum", "geomean", "geometric_mean", "group_concat",
      "grouping", "grouping_id", "histogram", "histogram_exact", "kahan_sum", "kurtosis",
      "kurtosis_pop", "last", "list", "listagg", "mad", "max", "max_by", "mean", "median",
      "min", "min_by", "mode", "product", "quantile", "quantile_cont", "quantile_disc",
      "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope",
      "regr_sxx", "regr_sxy", "regr_syy", "reservoir_quantile", "sem", "skewness", "stddev",
      "stddev_pop", "stddev_samp", "string_agg", "sum", "sum_no_overflow", "sumkahan",
      "var_pop", "var_samp", "variance", "wavg", "weighted_avg",};
  return uf_fn_name_sorted(name, A, sizeof A / sizeof *A);
}

/* Calls that return rows, not a value: in a select list they change the
 * row count. */
static inline bool uf_fn_set_returning(const char *name) {
  static const char *const S[] = {
      "explode", "generate_series", "generate_subscripts", "inline", "json_each",
      "json_tree", "posexplode", "range", "unlist", "unnest",};
  return uf_fn_name_sorted(name, S, sizeof S / sizeof *S);
}

static int uf_fn_volatile_walk_(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  return uf_is(n, UF_FUNC) && uf_fn_volatile(n->text) ? 2 : 0;
}

/* Some call under n (subqueries included) is volatile. */
static inline bool uf_rw_volatile(const uf_node *n) {
  return n && uf_walk((uf_node *)n, uf_fn_volatile_walk_, NULL) == 2;
}

/* n itself can raise a data-dependent error (integer overflow of + - *
 * or unary minus, a failing CAST) on some row: a predicate holding one
 * must not move to where it runs in another order relative to the
 * conjuncts that guard it, or a query that ran could fail. Constant
 * subtrees are evaluated once either way and do not count. */
static inline bool uf_rw_fallible_node(const uf_node *n) {
  if (uf_is(n, UF_BINARY))
    return (!strcmp(n->text, "+") || !strcmp(n->text, "-") || !strcmp(n->text, "*")) &&
           !uf_rw_constant((uf_node *)n);
  if (uf_is(n, UF_UNARY)) return !strcmp(n->text, "-") && !uf_rw_constant((uf_node *)n);
  if (uf_is(n, UF_CAST)) return !(n->flags & UF_F_TRY) && !uf_rw_constant((uf_node *)n);
  return false;
}

static int uf_rw_fallible_walk_(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent, (void)ctx;
  return uf_rw_fallible_node(n) ? 2 : 0;
}

/* Some node under n can fail on some rows (uf_rw_fallible_node). */
static inline bool uf_rw_fallible(const uf_node *n) {
  return n && uf_walk((uf_node *)n, uf_rw_fallible_walk_, NULL) == 2;
}

#endif
