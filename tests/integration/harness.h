/*
 * The proof harness's shared helpers (header-only, static): reading corpus
 * files, splitting them into statements, and the round-trip check that the
 * corpus tests, the fuzz target and the benchmarks share.
 *
 * Round trip of `sql` in dialect d:
 *   A = parse(sql) (a statement, else an expression)
 *   s1 = generate(A, d); B = parse(s1); A == B (uf_node_equal) and
 *   fingerprint(A) == fingerprint(B)
 *   fmt idempotence: generate(parse(s1)) == s1, compact and pretty.
 */
#ifndef UF_TESTS_HARNESS_H
#define UF_TESTS_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unifier/sql.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

/* -- files and string vectors ------------------------------------------ */

/* Reads a whole file into a NUL-terminated malloc'd buffer; NULL on error. */
static inline char *h_read_file(const char *path, size_t *out_len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap + 1);
  while (buf != NULL) {
    len += fread(buf + len, 1, cap - len, f);
    if (len < cap) break;
    char *grown = realloc(buf, cap * 2 + 1);
    if (grown == NULL) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = grown;
    cap *= 2;
  }
  fclose(f);
  if (buf == NULL) return NULL;
  buf[len] = '\0';
  if (out_len) *out_len = len;
  return buf;
}

typedef struct h_strvec {
  char **items;
  size_t n, cap;
} h_strvec;

static inline void h_strvec_push(h_strvec *v, const char *s, size_t len) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    char **grown = realloc(v->items, cap * sizeof *grown);
    if (grown == NULL) return;
    v->items = grown;
    v->cap = cap;
  }
  char *copy = malloc(len + 1);
  if (copy == NULL) return;
  memcpy(copy, s, len);
  copy[len] = '\0';
  v->items[v->n++] = copy;
}

static inline void h_strvec_free(h_strvec *v) {
  for (size_t i = 0; i < v->n; i++) free(v->items[i]);
  free(v->items);
  memset(v, 0, sizeof *v);
}

static inline bool h_is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* Pushes s[0..len) trimmed, unless it is empty after trimming. */
static inline void h_push_trimmed(h_strvec *v, const char *s, size_t len) {
  while (len > 0 && h_is_space(*s)) s++, len--;
  while (len > 0 && h_is_space(s[len - 1])) len--;
  if (len > 0) h_strvec_push(v, s, len);
}

/* One item per non-empty line (identity.sql: a statement or expression a
 * line). */
static inline void h_split_lines(const char *text, h_strvec *out) {
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    h_push_trimmed(out, p, len);
    p += len + (nl != NULL);
  }
}

/* The sqlglot fixture convention: lines starting with `--` or `#` are
 * comments or metadata; the rest is split at every ';' (a ';' inside a
 * string splits too, as in sqlglot's own loader). */
static inline void h_split_fixture(const char *text, h_strvec *out) {
  size_t n = strlen(text);
  char *clean = malloc(n + 1);
  if (clean == NULL) return;
  size_t k = 0;
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
    const char *q = p;
    while (q < p + len && (*q == ' ' || *q == '\t')) q++;
    bool comment = (q[0] == '-' && q[1] == '-') || q[0] == '#';
    if (!comment) {
      memcpy(clean + k, p, len);
      k += len;
    }
    p += len;
  }
  clean[k] = '\0';
  const char *s = clean;
  for (;;) {
    const char *semi = strchr(s, ';');
    size_t len = semi ? (size_t)(semi - s) : strlen(s);
    h_push_trimmed(out, s, len);
    if (semi == NULL) break;
    s = semi + 1;
  }
  free(clean);
}

/* Like h_split_fixture, but keeps the pieces in pairs even when one is
 * empty (pretty.sql: input;expected;input;expected...). */
static inline void h_split_pairs(const char *text, h_strvec *out) {
  const char *s = text;
  for (;;) {
    const char *semi = strchr(s, ';');
    size_t len = semi ? (size_t)(semi - s) : strlen(s);
    const char *t = s;
    while (len > 0 && h_is_space(*t)) t++, len--;
    while (len > 0 && h_is_space(t[len - 1])) len--;
    if (semi != NULL || len > 0) h_strvec_push(out, t, len);
    if (semi == NULL) break;
    s = semi + 1;
  }
}

/* The 22 TPC-H query texts, q01..q22, into out (missing files are empty). */
static inline void h_load_tpch(h_strvec *out) {
  for (int i = 1; i <= 22; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/corpora/tpch/queries/q%02d.sql",
             UF_SHARED_DIR, i);
    size_t len = 0;
    char *text = h_read_file(path, &len);
    if (text == NULL) {
      fprintf(stderr, "harness: cannot read %s\n", path);
      h_strvec_push(out, "", 0);
      continue;
    }
    h_push_trimmed(out, text, len);
    free(text);
  }
}

/* -- parse / generate helpers ------------------------------------------- */

/* Parses sql as one statement, else as one expression. */
static inline uf_status h_parse_any(const char *sql, size_t len,
                                    const uf_dialect *d, uf_tree **out,
                                    bool *out_is_expr, uf_error *err) {
  uf_parse_options po = {0};
  po.dialect = d;
  if (out_is_expr) *out_is_expr = false;
  uf_status st = uf_parse_one(sql, len, &po, out, err);
  if (st == UF_OK) return st;
  uf_error err2;
  if (uf_parse_expr(sql, len, &po, out, &err2) == UF_OK) {
    if (out_is_expr) *out_is_expr = true;
    return UF_OK;
  }
  return st; /* the statement error is the more useful one */
}

/* Parses as the same kind (statement or expression) as the original. */
static inline uf_status h_parse_as(const char *sql, size_t len,
                                   const uf_dialect *d, bool is_expr,
                                   uf_tree **out, uf_error *err) {
  uf_parse_options po = {0};
  po.dialect = d;
  return is_expr ? uf_parse_expr(sql, len, &po, out, err)
                 : uf_parse_one(sql, len, &po, out, err);
}

static inline uf_status h_generate(const uf_node *n, const uf_dialect *d,
                                   bool pretty, char **out, uf_error *err) {
  uf_gen_options go = {0};
  go.dialect = d;
  go.pretty = pretty;
  return uf_generate(n, &go, out, NULL, err);
}

/* -- the round trip ----------------------------------------------------- */

typedef enum h_rt_outcome {
  H_RT_OK = 0,
  H_RT_PARSE,        /* the input does not parse */
  H_RT_GENERATE,     /* generation failed */
  H_RT_REPARSE,      /* generated SQL does not parse */
  H_RT_NOT_EQUAL,    /* re-parsed AST differs */
  H_RT_FINGERPRINT,  /* fingerprints differ (or failed) */
  H_RT_FMT,          /* fmt not idempotent (compact or pretty) */
  H_RT_COUNT
} h_rt_outcome;

static const char *const h_rt_names[H_RT_COUNT] = {
    "ok", "parse", "generate", "reparse", "not-equal", "fingerprint", "fmt"};

typedef struct h_rt_result {
  h_rt_outcome outcome;
  bool is_expr;
  bool byte_identical;   /* compact output == input */
  char *generated;       /* compact output (malloc'd) or NULL */
  char *detail;          /* what failed: message or the mismatching text */
  uf_error err;
} h_rt_result;

static inline void h_rt_free(h_rt_result *r) {
  free(r->generated);
  free(r->detail);
  r->generated = r->detail = NULL;
}

static inline char *h_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* generate(parse(s)) == s in mode `pretty`: s must be generator output. */
static inline bool h_fmt_fixed_point(const char *s, const uf_dialect *d,
                                     bool is_expr, bool pretty, char **out_again) {
  uf_tree *t = NULL;
  uf_error err;
  *out_again = NULL;
  if (h_parse_as(s, strlen(s), d, is_expr, &t, &err) != UF_OK) return false;
  char *again = NULL;
  bool ok = h_generate(uf_tree_root(t), d, pretty, &again, &err) == UF_OK &&
            strcmp(again, s) == 0;
  uf_tree_free(t);
  *out_again = again;
  return ok;
}

/* fmt in one mode is idempotent: f1 = gen(parse(sql)); gen(parse(f1)) == f1. */
static inline bool h_fmt_idempotent(const uf_node *root, const uf_dialect *d,
                                    bool is_expr, bool pretty, char **detail) {
  char *f1 = NULL, *f2 = NULL;
  uf_error err;
  if (h_generate(root, d, pretty, &f1, &err) != UF_OK) {
    *detail = h_strdup(err.message);
    return false;
  }
  bool ok = h_fmt_fixed_point(f1, d, is_expr, pretty, &f2);
  if (!ok) {
    size_t n = strlen(f1) + (f2 ? strlen(f2) : 9) + 64;
    *detail = malloc(n);
    if (*detail)
      snprintf(*detail, n, "%s:\n  once:  %s\n  twice: %s",
               pretty ? "pretty" : "compact", f1, f2 ? f2 : "(failed)");
  }
  uf_free(f1);
  uf_free(f2);
  return ok;
}

static inline bool h_same_fingerprint(const uf_node *a, const uf_node *b,
                                      const uf_dialect *d) {
  char ha[UF_FINGERPRINT_HEX], hb[UF_FINGERPRINT_HEX];
  uf_error err;
  return uf_fingerprint_hex(a, d, ha, &err) == UF_OK &&
         uf_fingerprint_hex(b, d, hb, &err) == UF_OK && strcmp(ha, hb) == 0;
}

/* The full round trip of one input (see the file comment). */
static inline h_rt_result h_roundtrip(const char *sql, const uf_dialect *d) {
  h_rt_result r;
  memset(&r, 0, sizeof r);
  uf_tree *a = NULL, *b = NULL;
  if (h_parse_any(sql, strlen(sql), d, &a, &r.is_expr, &r.err) != UF_OK) {
    r.outcome = H_RT_PARSE;
    r.detail = h_strdup(r.err.message);
    return r;
  }
  char *gen = NULL;
  if (h_generate(uf_tree_root(a), d, false, &gen, &r.err) != UF_OK) {
    r.outcome = H_RT_GENERATE;
    r.detail = h_strdup(r.err.message);
    uf_tree_free(a);
    return r;
  }
  r.generated = h_strdup(gen);
  uf_free(gen);
  r.byte_identical = strcmp(r.generated, sql) == 0;
  if (h_parse_as(r.generated, strlen(r.generated), d, r.is_expr, &b, &r.err) != UF_OK) {
    r.outcome = H_RT_REPARSE;
    r.detail = h_strdup(r.err.message);
  } else if (!uf_node_equal(uf_tree_root(a), uf_tree_root(b), false)) {
    r.outcome = H_RT_NOT_EQUAL;
  } else if (!h_same_fingerprint(uf_tree_root(a), uf_tree_root(b), d)) {
    r.outcome = H_RT_FINGERPRINT;
  } else if (!h_fmt_idempotent(uf_tree_root(a), d, r.is_expr, false, &r.detail) ||
             !h_fmt_idempotent(uf_tree_root(a), d, r.is_expr, true, &r.detail)) {
    r.outcome = H_RT_FMT;
  }
  uf_tree_free(a);
  uf_tree_free(b);
  return r;
}

/* Prints a failed round trip: the input, the output and what differed. */
static inline void h_rt_print(FILE *out, const char *label, const char *sql,
                              const h_rt_result *r) {
  fprintf(out, "%s: %s\n  input:  %.400s\n", label, h_rt_names[r->outcome], sql);
  if (r->generated) fprintf(out, "  output: %.400s\n", r->generated);
  if (r->detail) fprintf(out, "  detail: %.600s\n", r->detail);
}

#endif
