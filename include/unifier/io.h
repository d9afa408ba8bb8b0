/*
 * unifier — the IO adapter: every registration of data into an engine
 * session goes through here, and so does every deregistration.
 *
 *  - external tables from a location (Parquet, CSV, JSON; a file, a
 *    directory, a glob; hive partitioning discovered or declared), given as
 *    a CREATE EXTERNAL TABLE AST (DataFusion form: parse it with the
 *    datafusion dialect, or build it with uf_b_external_table) and lowered
 *    to DuckDB DDL as an AST:
 *      CREATE OR REPLACE VIEW name AS SELECT * FROM read_parquet(
 *        '<dir>/<recursive glob>.parquet', hive_partitioning = true, ...)
 *    (read_csv / read_json alike; declared columns become read_csv's
 *    columns = {...} or casts in the select list);
 *  - in-memory Arrow streams and tables registered as named tables;
 *  - remote locations: http(s):// files are fetched with range requests
 *    into the adapter's temp directory and the local copy is registered
 *    (the engine build has no httpfs); object-store credentials become
 *    engine secrets built as CREATE SECRET ASTs;
 *  - one central deregistration (DROP VIEW / DROP TABLE as ASTs, Arrow
 *    scans unregistered), also used for table-valued parameters.
 *
 * Every registration and deregistration records a "registration" artifact
 * on the recorder (include/unifier/diag.h). Every DDL runs through
 * uf_engine_run, so the session's catalog generation moves and catalog
 * caches invalidate.
 */
#ifndef UNIFIER_IO_H
#define UNIFIER_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unifier/arrow_abi.h"
#include "unifier/ast.h"
#include "unifier/diag.h"
#include "unifier/sql.h"
#include "unifier/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct uf_engine uf_engine;
typedef struct uf_arrow_table uf_arrow_table;

/* -- lowering (pure: no engine) ------------------------------------------- */

typedef enum uf_io_format {
  UF_IO_FORMAT_AUTO = 0, /* from the location's extension */
  UF_IO_FORMAT_PARQUET,
  UF_IO_FORMAT_CSV,
  UF_IO_FORMAT_JSON
} uf_io_format;

/* "parquet", "csv", "json", "auto". */
const char *uf_io_format_name(uf_io_format f);
/* Format of a DataFusion STORED AS word or file extension ("PARQUET",
 * "csv", "ndjson", "json"); UF_IO_FORMAT_AUTO if unknown. */
uf_io_format uf_io_format_from_name(const char *name);

/* Lowers a CREATE EXTERNAL TABLE node (borrowed) to the DuckDB statement
 * that registers it: CREATE [OR REPLACE] VIEW name AS SELECT ... FROM
 * read_<format>(...). The new statement is built in `t` (which may be the
 * input's tree). `location_override` (NULL = none) replaces the location,
 * e.g. with the local copy of a remote file. Unsupported options fail with
 * UF_UNSUPPORTED naming them; nothing is silently dropped. */
uf_status uf_io_lower_external(uf_tree *t, const uf_node *create_external,
                               const char *location_override,
                               uf_node **out_stmt, uf_error *err);

/* -- the adapter ------------------------------------------------------------- */
typedef struct uf_io uf_io;

typedef struct uf_io_options {
  uf_recorder *recorder;     /* borrowed; NULL = no diagnostics */
  /* Directory for downloaded remote files; NULL = a new directory under
   * $TMPDIR (or /tmp) that uf_io_free removes. A given directory is used
   * as is and only the files the adapter wrote are removed. A session
   * whose profile limits file access must allow this directory. */
  const char *temp_dir;
  uint64_t max_download_bytes; /* 0 = 4 GiB */
  uint32_t http_timeout_ms;    /* per request; 0 = 30000 */
} uf_io_options;

/* A new adapter over session e (borrowed; must outlive the adapter).
 * opts may be NULL. Free with uf_io_free. */
uf_status uf_io_new(uf_engine *e, const uf_io_options *opts, uf_io **out,
                    uf_error *err);
/* Deregisters everything still registered through io, removes the files it
 * downloaded and frees it. NULL is a no-op. */
void uf_io_free(uf_io *io);

/* Registers an external table from a CREATE EXTERNAL TABLE node (borrowed).
 * A name already registered through io is replaced (IF NOT EXISTS keeps
 * the existing one). */
uf_status uf_io_register_external(uf_io *io, const uf_node *create_external,
                                  uf_error *err);
/* Parses `sql` (one CREATE EXTERNAL TABLE statement, datafusion dialect
 * when d is NULL) and registers it. */
uf_status uf_io_register_external_sql(uf_io *io, const char *sql,
                                      const uf_dialect *d, uf_error *err);
/* Registers `location` under `name` with everything discovered: the format
 * from the extension (or `format`), hive partitioning when the location is
 * a directory containing key=value subdirectories. */
uf_status uf_io_register_location(uf_io *io, const char *name,
                                  const char *location, uf_io_format format,
                                  uf_error *err);

/* Registers an Arrow stream as table `name`. The stream is moved into the
 * session (stream->release is NULL afterwards, also on failure) and can be
 * scanned once: a stream is single-pass. */
uf_status uf_io_register_arrow_stream(uf_io *io, const char *name,
                                      struct ArrowArrayStream *stream,
                                      uf_error *err);
/* Registers a materialized Arrow table (borrowed; must outlive the
 * registration) as table `name`; it can be scanned any number of times. */
uf_status uf_io_register_arrow_table(uf_io *io, const char *name,
                                     const uf_arrow_table *table,
                                     uf_error *err);

/* The one deregistration: drops what `name` was registered as (a view, an
 * Arrow scan) and forgets it; removes a downloaded copy. UF_NOT_FOUND if
 * io did not register `name`. */
uf_status uf_io_deregister(uf_io *io, const char *name, uf_error *err);
/* Deregisters everything io registered; returns the first failure. */
uf_status uf_io_deregister_all(uf_io *io, uf_error *err);
/* True if io currently has `name` registered. */
bool uf_io_is_registered(const uf_io *io, const char *name);
/* Number of names currently registered. */
size_t uf_io_registered_count(const uf_io *io);

/* -- object stores ------------------------------------------------------ */

/* Credentials for an object store, turned into an engine secret. Strings
 * are copied into the statement; NULL fields are omitted. */
typedef struct uf_io_secret {
  const char *name;          /* secret name */
  const char *type;          /* "S3", "GCS", "R2", "AZURE", "HTTP" */
  const char *provider;      /* "CONFIG" (default), "CREDENTIAL_CHAIN" */
  const char *key_id;
  const char *secret;
  const char *session_token;
  const char *region;
  const char *endpoint;
  const char *url_style;     /* "path" / "vhost" */
  const char *scope;         /* e.g. "s3://bucket/prefix" */
  const char *bearer_token;  /* HTTP */
  bool use_ssl_off;          /* USE_SSL false */
  bool persistent;           /* CREATE PERSISTENT SECRET (default TEMPORARY) */
  bool or_replace;
} uf_io_secret;

/* Builds the CREATE SECRET statement for s in tree t (no engine). */
uf_status uf_io_secret_statement(uf_tree *t, const uf_io_secret *s,
                                 uf_node **out_stmt, uf_error *err);
/* Creates the secret in the session (DDL through uf_engine_run). The
 * engine needs the secret type's extension (httpfs for S3); without it this
 * fails with UF_ENGINE and the engine's message. */
uf_status uf_io_create_secret(uf_io *io, const uf_io_secret *s,
                              uf_error *err);

/* -- remote files --------------------------------------------------------- */

/* Downloads an http:// URL (https is refused with UF_UNSUPPORTED: no TLS
 * in this client) to `path` with range requests of `chunk` bytes (0 =
 * 8 MiB); fails if the file would exceed max_bytes (0 = 4 GiB). On failure
 * the partial file is removed. */
uf_status uf_io_http_fetch(const char *url, const char *path, uint64_t chunk,
                           uint64_t max_bytes, uint32_t timeout_ms,
                           uint64_t *out_bytes, uf_error *err);

#ifdef __cplusplus
}
#endif
#endif
