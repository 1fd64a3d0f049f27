/* test_tokenizer_pretok.c — how text is cut into chunks and placeholders.
 *
 * Expected chunks are those of GPT-2's pattern (see tokenizer_pretok.c);
 * streaming in any block size must cut exactly as cutting all at once. */
#include "dataset/tokenizer_int.h"
#include "tok_fixture.h"

#define MAX_PIECES 64

typedef struct {
  char text[MAX_PIECES][300];
  int special[MAX_PIECES];
  size_t n;
} pieces_t;

static int collect(void *ctx, const unsigned char *p, size_t len, int special) {
  pieces_t *ps = ctx;
  if (ps->n == MAX_PIECES || len >= sizeof ps->text[0]) return CS_ERANGE;
  memcpy(ps->text[ps->n], p, len);
  ps->text[ps->n][len] = '\0';
  ps->special[ps->n++] = special;
  return 0;
}

/* Cuts text and compares with the '|'-separated expectation. */
static void expect_cut(const char *text, const char *want) {
  pieces_t ps = {.n = 0};
  CHECK_INT(cs__pretok_walk((const unsigned char *)text, strlen(text), true, collect, &ps, NULL), 0);
  char got[1024] = "";
  size_t at = 0;
  for (size_t i = 0; i < ps.n && at < sizeof got - 320; i++)
    at += (size_t)snprintf(got + at, sizeof got - at, "%s%s", i ? "|" : "", ps.text[i]);
  CHECK_STR(got, want);
}

static void test_gpt2_rules(void) {
  expect_cut("Hello world", "Hello| world");
  expect_cut("don't we'll they're I'm you've he'd it's", "don|'t| we|'ll| they|'re| I|'m| you|'ve| he|'d| it|'s");
  expect_cut("  hi", " | hi");
  expect_cut("a\n\nb", "a|\n|\n|b");
  expect_cut("x   \ny", "x|   |\n|y");
  expect_cut("end  ", "end|  ");
  expect_cut("12345 abc 7x", "12345| abc| 7|x");
  expect_cut("wow!!! ok?!", "wow|!!!| ok|?!");
  expect_cut("a , b", "a| ,| b");
  expect_cut("café naïve", "café| naïve");
  expect_cut("hi 🙂 — “quoted”", "hi| 🙂| —| “|quoted|”");
  expect_cut("tab\there", "tab|\t|here");
  expect_cut("'x", "'|x");
  expect_cut("''s", "''|s"); /* a contraction only starts a chunk */
}

static void test_placeholders(void) {
  pieces_t ps = {.n = 0};
  const char *t = "mail <EMAIL>, or <PHONE><URL> <|endoftext|> <IP <ip> <NINO>";
  CHECK_INT(cs__pretok_walk((const unsigned char *)t, strlen(t), true, collect, &ps, NULL), 0);
  int specials = 0;
  for (size_t i = 0; i < ps.n; i++) {
    if (!ps.special[i]) continue;
    specials++;
    CHECK_STR(ps.text[i], cs_tokenizer_special_text(ps.special[i]));
  }
  CHECK_INT(specials, 4); /* EMAIL PHONE URL NINO; not <|endoftext|>, "<IP " or "<ip>" */
  expect_cut("a<EMAIL>b", "a|<EMAIL>|b");
  expect_cut("x <|endoftext|>", "x| <||endoftext||>"); /* just text */
  for (int id = CS_TOK_EOT + 1; id < CS_TOK_FIRST_MERGE; id++) {
    const char *s = cs_tokenizer_special_text(id);
    size_t len = 0;
    CHECK_INT(cs__pretok_placeholder((const unsigned char *)s, (const unsigned char *)s + strlen(s), &len), id);
    CHECK_INT(len, strlen(s));
  }
  CHECK(cs_tokenizer_special_text(CS_TOK_FIRST_MERGE) == NULL);
  CHECK(cs_tokenizer_special_text(255) == NULL);
}

static void test_long_runs_are_cut(void) {
  unsigned char buf[1000];
  memset(buf, 'a', sizeof buf);
  CHECK_INT(cs__pretok_chunk(buf, buf + sizeof buf), CS_TOK_MAX_CHUNK);
  memset(buf, ' ', sizeof buf);
  CHECK_INT(cs__pretok_chunk(buf, buf + sizeof buf), CS_TOK_MAX_CHUNK);
  /* A run of 2-byte letters is cut between code points. */
  for (size_t i = 0; i + 1 < sizeof buf; i += 2) buf[i] = 0xC3, buf[i + 1] = 0xA9; /* é */
  CHECK_INT(cs__pretok_chunk(buf, buf + sizeof buf), CS_TOK_MAX_CHUNK);
  for (size_t i = 0; i + 2 < sizeof buf; i += 3) buf[i] = 0xE4, buf[i + 1] = 0xB8, buf[i + 2] = 0xAD;
  CHECK_INT(cs__pretok_chunk(buf, buf + 999), 255); /* 85 three-byte code points */
  unsigned char bad[] = {0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80, 0xF0, 0x9F, 0x99};
  CHECK_INT(cs__pretok_chunk(bad, bad + sizeof bad), sizeof bad); /* invalid UTF-8 is punctuation */
}

/* Walking in blocks, keeping the unconsumed rest, gives the same pieces. */
typedef struct {
  size_t n;
  uint64_t h;
} digest_t;

static int digest(void *ctx, const unsigned char *p, size_t len, int special) {
  digest_t *d = ctx;
  d->n++;
  d->h = (d->h ^ (uint64_t)special) * 1099511628211ull;
  for (size_t i = 0; i < len; i++) d->h = (d->h ^ p[i]) * 1099511628211ull;
  d->h = (d->h ^ 0xFF00) * 1099511628211ull; /* piece boundary */
  return 0;
}

static void random_text(unsigned char *buf, size_t len) {
  static const char *const bits[] = {" ", "  ", "\n", "'ll", "'s", "<EMAIL>", "<EMA", "<",
                                     "word", "é", "🙂", "123", "!!", "\t \n", "\xff", "\xe2\x80"};
  for (size_t at = 0; at < len;) {
    const char *b = bits[fx_rand(sizeof bits / sizeof *bits)];
    size_t k = strlen(b);
    if (fx_rand(7) == 0) {
      k = 1 + fx_rand(400);
      unsigned char c = (unsigned char)" a1.\xc3"[fx_rand(5)];
      for (size_t i = 0; i < k && at + i < len; i++) buf[at + i] = c;
    } else {
      for (size_t i = 0; i < k && at + i < len; i++) buf[at + i] = (unsigned char)b[i];
    }
    at += k;
  }
}

static void test_streaming_equals_whole(void) {
  enum { N = 200000 };
  unsigned char *text = malloc(N), *buf = malloc(N);
  random_text(text, N);
  digest_t whole = {0, 14695981039346656037ull};
  CHECK_INT(cs__pretok_walk(text, N, true, digest, &whole, NULL), 0);
  for (int round = 0; round < 20; round++) {
    digest_t part = {0, 14695981039346656037ull};
    size_t fed = 0, have = 0, used = 0;
    while (fed < N) {
      size_t k = 1 + fx_rand(round < 10 ? 40 : 5000);
      if (k > N - fed) k = N - fed;
      memcpy(buf + have, text + fed, k);
      have += k;
      fed += k;
      CHECK_INT(cs__pretok_walk(buf, have, false, digest, &part, &used), 0);
      CHECK(have - used < CS_TOK_MAX_CHUNK + CS_TOK_LOOKAHEAD);
      memmove(buf, buf + used, have - used);
      have -= used;
    }
    CHECK_INT(cs__pretok_walk(buf, have, true, digest, &part, &used), 0);
    CHECK_INT(part.n, whole.n);
    CHECK(part.h == whole.h);
  }
  free(text);
  free(buf);
}

RUN_TESTS(test_gpt2_rules, test_placeholders, test_long_runs_are_cut, test_streaming_equals_whole)
