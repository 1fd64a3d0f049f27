/* cmd_train.c — `consentry train`: one model per dataset shard. */
#include "cli/cli.h"

#include <math.h>
#include <string.h>

#include <consentry/train.h>

static const char help[] =
    "usage: consentry train --dataset DIR --out DIR [--preset tiny|small|base]\n"
    "                 [--steps N] [--shards all|K,...] [--seed N] [--batch B]\n"
    "                 [--context T] [--lr X] [--warmup N] [--eval-every N]\n"
    "                 [--checkpoint-every N] [--stop-after N] [--time-limit S]\n"
    "                 [--resume] [--db PATH] [--json]\n"
    "Trains one GPT-2 model per train shard of a consentry dataset (or the\n"
    "shards named), reporting train and validation loss. OUT gets shard_NNN/\n"
    "(config.json, model.safetensors, optimizer.safetensors), tokenizer/ and\n"
    "run.json. --steps is the run's total per shard (default 1000); --stop-after\n"
    "and --time-limit interrupt it, and --resume continues it exactly where its\n"
    "checkpoints left off. The run is registered in the ledger with the members\n"
    "whose records it trained on (an interrupted one too). Defaults: preset tiny, batch 8, the\n"
    "preset's context, lr 1e-3 (cosine to lr/10), warm-up steps/10, seed 0.\n"
    "Example: consentry train --dataset ds1 --out run1 --preset small --steps 2000\n";

enum {
  OPT_DATASET = CS_OPT_FIRST_LOCAL, OPT_OUT, OPT_PRESET, OPT_STEPS, OPT_SHARDS, OPT_SEED,
  OPT_BATCH, OPT_CONTEXT, OPT_LR, OPT_WARMUP, OPT_EVAL, OPT_CKPT, OPT_STOP, OPT_TIME, OPT_RESUME
};

static const struct option longopts[] = {
    CS_CLI_COMMON_LONGOPTS,
    {"dataset", required_argument, NULL, OPT_DATASET},
    {"out", required_argument, NULL, OPT_OUT},
    {"preset", required_argument, NULL, OPT_PRESET},
    {"steps", required_argument, NULL, OPT_STEPS},
    {"shards", required_argument, NULL, OPT_SHARDS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"batch", required_argument, NULL, OPT_BATCH},
    {"context", required_argument, NULL, OPT_CONTEXT},
    {"lr", required_argument, NULL, OPT_LR},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"eval-every", required_argument, NULL, OPT_EVAL},
    {"checkpoint-every", required_argument, NULL, OPT_CKPT},
    {"stop-after", required_argument, NULL, OPT_STOP},
    {"time-limit", required_argument, NULL, OPT_TIME},
    {"resume", no_argument, NULL, OPT_RESUME},
    {0, 0, 0, 0}};

typedef struct {
  cs_cli_common_t c;
  cs_train_opts_t o;
  unsigned shards[CS_TRAIN_MAX_SHARDS];
} args_t;

static void draw(void *ctx, const cs_train_progress_t *p) {
  (void)ctx;
  fprintf(stderr, "\r  shard %u (%u/%u): step %llu/%llu  loss %.4f  val %.4f  %.0f tok/s   ",
          p->shard, p->shard_index + 1, p->n_shards, (unsigned long long)p->step,
          (unsigned long long)p->steps, (double)p->train_loss, (double)p->val_loss, p->tokens_per_s);
}

/* Numeric options: one table row per flag keeps parse_opt short. */
static int parse_num(args_t *a, int opt, const char *arg) {
  uint64_t v;
  double x;
  cs_train_opts_t *o = &a->o;
  switch (opt) {
    case OPT_STEPS: return cs_cli_parse_u64("train", "--steps", arg, 1, 1ull << 40, &o->steps);
    case OPT_SEED: return cs_cli_parse_u64("train", "--seed", arg, 0, UINT64_MAX, &o->seed);
    case OPT_WARMUP: return cs_cli_parse_u64("train", "--warmup", arg, 1, 1ull << 40, &o->warmup);
    case OPT_EVAL: return cs_cli_parse_u64("train", "--eval-every", arg, 1, 1ull << 40, &o->eval_every);
    case OPT_CKPT: return cs_cli_parse_u64("train", "--checkpoint-every", arg, 1, 1ull << 40, &o->checkpoint_every);
    case OPT_STOP: return cs_cli_parse_u64("train", "--stop-after", arg, 1, 1ull << 40, &o->stop_after);
    case OPT_TIME: return cs_cli_parse_double("train", "--time-limit", arg, 0.001, 1e9, &o->time_limit_s);
    case OPT_LR:
      if (cs_cli_parse_double("train", "--lr", arg, 1e-9, 10, &x)) return 1;
      o->lr = (float)x;
      return 0;
    case OPT_BATCH:
    case OPT_CONTEXT:
      if (cs_cli_parse_u64("train", opt == OPT_BATCH ? "--batch" : "--context", arg, 1, 4096, &v)) return 1;
      *(opt == OPT_BATCH ? &o->batch : &o->context) = (int)v;
      return 0;
    default: return cs_cli_usage("train", "unknown option");
  }
}

static int parse_opt(args_t *a, int opt, const char *arg) {
  switch (opt) {
    case OPT_DATASET: a->o.dataset_dir = arg; return 0;
    case OPT_OUT: a->o.out_dir = arg; return 0;
    case OPT_PRESET: a->o.preset = arg; return 0;
    case OPT_RESUME: a->o.resume = true; return 0;
    case OPT_SHARDS:
      if (cs_cli_parse_shards("train", arg, a->shards, CS_TRAIN_MAX_SHARDS, &a->o.n_shards)) return 1;
      a->o.shards = a->o.n_shards ? a->shards : NULL;
      return 0;
    default: return parse_num(a, opt, arg);
  }
}

static void print_loss(const char *key, float v) {
  if (isfinite(v)) printf(",\"%s\":%.9g", key, (double)v);
  else printf(",\"%s\":null", key);
}

static void print_json(const args_t *a, const cs_train_result_t *r) {
  printf("{\"id\":\"%s\",\"dataset\":\"%s\",\"out\":", r->id, r->dataset_id);
  cs_cli_json_str(stdout, a->o.out_dir);
  printf(",\"complete\":%s,\"registered\":%s,\"params\":%zu,\"steps\":%llu,\"seconds\":%.3f,"
         "\"shards\":[",
         r->complete ? "true" : "false", r->registered ? "true" : "false", r->num_params,
         (unsigned long long)r->steps_this_call, r->seconds);
  for (size_t i = 0; i < r->n_shards; i++) {
    const cs_train_shard_result_t *s = &r->shard[i];
    printf("%s{\"shard\":%u,\"steps_done\":%llu,\"records\":%llu,\"members\":%llu,\"tokens\":%llu",
           i ? "," : "", s->shard, (unsigned long long)s->steps_done,
           (unsigned long long)s->records, (unsigned long long)s->members,
           (unsigned long long)s->tokens);
    print_loss("train_loss", s->train_loss);
    print_loss("val_loss", s->val_loss);
    putchar('}');
  }
  puts("]}");
}

static void print_text(const args_t *a, const cs_train_result_t *r) {
  printf("training run %.16s... in %s on dataset %.16s... (%zu parameters per model)\n", r->id,
         a->o.out_dir, r->dataset_id, r->num_params);
  for (size_t i = 0; i < r->n_shards; i++) {
    const cs_train_shard_result_t *s = &r->shard[i];
    printf("  shard %3u: %llu steps, train loss %.4f, val loss %.4f (%llu records, %llu members, "
           "%llu tokens)\n",
           s->shard, (unsigned long long)s->steps_done, (double)s->train_loss, (double)s->val_loss,
           (unsigned long long)s->records, (unsigned long long)s->members,
           (unsigned long long)s->tokens);
  }
  printf("  %llu steps in %.1f s; %s%s\n", (unsigned long long)r->steps_this_call, r->seconds,
         r->registered ? "registered in the ledger" : "not registered",
         r->complete ? "" : "; interrupted: continue with --resume");
}

int cs_cmd_train(int argc, char **argv) {
  static args_t a;
  memset(&a, 0, sizeof a);
  int opt;
  while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &a.c)) continue;
    if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    if (opt == '?' || parse_opt(&a, opt, optarg)) return CS_EXIT_USAGE;
  }
  if (optind != argc) return cs_cli_usage("train", "unexpected argument '%s'", argv[optind]);
  if (!a.o.dataset_dir || !a.o.out_dir) return cs_cli_usage("train", "--dataset and --out are required");
  if (cs_cli_progress_enabled(&a.c)) a.o.progress = draw;
  cs_store_t *s = NULL;
  int ec = cs_cli_open_store("train", &a.c, &s);
  if (ec) return ec;
  cs_train_result_t r;
  cs_diag_t d = {{0}};
  int rc = cs_train_run(s, &a.o, &r, &d);
  if (a.o.progress) fputs("\r\033[K", stderr);
  cs_store_close(s);
  if (rc < 0) return cs_cli_fail("train", rc, &d);
  (a.c.json ? print_json : print_text)(&a, &r);
  return CS_EXIT_OK;
}
