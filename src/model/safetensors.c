/* safetensors.c — reading and writing the safetensors format (F32 only).
 *
 * A file is: an 8-byte little-endian header length N, N bytes of JSON
 * {"__metadata__": {str: str}, NAME: {"dtype", "shape", "data_offsets":
 * [begin, end]}, ...} padded with spaces to a multiple of 8, then the data,
 * offsets relative to its start. Readers here trust nothing: every entry is
 * checked at open (dtype, shape, offsets inside the file, sizes that agree)
 * and the requested shape again at read. Host byte order must be little-endian. */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <consentry/afile.h>

#include "model/model_int.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors.c assumes a little-endian host"
#endif

#define ST_MAX_HEADER (16u << 20)

/* ---- writing ----------------------------------------------------------- */

static size_t tensor_count(const cs__st_tensor_t *t) {
  return t->ndim == 1 ? (size_t)t->shape[0] : (size_t)t->shape[0] * (size_t)t->shape[1];
}

static int build_header(const cs__st_tensor_t *ts, size_t n, const char *meta, char **out,
                        size_t *out_len) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (!mem) return CS_ENOMEM;
  fprintf(mem, "{\"__metadata__\":%s", meta ? meta : "{}");
  size_t off = 0;
  for (size_t i = 0; i < n; i++) {
    size_t bytes = tensor_count(&ts[i]) * sizeof(float);
    fprintf(mem, ",\"%s\":{\"dtype\":\"F32\",\"shape\":[%lld", ts[i].name,
            (long long)ts[i].shape[0]);
    if (ts[i].ndim == 2) fprintf(mem, ",%lld", (long long)ts[i].shape[1]);
    fprintf(mem, "],\"data_offsets\":[%zu,%zu]}", off, off + bytes);
    off += bytes;
  }
  fputc('}', mem);
  while ((ftell(mem) % 8) != 0) fputc(' ', mem);
  if (fclose(mem) != 0) {
    free(buf);
    return CS_ENOMEM;
  }
  *out = buf;
  *out_len = len;
  return CS_OK;
}

/* Writes (rows,cols) = shape from data stored (cols,rows): column by column. */
static int write_transposed(FILE *f, const cs__st_tensor_t *t) {
  size_t rows = (size_t)t->shape[0], cols = (size_t)t->shape[1];
  float *row = malloc(cols * sizeof(float));
  if (!row) return CS_ENOMEM;
  for (size_t r = 0; r < rows; r++) {
    for (size_t c = 0; c < cols; c++) row[c] = t->data[c * rows + r];
    if (fwrite(row, sizeof(float), cols, f) != cols) break;
  }
  free(row);
  return CS_OK;
}

int cs__st_write(const char *path, const cs__st_tensor_t *ts, size_t n, const char *meta,
                 cs_diag_t *diag) {
  char *hdr = NULL;
  size_t hdr_len = 0;
  if (build_header(ts, n, meta, &hdr, &hdr_len))
    return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  cs_afile_t *af = NULL;
  int rc = cs_afile_open(path, &af, diag);
  if (rc) goto done;
  FILE *f = cs_afile_stream(af);
  unsigned char len8[8];
  for (int i = 0; i < 8; i++) len8[i] = (unsigned char)((uint64_t)hdr_len >> (8 * i));
  fwrite(len8, 1, 8, f);
  fwrite(hdr, 1, hdr_len, f);
  for (size_t i = 0; i < n && rc == CS_OK; i++) {
    if (ts[i].transpose) rc = write_transposed(f, &ts[i]);
    else fwrite(ts[i].data, sizeof(float), tensor_count(&ts[i]), f);
  }
  if (rc) {
    cs_afile_abort(af);
    rc = cs_diag_set(diag, rc, "%s: out of memory", path);
    goto done;
  }
  rc = cs_afile_commit(af, diag); /* reports any failed write above */
done:
  free(hdr);
  return rc;
}

/* ---- reading ----------------------------------------------------------- */

struct cs__st_file {
  FILE *f;
  char *path;
  json_object *hdr;
  uint64_t data_start;
  uint64_t data_size;
  size_t n_tensors;
};

void cs__st_close(cs__st_file_t *s) {
  if (!s) return;
  if (s->f) fclose(s->f);
  json_object_put(s->hdr);
  free(s->path);
  free(s);
}

static int bad(cs__st_file_t *s, const char *name, const char *what, cs_diag_t *diag) {
  return cs_diag_set(diag, CS_EINVAL, "%s: tensor %s: %s", s->path, name, what);
}

/* Checks one header entry; *out_count is its element count. */
static int check_entry(cs__st_file_t *s, const char *name, json_object *e, cs_diag_t *diag) {
  json_object *dt, *sh, *off;
  if (!json_object_is_type(e, json_type_object) || !json_object_object_get_ex(e, "dtype", &dt) ||
      !json_object_object_get_ex(e, "shape", &sh) ||
      !json_object_object_get_ex(e, "data_offsets", &off))
    return bad(s, name, "needs dtype, shape and data_offsets", diag);
  if (!json_object_is_type(dt, json_type_string) || strcmp(json_object_get_string(dt), "F32"))
    return bad(s, name, "dtype is not F32", diag);
  if (!json_object_is_type(sh, json_type_array) || json_object_array_length(sh) > 8)
    return bad(s, name, "shape is not an array of at most 8 sizes", diag);
  uint64_t count = 1;
  for (size_t i = 0; i < json_object_array_length(sh); i++) {
    json_object *d = json_object_array_get_idx(sh, i);
    int64_t v = json_object_get_int64(d);
    if (!json_object_is_type(d, json_type_int) || v < 0 || v > (int64_t)(UINT32_MAX))
      return bad(s, name, "shape holds a size that is not a small non-negative integer", diag);
    if (v != 0 && count > UINT64_MAX / 4 / (uint64_t)v)
      return bad(s, name, "shape is too large", diag);
    count *= (uint64_t)v;
  }
  if (!json_object_is_type(off, json_type_array) || json_object_array_length(off) != 2)
    return bad(s, name, "data_offsets is not [begin, end]", diag);
  json_object *b = json_object_array_get_idx(off, 0), *en = json_object_array_get_idx(off, 1);
  int64_t bv = json_object_get_int64(b), ev = json_object_get_int64(en);
  if (!json_object_is_type(b, json_type_int) || !json_object_is_type(en, json_type_int) ||
      bv < 0 || ev < bv || (uint64_t)ev > s->data_size)
    return bad(s, name, "data_offsets lie outside the file", diag);
  if ((uint64_t)(ev - bv) != count * 4)
    return bad(s, name, "data_offsets do not match shape x 4 bytes", diag);
  return CS_OK;
}

static int parse_header(cs__st_file_t *s, const char *text, size_t len, cs_diag_t *diag) {
  json_tokener *tok = json_tokener_new();
  if (!tok) return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", s->path);
  s->hdr = json_tokener_parse_ex(tok, text, (int)len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  json_tokener_free(tok);
  if (!s->hdr || jerr != json_tokener_success || !json_object_is_type(s->hdr, json_type_object))
    return cs_diag_set(diag, CS_EINVAL, "%s: the header is not a JSON object", s->path);
  json_object_object_foreach(s->hdr, key, val) {
    if (strcmp(key, "__metadata__") == 0) {
      if (!json_object_is_type(val, json_type_object))
        return cs_diag_set(diag, CS_EINVAL, "%s: __metadata__ is not an object", s->path);
      continue;
    }
    int rc = check_entry(s, key, val, diag);
    if (rc) return rc;
    s->n_tensors++;
  }
  return CS_OK;
}

static int read_header(cs__st_file_t *s, cs_diag_t *diag) {
  struct stat st;
  unsigned char len8[8];
  if (fstat(fileno(s->f), &st) != 0 || fread(len8, 1, 8, s->f) != 8)
    return cs_diag_set(diag, CS_EINVAL, "%s: too short for a safetensors file", s->path);
  uint64_t n = 0;
  for (int i = 0; i < 8; i++) n |= (uint64_t)len8[i] << (8 * i);
  if (n < 2 || n > ST_MAX_HEADER || n > (uint64_t)st.st_size - 8)
    return cs_diag_set(diag, CS_EINVAL, "%s: header length %llu is not plausible", s->path,
                       (unsigned long long)n);
  char *text = malloc((size_t)n);
  if (!text) return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", s->path);
  int rc = CS_OK;
  if (fread(text, 1, (size_t)n, s->f) != (size_t)n)
    rc = cs_diag_set(diag, CS_EIO, "%s: cannot read the header", s->path);
  s->data_start = 8 + n;
  s->data_size = (uint64_t)st.st_size - 8 - n;
  if (!rc) rc = parse_header(s, text, (size_t)n, diag);
  free(text);
  return rc;
}

int cs__st_open(const char *path, cs__st_file_t **out, cs_diag_t *diag) {
  cs__st_file_t *s = calloc(1, sizeof *s);
  if (!s || !(s->path = strdup(path))) {
    free(s);
    return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  }
  s->f = fopen(path, "rb");
  if (!s->f) {
    int e = errno;
    cs__st_close(s);
    return cs_diag_set(diag, e == ENOENT ? CS_ENOTFOUND : CS_EIO, "%s: cannot open: %s", path,
                       strerror(e));
  }
  int rc = read_header(s, diag);
  if (rc) {
    cs__st_close(s);
    return rc;
  }
  *out = s;
  return CS_OK;
}

size_t cs__st_count(const cs__st_file_t *s) { return s->n_tensors; }

const char *cs__st_meta(cs__st_file_t *s, const char *key) {
  json_object *meta, *v;
  if (!json_object_object_get_ex(s->hdr, "__metadata__", &meta) ||
      !json_object_object_get_ex(meta, key, &v) || !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

static int shape_matches(json_object *sh, const int64_t *shape, int ndim) {
  if (json_object_array_length(sh) != (size_t)ndim) return 0;
  for (int i = 0; i < ndim; i++)
    if (json_object_get_int64(json_object_array_get_idx(sh, (size_t)i)) != shape[i]) return 0;
  return 1;
}

static int read_data(cs__st_file_t *s, const char *name, uint64_t begin, float *dst, size_t count,
                     cs_diag_t *diag) {
  if (fseeko(s->f, (off_t)(s->data_start + begin), SEEK_SET) != 0 ||
      fread(dst, sizeof(float), count, s->f) != count)
    return cs_diag_set(diag, CS_EIO, "%s: tensor %s: cannot read its data", s->path, name);
  return CS_OK;
}

int cs__st_read(cs__st_file_t *s, const char *name, const int64_t *shape, int ndim,
                int transpose, float *dst, cs_diag_t *diag) {
  json_object *e, *sh, *off;
  if (!json_object_object_get_ex(s->hdr, name, &e) || strcmp(name, "__metadata__") == 0)
    return cs_diag_set(diag, CS_ENOTFOUND, "%s: tensor %s is missing", s->path, name);
  json_object_object_get_ex(e, "shape", &sh);
  json_object_object_get_ex(e, "data_offsets", &off);
  if (!shape_matches(sh, shape, ndim)) {
    if (ndim == 1)
      return cs_diag_set(diag, CS_EINVAL, "%s: tensor %s: shape %s, expected [%lld]", s->path,
                         name, json_object_to_json_string_ext(sh, JSON_C_TO_STRING_PLAIN), (long long)shape[0]);
    return cs_diag_set(diag, CS_EINVAL, "%s: tensor %s: shape %s, expected [%lld, %lld]", s->path,
                       name, json_object_to_json_string_ext(sh, JSON_C_TO_STRING_PLAIN), (long long)shape[0],
                       (long long)shape[1]);
  }
  uint64_t begin = (uint64_t)json_object_get_int64(json_object_array_get_idx(off, 0));
  size_t count = ndim == 1 ? (size_t)shape[0] : (size_t)shape[0] * (size_t)shape[1];
  if (!transpose || ndim != 2) return read_data(s, name, begin, dst, count, diag);
  float *tmp = malloc(count * sizeof(float));
  if (!tmp) return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", s->path);
  int rc = read_data(s, name, begin, tmp, count, diag);
  size_t rows = (size_t)shape[0], cols = (size_t)shape[1];
  for (size_t r = 0; !rc && r < rows; r++)
    for (size_t c = 0; c < cols; c++) dst[c * rows + r] = tmp[r * cols + c];
  free(tmp);
  return rc;
}
