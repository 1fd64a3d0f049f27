/* tokenizer_count.c — the trainer's inputs: chunk frequencies.
 *
 * Training input streams through the pre-tokenizer into one open-addressing
 * table keyed by XXH3 of the chunk bytes (kept once in an arena), holding how
 * often each distinct chunk occurred. Only this table is kept: memory grows
 * with the vocabulary of the corpus, not its size. Placeholders are not
 * counted (they are special tokens already).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/jscan.h"
#include "core/lines.h"
#include "dataset/tokenizer_int.h"

#define TEXT_BLOCK ((size_t)1 << 20)

int cs_tok_trainer_new(cs_tok_trainer_t **out) {
  cs_tok_trainer_t *tr = calloc(1, sizeof *tr);
  if (!tr) return CS_ENOMEM;
  tr->mask = 4095;
  tr->slots = calloc(tr->mask + 1, sizeof *tr->slots);
  if (!tr->slots) {
    free(tr);
    return CS_ENOMEM;
  }
  *out = tr;
  return CS_OK;
}

void cs_tok_trainer_free(cs_tok_trainer_t *tr) {
  if (!tr) return;
  free(tr->slots);
  free(tr->arena);
  free(tr);
}

static int grow_table(cs_tok_trainer_t *tr) {
  size_t n = (tr->mask + 1) * 2;
  cs__chunk_slot_t *s = calloc(n, sizeof *s);
  if (!s) return CS_ENOMEM;
  for (size_t i = 0; i <= tr->mask; i++) {
    if (!tr->slots[i].count) continue;
    size_t j = (size_t)tr->slots[i].hash & (n - 1);
    while (s[j].count) j = (j + 1) & (n - 1);
    s[j] = tr->slots[i];
  }
  free(tr->slots);
  tr->slots = s;
  tr->mask = n - 1;
  return CS_OK;
}

static int count_chunk(void *ctx, const unsigned char *p, size_t len, int special) {
  cs_tok_trainer_t *tr = ctx;
  if (special) return CS_OK;
  tr->chunks++;
  uint64_t h = XXH3_64bits(p, len);
  size_t i = (size_t)h & tr->mask;
  for (cs__chunk_slot_t *s; (s = &tr->slots[i])->count; i = (i + 1) & tr->mask) {
    if (s->hash == h && s->len == len && memcmp(tr->arena + s->off, p, len) == 0) {
      s->count++;
      return CS_OK;
    }
  }
  int rc = cs__grow((void **)&tr->arena, &tr->arena_cap, tr->arena_len, len, 1);
  if (rc < 0) return rc;
  memcpy(tr->arena + tr->arena_len, p, len);
  tr->slots[i] = (cs__chunk_slot_t){h, 1, tr->arena_len, (uint32_t)len};
  tr->arena_len += len;
  if (++tr->used * 2 > tr->mask + 1) return grow_table(tr);
  return CS_OK;
}

int cs_tok_trainer_add_text(cs_tok_trainer_t *tr, const void *text, size_t len) {
  tr->bytes += len;
  return cs__pretok_walk(text, len, true, count_chunk, tr, NULL);
}

static void report(const cs_tok_trainer_t *tr, const cs_tok_train_opts_t *opts) {
  if (!opts || !opts->progress) return;
  cs_tok_train_progress_t p = {0, tr->bytes, tr->used, 0, 0};
  opts->progress(opts->progress_ctx, &p);
}

/* Reads a file in blocks, keeping the unfinished tail chunk for the next. */
static int stream_fd(cs_tok_trainer_t *tr, int fd, const char *path,
                     const cs_tok_train_opts_t *opts, cs_diag_t *diag) {
  unsigned char *buf = malloc(TEXT_BLOCK + CS_TOK_MAX_CHUNK + CS_TOK_LOOKAHEAD);
  if (!buf) return CS_ENOMEM;
  size_t have = 0;
  int rc = CS_OK;
  for (;;) {
    ssize_t got = read(fd, buf + have, TEXT_BLOCK);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      rc = cs_diag_set(diag, CS_EIO, "%s: read failed: %s", path, strerror(errno));
      break;
    }
    have += (size_t)got;
    tr->bytes += (size_t)got;
    size_t used;
    if ((rc = cs__pretok_walk(buf, have, got == 0, count_chunk, tr, &used)) < 0) break;
    memmove(buf, buf + used, have - used);
    have -= used;
    report(tr, opts);
    if (got == 0) break;
  }
  free(buf);
  return rc;
}

int cs_tok_trainer_add_text_file(cs_tok_trainer_t *tr, const char *path,
                                 const cs_tok_train_opts_t *opts, cs_diag_t *diag) {
  bool is_stdin = strcmp(path, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return cs_diag_set(diag, e == ENOENT ? CS_ENOTFOUND : CS_EIO, "%s: cannot open: %s", path,
                       strerror(e));
  }
  int rc = stream_fd(tr, fd, path, opts, diag);
  if (!is_stdin) close(fd);
  if (rc == CS_ENOMEM) cs_diag_set(diag, rc, "%s: out of memory while counting chunks", path);
  return rc;
}

/* The text field of one content line, unescaped into *buf when needed. */
static int line_text(const char *path, size_t line_no, const char *line, size_t len,
                     char **buf, size_t *cap, const char **text, size_t *text_len,
                     cs_diag_t *diag) {
  cs_jscan_field_t f = {.name = "text"};
  size_t at;
  const char *what;
  if (cs_jscan_object(line, len, &f, 1, &at, &what) < 0)
    return cs_diag_set(diag, CS_EINVAL, "%s:%zu: expected a JSON object (%s at byte %zu)", path,
                       line_no, what, at + 1);
  *text = NULL;
  *text_len = 0;
  if (f.type == CS_JSON_ABSENT || f.type == CS_JSON_NULL) return CS_OK;
  if (f.type != CS_JSON_STRING)
    return cs_diag_set(diag, CS_EINVAL, "%s:%zu: text: expected a string", path, line_no);
  if (!f.escaped) {
    *text = f.raw;
    *text_len = f.raw_len;
    return CS_OK;
  }
  /* Unescaping never lengthens a JSON string. */
  int rc = cs__grow((void **)buf, cap, 0, f.raw_len + 1, 1);
  if (rc < 0) return rc;
  if ((rc = cs_jscan_unescape(f.raw, f.raw_len, *buf, *cap, text_len)) < 0)
    return cs_diag_set(diag, CS_EINTERNAL, "%s:%zu: text: unescaping failed", path, line_no);
  *text = *buf;
  return CS_OK;
}

int cs_tok_trainer_add_jsonl(cs_tok_trainer_t *tr, const char *path,
                             const cs_tok_train_opts_t *opts, cs_diag_t *diag) {
  cs_lines_t *r;
  int rc = cs_lines_open(path, &r, diag);
  if (rc < 0) return rc;
  char *buf = NULL;
  size_t cap = 0, n = 0;
  const char *line, *text = NULL;
  size_t len, text_len = 0;
  while ((rc = cs_lines_next(r, &line, &len, diag)) == 1) {
    if (len == 0 || (len == 1 && line[0] == '\r')) continue;
    rc = line_text(path, cs_lines_number(r), line, len, &buf, &cap, &text, &text_len, diag);
    if (rc < 0) break;
    if (text && (rc = cs_tok_trainer_add_text(tr, text, text_len)) < 0) {
      cs_diag_set(diag, rc, "%s:%zu: out of memory while counting chunks", path,
                  cs_lines_number(r));
      break;
    }
    if ((++n & 4095) == 0) report(tr, opts);
  }
  report(tr, opts);
  free(buf);
  cs_lines_close(r);
  return rc < 0 ? rc : CS_OK;
}
