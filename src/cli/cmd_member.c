/* cmd_member.c — `consentry member token MEMBER [--revoke]`. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: consentry member token MEMBER... [--revoke] [--db PATH] [--json]\n"
    "Issues a sign-in token for each member (for `consentry serve`) and prints\n"
    "it once, one line per member: the ledger keeps only its SHA-256. Issuing\n"
    "does not revoke earlier tokens; --revoke revokes all of the members' tokens\n"
    "and issues none. Several members are one transaction: all or none.\n"
    "Example: consentry member token m42\n";

/* Tokens are printed only after the commit: a token shown is a token stored. */
static int issue(const cs_cli_common_t *c, cs_store_t *s, char **members, int n) {
  char(*tok)[CS_TOKEN_STR_MAX] = calloc((size_t)n, sizeof *tok);
  cs_diag_t d = {{0}};
  int rc = tok ? cs_store_begin(s, &d) : cs_diag_set(&d, CS_ENOMEM, "out of memory");
  for (int i = 0; rc == 0 && i < n; i++) rc = cs_member_token_issue(s, members[i], tok[i], &d);
  if (rc == 0) rc = cs_store_commit(s, &d);
  if (rc < 0) {
    cs_store_rollback(s);
    free(tok);
    return cs_cli_fail("member token", rc, &d);
  }
  for (int i = 0; i < n; i++) {
    if (c->json) {
      fputs("{\"member\":", stdout);
      cs_cli_json_str(stdout, members[i]);
      printf(",\"token\":\"%s\"}\n", tok[i]);
    } else {
      printf("%s\n", tok[i]);
    }
  }
  explicit_bzero(tok, (size_t)n * sizeof *tok);
  free(tok);
  return CS_EXIT_OK;
}

static int ignore_fact(void *ctx, const cs_fact_t *f) {
  (void)ctx, (void)f;
  return 0;
}

static int revoke_one(const cs_cli_common_t *c, cs_store_t *s, const char *member) {
  cs_diag_t d = {{0}};
  int64_t n = 0;
  cs_time_t now;
  int rc = cs_time_now(&now);
  if (rc == 0) rc = cs_store_get_member(s, member, ignore_fact, NULL, &d);
  if (rc == 0) rc = cs_store_begin(s, &d);
  if (rc == 0) rc = cs_store_token_revoke(s, member, now, &n, &d);
  if (rc == 0) rc = cs_store_commit(s, &d);
  if (rc < 0) {
    cs_store_rollback(s);
    return cs_cli_fail("member token", rc, &d);
  }
  if (c->json) {
    fputs("{\"member\":", stdout);
    cs_cli_json_str(stdout, member);
    printf(",\"revoked\":%lld}\n", (long long)n);
  } else {
    printf("%s: %lld token(s) revoked\n", member, (long long)n);
  }
  return CS_EXIT_OK;
}

int cs_cmd_member(int argc, char **argv) {
  enum { OPT_REVOKE = CS_OPT_FIRST_LOCAL };
  static const struct option opts[] = {
      CS_CLI_COMMON_LONGOPTS, {"revoke", no_argument, NULL, OPT_REVOKE}, {0, 0, 0, 0}};
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? CS_EXIT_USAGE : CS_EXIT_OK;
  }
  if (strcmp(argv[1], "token") != 0)
    return cs_cli_usage("member", "unknown subcommand '%s' (expected: token)", argv[1]);
  cs_cli_common_t c = {0};
  bool do_revoke = false;
  int opt;
  argc--, argv++;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    if (opt == OPT_REVOKE) do_revoke = true;
    else if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    else return cs_cli_usage("member token", "unknown option");
  }
  if (argc - optind < 1) return cs_cli_usage("member token", "expected MEMBER...");
  cs_store_t *s = NULL;
  int ec = cs_cli_open_store("member token", &c, &s);
  if (!ec && !do_revoke) ec = issue(&c, s, argv + optind, argc - optind);
  for (int i = optind; !ec && do_revoke && i < argc; i++) ec = revoke_one(&c, s, argv[i]);
  cs_store_close(s);
  return ec;
}
