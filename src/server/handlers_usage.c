/* handlers_usage.c — GET /api/me/usage ("how my data was used") and
 * POST /api/assist (the writing assistant).
 *
 * Usage lists the ledger's lineage entries that used the member's records,
 * oldest first. A dataset's "shard" is the train shard the member's records
 * went to (cs_dataset_member_shard, the builder's own rule), or "val" when
 * the member was held out for validation.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <consentry/dataset.h>

#include "server/server_int.h"

typedef struct {
  const char *member;
  cs_buf_t ds, runs;
  int rc;
} usage_t;

static int64_t details_int(json_object *d, const char *key) {
  json_object *v = NULL;
  return d && json_object_object_get_ex(d, key, &v) ? json_object_get_int64(v) : 0;
}

static int put_dataset(usage_t *u, const cs_lineage_t *l, int64_t records, json_object *det) {
  char asof[CS_TIME_STR_MAX], created[CS_TIME_STR_MAX];
  cs_time_format(l->as_of, asof);
  cs_time_format(l->created_at, created);
  int64_t shards = details_int(det, "shards");
  cs_buf_t *b = &u->ds;
  int rc = cs_buf_puts(b, b->len ? ",{\"id\":" : "{\"id\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(b, l->id, strlen(l->id));
  if (rc == CS_OK) rc = cs_buf_puts(b, ",\"purpose\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(b, l->purpose ? l->purpose : "", l->purpose ? strlen(l->purpose) : 0);
  if (rc == CS_OK)
    rc = cs_buf_printf(b, ",\"as_of\":\"%s\",\"created\":\"%s\",\"records\":%lld,\"shard\":", asof,
                       created, (long long)records);
  if (rc == CS_OK && shards > 0) {
    int64_t val = details_int(det, "val_permille");
    int sh = cs_dataset_member_shard(u->member, strlen(u->member), (unsigned)shards,
                                     val > 0 && val <= 1000 ? (unsigned)val : 0);
    rc = sh < 0 ? cs_buf_puts(b, "\"val\"}") : cs_buf_printf(b, "%d}", sh);
  } else if (rc == CS_OK) {
    rc = cs_buf_puts(b, "null}");
  }
  return rc;
}

static int put_run(usage_t *u, const cs_lineage_t *l, int64_t records, json_object *det) {
  char created[CS_TIME_STR_MAX];
  cs_time_format(l->created_at, created);
  cs_buf_t *b = &u->runs;
  json_object *losses = NULL;
  long long steps = 0;
  int rc = cs_buf_puts(b, b->len ? ",{\"id\":" : "{\"id\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(b, l->id, strlen(l->id));
  if (rc == CS_OK) rc = cs_buf_puts(b, ",\"dataset\":");
  if (rc == CS_OK) rc = l->parent ? cs_buf_put_json_str(b, l->parent, strlen(l->parent)) : cs_buf_puts(b, "null");
  if (rc == CS_OK) rc = cs_buf_puts(b, ",\"shards\":[");
  if (det && json_object_object_get_ex(det, "losses", &losses) &&
      json_object_is_type(losses, json_type_array))
    for (size_t i = 0; rc == CS_OK && i < json_object_array_length(losses); i++) {
      json_object *e = json_object_array_get_idx(losses, i);
      rc = cs_buf_printf(b, "%s%lld", i ? "," : "", (long long)details_int(e, "shard"));
      steps += details_int(e, "steps");
    }
  if (rc == CS_OK)
    rc = cs_buf_printf(b, "],\"created\":\"%s\",\"steps\":%lld,\"records\":%lld}", created, steps,
                       (long long)records);
  return rc;
}

static int usage_entry(void *ctx, const cs_lineage_t *l, int64_t member_records) {
  usage_t *u = ctx;
  json_object *det = l->details ? json_tokener_parse(l->details) : NULL;
  int rc = strcmp(l->kind, "dataset") == 0 ? put_dataset(u, l, member_records, det)
                                           : put_run(u, l, member_records, det);
  json_object_put(det);
  return rc;
}

int cs__handle_usage(cs__req_t *req, const char *member) {
  usage_t u = {.member = member};
  cs_store_t *s = NULL;
  cs_diag_t d = {{0}};
  int rc = cs__req_reader(req, &s, &d);
  if (rc == CS_OK) rc = cs_store_each_member_lineage(s, member, usage_entry, &u, &d);
  cs_buf_t b = {0};
  if (rc == CS_OK) rc = cs_buf_puts(&b, "{\"member\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(&b, member, strlen(member));
  if (rc == CS_OK) rc = cs_buf_puts(&b, ",\"datasets\":[");
  if (rc == CS_OK && u.ds.len) rc = cs_buf_put(&b, u.ds.p, u.ds.len);
  if (rc == CS_OK) rc = cs_buf_puts(&b, "],\"runs\":[");
  if (rc == CS_OK && u.runs.len) rc = cs_buf_put(&b, u.runs.p, u.runs.len);
  if (rc == CS_OK) rc = cs_buf_puts(&b, "]}\n");
  cs_buf_free(&u.ds);
  cs_buf_free(&u.runs);
  if (rc < 0) return cs_buf_free(&b), cs__answer_diag(req, rc, &d);
  return cs__answer_json(req, 200, &b);
}

#define PROMPT_MAX 4000 /* bytes of an assist prompt */

int cs__handle_assist(cs__req_t *req) {
  cs_server_t *srv = req->srv;
  if (!srv->models)
    return cs__answer_error(req, 503, "the writing assistant is not available (no model loaded)");
  json_object *o = cs__body_object(req), *p = NULL, *mt = NULL;
  if (!o) return req->status;
  cs_gen_opts_t g = cs_gen_defaults();
  const char *prompt = json_object_object_get_ex(o, "prompt", &p) &&
                               json_object_is_type(p, json_type_string)
                           ? json_object_get_string(p)
                           : NULL;
  if (!prompt || !*prompt || strlen(prompt) > PROMPT_MAX) {
    json_object_put(o);
    return cs__answer_error(req, 400, "prompt: expected a non-empty string of at most %d bytes",
                            PROMPT_MAX);
  }
  if (json_object_object_get_ex(o, "max_tokens", &mt)) {
    int64_t n = json_object_get_int64(mt);
    if (!json_object_is_type(mt, json_type_int) || n < 1 || n > 200) {
      json_object_put(o);
      return cs__answer_error(req, 400, "max_tokens: expected a whole number from 1 to 200");
    }
    g.max_tokens = (size_t)n;
  }
  uint64_t seed;
  seed = (uint64_t)cs__mono_ns();
  g.seed = seed;
  cs_tok_bytes_t text = {0};
  size_t n = 0;
  cs_diag_t d = {{0}};
  pthread_mutex_lock(&srv->model_mu);
  int rc = cs_train_generate(srv->models, prompt, &g, &text, &n, &d);
  pthread_mutex_unlock(&srv->model_mu);
  json_object_put(o);
  cs_buf_t b = {0};
  if (rc == CS_OK) rc = cs_buf_puts(&b, "{\"text\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(&b, text.len ? (const char *)text.data : "", text.len);
  if (rc == CS_OK) rc = cs_buf_puts(&b, ",\"model\":");
  const char *name = strrchr(srv->model_dir, '/');
  name = name && name[1] ? name + 1 : srv->model_dir;
  if (rc == CS_OK) rc = cs_buf_put_json_str(&b, name, strlen(name));
  if (rc == CS_OK) rc = cs_buf_puts(&b, "}\n");
  cs_tok_bytes_free(&text);
  if (rc < 0) return cs_buf_free(&b), cs__answer_diag(req, rc, &d);
  return cs__answer_json(req, 200, &b);
}
