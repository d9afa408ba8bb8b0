/*
 * Compile-lane helpers shared by the rule tests: policies restricted to a
 * rule list, schemas from JSON text or from ../shared, and compiling one
 * statement to its rendered SQL. Failures of the fixture itself (a schema
 * that does not load, an unknown rule) fail the calling test.
 */
#ifndef UF_TESTS_COMPILE_UTIL_H
#define UF_TESTS_COMPILE_UTIL_H

#include "unifier/compile.h"

/* p = the default policy with the comma-separated `rules` as its rule
 * list; rules NULL keeps the full default list. */
void ut_policy_rules(uf_policy *p, const char *rules);

/* A schema from JSON text / from a file under the shared folder
 * ("corpora/tpch/schema.json"); free with uf_schema_free. */
uf_schema *ut_schema_json(const char *json);
uf_schema *ut_schema_shared(const char *rel);

/* The SQL `sql` compiles to under `rules` (as ut_policy_rules) against s:
 * malloc'd, or NULL with the error printed. */
char *ut_compile_text(const char *rules, const uf_schema *s, const char *sql);

#endif
