/* Core pieces: arena, sbuf, status table, error snippets, and the AST's
 * table-driven operations on trees built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/sbuf.h"
#include "unifier/ast.h"

static void test_arena(void **state) {
  (void)state;
  uf_arena a;
  uf_arena_init(&a);
  char *big = uf_arena_alloc(&a, 3u << 20); /* larger than a block */
  assert_non_null(big);
  memset(big, 1, 3u << 20);
  for (int i = 0; i < 10000; i++) {
    int *p = uf_arena_calloc(&a, sizeof(int) * 3);
    assert_non_null(p);
    assert_int_equal(((uintptr_t)p) % _Alignof(max_align_t), 0);
    assert_int_equal(p[2], 0);
  }
  char *s = uf_arena_strndup(&a, "hello world", 5);
  assert_string_equal(s, "hello");
  assert_true(a.total >= (3u << 20));
  uf_arena_free(&a);
  assert_int_equal(a.total, 0);
}

static void test_sbuf(void **state) {
  (void)state;
  uf_sbuf b;
  uf_sbuf_init(&b);
  for (int i = 0; i < 1000; i++) uf_sbuf_addf(&b, "%d,", i);
  uf_sbuf_adds(&b, "end");
  size_t len;
  char *s = uf_sbuf_take(&b, &len);
  assert_non_null(s);
  assert_int_equal(strlen(s), len);
  assert_memory_equal(s, "0,1,2,", 6);
  assert_string_equal(s + len - 3, "end");
  free(s);
  assert_null(b.data);
}

static void test_status_table(void **state) {
  (void)state;
  assert_string_equal(uf_status_name(UF_SYNTAX), "SYNTAX");
  assert_string_equal(uf_status_message(UF_NOMEM), "out of memory");
  uf_error err;
  assert_int_equal(uf_error_set(&err, UF_IO, "cannot open %s", "x.sql"), UF_IO);
  assert_string_equal(err.message, "cannot open x.sql");
  assert_int_equal(uf_error_set(NULL, UF_IO, "ignored"), UF_IO);
  const char *src = "SELECT a\nFROM t WHERE ?? x";
  uf_error_set_at(&err, UF_SYNTAX, src, strlen(src), 22, 2, 14, "bad token");
  assert_int_equal(err.line, 2);
  assert_string_equal(err.snippet, "FROM t WHERE ?? x\n             ^");
}

static void test_kinds_table(void **state) {
  (void)state;
  assert_string_equal(uf_kind_name(UF_SELECT), "select");
  assert_int_equal(uf_kind_from_name("select"), UF_SELECT);
  assert_int_equal(uf_kind_from_name("nope"), UF_KIND_COUNT);
  assert_int_equal(uf_kind_category(UF_CREATE_TABLE), UF_CAT_STMT);
  assert_int_equal(uf_kind_category(UF_SELECT), UF_CAT_QUERY);
  assert_true(uf_kind_slot_index(UF_SELECT, UF_SLOT_WHERE) >= 0);
  assert_int_equal(uf_kind_slot_index(UF_IDENT, UF_SLOT_WHERE), -1);
  for (int k = 0; k < UF_KIND_COUNT; k++) {
    assert_int_equal(uf_kind_from_name(uf_kind_name((uf_kind)k)), k);
    for (uint32_t i = 0; i < uf_kind_slot_count((uf_kind)k); i++) {
      uf_slot s = uf_kind_slot_at((uf_kind)k, i);
      assert_int_equal(uf_kind_slot_index((uf_kind)k, s), (int)i);
    }
  }
  assert_string_equal(uf_flag_name(0), "not");
  assert_int_equal(uf_slot_from_name(uf_slot_name(UF_SLOT_WHERE)), UF_SLOT_WHERE);
}

/* a + b, built by hand */
static uf_node *col(uf_tree *t, const char *name) {
  uf_node *c = uf_node_new(t, UF_COLUMN);
  uf_node *id = uf_node_new_text(t, UF_IDENT, name, strlen(name));
  assert_int_equal(uf_set(c, UF_SLOT_THIS, id, NULL), UF_OK);
  return c;
}

static uf_node *add(uf_tree *t, uf_node *l, uf_node *r) {
  uf_node *b = uf_node_new_text(t, UF_BINARY, "+", 1);
  uf_set(b, UF_SLOT_LEFT, l, NULL);
  uf_set(b, UF_SLOT_RIGHT, r, NULL);
  return b;
}

static int count_cb(uf_node *n, uf_node *parent, void *ctx) {
  (void)parent;
  (void)n;
  (*(int *)ctx)++;
  return 0;
}

static uf_node *rename_b(uf_node *n, void *ctx, uf_status *st) {
  (void)st;
  uf_tree *t = ctx;
  if (n->kind == UF_IDENT && strcmp(n->text, "b") == 0)
    return uf_node_new_text(t, UF_IDENT, "z", 1);
  if (n->kind == UF_NUMBER) return NULL; /* drop numbers from lists */
  return n;
}

static void test_tree_ops(void **state) {
  (void)state;
  uf_tree *t = uf_tree_new();
  assert_non_null(t);
  assert_ptr_equal(uf_intern(t, "abc", 3), uf_intern(t, "abcd", 3));
  uf_node *e = add(t, col(t, "a"), col(t, "b"));
  uf_error err;
  assert_int_equal(uf_set(e, UF_SLOT_WHERE, NULL, &err), UF_INVALID_ARGUMENT);
  int n = 0;
  uf_walk(e, count_cb, &n);
  assert_int_equal(n, 5);
  assert_ptr_equal(uf_find(e, UF_IDENT), uf_get(uf_get(e, UF_SLOT_LEFT), UF_SLOT_THIS));

  /* copy into another tree: equal, same hash, independent */
  uf_tree *t2 = uf_tree_new();
  assert_int_equal(uf_node_add_comment(t, e, "note", 4, true, false, NULL), UF_OK);
  uf_node *c = uf_node_copy(t2, e);
  assert_true(uf_node_equal(e, c, true));
  assert_int_equal(uf_node_hash(e), uf_node_hash(c));
  c->style = 1;
  assert_true(uf_node_equal(e, c, false));
  assert_false(uf_node_equal(e, c, true));

  /* transform: rename b -> z; the copy is untouched */
  uf_node *out = NULL;
  assert_int_equal(uf_transform(e, rename_b, t, &out, &err), UF_OK);
  assert_string_equal(uf_get(uf_get(out, UF_SLOT_RIGHT), UF_SLOT_THIS)->text, "z");
  assert_false(uf_node_equal(out, c, false));
  assert_true(uf_node_hash(out) != uf_node_hash(c));

  /* lists: push many, drop items in a transform */
  uf_node *list = uf_node_new(t, UF_LIST);
  for (int i = 0; i < 100; i++) {
    assert_int_equal(uf_list_push(t, list, i % 2 ? col(t, "b") : uf_node_new_text(t, UF_NUMBER, "1", 1), NULL), UF_OK);
  }
  assert_int_equal(uf_transform(list, rename_b, t, &out, &err), UF_OK);
  assert_int_equal(out->nkids, 50);
  assert_int_equal(uf_list_push(t, e, list, &err), UF_INVALID_ARGUMENT);
  uf_tree_free(t);
  uf_tree_free(t2);
  uf_tree_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_arena),
      cmocka_unit_test(test_sbuf),
      cmocka_unit_test(test_status_table),
      cmocka_unit_test(test_kinds_table),
      cmocka_unit_test(test_tree_ops),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
