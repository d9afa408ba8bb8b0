/*
 * Text results: freeing, comparison (ordered or as multisets), diffs and
 * printing. Engine-independent; the cells come from the engine's
 * exec_text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

void uf_result_text_free(uf_result_text *r) {
  if (r == NULL) return;
  for (uint32_t c = 0; c < r->ncols; c++) {
    if (r->names) free(r->names[c]);
    if (r->types) free(r->types[c]);
  }
  if (r->cells) {
    for (uint64_t i = 0; i < r->nrows * r->ncols; i++) free(r->cells[i]);
  }
  free(r->names);
  free(r->types);
  free(r->cells);
  free(r);
}

const char *uf_result_text_cell(const uf_result_text *r, uint64_t row,
                                uint32_t col) {
  if (r == NULL || row >= r->nrows || col >= r->ncols) return NULL;
  return r->cells[row * r->ncols + col];
}

bool uf_query_is_ordered(const uf_node *stmt) {
  if (stmt == NULL) return false;
  switch ((uf_kind)stmt->kind) {
    case UF_SELECT:
    case UF_SET_OP:
    case UF_QUERY_PAREN:
      return uf_get(stmt, UF_SLOT_ORDER) != NULL ||
             (uf_is(stmt, UF_QUERY_PAREN) &&
              uf_query_is_ordered(uf_get(stmt, UF_SLOT_THIS)));
    default:
      return false;
  }
}

/* -- comparison ---------------------------------------------------------- */

static int cmp_cell(const char *a, const char *b) {
  if (a == NULL || b == NULL) return (a != NULL) - (b != NULL);
  return strcmp(a, b);
}

static int cmp_row(const uf_result_text *ra, uint64_t i,
                   const uf_result_text *rb, uint64_t j) {
  uint32_t n = ra->ncols < rb->ncols ? ra->ncols : rb->ncols;
  for (uint32_t c = 0; c < n; c++) {
    int d = cmp_cell(ra->cells[i * ra->ncols + c], rb->cells[j * rb->ncols + c]);
    if (d != 0) return d;
  }
  return (ra->ncols > rb->ncols) - (ra->ncols < rb->ncols);
}

/* qsort has no context argument in C11: the result being sorted is passed
 * through this file-local pointer (single-threaded test use). */
static const uf_result_text *sort_subject;

static int cmp_index(const void *x, const void *y) {
  uint64_t i = *(const uint64_t *)x, j = *(const uint64_t *)y;
  return cmp_row(sort_subject, i, sort_subject, j);
}

/* Row visiting order for comparisons: as is when ordered, else sorted. */
static uint64_t *row_order(const uf_result_text *r, bool ordered) {
  uint64_t *idx = malloc((r->nrows ? r->nrows : 1) * sizeof *idx);
  if (idx == NULL) return NULL;
  for (uint64_t i = 0; i < r->nrows; i++) idx[i] = i;
  if (!ordered && r->nrows > 1) {
    sort_subject = r;
    qsort(idx, r->nrows, sizeof *idx, cmp_index);
    sort_subject = NULL;
  }
  return idx;
}

static bool same_shape(const uf_result_text *a, const uf_result_text *b) {
  if (a->ncols != b->ncols || a->nrows != b->nrows) return false;
  for (uint32_t c = 0; c < a->ncols; c++)
    if (strcmp(a->types[c], b->types[c]) != 0) return false;
  return true;
}

bool uf_result_text_equal(const uf_result_text *a, const uf_result_text *b) {
  if (a == NULL || b == NULL) return a == b;
  if (!same_shape(a, b)) return false;
  bool ordered = a->ordered || b->ordered;
  uint64_t *ia = row_order(a, ordered), *ib = row_order(b, ordered);
  bool eq = ia && ib;
  for (uint64_t k = 0; eq && k < a->nrows; k++)
    eq = cmp_row(a, ia[k], b, ib[k]) == 0;
  free(ia);
  free(ib);
  return eq;
}

static void print_row(FILE *out, const char *tag, const uf_result_text *r,
                      uint64_t row) {
  fprintf(out, "%s", tag);
  for (uint32_t c = 0; c < r->ncols; c++) {
    const char *v = r->cells[row * r->ncols + c];
    fprintf(out, "%s%s", c ? "|" : "", v ? v : "NULL");
  }
  fputc('\n', out);
}

static void print_header(FILE *out, const char *tag, const uf_result_text *r) {
  fprintf(out, "%s%u columns, %llu rows:", tag, (unsigned)r->ncols,
          (unsigned long long)r->nrows);
  for (uint32_t c = 0; c < r->ncols; c++)
    fprintf(out, " %s %s", r->names[c], r->types[c]);
  fputc('\n', out);
}

void uf_result_text_diff(FILE *out, const uf_result_text *a,
                         const uf_result_text *b, uint32_t max_rows) {
  if (out == NULL || a == NULL || b == NULL || uf_result_text_equal(a, b))
    return;
  if (!same_shape(a, b)) {
    print_header(out, "- ", a);
    print_header(out, "+ ", b);
  }
  bool ordered = a->ordered || b->ordered;
  uint64_t *ia = row_order(a, ordered), *ib = row_order(b, ordered);
  uint64_t n = a->nrows > b->nrows ? a->nrows : b->nrows;
  uint32_t shown = 0;
  for (uint64_t k = 0; ia && ib && k < n && shown < max_rows; k++) {
    bool has_a = k < a->nrows, has_b = k < b->nrows;
    if (has_a && has_b && cmp_row(a, ia[k], b, ib[k]) == 0) continue;
    fprintf(out, "@ row %llu (%s)\n", (unsigned long long)k,
            ordered ? "in order" : "sorted");
    if (has_a) print_row(out, "- ", a, ia[k]);
    if (has_b) print_row(out, "+ ", b, ib[k]);
    shown++;
  }
  free(ia);
  free(ib);
}

void uf_result_text_print(FILE *out, const uf_result_text *r,
                          uint64_t max_rows) {
  if (out == NULL || r == NULL) return;
  print_header(out, "", r);
  for (uint64_t i = 0; i < r->nrows && i < max_rows; i++) print_row(out, "", r, i);
  if (r->nrows > max_rows)
    fprintf(out, "... %llu more rows\n", (unsigned long long)(r->nrows - max_rows));
}
