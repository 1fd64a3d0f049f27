/* tokenizer_pretok.c — cutting text into placeholders and chunks.
 *
 * The chunk rules follow GPT-2's pattern
 *   's|'t|'re|'ve|'m|'ll|'d| ?L+| ?N+| ?[^\sLN]+|\s+(?!\S)|\s+
 * written by hand on bytes: a contraction; a run of letters, of digits or of
 * other characters, each with an optional leading space; whitespace, whose
 * last character is left to the next chunk when a space can lead it. Classes
 * are of code points: ASCII letters and digits as usual; whitespace is ASCII
 * space, \t \n \v \f \r; a valid multi-byte UTF-8 code point is a letter
 * unless it is Latin-1 punctuation (U+0080..U+00BF), general punctuation and
 * symbols (U+2000..U+2BFF), CJK punctuation (U+3000..U+303F), a variation
 * selector (U+FE00..U+FE0F) or an emoji or other symbol from U+1F000 on,
 * which count as punctuation; every byte of invalid UTF-8 is punctuation on
 * its own. Runs are cut at CS_TOK_MAX_CHUNK bytes (never inside a code point)
 * so one chunk's cost is bounded whatever the input.
 */
#include <string.h>

#include "dataset/tokenizer_int.h"

enum { C_LETTER, C_DIGIT, C_SPACE, C_PUNCT };

/* Classes of ASCII bytes; bytes >= 0x80 go through utf8_unit. */
static const unsigned char ascii_class[128] = {
    C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT,
    C_PUNCT, C_SPACE, C_SPACE, C_SPACE, C_SPACE, C_SPACE, C_PUNCT, C_PUNCT,
    C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT,
    C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT,
    C_SPACE, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT,
    C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT,
    C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT,
    C_DIGIT, C_DIGIT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT,
    C_PUNCT, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER,
    C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER,
    C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER,
    C_LETTER, C_LETTER, C_LETTER, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT,
    C_PUNCT, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER,
    C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER,
    C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER, C_LETTER,
    C_LETTER, C_LETTER, C_LETTER, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT};

static int cp_class(uint32_t cp) {
  if (cp <= 0xBF) return C_PUNCT;
  if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
      (cp >= 0xFE00 && cp <= 0xFE0F) || cp >= 0x1F000)
    return C_PUNCT;
  return C_LETTER;
}

static bool cont(const unsigned char *p, const unsigned char *end, size_t i) {
  return p + i < end && (p[i] & 0xC0) == 0x80;
}

/* Class and length of the code point at p (p < end, *p >= 0x80). Invalid
 * UTF-8 (overlong, surrogate, truncated, out of range) is one punctuation
 * byte. */
static int utf8_unit(const unsigned char *p, const unsigned char *end, size_t *len) {
  unsigned char b = p[0];
  *len = 1;
  if (b >= 0xC2 && b <= 0xDF && cont(p, end, 1)) {
    *len = 2;
    return cp_class((uint32_t)(b & 0x1F) << 6 | (p[1] & 0x3F));
  }
  if (b >= 0xE0 && b <= 0xEF && cont(p, end, 1) && cont(p, end, 2)) {
    uint32_t cp = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return C_PUNCT;
    *len = 3;
    return cp_class(cp);
  }
  if (b >= 0xF0 && b <= 0xF4 && cont(p, end, 1) && cont(p, end, 2) && cont(p, end, 3)) {
    uint32_t cp = (uint32_t)(b & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
                  (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
    if (cp < 0x10000 || cp > 0x10FFFF) return C_PUNCT;
    *len = 4;
    return cp_class(cp);
  }
  return C_PUNCT;
}

static inline int unit(const unsigned char *p, const unsigned char *end, size_t *len) {
  if (*p < 0x80) {
    *len = 1;
    return ascii_class[*p];
  }
  return utf8_unit(p, end, len);
}

/* 's 't 're 've 'm 'll 'd at p (*p == '\''): its length, else 0. */
static size_t contraction(const unsigned char *p, const unsigned char *end) {
  if (end - p < 2) return 0;
  unsigned char a = p[1], b = end - p >= 3 ? p[2] : 0;
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  return 0;
}

/* A run of class cls from p + lead, cut at CS_TOK_MAX_CHUNK bytes. */
static size_t run(const unsigned char *p, const unsigned char *end, size_t lead, int cls) {
  size_t n = lead;
  while (p + n < end) {
    size_t ul;
    if (p[n] < 0x80 && cls == C_LETTER) { /* fast path: ASCII letters */
      if (ascii_class[p[n]] != C_LETTER) break;
      ul = 1;
    } else if (unit(p + n, end, &ul) != cls) {
      break;
    }
    if (n + ul > CS_TOK_MAX_CHUNK) break;
    n += ul;
  }
  return n;
}

/* A whitespace chunk at p, or 0 when p is a single space that leads the
 * next chunk. */
static size_t space_chunk(const unsigned char *p, const unsigned char *end) {
  size_t n = 0;
  while (p + n < end && n <= CS_TOK_MAX_CHUNK && p[n] < 0x80 && ascii_class[p[n]] == C_SPACE) n++;
  if (n > CS_TOK_MAX_CHUNK) return CS_TOK_MAX_CHUNK; /* a long run: its first piece */
  if (p + n == end) return n;                        /* trailing whitespace */
  if (n >= 2) return n - 1;                          /* leave the last one to the next */
  return p[0] == ' ' ? 0 : 1;
}

size_t cs__pretok_chunk(const unsigned char *p, const unsigned char *end) {
  if (*p == '\'') {
    size_t n = contraction(p, end);
    if (n) return n;
  }
  size_t lead = 0, ul;
  int cls = unit(p, end, &ul);
  if (cls == C_SPACE) {
    size_t n = space_chunk(p, end);
    if (n) return n;
    lead = 1;
    cls = unit(p + 1, end, &ul);
  }
  return run(p, end, lead, cls);
}

static const char *const special_text[CS_TOK_N_SPECIAL] = {
    "<|endoftext|>", "<EMAIL>", "<PHONE>", "<URL>", "<IP>",     "<CREDIT_CARD>",
    "<IBAN>",        "<SSN>",   "<NINO>",  "<PERSON>", "<ADDRESS>"};

const char *cs_tokenizer_special_text(int id) {
  if (id < CS_TOK_EOT || id >= CS_TOK_FIRST_MERGE) return NULL;
  return special_text[id - CS_TOK_EOT];
}

int cs__pretok_placeholder(const unsigned char *p, const unsigned char *end, size_t *len) {
  if (end - p < 4 || p[0] != '<' || p[1] < 'A' || p[1] > 'Z') return 0;
  for (int i = 1; i < CS_TOK_N_SPECIAL; i++) {
    size_t n = strlen(special_text[i]);
    if ((size_t)(end - p) >= n && memcmp(p, special_text[i], n) == 0) {
      *len = n;
      return CS_TOK_EOT + i;
    }
  }
  return 0;
}

/* The next placeholder at or after p, or end; *id and *len describe it. */
static const unsigned char *next_placeholder(const unsigned char *p, const unsigned char *end,
                                             int *id, size_t *len) {
  while (p < end) {
    const unsigned char *q = memchr(p, '<', (size_t)(end - p));
    if (!q) break;
    if ((*id = cs__pretok_placeholder(q, end, len)) != 0) return q;
    p = q + 1;
  }
  *id = 0;
  *len = 0;
  return end;
}

int cs__pretok_walk(const unsigned char *buf, size_t len, bool final, cs__piece_fn fn, void *ctx,
                    size_t *consumed) {
  const unsigned char *p = buf, *end = buf + len;
  while (p < end) {
    int id;
    size_t ph_len;
    const unsigned char *seg_end = next_placeholder(p, end, &id, &ph_len);
    while (p < seg_end) {
      size_t n = cs__pretok_chunk(p, seg_end);
      /* The tail segment (no placeholder after it) may still grow. */
      if (!final && !id && (size_t)(end - p) < n + CS_TOK_LOOKAHEAD) goto stop;
      int rc = fn(ctx, p, n, 0);
      if (rc < 0) return rc;
      p += n;
    }
    if (id) {
      int rc = fn(ctx, p, ph_len, id);
      if (rc < 0) return rc;
      p += ph_len;
    }
  }
stop:
  if (consumed) *consumed = (size_t)(p - buf);
  return 0;
}
