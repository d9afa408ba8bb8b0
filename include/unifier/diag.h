/*
 * unifier — diagnostics: sinks and the typed recorder.
 *
 * A sink is a small vtable (record_artifact, record_metric, record_event,
 * close). Every record reaches a sink as one JSON object, already rendered
 * as one line of compact JSON (the exact line the JSON Lines sink writes);
 * docs/diagnostics.md documents the envelope and every payload shape.
 *
 * The recorder fans records out to one or more sinks and gives typed
 * records: compilation, execution, write, registration and cache access,
 * each with one payload shape (every field always present, null where not
 * applicable). Modules take an optional `uf_recorder *`: every recorder call
 * with a NULL recorder is a no-op returning UF_OK. No module prints
 * diagnostics itself; they go through here.
 *
 * Envelope (every line):
 *   {"v":1,"ts":"2026-11-27T09:50:09.123Z","channel":"artifact",
 *    "type":"execution","name":"...","payload":{...}}
 * channel is "artifact", "metric" or "event"; a metric's payload is
 * {"value":number,"unit":string|null,"labels":object}; an event's payload
 * is {"message":string|null,"fields":object}.
 */
#ifndef UNIFIER_DIAG_H
#define UNIFIER_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define UF_DIAG_VERSION 1

typedef enum uf_diag_channel {
  UF_DIAG_ARTIFACT = 0,
  UF_DIAG_METRIC = 1,
  UF_DIAG_EVENT = 2
} uf_diag_channel;

/* "artifact", "metric", "event". */
const char *uf_diag_channel_name(uf_diag_channel c);

/* One record as a sink sees it; everything borrowed for the duration of the
 * sink call only (copy what you keep). */
typedef struct uf_diag_record {
  uf_diag_channel channel;
  const char *type;   /* artifact type ("execution", ...), "metric", "event" */
  const char *name;   /* artifact name / metric name / event name; never NULL */
  const char *json;   /* the whole record: one line of compact JSON, no '\n' */
  size_t json_len;
  const void *object; /* the same record as a jansson `json_t *` (borrowed) */
} uf_diag_record;

/* -- sinks ----------------------------------------------------------------- */
typedef struct uf_diag_sink uf_diag_sink;

/* A sink implementation. Each record_* returns UF_OK or fills err (a JSON
 * Lines sink reports write errors as UF_IO). close releases the sink and
 * its state (the uf_diag_sink itself included, when the implementation
 * allocated it); it must flush and may report a final error. */
typedef struct uf_diag_sink_vtable {
  uf_status (*record_artifact)(uf_diag_sink *s, const uf_diag_record *r,
                               uf_error *err);
  uf_status (*record_metric)(uf_diag_sink *s, const uf_diag_record *r,
                             uf_error *err);
  uf_status (*record_event)(uf_diag_sink *s, const uf_diag_record *r,
                            uf_error *err);
  uf_status (*close)(uf_diag_sink *s, uf_error *err);
} uf_diag_sink_vtable;

/* A sink is its vtable plus the implementation's state. Custom sinks fill
 * this struct themselves (usually embedded first in their own struct). */
struct uf_diag_sink {
  const uf_diag_sink_vtable *vt;
  void *state;
};

/* Closes (and frees) a sink: calls vt->close. NULL is a no-op (UF_OK). */
uf_status uf_diag_sink_close(uf_diag_sink *s, uf_error *err);

/* In-memory sink (for tests): keeps every record as a JSON object. Returns a
 * new sink; close with uf_diag_sink_close (or let an owning recorder). */
uf_status uf_diag_memory_sink_new(uf_diag_sink **out, uf_error *err);
/* Number of records kept; 0 if s is not a memory sink. */
size_t uf_diag_memory_count(const uf_diag_sink *s);
/* Record i as one line of JSON (borrowed; valid until the sink is closed or
 * cleared), or NULL if i is out of range / s not a memory sink. */
const char *uf_diag_memory_json(const uf_diag_sink *s, size_t i);
/* Record i's channel, type and name (borrowed like uf_diag_memory_json);
 * type/name NULL if out of range. */
uf_diag_channel uf_diag_memory_channel(const uf_diag_sink *s, size_t i);
const char *uf_diag_memory_type(const uf_diag_sink *s, size_t i);
const char *uf_diag_memory_name(const uf_diag_sink *s, size_t i);
/* Index of the first record at or after `from` with this channel and type
 * (type NULL = any), or (size_t)-1. */
size_t uf_diag_memory_find(const uf_diag_sink *s, size_t from,
                           uf_diag_channel channel, const char *type);
/* Record i as a jansson object (`const json_t *`, borrowed), or NULL. */
const void *uf_diag_memory_object(const uf_diag_sink *s, size_t i);
/* Forgets every record kept so far. */
void uf_diag_memory_clear(uf_diag_sink *s);

/* JSON Lines sink: appends one object per line to `path` (created if
 * missing, truncated if `truncate`), flushing after every line. Write
 * errors are reported by the record call (UF_IO with errno's message). */
uf_status uf_diag_jsonl_sink_open(const char *path, bool truncate,
                                  uf_diag_sink **out, uf_error *err);

/* -- the recorder -------------------------------------------------------- */
typedef struct uf_recorder uf_recorder;

/* A new recorder with no sinks; free with uf_recorder_free. */
uf_status uf_recorder_new(uf_recorder **out, uf_error *err);
/* Closes the sinks the recorder owns and frees it. NULL is a no-op. */
void uf_recorder_free(uf_recorder *r);
/* Adds a sink. With `owned`, the recorder closes it in uf_recorder_free
 * (also when this call fails); otherwise the caller keeps it alive longer
 * than the recorder and closes it. */
uf_status uf_recorder_add_sink(uf_recorder *r, uf_diag_sink *s, bool owned,
                               uf_error *err);
/* Number of records delivered so far, and of sink failures seen. */
uint64_t uf_recorder_count(const uf_recorder *r);
uint64_t uf_recorder_failures(const uf_recorder *r);

/* A record is delivered to every sink even if one fails; the first failure
 * is returned (and counted). All strings are copied; NULL strings become
 * JSON null. Counts are int64 (-1 = unknown, written as null). Durations
 * are milliseconds (double). */

/* Compilation of a statement through the front end / compiler. */
typedef struct uf_diag_compilation {
  const char *name;               /* what was compiled (model, "query", ...) */
  const char *dialect;            /* source dialect: "duckdb", ... */
  const char *fingerprint;        /* hex SHA-256 of the AST, NULL on error */
  const char *policy_fingerprint; /* compiler policy fingerprint or NULL */
  const char *sql;                /* rendered (canonical) SQL or NULL */
  int64_t statements;             /* statements in the input (-1 unknown) */
  double duration_ms;
  const char *error;              /* NULL on success */
  const char *error_code;         /* uf_status_name of the failure or NULL */
} uf_diag_compilation;
uf_status uf_record_compilation(uf_recorder *r, const uf_diag_compilation *c,
                                uf_error *err);

/* Execution of one rendered statement on the engine. */
typedef struct uf_diag_execution {
  const char *name;               /* caller's label ("query", model) or NULL */
  const char *fingerprint;        /* hex SHA-256 of the statement's AST */
  const char *sql;                /* the rendered SQL sent to the engine */
  const char *statement_type;     /* "SELECT", "CREATE", ... or NULL */
  double duration_ms;
  int64_t rows;                   /* rows produced/affected (-1 unknown) */
  int64_t bytes;                  /* Arrow buffer bytes produced (-1) */
  int64_t batches;                /* Arrow batches produced (-1) */
  const char *error;              /* NULL on success */
  const char *error_code;         /* uf_status_name or NULL */
} uf_diag_execution;
uf_status uf_record_execution(uf_recorder *r, const uf_diag_execution *x,
                              uf_error *err);

/* A dataset write (write pipeline, CLI output). */
typedef struct uf_diag_write {
  const char *destination;        /* path or "-" for stdout */
  const char *format;             /* "parquet", "csv", "json", "table" */
  const char *mode;               /* "overwrite", "append", ... or NULL */
  const char *fingerprint;        /* source statement fingerprint or NULL */
  int64_t rows, bytes, files;     /* -1 = unknown */
  double duration_ms;
  const char *error;
  const char *error_code;
} uf_diag_write;
uf_status uf_record_write(uf_recorder *r, const uf_diag_write *w,
                          uf_error *err);

/* Registration or deregistration of a named table in an engine session. */
typedef struct uf_diag_registration {
  const char *name;               /* table name as registered */
  const char *action;             /* "register" or "deregister" */
  const char *source;             /* "external", "arrow_stream",
                                     "arrow_table", "remote", "secret" */
  const char *location;           /* file/dir/glob/URL, or NULL */
  const char *format;             /* "parquet", "csv", "json", "arrow" */
  const char *sql;                /* rendered DDL, NULL for arrow scans */
  int64_t columns;                /* declared columns (-1 = discovered) */
  bool hive_partitioning;
  double duration_ms;
  const char *error;
  const char *error_code;
} uf_diag_registration;
uf_status uf_record_registration(uf_recorder *r,
                                 const uf_diag_registration *g,
                                 uf_error *err);

/* A cache lookup (catalog snapshot cache, compiled-query cache, ...). */
typedef struct uf_diag_cache {
  const char *cache;              /* "catalog", "compile", ... */
  const char *key;                /* the lookup key or NULL */
  bool hit;
  uint64_t generation;            /* cache generation / version served */
  double duration_ms;             /* time to serve (incl. a rebuild on miss) */
} uf_diag_cache;
uf_status uf_record_cache(uf_recorder *r, const uf_diag_cache *c,
                          uf_error *err);

/* A metric: name ("engine.rows"), value, unit ("ms", "rows", "bytes" or
 * NULL), labels as alternating key/value strings (nlabels pairs). */
uf_status uf_record_metric(uf_recorder *r, const char *name, double value,
                           const char *unit, size_t nlabels,
                           const char *const *labels, uf_error *err);
/* An event: name ("engine.interrupt"), message or NULL, fields as
 * alternating key/value strings (nfields pairs). */
uf_status uf_record_event(uf_recorder *r, const char *name,
                          const char *message, size_t nfields,
                          const char *const *fields, uf_error *err);

/* Milliseconds on a monotonic clock, for durations. */
double uf_diag_now_ms(void);

#ifdef __cplusplus
}
#endif
#endif
