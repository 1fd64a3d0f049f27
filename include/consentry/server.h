/* server.h — `consentry serve`: the member API and page over HTTP.
 *
 * A cs_server_t is a running libmicrohttpd daemon (a small thread pool) with
 * one writer thread that group-commits members' changes to the ledger, a pool
 * of read-only ledger connections for the handlers, in-memory sessions and a
 * per-token rate limiter. The routes and JSON shapes are docs/API.md.
 *
 * Memory: the options are copied at start (strings included); cfg is
 * borrowed and must outlive the server. cs_server_stop frees everything.
 *
 * Thread safety: start and stop from one thread; the server's own threads
 * share nothing with the caller after start returns.
 *
 * Tokens: cs_member_token_issue makes 32 random bytes, returns them base64url
 * encoded (43 characters) and stores only their SHA-256 in the ledger.
 */
#ifndef CONSENTRY_SERVER_H
#define CONSENTRY_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>
#include <consentry/policy.h>
#include <consentry/store.h>

#define CS_TOKEN_STR_MAX 64 /* a token's text form, NUL included */

typedef struct {
  const char *db;        /* ledger path */
  const char *bind;      /* address to listen on; default 127.0.0.1 */
  uint16_t port;         /* 0: any free port (see cs_server_port) */
  const char *model_dir; /* a training run for POST /api/assist; NULL: 503 */
  const char *admin_key; /* NULL: admin routes answer 403 */
  double rate;           /* requests per second per token; 0: no limit */
  double burst;          /* bucket size */
  unsigned threads;      /* HTTP worker threads */
  size_t body_max;       /* request body cap (413 above) */
  size_t facts_max;      /* ... for POST /api/admin/facts */
  double session_ttl_s;  /* session lifetime */
} cs_server_opts_t;

/* bind 127.0.0.1, port 8080, rate 20/s burst 40, 2 threads, 64 KiB bodies,
 * 8 MiB fact uploads, sessions 12 h. */
cs_server_opts_t cs_server_defaults(void);

typedef struct cs_server cs_server_t;

/* Opens the ledger (migrating it), loads the model if any and starts
 * listening. CS_EIO when the port cannot be bound. */
CS_MUST_USE int cs_server_start(const cs_server_opts_t *opts, const cs_config_t *cfg,
                                cs_server_t **out, cs_diag_t *diag);
/* The port actually listened on. */
uint16_t cs_server_port(const cs_server_t *srv);
/* Finishes every queued change (each is committed and answered), stops
 * listening, joins the threads and frees the server. NULL is fine. */
void cs_server_stop(cs_server_t *srv);

/* SHA-256 of a token's text form. */
void cs_token_hash(const char *token, size_t len, uint8_t out[32]);
/* Issues a token for a known member in the caller's transaction; the text
 * form goes to out (CS_TOKEN_STR_MAX bytes). CS_ENOTFOUND for an unknown
 * member. */
CS_MUST_USE int cs_member_token_issue(cs_store_t *s, const char *member, char *out,
                                      cs_diag_t *diag);

#endif
