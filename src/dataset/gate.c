/* gate.c — parse a content record, consult the snapshot, decide (gate.h). */
#include <consentry/gate.h>

#include <stdlib.h>
#include <string.h>

#include "core/jfield.h"
#include "core/jscan.h"
#include "core/lines.h"

enum { F_ID, F_MEMBER, F_KIND, F_CREATED_AT, F_VISIBILITY, F_TEXT, N_FIELDS };
#define CS_GATE_FIELD_MAX 256 /* longest id, member, kind, time or visibility accepted */

struct cs_gate {
  const cs_snapshot_t *snap;
  const cs_config_t *cfg;
  size_t purpose;
  char buf[N_FIELDS][CS_GATE_FIELD_MAX]; /* decoded short fields of the current line */
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
static int short_field(cs_gate_t *g, const cs_jctx_t *c, const cs_jscan_field_t *f, int slot,
                       const char **out, size_t *out_len) {
  if (f->type == CS_JSON_ABSENT || f->type == CS_JSON_NULL)
    return cs_jf_fail(c, f->name, "required field is missing");
  if (f->type != CS_JSON_STRING) return cs_jf_fail(c, f->name, "expected a string");
  size_t n = f->raw_len;
  if (!f->escaped) {
    if (n > CS_GATE_FIELD_MAX) return cs_jf_fail(c, f->name, "expected at most 256 bytes");
    *out = f->raw;
  } else {
    if (cs_jscan_unescape(f->raw, f->raw_len, g->buf[slot], CS_GATE_FIELD_MAX, &n) < 0)
      return cs_jf_fail(c, f->name, "expected at most 256 bytes");
    *out = g->buf[slot];
  }
  *out_len = n;
  if (n == 0) return cs_jf_fail(c, f->name, "expected a non-empty string");
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)(*out)[i] < 0x20 || (*out)[i] == 0x7f)
      return cs_jf_fail(c, f->name, "expected no control characters");
  return CS_OK;
}

/* Reads and validates the fields the rules need. */
static int parse_record(cs_gate_t *g, const cs_jctx_t *c, const cs_jscan_field_t *f,
                        cs_gate_decision_t *d) {
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

int cs_gate_decide_line(cs_gate_t *g, const char *file, size_t line_no, const char *line,
                        size_t len, cs_gate_decision_t *out, cs_diag_t *diag) {
  cs_jctx_t c = {file, line_no, diag};
  cs_jscan_field_t f[N_FIELDS] = {{.name = "id"}, {.name = "member"}, {.name = "kind"},
                                  {.name = "created_at"}, {.name = "visibility"},
                                  {.name = "text"}};
  size_t at;
  const char *what;
  if (cs_jscan_object(line, len, f, N_FIELDS, &at, &what) < 0)
    return cs_diag_set(diag, CS_EINVAL, "%s:%zu: expected a JSON object (%s at byte %zu)", file,
                       line_no, what, at + 1);
  cs_gate_decision_t d;
  int rc = parse_record(g, &c, f, &d);
  if (rc < 0) return rc;
  const cs_member_state_t *m = cs_snapshot_member(g->snap, d.member, d.member_len);
  d.facts.deleted = cs_snapshot_deleted(g->snap, d.id, d.id_len);
  d.reason = cs_eligibility_decide(m, &d.facts, g->cfg, g->purpose, cs_snapshot_as_of(g->snap));
  *out = d;
  return CS_OK;
}

static void write_json_str(FILE *f, const char *s, size_t n) {
  fputc('"', f);
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '"' || ch == '\\') {
      fputc('\\', f);
      fputc(ch, f);
    } else if (ch < 0x20) {
      fprintf(f, "\\u%04x", ch);
    } else {
      fputc(ch, f);
    }
  }
  fputc('"', f);
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
    FILE *f = sinks->decisions;
    fputs("{\"id\":", f);
    write_json_str(f, d->id, d->id_len);
    fputs(",\"member\":", f);
    write_json_str(f, d->member, d->member_len);
    fprintf(f, ",\"included\":%s,\"reason\":\"%s\"}\n", inc ? "true" : "false",
            cs_reason_name(d->reason));
    if (ferror(f)) return CS_EIO;
  }
  return CS_OK;
}

static int run_file(cs_gate_t *g, const char *path, const cs_gate_sinks_t *sinks,
                    cs_gate_stats_t *st, cs_diag_t *diag) {
  cs_lines_t *r;
  int rc = cs_lines_open(path, &r, diag);
  if (rc < 0) return rc;
  const char *line;
  size_t len;
  unsigned long long counted = 0;
  while ((rc = cs_lines_next(r, &line, &len, diag)) == 1) {
    unsigned long long pos = cs_lines_bytes(r);
    st->bytes_in += pos - counted;
    counted = pos;
    if (len == 0 || (len == 1 && line[0] == '\r')) continue;
    cs_gate_decision_t d;
    if ((rc = cs_gate_decide_line(g, path, cs_lines_number(r), line, len, &d, diag)) < 0) break;
    st->records++;
    st->by_reason[d.reason]++;
    if (d.reason == CS_REASON_INCLUDED) st->included++;
    if ((rc = emit(sinks, &d, line, len, st)) < 0) {
      cs_diag_set(diag, rc, "writing output failed after %s:%zu", path, cs_lines_number(r));
      break;
    }
    if (sinks->progress && (st->records & 8191) == 0) sinks->progress(sinks->progress_ctx, st);
  }
  cs_lines_close(r);
  return rc < 0 ? rc : CS_OK;
}

int cs_gate_run(cs_gate_t *g, const char *const *paths, size_t n_paths,
                const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats, cs_diag_t *diag) {
  for (size_t i = 0; i < n_paths; i++) {
    int rc = run_file(g, paths[i], sinks, stats, diag);
    if (rc < 0) return rc;
  }
  if (sinks->progress) sinks->progress(sinks->progress_ctx, stats);
  return CS_OK;
}
