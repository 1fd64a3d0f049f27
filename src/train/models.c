/* models.c — a trained run's shard models and tokenizer, for generation and
 * evaluation.
 *
 * Every shard model of the run (or the named ones) is loaded; they must
 * share the vocabulary of the run's tokenizer copy. Generation starts a new
 * document: the prompt follows <|endoftext|>, as every training document
 * did, and the continuation ends at the next <|endoftext|>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train/train_int.h"

struct cs_train_models {
  cs_model_t **m;
  size_t n;
  cs_tokenizer_t *tok;
};

void cs_train_models_free(cs_train_models_t *tm) {
  if (!tm) return;
  for (size_t i = 0; i < tm->n; i++) cs_model_free(tm->m[i]);
  free(tm->m);
  cs_tokenizer_free(tm->tok);
  free(tm);
}

size_t cs_train_models_count(const cs_train_models_t *tm) { return tm->n; }
const cs_model_t *const *cs_train_models_list(const cs_train_models_t *tm) {
  return (const cs_model_t *const *)tm->m;
}
const cs_tokenizer_t *cs_train_models_tokenizer(const cs_train_models_t *tm) { return tm->tok; }

static bool in_run(const cs__run_t *r, unsigned k) {
  for (size_t i = 0; i < r->cfg.n_shards; i++)
    if (r->cfg.shards[i] == k) return true;
  return false;
}

static int load_one(cs_train_models_t *tm, const char *dir, unsigned k, cs_diag_t *diag) {
  char path[CS__PATH];
  snprintf(path, sizeof path, "%s/shard_%03u", dir, k);
  int rc = cs_model_load(path, &tm->m[tm->n], diag);
  if (rc < 0) return rc;
  tm->n++;
  if ((size_t)cs_model_config(tm->m[tm->n - 1])->vocab_size != cs_tokenizer_vocab_size(tm->tok))
    return cs_diag_set(diag, CS_EINVAL, "%s: vocabulary differs from the run's tokenizer", path);
  return CS_OK;
}

static int load_all(cs_train_models_t *tm, const char *dir, const cs__run_t *r,
                    const unsigned *shards, size_t n_shards, cs_diag_t *diag) {
  char path[CS__PATH];
  snprintf(path, sizeof path, "%s/tokenizer", dir);
  int rc = cs_tokenizer_load(path, &tm->tok, diag);
  size_t n = shards ? n_shards : r->cfg.n_shards;
  if (rc == CS_OK && !(tm->m = calloc(n ? n : 1, sizeof *tm->m)))
    rc = cs_diag_set(diag, CS_ENOMEM, "out of memory");
  for (size_t i = 0; rc == CS_OK && i < n; i++) {
    unsigned k = shards ? shards[i] : r->cfg.shards[i];
    rc = in_run(r, k) ? load_one(tm, dir, k, diag)
                      : cs_diag_set(diag, CS_EINVAL, "--shards: the run has no shard %u", k);
  }
  return rc;
}

int cs_train_models_load(const char *run_dir, const unsigned *shards, size_t n_shards,
                         cs_train_models_t **out, cs_diag_t *diag) {
  cs__run_t r;
  int rc = cs__run_load(run_dir, &r, diag);
  if (rc < 0) return rc;
  if (shards && (n_shards == 0 || n_shards > CS_TRAIN_MAX_SHARDS))
    return cs_diag_set(diag, CS_EINVAL, "--shards: expected 1 to %d shards", CS_TRAIN_MAX_SHARDS);
  cs_train_models_t *tm = calloc(1, sizeof *tm);
  if (!tm) return cs_diag_set(diag, CS_ENOMEM, "out of memory");
  rc = load_all(tm, run_dir, &r, shards, n_shards, diag);
  if (rc < 0) {
    cs_train_models_free(tm);
    return rc;
  }
  *out = tm;
  return CS_OK;
}

/* <|endoftext|> and the prompt's tokens, at most half a context of them (the
 * most recent), so the continuation has room before the cache must slide. */
static int prompt_tokens(const cs_train_models_t *tm, const char *prompt, int32_t **out,
                         size_t *n, cs_diag_t *diag) {
  cs_tokens_t in = {0};
  int rc = cs_tokenizer_encode(tm->tok, NULL, prompt, strlen(prompt), &in);
  if (rc < 0) return cs_diag_set(diag, rc, "generate: cannot encode the prompt: %s", cs_strerror(rc));
  size_t keep = (size_t)cs_model_config(tm->m[0])->max_seq_len / 2, skip = 0;
  if (in.len > keep) skip = in.len - keep;
  int32_t *p = malloc((in.len - skip + 1) * sizeof *p);
  if (p) {
    p[0] = CS_TOK_EOT; /* the prompt starts a document */
    for (size_t i = skip; i < in.len; i++) p[i - skip + 1] = in.ids[i];
    *out = p;
    *n = in.len - skip + 1;
  }
  cs_tokens_free(&in);
  return p ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "generate: out of memory");
}

int cs_train_generate(const cs_train_models_t *tm, const char *prompt, const cs_gen_opts_t *opts,
                      cs_tok_bytes_t *out, size_t *out_tokens, cs_diag_t *diag) {
  size_t cap = opts->max_tokens ? opts->max_tokens : 1, n_prompt = 0, n_gen = 0;
  int32_t *p32 = NULL, *gen = malloc(cap * sizeof *gen);
  cs_token_t *g16 = malloc(cap * sizeof *g16);
  int rc = gen && g16 ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "generate: out of memory");
  if (rc == CS_OK) rc = prompt_tokens(tm, prompt, &p32, &n_prompt, diag);
  if (rc == CS_OK) {
    cs_gen_opts_t o = *opts;
    o.stop_token = CS_TOK_EOT;
    rc = cs_model_generate((const cs_model_t *const *)tm->m, tm->n, p32, n_prompt, &o, gen,
                           &n_gen, diag);
  }
  if (rc == CS_OK && n_gen && gen[n_gen - 1] == CS_TOK_EOT) n_gen--;
  for (size_t i = 0; rc == CS_OK && i < n_gen; i++) g16[i] = (cs_token_t)gen[i];
  if (rc == CS_OK && cs_tokenizer_decode(tm->tok, g16, n_gen, out) < 0)
    rc = cs_diag_set(diag, CS_EINTERNAL, "generate: a generated token does not decode");
  if (rc == CS_OK && out_tokens) *out_tokens = n_gen;
  free(p32);
  free(gen);
  free(g16);
  return rc;
}
