/* text.c — expands templates into a record's text and shapes each kind.
 *
 * A tag is named by its first two letters (the table in templates.c keeps
 * them unique), so expansion is a strchr and a switch per tag: no string
 * compares in the hot loop. Lengths follow the kinds: posts ~200-1500 bytes,
 * articles ~2000-6000 in paragraphs, comments and prompts short.
 */
#include "synth/templates.h"

#include <string.h>

/* ---- Filler words (never labelled, never personal) ----------------------- */

static const char *const roles[] = {
    "software engineer", "product manager", "data scientist", "UX designer",
    "engineering manager", "site reliability engineer", "marketing lead", "recruiter",
    "backend developer", "ML engineer", "security analyst", "customer success manager",
    "technical writer", "finance analyst", "head of operations", "staff engineer"};
static const char *const teams[] = {"platform", "data", "growth", "payments", "infrastructure",
                                    "design", "mobile", "trust and safety", "search",
                                    "developer experience"};
static const char *const skills[] = {"Rust", "Python", "Kubernetes", "SQL", "TypeScript",
                                     "Go", "system design", "stakeholder management",
                                     "public speaking", "data visualisation", "C++",
                                     "Terraform", "negotiation"};
static const char *const topics[] = {"distributed systems", "privacy engineering", "remote work",
                                     "career changes", "mentoring", "accessibility",
                                     "observability", "pricing strategy", "hiring",
                                     "technical debt", "climate tech", "open source"};
static const char *const products[] = {"the new onboarding flow", "our analytics dashboard",
                                       "the mobile app", "the billing API",
                                       "the search redesign", "our CLI",
                                       "the recommendations engine"};
static const char *const events[] = {"a panel on responsible AI", "our quarterly hackathon",
                                     "a meetup on observability", "the annual developer summit",
                                     "a workshop on inclusive hiring",
                                     "a fireside chat with our CTO"};
static const char *const smiles[] = {"🎉", "🚀", "🙏", "💡", "👏", "😊", "✨", "📈", "🙌",
                                     "👩‍💻", "❤️", ":)"};
static const char *const goods[] = {"incredible", "thoughtful", "brilliant", "patient",
                                    "generous", "sharp", "humble", "kind"};
static const char *const stacks[] = {"Postgres", "Kafka", "React", "Airflow", "dbt", "Spark",
                                     "Redis", "ClickHouse"};
static const char *const hashes[] = {"#hiring", "#opentowork", "#leadership", "#engineering",
                                     "#datascience", "#privacy", "#AI", "#careers",
                                     "#teamwork", "#growth", "#remote", "#startups"};
static const char *const lessons[] = {
    "ship small and ship often", "write the design doc before the code",
    "the first version is for learning", "ask for feedback early",
    "measure before you optimise", "default to transparency",
    "protect your team's focus time", "say no more often than yes"};

/* ---- Names of members ----------------------------------------------------- */

/* A member's name as people write it: exact most of the time, sometimes all
 * lower or upper case, or an @handle mention (the '@' is part of the span). */
static void member_mention(cs__gen_t *g) {
  const cs__people_t *p = g->people;
  if (p->n == 0) {
    cs__pii_person(g->t, g->r, false);
    return;
  }
  uint64_t i = cs__rng_below(g->r, (uint32_t)p->n);
  const cs__member_t *m = &p->m[i];
  size_t start = g->t->len;
  uint32_t v = cs__rng_below(g->r, 20);
  if (v < 12) {
    cs__tx_member_name(g->t, m);
  } else if (v < 16) {
    cs__tx_put(g->t, "@", 1);
    cs__tx_member_handle(g->t, m, i);
  } else {
    bool upper = v >= 18;
    cs__tx_case(g->t, cs__first_names[m->first].s, upper);
    cs__tx_put(g->t, " ", 1);
    cs__tx_case(g->t, cs__last_names[m->last].s, upper);
  }
  cs__tx_label(g->t, CS_LABEL_PERSON, start);
}

static void self_name(cs__gen_t *g) {
  if (g->author >= g->people->n) {
    cs__pii_person(g->t, g->r, false);
    return;
  }
  size_t start = g->t->len;
  cs__tx_member_name(g->t, &g->people->m[g->author]);
  cs__tx_label(g->t, CS_LABEL_PERSON, start);
}

static void self_mail(cs__gen_t *g) {
  if (g->author >= g->people->n) {
    cs__pii_email(g->t, g->r);
    return;
  }
  size_t start = g->t->len;
  cs__tx_member_email(g->t, &g->people->m[g->author], g->author);
  cs__tx_label(g->t, CS_LABEL_EMAIL, start);
}

/* ---- Expansion ------------------------------------------------------------ */

#define K(a, b) (((unsigned)(a) << 8) | (unsigned)(b))

/* Plants personal data; false if the tag is not one of these. */
static bool tag_pii(cs__gen_t *g, unsigned key) {
  cs__text_t *t = g->t;
  cs__rng_t *r = g->r;
  switch (key) {
  case K('E', 'M'): cs__pii_email(t, r); return true;
  case K('M', 'Y'): self_mail(g); return true;
  case K('P', 'H'): cs__pii_phone(t, r); return true;
  case K('U', 'R'): cs__pii_url(t, r); return true;
  case K('I', 'P'): cs__pii_ip(t, r); return true;
  case K('C', 'A'): cs__pii_card(t, r); return true;
  case K('I', 'B'): cs__pii_iban(t, r); return true;
  case K('S', 'S'): cs__pii_ssn(t, r); return true;
  case K('N', 'I'): cs__pii_nino(t, r); return true;
  case K('A', 'D'): cs__pii_address(t, r); return true;
  case K('M', 'E'): member_mention(g); return true;
  case K('S', 'E'): self_name(g); return true;
  case K('P', 'E'): cs__pii_person(t, r, false); return true;
  case K('F', 'I'): cs__pii_person(t, r, true); return true;
  default: return false;
  }
}

static bool tag_look(cs__gen_t *g, unsigned key) {
  cs__text_t *t = g->t;
  cs__rng_t *r = g->r;
  switch (key) {
  case K('D', 'A'): cs__look_date(t, r); return true;
  case K('V', 'E'): cs__look_version(t, r); return true;
  case K('P', 'C'): cs__look_percent(t, r); return true;
  case K('M', 'O'): cs__look_money(t, r); return true;
  case K('O', 'R'): cs__look_order(t, r); return true;
  case K('I', 'S'): cs__look_iso(t, r); return true;
  case K('C', 'O'): cs__look_company(t, r); return true;
  case K('C', 'I'): cs__look_city(t, r); return true;
  default: return false;
  }
}

static bool tag_filler(cs__gen_t *g, unsigned key) {
  cs__text_t *t = g->t;
  cs__rng_t *r = g->r;
  switch (key) {
  case K('R', 'O'): cs__tx_str(t, CS__PICK(r, roles)); return true;
  case K('T', 'E'): cs__tx_str(t, CS__PICK(r, teams)); return true;
  case K('S', 'K'): cs__tx_str(t, CS__PICK(r, skills)); return true;
  case K('T', 'O'): cs__tx_str(t, CS__PICK(r, topics)); return true;
  case K('P', 'R'): cs__tx_str(t, CS__PICK(r, products)); return true;
  case K('E', 'V'): cs__tx_str(t, CS__PICK(r, events)); return true;
  case K('N', 'U'): cs__tx_u64(t, 2 + cs__rng_below(r, 11)); return true;
  case K('Y', 'E'): cs__tx_u64(t, 2 + cs__rng_below(r, 24)); return true;
  case K('S', 'M'): cs__tx_str(t, CS__PICK(r, smiles)); return true;
  case K('G', 'O'): cs__tx_str(t, CS__PICK(r, goods)); return true;
  case K('S', 'T'): cs__tx_str(t, CS__PICK(r, stacks)); return true;
  case K('H', 'A'): cs__tx_str(t, CS__PICK(r, hashes)); return true;
  case K('L', 'E'): cs__tx_str(t, CS__PICK(r, lessons)); return true;
  default: return false;
  }
}

int cs__text_expand(cs__gen_t *g, const char *tpl) {
  int unknown = 0;
  for (;;) {
    const char *open = strchr(tpl, '{');
    const char *close = open ? strchr(open, '}') : NULL;
    if (!close) {
      cs__tx_str(g->t, tpl);
      return unknown;
    }
    cs__tx_put(g->t, tpl, (size_t)(open - tpl));
    unsigned key = close - open > 2 ? K(open[1], open[2]) : 0;
    if (!tag_pii(g, key) && !tag_look(g, key) && !tag_filler(g, key)) unknown++;
    tpl = close + 1;
  }
}

int cs__text_selfcheck(cs__gen_t *g) {
  int unknown = 0;
  for (uint32_t i = 0; i < cs__n_tpl_all; i++)
    for (uint32_t j = 0; j < cs__tpl_all[i]->n; j++) {
      g->t->len = g->t->n_pii = g->t->n_look = 0;
      unknown += cs__text_expand(g, cs__tpl_all[i]->t[j]);
    }
  return unknown;
}
