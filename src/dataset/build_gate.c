/* build_gate.c — dataset pass 1: gate, redact, de-duplicate, stage.
 *
 * Every input record gets a line in decisions.jsonl. An included record's
 * text is decoded, redacted when the purpose requires it, hashed (SHA-256)
 * and dropped if an identical text was kept before (DUPLICATE); otherwise it
 * is written to staging.jsonl with its member's shard, added to the Merkle
 * tree and counted for its member. Everything is in input order, so the
 * result does not depend on timing.
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/jscan.h"
#include "core/lines.h"
#include "dataset/build_int.h"
#include "dataset/gate_int.h"

#define VAL_SEED UINT64_C(0x76616c6964617465) /* "validate": independent of the shard hash */

/* The member's index in b->members, adding it (with its shard) when new. */
static int member_index(cs__build_t *b, const char *id, size_t len, uint32_t *out) {
  bool added;
  int rc = cs__idtab_add(&b->members, id, len, out, &added);
  if (rc < 0 || !added) return rc;
  if (*out >= b->member_cap) {
    size_t cap = b->member_cap ? b->member_cap * 2 : 4096;
    uint64_t *r = realloc(b->member_records, cap * sizeof *r);
    if (r) b->member_records = r;
    int *s = r ? realloc(b->member_shard, cap * sizeof *s) : NULL;
    if (!r || !s) return CS_ENOMEM;
    b->member_shard = s;
    b->member_cap = cap;
  }
  bool val = XXH3_64bits_withSeed(id, len, VAL_SEED) % 1000 < b->val_permille;
  int shard = val ? -1 : (int)(XXH3_64bits(id, len) % b->shards);
  b->member_records[*out] = 0;
  b->member_shard[*out] = shard;
  b->shard[val ? b->shards : (unsigned)shard].members++;
  return CS_OK;
}

/* The record's text, decoded and (if required) redacted. */
static int final_text(cs__build_t *b, const cs_gate_decision_t *d, const char **out,
                      size_t *out_len, cs_diag_t *diag) {
  b->text.len = 0;
  if (d->text_raw && cs_buf_reserve(&b->text, d->text_raw_len + 1) < 0)
    return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  size_t n = 0;
  if (d->text_raw && cs_jscan_unescape(d->text_raw, d->text_raw_len, b->text.p, b->text.cap, &n) < 0)
    return cs_diag_set(diag, CS_EINTERNAL, "dataset: text did not fit its buffer");
  *out = b->text.p ? b->text.p : "";
  *out_len = n;
  if (!b->red) return CS_OK;
  cs_redact_result_t res;
  int rc = cs_redact_text(b->red, b->rs, *out, n, out, out_len, &res);
  if (rc < 0) return cs_diag_set(diag, rc, "dataset: redaction failed: %s", cs_strerror(rc));
  b->sum->redactions += res.n_matches;
  return CS_OK;
}

static int stage(cs__build_t *b, FILE *staging, const cs_gate_decision_t *d, const char *text,
                 size_t len, int shard) {
  cs_buf_t *l = &b->line;
  char created[CS_TIME_STR_MAX];
  cs_time_format(d->facts.created_at, created);
  l->len = 0;
  int rc = cs_buf_puts(l, "{\"record\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(l, d->id, d->id_len);
  if (rc == CS_OK) rc = cs_buf_puts(l, ",\"member\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(l, d->member, d->member_len);
  if (rc == CS_OK)
    rc = cs_buf_printf(l, ",\"shard\":%d,\"created_at\":\"%s\",\"kind\":\"%s\",\"visibility\":\"%s\",\"text\":",
                       shard, created, cs_kind_name(d->facts.kind),
                       cs_visibility_name(d->facts.visibility));
  if (rc == CS_OK) rc = cs_buf_put_json_str(l, text, len);
  if (rc == CS_OK) rc = cs_buf_puts(l, "}\n");
  if (rc == CS_OK && fwrite(l->p, 1, l->len, staging) != l->len) rc = CS_EIO;
  return rc;
}

/* Everything that happens to one record the gate included. */
static int keep(cs__build_t *b, FILE *staging, const cs_gate_decision_t *d, const char **reason,
                cs_diag_t *diag) {
  const char *text;
  size_t len;
  int rc = final_text(b, d, &text, &len, diag);
  if (rc < 0) return rc;
  uint8_t hash[CS_SHA256_LEN];
  cs_sha256(text, len, hash);
  uint32_t idx;
  bool added;
  /* The first 128 bits of the SHA-256 fit inline in the id table (no arena
   * copy); a false duplicate would need a 2^-128 collision. */
  if (cs__idtab_add(&b->seen, (const char *)hash, 16, &idx, &added) < 0)
    return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  if (!added) {
    b->sum->duplicates++;
    *reason = "DUPLICATE";
    return CS_OK;
  }
  if (member_index(b, d->member, d->member_len, &idx) < 0)
    return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  b->member_records[idx]++;
  int shard = b->member_shard[idx];
  b->shard[shard < 0 ? b->shards : (unsigned)shard].records++;
  cs_merkle_add(&b->merkle, d->id, d->id_len, hash);
  if (stage(b, staging, d, text, len, shard) < 0)
    return cs_diag_set(diag, CS_EIO, "dataset: writing staging.jsonl failed");
  return CS_OK;
}

static int gate_file(cs__build_t *b, const char *path, FILE *staging, FILE *decisions,
                     cs_diag_t *diag) {
  cs_lines_t *r = NULL;
  int rc = cs_lines_open(path, &r, diag);
  const char *line;
  size_t len;
  cs_buf_t dec = {0};
  while (rc == CS_OK && (rc = cs_lines_next(r, &line, &len, diag)) == 1) {
    rc = CS_OK;
    if (len == 0 || (len == 1 && line[0] == '\r')) continue;
    cs_gate_decision_t d;
    if ((rc = cs_gate_decide_line(b->gate, path, cs_lines_number(r), line, len, &d, diag)) < 0)
      break;
    b->sum->records_in++;
    b->sum->by_reason[d.reason]++;
    const char *reason = cs_reason_name(d.reason);
    if (d.reason == CS_REASON_INCLUDED && (rc = keep(b, staging, &d, &reason, diag)) < 0) break;
    dec.len = 0;
    if (cs__gate_put_decision(&dec, d.id, d.id_len, d.member, d.member_len, reason) < 0 ||
        fwrite(dec.p, 1, dec.len, decisions) != dec.len)
      rc = cs_diag_set(diag, CS_EIO, "dataset: writing decisions.jsonl failed");
    if (b->o->progress && (b->sum->records_in & 4095) == 0) {
      cs_dataset_progress_t p = {1, b->sum->records_in, b->sum->bytes_in + cs_lines_bytes(r)};
      b->o->progress(b->o->progress_ctx, &p);
    }
  }
  if (r) b->sum->bytes_in += cs_lines_bytes(r);
  cs_buf_free(&dec);
  cs_lines_close(r);
  return rc < 0 ? rc : CS_OK;
}

int cs__build_gate_pass(cs__build_t *b, const char *const *inputs, size_t n, cs_diag_t *diag) {
  char sp[CS_BUILD_PATH], dp[CS_BUILD_PATH];
  cs__build_path(b, "staging.jsonl", sp);
  cs__build_path(b, "decisions.jsonl", dp);
  FILE *staging = fopen(sp, "wb"), *decisions = fopen(dp, "wb");
  int rc = staging && decisions ? CS_OK : cs_diag_set(diag, CS_EIO, "%s: cannot create", b->tmp);
  if (rc == CS_OK) {
    setvbuf(staging, NULL, _IOFBF, 1 << 20);
    setvbuf(decisions, NULL, _IOFBF, 1 << 20);
  }
  cs_merkle_init(&b->merkle);
  for (size_t i = 0; rc == CS_OK && i < n; i++) rc = gate_file(b, inputs[i], staging, decisions, diag);
  if (staging && fclose(staging) != 0 && rc == CS_OK)
    rc = cs_diag_set(diag, CS_EIO, "%s: write failed", sp);
  if (decisions && fclose(decisions) != 0 && rc == CS_OK)
    rc = cs_diag_set(diag, CS_EIO, "%s: write failed", dp);
  cs_merkle_root_hex(&b->merkle, b->sum->merkle_root);
  return rc;
}
