/*
 * Replays saved inputs through a libFuzzer target without libFuzzer, so any
 * compiler (and every ctest run, sanitized or not) exercises the fuzz corpus:
 * SQLite's fuzzcheck idea.
 *
 *   <stem>_replay PATH...
 *
 * Each PATH is a file or a directory (walked recursively, entries in name
 * order). Every file is passed whole to LLVMFuzzerTestOneInput in a buffer of
 * exactly its size, so a sanitizer catches reads past the end. A missing PATH
 * is reported and skipped, so a target may have no saved corpus yet. The name
 * of each input is printed before it runs: after a crash, the last line names
 * the input that caused it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as in libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

typedef struct {
  size_t inputs;
  size_t failures; /* unreadable files, not target findings: those crash */
} replay_stats;

static int read_file(const char *path, uint8_t **out_data, size_t *out_size) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 4096, len = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    len += fread(buf + len, 1, cap - len, f);
    if (len < cap) break;
    uint8_t *grown = realloc(buf, cap * 2);
    if (!grown) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = grown;
    cap *= 2;
  }
  int failed = !buf || ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    return -1;
  }
  /* An exact-size copy, so one byte past the end is a heap overflow. */
  uint8_t *exact = malloc(len ? len : 1);
  if (!exact) {
    free(buf);
    return -1;
  }
  memcpy(exact, buf, len);
  free(buf);
  *out_data = exact;
  *out_size = len;
  return 0;
}

static void replay_file(const char *path, replay_stats *stats) {
  uint8_t *data = NULL;
  size_t size = 0;
  if (read_file(path, &data, &size) != 0) {
    fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
    stats->failures++;
    return;
  }
  printf("replay: %s (%zu bytes)\n", path, size);
  fflush(stdout);
  LLVMFuzzerTestOneInput(data, size);
  free(data);
  stats->inputs++;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_path(const char *path, replay_stats *stats);

static void replay_dir(const char *path, replay_stats *stats) {
  DIR *dir = opendir(path);
  if (!dir) {
    fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
    stats->failures++;
    return;
  }
  char **names = NULL;
  size_t count = 0, cap = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] == '.') continue; /* ., .., hidden files */
    if (count == cap) {
      size_t new_cap = cap ? cap * 2 : 64;
      char **grown = realloc(names, new_cap * sizeof *names);
      if (!grown) break;
      names = grown;
      cap = new_cap;
    }
    size_t len = strlen(path) + strlen(entry->d_name) + 2;
    char *child = malloc(len);
    if (!child) break;
    snprintf(child, len, "%s/%s", path, entry->d_name);
    names[count++] = child;
  }
  closedir(dir);
  if (count) qsort(names, count, sizeof *names, compare_names);
  for (size_t i = 0; i < count; i++) {
    replay_path(names[i], stats);
    free(names[i]);
  }
  free(names);
}

static void replay_path(const char *path, replay_stats *stats) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "replay: skipping %s: %s\n", path, strerror(errno));
    return;
  }
  if (S_ISDIR(st.st_mode))
    replay_dir(path, stats);
  else if (S_ISREG(st.st_mode))
    replay_file(path, stats);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
    return 2;
  }
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  replay_stats stats = {0, 0};
  for (int i = 1; i < argc; i++) replay_path(argv[i], &stats);
  printf("replay: %zu inputs, %zu unreadable\n", stats.inputs, stats.failures);
  return stats.failures ? 1 : 0;
}
