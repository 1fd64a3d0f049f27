/* tokenizer_file.c — tokenizer.json: canonical writer, strict loader.
 *
 * The file is JSON (any JSON reader can load it) in one canonical layout,
 * one item per line (docs/TOKENIZER.md). The writer is the only producer of
 * that layout, and the loader accepts exactly it: every line is checked as it
 * is read, with FILE:LINE in the error, and the whole file must equal what
 * the loaded merges serialize to. So a tokenizer's identity, the SHA-256 of
 * its file, is also the SHA-256 of its canonical form, computed the same way
 * for a tokenizer just trained.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <consentry/afile.h>

#include "dataset/tokenizer_int.h"

#define FILE_NAME "tokenizer.json"
#define MAX_FILE_BYTES ((size_t)16 << 20) /* 65268 merges take about 1.2 MB */
#define LINE_MAX_BYTES 128

typedef struct {
  char *s;
  size_t len, cap;
} sbuf_t;

static int put(sbuf_t *b, const char *fmt, unsigned a, unsigned c, const char *text) {
  int rc = cs__grow((void **)&b->s, &b->cap, b->len, LINE_MAX_BYTES, 1);
  if (rc < 0) return rc;
  int n = text ? snprintf(b->s + b->len, LINE_MAX_BYTES, fmt, a, text)
               : snprintf(b->s + b->len, LINE_MAX_BYTES, fmt, a, c);
  if (n < 0 || n >= LINE_MAX_BYTES) return CS_EINTERNAL;
  b->len += (size_t)n;
  return CS_OK;
}

static int put_header(sbuf_t *b, size_t n_merges) {
  static const char head[] =
      "{\n"
      "  \"format\": \"consentry-bpe\",\n"
      "  \"version\": 1,\n"
      "  \"pretokenizer\": \"gpt2-bytes-v1\",\n"
      "  \"max_chunk_bytes\": 256,\n";
  int rc = cs__grow((void **)&b->s, &b->cap, 0, sizeof head, 1);
  if (rc < 0) return rc;
  memcpy(b->s, head, sizeof head - 1);
  b->len = sizeof head - 1;
  if ((rc = put(b, "  \"vocab_size\": %u,\n", (unsigned)(CS_TOK_FIRST_MERGE + n_merges), 0,
                NULL)) < 0 ||
      (rc = put(b, "  \"n_merges\": %u,\n", (unsigned)n_merges, 0, NULL)) < 0 ||
      (rc = put(b, "  \"special_tokens\": [\n", 0, 0, NULL)) < 0)
    return rc;
  for (int id = CS_TOK_EOT; id < CS_TOK_FIRST_MERGE; id++) {
    const char *fmt = id + 1 < CS_TOK_FIRST_MERGE ? "    {\"id\": %u, \"text\": \"%s\"},\n"
                                                  : "    {\"id\": %u, \"text\": \"%s\"}\n";
    if ((rc = put(b, fmt, (unsigned)id, 0, cs_tokenizer_special_text(id))) < 0) return rc;
  }
  return put(b, "  ],\n  \"merges\": [\n", 0, 0, NULL);
}

int cs__tok_serialize(const uint32_t *pairs, size_t n_merges, char **out, size_t *out_len) {
  sbuf_t b = {0};
  int rc = put_header(&b, n_merges);
  for (size_t r = 0; rc == CS_OK && r < n_merges; r++)
    rc = put(&b, r + 1 < n_merges ? "    [%u, %u],\n" : "    [%u, %u]\n", pairs[2 * r],
             pairs[2 * r + 1], NULL);
  if (rc == CS_OK) rc = put(&b, "  ]\n}\n", 0, 0, NULL);
  if (rc < 0) {
    free(b.s);
    return rc;
  }
  *out = b.s;
  *out_len = b.len;
  return CS_OK;
}

/* DIR/tokenizer.json into path (cap bytes). */
static int file_path(const char *dir, char *path, size_t cap, cs_diag_t *diag) {
  int n = snprintf(path, cap, "%s/" FILE_NAME, dir);
  if (n < 0 || (size_t)n >= cap)
    return cs_diag_set(diag, CS_EINVAL, "%s: directory name too long", dir);
  return CS_OK;
}

int cs_tokenizer_save(const cs_tokenizer_t *tok, const char *dir, cs_diag_t *diag) {
  char path[4096];
  int rc = file_path(dir, path, sizeof path, diag);
  if (rc < 0) return rc;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    return cs_diag_set(diag, CS_EIO, "%s: cannot create directory: %s", dir, strerror(errno));
  char *json;
  size_t len;
  if ((rc = cs__tok_serialize(tok->pairs, tok->n_merges, &json, &len)) < 0)
    return cs_diag_set(diag, rc, "%s: %s", path, cs_strerror(rc));
  cs_afile_t *af;
  if ((rc = cs_afile_open(path, &af, diag)) == CS_OK) {
    if (fwrite(json, 1, len, cs_afile_stream(af)) != len) {
      cs_afile_abort(af);
      rc = cs_diag_set(diag, CS_EIO, "%s: write failed", path);
    } else {
      rc = cs_afile_commit(af, diag);
    }
  }
  free(json);
  return rc;
}

/* ---- loading ---- */

typedef struct {
  const char *path;
  const char *p, *end; /* unread part of the file */
  size_t line_no;
  const char *line;    /* the current line, without its newline */
  size_t len;
  cs_diag_t *diag;
} reader_t;

static int fail(reader_t *r, const char *what) {
  int shown = r->len > 60 ? 60 : (int)r->len;
  return cs_diag_set(r->diag, CS_EINVAL, "%s:%zu: expected %s, got \"%.*s%s\"", r->path,
                     r->line_no, what, shown, r->line ? r->line : "",
                     r->len > 60 ? "..." : "");
}

/* The next line, which must end with a newline. */
static int next_line(reader_t *r) {
  r->line_no++;
  r->line = NULL;
  r->len = 0;
  if (r->p == r->end) return fail(r, "more lines (the file is cut short)");
  const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
  r->line = r->p;
  r->len = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);
  if (!nl) return fail(r, "a newline at the end of the line");
  r->p = nl + 1;
  return CS_OK;
}

static int expect(reader_t *r, const char *want) {
  int rc = next_line(r);
  if (rc < 0) return rc;
  if (r->len != strlen(want) || memcmp(r->line, want, r->len) != 0) {
    char what[LINE_MAX_BYTES + 8];
    snprintf(what, sizeof what, "\"%s\"", want);
    return fail(r, what);
  }
  return CS_OK;
}

/* A decimal number without leading zeros at *s (< end), at most max. */
static bool parse_uint(const char **s, const char *end, uint32_t max, uint32_t *out) {
  const char *p = *s;
  uint64_t v = 0;
  if (p == end || *p < '0' || *p > '9' || (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9'))
    return false;
  for (; p < end && *p >= '0' && *p <= '9'; p++) {
    v = v * 10 + (uint64_t)(*p - '0');
    if (v > max) return false;
  }
  *s = p;
  *out = (uint32_t)v;
  return true;
}

static bool skip(const char **s, const char *end, const char *lit) {
  size_t n = strlen(lit);
  if ((size_t)(end - *s) < n || memcmp(*s, lit, n) != 0) return false;
  *s += n;
  return true;
}

/* `  "key": N,` */
static int key_uint(reader_t *r, const char *key, uint32_t max, uint32_t *out) {
  int rc = next_line(r);
  if (rc < 0) return rc;
  const char *s = r->line, *end = r->line + r->len;
  char what[96];
  snprintf(what, sizeof what, "  \"%s\": a number up to %u,", key, max);
  if (!skip(&s, end, "  \"") || !skip(&s, end, key) || !skip(&s, end, "\": ") ||
      !parse_uint(&s, end, max, out) || !skip(&s, end, ",") || s != end)
    return fail(r, what);
  return CS_OK;
}

static int read_header(reader_t *r, uint32_t *n_merges) {
  static const char *const head[] = {"{", "  \"format\": \"consentry-bpe\","};
  int rc;
  uint32_t version = 0, vocab = 0;
  for (size_t i = 0; i < sizeof head / sizeof *head; i++)
    if ((rc = expect(r, head[i])) < 0) return rc;
  if ((rc = key_uint(r, "version", UINT32_MAX, &version)) < 0) return rc;
  if (version != 1)
    return cs_diag_set(r->diag, CS_EINVAL, "%s:%zu: version %u is not supported (expected 1)",
                       r->path, r->line_no, version);
  if ((rc = expect(r, "  \"pretokenizer\": \"gpt2-bytes-v1\",")) < 0 ||
      (rc = expect(r, "  \"max_chunk_bytes\": 256,")) < 0 ||
      (rc = key_uint(r, "vocab_size", CS_TOK_MAX_VOCAB, &vocab)) < 0)
    return rc;
  if (vocab < CS_TOK_FIRST_MERGE)
    return fail(r, "a vocab_size of at least 267 (256 bytes and 11 special tokens)");
  if ((rc = key_uint(r, "n_merges", CS_TOK_MAX_VOCAB, n_merges)) < 0) return rc;
  if (*n_merges != vocab - CS_TOK_FIRST_MERGE)
    return fail(r, "n_merges equal to vocab_size - 267");
  return expect(r, "  \"special_tokens\": [");
}

static int read_specials(reader_t *r) {
  for (int id = CS_TOK_EOT; id < CS_TOK_FIRST_MERGE; id++) {
    char want[LINE_MAX_BYTES];
    snprintf(want, sizeof want, "    {\"id\": %d, \"text\": \"%s\"}%s", id,
             cs_tokenizer_special_text(id), id + 1 < CS_TOK_FIRST_MERGE ? "," : "");
    int rc = expect(r, want);
    if (rc < 0) return rc;
  }
  int rc = expect(r, "  ],");
  return rc < 0 ? rc : expect(r, "  \"merges\": [");
}

/* `    [A, B],` (no comma on the last); ids checked by from_merges later. */
static int read_merge(reader_t *r, bool last, uint32_t *pair) {
  int rc = next_line(r);
  if (rc < 0) return rc;
  const char *s = r->line, *end = r->line + r->len;
  if (!skip(&s, end, "    [") || !parse_uint(&s, end, CS_TOK_MAX_VOCAB, &pair[0]) ||
      !skip(&s, end, ", ") || !parse_uint(&s, end, CS_TOK_MAX_VOCAB, &pair[1]) ||
      !skip(&s, end, "]") || (!last && !skip(&s, end, ",")) || s != end)
    return fail(r, last ? "the last merge as \"    [LEFT, RIGHT]\""
                        : "a merge as \"    [LEFT, RIGHT],\"");
  return CS_OK;
}

static int parse(reader_t *r, cs_tokenizer_t **out) {
  uint32_t n = 0, *pairs = NULL;
  int rc = read_header(r, &n);
  if (rc == CS_OK) rc = read_specials(r);
  if (rc == CS_OK && !(pairs = malloc((2 * (size_t)n + 1) * sizeof *pairs))) rc = CS_ENOMEM;
  size_t first_merge_line = r->line_no + 1;
  for (uint32_t i = 0; rc == CS_OK && i < n; i++) rc = read_merge(r, i + 1 == n, pairs + 2 * i);
  if (rc == CS_OK) rc = expect(r, "  ]");
  if (rc == CS_OK) rc = expect(r, "}");
  if (rc == CS_OK && r->p != r->end) {
    r->line_no++;
    r->line = r->p;
    r->len = (size_t)(r->end - r->p);
    rc = fail(r, "the end of the file");
  }
  if (rc == CS_OK && (rc = cs_tokenizer_from_merges(pairs, n, out, r->diag)) < 0 && r->diag &&
      strncmp(r->diag->msg, "merge ", 6) == 0) {
    /* "merge R: ..." from from_merges: put the file and line in front. */
    unsigned long rank = strtoul(r->diag->msg + 6, NULL, 10);
    cs_diag_prefix(r->diag, "%s:%zu", r->path, first_merge_line + rank);
  }
  free(pairs);
  return rc;
}

static int read_file(const char *path, char **out, size_t *out_len, cs_diag_t *diag) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return cs_diag_set(diag, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "%s: cannot open: %s", path,
                       strerror(errno));
  char *buf = malloc(MAX_FILE_BYTES + 1);
  size_t n = buf ? fread(buf, 1, MAX_FILE_BYTES + 1, f) : 0;
  int rc = CS_OK;
  if (!buf) rc = CS_ENOMEM;
  else if (ferror(f)) rc = cs_diag_set(diag, CS_EIO, "%s: read failed", path);
  else if (n > MAX_FILE_BYTES)
    rc = cs_diag_set(diag, CS_EINVAL, "%s: larger than %zu bytes: not a tokenizer", path,
                     MAX_FILE_BYTES);
  fclose(f);
  if (rc < 0) {
    free(buf);
    return rc;
  }
  *out = buf;
  *out_len = n;
  return CS_OK;
}

int cs_tokenizer_load(const char *dir, cs_tokenizer_t **out, cs_diag_t *diag) {
  char path[4096], *data = NULL;
  size_t len = 0;
  int rc = file_path(dir, path, sizeof path, diag);
  if (rc < 0 || (rc = read_file(path, &data, &len, diag)) < 0) return rc;
  reader_t r = {path, data, data + len, 0, NULL, 0, diag};
  cs_tokenizer_t *tok = NULL;
  rc = parse(&r, &tok);
  free(data);
  if (rc < 0) return rc;
  *out = tok;
  return CS_OK;
}
