/* Helpers shared by the tests; see support.h. */
#define _DEFAULT_SOURCE /* wait4 under -std=c11 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "support.h"

#ifndef UF_CLI_PATH
#define UF_CLI_PATH "build/unifier"
#endif

extern char **environ;

/* ---- parse and generate ---- */

uf_tree *ut_parse_mode(const char *sql, const uf_dialect *d, ut_mode mode,
                       uf_status *st, uf_error *err) {
  uf_parse_options po;
  memset(&po, 0, sizeof po);
  po.dialect = d;
  uf_tree *t = NULL;
  size_t len = strlen(sql);
  uf_status s = mode == UT_EXPR   ? uf_parse_expr(sql, len, &po, &t, err)
                : mode == UT_STMT ? uf_parse_one(sql, len, &po, &t, err)
                                  : uf_parse(sql, len, &po, &t, err);
  if (st) *st = s;
  return s == UF_OK ? t : NULL;
}

uf_tree *ut_parse(const char *sql, const uf_dialect *d, uf_error *err) {
  return ut_parse_mode(sql, d, UT_STMT, NULL, err);
}

uf_tree *ut_parse_expr(const char *sql, const uf_dialect *d, uf_status *st,
                       uf_error *err) {
  return ut_parse_mode(sql, d, UT_EXPR, st, err);
}

uf_tree *ut_parse_must(const char *sql, const uf_dialect *d) {
  uf_error err;
  uf_tree *t = ut_parse(sql, d, &err);
  if (!t) fail_msg("input: %s\nparse failed: %s", sql, err.message);
  return t;
}

char *ut_gen_st(const uf_node *n, const uf_dialect *d, bool pretty,
                uf_status *st, uf_error *err) {
  uf_gen_options go;
  memset(&go, 0, sizeof go);
  go.dialect = d;
  go.pretty = pretty;
  char *out = NULL;
  uf_status s = uf_generate(n, &go, &out, NULL, err);
  if (st) *st = s;
  if (s == UF_OK) return out;
  uf_free(out);
  return NULL;
}

char *ut_gen(const uf_node *n, const uf_dialect *d, bool pretty, uf_error *err) {
  return ut_gen_st(n, d, pretty, NULL, err);
}

/* ---- round trip ---- */

bool ut_regenerates(const char *sql, const uf_node *root, const uf_dialect *d,
                    ut_mode mode, bool pretty, char **out_text) {
  uf_error err;
  const char *how = pretty ? "pretty" : "compact";
  char *out = ut_gen(root, d, pretty, &err);
  if (!out) {
    print_error("input: %s\n%s generate failed: %s\n", sql, how, err.message);
    return false;
  }
  uf_tree *t2 = ut_parse_mode(out, d, mode, NULL, &err);
  if (!t2) {
    print_error("input: %s\n%s output does not parse: %s\noutput:\n%s\n", sql,
                how, err.message, out);
    uf_free(out);
    return false;
  }
  bool ok = uf_node_equal(root, uf_tree_root(t2), false);
  if (!ok)
    print_error("input: %s\n%s output re-parses to a different AST:\n%s\n",
                sql, how, out);
  char *out2 = ok ? ut_gen(uf_tree_root(t2), d, pretty, &err) : NULL;
  if (ok && (!out2 || strcmp(out, out2) != 0)) {
    print_error("input: %s\n%s generation is not a fixed point:\n%s\n---\n%s\n",
                sql, how, out, out2 ? out2 : err.message);
    ok = false;
  }
  uf_free(out2);
  uf_tree_free(t2);
  if (ok && out_text)
    *out_text = out;
  else
    uf_free(out);
  return ok;
}

/* Parses sql as `mode`; prints why and returns NULL when it does not. */
static uf_tree *parse_or_print(const char *sql, const uf_dialect *d,
                               ut_mode mode) {
  uf_error err;
  uf_tree *t = ut_parse_mode(sql, d, mode, NULL, &err);
  if (!t)
    print_error("input: %s\nparse failed at %u:%u: %s\n", sql, err.line,
                err.column, err.message);
  return t;
}

bool ut_round_trips(const char *sql, const uf_dialect *d, ut_mode mode) {
  uf_tree *t = parse_or_print(sql, d, mode);
  if (!t) return false;
  bool ok = ut_regenerates(sql, uf_tree_root(t), d, mode, false, NULL) &&
            ut_regenerates(sql, uf_tree_root(t), d, mode, true, NULL);
  uf_tree_free(t);
  return ok;
}

char *ut_round_trip_must(const char *sql, const uf_dialect *d, ut_mode mode,
                         bool pretty) {
  uf_tree *t = parse_or_print(sql, d, mode);
  if (!t) fail();
  char *out = NULL;
  bool ok = ut_regenerates(sql, uf_tree_root(t), d, mode, pretty, &out);
  uf_tree_free(t);
  if (!ok) fail();
  return out;
}

/* ---- files and directories ---- */

char *ut_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  char *buf = malloc(cap + 1);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n < cap) continue;
    char *grown = realloc(buf, cap * 2 + 1);
    if (!grown) {
      free(buf);
      buf = NULL;
    }
    buf = grown;
    cap *= 2;
  }
  fclose(f);
  if (!buf) return NULL;
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

void ut_write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot create %s", path);
  fputs(text, f);
  fclose(f);
}

bool ut_mkdtemp(char *buf, size_t size, const char *prefix) {
  int n = snprintf(buf, size, "/tmp/%s_XXXXXX", prefix);
  return n > 0 && (size_t)n < size && mkdtemp(buf) != NULL;
}

void ut_rm_rf(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return;
  if (!S_ISDIR(st.st_mode)) {
    unlink(path);
    return;
  }
  DIR *d = opendir(path);
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    ut_rm_rf(sub);
  }
  if (d) closedir(d);
  rmdir(path);
}

const char *ut_path(const char *dir, const char *name) {
  static char path[8][1024];
  static int next;
  char *p = path[next++ % 8];
  snprintf(p, sizeof path[0], "%s/%s", dir, name);
  return p;
}

/* ---- running the CLI ---- */

char *ut_read_text(const char *path) {
  size_t len = 0;
  char *s = ut_read_file(path, &len);
  if (!s) return calloc(1, 1);
  for (size_t i = 0; i < len; i++)
    if (s[i] == '\0') s[i] = '\x01';
  return s;
}

ut_result ut_run_cli(const char *dir, const char *stdin_path,
                     const char *const *args) {
  char *argv[64];
  int n = 0;
  argv[n++] = (char *)UF_CLI_PATH;
  for (int i = 0; args[i] && n < 63; i++) argv[n++] = (char *)args[i];
  argv[n] = NULL;
  char out[1024], err[1024];
  snprintf(out, sizeof out, "%s/stdout.txt", dir);
  snprintf(err, sizeof err, "%s/stderr.txt", dir);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, stdin_path ? stdin_path : "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  if (posix_spawn(&pid, UF_CLI_PATH, &fa, NULL, argv, environ) != 0)
    fail_msg("cannot run %s", UF_CLI_PATH);
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  wait4(pid, &status, 0, &ru);
  ut_result r = {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                 ut_read_text(out), ut_read_text(err), ru.ru_maxrss};
  return r;
}

void ut_result_free(ut_result *r) {
  free(r->out);
  free(r->err);
  r->out = r->err = NULL;
}

void ut_expect_exit(const ut_result *r, int code, const char *what) {
  if (r->code != code)
    fail_msg("%s: exit %d, want %d\nstdout: %.2000s\nstderr: %.2000s", what,
             r->code, code, r->out, r->err);
}
