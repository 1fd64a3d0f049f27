/* model_int.h — the model's private layout and its layer kernels.
 *
 * Layers follow llm.c: plain functions over float arrays, shapes in comments,
 * each backward beside its forward in one file per layer. Backward kernels
 * ACCUMULATE (+=) into their gradient outputs. Kernels that have a fast path
 * (BLAS) keep the simple reference beside it (*_ref) for the tests.
 *
 * Parallel loops never reduce across threads in schedule-dependent order, so
 * a run is reproducible bit for bit for a given thread count.
 */
#ifndef CS_MODEL_INT_H
#define CS_MODEL_INT_H

#include <math.h>
#include <omp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <consentry/model.h>

/* Loops go parallel only above this much work (elements or multiply-adds):
 * below it a parallel region costs more than it saves, and on a loaded
 * machine a barrier waiting for a descheduled thread costs a time slice.
 * Inside a parallel region (the model's batch split, gpt.c) they stay on
 * the calling thread. */
#define CS__PAR_MIN 32768
#define CS__PAR(work) ((work) >= CS__PAR_MIN && !omp_in_parallel())
/* Forward multiply-adds above which gpt.c splits the batch between threads
 * (the `tiny` preset at batch 8 stays below, `small` is 100x above). */
#define CS__SPLIT_MIN 2e7

/* Serial hot loops (the GELU rows) get AVX2 and AVX-512
 * clones picked at load time: the build targets baseline x86-64, whose
 * 4-wide SSE made GELU a tenth of a training step. The operations are the
 * same elementwise IEEE ones in the same order (no contraction into FMA
 * under -std=c17), so every clone gives the same bits. */
#if defined(__GNUC__) && defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define CS__WIDE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#endif
#ifndef CS__WIDE_CLONES
#define CS__WIDE_CLONES
#endif

/* exp(x) within 2 ulp for |x| <= 87, inputs beyond clamped to +-87 (so the
 * result is finite and normal; NaN stays NaN only through the caller's own
 * arithmetic): x = n ln2 + r, |r| <= ln2/2, a degree-6 polynomial for exp(r),
 * 2^n put into the exponent bits. Plain arithmetic that vectorises. The clamp
 * is written with fabsf/copysignf on purpose: GCC turned the two-sided
 * `x < lo ? lo : x` form into per-case masked divisions in the GELU loop,
 * four times slower than this blend. */
static inline float cs__exp_fast(float x) {
  x = fabsf(x) < 87.0f ? x : copysignf(87.0f, x);
  /* round to nearest by the 1.5·2^23 trick: plain SSE2, so it vectorises */
  float n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
  float r = x - n * 0.693359375f + n * 2.12194440e-4f; /* ln2 in two parts */
  float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.166666672f + r * (4.16666418e-2f +
                        r * (8.33336823e-3f + r * 1.38889826e-3f)))));
  int32_t bits = ((int32_t)n + 127) << 23;
  float scale;
  memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

/* ---- parameters -------------------------------------------------------- */

enum {
  CS__P_WTE, CS__P_WPE, CS__P_LN1W, CS__P_LN1B, CS__P_QKVW, CS__P_QKVB,
  CS__P_ATTPROJW, CS__P_ATTPROJB, CS__P_LN2W, CS__P_LN2B, CS__P_FCW, CS__P_FCB,
  CS__P_FCPROJW, CS__P_FCPROJB, CS__P_LNFW, CS__P_LNFB, CS__N_PARAM_TENSORS
};

typedef struct {
  float *t[CS__N_PARAM_TENSORS]; /* views into one buffer */
} cs__params_t;

/* Element counts of the 16 tensors, in order; returns the total. */
size_t cs__param_sizes(const cs_model_config_t *c, size_t sizes[CS__N_PARAM_TENSORS]);
/* Points the views into buf (which holds the total). */
void cs__param_views(const cs_model_config_t *c, float *buf, cs__params_t *out);
/* 1 for tensors that get weight decay (2-D weights), else 0. */
int cs__param_decays(int tensor);

/* ---- activations ------------------------------------------------------- */

enum {
  CS__A_ENCODED,  /* (B,T,C) */
  CS__A_LN1,      /* (L,B,T,C) */
  CS__A_LN1_MEAN, /* (L,B,T) */
  CS__A_LN1_RSTD, /* (L,B,T) */
  CS__A_QKV,      /* (L,B,T,3C) */
  CS__A_ATTY,     /* (L,B,T,C) */
  CS__A_ATT,      /* (L,B,NH,T,T) softmax probabilities, before dropout */
  CS__A_ATTPROJ,  /* (L,B,T,C) after dropout */
  CS__A_RESIDUAL2, /* (L,B,T,C) */
  CS__A_LN2,      /* (L,B,T,C) */
  CS__A_LN2_MEAN, /* (L,B,T) */
  CS__A_LN2_RSTD, /* (L,B,T) */
  CS__A_FCH,      /* (L,B,T,4C) */
  CS__A_FCH_GELU, /* (L,B,T,4C) */
  CS__A_FCPROJ,   /* (L,B,T,C) after dropout */
  CS__A_RESIDUAL3, /* (L,B,T,C) */
  CS__A_LNF,      /* (B,T,C) */
  CS__A_LNF_MEAN, /* (B,T) */
  CS__A_LNF_RSTD, /* (B,T) */
  CS__A_LOGITS,   /* (B,T,V) */
  CS__A_PROBS,    /* (B,T,V) */
  CS__A_LOSSES,   /* (B,T) */
  CS__N_ACT_TENSORS
};

typedef struct {
  float *t[CS__N_ACT_TENSORS];
} cs__acts_t;

/* Element counts for (B,T); CS_ERANGE on overflow, else the total. */
int cs__act_sizes(const cs_model_config_t *c, int B, int T, size_t sizes[CS__N_ACT_TENSORS],
                  size_t *out_total);
void cs__act_views(const size_t sizes[CS__N_ACT_TENSORS], float *buf, cs__acts_t *out);

struct cs_model {
  cs_model_config_t cfg;
  size_t n_params;
  size_t param_sizes[CS__N_PARAM_TENSORS];
  float *params_buf;
  float *grads_buf;
  cs__params_t params;
  cs__params_t grads;
  /* AdamW state, allocated on the first step. */
  float *adam_m;
  float *adam_v;
  uint64_t step;
  /* Activations of the last forward and their gradients. */
  float *acts_buf;
  float *dacts_buf; /* allocated on the first backward */
  size_t acts_cap;  /* floats allocated in each */
  size_t dacts_cap;
  size_t act_sizes[CS__N_ACT_TENSORS];
  cs__acts_t acts;
  cs__acts_t dacts;
  int32_t *inputs;  /* (B,T) copies of the last forward's tokens */
  int32_t *targets; /* (B,T) */
  size_t tokens_cap;
  int B, T;
  int have_targets;
  double split_min;  /* multiply-adds per pass below which the batch is not
                      * split (gpt.c); CS__SPLIT_MIN, tests change it */
  float *tgrads_buf; /* (threads-1) x n_params: gradients of the batch split */
  size_t tgrads_cap;
  float *att_scratch; /* cs__att_scratch_floats per thread (attention_blas.c) */
  size_t att_scratch_cap;
  float drop_p;      /* dropout used by the last forward (0: none) */
  uint64_t drop_seed;
};

/* ---- dropout ----------------------------------------------------------- */

/* Masks are a pure function of (seed, site, index), so backward recomputes
 * them instead of storing them, and threads need no shared RNG. */
typedef struct {
  float p;       /* 0: identity */
  uint64_t seed;
  uint64_t site; /* which dropout in the network */
  uint64_t offset; /* index of element 0 in the whole batch's tensor (a
                    * thread's share of the batch starts there), else 0 */
} cs__drop_t;

/* Scale for element i (offset + i of the whole tensor): 0 when dropped,
 * else 1/(1-p). */
float cs__drop_scale(const cs__drop_t *d, size_t i);
/* out (N) = inp (N) * mask; out may equal inp. */
void cs__dropout_forward(float *out, const float *inp, size_t N, const cs__drop_t *d);
/* dinp (N) += dout * mask; dinp may equal dout when it held no gradient. */
void cs__dropout_backward(float *dinp, const float *dout, size_t N, const cs__drop_t *d);
/* Site numbers: one per dropout in the network. */
#define CS__SITE_EMBED 0u
#define CS__SITE_ATT(l) (1u + 3u * (uint64_t)(l))
#define CS__SITE_ATTPROJ(l) (2u + 3u * (uint64_t)(l))
#define CS__SITE_FCPROJ(l) (3u + 3u * (uint64_t)(l))

/* ---- layers, in forward order ------------------------------------------ */

/* out (B,T,C) = wte[inp[b,t]] + wpe[t]; inp (B,T). */
void cs__encoder_forward(float *out, const int32_t *inp, const float *wte, const float *wpe,
                         int B, int T, int C);
void cs__encoder_backward(float *dwte, float *dwpe, const float *dout, const int32_t *inp,
                          int B, int T, int C);

/* out (N,C) = (inp - mean) * rstd * weight + bias, eps 1e-5; mean, rstd (N). */
void cs__layernorm_forward(float *out, float *mean, float *rstd, const float *inp,
                           const float *weight, const float *bias, int N, int C);
void cs__layernorm_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                            const float *inp, const float *weight, const float *mean,
                            const float *rstd, int N, int C);
/* The same with dinp (N,C) = dbase + the input gradient, written: dbase may
 * be dinp (then it is cs__layernorm_backward) or NULL (zero). The residual
 * stream's gradient passes through this way without a copy (gpt.c). */
void cs__layernorm_backward_to(float *dinp, const float *dbase, float *dweight, float *dbias,
                               const float *dout, const float *inp, const float *weight,
                               const float *mean, const float *rstd, int N, int C);

/* out (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias (OC, or NULL). */
void cs__matmul_forward(float *out, const float *inp, const float *weight, const float *bias,
                        int N, int C, int OC);
void cs__matmul_forward_ref(float *out, const float *inp, const float *weight,
                            const float *bias, int N, int C, int OC);
/* dinp (N,C), dweight (OC,C), dbias (OC, or NULL) += from dout (N,OC). */
void cs__matmul_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                         const float *inp, const float *weight, int N, int C, int OC);
/* dbias (OC) += column sums of dout (N,OC), in row order per column. */
void cs__bias_backward(float *dbias, const float *dout, int N, int OC);
void cs__matmul_backward_ref(float *dinp, float *dweight, float *dbias, const float *dout,
                             const float *inp, const float *weight, int N, int C, int OC);

/* Causal self-attention. inp (B,T,3C) holds q,k,v; out (B,T,C);
 * att (B,NH,T,T) the softmax rows (before dropout; zero above the diagonal).
 * scratch: cs__att_scratch_floats(T,C,NH) floats per OpenMP thread
 * (omp_get_max_threads(); a caller inside a parallel region passes its
 * thread's own): dropout's masked rows and contiguous copies of a head's
 * operands. May be NULL without dropout (operands are then read in place,
 * slower). */
size_t cs__att_scratch_floats(int T, int C, int NH);
void cs__attention_forward(float *out, float *att, float *scratch, const float *inp, int B,
                           int T, int C, int NH, const cs__drop_t *drop);
void cs__attention_forward_ref(float *out, float *att, const float *inp, int B, int T, int C,
                               int NH, const cs__drop_t *drop);
/* dinp (B,T,3C) += ...; datt (B,NH,T,T) is scratch, and so is scratch (as
 * in the forward; may be NULL). O(T²) per (b,h). */
void cs__attention_backward(float *dinp, float *datt, float *scratch, const float *dout,
                            const float *inp, const float *att, int B, int T, int C, int NH,
                            const cs__drop_t *drop);
void cs__attention_backward_ref(float *dinp, float *datt, const float *dout, const float *inp,
                                const float *att, int B, int T, int C, int NH,
                                const cs__drop_t *drop);
/* One query against n cached positions: q (C), k, v (n,C) → out (C);
 * scratch holds n floats per head (NH*n). */
void cs__attention_step(float *out, float *scratch, const float *q, const float *k,
                        const float *v, int n, int C, int NH);

/* GELU, tanh approximation (GPT-2's gelu_new). */
void cs__gelu_forward(float *out, const float *inp, size_t N);
void cs__gelu_backward(float *dinp, const float *inp, const float *dout, size_t N);
void cs__gelu_forward_ref(float *out, const float *inp, size_t N);
void cs__gelu_backward_ref(float *dinp, const float *inp, const float *dout, size_t N);
/* Serial, for use inside a parallel region: pre (n,OC) += bias (OC), then
 * out (n,OC) = gelu(pre). */
/* Serial, for use inside a parallel region: dinp (N) = gelu'(inp) dout. */
void cs__gelu_backward_rows(float *dinp, const float *inp, const float *dout, size_t N);
void cs__bias_gelu_rows(float *pre, float *out, const float *bias, int n, int OC);

/* The MLP's first linear layer and its GELU in one pass over row blocks:
 * pre (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias (OC); out (N,OC) = gelu(pre).
 * The same values as cs__matmul_forward then cs__gelu_forward, but each
 * block of rows goes through bias, product and GELU while it is in cache,
 * in one parallel region. */
void cs__matmul_gelu_forward(float *pre, float *out, const float *inp, const float *weight,
                             const float *bias, int N, int C, int OC);
/* Backward of the whole MLP, proj(gelu(fc(inp))), given dproj (N,C), the
 * gradient of proj's output: the same values as cs__matmul_backward (proj),
 * cs__gelu_backward, cs__matmul_backward (fc), except that dact (N,OC) and
 * dpre (N,OC) are WRITTEN (they need no zeroing), while dinp (N,C) and the
 * parameter gradients accumulate. w_fc (OC,C), w_proj (C,OC); pre and act
 * are the forward's fc output and its GELU. */
void cs__mlp_backward(float *dinp, float *dw_fc, float *db_fc, float *dw_proj, float *db_proj,
                      float *dpre, float *dact, const float *dproj, const float *inp,
                      const float *pre, const float *act, const float *w_fc,
                      const float *w_proj, int N, int C, int OC);

/* out = a + b; da += dout, db += dout. */
void cs__residual_forward(float *out, const float *a, const float *b, size_t N);
void cs__residual_backward(float *da, float *db, const float *dout, size_t N);

/* probs (N,V) = softmax(logits); losses (N) = -log probs[target]. */
void cs__crossentropy_forward(float *probs, float *losses, const float *logits,
                              const int32_t *targets, int N, int V);
/* dlogits (N,V) += (probs - onehot(target)) * dlosses[n]. */
void cs__crossentropy_backward(float *dlogits, const float *dlosses, const float *probs,
                               const int32_t *targets, int N, int V);

/* ---- helpers ----------------------------------------------------------- */

/* a*b into *out; 0, or CS_ERANGE on overflow. */
int cs__mul_size(size_t a, size_t b, size_t *out);
/* Standard normal from two uniforms (Box–Muller). */
float cs__rng_normal(cs_model_rng_t *rng);

/* safetensors I/O shared by checkpoint.c (model) and optimizer state. */
typedef struct {
  const char *name;
  const float *data; /* written in order; (rows,cols) or (n) */
  int64_t shape[2];
  int ndim;
  int transpose; /* 1: data is (shape[1],shape[0]) and is written transposed */
} cs__st_tensor_t;

CS_MUST_USE int cs__st_write(const char *path, const cs__st_tensor_t *ts, size_t n,
                             const char *metadata_json, cs_diag_t *diag);

typedef struct cs__st_file cs__st_file_t;
CS_MUST_USE int cs__st_open(const char *path, cs__st_file_t **out, cs_diag_t *diag);
void cs__st_close(cs__st_file_t *f);
/* Reads tensor name, which must be F32 of exactly this shape, into dst (as
 * (shape[1],shape[0]) when transpose). CS_ENOTFOUND when absent. */
CS_MUST_USE int cs__st_read(cs__st_file_t *f, const char *name, const int64_t *shape, int ndim,
                            int transpose, float *dst, cs_diag_t *diag);
/* Metadata string value, or NULL. Valid until close. */
const char *cs__st_meta(cs__st_file_t *f, const char *key);
/* Number of tensors in the file. */
size_t cs__st_count(const cs__st_file_t *f);

/* Writes buf (params or grads layout of m) under GPT2LMHeadModel's names, as
 * cs_model_save does for the parameters; the tests use it for gradients. */
CS_MUST_USE int cs__model_write_tensors(const cs_model_t *m, const float *buf, const char *path,
                                        cs_diag_t *diag);

#endif
