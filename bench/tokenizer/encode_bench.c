/* encode_bench.c — single-thread encode throughput of the tokenizer (not a test).
 *
 * Loads DIR/tokenizer.json, reads FILE into memory and encodes it REPEATS
 * times, each with a fresh chunk cache (so the cache's warm-up is counted),
 * then once more without a cache. Prints the median MB/s and tokens/byte, and
 * checks that decoding gives back the file. bench/tokenizer/run.sh builds and
 * runs it:
 *   cc -O2 -std=c17 -D_GNU_SOURCE -Iinclude bench/tokenizer/encode_bench.c \
 *      build/libconsentry.a $(pkg-config --libs json-c sqlite3 inih libsodium \
 *      libxxhash libzstd libhs) -lm -lpthread -o build/bench_tokenizer_encode
 *   build/bench_tokenizer_encode DIR FILE [REPEATS]
 */
#include <consentry/tokenizer.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 20, n = 0;
  unsigned char *buf = malloc(cap);
  for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
    n += got;
    if (n == cap) {
      unsigned char *p = realloc(buf, cap *= 2);
      if (!p) free(buf);
      buf = p;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Seconds to encode data once (cached: with a fresh cache). */
static double once(const cs_tokenizer_t *tok, bool cached, const unsigned char *data, size_t len,
                   cs_tokens_t *out) {
  cs_tokenizer_cache_t *cache = NULL;
  if (cached && cs_tokenizer_cache_new(tok, &cache) < 0) return -1;
  out->len = 0;
  double t0 = now_s();
  int rc = cs_tokenizer_encode(tok, cache, data, len, out);
  double secs = now_s() - t0;
  cs_tokenizer_cache_free(cache);
  return rc < 0 ? -1 : secs;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s TOKENIZER_DIR FILE [REPEATS]\n", argv[0]);
    return 2;
  }
  int reps = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 5;
  if (reps < 1 || reps > 1000) reps = 5;
  cs_diag_t d = {{0}};
  cs_tokenizer_t *tok;
  if (cs_tokenizer_load(argv[1], &tok, &d) < 0) return fprintf(stderr, "%s\n", d.msg), 1;
  size_t len;
  unsigned char *data = slurp(argv[2], &len);
  if (!data) return fprintf(stderr, "%s: cannot read\n", argv[2]), 1;
  cs_tokens_t out = {0};
  double secs[1000];
  for (int i = 0; i < reps; i++)
    if ((secs[i] = once(tok, true, data, len, &out)) < 0) return fputs("encode failed\n", stderr), 1;
  qsort(secs, (size_t)reps, sizeof *secs, cmp_double);
  double uncached = once(tok, false, data, len, &out);
  cs_tok_bytes_t back = {0};
  int same = cs_tokenizer_decode(tok, out.ids, out.len, &back) == 0 && back.len == len &&
             memcmp(back.data, data, len) == 0;
  printf("encode %zu bytes, vocab %zu: %.1f MB/s cached (median of %d), %.1f MB/s uncached, "
         "%.3f tokens/byte, round trip %s\n",
         len, cs_tokenizer_vocab_size(tok), (double)len / secs[reps / 2] / 1e6, reps,
         (double)len / uncached / 1e6, (double)out.len / (double)len, same ? "ok" : "FAILED");
  cs_tok_bytes_free(&back);
  cs_tokens_free(&out);
  free(data);
  cs_tokenizer_free(tok);
  return same ? 0 : 1;
}
