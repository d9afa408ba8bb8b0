/*
 * The safety gate in the execution lane, on real DuckDB, in a temp
 * directory holding canary files:
 *   1. every hostile case is refused by the gate under query-only, so the
 *      lane executes nothing;
 *   2. defence in depth: with the gate bypassed (uf_engine_run called
 *      directly, which is what the gate normally guards), the engine's own
 *      settings (external access off, or limited to allowed_directories;
 *      configuration locked) still keep every case from touching the
 *      canaries: inotify (atime-independent) sees no open, access, create,
 *      modify or delete in the directory or on the system files the corpus
 *      names, no new file appears and canary contents are unchanged.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../support/support.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include "unifier/engine.h"
#include "unifier/params.h"
#include "unifier/safety.h"
#include "unifier/sql.h"
#include "../safety/corpus.h"

#ifndef UF_SOURCE_DIR
#define UF_SOURCE_DIR "."
#endif
#define CORPUS UF_SOURCE_DIR "/tests/safety/hostile.sql"

static const char *const canaries[][2] = {
    {"data.csv", "a,b\nCANARY_7f3a,1\n"},
    {"data2.csv", "a,b\nCANARY_7f3b,2\n"},
    {"in.csv", "a\nCANARY_7f3c\n"},
    {"data.json", "{\"a\": \"CANARY_7f3d\"}\n"},
    {"data.parquet", "PAR1 not really parquet CANARY_7f3e"},
    {"exported", "a file where EXPORT would write a directory"},
};
#define NCANARIES (sizeof canaries / sizeof *canaries)

typedef struct sandbox {
  char dir[PATH_MAX / 2];
  char jail[PATH_MAX];
  char old_cwd[PATH_MAX];
  int ino;
} sandbox;

static bool same_content(const char *path, const char *text) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  char buf[512];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return strcmp(buf, text) == 0;
}

/* Names in dir (sorted is not needed: we compare counts and names). */
static size_t count_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

static int setup(void **state) {
  sandbox *s = calloc(1, sizeof *s);
  snprintf(s->dir, sizeof s->dir, "/tmp/uf_safety_exec_XXXXXX");
  if (!mkdtemp(s->dir)) return -1;
  snprintf(s->jail, sizeof s->jail, "%s/jail", s->dir);
  if (mkdir(s->jail, 0700) != 0) return -1;
  char sub[PATH_MAX];
  snprintf(sub, sizeof sub, "%s/sub", s->dir);
  if (mkdir(sub, 0700) != 0) return -1;
  for (size_t i = 0; i < NCANARIES; i++) {
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", s->dir, canaries[i][0]);
    ut_write_file(p, canaries[i][1]);
  }
  if (!getcwd(s->old_cwd, sizeof s->old_cwd)) return -1;
  if (chdir(s->dir) != 0) return -1;
  s->ino = -1;
#ifdef __linux__
  s->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (s->ino >= 0) {
    uint32_t mask = IN_ACCESS | IN_OPEN | IN_CREATE | IN_MODIFY | IN_DELETE |
                    IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB;
    inotify_add_watch(s->ino, s->dir, mask);
    inotify_add_watch(s->ino, s->jail, mask);
    inotify_add_watch(s->ino, sub, mask);
    /* system files the corpus names; reading them is an IN_OPEN there */
    inotify_add_watch(s->ino, "/etc/passwd", IN_OPEN | IN_ACCESS);
    inotify_add_watch(s->ino, "/etc/hosts", IN_OPEN | IN_ACCESS);
  }
#endif
  *state = s;
  return 0;
}

static int teardown(void **state) {
  sandbox *s = *state;
  if (s->ino >= 0) close(s->ino);
  if (chdir(s->old_cwd) != 0) { /* nothing else to do */ }
  ut_rm_rf(s->dir);
  free(s);
  return 0;
}

/* Drains inotify; returns the number of events (printed with context;
 * context NULL discards them and returns 0). */
static int drain_events(sandbox *s, const char *context) {
  int n = 0;
#ifdef __linux__
  if (s->ino < 0) return 0;
  char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
  for (;;) {
    ssize_t len = read(s->ino, buf, sizeof buf);
    if (len <= 0) break;
    for (char *p = buf; p < buf + len;) {
      struct inotify_event *ev = (struct inotify_event *)p;
      /* Opening or listing a directory reads no file content and writes
       * nothing; under load such events from the test's own sandbox checks
       * were seen attributed to the next case, so they are not counted. */
      bool dir_read = (ev->mask & IN_ISDIR) && !(ev->mask & ~(IN_ISDIR | IN_OPEN | IN_ACCESS | IN_CLOSE_NOWRITE));
      if (dir_read) {
        p += sizeof *ev + ev->len;
        continue;
      }
      if (context) /* NULL: discard events of the test's own checks */
        print_error("  file system event 0x%x on '%s' after: %s\n",
                    ev->mask, ev->len ? ev->name : "(watched file)", context);
      n += context != NULL;
      p += sizeof *ev + ev->len;
    }
  }
#else
  (void)s;
  (void)context;
#endif
  return n;
}

static bool canaries_intact(sandbox *s) {
  drain_events(s, NULL); /* before: what the engine did is already judged */
  for (size_t i = 0; i < NCANARIES; i++) {
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", s->dir, canaries[i][0]);
    if (!same_content(p, canaries[i][1])) {
      print_error("canary %s changed\n", canaries[i][0]);
      return false;
    }
  }
  /* canaries + jail + sub, nothing new */
  size_t n = count_entries(s->dir);
  if (n != NCANARIES + 2 || count_entries(s->jail) != 0) {
    print_error("new files appeared in the sandbox (%zu entries)\n", n);
    return false;
  }
  drain_events(s, NULL); /* our own reads */
  return true;
}

/* 1. The lane: the gate refuses every case under query-only, so nothing
 * executes and nothing on disk is touched. */
static void test_gate_refuses_everything(void **state) {
  sandbox *s = *state;
  hostile_case *cs = NULL;
  long n = hostile_load(CORPUS, &cs);
  assert_true(n >= 150);
  uf_engine *e = NULL;
  uf_error err;
  assert_int_equal(uf_engine_open(NULL, &e, &err), UF_OK);
  drain_events(s, NULL);
  uf_exec_policy q = uf_policy_preset_get(UF_POLICY_QUERY_ONLY);
  int failures = 0, executed = 0;
  for (long i = 0; i < n; i++) {
    uf_tree *t = NULL;
    if (uf_parse(cs[i].sql, strlen(cs[i].sql), NULL, &t, &err) != UF_OK) {
      print_error("parse failed at line %d: %s\n", cs[i].line, err.message);
      failures++;
      continue;
    }
    const uf_node *root = uf_tree_root(t);
    uf_status st = uf_safety_check(root, &q, NULL, &err);
    if (st != UF_POLICY) {
      print_error("gate let through (line %d): %s\n", cs[i].line, cs[i].sql);
      failures++;
    } else if (err.line == 0 || !strstr(err.message, "policy violation")) {
      print_error("violation without position (line %d): %s\n", cs[i].line,
                  err.message);
      failures++;
    }
    if (st == UF_OK) { /* the lane would execute it: do so, to see harm */
      for (uint32_t k = 0; k < root->nkids; k++)
        uf_engine_run(e, root->kids[k], NULL, NULL, NULL, NULL);
      executed++;
    }
    if (drain_events(s, cs[i].sql)) failures++;
    uf_tree_free(t);
  }
  uf_engine_close(e);
  assert_true(canaries_intact(s));
  print_message("lane under query-only: %ld cases refused, %d executed, "
                "%d failures\n", n, executed, failures);
  hostile_free(cs, (size_t)n);
  assert_int_equal(failures, 0);
}

/* Runs every statement of every case directly on a fresh session opened
 * with `profile`; counts cases that touched the sandbox. */
static int run_bypassed(sandbox *s, const uf_runtime_profile *profile,
                        hostile_case *cs, long n, int *succeeded) {
  int failures = 0;
  *succeeded = 0;
  for (long i = 0; i < n; i++) {
    uf_tree *t = NULL;
    uf_error err;
    if (uf_parse(cs[i].sql, strlen(cs[i].sql), NULL, &t, &err) != UF_OK)
      continue;
    uf_engine *e = NULL;
    if (uf_engine_open(profile, &e, &err) != UF_OK) {
      print_error("engine open failed: %s\n", err.message);
      uf_tree_free(t);
      return -1;
    }
    drain_events(s, NULL);
    const uf_node *root = uf_tree_root(t);
    bool all_ok = true;
    for (uint32_t k = 0; k < root->nkids; k++) {
      uint64_t rows = 0;
      if (uf_engine_run(e, root->kids[k], NULL, NULL, &rows, &err) != UF_OK)
        all_ok = false;
    }
    *succeeded += all_ok;
    uf_engine_close(e);
    if (drain_events(s, cs[i].sql)) {
      print_error("  case at line %d touched the sandbox\n", cs[i].line);
      failures++;
    }
    uf_tree_free(t);
  }
  return failures;
}

/* 2a. Gate bypassed, default profile: external access off. */
static void test_engine_wall_default(void **state) {
  sandbox *s = *state;
  hostile_case *cs = NULL;
  long n = hostile_load(CORPUS, &cs);
  assert_true(n >= 150);
  int ok = 0;
  int failures = run_bypassed(s, NULL, cs, n, &ok);
  print_message("gate bypassed, no external access: %ld cases, %d ran "
                "without error (harmless ones), %d touched the sandbox\n",
                n, ok, failures);
  hostile_free(cs, (size_t)n);
  assert_int_equal(failures, 0);
  assert_true(canaries_intact(s));
}

/* 2b. Gate bypassed, access limited to an (empty) jail directory: the
 * canaries beside it stay out of reach. */
static void test_engine_wall_allowed_directories(void **state) {
  sandbox *s = *state;
  hostile_case *cs = NULL;
  long n = hostile_load(CORPUS, &cs);
  assert_true(n >= 150);
  char jail_slash[PATH_MAX + 2];
  snprintf(jail_slash, sizeof jail_slash, "%s/", s->jail);
  const char *dirs[] = {jail_slash, NULL};
  uf_runtime_profile p = {0};
  p.allowed_directories = dirs;
  int ok = 0;
  int failures = run_bypassed(s, &p, cs, n, &ok);
  print_message("gate bypassed, allowed_directories=[jail]: %ld cases, %d "
                "ran without error, %d touched the sandbox\n", n, ok,
                failures);
  hostile_free(cs, (size_t)n);
  assert_int_equal(failures, 0);
  assert_true(canaries_intact(s));
}

/* The detector works: with external access on, a read is seen. */
static void test_detector_sees_reads(void **state) {
  sandbox *s = *state;
#ifdef __linux__
  if (s->ino < 0) skip();
  uf_runtime_profile p = {0};
  p.allow_external_access = true;
  uf_engine *e = NULL;
  uf_error err;
  assert_int_equal(uf_engine_open(&p, &e, &err), UF_OK);
  drain_events(s, NULL);
  const char *sql = "SELECT * FROM read_csv('data.csv')";
  uf_tree *t = NULL;
  assert_int_equal(uf_parse_one(sql, strlen(sql), NULL, &t, &err), UF_OK);
  uint64_t rows = 0;
  assert_int_equal(uf_engine_run(e, uf_tree_root(t), NULL, NULL, &rows, &err),
                   UF_OK);
  assert_int_equal(rows, 1);
  uf_engine_close(e);
  int seen = 0;
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  while (read(s->ino, buf, sizeof buf) > 0) seen++;
  assert_true(seen > 0);
  uf_tree_free(t);
#else
  (void)s;
  skip();
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_detector_sees_reads),
      cmocka_unit_test(test_gate_refuses_everything),
      cmocka_unit_test(test_engine_wall_default),
      cmocka_unit_test(test_engine_wall_allowed_directories),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
