/*
 * Arrow helpers of the engine (no engine code here): concatenation of array
 * slices driven by the format strings of the C Data Interface, schema
 * copies, borrowed views, byte accounting and the batch coalescer that
 * turns an engine's small chunks into batches of a target row count.
 *
 * Every array these functions produce owns its memory (malloc'd buffers,
 * released by its release callback) unless documented as a view.
 */
#ifndef UF_ENGINE_ARROW_H
#define UF_ENGINE_ARROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/arrow_abi.h"
#include "unifier/status.h"

/* Elements [off, off + len) of `a` (logical positions: a->offset is added
 * by the callee). */
typedef struct uf_arrow_slice {
  const struct ArrowArray *a;
  int64_t off, len;
} uf_arrow_slice;

/* Concatenates n slices of arrays of type `schema` into a new compact array
 * (offset 0) in *out; release it with out->release. Supported: null,
 * boolean, every fixed-width type (integers, floats, decimals, temporal,
 * intervals, fixed-size binary), utf8/binary and their large and view
 * variants, list, large list, fixed-size list, map, struct, and dictionary
 * encoding (dictionaries are concatenated, indices shifted). Unions and
 * run-end encoding fail with UF_UNSUPPORTED. Inputs stay untouched. */
uf_status uf_arrow_concat(const struct ArrowSchema *schema,
                          const uf_arrow_slice *slices, size_t n,
                          struct ArrowArray *out, uf_error *err);

/* Deep copy of a schema (format, name, metadata, children, dictionary). */
uf_status uf_arrow_schema_copy(const struct ArrowSchema *src,
                               struct ArrowSchema *out, uf_error *err);

/* A view of src in *out: new ArrowArray nodes (every child, the
 * dictionary) over src's buffers. Releasing the view frees only the nodes;
 * src must outlive it. A consumer may move children out of the view
 * without touching src. */
uf_status uf_arrow_array_view(const struct ArrowArray *src,
                              struct ArrowArray *out, uf_error *err);

/* Bytes of the buffers of the array (children and dictionary included),
 * for the logical range the array covers; -1 if the schema is unsupported. */
int64_t uf_arrow_array_bytes(const struct ArrowSchema *schema,
                             const struct ArrowArray *a);

/* Releases a schema/array/stream if it holds a release callback (NULL ok). */
void uf_arrow_schema_release(struct ArrowSchema *s);
void uf_arrow_array_release(struct ArrowArray *a);
void uf_arrow_stream_release(struct ArrowArrayStream *s);

/* -- the coalescer ---------------------------------------------------------
 * Takes chunks of any size (moved in) and gives batches of exactly
 * `batch_rows` rows (the last may be shorter). A chunk that happens to be
 * exactly one batch and nothing is pending passes through without a copy.
 * At most one batch worth of chunks is held (plus the chunk that crosses
 * the boundary). */
typedef struct uf_coalescer uf_coalescer;

/* schema is borrowed and must outlive the coalescer. */
uf_status uf_coalescer_new(const struct ArrowSchema *schema,
                           uint64_t batch_rows, uf_coalescer **out,
                           uf_error *err);
void uf_coalescer_free(uf_coalescer *c);
/* Moves chunk into the coalescer (chunk->release is NULL afterwards, also
 * on failure). Empty chunks are released at once. */
uf_status uf_coalescer_push(uf_coalescer *c, struct ArrowArray *chunk,
                            uf_error *err);
/* Rows held. */
uint64_t uf_coalescer_pending(const uf_coalescer *c);
/* True when a full batch can be popped. */
bool uf_coalescer_ready(const uf_coalescer *c);
/* Pops min(batch_rows, pending) rows as a new array in *out; with nothing
 * pending out->release is NULL. */
uf_status uf_coalescer_pop(uf_coalescer *c, struct ArrowArray *out,
                           uf_error *err);

#endif
