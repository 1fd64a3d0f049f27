/* bench_lm.c — byte-level language-model training on a text file (not a
 * test): the quality runs of bench/train (quality.sh) and the same-steps
 * comparison with PyTorch (run.sh). lm_torch.py is its PyTorch twin: the
 * same split, batches, schedule, evaluation windows and (with --init) the
 * same initial weights, so the two can be compared line by line.
 *
 * Tokens are bytes (vocabulary 256), so a loss in nats per token is nats
 * per byte, and bits per byte = loss / ln 2. Splits:
 *   --split tail   the last 10% of the file is validation (nanoGPT's
 *                  shakespeare_char split);
 *   --split posts  the file is posts separated by blank lines; every 10th
 *                  post is held out; each side is its posts joined by "\n\n".
 * Batches: row k of step s starts at splitmix64(seed ^ (s·B + k)) mod
 * (n - T) of the training bytes (lm_torch.py computes the same numbers).
 * Validation: --eval-batches B x T windows at fixed starts spread evenly
 * over the validation bytes; at the end of a run --final-eval evaluates
 * non-overlapping windows covering all of it.
 * Schedule: linear warm-up, cosine to --min-lr at --steps (cs_model_lr);
 * AdamW betas (0.9, --beta2), weight decay 0.1, gradient clipping at 1.
 *
 * Prints one line per evaluation:
 *   step S  train_s X  train L  val V  (bpb W)  tok/s R
 * where train_s is training time without evaluations; stops at --target
 * (validation loss) or --time-limit (training seconds), whichever first.
 * --save-init DIR writes the initial weights (consentry checkpoint);
 * --sample N then times N tokens of sampling with the KV cache (batch 1,
 * temperature 0.8, top-k 40) after a prompt and prints the text.
 *
 *   cc -O2 -std=c17 -D_GNU_SOURCE -fopenmp -Iinclude bench/train/bench_lm.c \
 *      build/libconsentry.a $(pkg-config --libs json-c openblas) -lm -o build/bench_lm
 */
#include <consentry/model.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  const char *text, *split, *save_init, *prompt;
  int layers, heads, embd, context, batch, eval_batches, sample, final_eval;
  long steps, warmup, eval_every;
  double lr, min_lr, beta2, target, time_limit, dropout;
  unsigned long long seed;
} opts_t;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t splitmix64(uint64_t x) {
  x += UINT64_C(0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
  return x ^ (x >> 31);
}

typedef struct {
  unsigned char *b;
  size_t n;
} bytes_t;

static int read_file(const char *path, bytes_t *out) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 1 << 20, n = 0;
  unsigned char *b = malloc(cap);
  size_t got;
  while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      unsigned char *nb = realloc(b, cap *= 2);
      if (!nb) free(b);
      b = nb;
    }
  }
  fclose(f);
  if (!b) return -1;
  out->b = b;
  out->n = n;
  return 0;
}

static void append(bytes_t *dst, const unsigned char *p, size_t n) {
  memcpy(dst->b + dst->n, p, n);
  dst->n += n;
}

/* Posts are separated by one or more blank lines; every 10th is held out. */
static void split_posts(const bytes_t *all, bytes_t *train, bytes_t *val) {
  size_t i = 0, k = 0;
  while (i < all->n) {
    while (i < all->n && all->b[i] == '\n') i++;
    size_t s = i;
    while (i < all->n && !(all->b[i] == '\n' && i + 1 < all->n && all->b[i + 1] == '\n')) i++;
    size_t e = i;
    while (e > s && (all->b[e - 1] == '\n' || all->b[e - 1] == ' ')) e--;
    if (e == s) continue;
    bytes_t *dst = (k++ % 10 == 9) ? val : train;
    if (dst->n) append(dst, (const unsigned char *)"\n\n", 2);
    append(dst, all->b + s, e - s);
  }
}

static void fill(int32_t *in, int32_t *tg, const bytes_t *d, size_t start, int T) {
  for (int t = 0; t < T; t++) {
    in[t] = d->b[start + (size_t)t];
    tg[t] = d->b[start + (size_t)t + 1];
  }
}

/* Mean validation loss over windows starting at starts[0..n). */
static double eval_windows(cs_model_t *m, const bytes_t *val, const size_t *starts, size_t n,
                           int B, int T, int32_t *in, int32_t *tg) {
  double sum = 0.0;
  size_t done = 0;
  cs_diag_t d = {{0}};
  while (done < n) {
    int b = n - done < (size_t)B ? (int)(n - done) : B;
    for (int r = 0; r < b; r++) fill(in + (size_t)r * T, tg + (size_t)r * T, val, starts[done + (size_t)r], T);
    float loss = 0.0f;
    if (cs_model_forward(m, in, tg, b, T, false, NULL, &loss, &d)) {
      fprintf(stderr, "bench_lm: %s\n", d.msg);
      return NAN;
    }
    sum += (double)loss * b;
    done += (size_t)b;
  }
  return sum / (double)n;
}

static int parse(int argc, char **argv, opts_t *o) {
  *o = (opts_t){.split = "tail", .prompt = "Excited to announce", .layers = 4, .heads = 4,
                .embd = 128, .context = 64, .batch = 12, .eval_batches = 20, .steps = 2000,
                .warmup = 100, .eval_every = 100, .lr = 1e-3, .min_lr = 1e-4, .beta2 = 0.99,
                .target = 0.0, .time_limit = 0.0, .seed = 1337};
  for (int i = 1; i < argc; i++) {
    const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define S(name, field) if (!strcmp(k, name) && v) { o->field = v; i++; continue; }
#define I(name, field) if (!strcmp(k, name) && v) { o->field = (int)strtol(v, NULL, 10); i++; continue; }
#define L(name, field) if (!strcmp(k, name) && v) { o->field = strtol(v, NULL, 10); i++; continue; }
#define D(name, field) if (!strcmp(k, name) && v) { o->field = strtod(v, NULL); i++; continue; }
    S("--text", text) S("--split", split) S("--save-init", save_init) S("--prompt", prompt)
    I("--layers", layers) I("--heads", heads) I("--embd", embd) I("--context", context)
    I("--batch", batch) I("--eval-batches", eval_batches) I("--sample", sample)
    I("--final-eval", final_eval) L("--steps", steps) L("--warmup", warmup)
    L("--eval-every", eval_every) D("--lr", lr) D("--min-lr", min_lr) D("--beta2", beta2)
    D("--target", target) D("--time-limit", time_limit) D("--dropout", dropout)
    if (!strcmp(k, "--seed") && v) { o->seed = strtoull(v, NULL, 10); i++; continue; }
#undef S
#undef I
#undef L
#undef D
    fprintf(stderr, "bench_lm: unknown or incomplete option %s\n", k);
    return -1;
  }
  if (!o->text) {
    fprintf(stderr, "usage: bench_lm --text FILE [--split tail|posts] [options, see the source]\n");
    return -1;
  }
  return 0;
}

/* Times n tokens of KV-cache sampling after the prompt; prints the text. */
static int sample(const cs_model_t *m, const opts_t *o) {
  size_t np = strlen(o->prompt);
  int32_t *prompt = malloc(np * sizeof(int32_t)), *out = malloc((size_t)o->sample * sizeof(int32_t));
  if (!prompt || !out) return 1;
  for (size_t i = 0; i < np; i++) prompt[i] = (unsigned char)o->prompt[i];
  cs_gen_opts_t g = cs_gen_defaults();
  g.max_tokens = (size_t)o->sample;
  g.temperature = 0.8f;
  g.top_k = 40;
  g.seed = 7;
  size_t n = 0;
  cs_diag_t d = {{0}};
  double t0 = now();
  int rc = cs_model_generate(&m, 1, prompt, np, &g, out, &n, &d);
  double dt = now() - t0;
  if (rc) {
    fprintf(stderr, "bench_lm: %s\n", d.msg);
  } else {
    printf("sample %zu tokens in %.3f s  %.0f tokens/s  (batch 1, KV cache)\n%s", n, dt,
           (double)n / dt, o->prompt);
    for (size_t i = 0; i < n; i++) putchar(out[i] >= 32 || out[i] == '\n' ? (int)out[i] : '?');
    putchar('\n');
  }
  free(prompt);
  free(out);
  return rc ? 1 : 0;
}

int main(int argc, char **argv) {
  opts_t o;
  if (parse(argc, argv, &o)) return 2;
  bytes_t all, train = {0}, val = {0};
  if (read_file(o.text, &all)) {
    fprintf(stderr, "bench_lm: cannot read %s\n", o.text);
    return 1;
  }
  train.b = malloc(all.n + 2);
  val.b = malloc(all.n + 2);
  if (!strcmp(o.split, "posts")) {
    split_posts(&all, &train, &val);
  } else {
    size_t cut = all.n - all.n / 10;
    append(&train, all.b, cut);
    append(&val, all.b + cut, all.n - cut);
  }
  int B = o.batch, T = o.context;
  cs_model_config_t cfg = {.vocab_size = 256, .max_seq_len = T, .n_layer = o.layers,
                           .n_head = o.heads, .n_embd = o.embd, .dropout = (float)o.dropout};
  cs_diag_t d = {{0}};
  cs_model_t *m = NULL;
  if (cs_model_new(&cfg, &m, &d)) {
    fprintf(stderr, "bench_lm: %s\n", d.msg);
    return 1;
  }
  cs_model_rng_t rng;
  cs_model_rng_seed(&rng, o.seed);
  cs_model_init(m, &rng);
  if (o.save_init && cs_model_save(m, o.save_init, &d)) {
    fprintf(stderr, "bench_lm: %s\n", d.msg);
    return 1;
  }
  size_t n_eval = (size_t)o.eval_batches * (size_t)B;
  size_t n_full = (val.n - 1) / (size_t)T;
  size_t *starts = malloc((n_eval > n_full ? n_eval : n_full) * sizeof(size_t));
  int32_t *in = malloc((size_t)B * T * sizeof(int32_t)), *tg = malloc((size_t)B * T * sizeof(int32_t));
  for (size_t i = 0; i < n_eval; i++) starts[i] = i * (val.n - (size_t)T - 1) / n_eval;
  printf("bench_lm: %s (%s split: %zu train, %zu validation bytes), %d layers, %d heads, %d wide, "
         "context %d, batch %d, %zu parameters, lr %g..%g, warm-up %ld, %ld steps\n",
         o.text, o.split, train.n, val.n, o.layers, o.heads, o.embd, T, B, cs_model_num_params(m),
         o.lr, o.min_lr, o.warmup, o.steps);
  cs_lr_schedule_t sched = {(float)o.lr, (float)o.min_lr, (uint64_t)o.warmup, (uint64_t)o.steps};
  cs_adamw_t hp = cs_adamw_defaults();
  hp.beta2 = (float)o.beta2;
  double train_s = 0.0, val_loss = NAN;
  float loss = NAN;
  long s;
  int rc = 0;
  for (s = 0; s < o.steps && !rc; s++) {
    double t0 = now();
    for (int r = 0; r < B; r++) {
      size_t st = splitmix64(o.seed ^ ((uint64_t)s * (uint64_t)B + (uint64_t)r)) % (train.n - (size_t)T);
      fill(in + (size_t)r * T, tg + (size_t)r * T, &train, st, T);
    }
    hp.lr = cs_model_lr(&sched, (uint64_t)s);
    cs_model_zero_grad(m);
    rc = cs_model_forward(m, in, tg, B, T, true, &rng, &loss, &d);
    if (!rc) rc = cs_model_backward(m, &d);
    cs_model_clip_grad_norm(m, 1.0f);
    if (!rc) rc = cs_model_adamw_step(m, &hp, &d);
    train_s += now() - t0;
    bool last = s + 1 == o.steps || (o.time_limit > 0 && train_s >= o.time_limit);
    if (!rc && ((s + 1) % o.eval_every == 0 || last)) {
      val_loss = eval_windows(m, &val, starts, n_eval, B, T, in, tg);
      printf("step %ld  train_s %.2f  train %.4f  val %.4f  (bpb %.3f)  tok/s %.0f\n", s + 1,
             train_s, (double)loss, val_loss, val_loss / log(2.0),
             (double)(s + 1) * B * T / train_s);
      fflush(stdout);
      if (o.target > 0 && val_loss <= o.target) {
        printf("reached val %.4f <= %.4f at step %ld after %.2f training seconds\n", val_loss,
               o.target, s + 1, train_s);
        s++;
        break;
      }
      if (last) {
        s++;
        break;
      }
    }
  }
  if (rc) fprintf(stderr, "bench_lm: %s\n", d.msg);
  if (!rc && o.final_eval) {
    for (size_t i = 0; i < n_full; i++) starts[i] = i * (size_t)T;
    double full = eval_windows(m, &val, starts, n_full, B, T, in, tg);
    printf("final: %ld steps, %.2f training seconds, validation over all %zu windows: %.4f nats/byte, "
           "%.3f bits/byte\n", s, train_s, n_full, full, full / log(2.0));
  }
  if (!rc && o.sample > 0) rc = sample(m, &o);
  free(starts);
  free(in);
  free(tg);
  free(all.b);
  free(train.b);
  free(val.b);
  cs_model_free(m);
  return rc ? 1 : 0;
}
