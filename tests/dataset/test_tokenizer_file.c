/* test_tokenizer_file.c — tokenizer.json and the training inputs.
 *
 * Save then load gives the same tokenizer and hash, and the hash is the
 * file's SHA-256; every kind of malformed file is refused with FILE:LINE;
 * text files stream to the same counts as in-memory text; content JSONL is
 * read by its `text` field, with errors naming the line. */
#include <sodium.h>

#include "tok_fixture.h"

static char dir[64];

static void save_load(void) {
  cs_tokenizer_t *tok = fx_trained(100000, 900), *back = NULL;
  cs_diag_t d = {{0}};
  CHECK_INT(cs_tokenizer_save(tok, dir, &d), 0);
  CHECK_INT(cs_tokenizer_load(dir, &back, &d), 0);
  if (!back) return;
  CHECK_INT(cs_tokenizer_vocab_size(back), cs_tokenizer_vocab_size(tok));
  for (size_t r = 0; r < cs_tokenizer_n_merges(tok); r++) {
    uint32_t a, b, c, e;
    cs_tokenizer_merge(tok, r, &a, &b);
    cs_tokenizer_merge(back, r, &c, &e);
    CHECK(a == c && b == e);
  }
  char h1[CS_TOK_HASH_HEX], h2[CS_TOK_HASH_HEX], h3[CS_TOK_HASH_HEX];
  cs_tokenizer_hash(tok, h1);
  cs_tokenizer_hash(back, h2);
  CHECK_STR(h1, h2);
  /* The hash is the file's SHA-256. */
  char path[128];
  snprintf(path, sizeof path, "%s/tokenizer.json", dir);
  FILE *f = fopen(path, "rb");
  static unsigned char buf[1 << 20];
  size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (f) fclose(f);
  unsigned char sha[32];
  crypto_hash_sha256(sha, buf, n);
  for (int i = 0; i < 32; i++) snprintf(h3 + 2 * i, 3, "%02x", sha[i]);
  CHECK_STR(h1, h3);
  cs_tokenizer_free(back);
  cs_tokenizer_free(tok);
}

/* The canonical file of a tokenizer with merges [97,98] [267,99] [32,268]. */
static const char good[] =
    "{\n"
    "  \"format\": \"consentry-bpe\",\n"
    "  \"version\": 1,\n"
    "  \"pretokenizer\": \"gpt2-bytes-v1\",\n"
    "  \"max_chunk_bytes\": 256,\n"
    "  \"vocab_size\": 270,\n"
    "  \"n_merges\": 3,\n"
    "  \"special_tokens\": [\n"
    "    {\"id\": 256, \"text\": \"<|endoftext|>\"},\n"
    "    {\"id\": 257, \"text\": \"<EMAIL>\"},\n"
    "    {\"id\": 258, \"text\": \"<PHONE>\"},\n"
    "    {\"id\": 259, \"text\": \"<URL>\"},\n"
    "    {\"id\": 260, \"text\": \"<IP>\"},\n"
    "    {\"id\": 261, \"text\": \"<CREDIT_CARD>\"},\n"
    "    {\"id\": 262, \"text\": \"<IBAN>\"},\n"
    "    {\"id\": 263, \"text\": \"<SSN>\"},\n"
    "    {\"id\": 264, \"text\": \"<NINO>\"},\n"
    "    {\"id\": 265, \"text\": \"<PERSON>\"},\n"
    "    {\"id\": 266, \"text\": \"<ADDRESS>\"}\n"
    "  ],\n"
    "  \"merges\": [\n"
    "    [97, 98],\n"
    "    [267, 99],\n"
    "    [32, 268]\n"
    "  ]\n"
    "}\n";

/* Loads good with `from` replaced by `to`; returns the code, diag in d. */
static int load_variant(const char *from, const char *to, cs_diag_t *d) {
  char text[sizeof good + 256];
  const char *at = strstr(good, from);
  CHECK(at != NULL);
  if (!at) return 0;
  size_t pre = (size_t)(at - good), fl = strlen(from), tl = strlen(to);
  memcpy(text, good, pre);
  memcpy(text + pre, to, tl);
  memcpy(text + pre + tl, at + fl, sizeof good - pre - fl); /* with the NUL */
  fx_write(dir, "tokenizer.json", text, strlen(text));
  cs_tokenizer_t *tok = NULL;
  d->msg[0] = '\0';
  int rc = cs_tokenizer_load(dir, &tok, d);
  cs_tokenizer_free(tok);
  return rc;
}

/* The variant is refused and the message names line `line` and says what. */
static void refused(const char *from, const char *to, int line, const char *what) {
  cs_diag_t d;
  CHECK_INT(load_variant(from, to, &d), CS_EINVAL);
  char want[128];
  snprintf(want, sizeof want, "%s/tokenizer.json:%d: ", dir, line);
  CHECK(strncmp(d.msg, want, strlen(want)) == 0);
  CHECK(strstr(d.msg, what) != NULL);
  if (strncmp(d.msg, want, strlen(want)) != 0 || !strstr(d.msg, what))
    fprintf(stderr, "  got: %s\n  want: %s...%s\n", d.msg, want, what);
}

static void malformed_files(void) {
  cs_diag_t d;
  CHECK_INT(load_variant("{\n", "{\n", &d), 0); /* the good file loads */
  refused("consentry-bpe", "gpt2", 2, "consentry-bpe");
  refused("\"version\": 1", "\"version\": 2", 3, "version 2 is not supported");
  refused("\"version\": 1", "\"version\": 01", 3, "version");
  refused("\"vocab_size\": 270", "\"vocab_size\": 271", 7, "n_merges equal to vocab_size - 267");
  refused("\"vocab_size\": 270", "\"vocab_size\": 65536", 6, "vocab_size");
  refused("\"vocab_size\": 270", "\"vocab_size\": 100", 6, "at least 267");
  refused("<SSN>", "<SIN>", 16, "<SSN>");
  refused("[267, 99]", "[269, 99]", 23, "not yet defined");
  refused("[267, 99]", "[97, 98]", 23, "repeats merge 0");
  refused("[267, 99]", "[256, 99]", 23, "special token");
  refused("[267, 99]", "[267,99]", 23, "LEFT, RIGHT");
  refused("[267, 99]", "[267, -1]", 23, "LEFT, RIGHT");
  refused("[32, 268]\n", "[32, 268],\n", 24, "the last merge");
  refused("[97, 98],\n", "[97, 98]\n", 22, "a merge as");
  refused("  ]\n}\n", "  ]\n}\n\n", 27, "the end of the file");
  refused("  ]\n}\n", "  ]\n}", 26, "a newline");
  refused("  ]\n}\n", "", 25, "cut short");
  refused("{\n", "{\r\n", 1, "\"{\"");
  refused("    [267, 99],\n", "", 23, "a merge as"); /* n_merges says 3, 2 present */
  CHECK_INT(load_variant("{\n", "{\n", &d), 0);
}

static void long_tokens_refused(void) {
  uint32_t pairs[2 * 9];
  pairs[0] = pairs[1] = 'a';
  for (int r = 1; r < 9; r++) pairs[2 * r] = pairs[2 * r + 1] = (uint32_t)(CS_TOK_FIRST_MERGE + r - 1);
  cs_tokenizer_t *tok = NULL;
  cs_diag_t d;
  CHECK_INT(cs_tokenizer_from_merges(pairs, 8, &tok, &d), 0); /* 256 bytes: fine */
  cs_tokenizer_free(tok);
  CHECK_INT(cs_tokenizer_from_merges(pairs, 9, &tok, &d), CS_EINVAL); /* 512 */
  CHECK(strstr(d.msg, "merge 8: makes a token of 512 bytes") != NULL);
}

static void missing_file(void) {
  cs_tokenizer_t *tok = NULL;
  cs_diag_t d;
  CHECK_INT(cs_tokenizer_load("/nonexistent/tok", &tok, &d), CS_ENOTFOUND);
  CHECK(strstr(d.msg, "/nonexistent/tok/tokenizer.json") != NULL);
}

static cs_tokenizer_t *train_files(const char *name, bool jsonl, int *rc, cs_diag_t *d) {
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  cs_tok_trainer_t *tr = NULL;
  cs_tokenizer_t *tok = NULL;
  cs_tok_train_opts_t opts = {.vocab = 600};
  CHECK_INT(cs_tok_trainer_new(&tr), 0);
  *rc = jsonl ? cs_tok_trainer_add_jsonl(tr, path, &opts, d)
              : cs_tok_trainer_add_text_file(tr, path, &opts, d);
  if (*rc == 0) *rc = cs_tok_trainer_finish(tr, &opts, &tok, NULL, d);
  cs_tok_trainer_free(tr);
  return tok;
}

/* A text file streamed in blocks trains exactly as the same text in memory. */
static void text_file_input(void) {
  size_t len;
  char *text = fx_corpus(3 << 20, &len); /* several read blocks */
  fx_write(dir, "input.txt", text, len);
  cs_tok_trainer_t *tr = NULL;
  cs_tokenizer_t *mem = NULL;
  cs_tok_train_opts_t opts = {.vocab = 600};
  cs_diag_t d;
  CHECK_INT(cs_tok_trainer_new(&tr), 0);
  CHECK_INT(cs_tok_trainer_add_text(tr, text, len), 0);
  CHECK_INT(cs_tok_trainer_finish(tr, &opts, &mem, NULL, &d), 0);
  cs_tok_trainer_free(tr);
  int rc;
  cs_tokenizer_t *file = train_files("input.txt", false, &rc, &d);
  CHECK_INT(rc, 0);
  char h1[CS_TOK_HASH_HEX], h2[CS_TOK_HASH_HEX];
  cs_tokenizer_hash(mem, h1);
  if (file) cs_tokenizer_hash(file, h2);
  CHECK_STR(h1, file ? h2 : "");
  cs_tokenizer_free(mem);
  cs_tokenizer_free(file);
  free(text);
}

static void jsonl_input(void) {
  static const char ok[] =
      "{\"id\":\"1\",\"text\":\"caf\\u00e9 caf\\u00e9\\ncaf\\u00e9\"}\n"
      "\n"
      "{\"id\":\"2\"}\n"
      "{\"id\":\"3\",\"text\":null}\n";
  fx_write(dir, "input.jsonl", ok, sizeof ok - 1);
  int rc;
  cs_diag_t d;
  cs_tokenizer_t *tok = train_files("input.jsonl", true, &rc, &d);
  CHECK_INT(rc, 0);
  if (tok) { /* the text was unescaped: "café" became one token */
    cs_tokens_t t = {0};
    CHECK_INT(cs_tokenizer_encode(tok, NULL, "café", 5, &t), 0);
    CHECK_INT(t.len, 1);
    cs_tokens_free(&t);
  }
  cs_tokenizer_free(tok);
  static const char bad[] = "{\"text\":\"ok\"}\n{\"text\": 5}\n";
  fx_write(dir, "input.jsonl", bad, sizeof bad - 1);
  tok = train_files("input.jsonl", true, &rc, &d);
  CHECK_INT(rc, CS_EINVAL);
  CHECK(strstr(d.msg, "input.jsonl:2: text: expected a string") != NULL);
  static const char broken[] = "{\"text\":\"ok\"}\n{\"text\":\"ok\"\n";
  fx_write(dir, "input.jsonl", broken, sizeof broken - 1);
  tok = train_files("input.jsonl", true, &rc, &d);
  CHECK_INT(rc, CS_EINVAL);
  CHECK(strstr(d.msg, "input.jsonl:2: expected a JSON object") != NULL);
  CHECK(tok == NULL);
}

static void all(void) {
  fx_tmpdir(dir);
  save_load();
  malformed_files();
  long_tokens_refused();
  missing_file();
  text_file_input();
  jsonl_input();
  fx_rmdir(dir);
}

RUN_TESTS(all)
