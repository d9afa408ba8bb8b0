/*
 * The recorder: typed records rendered once as a JSON object and one JSON
 * line, then fanned out to every sink. Each typed record has one payload
 * shape with every field present (null where not applicable), so a reader
 * of the JSON Lines file never guesses; docs/diagnostics.md lists them.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/grow.h"
#include "unifier/diag.h"

typedef struct sink_ref {
  uf_diag_sink *sink;
  bool owned;
} sink_ref;

struct uf_recorder {
  sink_ref *sinks;
  size_t n, cap;
  uint64_t count;
  uint64_t failures;
};

const char *uf_diag_channel_name(uf_diag_channel c) {
  switch (c) {
    case UF_DIAG_ARTIFACT: return "artifact";
    case UF_DIAG_METRIC: return "metric";
    case UF_DIAG_EVENT: return "event";
  }
  return "artifact";
}

double uf_diag_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

uf_status uf_recorder_new(uf_recorder **out, uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = calloc(1, sizeof **out);
  if (!*out) return uf_error_set(err, UF_NOMEM, "diagnostics: out of memory");
  return UF_OK;
}

void uf_recorder_free(uf_recorder *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++)
    if (r->sinks[i].owned) uf_diag_sink_close(r->sinks[i].sink, NULL);
  free(r->sinks);
  free(r);
}

uf_status uf_recorder_add_sink(uf_recorder *r, uf_diag_sink *s, bool owned,
                               uf_error *err) {
  if (!r || !s || !s->vt) {
    if (owned) uf_diag_sink_close(s, NULL);
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "diagnostics: recorder and sink required");
  }
  sink_ref *ns = uf_grow(r->sinks, r->n, &r->cap, sizeof *ns, 4);
  if (!ns) {
    if (owned) uf_diag_sink_close(s, NULL);
    return uf_error_set(err, UF_NOMEM, "diagnostics: out of memory");
  }
  r->sinks = ns;
  r->sinks[r->n++] = (sink_ref){s, owned};
  return UF_OK;
}

uint64_t uf_recorder_count(const uf_recorder *r) { return r ? r->count : 0; }
uint64_t uf_recorder_failures(const uf_recorder *r) {
  return r ? r->failures : 0;
}

/* -- JSON values ----------------------------------------------------------- */

/* A string or null; bytes that are not UTF-8 become '?' so that a record is
 * never lost to an odd byte in user SQL. */
static json_t *jstr(const char *s) {
  if (!s) return json_null();
  json_t *j = json_string(s);
  if (j) return j;
  char *c = strdup(s);
  if (!c) return NULL;
  for (char *p = c; *p; p++)
    if ((unsigned char)*p >= 0x80) *p = '?';
  j = json_string(c);
  free(c);
  return j;
}

static json_t *jcount(int64_t v) {
  return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static json_t *jms(double v) {
  return isfinite(v) ? json_real(v < 0 ? 0 : v) : json_null();
}

/* Sets key to v (stolen); remembers a failed allocation in *ok. */
static void put(json_t *o, const char *key, json_t *v, bool *ok) {
  if (!v || json_object_set_new(o, key, v) != 0) *ok = false;
}

static void iso_now(char *buf, size_t n) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + k, n - k, ".%03ldZ", (long)(ts.tv_nsec / 1000000));
}

/* -- delivery --------------------------------------------------------------- */

static uf_status send_one(uf_diag_sink *s, const uf_diag_record *rec,
                          uf_error *err) {
  const uf_diag_sink_vtable *vt = s->vt;
  switch (rec->channel) {
    case UF_DIAG_ARTIFACT:
      return vt->record_artifact ? vt->record_artifact(s, rec, err) : UF_OK;
    case UF_DIAG_METRIC:
      return vt->record_metric ? vt->record_metric(s, rec, err) : UF_OK;
    case UF_DIAG_EVENT:
      return vt->record_event ? vt->record_event(s, rec, err) : UF_OK;
  }
  return UF_OK;
}

/* Wraps payload (stolen) in the envelope and hands it to every sink. */
static uf_status deliver(uf_recorder *r, uf_diag_channel ch, const char *type,
                         const char *name, json_t *payload, bool ok,
                         uf_error *err) {
  char ts[40];
  iso_now(ts, sizeof ts);
  json_t *o = json_object();
  if (!o || !payload) ok = false;
  if (o) {
    put(o, "v", json_integer(UF_DIAG_VERSION), &ok);
    put(o, "ts", json_string(ts), &ok);
    put(o, "channel", json_string(uf_diag_channel_name(ch)), &ok);
    put(o, "type", json_string(type), &ok);
    put(o, "name", jstr(name ? name : ""), &ok);
    if (payload) put(o, "payload", json_incref(payload), &ok);
  }
  json_decref(payload);
  char *line = ok ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  if (!line) {
    json_decref(o);
    r->failures++;
    return uf_error_set(err, UF_NOMEM, "diagnostics: out of memory");
  }
  uf_diag_record rec = {ch, type, name ? name : "", line, strlen(line), o};
  uf_status first = UF_OK;
  for (size_t i = 0; i < r->n; i++) {
    uf_error e2;
    uf_error_clear(&e2);
    uf_status st = send_one(r->sinks[i].sink, &rec, &e2);
    if (st != UF_OK) {
      r->failures++;
      if (first == UF_OK) {
        first = st;
        if (err) *err = e2;
      }
    }
  }
  r->count++;
  free(line);
  json_decref(o);
  return first;
}

static uf_status artifact(uf_recorder *r, const char *type, const char *name,
                          json_t *p, bool ok, uf_error *err) {
  return deliver(r, UF_DIAG_ARTIFACT, type, name, p, ok, err);
}

static void put_error(json_t *p, const char *error, const char *code,
                      bool *ok) {
  put(p, "ok", json_boolean(error == NULL && code == NULL), ok);
  put(p, "error", jstr(error), ok);
  put(p, "error_code", jstr(code), ok);
}

/* -- typed records ---------------------------------------------------------- */

uf_status uf_record_compilation(uf_recorder *r, const uf_diag_compilation *c,
                                uf_error *err) {
  if (!r) return UF_OK;
  if (!c) return uf_error_set(err, UF_INVALID_ARGUMENT, "record is NULL");
  bool ok = true;
  json_t *p = json_object();
  if (!p) return artifact(r, "compilation", c->name, NULL, false, err);
  put(p, "name", jstr(c->name), &ok);
  put(p, "dialect", jstr(c->dialect), &ok);
  put(p, "fingerprint", jstr(c->fingerprint), &ok);
  put(p, "policy_fingerprint", jstr(c->policy_fingerprint), &ok);
  put(p, "sql", jstr(c->sql), &ok);
  put(p, "statements", jcount(c->statements), &ok);
  put(p, "duration_ms", jms(c->duration_ms), &ok);
  put_error(p, c->error, c->error_code, &ok);
  return artifact(r, "compilation", c->name, p, ok, err);
}

uf_status uf_record_execution(uf_recorder *r, const uf_diag_execution *x,
                              uf_error *err) {
  if (!r) return UF_OK;
  if (!x) return uf_error_set(err, UF_INVALID_ARGUMENT, "record is NULL");
  bool ok = true;
  json_t *p = json_object();
  if (!p) return artifact(r, "execution", x->name, NULL, false, err);
  put(p, "name", jstr(x->name), &ok);
  put(p, "fingerprint", jstr(x->fingerprint), &ok);
  put(p, "sql", jstr(x->sql), &ok);
  put(p, "statement_type", jstr(x->statement_type), &ok);
  put(p, "duration_ms", jms(x->duration_ms), &ok);
  put(p, "rows", jcount(x->rows), &ok);
  put(p, "bytes", jcount(x->bytes), &ok);
  put(p, "batches", jcount(x->batches), &ok);
  put_error(p, x->error, x->error_code, &ok);
  return artifact(r, "execution", x->name, p, ok, err);
}

uf_status uf_record_write(uf_recorder *r, const uf_diag_write *w,
                          uf_error *err) {
  if (!r) return UF_OK;
  if (!w) return uf_error_set(err, UF_INVALID_ARGUMENT, "record is NULL");
  bool ok = true;
  json_t *p = json_object();
  if (!p) return artifact(r, "write", w->destination, NULL, false, err);
  put(p, "destination", jstr(w->destination), &ok);
  put(p, "format", jstr(w->format), &ok);
  put(p, "mode", jstr(w->mode), &ok);
  put(p, "fingerprint", jstr(w->fingerprint), &ok);
  put(p, "rows", jcount(w->rows), &ok);
  put(p, "bytes", jcount(w->bytes), &ok);
  put(p, "files", jcount(w->files), &ok);
  put(p, "duration_ms", jms(w->duration_ms), &ok);
  put_error(p, w->error, w->error_code, &ok);
  return artifact(r, "write", w->destination, p, ok, err);
}

uf_status uf_record_registration(uf_recorder *r,
                                 const uf_diag_registration *g,
                                 uf_error *err) {
  if (!r) return UF_OK;
  if (!g) return uf_error_set(err, UF_INVALID_ARGUMENT, "record is NULL");
  bool ok = true;
  json_t *p = json_object();
  if (!p) return artifact(r, "registration", g->name, NULL, false, err);
  put(p, "name", jstr(g->name), &ok);
  put(p, "action", jstr(g->action ? g->action : "register"), &ok);
  put(p, "source", jstr(g->source), &ok);
  put(p, "location", jstr(g->location), &ok);
  put(p, "format", jstr(g->format), &ok);
  put(p, "sql", jstr(g->sql), &ok);
  put(p, "columns", jcount(g->columns), &ok);
  put(p, "hive_partitioning", json_boolean(g->hive_partitioning), &ok);
  put(p, "duration_ms", jms(g->duration_ms), &ok);
  put_error(p, g->error, g->error_code, &ok);
  return artifact(r, "registration", g->name, p, ok, err);
}

uf_status uf_record_cache(uf_recorder *r, const uf_diag_cache *c,
                          uf_error *err) {
  if (!r) return UF_OK;
  if (!c) return uf_error_set(err, UF_INVALID_ARGUMENT, "record is NULL");
  bool ok = true;
  json_t *p = json_object();
  if (!p) return artifact(r, "cache", c->cache, NULL, false, err);
  put(p, "cache", jstr(c->cache), &ok);
  put(p, "key", jstr(c->key), &ok);
  put(p, "hit", json_boolean(c->hit), &ok);
  put(p, "generation", json_integer((json_int_t)c->generation), &ok);
  put(p, "duration_ms", jms(c->duration_ms), &ok);
  return artifact(r, "cache", c->cache, p, ok, err);
}

/* key/value pairs into an object; a NULL value is JSON null. */
static json_t *pairs(size_t n, const char *const *kv, bool *ok) {
  json_t *o = json_object();
  if (!o) {
    *ok = false;
    return NULL;
  }
  for (size_t i = 0; kv && i < n; i++)
    if (kv[2 * i]) put(o, kv[2 * i], jstr(kv[2 * i + 1]), ok);
  return o;
}

uf_status uf_record_metric(uf_recorder *r, const char *name, double value,
                           const char *unit, size_t nlabels,
                           const char *const *labels, uf_error *err) {
  if (!r) return UF_OK;
  bool ok = true;
  json_t *p = json_object();
  if (p) {
    put(p, "value", isfinite(value) ? json_real(value) : json_null(), &ok);
    put(p, "unit", jstr(unit), &ok);
    put(p, "labels", pairs(nlabels, labels, &ok), &ok);
  }
  return deliver(r, UF_DIAG_METRIC, "metric", name, p, ok, err);
}

uf_status uf_record_event(uf_recorder *r, const char *name,
                          const char *message, size_t nfields,
                          const char *const *fields, uf_error *err) {
  if (!r) return UF_OK;
  bool ok = true;
  json_t *p = json_object();
  if (p) {
    put(p, "message", jstr(message), &ok);
    put(p, "fields", pairs(nfields, fields, &ok), &ok);
  }
  return deliver(r, UF_DIAG_EVENT, "event", name, p, ok, err);
}
