/*
 * Binding sets: named scalar values and table-valued parameters, their
 * checks against a statement, and the command-line `NAME[:TYPE]=VALUE`
 * form. Engine-agnostic: the engine reads a set through the accessors.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/grow.h"
#include "core/sbuf.h"
#include "unifier/params.h"

typedef struct entry {
  char *name;
  uf_binding_kind kind;
  uf_value v;           /* SCALAR; v.text points into `buf` */
  char *buf;
  struct ArrowArrayStream stream;   /* STREAM; release NULL once taken */
  struct ArrowSchema schema;        /* TABLE */
  struct ArrowArray *arrays;        /* TABLE: n batches */
  size_t narrays;
} entry;

struct uf_bindings {
  entry *e;
  size_t n, cap;
};

/* -- names ---------------------------------------------------------------- */

bool uf_param_name_valid(const char *name) {
  if (!name || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
    return false;
  size_t i = 1;
  for (; name[i]; i++)
    if (!(isalnum((unsigned char)name[i]) || name[i] == '_')) return false;
  return i <= UF_PARAM_NAME_MAX;
}

uf_status uf_param_name_check(const char *name, uf_error *err) {
  if (uf_param_name_valid(name)) return UF_OK;
  return uf_error_set(err, UF_INVALID_ARGUMENT,
                      "invalid parameter name '%.64s': names match "
                      "[A-Za-z_][A-Za-z0-9_]* (at most %d bytes)",
                      name ? name : "(null)", UF_PARAM_NAME_MAX);
}

static const char *const type_names[UF_VALUE_TYPE_COUNT] = {
    "NULL", "BOOLEAN", "BIGINT", "DOUBLE", "VARCHAR",
    "DATE", "TIME", "TIMESTAMP", "DECIMAL", "BLOB"};

const char *uf_value_type_name(uf_value_type t) {
  return (unsigned)t < UF_VALUE_TYPE_COUNT ? type_names[t] : "UNKNOWN";
}

/* -- the set -------------------------------------------------------------- */

uf_status uf_bindings_new(uf_bindings **out, uf_error *err) {
  if (!out) return uf_error_set(err, UF_INVALID_ARGUMENT, "out is NULL");
  *out = calloc(1, sizeof **out);
  if (!*out) return uf_error_set(err, UF_NOMEM, "out of memory");
  return UF_OK;
}

static void entry_clear(entry *x) {
  free(x->name);
  free(x->buf);
  if (x->stream.release) x->stream.release(&x->stream);
  if (x->schema.release) x->schema.release(&x->schema);
  for (size_t i = 0; i < x->narrays; i++)
    if (x->arrays[i].release) x->arrays[i].release(&x->arrays[i]);
  free(x->arrays);
  memset(x, 0, sizeof *x);
}

void uf_bindings_free(uf_bindings *b) {
  if (!b) return;
  for (size_t i = 0; i < b->n; i++) entry_clear(&b->e[i]);
  free(b->e);
  free(b);
}

long uf_bindings_find(const uf_bindings *b, const char *name) {
  if (!b || !name) return -1;
  for (size_t i = 0; i < b->n; i++)
    if (strcasecmp(b->e[i].name, name) == 0) return (long)i;
  return -1;
}

/* Appends a zeroed entry named `name` after the name and duplicate checks. */
static entry *add_entry(uf_bindings *b, const char *name, uf_error *err) {
  if (!b) {
    uf_error_set(err, UF_INVALID_ARGUMENT, "binding set is NULL");
    return NULL;
  }
  if (uf_param_name_check(name, err) != UF_OK) return NULL;
  if (uf_bindings_find(b, name) >= 0) {
    uf_error_set(err, UF_INVALID_ARGUMENT,
                 "parameter '%s' is already bound", name);
    return NULL;
  }
  entry *e = uf_grow(b->e, b->n, &b->cap, sizeof *e, 8);
  if (!e) {
    uf_error_set(err, UF_NOMEM, "out of memory");
    return NULL;
  }
  b->e = e;
  entry *x = &b->e[b->n];
  memset(x, 0, sizeof *x);
  x->name = strdup(name);
  if (!x->name) {
    uf_error_set(err, UF_NOMEM, "out of memory");
    return NULL;
  }
  b->n++;
  return x;
}

uf_status uf_bindings_set_value(uf_bindings *b, const char *name,
                                const uf_value *v, uf_error *err) {
  if (!v || (unsigned)v->type >= UF_VALUE_TYPE_COUNT)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "invalid value");
  if (v->len && !v->text)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "value text is NULL");
  char *buf = NULL;
  if (v->text) {
    buf = malloc(v->len + 1);
    if (!buf) return uf_error_set(err, UF_NOMEM, "out of memory");
    if (v->len) memcpy(buf, v->text, v->len);
    buf[v->len] = '\0';
  }
  entry *x = add_entry(b, name, err);
  if (!x) {
    free(buf);
    return err ? err->code : UF_INVALID_ARGUMENT;
  }
  x->kind = UF_BINDING_SCALAR;
  x->v = *v;
  x->buf = buf;
  x->v.text = buf;
  return UF_OK;
}

uf_status uf_bindings_set_null(uf_bindings *b, const char *name,
                               uf_error *err) {
  uf_value v = {.type = UF_VALUE_NULL};
  return uf_bindings_set_value(b, name, &v, err);
}

uf_status uf_bindings_set_bool(uf_bindings *b, const char *name, bool val,
                               uf_error *err) {
  uf_value v = {.type = UF_VALUE_BOOLEAN, .b = val};
  return uf_bindings_set_value(b, name, &v, err);
}

uf_status uf_bindings_set_int(uf_bindings *b, const char *name, int64_t val,
                              uf_error *err) {
  uf_value v = {.type = UF_VALUE_BIGINT, .i = val};
  return uf_bindings_set_value(b, name, &v, err);
}

uf_status uf_bindings_set_double(uf_bindings *b, const char *name,
                                 double val, uf_error *err) {
  uf_value v = {.type = UF_VALUE_DOUBLE, .d = val};
  return uf_bindings_set_value(b, name, &v, err);
}

uf_status uf_bindings_set_varchar(uf_bindings *b, const char *name,
                                  const char *s, size_t len, uf_error *err) {
  uf_value v = {.type = UF_VALUE_VARCHAR, .text = s ? s : "", .len = len};
  if (!s && len) return uf_error_set(err, UF_INVALID_ARGUMENT, "s is NULL");
  return uf_bindings_set_value(b, name, &v, err);
}

uf_status uf_bindings_set_blob(uf_bindings *b, const char *name,
                               const void *data, size_t len, uf_error *err) {
  uf_value v = {.type = UF_VALUE_BLOB, .text = data ? data : "", .len = len};
  if (!data && len)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "data is NULL");
  return uf_bindings_set_value(b, name, &v, err);
}

/* -- dates, times, decimals ----------------------------------------------- */

/* Reads exactly `n` digits at *p into *out; advances p. */
static bool digits(const char **p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)(*p)[i])) return false;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *out = v;
  return true;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* YYYY-MM-DD; returns the end or NULL. */
static const char *parse_date(const char *s, int64_t *days) {
  int y, m, d;
  const char *p = s;
  if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &m) ||
      *p++ != '-' || !digits(&p, 2, &d))
    return NULL;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return NULL;
  if (d > mdays[m - 1] + (m == 2 && leap(y))) return NULL;
  *days = days_from_civil(y, m, d);
  return p;
}

/* HH:MM:SS[.ffffff]; returns the end or NULL. */
static const char *parse_time(const char *s, int64_t *micros) {
  int h, mi, se;
  const char *p = s;
  if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) ||
      *p++ != ':' || !digits(&p, 2, &se))
    return NULL;
  if (h > 23 || mi > 59 || se > 59) return NULL;
  int64_t frac = 0;
  if (*p == '.') {
    p++;
    int nd = 0;
    while (isdigit((unsigned char)*p)) {
      if (nd < 6) frac = frac * 10 + (*p - '0');
      nd++;
      p++;
    }
    if (nd == 0) return NULL;
    for (; nd < 6; nd++) frac *= 10;
  }
  *micros = ((int64_t)h * 3600 + mi * 60 + se) * 1000000 + frac;
  return p;
}

/* Stores a validated temporal value with its text. */
static uf_status set_temporal(uf_bindings *b, const char *name,
                              uf_value_type t, const char *iso,
                              uf_error *err) {
  if (!iso) return uf_error_set(err, UF_INVALID_ARGUMENT, "value is NULL");
  int64_t days = 0, micros = 0;
  const char *end = NULL;
  if (t == UF_VALUE_DATE) {
    end = parse_date(iso, &days);
  } else if (t == UF_VALUE_TIME) {
    end = parse_time(iso, &micros);
  } else {
    end = parse_date(iso, &days);
    if (end && *end == '\0') {
      micros = 0; /* a date alone is midnight */
    } else if (end && (*end == ' ' || *end == 'T')) {
      end = parse_time(end + 1, &micros);
    } else {
      end = NULL;
    }
  }
  if (!end || *end != '\0')
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "parameter '%s': invalid %s value '%.64s'",
                        name ? name : "", uf_value_type_name(t), iso);
  uf_value v = {.type = t, .text = iso, .len = strlen(iso)};
  v.i = t == UF_VALUE_DATE   ? days
        : t == UF_VALUE_TIME ? micros
                             : days * 86400 * (int64_t)1000000 + micros;
  return uf_bindings_set_value(b, name, &v, err);
}

uf_status uf_bindings_set_date(uf_bindings *b, const char *name,
                               const char *iso, uf_error *err) {
  return set_temporal(b, name, UF_VALUE_DATE, iso, err);
}

uf_status uf_bindings_set_time(uf_bindings *b, const char *name,
                               const char *iso, uf_error *err) {
  return set_temporal(b, name, UF_VALUE_TIME, iso, err);
}

uf_status uf_bindings_set_timestamp(uf_bindings *b, const char *name,
                                    const char *iso, uf_error *err) {
  return set_temporal(b, name, UF_VALUE_TIMESTAMP, iso, err);
}

/* *u = *u * 10 + digit; true on 64-bit overflow. */
static bool acc10(uint64_t *u, char digit) {
  uint64_t d = (uint64_t)(digit - '0');
  if (*u > (UINT64_MAX - d) / 10) return true;
  *u = *u * 10 + d;
  return false;
}

/* Canonicalizes "[+-]d*[.d*]" to exactly `scale` fractional digits. */
uf_status uf_bindings_set_decimal(uf_bindings *b, const char *name,
                                  const char *text, uint8_t width,
                                  uint8_t scale, uf_error *err) {
  if (!text) return uf_error_set(err, UF_INVALID_ARGUMENT, "value is NULL");
  const char *p = text;
  bool neg = false;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  const char *ip = p;
  while (isdigit((unsigned char)*p)) p++;
  size_t nint = (size_t)(p - ip);
  const char *fp = NULL;
  size_t nfrac = 0;
  if (*p == '.') {
    fp = ++p;
    while (isdigit((unsigned char)*p)) p++;
    nfrac = (size_t)(p - fp);
  }
  while (nint > 1 && *ip == '0') ip++, nint--; /* leading zeros */
  if (*p != '\0' || nint + nfrac == 0)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "parameter '%s': invalid DECIMAL value '%.64s'",
                        name ? name : "", text);
  if (width == 0) { /* as written */
    scale = (uint8_t)(nfrac > 38 ? 38 : nfrac);
    size_t w = nint + scale;
    width = (uint8_t)(w < 1 ? 1 : w > 38 ? 38 : w);
    if (width < scale) width = scale;
  }
  if (width > 38 || scale > width)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "parameter '%s': invalid DECIMAL(%u,%u)",
                        name ? name : "", width, scale);
  size_t sig = (nint == 1 && *ip == '0') ? 0 : nint;
  for (size_t i = scale; i < nfrac; i++)
    if (fp[i] != '0')
      return uf_error_set(err, UF_INVALID_ARGUMENT,
                          "parameter '%s': '%.64s' has more than %u decimal "
                          "places", name ? name : "", text, scale);
  if (sig + scale > width)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "parameter '%s': '%.64s' does not fit DECIMAL(%u,%u)",
                        name ? name : "", text, width, scale);
  char buf[96];
  size_t n = 0;
  uint64_t un = 0;
  bool over = false;
  if (neg) buf[n++] = '-';
  if (nint == 0) buf[n++] = '0';
  for (size_t i = 0; i < nint; i++) {
    buf[n++] = ip[i];
    over = over || acc10(&un, ip[i]);
  }
  if (scale) buf[n++] = '.';
  for (size_t i = 0; i < scale; i++) {
    char c = i < nfrac ? fp[i] : '0';
    buf[n++] = c;
    over = over || acc10(&un, c);
  }
  buf[n] = '\0';
  uf_value v = {.type = UF_VALUE_DECIMAL, .text = buf, .len = n,
                .width = width, .scale = scale};
  if (!over && un <= (uint64_t)INT64_MAX) {
    v.decimal_fits = true;
    v.i = neg ? -(int64_t)un : (int64_t)un;
  }
  if (neg && un == 0) { /* -0 is 0 */
    memmove(buf, buf + 1, n);
    v.len = n - 1;
  }
  return uf_bindings_set_value(b, name, &v, err);
}

/* -- table-valued parameters ---------------------------------------------- */

uf_status uf_bindings_set_stream(uf_bindings *b, const char *name,
                                 struct ArrowArrayStream *stream,
                                 uf_error *err) {
  if (!stream || !stream->release) {
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "parameter '%s': stream is NULL or released",
                        name ? name : "");
  }
  struct ArrowArrayStream moved = *stream;
  stream->release = NULL;
  entry *x = add_entry(b, name, err);
  if (!x) {
    moved.release(&moved);
    return err ? err->code : UF_INVALID_ARGUMENT;
  }
  x->kind = UF_BINDING_STREAM;
  x->stream = moved;
  return UF_OK;
}

static void release_arrays(struct ArrowArray *a, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a && a[i].release) a[i].release(&a[i]);
}

uf_status uf_bindings_set_table(uf_bindings *b, const char *name,
                                struct ArrowSchema *schema,
                                struct ArrowArray *arrays, size_t n,
                                uf_error *err) {
  if (!schema || !schema->release || (n && !arrays)) {
    if (schema && schema->release) schema->release(schema);
    release_arrays(arrays, n);
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "parameter '%s': schema or arrays missing",
                        name ? name : "");
  }
  struct ArrowArray *copy = n ? malloc(n * sizeof *copy) : NULL;
  entry *x = (n && !copy) ? NULL : add_entry(b, name, err);
  if (!x) {
    if (n && !copy) uf_error_set(err, UF_NOMEM, "out of memory");
    free(copy);
    schema->release(schema);
    release_arrays(arrays, n);
    return err ? err->code : UF_NOMEM;
  }
  x->kind = UF_BINDING_TABLE;
  x->schema = *schema;
  schema->release = NULL;
  for (size_t i = 0; i < n; i++) {
    copy[i] = arrays[i];
    arrays[i].release = NULL;
  }
  x->arrays = copy;
  x->narrays = n;
  return UF_OK;
}

/* -- merge ---------------------------------------------------------------- */

uf_status uf_bindings_merge(uf_bindings *dst, uf_bindings *src,
                            uf_error *err) {
  if (!dst) {
    uf_bindings_free(src);
    return uf_error_set(err, UF_INVALID_ARGUMENT, "dst is NULL");
  }
  if (!src) return UF_OK;
  for (size_t i = 0; i < src->n; i++) {
    if (uf_bindings_find(dst, src->e[i].name) >= 0) {
      uf_error_set(err, UF_INVALID_ARGUMENT,
                   "parameter '%s' is bound in both sets", src->e[i].name);
      uf_bindings_free(src);
      return UF_INVALID_ARGUMENT;
    }
    /* a set holds no duplicates itself, so only dst needs checking */
  }
  if (dst->n + src->n > dst->cap) {
    size_t cap = dst->n + src->n;
    entry *e = realloc(dst->e, cap * sizeof *e);
    if (!e) {
      uf_bindings_free(src);
      return uf_error_set(err, UF_NOMEM, "out of memory");
    }
    dst->e = e;
    dst->cap = cap;
  }
  memcpy(dst->e + dst->n, src->e, src->n * sizeof *src->e);
  dst->n += src->n;
  free(src->e);
  free(src);
  return UF_OK;
}

/* -- accessors ------------------------------------------------------------ */

size_t uf_bindings_count(const uf_bindings *b) { return b ? b->n : 0; }

const char *uf_bindings_name(const uf_bindings *b, size_t i) {
  return b && i < b->n ? b->e[i].name : NULL;
}

uf_binding_kind uf_bindings_kind(const uf_bindings *b, size_t i) {
  return b && i < b->n ? b->e[i].kind : UF_BINDING_SCALAR;
}

const uf_value *uf_bindings_value(const uf_bindings *b, size_t i) {
  if (!b || i >= b->n || b->e[i].kind != UF_BINDING_SCALAR) return NULL;
  return &b->e[i].v;
}

static size_t count_kind(const uf_bindings *b, bool scalar) {
  size_t c = 0;
  for (size_t i = 0; b && i < b->n; i++)
    c += (b->e[i].kind == UF_BINDING_SCALAR) == scalar;
  return c;
}

size_t uf_bindings_scalar_count(const uf_bindings *b) {
  return count_kind(b, true);
}

size_t uf_bindings_table_count(const uf_bindings *b) {
  return count_kind(b, false);
}

/* A stream over a materialized table: schema and arrays are shallow copies
 * whose release only marks them released; the buffers stay the set's. */
typedef struct table_stream {
  const entry *x;
  size_t next;
} table_stream;

static void noop_schema_release(struct ArrowSchema *s) { s->release = NULL; }
static void noop_array_release(struct ArrowArray *a) { a->release = NULL; }

static int ts_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
  const table_stream *ts = s->private_data;
  *out = ts->x->schema;
  out->release = noop_schema_release;
  out->private_data = NULL;
  return 0;
}

static int ts_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
  table_stream *ts = s->private_data;
  if (ts->next >= ts->x->narrays) {
    memset(out, 0, sizeof *out); /* end of stream: released array */
    return 0;
  }
  *out = ts->x->arrays[ts->next++];
  out->release = noop_array_release;
  out->private_data = NULL;
  return 0;
}

static const char *ts_last_error(struct ArrowArrayStream *s) {
  (void)s;
  return NULL;
}

static void ts_release(struct ArrowArrayStream *s) {
  free(s->private_data);
  s->private_data = NULL;
  s->release = NULL;
}

uf_status uf_bindings_table_stream(const uf_bindings *b, size_t i,
                                   struct ArrowArrayStream *out,
                                   uf_error *err) {
  if (out) memset(out, 0, sizeof *out);
  if (!b || !out || i >= b->n || b->e[i].kind == UF_BINDING_SCALAR)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "entry %zu is not a table-valued parameter", i);
  entry *x = &b->e[i]; /* a stream entry is consumed: the set is logically
                          const, its one-shot stream is not */
  if (x->kind == UF_BINDING_STREAM) {
    if (!x->stream.release)
      return uf_error_set(err, UF_INVALID_ARGUMENT,
                          "table parameter '%s': its stream was already "
                          "consumed", x->name);
    *out = x->stream;
    x->stream.release = NULL;
    return UF_OK;
  }
  table_stream *ts = calloc(1, sizeof *ts);
  if (!ts) return uf_error_set(err, UF_NOMEM, "out of memory");
  ts->x = x;
  out->get_schema = ts_get_schema;
  out->get_next = ts_get_next;
  out->get_last_error = ts_last_error;
  out->release = ts_release;
  out->private_data = ts;
  return UF_OK;
}

/* -- checking a statement against a set ----------------------------------- */

typedef struct check_ctx {
  const uf_bindings *b;
  bool *used;
  uf_sbuf msg;
  uint32_t nproblems;
  const uf_node *first;   /* position of the first problem */
} check_ctx;

static void problem(check_ctx *c, const uf_node *n, const char *fmt,
                    const char *arg) {
  if (c->nproblems++ == 0) c->first = n;
  else uf_sbuf_adds(&c->msg, "; ");
  if (c->nproblems > 20) {
    if (c->nproblems == 21) uf_sbuf_adds(&c->msg, "...");
    return;
  }
  uf_sbuf_addf(&c->msg, fmt, arg);
  if (n->line) uf_sbuf_addf(&c->msg, " at %u:%u", n->line, n->col);
}

static bool all_digits(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s)) return false;
  return true;
}

static void check_param(check_ctx *c, const uf_node *n) {
  const char *name = n->text;
  if (name[0] == '\0' || all_digits(name)) {
    problem(c, n, "positional parameter %s is not supported (use $name)",
            name[0] ? (n->style == 1 ? "?N" : "$N") : "?");
    return;
  }
  long i = uf_bindings_find(c->b, name);
  if (i < 0) {
    problem(c, n, "missing parameter $%s", name);
  } else if (c->b->e[i].kind != UF_BINDING_SCALAR) {
    problem(c, n, "$%s names a table-valued parameter (use it as a table)",
            name);
  } else {
    c->used[i] = true;
  }
}

/* An unqualified table name matching a table-valued entry uses it. */
static void check_table(check_ctx *c, const uf_node *n) {
  const uf_node *id = uf_get(n, UF_SLOT_THIS);
  if (!uf_is(id, UF_IDENT) || uf_get(n, UF_SLOT_DB) || uf_get(n, UF_SLOT_CATALOG))
    return;
  long i = uf_bindings_find(c->b, id->text);
  if (i >= 0 && c->b->e[i].kind != UF_BINDING_SCALAR) c->used[i] = true;
}

static int check_visit(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  check_ctx *c = ctx;
  if (n->kind == UF_PARAM) check_param(c, n);
  else if (n->kind == UF_TABLE) check_table(c, n);
  return 0;
}

uf_status uf_bindings_check(const uf_bindings *b, const uf_node *stmt,
                            uf_error *err) {
  if (!stmt) return uf_error_set(err, UF_INVALID_ARGUMENT, "stmt is NULL");
  static const uf_bindings empty = {0};
  check_ctx c = {.b = b ? b : &empty};
  c.used = calloc(c.b->n + 1, sizeof *c.used);
  if (!c.used) return uf_error_set(err, UF_NOMEM, "out of memory");
  uf_sbuf_init(&c.msg);
  uf_walk((uf_node *)stmt, check_visit, &c);
  for (size_t i = 0; i < c.b->n; i++) {
    if (c.used[i]) continue;
    const char *fmt = c.b->e[i].kind == UF_BINDING_SCALAR
                          ? "unknown parameter $%s (not used by the statement)"
                          : "unknown table parameter %s (not used as a table "
                            "by the statement)";
    if (c.nproblems++ == 0) c.first = NULL;
    else uf_sbuf_adds(&c.msg, "; ");
    if (c.nproblems <= 20) uf_sbuf_addf(&c.msg, fmt, c.b->e[i].name);
  }
  free(c.used);
  uf_status st = UF_OK;
  if (c.msg.oom) {
    st = uf_error_set(err, UF_NOMEM, "out of memory");
  } else if (c.nproblems) {
    st = uf_error_set(err, UF_INVALID_ARGUMENT, "parameters: %s",
                      c.msg.data ? c.msg.data : "");
    if (err && c.first) {
      err->line = c.first->line;
      err->column = c.first->col;
    }
  }
  uf_sbuf_free(&c.msg);
  return st;
}

/* -- command-line forms --------------------------------------------------- */

static bool is_int(const char *s) {
  if (*s == '+' || *s == '-') s++;
  return all_digits(s);
}

static bool is_plain_decimal(const char *s) {
  if (*s == '+' || *s == '-') s++;
  size_t nd = 0;
  while (isdigit((unsigned char)*s)) s++, nd++;
  if (*s != '.') return false;
  s++;
  while (isdigit((unsigned char)*s)) s++, nd++;
  return *s == '\0' && nd > 0;
}

/* strtod over the whole text, rejecting hex floats and empty input. */
static bool parse_double(const char *s, double *out) {
  if (!*s || strchr(s, 'x') || strchr(s, 'X') || isspace((unsigned char)*s))
    return false;
  char *end;
  errno = 0;
  *out = strtod(s, &end);
  return *end == '\0' && errno != ERANGE;
}

static bool parse_int(const char *s, int64_t *out) {
  if (!is_int(s)) return false;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (*end || errno == ERANGE) return false;
  *out = v;
  return true;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static uf_status set_blob_hex(uf_bindings *b, const char *name,
                              const char *hex, uf_error *err) {
  size_t n = strlen(hex);
  if (n >= 2 && hex[0] == '\\' && (hex[1] == 'x' || hex[1] == 'X'))
    hex += 2, n -= 2;
  if (n % 2)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "parameter '%s': BLOB value needs an even number of "
                        "hex digits", name);
  unsigned char *buf = malloc(n / 2 + 1);
  if (!buf) return uf_error_set(err, UF_NOMEM, "out of memory");
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      free(buf);
      return uf_error_set(err, UF_INVALID_ARGUMENT,
                          "parameter '%s': BLOB value is not hex", name);
    }
    buf[i] = (unsigned char)(hi * 16 + lo);
  }
  uf_status st = uf_bindings_set_blob(b, name, buf, n / 2, err);
  free(buf);
  return st;
}

static uf_status bad_value(const char *name, const char *type,
                           const char *value, uf_error *err) {
  return uf_error_set(err, UF_INVALID_ARGUMENT,
                      "parameter '%s': invalid %s value '%.64s'", name, type,
                      value);
}

static uf_status set_inferred(uf_bindings *b, const char *name,
                              const char *value, uf_error *err) {
  int64_t i;
  double d;
  if (parse_int(value, &i)) return uf_bindings_set_int(b, name, i, err);
  if (is_plain_decimal(value)) {
    if (uf_bindings_set_decimal(b, name, value, 0, 0, NULL) == UF_OK)
      return UF_OK; /* more than 38 digits falls through to DOUBLE */
  }
  if (!isalpha((unsigned char)value[0]) || !strcasecmp(value, "inf") ||
      !strcasecmp(value, "infinity") || !strcasecmp(value, "nan")) {
    if (parse_double(value, &d)) return uf_bindings_set_double(b, name, d, err);
  }
  if (!strcasecmp(value, "true")) return uf_bindings_set_bool(b, name, true, err);
  if (!strcasecmp(value, "false"))
    return uf_bindings_set_bool(b, name, false, err);
  if (!strcasecmp(value, "null")) return uf_bindings_set_null(b, name, err);
  return uf_bindings_set_varchar(b, name, value, strlen(value), err);
}

/* DECIMAL, DECIMAL(W), DECIMAL(W,S) (also NUMERIC); sets width/scale. */
static bool parse_decimal_type(const char *t, unsigned *w, unsigned *s) {
  const char *p;
  if (!strncasecmp(t, "DECIMAL", 7)) p = t + 7;
  else if (!strncasecmp(t, "NUMERIC", 7)) p = t + 7;
  else return false;
  *w = 0, *s = 0;
  if (*p == '\0') return true;
  if (*p++ != '(') return false;
  char *end;
  unsigned long wv = strtoul(p, &end, 10);
  if (end == p) return false;
  unsigned long sv = 0;
  p = end;
  if (*p == ',') {
    p++;
    while (*p == ' ') p++;
    sv = strtoul(p, &end, 10);
    if (end == p) return false;
    p = end;
  }
  if (strcmp(p, ")") || wv < 1 || wv > 38 || sv > wv) return false;
  *w = (unsigned)wv, *s = (unsigned)sv;
  return true;
}

static bool type_is(const char *t, const char *const *names) {
  for (; *names; names++)
    if (!strcasecmp(t, *names)) return true;
  return false;
}

static uf_status set_typed(uf_bindings *b, const char *name, const char *type,
                           const char *value, uf_error *err) {
  static const char *const bools[] = {"BOOLEAN", "BOOL", NULL};
  static const char *const ints[] = {"BIGINT", "INT", "INTEGER", "INT64",
                                     "INT8", "LONG", NULL};
  static const char *const dbls[] = {"DOUBLE", "FLOAT", "FLOAT8", "REAL",
                                     NULL};
  static const char *const strs[] = {"VARCHAR", "TEXT", "STRING", NULL};
  unsigned w, s;
  int64_t i;
  double d;
  if (type_is(type, bools)) {
    if (!strcasecmp(value, "true") || !strcmp(value, "1"))
      return uf_bindings_set_bool(b, name, true, err);
    if (!strcasecmp(value, "false") || !strcmp(value, "0"))
      return uf_bindings_set_bool(b, name, false, err);
    return bad_value(name, "BOOLEAN", value, err);
  }
  if (type_is(type, ints)) {
    if (!parse_int(value, &i)) return bad_value(name, "BIGINT", value, err);
    return uf_bindings_set_int(b, name, i, err);
  }
  if (type_is(type, dbls)) {
    if (!parse_double(value, &d)) return bad_value(name, "DOUBLE", value, err);
    return uf_bindings_set_double(b, name, d, err);
  }
  if (type_is(type, strs))
    return uf_bindings_set_varchar(b, name, value, strlen(value), err);
  if (!strcasecmp(type, "DATE")) return uf_bindings_set_date(b, name, value, err);
  if (!strcasecmp(type, "TIME")) return uf_bindings_set_time(b, name, value, err);
  if (!strcasecmp(type, "TIMESTAMP"))
    return uf_bindings_set_timestamp(b, name, value, err);
  if (!strcasecmp(type, "BLOB")) return set_blob_hex(b, name, value, err);
  if (!strcasecmp(type, "NULL")) {
    if (*value) return bad_value(name, "NULL", value, err);
    return uf_bindings_set_null(b, name, err);
  }
  if (parse_decimal_type(type, &w, &s))
    return uf_bindings_set_decimal(b, name, value, (uint8_t)w, (uint8_t)s, err);
  return uf_error_set(err, UF_INVALID_ARGUMENT,
                      "parameter '%s': unknown type '%.32s' (BOOLEAN, BIGINT, "
                      "DOUBLE, VARCHAR, DATE, TIME, TIMESTAMP, DECIMAL(W,S), "
                      "BLOB, NULL)", name, type);
}

uf_status uf_bindings_parse_arg(uf_bindings *b, const char *arg,
                                uf_error *err) {
  if (!b || !arg)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "binding set or arg NULL");
  const char *eq = strchr(arg, '=');
  if (!eq)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "parameter '%.64s': expected NAME=VALUE or "
                        "NAME:TYPE=VALUE", arg);
  const char *colon = memchr(arg, ':', (size_t)(eq - arg));
  size_t nlen = (size_t)((colon ? colon : eq) - arg);
  char name[UF_PARAM_NAME_MAX + 2];
  char type[48];
  if (nlen > UF_PARAM_NAME_MAX) nlen = UF_PARAM_NAME_MAX + 1;
  memcpy(name, arg, nlen);
  name[nlen] = '\0';
  uf_status st = uf_param_name_check(name, err);
  if (st != UF_OK) return st;
  if (!colon) return set_inferred(b, name, eq + 1, err);
  size_t tlen = (size_t)(eq - colon - 1);
  if (tlen == 0 || tlen >= sizeof type)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "parameter '%s': missing or too long type", name);
  memcpy(type, colon + 1, tlen);
  type[tlen] = '\0';
  return set_typed(b, name, type, eq + 1, err);
}
