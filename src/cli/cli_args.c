/* cli_args.c — parsing of numeric and shard-list flag values for the CLI.
 *
 * Every parser rejects trailing garbage, signs where none belong and values
 * out of range with a usage error (exit 2) that names the flag. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cs_cli_parse_u64(const char *cmd, const char *flag, const char *s, unsigned long long min,
                     unsigned long long max, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (*s == '\0' || *s == '-' || *s == '+' || *end != '\0' || errno || v < min || v > max)
    return cs_cli_usage(cmd, "%s: expected a whole number from %llu to %llu, got '%s'", flag, min,
                        max, s);
  *out = v;
  return 0;
}

int cs_cli_parse_double(const char *cmd, const char *flag, const char *s, double min, double max,
                        double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (*s == '\0' || *end != '\0' || errno || !isfinite(v) || v < min || v > max)
    return cs_cli_usage(cmd, "%s: expected a number from %g to %g, got '%s'", flag, min, max, s);
  *out = v;
  return 0;
}

int cs_cli_parse_shards(const char *cmd, const char *s, unsigned *out, size_t cap, size_t *n) {
  *n = 0;
  if (strcmp(s, "all") == 0) return 0;
  const char *p = s;
  while (*p) {
    char *end = (char *)p;
    unsigned long k = (*p >= '0' && *p <= '9') ? strtoul(p, &end, 10) : 256;
    if (k > 255 || (*end != ',' && *end != '\0') || *n == cap)
      return cs_cli_usage(cmd, "--shards: expected all or shard numbers like 0,2 (0-255), got '%s'", s);
    for (size_t i = 0; i < *n; i++)
      if (out[i] == k) return cs_cli_usage(cmd, "--shards: shard %lu named twice", k);
    out[(*n)++] = (unsigned)k;
    p = *end ? end + 1 : end;
    if (*end && !*p) return cs_cli_usage(cmd, "--shards: trailing comma in '%s'", s);
  }
  return *n ? 0 : cs_cli_usage(cmd, "--shards: empty");
}
