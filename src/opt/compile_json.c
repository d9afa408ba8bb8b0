/*
 * A compiled query as one line of JSON: what `unifier compile --json`
 * prints per statement.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "unifier/compile.h"

static const char *issue_kind(uf_qualify_issue_kind k) {
  switch (k) {
    case UF_ISSUE_UNKNOWN_COLUMN: return "unknown_column";
    case UF_ISSUE_AMBIGUOUS_COLUMN: return "ambiguous_column";
    case UF_ISSUE_UNKNOWN_TABLE: return "unknown_table";
    default: return "invalid";
  }
}

static json_t *issue_json(const uf_qualify_issue *is) {
  json_t *cands = json_array();
  for (size_t i = 0; i < is->ncandidates; i++)
    json_array_append_new(cands, json_string(is->candidates[i]));
  return json_pack("{s:s, s:s, s:I, s:I, s:s?, s:o}", "kind", issue_kind(is->kind),
                   "message", is->error.message, "line", (json_int_t)is->error.line,
                   "column", (json_int_t)is->error.column, "name", is->name,
                   "candidates", cands);
}

/* The lineage artifact parsed back, or {} when there is none. */
static json_t *lineage_json(const uf_compiled_query *q, const uf_schema *s) {
  const char *text = NULL;
  uf_error ignored;
  json_t *l = NULL;
  if (uf_compiled_query_lineage(q, s, &text, NULL, &ignored) == UF_OK && text)
    l = json_loads(text, 0, NULL);
  return l ? l : json_object();
}

static json_t *to_json(const uf_compiled_query *q, const uf_schema *s) {
  const uf_compile_artifacts *a = &q->artifacts;
  json_t *cols = json_array();
  for (size_t i = 0; i < a->ncolumns; i++)
    json_array_append_new(cols, json_pack("[s, s]", a->columns[i].name, a->columns[i].type));
  json_t *errors = json_array();
  for (size_t i = 0; i < a->nissues; i++) json_array_append_new(errors, issue_json(&a->issues[i]));
  json_t *timings = json_object();
  for (size_t i = 0; i < a->ntimings; i++)
    json_object_set_new(timings, a->timings[i].rule, json_real(a->timings[i].ms));
  return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "sql", q->sql ? q->sql : "",
                   "fingerprint", a->fingerprint, "policy_fingerprint",
                   a->policy_fingerprint, "lineage", lineage_json(q, s), "columns", cols,
                   "errors", errors, "timings", timings);
}

uf_status uf_compiled_query_json(const uf_compiled_query *q, const uf_schema *s, char **out,
                                 size_t *out_len, uf_error *err) {
  *out = NULL;
  json_t *j = q ? to_json(q, s) : NULL;
  char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(j);
  if (text == NULL) return uf_error_set(err, UF_NOMEM, "cannot render compiled query JSON");
  *out = text; /* jansson allocates with malloc: uf_free frees it */
  if (out_len) *out_len = strlen(text);
  return UF_OK;
}
