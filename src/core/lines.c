/* lines.c — block-buffered line reader over plain or zstd-compressed files. */
#include "core/lines.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

struct cs_lines {
  int fd;
  int own_fd;
  char *path;
  char *buf;            /* holds [start, end) of unread data */
  size_t cap, start, end;
  size_t scan;          /* bytes from start already known to hold no '\n' */
  int eof;
  size_t line_no;
  unsigned long long bytes;
  ZSTD_DStream *zs;     /* non-NULL for .zst input */
  char *zbuf;           /* compressed input block */
  size_t zcap, zpos, zlen;
};

#define CS_LINES_BLOCK ((size_t)1 << 20)

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int cs_lines_open(const char *path, cs_lines_t **out, cs_diag_t *diag) {
  cs_lines_t *r = calloc(1, sizeof *r);
  if (!r) return CS_ENOMEM;
  r->path = strdup(path);
  r->cap = CS_LINES_BLOCK;
  r->buf = malloc(r->cap);
  if (!r->path || !r->buf) goto nomem;
  if (strcmp(path, "-") == 0) {
    r->fd = STDIN_FILENO;
  } else {
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
      int e = errno;
      cs_lines_close(r);
      return cs_diag_set(diag, e == ENOENT ? CS_ENOTFOUND : CS_EIO, "%s: cannot open: %s", path,
                         strerror(e));
    }
    r->own_fd = 1;
    if (ends_with(path, ".zst")) {
      r->zs = ZSTD_createDStream();
      r->zcap = ZSTD_DStreamInSize();
      r->zbuf = malloc(r->zcap);
      if (!r->zs || !r->zbuf) goto nomem;
      ZSTD_initDStream(r->zs);
    }
  }
  *out = r;
  return CS_OK;
nomem:
  cs_lines_close(r);
  return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
}

static ssize_t read_raw(cs_lines_t *r, char *dst, size_t n) {
  for (;;) {
    ssize_t got = read(r->fd, dst, n);
    if (got >= 0 || errno != EINTR) return got;
  }
}

/* Fills dst with up to n decompressed bytes; 0 at end of stream. */
static ssize_t read_zstd(cs_lines_t *r, char *dst, size_t n, cs_diag_t *diag) {
  ZSTD_outBuffer ob = {dst, n, 0};
  while (ob.pos == 0) {
    if (r->zpos == r->zlen) {
      ssize_t got = read_raw(r, r->zbuf, r->zcap);
      if (got < 0) return -1;
      if (got == 0) return 0;
      r->zpos = 0;
      r->zlen = (size_t)got;
    }
    ZSTD_inBuffer ib = {r->zbuf, r->zlen, r->zpos};
    size_t rc = ZSTD_decompressStream(r->zs, &ob, &ib);
    r->zpos = ib.pos;
    if (ZSTD_isError(rc)) {
      cs_diag_set(diag, CS_EIO, "%s: corrupt zstd data: %s", r->path, ZSTD_getErrorName(rc));
      errno = EILSEQ;
      return -2;
    }
  }
  return (ssize_t)ob.pos;
}

/* Makes room and reads one more block. */
static int fill(cs_lines_t *r, cs_diag_t *diag) {
  if (r->start > 0) {
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->end -= r->start;
    r->start = 0;
  }
  if (r->cap - r->end < CS_LINES_BLOCK / 2) {
    if (r->cap >= CS_LINES_MAX + CS_LINES_BLOCK)
      return cs_diag_set(diag, CS_EINVAL, "%s:%zu: line longer than %zu bytes", r->path,
                         r->line_no + 1, CS_LINES_MAX);
    char *nb = realloc(r->buf, r->cap * 2);
    if (!nb) return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", r->path);
    r->buf = nb;
    r->cap *= 2;
  }
  ssize_t got = r->zs ? read_zstd(r, r->buf + r->end, r->cap - r->end, diag)
                      : read_raw(r, r->buf + r->end, r->cap - r->end);
  if (got == -2) return CS_EIO;
  if (got < 0) return cs_diag_set(diag, CS_EIO, "%s: read failed: %s", r->path, strerror(errno));
  if (got == 0) r->eof = 1;
  r->end += (size_t)got;
  return CS_OK;
}

/* Takes the next line if it is already buffered (no read): 1 taken, 0 not,
 * <0 error. */
static int take_buffered(cs_lines_t *r, const char **line, size_t *len, cs_diag_t *diag) {
  char *base = r->buf + r->start;
  size_t avail = r->end - r->start;
  char *nl = memchr(base + r->scan, '\n', avail - r->scan);
  if (!nl && !(r->eof && avail > 0)) {
    r->scan = avail;
    return 0;
  }
  size_t n = nl ? (size_t)(nl - base) : avail;
  if (n > CS_LINES_MAX)
    return cs_diag_set(diag, CS_EINVAL, "%s:%zu: line longer than %zu bytes", r->path,
                       r->line_no + 1, CS_LINES_MAX);
  *line = base;
  *len = n;
  size_t used = n + (nl ? 1 : 0);
  r->start += used;
  r->bytes += used;
  r->scan = 0;
  r->line_no++;
  return 1;
}

int cs_lines_next(cs_lines_t *r, const char **line, size_t *len, cs_diag_t *diag) {
  for (;;) {
    int rc = take_buffered(r, line, len, diag);
    if (rc != 0) return rc;
    if (r->eof) return 0;
    if ((rc = fill(r, diag)) < 0) return rc;
  }
}

int cs_lines_next_batch(cs_lines_t *r, cs_line_t *out, size_t max, size_t *n, cs_diag_t *diag) {
  *n = 0;
  if (max == 0) return 1;
  int rc = cs_lines_next(r, &out[0].p, &out[0].len, diag);
  if (rc <= 0) return rc;
  out[0].number = r->line_no;
  out[0].end = r->bytes;
  for (*n = 1; *n < max; ++*n) {
    rc = take_buffered(r, &out[*n].p, &out[*n].len, diag);
    if (rc < 0) return rc;
    if (rc == 0) break;
    out[*n].number = r->line_no;
    out[*n].end = r->bytes;
  }
  return 1;
}

int cs_lines_next_chunk(cs_lines_t *r, size_t max_bytes, const char **p, size_t *len,
                        size_t *first_line, cs_diag_t *diag) {
  const char *line;
  size_t n;
  int rc = cs_lines_next(r, &line, &n, diag);
  if (rc <= 0) return rc;
  *p = line;
  *first_line = r->line_no;
  const char *end = line + n;
  while ((size_t)(end - *p) < max_bytes) {
    rc = take_buffered(r, &line, &n, diag);
    if (rc < 0) return rc;
    if (rc == 0) break;
    end = line + n; /* buffered lines are contiguous, each after its newline */
  }
  *len = (size_t)(end - *p);
  return 1;
}

size_t cs_lines_number(const cs_lines_t *r) { return r->line_no; }
const char *cs_lines_path(const cs_lines_t *r) { return r->path; }
unsigned long long cs_lines_bytes(const cs_lines_t *r) { return r->bytes; }

void cs_lines_close(cs_lines_t *r) {
  if (!r) return;
  if (r->own_fd) close(r->fd);
  if (r->zs) ZSTD_freeDStream(r->zs);
  free(r->zbuf);
  free(r->buf);
  free(r->path);
  free(r);
}
