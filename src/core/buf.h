/* buf.h — a growable byte buffer with JSON-aware appenders (internal).
 *
 * Every append checks its size arithmetic and returns CS_ENOMEM rather than
 * overflowing; on failure the buffer keeps its old contents. Not thread-safe.
 */
#ifndef CS_CORE_BUF_H
#define CS_CORE_BUF_H

#include <stddef.h>

#include <consentry/error.h>

typedef struct {
  char *p;
  size_t len, cap;
} cs_buf_t;

CS_MUST_USE int cs_buf_reserve(cs_buf_t *b, size_t more);
CS_MUST_USE int cs_buf_put(cs_buf_t *b, const void *data, size_t n);
CS_MUST_USE int cs_buf_puts(cs_buf_t *b, const char *s);
/* s as a JSON string literal: quotes, backslashes and control characters
 * escaped, other bytes (UTF-8 or not) as they are. */
CS_MUST_USE int cs_buf_put_json_str(cs_buf_t *b, const char *s, size_t n);
CS_MUST_USE int cs_buf_printf(cs_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cs_buf_free(cs_buf_t *b);

#endif
