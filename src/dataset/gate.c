/* gate.c — parse a content record, consult the snapshot, decide (gate.h). */
#include <consentry/gate.h>

#include <stdlib.h>
#include <string.h>

#include "core/jfield.h"
#include "core/jscan.h"
#include "dataset/gate_int.h"
#include "core/lines.h"

enum { F_ID, F_MEMBER, F_KIND, F_CREATED_AT, F_VISIBILITY, F_TEXT, N_FIELDS };

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
int cs__gate_parse_line(cs_gate_t *g, size_t slot, const char *file, size_t line_no,
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

const cs_snapshot_t *cs__gate_snapshot(const cs_gate_t *g) { return g->snap; }

cs_reason_t cs__gate_decide(const cs_gate_t *g, const cs_member_state_t *m, cs_gate_decision_t *d) {
  return cs_eligibility_decide(m, &d->facts, g->cfg, g->purpose, cs_snapshot_as_of(g->snap));
}

int cs_gate_decide_line(cs_gate_t *g, const char *file, size_t line_no, const char *line,
                        size_t len, cs_gate_decision_t *out, cs_diag_t *diag) {
  cs_gate_decision_t d;
  int rc = cs__gate_parse_line(g, 0, file, line_no, line, len, &d, diag);
  if (rc < 0) return rc;
  const cs_member_state_t *m = cs_snapshot_member(g->snap, d.member, d.member_len);
  d.facts.deleted = cs_snapshot_deleted(g->snap, d.id, d.id_len);
  d.reason = cs__gate_decide(g, m, &d);
  *out = d;
  return CS_OK;
}

