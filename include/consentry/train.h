/* train.h — consent-gated training: one model per dataset shard.
 *
 * A dataset (dataset.h) splits its members into train shards, so that a
 * member's records all sit in one shard. Training one model per shard means
 * that forgetting a member retrains only that member's shard; generation
 * averages the shard models' next-token distributions, weighted by how well
 * each predicted the text so far (model.h).
 *
 * A run directory OUT holds:
 *   shard_NNN/config.json, model.safetensors   the shard's model (model.h)
 *   shard_NNN/optimizer.safetensors            AdamW state, step count, RNG
 *                                              and loader position: an exact
 *                                              resume starts from here
 *   tokenizer/tokenizer.json                   the dataset's tokenizer (copy)
 *   run.json                                   the run: dataset id, shards,
 *                                              preset, seed, hyper-parameters,
 *                                              steps and final losses per shard
 * and each file is written atomically. At the end of every call that wrote
 * a model, the run is registered in the ledger as a "training_run" whose
 * parent is the dataset and whose members are those with records in the
 * trained shards. The run id is the SHA-256 of the run's configuration
 * (dataset id, shards, preset, seed, steps, batch, context, learning rates),
 * so the same run registers once: an interrupted run (stop_after, the time
 * limit; run.json says "complete": false) is registered right away, because
 * its checkpoints already hold what it learned from the members, and the
 * ledger keeps the losses of that first registration (details), while
 * run.json has the latest.
 *
 * Determinism: the same dataset, options and thread count give the same
 * bytes, and a resumed run gives the same bytes as an uninterrupted one.
 *
 * Not thread-safe: one run per output directory at a time.
 */
#ifndef CONSENTRY_TRAIN_H
#define CONSENTRY_TRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>
#include <consentry/model.h>
#include <consentry/store.h>
#include <consentry/tokenizer.h>

#define CS_TRAIN_FORMAT "consentry-run/1"
#define CS_TRAIN_MAX_SHARDS 256

/* ---- the data loader --------------------------------------------------- */

/* Random windows of T+1 consecutive tokens from one token sequence (a shard
 * held in memory). Each batch row starts at a position drawn from the
 * caller's RNG, uniform over every start whose window fits; a sequence
 * shorter than T+1 tokens wraps around (position i reads token i mod n).
 * Inputs are the first T tokens of a window, targets the last T. */
typedef struct cs_train_loader cs_train_loader_t;

/* Takes a copy of tokens[0, n) (n >= 2). */
CS_MUST_USE int cs_train_loader_new(const uint16_t *tokens, size_t n, int B, int T,
                                    cs_train_loader_t **out, cs_diag_t *diag);
/* Reads a whole shard file (shard.h) into a loader. */
CS_MUST_USE int cs_train_loader_open(const char *shard_path, int B, int T,
                                     cs_train_loader_t **out, cs_diag_t *diag);
void cs_train_loader_free(cs_train_loader_t *l);
size_t cs_train_loader_tokens(const cs_train_loader_t *l);
/* Batches drawn so far (saved with a checkpoint as the loader position). */
uint64_t cs_train_loader_pos(const cs_train_loader_t *l);
void cs_train_loader_set_pos(cs_train_loader_t *l, uint64_t pos);
/* Fills inputs (B,T) and targets (B,T) with the next batch; starts[b] (may
 * be NULL) gets each row's window start. Draws B numbers from rng. */
void cs_train_loader_next(cs_train_loader_t *l, cs_model_rng_t *rng, int32_t *inputs,
                          int32_t *targets, size_t *starts);

/* ---- training ---------------------------------------------------------- */

typedef struct {
  unsigned shard;        /* the shard being trained */
  unsigned shard_index;  /* its position among the run's shards */
  unsigned n_shards;     /* shards in this run */
  uint64_t step, steps;  /* steps done, steps wanted */
  float train_loss;      /* of the last step */
  float val_loss;        /* of the last evaluation; NaN before one */
  double tokens_per_s;   /* training throughput so far in this call */
} cs_train_progress_t;

typedef struct {
  const char *dataset_dir;
  const char *out_dir;        /* created if missing */
  const char *preset;         /* model.h presets; NULL means "tiny" */
  const unsigned *shards;     /* train shard numbers; NULL means all */
  size_t n_shards;
  uint64_t steps;             /* optimizer steps per shard; 0 means 1000 */
  uint64_t seed;              /* shard k trains with seed + k */
  int batch;                  /* B; 0 means 8 */
  int context;                /* T; 0 means the preset's context */
  float lr;                   /* peak learning rate; 0 means 1e-3 */
  uint64_t warmup;            /* 0 means steps / 10 */
  uint64_t eval_every;        /* steps between validation losses; 0 means steps / 4 */
  int eval_batches;           /* validation batches per evaluation; 0 means 8 */
  uint64_t checkpoint_every;  /* steps between checkpoints; 0: only at the end */
  bool resume;                /* continue the run in out_dir where it stopped */
  uint64_t stop_after;        /* stop after this many steps in this call; 0: no limit */
  double time_limit_s;        /* stop at the first step past this, shared equally
                                 among the shards (shard i of n stops at (i+1)/n
                                 of it); 0: no limit */
  void (*progress)(void *ctx, const cs_train_progress_t *p); /* may be NULL */
  void *progress_ctx;
} cs_train_opts_t;

typedef struct {
  unsigned shard;
  uint64_t steps_done;
  uint64_t tokens;          /* tokens in the shard */
  uint64_t records, members;
  float train_loss;         /* of the last step taken */
  float val_loss;           /* NaN when the dataset has no validation tokens */
} cs_train_shard_result_t;

typedef struct {
  char id[65];              /* run id (SHA-256 of its configuration) */
  char dataset_id[65];
  size_t n_shards;
  cs_train_shard_result_t shard[CS_TRAIN_MAX_SHARDS];
  bool complete;            /* every shard reached its steps */
  bool registered;          /* in the ledger (now or by an earlier call) */
  uint64_t steps_this_call; /* over all shards */
  double seconds;           /* training time in this call */
  size_t num_params;        /* per shard model */
} cs_train_result_t;

/* Trains (or resumes) every requested shard and registers the run in s (which may be NULL: no registration). CS_EINVAL for a bad
 * option, a shard the dataset lacks or a resume whose run differs;
 * CS_ENOTFOUND for a missing dataset or, with resume, a missing run. */
CS_MUST_USE int cs_train_run(cs_store_t *s, const cs_train_opts_t *opts, cs_train_result_t *out,
                             cs_diag_t *diag);

/* ---- using a trained run ----------------------------------------------- */

/* A run's models (all shards, or the given ones) and tokenizer, loaded. */
typedef struct cs_train_models cs_train_models_t;

CS_MUST_USE int cs_train_models_load(const char *run_dir, const unsigned *shards,
                                     size_t n_shards, cs_train_models_t **out, cs_diag_t *diag);
void cs_train_models_free(cs_train_models_t *tm);
size_t cs_train_models_count(const cs_train_models_t *tm);
const cs_model_t *const *cs_train_models_list(const cs_train_models_t *tm);
const cs_tokenizer_t *cs_train_models_tokenizer(const cs_train_models_t *tm);

/* Continues a prompt as a new document (the prompt is preceded by
 * <|endoftext|>); generation stops at <|endoftext|> or opts->max_tokens.
 * The continuation's text (without the prompt) is appended to out. */
CS_MUST_USE int cs_train_generate(const cs_train_models_t *tm, const char *prompt,
                                  const cs_gen_opts_t *opts, cs_tok_bytes_t *out,
                                  size_t *out_tokens, cs_diag_t *diag);

typedef struct {
  uint64_t tokens;          /* predicted tokens */
  uint64_t bytes;           /* bytes those tokens decode to (<|endoftext|> as 1) */
  size_t n_models;
  double loss[CS_TRAIN_MAX_SHARDS]; /* mean loss (nats) of each model */
  double bpb[CS_TRAIN_MAX_SHARDS];  /* its bits per byte */
  double ens_loss, ens_bpb; /* of the averaged distribution */
} cs_train_eval_t;

/* Validation loss and bits per byte on DATASET/val.bin (or another split
 * file named by split: "val" or a train shard number as "K"), over
 * consecutive windows of the models' context covering every token once.
 * CS_EINVAL when the split has fewer than 2 tokens. */
CS_MUST_USE int cs_train_eval(const cs_train_models_t *tm, const char *dataset_dir,
                              const char *split, cs_train_eval_t *out, cs_diag_t *diag);

#endif
