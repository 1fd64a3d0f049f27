/* cmd_eval.c — `consentry eval`: validation loss and bits per byte of a run. */
#include "cli/cli.h"

#include <string.h>

#include <consentry/train.h>

static const char help[] =
    "usage: consentry eval --model DIR --dataset DIR [--split val|K]\n"
    "                 [--shards all|K,...] [--json]\n"
    "Measures a training run's models on a dataset split (default: the\n"
    "validation split, val.bin): mean loss in nats per token and bits per byte\n"
    "of text, for each shard model and for their averaged distribution (the\n"
    "ensemble generate samples from). Every token after the first is predicted\n"
    "once, in consecutive windows of the model's context.\n"
    "Example: consentry eval --model run1 --dataset ds1\n";

enum { OPT_MODEL = CS_OPT_FIRST_LOCAL, OPT_DATASET, OPT_SPLIT, OPT_SHARDS };

static const struct option longopts[] = {
    CS_CLI_COMMON_LONGOPTS,
    {"model", required_argument, NULL, OPT_MODEL},
    {"dataset", required_argument, NULL, OPT_DATASET},
    {"split", required_argument, NULL, OPT_SPLIT},
    {"shards", required_argument, NULL, OPT_SHARDS},
    {0, 0, 0, 0}};

typedef struct {
  cs_cli_common_t c;
  const char *model, *dataset, *split;
  unsigned shards[CS_TRAIN_MAX_SHARDS];
  size_t n_shards;
} args_t;

static void print(const args_t *a, const cs_train_eval_t *e) {
  if (a->c.json) {
    printf("{\"tokens\":%llu,\"bytes\":%llu,\"loss\":%.6f,\"bpb\":%.6f,\"models\":[",
           (unsigned long long)e->tokens, (unsigned long long)e->bytes, e->ens_loss, e->ens_bpb);
    for (size_t m = 0; m < e->n_models; m++)
      printf("%s{\"loss\":%.6f,\"bpb\":%.6f}", m ? "," : "", e->loss[m], e->bpb[m]);
    puts("]}");
    return;
  }
  printf("%s on %s (%s): %llu tokens, %llu bytes\n", a->model, a->dataset, a->split ? a->split : "val",
         (unsigned long long)e->tokens, (unsigned long long)e->bytes);
  for (size_t m = 0; m < e->n_models; m++)
    printf("  model %zu: loss %.4f nats/token, %.4f bits/byte\n", m, e->loss[m], e->bpb[m]);
  printf("  %s: loss %.4f nats/token, %.4f bits/byte\n", e->n_models > 1 ? "ensemble" : "overall",
         e->ens_loss, e->ens_bpb);
}

int cs_cmd_eval(int argc, char **argv) {
  static args_t a;
  memset(&a, 0, sizeof a);
  int opt;
  while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &a.c)) continue;
    if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    if (opt == OPT_MODEL) a.model = optarg;
    else if (opt == OPT_DATASET) a.dataset = optarg;
    else if (opt == OPT_SPLIT) a.split = optarg;
    else if (opt == OPT_SHARDS) {
      if (cs_cli_parse_shards("eval", optarg, a.shards, CS_TRAIN_MAX_SHARDS, &a.n_shards))
        return CS_EXIT_USAGE;
    } else return cs_cli_usage("eval", "unknown option");
  }
  if (optind != argc) return cs_cli_usage("eval", "unexpected argument '%s'", argv[optind]);
  if (!a.model || !a.dataset) return cs_cli_usage("eval", "--model and --dataset are required");
  cs_train_models_t *tm = NULL;
  cs_train_eval_t e;
  cs_diag_t d = {{0}};
  int rc = cs_train_models_load(a.model, a.n_shards ? a.shards : NULL, a.n_shards, &tm, &d);
  if (rc == CS_OK) rc = cs_train_eval(tm, a.dataset, a.split, &e, &d);
  cs_train_models_free(tm);
  if (rc < 0) return cs_cli_fail("eval", rc, &d);
  print(&a, &e);
  return CS_EXIT_OK;
}
