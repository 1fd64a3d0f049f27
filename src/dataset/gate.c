/* gate.c — parse a content record, consult the snapshot, decide (gate.h). */
#include <consentry/gate.h>

#include <stdlib.h>
#include <string.h>

#include "core/jfield.h"
#include "core/lines.h"

struct cs_gate {
  const cs_snapshot_t *snap;
  const cs_config_t *cfg;
  size_t purpose;
  json_tokener *tok;
  json_object *obj; /* the current line's object; owns the decision's strings */
};

int cs_gate_new(const cs_snapshot_t *snap, const cs_config_t *cfg, size_t purpose,
                cs_gate_t **out) {
  if (purpose >= cfg->n_purposes) return CS_EINVAL;
  cs_gate_t *g = calloc(1, sizeof *g);
  if (!g) return CS_ENOMEM;
  g->tok = json_tokener_new();
  if (!g->tok) {
    free(g);
    return CS_ENOMEM;
  }
  g->snap = snap;
  g->cfg = cfg;
  g->purpose = purpose;
  *out = g;
  return CS_OK;
}

void cs_gate_free(cs_gate_t *g) {
  if (!g) return;
  if (g->obj) json_object_put(g->obj);
  json_tokener_free(g->tok);
  free(g);
}

/* Reads and validates the fields the rules need. */
static int parse_record(const cs_jctx_t *c, json_object *o, cs_gate_decision_t *d) {
  const char *kind, *vis;
  size_t kind_len, vis_len;
  int rc;
  if ((rc = cs_jf_ident(c, o, "id", true, &d->id)) < 0) return rc;
  if ((rc = cs_jf_ident(c, o, "member", true, &d->member)) < 0) return rc;
  if ((rc = cs_jf_string(c, o, "kind", true, &kind, &kind_len)) < 0) return rc;
  if (cs_kind_parse(kind, kind_len, &d->facts.kind) < 0)
    return cs_jf_fail(c, "kind",
                      "expected one of post, article, comment, message, profile, feedback, "
                      "ai_prompt, got \"%.40s\"", kind);
  if ((rc = cs_jf_time(c, o, "created_at", true, &d->facts.created_at, NULL)) < 0) return rc;
  if ((rc = cs_jf_string(c, o, "visibility", true, &vis, &vis_len)) < 0) return rc;
  if (cs_visibility_parse(vis, vis_len, &d->facts.visibility) < 0)
    return cs_jf_fail(c, "visibility", "expected one of public, connections, private, got \"%.40s\"",
                      vis);
  d->text = NULL;
  d->text_len = 0;
  if ((rc = cs_jf_string(c, o, "text", false, &d->text, &d->text_len)) < 0) return rc;
  d->id_len = strlen(d->id);
  d->member_len = strlen(d->member);
  return CS_OK;
}

int cs_gate_decide_line(cs_gate_t *g, const char *file, size_t line_no, const char *line,
                        size_t len, cs_gate_decision_t *out, cs_diag_t *diag) {
  cs_jctx_t c = {file, line_no, diag};
  if (g->obj) {
    json_object_put(g->obj);
    g->obj = NULL;
  }
  int rc = cs_jf_parse_object(&c, g->tok, line, len, &g->obj);
  if (rc < 0) return rc;
  cs_gate_decision_t d;
  if ((rc = parse_record(&c, g->obj, &d)) < 0) return rc;
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
