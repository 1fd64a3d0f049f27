/* cmd_dataset.c — `consentry dataset build|verify|explain|cat`. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: consentry dataset build --purpose P --as-of T --out DIR [--shards S]\n"
    "                 [--tokenizer DIR | --vocab V] [--val-permille N] [--decisions FILE]\n"
    "                 [--db PATH] [--config FILE] [--json] CONTENT.jsonl...\n"
    "       consentry dataset verify DIR [--db PATH] [--json]\n"
    "       consentry dataset explain DIR --member M [--json]\n"
    "       consentry dataset cat DIR [--shard K|val]\n"
    "build gates the content for P as of T, redacts personal data where P\n"
    "requires it, drops exact duplicates, tokenizes (training a tokenizer on the\n"
    "gated text unless --tokenizer is given) and writes member-sharded token\n"
    "shards (llm.c layout), indexes, decisions.jsonl and manifest.json to DIR,\n"
    "registering the dataset in the ledger. Refuses (exit 3) without a policy\n"
    "covering P at T. The same ledger, content, T and options give the same bytes.\n"
    "Example: consentry dataset build --purpose genai_training \\\n"
    "           --as-of 2024-09-01T00:00:00Z --out ds1 content.jsonl\n";

typedef struct {
  struct timespec start;
  double last;
} progress_t;

static void draw(void *ctx, const cs_dataset_progress_t *p) {
  progress_t *pr = ctx;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  double t = (double)(now.tv_sec - pr->start.tv_sec) + (double)(now.tv_nsec - pr->start.tv_nsec) / 1e9;
  if (t - pr->last < 0.25) return;
  pr->last = t;
  static const char *const phase[] = {"", "gate+redact", "tokenizer", "tokenize"};
  fprintf(stderr, "\r  dataset %s: %llu records, %.0f MB, %.0f MB/s   ", phase[p->phase],
          (unsigned long long)p->records, (double)p->bytes / 1e6, (double)p->bytes / 1e6 / t);
}

static void print_summary(const cs_cli_common_t *c, const cs_dataset_opts_t *o,
                          const cs_dataset_summary_t *s, double secs) {
  if (c->json) {
    printf("{\"id\":\"%s\",\"dir\":", s->id);
    cs_cli_json_str(stdout, o->out_dir);
    printf(",\"purpose\":\"%s\",\"policy_version\":", o->purpose);
    cs_cli_json_str(stdout, s->policy_version);
    printf(",\"merkle_root\":\"%s\",\"records_in\":%llu,\"reasons\":{", s->merkle_root,
           (unsigned long long)s->records_in);
    for (int r = 0; r < CS_N_REASONS; r++)
      printf("%s\"%s\":%llu", r ? "," : "", cs_reason_name((cs_reason_t)r),
             (unsigned long long)s->by_reason[r]);
    printf("},\"duplicates\":%llu,\"redactions\":%llu,\"records\":%llu,\"members\":%llu,"
           "\"tokens\":%llu,\"val_records\":%llu,\"bytes_in\":%llu,\"seconds\":%.3f,"
           "\"mb_per_s\":%.1f}\n",
           (unsigned long long)s->duplicates, (unsigned long long)s->redactions,
           (unsigned long long)s->records, (unsigned long long)s->members,
           (unsigned long long)s->tokens, (unsigned long long)s->val_records,
           (unsigned long long)s->bytes_in, secs, secs > 0 ? (double)s->bytes_in / 1e6 / secs : 0);
    return;
  }
  printf("dataset %s built in %s (%.1f s, %.0f MB/s)\n", s->id, o->out_dir, secs,
         secs > 0 ? (double)s->bytes_in / 1e6 / secs : 0);
  printf("  purpose %s as of policy %s; %llu records read\n", o->purpose, s->policy_version,
         (unsigned long long)s->records_in);
  for (int r = 0; r < CS_N_REASONS; r++)
    if (s->by_reason[r])
      printf("  %-26s %llu\n", cs_reason_name((cs_reason_t)r), (unsigned long long)s->by_reason[r]);
  printf("  %-26s %llu\n", "DUPLICATE (dropped)", (unsigned long long)s->duplicates);
  printf("  in the dataset: %llu records from %llu members, %llu tokens (validation: %llu "
         "records); %llu redactions\n",
         (unsigned long long)s->records, (unsigned long long)s->members,
         (unsigned long long)s->tokens, (unsigned long long)s->val_records,
         (unsigned long long)s->redactions);
  printf("  merkle root %s\n", s->merkle_root);
}

static int build(cs_cli_common_t *c, cs_dataset_opts_t *o, const char *as_of,
                 const char *const *files, size_t n) {
  int ec = cs_cli_parse_time("dataset build", "--as-of", as_of, &o->as_of);
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  if (!ec) ec = cs_cli_load_config("dataset build", c, &cfg);
  if (!ec) ec = cs_cli_open_store("dataset build", c, &s);
  progress_t pr = {0};
  clock_gettime(CLOCK_MONOTONIC, &pr.start);
  if (cs_cli_progress_enabled(c)) {
    o->progress = draw;
    o->progress_ctx = &pr;
  }
  cs_dataset_summary_t sum;
  cs_diag_t d = {{0}};
  int rc = ec ? 0 : cs_dataset_build(s, cfg, o, files, n, &sum, &d);
  if (o->progress) fputs("\r\033[K", stderr);
  if (!ec && rc < 0) ec = cs_cli_fail("dataset build", rc, &d);
  if (!ec) {
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    print_summary(c, o, &sum,
                  (double)(end.tv_sec - pr.start.tv_sec) + (double)(end.tv_nsec - pr.start.tv_nsec) / 1e9);
  }
  cs_store_close(s);
  cs_config_free(cfg);
  return ec;
}

static int parse_uint(const char *flag, const char *s, unsigned long max, unsigned long *out) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s == '\0' || *end != '\0' || *s == '-' || v > max)
    return cs_cli_usage("dataset build", "%s: expected a whole number up to %lu, got '%s'", flag, max, s);
  *out = v;
  return 0;
}

static int cmd_build(int argc, char **argv) {
  enum { OPT_PURPOSE = CS_OPT_FIRST_LOCAL, OPT_AS_OF, OPT_OUT, OPT_SHARDS, OPT_TOK, OPT_VOCAB, OPT_VAL };
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS,
                                       {"purpose", required_argument, NULL, OPT_PURPOSE},
                                       {"as-of", required_argument, NULL, OPT_AS_OF},
                                       {"out", required_argument, NULL, OPT_OUT},
                                       {"shards", required_argument, NULL, OPT_SHARDS},
                                       {"tokenizer", required_argument, NULL, OPT_TOK},
                                       {"vocab", required_argument, NULL, OPT_VOCAB},
                                       {"val-permille", required_argument, NULL, OPT_VAL},
                                       {0, 0, 0, 0}};
  cs_cli_common_t c = {0};
  cs_dataset_opts_t o = {0};
  const char *as_of = NULL;
  unsigned long v;
  int opt;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    switch (opt) {
      case OPT_PURPOSE: o.purpose = optarg; break;
      case OPT_AS_OF: as_of = optarg; break;
      case OPT_OUT: o.out_dir = optarg; break;
      case OPT_TOK: o.tokenizer_dir = optarg; break;
      case OPT_SHARDS:
        if (parse_uint("--shards", optarg, 256, &v) || v == 0) return CS_EXIT_USAGE;
        o.shards = (unsigned)v;
        break;
      case OPT_VOCAB:
        if (parse_uint("--vocab", optarg, 65535, &v)) return CS_EXIT_USAGE;
        o.vocab = v;
        break;
      case OPT_VAL:
        if (parse_uint("--val-permille", optarg, 1000, &v)) return CS_EXIT_USAGE;
        o.val_permille = (unsigned)v;
        o.val_set = true;
        break;
      case 'h': return fputs(help, stdout), CS_EXIT_OK;
      default: return cs_cli_usage("dataset build", "unknown option");
    }
  }
  if (!o.purpose || !as_of || !o.out_dir)
    return cs_cli_usage("dataset build", "--purpose, --as-of and --out are required");
  if (optind == argc) return cs_cli_usage("dataset build", "expected at least one CONTENT.jsonl");
  return build(&c, &o, as_of, (const char *const *)argv + optind, (size_t)(argc - optind));
}

int cs_cmd_dataset(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? CS_EXIT_USAGE : CS_EXIT_OK;
  }
  if (strcmp(argv[1], "build") == 0) return cmd_build(argc - 1, argv + 1);
  return cs_cli_usage("dataset", "unknown subcommand '%s' (expected: build, verify, explain, cat)",
                      argv[1]);
}
