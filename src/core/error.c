#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unifier/status.h"

const char *uf_status_name(uf_status s) {
  switch (s) {
#define NAME_(name, value, msg) case UF_##name: return #name;
    UF_STATUS_MAP(NAME_)
#undef NAME_
  }
  return "UNKNOWN";
}

const char *uf_status_message(uf_status s) {
  switch (s) {
#define MSG_(name, value, msg) case UF_##name: return msg;
    UF_STATUS_MAP(MSG_)
#undef MSG_
  }
  return "unknown status";
}

void uf_error_clear(uf_error *err) {
  if (!err) return;
  err->code = UF_OK;
  err->line = err->column = 0;
  err->message[0] = '\0';
  err->snippet[0] = '\0';
}

static void vset(uf_error *err, uf_status code, const char *fmt, va_list ap) {
  err->code = code;
  err->line = err->column = 0;
  err->snippet[0] = '\0';
  vsnprintf(err->message, sizeof err->message, fmt, ap);
}

uf_status uf_error_set(uf_error *err, uf_status code, const char *fmt, ...) {
  if (!err) return code;
  va_list ap;
  va_start(ap, fmt);
  vset(err, code, fmt, ap);
  va_end(ap);
  return code;
}

/* The snippet shows at most SNIP_WIDTH bytes of the line, windowed so the
 * caret stays visible on very long lines. */
#define SNIP_WIDTH 160

uf_status uf_error_set_at(uf_error *err, uf_status code, const char *src,
                          size_t len, size_t offset, uint32_t line,
                          uint32_t column, const char *fmt, ...) {
  if (!err) return code;
  va_list ap;
  va_start(ap, fmt);
  vset(err, code, fmt, ap);
  va_end(ap);
  err->line = line;
  err->column = column;
  if (!src) return code;
  if (offset > len) offset = len;
  size_t start = offset, end = offset;
  while (start > 0 && src[start - 1] != '\n') start--;
  while (end < len && src[end] != '\n' && src[end] != '\r') end++;
  size_t caret = offset - start;
  if (caret > SNIP_WIDTH / 2) {
    size_t shift = caret - SNIP_WIDTH / 2;
    start += shift;
    caret -= shift;
  }
  if (end - start > SNIP_WIDTH) end = start + SNIP_WIDTH;
  size_t n = 0;
  for (size_t i = start; i < end && n + 1 < sizeof err->snippet / 2; i++)
    err->snippet[n++] = (src[i] == '\t') ? ' ' : src[i];
  err->snippet[n++] = '\n';
  for (size_t i = 0; i < caret && n + 2 < sizeof err->snippet; i++)
    err->snippet[n++] = ' ';
  err->snippet[n++] = '^';
  err->snippet[n] = '\0';
  return code;
}

void uf_free(void *p) { free(p); }
