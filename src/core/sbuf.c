#include "core/sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void uf_sbuf_init(uf_sbuf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->oom = false;
}

void uf_sbuf_free(uf_sbuf *b) {
  free(b->data);
  uf_sbuf_init(b);
}

void uf_sbuf_reset(uf_sbuf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

bool uf_sbuf_reserve(uf_sbuf *b, size_t extra) {
  if (b->oom) return false;
  if (b->len + extra + 1 <= b->cap) return true;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) {
    if (cap > ((size_t)-1) / 2) { b->oom = true; return false; }
    cap *= 2;
  }
  char *p = realloc(b->data, cap);
  if (!p) { b->oom = true; return false; }
  b->data = p;
  b->cap = cap;
  return true;
}

void uf_sbuf_add_slow(uf_sbuf *b, const char *s, size_t len) {
  if (!uf_sbuf_reserve(b, len)) return;
  if (len) memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
}

void uf_sbuf_addf(uf_sbuf *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof small) { uf_sbuf_add(b, small, (size_t)n); return; }
  if (!uf_sbuf_reserve(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *uf_sbuf_take(uf_sbuf *b, size_t *out_len) {
  if (b->oom) { uf_sbuf_free(b); if (out_len) *out_len = 0; return NULL; }
  if (!b->data && !uf_sbuf_reserve(b, 0)) return NULL;
  if (!b->data) return NULL;
  b->data[b->len] = '\0';
  char *p = b->data;
  if (out_len) *out_len = b->len;
  uf_sbuf_init(b);
  return p;
}
