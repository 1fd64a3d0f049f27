/* cmd_synth.c — `consentry synth`: generate a synthetic platform.
 *
 * Parses the flags, calls cs_synth_run and prints a summary with --json.
 * Progress is drawn on stderr only when it is a terminal and --json is off.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <consentry/synth.h>

#include "cli/cli.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: consentry synth --out DIR [--members N] [--records M] [--seed S] [--json]\n\n"
          "Generates a synthetic professional network, the same bytes for the same\n"
          "arguments: DIR/facts.jsonl (ledger facts), DIR/content.jsonl (posts,\n"
          "articles, comments, messages, ...) and DIR/labels.jsonl (the exact\n"
          "code-point spans of every piece of personal data planted, and of the\n"
          "look-alikes that are not personal data).\n\n"
          "  --members N   members to create (default 1000, at most %llu)\n"
          "  --records M   content records to write (default 10000)\n"
          "  --seed S      random seed, any 64-bit number (default 1)\n"
          "  --out DIR     output directory, created if missing (required)\n"
          "  --json        print {members, records, facts, bytes, seconds, mb_per_s}\n\n"
          "Example: consentry synth --members 100000 --records 1000000 --seed 7 --out data/\n",
          (unsigned long long)CS_SYNTH_MAX_MEMBERS);
}

/* Parses a whole decimal number (no sign, no suffix) into *out. */
static int parse_u64(const char *flag, const char *s, uint64_t max, uint64_t *out) {
  char *end = NULL;
  errno = 0;
  if (!s[0] || s[0] == '-' || s[0] == '+')
    return cs_cli_usage("synth", "%s: expected a number, got \"%s\"", flag, s);
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) return cs_cli_usage("synth", "%s: expected a number, got \"%s\"", flag, s);
  if (v > max) return cs_cli_usage("synth", "%s: at most %llu, got %s", flag, (unsigned long long)max, s);
  *out = v;
  return 0;
}

static void progress(void *ctx, uint64_t done, uint64_t total) {
  (void)ctx;
  fprintf(stderr, "\rsynth: %llu/%llu records (%.0f%%)", (unsigned long long)done,
          (unsigned long long)total, total ? 100.0 * (double)done / (double)total : 100.0);
  if (done == total) fputc('\n', stderr);
}

typedef struct {
  cs_synth_opts_t opts;
  bool json;
} args_t;

/* Returns -1 when parsing went through, else the exit code to return. */
static int parse(int argc, char **argv, args_t *a) {
  static const struct option longs[] = {
      {"members", required_argument, 0, 'm'}, {"records", required_argument, 0, 'r'},
      {"seed", required_argument, 0, 's'},    {"out", required_argument, 0, 'o'},
      {"json", no_argument, 0, 'j'},          {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  int c, rc = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
    switch (c) {
    case 'm': rc = parse_u64("--members", optarg, CS_SYNTH_MAX_MEMBERS, &a->opts.members); break;
    case 'r': rc = parse_u64("--records", optarg, CS_SYNTH_MAX_RECORDS, &a->opts.records); break;
    case 's': rc = parse_u64("--seed", optarg, UINT64_MAX, &a->opts.seed); break;
    case 'o': a->opts.out_dir = optarg; break;
    case 'j': a->json = true; break;
    case 'h': usage(stdout); return CS_EXIT_OK;
    case ':': return cs_cli_usage("synth", "%s needs a value", argv[optind - 1]);
    default: return cs_cli_usage("synth", "unknown option '%s' (see --help)", argv[optind - 1]);
    }
    if (rc) return rc;
  }
  if (optind < argc) return cs_cli_usage("synth", "unexpected argument '%s'", argv[optind]);
  if (!a->opts.out_dir || !a->opts.out_dir[0]) return cs_cli_usage("synth", "--out DIR is required");
  if (a->opts.members == 0) return cs_cli_usage("synth", "--members: at least 1");
  return -1;
}

int cs_cmd_synth(int argc, char **argv) {
  args_t a = {.opts = {.members = 1000, .records = 10000, .seed = 1}};
  int rc = parse(argc, argv, &a);
  if (rc >= 0) return rc;
  cs_cli_common_t common = {.json = a.json};
  if (cs_cli_progress_enabled(&common)) a.opts.progress = progress;
  cs_synth_stats_t st;
  cs_diag_t diag = {{0}};
  int err = cs_synth_run(&a.opts, &st, &diag);
  if (err < 0) return cs_cli_fail("synth", err, &diag);
  if (a.json)
    printf("{\"members\":%llu,\"records\":%llu,\"facts\":%llu,\"bytes\":%llu,"
           "\"seconds\":%.3f,\"mb_per_s\":%.1f}\n",
           (unsigned long long)st.members, (unsigned long long)st.records,
           (unsigned long long)st.facts, (unsigned long long)st.bytes, st.seconds,
           st.seconds > 0 ? (double)st.bytes / 1e6 / st.seconds : 0.0);
  return CS_EXIT_OK;
}
