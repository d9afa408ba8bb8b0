/*
 * The query output writers, fed one Arrow batch at a time:
 *   csv    RFC 4180: a header row, fields quoted only when they hold a
 *          comma, quote, CR or LF (quotes doubled), NULL as an empty field,
 *          the empty string as "" so the two stay apart.
 *   json   JSON Lines: one object per row, keys in column order.
 *   table  an aligned box table for terminals: column widths from the first
 *          batch (header included), capped at max_cell_width; longer cells
 *          are cut with "…"; numbers right-aligned; a row count at the end.
 * Nothing goes through stdio: rows are rendered into one buffer that is
 * written out in large blocks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/out.h"

struct out_writer {
  out_writer_options o;
  out_col *cols;
  size_t ncols;
  out_buf ob;       /* the output */
  out_buf tmp;      /* scratch for one cell */
  uint64_t rows;
  /* json: every key pre-rendered as `"name":` (offsets into keys.p) */
  out_buf keys;
  size_t *key_off;
  /* table */
  size_t *width;    /* display width of each column */
  bool *right;      /* right-aligned */
  bool header_done;
};

#define COL(w, c) out_col_at((w)->cols, (c))

static const char *FORMAT_NAMES[] = {"table", "csv", "json", "parquet"};

const char *out_format_name(out_format f) {
  return (unsigned)f < 4 ? FORMAT_NAMES[f] : "?";
}

bool out_format_parse(const char *name, out_format *out) {
  for (unsigned i = 0; i < 4; i++)
    if (strcmp(name, FORMAT_NAMES[i]) == 0) {
      *out = (out_format)i;
      return true;
    }
  return false;
}

uint64_t out_writer_rows(const out_writer *w) { return w->rows; }
uint64_t out_writer_bytes(const out_writer *w) {
  return w->ob.written + w->ob.len;
}

void out_writer_free(out_writer *w) {
  if (!w) return;
  out_cols_free(w->cols, w->ncols);
  out_buf_free(&w->ob);
  out_buf_free(&w->tmp);
  out_buf_free(&w->keys);
  free(w->key_off);
  free(w->width);
  free(w->right);
  free(w);
}

static uf_status io_error(out_writer *w, uf_error *err) {
  return uf_error_set(err, UF_IO, "error writing output: %s",
                      strerror(w->ob.err_no ? w->ob.err_no : w->tmp.err_no));
}

/* -- csv ------------------------------------------------------------------ */

static bool csv_needs_quotes(const char *s, size_t n) {
  if (n == 0) return true; /* "" is the empty string; nothing is NULL */
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ',' || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

static void csv_field(out_buf *b, const char *s, size_t n) {
  if (!csv_needs_quotes(s, n)) {
    out_buf_add(b, s, n);
    return;
  }
  out_buf_addc(b, '"');
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '"') continue;
    out_buf_add(b, s + run, i + 1 - run); /* through the quote ... */
    run = i;                              /* ... which is written again */
  }
  out_buf_add(b, s + run, n - run);
  out_buf_addc(b, '"');
}

static void csv_header(out_writer *w) {
  for (size_t c = 0; c < w->ncols; c++) {
    if (c) out_buf_addc(&w->ob, ',');
    const char *name = out_col_name(COL(w, c));
    size_t n = strlen(name);
    /* an empty header field would read as NULL: quote it */
    csv_field(&w->ob, name, n);
  }
  out_buf_addc(&w->ob, '\n');
}

static void csv_cell(out_writer *w, const out_col *c,
                     const struct ArrowArray *a, int64_t i) {
  if (out_is_null(c, a, i)) return;
  if (out_col_plain(c)) {
    out_value_text(c, a, i, &w->ob);
    return;
  }
  w->tmp.len = 0;
  out_value_text(c, a, i, &w->tmp);
  csv_field(&w->ob, w->tmp.p ? w->tmp.p : "", w->tmp.len);
}

static void csv_batch(out_writer *w, const struct ArrowArray *batch) {
  for (int64_t r = 0; r < batch->length; r++) {
    for (size_t c = 0; c < w->ncols; c++) {
      if (c) out_buf_addc(&w->ob, ',');
      csv_cell(w, COL(w, c), batch->children[c], batch->offset + r);
    }
    out_buf_addc(&w->ob, '\n');
    out_buf_maybe_flush(&w->ob);
  }
}

/* -- json ------------------------------------------------------------------ */

static uf_status json_keys(out_writer *w, uf_error *err) {
  w->key_off = calloc(w->ncols + 1, sizeof *w->key_off);
  if (!w->key_off) return uf_error_set(err, UF_NOMEM, "out of memory");
  for (size_t c = 0; c < w->ncols; c++) {
    w->key_off[c] = w->keys.len;
    const char *name = out_col_name(COL(w, c));
    out_json_string(&w->keys, name, strlen(name));
    out_buf_addc(&w->keys, ':');
  }
  w->key_off[w->ncols] = w->keys.len;
  if (w->keys.err_no) return uf_error_set(err, UF_NOMEM, "out of memory");
  return UF_OK;
}

static void json_batch(out_writer *w, const struct ArrowArray *batch) {
  for (int64_t r = 0; r < batch->length; r++) {
    out_buf_addc(&w->ob, '{');
    for (size_t c = 0; c < w->ncols; c++) {
      if (c) out_buf_addc(&w->ob, ',');
      out_buf_add(&w->ob, w->keys.p + w->key_off[c],
                  w->key_off[c + 1] - w->key_off[c]);
      out_value_json(COL(w, c), batch->children[c], batch->offset + r,
                     &w->ob);
    }
    out_buf_add(&w->ob, "}\n", 2);
    out_buf_maybe_flush(&w->ob);
  }
}

/* -- table ------------------------------------------------------------------ */

/* Display columns of UTF-8 text: one per code point (continuation bytes
 * do not count). */
static size_t display_width(const char *s, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
  return w;
}

/* Byte length of the first `cols` code points of s. */
static size_t prefix_bytes(const char *s, size_t n, size_t cols) {
  size_t i = 0, w = 0;
  for (; i < n; i++) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) {
      if (w == cols) break;
      w++;
    }
  }
  return i;
}

/* The cell's text in w->tmp: "NULL", control characters as spaces. */
static void table_text(out_writer *w, const out_col *c,
                       const struct ArrowArray *a, int64_t i) {
  w->tmp.len = 0;
  if (out_is_null(c, a, i)) {
    out_buf_add(&w->tmp, "NULL", 4);
    return;
  }
  out_value_text(c, a, i, &w->tmp);
  for (size_t k = 0; k < w->tmp.len; k++)
    if ((unsigned char)w->tmp.p[k] < 0x20) w->tmp.p[k] = ' ';
}

static size_t cap_width(const out_writer *w, size_t v) {
  size_t max = w->o.max_cell_width ? w->o.max_cell_width : 40;
  return v > max ? max : v;
}

static void table_rule(out_writer *w, const char *l, const char *m,
                       const char *r) {
  out_buf_adds(&w->ob, l);
  for (size_t c = 0; c < w->ncols; c++) {
    if (c) out_buf_adds(&w->ob, m);
    for (size_t k = 0; k < w->width[c] + 2; k++) out_buf_adds(&w->ob, "─");
  }
  out_buf_adds(&w->ob, r);
  out_buf_addc(&w->ob, '\n');
}

/* One cell padded (or cut) to the column's width. */
static void table_cell(out_writer *w, size_t c, const char *s, size_t n,
                       bool right) {
  size_t width = w->width[c], dw = display_width(s, n);
  out_buf_adds(&w->ob, c ? " │ " : "│ ");
  if (dw > width && !right) {
    size_t keep = width ? width - 1 : 0;
    out_buf_add(&w->ob, s, prefix_bytes(s, n, keep));
    if (width) out_buf_adds(&w->ob, "…");
    return;
  }
  if (right)
    for (size_t k = dw; k < width; k++) out_buf_addc(&w->ob, ' ');
  out_buf_add(&w->ob, s, n);
  if (!right)
    for (size_t k = dw; k < width; k++) out_buf_addc(&w->ob, ' ');
}

/* Widths from the header and the first batch; then the header. */
static void table_header(out_writer *w, const struct ArrowArray *batch) {
  for (size_t c = 0; c < w->ncols; c++) {
    const char *name = out_col_name(COL(w, c));
    size_t m = display_width(name, strlen(name));
    if (batch)
      for (int64_t r = 0; r < batch->length; r++) {
        table_text(w, COL(w, c), batch->children[c], batch->offset + r);
        size_t dw = display_width(w->tmp.p, w->tmp.len);
        if (dw > m) m = dw;
      }
    /* room for "NULL" in every column; numbers wider than the first
     * batch's overflow their column rather than lose digits */
    w->width[c] = cap_width(w, m < 4 ? 4 : m);
    w->right[c] = out_col_plain(COL(w, c));
  }
  table_rule(w, "┌", "┬", "┐");
  for (size_t c = 0; c < w->ncols; c++) {
    const char *name = out_col_name(COL(w, c));
    table_cell(w, c, name, strlen(name), false);
  }
  out_buf_adds(&w->ob, " │\n");
  table_rule(w, "├", "┼", "┤");
  w->header_done = true;
}

static void table_batch(out_writer *w, const struct ArrowArray *batch) {
  if (!w->header_done) table_header(w, batch);
  for (int64_t r = 0; r < batch->length; r++) {
    if (w->o.table_rows && w->rows + (uint64_t)r >= w->o.table_rows) break;
    for (size_t c = 0; c < w->ncols; c++) {
      table_text(w, COL(w, c), batch->children[c], batch->offset + r);
      table_cell(w, c, w->tmp.p ? w->tmp.p : "", w->tmp.len, w->right[c]);
    }
    out_buf_adds(&w->ob, " │\n");
    out_buf_maybe_flush(&w->ob);
  }
}

static void table_finish(out_writer *w) {
  if (!w->header_done) table_header(w, NULL);
  table_rule(w, "└", "┴", "┘");
  uint64_t shown = w->o.table_rows && w->rows > w->o.table_rows
                       ? w->o.table_rows : w->rows;
  /* "(3 rows)", "(1 row)", "(10 rows, 5 shown)" */
  char line[80];
  int n = snprintf(line, sizeof line, "(%llu %s", (unsigned long long)w->rows,
                   w->rows == 1 ? "row" : "rows");
  if (shown < w->rows)
    n += snprintf(line + n, sizeof line - (size_t)n, ", %llu shown",
                  (unsigned long long)shown);
  out_buf_add(&w->ob, line, (size_t)n);
  out_buf_adds(&w->ob, ")\n");
}

/* -- the writer ------------------------------------------------------------- */

uf_status out_writer_new(const out_writer_options *o,
                         const struct ArrowSchema *schema, out_writer **out,
                         uf_error *err) {
  *out = NULL;
  if (o->format != OUT_TABLE && o->format != OUT_CSV && o->format != OUT_JSON)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "format '%s' has no stream writer",
                        out_format_name(o->format));
  out_writer *w = calloc(1, sizeof *w);
  if (!w) return uf_error_set(err, UF_NOMEM, "out of memory");
  w->o = *o;
  out_buf_init(&w->ob, o->fd);
  out_buf_init(&w->tmp, -1);
  out_buf_init(&w->keys, -1);
  uf_status st = out_cols_new(schema, &w->cols, &w->ncols, err);
  if (st == UF_OK && o->format == OUT_JSON) st = json_keys(w, err);
  if (st == UF_OK && o->format == OUT_TABLE) {
    w->width = calloc(w->ncols + 1, sizeof *w->width);
    w->right = calloc(w->ncols + 1, sizeof *w->right);
    if (!w->width || !w->right) st = uf_error_set(err, UF_NOMEM, "out of memory");
  }
  if (st == UF_OK && o->format == OUT_CSV) csv_header(w);
  if (st != UF_OK) {
    out_writer_free(w);
    return st;
  }
  *out = w;
  return UF_OK;
}

uf_status out_writer_batch(out_writer *w, const struct ArrowArray *batch,
                           uf_error *err) {
  if ((size_t)batch->n_children != w->ncols)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "batch has %lld columns, schema %zu",
                        (long long)batch->n_children, w->ncols);
  switch (w->o.format) {
    case OUT_CSV: csv_batch(w, batch); break;
    case OUT_JSON: json_batch(w, batch); break;
    default: table_batch(w, batch); break;
  }
  w->rows += (uint64_t)batch->length;
  if (w->ob.err_no || w->tmp.err_no) return io_error(w, err);
  return UF_OK;
}

uf_status out_writer_finish(out_writer *w, uf_error *err) {
  if (w->o.format == OUT_TABLE) table_finish(w);
  out_buf_flush(&w->ob);
  if (w->ob.err_no || w->tmp.err_no) return io_error(w, err);
  return UF_OK;
}
