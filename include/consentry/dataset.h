/* dataset.h — consent-gated, reproducible training datasets.
 *
 * cs_dataset_build streams content through the gate (as of T, for one
 * purpose), redacts personal data where the purpose requires it, drops exact
 * duplicates (same text after redaction), tokenizes with a given tokenizer or
 * one trained on the gated text, and writes:
 *   train_NNN.bin  token shards in llm.c's layout, one per member shard: every
 *                  record of a member lands in shard XXH3(member) mod S
 *   val.bin        the validation split, chosen by member (no member is in both)
 *   *.idx.jsonl    per shard, one line per document: record, member, the
 *                  record's created_at/kind/visibility, offset and tokens
 *   decisions.jsonl every input record's fate (INCLUDED, a reason, or DUPLICATE)
 *   tokenizer/     the tokenizer, when it was trained for this dataset
 *   manifest.json  what it is, under which policy and config, counts by
 *                  reason, files with SHA-256, the Merkle root of the included
 *                  (record id, content hash) pairs
 * into a temporary directory renamed into place at the end, and registers it
 * in the ledger (lineage) with the members it included. The same ledger,
 * content, T and options give a byte-identical directory.
 *
 * Not thread-safe: one build per store at a time.
 */
#ifndef CONSENTRY_DATASET_H
#define CONSENTRY_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>
#include <consentry/policy.h>
#include <consentry/store.h>
#include <consentry/time.h>

#define CS_DATASET_FORMAT "consentry-dataset/1"

typedef struct {
  int phase;           /* 1: gating and redacting, 2: training the tokenizer, 3: tokenizing */
  uint64_t records;    /* records done in this phase */
  uint64_t bytes;      /* input bytes done in this phase */
} cs_dataset_progress_t;

typedef struct {
  const char *purpose;
  cs_time_t as_of;
  const char *out_dir;       /* must not exist yet */
  const char *tokenizer_dir; /* NULL: train one on the gated text */
  size_t vocab;              /* when training; 0 means 4096 */
  unsigned shards;           /* member shards; 0 means 4 */
  unsigned val_permille;     /* members held out for validation, per 1000; default 50 */
  bool val_set;              /* val_permille was given (0 is then a valid choice) */
  const char *decisions_path; /* also write decisions.jsonl here (as the gate's --decisions); NULL */
  unsigned threads;          /* worker threads (0 or 1: the calling thread); output is the same */
  void (*progress)(void *ctx, const cs_dataset_progress_t *p); /* may be NULL */
  void *progress_ctx;
} cs_dataset_opts_t;

typedef struct {
  char id[65];              /* the dataset's id: SHA-256 of its manifest.json */
  char merkle_root[65];
  char policy_version[128];
  uint64_t records_in;      /* content records read */
  uint64_t by_reason[CS_N_REASONS];
  uint64_t duplicates;      /* included by the gate, dropped as exact duplicates */
  uint64_t redactions;      /* personal-data spans replaced */
  uint64_t records, members, tokens;     /* in the dataset (train + val) */
  uint64_t val_records, val_members;
  uint64_t bytes_in;
} cs_dataset_summary_t;

/* Where a member's records go in a dataset of `shards` train shards with
 * `val_permille` per mille of members held out: the train shard index, or -1
 * for the validation split. A pure function of the member id (thread-safe);
 * the builder and the usage report ("which shard holds my data") share it. */
int cs_dataset_member_shard(const char *id, size_t len, unsigned shards, unsigned val_permille);

CS_MUST_USE int cs_dataset_build(cs_store_t *s, const cs_config_t *cfg,
                                 const cs_dataset_opts_t *opts, const char *const *inputs,
                                 size_t n_inputs, cs_dataset_summary_t *out, cs_diag_t *diag);

/* ---- Reading a dataset back ------------------------------------------- */

/* One document as a dataset holds it. Strings are valid during the callback. */
typedef struct {
  const char *split;   /* "train" or "val" */
  unsigned shard;      /* train shard number (0 for val) */
  uint64_t seq;        /* position in the build's input order */
  const char *record, *member, *created_at, *kind, *visibility;
  uint64_t offset, tokens; /* where its tokens are in the shard (tokens include <|endoftext|>) */
  const char *text;    /* the decoded text the model sees */
  size_t text_len;
} cs_dataset_doc_t;

#define CS_DATASET_ALL_SHARDS (-1)
#define CS_DATASET_VAL (-2)

/* Calls fn for every document of one shard (K), of the validation split
 * (CS_DATASET_VAL) or of all (train shards in order, then val), decoding the
 * tokens with the dataset's own tokenizer. A non-zero fn return stops. */
CS_MUST_USE int cs_dataset_each_doc(const char *dir, int shard,
                                    int (*fn)(void *ctx, const cs_dataset_doc_t *d), void *ctx,
                                    cs_diag_t *diag);

typedef struct {
  char id[65];              /* SHA-256 of manifest.json */
  uint64_t files_checked, docs_checked;
  uint64_t problems;        /* 0: everything holds */
} cs_dataset_verify_t;

/* Recomputes every file hash and the Merkle root, checks them against the
 * manifest, checks that the ledger has the dataset with the same members and
 * that every document is still allowed for its purpose as of the dataset's
 * time under the ledger's current facts. Each problem is passed to report
 * (may be NULL) as one line of text. CS_OK even with problems; callers read
 * out->problems. */
CS_MUST_USE int cs_dataset_verify(cs_store_t *s, const cs_config_t *cfg, const char *dir,
                                  void (*report)(void *ctx, const char *problem), void *ctx,
                                  cs_dataset_verify_t *out, cs_diag_t *diag);

#endif
