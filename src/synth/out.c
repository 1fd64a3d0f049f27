/* out.c — block-buffered output files and allocation-free appenders.
 *
 * A line is written by reserving its worst-case size, writing through the
 * returned cursor with the cs__w_* appenders, and committing the end. The
 * buffer is flushed with write(2) in large blocks; the first error is kept
 * and reported at close, so the hot loop never branches on I/O results.
 */
#include "synth/synth_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <consentry/time.h>

int cs__out_open(cs__out_t *o, const char *path, size_t cap) {
  memset(o, 0, sizeof *o);
  o->fd = -1;
  o->buf = malloc(cap);
  if (!o->buf) return ENOMEM;
  o->cap = cap;
  o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (o->fd < 0) {
    int e = errno;
    free(o->buf);
    o->buf = NULL;
    return e;
  }
  return 0;
}

static void flush(cs__out_t *o) {
  size_t done = 0;
  while (done < o->len && !o->err) {
    ssize_t n = write(o->fd, o->buf + done, o->len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) o->err = n < 0 ? errno : EIO;
    else done += (size_t)n;
  }
  o->len = 0;
}

char *cs__out_reserve(cs__out_t *o, size_t n) {
  if (o->cap - o->len < n) flush(o);
  return o->buf + o->len;
}

void cs__out_commit(cs__out_t *o, char *end) {
  size_t n = (size_t)(end - (o->buf + o->len));
  o->len += n;
  o->total += n;
}

int cs__out_close(cs__out_t *o) {
  if (o->fd >= 0) {
    flush(o);
    if (close(o->fd) != 0 && !o->err) o->err = errno;
    o->fd = -1;
  }
  free(o->buf);
  o->buf = NULL;
  return o->err;
}

char *cs__w_mem(char *p, const void *s, size_t n) {
  memcpy(p, s, n);
  return p + n;
}

char *cs__w_str(char *p, const char *s) { return cs__w_mem(p, s, strlen(s)); }

char *cs__w_u64(char *p, uint64_t v) {
  char tmp[20];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *p++ = tmp[--n];
  return p;
}

char *cs__w_pad(char *p, uint64_t v, unsigned width) {
  char tmp[20];
  unsigned n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v && n < 20);
  while (width > n) {
    *p++ = '0';
    width--;
  }
  while (n) *p++ = tmp[--n];
  return p;
}

char *cs__w_date(char *p, int32_t days) {
  int64_t y;
  unsigned m, d;
  cs_civil_from_days(days, &y, &m, &d);
  p = cs__w_pad(p, (uint64_t)y, 4);
  *p++ = '-';
  p = cs__w_pad(p, m, 2);
  *p++ = '-';
  return cs__w_pad(p, d, 2);
}

char *cs__w_time(char *p, int64_t t, int offset_min) {
  int64_t local = t + (int64_t)offset_min * 60;
  int64_t days = local / 86400, rem = local % 86400;
  if (rem < 0) {
    rem += 86400;
    days--;
  }
  p = cs__w_date(p, (int32_t)days);
  *p++ = 'T';
  p = cs__w_pad(p, (uint64_t)(rem / 3600), 2);
  *p++ = ':';
  p = cs__w_pad(p, (uint64_t)(rem / 60 % 60), 2);
  *p++ = ':';
  p = cs__w_pad(p, (uint64_t)(rem % 60), 2);
  if (offset_min == 0) {
    *p++ = 'Z';
    return p;
  }
  unsigned a = (unsigned)(offset_min < 0 ? -offset_min : offset_min);
  *p++ = offset_min < 0 ? '-' : '+';
  p = cs__w_pad(p, a / 60, 2);
  *p++ = ':';
  return cs__w_pad(p, a % 60, 2);
}

/* 0: copy as is; 1: two-character escape; 2: \u00XX. */
static const uint8_t json_class[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

static char *escape(char *p, unsigned char c) {
  static const char hex[] = "0123456789abcdef";
  *p++ = '\\';
  switch (c) {
  case '"': *p++ = '"'; return p;
  case '\\': *p++ = '\\'; return p;
  case '\n': *p++ = 'n'; return p;
  case '\r': *p++ = 'r'; return p;
  case '\t': *p++ = 't'; return p;
  case '\b': *p++ = 'b'; return p;
  case '\f': *p++ = 'f'; return p;
  default: break;
  }
  p = cs__w_mem(p, "u00", 3);
  *p++ = hex[c >> 4];
  *p++ = hex[c & 15];
  return p;
}

char *cs__w_json(char *p, const char *s, size_t n) {
  *p++ = '"';
  size_t i = 0;
  while (i < n) {
    size_t run = i;
    while (run < n && !json_class[(unsigned char)s[run]]) run++;
    p = cs__w_mem(p, s + i, run - i);
    if (run == n) break;
    p = escape(p, (unsigned char)s[run]);
    i = run + 1;
  }
  *p++ = '"';
  return p;
}
