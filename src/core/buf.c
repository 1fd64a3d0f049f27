/* buf.c — growable byte buffer (buf.h). */
#include "core/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_buf_reserve(cs_buf_t *b, size_t more) {
  if (b->cap - b->len >= more) return CS_OK;
  if (more > SIZE_MAX - b->len) return CS_ENOMEM;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len < more) {
    if (cap > SIZE_MAX / 2) return CS_ENOMEM;
    cap *= 2;
  }
  char *p = realloc(b->p, cap);
  if (!p) return CS_ENOMEM;
  b->p = p;
  b->cap = cap;
  return CS_OK;
}

int cs_buf_put(cs_buf_t *b, const void *data, size_t n) {
  if (cs_buf_reserve(b, n) < 0) return CS_ENOMEM;
  if (n) memcpy(b->p + b->len, data, n);
  b->len += n;
  return CS_OK;
}

int cs_buf_puts(cs_buf_t *b, const char *s) { return cs_buf_put(b, s, strlen(s)); }

int cs_buf_put_json_str(cs_buf_t *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  if (n > (SIZE_MAX - 2) / 6 || cs_buf_reserve(b, 6 * n + 2) < 0) return CS_ENOMEM;
  char *o = b->p + b->len;
  size_t k = 0;
  o[k++] = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '"' || ch == '\\') {
      o[k++] = '\\';
      o[k++] = (char)ch;
    } else if (ch < 0x20) {
      memcpy(o + k, "\\u00", 4);
      o[k + 4] = hex[ch >> 4];
      o[k + 5] = hex[ch & 15];
      k += 6;
    } else {
      o[k++] = (char)ch;
    }
  }
  o[k++] = '"';
  b->len += k;
  return CS_OK;
}

int cs_buf_printf(cs_buf_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || cs_buf_reserve(b, (size_t)n + 1) < 0) return CS_ENOMEM;
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return CS_OK;
}

void cs_buf_free(cs_buf_t *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
