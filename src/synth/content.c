/* content.c — content records and their labels.
 *
 * Record i is a pure function of (seed, i): its header (author, time, kind,
 * visibility, whether it carries personal data) and then its text come from
 * one generator seeded for that record alone. That is what lets facts.c
 * delete records before they are written, and what would let several
 * threads write disjoint ranges with the same bytes.
 *
 * Mix: ~2% of records by member ids that do not exist; created_at spread
 * over 2023-01-01..2025-07-01 (so some fall after any as-of in between),
 * never before the author joined; ~8% spelled with a UTC offset; ~35% carry
 * personal data (half of the private kinds, 30% of the others).
 */
#include "synth/synth_int.h"

#define CS__STREAM_RECORDS (UINT64_C(1) << 40)

/* Cumulative per-mille weights of post, article, comment, message, profile,
 * feedback, ai_prompt. */
static const uint16_t kind_cum[CS__N_KINDS] = {400, 450, 720, 820, 860, 920, 1000};
static const char *const kind_names[CS__N_KINDS] = {
    "post", "article", "comment", "message", "profile", "feedback", "ai_prompt"};
static const char *const vis_names[3] = {"public", "connections", "private"};

static uint8_t draw_kind(cs__rng_t *r) {
  uint32_t x = cs__rng_below(r, 1000);
  uint8_t k = 0;
  while (k + 1 < CS__N_KINDS && x >= kind_cum[k]) k++;
  return k;
}

/* Messages, feedback and prompts are private; articles and profiles public;
 * posts and comments mostly public, some for connections, a few private. */
static uint8_t draw_visibility(cs__rng_t *r, uint8_t kind) {
  switch (kind) {
  case CS__KIND_MESSAGE:
  case CS__KIND_FEEDBACK:
  case CS__KIND_AI_PROMPT: return 2;
  case CS__KIND_ARTICLE:
  case CS__KIND_PROFILE: return cs__rng_chance(r, 950) ? 0 : 1;
  default: {
    uint32_t x = cs__rng_below(r, 100);
    return x < 68 ? 0 : x < 95 ? 1 : 2;
  }
  }
}

static const int offsets[] = {60, 120, -300, 330, -480, 540, -180, 600};

void cs__record_head(const cs__people_t *p, uint64_t seed, uint64_t i, cs__head_t *out,
                     cs__rng_t *rng_out) {
  cs__rng_t r;
  cs__rng_seed(&r, seed, CS__STREAM_RECORDS + i);
  uint32_t n = (uint32_t)p->n;
  bool unknown = n == 0 || cs__rng_chance(&r, 20);
  out->member = unknown ? p->n + 1 + cs__rng_below(&r, n + 1000) : cs__rng_below(&r, n);
  int64_t lo = CS__T_CONTENT, hi = CS__T_END - 1;
  if (!unknown && p->m[out->member].joined > lo) lo = p->m[out->member].joined;
  out->created = cs__rng_range(&r, lo, hi);
  out->offset_min = cs__rng_chance(&r, 80) ? CS__PICK(&r, offsets) : 0;
  out->kind = draw_kind(&r);
  out->visibility = draw_visibility(&r, out->kind);
  /* Private kinds carry personal data more often than public ones; the
   * overall share is ~35%. */
  out->pii = cs__rng_chance(&r, out->visibility == 2 ? 500 : 300);
  if (rng_out) *rng_out = r;
}

char *cs__w_record_id(char *p, uint64_t i) {
  *p++ = 'r';
  return cs__w_pad(p, i + 1, 8);
}

static void write_record(cs__content_t *c, uint64_t i, const cs__head_t *h) {
  const cs__text_t *t = c->text;
  char *p = cs__out_reserve(c->content, 6 * t->len + 256);
  p = cs__w_str(p, "{\"id\":\"");
  p = cs__w_record_id(p, i);
  p = cs__w_str(p, "\",\"member\":\"");
  p = cs__w_member_id(p, h->member);
  p = cs__w_str(p, "\",\"kind\":\"");
  p = cs__w_str(p, kind_names[h->kind]);
  p = cs__w_str(p, "\",\"created_at\":\"");
  p = cs__w_time(p, h->created, h->offset_min);
  p = cs__w_str(p, "\",\"visibility\":\"");
  p = cs__w_str(p, vis_names[h->visibility]);
  p = cs__w_str(p, "\",\"text\":");
  p = cs__w_json(p, t->s, t->len);
  p = cs__w_mem(p, "}\n", 2);
  cs__out_commit(c->content, p);
}

static char *w_spans(char *p, const cs__span_t *s, size_t n) {
  *p++ = '[';
  for (size_t k = 0; k < n; k++) {
    if (k) *p++ = ',';
    p = cs__w_str(p, "{\"type\":\"");
    p = cs__w_str(p, cs_label_name((cs_label_t)s[k].type));
    p = cs__w_str(p, "\",\"start\":");
    p = cs__w_u64(p, s[k].start);
    p = cs__w_str(p, ",\"end\":");
    p = cs__w_u64(p, s[k].end);
    *p++ = '}';
  }
  *p++ = ']';
  return p;
}

static void write_labels(cs__content_t *c, uint64_t i) {
  const cs__text_t *t = c->text;
  char *p = cs__out_reserve(c->labels, 96 + 80 * (t->n_pii + t->n_look));
  p = cs__w_str(p, "{\"id\":\"");
  p = cs__w_record_id(p, i);
  p = cs__w_str(p, "\",\"spans\":");
  p = w_spans(p, t->pii, t->n_pii);
  p = cs__w_str(p, ",\"lookalikes\":");
  p = w_spans(p, t->look, t->n_look);
  p = cs__w_mem(p, "}\n", 2);
  cs__out_commit(c->labels, p);
}

void cs__content_write(cs__content_t *c, uint64_t from, uint64_t to) {
  for (uint64_t i = from; i < to; i++) {
    cs__head_t h;
    cs__rng_t r;
    cs__record_head(c->people, c->seed, i, &h, &r);
    cs__gen_t g = {.t = c->text, .r = &r, .people = c->people, .author = h.member};
    cs__text_generate(&g, (cs__kind_t)h.kind, h.pii);
    cs__tx_to_code_points(c->text);
    c->pii_records += c->text->n_pii > 0;
    write_record(c, i, &h);
    write_labels(c, i);
  }
}
