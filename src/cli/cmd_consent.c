/* cmd_consent.c — `consentry consent set|show`. */
#include "cli/cli.h"

#include <string.h>

static const char help[] =
    "usage: consentry consent set MEMBER SETTING on|off [--at T] [--db PATH] [--json]\n"
    "       consentry consent show MEMBER [--at T] [--db PATH] [--config FILE] [--json]\n"
    "set records the member's choice (e.g. genai_training: \"Use my data for training\n"
    "content creation AI models\"). In a jurisdiction where the setting is not\n"
    "offered it is recorded all the same (it counts if the member moves) and the\n"
    "command says it has no effect there. show prints, for each purpose, whether\n"
    "the member's data may be used and why. --at defaults to now.\n"
    "Example: consentry consent set m42 genai_training off\n";

static int parse_switch(const char *s, bool *out) {
  if (strcmp(s, "on") == 0 || strcmp(s, "true") == 0) return *out = true, 0;
  if (strcmp(s, "off") == 0 || strcmp(s, "false") == 0) return *out = false, 0;
  return cs_cli_usage("consent set", "expected on or off, got '%s'", s);
}

static int do_set(cs_cli_common_t *c, cs_store_t *s, cs_config_t *cfg, char **args,
                  cs_time_t at) {
  bool value = false, effective = false;
  int ec = parse_switch(args[2], &value);
  if (ec) return ec;
  cs_diag_t d = {{0}};
  int rc = cs_store_begin(s, &d);
  if (rc == 0) rc = cs_consent_set(s, cfg, args[0], args[1], value, at, &effective, &d);
  if (rc == 0) rc = cs_store_commit(s, &d);
  if (rc < 0) {
    cs_store_rollback(s);
    return cs_cli_fail("consent set", rc, &d);
  }
  if (c->json) {
    fputs("{\"member\":", stdout);
    cs_cli_json_str(stdout, args[0]);
    fputs(",\"setting\":", stdout);
    cs_cli_json_str(stdout, args[1]);
    printf(",\"value\":%s,\"effective\":%s}\n", value ? "true" : "false",
           effective ? "true" : "false");
  } else {
    printf("%s: %s %s recorded\n", args[0], args[1], value ? "on" : "off");
    if (!effective)
      printf("note: %s is not offered in this member's jurisdiction, so it has no effect "
             "there; it is kept and applies if they move\n", args[1]);
  }
  return CS_EXIT_OK;
}

static void show_text(const cs_config_t *cfg, const char *member, const cs_consent_status_t *st,
                      const char *at) {
  char cc[3];
  cs_country_str(st->country, cc);
  printf("member %s as of %s\n", member, at);
  printf("  jurisdiction: %s\n", cc[0] ? cc : "unknown (treated as excluded)");
  for (size_t i = 0; i < cfg->n_settings; i++)
    printf("  setting %s: %s, %s here\n", cfg->settings[i],
           st->setting[i] < 0 ? "never set" : st->setting[i] ? "on" : "off",
           st->offered[i] ? "offered" : "not offered");
  for (size_t p = 0; p < cfg->n_purposes; p++) {
    const cs_purpose_status_t *ps = &st->purposes[p];
    printf("  %-16s %-8s %-25s (rule here: %s)\n", cfg->purposes[p].name,
           ps->allowed ? "allowed" : "excluded", cs_reason_name(ps->reason),
           cs_rule_name(ps->rule));
  }
}

static void show_json(const cs_config_t *cfg, const char *member, const cs_consent_status_t *st,
                      const char *at) {
  char cc[3];
  cs_country_str(st->country, cc);
  fputs("{\"member\":", stdout);
  cs_cli_json_str(stdout, member);
  printf(",\"as_of\":\"%s\",\"known\":%s,\"jurisdiction\":", at, st->known ? "true" : "false");
  if (cc[0]) printf("\"%s\"", cc); else fputs("null", stdout);
  fputs(",\"settings\":{", stdout);
  for (size_t i = 0; i < cfg->n_settings; i++) {
    printf("%s\"%s\":{\"value\":", i ? "," : "", cfg->settings[i]);
    fputs(st->setting[i] < 0 ? "null" : st->setting[i] ? "true" : "false", stdout);
    printf(",\"offered\":%s}", st->offered[i] ? "true" : "false");
  }
  fputs("},\"purposes\":{", stdout);
  for (size_t p = 0; p < cfg->n_purposes; p++)
    printf("%s\"%s\":{\"allowed\":%s,\"reason\":\"%s\",\"rule\":\"%s\"}", p ? "," : "",
           cfg->purposes[p].name, st->purposes[p].allowed ? "true" : "false",
           cs_reason_name(st->purposes[p].reason), cs_rule_name(st->purposes[p].rule));
  fputs("}}\n", stdout);
}

static int do_show(cs_cli_common_t *c, cs_store_t *s, cs_config_t *cfg, const char *member,
                   cs_time_t at) {
  cs_consent_status_t st;
  cs_diag_t d = {{0}};
  int rc = cs_consent_show(s, cfg, member, at, &st, &d);
  if (rc < 0) return cs_cli_fail("consent show", rc, &d);
  char ts[CS_TIME_STR_MAX];
  cs_time_format(at, ts);
  (c->json ? show_json : show_text)(cfg, member, &st, ts);
  return CS_EXIT_OK;
}

int cs_cmd_consent(int argc, char **argv) {
  enum { OPT_AT = CS_OPT_FIRST_LOCAL };
  static const struct option opts[] = {
      CS_CLI_COMMON_LONGOPTS, {"at", required_argument, NULL, OPT_AT}, {0, 0, 0, 0}};
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? CS_EXIT_USAGE : CS_EXIT_OK;
  }
  bool set = strcmp(argv[1], "set") == 0;
  if (!set && strcmp(argv[1], "show") != 0)
    return cs_cli_usage("consent", "unknown subcommand '%s' (expected: set or show)", argv[1]);
  const char *name = set ? "consent set" : "consent show";
  cs_cli_common_t c = {0};
  const char *at_s = "now";
  int opt;
  argc--, argv++;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    if (opt == OPT_AT) at_s = optarg;
    else if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    else return cs_cli_usage(name, "unknown option");
  }
  if (argc - optind != (set ? 3 : 1))
    return cs_cli_usage(name, set ? "expected MEMBER SETTING on|off" : "expected MEMBER");
  cs_time_t at;
  int ec = cs_cli_parse_time(name, "--at", at_s, &at);
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  if (!ec) ec = cs_cli_load_config(name, &c, &cfg);
  if (!ec) ec = cs_cli_open_store(name, &c, &s);
  if (!ec) ec = set ? do_set(&c, s, cfg, argv + optind, at) : do_show(&c, s, cfg, argv[optind], at);
  cs_store_close(s);
  cs_config_free(cfg);
  return ec;
}
