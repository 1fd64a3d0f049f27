/* cmd_gate.c — `consentry gate`: stream content through the consent gate. */
#include "cli/cli.h"

#include <string.h>
#include <time.h>

static const char help[] =
    "usage: consentry gate --purpose P --as-of T [--decisions FILE] [--threads N]\n"
    "                      [--db PATH] [--config FILE] [--json] CONTENT.jsonl...\n"
    "Reads content records ({id, member, kind, created_at, visibility, text}; '-'\n"
    "or no file reads stdin, *.zst is decompressed) and writes the records the\n"
    "ledger allows for purpose P as of T to stdout, byte for byte. --decisions\n"
    "writes {\"id\",\"member\",\"included\",\"reason\"} for every record in input\n"
    "order (all or nothing). Counts by reason go to stderr (JSON with --json).\n"
    "--threads (default: the number of CPUs, at most 8) decides chunks in\n"
    "parallel; the output is the same bytes whatever the count.\n"
    "Refuses (exit 3, nothing written) unless a policy disclosing P is in effect\n"
    "at T. A malformed line stops the gate with FILE:LINE and exit 2; stdout may\n"
    "then hold the records before it, so check the exit status.\n"
    "Example: consentry gate --purpose genai_training --as-of 2024-06-01T00:00:00Z \\\n"
    "           content.jsonl > train.jsonl\n";

typedef struct {
  const char *purpose, *as_of, *decisions;
  unsigned threads;
} gate_args_t;

typedef struct {
  struct timespec start, last;
} progress_t;

static double since(const struct timespec *a, const struct timespec *b) {
  return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void draw_progress(void *ctx, const cs_gate_stats_t *st) {
  progress_t *p = ctx;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (since(&p->last, &now) < 0.25) return;
  p->last = now;
  double secs = since(&p->start, &now), mb = (double)st->bytes_in / 1e6;
  fprintf(stderr, "\r  gate: %llu records, %.0f MB, %.0f MB/s, %llu included   ",
          (unsigned long long)st->records, mb, secs > 0 ? mb / secs : 0.0,
          (unsigned long long)st->included);
}

static void summary(const cs_cli_common_t *c, const char *purpose, const char *as_of,
                    const char *policy, const cs_gate_stats_t *st, double load_secs,
                    double secs) {
  if (c->json) {
    fputs("{\"purpose\":", stderr);
    cs_cli_json_str(stderr, purpose);
    fprintf(stderr, ",\"as_of\":\"%s\",\"policy\":", as_of);
    cs_cli_json_str(stderr, policy);
    fprintf(stderr, ",\"records\":%llu,\"included\":%llu,\"excluded\":%llu,\"reasons\":{",
            (unsigned long long)st->records, (unsigned long long)st->included,
            (unsigned long long)(st->records - st->included));
    for (int r = 0; r < CS_N_REASONS; r++)
      fprintf(stderr, "%s\"%s\":%llu", r ? "," : "", cs_reason_name((cs_reason_t)r),
              (unsigned long long)st->by_reason[r]);
    fprintf(stderr, "},\"bytes_in\":%llu,\"snapshot_seconds\":%.3f,\"seconds\":%.3f}\n",
            (unsigned long long)st->bytes_in, load_secs, secs);
    return;
  }
  fprintf(stderr, "gate %s as of %s (policy %s): %llu records, %llu included, %llu excluded\n",
          purpose, as_of, policy, (unsigned long long)st->records,
          (unsigned long long)st->included, (unsigned long long)(st->records - st->included));
  for (int r = 0; r < CS_N_REASONS; r++)
    if (st->by_reason[r])
      fprintf(stderr, "  %-26s %llu\n", cs_reason_name((cs_reason_t)r),
              (unsigned long long)st->by_reason[r]);
}

/* Everything after validation: snapshot, stream, publish the decisions. */
static int run(const cs_cli_common_t *c, cs_store_t *s, const cs_config_t *cfg, size_t p,
               cs_time_t T, const gate_args_t *a, const char *const *files, size_t n) {
  cs_diag_t d = {{0}};
  char policy[256];
  int rc = cs_policy_covering(s, a->purpose, T, policy, sizeof policy, &d);
  if (rc < 0) return cs_cli_fail("gate", rc, &d);
  cs_snapshot_t *snap = NULL;
  cs_afile_t *dec = NULL;
  struct timespec load_start;
  clock_gettime(CLOCK_MONOTONIC, &load_start);
  if ((rc = cs_snapshot_load(s, cfg, T, &snap, &d)) < 0) goto done;
  if (a->decisions && (rc = cs_afile_open(a->decisions, &dec, &d)) < 0) goto done;
  progress_t prog;
  clock_gettime(CLOCK_MONOTONIC, &prog.start);
  prog.last = prog.start;
  bool show = cs_cli_progress_enabled(c);
  cs_gate_sinks_t sinks = {stdout, dec ? cs_afile_stream(dec) : NULL,
                           show ? draw_progress : NULL, &prog};
  cs_gate_stats_t st = {0};
  rc = cs_gate_run_threads(snap, cfg, p, a->threads, files, n, &sinks, &st, &d);
  if (show) fputs("\r\033[K", stderr);
  if (rc == 0 && fflush(stdout) != 0) rc = cs_diag_set(&d, CS_EIO, "writing stdout failed");
  if (rc == 0 && dec) {
    rc = cs_afile_commit(dec, &d);
    dec = NULL;
  }
  if (rc == 0) {
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    summary(c, a->purpose, a->as_of, policy, &st, since(&load_start, &prog.start),
            since(&prog.start, &end));
  }
done:
  cs_afile_abort(dec);
  cs_snapshot_free(snap);
  return rc < 0 ? cs_cli_fail("gate", rc, &d) : CS_EXIT_OK;
}

static int gate(const cs_cli_common_t *c, const gate_args_t *a, const char *const *files,
                size_t n) {
  cs_time_t T;
  int ec = cs_cli_parse_time("gate", "--as-of", a->as_of, &T);
  if (ec) return ec;
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  ec = cs_cli_load_config("gate", c, &cfg);
  size_t p = 0;
  if (!ec && cs_config_purpose(cfg, a->purpose, &p) < 0)
    ec = cs_cli_usage("gate", "--purpose: unknown purpose '%s'", a->purpose);
  if (!ec) ec = cs_cli_open_store("gate", c, &s);
  if (!ec) ec = run(c, s, cfg, p, T, a, files, n);
  cs_store_close(s);
  cs_config_free(cfg);
  return ec;
}

int cs_cmd_gate(int argc, char **argv) {
  enum { OPT_PURPOSE = CS_OPT_FIRST_LOCAL, OPT_AS_OF, OPT_DECISIONS, OPT_THREADS };
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS,
                                       {"purpose", required_argument, NULL, OPT_PURPOSE},
                                       {"as-of", required_argument, NULL, OPT_AS_OF},
                                       {"decisions", required_argument, NULL, OPT_DECISIONS},
                                       {"threads", required_argument, NULL, OPT_THREADS},
                                       {0, 0, 0, 0}};
  cs_cli_common_t c = {0};
  gate_args_t a = {.threads = cs_cli_default_threads()};
  int opt;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    switch (opt) {
      case OPT_PURPOSE: a.purpose = optarg; break;
      case OPT_AS_OF: a.as_of = optarg; break;
      case OPT_DECISIONS: a.decisions = optarg; break;
      case OPT_THREADS:
        if (cs_cli_parse_threads("gate", optarg, &a.threads)) return CS_EXIT_USAGE;
        break;
      case 'h': return fputs(help, stdout), CS_EXIT_OK;
      default: return cs_cli_usage("gate", "unknown option");
    }
  }
  if (!a.purpose) return cs_cli_usage("gate", "--purpose is required");
  if (!a.as_of) return cs_cli_usage("gate", "--as-of is required");
  static const char *const stdin_only[] = {"-"};
  static char out_buf[1 << 20];
  setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
  if (optind == argc) return gate(&c, &a, stdin_only, 1);
  return gate(&c, &a, (const char *const *)argv + optind, (size_t)(argc - optind));
}
