/* synth_int.h — internals shared by the files of the synth module.
 *
 * Not a public header: tests include it to check the generators directly.
 *
 * The pieces, in the order data flows through them:
 *  - rng.c        xoshiro256** with explicit state, seeded by splitmix64;
 *  - out.c        big output buffers and allocation-free appenders (numbers,
 *                 RFC 3339 times, JSON strings) that write through a cursor;
 *  - names.c      people: first and last names, e-mail domains, case mapping;
 *  - places.c     countries, streets, cities, companies and filler words;
 *  - members.c    the member model: who each member is, derived on demand;
 *  - pii.c        personal data generators (cards, IBANs, phones, ...);
 *  - lookalikes.c things that look like personal data and are not;
 *  - text.c       sentence templates and their expansion into a cs__text_t;
 *  - facts.c / content.c  the two generated streams; synth.c runs it all.
 *
 * Invariant of every generator that writes into a cs__text_t: it appends the
 * exact bytes of one item and, when labelled, records one span whose byte
 * offsets cover exactly those bytes (no surrounding space or punctuation).
 */
#ifndef CS_SYNTH_INT_H
#define CS_SYNTH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/synth.h>

/* ---- rng.c --------------------------------------------------------------- */

typedef struct {
  uint64_t s[4];
} cs__rng_t;

/* Seeds r for (seed, stream): independent streams for one seed. */
void cs__rng_seed(cs__rng_t *r, uint64_t seed, uint64_t stream);
uint64_t cs__rng_next(cs__rng_t *r);
/* Uniform in [0, n); n must be > 0 (0 gives 0). */
uint32_t cs__rng_below(cs__rng_t *r, uint32_t n);
/* Uniform in [lo, hi]; hi >= lo. */
int64_t cs__rng_range(cs__rng_t *r, int64_t lo, int64_t hi);
/* True with probability per_mille / 1000. */
bool cs__rng_chance(cs__rng_t *r, uint32_t per_mille);
/* splitmix64 finaliser: a good 64-bit mix, used for counter-based draws. */
uint64_t cs__mix64(uint64_t x);

#define CS__COUNT(arr) ((uint32_t)(sizeof(arr) / sizeof((arr)[0])))
#define CS__PICK(r, arr) ((arr)[cs__rng_below((r), CS__COUNT(arr))])

/* ---- out.c --------------------------------------------------------------- */

typedef struct {
  int fd;          /* -1 when closed */
  char *buf;
  size_t len, cap; /* bytes pending in buf, its size */
  uint64_t total;  /* bytes handed to write() so far plus pending */
  int err;         /* errno of the first failed write, sticky; 0 if none */
} cs__out_t;

int cs__out_open(cs__out_t *o, const char *path, size_t cap);
/* A cursor with room for at least n bytes (n <= cap / 2); flushes as needed.
 * Write through it and hand back the end with cs__out_commit. */
char *cs__out_reserve(cs__out_t *o, size_t n);
void cs__out_commit(cs__out_t *o, char *end);
/* Flushes and closes; returns 0 or the first errno seen. Accepts closed. */
int cs__out_close(cs__out_t *o);

char *cs__w_mem(char *p, const void *s, size_t n);
char *cs__w_str(char *p, const char *s); /* a C string */
char *cs__w_u64(char *p, uint64_t v);
char *cs__w_pad(char *p, uint64_t v, unsigned width); /* zero-padded */
/* An RFC 3339 time for t (seconds since the epoch, UTC), written as local
 * time at offset_min minutes east of UTC ("Z" when 0). */
char *cs__w_time(char *p, int64_t t, int offset_min);
char *cs__w_date(char *p, int32_t days); /* YYYY-MM-DD */
/* s as a JSON string literal with quotes; worst case 6 * n + 2 bytes. */
char *cs__w_json(char *p, const char *s, size_t n);

/* ---- The text being generated for one record ---------------------------- */

#define CS__TEXT_CAP 16384 /* bytes of one record's text */
#define CS__MAX_SPANS 96   /* labels of each list per record */

typedef struct {
  uint8_t type;        /* cs_label_t */
  uint32_t start, end; /* byte offsets while generating, code points after */
} cs__span_t;

typedef struct {
  char s[CS__TEXT_CAP];
  size_t len;
  cs__span_t pii[CS__MAX_SPANS], look[CS__MAX_SPANS];
  size_t n_pii, n_look;
} cs__text_t;

/* Appends n bytes, clipped at the capacity (the generators keep well below
 * it; clipping only guards memory). */
void cs__tx_put(cs__text_t *t, const char *s, size_t n);
void cs__tx_str(cs__text_t *t, const char *s);
void cs__tx_u64(cs__text_t *t, uint64_t v);
void cs__tx_pad(cs__text_t *t, uint64_t v, unsigned width);
/* Records a label over [start, t->len) in the list its type belongs to. */
void cs__tx_label(cs__text_t *t, cs_label_t type, size_t start);
/* Converts every span's byte offsets into code point offsets. */
void cs__tx_to_code_points(cs__text_t *t);

/* ---- names.c / places.c: tables ----------------------------------------- */

typedef struct {
  const char *s;     /* as written, UTF-8 */
  const char *ascii; /* lower-case ASCII letters for handles; NULL: s lowered */
} cs__name_t;

extern const cs__name_t cs__first_names[];
extern const uint32_t cs__n_first_names;
extern const cs__name_t cs__last_names[];
extern const uint32_t cs__n_last_names;
extern const char *const cs__mail_domains[];
extern const uint32_t cs__n_mail_domains;

/* Appends s with letters mapped to lower (upper) case: ASCII, Latin-1,
 * Latin Extended-A and Latin Extended Additional; others pass unchanged. */
void cs__tx_case(cs__text_t *t, const char *s, bool upper);
/* Appends the handle form of a name: its ascii spelling, letters only. */
void cs__tx_ascii(cs__text_t *t, const cs__name_t *n);

typedef struct {
  const char *code; /* ISO 3166-1 alpha-2 */
  bool excluded;    /* EU27, IS, LI, NO, CH */
  uint8_t weight;   /* relative share of members within its group */
} cs__country_t;

extern const cs__country_t cs__countries[];
extern const uint32_t cs__n_countries;

extern const char *const cs__companies[];
extern const uint32_t cs__n_companies;
extern const char *const cs__cities[];
extern const uint32_t cs__n_cities;

/* ---- members.c ----------------------------------------------------------- */

typedef struct {
  uint32_t first, last; /* indices into the name tables */
  uint8_t style;        /* handle and e-mail spelling, 0..3 */
  uint8_t domain;       /* index into cs__mail_domains */
  uint8_t country;      /* index into cs__countries, at joining */
  uint8_t flags;        /* CS__M_* */
  int32_t birth_days;   /* days since epoch; CS_NO_DATE when not given */
  int64_t joined;       /* seconds since epoch */
} cs__member_t;

#define CS__M_MINOR 1u /* under 18 for the whole content period */

typedef struct {
  cs__member_t *m; /* m[0] is member id m0000001 */
  uint64_t n;
  uint32_t pick_excluded[256], pick_other[256]; /* weighted country draws */
  uint32_t n_pick_excluded, n_pick_other;
} cs__people_t;

int cs__people_init(cs__people_t *p, uint64_t n, uint64_t seed);
void cs__people_free(cs__people_t *p);
/* A country index drawn with the member distribution (~40% excluded). */
uint8_t cs__people_country(const cs__people_t *p, cs__rng_t *r, bool excluded);

/* Member i (0-based) as text; idx makes handles and e-mails unique. */
void cs__tx_member_name(cs__text_t *t, const cs__member_t *m);
void cs__tx_member_handle(cs__text_t *t, const cs__member_t *m, uint64_t i);
void cs__tx_member_email(cs__text_t *t, const cs__member_t *m, uint64_t i);
/* "m0000042" for 0-based index 41; any index (unknown members are >= n). */
char *cs__w_member_id(char *p, uint64_t i);

/* ---- pii.c --------------------------------------------------------------- */

/* Each appends one item to t and labels it with its type; national formats
 * (phones, addresses, IBAN countries) are drawn at random. */
void cs__pii_card(cs__text_t *t, cs__rng_t *r);
void cs__pii_iban(cs__text_t *t, cs__rng_t *r);
void cs__pii_phone(cs__text_t *t, cs__rng_t *r);
void cs__pii_ip(cs__text_t *t, cs__rng_t *r);
void cs__pii_ssn(cs__text_t *t, cs__rng_t *r);
void cs__pii_nino(cs__text_t *t, cs__rng_t *r);
void cs__pii_address(cs__text_t *t, cs__rng_t *r);
void cs__pii_person(cs__text_t *t, cs__rng_t *r, bool first_only);
void cs__pii_email(cs__text_t *t, cs__rng_t *r);
void cs__pii_url(cs__text_t *t, cs__rng_t *r);

/* Validators, shared with the tests: digits only, separators ignored. */
bool cs__luhn_ok(const char *s, size_t n);
/* The Luhn check digit for the digits of s followed by one more digit. */
int cs__luhn_digit(const char *digits, size_t n);
/* IBAN check: letters and digits (spaces ignored) mod 97 == 1. */
bool cs__iban_ok(const char *s, size_t n);

/* ---- lookalikes.c -------------------------------------------------------- */

void cs__look_date(cs__text_t *t, cs__rng_t *r);
void cs__look_version(cs__text_t *t, cs__rng_t *r);
void cs__look_percent(cs__text_t *t, cs__rng_t *r);
void cs__look_money(cs__text_t *t, cs__rng_t *r);
void cs__look_order(cs__text_t *t, cs__rng_t *r); /* fails Luhn, always */
void cs__look_iso(cs__text_t *t, cs__rng_t *r);
void cs__look_company(cs__text_t *t, cs__rng_t *r);
void cs__look_city(cs__text_t *t, cs__rng_t *r);

/* ---- text.c -------------------------------------------------------------- */

/* Who is writing and who may be mentioned while expanding templates. */
typedef struct {
  cs__text_t *t;
  cs__rng_t *r;
  const cs__people_t *people;
  uint64_t author;   /* 0-based member index; >= people->n: unknown member */
  const char *used[32]; /* templates already in this text, to avoid repeats */
  unsigned n_used;
} cs__gen_t;

typedef enum {
  CS__KIND_POST,
  CS__KIND_ARTICLE,
  CS__KIND_COMMENT,
  CS__KIND_MESSAGE,
  CS__KIND_PROFILE,
  CS__KIND_FEEDBACK,
  CS__KIND_AI_PROMPT,
  CS__N_KINDS
} cs__kind_t;

/* Writes a whole text of the given kind; with_pii plants personal data. */
void cs__text_generate(cs__gen_t *g, cs__kind_t kind, bool with_pii);
/* Expands one template ("Thanks {PERSON}!") into g->t. Returns the number of
 * unknown tags met (0 for every built-in template). */
int cs__text_expand(cs__gen_t *g, const char *tpl);
/* Expands every built-in template once; returns the number of unknown tags
 * (a self-check for the tests). */
int cs__text_selfcheck(cs__gen_t *g);

/* ---- facts.c / content.c ------------------------------------------------- */

/* The content period and horizon every stream agrees on (seconds). */
#define CS__T_PLATFORM 1577836800 /* 2020-01-01: first member joins */
#define CS__T_CONTENT 1672531200  /* 2023-01-01: first content record */
#define CS__T_END 1751328000      /* 2025-07-01: last content record before */
#define CS__T_POLICY_PUB 1705309200 /* 2024-01-15T09:00:00Z */
#define CS__T_POLICY_EFF 1709251200 /* 2024-03-01T00:00:00Z */

typedef struct {
  uint64_t member;    /* 0-based author index; >= people.n: unknown */
  int64_t created;    /* seconds */
  int offset_min;     /* how created_at is spelled */
  uint8_t kind;       /* cs__kind_t */
  uint8_t visibility; /* 0 public, 1 connections, 2 private */
  bool pii;           /* plants personal data */
} cs__head_t;

/* Record i's header, a pure function of (seed, i): facts.c uses it to delete
 * records that content.c will write. rng_out (may be NULL) receives the
 * record's generator positioned after the header, for its text. */
void cs__record_head(const cs__people_t *p, uint64_t seed, uint64_t i, cs__head_t *out,
                     cs__rng_t *rng_out);
/* "r00000042" for 0-based index 41. */
char *cs__w_record_id(char *p, uint64_t i);

typedef struct {
  cs__out_t *out;
  const cs__people_t *people;
  uint64_t seed, n_records;
  uint64_t facts;     /* lines written */
} cs__facts_t;

int cs__facts_write(cs__facts_t *f, cs__text_t *scratch);

typedef struct {
  cs__out_t *content, *labels;
  const cs__people_t *people;
  uint64_t seed;
  uint64_t pii_records;
  cs__text_t *text; /* scratch, allocated once */
} cs__content_t;

/* Writes records [from, to). */
void cs__content_write(cs__content_t *c, uint64_t from, uint64_t to);

#endif
