/*
 * Arrow helpers: releases, schema copies, borrowed array views, the batch
 * coalescer, and materialized tables (uf_engine_to_table and a stream back
 * over a table).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "engine/arrow.h"
#include "unifier/engine.h"

void uf_arrow_schema_release(struct ArrowSchema *s) {
  if (s != NULL && s->release != NULL) s->release(s);
}

void uf_arrow_array_release(struct ArrowArray *a) {
  if (a != NULL && a->release != NULL) a->release(a);
}

void uf_arrow_stream_release(struct ArrowArrayStream *s) {
  if (s != NULL && s->release != NULL) s->release(s);
}

/* -- schema copies ------------------------------------------------------------ */

/* Everything of one copied schema node lives in one private block. */
typedef struct schema_copy {
  char *format, *name, *metadata;
  struct ArrowSchema **children;
  struct ArrowSchema *dictionary;
} schema_copy;

static void schema_copy_release(struct ArrowSchema *s) {
  schema_copy *c = s->private_data;
  if (c != NULL) {
    for (int64_t i = 0; c->children && i < s->n_children; i++) {
      if (c->children[i]) {
        uf_arrow_schema_release(c->children[i]);
        free(c->children[i]);
      }
    }
    if (c->dictionary) {
      uf_arrow_schema_release(c->dictionary);
      free(c->dictionary);
    }
    free(c->children);
    free(c->format);
    free(c->name);
    free(c->metadata);
    free(c);
  }
  s->release = NULL;
}

static char *dup_bytes(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

/* Metadata is binary: int32 count, then (int32 len, bytes) key/value pairs. */
static size_t metadata_size(const char *m) {
  int32_t n, len;
  size_t pos = 4;
  memcpy(&n, m, 4);
  for (int32_t i = 0; i < 2 * n; i++) {
    memcpy(&len, m + pos, 4);
    pos += 4 + (size_t)len;
  }
  return pos;
}

static uf_status copy_schema(const struct ArrowSchema *src, struct ArrowSchema *out) {
  memset(out, 0, sizeof *out);
  schema_copy *c = calloc(1, sizeof *c);
  if (c == NULL) return UF_NOMEM;
  out->private_data = c;
  out->release = schema_copy_release;
  out->flags = src->flags;
  c->format = dup_bytes(src->format ? src->format : "", strlen(src->format ? src->format : ""));
  if (src->name) c->name = dup_bytes(src->name, strlen(src->name));
  if (src->metadata) {
    size_t n = metadata_size(src->metadata);
    c->metadata = malloc(n);
    if (c->metadata) memcpy(c->metadata, src->metadata, n);
  }
  out->format = c->format;
  out->name = c->name;
  out->metadata = c->metadata;
  if (!c->format || (src->name && !c->name) || (src->metadata && !c->metadata))
    return UF_NOMEM;
  if (src->n_children > 0) {
    c->children = calloc((size_t)src->n_children, sizeof *c->children);
    if (c->children == NULL) return UF_NOMEM;
    out->n_children = src->n_children;
    out->children = c->children;
    for (int64_t i = 0; i < src->n_children; i++) {
      c->children[i] = calloc(1, sizeof **c->children);
      if (c->children[i] == NULL) return UF_NOMEM;
      if (copy_schema(src->children[i], c->children[i]) != UF_OK) return UF_NOMEM;
    }
  }
  if (src->dictionary) {
    c->dictionary = calloc(1, sizeof *c->dictionary);
    if (c->dictionary == NULL) return UF_NOMEM;
    out->dictionary = c->dictionary;
    if (copy_schema(src->dictionary, c->dictionary) != UF_OK) return UF_NOMEM;
  }
  return UF_OK;
}

uf_status uf_arrow_schema_copy(const struct ArrowSchema *src,
                               struct ArrowSchema *out, uf_error *err) {
  if (src == NULL || out == NULL || src->release == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: no schema to copy");
  if (copy_schema(src, out) != UF_OK) {
    uf_arrow_schema_release(out);
    return uf_error_set(err, UF_NOMEM, "arrow: out of memory copying a schema");
  }
  return UF_OK;
}

/* -- array views ------------------------------------------------------------- */

typedef struct array_view {
  struct ArrowArray **children;
  struct ArrowArray *dictionary;
} array_view;

static void array_view_release(struct ArrowArray *a) {
  array_view *v = a->private_data;
  if (v != NULL) {
    for (int64_t i = 0; v->children && i < a->n_children; i++) {
      if (v->children[i]) {
        uf_arrow_array_release(v->children[i]);
        free(v->children[i]);
      }
    }
    if (v->dictionary) {
      uf_arrow_array_release(v->dictionary);
      free(v->dictionary);
    }
    free(v->children);
    free(v);
  }
  a->release = NULL;
}

static uf_status view_node(const struct ArrowArray *src, struct ArrowArray *out) {
  *out = *src;
  out->children = NULL;
  out->dictionary = NULL;
  out->n_children = 0;
  array_view *v = calloc(1, sizeof *v);
  out->private_data = v;
  out->release = array_view_release;
  if (v == NULL) {
    out->release = NULL;
    return UF_NOMEM;
  }
  if (src->n_children > 0) {
    v->children = calloc((size_t)src->n_children, sizeof *v->children);
    if (v->children == NULL) return UF_NOMEM;
    out->n_children = src->n_children;
    out->children = v->children;
    for (int64_t i = 0; i < src->n_children; i++) {
      v->children[i] = calloc(1, sizeof **v->children);
      if (v->children[i] == NULL) return UF_NOMEM;
      if (view_node(src->children[i], v->children[i]) != UF_OK) return UF_NOMEM;
    }
  }
  if (src->dictionary) {
    v->dictionary = calloc(1, sizeof *v->dictionary);
    if (v->dictionary == NULL) return UF_NOMEM;
    out->dictionary = v->dictionary;
    if (view_node(src->dictionary, v->dictionary) != UF_OK) return UF_NOMEM;
  }
  return UF_OK;
}

uf_status uf_arrow_array_view(const struct ArrowArray *src,
                              struct ArrowArray *out, uf_error *err) {
  if (src == NULL || out == NULL || src->release == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: no array to view");
  if (view_node(src, out) != UF_OK) {
    uf_arrow_array_release(out);
    memset(out, 0, sizeof *out);
    return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  }
  return UF_OK;
}

/* -- the coalescer -------------------------------------------------------------- */

struct uf_coalescer {
  const struct ArrowSchema *schema;
  uint64_t batch_rows;
  struct ArrowArray *q; /* queue of chunks; q[head] partly consumed */
  size_t n, cap;
  int64_t head_off;     /* rows of q[0] already emitted */
  uint64_t pending;
};

uf_status uf_coalescer_new(const struct ArrowSchema *schema,
                           uint64_t batch_rows, uf_coalescer **out,
                           uf_error *err) {
  if (out) *out = NULL;
  if (schema == NULL || out == NULL || batch_rows == 0)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: bad coalescer arguments");
  uf_coalescer *c = calloc(1, sizeof *c);
  if (c == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  c->schema = schema;
  c->batch_rows = batch_rows;
  *out = c;
  return UF_OK;
}

void uf_coalescer_free(uf_coalescer *c) {
  if (c == NULL) return;
  for (size_t i = 0; i < c->n; i++) uf_arrow_array_release(&c->q[i]);
  free(c->q);
  free(c);
}

uf_status uf_coalescer_push(uf_coalescer *c, struct ArrowArray *chunk,
                            uf_error *err) {
  if (chunk == NULL || chunk->release == NULL) return UF_OK;
  if (c == NULL || chunk->length <= 0) {
    uf_arrow_array_release(chunk);
    return c ? UF_OK : uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: no coalescer");
  }
  struct ArrowArray *q = uf_grow(c->q, c->n, &c->cap, sizeof *q, 64);
  if (q == NULL) {
    uf_arrow_array_release(chunk);
    return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  }
  c->q = q;
  c->q[c->n++] = *chunk;
  chunk->release = NULL;
  c->pending += (uint64_t)chunk->length;
  return UF_OK;
}

uint64_t uf_coalescer_pending(const uf_coalescer *c) { return c ? c->pending : 0; }

bool uf_coalescer_ready(const uf_coalescer *c) {
  return c != NULL && c->pending >= c->batch_rows;
}

/* Drops the first k chunks of the queue (already released or moved). */
static void drop_front(uf_coalescer *c, size_t k) {
  memmove(c->q, c->q + k, (c->n - k) * sizeof *c->q);
  c->n -= k;
}

uf_status uf_coalescer_pop(uf_coalescer *c, struct ArrowArray *out,
                           uf_error *err) {
  if (out == NULL || c == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: no coalescer");
  memset(out, 0, sizeof *out);
  if (c->pending == 0) return UF_OK;
  uint64_t want = c->pending < c->batch_rows ? c->pending : c->batch_rows;
  /* A whole chunk that is exactly the batch moves through untouched. */
  if (c->head_off == 0 && (uint64_t)c->q[0].length == want) {
    *out = c->q[0];
    drop_front(c, 1);
    c->pending -= want;
    return UF_OK;
  }
  uf_arrow_slice *sl = malloc(c->n * sizeof *sl);
  if (sl == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  size_t ns = 0;
  uint64_t got = 0;
  int64_t off = c->head_off;
  for (size_t i = 0; i < c->n && got < want; i++, off = 0) {
    int64_t avail = c->q[i].length - off;
    int64_t take = (uint64_t)avail < want - got ? avail : (int64_t)(want - got);
    sl[ns++] = (uf_arrow_slice){&c->q[i], off, take};
    got += (uint64_t)take;
  }
  uf_status st = uf_arrow_concat(c->schema, sl, ns, out, err);
  if (st == UF_OK) {
    /* Chunks fully consumed are released; the last may stay partly read. */
    const uf_arrow_slice *last = &sl[ns - 1];
    bool last_done = last->off + last->len == last->a->length;
    size_t done = last_done ? ns : ns - 1;
    for (size_t i = 0; i < done; i++) uf_arrow_array_release(&c->q[i]);
    drop_front(c, done);
    c->head_off = last_done ? 0 : last->off + last->len;
    c->pending -= want;
  }
  free(sl);
  return st;
}

/* -- materialized tables ------------------------------------------------------- */

void uf_arrow_table_free(uf_arrow_table *t) {
  if (t == NULL) return;
  for (size_t i = 0; i < t->nbatches; i++) uf_arrow_array_release(&t->batches[i]);
  free(t->batches);
  uf_arrow_schema_release(&t->schema);
  free(t);
}

static uf_status stream_error(struct ArrowArrayStream *s, int rc, uf_error *err) {
  const char *msg = s->get_last_error ? s->get_last_error(s) : NULL;
  return uf_error_set(err, rc == ECANCELED ? UF_ENGINE : UF_ERROR,
                      "arrow stream: %s (%d)", msg ? msg : "read failed", rc);
}

static uf_status read_all(struct ArrowArrayStream *stream, uf_arrow_table *t,
                          uf_error *err) {
  int rc = stream->get_schema(stream, &t->schema);
  if (rc != 0) return stream_error(stream, rc, err);
  size_t cap = 0;
  for (;;) {
    struct ArrowArray a;
    memset(&a, 0, sizeof a);
    rc = stream->get_next(stream, &a);
    if (rc != 0) return stream_error(stream, rc, err);
    if (a.release == NULL) return UF_OK;
    struct ArrowArray *b = uf_grow(t->batches, t->nbatches, &cap, sizeof *b, 16);
    if (b == NULL) {
      a.release(&a);
      return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
    }
    t->batches = b;
    t->nrows += (uint64_t)a.length;
    t->batches[t->nbatches++] = a;
  }
}

uf_status uf_engine_to_table(struct ArrowArrayStream *stream,
                             uf_arrow_table **out, uf_error *err) {
  if (out) *out = NULL;
  if (stream == NULL || stream->release == NULL || out == NULL) {
    uf_arrow_stream_release(stream);
    return uf_error_set(err, UF_INVALID_ARGUMENT, "to_table: no stream or output");
  }
  uf_arrow_table *t = calloc(1, sizeof *t);
  uf_status st = t ? read_all(stream, t, err)
                   : uf_error_set(err, UF_NOMEM, "to_table: out of memory");
  stream->release(stream);
  if (st != UF_OK) {
    uf_arrow_table_free(t);
    return st;
  }
  *out = t;
  return UF_OK;
}

/* A stream over a borrowed table: views of its batches, one by one. */
typedef struct table_stream {
  const uf_arrow_table *t;
  size_t next;
  char error[128];
} table_stream;

static int ts_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
  table_stream *ts = s->private_data;
  if (uf_arrow_schema_copy(&ts->t->schema, out, NULL) != UF_OK) {
    snprintf(ts->error, sizeof ts->error, "out of memory copying the schema");
    return ENOMEM;
  }
  return 0;
}

static int ts_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
  table_stream *ts = s->private_data;
  memset(out, 0, sizeof *out);
  if (ts->next >= ts->t->nbatches) return 0;
  if (uf_arrow_array_view(&ts->t->batches[ts->next], out, NULL) != UF_OK) {
    snprintf(ts->error, sizeof ts->error, "out of memory viewing a batch");
    return ENOMEM;
  }
  ts->next++;
  return 0;
}

static const char *ts_last_error(struct ArrowArrayStream *s) {
  table_stream *ts = s->private_data;
  return ts->error[0] ? ts->error : NULL;
}

static void ts_release(struct ArrowArrayStream *s) {
  free(s->private_data);
  s->release = NULL;
}

uf_status uf_arrow_table_stream(const uf_arrow_table *t,
                                struct ArrowArrayStream *out, uf_error *err) {
  if (out == NULL || t == NULL || t->schema.release == NULL) {
    if (out) memset(out, 0, sizeof *out);
    return uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: no table to stream");
  }
  memset(out, 0, sizeof *out);
  table_stream *ts = calloc(1, sizeof *ts);
  if (ts == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  ts->t = t;
  out->get_schema = ts_get_schema;
  out->get_next = ts_get_next;
  out->get_last_error = ts_last_error;
  out->release = ts_release;
  out->private_data = ts;
  return UF_OK;
}
