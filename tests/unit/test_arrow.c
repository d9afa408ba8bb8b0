/* Arrow helpers (src/engine/arrow*.c): concatenation of slices for every
 * layout the engine emits, built here by hand with offsets and nulls;
 * schema copies, array views, the coalescer, tables and their streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/arrow.h"
#include "unifier/engine.h"

/* -- building arrays by hand ------------------------------------------------- */

typedef struct tpriv {
  void *bufs[4];
  const void *ptrs[4];
  struct ArrowArray *kids[4];
  struct ArrowArray *dict;
} tpriv;

static int live_arrays; /* every release is honoured: back to 0 at the end */

static void trelease(struct ArrowArray *a) {
  tpriv *p = a->private_data;
  for (int i = 0; i < 4; i++) {
    free(p->bufs[i]);
    if (p->kids[i]) {
      if (p->kids[i]->release) p->kids[i]->release(p->kids[i]);
      free(p->kids[i]);
    }
  }
  if (p->dict) {
    if (p->dict->release) p->dict->release(p->dict);
    free(p->dict);
  }
  free(p);
  a->release = NULL;
  live_arrays--;
}

static void *memdup(const void *src, size_t n) {
  if (src == NULL) return NULL;
  void *d = malloc(n ? n : 1);
  memcpy(d, src, n);
  return d;
}

/* An array of `len` elements at `off` with up to 3 buffers (copied). */
static struct ArrowArray mk(int64_t len, int64_t off, int64_t null_count,
                            int64_t nbuf, const void *b0, size_t s0,
                            const void *b1, size_t s1, const void *b2, size_t s2) {
  tpriv *p = calloc(1, sizeof *p);
  p->bufs[0] = memdup(b0, s0);
  p->bufs[1] = memdup(b1, s1);
  p->bufs[2] = memdup(b2, s2);
  for (int i = 0; i < 4; i++) p->ptrs[i] = p->bufs[i];
  live_arrays++;
  return (struct ArrowArray){len, null_count, off, nbuf, 0, p->ptrs, NULL, NULL,
                             trelease, p};
}

/* Moves `child` in as child i. */
static void add_child(struct ArrowArray *a, struct ArrowArray child) {
  tpriv *p = a->private_data;
  int i = (int)a->n_children++;
  p->kids[i] = malloc(sizeof *p->kids[i]);
  *p->kids[i] = child;
  a->children = p->kids;
}

static void set_dict(struct ArrowArray *a, struct ArrowArray d) {
  tpriv *p = a->private_data;
  p->dict = malloc(sizeof *p->dict);
  *p->dict = d;
  a->dictionary = p->dict;
}

static void noop_schema(struct ArrowSchema *s) { (void)s; }

static struct ArrowSchema sch(const char *fmt) {
  return (struct ArrowSchema){fmt, "", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL,
                              noop_schema, NULL};
}

static bool valid(const struct ArrowArray *a, int64_t i) {
  const uint8_t *v = a->buffers[0];
  if (v == NULL) return true;
  return (v[(a->offset + i) >> 3] >> ((a->offset + i) & 7)) & 1;
}

static int32_t i32(const struct ArrowArray *a, int64_t i) {
  return ((const int32_t *)a->buffers[1])[a->offset + i];
}

/* The string at i of a utf8 array (copied into buf). */
static const char *str_at(const struct ArrowArray *a, int64_t i, char *buf) {
  const int32_t *o = a->buffers[1];
  int32_t b = o[a->offset + i], e = o[a->offset + i + 1];
  memcpy(buf, (const char *)a->buffers[2] + b, (size_t)(e - b));
  buf[e - b] = '\0';
  return buf;
}

/* -- tests -------------------------------------------------------------------- */

static void test_fixed_with_nulls(void **state) {
  (void)state;
  struct ArrowSchema s = sch("i");
  int32_t d1[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  uint8_t v1[] = {0xFB, 0x03}; /* element 2 is null */
  int32_t d2[] = {100, 101, 102};
  struct ArrowArray a1 = mk(8, 2, 1, 2, v1, 2, d1, sizeof d1, NULL, 0); /* 2..9 */
  struct ArrowArray a2 = mk(3, 0, 0, 2, NULL, 0, d2, sizeof d2, NULL, 0);
  /* a1 elements 1..5 (values 3..7; all valid), then a1[0] (value 2, null),
   * then a2[1..2] */
  uf_arrow_slice sl[] = {{&a1, 1, 5}, {&a1, 0, 1}, {&a2, 1, 2}};
  struct ArrowArray out;
  uf_error err;
  assert_int_equal(uf_arrow_concat(&s, sl, 3, &out, &err), UF_OK);
  assert_int_equal(out.length, 8);
  assert_int_equal(out.offset, 0);
  assert_int_equal(out.null_count, 1);
  int32_t want[] = {3, 4, 5, 6, 7, 2, 101, 102};
  for (int i = 0; i < 8; i++) {
    assert_int_equal(valid(&out, i), i != 5);
    if (i != 5) assert_int_equal(i32(&out, i), want[i]);
  }
  out.release(&out);
  a1.release(&a1);
  a2.release(&a2);
  assert_int_equal(live_arrays, 0);
}

static void test_boolean_unaligned(void **state) {
  (void)state;
  struct ArrowSchema s = sch("b");
  uint8_t bits[] = {0xA5, 0x3C, 0xFF}; /* 10100101 00111100 */
  struct ArrowArray a = mk(20, 3, 0, 2, NULL, 0, bits, 3, NULL, 0);
  uf_arrow_slice sl[] = {{&a, 2, 7}, {&a, 0, 3}, {&a, 10, 10}};
  struct ArrowArray out;
  assert_int_equal(uf_arrow_concat(&s, sl, 3, &out, NULL), UF_OK);
  assert_int_equal(out.length, 20);
  int64_t src[] = {5, 6, 7, 8, 9, 10, 11, 3, 4, 5, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22};
  for (int i = 0; i < 20; i++) {
    bool want = (bits[src[i] >> 3] >> (src[i] & 7)) & 1;
    bool got = (((const uint8_t *)out.buffers[1])[i >> 3] >> (i & 7)) & 1;
    if (want != got) fail_msg("bit %d: want %d got %d", i, want, got);
  }
  out.release(&out);
  a.release(&a);
}

static void test_utf8_and_large(void **state) {
  (void)state;
  const char *fmts[] = {"u", "U"};
  for (int f = 0; f < 2; f++) {
    struct ArrowSchema s = sch(fmts[f]);
    const char data[] = "aabbbcdddd";
    int32_t o32[] = {0, 2, 5, 6, 10};
    int64_t o64[] = {0, 2, 5, 6, 10};
    uint8_t v[] = {0x0D}; /* element 1 null */
    struct ArrowArray a = f == 0 ? mk(4, 0, 1, 3, v, 1, o32, sizeof o32, data, 10)
                                 : mk(4, 0, 1, 3, v, 1, o64, sizeof o64, data, 10);
    uf_arrow_slice sl[] = {{&a, 2, 2}, {&a, 0, 2}};
    struct ArrowArray out;
    assert_int_equal(uf_arrow_concat(&s, sl, 2, &out, NULL), UF_OK);
    assert_int_equal(out.null_count, 1);
    const char *want[] = {"c", "dddd", "aa", NULL};
    for (int i = 0; i < 4; i++) {
      int64_t b, e;
      if (f == 0) {
        b = ((const int32_t *)out.buffers[1])[i];
        e = ((const int32_t *)out.buffers[1])[i + 1];
      } else {
        b = ((const int64_t *)out.buffers[1])[i];
        e = ((const int64_t *)out.buffers[1])[i + 1];
      }
      assert_int_equal(valid(&out, i), want[i] != NULL);
      if (want[i]) {
        assert_int_equal(e - b, (int64_t)strlen(want[i]));
        assert_memory_equal((const char *)out.buffers[2] + b, want[i], strlen(want[i]));
      }
    }
    out.release(&out);
    a.release(&a);
  }
}

static void put_view(uint8_t *v, const char *s, int32_t buf, int32_t off) {
  int32_t len = (int32_t)strlen(s);
  memset(v, 0, 16);
  memcpy(v, &len, 4);
  if (len <= 12) {
    memcpy(v + 4, s, (size_t)len);
  } else {
    memcpy(v + 4, s, 4);
    memcpy(v + 8, &buf, 4);
    memcpy(v + 12, &off, 4);
  }
}

static void test_string_view(void **state) {
  (void)state;
  struct ArrowSchema s = sch("vu");
  const char *strs[] = {"short", "a string longer than twelve", "tiny",
                        "another long string here"};
  char data[128];
  uint8_t views[4 * 16];
  int32_t pos = 0;
  for (int i = 0; i < 4; i++) {
    int32_t len = (int32_t)strlen(strs[i]);
    put_view(views + i * 16, strs[i], 0, pos);
    if (len > 12) {
      memcpy(data + pos, strs[i], (size_t)len);
      pos += len;
    }
  }
  int64_t sizes[] = {pos};
  struct ArrowArray a = mk(4, 0, 0, 4, NULL, 0, views, sizeof views, data, (size_t)pos);
  tpriv *p = a.private_data;
  p->bufs[3] = memdup(sizes, sizeof sizes);
  p->ptrs[3] = p->bufs[3];
  uf_arrow_slice sl[] = {{&a, 3, 1}, {&a, 0, 2}};
  struct ArrowArray out;
  assert_int_equal(uf_arrow_concat(&s, sl, 2, &out, NULL), UF_OK);
  int order[] = {3, 0, 1};
  for (int i = 0; i < 3; i++) {
    const uint8_t *v = (const uint8_t *)out.buffers[1] + i * 16;
    int32_t len, buf, off;
    memcpy(&len, v, 4);
    assert_int_equal(len, (int32_t)strlen(strs[order[i]]));
    const char *got = (const char *)v + 4;
    if (len > 12) {
      memcpy(&buf, v + 8, 4);
      memcpy(&off, v + 12, 4);
      got = (const char *)out.buffers[2 + buf] + off;
    }
    assert_memory_equal(got, strs[order[i]], (size_t)len);
  }
  out.release(&out);
  a.release(&a);
}

static void test_list_and_fixed_list(void **state) {
  (void)state;
  struct ArrowSchema item = sch("l");
  struct ArrowSchema *kids[] = {&item};
  struct ArrowSchema s = sch("+l");
  s.n_children = 1;
  s.children = kids;
  int64_t vals[] = {1, 2, 3, 4, 5, 6, 7};
  int32_t offs[] = {0, 2, 2, 5, 7}; /* [1,2] [] [3,4,5] [6,7] */
  struct ArrowArray a = mk(4, 0, 0, 2, NULL, 0, offs, sizeof offs, NULL, 0);
  add_child(&a, mk(7, 0, 0, 2, NULL, 0, vals, sizeof vals, NULL, 0));
  uf_arrow_slice sl[] = {{&a, 2, 2}, {&a, 0, 1}};
  struct ArrowArray out;
  assert_int_equal(uf_arrow_concat(&s, sl, 2, &out, NULL), UF_OK);
  const int32_t *o = out.buffers[1];
  int32_t want_o[] = {0, 3, 5, 7};
  int64_t want_v[] = {3, 4, 5, 6, 7, 1, 2};
  for (int i = 0; i < 4; i++) assert_int_equal(o[i], want_o[i]);
  assert_int_equal(out.children[0]->length, 7);
  for (int i = 0; i < 7; i++)
    assert_int_equal(((const int64_t *)out.children[0]->buffers[1])[i], want_v[i]);
  out.release(&out);

  /* fixed-size list of 2, parent offset 1 */
  struct ArrowSchema f = sch("+w:2");
  f.n_children = 1;
  f.children = kids;
  struct ArrowArray b = mk(3, 1, 0, 1, NULL, 0, NULL, 0, NULL, 0);
  int64_t fv[] = {10, 11, 20, 21, 30, 31, 40, 41};
  add_child(&b, mk(8, 0, 0, 2, NULL, 0, fv, sizeof fv, NULL, 0));
  uf_arrow_slice fs[] = {{&b, 2, 1}, {&b, 0, 1}}; /* [40,41] [20,21] */
  assert_int_equal(uf_arrow_concat(&f, fs, 2, &out, NULL), UF_OK);
  int64_t want_f[] = {40, 41, 20, 21};
  for (int i = 0; i < 4; i++)
    assert_int_equal(((const int64_t *)out.children[0]->buffers[1])[i], want_f[i]);
  out.release(&out);
  a.release(&a);
  b.release(&b);
  assert_int_equal(live_arrays, 0);
}

static void test_struct_decimal_dictionary(void **state) {
  (void)state;
  /* struct<d: decimal(10,2), e: dictionary<int8 -> utf8>> with offset 1 */
  struct ArrowSchema dec = sch("d:10,2"), dv = sch("u"), idx = sch("c");
  idx.dictionary = &dv;
  struct ArrowSchema *kids[] = {&dec, &idx};
  struct ArrowSchema s = sch("+s");
  s.n_children = 2;
  s.children = kids;
  uf_arrow_slice sl[2];
  struct ArrowArray arr[2];
  const char *words[2][2] = {{"red", "green"}, {"blue", "pink"}};
  for (int k = 0; k < 2; k++) {
    arr[k] = mk(3, 1, 0, 1, NULL, 0, NULL, 0, NULL, 0);
    int64_t d[8] = {0};
    for (int i = 0; i < 4; i++) d[2 * i] = 100 * k + i; /* low words */
    add_child(&arr[k], mk(4, 0, 0, 2, NULL, 0, d, sizeof d, NULL, 0));
    int8_t ix[] = {0, 1, 0, 1};
    struct ArrowArray e = mk(4, 0, 0, 2, NULL, 0, ix, sizeof ix, NULL, 0);
    char data[16];
    int32_t o[3] = {0, (int32_t)strlen(words[k][0]), 0};
    o[2] = o[1] + (int32_t)strlen(words[k][1]);
    memcpy(data, words[k][0], (size_t)o[1]);
    memcpy(data + o[1], words[k][1], (size_t)(o[2] - o[1]));
    set_dict(&e, mk(2, 0, 0, 3, NULL, 0, o, sizeof o, data, (size_t)o[2]));
    add_child(&arr[k], e);
    sl[k] = (uf_arrow_slice){&arr[k], 0, 3}; /* elements 1..3 of the children */
  }
  struct ArrowArray out;
  uf_error err;
  assert_int_equal(uf_arrow_concat(&s, sl, 2, &out, &err), UF_OK);
  assert_int_equal(out.length, 6);
  const struct ArrowArray *d = out.children[0], *e = out.children[1];
  int64_t want_dec[] = {1, 2, 3, 101, 102, 103};
  const char *want_word[] = {"green", "red", "green", "pink", "blue", "pink"};
  char buf[32];
  for (int i = 0; i < 6; i++) {
    assert_int_equal(((const int64_t *)d->buffers[1])[2 * i], want_dec[i]);
    int8_t k = ((const int8_t *)e->buffers[1])[i];
    assert_string_equal(str_at(e->dictionary, k, buf), want_word[i]);
  }
  out.release(&out);
  arr[0].release(&arr[0]);
  arr[1].release(&arr[1]);
  assert_int_equal(live_arrays, 0);
}

static void test_null_type_and_unsupported(void **state) {
  (void)state;
  struct ArrowSchema n = sch("n");
  struct ArrowArray a = mk(5, 0, 5, 0, NULL, 0, NULL, 0, NULL, 0);
  uf_arrow_slice sl[] = {{&a, 1, 3}, {&a, 0, 2}};
  struct ArrowArray out;
  assert_int_equal(uf_arrow_concat(&n, sl, 2, &out, NULL), UF_OK);
  assert_int_equal(out.length, 5);
  assert_int_equal(out.null_count, 5);
  out.release(&out);
  struct ArrowSchema u = sch("+us:0,1");
  uf_error err;
  assert_int_equal(uf_arrow_concat(&u, sl, 2, &out, &err), UF_UNSUPPORTED);
  assert_null(out.release);
  assert_non_null(strstr(err.message, "+us:0,1"));
  uf_arrow_slice bad[] = {{&a, 3, 3}};
  assert_int_equal(uf_arrow_concat(&n, bad, 1, &out, &err), UF_INVALID_ARGUMENT);
  a.release(&a);
}

/* struct<x: int32> chunks of the given sizes, values counting from 0. */
static struct ArrowArray chunk(int64_t start, int64_t len) {
  struct ArrowArray a = mk(len, 0, 0, 1, NULL, 0, NULL, 0, NULL, 0);
  int32_t *v = malloc((size_t)(len ? len : 1) * 4);
  for (int64_t i = 0; i < len; i++) v[i] = (int32_t)(start + i);
  add_child(&a, mk(len, 0, 0, 2, NULL, 0, v, (size_t)len * 4, NULL, 0));
  free(v);
  return a;
}

static void test_coalescer(void **state) {
  (void)state;
  struct ArrowSchema x = sch("i");
  struct ArrowSchema *kids[] = {&x};
  struct ArrowSchema s = sch("+s");
  s.n_children = 1;
  s.children = kids;
  uf_coalescer *c;
  uf_error err;
  assert_int_equal(uf_coalescer_new(&s, 100, &c, &err), UF_OK);
  int64_t sizes[] = {30, 0, 45, 100, 7, 250, 1, 99, 100, 3};
  int64_t next = 0, seen = 0, batches = 0;
  for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
    struct ArrowArray a = chunk(next, sizes[k]);
    next += sizes[k];
    assert_int_equal(uf_coalescer_push(c, &a, &err), UF_OK);
    assert_null(a.release);
    while (uf_coalescer_ready(c)) {
      struct ArrowArray b;
      assert_int_equal(uf_coalescer_pop(c, &b, &err), UF_OK);
      assert_int_equal(b.length, 100);
      for (int64_t i = 0; i < b.length; i++)
        assert_int_equal(i32(b.children[0], i), seen + i);
      seen += b.length;
      batches++;
      b.release(&b);
    }
  }
  struct ArrowArray last;
  assert_int_equal(uf_coalescer_pop(c, &last, &err), UF_OK);
  assert_int_equal(last.length, next - seen);
  for (int64_t i = 0; i < last.length; i++) assert_int_equal(i32(last.children[0], i), seen + i);
  last.release(&last);
  assert_int_equal(uf_coalescer_pending(c), 0);
  assert_int_equal(uf_coalescer_pop(c, &last, &err), UF_OK);
  assert_null(last.release);
  assert_int_equal(batches, 6);
  /* pending chunks are released with the coalescer */
  struct ArrowArray a = chunk(0, 10);
  uf_coalescer_push(c, &a, &err);
  uf_coalescer_free(c);
  assert_int_equal(live_arrays, 0);
}

static void test_table_stream_and_views(void **state) {
  (void)state;
  /* a table from a stream of two views of one table: round trip */
  struct ArrowSchema x = sch("i");
  struct ArrowSchema *kids[] = {&x};
  struct ArrowSchema s = sch("+s");
  s.n_children = 1;
  s.children = kids;
  s.name = "root";
  uf_arrow_table *t = calloc(1, sizeof *t);
  uf_error err;
  assert_int_equal(uf_arrow_schema_copy(&s, &t->schema, &err), UF_OK);
  t->batches = calloc(2, sizeof *t->batches);
  t->batches[0] = chunk(0, 5);
  t->batches[1] = chunk(5, 3);
  t->nbatches = 2;
  t->nrows = 8;
  struct ArrowArrayStream st;
  assert_int_equal(uf_arrow_table_stream(t, &st, &err), UF_OK);
  uf_arrow_table *copy = NULL;
  assert_int_equal(uf_engine_to_table(&st, &copy, &err), UF_OK);
  assert_null(st.release);
  assert_int_equal(copy->nrows, 8);
  assert_int_equal(copy->nbatches, 2);
  assert_string_equal(copy->schema.format, "+s");
  assert_string_equal(copy->schema.name, "root");
  assert_string_equal(copy->schema.children[0]->format, "i");
  assert_int_equal(i32(copy->batches[1].children[0], 2), 7);
  /* moving a child out of a view leaves the table intact */
  struct ArrowArray moved = *copy->batches[0].children[0];
  copy->batches[0].children[0]->release = NULL;
  moved.release(&moved);
  uf_arrow_table_free(copy);
  assert_non_null(t->batches[0].children[0]->release);
  assert_int_equal(i32(t->batches[0].children[0], 4), 4);
  assert_int_equal(uf_arrow_array_bytes(&t->schema, &t->batches[0]), 20);
  uf_arrow_table_free(t);
  uf_arrow_table_free(NULL);
  assert_int_equal(live_arrays, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fixed_with_nulls),
      cmocka_unit_test(test_boolean_unaligned),
      cmocka_unit_test(test_utf8_and_large),
      cmocka_unit_test(test_string_view),
      cmocka_unit_test(test_list_and_fixed_list),
      cmocka_unit_test(test_struct_decimal_dictionary),
      cmocka_unit_test(test_null_type_and_unsupported),
      cmocka_unit_test(test_coalescer),
      cmocka_unit_test(test_table_stream_and_views),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
