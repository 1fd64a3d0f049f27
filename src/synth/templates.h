/* templates.h — the template tables of templates.c, for text.c and tests. */
#ifndef CS_SYNTH_TEMPLATES_H
#define CS_SYNTH_TEMPLATES_H

#include "synth/synth_int.h"

typedef struct {
  const char *const *t; /* templates */
  uint32_t n;
} cs__table_t;

extern const cs__table_t cs__tpl_announce, cs__tpl_hiring, cs__tpl_thanks, cs__tpl_lesson,
    cs__tpl_event, cs__tpl_body, cs__tpl_closers, cs__tpl_titles, cs__tpl_article_body,
    cs__tpl_comments, cs__tpl_greetings, cs__tpl_messages, cs__tpl_signoffs, cs__tpl_headlines,
    cs__tpl_about, cs__tpl_feedback, cs__tpl_prompts, cs__tpl_social_pii, cs__tpl_private_pii,
    cs__tpl_profile_pii;

/* Every table above, for self-checks. */
extern const cs__table_t *const cs__tpl_all[];
extern const uint32_t cs__n_tpl_all;

#endif
