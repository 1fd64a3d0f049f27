/* test_shard.c — llm.c token shards: the exact bytes written, round trips,
 * and refusal of corrupt headers. */
#include <consentry/shard.h>

#include <sys/stat.h>

#include "tok_fixture.h"

static char dir[64], path[128];

static void read_bytes(unsigned char *buf, size_t cap, size_t *len) {
  FILE *f = fopen(path, "rb");
  *len = f ? fread(buf, 1, cap, f) : 0;
  if (f) fclose(f);
}

static void round_trip(void) {
  enum { N = 70000 }; /* several I/O blocks */
  static uint16_t toks[N], back[N + 10];
  for (size_t i = 0; i < N; i++) toks[i] = (uint16_t)(i * 2654435761u >> 7);
  cs_shard_writer_t *w = NULL;
  cs_diag_t d;
  CHECK_INT(cs_shard_writer_open(path, &w, &d), 0);
  CHECK_INT(cs_shard_writer_write(w, toks, 1, &d), 0);
  CHECK_INT(cs_shard_writer_write(w, toks + 1, N - 1, &d), 0);
  CHECK_INT(cs_shard_writer_count(w), N);
  struct stat st;
  CHECK(stat(path, &st) != 0); /* nothing under the real name before commit */
  CHECK_INT(cs_shard_writer_commit(w, &d), 0);
  static unsigned char raw[1024 + 2 * N + 16];
  size_t len;
  read_bytes(raw, sizeof raw, &len);
  CHECK_INT(len, 1024 + 2 * N);
  /* llm.c: int32 LE magic, version, count; zeros; uint16 LE tokens */
  CHECK(raw[0] == 0x88 && raw[1] == 0xD8 && raw[2] == 0x34 && raw[3] == 0x01); /* 20240520 */
  CHECK(raw[4] == 1 && raw[5] == 0 && raw[6] == 0 && raw[7] == 0);
  CHECK(raw[8] == (N & 0xFF) && raw[9] == ((N >> 8) & 0xFF) && raw[10] == (N >> 16) && raw[11] == 0);
  for (int i = 12; i < 1024; i++) CHECK(raw[i] == 0);
  CHECK(raw[1024] == (toks[0] & 0xFF) && raw[1025] == (toks[0] >> 8));
  cs_shard_reader_t *r = NULL;
  CHECK_INT(cs_shard_reader_open(path, &r, &d), 0);
  if (!r) return;
  CHECK_INT(cs_shard_reader_count(r), N);
  size_t got, total = 0;
  CHECK_INT(cs_shard_reader_read(r, back, 1000, &got, &d), 0);
  CHECK_INT(got, 1000);
  total += got;
  CHECK_INT(cs_shard_reader_read(r, back + total, N + 10, &got, &d), 0);
  total += got;
  CHECK_INT(total, N);
  CHECK(memcmp(back, toks, sizeof toks) == 0);
  CHECK_INT(cs_shard_reader_read(r, back, 10, &got, &d), 0);
  CHECK_INT(got, 0);
  cs_shard_reader_close(r);
}

static void empty_and_abort(void) {
  cs_shard_writer_t *w = NULL;
  cs_shard_reader_t *r = NULL;
  cs_diag_t d;
  CHECK_INT(cs_shard_writer_open(path, &w, &d), 0);
  CHECK_INT(cs_shard_writer_commit(w, &d), 0);
  CHECK_INT(cs_shard_reader_open(path, &r, &d), 0);
  if (r) CHECK_INT(cs_shard_reader_count(r), 0);
  cs_shard_reader_close(r);
  char other[160];
  snprintf(other, sizeof other, "%s/b.bin", dir);
  CHECK_INT(cs_shard_writer_open(other, &w, &d), 0);
  uint16_t t[3] = {1, 2, 3};
  CHECK_INT(cs_shard_writer_write(w, t, 3, &d), 0);
  cs_shard_writer_abort(w);
  struct stat st;
  CHECK(stat(other, &st) != 0);
  cs_shard_writer_abort(NULL);
  cs_shard_reader_close(NULL);
}

/* Writes a 3-token shard, applies a corruption, expects refusal naming what. */
static void corrupt(size_t at, unsigned char value, long truncate_to, const char *what) {
  static const unsigned char tokens[6] = {1, 0, 2, 0, 3, 0};
  unsigned char raw[1024 + 8] = {0};
  raw[0] = 0x88, raw[1] = 0xD8, raw[2] = 0x34, raw[3] = 0x01, raw[4] = 1, raw[8] = 3;
  memcpy(raw + 1024, tokens, 6);
  size_t len = 1030;
  if (at < sizeof raw) raw[at] = value;
  if (truncate_to >= 0) len = (size_t)truncate_to;
  fx_write(dir, "a.bin", raw, len);
  cs_shard_reader_t *r = NULL;
  cs_diag_t d = {{0}};
  CHECK_INT(cs_shard_reader_open(path, &r, &d), CS_EINVAL);
  CHECK(r == NULL);
  CHECK(strstr(d.msg, what) != NULL);
  if (!strstr(d.msg, what)) fprintf(stderr, "  got: %s\n", d.msg);
}

static void corrupt_cases(void) {
  corrupt(0, 0x89, -1, "not a token shard");
  corrupt(4, 2, -1, "version 2 is not supported");
  corrupt(8, 4, -1, "header says 4 tokens");
  corrupt(8, 2, -1, "header says 2 tokens");
  corrupt(11, 0x80, -1, "negative token count");
  corrupt(9999, 0, 1029, "file has 1029 bytes");
  corrupt(9999, 0, 100, "shorter than the 1024-byte shard header");
}

static void all(void) {
  fx_tmpdir(dir);
  snprintf(path, sizeof path, "%s/a.bin", dir);
  round_trip();
  empty_and_abort();
  corrupt_cases();
  fx_rmdir(dir);
}

RUN_TESTS(all)
