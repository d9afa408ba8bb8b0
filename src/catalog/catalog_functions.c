/*
 * Function signatures of the introspection snapshot as a uf_function_catalog:
 * annotate_types asks it for functions its own table does not know. The
 * overload is chosen the way DuckDB's binder chooses one: every overload of
 * the right arity is scored by the sum of its implicit-cast costs (0 for an
 * exact match; DuckDB's CastRules::ImplicitCast ranking otherwise), the
 * cheapest wins, and a tie between different return types is unknown (DuckDB
 * refuses to choose as well).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "unifier/catalog.h"
#include "unifier/opt.h"

#define NO_MATCH (-1L)
#define COST_ANY 5L       /* DuckDB's default cast score to ANY */
#define COST_VARCHAR 200L /* VARCHAR to another type: only a string literal
                             casts implicitly; dearer than any real cast */

/* -- parameter types ------------------------------------------------------------ */

typedef struct tname {
  const char *text;
  uf_type_id id;
} tname;

/* DuckDB spellings of the scalar parameter types. */
static const tname NAMES[] = {
    {"BOOLEAN", UF_T_BOOLEAN},     {"TINYINT", UF_T_TINYINT},
    {"SMALLINT", UF_T_SMALLINT},   {"INTEGER", UF_T_INTEGER},
    {"BIGINT", UF_T_BIGINT},       {"HUGEINT", UF_T_HUGEINT},
    {"UTINYINT", UF_T_UTINYINT},   {"USMALLINT", UF_T_USMALLINT},
    {"UINTEGER", UF_T_UINTEGER},   {"UBIGINT", UF_T_UBIGINT},
    {"UHUGEINT", UF_T_UHUGEINT},   {"FLOAT", UF_T_FLOAT},
    {"DOUBLE", UF_T_DOUBLE},       {"DECIMAL", UF_T_DECIMAL},
    {"VARCHAR", UF_T_VARCHAR},     {"BLOB", UF_T_BLOB},
    {"BIT", UF_T_BIT},             {"UUID", UF_T_UUID},
    {"DATE", UF_T_DATE},           {"TIME", UF_T_TIME},
    {"TIME WITH TIME ZONE", UF_T_TIME_TZ},
    {"TIMESTAMP", UF_T_TIMESTAMP}, {"TIMESTAMP WITH TIME ZONE", UF_T_TIMESTAMP_TZ},
    {"TIMESTAMP_S", UF_T_TIMESTAMP_S}, {"TIMESTAMP_MS", UF_T_TIMESTAMP_MS},
    {"TIMESTAMP_NS", UF_T_TIMESTAMP_NS}, {"INTERVAL", UF_T_INTERVAL},
};

/* The id of a scalar spelling of len bytes, or UF_T_UNKNOWN. */
static uf_type_id scalar_id(const char *t, size_t len) {
  for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
    if (strlen(NAMES[i].text) == len && strncasecmp(NAMES[i].text, t, len) == 0)
      return NAMES[i].id;
  return UF_T_UNKNOWN;
}

/* DuckDB's TargetTypeCost: which target a tie between casts prefers. */
static long target_cost(uf_type_id to) {
  switch (to) {
  case UF_T_BIGINT: return 101;
  case UF_T_DOUBLE: return 102;
  case UF_T_INTEGER: return 103;
  case UF_T_DECIMAL: return 104;
  case UF_T_TIMESTAMP: return 120;
  case UF_T_HUGEINT: return 120;
  case UF_T_TIMESTAMP_TZ: return 121;
  case UF_T_VARCHAR: return 149;
  case UF_T_LIST: case UF_T_ARRAY: case UF_T_STRUCT: case UF_T_MAP: case UF_T_UNION:
    return 160;
  default: return 110;
  }
}

static bool in(uf_type_id to, const uf_type_id *set, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (set[i] == to) return true;
  return false;
}

#define IN(...) in(to, (const uf_type_id[]){__VA_ARGS__}, \
                   sizeof((const uf_type_id[]){__VA_ARGS__}) / sizeof(uf_type_id))

/* The implicit casts of DuckDB between scalar types: integers widen (and
 * unsigned ones also go to wider signed ones), every integer goes to
 * FLOAT, DOUBLE and DECIMAL, DECIMAL and FLOAT to DOUBLE, DATE to
 * TIMESTAMP. */
static bool implicit(uf_type_id from, uf_type_id to) {
  switch (from) {
  case UF_T_TINYINT:
    return IN(UF_T_SMALLINT, UF_T_INTEGER, UF_T_BIGINT, UF_T_HUGEINT, UF_T_FLOAT,
              UF_T_DOUBLE, UF_T_DECIMAL);
  case UF_T_SMALLINT:
    return IN(UF_T_INTEGER, UF_T_BIGINT, UF_T_HUGEINT, UF_T_FLOAT, UF_T_DOUBLE, UF_T_DECIMAL);
  case UF_T_INTEGER:
    return IN(UF_T_BIGINT, UF_T_HUGEINT, UF_T_FLOAT, UF_T_DOUBLE, UF_T_DECIMAL);
  case UF_T_BIGINT: return IN(UF_T_HUGEINT, UF_T_FLOAT, UF_T_DOUBLE, UF_T_DECIMAL);
  case UF_T_HUGEINT: case UF_T_UHUGEINT: return IN(UF_T_FLOAT, UF_T_DOUBLE, UF_T_DECIMAL);
  case UF_T_UTINYINT:
    return IN(UF_T_USMALLINT, UF_T_UINTEGER, UF_T_UBIGINT, UF_T_UHUGEINT, UF_T_SMALLINT,
              UF_T_INTEGER, UF_T_BIGINT, UF_T_HUGEINT, UF_T_FLOAT, UF_T_DOUBLE, UF_T_DECIMAL);
  case UF_T_USMALLINT:
    return IN(UF_T_UINTEGER, UF_T_UBIGINT, UF_T_UHUGEINT, UF_T_INTEGER, UF_T_BIGINT,
              UF_T_HUGEINT, UF_T_FLOAT, UF_T_DOUBLE, UF_T_DECIMAL);
  case UF_T_UINTEGER:
    return IN(UF_T_UBIGINT, UF_T_UHUGEINT, UF_T_BIGINT, UF_T_HUGEINT, UF_T_FLOAT,
              UF_T_DOUBLE, UF_T_DECIMAL);
  case UF_T_UBIGINT:
    return IN(UF_T_UHUGEINT, UF_T_HUGEINT, UF_T_FLOAT, UF_T_DOUBLE, UF_T_DECIMAL);
  case UF_T_FLOAT: return to == UF_T_DOUBLE;
  case UF_T_DECIMAL: return IN(UF_T_FLOAT, UF_T_DOUBLE);
  case UF_T_DATE: return IN(UF_T_TIMESTAMP, UF_T_TIMESTAMP_TZ);
  case UF_T_TIMESTAMP_S: case UF_T_TIMESTAMP_MS: case UF_T_TIMESTAMP_NS:
    return IN(UF_T_TIMESTAMP, UF_T_TIMESTAMP_TZ);
  case UF_T_TIMESTAMP: return to == UF_T_TIMESTAMP_TZ;
  default: return false;
  }
}

static bool is_template(const char *t, size_t len) {
  return (len == 1 && isupper((unsigned char)t[0])) || (len == 3 && strncmp(t, "ANY", 3) == 0) ||
         (len == 8 && strncmp(t, "TEMPLATE", 8) == 0);
}

/* The cost of passing an argument of type `a` to a parameter spelled
 * t[0..len) (e.g. "BIGINT", "DOUBLE[]", "FLOAT[ANY]", "ANY", "T"), or
 * NO_MATCH. */
static long cost(const uf_type *a, const char *t, size_t len) {
  while (len && t[len - 1] == ' ') len--;
  if (a == NULL || a->id == UF_T_UNKNOWN) return 0; /* untyped: fits anything */
  if (is_template(t, len)) return COST_ANY;
  uf_type_id to = UF_T_OTHER;
  size_t elem = len; /* a list/array spelling: t[0..elem) is the element */
  if (len && t[len - 1] == ']') {
    size_t open = len - 1;
    while (open > 0 && t[open] != '[') open--;
    if (t[open] != '[') return NO_MATCH;
    elem = open;
    to = open + 2 == len ? UF_T_LIST : UF_T_ARRAY;
  } else {
    to = scalar_id(t, len);
  }
  if (a->id == UF_T_NULL) return target_cost(to);
  if (to == UF_T_LIST || to == UF_T_ARRAY) {
    if (a->id != UF_T_LIST && a->id != UF_T_ARRAY) return NO_MATCH;
    if (to == UF_T_ARRAY && a->id == UF_T_ARRAY) {
      const char *n = t + elem + 1; /* "[3]": the size must agree */
      if (isdigit((unsigned char)*n) && (unsigned long)a->size != strtoul(n, NULL, 10))
        return NO_MATCH;
    }
    long c = cost(a->child, t, elem);
    if (c == NO_MATCH) return NO_MATCH;
    if (c >= 1) c--; /* DuckDB: a list cast is preferred over a cast to VARCHAR */
    /* LIST -> ARRAY and ARRAY -> LIST convert (DuckDB casts either way) */
    return a->id == to ? c : c + 1;
  }
  if (to == UF_T_UNKNOWN || to == UF_T_OTHER) {
    /* STRUCT(...), MAP(...), JSON, user types: the same spelling, or the
     * same bare kind ("STRUCT", "MAP") */
    if (a->text && strlen(a->text) == len && strncasecmp(a->text, t, len) == 0) return 0;
    if ((len == 6 && strncmp(t, "STRUCT", 6) == 0 && a->id == UF_T_STRUCT) ||
        (len == 3 && strncmp(t, "MAP", 3) == 0 && a->id == UF_T_MAP) ||
        (len == 5 && strncmp(t, "UNION", 5) == 0 && a->id == UF_T_UNION))
      return 0;
    return NO_MATCH;
  }
  if (a->id == to) return 0; /* DECIMAL: any width and scale */
  if (implicit(a->id, to)) return target_cost(to);
  if (a->id == UF_T_VARCHAR) return COST_VARCHAR;
  return NO_MATCH;
}

/* -- return types ---------------------------------------------------------------- */

/* A return type the annotator can use as it is: not ANY, no template
 * letters (T, K, V), no DECIMAL/STRUCT/MAP without their parameters, no
 * "NULL" or AGGREGATE_STATE<?>. */
static bool concrete(const char *r) {
  if (r == NULL || *r == '\0' || strstr(r, "ANY") || strstr(r, "\"NULL\"") ||
      strchr(r, '?') || strchr(r, '<') || strstr(r, "STRUCT()"))
    return false;
  const char *p = r;
  while (*p) {
    if (*p == '"') { /* a quoted field name */
      const char *q = strchr(p + 1, '"');
      if (q == NULL) return false;
      p = q + 1;
      continue;
    }
    if (!isalpha((unsigned char)*p)) {
      p++;
      continue;
    }
    const char *w = p;
    while (isalnum((unsigned char)*p) || *p == '_') p++;
    size_t n = (size_t)(p - w);
    if (n == 1) return false; /* a template */
    bool generic = (n == 7 && strncmp(w, "DECIMAL", 7) == 0) ||
                   (n == 6 && strncmp(w, "STRUCT", 6) == 0) ||
                   (n == 3 && strncmp(w, "MAP", 3) == 0) ||
                   (n == 5 && strncmp(w, "UNION", 5) == 0) ||
                   (n == 4 && strncmp(w, "LIST", 4) == 0);
    if (generic && *p != '(') return false;
    if (n == 8 && strncmp(w, "TEMPLATE", 8) == 0) return false;
  }
  return true;
}

/* -- choosing the overload ------------------------------------------------------------ */

static bool internal_schema(const char *s) {
  return s && (strcmp(s, "pg_catalog") == 0 || strcmp(s, "information_schema") == 0);
}

static bool callable(const uf_catalog_function *f) {
  return f->kind && (strcmp(f->kind, "scalar") == 0 || strcmp(f->kind, "aggregate") == 0 ||
                     strcmp(f->kind, "macro") == 0);
}

static bool has_varargs(const uf_catalog_function *f) {
  return f->varargs && *f->varargs && strcmp(f->varargs, "INVALID") != 0;
}

/* The cost of calling overload f with args, or NO_MATCH. */
static long overload_cost(const uf_catalog_function *f, const uf_type *const *args,
                          size_t nargs) {
  if (nargs < f->nparams || (nargs > f->nparams && !has_varargs(f))) return NO_MATCH;
  if (f->nparams && f->param_types == NULL) return NO_MATCH;
  long total = 0;
  for (size_t i = 0; i < nargs; i++) {
    const char *t = i < f->nparams ? f->param_types[i] : f->varargs;
    long c = t ? cost(args[i], t, strlen(t)) : NO_MATCH;
    if (c == NO_MATCH) return NO_MATCH;
    total += c;
  }
  return total;
}

/* The overloads of `name`: binary search (the snapshot sorts functions by
 * lower-case name), a scan for names outside ASCII. */
static const uf_catalog_function *overloads(const uf_catalog *c, const char *name,
                                            size_t *count) {
  for (const char *p = name; *p; p++)
    if ((unsigned char)*p >= 0x80) return uf_catalog_find_function(c, name, count);
  size_t lo = 0, hi = c->nfunctions;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcasecmp(c->functions[mid].name, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t end = lo;
  while (end < c->nfunctions && strcasecmp(c->functions[end].name, name) == 0) end++;
  *count = end - lo;
  return end > lo ? &c->functions[lo] : NULL;
}

const char *uf_catalog_function_return_type(const uf_catalog *c, const char *name,
                                            const uf_type *const *args, size_t nargs) {
  if (c == NULL || name == NULL || c->functions == NULL || (nargs && args == NULL)) return NULL;
  size_t n = 0;
  const uf_catalog_function *fs = overloads(c, name, &n);
  if (fs == NULL) return NULL;
  /* User schemas (main, temp, attached) before the system's pg_catalog. */
  bool user = false;
  for (size_t i = 0; i < n; i++)
    if (callable(&fs[i]) && !internal_schema(fs[i].schema)) user = true;
  const char *best = NULL;
  long best_cost = NO_MATCH;
  bool tie = false;
  for (size_t i = 0; i < n; i++) {
    const uf_catalog_function *f = &fs[i];
    if (!callable(f) || internal_schema(f->schema) == user) continue;
    if (strcmp(f->kind, "macro") == 0) return NULL; /* its type is its body's */
    long k = overload_cost(f, args, nargs);
    if (k == NO_MATCH) continue;
    const char *r = f->return_type ? f->return_type : "";
    if (best_cost == NO_MATCH || k < best_cost) {
      best_cost = k;
      best = r;
      tie = false;
    } else if (k == best_cost && strcmp(best, r) != 0) {
      tie = true;
    }
  }
  if (best_cost == NO_MATCH || tie || !concrete(best)) return NULL;
  return best;
}

static const char *catalog_return_type(void *ctx, const char *name,
                                       const uf_type *const *args, size_t nargs) {
  return uf_catalog_function_return_type(ctx, name, args, nargs);
}

void uf_catalog_function_catalog(const uf_catalog *c, uf_function_catalog *out) {
  if (out == NULL) return;
  out->return_type = catalog_return_type;
  out->ctx = (void *)c;
}

/* FNV-1a over every field that decides a return type. */
static uint64_t fnv(uint64_t h, const char *s) {
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
    h = (h ^ *p) * 1099511628211ULL;
  return (h ^ 0xff) * 1099511628211ULL; /* field separator */
}

void uf_catalog_functions_id(const uf_catalog *c, char out[UF_CATALOG_FUNCTIONS_ID]) {
  uint64_t h = 14695981039346656037ULL;
  for (size_t i = 0; c && i < c->nfunctions; i++) {
    const uf_catalog_function *f = &c->functions[i];
    h = fnv(fnv(fnv(fnv(h, f->schema), f->name), f->kind), f->return_type);
    for (size_t j = 0; f->param_types && j < f->nparams; j++) h = fnv(h, f->param_types[j]);
    h = fnv(h, f->varargs);
  }
  snprintf(out, UF_CATALOG_FUNCTIONS_ID, "functions:%016llx", (unsigned long long)h);
}
