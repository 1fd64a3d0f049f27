/* dataset_info.c — the facts a training run reads from a dataset's manifest.
 *
 * The dataset id is recomputed as the SHA-256 of manifest.json's bytes (the
 * definition dataset.h gives), so a run names exactly the dataset it read.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <consentry/merkle.h>

#include "train/train_int.h"

static int read_file(const char *path, char **out, size_t *len, cs_diag_t *diag) {
  FILE *f = fopen(path, "rb");
  if (!f) return cs_diag_set(diag, CS_ENOTFOUND, "%s: not a dataset (no manifest.json)", path);
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  int rc = CS_OK;
  do {
    if (n == cap) {
      char *nb = cap > (1u << 28) ? NULL : realloc(buf, cap = cap ? cap * 2 : 1 << 16);
      if (!nb) { rc = cs_diag_set(diag, CS_ENOMEM, "%s: too large", path); break; }
      buf = nb;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  if (rc == CS_OK && ferror(f)) rc = cs_diag_set(diag, CS_EIO, "%s: read failed", path);
  fclose(f);
  if (rc < 0) free(buf);
  else *out = buf, *len = n;
  return rc;
}

static bool copy_str(json_object *o, const char *key, char *dst, size_t cap) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
    return false;
  const char *s = json_object_get_string(v);
  if (strlen(s) >= cap) return false;
  memcpy(dst, s, strlen(s) + 1);
  return true;
}

static int64_t get_int(json_object *o, const char *key) {
  json_object *v;
  return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int)
             ? json_object_get_int64(v)
             : -1;
}

static int read_shards(json_object *m, cs__dataset_info_t *out) {
  json_object *shards;
  if (!json_object_object_get_ex(m, "shards", &shards) || !json_object_is_type(shards, json_type_array))
    return CS_EINVAL;
  for (size_t i = 0; i < json_object_array_length(shards); i++) {
    json_object *sh = json_object_array_get_idx(shards, i);
    char split[8], file[64], index[64];
    int64_t tokens = get_int(sh, "tokens");
    if (!copy_str(sh, "split", split, sizeof split) || !copy_str(sh, "file", file, sizeof file) ||
        !copy_str(sh, "index", index, sizeof index) || tokens < 0 || strchr(file, '/') ||
        strchr(index, '/'))
      return CS_EINVAL;
    if (strcmp(split, "val") == 0) {
      memcpy(out->val_file, file, sizeof file);
    } else {
      if (out->n_train == CS_TRAIN_MAX_SHARDS) return CS_EINVAL;
      memcpy(out->shard_file[out->n_train], file, sizeof file);
      memcpy(out->shard_index[out->n_train], index, sizeof index);
      out->shard_tokens[out->n_train++] = (uint64_t)tokens;
    }
  }
  return out->n_train ? CS_OK : CS_EINVAL;
}

static int parse(const char *path, const char *text, size_t len, cs__dataset_info_t *out,
                 cs_diag_t *diag) {
  json_tokener *jt = json_tokener_new();
  json_object *m = jt ? json_tokener_parse_ex(jt, text, (int)len) : NULL;
  json_tokener_free(jt);
  char format[64] = "";
  int64_t vocab = m ? get_int(m, "vocab") : -1;
  bool ok = m && copy_str(m, "format", format, sizeof format) &&
            strcmp(format, "consentry-dataset/1") == 0 &&
            copy_str(m, "purpose", out->purpose, sizeof out->purpose) &&
            copy_str(m, "policy_version", out->policy_version, sizeof out->policy_version) &&
            copy_str(m, "as_of", out->as_of, sizeof out->as_of) && vocab > 0 &&
            vocab <= CS_TOK_MAX_VOCAB && read_shards(m, out) == CS_OK;
  out->vocab = (size_t)vocab;
  json_object_put(m);
  return ok ? CS_OK : cs_diag_set(diag, CS_EINVAL, "%s: not a consentry dataset manifest", path);
}

int cs__dataset_info(const char *dir, cs__dataset_info_t *out, cs_diag_t *diag) {
  char path[CS__PATH];
  if (snprintf(path, sizeof path, "%s/manifest.json", dir) >= (int)sizeof path)
    return cs_diag_set(diag, CS_EINVAL, "%s: path too long", dir);
  char *text = NULL;
  size_t len = 0;
  int rc = read_file(path, &text, &len, diag);
  if (rc < 0) return rc;
  cs__dataset_info_t info;
  memset(&info, 0, sizeof info);
  rc = len > (size_t)INT32_MAX ? cs_diag_set(diag, CS_EINVAL, "%s: too large", path)
                               : parse(path, text, len, &info, diag);
  if (rc == CS_OK) {
    uint8_t h[CS_SHA256_LEN];
    cs_sha256(text, len, h);
    cs_hex(h, sizeof h, info.id);
    *out = info;
  }
  free(text);
  return rc;
}
