/* main.c — consentry's entry point: dispatches git-style subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const struct {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *summary;
} commands[] = {
#define CS_COMMAND(name, summary) {#name, cs_cmd_##name, summary},
#include "cli/commands.def"
#undef CS_COMMAND
};

static void usage(FILE *f) {
  fprintf(f,
          "usage: consentry COMMAND [ARGS...]\n\n"
          "Train generative AI only as far as each member allows, and prove it.\n\n"
          "Commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f,
          "\nEvery command takes --help. Ledger commands take --db PATH (default\n"
          "./consentry.db, or $CONSENTRY_DB). Exit status: 0 ok, 1 failure, 2 bad\n"
          "usage or input, 3 refused by policy.\n"
          "Example: consentry init && consentry ledger ingest facts.jsonl\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return CS_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return CS_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("consentry %s\n", CS_VERSION);
    return CS_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[1], commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "consentry: unknown command '%s' (see consentry --help)\n", argv[1]);
  return CS_EXIT_USAGE;
}
