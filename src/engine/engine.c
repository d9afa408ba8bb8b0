/*
 * The public engine API (include/unifier/engine.h) on the engine interface
 * (engine/engine.h): sessions with a reference count, rendering of ASTs,
 * the statement-type cross-check, parameter binding, table-valued
 * parameters, the coalescing Arrow stream, diagnostics records.
 *
 * No engine header here: everything engine-specific goes through the
 * vtable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/arrow.h"
#include "engine/engine.h"
#include "engine/engine_oracle.h"
#include "unifier/builder.h"
#include "unifier/params.h"
#include "unifier/safety.h"
#include "unifier/sql.h"

typedef struct registration {
  char *name;
  struct ArrowArrayStream *stream; /* the guard the engine scans; NULL for a
                                      materialized (temporary table) copy */
} registration;

typedef struct xstream xstream;

struct uf_engine {
  const uf_engine_vtable *vt;
  uf_ei_session *s;
  uf_runtime_profile profile; /* strings below owned */
  char *memory_limit, *temp_directory;
  char **allowed;
  uint32_t refs;              /* the handle + one per open stream */
  bool closed;
  xstream *active;            /* the stream holding the session's result */
  uint64_t generation;
  double last_tick;
  registration *regs;
  size_t nregs, capregs;
};

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *dup_str(const char *s) {
  if (s == NULL) return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* -- statement types -------------------------------------------------------- */

const char *uf_stmt_type_name(uf_stmt_type t) {
  static const char *const names[] = {
#define UF_STMT_TYPE_NAME_(name, value) [value] = #name,
      UF_STMT_TYPE_MAP(UF_STMT_TYPE_NAME_)
#undef UF_STMT_TYPE_NAME_
  };
  if ((int)t < 0 || (int)t >= UF_STMT_TYPE_COUNT || names[t] == NULL) return "INVALID";
  return names[t];
}

#define B(c) UF_STMT_BIT(UF_STMT_##c)

uint32_t uf_stmt_type_classes(uf_stmt_type t) {
  switch (t) {
    /* PRAGMA version / table_info run as SELECT; SHOW and DESCRIBE too */
    case UF_STMT_TYPE_SELECT: return B(QUERY) | B(PRAGMA);
    case UF_STMT_TYPE_INSERT: case UF_STMT_TYPE_UPDATE:
    case UF_STMT_TYPE_DELETE: return B(DML); /* TRUNCATE is a DELETE */
    /* EXPLAIN [ANALYZE] takes its inner statement's class */
    case UF_STMT_TYPE_EXPLAIN: return ~B(UNKNOWN) & (UF_STMT_BIT(UF_STMT_CLASS_COUNT) - 1);
    case UF_STMT_TYPE_PREPARE: case UF_STMT_TYPE_EXECUTE: return B(PREPARED);
    case UF_STMT_TYPE_CREATE: /* CREATE SECRET is classed SET */
      return B(DDL) | B(TEMP_DDL) | B(SET);
    case UF_STMT_TYPE_CREATE_FUNC:
    case UF_STMT_TYPE_ALTER: return B(DDL) | B(TEMP_DDL); /* COMMENT ON alters */
    case UF_STMT_TYPE_DROP: /* DEALLOCATE; DROP SECRET is classed SET */
      return B(DDL) | B(TEMP_DDL) | B(PREPARED) | B(SET);
    case UF_STMT_TYPE_TRANSACTION: return B(TRANSACTION);
    case UF_STMT_TYPE_COPY: return B(COPY_FROM) | B(COPY_TO);
    case UF_STMT_TYPE_ANALYZE: case UF_STMT_TYPE_VACUUM: return B(MAINTENANCE);
    case UF_STMT_TYPE_VARIABLE_SET: case UF_STMT_TYPE_SET: return B(SET) | B(ATTACH); /* USE */
    case UF_STMT_TYPE_EXPORT: return B(EXPORT);
    case UF_STMT_TYPE_PRAGMA: return B(PRAGMA) | B(IMPORT);
    case UF_STMT_TYPE_CALL: return B(CALL) | B(MAINTENANCE); /* CHECKPOINT */
    case UF_STMT_TYPE_LOAD: case UF_STMT_TYPE_EXTENSION: return B(EXTENSION);
    case UF_STMT_TYPE_ATTACH: case UF_STMT_TYPE_DETACH: return B(ATTACH);
    default: return 0;
  }
}

/* The one statement a node stands for (a SCRIPT of one), or NULL. */
static const uf_node *single_statement(const uf_node *stmt) {
  while (uf_is(stmt, UF_SCRIPT)) {
    if (stmt->nkids != 1) return NULL;
    stmt = stmt->kids[0];
  }
  return stmt;
}

static bool class_agrees(int cls, bool is_explain, uf_stmt_type reported) {
  if (cls < 0 || cls >= UF_STMT_CLASS_COUNT || cls == UF_STMT_UNKNOWN) return false;
  if (is_explain != (reported == UF_STMT_TYPE_EXPLAIN)) return false;
  return (uf_stmt_type_classes(reported) & UF_STMT_BIT(cls)) != 0;
}

bool uf_stmt_type_agrees(const uf_node *stmt, uf_stmt_type reported) {
  const uf_node *one = single_statement(stmt);
  if (one == NULL) return false;
  return class_agrees((int)uf_classify_statement(one), uf_is(one, UF_EXPLAIN), reported);
}

/* Statements after which the catalog may differ. */
static bool changes_catalog(uf_stmt_type t) {
  switch (t) {
    case UF_STMT_TYPE_SELECT: case UF_STMT_TYPE_EXPLAIN: case UF_STMT_TYPE_INSERT:
    case UF_STMT_TYPE_UPDATE: case UF_STMT_TYPE_DELETE: case UF_STMT_TYPE_COPY:
    case UF_STMT_TYPE_PREPARE: case UF_STMT_TYPE_ANALYZE: case UF_STMT_TYPE_VACUUM:
    case UF_STMT_TYPE_EXPORT:
      return false;
    default:
      return true;
  }
}

/* -- sessions --------------------------------------------------------------- */

static uf_status copy_profile(uf_engine *e, const uf_runtime_profile *p) {
  e->profile = *p;
  e->memory_limit = dup_str(p->memory_limit);
  e->temp_directory = dup_str(p->temp_directory);
  e->profile.memory_limit = e->memory_limit;
  e->profile.temp_directory = e->temp_directory;
  e->profile.allowed_directories = NULL;
  if ((p->memory_limit && !e->memory_limit) || (p->temp_directory && !e->temp_directory))
    return UF_NOMEM;
  if (p->allowed_directories) {
    size_t n = 0;
    while (p->allowed_directories[n]) n++;
    e->allowed = calloc(n + 1, sizeof *e->allowed);
    if (e->allowed == NULL) return UF_NOMEM;
    for (size_t i = 0; i < n; i++)
      if ((e->allowed[i] = dup_str(p->allowed_directories[i])) == NULL) return UF_NOMEM;
    e->profile.allowed_directories = (const char *const *)e->allowed;
  }
  if (e->profile.batch_rows == 0) e->profile.batch_rows = UF_ENGINE_BATCH_ROWS;
  if (e->profile.progress_interval_ms == 0) e->profile.progress_interval_ms = 1000;
  return UF_OK;
}

static void engine_destroy(uf_engine *e) {
  if (e->s) e->vt->close(e->s);
  for (size_t i = 0; i < e->nregs; i++) {
    uf_arrow_stream_release(e->regs[i].stream);
    free(e->regs[i].stream);
    free(e->regs[i].name);
  }
  free(e->regs);
  for (size_t i = 0; e->allowed && e->allowed[i]; i++) free(e->allowed[i]);
  free(e->allowed);
  free(e->memory_limit);
  free(e->temp_directory);
  free(e);
}

static void engine_unref(uf_engine *e) {
  if (--e->refs == 0) engine_destroy(e);
}

uf_status uf_engine_open_with(const uf_engine_vtable *vt,
                              const uf_runtime_profile *profile,
                              uf_engine **out, uf_error *err) {
  static const uf_runtime_profile defaults = {0};
  if (out == NULL || vt == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: out is NULL");
  *out = NULL;
  uf_engine *e = calloc(1, sizeof *e);
  if (e == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  e->vt = vt;
  e->refs = 1;
  uf_status st = copy_profile(e, profile ? profile : &defaults);
  if (st != UF_OK) st = uf_error_set(err, UF_NOMEM, "engine: out of memory");
  if (st == UF_OK) st = vt->open(&e->profile, &e->s, err);
  if (st != UF_OK) {
    engine_destroy(e);
    return st;
  }
  *out = e;
  return UF_OK;
}

uf_status uf_engine_open(const uf_runtime_profile *profile, uf_engine **out,
                         uf_error *err) {
  return uf_engine_open_with(uf_engine_duckdb(), profile, out, err);
}

void uf_engine_close(uf_engine *e) {
  if (e == NULL || e->closed) return;
  e->closed = true;
  engine_unref(e);
}

uf_status uf_engine_set_recorder(uf_engine *e, uf_recorder *r, uf_error *err) {
  if (e == NULL) return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session");
  e->profile.recorder = r;
  return UF_OK;
}

uint64_t uf_engine_catalog_generation(const uf_engine *e) {
  return e ? e->generation : 0;
}

const uf_runtime_profile *uf_engine_profile(const uf_engine *e) {
  return e ? &e->profile : NULL;
}

uf_status uf_engine_interrupt(uf_engine *e, uf_error *err) {
  if (e == NULL || e->s == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session");
  e->vt->interrupt(e->s);
  return UF_OK;
}

uf_status uf_engine_progress(uf_engine *e, uf_progress *out, uf_error *err) {
  if (e == NULL || e->s == NULL || out == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session or output");
  e->vt->progress(e->s, out);
  return UF_OK;
}

/* Called while a statement runs: the profile's callback, at its interval. */
static void tick(void *ctx) {
  uf_engine *e = ctx;
  if (e->profile.progress == NULL) return;
  double t = now_ms();
  if (t - e->last_tick < (double)e->profile.progress_interval_ms) return;
  e->last_tick = t;
  uf_progress p;
  e->vt->progress(e->s, &p);
  e->profile.progress(e->profile.progress_ctx, &p);
}

/* -- rendering ------------------------------------------------------------- */

static uf_status render(const uf_node *stmt, char **out_sql, uf_error *err) {
  uf_gen_options go = {0};
  go.dialect = uf_dialect_duckdb();
  go.strip_comments = true;
  return uf_generate(stmt, &go, out_sql, NULL, err);
}

/* Runs an AST the engine builds for itself (DROP VIEW of a registration):
 * no parameters, no stream. */
static uf_status run_internal(uf_engine *e, const uf_node *stmt, uf_error *err) {
  char *sql = NULL;
  uf_status st = render(stmt, &sql, err);
  uf_ei_stmt *ps = NULL;
  uf_ei_result *r = NULL;
  if (st == UF_OK) st = e->vt->prepare(e->s, sql, &ps, err);
  if (st == UF_OK) st = e->vt->execute(ps, false, NULL, NULL, &r, err);
  e->vt->destroy_result(r);
  e->vt->destroy_stmt(ps);
  uf_free(sql);
  return st;
}

/* -- Arrow registrations ------------------------------------------------------ */

static void end_active(uf_engine *e);

static long find_reg(const uf_engine *e, const char *name) {
  for (size_t i = 0; i < e->nregs; i++)
    if (strcmp(e->regs[i].name, name) == 0) return (long)i;
  return -1;
}

static uf_status grow_regs(uf_engine *e, uf_error *err) {
  if (e->nregs < e->capregs) return UF_OK;
  size_t cap = e->capregs ? e->capregs * 2 : 8;
  registration *r = realloc(e->regs, cap * sizeof *r);
  if (r == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  e->regs = r;
  e->capregs = cap;
  return UF_OK;
}

/* The stream the engine scans: a guard around the caller's. DuckDB never
 * releases the schemas it asks for, so the guard hands out one it owns
 * (with a no-op release); and a stream is single-pass, so a second scan
 * fails loudly instead of reading nothing. */
typedef struct scan_guard {
  struct ArrowArrayStream inner;
  struct ArrowSchema schema;
  bool ended;
  char name[168];
  char error[256];
} scan_guard;

static void noop_schema_release(struct ArrowSchema *s) { s->release = NULL; }

static int guard_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
  scan_guard *g = s->private_data;
  if (g->schema.release == NULL) {
    int rc = g->inner.get_schema(&g->inner, &g->schema);
    if (rc != 0) return rc;
  }
  *out = g->schema;
  out->release = noop_schema_release;
  return 0;
}

static int guard_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
  scan_guard *g = s->private_data;
  if (g->ended) {
    out->release = NULL;
    snprintf(g->error, sizeof g->error,
             "%.160s is a single-pass Arrow stream and was scanned twice", g->name);
    return EINVAL;
  }
  int rc = g->inner.get_next(&g->inner, out);
  if (rc == 0 && out->release == NULL) g->ended = true;
  if (rc != 0) {
    const char *m = g->inner.get_last_error ? g->inner.get_last_error(&g->inner) : NULL;
    snprintf(g->error, sizeof g->error, "%s", m ? m : "Arrow stream failed");
  }
  return rc;
}

static const char *guard_last_error(struct ArrowArrayStream *s) {
  scan_guard *g = s->private_data;
  return g->error[0] ? g->error : NULL;
}

static void guard_release(struct ArrowArrayStream *s) {
  scan_guard *g = s->private_data;
  uf_arrow_schema_release(&g->schema);
  uf_arrow_stream_release(&g->inner);
  free(g);
  s->release = NULL;
}

/* Moves *stream into a new guard (stream->release NULL afterwards). */
static struct ArrowArrayStream *guard_new(const char *name,
                                          struct ArrowArrayStream *stream) {
  struct ArrowArrayStream *s = calloc(1, sizeof *s);
  scan_guard *g = calloc(1, sizeof *g);
  if (s == NULL || g == NULL) {
    free(s);
    free(g);
    stream->release(stream);
    return NULL;
  }
  g->inner = *stream;
  stream->release = NULL;
  snprintf(g->name, sizeof g->name, "%s", name ? name : "");
  s->get_schema = guard_get_schema;
  s->get_next = guard_get_next;
  s->get_last_error = guard_last_error;
  s->release = guard_release;
  s->private_data = g;
  return s;
}

/* A temporary view over a stream, through DuckDB's arrow_scan. Only ever
 * read in full (SELECT *): arrow_scan pushes filters and projections into
 * the producer, which a plain stream cannot apply, so a filtered scan of
 * the view would be wrong. register_copy reads it once into a table. */
static uf_status register_view(uf_engine *e, const char *name,
                               struct ArrowArrayStream *stream, uf_error *err) {
  if (stream == NULL || stream->release == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no stream to register");
  /* The guard lives on the heap: the engine scans it where it stays. */
  registration reg = {NULL, guard_new(name, stream)};
  if (reg.stream == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  uf_status st = UF_OK;
  if (e == NULL || e->closed || name == NULL || name[0] == '\0')
    st = uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session or name");
  else if (find_reg(e, name) >= 0)
    st = uf_error_set(err, UF_INVALID_ARGUMENT, "engine: %s is already registered", name);
  if (st == UF_OK) st = grow_regs(e, err);
  if (st == UF_OK && (reg.name = dup_str(name)) == NULL)
    st = uf_error_set(err, UF_NOMEM, "engine: out of memory");
  if (st == UF_OK) {
    end_active(e);
    st = e->vt->arrow_scan(e->s, name, reg.stream, err);
  }
  if (st != UF_OK) {
    uf_arrow_stream_release(reg.stream);
    free(reg.stream);
    free(reg.name);
    return st;
  }
  e->regs[e->nregs++] = reg;
  e->generation++;
  return UF_OK;
}

static uf_status drop_relation(uf_engine *e, const char *what, const char *name,
                               uf_error *err);

/* CREATE TEMP TABLE name AS SELECT * FROM source */
static uf_status create_temp_copy(uf_engine *e, const char *name,
                                  const char *source, uf_error *err) {
  uf_tree *t = uf_tree_new();
  uf_node *sel = t ? uf_b_select(t) : NULL;
  uf_status st = sel ? UF_OK : uf_error_set(err, UF_NOMEM, "engine: out of memory");
  if (st == UF_OK) st = uf_b_select_add(t, sel, uf_b_star(t), err);
  if (st == UF_OK) st = uf_b_select_from(t, sel, uf_b_table(t, NULL, source), err);
  uf_node *create = st == UF_OK ? uf_b_create_table_as(t, uf_b_table(t, NULL, name), sel, false) : NULL;
  if (st == UF_OK && create == NULL) st = uf_error_set(err, UF_NOMEM, "engine: out of memory");
  if (st == UF_OK) {
    create->flags |= UF_F_TEMP;
    st = run_internal(e, create, err);
  }
  uf_tree_free(t);
  return st;
}

/* A multi-pass registration: the stream is copied into a temporary table
 * (through a hidden single-pass view, dropped at once). */
static uf_status register_copy(uf_engine *e, const char *name,
                               struct ArrowArrayStream *stream, uf_error *err) {
  char hidden[160];
  snprintf(hidden, sizeof hidden, "__uf_copy_%s", name ? name : "");
  uf_status st = UF_OK;
  if (e == NULL || e->closed || name == NULL || name[0] == '\0' || strlen(name) > 120)
    st = uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session or a bad name");
  else if (find_reg(e, name) >= 0)
    st = uf_error_set(err, UF_INVALID_ARGUMENT, "engine: %s is already registered", name);
  if (st == UF_OK) st = grow_regs(e, err);
  if (st != UF_OK) {
    uf_arrow_stream_release(stream);
    return st;
  }
  st = register_view(e, hidden, stream, err);
  if (st == UF_OK) st = create_temp_copy(e, name, hidden, err);
  if (find_reg(e, hidden) >= 0) {
    uf_status un = uf_engine_arrow_unregister(e, hidden, st == UF_OK ? err : NULL);
    if (st == UF_OK) st = un;
  }
  registration reg = {dup_str(name), NULL};
  if (st == UF_OK && reg.name == NULL) {
    drop_relation(e, "TABLE", name, NULL);
    st = uf_error_set(err, UF_NOMEM, "engine: out of memory");
  }
  if (st != UF_OK) {
    free(reg.name);
    return st;
  }
  e->regs[e->nregs++] = reg;
  e->generation++;
  return UF_OK;
}

uf_status uf_engine_arrow_register(uf_engine *e, const char *name,
                                   struct ArrowArrayStream *stream,
                                   uf_error *err) {
  if (stream == NULL || stream->release == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no stream to register");
  return register_copy(e, name, stream, err);
}

uf_status uf_engine_arrow_register_table(uf_engine *e, const char *name,
                                         const uf_arrow_table *table,
                                         uf_error *err) {
  struct ArrowArrayStream s;
  uf_status st = uf_arrow_table_stream(table, &s, err);
  if (st != UF_OK) return st;
  return register_copy(e, name, &s, err);
}

/* DROP TABLE IF EXISTS temp.name (a copy), or DROP VIEW IF EXISTS name
 * (DuckDB's arrow_scan creates its view in the default schema). */
static uf_status drop_relation(uf_engine *e, const char *what, const char *name,
                               uf_error *err) {
  uf_tree *t = uf_tree_new();
  uf_node *drop = t ? uf_node_new_text(t, UF_DROP, what, strlen(what)) : NULL;
  uf_node *list = t ? uf_b_list(t) : NULL;
  uf_status st = (drop && list) ? UF_OK : uf_error_set(err, UF_NOMEM, "engine: out of memory");
  if (st == UF_OK) {
    drop->flags |= UF_F_IF_EXISTS;
    bool view = strcmp(what, "VIEW") == 0;
    st = uf_b_list_push(t, list, uf_b_table(t, view ? NULL : "temp", name), err);
  }
  if (st == UF_OK) st = uf_set(drop, UF_SLOT_LIST, list, err);
  if (st == UF_OK) st = run_internal(e, drop, err);
  uf_tree_free(t);
  return st;
}

uf_status uf_engine_arrow_unregister(uf_engine *e, const char *name,
                                     uf_error *err) {
  if (e == NULL || name == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session or name");
  long i = find_reg(e, name);
  if (i < 0) return uf_error_set(err, UF_NOT_FOUND, "engine: %s is not registered", name);
  end_active(e);
  registration r = e->regs[i];
  uf_status st = drop_relation(e, r.stream ? "VIEW" : "TABLE", name, err);
  uf_arrow_stream_release(r.stream);
  free(r.stream);
  free(r.name);
  e->regs[i] = e->regs[--e->nregs];
  e->generation++;
  return st;
}

/* -- execution records ---------------------------------------------------- */

typedef struct exec_record {
  const char *label;
  char fingerprint[UF_FINGERPRINT_HEX];
  bool has_fp;
  uf_stmt_type type;
  double t0;
  int64_t rows, bytes, batches;
  bool secret; /* CREATE SECRET: its text carries credentials */
} exec_record;

/* Credentials never leave the engine in text: for a secret the record has
 * no SQL and error messages lose the "in: <sql>" tail the adapter adds. */
static void redact_error(const exec_record *x, uf_error *err) {
  if (!x->secret || err == NULL) return;
  char *tail = strstr(err->message, "\n  in:");
  if (tail) *tail = '\0';
}

static void record(uf_engine *e, const exec_record *x, const char *sql,
                   uf_status st, const char *message) {
  if (e->profile.recorder == NULL) return;
  uf_diag_execution d = {0};
  d.name = x->label;
  d.fingerprint = x->has_fp ? x->fingerprint : NULL;
  d.sql = x->secret ? NULL : sql;
  d.statement_type = x->type != UF_STMT_TYPE_INVALID ? uf_stmt_type_name(x->type) : NULL;
  d.duration_ms = now_ms() - x->t0;
  d.rows = x->rows;
  d.bytes = x->bytes;
  d.batches = x->batches;
  d.error = st == UF_OK ? NULL : message;
  d.error_code = st == UF_OK ? NULL : uf_status_name(st);
  uf_record_execution(e->profile.recorder, &d, NULL);
}

/* -- preparing -------------------------------------------------------------- */

/* What one execution holds on the engine side. */
typedef struct execution {
  uf_ei_stmt *stmt;
  uf_ei_result *res;
  char **tvps; /* names registered for this execution */
  size_t ntvps;
} execution;

static void execution_end(uf_engine *e, execution *x) {
  e->vt->destroy_result(x->res);
  e->vt->destroy_stmt(x->stmt);
  x->res = NULL;
  x->stmt = NULL;
  for (size_t i = 0; i < x->ntvps; i++) {
    uf_engine_arrow_unregister(e, x->tvps[i], NULL);
    free(x->tvps[i]);
  }
  free(x->tvps);
  x->tvps = NULL;
  x->ntvps = 0;
}

/* Registers every table-valued parameter under its name. */
static uf_status register_tvps(uf_engine *e, const uf_bindings *params,
                               execution *x, uf_error *err) {
  size_t n = params ? uf_bindings_count(params) : 0;
  if (n == 0) return UF_OK;
  x->tvps = calloc(n, sizeof *x->tvps);
  if (x->tvps == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  for (size_t i = 0; i < n; i++) {
    if (uf_bindings_kind(params, i) == UF_BINDING_SCALAR) continue;
    const char *name = uf_bindings_name(params, i);
    struct ArrowArrayStream s;
    memset(&s, 0, sizeof s);
    uf_status st = uf_bindings_table_stream(params, i, &s, err);
    if (st == UF_OK) st = uf_engine_arrow_register(e, name, &s, err);
    if (st != UF_OK) return st;
    if ((x->tvps[x->ntvps] = dup_str(name)) == NULL) {
      uf_engine_arrow_unregister(e, name, NULL);
      return uf_error_set(err, UF_NOMEM, "engine: out of memory");
    }
    x->ntvps++;
  }
  return UF_OK;
}

static uf_status bind_params(uf_engine *e, const uf_bindings *params,
                             uf_ei_stmt *st, uf_error *err) {
  uint32_t n = e->vt->param_count(st);
  for (uint32_t i = 1; i <= n; i++) {
    const char *name = e->vt->param_name(st, i);
    long k = params ? uf_bindings_find(params, name) : -1;
    if (k < 0 || uf_bindings_kind(params, (size_t)k) != UF_BINDING_SCALAR)
      return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: parameter $%s is not bound",
                          name ? name : "?");
    uf_status s = e->vt->bind(st, i, uf_bindings_value(params, (size_t)k), err);
    if (s != UF_OK) return s;
  }
  return UF_OK;
}

/* Prepare, cross-check, register, bind, execute. On failure everything
 * the execution held is released. */
static uf_status start(uf_engine *e, const char *sql, int cls, bool is_explain,
                       const uf_bindings *params, bool stream, exec_record *rec,
                       execution *x, uf_error *err) {
  end_active(e);
  uf_status st = register_tvps(e, params, x, err);
  if (st == UF_OK) st = e->vt->prepare(e->s, sql, &x->stmt, err);
  if (st == UF_OK) {
    rec->type = e->vt->statement_type(x->stmt);
    if (!class_agrees(cls, is_explain, rec->type))
      st = uf_error_set(err, UF_POLICY,
                        "engine: statement type disagreement: the engine reports %s, "
                        "the statement was classified as %s%s; refused",
                        uf_stmt_type_name(rec->type), uf_stmt_class_name((uf_stmt_class)cls),
                        is_explain ? " (EXPLAIN)" : "");
  }
  if (st == UF_OK) st = bind_params(e, params, x->stmt, err);
  if (st == UF_OK) {
    e->last_tick = now_ms();
    st = e->vt->execute(x->stmt, stream, tick, e, &x->res, err);
  }
  if (st == UF_OK && changes_catalog(rec->type)) e->generation++;
  if (st != UF_OK) execution_end(e, x);
  return st;
}

/* -- the stream ---------------------------------------------------------------- */

struct xstream {
  uf_engine *e;
  execution x;
  bool live;                /* x holds engine objects */
  bool eof, failed;
  int failure;              /* errno of a sticky failure */
  struct ArrowSchema schema;
  uf_coalescer *co;
  exec_record rec;
  char *sql;
  char *label;
  uf_status status;         /* first failure, for the record */
  char error[UF_ERROR_MESSAGE_MAX];
};

/* Gives the session back: the engine result goes, TVPs are deregistered. */
static void xs_finish_engine(xstream *xs) {
  if (!xs->live) return;
  xs->live = false;
  if (xs->e->active == xs) xs->e->active = NULL;
  execution_end(xs->e, &xs->x);
}

static int xs_fail(xstream *xs, int code, uf_status st, const char *msg) {
  if (!xs->failed) {
    xs->failed = true;
    xs->failure = code;
    xs->status = st;
    snprintf(xs->error, sizeof xs->error, "%s", msg);
  }
  xs_finish_engine(xs);
  return xs->failure;
}

/* A new statement on the session ends the stream that held it. */
static void end_active(uf_engine *e) {
  if (e->active == NULL) return;
  xs_fail(e->active, ECANCELED, UF_ENGINE,
          "engine: stream ended: another statement ran on the session");
}

static int xs_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
  xstream *xs = s->private_data;
  uf_error err;
  if (uf_arrow_schema_copy(&xs->schema, out, &err) != UF_OK) {
    snprintf(xs->error, sizeof xs->error, "%s", err.message);
    return ENOMEM;
  }
  return 0;
}

/* Fetches engine chunks until a full batch is held or the result ends. */
static int xs_fill(xstream *xs) {
  uf_engine *e = xs->e;
  uf_error err;
  while (!xs->eof && !uf_coalescer_ready(xs->co)) {
    struct ArrowArray chunk;
    bool interrupted = false;
    if (e->vt->fetch(xs->x.res, &chunk, &interrupted, &err) != UF_OK)
      return xs_fail(xs, interrupted ? ECANCELED : EIO, err.code, err.message);
    tick(e);
    if (chunk.release == NULL) {
      xs->eof = true;
      xs_finish_engine(xs);
    } else if (uf_coalescer_push(xs->co, &chunk, &err) != UF_OK) {
      return xs_fail(xs, ENOMEM, err.code, err.message);
    }
  }
  return 0;
}

static int xs_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
  xstream *xs = s->private_data;
  memset(out, 0, sizeof *out);
  if (xs->failed) return xs->failure;
  int rc = xs_fill(xs);
  if (rc != 0) return rc;
  uf_error err;
  if (uf_coalescer_pop(xs->co, out, &err) != UF_OK)
    return xs_fail(xs, ENOMEM, err.code, err.message);
  if (out->release != NULL) {
    xs->rec.rows += out->length;
    xs->rec.batches++;
    int64_t b = uf_arrow_array_bytes(&xs->schema, out);
    if (b >= 0 && xs->rec.bytes >= 0) xs->rec.bytes += b;
  }
  return 0;
}

static const char *xs_last_error(struct ArrowArrayStream *s) {
  xstream *xs = s->private_data;
  return xs->error[0] ? xs->error : NULL;
}

static void xs_free(xstream *xs) {
  uf_coalescer_free(xs->co);
  uf_arrow_schema_release(&xs->schema);
  free(xs->sql);
  free(xs->label);
  free(xs);
}

static void xs_release(struct ArrowArrayStream *s) {
  xstream *xs = s->private_data;
  s->release = NULL;
  if (xs == NULL) return;
  xs_finish_engine(xs);
  uf_engine *e = xs->e;
  record(e, &xs->rec, xs->sql, xs->failed ? xs->status : UF_OK, xs->error);
  xs_free(xs);
  engine_unref(e);
}

/* -- execute / run ------------------------------------------------------------ */

static uint64_t batch_rows_of(const uf_engine *e, const uf_exec_options *opts) {
  return (opts && opts->batch_rows) ? opts->batch_rows : e->profile.batch_rows;
}

static uf_status open_stream(uf_engine *e, const char *sql, int cls,
                             bool is_explain, const uf_bindings *params,
                             const uf_exec_options *opts, exec_record *rec,
                             struct ArrowArrayStream *out, uf_error *err) {
  xstream *xs = calloc(1, sizeof *xs);
  if (xs == NULL) return uf_error_set(err, UF_NOMEM, "engine: out of memory");
  xs->e = e;
  xs->sql = dup_str(sql);
  xs->label = dup_str(rec->label);
  xs->rec = *rec;
  xs->rec.label = xs->label;
  uf_status st = (xs->sql && (rec->label == NULL || xs->label))
                     ? UF_OK : uf_error_set(err, UF_NOMEM, "engine: out of memory");
  if (st == UF_OK)
    st = start(e, sql, cls, is_explain, params, true, &xs->rec, &xs->x, err);
  if (st == UF_OK) {
    xs->live = true;
    st = e->vt->result_schema(xs->x.res, &xs->schema, err);
  }
  if (st == UF_OK) st = uf_coalescer_new(&xs->schema, batch_rows_of(e, opts), &xs->co, err);
  if (st != UF_OK) {
    rec->type = xs->rec.type;
    if (xs->live) execution_end(e, &xs->x);
    xs_free(xs);
    return st;
  }
  e->active = xs;
  e->refs++;
  out->get_schema = xs_get_schema;
  out->get_next = xs_get_next;
  out->get_last_error = xs_last_error;
  out->release = xs_release;
  out->private_data = xs;
  return UF_OK;
}

uf_status uf_engine_execute_rendered(uf_engine *e, const char *sql, int claimed,
                                     bool is_explain, const uf_bindings *params,
                                     const uf_exec_options *opts,
                                     struct ArrowArrayStream *out, uf_error *err) {
  if (out) memset(out, 0, sizeof *out);
  if (e == NULL || sql == NULL || out == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session, statement or output");
  exec_record rec = {0};
  rec.label = opts ? opts->label : NULL;
  rec.t0 = now_ms();
  uf_status st = open_stream(e, sql, claimed, is_explain, params, opts, &rec, out, err);
  if (st != UF_OK) record(e, &rec, sql, st, err ? err->message : "failed");
  return st;
}

/* Checks and renders a statement node: its class, EXPLAIN-ness, SQL. */
static uf_status prepare_node(const uf_node *stmt, const uf_bindings *params,
                              const uf_exec_options *opts, int *cls,
                              bool *is_explain, exec_record *rec, char **sql,
                              uf_error *err) {
  if (opts && opts->policy) {
    /* The gate sees the whole input, so a hidden second statement is
     * reported as a violation rather than as a usage error. */
    uf_status gst = uf_safety_check(stmt, opts->policy, NULL, err);
    if (gst != UF_OK) return gst;
  }
  const uf_node *one = single_statement(stmt);
  if (one == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "engine: one statement per execution (got a script of %u)",
                        (unsigned)stmt->nkids);
  rec->secret = uf_is(one, UF_CREATE_SECRET);
  uf_status st = uf_bindings_check(params, one, err);
  if (st != UF_OK) return st;
  *cls = (int)uf_classify_statement(one);
  *is_explain = uf_is(one, UF_EXPLAIN);
  if (opts && opts->fingerprint && strlen(opts->fingerprint) == UF_FINGERPRINT_HEX - 1) {
    memcpy(rec->fingerprint, opts->fingerprint, UF_FINGERPRINT_HEX);
    rec->has_fp = true;
  } else {
    rec->has_fp = uf_fingerprint_hex(one, uf_dialect_duckdb(), rec->fingerprint, NULL) == UF_OK;
  }
  return render(one, sql, err);
}

uf_status uf_engine_execute(uf_engine *e, const uf_node *stmt,
                            const uf_bindings *params,
                            const uf_exec_options *opts,
                            struct ArrowArrayStream *out, uf_error *err) {
  if (out) memset(out, 0, sizeof *out);
  if (e == NULL || e->closed || stmt == NULL || out == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session, statement or output");
  exec_record rec = {0};
  rec.label = opts ? opts->label : NULL;
  rec.t0 = now_ms();
  int cls = 0;
  bool is_explain = false;
  char *sql = NULL;
  uf_status st = prepare_node(stmt, params, opts, &cls, &is_explain, &rec, &sql, err);
  if (st == UF_OK) st = open_stream(e, sql, cls, is_explain, params, opts, &rec, out, err);
  if (st != UF_OK) redact_error(&rec, err);
  if (st != UF_OK) record(e, &rec, sql, st, err ? err->message : "failed");
  uf_free(sql);
  return st;
}

static bool returns_count(uf_stmt_type t) {
  return t == UF_STMT_TYPE_INSERT || t == UF_STMT_TYPE_UPDATE ||
         t == UF_STMT_TYPE_DELETE || t == UF_STMT_TYPE_COPY;
}

static bool returns_rows(uf_stmt_type t) {
  return t == UF_STMT_TYPE_SELECT || t == UF_STMT_TYPE_EXPLAIN ||
         t == UF_STMT_TYPE_CALL || t == UF_STMT_TYPE_PRAGMA ||
         t == UF_STMT_TYPE_EXECUTE;
}

/* Reads a materialized result to its end, counting rows. */
static uf_status count_rows(uf_engine *e, uf_ei_result *r, int64_t *rows,
                            uf_error *err) {
  for (;;) {
    struct ArrowArray a;
    bool interrupted;
    uf_status st = e->vt->fetch(r, &a, &interrupted, err);
    if (st != UF_OK || a.release == NULL) return st;
    *rows += a.length;
    a.release(&a);
  }
}

uf_status uf_engine_run(uf_engine *e, const uf_node *stmt,
                        const uf_bindings *params, const uf_exec_options *opts,
                        uint64_t *out_rows, uf_error *err) {
  if (out_rows) *out_rows = 0;
  if (e == NULL || e->closed || stmt == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session or statement");
  exec_record rec = {0};
  rec.label = opts ? opts->label : NULL;
  rec.t0 = now_ms();
  rec.bytes = -1;
  rec.batches = -1;
  int cls = 0;
  bool is_explain = false;
  char *sql = NULL;
  execution x = {0};
  uf_status st = prepare_node(stmt, params, opts, &cls, &is_explain, &rec, &sql, err);
  if (st == UF_OK) st = start(e, sql, cls, is_explain, params, false, &rec, &x, err);
  if (st == UF_OK && returns_count(rec.type)) rec.rows = (int64_t)e->vt->rows_changed(x.res);
  else if (st == UF_OK && returns_rows(rec.type)) st = count_rows(e, x.res, &rec.rows, err);
  execution_end(e, &x);
  if (st == UF_OK && out_rows) *out_rows = (uint64_t)rec.rows;
  if (st != UF_OK) redact_error(&rec, err);
  record(e, &rec, sql, st, err ? err->message : "failed");
  uf_free(sql);
  return st;
}

uf_status uf_engine_statement_type(uf_engine *e, const uf_node *stmt,
                                   uf_stmt_type *out, uf_error *err) {
  if (out) *out = UF_STMT_TYPE_INVALID;
  if (e == NULL || stmt == NULL || out == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session, statement or output");
  const uf_node *one = single_statement(stmt);
  if (one == NULL) {
    *out = UF_STMT_TYPE_MULTI;
    return UF_OK;
  }
  char *sql = NULL;
  uf_status st = render(one, &sql, err);
  uf_ei_stmt *ps = NULL;
  if (st == UF_OK) {
    end_active(e);
    st = e->vt->prepare(e->s, sql, &ps, err);
  }
  if (st == UF_OK) *out = e->vt->statement_type(ps);
  e->vt->destroy_stmt(ps);
  uf_free(sql);
  return st;
}

void uf_engine_names_free(char **names, size_t n) {
  if (names == NULL) return;
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
}

uf_status uf_engine_output_names(uf_engine *e, const uf_node *stmt,
                                 char ***out_names, size_t *out_n,
                                 uf_error *err) {
  if (out_names) *out_names = NULL;
  if (out_n) *out_n = 0;
  if (e == NULL || e->closed || stmt == NULL || out_names == NULL || out_n == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session, statement or output");
  const uf_node *one = single_statement(stmt);
  if (one == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: one statement expected");
  char *sql = NULL;
  uf_status st = render(one, &sql, err);
  uf_ei_stmt *ps = NULL;
  if (st == UF_OK) {
    end_active(e);
    st = e->vt->prepare(e->s, sql, &ps, err);
  }
  char **names = NULL;
  uint32_t n = 0;
  if (st == UF_OK) {
    n = e->vt->column_count(ps);
    names = calloc(n ? n : 1, sizeof *names);
    if (names == NULL) st = uf_error_set(err, UF_NOMEM, "engine: out of memory");
    for (uint32_t i = 0; st == UF_OK && i < n; i++) {
      names[i] = e->vt->column_name(ps, i);
      if (names[i] == NULL) st = uf_error_set(err, UF_NOMEM, "engine: out of memory");
    }
  }
  e->vt->destroy_stmt(ps);
  uf_free(sql);
  if (st != UF_OK) {
    uf_engine_names_free(names, n);
    return st;
  }
  *out_names = names;
  *out_n = n;
  return UF_OK;
}

/* -- text results ---------------------------------------------------------------- */

uf_status uf_engine_exec(uf_engine *e, const uf_node *stmt,
                         uf_result_text **out, uf_error *err) {
  if (out) *out = NULL;
  if (e == NULL || stmt == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session or statement");
  char *sql = NULL;
  uf_status st = render(stmt, &sql, err);
  if (st != UF_OK) return st;
  end_active(e);
  st = e->vt->exec_text(e->s, sql, uf_query_is_ordered(stmt), out, err);
  const uf_node *one = single_statement(stmt);
  if (st == UF_OK && (one == NULL || uf_classify_statement(one) != UF_STMT_QUERY))
    e->generation++;
  uf_free(sql);
  return st;
}

uf_status uf_engine_oracle_exec_text(uf_engine *e, const char *sql,
                                     bool ordered, uf_result_text **out,
                                     uf_error *err) {
  if (out) *out = NULL;
  if (e == NULL || sql == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "engine: no session or text");
  end_active(e);
  e->generation++; /* verbatim text may be anything */
  return e->vt->exec_text(e->s, sql, ordered, out, err);
}
