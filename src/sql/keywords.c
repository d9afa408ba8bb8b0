#include <string.h>

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

/* Binary search over the alphabetical table; words are upper-cased into a
 * small buffer first, so the comparison is a plain strcmp. */
uf_keyword uf_keyword_lookup(const char *s, size_t len) {
  if (len == 0 || len > MAX_KW_LEN) return KW_NONE_;
  char up[MAX_KW_LEN + 1];
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = (char)(c - 32);
    else if (!((c >= 'A' && c <= 'Z') || c == '_')) return KW_NONE_;
    up[i] = c;
  }
  up[len] = '\0';
  int lo = 1, hi = KW_COUNT_ - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    int c = strcmp(up, KW_TEXT[mid]);
    if (c == 0) return (uf_keyword)mid;
    if (c < 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return KW_NONE_;
}
