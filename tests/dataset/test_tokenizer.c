/* test_tokenizer.c — training and encoding, as specifications.
 *
 * Merges on tiny corpora are worked out by hand; encode then decode must give
 * back any bytes at all; each placeholder is one token; training is
 * deterministic; the vocabulary is bounded by the uint16 shard format. */
#include "tok_fixture.h"

static cs_tokenizer_t *train_on(const char *text, size_t vocab, cs_tok_train_stats_t *st) {
  cs_tok_trainer_t *tr = NULL;
  cs_tokenizer_t *tok = NULL;
  cs_tok_train_opts_t opts = {.vocab = vocab};
  cs_diag_t d = {{0}};
  CHECK_INT(cs_tok_trainer_new(&tr), 0);
  CHECK_INT(cs_tok_trainer_add_text(tr, text, strlen(text)), 0);
  CHECK_INT(cs_tok_trainer_finish(tr, &opts, &tok, st, &d), 0);
  cs_tok_trainer_free(tr);
  return tok;
}

static void check_merges(const cs_tokenizer_t *tok, const uint32_t *want, size_t n) {
  CHECK_INT(cs_tokenizer_n_merges(tok), n);
  for (size_t r = 0; r < n && r < cs_tokenizer_n_merges(tok); r++) {
    uint32_t a, b;
    cs_tokenizer_merge(tok, r, &a, &b);
    CHECK_INT(a, want[2 * r]);
    CHECK_INT(b, want[2 * r + 1]);
  }
}

/* "ab ab ab cd": chunks ab, " ab" x2, " cd". (a,b) occurs 3 times, then
 * (" ", ab) twice; every other pair once, below the minimum count of 2. */
static void test_merges_by_hand(void) {
  cs_tok_train_stats_t st;
  cs_tokenizer_t *tok = train_on("ab ab ab cd", 1000, &st);
  static const uint32_t want[] = {'a', 'b', ' ', 267};
  check_merges(tok, want, 2);
  CHECK_INT(st.merges, 2);
  CHECK(st.stopped_early);
  CHECK_INT(st.chunks, 4);
  CHECK_INT(st.unique_chunks, 3);
  CHECK_INT(cs_tokenizer_vocab_size(tok), 269);
  cs_tokens_t t = {0};
  CHECK_INT(cs_tokenizer_encode(tok, NULL, "ab ab cd", 8, &t), 0);
  CHECK_INT(t.len, 5); /* [ab] [ ab] [ ] [c] [d] */
  if (t.len == 5) {
    CHECK_INT(t.ids[0], 267);
    CHECK_INT(t.ids[1], 268);
    CHECK_INT(t.ids[2], ' ');
  }
  const unsigned char *bytes;
  size_t len;
  CHECK_INT(cs_tokenizer_token_bytes(tok, 268, &bytes, &len), 0);
  CHECK(len == 3 && memcmp(bytes, " ab", 3) == 0);
  CHECK_INT(cs_tokenizer_token_bytes(tok, 269, &bytes, &len), CS_EINVAL);
  cs_tokens_free(&t);
  cs_tokenizer_free(tok);
}

/* Ties go to the lowest (left, right): "xy xy zw zw" has (x,y), (z,w) and
 * (" ",z) twice each; (" ",z) = (32,122) comes first, then (x,y) = (120,121)
 * before (" z",w) = (267,119). */
static void test_ties_lowest_ids_first(void) {
  cs_tokenizer_t *tok = train_on("xy xy zw zw", 1000, NULL);
  static const uint32_t want[] = {' ', 'z', 'x', 'y', 267, 'w'};
  check_merges(tok, want, 3);
  cs_tokenizer_free(tok);
}

/* An overlapping run: "aaaa" twice. (a,a) merges left to right: aa aa. */
static void test_overlapping_pairs(void) {
  cs_tokenizer_t *tok = train_on("aaaa aaaa", 1000, NULL);
  /* chunks "aaaa", " aaaa": (a,a) x6 -> [aa aa], [" " aa aa]; then (aa,aa) x2 */
  static const uint32_t want[] = {'a', 'a', 267, 267};
  check_merges(tok, want, 2);
  cs_tokens_t t = {0};
  CHECK_INT(cs_tokenizer_encode(tok, NULL, "aaaaa", 5, &t), 0);
  CHECK_INT(t.len, 2); /* [aaaa] [a] */
  if (t.len == 2) CHECK_INT(t.ids[0], 268);
  cs_tokens_free(&t);
  cs_tokenizer_free(tok);
}

static void check_round_trip(const cs_tokenizer_t *tok, cs_tokenizer_cache_t *cache,
                             const unsigned char *data, size_t len) {
  cs_tokens_t t = {0}, u = {0};
  cs_tok_bytes_t back = {0};
  CHECK_INT(cs_tokenizer_encode(tok, cache, data, len, &t), 0);
  CHECK_INT(cs_tokenizer_encode(tok, NULL, data, len, &u), 0); /* no cache: same tokens */
  CHECK(t.len == u.len && (t.len == 0 || memcmp(t.ids, u.ids, t.len * sizeof *t.ids) == 0));
  CHECK(t.len <= len);
  CHECK_INT(cs_tokenizer_decode(tok, t.ids, t.len, &back), 0);
  CHECK_INT(back.len, len);
  CHECK(back.len == len && (len == 0 || memcmp(back.data, data, len) == 0));
  for (size_t i = 0; i < t.len; i++) CHECK(t.ids[i] < cs_tokenizer_vocab_size(tok));
  cs_tokens_free(&t);
  cs_tokens_free(&u);
  cs_tok_bytes_free(&back);
}

static void test_round_trip_any_bytes(void) {
  cs_tokenizer_t *tok = fx_trained(300000, 2000);
  cs_tokenizer_cache_t *cache = NULL;
  CHECK_INT(cs_tokenizer_cache_new(tok, &cache), 0);
  unsigned char *buf = malloc(70000);
  for (int round = 0; round < 300; round++) { /* random bytes: NULs, invalid UTF-8 */
    size_t len = fx_rand(round < 250 ? 300 : 5000);
    for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)fx_rand(256);
    check_round_trip(tok, cache, buf, len);
  }
  static const unsigned char fills[] = {'a', ' ', 0, 0xFF, '\n', '7', '!', 0xC3};
  for (size_t i = 0; i < sizeof fills; i++) { /* long runs */
    memset(buf, fills[i], 70000);
    check_round_trip(tok, cache, buf, 70000);
  }
  size_t len;
  char *text = fx_corpus(60000, &len); /* text like the training data */
  check_round_trip(tok, cache, (const unsigned char *)text, len);
  check_round_trip(tok, cache, (const unsigned char *)"", 0);
  free(text);
  free(buf);
  cs_tokenizer_cache_free(cache);
  cs_tokenizer_free(tok);
}

static void test_placeholders_are_one_token(void) {
  cs_tokenizer_t *tok = fx_trained(100000, 1000);
  for (int id = CS_TOK_EOT + 1; id < CS_TOK_FIRST_MERGE; id++) {
    char text[64];
    const char *ph = cs_tokenizer_special_text(id);
    cs_tokens_t t = {0};
    CHECK_INT(cs_tokenizer_encode(tok, NULL, ph, strlen(ph), &t), 0);
    CHECK_INT(t.len, 1);
    if (t.len) CHECK_INT(t.ids[0], id);
    t.len = 0;
    int n = snprintf(text, sizeof text, "Mail%s!", ph); /* glued to words */
    CHECK_INT(cs_tokenizer_encode(tok, NULL, text, (size_t)n, &t), 0);
    int seen = 0;
    for (size_t i = 0; i < t.len; i++) seen += t.ids[i] == id;
    CHECK_INT(seen, 1);
    cs_tok_bytes_t back = {0};
    CHECK_INT(cs_tokenizer_decode(tok, t.ids, t.len, &back), 0);
    CHECK(back.len == (size_t)n && memcmp(back.data, text, (size_t)n) == 0);
    cs_tok_bytes_free(&back);
    cs_tokens_free(&t);
  }
  /* <|endoftext|> in text is just text; the id decodes to it. */
  cs_tokens_t t = {0};
  CHECK_INT(cs_tokenizer_encode(tok, NULL, "<|endoftext|>", 13, &t), 0);
  CHECK(t.len > 1);
  for (size_t i = 0; i < t.len; i++) CHECK(t.ids[i] != CS_TOK_EOT);
  cs_token_t eot = CS_TOK_EOT;
  cs_tok_bytes_t back = {0};
  CHECK_INT(cs_tokenizer_decode(tok, &eot, 1, &back), 0);
  CHECK(back.len == 13 && memcmp(back.data, "<|endoftext|>", 13) == 0);
  cs_tok_bytes_free(&back);
  cs_tokens_free(&t);
  cs_tokenizer_free(tok);
}

/* Encoding in pieces with encode_prefix gives the tokens of the whole. */
static void test_streaming_encode(void) {
  cs_tokenizer_t *tok = fx_trained(200000, 1500);
  size_t len;
  char *text = fx_corpus(100000, &len);
  cs_tokens_t whole = {0}, part = {0};
  CHECK_INT(cs_tokenizer_encode(tok, NULL, text, len, &whole), 0);
  char *buf = malloc(len);
  size_t fed = 0, have = 0, used;
  while (fed < len) {
    size_t k = 1 + fx_rand(3000);
    if (k > len - fed) k = len - fed;
    memcpy(buf + have, text + fed, k);
    have += k;
    fed += k;
    CHECK_INT(cs_tokenizer_encode_prefix(tok, NULL, buf, have, &part, &used), 0);
    memmove(buf, buf + used, have - used);
    have -= used;
  }
  CHECK_INT(cs_tokenizer_encode(tok, NULL, buf, have, &part), 0);
  CHECK_INT(part.len, whole.len);
  CHECK(part.len == whole.len && memcmp(part.ids, whole.ids, part.len * sizeof *part.ids) == 0);
  cs_tokens_free(&whole);
  cs_tokens_free(&part);
  free(buf);
  free(text);
  cs_tokenizer_free(tok);
}

static void test_deterministic(void) {
  char a[CS_TOK_HASH_HEX], b[CS_TOK_HASH_HEX];
  fx_rng = 42;
  cs_tokenizer_t *t1 = fx_trained(200000, 3000);
  fx_rng = 42;
  cs_tokenizer_t *t2 = fx_trained(200000, 3000);
  cs_tokenizer_hash(t1, a);
  cs_tokenizer_hash(t2, b);
  CHECK_STR(a, b);
  CHECK_INT(strlen(a), 64);
  cs_tokenizer_free(t1);
  cs_tokenizer_free(t2);
}

static void test_vocab_bounds(void) {
  cs_tok_trainer_t *tr = NULL;
  cs_tokenizer_t *tok = NULL;
  cs_diag_t d = {{0}};
  CHECK_INT(cs_tok_trainer_new(&tr), 0);
  CHECK_INT(cs_tok_trainer_add_text(tr, "hello hello", 11), 0);
  cs_tok_train_opts_t opts = {.vocab = 266};
  CHECK_INT(cs_tok_trainer_finish(tr, &opts, &tok, NULL, &d), CS_ERANGE);
  CHECK(strstr(d.msg, "267") != NULL);
  opts.vocab = 65536;
  CHECK_INT(cs_tok_trainer_finish(tr, &opts, &tok, NULL, &d), CS_ERANGE);
  CHECK(strstr(d.msg, "65535") != NULL);
  CHECK(tok == NULL);
  opts.vocab = 267; /* bytes and specials only */
  CHECK_INT(cs_tok_trainer_finish(tr, &opts, &tok, NULL, &d), 0);
  CHECK_INT(cs_tokenizer_vocab_size(tok), 267);
  cs_tokenizer_free(tok);
  tok = NULL;
  opts.vocab = 270;
  CHECK_INT(cs_tok_trainer_finish(tr, &opts, &tok, NULL, &d), 0);
  CHECK_INT(cs_tokenizer_vocab_size(tok), 270); /* exactly V when the text allows */
  cs_tokenizer_free(tok);
  cs_tok_trainer_free(tr);
  uint32_t *pairs = calloc(2 * 65269, sizeof *pairs);
  CHECK_INT(cs_tokenizer_from_merges(pairs, 65269, &tok, &d), CS_ERANGE);
  free(pairs);
}

static void test_bad_arguments(void) {
  cs_tokenizer_t *t1 = fx_trained(20000, 300), *t2 = fx_trained(20000, 300);
  cs_tokenizer_cache_t *c = NULL;
  CHECK_INT(cs_tokenizer_cache_new(t1, &c), 0);
  cs_tokens_t t = {0};
  CHECK_INT(cs_tokenizer_encode(t2, c, "x", 1, &t), CS_EINVAL); /* cache of another */
  cs_token_t ids[] = {'h', 'i', 300};
  cs_tok_bytes_t b = {0};
  CHECK_INT(cs_tokenizer_decode(t1, ids, 3, &b), CS_EINVAL);
  CHECK_INT(b.len, 0); /* unchanged */
  cs_tokenizer_cache_free(c);
  cs_tokenizer_free(t1);
  cs_tokenizer_free(t2);
  cs_tokenizer_cache_free(NULL);
  cs_tokenizer_free(NULL);
  cs_tok_trainer_free(NULL);
  cs_tokens_free(NULL);
  cs_tok_bytes_free(NULL);
}

RUN_TESTS(test_merges_by_hand, test_ties_lowest_ids_first, test_overlapping_pairs,
          test_round_trip_any_bytes, test_placeholders_are_one_token, test_streaming_encode,
          test_deterministic, test_vocab_bounds, test_bad_arguments)
