/* cmd_object.c — `consentry object MEMBER PURPOSE [--withdraw]`: the Data
 * Processing Objection Form. */
#include "cli/cli.h"

static const char help[] =
    "usage: consentry object MEMBER PURPOSE [--withdraw] [--reason TEXT] [--at T]\n"
    "                        [--db PATH] [--config FILE] [--json]\n"
    "Records the member's objection to a purpose (personalization, moderation,\n"
    "or any other, genai_training included), or with --withdraw its withdrawal.\n"
    "An active objection excludes all of the member's records from that purpose.\n"
    "Example: consentry object m42 personalization --reason \"I prefer a plain feed\"\n";

int cs_cmd_object(int argc, char **argv) {
  enum { OPT_AT = CS_OPT_FIRST_LOCAL, OPT_WITHDRAW, OPT_REASON };
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS,
                                       {"at", required_argument, NULL, OPT_AT},
                                       {"withdraw", no_argument, NULL, OPT_WITHDRAW},
                                       {"reason", required_argument, NULL, OPT_REASON},
                                       {0, 0, 0, 0}};
  cs_cli_common_t c = {0};
  const char *at_s = "now", *reason = NULL;
  bool withdraw = false;
  int opt;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    switch (opt) {
      case OPT_AT: at_s = optarg; break;
      case OPT_WITHDRAW: withdraw = true; break;
      case OPT_REASON: reason = optarg; break;
      case 'h': return fputs(help, stdout), CS_EXIT_OK;
      default: return cs_cli_usage("object", "unknown option");
    }
  }
  if (argc - optind != 2) return cs_cli_usage("object", "expected MEMBER PURPOSE");
  const char *member = argv[optind], *purpose = argv[optind + 1];
  cs_time_t at;
  int ec = cs_cli_parse_time("object", "--at", at_s, &at);
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  cs_diag_t d = {{0}};
  if (!ec) ec = cs_cli_load_config("object", &c, &cfg);
  if (!ec) ec = cs_cli_open_store("object", &c, &s);
  if (ec) goto done;
  int rc = cs_store_begin(s, &d);
  if (rc == 0) rc = cs_objection_put(s, cfg, member, purpose, withdraw, reason, at, &d);
  if (rc == 0) rc = cs_store_commit(s, &d);
  if (rc < 0) {
    cs_store_rollback(s);
    ec = cs_cli_fail("object", rc, &d);
    goto done;
  }
  if (c.json) {
    fputs("{\"member\":", stdout);
    cs_cli_json_str(stdout, member);
    fputs(",\"purpose\":", stdout);
    cs_cli_json_str(stdout, purpose);
    printf(",\"withdrawn\":%s}\n", withdraw ? "true" : "false");
  } else {
    printf("%s: objection to %s %s\n", member, purpose, withdraw ? "withdrawn" : "recorded");
  }
done:
  cs_store_close(s);
  cs_config_free(cfg);
  return ec;
}
