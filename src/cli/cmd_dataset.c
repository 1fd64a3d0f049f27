/* cmd_dataset.c — `consentry dataset build|verify|explain|cat`. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: consentry dataset build --purpose P --as-of T --out DIR [--shards S]\n"
    "                 [--tokenizer DIR | --vocab V] [--val-permille N] [--decisions FILE]\n"
    "                 [--threads N]\n"
    "                 [--db PATH] [--config FILE] [--json] CONTENT.jsonl...\n"
    "       consentry dataset verify DIR [--db PATH] [--json]\n"
    "       consentry dataset explain DIR --member M [--json]\n"
    "       consentry dataset cat DIR [--shard K|val]\n"
    "build gates the content for P as of T, redacts personal data where P\n"
    "requires it, drops exact duplicates, tokenizes (training a tokenizer on the\n"
    "gated text unless --tokenizer is given) and writes member-sharded token\n"
    "shards (llm.c layout), indexes, decisions.jsonl and manifest.json to DIR,\n"
    "registering the dataset in the ledger. Refuses (exit 3) without a policy\n"
    "covering P at T. The same ledger, content, T and options give the same bytes.\n"
    "Example: consentry dataset build --purpose genai_training \\\n"
    "           --as-of 2024-09-01T00:00:00Z --out ds1 content.jsonl\n";

typedef struct {
  struct timespec start;
  double last;
} progress_t;

static void draw(void *ctx, const cs_dataset_progress_t *p) {
  progress_t *pr = ctx;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  double t = (double)(now.tv_sec - pr->start.tv_sec) + (double)(now.tv_nsec - pr->start.tv_nsec) / 1e9;
  if (t - pr->last < 0.25) return;
  pr->last = t;
  static const char *const phase[] = {"", "gate+redact", "tokenizer", "tokenize"};
  fprintf(stderr, "\r  dataset %s: %llu records, %.0f MB, %.0f MB/s   ", phase[p->phase],
          (unsigned long long)p->records, (double)p->bytes / 1e6, (double)p->bytes / 1e6 / t);
}

static void print_summary(const cs_cli_common_t *c, const cs_dataset_opts_t *o,
                          const cs_dataset_summary_t *s, double secs) {
  if (c->json) {
    printf("{\"id\":\"%s\",\"dir\":", s->id);
    cs_cli_json_str(stdout, o->out_dir);
    printf(",\"purpose\":\"%s\",\"policy_version\":", o->purpose);
    cs_cli_json_str(stdout, s->policy_version);
    printf(",\"merkle_root\":\"%s\",\"records_in\":%llu,\"reasons\":{", s->merkle_root,
           (unsigned long long)s->records_in);
    for (int r = 0; r < CS_N_REASONS; r++)
      printf("%s\"%s\":%llu", r ? "," : "", cs_reason_name((cs_reason_t)r),
             (unsigned long long)s->by_reason[r]);
    printf("},\"duplicates\":%llu,\"redactions\":%llu,\"records\":%llu,\"members\":%llu,"
           "\"tokens\":%llu,\"val_records\":%llu,\"bytes_in\":%llu,\"seconds\":%.3f,"
           "\"mb_per_s\":%.1f}\n",
           (unsigned long long)s->duplicates, (unsigned long long)s->redactions,
           (unsigned long long)s->records, (unsigned long long)s->members,
           (unsigned long long)s->tokens, (unsigned long long)s->val_records,
           (unsigned long long)s->bytes_in, secs, secs > 0 ? (double)s->bytes_in / 1e6 / secs : 0);
    return;
  }
  printf("dataset %s built in %s (%.1f s, %.0f MB/s)\n", s->id, o->out_dir, secs,
         secs > 0 ? (double)s->bytes_in / 1e6 / secs : 0);
  printf("  purpose %s as of policy %s; %llu records read\n", o->purpose, s->policy_version,
         (unsigned long long)s->records_in);
  for (int r = 0; r < CS_N_REASONS; r++)
    if (s->by_reason[r])
      printf("  %-26s %llu\n", cs_reason_name((cs_reason_t)r), (unsigned long long)s->by_reason[r]);
  printf("  %-26s %llu\n", "DUPLICATE (dropped)", (unsigned long long)s->duplicates);
  printf("  in the dataset: %llu records from %llu members, %llu tokens (validation: %llu "
         "records); %llu redactions\n",
         (unsigned long long)s->records, (unsigned long long)s->members,
         (unsigned long long)s->tokens, (unsigned long long)s->val_records,
         (unsigned long long)s->redactions);
  printf("  merkle root %s\n", s->merkle_root);
}

static int build(cs_cli_common_t *c, cs_dataset_opts_t *o, const char *as_of,
                 const char *const *files, size_t n) {
  int ec = cs_cli_parse_time("dataset build", "--as-of", as_of, &o->as_of);
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  if (!ec) ec = cs_cli_load_config("dataset build", c, &cfg);
  if (!ec) ec = cs_cli_open_store("dataset build", c, &s);
  progress_t pr = {0};
  clock_gettime(CLOCK_MONOTONIC, &pr.start);
  if (cs_cli_progress_enabled(c)) {
    o->progress = draw;
    o->progress_ctx = &pr;
  }
  cs_dataset_summary_t sum;
  cs_diag_t d = {{0}};
  int rc = ec ? 0 : cs_dataset_build(s, cfg, o, files, n, &sum, &d);
  if (o->progress) fputs("\r\033[K", stderr);
  if (!ec && rc < 0) ec = cs_cli_fail("dataset build", rc, &d);
  if (!ec) {
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    print_summary(c, o, &sum,
                  (double)(end.tv_sec - pr.start.tv_sec) + (double)(end.tv_nsec - pr.start.tv_nsec) / 1e9);
  }
  cs_store_close(s);
  cs_config_free(cfg);
  return ec;
}

static int parse_uint(const char *flag, const char *s, unsigned long max, unsigned long *out) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s == '\0' || *end != '\0' || *s == '-' || v > max)
    return cs_cli_usage("dataset build", "%s: expected a whole number up to %lu, got '%s'", flag, max, s);
  *out = v;
  return 0;
}

static int cmd_build(int argc, char **argv) {
  enum { OPT_PURPOSE = CS_OPT_FIRST_LOCAL, OPT_AS_OF, OPT_OUT, OPT_SHARDS, OPT_TOK, OPT_VOCAB, OPT_VAL,
         OPT_DECISIONS, OPT_THREADS };
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS,
                                       {"purpose", required_argument, NULL, OPT_PURPOSE},
                                       {"as-of", required_argument, NULL, OPT_AS_OF},
                                       {"out", required_argument, NULL, OPT_OUT},
                                       {"shards", required_argument, NULL, OPT_SHARDS},
                                       {"tokenizer", required_argument, NULL, OPT_TOK},
                                       {"vocab", required_argument, NULL, OPT_VOCAB},
                                       {"val-permille", required_argument, NULL, OPT_VAL},
                                       {"decisions", required_argument, NULL, OPT_DECISIONS},
                                       {"threads", required_argument, NULL, OPT_THREADS},
                                       {0, 0, 0, 0}};
  cs_cli_common_t c = {0};
  cs_dataset_opts_t o = {.threads = cs_cli_default_threads()};
  const char *as_of = NULL;
  unsigned long v = 0;
  int opt;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    switch (opt) {
      case OPT_PURPOSE: o.purpose = optarg; break;
      case OPT_AS_OF: as_of = optarg; break;
      case OPT_OUT: o.out_dir = optarg; break;
      case OPT_TOK: o.tokenizer_dir = optarg; break;
      case OPT_DECISIONS: o.decisions_path = optarg; break;
      case OPT_THREADS:
        if (cs_cli_parse_threads("dataset build", optarg, &o.threads)) return CS_EXIT_USAGE;
        break;
      case OPT_SHARDS:
        if (parse_uint("--shards", optarg, 256, &v)) return CS_EXIT_USAGE;
        if (v == 0) return cs_cli_usage("dataset build", "--shards: expected 1 to 256, got 0");
        o.shards = (unsigned)v;
        break;
      case OPT_VOCAB:
        if (parse_uint("--vocab", optarg, 65535, &v)) return CS_EXIT_USAGE;
        o.vocab = v;
        break;
      case OPT_VAL:
        if (parse_uint("--val-permille", optarg, 1000, &v)) return CS_EXIT_USAGE;
        o.val_permille = (unsigned)v;
        o.val_set = true;
        break;
      case 'h': return fputs(help, stdout), CS_EXIT_OK;
      default: return cs_cli_usage("dataset build", "unknown option");
    }
  }
  if (!o.purpose || !as_of || !o.out_dir)
    return cs_cli_usage("dataset build", "--purpose, --as-of and --out are required");
  if (optind == argc) return cs_cli_usage("dataset build", "expected at least one CONTENT.jsonl");
  return build(&c, &o, as_of, (const char *const *)argv + optind, (size_t)(argc - optind));
}

/* ---- verify ---------------------------------------------------------------- */

static void print_problem(void *ctx, const char *problem) {
  (void)ctx;
  fprintf(stderr, "problem: %s\n", problem);
}

static int cmd_verify(int argc, char **argv) {
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS, {0, 0, 0, 0}};
  cs_cli_common_t c = {0};
  int opt;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    return cs_cli_usage("dataset verify", "unknown option");
  }
  if (argc - optind != 1) return cs_cli_usage("dataset verify", "expected one DIR");
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  int ec = cs_cli_load_config("dataset verify", &c, &cfg);
  if (!ec) ec = cs_cli_open_store("dataset verify", &c, &s);
  cs_dataset_verify_t v;
  cs_diag_t d = {{0}};
  int rc = ec ? 0 : cs_dataset_verify(s, cfg, argv[optind], print_problem, NULL, &v, &d);
  if (!ec && rc < 0) ec = cs_cli_fail("dataset verify", rc, &d);
  if (!ec) {
    if (c.json)
      printf("{\"id\":\"%s\",\"ok\":%s,\"files\":%llu,\"documents\":%llu,\"problems\":%llu}\n", v.id,
             v.problems ? "false" : "true", (unsigned long long)v.files_checked,
             (unsigned long long)v.docs_checked, (unsigned long long)v.problems);
    else
      printf("dataset %s: %s (%llu files, %llu documents checked, %llu problems)\n", v.id,
             v.problems ? "FAILED" : "verified", (unsigned long long)v.files_checked,
             (unsigned long long)v.docs_checked, (unsigned long long)v.problems);
    ec = v.problems ? CS_EXIT_FAIL : CS_EXIT_OK;
  }
  cs_store_close(s);
  cs_config_free(cfg);
  return ec;
}

/* ---- cat ---------------------------------------------------------------------- */

static int print_doc(void *ctx, const cs_dataset_doc_t *d) {
  (void)ctx;
  fputs("{\"record\":", stdout);
  cs_cli_json_str(stdout, d->record);
  fputs(",\"member\":", stdout);
  cs_cli_json_str(stdout, d->member);
  fputs(",\"text\":", stdout);
  cs_cli_json_strn(stdout, d->text, d->text_len);
  fputs("}\n", stdout);
  return ferror(stdout) ? CS_EIO : 0;
}

static int cmd_cat(int argc, char **argv) {
  enum { OPT_SHARD = CS_OPT_FIRST_LOCAL };
  static const struct option opts[] = {
      CS_CLI_COMMON_LONGOPTS, {"shard", required_argument, NULL, OPT_SHARD}, {0, 0, 0, 0}};
  cs_cli_common_t c = {0};
  int shard = CS_DATASET_ALL_SHARDS, opt;
  unsigned long v = 0;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    if (opt == OPT_SHARD && strcmp(optarg, "val") == 0) {
      shard = CS_DATASET_VAL;
    } else if (opt == OPT_SHARD) {
      if (parse_uint("--shard", optarg, 255, &v)) return CS_EXIT_USAGE;
      shard = (int)v;
    } else if (opt == 'h') {
      return fputs(help, stdout), CS_EXIT_OK;
    } else {
      return cs_cli_usage("dataset cat", "unknown option");
    }
  }
  if (argc - optind != 1) return cs_cli_usage("dataset cat", "expected one DIR");
  cs_diag_t d = {{0}};
  int rc = cs_dataset_each_doc(argv[optind], shard, print_doc, NULL, &d);
  if (rc == CS_OK && fflush(stdout) != 0) rc = cs_diag_set(&d, CS_EIO, "writing stdout failed");
  return rc < 0 ? cs_cli_fail("dataset cat", rc, &d) : CS_EXIT_OK;
}

/* ---- explain ---------------------------------------------------------------- */

typedef struct {
  const char *member;
  bool json;
  int n;
} explain_t;

static int explain_doc(void *ctx, const cs_dataset_doc_t *d) {
  explain_t *e = ctx;
  if (strcmp(d->member, e->member) != 0) return 0;
  if (e->json) {
    printf("%s{\"record\":", e->n++ ? "," : "");
    cs_cli_json_str(stdout, d->record);
    printf(",\"split\":\"%s\",\"shard\":%u,\"offset\":%llu,\"tokens\":%llu}", d->split, d->shard,
           (unsigned long long)d->offset, (unsigned long long)d->tokens);
  } else {
    printf("  %-20s in %s shard %u at token %llu (%llu tokens)\n", d->record, d->split, d->shard,
           (unsigned long long)d->offset, (unsigned long long)d->tokens);
  }
  return 0;
}

/* Every decision about the member's records, from the dataset's decisions.jsonl. */
static int explain_decisions(const char *dir, explain_t *e, cs_diag_t *d) {
  char path[4096];
  snprintf(path, sizeof path, "%s/decisions.jsonl", dir);
  FILE *f = fopen(path, "rb");
  if (!f) return cs_diag_set(d, CS_ENOTFOUND, "%s: cannot read", path);
  char line[4096], needle[600];
  snprintf(needle, sizeof needle, ",\"member\":\"%s\",", e->member);
  e->n = 0;
  while (fgets(line, sizeof line, f)) {
    if (!strstr(line, needle)) continue;
    line[strcspn(line, "\n")] = '\0';
    if (e->json) {
      printf("%s%s", e->n++ ? "," : "", line);
    } else {
      char *id = strstr(line, "\"id\":\"") + 6, *reason = strstr(line, "\"reason\":\"") + 10;
      printf("  %-20.*s %.*s\n", (int)strcspn(id, "\""), id, (int)strcspn(reason, "\""), reason);
      e->n++;
    }
  }
  fclose(f);
  return CS_OK;
}

static int cmd_explain(int argc, char **argv) {
  enum { OPT_MEMBER = CS_OPT_FIRST_LOCAL };
  static const struct option opts[] = {
      CS_CLI_COMMON_LONGOPTS, {"member", required_argument, NULL, OPT_MEMBER}, {0, 0, 0, 0}};
  cs_cli_common_t c = {0};
  explain_t e = {0};
  int opt;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    if (opt == OPT_MEMBER) e.member = optarg;
    else if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    else return cs_cli_usage("dataset explain", "unknown option");
  }
  if (argc - optind != 1 || !e.member) return cs_cli_usage("dataset explain", "expected DIR --member M");
  if (strpbrk(e.member, "\"\\") || strlen(e.member) > 256)
    return cs_cli_usage("dataset explain", "--member: not a member id");
  e.json = c.json;
  cs_diag_t d = {{0}};
  if (e.json) {
    fputs("{\"member\":", stdout);
    cs_cli_json_str(stdout, e.member);
    fputs(",\"decisions\":[", stdout);
  } else {
    printf("member %s: every record the build read, and what became of it\n", e.member);
  }
  int rc = explain_decisions(argv[optind], &e, &d);
  if (rc == CS_OK) {
    fputs(e.json ? "],\"documents\":[" : "where the included ones are:\n", stdout);
    e.n = 0;
    rc = cs_dataset_each_doc(argv[optind], CS_DATASET_ALL_SHARDS, explain_doc, &e, &d);
  }
  if (rc == CS_OK && e.json) fputs("]}\n", stdout);
  return rc < 0 ? cs_cli_fail("dataset explain", rc, &d) : CS_EXIT_OK;
}

int cs_cmd_dataset(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? CS_EXIT_USAGE : CS_EXIT_OK;
  }
  if (strcmp(argv[1], "build") == 0) return cmd_build(argc - 1, argv + 1);
  if (strcmp(argv[1], "verify") == 0) return cmd_verify(argc - 1, argv + 1);
  if (strcmp(argv[1], "cat") == 0) return cmd_cat(argc - 1, argv + 1);
  if (strcmp(argv[1], "explain") == 0) return cmd_explain(argc - 1, argv + 1);
  return cs_cli_usage("dataset", "unknown subcommand '%s' (expected: build, verify, explain, cat)",
                      argv[1]);
}
