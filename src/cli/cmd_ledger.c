/* cmd_ledger.c — `consentry ledger ingest FACTS.jsonl...`. */
#include "cli/cli.h"

#include <string.h>

static const char help[] =
    "usage: consentry ledger ingest [--db PATH] [--config FILE] [--json] FACTS.jsonl...\n"
    "Validates and records facts (member, location, setting, objection, policy,\n"
    "content_deleted, account_closed), one JSON object per line; '-' reads stdin,\n"
    "*.zst is decompressed. The whole command is one transaction: a bad line\n"
    "rejects everything, prints FILE:LINE: field: what was expected, exits 2.\n"
    "Facts whose id is already in the ledger are skipped, so replays are safe.\n"
    "Example: consentry ledger ingest facts.jsonl\n";

static int ingest(cs_cli_common_t *c, char **files, int n) {
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  cs_diag_t d = {{0}};
  cs_ingest_stats_t st = {0};
  int ec = cs_cli_load_config("ledger ingest", c, &cfg);
  if (!ec) ec = cs_cli_open_store("ledger ingest", c, &s);
  if (ec) goto done;
  int rc = cs_store_begin(s, &d);
  for (int i = 0; rc == 0 && i < n; i++) rc = cs_ledger_ingest(s, cfg, files[i], &st, &d);
  if (rc == 0) rc = cs_store_commit(s, &d);
  if (rc < 0) {
    cs_store_rollback(s);
    ec = cs_cli_fail("ledger ingest", rc, &d);
    if (ec == CS_EXIT_USAGE) fprintf(stderr, "consentry ledger ingest: nothing was recorded\n");
    goto done;
  }
  if (c->json)
    printf("{\"files\":%d,\"facts\":%lld,\"inserted\":%lld,\"skipped\":%lld}\n", n,
           (long long)st.lines, (long long)st.inserted, (long long)st.skipped);
  else
    printf("ingested %lld facts from %d file%s: %lld new, %lld already in the ledger\n",
           (long long)st.lines, n, n == 1 ? "" : "s", (long long)st.inserted,
           (long long)st.skipped);
done:
  cs_store_close(s);
  cs_config_free(cfg);
  return ec;
}

int cs_cmd_ledger(int argc, char **argv) {
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS, {0, 0, 0, 0}};
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? CS_EXIT_USAGE : CS_EXIT_OK;
  }
  if (strcmp(argv[1], "ingest") != 0)
    return cs_cli_usage("ledger", "unknown subcommand '%s' (expected: ingest)", argv[1]);
  cs_cli_common_t c = {0};
  int opt;
  argc--, argv++;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    return cs_cli_usage("ledger ingest", "unknown option");
  }
  if (optind == argc) return cs_cli_usage("ledger ingest", "expected at least one FACTS.jsonl");
  return ingest(&c, argv + optind, argc - optind);
}
