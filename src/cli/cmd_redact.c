/* cmd_redact.c — `consentry redact`: personal data out of JSONL text.
 *
 *   consentry redact [--db PATH] [--pseudonymize KEYFILE] [--max-pii N] [--json] [FILE...]
 *   consentry redact --eval LABELED [--content CONTENT.jsonl] [--db PATH] [--iou X] [--json]
 *
 * Streams records from the files (or standard input) to standard output with
 * only their "text" redacted; prints a summary of counts per type, never a
 * value, on standard error. --eval scores the redactor on labelled data.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <consentry/redact.h>
#include <sodium.h>

#include "cli/cli.h"
#include "core/lines.h"

#define CMD "redact"

typedef struct {
  cs_cli_common_t common;
  bool members;        /* --db given (or $CONSENTRY_DB set) */
  const char *keyfile, *eval, *content;
  size_t max_pii;
  double iou;
  bool no_names;
  bool misses;         /* --misses: print missed and false spans (benchmark data only) */
  char **files;
  int n_files;
} opts_t;

static void help(void) {
  printf("usage: consentry redact [--db PATH] [--pseudonymize KEYFILE] [--max-pii N] [--json]"
         " [FILE...]\n"
         "       consentry redact --eval LABELED [--content CONTENT.jsonl] [--iou X] [--json]\n\n"
         "Reads JSONL content records (FILE or standard input) and writes them to standard\n"
         "output with personal data in \"text\" replaced by <EMAIL>, <PHONE>, <URL>, <IP>,\n"
         "<CREDIT_CARD>, <IBAN>, <SSN>, <NINO>, <PERSON> or <ADDRESS>; every other byte of\n"
         "the record is unchanged. A summary of counts per type goes to standard error.\n\n"
         "  --db PATH             also find the names and @handles of the ledger's members\n"
         "  --pseudonymize FILE   keyed pseudonyms <PERSON_1a2b3c4d> (HMAC-SHA256 with the\n"
         "                        file's bytes as key, at least 16) instead of placeholders\n"
         "  --max-pii N           drop records with more than N matches\n"
         "  --no-name-list        PERSON only for known members, not from name lists\n"
         "  --eval LABELED        score on synth labels.jsonl or Presidio's JSON benchmark:\n"
         "                        per-type precision, recall, F1, F2, look-alikes kept\n"
         "  --content PATH        the content.jsonl for labels.jsonl (default: beside it)\n"
         "  --iou X               span match threshold for --eval (default 0.9)\n"
         "  --misses              with --eval on benchmark data: each missed and each false\n"
         "                        span, with the text around it, on standard error\n"
         "  --json                machine-readable summary or report\n\n"
         "Example: consentry redact --db ledger.db < posts.jsonl > posts.redacted.jsonl\n");
}

static int parse_size(const char *flag, const char *s, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || s[0] == '-')
    return cs_cli_usage(CMD, "%s: expected a non-negative integer, got '%s'", flag, s);
  *out = (size_t)v;
  return 0;
}

static int parse_args(int argc, char **argv, opts_t *o) {
  memset(o, 0, sizeof *o);
  o->iou = 0.9;
  o->members = getenv("CONSENTRY_DB") != NULL;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    bool has_val = i + 1 < argc;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return -1;
    if (strcmp(a, "--json") == 0) o->common.json = true;
    else if (strcmp(a, "--no-name-list") == 0) o->no_names = true;
    else if (strcmp(a, "--misses") == 0) o->misses = true;
    else if (!has_val && strncmp(a, "--", 2) == 0 && a[2])
      return cs_cli_usage(CMD, "%s needs a value", a);
    else if (strcmp(a, "--db") == 0) { o->common.db = argv[++i]; o->members = true; }
    else if (strcmp(a, "--pseudonymize") == 0) o->keyfile = argv[++i];
    else if (strcmp(a, "--eval") == 0) o->eval = argv[++i];
    else if (strcmp(a, "--content") == 0) o->content = argv[++i];
    else if (strcmp(a, "--max-pii") == 0) {
      int rc = parse_size(a, argv[++i], &o->max_pii);
      if (rc) return rc;
    } else if (strcmp(a, "--iou") == 0) {
      char *end;
      o->iou = strtod(argv[++i], &end);
      if (*end || !(o->iou > 0 && o->iou <= 1))
        return cs_cli_usage(CMD, "--iou: expected a number in (0, 1], got '%s'", argv[i]);
    } else if (a[0] == '-' && a[1]) return cs_cli_usage(CMD, "unknown option '%s'", a);
    else break;
  }
  o->files = argv + i;
  o->n_files = argc - i;
  return 0;
}

/* Reads the key file into *key (caller zeroes and frees). */
static int read_key(const char *path, uint8_t **key, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return cs_cli_usage(CMD, "--pseudonymize: cannot open '%s': %s", path, strerror(errno));
  uint8_t *buf = malloc(4096);
  size_t n = buf ? fread(buf, 1, 4096, f) : 0;
  fclose(f);
  if (!buf) return cs_cli_usage(CMD, "out of memory reading the key");
  if (n < CS_REDACT_KEY_MIN) {
    sodium_memzero(buf, 4096);
    free(buf);
    return cs_cli_usage(CMD, "--pseudonymize: '%s' holds %zu bytes; a key needs at least %d",
                        path, n, CS_REDACT_KEY_MIN);
  }
  *key = buf;
  *len = n;
  return 0;
}

static int add_member_cb(void *ctx, const cs_fact_t *f) {
  if (f->type != CS_FACT_MEMBER) return 0;
  return cs_redactor_add_member(ctx, f->u.member.name, f->u.member.handle, f->u.member.email,
                                NULL);
}

static int load_members(const opts_t *o, cs_redactor_t *r) {
  cs_store_t *st = NULL;
  int ex = cs_cli_open_store(CMD, &o->common, &st);
  if (ex) return ex;
  cs_diag_t diag = {{0}};
  int rc = cs_store_each_member_fact(st, NULL, CS_TIME_NEVER, add_member_cb, r, &diag);
  cs_store_close(st);
  return rc < 0 ? cs_cli_fail(CMD, rc, &diag) : 0;
}

static int build(const opts_t *o, cs_redactor_t **out) {
  cs_redact_opts_t ro = {.max_pii = o->max_pii, .no_name_list = o->no_names};
  uint8_t *key = NULL;
  size_t key_len = 0;
  cs_diag_t diag = {{0}};
  int ex = o->keyfile ? read_key(o->keyfile, &key, &key_len) : 0;
  if (ex) return ex;
  ro.key = key;
  ro.key_len = key_len;
  int rc = cs_redactor_new(&ro, out, &diag);
  if (key) {
    sodium_memzero(key, 4096);
    free(key);
  }
  if (rc < 0) return cs_cli_fail(CMD, rc, &diag);
  ex = o->members ? load_members(o, *out) : 0;
  if (!ex && (rc = cs_redactor_compile(*out, &diag)) < 0) ex = cs_cli_fail(CMD, rc, &diag);
  if (ex) {
    cs_redactor_free(*out);
    *out = NULL;
  }
  return ex;
}

typedef struct {
  size_t records, changed, dropped, counts[CS_PII_N_TYPES];
} summary_t;

static int redact_file(const char *path, cs_redactor_t *r, cs_redact_scratch_t *s,
                       summary_t *sum) {
  cs_diag_t diag = {{0}};
  cs_lines_t *lr;
  int rc = cs_lines_open(path, &lr, &diag);
  if (rc < 0) return cs_cli_fail(CMD, rc, &diag);
  const char *line, *out;
  size_t len, out_len;
  while ((rc = cs_lines_next(lr, &line, &len, &diag)) == 1) {
    cs_redact_result_t res;
    if (len == 0) continue;
    rc = cs_redact_jsonl_line(r, s, line, len, &out, &out_len, &res, &diag);
    if (rc < 0) {
      cs_diag_prefix(&diag, "%s:%zu", strcmp(path, "-") ? path : "<stdin>", cs_lines_number(lr));
      break;
    }
    sum->records++;
    sum->changed += res.changed;
    for (int t = 0; t < CS_PII_N_TYPES; t++) sum->counts[t] += res.counts[t];
    if (res.dropped) {
      sum->dropped++;
      continue;
    }
    /* unlocked: one thread writes; the locked calls cost a lock per record */
    fwrite_unlocked(out, 1, out_len, stdout);
    if (putchar_unlocked('\n') == EOF) {
      rc = cs_diag_set(&diag, CS_EIO, "writing standard output: %s", strerror(errno));
      break;
    }
  }
  cs_lines_close(lr);
  return rc < 0 ? cs_cli_fail(CMD, rc, &diag) : 0;
}

static void print_summary(const opts_t *o, const summary_t *s) {
  FILE *f = stderr;
  if (o->common.json) {
    fprintf(f, "{\"records\":%zu,\"changed\":%zu,\"dropped\":%zu,\"counts\":{", s->records,
            s->changed, s->dropped);
    for (int t = 0; t < CS_PII_N_TYPES; t++)
      fprintf(f, "%s\"%s\":%zu", t ? "," : "", cs_pii_type_name((cs_pii_type_t)t), s->counts[t]);
    fputs("}}\n", f);
    return;
  }
  fprintf(f, "consentry redact: %zu records, %zu changed, %zu dropped (--max-pii);", s->records,
          s->changed, s->dropped);
  for (int t = 0; t < CS_PII_N_TYPES; t++)
    if (s->counts[t]) fprintf(f, " %s %zu", cs_pii_type_name((cs_pii_type_t)t), s->counts[t]);
  fputc('\n', f);
}

static int run_redact(const opts_t *o, cs_redactor_t *r, cs_redact_scratch_t *s) {
  static char obuf[1 << 20];
  summary_t sum = {0};
  setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
  int ex = 0;
  if (o->n_files == 0) ex = redact_file("-", r, s, &sum);
  for (int i = 0; i < o->n_files && !ex; i++) ex = redact_file(o->files[i], r, s, &sum);
  if (fflush(stdout) != 0 && !ex) ex = cs_cli_usage(CMD, "cannot write standard output");
  if (!ex) print_summary(o, &sum);
  return ex;
}

static int run_eval(const opts_t *o, cs_redactor_t *r, cs_redact_scratch_t *s) {
  cs_redact_eval_t *e = NULL;
  cs_diag_t diag = {{0}};
  int rc = cs_redact_eval_new(o->iou, &e);
  if (rc == CS_OK && o->misses) cs_redact_eval_set_misses(e, stderr);
  if (rc == CS_OK) rc = cs_redact_eval_file(r, s, e, o->eval, o->content, &diag);
  if (rc == CS_OK) rc = cs_redact_eval_report(e, stdout, o->common.json);
  cs_redact_eval_free(e);
  return rc < 0 ? cs_cli_fail(CMD, rc, &diag) : 0;
}

int cs_cmd_redact(int argc, char **argv) {
  opts_t o;
  int ex = parse_args(argc, argv, &o);
  if (ex < 0) {
    help();
    return CS_EXIT_OK;
  }
  if (ex) return ex;
  if (o.misses && !o.eval) return cs_cli_usage(CMD, "--misses needs --eval");
  if (o.eval && (o.keyfile || o.max_pii || o.n_files))
    return cs_cli_usage(CMD, "--eval takes no FILE, --pseudonymize or --max-pii");
  cs_redactor_t *r = NULL;
  cs_redact_scratch_t *s = NULL;
  ex = build(&o, &r);
  if (ex) return ex;
  cs_diag_t diag = {{0}};
  int rc = cs_redact_scratch_new(r, &s);
  if (rc < 0) ex = cs_cli_fail(CMD, cs_diag_set(&diag, rc, "scratch: %s", cs_strerror(rc)), &diag);
  else ex = o.eval ? run_eval(&o, r, s) : run_redact(&o, r, s);
  cs_redact_scratch_free(s);
  cs_redactor_free(r);
  return ex;
}
