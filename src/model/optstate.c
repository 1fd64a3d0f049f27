/* optstate.c — optimizer state for an exact --resume.
 *
 * One safetensors file: tensors adamw.m and adamw.v (N,) in the parameter
 * buffer's order, and metadata strings: format "consentry-optimizer",
 * n_params, step, rng (four 16-digit hex words) and data_pos. Loading reads
 * everything into fresh buffers first, so a bad file leaves the model as it
 * was. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"

int cs_model_save_optimizer(const cs_model_t *m, const cs_model_train_state_t *st,
                            const char *path, cs_diag_t *diag) {
  float *zeros = NULL;
  const float *mm = m->adam_m, *vv = m->adam_v;
  if (!mm) { /* no step yet: the moments are zero */
    zeros = calloc(m->n_params, sizeof(float));
    if (!zeros) return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
    mm = vv = zeros;
  }
  char meta[512];
  snprintf(meta, sizeof meta,
           "{\"format\":\"consentry-optimizer\",\"n_params\":\"%zu\",\"step\":\"%" PRIu64 "\","
           "\"rng\":\"%016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64 "\","
           "\"data_pos\":\"%" PRIu64 "\"}",
           m->n_params, m->step, st->rng.s[0], st->rng.s[1], st->rng.s[2], st->rng.s[3],
           st->data_pos);
  cs__st_tensor_t ts[2] = {
      {"adamw.m", mm, {(int64_t)m->n_params, 0}, 1, 0},
      {"adamw.v", vv, {(int64_t)m->n_params, 0}, 1, 0},
  };
  int rc = cs__st_write(path, ts, 2, meta, diag);
  free(zeros);
  return rc;
}

/* Parses all of s (non-empty, no sign, no spaces) as a number in base. */
static int parse_u64(const char *s, int base, uint64_t *out) {
  if (!s || !*s || *s == '-' || *s == '+' || *s == ' ') return CS_EINVAL;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, base);
  if (errno || *end) return CS_EINVAL;
  *out = v;
  return CS_OK;
}

static int parse_rng(const char *s, cs_model_rng_t *out) {
  if (!s || strlen(s) != 4 * 16 + 3) return CS_EINVAL;
  for (int i = 0; i < 4; i++) {
    char word[17];
    memcpy(word, s + i * 17, 16);
    word[16] = '\0';
    if ((i < 3 && s[i * 17 + 16] != ' ') || parse_u64(word, 16, &out->s[i])) return CS_EINVAL;
  }
  return CS_OK;
}

static int read_meta(cs__st_file_t *f, const cs_model_t *m, const char *path, uint64_t *step,
                     cs_model_train_state_t *st, cs_diag_t *diag) {
  const char *fmt = cs__st_meta(f, "format");
  uint64_t n;
  if (!fmt || strcmp(fmt, "consentry-optimizer") != 0)
    return cs_diag_set(diag, CS_EINVAL, "%s: not a consentry optimizer state", path);
  if (parse_u64(cs__st_meta(f, "n_params"), 10, &n) || n != m->n_params)
    return cs_diag_set(diag, CS_EINVAL, "%s: n_params does not match the model (%zu)", path,
                       m->n_params);
  if (parse_u64(cs__st_meta(f, "step"), 10, step))
    return cs_diag_set(diag, CS_EINVAL, "%s: step is not a number", path);
  if (parse_rng(cs__st_meta(f, "rng"), &st->rng))
    return cs_diag_set(diag, CS_EINVAL, "%s: rng is not four 16-digit hex words", path);
  if (parse_u64(cs__st_meta(f, "data_pos"), 10, &st->data_pos))
    return cs_diag_set(diag, CS_EINVAL, "%s: data_pos is not a number", path);
  return CS_OK;
}

int cs_model_load_optimizer(cs_model_t *m, const char *path, cs_model_train_state_t *out,
                            cs_diag_t *diag) {
  cs__st_file_t *f = NULL;
  int rc = cs__st_open(path, &f, diag);
  if (rc) return rc;
  cs_model_train_state_t st;
  uint64_t step = 0;
  int64_t shape[1] = {(int64_t)m->n_params};
  float *mm = malloc(m->n_params * sizeof(float)), *vv = malloc(m->n_params * sizeof(float));
  if (!mm || !vv) rc = cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  if (!rc) rc = read_meta(f, m, path, &step, &st, diag);
  if (!rc) rc = cs__st_read(f, "adamw.m", shape, 1, 0, mm, diag);
  if (!rc) rc = cs__st_read(f, "adamw.v", shape, 1, 0, vv, diag);
  if (!rc && cs__st_count(f) != 2)
    rc = cs_diag_set(diag, CS_EINVAL, "%s: unknown extra tensors", path);
  cs__st_close(f);
  if (rc) {
    free(mm);
    free(vv);
    return rc;
  }
  free(m->adam_m);
  free(m->adam_v);
  m->adam_m = mm;
  m->adam_v = vv;
  m->step = step;
  *out = st;
  return CS_OK;
}
