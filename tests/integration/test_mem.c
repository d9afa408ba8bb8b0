/*
 * Memory: `unifier fingerprint` streams. A 1,000,000-statement file (the
 * TPC-H queries interleaved with small statements, ~50 MB) is written to a
 * temporary folder and fingerprinted by the CLI; its peak resident set
 * (ru_maxrss from wait4, the same figure /usr/bin/time -v prints) must stay
 * under 64 MB, however long the input. scripts/mem-check.sh does the same
 * by hand with /usr/bin/time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#ifndef UF_CLI_PATH
#define UF_CLI_PATH "build/unifier"
#endif

#define STATEMENTS 1000000
#define PEAK_RSS_LIMIT_KB (64 * 1024)
#define TPCH_EVERY 50 /* one TPC-H query per 50 statements */

/* wait4 is a BSD/GNU call that -std=c11 with _POSIX_C_SOURCE hides. */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);

/* Small statements that vary by a number, so no two are identical. */
static void write_small(FILE *f, unsigned long i) {
  switch (i % 6) {
    case 0: fprintf(f, "SELECT a, b FROM t WHERE id = %lu;\n", i); break;
    case 1: fprintf(f, "INSERT INTO t VALUES (%lu, 'name %lu');\n", i, i); break;
    case 2: fprintf(f, "UPDATE t SET b = 'x' WHERE id = %lu;\n", i); break;
    case 3: fprintf(f, "DELETE FROM t WHERE id = %lu;\n", i); break;
    case 4: fprintf(f, "SELECT count(*) FROM t GROUP BY a HAVING count(*) > %lu;\n", i); break;
    default: fprintf(f, "SELECT x + %lu AS y FROM u ORDER BY y LIMIT 10;\n", i); break;
  }
}

static bool write_workload(const char *path, size_t *out_bytes) {
  h_strvec q = {0};
  h_load_tpch(&q);
  FILE *f = fopen(path, "w");
  if (f == NULL || q.n == 0) {
    if (f) fclose(f);
    h_strvec_free(&q);
    return false;
  }
  for (unsigned long i = 0; i < STATEMENTS; i++) {
    if (i % TPCH_EVERY == 0)
      fprintf(f, "%s;\n", q.items[(i / TPCH_EVERY) % q.n]);
    else
      write_small(f, i);
  }
  *out_bytes = (size_t)ftell(f);
  bool ok = ferror(f) == 0;
  ok = (fclose(f) == 0) && ok;
  h_strvec_free(&q);
  return ok;
}

/* Runs argv with stdout to out_path; returns the exit status (or -1) and
 * the peak RSS in KB. */
static int run_measured(char *const argv[], const char *out_path, long *out_kb,
                        double *out_seconds) {
  struct timeval t0, t1;
  gettimeofday(&t0, NULL);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) dup2(fd, 1);
    execv(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  if (wait4(pid, &status, 0, &ru) != pid) return -1;
  gettimeofday(&t1, NULL);
  *out_kb = ru.ru_maxrss;
  *out_seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static size_t count_lines(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return 0;
  size_t n = 0;
  int c;
  while ((c = getc(f)) != EOF) n += c == '\n';
  fclose(f);
  return n;
}

static void test_fingerprint_million(void **state) {
  (void)state;
  if (access(UF_CLI_PATH, X_OK) != 0) {
    printf("[mem] %s not built: skipped\n", UF_CLI_PATH);
    skip();
  }
  char dir[] = "/tmp/uf-mem-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char in[256], out[256];
  snprintf(in, sizeof in, "%s/million.sql", dir);
  snprintf(out, sizeof out, "%s/fingerprints.txt", dir);
  size_t bytes = 0;
  assert_true(write_workload(in, &bytes));

  char *argv[] = {(char *)UF_CLI_PATH, (char *)"fingerprint", in, NULL};
  long kb = 0;
  double secs = 0;
  int rc = run_measured(argv, out, &kb, &secs);
  size_t lines = count_lines(out);
  printf("[mem] unifier fingerprint: %d statements (%.1f MB) in %.2f s "
         "(%.0f stmt/s), exit %d, %zu output lines, peak RSS %.1f MB (limit %d MB)\n",
         STATEMENTS, (double)bytes / 1e6, secs, secs > 0 ? STATEMENTS / secs : 0,
         rc, lines, (double)kb / 1024.0, PEAK_RSS_LIMIT_KB / 1024);
  unlink(in);
  unlink(out);
  rmdir(dir);
  assert_int_equal(rc, 0);
  assert_true(lines >= STATEMENTS);
#if defined(__SANITIZE_ADDRESS__)
  /* ASan's quarantine keeps freed memory resident: the bound is measured by
   * the plain build; here only the run itself is checked. */
  printf("[mem] sanitizer build: peak RSS bound not checked\n");
#else
  assert_true(kb > 0 && kb < PEAK_RSS_LIMIT_KB);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fingerprint_million),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
