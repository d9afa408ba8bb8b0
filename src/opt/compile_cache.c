/*
 * The compiled-query cache: entries keyed by the compile cache key (SHA-256
 * of input fingerprint, policy fingerprint and schema fingerprint), kept in
 * a ring: the oldest entry is evicted when the ring is full. Lookups scan
 * the ring (capacities are small; the key is 64 hex digits compared with
 * memcmp), so no hash table is needed at this size.
 */
#include <stdlib.h>
#include <string.h>

#include "opt/compile_internal.h"
#include "unifier/compile.h"

struct uf_compile_cache {
  uf_compiled_query **ring; /* cap slots; NULL = empty */
  size_t cap, next;
  uint64_t hits, misses, generation;
};

uf_status uf_compile_cache_new(size_t capacity, uf_compile_cache **out,
                               uf_error *err) {
  *out = NULL;
  uf_compile_cache *c = calloc(1, sizeof *c);
  if (c) {
    c->cap = capacity ? capacity : 1024;
    c->ring = calloc(c->cap, sizeof *c->ring);
  }
  if (c == NULL || c->ring == NULL) {
    free(c);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  *out = c;
  return UF_OK;
}

void uf_compile_cache_free(uf_compile_cache *c) {
  if (c == NULL) return;
  for (size_t i = 0; i < c->cap; i++) uf_compiled_query_free(c->ring[i]);
  free(c->ring);
  free(c);
}

uint64_t uf_compile_cache_hits(const uf_compile_cache *c) { return c ? c->hits : 0; }
uint64_t uf_compile_cache_misses(const uf_compile_cache *c) { return c ? c->misses : 0; }

static const uf_compiled_query *find(const uf_compile_cache *c, const char *key) {
  for (size_t i = 0; i < c->cap; i++)
    if (c->ring[i] && memcmp(c->ring[i]->artifacts.cache_key, key, 64) == 0)
      return c->ring[i];
  return NULL;
}

static void record_access(uf_recorder *rec, const char *key, bool hit, uint64_t gen,
                          double ms) {
  uf_diag_cache d = {"compile", key, hit, gen, ms};
  uf_record_cache(rec, &d, NULL);
}

/* The key of sql under p and s: parses once to get the input fingerprint;
 * the parsed tree goes to *out_tree for the compilation on a miss. */
static uf_status key_of(const char *sql, size_t len, const uf_policy *p,
                        const uf_schema *s, uf_tree **out_tree,
                        char input_fp[UF_FINGERPRINT_HEX],
                        char key[UF_FINGERPRINT_HEX], uf_error *err) {
  char policy_fp[UF_FINGERPRINT_HEX], schema_fp[UF_FINGERPRINT_HEX];
  uf_parse_options po = {uf_policy_read(p), 0, 0};
  uf_status st = uf_parse_one(sql, len, &po, out_tree, err);
  if (st == UF_OK) st = uf_fingerprint_hex(uf_tree_root(*out_tree), po.dialect, input_fp, err);
  if (st == UF_OK) st = uf_policy_fingerprint(p, policy_fp, err);
  if (st == UF_OK) st = uf_schema_fingerprint(s, schema_fp, err);
  if (st == UF_OK) st = uf_compile_cache_key(input_fp, policy_fp, schema_fp, key, err);
  return st;
}

uf_status uf_compile_cache_sql(uf_compile_cache *c, const char *sql,
                               size_t len, const uf_policy *p,
                               const uf_schema *s, uf_recorder *rec,
                               const uf_compiled_query **out, bool *out_hit,
                               uf_error *err) {
  *out = NULL;
  if (out_hit) *out_hit = false;
  double t0 = uf_diag_now_ms();
  uf_policy defaults;
  if (p == NULL) {
    uf_policy_default(&defaults);
    p = &defaults;
  }
  uf_tree *t = NULL;
  char key[UF_FINGERPRINT_HEX], input_fp[UF_FINGERPRINT_HEX];
  uf_status st = key_of(sql, len, p, s, &t, input_fp, key, err);
  if (st != UF_OK) {
    uf_tree_free(t);
    return st;
  }
  const uf_compiled_query *hit = find(c, key);
  if (hit) {
    uf_tree_free(t);
    c->hits++;
    record_access(rec, key, true, c->generation, uf_diag_now_ms() - t0);
    if (out_hit) *out_hit = true;
    *out = hit;
    return UF_OK;
  }
  uf_compiled_query *q = NULL;
  st = uf_compile_internal(uf_tree_root(t), sql, len, input_fp, p, s, rec, &q, err);
  uf_tree_free(t);
  if (st != UF_OK) return st;
  c->misses++;
  c->generation++;
  uf_compiled_query_free(c->ring[c->next]);
  c->ring[c->next] = q;
  c->next = (c->next + 1) % c->cap;
  record_access(rec, key, false, c->generation, uf_diag_now_ms() - t0);
  *out = q;
  return UF_OK;
}
