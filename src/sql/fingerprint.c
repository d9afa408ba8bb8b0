/*
 * Fingerprint: SHA-256 over a compact canonical serialization of a tree.
 *
 * Stream (all integers unsigned LEB128 varints, strings length-prefixed):
 *   "uf-fp:1"                       format version prefix
 *   per node, pre-order:
 *     'N' name(kind json name) varint(flags & ~QUOTED) text(canonical)
 *     LIST/SCRIPT: 'L' varint(count), then each item (NULL item: 'Z')
 *     other kinds: for each non-NULL slot: 'S' name(slot json name) child
 *     'E'
 * Kinds and slots go in by name, so adding a kind or a slot never changes
 * an existing fingerprint. Style, comments and positions are not included.
 *
 * Canonical text: an unquoted IDENT folds per dialect; a quoted one is exact
 * (so "abc" == abc but "ABC" != ABC, and QUOTED itself is dropped from the
 * flags). FUNC names fold to lower case unless quoted. Everything else is
 * exact.
 *
 * Bytes collect in a stack buffer that is flushed into the digest when full;
 * the traversal is iterative with an explicit stack (on the C stack for
 * ordinary depths), so nothing is allocated per node and no depth limit is
 * needed.
 */
#include <openssl/evp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sql/dialect.h"
#include "unifier/sql.h"

#define FP_BUF 4096
#define FP_STACK 128

/* Pre-encoded headers from the kinds table: 'N' len name for each kind,
 * 'S' len name for each slot (json names are shorter than 128 bytes, so
 * the length is a one-byte varint). */
typedef struct enc {
  const char *s;
  uint8_t n;
} enc;

#define KIND_ENC_(name, json, cat, ...) {"N" "\x00" json, (uint8_t)(sizeof(json) + 1)},
static const enc KIND_ENC[UF_KIND_COUNT] = {UF_KIND_MAP(KIND_ENC_)};
#undef KIND_ENC_
#define SLOT_ENC_(name, json) {"S" "\x00" json, (uint8_t)(sizeof(json) + 1)},
static const enc SLOT_ENC[UF_SLOT_COUNT] = {UF_SLOT_MAP(SLOT_ENC_)};
#undef SLOT_ENC_

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

static void put_slow(fp *f, const unsigned char *s, size_t len) {
  while (len) {
    if (f->n == FP_BUF) flush(f);
    size_t k = FP_BUF - f->n < len ? FP_BUF - f->n : len;
    memcpy(f->buf + f->n, s, k);
    f->n += k;
    s += k;
    len -= k;
  }
}

static inline void put(fp *f, const void *p, size_t len) {
  if (f->n + len <= FP_BUF) {
    memcpy(f->buf + f->n, p, len);
    f->n += len;
  } else {
    put_slow(f, p, len);
  }
}

static inline void put_byte(fp *f, unsigned char c) {
  if (f->n == FP_BUF) flush(f);
  f->buf[f->n++] = c;
}

static inline void put_varint(fp *f, uint64_t v) {
  unsigned char b[10];
  size_t k = 0;
  do {
    unsigned char c = v & 0x7f;
    v >>= 7;
    b[k++] = v ? (unsigned char)(c | 0x80) : c;
  } while (v);
  put(f, b, k);
}

/* A header with its length byte patched in (the literal holds a 0). */
static inline void put_enc(fp *f, const enc *e) {
  unsigned char b[2] = {(unsigned char)e->s[0], (unsigned char)(e->n - 2)};
  put(f, b, 2);
  put(f, e->s + 2, e->n - 2u);
}

/* Writes s folded (ASCII letters only), straight into the buffer when it
 * fits, else in stack-sized pieces. */
static void put_folded(fp *f, const char *s, size_t n, uf_fold fold) {
  put_varint(f, n);
  unsigned char lo = fold == UF_FOLD_LOWER ? 'A' : 'a';
  int delta = fold == UF_FOLD_LOWER ? 32 : -32;
  while (n) {
    if (f->n == FP_BUF) flush(f);
    size_t k = FP_BUF - f->n < n ? FP_BUF - f->n : n;
    unsigned char *out = f->buf + f->n;
    for (size_t i = 0; i < k; i++) {
      unsigned char c = (unsigned char)s[i];
      out[i] = (unsigned char)((unsigned)(c - lo) < 26u ? c + delta : c);
    }
    f->n += k;
    s += k;
    n -= k;
  }
}

static void put_text(fp *f, const uf_node *n, uf_fold ident_fold) {
  size_t len = n->text[0] ? strlen(n->text) : 0;
  bool quoted = (n->flags & UF_F_QUOTED) != 0;
  if (n->kind == UF_IDENT && !quoted && ident_fold != UF_FOLD_NONE) {
    put_folded(f, n->text, len, ident_fold);
  } else if (n->kind == UF_FUNC && !quoted) {
    put_folded(f, n->text, len, UF_FOLD_LOWER);
  } else {
    put_varint(f, len);
    put(f, n->text, len);
  }
}

/* The node header: kind, semantic flags, canonical text. */
static void put_node(fp *f, const uf_node *n, uf_fold fold) {
  put_enc(f, &KIND_ENC[n->kind]);
  put_varint(f, n->flags & ~(uint32_t)UF_F_QUOTED);
  put_text(f, n, fold);
  if (n->kind == UF_LIST || n->kind == UF_SCRIPT) {
    put_byte(f, 'L');
    put_varint(f, n->nkids);
  }
}

typedef struct frame {
  const uf_node *n;
  uint32_t next; /* index of the next child to visit */
} frame;

typedef enum walk_result { W_OK, W_NOMEM, W_MALFORMED } walk_result;

static bool well_formed(const uf_node *n) {
  if (n->kind >= UF_KIND_COUNT) return false;
  return n->kind == UF_LIST || n->kind == UF_SCRIPT ||
         n->nkids == KIND_NSLOTS[n->kind];
}

/* Pre-order walk with an explicit stack; nothing is allocated unless the
 * tree is deeper than FP_STACK. */
static walk_result walk(fp *f, const uf_node *root, uf_fold fold) {
  frame local[FP_STACK];
  frame *stack = local, *heap = NULL;
  size_t cap = FP_STACK, top = 0;
  if (!well_formed(root)) return W_MALFORMED;
  put_node(f, root, fold);
  stack[top++] = (frame){root, 0};
  while (top) {
    frame *fr = &stack[top - 1];
    const uf_node *n = fr->n;
    bool list = n->kind == UF_LIST || n->kind == UF_SCRIPT;
    if (fr->next >= n->nkids) {
      put_byte(f, 'E');
      top--;
      continue;
    }
    uint32_t i = fr->next++;
    const uf_node *c = n->kids[i];
    if (!c) {
      if (list) put_byte(f, 'Z');
      continue;
    }
    if (!well_formed(c)) {
      free(heap);
      return W_MALFORMED;
    }
    if (!list) put_enc(f, &SLOT_ENC[KIND_SLOTS[n->kind][i]]);
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
    put_node(f, c, fold);
    stack[top++] = (frame){c, 0};
  }
  free(heap);
  return W_OK;
}

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

uf_status uf_fingerprint(const uf_node *n, const uf_dialect *d,
                         uint8_t out_digest[32], uf_error *err) {
  uf_error_clear(err);
  if (!n || !out_digest)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_fingerprint: NULL argument");
  if (!d) d = uf_dialect_duckdb();
  fp f;
  f.md = EVP_MD_CTX_new();
  f.n = 0;
  f.ok = f.md && EVP_DigestInit_ex(f.md, sha256(), NULL) == 1;
  if (!f.ok) {
    EVP_MD_CTX_free(f.md);
    return uf_error_set(err, UF_INTERNAL, "SHA-256 is unavailable");
  }
  static const char prefix[] = "uf-fp:1";
  put(&f, prefix, sizeof prefix - 1);
  walk_result w = walk(&f, n, d->fold);
  if (w != W_OK) {
    EVP_MD_CTX_free(f.md);
    if (w == W_NOMEM) return uf_error_set(err, UF_NOMEM, "out of memory");
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

uf_status uf_fingerprint_hex(const uf_node *n, const uf_dialect *d,
                             char out_hex[UF_FINGERPRINT_HEX], uf_error *err) {
  static const char hex[] = "0123456789abcdef";
  uint8_t dg[32];
  if (out_hex) out_hex[0] = '\0';
  if (!out_hex)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_fingerprint_hex: NULL argument");
  uf_status st = uf_fingerprint(n, d, dg, err);
  if (st != UF_OK) return st;
  for (int i = 0; i < 32; i++) {
    out_hex[2 * i] = hex[dg[i] >> 4];
    out_hex[2 * i + 1] = hex[dg[i] & 15];
  }
  out_hex[64] = '\0';
  return UF_OK;
}
