/*
 * Serde: ASTs as versioned JSON, driven by the kinds table.
 *
 *   {"unifier_ast": 1, "root": NODE}
 *   NODE = {"kind": "select", "text": "...", "flags": ["distinct", ...],
 *           "style": n, "line": n, "col": n, "offset": n,
 *           "comments": [{"text": "...", "block": true, "trailing": true}],
 *           "slots": {"where": NODE, ...}        (kinds with slots)
 *           "items": [NODE | null, ...]}         (LIST and SCRIPT)
 *
 * Empty fields are omitted. A text that is not valid UTF-8 (possible for a
 * decoded E'\xff' string) is written as "text_hex" so the dump stays JSON and
 * stays lossless. Dump writes the text directly (no intermediate JSON tree);
 * load parses with jansson and validates every field, reporting the JSON path
 * of the first problem as a UF_SERDE error.
 *
 * Depth: a node level costs two JSON levels (node -> "slots"/"items" ->
 * child), and jansson refuses JSON nested deeper than 2048, so both
 * directions stop at SERDE_MAX_DEPTH node levels (deeper trees are a
 * UF_LIMIT_EXCEEDED error from dump).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/sbuf.h"
#include "unifier/sql.h"

#define SERDE_MAX_DEPTH 1020

/* ---- dump ---------------------------------------------------------------- */

typedef struct dumper {
  uf_sbuf out;
  uf_error *err;
  uf_status st;
} dumper;

/* Strict UTF-8 check (no overlongs, surrogates or code points > U+10FFFF),
 * the same rule jansson applies when loading. */
static bool valid_utf8(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) { i++; continue; }
    size_t k;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
    else return false;
    if (i + k >= n) return false;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    i += k + 1;
  }
  return true;
}

/* A JSON string literal; bytes >= 0x80 pass through (valid UTF-8 here). */
static void put_json_string(uf_sbuf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  uf_sbuf_addc(b, '"');
  const char *run = s;
  for (const char *c = s; *c; c++) {
    unsigned char u = (unsigned char)*c;
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    uf_sbuf_add(b, run, (size_t)(c - run));
    run = c + 1;
    switch (u) {
      case '"': uf_sbuf_add(b, "\\\"", 2); break;
      case '\\': uf_sbuf_add(b, "\\\\", 2); break;
      case '\n': uf_sbuf_add(b, "\\n", 2); break;
      case '\t': uf_sbuf_add(b, "\\t", 2); break;
      case '\r': uf_sbuf_add(b, "\\r", 2); break;
      default: {
        char e[6] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 15]};
        uf_sbuf_add(b, e, 6);
      }
    }
  }
  uf_sbuf_adds(b, run);
  uf_sbuf_addc(b, '"');
}

/* ,"key": -- the caller's object already has its first field. */
static void put_key(uf_sbuf *b, const char *key) {
  uf_sbuf_addc(b, ',');
  uf_sbuf_addc(b, '"');
  uf_sbuf_adds(b, key);
  uf_sbuf_add(b, "\":", 2);
}

/* "key": text, or "key_hex": "..." when text is not valid UTF-8. */
static void put_text(uf_sbuf *b, const char *key, const char *text) {
  size_t n = strlen(text);
  if (valid_utf8((const unsigned char *)text, n)) {
    put_key(b, key);
    put_json_string(b, text);
    return;
  }
  static const char hex[] = "0123456789abcdef";
  char hkey[32];
  snprintf(hkey, sizeof hkey, "%s_hex", key);
  put_key(b, hkey);
  uf_sbuf_addc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char u = (unsigned char)text[i];
    char h[2] = {hex[u >> 4], hex[u & 15]};
    uf_sbuf_add(b, h, 2);
  }
  uf_sbuf_addc(b, '"');
}

static void put_flags(uf_sbuf *b, uint32_t flags) {
  put_key(b, "flags");
  uf_sbuf_addc(b, '[');
  bool first = true;
  for (uint32_t bit = 0; bit < 32; bit++) {
    if (!(flags & (1u << bit))) continue;
    if (!first) uf_sbuf_addc(b, ',');
    first = false;
    const char *name = uf_flag_name(bit);
    if (name) put_json_string(b, name);
    else uf_sbuf_addf(b, "%u", bit); /* an unnamed bit stays a number */
  }
  uf_sbuf_addc(b, ']');
}

static void put_comments(uf_sbuf *b, const uf_comment *c) {
  put_key(b, "comments");
  uf_sbuf_addc(b, '[');
  for (const uf_comment *it = c; it; it = it->next) {
    if (it != c) uf_sbuf_addc(b, ',');
    uf_sbuf_add(b, "{\"block\":", 9);
    uf_sbuf_adds(b, it->block ? "true" : "false");
    put_key(b, "trailing");
    uf_sbuf_adds(b, it->trailing ? "true" : "false");
    put_text(b, "text", it->text);
    uf_sbuf_addc(b, '}');
  }
  uf_sbuf_addc(b, ']');
}

static void dump_node(dumper *D, const uf_node *n, uint32_t depth);

static void dump_kids(dumper *D, const uf_node *n, uint32_t depth) {
  uf_sbuf *b = &D->out;
  if (n->kind == UF_LIST || n->kind == UF_SCRIPT) {
    if (!n->nkids) return;
    put_key(b, "items");
    uf_sbuf_addc(b, '[');
    for (uint32_t i = 0; i < n->nkids && D->st == UF_OK; i++) {
      if (i) uf_sbuf_addc(b, ',');
      if (n->kids[i]) dump_node(D, n->kids[i], depth + 1);
      else uf_sbuf_add(b, "null", 4);
    }
    uf_sbuf_addc(b, ']');
    return;
  }
  bool any = false;
  for (uint32_t i = 0; i < n->nkids && D->st == UF_OK; i++) {
    if (!n->kids[i]) continue;
    if (!any) {
      put_key(b, "slots");
      uf_sbuf_addc(b, '{');
    } else {
      uf_sbuf_addc(b, ',');
    }
    any = true;
    put_json_string(b, uf_slot_name(uf_kind_slot_at((uf_kind)n->kind, i)));
    uf_sbuf_addc(b, ':');
    dump_node(D, n->kids[i], depth + 1);
  }
  if (any) uf_sbuf_addc(b, '}');
}

static void dump_node(dumper *D, const uf_node *n, uint32_t depth) {
  if (D->st != UF_OK) return;
  if (depth > SERDE_MAX_DEPTH) {
    D->st = uf_error_set(D->err, UF_LIMIT_EXCEEDED,
                         "tree deeper than %d levels cannot be serialized",
                         SERDE_MAX_DEPTH);
    return;
  }
  if (n->kind >= UF_KIND_COUNT) {
    D->st = uf_error_set(D->err, UF_INVALID_ARGUMENT, "node with invalid kind %u",
                         (unsigned)n->kind);
    return;
  }
  uf_sbuf *b = &D->out;
  uf_sbuf_add(b, "{\"kind\":", 8);
  put_json_string(b, uf_kind_name((uf_kind)n->kind));
  if (n->text && n->text[0]) put_text(b, "text", n->text);
  if (n->flags) put_flags(b, n->flags);
  if (n->style) { put_key(b, "style"); uf_sbuf_addf(b, "%u", n->style); }
  if (n->line) { put_key(b, "line"); uf_sbuf_addf(b, "%u", n->line); }
  if (n->col) { put_key(b, "col"); uf_sbuf_addf(b, "%u", n->col); }
  if (n->offset) { put_key(b, "offset"); uf_sbuf_addf(b, "%u", n->offset); }
  if (n->comments) put_comments(b, n->comments);
  dump_kids(D, n, depth);
  uf_sbuf_addc(b, '}');
}

uf_status uf_serde_dump(const uf_node *n, char **out_json, size_t *out_len,
                        uf_error *err) {
  if (out_json) *out_json = NULL;
  if (out_len) *out_len = 0;
  uf_error_clear(err);
  if (!n || !out_json)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_serde_dump: NULL argument");
  dumper D = {.err = err, .st = UF_OK};
  uf_sbuf_init(&D.out);
  uf_sbuf_addf(&D.out, "{\"unifier_ast\":%d,\"root\":", UF_SERDE_VERSION);
  dump_node(&D, n, 1);
  uf_sbuf_addc(&D.out, '}');
  if (D.st == UF_OK && D.out.oom) D.st = uf_error_set(err, UF_NOMEM, "out of memory");
  if (D.st != UF_OK) {
    uf_sbuf_free(&D.out);
    return D.st;
  }
  *out_json = uf_sbuf_take(&D.out, out_len);
  if (!*out_json) return uf_error_set(err, UF_NOMEM, "out of memory");
  return UF_OK;
}

/* ---- load ---------------------------------------------------------------- */

/* The JSON path of the value being read, as a chain of frames on the C
 * stack; rendered only when an error is reported. */
typedef struct path {
  const struct path *up;
  const char *key; /* object key, or NULL for an array index */
  size_t index;
} path;

typedef struct loader {
  uf_tree *t;
  uf_error *err;
} loader;

static size_t render_path(const path *p, char *buf, size_t size) {
  if (!p) return (size_t)snprintf(buf, size, "$");
  size_t n = render_path(p->up, buf, size);
  if (n >= size) return n;
  if (p->key) n += (size_t)snprintf(buf + n, size - n, ".%s", p->key);
  else n += (size_t)snprintf(buf + n, size - n, "[%zu]", p->index);
  return n;
}

static uf_status bad(loader *L, const path *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static uf_status bad(loader *L, const path *p, const char *fmt, ...) {
  char where[160];
  render_path(p, where, sizeof where);
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return uf_error_set(L->err, UF_SERDE, "invalid AST JSON at %s: %s", where, what);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads a text field (plain or _hex form) into an interned string. */
static uf_status load_text(loader *L, const path *p, const json_t *v, bool hex,
                           const char **out) {
  if (!json_is_string(v)) return bad(L, p, "expected a string");
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (!hex) {
    /* jansson refuses \u0000 by default, so n == strlen(s) */
    *out = uf_intern(L->t, s, n);
    return *out ? UF_OK : uf_error_set(L->err, UF_NOMEM, "out of memory");
  }
  if (n % 2) return bad(L, p, "odd number of hex digits");
  char small[256];
  char *buf = n / 2 <= sizeof small ? small : uf_tree_alloc(L->t, n / 2 + 1);
  if (!buf) return uf_error_set(L->err, UF_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i += 2) {
    int hi = hexval(s[i]), lo = hexval(s[i + 1]);
    if (hi < 0 || lo < 0) return bad(L, p, "invalid hex digit");
    if (hi == 0 && lo == 0) return bad(L, p, "NUL byte in text");
    buf[i / 2] = (char)(hi * 16 + lo);
  }
  *out = uf_intern(L->t, buf, n / 2);
  return *out ? UF_OK : uf_error_set(L->err, UF_NOMEM, "out of memory");
}

static uf_status load_u32(loader *L, const path *p, const json_t *v,
                          json_int_t max, uint32_t *out) {
  if (!json_is_integer(v)) return bad(L, p, "expected an integer");
  json_int_t x = json_integer_value(v);
  if (x < 0 || x > max) return bad(L, p, "integer out of range");
  *out = (uint32_t)x;
  return UF_OK;
}

static uf_status load_flags(loader *L, const path *p, const json_t *v,
                            uint32_t *out) {
  if (!json_is_array(v)) return bad(L, p, "expected an array of flag names");
  *out = 0;
  for (size_t i = 0; i < json_array_size(v); i++) {
    path pi = {p, NULL, i};
    const json_t *f = json_array_get(v, i);
    uint32_t bit = 32;
    if (json_is_integer(f)) {
      if (json_integer_value(f) >= 0 && json_integer_value(f) < 32)
        bit = (uint32_t)json_integer_value(f);
    } else if (json_is_string(f)) {
      for (uint32_t b = 0; b < 32; b++) {
        const char *name = uf_flag_name(b);
        if (name && strcmp(name, json_string_value(f)) == 0) { bit = b; break; }
      }
      if (bit == 32) return bad(L, &pi, "unknown flag '%s'", json_string_value(f));
    }
    if (bit == 32) return bad(L, &pi, "expected a flag name");
    *out |= 1u << bit;
  }
  return UF_OK;
}

static uf_status load_comment(loader *L, const path *p, uf_node *n,
                              const json_t *v) {
  if (!json_is_object(v)) return bad(L, p, "expected a comment object");
  const char *text = NULL;
  bool block = false, trailing = false;
  const char *key;
  json_t *f;
  json_object_foreach((json_t *)v, key, f) {
    path pk = {p, key, 0};
    uf_status st = UF_OK;
    if (strcmp(key, "text") == 0 || strcmp(key, "text_hex") == 0) {
      if (text) return bad(L, &pk, "both text and text_hex");
      st = load_text(L, &pk, f, key[4] == '_', &text);
    } else if (strcmp(key, "block") == 0 || strcmp(key, "trailing") == 0) {
      if (!json_is_boolean(f)) return bad(L, &pk, "expected true or false");
      *(key[0] == 'b' ? &block : &trailing) = json_is_true(f);
    } else {
      return bad(L, &pk, "unknown comment field '%s'", key);
    }
    if (st != UF_OK) return st;
  }
  if (!text) return bad(L, p, "comment without text");
  return uf_node_add_comment(L->t, n, text, strlen(text), block, trailing, L->err);
}

static uf_status load_comments(loader *L, const path *p, uf_node *n,
                               const json_t *v) {
  if (!json_is_array(v)) return bad(L, p, "expected an array of comments");
  for (size_t i = 0; i < json_array_size(v); i++) {
    path pi = {p, NULL, i};
    uf_status st = load_comment(L, &pi, n, json_array_get(v, i));
    if (st != UF_OK) return st;
  }
  return UF_OK;
}

static uf_status load_node(loader *L, const path *p, const json_t *v,
                           uint32_t depth, uf_node **out);

static uf_status load_items(loader *L, const path *p, uf_node *n,
                            const json_t *v, uint32_t depth) {
  if (n->kind != UF_LIST && n->kind != UF_SCRIPT)
    return bad(L, p, "kind %s has no items", uf_kind_name((uf_kind)n->kind));
  if (!json_is_array(v)) return bad(L, p, "expected an array");
  for (size_t i = 0; i < json_array_size(v); i++) {
    path pi = {p, NULL, i};
    const json_t *item = json_array_get(v, i);
    uf_node *child = NULL;
    if (!json_is_null(item)) {
      uf_status st = load_node(L, &pi, item, depth + 1, &child);
      if (st != UF_OK) return st;
    }
    uf_status st = uf_list_push(L->t, n, child, L->err);
    if (st != UF_OK) return st;
  }
  return UF_OK;
}

static uf_status load_slots(loader *L, const path *p, uf_node *n,
                            const json_t *v, uint32_t depth) {
  if (n->kind == UF_LIST || n->kind == UF_SCRIPT)
    return bad(L, p, "a list has items, not slots");
  if (!json_is_object(v)) return bad(L, p, "expected an object of slots");
  const char *key;
  json_t *f;
  json_object_foreach((json_t *)v, key, f) {
    path pk = {p, key, 0};
    uf_slot s = uf_slot_from_name(key);
    if (s == UF_SLOT_COUNT) return bad(L, &pk, "unknown slot '%s'", key);
    int i = uf_kind_slot_index((uf_kind)n->kind, s);
    if (i < 0) {
      return bad(L, &pk, "kind %s has no slot %s",
                 uf_kind_name((uf_kind)n->kind), key);
    }
    if (json_is_null(f)) continue;
    uf_status st = load_node(L, &pk, f, depth + 1, &n->kids[i]);
    if (st != UF_OK) return st;
  }
  return UF_OK;
}

/* One field of a node other than kind. */
static uf_status load_field(loader *L, const path *p, uf_node *n,
                            const char *key, const json_t *f, uint32_t depth,
                            bool *have_text) {
  path pk = {p, key, 0};
  uint32_t x = 0;
  uf_status st;
  if (strcmp(key, "text") == 0 || strcmp(key, "text_hex") == 0) {
    if (*have_text) return bad(L, &pk, "both text and text_hex");
    *have_text = true;
    return load_text(L, &pk, f, key[4] == '_', &n->text);
  }
  if (strcmp(key, "flags") == 0) return load_flags(L, &pk, f, &n->flags);
  if (strcmp(key, "style") == 0) {
    st = load_u32(L, &pk, f, 255, &x);
    n->style = (uint8_t)x;
    return st;
  }
  if (strcmp(key, "line") == 0) return load_u32(L, &pk, f, UINT32_MAX, &n->line);
  if (strcmp(key, "col") == 0) return load_u32(L, &pk, f, UINT32_MAX, &n->col);
  if (strcmp(key, "offset") == 0) return load_u32(L, &pk, f, UINT32_MAX, &n->offset);
  if (strcmp(key, "comments") == 0) return load_comments(L, &pk, n, f);
  if (strcmp(key, "slots") == 0) return load_slots(L, &pk, n, f, depth);
  if (strcmp(key, "items") == 0) return load_items(L, &pk, n, f, depth);
  return bad(L, &pk, "unknown node field '%s'", key);
}

static uf_status load_node(loader *L, const path *p, const json_t *v,
                           uint32_t depth, uf_node **out) {
  if (depth > SERDE_MAX_DEPTH) return bad(L, p, "nesting deeper than the limit");
  if (!json_is_object(v)) return bad(L, p, "expected a node object");
  const json_t *kv = json_object_get(v, "kind");
  path pkind = {p, "kind", 0};
  if (!kv) return bad(L, p, "node without kind");
  if (!json_is_string(kv)) return bad(L, &pkind, "expected a kind name");
  uf_kind k = uf_kind_from_name(json_string_value(kv));
  if (k == UF_KIND_COUNT)
    return bad(L, &pkind, "unknown kind '%s'", json_string_value(kv));
  uf_node *n = uf_node_new(L->t, k);
  if (!n) return uf_error_set(L->err, UF_NOMEM, "out of memory");
  bool have_text = false;
  const char *key;
  json_t *f;
  json_object_foreach((json_t *)v, key, f) {
    if (strcmp(key, "kind") == 0) continue;
    uf_status st = load_field(L, p, n, key, f, depth, &have_text);
    if (st != UF_OK) return st;
  }
  *out = n;
  return UF_OK;
}

static uf_status load_envelope(loader *L, const json_t *doc, uf_node **root) {
  if (!json_is_object(doc)) return bad(L, NULL, "expected an object");
  const json_t *ver = json_object_get(doc, "unifier_ast");
  path pv = {NULL, "unifier_ast", 0};
  if (!ver) return bad(L, NULL, "missing \"unifier_ast\" version");
  if (!json_is_integer(ver) || json_integer_value(ver) != UF_SERDE_VERSION) {
    return bad(L, &pv, "unsupported version (expected %d)", UF_SERDE_VERSION);
  }
  const char *key;
  json_t *f;
  json_object_foreach((json_t *)doc, key, f) {
    if (strcmp(key, "unifier_ast") != 0 && strcmp(key, "root") != 0) {
      path pk = {NULL, key, 0};
      return bad(L, &pk, "unknown field '%s'", key);
    }
  }
  const json_t *r = json_object_get(doc, "root");
  path pr = {NULL, "root", 0};
  if (!r) return bad(L, NULL, "missing \"root\"");
  return load_node(L, &pr, r, 1, root);
}

uf_status uf_serde_load(const char *json, size_t len, uf_tree **out_tree,
                        uf_error *err) {
  if (out_tree) *out_tree = NULL;
  uf_error_clear(err);
  if (!json || !out_tree)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "uf_serde_load: NULL argument");
  json_error_t jerr;
  json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!doc)
    return uf_error_set(err, UF_SERDE, "invalid JSON at line %d column %d: %s",
                        jerr.line, jerr.column, jerr.text);
  loader L = {uf_tree_new(), err};
  if (!L.t) {
    json_decref(doc);
    return uf_error_set(err, UF_NOMEM, "out of memory");
  }
  uf_node *root = NULL;
  uf_status st = load_envelope(&L, doc, &root);
  json_decref(doc);
  if (st != UF_OK) {
    uf_tree_free(L.t);
    return st;
  }
  uf_tree_set_root(L.t, root);
  *out_tree = L.t;
  return UF_OK;
}
