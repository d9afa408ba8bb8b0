/*
 * Value text for Arrow arrays, identical to DuckDB's CAST(x AS VARCHAR) for
 * the types DuckDB exports. Column readers are prepared once per schema
 * node from the format string; the per-value functions then only switch on
 * a small enum and read buffers.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/out.h"

typedef enum vk {
  VK_NULL, VK_BOOL,
  VK_I8, VK_I16, VK_I32, VK_I64, VK_U8, VK_U16, VK_U32, VK_U64,
  VK_F16, VK_F32, VK_F64, VK_DEC,
  VK_STR, VK_LSTR, VK_VSTR, VK_BIN, VK_LBIN, VK_VBIN, VK_FBIN,
  VK_DATE32, VK_DATE64, VK_TS, VK_TIME32, VK_TIME64,
  VK_IV_MDN, VK_IV_YM, VK_IV_DT,
  /* DuckDB types behind Arrow extension metadata (lossless export) */
  VK_HUGE, VK_UHUGE, VK_UUID, VK_BIGNUM, VK_BIT, VK_TIMETZ, VK_JSON, VK_BOOL8,
  /* nested: keep last (is_nested) */
  VK_LIST, VK_LLIST, VK_FLIST, VK_STRUCT, VK_MAP, VK_DUNION, VK_SUNION
} vk;

struct out_col {
  vk kind;
  const char *name;
  int precision, scale, bits; /* decimals */
  int64_t per_sec;            /* timestamps, times: units per second */
  bool tz;                    /* timestamp with a zone */
  bool is_string;             /* utf8 text: JSON string, CSV scan */
  int32_t fixed;              /* fixed-size list length / binary width */
  int8_t type_child[128];     /* unions: type id -> child index */
  out_col *kids;
  size_t nkids;
  out_col *dict;              /* dictionary-encoded: the values' reader */
};

/* -- preparing readers ------------------------------------------------------- */

static uf_status col_init(out_col *c, const struct ArrowSchema *s,
                          uf_error *err);

static uf_status unsupported(const struct ArrowSchema *s, uf_error *err) {
  return uf_error_set(err, UF_UNSUPPORTED,
                      "column '%s': Arrow type '%s' cannot be printed",
                      s->name ? s->name : "", s->format);
}

/* One-character formats; false for anything else. */
static bool primitive_kind(const char *f, vk *out) {
  if (!f[0] || f[1]) return false;
  vk k;
  switch (f[0]) {
    case 'n': k = VK_NULL; break;
    case 'b': k = VK_BOOL; break;
    case 'c': k = VK_I8; break;
    case 's': k = VK_I16; break;
    case 'i': k = VK_I32; break;
    case 'l': k = VK_I64; break;
    case 'C': k = VK_U8; break;
    case 'S': k = VK_U16; break;
    case 'I': k = VK_U32; break;
    case 'L': k = VK_U64; break;
    case 'e': k = VK_F16; break;
    case 'f': k = VK_F32; break;
    case 'g': k = VK_F64; break;
    case 'u': k = VK_STR; break;
    case 'U': k = VK_LSTR; break;
    case 'z': k = VK_BIN; break;
    case 'Z': k = VK_LBIN; break;
    default: return false;
  }
  *out = k;
  return true;
}

static int64_t unit_per_sec(char u) {
  switch (u) {
    case 's': return 1;
    case 'm': return 1000;
    case 'u': return 1000000;
    case 'n': return 1000000000;
    default: return 0;
  }
}

static uf_status kids_init(out_col *c, const struct ArrowSchema *s,
                           uf_error *err) {
  if (s->n_children <= 0) return UF_OK;
  c->kids = calloc((size_t)s->n_children, sizeof *c->kids);
  if (!c->kids) return uf_error_set(err, UF_NOMEM, "out of memory");
  c->nkids = (size_t)s->n_children;
  for (size_t i = 0; i < c->nkids; i++) {
    uf_status st = col_init(&c->kids[i], s->children[i], err);
    if (st != UF_OK) return st;
  }
  return UF_OK;
}

/* "+ud:0,1,5": child k has type id ids[k]. */
static uf_status union_init(out_col *c, const struct ArrowSchema *s,
                            uf_error *err) {
  memset(c->type_child, -1, sizeof c->type_child);
  const char *p = s->format + 4;
  for (int k = 0; *p && k < 128; k++) {
    long id = strtol(p, (char **)&p, 10);
    if (id < 0 || id > 127) return unsupported(s, err);
    c->type_child[id] = (int8_t)k;
    if (*p == ',') p++;
  }
  return kids_init(c, s, err);
}

/* Formats with a parameter: decimals, temporal types, nested types. */
static uf_status complex_init(out_col *c, const struct ArrowSchema *s,
                              uf_error *err) {
  const char *f = s->format;
  if (f[0] == 'd' && f[1] == ':') {
    c->kind = VK_DEC;
    c->bits = 128;
    if (sscanf(f + 2, "%d,%d,%d", &c->precision, &c->scale, &c->bits) < 2)
      return unsupported(s, err);
    if (c->bits != 32 && c->bits != 64 && c->bits != 128)
      return unsupported(s, err);
    return UF_OK;
  }
  if (f[0] == 'w' && f[1] == ':') {
    c->kind = VK_FBIN;
    c->fixed = (int32_t)atoi(f + 2);
    return UF_OK;
  }
  if (strcmp(f, "vu") == 0) { c->kind = VK_VSTR; c->is_string = true; return UF_OK; }
  if (strcmp(f, "vz") == 0) { c->kind = VK_VBIN; return UF_OK; }
  if (strcmp(f, "tdD") == 0) { c->kind = VK_DATE32; return UF_OK; }
  if (strcmp(f, "tdm") == 0) { c->kind = VK_DATE64; return UF_OK; }
  if (f[0] == 't' && f[1] == 's' && unit_per_sec(f[2]) && f[3] == ':') {
    c->kind = VK_TS;
    c->per_sec = unit_per_sec(f[2]);
    c->tz = f[4] != '\0';
    return UF_OK;
  }
  if (f[0] == 't' && f[1] == 't' && unit_per_sec(f[2]) && !f[3]) {
    c->per_sec = unit_per_sec(f[2]);
    c->kind = c->per_sec <= 1000 ? VK_TIME32 : VK_TIME64;
    return UF_OK;
  }
  if (strcmp(f, "tin") == 0) { c->kind = VK_IV_MDN; return UF_OK; }
  if (strcmp(f, "tiM") == 0) { c->kind = VK_IV_YM; return UF_OK; }
  if (strcmp(f, "tiD") == 0) { c->kind = VK_IV_DT; return UF_OK; }
  if (strcmp(f, "+l") == 0) { c->kind = VK_LIST; return kids_init(c, s, err); }
  if (strcmp(f, "+L") == 0) { c->kind = VK_LLIST; return kids_init(c, s, err); }
  if (strncmp(f, "+w:", 3) == 0) {
    c->kind = VK_FLIST;
    c->fixed = (int32_t)atoi(f + 3);
    return kids_init(c, s, err);
  }
  if (strcmp(f, "+s") == 0) { c->kind = VK_STRUCT; return kids_init(c, s, err); }
  if (strcmp(f, "+m") == 0) {
    c->kind = VK_MAP;
    uf_status st = kids_init(c, s, err);
    if (st == UF_OK && (c->nkids != 1 || c->kids[0].nkids != 2))
      return unsupported(s, err);
    return st;
  }
  if (strncmp(f, "+ud:", 4) == 0) { c->kind = VK_DUNION; return union_init(c, s, err); }
  if (strncmp(f, "+us:", 4) == 0) { c->kind = VK_SUNION; return union_init(c, s, err); }
  return unsupported(s, err);
}

/* The value of metadata key `key` (Arrow's binary metadata layout: int32
 * count, then length-prefixed key/value pairs), or NULL. */
static const char *meta_get(const char *md, const char *key, int32_t *vlen) {
  if (!md) return NULL;
  int32_t n, kl, vl;
  memcpy(&n, md, 4);
  md += 4;
  for (int32_t i = 0; i < n; i++) {
    memcpy(&kl, md, 4);
    const char *k = md + 4;
    memcpy(&vl, k + kl, 4);
    const char *v = k + kl + 4;
    if ((size_t)kl == strlen(key) && memcmp(k, key, (size_t)kl) == 0) {
      *vlen = vl;
      return v;
    }
    md = v + vl;
  }
  return NULL;
}

static bool meta_is(const char *v, int32_t n, const char *want) {
  return v && (size_t)n == strlen(want) && memcmp(v, want, (size_t)n) == 0;
}

/* DuckDB's lossless Arrow export marks its own types as extensions:
 * arrow.uuid, arrow.json, and arrow.opaque with {"type_name":"..."}. */
static bool extension_kind(const struct ArrowSchema *s, vk *out) {
  int32_t nl = 0, ml = 0;
  const char *name = meta_get(s->metadata, "ARROW:extension:name", &nl);
  if (!name) return false;
  if (meta_is(name, nl, "arrow.uuid") && strcmp(s->format, "w:16") == 0) {
    *out = VK_UUID;
    return true;
  }
  if (meta_is(name, nl, "arrow.json") && strcmp(s->format, "u") == 0) {
    *out = VK_JSON;
    return true;
  }
  if (meta_is(name, nl, "arrow.bool8") && strcmp(s->format, "c") == 0) {
    *out = VK_BOOL8;
    return true;
  }
  if (!meta_is(name, nl, "arrow.opaque")) return false;
  const char *m = meta_get(s->metadata, "ARROW:extension:metadata", &ml);
  static const struct { const char *type, *format; vk kind; } OPAQUE[] = {
      {"\"hugeint\"", "w:16", VK_HUGE}, {"\"uhugeint\"", "w:16", VK_UHUGE},
      {"\"bignum\"", "z", VK_BIGNUM},   {"\"varint\"", "z", VK_BIGNUM},
      {"\"bit\"", "z", VK_BIT},         {"\"time_tz\"", "w:8", VK_TIMETZ}};
  for (size_t i = 0; m && i < sizeof OPAQUE / sizeof OPAQUE[0]; i++) {
    size_t tl = strlen(OPAQUE[i].type);
    for (int32_t k = 0; k + (int32_t)tl <= ml; k++)
      if (memcmp(m + k, OPAQUE[i].type, tl) == 0 &&
          strcmp(s->format, OPAQUE[i].format) == 0) {
        *out = OPAQUE[i].kind;
        return true;
      }
  }
  return false;
}

static uf_status col_init(out_col *c, const struct ArrowSchema *s,
                          uf_error *err) {
  memset(c, 0, sizeof *c);
  c->name = s->name ? s->name : "";
  vk k;
  uf_status st = UF_OK;
  if (extension_kind(s, &k)) {
    c->kind = k;
    c->fixed = k == VK_TIMETZ ? 8 : 16;
  } else if (primitive_kind(s->format, &k)) {
    c->kind = k;
    c->is_string = k == VK_STR || k == VK_LSTR;
  } else {
    st = complex_init(c, s, err);
  }
  if (st == UF_OK && s->dictionary) {
    if (c->kind < VK_I8 || c->kind > VK_U64) return unsupported(s, err);
    c->dict = calloc(1, sizeof *c->dict);
    if (!c->dict) return uf_error_set(err, UF_NOMEM, "out of memory");
    st = col_init(c->dict, s->dictionary, err);
  }
  return st;
}

static void col_fini(out_col *c) {
  for (size_t i = 0; i < c->nkids; i++) col_fini(&c->kids[i]);
  free(c->kids);
  if (c->dict) {
    col_fini(c->dict);
    free(c->dict);
  }
}

uf_status out_cols_new(const struct ArrowSchema *schema, out_col **out,
                       size_t *n, uf_error *err) {
  *out = NULL;
  *n = 0;
  if (strcmp(schema->format, "+s") != 0)
    return uf_error_set(err, UF_INVALID_ARGUMENT,
                        "result schema is not a struct ('%s')", schema->format);
  size_t cnt = (size_t)schema->n_children;
  out_col *cols = calloc(cnt ? cnt : 1, sizeof *cols);
  if (!cols) return uf_error_set(err, UF_NOMEM, "out of memory");
  for (size_t i = 0; i < cnt; i++) {
    uf_status st = col_init(&cols[i], schema->children[i], err);
    if (st != UF_OK) {
      out_cols_free(cols, i + 1);
      return st;
    }
  }
  *out = cols;
  *n = cnt;
  return UF_OK;
}

void out_cols_free(out_col *cols, size_t n) {
  if (!cols) return;
  for (size_t i = 0; i < n; i++) col_fini(&cols[i]);
  free(cols);
}

const out_col *out_col_at(const out_col *cols, size_t i) { return &cols[i]; }

const char *out_col_name(const out_col *c) { return c->name; }

bool out_col_plain(const out_col *c) {
  if (c->dict) return false;
  switch (c->kind) {
    case VK_BOOL: case VK_I8: case VK_I16: case VK_I32: case VK_I64:
    case VK_U8: case VK_U16: case VK_U32: case VK_U64: case VK_F16:
    case VK_F32: case VK_F64: case VK_DEC: case VK_DATE32: case VK_DATE64:
    case VK_TIME32: case VK_TIME64: case VK_HUGE: case VK_UHUGE:
    case VK_UUID: case VK_BIGNUM: case VK_BIT: case VK_BOOL8:
      return true;
    default:
      return false;
  }
}

/* -- reading buffers ------------------------------------------------------- */

static inline bool bit(const void *buf, int64_t i) {
  return (((const uint8_t *)buf)[i >> 3] >> (i & 7)) & 1;
}

#define AT(T, a, k, i) (((const T *)(a)->buffers[k])[(a)->offset + (i)])

bool out_is_null(const out_col *c, const struct ArrowArray *a, int64_t i) {
  if (c->kind == VK_NULL) return true;
  if (c->kind == VK_DUNION || c->kind == VK_SUNION) {
    /* unions have no validity buffer: the chosen child decides */
    int8_t id = AT(int8_t, a, 0, i);
    int k = id >= 0 ? c->type_child[id] : -1;
    if (k < 0) return true;
    int64_t j = c->kind == VK_DUNION ? AT(int32_t, a, 1, i) : a->offset + i;
    const struct ArrowArray *ch = a->children[k];
    return out_is_null(&c->kids[k], ch, j);
  }
  if (a->null_count == 0 || !a->buffers[0]) return false;
  return !bit(a->buffers[0], a->offset + i);
}

/* -- numbers -------------------------------------------------------------- */

static const char DIGITS2[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Writes v in decimal at the end of buf[0..32) and returns the start. */
static char *u64_digits(uint64_t v, char *end) {
  char *p = end;
  while (v >= 100) {
    unsigned r = (unsigned)(v % 100);
    v /= 100;
    p -= 2;
    memcpy(p, DIGITS2 + 2 * r, 2);
  }
  if (v >= 10) {
    p -= 2;
    memcpy(p, DIGITS2 + 2 * v, 2);
  } else {
    *--p = (char)('0' + v);
  }
  return p;
}

static void put_u64(out_buf *b, uint64_t v) {
  char tmp[24];
  char *s = u64_digits(v, tmp + sizeof tmp);
  out_buf_add(b, s, (size_t)(tmp + sizeof tmp - s));
}

static void put_i64(out_buf *b, int64_t v) {
  if (v < 0) {
    out_buf_addc(b, '-');
    put_u64(b, (uint64_t)0 - (uint64_t)v);
  } else {
    put_u64(b, (uint64_t)v);
  }
}

/* Zero-padded to `width` digits (more if needed). */
static void put_u64_pad(out_buf *b, uint64_t v, int width) {
  char tmp[24];
  char *s = u64_digits(v, tmp + sizeof tmp);
  int n = (int)(tmp + sizeof tmp - s);
  for (; n < width; n++) out_buf_addc(b, '0');
  out_buf_add(b, s, (size_t)(tmp + sizeof tmp - s));
}

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

static char *u128_digits(u128 v, char *end) {
  char *p = end;
  do {
    *--p = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v);
  return p;
}

/* DuckDB prints a decimal with exactly `scale` fractional digits and a
 * leading "0" before the point when the integer part is zero. */
static void put_decimal(out_buf *b, i128 v, int scale) {
  bool neg = v < 0;
  u128 u = neg ? (u128)0 - (u128)v : (u128)v;
  char tmp[48];
  char *s = u128_digits(u, tmp + sizeof tmp);
  int n = (int)(tmp + sizeof tmp - s);
  if (neg) out_buf_addc(b, '-');
  if (scale <= 0) {
    out_buf_add(b, s, (size_t)n);
    return;
  }
  if (n <= scale) {
    out_buf_add(b, "0.", 2);
    for (int k = n; k < scale; k++) out_buf_addc(b, '0');
    out_buf_add(b, s, (size_t)n);
    return;
  }
  out_buf_add(b, s, (size_t)(n - scale));
  out_buf_addc(b, '.');
  out_buf_add(b, s + n - scale, (size_t)scale);
}

/* Shortest round-trip digits of v (finite, nonzero handled by caller):
 * digits without point or trailing zeros, and the decimal exponent of the
 * first digit. */
static int shortest(double v, bool single, char *digits, int *exp10) {
  char buf[40];
  int lo = single ? 6 : 15, hi = single ? 9 : 17;
  /* subnormals carry fewer significant digits: search from one */
  if (single ? v < FLT_MIN : v < DBL_MIN) lo = 1;
  for (int p = lo; p <= hi; p++) {
    snprintf(buf, sizeof buf, "%.*e", p - 1, v);
    if (p == hi) break;
    if (single ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v) break;
  }
  /* buf: "-d.ddddde+XX" */
  const char *p = buf;
  if (*p == '-') p++;
  int n = 0;
  for (; *p && *p != 'e'; p++)
    if (*p != '.') digits[n++] = *p;
  *exp10 = atoi(p + 1);
  while (n > 1 && digits[n - 1] == '0') n--;
  digits[n] = '\0';
  return n;
}

/* DuckDB's float text: shortest round trip, scientific when the exponent is
 * below -4 or at least 16 ("1e+16", "1e-05"), else fixed with at least one
 * fractional digit ("100.0"). */
static void put_float(out_buf *b, double v, bool single) {
  if (isnan(v)) { out_buf_add(b, "nan", 3); return; }
  if (isinf(v)) { out_buf_adds(b, v < 0 ? "-inf" : "inf"); return; }
  if (signbit(v)) out_buf_addc(b, '-');
  if (v == 0) { out_buf_add(b, "0.0", 3); return; }
  char d[24];
  int e;
  int n = shortest(fabs(v), single, d, &e);
  if (e < -4 || e >= 16) {
    out_buf_addc(b, d[0]);
    if (n > 1) {
      out_buf_addc(b, '.');
      out_buf_add(b, d + 1, (size_t)n - 1);
    }
    out_buf_add(b, e < 0 ? "e-" : "e+", 2);
    put_u64_pad(b, (uint64_t)(e < 0 ? -e : e), 2);
  } else if (e < 0) {
    out_buf_add(b, "0.", 2);
    for (int k = -1; k > e; k--) out_buf_addc(b, '0');
    out_buf_add(b, d, (size_t)n);
  } else if (n > e + 1) {
    out_buf_add(b, d, (size_t)e + 1);
    out_buf_addc(b, '.');
    out_buf_add(b, d + e + 1, (size_t)(n - e - 1));
  } else {
    out_buf_add(b, d, (size_t)n);
    for (int k = n; k < e + 1; k++) out_buf_addc(b, '0');
    out_buf_add(b, ".0", 2);
  }
}

static double half_to_double(uint16_t h) {
  int e = (h >> 10) & 0x1f, m = h & 0x3ff;
  double v = e == 0 ? ldexp(m, -24)
             : e == 31 ? (m ? NAN : INFINITY)
                       : ldexp(m + 1024, e - 25);
  return (h & 0x8000) ? -v : v;
}

/* -- dates and times ----------------------------------------------------- */

static inline int64_t floordiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = (int64_t)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

/* "YYYY-MM-DD", years before 1 as "YYYY-MM-DD (BC)" (year 0 is 1 BC). */
static void put_date(out_buf *b, int64_t days, bool *bc) {
  int64_t y;
  unsigned m, d;
  civil(days, &y, &m, &d);
  *bc = y <= 0;
  put_u64_pad(b, (uint64_t)(y <= 0 ? 1 - y : y), 4);
  out_buf_addc(b, '-');
  put_u64_pad(b, m, 2);
  out_buf_addc(b, '-');
  put_u64_pad(b, d, 2);
}

/* Fraction of a second (`frac` units of 1/per_sec) without trailing
 * zeros; nothing when zero. */
static void put_frac(out_buf *b, int64_t frac, int64_t per_sec) {
  if (frac == 0 || per_sec == 1) return;
  int width = per_sec == 1000 ? 3 : per_sec == 1000000 ? 6 : 9;
  while (frac % 10 == 0) {
    frac /= 10;
    width--;
  }
  out_buf_addc(b, '.');
  put_u64_pad(b, (uint64_t)frac, width);
}

/* HH:MM:SS[.f] from units since midnight (hours may exceed 23). */
static void put_tod(out_buf *b, int64_t t, int64_t per_sec) {
  int64_t secs = t / per_sec, frac = t % per_sec;
  put_u64_pad(b, (uint64_t)(secs / 3600), 2);
  out_buf_addc(b, ':');
  put_u64_pad(b, (uint64_t)(secs / 60 % 60), 2);
  out_buf_addc(b, ':');
  put_u64_pad(b, (uint64_t)(secs % 60), 2);
  put_frac(b, frac, per_sec);
}

static void put_date_days(out_buf *b, int64_t days) {
  if (days == INT32_MAX) { out_buf_adds(b, "infinity"); return; }
  if (days == -INT32_MAX) { out_buf_adds(b, "-infinity"); return; }
  bool bc;
  put_date(b, days, &bc);
  if (bc) out_buf_adds(b, " (BC)");
}

static void put_timestamp(out_buf *b, int64_t v, int64_t per_sec, bool tz) {
  if (v == INT64_MAX) { out_buf_adds(b, "infinity"); return; }
  if (v == -INT64_MAX) { out_buf_adds(b, "-infinity"); return; }
  int64_t per_day = per_sec * 86400;
  int64_t days = floordiv(v, per_day);
  bool bc;
  put_date(b, days, &bc);
  if (bc) out_buf_adds(b, " (BC)");
  out_buf_addc(b, ' ');
  put_tod(b, v - days * per_day, per_sec);
  if (tz) out_buf_add(b, "+00", 3);
}

static void put_plural(out_buf *b, int64_t n, const char *unit) {
  put_i64(b, n);
  out_buf_addc(b, ' ');
  out_buf_adds(b, unit);
  if (n != 1) out_buf_addc(b, 's');
}

/* DuckDB's interval text: "1 year 2 months 3 days 04:05:06.7". */
static void put_interval(out_buf *b, int32_t months, int32_t days,
                         int64_t micros) {
  size_t start = b->len;
  int32_t years = months / 12;
  months -= years * 12;
  if (years) put_plural(b, years, "year");
  if (months) {
    if (b->len != start) out_buf_addc(b, ' ');
    put_plural(b, months, "month");
  }
  if (days) {
    if (b->len != start) out_buf_addc(b, ' ');
    put_plural(b, days, "day");
  }
  if (micros) {
    if (b->len != start) out_buf_addc(b, ' ');
    uint64_t u = (uint64_t)micros;
    if (micros < 0) {
      out_buf_addc(b, '-');
      u = (uint64_t)0 - u;
    }
    put_tod(b, (int64_t)u, 1000000);
  } else if (b->len == start) {
    out_buf_add(b, "00:00:00", 8);
  }
}

/* -- strings -------------------------------------------------------------- */

/* Bytes of a utf8/binary value (any of the layouts). */
static const char *bytes_at(const out_col *c, const struct ArrowArray *a,
                            int64_t i, size_t *len) {
  int64_t k = a->offset + i;
  switch (c->kind) {
    case VK_STR: case VK_BIN: case VK_JSON: case VK_BIGNUM: case VK_BIT: {
      const int32_t *o = a->buffers[1];
      *len = (size_t)(o[k + 1] - o[k]);
      return (const char *)a->buffers[2] + o[k];
    }
    case VK_LSTR: case VK_LBIN: {
      const int64_t *o = a->buffers[1];
      *len = (size_t)(o[k + 1] - o[k]);
      return (const char *)a->buffers[2] + o[k];
    }
    case VK_VSTR: case VK_VBIN: {
      const uint8_t *v = (const uint8_t *)a->buffers[1] + 16 * k;
      int32_t n, bufi, off;
      memcpy(&n, v, 4);
      *len = (size_t)n;
      if (n <= 12) return (const char *)v + 4;
      memcpy(&bufi, v + 8, 4);
      memcpy(&off, v + 12, 4);
      return (const char *)a->buffers[2 + bufi] + off;
    }
    case VK_FBIN: case VK_HUGE: case VK_UHUGE: case VK_UUID: case VK_TIMETZ:
      *len = (size_t)c->fixed;
      return (const char *)a->buffers[1] + (size_t)c->fixed * (size_t)k;
    default:
      *len = 0;
      return "";
  }
}

/* Blobs print printable ASCII as is and every other byte (and the
 * backslash) as \xHH. */
static void put_blob(out_buf *b, const char *s, size_t n) {
  static const char HEX[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch >= 32 && ch <= 126 && ch != '\\') {
      out_buf_addc(b, (char)ch);
    } else {
      char e[4] = {'\\', 'x', HEX[ch >> 4], HEX[ch & 15]};
      out_buf_add(b, e, 4);
    }
  }
}

/* -- DuckDB extension types ------------------------------------------------ */

static void put_i128(out_buf *b, const char *p, bool is_signed) {
  uint64_t lo, hi;
  memcpy(&lo, p, 8);
  memcpy(&hi, p + 8, 8);
  u128 u = ((u128)hi << 64) | lo;
  char tmp[48];
  if (is_signed && (hi >> 63)) {
    out_buf_addc(b, '-');
    u = (u128)0 - u;
  }
  char *d = u128_digits(u, tmp + sizeof tmp);
  out_buf_add(b, d, (size_t)(tmp + sizeof tmp - d));
}

/* DuckDB's BIGNUM: a 3-byte header (top bit set = positive, then the byte
 * count) and the big-endian magnitude; negative values are stored with
 * every bit inverted. Printed by repeated division by 10^9. */
static void put_bignum(out_buf *b, const char *s, size_t n) {
  if (n < 3) return;
  bool neg = !((unsigned char)s[0] & 0x80);
  size_t m = n - 3;
  uint8_t *mag = malloc(m ? m : 1);
  char *dig = malloc(m * 3 + 16);
  if (!mag || !dig) {
    free(mag);
    free(dig);
    b->err_no = 12;
    return;
  }
  for (size_t i = 0; i < m; i++)
    mag[i] = neg ? (uint8_t)~(unsigned char)s[3 + i] : (uint8_t)s[3 + i];
  size_t nd = 0, start = 0;
  while (start < m && mag[start] == 0) start++;
  while (start < m) {
    uint64_t rem = 0;
    for (size_t i = start; i < m; i++) {
      uint64_t cur = (rem << 8) | mag[i];
      mag[i] = (uint8_t)(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    while (start < m && mag[start] == 0) start++;
    for (int k = 0; k < 9; k++, rem /= 10) dig[nd++] = (char)('0' + rem % 10);
  }
  while (nd > 1 && dig[nd - 1] == '0') nd--;
  if (nd == 0) dig[nd++] = '0';
  if (neg && !(nd == 1 && dig[0] == '0')) out_buf_addc(b, '-');
  while (nd) out_buf_addc(b, dig[--nd]);
  free(mag);
  free(dig);
}

/* DuckDB's BIT: the first byte counts padding bits at the front. */
static void put_bits(out_buf *b, const char *s, size_t n) {
  if (n < 1) return;
  unsigned pad = (unsigned char)s[0];
  for (size_t i = 1; i < n; i++)
    for (int k = 7; k >= 0; k--) {
      if (i == 1 && (unsigned)(7 - k) < pad) continue;
      out_buf_addc(b, ((unsigned char)s[i] >> k) & 1 ? '1' : '0');
    }
}

/* TIME WITH TIME ZONE: micros in the upper 40 bits, (57599 - offset
 * seconds) in the lower 24; printed "HH:MM:SS[.f]+HH[:MM[:SS]]". */
static void put_timetz(out_buf *b, const char *p) {
  uint64_t bits;
  memcpy(&bits, p, 8);
  int64_t micros = (int64_t)(bits >> 24);
  int32_t off = 57599 - (int32_t)(bits & 0xFFFFFF);
  put_tod(b, micros, 1000000);
  out_buf_addc(b, off < 0 ? '-' : '+');
  if (off < 0) off = -off;
  put_u64_pad(b, (uint64_t)(off / 3600), 2);
  int mm = off / 60 % 60, ss = off % 60;
  if (mm || ss) {
    out_buf_addc(b, ':');
    put_u64_pad(b, (uint64_t)mm, 2);
  }
  if (ss) {
    out_buf_addc(b, ':');
    put_u64_pad(b, (uint64_t)ss, 2);
  }
}

static void put_uuid(out_buf *b, const char *p) {
  static const char HEX[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out_buf_addc(b, '-');
    unsigned char ch = (unsigned char)p[i];
    out_buf_addc(b, HEX[ch >> 4]);
    out_buf_addc(b, HEX[ch & 15]);
  }
}

/* -- nested values -------------------------------------------------------- */

static void put_text(const out_col *c, const struct ArrowArray *a, int64_t i,
                     out_buf *b);

/* Inside a list, struct or map, DuckDB quotes a value's text when it could
 * be misread: empty, NULL (any case), surrounding whitespace, or one of
 * , ' " [ ] { } ( ) : = inside. */
static bool needs_quotes(const char *s, size_t n) {
  if (n == 0) return true;
  if (n == 4 && (s[0] | 32) == 'n' && (s[1] | 32) == 'u' &&
      (s[2] | 32) == 'l' && (s[3] | 32) == 'l')
    return true;
  const char *ws = " \t\n\r\v\f";
  if (strchr(ws, s[0]) || strchr(ws, s[n - 1])) return true;
  for (size_t k = 0; k < n; k++)
    if (memchr(",'\"[]{}():=", s[k], 11)) return true;
  return false;
}

static void put_quoted(out_buf *b, const char *s, size_t n) {
  out_buf_addc(b, '\'');
  for (size_t k = 0; k < n; k++) {
    if (s[k] == '\'' || s[k] == '\\') out_buf_addc(b, '\\');
    out_buf_addc(b, s[k]);
  }
  out_buf_addc(b, '\'');
}

static bool is_nested(const out_col *c) {
  return !c->dict && c->kind >= VK_LIST;
}

/* A child value inside a nested value: NULL, nested as is, leaves quoted
 * when needed. */
static void put_child(const out_col *c, const struct ArrowArray *a, int64_t i,
                      out_buf *b) {
  if (out_is_null(c, a, i)) {
    out_buf_add(b, "NULL", 4);
    return;
  }
  if (is_nested(c) || out_col_plain(c) || (c->kind == VK_JSON && !c->dict)) {
    put_text(c, a, i, b);
    return;
  }
  size_t start = b->len;
  put_text(c, a, i, b);
  if (b->err_no || !needs_quotes(b->p + start, b->len - start)) return;
  size_t n = b->len - start;
  char *tmp = malloc(n ? n : 1);
  if (!tmp) {
    b->err_no = 12;
    return;
  }
  memcpy(tmp, b->p + start, n);
  b->len = start;
  put_quoted(b, tmp, n);
  free(tmp);
}

/* Child index range [*lo, *hi) of list element i. */
static void list_range(const out_col *c, const struct ArrowArray *a, int64_t i,
                       int64_t *lo, int64_t *hi) {
  int64_t k = a->offset + i;
  if (c->kind == VK_LIST || c->kind == VK_MAP) {
    const int32_t *o = a->buffers[1];
    *lo = o[k];
    *hi = o[k + 1];
  } else if (c->kind == VK_LLIST) {
    const int64_t *o = a->buffers[1];
    *lo = o[k];
    *hi = o[k + 1];
  } else {
    *lo = k * c->fixed;
    *hi = *lo + c->fixed;
  }
}

static void put_list(const out_col *c, const struct ArrowArray *a, int64_t i,
                     out_buf *b) {
  int64_t lo, hi;
  list_range(c, a, i, &lo, &hi);
  const struct ArrowArray *ch = a->children[0];
  out_buf_addc(b, '[');
  for (int64_t j = lo; j < hi; j++) {
    if (j > lo) out_buf_add(b, ", ", 2);
    put_child(&c->kids[0], ch, j, b);
  }
  out_buf_addc(b, ']');
}

static void put_struct(const out_col *c, const struct ArrowArray *a, int64_t i,
                       out_buf *b) {
  out_buf_addc(b, '{');
  for (size_t k = 0; k < c->nkids; k++) {
    if (k) out_buf_add(b, ", ", 2);
    put_quoted(b, c->kids[k].name, strlen(c->kids[k].name));
    out_buf_add(b, ": ", 2);
    /* struct children share the parent's offset */
    put_child(&c->kids[k], a->children[k], a->offset + i, b);
  }
  out_buf_addc(b, '}');
}

static void put_map(const out_col *c, const struct ArrowArray *a, int64_t i,
                    out_buf *b) {
  int64_t lo, hi;
  list_range(c, a, i, &lo, &hi);
  const struct ArrowArray *ent = a->children[0];
  const out_col *ec = &c->kids[0];
  out_buf_addc(b, '{');
  for (int64_t j = lo; j < hi; j++) {
    if (j > lo) out_buf_add(b, ", ", 2);
    int64_t e = ent->offset + j;
    put_child(&ec->kids[0], ent->children[0], e, b);
    out_buf_addc(b, '=');
    put_child(&ec->kids[1], ent->children[1], e, b);
  }
  out_buf_addc(b, '}');
}

/* The union member chosen at row i: its reader, array and index. */
static const out_col *union_member(const out_col *c,
                                   const struct ArrowArray *a, int64_t i,
                                   const struct ArrowArray **ch, int64_t *j) {
  int8_t id = AT(int8_t, a, 0, i);
  int k = id >= 0 ? c->type_child[id] : -1;
  if (k < 0) return NULL;
  *ch = a->children[k];
  int64_t abs = c->kind == VK_DUNION ? AT(int32_t, a, 1, i) : a->offset + i;
  *j = abs;
  return &c->kids[k];
}

static int64_t int_at(const out_col *c, const struct ArrowArray *a, int64_t i) {
  switch (c->kind) {
    case VK_I8: return AT(int8_t, a, 1, i);
    case VK_I16: return AT(int16_t, a, 1, i);
    case VK_I32: return AT(int32_t, a, 1, i);
    case VK_I64: return AT(int64_t, a, 1, i);
    case VK_U8: return AT(uint8_t, a, 1, i);
    case VK_U16: return AT(uint16_t, a, 1, i);
    case VK_U32: return AT(uint32_t, a, 1, i);
    case VK_U64: return (int64_t)AT(uint64_t, a, 1, i);
    default: return 0;
  }
}

static i128 decimal_at(const out_col *c, const struct ArrowArray *a,
                       int64_t i) {
  if (c->bits == 32) return AT(int32_t, a, 1, i);
  if (c->bits == 64) return AT(int64_t, a, 1, i);
  const uint8_t *p = (const uint8_t *)a->buffers[1] + 16 * (a->offset + i);
  uint64_t lo, hi;
  memcpy(&lo, p, 8);
  memcpy(&hi, p + 8, 8);
  return (i128)(((u128)hi << 64) | lo);
}

static void put_interval_at(const out_col *c, const struct ArrowArray *a,
                            int64_t i, out_buf *b) {
  const uint8_t *base = a->buffers[1];
  int64_t k = a->offset + i;
  int32_t m = 0, d = 0;
  int64_t us = 0;
  if (c->kind == VK_IV_MDN) {
    int64_t ns;
    memcpy(&m, base + 16 * k, 4);
    memcpy(&d, base + 16 * k + 4, 4);
    memcpy(&ns, base + 16 * k + 8, 8);
    us = ns / 1000;
  } else if (c->kind == VK_IV_YM) {
    memcpy(&m, base + 4 * k, 4);
  } else {
    int32_t ms;
    memcpy(&d, base + 8 * k, 4);
    memcpy(&ms, base + 8 * k + 4, 4);
    us = (int64_t)ms * 1000;
  }
  put_interval(b, m, d, us);
}

static void put_text(const out_col *c, const struct ArrowArray *a, int64_t i,
                     out_buf *b) {
  if (c->dict) {
    int64_t k = int_at(c, a, i);
    const struct ArrowArray *d = a->dictionary;
    put_text(c->dict, d, k, b);
    return;
  }
  switch (c->kind) {
    case VK_NULL: out_buf_add(b, "NULL", 4); return;
    case VK_BOOL:
      if (bit(a->buffers[1], a->offset + i)) out_buf_add(b, "true", 4);
      else out_buf_add(b, "false", 5);
      return;
    case VK_I8: case VK_I16: case VK_I32: case VK_I64:
      put_i64(b, int_at(c, a, i));
      return;
    case VK_U8: case VK_U16: case VK_U32: case VK_U64:
      put_u64(b, (uint64_t)int_at(c, a, i));
      return;
    case VK_F16: put_float(b, half_to_double(AT(uint16_t, a, 1, i)), true); return;
    case VK_F32: put_float(b, AT(float, a, 1, i), true); return;
    case VK_F64: put_float(b, AT(double, a, 1, i), false); return;
    case VK_DEC: put_decimal(b, decimal_at(c, a, i), c->scale); return;
    case VK_STR: case VK_LSTR: case VK_VSTR: {
      size_t n;
      const char *s = bytes_at(c, a, i, &n);
      out_buf_add(b, s, n);
      return;
    }
    case VK_BIN: case VK_LBIN: case VK_VBIN: case VK_FBIN: {
      size_t n;
      const char *s = bytes_at(c, a, i, &n);
      put_blob(b, s, n);
      return;
    }
    case VK_BOOL8:
      if (AT(int8_t, a, 1, i)) out_buf_add(b, "true", 4);
      else out_buf_add(b, "false", 5);
      return;
    case VK_HUGE: case VK_UHUGE: case VK_UUID: case VK_TIMETZ:
    case VK_BIGNUM: case VK_BIT: case VK_JSON: {
      size_t n;
      const char *s = bytes_at(c, a, i, &n);
      if (c->kind == VK_HUGE || c->kind == VK_UHUGE) put_i128(b, s, c->kind == VK_HUGE);
      else if (c->kind == VK_UUID) put_uuid(b, s);
      else if (c->kind == VK_TIMETZ) put_timetz(b, s);
      else if (c->kind == VK_BIGNUM) put_bignum(b, s, n);
      else if (c->kind == VK_BIT) put_bits(b, s, n);
      else out_buf_add(b, s, n);
      return;
    }
    case VK_DATE32: put_date_days(b, AT(int32_t, a, 1, i)); return;
    case VK_DATE64: put_date_days(b, floordiv(AT(int64_t, a, 1, i), 86400000)); return;
    case VK_TS: put_timestamp(b, AT(int64_t, a, 1, i), c->per_sec, c->tz); return;
    case VK_TIME32: put_tod(b, AT(int32_t, a, 1, i), c->per_sec); return;
    case VK_TIME64: put_tod(b, AT(int64_t, a, 1, i), c->per_sec); return;
    case VK_IV_MDN: case VK_IV_YM: case VK_IV_DT: put_interval_at(c, a, i, b); return;
    case VK_LIST: case VK_LLIST: case VK_FLIST: put_list(c, a, i, b); return;
    case VK_STRUCT: put_struct(c, a, i, b); return;
    case VK_MAP: put_map(c, a, i, b); return;
    case VK_DUNION: case VK_SUNION: {
      const struct ArrowArray *ch;
      int64_t j;
      const out_col *m = union_member(c, a, i, &ch, &j);
      if (m) put_text(m, ch, j, b);
      else out_buf_add(b, "NULL", 4);
      return;
    }
  }
}

void out_value_text(const out_col *c, const struct ArrowArray *a, int64_t i,
                    out_buf *b) {
  put_text(c, a, i, b);
}

/* -- JSON ------------------------------------------------------------------ */

void out_json_string(out_buf *b, const char *s, size_t n) {
  static const char HEX[] = "0123456789abcdef";
  if (!out_buf_reserve(b, n + 2)) return;
  out_buf_addc(b, '"');
  size_t run = 0; /* bytes copied as a block */
  for (size_t k = 0; k < n; k++) {
    unsigned char ch = (unsigned char)s[k];
    if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
    out_buf_add(b, s + run, k - run);
    run = k + 1;
    switch (ch) {
      case '"': out_buf_add(b, "\\\"", 2); break;
      case '\\': out_buf_add(b, "\\\\", 2); break;
      case '\n': out_buf_add(b, "\\n", 2); break;
      case '\r': out_buf_add(b, "\\r", 2); break;
      case '\t': out_buf_add(b, "\\t", 2); break;
      default: {
        char e[6] = {'\\', 'u', '0', '0', HEX[ch >> 4], HEX[ch & 15]};
        out_buf_add(b, e, 6);
      }
    }
  }
  out_buf_add(b, s + run, n - run);
  out_buf_addc(b, '"');
}

/* The value's text as a JSON string (through a scratch copy). */
static void json_text_string(const out_col *c, const struct ArrowArray *a,
                             int64_t i, out_buf *b) {
  if (c->is_string && !c->dict) {
    size_t n;
    const char *s = bytes_at(c, a, i, &n);
    out_json_string(b, s, n);
    return;
  }
  out_buf tmp;
  out_buf_init(&tmp, -1);
  put_text(c, a, i, &tmp);
  if (tmp.err_no) b->err_no = tmp.err_no;
  else out_json_string(b, tmp.p ? tmp.p : "", tmp.len);
  out_buf_free(&tmp);
}

static bool json_number(const out_col *c, const struct ArrowArray *a,
                        int64_t i) {
  if (c->dict) return false;
  switch (c->kind) {
    case VK_I8: case VK_I16: case VK_I32: case VK_I64: case VK_U8:
    case VK_U16: case VK_U32: case VK_U64: case VK_DEC: case VK_HUGE:
    case VK_UHUGE: case VK_BIGNUM:
      return true;
    case VK_F16: return isfinite(half_to_double(AT(uint16_t, a, 1, i)));
    case VK_F32: return isfinite(AT(float, a, 1, i));
    case VK_F64: return isfinite(AT(double, a, 1, i));
    default: return false;
  }
}

void out_value_json(const out_col *c, const struct ArrowArray *a, int64_t i,
                    out_buf *b) {
  if (out_is_null(c, a, i)) {
    out_buf_add(b, "null", 4);
    return;
  }
  if ((c->kind == VK_BOOL || c->kind == VK_BOOL8) && !c->dict) {
    put_text(c, a, i, b);
    return;
  }
  if (json_number(c, a, i) || (c->kind == VK_JSON && !c->dict)) {
    put_text(c, a, i, b);
    return;
  }
  if (c->dict || !is_nested(c)) {
    json_text_string(c, a, i, b);
    return;
  }
  if (c->kind == VK_STRUCT) {
    out_buf_addc(b, '{');
    for (size_t k = 0; k < c->nkids; k++) {
      if (k) out_buf_addc(b, ',');
      out_json_string(b, c->kids[k].name, strlen(c->kids[k].name));
      out_buf_addc(b, ':');
      out_value_json(&c->kids[k], a->children[k], a->offset + i, b);
    }
    out_buf_addc(b, '}');
    return;
  }
  if (c->kind == VK_DUNION || c->kind == VK_SUNION) {
    const struct ArrowArray *ch;
    int64_t j;
    const out_col *m = union_member(c, a, i, &ch, &j);
    if (m) out_value_json(m, ch, j, b);
    else out_buf_add(b, "null", 4);
    return;
  }
  int64_t lo, hi;
  list_range(c, a, i, &lo, &hi);
  if (c->kind == VK_MAP) {
    /* a map becomes an object keyed by the keys' text */
    const struct ArrowArray *ent = a->children[0];
    const out_col *ec = &c->kids[0];
    out_buf_addc(b, '{');
    for (int64_t j = lo; j < hi; j++) {
      if (j > lo) out_buf_addc(b, ',');
      int64_t e = ent->offset + j;
      json_text_string(&ec->kids[0], ent->children[0], e, b);
      out_buf_addc(b, ':');
      out_value_json(&ec->kids[1], ent->children[1], e, b);
    }
    out_buf_addc(b, '}');
    return;
  }
  const struct ArrowArray *ch = a->children[0];
  out_buf_addc(b, '[');
  for (int64_t j = lo; j < hi; j++) {
    if (j > lo) out_buf_addc(b, ',');
    out_value_json(&c->kids[0], ch, j, b);
  }
  out_buf_addc(b, ']');
}
