/*
 * unifier — the compile lane: one pipeline from SQL text (or a builder
 * tree) to a compiled query: the final AST, the SQL rendered for the
 * engine, and the compilation artifacts.
 *
 * A policy (uf_policy) pins everything that decides the output: read and
 * write dialect, the ordered rule list, identify mode, validation, the
 * normalization distance limit, pushdown switches and pretty output. Its
 * fingerprint hashes all of it, so a compiled query is identified by
 * (input AST fingerprint, policy fingerprint, schema fingerprint): the
 * cache key.
 *
 * Rules (in policy order; unknown names are rejected when a policy is
 * loaded):
 *   qualify                tables, columns, stars, aliases (uf_qualify)
 *   normalize_identifiers  fold unquoted identifiers as the read dialect
 *                          does, mark quoting per the identify mode
 *   normalize              predicates to CNF under the distance limit
 *   unnest_subqueries      predicate subqueries to joins
 *   pushdown_predicates    filters moved into derived tables, CTEs, joins
 *   optimize_joins         cross joins given their predicates, join order
 *   eliminate_joins        joins that cannot change the result removed
 *   eliminate_ctes         unread CTEs removed
 *   pushdown_projections   unused derived-table/CTE columns removed
 *   eliminate_subqueries   derived tables to CTEs, duplicates merged
 *   merge_subqueries       derived tables/CTEs merged into their reader
 *   annotate_types         types; gives the output columns
 *   canonicalize           one spelling per construct (uf_canonicalize)
 *   simplify               constant folding, boolean algebra (uf_simplify)
 * The default list is all of them in this order (unifier/opt.h has each
 * rule's contract, docs/optimizer.md the reasons for the order);
 * pushdown_predicates/projections also need their policy switch on.
 *
 * The SQL core never depends on DuckDB: executing a compiled query
 * (uf_engine_execute_compiled) lives in the engine library.
 */
#ifndef UNIFIER_COMPILE_H
#define UNIFIER_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/ast.h"
#include "unifier/diag.h"
#include "unifier/opt.h"
#include "unifier/schema.h"
#include "unifier/sql.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -- policy ---------------------------------------------------------------- */

#define UF_POLICY_VERSION 1      /* canonical serialization format */
#define UF_POLICY_MAX_RULES 32

typedef struct uf_policy {
  const uf_dialect *read;   /* dialect of the input; NULL = duckdb */
  const uf_dialect *write;  /* dialect of the rendered SQL (the engine's);
                               NULL = duckdb */
  /* The pinned ordered rule list: static names from the rule registry
   * (uf_policy_rule_name); nrules entries. */
  const char *rules[UF_POLICY_MAX_RULES];
  size_t nrules;
  uf_identify identify;      /* quoting on output */
  bool validate;             /* qualification issues are fatal */
  uint32_t normalize_max_distance; /* normalization distance limit */
  bool pushdown_predicates;  /* pushdown switches (rules of the optimizer) */
  bool pushdown_projections;
  bool pretty;               /* pretty rendered SQL */
  /* canonicalize options: BETWEEN expanded to two comparisons; operands of
   * commutative operators in a deterministic order. Both default off. */
  bool expand_between;
  bool sort_commutative;
} uf_policy;

/* The defaults: duckdb -> duckdb, every rule of the registry in its
 * order; identify SAFE; validation on; distance limit 128;
 * pushdowns on; compact output. */
void uf_policy_default(uf_policy *p);

/* Number of rules the registry knows, and the i-th name (NULL past the
 * end). The names are static. */
size_t uf_policy_rule_count(void);
const char *uf_policy_rule_name(size_t i);

/* Replaces p's rule list by `names` (n of them); each must be a known rule
 * (UF_INVALID_ARGUMENT naming it otherwise), no duplicates. */
uf_status uf_policy_set_rules(uf_policy *p, const char *const *names,
                              size_t n, uf_error *err);

/* Applies a JSON policy document over p (fields not given keep p's value):
 *   {"read": "duckdb", "write": "duckdb",
 *    "rules": ["qualify", "normalize_identifiers", "annotate_types"],
 *    "identify": "safe" | "always" | true | false, "validate": true,
 *    "normalize_max_distance": 128, "pushdown_predicates": true,
 *    "pushdown_projections": true, "pretty": false,
 *    "expand_between": false, "sort_commutative": false}
 * An unknown key, dialect or rule, or a value of the wrong type, is
 * UF_INVALID_ARGUMENT. */
uf_status uf_policy_load_json(uf_policy *p, const char *json, size_t len,
                              uf_error *err);
/* Same, from a file (UF_IO if it cannot be read). */
uf_status uf_policy_load_file(uf_policy *p, const char *path, uf_error *err);

/* Canonical serialization of every field (rule names and
 * UF_FINGERPRINT_VERSION included) as a new string; free with uf_free. */
uf_status uf_policy_canonical(const uf_policy *p, char **out, uf_error *err);
/* SHA-256 of the canonical serialization, 64 hex digits + NUL. */
uf_status uf_policy_fingerprint(const uf_policy *p,
                                char out_hex[UF_FINGERPRINT_HEX],
                                uf_error *err);

/* Fingerprint of a schema's content (tables, columns, types, defaults), the
 * "schema version" part of cache keys; s NULL gives the fingerprint of no
 * schema. Kept in the schema after the first call and recomputed only after
 * the schema changes (so, like building a schema, not for concurrent use of
 * one schema from several threads). */
uf_status uf_schema_fingerprint(const uf_schema *s,
                                char out_hex[UF_FINGERPRINT_HEX],
                                uf_error *err);

/* -- compiled queries ------------------------------------------------------ */

typedef struct uf_output_column {
  const char *name; /* as the query names it */
  const char *type; /* DuckDB spelling; "UNKNOWN" if not known */
} uf_output_column;

typedef struct uf_rule_timing {
  const char *rule; /* static rule name; "parse", "render", "artifacts"
                       (fingerprint) for the fixed steps */
  double ms;
} uf_rule_timing;

/* Everything a compilation produced besides the AST and the SQL. Strings
 * and arrays are owned by the compiled query. */
typedef struct uf_compile_artifacts {
  /* uf_serde_dump of the final AST, made on first use: NULL (length 0)
   * until uf_compiled_query_ast_json is called on the query, which fills
   * these two fields. Most compilations never need it, and it costs more
   * than the rest of the artifacts together. */
  char *ast_json;
  size_t ast_json_len;
  /* Of the input AST. Compiling SQL text leaves it "" and it is made on
   * first use (uf_compiled_query_input_fingerprint parses the kept source
   * again): only a cache needs it. A tree input has it at once. */
  char input_fingerprint[UF_FINGERPRINT_HEX];
  char fingerprint[UF_FINGERPRINT_HEX];        /* of the final AST */
  char policy_fingerprint[UF_FINGERPRINT_HEX];
  char schema_fingerprint[UF_FINGERPRINT_HEX];
  /* SHA-256 over input fingerprint, policy fingerprint and schema
   * fingerprint: the compiled-query cache key; made with the input
   * fingerprint ("" until then: uf_compiled_query_cache_key). */
  char cache_key[UF_FINGERPRINT_HEX];
  /* Lineage as JSON: {"output column": [["table","column"], ...], ...},
   * made on first use: NULL until uf_compiled_query_lineage is called (and
   * for a statement without a query). Predicate lineage (columns that only
   * filter, join or group) in the same shape. */
  char *lineage_json;
  char *lineage_predicates_json;
  /* Qualification issues (with validation off; with it on the first one
   * fails the compilation). */
  const uf_qualify_issue *issues;
  size_t nissues;
  const uf_output_column *columns; /* from annotate_types; else none */
  size_t ncolumns;
  bool typed;                      /* annotate_types ran */
  uint32_t normalize_distance;     /* largest predicate's distance */
  bool normalize_skipped;          /* true: normalize did not rewrite
                                      (not in the policy, or a distance
                                      above the limit) */
  const uf_rule_timing *timings;   /* parse, each rule, render, artifacts */
  size_t ntimings;
  double total_ms;
} uf_compile_artifacts;

typedef struct uf_compiled_query {
  uf_tree *tree;        /* owns the AST and the artifacts' arena data */
  const uf_node *ast;   /* the final AST (a statement) */
  char *sql;            /* rendered in the policy's write dialect */
  size_t sql_len;
  uf_policy policy;     /* the policy it was compiled under (a copy) */
  uf_compile_artifacts artifacts;
  const char *source;   /* the SQL text compiled (a copy, in tree), or NULL
                           for a tree input */
  size_t source_len;
} uf_compiled_query;

/* Compiles exactly one statement of `sql` (len bytes) under policy p (NULL
 * = defaults) against schema s (NULL = none: columns resolve only against
 * the query's own derived tables, unknown ones are left as written).
 * Records a compilation record through rec (may be NULL), also on failure.
 * On success *out is new; free with uf_compiled_query_free. Errors: the
 * parser's, UF_SEMANTIC for a qualification issue with validation on,
 * UF_UNSUPPORTED if the write dialect cannot express the result. */
uf_status uf_compile_sql(const char *sql, size_t len, const uf_policy *p,
                         const uf_schema *s, uf_recorder *rec,
                         uf_compiled_query **out, uf_error *err);
/* Compiles a tree (a builder tree, a parsed statement): stmt is deep-copied
 * and not modified. */
uf_status uf_compile_ast(const uf_node *stmt, const uf_policy *p,
                         const uf_schema *s, uf_recorder *rec,
                         uf_compiled_query **out, uf_error *err);
/* Compiles every statement of a script: *out is a new array of *out_n
 * compiled queries (free with uf_compiled_queries_free). Stops at the first
 * failure (nothing is returned then; err names the statement's position). */
uf_status uf_compile_script(const char *sql, size_t len, const uf_policy *p,
                            const uf_schema *s, uf_recorder *rec,
                            uf_compiled_query ***out, size_t *out_n,
                            uf_error *err);
void uf_compiled_query_free(uf_compiled_query *q);
void uf_compiled_queries_free(uf_compiled_query **qs, size_t n);

/* The serde JSON of the final AST (the ast_json artifact): computed on the
 * first call and kept in q->artifacts.ast_json/ast_json_len; *out_json
 * (may be NULL) is borrowed from q, *out_len (may be NULL) its length. The
 * first call writes to q (also to a query borrowed from a compile cache),
 * so it must not race with other use of the same query. */
uf_status uf_compiled_query_ast_json(const uf_compiled_query *q,
                                     const char **out_json, size_t *out_len,
                                     uf_error *err);

/* The input fingerprint and the cache key (see uf_compile_artifacts):
 * made on the first call and kept in q; *out_hex is borrowed from q. Like
 * uf_compiled_query_ast_json, the first call writes to q. */
uf_status uf_compiled_query_input_fingerprint(const uf_compiled_query *q,
                                              const char **out_hex, uf_error *err);
uf_status uf_compiled_query_cache_key(const uf_compiled_query *q, const char **out_hex,
                                      uf_error *err);

/* The lineage artifacts (see uf_compile_artifacts.lineage_json): computed
 * on the first call against s, the schema the query was compiled with
 * (NULL = none), and kept in q; the strings are borrowed from q. A query
 * whose lineage cannot be followed fails with that error; a statement
 * without a query has none (both NULL, UF_OK). Like
 * uf_compiled_query_ast_json, the first call writes to q. */
uf_status uf_compiled_query_lineage(const uf_compiled_query *q, const uf_schema *s,
                                    const char **sources_json, const char **predicates_json,
                                    uf_error *err);

/* The compiled query as one line of JSON (no newline): {"sql", "fingerprint",
 * "policy_fingerprint", "lineage", "columns": [[name, type], ...],
 * "errors": [{"kind", "message", "line", "column", "name", "candidates"}],
 * "timings": {rule: ms}}; lineage against s (as uf_compiled_query_lineage;
 * {} when there is none). New string, free with uf_free. */
uf_status uf_compiled_query_json(const uf_compiled_query *q, const uf_schema *s, char **out,
                                 size_t *out_len, uf_error *err);

/* -- the compiled-query cache ---------------------------------------------- */

/* Compiled queries by (input fingerprint, policy fingerprint, schema
 * fingerprint). Single-threaded. */
typedef struct uf_compile_cache uf_compile_cache;

/* A new cache holding at most `capacity` entries (0 = 1024); the oldest is
 * evicted first. Free with uf_compile_cache_free. */
uf_status uf_compile_cache_new(size_t capacity, uf_compile_cache **out,
                               uf_error *err);
void uf_compile_cache_free(uf_compile_cache *c);
/* Compiles `sql` as uf_compile_sql does, or returns the cached result of an
 * equal input (same fingerprint) under an equal policy and schema.
 * *out is borrowed from the cache: valid until the next call on this cache
 * or uf_compile_cache_free. *out_hit (may be NULL) says whether it was a
 * hit. A cache record (cache "compile") goes to rec (may be NULL). */
uf_status uf_compile_cache_sql(uf_compile_cache *c, const char *sql,
                               size_t len, const uf_policy *p,
                               const uf_schema *s, uf_recorder *rec,
                               const uf_compiled_query **out, bool *out_hit,
                               uf_error *err);
uint64_t uf_compile_cache_hits(const uf_compile_cache *c);
uint64_t uf_compile_cache_misses(const uf_compile_cache *c);

/* -- execution (engine library: libunifier_engine, links DuckDB) ------------ */

typedef struct uf_engine uf_engine;
typedef struct uf_bindings uf_bindings;
typedef struct uf_exec_options uf_exec_options;
struct ArrowArrayStream;

/* Executes the compiled query's final AST exactly as uf_engine_execute does
 * (include/unifier/engine.h: parameters, safety gate, statement-type check,
 * streaming result into *out). q is borrowed for the call only. */
uf_status uf_engine_execute_compiled(uf_engine *e, const uf_compiled_query *q,
                                     const uf_bindings *params,
                                     const uf_exec_options *opts,
                                     struct ArrowArrayStream *out,
                                     uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
