/* qualify and the schema model: SQLGlot's qualify fixtures (compared by
 * meaning: both sides parsed, identifiers normalized, trees equal), the
 * invalid cases (must produce issues), TPC-H (no issues; the qualified SQL
 * re-parses), and the schema API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unifier/opt.h"
#include "unifier/schema.h"
#include "unifier/sql.h"
#include "../support/support.h"

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif
#define OPT_DIR UF_SHARED_DIR "/corpora/sqlglot/optimizer"

/* Pass-count floors: raise them as qualify improves, never lower them. */
#define FLOOR_QUALIFY_COLUMNS 192
#define FLOOR_QUALIFY_TABLES 45
#define FLOOR_INVALID 17

static bool verbose(void) { return getenv("UF_QUALIFY_VERBOSE") != NULL; }

/* -- fixture reading ---------------------------------------------------------- */

typedef struct chunk {
  char *sql;     /* malloc'd, options lines removed */
  char dialect[128];
  bool validate_off, unsupported_opt;
  char title[128];
} chunk;

/* Splits a fixture: drop "--" lines, split on ';', pull "# k: v" options. */
static size_t read_chunks(const char *path, chunk **out) {
  char *text = ut_read_file(path, NULL);
  if (!text) fail_msg("cannot read %s", path);
  /* drop comment lines */
  size_t n = strlen(text), w = 0;
  for (size_t i = 0; i < n;) {
    size_t e = i;
    while (e < n && text[e] != '\n') e++;
    size_t k = i;
    while (k < e && (text[k] == ' ' || text[k] == '\t')) k++;
    if (!(e - k >= 2 && text[k] == '-' && text[k + 1] == '-')) {
      memmove(text + w, text + i, e - i);
      w += e - i;
      text[w++] = '\n';
    }
    i = e + 1;
  }
  text[w] = '\0';
  size_t cap = 64, cnt = 0;
  chunk *v = calloc(cap, sizeof *v);
  char *p = text;
  while (*p) {
    char *semi = strchr(p, ';');
    if (semi) *semi = '\0';
    chunk c;
    memset(&c, 0, sizeof c);
    /* options at the start */
    char *s = p;
    for (;;) {
      while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') s++;
      if (*s != '#') break;
      char *eol = strchr(s, '\n');
      if (eol) *eol = '\0';
      char key[64] = "", val[128] = "";
      sscanf(s, "# %63[^:]: %127[^\n]", key, val);
      if (!strcmp(key, "dialect")) snprintf(c.dialect, sizeof c.dialect, "%s", val);
      else if (!strcmp(key, "validate_qualify_columns") && !strcmp(val, "false"))
        c.validate_off = true;
      else if (!strcmp(key, "title")) snprintf(c.title, sizeof c.title, "%s", val);
      else if (!strcmp(key, "execute")) {
      } else c.unsupported_opt = true;
      s = eol ? eol + 1 : s + strlen(s);
    }
    bool blank = true;
    for (char *b = s; *b; b++)
      if (*b != ' ' && *b != '\n' && *b != '\t' && *b != '\r') blank = false;
    if (!blank) {
      c.sql = strdup(s);
      if (cnt == cap) v = realloc(v, (cap *= 2) * sizeof *v);
      v[cnt++] = c;
    }
    if (!semi) break;
    p = semi + 1;
  }
  free(text);
  *out = v;
  return cnt;
}

static void free_chunks(chunk *v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i].sql);
  free(v);
}

/* Folds unquoted identifiers the way qualify normalizes them. */
static int fold_walk(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  uf_tree *t = ctx;
  if (!uf_is(n, UF_IDENT) || (n->flags & UF_F_QUOTED)) return 0;
  char buf[512];
  size_t len = strlen(n->text);
  if (len >= sizeof buf) return 0;
  for (size_t i = 0; i <= len; i++) {
    char c = n->text[i];
    buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  n->text = uf_intern(t, buf, len);
  return 0;
}

static uf_schema *load_schema(const char *path) {
  uf_schema *s = NULL;
  uf_error err;
  if (uf_schema_load_file(path, NULL, &s, &err) != UF_OK)
    fail_msg("schema %s: %s", path, err.message);
  return s;
}

typedef enum outcome { OC_PASS, OC_FAIL, OC_SKIP } outcome;

typedef struct counts {
  int pass, fail, skip, strict;
} counts;

/* Qualifies one side of a fixture pair with the case's options. */
static uf_status qualify_side(uf_tree *t, const chunk *in, uf_schema *s,
                              bool tables, const char *sql, uf_node **root,
                              uf_error *err) {
  const uf_dialect *d = in->dialect[0] ? uf_dialect_by_name(in->dialect) : NULL;
  uf_qualify_options o = {.dialect = d, .validate = !in->validate_off};
  if (tables) {
    o.only_tables = true;
    o.catalog = "c";
    o.db = "db";
  } else o.no_qualify_tables = true;
  o.sql = sql;
  o.sql_len = strlen(sql);
  uf_qualify_result r = {0};
  uf_status st = uf_qualify(t, uf_tree_root(t), tables ? NULL : s, &o, root,
                            &r, err);
  if (st == UF_OK) uf_tree_set_root(t, *root);
  return st;
}

static bool same_fingerprint(const uf_node *a, const uf_node *b,
                             const uf_dialect *d) {
  uint8_t fa[32], fb[32];
  uf_error err;
  if (uf_fingerprint(a, d, fa, &err) != UF_OK) return false;
  if (uf_fingerprint(b, d, fb, &err) != UF_OK) return false;
  return memcmp(fa, fb, sizeof fa) == 0;
}

/* Compares by meaning, as issue 4 asks: our qualification of the input and
 * our qualification of the expected output must have the same fingerprint.
 * The stricter check (our output equals the expected text's tree, names
 * folded) is counted in c->strict. Prints a failing case when verbose. */
static outcome check_pair(const chunk *in, const chunk *exp, uf_schema *s,
                          bool tables, counts *c) {
  const uf_dialect *d = in->dialect[0] ? uf_dialect_by_name(in->dialect) : NULL;
  if ((in->dialect[0] && !d) || in->unsupported_opt) return OC_SKIP;
  uf_parse_options po = {.dialect = d};
  uf_tree *t = NULL, *e = NULL, *raw = NULL;
  uf_error err, err2;
  if (uf_parse_one(in->sql, strlen(in->sql), &po, &t, &err) != UF_OK) {
    if (verbose()) printf("SKIP parse: %s\n  %s\n", err.message, in->sql);
    return OC_SKIP;
  }
  if (uf_parse_one(exp->sql, strlen(exp->sql), &po, &e, &err) != UF_OK) {
    if (verbose()) printf("SKIP parse: %s\n  %s\n", err.message, exp->sql);
    uf_tree_free(t);
    return OC_SKIP;
  }
  uf_parse_one(exp->sql, strlen(exp->sql), &po, &raw, &err2);
  uf_node *root = NULL, *eroot = NULL;
  uf_status st = qualify_side(t, in, s, tables, in->sql, &root, &err);
  uf_status est = UF_OK;
  outcome oc = OC_FAIL;
  if (st == UF_OK) {
    est = qualify_side(e, in, s, tables, exp->sql, &eroot, &err2);
    if (est == UF_OK && same_fingerprint(root, eroot, d)) oc = OC_PASS;
  }
  char *got = NULL, *want = NULL;
  if (oc == OC_FAIL && verbose()) {
    got = st == UF_OK ? ut_gen(root, d, false, NULL) : NULL;
    want = st == UF_OK && est == UF_OK ? ut_gen(eroot, d, false, NULL) : NULL;
  }
  if (st == UF_OK && raw) {
    uf_walk(uf_tree_root(raw), fold_walk, raw);
    uf_walk(root, fold_walk, t);
    c->strict += uf_node_equal(root, uf_tree_root(raw), false);
  }
  if (oc == OC_FAIL && verbose()) {
    printf("FAIL %s\n  in:   %s\n  want: %s\n  got:  %s\n  wantq: %s\n",
           in->title, in->sql, exp->sql, got ? got : err.message,
           want ? want : (est != UF_OK ? err2.message : "-"));
  }
  uf_free(got);
  uf_free(want);
  uf_tree_free(t);
  uf_tree_free(e);
  uf_tree_free(raw);
  return oc;
}

static void run_pairs(const char *file, bool tables, int floor) {
  chunk *v;
  size_t n = read_chunks(file, &v);
  uf_schema *s = load_schema(OPT_DIR "/schema.json");
  counts c = {0};
  for (size_t i = 0; i + 1 < n; i += 2) {
    outcome oc = check_pair(&v[i], &v[i + 1], s, tables, &c);
    c.pass += oc == OC_PASS;
    c.fail += oc == OC_FAIL;
    c.skip += oc == OC_SKIP;
  }
  printf("# %s: %d pass (same fingerprint after qualifying both sides), "
         "%d fail, %d skipped (unsupported dialect/option or parse); "
         "%d equal to the expected text's tree\n",
         file, c.pass, c.fail, c.skip, c.strict);
  uf_schema_free(s);
  free_chunks(v, n);
  assert_true(c.pass >= floor);
}

static void test_qualify_columns(void **state) {
  (void)state;
  run_pairs(OPT_DIR "/qualify_columns.sql", false, FLOOR_QUALIFY_COLUMNS);
}

static void test_qualify_tables(void **state) {
  (void)state;
  run_pairs(OPT_DIR "/qualify_tables.sql", true, FLOOR_QUALIFY_TABLES);
}

static void test_invalid(void **state) {
  (void)state;
  chunk *v;
  size_t n = read_chunks(OPT_DIR "/qualify_columns__invalid.sql", &v);
  uf_schema *s = load_schema(OPT_DIR "/schema.json");
  int caught = 0;
  for (size_t i = 0; i < n; i++) {
    uf_tree *t = NULL;
    uf_error err;
    if (uf_parse_one(v[i].sql, strlen(v[i].sql), NULL, &t, &err) != UF_OK) {
      caught++; /* rejected already by the parser */
      continue;
    }
    uf_qualify_options o = {.validate = true, .no_qualify_tables = true,
                            .sql = v[i].sql, .sql_len = strlen(v[i].sql)};
    uf_qualify_result r = {0};
    uf_status st = uf_qualify(t, uf_tree_root(t), s, &o, NULL, &r, &err);
    if (st != UF_OK) {
      caught++;
      if (verbose()) printf("ok   %s\n     %s\n%s\n", v[i].sql, err.message, err.snippet);
    } else if (verbose()) printf("MISS %s\n", v[i].sql);
    uf_tree_free(t);
  }
  printf("# invalid: %d of %zu rejected\n", caught, n);
  uf_schema_free(s);
  free_chunks(v, n);
  assert_true(caught >= FLOOR_INVALID);
}

/* All 22 TPC-H queries qualify without issues, and the result re-parses. */
static void test_tpch(void **state) {
  (void)state;
  uf_schema *s = load_schema(UF_SHARED_DIR "/corpora/tpch/schema.json");
  for (int q = 1; q <= 22; q++) {
    char path[512];
    snprintf(path, sizeof path, UF_SHARED_DIR "/corpora/tpch/queries/q%02d.sql", q);
    char *sql = ut_read_file(path, NULL);
    if (!sql) {
      snprintf(path, sizeof path, UF_SHARED_DIR "/corpora/tpch/queries/q%d.sql", q);
      sql = ut_read_file(path, NULL);
    }
    if (!sql) fail_msg("cannot read TPC-H query %d", q);
    uf_tree *t = ut_parse_must(sql, NULL);
    uf_qualify_options o = {.validate = true, .sql = sql, .sql_len = strlen(sql)};
    uf_qualify_result r = {0};
    uf_node *root = NULL;
    uf_error err;
    uf_status st = uf_qualify(t, uf_tree_root(t), s, &o, &root, &r, &err);
    if (st != UF_OK)
      fail_msg("q%d: %s\n%s\n%s", q, err.message, err.snippet, sql);
    char *out = ut_gen(root, NULL, false, &err);
    if (!out) fail_msg("q%d: generate: %s", q, err.message);
    uf_tree *t2 = ut_parse(out, NULL, &err);
    if (!t2) fail_msg("q%d: qualified SQL does not re-parse: %s\n%s", q,
                      err.message, out);
    if (verbose()) printf("q%d: %s\n", q, out);
    uf_tree_free(t2);
    uf_free(out);
    uf_tree_free(t);
    free(sql);
  }
  uf_schema_free(s);
}

static void test_schema_api(void **state) {
  (void)state;
  uf_schema *s = NULL;
  uf_error err;
  assert_int_equal(uf_schema_new(NULL, &s, &err), UF_OK);
  const uf_schema_table *t;
  assert_int_equal(uf_schema_add_table(s, "Cat", "DB", "Tbl", false, &t, &err), UF_OK);
  assert_string_equal(t->name, "tbl");
  assert_string_equal(t->db, "db");
  assert_int_equal(uf_schema_add_column(s, t, "A", false, "int", true, &err), UF_OK);
  assert_int_equal(uf_schema_add_column(s, t, "B", true, "STRUCT<x string, y ARRAY<int>>", true, &err), UF_OK);
  assert_int_equal(uf_schema_add_column(s, t, "c", false, "decimal(15,2)", false, &err), UF_OK);
  assert_int_equal(uf_schema_add_column(s, t, "a", false, "int", true, &err), UF_INVALID_ARGUMENT);
  assert_int_equal(t->ncolumns, 3);
  assert_string_equal(t->columns[0].type, "INTEGER");
  assert_string_equal(t->columns[1].name, "B");
  assert_string_equal(t->columns[1].type, "STRUCT(x VARCHAR, y INTEGER[])");
  assert_string_equal(t->columns[2].type, "DECIMAL(15,2)");
  assert_non_null(t->columns[2].type_node);
  const uf_schema_table *f = NULL;
  assert_int_equal(uf_schema_find_table(s, NULL, NULL, "tbl", &f, &err), UF_OK);
  assert_ptr_equal(f, t);
  assert_int_equal(uf_schema_find_table(s, NULL, "other", "tbl", &f, &err), UF_NOT_FOUND);
  assert_int_equal(uf_schema_set_default(s, "cat", "db", &err), UF_OK);
  const char *ty;
  assert_int_equal(uf_schema_column_type(s, NULL, NULL, "tbl", "c", &ty, &err), UF_OK);
  assert_string_equal(ty, "DECIMAL(15,2)");
  uf_schema_free(s);

  const char *nested = "{\"c\": {\"d\": {\"t\": {\"x\": \"text\"}}}}";
  assert_int_equal(uf_schema_load_json(nested, strlen(nested), NULL, &s, &err), UF_OK);
  assert_int_equal(uf_schema_find_table(s, "c", "d", "t", &f, &err), UF_OK);
  assert_string_equal(f->columns[0].type, "VARCHAR");
  uf_schema_free(s);
  assert_int_equal(uf_schema_load_json("[1]", 3, NULL, &s, &err), UF_SERDE);
  assert_null(s);
  assert_int_equal(uf_schema_load_json("{", 1, NULL, &s, &err), UF_SERDE);
  uf_schema_free(NULL);
}

/* An issue carries position, caret and candidates. */
static void test_issue_details(void **state) {
  (void)state;
  uf_schema *s = load_schema(OPT_DIR "/schema.json");
  const char *sql = "SELECT a,\n  zz FROM x";
  uf_tree *t = ut_parse_must(sql, NULL);
  uf_qualify_options o = {.sql = sql, .sql_len = strlen(sql)};
  uf_qualify_result r = {0};
  uf_error err;
  assert_int_equal(uf_qualify(t, uf_tree_root(t), s, &o, NULL, &r, &err), UF_OK);
  assert_int_equal(r.nissues, 1);
  assert_int_equal(r.issues[0].kind, UF_ISSUE_UNKNOWN_COLUMN);
  assert_int_equal(r.issues[0].error.line, 2);
  assert_int_equal(r.issues[0].error.column, 3);
  assert_int_equal(r.issues[0].ncandidates, 2);
  assert_non_null(strchr(r.issues[0].error.snippet, '^'));
  uf_tree_free(t);
  t = ut_parse_must(sql, NULL);
  o.validate = true;
  assert_int_equal(uf_qualify(t, uf_tree_root(t), s, &o, NULL, &r, &err), UF_SEMANTIC);
  uf_tree_free(t);
  uf_schema_free(s);
}

/* Results that must not change (found by the equivalence harness): the
 * repeated output names of a derived table or CTE are told apart as DuckDB
 * names them (b, b_1, ...), and a GROUP BY / ORDER BY position naming a
 * constant (or a repeated output name) stays a position. */
static void test_result_preserving(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"SELECT * FROM (SELECT * FROM x CROSS JOIN y) AS s",
       "SELECT s.a AS a, s.b AS b, s.b_1 AS b_1, s.c AS c FROM (SELECT x.a AS a, "
       "x.b AS b, y.b AS b_1, y.c AS c FROM x AS x CROSS JOIN y AS y) AS s"},
      {"SELECT s.b_1 FROM (SELECT x.b, y.b FROM x, y) AS s",
       "SELECT s.b_1 AS b_1 FROM (SELECT x.b AS b, y.b AS b_1 FROM x AS x, y AS y) AS s"},
      {"WITH w AS (SELECT * FROM x JOIN y ON x.b = y.b JOIN x AS x2 ON TRUE) "
       "SELECT * FROM w",
       "WITH w AS (SELECT x.a AS a, x.b AS b, y.b AS b_1, y.c AS c, x2.a AS a_1, "
       "x2.b AS b_2 FROM x AS x JOIN y AS y ON x.b = y.b JOIN x AS x2 ON TRUE) "
       "SELECT w.a AS a, w.b AS b, w.b_1 AS b_1, w.c AS c, w.a_1 AS a_1, "
       "w.b_2 AS b_2 FROM w AS w"},
      {"SELECT * FROM (SELECT * FROM (SELECT x.b, y.b, x.b AS b_1 FROM x, y) AS s) AS t",
       "SELECT t.b AS b, t.b_1 AS b_1, t.b_1_1 AS b_1_1 FROM (SELECT s.b AS b, "
       "s.b_1 AS b_1, s.b_1_1 AS b_1_1 FROM (SELECT x.b AS b, y.b AS b_1, "
       "x.b AS b_1_1 FROM x AS x, y AS y) AS s) AS t"},
      /* the top level keeps the names DuckDB shows */
      {"SELECT * FROM x CROSS JOIN y ORDER BY 3",
       "SELECT x.a AS a, x.b AS b, y.b AS b, y.c AS c FROM x AS x CROSS JOIN y AS y "
       "ORDER BY 3"},
      {"SELECT -0, COUNT(*) FROM x GROUP BY 1",
       "SELECT -0 AS _col_0, COUNT(*) AS _col_1 FROM x AS x GROUP BY 1"},
      {"SELECT - -5 AS k, a, COUNT(*) FROM x GROUP BY 1, 2",
       "SELECT - -5 AS k, x.a AS a, COUNT(*) AS _col_2 FROM x AS x GROUP BY 1, x.a"},
      {"SELECT 1 + 2 AS k, COUNT(*) FROM x GROUP BY k",
       "SELECT 1 + 2 AS k, COUNT(*) AS _col_1 FROM x AS x GROUP BY 1"},
      {"SELECT -a AS k FROM x GROUP BY 1", "SELECT -x.a AS k FROM x AS x GROUP BY -x.a"},
  };
  uf_schema *s = load_schema(OPT_DIR "/schema.json");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uf_tree *t = ut_parse_must(cases[i][0], NULL);
    uf_qualify_options o = {.validate = true};
    uf_qualify_result r = {0};
    uf_node *root = NULL;
    uf_error err;
    if (uf_qualify(t, uf_tree_root(t), s, &o, &root, &r, &err) != UF_OK)
      fail_msg("%s: %s", cases[i][0], err.message);
    char *out = ut_gen(root, NULL, false, &err);
    if (!out || strcmp(out, cases[i][1]))
      fail_msg("in:   %s\nwant: %s\ngot:  %s", cases[i][0], cases[i][1],
               out ? out : err.message);
    uf_free(out);
    uf_tree_free(t);
  }
  uf_schema_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_schema_api),
      cmocka_unit_test(test_issue_details),
      cmocka_unit_test(test_tpch),
      cmocka_unit_test(test_qualify_columns),
      cmocka_unit_test(test_qualify_tables),
      cmocka_unit_test(test_invalid),
      cmocka_unit_test(test_result_preserving),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
