/* fuzz_redact.c — libFuzzer target for the redaction engine.
 *
 * Feeds arbitrary bytes to cs_redact_find, cs_redact_text and
 * cs_redact_jsonl_line, and traps if an invariant breaks: matches in bounds,
 * sorted, non-overlapping and on UTF-8 character boundaries; the output of a
 * record with no match is the input itself. Build with
 *   CC=clang cmake -S . -B build-fuzz -DCS_FUZZ=ON && make -C build-fuzz fuzz_redact
 * and run fuzz/run.sh (CTest runs it for 30 s as fuzz/redact).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <consentry/redact.h>

static cs_redactor_t *R;
static cs_redact_scratch_t *S;

static void setup(void) {
  static const uint8_t key[] = "fuzzing-key-0123456789abcdef";
  cs_redact_opts_t o = {.key = key, .key_len = sizeof key - 1, .max_pii = 50};
  cs_diag_t d;
  if (cs_redactor_new(&o, &R, &d) || cs_redactor_add_member(R, "Ada Lovelace", "ada", NULL, &d) ||
      cs_redactor_add_member(R, "Zoë Ñandú-Ō'Brien", "@zoe_n", NULL, &d) ||
      cs_redactor_compile(R, &d) || cs_redact_scratch_new(R, &S))
    abort();
}

/* Length of the valid UTF-8 sequence at t (strict: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t valid_seq(const uint8_t *t, size_t n) {
  uint8_t c = t[0];
  size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (k == 0 || c > 0xF4 || k > n) return 0;
  uint32_t v = c & (0x3F >> (k - 1));
  for (size_t i = 1; i < k; i++) {
    if ((t[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (t[i] & 0x3F);
  }
  if ((k == 3 && v < 0x800) || (k == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  return k;
}

/* Whether offset i falls inside a valid multi-byte character. */
static int splits(const uint8_t *t, size_t n, size_t i) {
  for (size_t back = 1; back <= 3 && back <= i && i < n; back++) {
    if ((t[i - back] & 0xC0) == 0x80) continue;
    return valid_seq(t + i - back, n - (i - back)) > back;
  }
  return 0;
}

static void check_matches(const uint8_t *data, size_t size) {
  const cs_pii_match_t *m;
  size_t n;
  if (cs_redact_find(R, S, (const char *)data, size, &m, &n) != 0) return;
  size_t prev_end = 0;
  for (size_t i = 0; i < n; i++) {
    if (m[i].start < prev_end || m[i].end <= m[i].start || m[i].end > size ||
        (unsigned)m[i].type >= CS_PII_N_TYPES)
      __builtin_trap();
    /* a match never starts or ends inside a valid multi-byte character */
    if (splits(data, size, m[i].start) || splits(data, size, m[i].end)) __builtin_trap();
    prev_end = m[i].end;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!R) setup();
  check_matches(data, size);
  const char *out;
  size_t out_len;
  cs_redact_result_t res;
  if (cs_redact_text(R, S, (const char *)data, size, &out, &out_len, &res) == 0 && !res.changed &&
      (out_len != size || (size && memcmp(out, data, size) != 0)))
    __builtin_trap();
  cs_diag_t d;
  (void)cs_redact_jsonl_line(R, S, (const char *)data, size, &out, &out_len, &res, &d);
  return 0;
}
