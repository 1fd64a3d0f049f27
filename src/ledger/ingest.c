/* ingest.c — loading a JSONL file of facts into the ledger.
 *
 * One pass, flat memory: lines stream from cs_lines (no copy), one reused
 * json_tokener parses each, the fact borrows its strings from the parsed
 * object, and the store's cached statements write it. The caller's
 * transaction makes the file atomic: the first bad line stops the load with
 * "FILE:LINE: field: ..." and the caller rolls back.
 *
 * Facts about a member need that member to exist, in the ledger or earlier in
 * the same transaction. The store enforces that itself (a foreign key, which
 * sees the transaction's own writes) and answers CS_ENOTFOUND, so ingest makes
 * no lookup of its own: at millions of facts each B-tree descent counts.
 */
#include <stdlib.h>
#include <string.h>

#include <consentry/ledger.h>

#include "core/lines.h"
#include "ledger/fact_json.h"

typedef struct {
  cs_store_t *s;
  const cs_config_t *cfg;
  json_tokener *tok;
  cs_fact_buf_t buf;
  cs_ingest_stats_t stats;
} ingest_t;

static bool is_blank(const char *line, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') return false;
  return true;
}

static int store_fact(ingest_t *in, const cs_jctx_t *c, const cs_fact_t *f) {
  bool inserted = false;
  int rc = cs_store_put_fact(in->s, f, &inserted, c->diag);
  if (rc == CS_ENOTFOUND)
    return cs_jf_fail(c, "member",
                      "expected a known member id, got \"%.60s\" (no member fact before this line)",
                      f->member);
  if (rc < 0) {
    if (rc != CS_EINVAL) cs_diag_prefix(c->diag, "%s:%zu", c->file, c->line);
    return rc;
  }
  if (inserted)
    in->stats.inserted++;
  else
    in->stats.skipped++;
  return CS_OK;
}

static int ingest_line(ingest_t *in, const cs_jctx_t *c, const char *line, size_t len) {
  json_object *o = NULL;
  int rc = cs_jf_parse_object(c, in->tok, line, len, &o);
  if (rc < 0) return rc;
  cs_fact_t f;
  rc = cs__fact_from_json(c, o, in->cfg, &in->buf, &f);
  if (rc == CS_OK) rc = store_fact(in, c, &f);
  json_object_put(o);
  return rc;
}

static int ingest_all(ingest_t *in, cs_lines_t *r, cs_diag_t *diag) {
  const char *line;
  size_t len;
  int rc;
  cs_jctx_t c = {cs_lines_path(r), 0, diag};
  while ((rc = cs_lines_next(r, &line, &len, diag)) == 1) {
    if (is_blank(line, len)) continue;
    c.line = cs_lines_number(r);
    in->stats.lines++;
    if ((rc = ingest_line(in, &c, line, len)) < 0) return rc;
  }
  return rc;
}

int cs_ledger_ingest(cs_store_t *s, const cs_config_t *cfg, const char *path,
                     cs_ingest_stats_t *stats, cs_diag_t *diag) {
  if (!s || !cfg || !path) return cs_diag_set(diag, CS_EINVAL, "ingest: missing argument");
  ingest_t *in = calloc(1, sizeof *in);
  cs_lines_t *r = NULL;
  int rc = in ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  if (rc == CS_OK && !(in->tok = json_tokener_new()))
    rc = cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  if (rc == CS_OK) rc = cs_lines_open(path, &r, diag);
  if (rc == CS_OK) {
    in->s = s;
    in->cfg = cfg;
    rc = ingest_all(in, r, diag);
  }
  if (rc == CS_OK && stats) {
    stats->lines += in->stats.lines;
    stats->inserted += in->stats.inserted;
    stats->skipped += in->stats.skipped;
  }
  cs_lines_close(r);
  if (in && in->tok) json_tokener_free(in->tok);
  free(in);
  return rc;
}
