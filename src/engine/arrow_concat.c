/*
 * Concatenation of Arrow array slices, driven by the format string of the C
 * Data Interface. The output is compact (offset 0) and owns its buffers; its
 * release callback frees them, then its children and dictionary.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "engine/arrow.h"

/* -- layouts ---------------------------------------------------------------- */

typedef enum layout_kind {
  L_NULL, L_BOOL, L_FIXED, L_BIN32, L_BIN64, L_VIEW, L_LIST32, L_LIST64,
  L_FIXED_LIST, L_STRUCT, L_UNSUPPORTED
} layout_kind;

typedef struct layout {
  layout_kind kind;
  int64_t width; /* L_FIXED: bytes per value; L_FIXED_LIST: list size */
} layout;

/* Width of the decimal in "d:P,S[,BITS]". */
static int64_t decimal_width(const char *f) {
  const char *c = strchr(f, ',');
  c = c ? strchr(c + 1, ',') : NULL;
  return c ? atoi(c + 1) / 8 : 16;
}

/* Bytes per value of the temporal formats ("t..."), 0 if unknown. */
static int64_t temporal_width(const char *f) {
  switch (f[1]) {
    case 'd': return f[2] == 'D' ? 4 : f[2] == 'm' ? 8 : 0;
    case 't': return (f[2] == 's' || f[2] == 'm') ? 4 : (f[2] == 'u' || f[2] == 'n') ? 8 : 0;
    case 's': case 'D': return 8;
    case 'i': return f[2] == 'M' ? 4 : f[2] == 'D' ? 8 : f[2] == 'n' ? 16 : 0;
    default: return 0;
  }
}

static layout primitive_layout(const char *f) {
  layout l = {L_UNSUPPORTED, 0};
  static const char w1[] = "cC", w2[] = "sSe", w4[] = "iIf", w8[] = "lLg";
  if (f[0] != '\0' && f[1] == '\0') {
    char c = f[0];
    if (c == 'n') l.kind = L_NULL;
    else if (c == 'b') l.kind = L_BOOL;
    else if (c == 'u' || c == 'z') l.kind = L_BIN32;
    else if (c == 'U' || c == 'Z') l.kind = L_BIN64;
    else if (strchr(w1, c)) l = (layout){L_FIXED, 1};
    else if (strchr(w2, c)) l = (layout){L_FIXED, 2};
    else if (strchr(w4, c)) l = (layout){L_FIXED, 4};
    else if (strchr(w8, c)) l = (layout){L_FIXED, 8};
    return l;
  }
  if (strcmp(f, "vu") == 0 || strcmp(f, "vz") == 0) l.kind = L_VIEW;
  else if (strncmp(f, "w:", 2) == 0) l = (layout){L_FIXED, atoi(f + 2)};
  else if (strncmp(f, "d:", 2) == 0) l = (layout){L_FIXED, decimal_width(f)};
  else if (f[0] == 't' && temporal_width(f) > 0) l = (layout){L_FIXED, temporal_width(f)};
  return l;
}

static layout get_layout(const char *f) {
  if (f == NULL) return (layout){L_UNSUPPORTED, 0};
  if (f[0] != '+') return primitive_layout(f);
  if (strcmp(f, "+l") == 0 || strcmp(f, "+m") == 0) return (layout){L_LIST32, 0};
  if (strcmp(f, "+L") == 0) return (layout){L_LIST64, 0};
  if (strcmp(f, "+s") == 0) return (layout){L_STRUCT, 0};
  if (strncmp(f, "+w:", 3) == 0) return (layout){L_FIXED_LIST, atoi(f + 3)};
  return (layout){L_UNSUPPORTED, 0};
}

/* -- owned arrays ------------------------------------------------------------ */

#define MAX_BUFFERS 4

typedef struct owned {
  void *bufs[MAX_BUFFERS];
  const void *ptrs[MAX_BUFFERS];
  struct ArrowArray **children;
  struct ArrowArray *dict;
} owned;

static void release_child(struct ArrowArray *c) {
  if (c == NULL) return;
  if (c->release) c->release(c);
  free(c);
}

static void owned_release(struct ArrowArray *a) {
  owned *o = a->private_data;
  if (o != NULL) {
    for (int64_t i = 0; o->children && i < a->n_children; i++)
      release_child(o->children[i]);
    release_child(o->dict);
    for (int i = 0; i < MAX_BUFFERS; i++) free(o->bufs[i]);
    free(o->children);
    free(o);
  }
  a->release = NULL;
}

/* Starts *out as an owned array of `len` elements with n_buffers buffers
 * and n_children (allocated, zeroed) children. */
static uf_status owned_init(struct ArrowArray *out, int64_t len,
                            int64_t n_buffers, int64_t n_children,
                            uf_error *err) {
  memset(out, 0, sizeof *out);
  owned *o = calloc(1, sizeof *o);
  if (o == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  out->private_data = o;
  out->release = owned_release;
  out->length = len;
  out->n_buffers = n_buffers;
  out->buffers = o->ptrs;
  if (n_children > 0) {
    o->children = calloc((size_t)n_children, sizeof *o->children);
    if (o->children == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
    out->n_children = n_children;
    out->children = o->children;
    for (int64_t i = 0; i < n_children; i++) {
      o->children[i] = calloc(1, sizeof **o->children);
      if (o->children[i] == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
    }
  }
  return UF_OK;
}

/* Allocates buffer i of `size` bytes (at least one). Not zeroed: every
 * byte a reader may look at is written (bitmaps bit by bit or bytewise). */
static void *owned_buffer(struct ArrowArray *out, int i, size_t size) {
  owned *o = out->private_data;
  o->bufs[i] = malloc(size > 0 ? size : 1);
  o->ptrs[i] = o->bufs[i];
  return o->bufs[i];
}

/* Bitmaps are zeroed (they are small), so no byte a reader sees is left
 * undefined past the last bit. */
static uint8_t *owned_bitmap(struct ArrowArray *out, int i, int64_t bits) {
  owned *o = out->private_data;
  o->bufs[i] = calloc(1, (size_t)(bits + 7) / 8 + 1);
  o->ptrs[i] = o->bufs[i];
  return o->bufs[i];
}

/* -- bits ---------------------------------------------------------------------- */

static inline bool get_bit(const uint8_t *b, int64_t i) {
  return (b[i >> 3] >> (i & 7)) & 1;
}

static inline void put_bit(uint8_t *b, int64_t i, bool v) {
  if (v) b[i >> 3] |= (uint8_t)(1u << (i & 7));
  else b[i >> 3] &= (uint8_t)~(1u << (i & 7));
}

/* Copies n bits; whole bytes at once when both positions are byte-aligned. */
static void copy_bits(uint8_t *dst, int64_t doff, const uint8_t *src,
                      int64_t soff, int64_t n) {
  int64_t i = 0;
  if (((doff | soff) & 7) == 0) {
    memcpy(dst + doff / 8, src + soff / 8, (size_t)(n / 8));
    i = n / 8 * 8;
  }
  for (; i < n; i++) put_bit(dst, doff + i, get_bit(src, soff + i));
}

static void set_bits(uint8_t *dst, int64_t doff, int64_t n) {
  int64_t i = 0;
  for (; i < n && ((doff + i) & 7) != 0; i++) put_bit(dst, doff + i, true);
  int64_t bytes = (n - i) / 8;
  memset(dst + (doff + i) / 8, 0xff, (size_t)bytes);
  for (i += bytes * 8; i < n; i++) put_bit(dst, doff + i, true);
}

static int64_t count_set(const uint8_t *b, int64_t n) {
  int64_t c = 0, i = 0;
  for (; i + 64 <= n; i += 64) {
    uint64_t w;
    memcpy(&w, b + i / 8, 8);
    c += __builtin_popcountll(w);
  }
  for (; i < n; i++) c += get_bit(b, i);
  return c;
}

/* -- concatenation ------------------------------------------------------------- */

static uf_status concat(const struct ArrowSchema *schema,
                        const uf_arrow_slice *sl, size_t n,
                        struct ArrowArray *out, uf_error *err);

static bool slice_may_have_nulls(const uf_arrow_slice *s) {
  return s->len > 0 && s->a->null_count != 0 && s->a->n_buffers > 0 &&
         s->a->buffers[0] != NULL;
}

/* Buffer 0: validity, only allocated when some input has nulls. */
static uf_status concat_validity(const uf_arrow_slice *sl, size_t n,
                                 int64_t total, struct ArrowArray *out,
                                 uf_error *err) {
  bool any = false;
  for (size_t i = 0; i < n && !any; i++) any = slice_may_have_nulls(&sl[i]);
  out->null_count = 0;
  if (!any) return UF_OK;
  uint8_t *v = owned_bitmap(out, 0, total);
  if (v == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  int64_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    const struct ArrowArray *a = sl[i].a;
    if (slice_may_have_nulls(&sl[i]))
      copy_bits(v, pos, a->buffers[0], a->offset + sl[i].off, sl[i].len);
    else
      set_bits(v, pos, sl[i].len);
    pos += sl[i].len;
  }
  out->null_count = total - count_set(v, total);
  return UF_OK;
}

static uf_status concat_fixed(const uf_arrow_slice *sl, size_t n, int64_t total,
                              int64_t w, struct ArrowArray *out, uf_error *err) {
  uint8_t *d = owned_buffer(out, 1, (size_t)(total * w));
  if (d == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  int64_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    const uint8_t *src = sl[i].a->buffers[1];
    if (sl[i].len > 0)
      memcpy(d + pos * w, src + (sl[i].a->offset + sl[i].off) * w,
             (size_t)(sl[i].len * w));
    pos += sl[i].len;
  }
  return UF_OK;
}

static uf_status concat_bool(const uf_arrow_slice *sl, size_t n, int64_t total,
                             struct ArrowArray *out, uf_error *err) {
  uint8_t *d = owned_bitmap(out, 1, total);
  if (d == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  int64_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    if (sl[i].len > 0)
      copy_bits(d, pos, sl[i].a->buffers[1], sl[i].a->offset + sl[i].off,
                sl[i].len);
    pos += sl[i].len;
  }
  return UF_OK;
}

/* Offset i of a slice's offsets buffer, 32- or 64-bit. */
static inline int64_t offset_at(const uf_arrow_slice *s, bool wide, int64_t i) {
  int64_t k = s->a->offset + s->off + i;
  return wide ? ((const int64_t *)s->a->buffers[1])[k]
              : ((const int32_t *)s->a->buffers[1])[k];
}

/* Offsets buffer of variable-size types: rebased per slice. Returns the
 * total child/data length in *out_len. */
static uf_status concat_offsets(const uf_arrow_slice *sl, size_t n,
                                int64_t total, bool wide, struct ArrowArray *out,
                                int64_t *out_len, uf_error *err) {
  void *o = owned_buffer(out, 1, (size_t)(total + 1) * (wide ? 8 : 4));
  if (o == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  if (wide) ((int64_t *)o)[0] = 0;
  else ((int32_t *)o)[0] = 0;
  int64_t pos = 0, cur = 0;
  for (size_t i = 0; i < n; i++) {
    if (sl[i].len == 0) continue;
    int64_t base = offset_at(&sl[i], wide, 0);
    for (int64_t j = 1; j <= sl[i].len; j++) {
      int64_t v = cur + offset_at(&sl[i], wide, j) - base;
      if (wide) ((int64_t *)o)[pos + j] = v;
      else if (v > INT32_MAX)
        return uf_error_set(err, UF_LIMIT_EXCEEDED,
                            "arrow: concatenation exceeds 32-bit offsets");
      else ((int32_t *)o)[pos + j] = (int32_t)v;
    }
    cur += offset_at(&sl[i], wide, sl[i].len) - base;
    pos += sl[i].len;
  }
  *out_len = cur;
  return UF_OK;
}

static uf_status concat_binary(const uf_arrow_slice *sl, size_t n, int64_t total,
                               bool wide, struct ArrowArray *out, uf_error *err) {
  int64_t bytes = 0;
  uf_status st = concat_offsets(sl, n, total, wide, out, &bytes, err);
  if (st != UF_OK) return st;
  uint8_t *d = owned_buffer(out, 2, (size_t)bytes);
  if (d == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  int64_t cur = 0;
  for (size_t i = 0; i < n; i++) {
    if (sl[i].len == 0) continue;
    int64_t b0 = offset_at(&sl[i], wide, 0), b1 = offset_at(&sl[i], wide, sl[i].len);
    memcpy(d + cur, (const uint8_t *)sl[i].a->buffers[2] + b0, (size_t)(b1 - b0));
    cur += b1 - b0;
  }
  return UF_OK;
}

/* Binary/utf8 views: out-of-line bytes are gathered into one data buffer;
 * buffers are validity, views, data, variadic sizes. */
static uf_status concat_view(const uf_arrow_slice *sl, size_t n, int64_t total,
                             struct ArrowArray *out, uf_error *err) {
  int64_t bytes = 0;
  for (size_t i = 0; i < n; i++) {
    const uint8_t *v = sl[i].a->buffers[1];
    for (int64_t j = 0; j < sl[i].len; j++) {
      int32_t len;
      memcpy(&len, v + (sl[i].a->offset + sl[i].off + j) * 16, 4);
      if (len > 12) bytes += len;
    }
  }
  if (bytes > INT32_MAX)
    return uf_error_set(err, UF_LIMIT_EXCEEDED, "arrow: view data exceeds 2 GiB");
  uint8_t *views = owned_buffer(out, 1, (size_t)total * 16);
  uint8_t *data = owned_buffer(out, 2, (size_t)bytes);
  int64_t *sizes = owned_buffer(out, 3, 8);
  if (!views || !data || !sizes) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  sizes[0] = bytes;
  int64_t pos = 0, cur = 0;
  for (size_t i = 0; i < n; i++) {
    const struct ArrowArray *a = sl[i].a;
    for (int64_t j = 0; j < sl[i].len; j++, pos++) {
      uint8_t *dv = views + pos * 16;
      memcpy(dv, (const uint8_t *)a->buffers[1] + (a->offset + sl[i].off + j) * 16, 16);
      int32_t len, buf, off;
      memcpy(&len, dv, 4);
      if (len <= 12) continue;
      memcpy(&buf, dv + 8, 4);
      memcpy(&off, dv + 12, 4);
      memcpy(data + cur, (const uint8_t *)a->buffers[2 + buf] + off, (size_t)len);
      int32_t zero = 0, noff = (int32_t)cur;
      memcpy(dv + 8, &zero, 4);
      memcpy(dv + 12, &noff, 4);
      cur += len;
    }
  }
  return UF_OK;
}

/* Child slices of list slices: the child range each list slice spans. */
static uf_status concat_list(const struct ArrowSchema *schema,
                             const uf_arrow_slice *sl, size_t n, int64_t total,
                             bool wide, struct ArrowArray *out, uf_error *err) {
  int64_t child_len = 0;
  uf_status st = concat_offsets(sl, n, total, wide, out, &child_len, err);
  if (st != UF_OK) return st;
  uf_arrow_slice *cs = malloc((n ? n : 1) * sizeof *cs);
  if (cs == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  for (size_t i = 0; i < n; i++) {
    int64_t b0 = sl[i].len ? offset_at(&sl[i], wide, 0) : 0;
    int64_t b1 = sl[i].len ? offset_at(&sl[i], wide, sl[i].len) : 0;
    cs[i] = (uf_arrow_slice){sl[i].a->children[0], b0, b1 - b0};
  }
  st = concat(schema->children[0], cs, n, out->children[0], err);
  free(cs);
  return st;
}

static uf_status concat_fixed_list(const struct ArrowSchema *schema,
                                   const uf_arrow_slice *sl, size_t n,
                                   int64_t size, struct ArrowArray *out,
                                   uf_error *err) {
  uf_arrow_slice *cs = malloc((n ? n : 1) * sizeof *cs);
  if (cs == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  for (size_t i = 0; i < n; i++)
    cs[i] = (uf_arrow_slice){sl[i].a->children[0],
                             (sl[i].a->offset + sl[i].off) * size, sl[i].len * size};
  uf_status st = concat(schema->children[0], cs, n, out->children[0], err);
  free(cs);
  return st;
}

static uf_status concat_struct(const struct ArrowSchema *schema,
                               const uf_arrow_slice *sl, size_t n,
                               struct ArrowArray *out, uf_error *err) {
  uf_arrow_slice *cs = malloc((n ? n : 1) * sizeof *cs);
  if (cs == NULL) return uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  uf_status st = UF_OK;
  for (int64_t c = 0; st == UF_OK && c < schema->n_children; c++) {
    for (size_t i = 0; i < n; i++)
      cs[i] = (uf_arrow_slice){sl[i].a->children[c], sl[i].a->offset + sl[i].off,
                               sl[i].len};
    st = concat(schema->children[c], cs, n, out->children[c], err);
  }
  free(cs);
  return st;
}

/* Dictionary-encoded: the distinct dictionaries are concatenated (slices
 * of one array share its dictionary) and each slice's indices shifted by
 * where its dictionary landed. */
static uf_status concat_dictionary(const struct ArrowSchema *schema,
                                   const uf_arrow_slice *sl, size_t n,
                                   int64_t total, int64_t w,
                                   struct ArrowArray *out, uf_error *err) {
  uf_arrow_slice *ds = malloc((n ? n : 1) * sizeof *ds);
  int64_t *shift = malloc((n ? n : 1) * sizeof *shift);
  uf_status st = UF_OK;
  if (!ds || !shift) st = uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  size_t nd = 0;
  int64_t dict_len = 0;
  for (size_t i = 0; st == UF_OK && i < n; i++) {
    const struct ArrowArray *d = sl[i].a->dictionary;
    if (d == NULL) {
      st = uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: dictionary missing");
      break;
    }
    if (nd > 0 && ds[nd - 1].a == d) {
      shift[i] = shift[i - 1];
      continue;
    }
    shift[i] = dict_len;
    ds[nd++] = (uf_arrow_slice){d, 0, d->length};
    dict_len += d->length;
  }
  if (st == UF_OK) st = concat_fixed(sl, n, total, w, out, err);
  uint8_t *idx = st == UF_OK ? (uint8_t *)((owned *)out->private_data)->bufs[1] : NULL;
  for (size_t i = 0, pos = 0; st == UF_OK && i < n; pos += (size_t)sl[i].len, i++) {
    for (int64_t j = 0; shift[i] != 0 && j < sl[i].len; j++) {
      uint8_t *p = idx + (pos + (size_t)j) * (size_t)w;
      int64_t v = 0;
      switch (w) {
        case 1: v = *(int8_t *)p + shift[i]; *(int8_t *)p = (int8_t)v; break;
        case 2: { int16_t x; memcpy(&x, p, 2); x = (int16_t)(x + shift[i]); memcpy(p, &x, 2); v = x; break; }
        case 4: { int32_t x; memcpy(&x, p, 4); x = (int32_t)(x + shift[i]); memcpy(p, &x, 4); v = x; break; }
        default: { int64_t x; memcpy(&x, p, 8); x += shift[i]; memcpy(p, &x, 8); v = x; break; }
      }
      (void)v;
    }
  }
  if (st == UF_OK && dict_len > 0 && w < 8 && dict_len - 1 > (INT64_C(1) << (8 * w - 1)) - 1)
    st = uf_error_set(err, UF_LIMIT_EXCEEDED, "arrow: merged dictionary overflows its index type");
  owned *o = out->private_data;
  if (st == UF_OK) {
    o->dict = calloc(1, sizeof *o->dict);
    if (o->dict == NULL) st = uf_error_set(err, UF_NOMEM, "arrow: out of memory");
  }
  if (st == UF_OK) {
    out->dictionary = o->dict;
    st = concat(schema->dictionary, ds, nd, o->dict, err);
  }
  free(ds);
  free(shift);
  return st;
}

static int64_t buffer_count(layout l) {
  switch (l.kind) {
    case L_NULL: return 0;
    case L_STRUCT: case L_FIXED_LIST: return 1;
    case L_BIN32: case L_BIN64: return 3;
    case L_VIEW: return 4;
    default: return 2;
  }
}

static uf_status concat(const struct ArrowSchema *schema,
                        const uf_arrow_slice *sl, size_t n,
                        struct ArrowArray *out, uf_error *err) {
  layout l = get_layout(schema->format);
  if (l.kind == L_UNSUPPORTED || (schema->dictionary && l.kind != L_FIXED)) {
    memset(out, 0, sizeof *out);
    return uf_error_set(err, UF_UNSUPPORTED, "arrow: cannot concatenate format '%s'",
                        schema->format ? schema->format : "(null)");
  }
  int64_t total = 0;
  for (size_t i = 0; i < n; i++) total += sl[i].len;
  int64_t nchild = (l.kind == L_STRUCT) ? schema->n_children
                   : (l.kind >= L_LIST32 && l.kind <= L_FIXED_LIST) ? 1 : 0;
  if (nchild > 0 && schema->n_children < nchild) {
    memset(out, 0, sizeof *out);
    return uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: '%s' without children",
                        schema->format);
  }
  uf_status st = owned_init(out, total, buffer_count(l), nchild, err);
  if (st == UF_OK && l.kind == L_NULL) out->null_count = total;
  else if (st == UF_OK) st = concat_validity(sl, n, total, out, err);
  if (st != UF_OK) return st;
  if (schema->dictionary) return concat_dictionary(schema, sl, n, total, l.width, out, err);
  switch (l.kind) {
    case L_BOOL: return concat_bool(sl, n, total, out, err);
    case L_FIXED: return concat_fixed(sl, n, total, l.width, out, err);
    case L_BIN32: return concat_binary(sl, n, total, false, out, err);
    case L_BIN64: return concat_binary(sl, n, total, true, out, err);
    case L_VIEW: return concat_view(sl, n, total, out, err);
    case L_LIST32: return concat_list(schema, sl, n, total, false, out, err);
    case L_LIST64: return concat_list(schema, sl, n, total, true, out, err);
    case L_FIXED_LIST: return concat_fixed_list(schema, sl, n, l.width, out, err);
    case L_STRUCT: return concat_struct(schema, sl, n, out, err);
    default: return UF_OK;
  }
}

uf_status uf_arrow_concat(const struct ArrowSchema *schema,
                          const uf_arrow_slice *slices, size_t n,
                          struct ArrowArray *out, uf_error *err) {
  if (out == NULL || schema == NULL || (n > 0 && slices == NULL))
    return uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: concat without schema or output");
  for (size_t i = 0; i < n; i++)
    if (slices[i].a == NULL || slices[i].off < 0 || slices[i].len < 0 ||
        slices[i].off + slices[i].len > slices[i].a->length) {
      memset(out, 0, sizeof *out);
      return uf_error_set(err, UF_INVALID_ARGUMENT, "arrow: slice %zu out of range", i);
    }
  uf_status st = concat(schema, slices, n, out, err);
  if (st != UF_OK && out->release) out->release(out);
  return st;
}

/* -- byte accounting ------------------------------------------------------- */

static int64_t slice_bytes(const struct ArrowSchema *schema,
                           const struct ArrowArray *a, int64_t off, int64_t len);

static int64_t children_bytes(const struct ArrowSchema *s,
                              const struct ArrowArray *a, int64_t off,
                              int64_t len) {
  int64_t sum = 0;
  for (int64_t c = 0; c < s->n_children && c < a->n_children; c++) {
    int64_t b = slice_bytes(s->children[c], a->children[c], off, len);
    if (b < 0) return -1;
    sum += b;
  }
  return sum;
}

static int64_t slice_bytes(const struct ArrowSchema *schema,
                           const struct ArrowArray *a, int64_t off, int64_t len) {
  layout l = get_layout(schema->format);
  int64_t k = a->offset + off;
  int64_t b = (a->n_buffers > 0 && a->buffers[0]) ? (len + 7) / 8 : 0;
  uf_arrow_slice s = {a, off, len};
  switch (l.kind) {
    case L_NULL: return 0;
    case L_BOOL: return b + (len + 7) / 8;
    case L_FIXED: b += len * l.width; break;
    case L_BIN32: case L_BIN64: {
      bool wide = l.kind == L_BIN64;
      b += (len + 1) * (wide ? 8 : 4);
      if (len > 0) b += offset_at(&s, wide, len) - offset_at(&s, wide, 0);
      break;
    }
    case L_VIEW: b += len * 16; break;
    case L_LIST32: case L_LIST64: {
      bool wide = l.kind == L_LIST64;
      b += (len + 1) * (wide ? 8 : 4);
      if (len == 0) return b;
      int64_t c = slice_bytes(schema->children[0], a->children[0], offset_at(&s, wide, 0),
                              offset_at(&s, wide, len) - offset_at(&s, wide, 0));
      return c < 0 ? -1 : b + c;
    }
    case L_FIXED_LIST: {
      int64_t c = slice_bytes(schema->children[0], a->children[0], k * l.width, len * l.width);
      return c < 0 ? -1 : b + c;
    }
    case L_STRUCT: {
      int64_t c = children_bytes(schema, a, k, len);
      return c < 0 ? -1 : b + c;
    }
    default: return -1;
  }
  if (schema->dictionary && a->dictionary) {
    int64_t d = slice_bytes(schema->dictionary, a->dictionary, 0, a->dictionary->length);
    return d < 0 ? -1 : b + d;
  }
  return b;
}

int64_t uf_arrow_array_bytes(const struct ArrowSchema *schema,
                             const struct ArrowArray *a) {
  if (schema == NULL || a == NULL || a->release == NULL) return -1;
  return slice_bytes(schema, a, 0, a->length);
}
