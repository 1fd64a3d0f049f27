/* build.c — cs_dataset_build: the phases, then publish or leave nothing.
 *
 * The dataset is built in "OUT.tmp.XXXXXX" beside OUT. Only when every file
 * is written and hashed is it registered in the ledger and renamed to OUT, in
 * that order inside one ledger transaction: a failed rename rolls the
 * registration back, a failed registration removes the directory. A killed
 * build leaves only the .tmp directory, never something named OUT.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <consentry/afile.h>
#include <consentry/ledger.h>

#include "dataset/build_int.h"

void cs__build_path(const cs__build_t *b, const char *name, char *out) {
  /* tmp was checked to leave room for the longest name at check_opts */
  if (snprintf(out, CS_BUILD_PATH, "%s/%s", b->tmp, name) >= CS_BUILD_PATH) out[0] = '\0';
}

void cs__build_shard_name(unsigned k, unsigned shards, bool index, char *out, size_t cap) {
  if (k == shards)
    snprintf(out, cap, index ? "val.idx.jsonl" : "val.bin");
  else
    snprintf(out, cap, index ? "train_%03u.idx.jsonl" : "train_%03u.bin", k);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static void remove_tree(const char *dir) { nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

static int add_member_cb(void *ctx, const cs_fact_t *f) {
  if (f->type != CS_FACT_MEMBER) return 0;
  return cs_redactor_add_member(ctx, f->u.member.name, f->u.member.handle, f->u.member.email,
                                NULL);
}

/* Redaction with every member the ledger knows, when the purpose needs it. */
static int open_redactor(cs__build_t *b, cs_diag_t *diag) {
  if (!b->cfg->purposes[b->purpose].redaction) return CS_OK;
  int rc = cs_redactor_new(NULL, &b->red, diag);
  if (rc == CS_OK) rc = cs_store_each_member_fact(b->store, NULL, CS_TIME_NEVER, add_member_cb, b->red, diag);
  if (rc > 0) rc = cs_diag_set(diag, CS_ENOMEM, "dataset: loading member names failed");
  if (rc == CS_OK) rc = cs_redactor_compile(b->red, diag);
  return rc;
}

/* The given tokenizer, or one trained on the staged (gated, redacted) text. */
static int open_tokenizer(cs__build_t *b, cs_diag_t *diag) {
  char staging[CS_BUILD_PATH], dir[CS_BUILD_PATH];
  cs__build_path(b, "staging.jsonl", staging);
  cs__build_path(b, "tokenizer", dir);
  if (b->o->tokenizer_dir) { /* a copy travels with the dataset, so it can be read back */
    int rc = cs_tokenizer_load(b->o->tokenizer_dir, &b->tok, diag);
    return rc == CS_OK ? cs_tokenizer_save(b->tok, dir, diag) : rc;
  }
  cs_tok_trainer_t *tr = NULL;
  cs_tok_train_opts_t to = {.vocab = b->o->vocab ? b->o->vocab : 4096};
  cs_tok_train_stats_t st;
  int rc = cs_tok_trainer_new(&tr);
  if (rc == CS_OK) rc = cs_tok_trainer_add_jsonl(tr, staging, &to, diag);
  if (rc == CS_OK) rc = cs_tok_trainer_finish(tr, &to, &b->tok, &st, diag);
  if (rc == CS_OK) rc = cs_tokenizer_save(b->tok, dir, diag);
  cs_tok_trainer_free(tr);
  b->tok_trained = rc == CS_OK;
  return rc;
}

static void totals(cs__build_t *b) {
  cs_dataset_summary_t *s = b->sum;
  for (unsigned k = 0; k <= b->shards; k++) {
    s->records += b->shard[k].records;
    s->members += b->shard[k].members;
    s->tokens += b->shard[k].tokens;
  }
  s->val_records = b->shard[b->shards].records;
  s->val_members = b->shard[b->shards].members;
}

/* Registers the dataset and moves it into place, atomically together. */
static int publish(cs__build_t *b, cs_diag_t *diag) {
  size_t n = b->members.n;
  cs_lineage_member_t *m = calloc(n ? n : 1, sizeof *m);
  char *names = calloc(n ? n : 1, CS__ID_INLINE + 1);
  int rc = m && names ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  for (size_t i = 0; rc == CS_OK && i < n; i++) {
    const cs__identry_t *e = &b->members.entries[i];
    if (e->len <= CS__ID_INLINE) { /* inline ids are not NUL-terminated */
      memcpy(names + i * (CS__ID_INLINE + 1), cs__identry_key(e), e->len);
      m[i].member = names + i * (CS__ID_INLINE + 1);
    } else {
      m[i].member = cs__identry_key(e);
    }
    m[i].records = (int64_t)b->member_records[i];
  }
  cs_time_t now = 0;
  if (rc == CS_OK) rc = cs_time_now(&now);
  char details[256];
  snprintf(details, sizeof details, "{\"merkle_root\":\"%s\",\"shards\":%u,\"val_permille\":%u}",
           b->sum->merkle_root, b->shards, b->val_permille);
  cs_lineage_t l = {.id = b->sum->id, .kind = "dataset", .purpose = b->o->purpose,
                    .policy_version = b->sum->policy_version, .location = b->o->out_dir,
                    .digest = b->sum->id, .as_of = b->o->as_of, .created_at = now,
                    .records = (int64_t)b->sum->records, .members = (int64_t)b->sum->members,
                    .tokens = (int64_t)b->sum->tokens, .details = details};
  if (rc == CS_OK) rc = cs_store_begin(b->store, diag);
  if (rc == CS_OK) {
    rc = cs_store_put_lineage(b->store, &l, m, n, diag);
    if (rc == CS_OK && rename(b->tmp, b->o->out_dir) != 0)
      rc = cs_diag_set(diag, CS_EIO, "%s: cannot rename into place: %s", b->o->out_dir, strerror(errno));
    if (rc == CS_OK) rc = cs_store_commit(b->store, diag);
    if (rc < 0) cs_store_rollback(b->store);
  }
  free(m);
  free(names);
  return rc;
}

/* A copy of the published decisions.jsonl at the caller's path, all or nothing. */
static int copy_decisions(const cs__build_t *b, cs_diag_t *diag) {
  char src[CS_BUILD_PATH];
  if (snprintf(src, sizeof src, "%s/decisions.jsonl", b->o->out_dir) >= (int)sizeof src)
    return cs_diag_set(diag, CS_EINVAL, "%s: path too long", b->o->out_dir);
  FILE *in = fopen(src, "rb");
  cs_afile_t *out = NULL;
  int rc = in ? cs_afile_open(b->o->decisions_path, &out, diag)
              : cs_diag_set(diag, CS_EIO, "%s: cannot read", src);
  char buf[1 << 16];
  size_t n;
  while (rc == CS_OK && (n = fread(buf, 1, sizeof buf, in)) > 0)
    if (fwrite(buf, 1, n, cs_afile_stream(out)) != n)
      rc = cs_diag_set(diag, CS_EIO, "%s: write failed", b->o->decisions_path);
  if (in) fclose(in);
  if (rc == CS_OK) return cs_afile_commit(out, diag);
  cs_afile_abort(out);
  return rc;
}

static int check_opts(cs__build_t *b, cs_diag_t *diag) {
  const cs_dataset_opts_t *o = b->o;
  if (!o->purpose || !o->out_dir) return cs_diag_set(diag, CS_EINVAL, "dataset: purpose and output directory are required");
  if (cs_config_purpose(b->cfg, o->purpose, &b->purpose) < 0)
    return cs_diag_set(diag, CS_EINVAL, "--purpose: unknown purpose '%s'", o->purpose);
  b->shards = o->shards ? o->shards : 4;
  b->val_permille = o->val_set ? o->val_permille : 50;
  b->threads = o->threads ? o->threads : 1;
  if (b->shards > CS_BUILD_MAX_SHARDS)
    return cs_diag_set(diag, CS_EINVAL, "--shards: expected 1 to %d", CS_BUILD_MAX_SHARDS);
  if (b->val_permille > 1000) return cs_diag_set(diag, CS_EINVAL, "--val-permille: expected 0 to 1000");
  if (o->vocab && (o->vocab < CS_TOK_FIRST_MERGE || o->vocab > CS_TOK_MAX_VOCAB))
    return cs_diag_set(diag, CS_EINVAL, "--vocab: expected %d to %d", CS_TOK_FIRST_MERGE, CS_TOK_MAX_VOCAB);
  struct stat st;
  if (stat(o->out_dir, &st) == 0)
    return cs_diag_set(diag, CS_EINVAL, "%s: already exists (a dataset is never overwritten)", o->out_dir);
  if (strlen(o->out_dir) + 64 >= sizeof b->tmp ||
      snprintf(b->tmp, sizeof b->tmp, "%s.tmp.XXXXXX", o->out_dir) >= (int)sizeof b->tmp)
    return cs_diag_set(diag, CS_EINVAL, "%s: path too long", o->out_dir);
  return CS_OK;
}

static int run(cs__build_t *b, const char *const *inputs, size_t n, cs_diag_t *diag) {
  int rc = cs_policy_covering(b->store, b->o->purpose, b->o->as_of, b->sum->policy_version,
                              sizeof b->sum->policy_version, diag);
  if (rc == CS_OK && !mkdtemp(b->tmp))
    return cs_diag_set(diag, CS_EIO, "%s: cannot create: %s", b->tmp, strerror(errno));
  if (rc == CS_OK) { /* mkdtemp makes 0700; a dataset is meant to be read by trainers */
    mode_t mask = umask(0);
    umask(mask);
    if (chmod(b->tmp, 0777 & ~mask) != 0) rc = cs_diag_set(diag, CS_EIO, "%s: chmod failed", b->tmp);
  }
  if (rc == CS_OK) rc = cs_snapshot_load(b->store, b->cfg, b->o->as_of, &b->snap, diag);
  if (rc == CS_OK) rc = open_redactor(b, diag);
  if (rc == CS_OK) rc = cs__build_gate_pass(b, inputs, n, diag);
  if (rc == CS_OK) rc = open_tokenizer(b, diag);
  if (rc == CS_OK) rc = cs__build_token_pass(b, diag);
  char staging[CS_BUILD_PATH];
  cs__build_path(b, "staging.jsonl", staging);
  if (rc == CS_OK && remove(staging) != 0) rc = cs_diag_set(diag, CS_EIO, "%s: cannot remove", staging);
  if (rc == CS_OK) totals(b);
  if (rc == CS_OK) rc = cs__build_manifest(b, diag);
  if (rc == CS_OK) rc = publish(b, diag);
  if (rc == CS_OK && b->o->decisions_path) return copy_decisions(b, diag);
  if (rc < 0 && b->tmp[0] && !strstr(b->tmp, "XXXXXX")) remove_tree(b->tmp);
  return rc;
}

int cs_dataset_build(cs_store_t *s, const cs_config_t *cfg, const cs_dataset_opts_t *opts,
                     const char *const *inputs, size_t n_inputs, cs_dataset_summary_t *out,
                     cs_diag_t *diag) {
  cs__build_t *b = calloc(1, sizeof *b);
  cs_dataset_summary_t sum;
  memset(&sum, 0, sizeof sum);
  if (!b) return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  b->store = s;
  b->cfg = cfg;
  b->o = opts;
  b->sum = &sum;
  int rc = check_opts(b, diag);
  if (rc == CS_OK) rc = run(b, inputs, n_inputs, diag);
  if (rc == CS_OK) *out = sum;
  cs_tokenizer_free(b->tok);
  cs_redactor_free(b->red);
  cs_snapshot_free(b->snap);
  cs__idtab_free(&b->seen);
  cs__idtab_free(&b->members);
  free(b->member_records);
  free(b->member_shard);
  cs_buf_free(&b->text);
  cs_buf_free(&b->line);
  free(b);
  return rc;
}
