/*
 * Fingerprint: SHA-256 over a compact canonical serialization of a tree.
 *
 * Stream (integers are unsigned LEB128 varints; a code is 4 bytes, little
 * endian):
 *   "uf-fp:2"                              format version prefix
 *   node: lead varint(flags & ~QUOTED) varint(len) text(canonical),
 *     LIST/SCRIPT: varint(count), then each item: a node, or 4 zero bytes
 *                  for a NULL item
 *     other kinds: varint(non-NULL slots), then the node in each of them,
 *                  in slot order
 *   lead: code(kind) for the root and list items; for a node in a slot,
 *         code(slot) ^ rotl(code(kind), 16), one code for both
 *         (uf_fp_child_code)
 * A code is the FNV-1a hash of the kind's or slot's JSON name (see
 * uf_fp_kind_code), so adding a kind or a slot never changes an existing
 * fingerprint. Kind codes are distinct and nonzero, so a NULL item cannot
 * pass for a node; per kind, the child codes of all its slots and all kinds
 * are distinct, so a child's lead names its slot and kind (both tested).
 * The counts make the stream decodable without end markers. Style,
 * comments and positions are not included.
 *
 * Canonical text: an unquoted IDENT folds per dialect; a quoted one is exact
 * (so "abc" == abc but "ABC" != ABC, and QUOTED itself is dropped from the
 * flags). FUNC names fold to lower case unless quoted. Everything else is
 * exact.
 *
 * Bytes collect in a stack buffer that is flushed into the digest when full;
 * the traversal is iterative with an explicit stack (on the C stack for
 * ordinary depths, and leaves are never pushed), so nothing is allocated
 * per node and no depth limit is needed.
 */
#include "sql/fingerprint.h"

#include <openssl/evp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sql/dialect.h"

#define FP_BUF 4096
#define FP_STACK 128
/* The most a node record takes besides its text: lead code, varint flags
 * (5), varint length (10). */
#define FP_HEAD 19
#define FP_STR_(x) #x
#define FP_STR(x) FP_STR_(x)

/* -- codes ----------------------------------------------------------------- */

#define KIND_JSON_(name, json, cat, ...) json,
static const char *const KIND_JSON[UF_KIND_COUNT] = {UF_KIND_MAP(KIND_JSON_)};
#undef KIND_JSON_
#define SLOT_JSON_(name, json) json,
static const char *const SLOT_JSON[UF_SLOT_COUNT] = {UF_SLOT_MAP(SLOT_JSON_)};
#undef SLOT_JSON_

/* Slot lists per kind, expanded like ast.c does. */
#define UF_S(s) UF_SLOT_##s,
#define SLOTS_(name, json, cat, ...) \
  static const uint8_t fp_slots_##name[] = {__VA_ARGS__ UF_SLOT_COUNT};
UF_KIND_MAP(SLOTS_)
#undef SLOTS_
#undef UF_S
#define SLOTP_(name, json, cat, ...) fp_slots_##name,
static const uint8_t *const KIND_SLOTS[UF_KIND_COUNT] = {UF_KIND_MAP(SLOTP_)};
#undef SLOTP_
#define NSLOTS_(name, json, cat, ...) (uint32_t)(sizeof fp_slots_##name - 1),
static const uint32_t KIND_NSLOTS[UF_KIND_COUNT] = {UF_KIND_MAP(NSLOTS_)};
#undef NSLOTS_

#define FP_MAX_SLOTS 32
#define FITS_(name, json, cat, ...) \
  _Static_assert(sizeof fp_slots_##name - 1 <= FP_MAX_SLOTS, "raise FP_MAX_SLOTS");
UF_KIND_MAP(FITS_)
#undef FITS_

static uint32_t fnv1a(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Codes by kind, and by (kind, slot position) so the walk needs no second
 * lookup. Filled once per process by the first fingerprint; a thread that
 * finds another filling waits the microsecond it takes (state 0 -> 1 -> 2,
 * as ast.c fills its slot positions). */
static uint32_t KIND_CODE[UF_KIND_COUNT];
static uint32_t KIND_SLOT_CODE[UF_KIND_COUNT][FP_MAX_SLOTS];
static atomic_int codes_state;

static void codes_ready(void) {
  if (atomic_load_explicit(&codes_state, memory_order_acquire) == 2) return;
  int expected = 0;
  if (atomic_compare_exchange_strong(&codes_state, &expected, 1)) {
    for (int k = 0; k < UF_KIND_COUNT; k++) {
      KIND_CODE[k] = fnv1a(KIND_JSON[k]);
      for (uint32_t i = 0; i < KIND_NSLOTS[k] && i < FP_MAX_SLOTS; i++)
        KIND_SLOT_CODE[k][i] = fnv1a(SLOT_JSON[KIND_SLOTS[k][i]]);
    }
    atomic_store_explicit(&codes_state, 2, memory_order_release);
    return;
  }
  while (atomic_load_explicit(&codes_state, memory_order_acquire) != 2) {
  }
}

uint32_t uf_fp_kind_code(uf_kind k) {
  return (unsigned)k < UF_KIND_COUNT ? fnv1a(KIND_JSON[k]) : 0;
}

uint32_t uf_fp_slot_code(uf_slot s) {
  return (unsigned)s < UF_SLOT_COUNT ? fnv1a(SLOT_JSON[s]) : 0;
}

static inline uint32_t child_code(uint32_t slot_code, uint32_t kind_code) {
  return slot_code ^ (kind_code << 16 | kind_code >> 16);
}

uint32_t uf_fp_child_code(uf_slot s, uf_kind k) {
  return child_code(uf_fp_slot_code(s), uf_fp_kind_code(k));
}

/* -- the byte stream ------------------------------------------------------- */

typedef struct fp {
  EVP_MD_CTX *md;
  bool ok;
  size_t n;
  unsigned char buf[FP_BUF];
} fp;

static void flush(fp *f) {
  if (f->n && f->ok && EVP_DigestUpdate(f->md, f->buf, f->n) != 1) f->ok = false;
  f->n = 0;
}

/* Makes room for k <= FP_BUF bytes at f->buf + f->n. */
static inline unsigned char *reserve(fp *f, size_t k) {
  if (FP_BUF - f->n < k) flush(f);
  return f->buf + f->n;
}

static inline unsigned char *code_at(unsigned char *p, uint32_t c) {
  p[0] = (unsigned char)c;
  p[1] = (unsigned char)(c >> 8);
  p[2] = (unsigned char)(c >> 16);
  p[3] = (unsigned char)(c >> 24);
  return p + 4;
}

static inline unsigned char *varint_at(unsigned char *p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  *p++ = (unsigned char)v;
  return p;
}

/* Copies k bytes of s, ASCII letters folded per `fold`. */
static void copy_folded(unsigned char *out, const char *s, size_t k, uf_fold fold) {
  if (fold == UF_FOLD_NONE) {
    memcpy(out, s, k);
    return;
  }
  unsigned char lo = fold == UF_FOLD_LOWER ? 'A' : 'a';
  int delta = fold == UF_FOLD_LOWER ? 32 : -32;
  for (size_t i = 0; i < k; i++) {
    unsigned char c = (unsigned char)s[i];
    out[i] = (unsigned char)((unsigned)(c - lo) < 26u ? c + delta : c);
  }
}

/* Writes len bytes of s (folded), straight into the buffer when they fit,
 * else in buffer-sized pieces. */
static void put_text(fp *f, const char *s, size_t len, uf_fold fold) {
  while (len) {
    if (f->n == FP_BUF) flush(f);
    size_t k = FP_BUF - f->n < len ? FP_BUF - f->n : len;
    copy_folded(f->buf + f->n, s, k, fold);
    f->n += k;
    s += k;
    len -= k;
  }
}

/* -- nodes ----------------------------------------------------------------- */

typedef struct walk_ctx {
  uf_fold ident_fold;
  const uf_fp_renames *renames; /* NULL when there are none */
} walk_ctx;

static inline bool is_list(const uf_node *n) {
  return n->kind == UF_LIST || n->kind == UF_SCRIPT;
}

static const uf_fp_rename *renamed(const uf_fp_renames *r, const uf_node *n) {
  size_t mask = r->cap - 1;
  for (size_t j = uf_fp_rename_home(n, r->cap);; j = (j + 1) & mask) {
    if (r->slot[j].ident == n) return &r->slot[j];
    if (r->slot[j].ident == NULL) return NULL;
  }
}

/* The node's canonical text (NULL: its own) and how it folds. */
static uf_fold text_fold(const uf_node *n, const walk_ctx *w, const uf_fp_rename **r) {
  *r = NULL;
  if (n->kind == UF_IDENT && w->renames && (*r = renamed(w->renames, n)) != NULL)
    return UF_FOLD_NONE; /* exact, as if quoted */
  if (n->flags & UF_F_QUOTED) return UF_FOLD_NONE;
  if (n->kind == UF_IDENT) return w->ident_fold;
  return n->kind == UF_FUNC ? UF_FOLD_LOWER : UF_FOLD_NONE;
}

/* How many (slot, node) pairs or list items follow the node's header. */
static uint32_t children_count(const uf_node *n) {
  if (is_list(n)) return n->nkids;
  uint32_t k = 0;
  for (uint32_t i = 0; i < n->nkids; i++) k += n->kids[i] != NULL;
  return k;
}

/* Copies s (folded) while it is shorter than FP_SHORT bytes, finding its
 * length on the way (no strlen per node); returns the length, or FP_SHORT
 * when s is longer than that. */
#define FP_SHORT 127 /* its length is a one-byte varint */
static size_t copy_short(unsigned char *out, const char *s, uf_fold fold) {
  unsigned char lo = fold == UF_FOLD_LOWER ? 'A' : 'a';
  unsigned span = fold == UF_FOLD_NONE ? 0u : 26u;
  int delta = fold == UF_FOLD_LOWER ? 32 : -32;
  for (size_t i = 0; i < FP_SHORT; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0) return i;
    out[i] = (unsigned char)((unsigned)(c - lo) < span ? c + delta : c);
  }
  return FP_SHORT;
}

/* varint(len) text, for a text of any length. */
static void put_sized_text(fp *f, const char *s, size_t len, uf_fold fold) {
  f->n = (size_t)(varint_at(reserve(f, 10), len) - f->buf);
  put_text(f, s, len, fold);
}

/* A node's record up to its children; slot_code is that of the slot it
 * sits in (0 = none: the root or a list item). */
static void put_node(fp *f, const walk_ctx *w, uint32_t slot_code, const uf_node *n) {
  const uf_fp_rename *r;
  uf_fold fold = text_fold(n, w, &r);
  unsigned char *p = reserve(f, FP_HEAD + FP_SHORT + 6);
  uint32_t kind_code = KIND_CODE[n->kind];
  p = code_at(p, slot_code ? child_code(slot_code, kind_code) : kind_code);
  p = varint_at(p, n->flags & ~(uint32_t)UF_F_QUOTED);
  if (r) {
    f->n = (size_t)(p - f->buf);
    put_sized_text(f, r->text, r->len, UF_FOLD_NONE);
  } else {
    size_t len = copy_short(p + 1, n->text, fold);
    f->n = (size_t)(p - f->buf);
    if (len < FP_SHORT || n->text[FP_SHORT] == '\0') {
      *p = (unsigned char)len;
      f->n += 1 + len;
    } else {
      put_sized_text(f, n->text, strlen(n->text), fold);
    }
  }
  p = reserve(f, 5);
  f->n = (size_t)(varint_at(p, children_count(n)) - f->buf);
}

/* -- the walk -------------------------------------------------------------- */

typedef struct frame {
  const uf_node *n;
  uint32_t next; /* index of the next child to visit */
} frame;

typedef enum walk_result { W_OK, W_NOMEM, W_MALFORMED } walk_result;

static bool well_formed(const uf_node *n) {
  if (n->kind >= UF_KIND_COUNT) return false;
  return is_list(n) || n->nkids == KIND_NSLOTS[n->kind];
}

/* Pre-order walk with an explicit stack that holds only nodes with
 * children; nothing is allocated unless the tree is deeper than FP_STACK. */
static walk_result walk(fp *f, const walk_ctx *w, const uf_node *root) {
  frame local[FP_STACK];
  frame *stack = local, *heap = NULL;
  size_t cap = FP_STACK, top = 0;
  if (!well_formed(root)) return W_MALFORMED;
  put_node(f, w, 0, root);
  if (root->nkids) stack[top++] = (frame){root, 0};
  while (top) {
    frame *fr = &stack[top - 1];
    const uf_node *n = fr->n;
    if (fr->next >= n->nkids) {
      top--;
      continue;
    }
    uint32_t i = fr->next++;
    const uf_node *c = n->kids[i];
    bool list = is_list(n);
    if (!c) {
      if (list) f->n = (size_t)(code_at(reserve(f, 4), 0) - f->buf);
      continue;
    }
    if (!well_formed(c)) {
      free(heap);
      return W_MALFORMED;
    }
    put_node(f, w, list ? 0 : KIND_SLOT_CODE[n->kind][i], c);
    if (c->nkids == 0) continue; /* a leaf: its record is complete */
    if (top == cap) {
      frame *ns = realloc(heap, 2 * cap * sizeof *ns);
      if (!ns) {
        free(heap);
        return W_NOMEM;
      }
      if (!heap) memcpy(ns, local, sizeof local);
      heap = stack = ns;
      cap *= 2;
    }
    stack[top++] = (frame){c, 0};
  }
  free(heap);
  return W_OK;
}

/* -- digest ---------------------------------------------------------------- */

/* SHA-256 fetched once per process: an implicit fetch on every
 * EVP_DigestInit_ex costs a lock and a lookup. Never freed (a static). */
static const EVP_MD *sha256(void) {
  static _Atomic(EVP_MD *) cached = NULL;
  EVP_MD *md = atomic_load(&cached);
  if (md) return md;
  md = EVP_MD_fetch(NULL, "SHA256", NULL);
  if (!md) return EVP_sha256();
  EVP_MD *expected = NULL;
  if (!atomic_compare_exchange_strong(&cached, &expected, md)) {
    EVP_MD_free(md);
    return expected;
  }
  return md;
}

uf_status uf_fingerprint_renamed(const uf_node *n, const uf_dialect *d,
                                 const uf_fp_renames *r, uint8_t out_digest[32],
                                 uf_error *err) {
  uf_error_clear(err);
  if (!n || !out_digest)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_fingerprint: NULL argument");
  if (!d) d = uf_dialect_duckdb();
  codes_ready();
  walk_ctx w = {d->fold, r && r->cap ? r : NULL};
  fp f;
  f.md = EVP_MD_CTX_new();
  f.n = 0;
  f.ok = f.md && EVP_DigestInit_ex(f.md, sha256(), NULL) == 1;
  if (!f.ok) {
    EVP_MD_CTX_free(f.md);
    return uf_error_set(err, UF_INTERNAL, "SHA-256 is unavailable");
  }
  static const char prefix[] = "uf-fp:" FP_STR(UF_FINGERPRINT_VERSION);
  memcpy(f.buf, prefix, sizeof prefix - 1);
  f.n = sizeof prefix - 1;
  walk_result res = walk(&f, &w, n);
  if (res != W_OK) {
    EVP_MD_CTX_free(f.md);
    if (res == W_NOMEM) return uf_error_set(err, UF_NOMEM, "out of memory");
    return uf_error_set(err, UF_INVALID_ARGUMENT, "malformed node in tree");
  }
  flush(&f);
  unsigned int len = 0;
  if (f.ok && EVP_DigestFinal_ex(f.md, out_digest, &len) != 1) f.ok = false;
  EVP_MD_CTX_free(f.md);
  if (!f.ok || len != 32)
    return uf_error_set(err, UF_INTERNAL, "SHA-256 digest failed");
  return UF_OK;
}

uf_status uf_fingerprint(const uf_node *n, const uf_dialect *d,
                         uint8_t out_digest[32], uf_error *err) {
  return uf_fingerprint_renamed(n, d, NULL, out_digest, err);
}

void uf_fp_hex(const uint8_t digest[32], char out_hex[UF_FINGERPRINT_HEX]) {
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 32; i++) {
    out_hex[2 * i] = hex[digest[i] >> 4];
    out_hex[2 * i + 1] = hex[digest[i] & 15];
  }
  out_hex[64] = '\0';
}

uf_status uf_fingerprint_hex(const uf_node *n, const uf_dialect *d,
                             char out_hex[UF_FINGERPRINT_HEX], uf_error *err) {
  uint8_t dg[32];
  if (out_hex) out_hex[0] = '\0';
  if (!out_hex)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_fingerprint_hex: NULL argument");
  uf_status st = uf_fingerprint(n, d, dg, err);
  if (st != UF_OK) return st;
  uf_fp_hex(dg, out_hex);
  return UF_OK;
}
