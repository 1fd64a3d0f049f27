/* cmd_generate.c — `consentry generate`: continue a prompt with a run's models. */
#include "cli/cli.h"

#include <string.h>

#include <consentry/train.h>

static const char help[] =
    "usage: consentry generate --model DIR --prompt TEXT [--max-tokens N]\n"
    "                 [--temperature X] [--top-k K] [--top-p P] [--seed N]\n"
    "                 [--shards all|K,...] [--json]\n"
    "Continues TEXT as the start of a new document with the models of a training\n"
    "run (consentry train --out DIR). With several shard models their next-token\n"
    "distributions are averaged. Generation stops at the end of a document or\n"
    "after --max-tokens (default 64). Defaults: temperature 0.8, top-k 40,\n"
    "top-p 0.95, seed 0; the same seed gives the same text.\n"
    "Example: consentry generate --model run1 --prompt 'Excited to announce' --seed 7\n";

enum { OPT_MODEL = CS_OPT_FIRST_LOCAL, OPT_PROMPT, OPT_MAX, OPT_TEMP, OPT_TOPK, OPT_TOPP, OPT_SEED,
       OPT_SHARDS };

static const struct option longopts[] = {
    CS_CLI_COMMON_LONGOPTS,
    {"model", required_argument, NULL, OPT_MODEL},
    {"prompt", required_argument, NULL, OPT_PROMPT},
    {"max-tokens", required_argument, NULL, OPT_MAX},
    {"temperature", required_argument, NULL, OPT_TEMP},
    {"top-k", required_argument, NULL, OPT_TOPK},
    {"top-p", required_argument, NULL, OPT_TOPP},
    {"seed", required_argument, NULL, OPT_SEED},
    {"shards", required_argument, NULL, OPT_SHARDS},
    {0, 0, 0, 0}};

typedef struct {
  cs_cli_common_t c;
  const char *model, *prompt;
  cs_gen_opts_t g;
  unsigned shards[CS_TRAIN_MAX_SHARDS];
  size_t n_shards;
} args_t;

static int parse_opt(args_t *a, int opt, const char *arg) {
  uint64_t v;
  double x;
  switch (opt) {
    case OPT_MODEL: a->model = arg; return 0;
    case OPT_PROMPT: a->prompt = arg; return 0;
    case OPT_SEED: return cs_cli_parse_u64("generate", "--seed", arg, 0, UINT64_MAX, &a->g.seed);
    case OPT_SHARDS:
      return cs_cli_parse_shards("generate", arg, a->shards, CS_TRAIN_MAX_SHARDS, &a->n_shards);
    case OPT_MAX:
      if (cs_cli_parse_u64("generate", "--max-tokens", arg, 1, 1 << 20, &v)) return 1;
      a->g.max_tokens = (size_t)v;
      return 0;
    case OPT_TOPK:
      if (cs_cli_parse_u64("generate", "--top-k", arg, 0, CS_TOK_MAX_VOCAB, &v)) return 1;
      a->g.top_k = (int)v;
      return 0;
    case OPT_TEMP:
    case OPT_TOPP:
      if (cs_cli_parse_double("generate", opt == OPT_TEMP ? "--temperature" : "--top-p", arg, 0,
                              opt == OPT_TEMP ? 100 : 1, &x))
        return 1;
      *(opt == OPT_TEMP ? &a->g.temperature : &a->g.top_p) = (float)x;
      return 0;
    default: return cs_cli_usage("generate", "unknown option");
  }
}

static int run(const args_t *a) {
  cs_train_models_t *tm = NULL;
  cs_tok_bytes_t text = {0};
  size_t n = 0;
  cs_diag_t d = {{0}};
  int rc = cs_train_models_load(a->model, a->n_shards ? a->shards : NULL, a->n_shards, &tm, &d);
  if (rc == CS_OK) rc = cs_train_generate(tm, a->prompt, &a->g, &text, &n, &d);
  if (rc == CS_OK && a->c.json) {
    fputs("{\"prompt\":", stdout);
    cs_cli_json_str(stdout, a->prompt);
    fputs(",\"text\":", stdout);
    cs_cli_json_strn(stdout, text.len ? (const char *)text.data : "", text.len);
    printf(",\"tokens\":%zu,\"models\":%zu,\"seed\":%llu}\n", n, cs_train_models_count(tm),
           (unsigned long long)a->g.seed);
  } else if (rc == CS_OK) {
    fputs(a->prompt, stdout);
    if (text.len) fwrite(text.data, 1, text.len, stdout);
    putchar('\n');
  }
  cs_tok_bytes_free(&text);
  cs_train_models_free(tm);
  return rc < 0 ? cs_cli_fail("generate", rc, &d) : CS_EXIT_OK;
}

int cs_cmd_generate(int argc, char **argv) {
  static args_t a;
  memset(&a, 0, sizeof a);
  a.g = cs_gen_defaults();
  a.g.temperature = 0.8f;
  a.g.top_k = 40;
  a.g.top_p = 0.95f;
  int opt;
  while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &a.c)) continue;
    if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    if (opt == '?' || parse_opt(&a, opt, optarg)) return CS_EXIT_USAGE;
  }
  if (optind != argc) return cs_cli_usage("generate", "unexpected argument '%s'", argv[optind]);
  if (!a.model || !a.prompt) return cs_cli_usage("generate", "--model and --prompt are required");
  return run(&a);
}
