/* lines.h — streaming line reader for JSONL input (internal).
 *
 * Reads a file (or standard input for "-") in large blocks and hands out one
 * line at a time without copying, so memory stays flat whatever the input
 * size. Files ending in ".zst" are decompressed on the fly. A line may be as
 * long as CS_LINES_MAX; longer is an error naming the line. The returned
 * pointer is valid until the next call. Not thread-safe; one reader per thread.
 */
#ifndef CS_CORE_LINES_H
#define CS_CORE_LINES_H

#include <stddef.h>

#include <consentry/error.h>

#define CS_LINES_MAX ((size_t)256 << 20)

typedef struct cs_lines cs_lines_t;

CS_MUST_USE int cs_lines_open(const char *path, cs_lines_t **out, cs_diag_t *diag);
/* 1: line and len set (without the newline, a trailing '\r' kept); 0: end of
 * input; <0: error (diag says which file and line). */
CS_MUST_USE int cs_lines_next(cs_lines_t *r, const char **line, size_t *len, cs_diag_t *diag);
/* A batch of lines: all stay valid until the next call on the reader. Only
 * the first may wait for input; the rest are those already buffered, so
 * batching never holds back a line. Returns as cs_lines_next, with *n >= 1
 * on 1. */
typedef struct {
  const char *p;
  size_t len;
  size_t number;          /* 1-based line number */
  unsigned long long end; /* input bytes consumed up to and including this line */
} cs_line_t;
CS_MUST_USE int cs_lines_next_batch(cs_lines_t *r, cs_line_t *out, size_t max, size_t *n,
                                    cs_diag_t *diag);

/* A run of whole lines as one span [*p, *p + *len) — lines separated by
 * '\n', the last one's newline not included — of about max_bytes (more if
 * one line is longer), valid until the next call. Like a batch, only the
 * first line may wait for input. *first_line is its first line's number.
 * Returns as cs_lines_next. */
CS_MUST_USE int cs_lines_next_chunk(cs_lines_t *r, size_t max_bytes, const char **p, size_t *len,
                                    size_t *first_line, cs_diag_t *diag);

size_t cs_lines_number(const cs_lines_t *r); /* 1-based number of the last line returned */
const char *cs_lines_path(const cs_lines_t *r);
unsigned long long cs_lines_bytes(const cs_lines_t *r); /* input bytes consumed so far */
void cs_lines_close(cs_lines_t *r);

#endif
