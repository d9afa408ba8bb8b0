/*
 * unifier parse: one JSON AST (uf_serde_dump) per statement, one per line.
 */
#include <stdio.h>

#include "cli/cli.h"

const cli_spec CLI_PARSE = {
    "parse", "print each statement's AST as JSON, one per line",
    "parse [--dialect D] [--keep-going] [FILE|-]\n"
    "\n"
    "Prints the AST of each statement as one line of JSON.\n"
    "  --dialect D    input dialect: duckdb (default), postgres, datafusion\n"
    "  --keep-going   report a failing statement and continue\n"
    "  --help, --version",
    OPT_DIALECT | OPT_KEEP_GOING};

static uf_status dump_one(void *ctx, const cli_opts *o, uf_node *stmt,
                          uf_error *err) {
  (void)ctx;
  (void)o;
  char *json = NULL;
  size_t len = 0;
  uf_status st = uf_serde_dump(stmt, &json, &len, err);
  if (st != UF_OK) return st;
  fwrite(json, 1, len, stdout);
  fputc('\n', stdout);
  uf_free(json);
  return UF_OK;
}

int cmd_parse(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse_args(&CLI_PARSE, argc, argv, &o);
  if (rc >= 0) return rc;
  return cli_run(&o, dump_one, NULL, NULL);
}
