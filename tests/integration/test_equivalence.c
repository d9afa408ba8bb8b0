/*
 * The semantic equivalence harness: the compiled SQL (uf_compile_sql under
 * the full default policy, whatever rules it lists) must return exactly
 * what the query as written returns, on DuckDB.
 *
 * Queries: the 22 TPC-H queries, every statement of the SQLGlot optimizer
 * fixtures (both sides of each pair; expression-only lines run as
 * SELECT expr), and random queries from tests/support/querygen (seed
 * --seed or UF_EQUIV_SEED, count --count or UF_EQUIV_COUNT; defaults fixed
 * so CI is reproducible).
 *
 * Data: (a) the tiny TPC-H data (../shared/corpora/tpch/data), (b) the same
 * schema filled by this test, through builder ASTs, with NULLs, extremes
 * (min/max integers, huge and tiny doubles, empty strings, unicode) and
 * duplicates, and (c) for the fixtures, optimizer/schema.json's tables with
 * small generated data.
 *
 * The original runs verbatim through the test oracle; the compiled query
 * runs as its AST (uf_engine_exec). A query whose original fails is skipped
 * and counted. A compile failure, an execution failure of the compiled
 * query, or any difference in the results fails the test, printing the
 * seed, the query, the compiled SQL and both result sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "engine/engine.h"
#include "engine/engine_oracle.h"
#include "opt/fn_class.h"
#include "harness.h"
#include "../support/querygen.h"
#include "../support/tpch.h"
#include "unifier/builder.h"
#include "unifier/compile.h"

#if defined(__SANITIZE_ADDRESS__)
#define EQ_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EQ_SANITIZED 1
#endif
#endif
#ifndef EQ_SANITIZED
#define EQ_SANITIZED 0
#endif

#define EQ_DEFAULT_SEED 0x5EEDC0DEULL
#define EQ_DEFAULT_COUNT (EQ_SANITIZED ? 400 : 2000)
#define EQ_MAX_PRINTED 10 /* failures printed in full per test */

enum { DB_TPCH, DB_EXTREME, DB_FIXTURE, NDB };
static const char *const db_names[NDB] = {"tpch", "extreme", "fixture"};

typedef struct eq_state {
  uf_engine *db[NDB];
  uf_schema *tpch_schema, *fixture_schema;
  uf_policy policy;
} eq_state;

typedef struct eq_stats {
  size_t queries;      /* inputs seen */
  size_t same[NDB];    /* identical results per database */
  size_t skipped[NDB]; /* original failed on that database */
  size_t unparsed;     /* original does not parse: skipped */
  size_t compile_failed, exec_failed, differ;
  size_t ties; /* same only once ties of the ORDER BY were broken */
  size_t nondeterministic; /* a sample or volatile call: not compared */
  size_t printed;
} eq_stats;

/* -- loading the TPC-H data (as test_compile_exec.c) --------------------- */

static bool load_tpch(eq_state *s) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/tpch/schema.json", UF_SHARED_DIR);
  uf_error err;
  return uf_schema_load_file(path, NULL, &s->tpch_schema, &err) == UF_OK &&
         ut_load_tpch(s->db[DB_TPCH]);
}

/* -- generated tables (through builder ASTs) ------------------------------ */

/* Runs a builder-made statement; reports failures. */
static bool run_ast(uf_engine *e, const uf_node *stmt, const char *what) {
  uf_error err;
  if (stmt == NULL) {
    fprintf(stderr, "[equiv] %s: builder returned NULL\n", what);
    return false;
  }
  if (uf_engine_exec(e, stmt, NULL, &err) != UF_OK) {
    fprintf(stderr, "[equiv] %s: %s\n", what, err.message);
    return false;
  }
  return true;
}

/* A cell value for a column of DuckDB type `type` named `name` in row
 * `row`: NULL for SQL NULL, else text cast to the type. Keys stay small so
 * joins match; duplicates come from the small pools. */
static const char *extreme_value(qg_rng *r, const char *type, const char *name) {
  static const char *const keys[] = {NULL, "0", "1", "1", "2", "2", "3", "4",
                                     "9223372036854775807", "-9223372036854775808"};
  static const char *const bigints[] = {NULL, "0", "1", "-1", "2", "42", "1",
                                        "9223372036854775807",
                                        "-9223372036854775808", "1000000"};
  static const char *const ints[] = {NULL, "0", "1", "-1", "7", "1",
                                     "2147483647", "-2147483648", "25"};
  static const char *const dbls[] = {NULL, "0.0", "1.5", "-2.25", "1e300",
                                     "-1e300", "123456789012345.67", "0.1",
                                     "3.0", "1e-300", "1.5", "0.05",
                                     "1.7976931348623157e308"};
  static const char *const strs[] = {
      NULL, "", "a", "A", "abc", "\xc3\xbc", "\xe6\x97\xa5\xe6\x9c\xac",
      "O'Brien", " x ", "R", "F", "N", "O", "BUILDING", "1995-03-15", "ASIA",
      "Brand#12", "a", "", "%_\\", "1998-12-01",
      "a very long string, with commas, and quotes ' \" and more text 0123456789"};
#define PICKV(arr) ((arr)[qg_below(r, sizeof(arr) / sizeof *(arr))])
  size_t n = strlen(name);
  if (strcmp(type, "BIGINT") == 0)
    return n > 3 && strcmp(name + n - 3, "key") == 0 ? PICKV(keys) : PICKV(bigints);
  if (strcmp(type, "INTEGER") == 0) return PICKV(ints);
  if (strcmp(type, "DOUBLE") == 0) return PICKV(dbls);
  return PICKV(strs);
#undef PICKV
}

/* SELECT CAST(v AS type), ... for one row of table `tb`. */
static uf_node *extreme_row(uf_tree *t, qg_rng *r, const qg_table *tb) {
  uf_node *sel = uf_b_select(t);
  uf_error err;
  for (size_t c = 0; c < tb->ncolumns && sel; c++) {
    const char *v = extreme_value(r, tb->columns[c].sql_type, tb->columns[c].name);
    uf_node *lit = v ? uf_b_string(t, v) : uf_b_null(t);
    uf_node *cell = uf_b_alias(t, uf_b_cast(t, lit, tb->columns[c].sql_type),
                               tb->columns[c].name);
    if (uf_b_select_add(t, sel, cell, &err) != UF_OK) sel = NULL;
  }
  return sel;
}

/* Creates the TPC-H tables in the extreme database, 48 rows each. */
static bool load_extreme(eq_state *s) {
  qg_rng r = {0xE7E7E7ULL};
  for (size_t i = 0; i < qg_table_count(); i++) {
    const qg_table *tb = qg_table_at(i);
    uf_tree *t = uf_tree_new();
    if (t == NULL) return false;
    uf_node *cols = uf_b_list(t);
    uf_error err;
    for (size_t c = 0; c < tb->ncolumns; c++)
      if (uf_b_list_push(t, cols, uf_b_column_def(t, tb->columns[c].name,
                                                  uf_b_type(t, tb->columns[c].sql_type), false),
                         &err) != UF_OK)
        cols = NULL;
    bool ok = run_ast(s->db[DB_EXTREME],
                      uf_b_create_table(t, uf_b_table(t, NULL, tb->name), cols), tb->name);
    uf_node *rows = extreme_row(t, &r, tb);
    for (int k = 1; k < 48 && rows; k++)
      rows = uf_b_set_op(t, "UNION", true, rows, extreme_row(t, &r, tb));
    ok = ok && run_ast(s->db[DB_EXTREME], uf_b_insert(t, uf_b_table(t, NULL, tb->name), rows),
                       tb->name);
    uf_tree_free(t);
    if (!ok) return false;
  }
  return true;
}

/* A value for a fixture column of DuckDB type node text `type`. */
static uf_node *fixture_value(uf_tree *t, qg_rng *r, const char *type) {
  static const char *const ints[] = {NULL, "0", "1", "1", "2", "3", "-1", "5"};
  static const char *const texts[] = {NULL, "", "a", "b", "a", "x", "\xc3\xbc"};
  static const char *const dates[] = {NULL, "2020-01-01", "1999-12-31", "2020-01-01"};
  static const char *const stamps[] = {NULL, "2020-01-01 10:00:00", "1999-12-31 23:59:59"};
  static const char *const bools[] = {NULL, "true", "false", "true"};
#define PICKV(arr) ((arr)[qg_below(r, sizeof(arr) / sizeof *(arr))])
  const char *v = NULL;
  if (strstr(type, "INT")) v = PICKV(ints);
  else if (strstr(type, "CHAR") || strstr(type, "TEXT")) v = PICKV(texts);
  else if (strcmp(type, "DATE") == 0) v = PICKV(dates);
  else if (strstr(type, "TIME")) v = PICKV(stamps);
  else if (strstr(type, "BOOL")) v = PICKV(bools);
#undef PICKV
  return v ? uf_b_string(t, v) : uf_b_null(t);
}

/* The table expression fixtures read their variables from: a..w BOOLEAN
 * (normalize.sql's A, B, ...), x, y, z INTEGER (simplify.sql's x, y), 64
 * rows with NULLs; also added to the fixture schema so compiles type them. */
#define EXPR_VARS "expr_vars"

static bool load_expr_vars(eq_state *s) {
  uf_tree *t = uf_tree_new();
  uf_node *defs = uf_b_list(t);
  uf_error err;
  bool ok = t && defs;
  char json[1024];
  size_t w = (size_t)snprintf(json, sizeof json, "{\"%s\": {", EXPR_VARS);
  for (char c = 'a'; ok && c <= 'z'; c++) {
    const char *type = c >= 'x' ? "INTEGER" : "BOOLEAN";
    char name[2] = {c, 0};
    ok = uf_b_list_push(t, defs, uf_b_column_def(t, name, uf_b_type(t, type), false), &err) ==
         UF_OK;
    w += (size_t)snprintf(json + w, sizeof json - w, "%s\"%s\": \"%s\"", c == 'a' ? "" : ", ",
                          name, type);
  }
  snprintf(json + w, sizeof json - w, "}}");
  ok = ok && run_ast(s->db[DB_FIXTURE],
                     uf_b_create_table(t, uf_b_table(t, NULL, EXPR_VARS), defs), EXPR_VARS);
  static const char *const bools[] = {NULL, "true", "false"};
  static const char *const ints[] = {NULL, "0", "1", "2", "-1", "3", "5"};
  qg_rng r = {0xBEEFULL};
  uf_node *rows = NULL;
  for (int k = 0; ok && k < 64; k++) {
    uf_node *sel = uf_b_select(t);
    for (char c = 'a'; sel && c <= 'z'; c++) {
      const char *v = c >= 'x' ? ints[qg_below(&r, 7)] : bools[qg_below(&r, 3)];
      uf_node *lit = v ? uf_b_string(t, v) : uf_b_null(t);
      char name[2] = {c, 0};
      if (uf_b_select_add(t, sel, uf_b_alias(t, uf_b_cast(t, lit, c >= 'x' ? "INTEGER" : "BOOLEAN"), name),
                          &err) != UF_OK)
        sel = NULL;
    }
    rows = rows ? uf_b_set_op(t, "UNION", true, rows, sel) : sel;
  }
  ok = ok && run_ast(s->db[DB_FIXTURE], uf_b_insert(t, uf_b_table(t, NULL, EXPR_VARS), rows),
                     EXPR_VARS);
  uf_tree_free(t);
  if (ok && s->fixture_schema &&
      uf_schema_add_json(s->fixture_schema, json, strlen(json), &err) != UF_OK) {
    fprintf(stderr, "[equiv] %s schema: %s\n", EXPR_VARS, err.message);
    ok = false;
  }
  return ok;
}

/* optimizer/schema.json's tables with 12 generated rows each (tables whose
 * types do not parse are left out: their statements are skipped). */
static bool load_fixture_db(eq_state *s) {
  char path[1024];
  snprintf(path, sizeof path, "%s/corpora/sqlglot/optimizer/schema.json", UF_SHARED_DIR);
  json_error_t jerr;
  json_t *schema = json_load_file(path, 0, &jerr);
  if (schema == NULL) return false;
  uf_error err;
  if (uf_schema_load_file(path, NULL, &s->fixture_schema, &err) != UF_OK)
    printf("[equiv] %s does not load as a schema (%s): fixtures compile without one\n", path,
           err.message);
  qg_rng r = {0xF1F1ULL};
  const char *table;
  json_t *cols;
  size_t made = 0;
  json_object_foreach(schema, table, cols) {
    uf_tree *t = uf_tree_new();
    uf_node *defs = uf_b_list(t);
    const char *name;
    json_t *type;
    bool ok = t && defs;
    json_object_foreach(cols, name, type) {
      uf_node *tn = NULL;
      const char *ts = json_string_value(type);
      if (!ok || ts == NULL || uf_b_parse_type(t, ts, NULL, &tn, &err) != UF_OK) {
        ok = false;
        break;
      }
      ok = uf_b_list_push(t, defs, uf_b_column_def(t, name, tn, false), &err) == UF_OK;
    }
    ok = ok && run_ast(s->db[DB_FIXTURE],
                       uf_b_create_table(t, uf_b_table(t, NULL, table), defs), table);
    uf_node *rows = NULL;
    for (int k = 0; ok && k < 12; k++) {
      uf_node *sel = uf_b_select(t);
      for (size_t c = 0; c < defs->nkids && sel; c++) {
        uf_node *def = defs->kids[c];
        uf_node *tn = uf_get(def, UF_SLOT_TYPE);
        uf_node *cell = uf_b_cast_to(t, fixture_value(t, &r, tn ? tn->text : ""),
                                     tn ? uf_node_copy(t, tn) : NULL);
        if (uf_b_select_add(t, sel, cell, &err) != UF_OK) sel = NULL;
      }
      rows = rows ? uf_b_set_op(t, "UNION", true, rows, sel) : sel;
    }
    if (ok) ok = run_ast(s->db[DB_FIXTURE], uf_b_insert(t, uf_b_table(t, NULL, table), rows), table);
    made += ok;
    uf_tree_free(t);
  }
  printf("[equiv] fixture database: %zu/%zu tables of optimizer/schema.json\n", made,
         json_object_size(schema));
  json_decref(schema);
  return made > 0 && load_expr_vars(s);
}

/* -- setup ----------------------------------------------------------------- */

static int teardown(void **state) {
  eq_state *s = *state;
  if (s == NULL) return 0;
  for (int i = 0; i < NDB; i++) uf_engine_close(s->db[i]);
  uf_schema_free(s->tpch_schema);
  uf_schema_free(s->fixture_schema);
  free(s);
  return 0;
}

static int setup(void **state) {
  eq_state *s = calloc(1, sizeof *s);
  *state = s;
  if (s == NULL) return -1;
  uf_engine_options o = {0};
  o.threads = 1; /* floating-point aggregates in a fixed order */
  o.allow_external_access = true;
  uf_error err;
  for (int i = 0; i < NDB; i++) {
    if (uf_engine_open(&o, &s->db[i], &err) != UF_OK) {
      fprintf(stderr, "[equiv] engine: %s\n", err.message);
      teardown(state);
      return -1;
    }
  }
  uf_policy_default(&s->policy);
  /* UF_EQUIV_RULES=qualify,simplify,... replaces the rule list (to find
   * which rule breaks a query). */
  const char *rules = getenv("UF_EQUIV_RULES");
  if (rules != NULL && *rules != '\0') {
    char buf[1024], *names[UF_POLICY_MAX_RULES];
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", rules);
    for (char *tok = strtok(buf, ", "); tok && n < UF_POLICY_MAX_RULES; tok = strtok(NULL, ", "))
      names[n++] = tok;
    if (uf_policy_set_rules(&s->policy, (const char *const *)names, n, &err) != UF_OK) {
      fprintf(stderr, "[equiv] UF_EQUIV_RULES: %s\n", err.message);
      teardown(state);
      return -1;
    }
  }
  printf("[equiv] policy rules:");
  for (size_t i = 0; i < s->policy.nrules; i++) printf(" %s", s->policy.rules[i]);
  printf("\n");
  if (!load_tpch(s) || !load_extreme(s) || !load_fixture_db(s)) {
    fprintf(stderr, "[equiv] cannot load the databases\n");
    teardown(state);
    return -1;
  }
  return 0;
}

/* -- the check ----------------------------------------------------------- */

static void print_header(eq_stats *st, const char *label, uint64_t seed, const char *sql,
                         const char *compiled) {
  printf("[equiv] FAIL %s", label);
  if (seed) printf(" (query seed 0x%016llx)", (unsigned long long)seed);
  printf("\n  query:    %.3000s\n  compiled: %.3000s\n", sql, compiled ? compiled : "(none)");
  st->printed++;
}

/* stmt's top-level ORDER BY with the output positions 1..ncols appended:
 * rows that tie on the written keys then come in one order (and LIMIT
 * keeps one set of them). false if stmt has no ORDER BY list. */
static bool break_ties(uf_tree *t, uf_node *stmt, uint32_t ncols) {
  uf_node *ob = uf_get(stmt, UF_SLOT_ORDER);
  uf_node *keys = ob ? uf_get(ob, UF_SLOT_EXPRS) : NULL;
  if (!uf_is(keys, UF_LIST)) return false;
  for (uint32_t i = 1; i <= ncols; i++) {
    uf_node *o = uf_node_new(t, UF_ORDERED);
    if (o == NULL || uf_set(o, UF_SLOT_THIS, uf_b_int(t, i), NULL) != UF_OK ||
        uf_list_push(t, keys, o, NULL) != UF_OK)
      return false;
  }
  return true;
}

/* An ORDER BY leaves rows that tie on its keys in any order, and a LIMIT
 * then keeps any of them: the original and the compiled query are run
 * again with every output column appended as a tie-breaker to both.
 * true if they then agree. */
static bool same_with_ties_broken(eq_state *s, int db, const char *sql,
                                  const uf_compiled_query *q, uint32_t ncols) {
  uf_tree *t = NULL, *c = uf_tree_new();
  uf_error err;
  char *text = NULL;
  uf_result_text *a = NULL, *b = NULL;
  bool same = false;
  if (c && uf_parse_one(sql, strlen(sql), NULL, &t, &err) == UF_OK) {
    uf_node *orig = uf_tree_root(t), *comp = uf_node_copy(c, q->ast);
    uf_gen_options g;
    memset(&g, 0, sizeof g);
    g.dialect = uf_dialect_duckdb();
    if (comp && break_ties(t, orig, ncols) && break_ties(c, comp, ncols) &&
        uf_generate(orig, &g, &text, NULL, &err) == UF_OK &&
        uf_engine_oracle_exec_text(s->db[db], text, true, &a, &err) == UF_OK &&
        uf_engine_exec(s->db[db], comp, &b, &err) == UF_OK) {
      b->ordered = a->ordered;
      same = uf_result_text_equal(a, b);
    }
  }
  uf_result_text_free(a);
  uf_result_text_free(b);
  uf_free(text);
  uf_tree_free(t);
  uf_tree_free(c);
  return same;
}

/* Runs the original and the compiled query on database `db`; false on a
 * failure (which it prints). */
static bool check_on(eq_state *s, int db, const char *sql, bool ordered,
                     const uf_compiled_query *q, const char *label, uint64_t seed,
                     eq_stats *st) {
  uf_result_text *ref = NULL, *got = NULL;
  uf_error err;
  if (uf_engine_oracle_exec_text(s->db[db], sql, ordered, &ref, &err) != UF_OK) {
    st->skipped[db]++;
    return true;
  }
  bool ok = true;
  if (q == NULL) {
    ok = false; /* runs as written, but did not compile */
    st->compile_failed++;
  } else if (uf_engine_exec(s->db[db], q->ast, &got, &err) != UF_OK) {
    ok = false;
    st->exec_failed++;
    if (st->printed < EQ_MAX_PRINTED) {
      print_header(st, label, seed, sql, q->sql);
      printf("  on %s: the compiled query fails: %.2000s\n  original result:\n", db_names[db],
             err.message);
      uf_result_text_print(stdout, ref, 10);
    }
  } else {
    got->ordered = ref->ordered;
    if (uf_result_text_equal(ref, got)) {
      st->same[db]++;
    } else if (ordered && same_with_ties_broken(s, db, sql, q, ref->ncols)) {
      st->same[db]++;
      st->ties++;
    } else {
      ok = false;
      st->differ++;
      if (st->printed < EQ_MAX_PRINTED) {
        print_header(st, label, seed, sql, q->sql);
        printf("  on %s: results differ (- original, + compiled)\n", db_names[db]);
        uf_result_text_diff(stdout, ref, got, 10);
        printf("  original:\n");
        uf_result_text_print(stdout, ref, 10);
        printf("  compiled:\n");
        uf_result_text_print(stdout, got, 10);
      }
    }
  }
  uf_result_text_free(ref);
  uf_result_text_free(got);
  return ok;
}

/* One input on the given databases (dbs: NDB flags). Expression-only
 * inputs (fixtures) run as SELECT expr. */
static void check_query(eq_state *s, const char *input, const bool dbs[NDB],
                        const uf_schema *schema, const char *label, uint64_t seed,
                        eq_stats *st) {
  st->queries++;
  uf_tree *t = NULL;
  uf_error err;
  char *wrapped = NULL;
  const char *sql = input;
  if (uf_parse_one(sql, strlen(sql), NULL, &t, &err) != UF_OK) {
    uf_tree *e = NULL;
    if (uf_parse_expr(sql, strlen(sql), NULL, &e, &err) != UF_OK) {
      st->unparsed++;
      return;
    }
    uf_tree_free(e);
    size_t n = strlen(sql) + 64;
    wrapped = malloc(n);
    if (wrapped == NULL) return;
    /* reads its variables from the expr_vars table where there is one */
    snprintf(wrapped, n, dbs[DB_FIXTURE] ? "SELECT %s AS r FROM " EXPR_VARS : "SELECT %s AS r",
             sql);
    sql = wrapped;
    if (uf_parse_one(sql, strlen(sql), NULL, &t, &err) != UF_OK) {
      st->unparsed++;
      free(wrapped);
      return;
    }
  }
  bool ordered = uf_query_is_ordered(uf_tree_root(t));
  /* a sample or a volatile call returns other rows on every run: there
   * is no one result to compare */
  bool random_rows = uf_find(uf_tree_root(t), UF_SAMPLE) || uf_rw_volatile(uf_tree_root(t));
  uf_tree_free(t);
  if (random_rows) {
    st->nondeterministic++;
    free(wrapped);
    return;
  }
  uf_compiled_query *q = NULL;
  uf_error cerr;
  bool compiled = uf_compile_sql(sql, strlen(sql), &s->policy, schema, NULL, &q, &cerr) == UF_OK;
  for (int db = 0; db < NDB; db++) {
    if (!dbs[db]) continue;
    size_t before = st->compile_failed;
    if (!check_on(s, db, sql, ordered, compiled ? q : NULL, label, seed, st) &&
        st->compile_failed > before && st->printed < EQ_MAX_PRINTED) {
      print_header(st, label, seed, sql, NULL);
      printf("  runs as written on %s but does not compile: %s\n", db_names[db], cerr.message);
    }
    if (!compiled && st->compile_failed > before) break; /* counted once */
  }
  uf_compiled_query_free(q);
  free(wrapped);
}

static void print_stats(const char *what, const eq_stats *st, double secs) {
  printf("[equiv] %s: %zu queries (%zu unparsed, %zu with random rows not compared)", what,
         st->queries, st->unparsed, st->nondeterministic);
  for (int db = 0; db < NDB; db++)
    if (st->same[db] + st->skipped[db] > 0)
      printf("; %s: %zu identical, %zu skipped (original fails)", db_names[db], st->same[db],
             st->skipped[db]);
  printf("; %zu compile failures, %zu compiled-execution failures, %zu differences, "
         "%zu same once ORDER BY ties were broken (%.1f s)\n",
         st->compile_failed, st->exec_failed, st->differ, st->ties, secs);
}

static size_t failures(const eq_stats *st) {
  return st->compile_failed + st->exec_failed + st->differ;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* -- tests ------------------------------------------------------------------ */

static void test_tpch_queries(void **state) {
  eq_state *s = *state;
  h_strvec qs = {0};
  h_load_tpch(&qs);
  eq_stats st = {0};
  const bool dbs[NDB] = {true, true, false};
  double t0 = now();
  for (size_t i = 0; i < qs.n; i++) {
    char label[32];
    snprintf(label, sizeof label, "tpch q%02zu", i + 1);
    check_query(s, qs.items[i], dbs, s->tpch_schema, label, 0, &st);
  }
  print_stats("TPC-H corpus", &st, now() - t0);
  h_strvec_free(&qs);
  assert_int_equal(st.queries, 22);
  assert_int_equal(st.same[DB_TPCH], 22);
  assert_int_equal(failures(&st), 0);
}

static void test_optimizer_fixtures(void **state) {
  eq_state *s = *state;
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/corpora/sqlglot/optimizer", UF_SHARED_DIR);
  static const char *const files[] = {
      "annotate_types.sql", "canonicalize.sql", "normalize.sql",
      "pushdown_predicates.sql", "pushdown_projections.sql", "qualify_columns.sql",
      "qualify_columns__invalid.sql", "qualify_tables.sql", "simplify.sql", "tpc-h.sql"};
  eq_stats total = {0};
  double t0 = now();
  for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, files[f]);
    char *text = h_read_file(path, NULL);
    assert_non_null(text);
    h_strvec stmts = {0};
    h_split_fixture(text, &stmts);
    free(text);
    bool tpch = strcmp(files[f], "tpc-h.sql") == 0;
    const bool tpch_dbs[NDB] = {true, true, false}, fix_dbs[NDB] = {false, false, true};
    eq_stats st = {0};
    st.printed = total.printed;
    for (size_t i = 0; i < stmts.n; i++) {
      char label[128];
      snprintf(label, sizeof label, "%s #%zu", files[f], i + 1);
      check_query(s, stmts.items[i], tpch ? tpch_dbs : fix_dbs,
                  tpch ? s->tpch_schema : s->fixture_schema, label, 0, &st);
    }
    print_stats(files[f], &st, 0);
    total.queries += st.queries;
    total.unparsed += st.unparsed;
    for (int db = 0; db < NDB; db++) {
      total.same[db] += st.same[db];
      total.skipped[db] += st.skipped[db];
    }
    total.compile_failed += st.compile_failed;
    total.exec_failed += st.exec_failed;
    total.differ += st.differ;
    total.ties += st.ties;
    total.nondeterministic += st.nondeterministic;
    total.printed = st.printed;
    h_strvec_free(&stmts);
  }
  print_stats("optimizer fixtures", &total, now() - t0);
  assert_true(total.same[DB_FIXTURE] > 0);
  assert_int_equal(failures(&total), 0);
}

static uint64_t env_u64(const char *name, uint64_t fallback) {
  const char *v = getenv(name);
  if (v == NULL || *v == '\0') return fallback;
  char *end = NULL;
  unsigned long long x = strtoull(v, &end, 0);
  return end && *end == '\0' ? (uint64_t)x : fallback;
}

static void test_random_queries(void **state) {
  eq_state *s = *state;
  uint64_t seed = env_u64("UF_EQUIV_SEED", EQ_DEFAULT_SEED);
  uint64_t count = env_u64("UF_EQUIV_COUNT", EQ_DEFAULT_COUNT);
  printf("[equiv] random queries: UF_EQUIV_SEED=0x%llx UF_EQUIV_COUNT=%llu%s\n",
         (unsigned long long)seed, (unsigned long long)count,
         EQ_SANITIZED ? " (sanitizer build)" : "");
  eq_stats st = {0};
  const bool dbs[NDB] = {true, true, false};
  double t0 = now();
  for (uint64_t i = 0; i < count; i++) {
    uint64_t qseed = qg_query_seed(seed, i);
    char *sql = qg_generate(qseed);
    assert_non_null(sql);
    char label[64];
    snprintf(label, sizeof label, "random #%llu", (unsigned long long)i);
    check_query(s, sql, dbs, s->tpch_schema, label, qseed, &st);
    free(sql);
  }
  print_stats("random queries", &st, now() - t0);
  if (failures(&st) > 0)
    printf("[equiv] reproduce: UF_EQUIV_SEED=0x%llx UF_EQUIV_COUNT=%llu\n",
           (unsigned long long)seed, (unsigned long long)count);
  assert_int_equal(st.unparsed, 0);
  assert_int_equal(failures(&st), 0);
  /* The generator keeps queries that fail as written rare (<= 20%). */
  for (int db = DB_TPCH; db <= DB_EXTREME; db++) {
    if (st.skipped[db] * 5 > count)
      printf("[equiv] %s: too many skipped: %zu of %llu\n", db_names[db], st.skipped[db],
             (unsigned long long)count);
    assert_true(st.skipped[db] * 5 <= count);
  }
}

/* The generator is deterministic and its queries parse. */
static void test_querygen(void **state) {
  (void)state;
  for (uint64_t i = 0; i < 200; i++) {
    char *a = qg_generate(qg_query_seed(7, i)), *b = qg_generate(qg_query_seed(7, i));
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    uf_tree *t = NULL;
    uf_error err;
    if (uf_parse_one(a, strlen(a), NULL, &t, &err) != UF_OK)
      fail_msg("generated query does not parse: %s\n%s", err.message, a);
    uf_tree_free(t);
    free(a);
    free(b);
  }
  char *x = qg_generate(1), *y = qg_generate(2);
  assert_true(strcmp(x, y) != 0);
  free(x);
  free(y);
}

/* --seed N and --count N (for longer local runs) set UF_EQUIV_SEED and
 * UF_EQUIV_COUNT; --rules a,b,c sets UF_EQUIV_RULES. */
static int parse_args(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *var = strcmp(argv[i], "--seed") == 0    ? "UF_EQUIV_SEED"
                      : strcmp(argv[i], "--count") == 0 ? "UF_EQUIV_COUNT"
                      : strcmp(argv[i], "--rules") == 0 ? "UF_EQUIV_RULES"
                                                        : NULL;
    if (var == NULL || i + 1 >= argc) {
      fprintf(stderr, "usage: %s [--seed N] [--count N] [--rules r1,r2,...]\n", argv[0]);
      return -1;
    }
    setenv(var, argv[++i], 1);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (parse_args(argc, argv) != 0) return 2;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_querygen),
      cmocka_unit_test(test_tpch_queries),
      cmocka_unit_test(test_optimizer_fixtures),
      cmocka_unit_test(test_random_queries),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
