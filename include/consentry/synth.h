/* synth.h — a synthetic professional network, deterministic by seed.
 *
 * cs_synth_run writes three JSONL files into a directory:
 *  - facts.jsonl    the ledger facts of DESIGN.md: one policy first, every
 *                   member fact before any other fact about that member;
 *  - content.jsonl  content records {id, member, kind, created_at,
 *                   visibility, text} in varied English;
 *  - labels.jsonl   one line per content record, same order:
 *                   {"id":..,"spans":[{"type","start","end"}],"lookalikes":[..]}
 *                   with offsets in Unicode code points into the decoded
 *                   text, end exclusive: every piece of personal data planted
 *                   (spans) and every planted look-alike that is NOT personal
 *                   data (lookalikes).
 * The same options give byte-identical files on every machine. Files are
 * written as DIR/.NAME.tmp and renamed into place only when all three are
 * complete; on failure the temporaries are removed. docs/SYNTH.md describes
 * the distributions.
 *
 * Thread safety: cs_synth_run keeps all its state in locals; concurrent calls
 * with different output directories are safe.
 */
#ifndef CONSENTRY_SYNTH_H
#define CONSENTRY_SYNTH_H

#include <stdint.h>

#include <consentry/error.h>

/* Label types, in labels.jsonl spelling. The first CS_SYNTH_N_PII are
 * personal data; the rest are look-alikes. */
typedef enum {
  CS_LABEL_EMAIL,
  CS_LABEL_PHONE,
  CS_LABEL_URL,
  CS_LABEL_IP,
  CS_LABEL_CREDIT_CARD,
  CS_LABEL_IBAN,
  CS_LABEL_SSN,
  CS_LABEL_NINO,
  CS_LABEL_PERSON,
  CS_LABEL_ADDRESS,
  CS_LABEL_DATE, /* look-alikes from here on */
  CS_LABEL_VERSION,
  CS_LABEL_PERCENT,
  CS_LABEL_MONEY,
  CS_LABEL_ORDER_NUMBER,
  CS_LABEL_ISO_STANDARD,
  CS_LABEL_COMPANY,
  CS_LABEL_CITY,
  CS_N_LABELS
} cs_label_t;

#define CS_SYNTH_N_PII 10

/* "EMAIL", ..., "CITY"; NULL for an out-of-range value. */
const char *cs_label_name(cs_label_t t);

#define CS_SYNTH_MAX_MEMBERS UINT64_C(50000000)
#define CS_SYNTH_MAX_RECORDS UINT64_C(10000000000)

typedef struct {
  uint64_t members;  /* 1 .. CS_SYNTH_MAX_MEMBERS */
  uint64_t records;  /* 0 .. CS_SYNTH_MAX_RECORDS */
  uint64_t seed;     /* any value; same seed, same bytes */
  const char *out_dir; /* created (with parents) if missing */
  /* Optional: called now and then with records written so far (never from
   * another thread); NULL for none. */
  void (*progress)(void *ctx, uint64_t done, uint64_t total);
  void *progress_ctx;
} cs_synth_opts_t;

typedef struct {
  uint64_t members;  /* member facts written */
  uint64_t records;  /* content records written */
  uint64_t facts;    /* fact lines written, the policy and members included */
  uint64_t pii_records; /* records with at least one personal-data span */
  uint64_t bytes;    /* bytes of the three files together */
  double seconds;    /* wall-clock time of the run */
} cs_synth_stats_t;

/* Generates the platform. CS_EINVAL for options out of range, CS_EIO when a
 * file cannot be created or written (diag names it), CS_ENOMEM. stats may be
 * NULL. */
CS_MUST_USE int cs_synth_run(const cs_synth_opts_t *opts, cs_synth_stats_t *stats,
                             cs_diag_t *diag);

#endif
