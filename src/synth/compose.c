/* compose.c — the shape of each content kind: how many sentences from which
 * tables, paragraphs, sign-offs, hashtags, and where personal data goes.
 *
 * Personal data comes only from the *_pii tables, one to three sentences per
 * record that carries it, placed at random points of the text.
 */
#include "synth/templates.h"

/* Headroom kept so that any one sentence fits (templates are < 200 bytes and
 * carry at most a few tags of < 100 bytes each) and so do its labels. */
#define ROOM_BYTES 2048
#define ROOM_SPANS 16

static bool room(const cs__gen_t *g) {
  const cs__text_t *t = g->t;
  return t->len + ROOM_BYTES < CS__TEXT_CAP && t->n_pii + ROOM_SPANS < CS__MAX_SPANS &&
         t->n_look + ROOM_SPANS < CS__MAX_SPANS;
}

static bool used(const cs__gen_t *g, const char *tpl) {
  for (unsigned i = 0; i < g->n_used; i++)
    if (g->used[i] == tpl) return true;
  return false;
}

/* Expands a template of tab, avoiding ones this text already used (a few
 * draws, then a repeat is accepted: small tables run out in long texts). */
static void one(cs__gen_t *g, const cs__table_t *tab) {
  const char *tpl = tab->t[cs__rng_below(g->r, tab->n)];
  for (int tries = 0; tries < 4 && used(g, tpl); tries++)
    tpl = tab->t[cs__rng_below(g->r, tab->n)];
  if (g->n_used < CS__COUNT(g->used)) g->used[g->n_used++] = tpl;
  cs__text_expand(g, tpl);
}

static void space(cs__gen_t *g) { cs__tx_put(g->t, " ", 1); }

/* A space between sentences, unless the text is empty or already ends in
 * white space (a paragraph break, "Context: "). */
static void gap(cs__gen_t *g) {
  const cs__text_t *t = g->t;
  if (t->len && t->s[t->len - 1] != ' ' && t->s[t->len - 1] != '\n') space(g);
}
static void para(cs__gen_t *g) { cs__tx_put(g->t, "\n\n", 2); }

typedef struct {
  const cs__table_t *a, *b; /* sentences are drawn from a or b, half each */
  const cs__table_t *pii;   /* personal data sentences, or NULL */
  unsigned n_pii;           /* how many to plant */
  size_t target;            /* stop once the text is this long */
  unsigned per_para;        /* sentences per paragraph; 0: one paragraph */
} fill_t;

/* Adds sentences until f->target, planting f->n_pii personal data sentences
 * at random points (any left over go at the end). */
static void fill(cs__gen_t *g, fill_t *f) {
  unsigned in_para = 0;
  while (g->t->len < f->target && room(g)) {
    if (f->per_para && in_para == f->per_para) {
      para(g);
      in_para = 0;
    } else {
      gap(g);
    }
    if (f->n_pii && cs__rng_chance(g->r, 300)) {
      one(g, f->pii);
      f->n_pii--;
    } else {
      one(g, cs__rng_chance(g->r, 500) ? f->a : f->b);
    }
    in_para++;
  }
  for (; f->n_pii && room(g); f->n_pii--) {
    gap(g);
    one(g, f->pii);
  }
}

static size_t between(cs__gen_t *g, size_t lo, size_t hi) {
  return lo + cs__rng_below(g->r, (uint32_t)(hi - lo + 1));
}

static void post(cs__gen_t *g, bool pii) {
  const cs__table_t *themes[] = {&cs__tpl_announce, &cs__tpl_hiring, &cs__tpl_thanks,
                                 &cs__tpl_lesson, &cs__tpl_event};
  const cs__table_t *theme = CS__PICK(g->r, themes);
  one(g, theme);
  fill_t f = {theme, &cs__tpl_body, &cs__tpl_social_pii, pii ? 1 + cs__rng_below(g->r, 3) : 0,
              between(g, 180, 1350), cs__rng_chance(g->r, 400) ? 3 : 0};
  fill(g, &f);
  if (cs__rng_chance(g->r, 700)) {
    para(g);
    one(g, &cs__tpl_closers);
  }
  if (cs__rng_chance(g->r, 400)) {
    para(g);
    for (uint32_t i = 0, n = 2 + cs__rng_below(g->r, 3); i < n; i++) {
      if (i) space(g);
      cs__text_expand(g, "{HASH}");
    }
  }
}

static void article(cs__gen_t *g, bool pii) {
  one(g, &cs__tpl_titles);
  para(g);
  size_t target = between(g, 2000, 6000);
  fill_t f = {&cs__tpl_article_body, &cs__tpl_body, &cs__tpl_social_pii,
              pii ? 1 + cs__rng_below(g->r, 3) : 0, target / 2, 3 + cs__rng_below(g->r, 3)};
  fill(g, &f);
  if (room(g) && cs__rng_chance(g->r, 600))
    cs__text_expand(g, "\n\nKey takeaways:\n- {LESSON}\n- {LESSON}\n- {LESSON}");
  para(g);
  f.target = target;
  f.a = &cs__tpl_lesson;
  fill(g, &f);
}

static void comment(cs__gen_t *g, bool pii) {
  one(g, &cs__tpl_comments);
  if (cs__rng_chance(g->r, 300)) {
    space(g);
    one(g, &cs__tpl_comments);
  }
  if (pii) {
    space(g);
    one(g, &cs__tpl_social_pii);
  }
}

static void message(cs__gen_t *g, bool pii) {
  one(g, &cs__tpl_greetings);
  if (cs__rng_chance(g->r, 500)) para(g);
  fill_t f = {&cs__tpl_messages, &cs__tpl_messages, &cs__tpl_private_pii,
              pii ? 1 + cs__rng_below(g->r, 2) : 0, g->t->len + between(g, 20, 500), 0};
  fill(g, &f);
  para(g);
  if (pii && cs__rng_chance(g->r, 500)) cs__text_expand(g, "Best,\n{SELF}");
  else one(g, &cs__tpl_signoffs);
}

static void profile(cs__gen_t *g, bool pii) {
  one(g, &cs__tpl_headlines);
  para(g);
  fill_t f = {&cs__tpl_about, &cs__tpl_about, &cs__tpl_profile_pii,
              pii ? 1 + cs__rng_below(g->r, 2) : 0, g->t->len + between(g, 100, 700), 0};
  fill(g, &f);
}

static void feedback(cs__gen_t *g, bool pii) {
  fill_t f = {&cs__tpl_feedback, &cs__tpl_feedback, &cs__tpl_private_pii, pii ? 1 : 0,
              between(g, 40, 450), 0};
  fill(g, &f);
}

static void prompt(cs__gen_t *g, bool pii) {
  one(g, &cs__tpl_prompts);
  fill_t f = {&cs__tpl_body, &cs__tpl_messages,
              cs__rng_chance(g->r, 700) ? &cs__tpl_private_pii : &cs__tpl_social_pii,
              pii ? 1 + cs__rng_below(g->r, 2) : 0, g->t->len + between(g, 0, 350), 0};
  if (f.target > g->t->len + 60) cs__tx_str(g->t, "\n\nContext: ");
  fill(g, &f);
}

void cs__text_generate(cs__gen_t *g, cs__kind_t kind, bool with_pii) {
  static void (*const shape[CS__N_KINDS])(cs__gen_t *, bool) = {
      post, article, comment, message, profile, feedback, prompt};
  g->t->len = g->t->n_pii = g->t->n_look = 0;
  g->n_used = 0;
  shape[kind < CS__N_KINDS ? kind : 0](g, with_pii);
}
