/*
 * The engine interface (engine/engine.h) on the DuckDB C API. With
 * duckdb_text.c beside it, the only files that include duckdb.h.
 *
 * A session is one database and one connection: temporary views (Arrow
 * scans, registrations) are connection-local, so everything of a session
 * runs on that connection. Results are streamed: a pending streaming result
 * is driven to READY (ticking the progress callback), then chunks are
 * fetched one by one and converted to Arrow with the result's own Arrow
 * options.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/duckdb_internal.h"
#include "unifier/params.h"
#include "unifier/sql.h"

struct uf_ei_stmt {
  duckdb_prepared_statement ps;
  uf_ei_session *s;
  char **names; /* parameter names, 1-based (names[0] unused) */
  uint32_t nparams;
};

struct uf_ei_result {
  uf_ei_session *s;
  duckdb_result res;
  bool have_res;
  duckdb_arrow_options aopt;
  bool done;
};

/* -- sessions ------------------------------------------------------------ */

static uf_status set_config(duckdb_config cfg, const char *name,
                            const char *value, uf_error *err) {
  if (duckdb_set_config(cfg, name, value) == DuckDBError)
    return uf_error_set(err, UF_ENGINE, "engine: cannot set %s=%s", name, value);
  return UF_OK;
}

/* Settings that exist before the database does: extensions never install,
 * autoload or come from the community repository. */
static uf_status build_config(const uf_runtime_profile *o, duckdb_config cfg,
                              uf_error *err) {
  char threads[16];
  uf_status st = set_config(cfg, "autoinstall_known_extensions", "false", err);
  if (st == UF_OK) st = set_config(cfg, "autoload_known_extensions", "false", err);
  if (st == UF_OK) st = set_config(cfg, "allow_community_extensions", "false", err);
  if (st == UF_OK && o->threads > 0) {
    snprintf(threads, sizeof threads, "%u", (unsigned)o->threads);
    st = set_config(cfg, "threads", threads, err);
  }
  if (st == UF_OK && o->memory_limit != NULL)
    st = set_config(cfg, "memory_limit", o->memory_limit, err);
  return st;
}

static void session_free(uf_ei_session *s) {
  if (s == NULL) return;
  if (s->con) duckdb_disconnect(&s->con);
  if (s->db) duckdb_close(&s->db);
  free(s);
}

static uf_status dk_open(const uf_runtime_profile *p, uf_ei_session **out,
                         uf_error *err) {
  *out = NULL;
  uf_ei_session *s = calloc(1, sizeof *s);
  if (s == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  duckdb_config cfg = NULL;
  char *open_error = NULL;
  uf_status st = UF_OK;
  if (duckdb_create_config(&cfg) == DuckDBError)
    st = uf_error_set(err, UF_ENGINE, "engine: cannot create a config");
  if (st == UF_OK) st = build_config(p, cfg, err);
  if (st == UF_OK && duckdb_open_ext(NULL, &s->db, cfg, &open_error) == DuckDBError)
    st = uf_error_set(err, UF_ENGINE, "engine: cannot open: %s",
                      open_error ? open_error : "unknown error");
  if (open_error) duckdb_free(open_error);
  if (cfg) duckdb_destroy_config(&cfg);
  if (st == UF_OK && duckdb_connect(s->db, &s->con) == DuckDBError)
    st = uf_error_set(err, UF_ENGINE, "engine: cannot connect");
  if (st == UF_OK) st = uf_duckdb_lock_down(s, p, err);
  if (st != UF_OK) {
    session_free(s);
    return st;
  }
  *out = s;
  return UF_OK;
}

static void dk_close(uf_ei_session *s) { session_free(s); }

/* -- statements ---------------------------------------------------------- */

static void dk_destroy_stmt(uf_ei_stmt *st) {
  if (st == NULL) return;
  for (uint32_t i = 1; st->names && i <= st->nparams; i++) free(st->names[i]);
  free(st->names);
  if (st->ps) duckdb_destroy_prepare(&st->ps);
  free(st);
}

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* Parameter names are read once: DuckDB hands out copies to free. */
static bool read_param_names(uf_ei_stmt *st) {
  st->nparams = (uint32_t)duckdb_nparams(st->ps);
  st->names = calloc(st->nparams + 1, sizeof *st->names);
  if (st->names == NULL) return false;
  for (uint32_t i = 1; i <= st->nparams; i++) {
    const char *n = duckdb_parameter_name(st->ps, i);
    st->names[i] = dup_str(n ? n : "");
    if (n) duckdb_free((void *)n);
    if (st->names[i] == NULL) return false;
  }
  return true;
}

static uf_status dk_prepare(uf_ei_session *s, const char *sql, uf_ei_stmt **out,
                            uf_error *err) {
  *out = NULL;
  uf_ei_stmt *st = calloc(1, sizeof *st);
  if (st == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  st->s = s;
  if (duckdb_prepare(s->con, sql, &st->ps) == DuckDBError) {
    const char *msg = st->ps ? duckdb_prepare_error(st->ps) : NULL;
    uf_status rc = uf_error_set(err, UF_ENGINE, "engine: %s\n  in: %.300s",
                                msg ? msg : "cannot prepare", sql);
    dk_destroy_stmt(st);
    return rc;
  }
  if (!read_param_names(st)) {
    dk_destroy_stmt(st);
    return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  }
  *out = st;
  return UF_OK;
}

static uf_stmt_type dk_statement_type(uf_ei_stmt *st) {
  duckdb_statement_type t = duckdb_prepared_statement_type(st->ps);
  return (t >= 0 && (int)t < UF_STMT_TYPE_COUNT) ? (uf_stmt_type)t : UF_STMT_TYPE_INVALID;
}

static uint32_t dk_column_count(uf_ei_stmt *st) {
  return (uint32_t)duckdb_prepared_statement_column_count(st->ps);
}

static char *dk_column_name(uf_ei_stmt *st, uint32_t i) {
  const char *n = duckdb_prepared_statement_column_name(st->ps, i);
  char *copy = n ? strdup(n) : strdup("");
  if (n) duckdb_free((void *)n);
  return copy;
}

static uint32_t dk_param_count(uf_ei_stmt *st) { return st->nparams; }

static const char *dk_param_name(uf_ei_stmt *st, uint32_t i) {
  return (i >= 1 && i <= st->nparams) ? st->names[i] : NULL;
}

/* A DECIMAL's unscaled value from its canonical text ("-12.50"). */
static bool decimal_value(const struct uf_value *v, duckdb_hugeint *out) {
  __int128 x = 0;
  bool neg = false;
  size_t i = 0, n = v->text ? v->len : 0;
  if (n > 0 && (v->text[0] == '-' || v->text[0] == '+')) neg = v->text[i++] == '-';
  for (; i < n; i++) {
    char c = v->text[i];
    if (c == '.') continue;
    if (c < '0' || c > '9') return false;
    x = x * 10 + (c - '0');
  }
  if (neg) x = -x;
  out->lower = (uint64_t)x;
  out->upper = (int64_t)(x >> 64);
  return true;
}

static duckdb_value make_value(const struct uf_value *v) {
  switch (v->type) {
    case UF_VALUE_NULL: return duckdb_create_null_value();
    case UF_VALUE_BOOLEAN: return duckdb_create_bool(v->b);
    case UF_VALUE_BIGINT: return duckdb_create_int64(v->i);
    case UF_VALUE_DOUBLE: return duckdb_create_double(v->d);
    case UF_VALUE_VARCHAR: return duckdb_create_varchar_length(v->text ? v->text : "", v->len);
    case UF_VALUE_BLOB: return duckdb_create_blob((const uint8_t *)(v->text ? v->text : ""), v->len);
    case UF_VALUE_DATE: return duckdb_create_date((duckdb_date){(int32_t)v->i});
    case UF_VALUE_TIME: return duckdb_create_time((duckdb_time){v->i});
    case UF_VALUE_TIMESTAMP: return duckdb_create_timestamp((duckdb_timestamp){v->i});
    case UF_VALUE_DECIMAL: {
      duckdb_decimal d = {v->width, v->scale, {0, 0}};
      if (!decimal_value(v, &d.value)) return NULL;
      return duckdb_create_decimal(d);
    }
    default: return NULL;
  }
}

static uf_status dk_bind(uf_ei_stmt *st, uint32_t index, const struct uf_value *v,
                         uf_error *err) {
  duckdb_value val = make_value(v);
  if (val == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: cannot bind a %s value to $%s",
                        uf_value_type_name(v->type), dk_param_name(st, index));
  duckdb_state rc = duckdb_bind_value(st->ps, index, val);
  duckdb_destroy_value(&val);
  if (rc == DuckDBError) {
    const char *msg = duckdb_prepare_error(st->ps);
    return uf_error_set(err, UF_ENGINE, "engine: cannot bind $%s: %s",
                        dk_param_name(st, index), msg ? msg : "bind failed");
  }
  return UF_OK;
}

/* -- execution ------------------------------------------------------------- */

static bool interrupted_error(const char *msg) {
  return msg != NULL && strstr(msg, "INTERRUPT") != NULL;
}

static uf_status pending_error(duckdb_pending_result pr, bool *interrupted,
                               uf_error *err) {
  const char *msg = pr ? duckdb_pending_error(pr) : NULL;
  if (interrupted) *interrupted = msg && (interrupted_error(msg) || strstr(msg, "nterrupt"));
  return uf_error_set(err, UF_ENGINE, "engine: %s", msg ? msg : "execution failed");
}

static uf_status dk_execute(uf_ei_stmt *st, bool stream, void (*tick)(void *),
                            void *tick_ctx, uf_ei_result **out, uf_error *err) {
  *out = NULL;
  uf_ei_result *r = calloc(1, sizeof *r);
  if (r == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  r->s = st->s;
  duckdb_pending_result pr = NULL;
  duckdb_state rc = stream ? duckdb_pending_prepared_streaming(st->ps, &pr)
                           : duckdb_pending_prepared(st->ps, &pr);
  uf_status s = UF_OK;
  if (rc == DuckDBError) s = pending_error(pr, NULL, err);
  for (bool ready = false; s == UF_OK && !ready;) {
    duckdb_pending_state ps = duckdb_pending_execute_task(pr);
    if (ps == DUCKDB_PENDING_ERROR) s = pending_error(pr, NULL, err);
    ready = duckdb_pending_execution_is_finished(ps) || ps == DUCKDB_PENDING_RESULT_READY;
    if (tick) tick(tick_ctx);
  }
  if (s == UF_OK) {
    if (duckdb_execute_pending(pr, &r->res) == DuckDBError) {
      const char *msg = duckdb_result_error(&r->res);
      s = uf_error_set(err, UF_ENGINE, "engine: %s", msg ? msg : "execution failed");
    }
    r->have_res = true;
  }
  if (pr) duckdb_destroy_pending(&pr);
  if (s == UF_OK) r->aopt = duckdb_result_get_arrow_options(&r->res);
  if (s != UF_OK) {
    if (r->have_res) duckdb_destroy_result(&r->res);
    free(r);
    return s;
  }
  *out = r;
  return UF_OK;
}

static uf_status error_data(duckdb_error_data e, const char *what, uf_error *err) {
  if (e == NULL) return UF_OK;
  uf_status st = UF_OK;
  if (duckdb_error_data_has_error(e))
    st = uf_error_set(err, UF_ENGINE, "engine: %s: %s", what, duckdb_error_data_message(e));
  duckdb_destroy_error_data(&e);
  return st;
}

static uf_status dk_result_schema(uf_ei_result *r, struct ArrowSchema *out,
                                  uf_error *err) {
  memset(out, 0, sizeof *out);
  idx_t n = duckdb_column_count(&r->res);
  duckdb_logical_type *types = calloc(n ? n : 1, sizeof *types);
  const char **names = calloc(n ? n : 1, sizeof *names);
  uf_status st = (types && names) ? UF_OK : uf_error_set(err, UF_NOMEM, "engine: out of memory");
  for (idx_t i = 0; st == UF_OK && i < n; i++) {
    types[i] = duckdb_column_logical_type(&r->res, i);
    names[i] = duckdb_column_name(&r->res, i);
  }
  if (st == UF_OK)
    st = error_data(duckdb_to_arrow_schema(r->aopt, types, names, n, out), "arrow schema", err);
  for (idx_t i = 0; types && i < n; i++)
    if (types[i]) duckdb_destroy_logical_type(&types[i]);
  free(types);
  free(names);
  return st;
}

static uf_status dk_fetch(uf_ei_result *r, struct ArrowArray *out,
                          bool *interrupted, uf_error *err) {
  memset(out, 0, sizeof *out);
  *interrupted = false;
  if (r->done) return UF_OK;
  duckdb_data_chunk chunk = duckdb_fetch_chunk(r->res);
  if (chunk == NULL) {
    r->done = true;
    const char *msg = duckdb_result_error(&r->res);
    if (msg == NULL) return UF_OK;
    *interrupted = duckdb_result_error_type(&r->res) == DUCKDB_ERROR_INTERRUPT;
    return uf_error_set(err, UF_ENGINE, "engine: %s", msg);
  }
  uf_status st = error_data(duckdb_data_chunk_to_arrow(r->aopt, chunk, out), "arrow conversion", err);
  duckdb_destroy_data_chunk(&chunk);
  return st;
}

static uint64_t dk_rows_changed(uf_ei_result *r) {
  return (uint64_t)duckdb_rows_changed(&r->res);
}

static void dk_destroy_result(uf_ei_result *r) {
  if (r == NULL) return;
  if (r->aopt) duckdb_destroy_arrow_options(&r->aopt);
  if (r->have_res) duckdb_destroy_result(&r->res);
  free(r);
}

static void dk_interrupt(uf_ei_session *s) { duckdb_interrupt(s->con); }

static void dk_progress(uf_ei_session *s, uf_progress *out) {
  duckdb_query_progress_type p = duckdb_query_progress(s->con);
  out->percentage = p.percentage;
  out->rows_processed = p.rows_processed;
  out->total_rows_to_process = p.total_rows_to_process;
}

/* The stream is wrapped as DuckDB's opaque handle; DuckDB reads it when a
 * query scans the view and may take it over (then stream->release is
 * NULL). */
static uf_status dk_arrow_scan(uf_ei_session *s, const char *name,
                               struct ArrowArrayStream *stream, uf_error *err) {
  if (duckdb_arrow_scan(s->con, name, (duckdb_arrow_stream)stream) == DuckDBError)
    return uf_error_set(err, UF_ENGINE, "engine: cannot register Arrow stream as %s", name);
  return UF_OK;
}

static const uf_engine_vtable duckdb_vtable = {
    .name = "duckdb",
    .open = dk_open,
    .close = dk_close,
    .prepare = dk_prepare,
    .statement_type = dk_statement_type,
    .column_count = dk_column_count,
    .column_name = dk_column_name,
    .param_count = dk_param_count,
    .param_name = dk_param_name,
    .bind = dk_bind,
    .execute = dk_execute,
    .destroy_stmt = dk_destroy_stmt,
    .result_schema = dk_result_schema,
    .fetch = dk_fetch,
    .rows_changed = dk_rows_changed,
    .destroy_result = dk_destroy_result,
    .interrupt = dk_interrupt,
    .progress = dk_progress,
    .arrow_scan = dk_arrow_scan,
    .exec_text = uf_duckdb_exec_text,
};

const uf_engine_vtable *uf_engine_duckdb(void) { return &duckdb_vtable; }
