/*
 * unifier fingerprint: one 64-hex-digit fingerprint per statement. With
 * --keep-going a failing statement prints "error LINE:COL MESSAGE" in its
 * place, so output lines stay aligned with input statements.
 */
#include <stdio.h>

#include "cli/cli.h"

const cli_spec CLI_FINGERPRINT = {
    "fingerprint", "print each statement's fingerprint (SHA-256, hex)",
    "fingerprint [--dialect D] [--keep-going] [FILE|-]\n"
    "\n"
    "Prints one 64-hex-digit fingerprint per statement.\n"
    "  --dialect D    input dialect: duckdb (default), postgres, datafusion\n"
    "  --keep-going   print 'error LINE:COL MESSAGE' for a failing statement\n"
    "                 and continue\n"
    "  --help, --version",
    OPT_DIALECT | OPT_KEEP_GOING};

static uf_status fp_one(void *ctx, const cli_opts *o, uf_node *stmt,
                        uf_error *err) {
  (void)ctx;
  char hex[UF_FINGERPRINT_HEX];
  uf_status st = uf_fingerprint_hex(stmt, o->read, hex, err);
  if (st != UF_OK) return st;
  fputs(hex, stdout);
  fputc('\n', stdout);
  return UF_OK;
}

static void fp_fail(void *ctx, const uf_error *err) {
  const cli_opts *o = ctx;
  if (o->keep_going)
    printf("error %u:%u %s\n", err->line, err->column, err->message);
}

int cmd_fingerprint(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse_args(&CLI_FINGERPRINT, argc, argv, &o);
  if (rc >= 0) return rc;
  return cli_run(&o, fp_one, fp_fail, &o);
}
