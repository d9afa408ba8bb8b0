/*
 * Shared CLI plumbing: option parsing, the streaming statement loop and
 * error printing. Subcommands only say what to do with one statement.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void cli_print_version(FILE *f) { fprintf(f, "unifier %s\n", UF_VERSION); }

void cli_print_usage(const cli_spec *spec, FILE *f) {
  fprintf(f, "usage: unifier %s\n", spec->usage);
}

static int usage_error(const cli_spec *spec, const char *fmt, const char *arg) {
  fprintf(stderr, "unifier %s: ", spec->name);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  cli_print_usage(spec, stderr);
  return CLI_EXIT_USAGE;
}

/* The value of an option written "--name V" or "--name=V". */
static const char *option_value(int argc, char **argv, int *i, const char *arg,
                                size_t namelen) {
  if (arg[namelen] == '=') return arg + namelen + 1;
  if (*i + 1 >= argc) return NULL;
  return argv[++*i];
}

static int dialect_option(const cli_spec *spec, const char *value,
                          const uf_dialect **out) {
  if (!value) return usage_error(spec, "option needs a dialect name%s", "");
  *out = uf_dialect_by_name(value);
  if (*out) return -1;
  fprintf(stderr,
          "unifier %s: unknown dialect '%s' (expected duckdb, postgres or "
          "datafusion)\n",
          spec->name, value);
  return CLI_EXIT_USAGE;
}

/* Matches "--name" or "--name=..." for an option the spec accepts. */
static bool is_opt(const cli_spec *spec, unsigned bit, const char *arg,
                   const char *name, bool takes_value) {
  if (!(spec->accepts & bit)) return false;
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0) return false;
  return arg[n] == '\0' || (takes_value && arg[n] == '=');
}

/* One option at argv[*i]; returns -1 to continue or an exit code. */
static int parse_option(const cli_spec *spec, int argc, char **argv, int *i,
                        cli_opts *o) {
  const char *a = argv[*i];
  if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
    cli_print_usage(spec, stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(a, "--version") == 0) {
    cli_print_version(stdout);
    return CLI_EXIT_OK;
  }
  if (is_opt(spec, OPT_DIALECT, a, "--dialect", true))
    return dialect_option(spec, option_value(argc, argv, i, a, 9), &o->read);
  if (is_opt(spec, OPT_READ, a, "--read", true))
    return dialect_option(spec, option_value(argc, argv, i, a, 6), &o->read);
  if (is_opt(spec, OPT_WRITE, a, "--write", true))
    return dialect_option(spec, option_value(argc, argv, i, a, 7), &o->write);
  if (is_opt(spec, OPT_PRETTY, a, "--pretty", false)) { o->pretty = true; return -1; }
  if (is_opt(spec, OPT_IDENTIFY, a, "--identify", false)) { o->identify = true; return -1; }
  if (is_opt(spec, OPT_KEEP_GOING, a, "--keep-going", false)) {
    o->keep_going = true;
    return -1;
  }
  return usage_error(spec, "unknown option '%s'", a);
}

int cli_parse_args(const cli_spec *spec, int argc, char **argv, cli_opts *o) {
  memset(o, 0, sizeof *o);
  o->read = uf_dialect_duckdb();
  bool options = true;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (options && strcmp(a, "--") == 0) { options = false; continue; }
    if (options && a[0] == '-' && a[1] != '\0') {
      int rc = parse_option(spec, argc, argv, &i, o);
      if (rc >= 0) return rc;
      continue;
    }
    if (o->file) return usage_error(spec, "unexpected argument '%s'", a);
    o->file = a;
  }
  if (!o->write) o->write = o->read;
  bool std_in = !o->file || strcmp(o->file, "-") == 0;
  o->display = std_in ? "<stdin>" : o->file;
  return -1;
}

void cli_print_error(const cli_opts *o, const uf_error *err) {
  if (err->line)
    fprintf(stderr, "%s:%u:%u: %s\n", o->display, err->line, err->column,
            err->message);
  else
    fprintf(stderr, "%s: %s\n", o->display, err->message);
  if (err->snippet[0]) fprintf(stderr, "%s\n", err->snippet);
}

/* The loop's state: the reader, a padding buffer, and the outcome. */
typedef struct run_state {
  const cli_opts *o;
  uf_stmt_reader *rd;
  char *pad;
  size_t padcap;
  bool failed;
} run_state;

/* A statement that starts mid-line (after an earlier ';') is parsed behind
 * that many spaces, so columns in errors and positions match the file. */
static const char *padded(run_state *s, const char *sql, size_t len,
                          uint32_t col, size_t *out_len) {
  *out_len = len;
  if (col <= 1) return sql;
  size_t need = (size_t)(col - 1) + len + 1;
  if (need > s->padcap) {
    char *np = realloc(s->pad, need);
    if (!np) return sql; /* columns off by the indent; still correct SQL */
    s->pad = np;
    s->padcap = need;
  }
  memset(s->pad, ' ', col - 1);
  memcpy(s->pad + col - 1, sql, len);
  s->pad[need - 1] = '\0';
  *out_len = need - 1;
  return s->pad;
}

/* Parses and handles one statement; returns false when it failed. */
static bool run_one(run_state *s, const char *sql, size_t len, uint32_t line,
                    cli_stmt_fn fn, cli_fail_fn on_fail, void *ctx) {
  uint32_t col = uf_stmt_reader_column(s->rd);
  size_t n;
  const char *text = padded(s, sql, len, col, &n);
  uf_parse_options po = {.dialect = s->o->read, .first_line = line};
  uf_tree *tree = NULL;
  uf_error err;
  uf_error_clear(&err);
  uf_status st = uf_parse_one(text, n, &po, &tree, &err);
  if (st == UF_OK) st = fn(ctx, s->o, uf_tree_root(tree), &err);
  uf_tree_free(tree);
  if (st == UF_OK) return true;
  if (!err.line) { /* no position (generation, encoding): the statement's */
    err.line = line;
    err.column = col ? col : 1;
  }
  if (on_fail) on_fail(ctx, &err);
  fflush(stdout); /* keep stdout and stderr in order on a terminal */
  cli_print_error(s->o, &err);
  return false;
}

int cli_run(const cli_opts *o, cli_stmt_fn fn, cli_fail_fn on_fail, void *ctx) {
  bool std_in = !o->file || strcmp(o->file, "-") == 0;
  FILE *in = std_in ? stdin : fopen(o->file, "rb");
  if (!in) {
    fprintf(stderr, "unifier: cannot open %s: %s\n", o->file, strerror(errno));
    return CLI_EXIT_USAGE;
  }
  run_state s = {.o = o};
  uf_error err;
  uf_status st = uf_stmt_reader_open(in, o->read, &s.rd, &err);
  while (st == UF_OK) {
    const char *sql;
    size_t len;
    uint32_t line;
    st = uf_stmt_reader_next(s.rd, &sql, &len, &line, &err);
    if (st != UF_OK) break;
    if (!run_one(&s, sql, len, line, fn, on_fail, ctx)) {
      s.failed = true;
      if (!o->keep_going) break;
    }
  }
  if (st != UF_OK && st != UF_DONE) {
    fprintf(stderr, "%s: %s\n", o->display, err.message);
    s.failed = true;
  }
  uf_stmt_reader_free(s.rd);
  free(s.pad);
  if (!std_in) fclose(in);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "unifier: error writing output: %s\n", strerror(errno));
    return CLI_EXIT_FAILED;
  }
  return s.failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

bool cli_is_value_option(const char *a, const char *name) {
  size_t len = strlen(name);
  return strncmp(a, name, len) == 0 && (a[len] == '\0' || a[len] == '=');
}

int cli_take_value(const cli_spec *spec, int argc, char **argv, int *i,
                   const char *name, const char **value) {
  const char *a = argv[*i];
  if (!cli_is_value_option(a, name)) return 0;
  size_t len = strlen(name);
  if (a[len] == '=') *value = a + len + 1;
  else if (*i + 1 < argc) *value = argv[++*i];
  else {
    fprintf(stderr, "unifier %s: option %s needs a value\n", spec->name, a);
    cli_print_usage(spec, stderr);
    return CLI_EXIT_USAGE;
  }
  return 1;
}
