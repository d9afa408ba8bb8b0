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
#define KW_HASH_SIZE 1024 /* power of two, > 2x the keyword count */

/* Open-addressing table of keyword ids keyed by a hash of the upper-case
 * text; built once (call_once), read-only afterwards, so lookups from any
 * thread are safe. */
static uint16_t KW_HASH[KW_HASH_SIZE];
static uint8_t KW_LEN[KW_COUNT_];
static once_flag KW_ONCE = ONCE_FLAG_INIT;

static uint32_t kw_hash(const char *up, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)up[i]) * 16777619u;
  return h;
}

static void kw_build(void) {
  for (int k = 1; k < KW_COUNT_; k++) {
    size_t len = strlen(KW_TEXT[k]);
    KW_LEN[k] = (uint8_t)len;
    uint32_t j = kw_hash(KW_TEXT[k], len) & (KW_HASH_SIZE - 1);
    while (KW_HASH[j]) j = (j + 1) & (KW_HASH_SIZE - 1);
    KW_HASH[j] = (uint16_t)k;
  }
}

uf_keyword uf_keyword_lookup(const char *s, size_t len) {
  if (len == 0 || len > MAX_KW_LEN) return KW_NONE_;
  char up[MAX_KW_LEN + 1];
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = (char)(c - 32);
    else if (!((c >= 'A' && c <= 'Z') || c == '_')) return KW_NONE_;
    up[i] = c;
  }
  call_once(&KW_ONCE, kw_build);
  uint32_t j = kw_hash(up, len) & (KW_HASH_SIZE - 1);
  for (uint16_t k; (k = KW_HASH[j]) != 0; j = (j + 1) & (KW_HASH_SIZE - 1))
    if (KW_LEN[k] == len && memcmp(KW_TEXT[k], up, len) == 0) return (uf_keyword)k;
  return KW_NONE_;
}
