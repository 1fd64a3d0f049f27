/* windows.c — where in a record each Hyperscan database needs to look.
 *
 * A whole-record scan costs Hyperscan some 20 instructions a byte even for
 * plain literals, and almost every byte of a post is text that no pattern
 * can match. Each finder here returns disjoint windows, in order, that hold
 * every match of its database's patterns, with edges placed so that a scan
 * of the windows reports exactly what a scan of the whole record reports
 * (test_patterns compares the two on random texts). Pure functions of the
 * text: no state, safe from any thread.
 */
#include "redact/internal.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* 1: a digit; 2: one of " -./()+" */
static const unsigned char num_class[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, [' '] = 2, ['-'] = 2, ['.'] = 2, ['/'] = 2, ['('] = 2, [')'] = 2,
    ['+'] = 2};

#if !defined(__SSE2__)
/* Whether any of the 8 bytes at s is in [lo, hi] (ASCII, hi < 127): per
 * byte, with the top bit masked off (no carries), 127 + (hi + 1) - b and
 * b + 127 - (lo - 1) both have bit 7 set exactly when lo <= b <= hi; bytes
 * >= 0x80 are out. Inlined with constant bounds at each use. */
static inline bool range8(const unsigned char *s, unsigned lo, unsigned hi) {
  const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80, low7 = ones * 0x7F;
  uint64_t w;
  memcpy(&w, s, 8);
  uint64_t x = w & low7;
  return ((ones * (127 + hi + 1) - x) & ~w & (x + ones * (127 - (lo - 1))) & high) != 0;
}
#endif

/* The first byte in [i, lim) that lies in [lo, hi] (ASCII), or lim:
 * sixteen bytes at a time where SSE2 is there (signed compares: bytes >=
 * 0x80 are negative, so out), the last block too, as the text has sixteen
 * readable bytes past its end (internal.h); else eight (range8). Digits
 * are one byte in a dozen of a post, so most blocks hold none. */
static inline size_t next_in_range(const unsigned char *u, size_t i, size_t lim, char lo, char hi) {
#if defined(__SSE2__)
  const __m128i below = _mm_set1_epi8((char)(lo - 1)), above = _mm_set1_epi8((char)(hi + 1));
  for (; i < lim; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
    unsigned m = (unsigned)_mm_movemask_epi8(
        _mm_and_si128(_mm_cmpgt_epi8(v, below), _mm_cmpgt_epi8(above, v)));
    if (m) return i + (size_t)__builtin_ctz(m) < lim ? i + (size_t)__builtin_ctz(m) : lim;
  }
  return lim;
#else
  while (lim - i >= 8 && !range8(u + i, (unsigned char)lo, (unsigned char)hi)) i += 8;
  while (i < lim && !(u[i] >= (unsigned char)lo && u[i] <= (unsigned char)hi)) i++;
  return i;
#endif
}

bool cs__numeric_window(const char *text, size_t len, size_t *from, size_t *ws, size_t *we,
                        size_t *n_digits) {
  const unsigned char *u = (const unsigned char *)text;
  size_t i = *from;
  while (i < len) {
    i = next_in_range(u, i, len, '0', '9');
    if (i == len) break;
    size_t s = i, digits = 0, dots = 0;
    while (s > *from && num_class[u[s - 1]]) s--;
    for (;;) {
      for (; i < len && num_class[u[i]]; i++) {
        digits += num_class[u[i]] == 1;
        dots += u[i] == '.';
      }
      /* a phone extension: "x123", "ext. 123" */
      size_t k = i;
      if (k < len && u[k] == 'x') k++;
      else if (k + 2 < len && u[k] == 'e' && u[k + 1] == 'x' && u[k + 2] == 't') k += 3;
      if (k == i) break;
      if (k < len && u[k] == '.') k++;
      if (k < len && u[k] == ' ') k++;
      if (k >= len || num_class[u[k]] != 1) break;
      i = k;
    }
    /* what validates needs 7 digits (a phone; a card or SSN more), or 4
     * and three dots (IPv4): "2024", "12.5%" and "03/04" hold none */
    if (digits >= 7 || (digits >= 4 && dots >= 3)) {
      *ws = s;
      *we = *from = i;
      *n_digits = digits;
      return true;
    }
  }
  *from = len;
  return false;
}

/* Windows for the alphanumeric database. Every match of its patterns
 * (IPv6, IBAN, NINO, postcodes; pattern_table.h) holds a trigger at most
 * ALNUM_BEFORE bytes after its start and is at most ALNUM_LEN bytes long
 * (an IBAN: 64). A trigger is
 *   - a digit after an upper-case ASCII letter: a postcode's "SW1A", "M1",
 *     "K1A" (both postcode patterns are upper case, with one or two letters
 *     right before their first digit);
 *   - a digit after two ASCII letters of either case, with a digit after
 *     it: an IBAN's "GB82" or "gb82", a NINO's "AB12" (both caseless, two
 *     letters and two digits); "mp3" or "x2" start nothing;
 *   - a digit after a letter and a space, with a digit after it: a NINO's
 *     "AB 12";
 *   - a ':' with another ':' at most five bytes on: an IPv6 address has two
 *     colons with at most four hex digits between ("fe80::1": the match
 *     starts at most four bytes before its first colon).
 * So the match lies in [q - ALNUM_BEFORE, q + ALNUM_LEN) of its first
 * trigger q. Windows are those ranges, merged when less than ALNUM_GAP
 * apart (a call has a fixed cost), then widened to bytes that are no word
 * bytes for Hyperscan's \b ([A-Za-z0-9_]), so that a window's ends are
 * boundaries exactly where the text's are, and Hyperscan's leftmost start
 * of a match is the same in the window as in the whole text (all of its
 * starts lie in the window). Most digits of a post ("in 2024", "5 years")
 * start none. */
enum { ALNUM_BEFORE = 8, ALNUM_LEN = 72, ALNUM_GAP = 256 };

/* 1: a trigger (digit or ':'); 2: another word byte for \b. */
static const unsigned char alnum_class[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, [':'] = 1, ['_'] = 2,
#define W2(c) [c] = 2, [c + 32] = 2
    W2('A'), W2('B'), W2('C'), W2('D'), W2('E'), W2('F'), W2('G'), W2('H'), W2('I'), W2('J'),
    W2('K'), W2('L'), W2('M'), W2('N'), W2('O'), W2('P'), W2('Q'), W2('R'), W2('S'), W2('T'),
    W2('U'), W2('V'), W2('W'), W2('X'), W2('Y'), W2('Z')
#undef W2
};

static bool hs_word(unsigned char c) { return c != ':' && alnum_class[c] != 0; }

static bool ascii_letter(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

/* Whether u[q], a digit or ':', is a trigger (see above). */
static bool alnum_trigger(const unsigned char *u, size_t len, size_t q) {
  if (u[q] == ':') {
    for (size_t k = q + 1; k < len && k <= q + 5; k++)
      if (u[k] == ':') return true;
    return false;
  }
  if (q == 0) return false;
  bool next_digit = q + 1 < len && u[q + 1] >= '0' && u[q + 1] <= '9';
  if (u[q - 1] >= 'A' && u[q - 1] <= 'Z') return true;
  if (ascii_letter(u[q - 1])) return q >= 2 && ascii_letter(u[q - 2]) && next_digit;
  return q >= 2 && u[q - 1] == ' ' && ascii_letter(u[q - 2]) && next_digit;
}

/* The first trigger in [i, lim), or lim. */
static size_t next_alnum_trigger(const unsigned char *u, size_t len, size_t i, size_t lim) {
  for (;; i++) {
    i = next_in_range(u, i, lim, '0', ':'); /* ':' is '9' + 1 */
    if (i >= lim || alnum_trigger(u, len, i)) return i;
  }
}

/* The trigger finders' shape: the first trigger in [i, lim), or lim. */
typedef size_t (*next_trigger_fn)(const unsigned char *u, size_t len, size_t i, size_t lim);

/* The next window at or after *from: [q - before, q + after) around the
 * first trigger q, joined by every trigger less than gap past its end,
 * then widened on both sides to bytes that are no word bytes for \b
 * (inlined into each finder with its constants). */
static inline __attribute__((always_inline)) bool
next_window(const unsigned char *u, size_t len, size_t *from, size_t *ws, size_t *we,
            next_trigger_fn next, size_t before, size_t after, size_t gap) {
  size_t p = next(u, len, *from, len);
  if (p >= len) {
    *from = len;
    return false;
  }
  size_t a = p > *from + before ? p - before : *from;
  while (a > *from && hs_word(u[a - 1])) a--;
  size_t b = len - p > after ? p + after : len, j = p + 1;
  for (;;) {
    for (;;) {
      size_t lim = len - b > gap ? b + gap : len;
      size_t q = next(u, len, j, lim);
      if (q >= lim) {
        j = lim;
        break;
      }
      if (b < q + after) b = len - q > after ? q + after : len;
      j = q + 1;
    }
    size_t e = b;
    while (e < len && hs_word(u[e])) e++;
    if (e == b) break;
    b = e; /* to a boundary; look for triggers past it again */
  }
  *ws = a;
  *we = *from = b;
  return true;
}

bool cs__alnum_window(const char *text, size_t len, size_t *from, size_t *ws, size_t *we) {
  return next_window((const unsigned char *)text, len, from, ws, we, next_alnum_trigger,
                     ALNUM_BEFORE, ALNUM_LEN, ALNUM_GAP);
}

/* Windows for the anchor database (e-mail, URL, www, domain). Every match
 * holds a trigger: '@' (the e-mail anchor's first byte), "://" of a scheme
 * (':' followed by '/', at most ANCHOR_BEFORE - 1 bytes after the match's
 * start, "https" being the longest scheme), or '.' followed by an ASCII
 * letter or digit ("www." and a domain's ".com"; a top-level domain is at
 * most six letters, so the match ends within ANCHOR_AFTER bytes of it). A
 * window is [q - ANCHOR_BEFORE, q + ANCHOR_AFTER) around each trigger q,
 * merged when less than ANCHOR_GAP apart and widened to non-word bytes as
 * the alphanumeric windows are, so that \b at its edges is what it is in
 * the record. The patterns have no start-of-match tracking, so only the
 * ends need to agree, and they do: every match lies inside one window. */
enum { ANCHOR_BEFORE = 6, ANCHOR_AFTER = 8, ANCHOR_GAP = 256 };

static bool ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Whether u[q] (one of '@', '.', ':') is a trigger; looks at u[q + 1]. */
static inline bool anchor_trigger(const unsigned char *u, size_t len, size_t q) {
  if (u[q] == '@') return true;
  if (q + 1 >= len) return false;
  return u[q] == '.' ? ascii_alnum(u[q + 1]) : u[q] == ':' && u[q + 1] == '/';
}

/* The first trigger in [i, lim), or lim. Sixteen bytes at a time where
 * SSE2 is there (every x86-64), byte by byte otherwise: sentences end in
 * '.', so the candidates still need their next byte looked at. */
static size_t next_anchor_trigger(const unsigned char *u, size_t len, size_t i, size_t lim) {
#if defined(__SSE2__)
  const __m128i at = _mm_set1_epi8('@'), dot = _mm_set1_epi8('.'), col = _mm_set1_epi8(':');
  for (; i < lim; i += 16) { /* the last block reads past lim: see next_in_range */
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, at), _mm_cmpeq_epi8(v, dot)),
                               _mm_cmpeq_epi8(v, col));
    for (unsigned m = (unsigned)_mm_movemask_epi8(hit); m; m &= m - 1) {
      size_t q = i + (size_t)__builtin_ctz(m);
      if (q >= lim) return lim;
      if (anchor_trigger(u, len, q)) return q;
    }
  }
  return lim;
#else
  for (; i < lim; i++)
    if ((u[i] == '@' || u[i] == '.' || u[i] == ':') && anchor_trigger(u, len, i)) return i;
  return lim;
#endif
}

bool cs__anchor_window(const char *text, size_t len, size_t *from, size_t *ws, size_t *we) {
  return next_window((const unsigned char *)text, len, from, ws, we, next_anchor_trigger,
                     ANCHOR_BEFORE, ANCHOR_AFTER, ANCHOR_GAP);
}
