/*
 * The unifier command: shared option parsing, input streaming and error
 * printing for the subcommands (cmd_*.c); main.c dispatches.
 *
 * Exit codes: 0 every statement succeeded, 1 some statement failed (or the
 * input could not be read), 2 usage error (bad option, unknown dialect,
 * missing file).
 */
#ifndef UF_CLI_H
#define UF_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "unifier/unifier.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_FAILED = 1, CLI_EXIT_USAGE = 2 };

/* Options a subcommand accepts (bits of cli_spec.accepts). */
enum {
  OPT_DIALECT = 1 << 0,    /* --dialect D */
  OPT_READ = 1 << 1,       /* --read D */
  OPT_WRITE = 1 << 2,      /* --write D */
  OPT_PRETTY = 1 << 3,     /* --pretty */
  OPT_IDENTIFY = 1 << 4,   /* --identify */
  OPT_KEEP_GOING = 1 << 5  /* --keep-going */
};

typedef struct cli_spec {
  const char *name;     /* "parse" */
  const char *summary;  /* one line for the top-level usage */
  const char *usage;    /* the full --help text, after "usage: unifier " */
  unsigned accepts;     /* OPT_* */
} cli_spec;

typedef struct cli_opts {
  const uf_dialect *read;   /* --dialect / --read; duckdb by default */
  const uf_dialect *write;  /* --write; the read dialect by default */
  bool pretty, identify, keep_going;
  const char *file;         /* NULL or "-" = standard input */
  const char *display;      /* file name in messages: "<stdin>" for stdin */
} cli_opts;

/* Parses argv (argv[0] is the subcommand name). Returns -1 to continue, or
 * an exit code when it handled --help/--version or found a usage error. */
int cli_parse_args(const cli_spec *spec, int argc, char **argv, cli_opts *o);

/* Called for each parsed statement; the tree is freed afterwards. On failure
 * return the status with err filled (positions optional). */
typedef uf_status (*cli_stmt_fn)(void *ctx, const cli_opts *o, uf_node *stmt,
                                 uf_error *err);
/* Called after a failed statement (parse or cli_stmt_fn), before the error
 * goes to stderr; e.g. to print a placeholder line on stdout. */
typedef void (*cli_fail_fn)(void *ctx, const uf_error *err);

/* Streams the input statement by statement through uf_stmt_reader, parses
 * each with uf_parse_one and calls fn. Stops at the first failure unless
 * keep_going. Returns the exit code. */
int cli_run(const cli_opts *o, cli_stmt_fn fn, cli_fail_fn on_fail, void *ctx);

/* Prints "FILE:LINE:COL: message" and the caret snippet to stderr. */
void cli_print_error(const cli_opts *o, const uf_error *err);

void cli_print_version(FILE *f);
/* "usage: unifier <usage>" for a subcommand. */
void cli_print_usage(const cli_spec *spec, FILE *f);
/* True if argument `a` is option `name`, alone or as `name=value`. */
bool cli_is_value_option(const char *a, const char *name);
/* If argv[*i] is option `name` (`name value` or `name=value`): sets *value,
 * moves *i past a separate value and returns 1. Returns 0 if it is another
 * argument, CLI_EXIT_USAGE (usage printed) if the value is missing. */
int cli_take_value(const cli_spec *spec, int argc, char **argv, int *i,
                   const char *name, const char **value);

extern const cli_spec CLI_PARSE, CLI_FMT, CLI_FINGERPRINT, CLI_QUERY;
extern const cli_spec CLI_LINEAGE;
extern const cli_spec CLI_COMPILE;
int cmd_parse(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_fingerprint(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_lineage(int argc, char **argv);
int cmd_compile(int argc, char **argv);

#endif
