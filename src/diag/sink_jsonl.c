/*
 * The JSON Lines sink: one record per line, flushed after each line so a
 * crash loses at most the record being written. Write errors (disk full,
 * closed pipe) come back from the record call as UF_IO.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unifier/diag.h"

typedef struct jsonl_sink {
  uf_diag_sink base; /* first */
  FILE *f;
  char *path;
} jsonl_sink;

static uf_status io_error(jsonl_sink *j, int e, uf_error *err) {
  return uf_error_set(err, UF_IO, "diagnostics: cannot write %s: %s", j->path,
                      strerror(e ? e : EIO));
}

static uf_status jsonl_record(uf_diag_sink *s, const uf_diag_record *r,
                              uf_error *err) {
  jsonl_sink *j = (jsonl_sink *)s;
  errno = 0;
  if (fwrite(r->json, 1, r->json_len, j->f) != r->json_len ||
      fputc('\n', j->f) == EOF || fflush(j->f) != 0) {
    int e = errno;
    clearerr(j->f);
    return io_error(j, e, err);
  }
  return UF_OK;
}

static uf_status jsonl_close(uf_diag_sink *s, uf_error *err) {
  jsonl_sink *j = (jsonl_sink *)s;
  uf_status st = UF_OK;
  errno = 0;
  if (fclose(j->f) != 0) st = io_error(j, errno, err);
  free(j->path);
  free(j);
  return st;
}

static const uf_diag_sink_vtable JSONL_VT = {jsonl_record, jsonl_record,
                                             jsonl_record, jsonl_close};

uf_status uf_diag_jsonl_sink_open(const char *path, bool truncate,
                                  uf_diag_sink **out, uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!path || !*path)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "diagnostics: empty path");
  jsonl_sink *j = calloc(1, sizeof *j);
  char *p = j ? strdup(path) : NULL;
  if (!p) {
    free(j);
    return uf_error_set(err, UF_NOMEM, "diagnostics: out of memory");
  }
  j->f = fopen(path, truncate ? "w" : "a");
  if (!j->f) {
    int e = errno;
    free(p);
    free(j);
    return uf_error_set(err, UF_IO, "diagnostics: cannot open %s: %s", path,
                        strerror(e));
  }
  j->path = p;
  j->base.vt = &JSONL_VT;
  j->base.state = j;
  *out = &j->base;
  return UF_OK;
}

uf_status uf_diag_sink_close(uf_diag_sink *s, uf_error *err) {
  if (!s || !s->vt || !s->vt->close) return UF_OK;
  return s->vt->close(s, err);
}
