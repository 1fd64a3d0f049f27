/* internal.h — what the redaction engine's files share (not public).
 *
 * Layout of the engine:
 *   patterns.c  the Hyperscan pattern table, compile, scan into candidates
 *   windows.c   the stretches of a record each Hyperscan database scans
 *   validate.c  checksums and syntax checks that turn candidates into matches
 *   tokens.c    the word tokenizer, UTF-8 lower-casing and token hashes
 *   htab.c      the open-addressing hash sets behind every name index
 *   members.c   known members: token-sequence and @handle index
 *   names.c     other people's names: name lists plus context
 *   names_data.c  the given-name and surname lists (generated, see data/)
 *   address.c   street addresses and postcodes
 *   resolve.c   overlap resolution
 *   render.c    placeholders and keyed pseudonyms
 *   redactor.c  the public object, scratch and the per-record pipeline
 *   jsonl.c     splicing redacted text back into a raw JSONL line
 *   eval*.c     scoring against labelled data
 */
#ifndef CS_REDACT_INTERNAL_H
#define CS_REDACT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include <consentry/redact.h>

/* ---- hash sets (htab.c) ---- */

/* A set of non-zero 64-bit keys, each with an 8-bit value (OR-ed on insert).
 * A slot holds the key's upper 56 bits and the value in its low byte, so a
 * lookup reads one cache line. */
typedef struct {
  uint64_t *slots; /* 0: empty; else (key & ~0xFF) | 0x100 | value */
  size_t cap, n;   /* cap is a power of two; n <= cap / 2 */
} cs__hset_t;

int cs__hset_put(cs__hset_t *h, uint64_t key, uint8_t val);
static inline uint64_t cs__hset_key_part(uint64_t key) { return (key & ~(uint64_t)0xFF) | 0x100; }
static inline size_t cs__hset_home(uint64_t kp, size_t cap) { return (size_t)(kp >> 9) & (cap - 1); }
/* The probe itself, on a set's slots and mask (cap - 1) of a set that is
 * not empty: for loops that keep the two in registers (address.c). */
static inline uint8_t cs__hset_find(const uint64_t *slots, size_t mask, uint64_t key) {
  uint64_t kp = cs__hset_key_part(key);
  for (size_t j = cs__hset_home(kp, mask + 1);; j = (j + 1) & mask) {
    uint64_t s = slots[j];
    if (!s) return 0;
    if ((s & ~(uint64_t)0xFF) == kp) return (uint8_t)s;
  }
}
/* The value for key, 0 if absent (inline: it runs for most tokens). */
static inline uint8_t cs__hset_get(const cs__hset_t *h, uint64_t key) {
  return h->cap ? cs__hset_find(h->slots, h->cap - 1, key) : 0;
}
/* Starts loading key's home slot: the name list is megabytes, so a lookup
 * is a cache miss unless asked for a few tokens ahead. */
static inline void cs__hset_prefetch(const cs__hset_t *h, uint64_t key) {
#if defined(__GNUC__) || defined(__clang__)
  if (h->cap) __builtin_prefetch(&h->slots[cs__hset_home(cs__hset_key_part(key), h->cap)]);
#else
  (void)h;
  (void)key;
#endif
}
void cs__hset_free(cs__hset_t *h);
size_t cs__hset_bytes(const cs__hset_t *h);

/* ---- fixed words ---- */

/* A word and its length, known when compiled (no strlen per test). */
typedef struct {
  const char *s;
  size_t len;
} cs__word_t;
#define CS__WORD(x) {x, sizeof x - 1}

/* Whether s[0, l) is lower, a lower-case word of l bytes, ignoring the case
 * of ASCII letters: strncasecmp in the C locale (nothing here calls
 * setlocale), inline and from the end, where words that differ mostly
 * differ ("Ringvej" against "gasse"). */
static inline bool cs__same_caseless(const char *s, const char *lower, size_t l) {
  while (l-- > 0) {
    unsigned char b = (unsigned char)s[l], w = (unsigned char)lower[l];
    if (w >= 'a' && w <= 'z' ? (b | 32) != w : b != w) return false;
  }
  return true;
}

/* ---- tokens (tokens.c) ---- */

enum {
  CS_TOK_CAP = 1 << 0,    /* starts with an upper-case letter */
  CS_TOK_UPPER = 1 << 1,  /* all letters upper case (and more than one) */
  CS_TOK_ALPHA = 1 << 2,  /* letters (and inner ' -) only */
  CS_TOK_DIGIT = 1 << 3,  /* digits only */
  CS_TOK_HASDIG = 1 << 4, /* contains a digit */
  CS_TOK_PLACE = 1 << 5   /* a town or country after a street (address.c): no person */
};

typedef struct {
  uint32_t start, end; /* byte offsets; text is at most 4 GiB (checked) */
  uint64_t hash;       /* of the lower-cased token, never 0 */
  uint16_t flags;      /* CS_TOK_* */
  uint8_t name;        /* CS_NAME_* from the name lists */
  uint8_t mark;        /* scratch mark used by detectors */
} cs__tok_t;

/* Splits text into word tokens (letters/digits, with inner ' and -, and
 * UTF-8 letters); fills toks (growing *cap). */
int cs__tokenize(const char *text, size_t len, cs__tok_t **toks, size_t *n, size_t *cap);
/* The same for a text followed by at least 8 zero bytes (the scratch's
 * padded copy): the word-at-a-time path then reaches its last tokens too. */
int cs__tokenize_padded(const char *text, size_t len, cs__tok_t **toks, size_t *n, size_t *cap);
/* The same, byte by byte with no word-at-a-time paths: the reference the
 * tests compare cs__tokenize with. */
int cs__tokenize_simple(const char *text, size_t len, cs__tok_t **toks, size_t *n, size_t *cap);
/* Hash of the lower-cased form of s[0, len) (ASCII and common UTF-8 letters). */
uint64_t cs__hash_lower(const char *s, size_t len);
/* Combines token hashes into a sequence hash. */
static inline uint64_t cs__hash_seq(uint64_t acc, uint64_t tok) {
  return (acc ^ tok) * UINT64_C(0x9E3779B97F4A7C15) + UINT64_C(0x632BE59BD9B4E019);
}
/* Decodes one UTF-8 code point at s (n bytes left); returns its length, or 0
 * for an invalid byte (then *cp is the byte). */
size_t cs__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* ---- candidates and matches ---- */

typedef struct {
  uint32_t id;         /* pattern id */
  size_t start, end;
} cs__cand_t;

/* Growable match list in the scratch. */
typedef struct {
  cs_pii_match_t *v;
  size_t n, cap;
} cs__mvec_t;

int cs__mvec_push(cs__mvec_t *m, cs_pii_type_t t, size_t start, size_t end);

/* ---- patterns (patterns.c) ---- */

/* The Hyperscan databases, in pattern_table.h's PART_* order: dbs[0] the
 * anchors (e-mail, URL, domain), scanned over the text around '@', "://"
 * and '.' before a letter or digit (cs__anchor_window); dbs[1] the
 * patterns whose matches are made of digits and " -./()+" only, with a
 * phone's "x123" / "ext. 123" (IPv4, card, SSN, phone); dbs[2] IPv6, IBAN,
 * NINO and postcodes. */
enum { CS_HSDB_MAIN, CS_HSDB_NUM, CS_HSDB_ALNUM, CS_HSDB_CARD, CS_HSDB_N };
/* Loads the databases serialised at build time or, where they do not suit
 * the machine, compiles them. */
int cs__patterns_compile(hs_database_t *dbs[CS_HSDB_N], cs_diag_t *diag);
/* The same, always compiled here (the fallback; tests compare the two). */
int cs__patterns_compile_fresh(hs_database_t *dbs[CS_HSDB_N], cs_diag_t *diag);
/* The same databases serialised at build time (gen/redact_hsdb.c). */
extern const unsigned char cs__hsdb_main[], cs__hsdb_num[], cs__hsdb_alnum[], cs__hsdb_card[];
extern const size_t cs__hsdb_main_len, cs__hsdb_num_len, cs__hsdb_alnum_len, cs__hsdb_card_len;
/* The three window finders below read up to 16 bytes past text + len
 * (their content is ignored): the redactor gives them its padded copy.
 *
 * The next stretch [*ws, *we) at or after *from of digits and " -./()+"
 * (and phone extensions) holding at least seven digits, or four and three
 * dots, false when there is none; *from moves past it, *digits is its
 * digit count. Every numeric match that can validate lies within one. */
bool cs__numeric_window(const char *text, size_t len, size_t *from, size_t *ws, size_t *we,
                        size_t *digits);
/* The next window [*ws, *we) at or after *from for dbs[CS_HSDB_ALNUM],
 * false when there is none; *from moves past it. Every match of those
 * patterns in text lies inside one window, each window begins and ends
 * next to a non-word byte (or the text's ends), and windows are disjoint,
 * so scanning the windows finds exactly the matches, starts included, that
 * scanning the whole text finds (test_patterns checks it). */
bool cs__alnum_window(const char *text, size_t len, size_t *from, size_t *ws, size_t *we);
/* The next window [*ws, *we) at or after *from for dbs[CS_HSDB_MAIN]
 * (the anchors), false when there is none; *from moves past it. Windows
 * are disjoint and every anchor match lies inside one, with the same end
 * as in the whole text (the anchors have no start of match). */
bool cs__anchor_window(const char *text, size_t len, size_t *from, size_t *ws, size_t *we);
/* The start of a match of pattern id that Hyperscan reported as [from,
 * end) in w: from itself, or for the patterns scanned without start of
 * match (OWN_START in pattern_table.h) the start HS_FLAG_SOM_LEFTMOST
 * would have reported for the same scan of w (starts.c, which looks at
 * w[0, end) only; end where no match ends there). */
size_t cs__patterns_start(unsigned id, const char *w, size_t from, size_t end);
size_t cs__ipv4_start(const char *w, size_t end);
size_t cs__ssn_start(const char *w, size_t end);
size_t cs__card_start(const char *w, size_t end);
size_t cs__phone_start(const char *w, size_t end);
size_t cs__iban_start(const char *w, size_t end);
/* Turns candidates into validated matches appended to m. */
int cs__patterns_validate(const char *text, size_t len, cs__cand_t *c, size_t n,
                          cs__mvec_t *m);

/* ---- validators (validate.c) ---- */

bool cs__valid_luhn_card(const char *s, size_t n);
bool cs__valid_iban(const char *s, size_t n);
bool cs__valid_ssn(const char *text, size_t len, size_t start, size_t end);
bool cs__valid_nino(const char *s, size_t n);
bool cs__valid_ipv4(const char *s, size_t n);
bool cs__valid_ipv6(const char *s, size_t n);
bool cs__valid_phone(const char *text, size_t len, size_t start, size_t end);
/* Trims trailing punctuation from a URL or domain; returns the new end. */
size_t cs__trim_url(const char *text, size_t start, size_t end);

/* ---- names (names.c, members.c) ---- */

enum {
  CS_NAME_GIVEN = 1 << 0,   /* in the given-name list */
  CS_NAME_SUR = 1 << 1,     /* in the surname list */
  CS_NAME_STOP = 1 << 2,    /* a capitalised word that is rarely a name */
  CS_NAME_TITLE = 1 << 3,   /* Mr, Ms, Dr, ... */
  CS_NAME_CUE = 1 << 4,     /* a word that often precedes a name: by, with */
  CS_NAME_PARTICLE = 1 << 5 /* van, de, von, bin, al, ... */
};

enum {
  CS_NAME_WORD = 1 << 6, /* an everyday English word in lower case */
  CS_NAME_AFTER = 1 << 7 /* a word that often follows a name: said, wrote */
};

/* The generated lists (names_data.c), lower case. */
extern const char *const cs__given_names[];
extern const size_t cs__given_names_n;
extern const char *const cs__surnames[];
extern const size_t cs__surnames_n;
extern const char *const cs__english_words[];
extern const size_t cs__english_words_n;
extern const char *const cs__places[];
extern const size_t cs__places_n;

/* Context words (names.c): how the word before a capitalised run bears on it. */
enum {
  CS_CTX_WEAK = 1 << 0, /* a cue that precedes places and companies as often as
                           people ("with", "by", "from", "and") */
  CS_CTX_LOC = 1 << 1,  /* a preposition of place: "in", "at", "near" */
  CS_CTX_ORG = 1 << 2,  /* a verb whose object is a firm: "join", "joining" */
  CS_CTX_ORG_WITH = 1 << 3 /* the same before "with" or "by": "partnering with",
                              "acquired by" */
};

typedef struct {
  cs__hset_t words;    /* token hash -> CS_NAME_* */
  cs__hset_t places;   /* token-sequence hash of a place or other proper noun -> 1 */
  cs__hset_t ctx;      /* token hash -> CS_CTX_* */
  uint64_t h_from, h_to; /* "from X to Y" names places */
  uint64_t h_me, h_call, h_called; /* "call me X" cues a lower-case name */
  uint64_t h_is, h_name, h_names, h_this, h_and, h_the, h_with, h_by, h_led; /* for cues and lists */
} cs__names_t;

int cs__names_build(cs__names_t *nm);
void cs__names_free(cs__names_t *nm);
/* The CS_NAME_* flags of one token hash. */
uint8_t cs__names_lookup(const cs__names_t *nm, uint64_t hash);
/* Annotates toks[].name from the lists (tokens near capitalised ones);
 * returns whether the record is written in lower case throughout (ten
 * words or more with hardly any capitals), which cs__names_find takes. */
bool cs__names_tag(const cs__names_t *nm, const char *text, cs__tok_t *toks, size_t n);
/* Appends PERSON matches for non-members found by list and context; lower
 * is what cs__names_tag returned for the same tokens. */
int cs__names_find(const cs__names_t *nm, const char *text, size_t len, cs__tok_t *toks,
                   size_t n, bool lower, cs__mvec_t *m);

typedef struct {
  cs__hset_t seqs;     /* sequence hash of a full name -> 1 */
  cs__hset_t firsts;   /* first-token hash -> max tokens of a name starting so */
  cs__hset_t handles;  /* lower-cased handle hash -> 1 */
  size_t n_members;
} cs__members_t;

int cs__members_add(cs__members_t *mb, const char *name, const char *handle);
void cs__members_free(cs__members_t *mb);
size_t cs__members_bytes(const cs__members_t *mb);
/* Appends PERSON matches for member names and @handles. */
int cs__members_find(const cs__members_t *mb, const char *text, size_t len,
                     const cs__tok_t *toks, size_t n, cs__mvec_t *m);

/* ---- addresses (address.c) ---- */

typedef struct {
  cs__hset_t words;    /* token hash -> CS_ADDR_* */
  uint64_t h_corner;   /* "corner", the one core without a number near */
} cs__addr_t;

int cs__addr_build(cs__addr_t *a);
void cs__addr_free(cs__addr_t *a);
int cs__addr_find(const cs__addr_t *a, const cs__names_t *nm, const char *text, size_t len, cs__tok_t *toks,
                  size_t n, cs__mvec_t *m);

/* ---- resolution and rendering ---- */

/* Sorts n elements of size bytes: insertion sort for the handful a record
 * has (mostly in order already), qsort above 32. Inline, with its caller's
 * comparison and size constant, so each use compiles to a specialised sort
 * (called through a pointer, the comparisons and the variable-size copies
 * cost more than the sorting). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline))
#endif
static inline void cs__sort_few(void *base, size_t n, size_t size,
                                int (*cmp)(const void *, const void *)) {
  unsigned char x[64], *v = base;
  if (n > 32 || size > sizeof x) {
    qsort(base, n, size, cmp);
    return;
  }
  for (size_t i = 1; i < n; i++) {
    memcpy(x, v + i * size, size);
    size_t j = i;
    for (; j > 0 && cmp(v + (j - 1) * size, x) > 0; j--)
      memcpy(v + j * size, v + (j - 1) * size, size);
    memcpy(v + j * size, x, size);
  }
}
/* Sorts m by start and drops overlaps (better type, then longer, wins). */
void cs__resolve(cs__mvec_t *m, const char *text, size_t len);

typedef struct {
  char *buf;
  size_t len, cap;
} cs__buf_t;

/* Appends n bytes from p (p NULL: n bytes left undefined). */
int cs__buf_put(cs__buf_t *b, const void *p, size_t n);
/* Makes room for n more bytes without changing len. */
int cs__buf_reserve(cs__buf_t *b, size_t n);
void cs__buf_free(cs__buf_t *b);

/* The JSON tokener and the line buffer a scratch holds (redactor.c). */
struct json_tokener;
struct json_tokener *cs__scratch_tokener(cs_redact_scratch_t *s);
cs__buf_t *cs__scratch_line(cs_redact_scratch_t *s);
/* The decoded text of a record whose JSON string has escapes. */
cs__buf_t *cs__scratch_text(cs_redact_scratch_t *s);

/* json false: out is the text with each match replaced by its placeholder
 * or pseudonym. json true: the same, escaped as the inside of a JSON string
 * (no quotes), appended to what out holds (the JSONL path writes a record's
 * line around it without a second copy of the text). */
int cs__render(const uint8_t *key, size_t key_len, const char *text, size_t len,
               const cs_pii_match_t *m, size_t n, bool json, cs__buf_t *out);
/* Appends s[0, n) escaped as the inside of a JSON string. */
int cs__buf_put_json(cs__buf_t *b, const char *s, size_t n);
/* cs_redact_text's first half: the matches of text and what they come to
 * in *res (never NULL), without rendering; the matches stay in s. */
int cs__redact_result(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *text,
                      size_t len, const cs_pii_match_t **m, size_t *n, cs_redact_result_t *res);
/* Appends text with the n matches m replaced, JSON-escaped (cs__render). */
int cs__redact_render_json(const cs_redactor_t *r, const char *text, size_t len,
                           const cs_pii_match_t *m, size_t n, cs__buf_t *out);

#endif
