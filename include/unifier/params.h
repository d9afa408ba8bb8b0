/*
 * unifier — parameters: binding sets of typed scalar values and
 * table-valued parameters, checked against a statement before execution.
 *
 * Two lanes. A scalar parameter is written `$name` in SQL and bound through
 * the prepared statement. A table-valued parameter is referenced as a plain
 * table name (`FROM name`); the engine registers its Arrow data under that
 * name for one execution and deregisters it afterwards.
 *
 * Names: `[A-Za-z_][A-Za-z0-9_]*`, checked only by uf_param_name_valid.
 * Names are compared case-insensitively (the engine resolves identifiers
 * case-insensitively), so "Limit" and "limit" are the same parameter.
 *
 * Positional parameters (`$1`, `?`) are not supported: uf_bindings_check
 * reports them as errors, since a binding set only holds names.
 *
 * This module is engine-agnostic (no duckdb.h): the engine reads the set
 * through the iteration accessors below.
 */
#ifndef UNIFIER_PARAMS_H
#define UNIFIER_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/arrow_abi.h"
#include "unifier/ast.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True iff name is a valid parameter name: [A-Za-z_][A-Za-z0-9_]*, at most
 * UF_PARAM_NAME_MAX bytes. The one place the rule lives. */
#define UF_PARAM_NAME_MAX 128
bool uf_param_name_valid(const char *name);
/* Same as a uf_status: UF_INVALID_ARGUMENT naming the bad name. */
uf_status uf_param_name_check(const char *name, uf_error *err);

/* -- scalar values -------------------------------------------------------- */
typedef enum uf_value_type {
  UF_VALUE_NULL = 0,
  UF_VALUE_BOOLEAN,
  UF_VALUE_BIGINT,    /* i */
  UF_VALUE_DOUBLE,    /* d */
  UF_VALUE_VARCHAR,   /* text, len (UTF-8, may hold NUL bytes) */
  UF_VALUE_DATE,      /* i = days since 1970-01-01; text = "YYYY-MM-DD" */
  UF_VALUE_TIME,      /* i = microseconds since 00:00; text = "HH:MM:SS[.ffffff]" */
  UF_VALUE_TIMESTAMP, /* i = microseconds since 1970-01-01 00:00:00 (no zone);
                         text = "YYYY-MM-DD HH:MM:SS[.ffffff]" */
  UF_VALUE_DECIMAL,   /* text = canonical digits ("-12.50"), width, scale;
                         i = unscaled value when it fits in 64 bits
                         (decimal_fits) */
  UF_VALUE_BLOB,      /* text = bytes, len */
  UF_VALUE_TYPE_COUNT
} uf_value_type;

/* A scalar value. Strings are owned by whoever made the value: values read
 * from a binding set are borrowed from it (valid until the set is freed). */
typedef struct uf_value {
  uf_value_type type;
  bool b;           /* BOOLEAN */
  bool decimal_fits;/* DECIMAL: `i` holds the unscaled value */
  uint8_t width;    /* DECIMAL precision (1..38) */
  uint8_t scale;    /* DECIMAL scale (0..width) */
  int64_t i;        /* BIGINT, DATE, TIME, TIMESTAMP, DECIMAL (see above) */
  double d;         /* DOUBLE */
  const char *text; /* VARCHAR, BLOB, DECIMAL, DATE, TIME, TIMESTAMP */
  size_t len;       /* bytes of text */
} uf_value;

/* "BIGINT", "DATE", ...; never NULL. */
const char *uf_value_type_name(uf_value_type t);

/* -- binding sets -------------------------------------------------------- */
typedef struct uf_bindings uf_bindings;

/* Returns a new empty set; free with uf_bindings_free. */
uf_status uf_bindings_new(uf_bindings **out, uf_error *err);
/* Frees the set, releasing every stream and table it still owns. NULL ok. */
void uf_bindings_free(uf_bindings *b);

/* Scalar setters: copy name and data into the set. A name already in the
 * set (scalar or table) is an error (UF_INVALID_ARGUMENT); so is an
 * invalid name. */
uf_status uf_bindings_set_null(uf_bindings *b, const char *name, uf_error *err);
uf_status uf_bindings_set_bool(uf_bindings *b, const char *name, bool v,
                               uf_error *err);
uf_status uf_bindings_set_int(uf_bindings *b, const char *name, int64_t v,
                              uf_error *err);
uf_status uf_bindings_set_double(uf_bindings *b, const char *name, double v,
                                 uf_error *err);
uf_status uf_bindings_set_varchar(uf_bindings *b, const char *name,
                                  const char *s, size_t len, uf_error *err);
uf_status uf_bindings_set_blob(uf_bindings *b, const char *name,
                               const void *data, size_t len, uf_error *err);
/* Parses and validates: DATE "YYYY-MM-DD", TIME "HH:MM:SS[.f]", TIMESTAMP
 * "YYYY-MM-DD[ T]HH:MM:SS[.f]", DECIMAL "[-]digits[.digits]" with width
 * and scale (width 0 = as written). */
uf_status uf_bindings_set_date(uf_bindings *b, const char *name,
                               const char *iso, uf_error *err);
uf_status uf_bindings_set_time(uf_bindings *b, const char *name,
                               const char *iso, uf_error *err);
uf_status uf_bindings_set_timestamp(uf_bindings *b, const char *name,
                                    const char *iso, uf_error *err);
uf_status uf_bindings_set_decimal(uf_bindings *b, const char *name,
                                  const char *text, uint8_t width,
                                  uint8_t scale, uf_error *err);
/* Any value (strings copied). */
uf_status uf_bindings_set_value(uf_bindings *b, const char *name,
                                const uf_value *v, uf_error *err);

/* Table-valued parameters. set_stream moves *stream into the set (on
 * success and on failure alike: stream->release is NULL afterwards; the set
 * releases it). A stream can be consumed once. set_table moves a
 * materialized table: the schema and `n` arrays (batches) are moved into
 * the set (their release set to NULL in the caller's structs); it can be
 * streamed any number of times with uf_bindings_table_stream. */
uf_status uf_bindings_set_stream(uf_bindings *b, const char *name,
                                 struct ArrowArrayStream *stream,
                                 uf_error *err);
uf_status uf_bindings_set_table(uf_bindings *b, const char *name,
                                struct ArrowSchema *schema,
                                struct ArrowArray *arrays, size_t n,
                                uf_error *err);

/* Moves every entry of src into dst and frees src (also on failure). A name
 * present in both is an error naming it; then nothing is moved and dst is
 * unchanged. */
uf_status uf_bindings_merge(uf_bindings *dst, uf_bindings *src,
                            uf_error *err);

/* -- iteration (for the engine) ------------------------------------------ */
typedef enum uf_binding_kind {
  UF_BINDING_SCALAR = 0,
  UF_BINDING_STREAM = 1,  /* a one-shot ArrowArrayStream */
  UF_BINDING_TABLE = 2    /* a materialized table (schema + batches) */
} uf_binding_kind;

/* Number of entries; entries keep insertion order. */
size_t uf_bindings_count(const uf_bindings *b);
/* Name of entry i (borrowed), as given when set. NULL if i is out of range. */
const char *uf_bindings_name(const uf_bindings *b, size_t i);
uf_binding_kind uf_bindings_kind(const uf_bindings *b, size_t i);
/* Scalar value of entry i (borrowed from the set); NULL unless SCALAR. */
const uf_value *uf_bindings_value(const uf_bindings *b, size_t i);
/* Index of the entry named `name` (case-insensitive), or -1. */
long uf_bindings_find(const uf_bindings *b, const char *name);
/* Number of scalar entries / table-valued entries. */
size_t uf_bindings_scalar_count(const uf_bindings *b);
size_t uf_bindings_table_count(const uf_bindings *b);

/* Produces a stream for table-valued entry i into *out (which the caller
 * then owns and releases). STREAM entries: the stored stream is moved out
 * (a second call fails with UF_INVALID_ARGUMENT: consumed; this is the one
 * mutation through a const set). TABLE entries:
 * a new stream whose arrays borrow the table's buffers; it and its arrays
 * must be released before the set is freed. */
uf_status uf_bindings_table_stream(const uf_bindings *b, size_t i,
                                   struct ArrowArrayStream *out,
                                   uf_error *err);

/* Checks `stmt` (a statement, query or SCRIPT) against b before execution:
 * every `$name` must be a scalar entry; a positional parameter ($1, ?) is
 * an error; every entry must be used — a scalar as `$name`, a table-valued
 * entry as an unqualified table name (`FROM name`); `$name` naming a
 * table-valued entry is an error. Reports all problems in one message
 * (names and line:column); err's position is the first one.
 * UF_INVALID_ARGUMENT on any problem. b may be NULL (empty set). */
uf_status uf_bindings_check(const uf_bindings *b, const uf_node *stmt,
                            uf_error *err);

/* -- command-line forms -------------------------------------------------- */
/* Parses one `--param` argument and adds it to b:
 *   NAME=VALUE        type inferred from VALUE: an integer -> BIGINT,
 *                     digits with a '.' -> DECIMAL, a number with an
 *                     exponent/inf/nan -> DOUBLE, true/false -> BOOLEAN,
 *                     NULL (any case) -> NULL, anything else -> VARCHAR
 *                     (also the empty value).
 *   NAME:TYPE=VALUE   explicit type (case-insensitive): BOOLEAN|BOOL,
 *                     BIGINT|INT|INTEGER|INT64, DOUBLE|FLOAT|FLOAT8,
 *                     VARCHAR|TEXT|STRING, DATE, TIME, TIMESTAMP,
 *                     DECIMAL|NUMERIC[(W,S)], BLOB (VALUE in hex digits),
 *                     NULL (VALUE must be empty).
 * Examples: n=42, name=alice, d:DATE=2024-01-01, x:VARCHAR=42,
 * p:DECIMAL(10,2)=3.5. The name is left of the first ':' or '='. */
uf_status uf_bindings_parse_arg(uf_bindings *b, const char *arg,
                                uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
