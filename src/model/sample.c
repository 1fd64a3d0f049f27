/* sample.c — text generation: temperature, top-k, top-p, ensembles.
 *
 * Each model keeps its own KV cache; every model is fed the same tokens, so
 * their caches stay in step. The next-token distribution is the models'
 * softmax(logits / temperature) averaged with Bayesian weights: each model's
 * weight starts equal and is multiplied by the probability (plain softmax)
 * it gave to every token fed after the first, prompt and generated alike,
 * so the ensemble of shard models is the posterior predictive of "one of
 * these models wrote the text": a shard that knows how the prompt goes
 * takes over, where a plain mean blurred it with shards that do not.
 * top-k, then top-p, cut the distribution; a draw from the model RNG
 * seeded with opts->seed picks the token. Temperature 0 is greedy (argmax
 * of the weighted plain softmaxes, lowest token id on ties). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"

cs_gen_opts_t cs_gen_defaults(void) {
  cs_gen_opts_t o = {64, 1.0f, 0, 1.0f, 0, -1, NULL, NULL};
  return o;
}

typedef struct {
  float p;
  int32_t id;
} cand_t;

typedef struct {
  const cs_model_t *const *models;
  size_t n_models;
  cs_model_kv_t **kv;
  int max_len;    /* the smallest context of the models */
  int V;
  float *probs;   /* (V) the weighted mean distribution */
  float *plain;   /* (n_models,V) each model's last plain softmax (n_models > 1) */
  double *logw;   /* (n_models) log of each model's unnormalised weight */
  int have_plain; /* plain holds the distributions of the token now fed */
  cand_t *cands;  /* (V) */
  int32_t *hist;  /* every token so far */
  size_t n_hist;
} gen_t;

static void gen_free(gen_t *g) {
  for (size_t i = 0; g->kv && i < g->n_models; i++) cs_model_kv_free(g->kv[i]);
  free(g->kv);
  free(g->probs);
  free(g->plain);
  free(g->logw);
  free(g->cands);
  free(g->hist);
}

static int check_args(const cs_model_t *const *models, size_t n_models, const int32_t *prompt,
                      size_t n_prompt, const cs_gen_opts_t *o, cs_diag_t *diag) {
  if (n_models == 0 || !models || n_prompt == 0 || !prompt)
    return cs_diag_set(diag, CS_EINVAL, "generate: need at least one model and one prompt token");
  for (size_t i = 0; i < n_models; i++)
    if (models[i]->cfg.vocab_size != models[0]->cfg.vocab_size)
      return cs_diag_set(diag, CS_EINVAL, "generate: model %zu has vocabulary %d, model 0 has %d",
                         i, models[i]->cfg.vocab_size, models[0]->cfg.vocab_size);
  if (!(o->temperature >= 0.0f) || !(o->top_p >= 0.0f && o->top_p <= 1.0f) || o->top_k < 0)
    return cs_diag_set(diag, CS_EINVAL, "generate: need temperature >= 0, 0 <= top_p <= 1, top_k >= 0");
  for (size_t i = 0; i < n_prompt; i++)
    if (prompt[i] < 0 || prompt[i] >= models[0]->cfg.vocab_size)
      return cs_diag_set(diag, CS_EINVAL, "generate: prompt token %zu (%d) is not in 0..%d", i,
                         (int)prompt[i], models[0]->cfg.vocab_size - 1);
  if (o->max_tokens > SIZE_MAX / sizeof(int32_t) - n_prompt)
    return cs_diag_set(diag, CS_ERANGE, "generate: max_tokens too large");
  return CS_OK;
}

static int gen_init(gen_t *g, const cs_model_t *const *models, size_t n_models, size_t hist_cap,
                    cs_diag_t *diag) {
  memset(g, 0, sizeof *g);
  g->models = models;
  g->n_models = n_models;
  g->V = models[0]->cfg.vocab_size;
  g->max_len = models[0]->cfg.max_seq_len;
  for (size_t i = 1; i < n_models; i++)
    if (models[i]->cfg.max_seq_len < g->max_len) g->max_len = models[i]->cfg.max_seq_len;
  g->kv = calloc(n_models, sizeof *g->kv);
  g->probs = malloc((size_t)g->V * sizeof(float));
  g->plain = malloc(n_models * (size_t)g->V * sizeof(float));
  g->logw = calloc(n_models, sizeof(double));
  g->cands = malloc((size_t)g->V * sizeof(cand_t));
  g->hist = malloc(hist_cap * sizeof(int32_t));
  if (!g->kv || !g->probs || !g->plain || !g->logw || !g->cands || !g->hist)
    return cs_diag_set(diag, CS_ENOMEM, "generate: out of memory");
  for (size_t i = 0; i < n_models; i++) {
    int rc = cs_model_kv_new(models[i], &g->kv[i], diag);
    if (rc) return rc;
  }
  return CS_OK;
}

/* Adds w * softmax(logits / temp) into probs (temp 0: plain softmax); with
 * plain non-NULL, also writes the plain softmax there. */
static void add_softmax(float *probs, float *plain, const float *logits, int V, float temp,
                        double w) {
  float inv_t = temp > 0.0f ? 1.0f / temp : 1.0f;
  float maxv = logits[0];
  for (int v = 1; v < V; v++)
    if (logits[v] > maxv) maxv = logits[v];
  double sum = 0.0, sum1 = 0.0;
  for (int v = 0; v < V; v++) {
    sum += exp((double)((logits[v] - maxv) * inv_t));
    if (plain) sum1 += exp((double)(logits[v] - maxv));
  }
  for (int v = 0; v < V; v++) {
    probs[v] += (float)(w * exp((double)((logits[v] - maxv) * inv_t)) / sum);
    if (plain) plain[v] = (float)(exp((double)(logits[v] - maxv)) / sum1);
  }
}

/* Feeds hist[idx] to every model; when the context is full the caches are
 * rebuilt from the last half of it first. Each model's weight first takes
 * the probability it gave hist[idx]; probs gets the weighted distribution. */
static int feed(gen_t *g, size_t idx, float temp, cs_diag_t *diag) {
  const float *logits;
  int rc = CS_OK;
  size_t n = g->n_models, V = (size_t)g->V;
  if (cs_model_kv_len(g->kv[0]) >= g->max_len) {
    size_t keep = (size_t)g->max_len / 2;
    for (size_t i = 0; i < n; i++) cs_model_kv_reset(g->kv[i]);
    for (size_t j = idx - keep; j < idx && !rc; j++)
      for (size_t i = 0; i < n && !rc; i++) rc = cs_model_kv_step(g->kv[i], g->hist[j], &logits, diag);
  }
  if (n > 1 && g->have_plain)
    for (size_t i = 0; i < n; i++) {
      float p = g->plain[i * V + (size_t)g->hist[idx]];
      g->logw[i] += log(p > 1e-30f ? (double)p : 1e-30);
    }
  double maxw = g->logw[0], sumw = 0.0; /* weight i = exp(logw[i] - maxw) / sumw */
  for (size_t i = 1; i < n; i++) maxw = g->logw[i] > maxw ? g->logw[i] : maxw;
  for (size_t i = 0; i < n; i++) sumw += exp(g->logw[i] - maxw);
  memset(g->probs, 0, V * sizeof(float));
  for (size_t i = 0; i < n && !rc; i++) {
    double w = exp(g->logw[i] - maxw) / sumw;
    rc = cs_model_kv_step(g->kv[i], g->hist[idx], &logits, diag);
    if (!rc) add_softmax(g->probs, n > 1 ? g->plain + i * V : NULL, logits, g->V, temp, w);
  }
  g->have_plain = !rc;
  return rc;
}

static int cmp_cand(const void *a, const void *b) {
  const cand_t *x = a, *y = b;
  if (x->p != y->p) return x->p > y->p ? -1 : 1;
  return x->id < y->id ? -1 : (x->id > y->id);
}

static int32_t argmax(const float *p, int V) {
  int32_t best = 0;
  for (int v = 1; v < V; v++)
    if (p[v] > p[best]) best = v;
  return best;
}

static int32_t pick(gen_t *g, const cs_gen_opts_t *o, cs_model_rng_t *rng) {
  if (o->temperature == 0.0f) return argmax(g->probs, g->V);
  int n = g->V;
  for (int v = 0; v < n; v++) g->cands[v] = (cand_t){g->probs[v], v};
  int filter = (o->top_k > 0 && o->top_k < n) || (o->top_p > 0.0f && o->top_p < 1.0f);
  if (filter) {
    qsort(g->cands, (size_t)n, sizeof(cand_t), cmp_cand);
    if (o->top_k > 0 && o->top_k < n) n = o->top_k;
    if (o->top_p > 0.0f && o->top_p < 1.0f) {
      double cum = 0.0;
      for (int i = 0; i < n; i++) {
        cum += g->cands[i].p;
        if (cum >= (double)o->top_p) {
          n = i + 1;
          break;
        }
      }
    }
  }
  double total = 0.0;
  for (int i = 0; i < n; i++) total += g->cands[i].p;
  double u = (double)cs_model_rng_uniform(rng) * total, cum = 0.0;
  for (int i = 0; i < n; i++) {
    cum += g->cands[i].p;
    if (u < cum) return g->cands[i].id;
  }
  return g->cands[n - 1].id; /* u at the very top, by rounding */
}

int cs_model_generate(const cs_model_t *const *models, size_t n_models, const int32_t *prompt,
                      size_t n_prompt, const cs_gen_opts_t *opts, int32_t *out, size_t *out_n,
                      cs_diag_t *diag) {
  int rc = check_args(models, n_models, prompt, n_prompt, opts, diag);
  if (rc) return rc;
  gen_t g;
  rc = gen_init(&g, models, n_models, n_prompt + opts->max_tokens, diag);
  if (rc) goto done;
  memcpy(g.hist, prompt, n_prompt * sizeof(int32_t));
  g.n_hist = n_prompt;
  /* a prompt longer than the context: only its last max_len tokens count */
  size_t first = n_prompt > (size_t)g.max_len ? n_prompt - (size_t)g.max_len : 0;
  for (size_t i = first; i < n_prompt && !rc; i++) rc = feed(&g, i, opts->temperature, diag);
  cs_model_rng_t rng;
  cs_model_rng_seed(&rng, opts->seed);
  size_t n_out = 0;
  while (!rc && n_out < opts->max_tokens) {
    int32_t tok = pick(&g, opts, &rng);
    out[n_out++] = tok;
    g.hist[g.n_hist++] = tok;
    if (tok == opts->stop_token || (opts->on_token && opts->on_token(opts->ctx, tok))) break;
    if (n_out < opts->max_tokens) rc = feed(&g, g.n_hist - 1, opts->temperature, diag);
  }
  if (!rc) *out_n = n_out;
done:
  gen_free(&g);
  return rc;
}
