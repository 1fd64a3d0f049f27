/* metrics.c — counters for GET /metrics, in Prometheus text format 0.0.4.
 *
 * Everything is a relaxed atomic counter bumped by the request and writer
 * threads; a scrape reads them without a lock, so one scrape may see a
 * request counted in one family and not yet in another. No label holds
 * personal data: routes are names from the router, not paths.
 */
#include "server/server_int.h"

static const int statuses[CS__N_STATUS] = {200, 400, 401, 403, 404, 405,
                                           409, 413, 429, 500, 503, 0};
static const double lat_le[CS__N_LAT - 1] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,   0.25,   1,     5};
static const double batch_le[CS__N_BATCH - 1] = {1, 2, 4, 8, 16, 32, 64, 128, 256};

#define BUMP(x, n) atomic_fetch_add_explicit(&(x), (n), memory_order_relaxed)
#define READ(x) ((unsigned long long)atomic_load_explicit(&(x), memory_order_relaxed))

void cs__metrics_request(cs__metrics_t *m, cs__route_id_t r, int status, double seconds) {
  size_t si = CS__N_STATUS - 1; /* "other" */
  for (size_t i = 0; i + 1 < CS__N_STATUS; i++)
    if (statuses[i] == status) si = i;
  BUMP(m->requests[r][si], 1);
  size_t li = CS__N_LAT - 1;
  for (size_t i = 0; i + 1 < CS__N_LAT; i++)
    if (seconds <= lat_le[i]) { li = i; break; }
  BUMP(m->latency[li], 1);
  BUMP(m->latency_sum_us, (uint_fast64_t)(seconds * 1e6));
  if (status == 429) BUMP(m->rate_limited, 1);
}

void cs__metrics_batch(cs__metrics_t *m, size_t n) {
  BUMP(m->batches, 1);
  BUMP(m->batch_changes, n);
  size_t bi = CS__N_BATCH - 1;
  for (size_t i = 0; i + 1 < CS__N_BATCH; i++)
    if ((double)n <= batch_le[i]) { bi = i; break; }
  BUMP(m->batch_size[bi], 1);
}

static int requests(cs__metrics_t *m, cs_buf_t *out) {
  int rc = cs_buf_puts(out, "# HELP consentry_http_requests_total HTTP requests by route and status.\n"
                            "# TYPE consentry_http_requests_total counter\n");
  for (int r = 0; rc == CS_OK && r < R_COUNT_; r++)
    for (size_t s = 0; rc == CS_OK && s < CS__N_STATUS; s++) {
      unsigned long long v = READ(m->requests[r][s]);
      if (!v) continue;
      char st[8];
      snprintf(st, sizeof st, "%d", statuses[s]);
      rc = cs_buf_printf(out, "consentry_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
                         cs__route_name((cs__route_id_t)r), statuses[s] ? st : "other", v);
    }
  return rc;
}

/* A histogram family from per-bucket counts. */
static int histogram(cs_buf_t *out, const char *name, const char *help, const double *le,
                     atomic_uint_fast64_t *bucket, size_t n, double sum) {
  int rc = cs_buf_printf(out, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
  unsigned long long cum = 0;
  for (size_t i = 0; rc == CS_OK && i < n; i++) {
    cum += READ(bucket[i]);
    if (i + 1 < n)
      rc = cs_buf_printf(out, "%s_bucket{le=\"%g\"} %llu\n", name, le[i], cum);
    else
      rc = cs_buf_printf(out, "%s_bucket{le=\"+Inf\"} %llu\n", name, cum);
  }
  if (rc == CS_OK) rc = cs_buf_printf(out, "%s_sum %.6f\n%s_count %llu\n", name, sum, name, cum);
  return rc;
}

int cs__metrics_write(cs__metrics_t *m, size_t sessions, int64_t members, cs_buf_t *out) {
  int rc = requests(m, out);
  if (rc == CS_OK)
    rc = histogram(out, "consentry_http_request_duration_seconds",
                   "Time from a request's first byte to its answer.", lat_le, m->latency,
                   CS__N_LAT, (double)READ(m->latency_sum_us) / 1e6);
  if (rc == CS_OK)
    rc = histogram(out, "consentry_commit_batch_size",
                   "Changes committed per group-commit transaction.", batch_le, m->batch_size,
                   CS__N_BATCH, (double)READ(m->batch_changes));
  if (rc == CS_OK)
    rc = cs_buf_printf(out,
                       "# HELP consentry_rate_limited_total Requests refused by the rate limit.\n"
                       "# TYPE consentry_rate_limited_total counter\n"
                       "consentry_rate_limited_total %llu\n"
                       "# HELP consentry_wal_checkpoints_total Log checkpoints beside the writer, "
                       "by outcome.\n"
                       "# TYPE consentry_wal_checkpoints_total counter\n"
                       "consentry_wal_checkpoints_total{outcome=\"ok\"} %llu\n"
                       "consentry_wal_checkpoints_total{outcome=\"error\"} %llu\n"
                       "# HELP consentry_sessions Page sessions held in memory.\n"
                       "# TYPE consentry_sessions gauge\nconsentry_sessions %zu\n"
                       "# HELP consentry_members Members in the ledger.\n"
                       "# TYPE consentry_members gauge\nconsentry_members %lld\n",
                       READ(m->rate_limited), READ(m->checkpoints), READ(m->checkpoint_errors),
                       sessions, (long long)members);
  return rc;
}
