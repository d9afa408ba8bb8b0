/*
 * The type model of the compile lane: uf_type values as DuckDB prints
 * them, their construction from type spellings and TYPE nodes, the side
 * table the annotator fills, and DuckDB's common-type rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "opt/types.h"
#include "unifier/sql.h"

/* -- scalars ------------------------------------------------------------- */

#define SCALAR_MAP(X)                                                        \
  X(UNKNOWN, "UNKNOWN") X(NULL, "NULL") X(BOOLEAN, "BOOLEAN")                \
  X(TINYINT, "TINYINT") X(SMALLINT, "SMALLINT") X(INTEGER, "INTEGER")        \
  X(BIGINT, "BIGINT") X(HUGEINT, "HUGEINT") X(UTINYINT, "UTINYINT")          \
  X(USMALLINT, "USMALLINT") X(UINTEGER, "UINTEGER") X(UBIGINT, "UBIGINT")    \
  X(UHUGEINT, "UHUGEINT") X(FLOAT, "FLOAT") X(DOUBLE, "DOUBLE")              \
  X(DECIMAL, "DECIMAL(18,3)") X(VARCHAR, "VARCHAR") X(BLOB, "BLOB")          \
  X(BIT, "BIT") X(UUID, "UUID") X(DATE, "DATE") X(TIME, "TIME")              \
  X(TIME_TZ, "TIME WITH TIME ZONE") X(TIMESTAMP, "TIMESTAMP")                \
  X(TIMESTAMP_TZ, "TIMESTAMP WITH TIME ZONE") X(TIMESTAMP_S, "TIMESTAMP_S")  \
  X(TIMESTAMP_MS, "TIMESTAMP_MS") X(TIMESTAMP_NS, "TIMESTAMP_NS")            \
  X(INTERVAL, "INTERVAL")

const uf_type ty_scalars[] = {
#define SCALAR_(id, text) [UF_T_##id] = {UF_T_##id, 0, 0, 0, NULL, NULL, NULL, 0, text},
    SCALAR_MAP(SCALAR_)
#undef SCALAR_
};

/* ty_scalars[] is indexed by id (designated initializers); every scalar id
 * up to INTERVAL has its entry. */
_Static_assert(sizeof ty_scalars / sizeof *ty_scalars == UF_T_INTERVAL + 1,
               "ty_scalars[] holds every scalar id in order");

const uf_type *uf_type_scalar(uf_type_id id) {
  /* DECIMAL's singleton is DuckDB's default DECIMAL(18,3) */
  return (unsigned)id <= UF_T_INTERVAL ? &ty_scalars[id] : &ty_scalars[0];
}

bool uf_type_equal(const uf_type *a, const uf_type *b) {
  if (a == b) return true;
  if (a == NULL || b == NULL) return false;
  return strcmp(a->text, b->text) == 0;
}

/* -- the side table -------------------------------------------------------- */

static size_t hash_ptr(const void *p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x;
}

static uf_status ty_grow(uf_types *ts) {
  /* a TPC-H sized query types ~100 nodes; zeroing more is wasted */
  size_t cap = ts->cap ? ts->cap * 2 : 128;
  ty_slot *slots = calloc(cap, sizeof *slots);
  if (slots == NULL) return UF_NOMEM;
  for (size_t i = 0; i < ts->cap; i++) {
    if (ts->slots[i].key == NULL) continue;
    size_t j = hash_ptr(ts->slots[i].key) & (cap - 1);
    while (slots[j].key != NULL) j = (j + 1) & (cap - 1);
    slots[j] = ts->slots[i];
  }
  free(ts->slots);
  ts->slots = slots;
  ts->cap = cap;
  return UF_OK;
}

uf_status ty_put(uf_types *ts, const void *key, const uf_type *t) {
  if ((ts->n + 1) * 4 > ts->cap * 3 && ty_grow(ts) != UF_OK) return UF_NOMEM;
  size_t j = hash_ptr(key) & (ts->cap - 1);
  while (ts->slots[j].key != NULL && ts->slots[j].key != key)
    j = (j + 1) & (ts->cap - 1);
  if (ts->slots[j].key == NULL) ts->n++;
  ts->slots[j].key = key;
  ts->slots[j].type = t;
  return UF_OK;
}

const uf_type *ty_get(const uf_types *ts, const void *key) {
  if (ts == NULL || ts->cap == 0 || key == NULL) return NULL;
  size_t j = hash_ptr(key) & (ts->cap - 1);
  while (ts->slots[j].key != NULL) {
    if (ts->slots[j].key == key) return ts->slots[j].type;
    j = (j + 1) & (ts->cap - 1);
  }
  return NULL;
}

void uf_types_free(uf_types *ts) {
  if (ts == NULL) return;
  uf_arena_free(&ts->arena);
  free(ts->slots);
  uf_sbuf_free(&ts->scratch);
  free(ts);
}

const uf_type *uf_node_type(const uf_types *ts, const uf_node *n) {
  return ty_get(ts, n);
}

const uf_type *uf_types_output(const uf_types *ts) {
  return ts ? ts->output : NULL;
}

/* -- composites -------------------------------------------------------------- */

/* A field name is printed bare inside STRUCT(...) when it is a plain
 * lower-case word, else double-quoted with quotes doubled. */
static bool plain_field_name(const char *name) {
  if (name[0] == '\0' || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char *p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
  return true;
}

/* Bytes name takes printed (see plain_field_name); len is strlen(name).
 * Only a plain name prints in len bytes (quoting adds two). */
static size_t field_name_size(const char *name, size_t len) {
  if (plain_field_name(name)) return len;
  size_t quotes = 0;
  for (const char *p = name; *p; p++) quotes += *p == '"';
  return len + quotes + 2;
}

/* Writes name, printed in `size` bytes, at out; returns the end. */
static char *put_field_name(char *out, const char *name, size_t len, size_t size) {
  if (size == len) {
    memcpy(out, name, len);
    return out + len;
  }
  *out++ = '"';
  for (const char *p = name; *p; p++) {
    if (*p == '"') *out++ = '"';
    *out++ = *p;
  }
  *out++ = '"';
  return out;
}

static char *put_str(char *out, const char *s, size_t len) {
  memcpy(out, s, len);
  return out + len;
}

static const char *render(uf_types *ts, const uf_type *t) {
  /* One buffer per uf_types: fresh buffers cost a malloc and regrowth. */
  uf_sbuf *bp = &ts->scratch;
  bp->len = 0;
  bp->oom = false;
  switch (t->id) {
  case UF_T_LIST: uf_sbuf_addf(bp, "%s[]", t->child->text); break;
  case UF_T_ARRAY: uf_sbuf_addf(bp, "%s[%u]", t->child->text, t->size); break;
  case UF_T_MAP:
    uf_sbuf_addf(bp, "MAP(%s, %s)", t->child->text, t->value->text);
    break;
  default: uf_sbuf_adds(bp, t->text ? t->text : "UNKNOWN"); break;
  }
  const char *out = NULL;
  if (!bp->oom) out = uf_arena_strndup(&ts->arena, bp->data ? bp->data : "", bp->len);
  return out;
}

static const uf_type *finish(uf_types *ts, uf_type *t) {
  if (t == NULL) return NULL;
  t->text = render(ts, t);
  return t->text ? t : NULL;
}

static uf_type *fresh(uf_types *ts, uf_type_id id) {
  uf_type *t = uf_arena_calloc(&ts->arena, sizeof *t);
  if (t) t->id = id;
  return t;
}

/* Decimal digits of v (0..99) at out; returns the end. */
static char *put_small(char *out, int v) {
  if (v >= 10) *out++ = (char)('0' + v / 10);
  *out++ = (char)('0' + v % 10);
  return out;
}

const uf_type *ty_decimal(uf_types *ts, int width, int scale) {
  if (width > 38 || width < 1 || scale < 0 || scale > width)
    return uf_type_scalar(UF_T_DOUBLE);
  /* decimals repeat (a schema's DECIMAL(15,2) columns, their sums): the
   * last few made are reused */
  const uf_type **memo = &ts->decimals[(size_t)(width * 39 + scale) % UF_DECIMAL_MEMO];
  if (*memo && (*memo)->width == width && (*memo)->scale == scale) return *memo;
  uf_type *t = fresh(ts, UF_T_DECIMAL);
  if (t == NULL) return NULL;
  t->width = (uint8_t)width;
  t->scale = (uint8_t)scale;
  /* "DECIMAL(w,s)" written directly: decimals are made per column read
   * and per arithmetic result, and formatting through printf is costly */
  char buf[sizeof "DECIMAL(38,38)"], *end = put_str(buf, "DECIMAL(", 8);
  end = put_small(end, width);
  *end++ = ',';
  end = put_small(end, scale);
  *end++ = ')';
  t->text = uf_arena_strndup(&ts->arena, buf, (size_t)(end - buf));
  if (t->text == NULL) return NULL;
  *memo = t;
  return t;
}

const uf_type *ty_list(uf_types *ts, const uf_type *child) {
  if (child == NULL) return NULL;
  uf_type *t = fresh(ts, UF_T_LIST);
  if (t) t->child = child;
  return finish(ts, t);
}

const uf_type *ty_array(uf_types *ts, const uf_type *child, uint32_t size) {
  if (child == NULL) return NULL;
  uf_type *t = fresh(ts, UF_T_ARRAY);
  if (t) {
    t->child = child;
    t->size = size;
  }
  return finish(ts, t);
}

const uf_type *ty_map(uf_types *ts, const uf_type *k, const uf_type *v) {
  if (k == NULL || v == NULL) return NULL;
  uf_type *t = fresh(ts, UF_T_MAP);
  if (t) {
    t->child = k;
    t->value = v;
  }
  return finish(ts, t);
}

/* A field being copied into a STRUCT/UNION: its name measured once. */
typedef struct field_text {
  const char *name;
  size_t len;        /* strlen(name) */
  size_t size;       /* bytes printed (field_name_size) */
  const uf_type *type;
  size_t type_len;   /* strlen(type->text) */
} field_text;

/* Writes "STRUCT(a INTEGER, ...)" (n fields) at out, NUL-terminated. */
static void put_struct_text(char *out, uf_type_id id, const field_text *fs, size_t n) {
  const char *open = id == UF_T_STRUCT ? "STRUCT(" : "UNION(";
  out = put_str(out, open, strlen(open));
  for (size_t i = 0; i < n; i++) {
    if (i) out = put_str(out, ", ", 2);
    if (fs[i].len) {
      out = put_field_name(out, fs[i].name, fs[i].len, fs[i].size);
      *out++ = ' ';
    }
    out = put_str(out, fs[i].type->text, fs[i].type_len);
  }
  *out++ = ')';
  *out = '\0';
}

/* The field array, names and text of a STRUCT/UNION live in one arena
 * block: a row type is built for every query and derived table. */
const uf_type *ty_struct(uf_types *ts, uf_type_id id,
                         const uf_type_field *fields, size_t n) {
  uf_type *t = fresh(ts, id);
  if (t == NULL) return NULL;
  field_text stack[32], *src = n <= 32 ? stack : malloc(n * sizeof *src);
  if (src == NULL) return NULL;
  size_t names = 0;
  size_t text = strlen(id == UF_T_STRUCT ? "STRUCT(" : "UNION(") + 2; /* ')' and NUL */
  for (size_t i = 0; i < n; i++) {
    field_text *f = &src[i];
    f->name = fields[i].name ? fields[i].name : "";
    f->type = fields[i].type ? fields[i].type : uf_type_scalar(UF_T_UNKNOWN);
    f->len = strlen(f->name);
    f->size = f->len ? field_name_size(f->name, f->len) : 0;
    f->type_len = strlen(f->type->text);
    names += f->len + 1;
    text += (i ? 2 : 0) + (f->len ? f->size + 1 : 0) + f->type_len; /* ", " "name " type */
  }
  char *block = uf_arena_alloc(&ts->arena, n * sizeof(uf_type_field) + names + text);
  if (block != NULL) {
    uf_type_field *fs = (uf_type_field *)(void *)block;
    char *p = block + n * sizeof *fs;
    for (size_t i = 0; i < n; i++) {
      fs[i].name = p;
      fs[i].type = src[i].type;
      p = put_str(p, src[i].name, src[i].len + 1);
    }
    put_struct_text(p, id, src, n);
    t->fields = n ? fs : NULL;
    t->nfields = n;
    t->text = p;
  }
  if (src != stack) free(src);
  return block ? t : NULL;
}

const uf_type *ty_other(uf_types *ts, const char *name) {
  uf_type *t = fresh(ts, UF_T_OTHER);
  if (t == NULL) return NULL;
  t->text = uf_arena_strndup(&ts->arena, name, strlen(name));
  return t->text ? t : NULL;
}

/* -- classes ------------------------------------------------------------------ */

bool ty_is_integer(const uf_type *t) {
  return t && t->id >= UF_T_TINYINT && t->id <= UF_T_UHUGEINT;
}
bool ty_is_unsigned(const uf_type *t) {
  return t && t->id >= UF_T_UTINYINT && t->id <= UF_T_UHUGEINT;
}
bool ty_is_numeric(const uf_type *t) {
  return t && t->id >= UF_T_TINYINT && t->id <= UF_T_DECIMAL;
}
bool ty_is_temporal(const uf_type *t) {
  return t && t->id >= UF_T_DATE && t->id <= UF_T_TIMESTAMP_NS;
}

int ty_integer_width(const uf_type *t) {
  static const int widths[] = {3, 5, 10, 19, 38, 3, 5, 10, 20, 39};
  return ty_is_integer(t) ? widths[t->id - UF_T_TINYINT] : 0;
}

/* Bits of an integer type, for the signed/unsigned common type. */
static int int_bits(uf_type_id id) {
  static const int bits[] = {8, 16, 32, 64, 128, 8, 16, 32, 64, 128};
  return bits[id - UF_T_TINYINT];
}

static uf_type_id signed_of_bits(int bits) {
  return bits <= 8 ? UF_T_TINYINT : bits <= 16 ? UF_T_SMALLINT
       : bits <= 32 ? UF_T_INTEGER : bits <= 64 ? UF_T_BIGINT : UF_T_HUGEINT;
}

static const uf_type *common_integer(const uf_type *a, const uf_type *b) {
  bool ua = ty_is_unsigned(a), ub = ty_is_unsigned(b);
  if (ua == ub) return int_bits(a->id) >= int_bits(b->id) ? a : b;
  const uf_type *u = ua ? a : b, *s = ua ? b : a;
  int need = int_bits(u->id) * 2;
  if (int_bits(s->id) > need) need = int_bits(s->id);
  if (need > 128) return uf_type_scalar(UF_T_DOUBLE);
  return uf_type_scalar(signed_of_bits(need));
}

/* Decimal view of an integer or decimal: width, scale. */
static void decimal_of(const uf_type *t, int *w, int *s) {
  if (t->id == UF_T_DECIMAL) {
    *w = t->width;
    *s = t->scale;
  } else {
    *w = ty_integer_width(t);
    *s = 0;
  }
}

static const uf_type *common_numeric(uf_types *ts, const uf_type *a,
                                     const uf_type *b) {
  if (a->id == UF_T_DOUBLE || b->id == UF_T_DOUBLE) return uf_type_scalar(UF_T_DOUBLE);
  if (a->id == UF_T_FLOAT || b->id == UF_T_FLOAT) return uf_type_scalar(UF_T_FLOAT);
  if (ty_is_integer(a) && ty_is_integer(b)) return common_integer(a, b);
  int wa, sa, wb, sb;
  decimal_of(a, &wa, &sa);
  decimal_of(b, &wb, &sb);
  int scale = sa > sb ? sa : sb;
  int whole = (wa - sa) > (wb - sb) ? wa - sa : wb - sb;
  return ty_decimal(ts, whole + scale, scale);
}

static bool is_timestamp(uf_type_id id) {
  return id == UF_T_TIMESTAMP || id == UF_T_TIMESTAMP_S ||
         id == UF_T_TIMESTAMP_MS || id == UF_T_TIMESTAMP_NS;
}

const uf_type *ty_common(uf_types *ts, const uf_type *a, const uf_type *b) {
  if (a == NULL) return b;
  if (b == NULL) return a;
  if (a->id == UF_T_UNKNOWN || b->id == UF_T_UNKNOWN) return uf_type_scalar(UF_T_UNKNOWN);
  if (a->id == UF_T_NULL) return b;
  if (b->id == UF_T_NULL) return a;
  if (uf_type_equal(a, b)) return a;
  if (ty_is_numeric(a) && ty_is_numeric(b)) return common_numeric(ts, a, b);
  if (a->id == UF_T_TIMESTAMP_TZ || b->id == UF_T_TIMESTAMP_TZ) {
    const uf_type *o = a->id == UF_T_TIMESTAMP_TZ ? b : a;
    if (o->id == UF_T_DATE || is_timestamp(o->id)) return uf_type_scalar(UF_T_TIMESTAMP_TZ);
  }
  if ((a->id == UF_T_DATE && is_timestamp(b->id)) || (is_timestamp(a->id) && b->id == UF_T_DATE))
    return uf_type_scalar(UF_T_TIMESTAMP);
  if (is_timestamp(a->id) && is_timestamp(b->id)) return uf_type_scalar(UF_T_TIMESTAMP);
  if (a->id == UF_T_LIST && b->id == UF_T_LIST) {
    const uf_type *c = ty_common(ts, a->child, b->child);
    return c ? ty_list(ts, c) : NULL;
  }
  if (a->id == UF_T_STRUCT && b->id == UF_T_STRUCT && a->nfields == b->nfields) {
    uf_type_field *fs = uf_arena_alloc(&ts->arena, (a->nfields + 1) * sizeof *fs);
    if (fs == NULL) return NULL;
    for (size_t i = 0; i < a->nfields; i++) {
      fs[i].name = a->fields[i].name;
      fs[i].type = ty_common(ts, a->fields[i].type, b->fields[i].type);
      if (fs[i].type == NULL) return NULL;
    }
    return ty_struct(ts, UF_T_STRUCT, fs, a->nfields);
  }
  /* VARCHAR absorbs what DuckDB casts implicitly to it; else unknown */
  if (a->id == UF_T_VARCHAR || b->id == UF_T_VARCHAR) return uf_type_scalar(UF_T_VARCHAR);
  return uf_type_scalar(UF_T_UNKNOWN);
}

/* -- from TYPE nodes and spellings ---------------------------------------------- */

static const struct {
  const char *name;
  uf_type_id id;
} type_names[] = {
    {"BOOL", UF_T_BOOLEAN}, {"BOOLEAN", UF_T_BOOLEAN}, {"LOGICAL", UF_T_BOOLEAN},
    {"TINYINT", UF_T_TINYINT}, {"INT1", UF_T_TINYINT},
    {"SMALLINT", UF_T_SMALLINT}, {"INT2", UF_T_SMALLINT}, {"SHORT", UF_T_SMALLINT},
    {"INTEGER", UF_T_INTEGER}, {"INT", UF_T_INTEGER}, {"INT4", UF_T_INTEGER},
    {"SIGNED", UF_T_INTEGER}, {"BIGINT", UF_T_BIGINT}, {"INT8", UF_T_BIGINT},
    {"LONG", UF_T_BIGINT}, {"INT64", UF_T_BIGINT}, {"HUGEINT", UF_T_HUGEINT},
    {"INT128", UF_T_HUGEINT}, {"UTINYINT", UF_T_UTINYINT},
    {"USMALLINT", UF_T_USMALLINT}, {"UINTEGER", UF_T_UINTEGER},
    {"UBIGINT", UF_T_UBIGINT}, {"UHUGEINT", UF_T_UHUGEINT},
    {"FLOAT", UF_T_FLOAT}, {"FLOAT4", UF_T_FLOAT}, {"REAL", UF_T_FLOAT},
    {"DOUBLE", UF_T_DOUBLE}, {"FLOAT8", UF_T_DOUBLE},
    {"DOUBLE PRECISION", UF_T_DOUBLE}, {"FLOAT64", UF_T_DOUBLE},
    {"VARCHAR", UF_T_VARCHAR}, {"TEXT", UF_T_VARCHAR}, {"STRING", UF_T_VARCHAR},
    {"CHAR", UF_T_VARCHAR}, {"BPCHAR", UF_T_VARCHAR}, {"NVARCHAR", UF_T_VARCHAR},
    {"CHARACTER VARYING", UF_T_VARCHAR}, {"CHARACTER", UF_T_VARCHAR},
    {"BLOB", UF_T_BLOB}, {"BYTEA", UF_T_BLOB}, {"BINARY", UF_T_BLOB},
    {"VARBINARY", UF_T_BLOB}, {"BIT", UF_T_BIT}, {"BITSTRING", UF_T_BIT},
    {"UUID", UF_T_UUID}, {"DATE", UF_T_DATE}, {"TIME", UF_T_TIME},
    {"TIMETZ", UF_T_TIME_TZ}, {"TIME WITH TIME ZONE", UF_T_TIME_TZ},
    {"TIMESTAMP", UF_T_TIMESTAMP}, {"DATETIME", UF_T_TIMESTAMP},
    {"TIMESTAMP WITHOUT TIME ZONE", UF_T_TIMESTAMP},
    {"TIMESTAMPTZ", UF_T_TIMESTAMP_TZ},
    {"TIMESTAMP WITH TIME ZONE", UF_T_TIMESTAMP_TZ},
    {"TIMESTAMP_S", UF_T_TIMESTAMP_S}, {"TIMESTAMP_MS", UF_T_TIMESTAMP_MS},
    {"TIMESTAMP_NS", UF_T_TIMESTAMP_NS}, {"INTERVAL", UF_T_INTERVAL},
    {"NULL", UF_T_NULL},
};

/* name in upper case into up (NUL-terminated); false if it does not fit,
 * which no type name we know of fails. */
static bool upper_name(const char *name, char *up, size_t cap) {
  size_t n = 0;
  for (; name[n]; n++) {
    if (n + 1 >= cap) return false;
    up[n] = name[n] >= 'a' && name[n] <= 'z' ? (char)(name[n] - 32) : name[n];
  }
  up[n] = '\0';
  return true;
}

/* The scalar type spelled up (upper case), or NULL. */
static const uf_type *scalar_named(const char *up) {
  for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++)
    if (type_names[i].name[0] == up[0] && strcmp(type_names[i].name, up) == 0)
      return uf_type_scalar(type_names[i].id);
  return NULL;
}

static long number_arg(const uf_node *args, uint32_t i, long dflt) {
  if (args == NULL || i >= args->nkids || !uf_is(args->kids[i], UF_NUMBER)) return dflt;
  return strtol(args->kids[i]->text, NULL, 10);
}

static const uf_type *from_node(uf_types *ts, const uf_node *n, int depth);

static const uf_type *from_fields(uf_types *ts, const uf_node *list,
                                  uf_type_id id, int depth) {
  size_t n = list ? list->nkids : 0;
  uf_type_field *fs = uf_arena_alloc(&ts->arena, (n + 1) * sizeof *fs);
  if (fs == NULL) return NULL;
  for (size_t i = 0; i < n; i++) {
    const uf_node *def = list->kids[i];
    const uf_node *name = uf_get(def, UF_SLOT_NAME);
    const uf_node *type = uf_is(def, UF_TYPE) ? def : uf_get(def, UF_SLOT_TYPE);
    fs[i].name = name ? name->text : "";
    fs[i].type = from_node(ts, type, depth + 1);
    if (fs[i].type == NULL) return NULL;
  }
  return ty_struct(ts, id, fs, n);
}

static const uf_type *from_node(uf_types *ts, const uf_node *n, int depth) {
  if (!uf_is(n, UF_TYPE) || depth > 64) return uf_type_scalar(UF_T_UNKNOWN);
  const uf_node *args = uf_get(n, UF_SLOT_ARGS);
  const uf_node *arg0 = args && args->nkids ? args->kids[0] : NULL;
  const char *name = n->text;
  /* Scalar names first (hot: every schema column type a query reads
   * converts here); no composite name is in type_names. */
  char up[32];
  if (!upper_name(name, up, sizeof up)) return ty_other(ts, name);
  const uf_type *scalar = scalar_named(up);
  if (scalar) return scalar;
  if (strcmp(up, "DECIMAL") == 0 || strcmp(up, "NUMERIC") == 0 || strcmp(up, "DEC") == 0) {
    if (args == NULL || args->nkids == 0) return ty_decimal(ts, 18, 3);
    return ty_decimal(ts, (int)number_arg(args, 0, 18), (int)number_arg(args, 1, 0));
  }
  if (strcmp(up, "LIST") == 0) return ty_list(ts, from_node(ts, arg0, depth + 1));
  if (strcmp(up, "ARRAY") == 0) {
    const uf_type *c = from_node(ts, arg0, depth + 1);
    long size = number_arg(args, 1, -1);
    return size < 0 ? ty_list(ts, c) : ty_array(ts, c, (uint32_t)size);
  }
  if (strcmp(up, "MAP") == 0 && args && args->nkids == 2)
    return ty_map(ts, from_node(ts, args->kids[0], depth + 1),
                  from_node(ts, args->kids[1], depth + 1));
  if (strcmp(up, "STRUCT") == 0 || strcmp(up, "ROW") == 0)
    return from_fields(ts, uf_get(n, UF_SLOT_FIELDS), UF_T_STRUCT, depth);
  if (strcmp(up, "UNION") == 0)
    return from_fields(ts, uf_get(n, UF_SLOT_FIELDS), UF_T_UNION, depth);
  return ty_other(ts, name);
}

uf_status uf_type_from_node(uf_types *ts, const uf_node *type_node,
                            const uf_type **out, uf_error *err) {
  if (out) *out = NULL;
  if (ts == NULL || out == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_type_from_node: NULL argument");
  const uf_type *t = from_node(ts, type_node, 0);
  if (t == NULL) return uf_error_set(err, UF_NOMEM, "out of memory building a type");
  *out = t;
  return UF_OK;
}

uf_status uf_type_parse(uf_types *ts, const char *text, const uf_type **out,
                        uf_error *err) {
  if (out) *out = NULL;
  if (ts == NULL || text == NULL || out == NULL)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_type_parse: NULL argument");
  /* the parser knows every spelling: parse a cast to the type */
  uf_sbuf b;
  uf_sbuf_init(&b);
  uf_sbuf_addf(&b, "CAST(NULL AS %s)", text);
  if (b.oom) {
    uf_sbuf_free(&b);
    return uf_error_set(err, UF_NOMEM, "out of memory parsing a type");
  }
  uf_tree *t = NULL;
  uf_status st = uf_parse_expr(b.data, b.len, NULL, &t, err);
  uf_sbuf_free(&b);
  if (st != UF_OK) return uf_error_set(err, UF_SYNTAX, "not a type: %s", text);
  const uf_node *cast = uf_tree_root(t);
  const uf_node *to = uf_is(cast, UF_CAST) ? uf_get(cast, UF_SLOT_TO) : NULL;
  if (to == NULL) {
    uf_tree_free(t);
    return uf_error_set(err, UF_SYNTAX, "not a type: %s", text);
  }
  st = uf_type_from_node(ts, to, out, err);
  uf_tree_free(t); /* types copy names into ts's arena */
  return st;
}
