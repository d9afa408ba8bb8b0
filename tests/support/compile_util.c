#include "compile_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#ifndef UF_SHARED_DIR
#define UF_SHARED_DIR "../shared"
#endif

void ut_policy_rules(uf_policy *p, const char *rules) {
  uf_policy_default(p);
  if (rules == NULL) return;
  const char *names[UF_POLICY_MAX_RULES];
  char buf[512];
  size_t n = 0;
  snprintf(buf, sizeof buf, "%s", rules);
  char *save = NULL;
  for (char *tok = strtok_r(buf, ", ", &save); tok && n < UF_POLICY_MAX_RULES;
       tok = strtok_r(NULL, ", ", &save))
    names[n++] = tok;
  uf_error err;
  if (uf_policy_set_rules(p, names, n, &err) != UF_OK) fail_msg("policy: %s", err.message);
}

uf_schema *ut_schema_json(const char *json) {
  uf_schema *s = NULL;
  uf_error err;
  if (uf_schema_load_json(json, strlen(json), NULL, &s, &err) != UF_OK)
    fail_msg("schema: %s", err.message);
  return s;
}

uf_schema *ut_schema_shared(const char *rel) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", UF_SHARED_DIR, rel);
  uf_schema *s = NULL;
  uf_error err;
  if (uf_schema_load_file(path, NULL, &s, &err) != UF_OK) fail_msg("%s: %s", path, err.message);
  return s;
}

char *ut_compile_text(const char *rules, const uf_schema *s, const char *sql) {
  uf_policy p;
  ut_policy_rules(&p, rules);
  uf_compiled_query *q = NULL;
  uf_error err;
  if (uf_compile_sql(sql, strlen(sql), &p, s, NULL, &q, &err) != UF_OK) {
    print_error("[%s] %s: compile failed: %s\n", rules ? rules : "default", sql, err.message);
    return NULL;
  }
  char *out = strdup(q->sql);
  uf_compiled_query_free(q);
  return out;
}
