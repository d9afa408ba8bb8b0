/*
 * The output byte sink: one growable buffer, written out with write(2) in
 * large blocks (no stdio, no per-cell calls into libc).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/out.h"

#define OUT_FLUSH_AT (256u * 1024u)

void out_buf_init(out_buf *b, int fd) {
  memset(b, 0, sizeof *b);
  b->fd = fd;
  b->flush_at = OUT_FLUSH_AT;
}

void out_buf_free(out_buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

bool out_buf_flush(out_buf *b) {
  if (b->fd < 0 || b->err_no) return !b->err_no;
  size_t off = 0;
  while (off < b->len) {
    ssize_t n = write(b->fd, b->p + off, b->len - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      b->err_no = errno;
      return false;
    }
    off += (size_t)n;
  }
  b->written += b->len;
  b->len = 0;
  return true;
}

bool out_buf_reserve(out_buf *b, size_t n) {
  if (b->err_no) return false;
  if (b->len + n <= b->cap) return true;
  if (b->fd >= 0 && b->len >= b->flush_at && !out_buf_flush(b)) return false;
  if (b->len + n <= b->cap) return true;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + n) cap *= 2;
  if (b->fd >= 0 && cap < b->flush_at + 4096) cap = b->flush_at + 4096;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->err_no = ENOMEM;
    return false;
  }
  b->p = p;
  b->cap = cap;
  return true;
}

void out_buf_add(out_buf *b, const char *s, size_t n) {
  if (!out_buf_reserve(b, n)) return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

void out_buf_adds(out_buf *b, const char *s) { out_buf_add(b, s, strlen(s)); }

void out_buf_addc(out_buf *b, char c) {
  if (!out_buf_reserve(b, 1)) return;
  b->p[b->len++] = c;
}
