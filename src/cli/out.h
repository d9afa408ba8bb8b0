/*
 * Output writers for Arrow streams (the `unifier query` formats): a fast
 * buffered byte sink, value text identical to DuckDB's CAST(x AS VARCHAR)
 * for the types DuckDB exports, and the table/csv/json writers fed batch by
 * batch.
 *
 * Value text (out_value.c): ints of every width, floats (shortest round
 * trip, DuckDB's exponent rule), decimals (32/64/128-bit, exact scale),
 * utf8/large/view strings, binary as DuckDB prints blobs (\xHH escapes),
 * bool, date32/64, timestamps (s/ms/us/ns; a zone prints as "+00" after the
 * UTC value), time, intervals (month/day/nano, year-month, day-time),
 * lists (list, large list, fixed-size list), structs, maps, dense/sparse
 * unions and dictionary-encoded columns (DuckDB's ENUM).
 */
#ifndef UF_CLI_OUT_H
#define UF_CLI_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/arrow_abi.h"
#include "unifier/status.h"

/* -- the byte sink ----------------------------------------------------------
 * A growable buffer that, when it has an fd, writes itself out once it
 * holds `flush_at` bytes. Errors are sticky (err_no set, further writes are
 * dropped); the owner checks once at the end. */
typedef struct out_buf {
  char *p;
  size_t len, cap;
  int fd;          /* -1: memory only (never flushed) */
  size_t flush_at; /* flush when len reaches this (fd >= 0) */
  int err_no;      /* first write/alloc error, 0 if none */
  uint64_t written;/* bytes written to fd so far */
} out_buf;

void out_buf_init(out_buf *b, int fd);
void out_buf_free(out_buf *b);
/* Makes room for n more bytes (flushes first when attached to an fd);
 * returns false after an error. */
bool out_buf_reserve(out_buf *b, size_t n);
void out_buf_add(out_buf *b, const char *s, size_t n);
void out_buf_adds(out_buf *b, const char *s);
void out_buf_addc(out_buf *b, char c);
/* Writes out everything buffered (fd >= 0); false on error. */
bool out_buf_flush(out_buf *b);
/* Flushes if the buffer holds at least flush_at bytes. */
static inline void out_buf_maybe_flush(out_buf *b) {
  if (b->fd >= 0 && b->len >= b->flush_at) out_buf_flush(b);
}

/* -- columns ----------------------------------------------------------------
 * A column reader prepared once per schema node from its format string. */
typedef struct out_col out_col;

/* Prepares readers for every child of a struct schema (the stream's
 * schema). *out is an array of n readers; free with out_cols_free. */
uf_status out_cols_new(const struct ArrowSchema *schema, out_col **out,
                       size_t *n, uf_error *err);
void out_cols_free(out_col *cols, size_t n);
/* Reader i of an array made by out_cols_new. */
const out_col *out_col_at(const out_col *cols, size_t i);
/* Column name (borrowed from the schema). */
const char *out_col_name(const out_col *c);

/* True if row i of array a (a->offset applied) is NULL. */
bool out_is_null(const out_col *c, const struct ArrowArray *a, int64_t i);
/* Appends the text of row i (not NULL) as DuckDB's CAST(x AS VARCHAR). */
void out_value_text(const out_col *c, const struct ArrowArray *a, int64_t i,
                    out_buf *b);

/* What the JSON writer does with a column. */
typedef enum out_json_kind {
  OUT_JSON_STRING = 0, /* a JSON string of the value's text */
  OUT_JSON_NUMBER,     /* the text as a number (ints, decimals, finite floats) */
  OUT_JSON_BOOL,
  OUT_JSON_LIST,
  OUT_JSON_STRUCT,
  OUT_JSON_MAP
} out_json_kind;
/* True if the value text can never need quoting in CSV (numbers, dates). */
bool out_col_plain(const out_col *c);
/* Appends row i (NULL included) as a JSON value. */
void out_value_json(const out_col *c, const struct ArrowArray *a, int64_t i,
                    out_buf *b);
/* Appends s as a JSON string literal (quotes, escapes). */
void out_json_string(out_buf *b, const char *s, size_t n);

/* -- writers ----------------------------------------------------------------- */
typedef enum out_format {
  OUT_TABLE = 0,
  OUT_CSV,
  OUT_JSON,
  OUT_PARQUET
} out_format;

/* "table", "csv", "json", "parquet". */
const char *out_format_name(out_format f);
/* Parses a format name; false if unknown. */
bool out_format_parse(const char *name, out_format *out);

typedef struct out_writer out_writer;

typedef struct out_writer_options {
  out_format format;        /* OUT_TABLE, OUT_CSV or OUT_JSON */
  int fd;                   /* where to write */
  size_t max_cell_width;    /* table: cells longer are cut with "…" (0 = 40) */
  size_t table_rows;        /* table: rows shown before the rest is counted
                               only (0 = all) */
} out_writer_options;

/* A new writer for a stream of this schema (borrowed; must outlive the
 * writer). Free with out_writer_free. */
uf_status out_writer_new(const out_writer_options *o,
                         const struct ArrowSchema *schema, out_writer **out,
                         uf_error *err);
/* Writes one batch (a struct array; borrowed). */
uf_status out_writer_batch(out_writer *w, const struct ArrowArray *batch,
                           uf_error *err);
/* Writes the trailer (table footer), flushes. */
uf_status out_writer_finish(out_writer *w, uf_error *err);
/* Rows and bytes written so far. */
uint64_t out_writer_rows(const out_writer *w);
uint64_t out_writer_bytes(const out_writer *w);
void out_writer_free(out_writer *w);

#endif
