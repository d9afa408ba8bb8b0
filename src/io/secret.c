/*
 * Object-store credentials as engine secrets: a CREATE SECRET AST built
 * from uf_io_secret and run through the lane like any other DDL.
 */
#include <stdio.h>
#include <string.h>

#include "io/io_internal.h"
#include "unifier/builder.h"
#include "unifier/engine.h"

enum { STYLE_BARE_WORD = 4 }; /* a bare-word option value, as parsed */

/* KEY 'value' (or a bare word for TYPE/PROVIDER, as DuckDB writes them). */
static bool add(uf_tree *t, uf_node *opts, const char *key, const char *v,
                bool bare) {
  if (!v) return true;
  uf_node *s = uf_b_string(t, v);
  if (!s) return false;
  if (bare) s->style = STYLE_BARE_WORD;
  return uf_b_list_push(t, opts, uf_b_prop(t, key, s), NULL) == UF_OK;
}

uf_status uf_io_secret_statement(uf_tree *t, const uf_io_secret *s,
                                 uf_node **out_stmt, uf_error *err) {
  if (!out_stmt) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out_stmt = NULL;
  if (!t || !s || !s->type || !*s->type)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "io: a secret needs a TYPE (S3, GCS, R2, AZURE, HTTP)");
  uf_node *n = uf_node_new(t, UF_CREATE_SECRET), *opts = uf_b_list(t);
  bool ok = n && opts;
  ok = ok && add(t, opts, "TYPE", s->type, true);
  ok = ok && add(t, opts, "PROVIDER", s->provider, true);
  ok = ok && add(t, opts, "KEY_ID", s->key_id, false);
  ok = ok && add(t, opts, "SECRET", s->secret, false);
  ok = ok && add(t, opts, "SESSION_TOKEN", s->session_token, false);
  ok = ok && add(t, opts, "REGION", s->region, false);
  ok = ok && add(t, opts, "ENDPOINT", s->endpoint, false);
  ok = ok && add(t, opts, "URL_STYLE", s->url_style, false);
  ok = ok && add(t, opts, "SCOPE", s->scope, false);
  ok = ok && add(t, opts, "BEARER_TOKEN", s->bearer_token, false);
  if (ok && s->use_ssl_off)
    ok = uf_b_list_push(t, opts, uf_b_prop(t, "USE_SSL", uf_b_bool(t, false)),
                        NULL) == UF_OK;
  if (ok && s->name && *s->name) {
    uf_node *id = uf_b_ident(t, s->name, false);
    ok = id && uf_set(n, UF_SLOT_NAME, id, NULL) == UF_OK;
  }
  if (!ok || uf_set(n, UF_SLOT_OPTIONS, opts, NULL) != UF_OK)
    return uf_error_set(err, UF_NOMEM, "out of memory");
  n->flags |= s->persistent ? UF_F_PERSISTENT : UF_F_TEMP;
  if (s->or_replace) n->flags |= UF_F_OR_REPLACE;
  *out_stmt = n;
  return UF_OK;
}

uf_status uf_io_create_secret(uf_io *io, const uf_io_secret *s,
                              uf_error *err) {
  if (!io) return uf_error_set(err, UF_INVALID_ARGUMENT, "io is NULL");
  uf_tree *t = uf_tree_new();
  if (!t) return uf_error_set(err, UF_NOMEM, "out of memory");
  uf_node *stmt = NULL;
  uf_status st = uf_io_secret_statement(t, s, &stmt, err);
  double t0 = uf_diag_now_ms();
  if (st == UF_OK) st = uf_io_run_ast(io, stmt, err);
  if (st == UF_OK && s->name && *s->name)
    st = uf_io_remember_secret(io, s->name, s->persistent, err);
  /* The rendered statement holds the credentials: neither it nor the part
   * of an engine message that quotes it ("\n  in: <sql>") is recorded. */
  char msg[UF_ERROR_MESSAGE_MAX] = "";
  if (st != UF_OK && err) {
    snprintf(msg, sizeof msg, "%s", err->message);
    char *in = strstr(msg, "\n  in:");
    if (in) *in = '\0';
  }
  uf_diag_registration g = {s ? s->name : NULL, "register", "secret",
                            s ? s->scope : NULL, s ? s->type : NULL, NULL, -1,
                            false, uf_diag_now_ms() - t0,
                            st == UF_OK ? NULL : msg,
                            st == UF_OK ? NULL : uf_status_name(st)};
  uf_record_registration(uf_io_recorder(io), &g, NULL);
  uf_tree_free(t);
  return st;
}
