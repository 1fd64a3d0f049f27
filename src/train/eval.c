/* eval.c — cs_train_eval: validation loss and bits per byte of a run.
 *
 * Bits per byte = total nats / ln 2 / bytes of the predicted tokens' text,
 * which compares models across tokenizers. <|endoftext|> counts as one byte
 * (a document separator, like a newline); placeholders count their text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train/train_int.h"

static int split_path(const char *dataset_dir, const char *split, char path[CS__PATH],
                      cs_diag_t *diag) {
  cs__dataset_info_t ds;
  int rc = cs__dataset_info(dataset_dir, &ds, diag);
  if (rc < 0) return rc;
  if (!split || strcmp(split, "val") == 0) {
    if (!ds.val_file[0]) return cs_diag_set(diag, CS_EINVAL, "%s: no validation split", dataset_dir);
    snprintf(path, CS__PATH, "%s/%s", dataset_dir, ds.val_file);
    return CS_OK;
  }
  char *end;
  unsigned long k = strtoul(split, &end, 10);
  if (*split == '\0' || *end != '\0' || k >= ds.n_train)
    return cs_diag_set(diag, CS_EINVAL, "split '%s': expected val or 0 to %u", split, ds.n_train - 1);
  snprintf(path, CS__PATH, "%s/%s", dataset_dir, ds.shard_file[k]);
  return CS_OK;
}

int cs_train_eval(const cs_train_models_t *tm, const char *dataset_dir, const char *split,
                  cs_train_eval_t *out, cs_diag_t *diag) {
  char path[CS__PATH];
  uint16_t *tok = NULL;
  size_t n = 0, nm = cs_train_models_count(tm);
  int rc = split_path(dataset_dir, split, path, diag);
  if (rc == CS_OK) rc = cs__read_shard(path, &tok, &n, diag);
  if (rc == CS_OK && n < 2) rc = cs_diag_set(diag, CS_EINVAL, "%s: fewer than 2 tokens to evaluate on", path);
  cs_train_eval_t r;
  memset(&r, 0, sizeof r);
  double nll[CS_TRAIN_MAX_SHARDS] = {0}, ens = 0;
  if (rc == CS_OK) {
    cs_model_t *const *models = (cs_model_t *const *)cs_train_models_list(tm);
    cs__eval_spec_t e = {models, nm, cs_train_models_tokenizer(tm), 8,
                         cs_model_config(models[0])->max_seq_len};
    rc = cs__eval_tokens(&e, tok, n, 0, nll, &ens, &r.tokens, &r.bytes, diag);
  }
  if (rc == CS_OK) {
    r.n_models = nm;
    for (size_t m = 0; m < nm; m++) {
      r.loss[m] = nll[m] / (double)r.tokens;
      r.bpb[m] = nll[m] / log(2.0) / (double)r.bytes;
    }
    r.ens_loss = ens / (double)r.tokens;
    r.ens_bpb = ens / log(2.0) / (double)r.bytes;
    *out = r;
  }
  free(tok);
  return rc;
}
