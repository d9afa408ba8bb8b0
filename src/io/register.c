/*
 * The IO adapter: one place that registers data into an engine session and
 * one that deregisters it. It keeps a registry of what it registered (a
 * view over files, an Arrow scan, a table materialized from Arrow) so that
 * deregistration drops exactly that, and so that uf_io_free leaves the
 * session as it found it. Every statement is an AST run through
 * uf_engine_run; every (de)registration records a "registration" artifact.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/grow.h"
#include "engine/engine.h"
#include "io/io_internal.h"
#include "unifier/builder.h"
#include "unifier/engine.h"

typedef enum reg_kind {
  REG_VIEW, REG_ARROW_SCAN, REG_TABLE, REG_SECRET, REG_SECRET_PERSISTENT
} reg_kind;

typedef struct reg {
  char *name;       /* as registered */
  char *schema;     /* NULL = default */
  reg_kind kind;
  char *local_copy; /* downloaded file to remove, or NULL */
  char *location;
  const char *format;
} reg;

struct uf_io {
  uf_engine *e;
  uf_recorder *rec;
  reg *regs;
  size_t n, cap;
  char *temp_dir;
  bool own_temp_dir;
  uint64_t max_download;
  uint32_t timeout_ms;
  uint64_t downloads;
};

/* ---- registry ------------------------------------------------------------ */

static bool same_name(const reg *r, const char *schema, const char *name) {
  if (strcasecmp(r->name, name) != 0) return false;
  if (!r->schema || !schema) return !r->schema && !schema;
  return strcasecmp(r->schema, schema) == 0;
}

static reg *find(const uf_io *io, const char *schema, const char *name) {
  for (size_t i = 0; io && i < io->n; i++)
    if (same_name(&io->regs[i], schema, name)) return &io->regs[i];
  return NULL;
}

static void reg_clear(reg *r) {
  if (r->local_copy) unlink(r->local_copy);
  free(r->name);
  free(r->schema);
  free(r->local_copy);
  free(r->location);
}

static void forget(uf_io *io, reg *r) {
  reg_clear(r);
  size_t i = (size_t)(r - io->regs);
  memmove(r, r + 1, (io->n - i - 1) * sizeof *r);
  io->n--;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* Records the registration, replacing an older entry of the same name. The
 * strings are copied; local_copy ownership moves in. */
static uf_status remember(uf_io *io, const char *schema, const char *name,
                          reg_kind kind, char *local_copy,
                          const char *location, const char *format,
                          uf_error *err) {
  reg *old = find(io, schema, name);
  if (old) forget(io, old);
  reg *nr = uf_grow(io->regs, io->n, &io->cap, sizeof *nr, 8);
  if (!nr) goto oom;
  io->regs = nr;
  reg r = {strdup(name), dup_or_null(schema), kind, local_copy,
           dup_or_null(location), format};
  if (!r.name || (schema && !r.schema) || (location && !r.location)) {
    reg_clear(&r);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  io->regs[io->n++] = r;
  return UF_OK;
oom:
  if (local_copy) unlink(local_copy);
  free(local_copy);
  return uf_error_set(err, UF_NOMEM, "out of memory");
}

/* ---- lifecycle --------------------------------------------------------------- */

uf_status uf_io_new(uf_engine *e, const uf_io_options *opts, uf_io **out,
                    uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (!e) return uf_error_set(err, UF_INVALID_ARGUMENT, "io: engine is NULL");
  uf_io *io = calloc(1, sizeof *io);
  if (!io) return uf_error_set(err, UF_NOMEM, "out of memory");
  io->e = e;
  io->rec = opts ? opts->recorder : NULL;
  io->max_download = opts && opts->max_download_bytes
                         ? opts->max_download_bytes : (4ull << 30);
  io->timeout_ms = opts && opts->http_timeout_ms ? opts->http_timeout_ms
                                                  : 30000;
  if (opts && opts->temp_dir) {
    io->temp_dir = strdup(opts->temp_dir);
    if (!io->temp_dir) {
      free(io);
      return uf_error_set(err, UF_NOMEM, "out of memory");
    }
  }
  *out = io;
  return UF_OK;
}

/* The download directory, made on first use. */
static const char *temp_dir(uf_io *io, uf_error *err) {
  if (io->temp_dir) return io->temp_dir;
  const char *base = getenv("TMPDIR");
  char tmpl[4096];
  snprintf(tmpl, sizeof tmpl, "%s/unifier-io-XXXXXX",
           base && *base ? base : "/tmp");
  if (!mkdtemp(tmpl)) {
    uf_error_set(err, UF_IO, "io: cannot create a temp directory %s: %s",
                 tmpl, strerror(errno));
    return NULL;
  }
  io->temp_dir = strdup(tmpl);
  if (!io->temp_dir) {
    rmdir(tmpl);
    uf_error_set(err, UF_NOMEM, "out of memory");
    return NULL;
  }
  io->own_temp_dir = true;
  return io->temp_dir;
}

void uf_io_free(uf_io *io) {
  if (!io) return;
  uf_io_deregister_all(io, NULL);
  for (size_t i = 0; i < io->n; i++) reg_clear(&io->regs[i]);
  free(io->regs);
  if (io->own_temp_dir && io->temp_dir) rmdir(io->temp_dir);
  free(io->temp_dir);
  free(io);
}

bool uf_io_is_registered(const uf_io *io, const char *name) {
  return name && find(io, NULL, name) != NULL;
}

size_t uf_io_registered_count(const uf_io *io) { return io ? io->n : 0; }

/* ---- diagnostics ------------------------------------------------------------ */

typedef struct reg_note {
  const char *name, *action, *source, *location, *format;
  const char *sql;
  int64_t columns;
  bool hive;
  double t0;
} reg_note;

/* Records the outcome st (err holds the message on failure); returns st. */
static uf_status note(uf_io *io, const reg_note *n, uf_status st,
                      const uf_error *err) {
  uf_diag_registration g = {
      n->name, n->action, n->source, n->location, n->format, n->sql,
      n->columns, n->hive, uf_diag_now_ms() - n->t0,
      st == UF_OK ? NULL : (err && err->message[0] ? err->message
                                                   : uf_status_message(st)),
      st == UF_OK ? NULL : uf_status_name(st)};
  uf_record_registration(io->rec, &g, NULL);
  return st;
}

/* Runs a statement AST through the lane; on success *out_sql (if non-NULL)
 * gets its rendering for the diagnostics record (free with uf_free). */
static uf_status run(uf_io *io, const uf_node *stmt, char **out_sql,
                     uf_error *err) {
  if (out_sql) {
    *out_sql = NULL;
    uf_generate(stmt, NULL, out_sql, NULL, NULL);
  }
  return uf_engine_run(io->e, stmt, NULL, NULL, NULL, err);
}

uf_status uf_io_run_ast(uf_io *io, const uf_node *stmt, uf_error *err) {
  return uf_engine_run(io->e, stmt, NULL, NULL, NULL, err);
}

uf_recorder *uf_io_recorder(const uf_io *io) { return io ? io->rec : NULL; }

uf_status uf_io_remember_secret(uf_io *io, const char *name, bool persistent,
                                uf_error *err) {
  return remember(io, NULL, name,
                  persistent ? REG_SECRET_PERSISTENT : REG_SECRET, NULL, NULL,
                  NULL, err);
}

/* ---- external tables ---------------------------------------------------------- */

static const char *ident_of(const uf_node *n) {
  return uf_is(n, UF_IDENT) ? n->text : NULL;
}

static bool is_http(const char *loc) {
  return strncasecmp(loc, "http://", 7) == 0 ||
         strncasecmp(loc, "https://", 8) == 0;
}

/* Local path for a download: <temp>/<n>-<basename of the URL path>. */
static char *download_path(uf_io *io, const char *url, uf_error *err) {
  const char *dir = temp_dir(io, err);
  if (!dir) return NULL;
  const char *path = strchr(url + 8, '/');
  const char *base = path ? strrchr(path, '/') + 1 : "";
  size_t blen = strcspn(base, "?#");
  if (blen == 0 || blen > 200) base = "download", blen = 8;
  size_t n = strlen(dir) + blen + 32;
  char *p = malloc(n);
  if (!p) {
    uf_error_set(err, UF_NOMEM, "out of memory");
    return NULL;
  }
  snprintf(p, n, "%s/%llu-%.*s", dir, (unsigned long long)++io->downloads,
           (int)blen, base);
  return p;
}

static const char *format_word(const uf_node *cet, const char *loc) {
  const uf_node *f = uf_get(cet, UF_SLOT_FORMAT);
  uf_io_format fmt = uf_io_format_from_name(f ? f->text : NULL);
  if (fmt == UF_IO_FORMAT_AUTO) fmt = uf_io_format_of_path(loc);
  return uf_io_format_name(fmt);
}

uf_status uf_io_register_external(uf_io *io, const uf_node *cet,
                                  uf_error *err) {
  if (!io || !uf_is(cet, UF_CREATE_EXTERNAL_TABLE))
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "io: expected a CREATE EXTERNAL TABLE statement");
  const uf_node *tn = uf_get(cet, UF_SLOT_NAME);
  const char *name = ident_of(uf_get(tn, UF_SLOT_THIS));
  const char *schema = ident_of(uf_get(tn, UF_SLOT_DB));
  const uf_node *locn = uf_get(cet, UF_SLOT_LOCATION);
  if (!name || !locn)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "io: CREATE EXTERNAL TABLE needs a name and LOCATION");
  const uf_node *cols = uf_get(cet, UF_SLOT_COLUMNS);
  const uf_node *parts = uf_get(cet, UF_SLOT_PARTITIONED_BY);
  reg_note rn = {name, "register", "external", locn->text,
                 format_word(cet, locn->text), NULL,
                 cols ? (int64_t)cols->nkids : -1,
                 parts && parts->nkids > 0, uf_diag_now_ms()};
  char *local = NULL, *sql = NULL;
  uf_status st = UF_OK;
  if (is_http(locn->text)) {
    rn.source = "remote";
    local = download_path(io, locn->text, err);
    st = local ? uf_io_http_fetch(locn->text, local, 0, io->max_download,
                                  io->timeout_ms, NULL, err)
               : (err ? err->code : UF_NOMEM);
  }
  uf_tree *t = st == UF_OK ? uf_tree_new() : NULL;
  uf_node *stmt = NULL;
  if (st == UF_OK && !t) st = uf_error_set(err, UF_NOMEM, "out of memory");
  if (st == UF_OK) st = uf_io_lower_external(t, cet, local, &stmt, err);
  if (st == UF_OK) {
    rn.hive = rn.hive || (uf_io_is_local_dir(locn->text) &&
                          uf_io_discover_hive(locn->text));
    /* a name this adapter registered before is replaced */
    if (find(io, schema, name) && !(stmt->flags & UF_F_IF_NOT_EXISTS))
      stmt->flags |= UF_F_OR_REPLACE;
    st = run(io, stmt, &sql, err);
  }
  rn.sql = sql;
  if (st == UF_OK)
    st = remember(io, schema, name, REG_VIEW, local, locn->text, rn.format,
                  err);
  else if (local) {
    unlink(local);
    free(local);
  }
  note(io, &rn, st, err);
  uf_free(sql);
  uf_tree_free(t);
  return st;
}

uf_status uf_io_register_external_sql(uf_io *io, const char *sql,
                                      const uf_dialect *d, uf_error *err) {
  if (!sql) return uf_error_set(err, UF_INVALID_ARGUMENT, "io: sql is NULL");
  uf_parse_options po = {d ? d : uf_dialect_datafusion(), 0, 0};
  uf_tree *t = NULL;
  uf_status st = uf_parse_one(sql, strlen(sql), &po, &t, err);
  if (st == UF_OK) st = uf_io_register_external(io, uf_tree_root(t), err);
  uf_tree_free(t);
  return st;
}

uf_status uf_io_register_location(uf_io *io, const char *name,
                                  const char *location, uf_io_format format,
                                  uf_error *err) {
  if (!io || !name || !*name || !location || !*location)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "io: a name and a location are required");
  uf_io_format f = format != UF_IO_FORMAT_AUTO ? format
                                               : uf_io_format_of_path(location);
  if (f == UF_IO_FORMAT_AUTO && uf_io_is_local_dir(location))
    f = UF_IO_FORMAT_PARQUET; /* a dataset directory: Parquet by default */
  if (f == UF_IO_FORMAT_AUTO)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "io: cannot tell the format of %s (use a .parquet, "
                        ".csv or .json name, or give the format)", location);
  uf_tree *t = uf_tree_new();
  uf_node *cet = t ? uf_b_external_table(t, uf_b_table(t, NULL, name),
                                         uf_io_format_name(f), location,
                                         NULL, NULL, NULL)
                   : NULL;
  uf_status st = cet ? uf_io_register_external(io, cet, err)
                     : uf_error_set(err, UF_NOMEM, "out of memory");
  uf_tree_free(t);
  return st;
}

/* ---- Arrow ----------------------------------------------------------------------- */

uf_status uf_io_register_arrow_stream(uf_io *io, const char *name,
                                      struct ArrowArrayStream *stream,
                                      uf_error *err) {
  if (!io || !name || !*name || !stream || !stream->release) {
    if (stream && stream->release) stream->release(stream);
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "io: a name and a live stream are required");
  }
  reg_note rn = {name, "register", "arrow_stream", NULL, "arrow", NULL, -1,
                 false, uf_diag_now_ms()};
  /* a name registered before is dropped first: one registration per name */
  uf_status st = UF_OK;
  if (find(io, NULL, name)) st = uf_io_deregister(io, name, err);
  if (st != UF_OK) {
    stream->release(stream);
    return note(io, &rn, st, err);
  }
  st = uf_engine_arrow_register(io->e, name, stream, err);
  if (st == UF_OK)
    st = remember(io, NULL, name, REG_ARROW_SCAN, NULL, NULL, "arrow", err);
  return note(io, &rn, st, err);
}

/* A table is scanned any number of times, so its batches are copied into a
 * temporary table: scan it once through an Arrow view under a private
 * name, CREATE TEMP TABLE name AS SELECT * FROM that view, drop the view. */
uf_status uf_io_register_arrow_table(uf_io *io, const char *name,
                                     const uf_arrow_table *table,
                                     uf_error *err) {
  if (!io || !name || !*name || !table)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "io: a name and a table are required");
  reg_note rn = {name, "register", "arrow_table", NULL, "arrow", NULL, -1,
                 false, uf_diag_now_ms()};
  uf_status st = UF_OK;
  if (find(io, NULL, name)) st = uf_io_deregister(io, name, err);
  char scan[96];
  snprintf(scan, sizeof scan, "__uf_arrow_%p", (const void *)table);
  struct ArrowArrayStream s = {0};
  if (st == UF_OK) st = uf_arrow_table_stream(table, &s, err);
  if (st == UF_OK) st = uf_engine_arrow_register(io->e, scan, &s, err);
  bool scanned = st == UF_OK;
  uf_tree *t = st == UF_OK ? uf_tree_new() : NULL;
  char *sql = NULL;
  if (st == UF_OK) {
    uf_node *sel = uf_b_select(t);
    uf_b_select_add(t, sel, uf_b_star(t), NULL);
    uf_b_select_from(t, sel, uf_b_table(t, NULL, scan), NULL);
    uf_node *ct = uf_b_create_table_as(t, uf_b_table(t, NULL, name), sel,
                                       false);
    if (!ct) st = uf_error_set(err, UF_NOMEM, "out of memory");
    else {
      ct->flags |= UF_F_TEMP;
      st = run(io, ct, &sql, err);
    }
  }
  if (scanned) {
    uf_error e2;
    uf_status st2 = uf_engine_arrow_unregister(io->e, scan, &e2);
    if (st == UF_OK && st2 != UF_OK) {
      st = st2;
      if (err) *err = e2;
    }
  }
  if (st == UF_OK)
    st = remember(io, NULL, name, REG_TABLE, NULL, NULL, "arrow", err);
  rn.sql = sql;
  note(io, &rn, st, err);
  uf_free(sql);
  uf_tree_free(t);
  return st;
}

/* ---- deregistration ---------------------------------------------------------------- */

static uf_status drop(uf_io *io, const reg *r, char **sql, uf_error *err) {
  if (r->kind == REG_ARROW_SCAN)
    return uf_engine_arrow_unregister(io->e, r->name, err);
  uf_tree *t = uf_tree_new();
  const char *what = r->kind == REG_VIEW    ? "VIEW"
                     : r->kind == REG_TABLE ? "TABLE"
                                            : "SECRET";
  uf_node *d = t ? uf_b_drop(t, what, uf_b_table(t, r->schema, r->name), true)
                 : NULL;
  if (d && r->kind == REG_SECRET) d->flags |= UF_F_TEMP;
  if (d && r->kind == REG_SECRET_PERSISTENT) d->flags |= UF_F_PERSISTENT;
  uf_status st = d ? run(io, d, sql, err)
                   : uf_error_set(err, UF_NOMEM, "out of memory");
  uf_tree_free(t);
  return st;
}

static const char *source_of(const reg *r) {
  switch (r->kind) {
    case REG_VIEW: return r->local_copy ? "remote" : "external";
    case REG_ARROW_SCAN: return "arrow_stream";
    case REG_TABLE: return "arrow_table";
    case REG_SECRET:
    case REG_SECRET_PERSISTENT: return "secret";
  }
  return "external";
}

static uf_status deregister_reg(uf_io *io, reg *r, uf_error *err) {
  reg_note rn = {r->name, "deregister", source_of(r), r->location, r->format,
                 NULL, -1, false, uf_diag_now_ms()};
  char *sql = NULL;
  uf_status st = drop(io, r, &sql, err);
  rn.sql = sql;
  note(io, &rn, st, err);
  uf_free(sql);
  forget(io, r); /* forgotten even on failure: the adapter holds nothing */
  return st;
}

uf_status uf_io_deregister(uf_io *io, const char *name, uf_error *err) {
  if (!io || !name)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "io: name is NULL");
  reg *r = find(io, NULL, name);
  if (!r) {
    for (size_t i = 0; i < io->n && !r; i++)
      if (strcasecmp(io->regs[i].name, name) == 0) r = &io->regs[i];
  }
  if (!r)
    return uf_error_set(err, UF_NOT_FOUND, "io: %s is not registered", name);
  return deregister_reg(io, r, err);
}

uf_status uf_io_deregister_all(uf_io *io, uf_error *err) {
  uf_status first = UF_OK;
  while (io && io->n > 0) {
    uf_error e2;
    uf_status st = deregister_reg(io, &io->regs[io->n - 1], &e2);
    if (st != UF_OK && first == UF_OK) {
      first = st;
      if (err) *err = e2;
    }
  }
  return first;
}
