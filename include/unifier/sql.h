/*
 * unifier — the SQL front end: dialects, parsing, generation, serde,
 * fingerprints and the statement reader.
 */
#ifndef UNIFIER_SQL_H
#define UNIFIER_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "unifier/ast.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -- dialects --------------------------------------------------------- */
typedef struct uf_dialect uf_dialect;

/* Built-in dialects; static, never freed. */
const uf_dialect *uf_dialect_duckdb(void);
const uf_dialect *uf_dialect_postgres(void);
const uf_dialect *uf_dialect_datafusion(void);
/* Looks up "duckdb", "postgres" (or "postgresql"), "datafusion"; NULL if
 * unknown. */
const uf_dialect *uf_dialect_by_name(const char *name);
const char *uf_dialect_name(const uf_dialect *d);

/* -- parsing ---------------------------------------------------------- */
#define UF_MAX_DEPTH 256 /* nesting deeper than this is a UF_LIMIT_EXCEEDED error */
/* A parsed tree deeper than this (long operator chains build depth without
 * nesting) is a UF_LIMIT_EXCEEDED error; every tree consumer handles it. */
#define UF_MAX_TREE_DEPTH 1000

typedef struct uf_parse_options {
  const uf_dialect *dialect; /* NULL = duckdb */
  uint32_t first_line;       /* line number of the first byte (0 = 1) */
  uint32_t max_depth;        /* 0 = UF_MAX_DEPTH */
} uf_parse_options;

/* Parses every statement of `sql` (len bytes, need not be NUL-terminated).
 * On success *out_tree is a new tree whose root is a SCRIPT node holding the
 * statements; free with uf_tree_free. On failure *out_tree is NULL and err
 * holds the position. */
uf_status uf_parse(const char *sql, size_t len, const uf_parse_options *opts,
                   uf_tree **out_tree, uf_error *err);

/* Parses exactly one statement (a trailing ';' is allowed); the tree's root
 * is the statement itself. */
uf_status uf_parse_one(const char *sql, size_t len,
                       const uf_parse_options *opts, uf_tree **out_tree,
                       uf_error *err);

/* Parses a single expression (e.g. a predicate) into a tree whose root is
 * the expression. */
uf_status uf_parse_expr(const char *sql, size_t len,
                        const uf_parse_options *opts, uf_tree **out_tree,
                        uf_error *err);

/* -- statement reader: splits a stream at top-level ';' ---------------- */
typedef struct uf_stmt_reader uf_stmt_reader;

/* Reads from `in` (borrowed; not closed). Free with uf_stmt_reader_free. */
uf_status uf_stmt_reader_open(FILE *in, const uf_dialect *d,
                              uf_stmt_reader **out_reader, uf_error *err);
/* Returns the next statement's text (without the ';'), borrowed until the
 * next call, with its starting line. UF_DONE at end of input. Text that is
 * only whitespace and comments is skipped. */
uf_status uf_stmt_reader_next(uf_stmt_reader *r, const char **out_sql,
                              size_t *out_len, uint32_t *out_line,
                              uf_error *err);
/* 1-based column of the first byte of the statement last returned (a
 * statement may start mid-line, after the previous one's ';'). */
uint32_t uf_stmt_reader_column(const uf_stmt_reader *r);
void uf_stmt_reader_free(uf_stmt_reader *r);

/* -- generation ------------------------------------------------------- */
typedef enum uf_identify {
  UF_IDENTIFY_SAFE = 0,  /* quote identifiers only where needed or quoted */
  UF_IDENTIFY_ALWAYS = 1 /* quote every identifier */
} uf_identify;

typedef struct uf_gen_options {
  const uf_dialect *dialect; /* NULL = duckdb */
  bool pretty;               /* indented, stable multi-line layout */
  uf_identify identify;
  bool lowercase_keywords;   /* default: upper case keywords */
  bool strip_comments;       /* drop attached comments from the output */
  uint32_t indent;           /* spaces per level in pretty mode (0 = 2) */
} uf_gen_options;

/* Renders a node (statement, query, expression, or SCRIPT) to SQL. On
 * success *out_sql is a new NUL-terminated string (free with uf_free) and
 * *out_len (if non-NULL) its length. A construct the target dialect cannot
 * express fails with UF_UNSUPPORTED naming it. */
uf_status uf_generate(const uf_node *n, const uf_gen_options *opts,
                      char **out_sql, size_t *out_len, uf_error *err);

/* -- serde ------------------------------------------------------------ */
#define UF_SERDE_VERSION 1

/* Dumps n as versioned JSON text (compact); free with uf_free. Lossless:
 * uf_serde_load(uf_serde_dump(t)) is exactly equal to t, comments, quoting
 * and style included. */
uf_status uf_serde_dump(const uf_node *n, char **out_json, size_t *out_len,
                        uf_error *err);
/* Loads JSON produced by uf_serde_dump into a new tree (root = the node). */
uf_status uf_serde_load(const char *json, size_t len, uf_tree **out_tree,
                        uf_error *err);

/* -- fingerprint ------------------------------------------------------ */
#define UF_FINGERPRINT_VERSION 2
#define UF_FINGERPRINT_HEX 65 /* 64 hex digits + NUL */

/* SHA-256 over a compact canonical serialization of n, prefixed with the
 * format version. Ignores whitespace, keyword case, comments, positions,
 * style and quoting an identifier does not need; depends on every literal
 * and identifier. `d` decides identifier case folding (NULL = duckdb). */
uf_status uf_fingerprint(const uf_node *n, const uf_dialect *d,
                         uint8_t out_digest[32], uf_error *err);
/* Same, written as 64 lower-case hex digits plus NUL into out_hex. */
uf_status uf_fingerprint_hex(const uf_node *n, const uf_dialect *d,
                             char out_hex[UF_FINGERPRINT_HEX], uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
