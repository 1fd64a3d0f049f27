/* cmd_demo.c — `consentry demo`: a small platform, gated, in one table.
 *
 * Writes facts and content for a dozen-country network into DIR, ingests the
 * facts into DIR/demo.db, gates the content for every purpose and prints what
 * was included and excluded and why, and how members fall under the
 * jurisdiction rules. Everything goes through the same library calls as the
 * individual commands. */
#include "cli/cli.h"
#include "cli/demo_data.h"

#include <consentry/train.h>

#include <errno.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
    "usage: consentry demo [--dir DIR] [--train-seconds N] [--json]\n"
    "Builds a small professional network (members in a dozen countries, EU and\n"
    "not, settings, objections, a deletion, a policy) in DIR (default\n"
    "./consentry-demo), gates its content for every purpose as of " CS_DEMO_AS_OF "\n"
    "and prints records included and excluded by reason, and members by\n"
    "jurisdiction rule; then builds a genai_training dataset from it in\n"
    "DIR/dataset and prints its manifest summary; then trains a tiny model per\n"
    "dataset shard into DIR/model for at most --train-seconds (default 30; 0\n"
    "skips training) and prints its suggestion for \"Excited to announce\".\n"
    "Files are left in DIR.\n"
    "Example: consentry demo --dir demo --train-seconds 10\n";

#define DEMO_PROMPT "Excited to announce"

typedef struct {
  cs_dataset_summary_t ds; /* the genai_training dataset built from the demo */
  char ds_dir[4096];
  cs_gate_stats_t gate[CS_MAX_PURPOSES];
  char policy[CS_MAX_PURPOSES][64];
  int64_t by_rule[4];    /* members by genai_training rule at T */
  int64_t opted_out;     /* opt_out members whose setting is off */
  char countries[4][128];/* the countries seen under each rule */
  double train_seconds;  /* budget; 0: no training */
  cs_train_result_t run; /* the demo's training run */
  char model_dir[4096];
  cs_tok_bytes_t suggestion; /* the continuation of DEMO_PROMPT */
} demo_result_t;

static int write_inputs(const char *dir, cs_diag_t *d) {
  char path[4096];
  int (*writers[2])(FILE *) = {cs_demo_write_facts, cs_demo_write_content};
  const char *names[2] = {"facts.jsonl", "content.jsonl"};
  for (int i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    cs_afile_t *af;
    int rc = cs_afile_open(path, &af, d);
    if (rc < 0) return rc;
    if (writers[i](cs_afile_stream(af)) < 0) {
      cs_afile_abort(af);
      return cs_diag_set(d, CS_EIO, "%s: write failed", path);
    }
    if ((rc = cs_afile_commit(af, d)) < 0) return rc;
  }
  return CS_OK;
}

static int fresh_ledger(const char *dir, cs_store_t **out, cs_diag_t *d) {
  char path[4096];
  const char *suffixes[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/demo.db%s", dir, suffixes[i]);
    if (unlink(path) != 0 && errno != ENOENT)
      return cs_diag_set(d, CS_EIO, "%s: cannot remove: %s", path, strerror(errno));
  }
  snprintf(path, sizeof path, "%s/demo.db", dir);
  return cs_store_open(path, out, d);
}

static int ingest(cs_store_t *s, const cs_config_t *cfg, const char *dir, cs_diag_t *d) {
  char path[4096];
  snprintf(path, sizeof path, "%s/facts.jsonl", dir);
  cs_ingest_stats_t st = {0};
  int rc = cs_store_begin(s, d);
  if (rc == 0) rc = cs_ledger_ingest(s, cfg, path, &st, d);
  if (rc == 0) rc = cs_store_commit(s, d);
  if (rc < 0) cs_store_rollback(s);
  return rc;
}

/* Gates content.jsonl for purpose p; for genai_training also keeps the
 * included records and the decisions in DIR. */
static int gate_purpose(cs_store_t *s, const cs_config_t *cfg, size_t p, cs_snapshot_t *snap,
                        const char *dir, demo_result_t *res, cs_diag_t *d) {
  const char *purpose = cfg->purposes[p].name;
  int rc = cs_policy_covering(s, purpose, cs_snapshot_as_of(snap), res->policy[p],
                              sizeof res->policy[p], d);
  if (rc < 0) return rc;
  char content[4096], inc_path[4096], dec_path[4096];
  snprintf(content, sizeof content, "%s/content.jsonl", dir);
  snprintf(inc_path, sizeof inc_path, "%s/%s.included.jsonl", dir, purpose);
  snprintf(dec_path, sizeof dec_path, "%s/%s.decisions.jsonl", dir, purpose);
  cs_gate_t *g = NULL;
  cs_afile_t *inc = NULL, *dec = NULL;
  if ((rc = cs_gate_new(snap, cfg, p, &g)) < 0 || (rc = cs_afile_open(inc_path, &inc, d)) < 0 ||
      (rc = cs_afile_open(dec_path, &dec, d)) < 0)
    goto done;
  cs_gate_sinks_t sinks = {cs_afile_stream(inc), cs_afile_stream(dec), NULL, NULL};
  const char *files[] = {content};
  rc = cs_gate_run(g, files, 1, &sinks, &res->gate[p], d);
  if (rc == 0) rc = cs_afile_commit(inc, d), inc = NULL;
  if (rc == 0) rc = cs_afile_commit(dec, d), dec = NULL;
done:
  cs_afile_abort(inc);
  cs_afile_abort(dec);
  cs_gate_free(g);
  return rc;
}

typedef struct {
  const cs_config_t *cfg;
  size_t p;
  size_t setting;
  cs_time_t T;
  demo_result_t *res;
} rule_ctx_t;

static void count_member(void *ctx, const char *id, const cs_member_state_t *m) {
  (void)id;
  rule_ctx_t *c = ctx;
  cs_country_t cc = cs_member_country_at(m, c->T);
  cs_rule_t rule = cs_config_rule(c->cfg, c->p, cc);
  c->res->by_rule[rule]++;
  if (rule == CS_RULE_OPT_OUT && m->setting[c->setting] == 0) c->res->opted_out++;
  char code[3], *list = c->res->countries[rule];
  cs_country_str(cc, code);
  if (code[0] && !strstr(list, code) && strlen(list) + 4 < sizeof c->res->countries[rule]) {
    if (list[0]) strncat(list, " ", 2);
    strncat(list, code, 3);
  }
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

/* Builds DIR/dataset for genai_training (replacing the last run's). */
static int build_dataset(cs_store_t *s, const cs_config_t *cfg, const char *dir, cs_time_t T,
                         demo_result_t *res, cs_diag_t *d) {
  char content[4096];
  snprintf(content, sizeof content, "%s/content.jsonl", dir);
  snprintf(res->ds_dir, sizeof res->ds_dir, "%s/dataset", dir);
  nftw(res->ds_dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
  cs_dataset_opts_t o = {.purpose = "genai_training", .as_of = T, .out_dir = res->ds_dir,
                         .vocab = 300, .shards = 2, .val_permille = 0, .val_set = true};
  const char *files[] = {content};
  return cs_dataset_build(s, cfg, &o, files, 1, &res->ds, d);
}

/* Trains DIR/model (replacing the last run's) on the demo dataset and asks
 * it for a continuation of DEMO_PROMPT, greedily so it is reproducible. */
static int train_demo(cs_store_t *s, const char *dir, demo_result_t *res, cs_diag_t *d) {
  snprintf(res->model_dir, sizeof res->model_dir, "%s/model", dir);
  nftw(res->model_dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
  /* The demo's dataset is a few hundred tokens: a short schedule with a
   * short warm-up fits in the time budget even on a loaded machine (with
   * 2,000 steps the warm-up alone, steps/10, outlasted 30 s), and a tiny
   * model then knows its posts well enough to continue the prompt. */
  cs_train_opts_t o = {.dataset_dir = res->ds_dir, .out_dir = res->model_dir, .preset = "tiny",
                       .steps = 400, .warmup = 20, .lr = 1e-2f,
                       .time_limit_s = res->train_seconds};
  cs_train_models_t *tm = NULL;
  cs_gen_opts_t g = cs_gen_defaults();
  g.temperature = 0;
  g.max_tokens = 48;
  int rc = cs_train_run(s, &o, &res->run, d);
  if (rc == CS_OK) rc = cs_train_models_load(res->model_dir, NULL, 0, &tm, d);
  if (rc == CS_OK) rc = cs_train_generate(tm, DEMO_PROMPT, &g, &res->suggestion, NULL, d);
  cs_train_models_free(tm);
  return rc;
}

static void print_training(const demo_result_t *r) {
  const cs_train_result_t *t = &r->run;
  printf("\nmodel %.16s... in %s: %zu tiny models (one per shard), %llu steps in %.1f s%s\n", t->id,
         r->model_dir, t->n_shards, (unsigned long long)t->steps_this_call, t->seconds,
         t->complete ? "" : " (time limit reached)");
  for (size_t i = 0; i < t->n_shards; i++)
    printf("  shard %u: %llu records from %llu members, final train loss %.3f\n", t->shard[i].shard,
           (unsigned long long)t->shard[i].records, (unsigned long long)t->shard[i].members,
           (double)t->shard[i].train_loss);
  printf("  suggestion: %s%.*s\n", DEMO_PROMPT, (int)r->suggestion.len,
         r->suggestion.len ? (const char *)r->suggestion.data : "");
  printf("  try: consentry generate --model %s --prompt '%s' --seed 1\n", r->model_dir, DEMO_PROMPT);
}

static void print_text(const cs_config_t *cfg, const char *dir, const demo_result_t *r) {
  printf("consentry demo: a small professional network, gated as of %s\n", CS_DEMO_AS_OF);
  printf("files in %s/ (facts.jsonl, content.jsonl, demo.db, *.decisions.jsonl)\n\n", dir);
  printf("%-26s", "records by reason");
  for (size_t p = 0; p < cfg->n_purposes; p++) printf(" %16s", cfg->purposes[p].name);
  printf("\n");
  for (int reason = 0; reason < CS_N_REASONS; reason++) {
    printf("  %-24s", cs_reason_name((cs_reason_t)reason));
    for (size_t p = 0; p < cfg->n_purposes; p++)
      printf(" %16llu", (unsigned long long)r->gate[p].by_reason[reason]);
    printf("\n");
  }
  printf("  %-24s", "total (policy)");
  for (size_t p = 0; p < cfg->n_purposes; p++) {
    char cell[64];
    snprintf(cell, sizeof cell, "%llu (%s)", (unsigned long long)r->gate[p].records, r->policy[p]);
    printf(" %16s", cell);
  }
  printf("\n\nmembers by genai_training jurisdiction rule at %s\n", CS_DEMO_AS_OF);
  for (int rule = 0; rule < 4; rule++)
    if (r->by_rule[rule])
      printf("  %-9s %3lld   %s%s\n", cs_rule_name((cs_rule_t)rule), (long long)r->by_rule[rule],
             r->countries[rule],
             rule == CS_RULE_EXCLUDED ? "   (setting not offered: never used)"
             : rule == CS_RULE_OPT_OUT ? "   (setting offered, on by default)" : "");
  printf("  opted out %3lld   (switched \"Use my data for training content creation AI "
         "models\" off)\n", (long long)r->opted_out);
  printf("\ndataset %.16s... in %s (manifest.json)\n", r->ds.id, r->ds_dir);
  printf("  %llu records from %llu members, %llu tokens, %llu personal-data spans redacted, "
         "%llu duplicates dropped\n",
         (unsigned long long)r->ds.records, (unsigned long long)r->ds.members,
         (unsigned long long)r->ds.tokens, (unsigned long long)r->ds.redactions,
         (unsigned long long)r->ds.duplicates);
  printf("  policy %s; merkle root %.16s...; check it: consentry dataset verify --db %s/demo.db %s\n",
         r->ds.policy_version, r->ds.merkle_root, dir, r->ds_dir);
  if (r->train_seconds > 0) print_training(r);
}

static void print_json(const cs_config_t *cfg, const char *dir, const demo_result_t *r) {
  fputs("{\"dir\":", stdout);
  cs_cli_json_str(stdout, dir);
  printf(",\"as_of\":\"%s\",\"purposes\":{", CS_DEMO_AS_OF);
  for (size_t p = 0; p < cfg->n_purposes; p++) {
    printf("%s\"%s\":{\"policy\":\"%s\",\"records\":%llu,\"included\":%llu,\"reasons\":{",
           p ? "," : "", cfg->purposes[p].name, r->policy[p],
           (unsigned long long)r->gate[p].records, (unsigned long long)r->gate[p].included);
    for (int reason = 0; reason < CS_N_REASONS; reason++)
      printf("%s\"%s\":%llu", reason ? "," : "", cs_reason_name((cs_reason_t)reason),
             (unsigned long long)r->gate[p].by_reason[reason]);
    fputs("}}", stdout);
  }
  fputs("},\"members_by_rule\":{", stdout);
  for (int rule = 0; rule < 4; rule++)
    printf("%s\"%s\":%lld", rule ? "," : "", cs_rule_name((cs_rule_t)rule),
           (long long)r->by_rule[rule]);
  printf("},\"opted_out\":%lld,\"dataset\":{\"id\":\"%s\",\"records\":%llu,\"members\":%llu,"
         "\"tokens\":%llu,\"merkle_root\":\"%s\"}",
         (long long)r->opted_out, r->ds.id, (unsigned long long)r->ds.records,
         (unsigned long long)r->ds.members, (unsigned long long)r->ds.tokens, r->ds.merkle_root);
  if (r->train_seconds > 0) {
    printf(",\"model\":{\"id\":\"%s\",\"dir\":", r->run.id);
    cs_cli_json_str(stdout, r->model_dir);
    printf(",\"shards\":%zu,\"steps\":%llu,\"seconds\":%.3f,\"complete\":%s,\"prompt\":\"%s\","
           "\"suggestion\":",
           r->run.n_shards, (unsigned long long)r->run.steps_this_call, r->run.seconds,
           r->run.complete ? "true" : "false", DEMO_PROMPT);
    cs_cli_json_strn(stdout, r->suggestion.len ? (const char *)r->suggestion.data : "",
                     r->suggestion.len);
    putchar('}');
  }
  puts("}");
}

static int demo(const char *dir, const cs_cli_common_t *c, demo_result_t *res, cs_diag_t *d) {
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  cs_snapshot_t *snap = NULL;
  cs_time_t T;
  int rc = cs_time_parse(CS_DEMO_AS_OF, strlen(CS_DEMO_AS_OF), &T);
  if (rc == 0 && mkdir(dir, 0755) != 0 && errno != EEXIST)
    rc = cs_diag_set(d, CS_EIO, "%s: cannot create: %s", dir, strerror(errno));
  if (rc == 0) rc = cs_config_default(&cfg);
  if (rc == 0) rc = write_inputs(dir, d);
  if (rc == 0) rc = fresh_ledger(dir, &s, d);
  if (rc == 0) rc = ingest(s, cfg, dir, d);
  if (rc == 0) rc = cs_snapshot_load(s, cfg, T, &snap, d);
  for (size_t p = 0; rc == 0 && p < cfg->n_purposes; p++)
    rc = gate_purpose(s, cfg, p, snap, dir, res, d);
  size_t gp = 0, setting = 0;
  if (rc == 0) rc = cs_config_purpose(cfg, "genai_training", &gp);
  if (rc == 0) rc = cs_config_setting(cfg, "genai_training", &setting);
  if (rc == 0) rc = build_dataset(s, cfg, dir, T, res, d);
  if (rc == 0 && res->train_seconds > 0) rc = train_demo(s, dir, res, d);
  if (rc == 0) {
    rule_ctx_t rc_ctx = {cfg, gp, setting, T, res};
    cs_snapshot_each_member(snap, count_member, &rc_ctx);
    (c->json ? print_json : print_text)(cfg, dir, res);
  }
  cs_snapshot_free(snap);
  cs_store_close(s);
  cs_config_free(cfg);
  return rc;
}

int cs_cmd_demo(int argc, char **argv) {
  enum { OPT_DIR = CS_OPT_FIRST_LOCAL, OPT_SECONDS };
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS,
                                       {"dir", required_argument, NULL, OPT_DIR},
                                       {"train-seconds", required_argument, NULL, OPT_SECONDS},
                                       {0, 0, 0, 0}};
  cs_cli_common_t c = {0};
  const char *dir = "consentry-demo";
  static demo_result_t res;
  res.train_seconds = 30;
  int opt;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &c)) continue;
    if (opt == OPT_DIR) dir = optarg;
    else if (opt == OPT_SECONDS) {
      if (cs_cli_parse_double("demo", "--train-seconds", optarg, 0, 3600, &res.train_seconds))
        return CS_EXIT_USAGE;
    } else if (opt == 'h') return fputs(help, stdout), CS_EXIT_OK;
    else return cs_cli_usage("demo", "unknown option");
  }
  if (optind != argc) return cs_cli_usage("demo", "unexpected argument '%s'", argv[optind]);
  cs_diag_t d = {{0}};
  int rc = demo(dir, &c, &res, &d);
  cs_tok_bytes_free(&res.suggestion);
  return rc < 0 ? cs_cli_fail("demo", rc, &d) : CS_EXIT_OK;
}
