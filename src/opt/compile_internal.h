/*
 * Internal helpers of the compile lane shared by policy.c, compile.c and
 * compile_cache.c.
 */
#ifndef UF_OPT_COMPILE_INTERNAL_H
#define UF_OPT_COMPILE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "unifier/compile.h"

/* True if rule `name` is in p's rule list. */
bool uf_policy_has_rule(const uf_policy *p, const char *name);

/* SHA-256 of data as 64 lower-case hex digits + NUL. */
uf_status uf_sha256_hex(const void *data, size_t len,
                        char out_hex[UF_FINGERPRINT_HEX], uf_error *err);

/* The policy's dialects with NULL resolved to duckdb. */
static inline const uf_dialect *uf_policy_read(const uf_policy *p) {
  return p->read ? p->read : uf_dialect_duckdb();
}
static inline const uf_dialect *uf_policy_write(const uf_policy *p) {
  return p->write ? p->write : uf_dialect_duckdb();
}

/* The schema's cached fingerprint (schema.c): get copies it out and says
 * whether one is held; put stores one. Any change to the schema (tables,
 * columns, defaults) drops it. Not synchronized: like building, it needs
 * the schema to be used by one thread at a time. */
bool uf_schema_fp_get(const uf_schema *s, char out_hex[UF_FINGERPRINT_HEX]);
void uf_schema_fp_put(const uf_schema *s, const char hex[UF_FINGERPRINT_HEX]);

/* The fingerprint of a compiled tree with table aliases and CTE names
 * replaced by their definition order (src/opt/alias_fingerprint.c): two
 * queries that differ only in those names get one fingerprint. Neither t
 * nor root is changed (t is unused, kept for the callers). */
uf_status uf_fingerprint_alias_free(uf_tree *t, uf_node *root, const uf_dialect *d,
                                    char out[UF_FINGERPRINT_HEX], uf_error *err);

/* The compiled-query cache key: SHA-256 over the three fingerprints. */
uf_status uf_compile_cache_key(const char *input_fp, const char *policy_fp,
                              const char *schema_fp,
                              char out[UF_FINGERPRINT_HEX], uf_error *err);

/* uf_compile_sql / uf_compile_ast in one: compiles a copy of `src` when it
 * is non-NULL (sql, if given, is its source text for caret snippets), else
 * the one statement of sql. input_fp, if not NULL, is the input's
 * fingerprint already known (a cache computed it), else it is made from
 * the tree (src) or on demand (sql). */
uf_status uf_compile_internal(const uf_node *src, const char *sql, size_t len,
                              const char *input_fp, const uf_policy *p,
                              const uf_schema *s, uf_recorder *rec,
                              uf_compiled_query **out, uf_error *err);

#endif
