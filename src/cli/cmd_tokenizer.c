/* cmd_tokenizer.c — `consentry tokenizer train|encode|decode|info`. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <consentry/tokenizer.h>

static const char help[] =
    "usage: consentry tokenizer train --vocab V --out DIR [--text] [--json] FILE...\n"
    "       consentry tokenizer encode --tokenizer DIR [--json] < TEXT\n"
    "       consentry tokenizer decode --tokenizer DIR < IDS\n"
    "       consentry tokenizer info --tokenizer DIR [--json]\n"
    "A deterministic byte-level BPE (docs/TOKENIZER.md): 256 byte tokens, then\n"
    "<|endoftext|> (256) and one token per redaction placeholder, <EMAIL> ...\n"
    "<ADDRESS> (257..266), then merges up to V tokens (at most 65535).\n"
    "  train   learns merges from content JSONL (the `text` of each record; '-' is\n"
    "          stdin, *.zst decompressed), or plain text files with --text, and\n"
    "          writes DIR/tokenizer.json. Same input and V: the same file.\n"
    "          --json prints {vocab, merges, bytes, seconds, hash}.\n"
    "  encode  reads stdin as bytes and prints its token ids on one line\n"
    "          (--json: {\"count\":N,\"tokens\":[...]}).\n"
    "  decode  reads token ids (separated by spaces, commas or newlines; [ ] are\n"
    "          ignored) and writes their bytes to stdout.\n"
    "  info    prints the vocabulary size, merges and SHA-256 of a tokenizer.\n"
    "Examples:\n"
    "  consentry tokenizer train --vocab 8192 --out tok/ --text corpus.txt\n"
    "  echo 'Hello <EMAIL>!' | consentry tokenizer encode --tokenizer tok/\n"
    "  consentry tokenizer encode --tokenizer tok/ < a.txt |\n"
    "    consentry tokenizer decode --tokenizer tok/ | cmp - a.txt\n";

enum { OPT_VOCAB = CS_OPT_FIRST_LOCAL, OPT_OUT, OPT_TEXT, OPT_TOKENIZER };

typedef struct {
  cs_cli_common_t c;
  const char *vocab, *out, *tokenizer;
  bool text;
} tok_args_t;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
  double last;
} progress_t;

static void draw_progress(void *ctx, const cs_tok_train_progress_t *p) {
  progress_t *pr = ctx;
  double t = now_s();
  if (t - pr->last < 0.2 && !(p->phase == 1 && p->merges_done == p->merges_target)) return;
  pr->last = t;
  if (p->phase == 0)
    fprintf(stderr, "\r\033[K  counting: %.1f MB, %llu distinct chunks", (double)p->bytes / 1e6,
            (unsigned long long)p->unique_chunks);
  else
    fprintf(stderr, "\r\033[K  merging: %zu / %zu", p->merges_done, p->merges_target);
}

static int parse_vocab(const char *s, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || *s == '-' || v > CS_TOK_MAX_VOCAB ||
      v < CS_TOK_FIRST_MERGE)
    return cs_cli_usage("tokenizer",
                        "--vocab: expected a number from %d (256 bytes + 11 special tokens) to "
                        "%d (uint16 token shards), got '%s'",
                        CS_TOK_FIRST_MERGE, CS_TOK_MAX_VOCAB, s);
  *out = (size_t)v;
  return 0;
}

static void train_summary(const tok_args_t *a, const cs_tokenizer_t *tok,
                          const cs_tok_train_stats_t *st, double secs) {
  char hex[CS_TOK_HASH_HEX];
  cs_tokenizer_hash(tok, hex);
  size_t vocab = cs_tokenizer_vocab_size(tok);
  if (a->c.json) {
    fputs("{\"out\":", stdout);
    cs_cli_json_str(stdout, a->out);
    printf(",\"vocab\":%zu,\"merges\":%zu,\"bytes\":%llu,\"chunks\":%llu,\"unique_chunks\":%llu,"
           "\"stopped_early\":%s,\"seconds\":%.3f,\"hash\":\"%s\"}\n",
           vocab, st->merges, (unsigned long long)st->bytes, (unsigned long long)st->chunks,
           (unsigned long long)st->unique_chunks, st->stopped_early ? "true" : "false", secs, hex);
    return;
  }
  printf("tokenizer written to %s/tokenizer.json: %zu tokens (%zu merges) from %.1f MB in "
         "%.2f s\nsha256 %s\n",
         a->out, vocab, st->merges, (double)st->bytes / 1e6, secs, hex);
  if (st->stopped_early)
    fprintf(stderr, "consentry tokenizer: note: no pair occurs twice any more; stopped at %zu "
                    "tokens\n", vocab);
}

static int train(const tok_args_t *a, char **files, size_t n) {
  size_t vocab = 0;
  int ec = a->vocab ? parse_vocab(a->vocab, &vocab)
                    : cs_cli_usage("tokenizer", "train: --vocab is required");
  if (ec) return ec;
  if (!a->out) return cs_cli_usage("tokenizer", "train: --out DIR is required");
  if (!n) return cs_cli_usage("tokenizer", "train: expected at least one input file");
  progress_t pr = {0};
  bool show = cs_cli_progress_enabled(&a->c);
  cs_tok_train_opts_t opts = {vocab, 0, show ? draw_progress : NULL, &pr};
  cs_diag_t d = {{0}};
  cs_tok_trainer_t *tr = NULL;
  cs_tokenizer_t *tok = NULL;
  cs_tok_train_stats_t st;
  double t0 = now_s();
  int rc = cs_tok_trainer_new(&tr);
  for (size_t i = 0; rc == CS_OK && i < n; i++)
    rc = a->text ? cs_tok_trainer_add_text_file(tr, files[i], &opts, &d)
                 : cs_tok_trainer_add_jsonl(tr, files[i], &opts, &d);
  if (rc == CS_OK) rc = cs_tok_trainer_finish(tr, &opts, &tok, &st, &d);
  if (show) fputs("\r\033[K", stderr);
  if (rc == CS_OK) rc = cs_tokenizer_save(tok, a->out, &d);
  if (rc == CS_OK) train_summary(a, tok, &st, now_s() - t0);
  cs_tokenizer_free(tok);
  cs_tok_trainer_free(tr);
  return rc < 0 ? cs_cli_fail("tokenizer", rc, &d) : CS_EXIT_OK;
}

static int load(const tok_args_t *a, cs_tokenizer_t **tok) {
  if (!a->tokenizer) return cs_cli_usage("tokenizer", "--tokenizer DIR is required");
  cs_diag_t d = {{0}};
  int rc = cs_tokenizer_load(a->tokenizer, tok, &d);
  return rc < 0 ? cs_cli_fail("tokenizer", rc, &d) : 0;
}

/* Prints ids as one line (or the JSON form), streaming. */
static void print_ids(const cs_tokens_t *t, bool json, bool *first) {
  for (size_t i = 0; i < t->len; i++) {
    printf(*first ? "%u" : json ? ",%u" : " %u", (unsigned)t->ids[i]);
    *first = false;
  }
}

static int encode(const tok_args_t *a) {
  cs_tokenizer_t *tok;
  int ec = load(a, &tok);
  if (ec) return ec;
  size_t cap = (size_t)1 << 20, have = 0, used;
  unsigned char *buf = malloc(cap + CS_TOK_MAX_CHUNK + 64);
  cs_tokenizer_cache_t *cache = NULL;
  cs_tokens_t t = {0};
  unsigned long long count = 0;
  bool first = true, eof = false;
  int rc = buf ? cs_tokenizer_cache_new(tok, &cache) : CS_ENOMEM;
  if (rc == CS_OK && a->c.json) fputs("{\"tokens\":[", stdout);
  while (rc == CS_OK && !eof) {
    size_t got = fread(buf + have, 1, cap, stdin);
    if (ferror(stdin)) {
      rc = CS_EIO;
      break;
    }
    eof = got == 0;
    have += got;
    t.len = 0;
    rc = eof ? cs_tokenizer_encode(tok, cache, buf, have, &t)
             : cs_tokenizer_encode_prefix(tok, cache, buf, have, &t, &used);
    if (eof) used = have;
    memmove(buf, buf + used, have - used);
    have -= used;
    count += t.len;
    print_ids(&t, a->c.json, &first);
  }
  if (rc == CS_OK) {
    if (a->c.json) printf("],\"count\":%llu}\n", count);
    else fputc('\n', stdout);
    if (fflush(stdout) != 0) rc = CS_EIO;
  }
  cs_tokens_free(&t);
  cs_tokenizer_cache_free(cache);
  free(buf);
  cs_tokenizer_free(tok);
  return rc < 0 ? cs_cli_fail("tokenizer", rc, NULL) : CS_EXIT_OK;
}

/* Reads the next id from stdin: 1 and *id, 0 at the end, <0 bad input. */
static int next_id(unsigned long long *id, size_t *index) {
  int ch;
  while ((ch = getchar()) != EOF && (ch == ' ' || ch == ',' || ch == '\n' || ch == '\r' ||
                                     ch == '\t' || ch == '[' || ch == ']')) {
  }
  if (ch == EOF) return 0;
  unsigned long long v = 0;
  int digits = 0;
  for (; ch >= '0' && ch <= '9'; ch = getchar(), digits++) {
    v = v * 10 + (unsigned)(ch - '0');
    if (v > CS_TOK_MAX_VOCAB) break;
  }
  (*index)++;
  if (!digits || v > CS_TOK_MAX_VOCAB || !(ch == EOF || ch == ' ' || ch == ',' || ch == '\n' ||
                                           ch == '\r' || ch == '\t' || ch == ']'))
    return CS_EINVAL;
  *id = v;
  return 1;
}

static int decode(const tok_args_t *a) {
  cs_tokenizer_t *tok;
  int ec = load(a, &tok);
  if (ec) return ec;
  cs_diag_t d = {{0}};
  cs_tok_bytes_t out = {0};
  cs_token_t ids[4096];
  size_t n = 0, index = 0;
  unsigned long long id;
  int more, rc = CS_OK;
  do {
    more = next_id(&id, &index);
    if (more < 0 || (more == 1 && id >= cs_tokenizer_vocab_size(tok))) {
      rc = cs_diag_set(&d, CS_EINVAL, "stdin: token %zu: expected an id below %zu", index,
                       cs_tokenizer_vocab_size(tok));
      break;
    }
    if (more == 1) ids[n++] = (cs_token_t)id;
    if (n == sizeof ids / sizeof *ids || (more == 0 && n)) {
      out.len = 0;
      if ((rc = cs_tokenizer_decode(tok, ids, n, &out)) < 0) break;
      if (fwrite(out.data, 1, out.len, stdout) != out.len) rc = CS_EIO;
      n = 0;
    }
  } while (more == 1 && rc == CS_OK);
  if (rc == CS_OK && fflush(stdout) != 0) rc = CS_EIO;
  cs_tok_bytes_free(&out);
  cs_tokenizer_free(tok);
  return rc < 0 ? cs_cli_fail("tokenizer", rc, &d) : CS_EXIT_OK;
}

static int info(const tok_args_t *a) {
  cs_tokenizer_t *tok;
  int ec = load(a, &tok);
  if (ec) return ec;
  char hex[CS_TOK_HASH_HEX];
  cs_tokenizer_hash(tok, hex);
  if (a->c.json)
    printf("{\"vocab\":%zu,\"merges\":%zu,\"hash\":\"%s\"}\n", cs_tokenizer_vocab_size(tok),
           cs_tokenizer_n_merges(tok), hex);
  else
    printf("vocab %zu (%zu merges)\nsha256 %s\n", cs_tokenizer_vocab_size(tok),
           cs_tokenizer_n_merges(tok), hex);
  cs_tokenizer_free(tok);
  return CS_EXIT_OK;
}

int cs_cmd_tokenizer(int argc, char **argv) {
  static const struct option opts[] = {CS_CLI_COMMON_LONGOPTS,
                                       {"vocab", required_argument, NULL, OPT_VOCAB},
                                       {"out", required_argument, NULL, OPT_OUT},
                                       {"text", no_argument, NULL, OPT_TEXT},
                                       {"tokenizer", required_argument, NULL, OPT_TOKENIZER},
                                       {0, 0, 0, 0}};
  tok_args_t a = {0};
  int opt;
  while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (cs_cli_common_opt(opt, optarg, &a.c)) continue;
    switch (opt) {
      case OPT_VOCAB: a.vocab = optarg; break;
      case OPT_OUT: a.out = optarg; break;
      case OPT_TEXT: a.text = true; break;
      case OPT_TOKENIZER: a.tokenizer = optarg; break;
      case 'h': return fputs(help, stdout), CS_EXIT_OK;
      default: return cs_cli_usage("tokenizer", "unknown option");
    }
  }
  if (optind == argc) return cs_cli_usage("tokenizer", "expected train, encode, decode or info");
  const char *verb = argv[optind++];
  char **rest = argv + optind;
  size_t n_rest = (size_t)(argc - optind);
  if (strcmp(verb, "train") == 0) return train(&a, rest, n_rest);
  if (n_rest) return cs_cli_usage("tokenizer", "unexpected argument '%s'", rest[0]);
  if (strcmp(verb, "encode") == 0) return encode(&a);
  if (strcmp(verb, "decode") == 0) return decode(&a);
  if (strcmp(verb, "info") == 0) return info(&a);
  return cs_cli_usage("tokenizer", "unknown subcommand '%s' (train, encode, decode, info)", verb);
}
