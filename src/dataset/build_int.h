/* build_int.h — the dataset build's shared state (internal).
 *
 * build.c runs the phases and publishes the result; build_gate.c is pass 1
 * (gate, redact, de-duplicate, stage); build_tokens.c is pass 2 (tokenize
 * into member shards); manifest.c hashes the files and writes manifest.json.
 */
#ifndef CS_DATASET_BUILD_INT_H
#define CS_DATASET_BUILD_INT_H

#include <stdio.h>

#include <consentry/dataset.h>
#include <consentry/gate.h>
#include <consentry/merkle.h>
#include <consentry/redact.h>
#include <consentry/tokenizer.h>

#include "core/buf.h"
#include "policy/idtable.h"

#define CS_BUILD_MAX_SHARDS 256 /* two files per shard stay open while tokenizing */
#define CS_BUILD_PATH 4096

typedef struct {
  uint64_t records, tokens, members;
} cs__shard_count_t;

typedef struct {
  cs_store_t *store;
  const cs_config_t *cfg;
  const cs_dataset_opts_t *o;
  size_t purpose;
  unsigned shards, val_permille;
  unsigned threads;            /* workers for the gate/redact and tokenize passes */
  char tmp[CS_BUILD_PATH];     /* the directory being built */
  cs_snapshot_t *snap;
  cs_redactor_t *red;          /* NULL when the purpose needs no redaction; shared by workers */
  cs_tokenizer_t *tok;
  bool tok_trained;            /* trained here and saved in tmp/tokenizer */
  cs__idtab_t seen;            /* SHA-256 of every kept text: exact de-duplication */
  cs__idtab_t members;         /* member id -> index into member_records / member_shard */
  uint64_t *member_records;
  int *member_shard;           /* shard index, or -1 for validation */
  size_t member_cap;
  cs_merkle_t merkle;
  cs__shard_count_t shard[CS_BUILD_MAX_SHARDS + 1]; /* [shards] is validation */
  cs_buf_t text, line;         /* scratch of the token pass */
  cs_dataset_summary_t *sum;
} cs__build_t;

/* tmp/NAME into out (CS_BUILD_PATH bytes). */
void cs__build_path(const cs__build_t *b, const char *name, char *out);
/* "train_007.bin" / "val.bin", and their index names. */
void cs__build_shard_name(unsigned k, unsigned shards, bool index, char *out, size_t cap);

CS_MUST_USE int cs__build_gate_pass(cs__build_t *b, const char *const *inputs, size_t n,
                                    cs_diag_t *diag);
CS_MUST_USE int cs__build_token_pass(cs__build_t *b, cs_diag_t *diag);
/* Writes tmp/manifest.json and sets b->sum->id to its SHA-256. */
CS_MUST_USE int cs__build_manifest(cs__build_t *b, cs_diag_t *diag);

#endif
