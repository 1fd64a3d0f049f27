/* gate.c — parse a content record, consult the snapshot, decide (gate.h). */
#include <consentry/gate.h>

#include <stdlib.h>
#include <string.h>

#include "core/jfield.h"
#include "core/jscan.h"
#include "core/lines.h"

enum { F_ID, F_MEMBER, F_KIND, F_CREATED_AT, F_VISIBILITY, F_TEXT, N_FIELDS };
#define CS_GATE_FIELD_MAX 256 /* longest id, member, kind, time or visibility accepted */
#define CS_GATE_BATCH 64      /* records looked up together so their cache misses overlap */

struct cs_gate {
  const cs_snapshot_t *snap;
  const cs_config_t *cfg;
  size_t purpose;
  /* decoded short fields of the batch's lines (only escaped ones are copied) */
  char buf[CS_GATE_BATCH][N_FIELDS][CS_GATE_FIELD_MAX];
};

int cs_gate_new(const cs_snapshot_t *snap, const cs_config_t *cfg, size_t purpose,
                cs_gate_t **out) {
  if (purpose >= cfg->n_purposes) return CS_EINVAL;
  cs_gate_t *g = calloc(1, sizeof *g);
  if (!g) return CS_ENOMEM;
  g->snap = snap;
  g->cfg = cfg;
  g->purpose = purpose;
  *out = g;
  return CS_OK;
}

void cs_gate_free(cs_gate_t *g) { free(g); }

/* A required short string field, decoded into the gate's buffer. */
static int short_field(char buf[N_FIELDS][CS_GATE_FIELD_MAX], const cs_jctx_t *c,
                       const cs_jscan_field_t *f, int slot, const char **out, size_t *out_len) {
  if (f->type == CS_JSON_ABSENT || f->type == CS_JSON_NULL)
    return cs_jf_fail(c, f->name, "required field is missing");
  if (f->type != CS_JSON_STRING) return cs_jf_fail(c, f->name, "expected a string");
  size_t n = f->raw_len;
  if (!f->escaped) {
    if (n > CS_GATE_FIELD_MAX) return cs_jf_fail(c, f->name, "expected at most 256 bytes");
    *out = f->raw;
  } else {
    if (cs_jscan_unescape(f->raw, f->raw_len, buf[slot], CS_GATE_FIELD_MAX, &n) < 0)
      return cs_jf_fail(c, f->name, "expected at most 256 bytes");
    *out = buf[slot];
  }
  *out_len = n;
  if (n == 0) return cs_jf_fail(c, f->name, "expected a non-empty string");
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)(*out)[i] < 0x20 || (*out)[i] == 0x7f)
      return cs_jf_fail(c, f->name, "expected no control characters");
  return CS_OK;
}

/* Reads and validates the fields the rules need. */
static int parse_record(char g[N_FIELDS][CS_GATE_FIELD_MAX], const cs_jctx_t *c,
                        const cs_jscan_field_t *f, cs_gate_decision_t *d) {
  const char *kind, *vis, *created;
  size_t kind_len, vis_len, created_len;
  int rc;
  if ((rc = short_field(g, c, &f[F_ID], F_ID, &d->id, &d->id_len)) < 0 ||
      (rc = short_field(g, c, &f[F_MEMBER], F_MEMBER, &d->member, &d->member_len)) < 0 ||
      (rc = short_field(g, c, &f[F_KIND], F_KIND, &kind, &kind_len)) < 0)
    return rc;
  if (cs_kind_parse(kind, kind_len, &d->facts.kind) < 0)
    return cs_jf_fail(c, "kind",
                      "expected one of post, article, comment, message, profile, feedback, "
                      "ai_prompt, got \"%.*s\"", (int)(kind_len > 40 ? 40 : kind_len), kind);
  if ((rc = short_field(g, c, &f[F_CREATED_AT], F_CREATED_AT, &created, &created_len)) < 0)
    return rc;
  if (cs_time_parse(created, created_len, &d->facts.created_at) < 0)
    return cs_jf_fail(c, "created_at", "expected an RFC 3339 time like 2024-05-01T12:00:00Z");
  if ((rc = short_field(g, c, &f[F_VISIBILITY], F_VISIBILITY, &vis, &vis_len)) < 0) return rc;
  if (cs_visibility_parse(vis, vis_len, &d->facts.visibility) < 0)
    return cs_jf_fail(c, "visibility", "expected one of public, connections, private, got \"%.*s\"",
                      (int)(vis_len > 40 ? 40 : vis_len), vis);
  const cs_jscan_field_t *t = &f[F_TEXT];
  if (t->type != CS_JSON_ABSENT && t->type != CS_JSON_NULL && t->type != CS_JSON_STRING)
    return cs_jf_fail(c, "text", "expected a string");
  d->text_raw = t->type == CS_JSON_STRING ? t->raw : NULL;
  d->text_raw_len = t->type == CS_JSON_STRING ? t->raw_len : 0;
  d->text_escaped = t->escaped;
  return CS_OK;
}

/* Validates one line into d (all but its reason), decoding into slot's buffers. */
static int parse_line(cs_gate_t *g, size_t slot, const char *file, size_t line_no,
                      const char *line, size_t len, cs_gate_decision_t *d, cs_diag_t *diag) {
  cs_jctx_t c = {file, line_no, diag};
  cs_jscan_field_t f[N_FIELDS] = {{.name = "id"}, {.name = "member"}, {.name = "kind"},
                                  {.name = "created_at"}, {.name = "visibility"},
                                  {.name = "text"}};
  size_t at;
  const char *what;
  if (cs_jscan_object(line, len, f, N_FIELDS, &at, &what) < 0)
    return cs_diag_set(diag, CS_EINVAL, "%s:%zu: expected a JSON object (%s at byte %zu)", file,
                       line_no, what, at + 1);
  return parse_record(g->buf[slot], &c, f, d);
}

static cs_reason_t decide(const cs_gate_t *g, const cs_member_state_t *m, cs_gate_decision_t *d) {
  return cs_eligibility_decide(m, &d->facts, g->cfg, g->purpose, cs_snapshot_as_of(g->snap));
}

int cs_gate_decide_line(cs_gate_t *g, const char *file, size_t line_no, const char *line,
                        size_t len, cs_gate_decision_t *out, cs_diag_t *diag) {
  cs_gate_decision_t d;
  int rc = parse_line(g, 0, file, line_no, line, len, &d, diag);
  if (rc < 0) return rc;
  const cs_member_state_t *m = cs_snapshot_member(g->snap, d.member, d.member_len);
  d.facts.deleted = cs_snapshot_deleted(g->snap, d.id, d.id_len);
  d.reason = decide(g, m, &d);
  *out = d;
  return CS_OK;
}

/* Appends s as a JSON string literal; o needs room for 6 * n + 2 bytes. */
static size_t put_json_str(char *o, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
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
  return k;
}

static size_t put(char *o, const char *s) {
  size_t n = strlen(s);
  memcpy(o, s, n);
  return n;
}

static int emit(const cs_gate_sinks_t *sinks, const cs_gate_decision_t *d, const char *line,
                size_t len, cs_gate_stats_t *st) {
  bool inc = d->reason == CS_REASON_INCLUDED;
  if (inc && sinks->included) {
    if (fwrite(line, 1, len, sinks->included) != len || fputc('\n', sinks->included) == EOF)
      return CS_EIO;
    st->bytes_out += len + 1;
  }
  if (sinks->decisions) {
    char o[6 * 2 * CS_GATE_FIELD_MAX + 128]; /* ids and members are capped at 256 bytes */
    size_t k = put(o, "{\"id\":");
    k += put_json_str(o + k, d->id, d->id_len);
    k += put(o + k, ",\"member\":");
    k += put_json_str(o + k, d->member, d->member_len);
    k += put(o + k, inc ? ",\"included\":true,\"reason\":\"" : ",\"included\":false,\"reason\":\"");
    k += put(o + k, cs_reason_name(d->reason));
    k += put(o + k, "\"}\n");
    if (fwrite(o, 1, k, sinks->decisions) != k) return CS_EIO;
  }
  return CS_OK;
}

typedef struct {
  cs_line_t lines[CS_GATE_BATCH];
  cs_gate_decision_t d[CS_GATE_BATCH];
  const char *members[CS_GATE_BATCH], *ids[CS_GATE_BATCH];
  size_t member_lens[CS_GATE_BATCH], id_lens[CS_GATE_BATCH];
  const cs_member_state_t *states[CS_GATE_BATCH];
  bool deleted[CS_GATE_BATCH];
} batch_t;

static bool blank(const cs_line_t *l) { return l->len == 0 || (l->len == 1 && l->p[0] == '\r'); }

/* Parses the batch's lines until the first bad one; *n_ok: how many parsed
 * (blank lines are dropped from the batch). */
static int parse_batch(cs_gate_t *g, const char *path, batch_t *b, size_t n, size_t *n_ok,
                       cs_diag_t *diag) {
  size_t k = 0;
  int rc = CS_OK;
  for (size_t i = 0; i < n; i++) {
    if (blank(&b->lines[i])) continue;
    b->lines[k] = b->lines[i];
    cs_gate_decision_t *d = &b->d[k];
    rc = parse_line(g, k, path, b->lines[k].number, b->lines[k].p, b->lines[k].len, d, diag);
    if (rc < 0) break;
    b->members[k] = d->member;
    b->member_lens[k] = d->member_len;
    b->ids[k] = d->id;
    b->id_lens[k] = d->id_len;
    k++;
  }
  *n_ok = k;
  return rc;
}

static int decide_batch(cs_gate_t *g, batch_t *b, size_t n, const char *path,
                        const cs_gate_sinks_t *sinks, cs_gate_stats_t *st, cs_diag_t *diag) {
  cs_snapshot_lookup_many(g->snap, b->members, b->member_lens, b->ids, b->id_lens, n, b->states,
                          b->deleted);
  for (size_t i = 0; i < n; i++) /* each member's country history is the next miss */
    if (b->states[i]) __builtin_prefetch(b->states[i]->countries);
  for (size_t i = 0; i < n; i++) {
    cs_gate_decision_t *d = &b->d[i];
    d->facts.deleted = b->deleted[i];
    d->reason = decide(g, b->states[i], d);
    st->records++;
    st->by_reason[d->reason]++;
    if (d->reason == CS_REASON_INCLUDED) st->included++;
    if (emit(sinks, d, b->lines[i].p, b->lines[i].len, st) < 0)
      return cs_diag_set(diag, CS_EIO, "writing output failed after %s:%zu", path,
                         b->lines[i].number);
    if (sinks->progress && (st->records & 8191) == 0) sinks->progress(sinks->progress_ctx, st);
  }
  return CS_OK;
}

static int run_file(cs_gate_t *g, const char *path, const cs_gate_sinks_t *sinks,
                    cs_gate_stats_t *st, batch_t *b, cs_diag_t *diag) {
  cs_lines_t *r;
  int rc = cs_lines_open(path, &r, diag);
  if (rc < 0) return rc;
  size_t n, n_ok;
  unsigned long long counted = 0;
  while ((rc = cs_lines_next_batch(r, b->lines, CS_GATE_BATCH, &n, diag)) == 1) {
    st->bytes_in += b->lines[n - 1].end - counted;
    counted = b->lines[n - 1].end;
    int prc = parse_batch(g, path, b, n, &n_ok, diag);
    cs_diag_t later = {{0}};
    rc = decide_batch(g, b, n_ok, path, sinks, st, prc < 0 ? &later : diag);
    if (prc < 0 || rc < 0) {
      rc = prc < 0 ? prc : rc;
      break;
    }
  }
  cs_lines_close(r);
  return rc < 0 ? rc : CS_OK;
}

int cs_gate_run(cs_gate_t *g, const char *const *paths, size_t n_paths,
                const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats, cs_diag_t *diag) {
  batch_t *b = malloc(sizeof *b);
  if (!b) return cs_diag_set(diag, CS_ENOMEM, "gate: out of memory");
  for (size_t i = 0; i < n_paths; i++) {
    int rc = run_file(g, paths[i], sinks, stats, b, diag);
    if (rc < 0) {
      free(b);
      return rc;
    }
  }
  free(b);
  if (sinks->progress) sinks->progress(sinks->progress_ctx, stats);
  return CS_OK;
}
