/*
 * Random queries over the TPC-H schema for the semantic equivalence
 * harness (tests/integration/test_equivalence.c).
 *
 * Deterministic from a seed (own splitmix64 PRNG, no libc rand): the same
 * seed gives the same text on every platform. Queries are DuckDB SQL text
 * (the harness parses them): typed expressions over the schema's columns
 * with NULL-sensitive predicates (comparisons, BETWEEN, IN lists,
 * IS [NOT] NULL, LIKE, IS DISTINCT FROM, NOT/AND/OR nesting), CASE,
 * COALESCE, NULLIF, arithmetic with guarded and unguarded division, string
 * functions, inner/left joins on the key relations, derived tables and
 * CTEs, aggregates with GROUP BY/HAVING, scalar/IN/EXISTS subqueries
 * (correlated or not), DISTINCT, ORDER BY over every output column (so the
 * order is total) with LIMIT/OFFSET.
 *
 * Results stay deterministic: SUM and AVG only over integers (exact), no
 * non-deterministic functions, ordering always total. Type classes are kept
 * apart (strings never compared with numbers), so the text nearly always
 * binds in DuckDB; arithmetic on raw columns may overflow on extreme data,
 * which is rare and makes the query fail as written (the harness skips it).
 */
#ifndef UF_TESTS_QUERYGEN_H
#define UF_TESTS_QUERYGEN_H

#include <stddef.h>
#include <stdint.h>

/* Column type classes of the schema. */
typedef enum qg_type { QG_INT, QG_DBL, QG_STR, QG_BOOL } qg_type;

typedef struct qg_column {
  const char *name;
  const char *sql_type; /* DuckDB spelling: BIGINT, INTEGER, DOUBLE, VARCHAR */
  qg_type type;
} qg_column;

typedef struct qg_table {
  const char *name;
  const qg_column *columns;
  size_t ncolumns;
} qg_table;

/* The TPC-H tables as ../shared/corpora/tpch/schema.json types them. */
size_t qg_table_count(void);
const qg_table *qg_table_at(size_t i);

/* splitmix64: the generator's PRNG, exposed for the data generators. */
typedef struct qg_rng {
  uint64_t state;
} qg_rng;
uint64_t qg_next(qg_rng *r);
/* Uniform in [0, n) (n > 0). */
uint32_t qg_below(qg_rng *r, uint32_t n);
/* The seed of query `index` of a run seeded with `seed`. */
uint64_t qg_query_seed(uint64_t seed, uint64_t index);

/* A new random query (malloc'd NUL-terminated SQL, free with free) from
 * `seed`; NULL only when memory runs out. */
char *qg_generate(uint64_t seed);

#endif
