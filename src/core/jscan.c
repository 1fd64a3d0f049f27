/* jscan.c — a validating single-pass JSON object scanner (see jscan.h). */
#include "core/jscan.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CS_JSCAN_MAX_DEPTH 64

#define CS_JSCAN_MAX_FIELDS 16

typedef struct {
  const char *p, *end, *begin;
  const char *err_what;
  const char *err_at;
  size_t name_len[CS_JSCAN_MAX_FIELDS]; /* lengths of the wanted keys */
} scanner_t;

static bool fail(scanner_t *s, const char *at, const char *what) {
  if (!s->err_what) {
    s->err_what = what;
    s->err_at = at;
  }
  return false;
}

/* JSON's four whitespace bytes. Loops here run on a local copy of s->p:
 * through s, each step would be a store and a reload. */
static const bool json_ws[256] = {[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};

static void skip_ws(scanner_t *s) {
  const char *p = s->p, *end = s->end;
  while (p < end && json_ws[(unsigned char)*p]) p++;
  s->p = p;
}

static bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

const char *cs_jscan_skim(const char *p, const char *end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                ctl = _mm_set1_epi8(0x1f);
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                               _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl));
    int mask = _mm_movemask_epi8(hit);
    if (mask) return p + __builtin_ctz((unsigned)mask);
    p += 16;
  }
#endif
  while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) p++;
  return p;
}

/* The bytes that may follow a backslash, but for 'u'. */
static const bool simple_escape[256] = {['"'] = 1, ['\\'] = 1, ['/'] = 1, ['b'] = 1,
                                        ['f'] = 1, ['n'] = 1, ['r'] = 1, ['t'] = 1};

#if defined(__GNUC__) || defined(__clang__)
#define JSCAN_INLINE inline __attribute__((always_inline))
#else
#define JSCAN_INLINE inline
#endif

/* At an opening quote; leaves p after the closing quote. On a local
 * pointer: posts escape every few bytes (\n, \uXXXX), and each escape
 * would otherwise store and reload s->p. Inlined into both callers (keys
 * and values): a line is a dozen short strings, and a call's register
 * saves cost as much as scanning one. */
static JSCAN_INLINE bool scan_string(scanner_t *s, const char **raw, size_t *raw_len,
                                     bool *escaped) {
  const char *start = s->p + 1, *p = start, *end = s->end;
  bool esc = false;
  for (;;) {
    p = cs_jscan_skim(p, end);
    if (p >= end) return fail(s, start - 1, "unterminated string");
    if (*p == '"') break;
    if (*p != '\\') return fail(s, p, "control character in string");
    esc = true;
    if (end - p < 2) return fail(s, p, "unterminated string");
    unsigned char e = (unsigned char)p[1];
    if (e == 'u') {
      if (end - p < 6 || !is_hex(p[2]) || !is_hex(p[3]) || !is_hex(p[4]) || !is_hex(p[5]))
        return fail(s, p, "invalid \\u escape");
      p += 6;
    } else if (simple_escape[e]) {
      p += 2;
    } else {
      return fail(s, p, "invalid escape in string");
    }
  }
  if (raw) {
    *raw = start;
    *raw_len = (size_t)(p - start);
    *escaped = esc;
  }
  s->p = p + 1;
  return true;
}

static bool digits(scanner_t *s) {
  const char *start = s->p, *p = start, *end = s->end;
  while (p < end && *p >= '0' && *p <= '9') p++;
  s->p = p;
  return s->p > start;
}

static bool scan_number(scanner_t *s) {
  const char *start = s->p;
  if (*s->p == '-') s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!digits(s))
    return fail(s, start, "invalid number");
  if (s->p < s->end && *s->p == '.') {
    s->p++;
    if (!digits(s)) return fail(s, start, "invalid number");
  }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
    s->p++;
    if (s->p < s->end && (*s->p == '+' || *s->p == '-')) s->p++;
    if (!digits(s)) return fail(s, start, "invalid number");
  }
  return true;
}

static bool scan_literal(scanner_t *s, const char *word, size_t n) {
  if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
    return fail(s, s->p, "unexpected character");
  s->p += n;
  return true;
}

static bool scan_value(scanner_t *s, int depth, cs_jscan_field_t *out);
static bool scan_members(scanner_t *s, int depth, cs_jscan_field_t *fields, size_t n_fields);

static bool scan_array(scanner_t *s, int depth) {
  s->p++;
  skip_ws(s);
  if (s->p < s->end && *s->p == ']') return s->p++, true;
  for (;;) {
    skip_ws(s);
    if (!scan_value(s, depth + 1, NULL)) return false;
    skip_ws(s);
    if (s->p >= s->end) return fail(s, s->p, "unterminated array");
    if (*s->p == ']') return s->p++, true;
    if (*s->p != ',') return fail(s, s->p, "expected ',' or ']'");
    s->p++;
  }
}

static bool scan_value(scanner_t *s, int depth, cs_jscan_field_t *out) {
  if (depth > CS_JSCAN_MAX_DEPTH) return fail(s, s->p, "nesting too deep");
  if (s->p >= s->end) return fail(s, s->p, "expected a value");
  const char *start = s->p;
  cs_json_type_t type;
  const char *raw = NULL;
  size_t raw_len = 0;
  bool esc = false, ok;
  switch (*s->p) {
    case '"': type = CS_JSON_STRING; ok = scan_string(s, &raw, &raw_len, &esc); break;
    case '{': type = CS_JSON_OBJECT; s->p++; ok = scan_members(s, depth + 1, NULL, 0); break;
    case '[': type = CS_JSON_ARRAY; ok = scan_array(s, depth); break;
    case 't': type = CS_JSON_TRUE; ok = scan_literal(s, "true", 4); break;
    case 'f': type = CS_JSON_FALSE; ok = scan_literal(s, "false", 5); break;
    case 'n': type = CS_JSON_NULL; ok = scan_literal(s, "null", 4); break;
    default:
      if (*s->p != '-' && (*s->p < '0' || *s->p > '9')) return fail(s, s->p, "expected a value");
      type = CS_JSON_NUMBER;
      ok = scan_number(s);
  }
  if (ok && out) {
    out->type = type;
    out->raw = type == CS_JSON_STRING ? raw : start;
    out->raw_len = type == CS_JSON_STRING ? raw_len : (size_t)(s->p - start);
    out->escaped = esc;
  }
  return ok;
}

static cs_jscan_field_t *wanted(const scanner_t *s, cs_jscan_field_t *fields, size_t n,
                                const char *key, size_t len, bool escaped) {
  if (escaped) return NULL; /* wanted keys are plain; an escaped key cannot match cheaply */
  for (size_t i = 0; i < n; i++) {
    if (s->name_len[i] != len) continue;
    /* keys are short: a byte loop beats a call to memcmp */
    size_t k = 0;
    while (k < len && fields[i].name[k] == key[k]) k++;
    if (k == len) return &fields[i];
  }
  return NULL;
}

/* After '{': members up to and including the closing '}'. */
static bool scan_members(scanner_t *s, int depth, cs_jscan_field_t *fields, size_t n_fields) {
  skip_ws(s);
  if (s->p < s->end && *s->p == '}') return s->p++, true;
  for (;;) {
    skip_ws(s);
    if (s->p >= s->end || *s->p != '"') return fail(s, s->p, "expected a string key");
    const char *key;
    size_t key_len;
    bool key_esc;
    if (!scan_string(s, &key, &key_len, &key_esc)) return false;
    skip_ws(s);
    if (s->p >= s->end || *s->p != ':') return fail(s, s->p, "expected ':'");
    s->p++;
    skip_ws(s);
    cs_jscan_field_t *want = wanted(s, fields, n_fields, key, key_len, key_esc);
    if (s->p < s->end && *s->p == '"') { /* the common value, without scan_value's call */
      const char *raw;
      size_t raw_len;
      bool esc;
      if (!scan_string(s, &raw, &raw_len, &esc)) return false;
      if (want) {
        want->type = CS_JSON_STRING;
        want->raw = raw;
        want->raw_len = raw_len;
        want->escaped = esc;
      }
    } else if (!scan_value(s, depth, want)) {
      return false;
    }
    skip_ws(s);
    if (s->p >= s->end) return fail(s, s->p, "unterminated object");
    if (*s->p == '}') return s->p++, true;
    if (*s->p != ',') return fail(s, s->p, "expected ',' or '}'");
    s->p++;
  }
}

int cs_jscan_object(const char *line, size_t len, cs_jscan_field_t *fields, size_t n_fields,
                    size_t *err_at, const char **err_what) {
  scanner_t s = {line, line + len, line, NULL, NULL, {0}};
  if (n_fields > CS_JSCAN_MAX_FIELDS) n_fields = CS_JSCAN_MAX_FIELDS;
  for (size_t i = 0; i < n_fields; i++) {
    fields[i].type = CS_JSON_ABSENT;
    s.name_len[i] = strlen(fields[i].name);
  }
  skip_ws(&s);
  bool ok = s.p < s.end && *s.p == '{';
  if (!ok) fail(&s, s.p, "expected a JSON object");
  if (ok) {
    s.p++;
    ok = scan_members(&s, 1, fields, n_fields);
  }
  if (ok) {
    skip_ws(&s);
    if (s.p != s.end) ok = fail(&s, s.p, "unexpected text after the object");
  }
  if (ok) return CS_OK;
  *err_at = (size_t)(s.err_at - line);
  *err_what = s.err_what;
  return CS_EINVAL;
}

static unsigned hex4(const char *p) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

static size_t put_utf8(unsigned cp, char *o) {
  if (cp < 0x80) return o[0] = (char)cp, 1;
  if (cp < 0x800) return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 63)), 2;
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | cp >> 12);
    o[1] = (char)(0x80 | ((cp >> 6) & 63));
    o[2] = (char)(0x80 | (cp & 63));
    return 3;
  }
  o[0] = (char)(0xF0 | cp >> 18);
  o[1] = (char)(0x80 | ((cp >> 12) & 63));
  o[2] = (char)(0x80 | ((cp >> 6) & 63));
  o[3] = (char)(0x80 | (cp & 63));
  return 4;
}

/* Decodes the escape at raw[i] (a backslash); returns the raw bytes used. */
static size_t unescape_one(const char *raw, size_t i, size_t n, char *tmp, size_t *tmp_len) {
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  char e = raw[i + 1];
  if (e != 'u') {
    *tmp_len = 1;
    tmp[0] = to[strchr(from, e) - from];
    return 2;
  }
  unsigned cp = hex4(raw + i + 2);
  size_t used = 6;
  if (cp >= 0xD800 && cp < 0xDC00 && i + 12 <= n && raw[i + 6] == '\\' && raw[i + 7] == 'u') {
    unsigned lo = hex4(raw + i + 8);
    if (lo >= 0xDC00 && lo < 0xE000) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      used = 12;
    }
  }
  if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD; /* a lone surrogate has no UTF-8 form */
  *tmp_len = put_utf8(cp, tmp);
  return used;
}

int cs_jscan_unescape(const char *raw, size_t raw_len, char *out, size_t cap, size_t *out_len) {
  size_t o = 0;
  for (size_t i = 0; i < raw_len;) {
    /* copy the run up to the next escape in one go: escapes are rare */
    const char *bs = memchr(raw + i, '\\', raw_len - i);
    size_t run = bs ? (size_t)(bs - raw) - i : raw_len - i;
    if (run) {
      if (o + run > cap) return CS_ERANGE;
      memcpy(out + o, raw + i, run);
      o += run;
      i += run;
      continue;
    }
    char tmp[4];
    size_t tn = 1, used = unescape_one(raw, i, raw_len, tmp, &tn);
    if (o + tn > cap) return CS_ERANGE;
    memcpy(out + o, tmp, tn);
    o += tn;
    i += used;
  }
  *out_len = o;
  return CS_OK;
}
