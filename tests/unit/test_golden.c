/* Golden fingerprints: the 22 TPC-H queries' fingerprints are pinned in
 * tests/golden/tpch_fingerprints.txt, so an accidental change of the AST or
 * of the fingerprint format is caught. Each query is also re-spelled (pretty,
 * lower-case keywords, identifiers quoted, comments added) and must keep its
 * fingerprint. Regenerate the file only on a deliberate format change (and
 * bump UF_FINGERPRINT_VERSION). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unifier/unifier.h"
#include "../support/support.h"

static void fp_of(const char *sql, size_t len, const char *name, char out[UF_FINGERPRINT_HEX]) {
  uf_tree *t = NULL;
  uf_error err;
  if (uf_parse_one(sql, len, NULL, &t, &err) != UF_OK)
    fail_msg("%s: parse failed at %u:%u: %s\n%s", name, err.line, err.column, err.message, sql);
  assert_int_equal(uf_fingerprint_hex(uf_tree_root(t), NULL, out, &err), UF_OK);
  uf_tree_free(t);
}

static char *respell(const char *sql, size_t len, const uf_gen_options *go) {
  uf_tree *t = NULL;
  uf_error err;
  assert_int_equal(uf_parse_one(sql, len, NULL, &t, &err), UF_OK);
  char *out = NULL;
  if (uf_generate(uf_tree_root(t), go, &out, NULL, &err) != UF_OK)
    fail_msg("generate failed: %s", err.message);
  uf_tree_free(t);
  return out;
}

/* Inserts a block comment after every "SELECT" and before the statement. */
static char *with_comments(const char *sql) {
  size_t n = strlen(sql);
  char *out = malloc(n * 3 + 64);
  size_t k = (size_t)sprintf(out, "/* leading */ ");
  for (size_t i = 0; i < n; i++) {
    out[k++] = sql[i];
    if (i >= 5 && strncmp(sql + i - 5, "SELECT", 6) == 0) k += (size_t)sprintf(out + k, " /* c */");
  }
  k += (size_t)sprintf(out + k, " -- trailing\n");
  out[k] = '\0';
  return out;
}

static void test_tpch_golden(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/golden/tpch_fingerprints.txt", UF_SOURCE_DIR);
  FILE *g = fopen(path, "r");
  assert_non_null(g);
  char name[64], want[128];
  int count = 0;
  while (fscanf(g, "%63s %127s", name, want) == 2) {
    snprintf(path, sizeof path, "%s/corpora/tpch/queries/%s.sql", UF_SHARED_DIR, name);
    size_t len = 0;
    char *sql = ut_read_file(path, &len);
    if (!sql) fail_msg("cannot read %s", path);
    char got[UF_FINGERPRINT_HEX];
    fp_of(sql, len, name, got);
    if (strcmp(got, want) != 0) fail_msg("%s: fingerprint %s, pinned %s", name, got, want);

    const uf_gen_options variants[] = {
        {.pretty = true},
        {.lowercase_keywords = true},
        {.identify = UF_IDENTIFY_ALWAYS, .pretty = true},
    };
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
      char *re = respell(sql, len, &variants[v]);
      fp_of(re, strlen(re), name, got);
      if (strcmp(got, want) != 0) fail_msg("%s variant %zu changed the fingerprint:\n%s", name, v, re);
      char *commented = with_comments(re);
      fp_of(commented, strlen(commented), name, got);
      if (strcmp(got, want) != 0) fail_msg("%s: comments changed the fingerprint:\n%s", name, commented);
      free(commented);
      uf_free(re);
    }
    free(sql);
    count++;
  }
  fclose(g);
  assert_int_equal(count, 22);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_tpch_golden)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
