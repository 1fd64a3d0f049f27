/* readers.c — a pool of ledger connections for the request threads.
 *
 * Each request borrows one for the reads it makes and gives it back; the
 * pool grows to the number of requests reading at once (about the HTTP
 * thread count) and never shrinks until stop. SQLite in WAL mode lets these
 * read while the writer commits. They are ordinary store connections: the
 * handlers only read through them. A request's reads share one read
 * transaction (one snapshot, one lock), taken at its first read and ended
 * when it is answered or queued for the writer.
 */
#include <stdlib.h>

#include "server/server_int.h"

int cs__req_reader(cs__req_t *req, cs_store_t **out, cs_diag_t *diag) {
  if (req->rd) return *out = req->rd, CS_OK;
  cs_store_t *s = NULL;
  int rc = cs__reader_get(req->srv, &s, diag);
  if (rc == CS_OK) rc = cs_store_read_begin(s, diag);
  if (rc < 0) {
    cs__reader_put(req->srv, s);
    return rc;
  }
  *out = req->rd = s;
  return CS_OK;
}

void cs__req_reader_done(cs__req_t *req) {
  if (!req->rd) return;
  cs_store_read_end(req->rd);
  cs__reader_put(req->srv, req->rd);
  req->rd = NULL;
}

int cs__reader_get(cs_server_t *srv, cs_store_t **out, cs_diag_t *diag) {
  pthread_mutex_lock(&srv->readers_mu);
  cs_store_t *s = srv->n_readers ? srv->readers[--srv->n_readers] : NULL;
  pthread_mutex_unlock(&srv->readers_mu);
  if (s) return *out = s, CS_OK;
  return cs_store_open(srv->db, out, diag);
}

void cs__reader_put(cs_server_t *srv, cs_store_t *s) {
  if (!s) return;
  pthread_mutex_lock(&srv->readers_mu);
  if (srv->n_readers == srv->cap_readers) {
    size_t cap = srv->cap_readers ? srv->cap_readers * 2 : 8;
    cs_store_t **v = realloc(srv->readers, cap * sizeof *v);
    if (v) srv->readers = v, srv->cap_readers = cap;
  }
  bool kept = srv->n_readers < srv->cap_readers;
  if (kept) srv->readers[srv->n_readers++] = s;
  pthread_mutex_unlock(&srv->readers_mu);
  if (!kept) cs_store_close(s);
}
