/* bench_members.c — load time and memory of the known-member index.
 *
 * Builds a redactor with N synthetic members (default 1,000,000: two- and
 * three-token names from random syllables, and a handle each), then reports
 * the time to index them, the time to compile, resident memory before and
 * after (from /proc/self/statm), the index's own size, and a lookup check.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <consentry/redact.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double rss_mb(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long pages = 0, res = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
    fclose(f);
  }
  return (double)res * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 11);
}

static void word(char *dst, size_t cap) {
  static const char *syl[] = {"ka", "lo", "mi", "ra", "su", "te", "no", "vi", "da", "ze",
                              "ban", "kor", "lin", "mar", "tos", "wen", "yul", "fer"};
  size_t n = 2 + rnd() % 3, o = 0;
  for (size_t i = 0; i < n && o + 4 < cap; i++) {
    const char *s = syl[rnd() % (sizeof syl / sizeof syl[0])];
    size_t l = strlen(s);
    memcpy(dst + o, s, l);
    o += l;
  }
  dst[o] = '\0';
  dst[0] = (char)(dst[0] - 32);
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
  cs_redactor_t *r;
  cs_diag_t d;
  double rss0 = rss_mb();
  if (cs_redactor_new(NULL, &r, &d)) return 1;
  char name[128], handle[64], a[40], b[40], c[40], probe[128] = "";
  double t0 = now();
  for (size_t i = 0; i < n; i++) {
    word(a, sizeof a);
    word(b, sizeof b);
    if (i % 4 == 0) {
      word(c, sizeof c);
      snprintf(name, sizeof name, "%s %s %s", a, b, c);
    } else {
      snprintf(name, sizeof name, "%s %s", a, b);
    }
    snprintf(handle, sizeof handle, "%s_%zu", a, i);
    if (cs_redactor_add_member(r, name, handle, NULL, &d)) return 1;
    if (i == n / 2) snprintf(probe, sizeof probe, "Congrats to %s on the launch!", name);
  }
  double t1 = now();
  if (cs_redactor_compile(r, &d)) return 1;
  double t2 = now();
  double rss1 = rss_mb();
  cs_redact_scratch_t *s;
  const cs_pii_match_t *m;
  size_t nm = 0;
  if (cs_redact_scratch_new(r, &s) || cs_redact_find(r, s, probe, strlen(probe), &m, &nm)) return 1;
  printf("members %zu: indexed in %.3f s, compiled in %.3f s, RSS +%.1f MB (index %.1f MB), "
         "probe found %s\n",
         n, t1 - t0, t2 - t1, rss1 - rss0, (double)cs_redactor_memory(r) / (1 << 20),
         nm == 1 && m[0].type == CS_PII_PERSON ? "yes" : "NO");
  printf("{\"members\":%zu,\"index_seconds\":%.3f,\"compile_seconds\":%.3f,\"rss_mb\":%.1f,"
         "\"index_mb\":%.1f}\n",
         n, t1 - t0, t2 - t1, rss1 - rss0, (double)cs_redactor_memory(r) / (1 << 20));
  cs_redact_scratch_free(s);
  cs_redactor_free(r);
  return nm == 1 ? 0 : 1;
}
