/* model.h — a GPT-2 language model in fp32: train, checkpoint, sample.
 *
 * The architecture is GPT-2's: token and position embeddings, pre-LayerNorm
 * blocks (causal multi-head attention, GELU (tanh) MLP), a final LayerNorm
 * and an output head tied to the token embedding. Every layer has a forward
 * and a backward; matrix products go through BLAS (OpenBLAS, OpenMP build) and
 * every other loop is parallel with OpenMP. Results are deterministic for a
 * given thread count: no reduction depends on how threads are scheduled.
 *
 * A training step, as the CLI runs it:
 *
 *   cs_model_zero_grad(m);
 *   cs_model_forward(m, x, y, B, T, true, &rng, &loss, diag);   // (B,T) tokens
 *   cs_model_backward(m, diag);
 *   cs_model_clip_grad_norm(m, 1.0f);
 *   hp.lr = cs_model_lr(&sched, cs_model_step_count(m));
 *   cs_model_adamw_step(m, &hp, diag);
 *
 * Random state is explicit: init, dropout and sampling take a cs_model_rng_t
 * the caller owns, so the same seed gives the same model, masks and samples.
 *
 * Checkpoints (cs_model_save/load) are a directory holding config.json (the
 * keys of Hugging Face's GPT2Config) and model.safetensors (the tensor names
 * and shapes of GPT2LMHeadModel's state dict, Conv1D weights as (in,out);
 * lm_head.weight is written as a copy of transformer.wte.weight). Optimizer
 * state for an exact resume goes to a separate safetensors file.
 *
 * Thread safety: a cs_model_t belongs to one thread at a time (it parallelises
 * internally). Distinct models are independent.
 */
#ifndef CONSENTRY_MODEL_H
#define CONSENTRY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>

/* ---- random state ------------------------------------------------------ */

/* xoshiro256** state. Plain data: copy it to fork or save it. */
typedef struct {
  uint64_t s[4];
} cs_model_rng_t;

void cs_model_rng_seed(cs_model_rng_t *rng, uint64_t seed);
uint64_t cs_model_rng_next(cs_model_rng_t *rng);
/* Uniform in [0,1) with 24 bits. */
float cs_model_rng_uniform(cs_model_rng_t *rng);

/* ---- configuration ----------------------------------------------------- */

#define CS_MODEL_MAX_DIM 65536 /* upper bound for every dimension below */

typedef struct {
  int vocab_size;  /* V: tokens are 0..V-1 */
  int max_seq_len; /* maxT: GPT2Config n_positions */
  int n_layer;     /* L */
  int n_head;      /* NH: must divide n_embd */
  int n_embd;      /* C */
  float dropout;   /* probability for embedding, attention and residual
                      dropout during training; 0 disables */
} cs_model_config_t;

/* Presets: "tiny" (2 layers, 2 heads, 32 wide, context 32; for tests),
 * "small" (4, 4, 128, context 128), "base" (6, 6, 384, context 256; 10.8M
 * parameters with vocab 256). Dropout is 0 in every preset. CS_ENOTFOUND for
 * an unknown name. */
CS_MUST_USE int cs_model_preset(const char *name, int vocab_size, cs_model_config_t *out,
                                cs_diag_t *diag);
/* CS_EINVAL with the field named if any value is out of range. */
CS_MUST_USE int cs_model_config_check(const cs_model_config_t *cfg, cs_diag_t *diag);
/* Parameters a model of this config has (cfg must pass the check). */
size_t cs_model_config_num_params(const cs_model_config_t *cfg);

/* ---- the model --------------------------------------------------------- */

typedef struct cs_model cs_model_t;

/* A model with zeroed parameters; call cs_model_init or load a checkpoint. */
CS_MUST_USE int cs_model_new(const cs_model_config_t *cfg, cs_model_t **out, cs_diag_t *diag);
void cs_model_free(cs_model_t *m);

/* GPT-2 initialisation: weights normal(0, 0.02), the two residual
 * projections of each block normal(0, 0.02/sqrt(2L)), biases 0, LayerNorm
 * gains 1. Also clears gradients and optimizer state. */
void cs_model_init(cs_model_t *m, cs_model_rng_t *rng);

const cs_model_config_t *cs_model_config(const cs_model_t *m);
size_t cs_model_num_params(const cs_model_t *m);
/* The parameters and their gradients, one contiguous buffer each, in llm.c's
 * GPT-2 order: wte (V,C), wpe (maxT,C), ln1w (L,C), ln1b (L,C),
 * qkvw (L,3C,C), qkvb (L,3C), attprojw (L,C,C), attprojb (L,C), ln2w (L,C),
 * ln2b (L,C), fcw (L,4C,C), fcb (L,4C), fcprojw (L,C,4C), fcprojb (L,C),
 * lnfw (C), lnfb (C). Matrices are (out,in). Borrowed from the model. */
float *cs_model_params(cs_model_t *m);
float *cs_model_grads(cs_model_t *m);

/* Runs the model on inputs (B,T), T <= maxT. With targets (B,T) it also
 * computes the mean cross-entropy into *out_loss (else *out_loss is NaN
 * when out_loss is non-NULL). train enables dropout, whose masks come from
 * one draw of rng (rng may be NULL when !train or dropout is 0). Activations
 * are kept for cs_model_backward. CS_EINVAL for a token out of range or bad
 * sizes, CS_ENOMEM when activations cannot be allocated. */
CS_MUST_USE int cs_model_forward(cs_model_t *m, const int32_t *inputs, const int32_t *targets,
                                 int B, int T, bool train, cs_model_rng_t *rng, float *out_loss,
                                 cs_diag_t *diag);
/* Logits (B,T,V) of the last forward; valid until the next forward. */
const float *cs_model_logits(const cs_model_t *m);

/* Adds the gradient of the last forward's loss to the gradient buffer.
 * CS_EINVAL unless the last forward had targets. */
CS_MUST_USE int cs_model_backward(cs_model_t *m, cs_diag_t *diag);
void cs_model_zero_grad(cs_model_t *m);

/* Scales gradients so that their global L2 norm is at most max_norm
 * (max_norm <= 0: no clipping). Returns the norm before clipping. */
float cs_model_clip_grad_norm(cs_model_t *m, float max_norm);

/* ---- optimisation ------------------------------------------------------ */

typedef struct {
  float lr;
  float beta1;        /* 0.9 */
  float beta2;        /* 0.95 */
  float eps;          /* 1e-8 */
  float weight_decay; /* applied to 2-D weights only (not biases, not LayerNorm) */
} cs_adamw_t;

/* lr 3e-4, beta1 0.9, beta2 0.95, eps 1e-8, weight decay 0.1. */
cs_adamw_t cs_adamw_defaults(void);

/* One AdamW step (PyTorch's form: decoupled decay p -= lr*wd*p, then the
 * bias-corrected Adam update). Allocates moments on first use (CS_ENOMEM). */
CS_MUST_USE int cs_model_adamw_step(cs_model_t *m, const cs_adamw_t *hp, cs_diag_t *diag);
/* Optimizer steps taken so far (restored by cs_model_load_optimizer). */
uint64_t cs_model_step_count(const cs_model_t *m);

typedef struct {
  float max_lr;
  float min_lr;
  uint64_t warmup_steps;
  uint64_t total_steps; /* cosine reaches min_lr here and stays */
} cs_lr_schedule_t;

/* Linear warm-up to max_lr over warmup_steps (step 0 gets max_lr/warmup),
 * then cosine decay to min_lr at total_steps; min_lr afterwards. */
float cs_model_lr(const cs_lr_schedule_t *s, uint64_t step);

/* ---- checkpoints ------------------------------------------------------- */

/* Writes DIR/config.json and DIR/model.safetensors (DIR is created if
 * missing), each atomically (temporary file, then rename). */
CS_MUST_USE int cs_model_save(const cs_model_t *m, const char *dir, cs_diag_t *diag);
/* Reads a checkpoint directory written by cs_model_save (or by PyTorch with
 * the same names and shapes). Every field, name, shape and offset is
 * checked; errors name the file and the tensor. */
CS_MUST_USE int cs_model_load(const char *dir, cs_model_t **out, cs_diag_t *diag);

/* What a training loop must carry across a resume besides the model. */
typedef struct {
  cs_model_rng_t rng; /* the training RNG (dropout, data order) */
  uint64_t data_pos;  /* caller-defined position of the data loader */
} cs_model_train_state_t;

/* Optimizer state (AdamW moments, step count) and st, as one safetensors
 * file at path, written atomically. */
CS_MUST_USE int cs_model_save_optimizer(const cs_model_t *m, const cs_model_train_state_t *st,
                                        const char *path, cs_diag_t *diag);
/* Restores what cs_model_save_optimizer wrote into m (whose config must
 * match) and *out. On error m is unchanged. */
CS_MUST_USE int cs_model_load_optimizer(cs_model_t *m, const char *path,
                                        cs_model_train_state_t *out, cs_diag_t *diag);

/* ---- sampling ---------------------------------------------------------- */

/* Incremental decoding of one sequence with a key/value cache. */
typedef struct cs_model_kv cs_model_kv_t;

/* The model is borrowed and must outlive the cache. */
CS_MUST_USE int cs_model_kv_new(const cs_model_t *m, cs_model_kv_t **out, cs_diag_t *diag);
void cs_model_kv_free(cs_model_kv_t *kv);
/* Positions filled so far (0 .. maxT). */
int cs_model_kv_len(const cs_model_kv_t *kv);
void cs_model_kv_reset(cs_model_kv_t *kv);
/* Feeds one token at position cs_model_kv_len(kv) and returns the logits (V)
 * for the next token, valid until the next call. CS_ERANGE when the cache
 * is full, CS_EINVAL for a token out of range. */
CS_MUST_USE int cs_model_kv_step(cs_model_kv_t *kv, int32_t token, const float **out_logits,
                                 cs_diag_t *diag);

typedef struct {
  size_t max_tokens; /* new tokens to produce at most */
  float temperature; /* 0: greedy; else p ∝ exp(logit/temperature) */
  int top_k;         /* keep the k most likely tokens; 0: all */
  float top_p;       /* keep the smallest set with mass >= top_p; 0 or 1: all */
  uint64_t seed;     /* same seed, same tokens */
  int32_t stop_token; /* generation ends after producing it; -1: none */
  /* Optional, called with each new token; a non-zero return stops. */
  int (*on_token)(void *ctx, int32_t token);
  void *ctx;
} cs_gen_opts_t;

/* temperature 1, top_k 0, top_p 1, seed 0, stop_token -1, 64 tokens. */
cs_gen_opts_t cs_gen_defaults(void);

/* Continues prompt (n_prompt >= 1 tokens) with up to opts->max_tokens new
 * tokens written to out (room for max_tokens), count in *out_n. With several
 * models (e.g. shard models) their next-token distributions, each after
 * temperature, are averaged before top-k/top-p and sampling, weighted by
 * how well each model predicted the text so far (Bayesian model averaging:
 * equal weights at the start, each multiplied by the probability its model
 * gave every token after the first, prompt and output alike); they must
 * share the vocabulary size. When the context is full, the cache is rebuilt from
 * the last half of the context (positions restart), so generation can run
 * past maxT. */
CS_MUST_USE int cs_model_generate(const cs_model_t *const *models, size_t n_models,
                                  const int32_t *prompt, size_t n_prompt,
                                  const cs_gen_opts_t *opts, int32_t *out, size_t *out_n,
                                  cs_diag_t *diag);

#endif
