/*
 * sbuf: a growable byte buffer, always NUL-terminated when non-empty.
 * Growth failures are sticky: after one, `oom` is set, further appends are
 * no-ops, and the caller checks once at the end (as Redis' sds callers do).
 */
#ifndef UF_CORE_SBUF_H
#define UF_CORE_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct uf_sbuf {
  char *data;
  size_t len;
  size_t cap;
  bool oom;
} uf_sbuf;

void uf_sbuf_init(uf_sbuf *b);
void uf_sbuf_free(uf_sbuf *b);
void uf_sbuf_reset(uf_sbuf *b);            /* len = 0, keeps the memory */
bool uf_sbuf_reserve(uf_sbuf *b, size_t extra);
/* The appends grow the buffer out of line (uf_sbuf_add_slow); the common
 * case, room left, is inline: the generator appends a few bytes at a time. */
void uf_sbuf_add_slow(uf_sbuf *b, const char *s, size_t len);

static inline void uf_sbuf_add(uf_sbuf *b, const char *s, size_t len) {
  if (b->len + len < b->cap && !b->oom) { /* room for the bytes and the NUL */
    if (len) memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return;
  }
  uf_sbuf_add_slow(b, s, len);
}

static inline void uf_sbuf_adds(uf_sbuf *b, const char *s) { /* NUL-terminated */
  uf_sbuf_add(b, s, strlen(s));
}

static inline void uf_sbuf_addc(uf_sbuf *b, char c) {
  if (b->len + 1 < b->cap && !b->oom) {
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return;
  }
  uf_sbuf_add_slow(b, &c, 1);
}
void uf_sbuf_addf(uf_sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Hands the buffer to the caller (free with free()/uf_free); b is reset.
 * Returns NULL if a growth failed earlier. */
char *uf_sbuf_take(uf_sbuf *b, size_t *out_len);

#endif
