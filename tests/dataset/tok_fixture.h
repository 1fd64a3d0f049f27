/* tok_fixture.h — shared helpers of the tokenizer and shard specifications:
 * a deterministic English-like corpus, a small trained tokenizer, temporary
 * directories and files, and a pseudo-random generator. */
#ifndef CS_TESTS_DATASET_TOK_FIXTURE_H
#define CS_TESTS_DATASET_TOK_FIXTURE_H

#include <consentry/tokenizer.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static uint64_t fx_rng = 0x9E3779B97F4A7C15ull;
static inline uint32_t fx_rand(uint32_t n) {
  fx_rng ^= fx_rng << 13;
  fx_rng ^= fx_rng >> 7;
  fx_rng ^= fx_rng << 17;
  return (uint32_t)(fx_rng % n);
}

/* About n bytes of English-like text with placeholders, digits, punctuation,
 * accented letters and an emoji; malloc'd, NUL-terminated. */
static inline char *fx_corpus(size_t n, size_t *len) {
  static const char *const words[] = {
      "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "with", "as", "was", "on",
      "team", "growth", "leadership", "learning", "data", "people", "we're", "don't", "it's",
      "café", "naïve", "2024", "100%", "CEO", "AI", "<EMAIL>", "<URL>", "<PERSON>", "—", "🙂",
      "LinkedIn", "opportunity", "thanks!", "(see", "below)", "e.g.", "I'll", "you've"};
  char *s = malloc(n + 64);
  size_t at = 0;
  while (s && at < n) {
    const char *w = words[fx_rand(sizeof words / sizeof *words)];
    size_t k = strlen(w);
    if (at) s[at++] = fx_rand(12) == 0 ? '\n' : ' ';
    memcpy(s + at, w, k);
    at += k;
    if (fx_rand(9) == 0) s[at++] = fx_rand(2) ? ',' : '.';
  }
  if (s) s[at] = '\0';
  *len = at;
  return s;
}

/* A tokenizer trained on fx_corpus(bytes) to vocab tokens. */
static inline cs_tokenizer_t *fx_trained(size_t bytes, size_t vocab) {
  size_t len;
  char *text = fx_corpus(bytes, &len);
  cs_tok_trainer_t *tr = NULL;
  cs_tokenizer_t *tok = NULL;
  cs_tok_train_opts_t opts = {.vocab = vocab};
  cs_diag_t d = {{0}};
  CHECK_INT(cs_tok_trainer_new(&tr), 0);
  CHECK_INT(cs_tok_trainer_add_text(tr, text, len), 0);
  int rc = cs_tok_trainer_finish(tr, &opts, &tok, NULL, &d);
  CHECK_INT(rc, 0);
  if (rc) fprintf(stderr, "  %s\n", d.msg);
  cs_tok_trainer_free(tr);
  free(text);
  return tok;
}

/* A fresh temporary directory (path in buf). */
static inline void fx_tmpdir(char buf[64]) {
  snprintf(buf, 64, "/tmp/cs_tok_test_XXXXXX");
  CHECK(mkdtemp(buf) != NULL);
}

/* Writes len bytes to dir/name. */
static inline void fx_write(const char *dir, const char *name, const void *data, size_t len) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT(fwrite(data, 1, len, f), len);
  fclose(f);
}

static inline void fx_rmdir(const char *dir) {
  static const char *const names[] = {"tokenizer.json", "input.txt", "input.jsonl", "a.bin",
                                      "b.bin"};
  char path[256];
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  rmdir(dir);
}

#endif
