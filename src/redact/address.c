/* address.c — street addresses, PO and military boxes, postcodes.
 *
 * Works on the shared token stream. A core is one of:
 *   NUM words… SUFFIX        "217 Lovers Lane", "2027 Prospect St"
 *   [NUM] PREFIX words… [NUM] "Rua Mina 50", "36 rue de Pologne", "ul. Słowicza 10"
 *   [NUM] wordSUFFIX NUM      "Ringvej 144", "6750 Koskikatu 25" (glued suffixes)
 *   UNIT NUM                  "Suite 632", "Apt. 839", "PSC 0413", "Box 8144"
 *   APO/FPO/DPO XX NNNNN      military post
 *   zip/postcode cue + NUM    "my zip is 80296"
 * A PREFIX core needs a number on one side, so "via email" stays. A core is
 * then extended over what follows on the same or the next lines: unit parts
 * ("Apt. 864"), capitalised city, state and country words, state codes and
 * postcodes, stopping at a sentence end or a lower-case word. UK and Canadian
 * postcodes anywhere come from the Hyperscan patterns.
 */
#include "redact/internal.h"

#include <string.h>

enum {
  A_SUFFIX = 1 << 0, /* street, st, road, lane, ... */
  A_PREFIX = 1 << 1, /* rue, via, calle, rua, ul, ... */
  A_UNIT = 1 << 2,   /* apt, suite, unit, box, psc */
  A_MIL = 1 << 3,    /* apo, fpo, dpo */
  A_ZIPCUE = 1 << 4, /* zip, postcode */
  A_STOP = 1 << 5,   /* ends an extension: and, or, the, ... (lower case only) */
  A_PART = 1 << 6,   /* a particle inside a place name: Mora de Rubielos */
  A_CAPPRE = 1 << 7  /* a prefix only when capitalised: "Am Mühlbach 86" */
};

static const char *const suffixes[] = {
    "street", "st", "avenue", "ave", "av", "road", "rd", "lane", "ln", "boulevard", "blvd",
    "drive", "dr", "court", "ct", "place", "pl", "way", "square", "sq", "terrace", "ter",
    "parkway", "pkwy", "highway", "hwy", "circle", "cir", "crescent", "cres", "close", "grove",
    "gardens", "row", "walk", "trail", "trl", "alley", "plaza", "points", "point", "pt",
    "crossing", "xing", "heights", "hts", "mews", "park", "view", "ridge", "path", "pike",
    "expressway", "freeway", "loop", "run", "center", "centre", "hill", "hills", "estates",
    "meadows", "springs", "station", "villas", "courts", "green", "wharf", "quay", "bridge",
    "u", "utca", "tér", "út", "str", "ul", "pass", "gateway", "union", "forges", "rapids",
    "cove", "coves", "route", "fort", "port", "ports", "island", "isle", "inlet", "lake",
    "lakes", "landing", "mill", "mills", "mount", "mountain", "orchard", "oval", "plains",
    "prairie", "ranch", "river", "shore", "shores", "spur", "stream", "summit", "trace",
    "track", "tunnel", "turnpike", "valley", "viaduct", "ville", "vista", "well", "wells",
    "junction", "harbor", "harbour", "haven", "fields", "field", "flats", "forest", "fork",
    "forks", "glen", "grounds", "creek", "crest", "dale", "dam", "divide", "estate",
    "extension", "falls", "ferry", "ford", "corners", "causeway", "canyon", "cape", "burg",
    "brook", "brooks", "bluff", "bend", "beach", "bay", "arcade", "strasse", "straße",
    "weg", "gasse", "platz", "allee", "vej", "gade", "gatan", "straat", "laan", NULL};
static const char *const prefixes[] = {
    "rue", "via", "viale", "piazza", "calle", "avenida", "avda", "rua", "ul", "ulica", "c",
    "plac", "aleja", "al", "carrer", "strada", "avenue", "boulevard", "bd", "chemin", "place",
    "allée", "largo", "travessa", "praça", "paseo", "camino", "route", "str", "utca", "út",
    "corso", "vicolo", "calea", "bulevardul", "strada", "ulitsa", "prospekt", "avinguda", NULL};
static const char *const cap_prefixes[] = {"am", "im", "an", "auf", "zum", "zur", "unter",
                                           "hinter", "vor", "op", "het", NULL};
static const char *const units[] = {"apt", "apartment", "suite", "ste", "unit", "box", "psc",
                                    "room", "rm", "floor", "fl", "flat", "bldg", "building",
                                    "no", "nr", NULL};
static const char *const mil[] = {"apo", "fpo", "dpo", NULL};
static const char *const zipcues[] = {"zip", "zipcode", "postcode", "postal", "plz", NULL};
static const char *const stops[] = {"and", "or", "the", "is", "was", "to", "for", "with",
                                    "in", "on", "at", "but", "if", "so", "my", "your", NULL};
static const char *const particles[] = {"de", "la", "del", "da", "do", "dos", "das", "di",
                                        "van", "von", "le", "du", "sur", "am", "an", NULL};

/* Street words glued to the name: "Ringvej", "Kopfhölzistrasse", "Puruntie".
 * With their lengths: glued_suffix tries them all for each candidate word. */
#define LW CS__WORD
static const cs__word_t glued[] = {
    LW("strasse"), LW("straße"), LW("str"),   LW("weg"),   LW("gasse"),  LW("platz"),
    LW("allee"),   LW("vej"),    LW("gade"),  LW("gatan"), LW("vägen"),  LW("väg"),
    LW("tie"),     LW("katu"),   LW("utca"),  LW("straat"), LW("laan"),  LW("plein"),
    LW("veien"),   LW("vegen"),  LW("gata"),  LW("straeti"), LW("braut"), LW("kuja"),
    LW("iela"),    LW("gatve"),  LW("ulice"), LW("ring"),  LW("damm"),   LW("ufer"),
    LW("steig"),   LW("stieg"),  LW("markt"), LW("hof"),   LW("berg"),   LW("dorf"),
    LW("vei"),     LW("stræde"), LW("torget"), LW("stigen")};
#undef LW

static int put_list(cs__hset_t *h, const char *const *v, uint8_t flag) {
  for (; *v; v++) {
    int rc = cs__hset_put(h, cs__hash_lower(*v, strlen(*v)), flag);
    if (rc < 0) return rc;
  }
  return CS_OK;
}

int cs__addr_build(cs__addr_t *a) {
  memset(a, 0, sizeof *a);
  int rc = put_list(&a->words, suffixes, A_SUFFIX);
  if (rc == CS_OK) rc = put_list(&a->words, prefixes, A_PREFIX);
  if (rc == CS_OK) rc = put_list(&a->words, cap_prefixes, A_CAPPRE);
  if (rc == CS_OK) rc = put_list(&a->words, units, A_UNIT);
  if (rc == CS_OK) rc = put_list(&a->words, mil, A_MIL);
  if (rc == CS_OK) rc = put_list(&a->words, zipcues, A_ZIPCUE);
  if (rc == CS_OK) rc = put_list(&a->words, stops, A_STOP);
  if (rc == CS_OK) rc = put_list(&a->words, particles, A_PART);
  a->h_corner = cs__hash_lower("corner", 6);
  if (rc < 0) cs__addr_free(a);
  return rc;
}

void cs__addr_free(cs__addr_t *a) { cs__hset_free(&a->words); }

typedef struct {
  const cs__addr_t *a;
  const cs__names_t *nm;
  const char *text;
  size_t len;
  const cs__tok_t *t;
  size_t n;
  const uint64_t *slots; /* a->words' slots and cap - 1, or one empty slot */
  size_t mask;
} ctx_t;

/* toks[i]'s CS_ADDR_* flags: cs__hset_find on a->words, with the slots and
 * mask taken from the context (where the loops keep them in registers) and
 * no test for an empty set, which cs__addr_find replaces by one empty slot.
 * It runs for every candidate token. */
static uint8_t aw(const ctx_t *c, size_t i) {
  return cs__hset_find(c->slots, c->mask, c->t[i].hash);
}

/* A house or box number: 1-6 digits, or digits and one letter ("12B"). */
static bool is_num(const ctx_t *c, size_t i) {
  const cs__tok_t *t = &c->t[i];
  size_t l = t->end - t->start;
  if (t->flags & CS_TOK_DIGIT) return l <= 6;
  if (!(t->flags & CS_TOK_HASDIG) || l > 5) return false;
  for (size_t k = t->start; k + 1 < t->end; k++) /* "12B": digits, then one letter */
    if (c->text[k] < '0' || c->text[k] > '9') return false;
  char last = c->text[t->end - 1];
  return (last | 32) >= 'a' && (last | 32) <= 'z';
}

static bool is_word(const ctx_t *c, size_t i) { return (c->t[i].flags & CS_TOK_ALPHA) != 0; }

static bool newline_between(const ctx_t *c, size_t a, size_t b) {
  return memchr(c->text + c->t[a].end, '\n', c->t[b].start - c->t[a].end) != NULL;
}

/* A word short enough to be an abbreviation or an initial ("St", "N", "ul"). */
static bool abbrev(const ctx_t *c, size_t i) {
  size_t l = c->t[i].end - c->t[i].start;
  bool lower = !(c->t[i].flags & CS_TOK_CAP); /* "rkp.", "u.", "str." */
  return is_word(c, i) && (l <= 2 || (l <= 4 && (lower || aw(c, i) & (A_SUFFIX | A_PREFIX | A_UNIT))));
}

/* An everyday English word ("card", "email"): not part of a street name. */
static bool english(const ctx_t *c, size_t i) {
  return (cs__names_lookup(c->nm, c->t[i].hash) & CS_NAME_WORD) != 0;
}

/* Tokens i-1 and i sit on one line, separated by spaces and at most one of . , / */
static bool near_slow(const ctx_t *c, size_t i) {
  size_t p = 0;
  for (size_t k = c->t[i - 1].end; k < c->t[i].start; k++) {
    char ch = c->text[k];
    if (ch == '.' && !abbrev(c, i - 1)) return false; /* "2024. Applications close" */
    if (ch == '.' || ch == ',' || ch == '/') { if (++p > 1) return false; }
    else if (ch != ' ') return false;
  }
  return c->t[i].start - c->t[i - 1].end <= 3;
}

/* The same, with the common gap, one space, tested inline. */
static inline bool near(const ctx_t *c, size_t i) {
  size_t e = c->t[i - 1].end;
  if (c->t[i].start == e + 1 && c->text[e] == ' ') return true;
  return near_slow(c, i);
}

/* Inside a street name: spaces, or the full stop of an abbreviation ("N. Main"). */
static bool tight_slow(const ctx_t *c, size_t i) {
  size_t gap = c->t[i].start - c->t[i - 1].end;
  const char *g = c->text + c->t[i - 1].end;
  if (gap == 1 && g[0] == '\'') /* "Queen's Road": the possessive s is its own token */
    return c->t[i].end - c->t[i].start == 1 && (c->text[c->t[i].start] | 32) == 's';
  if (gap == 1) return g[0] == ' ';
  return gap == 2 && g[0] == '.' && g[1] == ' ' && abbrev(c, i - 1);
}

/* The same, with the common gap, one space, tested inline. */
static inline bool tight(const ctx_t *c, size_t i) {
  size_t e = c->t[i - 1].end;
  if (c->t[i].start == e + 1 && c->text[e] == ' ') return true;
  return tight_slow(c, i);
}

static bool glued_suffix(const ctx_t *c, size_t i) {
  const cs__tok_t *t = &c->t[i];
  size_t l = t->end - t->start;
  if (l < 5 || !is_word(c, i)) return false;
  for (size_t g = 0; g < sizeof glued / sizeof glued[0]; g++) {
    size_t gl = glued[g].len;
    if (l >= gl + 3 && cs__same_caseless(c->text + t->end - gl, glued[g].s, gl)) return true;
  }
  return false;
}

/* A suffix that is a street in any case ("Sidi Lakhmi street"), unlike
 * "close", "well" or "way", which are prose when written in lower case. */
static bool street_word(const ctx_t *c, size_t j) {
  static const char *const v[] = {"street", "st", "road", "rd", "avenue", "ave", "lane", "ln",
                                  "boulevard", "blvd", "drive", "dr", "highway", "hwy",
                                  "parkway", "pkwy", "strasse", "straße", "utca", "u", NULL};
  size_t l = c->t[j].end - c->t[j].start;
  for (const char *const *p = v; *p; p++)
    if (strlen(*p) == l && !strncasecmp(c->text + c->t[j].start, *p, l)) return true;
  return false;
}

/* A number after the street that is its house number ("Rua Mina 50"), not
 * a postcode after a comma ("boulevard Saint-Michel, 59049 Lille"). */
static bool house_number_after(const ctx_t *c, size_t j) {
  if (j >= c->n || !near(c, j) || !is_num(c, j)) return false;
  bool comma = memchr(c->text + c->t[j - 1].end, ',', c->t[j].start - c->t[j - 1].end) != NULL;
  return !comma || c->t[j].end - c->t[j].start < 4;
}

/* NUM words{1,4} SUFFIX, toks[i] a house number (is_num); returns the end
 * token (exclusive) or 0. */
static size_t core_suffix(const ctx_t *c, size_t i) {
  bool caps = false;
  for (size_t j = i + 1; j < c->n && j <= i + 5 && tight(c, j); j++) {
    uint8_t f = aw(c, j);
    if (j > i + 1 && (f & A_SUFFIX)) {
      /* "4 minutes, well" and "in 2 Lovely close" are prose, "12 Elm Close" is not */
      if (caps && !(c->t[j].flags & CS_TOK_CAP) && !street_word(c, j)) return 0;
      return house_number_after(c, j + 1) ? j + 2 : j + 1;
    }
    /* a stop word ends it, unless capitalised: "5B The Crescent" */
    if (!is_word(c, j) || ((f & A_STOP) && !(c->t[j].flags & CS_TOK_CAP))) return 0;
    caps |= (c->t[j].flags & CS_TOK_CAP) != 0;
  }
  return 0;
}

/* The token after a leading house number ("36 rue", "6750 Koskikatu"), or
 * i: where core_prefix and core_glued look for their street word. */
static size_t after_number(const ctx_t *c, size_t i, bool num) {
  return num && i + 1 < c->n && near(c, i + 1) ? i + 1 : i;
}

/* [NUM] PREFIX words{1,4} [NUM] with a number on at least one side; p is
 * after_number(i), f its listed flags. */
static size_t core_prefix(const ctx_t *c, size_t i, size_t p, uint8_t f) {
  bool cap_only = !(f & A_PREFIX) && (f & A_CAPPRE);
  if (!(f & A_PREFIX) && !(cap_only && (c->t[p].flags & CS_TOK_CAP))) return 0;
  size_t j = p + 1, words = 0;
  while (j < c->n && words < 4 && tight(c, j) && is_word(c, j) && !(aw(c, j) & A_STOP) &&
         (!cap_only || (c->t[j].flags & CS_TOK_CAP))) {
    j++;
    words++;
  }
  if (words == 0) return 0;
  if (cap_only) /* "Am Mühlbach 86": the number is required */
    return j < c->n && near(c, j) && is_num(c, j) && p == i ? j + 1 : 0;
  if (house_number_after(c, j)) return j + 1;
  /* only a leading number: "36 rue de Pologne", but not "in 2023 via email" */
  return p > i && !english(c, p + 1) ? j : 0;
}

/* [NUM] wordSUFFIX NUM; p is after_number(i). */
static size_t core_glued(const ctx_t *c, size_t p) {
  /* the cheap test first: most words are not followed by a number */
  if (p + 1 >= c->n || !is_num(c, p + 1) || !near(c, p + 1) || !glued_suffix(c, p)) return 0;
  return p + 2;
}

/* words{1,3} SUFFIX NUM, street name first: "Villacher Strasse 89"; f is
 * toks[i]'s listed flags. */
static size_t core_euro(const ctx_t *c, size_t i, uint8_t f) {
  if (!(c->t[i].flags & CS_TOK_CAP) || !is_word(c, i) || (f & A_STOP)) return 0;
  for (size_t j = i + 1; j < c->n && j <= i + 3 && tight(c, j); j++) {
    if ((aw(c, j) & A_SUFFIX) && j + 1 < c->n && near(c, j + 1) && is_num(c, j + 1))
      return j + 2;
    if (!is_word(c, j) || !(c->t[j].flags & CS_TOK_CAP)) return 0;
  }
  return 0;
}

/* NUM words{1,3} NUM: "20789 Allika 46", "10252 Μεγάλη Άμμος 184". The
 * leading number needs 3-5 digits, the words no stop word. */
static size_t core_numbered(const ctx_t *c, size_t i) {
  const cs__tok_t *t = &c->t[i];
  size_t l = t->end - t->start;
  if (!(t->flags & CS_TOK_DIGIT) || l < 3 || l > 5) return 0;
  size_t j = i + 1;
  while (j < c->n && j <= i + 3 && tight(c, j) && is_word(c, j) && !(aw(c, j) & A_STOP) &&
         !((c->t[j].flags & CS_TOK_UPPER) && c->t[j].end - c->t[j].start > 2) && /* "SSN" */
         c->t[j].end - c->t[j].start > 1 && !english(c, j))
    j++;
  if (j == i + 1 || j >= c->n || !near(c, j) || !is_num(c, j)) return 0;
  return c->t[j].end - c->t[j].start <= 4 ? j + 1 : 0;
}

/* "the corner of X and Y": up to the end of the clause. */
static size_t core_corner(const ctx_t *c, size_t i, size_t *start) {
  if (c->t[i].end - c->t[i].start != 6 || !cs__same_caseless(c->text + c->t[i].start, "corner", 6) ||
      i + 2 >= c->n)
    return 0;
  size_t j = i + 2, and_seen = 0;
  for (; j < c->n && j < i + 14; j++) {
    for (size_t k = c->t[j - 1].end; k < c->t[j].start; k++) {
      char ch = c->text[k];
      if (ch == '\n' || ch == '?' || ch == '!' || ch == ',' || ch == ';' || ch == '"') goto done;
      if (ch == '.' && k + 2 < c->len && c->text[k + 1] == ' ' &&
          !(aw(c, j) & A_STOP) && (c->t[j].flags & CS_TOK_CAP) && and_seen)
        goto done;
    }
    and_seen += c->t[j].end - c->t[j].start == 3 && !strncasecmp(c->text + c->t[j].start, "and", 3);
  }
done:
  if (!and_seen) return 0;
  *start = i + 2;
  return j;
}

/* The region of a military address: AA, AE or AP, in any case. */
static bool mil_code(const ctx_t *c, size_t j) {
  const char *t = c->text + c->t[j].start;
  return c->t[j].end - c->t[j].start == 2 && (t[0] | 32) == 'a' &&
         ((t[1] | 32) == 'a' || (t[1] | 32) == 'e' || (t[1] | 32) == 'p');
}

/* A ship's line before an FPO line: "USNS Bergman\nFPO AP 93757". */
static size_t ship_before(const ctx_t *c, size_t i) {
  static const char *const v[] = {"uss", "usns", "usnv", "uscgc", NULL};
  if (i < 2 || !(aw(c, i) & A_MIL) || !newline_between(c, i - 1, i) || !is_word(c, i - 1))
    return i;
  for (size_t k = i - 1; k > 0 && k + 3 >= i; k--) {
    size_t l = c->t[k - 1].end - c->t[k - 1].start;
    for (const char *const *p = v; *p; p++)
      if (strlen(*p) == l && !strncasecmp(c->text + c->t[k - 1].start, *p, l)) return k - 1;
    if (!tight(c, k) || !is_word(c, k - 1)) break;
  }
  return i;
}

/* UNIT NUM, or APO/FPO/DPO XX NNNNN; f is toks[i]'s listed flags, tested
 * before near: most tokens here are no unit word. */
static size_t core_unit(const ctx_t *c, size_t i, uint8_t f) {
  if (!(f & (A_UNIT | A_MIL)) || i + 1 >= c->n || !near(c, i + 1)) return 0;
  if ((f & A_UNIT) && !(c->t[i].flags & CS_TOK_DIGIT) && is_num(c, i + 1)) {
    /* "no 5" and "nr 5" only after a street word; bare they are too common */
    size_t l = c->t[i].end - c->t[i].start;
    if (l == 2 && (c->text[c->t[i].start] | 32) == 'n') return 0;
    return i + 2;
  }
  if ((f & A_MIL) && i + 2 < c->n && mil_code(c, i + 1) && (c->t[i + 2].flags & CS_TOK_DIGIT))
    return i + 3;
  return 0;
}

static size_t core_zip(const ctx_t *c, size_t i, uint8_t f, size_t *start) {
  if (!(f & A_ZIPCUE)) return 0;
  for (size_t j = i + 1; j < c->n && j <= i + 3; j++) {
    if (c->t[j].flags & CS_TOK_DIGIT) {
      size_t l = c->t[j].end - c->t[j].start;
      if (l < 3 || l > 6) return 0;
      *start = j;
      return j + 1;
    }
  }
  return 0;
}

/* A postcode after a town in a sentence: "in Bjert 6091 in", "in
 * Quinta de São Tiago 3610-114", "in ÖVERTURINGEN 840 24". After "in", one
 * to four capitalised words (particles between), then 4-5 digits that are
 * no year (1900-2099), or 3+2 digits, or 4-3 digits with a hyphen; the
 * postcode alone is the span, the town a place. */
static size_t core_town_postcode(const ctx_t *c, size_t i, size_t *start) {
  const cs__tok_t *t = c->t;
  if (t[i].end - t[i].start != 2 || memcmp(c->text + t[i].start, "in", 2)) return 0;
  size_t j = i + 1, words = 0;
  while (j < c->n && words < 4 && tight(c, j) && is_word(c, j) &&
         ((t[j].flags & CS_TOK_CAP) || (words && (aw(c, j) & A_PART))) &&
         !((t[j].flags & CS_TOK_UPPER) && t[j].end - t[j].start <= 4)) { /* "ISO 9001" */
    j++;
    words++;
  }
  if (!words || j >= c->n || !tight(c, j) || !(t[j].flags & CS_TOK_HASDIG)) return 0;
  const char *d = c->text + t[j].start;
  size_t l = t[j].end - t[j].start, end = j + 1;
  if (t[j].flags & CS_TOK_DIGIT) {
    if (l == 3 && end < c->n && tight(c, end) && (t[end].flags & CS_TOK_DIGIT) &&
        t[end].end - t[end].start == 2)
      end++; /* "840 24" */
    else if (l < 4 || l > 5 || (l == 4 && (d[0] == '1' ? d[1] == '9' : d[0] == '2' && d[1] == '0')))
      return 0;
  } else if (!(l == 8 && d[4] == '-' && (t[j].flags & CS_TOK_HASDIG))) {
    return 0;
  } else {
    for (size_t k = 0; k < 8; k++)
      if (k != 4 && (d[k] < '0' || d[k] > '9')) return 0;
  }
  /* then the sentence goes on in lower case, or ends; "ISO 9001:2015" is none */
  if (t[end - 1].end < c->len && c->text[t[end - 1].end] == ':' && end < c->n &&
      t[end].start == t[end - 1].end + 1)
    return 0;
  if (end < c->n && !newline_between(c, end - 1, end) && (t[end].flags & CS_TOK_CAP) &&
      c->t[end].start == c->t[end - 1].end + 1)
    return 0;
  *start = j;
  return end;
}

/* After a number's full stop at k: one line break, or a unit word next. */
static bool dot_continues(const ctx_t *c, size_t k, size_t j) {
  size_t nl = 0;
  for (size_t q = k + 1; q < c->t[j].start; q++) nl += c->text[q] == '\n';
  return nl == 1 || (nl == 0 && (aw(c, j) & A_UNIT));
}

/* Separator between an address part and the next: spaces, one comma, at
 * most two newlines. */
static bool ext_gap(const ctx_t *c, size_t j) {
  int nl = 0, comma = 0;
  for (size_t k = c->t[j - 1].end; k < c->t[j].start; k++) {
    char ch = c->text[k];
    if (ch == '\n') { if (++nl > 2) return false; } /* "Riisa\n\n Estonia 62488" */
    else if (ch == ',') { if (++comma > 1) return false; }
    else if (ch == '.') {
      /* an abbreviation's full stop ("St.", "Apt."), or one ending the line */
      if (k != c->t[j - 1].end) return false;
      /* a house number's full stop ("Király u. 15.\nLyss", "u. 49. Suite 638") goes on
       * to the next line or a unit; after a word or a postcode it ends the address */
      if (!abbrev(c, j - 1) && !(is_num(c, j - 1) && dot_continues(c, k, j))) return false;
    }
    else if ((ch == '>' || ch == '?') && nl == 0) return false;
    else if (ch != ' ' && ch != '\r' && ch != '\t' && ch != '(' && ch != ')' && ch != '>' &&
             ch != '?') /* "> " and "??? " quote a line */
      return false;
  }
  return c->t[j].start - c->t[j - 1].end <= 8;
}

/* Leading numbers and "P.O.": "1987 74 Diakou Street", "0912 P.O. Box 287". */
static bool building_word(const ctx_t *c, size_t j) {
  const cs__tok_t *t = &c->t[j];
  if (!(t->flags & CS_TOK_CAP) || !is_word(c, j) || t->end - t->start < 3 ||
      ((t->flags & CS_TOK_UPPER) && t->end - t->start <= 4) || aw(c, j))
    return false;
  uint8_t nf = cs__names_lookup(c->nm, t->hash);
  return !(nf & (CS_NAME_GIVEN | CS_NAME_SUR | CS_NAME_STOP | CS_NAME_TITLE | CS_NAME_CUE));
}

static size_t extend_back(const ctx_t *c, size_t start) {
  for (int k = 0; k < 2 && start > 0 && is_num(c, start - 1) && near(c, start); k++) start--;
  if (start >= 2 && c->t[start - 1].end - c->t[start - 1].start == 1 &&
      c->t[start - 2].end - c->t[start - 2].start == 1 &&
      (c->text[c->t[start - 2].start] | 32) == 'p' && (c->text[c->t[start - 1].start] | 32) == 'o') {
    start -= 2;
    if (start > 0 && is_num(c, start - 1) && near(c, start)) start--;
  }
  /* a building or estate name before the number: "Storgarden 52 Trajanka
   * Forks", "Serenade Opus 420 Gairbekov Rapids"; up to two capitalised
   * words joined by spaces that are neither listed names, stop words nor
   * acronyms ("Meagan Wallace 52 Main St" stays a person and an address) */
  if (is_num(c, start))
    for (int k = 0; k < 2 && start > 0 && tight(c, start) && building_word(c, start - 1); k++)
      start--;
  return start;
}

/* A part of a UK or similar postcode: "BT8", "3SE", "CF11", "0NQ". */
static bool postcode_part(const ctx_t *c, size_t j) {
  const cs__tok_t *t = &c->t[j];
  size_t l = t->end - t->start;
  if (l < 2 || l > 4 || !(t->flags & CS_TOK_HASDIG) || (t->flags & CS_TOK_DIGIT)) return false;
  for (size_t k = t->start; k < t->end; k++) {
    char ch = c->text[k];
    if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z'))) return false;
  }
  return true;
}

/* "Mobile:", "Desk:", "Email:": a capitalised word and a colon label the
 * next field of a signature; an address ends before it. */
static bool field_label(const ctx_t *c, size_t j) {
  size_t e = c->t[j].end;
  return (c->t[j].flags & CS_TOK_CAP) && e < c->len && c->text[e] == ':';
}

/* The rest of the street's line and its unit parts: capitalised words
 * joined by spaces ("14 Crown Street Kishiev Squares"), then units on the
 * same or the next line ("Apt. 864", "\n Suite 501", "\nAPO AA 61487"). */
static size_t extend_street(const ctx_t *c, size_t j) {
  while (j < c->n && tight(c, j) && is_word(c, j) && (c->t[j].flags & CS_TOK_CAP) &&
         !(aw(c, j) & (A_UNIT | A_MIL)) && !field_label(c, j))
    j++;
  for (int k = 0; k < 2 && j + 1 < c->n && ext_gap(c, j); k++) {
    uint8_t f = aw(c, j);
    if ((f & A_UNIT) && is_num(c, j + 1) && near(c, j + 1)) j += 2;
    else if ((f & A_MIL) && j + 2 < c->n && mil_code(c, j + 1) &&
             (c->t[j + 2].flags & CS_TOK_DIGIT))
      j += 3;
    else break;
  }
  return j;
}

/* An empty field inside an address exported from a table: "nan" or "null"
 * where a state should be ("KNIVSTA, nan 18237"), or a region's one- or
 * two-digit code after a comma, when a postcode follows ("Cite Sfaxi\n, 13\n
 * 44939"). */
static bool empty_field(const ctx_t *c, size_t j) {
  const cs__tok_t *t = &c->t[j];
  size_t l = t->end - t->start;
  const char *s = c->text + t->start;
  if (l == 3 && !memcmp(s, "nan", 3)) return true;
  if (l == 4 && !memcmp(s, "null", 4)) return true;
  if (!(t->flags & CS_TOK_DIGIT) || l > 2 || j + 1 >= c->n) return false;
  const cs__tok_t *nx = &c->t[j + 1];
  return memchr(c->text + c->t[j - 1].end, ',', t->start - c->t[j - 1].end) != NULL &&
         (nx->flags & CS_TOK_DIGIT) && nx->end - nx->start >= 3 && nx->end - nx->start <= 6;
}

static size_t extend(const ctx_t *c, size_t j) {
  size_t taken = 0;
  while (j < c->n && taken < 10 && ext_gap(c, j)) {
    const cs__tok_t *t = &c->t[j];
    uint8_t f = aw(c, j);
    if ((f & A_UNIT) && j + 1 < c->n && is_num(c, j + 1) && near(c, j + 1)) { j += 2; taken += 2; continue; }
    if (((f & A_STOP) && !(t->flags & CS_TOK_CAP)) || field_label(c, j)) break;
    bool num = (t->flags & CS_TOK_DIGIT) && t->end - t->start >= 3 && t->end - t->start <= 6;
    bool cap = (t->flags & CS_TOK_CAP) && (is_word(c, j));
    if (!cap && !num) cap = postcode_part(c, j);
    bool part = (f & A_PART) && j + 1 < c->n && (c->t[j + 1].flags & CS_TOK_CAP) && near(c, j + 1);
    if (!num && !cap && !part && !empty_field(c, j)) break;
    j++;
    taken++;
  }
  return j;
}

/* A postcode token: 3-6 digits, or a part of a UK-style postcode. */
static bool postcode_tok(const ctx_t *c, size_t j) {
  const cs__tok_t *t = &c->t[j];
  return ((t->flags & CS_TOK_DIGIT) && t->end - t->start >= 3 && t->end - t->start <= 6) ||
         postcode_part(c, j);
}


/* Whether toks[i] begins a line (after spaces or quote marks "> ", "??? "). */
static bool line_start(const ctx_t *c, size_t i) {
  for (size_t k = c->t[i].start; k-- > 0;) {
    char ch = c->text[k];
    if (ch == '\n') return true;
    if (ch != ' ' && ch != '\t' && ch != '>' && ch != '?') return false;
  }
  return true;
}

/* Pushes the address toks[start, end), whose street line and units end at
 * street. What follows - town, region, country, postcode - joins it when it
 * is one line of several parts or with a postcode ("Raleigh, NC 27607",
 * "60349 Frankfurt am Main", "Brighton BN12 6LA"), or follows without a
 * comma ("Suite 019 Charleroi Victoria"), or when the address runs on over
 * several lines in the middle of a sentence ("send it to 1987 Diakou Street\n
 * Suite 680\n Kissousa\n Cyprus 36903?"). Otherwise the towns and countries
 * are places, not personal data, and stay: a bare town after a comma
 * ("lives at 5049 Harjukuja 54, Seinäjoki"), or the lines of a letter or
 * signature block under a street that begins a line ("Riisa\n Estonia
 * 62488"); only its postcodes are redacted, each as a span of its own. */
static int push_address(const ctx_t *c, cs__tok_t *toks, size_t start, size_t street,
                        size_t end, cs__mvec_t *m) {
  bool one_line = true, postcode = false;
  size_t parts = 1;
  for (size_t j = street; j < end; j++) {
    postcode |= postcode_tok(c, j);
    if (j > street && newline_between(c, j - 1, j)) one_line = false;
    if (j > street && memchr(c->text + c->t[j - 1].end, ',', c->t[j].start - c->t[j - 1].end))
      parts++;
  }
  bool whole = street == end;
  if (!whole && one_line) {
    bool comma = memchr(c->text + c->t[street - 1].end, ',',
                        c->t[street].start - c->t[street - 1].end) != NULL;
    whole = postcode || parts >= 2 || !comma;
  } else if (!whole) {
    whole = !line_start(c, start);
  }
  if (whole) return cs__mvec_push(m, CS_PII_ADDRESS, c->t[start].start, c->t[end - 1].end);
  int rc = cs__mvec_push(m, CS_PII_ADDRESS, c->t[start].start, c->t[street - 1].end);
  for (size_t j = street; j < end && rc == CS_OK; j++) {
    if (!postcode_tok(c, j)) {
      toks[j].flags |= CS_TOK_PLACE;
      continue;
    }
    size_t k = j + 1; /* "BN12 6LA": the parts of one postcode on one line */
    while (k < end && postcode_part(c, k) && !newline_between(c, k - 1, k)) k++;
    rc = cs__mvec_push(m, CS_PII_ADDRESS, c->t[j].start, c->t[k - 1].end);
    j = k - 1;
  }
  return rc;
}

/* Every core but "corner" starts at a number or has one at most REACH
 * tokens on: a prefix word and four words before the house number
 * (core_prefix), "in" and four words before the postcode
 * (core_town_postcode); the other cores' numbers are nearer. A core that
 * reaches further needs REACH raised. */
enum { REACH = 5 };

/* The first token at or after i with a number at most REACH tokens on, or
 * that is "corner", or n. The tokens in between are skipped unlooked-up
 * (most tokens), in loops of their own that keep their few variables in
 * registers and test four tokens a step; a stretch past the last number is
 * scanned once, for a number and "corner" together. The token hash tells
 * "corner" in any case (core_corner's test) from every other token:
 * lower-cased words of up to eight bytes hash without collisions.
 * *next_dig is the first token at or after the last i with a digit, or n
 * (0 at first). */
static inline __attribute__((always_inline)) size_t next_core_start(const cs__tok_t *t, size_t n,
                                                                    size_t i, uint64_t h_corner,
                                                                    size_t *next_dig) {
  size_t d = *next_dig, k = i; /* no "corner" in [i, k) */
  if (d <= i) {
    while (k + 4 <= n &&
           !((t[k].flags | t[k + 1].flags | t[k + 2].flags | t[k + 3].flags) & CS_TOK_HASDIG) &&
           t[k].hash != h_corner && t[k + 1].hash != h_corner && t[k + 2].hash != h_corner &&
           t[k + 3].hash != h_corner)
      k += 4;
    while (k < n && !(t[k].flags & CS_TOK_HASDIG) && t[k].hash != h_corner) k++;
    for (d = k; d < n && !(t[d].flags & CS_TOK_HASDIG);) d++; /* after a "corner" */
    *next_dig = d;
  }
  /* before lim no token has a number within REACH tokens */
  size_t lim = d > REACH ? d - REACH : 0;
  /* no "corner" before lim: every token from lim on is a candidate */
  if (lim <= k) return i > lim ? (i < n ? i : n) : lim;
  while (k + 4 <= lim && t[k].hash != h_corner && t[k + 1].hash != h_corner &&
         t[k + 2].hash != h_corner && t[k + 3].hash != h_corner)
    k += 4;
  while (k < lim && t[k].hash != h_corner) k++;
  return k;
}

/* Whether a core can start at toks[i] when it is no house number: only at
 * a listed prefix, unit, military or zip word, a capitalised word
 * (core_euro), a six-byte one (core_corner) or one before a number
 * (core_glued); core_suffix and core_numbered start at numbers. These are
 * the cores' first tests in one place, so that the common word before a
 * number ("the" in "the 2 days") is dropped at once; a new core that can
 * start at a word needs its test here too. */
static bool word_may_start(const ctx_t *c, size_t i, uint8_t f) {
  const cs__tok_t *t = &c->t[i];
  return (f & (A_PREFIX | A_CAPPRE | A_UNIT | A_MIL | A_ZIPCUE)) || (t->flags & CS_TOK_CAP) ||
         t->end - t->start == 6 ||
         (i + 1 < c->n && (t[1].flags & (CS_TOK_DIGIT | CS_TOK_HASDIG))); /* is_num(i + 1) */
}

/* The first core at toks[i], tried in order (the first that matches wins):
 * its end (exclusive), or 0; *start moves where the span does not begin at
 * i (zip cue, corner). f is toks[i]'s listed flags, looked up once for all
 * the cores that ask, as is whether it is a number. */
static size_t find_core(const ctx_t *c, size_t i, uint8_t f, size_t *start) {
  bool num = is_num(c, i);
  if (!num && !word_may_start(c, i, f)) return 0;
  size_t end = num ? core_suffix(c, i) : 0;
  if (end) return end;
  size_t p = after_number(c, i, num);
  if ((end = core_prefix(c, i, p, p == i ? f : aw(c, p))) != 0) return end;
  if ((end = core_glued(c, p)) != 0) return end;
  if ((end = core_unit(c, i, f)) != 0) return end;
  if ((end = core_numbered(c, i)) != 0) return end;
  if ((end = core_euro(c, i, f)) != 0) return end;
  if ((end = core_zip(c, i, f, start)) != 0) return end;
  return core_corner(c, i, start);
}

int cs__addr_find(const cs__addr_t *a, const cs__names_t *nm, const char *text, size_t len,
                  cs__tok_t *toks, size_t n, cs__mvec_t *m) {
  static const uint64_t no_slots[1] = {0};
  ctx_t c = {a, nm, text, len, toks, n, no_slots, 0};
  if (a->words.cap) {
    c.slots = a->words.slots;
    c.mask = a->words.cap - 1;
  }
  /* d: the first token at or after i with a digit, or n */
  size_t d = 0;
  for (size_t i = next_core_start(toks, n, 0, a->h_corner, &d); i < n;) {
    /* every core starts at a number, a listed word, or a word before a
     * number; six-letter words are tried too (there, other six-letter
     * tokens have always been tried, and core_euro can match one) */
    uint8_t f = aw(&c, i);
    bool num_soon = d < n && d - i <= 3; /* toks[i, i + 3] has a digit */
    bool tried = num_soon || toks[i].end - toks[i].start == 6 || f;
    size_t start = i, end;
    if (tried && (end = find_core(&c, i, f, &start)) != 0) {
      if (start == i) start = extend_back(&c, start);
      if (start == i) start = ship_before(&c, start);
      size_t street = extend_street(&c, end);
      end = extend(&c, street);
      int rc = push_address(&c, toks, start, street, end, m);
      if (rc < 0) return rc;
      i = end;
    } else if (tried && (end = core_town_postcode(&c, i, &start)) != 0) {
      for (size_t k = i + 1; k < start; k++) toks[k].flags |= CS_TOK_PLACE;
      int rc = cs__mvec_push(m, CS_PII_ADDRESS, toks[start].start, toks[end - 1].end);
      if (rc < 0) return rc;
      i = end;
    } else {
      i++;
    }
    /* within REACH tokens before the digit at d, every token is tried */
    if (i > d || i + REACH < d) i = next_core_start(toks, n, i, a->h_corner, &d);
  }
  return CS_OK;
}
