/* train_int.h — what the training module's files share (internal).
 *
 * A run's configuration (cs__run_cfg_t) is everything that decides the bytes
 * of its models; its canonical JSON is what the run id hashes. The dataset
 * facts a run needs (id, vocab, shards, purpose, policy, as-of) come from the
 * dataset's manifest.json (cs__dataset_info_t).
 */
#ifndef CS_TRAIN_INT_H
#define CS_TRAIN_INT_H

#include <consentry/train.h>

#include "core/buf.h"

#define CS__PATH 4096

typedef struct {
  char id[65];              /* SHA-256 of manifest.json */
  char purpose[64];
  char policy_version[128];
  char as_of[64];
  size_t vocab;
  unsigned n_train;         /* train shards */
  uint64_t shard_tokens[CS_TRAIN_MAX_SHARDS];
  char shard_file[CS_TRAIN_MAX_SHARDS][64]; /* train_NNN.bin, as the manifest names it */
  char shard_index[CS_TRAIN_MAX_SHARDS][64]; /* its train_NNN.idx.jsonl */
  char val_file[64];                        /* empty: no validation split */
} cs__dataset_info_t;

typedef struct {
  char dataset_id[65];
  char preset[16];
  cs_model_config_t model;
  unsigned shards[CS_TRAIN_MAX_SHARDS];
  size_t n_shards;
  uint64_t steps, seed, warmup, eval_every;
  int batch, context, eval_batches;
  float lr, min_lr;
} cs__run_cfg_t;

/* The state of one run directory: its config and per-shard results. */
typedef struct {
  cs__run_cfg_t cfg;
  cs_train_shard_result_t shard[CS_TRAIN_MAX_SHARDS]; /* parallel to cfg.shards */
  bool complete;
  size_t num_params;
} cs__run_t;

CS_MUST_USE int cs__dataset_info(const char *dir, cs__dataset_info_t *out, cs_diag_t *diag);

/* The config's canonical JSON (fixed key order) and the run id it hashes to. */
CS_MUST_USE int cs__run_cfg_json(const cs__run_cfg_t *c, cs_buf_t *out);
CS_MUST_USE int cs__run_id(const cs__run_cfg_t *c, char id[65]);
/* Writes OUT/run.json atomically; reads it back. */
CS_MUST_USE int cs__run_save(const char *out_dir, const cs__run_t *r, cs_diag_t *diag);
CS_MUST_USE int cs__run_load(const char *out_dir, cs__run_t *out, cs_diag_t *diag);

/* Trains shard r->cfg.shards[i] in place (its result in r->shard[i]). *budget
 * is the steps this call may still take (UINT64_MAX: no limit). */
typedef struct {
  const cs_train_opts_t *opts;
  const cs__dataset_info_t *ds;
  double t0;                /* start of the call (monotonic seconds) */
  uint64_t budget;          /* steps left for this call */
  uint64_t steps_done;      /* steps taken in this call */
  bool stopped;             /* the budget or time limit ran out */
} cs__train_ctx_t;
CS_MUST_USE int cs__train_shard(cs__train_ctx_t *tc, cs__run_t *r, size_t i, cs_diag_t *diag);

/* The members with records in the run's shards, sorted by id, with their
 * record counts; also fills each shard result's records and members. */
typedef struct {
  cs_lineage_member_t *m;
  size_t n, cap;
  char **names; /* owned copies behind m[i].member */
  size_t n_names;
} cs__run_members_t;
CS_MUST_USE int cs__run_collect_members(const char *dataset_dir, const cs__dataset_info_t *ds,
                                    cs__run_t *r, cs__run_members_t *out, cs_diag_t *diag);
void cs__run_members_free(cs__run_members_t *m);

/* Registers a complete run (run.json already written) as a training run. */
CS_MUST_USE int cs__register_run(cs_store_t *s, const char *out_dir, const cs__dataset_info_t *ds,
                                 const cs__run_t *r, const cs__run_members_t *mem, cs_diag_t *diag);

/* Sums -ln p(target) over consecutive windows of tok (every token after the
 * first predicted once, at most max_windows windows; 0: all) for each model
 * into nll[m] and for their averaged distribution into *ens_nll; *count gets
 * the number of predictions. bytes (may be NULL) adds the decoded bytes of
 * the targets. */
typedef struct {
  cs_model_t *const *models;
  size_t n_models;
  const cs_tokenizer_t *tok; /* for bytes; may be NULL */
  int B, T;
} cs__eval_spec_t;
CS_MUST_USE int cs__eval_tokens(const cs__eval_spec_t *e, const uint16_t *tok, size_t n,
                                size_t max_windows, double *nll, double *ens_nll,
                                uint64_t *count, uint64_t *bytes, cs_diag_t *diag);
/* Reads a whole shard file into *out (malloc'd), *n tokens. */
CS_MUST_USE int cs__read_shard(const char *path, uint16_t **out, size_t *n, cs_diag_t *diag);

double cs__now(void);

#endif
