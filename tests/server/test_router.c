/* test_router.c — method + path to route: exact paths, {purpose},
 * /api/members/{id} as /api/me, 404 vs 405, page files. */
#include "check.h"
#include "server/server_int.h"

static void test_exact_routes_and_methods(void) {
  cs__match_t m;
  CHECK_INT(cs__route("GET", "/api/me", &m), 0);
  CHECK_INT(m.route, R_ME);
  CHECK(m.member == NULL);
  CHECK_INT(cs__route("PUT", "/api/me/settings/genai_training", &m), 0);
  CHECK_INT(m.route, R_SETTING);
  CHECK_INT(cs__route("GET", "/api/me/settings/genai_training", &m), 0);
  CHECK_INT(cs__route("POST", "/api/me/settings/genai_training", &m), 405);
  CHECK_INT(cs__route("DELETE", "/api/me", &m), 405);
  CHECK_INT(cs__route("GET", "/api/me/", &m), 404);
  CHECK_INT(cs__route("GET", "/api/mex", &m), 404);
  CHECK_INT(cs__route("GET", "/api/admin/counts", &m), 0);
  CHECK_INT(m.route, R_ADM_COUNTS);
  CHECK_INT(cs__route("GET", "/metrics", &m), 0);
  CHECK_INT(m.route, R_METRICS);
  CHECK_INT(cs__route("POST", "/api/session", &m), 0);
  CHECK_INT(cs__route("GET", "/api/session", &m), 0);
  CHECK_INT(cs__route("PUT", "/api/session", &m), 405);
}

static void test_purpose_parameter(void) {
  cs__match_t m;
  CHECK_INT(cs__route("POST", "/api/me/objections/moderation", &m), 0);
  CHECK_INT(m.route, R_OBJECTION);
  CHECK_INT(m.param_len, 10);
  CHECK(m.param && memcmp(m.param, "moderation", 10) == 0);
  CHECK_INT(cs__route("DELETE", "/api/me/objections/x", &m), 0);
  CHECK_INT(cs__route("GET", "/api/me/objections/x", &m), 405);
  CHECK_INT(cs__route("POST", "/api/me/objections/", &m), 404);
  CHECK_INT(cs__route("POST", "/api/me/objections/a/b", &m), 404);
}

static void test_members_path_names_the_member(void) {
  cs__match_t m;
  CHECK_INT(cs__route("GET", "/api/members/u42/usage", &m), 0);
  CHECK_INT(m.route, R_USAGE);
  CHECK_INT(m.member_len, 3);
  CHECK(m.member && memcmp(m.member, "u42", 3) == 0);
  CHECK_INT(cs__route("GET", "/api/members/u42", &m), 0);
  CHECK_INT(m.route, R_ME);
  const char *url = "/api/members/u7/objections/personalization";
  CHECK_INT(cs__route("POST", url, &m), 0);
  CHECK_INT(m.route, R_OBJECTION);
  CHECK(m.param == url + strlen("/api/members/u7/objections/"));
  CHECK_INT(m.param_len, strlen("personalization"));
  CHECK_INT(cs__route("GET", "/api/members//usage", &m), 404);
  CHECK_INT(cs__route("POST", "/api/members/u1/assist", &m), 404); /* only /api/me routes */
  CHECK_INT(cs__route("GET", "/api/members/u1/nothing", &m), 404);
}

static void test_page_files_and_unknown_paths(void) {
  cs__match_t m;
  CHECK_INT(cs__route("GET", "/", &m), 0);
  CHECK_INT(m.route, R_ASSET);
  CHECK_INT(cs__route("POST", "/", &m), 405);
  CHECK_INT(cs__route("GET", "/no-such-file.js", &m), 404);
  CHECK_INT(cs__route("GET", "/api/index.html", &m), 404);
  CHECK(cs__method_changes("PUT") && cs__method_changes("POST") && cs__method_changes("DELETE"));
  CHECK(!cs__method_changes("GET"));
}

RUN_TESTS(test_exact_routes_and_methods, test_purpose_parameter,
          test_members_path_names_the_member, test_page_files_and_unknown_paths)
