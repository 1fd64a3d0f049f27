/* demo_data.c — a dozen-country network whose records exercise every rule.
 *
 * Each member's story is told by a comment beside their facts, so the demo's
 * table can be checked by reading this file. */
#include "cli/demo_data.h"

static const char *const facts[] = {
    /* The policy that discloses all three purposes, with 31 days' notice. */
    "{\"type\":\"policy\",\"version\":\"2024-01\",\"purposes\":[\"genai_training\","
    "\"personalization\",\"moderation\"],\"published_at\":\"2024-01-01T00:00:00Z\","
    "\"effective_at\":\"2024-02-01T00:00:00Z\"}",
    /* EU, EEA and Switzerland: never used for genai_training. */
    "{\"type\":\"member\",\"id\":\"m01\",\"name\":\"Anna Schmidt\",\"handle\":\"annas\","
    "\"email\":\"anna.schmidt@example.de\",\"country\":\"DE\",\"birth_date\":\"1985-04-12\","
    "\"joined_at\":\"2023-01-10T09:00:00+01:00\"}",
    "{\"type\":\"member\",\"id\":\"m02\",\"name\":\"Luc Martin\",\"handle\":\"lucm\","
    "\"email\":\"luc@example.fr\",\"country\":\"FR\",\"joined_at\":\"2023-02-01T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m03\",\"name\":\"Siobhan Byrne\",\"handle\":\"sbyrne\","
    "\"email\":\"siobhan@example.ie\",\"country\":\"IE\",\"joined_at\":\"2023-03-01T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m04\",\"name\":\"Sanne de Vries\",\"handle\":\"sanne\","
    "\"email\":\"sanne@example.nl\",\"country\":\"NL\",\"joined_at\":\"2023-03-05T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m05\",\"name\":\"Lukas Meier\",\"handle\":\"lmeier\","
    "\"email\":\"lukas@example.ch\",\"country\":\"CH\",\"joined_at\":\"2023-04-01T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m06\",\"name\":\"Ingrid Hansen\",\"handle\":\"ingridh\","
    "\"email\":\"ingrid@example.no\",\"country\":\"NO\",\"joined_at\":\"2023-04-02T10:00:00Z\"}",
    /* Opt-out jurisdictions: used unless the member says no. */
    "{\"type\":\"member\",\"id\":\"m07\",\"name\":\"Maya Johnson\",\"handle\":\"mayaj\","
    "\"email\":\"maya@example.com\",\"country\":\"US\",\"joined_at\":\"2023-01-15T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m08\",\"name\":\"Oliver Smith\",\"handle\":\"olis\","
    "\"email\":\"oliver@example.co.uk\",\"country\":\"GB\",\"joined_at\":\"2023-01-20T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m09\",\"name\":\"Priya Sharma\",\"handle\":\"priyas\","
    "\"email\":\"priya@example.in\",\"country\":\"IN\",\"joined_at\":\"2023-02-11T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m10\",\"name\":\"Chinedu Okafor\",\"handle\":\"chinedu\","
    "\"email\":\"chinedu@example.ng\",\"country\":\"NG\",\"joined_at\":\"2023-02-12T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m11\",\"name\":\"Ana Souza\",\"handle\":\"anasouza\","
    "\"email\":\"ana@example.com.br\",\"country\":\"BR\",\"joined_at\":\"2023-02-13T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m12\",\"name\":\"Liam Tremblay\",\"handle\":\"liamt\","
    "\"email\":\"liam@example.ca\",\"country\":\"CA\",\"joined_at\":\"2023-02-14T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m13\",\"name\":\"Yuki Tanaka\",\"handle\":\"yukit\","
    "\"email\":\"yuki@example.jp\",\"country\":\"JP\",\"birth_date\":\"2007-05-20\","
    "\"joined_at\":\"2023-06-01T10:00:00Z\"}",
    "{\"type\":\"member\",\"id\":\"m14\",\"name\":\"Sipho Dlamini\",\"handle\":\"siphod\","
    "\"email\":\"sipho@example.co.za\",\"country\":\"ZA\",\"joined_at\":\"2023-03-01T10:00:00Z\"}",
    /* Maya turns "Use my data for training content creation AI models" off. */
    "{\"type\":\"setting\",\"id\":\"f1\",\"member\":\"m07\",\"setting\":\"genai_training\","
    "\"value\":false,\"at\":\"2024-03-01T12:00:00Z\"}",
    /* Chinedu turns it off, then back on. */
    "{\"type\":\"setting\",\"id\":\"f2\",\"member\":\"m10\",\"setting\":\"genai_training\","
    "\"value\":false,\"at\":\"2024-03-02T12:00:00Z\"}",
    "{\"type\":\"setting\",\"id\":\"f3\",\"member\":\"m10\",\"setting\":\"genai_training\","
    "\"value\":true,\"at\":\"2024-04-02T12:00:00Z\"}",
    /* Anna (Germany) flips the switch: recorded, without effect while she lives there. */
    "{\"type\":\"setting\",\"id\":\"f4\",\"member\":\"m01\",\"setting\":\"genai_training\","
    "\"value\":true,\"at\":\"2024-03-03T12:00:00Z\"}",
    /* Priya objects to personalization (not to genai_training). */
    "{\"type\":\"objection\",\"id\":\"f5\",\"member\":\"m09\",\"purpose\":\"personalization\","
    "\"at\":\"2024-05-01T08:00:00Z\"}",
    /* Liam files the objection form against genai_training itself. */
    "{\"type\":\"objection\",\"id\":\"f6\",\"member\":\"m12\",\"purpose\":\"genai_training\","
    "\"at\":\"2024-05-02T08:00:00Z\"}",
    /* Oliver moves from the UK to Germany: none of his records may be used now. */
    "{\"type\":\"location\",\"id\":\"f7\",\"member\":\"m08\",\"country\":\"DE\","
    "\"at\":\"2024-07-01T00:00:00Z\"}",
    /* Luc moves from France to the US: only what he wrote after the move counts. */
    "{\"type\":\"location\",\"id\":\"f8\",\"member\":\"m02\",\"country\":\"US\","
    "\"at\":\"2024-04-01T00:00:00Z\"}",
    /* Ana deletes one of her posts; Sipho closes his account. */
    "{\"type\":\"content_deleted\",\"id\":\"r112\",\"member\":\"m11\","
    "\"at\":\"2024-06-01T00:00:00Z\"}",
    "{\"type\":\"account_closed\",\"id\":\"f9\",\"member\":\"m14\",\"at\":\"2024-08-01T00:00:00Z\"}",
};

typedef struct {
  const char *id, *member, *kind, *created_at, *visibility, *text;
} demo_record_t;

static const demo_record_t records[] = {
    {"r011", "m01", "post", "2024-03-10T09:00:00Z", "public", "Excited to announce our new Berlin office!"},
    {"r012", "m01", "comment", "2024-03-11T09:00:00Z", "public", "Congratulations to the whole team."},
    {"r021", "m02", "post", "2024-02-10T09:00:00Z", "public", "Je suis ravi de rejoindre l'equipe a Lyon."},
    {"r022", "m02", "post", "2024-05-10T09:00:00Z", "public", "First week in Austin: lessons learned about remote onboarding."},
    {"r031", "m03", "article", "2024-03-12T09:00:00Z", "public", "Five things I learned running a hackathon in Dublin."},
    {"r041", "m04", "post", "2024-03-13T09:00:00Z", "connections", "We are hiring two backend engineers in Utrecht."},
    {"r051", "m05", "post", "2024-03-14T09:00:00Z", "public", "Grateful for my mentors in Zurich."},
    {"r061", "m06", "comment", "2024-03-15T09:00:00Z", "public", "Great talk at the Oslo meetup yesterday."},
    {"r071", "m07", "post", "2024-02-20T09:00:00Z", "public", "Excited to announce I have joined Acme as a data engineer."},
    {"r072", "m07", "article", "2024-06-20T09:00:00Z", "public", "What a year of on-call taught me."},
    {"r081", "m08", "post", "2024-03-20T09:00:00Z", "public", "Thrilled to share that our team won the award."},
    {"r082", "m08", "profile", "2024-03-21T09:00:00Z", "public", "Product manager, London. Ex-startup founder."},
    {"r091", "m09", "post", "2024-03-22T09:00:00Z", "public", "Excited to announce the launch of our fintech app in Pune."},
    {"r092", "m09", "message", "2024-03-23T09:00:00Z", "private", "Hi, are you free for a call tomorrow?"},
    {"r093", "m09", "article", "2024-04-22T09:00:00Z", "connections", "A practical guide to hiring your first designer."},
    {"r101", "m10", "post", "2024-03-24T09:00:00Z", "public", "Lagos tech week was incredible, thank you all."},
    {"r102", "m10", "comment", "2024-04-24T09:00:00Z", "public", "Couldn't agree more with this."},
    {"r111", "m11", "post", "2024-03-25T09:00:00Z", "public", "Happy to share that I have started a new position."},
    {"r112", "m11", "post", "2024-03-26T09:00:00Z", "public", "A post I later deleted."},
    {"r113", "m11", "post", "2024-03-27T09:00:00Z", "private", "Notes to self about the quarterly plan."},
    {"r121", "m12", "post", "2024-03-28T09:00:00Z", "public", "Excited to announce our Series A."},
    {"r131", "m13", "post", "2024-03-29T09:00:00Z", "public", "My first internship starts today!"},
    {"r132", "m13", "post", "2024-08-29T09:00:00Z", "public", "Back to school after a great summer internship."},
    {"r141", "m14", "post", "2024-03-30T09:00:00Z", "public", "Cape Town founders, let's meet up."},
    {"r991", "m99", "post", "2024-03-30T09:00:00Z", "public", "A record whose author the ledger does not know."},
    {"r072b", "m07", "feedback", "2024-07-01T09:00:00Z", "private", "The feed is too noisy."},
    {"r121b", "m12", "post", "2024-10-01T09:00:00Z", "public", "Written after the build's as-of time."},
};

int cs_demo_write_facts(FILE *f) {
  for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) fprintf(f, "%s\n", facts[i]);
  return ferror(f) ? -1 : 0;
}

int cs_demo_write_content(FILE *f) {
  for (size_t i = 0; i < sizeof records / sizeof records[0]; i++) {
    const demo_record_t *r = &records[i];
    fprintf(f,
            "{\"id\":\"%s\",\"member\":\"%s\",\"kind\":\"%s\",\"created_at\":\"%s\","
            "\"visibility\":\"%s\",\"text\":\"%s\"}\n",
            r->id, r->member, r->kind, r->created_at, r->visibility, r->text);
  }
  return ferror(f) ? -1 : 0;
}
