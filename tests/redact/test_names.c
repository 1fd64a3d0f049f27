/* test_names.c — other people's names found, and the proper nouns that look
 * like names (places, companies, software, contractions) kept. */
#include "redact/redact_util.h"

static fixture_t F;

static void test_people(void) {
  CHECK_REDACT(&F, "Big thanks to Meagan Wallace for this.", "Big thanks to <PERSON> for this.");
  CHECK_REDACT(&F, "I'm Aroha Yılmaz, and I build things.", "I'm <PERSON>, and I build things.");
  CHECK_REDACT(&F, "Dr. Kozłowski will call.", "Dr. <PERSON> will call.");
  CHECK_REDACT(&F, "Hi Tendai, welcome aboard", "Hi <PERSON>, welcome aboard");
  CHECK_REDACT(&F, "Shout-out to Xiaoling, who stayed late.", "Shout-out to <PERSON>, who stayed late.");
  CHECK_REDACT(&F, "Partnering with Charlotte Girard made it easy",
               "Partnering with <PERSON> made it easy");
}

static void test_not_people(void) {
  /* contractions */
  CHECK_REDACT(&F, "It has been a long road, and I'm grateful. We're hiring.",
               "It has been a long road, and I'm grateful. We're hiring.");
  /* places from the gazetteer, and after prepositions of place */
  CHECK_REDACT(&F, "Working across time zones from Barcelona to Düsseldorf was hard.",
               "Working across time zones from Barcelona to Düsseldorf was hard.");
  CHECK_REDACT(&F, "before that, recruiter in Denver.", "before that, recruiter in Denver.");
  CHECK_REDACT(&F, "We opened an office in Buenos Aires and one in São Paulo.",
               "We opened an office in Buenos Aires and one in São Paulo.");
  /* companies and software after weak cues */
  CHECK_REDACT(&F, "Partnering with Airbus made the rollout smoother.",
               "Partnering with Airbus made the rollout smoother.");
  CHECK_REDACT(&F, "The team at Silverline Telecom is hiring.",
               "The team at Silverline Telecom is hiring.");
  CHECK_REDACT(&F, "If you know Python and Postgres and ClickHouse, apply.",
               "If you know Python and Postgres and ClickHouse, apply.");
  CHECK_REDACT(&F, "Partnering with Willow & Finch helped. Thank you to everyone at Nubank who helped.",
               "Partnering with Willow & Finch helped. Thank you to everyone at Nubank who helped.");
  /* a single word after a determiner, even a listed given name */
  CHECK_REDACT(&F, "This is so true. The Milan office is lucky to have you.",
               "This is so true. The Milan office is lucky to have you.");
  /* a run without a given name after a preposition of place */
  CHECK_REDACT(&F, "Most recently at Mercado Libre. Currently leading a team.",
               "Most recently at Mercado Libre. Currently leading a team.");
  /* organisations after verbs that take one, and tails of proper nouns */
  CHECK_REDACT(&F, "We're looking for 4 engineers to join Ericsson before May.",
               "We're looking for 4 engineers to join Ericsson before May.");
  CHECK_REDACT(&F, "Partnering with Mercado Libre made the rollout smoother.",
               "Partnering with Mercado Libre made the rollout smoother.");
  CHECK_REDACT(&F, "We just closed a seed round led by Ericsson.",
               "We just closed a seed round led by Ericsson.");
  CHECK_REDACT(&F, "Thank you to everyone at Deutsche Bahn who made my first year.",
               "Thank you to everyone at Deutsche Bahn who made my first year.");
  CHECK_REDACT(&F, "Thank you to everyone at Vantage Bioworks who made it.",
               "Thank you to everyone at Vantage Bioworks who made it.");
  /* "from X to Y" with a place of several words */
  CHECK_REDACT(&F, "Time zones from Mexico City to Milan forced us to write.",
               "Time zones from Mexico City to Milan forced us to write.");
}

static void test_people_near_the_rules(void) {
  /* a full name after "the" and a given name after "at" are still people */
  CHECK_REDACT(&F, "The Steffen Mauer version sold a million.",
               "The <PERSON> version sold a million.");
  CHECK_REDACT(&F, "I had coffee at Meagan Wallace's place.",
               "I had coffee at <PERSON>'s place.");
  CHECK_REDACT(&F, "Come join Meagan Wallace and the team.", "Come join <PERSON> and the team.");
  CHECK_REDACT(&F, "The project was led by Meagan Wallace.", "The project was led by <PERSON>.");
  CHECK_REDACT(&F, "Yesterday Meagan Wallace said it best.", "Yesterday <PERSON> said it best.");
  CHECK_REDACT(&F, "Our CEO Meagan Wallace spoke.", "Our CEO <PERSON> spoke.");
}

/* At a sentence's start every word is capitalised: a lone surname-like word
 * or a surname-led run of unlisted words there is a firm or an ordinary
 * word; a cue word ending the sentence before does not cue it. */
static void test_sentence_openers(void) {
  CHECK_REDACT(&F, "That was the right call. Ericsson published a similar analysis.",
               "That was the right call. Ericsson published a similar analysis.");
  CHECK_REDACT(&F, "We learned a lot.\n\nMercado Libre reported the same.",
               "We learned a lot.\n\nMercado Libre reported the same.");
  CHECK_REDACT(&F, "It was the right call.\n\nKey takeaways:\n- ask early",
               "It was the right call.\n\nKey takeaways:\n- ask early");
  /* still people: a given name, a name answering a question about names, a
   * cue in the same sentence, a surname seen before, two unlisted words */
  CHECK_REDACT(&F, "It went well. Meagan Wallace published it.", "It went well. <PERSON> published it.");
  CHECK_REDACT(&F, "What's your last name? Magnusson", "What's your last name? <PERSON>");
  CHECK_REDACT(&F, "Please call Ericsson tomorrow.", "Please call <PERSON> tomorrow.");
  CHECK_REDACT(&F, "Thanks to Anna Magnusson. Magnusson wrote it.",
               "Thanks to <PERSON>. <PERSON> wrote it.");
  CHECK_REDACT(&F, "Hello. Tomomi Nishiyama lives here.", "Hello. <PERSON> lives here.");
}

/* Context that makes a name of a word the lists do not know. */
static void test_name_context(void) {
  /* a list with "and": the comma-joined head is a name too */
  CHECK_REDACT(&F, "Our founders: Kónya, Becker and Vasquez.", "Our founders: <PERSON>, <PERSON> and <PERSON>.");
  /* a given name and an initial make the next capitalised word a surname */
  CHECK_REDACT(&F, "Yesterday Ella H. Snider went home", "Yesterday <PERSON> went home");
  /* generational suffixes */
  CHECK_REDACT(&F, "He was called Kevin Veitonen II, and", "He was called <PERSON> <PERSON>, and");
  /* kinship and "says" cue an unknown word */
  CHECK_REDACT(&F, "I would like to remove my kid Tadzio from the will.",
               "I would like to remove my kid <PERSON> from the will.");
  CHECK_REDACT(&F, "\"It works,\" says Hartvigsson.", "\"It works,\" says <PERSON>.");
  /* lower-case names only after "name is", "call me" */
  CHECK_REDACT(&F, "hello, my name is vitoria", "hello, my name is <PERSON>");
  CHECK_REDACT(&F, "sometimes people call me višeslav", "sometimes people call me <PERSON>");
  CHECK_REDACT(&F, "I'm still amazed. I'm grateful.", "I'm still amazed. I'm grateful.");
  CHECK_REDACT(&F, "my name is still pending", "my name is still pending");
  /* a listed given name makes a capitalised everyday word ending the run a
   * surname; a longer proper noun goes on and stays */
  CHECK_REDACT(&F, "Then Steve Jobs left Apple.", "Then <PERSON> left Apple.");
  CHECK_REDACT(&F, "at the Paris Peace Forum next week", "at the Paris Peace Forum next week");
  /* field labels and languages are no speakers or people */
  CHECK_REDACT(&F, "Phone:\n555 0100\n\nE-mail:\nnone", "Phone:\n<PHONE>\n\nE-mail:\nnone");
  CHECK_REDACT(&F, "while studying English and journalism", "while studying English and journalism");
  /* a legal form after a run makes it a firm; degrees follow a name */
  CHECK_REDACT(&F, "Favian Rangel from Drake PLC is the keynote speaker",
               "<PERSON> from Drake PLC is the keynote speaker");
  CHECK_REDACT(&F, "She was called Giovanna Rodrigues MD", "She was called <PERSON> <PERSON>");
  /* a one-letter initial may be a multi-byte letter */
  CHECK_REDACT(&F, "Agatha Á Ottarsdóttir\n\nEBEN", "<PERSON>\n\nEBEN");
}

static void setup(void) { F = fixture(); }
static void teardown(void) { fixture_free(&F); }

RUN_TESTS(setup, test_people, test_not_people, test_people_near_the_rules,
          test_sentence_openers, test_name_context, teardown)
