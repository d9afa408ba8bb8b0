/*
 * Reads an Arrow stream of string columns into arena-held text cells.
 */
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "catalog/rows.h"
#include "unifier/engine.h"
#include "unifier/sql.h"

typedef struct grow {
  const char **cells;
  size_t n, cap;
} grow;

static bool push(grow *g, const char *s) {
  const char **c = uf_grow(g->cells, g->n, &g->cap, sizeof *c, 256);
  if (!c) return false;
  g->cells = c;
  g->cells[g->n++] = s;
  return true;
}

static bool valid(const struct ArrowArray *a, int64_t i) {
  const uint8_t *bits = a->null_count == 0 ? NULL : a->buffers[0];
  int64_t j = a->offset + i;
  return !bits || (bits[j >> 3] >> (j & 7)) & 1;
}

/* Cell i of a utf8 ("u") or large utf8 ("U") array, copied into the arena. */
static const char *cell(uf_arena *ar, const char *fmt,
                        const struct ArrowArray *a, int64_t i, bool *oom) {
  if (!valid(a, i)) return NULL;
  int64_t j = a->offset + i, lo, hi;
  if (fmt[0] == 'u') {
    const int32_t *off = a->buffers[1];
    lo = off[j];
    hi = off[j + 1];
  } else {
    const int64_t *off = a->buffers[1];
    lo = off[j];
    hi = off[j + 1];
  }
  const char *data = a->buffers[2];
  char *s = uf_arena_strndup(ar, data ? data + lo : "", (size_t)(hi - lo));
  if (!s) *oom = true;
  return s;
}

static uf_status read_batch(uf_arena *ar, const struct ArrowSchema *sc,
                            const struct ArrowArray *b, grow *g,
                            uf_error *err) {
  bool oom = false;
  for (int64_t r = 0; r < b->length; r++) {
    for (int64_t c = 0; c < sc->n_children; c++) {
      const struct ArrowArray *col = b->children[c];
      /* a struct batch's own offset shifts its children's rows */
      if (!push(g, cell(ar, sc->children[c]->format, col, b->offset + r, &oom)))
        oom = true;
      if (oom) return uf_error_set(err, UF_NOMEM, "catalog: out of memory");
    }
  }
  return UF_OK;
}

static uf_status check_schema(const struct ArrowSchema *sc, uf_error *err) {
  for (int64_t c = 0; c < sc->n_children; c++) {
    const char *f = sc->children[c]->format;
    if (strcmp(f, "u") != 0 && strcmp(f, "U") != 0)
      return uf_error_set(err, UF_INTERNAL,
                          "catalog: column %s is not a string (format %s)",
                          sc->children[c]->name ? sc->children[c]->name : "?",
                          f);
  }
  return UF_OK;
}

uf_status cat_query(uf_engine *e, const char *sql, uf_arena *a, cat_rows *out,
                    uf_error *err) {
  memset(out, 0, sizeof *out);
  uf_tree *t = NULL;
  uf_status st = uf_parse_one(sql, strlen(sql), NULL, &t, err);
  struct ArrowArrayStream s = {0};
  uf_exec_options xo = {.label = "catalog"};
  if (st == UF_OK) st = uf_engine_execute(e, uf_tree_root(t), NULL, &xo, &s, err);
  uf_tree_free(t);
  if (st != UF_OK) return st;
  struct ArrowSchema sc = {0};
  grow g = {0};
  if (s.get_schema(&s, &sc) != 0)
    st = uf_error_set(err, UF_ENGINE, "catalog: %s",
                      s.get_last_error(&s) ? s.get_last_error(&s) : "schema");
  if (st == UF_OK) st = check_schema(&sc, err);
  while (st == UF_OK) {
    struct ArrowArray b = {0};
    if (s.get_next(&s, &b) != 0) {
      const char *m = s.get_last_error(&s);
      st = uf_error_set(err, UF_ENGINE, "catalog: %s", m ? m : "fetch failed");
      break;
    }
    if (!b.release) break;
    st = read_batch(a, &sc, &b, &g, err);
    b.release(&b);
  }
  out->ncols = st == UF_OK ? (size_t)sc.n_children : 0;
  if (sc.release) sc.release(&sc);
  s.release(&s);
  if (st != UF_OK) {
    free(g.cells);
    return st;
  }
  /* the cell array moves into the arena so the snapshot owns it */
  out->nrows = out->ncols ? g.n / out->ncols : 0;
  out->cells = g.n ? uf_arena_alloc(a, g.n * sizeof *out->cells) : NULL;
  if (g.n && !out->cells) st = uf_error_set(err, UF_NOMEM, "catalog: out of memory");
  else if (g.n) memcpy(out->cells, g.cells, g.n * sizeof *out->cells);
  free(g.cells);
  return st;
}
