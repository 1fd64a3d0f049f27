/* cmd_policy.c — `consentry policy publish VERSION --purposes a,b --effective T`. */
#include "cli/cli.h"

#include <string.h>

static const char help[] =
    "usage: consentry policy publish VERSION --purposes a,b --effective T\n"
    "                                [--published T] [--db PATH] [--config FILE] [--json]\n"
    "Records a policy version disclosing the purposes. It is refused (exit 3) if\n"
    "it would take effect before the notice period (30 days by default) has\n"
    "passed since publication; the message says the earliest allowed date.\n"
    "--published defaults to now.\n"
    "Example: consentry policy publish 2024-06 --purposes genai_training \\\n"
    "           --published 2024-05-01T00:00:00Z --effective 2024-06-01T00:00:00Z\n";

typedef struct {
  const char *purposes, *effective, *published;
} publish_args_t;

static int publish(cs_cli_common_t *c, const char *version, const publish_args_t *a) {
  cs_time_t eff, pub;
  int ec = cs_cli_parse_time("policy publish", "--effective", a->effective, &eff);
  if (!ec) ec = cs_cli_parse_time("policy publish", "--published", a->published, &pub);
  if (ec) return ec;
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  cs_diag_t d = {{0}};
  ec = cs_cli_load_config("policy publish", c, &cfg);
  if (!ec) ec = cs_cli_open_store("policy publish", c, &s);
  if (ec) goto done;
  int rc = cs_store_begin(s, &d);
  if (rc == 0) rc = cs_policy_publish(s, cfg, version, a->purposes, pub, eff, &d);
  if (rc == 0) rc = cs_store_commit(s, &d);
  if (rc < 0) {
    cs_store_rollback(s);
    ec = cs_cli_fail("policy publish", rc, &d);
    goto done;
  }
  char es[CS_TIME_STR_MAX];
  cs_time_format(eff, es);
  if (c->json) {
    fputs("{\"version\":", stdout);
    cs_cli_json_str(stdout, version);
    fputs(",\"purposes\":", stdout);
    cs_cli_json_str(stdout, a->purposes);
    printf(",\"effective_at\":\"%s\"}\n", es);
  } else {
    printf("policy %s published: %s in effect from %s\n", version, a->purposes, es);
  }
done:
  cs_store_close(s);
  cs_config_free(cfg);
  return ec;
}

int cs_cmd_policy(int argc, char **argv) {
  enum { OPT_PURPOSES = CS_OPT_FIRST_LOCAL, OPT_EFFECTIVE, OPT_PUBLISHED };
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS,
                                       {"purposes", required_argument, NULL, OPT_PURPOSES},
                                       {"effective", required_argument, NULL, OPT_EFFECTIVE},
                                       {"published", required_argument, NULL, OPT_PUBLISHED},
                                       {0, 0, 0, 0}};
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? CS_EXIT_USAGE : CS_EXIT_OK;
  }
  if (strcmp(argv[1], "publish") != 0)
    return cs_cli_usage("policy", "unknown subcommand '%s' (expected: publish)", argv[1]);
  cs_cli_common_t c = {0};
  publish_args_t a = {NULL, NULL, "now"};
  int opt;
  argc--, argv++;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    switch (opt) {
      case OPT_PURPOSES: a.purposes = optarg; break;
      case OPT_EFFECTIVE: a.effective = optarg; break;
      case OPT_PUBLISHED: a.published = optarg; break;
      case 'h': return fputs(help, stdout), CS_EXIT_OK;
      default: return cs_cli_usage("policy publish", "unknown option");
    }
  }
  if (optind + 1 != argc) return cs_cli_usage("policy publish", "expected exactly one VERSION");
  if (!a.purposes) return cs_cli_usage("policy publish", "--purposes is required");
  if (!a.effective) return cs_cli_usage("policy publish", "--effective is required");
  return publish(&c, argv[optind], &a);
}
