/* cmd_init.c — `consentry init`: create or migrate the ledger. */
#include "cli/cli.h"

static const char help[] =
    "usage: consentry init [--db PATH] [--json]\n"
    "Creates the ledger (SQLite, WAL) or migrates it to this version's schema.\n"
    "Example: consentry init --db ./consentry.db\n";

int cs_cmd_init(int argc, char **argv) {
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS, {0, 0, 0, 0}};
  cs_cli_common_t c = {0};
  int opt;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    return cs_cli_usage("init", "unknown option");
  }
  if (optind != argc) return cs_cli_usage("init", "unexpected argument '%s'", argv[optind]);
  cs_store_t *s;
  int ec = cs_cli_open_store("init", &c, &s);
  if (ec) return ec;
  int version = cs_store_schema_version(s);
  cs_store_close(s);
  if (c.json) {
    fputs("{\"db\":", stdout);
    cs_cli_json_str(stdout, cs_cli_db_path(&c));
    printf(",\"schema_version\":%d}\n", version);
  } else {
    printf("ledger ready at %s (schema version %d)\n", cs_cli_db_path(&c), version);
  }
  return CS_EXIT_OK;
}
