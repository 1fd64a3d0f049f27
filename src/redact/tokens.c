/* tokens.c — the word tokenizer every name and address detector shares.
 *
 * A token is a maximal run of letters and digits (ASCII, and UTF-8 letters:
 * any code point from U+00C0 on that is not punctuation, a symbol or an
 * emoji), with an apostrophe or hyphen allowed between two such characters
 * ("O'Neil", "Mary-Jane"). Invalid UTF-8 bytes separate tokens, so token
 * boundaries are always character boundaries. Tokens are hashed in lower case
 * (ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic: enough for the names
 * the lists and the ledger hold); other scripts hash as written.
 */
#include "redact/internal.h"

#include <stdlib.h>
#include <string.h>

size_t cs__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char c = s[0];
  *cp = c;
  if (c < 0x80) return 1;
  size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (k == 0 || c > 0xF4 || k > n) return 0;
  uint32_t v = c & (0x3F >> (k - 1));
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if ((k == 3 && v < 0x800) || (k == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return k;
}

static bool is_upper_cp(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x137) return (c & 1) == 0;
  if (c >= 0x139 && c <= 0x148) return (c & 1) == 1;
  if (c >= 0x14A && c <= 0x177) return (c & 1) == 0;
  if (c == 0x178 || (c >= 0x179 && c <= 0x17E && (c & 1))) return true;
  if (c >= 0x391 && c <= 0x3AB) return c != 0x3A2;
  return c >= 0x400 && c <= 0x42F;
}

static uint32_t lower_cp(uint32_t c) {
  if (!is_upper_cp(c)) return c;
  if (c < 0x100 || (c >= 0x391 && c <= 0x3AB) || (c >= 0x410 && c <= 0x42F)) return c + 32;
  if (c == 0x178) return 0xFF;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c + 1;
}

static bool is_letter_cp(uint32_t c) {
  if (c < 0x80) return (c | 32) >= 'a' && (c | 32) <= 'z';
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false; /* punctuation, symbols, arrows */
  if (c >= 0x3000 && c <= 0x303F) return false; /* CJK punctuation */
  if (c >= 0xFE00 && c <= 0xFE6F) return false; /* variation selectors, forms */
  if (c >= 0xFF00 && c <= 0xFF0F) return false;
  return c < 0x1F000;                           /* emoji and beyond */
}

static size_t put_utf8(unsigned char *d, uint32_t c) {
  if (c < 0x80) { d[0] = (unsigned char)c; return 1; }
  if (c < 0x800) {
    d[0] = (unsigned char)(0xC0 | (c >> 6));
    d[1] = (unsigned char)(0x80 | (c & 0x3F));
    return 2;
  }
  d[0] = (unsigned char)(0xE0 | (c >> 12));
  d[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
  d[2] = (unsigned char)(0x80 | (c & 0x3F));
  return 3; /* only BMP letters are ever lowered */
}

/* ASCII lower-casing table; bytes >= 0x80 map to themselves. */
static const unsigned char ascii_lower[256] = {
#define L(c) (unsigned char)((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
#define R4(b) L(b), L(b + 1), L(b + 2), L(b + 3)
#define R16(b) R4(b), R4(b + 4), R4(b + 8), R4(b + 12)
#define R64(b) R16(b), R16(b + 16), R16(b + 32), R16(b + 48)
    R64(0), R64(64), R64(128), R64(192)
#undef R64
#undef R16
#undef R4
#undef L
};

/* The token hash, over the lower-cased bytes: eight at a time, each word
 * folded in with a multiply and a shift (both bijective, so tokens of up to
 * eight bytes never collide), the length last. A few instructions per token
 * where a general-purpose hash costs a call and a copy; every hash of the
 * redactor comes from here, so only consistency matters, and nothing is
 * ever stored. */
static inline uint64_t fold(uint64_t h, uint64_t w) {
  h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
  return h ^ (h >> 32);
}

static inline uint64_t finish(uint64_t h, uint64_t w, size_t len) {
  h = fold(h, w ^ ((uint64_t)len << 56));
  h *= UINT64_C(0xBF58476D1CE4E5B9);
  return (h ^ (h >> 31)) | 1; /* never 0: 0 marks an empty hash slot */
}

uint64_t cs__hash_lower(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  uint64_t h = 0, w = 0;
  unsigned char hi = 0;
  size_t i = 0;
  for (; i < len; i++) { /* pure ASCII, the common case */
    hi |= u[i];
    if (hi & 0x80) break;
    w |= (uint64_t)ascii_lower[u[i]] << (8 * (i & 7));
    if ((i & 7) == 7) {
      h = fold(h, w);
      w = 0;
    }
  }
  if (i == len) return finish(h, w, len);
  /* with UTF-8: lower-case letter by letter from the start */
  h = w = 0;
  size_t o = 0;
  for (i = 0; i < len;) {
    uint32_t c;
    size_t k = cs__utf8_decode(u + i, len - i, &c);
    unsigned char buf[4];
    size_t bl;
    if (k == 0) k = 1;
    if (k == 1 && c < 0x80) {
      buf[0] = ascii_lower[c];
      bl = 1;
    } else if (k > 1 && lower_cp(c) != c) {
      bl = put_utf8(buf, lower_cp(c));
    } else {
      memcpy(buf, u + i, k);
      bl = k;
    }
    for (size_t q = 0; q < bl; q++, o++) {
      w |= (uint64_t)buf[q] << (8 * (o & 7));
      if ((o & 7) == 7) {
        h = fold(h, w);
        w = 0;
      }
    }
    i += k;
  }
  return finish(h, w, o);
}

/* cs__hash_lower for s[0, len) inside a buffer that has at least 8 bytes
 * readable from s on (avail >= 8): eight bytes are loaded and lower-cased
 * at once (upper-case ASCII letters get 0x20; the bytes past len are masked
 * off), giving the same words, so the same hash, as the byte loop. Anything
 * with a byte >= 0x80 goes to cs__hash_lower. */
static inline bool lower8(const char *p, size_t n, uint64_t *out) {
  const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80;
  uint64_t w;
  memcpy(&w, p, 8);
  if (n < 8) w &= (UINT64_C(1) << (8 * n)) - 1; /* the bytes past the token */
  /* per byte, with its top bit cleared (no carries): bit 7 of b + 0x3F is
   * b >= 'A', of b + 0x25 is b > 'Z'; an upper-case ASCII letter gets 0x20 */
  uint64_t lo7 = ~w & high, w7 = w & ~high;
  uint64_t ge_a = w7 + ones * (0x80 - 'A'), gt_z = w7 + ones * (0x7F - 'Z');
  if (w & high) {
    /* UTF-8 (a "’" inside "don’t"): cs__hash_lower copies a character
     * lower_cp leaves alone byte for byte, so the words are the same
     * unless a lead byte of a letter it lowers is here: C3 (Latin-1), C4
     * and C5 (Latin Extended-A), CE (Greek), D0 (Cyrillic). Those go to
     * cs__hash_lower. */
    uint64_t hi = w & high;
    uint64_t c3_c5 = (w7 + ones * (0x80 - 0x43)) & ~(w7 + ones * (0x7F - 0x45));
    uint64_t ce = ~((w7 ^ ones * 0x4E) + ~high) & high; /* byte == 0x4E: no low bit set */
    uint64_t d0 = ~((w7 ^ ones * 0x50) + ~high) & high;
    if ((c3_c5 | ce | d0) & hi) return false;
  }
  *out = w | ((ge_a & ~gt_z & lo7) >> 2);
  return true;
}

static uint64_t hash_lower_wide(const char *s, size_t len, size_t avail) {
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
  (void)avail;
  return cs__hash_lower(s, len);
#else
  uint64_t h = 0, w = 0;
  size_t i = 0;
  for (; len - i >= 8; i += 8) {
    if (!lower8(s + i, 8, &w)) return cs__hash_lower(s, len);
    h = fold(h, w);
  }
  w = 0;
  if (i < len && (i + 8 > avail || !lower8(s + i, len - i, &w))) return cs__hash_lower(s, len);
  return finish(h, w, len);
#endif
}

/* ASCII letters and digits. */
static const bool ascii_word[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1,
    ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
    ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1};

/* Scan-time flags, folded into the CS_TOK_* ones by finish_flags. */
enum { SEEN_LETTER = 1 << 14, SEEN_JOINER = 1 << 15 };

/* Length of the word character at s, 0 if none; sets *flags bits. */
static size_t word_char(const unsigned char *s, size_t n, uint16_t *flags, bool first) {
  if (s[0] < 0x80) { /* fast path for ASCII */
    unsigned char a = s[0];
    if (a >= '0' && a <= '9') { *flags |= CS_TOK_HASDIG; return 1; }
    if (a >= 'A' && a <= 'Z') { *flags |= first ? CS_TOK_CAP | SEEN_LETTER : SEEN_LETTER; return 1; }
    if (a >= 'a' && a <= 'z') { *flags = (uint16_t)((*flags & ~CS_TOK_UPPER) | SEEN_LETTER); return 1; }
    return 0;
  }
  uint32_t c;
  size_t k = cs__utf8_decode(s, n, &c);
  if (k == 0 || !is_letter_cp(c)) return 0; /* digits are ASCII only */
  *flags |= SEEN_LETTER;
  if (is_upper_cp(c)) {
    if (first) *flags |= CS_TOK_CAP;
  } else {
    *flags &= (uint16_t)~CS_TOK_UPPER;
  }
  return k;
}

/* Scans one token starting at i (a word character); returns its end. */
static size_t scan_token(const unsigned char *u, size_t len, size_t i, uint16_t *flags) {
  *flags = CS_TOK_UPPER;
  size_t k = word_char(u + i, len - i, flags, true);
  i += k;
  for (;;) {
    /* the common case inline: a run of ASCII letters and digits */
    while (i < len && u[i] < 0x80 && ascii_word[u[i]]) {
      unsigned char a = u[i++];
      if (a <= '9') *flags |= CS_TOK_HASDIG;
      else if (a >= 'a') *flags = (uint16_t)((*flags & ~CS_TOK_UPPER) | SEEN_LETTER);
      else *flags |= SEEN_LETTER;
    }
    /* the common end: an ASCII byte that neither continues nor joins */
    if (i >= len || (u[i] < 0x80 && u[i] != '\'' && u[i] != '-')) return i;
    size_t k2 = word_char(u + i, len - i, flags, false);
    if (k2) { i += k2; continue; }
    /* an apostrophe (ASCII or U+2019) or hyphen between word characters */
    size_t j = 0;
    if (i < len && (u[i] == '\'' || u[i] == '-')) j = 1;
    else if (i + 2 < len && u[i] == 0xE2 && u[i + 1] == 0x80 && u[i + 2] == 0x99) j = 3;
    uint16_t f2 = *flags;
    /* a possessive 's ends the token: "Yefremova's" is Yefremova */
    if (j && i + j < len && (u[i + j] | 32) == 's' && u[i] != '-' &&
        (i + j + 1 == len || !word_char(u + i + j + 1, len - i - j - 1, &f2, false)))
      return i;
    if (j && i + j < len && word_char(u + i + j, len - i - j, &f2, false)) {
      *flags |= SEEN_JOINER;
      i += j;
      continue;
    }
    return i;
  }
}

/* The token's final flags from the scan-time ones: only digits make DIGIT;
 * letters (and inner ' -) without a digit make ALPHA. */
static void finish_flags(cs__tok_t *t) {
  uint16_t f = t->flags;
  if (!(f & (SEEN_LETTER | SEEN_JOINER))) f |= CS_TOK_DIGIT;
  if ((f & SEEN_LETTER) && !(f & CS_TOK_HASDIG)) f |= CS_TOK_ALPHA;
  if (!(f & CS_TOK_CAP) || t->end - t->start < 2) f &= (uint16_t)~CS_TOK_UPPER;
  t->flags = f & (uint16_t)~(SEEN_LETTER | SEEN_JOINER);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
#define CS_TOK_WIDE 1
/* Per byte of w (all bytes < 0x80), bit 7 set where the byte lies in
 * [lo, hi]: bit 7 of b + (0x80 - lo) is b >= lo, of b + (0x7F - hi) is
 * b > hi (no carries between bytes, as every byte is < 0x80). */
static inline uint64_t in_range8(uint64_t w, unsigned lo, unsigned hi) {
  const uint64_t ones = UINT64_C(0x0101010101010101);
  return (w + ones * (0x80 - lo)) & ~(w + ones * (0x7F - hi)) & (ones * 0x80);
}

/* The final flags from what the token holds: finish_flags' result (DIGIT
 * for digits only, ALPHA for letters only, CAP for an upper-case first
 * byte, UPPER for a CAP token of two or more bytes with no lower-case
 * letter). */
static inline uint16_t wide_flags(bool dig, bool up, bool low, bool cap, size_t l) {
  if (!(up | low)) return CS_TOK_DIGIT | CS_TOK_HASDIG;
  uint16_t fl = dig ? CS_TOK_HASDIG : CS_TOK_ALPHA;
  if (cap) {
    fl |= CS_TOK_CAP;
    if (!low && l >= 2) fl |= CS_TOK_UPPER;
  }
  return fl;
}

/* Per byte of w: bit 7 set for a digit (*d), an upper-case (*U) and a
 * lower-case (*L) ASCII letter. */
static inline void classify8(uint64_t w, uint64_t *d, uint64_t *U, uint64_t *L) {
  const uint64_t high = UINT64_C(0x8080808080808080);
  uint64_t lo7 = ~w & high, w7 = w & ~high; /* lo7: the bytes < 0x80 */
  *d = in_range8(w7, '0', '9') & lo7;
  *U = in_range8(w7, 'A', 'Z') & lo7;
  *L = in_range8(w7, 'a', 'z') & lo7;
}

/* The token ends before u[q], a byte that is no ASCII letter or digit and
 * no plain ASCII separator: an apostrophe (ASCII or U+2019) or hyphen that
 * joins nothing, not followed by a word byte, or an apostrophe before a
 * possessive "s" (scan_token's rules). False where only scan_token can
 * tell (a UTF-8 letter may follow, or a joiner joins). */
static inline bool joiner_ends(const unsigned char *u, size_t len, size_t q) {
  unsigned char c = u[q];
  size_t j = c == '\'' || c == '-' ? 1
           : c == 0xE2 && len - q > 2 && u[q + 1] == 0x80 && u[q + 2] == 0x99 ? 3 : 0;
  if (!j) return false;
  if (len - q <= j) return true; /* nothing after the joiner */
  unsigned char n1 = u[q + j];
  if (n1 < 0x80 && !ascii_word[n1]) return true;
  return c != '-' && (n1 | 32) == 's' &&
         (len - q == j + 1 || (u[q + j + 1] < 0x80 && !ascii_word[u[q + j + 1]]));
  /* "Yefremova's" is Yefremova */
}

/* Whether the token ends before u[q] (no ASCII letter or digit): a plain
 * ASCII separator, or a joiner that joins nothing (joiner_ends). The byte
 * after the token is then no letter: ASCII, or U+2019 (tokenize steps over
 * all three of its bytes). */
static inline bool token_ends(const unsigned char *u, size_t len, size_t q) {
  unsigned char c = u[q];
  return (c < 0x80 && c != '\'' && c != '-') || joiner_ends(u, len, q);
}

/* Tokens of eight bytes or more: the rest of scan_token_wide's loop, out
 * of line (the common short token keeps its registers). */
static __attribute__((noinline)) size_t scan_token_long(const unsigned char *u, size_t len,
                                                        size_t i, bool padded, uint64_t *hash,
                                                        uint16_t *flags) {
  const uint64_t high = UINT64_C(0x8080808080808080);
  uint64_t h = 0, dig = 0, up = 0, low = 0;
  size_t p = i;
  for (;;) {
    if (!padded && len - p < 8) return 0;
    uint64_t w, d, U, L;
    memcpy(&w, u + p, 8);
    classify8(w, &d, &U, &L);
    uint64_t nonword = ~(d | U | L) & high;
    if (!nonword) { /* eight word bytes: fold the lower-cased word */
      dig |= d;
      up |= U;
      low |= L;
      h = fold(h, w | (U >> 2));
      p += 8;
      continue;
    }
    unsigned k = (unsigned)__builtin_ctzll(nonword) >> 3; /* word bytes in this word, < 8 */
    size_t end = p + k;
    if (end >= len) end = len; /* padded: the zeros past the text end it */
    else if (!token_ends(u, len, end)) return 0;
    uint64_t m = (UINT64_C(1) << (8 * k)) - 1;
    *hash = finish(h, (w | (U >> 2)) & m, end - i);
    *flags = wide_flags((dig | (d & m)) != 0, (up | (U & m)) != 0, (low | (L & m)) != 0,
                        u[i] >= 'A' && u[i] <= 'Z', end - i);
    return end;
  }
}

/* The fast path for the common token: ASCII letters and digits ended by a
 * byte that neither continues nor joins (token_ends), classified eight
 * bytes at a time with the final flags and the hash taken from the same
 * words. Returns the token's end, or 0 for anything else (a UTF-8 letter,
 * a joiner that joins, fewer than eight bytes left of an unpadded text),
 * which goes to scan_token and hash_lower_wide, the simple path;
 * test_tokens checks the two agree. */
static inline size_t scan_token_wide(const unsigned char *u, size_t len, size_t i, bool padded,
                                     uint64_t *hash, uint16_t *flags) {
  const uint64_t high = UINT64_C(0x8080808080808080);
  if (!padded && len - i < 8) return 0;
  uint64_t w, d, U, L;
  memcpy(&w, u + i, 8);
  classify8(w, &d, &U, &L);
  uint64_t nonword = ~(d | U | L) & high;
  if (!nonword) return scan_token_long(u, len, i, padded, hash, flags);
  unsigned k = (unsigned)__builtin_ctzll(nonword) >> 3; /* the token's length, < 8 */
  if (i + k < len && !token_ends(u, len, i + k)) return 0;
  uint64_t m = (UINT64_C(1) << (8 * k)) - 1;
  *hash = finish(0, (w | (U >> 2)) & m, k);
  *flags = wide_flags((d & m) != 0, (U & m) != 0, (L & m) != 0, (U & 0x80) != 0, k);
  return i + k;
}
#endif

/* Everything but the fast path, for one position i at a word byte or a
 * byte >= 0x80: a UTF-8 character that is no letter is skipped (*made
 * false), anything else is scanned byte by byte into *t. Returns the
 * position after. Kept out of line: the tokenizer's loop stays small
 * enough for its variables to live in registers. */
static __attribute__((noinline)) size_t token_simple(const char *text, size_t len, size_t i,
                                                      bool wide, cs__tok_t *t, bool *made) {
  const unsigned char *u = (const unsigned char *)text;
  uint16_t fl = 0;
  if (u[i] >= 0x80 && !word_char(u + i, len - i, &fl, true)) {
    uint32_t c;
    size_t k = cs__utf8_decode(u + i, len - i, &c);
    *made = false;
    return i + (k ? k : 1);
  }
  size_t end = scan_token(u, len, i, &fl);
  uint64_t hash = wide ? hash_lower_wide(text + i, end - i, len - i)
                       : cs__hash_lower(text + i, end - i);
  *t = (cs__tok_t){.start = (uint32_t)i, .end = (uint32_t)end, .hash = hash, .flags = fl};
  finish_flags(t);
  *made = true;
  return end;
}

/* The length of the UTF-8 character at u[i] if it is one that posts are
 * full of and that is no letter, so separates tokens, else 0: general
 * punctuation and symbols U+2000-U+2BFF (’ “ ” – — … •: E2 80..AF xx) and
 * emoji U+1F000-U+1FFFF (F0 9F xx xx), as token_simple would skip them,
 * without decoding (is_letter_cp says no to both ranges). */
static inline size_t punct_utf8(const unsigned char *u, size_t len, size_t i) {
  if (u[i] == 0xE2 && len - i >= 3 && u[i + 1] >= 0x80 && u[i + 1] <= 0xAF &&
      (u[i + 2] & 0xC0) == 0x80)
    return 3;
  if (u[i] == 0xF0 && len - i >= 4 && u[i + 1] == 0x9F && (u[i + 2] & 0xC0) == 0x80 &&
      (u[i + 3] & 0xC0) == 0x80)
    return 4;
  return 0;
}

/* Inlined into both entry points, so each is compiled for its constant
 * `wide` (no test of it per token). */
#if defined(__GNUC__) || defined(__clang__)
#define CS_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define CS_ALWAYS_INLINE inline
#endif
/* Grows *toks to room for want tokens at least (doubling from 256). */
static int reserve_toks(cs__tok_t **toks, size_t *cap, size_t want) {
  if (*cap >= want) return CS_OK;
  size_t nc = *cap ? *cap : 256;
  while (nc < want) nc *= 2;
  cs__tok_t *nt = realloc(*toks, nc * sizeof *nt);
  if (!nt) return CS_ENOMEM;
  *toks = nt;
  *cap = nc;
  return CS_OK;
}

/* sized: *cap_out already holds (len + 1) / 2 tokens, the most a text can
 * have (a token and the byte that ends it take two bytes at least), so the
 * loop need not check for room. */
static CS_ALWAYS_INLINE int tokenize(const char *text, size_t len, cs__tok_t **toks_out,
                                     size_t *n_out, size_t *cap_out, bool wide, bool padded,
                                     bool sized) {
  const unsigned char *u = (const unsigned char *)text;
  if (len > UINT32_MAX) return CS_ERANGE;
#ifndef CS_TOK_WIDE
  (void)wide;
  (void)padded;
#endif
  /* locals, not the caller's pointers: the text is bytes, which may alias
   * anything, so stores through *toks would make the compiler reload them */
  cs__tok_t *toks = *toks_out;
  size_t n = 0, cap = *cap_out;
  for (size_t i = 0;;) {
    while (i < len && u[i] < 0x80 && !ascii_word[u[i]]) i++; /* separators */
    if (i >= len) break;
    if (!sized && n == cap) {
      if (reserve_toks(toks_out, cap_out, n + 1) != CS_OK) {
        *n_out = n;
        return CS_ENOMEM;
      }
      toks = *toks_out;
      cap = *cap_out;
    }
#ifdef CS_TOK_WIDE
    uint64_t hash;
    uint16_t fl;
    size_t end;
    if (wide && u[i] < 0x80 && (end = scan_token_wide(u, len, i, padded, &hash, &fl)) != 0) {
      toks[n++] = (cs__tok_t){.start = (uint32_t)i, .end = (uint32_t)end, .hash = hash, .flags = fl};
      /* past the separator after it, which is no letter (token_ends): one
       * ASCII byte, or the three of U+2019 (u[end] is readable: end < len,
       * or the padding's zero) */
      i = end + (u[end] < 0x80 ? 1 : 3);
      continue;
    }
#endif
    size_t skip;
    if (wide && (skip = punct_utf8(u, len, i)) != 0) {
      i += skip;
      continue;
    }
    bool made;
    i = token_simple(text, len, i, wide, &toks[n], &made);
    n += made;
  }
  *n_out = n;
  return CS_OK;
}

int cs__tokenize(const char *text, size_t len, cs__tok_t **toks, size_t *n, size_t *cap) {
  return tokenize(text, len, toks, n, cap, true, false, false);
}

int cs__tokenize_padded(const char *text, size_t len, cs__tok_t **toks, size_t *n, size_t *cap) {
  /* records up to 64 KiB (posts are a few hundred bytes) get room for
   * every token they could hold up front, at most 32Ki tokens (768 KiB) */
  enum { SIZED_MAX = 64 * 1024 };
  if (len > SIZED_MAX) return tokenize(text, len, toks, n, cap, true, true, false);
  if (reserve_toks(toks, cap, (len + 1) / 2) != CS_OK) return CS_ENOMEM;
  return tokenize(text, len, toks, n, cap, true, true, true);
}

int cs__tokenize_simple(const char *text, size_t len, cs__tok_t **toks, size_t *n, size_t *cap) {
  return tokenize(text, len, toks, n, cap, false, false, false);
}
