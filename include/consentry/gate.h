/* gate.h — the consent gate: content records in, decisions out.
 *
 * The gate streams JSONL content records ({id, member, kind, created_at,
 * visibility, text}) and decides each against a snapshot of the ledger as of
 * T for one purpose, with cs_eligibility_decide. It never holds more than one
 * line at a time, so memory stays flat however large the input is.
 *
 * A cs_gate_t borrows its snapshot and config (which must outlive it) and
 * owns small decoding buffers; use one gate per thread (they may share the
 * snapshot). Lines are validated as strict JSON but only the fields the rules
 * need are decoded.
 */
#ifndef CONSENTRY_GATE_H
#define CONSENTRY_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <consentry/error.h>
#include <consentry/policy.h>

typedef struct cs_gate cs_gate_t;

typedef struct {
  uint64_t records;                 /* content records read */
  uint64_t included;
  uint64_t by_reason[CS_N_REASONS]; /* by_reason[CS_REASON_INCLUDED] == included */
  uint64_t bytes_in;                /* input bytes, newlines included */
  uint64_t bytes_out;               /* bytes of included records written */
} cs_gate_stats_t;

/* One decided record. Pointers are into the gate's parsed line and valid
 * until the next call on the same gate. */
typedef struct {
  cs_reason_t reason;
  const char *id;
  size_t id_len;
  const char *member;
  size_t member_len;
  const char *text_raw; /* the text's JSON string contents, escapes not yet
                            decoded (see text_escaped); NULL when no text */
  size_t text_raw_len;
  bool text_escaped;
  cs_record_facts_t facts;
} cs_gate_decision_t;

CS_MUST_USE int cs_gate_new(const cs_snapshot_t *snap, const cs_config_t *cfg, size_t purpose,
                            cs_gate_t **out);
void cs_gate_free(cs_gate_t *g);

/* Parses, validates and decides one content line. Malformed records are
 * CS_EINVAL with "FILE:LINE: field: what was expected" in diag. */
CS_MUST_USE int cs_gate_decide_line(cs_gate_t *g, const char *file, size_t line_no,
                                    const char *line, size_t len, cs_gate_decision_t *out,
                                    cs_diag_t *diag);

typedef struct {
  FILE *included;  /* included records, byte for byte as read, one per line; may be NULL */
  FILE *decisions; /* {"id","member","included","reason"} per record in input order; may be NULL */
  /* Called after each chunk of about 1 MiB is written; may be NULL. */
  void (*progress)(void *ctx, const cs_gate_stats_t *so_far);
  void *progress_ctx;
} cs_gate_sinks_t;

/* Streams the files in order through the gate. Blank lines are skipped. On a
 * malformed line it stops with CS_EINVAL; what was written to the sinks
 * before then stays written (callers that need all-or-nothing output write to
 * a temporary file and rename it on success). Stats are added to *stats. */
CS_MUST_USE int cs_gate_run(cs_gate_t *g, const char *const *paths, size_t n_paths,
                            const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats,
                            cs_diag_t *diag);

/* cs_gate_run with `threads` workers, each with its own gate over the shared
 * snapshot, deciding ~1 MiB chunks of whole lines while the calling thread
 * reads and writes them in input order: the output is byte for byte what one
 * thread writes. threads <= 1 runs on the calling thread. */
CS_MUST_USE int cs_gate_run_threads(const cs_snapshot_t *snap, const cs_config_t *cfg,
                                    size_t purpose, unsigned threads, const char *const *paths,
                                    size_t n_paths, const cs_gate_sinks_t *sinks,
                                    cs_gate_stats_t *stats, cs_diag_t *diag);

#endif
