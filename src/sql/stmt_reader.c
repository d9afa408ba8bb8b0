/*
 * Statement reader: splits a stream into statements at top-level ';'.
 *
 * It knows just enough lexical structure to find the real semicolons:
 * '...' strings (doubled quotes; backslash escapes when the dialect says so),
 * E'...' strings (backslash escapes), "..." and `...` identifiers,
 * $tag$...$tag$ dollar quotes, -- line comments and nested block comments.
 * The rules mirror tokenizer.c, so a split never disagrees with the parser.
 *
 * Buffer: [ consumed | statement being scanned ... | unread space ]
 *           0          beg                 pos  end             cap
 * Input is read in CHUNK-sized reads. Before a read the buffer is compacted
 * (beg moves to 0), so it only ever holds the current statement plus one
 * chunk: memory is bounded by the largest statement, not by the file.
 *
 * The scanner is a small state machine that can stop at any byte. When it
 * needs lookahead the buffer does not have yet (a quote that may be doubled,
 * a '$' that may open a tag), it stops *before* the construct and resumes
 * there after the next read, so no byte is counted twice.
 */
#include <stdlib.h>
#include <string.h>

#include "sql/dialect.h"
#include "unifier/sql.h"

#define CHUNK (64 * 1024)

typedef enum scan_state {
  S_CODE,       /* between tokens or inside an ordinary token */
  S_QUOTE,      /* inside '...', "..." or `...`; quote in `q` */
  S_LINE_COMMENT,
  S_BLOCK_COMMENT,
  S_DOLLAR      /* inside $tag$...; tag at buf[tag_off..+tag_len] */
} scan_state;

struct uf_stmt_reader {
  FILE *in;
  bool backslash_strings;
  char *buf;
  size_t cap, beg, pos, end;
  bool eof;
  bool first_read;     /* a UTF-8 BOM at the very start is skipped */
  scan_state st;
  char q;              /* the closing quote in S_QUOTE */
  bool escapes;        /* backslash escapes in the current quote */
  bool in_word;        /* the previous byte continued an identifier/number */
  uint32_t depth;      /* block comment nesting */
  size_t tag_off, tag_len; /* dollar tag incl. both '$', offset from beg */
  uint32_t line;       /* line of buf[pos] */
  uint32_t col;        /* bytes before buf[pos] on its line */
  bool content;        /* the segment has something besides space/comments */
  size_t first_off;    /* offset from beg of the first non-space byte */
  uint32_t first_line, first_col;
  bool have_first;
  uint32_t last_col;   /* first_col of the statement last handed out */
};

static inline bool ident_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
static inline bool ident_char(unsigned char c) {
  return ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}
static inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

uf_status uf_stmt_reader_open(FILE *in, const uf_dialect *d,
                              uf_stmt_reader **out_reader, uf_error *err) {
  if (out_reader) *out_reader = NULL;
  if (!in || !out_reader)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_stmt_reader_open: NULL argument");
  uf_stmt_reader *r = calloc(1, sizeof *r);
  if (!r) return uf_error_set(err, UF_NOMEM, "out of memory");
  r->in = in;
  r->backslash_strings = (d ? d : uf_dialect_duckdb())->backslash_strings;
  r->line = 1;
  r->first_read = true;
  *out_reader = r;
  return UF_OK;
}

uint32_t uf_stmt_reader_column(const uf_stmt_reader *r) {
  return r ? r->last_col : 0;
}

void uf_stmt_reader_free(uf_stmt_reader *r) {
  if (!r) return;
  free(r->buf);
  free(r);
}

/* Compacts the buffer, grows it if a chunk does not fit, and reads one
 * chunk. Returns UF_OK (possibly setting eof), UF_NOMEM or UF_IO. */
static uf_status fill(uf_stmt_reader *r, uf_error *err) {
  if (r->beg) {
    memmove(r->buf, r->buf + r->beg, r->end - r->beg);
    r->pos -= r->beg;
    r->end -= r->beg;
    r->beg = 0;
  }
  if (r->cap - r->end < CHUNK + 1) {
    size_t ncap = r->cap ? r->cap : CHUNK + 1;
    while (ncap - r->end < CHUNK + 1) ncap *= 2;
    char *nb = realloc(r->buf, ncap);
    if (!nb) return uf_error_set(err, UF_NOMEM, "out of memory");
    r->buf = nb;
    r->cap = ncap;
  }
  size_t got = fread(r->buf + r->end, 1, r->cap - r->end - 1, r->in);
  if (got == 0) {
    if (ferror(r->in)) return uf_error_set(err, UF_IO, "read error");
    r->eof = true;
  }
  if (r->first_read && r->end == 0 && got >= 3 &&
      memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
    memmove(r->buf, r->buf + 3, got - 3);
    got -= 3;
  }
  if (got) r->first_read = false;
  r->end += got;
  return UF_OK;
}

/* Bytes available from pos, and whether more may still come. */
static inline size_t avail(const uf_stmt_reader *r) { return r->end - r->pos; }

static inline void step(uf_stmt_reader *r, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (r->buf[r->pos + i] == '\n') {
      r->line++;
      r->col = 0;
    } else {
      r->col++;
    }
  }
  r->pos += n;
}

static void mark_content(uf_stmt_reader *r) { r->content = true; }

/* Records the first non-space byte of the segment (comments included, so
 * leading comments stay with their statement). */
static void mark_first(uf_stmt_reader *r) {
  if (r->have_first) return;
  r->have_first = true;
  r->first_off = r->pos - r->beg;
  r->first_line = r->line;
  r->first_col = r->col + 1;
}

typedef enum scan_result { R_MORE, R_SEMI } scan_result;

/* Tries to open a $tag$ quote at pos. Returns 1 if opened, 0 if the '$' is
 * something else (parameter, operator), -1 if more input is needed. */
static int open_dollar(uf_stmt_reader *r) {
  size_t i = r->pos + 1;
  if (i >= r->end) return r->eof ? 0 : -1;
  if (r->buf[i] >= '0' && r->buf[i] <= '9') return 0;
  while (i < r->end && ident_char((unsigned char)r->buf[i]) && r->buf[i] != '$') i++;
  if (i >= r->end) return r->eof ? 0 : -1;
  if (r->buf[i] != '$') return 0;
  r->tag_off = r->pos - r->beg;
  r->tag_len = i + 1 - r->pos;
  r->st = S_DOLLAR;
  step(r, r->tag_len);
  return 1;
}

/* One step in S_CODE. Returns false when more input is needed. */
static bool scan_code(uf_stmt_reader *r, bool *semi) {
  unsigned char c = (unsigned char)r->buf[r->pos];
  size_t a = avail(r);
  char next = a > 1 ? r->buf[r->pos + 1] : '\0';
  bool need_next = a < 2 && !r->eof; /* next byte unknown yet */
  if (is_space((char)c)) { step(r, 1); r->in_word = false; return true; }
  if (c == ';') { *semi = true; return true; }
  bool prefix = c && !r->in_word && strchr("eEnNbBxX", (int)c);
  if ((c == '-' || c == '/' || prefix) &&
      need_next)
    return false;
  if (c == '-' && next == '-') {
    mark_first(r);
    r->st = S_LINE_COMMENT;
    step(r, 2);
    r->in_word = false;
    return true;
  }
  if (c == '/' && next == '*') {
    mark_first(r);
    r->st = S_BLOCK_COMMENT;
    r->depth = 1;
    step(r, 2);
    r->in_word = false;
    return true;
  }
  mark_first(r);
  mark_content(r);
  if (prefix && next == '\'') {
    bool e = c == 'e' || c == 'E', n = c == 'n' || c == 'N';
    r->st = S_QUOTE;
    r->q = '\'';
    r->escapes = e || (n && r->backslash_strings);
    step(r, 2);
    r->in_word = false;
    return true;
  }
  if (c == '\'' || c == '"' || c == '`') {
    r->st = S_QUOTE;
    r->q = (char)c;
    r->escapes = c == '\'' && r->backslash_strings;
    step(r, 1);
    r->in_word = false;
    return true;
  }
  if (c == '$' && !r->in_word) {
    int o = open_dollar(r);
    if (o < 0) return false;
    if (o > 0) return true;
  }
  r->in_word = ident_char(c) || (c >= '0' && c <= '9');
  step(r, 1);
  return true;
}

static bool scan_quote(uf_stmt_reader *r) {
  char c = r->buf[r->pos];
  if (r->escapes && c == '\\') {
    if (avail(r) < 2) {
      if (!r->eof) return false;
      step(r, 1);
      return true;
    }
    step(r, 2);
    return true;
  }
  if (c == r->q) {
    if (avail(r) < 2 && !r->eof) return false;
    if (avail(r) >= 2 && r->buf[r->pos + 1] == r->q) { step(r, 2); return true; }
    r->st = S_CODE;
  }
  step(r, 1);
  return true;
}

static bool scan_block_comment(uf_stmt_reader *r) {
  char c = r->buf[r->pos];
  if ((c == '*' || c == '/') && avail(r) < 2 && !r->eof) return false;
  char next = avail(r) >= 2 ? r->buf[r->pos + 1] : '\0';
  if (c == '*' && next == '/') {
    step(r, 2);
    if (--r->depth == 0) r->st = S_CODE;
    return true;
  }
  if (c == '/' && next == '*') {
    step(r, 2);
    r->depth++;
    return true;
  }
  step(r, 1);
  return true;
}

static bool scan_dollar(uf_stmt_reader *r) {
  /* Fast path: skip to the next '$'. */
  const char *p = memchr(r->buf + r->pos, '$', avail(r));
  if (!p) { step(r, avail(r)); return true; }
  step(r, (size_t)(p - (r->buf + r->pos)));
  if (avail(r) < r->tag_len) {
    if (!r->eof) return false;
    step(r, avail(r));
    return true;
  }
  if (memcmp(r->buf + r->pos, r->buf + r->beg + r->tag_off, r->tag_len) == 0) {
    step(r, r->tag_len);
    r->st = S_CODE;
    return true;
  }
  step(r, 1);
  return true;
}

/* The common case in code: a run of spaces, word bytes and punctuation that
 * opens nothing (no quote, comment, dollar or ';'). Handled in one tight
 * loop; anything else falls back to scan_code. Only used once the segment
 * has content, so the first-byte bookkeeping stays in scan_code. */
static void fast_code(uf_stmt_reader *r) {
  const char *b = r->buf;
  size_t pos = r->pos, end = r->end;
  uint32_t line = r->line, col = r->col;
  bool in_word = r->in_word;
  while (pos < end) {
    unsigned char c = (unsigned char)b[pos];
    if (c == ' ' || c == '\t' || c == '\r') { in_word = false; col++; pos++; continue; }
    if (c == '\n') { in_word = false; line++; col = 0; pos++; continue; }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
      if (!in_word && strchr("eEnNbBxX", c)) break; /* may open E'...' etc. */
      in_word = true; col++; pos++; continue;
    }
    if (c < 0x80 && c > ' ' && !strchr(";'\"`$-/", c)) { in_word = false; col++; pos++; continue; }
    break;
  }
  r->pos = pos;
  r->line = line;
  r->col = col;
  r->in_word = in_word;
}

/* Scans from pos until a top-level ';' (R_SEMI, pos at the ';') or the end
 * of the buffered bytes (R_MORE, pos where scanning must resume). */
static scan_result scan(uf_stmt_reader *r) {
  while (r->pos < r->end) {
    bool ok = true, semi = false;
    switch (r->st) {
      case S_CODE:
        if (r->content) {
          fast_code(r);
          if (r->pos >= r->end) break;
        }
        ok = scan_code(r, &semi);
        break;
      case S_QUOTE: ok = scan_quote(r); break;
      case S_LINE_COMMENT: {
        const char *nl = memchr(r->buf + r->pos, '\n', avail(r));
        size_t to = nl ? (size_t)(nl - r->buf) : r->end;
        r->col += (uint32_t)(to - r->pos);
        r->pos = to;
        if (!nl) break;
        r->st = S_CODE; /* the newline itself is counted as space */
        break;
      }
      case S_BLOCK_COMMENT: ok = scan_block_comment(r); break;
      case S_DOLLAR: ok = scan_dollar(r); break;
    }
    if (semi) return R_SEMI;
    if (!ok) return R_MORE;
  }
  return R_MORE;
}

static void start_segment(uf_stmt_reader *r, size_t beg) {
  r->beg = beg;
  r->pos = beg;
  r->st = S_CODE;
  r->in_word = false;
  r->content = false;
  r->have_first = false;
}

/* Hands out buf[beg+first_off .. stop) trimmed of trailing space. */
static void emit(uf_stmt_reader *r, size_t stop, const char **out_sql,
                 size_t *out_len, uint32_t *out_line) {
  size_t s = r->beg + r->first_off;
  while (stop > s && is_space(r->buf[stop - 1])) stop--;
  r->buf[stop] = '\0'; /* the byte there (space or ';') is consumed */
  *out_sql = r->buf + s;
  if (out_len) *out_len = stop - s;
  if (out_line) *out_line = r->first_line;
  r->last_col = r->first_col;
}

uf_status uf_stmt_reader_next(uf_stmt_reader *r, const char **out_sql,
                              size_t *out_len, uint32_t *out_line,
                              uf_error *err) {
  if (!r || !out_sql)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_stmt_reader_next: NULL argument");
  *out_sql = NULL;
  if (out_len) *out_len = 0;
  if (out_line) *out_line = 0;
  for (;;) {
    scan_result res = scan(r);
    if (res == R_SEMI) {
      size_t semi = r->pos;
      step(r, 1);
      if (r->content) {
        emit(r, semi, out_sql, out_len, out_line);
        start_segment(r, r->pos);
        return UF_OK;
      }
      start_segment(r, r->pos);
      continue;
    }
    if (r->eof && r->pos >= r->end) {
      /* An unterminated quote or comment is handed to the parser, which
       * reports it with its position. */
      bool open = r->st == S_QUOTE || r->st == S_DOLLAR || r->st == S_BLOCK_COMMENT;
      if (r->content || (open && r->have_first)) {
        size_t stop = r->end;
        emit(r, stop, out_sql, out_len, out_line);
        start_segment(r, r->end);
        r->content = false;
        return UF_OK;
      }
      r->beg = r->pos = r->end;
      return UF_DONE;
    }
    uf_status st = fill(r, err);
    if (st != UF_OK) return st;
  }
}
