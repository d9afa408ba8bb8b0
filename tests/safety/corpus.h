/*
 * Reader of tests/safety/hostile.sql, shared by the unit and the
 * integration tests of the safety gate. Header-only (static functions).
 */
#ifndef UF_TESTS_SAFETY_CORPUS_H
#define UF_TESTS_SAFETY_CORPUS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unifier/safety.h"

typedef struct hostile_case {
  int line;                 /* line of the "-- case:" header */
  uf_policy_preset least;   /* least preset that allows it */
  int needs_root;           /* "+root": allowed only with cwd as a root */
  char rules[256];          /* space-separated rules expected under query-only */
  char *sql;                /* malloc'd */
} hostile_case;

static void hostile_free(hostile_case *c, size_t n) {
  for (size_t i = 0; i < n; i++) free(c[i].sql);
  free(c);
}

static int hostile_parse_header(hostile_case *c, const char *h) {
  char least[64] = "";
  const char *bar = strchr(h, '|');
  if (!bar) return -1;
  size_t n = (size_t)(bar - h);
  while (n && h[n - 1] == ' ') n--;
  while (*h == ' ' && n) h++, n--;
  if (n >= sizeof least) return -1;
  memcpy(least, h, n);
  least[n] = '\0';
  char *plus = strstr(least, "+root");
  c->needs_root = plus != NULL;
  if (plus) *plus = '\0';
  if (uf_policy_preset_parse(least, &c->least, NULL) != UF_OK) return -1;
  const char *r = bar + 1;
  while (*r == ' ') r++;
  snprintf(c->rules, sizeof c->rules, "%s", r);
  size_t rl = strlen(c->rules);
  while (rl && (c->rules[rl - 1] == '\n' || c->rules[rl - 1] == ' '))
    c->rules[--rl] = '\0';
  return 0;
}

/* Reads every case of the corpus; returns the count or -1. */
static long hostile_load(const char *path, hostile_case **out) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 64, n = 0;
  hostile_case *cs = calloc(cap, sizeof *cs);
  char line[4096];
  int lineno = 0;
  hostile_case *cur = NULL;
  size_t sql_len = 0;
  while (cs && fgets(line, sizeof line, f)) {
    lineno++;
    if (strncmp(line, "-- case:", 8) == 0) {
      if (n == cap) {
        cap *= 2;
        hostile_case *g = realloc(cs, cap * sizeof *cs);
        if (!g) break;
        cs = g;
      }
      cur = &cs[n++];
      memset(cur, 0, sizeof *cur);
      cur->line = lineno;
      sql_len = 0;
      if (hostile_parse_header(cur, line + 8) != 0) {
        fprintf(stderr, "%s:%d: bad case header\n", path, lineno);
        fclose(f);
        hostile_free(cs, n);
        return -1;
      }
      continue;
    }
    if (!cur) continue;                       /* the file's preamble */
    if (strncmp(line, "-- =====", 8) == 0) continue; /* section titles */
    size_t l = strlen(line);
    char *s = realloc(cur->sql, sql_len + l + 1);
    if (!s) break;
    memcpy(s + sql_len, line, l + 1);
    cur->sql = s;
    sql_len += l;
  }
  fclose(f);
  *out = cs;
  return (long)n;
}

#endif
