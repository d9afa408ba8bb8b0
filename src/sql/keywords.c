#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <threads.h>

#include "sql/keywords.h"

static const char *const KW_TEXT[KW_COUNT_] = {
    [KW_NONE_] = "",
#define T_(name, cls) [KW_##name] = #name,
    UF_KEYWORD_MAP(T_)
#undef T_
};

static const unsigned char KW_CLASS[KW_COUNT_] = {
#define C_(name, cls) [KW_##name] = KWC_##cls,
    UF_KEYWORD_MAP(C_)
#undef C_
};

const char *uf_keyword_text(uf_keyword k) {
  return (unsigned)k < KW_COUNT_ ? KW_TEXT[k] : "";
}

uf_kw_class uf_keyword_class(uf_keyword k) {
  return (unsigned)k < KW_COUNT_ ? (uf_kw_class)KW_CLASS[k] : KWC_NONE;
}

#define MAX_KW_LEN 16
#define KW_HASH_BITS 10
#define KW_HASH_SIZE (1u << KW_HASH_BITS) /* > 2x the keyword count */

/* Open-addressing table of keyword ids keyed by a hash of the upper-case
 * text. A word is folded into 16 zero-padded bytes (two 64-bit halves):
 * hashing and comparing are then a few word operations, not a loop per
 * byte (the tokenizer looks up every word, the generator every name).
 * Built once (call_once, behind an acquire flag so the hot path is one
 * load), read-only afterwards, so lookups from any thread are safe. */
static uint16_t KW_HASH[KW_HASH_SIZE];
static uint64_t KW_WORDS[KW_COUNT_][2]; /* upper-case text, zero-padded */
/* Which first and last bytes (their low five bits) keywords of each length
 * have: most identifiers fail this test and are never folded or hashed. */
static uint32_t KW_FIRST_BYTES[MAX_KW_LEN + 1], KW_LAST_BYTES[MAX_KW_LEN + 1];
static once_flag KW_ONCE = ONCE_FLAG_INIT;
static atomic_bool KW_READY;

static uint32_t kw_hash(uint64_t lo, uint64_t hi) {
  uint64_t h = (lo ^ (hi * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
  return (uint32_t)(h >> (64 - KW_HASH_BITS));
}

static void kw_words(const char *up, size_t len, uint64_t out[2]) {
  char pad[MAX_KW_LEN] = {0};
  memcpy(pad, up, len);
  memcpy(out, pad, sizeof pad);
}

static void kw_build(void) {
  for (int k = 1; k < KW_COUNT_; k++) {
    size_t len = strlen(KW_TEXT[k]);
    kw_words(KW_TEXT[k], len, KW_WORDS[k]);
    KW_FIRST_BYTES[len] |= 1u << (KW_TEXT[k][0] & 31);
    KW_LAST_BYTES[len] |= 1u << (KW_TEXT[k][len - 1] & 31);
    uint32_t j = kw_hash(KW_WORDS[k][0], KW_WORDS[k][1]);
    while (KW_HASH[j]) j = (j + 1) & (KW_HASH_SIZE - 1);
    KW_HASH[j] = (uint16_t)k;
  }
  atomic_store_explicit(&KW_READY, true, memory_order_release);
}

uf_keyword uf_keyword_lookup(const char *s, size_t len) {
  if (len == 0 || len > MAX_KW_LEN) return KW_NONE_;
  if (!atomic_load_explicit(&KW_READY, memory_order_acquire)) call_once(&KW_ONCE, kw_build);
  /* & 31 maps a letter's two cases to one bit; other bytes may pass */
  if (!(KW_FIRST_BYTES[len] >> (s[0] & 31) & 1) ||
      !(KW_LAST_BYTES[len] >> (s[len - 1] & 31) & 1))
    return KW_NONE_;
  char up[MAX_KW_LEN] = {0};
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = (char)(c - 32);
    else if (!((c >= 'A' && c <= 'Z') || c == '_')) return KW_NONE_;
    up[i] = c;
  }
  uint64_t w[2];
  memcpy(w, up, sizeof up);
  /* keyword texts hold no NUL, so equal padded words mean equal words */
  uint32_t j = kw_hash(w[0], w[1]);
  for (uint16_t k; (k = KW_HASH[j]) != 0; j = (j + 1) & (KW_HASH_SIZE - 1))
    if (KW_WORDS[k][0] == w[0] && KW_WORDS[k][1] == w[1]) return (uf_keyword)k;
  return KW_NONE_;
}
