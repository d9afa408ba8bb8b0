/*
 * The compile policy: defaults, the rule registry, loading from JSON, and
 * the policy fingerprint (SHA-256 over a canonical text of every field).
 *
 * Canonical serialization, one "key=value\n" line per field in a fixed
 * order, prefixed with the policy format and the AST fingerprint format:
 *   uf-policy:1
 *   fingerprint_version=2
 *   read=duckdb  write=duckdb
 *   rules=qualify,normalize_identifiers,annotate_types
 *   identify=safe  validate=1  normalize_max_distance=128
 *   pushdown_predicates=1  pushdown_projections=1  pretty=0
 *   expand_between=0  sort_commutative=0
 * Rule and dialect names are registry names (no ',' or '\n'), so the text
 * is unambiguous. Adding a field appends a line (and changes every
 * fingerprint, as it should: the policy changed meaning).
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "opt/compile_internal.h"
#include "unifier/compile.h"

/* The registry, in the default pinned order: SQLGlot's optimizer order
 * (restructuring first, on the qualified tree), except that the rules
 * that drop column references (pushdown_predicates, eliminate_joins,
 * eliminate_ctes) come before pushdown_projections and the merges after
 * it, so compiling the output again changes nothing (docs/optimizer.md);
 * then types once, then the expression rules on the final structure. */
static const char *const RULES[] = {
    "qualify",           "normalize_identifiers", "normalize",
    "unnest_subqueries", "pushdown_predicates",   "optimize_joins",
    "eliminate_joins",   "eliminate_ctes",        "pushdown_projections",
    "eliminate_subqueries", "merge_subqueries",   "annotate_types",
    "canonicalize",      "simplify"};
#define NRULES (sizeof RULES / sizeof *RULES)
/* The default pinned list: the registry's first NDEFAULT rules. */
#define NDEFAULT NRULES

size_t uf_policy_rule_count(void) { return NRULES; }

const char *uf_policy_rule_name(size_t i) {
  return i < NRULES ? RULES[i] : NULL;
}

/* The registry's static copy of `name`, or NULL if unknown. */
static const char *rule_lookup(const char *name) {
  for (size_t i = 0; i < NRULES; i++)
    if (strcmp(RULES[i], name) == 0) return RULES[i];
  return NULL;
}

void uf_policy_default(uf_policy *p) {
  memset(p, 0, sizeof *p);
  p->read = uf_dialect_duckdb();
  p->write = uf_dialect_duckdb();
  for (size_t i = 0; i < NDEFAULT; i++) p->rules[i] = RULES[i];
  p->nrules = NDEFAULT;
  p->identify = UF_IDENTIFY_SAFE;
  p->validate = true;
  p->normalize_max_distance = 128;
  p->pushdown_predicates = true;
  p->pushdown_projections = true;
  p->pretty = false;
}

uf_status uf_policy_set_rules(uf_policy *p, const char *const *names,
                              size_t n, uf_error *err) {
  if (n > UF_POLICY_MAX_RULES)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "policy: more than %d rules",
                        UF_POLICY_MAX_RULES);
  const char *rules[UF_POLICY_MAX_RULES];
  for (size_t i = 0; i < n; i++) {
    rules[i] = names[i] ? rule_lookup(names[i]) : NULL;
    if (rules[i] == NULL)
      return uf_error_set(err, UF_INVALID_ARGUMENT, "policy: unknown rule '%s'",
                          names[i] ? names[i] : "(null)");
    for (size_t j = 0; j < i; j++)
      if (rules[j] == rules[i])
        return uf_error_set(err, UF_INVALID_ARGUMENT,
                            "policy: rule '%s' listed twice", names[i]);
  }
  memcpy(p->rules, rules, n * sizeof *rules);
  p->nrules = n;
  return UF_OK;
}

bool uf_policy_has_rule(const uf_policy *p, const char *name) {
  for (size_t i = 0; i < p->nrules; i++)
    if (strcmp(p->rules[i], name) == 0) return true;
  return false;
}

/* -- JSON -------------------------------------------------------------------- */

static uf_status bad(uf_error *err, const char *key, const char *what) {
  return uf_error_set(err, UF_INVALID_ARGUMENT, "policy: \"%s\" %s", key, what);
}

static uf_status load_dialect(const char *key, json_t *v,
                              const uf_dialect **out, uf_error *err) {
  const uf_dialect *d = json_is_string(v) ? uf_dialect_by_name(json_string_value(v)) : NULL;
  if (d == NULL) return bad(err, key, "must name a dialect (duckdb, postgres, datafusion)");
  *out = d;
  return UF_OK;
}

static uf_status load_bool(const char *key, json_t *v, bool *out, uf_error *err) {
  if (!json_is_boolean(v)) return bad(err, key, "must be true or false");
  *out = json_is_true(v);
  return UF_OK;
}

static uf_status load_identify(json_t *v, uf_identify *out, uf_error *err) {
  const char *s = json_string_value(v);
  if (json_is_boolean(v)) *out = json_is_true(v) ? UF_IDENTIFY_ALWAYS : UF_IDENTIFY_SAFE;
  else if (s && strcmp(s, "safe") == 0) *out = UF_IDENTIFY_SAFE;
  else if (s && strcmp(s, "always") == 0) *out = UF_IDENTIFY_ALWAYS;
  else return bad(err, "identify", "must be \"safe\", \"always\" or a boolean");
  return UF_OK;
}

static uf_status load_rules(uf_policy *p, json_t *v, uf_error *err) {
  if (!json_is_array(v)) return bad(err, "rules", "must be an array of rule names");
  size_t n = json_array_size(v);
  if (n > UF_POLICY_MAX_RULES) return bad(err, "rules", "has too many rules");
  const char *names[UF_POLICY_MAX_RULES];
  for (size_t i = 0; i < n; i++) {
    names[i] = json_string_value(json_array_get(v, i));
    if (names[i] == NULL) return bad(err, "rules", "must be an array of rule names");
  }
  return uf_policy_set_rules(p, names, n, err);
}

static uf_status load_distance(json_t *v, uint32_t *out, uf_error *err) {
  if (!json_is_integer(v) || json_integer_value(v) < 0 ||
      json_integer_value(v) > (json_int_t)UINT32_MAX)
    return bad(err, "normalize_max_distance", "must be a non-negative integer");
  *out = (uint32_t)json_integer_value(v);
  return UF_OK;
}

static uf_status load_key(uf_policy *p, const char *key, json_t *v, uf_error *err) {
  if (strcmp(key, "read") == 0) return load_dialect(key, v, &p->read, err);
  if (strcmp(key, "write") == 0) return load_dialect(key, v, &p->write, err);
  if (strcmp(key, "rules") == 0) return load_rules(p, v, err);
  if (strcmp(key, "identify") == 0) return load_identify(v, &p->identify, err);
  if (strcmp(key, "validate") == 0) return load_bool(key, v, &p->validate, err);
  if (strcmp(key, "normalize_max_distance") == 0)
    return load_distance(v, &p->normalize_max_distance, err);
  if (strcmp(key, "pushdown_predicates") == 0)
    return load_bool(key, v, &p->pushdown_predicates, err);
  if (strcmp(key, "pushdown_projections") == 0)
    return load_bool(key, v, &p->pushdown_projections, err);
  if (strcmp(key, "pretty") == 0) return load_bool(key, v, &p->pretty, err);
  if (strcmp(key, "expand_between") == 0) return load_bool(key, v, &p->expand_between, err);
  if (strcmp(key, "sort_commutative") == 0)
    return load_bool(key, v, &p->sort_commutative, err);
  return bad(err, key, "is not a policy field");
}

uf_status uf_policy_load_json(uf_policy *p, const char *json, size_t len,
                              uf_error *err) {
  json_error_t jerr;
  json_t *doc = json_loadb(json, len, 0, &jerr);
  if (doc == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "policy: line %d: %s", jerr.line,
                        jerr.text);
  uf_status st = UF_OK;
  if (!json_is_object(doc))
    st = uf_error_set(err, UF_INVALID_ARGUMENT, "policy: not a JSON object");
  /* Work on a copy so that a failure leaves p unchanged. */
  uf_policy tmp = *p;
  const char *key;
  json_t *v;
  if (st == UF_OK) json_object_foreach(doc, key, v) {
      st = load_key(&tmp, key, v, err);
      if (st != UF_OK) break;
    }
  json_decref(doc);
  if (st == UF_OK) *p = tmp;
  return st;
}

uf_status uf_policy_load_file(uf_policy *p, const char *path, uf_error *err) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return uf_error_set(err, UF_IO, "policy: cannot open %s", path);
  uf_sbuf b;
  uf_sbuf_init(&b);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) uf_sbuf_add(&b, chunk, n);
  bool failed = ferror(f) != 0;
  fclose(f);
  uf_status st = failed || b.oom ? uf_error_set(err, UF_IO, "policy: cannot read %s", path)
                                 : uf_policy_load_json(p, b.data ? b.data : "", b.len, err);
  uf_sbuf_free(&b);
  return st;
}

/* -- fingerprint ---------------------------------------------------------------- */

static const char *dname(const uf_dialect *d) {
  return uf_dialect_name(d ? d : uf_dialect_duckdb());
}

uf_status uf_policy_canonical(const uf_policy *p, char **out, uf_error *err) {
  *out = NULL;
  uf_sbuf b;
  uf_sbuf_init(&b);
  uf_sbuf_addf(&b, "uf-policy:%d\nfingerprint_version=%d\n", UF_POLICY_VERSION,
              UF_FINGERPRINT_VERSION);
  uf_sbuf_addf(&b, "read=%s\nwrite=%s\nrules=", dname(p->read), dname(p->write));
  for (size_t i = 0; i < p->nrules; i++)
    uf_sbuf_addf(&b, "%s%s", i ? "," : "", p->rules[i]);
  uf_sbuf_addf(&b, "\nidentify=%s\nvalidate=%d\nnormalize_max_distance=%u\n",
              p->identify == UF_IDENTIFY_ALWAYS ? "always" : "safe", p->validate,
              (unsigned)p->normalize_max_distance);
  uf_sbuf_addf(&b, "pushdown_predicates=%d\npushdown_projections=%d\npretty=%d\n",
              p->pushdown_predicates, p->pushdown_projections, p->pretty);
  uf_sbuf_addf(&b, "expand_between=%d\nsort_commutative=%d\n", p->expand_between,
              p->sort_commutative);
  if (b.oom) {
    uf_sbuf_free(&b);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  *out = uf_sbuf_take(&b, NULL);
  return UF_OK;
}

uf_status uf_sha256_hex(const void *data, size_t len,
                        char out_hex[UF_FINGERPRINT_HEX], uf_error *err) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data, len, d, &n, EVP_sha256(), NULL) != 1 || n != 32)
    return uf_error_set(err, UF_INTERNAL, "SHA-256 failed");
  static const char hex[] = "0123456789abcdef";
  for (unsigned i = 0; i < 32; i++) {
    out_hex[2 * i] = hex[d[i] >> 4];
    out_hex[2 * i + 1] = hex[d[i] & 15];
  }
  out_hex[64] = '\0';
  return UF_OK;
}

/* The last policy fingerprinted on this thread, byte for byte, and its
 * fingerprint: a compile per call would otherwise serialize and hash the
 * same policy each time. Identical bytes mean identical fields (dialects
 * and rule names are immutable statics), so a hit is always right; a
 * difference (even in padding) just recomputes. */
static _Thread_local struct {
  bool valid;
  uf_policy policy;
  char hex[UF_FINGERPRINT_HEX];
} policy_memo;

uf_status uf_policy_fingerprint(const uf_policy *p,
                                char out_hex[UF_FINGERPRINT_HEX],
                                uf_error *err) {
  if (p && policy_memo.valid && memcmp(&policy_memo.policy, p, sizeof *p) == 0) {
    memcpy(out_hex, policy_memo.hex, UF_FINGERPRINT_HEX);
    return UF_OK;
  }
  char *text = NULL;
  uf_status st = uf_policy_canonical(p, &text, err);
  if (st == UF_OK) st = uf_sha256_hex(text, strlen(text), out_hex, err);
  uf_free(text);
  if (st == UF_OK && p) {
    memcpy(&policy_memo.policy, p, sizeof *p);
    memcpy(policy_memo.hex, out_hex, UF_FINGERPRINT_HEX);
    policy_memo.valid = true;
  }
  return st;
}

/* Schema content: defaults, then each table and its columns in order. */
uf_status uf_schema_fingerprint(const uf_schema *s,
                                char out_hex[UF_FINGERPRINT_HEX],
                                uf_error *err) {
  if (uf_schema_fp_get(s, out_hex)) return UF_OK;
  uf_sbuf b;
  uf_sbuf_init(&b);
  uf_sbuf_addf(&b, "uf-schema:1\n");
  if (s) {
    uf_sbuf_addf(&b, "dialect=%s\ndefault=%s.%s\n", dname(uf_schema_dialect(s)),
                uf_schema_default_catalog(s), uf_schema_default_db(s));
    for (size_t i = 0; i < uf_schema_table_count(s); i++) {
      const uf_schema_table *t = uf_schema_table_at(s, i);
      uf_sbuf_addf(&b, "T%zu:%s%zu:%s%zu:%s\n", strlen(t->catalog), t->catalog,
                  strlen(t->db), t->db, strlen(t->name), t->name);
      for (size_t j = 0; j < t->ncolumns; j++) {
        const uf_schema_column *c = &t->columns[j];
        uf_sbuf_addf(&b, "C%zu:%s%zu:%s%d\n", strlen(c->name), c->name,
                    strlen(c->type), c->type, c->nullable);
      }
    }
    /* Only when set: schemas without functions keep their fingerprint. */
    const char *fid = uf_schema_functions_id(s);
    if (uf_schema_functions(s)) uf_sbuf_addf(&b, "F%zu:%s\n", strlen(fid), fid);
  }
  uf_status st = b.oom ? uf_error_set(err, UF_NOMEM, "out of memory")
                       : uf_sha256_hex(b.data, b.len, out_hex, err);
  uf_sbuf_free(&b);
  if (st == UF_OK) uf_schema_fp_put(s, out_hex);
  return st;
}
