/* shard.c — llm.c token shards: streaming writer, validating reader. */
#include <consentry/shard.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <consentry/afile.h>

#define IO_TOKENS 8192 /* tokens converted per fwrite/fread */

struct cs_shard_writer {
  cs_afile_t *af;
  char *path;
  uint64_t count;
};

struct cs_shard_reader {
  FILE *f;
  char *path;
  uint64_t count, done;
};

static void put_le32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void header(unsigned char h[CS_SHARD_HEADER_BYTES], uint32_t count) {
  memset(h, 0, CS_SHARD_HEADER_BYTES);
  put_le32(h, CS_SHARD_MAGIC);
  put_le32(h + 4, CS_SHARD_VERSION);
  put_le32(h + 8, count);
}

int cs_shard_writer_open(const char *path, cs_shard_writer_t **out, cs_diag_t *diag) {
  cs_shard_writer_t *w = calloc(1, sizeof *w);
  if (!w || !(w->path = strdup(path))) {
    free(w);
    return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  }
  int rc = cs_afile_open(path, &w->af, diag);
  unsigned char h[CS_SHARD_HEADER_BYTES];
  header(h, 0); /* a placeholder, patched on commit */
  if (rc == CS_OK && fwrite(h, 1, sizeof h, cs_afile_stream(w->af)) != sizeof h)
    rc = cs_diag_set(diag, CS_EIO, "%s: write failed", path);
  if (rc < 0) {
    cs_shard_writer_abort(w);
    return rc;
  }
  *out = w;
  return CS_OK;
}

int cs_shard_writer_write(cs_shard_writer_t *w, const uint16_t *tokens, size_t n,
                          cs_diag_t *diag) {
  if (n > CS_SHARD_MAX_TOKENS - w->count)
    return cs_diag_set(diag, CS_ERANGE, "%s: a shard holds at most %lld tokens", w->path,
                       (long long)CS_SHARD_MAX_TOKENS);
  unsigned char buf[2 * IO_TOKENS];
  FILE *f = cs_afile_stream(w->af);
  for (size_t i = 0; i < n;) {
    size_t k = n - i < IO_TOKENS ? n - i : IO_TOKENS;
    for (size_t j = 0; j < k; j++) {
      buf[2 * j] = (unsigned char)(tokens[i + j] & 0xFF);
      buf[2 * j + 1] = (unsigned char)(tokens[i + j] >> 8);
    }
    if (fwrite(buf, 2, k, f) != k) return cs_diag_set(diag, CS_EIO, "%s: write failed", w->path);
    i += k;
    w->count += k;
  }
  return CS_OK;
}

uint64_t cs_shard_writer_count(const cs_shard_writer_t *w) { return w->count; }

int cs_shard_writer_commit(cs_shard_writer_t *w, cs_diag_t *diag) {
  unsigned char h[CS_SHARD_HEADER_BYTES];
  header(h, (uint32_t)w->count);
  FILE *f = cs_afile_stream(w->af);
  int rc = CS_OK;
  if (fseek(f, 0, SEEK_SET) != 0 || fwrite(h, 1, sizeof h, f) != sizeof h)
    rc = cs_diag_set(diag, CS_EIO, "%s: writing the header failed: %s", w->path,
                     strerror(errno));
  if (rc == CS_OK) {
    rc = cs_afile_commit(w->af, diag);
    w->af = NULL;
  }
  cs_shard_writer_abort(w);
  return rc;
}

void cs_shard_writer_abort(cs_shard_writer_t *w) {
  if (!w) return;
  cs_afile_abort(w->af);
  free(w->path);
  free(w);
}

static int check_header(const char *path, const unsigned char *h, uint64_t size,
                        uint64_t *count, cs_diag_t *diag) {
  uint32_t magic = get_le32(h), version = get_le32(h + 4), n = get_le32(h + 8);
  if (magic != CS_SHARD_MAGIC)
    return cs_diag_set(diag, CS_EINVAL, "%s: not a token shard (magic %u, expected %u)", path,
                       magic, (unsigned)CS_SHARD_MAGIC);
  if (version != CS_SHARD_VERSION)
    return cs_diag_set(diag, CS_EINVAL, "%s: shard version %u is not supported (expected %u)",
                       path, version, (unsigned)CS_SHARD_VERSION);
  if (n > INT32_MAX)
    return cs_diag_set(diag, CS_EINVAL, "%s: negative token count in the header", path);
  uint64_t want = CS_SHARD_HEADER_BYTES + 2 * (uint64_t)n;
  if (size != want)
    return cs_diag_set(diag, CS_EINVAL,
                       "%s: header says %u tokens (%llu bytes) but the file has %llu bytes", path,
                       n, (unsigned long long)want, (unsigned long long)size);
  *count = n;
  return CS_OK;
}

int cs_shard_reader_open(const char *path, cs_shard_reader_t **out, cs_diag_t *diag) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return cs_diag_set(diag, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "%s: cannot open: %s", path,
                       strerror(errno));
  struct stat st;
  unsigned char h[CS_SHARD_HEADER_BYTES];
  uint64_t count = 0;
  int rc = CS_OK;
  if (fstat(fileno(f), &st) != 0)
    rc = cs_diag_set(diag, CS_EIO, "%s: cannot stat: %s", path, strerror(errno));
  else if (fread(h, 1, sizeof h, f) != sizeof h)
    rc = cs_diag_set(diag, CS_EINVAL, "%s: shorter than the %d-byte shard header", path,
                     CS_SHARD_HEADER_BYTES);
  else
    rc = check_header(path, h, (uint64_t)st.st_size, &count, diag);
  cs_shard_reader_t *r = rc == CS_OK ? calloc(1, sizeof *r) : NULL;
  if (rc == CS_OK && (!r || !(r->path = strdup(path)))) rc = CS_ENOMEM;
  if (rc < 0) {
    if (r) free(r);
    fclose(f);
    return rc;
  }
  r->f = f;
  r->count = count;
  *out = r;
  return CS_OK;
}

uint64_t cs_shard_reader_count(const cs_shard_reader_t *r) { return r->count; }

int cs_shard_reader_read(cs_shard_reader_t *r, uint16_t *buf, size_t cap, size_t *n_read,
                         cs_diag_t *diag) {
  unsigned char raw[2 * IO_TOKENS];
  uint64_t left = r->count - r->done;
  size_t n = cap < left ? cap : (size_t)left, got = 0;
  while (got < n) {
    size_t k = n - got < IO_TOKENS ? n - got : IO_TOKENS;
    if (fread(raw, 2, k, r->f) != k)
      return cs_diag_set(diag, CS_EIO, "%s: read failed (file changed while reading?)", r->path);
    for (size_t j = 0; j < k; j++)
      buf[got + j] = (uint16_t)(raw[2 * j] | raw[2 * j + 1] << 8);
    got += k;
  }
  r->done += got;
  *n_read = got;
  return CS_OK;
}

void cs_shard_reader_close(cs_shard_reader_t *r) {
  if (!r) return;
  if (r->f) fclose(r->f);
  free(r->path);
  free(r);
}
