/* redact.h — finding and replacing personal data in free text.
 *
 * A cs_redactor_t is built once: options, then the members known to the
 * ledger (cs_redactor_add_member), then cs_redactor_compile, which compiles
 * every pattern into one Hyperscan database and freezes the known-member
 * index. After compile it is immutable and may be shared by any number of
 * threads; each thread brings its own cs_redact_scratch_t (matcher scratch
 * and output buffers), so the hot path never locks or allocates once the
 * buffers have grown to the largest record seen.
 *
 * Pipeline, one pass per record: Hyperscan finds candidate spans of the
 * structured types; validators keep only real ones (Luhn, mod-97, SSN area
 * rules, per-country phone lengths, IPv4 octets, IPv6 syntax); a tokenizer
 * pass finds known members (name token sequences, @handles), other people's
 * names (name lists plus context) and street addresses; overlaps are resolved
 * by type priority then length; each kept span becomes "<TYPE>" or, with a
 * key, a keyed pseudonym "<TYPE_1a2b3c4d>" that is the same for the same
 * value under the same key. Replacement never splits a UTF-8 character, and
 * invalid UTF-8 passes through untouched.
 *
 * Offsets are byte offsets into the text, end exclusive. Matches carry types
 * and offsets only: nothing here ever logs or stores the matched values.
 * Buffers that held personal data are zeroed when they are released.
 */
#ifndef CONSENTRY_REDACT_H
#define CONSENTRY_REDACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <consentry/error.h>

/* The types, in the order used for priorities (earlier wins an overlap) and
 * for counts arrays. Names are the placeholder names: "<EMAIL>", ... */
typedef enum {
  CS_PII_EMAIL = 0,
  CS_PII_URL,
  CS_PII_IBAN,
  CS_PII_CREDIT_CARD,
  CS_PII_SSN,
  CS_PII_NINO,
  CS_PII_IP,
  CS_PII_PHONE,
  CS_PII_PERSON,
  CS_PII_ADDRESS,
  CS_PII_N_TYPES
} cs_pii_type_t;

/* "EMAIL", "URL", ...; NULL for an out-of-range value. */
const char *cs_pii_type_name(cs_pii_type_t t);
/* The type named s (exactly as cs_pii_type_name spells it), or CS_EINVAL. */
CS_MUST_USE int cs_pii_type_parse(const char *s, size_t len, cs_pii_type_t *out);

typedef struct {
  const uint8_t *key;  /* NULL: typed placeholders; else HMAC-SHA256 pseudonyms */
  size_t key_len;      /* at least CS_REDACT_KEY_MIN bytes when key is set */
  size_t max_pii;      /* a record with more matches is dropped; 0 = no limit */
  bool no_name_list;   /* true: only known members count as PERSON */
} cs_redact_opts_t;

#define CS_REDACT_KEY_MIN 16

typedef struct {
  cs_pii_type_t type;
  size_t start, end; /* byte offsets, end exclusive, on UTF-8 boundaries */
} cs_pii_match_t;

typedef struct {
  size_t counts[CS_PII_N_TYPES]; /* matches kept, per type */
  size_t n_matches;              /* their sum */
  bool dropped;                  /* more than max_pii: the record should go */
  bool changed;                  /* the output differs from the input */
} cs_redact_result_t;

typedef struct cs_redactor cs_redactor_t;
typedef struct cs_redact_scratch cs_redact_scratch_t;

/* A new, empty redactor. opts may be NULL (placeholders, no limit); the key
 * is copied and zeroed again by cs_redactor_free. */
CS_MUST_USE int cs_redactor_new(const cs_redact_opts_t *opts, cs_redactor_t **out,
                                cs_diag_t *diag);

/* Registers a member known to the ledger. Any argument may be NULL or empty.
 * The name is indexed as a case-insensitive token sequence (a one-token name
 * matches only when capitalised, so a member called "Will" does not eat the
 * verb); the handle matches as "@handle" in any case; member e-mails are
 * found by the EMAIL detector like every other address, so email is accepted
 * for symmetry with the ledger and not stored. Only hashes are kept: the
 * index never holds a member's name. Must precede cs_redactor_compile. */
CS_MUST_USE int cs_redactor_add_member(cs_redactor_t *r, const char *name, const char *handle,
                                       const char *email, cs_diag_t *diag);

/* Compiles the patterns and freezes the index. Call exactly once. */
CS_MUST_USE int cs_redactor_compile(cs_redactor_t *r, cs_diag_t *diag);

/* Members registered so far, and the bytes the redactor's indexes hold. */
size_t cs_redactor_members(const cs_redactor_t *r);
size_t cs_redactor_memory(const cs_redactor_t *r);

void cs_redactor_free(cs_redactor_t *r);

/* Per-thread working memory for a compiled redactor. */
CS_MUST_USE int cs_redact_scratch_new(const cs_redactor_t *r, cs_redact_scratch_t **out);
void cs_redact_scratch_free(cs_redact_scratch_t *s);

/* Finds the personal data in text[0, len): the kept, non-overlapping matches
 * in text order. *out_matches lives in the scratch until its next use. */
CS_MUST_USE int cs_redact_find(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *text,
                               size_t len, const cs_pii_match_t **out_matches,
                               size_t *out_n);

/* Finds and replaces. *out (not NUL-terminated, *out_len bytes) lives in the
 * scratch until its next use; when nothing matched it is the input itself.
 * res (may be NULL) receives the counts and the max_pii verdict. */
CS_MUST_USE int cs_redact_text(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *text,
                               size_t len, const char **out, size_t *out_len,
                               cs_redact_result_t *res);

/* One JSONL content record: parses line, redacts the string field "text"
 * (missing, null or empty text passes as is) and splices the result into the
 * raw line, so every other byte, field order included, is unchanged. A line
 * that is not one JSON object, or whose "text" is not a string, is CS_EINVAL
 * with the reason in diag (no value quoted). *out lives in the scratch. */
CS_MUST_USE int cs_redact_jsonl_line(const cs_redactor_t *r, cs_redact_scratch_t *s,
                                     const char *line, size_t len, const char **out,
                                     size_t *out_len, cs_redact_result_t *res, cs_diag_t *diag);

/* ---- Evaluation against labelled data ---------------------------------- */

/* Scoring follows presidio-research's span evaluator so that figures compare
 * with Presidio's published ones: text is split into tokens (words, and each
 * punctuation mark alone); a gold or predicted span covers the tokens it
 * overlaps; runs of tokens with one type form spans; tokens that are skip
 * words (punctuation, stop words, "street", "apt", "suite", ...) are dropped
 * from both, adjacent same-type spans separated only by skip words merge, and
 * a gold span is found when the same-type predictions overlapping it reach a
 * character IoU (over the normalised extents) of at least iou_threshold.
 * Unmatched predictions are false positives, except those overlapping a gold
 * span of a type that is not personal data for us (GPE, ORGANIZATION, ...),
 * which are counted per such type instead. Look-alikes (synth labels) count
 * as kept when no prediction overlaps them. */
typedef struct cs_redact_eval cs_redact_eval_t;

typedef struct {
  const char *label; /* ours ("EMAIL") or Presidio's ("EMAIL_ADDRESS", "GPE") */
  size_t start, end; /* byte offsets into the record's text */
} cs_eval_span_t;

typedef struct {
  size_t annotated, predicted, true_pos;
  double precision, recall, f1, f2;
} cs_eval_stats_t;

CS_MUST_USE int cs_redact_eval_new(double iou_threshold, cs_redact_eval_t **out);
void cs_redact_eval_free(cs_redact_eval_t *e);

/* A diagnostic for labelled benchmark data only: from now on every missed
 * gold span and every false-positive prediction is written to f (borrowed;
 * NULL stops it) as a line "MISS|FP TYPE start end [text around it]", text
 * quoted. Never use it on real records: it prints the values. */
void cs_redact_eval_set_misses(cs_redact_eval_t *e, FILE *f);

/* Scores one record. gold labels are mapped to our types (Presidio's names
 * too); unknown labels are "not personal data" types, tallied by name. */
CS_MUST_USE int cs_redact_eval_add(cs_redact_eval_t *e, const char *text, size_t len,
                                   const cs_eval_span_t *gold, size_t n_gold,
                                   const cs_eval_span_t *lookalikes, size_t n_lookalikes,
                                   const cs_pii_match_t *pred, size_t n_pred);

/* Per type; and over all our types together (micro-averaged). */
void cs_redact_eval_type(const cs_redact_eval_t *e, cs_pii_type_t t, cs_eval_stats_t *out);
void cs_redact_eval_total(const cs_redact_eval_t *e, cs_eval_stats_t *out);

/* Runs r over a labelled file and scores it: either synth labels.jsonl
 * (content_path names content.jsonl; NULL means the one beside labels) or
 * Presidio's JSON array of {full_text, spans}, told apart by content. */
CS_MUST_USE int cs_redact_eval_file(const cs_redactor_t *r, cs_redact_scratch_t *s,
                                    cs_redact_eval_t *e, const char *labels_path,
                                    const char *content_path, cs_diag_t *diag);

/* Writes the report (a table, or one JSON object with json) to f. */
CS_MUST_USE int cs_redact_eval_report(const cs_redact_eval_t *e, FILE *f, bool json);

#endif
