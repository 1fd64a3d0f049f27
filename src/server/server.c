/* server.c — starting and stopping `consentry serve`.
 *
 * Start order: copy the options, find the genai_training purpose and its
 * setting in the config, open (and migrate) the ledger once so that a bad
 * path fails here and not at the first request, load the model, start the
 * writer, then listen. Stop runs it backwards, except that the writer stops
 * before the listener: it drains its queue first (every queued change is
 * committed and answered), which resumes every suspended connection, as
 * MHD requires before MHD_stop_daemon.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "server/server_int.h"

cs_server_opts_t cs_server_defaults(void) {
  return (cs_server_opts_t){.bind = "127.0.0.1", .port = 8080, .rate = 20, .burst = 40,
                            .threads = 2, .body_max = 64 * 1024, .facts_max = 8u << 20,
                            .session_ttl_s = 12 * 3600};
}

static char *dup_opt(const char *s, bool *ok) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) *ok = false;
  return d;
}

static int find_genai(cs_server_t *srv, cs_diag_t *diag) {
  const cs_config_t *cfg = srv->cfg;
  if (cs_config_purpose(cfg, "genai_training", &srv->genai) < 0 ||
      cfg->purposes[srv->genai].setting < 0)
    return cs_diag_set(diag, CS_EINVAL,
                       "config: the server needs the genai_training purpose with its setting");
  srv->genai_setting = (size_t)cfg->purposes[srv->genai].setting;
  return CS_OK;
}

static int copy_opts(cs_server_t *srv, const cs_server_opts_t *o, cs_diag_t *diag) {
  bool ok = true;
  srv->o = *o;
  srv->db = dup_opt(o->db, &ok);
  srv->bind = dup_opt(o->bind ? o->bind : "127.0.0.1", &ok);
  srv->model_dir = dup_opt(o->model_dir, &ok);
  if (!ok) return cs_diag_set(diag, CS_ENOMEM, "serve: out of memory");
  srv->o.db = srv->db;
  srv->o.bind = srv->bind;
  srv->o.model_dir = srv->model_dir;
  srv->o.admin_key = NULL; /* only its hash is kept */
  if (o->admin_key && *o->admin_key) {
    cs_token_hash(o->admin_key, strlen(o->admin_key), srv->admin_hash);
    srv->admin_on = true;
  }
  if (srv->o.threads < 1) srv->o.threads = 1;
  if (!srv->db) return cs_diag_set(diag, CS_EINVAL, "serve: expected a ledger path");
  return CS_OK;
}

static int check_ledger(cs_server_t *srv, cs_diag_t *diag) {
  cs_store_t *s = NULL;
  int rc = cs_store_open(srv->db, &s, diag);
  if (rc == CS_OK) cs__reader_put(srv, s);
  return rc;
}

int cs_server_start(const cs_server_opts_t *opts, const cs_config_t *cfg, cs_server_t **out,
                    cs_diag_t *diag) {
  if (!opts || !cfg || !out) return cs_diag_set(diag, CS_EINVAL, "serve: missing argument");
  if (sodium_init() < 0) return cs_diag_set(diag, CS_EINTERNAL, "serve: libsodium init failed");
  cs_server_t *srv = calloc(1, sizeof *srv);
  if (!srv) return cs_diag_set(diag, CS_ENOMEM, "serve: out of memory");
  pthread_mutex_init(&srv->readers_mu, NULL);
  pthread_mutex_init(&srv->model_mu, NULL);
  srv->cfg = cfg;
  int rc = copy_opts(srv, opts, diag);
  if (rc == CS_OK) rc = find_genai(srv, diag);
  if (rc == CS_OK && cs__ratelimit_new(srv->o.rate, srv->o.burst, &srv->rl) < 0)
    rc = cs_diag_set(diag, CS_ENOMEM, "serve: out of memory");
  if (rc == CS_OK && cs__sessions_new(srv->o.session_ttl_s, &srv->sessions) < 0)
    rc = cs_diag_set(diag, CS_ENOMEM, "serve: out of memory");
  if (rc == CS_OK) rc = check_ledger(srv, diag);
  if (rc == CS_OK && srv->model_dir)
    rc = cs_train_models_load(srv->model_dir, NULL, 0, &srv->models, diag);
  if (rc == CS_OK) rc = cs__writer_start(srv, &srv->writer, diag);
  if (rc == CS_OK) rc = cs__http_start(srv, diag);
  if (rc < 0) {
    cs_server_stop(srv);
    return rc;
  }
  *out = srv;
  return CS_OK;
}

uint16_t cs_server_port(const cs_server_t *srv) { return srv ? srv->port : 0; }

void cs_server_stop(cs_server_t *srv) {
  if (!srv) return;
  cs__writer_stop(srv->writer); /* drains: every suspended request is resumed */
  if (srv->mhd) MHD_stop_daemon(srv->mhd);
  for (size_t i = 0; i < srv->n_readers; i++) cs_store_close(srv->readers[i]);
  free(srv->readers);
  cs_train_models_free(srv->models);
  cs__sessions_free(srv->sessions);
  cs__ratelimit_free(srv->rl);
  pthread_mutex_destroy(&srv->model_mu);
  pthread_mutex_destroy(&srv->readers_mu);
  free(srv->db);
  free(srv->bind);
  free(srv->model_dir);
  sodium_memzero(srv->admin_hash, sizeof srv->admin_hash);
  free(srv);
}
