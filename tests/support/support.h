/*
 * Helpers shared by the cmocka tests (built into uf_test_support, linked
 * into every test): parsing and generating in a dialect, the round-trip
 * check (parse -> generate -> re-parse to an equal AST, and generation is a
 * fixed point), whole-file reading and writing, temporary directories, and
 * running the built CLI with its output captured.
 *
 * Include after <cmocka.h>. Functions named *_must or that say "fails the
 * test" call cmocka's fail_msg; the others report and return.
 */
#ifndef UF_TESTS_SUPPORT_H
#define UF_TESTS_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "unifier/ast.h"
#include "unifier/sql.h"

/* -- parse and generate ---------------------------------------------------- */

/* What a text parses as: one statement, an expression, or a script. */
typedef enum ut_mode { UT_STMT, UT_EXPR, UT_SCRIPT } ut_mode;

/* Parses sql in dialect d (NULL = default) as `mode`; NULL on error. The
 * status goes to *st when st is not NULL. */
uf_tree *ut_parse_mode(const char *sql, const uf_dialect *d, ut_mode mode,
                       uf_status *st, uf_error *err);

/* One statement / one expression in dialect d; NULL on error. */
uf_tree *ut_parse(const char *sql, const uf_dialect *d, uf_error *err);
uf_tree *ut_parse_expr(const char *sql, const uf_dialect *d, uf_status *st,
                       uf_error *err);

/* One statement in dialect d; fails the test (naming sql) when it does not
 * parse. */
uf_tree *ut_parse_must(const char *sql, const uf_dialect *d);

/* Generates n for dialect d (NULL = default), compact or pretty; NULL on
 * error (status to *st when st is not NULL). Free with uf_free. */
char *ut_gen(const uf_node *n, const uf_dialect *d, bool pretty, uf_error *err);
char *ut_gen_st(const uf_node *n, const uf_dialect *d, bool pretty,
                uf_status *st, uf_error *err);

/* -- round trip ------------------------------------------------------------- */

/* Generates root (parsed from sql as `mode`) in one mode, re-parses the
 * output, checks the trees are equal and that generating the re-parsed tree
 * gives the same text. On failure prints why (with sql) and returns false.
 * On success stores the generated text in *out when out is not NULL (free
 * with uf_free). */
bool ut_regenerates(const char *sql, const uf_node *root, const uf_dialect *d,
                    ut_mode mode, bool pretty, char **out);

/* Parses sql as `mode` and checks ut_regenerates compact and pretty; prints
 * why and returns false on failure. */
bool ut_round_trips(const char *sql, const uf_dialect *d, ut_mode mode);

/* Parses sql as `mode` and checks ut_regenerates in one mode; fails the
 * test otherwise. Returns the generated text (free with uf_free). */
char *ut_round_trip_must(const char *sql, const uf_dialect *d, ut_mode mode,
                         bool pretty);

/* -- files and directories -------------------------------------------------- */

/* Reads a whole file into a NUL-terminated malloc'd buffer (its length to
 * *len when len is not NULL); NULL when it cannot be read. */
char *ut_read_file(const char *path, size_t *len);

/* Reads a whole file as one C string: "" when it cannot be read, NUL bytes
 * (DuckDB strings may hold them) shown as \x01. Free with free. */
char *ut_read_text(const char *path);

/* Writes text to path; fails the test when the file cannot be created. */
void ut_write_file(const char *path, const char *text);

/* Creates a fresh directory /tmp/<prefix>_XXXXXX into buf; false on error. */
bool ut_mkdtemp(char *buf, size_t size, const char *prefix);

/* Removes path and everything below it (no links followed). */
void ut_rm_rf(const char *path);

/* dir/name in one of 8 rotating static buffers (so a few stay valid). */
const char *ut_path(const char *dir, const char *name);

/* -- running the CLI --------------------------------------------------------- */

typedef struct ut_result {
  int code;       /* exit code, 128 + signal when killed */
  char *out, *err; /* captured stdout and stderr (NUL bytes shown as \x01) */
  long maxrss_kb; /* peak resident set of the child */
} ut_result;

/* NULL-terminated argument list for ut_run_cli. */
#define UT_ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Runs the built CLI (UF_CLI_PATH) with args (NULL-terminated, without
 * argv[0]) and stdin from stdin_path (NULL = /dev/null); stdout and stderr
 * go through files in dir. Fails the test when it cannot be started. */
ut_result ut_run_cli(const char *dir, const char *stdin_path,
                     const char *const *args);

/* Frees the captured output. */
void ut_result_free(ut_result *r);

/* Fails the test (printing both outputs) unless r exited with code. */
void ut_expect_exit(const ut_result *r, int code, const char *what);

#endif
