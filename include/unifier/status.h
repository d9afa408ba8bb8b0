/*
 * unifier — status codes and the error record every fallible call fills.
 *
 * Every public function returns uf_status and takes a trailing `uf_error *err`
 * (which may be NULL). On failure the error holds the code, a message and,
 * for SQL input, the 1-based line and column plus a two-line snippet: the
 * offending source line and a caret under the column. uf_error is a plain
 * value with fixed buffers: nothing in it needs freeing.
 */
#ifndef UNIFIER_STATUS_H
#define UNIFIER_STATUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The one table of status codes: X(NAME, value, message). */
#define UF_STATUS_MAP(X)                                                  \
  X(OK, 0, "ok")                                                          \
  X(DONE, 1, "no more items")                                             \
  X(ERROR, 2, "error")                                                    \
  X(NOMEM, 3, "out of memory")                                            \
  X(INVALID_ARGUMENT, 4, "invalid argument")                              \
  X(SYNTAX, 5, "syntax error")                                            \
  X(UNSUPPORTED, 6, "unsupported construct")                              \
  X(LIMIT_EXCEEDED, 7, "limit exceeded")                                           \
  X(ENCODING, 8, "invalid encoding")                                      \
  X(IO, 9, "input/output error")                                          \
  X(NOT_FOUND, 10, "not found")                                           \
  X(ENGINE, 11, "engine error")                                           \
  X(SERDE, 12, "serialization error")                                     \
  X(INTERNAL, 13, "internal error")                                       \
  X(POLICY, 14, "policy violation")                                      \
  X(SEMANTIC, 15, "semantic error")

typedef enum uf_status {
#define UF_STATUS_ENUM_(name, value, msg) UF_##name = value,
  UF_STATUS_MAP(UF_STATUS_ENUM_)
#undef UF_STATUS_ENUM_
} uf_status;

#define UF_ERROR_MESSAGE_MAX 512
#define UF_ERROR_SNIPPET_MAX 512

typedef struct uf_error {
  uf_status code;
  uint32_t line;   /* 1-based; 0 when the error has no source position */
  uint32_t column; /* 1-based, in bytes */
  char message[UF_ERROR_MESSAGE_MAX];
  char snippet[UF_ERROR_SNIPPET_MAX]; /* "source line\n    ^" or "" */
} uf_error;

/* Name of a status ("SYNTAX") and its default message; never NULL. */
const char *uf_status_name(uf_status s);
const char *uf_status_message(uf_status s);

/* Resets err to UF_OK with empty text. err may be NULL. */
void uf_error_clear(uf_error *err);

/* Fills err (if non-NULL) with code and a printf-style message; returns code. */
uf_status uf_error_set(uf_error *err, uf_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Like uf_error_set, and records the position and a caret snippet taken
 * from `src` (the whole text, `len` bytes) at byte `offset`. */
uf_status uf_error_set_at(uf_error *err, uf_status code, const char *src,
                          size_t len, size_t offset, uint32_t line,
                          uint32_t column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;

/* Frees memory the library returned as a plain buffer (rendered SQL, JSON). */
void uf_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
