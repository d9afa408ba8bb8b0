/*
 * unifier fmt: each statement regenerated (optionally in another dialect),
 * each followed by ";" and a newline; --pretty adds a blank line between.
 */
#include <stdio.h>

#include "cli/cli.h"

const cli_spec CLI_FMT = {
    "fmt", "regenerate each statement (format or transpile)",
    "fmt [--read D] [--write D] [--pretty] [--identify] [--keep-going] "
    "[FILE|-]\n"
    "\n"
    "Prints each statement regenerated, followed by ';'.\n"
    "  --read D       input dialect: duckdb (default), postgres, datafusion\n"
    "  --write D      output dialect (default: the input dialect)\n"
    "  --pretty       one clause per line, indented lists\n"
    "  --identify     quote every identifier\n"
    "  --keep-going   report a failing statement and continue\n"
    "  --help, --version",
    OPT_READ | OPT_WRITE | OPT_PRETTY | OPT_IDENTIFY | OPT_KEEP_GOING};

typedef struct fmt_ctx {
  unsigned long written; /* statements printed so far */
} fmt_ctx;

static uf_status fmt_one(void *ctx, const cli_opts *o, uf_node *stmt,
                         uf_error *err) {
  fmt_ctx *c = ctx;
  uf_gen_options go = {.dialect = o->write, .pretty = o->pretty,
                       .identify = o->identify ? UF_IDENTIFY_ALWAYS
                                               : UF_IDENTIFY_SAFE};
  char *sql = NULL;
  size_t len = 0;
  uf_status st = uf_generate(stmt, &go, &sql, &len, err);
  if (st != UF_OK) return st;
  if (o->pretty && c->written) fputc('\n', stdout);
  fwrite(sql, 1, len, stdout);
  fputs(";\n", stdout);
  uf_free(sql);
  c->written++;
  return UF_OK;
}

int cmd_fmt(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse_args(&CLI_FMT, argc, argv, &o);
  if (rc >= 0) return rc;
  fmt_ctx c = {0};
  return cli_run(&o, fmt_one, NULL, &c);
}
