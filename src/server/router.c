/* router.c — method and path to a route.
 *
 * Paths are matched exactly (no trailing slash, no query: MHD passes the
 * path without its query string). /api/members/{id}/REST is the same route
 * as /api/me/REST with {id} captured; the caller checks {id} against the
 * signed-in member (403 otherwise). Anything outside /api/ and /metrics is
 * a page file when the embedded assets have it.
 */
#include <string.h>

#include "server/assets.h"
#include "server/server_int.h"

typedef struct {
  const char *path;    /* exact, or a prefix ending in '/' when param */
  bool param;          /* the rest of the path is {purpose} */
  const char *methods; /* space-separated */
  cs__route_id_t route;
} route_t;

static const route_t routes[] = {
    {"/api/session", false, "GET POST DELETE", R_SESSION},
    {"/api/me", false, "GET", R_ME},
    {"/api/me/settings/genai_training", false, "GET PUT", R_SETTING},
    {"/api/me/objections/", true, "POST DELETE", R_OBJECTION},
    {"/api/me/usage", false, "GET", R_USAGE},
    {"/api/assist", false, "POST", R_ASSIST},
    {"/api/admin/facts", false, "POST", R_ADM_FACTS},
    {"/api/admin/policies", false, "POST", R_ADM_POLICY},
    {"/api/admin/counts", false, "GET", R_ADM_COUNTS},
    {"/metrics", false, "GET", R_METRICS},
};

static const char *const names[R_COUNT_] = {
    [R_NONE] = "none",          [R_SESSION] = "session",       [R_ME] = "me",
    [R_SETTING] = "setting",    [R_OBJECTION] = "objection",   [R_USAGE] = "usage",
    [R_ASSIST] = "assist",      [R_ADM_FACTS] = "admin_facts", [R_ADM_POLICY] = "admin_policies",
    [R_ADM_COUNTS] = "admin_counts", [R_METRICS] = "metrics",  [R_ASSET] = "asset",
};

const char *cs__route_name(cs__route_id_t r) {
  return r >= 0 && r < R_COUNT_ ? names[r] : "none";
}

bool cs__method_changes(const char *method) {
  return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static bool method_in(const char *method, const char *list) {
  size_t n = strlen(method);
  for (const char *p = list; *p;) {
    const char *e = strchr(p, ' ');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && memcmp(p, method, n) == 0) return true;
    if (!e) break;
    p = e + 1;
  }
  return false;
}

/* Path segment chars allowed in {purpose} and {id}. */
static bool seg_ok(const char *s, size_t n) {
  if (n == 0 || n >= CS__MEMBER_MAX) return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '/' || (unsigned char)s[i] < 0x21) return false;
  return true;
}

/* Matches path (the /api/me form) against the table. */
static int match_table(const char *method, const char *path, cs__match_t *m) {
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
    const route_t *r = &routes[i];
    size_t n = strlen(r->path);
    if (r->param) {
      if (strncmp(path, r->path, n) != 0 || !seg_ok(path + n, strlen(path + n))) continue;
      m->param = path + n;
      m->param_len = strlen(path + n);
    } else if (strcmp(path, r->path) != 0) {
      continue;
    }
    if (!method_in(method, r->methods)) return 405;
    m->route = r->route;
    return 0;
  }
  return 404;
}

int cs__route(const char *method, const char *url, cs__match_t *m) {
  static const char members[] = "/api/members/";
  memset(m, 0, sizeof *m);
  if (strncmp(url, members, sizeof members - 1) == 0) {
    const char *id = url + sizeof members - 1, *rest = strchr(id, '/');
    size_t id_len = rest ? (size_t)(rest - id) : strlen(id);
    if (!seg_ok(id, id_len)) return 404;
    char path[512];
    int n = snprintf(path, sizeof path, "/api/me%s", rest ? rest : "");
    if (n < 0 || (size_t)n >= sizeof path) return 404;
    int rc = match_table(method, path, m);
    if (rc != 0) return rc;
    if (m->route < R_ME || m->route > R_USAGE) return memset(m, 0, sizeof *m), 404;
    if (m->param) m->param = rest + (m->param - (path + 7)); /* same offset in url */
    m->member = id;
    m->member_len = id_len;
    return 0;
  }
  int rc = match_table(method, url, m);
  if (rc != 404 || strncmp(url, "/api/", 5) == 0) return rc;
  if (!cs__web_asset_find(url)) return 404;
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) return 405;
  m->route = R_ASSET;
  return 0;
}
