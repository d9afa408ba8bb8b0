/*
 * unifier — the command-line front door: dispatches to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct command {
  const cli_spec *spec;
  int (*run)(int argc, char **argv);
} command;

static const command COMMANDS[] = {
    {&CLI_PARSE, cmd_parse},
    {&CLI_FMT, cmd_fmt},
    {&CLI_FINGERPRINT, cmd_fingerprint},
    {&CLI_QUERY, cmd_query},
    {&CLI_LINEAGE, cmd_lineage},
    {&CLI_COMPILE, cmd_compile},
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static void usage(FILE *f) {
  fprintf(f,
          "usage: unifier [--help | --version] <command> [options] [FILE|-]\n"
          "\n"
          "commands:\n");
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf(f, "  %-12s %s\n", COMMANDS[i].spec->name, COMMANDS[i].spec->summary);
  fprintf(f,
          "\n"
          "Input is read statement by statement from FILE (or standard input).\n"
          "Exit status: 0 success, 1 a statement failed, 2 usage error.\n"
          "Run 'unifier <command> --help' for a command's options.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
      strcmp(cmd, "help") == 0) {
    usage(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0) {
    cli_print_version(stdout);
    return CLI_EXIT_OK;
  }
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(cmd, COMMANDS[i].spec->name) == 0)
      return COMMANDS[i].run(argc - 1, argv + 1);
  fprintf(stderr, "unifier: unknown command '%s'\n", cmd);
  usage(stderr);
  return CLI_EXIT_USAGE;
}
