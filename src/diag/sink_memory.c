/*
 * The in-memory sink: keeps every record (its JSON line and a jansson
 * object) so tests can look at exactly what a JSON Lines file would hold.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "unifier/diag.h"

typedef struct mem_rec {
  json_t *obj;
  char *line;
  uf_diag_channel channel;
} mem_rec;

typedef struct mem_sink {
  uf_diag_sink base; /* first, so a uf_diag_sink * is a mem_sink * */
  mem_rec *recs;
  size_t n, cap;
} mem_sink;

static uf_status mem_record(uf_diag_sink *s, const uf_diag_record *r,
                            uf_error *err) {
  mem_sink *m = (mem_sink *)s;
  mem_rec *nr = uf_grow(m->recs, m->n, &m->cap, sizeof *nr, 16);
  if (!nr) return uf_error_set(err, UF_NOMEM, "diagnostics: out of memory");
  m->recs = nr;
  /* Deep copy: the record's object is borrowed for this call only. */
  json_t *obj = json_deep_copy((const json_t *)r->object);
  char *line = malloc(r->json_len + 1);
  if (!obj || !line) {
    json_decref(obj);
    free(line);
    return uf_error_set(err, UF_NOMEM, "diagnostics: out of memory");
  }
  memcpy(line, r->json, r->json_len);
  line[r->json_len] = '\0';
  m->recs[m->n++] = (mem_rec){obj, line, r->channel};
  return UF_OK;
}

static void mem_clear(mem_sink *m) {
  for (size_t i = 0; i < m->n; i++) {
    json_decref(m->recs[i].obj);
    free(m->recs[i].line);
  }
  m->n = 0;
}

static uf_status mem_close(uf_diag_sink *s, uf_error *err) {
  (void)err;
  mem_sink *m = (mem_sink *)s;
  mem_clear(m);
  free(m->recs);
  free(m);
  return UF_OK;
}

static const uf_diag_sink_vtable MEM_VT = {mem_record, mem_record, mem_record,
                                           mem_close};

uf_status uf_diag_memory_sink_new(uf_diag_sink **out, uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  mem_sink *m = calloc(1, sizeof *m);
  if (!m) return uf_error_set(err, UF_NOMEM, "diagnostics: out of memory");
  m->base.vt = &MEM_VT;
  m->base.state = m;
  *out = &m->base;
  return UF_OK;
}

static const mem_sink *as_mem(const uf_diag_sink *s) {
  return (s && s->vt == &MEM_VT) ? (const mem_sink *)s : NULL;
}

static const mem_rec *rec_at(const uf_diag_sink *s, size_t i) {
  const mem_sink *m = as_mem(s);
  return (m && i < m->n) ? &m->recs[i] : NULL;
}

size_t uf_diag_memory_count(const uf_diag_sink *s) {
  const mem_sink *m = as_mem(s);
  return m ? m->n : 0;
}

const char *uf_diag_memory_json(const uf_diag_sink *s, size_t i) {
  const mem_rec *r = rec_at(s, i);
  return r ? r->line : NULL;
}

uf_diag_channel uf_diag_memory_channel(const uf_diag_sink *s, size_t i) {
  const mem_rec *r = rec_at(s, i);
  return r ? r->channel : UF_DIAG_ARTIFACT;
}

static const char *str_field(const uf_diag_sink *s, size_t i, const char *k) {
  const mem_rec *r = rec_at(s, i);
  return r ? json_string_value(json_object_get(r->obj, k)) : NULL;
}

const char *uf_diag_memory_type(const uf_diag_sink *s, size_t i) {
  return str_field(s, i, "type");
}

const char *uf_diag_memory_name(const uf_diag_sink *s, size_t i) {
  return str_field(s, i, "name");
}

size_t uf_diag_memory_find(const uf_diag_sink *s, size_t from,
                           uf_diag_channel channel, const char *type) {
  for (size_t i = from; i < uf_diag_memory_count(s); i++) {
    const char *t = uf_diag_memory_type(s, i);
    if (uf_diag_memory_channel(s, i) == channel &&
        (!type || (t && strcmp(t, type) == 0)))
      return i;
  }
  return (size_t)-1;
}

const void *uf_diag_memory_object(const uf_diag_sink *s, size_t i) {
  const mem_rec *r = rec_at(s, i);
  return r ? r->obj : NULL;
}

void uf_diag_memory_clear(uf_diag_sink *s) {
  if (as_mem(s)) mem_clear((mem_sink *)s);
}
