/* redactor.c — the public redactor: build, scratch, and the per-record pass.
 *
 * One record is processed in one pass of each stage: a Hyperscan scan for
 * the structured types, their validators, one tokenization shared by the
 * member, name and address detectors, overlap resolution, and rendering. The
 * redactor is read-only after compile; everything a record needs lives in
 * the caller's scratch, which is what makes sharing across threads safe.
 */
#include "redact/internal.h"

#include <json-c/json.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct cs_redactor {
  uint8_t *key;           /* copy of the pseudonym key, zeroed on free */
  size_t key_len, max_pii;
  bool no_name_list;
  bool compiled;
  hs_database_t *dbs[CS_HSDB_N]; /* the anchors; numeric and alphanumeric patterns,
                                    scanned only over windows (internal.h) */
  hs_scratch_t *proto;    /* cloned into each scratch; fits all three databases */
  cs__members_t members;
  cs__names_t names;
  cs__addr_t addr;
};

struct cs_redact_scratch {
  hs_scratch_t *hs;
  cs__cand_t *cands;
  size_t n_cands, cap_cands;
  int cand_err;
  size_t cand_base;       /* offset of the window being scanned */
  const char *win;        /* the window on_scan's database is scanning */
  cs__tok_t *toks;
  size_t n_toks, cap_toks;
  cs__mvec_t m;
  cs__buf_t out, line;
  cs__buf_t text;         /* a record's decoded text, when its JSON has escapes */
  cs__buf_t pad;          /* the record between guard bytes, for hs_scan */
  json_tokener *tok;
};

/* Hyperscan 5.4's AVX512VBMI literal matcher can read past the end of the
 * buffer it scans (vectorscan issue #322; seen here by the fuzzer as a SEGV
 * when a record ends at a page boundary). Records are therefore scanned from
 * a copy with PAD guard bytes on both sides; offsets are unaffected. The
 * tokenizer reads the same copy (cs__tokenize_padded). */
#define PAD 64

static const char *const type_names[CS_PII_N_TYPES] = {
    "EMAIL", "URL", "IBAN", "CREDIT_CARD", "SSN", "NINO", "IP", "PHONE", "PERSON", "ADDRESS"};

const char *cs_pii_type_name(cs_pii_type_t t) {
  return (unsigned)t < CS_PII_N_TYPES ? type_names[t] : NULL;
}

int cs_pii_type_parse(const char *s, size_t len, cs_pii_type_t *out) {
  for (int i = 0; i < CS_PII_N_TYPES; i++)
    if (strlen(type_names[i]) == len && memcmp(type_names[i], s, len) == 0) {
      *out = (cs_pii_type_t)i;
      return CS_OK;
    }
  return CS_EINVAL;
}

int cs_redactor_new(const cs_redact_opts_t *opts, cs_redactor_t **out, cs_diag_t *diag) {
  if (sodium_init() < 0) return cs_diag_set(diag, CS_EINTERNAL, "libsodium failed to start");
  if (opts && opts->key && opts->key_len < CS_REDACT_KEY_MIN)
    return cs_diag_set(diag, CS_EINVAL, "pseudonym key: expected at least %d bytes, got %zu",
                       CS_REDACT_KEY_MIN, opts->key_len);
  cs_redactor_t *r = calloc(1, sizeof *r);
  if (!r) return cs_diag_set(diag, CS_ENOMEM, "out of memory");
  if (opts) {
    r->max_pii = opts->max_pii;
    r->no_name_list = opts->no_name_list;
    if (opts->key) {
      r->key = malloc(opts->key_len);
      if (!r->key) {
        free(r);
        return cs_diag_set(diag, CS_ENOMEM, "out of memory");
      }
      memcpy(r->key, opts->key, opts->key_len);
      r->key_len = opts->key_len;
    }
  }
  *out = r;
  return CS_OK;
}

int cs_redactor_add_member(cs_redactor_t *r, const char *name, const char *handle,
                           const char *email, cs_diag_t *diag) {
  (void)email; /* found by the EMAIL detector, see redact.h */
  if (r->compiled)
    return cs_diag_set(diag, CS_EINVAL, "redactor: members must be added before compile");
  int rc = cs__members_add(&r->members, name, handle);
  if (rc < 0) return cs_diag_set(diag, rc, "member index: %s", cs_strerror(rc));
  return CS_OK;
}

int cs_redactor_compile(cs_redactor_t *r, cs_diag_t *diag) {
  if (r->compiled) return cs_diag_set(diag, CS_EINVAL, "redactor: already compiled");
  int rc = cs__patterns_compile(r->dbs, diag);
  if (rc < 0) return rc;
  for (int k = 0; k < CS_HSDB_N; k++)
    if (hs_alloc_scratch(r->dbs[k], &r->proto) != HS_SUCCESS) goto nomem;
  if (cs__names_build(&r->names) < 0 || cs__addr_build(&r->addr) < 0) goto nomem;
  r->compiled = true;
  return CS_OK;
nomem:
  hs_free_scratch(r->proto);
  r->proto = NULL;
  for (int k = 0; k < CS_HSDB_N; k++) {
    hs_free_database(r->dbs[k]);
    r->dbs[k] = NULL;
  }
  cs__names_free(&r->names);
  return cs_diag_set(diag, CS_ENOMEM, "redactor: out of memory while compiling");
}

size_t cs_redactor_members(const cs_redactor_t *r) { return r->members.n_members; }

size_t cs_redactor_memory(const cs_redactor_t *r) {
  size_t db = 0;
  for (int k = 0; k < CS_HSDB_N; k++) {
    size_t sz = 0;
    if (r->dbs[k] && hs_database_size(r->dbs[k], &sz) == HS_SUCCESS) db += sz;
  }
  return db + cs__members_bytes(&r->members) + cs__hset_bytes(&r->names.words) +
         cs__hset_bytes(&r->names.places) + cs__hset_bytes(&r->names.ctx) +
         cs__hset_bytes(&r->addr.words);
}

void cs_redactor_free(cs_redactor_t *r) {
  if (!r) return;
  if (r->key) sodium_memzero(r->key, r->key_len);
  free(r->key);
  hs_free_scratch(r->proto);
  for (int k = 0; k < CS_HSDB_N; k++) hs_free_database(r->dbs[k]);
  cs__members_free(&r->members);
  cs__names_free(&r->names);
  cs__addr_free(&r->addr);
  free(r);
}

int cs_redact_scratch_new(const cs_redactor_t *r, cs_redact_scratch_t **out) {
  if (!r->compiled) return CS_EINVAL;
  cs_redact_scratch_t *s = calloc(1, sizeof *s);
  if (!s) return CS_ENOMEM;
  s->tok = json_tokener_new();
  if (!s->tok || hs_clone_scratch(r->proto, &s->hs) != HS_SUCCESS) {
    cs_redact_scratch_free(s);
    return CS_ENOMEM;
  }
  *out = s;
  return CS_OK;
}

void cs_redact_scratch_free(cs_redact_scratch_t *s) {
  if (!s) return;
  hs_free_scratch(s->hs);
  free(s->cands);
  free(s->toks);
  if (s->m.v) sodium_memzero(s->m.v, s->m.cap * sizeof *s->m.v);
  free(s->m.v);
  cs__buf_free(&s->out);
  cs__buf_free(&s->line);
  cs__buf_free(&s->text);
  cs__buf_free(&s->pad);
  if (s->tok) json_tokener_free(s->tok);
  free(s);
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx) {
  cs_redact_scratch_t *s = ctx;
  (void)flags;
  if (s->n_cands == s->cap_cands) {
    size_t nc = s->cap_cands ? s->cap_cands * 2 : 256;
    cs__cand_t *nv = realloc(s->cands, nc * sizeof *nv);
    if (!nv) {
      s->cand_err = CS_ENOMEM;
      return 1; /* stop the scan */
    }
    s->cands = nv;
    s->cap_cands = nc;
  }
  s->cands[s->n_cands++] =
      (cs__cand_t){id, s->cand_base + (size_t)from, s->cand_base + (size_t)to};
  return 0;
}

/* The anchors carry no start of match (Hyperscan reports 0): their
 * validators grow the span from the end, and candidates of one anchor
 * pattern form one group (cs__patterns_validate), wherever the window. */
static int on_anchor(unsigned int id, unsigned long long from, unsigned long long to,
                     unsigned int flags, void *ctx) {
  cs_redact_scratch_t *s = ctx;
  int rc = on_match(id, from, to, flags, ctx);
  if (rc == 0) s->cands[s->n_cands - 1].start = 0;
  return rc;
}

/* For the numeric and alphanumeric databases, some of whose patterns
 * report no start (OWN_START in pattern_table.h): it is found in the
 * window being scanned, s->win, as Hyperscan's leftmost start would have
 * been. */
static int on_scan(unsigned int id, unsigned long long from, unsigned long long to,
                   unsigned int flags, void *ctx) {
  cs_redact_scratch_t *s = ctx;
  return on_match(id, cs__patterns_start(id, s->win, (size_t)from, (size_t)to), to, flags, ctx);
}

static int scan_patterns(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *text,
                         size_t len) {
  s->n_cands = 0;
  s->cand_err = CS_OK;
  s->pad.len = 0;
  if (len > SIZE_MAX - 2 * PAD) return CS_ERANGE;
  int rc = cs__buf_reserve(&s->pad, len + 2 * PAD);
  if (rc < 0) return rc;
  /* fixed-size zeroing is inlined; one copy of variable size */
  memset(s->pad.buf, 0, PAD);
  memcpy(s->pad.buf + PAD, text, len);
  memset(s->pad.buf + PAD + len, 0, PAD);
  s->pad.len = len + 2 * PAD;
  hs_error_t he = HS_SUCCESS;
  text = s->pad.buf + PAD; /* the same bytes; the window finders read past the end */
  /* the anchors over the text around '@', "://" and '.' + letter */
  for (size_t from = 0, ws, we;
       he == HS_SUCCESS && !s->cand_err && cs__anchor_window(text, len, &from, &ws, &we);) {
    s->cand_base = ws;
    he = hs_scan(r->dbs[CS_HSDB_MAIN], s->pad.buf + PAD + ws, (unsigned)(we - ws), 0, s->hs,
                 on_anchor, s);
  }
  /* IPv6, IBAN, NINO and postcodes over the text around digits and ':'
   * (cs__alnum_window: the same matches as over the whole record) */
  for (size_t from = 0, ws, we;
       he == HS_SUCCESS && !s->cand_err && cs__alnum_window(text, len, &from, &ws, &we);) {
    s->cand_base = ws;
    s->win = s->pad.buf + PAD + ws;
    he = hs_scan(r->dbs[CS_HSDB_ALNUM], s->win, (unsigned)(we - ws), 0, s->hs, on_scan, s);
  }
  /* The numeric patterns only over the stretches that can hold a match,
   * each with the character either side for its \b (a match never starts
   * or ends on it: neither is a digit or " -./()+"). Stretches less than
   * NUM_GAP bytes apart are scanned as one range: every match lies inside
   * one stretch, so the bytes between add none, and one call costs less
   * than two (a call has a fixed cost of some hundred bytes' scanning). */
  enum { NUM_GAP = 256, CARD_DIGITS = 12 };
  size_t from = 0, ws, we, digits = 0, ra = 0, rb = 0;
  bool open = false, card = false;
  for (;;) {
    bool more = he == HS_SUCCESS && !s->cand_err &&
                cs__numeric_window(text, len, &from, &ws, &we, &digits);
    size_t a = more && ws > 0 ? ws - 1 : 0, b = more && we < len ? we + 1 : len;
    if (open && (!more || a > rb + NUM_GAP)) {
      s->cand_base = ra;
      s->win = s->pad.buf + PAD + ra;
      he = hs_scan(r->dbs[CS_HSDB_NUM], s->win, (unsigned)(rb - ra), 0, s->hs, on_scan, s);
      /* a card number's digits all lie in one stretch: twelve at least */
      if (card && he == HS_SUCCESS && !s->cand_err)
        he = hs_scan(r->dbs[CS_HSDB_CARD], s->win, (unsigned)(rb - ra), 0, s->hs, on_scan, s);
      open = card = false;
    }
    if (!more || he != HS_SUCCESS || s->cand_err) break;
    if (!open) ra = a;
    rb = b;
    open = true;
    card = card || digits >= CARD_DIGITS;
  }
  if (s->cand_err) return s->cand_err;
  if (he != HS_SUCCESS) return CS_EINTERNAL;
  return cs__patterns_validate(text, len, s->cands, s->n_cands, &s->m);
}

int cs_redact_find(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *text,
                   size_t len, const cs_pii_match_t **out_matches, size_t *out_n) {
  if (!r->compiled) return CS_EINVAL;
  if (len > UINT32_MAX) return CS_ERANGE;
  s->m.n = 0;
  int rc = len ? scan_patterns(r, s, text, len) : CS_OK;
  /* the tokenizer reads the padded copy scan_patterns made (PAD zeros after
   * the text): its word-at-a-time path then reaches the record's end */
  if (rc == CS_OK)
    rc = len ? cs__tokenize_padded(s->pad.buf + PAD, len, &s->toks, &s->n_toks, &s->cap_toks)
             : cs__tokenize(text, len, &s->toks, &s->n_toks, &s->cap_toks);
  if (rc == CS_OK) rc = cs__members_find(&r->members, text, len, s->toks, s->n_toks, &s->m);
  bool lower = false; /* a record in lower case throughout (names.c) */
  if (rc == CS_OK) lower = cs__names_tag(&r->names, text, s->toks, s->n_toks); /* addresses use it too */
  /* addresses first: they flag the towns after a street, which are no people */
  if (rc == CS_OK) rc = cs__addr_find(&r->addr, &r->names, text, len, s->toks, s->n_toks, &s->m);
  if (rc == CS_OK && !r->no_name_list)
    rc = cs__names_find(&r->names, text, len, s->toks, s->n_toks, lower, &s->m);
  if (rc < 0) return rc;
  cs__resolve(&s->m, text, len);
  *out_matches = s->m.v;
  *out_n = s->m.n;
  return CS_OK;
}

int cs__redact_result(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *text,
                      size_t len, const cs_pii_match_t **m, size_t *n, cs_redact_result_t *res) {
  int rc = cs_redact_find(r, s, text, len, m, n);
  if (rc < 0) return rc;
  memset(res, 0, sizeof *res);
  for (size_t i = 0; i < *n; i++) res->counts[(*m)[i].type]++;
  res->n_matches = *n;
  res->dropped = r->max_pii && *n > r->max_pii;
  res->changed = *n > 0;
  return CS_OK;
}

int cs__redact_render_json(const cs_redactor_t *r, const char *text, size_t len,
                           const cs_pii_match_t *m, size_t n, cs__buf_t *out) {
  return cs__render(r->key, r->key_len, text, len, m, n, true, out);
}

int cs_redact_text(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *text,
                   size_t len, const char **out, size_t *out_len, cs_redact_result_t *res) {
  const cs_pii_match_t *m;
  size_t n;
  cs_redact_result_t local;
  int rc = cs__redact_result(r, s, text, len, &m, &n, res ? res : &local);
  if (rc < 0) return rc;
  if (n == 0) {
    *out = text;
    *out_len = len;
    return CS_OK;
  }
  rc = cs__render(r->key, r->key_len, text, len, m, n, false, &s->out);
  if (rc < 0) return rc;
  *out = s->out.buf;
  *out_len = s->out.len;
  return CS_OK;
}

/* Exposed to jsonl.c: the tokener and line buffer of a scratch. */
json_tokener *cs__scratch_tokener(cs_redact_scratch_t *s) { return s->tok; }
cs__buf_t *cs__scratch_line(cs_redact_scratch_t *s) { return &s->line; }
cs__buf_t *cs__scratch_text(cs_redact_scratch_t *s) { return &s->text; }
